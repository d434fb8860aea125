//! Matching the `Principal` / `NotPrincipal` element against the requester.
//!
//! Source: IAM User Guide, "AWS JSON policy elements: Principal" and "NotPrincipal".
//! How a principal is named matters for the decision, not only whether it matches: a
//! resource-based policy that names an *account* grants to the account, whose identity
//! policies must then delegate; one that names the *user*, *role session* or *federated
//! user* grants to that identity directly (see [`Grant`]).

use crate::request::Principal;
use iamcr_case::{AccountId, Arn};
use iamcr_policy::{PrincipalKind, PrincipalValue};

/// How a resource-based policy statement named the requester.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grant {
    /// `"*"` or `{"AWS": "*"}`: everyone (including anonymous callers).
    Everyone,
    /// The account, by ID or `arn:…:root`. A grant to the account; for the root user itself
    /// it is direct.
    Account,
    /// The IAM user's ARN.
    UserArn,
    /// The role's ARN (the requester is a session of that role).
    RoleArn,
    /// The role session's ARN.
    SessionArn,
    /// The federated user's ARN.
    FederatedUserArn,
    /// The service principal.
    Service,
    /// The identity provider (`Federated`).
    IdentityProvider,
    /// The canonical user ID.
    CanonicalUser,
}

impl Grant {
    /// Words for explanations.
    pub fn describe(self) -> &'static str {
        match self {
            Grant::Everyone => "everyone (\"*\")",
            Grant::Account => "the principal's account",
            Grant::UserArn => "the IAM user's ARN",
            Grant::RoleArn => "the role's ARN",
            Grant::SessionArn => "the role session's ARN",
            Grant::FederatedUserArn => "the federated user's ARN",
            Grant::Service => "the service principal",
            Grant::IdentityProvider => "the identity provider",
            Grant::CanonicalUser => "the canonical user ID",
        }
    }
}

/// The account an AWS principal value names as a whole account (`111122223333` or
/// `arn:PARTITION:iam::111122223333:root`).
fn account_of(value: &str) -> Option<&str> {
    if AccountId::is_valid(value) {
        return Some(value);
    }
    let arn = Arn::parse(value).ok()?;
    (arn.service == "iam" && arn.region.is_empty() && arn.resource == "root").then_some(arn.account)
}

/// `(account, role name)` of a role ARN (path ignored: session ARNs do not carry it).
fn role_of(value: &str) -> Option<(&str, &str)> {
    let arn = Arn::parse(value).ok()?;
    let path = arn.resource.strip_prefix("role/")?;
    (arn.service == "iam").then(|| (arn.account, path.rsplit('/').next().unwrap_or(path)))
}

/// How one principal value names `p`, if it does.
fn match_value(kind: &PrincipalKind, value: &str, p: &Principal) -> Option<Grant> {
    match kind {
        PrincipalKind::Aws => {
            if value == "*" {
                return Some(Grant::Everyone);
            }
            if let Some(account) = account_of(value) {
                return (p.account() == Some(account)).then_some(Grant::Account);
            }
            match p {
                Principal::User { arn, .. } if arn == value => Some(Grant::UserArn),
                Principal::RoleSession {
                    account,
                    role_name,
                    session_arn,
                    ..
                } => {
                    if session_arn.as_deref() == Some(value) {
                        Some(Grant::SessionArn)
                    } else if role_of(value) == Some((account.as_str(), role_name.as_str())) {
                        Some(Grant::RoleArn)
                    } else {
                        None
                    }
                }
                Principal::FederatedUser { arn, .. } if arn == value => {
                    Some(Grant::FederatedUserArn)
                }
                _ => None,
            }
        }
        PrincipalKind::Service => match p {
            Principal::Service(s) if s.eq_ignore_ascii_case(value) => Some(Grant::Service),
            _ => None,
        },
        PrincipalKind::Federated => match p {
            Principal::WebIdentity(s) if s == value => Some(Grant::IdentityProvider),
            _ => None,
        },
        PrincipalKind::CanonicalUser => match p {
            Principal::CanonicalUser(s) if s == value => Some(Grant::CanonicalUser),
            _ => None,
        },
        PrincipalKind::Other(_) => None,
    }
}

