//! An independent adversary against the library's published tables.
//!
//! Written apart from `aggregate::disclosure` (it shares no code with it
//! and uses only the public API): it reads the published rows and the
//! organisation tree, rebuilds the world the rows describe from scratch,
//! and decides for every withheld quantity whether the published tables
//! determine it exactly.
//!
//! # The adversary's model
//!
//! *Atoms* are the own people of one unit (and one role, when a role or
//! role × unit table is published). The unknowns, per atom `x`, are the
//! counts `F_c(x) ≥ 0` of people rated on a requirement of competence `c`
//! and, with area rows, `A_a(x) ≥ 0`, the people rated on at least one
//! requirement of a competence of area `a`. Every row is about a *group*,
//! a set of atoms, and states a sum over it:
//!
//! - a unit's `rollup` row sums its whole subtree, its `own` row the unit
//!   itself — plus, in "rolled into parent" mode, the subtrees of the
//!   children that were rolled into it (rows marked `rolled_up`, whose
//!   parent is kept);
//! - a `rolled_up` row is its unit (own) or subtree (rollup);
//! - a `role_unit` row is the same for one role, an absent `role_unit` row
//!   of a kept unit is an empty group (0), and a `role` row sums a role
//!   over the whole organisation;
//! - a competence row's count is `F_c(g) = Σ_{x ∈ g} F_c(x)`; an area row
//!   has two: its people `A_a(g) = Σ_{x ∈ g} A_a(x)` (column `people`) and
//!   its pairs `P_a(g) = Σ_{c ∈ a} F_c(g)` (column `rated`).
//!
//! What the adversary knows:
//!
//! - every published count exactly: `rated` (= `people`) of a competence
//!   row, `people` and `rated` of an area row;
//! - the reason of every withheld row, as bounds on its count (for an
//!   area row: on its people): `primary` means `1 ≤ n ≤ min_group − 1`,
//!   `secondary` `n ≥ min_group`, `rolled_up` only `n ≥ 0`. The library
//!   withholds an area row of two or more competences exactly when one of
//!   its competence rows is withheld, `primary` when one of them is
//!   primary: for such a row `primary` means only `n ≥ 1` (its people may
//!   be many), `secondary` still `n ≥ min_group`, and published `n = 0` or
//!   `n ≥ min_group`;
//! - the structure: the tree (and so which groups add up to which:
//!   `rollup(u) = own(u) + Σ rollup(child)`, unit = Σ its roles, Σ role
//!   totals = Σ roots' rollups), and that every person belongs to one
//!   atom, so for every atom `F_c(x) ≤ A_a(x) ≤ Σ_{c ∈ a} F_c(x)` (`c` over
//!   the area's competences; hence `max_c F_c(g) ≤ A_a(g) ≤ Σ_c F_c(g)` for
//!   every group). Any `F`, `A` meeting these inequalities atom by atom is
//!   the count table of some set of people, so these are all the ties
//!   between competence and area counts.
//!
//! Not used: `missing`, `meeting` and the other statistics, the
//! organisation's headcount, the rule that chose the rolled-up units, and
//! the suppression algorithm itself. No count has an upper bound beyond
//! the reasons; the search caps values at `2N + 10` (N people) only to
//! stay finite, more than any ±1 move away from the truth needs.
//!
//! [`Model::Pairs`] is a weaker adversary who reads of an area row only its
//! pairs — as the library's audit models an area cell (pairs with a
//! primary bound of at least 1) — and knows nothing of `A`.
//!
//! **Determined**: a withheld quantity (a competence row's count; an area
//! row's people and, separately, its pairs) is determined when all integer
//! completions consistent with all of that agree on it. The adversary
//! takes the true completion (computed here from the raw people, not from
//! the library; every published row is checked against it) and searches
//! for a completion in which the quantity is smaller, then one in which it
//! is larger; it finds none ⟺ the quantity is determined. The search is
//! depth-first with bounds propagation over the sums (each group has
//! variables of its own tied to its atoms, and the tables' relations are
//! stated between groups), branching on the attacked quantity first or on
//! the variable with the smallest range per weight of its dead ends
//! (dom/wdeg), values nearest the truth first, solving independent parts
//! separately; every completion found is kept and moves every quantity it
//! changes. A search that runs out of its node budget fails the test too
//! (undecided counts as a leak).
//!
//! Allowed: a `rolled_up` row whose count is 0 (zero counts are published
//! as zeros anyway), and what is **inherent**: determined even when every
//! non-empty row is withheld with its honest reason (see `withhold_all`).
#![cfg(feature = "aggregate")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::needless_range_loop,
    missing_docs
)]

use std::sync::Arc;
use std::time::Instant;

use kompetens::aggregate::{
    publish, AggregateState, AuditFinding, Batch, Layout, OrgTree, PublishOptions, Reason, Row,
    Scope, Suppression, Table,
};
use ndarray::{Array1, Array2};

/// xorshift64*: a small deterministic generator (no dependency).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// A random organisation: parents, and per person (unit, role, levels,
/// required levels) over `n_c` competences.
#[derive(Debug, Clone)]
struct Org {
    parents: Vec<i64>,
    n_roles: usize,
    n_c: usize,
    people: Vec<(usize, usize, Vec<i8>, Vec<i8>)>,
    /// Area of each competence (`None`: the layout has no areas).
    area_of: Option<Vec<usize>>,
}

fn random_org(rng: &mut Rng, max_units: u64, max_people: u64) -> Org {
    let n_units = 1 + rng.below(max_units) as usize;
    let parents: Vec<i64> = (0..n_units)
        .map(|i| {
            if i == 0 || rng.chance(0.08) {
                -1
            } else {
                rng.below(i as u64) as i64
            }
        })
        .collect();
    let n_roles = 1 + rng.below(3) as usize;
    let n_c = 2 + rng.below(2) as usize;
    // Role profiles: required level 0 (none) or 1..=4.
    let profiles: Vec<Vec<i8>> = (0..n_roles)
        .map(|_| {
            (0..n_c)
                .map(|_| {
                    if rng.chance(0.25) {
                        0
                    } else {
                        1 + rng.below(4) as i8
                    }
                })
                .collect()
        })
        .collect();
    // Unit sizes skewed so that small groups are common.
    let weights: Vec<u64> = (0..n_units).map(|_| 1 + rng.below(6).pow(2)).collect();
    let total: u64 = weights.iter().sum();
    let n_people = rng.below(max_people + 1) as usize;
    let people = (0..n_people)
        .map(|_| {
            let mut w = rng.below(total);
            let mut unit = 0;
            for (u, &x) in weights.iter().enumerate() {
                if w < x {
                    unit = u;
                    break;
                }
                w -= x;
            }
            let role = rng.below(n_roles as u64) as usize;
            let levels = (0..n_c)
                .map(|_| {
                    if rng.chance(0.12) {
                        -1
                    } else {
                        rng.below(6) as i8
                    }
                })
                .collect();
            (unit, role, levels, profiles[role].clone())
        })
        .collect();
    Org {
        parents,
        n_roles,
        n_c,
        people,
        area_of: None,
    }
}

/// Group the competences of `o` into one or two non-empty areas.
fn with_random_areas(rng: &mut Rng, mut o: Org) -> Org {
    let n_areas = 1 + rng.below(o.n_c.min(2) as u64) as usize;
    o.area_of = Some(
        (0..o.n_c)
            .map(|c| {
                if c < n_areas {
                    c
                } else {
                    rng.below(n_areas as u64) as usize
                }
            })
            .collect(),
    );
    o
}

fn layout_of(o: &Org) -> Arc<Layout> {
    let tree = OrgTree::from_parents(&o.parents, None).unwrap();
    let comps = (0..o.n_c).map(|c| format!("c{c}")).collect();
    let mut layout = Layout::new(tree, comps, 0, 5).unwrap();
    if let Some(area_of) = &o.area_of {
        let n_areas = area_of.iter().max().unwrap() + 1;
        layout = layout
            .with_areas(
                (0..n_areas).map(|a| format!("a{a}")).collect(),
                area_of.iter().map(|&a| a as u32).collect(),
            )
            .unwrap();
    }
    Arc::new(
        layout
            .with_roles((0..o.n_roles).map(|r| format!("r{r}")).collect())
            .unwrap(),
    )
}

fn state_of(o: &Org, layout: &Arc<Layout>) -> AggregateState {
    let n = o.people.len();
    let mut lv = Vec::new();
    let mut rq = Vec::new();
    for p in &o.people {
        lv.extend_from_slice(&p.2);
        rq.extend_from_slice(&p.3);
    }
    let lv = Array2::from_shape_vec((n, o.n_c), lv).unwrap();
    let rq = Array2::from_shape_vec((n, o.n_c), rq).unwrap();
    let units: Array1<u32> = o.people.iter().map(|p| p.0 as u32).collect();
    let roles: Array1<u32> = o.people.iter().map(|p| p.1 as u32).collect();
    let mut s = AggregateState::new(Arc::clone(layout));
    s.update(&Batch {
        levels: lv.view(),
        units: units.view(),
        roles: Some(roles.view()),
        required: Some(rq.view()),
    })
    .unwrap();
    s
}

/// No bound on a sum (below or above).
const NEG: i64 = -(1 << 50);
const POS: i64 = 1 << 50;

/// What the search checks: `lo ≤ Σ a·x[v] ≤ hi` over `(v, a)` terms with
/// `a = ±1`.
#[derive(Debug, Clone)]
struct Con {
    terms: Vec<(usize, i64)>,
    lo: i64,
    hi: i64,
}

impl Con {
    /// `lo ≤ Σ vars ≤ hi`.
    fn sum(vars: &[usize], lo: i64, hi: i64) -> Con {
        Con {
            terms: vars.iter().map(|&v| (v, 1)).collect(),
            lo,
            hi,
        }
    }
    fn holds(&self, x: &[i64]) -> bool {
        let s: i64 = self.terms.iter().map(|&(v, a)| a * x[v]).sum();
        self.lo <= s && s <= self.hi
    }
}

