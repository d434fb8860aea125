//! `cargo xtask engine`: the model as an engine of the engine protocol
//! (`docs/engine-protocol.md`): JSON lines on stdin and stdout, until stdin ends. The
//! project's own tests run the corpus through it and compare with the model in process, so
//! the protocol is tested end to end; it is also the reference an adapter author can diff
//! against.

use iamcr_oracle::ModelOracle;
use iamcr_oracle::engine::Reply;
use iamcr_oracle::engine::protocol::{self, EngineCapabilities, EngineId, Handshake, PROTOCOL};
use iamcr_oracle::engine::serve::serve;
use std::process::ExitCode;

/// Arguments of `engine` (none: the protocol is on stdin and stdout).
#[derive(clap::Args)]
pub struct Args {}

/// The model's handshake: every capability.
pub fn handshake() -> Handshake {
    Handshake {
        protocol: PROTOCOL,
        engine: EngineId {
            name: "iamcr-model".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        },
        capabilities: EngineCapabilities::complete(),
    }
}

pub fn run(_args: Args) -> ExitCode {
    let model = ModelOracle;
    let mut input = std::io::BufReader::with_capacity(1 << 16, std::io::stdin().lock());
    let output = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let result = serve(&mut input, output, &handshake(), |id, query| {
        match model.answer_one(query) {
            Ok(answer) => protocol::reply(id, &answer),
            Err(e) => Reply::Error {
                id: id.to_string(),
                message: e.message,
            },
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The harness closed its end: nothing left to answer.
        Err(iamcr_oracle::engine::serve::ServeError::Io(e))
            if e.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            errln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
