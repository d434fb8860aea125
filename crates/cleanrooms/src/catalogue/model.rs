//! The catalogue's data types, built from the embedded data in `data/` (see `load.rs`).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::arn::ArnTemplate;
use super::pattern::{self, Tok};

/// The access level the Service Authorization Reference assigns to an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AccessLevel {
    /// Listing resources.
    List,
    /// Reading resources or their configuration.
    Read,
    /// Creating, changing or deleting resources.
    Write,
    /// Changing tags only.
    Tagging,
    /// Changing resource-based policies or IAM permissions.
    #[serde(rename = "Permissions management")]
    PermissionsManagement,
}

impl AccessLevel {
    /// The SAR spelling (`List`, `Read`, `Write`, `Tagging`, `Permissions management`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::List => "List",
            Self::Read => "Read",
            Self::Write => "Write",
            Self::Tagging => "Tagging",
            Self::PermissionsManagement => "Permissions management",
        }
    }
}

impl fmt::Display for AccessLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The data type of a condition key, as the AWS service reference spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum KeyType {
    /// `String`.
    String,
    /// `ArrayOfString` (multivalued).
    ArrayOfString,
    /// `ARN`.
    #[serde(rename = "ARN")]
    Arn,
    /// `ArrayOfARN` (multivalued).
    #[serde(rename = "ArrayOfARN")]
    ArrayOfArn,
    /// `Numeric`.
    Numeric,
    /// `ArrayOfNumeric` (multivalued).
    ArrayOfNumeric,
    /// `Date`.
    Date,
    /// `ArrayOfDate` (multivalued).
    ArrayOfDate,
    /// `Bool`.
    Bool,
    /// `ArrayOfBool` (multivalued).
    ArrayOfBool,
    /// `IPAddress`.
    #[serde(rename = "IPAddress")]
    IpAddress,
    /// `ArrayOfIPAddress` (multivalued).
    #[serde(rename = "ArrayOfIPAddress")]
    ArrayOfIpAddress,
    /// `Binary`.
    Binary,
    /// `ArrayOfBinary` (multivalued).
    ArrayOfBinary,
}

impl KeyType {
    /// Whether the type is an `ArrayOf…` type, i.e. the key is multivalued.
    pub fn is_array(self) -> bool {
        self.element() != self
    }

    /// The scalar type of one value (`ArrayOfString` → `String`; scalars map to themselves).
    pub fn element(self) -> KeyType {
        match self {
            Self::ArrayOfString => Self::String,
            Self::ArrayOfArn => Self::Arn,
            Self::ArrayOfNumeric => Self::Numeric,
            Self::ArrayOfDate => Self::Date,
            Self::ArrayOfBool => Self::Bool,
            Self::ArrayOfIpAddress => Self::IpAddress,
            Self::ArrayOfBinary => Self::Binary,
            scalar => scalar,
        }
    }

    /// The service-reference spelling, e.g. `ArrayOfARN`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::String => "String",
            Self::ArrayOfString => "ArrayOfString",
            Self::Arn => "ARN",
            Self::ArrayOfArn => "ArrayOfARN",
            Self::Numeric => "Numeric",
            Self::ArrayOfNumeric => "ArrayOfNumeric",
            Self::Date => "Date",
            Self::ArrayOfDate => "ArrayOfDate",
            Self::Bool => "Bool",
            Self::ArrayOfBool => "ArrayOfBool",
            Self::IpAddress => "IPAddress",
            Self::ArrayOfIpAddress => "ArrayOfIPAddress",
            Self::Binary => "Binary",
            Self::ArrayOfBinary => "ArrayOfBinary",
        }
    }
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a piece of catalogue data came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// What this source contributed (e.g. the base data, or the newer-upstream items).
    pub role: String,
    /// The document (URL or description) the data represents.
    pub document: String,
    /// Where the copy used lives (repository or stored copy).
    pub repository: String,
    /// Path of the copy inside the repository.
    pub path: String,
    /// Commit of the copy used.
    pub commit: String,
    /// Date of that commit or document.
    pub date: String,
    /// Extra provenance detail, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Item counts of a service: the same numbers the source had at update time (loading checks
/// them against `data/catalogue-source.json`); `actions_by_access_level` and
/// `permission_only_actions` are counted from the loaded data; the `newer_upstream_*` counts
/// are zero (one source).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceCounts {
    /// Actions in the base (SAR) snapshot.
    pub actions: usize,
    /// Base actions per SAR access level (keyed by the SAR spelling).
    pub actions_by_access_level: BTreeMap<String, usize>,
    /// Base actions marked `[permission only]`.
    pub permission_only_actions: usize,
    /// Resource types in the base snapshot.
    pub resource_types: usize,
    /// Condition keys in the base snapshot.
    pub condition_keys: usize,
    /// Actions only in newer sources.
    pub newer_upstream_actions: usize,
    /// Resource types only in newer sources.
    pub newer_upstream_resource_types: usize,
    /// Condition keys only in newer sources.
    pub newer_upstream_condition_keys: usize,
}