/// How a `Principal` element names `p`: when several entries match, the one that decides
/// the most ([`grant_rank`]).
pub fn match_principal(value: &PrincipalValue, p: &Principal) -> Option<Grant> {
    match value {
        PrincipalValue::Wildcard => Some(Grant::Everyone),
        PrincipalValue::Map(entries) => entries
            .iter()
            .flat_map(|e| {
                e.values
                    .iter()
                    .filter_map(|v| match_value(&e.kind.value, v, p))
            })
            .max_by_key(|g| grant_rank(*g, p)),
    }
}

/// How much a grant decides, to choose one when several name the requester — among the
/// entries of one `Principal` (`{"AWS": ["*", roleArn]}`) and among statements alike, so
/// that listing one more principal never takes access away: a direct grant (and the
/// account, for its own root user) decides alone; `"*"` is not limited by a boundary or
/// session policy; a role ARN is; a grant to the account only delegates to the account's
/// identity-based policies.
pub(crate) fn grant_rank(g: Grant, p: &Principal) -> u8 {
    match g {
        Grant::Account if matches!(p, Principal::Root { .. }) => 3,
        Grant::Account => 0,
        Grant::RoleArn => 1,
        Grant::Everyone => 2,
        _ => 3,
    }
}

/// The identities a request is made as, from the most specific to the account: a role
/// session acts as the session, the role and the account; a user as the user and the
/// account. `NotPrincipal` must list all of them to exempt the requester (IAM User Guide,
/// NotPrincipal: list the account too, "or the effect might be to explicitly deny access to
/// the AWS account that contains the user").
fn chain(p: &Principal) -> Vec<(PrincipalKind, String)> {
    let aws = |s: String| (PrincipalKind::Aws, s);
    match p {
        Principal::User { arn, account, .. } | Principal::FederatedUser { arn, account, .. } => {
            vec![aws(arn.clone()), aws(account.clone())]
        }
        Principal::RoleSession {
            role_arn,
            session_arn,
            account,
            ..
        } => {
            let mut v = Vec::new();
            if let Some(s) = session_arn {
                v.push(aws(s.clone()));
            }
            v.push(aws(role_arn.clone()));
            v.push(aws(account.clone()));
            v
        }
        Principal::Root { account, .. } => vec![aws(account.clone())],
        Principal::Service(s) => vec![(PrincipalKind::Service, s.clone())],
        Principal::WebIdentity(s) => vec![(PrincipalKind::Federated, s.clone())],
        Principal::CanonicalUser(s) => vec![(PrincipalKind::CanonicalUser, s.clone())],
        Principal::Anonymous => vec![aws("*".into())],
    }
}

