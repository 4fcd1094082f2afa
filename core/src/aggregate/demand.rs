//! Training demand for a learning coordinator.
//!
//! **Demand list** (from aggregated gaps): one line per competence and
//! target level (the required level): `group` = rated people with that
//! requirement, `people` = those of them below it, `units` = units whose
//! own people include someone below, and a per-unit breakdown. Protection:
//! a line or unit entry whose group has fewer than `min_group` people is
//! withheld (primary); secondary suppression protects the demand list
//! together with the gap table: per competence, the relations
//! `Σ_t line(c, t) = Σ_roots rollup(root, c)`, `line(c, t) = Σ_u unit(u, c, t)`
//! and `Σ_t unit(u, c, t) = own(u, c)`, with the gap table's own and
//! rolled-up cells and its tree relations (`rollup(u) = own(u) + Σ
//! rollup(children)`) locked as it publishes them
//! ([`publish_columns`](super::publish_columns); [`demand_list`]: the same
//! minimum group, secondary suppression, no role tables;
//! [`demand_list_with`]: the caller's options). With the role table, its
//! cells are locked too, with `Σ_r role(r, c) = Σ_roots rollup(root, c)`
//! and never-published counts `a(r, t)` of role r's rated people with
//! target t: `role(r, c) = Σ_t a(r, t)`, `line(c, t) = Σ_r a(r, t)` (with
//! role requirements a line is the sum of the role cells of its target).
//! The role × unit table is not part of the joint protection: options
//! that publish it are refused. A cell the gap table
//! withholds — primary or secondary — stays undetermined with the demand
//! list published too: unit entries never add up to it, and line totals
//! never give away a withheld root. Locked cells can determine a withheld
//! demand cell by themselves (a line equal to a published root total); a
//! secondary cell withheld for such a cell would hide nothing, so
//! secondary cells whose publication adds no finding are published back
//! (see [`super::disclosure::protect`]). The count of units with someone
//! below a target (`units`) and the number of withheld unit entries are
//! published with the line.
//!
//! **Catalogue** (optional): learning activities with the competences they
//! cover, a level range `[level_from, level_to]`, a capacity (seats, or
//! unlimited) and a format. An activity covers a person's gap on
//! competence `c` when `c` is among its competences and the person's
//! current level `l` satisfies `level_from − 1 ≤ l < level_to` and
//! `l < required`; taking it raises `l` to `min(required, level_to)`, and
//! the weighted need it covers is `weight · (min(required, level_to) − l)`.
//! Missing ratings are not gaps (never level 0).
//!
//! **Greedy rules.** Per person (capacity ignored): repeatedly choose the
//! activity covering the most weighted need for the person's current
//! levels (ties: catalogue order), apply it, until nothing covers any need
//! or `max_per_person` activities are chosen. Per-unit plan (capacity
//! respected): over all (person, activity) pairs, repeatedly assign the
//! pair covering the most weighted need (ties: person order, then catalogue
//! order) if the activity has a seat left, the person has fewer than
//! `max_per_person` activities and has not taken it; apply it and update
//! that person's remaining gains (lazy greedy with a max-heap; gains only
//! fall as levels rise, so a popped pair whose recomputed gain is still
//! the largest is optimal for that step). The plan sums the assignments per
//! unit and activity. Recommendations and plans are person-level,
//! operational data (for people entitled to see individuals) and are not
//! suppressed.

use std::collections::{BinaryHeap, HashMap};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::cells::{Aggregates, Item, RoleSel, Scope};
use super::disclosure::{protect, ProtectCell, Reason, Status};
use super::layout::Layout;
use super::publish::{publish_columns, PublishOptions, Suppression, Table};
use super::state::Batch;
use crate::error::{Error, Result};

/// A learning activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// Stable id.
    pub id: String,
    /// Competence ids it develops.
    pub competences: Vec<String>,
    /// Lowest level it builds towards (entry: current level ≥ level_from − 1).
    pub level_from: i32,
    /// Highest level it reaches.
    pub level_to: i32,
    /// Seats; `null` = unlimited.
    #[serde(default)]
    pub capacity: Option<u64>,
    /// Free text, e.g. `e-learning`, `classroom`, `workshop`.
    #[serde(default)]
    pub format: Option<String>,
}

