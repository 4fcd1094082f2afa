//! (b) of `benches/side_by_side_aggregate.py`: kompetens in Rust on the
//! data the script wrote (raw little-endian files in a directory).
//!
//! ```text
//! aggregate_raw DIR PEOPLE COMPETENCES REPEAT [WARMUP [MIN_SECONDS --serve]]
//! ```
//!
//! Reads `DIR/levels.i8`, `DIR/required.i8` (people × competences, row
//! major), `DIR/units.u32`, `DIR/parents.json` and `DIR/weights.json`;
//! times (best of REPEAT) the pass into the state, the roll-up, the
//! columnar publication (`publish_columns`, what the Python binding uses)
//! with primary suppression (`min_group` 5; its audit included) and,
//! separately, the same as `Row`s (`publish`) and the columnar
//! publication with secondary suppression and its audit; writes the unit
//! table (2 scopes × units × competences × [people, missing, meeting, coverage, mean shortfall,
//! weighted need], `NaN` = withheld or undefined) to `DIR/table.f64` and
//! prints the times as one JSON line (with the bare sum of the level
//! matrix and an external audit of the secondary table's rows,
//! `audit_rows`).
//!
//! With `--serve` it measures in rounds, for the script's interleaved
//! rounds: it prints `ready` after the warm-up calls, then one JSON line
//! of times per line read from its standard input (each timed quantity
//! best of REPEAT calls in that round; the bare sum and the whole call
//! also go on until MIN_SECONDS have passed), and writes the table when
//! its input ends. Peak memory is taken in the first round.
//!
//! For profiling (`perf record`): with `AGG_ONLY_PASS=N` it runs only the
//! pass N times, with `AGG_ONLY_FINISH=N` only the roll-up, with `AGG_ONLY_PUBLISH=N` only the columnar publication
//! (primary) N times, and prints the mean time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Instant;

use kompetens_benches::RawAggregateInput;

use kompetens::aggregate::{
    audit_rows, publish, publish_columns, AggregateState, Batch, Item, PublishOptions, Scope,
    Suppression, Table,
};
use ndarray::{ArrayView1, ArrayView2, ShapeBuilder};

