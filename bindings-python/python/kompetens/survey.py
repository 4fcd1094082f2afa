"""Survey instruments and their scoring.

A :class:`SurveyInstrument` (also exported as ``kompetens.Instrument``) is a
questionnaire as data: items with id, text (sv/en), target (a competence id
such as ``"2.4"``), response scale, reverse keying, weight and kind; loaded
from JSON, TOML or a dict and validated by the core. (Maturity models carry
their own questionnaires — :meth:`kompetens.MaturityModel.instrument` — as
plain dicts; ``SurveyInstrument`` is the competence survey.)

:meth:`SurveyInstrument.score` scores a respondents × items table — a pandas
or polars DataFrame whose columns are item ids (any order), a 2-D numpy
array in the instrument's item order (or with ``items=``), or the JSON form
``{"items", "rows", "ids"}`` — into a :class:`SurveyScores`: per respondent
and target a score on [0, 1] (mean of the rescaled items, weights honoured;
missing below ``min_answered`` answered share) and a level by the chosen
strategy (``"digcompsat"`` bands, ``"floor8"``, or custom thresholds), plus
area scores when the targets are competences of a framework. Numeric tables
go to the core as one float64 array (no copy when its columns are already
in item order) and are scored with the GIL released. The levels feed
:func:`kompetens.gap_report` (:meth:`SurveyScores.ratings`) and
:func:`kompetens.calibration` (:meth:`SurveyScores.to_assessments`).

>>> import kompetens
>>> inst = kompetens.SurveyInstrument.from_dict({"id": "mini", "framework": "digcomp-2.2",
...     "scale": {"min": 0, "max": 3},
...     "items": [{"id": "q1", "target": "1.1"}, {"id": "q2", "target": "1.1"}]})
>>> res = inst.score([[3, 2], [0, None]])
>>> res.scores["1.1"].round(4).tolist(), res.levels["1.1"].tolist()
([0.8333, 0.0], [5, 0])
"""

from __future__ import annotations

import copy
import json
import math
import numbers
from typing import Any, Iterable, Mapping, Sequence

from . import _display, _native, _tables
from ._api import _check_str, _framework_ref, _text, call

__all__ = [
    "SurveyInstrument",
    "Instrument",
    "SurveyScores",
    "levels",
]


def _strategy(strategy: Any) -> Any:
    """``"digcompsat"``, ``"floor8"``, a strategy dict, or a list of bands
    ``(min, level[, label])``/dicts as a thresholds strategy."""
    if isinstance(strategy, (list, tuple)):
        bands = []
        for b in strategy:
            if isinstance(b, Mapping):
                bands.append(dict(b))
            elif isinstance(b, (list, tuple)) and len(b) in (2, 3):
                band = {"min": _tables.number(b[0]), "level": _tables.number(b[1])}
                if len(b) == 3:
                    band["label"] = b[2]
                bands.append(band)
            else:
                bands.append(b)
        return {"kind": "thresholds", "bands": bands}
    return strategy


def _framework_arg(framework: Any) -> Any:
    return None if framework is None else _framework_ref(framework)


def _is_real(v: Any) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool) and type(v).__name__ != "bool_"


def _name(c: Any) -> Any:
    v = _tables.ident(c)
    return v if isinstance(v, str) else str(c)


