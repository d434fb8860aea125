//! Where the project's own folders are: `corpus/`, `findings/`, `fuzz/`, `.iamcr/` are
//! resolved from the workspace root whatever folder a command is run from, so that
//! `cd crates && cargo xtask simulate` checks the same corpus as from the root and
//! `cargo xtask fuzz` never writes a `crates/fuzz/` (which, `crates/*` being workspace
//! members, would break every cargo command). Paths a user types stay relative to the
//! folder they typed them in: only the defaults go through [`path`].

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The workspace root as written in paths shown to the user: relative to the current folder
/// when the current folder is inside the workspace (`` at the root, `..` from `crates/`),
/// else absolute. Shown paths stay as short as the ones a user would type.
pub fn root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let absolute = absolute_root();
        std::env::current_dir()
            .ok()
            .and_then(|cwd| relative_to(&absolute, &cwd))
            .unwrap_or(absolute)
    })
}

/// A project path (`corpus/cases`, `findings`, …) from the workspace root.
pub fn path(relative: &str) -> PathBuf {
    root().join(relative)
}

/// The workspace root as a folder to run a child process in (`.` rather than the empty path).
pub fn dir() -> &'static Path {
    let root = root();
    if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    }
}

/// The workspace root, absolute. xtask's manifest is `<root>/xtask/Cargo.toml`, and cargo
/// builds the binary from that checkout (the usual xtask convention), so the root is known
/// when the binary is compiled.
fn absolute_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.parent().unwrap_or(manifest);
    // Canonical, so that it compares with the current folder (which the OS gives resolved).
    root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
}

/// `target` relative to `from` when `from` is `target` or inside it: `` or `../..`.
fn relative_to(target: &Path, from: &Path) -> Option<PathBuf> {
    let from = from.canonicalize().ok()?;
    let below = from.strip_prefix(target).ok()?;
    Some(below.components().map(|_| Path::new("..")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_holds_the_workspace_manifest_and_the_corpus() {
        let manifest = std::fs::read_to_string(absolute_root().join("Cargo.toml")).unwrap();
        assert!(manifest.contains("[workspace]"), "{manifest}");
        assert!(absolute_root().join("corpus/cases").is_dir());
    }

    #[test]
    fn the_root_is_shown_relative_from_inside_the_workspace() {
        let root = absolute_root();
        assert_eq!(relative_to(&root, &root), Some(PathBuf::new()));
        assert_eq!(
            relative_to(&root, &root.join("crates/policy")),
            Some(PathBuf::from("../.."))
        );
        assert_eq!(relative_to(&root.join("xtask"), &root), None);
        assert_eq!(
            PathBuf::new().join("corpus/cases"),
            Path::new("corpus/cases")
        );
    }
}
