//! The harness side of the engine protocol: an engine process, its pipes and the threads
//! that keep every wait bounded.
//!
//! A reader thread turns the engine's stdout into lines on a channel, a writer thread feeds
//! its stdin, and a third keeps the end of its stderr; the harness only ever waits on the
//! channel, with a timeout. So an engine that hangs, stops reading, dies or writes garbage
//! is an [`EngineError`] naming the case, never a hang. Requests are pipelined (up to
//! [`WINDOW`] in flight); answers must come in request order.

use super::protocol::{EngineFirstLine, Handshake, HarnessLine, Hello, PROTOCOL, Reply, evaluate};
use crate::query::Query;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Requests in flight at most: enough to keep a pipe full, few enough to bound memory.
pub const WINDOW: usize = 256;
/// Bytes of the engine's stderr kept for a crash report.
const STDERR_TAIL: usize = 2000;
/// A line longer than this is garbage: no reply is this long, and a runaway engine must not
/// fill the harness's memory.
const MAX_LINE: usize = 16 << 20;
/// Fatal errors in a row after which the remaining requests of a call are not asked.
const MAX_RESTARTS: usize = 3;

/// A protocol failure; every variant that concerns a request names its case.
#[derive(Debug, Clone, PartialEq)]
pub enum EngineError {
    /// The command could not be started.
    Spawn {
        /// The command.
        engine: String,
        /// Why.
        error: String,
    },
    /// The engine's first line was not a handshake.
    Handshake {
        /// The command.
        engine: String,
        /// What came instead.
        detail: String,
    },
    /// The engine speaks another protocol version.
    ProtocolVersion {
        /// The command.
        engine: String,
        /// Its version.
        engine_protocol: u64,
    },
    /// No answer within the timeout.
    Timeout {
        /// The command.
        engine: String,
        /// The case whose answer was due.
        case: String,
        /// The timeout.
        seconds: f64,
    },
    /// The engine closed its output (exited) before answering.
    Crashed {
        /// The command.
        engine: String,
        /// The case whose answer was due.
        case: String,
        /// Its exit status, when known.
        status: String,
        /// The end of its stderr.
        stderr: String,
    },
    /// A line that is not a reply.
    Garbage {
        /// The command.
        engine: String,
        /// The case whose answer was due.
        case: String,
        /// Why it is not a reply.
        error: String,
        /// The line (its start).
        line: String,
    },
    /// A reply naming another request than the one whose answer was due.
    OutOfOrder {
        /// The command.
        engine: String,
        /// The case whose answer was due.
        case: String,
        /// The id the reply named.
        got: String,
    },
    /// Not asked, because the engine failed before (too often in a row).
    NotAsked {
        /// The case.
        case: String,
        /// The failure that stopped the run.
        cause: String,
    },
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EngineError::Spawn { engine, error } => {
                write!(f, "cannot start engine `{engine}`: {error}")
            }
            EngineError::Handshake { engine, detail } => write!(
                f,
                "engine `{engine}` gave no handshake (docs/engine-protocol.md): {detail}"
            ),
            EngineError::ProtocolVersion {
                engine,
                engine_protocol,
            } => write!(
                f,
                "engine `{engine}` speaks engine protocol {engine_protocol}; this harness speaks {PROTOCOL}"
            ),
            EngineError::Timeout {
                engine,
                case,
                seconds,
            } => write!(
                f,
                "case {case}: engine `{engine}` gave no answer within {seconds} s (timeout)"
            ),
            EngineError::Crashed {
                engine,
                case,
                status,
                stderr,
            } => write!(
                f,
                "case {case}: engine `{engine}` exited ({status}) before answering; its stderr ends: {stderr:?}"
            ),
            EngineError::Garbage {
                engine,
                case,
                error,
                line,
            } => write!(
                f,
                "case {case}: engine `{engine}` wrote a line that is not a reply ({error}): {line:?}"
            ),
            EngineError::OutOfOrder { engine, case, got } => write!(
                f,
                "case {case}: engine `{engine}` answered request {got:?} where the answer to {case:?} was due (answers must come in request order)"
            ),
            EngineError::NotAsked { case, cause } => {
                write!(
                    f,
                    "case {case}: not asked, the engine failed before: {cause}"
                )
            }
        }
    }
}

