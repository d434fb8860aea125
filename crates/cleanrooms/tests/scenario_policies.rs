//! The embedded corpus policies match `corpus/policies/index.json`: every entry available by
//! name, byte for byte, and the defective ones (JSON syntax or fragment defects) fail to
//! parse while every other one parses.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: failing loudly is the point"
)]

use iamcr_cleanrooms::policies;
use std::path::PathBuf;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/policies")
}

fn index() -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(corpus().join("index.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn every_index_entry_is_embedded_byte_for_byte() {
    let index = index();
    let names: Vec<&str> = policies::names().collect();
    let index_names: Vec<&str> = index.iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(
        names, index_names,
        "policies.rs and index.json list different names"
    );
    for e in &index {
        let name = e["name"].as_str().unwrap();
        let p = policies::policy(name).unwrap_or_else(|| panic!("{name} not available"));
        assert_eq!(p.name, name);
        assert_eq!(p.file, e["file"].as_str().unwrap(), "{name}: file");
        assert_eq!(p.kind.as_str(), e["kind"].as_str().unwrap(), "{name}: kind");
        assert_eq!(
            p.fragment,
            e["fragment"].as_bool().unwrap(),
            "{name}: fragment"
        );
        assert_eq!(p.source, e["source"].as_str().unwrap(), "{name}: source");
        let bytes = std::fs::read(corpus().join(p.file)).unwrap();
        assert_eq!(
            p.text.as_bytes(),
            bytes.as_slice(),
            "{name}: text differs from the file"
        );
    }
    assert_eq!(policies::all().len(), index.len());
    assert!(policies::policy("managed-NoSuchPolicy").is_none());
}

#[test]
fn defective_entries_fail_to_parse_and_the_others_parse() {
    for e in index() {
        let name = e["name"].as_str().unwrap();
        // `strict_json` is false exactly for entries with a syntax or fragment defect; the
        // other defect categories (malformed ARN, `arn:aw:` typo, Sid characters) are for
        // validation, not for reading the document.
        let defective = !e["strict_json"].as_bool().unwrap();
        let p = policies::policy(name).unwrap();
        match (&p.parsed, defective) {
            (Ok(_), false) | (Err(_), true) => {}
            (Ok(_), true) => panic!("{name} is defective but parses"),
            (Err(d), false) => panic!("{name} should parse: {}", d[0]),
        }
    }
}

#[test]
fn kinds_map_to_policy_kinds() {
    use iamcr_policy::PolicyKind;
    let trust = policies::policy("seed-000-read-data-trust").unwrap();
    assert_eq!(trust.kind.policy_kind(), Some(PolicyKind::Trust));
    let element = policies::policy("seed-001-action-element").unwrap();
    assert_eq!(element.kind.policy_kind(), None);
    let managed = policies::policy("managed-AWSCleanRoomsMLFullAccess").unwrap();
    assert_eq!(managed.kind.policy_kind(), Some(PolicyKind::Identity));
    assert!(managed.source.contains("AWSCleanRoomsMLFullAccess"));
}
