//! The HTTP side: one axum route for every path that checks the SigV4 signature, decodes
//! the form, dispatches on `Action`, injects the configured faults and answers in XML.
//! The server binds loopback addresses only and runs on its own thread.

use crate::protocol::{ApiError, Params, context_keys_request, simulate_request};
use crate::sigv4::{self, Credentials, Signed};
use crate::xml::{self, IAM_NS, STS_NS};
use crate::{context_keys, simulate};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use std::fmt;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::JoinHandle;
use tokio::sync::oneshot;

/// Faults to inject, for testing clients' retries and paging.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Faults {
    /// Answer every Nth IAM call with `Throttling` (HTTP 400, "Rate exceeded"); 0: never.
    pub throttle_every: u64,
    /// Answer every Nth IAM call with `ServiceFailure` (HTTP 500); 0: never. A call that
    /// is both throttled and failed is throttled.
    pub fail_every: u64,
    /// Return at most this many results per page, below `MaxItems` (IAM "might return
    /// fewer results, even when there are more results available").
    pub page_size: Option<usize>,
}

/// How the endpoint behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The account `GetCallerIdentity` names (and default caller's account).
    pub account: String,
    /// The credentials requests must be signed with.
    pub credentials: Credentials,
    /// Faults to inject.
    pub faults: Faults,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            account: "123456789012".into(),
            credentials: Credentials::default(),
            faults: Faults::default(),
        }
    }
}

impl Config {
    /// The identity `GetCallerIdentity` reports, and the caller when `CallerArn` is absent.
    pub fn caller_arn(&self) -> String {
        format!("arn:aws:iam::{}:user/iamcr-local-simulator", self.account)
    }
}

/// What the endpoint has seen.
#[derive(Debug, Default)]
pub struct Stats {
    /// Every request, any action, answered or not.
    pub requests: AtomicU64,
    /// IAM calls (`SimulateCustomPolicy`, `GetContextKeysForCustomPolicy`), faults included.
    pub iam_calls: AtomicU64,
    /// `SimulateCustomPolicy` calls answered with results.
    pub simulate_answered: AtomicU64,
    /// Action × resource pairs evaluated by answered calls.
    pub pairs_evaluated: AtomicU64,
    /// Calls answered with `Throttling`.
    pub throttled: AtomicU64,
    /// Calls answered with an injected `ServiceFailure`.
    pub failed: AtomicU64,
    /// `GetCallerIdentity` calls answered.
    pub identity_calls: AtomicU64,
    /// Requests refused for their signature.
    pub unsigned: AtomicU64,
}

impl Stats {
    /// Read a counter.
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::SeqCst)
    }
}

/// Why the endpoint could not start.
#[derive(Debug)]
pub enum ServeError {
    /// The address is not a loopback address.
    NotLoopback(SocketAddr),
    /// Binding failed.
    Bind(SocketAddr, std::io::Error),
    /// The async runtime could not start.
    Runtime(std::io::Error),
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::NotLoopback(a) => write!(
                f,
                "refusing to listen on {a}: the local simulator binds loopback addresses only (127.0.0.1 or ::1), because anyone who can reach it can spend its CPU"
            ),
            ServeError::Bind(a, e) => write!(f, "cannot listen on {a}: {e}"),
            ServeError::Runtime(e) => write!(f, "cannot start the server runtime: {e}"),
        }
    }
}

impl std::error::Error for ServeError {}

struct Shared {
    config: Config,
    stats: Arc<Stats>,
    request_ids: AtomicU64,
}

/// A running endpoint; dropping it stops the server.
#[derive(Debug)]
pub struct Running {
    addr: SocketAddr,
    stats: Arc<Stats>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Running {
    /// The bound address (the port the OS chose for port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR` for `--endpoint-url` / `AWS_ENDPOINT_URL`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The endpoint's counters.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Serve until the process ends.
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    /// Stop serving and wait for the server thread.
    pub fn stop(mut self) {
        self.shutdown_now();
    }

    fn shutdown_now(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shutdown_now();
    }
}

/// Start the endpoint on `addr` (port 0: any free port) on its own thread.
pub fn start(addr: SocketAddr, config: Config) -> Result<Running, ServeError> {
    if !addr.ip().is_loopback() {
        return Err(ServeError::NotLoopback(addr));
    }
    let listener = TcpListener::bind(addr).map_err(|e| ServeError::Bind(addr, e))?;
    let bound = listener
        .local_addr()
        .map_err(|e| ServeError::Bind(addr, e))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| ServeError::Bind(addr, e))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let stats = Arc::new(Stats::default());
    let shared = Arc::new(Shared {
        config,
        stats: stats.clone(),
        request_ids: AtomicU64::new(0),
    });
    let (tx, rx) = oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        runtime.block_on(async move {
            let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                return;
            };
            let app = axum::Router::new().fallback(handle).with_state(shared);
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
    });
    Ok(Running {
        addr: bound,
        stats,
        shutdown: Some(tx),
        thread: Some(thread),
    })
}

