// The JS API itself: shapes, errors, unknown keys, options, case conversion.
// Expected numbers are worked out by hand in the comments, from the
// definitions in the README ("Concepts and definitions").
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import * as k from "kompetens";

const require = createRequire(import.meta.url);

// `kompetens` in browsers: the form build (no digital maturity)
const FORM_EXPORTS = [
  "Scorer",
  "assessmentsFromCsv",
  "builtinFramework",
  "calibration",
  "call",
  "cronbachAlpha",
  "distribution",
  "dsiClassify",
  "dsiSummarise",
  "dsiThresholds",
  "gapReport",
  "interpolatedMedian",
  "loadFramework",
  "loadInstrument",
  "paired",
  "pairedT",
  "parsePolicy",
  "radarChart",
  "reconcile",
  "resolveProfile",
  "scoreAnswers",
  "scoreSurvey",
  "surveyAssessments",
  "surveyLevels",
  "toCamel",
  "toSnake",
  "topBox",
  "version",
  "wilcoxon",
  "wilcoxonDifferences",
];
// `kompetens/full` in browsers, and `kompetens` in Node
const MATURITY_EXPORTS = [
  "benchmarkMaturity",
  "changeChart",
  "dimiosQuadrantChart",
  "dimiosSpiderChart",
  "heatmapChart",
  "classifyMaturity",
  "compareMaturity",
  "dmaSettings",
  "loadMaturityModel",
  "maturityBuiltin",
  "maturityExampleInstrument",
  "maturityInstrument",
  "maturitySettings",
  "maturityWithInstrument",
  "overallFromDimensions",
  "scoreDma",
  "scoreMaturity",
];
const EXPORTS = [...FORM_EXPORTS, ...MATURITY_EXPORTS].sort();

/** Run `fn`, expecting a thrown KompetensError; returns it. */
function thrown(fn) {
  try {
    fn();
  } catch (err) {
    return err;
  }
  assert.fail("expected an error");
}

const PROFILES = [
  { id: "all-staff", requirements: [{ competence: "4.2", level: 3, weight: "critical" }] },
  {
    id: "librarian",
    extends: "all-staff",
    requirements: [
      { competence: "1.1", level: 4, weight: "critical" },
      { competence: "3.3", level: 3, weight: "important" },
    ],
  },
];

test("exports the documented functions, the same from every entry point", async () => {
  assert.deepEqual(Object.keys(k).sort(), EXPORTS);
  assert.deepEqual(Object.keys(require("kompetens")).sort(), EXPORTS);
  assert.deepEqual(Object.keys(await import("kompetens/full")).sort(), EXPORTS);
  const declared = (dir) => readFileSync(new URL(`../${dir}/kompetens_wasm.d.ts`, import.meta.url), "utf8");
  const exported = (file) => readFileSync(new URL(`../web/${file}`, import.meta.url), "utf8");
  for (const [names, dts, web, absent] of [
    [EXPORTS, declared("pkg-node"), null, []],
    [FORM_EXPORTS, declared("pkg"), exported("index.js"), MATURITY_EXPORTS],
    [EXPORTS, declared("pkg-full"), exported("full.js"), []],
  ]) {
    for (const name of names) {
      assert.match(dts, new RegExp(`export (function|class) ${name}\\b`), name);
      if (web) assert.match(web, new RegExp(`\\b${name},`), name);
    }
    for (const name of absent) {
      assert.doesNotMatch(dts, new RegExp(`export function ${name}\\b`), name);
      assert.doesNotMatch(web, new RegExp(`\\b${name},`), name);
    }
  }
});

test("version is the crate version", () => {
  const cargo = readFileSync(new URL("../../Cargo.toml", import.meta.url), "utf8");
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  const v = /\[workspace\.package\][^[]*?\nversion = "([^"]+)"/.exec(cargo)[1];
  assert.equal(k.version(), v);
  assert.equal(pkg.version, v);
});

test("builtinFramework: DigComp 2.2 has 5 areas, 21 competences, levels 0..8, camelCase keys", () => {
  const fw = k.builtinFramework("digcomp-2.2");
  assert.equal(fw.id, "digcomp-2.2");
  assert.equal(fw.areas.length, 5);
  assert.equal(fw.areas.flatMap((a) => a.competences).length, 21);
  assert.deepEqual(
    fw.scale.levels.map((l) => l.level),
    [0, 1, 2, 3, 4, 5, 6, 7, 8].filter((l) => fw.scale.levels.some((x) => x.level === l)),
  );
  assert.equal(fw.scale.levels.at(-1).level, 8);
  const withDomain = fw.scale.levels.find((l) => l.cognitiveDomain);
  assert.ok(withDomain, "cognitive_domain shows as cognitiveDomain");
  assert.equal(typeof withDomain.cognitiveDomain.en, "string", "language keys are left alone");
  // plain objects and arrays, never Maps
  assert.equal(Object.getPrototypeOf(fw), Object.prototype);
  assert.equal(Object.getPrototypeOf(fw.name), Object.prototype);
  assert.ok(Array.isArray(fw.areas));
});

