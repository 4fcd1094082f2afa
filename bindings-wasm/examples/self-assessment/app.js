// DigComp 2.2 self-assessment: renders the instrument, scores the answers on
// this device with the kompetens WebAssembly package (form build) on every
// change, and shows levels per area and competence, a radar against the
// chosen role and the development plan. Nothing is sent anywhere: after the
// page's own files are loaded, it makes no network requests; "export"
// builds a JSON file in memory and hands it to the browser as a download.
import { Scorer, builtinFramework, gapReport, loadInstrument, radarChart, resolveProfile } from "kompetens";

const INSTRUMENT_URL = new URL("./digcomp-2.2-self-assessment.json", import.meta.url);
// the demo organisation's role profiles (yrkesroller), shared with the CLI and tests
const PROFILES_URL = new URL("../../../core/data/demo/profiles.json", import.meta.url);
const FRAMEWORK = "digcomp-2.2";
// ⌊8 × score⌋, at least 1: a level on DigComp 2.2's scale 1–8 (see the method text)
const STRATEGY = "floor8";

// Every text of the page in both languages. Competence, area and level names
// come from the framework, statements and answer options from the instrument,
// role names from the profiles.
const TEXT = {
  sv: {
    docTitle: "Självskattning av digital kompetens (DigComp 2.2)",
    skip: "Hoppa till resultatet",
    title: "Självskattning av digital kompetens",
    intro:
      "Skatta hur väl du klarar 47 vardagliga digitala uppgifter, ordnade efter de 21 kompetenserna i EU:s ramverk DigComp 2.2. Du ser din nivå per område och kompetens medan du svarar, och vad du kan utveckla för den roll du väljer.",
    privacy:
      "Dina svar stannar i den här webbläsaren. Ingenting skickas någonstans; bara knappen ”Spara mitt resultat” sparar en fil, på din enhet.",
    languages: "Språk",
    roleLabel: "Min roll",
    instructions:
      "Välj det svar som stämmer bäst för varje påstående. Du kan hoppa över påståenden; en kompetens får en nivå när minst hälften av dess påståenden är besvarade.",
    loading: "Laddar …",
    loadError: "Sidan kunde inte laddas: ",
    resultHeading: "Ditt resultat",
    areasHeading: "Nivå per område",
    competencesHeading: "Nivå per kompetens",
    colArea: "Område",
    colCompetence: "Kompetens",
    colScore: "Poäng",
    colLevel: "Nivå",
    radarHeading: "Du och rollens krav",
    radarMissing: "Diagrammet visas när du har besvarat minst en kompetens som rollen kräver.",
    planHeading: "Din utvecklingsplan",
    methodHeading: "Så räknas din nivå ut",
    export: "Spara mitt resultat (JSON)",
    exportNote: "Filen sparas bara på din enhet. Den innehåller dina svar, nivåer och din utvecklingsplan.",
    reset: "Rensa mina svar",
    toResult: "Till resultatet",
    footer:
      "Ramverk: DigComp 2.2 (Europeiska kommissionen, JRC). Beräkningar: kompetens, körd som WebAssembly i din webbläsare.",
    notAnswered: "ej besvarad",
    yourLevel: "Din nivå",
    level: (n) => `nivå ${n}`,
    answered: (n, total) => `${n} av ${total} påståenden besvarade`,
    statusNone: "Inga svar ännu. Din nivå visas här medan du svarar.",
    status: (answered, total, scored, competences, readiness, role) =>
      `${answered} av ${total} påståenden besvarade, ${scored} av ${competences} kompetenser har en nivå.` +
      (readiness === null ? "" : ` Du uppfyller ${readiness} av kraven för ${role}.`),
    readiness: (met, rated, pct, role) =>
      `Du når ${met} av ${rated} besvarade krav för ${role} (viktat ${pct}).`,
    readinessNone: (role) => `Besvara de kompetenser som ${role} kräver för att se din plan.`,
    planEmpty: "Du når alla besvarade krav för rollen. Bra jobbat!",
    planItem: (current, required, weight) => `från nivå ${current} till ${required} · ${weight}`,
    weights: { critical: "kritisk", important: "viktig", useful: "nyttig" },
    missing: (n) => (n === 1 ? "1 krav saknar svar ännu." : `${n} krav saknar svar ännu.`),
    method: [
      "Varje svar räknas om till en poäng mellan 0 och 1: ”inte (ännu)” = 0, ”med hjälp” = ⅓, ”på egen hand” = ⅔, ”bra och kan hjälpa andra” = 1.",
      "En kompetens poäng är medelvärdet av dess påståenden (minst hälften måste vara besvarade). Ett områdes poäng är medelvärdet av alla besvarade påståenden i området, som i DigCompSAT.",
      "Nivån är ⌊8 × poäng⌋, men minst 1 (strategin floor8): en nivå på DigComp 2.2:s skala 1–8 (1–2 grundläggande, 3–4 medel, 5–6 avancerad, 7–8 högt specialiserad). Alla svar ”på egen hand” ger till exempel poäng ⅔ och nivå 5.",
      "Din nivå per kompetens jämförs med rollens krav. Utvecklingsplanen listar kraven du inte når, störst viktat gap först: gap = krav − din nivå, vikt kritisk 3, viktig 2, nyttig 1.",
      "Det här är en grov självskattning med exempelpåståenden, inte ett prov.",
    ],
    chartTitle: (role) => `Din nivå jämfört med kraven för ${role}`,
    exportFile: "kompetens-sjalvskattning",
  },
  en: {
    docTitle: "Digital competence self-assessment (DigComp 2.2)",
    skip: "Skip to the result",
    title: "Digital competence self-assessment",
    intro:
      "Rate how well you manage 47 everyday digital tasks, arranged by the 21 competences of the EU's DigComp 2.2 framework. You see your level per area and competence as you answer, and what to develop for the role you choose.",
    privacy:
      "Your answers stay in this browser. Nothing is sent anywhere; only the “Save my result” button saves a file, on your device.",
    languages: "Language",
    roleLabel: "My role",
    instructions:
      "Choose the answer that fits best for each statement. You may skip statements; a competence gets a level once at least half of its statements are answered.",
    loading: "Loading …",
    loadError: "The page could not be loaded: ",
    resultHeading: "Your result",
    areasHeading: "Level per area",
    competencesHeading: "Level per competence",
    colArea: "Area",
    colCompetence: "Competence",
    colScore: "Score",
    colLevel: "Level",
    radarHeading: "You and the role's requirements",
    radarMissing: "The chart appears once you have answered at least one competence that the role requires.",
    planHeading: "Your development plan",
    methodHeading: "How your level is worked out",
    export: "Save my result (JSON)",
    exportNote: "The file is saved on your device only. It holds your answers, levels and development plan.",
    reset: "Clear my answers",
    toResult: "To the result",
    footer:
      "Framework: DigComp 2.2 (European Commission, JRC). Calculations: kompetens, running as WebAssembly in your browser.",
    notAnswered: "not answered",
    yourLevel: "Your level",
    level: (n) => `level ${n}`,
    answered: (n, total) => `${n} of ${total} statements answered`,
    statusNone: "No answers yet. Your level shows here as you answer.",
    status: (answered, total, scored, competences, readiness, role) =>
      `${answered} of ${total} statements answered, ${scored} of ${competences} competences have a level.` +
      (readiness === null ? "" : ` You meet ${readiness} of the requirements for ${role}.`),
    readiness: (met, rated, pct, role) =>
      `You reach ${met} of ${rated} answered requirements for ${role} (${pct} weighted).`,
    readinessNone: (role) => `Answer the competences that ${role} requires to see your plan.`,
    planEmpty: "You reach every answered requirement of the role. Well done!",
    planItem: (current, required, weight) => `from level ${current} to ${required} · ${weight}`,
    weights: { critical: "critical", important: "important", useful: "useful" },
    missing: (n) => (n === 1 ? "1 requirement has no answer yet." : `${n} requirements have no answer yet.`),
    method: [
      "Each answer becomes a score between 0 and 1: “cannot (yet)” = 0, “with help” = ⅓, “on my own” = ⅔, “well and help others” = 1.",
      "A competence's score is the mean of its statements (at least half must be answered). An area's score is the mean of all answered statements in the area, as in DigCompSAT.",
      "The level is ⌊8 × score⌋, but at least 1 (the floor8 strategy): a level on DigComp 2.2's scale 1–8 (1–2 foundation, 3–4 intermediate, 5–6 advanced, 7–8 highly specialised). Answering “on my own” everywhere, for example, gives the score ⅔ and level 5.",
      "Your level per competence is compared with the role's requirements. The development plan lists the requirements you do not reach, largest weighted gap first: gap = required − your level, weight critical 3, important 2, useful 1.",
      "This is a rough self-assessment with example statements, not a test.",
    ],
    chartTitle: (role) => `Your level against the requirements for ${role}`,
    exportFile: "kompetens-self-assessment",
  },
};

