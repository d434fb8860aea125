//! The shared vocabulary: three accounts, regions, names, tag values, identifiers, condition
//! keys with their types and value pools, and the catalogue's actions with their ARN
//! templates.
//!
//! Pools are deliberately small: principals, resources and conditions are drawn from the
//! same few names, so a policy written for one request often names that request exactly —
//! and a near-miss mutation of a pool value then tests the boundary of a match.

use iamcr_cleanrooms::catalogue::{ArnTemplate, Catalogue, KeyType};
use std::sync::OnceLock;

/// The three accounts of every generated world: a Clean Rooms member (`A`), a second member
/// (`B`, the other side of cross-account calls) and a third party (`C`).
pub const ACCOUNTS: [&str; 3] = ["111122223333", "444455556666", "777788889999"];

/// Regions resources live in.
pub const REGIONS: [&str; 3] = ["us-east-1", "us-west-2", "eu-west-1"];

/// AWS Organizations IDs (the first is the organization of accounts A and B).
pub const ORG_IDS: [&str; 2] = ["o-a1b2c3d4e5", "o-f6g7h8i9j0"];

/// Organization paths (`aws:PrincipalOrgPaths`).
pub const ORG_PATHS: [&str; 3] = [
    "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/",
    "o-a1b2c3d4e5/r-ab12/ou-ab12-22222222/",
    "o-f6g7h8i9j0/r-cd34/",
];

/// Role names (with path where the role has one).
pub const ROLES: [&str; 4] = [
    "Analyst",
    "DataEngineer",
    "service-role/CleanRoomsGlueRole",
    "CleanRoomsMLRole",
];

/// IAM user names.
pub const USERS: [&str; 3] = ["alice", "bob", "Carol"];

/// Role session names.
pub const SESSIONS: [&str; 3] = ["alice", "s-1", "AWSCleanRooms-query"];

/// STS federated user names.
pub const FEDERATED: [&str; 2] = ["fed-alice", "partner"];

/// AWS service principals.
pub const SERVICES: [&str; 4] = [
    "cleanrooms.amazonaws.com",
    "cleanrooms-ml.amazonaws.com",
    "glue.amazonaws.com",
    "s3.amazonaws.com",
];

/// Identity providers (`Federated` principals).
pub const PROVIDERS: [&str; 2] = ["cognito-identity.amazonaws.com", "accounts.google.com"];

/// An S3 canonical user ID.
pub const CANONICAL_USER: &str = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";

/// Tag values (`team` tags on principals and resources). `red` and `Red` differ: tag values
/// compare case-sensitively under `StringEquals`.
pub const TAG_VALUES: [&str; 4] = ["red", "blue", "Red", "green"];

/// Tag keys (`aws:TagKeys`).
pub const TAG_KEYS: [&str; 4] = ["team", "project", "environment", "Team"];

/// Clean Rooms collaboration IDs (shared by ARNs and `cleanrooms-ml:CollaborationId`).
pub const COLLABORATION_IDS: [&str; 3] = ["c7f3a1e2", "c9b1c2d3", "cd4e5f6a"];

/// `s3:prefix` values.
pub const S3_PREFIXES: [&str; 3] = ["home/alice/", "home/bob/", "shared/"];

/// `sts:ExternalId` values.
pub const EXTERNAL_IDS: [&str; 2] = ["cr-ext-7f3a", "cr-ext-9b1c"];

/// VPC endpoint IDs.
pub const VPCES: [&str; 2] = ["vpce-1a2b3c4d", "vpce-5e6f7a8b"];

/// Request IP addresses, v4 and v6.
pub const IPS: [&str; 6] = [
    "203.0.113.7",
    "203.0.113.200",
    "198.51.100.20",
    "10.0.0.1",
    "2001:db8::1",
    "2001:db8:1234::5",
];

/// CIDR blocks written in policies besides those derived from a request address.
pub const CIDRS: [&str; 7] = [
    "203.0.113.0/24",
    "198.51.100.0/24",
    "10.0.0.0/8",
    "0.0.0.0/0",
    "2001:db8::/32",
    "2001:db8:1234::/48",
    "::/0",
];

/// Numbers, in tenths (so decimals print exactly): 0, 1, 1.5, 12, 300, 3600, 86400, -3.
pub const TENTHS: [i64; 8] = [0, 10, 15, 120, 3000, 36000, 864000, -30];

