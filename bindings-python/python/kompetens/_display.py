"""Rich display of result objects in Jupyter (``_repr_html_``/``_repr_svg_``).

Every result object of the package renders as a compact HTML table with the
matching chart; the result classes only delegate here. Rules:

* every piece of text from the data (unit names, ids, labels) goes through
  :func:`esc` (``html.escape``), so a unit called ``<script>`` shows as text;
* long tables are cut after :data:`MAX_ROWS` rows with a last row
  "… N more rows";
* a withheld cell (small-group protection) shows "withheld (primary)" /
  "withheld (secondary)" — never 0 and never blank;
* the charts are the core's SVG (``kompetens.charts``), embedded inline;
  nothing is drawn here, nothing is loaded from elsewhere.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from ._errors import KompetensError

if TYPE_CHECKING:  # pragma: no cover
    from .charts import Svg

__all__: list[str] = []

#: Rows shown before a table is cut.
MAX_ROWS = 12

#: Width in pixels of a chart beside a table.
SIDE_WIDTH = 420

_BOX = "font-family:system-ui,sans-serif;font-size:13px;line-height:1.35;max-width:100%"
_TABLE = "border-collapse:collapse;margin:4px 0 8px 0"
_TH = "text-align:left;padding:2px 8px;border-bottom:1px solid #888;font-weight:600;white-space:nowrap"
_TD = "padding:2px 8px;border-bottom:1px solid #ddd;vertical-align:top"
_NUM = "text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap"
_WITHHELD = "color:#6b4e16;background:#f6efe0;font-style:italic;white-space:nowrap"
_MUTED = "color:#666"


class Withheld:
    """A withheld cell: shown as "withheld (reason)"."""

    __slots__ = ("reason",)

    def __init__(self, reason: Any) -> None:
        self.reason = reason


class Raw:
    """Cell content that is already HTML (built from escaped parts)."""

    __slots__ = ("html",)

    def __init__(self, text: str) -> None:
        self.html = text


_REASONS = {
    "fewer_than_min_respondents": "too few respondents",
    "rolled_up": "rolled up",
}


def esc(value: Any) -> str:
    """HTML-escaped text of ``value`` (quotes included)."""
    return html.escape(str(value), quote=True)


def _is_missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def withheld_text(reason: Any) -> str:
    """``withheld (primary)`` etc.; ``withheld`` without a reason."""
    if reason is None or reason is True:
        return "withheld"
    r = str(reason)
    return f"withheld ({_REASONS.get(r, r.replace('_', ' '))})"


def number(v: Any, kind: str = "auto") -> str:
    """A number as short text: ``pct`` (a share 0–1 as %), ``pp`` (0–100
    as %), ``signed`` (+/−, 2 decimals), ``p`` (3 decimals), ``int``, or
    ``auto`` (ints as ints, floats with 2 decimals); missing as "—"."""
    if _is_missing(v):
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if not isinstance(v, (int, float)):
        try:
            v = float(v)
        except (TypeError, ValueError):
            return esc(v)
    if kind == "pct":
        return f"{100 * v:.0f} %"
    if kind == "pp":
        return f"{v:.1f} %"
    if kind == "signed":
        return f"{v:+.2f}".replace("-", "−")
    if kind == "p":
        return "< 0.001" if v < 0.001 else f"{v:.3f}"
    if kind == "int" or (isinstance(v, int) and kind == "auto"):
        return f"{int(v)}"
    if float(v).is_integer() and kind == "auto":
        return f"{v:.0f}"
    return f"{v:.2f}"


def _td(value: Any, kind: str) -> str:
    if isinstance(value, Withheld):
        return f'<td style="{_TD};{_WITHHELD}">{esc(withheld_text(value.reason))}</td>'
    if isinstance(value, Raw):
        return f'<td style="{_TD}">{value.html}</td>'
    if kind == "text" or isinstance(value, str):
        return f'<td style="{_TD}">{esc("—" if value is None else value)}</td>'
    return f'<td style="{_TD};{_NUM}">{esc(number(value, kind))}</td>'


def table(
    columns: Sequence[tuple[str, str]],
    rows: Iterable[Sequence[Any]],
    *,
    caption: str | None = None,
    max_rows: int = MAX_ROWS,
) -> str:
    """A compact table. ``columns``: ``(header, kind)`` with kind ``text``
    or a :func:`number` kind; ``rows``: cell values (text, numbers,
    :class:`Withheld`, :class:`Raw`). After ``max_rows`` rows a last row
    says how many more there are."""
    rows = list(rows)
    head = "".join(f'<th style="{_TH}">{esc(h)}</th>' for h, _ in columns)
    body = []
    for r in rows[:max_rows]:
        body.append("<tr>" + "".join(_td(v, k) for v, (_, k) in zip(r, columns)) + "</tr>")
    more = len(rows) - max_rows
    if more > 0:
        body.append(
            f'<tr><td colspan="{len(columns)}" style="{_TD};{_MUTED}">'
            f"… {more} more row{'s' if more != 1 else ''}</td></tr>"
        )
    cap = f'<caption style="text-align:left;font-weight:600">{esc(caption)}</caption>' if caption else ""
    return (
        f'<div style="overflow-x:auto"><table style="{_TABLE}">{cap}<thead><tr>{head}</tr></thead>'
        f'<tbody>{"".join(body)}</tbody></table></div>'
    )


def facts(items: Iterable[tuple[str, Any]]) -> str:
    """A one-line summary ``label: value · label: value`` (values escaped)."""
    parts = [f"<b>{esc(k)}</b>: {esc(v)}" for k, v in items if v is not None]
    return f'<p style="margin:2px 0 6px 0">{" · ".join(parts)}</p>'


def note(text: str) -> str:
    """A muted line of text (escaped)."""
    return f'<p style="margin:2px 0;{_MUTED}">{esc(text)}</p>'


def figure(draw: Any, *args: Any, **kwargs: Any) -> str:
    """An inline SVG chart: ``draw(*args, **kwargs)`` (one of the ``*_chart``
    functions below); nothing when it gives ``None``. A chart that cannot be
    drawn (e.g. a result without the figures it needs) leaves a note instead
    of breaking the table."""
    try:
        svg = draw(*args, **kwargs)
    except KompetensError as err:
        return note(f"(no chart: {err})")
    if not svg:
        return ""
    return f'<div style="margin:6px 0">{svg}</div>'


def box(title: str, *parts: str) -> str:
    """The outer frame: a heading and the parts side by side when wide."""
    inner = "".join(p for p in parts if p)
    return f'<div class="kompetens-result" style="{_BOX}"><div style="font-weight:700;font-size:15px;margin-bottom:2px">{esc(title)}</div>{inner}</div>'


def columns2(left: str, right: str) -> str:
    """Two blocks side by side (wrapping on narrow screens)."""
    if not right:
        return left
    return (
        '<div style="display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start">'
        f'<div style="flex:0 1 auto;min-width:0;overflow-x:auto">{left}</div>'
        f'<div style="flex:0 1 auto;min-width:0;overflow-x:auto">{right}</div></div>'
    )


def chart(name: str, data: Any, **kwargs: Any) -> Svg | None:
    """``kompetens.charts.<name>(data, **kwargs)``; ``None`` when the chart
    module is not there. The element ids get a prefix derived from the data
    (deterministic, and distinct for different charts on one page, as a
    notebook is). Errors of the chart itself propagate."""
    try:
        from . import charts  # noqa: PLC0415
    except ImportError:  # pragma: no cover - a build without charts
        return None
    fn = getattr(charts, name, None)
    if fn is None:  # pragma: no cover
        return None
    plain = data.to_dict() if hasattr(data, "to_dict") else data
    key = json.dumps([name, plain, sorted(kwargs.items())], sort_keys=True, default=str)
    kwargs.setdefault("id", "k" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10])
    return fn(data, **kwargs)


def cell_or_withheld(row: Mapping[str, Any], key: str, reason_key: str = "suppressed") -> Any:
    """``row[key]``, or :class:`Withheld` when the row is withheld."""
    reason = row.get(reason_key)
    if reason and _is_missing(row.get(key)):
        return Withheld(reason)
    return row.get(key)


# --- one builder per result class ----------------------------------------------


def _mark(met: Any) -> str:
    return "—" if met is None else ("✓ met" if met else "✗ gap")


def gap_report_html(report: Any) -> str:
    """:class:`kompetens.GapReport`: facts, the radar and one row per
    requirement."""
    d = report._data
    readiness = None if d.get("readiness") is None else number(d["readiness"], "pct")
    head = facts([
        ("role", d.get("role")),
        ("readiness", readiness),
        ("met", f"{d.get('met')} of {d.get('rated')} rated ({d.get('requirements')} required)"),
        ("weighted gap", number(d.get("total_weighted_gap"))),
    ])
    rows = [
        (
            g["competence"],
            g["required"],
            g.get("current"),
            g.get("source") or "—",
            g.get("gap"),
            g.get("weight"),
            g.get("weighted_gap"),
            _mark(g.get("met")),
        )
        for g in d.get("gaps", ())
    ]
    tbl = table(
        [("competence", "text"), ("required", "int"), ("current", "int"), ("source", "text"),
         ("gap", "int"), ("weight", "auto"), ("weighted gap", "auto"), ("", "text")],
        rows,
        max_rows=25,
    )
    plan = d.get("plan") or []
    extra = note("plan: " + ", ".join(plan)) if plan else ""
    if d.get("missing"):
        extra += note("not rated (not counted as 0): " + ", ".join(d["missing"]))
    return box("Gap report", head, columns2(tbl + extra, figure(gap_report_chart, report, width=SIDE_WIDTH)))


def gap_report_chart(report: Any, width: float | None = None) -> Svg | None:
    """The radar of a gap report: current levels against the requirements."""
    return chart("radar", report, by="competence", width=width)


def _rollup_rows(pub: Any) -> list[dict[str, Any]]:
    return [r for r in pub.rows if r.get("table") == "unit" and r.get("scope") == "rollup" and r.get("competence")]


def publication_html(pub: Any) -> str:
    """:class:`kompetens.GapPublication`: facts, the heatmap, coverage per
    unit × competence (rolled up; withheld cells say so) and the top
    needs."""
    rows = _rollup_rows(pub)
    units: list[str] = []
    comps: list[str] = []
    cells: dict[tuple[str, str], Any] = {}
    for r in rows:
        if r["unit"] not in units:
            units.append(r["unit"])
        if r["competence"] not in comps:
            comps.append(r["competence"])
        cells[(r["unit"], r["competence"])] = cell_or_withheld(r, "coverage")
    all_rows = pub.rows
    n_withheld = sum(1 for r in all_rows if r.get("suppressed"))
    head = facts([
        ("rows", len(all_rows)),
        ("withheld cells", n_withheld),
        ("min group", pub.min_group),
        ("suppression", pub.suppression),
        ("audit", "clean" if pub.published_audit.clean else "findings"),
    ])
    matrix = table(
        [("unit", "text")] + [(c, "pct") for c in comps],
        [[u] + [cells.get((u, c)) for c in comps] for u in units],
        caption="Coverage (share meeting the requirement), unit and its sub-units",
    )
    top = table(
        [("unit", "text"), ("rank", "int"), ("competence", "text"), ("weighted need", "auto"),
         ("mean shortfall", "auto"), ("coverage", "pct"), ("people", "int")],
        [(t["unit"], t["rank"], t["competence"], t["weighted_need"], t.get("mean_shortfall"),
          t.get("coverage"), t["people"]) for t in pub.top_needs if t["rank"] == 1],
        caption="Most pressing need per unit (published cells only; all in .top_needs)",
    )
    return box("Competence gaps by unit", head, figure(publication_chart, pub), matrix, top)


def publication_chart(pub: Any, width: float | None = None) -> Svg | None:
    """The heatmap of a publication: units × competences, withheld hatched."""
    return chart("heatmap", pub, width=width)


def maturity_html(result: Any) -> str:
    """:class:`kompetens.MaturityResult`: overall, type, weakest
    categories, the quadrant and spider charts, the tables."""
    d = result._data
    t = result.type
    band = result.band
    head = facts([
        ("model", d.get("model")),
        ("overall", number(d.get("overall"), "pp")),
        ("band", band.name() if band else None),
        ("type", f"{t.letter} — {t.name()}" if t else None),
        ("respondents", d.get("n_respondents")),
    ])
    weak = result.weakest(3)
    weak_txt = note("weakest categories: " + ", ".join(f"{w.name()} ({w.percentage:.1f} %)" for w in weak)) if weak else ""
    dims = table(
        [("dimension", "text"), ("%", "pp"), ("respondents", "int")],
        [(x.get("id"), x.get("percentage"), x.get("n_respondents")) for x in d.get("dimensions", ())],
    )
    cats = table(
        [("category", "text"), ("dimension", "text"), ("%", "pp"), ("weakness rank", "int")],
        [(_name(x), x.get("dimension"), x.get("percentage"), x.get("weakness_rank")) for x in d.get("categories", ())],
    )
    units = ""
    if d.get("units"):
        urows = []
        for u in d["units"]:
            ru = u.get("rolled_up") or {}
            if ru.get("withheld"):
                overall: Any = Withheld(ru.get("reason"))
            else:
                overall = (ru.get("result") or {}).get("overall")
            urows.append((_name(u) or u["id"], ru.get("n_respondents"), overall))
        units = table([("unit (with sub-units)", "text"), ("respondents", "int"), ("overall", "pp")], urows,
                      caption="Per unit")
    pics = figure(maturity_chart, result, "quadrant", width=SIDE_WIDTH) + figure(maturity_chart, result, "spider", width=SIDE_WIDTH)
    return box("Digital maturity", head, weak_txt, columns2(dims + cats, pics), units)


def _name(x: Mapping[str, Any], lang: str = "en") -> str:
    n = x.get("name")
    if isinstance(n, Mapping):
        return str(n.get(lang) or n.get("en") or next(iter(n.values()), ""))
    return "" if n is None else str(n)


def maturity_chart(result: Any, kind: str = "quadrant", width: float | None = None) -> Svg | None:
    """The DiMiOS quadrant (``kind="quadrant"``) or the category spider
    chart (``"spider"``) of a maturity result; ``None`` for other models."""
    if kind not in ("quadrant", "spider"):
        raise ValueError(f"kind must be 'quadrant' or 'spider', not {kind!r}")
    if result._data.get("model") != "dimios":
        return None
    return chart("dimios_" + kind, result, width=width)


def comparison_html(cmp: Any) -> str:
    """:class:`kompetens.maturity.Comparison`: overall change, the change
    chart, change per dimension and category."""
    d = cmp._data
    o = d.get("overall") or {}
    head = facts([
        ("model", d.get("model")),
        ("overall", f"{number(o.get('previous'), 'pp')} → {number(o.get('current'), 'pp')} "
                    f"({number(o.get('change'), 'signed')} pp)"),
    ])
    cols = [("id", "text"), ("previous", "pp"), ("current", "pp"), ("change (pp)", "signed")]
    dims = table(cols, [(x["id"], x.get("previous"), x.get("current"), x.get("change")) for x in d.get("dimensions", ())])
    cats = table(cols, [(x["id"], x.get("previous"), x.get("current"), x.get("change")) for x in d.get("categories", ())])
    return box("Change between measurements", head, columns2(dims + cats, figure(comparison_chart, cmp, width=SIDE_WIDTH)))


def comparison_chart(cmp: Any, width: float | None = None) -> Svg | None:
    """The change chart of a maturity comparison (per category)."""
    return chart("change", cmp, width=width)


def waves_html(wc: Any) -> str:
    """:class:`kompetens.WaveComparison`: joiners/leavers, the change chart
    and the first root's change per competence (withheld cells say so)."""
    d = wc._data
    roots = [u["id"] for u in wc._tree if u.get("parent") is None]
    root = roots[0] if roots else (wc.units[0] if wc.units else None)
    rows = [r for r in d["rows"] if r["unit"] == root and r["scope"] == "rollup"]
    mv = next((m for m in d.get("movements", ()) if m["unit"] == root and m["scope"] == "rollup"), {})
    n_withheld = sum(1 for r in d["rows"] if r.get("suppressed"))
    head = facts([
        ("unit", root),
        ("joined", mv.get("joined") if mv.get("joined") is not None else withheld_text(mv.get("joined_suppressed"))),
        ("left", mv.get("left") if mv.get("left") is not None else withheld_text(mv.get("left_suppressed"))),
        ("withheld cells", n_withheld),
        ("min group", d.get("min_group")),
    ])
    tbl = table(
        [("competence", "text"), ("paired", "int"), ("improved", "pct"), ("unchanged", "pct"),
         ("declined", "pct"), ("mean before", "auto"), ("mean after", "auto"), ("change", "signed"),
         ("Wilcoxon p", "p")],
        [(r["competence"], cell_or_withheld(r, "paired"), cell_or_withheld(r, "share_improved"),
          cell_or_withheld(r, "share_unchanged"), cell_or_withheld(r, "share_declined"),
          cell_or_withheld(r, "mean_before"), cell_or_withheld(r, "mean_after"),
          cell_or_withheld(r, "mean_change"), r.get("wilcoxon_pvalue")) for r in rows],
        max_rows=25,
    )
    others = [r for r in d["rows"] if r.get("suppressed")]
    wtbl = ""
    if others:
        wtbl = table(
            [("unit", "text"), ("scope", "text"), ("competence", "text"), ("paired", "int")],
            [(r["unit"], r["scope"], r["competence"], Withheld(r["suppressed"])) for r in others],
            caption="Withheld cells (small groups protected)",
            max_rows=6,
        )
    return box("Change between waves", head, columns2(tbl, figure(waves_chart, wc, width=SIDE_WIDTH)), wtbl)


