// Type-checked (not run) by types.test.mjs with `tsc --noEmit`: the
// generated declarations describe the API as the README uses it.
import {
  builtinFramework,
  gapReport,
  loadFramework,
  parsePolicy,
  reconcile,
  resolveProfile,
  assessmentsFromCsv,
  calibration,
  version,
  type EffectiveProfile,
  type Framework,
  type GapReport,
  type KompetensError,
  type PolicyObject,
  type ReconciledLevel,
} from "kompetens";
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

const ready: Promise<unknown> = init();
void [ready, initSync, webGapReport, ids, label, readiness, weighted, levels, policy, v];