fn xml_reply(status: u16, body: String, request_id: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [
            (header::CONTENT_TYPE, "text/xml".to_string()),
            (
                header::HeaderName::from_static("x-amzn-requestid"),
                request_id.to_string(),
            ),
        ],
        body,
    )
        .into_response()
}

fn error_reply(e: &ApiError, ns: &str, request_id: &str) -> Response {
    xml_reply(e.status, xml::error_response(e, ns, request_id), request_id)
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let stats = &shared.stats;
    stats.requests.fetch_add(1, Ordering::SeqCst);
    let n = shared.request_ids.fetch_add(1, Ordering::SeqCst) + 1;
    let request_id = format!("00000000-0000-4000-8000-{n:012x}");
    let query = uri.query().unwrap_or_default();
    let signed = Signed {
        method: method.as_str(),
        path: uri.path(),
        query,
        headers: headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: &body,
    };
    let params = Params::parse(&[query.as_bytes(), &body]);
    let ns = if params.get("Action") == Some("GetCallerIdentity") {
        STS_NS
    } else {
        IAM_NS
    };
    if let Err(e) = sigv4::verify(&signed, &shared.config.credentials) {
        stats.unsigned.fetch_add(1, Ordering::SeqCst);
        return error_reply(&e, ns, &request_id);
    }
    match dispatch(&shared, params, &request_id).await {
        Ok(body) => xml_reply(200, body, &request_id),
        Err(e) => error_reply(&e, ns, &request_id),
    }
}

/// An injected fault for the `n`th IAM call, if any.
fn fault(f: &Faults, n: u64) -> Option<ApiError> {
    if f.throttle_every > 0 && n.is_multiple_of(f.throttle_every) {
        return Some(ApiError::sender(400, "Throttling", "Rate exceeded"));
    }
    if f.fail_every > 0 && n.is_multiple_of(f.fail_every) {
        return Some(ApiError {
            status: 500,
            code: "ServiceFailure",
            message:
                "Request processing has failed because of an unknown error, exception or failure."
                    .into(),
            sender: false,
        });
    }
    None
}

fn check_version(params: &Params, action: &str, want: &str) -> Result<(), ApiError> {
    match params.get("Version") {
        Some(v) if v == want => Ok(()),
        Some(v) => Err(ApiError::sender(
            400,
            "InvalidAction",
            format!("Could not find operation {action} for version {v}"),
        )),
        None => Err(ApiError::sender(
            400,
            "MissingParameter",
            "The request must contain the parameter Version",
        )),
    }
}

async fn dispatch(
    shared: &Arc<Shared>,
    params: Params,
    request_id: &str,
) -> Result<String, ApiError> {
    let stats = &shared.stats;
    let action = params
        .get("Action")
        .ok_or_else(|| ApiError::sender(400, "MissingAction", "Missing Action"))?
        .to_string();
    match action.as_str() {
        "GetCallerIdentity" => {
            check_version(&params, &action, "2011-06-15")?;
            stats.identity_calls.fetch_add(1, Ordering::SeqCst);
            let c = &shared.config;
            return Ok(xml::caller_identity_response(
                &c.account,
                &c.caller_arn(),
                "AIDAIAMCRLOCALSIMULATOR",
                request_id,
            ));
        }
        "SimulateCustomPolicy" | "GetContextKeysForCustomPolicy" => {
            check_version(&params, &action, "2010-05-08")?;
        }
        other => {
            return Err(ApiError::sender(
                400,
                "InvalidAction",
                format!(
                    "Could not find operation {other} for version {}",
                    params.get("Version").unwrap_or_default()
                ),
            ));
        }
    }
    let n = stats.iam_calls.fetch_add(1, Ordering::SeqCst) + 1;
    if let Some(e) = fault(&shared.config.faults, n) {
        let counter = if e.code == "Throttling" {
            &stats.throttled
        } else {
            &stats.failed
        };
        counter.fetch_add(1, Ordering::SeqCst);
        return Err(e);
    }
    if action == "GetContextKeysForCustomPolicy" {
        let docs = context_keys_request(&params)?;
        let keys = context_keys::context_keys(&docs)?;
        return Ok(xml::context_keys_response(&keys, request_id));
    }
    let request = simulate_request(&params)?;
    let shared2 = shared.clone();
    let request_id = request_id.to_string();
    // The model's evaluation is CPU work: keep it off the I/O threads.
    tokio::task::spawn_blocking(move || {
        let caller = shared2.config.caller_arn();
        let (page, details) = simulate::answer(&request, &caller, shared2.config.faults.page_size)?;
        let pairs: usize = page
            .evaluation_results
            .iter()
            .map(|r| r.resource_specific_results.len().max(1))
            .sum();
        shared2
            .stats
            .simulate_answered
            .fetch_add(1, Ordering::SeqCst);
        shared2
            .stats
            .pairs_evaluated
            .fetch_add(pairs as u64, Ordering::SeqCst);
        Ok(xml::simulate_response(&page, &details, &request_id))
    })
    .await
    .map_err(|e| ApiError {
        status: 500,
        code: "ServiceFailure",
        message: format!("the evaluation stopped: {e}"),
        sender: false,
    })?
}
