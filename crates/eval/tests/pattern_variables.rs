//! Policy variables in patterns, as the IAM User Guide describes them
//! (reference_policies_variables.html, summarised in docs/evaluation.md and
//! ../shared/reference/iam-facts.md (d)):
//! - `${key}` is replaced by the key's value; "multivalued keys cannot be used as policy
//!   variables"; `${key, 'default'}` falls back to the quoted default; a variable with no
//!   value and no default matches nothing;
//! - `${*}`, `${?}`, `${$}` insert a literal `*`, `?`, `$`; substituted text is literal;
//! - variables exist only under `"Version": "2012-10-17"`, and in `Resource` only after the
//!   fifth colon.
//!
//! Also what a compiled pattern tells about itself (`exact_text`, `action_service`,
//! `has_variables`), which the evaluator's statement index relies on.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Test code: a malformed fixture must stop the test with its message."
)]

use iamcr_eval::pattern::{MatchResult, Mode, Pattern};
use iamcr_eval::{Authorizer, Context, Decision, PolicySet, Principal, Request, ValueType};

fn request() -> Request {
    let who = Principal::from_arn("arn:aws:iam::111122223333:user/alice").unwrap();
    let mut ctx = Context::new().with("aws:PrincipalTag/team", "blue");
    ctx.insert(
        "aws:PrincipalTag/star",
        ValueType::String,
        false,
        vec!["b*?".into()],
    );
    ctx.insert("x:list-of-one", ValueType::String, true, vec!["one".into()]);
    ctx.insert(
        "x:list-of-two",
        ValueType::String,
        true,
        vec!["a".into(), "b".into()],
    );
    ctx.insert("x:no-value", ValueType::String, false, vec![]);
    Request::with_context(who, "s3:GetObject", "*", None, ctx)
}

fn matches(pattern: &str, mode: Mode, text: &str) -> bool {
    Pattern::new(pattern, mode, true)
        .matches(text, &request())
        .is_match()
}

#[test]
fn only_a_single_valued_key_with_one_value_is_a_variable_value() {
    let r = request();
    let p = Pattern::new("v-${aws:PrincipalTag/team, 'dflt'}", Mode::Plain, true);
    assert!(p.matches("v-blue", &r).is_match());
    assert!(!p.matches("v-dflt", &r).is_match());
    assert_eq!(p.resolve_text(&r).as_deref(), Ok("v-blue"));
    // Multivalued keys (even with a single value) and keys without a value: the default.
    for key in ["x:list-of-one", "x:list-of-two", "x:no-value", "x:absent"] {
        let p = Pattern::new(&format!("v-${{{key}, 'dflt'}}"), Mode::Plain, true);
        assert!(p.matches("v-dflt", &r).is_match(), "{key}");
        for value in ["v-one", "v-a", "v-b", "v-"] {
            assert!(!p.matches(value, &r).is_match(), "{key} {value}");
        }
        assert_eq!(p.resolve_text(&r).as_deref(), Ok("v-dflt"), "{key}");
        // Without a default the pattern matches nothing and names the key.
        let p = Pattern::new(&format!("v-${{{key}}}"), Mode::Plain, true);
        let lower = key.to_ascii_lowercase();
        assert_eq!(
            p.matches("v-one", &r),
            MatchResult::Unresolved(lower.clone())
        );
        assert_eq!(p.resolve_text(&r), Err(lower.clone()));
        let exact = Pattern::new(&format!("v-${{{key}}}"), Mode::Exact, true);
        assert_eq!(exact.matches("v-one", &r), MatchResult::Unresolved(lower));
    }
}

#[test]
fn special_variables_insert_literal_characters_that_are_never_wildcards() {
    for mode in [Mode::Plain, Mode::ArnComponents, Mode::Exact] {
        assert!(matches("a${*}b", mode, "a*b"), "{mode:?}");
        assert!(!matches("a${*}b", mode, "axb"), "{mode:?}");
        assert!(matches("a${?}b", mode, "a?b"), "{mode:?}");
        assert!(!matches("a${?}b", mode, "axb"), "{mode:?}");
        assert!(matches("a${$}b", mode, "a$b"), "{mode:?}");
        assert!(!matches("a${$}b", mode, "a${$}b"), "{mode:?}");
    }
    let p = Pattern::new("a${*}b${?}${$}", Mode::Plain, true);
    assert!(!p.has_variables());
    assert_eq!(p.exact_text(), Some("a*b?$"));
    // In a resource, in the resource part.
    let arn = "arn:aws:s3:::bucket/${*}/${?}";
    assert!(matches(
        arn,
        Mode::ResourceElement,
        "arn:aws:s3:::bucket/*/?"
    ));
    assert!(!matches(
        arn,
        Mode::ResourceElement,
        "arn:aws:s3:::bucket/x/y"
    ));
    // Next to a real variable, with no wildcards (StringEquals).
    let p = "${aws:PrincipalTag/team}${?}${$}${*}";
    assert!(matches(p, Mode::Exact, "blue?$*"));
    assert!(!matches(p, Mode::Exact, "blue$$*"));
    assert!(!matches(p, Mode::Exact, "blue?$"));
    // Without variables (`2008-10-17`) `${*}` is text with a real wildcard in it.
    let p = Pattern::new("a${*}b", Mode::Plain, false);
    assert!(p.matches("a${anything}b", &request()).is_match());
    assert!(!p.matches("a*b", &request()).is_match());
}

