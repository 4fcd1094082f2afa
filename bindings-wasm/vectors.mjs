#!/usr/bin/env node
// Runner for the shared test vectors (tests/vectors/README.md, format
// `kompetens-vectors/1`) through the JavaScript API of the `kompetens` package.
//
//   node bindings-wasm/vectors.mjs FILE...
//
// prints PASS/FAIL/SKIP per case and a final line `N passed, M failed` (with
// `, K skipped` when some were skipped); exits 1 when a case fails (2 on a
// usage error). Each operation is performed through the exported idiomatic
// functions (gapReport, scoreSurvey, cronbachAlpha, scoreMaturity, …) with
// the vector's snake_case input converted by `toCamel`; inputs those
// functions cannot express (keys an operation without options does not know,
// inputs that are not objects, unknown operations) go through
// `call(op, input)`.
//
// The JS package is built without the TOML reader: a case that reads TOML
// text (`"format": "toml"`) and expects a result must fail with the error
// `unsupported_format` at `format`, and is then reported as skipped.

import { readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as k from "kompetens";

const {
  assessmentsFromCsv,
  builtinFramework,
  calibration,
  call,
  gapReport,
  loadFramework,
  parsePolicy,
  reconcile,
  resolveProfile,
  toCamel,
} = k;

export const FORMAT = "kompetens-vectors/1";
export const DEFAULT_TOLERANCE = 1e-9;

const has = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);

/** The keys of `input` other than `keys`, as an options object (or undefined). */
function rest(input, keys) {
  const out = {};
  let any = false;
  for (const [k, v] of Object.entries(input)) {
    if (!keys.includes(k)) {
      out[k] = v;
      any = true;
    }
  }
  return any ? out : undefined;
}

/**
 * How each operation maps to the idiomatic functions. `keys` are taken as
 * positional arguments; with `options: true` every other key is passed in
 * the options object (the core rejects the ones it does not know), else any
 * other key sends the input through `call`.
 */