/// Instants, in epoch seconds: 2024-01-01T00:00:00Z, 2025-06-15T12:30:00Z,
/// 2026-03-01T08:00:00Z.
pub const INSTANTS: [i64; 3] = [1_704_067_200, 1_749_990_600, 1_772_352_000];

/// Base64 values (`BinaryEquals`): "BinaryValue", "hello", "cleanrooms", bytes 00 01 02 FF.
pub const BASE64: [&str; 4] = [
    "QmluYXJ5VmFsdWU=",
    "aGVsbG8=",
    "Y2xlYW5yb29tcw==",
    "AAEC/w==",
];

/// The type a generated condition key has (the catalogue's type, scalar part).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueKind {
    /// Strings.
    String,
    /// ARNs.
    Arn,
    /// Numbers.
    Numeric,
    /// Dates.
    Date,
    /// Booleans.
    Bool,
    /// IP addresses.
    Ip,
    /// Base64 binary.
    Binary,
}

/// Where the values of a key come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Domain {
    /// [`TAG_VALUES`].
    Tag,
    /// [`TAG_KEYS`].
    TagKey,
    /// [`ACCOUNTS`].
    Account,
    /// [`ORG_IDS`].
    OrgId,
    /// [`ORG_PATHS`].
    OrgPath,
    /// [`REGIONS`].
    Region,
    /// [`COLLABORATION_IDS`].
    Collaboration,
    /// [`S3_PREFIXES`].
    S3Prefix,
    /// [`SERVICES`].
    Service,
    /// [`EXTERNAL_IDS`].
    ExternalId,
    /// [`VPCES`].
    Vpce,
    /// `User`, `AssumedRole`, `FederatedUser`, `Account`.
    PrincipalType,
    /// [`USERS`].
    UserName,
    /// `aws:userid` values.
    UserId,
    /// Clean Rooms membership and collaboration ARNs (`aws:SourceArn`).
    SourceArn,
    /// Principal ARNs (`aws:PrincipalArn`).
    PrincipalArn,
    /// [`TENTHS`].
    Number,
    /// TLS versions `1.2`, `1.3`.
    Tls,
    /// [`INSTANTS`].
    Date,
    /// Epoch seconds (`aws:EpochTime`).
    Epoch,
    /// `true` / `false`.
    Bool,
    /// [`IPS`].
    Ip,
    /// [`BASE64`].
    Binary,
}

/// A condition key the generators use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySpec {
    /// The key name as written in policies.
    pub name: &'static str,
    /// Its value type.
    pub kind: ValueKind,
    /// Whether it is multivalued (`ArrayOf…`).
    pub multivalued: bool,
    /// Its value pool.
    pub domain: Domain,
    /// Whether the evaluator derives it from the principal (never put in a request context
    /// except by the `anything-goes` preset, which then overrides the derived value).
    pub derived: bool,
}

const fn key(name: &'static str, kind: ValueKind, domain: Domain) -> KeySpec {
    KeySpec {
        name,
        kind,
        multivalued: false,
        domain,
        derived: false,
    }
}

const fn multi(name: &'static str, kind: ValueKind, domain: Domain) -> KeySpec {
    KeySpec {
        name,
        kind,
        multivalued: true,
        domain,
        derived: false,
    }
}

const fn derived(name: &'static str, kind: ValueKind, domain: Domain) -> KeySpec {
    KeySpec {
        name,
        kind,
        multivalued: false,
        domain,
        derived: true,
    }
}

