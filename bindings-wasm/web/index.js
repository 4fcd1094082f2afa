// Entry point `kompetens` for browsers and bundlers: the form build (competence
// model and survey scoring: what a self-assessment web form needs; no
// statistics, CSV import, DSI or digital maturity — import "kompetens/full"
// for those), wasm-bindgen `--target web`, initialised once
// with top-level await, so the functions can be called right after
// `import`. For explicit control over loading, import "kompetens/web" and
// call its default export (`init`) yourself.
import init from "../pkg/kompetens_wasm.js";

await init({ module_or_path: new URL("../pkg/kompetens_wasm_bg.wasm", import.meta.url) });

export {
  Scorer,
  builtinFramework,
  calibration,
  call,
  gapReport,
  loadFramework,
  loadInstrument,
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
  version,
} from "../pkg/kompetens_wasm.js";
