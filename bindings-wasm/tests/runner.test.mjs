// The vector runner: matching rules (tests/vectors/README.md) and the
// standalone command line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { mismatch, runCase } from "kompetens/vectors";

const runner = fileURLToPath(new URL("../vectors.mjs", import.meta.url));
const fixture = fileURLToPath(new URL("./fixtures/runner-check.json", import.meta.url));

test("matching: extra keys allowed, arrays exact length, numbers within tolerance", () => {
  assert.equal(mismatch({ a: 1 }, { a: 1, b: 2 }), null);
  assert.match(mismatch({ a: 1, c: null }, { a: 1 }), /\$\.c: missing/);
  assert.match(mismatch([1, 2], [1, 2, 3]), /expected 2 elements/);
  assert.equal(mismatch([{ x: 1 }], [{ x: 1, y: 0 }]), null);
  assert.equal(mismatch(0.1 + 0.2, 0.3), null);
  assert.equal(mismatch(1e6, 1e6 + 1e-4), null); // relative: 1e-9 × 1e6 = 1e-3
  assert.match(mismatch(1, 1.00001), /expected 1, got 1.00001/);
  assert.equal(mismatch(3, 3.0), null);
  assert.match(mismatch(3, "3"), /expected 3/);
  assert.match(mismatch(null, 0), /expected null/);
  assert.match(mismatch(false, null), /expected false/);
  assert.equal(mismatch(0.5, 0.6, 0.2), null);
});

test("a case needs exactly one of expected and error", () => {
  assert.equal(runCase({ name: "x", op: "policy.parse", input: { policy: "max" } }).ok, false);
  const both = { name: "x", op: "policy.parse", input: { policy: "max" }, expected: {}, error: { code: "x" } };
  assert.equal(runCase(both).ok, false);
  assert.equal(runCase({ name: "x", op: "policy.parse", input: { policy: "max" }, expected: { kind: "max" } }).ok, true);
});

test("command line: PASS/FAIL per case, summary line, exit 1 on failure", () => {
  const r = spawnSync(process.execPath, [runner, fixture], { encoding: "utf8" });
  const lines = r.stdout.trim().split("\n");
  assert.equal(r.status, 1, r.stderr);
  assert.deepEqual(lines.slice(0, 2), ["PASS runner-check.json: passes", "PASS runner-check.json: passes-error"]);
  assert.match(lines[2], /^FAIL runner-check\.json: fails-number: \$\.totalWeightedGap: expected 5, got 6$/);
  assert.match(lines[3], /^FAIL runner-check\.json: fails-error-code: expected error parse_error, got invalid_policy/);
  assert.equal(lines.at(-1), "2 passed, 2 failed");
});

test("command line: usage without files, exit 0 when all pass", () => {
  let r = spawnSync(process.execPath, [runner], { encoding: "utf8" });
  assert.equal(r.status, 2);
  const shared = fileURLToPath(new URL("../../tests/vectors/gaps.json", import.meta.url));
  r = spawnSync(process.execPath, [runner, shared], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stdout);
  assert.match(r.stdout.trim().split("\n").at(-1), /^\d+ passed, 0 failed$/);
});

test("command line: a file that is not a vector file fails", () => {
  const r = spawnSync(process.execPath, [runner, runner], { encoding: "utf8" });
  assert.equal(r.status, 1);
  assert.match(r.stdout, /FAIL vectors\.mjs: \(file\)/);
});
