// Charts from JS: the same SVG text as the core's operation (the shared
// vectors pin it across languages; the geometry is checked against
// hand-worked numbers in core/src/chart/tests.rs), camelCase specs and
// options, results of the other functions accepted, located errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as k from "kompetens";

const RADAR = {
  axes: [{ label: "1.1" }, { label: "2.1" }, { label: "3.1" }],
  max: 8,
  series: [
    { kind: "actual", values: [3, 4, null] },
    { kind: "required", values: [4, 4, 5] },
  ],
};

function thrown(fn) {
  try {
    fn();
  } catch (err) {
    return err;
  }
  assert.fail("expected an error");
}

test("radarChart: a spec gives the core's text", () => {
  const svg = k.radarChart(RADAR, { lang: "sv", id: "r1" });
  assert.equal(typeof svg, "string");
  assert.equal(svg, k.call("chart.radar", { spec: RADAR, options: { lang: "sv", id: "r1" } }));
  assert.match(svg, /^<svg [^>]*role="img" aria-labelledby="r1-title r1-desc"/);
  assert.match(svg, /Kravnivå/);
  assert.match(svg, />saknas \/ 5</);
});

test("radarChart: a gap report, per area by default, per competence on request", () => {
  const report = k.gapReport(
    "digcomp-2.2",
    { id: "r", requirements: [{ competence: "1.1", level: 4 }, { competence: "1.2", level: 5 }, { competence: "5.1", level: 2 }] },
    { "1.1": 2, "1.2": 4 },
  );
  // area 1: current (2 + 4)/2 = 3, required (4 + 5)/2 = 4.5; area 5: not rated
  const byArea = k.radarChart(report);
  assert.match(byArea, />3.0 \/ 4.5</);
  assert.match(byArea, />n\/a \/ 2.0</);
  const byCompetence = k.radarChart(report, { by: "competence", extra: [{ levels: { "1.1": 3 }, label: "Unit" }] });
  assert.match(byCompetence, />2 \/ 4 \/ 3</);
  assert.match(byCompetence, />Unit</);
});

test("heatmapChart: withheld cells are hatched and labelled, never zero", () => {
  const spec = {
    rows: [{ label: "Team A" }],
    columns: [{ label: "1.1" }, { label: "2.1" }, { label: "3.1" }],
    cells: [[{ value: 0.5 }, { withheld: "primary" }, {}]],
  };
  const svg = k.heatmapChart(spec);
  assert.equal(svg, k.call("chart.heatmap", { spec }));
  assert.match(svg, /<g class="withheld"><title>Team A × 2\.1: withheld: group too small<\/title><rect [^>]*fill="url\(#heatmap-hatch\)"[^>]*\/><text [^>]*>–<\/text><\/g>/);
  assert.match(svg, /<g class="missing"><title>Team A × 3\.1: no data<\/title>/);
});

test("dimios charts and change from maturity results", () => {
  const model = k.maturityBuiltin("dimios");
  const items = model.dimensions.flatMap((d) => d.categories.flatMap((c) => c.capabilities.flatMap((x) => x.items.map((i) => i.id))));
  const rows = (v) => [0, 1, 2].map(() => items.map(() => v));
  const now = k.scoreMaturity(model, { items, rows: rows(5) });
  const before = k.scoreMaturity(model, { items, rows: rows(4) });
  const quadrant = k.dimiosQuadrantChart(now, { peers: [{ id: "Grannkommunen", result: before }], label: "Vi", lang: "sv" });
  assert.match(quadrant, /Digital förmåga/);
  assert.match(quadrant, />Grannkommunen</);
  const spider = k.dimiosSpiderChart(now, { peers: [before] });
  assert.match(spider, /Peer average \(n = 1\)/);
  const change = k.changeChart(k.compareMaturity(now, before), { model: "dimios", beforeLabel: "2025", afterLabel: "2026" });
  assert.match(change, />2025</);
  assert.match(change, /Efficiency/);
});

test("errors carry the core's code and the location in the spec", () => {
  const bad = { ...RADAR, series: [{ values: [9, 1, 1] }] };
  const err = thrown(() => k.radarChart(bad));
  assert.equal(err.name, "KompetensError");
  assert.equal(err.code, "value_out_of_scale");
  assert.equal(err.location, "spec.series[0].values[0]");
  assert.equal(thrown(() => k.radarChart(RADAR, { id: "9" })).location, "options.id");
  assert.equal(thrown(() => k.changeChart({ items: [{ label: "a" }], before: [1], after: [1, 2], max: 8 })).code, "shape_mismatch");
});