/// Tighten the ranges `[lo[v], hi[v]]` over the constraints until stable
/// (bounds propagation: `a·x[v]` lies within `[lo_c − max Σ others,
/// hi_c − min Σ others]`), starting from the constraints `start` and
/// revisiting those of every variable whose range shrinks. `Err(c)` when
/// constraint `c` cannot be met.
fn propagate(
    cons: &[Con],
    of_var: &[Vec<usize>],
    lo: &mut [i64],
    hi: &mut [i64],
    start: &[usize],
) -> Result<(), usize> {
    let mut queued = vec![false; cons.len()];
    let mut queue = std::collections::VecDeque::new();
    for &c in start {
        if !queued[c] {
            queued[c] = true;
            queue.push_back(c);
        }
    }
    while let Some(ci) = queue.pop_front() {
        queued[ci] = false;
        let c = &cons[ci];
        let (mut smin, mut smax) = (0i64, 0i64);
        for &(v, a) in &c.terms {
            if a > 0 {
                smin += lo[v];
                smax += hi[v];
            } else {
                smin -= hi[v];
                smax -= lo[v];
            }
        }
        if smin > c.hi || smax < c.lo {
            return Err(ci);
        }
        if smin >= c.lo && smax <= c.hi {
            continue;
        }
        let mut again = false;
        for &(v, a) in &c.terms {
            // The others' range from the sums taken above (looser than
            // now if a range shrank meanwhile: still sound).
            let (cmin, cmax) = if a > 0 {
                (lo[v], hi[v])
            } else {
                (-hi[v], -lo[v])
            };
            let (l, h) = (c.lo - (smax - cmax), c.hi - (smin - cmin));
            let (nl, nh) = if a > 0 { (l, h) } else { (-h, -l) };
            let mut changed = false;
            if nl > lo[v] {
                lo[v] = nl;
                changed = true;
            }
            if nh < hi[v] {
                hi[v] = nh;
                changed = true;
            }
            if lo[v] > hi[v] {
                return Err(ci);
            }
            if changed {
                again = true;
                for &d in &of_var[v] {
                    if d != ci && !queued[d] {
                        queued[d] = true;
                        queue.push_back(d);
                    }
                }
            }
        }
        if again && !queued[ci] {
            queued[ci] = true;
            queue.push_back(ci);
        }
    }
    Ok(())
}

/// Depth-first search for integers `0 ≤ x[v] ≤ cap` meeting every
/// constraint: propagate the ranges, branch on an open variable — with
/// `first`, the first open one of `first` and then of all in index order
/// (the attacked quantity's variables first); without, the one with the
/// smallest range per weight of its constraints (a constraint's weight
/// counts the dead ends it caused: "dom/wdeg") — values nearest the truth
/// first. Complete: `Some(None)` only when no solution exists, else
/// `Some(Some(x))` with a solution `x`; `None` = out of budget (nodes).
fn feasible(
    n: usize,
    cap: i64,
    cons: &[Con],
    first: Option<&[usize]>,
    truth: &[i64],
    budget: &mut u64,
) -> Option<Option<Vec<i64>>> {
    let mut of_var: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, c) in cons.iter().enumerate() {
        for &(v, _) in &c.terms {
            of_var[v].push(i);
        }
    }
    struct Search<'a> {
        cons: &'a [Con],
        of_var: &'a [Vec<usize>],
        truth: &'a [i64],
        weight: Vec<u64>,
        order: Option<Vec<usize>>,
    }
    /// Solve for the variables of `scope` (every constraint with an open
    /// variable in `scope` has all its open variables in `scope`).
    fn go(
        s: &mut Search<'_>,
        lo: Vec<i64>,
        hi: Vec<i64>,
        scope: &[usize],
        budget: &mut u64,
    ) -> Option<Option<Vec<i64>>> {
        let open: Vec<usize> = scope.iter().copied().filter(|&v| lo[v] < hi[v]).collect();
        if open.is_empty() {
            // Every range is one value and propagation checked every sum.
            return Some(Some(lo));
        }
        // Independent parts (no constraint with open variables in two of
        // them) are solved one after the other, not as a product.
        let parts = components(s.cons, &lo, &hi, &open);
        if parts.len() > 1 {
            let mut out = lo.clone();
            for part in parts {
                match go(s, lo.clone(), hi.clone(), &part, budget) {
                    Some(Some(x)) => {
                        for &v in &part {
                            out[v] = x[v];
                        }
                    }
                    other => return other,
                }
            }
            return Some(Some(out));
        }
        // dom/wdeg: smallest (range + 1) / Σ weights, compared exactly.
        let v = match &s.order {
            Some(order) => *order.iter().find(|&&v| lo[v] < hi[v]).unwrap(),
            None => {
                let mut best: Option<(usize, i64, u64)> = None;
                for &v in &open {
                    let dom = hi[v] - lo[v] + 1;
                    let w: u64 = s.of_var[v].iter().map(|&c| s.weight[c]).sum();
                    let better = match best {
                        None => true,
                        Some((_, bd, bw)) => {
                            (dom as u128) * (bw as u128) < (bd as u128) * (w as u128)
                        }
                    };
                    if better {
                        best = Some((v, dom, w));
                    }
                }
                best.unwrap().0
            }
        };
        let t = s.truth[v].clamp(lo[v], hi[v]);
        let mut values = vec![t];
        for step in 1..=(hi[v] - lo[v]) {
            if t + step <= hi[v] {
                values.push(t + step);
            }
            if t - step >= lo[v] {
                values.push(t - step);
            }
        }
        for val in values {
            if *budget == 0 {
                return None;
            }
            *budget -= 1;
            let (mut l, mut h) = (lo.clone(), hi.clone());
            l[v] = val;
            h[v] = val;
            if let Err(c) = propagate(s.cons, s.of_var, &mut l, &mut h, &s.of_var[v]) {
                s.weight[c] += 1;
                continue;
            }
            match go(s, l, h, &open, budget) {
                Some(None) => {}
                other => return other,
            }
        }
        Some(None)
    }
    let (mut lo, mut hi) = (vec![0; n], vec![cap; n]);
    let all: Vec<usize> = (0..cons.len()).collect();
    if propagate(cons, &of_var, &mut lo, &mut hi, &all).is_err() {
        return Some(None);
    }
    let mut s = Search {
        cons,
        of_var: &of_var,
        truth,
        weight: vec![1; cons.len()],
        order: first.map(|first| {
            let mut order = first.to_vec();
            order.extend((0..n).filter(|v| !first.contains(v)));
            order
        }),
    };
    let all: Vec<usize> = (0..n).collect();
    go(&mut s, lo, hi, &all, budget)
}

/// The open variables `open` split into parts linked by constraints with
/// two or more open variables.
fn components(cons: &[Con], lo: &[i64], hi: &[i64], open: &[usize]) -> Vec<Vec<usize>> {
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    let mut parent: Vec<usize> = (0..lo.len()).collect();
    for c in cons {
        let mut first: Option<usize> = None;
        for &(v, _) in &c.terms {
            if lo[v] < hi[v] {
                match first {
                    None => first = Some(v),
                    Some(f) => {
                        let (a, b) = (find(&mut parent, f), find(&mut parent, v));
                        parent[a] = b;
                    }
                }
            }
        }
    }
    let mut parts: Vec<Vec<usize>> = Vec::new();
    let mut root_part: std::collections::HashMap<usize, usize> = Default::default();
    for &v in open {
        let r = find(&mut parent, v);
        let i = *root_part.entry(r).or_insert_with(|| {
            parts.push(Vec::new());
            parts.len() - 1
        });
        parts[i].push(v);
    }
    parts
}

/// A withheld quantity the adversary tries to pin: `Σ vars`.
#[derive(Debug, Clone)]
struct Target {
    vars: Vec<usize>,
    label: String,
    rolled_up: bool,
}

/// Outcome of attacking one publication.
#[derive(Debug, Default)]
struct Attack {
    /// Withheld non-zero quantities attacked (a withheld area row counts
    /// twice: its people and its pairs).
    withheld: usize,
    /// `label = value` of every determined quantity; an area row's people
    /// count is labelled `… people`.
    determined: Vec<String>,
    undecided: Vec<String>,
}

/// What the adversary reads from an area row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Model {
    /// Its people (distinct people rated, `people`) and pairs (`rated`),
    /// tied to the competence counts atom by atom.
    People,
    /// Its pairs only (`rated` = Σ of its competences' counts), as the
    /// library's audit models an area cell.
    Pairs,
}

/// Sets of atoms (sorted), numbered as met.
#[derive(Default)]
struct Groups {
    ids: std::collections::HashMap<Vec<usize>, usize>,
    atoms: Vec<Vec<usize>>,
}

impl Groups {
    fn id(&mut self, atoms: Vec<usize>) -> usize {
        if let Some(&g) = self.ids.get(&atoms) {
            return g;
        }
        self.atoms.push(atoms.clone());
        self.ids.insert(atoms, self.atoms.len() - 1);
        self.atoms.len() - 1
    }
}

/// Search node budget per attacked quantity and direction.
const BUDGET: u64 = 200_000;

