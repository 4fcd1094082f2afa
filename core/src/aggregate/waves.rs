//! Two measurement waves of the same people: per-person change, and per
//! unit and competence the shares improved / unchanged / declined, with
//! joiners and leavers counted separately.
//!
//! People are matched by id. A person in both waves is *paired*; their unit
//! is the one in the later wave. A competence counts for a paired person
//! when it is rated in both waves (a missing rating is never level 0);
//! change = after − before. People only in the later wave are *joiners*
//! (counted in their later unit), people only in the earlier wave are
//! *leavers* (counted in their earlier unit).
//!
//! Each cell keeps the histogram of changes, a sufficient statistic for the
//! paired tests: [`WaveCell::differences`] expands it to the sorted vector
//! of differences for the Wilcoxon signed-rank test and effect sizes of
//! `kompetens::stats` (see [`publish_waves`]).
//!
//! Small-group protection: a cell with fewer than `min_group` paired people
//! is withheld (primary), and secondary suppression along the tree keeps
//! it from being recovered by differencing; joiner and leaver counts get
//! the same treatment.

use std::collections::HashMap;

use ndarray::{ArrayView1, ArrayView2};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::cells::Scope;
use super::disclosure::{protect, ProtectCell, Reason, Status};
use super::layout::Layout;
use super::publish::{relations, GroupKey, RelContext, Suppression, Table};
use crate::error::{Error, Result};

/// One wave of measurements.
#[derive(Debug, Clone, Copy)]
pub struct Wave<'a> {
    /// Person ids (unique within the wave).
    pub ids: &'a [String],
    /// Levels, people × competences, `-1` = missing.
    pub levels: ArrayView2<'a, i8>,
    /// Unit index per person.
    pub units: ArrayView1<'a, u32>,
}

/// Paired change in one cell (a group × one competence).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WaveCell {
    /// People rated in both waves.
    pub paired: u64,
    /// Change > 0.
    pub improved: u64,
    /// Change = 0.
    pub unchanged: u64,
    /// Change < 0.
    pub declined: u64,
    /// Σ level before.
    pub before_sum: i64,
    /// Σ level after.
    pub after_sum: i64,
    /// Count per change `d`, index `d + (levels − 1)`.
    pub changes: Vec<u64>,
}

impl WaveCell {
    fn new(n_levels: usize) -> WaveCell {
        WaveCell {
            changes: vec![0; 2 * n_levels - 1],
            ..WaveCell::default()
        }
    }

    fn add(&mut self, other: &WaveCell) {
        self.paired += other.paired;
        self.improved += other.improved;
        self.unchanged += other.unchanged;
        self.declined += other.declined;
        self.before_sum += other.before_sum;
        self.after_sum += other.after_sum;
        for (a, b) in self.changes.iter_mut().zip(&other.changes) {
            *a += b;
        }
    }

    /// Mean change (after − before).
    pub fn mean_change(&self) -> Option<f64> {
        (self.paired > 0).then(|| (self.after_sum - self.before_sum) as f64 / self.paired as f64)
    }

    /// The paired differences (after − before), sorted ascending — the
    /// input of a Wilcoxon signed-rank test and of the effect sizes
    /// (rank-biserial r, d_z = mean / sd).
    pub fn differences(&self) -> Vec<f64> {
        let offset = (self.changes.len() / 2) as i64;
        let mut out = Vec::with_capacity(self.paired as usize);
        for (i, &n) in self.changes.iter().enumerate() {
            out.extend(std::iter::repeat_n((i as i64 - offset) as f64, n as usize));
        }
        out
    }
}

/// One person's change on one competence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonChange {
    /// Person id.
    pub person: String,
    /// Unit id (later wave).
    pub unit: String,
    /// Competence id.
    pub competence: String,
    /// Level in the earlier wave.
    pub before: i32,
    /// Level in the later wave.
    pub after: i32,
    /// after − before.
    pub change: i32,
}

/// The comparison of two waves.
#[derive(Debug, Clone)]
pub struct WaveComparison {
    layout: Layout,
    /// `[unit][competence]` own cells.
    pub own: Vec<Vec<WaveCell>>,
    /// `[unit][competence]` rolled-up cells.
    pub rollup: Vec<Vec<WaveCell>>,
    /// Joiners per unit (own, rolled up).
    pub joined: Vec<(u64, u64)>,
    /// Leavers per unit (own, rolled up).
    pub left: Vec<(u64, u64)>,
    /// Per-person changes (paired people, competences rated twice).
    pub changes: Vec<PersonChange>,
}