/// Every condition key the generators write. Types are the catalogue's (checked by a test),
/// except `aws:RequestTag/fingerprint`: no catalogued key has type `Binary`, so a request tag
/// declared `binary` in the context stands in for one.
pub const KEYS: [KeySpec; 36] = {
    use Domain as D;
    use ValueKind as K;
    [
        key("aws:PrincipalTag/team", K::String, D::Tag),
        key("aws:ResourceTag/team", K::String, D::Tag),
        key("aws:RequestTag/project", K::String, D::Tag),
        multi("aws:TagKeys", K::String, D::TagKey),
        key("aws:PrincipalOrgID", K::String, D::OrgId),
        multi("aws:PrincipalOrgPaths", K::String, D::OrgPath),
        key("aws:SourceAccount", K::String, D::Account),
        key("aws:ResourceAccount", K::String, D::Account),
        key("aws:RequestedRegion", K::String, D::Region),
        key("cleanrooms-ml:CollaborationId", K::String, D::Collaboration),
        key("s3:prefix", K::String, D::S3Prefix),
        multi("aws:CalledVia", K::String, D::Service),
        key("aws:CalledViaFirst", K::String, D::Service),
        key("iam:PassedToService", K::String, D::Service),
        key("sts:ExternalId", K::String, D::ExternalId),
        key("aws:SourceVpce", K::String, D::Vpce),
        key("aws:SourceArn", K::Arn, D::SourceArn),
        key("aws:MultiFactorAuthAge", K::Numeric, D::Number),
        key("s3:max-keys", K::Numeric, D::Number),
        key("s3:TlsVersion", K::Numeric, D::Tls),
        key("aws:CurrentTime", K::Date, D::Date),
        key("aws:EpochTime", K::Date, D::Epoch),
        key("aws:TokenIssueTime", K::Date, D::Date),
        key("aws:SecureTransport", K::Bool, D::Bool),
        key("aws:MultiFactorAuthPresent", K::Bool, D::Bool),
        key("aws:ViaAWSService", K::Bool, D::Bool),
        key("aws:SourceIp", K::Ip, D::Ip),
        key("aws:VpcSourceIp", K::Ip, D::Ip),
        key("aws:RequestTag/fingerprint", K::Binary, D::Binary),
        derived("aws:PrincipalArn", K::Arn, D::PrincipalArn),
        derived("aws:PrincipalAccount", K::String, D::Account),
        derived("aws:username", K::String, D::UserName),
        derived("aws:userid", K::String, D::UserId),
        derived("aws:PrincipalType", K::String, D::PrincipalType),
        derived("aws:PrincipalServiceName", K::String, D::Service),
        derived("aws:PrincipalIsAWSService", K::Bool, D::Bool),
    ]
};

/// The key spec for a name (case-insensitive).
pub fn key_spec(name: &str) -> Option<&'static KeySpec> {
    KEYS.iter().find(|k| k.name.eq_ignore_ascii_case(name))
}

/// The catalogue type a [`ValueKind`] corresponds to (scalar).
pub fn catalogue_type(kind: ValueKind) -> KeyType {
    match kind {
        ValueKind::String => KeyType::String,
        ValueKind::Arn => KeyType::Arn,
        ValueKind::Numeric => KeyType::Numeric,
        ValueKind::Date => KeyType::Date,
        ValueKind::Bool => KeyType::Bool,
        ValueKind::Ip => KeyType::IpAddress,
        ValueKind::Binary => KeyType::Binary,
    }
}

/// Actions of the services around Clean Rooms that Clean Rooms roles and policies use:
/// reading Glue tables and S3 data, KMS keys, passing and assuming roles, logging.
pub const RELATED_ACTIONS: [&str; 27] = [
    "glue:GetDatabase",
    "glue:GetDatabases",
    "glue:GetTable",
    "glue:GetTables",
    "glue:GetPartition",
    "glue:GetPartitions",
    "glue:BatchGetPartition",
    "glue:GetSchemaVersion",
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "s3:GetBucketLocation",
    "kms:Decrypt",
    "kms:GenerateDataKey",
    "kms:DescribeKey",
    "iam:PassRole",
    "iam:GetRole",
    "iam:CreateServiceLinkedRole",
    "iam:ListRoles",
    "sts:AssumeRole",
    "sts:TagSession",
    "sts:SetSourceIdentity",
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "logs:DescribeLogGroups",
    "logs:DescribeLogStreams",
];

/// Action patterns written in policies besides those derived from the request's action.
pub const ACTION_PATTERNS: [&str; 8] = [
    "cleanrooms:Get*",
    "cleanrooms:List*",
    "cleanrooms:*",
    "cleanrooms-ml:*",
    "cleanrooms:BatchGet*",
    "glue:Get*",
    "s3:Get*",
    "*",
];

/// Actions a role trust policy may name.
pub const TRUST_ACTIONS: [&str; 4] = [
    "sts:AssumeRole",
    "sts:TagSession",
    "sts:SetSourceIdentity",
    "sts:AssumeRole*",
];

/// One action of the vocabulary with what it is authorized against.
#[derive(Debug, Clone)]
pub struct ActionInfo {
    /// `prefix:Name`.
    pub name: String,
    /// The ARN templates of its resource types (empty: the action takes `*`).
    pub templates: Vec<(String, ArnTemplate)>,
}

/// The services whose actions the `Catalogue` action scope draws from: Clean Rooms, Clean
/// Rooms ML and the services their roles and policies use.
pub const GENERATED_SERVICES: [&str; 8] = [
    "cleanrooms",
    "cleanrooms-ml",
    "iam",
    "sts",
    "glue",
    "s3",
    "kms",
    "logs",
];

