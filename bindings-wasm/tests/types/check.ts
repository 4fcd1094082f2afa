// Type-checked (not run) by types.test.mjs with `tsc --noEmit`: the
// generated declarations describe the API as the README uses it.
import {
  builtinFramework,
  gapReport,
  loadFramework,
  parsePolicy,
  reconcile,
  resolveProfile,
  calibration,
  version,
  type EffectiveProfile,
  type Framework,
  type GapReport,
  type KompetensError,
  type PolicyObject,
  type ReconciledLevel,
} from "kompetens";
import {
  loadInstrument,
  scoreAnswers,
  scoreSurvey,
  Scorer,
  surveyLevels,
  radarChart,
  heatmapChart,
  dimiosQuadrantChart,
  dimiosSpiderChart,
  changeChart,
  type RadarSpec,
  type Answers,
  type Instrument,
  type ScoreReport,
  type ScoreEntry,
  type ScoreLevel,
  type Reliability,
  type WilcoxonResult,
  type PairedT,
  type PairedComparison,
  type MedianResult,
  type TopBox,
  type Distribution,
  type DsiResult,
  type DsiCategory,
  type DsiSummary,
  type DsiThresholds,
  type MaturityModel,
  type MeasurementResult,
  type TypeResult,
  type OverallFromDimensions,
  type Comparison,
  type Benchmark,
  type DmaResult,
  type MaturityInstrument,
} from "kompetens";
// statistics, CSV import, DSI and digital maturity: kompetens/full in
// browsers (in Node, kompetens has them too)
import {
  assessmentsFromCsv,
  cronbachAlpha,
  wilcoxon,
  wilcoxonDifferences,
  pairedT,
  paired,
  interpolatedMedian,
  topBox,
  distribution,
  dsiClassify,
  dsiSummarise,
  dsiThresholds,
  maturityBuiltin,
  loadMaturityModel,
  maturityInstrument,
  maturityExampleInstrument,
  maturityWithInstrument,
  maturitySettings,
  scoreMaturity,
  classifyMaturity,
  overallFromDimensions,
  compareMaturity,
  benchmarkMaturity,
  scoreDma,
  dmaSettings,
} from "kompetens/full";
import { scoreMaturity as fullScore } from "kompetens/full";
import {
  aggregateGaps,
  auditPublication,
  aggregateWaves,
  trainingDemand,
  type AggregateData,
  type AuditReport,
  type Publication,
  type TrainingDemand,
  type WavePublication,
} from "kompetens/full";
import init, { initSync, gapReport as webGapReport } from "kompetens/web";

const fw: Framework = builtinFramework("digcomp-2.2");
const ids: string[] = fw.areas.flatMap((a) => a.competences.map((c) => c.id));
const label: string | undefined = fw.scale.levels[0].name["sv"];

const librarian: EffectiveProfile = resolveProfile(
  "digcomp-2.2",
  [{ id: "librarian", requirements: [{ competence: "1.1", level: 4, weight: "critical" }] }],
  "librarian",
);
const report: GapReport = gapReport(fw, librarian, { "1.1": 2 });
const readiness: number | null = report.readiness;
const weighted: number | null = report.gaps[0].weightedGap;
gapReport("digcomp-2.2", librarian, [{ competence: "1.1", level: 2, source: "manager" }], { policy: "max" });
gapReport("digcomp-2.2", librarian, {}, { policy: { kind: "prefer", order: ["manager", "self"] } });
const levels: ReconciledLevel[] = reconcile(fw, { "1.1": 3 });
const policy: PolicyObject = parsePolicy("only:manager");
loadFramework('{"id": "x"}', { format: "json" });
// @ts-expect-error: the JS package has no TOML reader
loadFramework("id = 'x'", { format: "toml" });
loadFramework(fw);
calibration(fw, assessmentsFromCsv(fw, "person,1.1\np1,3\n", { form: "wide", source: "self" }));
const v: string = version();

try {
  gapReport(fw, librarian, { "9.9": 3 });
} catch (e) {
  const err = e as KompetensError;
  const code: "unknown_competence" | string = err.code;
  const where: string = err.location;
  void code;
  void where;
}

