"""Write the shared vectors of the statistics, survey and DSI operations.

Every expected number is computed here by an independent implementation:
scipy / pingouin / pandas / numpy / Python's `statistics`, R psych (through
`Rscript psych_alpha.R`), or written out by hand (with the working in a
comment). Nothing is copied from kompetens' own output.

Run with the project venv (scipy, pingouin, pandas) and Rscript with psych:

    ~/.cache/kompetens/venv/bin/python tests/vectors/reference/make_stats_survey_dsi.py
"""

import io
import json
import math
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin as pg
import scipy
from scipy import stats

HERE = Path(__file__).resolve().parent
OUT = HERE.parent
VERSIONS = (
    f"Python {sys.version.split()[0]}, numpy {np.__version__}, pandas {pd.__version__}, "
    f"scipy {scipy.__version__}, pingouin {pg.__version__}"
)


def clean(x):
    """JSON-friendly: numpy scalars to Python, NaN to None."""
    if isinstance(x, dict):
        return {k: clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [clean(v) for v in x]
    if isinstance(x, (np.floating, float)):
        # NaN and ±inf (one-sided confidence bounds) have no JSON form: null.
        return None if not math.isfinite(float(x)) else float(x)
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, np.bool_):
        return bool(x)
    return x


def write(name, description, source, cases):
    doc = {
        "format": "kompetens-vectors/1",
        "description": description,
        "source": source,
        "cases": clean(cases),
    }
    path = OUT / name
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {path.relative_to(OUT.parent.parent)} ({len(cases)} cases)")


def rows(df):
    return [[None if pd.isna(v) else float(v) for v in r] for r in df.to_numpy()]


# ---------------------------------------------------------------- alpha

