//! The mergeable aggregation state.
//!
//! The state keeps, for every (unit, role) pair that has people, one
//! *record* of unsigned integer counters (see [`RecordLayout`]). Everything
//! the library reports about a group is a function of the sum of its
//! records, so a state over any partition of the people, merged with the
//! rest, holds exactly the same integers as one pass over everyone: merging
//! is integer addition per (unit, role) key, which is associative and
//! commutative, and the results are bit-identical.

use std::sync::Arc;

use ndarray::{ArrayView1, ArrayView2};

use super::layout::Layout;
use crate::error::{Error, Result};

/// Where each counter sits in a record.
///
/// Per competence `c` (stride `3L + 1 + K`, `L` = number of levels, `K` =
/// number of weight classes), at offset `c · stride`:
///
/// | offset | counters | meaning (people with a requirement on `c`) |
/// |---|---|---|
/// | `0..L` | `hist[level]` | rated, by current level |
/// | `L..2L` | `rated_by_target[t]` | rated, by required level |
/// | `2L..3L` | `below_by_target[t]` | rated and below the requirement, by required level |
/// | `3L` | `missing` | required but not rated |
/// | `3L+1..3L+1+K` | `gap_sum[k]` | Σ max(0, required − level) of rated people whose requirement has weight class `k` |
///
/// After the competences: `area_people[a]` (people rated on at least one
/// required competence of area `a`), `persons_rated` (rated on at least one
/// requirement) and `persons` (everyone seen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordLayout {
    /// Number of levels `L`.
    pub levels: usize,
    /// Number of weight classes `K`.
    pub classes: usize,
    /// Number of competences.
    pub competences: usize,
    /// Number of areas.
    pub areas: usize,
}

impl RecordLayout {
    /// The record layout of a [`Layout`].
    pub fn of(layout: &Layout) -> RecordLayout {
        RecordLayout {
            levels: layout.n_levels(),
            classes: layout.weights.len(),
            competences: layout.competences.len(),
            areas: layout.areas.len(),
        }
    }
    /// Counters per competence.
    pub fn stride(&self) -> usize {
        3 * self.levels + 1 + self.classes
    }
    /// Counters per record.
    pub fn len(&self) -> usize {
        self.competences * self.stride() + self.areas + 2
    }
    /// Never true: a record always has the person counters.
    pub fn is_empty(&self) -> bool {
        false
    }
    /// Offset of competence `c`'s block.
    pub fn comp(&self, c: usize) -> usize {
        c * self.stride()
    }
    /// Offset of `area_people[a]`.
    pub fn area(&self, a: usize) -> usize {
        self.competences * self.stride() + a
    }
    /// Offset of `persons_rated`.
    pub fn persons_rated(&self) -> usize {
        self.competences * self.stride() + self.areas
    }
    /// Offset of `persons`.
    pub fn persons(&self) -> usize {
        self.persons_rated() + 1
    }
}

/// One batch of people for [`AggregateState::update`].
///
/// `levels` is people × competences (columns in the layout's competence
/// order), `-1` for a missing rating. `units[p]` is the index of person
/// `p`'s unit in the layout's tree. `roles[p]` indexes the layout's roles.
/// Required levels come either from `required` (people × competences, 0 =
/// no requirement) or, when it is `None`, from the layout's role
/// requirement matrix via `roles`.
#[derive(Debug, Clone, Copy)]
pub struct Batch<'a> {
    /// Current levels, `-1` = missing.
    pub levels: ArrayView2<'a, i8>,
    /// Unit index per person.
    pub units: ArrayView1<'a, u32>,
    /// Role index per person, if roles are used.
    pub roles: Option<ArrayView1<'a, u32>>,
    /// Required levels per person, if not taken from roles.
    pub required: Option<ArrayView2<'a, i8>>,
}

/// Sentinel for "no slot yet".
const NONE: u32 = u32::MAX;

/// A mergeable aggregation state (see the module docs).
#[derive(Debug, Clone)]
pub struct AggregateState {
    pub(crate) layout: Arc<Layout>,
    pub(crate) rec: RecordLayout,
    /// `unit · n_role_slots + role` → slot, or [`NONE`].
    slot_of: Vec<u32>,
    /// slot → `unit · n_role_slots + role`.
    pub(crate) keys: Vec<u32>,
    /// slot-major records.
    pub(crate) counts: Vec<u64>,
}

