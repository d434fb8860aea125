//! The example scenarios in `corpus/scenarios/`: each answers what its `expect` says, and the
//! seed behaviours they were written for hold (with the explanation saying why).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: failing loudly is the point"
)]

use iamcr_cleanrooms::scenario::{self, SAR_DISCREPANCY, Scenario, ScenarioReport};
use iamcr_eval::Decision;
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/scenarios")
}

fn load(path: &Path) -> Scenario {
    let text = std::fs::read_to_string(path).unwrap();
    Scenario::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn run_file(name: &str) -> ScenarioReport {
    scenario::run(&load(&dir().join(format!("{name}.json"))))
}

fn run_json(text: &str) -> ScenarioReport {
    scenario::run(&Scenario::from_json(text).unwrap())
}

/// The first denied step's name, or `None` when the scenario is allowed.
fn denied_at(r: &ScenarioReport) -> Option<&str> {
    r.first_denied().map(|s| s.name.as_str())
}

#[test]
fn every_example_answers_its_expectation() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 20,
        "expected the example scenarios, found {}",
        files.len()
    );
    let (mut allowed, mut denied) = (0, 0);
    for f in &files {
        let s = load(f);
        let expect = s
            .spec()
            .expect
            .clone()
            .unwrap_or_else(|| panic!("{}: no expect", f.display()));
        let r = scenario::run(&s);
        assert_eq!(
            r.allowed,
            expect.allowed,
            "{}:\n{}",
            f.display(),
            r.render_text()
        );
        assert_eq!(
            denied_at(&r),
            expect.denied_at.as_deref(),
            "{}",
            f.display()
        );
        if r.allowed { allowed += 1 } else { denied += 1 }
    }
    // Passing and failing variants both exist.
    assert!(
        allowed >= 8 && denied >= 8,
        "{allowed} allowed, {denied} denied"
    );
}

#[test]
fn read_data_role_reads_its_table_and_not_another() {
    let ok = run_file("read-data-allowed");
    assert!(ok.allowed, "{}", ok.render_text());
    assert_eq!(ok.step("get-table").unwrap().decision, Decision::Allowed);
    let other = run_file("read-data-other-table-denied");
    let step = other.step("get-table").unwrap();
    assert_eq!(step.decision, Decision::ImplicitDeny);
    assert!(step.resource.ends_with("table/sales_db/orders"));
    assert!(
        step.explanation.contains("Resource does not match"),
        "{}",
        step.explanation
    );
    // The catalog and database levels of the same call are still allowed.
    assert!(other.step("get-table-on-database").unwrap().allowed());
}

#[test]
fn seed_malformed_s3_object_arn_never_matches() {
    let r = run_file("read-data-seed-malformed-s3-arn-denied");
    let step = r.first_denied().unwrap();
    assert_eq!(step.name, "get-object");
    assert!(step.explanation.contains("NecessaryS3ObjectPermissions"));
}

/// A Clean Rooms ML service-role scenario around one of the seed's trust policies, by name,
/// with or without the source context.
fn ml_trust_scenario(trust: &str, preset: &str, id_field: &str, with_source: bool) -> String {
    let omit = if with_source {
        ""
    } else {
        r#""omit_context": ["aws:SourceArn", "aws:SourceAccount"],"#
    };
    format!(
        r#"{{"roles": [{{"name": "cleanrooms-ml-r", "account": "111122223333", "trust_policy": "{trust}"}}],
            "operation": {{"kind": "service_role_assumption", "preset": "{preset}", "role": "cleanrooms-ml-r",
              "region": "us-east-1", "{id_field}": "x1", {omit} "bucket": "b", "database": "d", "table": "t"}}}}"#
    )
}

#[test]
fn seed_ml_trust_policies_refuse_the_service_when_source_arn_is_present() {
    for (trust, preset, id) in [
        (
            "seed-000-training-data-trust",
            "training_data",
            "training_dataset_id",
        ),
        (
            "seed-000-lookalike-segment-trust",
            "lookalike_segments",
            "configured_audience_model_id",
        ),
        (
            "seed-000-seed-data-trust",
            "seed_data",
            "audience_generation_job_id",
        ),
    ] {
        let present = run_json(&ml_trust_scenario(trust, preset, id, true));
        let assume = present.step("assume-role").unwrap();
        assert_eq!(assume.decision, Decision::ImplicitDeny, "{trust}");
        assert!(
            assume.explanation.contains("arn:aw:cleanrooms-ml"),
            "{}",
            assume.explanation
        );
        let absent = run_json(&ml_trust_scenario(trust, preset, id, false));
        assert!(
            absent.step("assume-role").unwrap().allowed(),
            "{trust} without source context"
        );
    }
}

#[test]
fn the_typo_alone_refuses_the_service_and_a_corrected_trust_policy_passes() {
    // Placeholders filled in, typo kept: only StringLikeIfExists on aws:SourceArn fails.
    let typo = run_file("training-data-seed-typo-trust-denied");
    let step = typo.first_denied().unwrap();
    assert_eq!(step.name, "assume-role");
    assert!(
        step.explanation.contains("StringLikeIfExists"),
        "{}",
        step.explanation
    );
    assert!(
        !step.explanation.contains("StringEqualsIfExists {"),
        "{}",
        step.explanation
    );
    assert!(run_file("training-data-seed-trust-without-source-context-allowed").allowed);
    for name in [
        "training-data-corrected-trust-allowed",
        "lookalike-segments-corrected-trust-allowed",
        "seed-data-allowed",
    ] {
        let r = run_file(name);
        assert!(r.allowed, "{name}:\n{}", r.render_text());
    }
    assert_eq!(
        denied_at(&run_file("lookalike-segments-seed-typo-trust-denied")),
        Some("assume-role")
    );
}