const OPERATIONS = {
  "framework.builtin": {
    keys: ["name"],
    run: (i) => builtinFramework(i.name),
  },
  "framework.load": {
    keys: ["text", "framework"],
    options: true,
    applies: (i) => (has(i, "text") ? typeof i.text === "string" && !has(i, "framework") : true),
    run: (i, o) => {
      if (has(i, "text")) return loadFramework(i.text, o);
      const fw = typeof i.framework === "string" ? builtinFramework(i.framework) : i.framework;
      return loadFramework(fw, o);
    },
  },
  "profiles.resolve": {
    keys: ["framework", "profiles", "role"],
    run: (i) => resolveProfile(i.framework, i.profiles, i.role),
  },
  "policy.parse": {
    keys: ["policy"],
    run: (i) => parsePolicy(i.policy),
  },
  reconcile: {
    keys: ["framework", "ratings"],
    options: true,
    run: (i, o) => reconcile(i.framework, i.ratings, o),
  },
  gap_report: {
    keys: (i) =>
      has(i, "profiles") ? ["framework", "profiles", "role", "ratings"] : ["framework", "profile", "ratings"],
    options: true,
    applies: (i) => !(has(i, "profiles") && has(i, "profile")),
    run: (i, o) => {
      const profile = has(i, "profiles") ? resolveProfile(i.framework, i.profiles, i.role) : i.profile;
      return gapReport(i.framework, profile, i.ratings, o);
    },
  },
  calibration: {
    keys: ["framework", "assessments"],
    run: (i) => calibration(i.framework, i.assessments),
  },
  "assessments.from_csv": {
    keys: ["framework", "text"],
    options: true,
    run: (i, o) => assessmentsFromCsv(i.framework, i.text, o),
  },
  "survey.instrument": {
    keys: ["text", "instrument"],
    options: true,
    applies: (i) => (has(i, "text") ? typeof i.text === "string" && !has(i, "instrument") : true),
    run: (i, o) => k.loadInstrument(has(i, "text") ? i.text : i.instrument, o),
  },
  "survey.score": {
    keys: (i) => (has(i, "answers") ? ["instrument", "answers"] : ["instrument", "responses"]),
    options: true,
    applies: (i) => !(has(i, "answers") && has(i, "responses")),
    run: (i, o) =>
      has(i, "answers") ? k.scoreAnswers(i.instrument, i.answers, o) : k.scoreSurvey(i.instrument, i.responses, o),
  },
  "survey.assessments": {
    keys: ["instrument", "responses"],
    options: true,
    run: (i, o) => k.surveyAssessments(i.instrument, i.responses, o),
  },
  "survey.levels": {
    keys: ["scores"],
    options: true,
    run: (i, o) => k.surveyLevels(i.scores, o),
  },
  "stats.cronbach_alpha": {
    keys: ["data"],
    options: true,
    run: (i, o) => k.cronbachAlpha(i.data, o),
  },
  "stats.interpolated_median": {
    keys: ["values"],
    options: true,
    run: (i, o) => k.interpolatedMedian(i.values, o),
  },
  "stats.top_box": {
    keys: ["values", "scale"],
    run: (i) => k.topBox(i.values, i.scale),
  },
  "stats.distribution": {
    keys: ["values", "scale"],
    run: (i) => k.distribution(i.values, i.scale),
  },
  "stats.wilcoxon": {
    keys: (i) => (has(i, "differences") ? ["differences"] : ["before", "after"]),
    options: true,
    run: (i, o) =>
      has(i, "differences") ? k.wilcoxonDifferences(i.differences, o) : k.wilcoxon(i.before, i.after, o),
  },
  "stats.paired_t": {
    keys: ["before", "after"],
    options: true,
    run: (i, o) => k.pairedT(i.before, i.after, o),
  },
  "stats.paired": {
    keys: ["before", "after"],
    options: true,
    run: (i, o) => k.paired(i.before, i.after, o),
  },
  "dsi.thresholds": {
    keys: [],
    run: () => k.dsiThresholds(),
  },
  "dsi.classify": {
    keys: ["counts"],
    options: true,
    run: (i, o) => k.dsiClassify(i.counts, o),
  },
  "dsi.summarise": {
    keys: (i) => (has(i, "categories") ? ["categories"] : ["countsTable"]),
    options: true,
    applies: (i) => !(has(i, "categories") && has(i, "countsTable")),
    run: (i, o) => k.dsiSummarise(has(i, "categories") ? i.categories : i.countsTable, o),
  },
  "maturity.builtin": {
    keys: ["name"],
    run: (i) => k.maturityBuiltin(i.name),
  },
  "maturity.load": {
    keys: ["text", "model"],
    options: true,
    applies: (i) => (has(i, "text") ? typeof i.text === "string" && !has(i, "model") : true),
    run: (i, o) => {
      if (has(i, "text")) return k.loadMaturityModel(i.text, o);
      const model = typeof i.model === "string" ? k.maturityBuiltin(i.model) : i.model;
      return k.loadMaturityModel(model, o);
    },
  },
  "maturity.settings": {
    keys: ["settings"],
    run: (i) => k.maturitySettings(i.settings),
  },
  "maturity.example_instrument": {
    keys: ["model"],
    run: (i) => k.maturityExampleInstrument(i.model),
  },
  "maturity.instrument": {
    keys: ["model"],
    run: (i) => k.maturityInstrument(i.model),
  },
  "maturity.with_instrument": {
    keys: ["model", "instrument"],
    run: (i) => k.maturityWithInstrument(i.model, i.instrument),
  },
  "maturity.score": {
    keys: ["model", "responses"],
    options: true,
    run: (i, o) => k.scoreMaturity(i.model, i.responses, o),
  },
  "maturity.classify": {
    keys: (i) => (has(i, "result") ? ["model", "result"] : ["model", "dimensions"]),
    options: true,
    applies: (i) => !(has(i, "result") && has(i, "dimensions")),
    run: (i, o) => k.classifyMaturity(i.model, has(i, "result") ? i.result : i.dimensions, o),
  },
  "maturity.overall_from_dimensions": {
    keys: ["model", "dimensions"],
    options: true,
    run: (i, o) => k.overallFromDimensions(i.model, i.dimensions, o),
  },
  "maturity.compare": {
    keys: ["current", "previous"],
    run: (i) => k.compareMaturity(i.current, i.previous),
  },
  "maturity.benchmark": {
    keys: ["result", "type", "peers"],
    options: true,
    run: (i, o) => k.benchmarkMaturity(i.result, i.type, i.peers, o),
  },
  "dma.settings": {
    keys: ["settings"],
    run: (i) => k.dmaSettings(i.settings),
  },
  "dma.score": {
    keys: ["answers"],
    options: true,
    run: (i, o) => k.scoreDma(i.answers, o),
  },
  "chart.radar": chartOp((d, o) => k.radarChart(d, o), ["spec", "gapReport"]),
  "chart.heatmap": chartOp((d, o) => k.heatmapChart(d, o), ["spec", "publication"]),
  "chart.dimios_quadrant": chartOp((d, o) => k.dimiosQuadrantChart(d, o), ["spec", "result"]),
  "chart.dimios_spider": chartOp((d, o) => k.dimiosSpiderChart(d, o), ["spec", "result", "benchmark"]),
  "chart.change": chartOp((d, o) => k.changeChart(d, o), ["spec", "comparison", "waves"]),
};

