// Every shared vector file (tests/vectors/*.json) through the JS API.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { readVectorFile, runCase } from "kompetens/vectors";

const dir = fileURLToPath(new URL("../../tests/vectors/", import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();

test("there are shared vector files", () => {
  assert.ok(files.length > 0, `no *.json in ${dir}`);
});

for (const file of files) {
  const doc = readVectorFile(join(dir, file));
  describe(file, () => {
    for (const c of doc.cases) {
      test(c.name, () => {
        const r = runCase(c);
        assert.ok(r.ok, r.message);
      });
    }
  });
}
