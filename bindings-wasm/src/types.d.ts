
/** A text in several languages, keyed by language tag (`"en"`, `"sv"`). */
export type Text = Record<string, string>;

/** Evidence source of a rating; `manager` is the medarbetarsamtal. */
export type Source = "self" | "manager" | "test" | "activity";

/** Named weights: critical = 3, important = 2, useful = 1 (the default). */
export type NamedWeight = "critical" | "important" | "useful";

/** One level of a proficiency scale. */
export interface Level {
  level: number;
  name: Text;
  group?: string;
  sublevel?: string;
  complexity?: Text;
  autonomy?: Text;
  cognitiveDomain?: Text;
  descriptor?: Text;
}

/** A group of levels (e.g. DigComp 2.2's Foundation … Highly specialised). */
export interface LevelGroup {
  id: string;
  name: Text;
  description?: Text;
}

/** The ordered proficiency scale of a framework. */
export interface ProficiencyScale {
  groups?: LevelGroup[];
  levels: Level[];
}

/** A competence with a stable id such as `"2.4"`. */
export interface Competence {
  id: string;
  name: Text;
  description?: Text;
}

/** A competence area. */
export interface Area {
  id: string;
  name: Text;
  description?: Text;
  competences: Competence[];
}

/** A translation of a framework's texts and whether it is official. */
export interface Translation {
  lang: string;
  official: boolean;
  note?: string;
}

/** A competence framework such as DigComp 2.2. */
export interface Framework {
  id: string;
  version: string;
  name: Text;
  description?: Text;
  source?: string;
  translations?: Translation[];
  scale: ProficiencyScale;
  areas: Area[];
}

/** A built-in framework name (`"digcomp-2.2"`, `"digcomp-3.0"`) or a framework object. */
export type FrameworkRef = string | Framework;

/** A required level and weight for one competence. */
export interface Requirement {
  competence: string;
  level: number;
  weight?: NamedWeight | number;
}

/** A role profile (yrkesroll); it may extend another profile. */
export interface RoleProfile {
  id: string;
  name?: Text;
  description?: Text;
  extends?: string;
  framework?: string;
  requirements?: Requirement[];
}

/** A set of role profiles: a list, or `{profiles: [...]}`. */
export type ProfileSetInput = RoleProfile[] | { profiles: RoleProfile[] };

/** A requirement after inheritance is resolved. */
export interface EffectiveRequirement {
  competence: string;
  area: string;
  level: number;
  weight: number;
  /** The profile the requirement comes from. */
  from: string;
}

/** A role profile with inheritance resolved. */
export interface EffectiveProfile {
  id: string;
  name?: Text;
  framework: string;
  chain: string[];
  requirements: EffectiveRequirement[];
}

/** One rating of one competence from one source. */
export interface Rating {
  competence: string;
  level: number;
  source: Source;
  date?: string;
}

/** `{competenceId: level}`, or a list of ratings with their sources. */
export type Ratings = Record<string, number> | Rating[];

/** A reconciliation policy in object form. */
export type PolicyObject =
  | { kind: "prefer"; order: Source[] }
  | { kind: "max" }
  | { kind: "min" }
  | { kind: "only"; source: Source };

/** A policy string (`"prefer:manager,test,self"`, `"max"`, `"min"`, `"only:manager"`) or object. */
export type Policy = string | PolicyObject;

/** Options of `gapReport` and `reconcile`. */
export interface PolicyOptions {
  policy?: Policy;
}

/**
 * Options of `loadFramework` when given text. Only JSON: the JS package has
 * no TOML reader (`"toml"` throws `unsupported_format` at `format`).
 */
export interface LoadFrameworkOptions {
  format?: "json";
}

/** Options of `loadInstrument` and `loadMaturityModel` when given text (JSON only). */
export interface FormatOptions {
  format?: "json";
}

/** Options of `assessmentsFromCsv`. */
export interface CsvOptions {
  form: "long" | "wide";
  source?: Source;
}

/** One person's assessment in one wave. */
export interface Assessment {
  person: string;
  role?: string;
  unit?: string;
  wave?: string;
  date?: string;
  ratings?: Rating[];
}

