// Type-checked (not run) by types.test.mjs with `tsc --noEmit` and bundler
// resolution, as a bundler or a browser app sees the package: "kompetens"
// and "kompetens/full" resolve to web/index.d.ts and web/full.d.ts, which
// declare exactly what web/index.js and web/full.js export (initialised on
// import: no `init`, no `initSync`).
import {
  builtinFramework,
  gapReport,
  radarChart,
  Scorer,
  loadInstrument,
  type Framework,
  type GapReport,
  type Instrument,
} from "kompetens";
import { heatmapChart, cronbachAlpha, type Reliability } from "kompetens/full";
import init, { initSync } from "kompetens/web";

const fw: Framework = builtinFramework("digcomp-2.2");
const report: GapReport = gapReport(fw, { id: "r", requirements: [{ competence: "1.1", level: 3 }] }, { "1.1": 2 });
const svg: string = radarChart(report, { lang: "sv" });
const instrument: Instrument = loadInstrument({
  id: "t",
  items: [{ id: "q1", target: "1.1", scale: { min: 1, max: 5 } }],
});
const scorer = new Scorer(instrument);
scorer.free();
const alpha: Reliability = cronbachAlpha([[1, 2], [2, 3], [3, 3]]);
const heat: string = heatmapChart({ rows: [{ label: "A" }], columns: [{ label: "1.1" }], cells: [[{ withheld: "primary" }]] });
// the explicit loader is "kompetens/web"
const loading: Promise<unknown> = init();
void [svg, alpha, heat, loading, initSync];

// @ts-expect-error the form build has no heatmap (it is in "kompetens/full")
import { heatmapChart as notInForm } from "kompetens";
// @ts-expect-error "kompetens" is initialised on import: no default `init`
import initForm from "kompetens";
import { initSync as notAValue } from "kompetens";
// @ts-expect-error only a type here: "kompetens" exports no `initSync` value
notAValue(new Uint8Array());
void [notInForm, initForm];
