//! Errors about a policy inside a case file name the place in the file, whichever way the
//! policy is written (docs/case-format.md: a JSON object, or a string holding the policy
//! text). Every expected position below is counted by hand from the file text.
#![allow(clippy::panic, reason = "test code")]

use crate::load::parse_cases;
use crate::run::{Status, run_one};
use std::path::Path;

/// Three cases, each with a policy the model refuses:
/// - `string-form`, line 6: the policy is a string whose text, unescaped, is two lines; the
///   missing comma before `"Action"` is policy text line 2 column 52 (` "Statement": {"Sid":
///   "café\\😀", "Effect": "Allow" ` is 51 characters), 77 characters after the policy's
///   start (25 on line 1 and its newline). In the file the `\"` before `Action` is at column
///   118: the literal starts at column 8, and the escapes before it are written with 33 more
///   characters than they stand for (`\"` ×14 and `\n`: +1 each; `\u00e9`: +5; `\\\\`: +2;
///   `\uD83D\uDE00`, one character: +11): 8 + 77 + 33 = 118.
/// - `object-form`, line 18: an object in `scp[1][0]` whose Effect is `Alow`; the policy
///   starts at the `{` of line 16, so line 18 is its third line, and `Alow` is column 37 of
///   both.
/// - `validation`, line 28: a validation case expecting valid, its statement has no
///   Resource; the statement's `{` is policy column 40, and in the file the literal starts
///   at column 16 and has six `\"` before it: 16 + 39 + 6 = 61.
const FILE: &str = r##"[
  {
    "id": "string-form",
    "policies": {
      "identity": [
      "{\"Version\": \"2012-10-17\",\n \"Statement\": {\"Sid\": \"caf\u00e9\\\\\uD83D\uDE00\", \"Effect\": \"Allow\" \"Action\": \"s3:*\", \"Resource\": \"*\"}}"
      ]
    },
    "request": {"principal": "arn:aws:iam::111122223333:user/a", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"},
    "expect": {"decision": "allowed"}
  },
  {
    "id": "object-form",
    "policies": {
      "scp": [[], [
        {
          "Version": "2012-10-17",
          "Statement": [{"Effect": "Alow", "Action": "s3:*", "Resource": "*"}]
        }
      ]]
    },
    "request": {"principal": "arn:aws:iam::111122223333:user/a", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"},
    "expect": {"decision": "allowed"}
  },
  {
    "id": "validation",
    "policy_kind": "identity",
    "policy": "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\"}}",
    "expect": {"valid": true}
  }
]
"##;

fn reasons() -> Vec<(String, Option<String>)> {
    let cases = parse_cases(FILE, Path::new("dir/x.json"))
        .unwrap_or_else(|e| panic!("the file reads: {e}"));
    cases
        .iter()
        .map(|c| {
            let r = run_one(c);
            assert_eq!(r.status, Status::Fail, "{}", r.id);
            (r.id, r.reason)
        })
        .collect()
}

#[test]
fn a_syntax_error_in_a_string_policy_is_placed_back_through_its_escapes() {
    assert_eq!(
        reasons()[0],
        (
            "string-form".to_string(),
            Some(
                "dir/x.json:6:118: policy identity[0] cannot be evaluated: error: Syntax errors \
                 in policy. (expected ',' or '}', found '\"') [json-syntax] (policy text 2:52)"
                    .to_string()
            )
        )
    );
}

#[test]
fn a_policy_the_model_cannot_compile_is_placed_in_an_object_policy() {
    assert_eq!(
        reasons()[1],
        (
            "object-form".to_string(),
            Some(
                "dir/x.json:18:37: policy scp[1][0] cannot be evaluated: statement 0: Effect \
                 must be \"Allow\" or \"Deny\", not \"Alow\" (policy text 3:37)"
                    .to_string()
            )
        )
    );
}

#[test]
fn a_validation_case_names_the_place_of_the_first_error() {
    assert_eq!(
        reasons()[2],
        (
            "validation".to_string(),
            Some(
                "dir/x.json:28:61: expected valid, got invalid: error: Policy statement must \
                 contain resources. (the statement has no Resource or NotResource (or an empty \
                 list)) [missing-resource at Statement] (policy text 1:40)"
                    .to_string()
            )
        )
    );
}
