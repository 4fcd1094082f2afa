//! The JSON shapes read by hand-written readers rather than serde's
//! `untagged` / internally tagged derives (policy objects, weights, inline
//! or named response scales, level strategies): every accepted shape gives
//! the documented value, every bad one a typed error at the right place.
//! Expected values are the documented meanings (README "Concepts", the
//! module docs), worked out by hand.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use kompetens::api::call;
use kompetens::profile::{NamedWeight, Weight};
use kompetens::survey::{LevelStrategy, ScaleRef, StrategySpec};
use serde_json::{json, Value};

fn err(op: &str, input: Value) -> (String, String) {
    let e = call(op, input).expect_err("must fail");
    (e.code().to_string(), e.location())
}

#[test]
fn policy_objects_and_their_errors() {
    let parse = |p: Value| call("policy.parse", json!({ "policy": p }));
    assert_eq!(
        parse(json!({"kind": "prefer", "order": ["manager", "self"]})).unwrap(),
        json!({"kind": "prefer", "order": ["manager", "self"]})
    );
    assert_eq!(
        parse(json!({"kind": "max"})).unwrap(),
        json!({"kind": "max"})
    );
    assert_eq!(
        parse(json!({"kind": "min"})).unwrap(),
        json!({"kind": "min"})
    );
    assert_eq!(
        parse(json!({"kind": "only", "source": "test"})).unwrap(),
        json!({"kind": "only", "source": "test"})
    );
    let e = |p: Value| err("policy.parse", json!({ "policy": p }));
    // the check of the order keeps its absolute location
    assert_eq!(
        e(json!({"kind": "prefer", "order": ["self", "test", "self"]})),
        ("invalid_policy".into(), "policy.order[2]".into())
    );
    assert_eq!(
        e(json!({"kind": "prefer", "order": []})),
        ("invalid_policy".into(), "policy.order".into())
    );
    assert_eq!(
        e(json!({"kind": "prefer", "order": ["self", "boss"]})),
        ("parse_error".into(), "policy.order[1]".into())
    );
    assert_eq!(
        e(json!({"kind": "sometimes"})),
        ("parse_error".into(), "policy.kind".into())
    );
    assert_eq!(e(json!({"order": ["self"]})).0, "parse_error");
    // a field the kind does not take, or one it needs
    assert_eq!(
        e(json!({"kind": "max", "order": ["self"]})),
        ("parse_error".into(), "policy.order".into())
    );
    assert_eq!(
        e(json!({"kind": "prefer", "source": "self", "order": ["self"]})),
        ("parse_error".into(), "policy.source".into())
    );
    assert_eq!(
        e(json!({"kind": "only"})),
        ("parse_error".into(), "policy".into())
    );
    assert_eq!(
        e(json!({"kind": "max", "extra": 1})),
        ("parse_error".into(), "policy.extra".into())
    );
}

#[test]
fn weights_by_json_type() {
    let w = |v: Value| serde_json::from_value::<Weight>(v);
    assert_eq!(
        w(json!("critical")).unwrap(),
        Weight::Named(NamedWeight::Critical)
    );
    assert_eq!(
        w(json!("useful")).unwrap(),
        Weight::Named(NamedWeight::Useful)
    );
    assert_eq!(w(json!(2)).unwrap(), Weight::Value(2.0));
    assert_eq!(w(json!(0.5)).unwrap(), Weight::Value(0.5));
    // a negative number is read, then refused by `Weight::value`
    assert_eq!(w(json!(-1)).unwrap(), Weight::Value(-1.0));
    assert!(w(json!(-1)).unwrap().value("w").is_err());
    assert!(w(json!("vital"))
        .unwrap_err()
        .to_string()
        .contains("unknown variant"));
    assert!(w(json!(true)).is_err());
    assert!(w(json!(null)).is_err());
    // in a profile, the error names the requirement
    let profiles = json!([{"role": "r", "requirements": [
        {"competence": "1.1", "level": 3, "weight": "important"},
        {"competence": "1.2", "level": 3, "weight": "vital"}
    ]}]);
    let (code, location) = err(
        "profiles.resolve",
        json!({"framework": "digcomp-2.2", "profiles": profiles, "role": "r"}),
    );
    assert_eq!(code, "parse_error");
    assert!(location.ends_with("requirements[1].weight"), "{location}");
}