def waves_chart(wc: Any, width: float | None = None) -> Svg | None:
    """The change chart of a wave comparison (mean level per competence)."""
    return chart("change", wc, width=width)


def survey_html(scores: Any) -> str:
    """:class:`kompetens.SurveyScores`: levels per respondent and target."""
    targets = list(scores.targets)
    levels = scores._array("levels").tolist()
    ids = scores.ids
    rows = []
    for i, row in enumerate(levels):
        rid = ids[i] if ids is not None else str(i)
        rows.append([rid] + [None if v != v else int(v) for v in row])
    head = facts([("respondents", len(levels)), ("targets", len(targets))])
    tbl = table([("respondent", "text")] + [(t, "int") for t in targets], rows, caption="Level per target")
    return box("Survey scores", head, tbl)


def dsi_html(summary: Any) -> str:
    """:class:`kompetens.dsi.DsiSummary`: the headline and the shares."""
    d = summary._data
    head = facts([
        ("persons", d.get("n")),
        ("at least basic", number(d.get("at_least_basic"), "pct")),
        ("of assessed", number(d.get("at_least_basic_of_assessed"), "pct")),
    ])
    tbl = table(
        [("category", "text"), ("count", "int"), ("share", "pct")],
        [(c["category"].replace("_", " "), c["count"], c["share"]) for c in d.get("categories", ())],
    )
    return box("Digital Skills Indicator", head, tbl)


