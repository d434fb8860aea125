//! The checked-in evaluation cases (`corpus/cases/eval`) as queries, read with the case
//! format's own types (`iamcr_case`).

use iamcr_case::EvalCase;
use iamcr_oracle::Query;
use std::path::PathBuf;

/// The evaluation cases of `corpus/cases/eval/*.json`, as `(id, query)`, in file order.
pub fn queries() -> Vec<(String, Query)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/cases/eval");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let cases: Vec<EvalCase> = if text.trim_start().starts_with('[') {
            serde_json::from_str(&text).unwrap()
        } else {
            vec![serde_json::from_str(&text).unwrap()]
        };
        assert!(!cases.is_empty(), "{} holds no case", f.display());
        out.extend(cases.iter().map(|c| (c.id.clone(), Query::from_case(c))));
    }
    assert!(
        !out.is_empty(),
        "{} holds no evaluation case",
        dir.display()
    );
    out
}
