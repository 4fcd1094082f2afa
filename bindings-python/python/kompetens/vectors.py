"""Run shared test vectors through the idiomatic Python API.

Usage::

    python -m kompetens.vectors [-q] FILE...

Each file is in the ``kompetens-vectors/1`` format (``tests/vectors/README.md``).
Every case's ``op`` is performed through the idiomatic API
(:class:`~kompetens.Framework`, :class:`~kompetens.ProfileSet`,
:func:`~kompetens.gap_report`, :class:`~kompetens.MaturityModel`,
:func:`kompetens.dma.score`, :class:`~kompetens.SurveyInstrument`,
:mod:`kompetens.stats`, :mod:`kompetens.dsi` …), so the vectors test the
binding and not only the core. ``survey.score``/``survey.assessments``
responses and ``stats.cronbach_alpha`` data with ``items`` go in as pandas
DataFrames (ids as the index) whenever the table is rectangular numbers, so
they take the native array path; ``dsi.summarise`` counts tables as a
DataFrame with one column per area when every row is 5 numbers or null. ``maturity.score`` responses go in as a pandas DataFrame
(``null`` → ``NaN``, units as ``units=``) whenever the table is rectangular
numbers; ``aggregate.gaps`` inputs in matrix form, or with people records
that convert exactly into matrices, go through :func:`kompetens.aggregate_gaps`
(``aggregate.finish`` and ``aggregate.audit`` through
:class:`~kompetens.GapAggregator` and :func:`kompetens.aggregate.audit`);
``dma.score`` answers go in as ``{question: answer}`` whenever that
converts back to exactly the same list; ``chart.*`` specs and domain results
go through :mod:`kompetens.charts` (converter arguments and chart options as
keywords). An op without an idiomatic function
(``policy.parse``, unknown ops), or an input the idiomatic API cannot
express (extra keys, a required key missing, ``null`` anywhere but an
optional argument, a ``framework`` or ``model`` that is neither a name nor
an object), goes through :func:`kompetens.call`. The result is compared with the
matching rules; one ``PASS``/``FAIL`` line is printed per case and a final
``N passed, M failed`` line. The exit status is 1 when anything failed.
"""

from __future__ import annotations

import io
import json
import os
import sys
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

from . import _tables, charts, dma, dsi, maturity, stats, survey
from .aggregate import GapAggregator, aggregate_gaps
from .aggregate import audit as aggregate_audit
from ._api import call
from ._errors import KompetensError
from .assessments import calibration, read_assessments_csv, reconcile
from .framework import Framework
from .gaps import gap_report
from .maturity import MaturityModel
from .profiles import ProfileSet, RoleProfile
from .survey import SurveyInstrument

__all__ = [
    "FORMAT",
    "DEFAULT_TOLERANCE",
    "CaseResult",
    "load_cases",
    "perform",
    "match",
    "check_case",
    "run_files",
    "main",
]

#: The vector file format this runner reads.
FORMAT = "kompetens-vectors/1"
#: Relative tolerance for numbers when a case gives none.
DEFAULT_TOLERANCE = 1e-9


@dataclass(frozen=True)
class CaseResult:
    """The outcome of one vector case."""

    file: str
    name: str
    passed: bool
    detail: str = ""

    def line(self) -> str:
        """The ``PASS``/``FAIL`` line printed for this case."""
        head = f"{'PASS' if self.passed else 'FAIL'} {self.file}::{self.name}"
        return head if self.passed or not self.detail else f"{head}: {self.detail}"


def load_cases(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The cases of one vector file; raises ``ValueError`` for a file that is
    not in the ``kompetens-vectors/1`` format."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} file (format is {doc.get('format') if isinstance(doc, dict) else None!r})")
    cases = doc.get("cases")
    if not isinstance(cases, list) or not all(isinstance(c, dict) for c in cases):
        raise ValueError("'cases' must be a list of objects")
    return cases


# --- performing an op through the idiomatic API ---------------------------

_ABSENT = object()


def _fw(value: Any) -> Any:
    """The framework argument as a Python caller would pass it."""
    return Framework.from_dict(value) if isinstance(value, Mapping) else value


def _profile_set(profiles: Any, framework: Any) -> ProfileSet:
    if isinstance(profiles, list):
        return ProfileSet.from_list(profiles, framework=_fw(framework))
    # {"profiles": [...]} or a single profile object: the JSON-file shapes.
    return ProfileSet.from_json(json.dumps(profiles), framework=_fw(framework))


