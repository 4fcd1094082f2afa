"""Charts as SVG text, drawn by the Rust core (``kompetens::chart``): the
same input gives byte-identical SVG in Rust, Python and JavaScript.

Every function takes either a generic *spec* (a dict in the core's JSON
shape, see ``core/src/chart/mod.rs``) or a domain result — a
:class:`~kompetens.GapReport`, a :class:`~kompetens.GapPublication`, a
:class:`~kompetens.MaturityResult`, a maturity comparison or benchmark, a
wave comparison, or their ``to_dict()`` form — and returns an :class:`Svg`:
a ``str`` that Jupyter shows as a picture.

Common keyword arguments: ``lang`` (``"en"`` or ``"sv"``), ``width``
(pixels; the height follows), ``title`` and ``desc`` (the accessible
``<title>``/``<desc>``; default: the chart's kind and the data in words)
and ``id`` (prefix of the element ids; give each chart of one HTML page its
own).

>>> import kompetens
>>> from kompetens import charts
>>> fw = kompetens.Framework.builtin("digcomp-2.2")
>>> report = kompetens.gap_report(fw, {"id": "librarian", "requirements": [
...     {"competence": "1.1", "level": 4}, {"competence": "2.1", "level": 3},
...     {"competence": "5.1", "level": 2}]}, {"1.1": 2, "2.1": 3})
>>> svg = charts.radar(report, by="competence", lang="sv")
>>> svg.startswith("<svg ") and "Kravnivå" in svg
True
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from ._api import _framework_ref, call

__all__ = ["Svg", "radar", "heatmap", "dimios_quadrant", "dimios_spider", "change"]


class Svg(str):
    """SVG text (a ``str``) that Jupyter and IPython display as a picture."""

    __slots__ = ()

    def _repr_svg_(self) -> str:
        return str(self)

    def save(self, path: str) -> None:
        """Write the SVG to a file (UTF-8)."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(str(self))


def _plain(obj: Any) -> Any:
    """A result object as the core's JSON shape (``to_dict()``), else as given."""
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict) and not isinstance(obj, Mapping):
        return to_dict()
    return obj


def _model_ref(model: Any) -> Any:
    ref = getattr(model, "_ref", None)
    if ref is not None:
        return ref
    return _plain(model)


def _options(lang: str, width: float | None, title: str | None, desc: str | None, id: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"lang": lang}
    for key, value in (("width", width), ("title", title), ("desc", desc), ("id", id)):
        if value is not None:
            out[key] = value
    return out


def _draw(op: str, input: dict[str, Any]) -> Svg:
    return Svg(call(op, {k: v for k, v in input.items() if v is not None}))


def radar(
    data: Any,
    framework: Any = None,
    *,
    by: str = "area",
    extra: Iterable[Mapping[str, Any]] | None = None,
    lang: str = "en",
    width: float | None = None,
    title: str | None = None,
    desc: str | None = None,
    id: str | None = None,
) -> Svg:
    """Competence radar: the current against the required level.

    ``data`` is a :class:`~kompetens.GapReport` (or its dict) — drawn per
    ``by`` = ``"area"`` (default) or ``"competence"`` against ``framework``
    (default: the report's framework, by name) — or a radar spec
    ``{"axes": [{"label", "name"?}], "min"?, "max", "series": [{"kind"?,
    "label"?, "values"}]}``. ``extra`` adds series by competence id:
    ``[{"levels": {"1.1": 3.5, …}, "label": "Unit average", "kind": "peer"}]``.
    """
    d = _plain(data)
    opts = _options(lang, width, title, desc, id)
    if isinstance(d, Mapping) and "gaps" in d:
        fw = framework if framework is not None else d.get("framework")
        return _draw("chart.radar", {
            "gap_report": d, "framework": _framework_ref(fw), "by": by,
            "extra": list(extra) if extra is not None else None, "options": opts,
        })
    return _draw("chart.radar", {"spec": d, "options": opts})


def heatmap(
    data: Any,
    *,
    metric: str = "coverage",
    scope: str = "rollup",
    by: str = "competence",
    role: str | None = None,
    unit_names: Mapping[str, str] | None = None,
    framework: Any = None,
    lang: str = "en",
    width: float | None = None,
    title: str | None = None,
    desc: str | None = None,
    id: str | None = None,
) -> Svg:
    """Gap heatmap: units × competences (or areas), ``metric`` =
    ``"coverage"`` or ``"mean_shortfall"``. Withheld cells are hatched and
    labelled ``–`` (never zero); cells without data say ``n/a``.

    ``data`` is a :class:`~kompetens.GapPublication` (or its dict; ``scope``
    ``"rollup"``/``"own"``, ``role`` for one role's cells, ``unit_names``
    for display names, ``framework`` for competence names) or a heatmap
    spec ``{"rows", "columns", "metric"?, "max"?, "cells": [[{"value"?,
    "withheld"?, "people"?}]]}``.
    """
    d = _plain(data)
    opts = _options(lang, width, title, desc, id)
    if isinstance(d, Mapping) and "cells" not in d and "rows" in d:
        return _draw("chart.heatmap", {
            "publication": d, "metric": metric, "scope": scope, "by": by, "role": role,
            "unit_names": dict(unit_names) if unit_names is not None else None,
            "framework": _framework_ref(framework) if framework is not None else None,
            "options": opts,
        })
    return _draw("chart.heatmap", {"spec": d, "options": opts})