/** One requirement compared with the current level. */
export interface Gap {
  competence: string;
  area: string;
  required: number;
  /** `null` when the competence is not rated. */
  current: number | null;
  source?: Source;
  gap: number | null;
  weight: number;
  weightedGap: number | null;
  met: boolean | null;
}

/** A person's gap report. */
export interface GapReport {
  role: string;
  framework: string;
  /** Weighted share of rated requirements that are met; `null` if none is rated. */
  readiness: number | null;
  gaps: Gap[];
  /** Required competences without a rating (never counted as 0). */
  missing: string[];
  /** Unmet requirements, most pressing first. */
  plan: string[];
  requirements: number;
  rated: number;
  met: number;
  totalWeightedGap: number;
}

/** The level chosen for one competence by `reconcile`. */
export interface ReconciledLevel {
  competence: string;
  level: number;
  source: Source | null;
}

/** How self and manager ratings of one competence differ. */
export interface CompetenceCalibration {
  competence: string;
  pairs: number;
  meanDifference: number | null;
  shareSelfAbove: number | null;
  shareEqual: number | null;
  shareSelfBelow: number | null;
}

/** Calibration report, one entry per competence. */
export interface CalibrationReport {
  framework: string;
  competences: CompetenceCalibration[];
}

/** Stable error codes. */
export type ErrorCode =
  | "parse_error"
  | "csv_error"
  | "unknown_builtin"
  | "duplicate_id"
  | "empty"
  | "invalid_scale"
  | "unknown_reference"
  | "unknown_competence"
  | "unknown_profile"
  | "level_out_of_scale"
  | "inheritance_cycle"
  | "invalid_weight"
  | "invalid_value"
  | "missing_value"
  | "ambiguous_ratings"
  | "invalid_policy"
  | "shape_mismatch"
  | "unknown_operation"
  | "tree_cycle"
  | "value_out_of_scale"
  | "insufficient_data"
  | "unsupported_format";

/** What every function throws: an `Error` with the core's stable code. */
export interface KompetensError extends Error {
  name: "KompetensError";
  code: ErrorCode;
  category: "parse" | "reference" | "validation";
  /** JSON path (`areas[2].competences[1].id`) or CSV line and column. */
  location: string;
}

// ---- survey scoring -------------------------------------------------------

/** One respondent's answers by item id (`null` or a left-out item = missing). */
export type Answers = Record<string, number | null>;

/** A level strategy: `"digcompsat"` (default), `"floor8"`, or threshold bands. */
export type Strategy = "digcompsat" | "floor8" | LevelStrategy;

/** Options of `scoreSurvey`, `scoreAnswers` and `new Scorer`. */
export interface ScoreOptions {
  /** Framework of the competence targets (default: the instrument's `framework`). */
  framework?: FrameworkRef;
  strategy?: Strategy;
  /** Minimum answered share for a score (default 0.5). */
  minAnswered?: number;
  basis?: MissingBasis;
  areaMethod?: AreaMethod;
}

/** Options of `surveyAssessments`. */
export interface SurveyAssessmentOptions extends ScoreOptions {
  /** Source of the ratings: `self` (default) or `test`. */
  source?: "self" | "test";
}

/** Options of `surveyLevels`. */
export interface LevelOptions {
  strategy?: Strategy;
}

/** The level of one score (`surveyLevels`). */
export interface ScoreLevel {
  score: number | null;
  percent: number | null;
  level: number | null;
  label: string | null;
}

/** The ends of an answer scale. */
export interface ScaleRange {
  min: number;
  max: number;
}

// ---- statistics and DSI (kompetens/full and Node) --------------------------

/** Options of `cronbachAlpha`. */
export interface AlphaOptions {
  /** Item names, one per column (they label `items` and may be used in `reverse`). */
  items?: string[];
  /** `pairwise` (default, as psych and pingouin) or `listwise`. */
  missing?: MissingPolicy;
  /** Confidence level of Feldt's interval (default 0.95). */
  ciLevel?: number;
  /** Answer scale: values are checked against it; reverse keying uses its ends. */
  scale?: ScaleRange;
  /** Reverse-keyed columns, by index or item name (needs `scale`). */
  reverse?: (number | string)[];
}

