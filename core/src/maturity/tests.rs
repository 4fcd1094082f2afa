// #[cfg(test)]: compiled only for tests (declared under #[cfg(test)] in mod.rs).
//! Tests of the maturity engine. Every expected number is worked out by hand
//! in the comments (and was cross-checked with pandas / pingouin 0.7, never
//! with this code's output).

use super::*;
use ndarray::{array, Array2};
use proptest::prelude::*;
use serde_json::{json, Value};

const NAN: f64 = f64::NAN;

/// Mini model, scale 1–5 (so x → 25·(x − 1) %):
/// D1 = {C1 = {K1: i1, i2; K2: i3}, C2 = {K3: i4}}, D2 = {C3 = {K4: i5 (reverse), i6}}.
fn mini_json() -> Value {
    json!({"id": "mini", "version": "1", "name": {"en": "Mini"},
     "scale": {"min": 1, "max": 5},
     "dimensions": [
      {"id": "D1", "name": {"en": "D1"}, "categories": [
        {"id": "C1", "name": {"en": "C1"}, "capabilities": [
          {"id": "K1", "name": {"en": "K1"}, "items": [{"id": "i1"}, {"id": "i2"}]},
          {"id": "K2", "name": {"en": "K2"}, "items": [{"id": "i3"}]}]},
        {"id": "C2", "name": {"en": "C2"}, "capabilities": [
          {"id": "K3", "name": {"en": "K3"}, "items": [{"id": "i4"}]}]}]},
      {"id": "D2", "name": {"en": "D2"}, "categories": [
        {"id": "C3", "name": {"en": "C3"}, "capabilities": [
          {"id": "K4", "name": {"en": "K4"}, "items": [{"id": "i5", "reverse": true}, {"id": "i6"}]}]}]}]})
}

fn mini() -> MaturityModel {
    MaturityModel::from_json(&mini_json().to_string()).unwrap()
}

fn ids(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn mini_items() -> Vec<String> {
    ids(&["i1", "i2", "i3", "i4", "i5", "i6"])
}

/// The hand-worked 3 × 6 example.
fn mini_values() -> Array2<f64> {
    array![
        [5., 3., 4., 2., 1., 3.],
        [4., 4., 2., 2., 2., 5.],
        [3., 5., 3., 5., 4., 4.]
    ]
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

fn pct(list: &[LevelResult], id: &str) -> f64 {
    list.iter()
        .find(|x| x.id == id)
        .and_then(|x| x.percentage)
        .unwrap()
}

fn find<'a>(list: &'a [LevelResult], id: &str) -> &'a LevelResult {
    list.iter().find(|x| x.id == id).unwrap()
}

#[test]
fn hand_worked_three_respondents_six_items() {
    // Percentages 25·(x − 1); i5 reverse keyed first: x' = 1 + 5 − x.
    //        i1   i2   i3   i4   i5(rev)  i6
    // r1    100   50   75   25   100      50
    // r2     75   75   25   25    75     100
    // r3     50  100   50  100    25      75
    // mean   75   75   50   50   66.667   75
    // K1 = (75 + 75)/2 = 75, K2 = 50, K3 = 50, K4 = (66.667 + 75)/2 = 70.8333
    // C1 = (75 + 50)/2 = 62.5, C2 = 50, C3 = 70.8333 (= 425/6)
    // D1 = (62.5 + 50)/2 = 56.25, D2 = 425/6
    // overall = (225/4 + 425/6)/2 = 1525/24 = 63.541666…
    let r = score(
        &mini(),
        &mini_items(),
        mini_values().view(),
        &MaturitySettings::default(),
    )
    .unwrap();
    close(r.overall.unwrap(), 1525.0 / 24.0);
    close(pct(&r.dimensions, "D1"), 56.25);
    close(pct(&r.dimensions, "D2"), 425.0 / 6.0);
    close(pct(&r.categories, "C1"), 62.5);
    close(pct(&r.categories, "C2"), 50.0);
    close(pct(&r.categories, "C3"), 425.0 / 6.0);
    close(pct(&r.capabilities, "K1"), 75.0);
    close(pct(&r.capabilities, "K4"), 425.0 / 6.0);
    close(r.items[4].percentage.unwrap(), 200.0 / 3.0);
    assert!(r.items[4].reverse);
    assert_eq!((r.n_respondents, r.n_items), (3, 6));
    let c1 = find(&r.categories, "C1");
    assert_eq!((c1.n_respondents, c1.n_items), (3, 3));
    assert_eq!(find(&r.dimensions, "D1").n_items, 4);
    // Agreement of C1: respondents' own C1 = mean(K1, K2):
    // r1 (75 + 75)/2 = 75, r2 (75 + 25)/2 = 50, r3 (75 + 50)/2 = 62.5;
    // median 62.5, sd = sqrt((12.5² + 12.5² + 0)/2) = 12.5; step 100/4 = 25,
    // all three within 25 → share 1.
    let a = c1.agreement.as_ref().unwrap();
    close(a.sd.unwrap(), 12.5);
    close(a.median.unwrap(), 62.5);
    close(a.step, 25.0);
    close(a.share_within_step.unwrap(), 1.0);
    assert_eq!(a.low, Some(false));
    // K3 (i4): 25, 25, 100 → median 25, mean 50,
    // sd = sqrt((25² + 25² + 50²)/2) = sqrt(1875) = 43.30127…;
    // within 25 of 25: r1, r2 → 2/3.
    let a = find(&r.capabilities, "K3").agreement.clone().unwrap();
    close(a.sd.unwrap(), 1875f64.sqrt());
    close(a.share_within_step.unwrap(), 2.0 / 3.0);
    // K4 per respondent: 75, 87.5, 50 → sd sqrt(364.5833…) = 19.094065
    let a = find(&r.capabilities, "K4").agreement.clone().unwrap();
    close(a.sd.unwrap(), (4375.0f64 / 12.0).sqrt());
    // α of C1 (i1, i2, i3 percentages): variances 625 each; covariances
    // (i1,i2) = −625, (i1,i3) = 312.5, (i2,i3) = −312.5; trace 1875,
    // ΣC = 1875 − 1250 = 625; α = 3/2 · (1 − 1875/625) = −3
    // (pingouin.cronbach_alpha: −3.0).
    close(c1.reliability.as_ref().unwrap().alpha.unwrap(), -3.0);
    // α of C3 (i5, i6): var 1458.33, 625; cov −312.5; ΣC = 1458.33;
    // α = 2 · (1 − 2083.33/1458.33) = −0.857142857 (pingouin: −0.8571428…).
    close(
        find(&r.categories, "C3")
            .reliability
            .as_ref()
            .unwrap()
            .alpha
            .unwrap(),
        -6.0 / 7.0,
    );
    // C2 has one item: no α.
    assert_eq!(
        find(&r.categories, "C2")
            .reliability
            .as_ref()
            .unwrap()
            .alpha,
        None
    );
    // Weakest categories C2 50, C1 62.5, C3 70.83; strongest reversed.
    let w: Vec<&str> = r.weakest_categories.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(w, ["C2", "C1", "C3"]);
    let s: Vec<&str> = r
        .strongest_categories
        .iter()
        .map(|x| x.id.as_str())
        .collect();
    assert_eq!(s, ["C3", "C1", "C2"]);
    // Capabilities K1 75, K2 50, K3 50, K4 70.83: the tie K2 = K3 goes by
    // model order in both lists.
    let w: Vec<&str> = r
        .weakest_capabilities
        .iter()
        .map(|x| x.id.as_str())
        .collect();
    assert_eq!(w, ["K2", "K3", "K4"]);
    let s: Vec<&str> = r
        .strongest_capabilities
        .iter()
        .map(|x| x.id.as_str())
        .collect();
    assert_eq!(s, ["K1", "K4", "K2"]);
    assert_eq!(find(&r.capabilities, "K3").weakness_rank, Some(2));
    assert_eq!(find(&r.capabilities, "K3").strength_rank, Some(4));
}