def psych(df, use="pairwise"):
    out = subprocess.run(
        ["Rscript", str(HERE / "psych_alpha.R"), use],
        input=df.to_csv(index=False, na_rep="NA"),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    kv = dict(line.split("=", 1) for line in out.strip().splitlines())
    assert kv["psych_version"] == "2.2.9", kv["psych_version"]
    return {k: (v if k == "psych_version" else float(v)) for k, v in kv.items()}


def psych_items(p, k, with_moments=True):
    items = []
    for i in range(k):
        it = {
            "index": i,
            "r_drop": p[f"item{i}_r_drop"],
            "alpha_if_deleted": p[f"item{i}_alpha_if_deleted"],
            "std_alpha_if_deleted": p[f"item{i}_std_alpha_if_deleted"],
            "average_r_if_deleted": p[f"item{i}_average_r_if_deleted"],
        }
        if with_moments:
            it.update(n=int(p[f"item{i}_n"]), mean=p[f"item{i}_mean"], sd=p[f"item{i}_sd"])
        items.append(it)
    return items


def feldt(alpha, n, k, level=0.95):
    a = 1 - level
    df1, df2 = n - 1, (n - 1) * (k - 1)
    return [1 - (1 - alpha) * stats.f.isf(a / 2, df1, df2),
            1 - (1 - alpha) * stats.f.isf(1 - a / 2, df1, df2)]


def alpha_cases():
    cases = []
    long = pg.read_dataset("cronbach_alpha")
    wide = long.pivot(index="Subj", columns="Items", values="Scores")
    items = list(wide.columns)
    k = len(items)
    a_pg, ci_pg = pg.cronbach_alpha(wide)
    assert abs(a_pg - 0.5917188485995826) < 1e-15 and list(ci_pg) == [0.195, 0.84]
    cases.append({
        "name": "pingouin-test-set-published",
        "op": "stats.cronbach_alpha",
        "input": {"data": rows(wide), "items": items},
        "expected": {"alpha": 0.5917188485995826, "ci": [0.195, 0.840], "n": 15, "k": 10},
        "tolerance": 5e-4,
        "_note": "pingouin tests/test_reliability.py: alpha 0.5917188485995826, CI rounded to [0.195, 0.840]",
    })
    p = psych(wide)
    cases.append({
        "name": "pingouin-test-set-full",
        "op": "stats.cronbach_alpha",
        "input": {"data": rows(wide), "items": items},
        "expected": {
            "alpha": a_pg,
            "std_alpha": p["std_alpha"],
            "average_r": p["average_r"],
            "ci": [p["feldt_lower"], p["feldt_upper"]],
            "ci_level": 0.95,
            "missing": "pairwise",
            "items": [dict(it, item=items[it["index"]]) for it in psych_items(p, k)],
        },
        "tolerance": 1e-9,
    })
    # Same alpha with items in reverse order (alpha ignores item order).
    rev = wide[items[::-1]]
    cases.append({
        "name": "pingouin-test-set-items-reordered",
        "op": "stats.cronbach_alpha",
        "input": {"data": rows(rev)},
        "expected": {"alpha": a_pg, "std_alpha": p["std_alpha"]},
    })

    # Missing answers, pairwise (psych use="pairwise"; pingouin default).
    miss = pg.read_dataset("cronbach_wide_missing")
    km = miss.shape[1]
    a_pw, _ = pg.cronbach_alpha(miss)
    pm = psych(miss)
    assert abs(pm["raw_alpha"] - a_pw) < 1e-12
    cases.append({
        "name": "pingouin-wide-missing-pairwise",
        "op": "stats.cronbach_alpha",
        "input": {"data": rows(miss), "items": list(miss.columns)},
        "expected": {
            "alpha": a_pw,
            "std_alpha": pm["std_alpha"],
            "average_r": pm["average_r"],
            "ci": [pm["feldt_lower"], pm["feldt_upper"]],
            "n": 12,
            "k": km,
            "items": psych_items(pm, km),
        },
        "tolerance": 1e-9,
        "_note": "pingouin test: round(alpha, 6) == 0.732661 (psych::alpha(data, use='pairwise')), CI [0.435, 0.909]",
    })
    # Listwise: alpha from pingouin; CI with N = complete rows (scipy).
    a_lw, _ = pg.cronbach_alpha(miss, nan_policy="listwise")
    complete = miss.dropna()
    pl = psych(miss, "complete")
    assert abs(pl["raw_alpha"] - a_lw) < 1e-12
    cases.append({
        "name": "pingouin-wide-missing-listwise",
        "op": "stats.cronbach_alpha",
        "input": {"data": rows(miss), "missing": "listwise"},
        "expected": {
            "alpha": a_lw,
            "std_alpha": pl["std_alpha"],
            "ci": feldt(a_lw, len(complete), km),
            "n": len(complete),
            "missing": "listwise",
            "items": [
                dict(
                    it,
                    n=len(complete),
                    mean=float(complete.iloc[:, it["index"]].mean()),
                    sd=float(complete.iloc[:, it["index"]].std()),
                )
                for it in psych_items(pl, km, with_moments=False)
            ],
        },
        "tolerance": 1e-9,
        "_note": "pingouin test (development version): round(alpha, 6) == 0.801695, CI [0.533, 0.947] with N = 9 complete rows",
    })
    # pingouin's long-format test with one answer removed: 0.567 (pairwise).
    long2 = long.copy()
    long2.loc[2, "Scores"] = np.nan
    a2, _ = pg.cronbach_alpha(data=long2, items="Items", scores="Scores", subject="Subj")
    w2 = long2.pivot(index="Subj", columns="Items", values="Scores")
    assert round(a2, 3) == 0.567
    cases.append({
        "name": "pingouin-test-set-one-missing",
        "op": "stats.cronbach_alpha",
        "input": {"data": rows(w2)},
        "expected": {"alpha": a2, "ci": feldt(a2, 15, 10)},
        "tolerance": 1e-9,
    })
    # 90 % CI.
    cases.append({
        "name": "ci-level-90",
        "op": "stats.cronbach_alpha",
        "input": {"data": rows(wide), "ci_level": 0.9},
        "expected": {"alpha": a_pg, "ci": feldt(a_pg, 15, 10, 0.9), "ci_level": 0.9},
        "tolerance": 1e-9,
    })
    # Reverse keying on the nominal scale 1..7 (x' = 8 − x): pingouin on the
    # data reversed by hand.
    swapped = wide.copy()
    swapped["Q7"] = 8 - wide["Q7"]
    a_rev, _ = pg.cronbach_alpha(swapped)
    cases.append({
        "name": "reverse-keyed-item-nominal-scale",
        "op": "stats.cronbach_alpha",
        "input": {"data": rows(wide), "items": items, "reverse": ["Q7"],
                  "scale": {"min": 1, "max": 7}},
        "expected": {"alpha": a_rev, "ci": feldt(a_rev, 15, 10)},
        "tolerance": 1e-9,
    })
    cases.append({
        "name": "reverse-keyed-by-index",
        "op": "stats.cronbach_alpha",
        "input": {"data": rows(wide), "reverse": [items.index("Q7")],
                  "scale": {"min": 1, "max": 7}},
        "expected": {"alpha": a_rev},
        "tolerance": 1e-9,
    })
    # Hand-worked: x = [1,2,3], y = [2,1,3]: var 1, 1; cov 0.5 →
    # α = 2·(1 − 2/3) = 2/3; r = 0.5; r_drop = corr(x, y) = 0.5.
    cases.append({
        "name": "two-items-by-hand",
        "op": "stats.cronbach_alpha",
        "input": {"data": [[1, 2], [2, 1], [3, 3]]},
        "expected": {"alpha": 2 / 3, "std_alpha": 2 / 3, "average_r": 0.5,
                     "items": [{"index": 0, "n": 3, "mean": 2.0, "sd": 1.0, "r_drop": 0.5,
                                "alpha_if_deleted": None},
                               {"index": 1, "n": 3, "mean": 2.0, "sd": 1.0, "r_drop": 0.5,
                                "alpha_if_deleted": None}]},
    })
    # Errors.
    cases += [
        {"name": "error-one-item", "op": "stats.cronbach_alpha",
         "input": {"data": [[1], [2], [3]]},
         "error": {"code": "insufficient_data", "location": "data"}},
        {"name": "error-one-row", "op": "stats.cronbach_alpha",
         "input": {"data": [[1, 2, 3]]},
         "error": {"code": "insufficient_data", "location": "data"}},
        {"name": "error-ragged-rows", "op": "stats.cronbach_alpha",
         "input": {"data": [[1, 2, 3], [1, 2]]},
         "error": {"code": "shape_mismatch", "location": "data[1]"}},
        {"name": "error-no-variance", "op": "stats.cronbach_alpha",
         "input": {"data": [[2, 2], [2, 2], [2, 2]]},
         "error": {"code": "insufficient_data", "location": "data"}},
        {"name": "error-no-common-respondents", "op": "stats.cronbach_alpha",
         "input": {"data": [[1, None], [2, None], [None, 1], [None, 3]]},
         "error": {"code": "insufficient_data", "location": "data[:, 0], data[:, 1]"}},
        {"name": "error-reverse-without-scale", "op": "stats.cronbach_alpha",
         "input": {"data": rows(wide), "reverse": [0]},
         "error": {"code": "missing_value", "location": "scale"}},
        {"name": "error-reverse-unknown-item", "op": "stats.cronbach_alpha",
         "input": {"data": rows(wide), "items": items, "reverse": ["Q99"],
                   "scale": {"min": 1, "max": 7}},
         "error": {"code": "unknown_reference", "location": "reverse[0]"}},
        {"name": "error-value-outside-scale", "op": "stats.cronbach_alpha",
         "input": {"data": [[1, 2], [2, 9], [3, 3]], "scale": {"min": 1, "max": 5}},
         "error": {"code": "invalid_value", "location": "data[1][1]"}},
        {"name": "error-unknown-missing-policy", "op": "stats.cronbach_alpha",
         "input": {"data": [[1, 2], [2, 1], [3, 3]], "missing": "mean"},
         "error": {"code": "parse_error", "location": "missing"}},
        {"name": "error-ci-level", "op": "stats.cronbach_alpha",
         "input": {"data": [[1, 2], [2, 1], [3, 3]], "ci_level": 1.5},
         "error": {"code": "invalid_value", "location": "ci_level"}},
    ]
    for c in cases:
        c.pop("_note", None)
    write(
        "stats-cronbach-alpha.json",
        "Cronbach's alpha (raw, standardised), Feldt CI, item statistics, pairwise/listwise missing, reverse keying",
        f"{VERSIONS}; R psych 2.2.9 alpha() (std.alpha, average_r, Feldt CI, item n/mean/sd/r.drop, "
        "alpha.drop); pingouin.cronbach_alpha (alpha; its test set alpha 0.5917188485995826, CI "
        "[0.195, 0.840]); scipy.stats.f.isf (unrounded Feldt CI where psych does not apply); "
        "data: pingouin datasets cronbach_alpha (pivoted wide) and cronbach_wide_missing",
        cases,
    )


# ------------------------------------------------------- ordinal summaries

def ordinal_cases():
    ref1 = [1] * 2 + [4] * 9 + [5] * 10
    ref2 = [1, 3, 3, 3, 4, 5]
    med = []
    for name, values, interval in [
        ("reference-2x1-9x4-10x5", ref1, 1),
        ("reference-1-3-3-3-4-5", ref2, 1),
        ("even-n-gap", [1, 1, 3, 3], 1),
        ("single-value", [4], 1),
        ("likert-mixed", [2, 3, 3, 4, 4, 4, 4, 5, 5, 1, 3], 1),
        ("interval-two", [10, 12, 12, 14, 16, 16, 16], 2),
    ]:
        med.append({"name": name, "op": "stats.interpolated_median",
                    "input": {"values": values} | ({"interval": interval} if interval != 1 else {}),
                    "expected": {"median": statistics.median_grouped(values, interval),
                                 "n": len(values), "missing": 0}})
    # REFERENCE §6 hand values: 4 + (10 − 2)/(2·9) = 4.444…, 3 + (2 − 1)/6 = 3.1667.
    assert abs(med[0]["expected"]["median"] - (4 + 8 / 18)) < 1e-15
    assert abs(med[1]["expected"]["median"] - (3 + 1 / 6)) < 1e-15
    with_nulls = [1, None, 3, 3, None, 3, 4, 5]
    med.append({"name": "nulls-are-missing", "op": "stats.interpolated_median",
                "input": {"values": with_nulls},
                "expected": {"median": statistics.median_grouped([v for v in with_nulls if v is not None]),
                             "n": 6, "missing": 2}})
    med += [
        {"name": "all-missing", "op": "stats.interpolated_median",
         "input": {"values": [None, None]}, "expected": {"median": None, "n": 0, "missing": 2}},
        {"name": "error-interval-zero", "op": "stats.interpolated_median",
         "input": {"values": [1, 2], "interval": 0},
         "error": {"code": "invalid_value", "location": "interval"}},
        {"name": "error-not-a-number", "op": "stats.interpolated_median",
         "input": {"values": [1, "x"]}, "error": {"code": "parse_error"}},
    ]
    write("stats-interpolated-median.json", "Interpolated (grouped) median of ordinal answers",
          f"Python {sys.version.split()[0]} statistics.median_grouped; REFERENCE §6 hand-worked values", med)

    vals = [5, 4, 4, 3, None, 2, 5, 1, 4, 5, 3, None, 4]
    s = pd.Series(vals, dtype="float").dropna()
    tb = [{"name": "likert5", "op": "stats.top_box",
           "input": {"values": vals, "scale": {"min": 1, "max": 5}},
           "expected": {"n": int(s.size), "missing": 2,
                        "top_box": float((s == 5).mean()), "top_two_box": float((s >= 4).mean()),
                        "bottom_box": float((s == 1).mean()), "bottom_two_box": float((s <= 2).mean())}}]
    six = [6, 6, 5, 1, 2, 3, 6, 4]
    s6 = pd.Series(six, dtype="float")
    tb.append({"name": "six-point", "op": "stats.top_box",
               "input": {"values": six, "scale": {"min": 1, "max": 6}},
               "expected": {"n": 8, "missing": 0, "top_box": float((s6 == 6).mean()),
                            "top_two_box": float((s6 >= 5).mean()),
                            "bottom_box": float((s6 == 1).mean()),
                            "bottom_two_box": float((s6 <= 2).mean())}})
    tb += [
        {"name": "no-valid-answers", "op": "stats.top_box",
         "input": {"values": [None], "scale": {"min": 1, "max": 5}},
         "expected": {"n": 0, "missing": 1, "top_box": None, "top_two_box": None}},
        {"name": "error-outside-scale", "op": "stats.top_box",
         "input": {"values": [1, 2, 6], "scale": {"min": 1, "max": 5}},
         "error": {"code": "invalid_value", "location": "values[2]"}},
        {"name": "error-bad-scale", "op": "stats.top_box",
         "input": {"values": [1], "scale": {"min": 5, "max": 1}},
         "error": {"code": "invalid_scale", "location": "scale"}},
        {"name": "error-missing-scale", "op": "stats.top_box",
         "input": {"values": [1]}, "error": {"code": "missing_value", "location": "scale"}},
    ]
    write("stats-top-box.json", "Top-box, top-2-box, bottom-box shares of valid answers",
          f"pandas {pd.__version__} boolean means over the valid answers", tb)

    vc = s.value_counts()
    dist = [{"name": "likert5", "op": "stats.distribution",
             "input": {"values": vals, "scale": {"min": 1, "max": 5}},
             "expected": {"n": int(s.size), "missing": 2,
                          "counts": [{"value": v, "count": int(vc.get(float(v), 0)),
                                      "share": float(vc.get(float(v), 0) / s.size)}
                                     for v in range(1, 6)]}},
            {"name": "zero-counts-kept", "op": "stats.distribution",
             "input": {"values": [0, 0, 3], "scale": {"min": 0, "max": 3}},
             "expected": {"n": 3, "missing": 0,
                          "counts": [{"value": 0, "count": 2, "share": 2 / 3},
                                     {"value": 1, "count": 0, "share": 0.0},
                                     {"value": 2, "count": 0, "share": 0.0},
                                     {"value": 3, "count": 1, "share": 1 / 3}]}},
            {"name": "error-not-whole", "op": "stats.distribution",
             "input": {"values": [1, 2.5], "scale": {"min": 1, "max": 5}},
             "error": {"code": "invalid_value", "location": "values[1]"}},
            {"name": "error-outside", "op": "stats.distribution",
             "input": {"values": [0], "scale": {"min": 1, "max": 5}},
             "error": {"code": "invalid_value", "location": "values[0]"}}]
    write("stats-distribution.json", "Counts and shares of each answer value on a scale",
          f"pandas {pd.__version__} Series.value_counts; hand-counted", dist)


# ------------------------------------------------------------ paired tests

DARWIN = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75]


