//! Helpers shared by the integration tests: the policy corpus, the number of proptest cases,
//! edits of corpus policies (`mutate`) and policies built in code (`policy_gen`).

#![allow(dead_code, reason = "each test crate uses a different subset")]

pub mod mutate;
pub mod policy_gen;

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// The policy corpus, read once per test binary.
pub static CORPUS: LazyLock<Vec<CorpusFile>> = LazyLock::new(corpus);

/// One corpus file: its path relative to `corpus/policies` and its exact bytes.
#[derive(Debug, Clone)]
pub struct CorpusFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl CorpusFile {
    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.bytes).expect("corpus files are UTF-8")
    }
}

/// `corpus/policies` of the workspace.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/policies")
}

/// Every policy of `corpus/policies/**/*.json` (not `index.json`, which describes them), sorted
/// by path so that generated cases are reproducible.
pub fn corpus() -> Vec<CorpusFile> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("corpus directory is readable") {
            let path = entry.expect("corpus entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    let root = corpus_dir();
    let mut paths = Vec::new();
    walk(&root, &mut paths);
    paths.sort();
    let files: Vec<CorpusFile> = paths
        .into_iter()
        .filter(|p| {
            p.parent() != Some(root.as_path()) || p.file_name() != Some("index.json".as_ref())
        })
        .map(|p| CorpusFile {
            name: p
                .strip_prefix(&root)
                .expect("inside the corpus")
                .to_string_lossy()
                .replace('\\', "/"),
            bytes: std::fs::read(&p).expect("corpus file is readable"),
        })
        .collect();
    assert!(
        files.len() >= 20,
        "expected the policy corpus in {}, found {} files",
        root.display(),
        files.len()
    );
    files
}

/// Proptest cases per property: `PROPTEST_CASES` when set, otherwise `default`.
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}
