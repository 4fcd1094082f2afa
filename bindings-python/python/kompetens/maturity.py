"""Digital maturity: a generic maturity-model engine with DiMiOS (Digital
mognad i offentlig sektor, ``"dimios"``) and the EU Digital Maturity
Assessment for public sector organisations (``"edih-dma-pso"``) built in.

A :class:`MaturityModel` has dimensions → categories → capabilities →
items. :meth:`MaturityModel.score` takes one measurement — respondents ×
item ids as a pandas or polars DataFrame, a 2-D numpy array with
``items=[...]`` or the JSON dict form; ``NaN``/``None`` = missing — and
returns a :class:`MaturityResult`: overall, dimension, category and
capability percentages (0–100), agreement, reliability, the weakest and
strongest categories, the quadrant type, per-unit results over an
organisation tree (small units withheld), change against a previous
measurement and a peer benchmark. Every rule runs in the Rust core
(``core/src/maturity``); this module only converts shapes. Every assumption
is a setting (``settings=``; see :func:`default_settings`).

>>> import kompetens
>>> model = kompetens.MaturityModel.builtin("dimios")
>>> est = kompetens.maturity.overall_from_dimensions(
...     model, {"arv": 59, "formaga": 47}, inputs_rounded_to_decimals=0)
>>> est.overall, est.type.letter
(53.0, 'C')
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Sequence, Union

from . import _display, _tables
from ._api import _check_str, _text, call
from .charts import Svg

if TYPE_CHECKING:  # pragma: no cover
    from .dma import DmaResult

__all__ = [
    "MaturityModel",
    "MaturityResult",
    "MaturityType",
    "Dimension",
    "Category",
    "Capability",
    "Band",
    "Axis",
    "Ranked",
    "UnitScore",
    "UnitResult",
    "Change",
    "Comparison",
    "BenchmarkLine",
    "Benchmark",
    "OverallEstimate",
    "classify",
    "overall_from_dimensions",
    "compare",
    "benchmark",
    "default_settings",
]


def _settings_arg(inp: dict[str, Any], settings: Any) -> None:
    if settings is not None:
        if not isinstance(settings, Mapping):
            raise TypeError(f"settings must be a dict, not {type(settings).__name__}")
        inp["settings"] = dict(settings)


# --- the model ---------------------------------------------------------------


class _Part:
    """A read-only view of one part of a model."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data

    @property
    def id(self) -> str:
        """Id."""
        return self._data["id"]

    @property
    def weight(self) -> float:
        """Weight within its parent (default 1: equal weights)."""
        return float(self._data.get("weight", 1.0))

    def name(self, lang: str = "en") -> str:
        """Name in ``lang`` (falls back to English, then any language)."""
        return _text(self._data.get("name"), lang)

    def description(self, lang: str = "en") -> str:
        """Description in ``lang`` ("" when there is none)."""
        return _text(self._data.get("description"), lang)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of this part (a deep copy)."""
        return copy.deepcopy(dict(self._data))

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._data == self._data  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, json.dumps(self._data, sort_keys=True)))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self.id!r}, name={self.name()!r})"


class Capability(_Part):
    """A capability and its items."""

    __slots__ = ("_category", "_dimension")

    def __init__(self, data: Mapping[str, Any], category: str, dimension: str) -> None:
        super().__init__(data)
        self._category = category
        self._dimension = dimension

    @property
    def category(self) -> str:
        """Category id."""
        return self._category

    @property
    def dimension(self) -> str:
        """Dimension id."""
        return self._dimension

    @property
    def reverse_scored(self) -> bool:
        """Whether the capability's items are reverse keyed by default."""
        return bool(self._data.get("reverse_scored", False))

    @property
    def item_ids(self) -> list[str]:
        """Ids of the capability's items (the current instrument's)."""
        return [i["id"] for i in self._data.get("items", ())]


class Category(_Part):
    """A category and its capabilities."""

    __slots__ = ("_dimension", "_capabilities")

    def __init__(self, data: Mapping[str, Any], dimension: str) -> None:
        super().__init__(data)
        self._dimension = dimension
        self._capabilities = tuple(
            Capability(c, data["id"], dimension) for c in data.get("capabilities", ())
        )

    @property
    def dimension(self) -> str:
        """Dimension id."""
        return self._dimension

    @property
    def capabilities(self) -> list[Capability]:
        """The category's capabilities, in model order."""
        return list(self._capabilities)


