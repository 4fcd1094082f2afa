//! Where the whole call of `aggregate_raw` spends its time: the phases of
//! one call (new state + pass, roll-up, freeing the state, publication,
//! freeing the roll-up) timed inside the call, with the minor page faults
//! of each.
//!
//! ```text
//! agg_phases DIR PEOPLE COMPETENCES RUNS [WARMUP]
//! ```
//!
//! Prints, per phase, the median time (ms) and the median page faults over
//! RUNS calls (after WARMUP untimed ones), and the median of the whole.
//! With `AGG_AS_RAW` set, only the whole call as `aggregate_raw` times it
//! (median time and page faults); with `AGG_CONSUME` set, the roll-up
//! takes the state (`AggregateState::into_aggregates`, no copy of its
//! records) instead of `finish`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Instant;

use kompetens::aggregate::{publish_columns, AggregateState, Batch, PublishOptions, Suppression};
use kompetens_benches::RawAggregateInput;
use ndarray::{ArrayView1, ArrayView2};

/// Minor page faults of this process so far (`/proc/self/stat`, field 10).
fn minflt() -> u64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The command name may hold spaces: count fields after the last ')'.
    let rest = s.rsplit_once(')').map_or("", |x| x.1);
    rest.split_whitespace()
        .nth(7)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(&args[1]);
    let n: usize = args[2].parse().unwrap();
    let n_c: usize = args[3].parse().unwrap();
    let runs: usize = args[4].parse().unwrap();
    let warmup: usize = args.get(5).map_or(2, |w| w.parse().unwrap());
    let input = RawAggregateInput::read(&dir);
    let layout = input.layout(n_c);
    let RawAggregateInput {
        levels: lv,
        required: rq,
        units,
        ..
    } = input;
    let batch = Batch {
        levels: ArrayView2::from_shape((n, n_c), &lv).unwrap(),
        units: ArrayView1::from(&units),
        roles: None,
        required: Some(ArrayView2::from_shape((n, n_c), &rq).unwrap()),
    };
    let primary = PublishOptions {
        min_group: 5,
        suppression: Suppression::Primary,
        ..PublishOptions::default()
    };
    const NAMES: [&str; 6] = [
        "pass",
        "finish",
        "drop_state",
        "publish",
        "drop_agg",
        "whole",
    ];
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); NAMES.len()];
    let mut faults: Vec<Vec<f64>> = vec![Vec::new(); NAMES.len()];
    let mut table = None;
    let consume = std::env::var_os("AGG_CONSUME").is_some();
    if std::env::var("AGG_AS_RAW").is_ok() {
        // The whole call exactly as `aggregate_raw` times it (the state and
        // the roll-up freed at its end), with its page faults.
        let run = || {
            let mut s = AggregateState::new(Arc::clone(&layout));
            s.update(&batch).unwrap();
            // one-shot: the roll-up takes the state's records
            publish_columns(&s.into_aggregates(), &primary).unwrap()
        };
        let (mut t, mut f) = (Vec::new(), Vec::new());
        for i in 0..warmup + runs {
            drop(table.take());
            let (f0, t0) = (minflt(), Instant::now());
            let out = run();
            let dt = t0.elapsed().as_secs_f64() * 1e3;
            let df = (minflt() - f0) as f64;
            table = Some(out);
            if i >= warmup {
                t.push(dt);
                f.push(df);
            }
        }
        println!(
            "{:>10} {:8.3} ms {:8.0} faults",
            "raw-whole",
            median(t),
            median(f)
        );
        return;
    }
    for run in 0..warmup + runs {
        drop(table.take());
        let mut marks: Vec<(Instant, u64)> = Vec::with_capacity(8);
        let mark = |m: &mut Vec<(Instant, u64)>| {
            let f = minflt();
            m.push((Instant::now(), f));
        };
        mark(&mut marks);
        let mut s = AggregateState::new(Arc::clone(&layout));
        s.update(&batch).unwrap();
        mark(&mut marks);
        // AGG_CONSUME: the roll-up takes the state (`into_aggregates`).
        let (agg, s) = if consume {
            (s.into_aggregates(), None)
        } else {
            let agg = s.finish();
            (agg, Some(s))
        };
        mark(&mut marks);
        drop(s);
        mark(&mut marks);
        let out = publish_columns(&agg, &primary).unwrap();
        mark(&mut marks);
        drop(agg);
        mark(&mut marks);
        table = Some(out);
        if run < warmup {
            continue;
        }
        for i in 0..5 {
            times[i].push((marks[i + 1].0 - marks[i].0).as_secs_f64() * 1e3);
            faults[i].push((marks[i + 1].1 - marks[i].1) as f64);
        }
        times[5].push((marks[5].0 - marks[0].0).as_secs_f64() * 1e3);
        faults[5].push((marks[5].1 - marks[0].1) as f64);
    }
    for (i, name) in NAMES.iter().enumerate() {
        println!(
            "{name:>10} {:8.3} ms {:8.0} faults",
            median(times[i].clone()),
            median(faults[i].clone())
        );
    }
}
