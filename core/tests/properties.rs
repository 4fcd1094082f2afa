//! Property tests of the competence model (issue 2): gaps are never
//! negative, raising a rating never raises a gap or lowers readiness,
//! readiness stays in [0, 1], and every type round-trips through JSON.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::BTreeMap;

use kompetens::{
    gap_report, reconcile, Assessment, EffectiveProfile, Framework, Policy, Rating, Ratings,
    RoleProfile, Source,
};
use proptest::prelude::*;

fn framework() -> Framework {
    Framework::builtin("digcomp-2.2").unwrap()
}

/// A random standalone profile over DigComp 2.2 (levels 1..=8, weights).
fn profile_strategy() -> impl Strategy<Value = RoleProfile> {
    let ids: Vec<String> = framework()
        .competence_ids()
        .into_iter()
        .map(str::to_string)
        .collect();
    proptest::sample::subsequence(ids, 0..=21)
        .prop_flat_map(|chosen| {
            let n = chosen.len();
            (
                Just(chosen),
                proptest::collection::vec(1i32..=8, n),
                proptest::collection::vec(
                    prop_oneof![
                        Just(None),
                        (1u32..=40).prop_map(|w| Some(f64::from(w) / 4.0))
                    ],
                    n,
                ),
            )
        })
        .prop_map(|(ids, levels, weights)| {
            let requirements: Vec<serde_json::Value> = ids
                .iter()
                .zip(levels)
                .zip(weights)
                .map(|((id, level), w)| match w {
                    Some(w) => serde_json::json!({"competence": id, "level": level, "weight": w}),
                    None => serde_json::json!({"competence": id, "level": level}),
                })
                .collect();
            serde_json::from_value(serde_json::json!({"id": "role", "requirements": requirements}))
                .unwrap()
        })
}