def _framework_load(a: Mapping[str, Any]) -> Any:
    if "text" in a:
        fmt = a.get("format") or "json"
        if fmt == "toml":
            return Framework.from_toml(a["text"]).to_dict()
        return Framework.from_json(a["text"]).to_dict()
    fw = a["framework"]
    if isinstance(fw, str):
        return Framework.builtin(fw).to_dict()
    return Framework.from_dict(fw).to_dict()


def _gap_report(a: Mapping[str, Any]) -> Any:
    if "profiles" in a:
        profile: Any = _profile_set(a["profiles"], a["framework"]).resolve(a["role"])
    else:
        p = a["profile"]
        profile = RoleProfile.from_dict(p) if isinstance(p, Mapping) else p
    return gap_report(_fw(a["framework"]), profile, a["ratings"], policy=a.get("policy")).to_dict()


def _from_csv(a: Mapping[str, Any]) -> Any:
    return read_assessments_csv(
        io.StringIO(a["text"]), form=a["form"], source=a.get("source"), framework=_fw(a["framework"])
    )


# --- maturity -----------------------------------------------------------------


def _model(value: Any) -> MaturityModel:
    """The model argument as a Python caller would pass it."""
    if isinstance(value, str):
        return MaturityModel.builtin(value)
    return MaturityModel.from_dict(value)


def _maturity_load(a: Mapping[str, Any]) -> Any:
    if "text" in a:
        if (a.get("format") or "json") == "toml":
            return MaturityModel.from_toml(a["text"]).to_dict()
        return MaturityModel.from_json(a["text"]).to_dict()
    return _model(a["model"]).to_dict()


def _dataframe(table: Mapping[str, Any]) -> Any:
    """The JSON response table as a pandas DataFrame (None → NaN), when
    pandas is importable and the table is rectangular numbers or nulls with
    string item ids; else ``None``."""
    pd = _tables._pandas()
    items, rows = table.get("items"), table.get("rows")
    if pd is None or not isinstance(items, list) or not isinstance(rows, list):
        return None
    if not all(isinstance(i, str) for i in items):
        return None
    for row in rows:
        if not isinstance(row, list) or len(row) != len(items):
            return None
        if not all(v is None or (_is_number(v) and v == v) for v in row):
            return None
    return pd.DataFrame(
        [[float("nan") if v is None else float(v) for v in row] for row in rows],
        columns=pd.Index(items, dtype=object),
        dtype="float64",
    )


def _maturity_score(a: Mapping[str, Any]) -> Any:
    table = dict(a["responses"])
    units = a.get("units")
    responses: Any = table
    if set(table) <= {"items", "rows", "units"} and (units is None or "units" not in table):
        df = _dataframe(table)
        if df is not None:
            responses = df
            if "units" in table:
                units = table["units"]
    return _model(a["model"]).score(
        responses,
        units=units,
        tree=a.get("tree"),
        settings=a.get("settings"),
        instrument=a.get("instrument"),
    ).to_dict()


def _classify(a: Mapping[str, Any]) -> Any:
    dims = a["result"] if "result" in a else a["dimensions"]
    t = maturity.classify(_model(a["model"]), dims, settings=a.get("settings"))
    return None if t is None else t.to_dict()


def _dma_answers(answers: Any) -> Any:
    """The JSON answer list as ``{question: answer}`` when that converts back
    to exactly the same list (so error locations are the same); else the
    list itself."""
    if not isinstance(answers, list):
        return answers
    mapping: dict[str, Any] = {}
    for ans in answers:
        if not isinstance(ans, Mapping) or not isinstance(ans.get("question"), str):
            return answers
        if ans["question"] in mapping or len(ans) != 2:
            return answers
        if isinstance(ans.get("ticked"), list):
            mapping[ans["question"]] = list(ans["ticked"])
        elif isinstance(ans.get("rows"), list):
            rows: dict[str, Any] = {}
            for r in ans["rows"]:
                if not isinstance(r, Mapping) or not isinstance(r.get("row"), str) or r["row"] in rows:
                    return answers
                if set(r) == {"row", "ticked"} and isinstance(r["ticked"], list):
                    rows[r["row"]] = list(r["ticked"])
                elif set(r) == {"row", "value"} and r["value"] is not None and not isinstance(r["value"], list):
                    rows[r["row"]] = r["value"]
                else:
                    return answers
            mapping[ans["question"]] = rows
        else:
            return answers
    return mapping if dma._answers(mapping) == answers else answers


