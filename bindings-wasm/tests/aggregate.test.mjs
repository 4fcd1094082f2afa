// Gap aggregation with small-group protection through the named functions of
// the full build (Node here; `kompetens/full` in headless Chromium at the
// end): a small organisation worked by hand, the same shared vector that the
// Rust and Python runners check (tests/vectors/aggregate-small-org.json), the
// audit, and wave and training-demand examples.
//
// The organisation (min_group 3; everyone requires x = 3 and y = 2):
//
// | unit | x levels  | y levels          |
// |------|-----------|-------------------|
// | a    | 2 3 4 1   | 2 1 3 0           |
// | b    | 3 5 3     | 2 (missing) 4     |
// | c    | 1 3       | 2 1               |
//
// Primary (fewer than 3 rated): x in c (2), y in b (2) and c (2).
// x: org 9 − a 4 − b 3 would give c = 2 away, so one sibling is withheld
//    as well: b (3 people, cheaper than a's 4 or org's 9; c − 1 with b + 1
//    keeps every total) → c ∈ [1, 2], b ∈ [3, 4].
// y: b + c = 8 − 4 = 4 with both primary (1…2) pins b = c = 2 by bounds
//    alone, so a (4) is withheld too → a ∈ [4, 6], b, c ∈ [1, 2].
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import * as k from "kompetens";
import { mismatch, route } from "kompetens/vectors";

const vectors = JSON.parse(readFileSync(new URL("../../tests/vectors/aggregate-small-org.json", import.meta.url), "utf8"));
const gapsCase = vectors.cases.find((c) => c.name === "small-org-secondary-min3");
const { min_group: _minGroup, ...snakeData } = gapsCase.input;
const data = k.toCamel(snakeData);
const tree = data.tree;

function thrown(fn) {
  try {
    fn();
  } catch (err) {
    return err;
  }
  assert.fail("expected an error");
}