/// Attack the rows of one publication of `o` (min group `k`).
fn attack(o: &Org, tree: &OrgTree, rows: &[Row], k: u64, model: Model) -> Attack {
    let k = k as i64;
    let n_units = tree.len();
    // No count has an upper bound beyond the reasons; the search caps
    // values at 2N + 10 (N people), more than any ±1 move away from the
    // truth needs.
    let head = 2 * o.people.len() as i64 + 10;
    let has_role_unit = rows.iter().any(|r| r.table == Table::RoleUnit);
    let has_role = rows.iter().any(|r| r.table == Table::Role);
    let by_role = has_role_unit || has_role;
    let n_r = if by_role { o.n_roles } else { 1 };
    // Atoms: the own people of one unit (and role).
    let atom = |u: usize, r: usize| u * n_r + r;
    let n_atoms = n_units * n_r;
    let role_index = |id: &str| -> usize { id.trim_start_matches('r').parse().unwrap() };
    // Rolled-up units, and which kept unit's own row absorbs each.
    let mut rolled = vec![false; n_units];
    for r in rows {
        if r.suppressed == Some(Reason::RolledUp) {
            rolled[tree.index_of(r.unit.as_deref().unwrap()).unwrap()] = true;
        }
    }
    let subtree = |u: usize| -> Vec<usize> {
        let mut out = vec![];
        let mut stack = vec![u];
        while let Some(x) = stack.pop() {
            out.push(x);
            stack.extend(tree.children(x).iter().map(|&c| c as usize));
        }
        out
    };
    let own_units = |u: usize| -> Vec<usize> {
        let mut out = vec![u];
        if !rolled[u] {
            for &c in tree.children(u) {
                if rolled[c as usize] {
                    out.extend(subtree(c as usize));
                }
            }
        }
        out
    };
    // The atoms of a group.
    let group = |u: usize, scope: Scope, role: Option<usize>| -> Vec<usize> {
        let units = match scope {
            Scope::Own => own_units(u),
            Scope::Rollup => subtree(u),
        };
        let roles: Vec<usize> = match role {
            Some(r) => vec![r],
            None => (0..n_r).collect(),
        };
        let mut v: Vec<usize> = units
            .iter()
            .flat_map(|&x| roles.iter().map(move |&r| atom(x, r)))
            .collect();
        v.sort_unstable();
        v
    };
    // Systems: an area with its competences when area rows are published,
    // else each competence alone (nothing ties competences together).
    let area_rows = rows.iter().any(|r| r.competence.is_none());
    let systems: Vec<(Vec<usize>, Option<usize>)> = match (&o.area_of, area_rows) {
        (Some(area_of), true) => (0..=*area_of.iter().max().unwrap())
            .map(|a| ((0..o.n_c).filter(|&c| area_of[c] == a).collect(), Some(a)))
            .collect(),
        _ => (0..o.n_c).map(|c| (vec![c], None)).collect(),
    };
    // Groups: every set of atoms a row (or a relation) sums, as a
    // variable of its own per item, tied to its atoms, so that the
    // propagation sees the tables' additive relations directly.
    let mut groups = Groups::default();
    // Relations `Σ lhs = Σ rhs` between groups (checked on the atoms).
    let mut relations: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    let role_sels: Vec<Option<usize>> = std::iter::once(None)
        .chain((0..n_r).filter(|_| has_role_unit).map(Some))
        .collect();
    for u in 0..n_units {
        let own = own_units(u);
        for &r in &role_sels {
            // rollup(u) = own(u) + Σ rollup(child) over the children
            // outside own(u).
            let mut rhs = vec![groups.id(group(u, Scope::Own, r))];
            for &c in tree.children(u) {
                if !own.contains(&(c as usize)) {
                    rhs.push(groups.id(group(c as usize, Scope::Rollup, r)));
                }
            }
            relations.push((vec![groups.id(group(u, Scope::Rollup, r))], rhs));
        }
        if has_role_unit {
            for sc in [Scope::Own, Scope::Rollup] {
                let parts = (0..n_r).map(|r| groups.id(group(u, sc, Some(r)))).collect();
                relations.push((vec![groups.id(group(u, sc, None))], parts));
            }
        }
    }
    let roots: Vec<usize> = (0..n_units).filter(|&u| o.parents[u] < 0).collect();
    let total = |r: usize| -> Vec<usize> { (0..n_units).map(|x| atom(x, r)).collect() };
    if has_role {
        let totals: Vec<usize> = (0..n_r).map(|r| groups.id(total(r))).collect();
        let tops: Vec<usize> = roots
            .iter()
            .map(|&u| groups.id(group(u, Scope::Rollup, None)))
            .collect();
        relations.push((totals.clone(), tops));
        if has_role_unit {
            for r in 0..n_r {
                let tops = roots
                    .iter()
                    .map(|&u| groups.id(group(u, Scope::Rollup, Some(r))))
                    .collect();
                relations.push((vec![totals[r]], tops));
            }
        }
    }
    for (lhs, rhs) in &relations {
        let side = |gs: &[usize]| -> Vec<usize> {
            let mut v: Vec<usize> = gs.iter().flat_map(|&g| groups.atoms[g].clone()).collect();
            v.sort_unstable();
            v
        };
        assert_eq!(side(lhs), side(rhs), "relation {lhs:?} = {rhs:?}");
    }
    let mut out = Attack::default();
    for (comps, area) in systems {
        let m = comps.len();
        // Area people variables only when the adversary reads them.
        let people = area.is_some() && model == Model::People;
        // Variables: F_j(x) for the j-th competence and atom x, then A(x);
        // then per group its F_j and A.
        let kinds = m + usize::from(people);
        let f = |j: usize, x: usize| j * n_atoms + x;
        let av = |x: usize| m * n_atoms + x;
        let n_atom_vars = kinds * n_atoms;
        let gv = |g: usize, kind: usize| n_atom_vars + g * kinds + kind;
        let cids: Vec<String> = comps.iter().map(|c| format!("c{c}")).collect();
        let aid = area.map(|a| format!("a{a}"));
        let mut cons: Vec<(Con, String)> = Vec::new();
        let mut targets: Vec<Target> = Vec::new();
        let mut present: std::collections::HashSet<(usize, Scope, usize)> = Default::default();
        for row in rows.iter() {
            // The row's item in this system: Some(j) = competence j,
            // None = the area.
            let item = match (&row.competence, &row.area) {
                (Some(c), _) => match cids.iter().position(|x| x == c) {
                    Some(j) => Some(j),
                    None => continue,
                },
                (None, a) if a.is_some() && *a == aid => None,
                _ => continue,
            };
            let u = row.unit.as_deref().map(|u| tree.index_of(u).unwrap());
            let role = row.role.as_deref().map(role_index);
            let atoms = match (row.table, u, row.scope) {
                (Table::Unit, Some(u), Some(s)) => group(u, s, None),
                (Table::RoleUnit, Some(u), Some(s)) => {
                    present.insert((u, s, role.unwrap()));
                    group(u, s, role)
                }
                (Table::Role, None, None) => total(role.unwrap()),
                _ => panic!("unexpected row {row:?}"),
            };
            let g = groups.id(atoms);
            let name = match item {
                Some(j) => cids[j].clone(),
                None => aid.clone().unwrap(),
            };
            let label = format!(
                "{:?} {:?} {:?} {:?} {name}",
                row.table, row.unit, row.scope, row.role
            );
            let (lo, hi) = match row.suppressed {
                None => match row.people {
                    Some(x) => (x as i64, x as i64),
                    // an area row does not publish its head count; published,
                    // it is not small: 0 when nobody is rated on the area,
                    // else at least `min_group`
                    None if row.rated == Some(0) => (0, 0),
                    None => (k, POS),
                },
                // (an area row of several competences: withheld because
                // one of them is primary, its people may be many)
                Some(Reason::Primary) if item.is_none() && m > 1 => (1, POS),
                Some(Reason::Primary) => (1, k - 1),
                Some(Reason::Secondary) => (k, POS),
                Some(Reason::RolledUp) => (0, POS),
            };
            let rolled_up = row.suppressed == Some(Reason::RolledUp);
            let pvars: Vec<usize> = (0..m).map(|j| gv(g, j)).collect();
            match item {
                Some(j) => {
                    if row.suppressed.is_none() {
                        assert_eq!(row.people, row.rated, "{label}");
                    }
                    cons.push((Con::sum(&[gv(g, j)], lo, hi), label.clone()));
                    if row.suppressed.is_some() {
                        targets.push(Target {
                            vars: vec![gv(g, j)],
                            label,
                            rolled_up,
                        });
                    }
                }
                None if people => {
                    cons.push((Con::sum(&[gv(g, m)], lo, hi), format!("{label} people")));
                    match row.suppressed {
                        None => {
                            let x = row.rated.unwrap() as i64;
                            cons.push((Con::sum(&pvars, x, x), label));
                        }
                        Some(_) => {
                            targets.push(Target {
                                vars: vec![gv(g, m)],
                                label: format!("{label} people"),
                                rolled_up,
                            });
                            targets.push(Target {
                                vars: pvars,
                                label,
                                rolled_up,
                            });
                        }
                    }
                }
                None => {
                    // Pairs only: a primary area row has at least 1 pair
                    // (1 … k − 1 with one competence); a secondary one ≥ k.
                    let (lo, hi) = match row.suppressed {
                        None => {
                            let x = row.rated.unwrap() as i64;
                            (x, x)
                        }
                        _ => (lo, hi),
                    };
                    cons.push((Con::sum(&pvars, lo, hi), label.clone()));
                    if row.suppressed.is_some() {
                        targets.push(Target {
                            vars: pvars,
                            label,
                            rolled_up,
                        });
                    }
                }
            }
        }
        if has_role_unit {
            for u in (0..n_units).filter(|&u| !rolled[u]) {
                for s in [Scope::Own, Scope::Rollup] {
                    for r in 0..n_r {
                        if !present.contains(&(u, s, r)) {
                            let g = groups.id(group(u, s, Some(r)));
                            let vars: Vec<usize> = (0..kinds).map(|kd| gv(g, kd)).collect();
                            cons.push((Con::sum(&vars, 0, 0), format!("absent {u} {s:?} r{r}")));
                        }
                    }
                }
            }
        }
        let n_groups = groups.atoms.len();
        let n_vars = n_atom_vars + n_groups * kinds;
        // Each group's variables are the sums of its atoms'; the relations
        // hold item by item.
        for (g, atoms) in groups.atoms.iter().enumerate() {
            for kd in 0..kinds {
                let mut terms = vec![(gv(g, kd), 1)];
                terms.extend(atoms.iter().map(|&x| (kd * n_atoms + x, -1)));
                cons.push((
                    Con {
                        terms,
                        lo: 0,
                        hi: 0,
                    },
                    format!("group {g} kind {kd}"),
                ));
            }
        }
        for (lhs, rhs) in &relations {
            for kd in 0..kinds {
                let mut terms: Vec<(usize, i64)> = lhs.iter().map(|&g| (gv(g, kd), 1)).collect();
                terms.extend(rhs.iter().map(|&g| (gv(g, kd), -1)));
                cons.push((
                    Con {
                        terms,
                        lo: 0,
                        hi: 0,
                    },
                    format!("relation {lhs:?} {rhs:?}"),
                ));
            }
        }
        // Every atom's people: each rated on a competence of the area is
        // one of its A(x) people, and each of them is rated on at least
        // one: F_j(x) ≤ A(x) ≤ Σ_j F_j(x); and so for every group
        // (implied, stated to help the propagation).
        if people {
            let le = |cons: &mut Vec<(Con, String)>, fj: Vec<usize>, a: usize, what: String| {
                let mut sum = vec![(a, 1)];
                for &v in &fj {
                    cons.push((
                        Con {
                            terms: vec![(v, 1), (a, -1)],
                            lo: NEG,
                            hi: 0,
                        },
                        format!("F ≤ A {what}"),
                    ));
                    sum.push((v, -1));
                }
                cons.push((
                    Con {
                        terms: sum,
                        lo: NEG,
                        hi: 0,
                    },
                    format!("A ≤ Σ F {what}"),
                ));
            };
            for x in 0..n_atoms {
                le(
                    &mut cons,
                    (0..m).map(|j| f(j, x)).collect(),
                    av(x),
                    format!("atom {x}"),
                );
            }
            for g in 0..n_groups {
                le(
                    &mut cons,
                    (0..m).map(|j| gv(g, j)).collect(),
                    gv(g, m),
                    format!("group {g}"),
                );
            }
        }
        // True counts, from the raw people.
        let mut t = vec![0i64; n_vars];
        for p in &o.people {
            let x = atom(p.0, if by_role { p.1 } else { 0 });
            let mut any = false;
            for (j, &c) in comps.iter().enumerate() {
                if p.3[c] > 0 && p.2[c] >= 0 {
                    t[f(j, x)] += 1;
                    any = true;
                }
            }
            if any && people {
                t[av(x)] += 1;
            }
        }
        for (g, atoms) in groups.atoms.iter().enumerate() {
            for kd in 0..kinds {
                t[gv(g, kd)] = atoms.iter().map(|&x| t[kd * n_atoms + x]).sum();
            }
        }
        // The truth satisfies everything the adversary knows.
        for (c, label) in &cons {
            assert!(c.holds(&t), "truth violates {label}: {c:?}");
        }
        let base: Vec<Con> = cons.into_iter().map(|(c, _)| c).collect();
        let mut solutions: Vec<Vec<i64>> = Vec::new();
        for target in &targets {
            let tv: i64 = target.vars.iter().map(|&x| t[x]).sum();
            if target.rolled_up && tv == 0 {
                continue;
            }
            out.withheld += 1;
            // Each direction (a smaller, a larger count) until one has a
            // completion: short searches first (target first, dom/wdeg),
            // then long ones.
            // A completion found before may already move it.
            let mut moved = solutions
                .iter()
                .any(|x| target.vars.iter().map(|&v| x[v]).sum::<i64>() != tv);
            let mut open = [true, true];
            for (budget0, first) in [
                (2_000, true),
                (2_000, false),
                (BUDGET, false),
                (BUDGET, true),
                (10 * BUDGET, false),
            ] {
                for (d, (lo, hi)) in [(tv + 1, POS), (NEG, tv - 1)].into_iter().enumerate() {
                    if moved || !open[d] {
                        continue;
                    }
                    let mut cons = base.clone();
                    cons.push(Con::sum(&target.vars, lo, hi));
                    let mut budget = budget0;
                    let t0 = Instant::now();
                    let first = first.then_some(target.vars.as_slice());
                    let res = feasible(n_vars, head, &cons, first, &t, &mut budget);
                    // `ADV_TRACE=1`: report every search slower than 20 ms.
                    if std::env::var("ADV_TRACE").is_ok() && t0.elapsed().as_millis() > 20 {
                        eprintln!(
                            "TRACE {:?} {} nodes {:?} vars {n_vars} {} dir {d} first {}",
                            res,
                            budget0 - budget,
                            t0.elapsed(),
                            target.label,
                            first.is_some(),
                        );
                    }
                    match res {
                        Some(Some(x)) => {
                            moved = true;
                            solutions.push(x);
                        }
                        Some(None) => open[d] = false,
                        None => {}
                    }
                }
            }
            let undecided = !moved && open.iter().any(|&o| o);
            if !moved {
                if undecided {
                    out.undecided.push(target.label.clone());
                } else {
                    out.determined.push(format!("{} = {tv}", target.label));
                }
            }
        }
    }
    out
}

