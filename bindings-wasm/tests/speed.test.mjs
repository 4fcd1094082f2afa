// Micro-benchmark of scoring one respondent's answers for a web form: an
// 82-item instrument over DigComp 2.2's 21 competences (a DigCompSAT-sized
// form). Prints the time per call of scoreAnswers (instrument sent and
// checked on every call) and of a Scorer (instrument compiled once);
// asserts no timing (machines differ), only that both give one report.
import { test } from "node:test";
import assert from "node:assert/strict";
import { builtinFramework, scoreAnswers, Scorer } from "kompetens";

const competences = builtinFramework("digcomp-2.2").areas.flatMap((a) => a.competences.map((c) => c.id));
const items = Array.from({ length: 82 }, (_, i) => ({
  id: `q${i + 1}`,
  target: competences[i % competences.length],
  text: { en: `Statement ${i + 1}`, sv: `Påstående ${i + 1}` },
  kind: ["knowledge", "skill", "attitude"][i % 3],
  ...(i % 9 === 0 ? { reverse: true } : {}),
}));
const instrument = { id: "form-82", framework: "digcomp-2.2", scale: { min: 1, max: 5 }, items };
const answers = Object.fromEntries(items.map((it, i) => [it.id, i % 11 === 0 ? null : (i % 5) + 1]));

/** Mean time per call in microseconds, after a warm-up. */
function perCall(fn, calls) {
  for (let i = 0; i < 50; i++) fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1e3 / calls;
}

test("scoring one respondent of an 82-item instrument: time per call", () => {
  const scorer = new Scorer(instrument);
  assert.deepEqual(scorer.score(answers), scoreAnswers(instrument, answers));
  assert.equal(scorer.score(answers).respondents[0].scores.length, 21);
  const once = perCall(() => scoreAnswers(instrument, answers), 300);
  const compiled = perCall(() => scorer.score(answers), 2000);
  console.log(
    `scoring 82 answers: scoreAnswers ${once.toFixed(0)} µs/call, Scorer.score ${compiled.toFixed(0)} µs/call (Node ${process.version})`,
  );
});