#[test]
fn missing_answers() {
    // r2 skips i2, r3 skips i4, r4 answers nothing.
    // i2: 50, –, 100 → 75 (n 2); i4: 25, 25, – → 25 (n 2).
    // K1 = 75, K3 = 25 → C2 = 25, D1 = (62.5 + 25)/2 = 43.75,
    // overall = (175/4 + 425/6)/2 = 1375/24 = 57.291666…
    let mut v = mini_values();
    v[(1, 1)] = NAN;
    v[(2, 3)] = NAN;
    let v = ndarray::concatenate![ndarray::Axis(0), v, Array2::from_elem((1, 6), NAN)];
    let r = score(
        &mini(),
        &mini_items(),
        v.view(),
        &MaturitySettings::default(),
    )
    .unwrap();
    close(r.overall.unwrap(), 1375.0 / 24.0);
    close(pct(&r.categories, "C2"), 25.0);
    assert_eq!(r.n_respondents, 3);
    assert_eq!(r.items[1].n_respondents, 2);
    assert_eq!(find(&r.capabilities, "K1").n_respondents, 3);
    // α of C1 with pairwise-complete covariances: var i2 over r1, r3 = 1250,
    // cov(i1,i2) over r1, r3 = −1250, cov(i2,i3) = −625, cov(i1,i3) = 312.5;
    // trace 2500, ΣC = 2500 − 3125 = −625; α = 1.5 · (1 + 4) = 7.5
    // (pingouin, nan_policy="pairwise": 7.5).
    close(
        find(&r.categories, "C1")
            .reliability
            .as_ref()
            .unwrap()
            .alpha
            .unwrap(),
        7.5,
    );
}

#[test]
fn a_capability_without_answers_is_left_out() {
    // Only i1..i3 answered: C2 and D2 have no data; D1 = C1 = 62.5 and the
    // overall is D1 alone (weights renormalised).
    let v = mini_values();
    let v = v.slice(ndarray::s![.., 0..3]).to_owned();
    let r = score(
        &mini(),
        &ids(&["i1", "i2", "i3"]),
        v.view(),
        &MaturitySettings::default(),
    )
    .unwrap();
    assert_eq!(find(&r.categories, "C2").percentage, None);
    assert_eq!(find(&r.dimensions, "D2").percentage, None);
    close(r.overall.unwrap(), 62.5);
    assert_eq!(r.n_items, 3);
    let w: Vec<&str> = r.weakest_categories.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(w, ["C1"]);
}

#[test]
fn median_combination() {
    // Item medians: i1 75, i2 75, i3 50, i4 median(25, 25, 100) = 25,
    // i5 median(100, 75, 25) = 75, i6 75.
    // K1 75, K2 50, K3 25, K4 75; C1 62.5, C2 25, C3 75;
    // D1 43.75, D2 75; overall 59.375.
    let settings = MaturitySettings {
        combine: Combine::Median,
        ..Default::default()
    };
    let r = score(&mini(), &mini_items(), mini_values().view(), &settings).unwrap();
    close(r.overall.unwrap(), 59.375);
    close(pct(&r.categories, "C2"), 25.0);
}

#[test]
fn ratio_rescaling() {
    // 100·x/5: i1 mean of 100, 80, 60 = 80; i5 reverse 5, 4, 2 → 100, 80, 40.
    let settings = MaturitySettings {
        rescale: Rescale::Ratio,
        ..Default::default()
    };
    let r = score(&mini(), &mini_items(), mini_values().view(), &settings).unwrap();
    close(r.items[0].percentage.unwrap(), 80.0);
    close(r.items[4].percentage.unwrap(), 220.0 / 3.0);
}

#[test]
fn low_agreement_threshold_is_a_setting() {
    // K3 share 2/3: not low at the default 0.5, low at 0.7.
    let settings = MaturitySettings {
        agreement_threshold: 0.7,
        ..Default::default()
    };
    let r = score(&mini(), &mini_items(), mini_values().view(), &settings).unwrap();
    assert_eq!(
        find(&r.capabilities, "K3").agreement.as_ref().unwrap().low,
        Some(true)
    );
    assert_eq!(
        find(&r.capabilities, "K1").agreement.as_ref().unwrap().low,
        Some(false)
    );
}

