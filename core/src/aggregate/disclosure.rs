//! Disclosure control on additive tables: primary and secondary cell
//! suppression, and an audit of what an adversary can recover.
//!
//! # The model
//!
//! A *problem* is a set of cells and a set of additive *relations*
//! `Σ aᵢ·xᵢ = 0` with `aᵢ ∈ {+1, −1}` (for example
//! `rollup(parent) − own(parent) − Σ rollup(child) = 0`). Each cell is
//! *published* (its value is known), *withheld* (with a reason, `primary`,
//! `secondary` or `rolled_up`) or *unpublished* (not in the tables at all).
//! The audited value of a cell is its number of rated person–requirement
//! pairs (for a competence cell: the people counted), a non-negative
//! integer. A priori bounds follow from what is published about a withheld
//! cell: a `primary` cell has between 1 and `min_group − 1` people (cells
//! with nobody counted are published as zeros), a `secondary` cell at
//! least `min_group`; every count is ≥ 0. An area row of `m ≥ 2`
//! competences is withheld exactly when one of its competence rows is
//! (`primary` when one of them is primary): its a priori bounds are at
//! least 1 pair when `primary` and at least `min_group` when `secondary`,
//! with no upper bound.
//!
//! # Determined
//!
//! An *integer completion* of the published tables is an assignment of a
//! non-negative integer to every unknown (withheld or unpublished) cell
//! that satisfies every relation and every a priori bound. The true values
//! are one completion. An adversary who knows the published values, the
//! reasons and the relations learns a withheld cell's value **exactly**
//! when all integer completions agree on it; the cell is then
//! *determined*. Nothing weaker counts as a finding here: a narrow interval
//! (approximate disclosure) is not reported.
//!
//! # What the audit proves
//!
//! For every withheld cell, the audit decides whether it is determined, in
//! three steps, per connected component of unknown cells:
//!
//! 1. **linear** (structure, exact): the cell is determined by the linear
//!    system iff its unit vector lies in the row space of the relation
//!    matrix restricted to the unknown cells. Decided by Gauss–Jordan
//!    elimination in exact integer arithmetic (`i128`, rows divided by
//!    their gcd after every step). This covers every additive statistic at
//!    once (people, missing, meeting, shortfall, weighted need, level
//!    histogram), since they all obey the same relations.
//! 2. **bounds** (values, sound): interval propagation over the relations
//!    with non-negativity and the reason bounds, iterated to a fixpoint; a
//!    cell whose interval collapses to one value is determined (this covers
//!    "a 0-total makes all parts 0" and "two primaries that sum to
//!    2·(min_group − 1)").
//! 3. **integer** (values, complete when it finishes): when every interval
//!    is finite, an exhaustive branch-and-propagate search over integer
//!    solutions decides whether each cell can take two different values. It
//!    has a node budget; when the budget runs out the component is reported
//!    as not completely decided (`complete: false`).
//!
//! Severity: a **linear** finding recovers every statistic of the cell
//! (levels, coverage, shortfall, …). A **bounds** or **integer** finding
//! pins the cell's *count* (the number of people rated); the levels stay
//! hidden.
//!
//! # What secondary suppression guarantees
//!
//! [`protect`] withholds, for every determined cell `x`, the cheapest set
//! of published cells found by `release`: the published cells touched by
//! a *move* — a change of the true values by ±1 steps that keeps every
//! relation balanced and every cell within its bounds (withheld cells
//! within their reason's bounds, the newly withheld ones at `≥ min_group`)
//! and changes `x`. The moved values are a second integer completion, so
//! after withholding, `x` and every cell of the move are undetermined by
//! any reasoning — linear, bounds or exhaustive. Withholding more cells
//! only adds completions, so nothing undetermined becomes determined; the
//! loop ends when the audit finds nothing it can still fix.
//!
//! - **Hierarchical tables** (every cell in at most two relations, as a
//!   total and as a part: the `unit` table per competence, with or without
//!   the role totals, in both the `secondary` and the "rolled into parent"
//!   modes): the move search is Dijkstra's algorithm on the residual graph
//!   and finds a move whenever one exists. The output is then free of
//!   findings, except those **inherent** in the reasons, which no
//!   withholding can remove: they remain when every non-empty cell is
//!   withheld. Example: a subtree whose total is itself primary at
//!   `min_group − 1` and whose parts are all primary at 1 (e.g.
//!   `3 = 1 + 1 + 1` with `min_group = 4`: every count follows from
//!   "primary" alone); with `min_group = 2` every primary cell is 1 by its
//!   reason. These are reported as size findings.
//! - **Cross-classified tables** (cells in three relations: the
//!   `role_unit` table; four with the role totals): the move search is a
//!   heuristic with budgets, then the older greedy rule (a sibling, a
//!   part, a total, smallest first, with a short look-ahead), then, for a
//!   count still pinned, a last resort: withhold the greedy candidates one
//!   by one until it is not, and publish back those not needed
//!   (`grow_and_shrink`). On the tests' random organisations (2,000 with
//!   role totals and area rows) this leaves nothing that withholding
//!   could remove; the greedy rule alone left 45 counts on 7 of them.
//!   Every linear finding is removed, and size findings that remain are
//!   reported.
//! - **Area rows** do not take part: [`super::publish`] protects the
//!   competence rows and then withholds every area row one of whose
//!   competence rows is withheld, so a published area row is the sum of
//!   published rows and a withheld one's reason follows from theirs.
//!
//! Tested against an adversary written independently (`core/tests/
//! adversary.rs`): on hundreds of random organisations (unit table with and
//! without role totals, "rolled into parent", role × unit table) it
//! searches the integer completions and finds exactly the reported size
//! findings, every one of them inherent.
//!
//! Not covered: attribute (group) disclosure that a published cell implies
//! for all of its parts (a published coverage of 0 tells that nobody in any
//! part meets the requirement; that is a fact about the published group,
//! which suppression of its parts cannot hide); approximate disclosure
//! (narrow but not degenerate intervals); an adversary who knows the
//! suppression algorithm (the choice of the cheapest move says that the
//! cells it passes over were dearer); and knowledge beyond the tables,
//! such as the organisation's headcount.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Why a cell is withheld.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Fewer than `min_group` people.
    Primary,
    /// Withheld so that a primary cell cannot be recovered by differencing.
    Secondary,
    /// A small unit whose people are counted in its parent instead.
    RolledUp,
}

/// The state of a cell as the adversary sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Published with this value.
    Published(i64),
    /// Withheld, with the reason.
    Withheld(Reason),
    /// Not in the published tables.
    Unpublished,
}

impl Status {
    fn known(self) -> Option<i64> {
        match self {
            Status::Published(v) => Some(v),
            _ => None,
        }
    }
}

/// A cell of an audit problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditCell {
    /// What is published.
    pub status: Status,
    /// A priori lower bound when not published (≥ 0).
    pub lower: i64,
    /// A priori upper bound when not published (`None` = unbounded).
    pub upper: Option<i64>,
}

/// How a withheld cell was found to be determined.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Its unit vector lies in the row space of the relations.
    Linear,
    /// Interval propagation pins it to one value.
    Bounds,
    /// It takes one value in every integer solution.
    Integer,
}