test("gapReport: README example, hand-worked", () => {
  const librarian = k.resolveProfile("digcomp-2.2", PROFILES, "librarian");
  assert.deepEqual(librarian.chain, ["all-staff", "librarian"]);
  const report = k.gapReport(
    "digcomp-2.2",
    librarian,
    [
      { competence: "1.1", level: 2, source: "self" },
      { competence: "1.1", level: 3, source: "manager" },
      { competence: "4.2", level: 4, source: "self" },
    ],
    { policy: "prefer:manager,test,self" },
  );
  // 1.1: manager 3 vs 4 -> gap 1, weight 3 -> 3, unmet; 4.2: 4 vs 3 met (weight 3);
  // 3.3 missing. readiness = 3 / (3 + 3) = 0.5
  assert.equal(report.readiness, 0.5);
  assert.deepEqual(report.plan, ["1.1"]);
  assert.deepEqual(report.missing, ["3.3"]);
  const g11 = report.gaps.find((g) => g.competence === "1.1");
  assert.deepEqual(
    { current: g11.current, gap: g11.gap, weightedGap: g11.weightedGap, met: g11.met, source: g11.source },
    { current: 3, gap: 1, weightedGap: 3, met: false, source: "manager" },
  );
  const g33 = report.gaps.find((g) => g.competence === "3.3");
  assert.equal(g33.current, null);
  assert.equal(g33.weightedGap, null);
  assert.equal(report.totalWeightedGap, 3);
});

test("gapReport: the policy may be an object; a standalone profile works without resolveProfile", () => {
  const report = k.gapReport(
    "digcomp-2.2",
    { id: "it", requirements: [{ competence: "5.1", level: 5, weight: 2 }] },
    [
      { competence: "5.1", level: 6, source: "self" },
      { competence: "5.1", level: 4, source: "manager" },
    ],
    { policy: { kind: "min" } },
  );
  // min(6, 4) = 4 -> gap 1 × weight 2 = 2; readiness 0 / 2 = 0
  assert.equal(report.gaps[0].weightedGap, 2);
  assert.equal(report.readiness, 0);
});

test("errors are Error objects with code, category and location", () => {
  const err = thrown(() => k.gapReport("digcomp-2.2", PROFILES[0], { "9.9": 3 }));
  assert.ok(err instanceof Error);
  assert.equal(err.name, "KompetensError");
  assert.equal(err.code, "unknown_competence");
  assert.equal(err.category, "reference");
  assert.equal(err.location, "ratings.9.9");
  assert.match(err.message, /9\.9/);
  assert.ok(err.stack);
});

test("several ratings without a policy: ambiguous_ratings, never an average", () => {
  const err = thrown(() =>
    k.gapReport("digcomp-2.2", PROFILES[0], [
      { competence: "4.2", level: 2, source: "self" },
      { competence: "4.2", level: 4, source: "manager" },
    ]),
  );
  assert.equal(err.code, "ambiguous_ratings");
  assert.equal(err.category, "validation");
});

test("unknown keys are rejected like the core does", () => {
  let err = thrown(() => k.gapReport("digcomp-2.2", { id: "x", requirements: [], bogus: 1 }, {}));
  assert.ok(err instanceof Error);
  assert.equal(err.code, "parse_error");
  assert.equal(err.location, "profile.bogus");
  // nested, in camelCase: weightedGap is not a requirement field
  err = thrown(() =>
    k.resolveProfile("digcomp-2.2", [{ id: "a", requirements: [{ competence: "1.1", level: 1, weightedGap: 2 }] }], "a"),
  );
  assert.equal(err.code, "parse_error");
  // the key is reported in the core's snake_case; (the core does not yet
  // prefix parse errors inside `profiles` with "profiles")
  assert.match(err.location, /^(profiles)?\[0\]\.requirements\[0\]\.weighted_gap$/);
  // in a rating
  err = thrown(() => k.reconcile("digcomp-2.2", [{ competence: "1.1", level: 1, source: "self", note: "x" }]));
  assert.equal(err.code, "parse_error");
  // in a framework object
  const fw = k.builtinFramework("digcomp-2.2");
  err = thrown(() => k.loadFramework({ ...fw, colour: "red" }));
  assert.equal(err.code, "parse_error");
  assert.equal(err.location, "colour");
  // in the options
  err = thrown(() => k.gapReport("digcomp-2.2", PROFILES[0], {}, { polcy: "max" }));
  assert.equal(err.code, "parse_error");
  assert.equal(err.location, "polcy");
  // an option may not replace a positional argument
  err = thrown(() => k.gapReport("digcomp-2.2", PROFILES[0], {}, { ratings: {} }));
  assert.equal(err.code, "parse_error");
  assert.equal(err.location, "options.ratings");
  // through call()
  err = thrown(() => k.call("policy.parse", { policy: "max", extra: true }));
  assert.equal(err.code, "parse_error");
  assert.equal(err.location, "extra");
});

