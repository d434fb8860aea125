//! A Clean Rooms service assuming a customer's service role (seed 000's five roles), then
//! reaching what the role is for as the role's session: Glue metadata, S3 data, KMS keys.
//!
//! What each role must reach follows the permissions policy seed 000 prints for it; the
//! request context follows the seeds' conditions (`aws:SourceArn`, `aws:SourceAccount`,
//! `sts:ExternalId` on the trust policy; `s3:ResourceAccount` / `aws:ResourceAccount` and
//! `kms:EncryptionContext:aws:s3:arn` on the permissions).

use super::plan::{Plan, Step, World, arn_account, check_account, context_for, session, step};
use super::spec::{Preset, RoleSpec, ServiceRoleSpec};
use iamcr_eval::{PolicySet, Principal, Request, ValueType};

/// The default KMS key policy: the key's account may use the key as its IAM policies allow.
/// The model, like AWS, requires a key policy to allow explicitly, so a scenario without a
/// key policy for the key gets this one (`docs/scenarios.md` says so).
fn default_key_policy(account: &str) -> Result<iamcr_policy::Policy, String> {
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"DefaultKeyPolicy","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{account}:root"}},"Action":"kms:*","Resource":"*"}}]}}"#
    );
    iamcr_policy::parse(&text).map_err(|_| "internal: the default key policy does not parse".into())
}

struct PresetInfo {
    service: &'static str,
    glue: bool,
    s3_actions: &'static [&'static str],
    kms_action: &'static str,
    default_object: &'static str,
    seed_section: &'static str,
}

fn info(p: Preset) -> PresetInfo {
    const READ: &[&str] = &["s3:GetBucketLocation", "s3:ListBucket", "s3:GetObject"];
    const WRITE: &[&str] = &["s3:GetBucketLocation", "s3:ListBucket", "s3:PutObject"];
    match p {
        Preset::ReadData => PresetInfo {
            service: "cleanrooms.amazonaws.com",
            glue: true,
            s3_actions: READ,
            kms_action: "kms:Decrypt",
            default_object: "data.csv",
            seed_section: "Create a service role to read data",
        },
        Preset::WriteResults => PresetInfo {
            service: "cleanrooms.amazonaws.com",
            glue: false,
            s3_actions: WRITE,
            kms_action: "kms:GenerateDataKey",
            default_object: "results.csv",
            seed_section: "Create a service role to write results",
        },
        Preset::TrainingData => PresetInfo {
            service: "cleanrooms-ml.amazonaws.com",
            glue: true,
            s3_actions: READ,
            kms_action: "kms:Decrypt",
            default_object: "data.csv",
            seed_section: "Create a service role to read training data",
        },
        Preset::LookalikeSegments => PresetInfo {
            service: "cleanrooms-ml.amazonaws.com",
            glue: false,
            s3_actions: WRITE,
            kms_action: "kms:GenerateDataKey",
            default_object: "segment.csv",
            seed_section: "Create a service role to write a lookalike segment",
        },
        // The seed's seed-data policy grants s3:ListBucket and s3:GetObject only.
        Preset::SeedData => PresetInfo {
            service: "cleanrooms-ml.amazonaws.com",
            glue: false,
            s3_actions: &["s3:ListBucket", "s3:GetObject"],
            kms_action: "kms:Decrypt",
            default_object: "seed.json",
            seed_section: "Create a service role to read seed data",
        },
    }
}

/// The `aws:SourceArn` the service sets, from the preset's ID parameter.
fn source_arn(s: &ServiceRoleSpec, role_account: &str) -> Result<Option<String>, String> {
    if let Some(a) = &s.source_arn {
        return Ok(Some(a.clone()));
    }
    let region = &s.region;
    let need = |v: &Option<String>, field: &str| {
        v.clone().ok_or_else(|| {
            format!(
                "aws:SourceArn needs operation.{field} (or give operation.source_arn, or list \
                 aws:SourceArn in operation.omit_context)"
            )
        })
    };
    let omitted = s
        .omit_context
        .iter()
        .any(|k| k.eq_ignore_ascii_case("aws:SourceArn"));
    let built = match s.preset {
        Preset::ReadData | Preset::WriteResults => {
            let account = s.membership_account.as_deref().unwrap_or(role_account);
            check_account("operation.membership_account", account)?;
            need(&s.membership_id, "membership_id")
                .map(|id| format!("arn:aws:cleanrooms:{region}:{account}:membership/{id}"))
        }
        Preset::TrainingData => need(&s.training_dataset_id, "training_dataset_id").map(|id| {
            format!("arn:aws:cleanrooms-ml:{region}:{role_account}:training-dataset/{id}")
        }),
        Preset::LookalikeSegments => need(
            &s.configured_audience_model_id,
            "configured_audience_model_id",
        )
        .map(|id| {
            format!("arn:aws:cleanrooms-ml:{region}:{role_account}:configured-audience-model/{id}")
        }),
        Preset::SeedData => {
            need(&s.audience_generation_job_id, "audience_generation_job_id").map(|id| {
                format!(
                    "arn:aws:cleanrooms-ml:{region}:{role_account}:audience-generation-job/{id}"
                )
            })
        }
    };
    match built {
        Ok(a) => Ok(Some(a)),
        Err(_) if omitted => Ok(None),
        Err(e) => Err(e),
    }
}

