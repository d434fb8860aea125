//! `cargo xtask fuzz [--time S] [--target T]... [--asan] [-- LIBFUZZER_FLAGS]`: run every fuzz
//! target briefly (stable toolchain, no sanitizer, unless `--asan`), with the checked-in seeds,
//! and report executions per second, coverage and corpus size per target.

use crate::fuzz_watch as watch;
use std::process::{Command, ExitCode};

/// How one target is built and run.
pub struct Target {
    pub name: &'static str,
    /// Largest input libFuzzer generates (bytes) unless `--max-len` says otherwise.
    pub max_len: usize,
    /// Whether integer comparisons are instrumented (`-sanitizer-coverage-trace-compares`).
    pub trace_compares: bool,
    /// libFuzzer flags of this target's runs, before any the user adds (a later flag wins).
    pub flags: &'static [&'static str],
}

/// The targets, in the order they run, and how each is built.
///
/// `parse_policy` reads text. libFuzzer uses 1- and 2-byte comparisons only for its value
/// profile (off by default) and 4-/8-byte ones for integer dictionaries, which do not help a
/// text reader; string comparisons (`memcmp`) are traced either way. Without the comparison
/// hooks the target runs about 1.7× faster (see `fuzz/README.md`). Its inputs are capped at
/// 2,048 bytes, the role trust policy and session policy quota: libFuzzer's own default
/// (4,096, or the largest seed) halves the throughput. The larger quotas are unit-tested, and
/// larger policies are the `roundtrip` target's.
/// The other targets decode structured values with `arbitrary`, where integer comparisons
/// are what guides the fuzzer, so they keep the hooks.
///
/// `parse_policy` keeps libFuzzer's entropic schedule but scales each input's share by how
/// fast it runs (`-entropic_scale_per_exec_time=1`, as FuzzBench runs libFuzzer). Plain
/// entropic spends its mutations on the inputs that reach rare features, which here are the
/// slow ones, and the rate falls by a third or more within minutes. In an hour from the seeds
/// (three schedules side by side, `fuzz/README.md`) the scaled one ran 16 % more inputs and
/// ended with the most `cov` (2,775 vs 2,764) and `ft` within 0.4 %; `-entropic=0` found the
/// fewest features. The price: a run is no longer repeatable with `-seed` (a finding still
/// replays from its artifact). The other targets are unmeasured and keep the defaults.
pub const TARGETS: &[Target] = &[
    Target {
        name: "parse_policy",
        max_len: 2048,
        trace_compares: false,
        flags: &["-entropic_scale_per_exec_time=1"],
    },
    Target {
        name: "wildcard_vs_regex",
        max_len: 4096,
        trace_compares: true,
        flags: &[],
    },
    Target {
        name: "roundtrip",
        max_len: 4096,
        trace_compares: true,
        flags: &[],
    },
    Target {
        name: "eval_invariants",
        max_len: 4096,
        trace_compares: true,
        flags: &[],
    },
    Target {
        name: "condition_vs_reference",
        max_len: 4096,
        trace_compares: true,
        flags: &[],
    },
];

/// The cargo-fuzz flags that build `target` the way it is meant to run: a build without
/// comparison hooks gets its own target directory, so that switching between targets does not
/// rebuild everything.
pub fn build_flags(target: &Target) -> Vec<&'static str> {
    if target.trace_compares {
        Vec::new()
    } else {
        vec![
            "--no-trace-compares",
            "--target-dir",
            "target/fuzz-no-trace-compares",
        ]
    }
}

/// Arguments of `fuzz`.
#[derive(clap::Args)]
pub struct Args {
    /// Seconds per target.
    #[arg(long, default_value_t = 20)]
    time: u64,
    /// Only these targets (repeatable).
    #[arg(long = "target")]
    targets: Vec<String>,
    /// Use nightly with AddressSanitizer instead of stable without a sanitizer.
    #[arg(long)]
    asan: bool,
    /// Largest input libFuzzer generates (bytes); by default each target's own
    /// (2,048 for `parse_policy`, 4,096 for the others).
    #[arg(long)]
    max_len: Option<usize>,
    /// Seconds between progress lines while a target runs (runs, exec/s, cov, ft, corpus,
    /// from libFuzzer's status lines).
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    progress_every: u64,
    /// More libFuzzer flags, after `--` (for example `-- -entropic_scale_per_exec_time=0`);
    /// they come after the target's own, so they win. libFuzzer runs in the workspace root, so
    /// a path in a flag is read from there.
    #[arg(last = true)]
    libfuzzer_flags: Vec<String>,
}

/// The cargo that runs xtask (`cargo xtask` sets `CARGO`), else `cargo` on the PATH.
fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

pub fn run(args: Args) -> ExitCode {
    let targets = match preflight(&args) {
        Ok(t) => t,
        Err(sentence) => {
            errln!("error: {sentence}");
            return ExitCode::from(2);
        }
    };
    let mut failed = Vec::new();
    for config in targets {
        match fuzz_one(&args, config) {
            Ok(true) => {}
            Ok(false) => failed.push(config.name),
            Err(code) => return code,
        }
    }
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        errln!("fuzz targets failed: {}", failed.join(", "));
        ExitCode::FAILURE
    }
}

