//! Reference outputs of the roll-up and the publication, for checking that
//! a faster implementation gives byte-identical results.
//!
//! ```text
//! publish_ref OUTDIR [AGGDIR]
//! ```
//!
//! Writes one file per configuration into OUTDIR (compare two runs with
//! `diff -r` or `cmp`):
//!
//! - `bench-*`: the data of `benches/side_by_side_aggregate.py` in AGGDIR
//!   (1,000,000 × 21, no roles, no areas): every record of the roll-up,
//!   then for each suppression × `min_group` ∈ {3, 5, 40} the
//!   publication (`publish`, as JSON) and `audit_rows` of its rows;
//! - `roles-*`: a role workload like `benches/benches/aggregate.rs`
//!   (DigComp areas, 8 roles with role requirements, 12,000 people in
//!   331 units, tiny teams), with the role table and the role × unit
//!   table on and off, areas on and off;
//! - `random-*`: 300 random small organisations (4 competences in 2
//!   areas, 1–3 roles) under every option combination.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use kompetens_benches::RawAggregateInput;

use kompetens::aggregate::{
    audit_rows, publish, publish_columns, AggregateState, Aggregates, Batch, Layout, OrgTree,
    PublishOptions, RoleSel, Scope, Suppression,
};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

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

const MODES: [Suppression; 4] = [
    Suppression::None,
    Suppression::Primary,
    Suppression::Secondary,
    Suppression::Rollup,
];

/// Every record of the roll-up, as text.
fn records(agg: &Aggregates) -> String {
    let layout = agg.layout();
    let roles: Vec<RoleSel> = (0..layout.roles.len())
        .map(RoleSel::Role)
        .chain([RoleSel::All])
        .collect();
    let mut out = String::new();
    for u in 0..layout.tree.len() {
        for s in [Scope::Own, Scope::Rollup] {
            for &r in &roles {
                writeln!(
                    out,
                    "{u} {s:?} {r:?} {} {:?}",
                    agg.has(u, s, r),
                    agg.record(u, s, r)
                )
                .unwrap();
            }
        }
    }
    for &r in &roles {
        writeln!(out, "total {r:?} {:?}", agg.total(r)).unwrap();
    }
    out
}

/// The publication (rows form, and the columnar form turned into rows
/// must agree) and the external audit of its rows, as JSON text.
fn publication(agg: &Aggregates, opts: &PublishOptions) -> String {
    let p = publish(agg, opts).unwrap();
    let c = publish_columns(agg, opts).unwrap();
    let c = c.into_publication(agg.layout());
    assert_eq!(p, c, "publish and publish_columns differ");
    let audit = audit_rows(&agg.layout().tree, &p.rows, opts.min_group).unwrap();
    let mut s = serde_json::to_string(&p).unwrap();
    s.push('\n');
    s.push_str(&serde_json::to_string(&audit).unwrap());
    s.push('\n');
    s
}

/// Small outputs are written as they are; large ones as a hash and length
/// (`DefaultHasher::new()` has fixed keys: stable for one toolchain).
fn write(dir: &Path, name: &str, text: &str) {
    use std::hash::{Hash, Hasher};
    if text.len() < 4 << 20 {
        std::fs::write(dir.join(name), text).unwrap();
    } else {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        text.hash(&mut h);
        std::fs::write(
            dir.join(name),
            format!("hash {:016x} length {}\n", h.finish(), text.len()),
        )
        .unwrap();
    }
    eprintln!("{name}: {} bytes", text.len());
}

fn bench_data(dir: &Path, agg_dir: &Path) {
    let input = RawAggregateInput::read(agg_dir);
    let n = input.units.len();
    let n_c = input.levels.len() / n;
    let layout = input.layout(n_c);
    let RawAggregateInput {
        levels: lv,
        required: rq,
        units,
        ..
    } = input;
    let mut state = AggregateState::new(Arc::clone(&layout));
    state
        .update(&Batch {
            levels: ArrayView2::from_shape((n, n_c), &lv).unwrap(),
            units: ArrayView1::from(&units),
            roles: None,
            required: Some(ArrayView2::from_shape((n, n_c), &rq).unwrap()),
        })
        .unwrap();
    let agg = state.finish();
    write(dir, "bench-records.txt", &records(&agg));
    for mode in MODES {
        for k in [3, 5, 40] {
            let opts = PublishOptions {
                min_group: k,
                suppression: mode,
                ..PublishOptions::default()
            };
            write(
                dir,
                &format!("bench-{mode:?}-{k}.json"),
                &publication(&agg, &opts),
            );
        }
    }
}

