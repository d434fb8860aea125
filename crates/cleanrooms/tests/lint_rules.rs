//! One firing and one non-firing example per lint rule.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "The helpers below are outside #[test] functions; failing loudly is the point of test code."
)]

use iamcr_cleanrooms::lint::{Finding, Severity, infer_kind, lint};
use iamcr_policy::PolicyKind::{self, Identity, Resource, Trust};

/// An identity policy with one statement.
fn identity(statement: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statement}]}}"#)
}

/// An Allow statement with these actions, resources and condition (JSON fragments).
fn allow(action: &str, resource: &str, condition: Option<&str>) -> String {
    let cond = condition.map_or(String::new(), |c| format!(r#","Condition":{c}"#));
    identity(&format!(
        r#"{{"Effect":"Allow","Action":{action},"Resource":{resource}{cond}}}"#
    ))
}

fn run(text: &str, kind: PolicyKind) -> Vec<Finding> {
    lint(text, kind, None)
}

fn with_code<'a>(findings: &'a [Finding], code: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.code == code).collect()
}

#[track_caller]
fn fires(text: &str, kind: PolicyKind, code: &str) -> Finding {
    let f = run(text, kind);
    let hits = with_code(&f, code);
    assert!(
        !hits.is_empty(),
        "{code} did not fire on {text}; got {f:#?}"
    );
    hits[0].clone()
}

#[track_caller]
fn silent(text: &str, kind: PolicyKind, code: &str) {
    let f = run(text, kind);
    assert!(
        with_code(&f, code).is_empty(),
        "{code} fired on {text}: {f:#?}"
    );
}

/// Column (1-based) of the first occurrence of `needle` in a one-line text.
fn col(text: &str, needle: &str) -> u32 {
    text.find(needle).unwrap() as u32 + 1
}

#[test]
fn policy_crate_diagnostics_pass_through() {
    let text = r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
    let f = fires(text, Identity, "old-version");
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message
            .starts_with("Policy document must be version 2012-10-17")
    );
    silent(
        &allow(r#""s3:GetObject""#, r#""*""#, None),
        Identity,
        "old-version",
    );
}

#[test]
fn unknown_action() {
    let text = allow(
        r#"["cleanrooms:action1","ec2:Whatever","nosuchservice:Whatever"]"#,
        r#""*""#,
        None,
    );
    let f = fires(&text, Identity, "unknown-action");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.column, col(&text, "cleanrooms:action1"));
    assert!(f.message.contains("IAM accepts the policy"));
    // Two: every AWS service is catalogued (ec2 too); a prefix no service has is left alone.
    assert_eq!(with_code(&run(&text, Identity), "unknown-action").len(), 2);
    fires(
        &allow(r#""s3:Frobnicate*""#, r#""*""#, None),
        Identity,
        "unknown-action",
    );
    silent(
        &allow(
            r#"["cleanrooms:GetCollaboration","s3:Get*"]"#,
            r#""*""#,
            None,
        ),
        Identity,
        "unknown-action",
    );
}

