//! The operation table agrees with the catalogue, and the scenario format reports bad input
//! with positions and renders reports as documented in `docs/scenarios.md`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: failing loudly is the point"
)]

use iamcr_cleanrooms::Catalogue;
use iamcr_cleanrooms::scenario::{self, OPERATIONS, PassesRole, Scenario, operation_rule};

#[test]
fn every_table_action_is_catalogued() {
    let cat = Catalogue::load().unwrap();
    for rule in OPERATIONS {
        assert!(
            cat.action(rule.action).is_some(),
            "{} not in the catalogue",
            rule.action
        );
        let has_role = !matches!(rule.passes_role, PassesRole::No);
        assert_eq!(has_role, !rule.role_parameter.is_empty(), "{}", rule.action);
        assert!(
            has_role || rule.pass_membership || rule.pass_collaboration,
            "{} needs nothing extra",
            rule.action
        );
        assert!(!rule.source.is_empty());
    }
}

#[test]
fn sar_pass_role_dependencies_are_in_the_table() {
    let cat = Catalogue::load().unwrap();
    // Other services' actions (iam:AddRoleToInstanceProfile, s3:CreateJob, …) pass roles
    // too, but are not Clean Rooms operations.
    let clean_rooms = ["cleanrooms", "cleanrooms-ml"].map(|p| cat.service(p).unwrap());
    for action in clean_rooms.iter().flat_map(|s| s.actions()) {
        if !action.dependent_actions.iter().any(|d| d == "iam:PassRole") {
            continue;
        }
        let name = action.full_name();
        let rule = operation_rule(&name).unwrap_or_else(|| panic!("{name} missing"));
        let service = match rule.passes_role {
            PassesRole::Required(s) | PassesRole::Optional(s) => s,
            PassesRole::No => panic!("{name}: the SAR says it passes a role"),
        };
        let expected = format!("{}.amazonaws.com", action.service_prefix());
        assert_eq!(service, expected, "{name}");
    }
}

#[test]
fn rows_pass_roles_to_the_service_of_their_prefix() {
    for rule in OPERATIONS {
        if let PassesRole::Required(s) | PassesRole::Optional(s) = rule.passes_role {
            let prefix = rule.action.split(':').next().unwrap();
            assert_eq!(s, format!("{prefix}.amazonaws.com"), "{}", rule.action);
        }
        if rule.pass_membership || rule.pass_collaboration {
            assert!(rule.action.starts_with("cleanrooms-ml:"), "{}", rule.action);
        }
    }
    assert!(
        operation_rule("cleanrooms-ml:createtrainedmodel")
            .unwrap()
            .pass_membership
    );
    assert!(operation_rule("cleanrooms:GetCollaboration").is_none());
}

const MINIMAL: &str = r#"{
  "roles": [{"name": "Analyst", "account": "111122223333",
             "identity_policies": ["managed-AWSCleanRoomsFullAccessNoQuerying"]}],
  "operation": {"kind": "member_call", "caller": "Analyst", "region": "us-east-1",
                "action": "cleanrooms:StartProtectedQuery",
                "resource": "arn:aws:cleanrooms:us-east-1:111122223333:membership/m1"}
}"#;

#[test]
fn text_report_has_one_line_per_step_and_a_final_verdict() {
    let r = scenario::run(&Scenario::from_json(MINIMAL).unwrap());
    assert!(!r.allowed);
    assert_eq!(r.denied_at, Some(1));
    let text = r.render_text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "DENY call: arn:aws:sts::111122223333:assumed-role/Analyst/member \
         cleanrooms:StartProtectedQuery arn:aws:cleanrooms:us-east-1:111122223333:membership/m1 \
         — explicitDeny"
    );
    // The explanation of the failing step is indented under it.
    assert!(lines[1].starts_with("    "));
    assert!(text.contains("(CleanRoomsNoQuerying)"));
    assert_eq!(lines.last(), Some(&"scenario denied at step 1"));
}