def wil(after, before, **kw):
    """scipy's wilcoxon on after − before (kompetens: wilcoxon(before, after))."""
    return stats.wilcoxon(np.asarray(after, float), np.asarray(before, float),
                          nan_policy="omit", **kw)


def rbc(after, before):
    a = np.asarray(after, float)
    b = np.asarray(before, float)
    ok = ~(np.isnan(a) | np.isnan(b))
    return float(pg.wilcoxon(a[ok], b[ok])["RBC"].iloc[0])


def wilcoxon_cases():
    cases = []
    d = np.array(DARWIN, float)
    r2 = stats.wilcoxon(d)
    assert r2.pvalue == 0.041259765625 and r2.statistic == 24.0
    # R⁺ = 120 − 24 = 96 (ranks of −48 and −67 are 10 and 14 → R⁻ = 24).
    for alt in ["two-sided", "greater", "less"]:
        r = stats.wilcoxon(d, alternative=alt)
        cases.append({"name": f"darwin-differences-{alt}", "op": "stats.wilcoxon",
                      "input": {"differences": DARWIN, "alternative": alt},
                      "expected": {"statistic": r.statistic, "pvalue": r.pvalue, "method": "exact",
                                   "r_plus": 96.0, "r_minus": 24.0, "n": 15, "zeros": 0,
                                   "ties": False,
                                   "rank_biserial": float(pg.wilcoxon(d, np.zeros(15))["RBC"].iloc[0])}})
    before = [40.0 + i for i in range(15)]
    after = [b + x for b, x in zip(before, DARWIN)]
    cases.append({"name": "darwin-before-after", "op": "stats.wilcoxon",
                  "input": {"before": before, "after": after},
                  "expected": {"statistic": 24.0, "pvalue": 0.041259765625, "method": "exact",
                               "rank_biserial": rbc(after, before)}})
    # Likert pre/post of 30 people: ties → asymptotic (auto), with and
    # without continuity correction.
    rng = np.random.default_rng(20240603)
    pre = rng.integers(1, 6, 30).astype(float)
    post = np.clip(pre + rng.integers(-1, 3, 30), 1, 5).astype(float)
    for corr in [True, False]:
        r = wil(post, pre, correction=corr)
        ra = wil(post, pre, correction=corr, method="asymptotic")
        cases.append({"name": f"likert-ties-asymptotic-correction-{str(corr).lower()}",
                      "op": "stats.wilcoxon",
                      "input": {"before": pre.tolist(), "after": post.tolist(), "correction": corr},
                      "expected": {"statistic": r.statistic, "pvalue": r.pvalue,
                                   "method": "asymptotic", "ties": True,
                                   "zeros": int((post == pre).sum()),
                                   "n": 30, "rank_biserial": rbc(post, pre)},
                      "tolerance": 1e-9})
        assert ra.pvalue == r.pvalue
    for alt in ["greater", "less"]:
        r = wil(post, pre, correction=True, method="asymptotic", alternative=alt)
        cases.append({"name": f"likert-ties-asymptotic-{alt}", "op": "stats.wilcoxon",
                      "input": {"before": pre.tolist(), "after": post.tolist(), "alternative": alt},
                      "expected": {"statistic": r.statistic, "pvalue": r.pvalue, "z": r.zstatistic,
                                   "method": "asymptotic"},
                      "tolerance": 1e-9})
    # n > 50 without ties: auto → asymptotic.
    x = rng.normal(0.3, 1.0, 60)
    r = stats.wilcoxon(x, correction=True)
    cases.append({"name": "n60-no-ties-asymptotic", "op": "stats.wilcoxon",
                  "input": {"differences": x.tolist()},
                  "expected": {"statistic": r.statistic, "pvalue": r.pvalue, "method": "asymptotic",
                               "ties": False},
                  "tolerance": 1e-9})
    # n ≤ 50 without ties: exact; also forced asymptotic.
    y = rng.normal(0.4, 1.0, 40)
    r = stats.wilcoxon(y)
    ra = stats.wilcoxon(y, method="asymptotic", correction=True)
    cases.append({"name": "n40-exact", "op": "stats.wilcoxon",
                  "input": {"differences": y.tolist()},
                  "expected": {"statistic": r.statistic, "pvalue": r.pvalue, "method": "exact"},
                  "tolerance": 1e-9})
    cases.append({"name": "n40-forced-asymptotic", "op": "stats.wilcoxon",
                  "input": {"differences": y.tolist(), "method": "asymptotic"},
                  "expected": {"statistic": ra.statistic, "pvalue": ra.pvalue, "method": "asymptotic"},
                  "tolerance": 1e-9})
    # Small n with ties and a zero: scipy auto → exact permutation test.
    small_pre = [3, 4, 2, 5, 3, 4, 2, 3, 4, 1]
    small_post = [4, 5, 4, 5, 4, 3, 4, 5, 5, 3]
    for alt in ["two-sided", "greater", "less"]:
        r = wil(small_post, small_pre, alternative=alt)
        cases.append({"name": f"small-ties-zero-permutation-{alt}", "op": "stats.wilcoxon",
                      "input": {"before": small_pre, "after": small_post, "alternative": alt},
                      "expected": {"statistic": r.statistic, "pvalue": r.pvalue,
                                   "method": "permutation", "zeros": 1, "ties": True, "n": 10},
                      "tolerance": 1e-12})
    # Explicit exact with ties (scipy: untied distribution, R⁺ rounded).
    r = wil(small_post, small_pre, method="exact")
    cases.append({"name": "small-ties-forced-exact", "op": "stats.wilcoxon",
                  "input": {"before": small_pre, "after": small_post, "method": "exact"},
                  "expected": {"statistic": r.statistic, "pvalue": r.pvalue, "method": "exact"},
                  "tolerance": 1e-12})
    # Floating noise: tenths as floats (0.3 − 0.1 ≠ 0.2 in binary) must rank
    # like the exact integers; reference: scipy on the data × 10 (integers).
    pre_f = [0.1, 0.2, 0.3, 0.1, 0.5, 0.2, 0.4, 0.1, 0.3, 0.2, 0.6, 0.7]
    post_f = [0.3, 0.4, 0.1, 0.3, 0.7, 0.4, 0.3, 0.4, 0.6, 0.1, 0.9, 0.8]
    pre_i = [round(v * 10) for v in pre_f]
    post_i = [round(v * 10) for v in post_f]
    r = wil(post_i, pre_i)
    cases.append({"name": "floating-noise-ties", "op": "stats.wilcoxon",
                  "input": {"before": pre_f, "after": post_f},
                  "expected": {"statistic": r.statistic, "pvalue": r.pvalue, "ties": True,
                               "method": "permutation"},
                  "tolerance": 1e-12})
    # Missing pairs are left out.
    pre_m = before[:] + [None, 50.0]
    post_m = after[:] + [42.0, None]
    cases.append({"name": "missing-pairs-omitted", "op": "stats.wilcoxon",
                  "input": {"before": pre_m, "after": post_m},
                  "expected": {"statistic": 24.0, "pvalue": 0.041259765625, "n": 15, "missing": 2}})
    cases += [
        {"name": "error-length-mismatch", "op": "stats.wilcoxon",
         "input": {"before": [1, 2, 3], "after": [1, 2]},
         "error": {"code": "shape_mismatch", "location": "after"}},
        {"name": "error-all-zero", "op": "stats.wilcoxon",
         "input": {"before": [1, 2, 3], "after": [1, 2, 3]},
         "error": {"code": "insufficient_data"}},
        {"name": "error-alternative", "op": "stats.wilcoxon",
         "input": {"differences": [1, 2], "alternative": "bigger"},
         "error": {"code": "parse_error", "location": "alternative"}},
        {"name": "error-method", "op": "stats.wilcoxon",
         "input": {"differences": [1, 2], "method": "bootstrap"},
         "error": {"code": "parse_error", "location": "method"}},
        {"name": "error-missing-after", "op": "stats.wilcoxon",
         "input": {"before": [1, 2]},
         "error": {"code": "missing_value", "location": "after"}},
    ]
    write("stats-wilcoxon.json",
          "Wilcoxon signed-rank test of after − before: exact, permutation, asymptotic; zeros, ties, floating noise",
          f"{VERSIONS}: scipy.stats.wilcoxon(after, before, nan_policy='omit', ...) "
          "(correction=True where kompetens' default applies); rank-biserial from pingouin.wilcoxon(after, before)['RBC']; "
          "Darwin's Zea mays differences from the scipy documentation (exact two-sided p 0.041259765625)",
          cases)

    # Paired t.
    pt = []
    for alt in ["two-sided", "greater", "less"]:
        r = stats.ttest_rel(post, pre, alternative=alt)
        ci = r.confidence_interval(0.95)
        dd = post - pre
        pt.append({"name": f"likert-{alt}", "op": "stats.paired_t",
                   "input": {"before": pre.tolist(), "after": post.tolist(), "alternative": alt},
                   "expected": {"t": r.statistic, "pvalue": r.pvalue, "df": float(r.df),
                                "ci": [ci.low, ci.high], "n": 30,
                                "mean_difference": float(dd.mean()),
                                "sd_difference": float(dd.std(ddof=1)),
                                "d_z": float(dd.mean() / dd.std(ddof=1))},
                   "tolerance": 1e-9})
    r = stats.ttest_rel(after, before)
    ci = r.confidence_interval(0.9)
    dd = np.array(DARWIN, float)
    pt.append({"name": "darwin-ci-90", "op": "stats.paired_t",
               "input": {"before": before, "after": after, "ci_level": 0.9},
               "expected": {"t": r.statistic, "pvalue": r.pvalue, "ci": [ci.low, ci.high],
                            "d_z": float(dd.mean() / dd.std(ddof=1))},
               "tolerance": 1e-9})
    pt += [
        {"name": "constant-differences", "op": "stats.paired_t",
         "input": {"before": [1, 2, 3], "after": [2, 3, 4]},
         "expected": {"mean_difference": 1.0, "sd_difference": 0.0, "t": None, "pvalue": None,
                      "d_z": None}},
        {"name": "error-one-pair", "op": "stats.paired_t",
         "input": {"before": [1, None], "after": [2, 3]},
         "error": {"code": "insufficient_data"}},
    ]
    # stats.paired bundles t, Wilcoxon and means.
    r = stats.ttest_rel(after, before)
    pt.append({"name": "paired-darwin", "op": "stats.paired",
               "input": {"before": before, "after": after},
               "expected": {"n": 15, "missing": 0, "mean_before": float(np.mean(before)),
                            "mean_after": float(np.mean(after)),
                            "mean_difference": float(dd.mean()),
                            "d_z": float(dd.mean() / dd.std(ddof=1)),
                            "t_test": {"t": r.statistic, "pvalue": r.pvalue},
                            "wilcoxon": {"statistic": 24.0, "pvalue": 0.041259765625}},
               "tolerance": 1e-9})
    pt.append({"name": "paired-no-change", "op": "stats.paired",
               "input": {"before": [1, 2, 3], "after": [1, 2, 3]},
               "expected": {"n": 3, "mean_difference": 0.0, "wilcoxon": None, "d_z": None}})
    write("stats-paired.json", "Paired t-test, d_z and the combined paired comparison (after − before)",
          f"{VERSIONS}: scipy.stats.ttest_rel(after, before, alternative=...) with confidence_interval(); "
          "d_z = mean/sd(ddof=1) by numpy; Wilcoxon values as in stats-wilcoxon.json", pt)


