//! `cargo xtask serve-simulator [--port P]`: a local IAM policy simulator endpoint on
//! loopback, answered by the model (crate `iamcr-simserver`): `SimulateCustomPolicy`,
//! `GetContextKeysForCustomPolicy` and `sts:GetCallerIdentity` in AWS's wire protocol, for
//! the AWS CLI (`--endpoint-url`), boto3 and the SDKs (`AWS_ENDPOINT_URL`). Runs until
//! interrupted. Exit status 2 when it cannot listen. See `docs/simulate.md`.

use iamcr_simserver::{Config, Credentials, Faults, start};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `serve-simulator`.
#[derive(clap::Args)]
pub struct Args {
    /// Port to listen on (0: any free port; the URL is printed).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Loopback address to listen on (127.0.0.1 or ::1; anything else is refused).
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    host: IpAddr,
    /// The account sts:GetCallerIdentity names (allow-list it for `simulate --live`).
    #[arg(long, default_value = "123456789012", value_name = "ACCOUNT_ID")]
    account: String,
    /// Accept any well-formed SigV4 signature instead of checking it against the
    /// endpoint's test credentials.
    #[arg(long)]
    any_credentials: bool,
    /// Fault: answer every Nth IAM call with Throttling (HTTP 400, "Rate exceeded").
    #[arg(long, value_name = "N", default_value_t = 0)]
    throttle_every: u64,
    /// Fault: answer every Nth IAM call with ServiceFailure (HTTP 500).
    #[arg(long, value_name = "N", default_value_t = 0)]
    fail_every: u64,
    /// Fault: at most N results per page, below MaxItems (truncated pages with markers).
    #[arg(long, value_name = "N")]
    page_size: Option<usize>,
    /// Once listening, write the endpoint URL to this file (for scripts using --port 0).
    #[arg(long, value_name = "FILE")]
    ready_file: Option<PathBuf>,
}

pub fn run(args: Args) -> ExitCode {
    if !iamcr::case::AccountId::is_valid(&args.account) {
        errln!(
            "error: --account {:?} is not a 12-digit account id.",
            args.account
        );
        return ExitCode::from(2);
    }
    let credentials = Credentials {
        any_key: args.any_credentials,
        ..Credentials::default()
    };
    let config = Config {
        account: args.account.clone(),
        credentials: credentials.clone(),
        faults: Faults {
            throttle_every: args.throttle_every,
            fail_every: args.fail_every,
            page_size: args.page_size,
        },
    };
    let running = match start(SocketAddr::new(args.host, args.port), config) {
        Ok(r) => r,
        Err(e) => {
            errln!("error: {e}.");
            return ExitCode::from(2);
        }
    };
    let url = running.url();
    outln!("iamcr local IAM policy simulator (answers from the model) on {url}");
    outln!(
        "  account {} (allow-list it: --account {})",
        args.account,
        args.account
    );
    if args.any_credentials {
        outln!("  any SigV4 signature is accepted");
    } else {
        outln!("  requests must be signed with these test credentials:");
    }
    outln!(
        "  export AWS_ENDPOINT_URL={url} AWS_ACCESS_KEY_ID={} AWS_SECRET_ACCESS_KEY={} AWS_REGION=us-east-1",
        credentials.access_key_id,
        credentials.secret_access_key
    );
    outln!(
        "  e.g. aws iam get-context-keys-for-custom-policy --endpoint-url {url} --policy-input-list \"$(cat policy.json)\""
    );
    if let Some(path) = &args.ready_file
        && let Err(e) = std::fs::write(path, format!("{url}\n"))
    {
        errln!("error: cannot write {}: {e}.", path.display());
        return ExitCode::from(2);
    }
    running.wait();
    ExitCode::SUCCESS
}
