// Survey scoring, statistics and DSI through the named functions. Expected
// numbers are worked out by hand in the comments (definitions in the
// README and core docs), or, where named, computed independently with
// scipy 1.17 / pingouin 0.7 (never copied from our own output).
import { test } from "node:test";
import assert from "node:assert/strict";
// statistics and DSI are in the full build (`kompetens/full`; in Node
// `kompetens` is the full build as well)
import * as k from "kompetens/full";

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

// Three items on a 1..5 scale; b is reverse keyed.
const INSTRUMENT = {
  id: "mini-form",
  framework: "digcomp-2.2",
  scale: { min: 1, max: 5 },
  items: [
    { id: "a", target: "1.1", text: { en: "I can search the web", sv: "Jag kan söka på webben" } },
    { id: "b", target: "1.1", reverse: true },
    { id: "c", target: "1.2" },
  ],
};

test("loadInstrument: object and JSON text, validated, camelCase", () => {
  const inst = k.loadInstrument(INSTRUMENT);
  assert.equal(inst.id, "mini-form");
  assert.deepEqual(k.loadInstrument(JSON.stringify(INSTRUMENT)), inst);
  const err = thrown(() => k.loadInstrument({ ...INSTRUMENT, items: [...INSTRUMENT.items, { id: "a", target: "2.1" }] }));
  assert.equal(err.code, "duplicate_id");
  assert.equal(thrown(() => k.loadInstrument({ ...INSTRUMENT, colour: 1 })).location, "instrument.colour");
});

test("scoreAnswers: one respondent, hand-worked", () => {
  // rescale (x − 1) / 4: a = 5 → 1; b = 2 reversed → 1 + 5 − 2 = 4 → 0.75; c = 3 → 0.5
  // 1.1 = mean(1, 0.75) = 0.875 → 87.5 % → DigCompSAT advanced (≥ 81 %) = level 5
  // 1.2 = 0.5 → 50 % → intermediate (48–80 %) = level 3
  // area 1 pools its items: (1 + 0.75 + 0.5) / 3 = 0.75 → intermediate
  const report = k.scoreAnswers(INSTRUMENT, { a: 5, b: 2, c: 3 });
  assert.equal(report.instrument, "mini-form");
  assert.equal(report.framework, "digcomp-2.2");
  assert.equal(report.respondents.length, 1);
  const [r] = report.respondents;
  const s11 = r.scores.find((s) => s.id === "1.1");
  const s12 = r.scores.find((s) => s.id === "1.2");
  close(s11.score, 0.875);
  close(s11.percent, 87.5);
  assert.deepEqual([s11.level, s11.label, s11.answered, s11.reason], [5, "advanced", 1, null]);
  close(s12.score, 0.5);
  assert.deepEqual([s12.level, s12.label], [3, "intermediate"]);
  const area1 = r.areas.find((a) => a.id === "1");
  close(area1.score, 0.75);
  // a missing answer (null or left out): 1.1 has 1 of 2 items = 0.5, enough (≥ 0.5)
  const partial = k.scoreAnswers(INSTRUMENT, { a: 5, b: null }).respondents[0];
  assert.equal(partial.scores.find((s) => s.id === "1.1").score, 1);
  const none = partial.scores.find((s) => s.id === "1.2");
  assert.deepEqual([none.score, none.level, none.reason], [null, null, "no_answers"]);
  // options: floor8 strategy, ⌊8 × 0.875⌋ = 7
  const floor8 = k.scoreAnswers(INSTRUMENT, { a: 5, b: 2, c: 3 }, { strategy: "floor8" });
  assert.equal(floor8.respondents[0].scores.find((s) => s.id === "1.1").level, 7);
});

test("scoreAnswers: errors name the answer", () => {
  let err = thrown(() => k.scoreAnswers(INSTRUMENT, { a: 6 }));
  assert.equal(err.code, "value_out_of_scale");
  assert.equal(err.location, "answers.a");
  err = thrown(() => k.scoreAnswers(INSTRUMENT, { zz: 1 }));
  assert.equal(err.code, "unknown_reference");
  assert.equal(err.location, "answers.zz");
  err = thrown(() => k.scoreAnswers(INSTRUMENT, { a: "five" }));
  assert.equal(err.code, "parse_error");
  assert.match(err.location, /^answers/);
});

