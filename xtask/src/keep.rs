//! The one rule for every file a command writes (`gen --out`, `simulate`'s findings,
//! `simulate --live --record`): **nothing a user has is replaced unless they ask.** A file is
//! written where no file is, or left alone where the same bytes already are (a rerun with the
//! same seed writes nothing new); a file with other content is replaced only with `--force`.
//! Without it the command refuses before it writes anything, naming the file — so a refused
//! run leaves the folder as it was. See the README ("Files the commands write").

use std::path::{Path, PathBuf};

/// What [`write_all`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Files that did not exist.
    pub created: usize,
    /// Files that already held exactly these bytes (left alone).
    pub unchanged: usize,
    /// Files with other content, replaced (only with `--force`).
    pub replaced: usize,
}

/// The files of `paths` that exist (refusal checks before any work is done, where the
/// content is not known yet).
pub fn existing<'a>(paths: impl IntoIterator<Item = &'a Path>) -> Vec<PathBuf> {
    paths
        .into_iter()
        .filter(|p| p.exists())
        .map(Path::to_path_buf)
        .collect()
}

/// The refusal sentence for files that would be replaced.
pub fn refusal(taken: &[PathBuf], what: &str) -> String {
    let first = taken
        .first()
        .map_or(String::new(), |p| p.display().to_string());
    let more = match taken.len() {
        0 | 1 => String::new(),
        n => format!(" (and {} more)", n - 1),
    };
    format!(
        "refusing to replace {first}{more}: it holds other content than {what}; pass --force to \
         replace it, or write somewhere else"
    )
}

/// Write `files` (path, text) under the rule above: first check every file, then write.
pub fn write_all(files: &[(PathBuf, String)], force: bool, what: &str) -> Result<Written, String> {
    let mut written = Written::default();
    let mut todo = Vec::new();
    let mut taken = Vec::new();
    for (path, text) in files {
        match std::fs::read(path) {
            Ok(old) if old == text.as_bytes() => written.unchanged += 1,
            Ok(_) => {
                taken.push(path.clone());
                todo.push((path, text, true));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => todo.push((path, text, false)),
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        }
    }
    if !taken.is_empty() && !force {
        return Err(refusal(&taken, what));
    }
    for (path, text, replace) in todo {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        if replace {
            written.replaced += 1;
        } else {
            written.created += 1;
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("iamcr-keep-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn other_content_is_kept_unless_forced_and_nothing_is_written_on_refusal() {
        let d = dir("rule");
        let mine = d.join("a.json");
        std::fs::write(&mine, "the user's file").unwrap();
        let same = d.join("b.json");
        std::fs::write(&same, "b\n").unwrap();
        let files = vec![
            (d.join("new.json"), "new\n".to_string()),
            (same.clone(), "b\n".to_string()),
            (mine.clone(), "a\n".to_string()),
        ];
        let e = write_all(&files, false, "these cases").unwrap_err();
        assert!(e.contains("a.json") && e.contains("--force"), "{e}");
        assert_eq!(std::fs::read_to_string(&mine).unwrap(), "the user's file");
        assert!(!d.join("new.json").exists(), "a refused run wrote a file");
        let w = write_all(&files, true, "these cases").unwrap();
        assert_eq!(
            w,
            Written {
                created: 1,
                unchanged: 1,
                replaced: 1
            }
        );
        assert_eq!(std::fs::read_to_string(&mine).unwrap(), "a\n");
        // The same bytes again: nothing to refuse, nothing written.
        let w = write_all(&files, false, "these cases").unwrap();
        assert_eq!(w.unchanged, 3);
    }
}
