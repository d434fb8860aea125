//! Each way an engine can break the protocol is an error naming the case — never a hang,
//! never a wrong answer — and the engine is restarted for the cases after it. The engine is
//! a small Python script (`tests/engines/misbehave.py`) that misbehaves on one case.
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code"
)]

use iamcr_oracle::engine::{EngineError, EngineOracle, EngineProcess, Reply};
use iamcr_oracle::{Caller, Decision, ErrorKind, PolicyInputs, Query};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_millis(1500);

fn command(mode: &str, case: Option<&str>) -> String {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/engines/misbehave.py");
    format!("python3 '{script}' {mode} {}", case.unwrap_or(""))
}

fn query(action: &str) -> Query {
    Query {
        policies: PolicyInputs {
            identity: vec![
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#
                    .into(),
            ],
            ..Default::default()
        },
        caller: Caller::Arn("arn:aws:iam::111122223333:user/alice".into()),
        action: action.into(),
        resource: "arn:aws:s3:::bucket/key".into(),
        resource_owner: None,
        context: vec![],
    }
}

/// Three cases: `case-0`, `case-1`, `case-2`.
fn cases() -> Vec<(String, Query)> {
    (0..3)
        .map(|i| (format!("case-{i}"), query(&format!("s3:Get{i}"))))
        .collect()
}

/// Run the three cases against an engine misbehaving on `case-1`; within a bound.
fn run(mode: &str) -> Vec<Result<Reply, EngineError>> {
    let started = Instant::now();
    let mut engine = EngineProcess::start(&command(mode, Some("case-1")), TIMEOUT).unwrap();
    let out = engine.ask(&cases());
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{mode}: took {:?}",
        started.elapsed()
    );
    assert_eq!(out.len(), 3);
    out
}

fn answered(r: &Result<Reply, EngineError>, case: &str) {
    match r {
        Ok(Reply::Answer { id, decision, .. }) => {
            assert_eq!(id, case);
            assert_eq!(*decision, Decision::ImplicitDeny);
        }
        other => panic!("{case}: expected an answer, got {other:?}"),
    }
}

#[test]
fn a_well_behaved_engine_answers_every_case_in_order() {
    let out = run("ok");
    for (i, r) in out.iter().enumerate() {
        answered(r, &format!("case-{i}"));
    }
}

#[test]
fn a_hanging_engine_is_a_timeout_naming_the_case() {
    let out = run("hang");
    answered(&out[0], "case-0");
    let e = out[1].as_ref().unwrap_err();
    assert!(
        matches!(e, EngineError::Timeout { case, .. } if case == "case-1"),
        "{e:?}"
    );
    assert!(
        e.to_string().contains("case case-1") && e.to_string().contains("timeout"),
        "{e}"
    );
    // Restarted for the rest.
    answered(&out[2], "case-2");
}

#[test]
fn a_crashed_engine_is_named_with_its_status_and_stderr() {
    let out = run("crash");
    answered(&out[0], "case-0");
    let e = out[1].as_ref().unwrap_err();
    let EngineError::Crashed {
        case,
        status,
        stderr,
        ..
    } = e
    else {
        panic!("expected a crash, got {e:?}");
    };
    assert_eq!(case, "case-1");
    assert!(status.contains('3'), "{status}");
    assert!(stderr.contains("giving up on case-1"), "{stderr}");
    answered(&out[2], "case-2");
}

#[test]
fn garbage_output_is_an_error_quoting_the_line() {
    let out = run("garbage");
    answered(&out[0], "case-0");
    let e = out[1].as_ref().unwrap_err();
    assert!(
        matches!(e, EngineError::Garbage { case, line, .. }
        if case == "case-1" && line.contains("Traceback")),
        "{e:?}"
    );
    answered(&out[2], "case-2");
}

#[test]
fn an_out_of_order_answer_is_detected() {
    let out = run("out-of-order");
    answered(&out[0], "case-0");
    let e = out[1].as_ref().unwrap_err();
    assert!(
        matches!(e, EngineError::OutOfOrder { case, got, .. }
        if case == "case-1" && got == "case-2"),
        "{e:?}"
    );
    // The answer to case-2 came on the old process, before case-1's: case-2 is asked again.
    answered(&out[2], "case-2");
}

