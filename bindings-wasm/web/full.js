// Entry point `kompetens/full` for browsers and bundlers: the full build
// (everything in `kompetens` plus survey statistics, CSV import, the Eurostat
// DSI and digital maturity: DiMiOS and the EU DMA),
// wasm-bindgen `--target web`, initialised once with top-level await. For
// explicit control over loading, import "kompetens/web-full" and call its
// default export (`init`) yourself.
import init from "../pkg-full/kompetens_wasm.js";

await init({ module_or_path: new URL("../pkg-full/kompetens_wasm_bg.wasm", import.meta.url) });

export {
  Scorer,
  assessmentsFromCsv,
  benchmarkMaturity,
  builtinFramework,
  calibration,
  call,
  changeChart,
  classifyMaturity,
  compareMaturity,
  cronbachAlpha,
  dimiosQuadrantChart,
  dimiosSpiderChart,
  distribution,
  dmaSettings,
  dsiClassify,
  dsiSummarise,
  dsiThresholds,
  gapReport,
  heatmapChart,
  interpolatedMedian,
  loadFramework,
  loadInstrument,
  loadMaturityModel,
  maturityBuiltin,
  maturityExampleInstrument,
  maturityInstrument,
  maturitySettings,
  maturityWithInstrument,
  overallFromDimensions,
  paired,
  pairedT,
  parsePolicy,
  radarChart,
  reconcile,
  resolveProfile,
  scoreAnswers,
  scoreDma,
  scoreMaturity,
  scoreSurvey,
  surveyAssessments,
  surveyLevels,
  toCamel,
  toSnake,
  topBox,
  version,
  wilcoxon,
  wilcoxonDifferences,
} from "../pkg-full/kompetens_wasm.js";