/**
 * The page's state (types from the package's declarations: the page is
 * type-checked with `tsc --noEmit`, see bindings-wasm/tests/types/).
 * @typedef {import("kompetens").Framework} Framework
 * @typedef {import("kompetens").Instrument} Instrument
 * @typedef {import("kompetens").RoleProfile} RoleProfile
 * @typedef {import("kompetens").EffectiveProfile} EffectiveProfile
 * @typedef {import("kompetens").ScoreReport} ScoreReport
 * @typedef {import("kompetens").ScoreEntry} ScoreEntry
 * @typedef {import("kompetens").GapReport} GapReport
 * @typedef {import("kompetens").Scorer} ScorerInstance
 */
const state = {
  /** @type {"sv" | "en"} */
  lang: "sv",
  /** @type {Framework} */
  framework: null,
  /** @type {Instrument} */
  instrument: null,
  /** @type {{profiles: RoleProfile[]}} */
  profiles: null,
  /** @type {ScorerInstance} */
  scorer: null,
  /** @type {Record<string, number>} item id → answer */
  answers: {},
  role: "all-staff",
  /** @type {EffectiveProfile} */
  profile: null,
  /** @type {ScoreReport} */
  report: null,
  /** @type {GapReport} */
  gaps: null,
  firstScoreShown: false,
};

