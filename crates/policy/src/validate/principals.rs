//! Principal values: what a `Principal`/`NotPrincipal` entry may name.
//!
//! Source: IAM User Guide, "AWS JSON policy elements: Principal" — AWS account IDs, account
//! root ARNs, IAM user and role ARNs, role-session and federated-user ARNs, service
//! principals, identity providers, canonical user IDs; `*` only as the whole value ("You
//! cannot use it to specify part of a name or ARN").

use crate::ast::PrincipalKind;
use iamcr_case::{AccountId, Arn};

/// Why a principal value is not acceptable, if it is not.
pub(crate) fn value_error(kind: &PrincipalKind, value: &str) -> Option<String> {
    match kind {
        PrincipalKind::Aws => aws_error(value),
        PrincipalKind::Service => service_error(value),
        PrincipalKind::Federated => federated_error(value),
        PrincipalKind::CanonicalUser => {
            let ok =
                value == "*" || (value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()));
            (!ok).then(|| format!("{value:?} is not a canonical user ID (64 hexadecimal digits)"))
        }
        PrincipalKind::Other(k) => Some(format!("unknown principal type {k:?}")),
    }
}

fn aws_error(value: &str) -> Option<String> {
    if value == "*" || AccountId::is_valid(value) {
        return None;
    }
    // Unique IDs (AIDA… users, AROA… roles) appear in stored policies whose principal was
    // deleted; IAM keeps them, so they are accepted.
    if (value.starts_with("AIDA") || value.starts_with("AROA"))
        && value.len() >= 16
        && value.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return None;
    }
    if value.contains(['*', '?']) {
        return Some(format!(
            "{value:?}: a wildcard can only stand for the whole principal (\"*\"), not part of \
             an ARN; use a condition on aws:PrincipalArn instead"
        ));
    }
    let Arn {
        partition,
        service,
        region,
        account,
        resource,
    } = match Arn::parse(value) {
        Ok(arn) => arn,
        Err(iamcr_case::ArnError::NotArn) => {
            return Some(format!(
                "{value:?} is neither a 12-digit account ID nor an ARN"
            ));
        }
        Err(_) => {
            return Some(format!(
                "{value:?} does not have the six components of an ARN"
            ));
        }
    };
    if partition.is_empty() || !region.is_empty() || !AccountId::is_valid(account) {
        return Some(format!(
            "{value:?}: a principal ARN has a partition, no region and a 12-digit account"
        ));
    }
    let ok = match service {
        "iam" => {
            resource == "root"
                || resource
                    .strip_prefix("user/")
                    .is_some_and(|r| !r.is_empty())
                || resource
                    .strip_prefix("role/")
                    .is_some_and(|r| !r.is_empty())
        }
        "sts" => {
            resource
                .strip_prefix("assumed-role/")
                .is_some_and(|r| r.split('/').count() >= 2 && !r.ends_with('/'))
                || resource
                    .strip_prefix("federated-user/")
                    .is_some_and(|r| !r.is_empty())
        }
        _ => false,
    };
    (!ok).then(|| {
        format!(
            "{value:?} is not an account root, IAM user, IAM role, role session or federated \
             user ARN"
        )
    })
}

/// Domains AWS service principals live under, by partition.
const SERVICE_DOMAINS: [&str; 5] = [
    ".amazonaws.com",
    ".amazonaws.com.cn",
    ".c2s.ic.gov",
    ".sc2s.sgov.gov",
    ".amazon.com",
];

fn service_error(value: &str) -> Option<String> {
    // IAM rejects `"Service": "amazonaws.com"` ("Invalid principal in policy:
    // \"SERVICE\":\"amazonaws.com\"", aws-samples/aws-cdk-examples#801): a service principal
    // is a service name under an AWS domain.
    let ok = SERVICE_DOMAINS.iter().any(|d| {
        value
            .strip_suffix(d)
            .is_some_and(|name| !name.is_empty() && !name.starts_with('.'))
    }) && value
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    (!ok).then(|| format!("{value:?} is not a service principal (e.g. cleanrooms.amazonaws.com)"))
}

fn federated_error(value: &str) -> Option<String> {
    if value.starts_with("arn:") {
        let ok = Arn::parse(value).is_ok_and(|a| {
            a.service == "iam"
                && a.region.is_empty()
                && AccountId::is_valid(a.account)
                && (a.resource.starts_with("saml-provider/")
                    || a.resource.starts_with("oidc-provider/"))
        });
        return (!ok).then(|| format!("{value:?} is not a SAML or OIDC provider ARN"));
    }
    let ok = value.contains('.') && !value.contains(['*', '?', ' ']);
    (!ok).then(|| format!("{value:?} is not an identity provider"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_principals() {
        for ok in [
            "*",
            "111122223333",
            "arn:aws:iam::111122223333:root",
            "arn:aws:iam::111122223333:user/path/Bob",
            "arn:aws:iam::111122223333:role/Analyst",
            "arn:aws:sts::111122223333:assumed-role/Analyst/session",
            "arn:aws:sts::111122223333:federated-user/Bob",
            "arn:aws-cn:iam::111122223333:root",
        ] {
            assert!(aws_error(ok).is_none(), "{ok}");
        }
        for bad in [
            "accountA",
            "AccountB",
            "1111",
            "arn:aws:iam::*:role/x",
            "arn:aws:iam::111122223333:group/g",
            "arn:aws:iam:us-east-1:111122223333:root",
            "arn:aws:s3:::bucket",
            "arn:aws:sts::111122223333:assumed-role/Analyst",
        ] {
            assert!(aws_error(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn other_principals() {
        assert!(service_error("cleanrooms.amazonaws.com").is_none());
        assert!(service_error("cleanrooms-ml.amazonaws.com").is_none());
        assert!(service_error("amazonaws").is_some());
        assert!(service_error("Cleanrooms.amazonaws.com").is_some());
        assert!(federated_error("accounts.google.com").is_none());
        assert!(federated_error("arn:aws:iam::111122223333:saml-provider/Okta").is_none());
        assert!(federated_error("arn:aws:iam::111122223333:role/x").is_some());
    }
}
