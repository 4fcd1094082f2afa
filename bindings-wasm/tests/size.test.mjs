// Size budget of the WebAssembly module: under 200 KB (204,800 B) gzipped
// (zlib level 9, as a web server would send it). Prints raw, wasm-opt'd,
// gzipped and brotli sizes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const LIMIT = Number(process.env.KOMPETENS_WASM_GZIP_LIMIT ?? 200 * 1024);

test("the .wasm is under 200 KB gzipped", () => {
  const wasm = readFileSync(new URL("../pkg/kompetens_wasm_bg.wasm", import.meta.url));
  const gz = gzipSync(wasm, { level: 9 }).length;
  const br = brotliCompressSync(wasm, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const cargo = new URL("../../target/wasm32-unknown-unknown/release-wasm/kompetens_wasm.wasm", import.meta.url);
  const raw = existsSync(cargo) ? `${statSync(cargo).size} B from cargo, ` : "";
  console.log(
    `kompetens wasm: ${raw}${wasm.length} B after wasm-opt, ${gz} B gzipped, ${br} B brotli (gzip limit ${LIMIT} B)`,
  );
  // the Node build is the same module
  assert.equal(readFileSync(new URL("../pkg-node/kompetens_wasm_bg.wasm", import.meta.url)).length, wasm.length);
  assert.ok(gz < LIMIT, `gzipped wasm is ${gz} B, over the ${LIMIT} B budget`);
});
