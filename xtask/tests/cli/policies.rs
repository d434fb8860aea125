//! A policy inside a case or scenario file that the model refuses is reported at its place in
//! the file, by `conform`, `explain` and `scenario` alike, with its place in the policy text
//! after it. The
//! positions are counted by hand (see each test).

use super::{TempDir, show, xtask_in};

/// `/tmp` reproduction of issue 16 item 11: the policy is a JSON string on line 7, starting
/// at column 8 (after six spaces and the quote). Unescaped, its 59th character is the second
/// `,` of `"Allow",,,` (policy text 1:59); before it the string has ten `\"` escapes, each
/// one character longer than the `"` it stands for: 8 + 58 + 10 = column 76.
const CASE: &str = r#"{
  "id": "x",
  "description": "d",
  "source": "s",
  "policies": {
    "identity": [
      "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\",,, \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}}"
    ]
  },
  "request": {"principal": "arn:aws:iam::111122223333:user/a", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"},
  "expect": {"decision": "explicitDeny"}
}
"#;

const PLACED: &str = "case.json:7:76: policy identity[0] cannot be evaluated: error: Syntax \
                      errors in policy. (expected a member name in double quotes, found ',') \
                      [json-syntax] (policy text 1:59)";

#[test]
fn conform_and_explain_place_a_policy_error_in_the_case_file() {
    let dir = TempDir::new("policies-case");
    std::fs::write(dir.path().join("case.json"), CASE).unwrap();
    let out = xtask_in(dir.path())
        .args(["conform", "case.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("FAIL x (case.json:1): {PLACED}\n0 passed, 1 failed\n"),
        "{}",
        show(&out)
    );
    let out = xtask_in(dir.path())
        .args(["explain", "case.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let with_case = PLACED.replacen(": policy", ": case x: policy", 1);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("error: {with_case}\n"),
        "{}",
        show(&out)
    );
}

/// The inline policy starts at line 4 column 16; `Alow` is at line 5 column 43 of the file
/// and line 2 column 43 of the policy text.
const SCENARIO: &str = r#"{
  "roles": [{"name": "Analyst", "account": "111122223333",
             "identity_policies": [
               {"Version": "2012-10-17",
                "Statement": [{"Effect": "Alow", "Action": "*", "Resource": "*"}]}
             ]}],
  "operation": {"kind": "member_call", "caller": "Analyst", "region": "us-east-1",
                "action": "cleanrooms:StartProtectedQuery",
                "resource": "arn:aws:cleanrooms:us-east-1:111122223333:membership/m1"}
}
"#;

#[test]
fn scenario_places_a_policy_error_in_the_scenario_file() {
    let dir = TempDir::new("policies-scenario");
    std::fs::write(dir.path().join("s.json"), SCENARIO).unwrap();
    let out = xtask_in(dir.path())
        .args(["scenario", "s.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: s.json:5:43: policy roles[0].identity_policies[0] (inline policy) cannot be \
         evaluated: statement 0: Effect must be \"Allow\" or \"Deny\", not \"Alow\" (policy \
         text 2:43)\n",
        "{}",
        show(&out)
    );
}
