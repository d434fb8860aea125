//! The commands' output. Everything a command prints goes through [`outln!`]/[`out!`]
//! (stdout) or [`errln!`] (stderr), never `println!`: Rust ignores SIGPIPE, so a reader that
//! stops reading (`cargo xtask lint … | head -1`) turns the next write into an EPIPE error,
//! which `println!` turns into a panic (exit 101). Here a closed stdout is a normal end: the
//! process exits at once with status 0, as if it had been read to the end (the reader has
//! what it asked for; files a command writes are written before its report is printed).
//! The crate denies `clippy::print_stdout` and `clippy::print_stderr` so that no
//! `println!` comes back.

#![allow(
    clippy::print_stderr,
    reason = "the one place that writes to stderr directly: when stderr itself fails there is nowhere else"
)]

use std::io::{self, Write};

/// Write to stdout; a closed pipe ends the process with status 0, any other write error
/// with status 2 and a sentence on stderr.
pub fn stdout(args: std::fmt::Arguments<'_>) {
    let mut out = io::stdout().lock();
    if let Err(e) = out.write_fmt(args) {
        if e.kind() == io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        stderr(format_args!("error: cannot write the output: {e}\n"));
        std::process::exit(2);
    }
}

/// Write to stderr. A closed or failing stderr (`2>&1 | head -1`) cannot be told about
/// anything, so its errors are dropped and the command goes on to its exit status.
pub fn stderr(args: std::fmt::Arguments<'_>) {
    let _ = io::stderr().lock().write_fmt(args);
}

/// Like `print!`, through [`stdout`].
macro_rules! out {
    ($($arg:tt)*) => { $crate::out::stdout(format_args!($($arg)*)) };
}

/// Like `println!`, through [`stdout`].
macro_rules! outln {
    () => { $crate::out::stdout(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::out::stdout(format_args!("{}\n", format_args!($($arg)*))) };
}

/// Like `eprintln!`, through [`stderr`].
macro_rules! errln {
    () => { $crate::out::stderr(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::out::stderr(format_args!("{}\n", format_args!($($arg)*))) };
}

/// Paths a user gave, for a message: `a, b`.
pub fn paths(paths: &[std::path::PathBuf]) -> String {
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    shown.join(", ")
}

/// A progress bar on stderr for `len` steps of `what`: drawn only when stderr is a terminal
/// (never in pipes, logs or CI), and cleared when dropped, so that an early return or an
/// error never leaves a half-drawn bar above the message.
pub fn progress(len: u64, what: &str) -> indicatif::ProgressBar {
    let target = if io::IsTerminal::is_terminal(&io::stderr()) {
        indicatif::ProgressDrawTarget::stderr()
    } else {
        indicatif::ProgressDrawTarget::hidden()
    };
    let style = indicatif::ProgressStyle::with_template(&format!(
        "{{spinner}} {what} {{pos}}/{{len}} [{{bar:30}}] {{per_sec}} {{eta}}"
    ))
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    indicatif::ProgressBar::with_draw_target(Some(len), target)
        .with_style(style)
        .with_finish(indicatif::ProgressFinish::AndClear)
}
