//! Benchmark: scoring 100,000 respondents × 82 items (a DigCompSAT-sized
//! instrument: 82 items on a 4-option scale over the 21 DigComp 2.2
//! competences, 5 % reverse keyed, 2 % missing answers), data generated
//! deterministically.
#![allow(missing_docs, clippy::unwrap_used)]
use criterion::{criterion_group, criterion_main, Criterion};
use kompetens::survey::{Instrument, LevelStrategy, Scorer, ScoringOptions};
use kompetens::Framework;
use ndarray::Array2;

/// xorshift64*: a small deterministic generator (no extra dependency).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn instrument(fw: &Framework) -> Instrument {
    let comps = fw.competence_ids();
    let items: Vec<serde_json::Value> = (0..82)
        .map(|i| {
            serde_json::json!({
                "id": format!("q{i}"),
                "target": comps[i % comps.len()],
                "reverse": i % 20 == 7,
            })
        })
        .collect();
    serde_json::from_value(serde_json::json!({
        "id": "bench", "scale": {"min": 0, "max": 3}, "items": items
    }))
    .unwrap()
}

fn responses(n: usize, k: usize, missing: f64, seed: u64) -> Array2<f64> {
    let mut rng = Rng(seed);
    Array2::from_shape_fn((n, k), |_| {
        if rng.unit() < missing {
            f64::NAN
        } else {
            (rng.next() % 4) as f64
        }
    })
}

fn bench_scoring(c: &mut Criterion) {
    let fw = Framework::builtin("digcomp-2.2").unwrap();
    let inst = instrument(&fw);
    let scorer = Scorer::new(&inst, Some(&fw), &ScoringOptions::default()).unwrap();
    let data = responses(100_000, 82, 0.02, 0x9E37_79B9_7F4A_7C15);
    let mut group = c.benchmark_group("survey");
    group.sample_size(20);
    group.bench_function("score 100k x 82 (competences + areas)", |b| {
        b.iter(|| scorer.score(data.view(), None).unwrap())
    });
    let scores = scorer.score(data.view(), None).unwrap();
    group.bench_function("digcompsat levels 100k x 21", |b| {
        b.iter(|| scores.level_matrix(&LevelStrategy::DigCompSat))
    });
    group.bench_function("compile instrument (82 items)", |b| {
        b.iter(|| Scorer::new(&inst, Some(&fw), &ScoringOptions::default()).unwrap())
    });
    let one = data.row(0).to_owned();
    group.bench_function("score one respondent (82 items)", |b| {
        b.iter(|| scorer.score_one(one.view()).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench_scoring);
criterion_main!(benches);