impl std::error::Error for EngineError {}

impl EngineError {
    /// Whether the engine process is unusable after this error.
    fn fatal(&self) -> bool {
        !matches!(self, EngineError::NotAsked { .. })
    }
}

/// What the reader thread saw.
enum Event {
    Line(String),
    Closed,
    Failed(String),
}

/// A running engine process.
struct Running {
    child: Child,
    lines: Receiver<Event>,
    requests: Option<Sender<String>>,
    stderr: Arc<Mutex<VecDeque<u8>>>,
}

impl Running {
    fn stderr_tail(&self) -> String {
        let bytes: Vec<u8> = self
            .stderr
            .lock()
            .map(|b| b.iter().copied().collect())
            .unwrap_or_default();
        String::from_utf8_lossy(&bytes).trim().to_string()
    }

    /// The exit status, waiting briefly: the output closes just before the process ends.
    fn exit_status(&mut self) -> String {
        let until = Instant::now() + Duration::from_millis(500);
        while Instant::now() < until {
            if let Ok(Some(s)) = self.child.try_wait() {
                return s.to_string();
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        "still running, output closed".to_string()
    }

    fn stop(mut self) {
        // Closing stdin is the protocol's end; an engine that does not exit then is killed.
        self.requests = None;
        let until = Instant::now() + Duration::from_millis(300);
        while Instant::now() < until {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An engine command: started on first use, restarted after a fatal error.
pub struct EngineProcess {
    argv: Vec<String>,
    display: String,
    timeout: Duration,
    startup_timeout: Duration,
    running: Option<Running>,
    handshake: Option<Handshake>,
}

impl std::fmt::Debug for EngineProcess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineProcess")
            .field("command", &self.display)
            .field("timeout", &self.timeout)
            .field("handshake", &self.handshake)
            .finish_non_exhaustive()
    }
}

impl EngineProcess {
    /// An engine run by `command` (split like a POSIX shell would, without running one), each
    /// answer awaited at most `timeout`. Starts it and reads its handshake.
    pub fn start(command: &str, timeout: Duration) -> Result<EngineProcess, EngineError> {
        let argv = shlex::split(command)
            .filter(|a| !a.is_empty())
            .ok_or_else(|| EngineError::Spawn {
                engine: command.to_string(),
                error: "not a command (empty, or an unclosed quote)".into(),
            })?;
        let mut p = EngineProcess {
            argv,
            display: command.to_string(),
            timeout,
            startup_timeout: timeout.max(Duration::from_secs(60)),
            running: None,
            handshake: None,
        };
        p.ensure_running()?;
        Ok(p)
    }

    /// The command as given.
    pub fn command(&self) -> &str {
        &self.display
    }

    /// The engine's handshake (from its latest start).
    pub fn handshake(&self) -> Option<&Handshake> {
        self.handshake.as_ref()
    }

    fn ensure_running(&mut self) -> Result<(), EngineError> {
        if self.running.is_some() {
            return Ok(());
        }
        let mut running = self.spawn()?;
        let hello = HarnessLine::Hello(Hello {
            protocol: PROTOCOL,
            harness: format!("iamcr {}", env!("CARGO_PKG_VERSION")),
        });
        if let Some(tx) = &running.requests {
            let _ = tx.send(serde_json::to_string(&hello).unwrap_or_default());
        }
        let handshake = match running.lines.recv_timeout(self.startup_timeout) {
            Ok(Event::Line(line)) => self.read_handshake(&line),
            Ok(Event::Closed) => Err(self.no_handshake(format!(
                "it exited ({}); its stderr ends: {:?}",
                running.exit_status(),
                running.stderr_tail()
            ))),
            Ok(Event::Failed(e)) => Err(self.no_handshake(e)),
            Err(_) => Err(self.no_handshake(format!(
                "nothing within {} s",
                self.startup_timeout.as_secs_f64()
            ))),
        };
        match handshake {
            Ok(h) => {
                self.handshake = Some(h);
                self.running = Some(running);
                Ok(())
            }
            Err(e) => {
                running.stop();
                Err(e)
            }
        }
    }

    fn no_handshake(&self, detail: String) -> EngineError {
        EngineError::Handshake {
            engine: self.display.clone(),
            detail,
        }
    }

    fn read_handshake(&self, line: &str) -> Result<Handshake, EngineError> {
        let value: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| self.no_handshake(format!("not JSON ({e}): {:?}", clip(line))))?;
        // The version is checked before the rest: a future handshake may differ in shape.
        match value.get("protocol").and_then(serde_json::Value::as_u64) {
            Some(v) if v == u64::from(PROTOCOL) => {}
            Some(v) => {
                return Err(EngineError::ProtocolVersion {
                    engine: self.display.clone(),
                    engine_protocol: v,
                });
            }
            None => return Err(self.no_handshake(format!("no protocol version: {:?}", clip(line)))),
        }
        match serde_json::from_value::<EngineFirstLine>(value) {
            Ok(EngineFirstLine::Handshake(h)) => Ok(h),
            Err(e) => Err(self.no_handshake(format!("{e}: {:?}", clip(line)))),
        }
    }

    fn spawn(&self) -> Result<Running, EngineError> {
        let spawn_error = |error: String| EngineError::Spawn {
            engine: self.display.clone(),
            error,
        };
        let (program, args) = self
            .argv
            .split_first()
            .ok_or_else(|| spawn_error("empty command".into()))?;
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| spawn_error(e.to_string()))?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            return Err(spawn_error("no pipes".into()));
        };
        let (line_tx, lines) = channel();
        std::thread::spawn(move || read_lines(stdout, &line_tx));
        let (requests, request_rx) = channel();
        std::thread::spawn(move || write_lines(stdin, &request_rx));
        let tail = Arc::new(Mutex::new(VecDeque::new()));
        let keep = Arc::clone(&tail);
        std::thread::spawn(move || keep_tail(stderr, &keep));
        Ok(Running {
            child,
            lines,
            requests: Some(requests),
            stderr: tail,
        })
    }

