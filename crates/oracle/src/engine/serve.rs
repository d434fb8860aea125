//! The engine side of the protocol, for any function from query to reply: read the hello,
//! write the handshake, then answer each request line in order.

use super::protocol::{EngineFirstLine, Handshake, HarnessLine, PROTOCOL, Reply};
use crate::query::Query;
use std::io::{BufRead, BufReader, Read, Write};

/// Why serving stopped early.
#[derive(Debug)]
pub enum ServeError {
    /// Reading or writing failed (a closed output is not an error: the harness left).
    Io(std::io::Error),
    /// A line that is not a protocol message (1-based line number).
    BadLine {
        /// Its line number.
        line: usize,
        /// Why.
        error: String,
    },
    /// The harness speaks another version.
    Version(u32),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Io(e) => write!(f, "{e}"),
            ServeError::BadLine { line, error } => {
                write!(
                    f,
                    "input line {line} is not an engine protocol message: {error}"
                )
            }
            ServeError::Version(v) => write!(
                f,
                "the harness speaks engine protocol {v}; this engine speaks {PROTOCOL}"
            ),
        }
    }
}

impl std::error::Error for ServeError {}

/// Serve until the input ends. Output is flushed whenever no further input is already
/// buffered, so a pipelining harness gets answers in large writes and a harness that waits
/// for each answer gets it at once.
pub fn serve<R: Read>(
    input: &mut BufReader<R>,
    mut output: impl Write,
    handshake: &Handshake,
    mut answer: impl FnMut(&str, &Query) -> Reply,
) -> Result<(), ServeError> {
    let mut number = 0;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line).map_err(ServeError::Io)? == 0 {
            return Ok(());
        }
        number += 1;
        if line.trim().is_empty() {
            continue;
        }
        let message = HarnessLine::parse(&line).map_err(|e| ServeError::BadLine {
            line: number,
            error: e.to_string(),
        })?;
        let reply = match message {
            HarnessLine::Hello(h) => {
                // The handshake is written whatever the version: the harness reports a
                // mismatch with both versions named.
                let text = serde_json::to_string(&EngineFirstLine::Handshake(handshake.clone()))
                    .unwrap_or_default();
                write_line(&mut output, &text)?;
                if h.protocol != PROTOCOL {
                    output.flush().map_err(ServeError::Io)?;
                    return Err(ServeError::Version(h.protocol));
                }
                None
            }
            HarnessLine::Evaluate(e) => Some(answer(&e.id, &super::protocol::query(&e))),
        };
        if let Some(reply) = reply {
            write_line(
                &mut output,
                &serde_json::to_string(&reply).unwrap_or_default(),
            )?;
        }
        // Never `fill_buf` here: it would wait for input before flushing the answers the
        // harness is waiting for.
        if input.buffer().is_empty() {
            output.flush().map_err(ServeError::Io)?;
        }
    }
}

fn write_line(output: &mut impl Write, text: &str) -> Result<(), ServeError> {
    output
        .write_all(text.as_bytes())
        .and_then(|()| output.write_all(b"\n"))
        .map_err(ServeError::Io)
}
