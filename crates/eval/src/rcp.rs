//! Which services resource control policies govern.
//!
//! RCPs "apply to resources for a subset of AWS services" (AWS Organizations User Guide,
//! orgs_manage_policies_rcps.html, "List of AWS services that support RCPs"): a request to
//! any other service — `cleanrooms`, `cleanrooms-ml`, `glue`, `iam` among them — is not
//! restricted by RCPs at all, not even by an RCP `Deny` that names its actions.
//!
//! The list is data (`crates/eval/data/rcp-supported-services.json`), with the page it was
//! transcribed from and the date of that copy; it is read once, on first use.

use std::sync::OnceLock;

/// The embedded list, as shipped.
const DATA: &str = include_str!("../data/rcp-supported-services.json");

/// The list of services that support RCPs, with its provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportedServices {
    /// The page the list comes from.
    pub source: String,
    /// The date of the copy of that page the list was transcribed from (`YYYY-MM-DD`).
    pub retrieved: String,
    /// Service prefixes, lower-case, sorted, without duplicates.
    pub services: Vec<String>,
}

/// Why the embedded list could not be read (a broken data file: a build error in spirit,
/// reported by the tests, never a panic at evaluation time).
fn parse(text: &str) -> Result<SupportedServices, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let field = |name: &str| {
        value
            .get(name)
            .and_then(serde_json::Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("missing string field {name:?}"))
    };
    let list = value
        .get("services")
        .and_then(serde_json::Value::as_array)
        .ok_or("missing array field \"services\"")?;
    let mut services = list
        .iter()
        .map(|s| {
            s.as_str()
                .filter(|s| !s.is_empty() && *s == s.to_ascii_lowercase())
                .map(str::to_string)
                .ok_or_else(|| format!("service {s} is not a lower-case service prefix"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    services.sort();
    services.dedup();
    let count = value.get("count").and_then(serde_json::Value::as_u64);
    if count != Some(services.len() as u64) || list.len() != services.len() {
        return Err(format!(
            "\"count\" is {count:?} but the list holds {} distinct of {} entries",
            services.len(),
            list.len()
        ));
    }
    Ok(SupportedServices {
        source: field("source")?,
        retrieved: field("retrieved")?,
        services,
    })
}

/// The embedded list of services that support RCPs. A data file that cannot be read gives
/// an empty list (every RCP then ignored) — the crate's tests fail on it before any release.
pub fn supported_services() -> &'static SupportedServices {
    static LIST: OnceLock<SupportedServices> = OnceLock::new();
    LIST.get_or_init(|| {
        parse(DATA).unwrap_or_else(|_| SupportedServices {
            source: String::new(),
            retrieved: String::new(),
            services: Vec::new(),
        })
    })
}

/// Whether RCPs govern requests to the service with this prefix (`s3`, `sts`, …); the
/// prefix compares case-insensitively, as actions do.
pub fn applies_to_service(service_prefix: &str) -> bool {
    let services = &supported_services().services;
    if service_prefix.bytes().any(|b| b.is_ascii_uppercase()) {
        let lower = service_prefix.to_ascii_lowercase();
        services.binary_search(&lower).is_ok()
    } else {
        services
            .binary_search_by(|s| s.as_str().cmp(service_prefix))
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_list_reads_and_is_dated() {
        let list = parse(DATA).expect("crates/eval/data/rcp-supported-services.json");
        assert_eq!(&list, supported_services());
        assert!(list.source.starts_with(
            "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html"
        ));
        assert_eq!(list.retrieved.len(), 10, "a YYYY-MM-DD date");
        // The page listed 7 services when RCPs launched; the stored copy lists 62.
        assert!(list.services.len() >= 62, "{}", list.services.len());
    }

    #[test]
    fn governs_listed_services_only() {
        for s in [
            "s3",
            "sts",
            "kms",
            "sqs",
            "secretsmanager",
            "ecr",
            "aoss",
            "S3",
            "KMS",
        ] {
            assert!(applies_to_service(s), "{s}");
        }
        for s in [
            "cleanrooms",
            "cleanrooms-ml",
            "glue",
            "iam",
            "athena",
            "",
            "s",
        ] {
            assert!(!applies_to_service(s), "{s}");
        }
    }

    #[test]
    fn a_broken_file_is_an_error() {
        assert!(parse("{").is_err());
        assert!(
            parse(r#"{"source":"x","retrieved":"2026-01-01","count":2,"services":["s3"]}"#)
                .is_err()
        );
        assert!(
            parse(r#"{"source":"x","retrieved":"2026-01-01","count":1,"services":["S3"]}"#)
                .is_err()
        );
        assert!(
            parse(r#"{"source":"x","retrieved":"2026-01-01","count":2,"services":["s3","s3"]}"#)
                .is_err()
        );
        let ok = parse(r#"{"source":"x","retrieved":"2026-01-01","count":1,"services":["s3"]}"#);
        assert_eq!(ok.unwrap().services, vec!["s3"]);
    }
}