    /// Ask every `(case id, query)`; one outcome per item, in order. A fatal error (timeout,
    /// crash, garbage, out of order) is the outcome of the case whose answer was due; the
    /// engine is restarted for the rest, up to [`MAX_RESTARTS`] failures in a row.
    pub fn ask(&mut self, items: &[(String, Query)]) -> Vec<Result<Reply, EngineError>> {
        let mut out: Vec<Result<Reply, EngineError>> = Vec::with_capacity(items.len());
        let mut failures_in_a_row = 0;
        while out.len() < items.len() {
            let rest = &items[out.len()..];
            if failures_in_a_row >= MAX_RESTARTS {
                let cause = out
                    .last()
                    .and_then(|r| r.as_ref().err())
                    .map(|e| e.to_string())
                    .unwrap_or_default();
                out.extend(rest.iter().map(|(case, _)| {
                    Err(EngineError::NotAsked {
                        case: case.clone(),
                        cause: cause.clone(),
                    })
                }));
                break;
            }
            if let Err(e) = self.ensure_running() {
                failures_in_a_row = MAX_RESTARTS;
                out.push(Err(e));
                continue;
            }
            let before = out.len();
            let failed = self.pipeline(rest, &mut out);
            if out.len() > before + 1 || !failed {
                failures_in_a_row = 0;
            }
            if failed {
                failures_in_a_row += 1;
                if let Some(r) = self.running.take() {
                    r.stop();
                }
            }
        }
        out
    }

    /// Send `items` with up to [`WINDOW`] in flight and read their replies into `out`, until
    /// all are answered (false) or a fatal error was pushed (true).
    fn pipeline(
        &mut self,
        items: &[(String, Query)],
        out: &mut Vec<Result<Reply, EngineError>>,
    ) -> bool {
        let mut sent = 0;
        let mut received = 0;
        while received < items.len() {
            while sent < items.len() && sent - received < WINDOW {
                let (case, q) = &items[sent];
                let line =
                    serde_json::to_string(&HarnessLine::Evaluate(Box::new(evaluate(case, q))))
                        .unwrap_or_default();
                if let Some(tx) = self.running.as_ref().and_then(|r| r.requests.as_ref()) {
                    // A closed stdin shows up as the engine's output closing: read on.
                    let _ = tx.send(line);
                }
                sent += 1;
            }
            let case = &items[received].0;
            match self.next_reply(case) {
                Ok(r) => out.push(Ok(r)),
                Err(e) => {
                    let fatal = e.fatal();
                    out.push(Err(e));
                    if fatal {
                        return true;
                    }
                }
            }
            received += 1;
        }
        false
    }