/// One resource type an action can be authorized against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionResource {
    /// Name of a [`ResourceType`] of the same service.
    pub resource_type: String,
    /// The SAR marks it required (`*`); always `false` where the source has no such flag.
    pub required: bool,
}

/// One IAM action of a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// The action name without the service prefix, e.g. `GetCollaboration`.
    pub name: String,
    /// The SAR access level.
    pub access_level: AccessLevel,
    /// The SAR marks the action `[permission only]` (no API operation of that name).
    /// The catalogue source does not record this: set from the SAR snapshot for cleanrooms,
    /// cleanrooms-ml, iam, sts, glue, s3, kms and logs (`data/annotations.json`); `false`
    /// (unknown) for other services.
    pub permission_only: bool,
    /// The SAR description.
    pub description: String,
    /// Resource types the action is authorized against; empty means only `*`.
    pub resource_types: Vec<ActionResource>,
    /// Condition keys the action supports (union over its SAR rows).
    pub condition_keys: Vec<String>,
    /// Actions that must also be allowed, as `prefix:Name`. The catalogue source leaves
    /// these empty: set from the SAR snapshot for the eight services above
    /// (`data/annotations.json`); empty for other services.
    pub dependent_actions: Vec<String>,
    /// Only in sources newer than the base snapshot. Always `false` since the catalogue is
    /// built from one source (kept for API stability).
    pub newer_upstream: bool,
    /// Source discrepancies and project notes about this action.
    pub notes: Vec<String>,
    /// Set after loading: the owning service's prefix.
    #[serde(skip)]
    pub(crate) service_prefix: String,
}

impl Action {
    /// The owning service's prefix, e.g. `cleanrooms`.
    pub fn service_prefix(&self) -> &str {
        &self.service_prefix
    }

    /// `prefix:Name` as written in a policy, e.g. `cleanrooms:GetCollaboration`.
    pub fn full_name(&self) -> String {
        format!("{}:{}", self.service_prefix, self.name)
    }
}

/// A resource type of a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceType {
    /// The SAR name, e.g. `analysistemplate` or `ConfiguredModelAlgorithm`.
    pub name: String,
    /// The ARN template.
    pub arn_template: ArnTemplate,
    /// Condition keys that apply to this resource type.
    pub condition_keys: Vec<String>,
    /// Only in sources newer than the base snapshot. Always `false` (one source).
    pub newer_upstream: bool,
}

/// A condition key, service-specific or global.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionKey {
    /// The key name as in the source, possibly a template such as `aws:ResourceTag/${TagKey}`.
    pub name: String,
    /// The data type.
    pub value_type: KeyType,
    /// Whether the key is multivalued (needs `ForAllValues`/`ForAnyValue`).
    pub multivalued: bool,
    /// The source's description; empty where the source (service reference) has none.
    pub description: String,
    /// Only in sources newer than the base snapshot. Always `false` (one source).
    pub newer_upstream: bool,
}

/// A global (`aws:`) or cross-service condition key from the IAM User Guide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GlobalConditionKey {
    /// Name, type and multivaluedness. `/tag-key` suffixes are normalised to `/${TagKey}`.
    pub key: ConditionKey,
    /// The page's section, e.g. `Properties of the principal`.
    pub category: String,
    /// The page's "Data type" text verbatim (e.g. `Date, Numeric` for `aws:EpochTime`).
    pub documented_data_type: String,
    /// A service-prefixed key the page lists with the global keys (e.g. `ec2:SourceInstanceArn`).
    pub cross_service: bool,
    /// Listed under "Sensitive condition keys": wildcards have no valid use.
    pub sensitive_no_wildcards: bool,
}

/// Raw JSON shape of a global key; kept separate so [`GlobalConditionKey`] nests a
/// [`ConditionKey`] while the data file stays flat.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawGlobalKey {
    name: String,
    value_type: KeyType,
    multivalued: bool,
    description: String,
    newer_upstream: bool,
    category: String,
    documented_data_type: String,
    cross_service: bool,
    sensitive_no_wildcards: bool,
}

impl From<RawGlobalKey> for GlobalConditionKey {
    fn from(r: RawGlobalKey) -> Self {
        Self {
            key: ConditionKey {
                name: r.name,
                value_type: r.value_type,
                multivalued: r.multivalued,
                description: r.description,
                newer_upstream: r.newer_upstream,
            },
            category: r.category,
            documented_data_type: r.documented_data_type,
            cross_service: r.cross_service,
            sensitive_no_wildcards: r.sensitive_no_wildcards,
        }
    }
}

/// A condition-key name compiled for case-insensitive lookup; templates match any value for
/// their placeholders.
#[derive(Debug, Clone)]
pub(crate) struct KeyMatcher {
    pub(crate) lower: String,
    pub(crate) tokens: Option<Vec<Tok>>,
    pub(crate) specificity: usize,
}