const close = (actual, expected, tol = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${actual} ≠ ${expected}`);

const cell = (pub, unit, scope, competence) =>
  pub.rows.find((r) => r.table === "unit" && r.unit === unit && r.scope === scope && r.competence === competence);

test("aggregateGaps: a small organisation, withheld cells carry their reasons", () => {
  const pub = k.aggregateGaps(data, { minGroup: 3 });
  assert.equal(pub.minGroup, 3);
  assert.equal(pub.suppression, "secondary");
  const reasons = Object.fromEntries(
    pub.rows.filter((r) => r.scope === "rollup").map((r) => [`${r.unit}/${r.competence}`, r.suppressed]),
  );
  assert.deepEqual(reasons, {
    "org/x": null,
    "org/y": null,
    "a/x": null,
    "a/y": "secondary",
    "b/x": "secondary",
    "b/y": "primary",
    "c/x": "primary",
    "c/y": "primary",
  });
  // a withheld row keeps its keys and has every number null
  const w = cell(pub, "c", "own", "x");
  for (const key of ["people", "rated", "missing", "meeting", "coverage", "meanShortfall", "weightedNeed", "meanLevel", "distribution"]) {
    assert.equal(w[key], null, key);
  }
  // org x: 9 rated, 6 at or above 3; shortfalls 1+0+0+2 (a) + 0 (b) + 2+0 (c) = 5
  const ox = cell(pub, "org", "rollup", "x");
  assert.equal(ox.people, 9);
  assert.equal(ox.meeting, 6);
  close(ox.coverage, 6 / 9);
  close(ox.meanShortfall, 5 / 9);
  close(ox.meanShortfallBelow, 5 / 3);
  close(ox.meanLevel, 25 / 9);
  // org y: 8 rated, 1 missing, meeting (≥ 2) 2 + 2 + 1 = 5, shortfall 3 + 0 + 1 = 4
  const oy = cell(pub, "org", "rollup", "y");
  assert.equal(oy.people, 8);
  assert.equal(oy.missing, 1);
  close(oy.coverage, 5 / 8);
  close(oy.meanShortfall, 0.5);
  // top needs: published rolled-up cells only (a's y is withheld)
  assert.deepEqual(
    pub.topNeeds.map((t) => [t.unit, t.rank, t.competence, t.weightedNeed]),
    [["org", 1, "x", 5], ["org", 2, "y", 4], ["a", 1, "x", 3]],
  );
  assert.equal(pub.audit.clean, true);
  assert.equal(pub.audit.sizesClean, true);
  assert.deepEqual([pub.audit.primary, pub.audit.secondary, pub.audit.withheld], [6, 4, 10]);
});

test("aggregateGaps equals the shared vector (the numbers Rust and Python check) and call()", () => {
  const pub = k.aggregateGaps(data, { minGroup: 3 });
  assert.equal(mismatch(gapsCase.expected, k.toSnake(pub)), null);
  assert.deepEqual(pub, k.call("aggregate.gaps", { ...data, minGroup: 3 }));
  // the vector runner takes the named function for every aggregate vector
  for (const c of vectors.cases) assert.ok(route(c.op, c.input).named, c.name);
});

test("auditPublication: the publication audits clean; without a's y cells b and c are pinned", () => {
  const pub = k.aggregateGaps(data, { minGroup: 3 });
  const a = k.auditPublication(tree, pub);
  assert.equal(a.clean, true);
  assert.equal(a.sizesClean, true);
  assert.equal(a.cells, 16);
  // a list of rows, min_group given
  assert.deepEqual(k.auditPublication(tree, pub.rows, { minGroup: 3 }), a);
  // publish a's y cells (4 people): org 8 = 4 + b + c, b and c in [1, 2] → both 2
  const leaky = pub.rows.map((r) =>
    r.unit === "a" && r.competence === "y" ? { ...r, suppressed: null, rated: 4, people: 4 } : r,
  );
  const b = k.auditPublication(tree, leaky, { minGroup: 3 });
  assert.equal(b.clean, true); // no differencing of levels…
  assert.equal(b.sizesClean, false); // …but the head counts follow from the bounds
  assert.deepEqual(
    b.sizeFindings.map((f) => [f.unit, f.scope, f.competence, f.suppressed, f.method, f.value]),
    [
      ["b", "own", "y", "primary", "bounds", 2],
      ["b", "rollup", "y", "primary", "bounds", 2],
      ["c", "own", "y", "primary", "bounds", 2],
      ["c", "rollup", "y", "primary", "bounds", 2],
    ],
  );
  // with primary suppression only, c's x is exposed by differencing: 9 − 4 − 3 = 2
  const primary = k.aggregateGaps(data, { minGroup: 3, suppression: "primary" });
  const p = k.auditPublication(tree, primary);
  assert.equal(p.clean, false);
  assert.deepEqual(
    p.findings.filter((f) => f.competence === "x").map((f) => [f.unit, f.scope, f.method, f.value]),
    [["c", "own", "linear", 2], ["c", "rollup", "linear", 2]],
  );
});

test("aggregate functions reject bad input with the core's error codes", () => {
  assert.equal(thrown(() => k.aggregateGaps(data, { minGroup: 3, colour: "red" })).code, "parse_error");
  assert.equal(thrown(() => k.aggregateGaps(data, { suppression: "noise" })).location, "suppression");
  assert.equal(thrown(() => k.aggregateGaps([1, 2])).location, "data");
  const bad = { ...data, tree: { org: null, a: "nowhere" } };
  assert.equal(thrown(() => k.aggregateGaps(bad)).code, "unknown_reference");
  assert.equal(thrown(() => k.auditPublication(tree, 7)).location, "publication");
  assert.equal(thrown(() => k.auditPublication(tree, [], { top: 2 })).location, "options.top");
});

test("aggregateWaves: change per unit, worked by hand", () => {
  // c1 in a: p1 2 → 4 (+2), p2 3 → 3 (0); in b: p3 4 → 2 (−2), p4 1 → missing
  // (not paired); p5 left a, p6 joined b.
  const p = (id, unit, v) => ({ id, unit, levels: { c1: v } });
  const waves = {
    competences: ["c1"],
    tree: { org: null, a: "org", b: "org" },
    before: [p("p1", "a", 2), p("p2", "a", 3), p("p3", "b", 4), p("p4", "b", 1), p("p5", "a", 5)],
    after: [p("p1", "a", 4), p("p2", "a", 3), p("p3", "b", 2), p("p4", "b", null), p("p6", "b", 2)],
  };
  const out = k.aggregateWaves(waves, { suppression: "none" });
  const org = out.rows.find((r) => r.unit === "org" && r.scope === "rollup");
  assert.deepEqual([org.paired, org.improved, org.unchanged, org.declined], [3, 1, 1, 1]);
  close(org.meanChange, 0);
  const mov = out.movements.find((m) => m.unit === "org" && m.scope === "rollup");
  assert.deepEqual([mov.joined, mov.left], [1, 1]);
  // protected (min group 5): 3 paired people are too few anywhere
  const prot = k.aggregateWaves(waves);
  assert.ok(prot.rows.every((r) => r.suppressed === "primary" || r.paired === 0 || r.paired === null));
});

test("trainingDemand: one line per competence and target level, small groups withheld", () => {
  // min group 2 (everything published). x, target 3: group = 9 rated with
  // that requirement; below it a1 (2), a4 (1) in a and c1 (1) in c: 3
  // people in 2 units. y, target 2: 8 rated; below it a2 (1), a4 (0) in a
  // and c2 (1) in c. b has nobody below either target (no entry).
  const all = k.trainingDemand(data, { minGroup: 2 });
  assert.deepEqual(
    all.demand.map((d) => [d.competence, d.targetLevel, d.group, d.people, d.units, d.byUnit.map((u) => [u.unit, u.group, u.people])]),
    [
      ["x", 3, 9, 3, 2, [["a", 4, 2], ["c", 2, 1]]],
      ["y", 2, 8, 3, 2, [["a", 4, 2], ["c", 2, 1]]],
    ],
  );
  // min group 3: the gap table withholds b/x (secondary), c/x, b/y, c/y
  // (primary) and a/y (secondary); with one target per competence a unit's
  // entry equals its own cell, so only a's entry for x (4 rated, 2 below)
  // may show — publishing a's entry for y would reveal a/y and with it b/y
  // and c/y (8 − 4 = 4 = 2 + 2).
  const out = k.trainingDemand(data, { minGroup: 3 });
  assert.equal(out.minGroup, 3);
  const y = out.demand.find((d) => d.competence === "y");
  assert.deepEqual([y.group, y.people, y.units, y.withheldUnits], [8, 3, 2, 3]);
  assert.deepEqual(y.byUnit, []);
  const x = out.demand.find((d) => d.competence === "x");
  assert.deepEqual([x.group, x.people, x.units, x.withheldUnits], [9, 3, 2, 2]);
  assert.deepEqual(x.byUnit.map((u) => [u.unit, u.group, u.people]), [["a", 4, 2]]);
  assert.deepEqual(out, k.call("aggregate.training_demand", { ...data, minGroup: 3 }));
});

// --- the same in a browser -------------------------------------------------

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const pkgRoot = fileURLToPath(new URL("../", import.meta.url));
let chromium = null;
try {
  ({ chromium } = await import("playwright-core"));
} catch {
  chromium = null;
}
const skip = !existsSync(CHROMIUM) ? `no ${CHROMIUM}` : !chromium ? "playwright-core not installed" : false;
const TYPES = { ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };

test("kompetens/full aggregates the small organisation in headless Chromium", { skip, timeout: 120_000 }, async () => {
  const code = `import { aggregateGaps, auditPublication } from "kompetens/full";
const data = ${JSON.stringify(data)};
const pub = aggregateGaps(data, { minGroup: 3 });
window.result = { pub, audit: auditPublication(data.tree, pub) };`;
  const html = `<!doctype html><meta charset="utf-8">
<script type="importmap">{"imports": {"kompetens/full": "/web/full.js"}}</script>
<script type="module">
try { await import("/page.mjs"); window.outcome = "ok"; }
catch (e) { window.outcome = "error: " + (e && e.stack || e); }
</script>`;
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    if (url.pathname === "/") return res.writeHead(200, { "content-type": "text/html" }).end(html);
    if (url.pathname === "/page.mjs") return res.writeHead(200, { "content-type": "text/javascript" }).end(code);
    const file = normalize(join(pkgRoot, url.pathname));
    if (!file.startsWith(pkgRoot) || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  let browser = null;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const tab = await browser.newPage();
    await tab.goto(`http://127.0.0.1:${server.address().port}/`);
    await tab.waitForFunction(() => window.outcome !== undefined, null, { timeout: 60_000 });
    assert.equal(await tab.evaluate(() => window.outcome), "ok");
    const { pub, audit } = await tab.evaluate(() => window.result);
    // the browser's publication is the one Node computes, and the shared vector's
    assert.deepEqual(pub, k.aggregateGaps(data, { minGroup: 3 }));
    assert.equal(mismatch(gapsCase.expected, k.toSnake(pub)), null);
    assert.equal(cell(pub, "c", "rollup", "x").suppressed, "primary");
    assert.equal(cell(pub, "b", "rollup", "x").suppressed, "secondary");
    assert.equal(audit.clean && audit.sizesClean, true);
  } finally {
    await browser?.close();
    server.close();
  }
});