#[test]
fn scales_by_reference_or_inline() {
    let s = |v: Value| serde_json::from_value::<ScaleRef>(v);
    assert_eq!(
        s(json!("likert5")).unwrap(),
        ScaleRef::Named("likert5".into())
    );
    match s(json!({"min": 1, "max": 5})).unwrap() {
        ScaleRef::Inline(scale) => assert_eq!((scale.min, scale.max), (1.0, 5.0)),
        other => panic!("{other:?}"),
    }
    assert!(s(json!(5)).is_err());
    assert!(s(json!({"min": 1, "max": 5, "steps": 5})).is_err());
    // an error inside an inline scale is located inside it
    let instrument = json!({
        "id": "t",
        "items": [
            {"id": "q1", "target": "1.1", "scale": {"min": 1, "max": 5}},
            {"id": "q2", "target": "1.1", "scale": {"min": 1, "max": "five"}}
        ]
    });
    let (code, location) = err("survey.instrument", json!({ "instrument": instrument }));
    assert_eq!(code, "parse_error");
    assert_eq!(location, "instrument.items[1].scale.max");
}

#[test]
fn level_strategies_by_name_or_object() {
    let spec = |v: Value| serde_json::from_value::<StrategySpec>(v);
    assert_eq!(
        spec(json!("floor8")).unwrap(),
        StrategySpec::Name("floor8".into())
    );
    assert_eq!(
        spec(json!({"kind": "digcompsat"})).unwrap(),
        StrategySpec::Object(LevelStrategy::DigCompSat)
    );
    assert_eq!(
        spec(json!({"kind": "floor8"})).unwrap(),
        StrategySpec::Object(LevelStrategy::Floor8)
    );
    match spec(json!({"kind": "thresholds", "bands": [{"min": 0, "level": 1}]})).unwrap() {
        StrategySpec::Object(LevelStrategy::Thresholds { bands }) => {
            assert_eq!((bands.len(), bands[0].level), (1, 1))
        }
        other => panic!("{other:?}"),
    }
    assert!(spec(json!({"kind": "thresholds"})).is_err());
    assert!(spec(json!({"kind": "floor8", "bands": []})).is_err());
    assert!(spec(json!({"kind": "floor9"})).is_err());
    assert!(spec(json!({"kind": "floor8", "x": 1})).is_err());
    assert!(spec(json!(8)).is_err());

    // through the op: custom bands give the documented levels
    // (0.25 → band min 0 → 1; 0.5 → band min 0.5 → 2; 0.95 → 0.9 → 3)
    let out = call(
        "survey.levels",
        json!({"scores": [0.25, 0.5, 0.95, null], "strategy": {"kind": "thresholds", "bands": [
            {"min": 0, "level": 1}, {"min": 0.5, "level": 2}, {"min": 0.9, "level": 3, "label": "top"}
        ]}}),
    )
    .unwrap();
    let levels: Vec<Value> = out
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["level"].clone())
        .collect();
    assert_eq!(levels, vec![json!(1), json!(2), json!(3), Value::Null]);
    assert_eq!(out[2]["label"], json!("top"));
    // DigCompSAT by name and as an object (module docs of survey::levels:
    // Low → 0, Foundation → 1, Intermediate → 3, Advanced → 5; bands from
    // 0.30, 0.48, 0.81)
    for strategy in [json!("digcompsat"), json!({"kind": "digcompsat"})] {
        let out = call(
            "survey.levels",
            json!({"scores": [0.29, 0.30, 0.48, 0.81], "strategy": strategy}),
        )
        .unwrap();
        let levels: Vec<Value> = out
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["level"].clone())
            .collect();
        assert_eq!(levels, vec![json!(0), json!(1), json!(3), json!(5)]);
    }
    let (code, location) = err(
        "survey.levels",
        json!({"scores": [0.5], "strategy": {"kind": "thresholds", "bands": [{"min": "low", "level": 1}]}}),
    );
    assert_eq!(code, "parse_error");
    assert_eq!(location, "strategy.bands[0].min");
}
