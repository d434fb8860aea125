//! Two things cargo-fuzz cannot be told:
//!
//! 1. Whether the targets are built with a sanitizer: cargo-fuzz passes `-Zsanitizer=…` /
//!    `-Csanitizer=…` in the rustflags, and there is no stable `cfg` for it. Sanitizer builds
//!    keep the system allocator, which AddressSanitizer replaces with its own checking one;
//!    see `src/lib.rs`.
//! 2. Where the seeds are. `cargo fuzz run <target>` with no corpus folder reads and writes
//!    cargo-fuzz's default, `fuzz/corpus/<target>/` (git ignores it: libFuzzer writes its
//!    findings there). The checked-in seeds live in `corpus/fuzz/<target>/`, so every build
//!    copies into the default folder each seed it does not hold yet (never replacing a file),
//!    and the plain command starts from the seeds too. A symlink would make libFuzzer write
//!    its inputs into the checked-in folder.

use std::path::Path;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(fuzz_sanitizer)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=CARGO_ENCODED_RUSTFLAGS");
    let flags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    if flags.split('\u{1f}').any(|f| f.contains("sanitizer=")) {
        println!("cargo::rustc-cfg=fuzz_sanitizer");
    }
    // cargo-fuzz builds with `--cfg fuzzing`; workspace builds (clippy, test) leave the
    // source tree alone.
    if flags
        .split('\u{1f}')
        .any(|f| f == "fuzzing" || f == "--cfg=fuzzing")
    {
        seed_default_corpora();
    }
}

/// Copy `corpus/fuzz/<target>/*` into `fuzz/corpus/<target>/` where missing. A failure is a
/// warning: the targets still build, and `cargo xtask fuzz` passes both folders anyway.
fn seed_default_corpora() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = fuzz.join("../corpus/fuzz");
    // A new seed changes its folder's modification time, and so does a target folder created
    // or deleted in `fuzz/corpus/` (a missing `fuzz/corpus/` makes cargo run this script
    // too); the inputs libFuzzer adds inside a target's folder do not, so fuzzing does not
    // rebuild the targets.
    println!("cargo::rerun-if-changed={}", seeds.display());
    println!("cargo::rerun-if-changed={}", fuzz.join("corpus").display());
    let Ok(targets) = std::fs::read_dir(&seeds) else {
        return;
    };
    for target in targets.flatten().filter(|e| e.path().is_dir()) {
        let from = target.path();
        let to = fuzz.join("corpus").join(target.file_name());
        println!("cargo::rerun-if-changed={}", from.display());
        if let Err(e) = copy_missing(&from, &to) {
            println!(
                "cargo::warning=could not copy the seeds of {} into {}: {e}",
                from.display(),
                to.display()
            );
        }
    }
}

fn copy_missing(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for seed in std::fs::read_dir(from)?.flatten() {
        let target = to.join(seed.file_name());
        if seed.path().is_file() && !target.exists() {
            std::fs::copy(seed.path(), target)?;
        }
    }
    Ok(())
}
