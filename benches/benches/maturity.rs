//! Benchmark: scoring DiMiOS measurements (example instrument, 26 items).
#![allow(missing_docs, clippy::unwrap_used)]
use criterion::{criterion_group, criterion_main, Criterion};
use kompetens::maturity::{
    score, score_dma, score_units, Answer, DmaSettings, MaturityModel, MaturitySettings,
};
use ndarray::Array2;
use serde_json::json;

fn answers(n: usize, m: usize) -> Array2<f64> {
    // deterministic pseudo-random answers 1..=6 with ~5 % missing
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    Array2::from_shape_fn((n, m), |_| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        if state % 20 == 0 {
            f64::NAN
        } else {
            (state % 6 + 1) as f64
        }
    })
}

fn bench_maturity(c: &mut Criterion) {
    let model = MaturityModel::builtin("dimios").unwrap();
    let items: Vec<String> = model.items().iter().map(|i| i.item.id.clone()).collect();
    let settings = MaturitySettings::default();
    for n in [60usize, 10_000] {
        let v = answers(n, items.len());
        c.bench_function(&format!("dimios score {n} respondents"), |b| {
            b.iter(|| score(&model, &items, v.view(), &settings).unwrap())
        });
    }
    // 600 respondents over a tree of 1 + 4 + 12 units
    let v = answers(600, items.len());
    let mut tree = vec![json!({"id": "org"})];
    for d in 0..4 {
        tree.push(json!({"id": format!("d{d}"), "parent": "org"}));
        for u in 0..3 {
            tree.push(json!({"id": format!("d{d}u{u}"), "parent": format!("d{d}")}));
        }
    }
    let tree: Vec<kompetens::Unit> = serde_json::from_value(json!(tree)).unwrap();
    let units: Vec<Option<String>> = (0..600)
        .map(|r| Some(format!("d{}u{}", r % 4, (r / 4) % 3)))
        .collect();
    c.bench_function("dimios score 600 respondents, 17 units", |b| {
        b.iter(|| score_units(&model, &items, v.view(), &units, Some(&tree), &settings).unwrap())
    });
    let small = answers(60, items.len());
    let rows: Vec<Vec<Option<f64>>> = small
        .rows()
        .into_iter()
        .map(|r| r.iter().map(|x| (!x.is_nan()).then_some(*x)).collect())
        .collect();
    let input = json!({"model": "dimios", "responses": {"items": items, "rows": rows}});
    c.bench_function("maturity.score via api::call, 60 respondents", |b| {
        b.iter(|| kompetens::api::call("maturity.score", input.clone()).unwrap())
    });
    let dma = MaturityModel::builtin("edih-dma-pso").unwrap();
    let answers: Vec<Answer> = serde_json::from_value(json!([
        {"question": "strategy_preparedness", "ticked": ["o1", "o2", "o3"]},
        {"question": "readiness_advanced", "rows": [{"row": "r1", "value": 3}]},
        {"question": "interoperability_principles", "rows": [{"row": "r1", "ticked": ["implemented"]}]},
        {"question": "green_impact", "rows": [{"row": "r1", "value": "partially"}]}
    ]))
    .unwrap();
    c.bench_function("dma score", |b| {
        b.iter(|| score_dma(&dma, &answers, &DmaSettings::default()).unwrap())
    });
}

criterion_group!(benches, bench_maturity);
criterion_main!(benches);
