//! Golden tests of diagnostics on small hand-written policies: code, message, detail, JSON path
//! and line:column of trailing commas, comments, duplicate keys, wrong types, missing elements,
//! and of positions after tabs, CRLF line ends and non-ASCII characters.
//!
//! Each case renders its diagnostics with `Diagnostic`'s `Display` (one line each, IAM's answer
//! first) and compares them with `tests/snapshots/<case>.txt`. A missing or different snapshot
//! fails the test; run with `UPDATE_SNAPSHOTS=1` to write the snapshots from the current output,
//! then review the diff by hand.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Test helpers outside #[test] functions read fixed files and fail loudly on purpose."
)]

use iamcr_policy::{PolicyKind, check, check_bytes, parse};
use std::path::PathBuf;

/// What produces the diagnostics of a case.
#[derive(Debug, Clone, Copy)]
enum Run {
    /// `parse(text)` (JSON and document shape only; no diagnostics when it succeeds).
    Parse,
    /// `check(text, kind)`.
    Check(PolicyKind),
    /// `check_bytes(bytes, kind)` (for bytes that are not UTF-8).
    CheckBytes(PolicyKind),
}

use PolicyKind::{Identity, Resource, Scp, Session, Trust};
use Run::{Check, CheckBytes, Parse};

fn render(run: Run, input: &[u8]) -> String {
    let text = || std::str::from_utf8(input).expect("a text case is UTF-8");
    let diagnostics = match run {
        Parse => parse(text()).err().unwrap_or_default(),
        Check(kind) => check(text(), kind).diagnostics,
        CheckBytes(kind) => check_bytes(input, kind).diagnostics,
    };
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&d.to_string());
        out.push('\n');
    }
    out
}

fn snapshot_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}.txt"))
}

fn updating() -> bool {
    std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1")
}

/// Compare the case's rendered diagnostics with its snapshot (or rewrite the snapshot).
fn golden(name: &str, run: Run, input: &[u8]) {
    let got = render(run, input);
    let path = snapshot_path(name);
    let want = std::fs::read_to_string(&path).ok();
    if want.as_deref() == Some(got.as_str()) {
        return;
    }
    if updating() {
        std::fs::create_dir_all(path.parent().expect("snapshots directory"))
            .expect("create tests/snapshots");
        std::fs::write(&path, &got).expect("write the snapshot");
        eprintln!("updated {}", path.display());
        return;
    }
    let input = String::from_utf8_lossy(input);
    match want {
        None => panic!(
            "{name}: no snapshot at {} (run with UPDATE_SNAPSHOTS=1 to create it)\n\
             --- input ({run:?})\n{input}\n--- diagnostics\n{got}",
            path.display()
        ),
        Some(want) => panic!(
            "{name}: diagnostics differ from {} (run with UPDATE_SNAPSHOTS=1 to accept)\n\
             --- input ({run:?})\n{input}\n--- snapshot\n{want}--- now\n{got}",
            path.display()
        ),
    }
}

/// One `#[test]` per case: `name: run, input;` (the input is a `&str` or a byte string).
macro_rules! golden_tests {
    ($($name:ident: $run:expr, $input:expr;)*) => {
        $(
            #[test]
            fn $name() {
                golden(stringify!($name), $run, AsRef::<[u8]>::as_ref(&$input));
            }
        )*
    };
}

