"""Survey statistics with documented, exact definitions (all computed by the
Rust core, ``core/src/stats``).

- :func:`cronbach_alpha` — Cronbach's α raw and standardised, Feldt's
  confidence interval, average inter-item correlation and item statistics
  (valid n, mean, sd, corrected item–total correlation ``r_drop``, α if item
  deleted), as R ``psych::alpha`` and ``pingouin.cronbach_alpha`` compute
  them; missing answers ``pairwise`` (default) or ``listwise``.
- :func:`interpolated_median`, :func:`top_box`, :func:`distribution` —
  summaries of ordinal answers (the median is Python's
  ``statistics.median_grouped``).
- :func:`wilcoxon`, :func:`paired_t`, :func:`paired` — the same people
  measured twice. **Differences are ``after − before``**: positive means an
  increase, ``alternative="greater"`` tests whether ``after`` tends to
  exceed ``before``. ``scipy.stats.wilcoxon(x, y)`` uses ``x − y``, so
  ``wilcoxon(before, after)`` equals scipy's ``wilcoxon(after, before)``
  (with ``correction=True`` here by default, as R's ``wilcox.test``).

Data may be numpy arrays, pandas or polars DataFrames/Series or plain
sequences; ``NaN``/``None``/``pd.NA`` are missing answers. Numeric 2-D data
go to the core as arrays (a C- or F-ordered float64 array without any
copy), never through JSON; other inputs are checked by the core value by
value, so errors name the bad value (``data[3][1]``).

>>> import kompetens.stats as ks
>>> r = ks.cronbach_alpha([[1, 2, 2], [2, 2, 3], [3, 4, 3], [4, 4, 5]])
>>> round(r.alpha, 6)   # 46/49, worked out by hand in the core's docs
0.938776
>>> float(ks.interpolated_median([1, 3, 3, 3, 4, 5]))
3.1666666666666665
"""

from __future__ import annotations

import copy
import math
import numbers
from typing import Any, Iterable, Mapping

from . import _native, _tables
from ._api import call

__all__ = [
    "Reliability",
    "cronbach_alpha",
    "GroupedMedian",
    "interpolated_median",
    "TopBox",
    "top_box",
    "Distribution",
    "distribution",
    "WilcoxonResult",
    "wilcoxon",
    "PairedT",
    "paired_t",
    "PairedComparison",
    "paired",
]