/** @type {(sel: string) => HTMLElement} */
const $ = (sel) => document.querySelector(sel);
/** @type {(sel: string) => HTMLElement[]} */
const $$ = (sel) => [...document.querySelectorAll(sel)].map((e) => /** @type {HTMLElement} */ (e));
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
};
const t = () => TEXT[state.lang];
const tr = (text) => (text ? (text[state.lang] ?? text.en ?? Object.values(text)[0] ?? "") : "");
const pct = (x) =>
  x === null || x === undefined
    ? "–"
    : new Intl.NumberFormat(state.lang, { style: "percent", maximumFractionDigits: 0 }).format(x);

function competenceIndex() {
  const out = new Map();
  for (const area of state.framework.areas) {
    for (const c of area.competences) out.set(c.id, { competence: c, area });
  }
  return out;
}

// the level's group (foundation, intermediate, advanced, highly specialised)
function levelName(level) {
  const { levels, groups } = state.framework.scale;
  const entry = levels.find((l) => l.level === level);
  const group = entry?.group ? groups.find((g) => g.id === entry.group) : null;
  return group ? tr(group.name) : entry ? tr(entry.name) : "";
}

function roleName(id = state.role) {
  const p = state.profiles.profiles.find((x) => x.id === id);
  return p ? tr(p.name) || id : id;
}

// --- the form --------------------------------------------------------------

