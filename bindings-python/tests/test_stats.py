"""kompetens.stats against independent implementations computed here at run
time — pingouin (Cronbach's α), pandas (covariances, correlations, item
statistics, shares), scipy (Wilcoxon, paired t, F distribution) and the
standard library (statistics.median_grouped) — and against published
numbers (pingouin's own α test set, Darwin's corn data in the scipy
documentation)."""

from __future__ import annotations

import math
import statistics
import threading

import numpy as np
import pandas as pd
import pytest

import kompetens
from kompetens import stats

pg = pytest.importorskip("pingouin")
scipy_stats = pytest.importorskip("scipy.stats")


def likert(n: int, k: int, missing: float, seed: int, levels: int = 5) -> np.ndarray:
    """Correlated 1..levels answers (one latent trait) with NaN holes."""
    rng = np.random.default_rng(seed)
    trait = rng.normal(size=(n, 1))
    x = np.clip(np.round((levels + 1) / 2 + trait + rng.normal(scale=1.2, size=(n, k))), 1, levels)
    x[rng.random((n, k)) < missing] = np.nan
    return x


# --- Cronbach's alpha -------------------------------------------------------


def test_alpha_published_pingouin_test_set():
    # pingouin's documented example: alpha 0.5917188485995826, CI [0.195, 0.840].
    long = pg.read_dataset("cronbach_alpha")
    wide = long.pivot(index="Subj", columns="Items", values="Scores")
    r = stats.cronbach_alpha(wide)
    assert r.alpha == pytest.approx(0.5917188485995826, abs=1e-12)
    assert round(r.ci[0], 3) == 0.195 and round(r.ci[1], 3) == 0.840
    assert (r.n, r.k) == (15, 10)
    assert list(r.items.index) == list(wide.columns)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_alpha_matches_pingouin_pairwise_with_missing(seed):
    x = likert(400, 8, 0.08, seed)
    df = pd.DataFrame(x, columns=[f"q{i}" for i in range(8)])
    want_alpha, want_ci = pg.cronbach_alpha(df)
    r = stats.cronbach_alpha(df)
    assert r.alpha == pytest.approx(want_alpha, rel=1e-10)
    # pingouin rounds the CI to 3 decimals.
    assert r.ci[0] == pytest.approx(want_ci[0], abs=5e-4 + 1e-12)
    assert r.ci[1] == pytest.approx(want_ci[1], abs=5e-4 + 1e-12)
    # Feldt CI computed here with scipy's F distribution, unrounded.
    n, k = df.shape
    f = scipy_stats.f
    assert r.ci[0] == pytest.approx(1 - (1 - want_alpha) * f.isf(0.025, n - 1, (n - 1) * (k - 1)), rel=1e-9)
    assert r.ci[1] == pytest.approx(1 - (1 - want_alpha) * f.isf(0.975, n - 1, (n - 1) * (k - 1)), rel=1e-9)
    assert r.n == 400 and r.k == 8 and r.missing == "pairwise"


def test_alpha_standardised_average_r_and_items_match_pandas():
    x = likert(300, 6, 0.05, 7)
    df = pd.DataFrame(x, columns=list("abcdef"))
    r = stats.cronbach_alpha(df)
    # psych: R = cov2cor(C) of the pairwise covariance matrix (each variance
    # over all answers of the item), computed here with pandas.
    c = df.cov().to_numpy()
    sd = np.sqrt(np.diag(c))
    corr = c / np.outer(sd, sd)
    k = 6
    total_r = corr.sum()
    assert r.std_alpha == pytest.approx(k / (k - 1) * (1 - k / total_r), rel=1e-10)
    assert r.average_r == pytest.approx((total_r - k) / (k * (k - 1)), rel=1e-10)
    items = r.items
    assert list(items.index) == list("abcdef")
    assert items["n"].tolist() == df.count().tolist()
    np.testing.assert_allclose(items["mean"], df.mean(), rtol=1e-12)
    np.testing.assert_allclose(items["sd"], df.std(), rtol=1e-10)
    for col in df.columns:
        rest = df.drop(columns=col)
        # alpha if item deleted = pingouin on the other items
        assert items.loc[col, "alpha_if_deleted"] == pytest.approx(pg.cronbach_alpha(rest)[0], rel=1e-10)
        # r.drop from the pairwise covariance matrix (psych's definition),
        # computed with pandas: cov(item, rest total) / sqrt(var(item) var(rest total)).
        c = df.cov().to_numpy()
        i = list(df.columns).index(col)
        rest_var = c.sum() - 2 * c[i].sum() + c[i, i]
        want = (c[i].sum() - c[i, i]) / math.sqrt(c[i, i] * rest_var)
        assert items.loc[col, "r_drop"] == pytest.approx(want, rel=1e-10)


