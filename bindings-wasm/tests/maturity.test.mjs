// Digital maturity through the named functions (the full build: Node and
// `kompetens/full`). Expected numbers are worked out by hand in the
// comments from the definitions in the core's maturity docs.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as k from "kompetens";

function thrown(fn) {
  try {
    fn();
  } catch (err) {
    return err;
  }
  assert.fail("expected an error");
}

const close = (actual, expected, tol = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${actual} ≠ ${expected}`);

test("maturityBuiltin: DiMiOS has two dimensions of three categories", () => {
  const m = k.maturityBuiltin("dimios");
  assert.deepEqual(m.dimensions.map((d) => d.id), ["formaga", "arv"]);
  assert.deepEqual(m.dimensions.map((d) => d.categories.length), [3, 3]);
  assert.deepEqual(k.loadMaturityModel(m), m);
  // JSON text is the file format: snake_case
  assert.deepEqual(k.loadMaturityModel(JSON.stringify(k.toSnake(m))), m);
  assert.equal(thrown(() => k.maturityBuiltin("cmmi")).code, "unknown_builtin");
  assert.equal(k.maturityExampleInstrument("dimios").example, true);
});

test("overallFromDimensions and classifyMaturity: a published municipal figure", () => {
  // overall = mean of the two dimensions: (59 + 47) / 2 = 53; förmåga 47 < 50
  // (low) and arv 59 ≥ 50 (high): type C
  const dims = [{ id: "formaga", percentage: 47 }, { id: "arv", percentage: 59 }];
  const o = k.overallFromDimensions("dimios", dims);
  close(o.overall, 53);
  assert.equal(o.type.id, "C");
  assert.equal(k.classifyMaturity("dimios", dims).id, "C");
  // cut points are settings: with förmåga's cut at 45 it is high → type D
  const d = k.classifyMaturity("dimios", dims, { settings: { quadrantCutX: 45 } });
  assert.equal(d.id, "D");
});

/** Every item answered so that it counts 60 %: (4 − 1) / 5, reverse keyed 3 → 1 + 6 − 3 = 4. */
function responses60(n) {
  const model = k.maturityBuiltin("dimios");
  const reversed = new Set(
    model.dimensions.flatMap((d) => d.categories.flatMap((c) => c.capabilities.filter((x) => x.reverseScored).map((x) => x.id))),
  );
  const items = k.maturityInstrument("dimios").items;
  const row = items.map((it) => ((it.reverse ?? reversed.has(it.capability)) ? 3 : 4));
  return { items: items.map((it) => it.id), rows: Array.from({ length: n }, () => row) };
}

test("scoreMaturity: every item at 60 % gives 60 % everywhere and type D; compare; benchmark", () => {
  const result = k.scoreMaturity("dimios", responses60(6));
  close(result.overall, 60);
  assert.equal(result.nRespondents, 6);
  for (const level of [...result.dimensions, ...result.categories, ...result.capabilities]) {
    close(level.percentage, 60);
  }
  assert.equal(result.type.id, "D");
  // three weakest and strongest are shown even when all are equal (ties broken deterministically)
  assert.equal(result.weakestCategories.length, 3);
  assert.equal(result.strongestCategories.length, 3);
  // one year later every item at 80 %: (5 − 1) / 5, reversed 2 → 5
  const later = responses60(6);
  later.rows = later.rows.map((row) => row.map((v) => (v === 4 ? 5 : 2)));
  const next = k.scoreMaturity("dimios", later);
  close(next.overall, 80);
  const change = k.compareMaturity(next, result);
  close(change.overall.change, 20);
  // a peer municipality at 80 %: difference 60 − 80 = −20 percentage points
  const bench = k.benchmarkMaturity(result, "municipality", [{ id: "m2", type: "municipality", result: next }]);
  assert.equal(bench.nPeers, 1);
  close(bench.overall.peerMean, 80);
  close(bench.overall.difference, -20);
});

test("scoreMaturity: units below the minimum number of respondents are withheld", () => {
  // 6 respondents: 5 in unit a (enough, default minimum 5), 1 in unit b (withheld)
  const r = k.scoreMaturity("dimios", responses60(6), {
    units: ["a", "a", "a", "a", "a", "b"],
    tree: [{ id: "org" }, { id: "a", parent: "org" }, { id: "b", parent: "org" }],
  });
  const byId = Object.fromEntries(r.units.map((u) => [u.id, u]));
  assert.deepEqual([byId.a.own.withheld, byId.a.own.nRespondents], [false, 5]);
  close(byId.a.own.result.overall, 60);
  assert.deepEqual([byId.b.own.withheld, byId.b.own.reason, byId.b.own.result ?? null], [true, "fewer_than_min_respondents", null]);
  // the organisation rolls up both units: 6 respondents
  assert.equal(byId.org.rolledUp.nRespondents, 6);
  const err = thrown(() => k.scoreMaturity("dimios", { items: ["nope"], rows: [[1]] }));
  assert.equal(err.name, "KompetensError");
});

test("scoreDma and dmaSettings: defaults filled in", () => {
  const s = k.dmaSettings();
  assert.equal(typeof s, "object");
  assert.deepEqual(k.dmaSettings(s), s);
  assert.deepEqual(k.maturitySettings(k.maturitySettings()), k.maturitySettings());
  const err = thrown(() => k.scoreDma([{ question: "no-such-question" }]));
  assert.equal(err.name, "KompetensError");
});