#[test]
fn response_errors() {
    let s = MaturitySettings::default();
    let e = score(
        &mini(),
        &ids(&["i1", "x"]),
        Array2::zeros((1, 2)).view(),
        &s,
    )
    .unwrap_err();
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("unknown_reference", "responses.items[1]")
    );
    let e = score(
        &mini(),
        &ids(&["i1", "i1"]),
        Array2::ones((1, 2)).view(),
        &s,
    )
    .unwrap_err();
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("duplicate_id", "responses.items[1]")
    );
    let e = score(
        &mini(),
        &ids(&["i1", "i2"]),
        array![[1., 2.], [6., 1.]].view(),
        &s,
    )
    .unwrap_err();
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("value_out_of_scale", "responses.rows[1][0]")
    );
    // out of range as missing, unknown items ignored
    let s2 = MaturitySettings {
        out_of_range: OutOfRange::Missing,
        unknown_items: UnknownItems::Ignore,
        ..Default::default()
    };
    let r = score(
        &mini(),
        &ids(&["i1", "zz"]),
        array![[5., 9.], [6., 1.]].view(),
        &s2,
    )
    .unwrap();
    assert_eq!(r.items[0].n_respondents, 1);
    close(r.items[0].percentage.unwrap(), 100.0);
}

#[test]
fn dimios_structure() {
    let m = MaturityModel::builtin("dimios").unwrap();
    assert_eq!(m.dimensions.len(), 2);
    let cats: Vec<&str> = m.categories().iter().map(|(_, c)| c.id.as_str()).collect();
    assert_eq!(
        cats,
        [
            "effektivitet",
            "innovation",
            "balansering",
            "organisation",
            "anvandare",
            "teknik"
        ]
    );
    assert_eq!(m.capabilities().len(), 26);
    let reverse: Vec<&str> = m
        .items()
        .iter()
        .filter(|i| i.reverse)
        .map(|i| i.item.id.as_str())
        .collect();
    assert_eq!(reverse, ["ex_shadow_it", "ex_technical_debt"]);
    let inst = m.example_instrument().unwrap();
    assert!(inst.example);
    assert_eq!(inst.items.len(), 26);
    assert!(inst.note.get("en").starts_with("EXAMPLE ONLY"));
    assert_eq!(m.instrument.as_ref().map(|i| i.example), Some(true));
    let cl = m.classification.as_ref().unwrap();
    assert_eq!(
        cl.types
            .iter()
            .filter(|t| t.origin == Origin::Documented)
            .count(),
        1
    );
    for t in &cl.types {
        assert!(!t.name.get("sv").is_empty() && !t.description.get("en").is_empty());
    }
    // a licensed instrument replaces the example items
    let licensed: Instrument = serde_json::from_value(json!({
        "id": "licensed", "items": [
            {"id": "q1", "capability": "budget"},
            {"id": "q2", "capability": "shadow_it"},
            {"id": "q3", "capability": "shadow_it", "reverse": false}]}))
    .unwrap();
    let m2 = m.with_instrument(&licensed).unwrap();
    let rev: Vec<(String, bool)> = m2
        .items()
        .iter()
        .map(|i| (i.item.id.clone(), i.reverse))
        .collect();
    assert_eq!(
        rev,
        [
            ("q1".into(), false),
            ("q2".into(), true),
            ("q3".into(), false)
        ]
    );
    assert_eq!(m2.instrument.as_ref().map(|i| i.example), Some(false));
    let bad: Instrument = serde_json::from_value(json!({
        "id": "x", "items": [{"id": "q1", "capability": "nope"}]}))
    .unwrap();
    let e = m.with_instrument(&bad).unwrap_err();
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("unknown_reference", "items[0].capability")
    );
}

#[test]
fn dimios_all_fours() {
    // Everyone answers 4: (4 − 1)/5 = 60 %; shadow IT and technical debt are
    // reverse keyed: 1 + 6 − 4 = 3 → 40 %.
    // Teknik = (60 + 40 + 40 + 60)/4 = 50, other categories 60;
    // förmåga 60, arv (60 + 60 + 50)/3 = 56.667, overall 58.333; type D
    // (both ≥ 50). Weakest: teknik, then the 60 % ties in model order
    // (effektivitet, innovation) — shown even for a mature organisation.
    let m = MaturityModel::builtin("dimios").unwrap();
    let items: Vec<String> = m.items().iter().map(|i| i.item.id.clone()).collect();
    let v = Array2::from_elem((4, items.len()), 4.0);
    let r = score(&m, &items, v.view(), &MaturitySettings::default()).unwrap();
    close(pct(&r.categories, "teknik"), 50.0);
    close(pct(&r.dimensions, "arv"), 170.0 / 3.0);
    close(r.overall.unwrap(), 175.0 / 3.0);
    assert_eq!(r.maturity_type.as_ref().unwrap().id, "D");
    let w: Vec<&str> = r.weakest_categories.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(w, ["teknik", "effektivitet", "innovation"]);
    let s: Vec<&str> = r
        .strongest_categories
        .iter()
        .map(|x| x.id.as_str())
        .collect();
    assert_eq!(s, ["effektivitet", "innovation", "balansering"]);
    // agreement: everyone equal → sd 0, share 1; α undefined (zero variance)
    let a = find(&r.categories, "teknik").agreement.clone().unwrap();
    close(a.sd.unwrap(), 0.0);
    close(a.step, 20.0);
    assert_eq!(
        find(&r.categories, "teknik")
            .reliability
            .as_ref()
            .unwrap()
            .alpha,
        None
    );
}