test("scoreSurvey: every answer outside its scale is listed in err.details", () => {
  // scale 1..5: p1 answers a = 0 and c = 9, p2 answers b = 6 (row-major order)
  const responses = { items: ["a", "b", "c"], rows: [[0, 2, 9], [1, 6, null]], ids: ["p1", "p2"] };
  const err = thrown(() => k.scoreSurvey(INSTRUMENT, responses));
  assert.ok(err instanceof Error);
  assert.equal(err.code, "value_out_of_scale");
  assert.equal(err.location, "responses.rows[0][0]");
  assert.deepEqual(
    err.details.answers.map((a) => [a.respondent, a.respondentId, a.item, a.value, a.min, a.max]),
    [
      [0, "p1", "a", 0, 1, 5],
      [0, "p1", "c", 9, 1, 5],
      [1, "p2", "b", 6, 1, 5],
    ],
  );
  // other errors have no details
  assert.equal(thrown(() => k.scoreAnswers(INSTRUMENT, { zz: 1 })).details, undefined);
});

test("scoreSurvey: a table of respondents; surveyAssessments feed gapReport", () => {
  const responses = { items: ["a", "b", "c"], rows: [[5, 2, 3], [1, 5, null]], ids: ["p1", "p2"] };
  const report = k.scoreSurvey(INSTRUMENT, responses);
  assert.deepEqual(report.respondents.map((r) => r.id), ["p1", "p2"]);
  // p2: a = 1 → 0, b = 5 reversed → 1 → 0; 1.1 = 0 → low (level 0)
  const p2 = report.respondents[1].scores.find((s) => s.id === "1.1");
  assert.deepEqual([p2.score, p2.level, p2.label], [0, 0, "low"]);
  assert.deepEqual(report, k.scoreSurvey(INSTRUMENT, responses, {}));
  const assessments = k.surveyAssessments(INSTRUMENT, responses, { source: "test" });
  assert.equal(assessments.length, 2);
  assert.equal(assessments[0].person, "p1");
  const r11 = assessments[0].ratings.find((r) => r.competence === "1.1");
  assert.deepEqual([r11.level, r11.source], [5, "test"]);
  const gap = k.gapReport("digcomp-2.2", { id: "x", requirements: [{ competence: "1.1", level: 4 }] }, assessments[0].ratings);
  assert.equal(gap.gaps[0].met, true);
});

test("Scorer: compiled once, the same reports and errors as scoreAnswers", () => {
  const scorer = new k.Scorer(INSTRUMENT);
  assert.equal(scorer.instrument, "mini-form");
  assert.deepEqual(scorer.itemIds, ["a", "b", "c"]);
  for (const answers of [{ a: 5, b: 2, c: 3 }, { a: 5, b: null }, {}, { c: 1 }]) {
    assert.deepEqual(scorer.score(answers), k.scoreAnswers(INSTRUMENT, answers));
  }
  const withOptions = new k.Scorer(INSTRUMENT, { strategy: "floor8", minAnswered: 1 });
  for (const answers of [{ a: 5, b: 2, c: 3 }, { a: 5 }]) {
    assert.deepEqual(withOptions.score(answers), k.scoreAnswers(INSTRUMENT, answers, { strategy: "floor8", minAnswered: 1 }));
  }
  for (const bad of [{ a: 6 }, { zz: 1 }, { a: "five" }]) {
    const e1 = thrown(() => scorer.score(bad));
    const e2 = thrown(() => k.scoreAnswers(INSTRUMENT, bad));
    assert.deepEqual([e1.code, e1.location, e1.name], [e2.code, e2.location, e2.name]);
  }
  // the constructor checks what scoreAnswers checks
  let err = thrown(() => new k.Scorer({ ...INSTRUMENT, items: [{ id: "a", target: "9.9" }] }));
  assert.equal(err.code, "unknown_competence");
  err = thrown(() => new k.Scorer(INSTRUMENT, { minAnswered: 2 }));
  assert.equal(err.name, "KompetensError");
  err = thrown(() => new k.Scorer(INSTRUMENT, { bogus: 1 }));
  assert.equal(err.code, "parse_error");
  assert.equal(err.location, "bogus");
});

