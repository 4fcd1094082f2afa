#!/usr/bin/env node
// TypeScript declarations (camelCase keys) generated from the JSON Schemas
// of the core's Rust types (core/schemas/*.json) into src/schema-types.d.ts,
// which lib.rs includes in the package's declarations.
//
//   node bindings-wasm/tools/schema-types.mjs          # rewrite src/schema-types.d.ts
//   node bindings-wasm/tools/schema-types.mjs --check  # exit 1 when it is stale
//
// Definitions of the maturity and DMA schemas whose names clash with a
// survey definition of another shape get a `Maturity`/`Dma` prefix.

import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const schemaDir = new URL("../../core/schemas/", import.meta.url);
export const OUTPUT = fileURLToPath(new URL("../src/schema-types.d.ts", import.meta.url));

/** Hand-written in src/types.d.ts: references resolve to these. */
const HAND = new Set(["Text", "Source", "NamedWeight", "Rating", "Assessment", "Weight", "Requirement", "RoleProfile"]);
/** Hand-written names that a generated definition must not take. */
const TAKEN = new Set([...HAND, "Level", "LevelGroup", "ProficiencyScale", "Competence", "Area", "Translation", "Framework",
  "EffectiveRequirement", "EffectiveProfile", "Gap", "GapReport", "ReconciledLevel", "CompetenceCalibration",
  "CalibrationReport", "Policy", "PolicyObject", "Ratings"]);
/** [schema file stem, name of the root type (none for lists), prefix for clashing definitions] */
const ROOTS = [
  ["survey-instrument", "Instrument", ""],
  ["survey-responses", "ResponseTable", ""],
  ["survey-scoring-options", "ScoringOptions", ""],
  ["survey-level-strategy", "StrategySpec", ""],
  ["survey-score-report", "ScoreReport", ""],
  ["reliability", "Reliability", ""],
  ["dsi-thresholds", "DsiThresholds", ""],
  ["maturity-model", "MaturityModel", "Maturity"],
  ["maturity-instrument", "MaturityInstrument", "Maturity"],
  ["maturity-settings", "MaturitySettings", "Maturity"],
  ["maturity-responses", "MaturityResponses", "Maturity"],
  ["maturity-tree", null, "Maturity"],
  ["maturity-result", "MeasurementResult", "Maturity"],
  ["maturity-result-summary", "ResultSummary", "Maturity"],
  ["maturity-overall-from-dimensions", "OverallFromDimensions", "Maturity"],
  ["maturity-comparison", "Comparison", "Maturity"],
  ["maturity-peers", null, "Maturity"],
  ["maturity-benchmark", "Benchmark", "Maturity"],
  ["dma-answers", null, "Dma"],
  ["dma-settings", "DmaSettings", "Dma"],
  ["dma-result", "DmaResult", "Dma"],
  ["chart-options", "ChartOptions", "Chart"],
  ["chart-radar", "RadarSpec", "Chart"],
  ["chart-heatmap", "HeatmapSpec", "Chart"],
  ["chart-quadrant", "QuadrantSpec", "Chart"],
  ["chart-spider", "SpiderSpec", "Chart"],
  ["chart-change", "ChangeSpec", "Chart"],
  ["org-tree", "TreeSpec", "Aggregate"],
  ["aggregate-options", "PublishOptions", "Aggregate"],
  ["aggregate-publication", "Publication", "Aggregate"],
  ["aggregate-audit", "AuditReport", "Aggregate"],
  ["aggregate-waves", "WavePublication", "Aggregate"],
  ["training-demand", null, "Aggregate"],
];
const RENAME = { Answer: "DmaAnswer" };

const camel = (k) => k.replace(/(?<=.)_(.)/g, (_, c) => c.toUpperCase());

/** JSON with sorted keys, to compare definitions. */
function canon(x) {
  if (Array.isArray(x)) return `[${x.map(canon).join(",")}]`;
  if (x && typeof x === "object") {
    return `{${Object.keys(x).sort().map((k) => `${JSON.stringify(k)}:${canon(x[k])}`).join(",")}}`;
  }
  return JSON.stringify(x);
}

function doc(schema, ind) {
  const d = schema && typeof schema === "object" ? schema.description : undefined;
  if (!d) return "";
  const lines = d.replaceAll("*/", "* /").trim().split("\n");
  if (lines.length === 1) return `${ind}/** ${lines[0]} */\n`;
  return `${ind}/**\n${lines.map((l) => `${ind} * ${l}`.trimEnd() + "\n").join("")}${ind} */\n`;
}