fn index_ids(ids: &[String], what: &str) -> Result<HashMap<String, usize>> {
    let mut map = HashMap::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        if map.insert(id.clone(), i).is_some() {
            return Err(Error::DuplicateId {
                location: format!("{what}[{i}].id"),
                id: id.clone(),
            });
        }
    }
    Ok(map)
}

fn check_wave(layout: &Layout, w: &Wave<'_>, what: &str) -> Result<()> {
    let n = w.levels.nrows();
    if w.levels.ncols() != layout.competences.len() || w.ids.len() != n || w.units.len() != n {
        return Err(Error::ShapeMismatch {
            location: what.to_string(),
            message: format!(
                "{} ids, {} units and a {:?} level matrix for {} competences",
                w.ids.len(),
                w.units.len(),
                w.levels.dim(),
                layout.competences.len()
            ),
        });
    }
    for ((p, c), &v) in w.levels.indexed_iter() {
        if v != -1 && (v < layout.level_min || v > layout.level_max) {
            return Err(Error::LevelOutOfScale {
                location: format!("{what}[{p}].levels[{c}]"),
                level: i64::from(v),
                min: i64::from(layout.level_min),
                max: i64::from(layout.level_max),
            });
        }
    }
    if let Some((p, &u)) = w
        .units
        .iter()
        .enumerate()
        .find(|(_, &u)| u as usize >= layout.tree.len())
    {
        return Err(Error::UnknownReference {
            location: format!("{what}[{p}].unit"),
            kind: "unit".into(),
            id: u.to_string(),
        });
    }
    Ok(())
}

/// Compare two waves (see the module docs).
pub fn compare_waves(
    layout: &Layout,
    before: &Wave<'_>,
    after: &Wave<'_>,
) -> Result<WaveComparison> {
    check_wave(layout, before, "before")?;
    check_wave(layout, after, "after")?;
    let b_index = index_ids(before.ids, "before")?;
    let a_index = index_ids(after.ids, "after")?;
    let n_units = layout.tree.len();
    let n_c = layout.competences.len();
    let l = layout.n_levels();
    let offset = l as i64 - 1;
    let mut own = vec![vec![WaveCell::new(l); n_c]; n_units];
    let mut joined = vec![(0u64, 0u64); n_units];
    let mut left = vec![(0u64, 0u64); n_units];
    let mut changes = Vec::new();
    for (pa, id) in after.ids.iter().enumerate() {
        let u = after.units[pa] as usize;
        let Some(&pb) = b_index.get(id) else {
            joined[u].0 += 1;
            continue;
        };
        for (c, cell) in own[u].iter_mut().enumerate() {
            let (x, y) = (before.levels[(pb, c)], after.levels[(pa, c)]);
            if x < 0 || y < 0 {
                continue;
            }
            let d = i64::from(y) - i64::from(x);
            cell.paired += 1;
            match d.cmp(&0) {
                std::cmp::Ordering::Greater => cell.improved += 1,
                std::cmp::Ordering::Equal => cell.unchanged += 1,
                std::cmp::Ordering::Less => cell.declined += 1,
            }
            cell.before_sum += i64::from(x);
            cell.after_sum += i64::from(y);
            cell.changes[(d + offset) as usize] += 1;
            changes.push(PersonChange {
                person: id.clone(),
                unit: layout.tree.id(u).to_string(),
                competence: layout.competences[c].clone(),
                before: i32::from(x),
                after: i32::from(y),
                change: d as i32,
            });
        }
    }
    for (pb, id) in before.ids.iter().enumerate() {
        if !a_index.contains_key(id) {
            left[before.units[pb] as usize].0 += 1;
        }
    }
    let mut rollup = own.clone();
    for &u in layout.tree.preorder().iter().rev() {
        let u = u as usize;
        for &ch in layout.tree.children(u) {
            let ch = ch as usize;
            let (child, j, lft) = (rollup[ch].clone(), joined[ch].1, left[ch].1);
            for (a, b) in rollup[u].iter_mut().zip(&child) {
                a.add(b);
            }
            joined[u].1 += j;
            left[u].1 += lft;
        }
        joined[u].1 += joined[u].0;
        left[u].1 += left[u].0;
    }
    Ok(WaveComparison {
        layout: layout.clone(),
        own,
        rollup,
        joined,
        left,
        changes,
    })
}