/// The service principal assumes the role, then the role's session reaches the data: Glue
/// metadata (read presets that name tables), the S3 bucket and object, and the KMS key.
pub(crate) fn service_role(w: &World<'_>, s: &ServiceRoleSpec) -> Result<Plan, String> {
    let role = w.role(&s.role)?;
    let info = info(s.preset);
    let Some(trust) = &role.trust_policy else {
        return Err(format!(
            "role {:?} has no trust_policy; the service cannot assume it",
            role.name
        ));
    };
    let mut plan = Plan::default();
    plan.steps
        .push(assume_role_step(s, role, &info, &trust.policy)?);
    let session_name = s
        .session_name
        .as_deref()
        .unwrap_or(default_session_name(&info));
    let session = Session {
        who: session(role, session_name),
        identity: w.identity_set(role),
    };
    if info.glue {
        glue_steps(&mut plan, s, role, &session)?;
    }
    let data = DataLocation::of(s, role, &info)?;
    s3_steps(&mut plan, w, &info, &session, &data)?;
    if let Some(key_id) = &s.key_id {
        plan.steps
            .push(kms_step(w, s, &info, &session, &data, key_id)?);
    }
    Ok(plan)
}

/// Whether the preset's service is Clean Rooms (not Clean Rooms ML).
fn is_clean_rooms(info: &PresetInfo) -> bool {
    info.service == "cleanrooms.amazonaws.com"
}

/// The role session's name when the scenario gives none.
fn default_session_name(info: &PresetInfo) -> &'static str {
    if is_clean_rooms(info) {
        "cleanrooms-scenario"
    } else {
        "cleanrooms-ml-scenario"
    }
}

/// The role's session, as the service uses it after assuming the role.
struct Session {
    /// The assumed-role session principal.
    who: Principal,
    /// The role's identity-based policies (and boundary, organization policies).
    identity: PolicySet,
}

/// A context key the assume-role request carries: key, value, and why it has that value.
type ContextEntry = (&'static str, String, &'static str);

/// Step 1: `sts:AssumeRole` by the service principal, the trust policy as resource policy.
fn assume_role_step(
    s: &ServiceRoleSpec,
    role: &RoleSpec,
    info: &PresetInfo,
    trust: &iamcr_policy::Policy,
) -> Result<Step, String> {
    let entries = assume_role_context(s, role, info)?;
    let mut ctx = context_for(Some(&role.account));
    let mut described = Vec::new();
    for (key, value, why) in &entries {
        ctx.insert(key, ValueType::String, false, vec![value.clone()]);
        described.push(format!("{key}={value} ({why})"));
    }
    let req = Request::with_context(
        Principal::Service(info.service.to_string()),
        "sts:AssumeRole",
        &super::plan::role_arn(role),
        None,
        ctx,
    );
    let set = PolicySet {
        resource: Some(trust.clone()),
        ..PolicySet::default()
    };
    let note = if described.is_empty() {
        format!("seed 000 '{}'; no source context", info.seed_section)
    } else {
        format!(
            "seed 000 '{}'; context {}",
            info.seed_section,
            described.join(", ")
        )
    };
    step("assume-role", &set, req, Some(note))
}

