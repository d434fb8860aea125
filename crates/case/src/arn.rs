//! ARNs and account IDs: the one parser every crate splits ARNs with, the partitions AWS
//! has, and the resource types IAM's validator accepts in an IAM ARN.
//!
//! Source: IAM User Guide, "Identify AWS resources with Amazon Resource Names (ARNs)"
//! (`arn:partition:service:region:account-id:resource`, the resource part keeping any further
//! colons) and "IAM JSON policy elements: Resource".

use std::fmt;

/// The partitions AWS has: the ARN reference lists `aws`, `aws-cn` and `aws-us-gov`; the
/// isolated (`aws-iso*`) and European Sovereign Cloud (`aws-eusc`) partitions are in the
/// SDKs' partition data and IAM accepts them.
///
/// `*` is not among them: it is a wildcard, which "IAM JSON policy elements: Resource"
/// allows in any segment of an ARN. Whether a checker accepts a wildcard partition is that
/// checker's rule ([`is_resource_partition`] for IAM's `Resource` check), not a partition.
pub const PARTITIONS: [&str; 8] = [
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// Whether `s` is one of the [`PARTITIONS`].
pub fn is_partition(s: &str) -> bool {
    PARTITIONS.contains(&s)
}

/// Whether IAM's `Resource` check accepts `s` as the partition of a resource ARN: a
/// partition, or `*` alone. This is the rule the policy validator reproduces from IAM's
/// recorded answers (moto `policy_validation.py`: `!= "*" and not in PARTITION_NAMES` gives
/// "Partition … is not valid"); any other wildcard in the partition is rejected.
pub fn is_resource_partition(s: &str) -> bool {
    s == "*" || is_partition(s)
}

/// The resource types an IAM ARN can name, as IAM's validation message lists them ("IAM
/// resource path must either be "*", root, or start with …"). The service authorization
/// reference knows newer IAM resource types (`delegation-request`, `role-template`, …) that
/// this check still rejects, so the catalogue is not this list.
pub const IAM_RESOURCE_TYPES: [&str; 13] = [
    "user/",
    "federated-user/",
    "role/",
    "group/",
    "instance-profile/",
    "mfa/",
    "server-certificate/",
    "policy/",
    "sms-mfa/",
    "saml-provider/",
    "oidc-provider/",
    "report/",
    "access-report/",
];

/// Whether IAM's validator accepts `resource` as the resource part of an IAM ARN: `root`,
/// anything starting with `*`, or a path that starts with one of [`IAM_RESOURCE_TYPES`].
pub fn is_iam_resource_path(resource: &str) -> bool {
    resource == "root"
        || resource.starts_with('*')
        || IAM_RESOURCE_TYPES.iter().any(|t| resource.starts_with(t))
}

/// The colon-delimited components of an ARN or ARN pattern, at most six: the sixth (the
/// resource part) keeps any further colons. No component is checked, not even the leading
/// `arn` (patterns may have a wildcard there); [`Arn::parse`] is the checked form.
///
/// Split by hand rather than with `str::splitn`, which sets up a searcher per call; this is
/// called per request and per policy string.
pub fn components(text: &str) -> Components<'_> {
    Components {
        rest: Some(text),
        left: 6,
    }
}

/// Iterator of [`components`].
#[derive(Debug, Clone)]
pub struct Components<'a> {
    rest: Option<&'a str>,
    left: u8,
}

impl<'a> Iterator for Components<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        self.left = self.left.saturating_sub(1);
        if self.left == 0 {
            self.rest = None;
            return Some(rest);
        }
        match rest.bytes().position(|b| b == b':') {
            Some(colon) => {
                self.rest = Some(&rest[colon + 1..]);
                Some(&rest[..colon])
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

/// An ARN split into its components, borrowed from its text. The partition is kept as
/// written (`aws`, `aws-cn`, `aws-us-gov`, `aws-iso-b`, …); no component is checked beyond
/// the shape, so an ARN pattern with wildcards parses too.
///
/// `Display` writes it back: `arn:partition:service:region:account:resource`, so a changed
/// component is put back with `Arn { region: "*", ..arn }.to_string()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Arn<'a> {
    /// `aws`, `aws-cn`, …
    pub partition: &'a str,
    /// The service namespace: `iam`, `s3`, `cleanrooms`.
    pub service: &'a str,
    /// The Region code; empty for global resources.
    pub region: &'a str,
    /// The owning account; empty for S3 buckets and AWS-owned resources.
    pub account: &'a str,
    /// The resource part: `role/path/name`, `bucket/key:with:colons`, `root`.
    pub resource: &'a str,
}

/// Why a string is not an ARN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArnError {
    /// The text does not start with `arn:`.
    NotArn,
    /// Fewer than six colon-separated components; the count found (`arn` included).
    Components(usize),
}

