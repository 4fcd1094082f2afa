// Declarations of the browser/bundler entry `kompetens` (web/index.js):
// the form build (competence model, survey scoring, radarChart), initialised on import with top-level await. Only
// the functions web/index.js exports are values here; wasm-bindgen's `init`
// (default export) and `initSync` belong to "kompetens/web", which loads
// explicitly. Every declared type of the build is re-exported as a type.
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
export type * from "../pkg/kompetens_wasm.js";