def _dma_score(a: Mapping[str, Any]) -> Any:
    answers = _dma_answers(a["answers"])
    if "model" in a:
        return _model(a["model"]).score_dma(answers, settings=a.get("settings")).to_dict()
    return dma.score(answers, settings=a.get("settings")).to_dict()


# --- aggregate ------------------------------------------------------------------

_AGG_PUBLISH = {"min_group", "suppression", "top"}


def _agg_tree(tree: Any) -> Any:
    """A JSON ``{unit: parent}`` object has no significant key order: the
    core takes its units in sorted key order, so the list form does too."""
    if isinstance(tree, Mapping):
        return [{"id": k, "parent": tree[k]} for k in sorted(tree)]
    return tree


def _agg_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _agg_people_ok(a: Mapping[str, Any]) -> bool:
    """People records that convert exactly into matrices (anything else,
    errors included, goes to the core with its record locations)."""
    comps, people, tree = a.get("competences"), a["people"], a["tree"]
    if not (isinstance(comps, list) and all(isinstance(c, str) for c in comps) and isinstance(people, list)):
        return False
    if isinstance(tree, Mapping):
        ids = set(tree)
    elif isinstance(tree, list) and all(isinstance(u, Mapping) for u in tree):
        ids = {u.get("id") for u in tree}
    else:
        return False
    lo, hi = a.get("level_min", 0), a.get("level_max", 8)
    for p in people:
        if not isinstance(p, Mapping) or not set(p) <= {"id", "unit", "levels", "required"}:
            return False
        if p.get("unit") not in ids or not isinstance(p.get("required"), Mapping):
            return False
        lv = p.get("levels", {})
        if not isinstance(lv, Mapping) or not set(lv) <= set(comps) or not set(p["required"]) <= set(comps):
            return False
        if not all(v is None or (_agg_int(v) and lo <= v <= hi) for v in lv.values()):
            return False
        if not all(_agg_int(v) and (v == 0 or max(lo, 1) <= v <= hi) for v in p["required"].values()):
            return False
    return True


def _agg_matrix_ok(a: Mapping[str, Any]) -> bool:
    comps = a.get("competences")
    rows_ok = lambda m, null: isinstance(m, list) and all(  # noqa: E731
        isinstance(r, list) and len(r) == len(comps) and all((v is None and null) or _agg_int(v) for v in r)
        for r in m)
    return (
        isinstance(comps, list) and all(isinstance(c, str) for c in comps)
        and isinstance(a["levels"], list) and len(a["levels"]) == len(a["required"]) == len(a["units"])
        and rows_ok(a["levels"], True) and rows_ok(a["required"], False)
        and isinstance(a["units"], list) and all(isinstance(u, str) for u in a["units"])
        and isinstance(a["tree"], (list, Mapping))
    )


def _agg_gaps_people(a: Mapping[str, Any]) -> Any:
    comps = a["competences"]
    pos = {c: i for i, c in enumerate(comps)}
    people = a["people"]
    levels = [[-1] * len(comps) for _ in people]
    required = [[0] * len(comps) for _ in people]
    for p, person in enumerate(people):
        for c, v in person.get("levels", {}).items():
            levels[p][pos[c]] = -1 if v is None else v
        for c, v in person["required"].items():
            required[p][pos[c]] = v
    return _agg_gaps({**a, "levels": levels, "required": required, "units": [p["unit"] for p in people]})


def _agg_gaps(a: Mapping[str, Any]) -> Any:
    import numpy as np  # noqa: PLC0415

    n_c = len(a["competences"])
    levels = np.array([[-1 if v is None else v for v in r] for r in a["levels"]], dtype=np.int64).reshape(-1, n_c)
    required = np.array(a["required"], dtype=np.int64).reshape(-1, n_c)
    return aggregate_gaps(
        levels, required, np.array(a["units"], dtype=object), _agg_tree(a["tree"]),
        competences=a["competences"], weights=a.get("weights"),
        level_min=a.get("level_min", 0), level_max=a.get("level_max", 8),
        **{k: a[k] for k in _AGG_PUBLISH if k in a},
    ).to_dict()


def _agg_finish(a: Mapping[str, Any]) -> Any:
    agg = GapAggregator.from_json(a["state"])
    return agg.finish(**{k: a[k] for k in _AGG_PUBLISH if k in a}).to_dict()


