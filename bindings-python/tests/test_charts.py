"""kompetens.charts: SVG text from specs and from the Python result objects.

The geometry is checked against hand-worked numbers in the Rust tests
(core/src/chart/tests.rs) and pinned across languages by the shared vectors
(tests/vectors/chart-*.json); here: the Python entry points accept the
result objects of the API, give the same text as the core's operation, are
well-formed XML with the accessible frame, and raise located errors."""

from __future__ import annotations

import doctest
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import kompetens
from kompetens import charts

SVG = "{http://www.w3.org/2000/svg}"

RADAR = {
    "axes": [{"label": "1.1"}, {"label": "2.1"}, {"label": "3.1"}],
    "max": 8,
    "series": [
        {"kind": "actual", "values": [3, 4, None]},
        {"kind": "required", "values": [4, 4, 5]},
    ],
}


def frame(svg: str, id: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{id}-title {id}-desc"
    assert root.find(SVG + "title").get("id") == f"{id}-title"
    assert root.find(SVG + "desc").text
    return root


def test_doctests():
    failed, attempted = doctest.testmod(charts)
    assert attempted > 0 and failed == 0


def test_spec_gives_the_core_text_and_displays_in_jupyter():
    svg = charts.radar(RADAR, lang="sv", id="r1")
    assert isinstance(svg, str) and isinstance(svg, charts.Svg)
    assert svg._repr_svg_() == str(svg)
    assert str(svg) == kompetens.call("chart.radar", {"spec": RADAR, "options": {"lang": "sv", "id": "r1"}})
    frame(svg, "r1")
    assert "Kravnivå" in svg and "saknas / 5" in svg


def test_radar_from_a_gap_report_object():
    fw = kompetens.Framework.builtin("digcomp-2.2")
    report = kompetens.gap_report(
        fw,
        {"id": "r", "requirements": [{"competence": "1.1", "level": 4}, {"competence": "1.2", "level": 5},
                                      {"competence": "5.1", "level": 2}]},
        {"1.1": 2, "1.2": 4},
    )
    svg = charts.radar(report)  # framework: the report's, by name
    root = frame(svg, "radar")
    # area 1: current (2 + 4)/2 = 3, required (4 + 5)/2 = 4.5; area 5: not rated
    spans = [t.text for t in root.iter(SVG + "tspan")]
    assert "3.0 / 4.5" in spans and "n/a / 2.0" in spans
    assert charts.radar(report.to_dict(), fw) == svg
    by_c = charts.radar(report, fw, by="competence", extra=[{"levels": {"1.1": 3}, "label": "Unit"}])
    assert ">Unit</text>" in by_c and "2 / 4" in by_c


def test_heatmap_from_a_publication_object():
    rng = np.random.default_rng(7)
    levels = rng.integers(1, 7, size=(9, 2))
    pub = kompetens.aggregate_gaps(
        levels,
        np.full((9, 2), 4),
        ["a"] * 7 + ["b"] * 2,
        {"org": None, "a": "org", "b": "org"},
        competences=["1.1", "2.1"],
    )
    svg = charts.heatmap(pub, unit_names={"a": "Avdelning A"}, lang="sv")
    root = frame(svg, "heatmap")
    withheld = [g for g in root.iter(SVG + "g") if g.get("class") == "withheld"]
    assert withheld, "unit b is below min_group"
    for g in withheld:
        assert g.find(SVG + "rect").get("fill") == "url(#heatmap-hatch)"
        assert g.find(SVG + "text").text == "–"
    assert "Avdelning A" in svg
    assert charts.heatmap(pub.to_dict(), unit_names={"a": "Avdelning A"}, lang="sv") == svg


def test_dimios_charts_from_result_objects():
    model = kompetens.MaturityModel.builtin("dimios")
    items = list(model.item_ids)
    rng = np.random.default_rng(3)

    def result(shift: float):
        rows = np.clip(np.rint(rng.normal(3.5 + shift, 1.0, size=(6, len(items)))), 1, 6)
        return model.score({"items": items, "rows": rows.tolist()})

    now, before, peer = result(0.5), result(0.0), result(-0.5)
    q = charts.dimios_quadrant(now, peers={"Grannkommunen": peer}, label="Vi", lang="sv")
    frame(q, "quadrant")
    assert "Digital förmåga" in q and "Grannkommunen" in q and ">Vi</text>" in q
    s = charts.dimios_spider(now, peers=[peer])
    frame(s, "spider")
    assert "Peer average (n = 1)" in s
    c = charts.change(now.compare(before), model=model, before_label="2025", after_label="2026")
    frame(c, "change")
    assert ">2025</text>" in c and "Efficiency" in c


def test_errors_are_located():
    bad = dict(RADAR, series=[{"values": [9, 1, 1]}])
    with pytest.raises(kompetens.KompetensError) as e:
        charts.radar(bad)
    assert e.value.code == "value_out_of_scale"
    assert e.value.location == "spec.series[0].values[0]"
    with pytest.raises(kompetens.KompetensError) as e:
        charts.radar(RADAR, id="9")
    assert e.value.location == "options.id"
    with pytest.raises(kompetens.KompetensError) as e:
        charts.change({"items": [{"label": "a"}], "before": [1], "after": [1, 2], "max": 8})
    assert e.value.code == "shape_mismatch"


def test_save(tmp_path):
    svg = charts.radar(RADAR)
    path = tmp_path / "r.svg"
    svg.save(str(path))
    assert path.read_text(encoding="utf-8") == svg