fn role_data(dir: &Path) {
    const PEOPLE: usize = 12_000;
    const ROLES: usize = 8;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut parents: Vec<i64> = vec![-1];
    parents.extend([0; 5]);
    for d in 0..25 {
        parents.push(1 + (d / 5) as i64);
    }
    for t in 0..300 {
        parents.push(6 + (t % 25) as i64);
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
    let layout = Arc::new(
        Layout::from_framework(tree, &fw)
            .unwrap()
            .with_roles((0..ROLES).map(|r| format!("role-{r}")).collect())
            .unwrap()
            .with_role_requirements(required, weight)
            .unwrap(),
    );
    let teams: Vec<u32> = (31..n_units as u32).collect();
    let mut units = Array1::<u32>::zeros(PEOPLE);
    let mut roles = Array1::<u32>::zeros(PEOPLE);
    let mut levels = Array2::<i8>::zeros((PEOPLE, n_c));
    let mut p = 0;
    for (i, &t) in teams.iter().enumerate() {
        let size = if i % 50 == 0 {
            1 + rng.below(4) as usize
        } else {
            20 + rng.below(20) as usize
        };
        for _ in 0..size {
            if p < PEOPLE {
                units[p] = t;
                p += 1;
            }
        }
    }
    while p < PEOPLE {
        units[p] = 1 + rng.below(30) as u32;
        p += 1;
    }
    for p in 0..PEOPLE {
        roles[p] = rng.below(ROLES as u64) as u32;
        for c in 0..n_c {
            let x = rng.below(100);
            levels[(p, c)] = if x < 5 { -1 } else { (x % 9) as i8 };
        }
    }
    let mut state = AggregateState::new(Arc::clone(&layout));
    state
        .update(&Batch {
            levels: levels.view(),
            units: units.view(),
            roles: Some(roles.view()),
            required: None,
        })
        .unwrap();
    let agg = state.finish();
    write(dir, "roles-records.txt", &records(&agg));
    for mode in MODES {
        for k in [3, 5, 40] {
            for (role_table, role_unit, areas) in [
                (false, false, false),
                (true, false, true),
                (true, false, false),
                (true, true, false),
                (false, true, true),
            ] {
                // The role × unit table with secondary suppression over
                // many units is slow (the cross-classified heuristic):
                // only with min_group 5.
                // With areas too, only the greedy rule runs: very slow.
                if role_unit
                    && matches!(mode, Suppression::Secondary | Suppression::Rollup)
                    && (k != 5 || areas)
                {
                    continue;
                }
                let opts = PublishOptions {
                    min_group: k,
                    suppression: mode,
                    role_table: Some(role_table),
                    role_unit_table: role_unit,
                    areas: Some(areas),
                    ..PublishOptions::default()
                };
                let t = std::time::Instant::now();
                let text = publication(&agg, &opts);
                eprintln!("  {:.2} s", t.elapsed().as_secs_f64());
                write(
                    dir,
                    &format!("roles-{mode:?}-{k}-rt{role_table}-ru{role_unit}-a{areas}.json"),
                    &text,
                );
            }
        }
    }
}

fn random_orgs(dir: &Path) {
    const N_C: usize = 4;
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut outs: Vec<String> = vec![String::new(); 64];
    let mut names: Vec<String> = vec![String::new(); 64];
    let mut records_text = String::new();
    for case in 0..300 {
        let n_units = 1 + rng.below(10) as usize;
        let n_roles = 1 + rng.below(3) as usize;
        let n_people = rng.below(60) as usize;
        let parents: Vec<i64> = (0..n_units)
            .map(|i| {
                if i == 0 {
                    -1
                } else {
                    rng.below(i as u64) as i64
                }
            })
            .collect();
        let mut lv = Vec::new();
        let mut rq = Vec::new();
        let mut units = Vec::new();
        let mut roles = Vec::new();
        for _ in 0..n_people {
            units.push(rng.below(n_units as u64) as u32);
            roles.push(rng.below(n_roles as u64) as u32);
            for _ in 0..N_C {
                lv.push(rng.below(10) as i8 - 1);
                rq.push(if rng.below(3) == 0 {
                    0
                } else {
                    1 + rng.below(8) as i8
                });
            }
        }
        for with_roles in [false, true] {
            let tree = OrgTree::from_parents(&parents, None).unwrap();
            let comps: Vec<String> = (0..N_C).map(|c| format!("c{c}")).collect();
            let mut l = Layout::new(tree, comps, 0, 8)
                .unwrap()
                .with_areas(vec!["A".into(), "B".into()], vec![0, 0, 1, 1])
                .unwrap()
                .with_competence_weights(&[3.0, 1.0, 2.5, 1.0])
                .unwrap();
            if with_roles {
                l = l
                    .with_roles((0..n_roles).map(|r| format!("r{r}")).collect())
                    .unwrap();
            }
            let layout = Arc::new(l);
            let mut s = AggregateState::new(Arc::clone(&layout));
            s.update(&Batch {
                levels: ArrayView2::from_shape((n_people, N_C), &lv).unwrap(),
                units: ArrayView1::from(&units),
                roles: with_roles.then(|| ArrayView1::from(&roles)),
                required: Some(ArrayView2::from_shape((n_people, N_C), &rq).unwrap()),
            })
            .unwrap();
            let agg = s.finish();
            writeln!(records_text, "case {case} roles {with_roles}").unwrap();
            records_text.push_str(&records(&agg));
            let mut slot = 0;
            for mode in MODES {
                for k in [2, 3, 5] {
                    for (role_table, role_unit, areas) in [
                        (false, false, false),
                        (false, false, true),
                        (true, false, false),
                        (true, true, false),
                        (true, true, true),
                    ] {
                        if (role_table || role_unit) && !with_roles {
                            continue;
                        }
                        let opts = PublishOptions {
                            min_group: k,
                            suppression: mode,
                            role_table: Some(role_table),
                            role_unit_table: role_unit,
                            areas: Some(areas),
                            top: 3,
                        };
                        let text = publication(&agg, &opts);
                        let i = slot % outs.len();
                        names[i] = format!("random-{slot:02}.json");
                        outs[i].push_str(&text);
                        slot += 1;
                    }
                }
            }
        }
    }
    write(dir, "random-records.txt", &records_text);
    for (n, o) in names.iter().zip(&outs) {
        if !n.is_empty() {
            write(dir, n, o);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = Path::new(&args[1]);
    std::fs::create_dir_all(dir).unwrap();
    random_orgs(dir);
    role_data(dir);
    if let Some(agg_dir) = args.get(2) {
        bench_data(dir, Path::new(agg_dir));
    }
}