# --------------------------------------------------------------- surveys

INSTRUMENT = {
    "id": "mini-digcomp",
    "name": {"en": "Mini self-assessment", "sv": "Mini-självskattning"},
    "framework": "digcomp-2.2",
    "scales": [
        {"id": "sat4", "min": 0, "max": 3,
         "labels": [{"en": "I don't know", "sv": "Jag vet inte"}, {"en": "A little"},
                    {"en": "Quite well"}, {"en": "Very well"}]},
        {"id": "agree5", "min": 1, "max": 5},
    ],
    "items": [
        {"id": "q1", "text": {"en": "I can search the web", "sv": "Jag kan söka på webben"},
         "target": "1.1", "scale": "sat4", "kind": "skill"},
        {"id": "q2", "text": {"en": "Search engines confuse me"}, "target": "1.1",
         "scale": "agree5", "reverse": True, "kind": "attitude"},
        {"id": "q3", "text": {"en": "I check sources"}, "target": "1.2", "scale": "sat4",
         "weight": 2, "kind": "skill"},
        {"id": "q4", "text": {"en": "I know what a fact-checker is"}, "target": "1.2",
         "scale": "sat4", "kind": "knowledge"},
        {"id": "q5", "text": {"en": "I use video calls"}, "target": "2.1", "scale": "agree5"},
        {"id": "q6", "text": {"en": "I share files"}, "target": "2.1", "scale": "agree5"},
        {"id": "q7", "text": {"en": "I chat with colleagues"}, "target": "2.1", "scale": "agree5"},
    ],
}
SCALES = {"q1": (0, 3), "q2": (1, 5), "q3": (0, 3), "q4": (0, 3), "q5": (1, 5), "q6": (1, 5),
          "q7": (1, 5)}