class _Result:
    """A read-only result in the core's JSON shape."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        # Private: made by the functions of this module.
        self._data = data

    def to_dict(self) -> dict[str, Any]:
        """The result in the JSON shape of the core (a deep copy)."""
        return copy.deepcopy(dict(self._data))

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._data == self._data  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={self._data.get(k)!r}" for k in self._shown)
        return f"{type(self).__name__}({shown})"

    _shown: tuple[str, ...] = ()


# --- input conversion (shapes only: the core judges the values) -------------


def _numpy() -> Any:
    import numpy  # noqa: PLC0415 (numpy is a dependency; imported lazily)

    return numpy


def _is_real(v: Any) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool) and type(v).__name__ != "bool_"


def _label(c: Any) -> str:
    """A column label as an item name."""
    v = _tables.ident(c)
    return v if isinstance(v, str) else str(c)


def _matrix(data: Any) -> tuple[Any, Any, Any]:
    """``(array, names, labels)`` for the native path — a 2-D float64-able
    numpy array, the item names (``None`` when the data have none) and the
    original column labels — or ``(None, rows, labels)`` with JSON rows
    (``None`` = missing) for the core to check value by value."""
    kind = _tables._kind(data)
    if kind == "pandas":
        pd = _tables._pandas()
        labels = list(data.columns)
        names = [_label(c) for c in labels]
        types = pd.api.types
        if all(types.is_numeric_dtype(dt) and not types.is_bool_dtype(dt) for dt in data.dtypes):
            return _float_array(data), names, labels
        return None, [[_tables.cell(v) for v in row] for row in data.itertuples(index=False, name=None)], labels
    if kind == "polars":
        labels = list(data.columns)
        if all(dt.is_numeric() for dt in data.dtypes):
            np = _numpy()
            return np.asarray(data.to_numpy(), dtype=np.float64), list(labels), labels
        return None, [[_tables.cell(v) for v in row] for row in data.rows()], labels
    if kind == "numpy":
        if data.ndim == 2 and data.dtype.kind in "iuf":
            return data, None, None
        return None, [[_tables.cell(v) for v in row] if isinstance(row, list) else _tables.cell(row) for row in data.tolist()], None
    if isinstance(data, (str, bytes)) or not isinstance(data, Iterable):
        raise TypeError(f"data must be a 2-D array, a DataFrame or a list of rows, not {type(data).__name__}")
    rows = [list(r) if isinstance(r, (list, tuple)) or _tables._kind(r) == "numpy" else r for r in data]
    if rows and all(isinstance(r, list) for r in rows):
        width = len(rows[0])
        if width and all(len(r) == width and all(v is None or _is_real(v) for v in r) for r in rows):
            np = _numpy()
            array = np.array([[math.nan if v is None else float(v) for v in r] for r in rows], dtype=np.float64)
            return array, None, None
    return None, [[_tables.cell(v) for v in r] if isinstance(r, list) else r for r in rows], None


def _float_array(df: Any) -> Any:
    """A numeric pandas DataFrame as a float64 array: a view of the frame's
    own data when every column is numpy float64 (NaN is already missing),
    else a converted copy (nullable ``<NA>`` → ``NaN``)."""
    np = _numpy()
    if all(dt == np.float64 for dt in df.dtypes):
        return df.to_numpy()
    return df.to_numpy(dtype="float64", na_value=np.nan)


def _values(values: Any) -> list[Any]:
    """A 1-D input as JSON values (missing → ``None``)."""
    if values is None:
        raise TypeError("expected a sequence of values, not None")
    kind = _tables._kind(values)
    if kind == "numpy" and values.dtype.kind in "iuf" and values.ndim == 1:
        return [None if x != x else x for x in values.tolist()]
    if _tables._instance(values, "pandas", "Series"):
        pd = _tables._pandas()
        types = pd.api.types
        if types.is_numeric_dtype(values.dtype) and not types.is_bool_dtype(values.dtype):
            np = _numpy()
            return [None if x != x else x for x in values.to_numpy(dtype="float64", na_value=np.nan).tolist()]
    return [_tables.number(v) for v in _tables.to_list(values)]


def _scale(scale: Any) -> Any:
    """``(min, max)`` or ``{"min", "max", …}`` as the core's scale object."""
    if scale is None or isinstance(scale, Mapping):
        return None if scale is None else dict(scale)
    if isinstance(scale, (list, tuple)) and len(scale) == 2:
        return {"min": _tables.number(scale[0]), "max": _tables.number(scale[1])}
    lo, hi = getattr(scale, "min", None), getattr(scale, "max", None)
    if lo is not None and hi is not None:
        return {"min": _tables.number(lo), "max": _tables.number(hi)}
    raise TypeError("scale must be (min, max) or {'min': …, 'max': …}")


def _reverse(reverse: Any) -> list[Any]:
    if reverse is None:
        return []
    if isinstance(reverse, (str, int)):
        reverse = [reverse]
    out = []
    for c in _tables.to_list(reverse):
        if isinstance(c, numbers.Integral) and not isinstance(c, bool):
            out.append(int(c))
        elif isinstance(c, str):
            out.append(c)
        else:
            out.append(_label(c))
    return out


def _options(**kw: Any) -> dict[str, Any]:
    return {k: v for k, v in kw.items() if v is not None}


# --- reliability ---------------------------------------------------------------

_ITEM_COLUMNS = [
    ("item", "object"),
    ("n", "int"),
    ("mean", "float"),
    ("sd", "float"),
    ("r_drop", "float"),
    ("alpha_if_deleted", "float"),
    ("std_alpha_if_deleted", "float"),
    ("average_r_if_deleted", "float"),
]


class Reliability(_Result):
    """Result of :func:`cronbach_alpha` (definitions in ``core/src/stats``)."""

    __slots__ = ("_labels",)
    _shown = ("alpha", "std_alpha", "ci", "n", "k")

    def __init__(self, data: Mapping[str, Any], labels: Any = None) -> None:
        super().__init__(data)
        self._labels = labels

    @property
    def alpha(self) -> float:
        """Raw Cronbach's α."""
        return self._data["alpha"]

    @property
    def std_alpha(self) -> float | None:
        """Standardised α (from correlations); ``None`` when an item has no
        variance."""
        return self._data.get("std_alpha")

    @property
    def ci(self) -> tuple[float, float]:
        """Feldt confidence interval ``(low, high)`` of raw α (not rounded)."""
        lo, hi = self._data["ci"]
        return (lo, hi)

    @property
    def ci_level(self) -> float:
        """Confidence level of :attr:`ci`."""
        return self._data["ci_level"]

    @property
    def n(self) -> int:
        """Respondents N used for the CI: every row (``pairwise``) or the
        complete rows (``listwise``)."""
        return self._data["n"]

    @property
    def k(self) -> int:
        """Number of items."""
        return self._data["k"]

    @property
    def missing(self) -> str:
        """Missing-value policy used (``pairwise`` or ``listwise``)."""
        return self._data["missing"]

    @property
    def average_r(self) -> float | None:
        """Average inter-item correlation; ``None`` when an item has no
        variance."""
        return self._data.get("average_r")

    @property
    def items(self) -> Any:
        """Item statistics: a pandas DataFrame indexed by item (column label,
        or position for unlabelled data) with columns ``n``, ``mean``, ``sd``,
        ``r_drop``, ``alpha_if_deleted``, ``std_alpha_if_deleted``,
        ``average_r_if_deleted`` when pandas is installed; else a list of
        dicts (with ``item``)."""
        rows = []
        for it in self._data["items"]:
            row = dict(it)
            i = row.pop("index")
            if self._labels is not None and i < len(self._labels):
                row["item"] = self._labels[i]
            elif row.get("item") is None:
                row["item"] = i
            rows.append(row)
        return _tables.frame(rows, _ITEM_COLUMNS, index="item")