#[test]
fn json_report_names_the_decision() {
    let r = scenario::run(&Scenario::from_json(MINIMAL).unwrap());
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["allowed"], false);
    assert_eq!(v["denied_at"], 1);
    assert_eq!(v["steps"][0]["decision"], "explicitDeny");
    assert_eq!(v["steps"][0]["action"], "cleanrooms:StartProtectedQuery");
    assert!(
        v["steps"][0]["explanation"]
            .as_str()
            .unwrap()
            .contains("decision: explicitDeny")
    );
}

fn error_of(text: &str) -> iamcr_cleanrooms::scenario::ReadError {
    Scenario::from_json(text).unwrap_err()
}

#[test]
fn bad_input_is_reported_where_it_is() {
    // An unknown parameter: at the parameter.
    let e = error_of(&MINIMAL.replace("\"region\"", "\"regoin\""));
    assert_eq!(e.line(), 4);
    assert!(e.to_string().contains("unknown field `regoin`"), "{e}");
    // An unknown corpus policy name: at the name.
    let e = error_of(&MINIMAL.replace("NoQuerying", "NoSuchThing"));
    assert_eq!(e.line(), 3);
    assert!(e.to_string().contains("no corpus policy is named"), "{e}");
    // A defective corpus policy: the policy's own diagnostic, with its position.
    let e = error_of(&MINIMAL.replace(
        "managed-AWSCleanRoomsFullAccessNoQuerying",
        "seed-002-audience-generation-resource-policy",
    ));
    assert!(e.to_string().contains("comments are not allowed"), "{e}");
    // A misspelt policy reference is not taken for an empty inline policy.
    let e = error_of(&MINIMAL.replace(
        "\"managed-AWSCleanRoomsFullAccessNoQuerying\"",
        "{\"nmae\": \"x\"}",
    ));
    assert!(
        e.to_string()
            .contains("neither \"name\", \"text\" nor \"Statement\""),
        "{e}"
    );
    // `kind` must come first, so that later errors keep their positions.
    let e = error_of(&MINIMAL.replace(
        "{\"kind\": \"member_call\", \"caller\": \"Analyst\",",
        "{\"caller\": \"Analyst\", \"kind\": \"member_call\",",
    ));
    assert!(
        e.to_string().contains("first member must be \"kind\""),
        "{e}"
    );
    // How the parts fit together is checked at the end of the document.
    let e = error_of(&MINIMAL.replace("\"caller\": \"Analyst\"", "\"caller\": \"Nobody\""));
    assert_eq!(e.line(), 7);
    assert!(e.to_string().contains("no role named \"Nobody\""), "{e}");
    let e = error_of(&MINIMAL.replace(
        "cleanrooms:StartProtectedQuery",
        "cleanrooms:CreateConfiguredTableAssociation",
    ));
    assert!(e.to_string().contains("give operation.pass_role"), "{e}");
    // JSON syntax errors are serde_json's own.
    let e = error_of("{\"roles\": [,]}");
    assert_eq!((e.line(), e.column()), (1, 12));
}

#[test]
fn pass_role_accepts_names_and_arns_and_optional_roles_are_noted() {
    let text = r#"{
      "roles": [{"name": "Admin", "account": "111122223333",
                 "identity_policies": ["managed-AWSCleanRoomsFullAccess"]}],
      "operation": {"kind": "member_call", "caller": "Admin", "region": "us-east-1",
                    "action": "cleanrooms:CreateMembership",
                    "resource": "arn:aws:cleanrooms:us-east-1:111122223333:membership/*"}
    }"#;
    let r = scenario::run(&Scenario::from_json(text).unwrap());
    assert!(r.allowed);
    assert_eq!(r.steps.len(), 1);
    assert!(r.notes[0].contains("optional role"), "{:?}", r.notes);
    let with_arn = text.replace(
        "\"action\"",
        "\"pass_role\": \"arn:aws:iam::111122223333:role/service-role/cleanrooms-results\", \"action\"",
    );
    let r = scenario::run(&Scenario::from_json(&with_arn).unwrap());
    let pass = r.step("pass-role").unwrap();
    assert!(pass.allowed(), "{}", pass.explanation);
    assert!(pass.explanation.contains("(PassServiceRole)"));
}

