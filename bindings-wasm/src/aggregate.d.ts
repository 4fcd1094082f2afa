/** A person as a record (`aggregateGaps`, `trainingDemand`). */
export interface AggregatePerson {
  id?: string | null;
  /** Unit id (a unit of the tree). */
  unit: string;
  /** Role id (a profile id when `profiles` are given). */
  role?: string | null;
  /** Current level per competence id; `null` or absent = not rated. */
  levels?: Record<string, number | null>;
  /** Required level per competence id (without `profiles`); 0 = none. */
  required?: Record<string, number> | null;
}

/**
 * The organisation and its people: `people` records, or matrices
 * (`competences`, `levels` people × competences with -1/null = missing,
 * `units`, optional `roles` and `required`). Requirements come from the
 * role `profiles` (with `framework`) or from `required`.
 */
export interface AggregateData {
  tree: TreeSpec;
  framework?: FrameworkRef | null;
  profiles?: ProfileSetInput | null;
  people?: AggregatePerson[] | null;
  competences?: string[] | null;
  levels?: (number | null)[][] | null;
  units?: string[] | null;
  roles?: (string | null)[] | null;
  required?: number[][] | null;
  /** Weight per competence id (default 1). */
  weights?: Record<string, number> | null;
  /** Role ids, in order (without `profiles`; default: sorted distinct roles). */
  roleIds?: string[] | null;
  levelMin?: number | null;
  levelMax?: number | null;
}

/** Options of `auditPublication`. */
export interface AuditOptions {
  /** Smallest group published (default: the publication's, else 5). */
  minGroup?: number;
}

/** A person in a wave. */
export interface WavePerson {
  id: string;
  unit: string;
  role?: string | null;
  levels?: Record<string, number | null>;
}

/** Two waves of the same people (`aggregateWaves`). */
export interface WavesInput {
  framework?: FrameworkRef | null;
  competences?: string[] | null;
  levelMin?: number | null;
  levelMax?: number | null;
  tree: TreeSpec;
  before: WavePerson[];
  after: WavePerson[];
}

/** Options of `aggregateWaves`. */
export interface WavesOptions {
  /** Smallest group published (default 5). */
  minGroup?: number;
  suppression?: Suppression;
  /** Add each person's change (`changes`). */
  perPerson?: boolean;
}

/** A learning activity of a catalogue. */
export interface LearningActivity {
  id: string;
  competences: string[];
  levelFrom: number;
  levelTo: number;
  /** Seats; `null` = unlimited. */
  capacity?: number | null;
  format?: string | null;
}

/** Options of `trainingDemand`. */
export interface TrainingDemandOptions {
  /** Smallest group published (default 5). */
  minGroup?: number;
  catalogue?: LearningActivity[] | null;
  /** Most activities recommended per person (default 3). */
  maxPerPerson?: number;
  /**
   * The demand list is protected together with the gap table that
   * `aggregateGaps` publishes with the same `minGroup`, `suppression`,
   * `roleTable` and `areas` (defaults as there): pass the ones the gap
   * table is published with. The role × unit table is not part of the
   * joint protection: `roleUnitTable: true` throws `invalid_value` when the
   * data has roles.
   */
  suppression?: Suppression;
  roleTable?: boolean | null;
  roleUnitTable?: boolean;
  areas?: boolean | null;
}

/** One recommendation for a person. */
export interface Recommendation {
  person: string;
  unit: string;
  rank: number;
  activity: string;
  competences: string[];
  weightedNeed: number;
}

/** One line of a unit's plan. */
export interface PlanLine {
  unit: string;
  activity: string;
  format?: string | null;
  participants: number;
  weightedNeed: number;
}

/** The result of `trainingDemand`. */
export interface TrainingDemand {
  minGroup: number;
  demand: DemandLine[];
  recommendations?: Recommendation[];
  plan?: PlanLine[];
  uncoveredWeightedNeed?: number;
}