// @ts-expect-error: the source must be one of self, manager, test, activity
gapReport(fw, librarian, [{ competence: "1.1", level: 2, source: "boss" }]);
// @ts-expect-error: weights are named or numbers
resolveProfile(fw, [{ id: "a", requirements: [{ competence: "1.1", level: 1, weight: "huge" }] }], "a");
// @ts-expect-error: the CSV form is required
assessmentsFromCsv(fw, "", {});

// survey scoring (the form build); statistics and DSI (kompetens/full)
const instrument: Instrument = loadInstrument({
  id: "f",
  framework: "digcomp-2.2",
  scale: { min: 1, max: 5 },
  items: [{ id: "a", target: "1.1", text: { en: "I can search" } }],
});
const answers: Answers = { a: 4, b: null };
const scoreReport: ScoreReport = scoreAnswers(instrument, answers, { strategy: "floor8", minAnswered: 0.5 });
const entry: ScoreEntry = scoreReport.respondents[0].scores[0];
const lvl: number | null | undefined = entry.level;
scoreSurvey(instrument, { items: ["a"], rows: [[1], [null]] }, { areaMethod: "competences" });
const scorer = new Scorer(instrument, { framework: "digcomp-2.2" });
const again: ScoreReport = scorer.score(answers);
const itemIdList: string[] = scorer.itemIds;
const levelsOut: ScoreLevel[] = surveyLevels([0.5, null], { strategy: { kind: "thresholds", bands: [{ min: 0, level: 1 }] } });
const rel: Reliability = cronbachAlpha([[1, 2], [2, null]], { missing: "listwise", ciLevel: 0.9 });
const alpha: number = rel.alpha;
const w: WilcoxonResult = wilcoxon([1, 2], [2, 3], { alternative: "greater" });
const wd: WilcoxonResult = wilcoxonDifferences([1, -2, 3]);
const pt: PairedT = pairedT([1, 2], [2, 3]);
const pc: PairedComparison = paired([1, 2], [2, 3], { ciLevel: 0.9, method: "exact" });
const med: MedianResult = interpolatedMedian([1, 2, 3]);
const tb: TopBox = topBox([1, 5], { min: 1, max: 5 });
const dist: Distribution = distribution([1, 2], { min: 1, max: 5 });
const dsi: DsiResult = dsiClassify([1, 2, 0, 3, 1]);
const cat: DsiCategory = dsi.category;
const summary: DsiSummary = dsiSummarise([[1, 1, 1, 1, 1], null], { weights: [1, 2] });
dsiSummarise(["basic", "low"]);
const thresholds: DsiThresholds = dsiThresholds();
// @ts-expect-error: a strategy is a known name or an object
scoreAnswers(instrument, answers, { strategy: { kind: "median" } });
// @ts-expect-error: the alternative is two-sided, greater or less
wilcoxon([1], [2], { alternative: "bigger" });
// @ts-expect-error: not a DSI category
dsiSummarise(["expert"]);
void [entry, lvl, again, itemIdList, levelsOut, alpha, w, wd, pt, pc, med, tb, dist, cat, summary, thresholds];

// what the self-assessment page (examples/self-assessment/app.js) uses:
// an instrument file marked as an example, a Scorer with a framework object
// and floor8, levels per area, demo role profiles, level groups
const formInstrument: Instrument = loadInstrument('{"id": "x", "items": []}', { format: "json" });
const isExample: boolean | undefined = formInstrument.example;
const formNote: string | undefined = formInstrument.note?.["sv"];
const formScorer = new Scorer(formInstrument, { framework: fw, strategy: "floor8" });
const person = formScorer.score({ "1.1a": 3 }).respondents[0];
const areaLevels: (number | null | undefined)[] = person.areas.map((a: ScoreEntry) => a.level);
const formRatings: Record<string, number> = {};
for (const s of person.scores) if (s.level != null) formRatings[s.id] = s.level;
const demoRoles = {
  profiles: [
    { id: "all-staff", framework: "digcomp-2.2", name: { sv: "Alla medarbetare", en: "All staff" }, requirements: [{ competence: "4.2", level: 4, weight: "critical" as const }] },
    { id: "librarian", extends: "all-staff", framework: "digcomp-2.2", description: { en: "Searching" }, requirements: [] },
  ],
};
const formPlan: string[] = gapReport(fw, resolveProfile(fw, demoRoles, "librarian"), formRatings).plan;
const group: string | undefined = fw.scale.levels.find((l) => l.level === 5)?.group ?? undefined;
const groupName: string | undefined = fw.scale.groups?.find((g) => g.id === group)?.name["en"];
const pageRadarSvg: string = radarChart(gapReport(fw, resolveProfile(fw, demoRoles, "librarian"), formRatings), {
  by: "competence",
  framework: fw,
  lang: "sv",
  title: "Din nivå jämfört med kraven",
  id: "radar-chart",
});
// @ts-expect-error: a radar is drawn per area or per competence
radarChart(gapReport(fw, resolveProfile(fw, demoRoles, "librarian"), formRatings), { by: "item" });
formScorer.free();
void [isExample, formNote, areaLevels, formPlan, groupName, pageRadarSvg];