def benchmark_html(bm: Any) -> str:
    """:class:`kompetens.maturity.Benchmark`: own figures against the peer
    mean, with the spider chart of the categories."""
    d = bm._data
    o = d.get("overall") or {}
    head = facts([
        ("peers", f"{d.get('n_peers')} of type {d.get('type')}"),
        ("overall", f"{number(o.get('own'), 'pp')} (peers {number(o.get('peer_mean'), 'pp')}, "
                    f"{number(o.get('difference'), 'signed')} pp)"),
    ])
    cols = [("id", "text"), ("own", "pp"), ("peer mean", "pp"), ("difference (pp)", "signed"),
            ("percentile rank", "auto")]
    rows = [(x["id"], x.get("own"), x.get("peer_mean"), x.get("difference"), x.get("percentile_rank"))
            for key in ("dimensions", "categories") for x in d.get(key, ())]
    return box("Peer benchmark", head, columns2(table(cols, rows), figure(benchmark_chart, bm, width=SIDE_WIDTH)))


def benchmark_chart(bm: Any, width: float | None = None) -> Svg | None:
    """The spider chart of a benchmark: own categories against the peer mean."""
    return chart("dimios_spider", bm, width=width)


def dma_html(result: Any) -> str:
    """:class:`kompetens.DmaResult`: overall, band and the dimension scores."""
    d = result._data
    band = result.band
    head = facts([("model", d.get("model")), ("overall", number(d.get("overall"))),
                  ("band", band.name() if band else None)])
    rows = [(_name(x) or x["id"], x.get("score"), _name(x.get("band") or {}) or "—") for x in d.get("dimensions", ())]
    return box("Digital Maturity Assessment", head, table([("dimension", "text"), ("score", "auto"), ("band", "text")], rows))