_AGG_DATA = {"competences", "weights", "level_min", "level_max", "min_group", "suppression", "top"}


# --- survey, statistics and DSI ------------------------------------------------


def _rectangular(rows: Any, width: int | None = None) -> bool:
    """Rows of equally many numbers or nulls (``width`` of them if given)."""
    if not isinstance(rows, list) or not rows:
        return False
    w = width if width is not None else (len(rows[0]) if isinstance(rows[0], list) else -1)
    return all(
        isinstance(r, list) and len(r) == w and all(v is None or _is_number(v) for v in r) for r in rows
    )


def _alpha_ok(a: Mapping[str, Any]) -> bool:
    items = a.get("items")
    if items is None:
        return isinstance(a["data"], list)
    return (
        isinstance(items, list)
        and all(isinstance(i, str) for i in items)
        and _rectangular(a["data"], len(items))
        and _tables._pandas() is not None
    )


def _alpha(a: Mapping[str, Any]) -> Any:
    data: Any = a["data"]
    if "items" in a:
        data = _dataframe({"items": a["items"], "rows": data})
    return stats.cronbach_alpha(
        data,
        scale=a.get("scale"),
        reverse=a.get("reverse", ()),
        missing=a.get("missing", "pairwise"),
        ci_level=a.get("ci_level", 0.95),
    ).to_dict()


def _wilcoxon(a: Mapping[str, Any]) -> Any:
    opts = {k: a[k] for k in ("alternative", "method", "correction", "rounding") if k in a}
    return stats.wilcoxon(a.get("before"), a.get("after"), differences=a.get("differences"), **opts).to_dict()