/// One published row of the wave comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WaveRow {
    /// Unit id.
    pub unit: String,
    /// `own` or `rollup`.
    pub scope: Scope,
    /// Competence id.
    pub competence: String,
    /// People rated in both waves.
    pub paired: Option<u64>,
    /// Improved (change > 0).
    pub improved: Option<u64>,
    /// Unchanged.
    pub unchanged: Option<u64>,
    /// Declined.
    pub declined: Option<u64>,
    /// improved / paired.
    pub share_improved: Option<f64>,
    /// unchanged / paired.
    pub share_unchanged: Option<f64>,
    /// declined / paired.
    pub share_declined: Option<f64>,
    /// Mean level in the earlier wave.
    pub mean_before: Option<f64>,
    /// Mean level in the later wave.
    pub mean_after: Option<f64>,
    /// Mean change.
    pub mean_change: Option<f64>,
    /// Two-sided p of the Wilcoxon signed-rank test of the changes
    /// ([`crate::stats::wilcoxon_differences`], default options); `null`
    /// when withheld or when every change is zero.
    pub wilcoxon_pvalue: Option<f64>,
    /// Rank-biserial correlation `(R⁺ − R⁻)/(R⁺ + R⁻)`; `null` as above.
    pub rank_biserial: Option<f64>,
    /// `d_z` = mean change / sd of the changes; `null` when withheld, with
    /// fewer than 2 pairs or no variation.
    pub d_z: Option<f64>,
    /// `null`, `primary` or `secondary`.
    pub suppressed: Option<Reason>,
}

/// Joiners and leavers of one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MovementRow {
    /// Unit id.
    pub unit: String,
    /// `own` or `rollup`.
    pub scope: Scope,
    /// People only in the later wave.
    pub joined: Option<u64>,
    /// Why `joined` is withheld.
    pub joined_suppressed: Option<Reason>,
    /// People only in the earlier wave.
    pub left: Option<u64>,
    /// Why `left` is withheld.
    pub left_suppressed: Option<Reason>,
}

/// The published wave comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WavePublication {
    /// Smallest group published.
    pub min_group: u64,
    /// Per unit, scope and competence.
    pub rows: Vec<WaveRow>,
    /// Joiners and leavers per unit.
    pub movements: Vec<MovementRow>,
    /// Number of withheld cells whose value can still be determined (0
    /// unless the tree makes protection impossible).
    pub determined: usize,
}

/// Protect one system of unit × scope cells with values `value(u, s)`.
fn protect_units(
    layout: &Layout,
    value: &dyn Fn(usize, Scope) -> u64,
    k: u64,
    suppression: Suppression,
) -> (Vec<Status>, usize) {
    let tree = &layout.tree;
    let mut keys = Vec::new();
    for &u in tree.preorder() {
        for s in [Scope::Own, Scope::Rollup] {
            keys.push(GroupKey {
                table: Table::Unit,
                unit: Some(u),
                scope: Some(s),
                role: None,
            });
        }
    }
    let groups: HashMap<GroupKey, usize> = keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    let kept = vec![true; tree.len()];
    let ctx = RelContext {
        tree,
        kept: &kept,
        groups: &groups,
        n_roles: 0,
        role_unit: false,
        role_table: false,
    };
    let cells: Vec<ProtectCell> = keys
        .iter()
        .map(|k| {
            let v = value(k.unit.unwrap_or(0) as usize, k.scope.unwrap_or(Scope::Own));
            ProtectCell {
                n: v,
                value: i64::try_from(v).unwrap_or(i64::MAX),
                empty: v == 0,
                multiplicity: 1,
                locked: None,
            }
        })
        .collect();
    if suppression == Suppression::None {
        return (
            cells.iter().map(|c| Status::Published(c.value)).collect(),
            0,
        );
    }
    let rels = relations(&ctx, 1, &[0], None);
    let p = protect(&cells, rels, k, suppression != Suppression::Primary);
    let determined = p.audit.findings.len();
    // back to (unit, scope) order: index = position in keys
    (p.status, determined)
}

