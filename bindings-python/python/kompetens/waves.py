"""Change between two measurement waves, with small groups protected.

:func:`compare_waves` pairs the people of two waves by id and, per unit
(its own people and the rolled-up subtree) and competence, counts who
improved, stayed and declined, with the mean levels before and after, the
mean change, the Wilcoxon signed-rank p value, the rank-biserial
correlation and ``d_z``; joiners and leavers per unit. Cells with fewer
than ``min_group`` paired people are withheld (``primary``), and so are the
cells that would reveal them by subtraction (``secondary``): their numbers
are ``None``, never 0. Everything is computed by the Rust core (the
``aggregate.waves`` operation).

>>> import kompetens
>>> before = [{"id": f"p{i}", "unit": "a", "levels": {"1.1": 2}} for i in range(5)]
>>> after = [{"id": f"p{i}", "unit": "a", "levels": {"1.1": 3 if i < 4 else 2}} for i in range(5)]
>>> cmp = kompetens.compare_waves(before, after, {"a": None}, competences=["1.1"], min_group=5)
>>> r = cmp.rows[0]
>>> r["paired"], r["improved"], r["unchanged"], r["mean_change"]
(5, 4, 1, 0.8)
"""

from __future__ import annotations

import copy
from typing import Any, Mapping, Sequence

from . import _display, _tables
from ._api import _framework_ref, call

__all__ = ["WaveComparison", "compare_waves"]

_ROW_COLUMNS: tuple[tuple[str, str], ...] = (
    ("unit", "object"),
    ("scope", "object"),
    ("competence", "object"),
    ("paired", "Int"),
    ("improved", "Int"),
    ("unchanged", "Int"),
    ("declined", "Int"),
    ("share_improved", "float"),
    ("share_unchanged", "float"),
    ("share_declined", "float"),
    ("mean_before", "float"),
    ("mean_after", "float"),
    ("mean_change", "float"),
    ("wilcoxon_pvalue", "float"),
    ("rank_biserial", "float"),
    ("d_z", "float"),
    ("suppressed", "object"),
)


class WaveComparison:
    """The published comparison of two waves (see :func:`compare_waves`).
    Withheld cells keep their keys; their numbers are ``None`` and
    ``suppressed`` says why (``primary`` or ``secondary``)."""

    __slots__ = ("_data", "_tree")

    def __init__(self, data: Mapping[str, Any], tree: list[dict[str, Any]]) -> None:
        # Private: made by compare_waves().
        self._data = data
        self._tree = tree

    @property
    def min_group(self) -> int:
        """Smallest group published."""
        return int(self._data["min_group"])

    @property
    def determined(self) -> int:
        """Withheld cells whose value can still be determined (0 unless the
        tree makes protection impossible)."""
        return int(self._data["determined"])

    @property
    def rows(self) -> list[dict[str, Any]]:
        """One row per unit × scope × competence (the core's shape)."""
        return copy.deepcopy(list(self._data["rows"]))

    @property
    def movements(self) -> list[dict[str, Any]]:
        """Joiners and leavers per unit and scope."""
        return copy.deepcopy(list(self._data["movements"]))

    @property
    def changes(self) -> list[dict[str, Any]] | None:
        """Per-person changes (only with ``per_person=True``)."""
        c = self._data.get("changes")
        return None if c is None else copy.deepcopy(list(c))

    @property
    def units(self) -> list[str]:
        """Unit ids in tree order."""
        return [u["id"] for u in self._tree]

    def table(self, *, unit: str | None = None, scope: str = "rollup") -> Any:
        """The rows of one unit (default: the first root) and scope
        (``"rollup"`` or ``"own"``): a DataFrame indexed by competence
        (pandas), else a list of dicts."""
        if unit is None:
            roots = [x["id"] for x in self._tree if x.get("parent") is None]
            u = roots[0] if roots else self.units[0]
        else:
            u = unit
        rows = [r for r in self._data["rows"] if r["unit"] == u and r["scope"] == scope]
        return _tables.frame(rows, list(_ROW_COLUMNS), index="competence")

    def to_pandas(self) -> Any:
        """Every row as a pandas DataFrame (counts nullable ``Int64``,
        statistics ``float64``, ``NaN`` when withheld)."""
        return _tables.frame(list(self._data["rows"]), list(_ROW_COLUMNS), index=None)

    def to_dict(self) -> dict[str, Any]:
        """The core's JSON shape (a deep copy)."""
        return copy.deepcopy(dict(self._data))

    def chart(self) -> Any:
        """The change chart (mean level per competence, before and after)
        as SVG text Jupyter displays as a picture
        (:class:`kompetens.charts.Svg`); ``kompetens.charts.change`` takes
        more options."""
        return _display.waves_chart(self)

    def _repr_html_(self) -> str:
        return _display.waves_html(self)

    def __repr__(self) -> str:
        withheld = sum(1 for r in self._data["rows"] if r.get("suppressed"))
        return f"WaveComparison(rows={len(self._data['rows'])}, withheld={withheld}, min_group={self.min_group})"