REVERSE = {"q2"}
WEIGHT = {"q3": 2.0}
TARGET = {"q1": "1.1", "q2": "1.1", "q3": "1.2", "q4": "1.2", "q5": "2.1", "q6": "2.1", "q7": "2.1"}
AREA = {"1.1": "1", "1.2": "1", "2.1": "2"}
ITEMS = list(SCALES)
# Columns deliberately in another order than the instrument.
COLS = ["q3", "q1", "q2", "q4", "q7", "q6", "q5"]
ANSWERS = [
    # q3 q1 q2  q4  q7  q6  q5
    [3, 2, 1, 3, 5, 4, 5],
    [1, 0, 4, None, 2, None, None],
    [None, None, None, 2, 1, 1, 1],
    [2, 3, 2, 0, 3, 3, 4],
]
IDS = ["anna", "bo", "cia", "dan"]


def pandas_scores(min_answered=0.5, basis="count", area_method="items"):
    """An independent pandas implementation of the documented scoring rules."""
    df = pd.DataFrame(ANSWERS, columns=COLS, dtype="float")[ITEMS]
    r = pd.DataFrame({q: ((SCALES[q][1] - df[q]) if q in REVERSE else (df[q] - SCALES[q][0]))
                      / (SCALES[q][1] - SCALES[q][0]) for q in ITEMS})
    w = pd.Series({q: WEIGHT.get(q, 1.0) for q in ITEMS})
    b = w if basis == "weight" else pd.Series(1.0, index=ITEMS)

    def group(qs):
        ans = r[qs].notna()
        share = (ans * b[qs]).sum(axis=1) / b[qs].sum()
        score = (r[qs] * w[qs]).sum(axis=1) / (ans * w[qs]).sum(axis=1)
        ok = (share >= min_answered - 1e-12) & (ans.sum(axis=1) > 0)
        reason = np.where(ans.sum(axis=1) == 0, "no_answers",
                          np.where(ok, None, "too_few_answers"))
        return score.where(ok), share, reason

    targets = ["1.1", "1.2", "2.1"]
    out = {t: group([q for q in ITEMS if TARGET[q] == t]) for t in targets}
    areas = {}
    for a in ["1", "2"]:
        if area_method == "items":
            areas[a] = group([q for q in ITEMS if AREA[TARGET[q]] == a])
        else:
            ts = [t for t in targets if AREA[t] == a]
            sc = pd.DataFrame({t: out[t][0] for t in ts})
            n_ok = sc.notna().sum(axis=1)
            share = n_ok / len(ts)
            ok = (share >= min_answered - 1e-12) & (n_ok > 0)
            reason = np.where(n_ok == 0, "no_answers", np.where(ok, None, "too_few_answers"))
            areas[a] = (sc.mean(axis=1).where(ok), share, reason)
    return targets, out, areas


def digcompsat(score):
    # Bands: Low < 0.30 ≤ Foundation < 0.48 ≤ Intermediate < 0.81 ≤ Advanced
    # with levels 0 / 1 / 3 / 5 (documented assumption).
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None, None
    for lo, level, label in [(0.81, 5, "advanced"), (0.48, 3, "intermediate"),
                             (0.30, 1, "foundation")]:
        if score >= lo - 1e-9:
            return level, label
    return 0, "low"


def floor8(score):
    if score is None or math.isnan(score):
        return None, None
    return min(8, max(1, math.floor(8 * score + 1e-9))), None


def entries(ids, triples, i, classify):
    out = []
    for key in ids:
        score, share, reason = triples[key]
        s = score.iloc[i]
        s = None if pd.isna(s) else float(s)
        level, label = classify(s if s is not None else float("nan"))
        out.append({"id": key, "score": s, "percent": None if s is None else 100 * s,
                    "level": level, "label": label, "answered": float(share.iloc[i]),
                    "reason": reason[i]})
    return out


def report(classify, **kw):
    targets, out, areas = pandas_scores(**kw)
    return {
        "instrument": "mini-digcomp", "framework": "digcomp-2.2",
        "targets": targets, "areas": ["1", "2"],
        "respondents": [
            {"index": i, "id": IDS[i], "scores": entries(targets, out, i, classify),
             "areas": entries(["1", "2"], areas, i, classify)}
            for i in range(len(ANSWERS))
        ],
    }