/// One withheld cell that the published tables determine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Finding {
    /// Cell index.
    pub cell: usize,
    /// How it is determined.
    pub method: Method,
    /// The value the adversary recovers, when computed.
    pub value: Option<f64>,
}

/// The outcome of analysing a set of cells.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analysis {
    /// Determined withheld cells.
    pub findings: Vec<Finding>,
    /// False when some component was too large for the integer search or
    /// the exact arithmetic overflowed.
    pub complete: bool,
    /// False when the published values contradict the relations.
    pub consistent: bool,
    /// Number of connected components of unknown cells analysed.
    pub components: usize,
}

/// Node budget of the integer search per component.
const SEARCH_BUDGET: u64 = 200_000;
/// Largest component (unknown cells) the integer search is tried on.
const SEARCH_MAX_UNKNOWNS: usize = 400;

type Rel = Vec<(u32, i8)>;

/// Cells, relations and the cell → relations index.
#[derive(Debug, Clone)]
pub struct Auditor {
    cells: Vec<AuditCell>,
    relations: Vec<Rel>,
    rel_start: Vec<u32>,
    rel_list: Vec<u32>,
}

impl Auditor {
    /// Build an auditor. Relation terms must refer to existing cells.
    pub fn new(cells: Vec<AuditCell>, relations: Vec<Rel>) -> Auditor {
        let n = cells.len();
        let mut count = vec![0u32; n + 1];
        for r in &relations {
            for &(c, _) in r {
                if (c as usize) < n {
                    count[c as usize + 1] += 1;
                }
            }
        }
        for i in 0..n {
            count[i + 1] += count[i];
        }
        let rel_start = count.clone();
        let mut fill = count;
        let mut rel_list = vec![0u32; rel_start[n] as usize];
        for (ri, r) in relations.iter().enumerate() {
            for &(c, _) in r {
                if (c as usize) < n {
                    rel_list[fill[c as usize] as usize] = ri as u32;
                    fill[c as usize] += 1;
                }
            }
        }
        Auditor {
            cells,
            relations,
            rel_start,
            rel_list,
        }
    }

    /// The cells.
    pub fn cells(&self) -> &[AuditCell] {
        &self.cells
    }

    /// The relations.
    pub fn relations(&self) -> &[Rel] {
        &self.relations
    }

    /// Change a cell (used by the suppression loop).
    pub fn set(&mut self, cell: usize, value: AuditCell) {
        if let Some(c) = self.cells.get_mut(cell) {
            *c = value;
        }
    }

    fn rels_of(&self, cell: usize) -> &[u32] {
        let (a, b) = (
            self.rel_start[cell] as usize,
            self.rel_start[cell + 1] as usize,
        );
        &self.rel_list[a..b]
    }

    fn unknown(&self, cell: usize) -> bool {
        !matches!(self.cells[cell].status, Status::Published(_))
    }

    /// The connected component of unknown cells containing `seeds` (the
    /// unknown ones among them), and the relations touching it.
    pub fn component(&self, seeds: &[usize]) -> (Vec<usize>, Vec<usize>) {
        let mut seen_cell = BTreeSet::new();
        let mut seen_rel = BTreeSet::new();
        let mut queue: VecDeque<usize> = VecDeque::new();
        for &s in seeds {
            if s < self.cells.len() && self.unknown(s) && seen_cell.insert(s) {
                queue.push_back(s);
            }
        }
        while let Some(c) = queue.pop_front() {
            for &r in self.rels_of(c) {
                if seen_rel.insert(r as usize) {
                    for &(d, _) in &self.relations[r as usize] {
                        let d = d as usize;
                        if self.unknown(d) && seen_cell.insert(d) {
                            queue.push_back(d);
                        }
                    }
                }
            }
        }
        (
            seen_cell.into_iter().collect(),
            seen_rel.into_iter().collect(),
        )
    }

    /// Audit every withheld cell.
    pub fn audit(&self) -> Analysis {
        let mut done = vec![false; self.cells.len()];
        let mut out = Analysis {
            complete: true,
            consistent: true,
            ..Analysis::default()
        };
        for c in 0..self.cells.len() {
            if done[c] || !self.unknown(c) {
                continue;
            }
            let (unknowns, rels) = self.component(&[c]);
            for &u in &unknowns {
                done[u] = true;
            }
            let a = self.analyse(&unknowns, &rels);
            out.findings.extend(a.findings);
            out.complete &= a.complete;
            out.consistent &= a.consistent;
            out.components += 1;
        }
        out.findings.sort_by_key(|f| f.cell);
        out
    }

    /// Analyse one component (see the module docs).
    pub fn analyse(&self, unknowns: &[usize], rels: &[usize]) -> Analysis {
        let mut out = Analysis {
            complete: true,
            consistent: true,
            components: 1,
            ..Analysis::default()
        };
        let withheld = |c: usize| matches!(self.cells[c].status, Status::Withheld(_));
        if !unknowns.iter().any(|&c| withheld(c)) {
            return out;
        }
        let col: BTreeMap<usize, usize> =
            unknowns.iter().enumerate().map(|(i, &c)| (c, i)).collect();
        let system = self.system(&col, rels);
        let mut found: BTreeMap<usize, Finding> = BTreeMap::new();
        match linear_determined(&system, unknowns.len()) {
            Some(det) => {
                for (j, value) in det {
                    let cell = unknowns[j];
                    if withheld(cell) {
                        found.insert(
                            cell,
                            Finding {
                                cell,
                                method: Method::Linear,
                                value: Some(value),
                            },
                        );
                    }
                }
            }
            None => out.complete = false,
        }
        let Some(sys) = Sys::new(&system, unknowns.len()) else {
            out.complete = false;
            out.findings = found.into_values().collect();
            return out;
        };
        let mut bounds: Vec<(i64, i64)> = unknowns
            .iter()
            .map(|&c| {
                let cell = &self.cells[c];
                (cell.lower.max(0), cell.upper.unwrap_or(INF))
            })
            .collect();
        let fixpoint = match propagate_from(&sys, &mut bounds, Seeds::All) {
            Prop::Infeasible => {
                out.consistent = false;
                out.findings = found.into_values().collect();
                return out;
            }
            Prop::Fixpoint => true,
            Prop::Partial => false,
        };
        for (j, &(lo, hi)) in bounds.iter().enumerate() {
            let cell = unknowns[j];
            if hi == lo && withheld(cell) {
                found.entry(cell).or_insert(Finding {
                    cell,
                    method: Method::Bounds,
                    value: Some(lo as f64),
                });
            }
        }
        let finite = bounds.iter().all(|b| b.1 != INF);
        if finite && unknowns.len() <= SEARCH_MAX_UNKNOWNS {
            let mut budget = SEARCH_BUDGET;
            match integer_determined(&sys, &bounds, fixpoint, &mut budget) {
                Some(det) => {
                    for (j, value) in det {
                        let cell = unknowns[j];
                        if withheld(cell) {
                            found.entry(cell).or_insert(Finding {
                                cell,
                                method: Method::Integer,
                                value: Some(value as f64),
                            });
                        }
                    }
                }
                None => out.complete = false,
            }
        } else if finite {
            out.complete = false;
        }
        // Unbounded cells: the integer step does not apply; the linear and
        // bounds results stand (sound, possibly incomplete).
        out.findings = found.into_values().collect();
        out
    }