/// Everything generators draw from, built once from the catalogue.
#[derive(Debug)]
pub struct Vocab {
    /// Clean Rooms and Clean Rooms ML actions.
    pub cleanrooms: Vec<ActionInfo>,
    /// [`RELATED_ACTIONS`] (those the catalogue has).
    pub related: Vec<ActionInfo>,
    /// Every action of the [`GENERATED_SERVICES`] (the catalogue has every AWS service; the
    /// generators stay with Clean Rooms and the services around it).
    pub all: Vec<ActionInfo>,
    /// Every `cleanrooms:` action name (for the `cleanrooms:*` expansion law).
    pub cleanrooms_names: Vec<String>,
}

/// Why the vocabulary could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VocabError(pub String);

impl std::fmt::Display for VocabError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for VocabError {}

static VOCAB: OnceLock<Result<Vocab, VocabError>> = OnceLock::new();

impl Vocab {
    /// The vocabulary, built from the embedded catalogue once per process.
    pub fn get() -> Result<&'static Vocab, VocabError> {
        VOCAB
            .get_or_init(Vocab::build)
            .as_ref()
            .map_err(Clone::clone)
    }

    fn build() -> Result<Vocab, VocabError> {
        let cat = Catalogue::load().map_err(|e| VocabError(e.to_string()))?;
        let info = |prefix: &str, a: &iamcr_cleanrooms::catalogue::Action| {
            let svc = cat.service(prefix);
            let templates = a
                .resource_types
                .iter()
                .filter_map(|r| {
                    svc.and_then(|s| s.resource_type(&r.resource_type))
                        .map(|rt| (rt.name.clone(), rt.arn_template.clone()))
                })
                .collect();
            ActionInfo {
                name: a.full_name(),
                templates,
            }
        };
        let mut all = Vec::new();
        let mut cleanrooms = Vec::new();
        for svc in GENERATED_SERVICES.iter().filter_map(|p| cat.service(p)) {
            for a in svc.actions() {
                let i = info(&svc.prefix, a);
                if svc.prefix == "cleanrooms" || svc.prefix == "cleanrooms-ml" {
                    cleanrooms.push(i.clone());
                }
                all.push(i);
            }
        }
        let related = RELATED_ACTIONS
            .iter()
            .filter_map(|name| {
                let (prefix, _) = name.split_once(':')?;
                cat.action(name).map(|a| info(prefix, a))
            })
            .collect();
        let cleanrooms_names = cat
            .service("cleanrooms")
            .map(|s| s.actions().map(|a| a.full_name()).collect())
            .unwrap_or_default();
        if cleanrooms.is_empty() || all.is_empty() {
            return Err(VocabError(
                "the catalogue has no Clean Rooms actions".into(),
            ));
        }
        Ok(Vocab {
            cleanrooms,
            related,
            all,
            cleanrooms_names,
        })
    }
}

/// Identifier pools by ARN-template placeholder name. IDs contain letters, so that changing
/// the case of a resource ARN changes what it names.
pub fn placeholder_pool(name: &str) -> &'static [&'static str] {
    match name {
        "CollaborationId" => &COLLABORATION_IDS,
        "MembershipId" => &["m11aa22b", "m33bb44c", "m55cc66d"],
        "ConfiguredTableId" => &["ct-orders", "ct-customers"],
        "AnalysisTemplateId" => &["at-sum", "at-lookalike"],
        "ResourceId" => &["cam-aa11", "am-bb22", "td-cc33"],
        "BucketName" => &["cr-data-red", "cr-results", "amzn-s3-demo-bucket"],
        "ObjectName" => &[
            "input/data.csv",
            "home/alice/notes.txt",
            "results/run-1/part-0.parquet",
        ],
        "DatabaseName" => &["crdb", "sales"],
        "TableName" => &["customers", "orders"],
        "CatalogName" => &["main"],
        "KeyId" => &[
            "1234abcd-12ab-34cd-56ef-1234567890ab",
            "abcd1234-ab12-cd34-ef56-abcdef123456",
        ],
        "Alias" => &["cleanrooms", "data-key"],
        "RoleNameWithPath" => &ROLES,
        "UserNameWithPath" => &USERS,
        "RoleName" => &["Analyst", "CleanRoomsGlueRole"],
        "RoleSessionName" => &SESSIONS,
        "LogGroupName" => &["/aws/cleanrooms/queries", "app"],
        "LogStreamName" => &["s-1"],
        _ => &["x-aa11", "Y-bb22"],
    }
}