def test_alpha_r_drop_on_complete_data_is_the_item_rest_correlation():
    x = likert(250, 5, 0.0, 11)
    df = pd.DataFrame(x, columns=list("vwxyz"))
    r = stats.cronbach_alpha(df)
    for col in df.columns:
        want = df[col].corr(df.drop(columns=col).sum(axis=1))
        assert r.items.loc[col, "r_drop"] == pytest.approx(want, rel=1e-10)


def test_alpha_listwise_matches_pingouin_alpha():
    x = likert(200, 5, 0.06, 5)
    df = pd.DataFrame(x, columns=list("abcde"))
    want, _ = pg.cronbach_alpha(df, nan_policy="listwise")
    r = stats.cronbach_alpha(df, missing="listwise")
    complete = len(df.dropna())
    assert r.alpha == pytest.approx(want, rel=1e-10)
    assert r.n == complete
    # The CI uses the complete rows (pingouin 0.7 keeps all rows here).
    f = scipy_stats.f
    assert r.ci[0] == pytest.approx(1 - (1 - want) * f.isf(0.025, complete - 1, (complete - 1) * 4), rel=1e-9)


def test_alpha_same_for_every_input_kind():
    x = likert(500, 7, 0.03, 21)
    ref = stats.cronbach_alpha(x).to_dict()
    polars = pytest.importorskip("polars")
    inputs = [
        np.asfortranarray(x),
        pd.DataFrame(x),
        polars.DataFrame(x),
        [[None if v != v else float(v) for v in row] for row in x.tolist()],
        np.ascontiguousarray(x[:, ::-1])[:, ::-1],  # negative strides
    ]
    for data in inputs:
        got = stats.cronbach_alpha(data).to_dict()
        assert got["alpha"] == pytest.approx(ref["alpha"], rel=1e-12)
        assert got["ci"] == pytest.approx(ref["ci"], rel=1e-12)
        assert [i["r_drop"] for i in got["items"]] == pytest.approx([i["r_drop"] for i in ref["items"]], rel=1e-10)
    ints = np.nan_to_num(x, nan=3).astype(np.int64)
    assert stats.cronbach_alpha(ints).alpha == pytest.approx(stats.cronbach_alpha(ints.astype(float)).alpha, rel=1e-15)
    ro = x.copy()
    ro.setflags(write=False)
    assert stats.cronbach_alpha(ro).alpha == pytest.approx(ref["alpha"], rel=1e-15)


def test_alpha_large_parallel_path_matches_pingouin():
    # 40,000 × 30 (over the core's parallel threshold) with 2 % missing.
    x = likert(40_000, 30, 0.02, 99)
    df = pd.DataFrame(x)
    want, _ = pg.cronbach_alpha(df)
    r = stats.cronbach_alpha(df)
    assert r.alpha == pytest.approx(want, rel=1e-10)
    np.testing.assert_allclose(r.items["mean"], df.mean(), rtol=1e-12)


@pytest.mark.parametrize("levels,offset", [(5, 0), (11, -1), (101, -1), (7, 1000)])
def test_alpha_whole_number_path_equals_float_path_and_pingouin(levels, offset):
    # Whole-number answers take the core's exact packed cross products;
    # the same answers moved by 0.375 take the floating-point products.
    # Both must agree with each other and with pingouin (large enough to
    # use several threads and many blocks).
    x = likert(30_000, 37, 0.03, 17 + levels, levels=levels) + offset
    df = pd.DataFrame(x, columns=[f"q{i}" for i in range(37)])
    whole = stats.cronbach_alpha(df)
    moved = stats.cronbach_alpha(df + 0.375)
    want, _ = pg.cronbach_alpha(df)
    assert whole.alpha == pytest.approx(want, rel=1e-10)
    assert moved.alpha == pytest.approx(whole.alpha, rel=1e-12)
    a, b = whole.items, moved.items
    np.testing.assert_allclose(a["mean"] + 0.375, b["mean"], rtol=1e-12)
    for col in ("sd", "r_drop", "alpha_if_deleted", "std_alpha_if_deleted", "average_r_if_deleted"):
        np.testing.assert_allclose(a[col], b[col], rtol=1e-11, err_msg=col)
    np.testing.assert_allclose(a["sd"], df.std(), rtol=1e-11)
    assert whole.std_alpha == pytest.approx(moved.std_alpha, rel=1e-12)