def survey_cases():
    responses = {"items": COLS, "rows": ANSWERS, "ids": IDS}
    # Hand check of respondent 0 (anna), target 1.1: q1 = 2 on 0..3 → 2/3;
    # q2 = 1 on 1..5 reversed → (5 − 1)/4 = 1; mean 5/6.
    _, out, _ = pandas_scores()
    assert abs(out["1.1"][0].iloc[0] - 5 / 6) < 1e-15
    cases = [
        {"name": "digcompsat-default", "op": "survey.score",
         "input": {"instrument": INSTRUMENT, "responses": responses},
         "expected": report(digcompsat)},
        {"name": "floor8-min-answered-0.6", "op": "survey.score",
         "input": {"instrument": INSTRUMENT, "responses": responses, "strategy": "floor8",
                   "min_answered": 0.6},
         "expected": report(floor8, min_answered=0.6)},
        {"name": "weight-basis-area-by-competences", "op": "survey.score",
         "input": {"instrument": INSTRUMENT, "responses": responses, "basis": "weight",
                   "area_method": "competences", "min_answered": 0.7},
         "expected": report(digcompsat, basis="weight", area_method="competences",
                            min_answered=0.7)},
    ]
    bands = [{"min": 0, "level": 1, "label": "beginner"}, {"min": 0.5, "level": 4, "label": "able"},
             {"min": 0.9, "level": 7, "label": "expert"}]

    def custom(s):
        if s is None or math.isnan(s):
            return None, None
        for b in reversed(bands):
            if s >= b["min"] - 1e-9:
                return b["level"], b["label"]
        return None, None

    cases.append({"name": "custom-thresholds", "op": "survey.score",
                  "input": {"instrument": INSTRUMENT, "responses": responses,
                            "strategy": {"kind": "thresholds", "bands": bands}},
                  "expected": report(custom)})
    # One respondent's answers by item id (a web form).
    one = dict(zip(COLS, ANSWERS[0]))
    rep = report(digcompsat)
    cases.append({"name": "form-answers-one-respondent", "op": "survey.score",
                  "input": {"instrument": INSTRUMENT, "answers": one},
                  "expected": {"targets": rep["targets"],
                               "respondents": [dict(rep["respondents"][0], id=None) | {"index": 0}]}})
    cases[-1]["expected"]["respondents"][0].pop("id")
    # Without a framework: targets in first-appearance order, no areas.
    no_fw = {k: v for k, v in INSTRUMENT.items() if k != "framework"}
    cases.append({"name": "no-framework-no-areas", "op": "survey.score",
                  "input": {"instrument": no_fw, "responses": responses},
                  "expected": {"framework": None, "targets": ["1.1", "1.2", "2.1"], "areas": [],
                               "respondents": [{"index": i, "id": IDS[i],
                                                "scores": e["scores"], "areas": []}
                                               for i, e in enumerate(rep["respondents"])]}})
    # Errors.
    bad_rows = [list(r) for r in ANSWERS]
    bad_rows[1][4] = 7   # q7 on 1..5
    bad_rows[3][0] = 4   # q3 on 0..3
    bad_scale = json.loads(json.dumps(INSTRUMENT))
    bad_scale["items"][3]["scale"] = {"min": 2, "max": 2}
    unknown_target = json.loads(json.dumps(INSTRUMENT))
    unknown_target["items"][0]["target"] = "9.9"
    cases += [
        {"name": "error-out-of-scale-first-of-two", "op": "survey.score",
         "input": {"instrument": INSTRUMENT, "responses": {"items": COLS, "rows": bad_rows, "ids": IDS}},
         "error": {"code": "value_out_of_scale", "location": "responses.rows[1][4]"}},
        {"name": "error-unknown-item-column", "op": "survey.score",
         "input": {"instrument": INSTRUMENT,
                   "responses": {"items": COLS[:-1] + ["q8"], "rows": ANSWERS}},
         "error": {"code": "unknown_reference", "location": "responses.items[6]"}},
        {"name": "error-missing-item-column", "op": "survey.score",
         "input": {"instrument": INSTRUMENT,
                   "responses": {"items": COLS[:-1], "rows": [r[:-1] for r in ANSWERS]}},
         "error": {"code": "missing_value", "location": "responses.items"}},
        {"name": "error-ragged-row", "op": "survey.score",
         "input": {"instrument": INSTRUMENT,
                   "responses": {"items": COLS, "rows": [ANSWERS[0], ANSWERS[1][:3]]}},
         "error": {"code": "shape_mismatch", "location": "responses.rows[1]"}},
        {"name": "error-bad-item-scale", "op": "survey.score",
         "input": {"instrument": bad_scale, "responses": responses},
         "error": {"code": "invalid_scale", "location": "instrument.items[3].scale"}},
        {"name": "error-unknown-competence", "op": "survey.score",
         "input": {"instrument": unknown_target, "responses": responses},
         "error": {"code": "unknown_competence", "location": "instrument.items[0].target"}},
        {"name": "error-min-answered", "op": "survey.score",
         "input": {"instrument": INSTRUMENT, "responses": responses, "min_answered": 1.5},
         "error": {"code": "invalid_value", "location": "min_answered"}},
        {"name": "error-unknown-strategy", "op": "survey.score",
         "input": {"instrument": INSTRUMENT, "responses": responses, "strategy": "median"},
         "error": {"code": "invalid_value", "location": "strategy"}},
        {"name": "error-form-out-of-scale", "op": "survey.score",
         "input": {"instrument": INSTRUMENT, "answers": {"q1": 5}},
         "error": {"code": "value_out_of_scale", "location": "answers.q1"}},
    ]
    write("survey-score.json",
          "Survey scoring per competence and area: rescaling, reverse keying, weights, missing-answer rule, level strategies",
          f"independent pandas {pd.__version__} implementation of the documented rules "
          "(tests/vectors/reference/make_stats_survey_dsi.py: pandas_scores); hand check: "
          "anna 1.1 = (2/3 + (5−1)/4)/2 = 5/6", cases)

    # Levels: DigCompSAT band boundaries and floor8, written out by hand.
    scores = [0.0, 0.29, 0.2999, 0.3, 0.9 / 3, 0.47, 0.4799, 0.48, 0.8, 0.8099, 0.81, 1.0, None]
    sat = [(0, "low"), (0, "low"), (0, "low"), (1, "foundation"), (1, "foundation"),
           (1, "foundation"), (1, "foundation"), (3, "intermediate"), (3, "intermediate"),
           (3, "intermediate"), (5, "advanced"), (5, "advanced"), (None, None)]
    f8 = [1, 2, 2, 2, 2, 3, 3, 3, 6, 6, 6, 8, None]  # ⌊8s⌋ clamped to 1..8
    lv = [{"name": "digcompsat-band-boundaries", "op": "survey.levels",
           "input": {"scores": scores, "strategy": "digcompsat"},
           "expected": [{"score": s, "percent": None if s is None else 100 * s,
                         "level": l, "label": b} for s, (l, b) in zip(scores, sat)]},
          {"name": "digcompsat-is-default", "op": "survey.levels",
           "input": {"scores": [0.2999, 0.3]},
           "expected": [{"level": 0, "label": "low"}, {"level": 1, "label": "foundation"}]},
          {"name": "floor8", "op": "survey.levels",
           "input": {"scores": scores, "strategy": {"kind": "floor8"}},
           "expected": [{"level": l, "label": None} for l in f8]},
          {"name": "floor8-exact-eighths", "op": "survey.levels",
           "input": {"scores": [0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875], "strategy": "floor8"},
           "expected": [{"level": l} for l in [1, 2, 3, 4, 5, 6, 7]]},
          {"name": "thresholds", "op": "survey.levels",
           "input": {"scores": [0.1, 0.5, 0.95],
                     "strategy": {"kind": "thresholds", "bands": bands}},
           "expected": [{"level": 1, "label": "beginner"}, {"level": 4, "label": "able"},
                        {"level": 7, "label": "expert"}]},
          {"name": "error-thresholds-not-increasing", "op": "survey.levels",
           "input": {"scores": [0.1], "strategy": {"kind": "thresholds", "bands": [
               {"min": 0, "level": 1}, {"min": 0.6, "level": 2}, {"min": 0.5, "level": 3}]}},
           "error": {"code": "invalid_scale", "location": "strategy.bands[2].min"}},
          {"name": "error-thresholds-first-not-zero", "op": "survey.levels",
           "input": {"scores": [0.1], "strategy": {"kind": "thresholds", "bands": [
               {"min": 0.2, "level": 1}]}},
           "error": {"code": "invalid_scale", "location": "strategy.bands[0].min"}},
          {"name": "error-score-outside-unit", "op": "survey.levels",
           "input": {"scores": [1.2]},
           "error": {"code": "invalid_value", "location": "scores[0]"}}]
    write("survey-levels.json", "Level strategies: DigCompSAT band boundaries, floor8, custom thresholds",
          "hand-worked: DigCompSAT bands Low 0–29 %, Foundation 30–47 %, Intermediate 48–80 %, "
          "Advanced 81–100 % read as lower bounds 0.30/0.48/0.81 (≥); levels 0/1/3/5 (documented "
          "assumption); floor8 = ⌊8·score⌋ clamped to 1..8 (REFERENCE §3)", lv)

    # Assessments for gap reports (source self by default, or test).
    _, out, _ = pandas_scores()
    ass = []
    for i, pid in enumerate(IDS):
        ratings = []
        for t in ["1.1", "1.2", "2.1"]:
            s = out[t][0].iloc[i]
            if not pd.isna(s):
                ratings.append({"competence": t, "level": digcompsat(float(s))[0], "source": "self"})
        ass.append({"person": pid, "ratings": ratings})
    test_ass = json.loads(json.dumps(ass))
    for a in test_ass:
        for r in a["ratings"]:
            r["source"] = "test"
    cases = [
        {"name": "self-assessment", "op": "survey.assessments",
         "input": {"instrument": INSTRUMENT, "responses": responses},
         "expected": ass},
        {"name": "test-source", "op": "survey.assessments",
         "input": {"instrument": INSTRUMENT, "responses": responses, "source": "test"},
         "expected": test_ass},
        {"name": "error-needs-framework", "op": "survey.assessments",
         "input": {"instrument": no_fw, "responses": responses},
         "error": {"code": "missing_value", "location": "framework"}},
    ]
    write("survey-assessments.json", "Survey scores as sourced ratings (assessments) for gap reports",
          "levels as in survey-score.json (DigCompSAT bands of the pandas scores); missing scores give no rating",
          cases)

    # Instrument loading and validation paths.
    toml_text = """id = "t"
scale = { min = 1, max = 5 }

[[items]]
id = "a"
target = "1.1"
text = { en = "I can search", sv = "Jag kan söka" }
kind = "skill"

[[items]]
id = "b"
target = "1.1"
reverse = true
weight = 2.0
"""
    dup = json.loads(json.dumps(INSTRUMENT))
    dup["items"][4]["id"] = "q1"
    labels = json.loads(json.dumps(INSTRUMENT))
    labels["scales"][0]["labels"] = labels["scales"][0]["labels"][:3]
    no_scale = {"id": "x", "items": [{"id": "a", "target": "1.1"}]}
    weight0 = json.loads(json.dumps(INSTRUMENT))
    weight0["items"][2]["weight"] = 0
    ins = [
        {"name": "json-round-trip", "op": "survey.instrument",
         "input": {"instrument": INSTRUMENT},
         "expected": {"id": "mini-digcomp", "items": [{"id": q} for q in ITEMS]}},
        {"name": "toml", "op": "survey.instrument",
         "input": {"text": toml_text, "format": "toml"},
         "expected": {"id": "t", "scale": {"min": 1, "max": 5},
                      "items": [{"id": "a", "target": "1.1", "kind": "skill",
                                 "text": {"en": "I can search", "sv": "Jag kan söka"}},
                                {"id": "b", "target": "1.1", "reverse": True, "weight": 2}]}},
        {"name": "error-duplicate-item", "op": "survey.instrument", "input": {"instrument": dup},
         "error": {"code": "duplicate_id", "location": "instrument.items[4].id"}},
        {"name": "error-label-count", "op": "survey.instrument", "input": {"instrument": labels},
         "error": {"code": "invalid_scale", "location": "instrument.scales[0].labels"}},
        {"name": "error-no-scale", "op": "survey.instrument", "input": {"instrument": no_scale},
         "error": {"code": "missing_value", "location": "instrument.items[0].scale"}},
        {"name": "error-weight", "op": "survey.instrument", "input": {"instrument": weight0},
         "error": {"code": "invalid_weight", "location": "instrument.items[2].weight"}},
        {"name": "error-unknown-field", "op": "survey.instrument",
         "input": {"instrument": {"id": "x", "items": [], "colour": "red"}},
         "error": {"code": "parse_error"}},
    ]
    write("survey-instrument.json", "Loading and validating instruments (JSON and TOML)",
          "hand-written instruments; validation rules of core/src/survey/instrument.rs", ins)