function ts(s, names, ind) {
  if (s === true || (s && Object.keys(s).length === 0)) return "unknown";
  if (s.$ref) {
    const n = s.$ref === "#" ? "#" : s.$ref.split("/").at(-1);
    return names[n] ?? n;
  }
  if ("const" in s) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  for (const key of ["oneOf", "anyOf"]) {
    if (s[key]) {
      const parts = [...new Set(s[key].map((x) => ts(x, names, ind)))];
      return parts.map((p) => (p.includes("\n") && parts.length > 1 ? `(${p})` : p)).join(" | ");
    }
  }
  if (s.allOf && s.allOf.length === 1) return ts(s.allOf[0], names, ind);
  const t = s.type;
  if (Array.isArray(t)) {
    const nonNull = t.filter((x) => x !== "null");
    const base = ts({ ...s, type: nonNull.length === 1 ? nonNull[0] : nonNull }, names, ind);
    return t.includes("null") ? `${base} | null` : base;
  }
  if (t === "integer" || t === "number") return "number";
  if (t === "string" || t === "boolean" || t === "null") return t;
  if (t === "array") {
    if (s.prefixItems) return `[${s.prefixItems.map((x) => ts(x, names, ind)).join(", ")}]`;
    const it = ts(s.items ?? {}, names, ind);
    return it.includes(" ") && !it.startsWith("{") ? `(${it})[]` : `${it}[]`;
  }
  if (t === "object" || s.properties) {
    const props = s.properties ?? {};
    if (Object.keys(props).length === 0) {
      const ap = s.additionalProperties;
      return ap && typeof ap === "object" ? `Record<string, ${ts(ap, names, ind)}>` : "Record<string, unknown>";
    }
    const required = new Set(s.required ?? []);
    let body = "";
    for (const [k, v] of Object.entries(props)) {
      body += doc(v, `${ind}  `) + `${ind}  ${camel(k)}${required.has(k) ? "" : "?"}: ${ts(v, names, `${ind}  `)};\n`;
    }
    return `{\n${body}${ind}}`;
  }
  return "unknown";
}

/** The declarations, as text. */
export function generate() {
  const defs = new Map();
  const order = [];
  for (const [stem, rootName, prefix] of ROOTS) {
    const schema = JSON.parse(readFileSync(new URL(`${stem}.schema.json`, schemaDir), "utf8"));
    const local = schema.$defs ?? {};
    // `#` refers to the schema's root (e.g. a unit's own result)
    const names = rootName ? { "#": rootName } : {};
    for (const [n, d] of Object.entries(local)) {
      let tn = RENAME[n] ?? n;
      if (HAND.has(tn)) {
        names[n] = tn;
        continue;
      }
      if (TAKEN.has(tn) || (defs.has(tn) && canon(defs.get(tn)) !== canon(d))) {
        tn = tn.startsWith(prefix) ? tn : prefix + tn;
        if (defs.has(tn) && canon(defs.get(tn)) !== canon(d)) throw new Error(`${stem}: ${n} clashes as ${tn}`);
      }
      names[n] = tn;
    }
    for (const [n, d] of Object.entries(local)) {
      const tn = names[n];
      if (HAND.has(tn) || defs.has(tn)) continue;
      defs.set(tn, d);
      order.push([tn, d, names]);
    }
    if (rootName) {
      const { $defs, $schema, title, ...body } = schema;
      defs.set(rootName, body);
      order.push([rootName, body, names]);
    }
  }
  const out = order.map(([tn, d, names]) => {
    const t = ts(d, names, "");
    return doc(d, "") + (t.startsWith("{") ? `export interface ${tn} ${t}\n` : `export type ${tn} = ${t};\n`);
  });
  return `// Generated by tools/schema-types.mjs from core/schemas/*.json (the JSON
// Schemas of the Rust types), keys in camelCase. Do not edit.

${out.join("\n")}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = generate();
  if (process.argv.includes("--check")) {
    const current = readFileSync(OUTPUT, "utf8");
    if (current !== text) {
      console.error(`${OUTPUT} is stale: run node bindings-wasm/tools/schema-types.mjs`);
      process.exitCode = 1;
    }
  } else {
    writeFileSync(OUTPUT, text);
  }
}
