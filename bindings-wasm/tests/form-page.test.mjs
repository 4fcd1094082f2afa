// The self-assessment web form (bindings-wasm/examples/self-assessment/) in
// headless Chromium: served from the repository root by a local HTTP server,
// filled with the fixed answers of tests/vectors/form-self-assessment.json
// by clicks and by keyboard, and checked against that vector file's
// expected values (which Rust and Python check too): the levels per area and
// competence and the development plans shown must equal them. Also: no
// request to any other origin, no console errors, no request at all after
// load, the language switch, the export download, a phone-sized viewport,
// and a screenshot kept in target/artifacts/. Prints the time to the first
// result. Skipped when Chromium or playwright-core is not installed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const PAGE = "/bindings-wasm/examples/self-assessment/";
const pageDir = join(repoRoot, PAGE);
const artifacts = join(repoRoot, "target", "artifacts");

const vectors = JSON.parse(readFileSync(join(repoRoot, "tests/vectors/form-self-assessment.json"), "utf8"));
const caseNamed = (name) => vectors.cases.find((c) => c.name === name);
const scored = caseNamed("form-score-floor8");
const answers = scored.input.answers;
const expectedPerson = scored.expected.respondents[0];
const gapCases = vectors.cases.filter((c) => c.op === "gap_report");
const instrumentFile = JSON.parse(readFileSync(join(pageDir, "digcomp-2.2-self-assessment.json"), "utf8"));
const demoProfiles = JSON.parse(readFileSync(join(repoRoot, "core/data/demo/profiles.json"), "utf8")).profiles;

let chromium = null;
try {
  ({ chromium } = await import("playwright-core"));
} catch {
  chromium = null;
}
const skip = !existsSync(CHROMIUM) ? `no ${CHROMIUM}` : !chromium ? "playwright-core not installed" : false;
const built = existsSync(join(repoRoot, "bindings-wasm/pkg/kompetens_wasm_bg.wasm"));

const TYPES = {
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".wasm": "application/wasm",
  ".html": "text/html; charset=utf-8",
  ".css": "text/css",
  ".json": "application/json",
};

function serve() {
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
    if (path.endsWith("/")) path += "index.html";
    const file = normalize(join(repoRoot, path));
    if (!file.startsWith(repoRoot) || file.includes(`${sep}..${sep}`) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// what the page shows, read from the DOM
function shown(tab) {
  return tab.evaluate(() => {
    const rows = (sel) =>
      [...document.querySelectorAll(`${sel} tbody tr`)].map((tr) => ({
        id: tr.dataset.area ?? tr.dataset.competence,
        level: tr.querySelector("td.level").dataset.level,
        levelText: tr.querySelector("td.level .level-n")?.textContent ?? null,
        score: tr.querySelector("td.score").textContent,
      }));
    return {
      lang: document.documentElement.lang,
      title: document.querySelector("h1").textContent,
      areas: rows("#areas"),
      competences: rows("#competences"),
      plan: [...document.querySelectorAll("#plan li")].map((li) => ({
        id: li.dataset.competence,
        current: Number(li.dataset.current),
        required: Number(li.dataset.required),
        text: li.textContent,
      })),
      readiness: document.querySelector("#readiness").textContent,
      status: document.querySelector("#status").textContent,
      radar: document.querySelector("#radar svg") !== null,
    };
  });
}

const pct = (x, lang) => new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 0 }).format(x);

function checkLevels(view, lang) {
  assert.deepEqual(
    view.areas.map((a) => [a.id, Number(a.level), Number(a.levelText), a.score]),
    expectedPerson.areas.map((a) => [a.id, a.level, a.level, pct(a.score, lang)]),
    "levels per area",
  );
  assert.deepEqual(
    view.competences.map((c) => [c.id, Number(c.level), Number(c.levelText), c.score]),
    expectedPerson.scores.map((c) => [c.id, c.level, c.level, pct(c.score, lang)]),
    "levels per competence",
  );
}

function checkPlan(view, gapCase, lang) {
  const e = gapCase.expected;
  const gaps = new Map(e.gaps.map((g) => [g.competence, g]));
  assert.deepEqual(
    view.plan.map((p) => [p.id, p.current, p.required]),
    e.plan.map((id) => [id, gaps.get(id).current, gaps.get(id).required]),
    `plan for ${gapCase.input.role}`,
  );
  assert.ok(view.readiness.includes(pct(e.readiness, lang)), `${view.readiness} shows readiness ${pct(e.readiness, lang)}`);
  assert.ok(view.readiness.includes(`${e.met}`) && view.readiness.includes(`${e.rated}`), view.readiness);
}

