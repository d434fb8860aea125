//! A local IAM policy simulator endpoint, answered by the model.
//!
//! `cargo xtask serve-simulator` serves, over HTTP on a loopback address, the IAM Query
//! API's `SimulateCustomPolicy` and `GetContextKeysForCustomPolicy` and STS's
//! `GetCallerIdentity`, in AWS's wire protocol (awsQuery: form-encoded requests signed
//! with SigV4, XML responses, AWS's error XML), so that AWS's own clients — the AWS CLI
//! with `--endpoint-url`, boto3, the Rust SDK with `AWS_ENDPOINT_URL` — can be pointed at
//! it. No other local emulator evaluates these APIs under a permissive licence.
//!
//! - [`protocol`]: form parameters, validation against the IAM Smithy model's constraints,
//!   API errors.
//! - [`simulate`]: a request as the model's queries, the simulator's refusals, the
//!   response shape (one result per action, per-resource results), pages.
//! - [`context_keys`]: the keys policies reference.
//! - [`xml`]: the responses.
//! - [`sigv4`]: the signature check.
//! - [`server`]: HTTP, loopback only, fault injection ([`Faults`]).
//!
//! It does not depend on the AWS SDK: offline builds run it.

pub mod context_keys;
pub mod protocol;
mod server;
pub mod sigv4;
pub mod simulate;
pub mod xml;

pub use server::{Config, Faults, Running, ServeError, Stats, start};
pub use sigv4::Credentials;
