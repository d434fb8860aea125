//! Test helpers for the live path without AWS: a form-body parser, AWS-shaped XML
//! responses, an in-process fake IAM/STS endpoint that answers `SimulateCustomPolicy` with
//! the model, and a reader for the checked-in corpus cases.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    dead_code,
    reason = "Test helpers: a failure here is a broken fixture, and should stop the test at once."
)]

pub mod corpus;
pub mod fake;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_iam::config::{Credentials, SharedCredentialsProvider, SharedHttpClient};
use std::collections::BTreeMap;

/// A client configuration that never leaves the process: static test credentials, a
/// fixed region, and the given HTTP client.
pub fn sdk_config(http: SharedHttpClient) -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "AKIDTESTONLY",
            "test-secret",
            None,
            None,
            "tests",
        )))
        .http_client(http)
        .build()
}

fn hex(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => panic!("bad percent escape"),
    }
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                out.push(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// An `application/x-www-form-urlencoded` body as a map.
pub fn form(body: &[u8]) -> BTreeMap<String, String> {
    std::str::from_utf8(body)
        .unwrap()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// The members `PREFIX.member.1`, `PREFIX.member.2`, … of a form.
pub fn members(f: &BTreeMap<String, String>, prefix: &str) -> Vec<String> {
    (1..)
        .map_while(|i| f.get(&format!("{prefix}.member.{i}")).cloned())
        .collect()
}

/// Escape text for XML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An IAM (awsQuery) error response body.
pub fn error_xml(code: &str, message: &str) -> String {
    format!(
        r#"<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <Error><Type>Sender</Type><Code>{code}</Code><Message>{}</Message></Error>
  <RequestId>4c2f6e1a-0000-4000-8000-000000000000</RequestId>
</ErrorResponse>"#,
        esc(message)
    )
}

/// A `SimulateCustomPolicy` response around `EvaluationResults` members.
pub fn simulate_xml(members: &str, marker: Option<&str>) -> String {
    let truncated = match marker {
        Some(m) => format!(
            "<IsTruncated>true</IsTruncated>\n    <Marker>{}</Marker>",
            esc(m)
        ),
        None => "<IsTruncated>false</IsTruncated>".to_string(),
    };
    format!(
        r#"<SimulateCustomPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <SimulateCustomPolicyResult>
    {truncated}
    <EvaluationResults>{members}</EvaluationResults>
  </SimulateCustomPolicyResult>
  <ResponseMetadata><RequestId>7b2092ca-5d35-499d-bc6d-e9b490000000</RequestId></ResponseMetadata>
</SimulateCustomPolicyResponse>"#
    )
}

/// An `sts:GetCallerIdentity` response.
pub fn caller_identity_xml(account: &str) -> String {
    format!(
        r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::{account}:user/simulator-tester</Arn>
    <UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>
    <Account>{account}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>"#
    )
}

/// An HTTP response with an XML body.
pub fn xml_response(status: u16, body: String) -> http::Response<aws_smithy_types::body::SdkBody> {
    http::Response::builder()
        .status(status)
        .header("content-type", "text/xml")
        .body(aws_smithy_types::body::SdkBody::from(body))
        .unwrap()
}