    /// Rows `Σ a_j x_j = b` over the component's columns.
    fn system(
        &self,
        col: &BTreeMap<usize, usize>,
        rels: &[usize],
    ) -> Vec<(Vec<(usize, i128)>, i128)> {
        let mut rows = Vec::with_capacity(rels.len());
        for &r in rels {
            let mut terms: BTreeMap<usize, i128> = BTreeMap::new();
            let mut b: i128 = 0;
            for &(c, a) in &self.relations[r] {
                let c = c as usize;
                match self.cells[c].status.known() {
                    Some(v) => b -= i128::from(a) * i128::from(v),
                    None => {
                        if let Some(&j) = col.get(&c) {
                            *terms.entry(j).or_insert(0) += i128::from(a);
                        }
                    }
                }
            }
            let terms: Vec<(usize, i128)> = terms.into_iter().filter(|t| t.1 != 0).collect();
            rows.push((terms, b));
        }
        rows
    }
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a as i128
}

type Sparse = Vec<(usize, i128)>;

/// `a·x − b·y` of two sparse rows (sorted by column), divided by the gcd of
/// the result (the right-hand sides ride along). `None` on overflow.
fn combine(x: &Sparse, xr: i128, a: i128, y: &Sparse, yr: i128, b: i128) -> Option<(Sparse, i128)> {
    let mut out: Sparse = Vec::with_capacity(x.len() + y.len());
    let (mut i, mut j) = (0, 0);
    while i < x.len() || j < y.len() {
        let (c, v) = match (x.get(i), y.get(j)) {
            (Some(&(cx, vx)), Some(&(cy, vy))) if cx == cy => {
                i += 1;
                j += 1;
                (cx, vx.checked_mul(a)?.checked_sub(vy.checked_mul(b)?)?)
            }
            (Some(&(cx, vx)), Some(&(cy, _))) if cx < cy => {
                i += 1;
                (cx, vx.checked_mul(a)?)
            }
            (Some(&(cx, vx)), None) => {
                i += 1;
                (cx, vx.checked_mul(a)?)
            }
            (_, Some(&(cy, vy))) => {
                j += 1;
                (cy, vy.checked_mul(b)?.checked_neg()?)
            }
            (None, None) => break,
        };
        if v != 0 {
            out.push((c, v));
        }
    }
    let mut rhs = xr.checked_mul(a)?.checked_sub(yr.checked_mul(b)?)?;
    let g = out.iter().fold(rhs, |g, &(_, v)| gcd(g, v));
    if g > 1 {
        for t in out.iter_mut() {
            t.1 /= g;
        }
        rhs /= g;
    }
    Some((out, rhs))
}

fn coef(row: &Sparse, c: usize) -> i128 {
    row.binary_search_by_key(&c, |t| t.0)
        .map_or(0, |k| row[k].1)
}

/// Gauss–Jordan elimination in exact integers on sparse rows. Returns the
/// determined columns with their values, or `None` on overflow.
fn linear_determined(system: &[(Vec<(usize, i128)>, i128)], n: usize) -> Option<Vec<(usize, f64)>> {
    let mut rows: Vec<(Sparse, i128)> = system
        .iter()
        .filter(|(t, _)| !t.is_empty())
        .map(|(t, b)| {
            let mut t = t.clone();
            t.sort_unstable_by_key(|x| x.0);
            (t, *b)
        })
        .collect();
    let mut pivot_of_row: Vec<Option<usize>> = vec![None; rows.len()];
    let mut pivots: Vec<(usize, usize)> = Vec::new();
    // rows that may contain each column (stale entries are filtered by coef)
    let mut col_rows: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (r, (row, _)) in rows.iter().enumerate() {
        for &(c, _) in row {
            col_rows[c].push(r);
        }
    }
    for c in 0..n {
        let mut cand = std::mem::take(&mut col_rows[c]);
        cand.sort_unstable();
        cand.dedup();
        let Some(p) = cand
            .iter()
            .copied()
            .filter(|&r| pivot_of_row[r].is_none())
            .filter_map(|r| {
                let v = coef(&rows[r].0, c);
                (v != 0).then_some((v.unsigned_abs(), rows[r].0.len(), r))
            })
            .min()
            .map(|x| x.2)
        else {
            continue;
        };
        let (prow, prhs) = rows[p].clone();
        let pv = coef(&prow, c);
        for &r in &cand {
            if r == p {
                continue;
            }
            let f = coef(&rows[r].0, c);
            if f == 0 {
                continue;
            }
            let (row, rhs) = &rows[r];
            rows[r] = combine(row, *rhs, pv, &prow, prhs, f)?;
            for &(k, _) in &prow {
                if k > c {
                    col_rows[k].push(r);
                }
            }
        }
        col_rows[c] = cand;
        pivot_of_row[p] = Some(c);
        pivots.push((p, c));
    }
    let mut out = Vec::new();
    for &(r, c) in &pivots {
        let (row, rhs) = &rows[r];
        if row.iter().all(|&(k, _)| k == c) {
            let pv = coef(row, c);
            out.push((c, *rhs as f64 / pv as f64));
        }
    }
    Some(out)
}

/// Upper bound meaning "unbounded".
const INF: i64 = i64::MAX;

/// A component's relations `Σ a_j x_j = b` (`a = ±1`) with the index of
/// relations per variable, built once per analysis.
struct Sys {
    rows: Vec<(Vec<(usize, i64)>, i64)>,
    var_rels: Vec<Vec<usize>>,
}

impl Sys {
    fn new(system: &[(Vec<(usize, i128)>, i128)], n: usize) -> Option<Sys> {
        let mut rows = Vec::with_capacity(system.len());
        let mut var_rels: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (r, (terms, b)) in system.iter().enumerate() {
            let mut t = Vec::with_capacity(terms.len());
            for &(j, a) in terms {
                if a != 1 && a != -1 {
                    return None;
                }
                t.push((j, a as i64));
                var_rels[j].push(r);
            }
            rows.push((t, i64::try_from(*b).ok()?));
        }
        Some(Sys { rows, var_rels })
    }
}

/// Outcome of [`propagate_from`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prop {
    /// No integer solution within the bounds.
    Infeasible,
    /// The bounds are the fixpoint: no relation tightens them further.
    Fixpoint,
    /// The step limit was reached; the bounds so far are valid.
    Partial,
}

/// Where [`propagate_from`] starts.
#[derive(Debug, Clone, Copy)]
enum Seeds<'a> {
    /// Every relation (bounds of unknown provenance).
    All,
    /// Only the relations of these variables: the bounds were a fixpoint
    /// before these variables' bounds were tightened, so no other relation
    /// can tighten anything until one of theirs does.
    Vars(&'a [usize]),
}