# -------------------------------------------------------------------- DSI

def dsi_cases():
    # Hand-worked with Eurostat's thresholds (REFERENCE §2): information and
    # communication basic = 1, above ≥ 2; content, safety, problem solving
    # basic = 1–2, above ≥ 3.
    def res(counts, levels, k, cat):
        areas = ["information", "communication", "content", "safety", "problem_solving"]
        return {"areas": [{"area": a, "count": c, "level": l} for a, c, l in zip(areas, counts, levels)],
                "areas_at_least_basic": k, "category": cat,
                "at_least_basic": cat in ("basic", "above_basic")}
    N, B, A = "none", "basic", "above_basic"
    table = [
        ("all-above-basic-at-thresholds", [2, 2, 3, 3, 3], [A, A, A, A, A], 5, "above_basic"),
        ("content-two-is-basic", [2, 2, 2, 3, 3], [A, A, B, A, A], 5, "basic"),
        ("information-one-is-basic", [1, 5, 5, 5, 5], [B, A, A, A, A], 5, "basic"),
        ("all-basic", [1, 1, 1, 1, 1], [B, B, B, B, B], 5, "basic"),
        ("four-areas-low", [0, 5, 5, 5, 5], [N, A, A, A, A], 4, "low"),
        ("three-areas-narrow", [0, 0, 5, 2, 1], [N, N, A, B, B], 3, "narrow"),
        ("two-areas-limited", [3, 0, 0, 0, 1], [A, N, N, N, B], 2, "limited"),
        ("one-area-no-skills", [0, 0, 0, 0, 9], [N, N, N, N, A], 1, "no_skills"),
        ("zero-no-skills", [0, 0, 0, 0, 0], [N, N, N, N, N], 0, "no_skills"),
    ]
    cases = [{"name": n, "op": "dsi.classify", "input": {"counts": c},
              "expected": res(c, l, k, cat)} for n, c, l, k, cat in table]
    cases.append({"name": "object-form", "op": "dsi.classify",
                  "input": {"counts": {"information": 2, "communication": 1, "content": 0,
                                       "safety": 3, "problem_solving": 1}},
                  "expected": res([2, 1, 0, 3, 1], [A, B, N, A, B], 4, "low")})
    cases.append({"name": "not-assessed", "op": "dsi.classify", "input": {"counts": None},
                  "expected": {"areas": [], "category": "not_assessed", "at_least_basic": False}})
    # Custom thresholds: content above basic from 2 → [2,2,2,3,3] becomes above basic.
    custom = {"areas": [{"area": "information", "basic": 1, "above_basic": 2},
                        {"area": "communication", "basic": 1, "above_basic": 2},
                        {"area": "content", "basic": 1, "above_basic": 2},
                        {"area": "safety", "basic": 1, "above_basic": 3},
                        {"area": "problem_solving", "basic": 1, "above_basic": 3}]}
    cases.append({"name": "custom-thresholds", "op": "dsi.classify",
                  "input": {"counts": [2, 2, 2, 3, 3], "thresholds": custom},
                  "expected": {"category": "above_basic"}})
    bad_t = json.loads(json.dumps(custom))
    bad_t["areas"][3]["above_basic"] = 1
    cases += [
        {"name": "error-four-counts", "op": "dsi.classify", "input": {"counts": [1, 1, 1, 1]},
         "error": {"code": "shape_mismatch", "location": "counts"}},
        {"name": "error-negative", "op": "dsi.classify", "input": {"counts": [1, -1, 1, 1, 1]},
         "error": {"code": "invalid_value", "location": "counts[1]"}},
        {"name": "error-fraction", "op": "dsi.classify", "input": {"counts": [1, 1.5, 1, 1, 1]},
         "error": {"code": "invalid_value", "location": "counts[1]"}},
        {"name": "error-unknown-area", "op": "dsi.classify",
         "input": {"counts": {"information": 1, "communication": 1, "content": 1, "safety": 1,
                              "problem_solving": 1, "ai": 2}},
         "error": {"code": "unknown_reference", "location": "counts.ai"}},
        {"name": "error-missing-area", "op": "dsi.classify",
         "input": {"counts": {"information": 1, "communication": 1, "content": 1, "safety": 1}},
         "error": {"code": "missing_value", "location": "counts.problem_solving"}},
        {"name": "error-thresholds-order", "op": "dsi.classify",
         "input": {"counts": [1, 1, 1, 1, 1], "thresholds": bad_t},
         "error": {"code": "invalid_scale", "location": "thresholds.areas[3]"}},
    ]
    cases.append({"name": "default-thresholds", "op": "dsi.thresholds", "input": {},
                  "expected": {"areas": [
                      {"area": "information", "basic": 1, "above_basic": 2},
                      {"area": "communication", "basic": 1, "above_basic": 2},
                      {"area": "content", "basic": 1, "above_basic": 3},
                      {"area": "safety", "basic": 1, "above_basic": 3},
                      {"area": "problem_solving", "basic": 1, "above_basic": 3}]}})
    write("dsi-classify.json", "Eurostat DSI 2.0 per-area levels and overall category",
          "hand-worked from Eurostat's DSI 2.0 thresholds (REFERENCE §2); k ≤ 1 → no_skills is the documented assumption",
          cases)

    # Summaries. Table of 8 persons: categories by hand:
    # above_basic, basic, basic, low, narrow, no_skills, not_assessed, limited.
    tbl = [[2, 2, 3, 3, 3], [1, 1, 1, 1, 1], [2, 2, 2, 3, 3], [0, 5, 5, 5, 5],
           [0, 0, 5, 2, 1], [0, 0, 0, 0, 0], None, [3, 0, 0, 0, 1]]
    cats = ["above_basic", "basic", "low", "narrow", "limited", "no_skills", "not_assessed"]
    counts = {"above_basic": 1, "basic": 2, "low": 1, "narrow": 1, "limited": 1, "no_skills": 1,
              "not_assessed": 1}
    unweighted = {"n": 8, "total_weight": 8.0,
                  "categories": [{"category": c, "count": counts[c], "weight": float(counts[c]),
                                  "share": counts[c] / 8} for c in cats],
                  "at_least_basic": 3 / 8, "at_least_basic_of_assessed": 3 / 7}
    w = [1.0, 2.0, 0.5, 1.5, 1.0, 1.0, 2.0, 1.0]  # total 10
    wsum = {"above_basic": 1.0, "basic": 2.5, "low": 1.5, "narrow": 1.0, "limited": 1.0,
            "no_skills": 1.0, "not_assessed": 2.0}
    weighted = {"n": 8, "total_weight": 10.0,
                "categories": [{"category": c, "count": counts[c], "weight": wsum[c],
                                "share": wsum[c] / 10} for c in cats],
                "at_least_basic": 3.5 / 10, "at_least_basic_of_assessed": 3.5 / 8}
    sm = [
        {"name": "unweighted", "op": "dsi.summarise", "input": {"counts_table": tbl},
         "expected": unweighted},
        {"name": "weighted", "op": "dsi.summarise", "input": {"counts_table": tbl, "weights": w},
         "expected": weighted},
        {"name": "from-categories", "op": "dsi.summarise",
         "input": {"categories": ["above_basic", "basic", "basic", "low", "narrow", "no_skills",
                                  "not_assessed", "limited"], "weights": w},
         "expected": weighted},
        {"name": "error-weights-length", "op": "dsi.summarise",
         "input": {"counts_table": tbl, "weights": [1, 2]},
         "error": {"code": "shape_mismatch", "location": "weights"}},
        {"name": "error-negative-weight", "op": "dsi.summarise",
         "input": {"counts_table": [[1, 1, 1, 1, 1]], "weights": [-1]},
         "error": {"code": "invalid_weight", "location": "weights[0]"}},
        {"name": "error-empty", "op": "dsi.summarise", "input": {"counts_table": []},
         "error": {"code": "insufficient_data"}},
        {"name": "error-bad-row", "op": "dsi.summarise",
         "input": {"counts_table": [[1, 1, 1, 1, 1], [1, 1]]},
         "error": {"code": "shape_mismatch", "location": "counts_table[1]"}},
    ]
    write("dsi-summarise.json", "DSI 2.0 population summary: shares per category and at least basic, optionally weighted",
          "hand-worked: 8 persons classified by hand; shares over all persons (not assessed included); "
          "weighted shares = category weight / total weight 10", sm)


if __name__ == "__main__":
    alpha_cases()
    ordinal_cases()
    wilcoxon_cases()
    survey_cases()
    dsi_cases()
