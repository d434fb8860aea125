//! Generator settings and the three presets. `docs/generators.md` describes every field.

use std::fmt;
use std::str::FromStr;

/// Kinds of principals a request can come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Who {
    /// An IAM user.
    User,
    /// A role, known by its role ARN (session name unknown).
    Role,
    /// A role session (`assumed-role` ARN).
    RoleSession,
    /// An STS federated user.
    FederatedUser,
    /// The root user of an account.
    Root,
    /// An AWS service principal.
    Service,
    /// An anonymous caller.
    Anonymous,
    /// A web-identity / SAML provider principal.
    WebIdentity,
    /// An S3 canonical user.
    CanonicalUser,
}

/// The situation a generated case models. Shapes other than `Generic` are Clean Rooms
/// scenarios: they fix the kind of principal, the actions, where the resource lives, the
/// context keys the request carries and which policies are in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Shape {
    /// Any principal, any action of the preset's scope, any resource.
    Generic,
    /// A person's role or user calling Clean Rooms / Clean Rooms ML APIs in its account,
    /// with tag-based (ABAC) conditions.
    Analyst,
    /// A service (Clean Rooms, Clean Rooms ML, Glue) or another account assuming a role:
    /// the role's trust policy with confused-deputy conditions (`aws:SourceAccount`,
    /// `aws:SourceArn`, `sts:ExternalId`).
    ServiceTrust,
    /// A Clean Rooms service-role session reading Glue tables, S3 objects and KMS keys
    /// (bucket and key policies in force).
    ServiceData,
    /// Account B using account A's configured audience model (Clean Rooms ML), with the
    /// configured-audience-model resource policy.
    AudienceModel,
    /// Passing a role to Clean Rooms (`iam:PassRole` with `iam:PassedToService`).
    PassRole,
}

/// How far generated policies stay within what AWS accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Preset {
    /// Every policy passes `iamcr_policy::validate` for its kind; actions from every service
    /// of [`crate::vocab::GENERATED_SERVICES`].
    WellFormed,
    /// Clean-Rooms-shaped scenarios, every policy valid for its kind, tuned so that all three
    /// decisions are common.
    CleanRooms,
    /// Anything the evaluator can compile: NotAction/NotResource/NotPrincipal everywhere,
    /// legacy versions, type mismatches, odd text, derived keys overridden.
    AnythingGoes,
    /// Clean-Rooms-shaped cases that IAM's `SimulateCustomPolicy` can answer, for live
    /// campaigns: callers are IAM users or roles (a user wherever a resource policy can be
    /// in force), no session policies, no RCPs, no role trust requests, and the
    /// organization and unique-id keys always in the request context (the simulator would
    /// otherwise fill them from the real account). `oracle::capability` lists what the
    /// simulator cannot do; `tests/live_preset.rs` measures how many cases it still skips.
    Live,
}

impl Preset {
    /// Every preset.
    pub const ALL: [Preset; 4] = [
        Preset::WellFormed,
        Preset::CleanRooms,
        Preset::AnythingGoes,
        Preset::Live,
    ];

    /// The name used on the command line and in case sources.
    pub fn as_str(self) -> &'static str {
        match self {
            Preset::WellFormed => "well-formed",
            Preset::CleanRooms => "cleanrooms",
            Preset::AnythingGoes => "anything-goes",
            Preset::Live => "live",
        }
    }

    /// The settings of this preset.
    pub fn settings(self) -> Settings {
        match self {
            Preset::WellFormed => Settings::well_formed(),
            Preset::CleanRooms => Settings::cleanrooms(),
            Preset::AnythingGoes => Settings::anything_goes(),
            Preset::Live => Settings::live(),
        }
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Preset {
    type Err = String;
    fn from_str(s: &str) -> Result<Preset, String> {
        Preset::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown preset {s:?} (expected well-formed, cleanrooms, anything-goes or live)"
                )
            })
    }
}

/// Which actions requests and policies use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionScope {
    /// Clean Rooms, Clean Rooms ML and the related Glue/S3/KMS/IAM/STS/Logs actions.
    CleanRooms,
    /// Every action of every catalogued service.
    Catalogue,
}

