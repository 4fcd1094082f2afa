// The generated TypeScript declarations type-check a program written
// against the documented API (tests/types/check.ts), including
// @ts-expect-error lines that must be rejected, the browser/bundler entry
// declarations (tests/types/check-browser.ts), and the self-assessment
// example page's module (tests/types/tsconfig.page.json).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const tsc = fileURLToPath(new URL("../../node_modules/typescript/bin/tsc", import.meta.url));
const project = fileURLToPath(new URL("./types/tsconfig.json", import.meta.url));

test("TypeScript declarations", { skip: !existsSync(tsc) && "typescript not installed (npm ci)" }, () => {
  const r = spawnSync(process.execPath, [tsc, "-p", project], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test("browser and bundler declarations: exactly what web/index.js and web/full.js export", { skip: !existsSync(tsc) && "typescript not installed (npm ci)" }, () => {
  // tests/types/check-browser.ts with bundler resolution: "kompetens" →
  // web/index.d.ts (no default `init`, no `initSync` value: the entry is
  // initialised on import; the form build has no heatmap), "kompetens/full"
  // → web/full.d.ts, "kompetens/web" → the explicit loader
  const browser = fileURLToPath(new URL("./types/tsconfig.browser.json", import.meta.url));
  const r = spawnSync(process.execPath, [tsc, "-p", browser], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test("web/index.d.ts and web/full.d.ts name exactly what web/index.js and web/full.js export", async () => {
  const { readFileSync } = await import("node:fs");
  const names = (file) => {
    const text = readFileSync(new URL(`../web/${file}`, import.meta.url), "utf8");
    const block = text.match(/export \{([^}]*)\} from/);
    assert.ok(block, `no export list in web/${file}`);
    return block[1].split(",").map((n) => n.trim()).filter(Boolean).sort();
  };
  for (const entry of ["index", "full"]) {
    assert.deepEqual(names(`${entry}.d.ts`), names(`${entry}.js`), `web/${entry}.d.ts and web/${entry}.js differ`);
  }
});

test("the self-assessment page type-checks against the browser build's declarations", { skip: !existsSync(tsc) && "typescript not installed (npm ci)" }, () => {
  // examples/self-assessment/app.js, checked as JavaScript (checkJs, JSDoc
  // types) with bundler resolution: "kompetens" → web/index.d.ts
  const page = fileURLToPath(new URL("./types/tsconfig.page.json", import.meta.url));
  const r = spawnSync(process.execPath, [tsc, "-p", page], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test("src/schema-types.d.ts is generated from the current core/schemas/", async () => {
  const { generate, OUTPUT } = await import("../tools/schema-types.mjs");
  const { readFileSync } = await import("node:fs");
  assert.equal(readFileSync(OUTPUT, "utf8"), generate(), "stale: run node bindings-wasm/tools/schema-types.mjs");
});