class Dimension(_Part):
    """A dimension and its categories."""

    __slots__ = ("_categories",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        super().__init__(data)
        self._categories = tuple(Category(c, data["id"]) for c in data.get("categories", ()))

    @property
    def categories(self) -> list[Category]:
        """The dimension's categories, in model order."""
        return list(self._categories)


class MaturityModel:
    """A validated maturity model (immutable).

    Create one with :meth:`builtin` (``"dimios"``, ``"edih-dma-pso"``),
    :meth:`from_json`, :meth:`from_toml` or :meth:`from_dict`.
    """

    __slots__ = ("_data", "_ref", "_dimensions")

    def __init__(self, data: Mapping[str, Any], *, _builtin: str | None = None) -> None:
        # Private: `data` must come from the core (validated).
        self._data = data
        self._ref: Any = _builtin if _builtin is not None else data
        self._dimensions = tuple(Dimension(d) for d in data["dimensions"])

    @classmethod
    def builtin(cls, name: str) -> MaturityModel:
        """A built-in model: ``"dimios"`` or ``"edih-dma-pso"``."""
        _check_str(name, "name")
        return cls(call("maturity.builtin", {"name": name}), _builtin=name)

    @classmethod
    def from_json(cls, text: str) -> MaturityModel:
        """Load and validate a model from JSON text."""
        _check_str(text, "text")
        return cls(call("maturity.load", {"text": text, "format": "json"}))

    @classmethod
    def from_toml(cls, text: str) -> MaturityModel:
        """Load and validate a model from TOML text."""
        _check_str(text, "text")
        return cls(call("maturity.load", {"text": text, "format": "toml"}))

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> MaturityModel:
        """Load and validate a model from a dict in the JSON shape (errors
        name the path from ``model``, e.g. ``model.dimensions[1].id``)."""
        if not isinstance(d, Mapping):
            raise TypeError(f"d must be a dict, not {type(d).__name__}")
        return cls(call("maturity.load", {"model": d}))

    @property
    def id(self) -> str:
        """Stable id, e.g. ``"dimios"``."""
        return self._data["id"]

    @property
    def version(self) -> str:
        """Version string."""
        return self._data["version"]

    @property
    def source(self) -> str | None:
        """Where the model comes from, if given."""
        return self._data.get("source")

    def name(self, lang: str = "en") -> str:
        """Name in ``lang`` (falls back to English, then any language)."""
        return _text(self._data.get("name"), lang)

    def description(self, lang: str = "en") -> str:
        """Description in ``lang``."""
        return _text(self._data.get("description"), lang)

    @property
    def dimensions(self) -> list[Dimension]:
        """Dimensions, in model order."""
        return list(self._dimensions)

    @property
    def categories(self) -> list[Category]:
        """All categories in model order."""
        return [c for d in self._dimensions for c in d._categories]

    @property
    def capabilities(self) -> list[Capability]:
        """All capabilities in model order."""
        return [k for d in self._dimensions for c in d._categories for k in c._capabilities]

    @property
    def item_ids(self) -> list[str]:
        """Ids of the model's current items in model order: the column names
        :meth:`score` expects."""
        return [i for k in self.capabilities for i in k.item_ids]

    @property
    def has_questionnaire(self) -> bool:
        """Whether the model has a questionnaire (:meth:`score_dma`)."""
        return self._data.get("questionnaire") is not None

    def example_instrument(self) -> dict[str, Any]:
        """The model's **example** instrument (``example: True``): one
        statement per capability in the kompetens authors' words, not an
        official questionnaire. Raises when the model has none."""
        return call("maturity.example_instrument", {"model": self._ref})

    def instrument(self) -> dict[str, Any]:
        """The model's current items as an instrument dict."""
        return call("maturity.instrument", {"model": self._ref})

    def with_instrument(self, instrument: Mapping[str, Any]) -> MaturityModel:
        """A copy of the model whose items are ``instrument``'s (items mapped
        to capability ids, e.g. a licensed questionnaire)."""
        return MaturityModel(
            call("maturity.with_instrument", {"model": self._ref, "instrument": instrument})
        )

    def score(
        self,
        responses: Any,
        *,
        items: Union[Sequence[str], None] = None,
        units: Any = None,
        tree: Any = None,
        settings: Union[Mapping[str, Any], None] = None,
        instrument: Union[Mapping[str, Any], None] = None,
    ) -> MaturityResult:
        """Score one measurement (one organisation, one period).

        ``responses``: respondents × items — a pandas or polars DataFrame
        whose columns are item ids (``NaN``/``None``/``pd.NA`` = missing;
        the index is ignored), a 2-D numpy array or list of rows with
        ``items=[...]`` naming the columns, or the JSON dict form
        ``{"items": [...], "rows": [[...]], "units"?: [...]}``.

        ``units``: the unit id of each respondent (sequence, Series or
        array; missing = no unit; integer ids become strings), or the name
        of a DataFrame column holding them. ``tree``: the organisation tree
        as a DataFrame (columns ``id``, ``parent``, optional
        ``name_<lang>``), a list of ``{id, parent?, name?}`` dicts or a
        ``{unit: parent}`` mapping (``None`` parent = root). ``settings``:
        scoring settings (see :func:`default_settings`). ``instrument``: an
        instrument dict whose items replace the model's for this scoring.
        """
        table, top_units = _tables.response_table(responses, items, units)
        inp: dict[str, Any] = {"model": self._ref, "responses": table}
        if top_units is not None:
            inp["units"] = top_units
        if tree is not None:
            inp["tree"] = _tables.tree(tree)
        if instrument is not None:
            inp["instrument"] = instrument
        _settings_arg(inp, settings)
        return MaturityResult(call("maturity.score", inp))

    def score_dma(self, answers: Any, *, settings: Union[Mapping[str, Any], None] = None) -> DmaResult:
        """Score a questionnaire of the model (EU DMA): see
        :func:`kompetens.dma.score`."""
        from .dma import score  # noqa: PLC0415 (dma imports this module)

        return score(answers, settings=settings, model=self)

    def to_dict(self) -> dict[str, Any]:
        """The model in its JSON shape (a deep copy)."""
        return copy.deepcopy(dict(self._data))

    def to_json(self, indent: int | None = 2) -> str:
        """The model as JSON text (UTF-8 characters kept as they are)."""
        return json.dumps(self._data, ensure_ascii=False, indent=indent)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MaturityModel) and other._data == self._data

    def __hash__(self) -> int:
        return hash((self.id, self.version))

    def __repr__(self) -> str:
        return (
            f"MaturityModel(id={self.id!r}, version={self.version!r}, "
            f"capabilities={len(self.capabilities)})"
        )