#[test]
fn a_substituted_value_is_literal_text() {
    // The tag value is `b*?`.
    let p = "arn:aws:s3:::bucket/${aws:PrincipalTag/star}/x";
    assert!(matches(
        p,
        Mode::ResourceElement,
        "arn:aws:s3:::bucket/b*?/x"
    ));
    assert!(!matches(
        p,
        Mode::ResourceElement,
        "arn:aws:s3:::bucket/bzz/x"
    ));
    assert!(matches("t-${aws:PrincipalTag/star}", Mode::Plain, "t-b*?"));
    assert!(!matches("t-${aws:PrincipalTag/star}", Mode::Plain, "t-bxy"));
    // The wildcards written around it still work.
    assert!(matches(
        "?-${aws:PrincipalTag/team}*",
        Mode::Plain,
        "t-blue-and-more"
    ));
    assert!(!matches(
        "?-${aws:PrincipalTag/team}*",
        Mode::Plain,
        "t-blu"
    ));
}

#[test]
fn text_that_is_not_a_well_formed_variable_stays_literal() {
    for text in [
        "a${}b",
        "a${ }b",
        "a${aws:user name}b",
        "a${aws:username, dflt}b",
        "a${aws:username, 'dflt}b",
        "a${aws:username",
    ] {
        let p = Pattern::new(text, Mode::Plain, true);
        assert!(!p.has_variables(), "{text}");
        assert!(p.matches(text, &request()).is_match(), "{text}");
        assert_eq!(p.resolve_text(&request()).as_deref(), Ok(text));
    }
    // A well-formed one with a quoted default is a variable.
    let p = Pattern::new("a${aws:username, 'dflt'}b", Mode::Plain, true);
    assert!(p.has_variables());
    assert!(p.matches("aaliceb", &request()).is_match());
}

#[test]
fn resource_variables_are_recognised_only_in_the_resource_part() {
    // Right after the fifth colon.
    let p = Pattern::new(
        "arn:aws:iam::111122223333:${aws:username}",
        Mode::ResourceElement,
        true,
    );
    assert!(p.has_variables());
    assert!(
        p.matches("arn:aws:iam::111122223333:alice", &request())
            .is_match()
    );
    // In the account segment: literal text.
    let text = "arn:aws:iam::${aws:PrincipalAccount}:user/alice";
    let p = Pattern::new(text, Mode::ResourceElement, true);
    assert!(!p.has_variables());
    assert!(p.matches(text, &request()).is_match());
    assert!(
        !p.matches("arn:aws:iam::111122223333:user/alice", &request())
            .is_match()
    );
    // Condition values (ArnLike) take variables anywhere.
    let p = Pattern::new(text, Mode::ArnComponents, true);
    assert!(p.has_variables());
    assert!(
        p.matches("arn:aws:iam::111122223333:user/alice", &request())
            .is_match()
    );
}

#[test]
fn variables_are_recognised_only_under_version_2012_10_17() {
    let policy = |version: &str| {
        iamcr_policy::parse(&format!(
            r#"{{{version}"Statement":{{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${{aws:username}}/*"}}}}"#
        ))
        .unwrap()
    };
    let alice = Principal::from_arn("arn:aws:iam::111122223333:user/alice").unwrap();
    let decide = |version: &str, object: &str| {
        let set = PolicySet {
            identity: vec![policy(version)],
            ..PolicySet::default()
        };
        let req = Request::new(alice.clone(), "s3:GetObject", object);
        Authorizer::new(&set).unwrap().evaluate(&req).decision
    };
    let own = "arn:aws:s3:::home/alice/notes.txt";
    let literal = "arn:aws:s3:::home/${aws:username}/notes.txt";
    assert_eq!(decide(r#""Version":"2012-10-17","#, own), Decision::Allowed);
    assert_eq!(
        decide(r#""Version":"2012-10-17","#, literal),
        Decision::ImplicitDeny
    );
    for old in [r#""Version":"2008-10-17","#, ""] {
        assert_eq!(decide(old, own), Decision::ImplicitDeny, "{old}");
        assert_eq!(decide(old, literal), Decision::Allowed, "{old}");
    }
}

#[test]
fn exact_patterns_substitute_but_have_no_wildcards() {
    let p = "team-${aws:PrincipalTag/team}";
    assert!(matches(p, Mode::Exact, "team-blue"));
    assert!(!matches(p, Mode::Exact, "team-blue2"));
    assert!(!matches(p, Mode::Exact, "team-"));
    assert!(!matches(p, Mode::Exact, "xteam-blue"));
    assert!(matches("a*${aws:PrincipalTag/team}", Mode::Exact, "a*blue"));
    assert!(!matches(
        "a*${aws:PrincipalTag/team}",
        Mode::Exact,
        "axblue"
    ));
    let plain = Pattern::new("a*?", Mode::Exact, true);
    assert_eq!(plain.exact_text(), Some("a*?"));
}

#[test]
fn action_patterns_report_their_service_and_exact_name() {
    let r = request();
    for (text, service, exact) in [
        ("IAM:Get*", Some("iam"), None),
        (
            "cleanrooms:GetCollaboration",
            Some("cleanrooms"),
            Some("cleanrooms:getcollaboration"),
        ),
        ("s3:Get?bject", Some("s3"), None),
        ("*", None, None),
        ("*:GetObject", None, None),
        ("s?:GetObject", None, None),
        ("s*:GetObject", None, None),
    ] {
        let p = Pattern::action(text);
        assert_eq!(p.action_service(), service, "{text}");
        assert_eq!(p.exact_text(), exact, "{text}");
        assert!(!p.has_variables(), "{text}");
    }
    // Actions compare case-insensitively and never take variables.
    let p = Pattern::action("S3:Get?bject");
    assert!(p.matches("s3:getobject", &r).is_match());
    assert!(!p.matches("s3:getobjects", &r).is_match());
    let p = Pattern::action("s3:${aws:username}");
    assert!(!p.has_variables());
    assert!(!p.matches("s3:alice", &r).is_match());
}