impl PartialEq for AggregateState {
    fn eq(&self, other: &Self) -> bool {
        if !(Arc::ptr_eq(&self.layout, &other.layout) || self.layout == other.layout) {
            return false;
        }
        let (a, b) = (self.sorted_slots(), other.sorted_slots());
        a.len() == b.len()
            && a.iter()
                .zip(&b)
                .all(|(&x, &y)| self.keys[x] == other.keys[y] && self.record(x) == other.record(y))
    }
}

impl AggregateState {
    /// An empty state.
    pub fn new(layout: Arc<Layout>) -> AggregateState {
        let rec = RecordLayout::of(&layout);
        let n = layout.tree.len() * layout.n_role_slots();
        AggregateState {
            layout,
            rec,
            slot_of: vec![NONE; n],
            keys: Vec::new(),
            counts: Vec::new(),
        }
    }

    /// The layout.
    pub fn layout(&self) -> &Arc<Layout> {
        &self.layout
    }

    /// The record layout.
    pub fn record_layout(&self) -> RecordLayout {
        self.rec
    }

    /// Number of people seen.
    pub fn people(&self) -> u64 {
        let at = self.rec.persons();
        (0..self.keys.len())
            .map(|s| self.counts[s * self.rec.len() + at])
            .sum()
    }