def test_alpha_reverse_keying_equals_manual_recode():
    x = likert(150, 4, 0.05, 3)
    df = pd.DataFrame(x, columns=["a", "b", "c", "d"])
    df["d"] = 6 - df["d"]  # stored reverse keyed
    recoded = df.copy()
    recoded["d"] = 1 + 5 - recoded["d"]
    want = pg.cronbach_alpha(recoded)[0]
    assert stats.cronbach_alpha(df, scale=(1, 5), reverse=["d"]).alpha == pytest.approx(want, rel=1e-12)
    assert stats.cronbach_alpha(df.to_numpy(), scale={"min": 1, "max": 5}, reverse=[3]).alpha == pytest.approx(
        want, rel=1e-12
    )


def test_alpha_errors_name_the_bad_value():
    x = np.array([[1.0, 2.0], [2.0, 9.0], [3.0, 3.0]])
    with pytest.raises(kompetens.ValidationError) as e:
        stats.cronbach_alpha(x, scale=(1, 5))
    assert (e.value.code, e.value.location) == ("invalid_value", "data[1][1]")
    with pytest.raises(kompetens.ParseError) as e:
        stats.cronbach_alpha(x, missing="mean")
    assert e.value.location == "missing"
    with pytest.raises(kompetens.KompetensError) as e:
        stats.cronbach_alpha(x, reverse=["nope"], scale=(1, 9))
    assert e.value.location == "reverse[0]"
    with pytest.raises(kompetens.KompetensError) as e:
        stats.cronbach_alpha([[1, 2, 3], [1, 2]])
    assert (e.value.code, e.value.location) == ("shape_mismatch", "data[1]")
    with pytest.raises(kompetens.KompetensError) as e:
        stats.cronbach_alpha(pd.DataFrame({"a": [1, 2, 3], "b": ["x", 2, 3]}))
    assert e.value.code == "parse_error" and e.value.location.startswith("data[0]")
    with pytest.raises(kompetens.ValidationError) as e:
        stats.cronbach_alpha(np.array([[1.0, np.inf], [2.0, 1.0], [3.0, 2.0]]))
    assert e.value.location == "data[0][1]"


