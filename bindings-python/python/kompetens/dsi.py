"""Eurostat's Digital Skills Indicator 2.0 (survey years 2021, 2023, 2025).

From the number of digital activities a person reports in each of the five
areas (:data:`AREAS`) to a level per area (``none``, ``basic``,
``above_basic``) and an overall category (:data:`CATEGORIES`: above basic,
basic, low, narrow, limited, no overall skills, not assessed), with
Eurostat's thresholds as data (:func:`thresholds`); and the population
summary: each category's share of all persons and the headline "at least
basic" share, optionally weighted. Every rule runs in the Rust core
(``core/src/survey/dsi.rs``).

>>> from kompetens import dsi
>>> dsi.classify({"information": 1, "communication": 2, "content": 0,
...               "safety": 3, "problem_solving": 1}).category
'low'
"""

from __future__ import annotations

import copy
from typing import Any, Mapping, Sequence

from . import _display, _tables
from ._api import call

__all__ = [
    "AREAS",
    "CATEGORIES",
    "DsiResult",
    "DsiSummary",
    "thresholds",
    "classify",
    "summarise",
    "summarise_categories",
]

#: The five DSI areas, in order (information and data literacy,
#: communication and collaboration, digital content creation, safety,
#: problem solving).
AREAS: tuple[str, ...] = ("information", "communication", "content", "safety", "problem_solving")

#: The overall categories, in reporting order.
CATEGORIES: tuple[str, ...] = (
    "above_basic",
    "basic",
    "low",
    "narrow",
    "limited",
    "no_skills",
    "not_assessed",
)


def thresholds() -> dict[str, Any]:
    """Eurostat's default thresholds ``{"areas": [{area, basic,
    above_basic}, …]}`` — edit a copy and pass it as ``thresholds=``."""
    return call("dsi.thresholds", {})


def _counts(counts: Any) -> Any:
    """One person's counts as JSON: a dict by area, 5 numbers in area order,
    or ``None`` (not assessed)."""
    if counts is None or _tables.is_missing(counts):
        return None
    if isinstance(counts, Mapping):
        return {_tables.ident(k): _tables.number(v) for k, v in counts.items()}
    if _tables._instance(counts, "pandas", "Series"):
        if counts.isna().all():
            return None
        return {_tables.ident(k): _tables.number(v) for k, v in counts.items()}
    if isinstance(counts, (str, bytes)):
        return counts  # the core says what is wrong with it
    try:
        values = _tables.to_list(counts)
    except TypeError:
        return counts
    if values and all(_tables.is_missing(v) for v in values):
        return None
    return [_tables.number(v) for v in values]


class DsiResult:
    """One person's DSI classification."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        # Private: made by classify().
        self._data = data

    @property
    def category(self) -> str:
        """Overall category (one of :data:`CATEGORIES`)."""
        return self._data["category"]

    @property
    def at_least_basic(self) -> bool:
        """``basic`` or ``above_basic``."""
        return self._data["at_least_basic"]

    @property
    def areas_at_least_basic(self) -> int:
        """Number of areas at basic or above."""
        return self._data["areas_at_least_basic"]

    @property
    def levels(self) -> dict[str, str]:
        """Level per area (``none``, ``basic``, ``above_basic``); empty when
        not assessed."""
        return {a["area"]: a["level"] for a in self._data["areas"]}

    @property
    def counts(self) -> dict[str, int]:
        """Activity count per area; empty when not assessed."""
        return {a["area"]: a["count"] for a in self._data["areas"]}

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the core (a deep copy)."""
        return copy.deepcopy(dict(self._data))

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._data == self._data  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"DsiResult(category={self.category!r}, levels={self.levels!r})"


def classify(counts: Any, *, thresholds: Mapping[str, Any] | None = None) -> DsiResult:
    """Classify one person from activity counts per area: a dict or pandas
    Series by area id, 5 numbers in the order of :data:`AREAS`, or ``None``
    (not assessed: not an internet user in the last 3 months)."""
    inp: dict[str, Any] = {"counts": _counts(counts)}
    if thresholds is not None:
        inp["thresholds"] = thresholds
    return DsiResult(call("dsi.classify", inp))