/// Whether a `NotPrincipal` element exempts `p` (the statement then does not apply).
/// `{"AWS": "*"}` names every AWS principal — every user, role, session, federated user and
/// account ("You can use a wildcard (*) to specify all principals", reference_policies_
/// elements_principal.html, "All principals"), so it exempts each of them. It also matches
/// the anonymous caller, for whom the page makes `{"AWS": "*"}` and `"*"` equivalent — an
/// open question (docs/open-questions.md). A principal with a permissions boundary is never
/// exempted (`has_boundary`, for `Deny` statements): "The NotPrincipal element with a Deny
/// effect will always deny any IAM principal that has a permissions boundary policy
/// attached".
pub fn not_principal_exempts(value: &PrincipalValue, p: &Principal, has_boundary: bool) -> bool {
    if has_boundary {
        return false;
    }
    let PrincipalValue::Map(entries) = value else {
        // `NotPrincipal: "*"` exempts everyone.
        return true;
    };
    chain(p).iter().all(|(kind, id)| {
        entries.iter().filter(|e| &e.kind.value == kind).any(|e| {
            e.values.iter().any(|v| {
                v == id
                    || *kind == PrincipalKind::Aws
                        && (v == "*"
                            || account_of(v).is_some_and(|a| a == id)
                            || role_of(v).is_some()
                                && role_of(v) == role_of(id)
                                && id.contains(":role/"))
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use iamcr_policy::{PrincipalEntry, Spanned, Values};

    fn aws(values: &[&str]) -> PrincipalValue {
        PrincipalValue::Map(vec![PrincipalEntry {
            kind: Spanned::synthetic(PrincipalKind::Aws),
            values: Values::list(values.iter().copied()),
        }])
    }

    fn p(arn: &str) -> Principal {
        Principal::from_arn(arn).unwrap()
    }

    #[test]
    fn grants_by_how_the_principal_is_named() {
        let s = p("arn:aws:sts::444455556666:assumed-role/role/session");
        assert_eq!(
            match_principal(&aws(&["444455556666"]), &s),
            Some(Grant::Account)
        );
        assert_eq!(
            match_principal(&aws(&["arn:aws:iam::444455556666:role/path/role"]), &s),
            Some(Grant::RoleArn)
        );
        assert_eq!(
            match_principal(
                &aws(&["arn:aws:sts::444455556666:assumed-role/role/session"]),
                &s
            ),
            Some(Grant::SessionArn)
        );
        assert_eq!(
            match_principal(&aws(&["arn:aws:iam::111122223333:root"]), &s),
            None
        );
        assert_eq!(
            match_principal(
                &aws(&["444455556666", "arn:aws:iam::444455556666:role/role"]),
                &s
            ),
            Some(Grant::RoleArn)
        );
        assert_eq!(
            match_principal(&PrincipalValue::Wildcard, &Principal::Anonymous),
            Some(Grant::Everyone)
        );
        let svc = Principal::Service("cleanrooms.amazonaws.com".into());
        let map = PrincipalValue::Map(vec![PrincipalEntry {
            kind: Spanned::synthetic(PrincipalKind::Service),
            values: Values::single("cleanrooms.amazonaws.com"),
        }]);
        assert_eq!(match_principal(&map, &svc), Some(Grant::Service));
        assert_eq!(match_principal(&aws(&["*"]), &svc), Some(Grant::Everyone));
    }

    #[test]
    fn not_principal_needs_the_whole_chain() {
        let bob = p("arn:aws:iam::444455556666:user/Bob");
        assert!(not_principal_exempts(
            &aws(&[
                "arn:aws:iam::444455556666:user/Bob",
                "arn:aws:iam::444455556666:root"
            ]),
            &bob,
            false
        ));
        assert!(!not_principal_exempts(
            &aws(&["arn:aws:iam::444455556666:user/Bob"]),
            &bob,
            false
        ));
        assert!(!not_principal_exempts(
            &aws(&["arn:aws:iam::444455556666:user/Bob", "444455556666"]),
            &bob,
            true
        ));
        let s = p(
            "arn:aws:sts::444455556666:assumed-role/cross-account-read-only-role/cross-account-audit-app",
        );
        let full = aws(&[
            "arn:aws:sts::444455556666:assumed-role/cross-account-read-only-role/cross-account-audit-app",
            "arn:aws:iam::444455556666:role/cross-account-read-only-role",
            "arn:aws:iam::444455556666:root",
        ]);
        assert!(not_principal_exempts(&full, &s, false));
        let other = p("arn:aws:sts::444455556666:assumed-role/cross-account-read-only-role/other");
        assert!(!not_principal_exempts(&full, &other, false));
    }

    #[test]
    fn not_principal_aws_star_exempts_every_aws_principal() {
        let star = aws(&["*"]);
        for arn in [
            "arn:aws:iam::444455556666:user/Bob",
            "arn:aws:sts::444455556666:assumed-role/r/s",
            "arn:aws:iam::444455556666:role/r",
            "arn:aws:sts::444455556666:federated-user/f",
            "arn:aws-cn:iam::444455556666:root",
        ] {
            assert!(not_principal_exempts(&star, &p(arn), false), "{arn}");
            assert!(
                !not_principal_exempts(&star, &p(arn), true),
                "{arn} with a boundary"
            );
        }
        let svc = Principal::Service("cleanrooms.amazonaws.com".into());
        assert!(!not_principal_exempts(&star, &svc, false));
    }
}
