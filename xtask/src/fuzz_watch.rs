//! One fuzzing run in view. cargo-fuzz's build output passes through (a first build compiles
//! the workspace with coverage instrumentation for minutes); libFuzzer's status lines become
//! one progress line every `--progress-every` seconds (runs, exec/s, cov, ft, corpus); and
//! Ctrl-C (SIGINT) is caught, forwarded to the child's process group so that libFuzzer stops
//! the way it does on Ctrl-C — printing its final statistics — and the run is summed up from
//! them. The child runs in its own process group so that the signal reaches it once, from
//! here, whether it came from the terminal or from `kill -INT`.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Set by the SIGINT handler.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Catch SIGINT for the rest of the process: xtask stays alive to forward it and report.
pub fn catch_interrupt() -> Result<(), String> {
    ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst))
        .map_err(|e| format!("cannot catch Ctrl-C: {e}"))
}

/// Whether Ctrl-C was pressed (or SIGINT sent).
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// One libFuzzer status line:
/// `#379393\tpulse  cov: 2017 ft: 6839 corp: 1101/1883Kb lim: 2048 exec/s: 12238 rss: 39Mb`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Status {
    /// Inputs run so far.
    pub runs: u64,
    /// Coverage points.
    pub cov: u64,
    /// Features.
    pub ft: u64,
    /// Corpus size, as libFuzzer writes it (`1101/1883Kb`).
    pub corpus: String,
    /// Inputs per second.
    pub exec_per_sec: u64,
}

/// Read a status line; `None` for anything else.
pub fn parse_status(line: &str) -> Option<Status> {
    let rest = line.trim_start().strip_prefix('#')?;
    let words: Vec<&str> = rest.split_whitespace().collect();
    let runs = words.first()?.parse().ok()?;
    let after = |key: &str| {
        words
            .iter()
            .position(|w| *w == key)
            .and_then(|i| words.get(i + 1))
            .copied()
    };
    let number = |key: &str| after(key).and_then(|w| w.parse().ok());
    Some(Status {
        runs,
        cov: number("cov:")?,
        ft: number("ft:").unwrap_or(0),
        corpus: after("corp:").unwrap_or_default().to_string(),
        exec_per_sec: number("exec/s:").unwrap_or(0),
    })
}

/// A `-print_final_stats=1` line: `stat::number_of_executed_units: 1234` → (name, value).
pub fn parse_final_stat(line: &str) -> Option<(String, u64)> {
    let (name, value) = line.trim().strip_prefix("stat::")?.split_once(':')?;
    Some((name.trim().to_string(), value.trim().parse().ok()?))
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// It ran its time (status 0).
    Finished,
    /// It stopped on its own with a failure: a finding, or a build error.
    Failed,
    /// Ctrl-C: forwarded, and libFuzzer stopped.
    Interrupted,
}

/// What a run did.
#[derive(Debug)]
pub struct Run {
    /// How it ended.
    pub ending: Ending,
    /// The last status line.
    pub last: Option<Status>,
    /// libFuzzer's final statistics (`stat::…`), when it printed them.
    pub final_stats: Vec<(String, u64)>,
    /// The last lines of output, for a failure.
    pub tail: Vec<String>,
    /// Seconds of building before libFuzzer started, if it started.
    pub build_seconds: Option<u64>,
    /// Seconds from the start to the end.
    pub seconds: u64,
}

impl Run {
    /// A final statistic by name (`number_of_executed_units`, `average_exec_per_sec`, …).
    pub fn stat(&self, name: &str) -> Option<u64> {
        self.final_stats
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `3725` → `1h02m05s`.
pub fn duration(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}h{m:02}m{s:02}s")
    } else if m > 0 {
        format!("{m}m{s:02}s")
    } else {
        format!("{s}s")
    }
}

/// The progress line for a status.
pub fn progress_line(elapsed: u64, s: &Status) -> String {
    format!(
        "   [{}] {} runs, {} exec/s, cov {}, ft {}, corpus {}",
        duration(elapsed),
        thousands(s.runs),
        thousands(s.exec_per_sec),
        thousands(s.cov),
        thousands(s.ft),
        s.corpus
    )
}