/// A scenario whose Analyst role has the identity policy `policy` (written as given).
fn with_identity_policy(policy: &str) -> String {
    format!(
        r#"{{
  "roles": [{{"name": "Analyst", "account": "111122223333",
             "identity_policies": [
               {policy}
             ]}}],
  "operation": {{"kind": "member_call", "caller": "Analyst", "region": "us-east-1",
                "action": "cleanrooms:StartProtectedQuery",
                "resource": "arn:aws:cleanrooms:us-east-1:111122223333:membership/m1"}}
}}"#
    )
}

fn placed(e: &iamcr_cleanrooms::scenario::ReadError) -> (usize, usize, &str) {
    (e.line(), e.column(), e.message())
}

/// `{"text": …}` on line 4 at column 16, its literal from column 26. Unescaped, the policy
/// is two lines, and the missing comma before `"Action"` is line 2 column 47 of the policy
/// text (`\t"Statement": {"Sid": "é😀", "Effect": "Allow" ` is 46 characters), 72
/// characters after its start (25 on line 1, and the newline). The escapes before it are
/// written with 32 more characters than they stand for (`\"` ×14, `\n` and `\t`: +1 each;
/// `\u00e9`: +5; `\uD83D\uDE00`: +11): column 26 + 72 + 32 = 130.
#[test]
fn a_policy_text_error_is_placed_back_through_the_escapes() {
    let e = error_of(&with_identity_policy(
        r#"{"text": "{\"Version\": \"2012-10-17\",\n\t\"Statement\": {\"Sid\": \"\u00e9\uD83D\uDE00\", \"Effect\": \"Allow\" \"Action\": \"*\", \"Resource\": \"*\"}}"}"#,
    ));
    assert_eq!(
        placed(&e),
        (
            4,
            130,
            "policy text does not parse: error: Syntax errors in policy. (expected ',' or '}', \
             found '\"') [json-syntax] (policy text 2:47)"
        )
    );
}

/// An inline policy starting at line 4 column 16: `Alow` is at line 5 column 43 of the
/// file, and of the policy text line 2 (whole lines after the first keep their columns).
#[test]
fn a_policy_the_model_cannot_compile_is_placed_at_the_element() {
    let e = error_of(&with_identity_policy(
        "{\"Version\": \"2012-10-17\",\n                \"Statement\": [{\"Effect\": \"Alow\", \"Action\": \"*\", \"Resource\": \"*\"}]}",
    ));
    assert_eq!(
        placed(&e),
        (
            5,
            43,
            "policy roles[0].identity_policies[0] (inline policy) cannot be evaluated: \
             statement 0: Effect must be \"Allow\" or \"Deny\", not \"Alow\" (policy text 2:43)"
        )
    );
}

/// A permissions boundary must have a `Resource` (a trust policy need not). The inline
/// policy starts at line 4 column 38; its statement's `{` is column 40 of the policy text,
/// column 38 + 39 = 77 of the file.
#[test]
fn a_statement_without_resource_is_placed_where_its_slot_needs_one() {
    let text = MINIMAL.replace(
        "\"identity_policies\": [\"managed-AWSCleanRoomsFullAccessNoQuerying\"]}],",
        "\"identity_policies\": [\"managed-AWSCleanRoomsFullAccessNoQuerying\"],\n             \
         \"permissions_boundary\": {\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\"}}}],",
    );
    let e = error_of(&text);
    assert_eq!(
        placed(&e),
        (
            4,
            77,
            "policy roles[0].permissions_boundary (inline policy) cannot be evaluated: \
             statement 0: the statement has no Resource or NotResource (policy text 1:40)"
        )
    );
    let as_trust = text.replace("permissions_boundary", "trust_policy");
    assert!(Scenario::from_json(&as_trust).is_ok());
}