def _paired_opts(a: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    return {k: a[k] for k in keys if k in a}


def _survey_instrument(a: Mapping[str, Any]) -> Any:
    if "text" in a:
        if (a.get("format") or "json") == "toml":
            return SurveyInstrument.from_toml(a["text"]).to_dict()
        return SurveyInstrument.from_json(a["text"]).to_dict()
    return SurveyInstrument.from_dict(a["instrument"]).to_dict()


def _survey_ok(a: Mapping[str, Any]) -> bool:
    return (
        isinstance(a["instrument"], Mapping)
        and (("responses" in a) != ("answers" in a))
        and isinstance(a.get("responses", {}), Mapping)
        and isinstance(a.get("answers", {}), Mapping)
        and isinstance(a.get("framework", ""), (str, Mapping))
    )


def _survey_scores(a: Mapping[str, Any]) -> Any:
    inst = SurveyInstrument.from_dict(a["instrument"])
    opts: dict[str, Any] = {
        k: a[k] for k in ("strategy", "min_answered", "basis", "area_method") if k in a
    }
    if "framework" in a:
        opts["framework"] = _fw(a["framework"])
    if "answers" in a:
        return inst.score_answers(a["answers"], **opts)
    table = a["responses"]
    responses: Any = table
    if set(table) <= {"items", "rows", "ids"}:
        df = _dataframe(table)
        ids = table.get("ids")
        if df is not None and (
            ids is None
            or (isinstance(ids, list) and len(ids) == len(df) and all(isinstance(i, str) for i in ids)
                and len(set(ids)) == len(ids))
        ):
            if ids is not None:
                df.index = _tables._pandas().Index(ids, dtype=object)
            responses = df
    return inst.score(responses, **opts)


def _dsi_table(table: Any) -> Any:
    """The counts table as a DataFrame with one column per area (a null row
    = all NaN) when every row is null or 5 numbers; else as given."""
    pd = _tables._pandas()
    if pd is None or not isinstance(table, list) or not table:
        return table
    rows = []
    for row in table:
        if row is None:
            rows.append([float("nan")] * 5)
        elif isinstance(row, list) and len(row) == 5 and all(_is_number(v) for v in row):
            rows.append([float(v) for v in row])
        else:
            return table
    return pd.DataFrame(rows, columns=list(dsi.AREAS))


def _dsi_summarise(a: Mapping[str, Any]) -> Any:
    if "categories" in a:
        return dsi.summarise_categories(a["categories"], a.get("weights")).to_dict()
    return dsi.summarise(_dsi_table(a["counts_table"]), a.get("weights"), thresholds=a.get("thresholds")).to_dict()


_modelok: Callable[[Mapping[str, Any]], bool] = lambda a: isinstance(a.get("model"), (str, Mapping))  # noqa: E731
_settingsok: Callable[[Mapping[str, Any]], bool] = lambda a: isinstance(a.get("settings", {}), Mapping)  # noqa: E731


# op -> (required keys, optional keys, check of the values, performer)
_fwok: Callable[[Mapping[str, Any]], bool] = lambda a: isinstance(a.get("framework"), (str, Mapping))  # noqa: E731
_OPS: dict[str, Any] = {
    "framework.builtin": (
        {"name"}, set(), lambda a: isinstance(a["name"], str),
        lambda a: Framework.builtin(a["name"]).to_dict(),
    ),
    "framework.load": (
        set(), {"framework", "text", "format"},
        lambda a: ("text" in a) != ("framework" in a)
        and (isinstance(a.get("text"), str) and a.get("format") in (None, "json", "toml")
             if "text" in a else _fwok(a) and "format" not in a),
        _framework_load,
    ),
    "profiles.resolve": (
        {"framework", "profiles", "role"}, set(),
        lambda a: _fwok(a) and isinstance(a["role"], str),
        lambda a: _profile_set(a["profiles"], a["framework"]).resolve(a["role"]).to_dict(),
    ),
    "reconcile": (
        {"framework", "ratings"}, {"policy"}, _fwok,
        lambda a: reconcile(_fw(a["framework"]), a["ratings"], policy=a.get("policy")),
    ),
    "gap_report": (
        {"framework", "ratings"}, {"policy", "profile", "profiles", "role"},
        lambda a: _fwok(a)
        and (("profile" in a and "profiles" not in a and "role" not in a)
             or ("profiles" in a and "profile" not in a and isinstance(a.get("role"), str))),
        _gap_report,
    ),
    "calibration": (
        {"framework", "assessments"}, set(), _fwok,
        lambda a: calibration(_fw(a["framework"]), a["assessments"]).to_dict(),
    ),
    "assessments.from_csv": (
        {"framework", "text", "form"}, {"source"},
        lambda a: _fwok(a) and isinstance(a["text"], str) and isinstance(a["form"], str),
        _from_csv,
    ),
    "maturity.builtin": (
        {"name"}, set(), lambda a: isinstance(a["name"], str),
        lambda a: MaturityModel.builtin(a["name"]).to_dict(),
    ),
    "maturity.load": (
        set(), {"model", "text", "format"},
        lambda a: ("text" in a) != ("model" in a)
        and (isinstance(a.get("text"), str) and a.get("format") in (None, "json", "toml")
             if "text" in a else _modelok(a) and "format" not in a),
        _maturity_load,
    ),
    "maturity.settings": (
        set(), {"settings"}, _settingsok,
        lambda a: maturity.default_settings(a.get("settings")),
    ),
    "maturity.example_instrument": (
        {"model"}, set(), _modelok, lambda a: _model(a["model"]).example_instrument(),
    ),
    "maturity.instrument": (
        {"model"}, set(), _modelok, lambda a: _model(a["model"]).instrument(),
    ),
    "maturity.with_instrument": (
        {"model", "instrument"}, set(), lambda a: _modelok(a) and isinstance(a["instrument"], Mapping),
        lambda a: _model(a["model"]).with_instrument(a["instrument"]).to_dict(),
    ),
    "maturity.score": (
        {"model", "responses"}, {"instrument", "units", "tree", "settings"},
        lambda a: _modelok(a) and _settingsok(a) and isinstance(a["responses"], Mapping)
        and isinstance(a.get("instrument", {}), Mapping)
        and isinstance(a.get("units", []), list) and isinstance(a.get("tree", []), list),
        _maturity_score,
    ),
    "maturity.classify": (
        {"model"}, {"dimensions", "result", "settings"},
        lambda a: _modelok(a) and _settingsok(a) and (("dimensions" in a) != ("result" in a))
        and isinstance(a.get("result", {}), Mapping) and isinstance(a.get("dimensions", []), list),
        _classify,
    ),
    "maturity.overall_from_dimensions": (
        {"model", "dimensions"}, {"inputs_rounded_to_decimals", "settings"},
        lambda a: _modelok(a) and _settingsok(a) and isinstance(a["dimensions"], list),
        lambda a: maturity.overall_from_dimensions(
            _model(a["model"]), a["dimensions"],
            inputs_rounded_to_decimals=a.get("inputs_rounded_to_decimals"), settings=a.get("settings"),
        ).to_dict(),
    ),
    "maturity.compare": (
        {"current", "previous"}, set(),
        lambda a: isinstance(a["current"], Mapping) and isinstance(a["previous"], Mapping),
        lambda a: maturity.compare(a["current"], a["previous"]).to_dict(),
    ),
    "maturity.benchmark": (
        {"result", "type", "peers"}, {"organisation"},
        lambda a: isinstance(a["result"], Mapping) and isinstance(a["type"], str)
        and isinstance(a["peers"], list),
        lambda a: maturity.benchmark(
            a["result"], a["peers"], type=a["type"], organisation=a.get("organisation")
        ).to_dict(),
    ),
    "dma.settings": (
        set(), {"settings"}, _settingsok, lambda a: dma.default_settings(a.get("settings")),
    ),
    "dma.score": (
        {"answers"}, {"model", "settings"},
        lambda a: _settingsok(a) and ("model" not in a or _modelok(a)),
        _dma_score,
    ),
    "aggregate.gaps": (
        {"tree", "levels", "required", "units"}, _AGG_DATA, _agg_matrix_ok, _agg_gaps,
    ),
    "aggregate.gaps#people": (
        {"tree", "people", "competences"}, _AGG_DATA, _agg_people_ok, _agg_gaps_people,
    ),
    "aggregate.finish": (
        {"state"}, {"min_group", "suppression", "top"},
        lambda a: isinstance(a["state"], Mapping), _agg_finish,
    ),
    "aggregate.audit": (
        {"tree", "rows"}, {"min_group"},
        lambda a: isinstance(a["rows"], list) and isinstance(a["tree"], (list, Mapping)),
        lambda a: aggregate_audit(a["rows"], _agg_tree(a["tree"]), min_group=a.get("min_group", 5)).to_dict(),
    ),
    "stats.cronbach_alpha": (
        {"data"}, {"items", "missing", "ci_level", "scale", "reverse"}, _alpha_ok, _alpha,
    ),
    "stats.interpolated_median": (
        {"values"}, {"interval"}, lambda a: isinstance(a["values"], list),
        lambda a: stats.interpolated_median(a["values"], **_paired_opts(a, ["interval"])).to_dict(),
    ),
    "stats.top_box": (
        {"values"}, {"scale"}, lambda a: isinstance(a["values"], list),
        lambda a: stats.top_box(a["values"], a.get("scale")).to_dict(),
    ),
    "stats.distribution": (
        {"values"}, {"scale"}, lambda a: isinstance(a["values"], list),
        lambda a: stats.distribution(a["values"], a.get("scale")).to_dict(),
    ),
    "stats.wilcoxon": (
        set(), {"before", "after", "differences", "alternative", "method", "correction", "rounding"},
        lambda a: all(isinstance(a.get(k, []), list) for k in ("before", "after", "differences")),
        _wilcoxon,
    ),
    "stats.paired_t": (
        {"before", "after"}, {"alternative", "ci_level"},
        lambda a: isinstance(a["before"], list) and isinstance(a["after"], list),
        lambda a: stats.paired_t(a["before"], a["after"], **_paired_opts(a, ["alternative", "ci_level"])).to_dict(),
    ),
    "stats.paired": (
        {"before", "after"}, {"alternative", "method", "correction", "rounding", "ci_level"},
        lambda a: isinstance(a["before"], list) and isinstance(a["after"], list),
        lambda a: stats.paired(
            a["before"], a["after"],
            **_paired_opts(a, ["alternative", "method", "correction", "rounding", "ci_level"]),
        ).to_dict(),
    ),
    "dsi.thresholds": (set(), set(), lambda a: True, lambda a: dsi.thresholds()),
    "dsi.classify": (
        set(), {"counts", "thresholds"}, lambda a: isinstance(a.get("thresholds", {}), Mapping),
        lambda a: dsi.classify(a.get("counts"), thresholds=a.get("thresholds")).to_dict(),
    ),
    "dsi.summarise": (
        set(), {"counts_table", "categories", "weights", "thresholds"},
        lambda a: ("counts_table" in a) != ("categories" in a)
        and ("categories" not in a or "thresholds" not in a)
        and isinstance(a.get("thresholds", {}), Mapping)
        and isinstance(a.get("counts_table", a.get("categories")), list)
        and isinstance(a.get("weights", []), list),
        _dsi_summarise,
    ),
    "survey.instrument": (
        set(), {"instrument", "text", "format"},
        lambda a: ("text" in a) != ("instrument" in a)
        and (isinstance(a.get("text"), str) and a.get("format") in (None, "json", "toml")
             if "text" in a else isinstance(a["instrument"], Mapping) and "format" not in a),
        _survey_instrument,
    ),
    "survey.score": (
        {"instrument"}, {"responses", "answers", "framework", "strategy", "min_answered", "basis", "area_method"},
        _survey_ok, lambda a: _survey_scores(a).to_dict(),
    ),
    "survey.assessments": (
        {"instrument"},
        {"responses", "answers", "framework", "strategy", "min_answered", "basis", "area_method", "source"},
        lambda a: _survey_ok(a) and isinstance(a.get("source", ""), str),
        lambda a: _survey_scores({k: v for k, v in a.items() if k != "source"}).to_assessments(
            a.get("source", "self")
        ),
    ),
    "survey.levels": (
        {"scores"}, {"strategy"}, lambda a: isinstance(a["scores"], list),
        lambda a: survey.levels(a["scores"], a.get("strategy", "digcompsat")),
    ),
}


_CHART_OPTIONS = {"lang", "width", "title", "desc", "id"}


def _chart(draw: Callable[..., str], forms: Sequence[str], converter: Iterable[str]) -> Any:
    """A chart operation through :mod:`kompetens.charts`: the spec or the
    domain result (the one of ``forms`` present) first, then the
    converter's arguments and the chart options as keywords."""
    converter = set(converter)

    def ok(a: Mapping[str, Any]) -> bool:
        return (
            sum(f in a for f in forms) == 1
            and isinstance(a.get("options", {}), Mapping)
            and set(a.get("options", {})) <= _CHART_OPTIONS
            and ("spec" not in a or not (set(a) & converter))
        )

    def run(a: Mapping[str, Any]) -> str:
        form = next(f for f in forms if f in a)
        kwargs = {k: v for k, v in a.items() if k in converter}
        return str(draw(a[form], **kwargs, **a.get("options", {})))

    return (set(), set(forms) | converter | {"options"}, ok, run)


_OPS.update({
    "chart.radar": _chart(charts.radar, ["spec", "gap_report"], ["framework", "by", "extra"]),
    "chart.heatmap": _chart(
        charts.heatmap, ["spec", "publication"],
        ["metric", "scope", "by", "role", "unit_names", "framework"],
    ),
    "chart.dimios_quadrant": _chart(
        charts.dimios_quadrant, ["spec", "result"], ["peers", "model", "settings", "label"],
    ),
    "chart.dimios_spider": _chart(charts.dimios_spider, ["spec", "result", "benchmark"], ["peers", "model", "label"]),
    "chart.change": _chart(
        charts.change, ["spec", "comparison", "waves"],
        ["by", "model", "unit", "scope", "framework", "before_label", "after_label"],
    ),
})


_NULLABLE = {
    "policy", "source", "format", "settings", "instrument", "units", "tree", "organisation",
    "inputs_rounded_to_decimals",
    # survey, statistics and DSI options (null = default, as in the core)
    "items", "missing", "ci_level", "scale", "reverse", "interval", "alternative", "method",
    "correction", "rounding", "thresholds", "counts", "weights", "framework", "strategy",
    "min_answered", "basis", "area_method",
}


def perform(op: str, input: Any) -> Any:
    """Perform ``op`` on ``input`` through the idiomatic API and return the
    result in the JSON shape; falls back to :func:`kompetens.call` as
    described in the module docs."""
    specs = [_OPS.get(op), _OPS.get(op + "#people")]
    for spec in specs:
        if spec is None or not isinstance(input, Mapping):
            continue
        required, optional, ok, run = spec
        # A null optional argument (policy, source, format) means "absent",
        # as in the core; any other null is left to the core to judge.
        given = {k: v for k, v in input.items() if v is not None}
        nulls = set(input) - set(given)
        if (
            nulls <= _NULLABLE
            and set(input) <= set(required) | set(optional)
            and set(required) <= set(given)
            and ok(given)
        ):
            return run(given)
    return call(op, input)


# --- matching --------------------------------------------------------------


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _show(x: Any) -> str:
    text = json.dumps(x, ensure_ascii=False, default=repr)
    return text if len(text) <= 80 else text[:77] + "..."


def match(expected: Any, actual: Any, tolerance: float = DEFAULT_TOLERANCE, path: str = "$") -> str | None:
    """Compare by the vector matching rules; ``None`` when ``actual`` matches,
    else a description of the first mismatch (with its path)."""
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return f"{path}: expected an object, got {_show(actual)}"
        for key, value in expected.items():
            sub = f"{path}.{key}"
            if key not in actual:
                return f"{sub}: missing"
            found = match(value, actual[key], tolerance, sub)
            if found:
                return found
        return None
    if isinstance(expected, list):
        if not isinstance(actual, (list, tuple)):
            return f"{path}: expected an array, got {_show(actual)}"
        if len(actual) != len(expected):
            return f"{path}: expected {len(expected)} elements, got {len(actual)}: {_show(actual)}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            found = match(e, a, tolerance, f"{path}[{i}]")
            if found:
                return found
        return None
    if _is_number(expected):
        if not _is_number(actual):
            return f"{path}: expected {_show(expected)}, got {_show(actual)}"
        if not abs(actual - expected) <= tolerance * max(1.0, abs(expected)):
            return f"{path}: expected {expected!r}, got {actual!r} (tolerance {tolerance:g})"
        return None
    if expected is None:
        return None if actual is None else f"{path}: expected null, got {_show(actual)}"
    if isinstance(expected, bool):
        if isinstance(actual, bool) and actual == expected:
            return None
        return f"{path}: expected {_show(expected)}, got {_show(actual)}"
    if isinstance(actual, str) and isinstance(expected, str) and actual == expected:
        return None
    return f"{path}: expected {_show(expected)}, got {_show(actual)}"


def check_case(case: Mapping[str, Any]) -> str | None:
    """Run one case; ``None`` when it passes, else why it failed."""
    op = case.get("op")
    if not isinstance(op, str):
        return "the case has no 'op'"
    has_expected, has_error = "expected" in case, "error" in case
    if has_expected == has_error:
        return "a case needs exactly one of 'expected' and 'error'"
    tolerance = case.get("tolerance", DEFAULT_TOLERANCE)
    if not _is_number(tolerance) or tolerance < 0:
        return f"bad tolerance {tolerance!r}"
    try:
        actual = perform(op, case.get("input"))
    except KompetensError as err:
        if has_expected:
            return f"unexpected error {err.code} at {err.location}: {err.message}"
        want = case["error"]
        if not isinstance(want, Mapping) or "code" not in want:
            return "'error' must be an object with a 'code'"
        if err.code != want["code"]:
            return f"expected error {want['code']}, got {err.code} at {err.location}: {err.message}"
        if want.get("location") is not None and err.location != want["location"]:
            return f"error {err.code}: expected location {want['location']!r}, got {err.location!r}"
        return None
    except Exception as err:  # a binding bug: report it, keep going
        return f"{type(err).__name__}: {err}"
    if has_error:
        return f"expected error {case['error'].get('code')!r}, got a result: {_show(actual)}"
    return match(case["expected"], actual, float(tolerance))


def _run_file(path: str) -> list[CaseResult]:
    try:
        cases = load_cases(path)
    except (OSError, ValueError) as err:
        return [CaseResult(path, "<file>", False, f"cannot read vectors: {err}")]
    results = []
    seen: set[str] = set()
    for i, case in enumerate(cases):
        name = case.get("name")
        label = name if isinstance(name, str) and name else f"#{i}"
        if label in seen:
            results.append(CaseResult(path, label, False, "duplicate case name in this file"))
            continue
        seen.add(label)
        failure = check_case(case)
        results.append(CaseResult(path, label, failure is None, failure or ""))
    return results


def run_files(
    paths: Iterable[str | os.PathLike[str]], *, out: Any = None, quiet: bool = False
) -> tuple[int, int]:
    """Run every case of every file, printing a line per case (only failures
    when ``quiet``) and the summary; returns ``(passed, failed)``."""
    out = sys.stdout if out is None else out
    passed = failed = 0
    for path in paths:
        for result in _run_file(os.fspath(path)):
            if result.passed:
                passed += 1
            else:
                failed += 1
            if not (quiet and result.passed):
                print(result.line(), file=out)
    print(f"{passed} passed, {failed} failed", file=out)
    return passed, failed


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    quiet = False
    while args and args[0] in ("-q", "--quiet"):
        quiet = True
        args.pop(0)
    if not args or args[0] in ("-h", "--help"):
        print("usage: python -m kompetens.vectors [-q] FILE...", file=sys.stderr)
        return 2
    _, failed = run_files(args, quiet=quiet)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