#[test]
fn action_resource_mismatch() {
    let text = allow(r#""s3:GetObject""#, r#""arn:aws:s3:::bucket""#, None);
    let f = with_code(&run(&text, Identity), "action-resource-mismatch")
        .into_iter()
        .map(|f| f.column)
        .collect::<Vec<_>>();
    assert_eq!(
        f,
        vec![
            col(&text, "s3:GetObject"),
            col(&text, "arn:aws:s3:::bucket")
        ]
    );
    silent(
        &allow(r#""s3:GetObject""#, r#""arn:aws:s3:::bucket/*""#, None),
        Identity,
        "action-resource-mismatch",
    );
    // glue:GetTable requires the table (and catalog, database) ARNs.
    let db = r#"["arn:aws:glue:us-east-1:111122223333:catalog","arn:aws:glue:us-east-1:111122223333:database/d"]"#;
    let f = fires(
        &allow(r#""glue:GetTable""#, db, None),
        Identity,
        "action-resource-mismatch",
    );
    assert!(
        f.message.contains("glue:GetTable needs table"),
        "{}",
        f.message
    );
    let all = r#"["arn:aws:glue:us-east-1:111122223333:catalog","arn:aws:glue:us-east-1:111122223333:database/d","arn:aws:glue:us-east-1:111122223333:table/d/*"]"#;
    silent(
        &allow(r#""glue:GetTable""#, all, None),
        Identity,
        "action-resource-mismatch",
    );
    // An action without resource-level permissions needs "*".
    fires(
        &allow(r#""s3:ListAllMyBuckets""#, r#""arn:aws:s3:::b""#, None),
        Identity,
        "action-resource-mismatch",
    );
    silent(
        &allow(r#""s3:ListAllMyBuckets""#, r#""*""#, None),
        Identity,
        "action-resource-mismatch",
    );
    // A wildcard pattern is fine when any action it matches fits.
    silent(
        &allow(r#""s3:*""#, r#""arn:aws:s3:::b""#, None),
        Identity,
        "action-resource-mismatch",
    );
    // The Clean Rooms ML job ARN that the user guide adds for StartAudienceGenerationJob.
    let ml = r#"["arn:aws:cleanrooms-ml:us-east-1:444455556666:configured-audience-model/id","arn:aws:cleanrooms-ml:us-east-1:444455556666:audience-generation-job/*"]"#;
    silent(
        &allow(r#""cleanrooms-ml:StartAudienceGenerationJob""#, ml, None),
        Identity,
        "action-resource-mismatch",
    );
}

#[test]
fn condition_key_not_applicable() {
    let c = r#"{"StringEquals":{"s3:ResourceAccount":"111122223333"}}"#;
    let text = allow(r#""glue:GetTable""#, r#""*""#, Some(c));
    let f = fires(&text, Identity, "condition-key-not-applicable");
    assert_eq!(f.column, col(&text, "s3:ResourceAccount"));
    assert_eq!(
        f.path,
        "Statement[0].Condition.StringEquals.s3:ResourceAccount"
    );
    assert_eq!(f.severity, Severity::Error);
    silent(
        &allow(r#""s3:GetObject""#, r#""*""#, Some(c)),
        Identity,
        "condition-key-not-applicable",
    );
    let global = r#"{"StringEquals":{"aws:ResourceAccount":"111122223333"}}"#;
    silent(
        &allow(r#""glue:GetTable""#, r#""*""#, Some(global)),
        Identity,
        "condition-key-not-applicable",
    );
    // Template keys resolve to their catalogue definition.
    let kms = r#"{"StringLike":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::b/*"}}"#;
    silent(
        &allow(r#""kms:Decrypt""#, r#""*""#, Some(kms)),
        Identity,
        "condition-key-not-applicable",
    );
}

#[test]
fn unknown_condition_key() {
    for key in ["s3:NoSuchKey", "aws:NoSuchKey"] {
        let c = format!(r#"{{"StringEquals":{{"{key}":"x"}}}}"#);
        let f = fires(
            &allow(r#""s3:GetObject""#, r#""*""#, Some(&c)),
            Identity,
            "unknown-condition-key",
        );
        assert_eq!(f.severity, Severity::Error);
    }
    let c = r#"{"StringEquals":{"ec2:Region":"x","aws:PrincipalTag/team":"x"}}"#;
    silent(
        &allow(r#""s3:GetObject""#, r#""*""#, Some(c)),
        Identity,
        "unknown-condition-key",
    );
}

#[test]
fn operator_type_mismatch() {
    let case = |op: &str, key: &str, value: &str| {
        let c = format!(r#"{{"{op}":{{"{key}":{value}}}}}"#);
        allow(r#""s3:GetObject""#, r#""*""#, Some(&c))
    };
    let f = fires(
        &case("NumericEquals", "aws:SourceAccount", "1"),
        Identity,
        "operator-type-mismatch",
    );
    assert_eq!(f.severity, Severity::Warning);
    fires(
        &case(
            "ArnLike",
            "sts:ExternalId",
            r#""arn:aws:x:us-east-1:111122223333:y""#,
        ),
        Identity,
        "operator-type-mismatch",
    );
    fires(
        &case("StringEquals", "aws:CurrentTime", r#""2020-01-01""#),
        Identity,
        "operator-type-mismatch",
    );
    fires(
        &case("StringEquals", "aws:SecureTransport", r#""true""#),
        Identity,
        "operator-type-mismatch",
    );
    let arn = r#""arn:aws:s3:::b""#;
    let f = fires(
        &case("StringEquals", "aws:SourceArn", arn),
        Identity,
        "operator-type-mismatch",
    );
    assert_eq!(f.severity, Severity::Suggestion);
    let f = fires(
        &case("StringLike", "aws:SourceArn", arn),
        Identity,
        "operator-type-mismatch",
    );
    assert_eq!(f.severity, Severity::Warning);
    for (op, key, value) in [
        ("ArnLike", "aws:SourceArn", arn),
        (
            "DateGreaterThan",
            "aws:CurrentTime",
            r#""2020-01-01T00:00:00Z""#,
        ),
        ("NumericLessThan", "aws:EpochTime", "1700000000"),
        ("Bool", "aws:SecureTransport", "true"),
        ("Null", "aws:SourceAccount", "true"),
        ("StringEquals", "aws:SourceAccount", r#""111122223333""#),
    ] {
        silent(&case(op, key, value), Identity, "operator-type-mismatch");
    }
}

#[test]
fn set_operators() {
    let c = r#"{"ForAnyValue:ArnEquals":{"aws:SourceArn":["arn:aws:cleanrooms:us-east-1:111122223333:membership/m"]}}"#;
    let text = allow(r#""s3:GetObject""#, r#""*""#, Some(c));
    let f = fires(&text, Identity, "set-operator-on-single-valued-key");
    assert_eq!(f.column, col(&text, "ForAnyValue"));
    let c = r#"{"ForAnyValue:StringEquals":{"aws:CalledVia":"cleanrooms.amazonaws.com"}}"#;
    let ok = allow(r#""s3:GetObject""#, r#""*""#, Some(c));
    silent(&ok, Identity, "set-operator-on-single-valued-key");
    silent(&ok, Identity, "multivalued-key-without-set-operator");
    let c = r#"{"StringEquals":{"aws:TagKeys":"team"}}"#;
    fires(
        &allow(r#""s3:GetObject""#, r#""*""#, Some(c)),
        Identity,
        "multivalued-key-without-set-operator",
    );
    let c = r#"{"Null":{"aws:TagKeys":"true"}}"#;
    silent(
        &allow(r#""s3:GetObject""#, r#""*""#, Some(c)),
        Identity,
        "multivalued-key-without-set-operator",
    );
}

#[test]
fn malformed_arn_values() {
    let c = r#"{"StringLikeIfExists":{"aws:SourceArn":"arn:aw:cleanrooms-ml:us-east-1:111122223333:x/*"}}"#;
    let text = allow(r#""s3:GetObject""#, r#""*""#, Some(c));
    let f = fires(&text, Identity, "malformed-arn-value");
    assert_eq!(f.column, col(&text, "arn:aw:"));
    assert!(
        f.message.contains("unknown partition \"aw\""),
        "{}",
        f.message
    );
    let r = r#""arn:aws:glue:aws-region:accountId:database/d""#;
    let f = fires(
        &allow(r#""glue:GetDatabase""#, r, None),
        Identity,
        "malformed-arn-value",
    );
    assert!(
        f.message.starts_with("placeholder left in"),
        "{}",
        f.message
    );
    silent(
        &allow(
            r#""glue:GetDatabase""#,
            r#""arn:aws:glue:us-east-1:111122223333:database/d""#,
            None,
        ),
        Identity,
        "malformed-arn-value",
    );
    // IAM rejects this resource; its error is the one finding about it.
    let text = allow(
        r#""s3:GetObject""#,
        r#""arn:aws:s3::bucket/prefix/*""#,
        None,
    );
    let f = run(&text, Identity);
    assert_eq!(with_code(&f, "invalid-resource").len(), 1);
    assert!(with_code(&f, "malformed-arn-value").is_empty(), "{f:#?}");
    assert_eq!(
        with_code(&f, "invalid-resource")[0].column,
        col(&text, "arn:aws:s3::")
    );
}

#[test]
fn malformed_account_values() {
    let c = |v: &str| format!(r#"{{"StringEquals":{{"s3:ResourceAccount":"{v}"}}}}"#);
    fires(
        &allow(r#""s3:GetObject""#, r#""*""#, Some(&c("accountId"))),
        Identity,
        "malformed-account-value",
    );
    silent(
        &allow(r#""s3:GetObject""#, r#""*""#, Some(&c("111122223333"))),
        Identity,
        "malformed-account-value",
    );
}

fn trust(service: &str, condition: Option<&str>) -> String {
    let cond = condition.map_or(String::new(), |c| format!(r#","Condition":{c}"#));
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"{service}"}},"Action":"sts:AssumeRole"{cond}}}]}}"#
    )
}

#[test]
fn confused_deputy() {
    let text = trust("cleanrooms.amazonaws.com", None);
    let f = fires(&text, Trust, "confused-deputy-missing");
    assert_eq!(f.column, col(&text, "cleanrooms.amazonaws.com"));
    assert_eq!(f.path, "Statement[0].Principal.Service");
    let account = r#"{"StringEquals":{"aws:SourceAccount":"111122223333"}}"#;
    silent(
        &trust("cleanrooms-ml.amazonaws.com", Some(account)),
        Trust,
        "confused-deputy-missing",
    );
    let if_exists = r#"{"StringEqualsIfExists":{"aws:SourceAccount":"111122223333"}}"#;
    let f = fires(
        &trust("cleanrooms-ml.amazonaws.com", Some(if_exists)),
        Trust,
        "confused-deputy-missing",
    );
    assert!(f.message.contains("IfExists"));
    let external = r#"{"StringEquals":{"sts:ExternalId":"x"}}"#;
    silent(
        &trust("cleanrooms.amazonaws.com", Some(external)),
        Trust,
        "confused-deputy-missing",
    );
    fires(
        &trust("cleanrooms-ml.amazonaws.com", Some(external)),
        Trust,
        "confused-deputy-missing",
    );
    silent(
        &trust("glue.amazonaws.com", None),
        Trust,
        "confused-deputy-missing",
    );
}

#[test]
fn pass_role() {
    let f = fires(
        &allow(r#""iam:PassRole""#, r#""*""#, None),
        Identity,
        "passrole-unrestricted",
    );
    assert!(f.message.contains("every role"));
    fires(
        &allow(r#""iam:*""#, r#""*""#, None),
        Identity,
        "passrole-unrestricted",
    );
    let role = r#""arn:aws:iam::111122223333:role/service-role/cr""#;
    let f = fires(
        &allow(r#""iam:PassRole""#, role, None),
        Identity,
        "passrole-unrestricted",
    );
    assert!(f.message.contains("iam:PassedToService"));
    let c = r#"{"StringEquals":{"iam:PassedToService":"cleanrooms.amazonaws.com"}}"#;
    silent(
        &allow(r#""iam:PassRole""#, role, Some(c)),
        Identity,
        "passrole-unrestricted",
    );
    let deny = identity(r#"{"Effect":"Deny","Action":"iam:PassRole","Resource":"*"}"#);
    silent(&deny, Identity, "passrole-unrestricted");
}

fn ml_resource_policy(principal: &str, condition: Option<&str>) -> String {
    let cond = condition.map_or(String::new(), |c| format!(r#","Condition":{c}"#));
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"A","Effect":"Allow","Principal":{{"AWS":"{principal}"}},"Action":"cleanrooms-ml:StartAudienceGenerationJob","Resource":"arn:aws:cleanrooms-ml:us-east-1:444455556666:configured-audience-model/id"{cond}}}]}}"#
    )
}

#[test]
fn cross_account_without_collaboration_id() {
    let text = ml_resource_policy("111122223333", None);
    let f = fires(&text, Resource, "cross-account-without-collaboration-id");
    assert_eq!(f.column, col(&text, "111122223333"));
    let c = r#"{"StringEquals":{"cleanrooms-ml:CollaborationId":"c"}}"#;
    silent(
        &ml_resource_policy("111122223333", Some(c)),
        Resource,
        "cross-account-without-collaboration-id",
    );
    silent(
        &ml_resource_policy("444455556666", None),
        Resource,
        "cross-account-without-collaboration-id",
    );
}

#[test]
fn redundant_entries() {
    let text = allow(r#"["s3:*","s3:GetObject"]"#, r#""*""#, None);
    let f = fires(&text, Identity, "redundant-wildcard");
    assert_eq!(
        (f.severity, f.column),
        (Severity::Suggestion, col(&text, "s3:GetObject"))
    );
    assert_eq!(f.path, "Statement[0].Action[1]");
    fires(
        &allow(r#""s3:GetObject""#, r#"["*","arn:aws:s3:::b/*"]"#, None),
        Identity,
        "redundant-wildcard",
    );
    silent(
        &allow(r#"["s3:GetObject","s3:PutObject"]"#, r#""*""#, None),
        Identity,
        "redundant-wildcard",
    );
}

#[test]
fn not_action_and_not_resource_with_allow() {
    let text = identity(r#"{"Effect":"Allow","NotAction":"iam:*","NotResource":"arn:aws:s3:::b"}"#);
    fires(&text, Identity, "notaction-with-allow");
    fires(&text, Identity, "notresource-with-allow");
    let deny = identity(r#"{"Effect":"Deny","NotAction":"iam:*","NotResource":"arn:aws:s3:::b"}"#);
    silent(&deny, Identity, "notaction-with-allow");
    silent(&deny, Identity, "notresource-with-allow");
}

#[test]
fn missing_version() {
    let text = trust("glue.amazonaws.com", None).replace(r#""Version":"2012-10-17","#, "");
    let f = fires(&text, Trust, "missing-version");
    assert_eq!((f.severity, f.line, f.column), (Severity::Warning, 1, 1));
    silent(&trust("glue.amazonaws.com", None), Trust, "missing-version");
    // Identity policies need the Version: that is the policy crate's error instead.
    let id = allow(r#""s3:GetObject""#, r#""*""#, None).replace(r#""Version":"2012-10-17","#, "");
    silent(&id, Identity, "missing-version");
}

#[test]
fn sid_charset_in_resource_policies() {
    let text = ml_resource_policy("444455556666", None).replace(r#""Sid":"A""#, r#""Sid":"A-b""#);
    let f = fires(&text, Resource, "sid-charset");
    assert_eq!(
        (f.severity, f.column),
        (Severity::Warning, col(&text, "A-b"))
    );
    silent(
        &ml_resource_policy("444455556666", None),
        Resource,
        "sid-charset",
    );
}

#[test]
fn reads_past_a_runaway_comment_and_extra_closers() {
    let text = r#"{ "Version": "2012-10-17", "Statement": [ { "Sid": "a-b", "Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "cleanrooms-ml:StartAudienceGenerationJob", "Resource": "*", // note "Condition": {} } ] }"#;
    let f = run(text, Resource);
    assert!(!with_code(&f, "json-comment").is_empty());
    assert_eq!(
        fires(text, Resource, "sid-charset").column,
        col(text, "a-b")
    );
    let fragment = "{\"Effect\":\"Allow\"}\n ]\n}";
    let f = run(fragment, Identity);
    let closers: Vec<(u32, u32)> = with_code(&f, "json-syntax")
        .iter()
        .map(|f| (f.line, f.column))
        .collect();
    assert_eq!(closers, vec![(2, 2), (3, 1)]);
}

#[test]
fn findings_are_sorted_and_render_as_documented() {
    let text = allow(
        r#"["s3:*","s3:GetObject","cleanrooms:nope"]"#,
        r#""*""#,
        None,
    );
    let f = lint(&text, Identity, Some(std::path::Path::new("p.json")));
    let positions: Vec<(u32, u32)> = f.iter().map(|f| (f.line, f.column)).collect();
    let mut sorted = positions.clone();
    sorted.sort();
    assert_eq!(positions, sorted);
    let first = &f[0];
    assert_eq!(
        first.to_string(),
        format!(
            "p.json:1:{}: suggestion[redundant-wildcard]: {}",
            first.column, first.message
        )
    );
    let json = first.to_json();
    let mut keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "code",
            "column",
            "file",
            "finding_type",
            "line",
            "message",
            "path",
            "severity"
        ]
    );
}

#[test]
fn kind_inference() {
    assert_eq!(
        infer_kind(&trust("cleanrooms.amazonaws.com", None)).kind,
        Trust
    );
    assert_eq!(infer_kind(&ml_resource_policy("1", None)).kind, Resource);
    assert_eq!(
        infer_kind(&allow(r#""s3:GetObject""#, r#""*""#, None)).kind,
        Identity
    );
    assert_eq!(infer_kind("not json").kind, Identity);
}

#[test]
fn non_arn_values_of_arn_keys() {
    let c = |op: &str, v: &str| format!(r#"{{"{op}":{{"aws:SourceArn":"{v}"}}}}"#);
    let run_c = |op: &str, v: &str| allow(r#""s3:GetObject""#, r#""*""#, Some(&c(op, v)));
    fires(
        &run_c("ArnEquals", "membership/m"),
        Identity,
        "malformed-arn-value",
    );
    fires(
        &run_c("StringEquals", "membership/m"),
        Identity,
        "malformed-arn-value",
    );
    silent(
        &run_c("StringLike", "*cleanrooms*"),
        Identity,
        "malformed-arn-value",
    );
    silent(&run_c("ArnLike", "*"), Identity, "malformed-arn-value");
}

/// A trust statement with this principal JSON and condition.
fn trust_of(principal: &str, action: &str, condition: Option<&str>) -> String {
    let cond = condition.map_or(String::new(), |c| format!(r#","Condition":{c}"#));
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{principal},"Action":{action}{cond}}}]}}"#
    )
}

#[test]
fn principal_anyone_in_trust_policies() {
    let text = trust_of(r#"{"AWS":"*"}"#, r#""sts:AssumeRole""#, None);
    let f = fires(&text, Trust, "principal-anyone");
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.finding_type(), "SECURITY_WARNING");
    assert_eq!(f.column, col(&text, r#"*"}"#));
    assert_eq!(f.path, "Statement[0].Principal.AWS");
    assert!(f.to_string().contains("security-warning[principal-anyone]"));
    // `"Principal": "*"` and a list holding `*` are the same grant.
    fires(
        &trust_of(r#""*""#, r#""sts:AssumeRole""#, None),
        Trust,
        "principal-anyone",
    );
    let listed = trust_of(
        r#"{"AWS":["arn:aws:iam::111122223333:root","*"]}"#,
        r#"["sts:AssumeRole","sts:TagSession"]"#,
        None,
    );
    assert_eq!(
        fires(&listed, Trust, "principal-anyone").path,
        "Statement[0].Principal.AWS[1]"
    );
    // Conditions that only look like restrictions: an external ID (not a secret), IfExists
    // (passes when the key is absent), a negated operator, a value that is all wildcards.
    for weak in [
        r#"{"StringEquals":{"sts:ExternalId":"abc"}}"#,
        r#"{"StringEqualsIfExists":{"aws:PrincipalOrgID":"o-abc123"}}"#,
        r#"{"StringNotEquals":{"aws:PrincipalAccount":"111122223333"}}"#,
        r#"{"StringLike":{"aws:PrincipalOrgID":"*"}}"#,
    ] {
        fires(
            &trust_of(r#"{"AWS":"*"}"#, r#""sts:AssumeRole""#, Some(weak)),
            Trust,
            "principal-anyone",
        );
    }
    // Near misses: a condition naming the organization or the source account; a named
    // account; a Deny; NotPrincipal (another rule).
    for named in [
        r#"{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}"#,
        r#"{"StringEquals":{"aws:SourceAccount":"111122223333"}}"#,
        r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/*"}}"#,
    ] {
        silent(
            &trust_of(r#"{"AWS":"*"}"#, r#""sts:AssumeRole""#, Some(named)),
            Trust,
            "principal-anyone",
        );
    }
    silent(
        &trust_of(r#"{"AWS":"111122223333"}"#, r#""sts:AssumeRole""#, None),
        Trust,
        "principal-anyone",
    );
    let deny = trust_of(r#"{"AWS":"*"}"#, r#""sts:AssumeRole""#, None).replace("Allow", "Deny");
    silent(&deny, Trust, "principal-anyone");
}

#[test]
fn principal_anyone_in_resource_policies() {
    let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]}"#;
    let f = fires(text, Resource, "principal-anyone");
    assert!(f.message.contains("any principal"), "{}", f.message);
    let org = text.replace(
        r#""Resource""#,
        r#""Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}},"Resource""#,
    );
    silent(&org, Resource, "principal-anyone");
    // An identity policy has no Principal to speak of.
    silent(
        &allow(r#""s3:GetObject""#, r#""*""#, None),
        Identity,
        "principal-anyone",
    );
}

#[test]
fn full_access() {
    let text = allow(r#""*""#, r#""*""#, None);
    let f = fires(&text, Identity, "full-access");
    assert_eq!(f.finding_type(), "SECURITY_WARNING");
    assert_eq!(f.column, col(&text, r#"*","Resource"#));
    assert_eq!(f.path, "Statement[0].Action");
    let listed = allow(r#"["s3:GetObject","*"]"#, r#"["arn:aws:s3:::b","*"]"#, None);
    assert_eq!(
        fires(&listed, Identity, "full-access").path,
        "Statement[0].Action[1]"
    );
    // Near misses: every action on one resource, one service's actions on every resource,
    // NotAction, a Deny, and a permissions boundary (where `*` on `*` is the usual filter).
    silent(
        &allow(r#""*""#, r#""arn:aws:s3:::b""#, None),
        Identity,
        "full-access",
    );
    silent(&allow(r#""s3:*""#, r#""*""#, None), Identity, "full-access");
    let not_action = identity(r#"{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}"#);
    silent(&not_action, Identity, "full-access");
    silent(&text.replace("Allow", "Deny"), Identity, "full-access");
    silent(&text, PolicyKind::Boundary, "full-access");
}

#[test]
fn unreadable_condition_value() {
    let cond = r#"{"NumericLessThan":{"s3:max-keys":"1e999999999"}}"#;
    let text = allow(r#""s3:ListBucket""#, r#""arn:aws:s3:::b""#, Some(cond));
    let f = fires(&text, Identity, "unreadable-condition-value");
    assert_eq!(
        (f.severity, f.finding_type()),
        (Severity::Warning, "WARNING")
    );
    assert_eq!(f.column, col(&text, "1e999999999"));
    assert!(f.message.contains("never true"), "{}", f.message);
    // A JSON number, a word, a negated operator (always true instead), IP and Bool values.
    let number = r#"{"NumericLessThan":{"s3:max-keys":[10,1e999999999]}}"#;
    let f = fires(
        &allow(r#""s3:ListBucket""#, r#""*""#, Some(number)),
        Identity,
        "unreadable-condition-value",
    );
    assert_eq!(
        f.path,
        "Statement[0].Condition.NumericLessThan.s3:max-keys[1]"
    );
    let negated = r#"{"NumericNotEquals":{"s3:max-keys":"ten"}}"#;
    let f = fires(
        &allow(r#""s3:ListBucket""#, r#""*""#, Some(negated)),
        Identity,
        "unreadable-condition-value",
    );
    assert!(
        f.message.contains("true for every request"),
        "{}",
        f.message
    );
    for bad in [
        r#"{"IpAddress":{"aws:SourceIp":"300.1.1.1"}}"#,
        r#"{"Bool":{"aws:SecureTransport":"yes"}}"#,
    ] {
        fires(
            &allow(r#""s3:ListBucket""#, r#""*""#, Some(bad)),
            Identity,
            "unreadable-condition-value",
        );
    }
    // Near misses: large but readable numbers, decimals, CIDR blocks, booleans, variables.
    for good in [
        r#"{"NumericLessThan":{"s3:max-keys":["1e300","99999999999999999999999","-0.5",7]}}"#,
        r#"{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32"]}}"#,
        r#"{"Bool":{"aws:SecureTransport":["true",false]}}"#,
        r#"{"NumericLessThan":{"s3:max-keys":"${aws:PrincipalTag/limit}"}}"#,
    ] {
        silent(
            &allow(r#""s3:ListBucket""#, r#""*""#, Some(good)),
            Identity,
            "unreadable-condition-value",
        );
    }
}

/// `Allow` with `NotPrincipal` (issue 15): "NotPrincipal must be used with "Effect":"Deny".
/// Using it with "Effect":"Allow" is not supported." (reference_policies_elements_notprincipal.html).
/// The linter reports the policy crate's error, where the NotPrincipal is, whether the kind is
/// given or inferred; the same element with `Deny` is not reported.
#[test]
fn allow_with_not_principal_is_reported() {
    let np = r#""NotPrincipal":{"AWS":"arn:aws:iam::111122223333:user/bob"}"#;
    let text = |effect: &str| {
        identity(&format!(
            r#"{{"Effect":"{effect}",{np},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#
        ))
    };
    let allow = text("Allow");
    let f = fires(&allow, Resource, "notprincipal-with-allow");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.column, col(&allow, "NotPrincipal"));
    let inferred = infer_kind(&allow);
    let f = lint(&allow, inferred.kind, None);
    assert!(
        f.iter().any(|f| f.code == "notprincipal-with-allow"),
        "inferred {:?}: {f:#?}",
        inferred.kind
    );
    silent(&text("Deny"), Resource, "notprincipal-with-allow");
}
