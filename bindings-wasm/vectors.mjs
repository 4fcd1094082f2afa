#!/usr/bin/env node
// Runner for the shared test vectors (tests/vectors/README.md, format
// `kompetens-vectors/1`) through the JavaScript API of the `kompetens` package.
//
//   node bindings-wasm/vectors.mjs FILE...
//
// prints PASS/FAIL per case and a final line `N passed, M failed`; exits 1
// when a case fails (2 on a usage error). Each operation is performed through
// the exported idiomatic functions (gapReport, resolveProfile, …) with the
// vector's snake_case input converted by `toCamel`; inputs those functions
// cannot express (keys an operation without options does not know, inputs
// that are not objects, unknown operations) go through `call(op, input)`.

import { readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
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
} from "kompetens";

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
};

/** Perform one operation on a snake_case input; returns the camelCase result or throws. */
export function perform(op, snakeInput) {
  const input = toCamel(snakeInput ?? null);
  const spec = has(OPERATIONS, op) ? OPERATIONS[op] : null;
  if (spec && input !== null && typeof input === "object" && !Array.isArray(input)) {
    const keys = typeof spec.keys === "function" ? spec.keys(input) : spec.keys;
    const others = rest(input, keys);
    const applies = spec.applies ? spec.applies(input) : true;
    if (applies && (spec.options || others === undefined)) {
      return spec.run(input, others);
    }
  }
  return call(op, input);
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

/** Run one case; returns `{name, ok, message}`. */
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
  for (const file of files) {
    for (const r of runFile(file)) {
      if (r.ok) {
        passed++;
        out(`PASS ${basename(file)}: ${r.name}`);
      } else {
        failed++;
        out(`FAIL ${basename(file)}: ${r.name}: ${r.message}`);
      }
    }
  }
  out(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