#[test]
fn published_figures() {
    let m = MaturityModel::builtin("dimios").unwrap();
    let s = MaturitySettings::default();
    let dv = |f: f64, a: f64| {
        vec![
            DimensionValue {
                id: "formaga".into(),
                percentage: f,
            },
            DimensionValue {
                id: "arv".into(),
                percentage: a,
            },
        ]
    };
    // arv 59, förmåga 47 → (59 + 47)/2 = 53 (published 53)
    let r = overall_from_dimensions(&m, &dv(47.0, 59.0), &s, Some(0)).unwrap();
    close(r.overall, 53.0);
    assert_eq!(r.possible_published, Some(vec![53.0]));
    assert_eq!(r.maturity_type.as_ref().unwrap().id, "C");
    // 71/56 → 63.5: from unrounded inputs in [70.5, 71.5) × [55.5, 56.5) the
    // overall lies in [63, 64), so 63 or 64 can be published.
    let r = overall_from_dimensions(&m, &dv(56.0, 71.0), &s, Some(0)).unwrap();
    close(r.overall, 63.5);
    assert_eq!(r.possible_published, Some(vec![63.0, 64.0]));
    // 72/57 → 64.5; published 64 (e.g. 71.6 and 56.8 → 64.2).
    let r = overall_from_dimensions(&m, &dv(57.0, 72.0), &s, Some(0)).unwrap();
    close(r.overall, 64.5);
    assert!(r.possible_published.as_ref().unwrap().contains(&64.0));
    let i = r.overall_interval.unwrap();
    close(i.low, 64.0);
    close(i.high, 65.0);
}

#[test]
fn classification_quadrants_and_cut() {
    let m = MaturityModel::builtin("dimios").unwrap();
    let s = MaturitySettings::default();
    let t = |f: f64, a: f64, s: &MaturitySettings| {
        classify(
            &m,
            &[
                DimensionValue {
                    id: "formaga".into(),
                    percentage: f,
                },
                DimensionValue {
                    id: "arv".into(),
                    percentage: a,
                },
            ],
            s,
        )
        .unwrap()
        .unwrap()
        .id
    };
    assert_eq!(t(40.0, 40.0, &s), "A");
    assert_eq!(t(60.0, 40.0, &s), "B");
    assert_eq!(t(40.0, 60.0, &s), "C");
    assert_eq!(t(60.0, 60.0, &s), "D");
    assert_eq!(t(50.0, 50.0, &s), "D"); // at the cut: high
    let low = MaturitySettings {
        at_cut: Side::Low,
        ..Default::default()
    };
    assert_eq!(t(50.0, 50.0, &low), "A");
    let cut = MaturitySettings {
        quadrant_cut_x: 65.0,
        quadrant_cut_y: 35.0,
        ..Default::default()
    };
    assert_eq!(t(60.0, 40.0, &cut), "C");
    let e = classify(
        &m,
        &[DimensionValue {
            id: "arv".into(),
            percentage: 3.0,
        }],
        &s,
    )
    .unwrap_err();
    assert_eq!(e.code(), "missing_value");
}

fn tree_json() -> Value {
    json!([
        {"id": "org"},
        {"id": "a", "parent": "org"},
        {"id": "b", "parent": "org"},
        {"id": "b1", "parent": "b"}
    ])
}

#[test]
fn units_and_suppression() {
    // 11 respondents: a 5, b 2, b1 4; everyone answers only i1.
    // a: 5 → 100 %; b: 1 → 0 %; b1: 3 → 50 %.
    // own: org 0 (withheld), a 5 (shown, 100), b 2 (withheld), b1 4 (withheld)
    // rolled up: org 11 → (5·100 + 2·0 + 4·50)/11 = 700/11 = 63.636…,
    // a 5 (100), b 6 → (0 + 0 + 4·50)/6 = 33.333…, b1 4 (withheld).
    let units: Vec<&str> = [["a"; 5].as_slice(), &["b"; 2], &["b1"; 4]].concat();
    let rows: Vec<Vec<Option<f64>>> = units
        .iter()
        .map(|u| {
            vec![Some(match *u {
                "a" => 5.0,
                "b" => 1.0,
                _ => 3.0,
            })]
        })
        .collect();
    let table = ResponseTable {
        items: ids(&["i1"]),
        rows,
        units: Some(units.iter().map(|u| Some(u.to_string())).collect()),
    };
    let tree: Vec<Unit> = serde_json::from_value(tree_json()).unwrap();
    let r = score_table(&mini(), &table, Some(&tree), &MaturitySettings::default()).unwrap();
    close(r.items[0].percentage.unwrap(), 700.0 / 11.0);
    let u = r.units.as_ref().unwrap();
    let get = |id: &str| u.iter().find(|x| x.id == id).unwrap();
    assert!(get("org").own.withheld);
    assert_eq!(get("org").own.n_respondents, 0);
    assert_eq!(
        get("org").own.reason,
        Some(WithheldReason::FewerThanMinRespondents)
    );
    close(
        get("org").rolled_up.result.as_ref().unwrap().items[0]
            .percentage
            .unwrap(),
        700.0 / 11.0,
    );
    close(
        get("a").own.result.as_ref().unwrap().items[0]
            .percentage
            .unwrap(),
        100.0,
    );
    assert!(get("b").own.withheld && get("b").own.result.is_none());
    assert_eq!(get("b").rolled_up.n_respondents, 6);
    close(
        get("b").rolled_up.result.as_ref().unwrap().items[0]
            .percentage
            .unwrap(),
        100.0 / 3.0,
    );
    assert!(get("b1").rolled_up.withheld);
    assert_eq!(
        (get("b1").depth, get("b1").parent.as_deref()),
        (2, Some("b"))
    );
    // min_respondents 2 shows b's own result (0 %)
    let s = MaturitySettings {
        min_respondents: 2,
        ..Default::default()
    };
    let r = score_table(&mini(), &table, Some(&tree), &s).unwrap();
    let u = r.units.unwrap();
    let b = u.iter().find(|x| x.id == "b").unwrap();
    close(
        b.own.result.as_ref().unwrap().items[0].percentage.unwrap(),
        0.0,
    );
}

