//! Property tests of the statistics, survey scoring and DSI modules.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[cfg(feature = "stats")]
use kompetens::stats::{
    cronbach_alpha, interpolated_median, wilcoxon, AlphaOptions, WilcoxonOptions,
};
#[cfg(feature = "dsi")]
use kompetens::survey::dsi::{classify, DsiCategory, DsiThresholds};
use kompetens::survey::{Instrument, ResponseScale, Scorer, ScoringOptions};
use kompetens::Framework;
use ndarray::Array2;
use proptest::prelude::*;

/// Likert answers 1..=5, some missing (0 in the generator = missing).
fn likert_matrix(rows: usize, cols: usize) -> impl Strategy<Value = Array2<f64>> {
    proptest::collection::vec(0u8..=5, rows * cols).prop_map(move |v| {
        Array2::from_shape_vec(
            (rows, cols),
            v.into_iter()
                .map(|x| if x == 0 { f64::NAN } else { f64::from(x) })
                .collect(),
        )
        .unwrap()
    })
}

/// Equal up to floating-point summation order: the pairwise moments are
/// summed in blocks, so permuting items changes the order of additions;
/// with heavy missing data ΣC can be small and α large, hence relative.
#[cfg(feature = "stats")]
fn close(x: f64, y: f64) -> bool {
    (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[cfg(feature = "stats")]
    #[test]
    fn alpha_is_invariant_to_item_order(data in likert_matrix(12, 5), perm in Just(vec![3usize, 0, 4, 1, 2])) {
        let opts = AlphaOptions::default();
        let a = cronbach_alpha(data.view(), &opts);
        let permuted = data.select(ndarray::Axis(1), &perm);
        let b = cronbach_alpha(permuted.view(), &opts);
        match (a, b) {
            (Ok(a), Ok(b)) => {
                prop_assert!(close(a.alpha, b.alpha), "alpha {} vs {}", a.alpha, b.alpha);
                prop_assert!(close(a.ci[0], b.ci[0]), "ci {} vs {}", a.ci[0], b.ci[0]);
                match (a.std_alpha, b.std_alpha) {
                    (Some(x), Some(y)) => prop_assert!(close(x, y), "std {} vs {}", x, y),
                    (x, y) => prop_assert_eq!(x.is_some(), y.is_some()),
                }
                // item statistics follow their item
                for (j, &p) in perm.iter().enumerate() {
                    prop_assert_eq!(a.items[p].n, b.items[j].n);
                    if let (Some(x), Some(y)) = (a.items[p].r_drop, b.items[j].r_drop) {
                        prop_assert!(close(x, y), "r_drop {} vs {}", x, y);
                    }
                }
            }
            (Err(a), Err(b)) => prop_assert_eq!(a.code(), b.code()),
            (a, b) => prop_assert!(false, "{a:?} vs {b:?}"),
        }
    }

    #[test]
    fn reverse_keying_twice_is_identity(min in -10i32..10, span in 1i32..20, x in 0.0f64..1.0) {
        let scale = ResponseScale::new(f64::from(min), f64::from(min + span));
        let v = scale.min + x * (scale.max - scale.min);
        let back = scale.reverse_keyed(scale.reverse_keyed(v));
        prop_assert!((back - v).abs() <= 1e-12 * v.abs().max(1.0));
        prop_assert!(scale.contains(scale.reverse_keyed(v)));
    }

    #[test]
    fn scores_lie_in_unit_interval(data in likert_matrix(20, 6), min_answered in 0.0f64..=1.0) {
        let inst = Instrument::from_json(r#"{"id": "p", "scale": {"min": 1, "max": 5}, "items": [
            {"id": "a", "target": "1.1"}, {"id": "b", "target": "1.1", "reverse": true},
            {"id": "c", "target": "1.2", "weight": 2.5}, {"id": "d", "target": "1.2"},
            {"id": "e", "target": "2.1", "reverse": true}, {"id": "f", "target": "1.1", "weight": 0.5}]}"#).unwrap();
        let fw = Framework::builtin("digcomp-2.2").unwrap();
        let opts = ScoringOptions { min_answered, ..Default::default() };
        let s = Scorer::new(&inst, Some(&fw), &opts).unwrap().score(data.view(), None).unwrap();
        for m in [&s.scores, &s.area_scores] {
            for &v in m.iter() {
                prop_assert!(v.is_nan() || (0.0..=1.0).contains(&v), "{v}");
            }
        }
        for ((&v, &st), &share) in s.scores.iter().zip(s.status.iter()).zip(s.answered.iter()) {
            prop_assert_eq!(v.is_nan(), st != 0);
            prop_assert!((0.0..=1.0).contains(&share));
            if st == 0 {
                prop_assert!(share >= min_answered - 1e-12);
            }
        }
    }

    #[cfg(feature = "stats")]
    #[test]
    fn wilcoxon_swapping_waves_mirrors(before in proptest::collection::vec(1u8..=5, 5..40),
                                       after in proptest::collection::vec(1u8..=5, 40)) {
        let b: Vec<f64> = before.iter().map(|&x| f64::from(x)).collect();
        let a: Vec<f64> = after[..b.len()].iter().map(|&x| f64::from(x)).collect();
        let opts = WilcoxonOptions::default();
        if let (Ok(x), Ok(y)) = (wilcoxon(&b, &a, &opts), wilcoxon(&a, &b, &opts)) {
            prop_assert_eq!(x.r_plus, y.r_minus);
            prop_assert_eq!(x.statistic, y.statistic);
            prop_assert!((x.pvalue - y.pvalue).abs() < 1e-12);
            prop_assert!((x.rank_biserial + y.rank_biserial).abs() < 1e-12);
            prop_assert!((0.0..=1.0).contains(&x.pvalue));
        }
    }

    #[cfg(feature = "dsi")]
    #[test]
    fn dsi_more_activities_never_lower(c in proptest::array::uniform5(0u32..5), area in 0usize..5) {
        let t = DsiThresholds::default();
        let rank = |cat: DsiCategory| 6 - cat.index(); // above_basic highest
        let before = classify(Some(&c), &t).unwrap();
        let mut more = c;
        more[area] += 1;
        let after = classify(Some(&more), &t).unwrap();
        prop_assert!(rank(after.category) >= rank(before.category));
    }

    #[cfg(feature = "stats")]
    #[test]
    fn interpolated_median_within_range(v in proptest::collection::vec(1u8..=7, 1..60)) {
        let x: Vec<f64> = v.iter().map(|&x| f64::from(x)).collect();
        let m = interpolated_median(&x, 1.0).unwrap().unwrap();
        let lo = x.iter().cloned().fold(f64::INFINITY, f64::min);
        let hi = x.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        prop_assert!(m >= lo - 0.5 && m <= hi + 0.5, "{m}");
    }
}