/// Publish a wave comparison with small-group protection. `rollup`
/// suppression is treated as `secondary` here.
///
/// Each published row carries the two-sided Wilcoxon signed-rank p, the
/// rank-biserial correlation and d_z of its changes, computed by
/// `kompetens::stats` from [`WaveCell::differences`].
pub fn publish_waves(
    cmp: &WaveComparison,
    min_group: u64,
    suppression: Suppression,
) -> Result<WavePublication> {
    if min_group == 0 {
        return Err(Error::invalid("min_group", "must be at least 1"));
    }
    let layout = &cmp.layout;
    let tree = &layout.tree;
    let pos: HashMap<(u32, Scope), usize> = tree
        .preorder()
        .iter()
        .flat_map(|&u| [(u, Scope::Own), (u, Scope::Rollup)])
        .enumerate()
        .map(|(i, k)| (k, i))
        .collect();
    let cell = |u: usize, s: Scope, c: usize| -> &WaveCell {
        match s {
            Scope::Own => &cmp.own[u][c],
            Scope::Rollup => &cmp.rollup[u][c],
        }
    };
    let mut rows = Vec::new();
    let mut determined = 0;
    let mut status_by_comp = Vec::new();
    for c in 0..layout.competences.len() {
        let (st, d) = protect_units(layout, &|u, s| cell(u, s, c).paired, min_group, suppression);
        determined += d;
        status_by_comp.push(st);
    }
    for &u in tree.preorder() {
        for s in [Scope::Own, Scope::Rollup] {
            let i = pos.get(&(u, s)).copied().unwrap_or(0);
            for (c, st) in status_by_comp.iter().enumerate() {
                let w = cell(u as usize, s, c);
                let reason = match st[i] {
                    Status::Withheld(r) => Some(r),
                    _ => None,
                };
                let show = reason.is_none();
                let ratio = |a: u64| (show && w.paired > 0).then(|| a as f64 / w.paired as f64);
                let mean = |x: i64| (show && w.paired > 0).then(|| x as f64 / w.paired as f64);
                let d = if show { w.differences() } else { Vec::new() };
                let wilcoxon = (!d.is_empty())
                    .then(|| {
                        crate::stats::wilcoxon_differences(
                            &d,
                            &crate::stats::WilcoxonOptions::default(),
                        )
                        .ok()
                    })
                    .flatten()
                    .filter(|r| r.n > 0);
                let d_z = (d.len() >= 2)
                    .then(|| {
                        crate::stats::paired_t_differences(
                            &d,
                            crate::stats::Alternative::TwoSided,
                            0.95,
                        )
                        .ok()
                    })
                    .flatten()
                    .and_then(|t| t.d_z);
                rows.push(WaveRow {
                    unit: tree.id(u as usize).to_string(),
                    scope: s,
                    competence: layout.competences[c].clone(),
                    paired: show.then_some(w.paired),
                    improved: show.then_some(w.improved),
                    unchanged: show.then_some(w.unchanged),
                    declined: show.then_some(w.declined),
                    share_improved: ratio(w.improved),
                    share_unchanged: ratio(w.unchanged),
                    share_declined: ratio(w.declined),
                    mean_before: mean(w.before_sum),
                    mean_after: mean(w.after_sum),
                    mean_change: if show { w.mean_change() } else { None },
                    wilcoxon_pvalue: wilcoxon.as_ref().map(|r| r.pvalue),
                    rank_biserial: wilcoxon.as_ref().map(|r| r.rank_biserial),
                    d_z,
                    suppressed: reason,
                });
            }
        }
    }
    let pick = |v: &(u64, u64), s: Scope| if s == Scope::Own { v.0 } else { v.1 };
    let (st_j, dj) = protect_units(
        layout,
        &|u, s| pick(&cmp.joined[u], s),
        min_group,
        suppression,
    );
    let (st_l, dl) = protect_units(
        layout,
        &|u, s| pick(&cmp.left[u], s),
        min_group,
        suppression,
    );
    determined += dj + dl;
    let mut movements = Vec::new();
    for &u in tree.preorder() {
        for s in [Scope::Own, Scope::Rollup] {
            let i = pos.get(&(u, s)).copied().unwrap_or(0);
            let r = |st: Status| match st {
                Status::Withheld(r) => Some(r),
                _ => None,
            };
            let (rj, rl) = (r(st_j[i]), r(st_l[i]));
            movements.push(MovementRow {
                unit: tree.id(u as usize).to_string(),
                scope: s,
                joined: rj.is_none().then(|| pick(&cmp.joined[u as usize], s)),
                joined_suppressed: rj,
                left: rl.is_none().then(|| pick(&cmp.left[u as usize], s)),
                left_suppressed: rl,
            });
        }
    }
    Ok(WavePublication {
        min_group,
        rows,
        movements,
        determined,
    })
}