#[test]
fn tree_errors() {
    let cyc: Vec<Unit> = serde_json::from_value(json!([
        {"id": "r"}, {"id": "x", "parent": "y"}, {"id": "y", "parent": "x"}]))
    .unwrap();
    let e = OrgTree::new(&cyc).unwrap_err();
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("tree_cycle", "x -> y -> x")
    );
    let unk: Vec<Unit> = serde_json::from_value(json!([{"id": "r", "parent": "q"}])).unwrap();
    let e = OrgTree::new(&unk).unwrap_err();
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("unknown_reference", "tree[0].parent")
    );
    let dup: Vec<Unit> = serde_json::from_value(json!([{"id": "r"}, {"id": "r"}])).unwrap();
    let e = OrgTree::new(&dup).unwrap_err();
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("duplicate_id", "tree[1].id")
    );
    let own: Vec<Unit> = serde_json::from_value(json!([{"id": "r", "parent": "r"}])).unwrap();
    assert_eq!(OrgTree::new(&own).unwrap_err().location(), "r -> r");
    let table = ResponseTable {
        items: ids(&["i1"]),
        rows: vec![vec![Some(1.0)]],
        units: Some(vec![Some("nowhere".into())]),
    };
    let tree: Vec<Unit> = serde_json::from_value(tree_json()).unwrap();
    let e = score_table(&mini(), &table, Some(&tree), &MaturitySettings::default()).unwrap_err();
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("unknown_reference", "responses.units[0]")
    );
}

#[test]
fn compare_and_benchmark() {
    let current: ResultSummary = serde_json::from_value(json!({
        "model": "m", "overall": 57.5,
        "categories": [{"id": "C1", "percentage": 60.0}, {"id": "C2", "percentage": 40.0}]}))
    .unwrap();
    let previous: ResultSummary = serde_json::from_value(json!({
        "model": "m", "overall": 53.0,
        "categories": [{"id": "C1", "percentage": 62.5}, {"id": "C9", "percentage": 10.0}]}))
    .unwrap();
    let c = compare(&current, &previous).unwrap();
    close(c.overall.change.unwrap(), 4.5);
    close(c.categories[0].change.unwrap(), -2.5);
    assert_eq!(c.categories[1].change, None);
    assert_eq!(c.categories[2].id, "C9");
    let other = ResultSummary {
        model: Some("x".into()),
        ..Default::default()
    };
    assert_eq!(
        compare(&current, &other).unwrap_err().location(),
        "previous.model"
    );
    // Peers of type municipality: C1 50, 60, 70 → mean 60, difference 0,
    // percentile (1 below + ½·1 equal)/3 = 50. Overall 40, 50, 80 → mean
    // 56.667, difference 57.5 − 56.667 = 0.833, percentile 2/3 = 66.667.
    // The region peer and the organisation itself are left out.
    let peer = |id: &str, ty: &str, o: f64, c1: f64| -> Peer {
        serde_json::from_value(json!({"id": id, "type": ty, "result": {
            "model": "m", "overall": o, "categories": [{"id": "C1", "percentage": c1}]}}))
        .unwrap()
    };
    let peers = vec![
        peer("p1", "municipality", 40.0, 50.0),
        peer("p2", "municipality", 50.0, 60.0),
        peer("p3", "municipality", 80.0, 70.0),
        peer("p4", "region", 0.0, 0.0),
        peer("me", "municipality", 0.0, 0.0),
    ];
    let b = benchmark(&current, "municipality", &peers, Some("me")).unwrap();
    assert_eq!(b.n_peers, 3);
    close(b.categories[0].peer_mean.unwrap(), 60.0);
    close(b.categories[0].difference.unwrap(), 0.0);
    close(b.categories[0].percentile_rank.unwrap(), 50.0);
    close(b.overall.peer_mean.unwrap(), 170.0 / 3.0);
    close(b.overall.percentile_rank.unwrap(), 200.0 / 3.0);
    assert_eq!(b.categories[1].n_peers, 0);
    assert_eq!(b.categories[1].percentile_rank, None);
}

/// The hand-filled DMA questionnaire of the vectors.
fn dma_answers() -> Value {
    json!([
        {"question": "strategy_preparedness", "ticked": ["o1", "o2", "o3", "o5"]},
        {"question": "strategy_investments", "rows": [
            {"row": "r1", "ticked": ["invested"]},
            {"row": "r2", "ticked": ["planned"]},
            {"row": "r3", "ticked": ["invested", "planned"]},
            {"row": "r4", "ticked": ["planned"]}]},
        {"question": "readiness_basic", "ticked": ["o1", "o2", "o3", "o5", "o6", "o7"]},
        {"question": "readiness_advanced", "rows": [
            {"row": "r1", "value": 2}, {"row": "r3", "value": 5}, {"row": "r5", "value": 4}]},
        {"question": "human_upskilling", "ticked": ["o1", "o2", "o3", "o4", "o5", "o6", "o7"]},
        {"question": "human_engagement", "ticked": ["o1", "o3", "o5", "o7", "o9"]},
        {"question": "data_management", "ticked": []},
        {"question": "data_security", "ticked": ["o1", "o2", "o5"]},
        {"question": "interoperability_principles", "rows": [
            {"row": "r1", "ticked": ["implemented"]}, {"row": "r2", "ticked": ["implemented"]},
            {"row": "r3", "ticked": ["implemented"]}, {"row": "r4", "ticked": ["implemented"]},
            {"row": "r5", "ticked": ["implemented", "planned"]},
            {"row": "r6", "ticked": ["implemented"]}, {"row": "r7", "ticked": ["implemented"]},
            {"row": "r8", "ticked": ["implemented"]},
            {"row": "r9", "ticked": ["planned"]}, {"row": "r10", "ticked": ["planned"]},
            {"row": "r11", "ticked": ["planned"]}, {"row": "r12", "ticked": ["planned"]}]},
        {"question": "green_practices", "ticked": ["o2", "o6", "o9"]},
        {"question": "green_impact", "rows": [
            {"row": "r1", "value": "yes"}, {"row": "r2", "value": "partially"},
            {"row": "r3", "value": "no"}, {"row": "r4", "value": "partially"}]}
    ])
}

