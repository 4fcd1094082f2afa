//! Benchmark: gap aggregation over 1,000,000 people × 21 competences in
//! ~2,000 units of a 4-level tree (1 + 10 + 100 + 1,900), 8 roles,
//! deterministic data; one pass into the state, roll-up, and publication
//! with secondary suppression. A bare pass that sums the level matrix is
//! the memory-bound floor.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use kompetens::aggregate::{
    publish, publish_columns, AggregateState, Batch, Layout, OrgTree, PublishOptions,
};
use ndarray::{Array1, Array2};

const PEOPLE: usize = 1_000_000;
const ROLES: usize = 8;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

struct Data {
    layout: Arc<Layout>,
    levels: Array2<i8>,
    units: Array1<u32>,
    roles: Array1<u32>,
}

fn data() -> Data {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    // 4-level tree: root, 10 departments, 100 sections, 1,900 teams.
    let mut parents: Vec<i64> = vec![-1];
    parents.extend([0; 10]);
    for d in 0..100 {
        parents.push(1 + (d / 10) as i64);
    }
    for t in 0..1900 {
        parents.push(11 + (t % 100) as i64);
    }
    let n_units = parents.len();
    let tree = OrgTree::from_parents(&parents, None).unwrap();
    let fw = kompetens::Framework::builtin("digcomp-2.2").unwrap();
    let n_c = 21;
    let mut required = Array2::<i8>::zeros((ROLES, n_c));
    let mut weight = Array2::<f64>::zeros((ROLES, n_c));
    for r in 0..ROLES {
        for c in 0..n_c {
            if rng.below(3) > 0 {
                required[(r, c)] = 1 + rng.below(6) as i8;
                weight[(r, c)] = [1.0, 2.0, 3.0][rng.below(3) as usize];
            }
        }
    }
    let layout = Layout::from_framework(tree, &fw)
        .unwrap()
        .with_roles((0..ROLES).map(|r| format!("role-{r}")).collect())
        .unwrap()
        .with_role_requirements(required, weight)
        .unwrap();
    // Team sizes: most teams large, every 50th team tiny (1–4 people),
    // a few people in sections and departments.
    let teams: Vec<u32> = (111..n_units as u32).collect();
    let mut units = Array1::<u32>::zeros(PEOPLE);
    let mut roles = Array1::<u32>::zeros(PEOPLE);
    let mut levels = Array2::<i8>::zeros((PEOPLE, n_c));
    let mut p = 0;
    for (i, &t) in teams.iter().enumerate() {
        let size = if i % 50 == 0 {
            1 + rng.below(4) as usize
        } else {
            400 + rng.below(250) as usize
        };
        for _ in 0..size {
            if p < PEOPLE {
                units[p] = t;
                p += 1;
            }
        }
    }
    while p < PEOPLE {
        units[p] = 1 + rng.below(110) as u32;
        p += 1;
    }
    for p in 0..PEOPLE {
        roles[p] = rng.below(ROLES as u64) as u32;
        for c in 0..n_c {
            let x = rng.below(100);
            levels[(p, c)] = if x < 5 { -1 } else { (x % 9) as i8 };
        }
    }
    Data {
        layout: Arc::new(layout),
        levels,
        units,
        roles,
    }
}

fn bench(c: &mut Criterion) {
    let d = data();
    let batch = Batch {
        levels: d.levels.view(),
        units: d.units.view(),
        roles: Some(d.roles.view()),
        required: None,
    };
    let mut g = c.benchmark_group("aggregate 1M x 21, 2011 units");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .warm_up_time(Duration::from_secs(2));
    g.bench_function("bare pass: sum of the level matrix", |b| {
        b.iter(|| {
            let s: i64 = d
                .levels
                .as_slice()
                .unwrap()
                .iter()
                .map(|&v| i64::from(v))
                .sum();
            black_box(s)
        })
    });
    g.bench_function("update (one pass into the state)", |b| {
        b.iter(|| {
            let mut s = AggregateState::new(Arc::clone(&d.layout));
            s.update(&batch).unwrap();
            black_box(s)
        })
    });
    let mut state = AggregateState::new(Arc::clone(&d.layout));
    state.update(&batch).unwrap();
    g.bench_function("finish (roll-up)", |b| b.iter(|| black_box(state.finish())));
    let agg = state.finish();
    let opts = PublishOptions::default();
    g.bench_function("publish (secondary suppression + audit), rows", |b| {
        b.iter(|| black_box(publish(&agg, &opts).unwrap()))
    });
    g.bench_function("publish_columns (secondary suppression + audit)", |b| {
        b.iter(|| black_box(publish_columns(&agg, &opts).unwrap()))
    });
    g.bench_function(
        "full: update + roll-up + secondary suppression (columns)",
        |b| {
            b.iter(|| {
                let mut s = AggregateState::new(Arc::clone(&d.layout));
                s.update(&batch).unwrap();
                black_box(publish_columns(&s.finish(), &opts).unwrap())
            })
        },
    );
    g.bench_function("state to bytes and back", |b| {
        b.iter(|| black_box(AggregateState::from_bytes(&state.to_bytes().unwrap()).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