/// Sanity check of the adversary itself on hand-made rows: one primary
/// child next to a published sibling under a published total is found.
#[test]
fn adversary_finds_differencing_and_bounds() {
    // Tree: 0 with children 1, 2. Unit 1 has 2 people, unit 2 has 6
    // (k = 5). Publishing everything but unit 1 lets 8 − 6 = 2 through.
    let o = Org {
        parents: vec![-1, 0, 0],
        n_roles: 1,
        n_c: 1,
        people: [1, 1, 2, 2, 2, 2, 2, 2]
            .iter()
            .map(|&u| (u, 0, vec![3], vec![2]))
            .collect(),
        area_of: None,
    };
    let layout = layout_of(&o);
    let tree = &layout.tree;
    let row = |unit: &str, scope: Scope, rated: Option<u64>, reason: Option<Reason>| Row {
        table: Table::Unit,
        unit: Some(unit.into()),
        scope: Some(scope),
        role: None,
        area: None,
        competence: Some("c0".into()),
        people: rated,
        rated,
        missing: None,
        meeting: None,
        coverage: None,
        mean_shortfall: None,
        mean_shortfall_below: None,
        weighted_need: None,
        median_level: None,
        mean_level: None,
        distribution: None,
        suppressed: reason,
    };
    let p = Some(Reason::Primary);
    let mut rows = vec![
        row("0", Scope::Own, Some(0), None),
        row("0", Scope::Rollup, Some(8), None),
        row("1", Scope::Own, None, p),
        row("1", Scope::Rollup, None, p),
        row("2", Scope::Own, Some(6), None),
        row("2", Scope::Rollup, Some(6), None),
    ];
    let a = attack(&o, tree, &rows, 5, Model::People);
    assert_eq!(a.withheld, 2);
    assert_eq!(a.determined.len(), 2, "{a:?}");
    // Withholding unit 2 as secondary: 1 + 2 = 8 with 1 ∈ [1, 4] and 2 ≥ 5
    // leaves 1 ∈ [1, 3]: nothing determined.
    let s = Some(Reason::Secondary);
    rows[4] = row("2", Scope::Own, None, s);
    rows[5] = row("2", Scope::Rollup, None, s);
    let a = attack(&o, tree, &rows, 5, Model::People);
    assert_eq!(a.withheld, 4);
    assert!(a.determined.is_empty() && a.undecided.is_empty(), "{a:?}");
    // With 2 people in unit 2 as well as in unit 1 (total 4, k = 3): both
    // primary in [1, 2] summing to 4 → both 2 (bounds).
    let o2 = Org {
        people: [1, 1, 2, 2]
            .iter()
            .map(|&u| (u, 0, vec![3], vec![2]))
            .collect(),
        ..o.clone()
    };
    let rows = vec![
        row("0", Scope::Own, Some(0), None),
        row("0", Scope::Rollup, Some(4), None),
        row("1", Scope::Own, None, p),
        row("1", Scope::Rollup, None, p),
        row("2", Scope::Own, None, p),
        row("2", Scope::Rollup, None, p),
    ];
    let a = attack(&o2, tree, &rows, 3, Model::People);
    assert_eq!(a.determined.len(), 4, "{a:?}");
}

/// The rows with every non-empty published row withheld too, each with
/// its honest reason (`primary` below `k`, else `secondary`; an area row,
/// whose head count is not published, as the library gives it: `primary`
/// when one of its competence rows is, else `secondary`): the most the
/// library could withhold. What the adversary still determines here is
/// inherent in publishing the reasons, whatever else is withheld.
fn withhold_all(rows: &[Row], k: u64) -> Vec<Row> {
    let mut out: Vec<Row> = rows
        .iter()
        .map(|r| {
            let mut r = r.clone();
            if r.competence.is_some() && r.suppressed.is_none() && r.people.unwrap_or(0) > 0 {
                r.suppressed = Some(if r.people.unwrap_or(0) < k {
                    Reason::Primary
                } else {
                    Reason::Secondary
                });
                r.rated = None;
                r.people = None;
            }
            r
        })
        .collect();
    let group = |r: &Row| (r.table, r.unit.clone(), r.scope, r.role.clone());
    for i in 0..out.len() {
        let r = &out[i];
        if r.competence.is_some() || r.suppressed.is_some() || r.rated.unwrap_or(0) == 0 {
            continue;
        }
        let primary = out.iter().any(|m| {
            m.competence.is_some()
                && m.area == r.area
                && group(m) == group(r)
                && m.suppressed == Some(Reason::Primary)
        });
        let r = &mut out[i];
        r.suppressed = Some(if primary {
            Reason::Primary
        } else {
            Reason::Secondary
        });
        r.rated = None;
        r.people = None;
    }
    out
}

fn label_of(f: &AuditFinding) -> String {
    format!(
        "{:?} {:?} {:?} {:?} {}",
        f.table,
        f.unit,
        f.scope,
        f.role,
        f.competence.clone().or(f.area.clone()).unwrap_or_default()
    )
}

/// What a run asserts.
#[derive(Debug, Clone, Copy)]
struct Check {
    /// What the adversary reads from area rows.
    model: Model,
    /// The audit reports exactly what the adversary determines (else: no
    /// more than that).
    exact: bool,
    /// Nothing is determined but what is inherent.
    protected: bool,
}

/// The strictest check, with the adversary's full knowledge.
const STRICT: Check = Check {
    model: Model::People,
    exact: true,
    protected: true,
};

/// What a run found.
#[derive(Debug, Default)]
struct Tally {
    cells: usize,
    withheld: usize,
    secondary: usize,
    /// Determined quantities (all inherent when the run passes).
    inherent: usize,
    /// Of them, area people counts.
    people: usize,
    /// Determined quantities that withholding more could hide.
    fixable: usize,
    /// Organisations whose audit disagrees with the adversary.
    disagree: usize,
    /// What went wrong, one entry per organisation.
    failures: Vec<String>,
}

fn labels(determined: &[String]) -> std::collections::BTreeSet<String> {
    determined
        .iter()
        .map(|d| d.split(" = ").next().unwrap().to_string())
        .collect()
}