def cronbach_alpha(
    data: Any,
    *,
    scale: Any = None,
    reverse: Any = (),
    missing: str = "pairwise",
    ci_level: float = 0.95,
) -> Reliability:
    """Cronbach's α of ``data`` (rows = respondents, columns = items,
    ``NaN``/``None`` = missing): a 2-D numpy array, a pandas or polars
    DataFrame, or a list of rows.

    ``scale`` — ``(min, max)`` or ``{"min": …, "max": …}`` — checks that
    every answer lies on the response scale; ``reverse`` lists reverse-keyed
    columns (by label or 0-based position), recoded ``x' = min + max − x``
    on the nominal ``scale``. ``missing`` is ``"pairwise"`` (psych and
    pingouin's default) or ``"listwise"``.

    Numeric data are handed to the core as an array (float64 data without a
    copy) and computed with the GIL released.
    """
    array, names_or_rows, labels = _matrix(data)
    opts = _options(
        scale=_scale(scale),
        reverse=_reverse(reverse) or None,
        missing=missing,
        ci_level=ci_level,
    )
    if array is not None:
        out = _native.cronbach_alpha(array, items=names_or_rows, **opts)
    else:
        inp: dict[str, Any] = {"data": names_or_rows, **opts}
        if labels is not None:
            inp["items"] = [_label(c) for c in labels]
        out = call("stats.cronbach_alpha", inp)
    return Reliability(out, labels)


# --- ordinal summaries ----------------------------------------------------------------


class GroupedMedian(float):
    """The interpolated median (a ``float``; ``NaN`` without valid values)
    with the number of valid (:attr:`n`) and missing (:attr:`missing`)
    values."""

    __slots__ = ("n", "missing")
    n: int
    missing: int

    def __new__(cls, median: float | None, n: int, missing: int) -> GroupedMedian:
        obj = super().__new__(cls, math.nan if median is None else median)
        obj.n = n
        obj.missing = missing
        return obj

    @property
    def median(self) -> float | None:
        """The median as a plain ``float``, ``None`` without valid values."""
        v = float(self)
        return None if math.isnan(v) else v

    def to_dict(self) -> dict[str, Any]:
        """``{median, n, missing}`` (the JSON shape of the core)."""
        return {"median": self.median, "n": self.n, "missing": self.missing}

    def __repr__(self) -> str:
        return f"GroupedMedian({float(self)!r}, n={self.n}, missing={self.missing})"


def interpolated_median(values: Any, *, interval: float = 1.0) -> GroupedMedian:
    """Interpolated (grouped) median of ordinal answers with category width
    ``interval``, as ``statistics.median_grouped(values, interval)``;
    missing values are left out. Returns a float (:class:`GroupedMedian`,
    ``NaN`` when no value is valid)."""
    out = call("stats.interpolated_median", {"values": _values(values), "interval": interval})
    return GroupedMedian(out.get("median"), out["n"], out["missing"])


class TopBox(_Result):
    """Top- and bottom-box shares of valid answers (``None`` without any)."""

    __slots__ = ()
    _shown = ("n", "top_box", "top_two_box", "bottom_box", "bottom_two_box")

    @property
    def n(self) -> int:
        """Valid answers."""
        return self._data["n"]

    @property
    def missing(self) -> int:
        """Missing answers."""
        return self._data["missing"]

    @property
    def top_box(self) -> float | None:
        """Share of answers ``≥ max``."""
        return self._data.get("top_box")

    @property
    def top_two_box(self) -> float | None:
        """Share of answers ``≥ max − 1``."""
        return self._data.get("top_two_box")

    @property
    def bottom_box(self) -> float | None:
        """Share of answers ``≤ min``."""
        return self._data.get("bottom_box")

    @property
    def bottom_two_box(self) -> float | None:
        """Share of answers ``≤ min + 1``."""
        return self._data.get("bottom_two_box")