def test_alpha_runs_in_threads_without_the_gil():
    x = likert(20_000, 20, 0.02, 4)
    want = stats.cronbach_alpha(x).alpha
    out: list[float] = []
    threads = [threading.Thread(target=lambda: out.append(stats.cronbach_alpha(x).alpha)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out == [want] * 4


# --- ordinal summaries -----------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_interpolated_median_matches_statistics_median_grouped(seed):
    rng = np.random.default_rng(seed)
    values = rng.integers(1, 6, size=int(rng.integers(1, 60))).tolist()
    assert float(stats.interpolated_median(values)) == pytest.approx(statistics.median_grouped(values), rel=1e-12)
    assert float(stats.interpolated_median(values, interval=2)) == pytest.approx(
        statistics.median_grouped(values, 2), rel=1e-12
    )
    with_missing = pd.Series(values + [None, float("nan")], dtype="float64")
    m = stats.interpolated_median(with_missing)
    assert float(m) == pytest.approx(statistics.median_grouped(values), rel=1e-12)
    assert (m.n, m.missing) == (len(values), 2)


def test_interpolated_median_published_examples():
    # Python's documentation of median_grouped: 52, 52, 53, 54 → 52.5 with interval 1.
    assert float(stats.interpolated_median([52, 52, 53, 54])) == 52.5
    assert math.isnan(stats.interpolated_median([None, None]))
    assert stats.interpolated_median([None]).to_dict() == {"median": None, "n": 0, "missing": 1}


def test_top_box_and_distribution_match_pandas():
    rng = np.random.default_rng(8)
    s = pd.Series(rng.integers(1, 7, size=300), dtype="float64")
    s[rng.random(300) < 0.1] = np.nan
    valid = s.dropna()
    t = stats.top_box(s, (1, 6))
    assert (t.n, t.missing) == (len(valid), int(s.isna().sum()))
    assert t.top_box == pytest.approx((valid >= 6).mean(), rel=1e-12)
    assert t.top_two_box == pytest.approx((valid >= 5).mean(), rel=1e-12)
    assert t.bottom_box == pytest.approx((valid <= 1).mean(), rel=1e-12)
    assert t.bottom_two_box == pytest.approx((valid <= 2).mean(), rel=1e-12)
    d = stats.distribution(s, {"min": 1, "max": 6})
    counts = valid.value_counts().reindex(range(1, 7), fill_value=0)
    assert d.counts["count"].tolist() == counts.tolist()
    np.testing.assert_allclose(d.counts["share"], counts / len(valid), rtol=1e-12)
    assert list(d.counts.index) == [1, 2, 3, 4, 5, 6]


# --- paired comparisons ------------------------------------------------------------

DARWIN = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75]


def test_wilcoxon_darwin_published():
    # scipy documentation: exact two-sided p = 0.041259765625, statistic 24.
    r = stats.wilcoxon(differences=DARWIN)
    assert (r.statistic, r.pvalue, r.method) == (24.0, 0.041259765625, "exact")
    r = stats.wilcoxon([0] * 15, DARWIN, alternative="greater")
    want = scipy_stats.wilcoxon(DARWIN, alternative="greater")
    assert (r.statistic, r.pvalue) == (pytest.approx(want.statistic), pytest.approx(want.pvalue, rel=1e-12))


@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_wilcoxon_exact_matches_scipy(alternative):
    rng = np.random.default_rng(3)
    before = rng.normal(size=20)
    after = before + rng.normal(loc=0.3, size=20)
    r = stats.wilcoxon(before, after, alternative=alternative)
    # Sign convention: ours is after − before = scipy's wilcoxon(after, before).
    want = scipy_stats.wilcoxon(after, before, alternative=alternative, method="exact")
    assert r.method == "exact"
    assert r.statistic == pytest.approx(want.statistic, rel=1e-12)
    assert r.pvalue == pytest.approx(want.pvalue, rel=1e-10)


@pytest.mark.parametrize("correction", [True, False])
@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_wilcoxon_asymptotic_with_ties_matches_scipy(alternative, correction):
    rng = np.random.default_rng(12)
    before = rng.integers(1, 6, size=120).astype(float)
    after = np.clip(before + rng.integers(-1, 3, size=120), 1, 5).astype(float)
    before[[3, 40]] = np.nan  # pairs with a missing value are left out (nan_policy="omit")
    r = stats.wilcoxon(before, after, alternative=alternative, correction=correction)
    want = scipy_stats.wilcoxon(
        after, before, alternative=alternative, correction=correction, method="asymptotic", nan_policy="omit"
    )
    assert r.method == "asymptotic" and r.ties and r.missing == 2
    assert r.statistic == pytest.approx(want.statistic, rel=1e-12)
    assert r.pvalue == pytest.approx(want.pvalue, rel=1e-9)
    # rank-biserial from scipy's ranks of |d| (zeros dropped), computed here.
    d = (after - before)[~np.isnan(before)]
    d = d[d != 0]
    ranks = scipy_stats.rankdata(np.abs(d))
    r_plus, r_minus = ranks[d > 0].sum(), ranks[d < 0].sum()
    assert r.rank_biserial == pytest.approx((r_plus - r_minus) / (r_plus + r_minus), rel=1e-12)
    assert (r.r_plus, r.r_minus) == (pytest.approx(r_plus), pytest.approx(r_minus))


@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_paired_t_matches_scipy_ttest_rel(alternative):
    rng = np.random.default_rng(5)
    before = pd.Series(rng.normal(3, 1, size=40))
    after = before + rng.normal(0.2, 0.5, size=40)
    r = stats.paired_t(before, after, alternative=alternative)
    want = scipy_stats.ttest_rel(after, before, alternative=alternative)
    assert r.t == pytest.approx(want.statistic, rel=1e-10)
    assert r.statistic == r.t
    assert r.pvalue == pytest.approx(want.pvalue, rel=1e-9)
    assert r.df == want.df
    ci = want.confidence_interval(0.95)
    lo, hi = r.ci
    for ours, theirs in ((lo, ci.low), (hi, ci.high)):
        if math.isinf(theirs):
            assert ours is None
        else:
            assert ours == pytest.approx(theirs, rel=1e-9)
    d = after - before
    assert r.d_z == pytest.approx(d.mean() / d.std(), rel=1e-12)


def test_paired_combines_t_wilcoxon_and_means():
    before = [3, 4, 2, 5, 3, 4, 2, 3]
    after = [4, 4, 3, 5, 4, 5, 3, 3]
    p = stats.paired(before, after)
    assert p.mean_before == pytest.approx(np.mean(before))
    assert p.mean_after == pytest.approx(np.mean(after))
    assert p.t_test.t == pytest.approx(scipy_stats.ttest_rel(after, before).statistic, rel=1e-10)
    assert p.wilcoxon is not None and p.wilcoxon.rank_biserial == 1.0  # only increases
    assert stats.paired([1, 2, 3], [1, 2, 3]).wilcoxon is None  # no change