/** Options of `interpolatedMedian`. */
export interface MedianOptions {
  /** Width of the class around each value (default 1). */
  interval?: number;
}

/** Result of `interpolatedMedian`. */
export interface MedianResult {
  median: number | null;
  n: number;
  missing: number;
}

/** Top-box and bottom-box shares (of the valid answers). */
export interface TopBox {
  n: number;
  missing: number;
  topBox: number | null;
  topTwoBox: number | null;
  bottomBox: number | null;
  bottomTwoBox: number | null;
}

/** The count of one scale value. */
export interface ValueCount {
  value: number;
  count: number;
  share: number | null;
}

/** Counts of each value of a whole-number scale. */
export interface Distribution {
  n: number;
  missing: number;
  counts: ValueCount[];
}

/** Alternative hypothesis about `after − before`. */
export type Alternative = "two-sided" | "greater" | "less";

/** How the Wilcoxon p-value is computed. */
export type WilcoxonMethod = "auto" | "exact" | "asymptotic" | "permutation";

/** Options of `wilcoxon` and `wilcoxonDifferences` (scipy's defaults). */
export interface WilcoxonOptions {
  alternative?: Alternative;
  method?: WilcoxonMethod;
  /** Continuity correction of the normal approximation (default false). */
  correction?: boolean;
  /** Decimals the differences are rounded to before ranking. */
  rounding?: number;
}

/** Wilcoxon signed-rank test. */
export interface WilcoxonResult {
  n: number;
  missing: number;
  zeros: number;
  ties: boolean;
  statistic: number;
  rPlus: number;
  rMinus: number;
  pvalue: number;
  z: number | null;
  method: WilcoxonMethod;
  alternative: Alternative;
  correction: boolean;
  rankBiserial: number;
}

/** Options of `pairedT`. */
export interface PairedTOptions {
  alternative?: Alternative;
  /** Confidence level of the interval of the mean difference (default 0.95). */
  ciLevel?: number;
}

/** Paired t-test. */
export interface PairedT {
  n: number;
  missing: number;
  meanDifference: number;
  sdDifference: number | null;
  t: number | null;
  df: number;
  pvalue: number | null;
  ci: [number | null, number | null] | null;
  ciLevel: number;
  dZ: number | null;
  alternative: Alternative;
}

/** Options of `paired`. */
export interface PairedOptions extends WilcoxonOptions {
  ciLevel?: number;
}

/** Paired comparison of two waves. */
export interface PairedComparison {
  n: number;
  missing: number;
  meanBefore: number;
  meanAfter: number;
  meanDifference: number;
  dZ: number | null;
  tTest: PairedT;
  wilcoxon: WilcoxonResult | null;
}

/** A DSI area id. */
export type DsiArea = "information" | "communication" | "content" | "safety" | "problem_solving";

/**
 * Activity counts of one person: 5 numbers in area order, an object by
 * area, or `null` (not assessed).
 */
export type DsiCounts = [number, number, number, number, number] | Record<DsiArea, number> | null;

/** Overall DSI 2.0 category. */
export type DsiCategory = "above_basic" | "basic" | "low" | "narrow" | "limited" | "no_skills" | "not_assessed";

/** Options of `dsiClassify`. */
export interface DsiClassifyOptions {
  thresholds?: DsiThresholds;
}

/** Options of `dsiSummarise`. */
export interface DsiSummariseOptions {
  /** One weight per person (default equal). */
  weights?: number[];
  thresholds?: DsiThresholds;
}

/** One area of a DSI result. */
export interface DsiAreaResult {
  area: DsiArea;
  count: number;
  level: "none" | "basic" | "above_basic";
}

/** A person's DSI 2.0 result. */
export interface DsiResult {
  areas: DsiAreaResult[];
  areasAtLeastBasic: number;
  category: DsiCategory;
  atLeastBasic: boolean;
}