/// Lines of cargo's build output worth showing while nothing else moves.
fn is_build_line(line: &str) -> bool {
    let t = line.trim_start();
    [
        "Compiling",
        "Finished",
        "Building",
        "error",
        "warning: unused",
    ]
    .iter()
    .any(|p| t.starts_with(p))
}

/// Send each line of `from` to `to`.
fn pump(from: impl Read + Send + 'static, to: mpsc::Sender<String>) {
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines() {
            let Ok(line) = line else { break };
            if to.send(line).is_err() {
                break;
            }
        }
    });
}

/// Send SIGINT to the process group `pgid` (the child leads its own group).
fn forward_interrupt(pgid: u32) {
    // `kill` the program: the crate forbids unsafe code, and std cannot send signals.
    let _ = Command::new("kill")
        .args(["-INT", "--", &format!("-{pgid}")])
        .status();
}

/// Run `cmd` in view (see the module documentation); `every` is the progress interval.
pub fn run(mut cmd: Command, every: Duration) -> std::io::Result<Run> {
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(Stdio::null())
        .process_group(0);
    let start = Instant::now();
    let mut child = cmd.spawn()?;
    let (tx, rx) = mpsc::channel();
    if let Some(out) = child.stdout.take() {
        pump(out, tx.clone());
    }
    if let Some(err) = child.stderr.take() {
        pump(err, tx);
    }
    let mut tail: VecDeque<String> = VecDeque::new();
    let mut last: Option<Status> = None;
    let mut final_stats = Vec::new();
    let mut fuzzing: Option<Instant> = None;
    let mut next_progress = start + every;
    let mut forwarded = false;
    loop {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => {
                if let Some(s) = parse_status(&line) {
                    if fuzzing.is_none() {
                        fuzzing = Some(Instant::now());
                        next_progress = Instant::now() + every;
                    }
                    last = Some(s);
                } else if let Some(stat) = parse_final_stat(&line) {
                    final_stats.push(stat);
                } else if fuzzing.is_none() && is_build_line(&line) {
                    errln!("   {}", line.trim());
                }
                tail.push_back(line);
                if tail.len() > 60 {
                    tail.pop_front();
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        if interrupted() && !forwarded {
            forward_interrupt(child.id());
            forwarded = true;
        }
        if let (Some(s), Some(_)) = (&last, fuzzing)
            && Instant::now() >= next_progress
        {
            outln!("{}", progress_line(start.elapsed().as_secs(), s));
            next_progress += every;
        }
    }
    let status = child.wait()?;
    let ending = if forwarded || interrupted() {
        Ending::Interrupted
    } else if status.success() {
        Ending::Finished
    } else {
        Ending::Failed
    };
    Ok(Run {
        ending,
        last,
        final_stats,
        tail: tail.into(),
        build_seconds: fuzzing.map(|f| f.duration_since(start).as_secs()),
        seconds: start.elapsed().as_secs(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_and_final_lines_are_read() {
        let s = parse_status(
            "#379393\tpulse  cov: 2017 ft: 6839 corp: 1101/1883Kb lim: 2048 exec/s: 12238 rss: 39Mb",
        )
        .unwrap();
        assert_eq!(
            s,
            Status {
                runs: 379_393,
                cov: 2017,
                ft: 6839,
                corpus: "1101/1883Kb".into(),
                exec_per_sec: 12_238
            }
        );
        assert_eq!(
            parse_status("#2\tINITED cov: 5 ft: 6 corp: 1/1b exec/s: 0 rss: 30Mb")
                .unwrap()
                .runs,
            2
        );
        assert_eq!(parse_status("INFO: Seed: 12345"), None);
        assert_eq!(parse_status("#include <x>"), None);
        assert_eq!(
            parse_final_stat("stat::number_of_executed_units: 4242"),
            Some(("number_of_executed_units".into(), 4242))
        );
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(duration(3725), "1h02m05s");
        assert_eq!(duration(65), "1m05s");
    }
}
