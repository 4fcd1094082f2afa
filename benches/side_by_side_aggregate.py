"""Side by side: gap aggregation of 1,000,000 people × 21 competences over
~2,000 units in a 4-level tree, timed in one run on the same data.

Every contender computes the same table from the same numpy arrays
(levels int8 with -1 = missing, required int8 with 0 = no requirement,
unit per person, a parent array, a weight per competence): for every unit,
its own people and rolled up over its descendants, and every competence —
people (rated and required), missing (required, not rated), meeting (rated
at or above the requirement), coverage = meeting / people, mean shortfall
= Σ max(0, required − level) / people, weighted need = weight · Σ
shortfall — with the minimum group size 5 applied (a cell with 1–4 people
is withheld: all six numbers null). The result is compared as a dense
array (2 scopes × units × competences × 6, NaN = withheld or undefined).

  (a) bare: the sum of the level matrix (the memory-bound floor), in Rust
      (`aggregate_raw`) and with numpy
  (b) kompetens in Rust: `aggregate_raw` (benches/src/bin) — update,
      roll-up, `publish_columns` with primary suppression (the columnar
      table the Python binding returns); `publish` (the same table as `Row`
      structs), secondary suppression with its audit, and an external audit
      of the rows, timed separately
  (c) kompetens through Python: `aggregate_gaps(..., suppression="primary")`
      (the long table as numpy arrays); "kompetens-py-secondary" the same
      with secondary suppression and the audit; "kompetens-py-frames" from
      the matrices as pandas DataFrames (built in the timing, as (d) does),
      whose int8 blocks the pass reads in place (column-major)
  (d) pandas: boolean frames over all competences at once, one
      `groupby(unit).sum()`, then roll-up and the ratios with numpy
  (e) polars: one `group_by(unit).agg(...)` over all competences, then the
      same roll-up

kompetens computes more than the others in the same call (level
distribution, interpolated median, mean level, mean shortfall of those
below, area and role rows when the layout has them, top needs).

Each contender runs in its own child process (same seeded data) and
reports its best wall time and its peak memory: the resident high-water
mark (``VmHWM`` after resetting it) above the resident size with the
input loaded, and for Python contenders also the ``tracemalloc`` peak
(Python and numpy allocations only; polars and Rust allocate outside it).

    python benches/side_by_side_aggregate.py [--people N] [--rounds K] [--repeat R]
                                             [--min-seconds S] [--warmup W]

The children start together and wait; then the script measures them in
``--rounds`` interleaved rounds (default 5; the order of the contenders
rotates from round to round). In each round a contender makes at least
``--repeat`` timed calls (default 3) and goes on until ``--min-seconds``
(default 0.5) have passed. A contender's time is its best call over all
rounds; the script also prints the ratios of each round's best times
(contenders measured within seconds of each other), their range and
median. Interleaving gives every contender the same stretches of time on
a host whose speed changes from second to second (a shared VM):
measured one after the other, a contender of 30 ms timed for 0.3 s is
at the mercy of the second it happens to run in, while one of 0.8 s timed
for 8 s gets its best second. Every contender first runs ``--warmup``
untimed calls (default 1: the first call of a process pays for growing
the memory allocator's heap).

(b) needs the release binary: ``cargo build --release -p kompetens-benches
--bin aggregate_raw`` (the script finds it in ``target/release``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

N_COMP = 21
N_UNITS = 2000
MIN_GROUP = 5
ROOT = Path(__file__).resolve().parent.parent


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
    # most units large, every 40th unit tiny (1–4 people): small cells exist
    units = rng.integers(0, N_UNITS, size=n).astype(np.uint32)
    tiny = np.arange(111, N_UNITS, 100)
    units[np.isin(units, tiny)] = 0
    for i, u in enumerate(tiny):
        units[10 * i : 10 * i + 1 + i % 4] = u
    weights = rng.choice([0.5, 1.0, 2.0, 3.0], size=N_COMP)
    return parents, levels, required, units, weights


# --- shared finishing of (d) and (e): roll-up, ratios, minimum group ---------------


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


def finish_table(parents, own, weights) -> np.ndarray:
    """own: units × competences × [people, missing, meeting, Σ shortfall]
    (integers) → 2 × units × competences × [people, missing, meeting,
    coverage, mean shortfall, weighted need] with the minimum group."""
    out = np.empty((2, len(parents), N_COMP, 6))
    for s, counts in enumerate((own, rollup(parents, own))):
        counts = counts.astype(np.float64)
        people = counts[..., 0]
        with np.errstate(invalid="ignore", divide="ignore"):
            out[s, ..., 0:3] = counts[..., 0:3]
            out[s, ..., 3] = counts[..., 2] / people
            out[s, ..., 4] = counts[..., 3] / people
        out[s, ..., 5] = counts[..., 3] * weights
        small = (people > 0) & (people < MIN_GROUP)
        out[s][small] = np.nan
    return out


def run_pandas(parents, levels, required, units, weights):
    import pandas as pd

    lv = pd.DataFrame(levels)
    rq = pd.DataFrame(required)
    req = rq > 0
    rated = req & (lv >= 0)
    parts = {
        "people": rated,
        "missing": req & (lv < 0),
        "meeting": rated & (lv >= rq),
        "short": (rq.astype(np.int16) - lv).clip(lower=0).where(rated, 0),
    }
    wide = pd.concat(parts, axis=1)
    g = wide.groupby(units).sum()
    own = np.zeros((len(parents), N_COMP, 4), dtype=np.int64)
    for k, name in enumerate(parts):
        own[g.index.to_numpy(), :, k] = g[name].to_numpy()
    return finish_table(parents, own, weights)


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
    own = np.zeros((len(parents), N_COMP, 4), dtype=np.int64)
    for k, name in enumerate("pmts"):
        own[idx, :, k] = g.select([f"{name}{c}" for c in range(N_COMP)]).to_numpy()
    return finish_table(parents, own, weights)


def run_kompetens(parents, levels, required, units, weights, suppression="primary"):
    import kompetens

    return kompetens.aggregate_gaps(
        levels, required, units, parents, weights=list(weights), min_group=MIN_GROUP, suppression=suppression
    )


def kompetens_table(parents, pub) -> np.ndarray:
    a = pub.to_numpy()
    sel = (a["table"] == "unit") & np.array([c is not None for c in a["competence"]])
    u = a["unit"][sel].astype(np.int64)
    c = a["competence"][sel].astype(np.int64)
    s = (a["scope"][sel] == "rollup").astype(np.int64)
    vals = np.stack(
        [a["people"][sel], a["missing"][sel], a["meeting"][sel]], axis=1
    ).astype(np.float64)
    vals[a["withheld"][sel]] = np.nan
    out = np.full((2, len(parents), N_COMP, 6), np.nan)
    out[s, u, c, 0:3] = vals
    out[s, u, c, 3] = a["coverage"][sel]
    out[s, u, c, 4] = a["mean_shortfall"][sel]
    out[s, u, c, 5] = a["weighted_need"][sel]
    return out


def same(name: str, x: np.ndarray, y: np.ndarray) -> None:
    """Equal table: counts exactly, ratios to 1e-12, the same NaN cells."""
    np.testing.assert_array_equal(np.isnan(x), np.isnan(y), err_msg=f"{name}: withheld / undefined cells")
    np.testing.assert_array_equal(x[..., 0:3], y[..., 0:3], err_msg=f"{name}: counts")
    np.testing.assert_allclose(x[..., 3:], y[..., 3:], rtol=1e-12, atol=0, err_msg=f"{name}: ratios")


# --- measurement -----------------------------------------------------------------


def rss_now() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def reset_peak() -> None:
    """Reset the kernel's high-water mark of this process (VmHWM)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def peak_rss() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def child(method: str, n: int, repeat: int, warmup: int, min_seconds: float) -> None:
    import gc
    import tracemalloc

    data = make_data(n)
    import kompetens  # noqa: F401  (imports outside the measurement)
    import pandas  # noqa: F401
    import polars  # noqa: F401

    fns = {
        "bare-numpy": lambda: data[1].sum(dtype=np.int64),
        "kompetens-py": lambda: run_kompetens(*data),
        "kompetens-py-secondary": lambda: run_kompetens(*data, suppression="secondary"),
        # the matrices as DataFrames (built inside the timing, as pandas
        # does): their int8 blocks are read in place, column-major
        "kompetens-py-frames": lambda: run_kompetens(
            data[0], pandas.DataFrame(data[1]), pandas.DataFrame(data[2]), *data[3:]
        ),
        "pandas": lambda: run_pandas(*data),
        "polars": lambda: run_polars(*data),
    }
    fn = fns[method]
    gc.collect()
    reset_peak()
    base = rss_now()
    out = None
    for _ in range(warmup):  # untimed, inside the peak measurement
        out = None
        out = fn()
    print("ready", flush=True)
    # one round per line read: at least `repeat` calls, and until
    # `min_seconds` have passed
    for _line in sys.stdin:
        best = best_cpu = float("inf")
        calls = 0
        start = time.perf_counter()
        while calls < max(1, repeat) or time.perf_counter() - start < min_seconds:
            out = None
            t, c = time.perf_counter(), time.process_time()
            out = fn()
            best = min(best, time.perf_counter() - t)
            best_cpu = min(best_cpu, time.process_time() - c)
            calls += 1
        print(json.dumps({"seconds": best, "cpu": best_cpu, "calls": calls}), flush=True)
    # one more call, untimed, with tracemalloc on (tracing slows every
    # Python/numpy allocation down, so it stays out of the timed calls)
    out = None
    tracemalloc.start()
    out = fn()
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    peak = peak_rss()
    extra = {}
    if method == "kompetens-py-secondary":
        extra = {"withheld": int(out.to_numpy()["withheld"].sum()), "clean": out.published_audit.clean}
    print(json.dumps({"method": method, "peak_over_input": max(0, peak - base), "traced": traced, **extra}),
          flush=True)