def _model_ref(model: Any) -> Any:
    """What to send as ``model``: a built-in name, or the model object."""
    if isinstance(model, MaturityModel):
        return model._ref
    return model


# --- small result objects -------------------------------------------------------


class Band:
    """A band of a percentage (EU DMA: Basic … Advanced)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data

    @property
    def id(self) -> str:
        """Band id, e.g. ``"average"``."""
        return self._data["id"]

    def name(self, lang: str = "en") -> str:
        """Name in ``lang``."""
        return _text(self._data.get("name"), lang)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape (a deep copy)."""
        return copy.deepcopy(dict(self._data))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Band) and other._data == self._data

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Band(id={self.id!r}, name={self.name()!r})"


def _band(data: Any) -> Band | None:
    return Band(data) if isinstance(data, Mapping) else None


@dataclass(frozen=True)
class Axis:
    """One axis of a quadrant type: the dimension, its percentage, the cut
    and the side (``"low"``/``"high"``) the percentage falls on."""

    dimension: str
    percentage: float
    cut: float
    side: str


class MaturityType:
    """A quadrant type (DiMiOS: A–D) with its description and general
    recommendations (sv/en). ``origin`` is ``"documented"`` or ``"ours"``
    (written by the kompetens authors to match)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data

    @property
    def id(self) -> str:
        """Type id, e.g. ``"A"``."""
        return self._data["id"]

    @property
    def letter(self) -> str:
        """The type's letter (its id), e.g. ``"A"``."""
        return self._data["id"]

    @property
    def origin(self) -> str:
        """``"documented"`` or ``"ours"``."""
        return self._data.get("origin", "")

    @property
    def axes(self) -> list[Axis]:
        """The axes behind the type (x first)."""
        return [
            Axis(a["dimension"], a["percentage"], a["cut"], a["side"])
            for a in self._data.get("axes", ())
        ]

    def name(self, lang: str = "en") -> str:
        """Name in ``lang``."""
        return _text(self._data.get("name"), lang)

    def description(self, lang: str = "en") -> str:
        """Description in ``lang``."""
        return _text(self._data.get("description"), lang)

    def recommendations(self, lang: str = "en") -> list[str]:
        """General recommendations in ``lang``."""
        return [_text(r, lang) for r in self._data.get("recommendations", ())]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape (a deep copy)."""
        return copy.deepcopy(dict(self._data))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MaturityType) and other._data == self._data

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"MaturityType(letter={self.letter!r}, name={self.name()!r})"


def _type(data: Any) -> MaturityType | None:
    return MaturityType(data) if isinstance(data, Mapping) else None


@dataclass(frozen=True)
class Ranked:
    """A category or capability among the weakest or strongest: its id,
    percentage and rank (1 = weakest or strongest; ties in model order)."""

    id: str
    percentage: float
    rank: int
    names: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def name(self, lang: str = "en") -> str:
        """Name in ``lang``."""
        return _text(self.names, lang)


# --- the result of a measurement --------------------------------------------------

_LEVELS = {
    "dimension": "dimensions",
    "category": "categories",
    "capability": "capabilities",
    "item": "items",
}

_AGREEMENT_COLUMNS = [
    ("sd", "float"),
    ("median", "float"),
    ("share_within_step", "float"),
    ("low_agreement", "bool"),
    ("agreement_step", "float"),
]

_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "dimension": [
        ("id", "object"),
        ("name", "object"),
        ("percentage", "float"),
        ("n_respondents", "int"),
        ("n_items", "int"),
        ("weight", "float"),
        ("band", "object"),
    ],
    "category": [
        ("id", "object"),
        ("name", "object"),
        ("dimension", "object"),
        ("percentage", "float"),
        ("n_respondents", "int"),
        ("n_items", "int"),
        ("weight", "float"),
        ("weakness_rank", "Int"),
        ("strength_rank", "Int"),
        *_AGREEMENT_COLUMNS,
        ("alpha", "float"),
    ],
    "capability": [
        ("id", "object"),
        ("name", "object"),
        ("dimension", "object"),
        ("category", "object"),
        ("percentage", "float"),
        ("n_respondents", "int"),
        ("n_items", "int"),
        ("weight", "float"),
        ("weakness_rank", "Int"),
        ("strength_rank", "Int"),
        *_AGREEMENT_COLUMNS,
    ],
    "item": [
        ("id", "object"),
        ("capability", "object"),
        ("percentage", "float"),
        ("n_respondents", "int"),
        ("reverse", "bool"),
    ],
}


def _level_key(level: str, allowed: Sequence[str]) -> str:
    if level not in allowed:
        raise ValueError(f"level must be one of {', '.join(map(repr, allowed))}, not {level!r}")
    return _LEVELS[level]


def _flat(row: Mapping[str, Any], lang: str) -> dict[str, Any]:
    out = dict(row)
    if "name" in row:
        out["name"] = _text(row.get("name"), lang)
    band = row.get("band")
    out["band"] = band.get("id") if isinstance(band, Mapping) else None
    agreement = row.get("agreement")
    if isinstance(agreement, Mapping):
        out["sd"] = agreement.get("sd")
        out["median"] = agreement.get("median")
        out["share_within_step"] = agreement.get("share_within_step")
        out["low_agreement"] = agreement.get("low")
        out["agreement_step"] = agreement.get("step")
    reliability = row.get("reliability")
    if isinstance(reliability, Mapping):
        out["alpha"] = reliability.get("alpha")
    return out


def _summary(result: Any) -> Any:
    """A result as the summary that comparisons read: a :class:`MaturityResult`
    becomes ``{model, overall, dimensions, categories, capabilities}``
    (ids and percentages); dicts are passed unchanged."""
    if isinstance(result, MaturityResult):
        d = result._data
        return {
            "model": d.get("model"),
            "overall": d.get("overall"),
            **{
                key: [{"id": x["id"], "percentage": x.get("percentage")} for x in d.get(key, ())]
                for key in ("dimensions", "categories", "capabilities")
            },
        }
    return result


class MaturityResult:
    """The result of one measurement (see :meth:`MaturityModel.score`).

    The tables (:attr:`dimensions`, :attr:`categories`,
    :attr:`capabilities`, :attr:`items`) are pandas DataFrames indexed by
    id when pandas is importable, else lists of dicts; missing percentages
    are ``NaN`` (pandas) or ``None``.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        # Private: made by MaturityModel.score().
        self._data = data

    @property
    def model(self) -> str:
        """Model id."""
        return self._data["model"]

    @property
    def overall(self) -> float | None:
        """Overall percentage (weighted mean of the dimensions), 0–100;
        ``None`` without answers."""
        return self._data.get("overall")

    @property
    def n_respondents(self) -> int:
        """Respondents with at least one answer."""
        return self._data["n_respondents"]

    @property
    def n_items(self) -> int:
        """Items with at least one answer."""
        return self._data["n_items"]

    @property
    def band(self) -> Band | None:
        """Band of the overall percentage, for models with bands."""
        return _band(self._data.get("band"))

    @property
    def type(self) -> MaturityType | None:
        """Quadrant type (DiMiOS A–D), or ``None`` (no classification, or an
        axis without a percentage)."""
        return _type(self._data.get("type"))

    @property
    def instrument(self) -> dict[str, Any] | None:
        """``{id, example}`` of the instrument whose items were scored."""
        inst = self._data.get("instrument")
        return dict(inst) if isinstance(inst, Mapping) else None

    @property
    def settings(self) -> dict[str, Any] | None:
        """The settings used, every default filled in (top-level results)."""
        s = self._data.get("settings")
        return copy.deepcopy(dict(s)) if isinstance(s, Mapping) else None

    def table(self, level: str = "category", lang: str = "en") -> Any:
        """The results of one level (``"dimension"``, ``"category"``,
        ``"capability"`` or ``"item"``) in model order, names in ``lang``:
        a DataFrame indexed by id (pandas), else a list of dicts. Agreement
        is flattened into ``sd``, ``median``, ``share_within_step``,
        ``low_agreement`` and ``agreement_step``; reliability into
        ``alpha``."""
        key = _level_key(level, tuple(_LEVELS))
        rows = [_flat(r, lang) for r in self._data.get(key, ())]
        return _tables.frame(rows, _COLUMNS[level])

    @property
    def dimensions(self) -> Any:
        """Dimension results (see :meth:`table`)."""
        return self.table("dimension")

    @property
    def categories(self) -> Any:
        """Category results (see :meth:`table`)."""
        return self.table("category")

    @property
    def capabilities(self) -> Any:
        """Capability results (see :meth:`table`)."""
        return self.table("capability")

    @property
    def items(self) -> Any:
        """Item results (see :meth:`table`)."""
        return self.table("item")

    def _ranked(self, n: int, level: str, rank_key: str) -> list[Ranked]:
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"n must be an int, not {type(n).__name__}")
        if n < 0:
            raise ValueError("n must not be negative")
        key = _level_key(level, ("category", "capability"))
        # The core ranks every part with a percentage (tie rule in the core).
        ranked = [r for r in self._data.get(key, ()) if r.get(rank_key) is not None]
        ranked.sort(key=lambda r: r[rank_key])
        return [
            Ranked(r["id"], r["percentage"], r[rank_key], dict(r.get("name") or {}))
            for r in ranked
            if r[rank_key] <= n
        ]

    def weakest(self, n: int = 3, *, level: str = "category") -> list[Ranked]:
        """The ``n`` weakest categories (or capabilities with
        ``level="capability"``), weakest first; ties in model order, as
        ranked by the core. Shown even for a highly mature organisation."""
        return self._ranked(n, level, "weakness_rank")

    def strongest(self, n: int = 3, *, level: str = "category") -> list[Ranked]:
        """The ``n`` strongest categories (or capabilities), strongest
        first; ties in model order."""
        return self._ranked(n, level, "strength_rank")

    @property
    def units(self) -> list[UnitResult]:
        """Per-unit results (tree order) when units were given, else ``[]``;
        withheld results are marked (:attr:`UnitScore.withheld`)."""
        return [UnitResult(u) for u in self._data.get("units") or ()]

    def unit_table(self, *, level: str = "dimension", rolled_up: bool = True, lang: str = "en") -> Any:
        """One row per unit: ``name``, ``parent``, ``depth``,
        ``n_respondents``, ``withheld``, ``reason``, ``overall`` and one
        column per dimension (or category/capability id with ``level``),
        from the rolled-up (default) or own results. Withheld results have
        missing percentages. A DataFrame indexed by unit id (pandas), else a
        list of dicts."""
        key = _level_key(level, ("dimension", "category", "capability"))
        part_ids: list[str] = []
        rows = []
        for u in self._data.get("units") or ():
            score = u["rolled_up" if rolled_up else "own"]
            res = score.get("result")
            row: dict[str, Any] = {
                "id": u["id"],
                "name": _text(u.get("name"), lang) or None,
                "parent": u.get("parent"),
                "depth": u["depth"],
                "n_respondents": score["n_respondents"],
                "withheld": score["withheld"],
                "reason": score.get("reason"),
                "overall": res.get("overall") if res else None,
            }
            if res:
                for part in res.get(key, ()):
                    if part["id"] not in part_ids:
                        part_ids.append(part["id"])
                    row[part["id"]] = part.get("percentage")
            rows.append(row)
        columns = [
            ("id", "object"),
            ("name", "object"),
            ("parent", "object"),
            ("depth", "int"),
            ("n_respondents", "int"),
            ("withheld", "bool"),
            ("reason", "object"),
            ("overall", "float"),
        ] + [(p, "float") for p in part_ids]
        return _tables.frame(rows, columns)

    def compare(self, previous: Any) -> Comparison:
        """Change from ``previous`` (a :class:`MaturityResult` or a result
        dict, e.g. last year's saved ``to_dict()``) in percentage points."""
        return compare(self, previous)

    def benchmark(
        self,
        peers: Any,
        *,
        type: str,
        organisation: Union[str, None] = None,
    ) -> Benchmark:
        """Compare with peers of organisation type ``type``: see
        :func:`benchmark`."""
        return benchmark(self, peers, type=type, organisation=organisation)

    def to_dict(self) -> dict[str, Any]:
        """The result in the core's JSON shape (a deep copy)."""
        return copy.deepcopy(dict(self._data))

    def to_json(self, indent: int | None = 2) -> str:
        """The result as JSON text."""
        return json.dumps(self._data, ensure_ascii=False, indent=indent)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MaturityResult) and other._data == self._data

    def chart(self, kind: str = "quadrant") -> Svg | None:
        """The DiMiOS quadrant (``"quadrant"``) or the category spider chart
        (``"spider"``) as SVG text Jupyter displays as a picture."""
        return _display.maturity_chart(self, kind)

    def _repr_html_(self) -> str:
        return _display.maturity_html(self)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        t = self.type
        return (
            f"MaturityResult(model={self.model!r}, overall={self.overall!r}, "
            f"n_respondents={self.n_respondents!r}, type={t.letter if t else None!r})"
        )


