// Entry point for browsers and bundlers: the wasm-bindgen `--target web`
// build, initialised once with top-level await, so the functions can be
// called right after `import`. For explicit control over loading, import
// "kompetens/web" and call its default export (`init`) yourself.
import init from "../pkg/kompetens_wasm.js";

await init({ module_or_path: new URL("../pkg/kompetens_wasm_bg.wasm", import.meta.url) });

export {
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
} from "../pkg/kompetens_wasm.js";
