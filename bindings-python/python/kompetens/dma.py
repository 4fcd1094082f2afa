"""The EU Digital Maturity Assessment for public sector organisations
(``"edih-dma-pso"``): six dimensions, question kinds checklist (share
ticked), invested/planned grid, 0–5 adoption scale and no/partially/yes
rows; each question 0–10, each dimension 0–100, overall the mean, bands
Basic / Average / Moderately advanced / Advanced. The weight of "planned",
the value of "partially", grid scoring and unanswered rows are settings
(:func:`default_settings`). Scoring runs in the Rust core.

>>> import kompetens
>>> r = kompetens.dma.score({
...     "green_practices": ["o1", "o2", "o3"],  # 3 of 9 options: 10 · 3/9
...     "green_impact": {"r1": "yes", "r2": "partially", "r3": "no", "r4": "no", "r5": "no"},
... })                                          # (1 + 0.5)/5 rows: 10 · 0.3 = 3
>>> print(round(r.dimensions.loc["green", "score"], 4))  # 5 · (3.3333 + 3)
31.6667
"""

from __future__ import annotations

import copy
from typing import Any, Mapping, Union

from . import _display, _tables
from ._api import _text, call
from .maturity import Band, MaturityModel, _band, _model_ref, _settings_arg

__all__ = ["DmaResult", "score", "default_settings"]


def _row(row: Any, value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"row": _tables.ident(row)}
    if _tables.is_missing(value):
        return out
    if isinstance(value, (set, frozenset)):
        out["ticked"] = sorted(value)
    elif isinstance(value, (list, tuple)):
        out["ticked"] = list(value)
    else:
        out["value"] = _tables.number(value)
    return out


def _answers(answers: Any) -> Any:
    """``{question: answer}`` as the core's ``[{question, ticked?, rows?}]``:
    a list/tuple/set of option ids → ``ticked``; a ``{row: value}`` mapping
    → ``rows`` (a list/tuple/set of column ids → the row's ``ticked``, else
    its ``value``); missing answers are left out. A list of answer dicts is
    passed unchanged."""
    if not isinstance(answers, Mapping):
        return answers
    out = []
    for question, answer in answers.items():
        if _tables.is_missing(answer):
            continue
        entry: dict[str, Any] = {"question": _tables.ident(question)}
        if isinstance(answer, Mapping):
            entry["rows"] = [_row(r, v) for r, v in answer.items()]
        elif isinstance(answer, (set, frozenset)):
            entry["ticked"] = sorted(answer)
        elif isinstance(answer, (list, tuple)):
            entry["ticked"] = list(answer)
        else:
            entry["ticked"] = answer  # not a list: the core names the bad value
        out.append(entry)
    return out


_DIMENSION_COLUMNS = [("id", "object"), ("name", "object"), ("score", "float"), ("band", "object")]
_QUESTION_COLUMNS = [
    ("id", "object"),
    ("dimension", "object"),
    ("kind", "object"),
    ("score", "float"),
    ("n_rows", "int"),
    ("n_answered", "int"),
    ("answered", "bool"),
]


class DmaResult:
    """A scored DMA questionnaire: overall 0–100 and band, per dimension and
    per question (questions 0–10)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        # Private: made by score().
        self._data = data

    @property
    def model(self) -> str:
        """Model id."""
        return self._data["model"]

    @property
    def overall(self) -> float | None:
        """Mean of the dimension scores, 0–100 (``None`` when no dimension
        has a score)."""
        return self._data.get("overall")

    @property
    def band(self) -> Band | None:
        """Band of the overall score."""
        return _band(self._data.get("band"))

    def table(self, level: str = "dimension", lang: str = "en") -> Any:
        """``"dimension"`` (``name``, ``score``, ``band``) or ``"question"``
        (``dimension``, ``kind``, ``score``, ``n_rows``, ``n_answered``,
        ``answered``) results: a DataFrame indexed by id (pandas), else a
        list of dicts."""
        if level == "dimension":
            rows = []
            for d in self._data.get("dimensions", ()):
                band = d.get("band")
                rows.append(
                    {
                        "id": d["id"],
                        "name": _text(d.get("name"), lang),
                        "score": d.get("score"),
                        "band": band.get("id") if isinstance(band, Mapping) else None,
                    }
                )
            return _tables.frame(rows, _DIMENSION_COLUMNS)
        if level == "question":
            return _tables.frame(list(self._data.get("questions", ())), _QUESTION_COLUMNS)
        raise ValueError(f"level must be 'dimension' or 'question', not {level!r}")

    @property
    def dimensions(self) -> Any:
        """Dimension scores (see :meth:`table`)."""
        return self.table("dimension")

    @property
    def questions(self) -> Any:
        """Question scores (see :meth:`table`)."""
        return self.table("question")

    @property
    def settings(self) -> dict[str, Any]:
        """The settings used, every default filled in."""
        return copy.deepcopy(dict(self._data.get("settings") or {}))

    def to_dict(self) -> dict[str, Any]:
        """The result in the core's JSON shape (a deep copy)."""
        return copy.deepcopy(dict(self._data))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DmaResult) and other._data == self._data

    __hash__ = None  # type: ignore[assignment]

    def _repr_html_(self) -> str:
        return _display.dma_html(self)

    def __repr__(self) -> str:
        band = self.band
        return f"DmaResult(overall={self.overall!r}, band={band.id if band else None!r})"


def score(
    answers: Any,
    *,
    settings: Union[Mapping[str, Any], None] = None,
    model: Union[MaturityModel, str, Mapping[str, Any], None] = None,
) -> DmaResult:
    """Score one organisation's DMA answers.

    ``answers`` is ``{question_id: answer}`` — a checklist answer is the
    list of ticked option ids; a grid, scale or no/partially/yes answer is
    ``{row_id: value}`` with the row's ticked column ids (grid, e.g.
    ``["invested", "planned"]``), a number (0–5 scale) or ``"no"`` /
    ``"partially"`` / ``"yes"`` — or the JSON list
    ``[{"question", "ticked"?, "rows"?}]``. Missing answers (``None``,
    ``NaN``) are left out. ``model`` defaults to ``"edih-dma-pso"``.
    """
    inp: dict[str, Any] = {"answers": _answers(answers)}
    if model is not None:
        inp["model"] = _model_ref(model)
    _settings_arg(inp, settings)
    return DmaResult(call("dma.score", inp))


def default_settings(settings: Union[Mapping[str, Any], None] = None) -> dict[str, Any]:
    """The questionnaire settings with every default filled in (``settings``
    overrides some); invalid settings raise."""
    inp: dict[str, Any] = {}
    _settings_arg(inp, settings)
    return call("dma.settings", inp)