async function answerByClick(tab, item, value) {
  await tab.locator(`label[for="q-${item}-${value}"]`).click();
}

test("the vector file's instrument and profiles are the page's", () => {
  const stripped = {
    id: instrumentFile.id,
    framework: instrumentFile.framework,
    scales: instrumentFile.scales.map(({ id, min, max }) => ({ id, min, max })),
    scale: instrumentFile.scale,
    items: instrumentFile.items.map(({ id, target }) => ({ id, target })),
  };
  assert.deepEqual(scored.input.instrument, stripped);
  assert.equal(instrumentFile.example, true);
  for (const c of gapCases) {
    for (const p of c.input.profiles) assert.deepEqual(p, demoProfiles.find((d) => d.id === p.id));
  }
  // 21 competences, 2–3 statements each, every text in Swedish and English
  const counts = new Map();
  for (const item of instrumentFile.items) {
    counts.set(item.target, (counts.get(item.target) ?? 0) + 1);
    assert.ok(item.text.sv && item.text.en, item.id);
  }
  assert.equal(counts.size, 21);
  assert.ok([...counts.values()].every((n) => n === 2 || n === 3));
  assert.equal(instrumentFile.scales[0].labels.length, 4);
});

test("self-assessment page in headless Chromium", { skip: skip || (!built && "bindings-wasm/pkg not built"), timeout: 180_000 }, async () => {
  const server = await serve();
  const origin = `http://127.0.0.1:${server.address().port}`;
  let browser = null;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "sv-SE", acceptDownloads: true });
    const tab = await context.newPage();
    const requests = [];
    const problems = [];
    let ready = false;
    const afterReady = [];
    // every request of the context, the service worker's included
    context.on("request", (r) => requests.push(r.url()));
    tab.on("request", (r) => {
      if (ready) afterReady.push(r.url());
    });
    tab.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
    });
    tab.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    // every download of the page from the start (filling in must not start one)
    const downloads = [];
    tab.on("download", (d) => downloads.push(d.suggestedFilename()));

    await tab.goto(`${origin}${PAGE}`);
    await tab.waitForFunction(() => document.documentElement.dataset.ready !== undefined, null, { timeout: 60_000 });
    assert.equal(await tab.evaluate(() => document.documentElement.dataset.ready), "true", problems.join("\n"));
    ready = true;
    const readyMs = await tab.evaluate(() => performance.getEntriesByName("kompetens:ready")[0].startTime);

    // first answer right away: 1.2 has two statements, so one answer gives it a level
    await answerByClick(tab, "1.2a", answers["1.2a"]);
    await tab.waitForFunction(() => performance.getEntriesByName("kompetens:first-score").length > 0);
    const firstScoreMs = await tab.evaluate(() => performance.getEntriesByName("kompetens:first-score")[0].startTime);

    // structure: one fieldset per competence, one per statement, a label per option
    const structure = await tab.evaluate(() => ({
      competences: document.querySelectorAll("fieldset.competence > legend").length,
      items: document.querySelectorAll("fieldset.item > legend").length,
      radios: document.querySelectorAll('input[type="radio"]').length,
      unlabelled: [...document.querySelectorAll("input, select")].filter((i) => i.labels.length === 0).length,
      live: document.querySelector("#status").getAttribute("aria-live"),
      lang: document.documentElement.lang,
    }));
    assert.deepEqual(structure, { competences: 21, items: 47, radios: 188, unlabelled: 0, live: "polite", lang: "sv" });

    // Fill in: competence 2.5 by keyboard (Space selects the focused option,
    // → moves to and selects the next one, Tab goes on to the next statement),
    // the rest by clicking the option labels.
    const keyboardItems = Object.keys(answers).filter((id) => id.startsWith("2.5"));
    await tab.locator(`[id="q-${keyboardItems[0]}-1"]`).focus();
    for (const [i, id] of keyboardItems.entries()) {
      if (i > 0) await tab.keyboard.press("Tab");
      assert.equal(await tab.evaluate(() => document.activeElement.name), id);
      await tab.keyboard.press("Space");
      for (let v = 1; v < answers[id]; v++) await tab.keyboard.press("ArrowRight");
      // the focused option is visibly outlined
      assert.equal(await tab.evaluate(() => getComputedStyle(document.activeElement.closest("label")).outlineStyle), "solid");
    }
    for (const [id, value] of Object.entries(answers)) {
      if (!keyboardItems.includes(id) && id !== "1.2a") await answerByClick(tab, id, value);
    }
    const checked = await tab.evaluate(() =>
      Object.fromEntries([...document.querySelectorAll("input[type=radio]:checked")].map((i) => [i.name, Number(i.value)])),
    );
    assert.deepEqual(checked, answers);

    // the levels shown are the vector file's; the plan for each role too
    for (const gapCase of gapCases) {
      await tab.selectOption("#role", gapCase.input.role);
      const view = await shown(tab);
      checkLevels(view, "sv");
      checkPlan(view, gapCase, "sv");
      assert.ok(view.status.includes("47 av 47 påståenden") && view.status.includes("21 av 21 kompetenser"), view.status);
    }
    const rescoreMs = await tab.evaluate(() => performance.getEntriesByName("kompetens:rescore").map((e) => e.duration));

    // the radar against the librarian's requirements: the core's SVG, whose
    // <desc> (the data in words) is what Node draws for the vector's report
    await tab.selectOption("#role", "librarian");
    const radar = await tab.evaluate(() => ({
      title: document.querySelector("#radar svg > title")?.textContent,
      desc: document.querySelector("#radar svg > desc")?.textContent,
      role: document.querySelector("#radar svg")?.getAttribute("role"),
    }));
    const librarian = gapCases.find((c) => c.input.role === "librarian");
    const k = await import("kompetens");
    const fw = k.builtinFramework("digcomp-2.2");
    const nodeSvg = k.radarChart(k.gapReport(fw, k.resolveProfile(fw, librarian.input.profiles, "librarian"), librarian.input.ratings), {
      by: "competence",
      framework: fw,
      lang: "sv",
    });
    const nodeDesc = /<desc[^>]*>([^<]*)<\/desc>/.exec(nodeSvg)[1].replaceAll("&amp;", "&");
    assert.deepEqual(radar, { title: "Din nivå jämfört med kraven för Bibliotekarie", desc: nodeDesc, role: "img" });

    // a screenshot of the filled form (Swedish, librarian)
    mkdirSync(artifacts, { recursive: true });
    const shot = join(artifacts, "form-page.png");
    await tab.screenshot({ path: shot, fullPage: true });

    // English: every text switches, the answers and results stay
    await tab.getByRole("button", { name: "English" }).click();
    const en = await shown(tab);
    assert.equal(en.lang, "en");
    assert.equal(en.title, "Digital competence self-assessment");
    assert.equal(await tab.title(), "Digital competence self-assessment (DigComp 2.2)");
    assert.equal(
      await tab.locator('fieldset.item[data-item="1.1a"] > legend').textContent(),
      instrumentFile.items.find((i) => i.id === "1.1a").text.en,
    );
    assert.equal(await tab.locator('label[for="q-1.1a-4"]').textContent(), instrumentFile.scales[0].labels[3].en);
    assert.equal(await tab.locator('[data-lang="en"]').getAttribute("aria-pressed"), "true");
    checkLevels(en, "en");
    checkPlan(en, gapCases.find((c) => c.input.role === "librarian"), "en");
    const englishShot = join(artifacts, "form-page-en.png");
    await tab.screenshot({ path: englishShot });

    // no download until asked; the export holds the answers and the plan
    assert.deepEqual(downloads, [], "a download started before the export button was pressed");
    const [download] = await Promise.all([tab.waitForEvent("download"), tab.click("#export")]);
    const exported = JSON.parse(readFileSync(await download.path(), "utf8"));
    assert.equal(downloads.length, 1, "one download per press");
    assert.deepEqual(exported.answers, answers);
    assert.deepEqual(exported.gapReport.plan, gapCases.find((c) => c.input.role === "librarian").expected.plan);
    assert.deepEqual(
      exported.areas.map((a) => a.level),
      expectedPerson.areas.map((a) => a.level),
    );

    // "Clear my answers" empties the form and the result
    await tab.click("#reset");
    assert.deepEqual(
      await tab.evaluate(() => [document.querySelectorAll("input[type=radio]:checked").length, document.querySelector("#status").textContent]),
      [0, "No answers yet. Your level shows here as you answer."],
    );

    // nothing was requested after load but the (optional) service worker's
    // script; the export was a blob, not a request
    assert.deepEqual(afterReady.filter((u) => !u.startsWith("blob:") && !u.endsWith("/sw.js")), []);

    // offline: once the service worker has its copy, a reload without any
    // network still gives a working form
    await tab.evaluate(async () => {
      await navigator.serviceWorker.ready;
      for (let i = 0; i < 100 && !navigator.serviceWorker.controller; i++) await new Promise((r) => setTimeout(r, 50));
    });
    await context.setOffline(true);
    await tab.reload();
    await tab.waitForFunction(() => document.documentElement.dataset.ready !== undefined, null, { timeout: 60_000 });
    assert.equal(await tab.evaluate(() => document.documentElement.dataset.ready), "true", problems.join("\n"));
    assert.ok(await tab.evaluate(() => navigator.serviceWorker.controller !== null), "served by the service worker");
    await answerByClick(tab, "1.2a", answers["1.2a"]);
    await answerByClick(tab, "1.2b", answers["1.2b"]);
    const offlineLevel = await tab.locator('#competences tr[data-competence="1.2"] td.level').getAttribute("data-level");
    assert.equal(Number(offlineLevel), expectedPerson.scores.find((s) => s.id === "1.2").level, "scored offline");
    await context.setOffline(false);

    // nothing ever left this origin; the console stayed clean
    const foreign = requests.filter((u) => new URL(u).origin !== origin && !u.startsWith("blob:") && !u.startsWith("data:"));
    assert.deepEqual(foreign, []);
    assert.deepEqual(problems, []);

    // a phone: 375 × 700, one column, nothing wider than the screen
    const phone = await browser.newPage({ viewport: { width: 375, height: 700 }, locale: "en-GB" });
    const phoneProblems = [];
    phone.on("console", (m) => m.type() === "error" && phoneProblems.push(m.text()));
    await phone.goto(`${origin}${PAGE}`);
    await phone.waitForFunction(() => document.documentElement.dataset.ready === "true", null, { timeout: 60_000 });
    const layout = await phone.evaluate(() => ({
      lang: document.documentElement.lang,
      scrollWidth: document.documentElement.scrollWidth,
      columns: getComputedStyle(document.querySelector(".options")).gridTemplateColumns.split(" ").length,
      optionHeight: document.querySelector(".option").getBoundingClientRect().height,
    }));
    assert.equal(layout.lang, "en", "the browser's language picks English");
    assert.ok(layout.scrollWidth <= 375, `page is ${layout.scrollWidth} px wide`);
    assert.equal(layout.columns, 1);
    assert.ok(layout.optionHeight >= 44, `options are ${layout.optionHeight} px high (tap targets)`);
    await answerByClick(phone, "1.2a", answers["1.2a"]);
    await phone.waitForFunction(() => document.querySelector('[data-competence-level="1.2"]').textContent !== "");
    const phoneShot = join(artifacts, "form-page-phone.png");
    await phone.screenshot({ path: phoneShot });
    // filled in, with the longest level names: still no sideways scrolling
    for (const [id, value] of Object.entries(answers)) if (id !== "1.2a") await answerByClick(phone, id, value);
    await phone.selectOption("#role", "librarian");
    await phone.click('#competences-box > summary');
    assert.ok((await phone.evaluate(() => document.documentElement.scrollWidth)) <= 375, "filled page fits 375 px");
    checkLevels(await shown(phone), "en");
    await phone.locator("#result").scrollIntoViewIfNeeded();
    const phoneResultShot = join(artifacts, "form-page-phone-result.png");
    await phone.locator("#result").screenshot({ path: phoneResultShot });
    assert.deepEqual(phoneProblems, []);

    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(
      `form page: time to first result ${readyMs.toFixed(0)} ms after navigation start (wasm loaded, form built, first scoring shown); ` +
        `first competence level ${firstScoreMs.toFixed(0)} ms after navigation start (one click right at load); ` +
        `answer → updated result: median ${median(rescoreMs).toFixed(1)} ms, max ${Math.max(...rescoreMs).toFixed(1)} ms over ${rescoreMs.length} changes`,
    );
    console.log(`form page screenshots: ${shot}, ${englishShot}, ${phoneShot}, ${phoneResultShot}`);
  } finally {
    await browser?.close();
    server.close();
  }
});