class UnitScore:
    """A unit's own or rolled-up result, or why it is withheld."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data

    @property
    def n_respondents(self) -> int:
        """Respondents counted."""
        return self._data["n_respondents"]

    @property
    def withheld(self) -> bool:
        """True when the result is withheld (too few respondents)."""
        return self._data["withheld"]

    @property
    def reason(self) -> str | None:
        """Why it is withheld (``"fewer_than_min_respondents"``)."""
        return self._data.get("reason")

    @property
    def result(self) -> MaturityResult | None:
        """The result, or ``None`` when withheld."""
        r = self._data.get("result")
        return MaturityResult(r) if isinstance(r, Mapping) else None

    @property
    def overall(self) -> float | None:
        """The overall percentage, or ``None`` when withheld."""
        r = self._data.get("result")
        return r.get("overall") if isinstance(r, Mapping) else None

    def __repr__(self) -> str:
        if self.withheld:
            return f"UnitScore(n_respondents={self.n_respondents}, withheld=True, reason={self.reason!r})"
        return f"UnitScore(n_respondents={self.n_respondents}, overall={self.overall!r})"


class UnitResult:
    """Results of one unit of the organisation tree."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data

    @property
    def id(self) -> str:
        """Unit id."""
        return self._data["id"]

    @property
    def parent(self) -> str | None:
        """Parent unit id (``None`` for a root)."""
        return self._data.get("parent")

    @property
    def depth(self) -> int:
        """Depth in the tree (roots: 0)."""
        return self._data["depth"]

    def name(self, lang: str = "en") -> str:
        """Name in ``lang`` ("" when the tree gave none)."""
        return _text(self._data.get("name"), lang)

    @property
    def own(self) -> UnitScore:
        """Result of the unit's own respondents."""
        return UnitScore(self._data["own"])

    @property
    def rolled_up(self) -> UnitScore:
        """Result of the unit and all its descendants."""
        return UnitScore(self._data["rolled_up"])

    @property
    def withheld(self) -> bool:
        """Whether the rolled-up result is withheld."""
        return self._data["rolled_up"]["withheld"]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape (a deep copy)."""
        return copy.deepcopy(dict(self._data))

    def __repr__(self) -> str:
        return (
            f"UnitResult(id={self.id!r}, parent={self.parent!r}, own={self.own!r}, "
            f"rolled_up={self.rolled_up!r})"
        )


# --- change and benchmark ------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """Current, previous and change (current − previous, percentage points);
    ``None`` where a side is missing."""

    current: Union[float, None]
    previous: Union[float, None]
    change: Union[float, None]


_CHANGE_COLUMNS = [("id", "object"), ("current", "float"), ("previous", "float"), ("change", "float")]


class Comparison:
    """Change between two measurements (see :meth:`MaturityResult.compare`)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data

    @property
    def model(self) -> str | None:
        """Model id, when known."""
        return self._data.get("model")

    @property
    def overall(self) -> Change:
        """Change of the overall percentage."""
        o = self._data["overall"]
        return Change(o.get("current"), o.get("previous"), o.get("change"))

    @property
    def dimensions(self) -> Any:
        """Change per dimension: DataFrame indexed by id with ``current``,
        ``previous``, ``change`` (pandas), else a list of dicts."""
        return _tables.frame(list(self._data.get("dimensions", ())), _CHANGE_COLUMNS)

    @property
    def categories(self) -> Any:
        """Change per category (as :attr:`dimensions`)."""
        return _tables.frame(list(self._data.get("categories", ())), _CHANGE_COLUMNS)

    @property
    def capabilities(self) -> Any:
        """Change per capability (as :attr:`dimensions`)."""
        return _tables.frame(list(self._data.get("capabilities", ())), _CHANGE_COLUMNS)

    def to_dict(self) -> dict[str, Any]:
        """The core's JSON shape (a deep copy)."""
        return copy.deepcopy(dict(self._data))

    def chart(self) -> Svg | None:
        """The change per category as SVG text (a picture in Jupyter)."""
        return _display.comparison_chart(self)

    def _repr_html_(self) -> str:
        return _display.comparison_html(self)

    def __repr__(self) -> str:
        return f"Comparison(model={self.model!r}, overall={self.overall!r})"