test("missing and mistyped arguments are kompetens errors, not wasm-bindgen TypeErrors", () => {
  let err = thrown(() => k.builtinFramework());
  assert.equal(err.code, "missing_value");
  assert.equal(err.location, "name");
  err = thrown(() => k.builtinFramework(42));
  assert.equal(err.code, "parse_error");
  assert.equal(err.location, "name");
  err = thrown(() => k.resolveProfile("digcomp-2.2", PROFILES));
  assert.equal(err.code, "missing_value");
  assert.equal(err.location, "role");
  err = thrown(() => k.gapReport("digcomp-2.2", PROFILES[0], {}, "max"));
  assert.equal(err.code, "parse_error");
  assert.equal(err.location, "options");
  err = thrown(() => k.call(7, {}));
  assert.equal(err.code, "parse_error");
  assert.equal(err.location, "op");
  err = thrown(() => k.call("no.such.op", {}));
  assert.equal(err.code, "unknown_operation");
  err = thrown(() => k.builtinFramework("digcomp-9"));
  assert.equal(err.code, "unknown_builtin");
});

test("undefined and null options mean no options", () => {
  const p = { id: "x", requirements: [{ competence: "1.1", level: 2 }] };
  for (const options of [undefined, null, {}, { policy: undefined }, { policy: null }]) {
    assert.equal(k.gapReport("digcomp-2.2", p, { "1.1": 2 }, options).readiness, 1);
  }
});

test("loadFramework: object and JSON text give the same framework; TOML is not in the JS package", () => {
  const fw = {
    id: "mini",
    version: "1",
    name: { en: "Mini" },
    scale: { levels: [{ level: 0, name: { en: "none" } }, { level: 1, name: { en: "some" } }] },
    areas: [{ id: "a", name: { en: "A" }, competences: [{ id: "a.1", name: { en: "A one" } }] }],
  };
  assert.deepEqual(k.loadFramework(fw), fw);
  assert.deepEqual(k.loadFramework(JSON.stringify(fw)), fw);
  assert.deepEqual(k.loadFramework(JSON.stringify(fw), { format: "json" }), fw);
  // built without the core's `toml` feature: a typed error, not a parse error
  let err = thrown(() => k.loadFramework('id = "mini"', { format: "toml" }));
  assert.equal(err.code, "unsupported_format");
  assert.equal(err.category, "parse");
  assert.equal(err.location, "format");
  err = thrown(() => k.loadInstrument('id = "x"', { format: "toml" }));
  assert.equal(err.code, "unsupported_format");
  err = thrown(() => k.loadMaturityModel('id = "x"', { format: "toml" }));
  assert.equal(err.code, "unsupported_format");
  err = thrown(() => k.loadFramework("id = 1", { format: "yaml" }));
  assert.equal(err.code, "invalid_value");
  assert.equal(err.location, "format");
  // a JSON syntax error is located by line and column
  err = thrown(() => k.loadFramework('{"id": "mini",\n "version": }'));
  assert.equal(err.code, "parse_error");
  assert.equal(err.location, "line 2, column 13");
});

test("reconcile, parsePolicy", () => {
  const ratings = [
    { competence: "2.1", level: 2, source: "self" },
    { competence: "1.1", level: 5, source: "self" },
    { competence: "1.1", level: 3, source: "test" },
  ];
  // framework order (1.1 before 2.1); prefer test over self for 1.1
  assert.deepEqual(k.reconcile("digcomp-2.2", ratings, { policy: "prefer:test,self" }), [
    { competence: "1.1", level: 3, source: "test" },
    { competence: "2.1", level: 2, source: "self" },
  ]);
  assert.deepEqual(k.reconcile("digcomp-2.2", { "1.1": 4 }), [{ competence: "1.1", level: 4, source: null }]);
  assert.deepEqual(k.parsePolicy("prefer:manager,test,self"), { kind: "prefer", order: ["manager", "test", "self"] });
  assert.deepEqual(k.parsePolicy("only:manager"), { kind: "only", source: "manager" });
  assert.equal(thrown(() => k.parsePolicy("average")).code, "invalid_policy");
});

