// ESM entry point for Node: the wasm-bindgen `--target nodejs` build is
// CommonJS and instantiates the module synchronously when loaded.
import kompetens from "../pkg-node/kompetens_wasm.js";

export const {
  assessmentsFromCsv,
  builtinFramework,
  calibration,
  call,
  gapReport,
  loadFramework,
  parsePolicy,
  reconcile,
  resolveProfile,
  toCamel,
  toSnake,
  version,
} = kompetens;