#[test]
fn another_protocol_version_is_refused_at_start() {
    let e = EngineProcess::start(&command("version", None), TIMEOUT).unwrap_err();
    assert!(
        matches!(
            e,
            EngineError::ProtocolVersion {
                engine_protocol: 2,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(
        e.to_string()
            .contains("speaks engine protocol 2; this harness speaks 1"),
        "{e}"
    );
}

#[test]
fn no_handshake_is_an_error_at_start() {
    let e = EngineProcess::start(&command("no-handshake", None), TIMEOUT).unwrap_err();
    assert!(
        matches!(&e, EngineError::Handshake { detail, .. } if detail.contains("ready!")),
        "{e:?}"
    );
    let e = EngineProcess::start("python3 -c 'import sys; sys.exit(4)'", TIMEOUT).unwrap_err();
    assert!(
        matches!(&e, EngineError::Handshake { detail, .. } if detail.contains("exit")),
        "{e:?}"
    );
    let e = EngineProcess::start("/nonexistent/engine --flag", TIMEOUT).unwrap_err();
    assert!(matches!(e, EngineError::Spawn { .. }), "{e:?}");
}

#[test]
fn refusals_and_errors_reach_the_oracle_as_kinds() {
    let mut refusing = EngineOracle::start(&command("refuse", Some("case-1")), TIMEOUT).unwrap();
    let out = refusing.answer_cases(&cases());
    assert!(out[0].is_ok() && out[2].is_ok(), "{out:?}");
    let e = out[1].as_ref().unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unsupported);
    assert!(
        e.message.contains("case-1") && e.message.contains("cannot express this"),
        "{e}"
    );

    let mut failing = EngineOracle::start(&command("error", Some("case-1")), TIMEOUT).unwrap();
    let e = failing.answer_cases(&cases()).remove(1).unwrap_err();
    assert_eq!(e.kind, ErrorKind::PolicyEvaluation);

    let mut hanging = EngineOracle::start(&command("hang", Some("case-1")), TIMEOUT).unwrap();
    let e = hanging.answer_cases(&cases()).remove(1).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Engine);
    assert!(e.message.contains("case case-1"), "{e}");
}

#[test]
fn a_case_beyond_the_handshake_is_skipped_unsent_with_the_need() {
    let mut engine = EngineOracle::start(&command("crash", None), TIMEOUT).unwrap();
    // The engine declares identity policies and user/role callers only: an SCP, or a
    // service caller, is never sent (were it sent, this engine would crash).
    let mut scp = query("s3:GetObject");
    scp.policies.scp = Some(vec![vec![scp.policies.identity[0].clone()]]);
    let mut service = query("s3:GetObject");
    service.caller = Caller::Service("cleanrooms.amazonaws.com".into());
    let out = engine.answer_cases(&[("scp".into(), scp), ("svc".into(), service)]);
    let reasons: Vec<String> = out
        .iter()
        .map(|r| r.as_ref().unwrap_err().message.clone())
        .collect();
    assert!(reasons[0].contains("policy-type scp"), "{reasons:?}");
    assert!(reasons[1].contains("principal service"), "{reasons:?}");
    assert!(
        out.iter()
            .all(|r| r.as_ref().unwrap_err().kind == ErrorKind::Unsupported)
    );
}

#[test]
fn an_engine_failing_every_case_stops_being_asked() {
    let started = Instant::now();
    let mut engine = EngineProcess::start(&command("crash", None), TIMEOUT).unwrap();
    let items: Vec<(String, Query)> = (0..50)
        .map(|i| (format!("c{i}"), query("s3:GetObject")))
        .collect();
    let out = engine.ask(&items);
    assert_eq!(out.len(), 50);
    assert!(out.iter().all(Result::is_err));
    assert!(
        matches!(&out[49], Err(EngineError::NotAsked { case, .. }) if case == "c49"),
        "{:?}",
        out[49]
    );
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn an_engine_that_stops_reading_does_not_hang_the_harness() {
    // Requests big enough to fill the pipe: the writer blocks, the wait does not.
    let mut engine =
        EngineProcess::start(&command("stop-reading", Some("case-1")), TIMEOUT).unwrap();
    let mut big = query("s3:GetObject");
    big.policies.identity[0] = format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Sid":"{}","Effect":"Allow","Action":"s3:*","Resource":"*"}}}}"#,
        "x".repeat(100_000)
    )
    .into();
    let items: Vec<(String, Query)> = (0..5).map(|i| (format!("case-{i}"), big.clone())).collect();
    let started = Instant::now();
    let out = engine.ask(&items);
    assert!(started.elapsed() < Duration::from_secs(20));
    answered(&out[0], "case-0");
    assert!(
        matches!(&out[1], Err(EngineError::Timeout { case, .. }) if case == "case-1"),
        "{:?}",
        out[1]
    );
}