#[test]
fn ml_full_access_cannot_pass_a_role_under_service_role() {
    let r = run_file("ml-full-access-pass-service-role-path-denied");
    let step = r.first_denied().unwrap();
    assert_eq!(step.name, "pass-role");
    assert_eq!(
        step.resource,
        "arn:aws:iam::111122223333:role/service-role/cleanrooms-ml-x"
    );
    assert!(step.explanation.contains("(PassServiceRole)"));
    assert!(step.explanation.contains("Resource does not match"));
    assert!(run_file("ml-full-access-pass-role-allowed").allowed);
    // AWSCleanRoomsFullAccess wants the opposite: only roles under service-role/.
    assert!(run_file("full-access-pass-role-allowed").allowed);
    assert_eq!(
        denied_at(&run_file("full-access-pass-role-root-path-denied")),
        Some("pass-role")
    );
}

#[test]
fn confused_deputy_trust_policy_checks_the_membership() {
    let ok = run_file("confused-deputy-member-allowed");
    assert!(ok.allowed);
    assert!(
        ok.step("assume-role")
            .unwrap()
            .explanation
            .contains("(AllowIfSourceArnMatches)")
    );
    let wrong = run_file("confused-deputy-wrong-membership-denied");
    let step = wrong.first_denied().unwrap();
    assert_eq!(step.name, "assume-role");
    assert!(step.explanation.contains("ForAnyValue:ArnEquals"));
    assert!(step.explanation.contains("sts:ExternalId"));
    assert!(run_file("write-results-allowed").allowed);
    assert_eq!(
        denied_at(&run_file("write-results-wrong-membership-denied")),
        Some("assume-role")
    );
}

#[test]
fn cross_account_audience_generation_needs_both_sides_and_the_collaboration() {
    let ok = run_file("cross-account-audience-generation-allowed");
    assert!(ok.allowed, "{}", ok.render_text());
    let names: Vec<&str> = ok.steps.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["caller-job", "owner-job", "owner-model"]);
    assert_eq!(
        ok.steps[1].resource,
        "arn:aws:cleanrooms-ml:us-east-1:444455556666:audience-generation-job/job-0001"
    );
    // The SAR discrepancy is in the output.
    assert!(ok.notes.iter().any(|n| n == SAR_DISCREPANCY));
    assert!(
        ok.render_text()
            .contains("lists only configuredaudiencemodel")
    );

    let other = run_file("cross-account-audience-generation-wrong-collaboration-denied");
    let step = other.first_denied().unwrap();
    assert_eq!(step.name, "owner-job");
    assert!(step.explanation.contains("cleanrooms-ml:CollaborationId"));
    assert!(!other.step("owner-model").unwrap().allowed());

    let lacks_job = run_file("cross-account-audience-generation-owner-policy-lacks-job-denied");
    assert_eq!(denied_at(&lacks_job), Some("owner-job"));
    assert!(lacks_job.step("owner-model").unwrap().allowed());

    let own_only = run_file("cross-account-audience-generation-caller-own-job-only-denied");
    assert!(own_only.step("caller-job").unwrap().allowed());
    let step = own_only.first_denied().unwrap();
    assert_eq!(step.name, "owner-job");
    assert!(step.explanation.contains("no identity-based policy allows"));
}

#[test]
fn ml_custom_model_apis_need_pass_membership() {
    let ok = run_file("ml-custom-model-pass-membership-allowed");
    assert!(ok.allowed);
    let pm = ok.step("pass-membership").unwrap();
    assert_eq!(pm.action, "cleanrooms:PassMembership");
    assert_eq!(
        pm.resource,
        "arn:aws:cleanrooms:us-east-1:111122223333:membership/memberId"
    );
    let without = run_file("ml-custom-model-without-pass-membership-denied");
    assert_eq!(denied_at(&without), Some("pass-membership"));
    assert!(without.step("call").unwrap().allowed());
    // The seed's sample policy is not enough for CreateTrainedModel itself.
    assert_eq!(
        denied_at(&run_file("ml-custom-model-seed-sample-only-denied")),
        Some("call")
    );
    let collab = run_file("ml-read-only-pass-collaboration-allowed");
    assert_eq!(
        collab.step("pass-collaboration").unwrap().action,
        "cleanrooms:PassCollaboration"
    );
}

#[test]
fn kms_key_policy_must_allow() {
    let r = run_file("seed-data-key-policy-denies-denied");
    let step = r.first_denied().unwrap();
    assert_eq!(step.action, "kms:Decrypt");
    assert!(step.explanation.contains("KMS key policies must allow"));
    // Without a key policy in the scenario, the default one is used and says so.
    let ok = run_file("seed-data-allowed");
    let decrypt = ok.step("decrypt").unwrap();
    assert!(decrypt.allowed());
    assert!(
        decrypt
            .note
            .as_deref()
            .unwrap()
            .contains("default key policy")
    );
}

#[test]
fn a_defective_seed_policy_by_name_is_bad_input_with_a_position() {
    let path = dir().join("invalid/seed-data-seed-permissions-defective.json");
    let text = std::fs::read_to_string(path).unwrap();
    let err = Scenario::from_json(&text).unwrap_err();
    assert_eq!(err.line(), 10);
    let message = err.to_string();
    assert!(
        message.contains("seed-000-seed-data-permissions"),
        "{message}"
    );
    assert!(message.contains("trailing comma"), "{message}");
}