/// cargo-fuzz is there, the targets named exist, the flags after `--` are flags, and an
/// interrupt is caught: the targets to run, or why not (one sentence).
fn preflight(args: &Args) -> Result<Vec<&'static Target>, String> {
    let have_fuzz = Command::new(cargo())
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_fuzz {
        return Err("cargo-fuzz is not installed; install it with \
             `cargo install cargo-fuzz --version 0.13.2 --locked`"
            .to_string());
    }
    let targets = selected(&args.targets)?;
    // libFuzzer reads an argument without a leading `-` as a corpus folder (and writes into
    // it), so such an argument here is a mistake, not a flag.
    if let Some(bad) = args.libfuzzer_flags.iter().find(|f| !f.starts_with('-')) {
        return Err(format!(
            "`{bad}` after `--` is not a libFuzzer flag (they look like -name=value)"
        ));
    }
    watch::catch_interrupt().map_err(|e| e.to_string())?;
    Ok(targets)
}

/// The targets named (all when none is).
fn selected(names: &[String]) -> Result<Vec<&'static Target>, String> {
    if names.is_empty() {
        return Ok(TARGETS.iter().collect());
    }
    names
        .iter()
        .map(|name| {
            TARGETS.iter().find(|t| t.name == name).ok_or_else(|| {
                let known: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
                format!(
                    "no fuzz target `{name}`; the targets are {}",
                    known.join(", ")
                )
            })
        })
        .collect()
}

/// Fuzz one target: `Ok(true)` when it finished or found nothing, `Ok(false)` when it
/// failed, `Err` with the exit code when the run must stop (an error, an interrupt).
fn fuzz_one(args: &Args, config: &Target) -> Result<bool, ExitCode> {
    let target = config.name;
    let max_len = args.max_len.unwrap_or(config.max_len);
    // cargo fuzz runs in the workspace root (it finds `fuzz/` from there), so its paths
    // are written from the root; this process checks them from the current folder.
    let work = format!("fuzz/corpus/{target}");
    if let Err(e) = std::fs::create_dir_all(crate::project::path(&work)) {
        errln!(
            "error: cannot create {}: {e}",
            crate::project::path(&work).display()
        );
        return Err(ExitCode::from(2));
    }
    let flags: Vec<&str> = config
        .flags
        .iter()
        .copied()
        .chain(args.libfuzzer_flags.iter().map(String::as_str))
        .collect();
    let cmd = fuzz_command(args, config, &work, max_len, &flags);
    let shown = if flags.is_empty() {
        String::new()
    } else {
        format!(", {}", flags.join(" "))
    };
    outln!("== {target} ({} s, max_len {max_len}{shown})", args.time);
    errln!(
        "   building with cargo-fuzz (a first build instruments the workspace: minutes), \
         then fuzzing; a progress line every {}",
        watch::duration(args.progress_every)
    );
    let every = std::time::Duration::from_secs(args.progress_every);
    let run = watch::run(cmd, every).map_err(|e| {
        errln!("error: cannot run cargo fuzz: {e}");
        ExitCode::from(2)
    })?;
    let summary = summary(&run, &work);
    match run.ending {
        watch::Ending::Finished => outln!("   ok: {summary}"),
        watch::Ending::Interrupted => {
            outln!(
                "   interrupted after {}: {summary}",
                watch::duration(run.seconds)
            );
            errln!("interrupted: the targets after {target} did not run");
            return Err(ExitCode::from(130));
        }
        watch::Ending::Failed => {
            // Show what libFuzzer said about the failure (the artifact path and input).
            let tail = run.tail.len().saturating_sub(40);
            for line in &run.tail[tail..] {
                errln!("   {line}");
            }
            return Ok(false);
        }
    }
    Ok(true)
}

/// `cargo fuzz run` for one target, in the workspace root: its work corpus, its checked-in
/// seeds when there are any, the dictionary, and the flags.
fn fuzz_command(
    args: &Args,
    config: &Target,
    work: &str,
    max_len: usize,
    flags: &[&str],
) -> Command {
    let seeds = format!("corpus/fuzz/{}", config.name);
    let mut cmd = Command::new(cargo());
    cmd.current_dir(crate::project::dir());
    if args.asan {
        cmd.args(["+nightly", "fuzz", "run", "-O"]);
    } else {
        cmd.args(["fuzz", "run", "-s", "none", "-O"]);
    }
    cmd.args(build_flags(config)).arg(config.name);
    cmd.arg(work);
    if crate::project::path(&seeds).is_dir() {
        cmd.arg(&seeds);
    }
    cmd.arg("--")
        .arg(format!("-max_total_time={}", args.time))
        .arg(format!("-max_len={max_len}"))
        .arg("-dict=fuzz/dict/iam.dict")
        .arg("-print_final_stats=1")
        .args(flags);
    cmd
}

/// One line for a run: runs, exec/s, cov, corpus — libFuzzer's final statistics where it
/// printed them (they count to the end), else its last status line.
fn summary(run: &watch::Run, work: &str) -> String {
    let Some(last) = &run.last else {
        return "libFuzzer did not start".to_string();
    };
    let runs = run.stat("number_of_executed_units").unwrap_or(last.runs);
    let rate = run
        .stat("average_exec_per_sec")
        .unwrap_or(last.exec_per_sec);
    let build = run.build_seconds.map_or(String::new(), |b| {
        format!(" (after {} of building)", watch::duration(b))
    });
    format!(
        "{} runs, {} exec/s, cov {}, ft {}, corpus {}{build}; new inputs in {work}/",
        watch::thousands(runs),
        watch::thousands(rate),
        watch::thousands(last.cov),
        watch::thousands(last.ft),
        last.corpus
    )
}
