//! The `live` generator preset (issue 20): at least 90 % of 10,000 generated cases reach
//! the IAM policy simulator, by the skip accounting `cargo xtask simulate` prints
//! (`iamcr::campaign::simulator_check`: the case in case format, its query, and
//! `Capabilities::simulator()`), while every decision stays at ≥ 15 % — of all cases and of
//! the answerable ones — and every operator family is seen both true and false among the
//! answerable cases. The numbers are measured here, from the generated cases.
#![allow(clippy::unwrap_used, reason = "test code: a failure is the report")]

use iamcr::campaign::{self, Settings};
use iamcr_gen::{Coverage, Generator, Preset, SeededCases};
use iamcr_oracle::{Capabilities, SkipCounts};

#[test]
fn the_live_preset_is_answerable_balanced_and_covers_every_family() {
    let settings = Settings {
        count: 10_000,
        seed: 2026,
        preset: Preset::Live,
        shard: Default::default(),
    };
    let caps = Capabilities::simulator();
    let generator = Generator::preset(settings.preset).unwrap();
    let (mut all, mut answerable) = (Coverage::new(), Coverage::new());
    let mut skipped = SkipCounts::default();
    let mut cases = 0;
    for (index, case) in SeededCases::new(generator, settings.seed)
        .take(settings.count)
        .enumerate()
    {
        cases += 1;
        let evaluation = case.evaluate_with(&mut all).unwrap();
        all.record(&case.request, &evaluation);
        let file = campaign::case_file(settings, index, &case, &evaluation);
        match campaign::simulator_check(&caps, &file) {
            Ok(()) => {
                case.evaluate_with(&mut answerable).unwrap();
                answerable.record(&case.request, &evaluation);
            }
            Err(u) => skipped.add(u.limitation),
        }
    }
    assert_eq!(cases, settings.count);
    let share = answerable.cases as f64 / cases as f64;
    // Shown with --nocapture: the numbers the issue asks for.
    eprintln!(
        "live preset, seed {}: {:.1} % of {cases} answerable; skipped {}: {skipped}",
        settings.seed,
        share * 100.0,
        skipped.total()
    );
    assert_eq!(answerable.cases as usize + skipped.total(), cases);
    assert!(
        share >= 0.90,
        "only {:.1} % answerable; skipped: {skipped}",
        share * 100.0
    );
    for d in ["allowed", "explicitDeny", "implicitDeny"] {
        eprintln!(
            "{d}: {:.1} % of all, {:.1} % of answerable",
            all.decision_share(d) * 100.0,
            answerable.decision_share(d) * 100.0
        );
        for cov in [&all, &answerable] {
            assert!(
                cov.decision_share(d) >= 0.15,
                "{d}: {:.3}",
                cov.decision_share(d)
            );
        }
    }
    let rows = answerable.family_rows();
    assert!(rows.len() >= 7, "{rows:?}");
    for (family, tf) in rows {
        eprintln!("{family}: {tf:?}");
        assert!(tf.t > 0 && tf.f > 0, "{family} never {tf:?}");
    }
}