/// The context the service sets when it assumes the role (`aws:SourceArn`,
/// `aws:SourceAccount`, `sts:ExternalId`), less the keys `operation.omit_context` names.
fn assume_role_context(
    s: &ServiceRoleSpec,
    role: &RoleSpec,
    info: &PresetInfo,
) -> Result<Vec<ContextEntry>, String> {
    let source = source_arn(s, &role.account)?;
    let source_account = s
        .source_account
        .clone()
        .or_else(|| source.as_deref().and_then(arn_account).map(str::to_string))
        .unwrap_or_else(|| role.account.clone());
    let mut entries: Vec<ContextEntry> = Vec::new();
    if let Some(a) = &source {
        entries.push((
            "aws:SourceArn",
            a.clone(),
            "the resource the service acts for",
        ));
    }
    entries.push((
        "aws:SourceAccount",
        source_account,
        "the account of that resource",
    ));
    if let Some((e, why)) = external_id(s, role, info) {
        entries.push(("sts:ExternalId", e, why));
    }
    for k in &s.omit_context {
        let carried = entries
            .iter()
            .any(|(key, _, _)| key.eq_ignore_ascii_case(k));
        // aws:SourceArn may be omitted without the ID it would be built from.
        let unbuilt_source = k.eq_ignore_ascii_case("aws:SourceArn") && source.is_none();
        if !carried && !unbuilt_source {
            return Err(format!(
                "operation.omit_context lists {k:?}, which the assume-role request does not carry \
                 (it carries aws:SourceArn, aws:SourceAccount and, for Clean Rooms, sts:ExternalId)"
            ));
        }
    }
    entries.retain(|(key, _, _)| !s.omit_context.iter().any(|k| k.eq_ignore_ascii_case(key)));
    Ok(entries)
}

/// The `sts:ExternalId` the service passes, and why it has that value.
fn external_id(
    s: &ServiceRoleSpec,
    role: &RoleSpec,
    info: &PresetInfo,
) -> Option<(String, &'static str)> {
    match (&s.external_id, &s.membership_id) {
        (Some(e), _) => Some((e.clone(), "as given")),
        // The shape is a guess fitted to the seeds' pattern
        // `arn:aws:*:REGION:*:dbuser:*/<query-runner-membership-id>*`: the real value is not
        // documented. Clean Rooms ML presets get none (the seeds show none).
        (None, Some(m)) if is_clean_rooms(info) => {
            let account = s.membership_account.as_deref().unwrap_or(&role.account);
            let collab = s.collaboration_id.as_deref().unwrap_or("collaboration");
            Some((
                format!(
                    "arn:aws:cleanrooms:{}:{account}:dbuser:{collab}/{m}",
                    s.region
                ),
                "synthesised: the real shape is not documented",
            ))
        }
        _ => None,
    }
}

/// The Glue calls a table-reading role makes: each on the catalog, the database and the
/// table.
fn glue_steps(
    plan: &mut Plan,
    s: &ServiceRoleSpec,
    role: &RoleSpec,
    session: &Session,
) -> Result<(), String> {
    let (Some(db), Some(table)) = (&s.database, &s.table) else {
        return Err(format!(
            "the {:?} role reads Glue tables: give operation.database and operation.table",
            s.preset
        ));
    };
    let region = &s.region;
    let account = s.glue_account.as_deref().unwrap_or(&role.account);
    check_account("operation.glue_account", account)?;
    let catalog = format!("arn:aws:glue:{region}:{account}:catalog");
    let database = format!("arn:aws:glue:{region}:{account}:database/{db}");
    let table_arn = format!("arn:aws:glue:{region}:{account}:table/{db}/{table}");
    // Glue authorizes a table-level call against the catalog, the database and the table
    // (Glue developer guide, "Specifying AWS Glue resource ARNs": catalog resources are
    // hierarchical, with the catalog as the root).
    let glue_steps: [(&str, &str, &str); 8] = [
        ("get-database-on-catalog", "glue:GetDatabase", &catalog),
        ("get-database", "glue:GetDatabase", &database),
        ("get-table-on-catalog", "glue:GetTable", &catalog),
        ("get-table-on-database", "glue:GetTable", &database),
        ("get-table", "glue:GetTable", &table_arn),
        ("get-partitions-on-catalog", "glue:GetPartitions", &catalog),
        (
            "get-partitions-on-database",
            "glue:GetPartitions",
            &database,
        ),
        ("get-partitions", "glue:GetPartitions", &table_arn),
    ];
    for (name, action, resource) in glue_steps {
        let req = Request::with_context(
            session.who.clone(),
            action,
            resource,
            None,
            context_for(Some(account)),
        );
        plan.steps.push(step(name, &session.identity, req, None)?);
    }
    Ok(())
}