fn ratings_strategy() -> impl Strategy<Value = BTreeMap<String, i32>> {
    let ids: Vec<String> = framework()
        .competence_ids()
        .into_iter()
        .map(str::to_string)
        .collect();
    proptest::collection::vec(proptest::option::of(0i32..=8), 21).prop_map(move |levels| {
        ids.iter()
            .zip(levels)
            .filter_map(|(id, l)| l.map(|l| (id.clone(), l)))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn gaps_non_negative_and_readiness_in_unit_interval(p in profile_strategy(), r in ratings_strategy()) {
        let fw = framework();
        let profile = EffectiveProfile::standalone(p, &fw).unwrap();
        let report = gap_report(&fw, &profile, &Ratings::Levels(r.clone()), None).unwrap();
        for g in &report.gaps {
            if let Some(gap) = g.gap { prop_assert!(gap >= 0); }
            if let Some(w) = g.weighted_gap { prop_assert!(w >= 0.0); }
            prop_assert_eq!(g.current.is_none(), report.missing.contains(&g.competence));
        }
        if let Some(x) = report.readiness { prop_assert!((0.0..=1.0).contains(&x)); }
        prop_assert_eq!(report.readiness.is_none(), report.rated == 0);
        prop_assert_eq!(report.rated + report.missing.len(), report.requirements);
        // the plan is exactly the unmet rated requirements
        let unmet = report.gaps.iter().filter(|g| g.met == Some(false)).count();
        prop_assert_eq!(report.plan.len(), unmet);
    }

    #[test]
    fn raising_a_rating_never_hurts(p in profile_strategy(), r in ratings_strategy(), pick in 0usize..21, up in 1i32..=8) {
        let fw = framework();
        let profile = EffectiveProfile::standalone(p, &fw).unwrap();
        let before = gap_report(&fw, &profile, &Ratings::Levels(r.clone()), None).unwrap();
        let id = fw.competence_ids()[pick].to_string();
        let mut raised = r.clone();
        let old = raised.get(&id).copied();
        if let Some(old) = old {
            raised.insert(id.clone(), (old + up).min(8));
            let after = gap_report(&fw, &profile, &Ratings::Levels(raised), None).unwrap();
            for (b, a) in before.gaps.iter().zip(&after.gaps) {
                prop_assert!(a.gap <= b.gap, "gap rose for {}", b.competence);
            }
            if let (Some(b), Some(a)) = (before.readiness, after.readiness) {
                prop_assert!(a >= b - 1e-12, "readiness fell from {} to {}", b, a);
            }
            prop_assert!(after.total_weighted_gap <= before.total_weighted_gap + 1e-12);
        }
    }

    #[test]
    fn reports_round_trip_through_json(p in profile_strategy(), r in ratings_strategy()) {
        let fw = framework();
        let profile = EffectiveProfile::standalone(p.clone(), &fw).unwrap();
        let report = gap_report(&fw, &profile, &Ratings::Levels(r.clone()), None).unwrap();
        let text = serde_json::to_string(&report).unwrap();
        prop_assert_eq!(serde_json::from_str::<kompetens::GapReport>(&text).unwrap(), report);
        let text = serde_json::to_string(&profile).unwrap();
        prop_assert_eq!(serde_json::from_str::<EffectiveProfile>(&text).unwrap(), profile);
        let text = serde_json::to_string(&p).unwrap();
        prop_assert_eq!(serde_json::from_str::<RoleProfile>(&text).unwrap(), p);
        let ratings = Ratings::Levels(r);
        let text = serde_json::to_string(&ratings).unwrap();
        prop_assert_eq!(serde_json::from_str::<Ratings>(&text).unwrap(), ratings);
    }

    #[test]
    fn policies_pick_an_existing_rating(levels in proptest::collection::vec((0i32..=8, 0usize..4), 1..6)) {
        let fw = framework();
        // at most one rating per source, so every policy is well defined
        let mut seen = std::collections::BTreeSet::new();
        let list: Vec<Rating> = levels.into_iter()
            .filter(|(_, s)| seen.insert(*s))
            .map(|(l, s)| Rating::new("1.1", l, Source::ALL[s]))
            .collect();
        let ratings = Ratings::List(list.clone());
        let max = reconcile(&fw, &ratings, Some(&Policy::Max)).unwrap()["1.1"].level;
        let min = reconcile(&fw, &ratings, Some(&Policy::Min)).unwrap()["1.1"].level;
        prop_assert_eq!(max, list.iter().map(|r| r.level).max().unwrap());
        prop_assert_eq!(min, list.iter().map(|r| r.level).min().unwrap());
        let order = vec![Source::Manager, Source::Test, Source::SelfAssessed, Source::Activity];
        let chosen = reconcile(&fw, &ratings, Some(&Policy::Prefer { order: order.clone() })).unwrap()["1.1"];
        let first = order.iter().find_map(|s| list.iter().find(|r| r.source == *s)).unwrap();
        prop_assert_eq!(chosen.level, first.level);
        prop_assert_eq!(chosen.source, Some(first.source));
    }
}

#[test]
fn framework_and_assessment_round_trip() {
    for name in kompetens::framework::BUILTIN_FRAMEWORKS {
        let fw = Framework::builtin(name).unwrap();
        let text = fw.to_json().unwrap();
        assert_eq!(Framework::from_json(&text).unwrap(), fw);
    }
    let a = Assessment {
        person: "p1".into(),
        role: Some("librarian".into()),
        unit: Some("lib".into()),
        wave: Some("2026".into()),
        date: None,
        ratings: vec![Rating::new("1.1", 3, Source::Manager)],
    };
    let text = serde_json::to_string(&a).unwrap();
    assert_eq!(serde_json::from_str::<Assessment>(&text).unwrap(), a);
    for p in ["prefer:manager,test,self", "max", "min", "only:activity"] {
        let policy: Policy = p.parse().unwrap();
        let text = serde_json::to_string(&policy).unwrap();
        assert_eq!(serde_json::from_str::<Policy>(&text).unwrap(), policy);
    }
}

#[test]
fn swedish_labels_are_marked_unofficial() {
    for name in kompetens::framework::BUILTIN_FRAMEWORKS {
        let fw = Framework::builtin(name).unwrap();
        let sv = fw.translations.iter().find(|t| t.lang == "sv").unwrap();
        assert!(!sv.official, "{name}: Swedish must be marked unofficial");
        for c in fw.competences() {
            assert!(
                c.competence.name.0.get("sv").is_some_and(|s| !s.is_empty()),
                "{name} {}",
                c.competence.id
            );
        }
    }
}

#[test]
#[cfg(feature = "toml")]
fn toml_framework_errors_name_the_field() {
    let text =
        "id = \"t\"\nversion = \"1\"\nname = { en = \"T\" }\nscale = { levels = [] }\nareas = []\n";
    let err = Framework::from_toml(text).unwrap_err();
    assert_eq!(
        (err.code(), err.location().as_str()),
        ("empty", "scale.levels")
    );
    let err = Framework::from_toml("id = 3").unwrap_err();
    assert_eq!((err.code(), err.location().as_str()), ("parse_error", "id"));
    let err = Framework::from_toml("id = ").unwrap_err();
    assert_eq!(err.code(), "parse_error");
}

#[test]
#[cfg(feature = "toml")]
fn profile_set_from_toml() {
    let fw = framework();
    let set = kompetens::ProfileSet::from_toml(
        "[[profiles]]\nid = \"all-staff\"\n[[profiles.requirements]]\ncompetence = \"4.2\"\nlevel = 3\nweight = \"critical\"\n\n[[profiles]]\nid = \"it\"\nextends = \"all-staff\"\n[[profiles.requirements]]\ncompetence = \"3.4\"\nlevel = 5\nweight = 2.5\n",
        &fw,
    )
    .unwrap();
    let it = set.resolve("it").unwrap();
    let got: Vec<(&str, i32, f64)> = it
        .requirements
        .iter()
        .map(|r| (r.competence.as_str(), r.level, r.weight))
        .collect();
    assert_eq!(got, vec![("3.4", 5, 2.5), ("4.2", 3, 3.0)]);
}