test("assessmentsFromCsv and calibration", () => {
  const csv = [
    "person,role,unit,competence,level,source,wave",
    "p1,librarian,lib,1.1,4,self,2025",
    "p1,librarian,lib,1.1,2,manager,2025",
    "p2,librarian,lib,1.1,3,self,2025",
    "p2,librarian,lib,1.1,3,manager,2025",
  ].join("\n");
  const assessments = k.assessmentsFromCsv("digcomp-2.2", csv, { form: "long" });
  assert.equal(assessments.length, 2);
  assert.equal(assessments[0].person, "p1");
  const report = k.calibration("digcomp-2.2", assessments);
  const c11 = report.competences.find((c) => c.competence === "1.1");
  // pairs: p1 (4, 2) -> +2, p2 (3, 3) -> 0; mean difference 1; self above in 1 of 2
  assert.equal(c11.pairs, 2);
  assert.equal(c11.meanDifference, 1);
  assert.equal(c11.shareSelfAbove, 0.5);
  assert.equal(c11.shareEqual, 0.5);
  assert.equal(c11.shareSelfBelow, 0);
  const err = thrown(() => k.assessmentsFromCsv("digcomp-2.2", csv.replace("1.1,4", "1.1,x"), { form: "long" }));
  assert.equal(err.code, "csv_error");
  assert.equal(err.location, 'line 2, column "level"');
  assert.equal(thrown(() => k.assessmentsFromCsv("digcomp-2.2", csv)).code, "missing_value");
});

test("toCamel / toSnake rename field keys only and round-trip", () => {
  const snake = { weighted_gap: 1, ratings: { info_lit: 3, "1.1": 2 }, name: { en_gb: "x" }, gaps: [{ total_weighted_gap: 2 }] };
  const camel = k.toCamel(snake);
  assert.deepEqual(camel, { weightedGap: 1, ratings: { info_lit: 3, "1.1": 2 }, name: { en_gb: "x" }, gaps: [{ totalWeightedGap: 2 }] });
  assert.deepEqual(k.toSnake(camel), snake);
  assert.equal(k.toCamel(null), null);
  assert.deepEqual(k.toCamel([1, "a"]), [1, "a"]);
});

test("call() runs any operation with camelCase input and output", () => {
  const report = k.call("gap_report", {
    framework: "digcomp-2.2",
    profiles: PROFILES,
    role: "librarian",
    ratings: { "1.1": 4, "3.3": 3, "4.2": 1 },
  });
  // 4.2: 1 vs 3 -> gap 2 × 3 = 6 unmet; 1.1 and 3.3 met (3 + 2); readiness 5 / 8
  assert.equal(report.readiness, 5 / 8);
  assert.equal(report.totalWeightedGap, 6);
  assert.deepEqual(report.plan, ["4.2"]);
});

test("the web build (--target web) gives the same results as the Node build", async () => {
  const web = await import("kompetens/web");
  web.initSync({ module: readFileSync(new URL("../pkg/kompetens_wasm_bg.wasm", import.meta.url)) });
  const input = [
    "digcomp-2.2",
    { id: "x", requirements: [{ competence: "1.1", level: 4, weight: "important" }] },
    { "1.1": 1 },
  ];
  assert.deepEqual(web.gapReport(...input), k.gapReport(...input));
  const err = thrown(() => web.builtinFramework("nope"));
  assert.ok(err instanceof Error);
  assert.equal(err.code, "unknown_builtin");
});

test("values cross as JSON: NaN is missing, typed arrays and Maps as arguments, BigInt refused", () => {
  // NaN → null (missing): 1, 5, 5 valid, 1 missing
  const tb = k.topBox([1, NaN, 5, 5], { min: 1, max: 5 });
  assert.deepEqual([tb.n, tb.missing], [3, 1]);
  assert.deepEqual(k.topBox(Float64Array.from([1, 5, 5]), { min: 1, max: 5 }), k.topBox([1, 5, 5], { min: 1, max: 5 }));
  const p = { id: "x", requirements: [{ competence: "1.1", level: 2 }] };
  assert.deepEqual(k.gapReport("digcomp-2.2", p, new Map([["1.1", 2]])), k.gapReport("digcomp-2.2", p, { "1.1": 2 }));
  let err = thrown(() => k.topBox([1n], { min: 1, max: 5 }));
  assert.deepEqual([err.name, err.code, err.location], ["KompetensError", "parse_error", "values"]);
  err = thrown(() => k.builtinFramework(() => "digcomp-2.2"));
  assert.deepEqual([err.code, err.location], ["parse_error", "name"]);
});