impl KeyMatcher {
    pub(crate) fn new(name: &str) -> Self {
        let lower = name.to_lowercase();
        match pattern::parse_template(name, true) {
            Ok(parts)
                if parts
                    .iter()
                    .any(|p| matches!(p, pattern::TemplatePart::Placeholder(_))) =>
            {
                Self {
                    lower,
                    specificity: pattern::literal_len(&parts),
                    tokens: Some(pattern::template_tokens(&parts, true)),
                }
            }
            // A name with malformed placeholder syntax is still usable as an exact name;
            // the consistency tests flag such names.
            _ => Self {
                specificity: lower.chars().count(),
                lower,
                tokens: None,
            },
        }
    }
}

/// One AWS service: its actions, resource types and condition keys.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// The IAM service prefix, e.g. `cleanrooms-ml`.
    pub prefix: String,
    /// The service name, e.g. `AWS Clean Rooms ML`.
    pub name: String,
    /// Sources of this data, base snapshot first.
    pub provenance: Vec<Provenance>,
    /// The base source's counts plus newer-upstream additions.
    pub counts: SourceCounts,
    /// Service-level source discrepancies (resource-type differences between sources).
    pub notes: Vec<String>,
    /// All actions, sorted case-insensitively by name.
    pub actions: Vec<Action>,
    /// All resource types, base snapshot order then newer ones.
    pub resource_types: Vec<ResourceType>,
    /// All condition keys the service defines (including the `aws:` keys it lists).
    pub condition_keys: Vec<ConditionKey>,
    // The lookup indexes are built on a service's first lookup: a process asks about a few
    // of the hundreds of services (building them all was a sixth of loading the catalogue).
    #[serde(skip)]
    pub(crate) action_index: OnceLock<HashMap<String, usize>>,
    #[serde(skip)]
    pub(crate) resource_index: OnceLock<HashMap<String, usize>>,
    #[serde(skip)]
    pub(crate) key_matchers: OnceLock<Vec<KeyMatcher>>,
}

impl Service {
    /// Fills the back-references after deserialization (the lookup indexes are built on
    /// first use).
    pub(crate) fn index(&mut self) {
        for a in &mut self.actions {
            a.service_prefix.clone_from(&self.prefix);
        }
    }

    /// Action positions by lower-case name.
    pub(crate) fn action_index(&self) -> &HashMap<String, usize> {
        self.action_index.get_or_init(|| {
            let mut index = HashMap::with_capacity(self.actions.len());
            for (i, a) in self.actions.iter().enumerate() {
                index.insert(a.name.to_lowercase(), i);
            }
            index
        })
    }

    /// The action `name` (without prefix), case-insensitively.
    pub fn action(&self, name: &str) -> Option<&Action> {
        self.action_index()
            .get(&name.to_lowercase())
            .and_then(|&i| self.actions.get(i))
    }

    /// All actions of the service, sorted by name.
    pub fn actions(&self) -> impl Iterator<Item = &Action> {
        self.actions.iter()
    }

    /// The resource type `name`, case-insensitively.
    pub fn resource_type(&self, name: &str) -> Option<&ResourceType> {
        self.resource_index
            .get_or_init(|| {
                let mut index = HashMap::with_capacity(self.resource_types.len());
                for (i, r) in self.resource_types.iter().enumerate() {
                    index.insert(r.name.to_lowercase(), i);
                }
                index
            })
            .get(&name.to_lowercase())
            .and_then(|&i| self.resource_types.get(i))
    }

    /// The condition key this service defines for `key` (case-insensitive; templates such as
    /// `aws:ResourceTag/${TagKey}` match any tag key). Exact names win over templates, and
    /// the template with the most literal text wins among templates.
    pub fn condition_key(&self, key: &str) -> Option<&ConditionKey> {
        let lower = key.to_lowercase();
        let text = pattern::Text::new(&lower);
        best_key_match(
            &lower,
            &text,
            self.key_matchers
                .get_or_init(|| {
                    self.condition_keys
                        .iter()
                        .map(|k| KeyMatcher::new(&k.name))
                        .collect()
                })
                .iter()
                .zip(&self.condition_keys),
        )
        .map(|(_, k)| k)
    }
}

/// Picks the best match for a lower-cased key among candidates in priority order: an exact
/// name first, else the most specific template (earliest on ties). Returns its specificity
/// (`usize::MAX` for exact) too, so callers can compare across candidate sets.
pub(crate) fn best_key_match<'a, T>(
    lower: &str,
    text: &pattern::Text<'_>,
    candidates: impl Iterator<Item = (&'a KeyMatcher, T)>,
) -> Option<(usize, T)> {
    let mut best: Option<(usize, T)> = None;
    for (m, item) in candidates {
        let score = if m.lower == lower {
            usize::MAX
        } else if m
            .tokens
            .as_ref()
            .is_some_and(|t| pattern::matches_text(t, text))
        {
            m.specificity
        } else {
            continue;
        };
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, item));
        }
    }
    best
}