/// One line of the demand list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DemandLine {
    /// Competence id.
    pub competence: String,
    /// Required level.
    pub target_level: i32,
    /// Rated people with this requirement.
    pub group: Option<u64>,
    /// Of them, below the target.
    pub people: Option<u64>,
    /// Number of units with someone below the target.
    pub units: Option<u64>,
    /// Published unit entries.
    pub by_unit: Vec<DemandUnit>,
    /// Unit entries withheld.
    pub withheld_units: u64,
    /// Why the line is withheld.
    pub suppressed: Option<Reason>,
}

/// A unit's share of one demand line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DemandUnit {
    /// Unit id (its own people).
    pub unit: String,
    /// Rated people with this requirement.
    pub group: u64,
    /// Of them, below the target.
    pub people: u64,
}

/// A recommendation for one person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Recommendation {
    /// Person id (or `#index`).
    pub person: String,
    /// Unit id.
    pub unit: String,
    /// 1 = first.
    pub rank: usize,
    /// Activity id.
    pub activity: String,
    /// Competences whose gap it narrows.
    pub competences: Vec<String>,
    /// Weighted need covered.
    pub weighted_need: f64,
}

/// One line of a unit's plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanLine {
    /// Unit id.
    pub unit: String,
    /// Activity id.
    pub activity: String,
    /// Format of the activity.
    pub format: Option<String>,
    /// People assigned.
    pub participants: u64,
    /// Weighted need covered.
    pub weighted_need: f64,
}

/// The demand list with protection (see the module docs), protected
/// together with the gap table published with `min_group` and the default
/// options (secondary suppression; the role table and area rows when the
/// layout has roles and areas).
pub fn demand_list(agg: &Aggregates, min_group: u64) -> Result<Vec<DemandLine>> {
    demand_list_with(
        agg,
        &PublishOptions {
            min_group,
            suppression: Suppression::Secondary,
            ..PublishOptions::default()
        },
    )
}