@dataclass(frozen=True)
class BenchmarkLine:
    """One figure against the peers: own value, peer mean, number of peers,
    difference (own − peer mean) and mid-rank percentile rank."""

    id: str
    own: Union[float, None]
    peer_mean: Union[float, None]
    n_peers: int
    difference: Union[float, None]
    percentile_rank: Union[float, None]


_BENCHMARK_COLUMNS = [
    ("id", "object"),
    ("own", "float"),
    ("peer_mean", "float"),
    ("n_peers", "int"),
    ("difference", "float"),
    ("percentile_rank", "float"),
]


class Benchmark:
    """A peer benchmark (see :func:`benchmark`)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data

    @property
    def type(self) -> str:
        """The organisation type compared with."""
        return self._data["type"]

    @property
    def n_peers(self) -> int:
        """Peers of that type (the organisation itself excluded)."""
        return self._data["n_peers"]

    @property
    def overall(self) -> BenchmarkLine:
        """The overall figure against the peers."""
        o = self._data["overall"]
        return BenchmarkLine(
            o["id"], o.get("own"), o.get("peer_mean"), o["n_peers"], o.get("difference"),
            o.get("percentile_rank"),
        )

    @property
    def dimensions(self) -> Any:
        """Per dimension: DataFrame indexed by id with ``own``,
        ``peer_mean``, ``n_peers``, ``difference``, ``percentile_rank``
        (pandas), else a list of dicts."""
        return _tables.frame(list(self._data.get("dimensions", ())), _BENCHMARK_COLUMNS)

    @property
    def categories(self) -> Any:
        """Per category (as :attr:`dimensions`)."""
        return _tables.frame(list(self._data.get("categories", ())), _BENCHMARK_COLUMNS)

    def to_dict(self) -> dict[str, Any]:
        """The core's JSON shape (a deep copy)."""
        return copy.deepcopy(dict(self._data))

    def chart(self) -> Svg | None:
        """The categories against the peer mean as a spider chart (SVG)."""
        return _display.benchmark_chart(self)

    def _repr_html_(self) -> str:
        return _display.benchmark_html(self)

    def __repr__(self) -> str:
        return f"Benchmark(type={self.type!r}, n_peers={self.n_peers}, overall={self.overall!r})"