function renderQuestions() {
  const box = $("#questions");
  const scale = state.instrument.scales[0];
  const byTarget = new Map();
  for (const item of state.instrument.items) {
    if (!byTarget.has(item.target)) byTarget.set(item.target, []);
    byTarget.get(item.target).push(item);
  }
  const sections = [];
  for (const area of state.framework.areas) {
    const section = el("section", { class: "area", "aria-labelledby": `area-${area.id}`, "data-area": area.id });
    section.append(el("h2", { id: `area-${area.id}` }, el("span", { class: "area-id", text: `${area.id} ` }), el("span", { "data-name": "area" })));
    for (const comp of area.competences) {
      const items = byTarget.get(comp.id) ?? [];
      if (items.length === 0) continue;
      const fs = el("fieldset", { class: "competence", "data-competence": comp.id });
      fs.append(el("legend", {}, el("span", { class: "cid", text: `${comp.id} ` }), el("span", { "data-name": "competence" })));
      for (const item of items) {
        const ifs = el("fieldset", { class: "item", "data-item": item.id });
        ifs.append(el("legend", { "data-name": "statement" }));
        const options = el("div", { class: "options" });
        for (let v = scale.min; v <= scale.max; v++) {
          const id = `q-${item.id}-${v}`;
          const input = el("input", { type: "radio", name: item.id, id, value: v });
          options.append(el("label", { for: id, class: "option" }, input, el("span", { "data-name": "option", "data-value": v })));
        }
        ifs.append(options);
        fs.append(ifs);
      }
      fs.append(el("p", { class: "comp-level", "data-competence-level": comp.id }));
      section.append(fs);
    }
    sections.push(section);
  }
  box.replaceChildren(...sections);
}

// texts of the form in the current language (keeps the answers)
function translateQuestions() {
  const scale = state.instrument.scales[0];
  const comps = competenceIndex();
  for (const section of $$("section.area")) {
    const area = state.framework.areas.find((a) => a.id === section.dataset.area);
    section.querySelector('[data-name="area"]').textContent = tr(area.name);
  }
  for (const fs of $$("fieldset.competence")) {
    fs.querySelector(':scope > legend [data-name="competence"]').textContent = tr(comps.get(fs.dataset.competence).competence.name);
  }
  const items = new Map(state.instrument.items.map((i) => [i.id, i]));
  for (const ifs of $$("fieldset.item")) {
    ifs.querySelector('[data-name="statement"]').textContent = tr(items.get(ifs.dataset.item).text);
    for (const span of ifs.querySelectorAll('[data-name="option"]')) {
      span.textContent = tr(scale.labels[Number(span.getAttribute("data-value")) - scale.min]);
    }
  }
}

const roleSelect = () => /** @type {HTMLSelectElement} */ ($("#role"));

function renderRoles() {
  const select = roleSelect();
  const options = state.profiles.profiles.map((p) => el("option", { value: p.id, text: tr(p.name) || p.id }));
  select.replaceChildren(...options);
  select.value = state.role;
  const p = state.profiles.profiles.find((x) => x.id === state.role);
  $("#role-desc").textContent = p ? tr(p.description) : "";
}

function applyTexts() {
  const T = t();
  document.documentElement.lang = state.lang;
  document.title = T.docTitle;
  for (const node of $$("[data-t]")) {
    const v = T[node.dataset.t];
    if (typeof v === "string") node.textContent = v;
  }
  for (const b of $$("[data-lang]")) {
    b.setAttribute("aria-pressed", String(b.dataset.lang === state.lang));
  }
  $(".langs").setAttribute("aria-label", `${TEXT.sv.languages} / ${TEXT.en.languages}`);
  $("#method-text").replaceChildren(...T.method.map((p) => el("p", { text: p })));
  if (state.instrument) $("#instrument-note").textContent = tr(state.instrument.note);
}

// --- scoring and the result ----------------------------------------------

function rescore() {
  state.report = state.scorer.score(state.answers);
  const person = state.report.respondents[0];
  /** @type {Record<string, number>} */
  const ratings = {};
  for (const s of person.scores) if (s.level !== null && s.level !== undefined) ratings[s.id] = s.level;
  state.gaps = gapReport(state.framework, state.profile, ratings);
}

function levelCell(entry) {
  if (entry.level === null || entry.level === undefined) {
    return el("td", { class: "level missing", "data-level": "" }, t().notAnswered);
  }
  return el(
    "td",
    { class: "level", "data-level": entry.level },
    el("span", { class: "level-n", text: String(entry.level) }),
    " ",
    el("span", { class: "level-name", text: levelName(entry.level) }),
  );
}