impl Seeds<'_> {
    /// The seeds after tightening `vars` of bounds that were a fixpoint
    /// (`fixpoint`) or not.
    fn after(fixpoint: bool, vars: &[usize]) -> Seeds<'_> {
        if fixpoint {
            Seeds::Vars(vars)
        } else {
            Seeds::All
        }
    }
}

/// Interval propagation to a fixpoint (worklist over relations), bounds
/// `[lo, hi]` with `hi = INF` for unbounded; sound: every bound it derives
/// holds in every solution. Starts from `seeds`. Every relation's tightening is monotone,
/// so the fixpoint (or the contradiction) it reaches does not depend on
/// the order in which relations are taken: starting from the relations
/// of the variables just tightened (`Seeds::Vars`, inside the search)
/// gives exactly the bounds of a start from every relation (when neither
/// reaches the step limit; the demo report never does), in far fewer
/// steps.
fn propagate_from(sys: &Sys, bounds: &mut [(i64, i64)], seeds: Seeds<'_>) -> Prop {
    let m = sys.rows.len();
    let (mut queued, mut queue) = match seeds {
        Seeds::All => (vec![true; m], (0..m).collect::<VecDeque<usize>>()),
        Seeds::Vars(vars) => {
            let mut queued = vec![false; m];
            let mut queue = VecDeque::new();
            for &j in vars {
                for &q in sys.var_rels.get(j).map_or(&[][..], Vec::as_slice) {
                    if !queued[q] {
                        queued[q] = true;
                        queue.push_back(q);
                    }
                }
            }
            (queued, queue)
        }
    };
    let mut steps: u64 = 0;
    let limit = 2_000 * (m as u64 + 1);
    while let Some(r) = queue.pop_front() {
        queued[r] = false;
        steps += 1;
        if steps > limit {
            return Prop::Partial; // the bounds so far are valid
        }
        let (terms, b) = &sys.rows[r];
        if terms.is_empty() {
            if *b != 0 {
                return Prop::Infeasible;
            }
            continue;
        }
        // a·x ranges over [tmin, tmax]; None = −∞ / +∞.
        let range = |a: i64, (lo, hi): (i64, i64)| -> (Option<i64>, Option<i64>) {
            let h = (hi != INF).then_some(hi);
            if a > 0 {
                (Some(lo), h)
            } else {
                (h.map(|v| -v), Some(-lo))
            }
        };
        let (mut smin, mut nmin, mut smax, mut nmax) = (0i64, 0usize, 0i64, 0usize);
        for &(j, a) in terms {
            let (tmin, tmax) = range(a, bounds[j]);
            match tmin {
                Some(v) => smin = smin.saturating_add(v),
                None => nmin += 1,
            }
            match tmax {
                Some(v) => smax = smax.saturating_add(v),
                None => nmax += 1,
            }
        }
        if nmin == 0 && smin > *b || nmax == 0 && smax < *b {
            return Prop::Infeasible;
        }
        for &(j, a) in terms {
            let (tmin, tmax) = range(a, bounds[j]);
            let rest_min = match tmin {
                Some(v) if nmin == 0 => Some(smin - v),
                None if nmin == 1 => Some(smin),
                _ => None,
            };
            let rest_max = match tmax {
                Some(v) if nmax == 0 => Some(smax - v),
                None if nmax == 1 => Some(smax),
                _ => None,
            };
            // a·x ∈ [b − rest_max, b − rest_min]
            let ax_lo = rest_max.map(|v| b - v);
            let ax_hi = rest_min.map(|v| b - v);
            let (x_lo, x_hi) = if a > 0 {
                (ax_lo, ax_hi)
            } else {
                (ax_hi.map(|v| -v), ax_lo.map(|v| -v))
            };
            let mut changed = false;
            let (lo, hi) = &mut bounds[j];
            if let Some(v) = x_lo {
                if v > *lo {
                    *lo = v;
                    changed = true;
                }
            }
            if let Some(v) = x_hi {
                if v < *hi {
                    *hi = v;
                    changed = true;
                }
            }
            if *hi < *lo {
                return Prop::Infeasible;
            }
            if changed {
                for &q in &sys.var_rels[j] {
                    if !queued[q] {
                        queued[q] = true;
                        queue.push_back(q);
                    }
                }
            }
        }
    }
    Prop::Fixpoint
}

enum Search {
    Found(Vec<i64>),
    Infeasible,
    OutOfBudget,
}

/// Search for an integer solution within `bounds`, which are a fixpoint
/// of the propagation except for the variables in `seeds` (or not at all:
/// `Seeds::All`).
fn search(sys: &Sys, bounds: &[(i64, i64)], seeds: Seeds<'_>, budget: &mut u64) -> Search {
    if *budget == 0 {
        return Search::OutOfBudget;
    }
    *budget -= 1;
    let mut b = bounds.to_vec();
    let fixpoint = match propagate_from(sys, &mut b, seeds) {
        Prop::Infeasible => return Search::Infeasible,
        Prop::Fixpoint => true,
        Prop::Partial => false,
    };
    let pick = b
        .iter()
        .enumerate()
        .filter(|(_, &(lo, hi))| hi != INF && hi > lo)
        .map(|(j, &(lo, hi))| (hi - lo, j))
        .min();
    match pick {
        None => {
            if b.iter().any(|x| x.1 == INF) {
                return Search::OutOfBudget;
            }
            let sol: Vec<i64> = b.iter().map(|x| x.0).collect();
            let ok = sys
                .rows
                .iter()
                .all(|(t, rhs)| t.iter().map(|&(j, a)| a * sol[j]).sum::<i64>() == *rhs);
            if ok {
                Search::Found(sol)
            } else {
                Search::Infeasible
            }
        }
        Some((_, j)) => {
            let (lo, hi) = b[j];
            let mid = lo + (hi - lo) / 2;
            let mut left = b.clone();
            left[j] = (lo, mid);
            let mut out_of_budget = false;
            match search(sys, &left, Seeds::after(fixpoint, &[j]), budget) {
                Search::Found(s) => return Search::Found(s),
                Search::OutOfBudget => out_of_budget = true,
                Search::Infeasible => {}
            }
            let mut right = b;
            right[j] = (mid + 1, hi);
            match search(sys, &right, Seeds::after(fixpoint, &[j]), budget) {
                Search::Found(s) => Search::Found(s),
                Search::OutOfBudget => Search::OutOfBudget,
                Search::Infeasible if out_of_budget => Search::OutOfBudget,
                Search::Infeasible => Search::Infeasible,
            }
        }
    }
}