def top_box(values: Any, scale: Any) -> TopBox:
    """Top-box, top-2-box, bottom-box and bottom-2-box shares of ``values``
    on ``scale`` (``(min, max)`` or ``{"min", "max"}``); values off the scale
    are an error naming ``values[i]``."""
    inp: dict[str, Any] = {"values": _values(values)}
    if scale is not None:
        inp["scale"] = _scale(scale)
    return TopBox(call("stats.top_box", inp))


class Distribution(_Result):
    """Counts of each whole answer value on the scale."""

    __slots__ = ()
    _shown = ("n", "missing")

    @property
    def n(self) -> int:
        """Valid answers."""
        return self._data["n"]

    @property
    def missing(self) -> int:
        """Missing answers."""
        return self._data["missing"]

    @property
    def counts(self) -> Any:
        """``count`` and ``share`` per value ``min..=max`` (zero counts
        included): a DataFrame indexed by ``value`` (pandas), else a list of
        dicts."""
        return _tables.frame(
            [dict(c) for c in self._data["counts"]],
            [("value", "int"), ("count", "int"), ("share", "float")],
            index="value",
        )


def distribution(values: Any, scale: Any) -> Distribution:
    """Counts and shares of each whole value ``min..=max`` of ``scale``
    among ``values`` (missing left out)."""
    inp: dict[str, Any] = {"values": _values(values)}
    if scale is not None:
        inp["scale"] = _scale(scale)
    return Distribution(call("stats.distribution", inp))


# --- paired comparisons ----------------------------------------------------------


class WilcoxonResult(_Result):
    """Wilcoxon signed-rank test of ``after − before`` (as
    ``scipy.stats.wilcoxon(after, before)``)."""

    __slots__ = ()
    _shown = ("statistic", "pvalue", "method", "alternative", "rank_biserial")

    @property
    def statistic(self) -> float:
        """``min(R⁺, R⁻)`` for two-sided, else ``R⁺``."""
        return self._data["statistic"]

    @property
    def pvalue(self) -> float:
        """p-value."""
        return self._data["pvalue"]

    @property
    def z(self) -> float | None:
        """Standardised statistic (asymptotic method only; signed)."""
        return self._data.get("z")

    @property
    def n(self) -> int:
        """Complete pairs (zero differences included)."""
        return self._data["n"]

    @property
    def missing(self) -> int:
        """Pairs left out because a value was missing."""
        return self._data["missing"]

    @property
    def zeros(self) -> int:
        """Zero differences (dropped from the ranking)."""
        return self._data["zeros"]

    @property
    def ties(self) -> bool:
        """Whether tied non-zero differences occurred."""
        return self._data["ties"]

    @property
    def r_plus(self) -> float:
        """Sum of ranks of positive differences (increases)."""
        return self._data["r_plus"]

    @property
    def r_minus(self) -> float:
        """Sum of ranks of negative differences (decreases)."""
        return self._data["r_minus"]

    @property
    def method(self) -> str:
        """Method used: ``exact``, ``asymptotic`` or ``permutation``."""
        return self._data["method"]

    @property
    def alternative(self) -> str:
        """Alternative tested."""
        return self._data["alternative"]

    @property
    def correction(self) -> bool:
        """Whether a continuity correction was applied."""
        return self._data["correction"]

    @property
    def rank_biserial(self) -> float:
        """Rank-biserial correlation ``(R⁺ − R⁻)/(R⁺ + R⁻)``."""
        return self._data["rank_biserial"]


def wilcoxon(
    before: Any = None,
    after: Any = None,
    *,
    differences: Any = None,
    alternative: str = "two-sided",
    method: str = "auto",
    correction: bool = True,
    rounding: float = 1e-9,
) -> WilcoxonResult:
    """Wilcoxon signed-rank test of ``after − before`` (pairs with a missing
    value left out), or of ``differences`` given directly.

    ``alternative``: ``"two-sided"``, ``"greater"`` (after tends to exceed
    before) or ``"less"``; ``method``: ``"auto"`` (scipy's rule),
    ``"exact"``, ``"asymptotic"`` or ``"permutation"``; ``correction``:
    continuity correction of the normal approximation (default ``True``, as
    R; scipy's default is ``False``); ``rounding``: relative grid on which
    differences are ranked, so floating noise creates no false ranks.
    """
    inp: dict[str, Any] = _options(alternative=alternative, method=method, correction=correction, rounding=rounding)
    if differences is not None:
        inp["differences"] = _values(differences)
    if before is not None:
        inp["before"] = _values(before)
    if after is not None:
        inp["after"] = _values(after)
    return WilcoxonResult(call("stats.wilcoxon", inp))


