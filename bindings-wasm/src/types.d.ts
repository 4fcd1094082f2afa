
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

/** Options of `loadFramework` when given text. */
export interface LoadFrameworkOptions {
  format?: "json" | "toml";
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
  | "unknown_operation";

/** What every function throws: an `Error` with the core's stable code. */
export interface KompetensError extends Error {
  name: "KompetensError";
  code: ErrorCode;
  category: "parse" | "reference" | "validation";
  /** JSON path (`areas[2].competences[1].id`) or CSV line and column. */
  location: string;
}
