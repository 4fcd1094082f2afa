// The browser entry point (web/index.js: --target web build, initialised by
// top-level await) in headless Chromium: the README's JavaScript quickstart
// runs unchanged in a page, with an import map for "kompetens".
// Skipped when Chromium or playwright-core is not installed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const pkgRoot = fileURLToPath(new URL("../", import.meta.url));
const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const block = /^```js\n([\s\S]*?)^```$/m.exec(readme)?.[1] ?? "";
// the package README's form example (Scorer), and a maturity check through kompetens/full
const pkgReadme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const formBlock = [...pkgReadme.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]).find((b) => b.includes("new Scorer")) ?? "";
const fullBlock = `import { classifyMaturity, scoreAnswers } from "kompetens/full";
// förmåga 47 % (< 50, low) and arv 59 % (≥ 50, high): DiMiOS type C
console.log(classifyMaturity("dimios", [{ id: "formaga", percentage: 47 }, { id: "arv", percentage: 59 }]).id);
console.log(typeof scoreAnswers);`;

let chromium = null;
try {
  ({ chromium } = await import("playwright-core"));
} catch {
  chromium = null;
}
const skip = !existsSync(CHROMIUM) ? `no ${CHROMIUM}` : !chromium ? "playwright-core not installed" : false;

const TYPES = { ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };

function page(code) {
  return `<!doctype html><meta charset="utf-8">
<script type="importmap">{"imports": {"kompetens": "/web/index.js", "kompetens/full": "/web/full.js"}}</script>
<script type="module">
window.logged = [];
const log = console.log;
console.log = (...a) => { window.logged.push(a.join(" ")); log(...a); };
try {
  await import("/quickstart.mjs");
  window.outcome = "ok";
} catch (e) {
  window.outcome = "error: " + (e && e.stack || e);
}
</script>`;
}

async function runInChromium(code, expectedLog) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    if (url.pathname === "/") {
      res.writeHead(200, { "content-type": "text/html" }).end(page(code));
    } else if (url.pathname === "/quickstart.mjs") {
      res.writeHead(200, { "content-type": "text/javascript" }).end(code);
    } else {
      const file = normalize(join(pkgRoot, url.pathname));
      if (!file.startsWith(pkgRoot) || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(readFileSync(file));
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  let browser = null;
  try {
    // playwright gives the browser a fresh profile directory of its own
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    const tab = await browser.newPage();
    await tab.goto(`http://127.0.0.1:${server.address().port}/`);
    await tab.waitForFunction(() => window.outcome !== undefined, null, { timeout: 60_000 });
    assert.equal(await tab.evaluate(() => window.outcome), "ok");
    assert.deepEqual(await tab.evaluate(() => window.logged), expectedLog);
  } finally {
    await browser?.close();
    server.close();
  }
}

test("README quickstart runs in headless Chromium", { skip, timeout: 120_000 }, async () => {
  // gap 1 × weight 3, as the README's comment says
  await runInChromium(block, ["3"]);
});

test("the package README's form example (Scorer, form build) runs in headless Chromium", { skip, timeout: 120_000 }, async () => {
  assert.ok(formBlock);
  await runInChromium(formBlock, []);
});

test("kompetens/full (the full build) runs in headless Chromium", { skip, timeout: 120_000 }, async () => {
  await runInChromium(fullBlock, ["C", "function"]);
});