/**
 * A chart operation: the spec or the domain result (the first of `forms`
 * present) is the first argument; the chart options (`options`) and every
 * other key of the input (the converter's arguments) go in the options.
 */
function chartOp(draw, forms) {
  const form = (i) => forms.find((f) => has(i, f)) ?? forms[0];
  return {
    keys: (i) => [form(i), "options"],
    options: true,
    applies: (i) => forms.filter((f) => has(i, f)).length === 1,
    run: (i, o) => draw(i[form(i)], { ...(i.options ?? {}), ...(o ?? {}) }),
  };
}

/**
 * How an operation with this snake_case input is performed: the idiomatic
 * function (`{named: true, run}`) or `call(op, input)` (`{named: false}`).
 */
export function route(op, snakeInput) {
  const input = toCamel(snakeInput ?? null);
  const spec = has(OPERATIONS, op) ? OPERATIONS[op] : null;
  if (spec && input !== null && typeof input === "object" && !Array.isArray(input)) {
    const keys = typeof spec.keys === "function" ? spec.keys(input) : spec.keys;
    const others = rest(input, keys);
    const applies = spec.applies ? spec.applies(input) : true;
    if (applies && (spec.options || others === undefined)) {
      return { named: true, run: () => spec.run(input, others) };
    }
  }
  return { named: false, run: () => call(op, input) };
}

/** Perform one operation on a snake_case input; returns the camelCase result or throws. */
export function perform(op, snakeInput) {
  return route(op, snakeInput).run();
}

