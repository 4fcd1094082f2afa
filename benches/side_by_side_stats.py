#!/usr/bin/env python3
"""Side by side, in one run and on the same generated data:

1. Cronbach's α with item statistics — ``kompetens.stats.cronbach_alpha``
   against ``pingouin.cronbach_alpha`` (α and Feldt CI only) on 100,000
   respondents × 30 Likert items with 2 % missing answers (pairwise);
2. survey scoring — ``kompetens.SurveyInstrument.score`` against an
   idiomatic pandas implementation of the same rules on 100,000 respondents
   × 82 DigCompSAT-style items (0..3, 21 DigComp 2.2 competences, 5 %
   reverse keyed, 2 % missing): per-competence and per-area scores and
   DigCompSAT levels as DataFrames.

The results are checked to agree (assert) before the times are printed.
Times are the best of ``--repeat`` runs (wall clock). Run it with the
extension built in release mode::

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benches/side_by_side_stats.py

(unset the two OpenBLAS variables only for this command: they select an old
kernel that slows numpy down; see benches/README.md).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

import numpy as np
import pandas as pd

import kompetens
from kompetens import stats


CPU_TIMES: dict[str, float] = {}


def best_of(repeat: int, fn, label: str = ""):
    """(best wall time in seconds, last result); the best CPU time of the
    process (all threads) goes to ``CPU_TIMES[label]``."""
    best = cpu = float("inf")
    out = None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        cpu = min(cpu, time.process_time() - c)
        best = min(best, time.perf_counter() - t)
    CPU_TIMES[label] = cpu
    return best, out


def likert(n: int, k: int, missing: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    trait = rng.normal(size=(n, 1))
    x = np.clip(np.round(3 + trait + rng.normal(scale=1.0, size=(n, k))), 1, 5)
    x[rng.random((n, k)) < missing] = np.nan
    return pd.DataFrame(x, columns=[f"q{i + 1}" for i in range(k)])


# --- scoring ---------------------------------------------------------------------


def instrument_dict(n_items: int) -> dict:
    comps = [c.id for c in kompetens.Framework.builtin("digcomp-2.2").competences]
    items = [
        {"id": f"q{i + 1}", "target": comps[i % len(comps)], **({"reverse": True} if i % 20 == 7 else {})}
        for i in range(n_items)
    ]
    return {"id": "digcompsat-like", "framework": "digcomp-2.2", "scale": {"min": 0, "max": 3}, "items": items}


def sat_answers(n: int, k: int, missing: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 4, size=(n, k)).astype(np.float64)
    x[rng.random((n, k)) < missing] = np.nan
    return pd.DataFrame(x, columns=[f"q{i + 1}" for i in range(k)])


DIGCOMPSAT_BANDS = [0.30, 0.48, 0.81]  # Low < 0.30 ≤ Foundation < 0.48 ≤ Intermediate < 0.81 ≤ Advanced
DIGCOMPSAT_LEVELS = [0, 1, 3, 5]


def pandas_scoring(df: pd.DataFrame, inst: dict, min_answered: float = 0.5):
    """Idiomatic pandas: rescale every answer to [0, 1] (reverse keyed on
    the nominal scale ends), then per competence (and per area, pooling the
    area's items) the mean of the answered items when at least
    ``min_answered`` of them are answered; DigCompSAT levels with pd.cut."""
    lo, hi = inst["scale"]["min"], inst["scale"]["max"]
    items = pd.DataFrame(inst["items"]).set_index("id")
    items["reverse"] = items.get("reverse", False)
    items["reverse"] = items["reverse"].fillna(False).astype(bool)
    items["area"] = items["target"].str.split(".").str[0]
    rescaled = (df[items.index] - lo) / (hi - lo)
    rev = items.index[items["reverse"]]
    rescaled[rev] = 1 - rescaled[rev]

    def pooled(groups: pd.Series) -> pd.DataFrame:
        out = {}
        for key, cols in groups.groupby(groups).groups.items():
            block = rescaled[cols]
            answered = block.notna().sum(axis=1)
            score = block.mean(axis=1)
            out[key] = score.where((answered > 0) & (answered / len(cols) >= min_answered - 1e-12))
        return pd.DataFrame(out)

    def levels(scores: pd.DataFrame) -> pd.DataFrame:
        bins = [-np.inf] + [b - 1e-9 for b in DIGCOMPSAT_BANDS] + [np.inf]
        return scores.apply(lambda s: pd.cut(s, bins, right=False, labels=DIGCOMPSAT_LEVELS)).astype("Int64")

    scores = pooled(items["target"])
    areas = pooled(items["area"])
    frame = pd.concat({"score": scores, "level": levels(scores)}, axis=1)
    area_frame = pd.concat({"score": areas, "level": levels(areas)}, axis=1)
    return frame, area_frame


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--alpha-rows", type=int, default=100_000)
    ap.add_argument("--alpha-items", type=int, default=30)
    ap.add_argument("--score-rows", type=int, default=100_000)
    ap.add_argument("--score-items", type=int, default=82)
    ap.add_argument("--missing", type=float, default=0.02)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", choices=("alpha", "scoring"), help="run one of the two comparisons")
    args = ap.parse_args(argv)

    import pingouin  # noqa: PLC0415 (the reference; in requirements-test.txt)

    print(f"kompetens {kompetens.__version__}, numpy {np.__version__}, pandas {pd.__version__}, "
          f"pingouin {pingouin.__version__}, Python {platform.python_version()}, {os.cpu_count()} CPUs")
    print("load average (1, 5, 15 min) at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if var in os.environ:
            print(f"note: {var}={os.environ[var]} is set (numpy may run an older kernel)")
    try:
        from threadpoolctl import threadpool_info  # noqa: PLC0415

        for pool in threadpool_info():
            print(f"blas: {pool.get('internal_api')} {pool.get('version')} "
                  f"arch={pool.get('architecture')} threads={pool.get('num_threads')}")
    except ImportError:
        pass

    ratios = []
    if args.only in (None, "alpha"):
        ratios.append(f"alpha {alpha_side_by_side(args, pingouin):.1f}x pingouin (DataFrame in)")
    if args.only in (None, "scoring"):
        ratios.append(f"scoring {scoring_side_by_side(args):.1f}x pandas (DataFrames out)")
    print("load average (1, 5, 15 min) at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print("\nratios: " + ", ".join(ratios))
    return 0


def alpha_side_by_side(args, pingouin) -> float:
    """Cronbach's alpha: kompetens against pingouin; the ratio (DataFrame in)."""
    n, k = args.alpha_rows, args.alpha_items
    data = likert(n, k, args.missing, seed=2024)
    print(f"\nCronbach's alpha: {n:,} respondents x {k} items, {args.missing:.0%} missing (pairwise)")
    t_pg, (pg_alpha, pg_ci) = best_of(max(1, args.repeat // 2 + 1), lambda: pingouin.cronbach_alpha(data), "pg")
    t_kf, rel = best_of(args.repeat, lambda: stats.cronbach_alpha(data), "kf")
    array = data.to_numpy()
    t_ka, rel_a = best_of(args.repeat, lambda: stats.cronbach_alpha(array))
    array_c = np.ascontiguousarray(array)
    t_kc, rel_c = best_of(args.repeat, lambda: stats.cronbach_alpha(array_c))
    assert abs(rel_c.alpha - pg_alpha) <= 1e-9 * abs(pg_alpha), (rel_c.alpha, pg_alpha)
    assert abs(rel.alpha - pg_alpha) <= 1e-9 * abs(pg_alpha), (rel.alpha, pg_alpha)
    assert abs(rel_a.alpha - pg_alpha) <= 1e-9 * abs(pg_alpha), (rel_a.alpha, pg_alpha)
    # pingouin rounds its CI to 3 decimals
    assert all(abs(round(a, 3) - b) <= 1e-3 for a, b in zip(rel.ci, pg_ci)), (rel.ci, pg_ci)
    print(f"  alpha {rel.alpha:.12f} (pingouin {pg_alpha:.12f}), CI {rel.ci[0]:.6f}..{rel.ci[1]:.6f} "
          f"(pingouin {pg_ci[0]}..{pg_ci[1]}): agree")
    print(f"  pingouin.cronbach_alpha(DataFrame)            {t_pg * 1e3:9.1f} ms  (alpha and CI only)")
    print(f"  kompetens.stats.cronbach_alpha(DataFrame)     {t_kf * 1e3:9.1f} ms  {t_pg / t_kf:6.1f}x  "
          "(alpha, std alpha, CI, average r, item statistics)")
    print(f"  kompetens.stats.cronbach_alpha(ndarray, F)    {t_ka * 1e3:9.1f} ms  {t_pg / t_ka:6.1f}x")
    print(f"  kompetens.stats.cronbach_alpha(ndarray, C)    {t_kc * 1e3:9.1f} ms  {t_pg / t_kc:6.1f}x")
    print(f"  CPU time (all threads; less sensitive to other load): pingouin {CPU_TIMES['pg'] * 1e3:.1f} ms, "
          f"kompetens (DataFrame) {CPU_TIMES['kf'] * 1e3:.1f} ms")
    return t_pg / t_kf


def scoring_side_by_side(args) -> float:
    """Survey scoring: kompetens against pandas; the ratio (DataFrames out)."""
    n, k = args.score_rows, args.score_items
    inst_d = instrument_dict(k)
    inst = kompetens.SurveyInstrument.from_dict(inst_d)
    answers = sat_answers(n, k, args.missing, seed=7)
    print(f"\nSurvey scoring: {n:,} respondents x {k} items (0..3, 21 competences, 5 areas), "
          f"{args.missing:.0%} missing")
    t_pd, (pd_frame, pd_areas) = best_of(max(1, args.repeat // 2 + 1), lambda: pandas_scoring(answers, inst_d))

    def kompetens_frames():
        res = inst.score(answers)
        return res, res.frame, res.areas

    t_kn, res_n = best_of(args.repeat, lambda: inst.score(answers))
    t_kd, (res, frame, areas) = best_of(args.repeat, kompetens_frames)
    np.testing.assert_allclose(frame["score"].to_numpy(), pd_frame["score"][frame["score"].columns].to_numpy(),
                               rtol=1e-12, atol=0)
    assert frame["level"].equals(pd_frame["level"][frame["level"].columns].rename_axis(columns="target")), \
        "levels differ"
    np.testing.assert_allclose(areas["score"].to_numpy(), pd_areas["score"][areas["score"].columns].to_numpy(),
                               rtol=1e-12, atol=0)
    assert areas["level"].equals(pd_areas["level"][areas["level"].columns].rename_axis(columns="area")), \
        "area levels differ"
    assert len(res_n) == n
    print(f"  scores, levels and area scores agree ({frame['score'].notna().to_numpy().mean():.1%} scored)")
    print(f"  pandas (idiomatic)                            {t_pd * 1e3:9.1f} ms")
    print(f"  kompetens score (native result)               {t_kn * 1e3:9.1f} ms  {t_pd / t_kn:6.1f}x")
    print(f"  kompetens score + score/level/area DataFrames {t_kd * 1e3:9.1f} ms  {t_pd / t_kd:6.1f}x")
    return t_pd / t_kd


if __name__ == "__main__":
    sys.exit(main())