def compare(current: Any, previous: Any) -> Comparison:
    """Change from ``previous`` to ``current`` (each a :class:`MaturityResult`
    or a result dict with ``model``, ``overall`` and ``[{id, percentage}]``
    lists), overall and per dimension, category and capability, in
    percentage points. Results of different models raise."""
    return Comparison(
        call("maturity.compare", {"current": _summary(current), "previous": _summary(previous)})
    )


def _peers(peers: Any) -> Any:
    if isinstance(peers, Mapping) or isinstance(peers, (str, bytes)):
        raise TypeError("peers must be a sequence of {id, type, result} dicts or (id, type, result) tuples")
    out = []
    for p in _tables.to_list(peers):
        if isinstance(p, Mapping):
            q = dict(p)
            if "result" in q:
                q["result"] = _summary(q["result"])
            out.append(q)
        elif isinstance(p, tuple) and len(p) == 3:
            out.append({"id": p[0], "type": p[1], "result": _summary(p[2])})
        else:
            out.append(p)
    return out


def benchmark(
    result: Any,
    peers: Any,
    *,
    type: str,
    organisation: Union[str, None] = None,
) -> Benchmark:
    """Benchmark ``result`` against the ``peers`` of organisation type
    ``type``: the peer mean per dimension and category and overall, the
    difference and the mid-rank percentile rank. ``peers`` is a sequence of
    ``{"id", "type", "result"}`` dicts or ``(id, type, result)`` tuples
    (results as :class:`MaturityResult` or dicts); ``organisation`` is the
    organisation's own id, left out of its peers."""
    inp: dict[str, Any] = {"result": _summary(result), "type": type, "peers": _peers(peers)}
    if organisation is not None:
        inp["organisation"] = organisation
    return Benchmark(call("maturity.benchmark", inp))