def _peer_list(peers: Any) -> list[dict[str, Any]] | None:
    if peers is None:
        return None
    if isinstance(peers, Mapping):
        return [{"id": k, "result": _plain(v)} for k, v in peers.items()]
    out = []
    for p in peers:
        if isinstance(p, tuple):
            out.append({"id": p[0], "result": _plain(p[1])})
        else:
            p = _plain(p)
            out.append({k: p[k] for k in ("id", "type", "result") if k in p})
    return out


def dimios_quadrant(
    data: Any,
    *,
    peers: Any = None,
    model: Any = None,
    settings: Mapping[str, Any] | None = None,
    label: str | None = None,
    lang: str = "en",
    width: float | None = None,
    title: str | None = None,
    desc: str | None = None,
    id: str | None = None,
) -> Svg:
    """DiMiOS quadrant: the organisation placed by förmåga (x) and arv (y),
    cut lines from the settings (the result's, else 50/50), types A–D
    from the model (default ``dimios``).

    ``data`` is a :class:`~kompetens.MaturityResult` (or its dict);
    ``peers`` a ``{name: result}`` mapping or a list of ``(name, result)``
    or ``{"id", "result"}``; ``label`` names the organisation. Or ``data``
    is a quadrant spec ``{"x_label", "y_label", "cut_x"?, "cut_y"?,
    "types"?, "points": [{"label", "x", "y", "kind"?}]}``.
    """
    d = _plain(data)
    opts = _options(lang, width, title, desc, id)
    if isinstance(d, Mapping) and "points" not in d:
        return _draw("chart.dimios_quadrant", {
            "result": d, "peers": _peer_list(peers),
            "model": _model_ref(model) if model is not None else None,
            "settings": dict(settings) if settings is not None else None,
            "label": label, "options": opts,
        })
    return _draw("chart.dimios_quadrant", {"spec": d, "options": opts})


def dimios_spider(
    data: Any,
    *,
    peers: Iterable[Any] | None = None,
    model: Any = None,
    label: str | None = None,
    lang: str = "en",
    width: float | None = None,
    title: str | None = None,
    desc: str | None = None,
    id: str | None = None,
) -> Svg:
    """DiMiOS spider: the six categories of the organisation against the
    peer average.

    ``data`` is a :class:`~kompetens.MaturityResult` (or its dict) with
    ``peers`` = other results, or a benchmark (:func:`kompetens.maturity.benchmark`),
    or a spider spec ``{"axes", "series"}`` (values in percent).
    """
    d = _plain(data)
    opts = _options(lang, width, title, desc, id)
    m = _model_ref(model) if model is not None else None
    if isinstance(d, Mapping) and "n_peers" in d:
        return _draw("chart.dimios_spider", {"benchmark": d, "model": m, "label": label, "options": opts})
    if isinstance(d, Mapping) and "series" not in d:
        return _draw("chart.dimios_spider", {
            "result": d, "peers": [_plain(p) for p in peers] if peers is not None else None,
            "model": m, "label": label, "options": opts,
        })
    return _draw("chart.dimios_spider", {"spec": d, "options": opts})


def change(
    data: Any,
    *,
    by: str | None = None,
    model: Any = None,
    unit: str | None = None,
    scope: str | None = None,
    framework: Any = None,
    before_label: str | None = None,
    after_label: str | None = None,
    lang: str = "en",
    width: float | None = None,
    title: str | None = None,
    desc: str | None = None,
    id: str | None = None,
) -> Svg:
    """Change between two waves: before, after and the difference per item.

    ``data`` is a maturity comparison (:meth:`MaturityResult.compare`, per
    ``by`` = ``"category"`` (default), ``"dimension"`` or ``"capability"``),
    a published wave comparison (``aggregate.waves``; one ``unit`` and
    ``scope``, ``by`` = ``"competence"`` (default) or ``"area"`` with a
    ``framework``), or a change spec ``{"items", "before", "after",
    "withheld"?, "unit"?, "min"?, "max"?}``.
    """
    d = _plain(data)
    opts = _options(lang, width, title, desc, id)
    labels = {"before_label": before_label, "after_label": after_label}
    if isinstance(d, Mapping) and "movements" in d:
        return _draw("chart.change", {
            "waves": d, "unit": unit, "scope": scope, "by": by,
            "framework": _framework_ref(framework) if framework is not None else None,
            "options": opts, **labels,
        })
    if isinstance(d, Mapping) and "items" not in d:
        return _draw("chart.change", {
            "comparison": d, "by": by, "model": _model_ref(model) if model is not None else None,
            "options": opts, **labels,
        })
    return _draw("chart.change", {"spec": d, "options": opts, **labels})
