"""Side by side: gap aggregation of 1,000,000 people × 21 competences over
~2,000 units in a 4-level tree, timed in one run on the same data.

  (a) bare numpy: sum of the level matrix (the memory-bound floor)
  (c) kompetens through Python: "kompetens-pass" is the aggregation pass
      alone (GapAggregator.update: the mergeable state), "kompetens" the
      whole aggregate_gaps (pass, roll-up, publication of the long table
      and its audit) with suppression "none", "kompetens-secondary" the
      same with min_group 5 and secondary suppression
  (d) an idiomatic pandas implementation (groupby per competence, roll-up)
  (e) polars (one group_by over all competences, roll-up)

(c)–(e) must agree on people, missing, meeting, coverage, mean shortfall
and weighted need for every unit × scope × competence. (b), kompetens in
Rust, is the criterion bench `benches/benches/aggregate.rs`.

Each method runs in its own child process (same seeded data), which
reports its wall time and its peak resident memory above the resident
memory it had with the input loaded (Linux ``ru_maxrss``).

    python benches/side_by_side_aggregate.py [--people N] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

N_COMP = 21
N_UNITS = 2000


def make_data(n: int, seed: int = 7):
    rng = np.random.default_rng(seed)
    parents = [-1] + [0] * 10
    parents += [int(rng.integers(1, 11)) for _ in range(100)]
    parents += [int(rng.integers(11, 111)) for _ in range(N_UNITS - len(parents))]
    parents = np.array(parents)
    levels = rng.integers(0, 9, size=(n, N_COMP), dtype=np.int8)
    levels[rng.random((n, N_COMP), dtype=np.float32) < 0.1] = -1
    required = rng.integers(1, 9, size=(n, N_COMP), dtype=np.int8)
    required[rng.random((n, N_COMP), dtype=np.float32) < 0.25] = 0
    units = rng.integers(0, N_UNITS, size=n).astype(np.uint32)
    weights = rng.choice([0.5, 1.0, 2.0, 3.0], size=N_COMP)
    return parents, levels, required, units, weights


def rollup(parents: np.ndarray, own: np.ndarray) -> np.ndarray:
    """Roll own sums (units × …) up the tree, deepest units first."""
    depth = np.zeros(len(parents), dtype=int)
    for u in range(len(parents)):  # parents come before children here
        depth[u] = 0 if parents[u] < 0 else depth[parents[u]] + 1
    out = own.copy()
    for d in range(depth.max(), 0, -1):
        idx = np.flatnonzero(depth == d)
        np.add.at(out, parents[idx], out[idx])
    return out


def finish_table(parents, own):
    """(scope, units × competences × [people, missing, meeting, short, need])."""
    return {"own": own, "rollup": rollup(parents, own)}


def run_pandas(parents, levels, required, units, weights):
    import pandas as pd

    own = np.zeros((len(parents), N_COMP, 5))
    df = pd.DataFrame({"unit": units})
    for c in range(N_COMP):
        lv = levels[:, c].astype(np.int16)
        rq = required[:, c].astype(np.int16)
        d = df.assign(lv=lv, rq=rq)
        d = d[d["rq"] > 0]
        rated = d["lv"] >= 0
        d = d.assign(
            people=rated.astype(np.int64),
            missing=(~rated).astype(np.int64),
            meeting=(rated & (d["lv"] >= d["rq"])).astype(np.int64),
            short=np.where(rated, (d["rq"] - d["lv"]).clip(lower=0), 0),
        )
        g = d.groupby("unit")[["people", "missing", "meeting", "short"]].sum()
        own[g.index.to_numpy(), c, :4] = g.to_numpy()
        own[:, c, 4] = own[:, c, 3] * weights[c]
    return finish_table(parents, own)


def run_polars(parents, levels, required, units, weights):
    import polars as pl

    cols = {"unit": units}
    for c in range(N_COMP):
        cols[f"l{c}"] = levels[:, c]
        cols[f"r{c}"] = required[:, c]
    df = pl.DataFrame(cols)
    aggs = []
    for c in range(N_COMP):
        lv, rq = pl.col(f"l{c}").cast(pl.Int16), pl.col(f"r{c}").cast(pl.Int16)
        req, rated = rq > 0, (rq > 0) & (lv >= 0)
        aggs += [
            rated.sum().alias(f"p{c}"),
            (req & (lv < 0)).sum().alias(f"m{c}"),
            (rated & (lv >= rq)).sum().alias(f"t{c}"),
            pl.when(rated).then((rq - lv).clip(lower_bound=0)).otherwise(0).sum().alias(f"s{c}"),
        ]
    g = df.group_by("unit").agg(aggs)
    idx = g["unit"].to_numpy().astype(np.int64)
    own = np.zeros((len(parents), N_COMP, 5))
    for c in range(N_COMP):
        for k, name in enumerate("pmts"):
            own[idx, c, k] = g[f"{name}{c}"].to_numpy()
        own[:, c, 4] = own[:, c, 3] * weights[c]
    return finish_table(parents, own)


def run_kompetens(parents, levels, required, units, weights, suppression="none"):
    import kompetens

    pub = kompetens.aggregate_gaps(
        levels, required, units, parents, weights=list(weights), min_group=1 if suppression == "none" else 5,
        suppression=suppression,
    )
    return pub


def kompetens_table(parents, pub):
    cols = pub.columns
    n = len(parents)
    out = {s: np.zeros((n, N_COMP, 6)) for s in ("own", "rollup")}
    for t, u, s, c, p, mi, me, cov, ms, wn in zip(
        cols["table"], cols["unit"], cols["scope"], cols["competence"], cols["people"], cols["missing"],
        cols["meeting"], cols["coverage"], cols["mean_shortfall"], cols["weighted_need"],
    ):
        if t != "unit" or c is None:
            continue
        out[s][int(u), int(c)] = [p or 0, mi or 0, me or 0, (ms or 0) * (p or 0), wn or 0, cov if cov is not None else np.nan]
    return out


def compare(parents, a, b_pub) -> None:
    kt = kompetens_table(parents, b_pub)
    for s in ("own", "rollup"):
        x, y = a[s], kt[s]
        np.testing.assert_array_equal(x[..., :3], y[..., :3])  # people, missing, meeting
        np.testing.assert_allclose(x[..., 3], y[..., 3], rtol=1e-9, atol=1e-6)  # Σ shortfall
        np.testing.assert_allclose(x[..., 4], y[..., 4], rtol=1e-9, atol=1e-6)  # weighted need
        has = x[..., 0] > 0
        np.testing.assert_allclose((x[..., 2] / np.where(has, x[..., 0], 1))[has], y[..., 5][has], rtol=1e-12)


def rss_now() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def reset_peak() -> bool:
    """Reset the kernel's high-water mark of this process (VmHWM)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def peak_rss() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def child(method: str, n: int, repeat: int) -> None:
    data = make_data(n)
    parents, levels, required, units, weights = data
    import gc

    import kompetens  # noqa: F401  (imports outside the measurement)
    import pandas  # noqa: F401
    import polars  # noqa: F401

    gc.collect()
    reset_peak()
    base = rss_now()
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        if method == "bare":
            levels.sum(axis=0, dtype=np.int64)
        elif method == "kompetens-pass":
            import kompetens

            kompetens.GapAggregator(parents, N_COMP, weights=list(weights)).update(levels, required, units)
        elif method == "kompetens":
            run_kompetens(*data)
        elif method == "kompetens-secondary":
            pub = run_kompetens(*data, suppression="secondary")
        elif method == "pandas":
            run_pandas(*data)
        elif method == "polars":
            run_polars(*data)
        best = min(best, time.perf_counter() - t)
    peak = peak_rss()
    extra = {}
    if method == "kompetens-secondary":
        extra = {"withheld": sum(1 for s in pub.columns["suppressed"] if s), "clean": pub.published_audit.clean}
    print(json.dumps({"method": method, "seconds": best, "peak_over_input": max(0, peak - base), **extra}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child")
    args = ap.parse_args()
    if args.child:
        child(args.child, args.people, args.repeat)
        return
    n = args.people
    parents, levels, required, units, weights = data = make_data(n)
    input_bytes = levels.nbytes + required.nbytes + units.nbytes
    print(f"{n:,} people × {N_COMP} competences, {N_UNITS} units (4 levels); input {input_bytes / 1e6:.1f} MB")
    # agreement of (c), (d), (e) on the same data
    pub = run_kompetens(*data)
    compare(parents, run_pandas(*data), pub)
    compare(parents, run_polars(*data), pub)
    print("agreement: kompetens = pandas = polars on people, missing, meeting, coverage, shortfall, weighted need")
    del data, levels, required, units
    results = {}
    for m in ("bare", "kompetens-pass", "kompetens", "kompetens-secondary", "pandas", "polars"):
        out = subprocess.run(
            [sys.executable, __file__, "--child", m, "--people", str(n), "--repeat", str(args.repeat)],
            check=True, capture_output=True, text=True,
        ).stdout
        results[m] = json.loads(out.strip().splitlines()[-1])
    bare = results["bare"]["seconds"]
    k = results["kompetens"]["seconds"]
    print(f"peak memory is the process's resident high-water mark above its resident size with the input loaded")
    print(f"{'method':<22}{'seconds':>10}{'× bare':>10}{'× kompetens':>14}{'peak MB over input':>20}")
    for m, r in results.items():
        print(f"{m:<22}{r['seconds']:>10.3f}{r['seconds'] / bare:>10.1f}{r['seconds'] / k:>14.2f}"
              f"{r['peak_over_input'] / 1e6:>20.1f}")
    sec = results["kompetens-secondary"]
    print(f"secondary suppression: {sec['withheld']} cells withheld, audit clean = {sec['clean']}")
    kp = results["kompetens-pass"]["seconds"]
    print(f"pandas / kompetens = {results['pandas']['seconds'] / k:.1f}×, polars / kompetens = "
          f"{results['polars']['seconds'] / k:.1f}×, kompetens / bare = {k / bare:.1f}×")
    print(f"aggregation pass alone: {kp / bare:.1f}× bare, pandas / pass = {results['pandas']['seconds'] / kp:.1f}×, "
          f"polars / pass = {results['polars']['seconds'] / kp:.1f}×")


if __name__ == "__main__":
    main()