/// Publish `n_orgs` random organisations (with one or two areas when
/// `areas` is set) and attack each publication: nothing may be determined
/// except what is inherent (see [`withhold_all`]), and the library's audit
/// must report exactly what the adversary determines (an area row's pairs
/// count is what the audit reports for an area cell; its people count is
/// beyond the audit's model and must not be determined at all unless
/// inherent). Panics at the end with every organisation that failed.
fn run(
    seed: u64,
    n_orgs: usize,
    size: (u64, u64),
    areas: bool,
    check: Check,
    make: impl Fn(&mut Rng) -> PublishOptions,
) -> Tally {
    let model = check.model;
    let started = Instant::now();
    let mut rng = Rng(seed);
    let mut t = Tally::default();
    for i in 0..n_orgs {
        let mut o = random_org(&mut rng, size.0, size.1);
        if areas {
            o = with_random_areas(&mut rng, o);
        }
        let opts = make(&mut rng);
        let layout = layout_of(&o);
        let p = publish(&state_of(&o, &layout).finish(), &opts).unwrap();
        let a = attack(&o, &layout.tree, &p.rows, opts.min_group, model);
        let ctx = format!("org {i} (seed {seed:#x}) {o:?}\noptions {opts:?}");
        let mut problems: Vec<String> = Vec::new();
        if !a.undecided.is_empty() {
            problems.push(format!("undecided {:?}", a.undecided));
        }
        // Secondary suppression removes every linear finding.
        let secondary = matches!(
            opts.suppression,
            Suppression::Secondary | Suppression::Rollup
        );
        if secondary && !p.audit.clean {
            problems.push(format!("linear findings {:?}", p.audit.findings));
        }
        let reported: std::collections::BTreeSet<String> = p
            .audit
            .findings
            .iter()
            .chain(&p.audit.size_findings)
            .map(label_of)
            .collect();
        let found_all = labels(&a.determined);
        let found: std::collections::BTreeSet<String> = found_all
            .iter()
            .filter(|l| !l.ends_with(" people"))
            .cloned()
            .collect();
        // The library's audit is exact: it reports what the adversary
        // finds (with `exact` unset: sound, it reports nothing more).
        if (check.exact && reported != found) || !reported.is_subset(&found) {
            t.disagree += 1;
            problems.push(format!(
                "audit {reported:?} but adversary {:?}",
                a.determined
            ));
        }
        let worst = attack(
            &o,
            &layout.tree,
            &withhold_all(&p.rows, opts.min_group),
            opts.min_group,
            model,
        );
        let inherent = labels(&worst.determined);
        // An area row is withheld whenever one of its competence rows is,
        // so nothing more can hide it; what is determined of it is allowed
        // when it follows from its group's competence rows, every one of
        // them published or itself determined (and so checked above).
        let withheld: std::collections::BTreeSet<String> = p
            .rows
            .iter()
            .filter(|r| r.suppressed.is_some())
            .map(|r| {
                let name = r.competence.clone().or(r.area.clone()).unwrap();
                format!(
                    "{:?} {:?} {:?} {:?} {name}",
                    r.table, r.unit, r.scope, r.role
                )
            })
            .collect();
        let pairs_follow = |l: &str| -> bool {
            let (group, name) = l.rsplit_once(' ').unwrap();
            let (Some(a), Some(area_of)) = (name.strip_prefix('a'), &o.area_of) else {
                return false;
            };
            let a: usize = a.parse().unwrap();
            (0..o.n_c).filter(|&c| area_of[c] == a).all(|c| {
                let m = format!("{group} c{c}");
                !withheld.contains(&m) || found_all.contains(&m)
            })
        };
        // An area row's people count (not published) is determined only
        // when it equals its pairs in every completion (each person counted
        // on one competence of the area); it is allowed when it does, and
        // the pairs are allowed.
        let value_of = |l: &str| {
            a.determined
                .iter()
                .find_map(|d| d.strip_prefix(l)?.strip_prefix(" = "))
                .map(str::to_string)
        };
        let follows = |l: &String| -> bool {
            match l.strip_suffix(" people") {
                None => pairs_follow(l),
                Some(pairs) => {
                    value_of(l).is_some()
                        && value_of(l) == value_of(pairs)
                        && (inherent.contains(pairs) || pairs_follow(pairs))
                }
            }
        };
        let fixable: Vec<&String> = found_all
            .difference(&inherent)
            .filter(|l| !follows(l))
            .collect();
        t.fixable += fixable.len();
        if check.protected && !fixable.is_empty() {
            problems.push(format!(
                "determined but not inherent: {fixable:?} (adversary {:?})",
                a.determined
            ));
        }
        if !problems.is_empty() {
            t.failures.push(format!("{ctx}\n{}", problems.join("\n")));
        }
        t.inherent += found_all.len();
        t.people += found_all.len() - found.len();
        t.withheld += a.withheld;
        t.secondary += p.audit.secondary;
        t.cells += p.audit.cells;
    }
    eprintln!(
        "{n_orgs} organisations: {} cells, {} withheld non-empty quantities ({} secondary cells), {} determined ({} area people counts), {} not inherent, {} audits disagreeing; {:?}",
        t.cells, t.withheld, t.secondary, t.inherent, t.people, t.fixable, t.disagree,
        started.elapsed()
    );
    assert!(
        t.failures.is_empty(),
        "{} of {n_orgs} organisations failed; the first:\n{}",
        t.failures.len(),
        t.failures[..t.failures.len().min(3)].join("\n\n")
    );
    t
}

/// The unit table per competence (with role totals half of the time),
/// secondary suppression: the adversary determines nothing that more
/// withholding could hide, and exactly what the library reports.
#[test]
fn unit_table_audits_clean_against_the_adversary() {
    run(0x5EED_0001, 200, (9, 45), false, STRICT, |rng| {
        PublishOptions {
            min_group: 3 + rng.below(3),
            suppression: Suppression::Secondary,
            role_table: Some(rng.chance(0.5)),
            role_unit_table: false,
            areas: Some(false),
            top: 3,
        }
    });
}

/// The same in the "rolled into parent" mode.
#[test]
fn rolled_into_parent_audits_clean_against_the_adversary() {
    run(0x5EED_0002, 200, (9, 45), false, STRICT, |rng| {
        PublishOptions {
            min_group: 3 + rng.below(3),
            suppression: Suppression::Rollup,
            role_table: Some(rng.chance(0.5)),
            role_unit_table: false,
            areas: Some(false),
            top: 3,
        }
    });
}

/// The role × unit table (cross-classified; the library's move search is a
/// heuristic there): nothing determined that more withholding could hide
/// on these organisations, and exactly what the library reports.
#[test]
fn role_by_unit_table_audits_clean_against_the_adversary() {
    run(0x5EED_0003, 100, (5, 25), false, STRICT, |rng| {
        PublishOptions {
            min_group: 3 + rng.below(3),
            suppression: if rng.chance(0.5) {
                Suppression::Secondary
            } else {
                Suppression::Rollup
            },
            role_table: Some(rng.chance(0.5)),
            role_unit_table: true,
            areas: Some(false),
            top: 3,
        }
    });
}

/// The role × unit table with area rows: secondary or "rolled into
/// parent" suppression, half of the time each, the rest as
/// [`unit_with_areas`].
fn role_unit_with_areas(rng: &mut Rng) -> PublishOptions {
    PublishOptions {
        role_unit_table: true,
        suppression: if rng.chance(0.5) {
            Suppression::Secondary
        } else {
            Suppression::Rollup
        },
        ..unit_with_areas(rng)
    }
}

/// Random organisations per test with area rows, and their size (most
/// units, most people).
const AREA_ORGS: usize = 600;
const AREA_SIZE: (u64, u64) = (9, 45);

fn unit_with_areas(rng: &mut Rng) -> PublishOptions {
    PublishOptions {
        min_group: 3 + rng.below(3),
        suppression: Suppression::Secondary,
        role_table: Some(rng.chance(0.5)),
        role_unit_table: false,
        areas: if rng.chance(0.5) { Some(true) } else { None },
        top: 3,
    }
}

fn rolled_with_areas(rng: &mut Rng) -> PublishOptions {
    PublishOptions {
        suppression: Suppression::Rollup,
        ..unit_with_areas(rng)
    }
}

/// With area rows (the unit table, role totals half of the time), against
/// an adversary who reads of an area row only what the library's audit
/// models (its pairs `rated`, the sum of its competences' counts): the
/// audit reports exactly what the adversary determines.
#[test]
fn unit_table_with_area_pairs_audit_is_exact() {
    let check = Check {
        model: Model::Pairs,
        exact: true,
        protected: false,
    };
    run(
        0x5EED_0A01,
        AREA_ORGS,
        AREA_SIZE,
        true,
        check,
        unit_with_areas,
    );
}

/// The same, requiring also that nothing is determined but what is
/// inherent. (This failed on 4 of 600 organisations while area rows took
/// part in secondary suppression as totals of their competences: its
/// heuristic move search on three relations per cell left counts that
/// more withholding would hide. An area row now follows its competence
/// rows.)
#[test]
fn unit_table_with_area_pairs_protected() {
    let check = Check {
        model: Model::Pairs,
        exact: true,
        protected: true,
    };
    run(
        0x5EED_0A01,
        AREA_ORGS,
        AREA_SIZE,
        true,
        check,
        unit_with_areas,
    );
}

/// "Rolled into parent" with area rows, the audit's model of an area row:
/// the audit reports exactly what the adversary determines.
#[test]
fn rolled_into_parent_with_area_pairs_audit_is_exact() {
    let check = Check {
        model: Model::Pairs,
        exact: true,
        protected: false,
    };
    run(
        0x5EED_0A02,
        AREA_ORGS,
        AREA_SIZE,
        true,
        check,
        rolled_with_areas,
    );
}

/// The same, requiring that nothing is determined but what is inherent
/// (failed on 1 of 600 before, as in
/// `unit_table_with_area_pairs_protected`).
#[test]
fn rolled_into_parent_with_area_pairs_protected() {
    let check = Check {
        model: Model::Pairs,
        exact: true,
        protected: true,
    };
    run(
        0x5EED_0A02,
        AREA_ORGS,
        AREA_SIZE,
        true,
        check,
        rolled_with_areas,
    );
}

/// With the adversary's full knowledge of area rows (their `people` too):
/// whatever the library's audit reports is determined (the audit is
/// sound), however much more is.
#[test]
fn area_people_audit_is_sound() {
    let check = Check {
        model: Model::People,
        exact: false,
        protected: false,
    };
    let t = run(
        0x5EED_0A01,
        AREA_ORGS,
        AREA_SIZE,
        true,
        check,
        unit_with_areas,
    );
    let r = run(
        0x5EED_0A02,
        AREA_ORGS,
        AREA_SIZE,
        true,
        check,
        rolled_with_areas,
    );
    eprintln!(
        "area people counts determined: {} (unit table), {} (rolled into parent); not inherent: {}, {}",
        t.people, r.people, t.fixable, r.fixable
    );
}