/// Columns that take one value in every integer solution within `bounds`;
/// `None` when the budget ran out.
fn integer_determined(
    sys: &Sys,
    bounds: &[(i64, i64)],
    fixpoint: bool,
    budget: &mut u64,
) -> Option<Vec<(usize, i64)>> {
    let base = match search(sys, bounds, Seeds::after(fixpoint, &[]), budget) {
        Search::Found(s) => s,
        Search::Infeasible => return Some(Vec::new()),
        Search::OutOfBudget => return None,
    };
    let n = bounds.len();
    let mut varies = vec![false; n];
    let mut out = Vec::new();
    for j in 0..n {
        if varies[j] {
            continue;
        }
        let (lo, hi) = bounds[j];
        let mut tries = Vec::new();
        if base[j] > lo {
            let mut b = bounds.to_vec();
            b[j].1 = base[j] - 1;
            tries.push(b);
        }
        if base[j] < hi {
            let mut b = bounds.to_vec();
            b[j].0 = base[j] + 1;
            tries.push(b);
        }
        let mut other = false;
        for b in tries {
            match search(sys, &b, Seeds::after(fixpoint, &[j]), budget) {
                Search::Found(s) => {
                    for k in 0..n {
                        if s[k] != base[k] {
                            varies[k] = true;
                        }
                    }
                    other = true;
                    break;
                }
                Search::Infeasible => {}
                Search::OutOfBudget => return None,
            }
        }
        if !other {
            out.push((j, base[j]));
        }
    }
    Some(out)
}

/// Candidates to withhold for a determined cell `x`: published, non-empty,
/// unlocked cells in the relations of `x`'s component, ordered by (sibling
/// of `x`, part of `x`, total containing `x`, other; value; index).
fn candidates_for(auditor: &Auditor, cells: &[ProtectCell], x: usize) -> Vec<(u8, i64, usize)> {
    let mut candidates: Vec<(u8, i64, usize)> = Vec::new();
    let direct: BTreeSet<u32> = auditor.rels_of(x).iter().copied().collect();
    let (_, comp_rels) = auditor.component(&[x]);
    for &r in &comp_rels {
        let rel = &auditor.relations[r];
        let ax = rel.iter().find(|t| t.0 as usize == x).map(|t| t.1);
        for &(y, ay) in rel {
            let y = y as usize;
            let c = &cells[y];
            if y == x || c.empty || c.locked.is_some() {
                continue;
            }
            if let Status::Published(v) = auditor.cells[y].status {
                let class = match ax {
                    Some(ax) if direct.contains(&(r as u32)) => {
                        if ay == ax {
                            0
                        } else if ax > 0 {
                            1
                        } else {
                            2
                        }
                    }
                    _ => 3,
                };
                candidates.push((class, v, y));
            }
        }
    }
    candidates.sort_unstable();
    let mut seen = BTreeSet::new();
    candidates.retain(|c| seen.insert(c.2));
    candidates
}

/// Expansions of one [`release`] search.
const RELEASE_BUDGET: usize = 20_000;

/// Expansions of one [`release`] search on a cross-classified component.
const RELEASE_BUDGET_CROSS: usize = 5_000;
/// Expansions of all [`release`] searches on cross-classified components in
/// one [`protect`] call (searches there can fail, and failing is the
/// expensive case; the greedy fallback takes over when it is spent).
const RELEASE_BUDGET_CROSS_TOTAL: usize = 40_000;

/// The largest number of relations any cell of `x`'s component (unknown
/// cells and the published cells of its relations) is in: 2 on
/// hierarchical tables, 3 on the role × unit table, 4 and more with area
/// rows.
fn max_degree(auditor: &Auditor, x: usize) -> usize {
    let (_, rels) = auditor.component(&[x]);
    rels.iter()
        .flat_map(|&r| auditor.relations[r].iter())
        .map(|&(c, _)| auditor.rels_of(c as usize).len())
        .max()
        .unwrap_or(0)
}

/// A partial move of the [`release`] search: changes `d` to the true
/// values, the relations it leaves unbalanced (`open`, relation → Σ a·d)
/// and its cost.
struct Move {
    d: Vec<(usize, i64)>,
    open: Vec<(u32, i64)>,
    cost: i64,
}