function renderResult() {
  const T = t();
  const person = state.report.respondents[0];
  const comps = competenceIndex();

  // per area
  const areaRows = person.areas.map((a) => {
    const area = state.framework.areas.find((x) => x.id === a.id);
    return el(
      "tr",
      { "data-area": a.id },
      el("th", { scope: "row" }, el("span", { class: "area-id", text: `${a.id} ` }), tr(area.name)),
      el("td", { class: "num score" }, pct(a.score)),
      levelCell(a),
    );
  });
  $("#areas tbody").replaceChildren(...areaRows);

  // per competence, in the table and next to each competence in the form
  const compRows = person.scores.map((s) =>
    el(
      "tr",
      { "data-competence": s.id },
      el("th", { scope: "row" }, el("span", { class: "cid", text: `${s.id} ` }), tr(comps.get(s.id).competence.name)),
      el("td", { class: "num score" }, pct(s.score)),
      levelCell(s),
    ),
  );
  $("#competences tbody").replaceChildren(...compRows);
  for (const s of person.scores) {
    const p = document.querySelector(`[data-competence-level="${CSS.escape(s.id)}"]`);
    if (!p) continue;
    p.textContent =
      s.level === null || s.level === undefined
        ? ""
        : `${T.yourLevel}: ${s.level} (${levelName(s.level)}) · ${pct(s.score)}`;
  }

  // gaps and plan
  const g = state.gaps;
  const role = roleName();
  $("#readiness").textContent =
    g.rated === 0 ? T.readinessNone(role) : T.readiness(g.met, g.rated, pct(g.readiness), role);
  const byCompetence = new Map(g.gaps.map((x) => [x.competence, x]));
  const planItems = g.plan.map((id) => {
    const gap = byCompetence.get(id);
    const weight = weightName(gap.weight);
    return el(
      "li",
      { "data-competence": id, "data-current": gap.current, "data-required": gap.required },
      el("span", { class: "cid", text: `${id} ` }),
      el("strong", { text: tr(comps.get(id).competence.name) }),
      el("br"),
      el("span", { class: "plan-detail", text: T.planItem(gap.current, gap.required, weight) }),
    );
  });
  $("#plan").replaceChildren(...planItems);
  $("#plan").hidden = planItems.length === 0;
  const planEmpty = g.rated > 0 && planItems.length === 0;
  $("#readiness").dataset.empty = String(planEmpty);
  if (planEmpty) $("#readiness").textContent += ` ${T.planEmpty}`;
  $("#missing").textContent = g.missing.length > 0 && g.rated > 0 ? T.missing(g.missing.length) : "";

  renderRadar();

  // the short spoken summary (aria-live) and the sticky progress line
  const answered = Object.keys(state.answers).length;
  const total = state.instrument.items.length;
  const scored = person.scores.filter((s) => s.level !== null && s.level !== undefined).length;
  $("#status").textContent =
    answered === 0 ? T.statusNone : T.status(answered, total, scored, person.scores.length, g.rated === 0 ? null : pct(g.readiness), role);
  $("#progress-text").textContent = T.answered(answered, total);

  if (!state.firstScoreShown && scored > 0) {
    state.firstScoreShown = true;
    performance.mark("kompetens:first-score");
  }
}

// the profile's named weights: critical 3, important 2, useful 1
function weightName(weight) {
  const names = t().weights;
  if (weight === 3) return names.critical;
  if (weight === 2) return names.important;
  if (weight === 1) return names.useful;
  return String(weight);
}

// The radar: the core's chart module (the same SVG text as in Python and
// the CLI's report), the person's level against the role's required level
// per competence of the role (axes labelled with competence ids; the SVG's
// <title>/<desc> give the full names and values to screen readers).
function renderRadar() {
  const box = $("#radar");
  const T = t();
  const rated = state.gaps.gaps.filter((x) => x.current !== null && x.current !== undefined);
  if (rated.length === 0) {
    box.replaceChildren(el("p", { class: "hint", text: T.radarMissing }));
    return;
  }
  const svg = radarChart(state.gaps, {
    by: "competence",
    framework: state.framework,
    lang: state.lang,
    title: T.chartTitle(roleName()),
    id: "radar-chart",
  });
  box.replaceChildren();
  box.insertAdjacentHTML("afterbegin", svg);
}

// --- actions -------------------------------------------------------------

