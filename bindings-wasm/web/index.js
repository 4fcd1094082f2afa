// Entry point `kompetens` for browsers and bundlers: the form build (competence
// model, survey scoring, statistics, DSI; no digital maturity — import
// "kompetens/full" for that), wasm-bindgen `--target web`, initialised once
// with top-level await, so the functions can be called right after
// `import`. For explicit control over loading, import "kompetens/web" and
// call its default export (`init`) yourself.
import init from "../pkg/kompetens_wasm.js";

await init({ module_or_path: new URL("../pkg/kompetens_wasm_bg.wasm", import.meta.url) });

export {
  Scorer,
  assessmentsFromCsv,
  builtinFramework,
  calibration,
  call,
  cronbachAlpha,
  distribution,
  dsiClassify,
  dsiSummarise,
  dsiThresholds,
  gapReport,
  interpolatedMedian,
  loadFramework,
  loadInstrument,
  paired,
  pairedT,
  parsePolicy,
  radarChart,
  reconcile,
  resolveProfile,
  scoreAnswers,
  scoreSurvey,
  surveyAssessments,
  surveyLevels,
  toCamel,
  toSnake,
  topBox,
  version,
  wilcoxon,
  wilcoxonDifferences,
} from "../pkg/kompetens_wasm.js";