// digital maturity (Node and kompetens/full)
const model: MaturityModel = maturityBuiltin("dimios");
const result: MeasurementResult = scoreMaturity(model, { items: ["x"], rows: [[1]] }, { units: ["a"], settings: { combine: "median" } });
const overall: number | null | undefined = result.overall;
const type: TypeResult | null = classifyMaturity("dimios", [{ id: "formaga", percentage: 47 }, { id: "arv", percentage: 59 }]);
classifyMaturity("dimios", result, { settings: { quadrantCutX: 45 } });
const ofd: OverallFromDimensions = overallFromDimensions("dimios", [{ id: "arv", percentage: 59 }], { inputsRoundedToDecimals: 0 });
const cmp: Comparison = compareMaturity(result, result);
const bench: Benchmark = benchmarkMaturity(result, "municipality", [{ id: "m2", type: "municipality", result }]);
const dmaOut: DmaResult = scoreDma([{ question: "q1", ticked: ["a"] }], { settings: { plannedWeight: 0.5 } });
const example: MaturityInstrument = maturityExampleInstrument("dimios");
void [overall, type, ofd, cmp, bench, dmaOut, example, fullScore, loadMaturityModel, maturityInstrument, maturityWithInstrument, maturitySettings, dmaSettings];
// @ts-expect-error: rows hold numbers or null
scoreMaturity(model, { items: ["x"], rows: [["high"]] });

// gap aggregation (Node and kompetens/full)
const orgData: AggregateData = {
  competences: ["x"],
  tree: { org: null, a: "org" },
  people: [{ unit: "a", levels: { x: 2 }, required: { x: 3 } }],
};
const pub: Publication = aggregateGaps(orgData, { minGroup: 3, suppression: "rollup" });
const withheld: ("primary" | "secondary" | "rolled_up" | null | undefined)[] = pub.rows.map((r) => r.suppressed);
const audited: AuditReport = auditPublication(orgData.tree, pub);
auditPublication([{ id: "org" }], pub.rows, { minGroup: 3 });
const waves: WavePublication = aggregateWaves({ competences: ["x"], tree: orgData.tree, before: [], after: [] }, { perPerson: true });
const demand: TrainingDemand = trainingDemand(orgData, { catalogue: [{ id: "c", competences: ["x"], levelFrom: 1, levelTo: 4 }] });
void [withheld, audited.sizesClean, waves.rows, demand.demand];
// @ts-expect-error: suppression is one of none, primary, secondary, rollup
aggregateGaps(orgData, { suppression: "noise" });

const ready: Promise<unknown> = init();
void [ready, initSync, webGapReport, ids, label, readiness, weighted, levels, policy, v];

// charts: SVG text from a spec or a result
const radarSvg: string = radarChart(report, { by: "competence", lang: "sv", width: 320 });
const radarSpec: RadarSpec = { axes: [{ label: "1.1" }, { label: "2.1", name: "Interacting" }], max: 8, series: [{ kind: "required", values: [4, null] }] };
radarChart(radarSpec, { id: "r1", title: "Anna" });
const heatSvg: string = heatmapChart({ rows: [{ label: "A" }], columns: [{ label: "1.1" }], cells: [[{ withheld: "primary" }]] });
const quadSvg: string = dimiosQuadrantChart(result, { peers: [{ id: "m2", result }], label: "Vi" });
const spiderSvg: string = dimiosSpiderChart(result, { peers: [result] });
const changeSvg: string = changeChart(cmp, { by: "dimension", beforeLabel: "2025", afterLabel: "2026" });
void [radarSvg, heatSvg, quadSvg, spiderSvg, changeSvg];
// @ts-expect-error: the language is en or sv
radarChart(radarSpec, { lang: "de" });
