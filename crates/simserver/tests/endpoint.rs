//! The endpoint over real HTTP on loopback: binding, signatures, dispatch, the XML shapes
//! and injected faults. Requests are written by hand on a TCP socket (no client library
//! between the test and the wire); the AWS SDK, CLI and boto3 are tested against the same
//! endpoint elsewhere (xtask's live end-to-end test, `.ci/run`'s boto3 check).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Helpers outside #[test] functions too: a failed exchange must stop the test at once."
)]

use iamcr_simserver::{Config, Credentials, Faults, ServeError, Stats, start};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

/// An endpoint that accepts any well-formed signature (its check against AWS's documented
/// example is a unit test of `sigv4`).
fn config(faults: Faults) -> Config {
    Config {
        account: "444455556666".into(),
        credentials: Credentials {
            any_key: true,
            ..Credentials::default()
        },
        faults,
    }
}

const AUTH: &str = "AWS4-HMAC-SHA256 Credential=AKIDTEST/20261206/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=00";

/// POST a form body; the status and body of the answer.
fn post(addr: SocketAddr, body: &str, signed: bool) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    let auth = if signed {
        format!("Authorization: {AUTH}\r\nX-Amz-Date: 20261206T000000Z\r\n")
    } else {
        String::new()
    };
    write!(
        s,
        "POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out[9..12].parse().unwrap();
    let body = out.split_once("\r\n\r\n").unwrap().1.to_string();
    (status, body)
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;

fn simulate_body(actions: &[&str], extra: &str) -> String {
    let mut b = format!(
        "Action=SimulateCustomPolicy&Version=2010-05-08&PolicyInputList.member.1={}&CallerArn={}",
        enc(POLICY),
        enc("arn:aws:iam::444455556666:user/alice")
    );
    for (i, a) in actions.iter().enumerate() {
        b.push_str(&format!("&ActionNames.member.{}={a}", i + 1));
    }
    b + extra
}

#[test]
fn only_loopback_addresses_are_bound() {
    for addr in ["0.0.0.0:0", "192.0.2.1:0", "[::]:0"] {
        let addr: SocketAddr = addr.parse().unwrap();
        match start(addr, Config::default()) {
            Err(ServeError::NotLoopback(a)) => assert_eq!(a, addr),
            other => panic!("{addr} was not refused: {other:?}"),
        }
    }
    let running = start("127.0.0.1:0".parse().unwrap(), Config::default()).unwrap();
    assert!(running.addr().ip().is_loopback());
    assert_ne!(running.addr().port(), 0);
    assert!(running.url().starts_with("http://127.0.0.1:"));
}

#[test]
fn unsigned_requests_get_aws_error_xml() {
    let s = start("127.0.0.1:0".parse().unwrap(), config(Faults::default())).unwrap();
    let (status, body) = post(
        s.addr(),
        "Action=GetCallerIdentity&Version=2011-06-15",
        false,
    );
    assert_eq!(status, 403);
    assert!(
        body.contains("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"),
        "{body}"
    );
    assert!(
        body.contains("<Code>MissingAuthenticationToken</Code>"),
        "{body}"
    );
    assert!(body.contains("<RequestId>"), "{body}");
    assert_eq!(Stats::get(&s.stats().unsigned), 1);
}

#[test]
fn get_caller_identity_names_the_configured_account() {
    let s = start("127.0.0.1:0".parse().unwrap(), config(Faults::default())).unwrap();
    let (status, body) = post(
        s.addr(),
        "Action=GetCallerIdentity&Version=2011-06-15",
        true,
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
    ));
    assert!(body.contains("<Account>444455556666</Account>"), "{body}");
    assert!(body.contains("<Arn>arn:aws:iam::444455556666:user/iamcr-local-simulator</Arn>"));
}

#[test]
fn simulate_custom_policy_answers_in_the_simulator_shape() {
    let s = start("127.0.0.1:0".parse().unwrap(), config(Faults::default())).unwrap();
    let body = simulate_body(
        &["s3:GetObject", "s3:PutObject"],
        &format!("&ResourceArns.member.1={}", enc("arn:aws:s3:::b/k")),
    );
    let (status, xml) = post(s.addr(), &body, true);
    assert_eq!(status, 200, "{xml}");
    for part in [
        "<SimulateCustomPolicyResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">",
        "<SimulateCustomPolicyResult>",
        "<EvalActionName>s3:GetObject</EvalActionName>",
        "<EvalDecision>allowed</EvalDecision>",
        "<EvalActionName>s3:PutObject</EvalActionName>",
        "<EvalDecision>implicitDeny</EvalDecision>",
        "<ResourceSpecificResults>",
        "<EvalResourceName>arn:aws:s3:::b/k</EvalResourceName>",
        "<EvalResourceDecision>allowed</EvalResourceDecision>",
        "<SourcePolicyId>PolicyInputList.1</SourcePolicyId>",
        // The statement starts at column 38 (its brace); AWS reports one past it.
        "<StartPosition>\n",
        "<Column>39</Column>",
        "<IsTruncated>false</IsTruncated>",
        "<ResponseMetadata>",
    ] {
        assert!(xml.contains(part), "{part} missing from {xml}");
    }
    assert!(!xml.contains("<Marker>"));
}