# --- figures without respondents -------------------------------------------------


class OverallEstimate:
    """The overall figure from dimension percentages (see
    :func:`overall_from_dimensions`)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data

    @property
    def model(self) -> str:
        """Model id."""
        return self._data["model"]

    @property
    def overall(self) -> float:
        """Weighted mean of the dimensions."""
        return self._data["overall"]

    @property
    def band(self) -> Band | None:
        """Band of the overall figure, for models with bands."""
        return _band(self._data.get("band"))

    @property
    def type(self) -> MaturityType | None:
        """Quadrant type, for models with a classification."""
        return _type(self._data.get("type"))

    @property
    def overall_interval(self) -> tuple[float, float] | None:
        """``(low, high)`` of the overall figure when the inputs were
        rounded (``inputs_rounded_to_decimals``)."""
        i = self._data.get("overall_interval")
        return (i["low"], i["high"]) if isinstance(i, Mapping) else None

    @property
    def possible_published(self) -> list[float] | None:
        """The rounded overall figures consistent with rounded inputs."""
        p = self._data.get("possible_published")
        return list(p) if p is not None else None

    def to_dict(self) -> dict[str, Any]:
        """The core's JSON shape (a deep copy)."""
        return copy.deepcopy(dict(self._data))

    def __repr__(self) -> str:
        t = self.type
        return f"OverallEstimate(overall={self.overall!r}, type={t.letter if t else None!r})"