/** Share of one category in a population. */
export interface DsiCategoryShare {
  category: DsiCategory;
  count: number;
  weight: number;
  share: number;
}

/** DSI population summary. */
export interface DsiSummary {
  n: number;
  totalWeight: number;
  categories: DsiCategoryShare[];
  /** Share with at least basic overall skills (the headline indicator). */
  atLeastBasic: number;
  atLeastBasicOfAssessed: number | null;
}

// ---- digital maturity (kompetens/full and Node) -----------------------------

/** A built-in maturity model name (`"dimios"`, `"edih-dma-pso"`) or a model object. */
export type MaturityModelRef = string | MaturityModel;

/** A dimension result given by percentage. */
export interface DimensionValue {
  id: string;
  percentage: number;
}

/** Options of `scoreMaturity`. */
export interface ScoreMaturityOptions {
  /** The unit of each response row (or `responses.units`). */
  units?: (string | null)[];
  /** The organisation tree (units with parents). */
  tree?: Unit[];
  settings?: Partial<MaturitySettings>;
  /** Items to score with instead of the model's (e.g. licensed statements). */
  instrument?: MaturityInstrument;
}

/** Options with maturity `settings`. */
export interface MaturitySettingsOptions {
  settings?: Partial<MaturitySettings>;
}

/** Options of `overallFromDimensions`. */
export interface OverallOptions extends MaturitySettingsOptions {
  /** Decimals the given percentages were rounded to (gives the interval of possible overall values). */
  inputsRoundedToDecimals?: number;
}

/** Options of `benchmarkMaturity`. */
export interface BenchmarkOptions {
  /** Id of the organisation itself among the peers (left out of the peer mean). */
  organisation?: string;
}

/** Options of `scoreDma`. */
export interface DmaOptions {
  /** Default `edih-dma-pso`. */
  model?: MaturityModelRef;
  settings?: Partial<DmaSettings>;
}

/** Options of every chart function (`lang`, `width`, `title`, `desc`, `id`). */
export type ChartDrawOptions = Partial<ChartOptions>;

/** Options of `radarChart`: chart options and, for a gap report, the axes. */
export interface RadarChartOptions extends ChartDrawOptions {
  /** Default: the report's framework, by name. */
  framework?: FrameworkRef;
  /** `"area"` (default) or `"competence"`. */
  by?: "area" | "competence";
  /** More series, levels by competence id (per area: their mean). */
  extra?: { levels: Record<string, number>; label?: string; kind?: SeriesKind }[];
}

/** Options of `heatmapChart` for a published aggregation. */
export interface HeatmapChartOptions extends ChartDrawOptions {
  metric?: HeatMetric;
  scope?: "own" | "rollup";
  by?: "competence" | "area";
  /** One role's cells (the role × unit table). */
  role?: string;
  /** Display names of units by id. */
  unitNames?: Record<string, string>;
  framework?: FrameworkRef;
}

/** Options of `dimiosQuadrantChart` for a maturity result. */
export interface QuadrantChartOptions extends ChartDrawOptions {
  peers?: { id: string; type?: string; result: object }[];
  /** Default `"dimios"`. */
  model?: MaturityModelRef;
  /** Cut points (`quadrantCutX`, `quadrantCutY`); default: the result's settings. */
  settings?: Partial<MaturitySettings>;
  /** Name of the organisation. */
  label?: string;
}

/** Options of `dimiosSpiderChart` for a maturity result or benchmark. */
export interface SpiderChartOptions extends ChartDrawOptions {
  /** Other organisations' results: their mean per category is drawn. */
  peers?: object[];
  model?: MaturityModelRef;
  label?: string;
}

/** Options of `changeChart` for a wave or maturity comparison. */
export interface ChangeChartOptions extends ChartDrawOptions {
  by?: "competence" | "area" | "dimension" | "category" | "capability";
  model?: MaturityModelRef;
  unit?: string;
  scope?: "own" | "rollup";
  framework?: FrameworkRef;
  beforeLabel?: string;
  afterLabel?: string;
}