golden_tests! {
    // ---- trailing commas (recovered: the rest of the policy is still checked) ----
    trailing_comma_in_action_list: Check(Identity), r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "s3:GetObject",
        "s3:ListBucket",
      ],
      "Resource": "*"
    }
  ]
}"#;
    trailing_comma_after_last_statement_member: Check(Identity), r#"{
  "Version": "2012-10-17",
  "Statement": {
    "Effect": "Allow",
    "Action": "s3:GetObject",
    "Resource": "*",
  }
}"#;
    trailing_commas_at_every_level: Parse,
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:*\",],\"Resource\":\"*\",},],}";
    trailing_comma_in_trust_policy: Check(Trust), r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Service": "cleanrooms.amazonaws.com" },
      "Action": "sts:AssumeRole",
    }
  ]
}"#;
    trailing_comma_in_session_policy: Check(Session),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},]}"#;

    // ---- comments ----
    line_comment_after_a_member: Check(Identity), r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow", // read only
      "Action": "s3:GetObject",
      "Resource": "*"
    }
  ]
}"#;
    block_comment_over_two_lines: Check(Identity), r#"{
  /* generated
     by hand */
  "Version": "2012-10-17",
  "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
}"#;
    unterminated_block_comment: Parse, "{\"Version\": \"2012-10-17\" /* no end";
    comment_in_resource_policy: Check(Resource), r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      // who may call
      "Effect": "Allow",
      "Principal": { "AWS": "111122223333" },
      "Action": "cleanrooms-ml:GetTrainingDataset",
      "Resource": "*"
    }
  ]
}"#;

    // ---- duplicate keys ----
    duplicate_version: Check(Identity), r#"{
  "Version": "2012-10-17",
  "Version": "2008-10-17",
  "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
}"#;
    duplicate_effect_in_statement: Check(Identity), r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Effect": "Deny",
      "Resource": "*"
    }
  ]
}"#;
    duplicate_condition_operator_and_key: Check(Identity), r#"{
  "Version": "2012-10-17",
  "Statement": {
    "Effect": "Allow",
    "Action": "s3:GetObject",
    "Resource": "*",
    "Condition": {
      "StringEquals": { "aws:SourceAccount": "111122223333", "aws:SourceAccount": "444455556666" },
      "StringEquals": { "aws:PrincipalTag/team": "data" }
    }
  }
}"#;
    duplicate_principal_type: Check(Resource), r#"{
  "Version": "2012-10-17",
  "Statement": {
    "Effect": "Allow",
    "Principal": { "AWS": "111122223333", "AWS": "444455556666" },
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::bucket/*"
  }
}"#;
    duplicate_sid: Check(Identity), r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
    {"Sid": "Read", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}
  ]
}"#;

    // ---- wrong types ----
    version_is_a_number: Check(Identity),
        r#"{"Version": 2012, "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}"#;
    statement_is_a_string: Check(Identity), r#"{"Version": "2012-10-17", "Statement": "Allow"}"#;
    statement_item_is_not_an_object: Check(Identity), r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
    "s3:ListBucket"
  ]
}"#;
    action_is_a_number_and_resource_holds_a_boolean: Check(Identity), r#"{
  "Version": "2012-10-17",
  "Statement": {
    "Effect": "Allow",
    "Action": 42,
    "Resource": ["arn:aws:s3:::bucket", true]
  }
}"#;
    effect_is_a_list_and_sid_a_number: Check(Identity), r#"{
  "Version": "2012-10-17",
  "Statement": {"Sid": 1, "Effect": ["Allow"], "Action": "s3:GetObject", "Resource": "*"}
}"#;
    principal_is_a_number: Check(Resource), r#"{
  "Version": "2012-10-17",
  "Statement": {"Effect": "Allow", "Principal": 111122223333, "Action": "s3:GetObject", "Resource": "*"}
}"#;
    condition_is_a_list_and_values_are_null_or_objects: Check(Identity), r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": ["StringEquals"]},
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "*",
      "Condition": {
        "StringEquals": {"aws:SourceAccount": null},
        "NumericLessThan": {"s3:max-keys": [10, {"n": 1}]},
        "Bool": "true"
      }
    }
  ]
}"#;
    policy_is_not_an_object: Check(Identity), r#"["Version", "2012-10-17"]"#;

    // ---- missing and empty elements ----
    missing_statement: Check(Identity), r#"{"Version": "2012-10-17"}"#;
    empty_statement_list: Check(Resource), r#"{"Version": "2012-10-17", "Statement": []}"#;
    missing_effect: Check(Identity), r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Action": "s3:GetObject", "Resource": "*"}
  ]
}"#;
    missing_effect_in_resource_policy: Check(Resource), r#"{
  "Version": "2012-10-17",
  "Statement": {"Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}
}"#;
    missing_action_and_resource: Check(Identity), r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Resource": "*"},
    {"Effect": "Allow", "Action": "s3:GetObject"},
    {"Effect": "Allow", "Action": [], "Resource": []}
  ]
}"#;
    missing_version_in_managed_policy: Check(Identity),
        r#"{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#;
    missing_principal_in_resource_policy: Check(Resource), r#"{
  "Version": "2012-10-17",
  "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}
}"#;
    missing_principal_in_trust_policy: Check(Trust), r#"{
  "Version": "2012-10-17",
  "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole"}
}"#;
    missing_everything_in_scp: Check(Scp), r#"{"Version": "2012-10-17", "Statement": {"Sid": "x-1"}}"#;

    // ---- JSON errors and where they are ----
    empty_input: Check(Identity), "";
    whitespace_only_input: Check(Identity), "  \n\t\n";
    unterminated_string_at_end: Check(Identity), "{\n  \"Version\": \"2012-10-17\n";
    missing_colon: Parse, "{\n  \"Version\" \"2012-10-17\"\n}";
    missing_comma_between_statements: Parse, r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    {"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"}
  ]
}"#;
    text_after_the_document: Parse, "{\"Version\": \"2012-10-17\", \"Statement\": []}\n}";
    minus_without_digits_at_end: Parse, "{\"Version\": -";
    invalid_escape_before_non_ascii: Parse, "{\"Sid\": \"\\é\"}";
    raw_control_character_in_string: Check(Identity),
        "{\"Version\": \"2012-10-17\", \"Statement\": {\"Sid\": \"a\tb\", \"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}}";
    invalid_utf8: CheckBytes(Identity), b"{\n  \"Version\": \"2012-10-17\",\n  \"Id\": \"caf\xe9\"\n}";
    invalid_utf8_in_trust_policy: CheckBytes(Trust), b"\xef\xbb{}";

    // ---- columns count characters; lines end at \n (a \r belongs to its line) ----
    columns_count_characters_not_bytes: Check(Identity),
        "{\"Id\": \"é😀€\", \"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}}";
    columns_after_tabs: Check(Identity),
        "{\n\t\"Version\":\t\"2012-10-17\",\n\t\"Statement\":\t{\"Effect\":\t\"Allow\",\t\"Action\":\t\"GetObject\",\t\"Resource\":\t\"*\"}\n}";
    crlf_line_ends: Check(Identity),
        "{\r\n  \"Version\": \"2012-10-17\",\r\n  \"Statement\": {\r\n    \"Effect\": \"Allow\",\r\n    \"Action\": \"s3:GetObject\",\r\n    \"Resource\": \"arn:aws:s3::bucket/*\",\r\n  }\r\n}";
    non_iam_character_in_identity_policy: Check(Identity), r#"{
  "Version": "2012-10-17",
  "Statement": {"Sid": "Lecture", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bücher/€/*"}
}"#;
}

/// No snapshot is left over from a removed or renamed case.
#[test]
fn every_snapshot_belongs_to_a_case() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let source = include_str!("positions.rs");
    let mut orphans = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("tests/snapshots exists") {
        let path = entry.expect("snapshot entry").path();
        if path.extension().is_some_and(|e| e == "txt") {
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_string();
            if !source.contains(&format!("\n    {stem}: ")) {
                orphans.push(stem);
            }
        }
    }
    assert!(
        orphans.is_empty(),
        "snapshots without a case in positions.rs: {orphans:?}"
    );
}