class SurveyInstrument:
    """A validated survey instrument (immutable).

    Create one with :meth:`from_json`, :meth:`from_toml` or
    :meth:`from_dict`; ``kompetens.Instrument`` is the same class.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        # Private: `data` must come from the core (validated).
        self._data = data

    @classmethod
    def from_json(cls, text: str) -> SurveyInstrument:
        """Load and validate an instrument from JSON text."""
        _check_str(text, "text")
        return cls(call("survey.instrument", {"text": text, "format": "json"}))

    @classmethod
    def from_toml(cls, text: str) -> SurveyInstrument:
        """Load and validate an instrument from TOML text."""
        _check_str(text, "text")
        return cls(call("survey.instrument", {"text": text, "format": "toml"}))

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SurveyInstrument:
        """Load and validate an instrument from a dict in the JSON shape
        (errors are located under ``instrument``)."""
        if not isinstance(d, Mapping):
            raise TypeError(f"d must be a dict, not {type(d).__name__}")
        return cls(call("survey.instrument", {"instrument": d}))

    @property
    def id(self) -> str:
        """Stable id."""
        return self._data["id"]

    @property
    def version(self) -> str | None:
        """Version string, if any."""
        return self._data.get("version")

    @property
    def framework(self) -> str | None:
        """Id of the framework the targets refer to, if declared."""
        return self._data.get("framework")

    def name(self, lang: str = "en") -> str:
        """Name in ``lang`` (falls back to English, then any language)."""
        return _text(self._data.get("name"), lang)

    @property
    def example(self) -> bool:
        """True for an example instrument (statements in our own words, not
        a published or validated questionnaire)."""
        return bool(self._data.get("example", False))

    def note(self, lang: str = "en") -> str:
        """Note in ``lang`` (origin, licence, status); empty when none."""
        return _text(self._data.get("note"), lang)

    @property
    def item_ids(self) -> list[str]:
        """Item ids in questionnaire order (= column order of responses)."""
        return [i["id"] for i in self._data["items"]]

    @property
    def targets(self) -> list[str]:
        """Distinct targets in order of first appearance."""
        return list(dict.fromkeys(i["target"] for i in self._data["items"]))

    @property
    def items(self) -> list[dict[str, Any]]:
        """The items in the JSON shape (deep copies)."""
        return copy.deepcopy(list(self._data["items"]))

    def __len__(self) -> int:
        return len(self._data["items"])

    def _scorer(
        self, framework: Any, strategy: Any, min_answered: Any, basis: Any, area_method: Any
    ) -> Any:
        return _native.survey_scorer(
            self._data,
            framework=_framework_arg(framework),
            strategy=_strategy(strategy),
            min_answered=min_answered,
            basis=basis,
            area_method=area_method,
        )

    def score(
        self,
        responses: Any,
        *,
        framework: Any = None,
        strategy: Any = "digcompsat",
        min_answered: float = 0.5,
        basis: str = "count",
        area_method: str = "items",
        items: Sequence[str] | None = None,
        ids: Any = None,
    ) -> SurveyScores:
        """Score every respondent (row) of ``responses``.

        ``responses``: a pandas/polars DataFrame with one column per item id
        (any order; ``NaN``/``None`` = missing), a 2-D numpy array or list
        of rows in the instrument's item order (or in the order ``items=``
        names), or ``{"items", "rows", "ids"?}``. ``ids`` — a sequence, or
        the name of a DataFrame column — names respondents (in errors and
        as ``person`` of assessments); a pandas index other than the
        default ``RangeIndex`` is used the same way.

        ``framework`` (a :class:`~kompetens.Framework` or built-in name;
        default: the instrument's declared framework) makes the targets
        competences and adds area scores. ``strategy`` turns scores into
        levels: ``"digcompsat"``, ``"floor8"``, ``{"kind": "thresholds",
        "bands": [...]}`` or a list of ``(min, level[, label])``.
        ``min_answered`` is the least answered share (by item ``count`` or
        ``weight``: ``basis``) for a score; ``area_method`` is ``"items"``
        (pool the area's items, DigCompSAT) or ``"competences"``.
        """
        scorer = self._scorer(framework, strategy, min_answered, basis, area_method)
        return _score(scorer, responses, items, ids, self.item_ids)

    def score_answers(
        self,
        answers: Mapping[str, Any],
        *,
        framework: Any = None,
        strategy: Any = "digcompsat",
        min_answered: float = 0.5,
        basis: str = "count",
        area_method: str = "items",
    ) -> SurveyScores:
        """Score one respondent's answers ``{item_id: answer}`` (items left
        out or ``None`` are missing), e.g. a submitted form. Options as in
        :meth:`score`."""
        if not isinstance(answers, Mapping) and not _tables._instance(answers, "pandas", "Series"):
            raise TypeError(f"answers must be a dict or a Series, not {type(answers).__name__}")
        scorer = self._scorer(framework, strategy, min_answered, basis, area_method)
        converted = {_name(k): _tables.cell(v) for k, v in answers.items()}
        return SurveyScores(scorer.score_answers(converted), None)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape (a deep copy)."""
        return copy.deepcopy(dict(self._data))

    def to_json(self, indent: int | None = 2) -> str:
        """The instrument as JSON text."""
        return json.dumps(self._data, ensure_ascii=False, indent=indent)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._data == self._data  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(json.dumps(self._data, sort_keys=True))

    def __repr__(self) -> str:
        return f"SurveyInstrument(id={self.id!r}, items={len(self)})"


#: ``kompetens.Instrument``: the survey instrument (the same class).
Instrument = SurveyInstrument


def _float_rows(rows: list[Any]) -> Any:
    """A list of equally long rows of numbers/``None`` as a float64 array,
    else ``None``."""
    if not rows or not all(isinstance(r, (list, tuple)) for r in rows):
        return None
    width = len(rows[0])
    if not width or not all(len(r) == width and all(v is None or _is_real(v) for v in r) for r in rows):
        return None
    import numpy as np  # noqa: PLC0415

    return np.array([[math.nan if v is None else float(v) for v in r] for r in rows], dtype=np.float64)


def _ids_list(ids: Any) -> list[Any] | None:
    if ids is None:
        return None
    return [_tables.ident(i) for i in _tables.to_list(ids)]


def _score(scorer: Any, responses: Any, items: Any, ids: Any, item_ids: list[str]) -> SurveyScores:
    """Route ``responses`` to the native scorer: numeric tables as one
    float64 array, anything else as the JSON table for the core to check."""
    kind = _tables._kind(responses)
    index: Any = None
    if isinstance(responses, Mapping):
        if items is not None or ids is not None:
            raise TypeError("items= and ids= are for arrays; the JSON form names its items and ids itself")
        table = dict(responses)
        if isinstance(table.get("rows"), list):
            table["rows"] = [
                [_tables.cell(v) for v in row] if isinstance(row, (list, tuple)) else row for row in table["rows"]
            ]
        if isinstance(table.get("ids"), (list, tuple)):
            table["ids"] = [_tables.ident(i) for i in table["ids"]]
        return SurveyScores(scorer.score_table(table), None)
    if kind in ("pandas", "polars"):
        if items is not None:
            raise TypeError("items= is for arrays; a DataFrame's columns are the item ids")
        df = responses
        if isinstance(ids, str):
            if ids not in list(df.columns):
                raise KeyError(f"ids: no column {ids!r} in the DataFrame")
            col = df[ids] if kind == "pandas" else df.get_column(ids)
            name = ids
            ids = _tables.to_list(col)
            df = df.drop(columns=[name]) if kind == "pandas" else df.drop(name)
        columns = [_name(c) for c in df.columns]
        id_list = _ids_list(ids)
        if kind == "pandas":
            pd = _tables._pandas()
            if id_list is None and not (
                isinstance(df.index, pd.RangeIndex) and df.index.start == 0 and df.index.step == 1
            ):
                id_list = [_name(i) for i in df.index]
            index = df.index if ids is None else pd.Index(id_list, name="respondent")
            types = pd.api.types
            numeric = all(types.is_numeric_dtype(dt) and not types.is_bool_dtype(dt) for dt in df.dtypes)
            if numeric:
                from .stats import _float_array  # noqa: PLC0415

                return SurveyScores(scorer.score(_float_array(df), columns, id_list), index)
            rows = [[_tables.cell(v) for v in row] for row in df.itertuples(index=False, name=None)]
        else:
            if all(dt.is_numeric() for dt in df.dtypes):
                import numpy as np  # noqa: PLC0415

                array = np.asarray(df.to_numpy(), dtype=np.float64)
                return SurveyScores(scorer.score(array, columns, id_list), None)
            rows = [[_tables.cell(v) for v in row] for row in df.rows()]
        table = {"items": columns, "rows": rows}
        if id_list is not None:
            table["ids"] = id_list
        return SurveyScores(scorer.score_table(table), index)

    id_list = _ids_list(ids)
    columns = None if items is None else [_name(c) for c in _tables.to_list(items)]
    if kind == "numpy" and responses.ndim == 2 and responses.dtype.kind in "iuf":
        return SurveyScores(scorer.score(responses, columns, id_list), None)
    if isinstance(responses, (str, bytes)) or not isinstance(responses, Iterable):
        raise TypeError(
            "responses must be a DataFrame, a 2-D array, a list of rows or the JSON dict form, "
            f"not {type(responses).__name__}"
        )
    raw = responses.tolist() if kind == "numpy" else [
        list(r) if isinstance(r, (list, tuple)) or _tables._kind(r) == "numpy" else r for r in responses
    ]
    array = _float_rows(raw)
    if array is not None:
        return SurveyScores(scorer.score(array, columns, id_list), None)
    table = {
        "items": columns if columns is not None else list(item_ids),
        "rows": [[_tables.cell(v) for v in r] if isinstance(r, list) else r for r in raw],
    }
    if id_list is not None:
        table["ids"] = id_list
    return SurveyScores(scorer.score_table(table), None)


_REASONS = (None, "no_answers", "too_few_answers")


class SurveyScores:
    """Scores and levels of every respondent (see
    :meth:`SurveyInstrument.score`).

    With pandas installed the tables are DataFrames with one row per
    respondent (index: the responses' index, the ``ids``, or 0..n−1);
    without pandas they are lists of dicts. Missing scores are ``NaN``
    (levels ``<NA>``).
    """

    __slots__ = ("_native", "_index", "_cache")

    def __init__(self, native: Any, index: Any) -> None:
        # Private: made by SurveyInstrument.score().
        self._native = native
        self._index = index
        self._cache: dict[str, Any] = {}

    def __len__(self) -> int:
        return len(self._native)

    @property
    def targets(self) -> list[str]:
        """Target (competence) ids: the score columns."""
        return self._native.targets

    @property
    def area_ids(self) -> list[str]:
        """Area ids: the area columns (empty without a framework)."""
        return self._native.areas

    @property
    def ids(self) -> list[str] | None:
        """Respondent ids, when given."""
        return self._native.ids

    def _array(self, name: str) -> Any:
        a = self._cache.get(name)
        if a is None:
            a = self._cache[name] = self._native.array(name)
        return a

    def _pd_index(self, pd: Any) -> Any:
        if self._index is not None:
            return self._index
        ids = self.ids
        if ids is not None:
            return pd.Index(ids, name="respondent")
        return pd.RangeIndex(len(self), name="respondent")

    def _table(self, name: str, columns: list[str], kind: str) -> Any:
        arr = self._array(name)
        pd = _tables._pandas()
        if pd is None:
            out = []
            for row in arr.tolist():
                if kind == "reason":
                    out.append({c: _REASONS[int(v)] for c, v in zip(columns, row)})
                elif kind == "level":
                    out.append({c: None if v != v else int(v) for c, v in zip(columns, row)})
                else:
                    out.append({c: None if v != v else v for c, v in zip(columns, row)})
            return out
        cols = pd.Index(columns, name="target" if not name.startswith("area") else "area")
        if kind == "reason":
            import numpy as np  # noqa: PLC0415

            labels = np.array(_REASONS, dtype=object)
            return pd.DataFrame(labels[arr], index=self._pd_index(pd), columns=cols, dtype=object, copy=False)
        if kind == "level":
            import numpy as np  # noqa: PLC0415

            # Nullable integers built from values + mask (no per-cell work).
            mask = np.asfortranarray(np.isnan(arr))
            values = np.asfortranarray(np.where(mask, 0, arr).astype(np.int64))
            data = {j: pd.arrays.IntegerArray(values[:, j], mask[:, j]) for j in range(len(columns))}
            df = pd.DataFrame(data, index=self._pd_index(pd))
            df.columns = cols
            return df
        return pd.DataFrame(arr, index=self._pd_index(pd), columns=cols, copy=False)

    def _both(self, prefix: str, ids: list[str]) -> Any:
        pd = _tables._pandas()
        scores = self._table(f"{prefix}scores", ids, "score")
        levels = self._table(f"{prefix}levels", ids, "level")
        if pd is None:
            return [{"score": s, "level": lv} for s, lv in zip(scores, levels)]
        return pd.concat({"score": scores, "level": levels}, axis=1)

    @property
    def frame(self) -> Any:
        """Scores and levels per respondent: columns ``("score", target)``
        and ``("level", target)`` — ``frame["score"]`` is :attr:`scores`."""
        return self._both("", self.targets)

    @property
    def scores(self) -> Any:
        """Scores on [0, 1] per respondent (rows) and target (columns)."""
        return self._table("scores", self.targets, "score")

    @property
    def levels(self) -> Any:
        """Levels by the strategy per respondent and target (nullable
        integers)."""
        return self._table("levels", self.targets, "level")

    @property
    def answered(self) -> Any:
        """Answered share per respondent and target (by the chosen basis)."""
        return self._table("answered", self.targets, "score")

    @property
    def reasons(self) -> Any:
        """Why a score is missing (``"no_answers"``, ``"too_few_answers"``;
        ``None`` where scored)."""
        return self._table("status", self.targets, "reason")

    @property
    def areas(self) -> Any:
        """Area scores and levels per respondent: columns ``("score",
        area)`` and ``("level", area)`` (no columns without a framework)."""
        return self._both("area_", self.area_ids)

    @property
    def area_scores(self) -> Any:
        """Area scores on [0, 1] per respondent and area."""
        return self._table("area_scores", self.area_ids, "score")

    @property
    def area_levels(self) -> Any:
        """Area levels per respondent and area."""
        return self._table("area_levels", self.area_ids, "level")

    def to_dict(self) -> dict[str, Any]:
        """The JSON report of the core: instrument, framework, strategy,
        options, targets, areas and one record per respondent with
        ``scores`` and ``areas`` as ``[{id, score, percent, level, label,
        answered, reason}]``."""
        return self._native.report()

    def to_assessments(self, source: str = "self") -> list[dict[str, Any]]:
        """One assessment per respondent (``person`` = id, else the row
        number) with one rating per scored competence at the strategy's
        level, ``source`` ``"self"`` (self-assessment) or ``"test"``; for
        :func:`kompetens.calibration` or per-person
        :func:`kompetens.gap_report`. Needs a framework."""
        return self._native.to_assessments(source)

    def ratings(self, respondent: Any = 0, source: str = "self") -> list[dict[str, Any]]:
        """One respondent's ratings ``[{competence, level, source}]`` for
        :func:`kompetens.gap_report`; ``respondent`` is a row number or a
        respondent id. Missing scores give no rating."""
        if isinstance(respondent, str):
            ids = self.ids
            if ids is None or respondent not in ids:
                raise KeyError(f"no respondent with id {respondent!r}")
            row = ids.index(respondent)
        elif isinstance(respondent, numbers.Integral) and not isinstance(respondent, bool):
            row = int(respondent)
            if row < 0:
                row += len(self)
            if not 0 <= row < len(self):
                raise IndexError(f"respondent {respondent} out of range ({len(self)} respondents)")
        else:
            raise TypeError(f"respondent must be a row number or an id, not {type(respondent).__name__}")
        return self._native.ratings(row, source)

    def _repr_html_(self) -> str:
        return _display.survey_html(self)

    def __repr__(self) -> str:
        return f"SurveyScores(respondents={len(self)}, targets={self.targets!r}, areas={self.area_ids!r})"


def levels(scores: Any, strategy: Any = "digcompsat") -> list[dict[str, Any]]:
    """Level (and label) of each score on [0, 1] by ``strategy`` (as in
    :meth:`SurveyInstrument.score`): ``[{score, percent, level, label}]``;
    ``None``/``NaN`` scores have no level."""
    values = [_tables.number(s) for s in _tables.to_list(scores)]
    inp: dict[str, Any] = {"scores": values}
    if strategy is not None:
        inp["strategy"] = _strategy(strategy)
    return call("survey.levels", inp)