/// Everything that steers generation. Percentages are `0..=100`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The preset these settings started from (recorded in case sources).
    pub preset: Preset,
    /// Keep every policy acceptable to AWS for its kind.
    pub well_formed: bool,
    /// Shape requests so that `SimulateCustomPolicy` can answer them ([`Preset::Live`]):
    /// callers are IAM users or roles, a user wherever the resource can have a resource
    /// policy; no trust requests on roles; the organization keys and `aws:userid` always in
    /// the context.
    pub simulator_answerable: bool,
    /// Which actions to use.
    pub actions: ActionScope,
    /// Scenario weights.
    pub shapes: Vec<(Shape, u8)>,
    /// Principal-kind weights for `Generic` cases.
    pub principals: Vec<(Who, u8)>,
    /// Most statements in one policy.
    pub max_statements: usize,
    /// Most identity-based policies.
    pub max_identity: usize,
    /// Most values in one `Action`/`Resource`/principal/condition list.
    pub max_values: usize,
    /// Most condition keys in one statement.
    pub max_conditions: usize,
    /// Most entries in a request context (besides the keys a shape always sets).
    pub max_context: usize,
    /// How often a policy element is aimed at the request (names its action, resource,
    /// principal, or a context value).
    pub p_target: u8,
    /// How often an aimed value is then mutated into a near miss.
    pub p_near_miss: u8,
    /// How often a statement is a `Deny`.
    pub p_deny: u8,
    /// How often a statement has a `Condition`.
    pub p_condition: u8,
    /// How often a condition tests a key the request carries.
    pub p_present_key: u8,
    /// How often an element is negated (`NotAction`, `NotResource`, `NotPrincipal`).
    pub p_not: u8,
    /// How often a value is written with a policy variable.
    pub p_variables: u8,
    /// How often a policy has `Version` 2008-10-17 or none (where the kind allows it).
    pub p_legacy_version: u8,
    /// How often a condition uses a set qualifier (on multivalued keys when well-formed).
    pub p_qualifier: u8,
    /// How often a condition operator gets `IfExists`.
    pub p_if_exists: u8,
    /// How often an IAM principal has no identity-based policy at all.
    pub p_no_identity: u8,
    /// How often a permissions boundary is in force.
    pub p_boundary: u8,
    /// How often a session has session policies.
    pub p_session: u8,
    /// How often SCPs govern the account.
    pub p_scp: u8,
    /// How often RCPs govern the resource.
    pub p_rcp: u8,
    /// How often a resource that can have a resource-based policy has one.
    pub p_resource_policy: u8,
    /// How often a resource is in another account than the caller.
    pub p_cross_account: u8,
    /// How often an organization-policy level lacks the allow-all policy.
    pub p_org_gap: u8,
    /// How often a condition's operator ignores the key's type (`anything-goes` only).
    pub p_type_mismatch: u8,
    /// How often a value is arbitrary text (`anything-goes` only).
    pub p_wild_text: u8,
}

impl Settings {
    /// The `well-formed` preset.
    pub fn well_formed() -> Settings {
        Settings {
            preset: Preset::WellFormed,
            well_formed: true,
            simulator_answerable: false,
            actions: ActionScope::Catalogue,
            shapes: vec![(Shape::Generic, 1)],
            principals: vec![
                (Who::Role, 3),
                (Who::RoleSession, 4),
                (Who::User, 3),
                (Who::FederatedUser, 1),
                (Who::Root, 1),
                (Who::Service, 2),
                (Who::Anonymous, 1),
            ],
            max_statements: 3,
            max_identity: 2,
            max_values: 3,
            max_conditions: 3,
            max_context: 6,
            p_target: 70,
            p_near_miss: 15,
            p_deny: 25,
            p_condition: 50,
            p_present_key: 75,
            p_not: 10,
            p_variables: 10,
            p_legacy_version: 10,
            p_qualifier: 60,
            p_if_exists: 15,
            p_no_identity: 10,
            p_boundary: 20,
            p_session: 25,
            p_scp: 30,
            p_rcp: 20,
            p_resource_policy: 50,
            p_cross_account: 20,
            p_org_gap: 10,
            p_type_mismatch: 0,
            p_wild_text: 0,
        }
    }

    /// The `cleanrooms` preset.
    pub fn cleanrooms() -> Settings {
        Settings {
            preset: Preset::CleanRooms,
            actions: ActionScope::CleanRooms,
            shapes: vec![
                (Shape::Analyst, 30),
                (Shape::ServiceTrust, 20),
                (Shape::ServiceData, 20),
                (Shape::AudienceModel, 12),
                (Shape::PassRole, 8),
                (Shape::Generic, 10),
            ],
            p_deny: 22,
            p_cross_account: 10,
            ..Settings::well_formed()
        }
    }

    /// The `anything-goes` preset.
    pub fn anything_goes() -> Settings {
        Settings {
            preset: Preset::AnythingGoes,
            well_formed: false,
            principals: vec![
                (Who::Role, 2),
                (Who::RoleSession, 3),
                (Who::User, 3),
                (Who::FederatedUser, 1),
                (Who::Root, 1),
                (Who::Service, 2),
                (Who::Anonymous, 1),
                (Who::WebIdentity, 1),
                (Who::CanonicalUser, 1),
            ],
            shapes: vec![
                (Shape::Generic, 6),
                (Shape::Analyst, 1),
                (Shape::ServiceTrust, 1),
                (Shape::ServiceData, 1),
                (Shape::AudienceModel, 1),
            ],
            max_statements: 4,
            max_conditions: 4,
            p_not: 25,
            p_variables: 20,
            p_legacy_version: 25,
            p_if_exists: 25,
            p_resource_policy: 60,
            p_cross_account: 30,
            p_type_mismatch: 15,
            p_wild_text: 5,
            ..Settings::well_formed()
        }
    }
}

impl Settings {
    /// The `live` preset: the `cleanrooms` scenarios a live simulator can answer (no
    /// `ServiceTrust`: the simulator ignores role trust policies).
    pub fn live() -> Settings {
        Settings {
            preset: Preset::Live,
            simulator_answerable: true,
            shapes: vec![
                (Shape::Analyst, 35),
                (Shape::ServiceData, 22),
                (Shape::AudienceModel, 15),
                (Shape::PassRole, 10),
                (Shape::Generic, 18),
            ],
            principals: vec![(Who::Role, 1), (Who::User, 1)],
            p_no_identity: 0,
            p_session: 0,
            p_rcp: 0,
            ..Settings::cleanrooms()
        }
    }
}

impl Default for Settings {
    fn default() -> Settings {
        Settings::cleanrooms()
    }
}