#[test]
fn invalid_input_and_validation_errors_are_aws_error_xml() {
    let s = start("127.0.0.1:0".parse().unwrap(), config(Faults::default())).unwrap();
    let (status, xml) = post(s.addr(), &simulate_body(&["s3:*"], ""), true);
    assert_eq!(status, 400);
    assert!(xml.contains("<Type>Sender</Type>"), "{xml}");
    assert!(xml.contains("<Code>InvalidInput</Code>"), "{xml}");
    let (status, xml) = post(
        s.addr(),
        &simulate_body(&["s3:GetObject"], "&MaxItems=0"),
        true,
    );
    assert_eq!(status, 400);
    assert!(xml.contains("<Code>ValidationError</Code>"), "{xml}");
    assert!(
        xml.contains("1 validation error detected: Value &apos;0&apos; at &apos;maxItems&apos;")
            || xml.contains("1 validation error detected: Value '0' at 'maxItems'"),
        "{xml}"
    );
    let (status, xml) = post(s.addr(), "Action=ListUsers&Version=2010-05-08", true);
    assert_eq!(status, 400);
    assert!(xml.contains("<Code>InvalidAction</Code>"), "{xml}");
}

#[test]
fn get_context_keys_for_custom_policy_lists_the_keys() {
    let s = start("127.0.0.1:0".parse().unwrap(), config(Faults::default())).unwrap();
    let policy = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}"#;
    let body = format!(
        "Action=GetContextKeysForCustomPolicy&Version=2010-05-08&PolicyInputList.member.1={}",
        enc(policy)
    );
    let (status, xml) = post(s.addr(), &body, true);
    assert_eq!(status, 200, "{xml}");
    let keys = xml
        .split("<ContextKeyNames>")
        .nth(1)
        .unwrap()
        .split("</ContextKeyNames>")
        .next()
        .unwrap();
    let members: Vec<&str> = keys
        .split("<member>")
        .skip(1)
        .map(|m| m.split("</member>").next().unwrap())
        .collect();
    assert_eq!(members, vec!["aws:username", "aws:CurrentTime"]);
}

#[test]
fn faults_throttle_fail_and_truncate_as_configured() {
    let faults = Faults {
        throttle_every: 3,
        fail_every: 4,
        page_size: Some(1),
    };
    let s = start("127.0.0.1:0".parse().unwrap(), config(faults)).unwrap();
    let body = simulate_body(&["s3:GetObject", "s3:PutObject"], "&MaxItems=100");
    let mut outcomes = Vec::new();
    for _ in 0..6 {
        let (status, xml) = post(s.addr(), &body, true);
        let what = if xml.contains("<Code>Throttling</Code>") {
            assert!(xml.contains("<Message>Rate exceeded</Message>"), "{xml}");
            "throttled"
        } else if xml.contains("<Code>ServiceFailure</Code>") {
            assert!(xml.contains("<Type>Receiver</Type>"));
            "failed"
        } else {
            // One result per page, below MaxItems, with a marker for the next.
            assert_eq!(xml.matches("<EvalActionName>").count(), 1, "{xml}");
            assert!(xml.contains("<IsTruncated>true</IsTruncated>"), "{xml}");
            assert!(xml.contains("<Marker>iamcr1.1."), "{xml}");
            "page"
        };
        outcomes.push((status, what));
    }
    assert_eq!(
        outcomes,
        vec![
            (200, "page"),
            (200, "page"),
            (400, "throttled"),
            (500, "failed"),
            (200, "page"),
            (400, "throttled")
        ]
    );
    assert_eq!(Stats::get(&s.stats().throttled), 2);
    assert_eq!(Stats::get(&s.stats().failed), 1);
    // STS calls are never faulted.
    let (status, _) = post(
        s.addr(),
        "Action=GetCallerIdentity&Version=2011-06-15",
        true,
    );
    assert_eq!(status, 200);
}