def _is_result_dict(value: Any) -> bool:
    return isinstance(value, Mapping) and isinstance(value.get("dimensions"), list)


def overall_from_dimensions(
    model: Any,
    dimensions: Any,
    *,
    inputs_rounded_to_decimals: Union[int, None] = None,
    settings: Union[Mapping[str, Any], None] = None,
) -> OverallEstimate:
    """The overall figure, band and type from dimension percentages alone —
    e.g. published figures (DiMiOS: arv 59 %, förmåga 47 % → 53 %).

    ``model``: a :class:`MaturityModel` or built-in name; ``dimensions``:
    ``{id: percentage}``, a Series indexed by id, or ``[{id, percentage}]``.
    With ``inputs_rounded_to_decimals`` the result also gives the interval
    of the overall figure and the rounded figures it could be published as.
    """
    if isinstance(dimensions, MaturityResult) or _is_result_dict(dimensions):
        dimensions = _summary(dimensions)["dimensions"]
    inp: dict[str, Any] = {
        "model": _model_ref(model),
        "dimensions": _tables.values_by_id(dimensions),
    }
    if inputs_rounded_to_decimals is not None:
        inp["inputs_rounded_to_decimals"] = inputs_rounded_to_decimals
    _settings_arg(inp, settings)
    return OverallEstimate(call("maturity.overall_from_dimensions", inp))


def classify(
    model: Any,
    dimensions: Any,
    *,
    settings: Union[Mapping[str, Any], None] = None,
) -> MaturityType | None:
    """The quadrant type of dimension percentages (``{id: percentage}``, a
    Series, ``[{id, percentage}]``, or a :class:`MaturityResult` / result
    dict), or ``None`` when the model has no classification. Cuts and the
    side of a value exactly at a cut are settings (``quadrant_cut_x``,
    ``quadrant_cut_y``, ``at_cut``)."""
    inp: dict[str, Any] = {"model": _model_ref(model)}
    if isinstance(dimensions, MaturityResult) or _is_result_dict(dimensions):
        inp["result"] = _summary(dimensions)
    else:
        inp["dimensions"] = _tables.values_by_id(dimensions)
    _settings_arg(inp, settings)
    return _type(call("maturity.classify", inp))


def default_settings(settings: Union[Mapping[str, Any], None] = None) -> dict[str, Any]:
    """The scoring settings with every default filled in (``settings``
    overrides some); invalid settings raise."""
    inp: dict[str, Any] = {}
    _settings_arg(inp, settings)
    return call("maturity.settings", inp)
