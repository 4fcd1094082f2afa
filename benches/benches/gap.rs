//! Benchmark: one person's gap report against a DigComp 2.2 profile.
#![allow(missing_docs, clippy::unwrap_used)]
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::json;

fn bench_gap(c: &mut Criterion) {
    let input = json!({
        "framework": "digcomp-2.2",
        "profile": {"id": "r", "requirements": [
            {"competence": "1.1", "level": 4, "weight": "critical"},
            {"competence": "2.4", "level": 3}, {"competence": "4.2", "level": 5}]},
        "ratings": {"1.1": 2, "2.4": 3}
    });
    let fw = kompetens::Framework::builtin("digcomp-2.2").unwrap();
    let profile: kompetens::RoleProfile = serde_json::from_value(input["profile"].clone()).unwrap();
    let profile = kompetens::EffectiveProfile::standalone(profile, &fw).unwrap();
    let ratings: kompetens::Ratings = serde_json::from_value(input["ratings"].clone()).unwrap();
    c.bench_function("gap_report typed", |b| {
        b.iter(|| kompetens::gap_report(&fw, &profile, &ratings, None).unwrap())
    });
    c.bench_function("gap_report via api::call", |b| {
        b.iter(|| kompetens::api::call("gap_report", input.clone()).unwrap())
    });
}

criterion_group!(benches, bench_gap);
criterion_main!(benches);