/// The strict check with area rows, the unit table. The `people` column
/// of an area row (distinct people rated on at least one of its
/// competences) is additive over the tree and bounds every competence
/// count of the group (`max_c F_c ≤ A ≤ Σ_c F_c`), which the library's
/// audit does not model. History: while area rows published their head
/// count under suppression this failed on 117 of 600 organisations (1021
/// quantities, 293 of them area people counts; see
/// `area_people_leak_minimal`); while an area row's own head count decided
/// its primary suppression, on 10 of 600 (counts pinned through the
/// reasons and the ties). An area row now follows its competence rows and
/// hides its head count, so it tells the adversary nothing they do not.
#[test]
fn unit_table_with_areas_against_the_adversary() {
    run(
        0x5EED_0A01,
        AREA_ORGS,
        AREA_SIZE,
        true,
        STRICT,
        unit_with_areas,
    );
}

/// The same, "rolled into parent" (failed on 89 of 600 organisations,
/// then on 3, at the two stages above).
#[test]
fn rolled_into_parent_with_areas_against_the_adversary() {
    run(
        0x5EED_0A02,
        AREA_ORGS,
        AREA_SIZE,
        true,
        STRICT,
        rolled_with_areas,
    );
}

/// Broken tables: primary suppression only, with area rows. The adversary
/// must catch the leaks (differencing), exactly as the library's audit
/// reports them under the pairs model, and at least those under the full
/// model.
#[test]
fn primary_only_with_areas_is_caught() {
    let primary = |rng: &mut Rng| PublishOptions {
        suppression: Suppression::Primary,
        ..unit_with_areas(rng)
    };
    let check = Check {
        model: Model::Pairs,
        exact: true,
        protected: false,
    };
    let t = run(0x5EED_0A03, 100, AREA_SIZE, true, check, primary);
    assert!(t.fixable > 100, "{t:?}");
    let check = Check {
        model: Model::People,
        exact: false,
        protected: false,
    };
    let t = run(0x5EED_0A03, 100, AREA_SIZE, true, check, primary);
    assert!(t.fixable > 100, "{t:?}");
}

/// The role × unit table with area rows (the library's simpler greedy
/// rule): the audit reports exactly what the adversary determines under
/// the pairs model.
#[test]
fn role_by_unit_table_with_area_pairs_audit_is_exact() {
    let check = Check {
        model: Model::Pairs,
        exact: true,
        protected: false,
    };
    run(0x5EED_0A04, 200, (6, 30), true, check, role_unit_with_areas);
}

/// The same with the adversary's full knowledge: the audit is sound.
#[test]
fn role_by_unit_table_with_area_people_audit_is_sound() {
    let check = Check {
        model: Model::People,
        exact: false,
        protected: false,
    };
    run(0x5EED_0A04, 200, (6, 30), true, check, role_unit_with_areas);
}

/// The demo's publication (171 primary cells) audits fully clean: no
/// withheld cell's statistics and no withheld cell's head count can be
/// determined (the earlier greedy rule withheld 69 secondary cells and
/// left 12 head counts determined by bounds).
#[test]
fn demo_publication_audits_fully_clean() {
    use kompetens::demo::{DemoOrganisation, DEMO_POLICY};
    let org = DemoOrganisation::generate().unwrap();
    let needs = org.needs("2026", &DEMO_POLICY.parse().unwrap(), 3).unwrap();
    for a in [&needs.audit, &needs.publication.audit] {
        assert!(
            a.clean && a.sizes_clean && a.complete && a.consistent,
            "{a:?}"
        );
        assert_eq!(a.primary, 171);
        assert!(a.secondary <= 60, "{} secondary cells", a.secondary);
    }
    eprintln!(
        "demo: {} cells, {} primary, {} secondary, nothing determined",
        needs.audit.cells, needs.audit.primary, needs.audit.secondary
    );
}

/// A row of a hand-made unit table (`reason` set: every number withheld).
fn unit_row(
    unit: &str,
    scope: Scope,
    item: (Option<&str>, Option<&str>),
    counts: Option<(u64, u64)>,
    reason: Option<Reason>,
) -> Row {
    Row {
        table: Table::Unit,
        unit: Some(unit.into()),
        scope: Some(scope),
        role: None,
        area: item.1.map(Into::into),
        competence: item.0.map(Into::into),
        people: counts.map(|c| c.0),
        rated: counts.map(|c| c.1),
        missing: None,
        meeting: None,
        coverage: None,
        mean_shortfall: None,
        mean_shortfall_below: None,
        weighted_need: None,
        median_level: None,
        mean_level: None,
        distribution: None,
        suppressed: reason,
    }
}

/// The smallest organisation found (by a search over 20,000 random ones)
/// where the library's publication with area rows leaves a count
/// determined: one unit of three people, `min_group = 3`, areas
/// `a0 = {c0, c2}` and `a1 = {c1}`.
///
/// | person | c0 | c1 | c2 |
/// |---|---|---|---|
/// | 1 | rated | missing | rated |
/// | 2 | rated | rated | rated |
/// | 3 | rated | rated | not required |
///
/// Counts: `c0 = 3`, `c1 = 2`, `c2 = 2`; area `a0`: 3 people, 5 pairs;
/// `a1`: 2 people, 2 pairs.
fn three_people() -> Org {
    Org {
        parents: vec![-1],
        n_roles: 1,
        n_c: 3,
        people: vec![
            (0, 0, vec![4, -1, 5], vec![2, 1, 1]),
            (0, 0, vec![5, 1, 0], vec![2, 1, 1]),
            (0, 0, vec![3, 3, -1], vec![2, 4, 0]),
        ],
        area_of: Some(vec![0, 1, 0]),
    }
}

/// The adversary's area model on hand-made rows of [`three_people`]: `c1`,
/// `c2` and `a1` primary, `c0` secondary, `a0` published (3 people, 5
/// pairs), own = rolled-up (one unit).
///
/// Worked by hand: every person rated on `c0` is one of `a0`'s 3 people,
/// so `c0 ≤ 3`; withheld as secondary, `c0 ≥ 3`: `c0 = 3`, and then
/// `c2 = 5 − c0 = 2` (a primary cell). Reading only the pairs, `c0 + c2 =
/// 5` with `c0 ≥ 3` and `c2 ∈ [1, 2]` leaves `c2 ∈ {1, 2}`: nothing
/// determined. Publishing `c0` too (no secondary cell) gives `c2` away by
/// differencing under either model.
#[test]
fn adversary_reads_area_people() {
    let o = three_people();
    let layout = layout_of(&o);
    let (p, s) = (Some(Reason::Primary), Some(Reason::Secondary));
    let mut rows = Vec::new();
    for scope in [Scope::Own, Scope::Rollup] {
        rows.extend([
            unit_row("0", scope, (Some("c0"), Some("a0")), None, s),
            unit_row("0", scope, (Some("c1"), Some("a1")), None, p),
            unit_row("0", scope, (Some("c2"), Some("a0")), None, p),
            unit_row("0", scope, (None, Some("a0")), Some((3, 5)), None),
            unit_row("0", scope, (None, Some("a1")), None, p),
        ]);
    }
    let a = attack(&o, &layout.tree, &rows, 3, Model::People);
    let mut found = a.determined.clone();
    found.sort();
    assert_eq!(
        found,
        [
            "Unit Some(\"0\") Some(Own) None c0 = 3",
            "Unit Some(\"0\") Some(Own) None c2 = 2",
            "Unit Some(\"0\") Some(Rollup) None c0 = 3",
            "Unit Some(\"0\") Some(Rollup) None c2 = 2",
        ],
        "{a:?}"
    );
    let a = attack(&o, &layout.tree, &rows, 3, Model::Pairs);
    assert!(a.determined.is_empty() && a.undecided.is_empty(), "{a:?}");
    // A broken table: c0 published (3), no secondary cell.
    for r in rows
        .iter_mut()
        .filter(|r| r.competence.as_deref() == Some("c0"))
    {
        r.suppressed = None;
        r.people = Some(3);
        r.rated = Some(3);
    }
    for model in [Model::People, Model::Pairs] {
        let a = attack(&o, &layout.tree, &rows, 3, model);
        let found = labels(&a.determined);
        assert!(
            found.contains("Unit Some(\"0\") Some(Own) None c2"),
            "{model:?} {a:?}"
        );
    }
}

/// The library's publication of [`three_people`] (`min_group = 3`, area
/// rows, secondary suppression). The library withholds `c0` as secondary
/// and `c2` as primary; it used to publish area `a0` with 3 people and 5
/// pairs, which determines `c0 = 3` and `c2 = 2` (see
/// [`adversary_reads_area_people`]) while its audit reported nothing. With
/// suppression an area row no longer publishes its head count, and
/// nothing is determined.
#[test]
fn area_people_leak_minimal() {
    let o = three_people();
    let layout = layout_of(&o);
    let opts = PublishOptions {
        min_group: 3,
        areas: Some(true),
        role_table: Some(false),
        ..PublishOptions::default()
    };
    let p = publish(&state_of(&o, &layout).finish(), &opts).unwrap();
    let a = attack(&o, &layout.tree, &p.rows, 3, Model::People);
    assert!(a.determined.is_empty(), "{a:?}\n{:?}", p.rows);
}

// ---------------------------------------------------------------------
// Review of "area rows follow their competence rows" (commit 791262e).
// ---------------------------------------------------------------------

/// Options over every mode with area rows: primary, secondary, rolled
/// into parent; role table and role × unit table at random.
fn any_with_areas(rng: &mut Rng) -> PublishOptions {
    PublishOptions {
        min_group: 3 + rng.below(3),
        suppression: match rng.below(3) {
            0 => Suppression::Primary,
            1 => Suppression::Secondary,
            _ => Suppression::Rollup,
        },
        role_table: Some(rng.chance(0.5)),
        role_unit_table: rng.chance(0.4),
        areas: Some(true),
        top: 3,
    }
}

type GroupOf = (Table, Option<String>, Option<Scope>, Option<String>);