/// [`demand_list`] protected together with the gap table that
/// [`publish_columns`](super::publish_columns) makes with `gap_table` (its
/// `min_group` is the demand list's too): for a caller that publishes the
/// gap table with other options (for example without the role table and
/// area rows), so that the cells locked are the ones it shows.
///
/// The unit table and the role table are protected jointly with the
/// demand list; options that publish the role × unit table are refused
/// (`invalid_value` at `role_unit_table`) when the layout has roles.
pub fn demand_list_with(agg: &Aggregates, gap_table: &PublishOptions) -> Result<Vec<DemandLine>> {
    let min_group = gap_table.min_group;
    if min_group == 0 {
        return Err(Error::invalid("min_group", "must be at least 1"));
    }
    let layout = agg.layout();
    if !layout.roles.is_empty() && gap_table.role_unit_table {
        return Err(Error::invalid(
            "role_unit_table",
            "the training-demand list is not protected together with the role × unit table: publish the gap table without it for use with the demand list",
        ));
    }
    let n_roles = layout.roles.len();
    let role_table = n_roles > 0 && gap_table.role_table.unwrap_or(true);
    // the top needs are not used here
    let gap_table = PublishOptions {
        top: 0,
        ..gap_table.clone()
    };
    let gap_table = &gap_table;
    let rec = agg.record_layout();
    let l = rec.levels;
    let n_units = layout.tree.len();
    let min = i32::from(layout.level_min);
    let total = agg.total(RoleSel::All);
    // The units' own competence cells as the gap table publishes them.
    let gap_table = publish_columns(agg, gap_table)?;
    let n_c = layout.competences.len();
    // withheld[scope][u · n_c + c]: scope 0 = own, 1 = rollup
    let mut withheld: [Vec<Option<Reason>>; 2] =
        [vec![None; n_units * n_c], vec![None; n_units * n_c]];
    let cols = &gap_table.columns;
    // role_withheld[r · n_c + c]: the role table's cells
    let mut role_withheld: Vec<Option<Reason>> = vec![None; n_roles * n_c];
    for i in 0..cols.len() {
        if let (Table::Role, Some(r), Item::Competence(c)) =
            (cols.table[i], cols.role[i], cols.item[i])
        {
            if let Some(x) = role_withheld.get_mut(r as usize * n_c + c) {
                *x = cols.suppressed[i];
            }
        }
        if let (Table::Unit, Some(u), Some(scope), None, Item::Competence(c)) = (
            cols.table[i],
            cols.unit[i],
            cols.scope[i],
            cols.role[i],
            cols.item[i],
        ) {
            let si = usize::from(scope == Scope::Rollup);
            if let Some(x) = withheld[si].get_mut(u as usize * n_c + c) {
                *x = cols.suppressed[i];
            }
        }
    }
    // One competence's lines (independent of the others: on up to four
    // threads, collected in competence order).
    let lines_for = |c: usize| -> Vec<DemandLine> {
        let mut out = Vec::new();
        let o = rec.comp(c);
        let group = |r: &[u64], t: usize| r[o + l + t];
        let below = |r: &[u64], t: usize| r[o + 2 * l + t];
        let targets: Vec<usize> = (0..l)
            .filter(|&t| group(total, t) > 0 || below(total, t) > 0)
            .collect();
        if targets.is_empty() {
            return out;
        }
        // cells: lines (targets), then unit cells (u, t) with group > 0,
        // then locked: organisation total, then own(u).
        let mut cells: Vec<ProtectCell> = Vec::new();
        let mut unit_cells: Vec<(usize, usize, usize)> = Vec::new(); // (cell, u, t)
        for &t in &targets {
            let g = group(total, t);
            cells.push(ProtectCell {
                n: g,
                value: g as i64,
                empty: g == 0,
                multiplicity: 1,
                locked: None,
            });
        }
        for u in 0..n_units {
            let r = agg.record(u, Scope::Own, RoleSel::All);
            for (ti, &t) in targets.iter().enumerate() {
                let g = group(r, t);
                if g > 0 {
                    unit_cells.push((cells.len(), u, ti));
                    cells.push(ProtectCell {
                        n: g,
                        value: g as i64,
                        empty: false,
                        multiplicity: 1,
                        locked: None,
                    });
                }
            }
        }
        // The gap table's own and rolled-up cells of this competence,
        // locked as it publishes them, with its tree relations: the demand
        // list is protected together with the gap table.
        let own_base = cells.len();
        for (si, scope) in [Scope::Own, Scope::Rollup].into_iter().enumerate() {
            for u in 0..n_units {
                let r = agg.record(u, scope, RoleSel::All);
                let v: u64 = (0..l).map(|t| group(r, t)).sum();
                cells.push(locked_cell(
                    v,
                    withheld[si].get(u * n_c + c).copied().flatten(),
                ));
            }
        }
        let rollup_base = own_base + n_units;
        let mut rels: Vec<Vec<(u32, i8)>> = Vec::new();
        // Σ_t line(t) = Σ_roots rollup(root)
        let mut rel: Vec<(u32, i8)> = (0..targets.len()).map(|i| (i as u32, 1)).collect();
        rel.extend(
            layout
                .tree
                .roots()
                .iter()
                .map(|&r| ((rollup_base + r as usize) as u32, -1i8)),
        );
        rels.push(rel);
        // rollup(u) = own(u) + Σ rollup(children)
        for u in 0..n_units {
            let mut rel = vec![
                ((rollup_base + u) as u32, 1i8),
                ((own_base + u) as u32, -1i8),
            ];
            rel.extend(
                layout
                    .tree
                    .children(u)
                    .iter()
                    .map(|&ch| ((rollup_base + ch as usize) as u32, -1i8)),
            );
            rels.push(rel);
        }
        for ti in 0..targets.len() {
            let mut rel = vec![(ti as u32, 1i8)];
            rel.extend(
                unit_cells
                    .iter()
                    .filter(|x| x.2 == ti)
                    .map(|x| (x.0 as u32, -1i8)),
            );
            rels.push(rel);
        }
        for u in 0..n_units {
            let mut rel: Vec<(u32, i8)> = unit_cells
                .iter()
                .filter(|x| x.1 == u)
                .map(|x| (x.0 as u32, 1i8))
                .collect();
            if rel.is_empty() {
                continue;
            }
            rel.push(((own_base + u) as u32, -1));
            rels.push(rel);
        }
        if role_table {
            // The role table's cells of this competence, locked as it
            // publishes them, with Σ_r role(r) = Σ_roots rollup(root) (one
            // role per person), and never-published atoms a(r, t) (rated
            // people of role r with target t; only those with people: a
            // stronger adversary than one who must guess the zeros) with
            // role(r) = Σ_t a(r, t) and line(t) = Σ_r a(r, t). With role
            // requirements a role has one target, so a line is the sum of
            // the role cells of its target.
            let role_base = cells.len();
            for r in 0..n_roles {
                let rr = agg.total(RoleSel::Role(r));
                let v: u64 = (0..l).map(|t| group(rr, t)).sum();
                cells.push(locked_cell(
                    v,
                    role_withheld.get(r * n_c + c).copied().flatten(),
                ));
            }
            let mut total_rel: Vec<(u32, i8)> = (0..n_roles)
                .map(|r| ((role_base + r) as u32, 1i8))
                .collect();
            total_rel.extend(
                layout
                    .tree
                    .roots()
                    .iter()
                    .map(|&root| ((rollup_base + root as usize) as u32, -1i8)),
            );
            rels.push(total_rel);
            let mut line_rels: Vec<Vec<(u32, i8)>> = (0..targets.len())
                .map(|ti| vec![(ti as u32, 1i8)])
                .collect();
            for r in 0..n_roles {
                let rr = agg.total(RoleSel::Role(r));
                let mut role_rel = vec![((role_base + r) as u32, 1i8)];
                for (ti, &t) in targets.iter().enumerate() {
                    let g = group(rr, t);
                    if g == 0 {
                        continue;
                    }
                    let atom = cells.len() as u32;
                    cells.push(ProtectCell {
                        n: g,
                        value: g as i64,
                        empty: false,
                        multiplicity: 1,
                        locked: Some(Status::Unpublished),
                    });
                    role_rel.push((atom, -1));
                    line_rels[ti].push((atom, -1));
                }
                rels.push(role_rel);
            }
            rels.extend(line_rels);
        }
        let status = protect(&cells, rels, min_group, true).status;
        let reason = |s: Status| match s {
            Status::Withheld(r) => Some(r),
            _ => None,
        };
        for (ti, &t) in targets.iter().enumerate() {
            let r = reason(status[ti]);
            let mut by_unit = Vec::new();
            let mut withheld = 0;
            let mut units_with_need = 0;
            for &(cell, u, _) in unit_cells.iter().filter(|x| x.2 == ti) {
                let rec_u = agg.record(u, Scope::Own, RoleSel::All);
                if below(rec_u, t) > 0 {
                    units_with_need += 1;
                }
                if reason(status[cell]).is_some() {
                    withheld += 1;
                } else if below(rec_u, t) > 0 {
                    by_unit.push(DemandUnit {
                        unit: layout.tree.id(u).to_string(),
                        group: group(rec_u, t),
                        people: below(rec_u, t),
                    });
                }
            }
            let show = r.is_none();
            out.push(DemandLine {
                competence: layout.competences[c].clone(),
                target_level: min + t as i32,
                group: show.then(|| group(total, t)),
                people: show.then(|| below(total, t)),
                units: show.then_some(units_with_need),
                by_unit: if show { by_unit } else { Vec::new() },
                withheld_units: if show { withheld } else { 0 },
                suppressed: r,
            });
        }
        out
    };
    let threads = demand_threads(n_c);
    let jobs: Vec<Vec<usize>> = (0..threads)
        .map(|t| (t..n_c).step_by(threads).collect())
        .collect();
    let mut parts: Vec<(usize, Vec<DemandLine>)> = super::state::binned::par_map(jobs, |cs| {
        cs.into_iter()
            .map(|c| (c, lines_for(c)))
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect();
    parts.sort_by_key(|p| p.0);
    let out: Vec<DemandLine> = parts.into_iter().flat_map(|p| p.1).collect();
    Ok(out)
}

/// A gap-table cell of `v` people locked as the table shows it (withheld
/// for `reason`, or published).
fn locked_cell(v: u64, reason: Option<Reason>) -> ProtectCell {
    ProtectCell {
        n: v,
        value: v as i64,
        empty: v == 0,
        multiplicity: 1,
        locked: Some(match reason {
            Some(r) => Status::Withheld(r),
            None => Status::Published(v as i64),
        }),
    }
}

/// Threads for the demand list of `n_c` competences (one on wasm).
fn demand_threads(n_c: usize) -> usize {
    #[cfg(not(target_family = "wasm"))]
    {
        std::thread::available_parallelism()
            .map_or(1, |t| t.get())
            .clamp(1, 4)
            .min(n_c.max(1))
    }
    #[cfg(target_family = "wasm")]
    {
        let _ = n_c;
        1
    }
}

/// One person's open gaps: (competence, current level, required, weight).
type Gaps = Vec<(usize, i32, i32, f64)>;

fn person_gaps(layout: &Layout, batch: &Batch<'_>, p: usize) -> Gaps {
    let n_c = layout.competences.len();
    let mut out = Vec::new();
    for c in 0..n_c {
        let v = i32::from(batch.levels[(p, c)]);
        let (q, w) = match (
            &batch.required,
            &layout.role_required,
            &layout.role_weight,
            &batch.roles,
        ) {
            (Some(req), _, _, _) => (
                i32::from(req[(p, c)]),
                layout.weights[layout.competence_weight[c] as usize],
            ),
            (None, Some(rq), Some(rw), Some(roles)) => {
                let r = roles[p] as usize;
                (i32::from(rq[(r, c)]), layout.weights[rw[(r, c)] as usize])
            }
            _ => (0, 1.0),
        };
        if q > 0 && v >= 0 && v < q {
            out.push((c, v, q, w));
        }
    }
    out
}

struct CatalogueIx {
    comps: Vec<Vec<usize>>,
}

fn index_catalogue(layout: &Layout, catalogue: &[Activity]) -> Result<CatalogueIx> {
    let mut seen = HashMap::new();
    let mut comps = Vec::with_capacity(catalogue.len());
    for (i, a) in catalogue.iter().enumerate() {
        if seen.insert(a.id.as_str(), i).is_some() {
            return Err(Error::DuplicateId {
                location: format!("catalogue[{i}].id"),
                id: a.id.clone(),
            });
        }
        if a.level_from > a.level_to {
            return Err(Error::invalid(
                format!("catalogue[{i}].level_to"),
                format!("level range {}..={} is empty", a.level_from, a.level_to),
            ));
        }
        let mut cs = Vec::new();
        for (j, id) in a.competences.iter().enumerate() {
            let c = layout
                .competences
                .iter()
                .position(|x| x == id)
                .ok_or_else(|| Error::UnknownCompetence {
                    location: format!("catalogue[{i}].competences[{j}]"),
                    id: id.clone(),
                    framework: String::new(),
                })?;
            cs.push(c);
        }
        comps.push(cs);
    }
    Ok(CatalogueIx { comps })
}

/// Weighted need an activity covers for the current gaps, and the
/// competences it narrows.
fn gain(a: &Activity, comps: &[usize], gaps: &Gaps) -> (f64, Vec<usize>) {
    let mut total = 0.0;
    let mut which = Vec::new();
    for &(c, l, q, w) in gaps {
        if comps.contains(&c) && l >= a.level_from - 1 && l < a.level_to && l < q {
            let to = q.min(a.level_to);
            total += w * f64::from(to - l);
            which.push(c);
        }
    }
    (total, which)
}

fn apply(a: &Activity, comps: &[usize], gaps: &mut Gaps) {
    for g in gaps.iter_mut() {
        let (c, l, q, _) = *g;
        if comps.contains(&c) && l >= a.level_from - 1 && l < a.level_to && l < q {
            g.1 = q.min(a.level_to);
        }
    }
    gaps.retain(|g| g.1 < g.2);
}

/// Per-person recommendations (capacity ignored; see the module docs).
pub fn recommend(
    layout: &Layout,
    batch: &Batch<'_>,
    ids: &[Option<String>],
    catalogue: &[Activity],
    max_per_person: usize,
) -> Result<Vec<Recommendation>> {
    let ix = index_catalogue(layout, catalogue)?;
    let mut out = Vec::new();
    for p in 0..batch.levels.nrows() {
        let mut gaps = person_gaps(layout, batch, p);
        let mut taken = vec![false; catalogue.len()];
        for rank in 1..=max_per_person {
            let mut best: Option<(f64, usize, Vec<usize>)> = None;
            for (i, a) in catalogue.iter().enumerate() {
                if taken[i] {
                    continue;
                }
                let (g, which) = gain(a, &ix.comps[i], &gaps);
                if g > 0.0 && best.as_ref().is_none_or(|b| g > b.0) {
                    best = Some((g, i, which));
                }
            }
            let Some((g, i, which)) = best else { break };
            taken[i] = true;
            apply(&catalogue[i], &ix.comps[i], &mut gaps);
            out.push(Recommendation {
                person: person_id(ids, p),
                unit: layout.tree.id(batch.units[p] as usize).to_string(),
                rank,
                activity: catalogue[i].id.clone(),
                competences: which
                    .iter()
                    .map(|&c| layout.competences[c].clone())
                    .collect(),
                weighted_need: g,
            });
        }
    }
    Ok(out)
}

fn person_id(ids: &[Option<String>], p: usize) -> String {
    ids.get(p)
        .cloned()
        .flatten()
        .unwrap_or_else(|| format!("#{p}"))
}

#[derive(PartialEq)]
struct HeapItem {
    gain: f64,
    person: usize,
    activity: usize,
}
impl Eq for HeapItem {}
impl PartialOrd for HeapItem {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for HeapItem {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // max gain first; ties: lower person, then lower activity first
        self.gain
            .total_cmp(&other.gain)
            .then(other.person.cmp(&self.person))
            .then(other.activity.cmp(&self.activity))
    }
}

/// The capacity-aware per-unit plan (lazy greedy; see the module docs).
/// Returns the plan lines and the weighted need left uncovered.
pub fn plan(
    layout: &Layout,
    batch: &Batch<'_>,
    catalogue: &[Activity],
    max_per_person: usize,
) -> Result<(Vec<PlanLine>, f64)> {
    let ix = index_catalogue(layout, catalogue)?;
    let n = batch.levels.nrows();
    let mut gaps: Vec<Gaps> = (0..n).map(|p| person_gaps(layout, batch, p)).collect();
    let mut seats: Vec<Option<u64>> = catalogue.iter().map(|a| a.capacity).collect();
    let mut count = vec![0usize; n];
    let mut taken: HashMap<(usize, usize), ()> = HashMap::new();
    let mut heap = BinaryHeap::new();
    for (p, g) in gaps.iter().enumerate() {
        for (i, a) in catalogue.iter().enumerate() {
            let (v, _) = gain(a, &ix.comps[i], g);
            if v > 0.0 {
                heap.push(HeapItem {
                    gain: v,
                    person: p,
                    activity: i,
                });
            }
        }
    }
    let mut lines: HashMap<(usize, usize), (u64, f64)> = HashMap::new();
    while let Some(item) = heap.pop() {
        let (p, i) = (item.person, item.activity);
        if count[p] >= max_per_person || seats[i] == Some(0) || taken.contains_key(&(p, i)) {
            continue;
        }
        let (v, _) = gain(&catalogue[i], &ix.comps[i], &gaps[p]);
        if v <= 0.0 || v.to_bits() != item.gain.to_bits() {
            continue; // stale: a fresh entry was pushed when p changed
        }
        apply(&catalogue[i], &ix.comps[i], &mut gaps[p]);
        count[p] += 1;
        taken.insert((p, i), ());
        if let Some(s) = seats[i].as_mut() {
            *s -= 1;
        }
        let e = lines
            .entry((batch.units[p] as usize, i))
            .or_insert((0, 0.0));
        e.0 += 1;
        e.1 += v;
        // p's gains changed (up or down): push fresh entries
        for (j, a) in catalogue.iter().enumerate() {
            let (g, _) = gain(a, &ix.comps[j], &gaps[p]);
            if g > 0.0 && !taken.contains_key(&(p, j)) {
                heap.push(HeapItem {
                    gain: g,
                    person: p,
                    activity: j,
                });
            }
        }
    }
    let left: f64 = gaps
        .iter()
        .flat_map(|g| g.iter().map(|&(_, l, q, w)| w * f64::from(q - l)))
        .sum();
    let pos: HashMap<usize, usize> = layout
        .tree
        .preorder()
        .iter()
        .enumerate()
        .map(|(i, &u)| (u as usize, i))
        .collect();
    let mut out: Vec<(usize, PlanLine)> = lines
        .into_iter()
        .map(|((u, i), (n, w))| {
            (
                pos.get(&u).copied().unwrap_or(0),
                PlanLine {
                    unit: layout.tree.id(u).to_string(),
                    activity: catalogue[i].id.clone(),
                    format: catalogue[i].format.clone(),
                    participants: n,
                    weighted_need: w,
                },
            )
        })
        .collect();
    out.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(b.1.weighted_need.total_cmp(&a.1.weighted_need))
            .then(a.1.activity.cmp(&b.1.activity))
    });
    Ok((out.into_iter().map(|x| x.1).collect(), left))
}