class PairedT(_Result):
    """Paired t-test of ``after − before`` (as ``scipy.stats.ttest_rel(after,
    before)``)."""

    __slots__ = ()
    _shown = ("t", "df", "pvalue", "mean_difference", "d_z")

    @property
    def n(self) -> int:
        """Complete pairs."""
        return self._data["n"]

    @property
    def missing(self) -> int:
        """Pairs left out because a value was missing."""
        return self._data["missing"]

    @property
    def mean_difference(self) -> float:
        """Mean of ``after − before``."""
        return self._data["mean_difference"]

    @property
    def sd_difference(self) -> float | None:
        """Standard deviation of the differences (n − 1)."""
        return self._data.get("sd_difference")

    @property
    def t(self) -> float | None:
        """t statistic; ``None`` when every difference is equal."""
        return self._data.get("t")

    @property
    def statistic(self) -> float | None:
        """Same as :attr:`t` (scipy's name)."""
        return self._data.get("t")

    @property
    def df(self) -> float:
        """Degrees of freedom n − 1."""
        return self._data["df"]

    @property
    def pvalue(self) -> float | None:
        """p-value; ``None`` when every difference is equal."""
        return self._data.get("pvalue")

    @property
    def ci(self) -> tuple[float | None, float | None] | None:
        """Confidence interval of the mean difference (``None`` ends are
        unbounded); ``None`` when every difference is equal."""
        ci = self._data.get("ci")
        return None if ci is None else (ci[0], ci[1])

    @property
    def ci_level(self) -> float:
        """Confidence level of :attr:`ci`."""
        return self._data["ci_level"]

    @property
    def d_z(self) -> float | None:
        """Standardised mean difference ``mean / sd``."""
        return self._data.get("d_z")

    @property
    def alternative(self) -> str:
        """Alternative tested."""
        return self._data["alternative"]


def paired_t(
    before: Any, after: Any, *, alternative: str = "two-sided", ci_level: float = 0.95
) -> PairedT:
    """Paired t-test of ``after − before`` with the confidence interval of
    the mean difference and ``d_z``."""
    inp = {"before": _values(before), "after": _values(after), "alternative": alternative, "ci_level": ci_level}
    return PairedT(call("stats.paired_t", inp))


class PairedComparison(_Result):
    """Paired t-test, Wilcoxon test and effect sizes in one result."""

    __slots__ = ()
    _shown = ("n", "mean_before", "mean_after", "mean_difference", "d_z")

    @property
    def n(self) -> int:
        """Complete pairs."""
        return self._data["n"]

    @property
    def missing(self) -> int:
        """Pairs left out because a value was missing."""
        return self._data["missing"]

    @property
    def mean_before(self) -> float:
        """Mean of ``before`` over complete pairs."""
        return self._data["mean_before"]

    @property
    def mean_after(self) -> float:
        """Mean of ``after`` over complete pairs."""
        return self._data["mean_after"]

    @property
    def mean_difference(self) -> float:
        """Mean of ``after − before``."""
        return self._data["mean_difference"]

    @property
    def d_z(self) -> float | None:
        """``mean(d) / sd(d)``."""
        return self._data.get("d_z")

    @property
    def t_test(self) -> PairedT:
        """The paired t-test."""
        return PairedT(self._data["t_test"])

    @property
    def wilcoxon(self) -> WilcoxonResult | None:
        """The Wilcoxon test; ``None`` when every difference is zero."""
        w = self._data.get("wilcoxon")
        return None if w is None else WilcoxonResult(w)


def paired(
    before: Any,
    after: Any,
    *,
    alternative: str = "two-sided",
    method: str = "auto",
    correction: bool = True,
    rounding: float = 1e-9,
    ci_level: float = 0.95,
) -> PairedComparison:
    """Paired t-test, Wilcoxon test and effect sizes of ``after − before``
    (options as in :func:`wilcoxon` and :func:`paired_t`)."""
    inp = {
        "before": _values(before),
        "after": _values(after),
        "alternative": alternative,
        "method": method,
        "correction": correction,
        "rounding": rounding,
        "ci_level": ci_level,
    }
    return PairedComparison(call("stats.paired", inp))