/// The smallest-cost set of published cells whose withholding makes the
/// withheld cell `x` undetermined, or `None` when the search finds none.
///
/// The search looks for an integer *move* `d` (a change of the true
/// values) with `d_x ≠ 0` that keeps every relation balanced (`A·d = 0`)
/// and every cell within its a priori bounds, where published candidates
/// (non-empty, unlocked) may change within the bounds of a secondary cell
/// (`≥ min_group`) at the price of being withheld. Such a move is a second
/// integer completion of the published tables that differs from the truth
/// in `x`, so after withholding the published cells it touches, neither
/// `x` nor any of them is determined — by linear algebra, bounds or any
/// other reasoning. The cost of a move is the information it hides: over
/// the published cells it touches, their values (people hidden) plus a
/// charge of `min_group` per cell, where a cell tied to another one of the
/// move by a two-term relation (a leaf's `own` and `rollup` cells: the
/// same people) pays the charge only; already withheld and unpublished
/// cells are free. Ranking by the number of cells alone would withhold
/// large totals (in the demo: the whole department's cells of three
/// competences, 322 people, to protect one-person teams) where a small
/// sibling does.
///
/// Best-first (cheapest first) search over partial moves: start with
/// `d_x = ±1`; repeatedly take an unbalanced relation and rebalance it by
/// changing one more of its cells by ±1. Partial moves with the same
/// unbalanced relations are merged (the cheaper one is kept), so on
/// hierarchical tables (every cell in at most two relations, one as total
/// and one as part) this is Dijkstra's algorithm for the cheapest cycle
/// through `x` in the residual graph, and exact. On the role × unit table
/// (cells in three relations) it is a heuristic with a budget of
/// [`RELEASE_BUDGET_CROSS`] expansions, and at most `cross_left` in all;
/// with area rows (four and more) it is not tried.
fn release(
    auditor: &Auditor,
    cells: &[ProtectCell],
    x: usize,
    min_group: u64,
    cross_left: &mut usize,
) -> Option<Vec<usize>> {
    let k = i64::try_from(min_group).unwrap_or(i64::MAX);
    let degree = max_degree(auditor, x);
    let cross = degree > 2;
    let budget = match degree {
        0..=2 => RELEASE_BUDGET,
        3 => RELEASE_BUDGET_CROSS.min(*cross_left),
        // Four relations and more (the role × unit table's cells that
        // are also in the role totals): the search rarely succeeds and is
        // costly (with the cross budget it fixed none of the tests'
        // remaining findings); the greedy fallback handles them.
        _ => 0,
    };
    if budget == 0 {
        return None;
    }
    // Bounds of a cell's true value + d, its price, or None when fixed.
    let limits = |c: usize| -> Option<(i64, i64, i64)> {
        let ac = auditor.cells.get(c)?;
        match ac.status {
            Status::Published(_) => {
                let pc = cells.get(c)?;
                if pc.empty || pc.locked.is_some() {
                    return None;
                }
                Some((k, INF, pc.value.saturating_add(k)))
            }
            _ => Some((ac.lower.max(0), ac.upper.unwrap_or(INF), 0)),
        }
    };
    let value = |c: usize| cells.get(c).map_or(0, |p| p.value);
    let coef_in = |r: u32, c: usize| -> i64 {
        auditor.relations[r as usize]
            .iter()
            .filter(|t| t.0 as usize == c)
            .map(|t| i64::from(t.1))
            .sum()
    };
    let fits = |c: usize, d: i64| -> bool {
        match limits(c) {
            Some((lo, hi, _)) => {
                let v = value(c).saturating_add(d);
                v >= lo && (hi == INF || v <= hi)
            }
            None => false,
        }
    };
    let apply = |m: &Move, c: usize, delta: i64| -> Move {
        let mut d = m.d.clone();
        let old = match d.binary_search_by_key(&c, |t| t.0) {
            Ok(i) => {
                let o = d[i].1;
                d[i].1 += delta;
                if d[i].1 == 0 {
                    d.remove(i);
                }
                o
            }
            Err(i) => {
                d.insert(i, (c, delta));
                0
            }
        };
        let new = old + delta;
        // A published twin (`y = c`, a relation of two terms, such as a
        // leaf's own and rolled-up cells) already in the move hides the
        // same people: only the charge per cell.
        let twin = auditor.rels_of(c).iter().any(|&r| {
            let rel = &auditor.relations[r as usize];
            rel.len() == 2
                && rel.iter().any(|&(o, _)| {
                    o as usize != c
                        && d.binary_search_by_key(&(o as usize), |t| t.0).is_ok()
                        && matches!(auditor.cells[o as usize].status, Status::Published(_))
                })
        });
        let price = match limits(c) {
            Some(l) if twin && l.2 > 0 => k,
            Some(l) => l.2,
            None => 0,
        };
        let cost = m.cost
            + match (old == 0, new == 0) {
                (true, false) => price,
                (false, true) => -price,
                _ => 0,
            };
        let mut open: BTreeMap<u32, i64> = m.open.iter().copied().collect();
        for &r in auditor.rels_of(c) {
            let e = open.entry(r).or_insert(0);
            *e += coef_in(r, c) * delta;
        }
        open.retain(|_, e| *e != 0);
        Move {
            d,
            open: open.into_iter().collect(),
            cost,
        }
    };
    let mut moves: Vec<Move> = Vec::new();
    let mut heap: std::collections::BinaryHeap<std::cmp::Reverse<(i64, usize, usize)>> =
        std::collections::BinaryHeap::new();
    let mut best: std::collections::HashMap<Vec<(u32, i64)>, i64> =
        std::collections::HashMap::new();
    let start = Move {
        d: Vec::new(),
        open: Vec::new(),
        cost: 0,
    };
    for s in [1, -1] {
        if fits(x, s) {
            let m = apply(&start, x, s);
            heap.push(std::cmp::Reverse((m.cost, m.open.len(), moves.len())));
            moves.push(m);
        }
    }
    let mut expansions = 0usize;
    while let Some(std::cmp::Reverse((cost, _, id))) = heap.pop() {
        let m = &moves[id];
        let Some(&(r, e)) = m.open.first() else {
            if m.d.iter().any(|t| t.0 == x) {
                return Some(
                    m.d.iter()
                        .map(|t| t.0)
                        .filter(|&c| matches!(auditor.cells[c].status, Status::Published(_)))
                        .collect(),
                );
            }
            continue;
        };
        if let Some(&b) = best.get(&m.open) {
            if b < cost {
                continue;
            }
        }
        expansions += 1;
        if cross {
            *cross_left = cross_left.saturating_sub(1);
        }
        if expansions > budget {
            return None;
        }
        let mut next: Vec<Move> = Vec::new();
        for &(y, ay) in &auditor.relations[r as usize] {
            let y = y as usize;
            if y == x {
                continue;
            }
            let delta = -e.signum() * i64::from(ay);
            let cur = m.d.iter().find(|t| t.0 == y).map_or(0, |t| t.1);
            if !fits(y, cur + delta) {
                continue;
            }
            next.push(apply(m, y, delta));
        }
        for n in next {
            let better = best.get(&n.open).is_none_or(|&b| n.cost < b);
            if better {
                best.insert(n.open.clone(), n.cost);
                heap.push(std::cmp::Reverse((n.cost, n.open.len(), moves.len())));
                moves.push(n);
            }
        }
    }
    None
}

/// One cell to protect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProtectCell {
    /// Group size compared with `min_group` (distinct people).
    pub n: u64,
    /// The audited value (rated pairs).
    pub value: i64,
    /// Nobody counted (`n = 0`): published as a zero, never withheld.
    pub empty: bool,
    /// Competences the cell sums (1 for a competence row, m for an area
    /// row of m; see [`audit_cell`]).
    pub multiplicity: i64,
    /// A status fixed by another table (cannot be changed here).
    pub locked: Option<Status>,
}

/// The a priori audit cell for a status. `multiplicity` is the number of
/// competences the cell sums (1 for a competence row, `m` for an area row
/// of `m`): a `primary` competence row has 1 … `min_group − 1` people; a
/// `primary` area row of `m ≥ 2` competences only at least 1 pair (it is
/// withheld because one of its competence rows is primary).
pub fn audit_cell(status: Status, min_group: u64, multiplicity: i64) -> AuditCell {
    let k = i64::try_from(min_group).unwrap_or(i64::MAX);
    match status {
        Status::Published(_) => AuditCell {
            status,
            lower: 0,
            upper: None,
        },
        Status::Withheld(Reason::Primary) => AuditCell {
            status,
            lower: 1,
            upper: (multiplicity <= 1).then_some((k - 1).max(0)),
        },
        Status::Withheld(Reason::Secondary) => AuditCell {
            status,
            lower: k,
            upper: None,
        },
        Status::Withheld(Reason::RolledUp) | Status::Unpublished => AuditCell {
            status,
            lower: 0,
            upper: None,
        },
    }
}

/// The result of [`protect`].
#[derive(Debug, Clone, PartialEq)]
pub struct Protection {
    /// Status of every cell.
    pub status: Vec<Status>,
    /// The final audit.
    pub audit: Analysis,
}