class Contender:
    """A child process that measures one contender a round at a time."""

    def __init__(self, name: str, argv: list[str]):
        self.name = name
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.rounds: list[dict] = []

    def _line(self) -> str:
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait()
            raise SystemExit(f"{self.name}: the child process ended (exit code {self.proc.returncode})")
        return line.strip()

    def ready(self) -> None:
        while self._line() != "ready":
            pass

    def round(self) -> None:
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()
        self.rounds.append(json.loads(self._line()))

    def close(self) -> dict | None:
        """Ends the rounds; the child's last line (Python: memory), if any."""
        self.proc.stdin.close()
        last = self.proc.stdout.read().strip().splitlines()
        if self.proc.wait() != 0:
            raise SystemExit(f"{self.name}: exit code {self.proc.returncode}")
        return json.loads(last[-1]) if last else None

    def best(self, key: str = "seconds") -> float:
        return min(r[key] for r in self.rounds)


def spread(xs: list[float]) -> str:
    xs = sorted(xs)
    mid = xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2
    return f"{xs[0]:.1f}–{xs[-1]:.1f} (median {mid:.1f})" if len(xs) > 1 else f"{xs[0]:.1f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    ap.add_argument("--repeat", type=int, default=3, help="timed calls of a contender per round, at least (default 3)")
    ap.add_argument("--min-seconds", type=float, default=0.5,
                    help="a contender's timed calls in a round go on until this many seconds have passed (default 0.5)")
    ap.add_argument("--warmup", type=int, default=1,
                    help="untimed calls of every contender before the timed ones (default 1)")
    ap.add_argument("--rust-bin", default=str(ROOT / "target" / "release" / "aggregate_raw"))
    ap.add_argument("--child")
    args = ap.parse_args()
    if args.child:
        child(args.child, args.people, args.repeat, args.warmup, args.min_seconds)
        return
    n = args.people
    parents, levels, required, units, weights = data = make_data(n)
    input_bytes = levels.nbytes + required.nbytes + units.nbytes
    print(f"{n:,} people × {N_COMP} competences, {len(parents)} units (4 levels); input {input_bytes / 1e6:.1f} MB")
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        levels.tofile(d / "levels.i8")
        required.tofile(d / "required.i8")
        units.astype("<u4").tofile(d / "units.u32")
        (d / "parents.json").write_text(json.dumps([int(p) for p in parents]))
        (d / "weights.json").write_text(json.dumps([float(w) for w in weights]))
        # agreement of (c)–(e) on the same data
        ref = run_pandas(*data)
        same("polars", run_polars(*data), ref)
        same("kompetens (Python)", kompetens_table(parents, run_kompetens(*data)), ref)
        import pandas as pd

        frames = run_kompetens(parents, pd.DataFrame(levels), pd.DataFrame(required), units, weights)
        same("kompetens (Python, DataFrames)", kompetens_table(parents, frames), ref)
        del data, levels, required, units, frames
        contenders: dict[str, Contender] = {}
        if Path(args.rust_bin).exists():
            contenders["rust"] = Contender("kompetens-rust", [
                args.rust_bin, str(d), str(n), str(N_COMP), str(args.repeat), str(args.warmup),
                str(args.min_seconds), "--serve"])
        else:
            print("(b) skipped: build it with `cargo build --release -p kompetens-benches --bin aggregate_raw`")
        for m in ("bare-numpy", "kompetens-py", "kompetens-py-secondary", "kompetens-py-frames", "pandas", "polars"):
            contenders[m] = Contender(m, [
                sys.executable, __file__, "--child", m, "--people", str(n), "--repeat", str(args.repeat),
                "--warmup", str(args.warmup), "--min-seconds", str(args.min_seconds)])
        for c in contenders.values():
            c.ready()
        order = list(contenders.values())
        for r in range(max(1, args.rounds)):
            k = r % len(order)
            for c in order[k:] + order[:k]:
                c.round()
        last = {m: c.close() for m, c in contenders.items()}
        rust = None
        if "rust" in contenders:
            rust = {key: contenders["rust"].best(key) for key in (
                "seconds", "bare", "pass", "finish", "publish_primary", "publish_rows", "publish_secondary",
                "audit_rows")}
            rust["peak_over_input"] = contenders["rust"].rounds[0]["peak_over_input"]
            rust_table = np.fromfile(d / "table.f64", dtype="<f8").reshape(2, len(parents), N_COMP, 6)
            same("kompetens (Rust)", rust_table, ref)
    withheld = int(np.isnan(ref[..., 0]).sum())
    who = "kompetens (Rust, Python)" if rust is not None else "kompetens (Python)"
    print(f"agreement: {who} = pandas = polars on all {ref[..., 0].size:,} cells × 6 numbers "
          f"({withheld} cells withheld by the minimum group {MIN_GROUP})")
    results = {
        m: {"seconds": contenders[m].best(), "cpu": contenders[m].best("cpu"), **last[m]}
        for m in contenders if m != "rust"
    }
    calls = {m: sum(r.get("calls", args.repeat) for r in c.rounds) for m, c in contenders.items()}
    print(f"{max(1, args.rounds)} interleaved rounds; timed calls per contender: "
          + ", ".join(f"{m} {k}" for m, k in calls.items()))
    bare = rust["bare"] if rust else results["bare-numpy"]["seconds"]
    rows = []
    if rust:
        rows += [
            ("(a) bare sum of the level matrix, Rust", rust["bare"], None, None, None),
            ("(a) bare sum, numpy", results["bare-numpy"]["seconds"], results["bare-numpy"]["peak_over_input"], None,
             results["bare-numpy"]["cpu"]),
            ("(b) kompetens Rust: whole (primary)", rust["seconds"], rust["peak_over_input"], None, None),
            ("    pass (update)", rust["pass"], None, None, None),
            ("    roll-up (finish)", rust["finish"], None, None, None),
            ("    publish, primary", rust["publish_primary"], None, None, None),
            ("    the same as Row structs", rust["publish_rows"], None, None, None),
            ("    publish, secondary + audit", rust["publish_secondary"], None, None, None),
            ("    audit_rows of that table", rust["audit_rows"], None, None, None),
        ]
    else:
        rows += [("(a) bare sum, numpy", results["bare-numpy"]["seconds"], results["bare-numpy"]["peak_over_input"], None,
                  results["bare-numpy"]["cpu"])]
    for m, label in (
        ("kompetens-py", "(c) kompetens Python (primary)"),
        ("kompetens-py-secondary", "(c) kompetens Python, secondary"),
        ("kompetens-py-frames", "(c) kompetens Python, from DataFrames"),
        ("pandas", "(d) pandas"),
        ("polars", "(e) polars"),
    ):
        r = results[m]
        rows.append((label, r["seconds"], r["peak_over_input"], r["traced"], r["cpu"]))
    print("seconds = best wall time over all rounds; CPU = best process CPU time (all threads; Python contenders); "
          "peak = resident high-water mark above the resident size with the input loaded "
          "(traced = tracemalloc peak: Python/numpy allocations)")
    print(f"{'method':<40}{'seconds':>9}{'× bare':>8}{'CPU s':>8}{'peak MB':>9}{'× input':>9}{'traced MB':>11}")
    for label, sec, peak, traced, cpu in rows:
        pk = "" if peak is None else f"{peak / 1e6:9.1f}{peak / input_bytes:9.2f}"
        pk = pk or f"{'':>18}"
        tr = "" if traced is None else f"{traced / 1e6:11.1f}"
        cp = f"{'':>8}" if cpu is None else f"{cpu:8.3f}"
        print(f"{label:<40}{sec:>9.3f}{sec / bare:>8.1f}{cp}{pk}{tr}")
    sec = results["kompetens-py-secondary"]
    print(f"secondary suppression: {sec['withheld']} cells withheld, audit clean = {sec['clean']}")
    kp = results["kompetens-py"]["seconds"]
    kr = rust["seconds"] if rust else float("nan")
    print(f"ratios: kompetens Rust / bare = {kr / bare:.1f}× (goal ≤ 5), pandas / kompetens Python = "
          f"{results['pandas']['seconds'] / kp:.1f}× (goal ≥ 30), polars / kompetens Python = "
          f"{results['polars']['seconds'] / kp:.1f}× (goal ≥ 5), Python / Rust = {kp / kr:.2f} (goal ≤ 1.2), "
          f"peak kompetens Python = {results['kompetens-py']['peak_over_input'] / input_bytes:.2f}× input over the input")
    # the same ratios of each round's best times
    per = {m: [r["seconds"] for r in c.rounds] for m, c in contenders.items()}
    py = per["kompetens-py"]
    parts = [f"pandas / kompetens Python {spread([a / b for a, b in zip(per['pandas'], py)])}×",
             f"polars / kompetens Python {spread([a / b for a, b in zip(per['polars'], py)])}×"]
    if rust:
        rr = [r["seconds"] for r in contenders["rust"].rounds]
        rb = [r["bare"] for r in contenders["rust"].rounds]
        parts = [f"kompetens Rust / bare {spread([a / b for a, b in zip(rr, rb)])}×"] + parts
        parts.append(f"Python / Rust {spread([a / b for a, b in zip(py, rr)])}")
    print("per round: " + ", ".join(parts))
    kc = results["kompetens-py"]["cpu"]
    print(f"CPU-time ratios: kompetens Python / numpy bare = {kc / results['bare-numpy']['cpu']:.1f}×, pandas / kompetens = "
          f"{results['pandas']['cpu'] / kc:.1f}×, polars / kompetens = {results['polars']['cpu'] / kc:.1f}×")


if __name__ == "__main__":
    main()
