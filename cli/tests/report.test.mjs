// The HTML report of `kompetens report --demo` in headless Chromium: it is
// generated with the release CLI (built here if needed; KOMPETENS_BIN
// overrides the binary), opened from a file:// URL with every request
// recorded, and checked to render — a tall page, every section with its
// heading, every chart an SVG with a size, no console error, no request
// besides the page itself — and a full-page screenshot is kept as an
// artifact (target/artifacts/report.png, printed). Swedish and English.
// The browser part is skipped when Chromium or playwright-core is missing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const root = fileURLToPath(new URL("../../", import.meta.url));
const artifacts = join(root, "target", "artifacts");
const SECTIONS = ["overview", "heatmap", "needs", "demand", "maturity", "change", "method"];

let chromium = null;
try {
  ({ chromium } = await import("playwright-core"));
} catch {
  chromium = null;
}
const skip = !existsSync(CHROMIUM) ? `no ${CHROMIUM}` : !chromium ? "playwright-core not installed" : false;

function binary() {
  if (process.env.KOMPETENS_BIN) return process.env.KOMPETENS_BIN;
  execFileSync("cargo", ["build", "--quiet", "--release", "-p", "kompetens-cli"], { cwd: root, stdio: "inherit" });
  return join(root, "target", "release", "kompetens");
}

const reports = {};
function report(lang) {
  if (!reports[lang]) {
    mkdirSync(artifacts, { recursive: true });
    const out = join(artifacts, `report-${lang}.html`);
    const said = execFileSync(binary(), ["report", "--demo", "--lang", lang, "--out", out], { cwd: root, encoding: "utf8" });
    assert.match(said, /report written to .*report-.*\.html/);
    reports[lang] = out;
    console.log(`report (${lang}): ${out}, ${(statSync(out).size / 1024).toFixed(1)} KB`);
  }
  return reports[lang];
}

test("the demo report is one self-contained file", { timeout: 900_000 }, () => {
  for (const lang of ["sv", "en"]) {
    const html = readFileSync(report(lang), "utf8");
    assert.match(html, new RegExp(`^<!DOCTYPE html>\\n<html lang="${lang}">`));
    assert.doesNotMatch(html, /<script|<link|<img|<iframe|@import|url\((?!#)/i); // url(#…): the hatching, a fragment of the page
    assert.doesNotMatch(html, /https?:\/\//);
    assert.doesNotMatch(html, /\ssrc=/);
    for (const id of SECTIONS) assert.ok(html.includes(`<section id="${id}"`), `section ${id}`);
  }
});

test("the demo report shows the figures of `kompetens demo`", { timeout: 900_000 }, () => {
  // the same organisation through the text command's JSON: readiness of the
  // department, head count, people without ratings, DiMiOS overall
  const demo = JSON.parse(execFileSync(binary(), ["demo", "--format", "json"], { cwd: root, encoding: "utf8" }));
  const html = readFileSync(report("en"), "utf8");
  const pct = (x) => `${x.toFixed(1)}%`;
  const n = (x) => x.toLocaleString("en-US");
  for (const want of [
    `<span class="k">Employees</span><span class="v">${n(demo.people)}</span>`,
    `<span class="k">Without ratings</span><span class="v">${n(demo.without_ratings)}</span>`,
    `<span class="k">Readiness</span><span class="v">${pct(100 * demo.units[0].mean_readiness)}</span>`,
    `<span class="k">Digital maturity</span><span class="v">${pct(demo.dimios.overall)}</span>`,
    `<span class="k">Maturity type</span><span class="v">${demo.dimios.type.id}</span>`,
  ]) {
    assert.ok(html.includes(want), want);
  }
});

test("the demo report renders in headless Chromium", { skip, timeout: 900_000 }, async () => {
  let browser = null;
  try {
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
    for (const lang of ["sv", "en"]) {
      const file = report(lang);
      const url = pathToFileURL(file).href;
      const tab = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const problems = [];
      const requests = [];
      tab.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
      });
      tab.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
      tab.on("request", (r) => requests.push(r.url()));
      await tab.goto(url, { waitUntil: "load" });
      const facts = await tab.evaluate((ids) => {
        const sections = ids.map((id) => {
          const s = document.getElementById(id);
          const h = s?.querySelector("h2");
          return { id, present: !!s, heading: h?.textContent ?? "", height: s?.getBoundingClientRect().height ?? 0 };
        });
        const svgs = [...document.querySelectorAll("svg")].map((s) => {
          const r = s.getBoundingClientRect();
          return { w: r.width, h: r.height, title: s.querySelector("title")?.textContent ?? "" };
        });
        return {
          lang: document.documentElement.lang,
          height: document.documentElement.scrollHeight,
          sections,
          svgs,
          figures: document.querySelectorAll("figure").length,
          captions: document.querySelectorAll("figure > figcaption").length,
          tables: document.querySelectorAll("table").length,
          tableCaptions: document.querySelectorAll("table > caption").length,
        };
      }, SECTIONS);
      assert.equal(facts.lang, lang);
      assert.ok(facts.height > 3000, `page height ${facts.height}`);
      for (const s of facts.sections) {
        assert.ok(s.present, `section ${s.id} missing`);
        assert.ok(s.heading.trim().length > 0, `section ${s.id} has no heading`);
        assert.ok(s.height > 50, `section ${s.id} is ${s.height}px high`);
      }
      assert.equal(facts.captions, facts.figures, "every figure has a caption");
      assert.equal(facts.tableCaptions, facts.tables, "every table has a caption");
      assert.ok(facts.svgs.length >= facts.figures, `${facts.svgs.length} SVGs for ${facts.figures} figures`);
      for (const [i, s] of facts.svgs.entries()) {
        assert.ok(s.w > 50 && s.h > 50, `svg ${i} (${s.title}) is ${s.w}×${s.h}`);
      }
      assert.deepEqual(problems, []);
      assert.deepEqual(requests, [url], "the page requests nothing but itself");
      const png = join(artifacts, lang === "sv" ? "report.png" : `report-${lang}.png`);
      await tab.screenshot({ path: png, fullPage: true });
      console.log(`report screenshot (${lang}): ${png} — ${facts.height}px high, ${facts.svgs.length} SVG charts, ${facts.tables} tables`);
      await tab.close();
    }
  } finally {
    await browser?.close();
  }
});