def _people(wave: Any, competences: Sequence[str] | None, what: str) -> tuple[list[dict[str, Any]], list[str] | None]:
    """A wave as ``[{id, unit, levels}]``: a list of such dicts, or a matrix
    object with ``ids``, ``competences``, ``levels`` and ``person_units``
    (e.g. :meth:`kompetens.demo.DemoOrganisation.wave_matrix`)."""
    if hasattr(wave, "levels") and hasattr(wave, "ids"):
        comps = list(wave.competences)
        out = []
        for pid, unit, row in zip(wave.ids, wave.person_units, wave.levels.tolist()):
            out.append({"id": pid, "unit": unit, "levels": {c: v for c, v in zip(comps, row) if v >= 0}})
        return out, comps
    if isinstance(wave, (str, bytes, Mapping)):
        raise TypeError(f"{what} must be a list of {{id, unit, levels}} dicts or a wave matrix")
    return [dict(p) for p in wave], None


def compare_waves(
    before: Any,
    after: Any,
    tree: Any,
    *,
    competences: Sequence[str] | None = None,
    framework: Any = None,
    min_group: int = 5,
    suppression: str = "secondary",
    level_min: int | None = None,
    level_max: int | None = None,
    per_person: bool = False,
) -> WaveComparison:
    """Compare two waves over an organisation tree.

    ``before``/``after``: ``[{id, unit, levels: {competence: level}}]``
    (people matched by ``id``), or wave matrices (objects with ``ids``,
    ``competences``, ``levels`` and ``person_units``, such as
    :meth:`kompetens.demo.DemoOrganisation.wave_matrix`). ``tree``:
    ``{unit: parent}``, ``[{id, parent}]`` or a DataFrame. The competences
    are ``competences``, or those of ``framework``, or the matrices'.
    ``suppression``: ``none``, ``primary`` or ``secondary``."""
    b, bc = _people(before, competences, "before")
    a, ac = _people(after, competences, "after")
    recs = [
        {"id": r["id"], "parent": r.get("parent")} if isinstance(r, Mapping) else r
        for r in _tables.tree(tree)
    ]
    inp: dict[str, Any] = {
        "tree": recs,
        "before": b,
        "after": a,
        "min_group": int(min_group),
        "suppression": suppression,
        "per_person": bool(per_person),
    }
    if framework is not None:
        inp["framework"] = _framework_ref(framework)
    else:
        comps = competences if competences is not None else (bc or ac)
        if comps is None:
            raise TypeError("compare_waves() needs competences= or framework= for lists of people")
        inp["competences"] = [str(c) for c in comps]
    if level_min is not None:
        inp["level_min"] = int(level_min)
    if level_max is not None:
        inp["level_max"] = int(level_max)
    return WaveComparison(call("aggregate.waves", inp), [r for r in recs if isinstance(r, Mapping)])