    /// Slots in key order (unit, then role).
    pub(crate) fn sorted_slots(&self) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.keys.len()).collect();
        v.sort_by_key(|&s| self.keys[s]);
        v
    }

    /// The record of a slot.
    pub(crate) fn record(&self, slot: usize) -> &[u64] {
        let len = self.rec.len();
        &self.counts[slot * len..(slot + 1) * len]
    }

    /// `(unit, role)` of a slot.
    pub(crate) fn key(&self, slot: usize) -> (usize, usize) {
        let r = self.layout.n_role_slots();
        let k = self.keys[slot] as usize;
        (k / r, k % r)
    }

    fn slot(&mut self, key: usize) -> usize {
        match self.slot_of.get(key).copied() {
            Some(s) if s != NONE => s as usize,
            _ => {
                let s = self.keys.len();
                self.keys.push(key as u32);
                self.counts.resize(self.counts.len() + self.rec.len(), 0);
                if let Some(x) = self.slot_of.get_mut(key) {
                    *x = s as u32;
                }
                s
            }
        }
    }

    /// Insert a record for `(unit, role)` (used by the decoders); adds to
    /// an existing one.
    pub(crate) fn add_record(&mut self, unit: usize, role: usize, record: &[u64]) -> Result<()> {
        let r = self.layout.n_role_slots();
        if unit >= self.layout.tree.len() || role >= r || record.len() != self.rec.len() {
            return Err(Error::CorruptState {
                location: "slots".into(),
                message: format!("slot ({unit}, {role}) does not fit the layout"),
            });
        }
        let s = self.slot(unit * r + role);
        let len = self.rec.len();
        for (a, b) in self.counts[s * len..(s + 1) * len].iter_mut().zip(record) {
            *a = a.checked_add(*b).ok_or_else(|| Error::CorruptState {
                location: "slots".into(),
                message: "counter overflow".into(),
            })?;
        }
        Ok(())
    }

    /// Add a batch of people. The batch is checked completely before
    /// anything is added, so on error the state is unchanged.
    pub fn update(&mut self, batch: &Batch<'_>) -> Result<()> {
        let layout = Arc::clone(&self.layout);
        let n = batch.levels.nrows();
        let n_c = layout.competences.len();
        if batch.levels.ncols() != n_c {
            return Err(Error::ShapeMismatch {
                location: "levels".into(),
                message: format!(
                    "{} columns, expected {} competences",
                    batch.levels.ncols(),
                    n_c
                ),
            });
        }
        if batch.units.len() != n {
            return Err(Error::ShapeMismatch {
                location: "units".into(),
                message: format!("{} units for {} people", batch.units.len(), n),
            });
        }
        if let Some(roles) = &batch.roles {
            if roles.len() != n {
                return Err(Error::ShapeMismatch {
                    location: "roles".into(),
                    message: format!("{} roles for {} people", roles.len(), n),
                });
            }
            if layout.roles.is_empty() {
                return Err(Error::invalid(
                    "roles",
                    "the layout has no roles; give role ids when building it",
                ));
            }
        } else if !layout.roles.is_empty() {
            return Err(Error::MissingValue {
                location: "roles".into(),
                what: "a role per person (the layout has roles)".into(),
            });
        }
        if let Some(req) = &batch.required {
            if req.dim() != (n, n_c) {
                return Err(Error::ShapeMismatch {
                    location: "required".into(),
                    message: format!("{:?}, expected {:?}", req.dim(), (n, n_c)),
                });
            }
        } else if layout.role_required.is_none() {
            return Err(Error::MissingValue {
                location: "required".into(),
                what: "required levels (a matrix, or role profiles in the layout)".into(),
            });
        }
        self.validate(batch)?;
        self.accumulate(batch);
        Ok(())
    }

    fn validate(&self, batch: &Batch<'_>) -> Result<()> {
        let layout = &self.layout;
        let (min, max) = (layout.level_min, layout.level_max);
        let ok_level = |v: i8| v == -1 || (v >= min && v <= max);
        // fold (no early exit) so that the scan vectorises
        let bad_level = match batch.levels.as_slice() {
            Some(s) => !s
                .chunks(1 << 16)
                .all(|ch| ch.iter().fold(true, |acc, &v| acc & ok_level(v))),
            None => !batch.levels.iter().all(|&v| ok_level(v)),
        };
        if bad_level {
            if let Some(((p, c), &v)) = batch.levels.indexed_iter().find(|(_, &v)| !ok_level(v)) {
                return Err(Error::LevelOutOfScale {
                    location: format!("levels[{p}][{c}]"),
                    level: i64::from(v),
                    min: i64::from(min),
                    max: i64::from(max),
                });
            }
        }
        let n_units = layout.tree.len() as u32;
        if let Some((p, &u)) = batch.units.iter().enumerate().find(|(_, &u)| u >= n_units) {
            return Err(Error::UnknownReference {
                location: format!("units[{p}]"),
                kind: "unit".into(),
                id: u.to_string(),
            });
        }
        if let Some(roles) = &batch.roles {
            let n_roles = layout.roles.len() as u32;
            if let Some((p, &r)) = roles.iter().enumerate().find(|(_, &r)| r >= n_roles) {
                return Err(Error::UnknownReference {
                    location: format!("roles[{p}]"),
                    kind: "role".into(),
                    id: r.to_string(),
                });
            }
        }
        if let Some(req) = &batch.required {
            let lo = min.max(1);
            let ok = |v: i8| v == 0 || (v >= lo && v <= max);
            if let Some(((p, c), _)) = req.indexed_iter().find(|(_, &v)| !ok(v)) {
                layout.check_required(req[(p, c)], &format!("required[{p}][{c}]"))?;
                return Err(Error::LevelOutOfScale {
                    location: format!("required[{p}][{c}]"),
                    level: i64::from(req[(p, c)]),
                    min: i64::from(lo),
                    max: i64::from(max),
                });
            }
        }
        Ok(())
    }

    fn accumulate(&mut self, batch: &Batch<'_>) {
        let layout = Arc::clone(&self.layout);
        let rec = self.rec;
        let (l, stride, len) = (rec.levels, rec.stride(), rec.len());
        let n_c = rec.competences;
        let min = layout.level_min;
        let n_roles = layout.n_role_slots();
        let area_of: Vec<usize> = layout.area_of.iter().map(|&a| a as usize).collect();
        let has_areas = !area_of.is_empty();
        let mut seen = vec![false; rec.areas];
        let mut lv_buf = vec![0i8; n_c];
        let mut rq_buf = vec![0i8; n_c];
        let comp_cls: Vec<usize> = layout
            .competence_weight
            .iter()
            .map(|&k| k as usize)
            .collect();
        let role_cls: Option<Vec<usize>> = layout
            .role_weight
            .as_ref()
            .map(|m| m.iter().map(|&k| k as usize).collect());
        let role_req: Option<Vec<i8>> = layout
            .role_required
            .as_ref()
            .map(|m| m.iter().copied().collect());
        let lv_slice = batch.levels.as_slice();
        let rq_slice = batch.required.as_ref().and_then(|r| r.as_slice());
        for p in 0..batch.levels.nrows() {
            let u = batch.units[p] as usize;
            let r = batch.roles.as_ref().map_or(0, |x| x[p] as usize);
            let slot = self.slot(u * n_roles + r);
            let lv: &[i8] = match lv_slice {
                Some(s) => &s[p * n_c..(p + 1) * n_c],
                None => {
                    for (d, s) in lv_buf.iter_mut().zip(batch.levels.row(p)) {
                        *d = *s;
                    }
                    &lv_buf
                }
            };
            let (rq, cls): (&[i8], &[usize]) = match (&batch.required, &role_req, &role_cls) {
                (Some(req), _, _) => {
                    let row: &[i8] = match rq_slice {
                        Some(s) => &s[p * n_c..(p + 1) * n_c],
                        None => {
                            for (d, s) in rq_buf.iter_mut().zip(req.row(p)) {
                                *d = *s;
                            }
                            &rq_buf
                        }
                    };
                    (row, &comp_cls)
                }
                (None, Some(q), Some(k)) => {
                    (&q[r * n_c..(r + 1) * n_c], &k[r * n_c..(r + 1) * n_c])
                }
                _ => continue,
            };
            let counts = &mut self.counts[slot * len..(slot + 1) * len];
            // Branch-free: every counter gets an add of 0 or 1 (or the gap),
            // so `level < required` (often a coin flip) costs no
            // mispredictions. Indices are clamped into the competence block.
            let mut rated_mask: u64 = 0;
            for c in 0..n_c {
                let q = rq[c];
                let v = lv[c];
                let req = u64::from(q > 0);
                let rated = req & u64::from(v >= 0);
                let below = rated & u64::from(v < q);
                let o = c * stride;
                let vi = (v.max(min) - min) as usize;
                let ti = (q.max(min) - min) as usize;
                counts[o + vi] += rated;
                counts[o + l + ti] += rated;
                counts[o + 2 * l + ti] += below;
                counts[o + 3 * l] += req - rated;
                counts[o + 3 * l + 1 + cls[c]] += below * (i16::from(q) - i16::from(v)) as u64;
                rated_mask |= rated << c;
            }
            let any = rated_mask != 0;
            if has_areas {
                for (c, &a) in area_of.iter().enumerate() {
                    if rated_mask >> c & 1 == 1 {
                        seen[a] = true;
                    }
                }
            }
            let tail = n_c * stride;
            for (a, s) in seen.iter_mut().enumerate() {
                if *s {
                    counts[tail + a] += 1;
                    *s = false;
                }
            }
            if any {
                counts[tail + rec.areas] += 1;
            }
            counts[tail + rec.areas + 1] += 1;
        }
    }

    /// Merge another state of the same layout into this one (integer
    /// addition per (unit, role) record). On error this state is unchanged.
    pub fn merge(&mut self, other: &AggregateState) -> Result<()> {
        if !(Arc::ptr_eq(&self.layout, &other.layout) || *self.layout == *other.layout) {
            return Err(Error::IncompatibleState {
                location: layout_difference(&self.layout, &other.layout),
                message: "states were built for different layouts".into(),
            });
        }
        let len = self.rec.len();
        // Check for overflow first so that a failed merge changes nothing.
        for s in 0..other.keys.len() {
            if let Some(&mine) = self.slot_of.get(other.keys[s] as usize) {
                if mine != NONE {
                    let a = &self.counts[mine as usize * len..(mine as usize + 1) * len];
                    if a.iter()
                        .zip(other.record(s))
                        .any(|(x, y)| x.checked_add(*y).is_none())
                    {
                        return Err(Error::IncompatibleState {
                            location: "counts".into(),
                            message: "counter overflow".into(),
                        });
                    }
                }
            }
        }
        for s in 0..other.keys.len() {
            let mine = self.slot(other.keys[s] as usize);
            let src = other.record(s);
            for (a, b) in self.counts[mine * len..(mine + 1) * len]
                .iter_mut()
                .zip(src)
            {
                *a = a.wrapping_add(*b);
            }
        }
        Ok(())
    }

    /// Merge two states into a new one.
    pub fn merged(mut self, other: &AggregateState) -> Result<AggregateState> {
        self.merge(other)?;
        Ok(self)
    }
}

fn layout_difference(a: &Layout, b: &Layout) -> String {
    if a.tree != b.tree {
        "layout.tree"
    } else if a.competences != b.competences {
        "layout.competences"
    } else if a.areas != b.areas || a.area_of != b.area_of {
        "layout.areas"
    } else if a.roles != b.roles {
        "layout.roles"
    } else if (a.level_min, a.level_max) != (b.level_min, b.level_max) {
        "layout.levels"
    } else if a.weights != b.weights {
        "layout.weights"
    } else {
        "layout"
    }
    .to_string()
}