/// Primary suppression (`0 < n < min_group`) and, when
/// `secondary` is set, secondary suppression until the audit finds
/// nothing that withholding more cells can fix (see the module docs).
///
/// The loop: take the lowest-numbered determined withheld cell `x`;
/// withhold the published cells of the cheapest move through `x`
/// (`release`: people hidden plus `min_group` per extra cell, a leaf's
/// twin cell the charge only) and re-audit `x`'s component. When no move is found
/// (cross-classified tables, or findings inherent in the reasons), fall
/// back to the greedy rule: candidates are the published, non-empty,
/// unlocked cells in the relations of `x`'s component of unknown cells,
/// ordered by (sibling of `x`, then a part of `x`, then a total containing
/// `x`, then any other; then smallest value; then cell index); withhold the
/// first candidate that makes `x` undetermined (trying at most four); if
/// none does and `x` is a linear finding, withhold the first candidate
/// anyway (linear findings always yield eventually). For a size finding,
/// look ahead: withhold the cheapest candidate tentatively and try again,
/// up to three deep; if that does not fix `x`, revert and try
/// `grow_and_shrink`; if that does not either, leave it (it is reported).
/// Repeat. With locked cells (statuses fixed by another table),
/// a withheld cell can be determined by the locked cells alone, and then
/// nothing withheld for it helps: at the end every secondary cell is
/// published back, in cell order, when that adds no finding (and makes
/// none more severe) in its component.
pub fn protect(
    cells: &[ProtectCell],
    relations: Vec<Rel>,
    min_group: u64,
    secondary: bool,
) -> Protection {
    let status: Vec<Status> = cells
        .iter()
        .map(|c| match c.locked {
            Some(s) => s,
            None if c.n > 0 && c.n < min_group => Status::Withheld(Reason::Primary),
            None => Status::Published(c.value),
        })
        .collect();
    let audit_cells: Vec<AuditCell> = status
        .iter()
        .zip(cells)
        .map(|(&s, c)| audit_cell(s, min_group, c.multiplicity))
        .collect();
    let mut auditor = Auditor::new(audit_cells, relations);
    let first = auditor.audit();
    if !secondary {
        return Protection {
            status,
            audit: first,
        };
    }
    let mut pending: BTreeMap<usize, Method> =
        first.findings.iter().map(|f| (f.cell, f.method)).collect();
    let mut unfixable: BTreeSet<usize> = BTreeSet::new();
    let mut cross_left = RELEASE_BUDGET_CROSS_TOTAL;
    while let Some((x, method)) = pending.pop_first() {
        let secondary_cell = |y: usize| {
            audit_cell(
                Status::Withheld(Reason::Secondary),
                min_group,
                cells[y].multiplicity,
            )
        };
        // First choice: the cheapest move through x (see `release`).
        if let Some(ys) = release(&auditor, cells, x, min_group, &mut cross_left) {
            if ys.is_empty() {
                // The audit pins x, yet a move through x exists: cannot
                // happen with a sound audit; leave x rather than loop.
                unfixable.insert(x);
                continue;
            }
            for &y in &ys {
                auditor.set(y, secondary_cell(y));
            }
            let (unk, rels) = auditor.component(&[x]);
            let analysis = auditor.analyse(&unk, &rels);
            for &u in &unk {
                pending.remove(&u);
            }
            for f in analysis.findings {
                if !unfixable.contains(&f.cell) {
                    pending.insert(f.cell, f.method);
                }
            }
            continue;
        }
        // Fallback: linear findings: one step, committing the cheapest candidate when
        // no single one fixes x (they always yield eventually). Size
        // findings: look ahead up to three withholdings; revert if that
        // does not fix x.
        let max_depth = if method == Method::Linear { 1 } else { 3 };
        let mut tentative: Vec<(usize, AuditCell)> = Vec::new();
        let mut fixed: Option<Analysis> = None;
        let mut exhausted = false;
        for depth in 0..max_depth {
            let candidates = candidates_for(&auditor, cells, x);
            if candidates.is_empty() {
                exhausted = true;
                break;
            }
            for &(_, _, y) in candidates.iter().take(4) {
                let before = auditor.cells[y];
                auditor.set(y, secondary_cell(y));
                let (unk, rels) = auditor.component(&[x]);
                let a = auditor.analyse(&unk, &rels);
                if a.findings.iter().all(|f| f.cell != x) {
                    fixed = Some(a);
                    break;
                }
                auditor.set(y, before);
            }
            if fixed.is_some() {
                break;
            }
            if method == Method::Linear || depth + 1 < max_depth {
                let y = candidates[0].2;
                tentative.push((y, auditor.cells[y]));
                auditor.set(y, secondary_cell(y));
            }
        }
        let analysis = match fixed {
            Some(a) => a,
            None if method == Method::Linear && !tentative.is_empty() => {
                let (unk, rels) = auditor.component(&[x]);
                auditor.analyse(&unk, &rels)
            }
            None => {
                for (y, before) in tentative.into_iter().rev() {
                    auditor.set(y, before);
                }
                let _ = exhausted;
                match grow_and_shrink(&mut auditor, cells, x, min_group) {
                    Some(a) => a,
                    None => {
                        unfixable.insert(x);
                        continue;
                    }
                }
            }
        };
        let (unk, _) = auditor.component(&[x]);
        for &u in &unk {
            pending.remove(&u);
        }
        for f in analysis.findings {
            if !unfixable.contains(&f.cell) {
                pending.insert(f.cell, f.method);
            }
        }
    }
    // Not with never-published locked cells (the demand list's role
    // atoms): a finding "by the locked cells alone" may then rest on what
    // the model assumes about them, and publishing back could reveal it.
    if cells.iter().any(|c| c.locked.is_some())
        && !cells.iter().any(|c| c.locked == Some(Status::Unpublished))
    {
        republish_pointless(&mut auditor, cells, min_group);
    }
    let status = auditor.cells.iter().map(|c| c.status).collect();
    let audit = auditor.audit();
    Protection { status, audit }
}

/// Most cells [`grow_and_shrink`] withholds for one finding.
const GROW_LIMIT: usize = 64;

/// Last resort for a size finding `x` that neither a move nor the
/// look-ahead fixes (cross-classified tables): withhold the greedy
/// candidates one by one, cheapest first, until `x` is undetermined (at
/// most [`GROW_LIMIT`]); then publish back, last added first, every one
/// that is not needed (`x` stays undetermined and no finding is added to
/// its component). Returns the component's analysis, or `None` (nothing
/// changed) when `x` stays determined, e.g. inherent in the reasons.
fn grow_and_shrink(
    auditor: &mut Auditor,
    cells: &[ProtectCell],
    x: usize,
    min_group: u64,
) -> Option<Analysis> {
    let secondary = |y: usize| {
        audit_cell(
            Status::Withheld(Reason::Secondary),
            min_group,
            cells.get(y).map_or(1, |c| c.multiplicity),
        )
    };
    // The analysis of the component of `seeds` and its unknown cells.
    let analyse = |auditor: &Auditor, seeds: &[usize]| {
        let (unk, rels) = auditor.component(seeds);
        (auditor.analyse(&unk, &rels), unk)
    };
    let pins = |a: &Analysis| a.findings.iter().any(|f| f.cell == x);
    let mut added: Vec<(usize, AuditCell)> = Vec::new();
    let mut found: Option<(Analysis, Vec<usize>)> = None;
    while added.len() < GROW_LIMIT {
        let Some(&(_, _, y)) = candidates_for(auditor, cells, x).first() else {
            break;
        };
        added.push((y, auditor.cells[y]));
        auditor.set(y, secondary(y));
        let a = analyse(auditor, &[x]);
        if !pins(&a.0) {
            found = Some(a);
            break;
        }
    }
    let Some((mut best, mut unknown)) = found else {
        for (y, before) in added.into_iter().rev() {
            auditor.set(y, before);
        }
        return None;
    };
    // The last one added is needed; try the others. Publishing a cell back
    // can split the component: every part is analysed.
    for &(y, before) in added.iter().rev().skip(1) {
        auditor.set(y, before);
        let seeds: Vec<usize> = unknown.iter().copied().filter(|&u| u != y).collect();
        let (a, unk) = analyse(auditor, &seeds);
        let known: BTreeMap<usize, Method> =
            best.findings.iter().map(|f| (f.cell, f.method)).collect();
        // no new finding, none more severe (a count pinned becoming a
        // linear finding)
        let no_worse = a.findings.iter().all(|f| {
            known
                .get(&f.cell)
                .is_some_and(|&m| f.method != Method::Linear || m == Method::Linear)
        });
        if !pins(&a) && no_worse {
            best = a;
            unknown = unk;
        } else {
            auditor.set(y, secondary(y));
        }
    }
    Some(best)
}