fn status(key: &str) -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(&args[1]);
    let n: usize = args[2].parse().unwrap();
    let n_c: usize = args[3].parse().unwrap();
    let repeat: usize = args[4].parse().unwrap();
    // untimed calls before the timed ones (the script's `--warmup`)
    let warmup: usize = args.get(5).map_or(0, |w| w.parse().unwrap());
    // the bare sum and the whole call repeat until this many seconds
    // have passed, too (the script's `--min-seconds`)
    let min_seconds: f64 = args.get(6).map_or(0.0, |w| w.parse().unwrap());
    let serve = args.get(7).is_some_and(|a| a == "--serve");
    let input = RawAggregateInput::read(&dir);
    let layout = input.layout(n_c);
    let RawAggregateInput {
        levels: lv,
        required: rq,
        units,
        ..
    } = input;
    let n_units = layout.tree.len();
    // AGG_FORTRAN=1: the matrices in column-major order (as a pandas
    // DataFrame's block)
    let fortran = std::env::var_os("AGG_FORTRAN").is_some();
    let transposed = |m: &[i8]| -> Vec<i8> {
        let mut t = vec![0i8; m.len()];
        for p in 0..n {
            for c in 0..n_c {
                t[c * n + p] = m[p * n_c + c];
            }
        }
        t
    };
    let (lv, rq) = if fortran {
        (transposed(&lv), transposed(&rq))
    } else {
        (lv, rq)
    };
    let shape = if fortran {
        (n, n_c).f()
    } else {
        (n, n_c).set_f(false)
    };
    let levels = ArrayView2::from_shape(shape, &lv).unwrap();
    let required = ArrayView2::from_shape(shape, &rq).unwrap();
    let batch = Batch {
        levels,
        units: ArrayView1::from(&units),
        roles: None,
        required: Some(required),
    };
    let primary = PublishOptions {
        min_group: 5,
        suppression: Suppression::Primary,
        ..PublishOptions::default()
    };
    let secondary = PublishOptions {
        suppression: Suppression::Secondary,
        ..primary.clone()
    };
    // Peak memory: the resident high-water mark above the resident size
    // with the input loaded (the mark is reset first where the kernel
    // allows it).
    if let Ok(k) = std::env::var("AGG_ONLY_PASS") {
        let k: usize = k.parse().unwrap();
        let t = Instant::now();
        for _ in 0..k {
            let mut s = AggregateState::new(Arc::clone(&layout));
            s.update(&batch).unwrap();
            std::hint::black_box(&s);
        }
        println!("pass avg {:.4}", t.elapsed().as_secs_f64() / k as f64);
        return;
    }
    if let Ok(k) = std::env::var("AGG_ONLY_FINISH") {
        let k: usize = k.parse().unwrap();
        let mut s = AggregateState::new(Arc::clone(&layout));
        s.update(&batch).unwrap();
        let t = Instant::now();
        for _ in 0..k {
            std::hint::black_box(s.finish());
        }
        println!("finish avg {:.4}", t.elapsed().as_secs_f64() / k as f64);
        return;
    }
    if let Ok(k) = std::env::var("AGG_ONLY_PUBLISH") {
        let k: usize = k.parse().unwrap();
        let mut s = AggregateState::new(Arc::clone(&layout));
        s.update(&batch).unwrap();
        let agg = s.finish();
        let t = Instant::now();
        for _ in 0..k {
            std::hint::black_box(publish_columns(&agg, &primary).unwrap());
        }
        println!("publish avg {:.4}", t.elapsed().as_secs_f64() / k as f64);
        return;
    }
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let base = status("VmRSS:");
    // Best of `repeat` calls (and, with `long`, of as many more as fit in
    // `min_seconds`).
    let best = |f: &mut dyn FnMut(), long: bool| {
        let start = Instant::now();
        let mut best = f64::INFINITY;
        let mut k = 0;
        while k < repeat.max(1) || (long && start.elapsed().as_secs_f64() < min_seconds) {
            let t = Instant::now();
            f();
            best = best.min(t.elapsed().as_secs_f64());
            k += 1;
        }
        best
    };
    // The whole call: new state, pass, roll-up (taking the state, as a
    // one-shot caller does: `into_aggregates`), publication; the state and
    // the roll-up are freed inside the timing, the returned table after it
    // (as the Python contenders keep their result outside the timing). The
    // previous run's table is freed before the next run, so it is not part
    // of that run's peak either.
    let run = || {
        let mut s = AggregateState::new(Arc::clone(&layout));
        s.update(&batch).unwrap();
        // one-shot: the roll-up takes the state's records
        publish_columns(&s.into_aggregates(), &primary).unwrap()
    };
    let mut table = None;
    for _ in 0..warmup {
        drop(table.take());
        table = Some(run());
        let s: i64 = lv.iter().map(|&v| i64::from(v)).sum();
        std::hint::black_box(s);
    }
    let mut peak = None;
    let mut round = |table: &mut Option<_>| {
        let bare = best(
            &mut || {
                let s: i64 = lv.iter().map(|&v| i64::from(v)).sum();
                std::hint::black_box(s);
            },
            true,
        );
        // (as `best`, with the previous table freed outside the timing)
        let start = Instant::now();
        let (mut total, mut k) = (f64::INFINITY, 0);
        while k < repeat.max(1) || start.elapsed().as_secs_f64() < min_seconds {
            drop(table.take());
            let t = Instant::now();
            let out = run();
            total = total.min(t.elapsed().as_secs_f64());
            *table = Some(out);
            k += 1;
        }
        let peak = *peak.get_or_insert_with(|| status("VmHWM:").saturating_sub(base));
        let mut state = AggregateState::new(Arc::clone(&layout));
        let pass = best(
            &mut || {
                let mut s = AggregateState::new(Arc::clone(&layout));
                s.update(&batch).unwrap();
                state = s;
            },
            false,
        );
        let mut agg = None;
        let finish = best(&mut || agg = Some(state.finish()), false);
        let agg = agg.unwrap();
        let publish_primary = best(
            &mut || {
                std::hint::black_box(publish_columns(&agg, &primary).unwrap());
            },
            false,
        );
        let publish_rows = best(
            &mut || {
                std::hint::black_box(publish(&agg, &primary).unwrap());
            },
            false,
        );
        let mut sec = None;
        let publish_secondary = best(
            &mut || sec = Some(publish_columns(&agg, &secondary).unwrap()),
            false,
        );
        let sec = sec.unwrap();
        let sec_rows = sec.columns.rows(&layout);
        let audit = best(
            &mut || {
                std::hint::black_box(audit_rows(&layout.tree, &sec_rows, 5).unwrap());
            },
            false,
        );
        serde_json::json!({
            "method": "kompetens-rust",
            "seconds": total,
            "bare": bare,
            "audit_rows": audit,
            "pass": pass,
            "finish": finish,
            "publish_primary": publish_primary,
            "publish_rows": publish_rows,
            "publish_secondary": publish_secondary,
            "withheld_primary": table.as_ref().map(|t| t.audit.withheld),
            "withheld_secondary": sec.audit.withheld,
            "secondary_clean": sec.audit.clean,
            "peak_over_input": peak,
        })
    };
    if serve {
        println!("ready");
        for line in std::io::stdin().lines() {
            if line.is_err() {
                break;
            }
            println!("{}", round(&mut table));
        }
    } else {
        println!("{}", round(&mut table));
    }
    // The unit table.
    let table = table.unwrap();
    let mut out = vec![f64::NAN; 2 * n_units * n_c * 6];
    let c = &table.columns;
    for i in 0..c.len() {
        let (Table::Unit, Some(u), Some(s), Item::Competence(comp)) =
            (c.table[i], c.unit[i], c.scope[i], c.item[i])
        else {
            continue;
        };
        let (u, comp): (usize, usize) = (
            layout.tree.id(u as usize).parse().unwrap(),
            layout.competences[comp].parse().unwrap(),
        );
        let s = usize::from(s == Scope::Rollup);
        let at = ((s * n_units + u) * n_c + comp) * 6;
        let withheld = c.suppressed[i].is_some();
        let f = |x: u64| if withheld { f64::NAN } else { x as f64 };
        out[at..at + 6].copy_from_slice(&[
            f(c.people[i]),
            f(c.missing[i]),
            f(c.meeting[i]),
            c.coverage[i],
            c.mean_shortfall[i],
            c.weighted_need[i],
        ]);
    }
    let bytes: Vec<u8> = out.iter().flat_map(|x| x.to_le_bytes()).collect();
    std::fs::write(dir.join("table.f64"), bytes).unwrap();
}