fn group_of(r: &Row) -> GroupOf {
    (r.table, r.unit.clone(), r.scope, r.role.clone())
}

/// Every area row, in every table and mode, is withheld exactly when one
/// of its competence rows (same group) is — `primary` when one of them is
/// primary, `secondary` when none is primary but one is secondary,
/// `rolled_up` with them — hides its head count, and, published, every
/// statistic it shows is the one computed from its competence rows'
/// published statistics (counts and distribution summed; shortfall,
/// level sum and weighted need recovered from the members' ratios; the
/// median recomputed from the summed distribution). So a published area
/// row is a function of published rows and a withheld one's reason a
/// function of theirs.
#[test]
fn review_area_rows_are_functions_of_competence_rows() {
    let mut rng = Rng(0x5EED_4EF1);
    let (mut published, mut withheld) = (0, 0);
    for i in 0..400 {
        let o = random_org(&mut rng, 9, 45);
        let o = with_random_areas(&mut rng, o);
        let opts = any_with_areas(&mut rng);
        let layout = layout_of(&o);
        let p = publish(&state_of(&o, &layout).finish(), &opts).unwrap();
        let area_of = o.area_of.as_ref().unwrap();
        let ctx = format!("org {i} {o:?} {opts:?}");
        for r in p.rows.iter().filter(|r| r.competence.is_none()) {
            let a: usize = r.area.as_ref().unwrap()[1..].parse().unwrap();
            let members: Vec<&Row> = p
                .rows
                .iter()
                .filter(|m| {
                    group_of(m) == group_of(r)
                        && m.competence
                            .as_ref()
                            .is_some_and(|c| area_of[c[1..].parse::<usize>().unwrap()] == a)
                })
                .collect();
            let n_members = area_of.iter().filter(|&&x| x == a).count();
            assert_eq!(members.len(), n_members, "{ctx}\n{r:?}");
            let expect = if members
                .iter()
                .any(|m| m.suppressed == Some(Reason::RolledUp))
            {
                Some(Reason::RolledUp)
            } else if members
                .iter()
                .any(|m| m.suppressed == Some(Reason::Primary))
            {
                Some(Reason::Primary)
            } else if members.iter().any(|m| m.suppressed.is_some()) {
                Some(Reason::Secondary)
            } else {
                None
            };
            assert_eq!(r.suppressed, expect, "{ctx}\n{r:?}\n{members:?}");
            assert_eq!(r.people, None, "area head count shown: {ctx}\n{r:?}");
            if r.suppressed.is_some() {
                withheld += 1;
                assert!(r.rated.is_none() && r.distribution.is_none() && r.missing.is_none());
                continue;
            }
            published += 1;
            let sum = |f: &dyn Fn(&Row) -> u64| members.iter().map(|m| f(m)).sum::<u64>();
            let rated = sum(&|m| m.rated.unwrap());
            assert_eq!(r.rated, Some(rated), "{ctx}");
            assert_eq!(r.missing, Some(sum(&|m| m.missing.unwrap())), "{ctx}");
            assert_eq!(r.meeting, Some(sum(&|m| m.meeting.unwrap())), "{ctx}");
            let mut dist = vec![0u64; r.distribution.as_ref().unwrap().len()];
            for m in &members {
                for (x, y) in dist.iter_mut().zip(m.distribution.as_ref().unwrap()) {
                    *x += y;
                }
            }
            assert_eq!(r.distribution.as_ref(), Some(&dist), "{ctx}");
            // Ratios back to sums (a member with nobody rated has none).
            let back = |f: &dyn Fn(&Row) -> Option<f64>| -> f64 {
                members
                    .iter()
                    .map(|m| f(m).map_or(0.0, |x| x * m.rated.unwrap() as f64))
                    .sum()
            };
            let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
                (Some(a), Some(b)) => (a - b).abs() < 1e-9 * (1.0 + b.abs()),
                (None, None) => true,
                _ => false,
            };
            let per = |s: f64| (rated > 0).then(|| s / rated as f64);
            assert!(
                close(r.mean_shortfall, per(back(&|m| m.mean_shortfall))),
                "{ctx}"
            );
            assert!(close(r.mean_level, per(back(&|m| m.mean_level))), "{ctx}");
            assert!(close(r.coverage, per(back(&|m| m.coverage))), "{ctx}");
            let wn: f64 = members.iter().map(|m| m.weighted_need.unwrap()).sum();
            assert!(close(r.weighted_need, Some(wn)), "{ctx}");
            let shortfall = back(&|m| m.mean_shortfall);
            let below = rated - r.meeting.unwrap();
            let msb = (below > 0).then(|| shortfall / below as f64);
            assert!(close(r.mean_shortfall_below, msb), "{ctx}");
            let med = kompetens::aggregate::interpolated_median(&dist, 0);
            assert!(close(r.median_level, med), "{ctx}");
        }
    }
    eprintln!("{published} published and {withheld} withheld area rows checked");
    assert!(published > 500 && withheld > 500);
}

/// The publication's own audit report agrees with `audit_rows` run on its
/// rows, in every mode with area rows: the same findings (linear and
/// size, with method and value), the same counts of cells and withheld
/// cells by reason.
#[test]
fn review_publish_report_matches_audit_rows_with_areas() {
    use kompetens::aggregate::audit_rows;
    let mut rng = Rng(0x5EED_4EF2);
    let mut problems: Vec<String> = Vec::new();
    let key = |f: &AuditFinding| {
        format!(
            "{} {:?} {:?} {:?}",
            label_of(f),
            f.suppressed,
            f.method,
            f.value.map(|v| v.round() as i64)
        )
    };
    let set = |v: &[AuditFinding]| v.iter().map(key).collect::<std::collections::BTreeSet<_>>();
    let (mut area_findings, mut all_findings) = (0, 0);
    // The relations too: publish protects per competence but counts the
    // area items' relations as `audit_rows` does (area = Σ competences,
    // and the tree, margin and role relations on area cells).
    let mut relations_differ = 0;
    for i in 0..300 {
        let o = random_org(&mut rng, 8, 40);
        let o = with_random_areas(&mut rng, o);
        let opts = any_with_areas(&mut rng);
        let layout = layout_of(&o);
        let p = publish(&state_of(&o, &layout).finish(), &opts).unwrap();
        let a = audit_rows(&layout.tree, &p.rows, opts.min_group).unwrap();
        let mine = &p.audit;
        let mut diff = Vec::new();
        for (name, x, y) in [
            ("cells", mine.cells, a.cells),
            ("withheld", mine.withheld, a.withheld),
            ("primary", mine.primary, a.primary),
            ("secondary", mine.secondary, a.secondary),
            ("rolled_up", mine.rolled_up, a.rolled_up),
        ] {
            if x != y {
                diff.push(format!("{name}: publish {x}, audit_rows {y}"));
            }
        }
        if set(&mine.findings) != set(&a.findings) {
            diff.push(format!(
                "findings: publish {:?}, audit_rows {:?}",
                set(&mine.findings),
                set(&a.findings)
            ));
        }
        if set(&mine.size_findings) != set(&a.size_findings) {
            diff.push(format!(
                "size findings: publish {:?}, audit_rows {:?}",
                set(&mine.size_findings),
                set(&a.size_findings)
            ));
        }
        if (mine.clean, mine.sizes_clean) != (a.clean, a.sizes_clean) {
            diff.push("clean flags".into());
        }
        // (with the role × unit table they once counted relations
        // differently in organisations without people — publish 74,
        // audit_rows 35 on one — where publish added "unit = Σ role × unit
        // groups" relations over no groups)
        if mine.relations != a.relations {
            relations_differ += 1;
            diff.push(format!(
                "relations: publish {}, audit_rows {}",
                mine.relations, a.relations
            ));
        }
        all_findings += a.findings.len() + a.size_findings.len();
        area_findings += a
            .findings
            .iter()
            .chain(&a.size_findings)
            .filter(|f| f.competence.is_none())
            .count();
        if !diff.is_empty() {
            problems.push(format!("org {i} {opts:?}\n{}", diff.join("\n")));
        }
    }
    eprintln!(
        "{all_findings} findings ({area_findings} of area rows); {} of 300 disagree; relations counted differently on {relations_differ}",
        problems.len()
    );
    assert!(
        problems.is_empty(),
        "{} disagree; first:\n{}",
        problems.len(),
        problems[..problems.len().min(3)].join("\n\n")
    );
}

/// "Rolled into parent" publishes which units are rolled up, and so
/// facts about head counts H (people rated on at least one requirement)
/// that no row states: every kept unit below a root has `H(rollup) ≥
/// min_group` (a smaller one is rolled into its parent), and a kept
/// unit's `own` group that still has a kept child has `H = 0` or `H ≥
/// min_group` (else its smallest kept child is rolled in too). H ties the
/// competences together (`max_c F_c ≤ H ≤ Σ_c F_c`), outside the
/// per-competence audit. Modelled here with one area holding every
/// competence (its people count is H): the area rows that carry those
/// facts are marked `secondary` (H ≥ min_group) and the adversary (full
/// model) attacks the rows with and without them: the counts the facts
/// give away. (The facts of rolled-up units, `H < min_group`, bound only
/// summands of their parent's `own` row and are left out.)
fn rollup_headcount_gain(o: &Org, k: u64, role_table: bool) -> (Vec<String>, Vec<Row>, Vec<Row>) {
    let mut o = o.clone();
    o.area_of = Some(vec![0; o.n_c]);
    let layout = layout_of(&o);
    let opts = PublishOptions {
        min_group: k,
        suppression: Suppression::Rollup,
        role_table: Some(role_table),
        role_unit_table: false,
        areas: Some(true),
        top: 0,
    };
    let p = publish(&state_of(&o, &layout).finish(), &opts).unwrap();
    let tree = &layout.tree;
    let kept = |u: usize| {
        let id = tree.id(u);
        !p.rows
            .iter()
            .any(|r| r.unit.as_deref() == Some(id) && r.suppressed == Some(Reason::RolledUp))
    };
    let mut rows = p.rows.clone();
    for r in rows.iter_mut() {
        if r.table != Table::Unit || r.competence.is_some() || r.suppressed != Some(Reason::Primary)
        {
            continue;
        }
        let u = tree.index_of(r.unit.as_deref().unwrap()).unwrap();
        let fact = match r.scope.unwrap() {
            Scope::Rollup => tree.parent(u).is_some(),
            // withheld: somebody is counted, so H ≥ 1, so H ≥ min_group
            Scope::Own => tree.children(u).iter().any(|&c| kept(c as usize)),
        };
        if fact {
            r.suppressed = Some(Reason::Secondary);
        }
    }
    let before = labels(&attack(&o, tree, &p.rows, k, Model::People).determined);
    let after = attack(&o, tree, &rows, k, Model::People);
    assert!(after.undecided.is_empty(), "{after:?}");
    let gained: Vec<String> = after
        .determined
        .iter()
        .filter(|d| {
            let l = d.split(" = ").next().unwrap();
            !before.contains(l) && !l.ends_with(" people") && !l.ends_with(" a0")
        })
        .cloned()
        .collect();
    (gained, p.rows, rows)
}