function exportResult() {
  const person = state.report.respondents[0];
  const data = {
    format: "kompetens-self-assessment/1",
    created: new Date().toISOString(),
    language: state.lang,
    instrument: { id: state.instrument.id, version: state.instrument.version ?? null },
    framework: FRAMEWORK,
    strategy: STRATEGY,
    role: state.role,
    answers: state.answers,
    competences: person.scores,
    areas: person.areas,
    gapReport: state.gaps,
  };
  const blob = new Blob([JSON.stringify(data, null, 2) + "\n"], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: `${t().exportFile}-${data.created.slice(0, 10)}.json`, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function setRole(id) {
  state.role = id;
  state.profile = resolveProfile(state.framework, state.profiles.profiles, id);
  const p = state.profiles.profiles.find((x) => x.id === id);
  $("#role-desc").textContent = p ? tr(p.description) : "";
}

function setLanguage(lang) {
  if (!TEXT[lang] || lang === state.lang) return;
  state.lang = lang;
  const url = new URL(location.href);
  url.searchParams.set("lang", lang);
  history.replaceState(null, "", url);
  applyTexts();
  translateQuestions();
  renderRoles();
  renderResult();
}

function onAnswer(event) {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "radio") return;
  state.answers[input.name] = Number(input.value);
  rescore();
  renderResult();
  // answer → updated result, for the page test's timing
  performance.measure("kompetens:rescore", { start: event.timeStamp });
}

function reset() {
  state.answers = {};
  /** @type {HTMLFormElement} */ ($("#form")).reset();
  roleSelect().value = state.role;
  rescore();
  renderResult();
  $("fieldset.item input")?.focus();
}

/** @returns {"sv" | "en"} `?lang=`, else the browser's first known language, else Swedish */
function initialLanguage() {
  const known = (/** @type {string | null} */ l) => (l === "sv" || l === "en" ? l : null);
  const asked = known(new URL(location.href).searchParams.get("lang"));
  if (asked) return asked;
  for (const l of navigator.languages ?? [navigator.language]) {
    const base = known(String(l).toLowerCase().split("-")[0]);
    if (base) return base;
  }
  return "sv";
}

async function main() {
  state.lang = initialLanguage();
  applyTexts();
  const [instrumentText, profiles] = await Promise.all([
    fetch(INSTRUMENT_URL).then((r) => (r.ok ? r.text() : Promise.reject(new Error(`${r.status} ${INSTRUMENT_URL}`)))),
    fetch(PROFILES_URL).then((r) => (r.ok ? r.json() : Promise.reject(new Error(`${r.status} ${PROFILES_URL}`)))),
  ]);
  // the instrument file is checked by the core (schema rules, ids, scales)
  state.instrument = loadInstrument(instrumentText, { format: "json" });
  state.framework = builtinFramework(FRAMEWORK);
  state.profiles = profiles;
  state.scorer = new Scorer(state.instrument, { framework: state.framework, strategy: STRATEGY });
  setRole(state.profiles.profiles.some((p) => p.id === state.role) ? state.role : state.profiles.profiles[0].id);

  renderQuestions();
  applyTexts();
  translateQuestions();
  renderRoles();
  rescore();
  renderResult();

  $("#form").addEventListener("change", (e) => {
    const target = /** @type {HTMLInputElement | HTMLSelectElement} */ (e.target);
    if (target.id === "role") {
      setRole(target.value);
      rescore();
      renderResult();
    } else {
      onAnswer(e);
    }
  });
  $("#form").addEventListener("submit", (e) => e.preventDefault());
  for (const b of $$("[data-lang]")) b.addEventListener("click", () => setLanguage(b.dataset.lang));
  $("#export").addEventListener("click", exportResult);
  $("#reset").addEventListener("click", reset);
  performance.mark("kompetens:ready");
  document.documentElement.dataset.ready = "true";
  // an offline copy of the page's own files (optional: the page needs no network after load)
  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register(new URL("./sw.js", import.meta.url)).catch(() => {});
  }
}

main().catch((e) => {
  console.error(e);
  const box = $("#questions");
  box.replaceChildren(el("p", { class: "error", role: "alert", text: t().loadError + (e?.message ?? e) }));
  document.documentElement.dataset.ready = "error";
});