#[test]
fn dma_hand_filled() {
    // strategy: preparedness 4/10 → 4; investments (1 + .5 + 1 + .5)/8 → 3.75;
    //           5 × (4 + 3.75) = 38.75 (Average)
    // readiness: basic 6/9 → 6.667; advanced (2 + 5 + 4)/(5·8) → 2.75;
    //           5 × 9.41667 = 565/12 = 47.0833
    // human: 7/7 → 10, 5/10 → 5; 75 (Moderately advanced)
    // data: 0/9 → 0, 3/6 → 5; 25 (Basic: 25 is in 0–25)
    // interoperability: implemented 8/16 → 5, planned 5/16 → 3.125;
    //           5 × 8.125 = 40.625
    // green: 3/9 → 3.333; (1 + .5 + 0 + .5 + 0)/5 → 4; 110/3 = 36.667
    // overall = 6315/144 = 43.854166… (Average)
    let model = MaturityModel::builtin("edih-dma-pso").unwrap();
    let answers: Vec<Answer> = serde_json::from_value(dma_answers()).unwrap();
    let r = score_dma(&model, &answers, &DmaSettings::default()).unwrap();
    let dim = |id: &str| r.dimensions.iter().find(|d| d.id == id).unwrap().clone();
    close(dim("strategy").score.unwrap(), 38.75);
    close(dim("readiness").score.unwrap(), 565.0 / 12.0);
    close(dim("human").score.unwrap(), 75.0);
    close(dim("data").score.unwrap(), 25.0);
    assert_eq!(dim("data").band.unwrap().id, "basic");
    close(dim("interoperability").score.unwrap(), 40.625);
    close(dim("green").score.unwrap(), 110.0 / 3.0);
    close(r.overall.unwrap(), 6315.0 / 144.0);
    assert_eq!(r.band.as_ref().unwrap().id, "average");
    let interop = r
        .questions
        .iter()
        .find(|q| q.id == "interoperability_principles")
        .unwrap();
    close(interop.parts[1].score, 3.125);
    // planned weight 1: investments 4/8 → 5; strategy 45; overall + 6.25/6
    let s = DmaSettings {
        planned_weight: 1.0,
        ..Default::default()
    };
    let r2 = score_dma(&model, &answers, &s).unwrap();
    close(r2.overall.unwrap(), (263.125 + 6.25) / 6.0);
    // interoperability as one combined grid: rows 1–8 done (1), 9–12
    // planned (0.5): (8 + 2)/16 → 6.25; dimension 62.5.
    let s = DmaSettings {
        grid_scoring: vec![GridScoringOverride {
            question: "interoperability_principles".into(),
            scoring: GridScoring::Combined,
        }],
        ..Default::default()
    };
    let r3 = score_dma(&model, &answers, &s).unwrap();
    close(r3.dimensions[4].score.unwrap(), 62.5);
    // skip: the unanswered advanced-technology rows and green row r5 are
    // left out: advanced 11/(5·3) → 7.333; green_impact 2/4 → 5.
    let s = DmaSettings {
        unanswered: Unanswered::Skip,
        ..Default::default()
    };
    let r4 = score_dma(&model, &answers, &s).unwrap();
    close(r4.questions[3].score.unwrap(), 22.0 / 3.0);
    close(r4.questions[10].score.unwrap(), 5.0);
    let s = DmaSettings {
        unanswered: Unanswered::Error,
        ..Default::default()
    };
    let e = score_dma(&model, &answers, &s).unwrap_err();
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("missing_value", "answers[3].rows")
    );
}

#[test]
fn dma_errors() {
    let model = MaturityModel::builtin("edih-dma-pso").unwrap();
    let s = DmaSettings::default();
    let run = |v: Value| {
        let a: Vec<Answer> = serde_json::from_value(v).unwrap();
        score_dma(&model, &a, &s).unwrap_err()
    };
    let e = run(json!([{"question": "data_security", "ticked": ["o1", "o9"]}]));
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("unknown_reference", "answers[0].ticked[1]")
    );
    let e = run(json!([{"question": "readiness_advanced", "rows": [{"row": "r2", "value": 6}]}]));
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("value_out_of_scale", "answers[0].rows[0].value")
    );
    let e = run(json!([{"question": "nope"}]));
    assert_eq!(e.code(), "unknown_reference");
    let e = run(json!([{"question": "green_impact"}, {"question": "green_impact"}]));
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("duplicate_id", "answers[1].question")
    );
    let e = run(json!([{"question": "green_impact", "rows": [{"row": "r1", "value": "maybe"}]}]));
    assert_eq!(e.code(), "invalid_value");
    let e = run(
        json!([{"question": "strategy_investments", "rows": [{"row": "r1", "ticked": ["done"]}]}]),
    );
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("unknown_reference", "answers[0].rows[0].ticked[0]")
    );
    let e = run(json!([{"question": "strategy_investments", "ticked": ["r1"]}]));
    assert_eq!(e.code(), "invalid_value");
    // Nothing answered: every dimension 0 (lowest), Basic.
    let r = score_dma(&model, &[], &s).unwrap();
    close(r.overall.unwrap(), 0.0);
    assert_eq!(r.band.unwrap().id, "basic");
}

#[test]
fn bands_and_boundaries() {
    let m = MaturityModel::builtin("edih-dma-pso").unwrap();
    let ub = BandBoundaries::UpperInclusive;
    let rf = BandBoundaries::RoundFirst;
    let b = |v: f64, how| band_of(&m.bands, v, how).map(|b| b.id);
    assert_eq!(b(0.0, ub).as_deref(), Some("basic"));
    assert_eq!(b(25.0, ub).as_deref(), Some("basic"));
    assert_eq!(b(25.2, ub).as_deref(), Some("average"));
    assert_eq!(b(50.0, ub).as_deref(), Some("average"));
    assert_eq!(b(75.01, ub).as_deref(), Some("advanced"));
    assert_eq!(b(100.0, ub).as_deref(), Some("advanced"));
    assert_eq!(b(25.4, rf).as_deref(), Some("basic"));
    assert_eq!(b(25.5, rf).as_deref(), Some("average"));
    assert_eq!(b(50.2, rf).as_deref(), Some("average"));
    assert_eq!(b(100.2, ub), None);
    assert_eq!(b(-1.0, ub), None);
}