impl fmt::Display for ArnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArnError::NotArn => f.write_str("an ARN starts with \"arn:\""),
            ArnError::Components(n) => write!(
                f,
                "{n} of the six colon-separated components \
                 (arn:partition:service:region:account:resource)"
            ),
        }
    }
}

impl std::error::Error for ArnError {}

impl<'a> Arn<'a> {
    /// Split `text`: it must start with `arn:` and have six components.
    pub fn parse(text: &'a str) -> Result<Arn<'a>, ArnError> {
        let mut parts = components(text);
        if parts.next() != Some("arn") {
            return Err(ArnError::NotArn);
        }
        let mut field = |found: usize| parts.next().ok_or(ArnError::Components(found));
        Ok(Arn {
            partition: field(1)?,
            service: field(2)?,
            region: field(3)?,
            account: field(4)?,
            resource: field(5)?,
        })
    }

    /// The five components after `arn:`, in order.
    pub fn fields(&self) -> [&'a str; 5] {
        [
            self.partition,
            self.service,
            self.region,
            self.account,
            self.resource,
        ]
    }

    /// The account as an account ID, when it is one (not empty, `aws`, or a wildcard).
    pub fn account_id(&self) -> Option<AccountId> {
        AccountId::parse(self.account)
    }
}

impl fmt::Display for Arn<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:{}:{}:{}:{}",
            self.partition, self.service, self.region, self.account, self.resource
        )
    }
}

/// A 12-digit AWS account ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId([u8; 12]);

impl AccountId {
    /// `s` as an account ID: exactly 12 ASCII digits.
    pub fn parse(s: &str) -> Option<AccountId> {
        let digits: [u8; 12] = s.as_bytes().try_into().ok()?;
        digits
            .iter()
            .all(u8::is_ascii_digit)
            .then_some(AccountId(digits))
    }

    /// Whether `s` is a 12-digit account ID.
    pub fn is_valid(s: &str) -> bool {
        AccountId::parse(s).is_some()
    }

    /// The 12 digits.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored (see `parse`), so this never fails.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_keeps_partition_and_resource_colons() {
        let a = Arn::parse("arn:aws-us-gov:s3:::bucket/key:with:colons").unwrap();
        assert_eq!(a.partition, "aws-us-gov");
        assert_eq!(a.service, "s3");
        assert_eq!((a.region, a.account), ("", ""));
        assert_eq!(a.resource, "bucket/key:with:colons");
        assert_eq!(a.to_string(), "arn:aws-us-gov:s3:::bucket/key:with:colons");
        let a = Arn::parse("arn:aws-iso-b:iam::111122223333:role/r").unwrap();
        assert_eq!(a.partition, "aws-iso-b");
        assert_eq!(a.account_id().unwrap().as_str(), "111122223333");
        assert_eq!(
            Arn { region: "*", ..a }.to_string(),
            "arn:aws-iso-b:iam:*:111122223333:role/r"
        );
    }

    #[test]
    fn parse_errors() {
        assert_eq!(Arn::parse("aws:s3:::b:c:d"), Err(ArnError::NotArn));
        assert_eq!(Arn::parse("ARN:aws:s3:::b"), Err(ArnError::NotArn));
        assert_eq!(Arn::parse("arn"), Err(ArnError::Components(1)));
        assert_eq!(Arn::parse("arn:aws"), Err(ArnError::Components(2)));
        assert_eq!(Arn::parse("arn:aws:s3::b"), Err(ArnError::Components(5)));
        assert!(Arn::parse("arn:::::").is_ok());
    }

    #[test]
    fn components_like_splitn_six() {
        for s in [
            "",
            ":",
            "a",
            "arn:aws",
            "arn:aws:s3:::b",
            "arn:aws:s3:::b:c:d",
            "*",
            "a:b:c:d:e:f:g:h",
            ":::::",
            "::::::",
        ] {
            let ours: Vec<&str> = components(s).collect();
            let std: Vec<&str> = s.splitn(6, ':').collect();
            assert_eq!(ours, std, "{s:?}");
        }
    }

    #[test]
    fn account_ids() {
        assert!(AccountId::is_valid("111122223333"));
        assert_eq!(
            AccountId::parse("444455556666").unwrap().to_string(),
            "444455556666"
        );
        for bad in [
            "",
            "11112222333",
            "1111222233334",
            "11112222333a",
            "aws",
            "*",
        ] {
            assert!(!AccountId::is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn partitions_and_iam_paths() {
        assert!(is_partition("aws-iso-f") && !is_partition("*") && !is_partition("aw"));
        assert!(is_resource_partition("*") && !is_resource_partition("aws*"));
        for ok in ["root", "*", "user/x", "access-report/y", "*anything"] {
            assert!(is_iam_resource_path(ok), "{ok}");
        }
        for bad in ["example", "users/x", "delegation-request/x", "", "Root"] {
            assert!(!is_iam_resource_path(bad), "{bad}");
        }
    }
}