/// The rolled-up structure's head-count facts (see
/// `rollup_headcount_gain`) pin no competence count that the rows alone
/// leave open, on 600 random organisations (they only bound sums of a
/// group's withheld counts from below: `Σ_c F_c ≥ min_group`).
#[test]
fn review_rollup_headcount_facts() {
    let mut rng = Rng(0x5EED_4EF3);
    let mut hit = 0;
    let mut changed = 0;
    let mut smallest: Option<(usize, String)> = None;
    for i in 0..600 {
        let o = random_org(&mut rng, 9, 45);
        let k = 3 + rng.below(3);
        let role_table = rng.chance(0.5);
        let (gained, before, after) = rollup_headcount_gain(&o, k, role_table);
        changed += before
            .iter()
            .zip(&after)
            .filter(|(a, b)| a.suppressed != b.suppressed)
            .count();
        if !gained.is_empty() {
            hit += 1;
            let size = o.parents.len() * 100 + o.people.len();
            if smallest.as_ref().is_none_or(|s| size < s.0) {
                smallest = Some((
                    size,
                    format!("org {i} k {k} role_table {role_table} {o:?}\n{gained:?}"),
                ));
            }
        }
    }
    eprintln!("{hit} of 600 organisations: counts pinned by the rolled-up structure ({changed} area rows carried a head-count fact)");
    assert!(changed > 100, "{changed} facts");
    assert!(smallest.is_none(), "smallest: {}", smallest.unwrap().1);
    assert_eq!(hit, 0);
}

/// The role × unit table with area rows against the full adversary,
/// requiring that nothing is determined but what is inherent (the strict
/// check the role × unit table without areas passes in
/// `role_by_unit_table_audits_clean_against_the_adversary`).
#[test]
fn review_role_by_unit_table_with_areas_against_the_adversary() {
    run(
        0x5EED_4EF4,
        300,
        (6, 30),
        true,
        STRICT,
        role_unit_with_areas,
    );
}

/// The claim itself, differentially: the same organisation published
/// with and without area rows (every mode and table) has the same
/// competence rows, and the full adversary (people and pairs of area rows,
/// tied to the competence counts) determines exactly the same competence
/// counts from both; what it determines of an area row is its pairs when
/// each of its withheld competence rows is determined, and its people
/// count only when that equals its pairs. `REVIEW_ORGS` sets the count.
#[test]
fn review_area_rows_add_nothing() {
    let n: usize = std::env::var("REVIEW_ORGS")
        .ok()
        .and_then(|x| x.parse().ok())
        .unwrap_or(300);
    let mut rng = Rng(0x5EED_4EF8);
    let mut problems = Vec::new();
    let (mut area_found, mut comp_found) = (0, 0);
    for i in 0..n {
        let o = random_org(&mut rng, 8, 40);
        let o = with_random_areas(&mut rng, o);
        let opts = any_with_areas(&mut rng);
        let layout = layout_of(&o);
        let agg = state_of(&o, &layout).finish();
        let with = publish(&agg, &opts).unwrap();
        let without = publish(
            &agg,
            &PublishOptions {
                areas: Some(false),
                ..opts.clone()
            },
        )
        .unwrap();
        let comps = |rows: &[Row]| -> Vec<Row> {
            rows.iter()
                .filter(|r| r.competence.is_some())
                .cloned()
                .map(|mut r| {
                    r.area = None;
                    r
                })
                .collect()
        };
        let ctx = format!("org {i} {o:?}\n{opts:?}");
        if comps(&with.rows) != comps(&without.rows) {
            problems.push(format!("{ctx}\ncompetence rows differ"));
            continue;
        }
        let k = opts.min_group;
        let a = attack(&o, &layout.tree, &with.rows, k, Model::People);
        let mut o_plain = o.clone();
        o_plain.area_of = None;
        let b = attack(&o_plain, &layout.tree, &without.rows, k, Model::People);
        if !a.undecided.is_empty() || !b.undecided.is_empty() {
            problems.push(format!(
                "{ctx}\nundecided {:?} {:?}",
                a.undecided, b.undecided
            ));
            continue;
        }
        let is_area = |d: &String| {
            d.split(" = ")
                .next()
                .unwrap()
                .rsplit(' ')
                .any(|w| w.starts_with('a') && w[1..].parse::<usize>().is_ok())
        };
        let comp_a: std::collections::BTreeSet<&String> =
            a.determined.iter().filter(|d| !is_area(d)).collect();
        let comp_b: std::collections::BTreeSet<&String> = b.determined.iter().collect();
        if comp_a != comp_b {
            problems.push(format!(
                "{ctx}\ncompetence counts determined: with area rows {comp_a:?}, without {comp_b:?}"
            ));
        }
        comp_found += comp_b.len();
        let value = |l: &str| {
            a.determined
                .iter()
                .find_map(|d| d.strip_prefix(l)?.strip_prefix(" = "))
        };
        let area_of = o.area_of.as_ref().unwrap();
        for d in a.determined.iter().filter(|d| is_area(d)) {
            area_found += 1;
            let (l, v) = d.split_once(" = ").unwrap();
            let ok = match l.strip_suffix(" people") {
                Some(pairs) => value(pairs) == Some(v),
                None => {
                    let (group, name) = l.rsplit_once(' ').unwrap();
                    let ar: usize = name[1..].parse().unwrap();
                    let mut sum = 0i64;
                    let mut all = true;
                    for c in (0..o.n_c).filter(|&c| area_of[c] == ar) {
                        let m = format!("{group} c{c}");
                        let row = with.rows.iter().find(|r| {
                            r.competence.as_deref() == Some(&format!("c{c}"))
                                && format!("{:?} {:?} {:?} {:?}", r.table, r.unit, r.scope, r.role)
                                    == group
                        });
                        match row.and_then(|r| r.rated.filter(|_| r.suppressed.is_none())) {
                            Some(x) => sum += x as i64,
                            None => match value(&m) {
                                Some(x) => sum += x.parse::<i64>().unwrap(),
                                None => all = false,
                            },
                        }
                    }
                    all && sum.to_string() == v
                }
            };
            if !ok {
                problems.push(format!(
                    "{ctx}\narea quantity not from competence rows: {d}"
                ));
            }
        }
    }
    eprintln!(
        "{n} organisations: {comp_found} competence counts determined (the same with and without area rows), {area_found} area quantities, all from them; {} problems",
        problems.len()
    );
    assert!(
        problems.is_empty(),
        "{} problems; first:\n{}",
        problems.len(),
        problems[..problems.len().min(3)].join("\n\n")
    );
}

/// The training-demand list, protected together with the gap table,
/// is the same whether that table has area rows or not (it locks the
/// competence cells, which area rows no longer change), in every mode it
/// accepts.
#[test]
fn review_demand_list_ignores_area_rows() {
    use kompetens::aggregate::demand_list_with;
    let mut rng = Rng(0x5EED_4EF9);
    let mut lines = 0;
    for i in 0..200 {
        let o = random_org(&mut rng, 8, 40);
        let o = with_random_areas(&mut rng, o);
        let mut opts = any_with_areas(&mut rng);
        opts.role_unit_table = false;
        let layout = layout_of(&o);
        let agg = state_of(&o, &layout).finish();
        let with = demand_list_with(&agg, &opts).unwrap();
        let without = demand_list_with(
            &agg,
            &PublishOptions {
                areas: Some(false),
                ..opts.clone()
            },
        )
        .unwrap();
        assert_eq!(with, without, "org {i} {o:?} {opts:?}");
        lines += with.len();
    }
    assert!(lines > 500, "{lines} lines");
}

/// Longer runs of the strict checks with area rows on fresh seeds, the
/// unit table (role totals half of the time), secondary or rolled into
/// parent (ignored: `REVIEW_ORGS` per seed, default 2000).
///
/// With the role × unit table too, 4 of 2000 organisations (seed
/// 0x5EED_4EF5, `any_with_areas`) leave competence counts determined that
/// more withholding would hide — the same 77 counts with and without area
/// rows, every one reported by the audit (`sizes_clean: false`): the role
/// × unit move search's known limit, not the area rows'
/// (`review_area_rows_add_nothing`).
#[test]
#[ignore = "long run"]
fn review_strict_with_areas_long() {
    let n: usize = std::env::var("REVIEW_ORGS")
        .ok()
        .and_then(|x| x.parse().ok())
        .unwrap_or(2000);
    let unit_only = |rng: &mut Rng| {
        let mut o = any_with_areas(rng);
        o.role_unit_table = false;
        if o.suppression == Suppression::Primary {
            o.suppression = Suppression::Secondary;
        }
        o
    };
    run(0x5EED_4EF5, n, (9, 45), true, STRICT, unit_only);
    run(0x5EED_4EF7, n, (4, 12), true, STRICT, unit_only);
}

/// The role × unit table with role totals and area rows on larger
/// organisations, strict under the pairs model: nothing is determined but
/// what is inherent. (Before the last-resort withholding for size findings
/// in `disclosure::protect`, 7 of 2,000 such organisations kept 45 counts
/// that more withholding would hide; these 500: 2 organisations, 19 counts;
/// it costs 21 more secondary cells than the 4,770 before.)
#[test]
fn role_by_unit_table_with_areas_protected() {
    let check = Check {
        model: Model::Pairs,
        exact: true,
        protected: true,
    };
    run(0x5EED_7777, 500, (9, 45), true, check, role_unit_with_areas);
}