#[test]
fn model_validation_paths() {
    let bad = |f: &dyn Fn(&mut Value)| {
        let mut v = mini_json();
        f(&mut v);
        MaturityModel::from_json(&v.to_string()).unwrap_err()
    };
    let e = bad(&|v| v["dimensions"][1]["categories"][0]["id"] = json!("C1"));
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("duplicate_id", "dimensions[1].categories[0].id")
    );
    let e = bad(&|v| {
        v["dimensions"][0]["categories"][1]["capabilities"][0]["items"][0]["id"] = json!("i1")
    });
    assert_eq!(
        (e.code(), e.location().as_str()),
        (
            "duplicate_id",
            "dimensions[0].categories[1].capabilities[0].items[0].id"
        )
    );
    let e = bad(&|v| v["dimensions"][0]["weight"] = json!(0));
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("invalid_weight", "dimensions[0].weight")
    );
    let e = bad(&|v| v["scale"] = json!({"min": 5, "max": 1}));
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("invalid_scale", "scale")
    );
    let e = bad(&|v| v["dimensions"][0]["categories"][0]["capabilities"] = json!([]));
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("empty", "dimensions[0].categories[0].capabilities")
    );
    let e = bad(&|v| v["dimensions"][0]["colour"] = json!("red"));
    assert_eq!(e.code(), "parse_error");
    let e = bad(&|v| {
        v["classification"] = json!({"x": "D1", "y": "D9", "types": []});
    });
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("unknown_reference", "classification.y")
    );
    let e = bad(&|v| {
        v["scale"] = Value::Null;
    });
    assert_eq!(e.code(), "missing_value");
}

#[test]
fn toml_model_loads() {
    let text = r#"
id = "t"
version = "1"
name = { en = "T" }
scale = { min = 0, max = 4 }
[[dimensions]]
id = "d"
name = { en = "D" }
[[dimensions.categories]]
id = "c"
name = { en = "C" }
[[dimensions.categories.capabilities]]
id = "k"
name = { en = "K" }
items = [ { id = "q1" }, { id = "q2", reverse = true } ]
"#;
    let m = MaturityModel::from_toml(text).unwrap();
    // q1 = 3 → 75 %, q2 = 3 reversed → 1 → 25 %; overall 50
    let r = score(
        &m,
        &ids(&["q1", "q2"]),
        array![[3., 3.]].view(),
        &MaturitySettings::default(),
    )
    .unwrap();
    close(r.overall.unwrap(), 50.0);
}

#[test]
fn api_ops_and_errors() {
    let r = crate::api::call("maturity.settings", json!({})).unwrap();
    assert_eq!(r["min_respondents"], 5);
    assert_eq!(r["quadrant_cut_x"], 50.0);
    let r = crate::api::call(
        "dma.settings",
        json!({"settings": {"planned_weight": 0.25}}),
    )
    .unwrap();
    assert_eq!(r["planned_weight"], 0.25);
    let e = crate::api::call(
        "maturity.settings",
        json!({"settings": {"agreement_threshold": 2}}),
    )
    .unwrap_err();
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("invalid_value", "settings.agreement_threshold")
    );
    let e = crate::api::call("maturity.settings", json!({"settings": {"nope": 1}})).unwrap_err();
    assert_eq!(e.code(), "parse_error");
    let e = crate::api::call("maturity.builtin", json!({"name": "cmmi"})).unwrap_err();
    assert_eq!(e.code(), "unknown_builtin");
    let e = crate::api::call(
        "maturity.score",
        json!({"model": mini_json(), "responses": {"items": ["i1", "i2"], "rows": [[1, 2], [3]]}}),
    )
    .unwrap_err();
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("shape_mismatch", "responses.rows[1]")
    );
    let e = crate::api::call(
        "maturity.score",
        json!({"model": "dimios", "instrument": {"id": "x", "items": [{"id": "a", "capability": "zz"}]},
               "responses": {"items": ["a"], "rows": [[1]]}}),
    )
    .unwrap_err();
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("unknown_reference", "instrument.items[0].capability")
    );
    // units at the top level, and the result keeps them
    let r = crate::api::call(
        "maturity.score",
        json!({"model": mini_json(), "responses": {"items": ["i1"], "rows": [[5], [1]]},
               "units": ["u", "u"], "settings": {"min_respondents": 1}}),
    )
    .unwrap();
    assert_eq!(r["units"][0]["own"]["result"]["overall"], 50.0);
    let r = crate::api::call("maturity.load", json!({"model": "dimios"})).unwrap();
    assert_eq!(r["id"], "dimios");
    let r = crate::api::call("maturity.classify", json!({"model": "dimios",
        "result": {"dimensions": [{"id": "formaga", "percentage": 10}, {"id": "arv", "percentage": 10}]}}))
    .unwrap();
    assert_eq!(r["id"], "A");
    let r = crate::api::call(
        "maturity.classify",
        json!({"model": mini_json(),
        "dimensions": [{"id": "D1", "percentage": 10}]}),
    )
    .unwrap();
    assert_eq!(r, Value::Null);
    for op in crate::api::OPERATIONS
        .iter()
        .filter(|o| o.starts_with("maturity.") || o.starts_with("dma."))
    {
        // every op is routed (errors here are input errors, never unknown_operation)
        let e = crate::api::call(op, json!({"bogus": 1}));
        if let Err(e) = e {
            assert_ne!(e.code(), "unknown_operation", "{op}");
        }
    }
}

fn model_with_n_categories(n: usize) -> MaturityModel {
    let cats: Vec<Value> = (0..n)
        .map(|c| {
            json!({"id": format!("c{c}"), "name": {"en": "c"}, "capabilities": [
            {"id": format!("k{c}"), "name": {"en": "k"}, "items": [{"id": format!("i{c}")}]}]})
        })
        .collect();
    MaturityModel::from_json(
        &json!({"id": "p", "version": "1", "name": {"en": "P"}, "scale": {"min": 1, "max": 6},
            "dimensions": [{"id": "d", "name": {"en": "d"}, "categories": cats}]})
        .to_string(),
    )
    .unwrap()
}

