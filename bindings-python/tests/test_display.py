"""Rich display (``_repr_html_``/``_repr_svg_``) of the result objects:
well-formed HTML (checked with ``html.parser``), hostile text escaped,
withheld cells shown as withheld (never 0), long tables cut with a count,
the core's SVG charts embedded."""

from __future__ import annotations

from html.parser import HTMLParser

import numpy as np
import pytest

import kompetens
from kompetens import _display, dsi, maturity

VOID = {"br", "hr", "img", "input", "meta", "link", "col", "wbr"}
HOSTILE = '<script>alert("x")</script>&"\''


class _Checker(HTMLParser):
    """Tags balance; records text and the text of every table cell."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.text: list[str] = []
        self.cells: list[str] = []
        self._cell: list[str] | None = None
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag in ("td", "th"):
            self._cell = []

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def parse(html: str) -> _Checker:
    c = _Checker()
    c.feed(html)
    c.close()
    assert not c.problems, c.problems
    assert not c.stack, f"unclosed: {c.stack}"
    return c


# --- fixtures -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def publication():
    # Unit a (root) with teams b (4 people: below min_group 5) and c (6 people).
    tree = {"a": None, "b": "a", HOSTILE: "a"}
    units = ["b"] * 4 + [HOSTILE] * 6
    levels = np.array([[2], [3], [4], [1], [3], [3], [2], [4], [5], [1]], dtype=np.int8)
    required = np.full((10, 1), 3, dtype=np.int8)
    return kompetens.aggregate_gaps(levels, required, units, tree, competences=["1.1"], min_group=5)


@pytest.fixture(scope="module")
def report():
    fw = kompetens.Framework.builtin("digcomp-2.2")
    profile = {"id": "lib", "requirements": [
        {"competence": "1.1", "level": 4, "weight": "critical"},
        {"competence": "2.1", "level": 3},
        {"competence": "4.2", "level": 3}]}
    return kompetens.gap_report(fw, profile, {"1.1": 2, "2.1": 3})


@pytest.fixture(scope="module")
def dimios_result():
    model = kompetens.MaturityModel.builtin("dimios")
    items = model.item_ids
    rng = np.random.default_rng(7)
    rows = rng.integers(1, 7, size=(12, len(items))).astype(float)
    units = ["big"] * 10 + ["small"] * 2
    tree = [{"id": "org", "name": {"en": "Org"}}, {"id": "big", "parent": "org"},
            {"id": "small", "parent": "org", "name": {"en": HOSTILE}}]
    return model.score(rows, items=items, units=units, tree=tree)


# --- the helpers ----------------------------------------------------------------------


def test_escape_and_numbers():
    assert _display.esc(HOSTILE) == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&quot;&#x27;"
    assert _display.number(0.625, "pct") == "62 %"  # round half to even, as Python's format
    assert _display.number(None) == "—" and _display.number(float("nan"), "pp") == "—"
    assert _display.number(-0.5, "signed") == "−0.50" and _display.number(1.25, "signed") == "+1.25"
    assert _display.number(0.0004, "p") == "< 0.001"
    assert _display.withheld_text("primary") == "withheld (primary)"
    assert _display.withheld_text("fewer_than_min_respondents") == "withheld (too few respondents)"


def test_long_tables_are_cut_with_a_count():
    html = _display.table([("n", "int")], [[i] for i in range(30)], max_rows=12)
    c = parse(html)
    assert c.cells[1:13] == [str(i) for i in range(12)]
    assert c.cells[-1] == "… 18 more rows"
    one = parse(_display.table([("n", "int")], [[i] for i in range(13)], max_rows=12))
    assert one.cells[-1] == "… 1 more row"
    assert "more row" not in _display.table([("n", "int")], [[1]])


def test_table_escapes_headers_captions_and_cells():
    html = _display.table([(HOSTILE, "text")], [[HOSTILE]], caption=HOSTILE)
    c = parse(html)
    assert "script" not in c.tags
    assert c.cells == [HOSTILE, HOSTILE]


# --- the result objects -------------------------------------------------------------------


def test_gap_report_html(report):
    html = report._repr_html_()
    c = parse(html)
    text = "".join(c.text)
    assert "Gap report" in text and "readiness" in text
    # 4.2 is not rated: listed as missing, its current level is no number
    assert "not rated (not counted as 0): 4.2" in text
    i = c.cells.index("4.2")
    assert c.cells[i + 2] == "—" and c.cells[i + 4] == "—"


def test_publication_html_escapes_units_and_shows_withheld(publication):
    html = publication._repr_html_()
    c = parse(html)
    assert "script" not in c.tags and "<script" not in html
    assert HOSTILE in c.cells  # the unit id, as text
    # b has 4 people: withheld (primary); so is a sibling/parent cell that
    # would give it away by subtraction (secondary). Never shown as 0 %.
    rows = {r["unit"]: r for r in publication.rows if r["scope"] == "rollup"}
    assert rows["b"]["suppressed"] == "primary"
    i = c.cells.index("b")
    assert c.cells[i + 1] == "withheld (primary)"
    assert "withheld (secondary)" in c.cells
    assert "0 %" not in c.cells[i + 1]


def test_wave_comparison_html_shows_withheld():
    before = [{"id": f"p{i}", "unit": "b" if i < 3 else "c", "levels": {"1.1": 2}} for i in range(9)]
    after = [{"id": f"p{i}", "unit": "b" if i < 3 else "c", "levels": {"1.1": 3 if i % 2 else 2}} for i in range(9)]
    cmp = kompetens.compare_waves(before, after, {"a": None, "b": "a", "c": "a"}, competences=["1.1"], min_group=5)
    html = cmp._repr_html_()
    c = parse(html)
    assert "withheld (primary)" in c.cells
    b = next(r for r in cmp.rows if r["unit"] == "b" and r["scope"] == "rollup")
    assert b["suppressed"] == "primary" and b["paired"] is None
    # odd people improve: a has 9 paired (4 improved), c 6 (3 improved);
    # whatever secondary suppression leaves published is exact
    want = {"a": (9, 4), "c": (6, 3)}
    published = [r for r in cmp.rows if r["scope"] == "rollup" and r["suppressed"] is None]
    assert published
    for r in published:
        assert (r["paired"], r["improved"]) == want[r["unit"]]
    assert "withheld (secondary)" in c.cells
    # the change chart alone, and the same picture inside the HTML
    pic = cmp.chart()
    assert _is_svg(pic) and _is_svg(pic._repr_svg_())
    assert "<svg" in html and pic.split("<title>")[1].split("</title>")[0] in html


def test_maturity_html_units_withheld_and_names_escaped(dimios_result):
    html = dimios_result._repr_html_()
    c = parse(html)
    assert "script" not in c.tags
    assert HOSTILE in c.cells  # the unit's name, as text
    i = c.cells.index(HOSTILE)
    assert c.cells[i + 1] == "2" and c.cells[i + 2] == "withheld (too few respondents)"
    text = "".join(c.text)
    assert "type" in text and "weakest categories" in text


def test_comparison_survey_dsi_html(dimios_result):
    cmp = maturity.compare(dimios_result, dimios_result)
    c = parse(cmp._repr_html_())
    assert "+0.00" in c.cells
    inst = kompetens.SurveyInstrument.from_dict({"id": "m", "framework": "digcomp-2.2",
                                                 "scale": {"min": 0, "max": 3},
                                                 "items": [{"id": "q1", "target": "1.1"}]})
    s = inst.score([[3], [None]], ids=[HOSTILE, "b"])
    c = parse(s._repr_html_())
    assert HOSTILE in c.cells and "—" in c.cells
    summary = dsi.summarise_categories(["basic", "above_basic", "low"])
    c = parse(summary._repr_html_())
    assert "at least basic: 67 %" in "".join(c.text)  # 2 of 3
    assert c.cells[3:6] == ["above basic", "1", "33 %"]


# --- charts -------------------------------------------------------------------------------


def _is_svg(text) -> bool:
    return isinstance(text, str) and text.lstrip().startswith("<svg") and text.rstrip().endswith("</svg>")


def test_charts_are_embedded(report, publication, dimios_result):
    assert _is_svg(report.chart()) and _is_svg(report.chart()._repr_svg_())
    assert "<svg" in report._repr_html_()
    assert "<svg" in publication._repr_html_()
    heat = publication.chart()
    assert _is_svg(heat) and _is_svg(heat._repr_svg_())
    # the same picture as kompetens.charts.heatmap (element ids get a
    # per-page prefix): the same data in words
    desc = lambda svg: svg.split("<desc")[1].split("</desc>")[0].split(">", 1)[1]  # noqa: E731
    assert desc(heat) == desc(kompetens.charts.heatmap(publication))
    assert _is_svg(dimios_result.chart("quadrant")) and _is_svg(dimios_result.chart("spider"))
    assert dimios_result._repr_html_().count("<svg") >= 2
    cmp = maturity.compare(dimios_result, dimios_result)
    assert _is_svg(cmp.chart()) and "<svg" in cmp._repr_html_()


def test_hostile_names_do_not_reach_the_svg_unescaped(publication):
    html = publication._repr_html_()
    assert "<script" not in html
    c = parse(html)  # the embedded SVG is well-formed too
    assert "svg" in c.tags and "script" not in c.tags


def test_element_ids_are_unique_per_page(report, publication, dimios_result):
    import re

    page = "".join(x._repr_html_() for x in (report, publication, dimios_result))
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert ids and len(ids) == len(set(ids))
    # deterministic: the same object renders the same bytes
    assert report._repr_html_() == report._repr_html_()


def test_chart_kinds(dimios_result):
    with pytest.raises(ValueError):
        dimios_result.chart("pie")


def test_benchmark_and_dma_html(dimios_result):
    peers = [("p1", "kommun", dimios_result), ("p2", "kommun", dimios_result.to_dict())]
    bm = dimios_result.benchmark(peers, type="kommun")
    c = parse(bm._repr_html_())
    assert "Peer benchmark" in "".join(c.text)
    assert "+0.00" in c.cells  # own = every peer: difference 0
    # checklist 3 of 10 options → 3; grid (1 + 0.5 + 1)/8 → 3.125; strategy = 5 · (3 + 3.125)
    r = kompetens.dma.score({"strategy_preparedness": ["o1", "o2", "o3"],
                             "strategy_investments": {"r1": ["invested"], "r2": ["planned"],
                                                      "r3": ["invested", "planned"]}})
    c = parse(r._repr_html_())
    i = next(k for k, v in enumerate(c.cells) if "strateg" in v.lower())
    assert c.cells[i + 1] == "30.62"  # 30.625 to 2 decimals (half to even)