/// Where the role's data is: the bucket, its account, and the object the role reads or
/// writes.
struct DataLocation<'a> {
    /// The bucket's account (the role's unless `operation.bucket_account` says).
    bucket_account: &'a str,
    /// The bucket's ARN.
    bucket: String,
    /// The object's ARN (`prefix/object`, the preset's default object name unless given).
    object: String,
}

impl<'a> DataLocation<'a> {
    fn of(
        s: &'a ServiceRoleSpec,
        role: &'a RoleSpec,
        info: &PresetInfo,
    ) -> Result<DataLocation<'a>, String> {
        let bucket_account = s.bucket_account.as_deref().unwrap_or(&role.account);
        check_account("operation.bucket_account", bucket_account)?;
        let prefix = s.prefix.as_deref().unwrap_or("").trim_matches('/');
        let object_name = s.object.as_deref().unwrap_or(info.default_object);
        let key = if prefix.is_empty() {
            object_name.to_string()
        } else {
            format!("{prefix}/{object_name}")
        };
        Ok(DataLocation {
            bucket_account,
            bucket: format!("arn:aws:s3:::{}", s.bucket),
            object: format!("arn:aws:s3:::{}/{key}", s.bucket),
        })
    }
}

/// The preset's S3 calls, on the bucket or the object, under the bucket's policy if the
/// scenario gives one.
fn s3_steps(
    plan: &mut Plan,
    w: &World<'_>,
    info: &PresetInfo,
    session: &Session,
    data: &DataLocation<'_>,
) -> Result<(), String> {
    let bucket_set = PolicySet {
        resource: w.resource_policy(&data.bucket).map(|p| p.policy.clone()),
        ..session.identity.clone()
    };
    for action in info.s3_actions {
        let resource = if *action == "s3:GetObject" || *action == "s3:PutObject" {
            &data.object
        } else {
            &data.bucket
        };
        let mut ctx = context_for(Some(data.bucket_account));
        ctx.insert(
            "s3:ResourceAccount",
            ValueType::String,
            false,
            vec![data.bucket_account.to_string()],
        );
        let name = kebab(action);
        let req = Request::with_context(
            session.who.clone(),
            action,
            resource,
            Some(data.bucket_account.to_string()),
            ctx,
        );
        plan.steps.push(step(&name, &bucket_set, req, None)?);
    }
    Ok(())
}

/// The KMS call S3 makes for the session on the object's key, under the key policy (the
/// default key policy when the scenario gives none).
fn kms_step(
    w: &World<'_>,
    s: &ServiceRoleSpec,
    info: &PresetInfo,
    session: &Session,
    data: &DataLocation<'_>,
    key_id: &str,
) -> Result<Step, String> {
    let region = &s.region;
    let key_account = s.key_account.as_deref().unwrap_or(data.bucket_account);
    check_account("operation.key_account", key_account)?;
    let key_arn = format!("arn:aws:kms:{region}:{key_account}:key/{key_id}");
    let (key_policy, note) = match w.resource_policy(&key_arn) {
        Some(p) => (p.policy.clone(), format!("key policy: {}", p.origin)),
        None => (
            default_key_policy(key_account)?,
            format!(
                "no key policy given: the default key policy (Principal arn:aws:iam::{key_account}:root, kms:*) is assumed"
            ),
        ),
    };
    // S3 calls KMS for the session (a forward access session): the context carries the
    // object ARN as encryption context, kms:ViaService and aws:CalledVia.
    let mut ctx = context_for(Some(key_account));
    ctx.insert(
        "kms:EncryptionContext:aws:s3:arn",
        ValueType::String,
        false,
        vec![data.object.clone()],
    );
    ctx.insert(
        "kms:ViaService",
        ValueType::String,
        false,
        vec![format!("s3.{region}.amazonaws.com")],
    );
    ctx.insert(
        "aws:CalledVia",
        ValueType::String,
        true,
        vec!["s3.amazonaws.com".to_string()],
    );
    let set = PolicySet {
        resource: Some(key_policy),
        ..session.identity.clone()
    };
    let req = Request::with_context(session.who.clone(), info.kms_action, &key_arn, None, ctx);
    step(&kebab(info.kms_action), &set, req, Some(note))
}

/// `s3:GetBucketLocation` → `get-bucket-location`.
fn kebab(action: &str) -> String {
    let name = action.split_once(':').map_or(action, |(_, n)| n);
    let mut out = String::new();
    for (i, ch) in name.chars().enumerate() {
        if ch.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}