#[test]
fn ties_follow_model_order() {
    // c0..c4 = 60, 20, 60, 20, 60 %: weakest c1, c3, c0; strongest c0, c2, c4.
    let m = model_with_n_categories(5);
    let items: Vec<String> = (0..5).map(|i| format!("i{i}")).collect();
    let v = array![[4., 2., 4., 2., 4.]];
    let r = score(&m, &items, v.view(), &MaturitySettings::default()).unwrap();
    let w: Vec<&str> = r.weakest_categories.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(w, ["c1", "c3", "c0"]);
    let s: Vec<&str> = r
        .strongest_categories
        .iter()
        .map(|x| x.id.as_str())
        .collect();
    assert_eq!(s, ["c0", "c2", "c4"]);
    // floating noise below tie_decimals is a tie: (1+2)/3·… compare equal
    let s2 = MaturitySettings {
        extremes_count: 5,
        ..Default::default()
    };
    let r = score(&m, &items, v.view(), &s2).unwrap();
    assert_eq!(r.weakest_categories.len(), 5);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn results_are_percentages_and_permutation_invariant(
        data in proptest::collection::vec(proptest::option::of(1u8..=5), 6 * 7),
        shift in 1usize..7,
    ) {
        let v = Array2::from_shape_fn((7, 6), |(r, j)| {
            data[r * 6 + j].map_or(NAN, f64::from)
        });
        let s = MaturitySettings::default();
        let a = score(&mini(), &mini_items(), v.view(), &s).unwrap();
        for p in a.dimensions.iter().chain(&a.categories).chain(&a.capabilities).filter_map(|x| x.percentage)
            .chain(a.overall) {
            prop_assert!((0.0..=100.0).contains(&p));
        }
        // rotate the respondents
        let mut w = v.clone();
        for r in 0..7 {
            w.row_mut(r).assign(&v.row((r + shift) % 7));
        }
        let b = score(&mini(), &mini_items(), w.view(), &s).unwrap();
        prop_assert_eq!(a.overall.map(|x| (x * 1e9).round()), b.overall.map(|x| (x * 1e9).round()));
        for (x, y) in a.categories.iter().zip(&b.categories) {
            prop_assert_eq!(x.percentage.map(|p| (p * 1e9).round()), y.percentage.map(|p| (p * 1e9).round()));
            let (ax, ay) = (x.agreement.as_ref().unwrap(), y.agreement.as_ref().unwrap());
            prop_assert_eq!(ax.share_within_step, ay.share_within_step);
        }
    }

    #[test]
    fn reverse_keying_twice_is_identity(
        data in proptest::collection::vec(1u8..=5, 6 * 4),
    ) {
        // i5 is reverse keyed in the model; answering (1 + 5 − x) to a model
        // where i5 is not reverse keyed gives the same result.
        let v = Array2::from_shape_fn((4, 6), |(r, j)| f64::from(data[r * 6 + j]));
        let mut flipped = v.clone();
        for r in 0..4 {
            flipped[(r, 4)] = 6.0 - v[(r, 4)];
        }
        let mut plain = mini_json();
        plain["dimensions"][1]["categories"][0]["capabilities"][0]["items"][0]["reverse"] = json!(false);
        let plain = MaturityModel::from_json(&plain.to_string()).unwrap();
        let s = MaturitySettings::default();
        let a = score(&mini(), &mini_items(), v.view(), &s).unwrap();
        let b = score(&plain, &mini_items(), flipped.view(), &s).unwrap();
        prop_assert!((a.overall.unwrap() - b.overall.unwrap()).abs() < 1e-9);
        prop_assert!((a.items[4].percentage.unwrap() - b.items[4].percentage.unwrap()).abs() < 1e-9);
    }
}

#[test]
fn alpha_matches_pingouin_reference() {
    // pingouin's test data (read_dataset("cronbach_alpha"), 15 subjects ×
    // 10 items): α = 0.5917188485995826 (REFERENCE §6).
    let data: [[f64; 10]; 15] = [
        [3., 2., 2., 4., 1., 4., 5., 1., 4., 3.],
        [5., 5., 4., 6., 3., 5., 1., 2., 5., 5.],
        [7., 5., 3., 5., 5., 6., 4., 3., 3., 6.],
        [2., 3., 4., 3., 3., 2., 2., 2., 6., 6.],
        [6., 5., 5., 6., 5., 4., 4., 4., 6., 7.],
        [1., 2., 2., 3., 4., 2., 5., 2., 3., 5.],
        [4., 3., 3., 5., 3., 5., 2., 1., 2., 4.],
        [2., 5., 4., 4., 3., 7., 2., 2., 4., 6.],
        [6., 2., 5., 5., 5., 1., 6., 5., 2., 3.],
        [5., 2., 4., 6., 4., 3., 5., 3., 1., 7.],
        [4., 1., 3., 5., 2., 5., 3., 2., 3., 4.],
        [4., 4., 2., 3., 2., 5., 3., 4., 2., 3.],
        [5., 5., 5., 6., 2., 3., 3., 2., 4., 4.],
        [6., 5., 5., 5., 4., 2., 2., 1., 4., 6.],
        [4., 4., 3., 5., 5., 3., 1., 3., 2., 3.],
    ];
    let rows: Vec<&[f64]> = data.iter().map(|r| r.as_slice()).collect();
    let a = score::test_support::alpha_of(&rows).unwrap();
    assert!((a - 0.5917188485995826).abs() < 1e-12, "{a}");
}

#[test]
fn instrument_errors_name_the_instrument_path() {
    let m = MaturityModel::builtin("dimios").unwrap();
    // items[1] maps to a capability earlier in the model than items[0]:
    // the error still names items[1].
    let bad: Instrument = serde_json::from_value(json!({"id": "x", "items": [
        {"id": "a", "capability": "budget"},
        {"id": "b", "capability": "strategic_alignment", "weight": -1}]}))
    .unwrap();
    let e = m.with_instrument(&bad).unwrap_err();
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("invalid_weight", "items[1].weight")
    );
    let bad: Instrument = serde_json::from_value(json!({"id": "x", "items": [
        {"id": "a", "capability": "budget"}, {"id": "a", "capability": "budget"}]}))
    .unwrap();
    assert_eq!(
        m.with_instrument(&bad).unwrap_err().location(),
        "items[1].id"
    );
    let bad: Instrument = serde_json::from_value(json!({"id": "x", "model": "other", "items": [
        {"id": "a", "capability": "budget"}]}))
    .unwrap();
    assert_eq!(m.with_instrument(&bad).unwrap_err().location(), "model");
}