class DsiSummary:
    """DSI population summary (shares of **all** persons, not assessed
    included, as Eurostat's indicator)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        # Private: made by summarise().
        self._data = data

    @property
    def n(self) -> int:
        """Number of persons."""
        return self._data["n"]

    @property
    def total_weight(self) -> float:
        """Total weight (= n without weights)."""
        return self._data["total_weight"]

    @property
    def at_least_basic(self) -> float:
        """Share with at least basic skills, of all persons (the headline)."""
        return self._data["at_least_basic"]

    @property
    def at_least_basic_of_assessed(self) -> float | None:
        """Share with at least basic skills, of assessed persons."""
        return self._data.get("at_least_basic_of_assessed")

    @property
    def shares(self) -> dict[str, float]:
        """Share per category, in reporting order (zeros included)."""
        return {c["category"]: c["share"] for c in self._data["categories"]}

    @property
    def categories(self) -> Any:
        """``count``, ``weight`` and ``share`` per category: a DataFrame
        indexed by category (pandas), else a list of dicts."""
        return _tables.frame(
            [dict(c) for c in self._data["categories"]],
            [("category", "object"), ("count", "int"), ("weight", "float"), ("share", "float")],
            index="category",
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the core (a deep copy)."""
        return copy.deepcopy(dict(self._data))

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._data == self._data  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]

    def _repr_html_(self) -> str:
        return _display.dsi_html(self)

    def __repr__(self) -> str:
        return f"DsiSummary(n={self.n}, at_least_basic={self.at_least_basic!r})"


def _weights(weights: Any) -> Any:
    if weights is None:
        return None
    return [_tables.number(w) for w in _tables.to_list(weights)]


def _table(counts_table: Any, weights: Any) -> tuple[list[Any], Any]:
    """Rows of counts (dicts by area, lists in area order or ``None``) and
    the weights, from a DataFrame (one column per area; ``weights`` may name
    a column), a 2-D array or a sequence of rows."""
    kind = _tables._kind(counts_table)
    if kind in ("pandas", "polars"):
        df = counts_table
        if isinstance(weights, str):
            name = weights
            if name not in list(df.columns):
                raise KeyError(f"weights: no column {name!r} in the DataFrame")
            weights = _tables.to_list(df[name] if kind == "pandas" else df.get_column(name))
            df = df.drop(columns=[name]) if kind == "pandas" else df.drop(name)
        columns = [_tables.ident(c) for c in df.columns]
        records = df.itertuples(index=False, name=None) if kind == "pandas" else df.rows()
        rows: list[Any] = []
        for rec in records:
            values = [_tables.number(v) for v in rec]
            if values and all(v is None for v in values):
                rows.append(None)
            else:
                rows.append(dict(zip(columns, values)))
        return rows, _weights(weights)
    if kind == "numpy":
        rows = []
        for rec in counts_table.tolist():
            rows.append(_counts(rec) if isinstance(rec, list) else rec)
        return rows, _weights(weights)
    if isinstance(weights, str):
        raise TypeError("weights as a column name needs a DataFrame")
    return [_counts(r) for r in _tables.to_list(counts_table)], _weights(weights)


def summarise(
    counts_table: Any,
    weights: Any = None,
    *,
    thresholds: Mapping[str, Any] | None = None,
) -> DsiSummary:
    """Classify every person and summarise the population.

    ``counts_table`` is a pandas or polars DataFrame with one column per
    area (named as in :data:`AREAS`; a row that is entirely missing = not
    assessed), a 2-D array in area order, or a list of per-person counts
    (dicts, sequences or ``None``). ``weights`` (one per person, finite and
    ≥ 0) may be a sequence, a Series or the name of a DataFrame column.
    """
    rows, w = _table(counts_table, weights)
    inp: dict[str, Any] = {"counts_table": rows}
    if w is not None:
        inp["weights"] = w
    if thresholds is not None:
        inp["thresholds"] = thresholds
    return DsiSummary(call("dsi.summarise", inp))


def summarise_categories(categories: Sequence[str] | Any, weights: Any = None) -> DsiSummary:
    """Summarise already classified persons (categories as in
    :data:`CATEGORIES`), optionally weighted."""
    inp: dict[str, Any] = {"categories": [_tables.ident(c) for c in _tables.to_list(categories)]}
    w = _weights(weights)
    if w is not None:
        inp["weights"] = w
    return DsiSummary(call("dsi.summarise", inp))