function describe(value) {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * Compare by the matching rules of tests/vectors/README.md. Returns null when
 * `actual` matches `expected`, else a description of the first difference.
 */
export function mismatch(expected, actual, tolerance = DEFAULT_TOLERANCE, path = "$") {
  if (expected === null || typeof expected !== "object") {
    if (typeof expected === "number") {
      if (typeof actual !== "number") return `${path}: expected ${expected}, got ${describe(actual)}`;
      const ok = Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected));
      return ok ? null : `${path}: expected ${expected}, got ${actual}`;
    }
    return expected === actual ? null : `${path}: expected ${describe(expected)}, got ${describe(actual)}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected an array, got ${describe(actual)}`;
    if (actual.length !== expected.length) {
      return `${path}: expected ${expected.length} elements, got ${actual.length}: ${describe(actual)}`;
    }
    for (let i = 0; i < expected.length; i++) {
      const m = mismatch(expected[i], actual[i], tolerance, `${path}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (actual === null || typeof actual !== "object" || Array.isArray(actual)) {
    return `${path}: expected an object, got ${describe(actual)}`;
  }
  for (const [k, v] of Object.entries(expected)) {
    if (!has(actual, k)) return `${path}.${k}: missing in the result`;
    const m = mismatch(v, actual[k], tolerance, `${path}.${k}`);
    if (m) return m;
  }
  return null;
}

/** A case that reads TOML text. */
function readsToml(c) {
  return c?.input !== null && typeof c?.input === "object" && c.input.format === "toml";
}

/** Run one case; returns `{name, ok, message}` (and `skipped: true` for a TOML case). */
export function runCase(c) {
  const name = c?.name ?? "(unnamed)";
  const bad = (message) => ({ name, ok: false, message });
  if (c === null || typeof c !== "object") return bad("a case must be an object");
  if (typeof c.op !== "string") return bad("the case has no op");
  if (has(c, "expected") === has(c, "error")) return bad("a case needs exactly one of expected and error");
  const tolerance = typeof c.tolerance === "number" ? c.tolerance : DEFAULT_TOLERANCE;
  let result;
  try {
    result = perform(c.op, c.input);
  } catch (err) {
    if (!has(c, "error") && readsToml(c) && err?.code === "unsupported_format" && err?.location === "format") {
      return { name, ok: true, skipped: true, message: "TOML input: the JS package has no TOML reader (unsupported_format)" };
    }
    if (!has(c, "error")) {
      return bad(`unexpected error ${err?.code ?? err?.name}: ${err?.message ?? err}`);
    }
    if (typeof err?.code !== "string") return bad(`not a kompetens error: ${err}`);
    if (err.code !== c.error.code) return bad(`expected error ${c.error.code}, got ${err.code}: ${err.message}`);
    if (has(c.error, "location") && err.location !== c.error.location) {
      return bad(`expected location ${describe(c.error.location)}, got ${describe(err.location)} (${err.message})`);
    }
    return { name, ok: true, message: "" };
  }
  if (has(c, "error")) return bad(`expected error ${c.error.code}, got a result: ${describe(result)}`);
  const m = mismatch(toCamel(c.expected), result, tolerance);
  return m ? bad(m) : { name, ok: true, message: "" };
}

/** Read and check a vector file; returns `{description, cases}` or throws. */
export function readVectorFile(file) {
  const doc = JSON.parse(readFileSync(file, "utf8"));
  if (doc?.format !== FORMAT) throw new Error(`${file}: format must be ${JSON.stringify(FORMAT)}`);
  if (!Array.isArray(doc.cases)) throw new Error(`${file}: "cases" must be a list`);
  const seen = new Set();
  for (const c of doc.cases) {
    if (seen.has(c?.name)) throw new Error(`${file}: case name ${JSON.stringify(c?.name)} is not unique`);
    seen.add(c?.name);
  }
  return doc;
}

/** Run every case of a vector file; returns a list of `{name, ok, message}`. */
export function runFile(file) {
  let doc;
  try {
    doc = readVectorFile(file);
  } catch (err) {
    return [{ name: "(file)", ok: false, message: err.message }];
  }
  return doc.cases.map(runCase);
}

/** Command line: run the files, print the results, return the exit code. */
export function main(files, out = console.log) {
  if (files.length === 0) {
    out("usage: node vectors.mjs FILE...");
    return 2;
  }
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const file of files) {
    for (const r of runFile(file)) {
      if (r.skipped) {
        skipped++;
        out(`SKIP ${basename(file)}: ${r.name}: ${r.message}`);
      } else if (r.ok) {
        passed++;
        out(`PASS ${basename(file)}: ${r.name}`);
      } else {
        failed++;
        out(`FAIL ${basename(file)}: ${r.name}: ${r.message}`);
      }
    }
  }
  out(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