test("surveyLevels: DigCompSAT bands and floor8", () => {
  // DigCompSAT: < 30 % low (0), 30–47 % foundation (1), 48–80 % intermediate (3), ≥ 81 % advanced (5)
  const levels = k.surveyLevels([0.29, 0.3, 0.48, 0.81, null]);
  assert.deepEqual(levels.map((l) => l.level), [0, 1, 3, 5, null]);
  assert.deepEqual(levels.map((l) => l.label), ["low", "foundation", "intermediate", "advanced", null]);
  close(levels[0].percent, 29);
  // ⌊8 · s⌋ clamped to 1..8
  assert.deepEqual(k.surveyLevels([0, 0.5, 1], { strategy: "floor8" }).map((l) => l.level), [1, 4, 8]);
  assert.equal(thrown(() => k.surveyLevels([1.5])).location, "scores[0]");
});

test("cronbachAlpha: pingouin's value on a small table", () => {
  // pingouin.cronbach_alpha(pd.DataFrame(rows)) = (0.9140625, [0.566, 0.99]);
  // by the definition: item variances 1.3, 1.5, 2.3 (sum 5.1), total variance 18.2:
  // α = 3/2 · (1 − 5.1/18.2) = 0.9140625 (exactly, 5.1/18.2 = 51/182)
  const rows = [[1, 2, 3], [2, 3, 3], [3, 3, 4], [4, 5, 5], [2, 2, 1]];
  const rel = k.cronbachAlpha(rows);
  close(rel.alpha, 0.9140625, 1e-12);
  assert.equal(rel.n, 5);
  assert.equal(rel.k, 3);
  close(rel.ci[0], 0.566, 1e-3);
  close(rel.ci[1], 0.99, 1e-2);
  assert.equal(rel.items.length, 3);
  // names and reverse keying by name on a 1..5 scale; null is missing
  const named = k.cronbachAlpha(
    rows.map((r) => [r[0], r[1], 6 - r[2]]),
    { items: ["x", "y", "z"], reverse: ["z"], scale: { min: 1, max: 5 } },
  );
  close(named.alpha, 0.9140625, 1e-12);
  assert.deepEqual(named.items.map((i) => i.item), ["x", "y", "z"]);
  assert.equal(k.cronbachAlpha([[1, null, 3], ...rows]).n, 6);
  assert.equal(thrown(() => k.cronbachAlpha([[1], [2]])).code, "insufficient_data");
});

test("interpolatedMedian, topBox, distribution", () => {
  // 1, 2, 2, 3, 3, 3, 4: n/2 = 3.5 falls in class 3 (2.5..3.5), 3 below it, 3 in it:
  // 2.5 + (3.5 − 3) / 3 = 2.6666…
  const m = k.interpolatedMedian([1, 2, 2, 3, 3, 3, 4, null]);
  close(m.median, 2.5 + 0.5 / 3);
  assert.deepEqual([m.n, m.missing], [7, 1]);
  // 1, 2, 5, 5, 4 (+ 1 missing): top 2/5, top-2 3/5, bottom 1/5, bottom-2 2/5
  const tb = k.topBox([1, 2, 5, 5, 4, null], { min: 1, max: 5 });
  assert.deepEqual(tb, { n: 5, missing: 1, topBox: 0.4, topTwoBox: 0.6, bottomBox: 0.2, bottomTwoBox: 0.4 });
  const d = k.distribution([1, 2, 2, null], { min: 1, max: 3 });
  assert.deepEqual(d.counts.map((c) => c.count), [1, 2, 0]);
  assert.equal(thrown(() => k.topBox([1])).location, "scale");
});

