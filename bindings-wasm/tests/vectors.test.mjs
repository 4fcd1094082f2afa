// Every shared vector file (tests/vectors/*.json) through the JS API.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { readVectorFile, route, runCase } from "kompetens/vectors";

const dir = fileURLToPath(new URL("../../tests/vectors/", import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();

test("there are shared vector files", () => {
  assert.ok(files.length > 0, `no *.json in ${dir}`);
});

for (const file of files) {
  const doc = readVectorFile(join(dir, file));
  describe(file, () => {
    for (const c of doc.cases) {
      test(c.name, (t) => {
        const r = runCase(c);
        assert.ok(r.ok, r.message);
        if (r.skipped) t.skip(r.message);
      });
    }
  });
}

// Survey, statistics, DSI and maturity vectors all run through the named
// functions (scoreSurvey, cronbachAlpha, dsiClassify, scoreMaturity, …),
// never through the generic call(); so does every other well-formed input.
test("no survey/stats/dsi/maturity/dma vector falls back to call()", () => {
  const families = ["survey.", "stats.", "dsi.", "maturity.", "dma."];
  const fallbacks = [];
  let checked = 0;
  for (const file of files) {
    for (const c of readVectorFile(join(dir, file)).cases) {
      if (!families.some((f) => c.op.startsWith(f))) continue;
      checked++;
      if (!route(c.op, c.input).named) fallbacks.push(`${file}: ${c.name} (${c.op})`);
    }
  }
  assert.ok(checked > 100, `only ${checked} such vectors`);
  assert.deepEqual(fallbacks, []);
});