/// With locked cells (fixed by another table), a withheld cell can be
/// determined by the locked cells alone, and the secondary cells withheld
/// for it then hide nothing. Publish each secondary cell back (in cell
/// order) when that adds no finding and makes no finding more severe in
/// its component.
fn republish_pointless(auditor: &mut Auditor, cells: &[ProtectCell], min_group: u64) {
    let first = auditor.audit();
    let baseline: BTreeMap<usize, Method> =
        first.findings.iter().map(|f| (f.cell, f.method)).collect();
    for (y, cell) in cells.iter().enumerate() {
        if cell.locked.is_some() || auditor.cells[y].status != Status::Withheld(Reason::Secondary) {
            continue;
        }
        let before = auditor.cells[y];
        auditor.set(
            y,
            audit_cell(Status::Published(cell.value), min_group, cell.multiplicity),
        );
        let seeds: Vec<usize> = auditor
            .rels_of(y)
            .iter()
            .flat_map(|&r| {
                auditor.relations[r as usize]
                    .iter()
                    .map(|&(c, _)| c as usize)
            })
            .collect();
        let (unknowns, rels) = auditor.component(&seeds);
        let a = auditor.analyse(&unknowns, &rels);
        let worse = !a.complete
            || !a.consistent
            || a.findings.iter().any(|f| match baseline.get(&f.cell) {
                None => true,
                Some(m) => f.method == Method::Linear && *m != Method::Linear,
            });
        if worse {
            auditor.set(y, before);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(status: Status) -> AuditCell {
        audit_cell(status, 5, 1)
    }

    #[test]
    fn differencing_one_hidden_child_is_linear() {
        // total 20 = a + b + c; a withheld (primary), b = 9, c = 8 published
        // → a = 20 − 9 − 8 = 3.
        let cells = vec![
            cell(Status::Published(20)),
            cell(Status::Withheld(Reason::Primary)),
            cell(Status::Published(9)),
            cell(Status::Published(8)),
        ];
        let a = Auditor::new(cells, vec![vec![(0, 1), (1, -1), (2, -1), (3, -1)]]).audit();
        assert_eq!(a.findings.len(), 1);
        assert_eq!(a.findings[0].cell, 1);
        assert_eq!(a.findings[0].method, Method::Linear);
        assert_eq!(a.findings[0].value, Some(3.0));
    }

    #[test]
    fn two_primaries_at_the_maximum_are_pinned_by_bounds() {
        // 16 = a + b + 8, a and b primary (each ≤ 4) → a = b = 4.
        let cells = vec![
            cell(Status::Published(16)),
            cell(Status::Withheld(Reason::Primary)),
            cell(Status::Withheld(Reason::Primary)),
            cell(Status::Published(8)),
        ];
        let a = Auditor::new(cells, vec![vec![(0, 1), (1, -1), (2, -1), (3, -1)]]).audit();
        let got: Vec<(usize, Method, Option<f64>)> = a
            .findings
            .iter()
            .map(|f| (f.cell, f.method, f.value))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, Method::Bounds, Some(4.0)),
                (2, Method::Bounds, Some(4.0))
            ]
        );
        // With 14 instead, a + b = 6: a ∈ [2, 4], not determined.
        let cells = vec![
            cell(Status::Published(14)),
            cell(Status::Withheld(Reason::Primary)),
            cell(Status::Withheld(Reason::Primary)),
            cell(Status::Published(8)),
        ];
        let a = Auditor::new(cells, vec![vec![(0, 1), (1, -1), (2, -1), (3, -1)]]).audit();
        assert!(a.findings.is_empty());
    }

    #[test]
    fn zero_total_makes_parts_zero() {
        // Rolled-up cells have only the bound ≥ 0.
        let cells = vec![
            cell(Status::Published(0)),
            cell(Status::Withheld(Reason::RolledUp)),
            cell(Status::Withheld(Reason::RolledUp)),
        ];
        let a = Auditor::new(cells, vec![vec![(0, 1), (1, -1), (2, -1)]]).audit();
        assert_eq!(a.findings.len(), 2);
        assert!(a.findings.iter().all(|f| f.value == Some(0.0)));
    }

    #[test]
    fn linear_needs_combination_of_relations() {
        // x + y = 10 (rel 1), y + z = 7 (rel 2), x + z = 9 (rel 3):
        // x = (10 − 7 + 9)/2 = 6 — only by combining all three relations.
        // Cells: 0 = x, 1 = y, 2 = z (withheld secondary), 3,4,5 totals.
        let s = |v| cell(Status::Published(v));
        let w = cell(Status::Withheld(Reason::Secondary));
        let cells = vec![w, w, w, s(10), s(7), s(9)];
        let rels = vec![
            vec![(3, 1), (0, -1), (1, -1)],
            vec![(4, 1), (1, -1), (2, -1)],
            vec![(5, 1), (0, -1), (2, -1)],
        ];
        let a = Auditor::new(cells, rels).audit();
        let got: Vec<(usize, Option<f64>)> = a.findings.iter().map(|f| (f.cell, f.value)).collect();
        // x = 6, y = 4, z = 3 (the secondary lower bound 5 makes it
        // inconsistent with real data, but the linear step ignores bounds).
        assert_eq!(got[0], (0, Some(6.0)));
        assert_eq!(a.findings[0].method, Method::Linear);
    }

    #[test]
    fn integer_step_finds_what_intervals_miss() {
        // x + y = 5, x − y = 1 (as two relations with published totals):
        // intervals alone give x ∈ [0,5]; linear algebra gives x = 3.
        // Here make it non-linear-determinable but integer-determined:
        // x + y = 1 with x, y ∈ {0..=1}, and x + z = 2 with z ≤ 1
        // → z ≤ 1 forces x ≥ 1 → x = 1, y = 0, z = 1 (bounds find it too).
        let p = |v| cell(Status::Published(v));
        let u = AuditCell {
            status: Status::Withheld(Reason::Primary),
            lower: 0,
            upper: Some(1),
        };
        let cells = vec![u, u, u, p(1), p(2)];
        let rels = vec![
            vec![(3, 1), (0, -1), (1, -1)],
            vec![(4, 1), (0, -1), (2, -1)],
        ];
        let a = Auditor::new(cells, rels).audit();
        assert_eq!(a.findings.len(), 3);
    }

    #[test]
    fn protect_hides_a_sibling() {
        // total(0) = a(1) + b(2) + c(3): a = 3 (primary), b = 9, c = 8.
        let pc = |n: u64| ProtectCell {
            n,
            value: n as i64,
            empty: false,
            multiplicity: 1,
            locked: None,
        };
        let cells = vec![pc(20), pc(3), pc(9), pc(8)];
        let rels = vec![vec![(0, 1), (1, -1), (2, -1), (3, -1)]];
        let p = protect(&cells, rels, 5, true);
        assert_eq!(p.status[1], Status::Withheld(Reason::Primary));
        assert_eq!(p.status[3], Status::Withheld(Reason::Secondary)); // smallest sibling
        assert_eq!(p.status[2], Status::Published(9));
        assert!(p.audit.findings.is_empty());
    }
}