    fn next_reply(&mut self, case: &str) -> Result<Reply, EngineError> {
        let engine = self.display.clone();
        let timeout = self.timeout;
        let Some(running) = self.running.as_mut() else {
            return Err(EngineError::NotAsked {
                case: case.to_string(),
                cause: "the engine is not running".into(),
            });
        };
        let line = match running.lines.recv_timeout(timeout) {
            Ok(Event::Line(line)) => line,
            Ok(Event::Closed) => {
                return Err(EngineError::Crashed {
                    engine,
                    case: case.to_string(),
                    status: running.exit_status(),
                    stderr: running.stderr_tail(),
                });
            }
            Ok(Event::Failed(error)) => {
                return Err(EngineError::Garbage {
                    engine,
                    case: case.to_string(),
                    error,
                    line: String::new(),
                });
            }
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                return Err(EngineError::Timeout {
                    engine,
                    case: case.to_string(),
                    seconds: timeout.as_secs_f64(),
                });
            }
        };
        let reply: Reply = serde_json::from_str(&line).map_err(|e| EngineError::Garbage {
            engine: engine.clone(),
            case: case.to_string(),
            error: e.to_string(),
            line: clip(&line).to_string(),
        })?;
        if reply.id() != case {
            return Err(EngineError::OutOfOrder {
                engine,
                case: case.to_string(),
                got: reply.id().to_string(),
            });
        }
        Ok(reply)
    }
}

impl Drop for EngineProcess {
    fn drop(&mut self) {
        if let Some(r) = self.running.take() {
            r.stop();
        }
    }
}

/// The start of a line, for messages.
fn clip(line: &str) -> &str {
    let end = line
        .char_indices()
        .map(|(i, _)| i)
        .nth(200)
        .unwrap_or(line.len());
    &line[..end]
}

fn read_lines(stdout: impl Read, tx: &Sender<Event>) {
    let mut reader = BufReader::new(stdout);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match (&mut reader)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut buf)
        {
            Ok(0) => {
                let _ = tx.send(Event::Closed);
                return;
            }
            Ok(_) if buf.len() > MAX_LINE => {
                let _ = tx.send(Event::Failed(format!(
                    "a line longer than {MAX_LINE} bytes"
                )));
                return;
            }
            Ok(_) => {
                let event = match std::str::from_utf8(&buf) {
                    Ok(s) => Event::Line(s.trim_end_matches(['\n', '\r']).to_string()),
                    Err(e) => Event::Failed(format!("a line that is not UTF-8: {e}")),
                };
                if tx.send(event).is_err() {
                    return;
                }
            }
            Err(e) => {
                let _ = tx.send(Event::Failed(format!("reading its output: {e}")));
                return;
            }
        }
    }
}

fn write_lines(stdin: ChildStdin, rx: &Receiver<String>) {
    let mut w = std::io::BufWriter::new(stdin);
    while let Ok(first) = rx.recv() {
        let mut line = Some(first);
        while let Some(l) = line {
            if w.write_all(l.as_bytes()).is_err() || w.write_all(b"\n").is_err() {
                return;
            }
            line = rx.try_recv().ok();
        }
        // Nothing more queued: the engine must see what was sent.
        if w.flush().is_err() {
            return;
        }
    }
}

fn keep_tail(stderr: impl Read, tail: &Mutex<VecDeque<u8>>) {
    let mut reader = BufReader::new(stderr);
    let mut chunk = [0u8; 4096];
    while let Ok(n) = reader.read(&mut chunk) {
        if n == 0 {
            return;
        }
        if let Ok(mut t) = tail.lock() {
            t.extend(&chunk[..n]);
            while t.len() > STDERR_TAIL {
                t.pop_front();
            }
        }
    }
}