test("wilcoxon: Darwin's corn, exact p as scipy", () => {
  // scipy.stats.wilcoxon(d): statistic 24, p 0.041259765625 (exact, no ties);
  // alternative="greater": statistic 96, p 0.0206298828125
  const d = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75];
  const w = k.wilcoxonDifferences(d);
  assert.equal(w.statistic, 24);
  close(w.pvalue, 0.041259765625);
  assert.equal(w.method, "exact");
  const g = k.wilcoxonDifferences(d, { alternative: "greater" });
  assert.equal(g.statistic, 96);
  close(g.pvalue, 0.0206298828125);
  // as two samples: after − before = d
  const before = d.map(() => 100);
  const after = d.map((x) => 100 + x);
  const two = k.wilcoxon(before, after);
  assert.equal(two.statistic, 24);
  close(two.pvalue, 0.041259765625);
  // r+ = 120 − 24 = 96, r− = 24: rank-biserial (96 − 24) / 120 = 0.6
  close(two.rankBiserial, 0.6);
  // typed arrays are accepted as arrays
  assert.deepEqual(k.wilcoxon(Float64Array.from(before), Float64Array.from(after)), two);
  const err = thrown(() => k.wilcoxon([1, 2]));
  assert.deepEqual([err.code, err.location], ["missing_value", "after"]);
});

test("pairedT and paired: scipy's ttest_rel", () => {
  // differences 1, 2, 2, 0: mean 1.25, sd √(2.75/3); t = 2.6111648393354674,
  // p = 0.0796049808179063, 95 % CI (−0.2734801808288123, 2.7734801808288125)
  // (scipy.stats.ttest_rel(after, before)); d_z = 1.25 / sd = 1.3055824196677337
  const before = [1, 2, 3, 4];
  const after = [2, 4, 5, 4];
  const t = k.pairedT(before, after);
  close(t.t, 2.6111648393354674, 1e-9);
  close(t.pvalue, 0.0796049808179063, 1e-9);
  close(t.ci[0], -0.2734801808288123, 1e-9);
  close(t.ci[1], 2.7734801808288125, 1e-9);
  close(t.dZ, 1.25 / Math.sqrt(2.75 / 3), 1e-12);
  assert.equal(t.df, 3);
  const p = k.paired(before, after);
  close(p.meanDifference, 1.25);
  assert.deepEqual(p.tTest, t);
  assert.equal(p.wilcoxon.zeros, 1); // the zero difference (4 − 4)
});

test("dsiClassify and dsiSummarise: Eurostat DSI 2.0", () => {
  // 1 information (basic), 2 communication (above), 0 content (none), 3 safety (above),
  // 1 problem solving (basic): 4 areas at basic or above → low
  const r = k.dsiClassify([1, 2, 0, 3, 1]);
  assert.equal(r.category, "low");
  assert.equal(r.areasAtLeastBasic, 4);
  assert.deepEqual(r.areas.map((a) => a.level), ["basic", "above_basic", "none", "above_basic", "basic"]);
  // all five above basic (2, 2, 3, 3, 3) → above_basic; object form by area
  const above = k.dsiClassify({ information: 2, communication: 2, content: 3, safety: 3, problem_solving: 3 });
  assert.deepEqual([above.category, above.atLeastBasic], ["above_basic", true]);
  assert.equal(k.dsiClassify(null).category, "not_assessed");
  // population: above_basic, low, not_assessed (unweighted): at least basic 1/3, of assessed 1/2
  const s = k.dsiSummarise([[2, 2, 3, 3, 3], [1, 2, 0, 3, 1], null]);
  close(s.atLeastBasic, 1 / 3);
  close(s.atLeastBasicOfAssessed, 1 / 2);
  // weighted, from categories: (3 + 1) / (3 + 1 + 4) = 0.5
  const w = k.dsiSummarise(["basic", "above_basic", "low"], { weights: [3, 1, 4] });
  close(w.atLeastBasic, 0.5);
  assert.equal(k.dsiThresholds().areas.length, 5);
  assert.equal(thrown(() => k.dsiClassify([1, 2])).code, "shape_mismatch");
});
