// The README's JavaScript quickstart (every ```js block of /README.md), run
// as an ES module that imports "kompetens".
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";

const jsBlocks = (url) => [...readFileSync(url, "utf8").matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
// the project README first (its quickstart is the contract), then the package's own
const blocks = [...jsBlocks(new URL("../../README.md", import.meta.url)), ...jsBlocks(new URL("../README.md", import.meta.url))];
// the block must live inside the package so that `import "kompetens"` resolves
const tmp = fileURLToPath(new URL("./.tmp/", import.meta.url));

test("README has a JavaScript quickstart", () => {
  assert.ok(blocks.length >= 1);
  assert.match(blocks[0], /from "kompetens"/);
});

blocks.forEach((code, i) => {
  test(`README js block ${i + 1} runs`, async () => {
    mkdirSync(tmp, { recursive: true });
    const file = join(tmp, `readme-${i + 1}-${process.pid}.mjs`);
    writeFileSync(file, code);
    const logged = [];
    const log = console.log;
    console.log = (...args) => logged.push(args.join(" "));
    try {
      await import(pathToFileURL(file).href);
    } finally {
      console.log = log;
    }
    if (code.includes("console.log(report.gaps[0].weightedGap); // 3")) {
      // hand-worked in the README: manager's 3 against required 4 is gap 1, × weight 3 (critical)
      assert.ok(logged.includes("3"), `logged ${JSON.stringify(logged)}`);
    }
  });
});
