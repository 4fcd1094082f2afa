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
        // At most 2³¹ people per pass, so that the pass's `u32` bins
        // cannot overflow.
        let n = batch.levels.nrows();
        let mut start = 0;
        while start < n {
            let end = n.min(start + (1 << 31));
            let part = Batch {
                levels: batch.levels.slice(ndarray::s![start..end, ..]),
                units: batch.units.slice(ndarray::s![start..end]),
                roles: batch.roles.map(|r| r.slice_move(ndarray::s![start..end])),
                required: batch
                    .required
                    .map(|q| q.slice_move(ndarray::s![start..end, ..])),
            };
            if !self.accumulate_binned(&part, threads_for(end - start), BUCKET_BYTES) {
                self.accumulate(&part);
            }
            start = end;
        }
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
        let units_ok = match batch.units.as_slice() {
            Some(s) => s.iter().fold(true, |acc, &u| acc & (u < n_units)),
            None => false,
        };
        if !units_ok {
            if let Some((p, &u)) = batch.units.iter().enumerate().find(|(_, &u)| u >= n_units) {
                return Err(Error::UnknownReference {
                    location: format!("units[{p}]"),
                    kind: "unit".into(),
                    id: u.to_string(),
                });
            }
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
            // fold (no early exit) so that the scan vectorises
            let all_ok = match req.as_slice() {
                Some(s) => s
                    .chunks(1 << 16)
                    .all(|ch| ch.iter().fold(true, |acc, &v| acc & ok(v))),
                None => req.iter().all(|&v| ok(v)),
            };
            if all_ok {
                return Ok(());
            }
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

    /// The fast pass (see [`binned`]); `false` when it does not apply (a
    /// matrix that is not contiguous, a wide level scale, or bins over 32 MiB
    /// and twice the level matrix), in which case nothing was added.
    pub(crate) fn accumulate_binned(
        &mut self,
        batch: &Batch<'_>,
        threads: usize,
        bucket_bytes: usize,
    ) -> bool {
        let layout = Arc::clone(&self.layout);
        let n = batch.levels.nrows();
        let n_c = self.rec.competences;
        let joint = batch.required.is_some();
        let (Some(lv), Some(units)) = (batch.levels.as_slice(), batch.units.as_slice()) else {
            return false;
        };
        let rq = match &batch.required {
            Some(q) => match q.as_slice() {
                Some(s) => Some(s),
                None => return false,
            },
            None => None,
        };
        let roles = match &batch.roles {
            Some(r) => match r.as_slice() {
                Some(s) => Some(s),
                None => return false,
            },
            None => None,
        };
        let v = layout.level_max as usize + 2;
        let w = if joint {
            v * (layout.level_max as usize + 1)
        } else {
            v
        };
        if w > binned::MAX_BINS {
            return false;
        }
        // Slots of the groups in this batch (ascending key).
        let n_roles = layout.n_role_slots();
        let mut used = vec![false; self.slot_of.len()];
        for p in 0..n {
            let key = units[p] as usize * n_roles + roles.map_or(0, |r| r[p] as usize);
            if let Some(u) = used.get_mut(key) {
                *u = true;
            }
        }
        let fresh = used
            .iter()
            .enumerate()
            .filter(|(k, &u)| u && self.slot_of[*k] == NONE)
            .count();
        let n_slots = self.keys.len() + fresh;
        // The bins (per thread) must stay small: at most 32 MiB or twice
        // the level matrix.
        let bins_bytes = n_slots
            .saturating_mul(n_c)
            .saturating_mul(w)
            .saturating_mul(4);
        let budget = (32usize << 20).max(n.saturating_mul(n_c).saturating_mul(2));
        if bins_bytes > budget {
            return false;
        }
        let threads = threads.min((budget / bins_bytes.max(1)).max(1));
        for (key, _) in used.iter().enumerate().filter(|(_, &u)| u) {
            self.slot(key);
        }
        drop(used);
        let keys_role: Vec<u32> = self.keys.iter().map(|&k| k % n_roles as u32).collect();
        let area_masks: Vec<u64> = (0..layout.areas.len())
            .map(|a| {
                layout
                    .area_of
                    .iter()
                    .enumerate()
                    .filter(|(_, &x)| x as usize == a)
                    .fold(0u64, |m, (c, _)| m | 1 << c)
            })
            .collect();
        let role_masks: Vec<u64> = match (&layout.role_required, joint) {
            (Some(q), false) => q
                .rows()
                .into_iter()
                .map(|row| {
                    row.iter()
                        .enumerate()
                        .fold(0u64, |m, (c, &x)| m | u64::from(x > 0) << c)
                })
                .collect(),
            _ => vec![u64::MAX],
        };
        let slot_of = &self.slot_of;
        let plan = binned::Plan {
            n_c,
            v,
            w,
            joint,
            n_slots,
            area_masks: &area_masks,
            role_masks: &role_masks,
            keys_role: &keys_role,
            bucket_bytes,
        };
        let slot_at = |p: usize| -> u32 {
            let key = units[p] as usize * n_roles + roles.map_or(0, |r| r[p] as usize);
            slot_of.get(key).copied().unwrap_or(0)
        };
        let part = binned::run(&plan, lv, rq, &slot_at, n, threads);
        self.add_bins(&part, &plan);
        true
    }

    /// Add the bins of [`binned::run`] to the records.
    fn add_bins(&mut self, part: &binned::Partial, plan: &binned::Plan<'_>) {
        let layout = Arc::clone(&self.layout);
        let rec = self.rec;
        let (l, len, n_c) = (rec.levels, rec.len(), rec.competences);
        let (v, w) = (plan.v, plan.w);
        let min = layout.level_min as usize;
        let n_q = layout.level_max as usize + 1;
        let tail_len = rec.areas + 2;
        for slot in 0..plan.n_slots {
            let tail = &part.tail[slot * tail_len..(slot + 1) * tail_len];
            if tail[tail_len - 1] == 0 {
                continue;
            }
            let role = plan.keys_role[slot] as usize;
            let bins = &part.bins[slot * n_c * w..(slot + 1) * n_c * w];
            let counts = &mut self.counts[slot * len..(slot + 1) * len];
            for c in 0..n_c {
                let o = rec.comp(c);
                let block = &bins[c * w..(c + 1) * w];
                // (required level, its weight class, its level bins)
                let mut targets: [(usize, usize, &[u32]); 1] = [(0, 0, &[])];
                let list: Vec<(usize, usize, &[u32])>;
                let per: &[(usize, usize, &[u32])] = if plan.joint {
                    let cls = layout.competence_weight[c] as usize;
                    list = (1..n_q)
                        .map(|q| (q, cls, &block[q * v..(q + 1) * v]))
                        .collect();
                    &list
                } else {
                    let (q, cls) = match (&layout.role_required, &layout.role_weight) {
                        (Some(q), Some(k)) => (q[(role, c)], k[(role, c)]),
                        _ => (0, 0),
                    };
                    if q <= 0 {
                        continue;
                    }
                    targets[0] = (q as usize, cls as usize, block);
                    &targets
                };
                for &(q, cls, row) in per {
                    if q < min {
                        continue;
                    }
                    counts[o + 3 * l] += u64::from(row[0]);
                    let ti = q - min;
                    for (vi, &cnt) in row.iter().enumerate().skip(1 + min) {
                        if cnt == 0 {
                            continue;
                        }
                        let (lev, cnt) = (vi - 1, u64::from(cnt));
                        counts[o + lev - min] += cnt;
                        counts[o + l + ti] += cnt;
                        if lev < q {
                            counts[o + 2 * l + ti] += cnt;
                            counts[o + 3 * l + 1 + cls] += cnt * (q - lev) as u64;
                        }
                    }
                }
            }
            let t = n_c * rec.stride();
            for (i, &x) in tail.iter().enumerate() {
                counts[t + i] += x;
            }
        }
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

/// Bytes of bins one bucket of the partitioned pass covers (about half
/// of a core's L2 cache).
const BUCKET_BYTES: usize = 256 * 1024;

/// Threads for a pass over `n` people: up to 4 for large batches (the
/// result does not depend on it: the bins are integer sums).
fn threads_for(n: usize) -> usize {
    #[cfg(not(target_family = "wasm"))]
    {
        if n >= binned::PARALLEL_MIN {
            return std::thread::available_parallelism()
                .map(|t| t.get())
                .unwrap_or(1)
                .min(4);
        }
    }
    let _ = n;
    1
}

/// The fast pass: one increment per person × competence into a small
/// integer histogram per (group, competence) — over (required level,
/// level) when the requirements come per person, over the level when they
/// come from the role — from which [`AggregateState::add_bins`] derives
/// every counter of the records afterwards. People are taken in chunks and
/// partitioned by group into buckets whose bins fit in the L2 cache, so
/// that the increments hit the cache even when people come in random unit
/// order. Large batches are split over threads, each with its own bins,
/// summed at the end (integer sums: the same result on any number of
/// threads).
pub(crate) mod binned {
    /// Largest number of bins per competence.
    pub const MAX_BINS: usize = 256;
    /// People per chunk.
    const CHUNK: usize = 1 << 17;
    /// People from which a pass uses several threads.
    #[cfg(not(target_family = "wasm"))]
    pub const PARALLEL_MIN: usize = 1 << 17;

    /// What the pass needs to know.
    pub struct Plan<'a> {
        /// Competences.
        pub n_c: usize,
        /// Level bins: `max + 2` (bin 0 = missing, bin `v + 1` = level `v`).
        pub v: usize,
        /// Bins per competence: `v`, or `(max + 1) · v` with requirements.
        pub w: usize,
        /// Requirements per person (bins over (required, level)).
        pub joint: bool,
        /// Slots (groups) of the state.
        pub n_slots: usize,
        /// Competences of each area, as bit masks.
        pub area_masks: &'a [u64],
        /// Competences each role requires, as bit masks (all ones for
        /// per-person requirements).
        pub role_masks: &'a [u64],
        /// Role of each slot.
        pub keys_role: &'a [u32],
        /// Bytes of bins per bucket.
        pub bucket_bytes: usize,
    }

    /// Bins (`slot × competence × w`, `u32`) and person counters (`slot ×
    /// (areas + 2)`: area people, persons rated, persons).
    pub struct Partial {
        pub bins: Vec<u32>,
        pub tail: Vec<u64>,
    }

    impl Partial {
        fn new(plan: &Plan<'_>) -> Partial {
            Partial {
                bins: vec![0; plan.n_slots * plan.n_c * plan.w],
                tail: vec![0; plan.n_slots * (plan.area_masks.len() + 2)],
            }
        }
        #[cfg(not(target_family = "wasm"))]
        fn add(&mut self, other: &Partial) {
            for (a, b) in self.bins.iter_mut().zip(&other.bins) {
                *a += b;
            }
            for (a, b) in self.tail.iter_mut().zip(&other.tail) {
                *a += b;
            }
        }
    }

    /// The pass over people `0..n` (`slot_at(p)` = person `p`'s slot).
    pub fn run(
        plan: &Plan<'_>,
        lv: &[i8],
        rq: Option<&[i8]>,
        slot_at: &(dyn Fn(usize) -> u32 + Sync),
        n: usize,
        threads: usize,
    ) -> Partial {
        #[cfg(not(target_family = "wasm"))]
        {
            let threads = threads.min(n / 1024).max(1);
            if threads > 1 {
                let step = n.div_ceil(threads);
                let parts: Vec<Partial> = std::thread::scope(|scope| {
                    let handles: Vec<_> = (0..threads)
                        .map(|t| (t * step, ((t + 1) * step).min(n)))
                        .filter(|(a, b)| a < b)
                        .map(|(a, b)| {
                            (
                                a,
                                b,
                                scope.spawn(move || range(plan, lv, rq, slot_at, a, b)),
                            )
                        })
                        .collect();
                    handles
                        .into_iter()
                        // A worker that failed is redone on this thread.
                        .map(|(a, b, h)| {
                            h.join()
                                .unwrap_or_else(|_| range(plan, lv, rq, slot_at, a, b))
                        })
                        .collect()
                });
                let mut parts = parts.into_iter();
                if let Some(mut total) = parts.next() {
                    for p in parts {
                        total.add(&p);
                    }
                    return total;
                }
            }
        }
        let _ = threads;
        range(plan, lv, rq, slot_at, 0, n)
    }

    /// People `a..b`, chunk by chunk.
    fn range(
        plan: &Plan<'_>,
        lv: &[i8],
        rq: Option<&[i8]>,
        slot_at: &(dyn Fn(usize) -> u32 + Sync),
        a: usize,
        b: usize,
    ) -> Partial {
        let n_c = plan.n_c;
        let mut out = Partial::new(plan);
        let per_slot = (n_c * plan.w * 4).max(1);
        let slots_per_bucket = (plan.bucket_bytes / per_slot).max(1);
        let n_buckets = plan.n_slots.div_ceil(slots_per_bucket).max(1);
        if n_buckets == 1 {
            let slots: Vec<u32> = (a..b).map(slot_at).collect();
            let rq = rq.map(|q| &q[a * n_c..b * n_c]);
            kernel(plan, &mut out, &lv[a * n_c..b * n_c], rq, &slots);
            return out;
        }
        let chunk = CHUNK.min(b - a);
        let mut buf_l = vec![0i8; chunk * n_c];
        let mut buf_q = vec![0i8; if rq.is_some() { chunk * n_c } else { 0 }];
        let mut buf_s = vec![0u32; chunk];
        let mut slots = vec![0u32; chunk];
        let mut start = vec![0usize; n_buckets + 1];
        let mut c0 = a;
        while c0 < b {
            let c1 = (c0 + chunk).min(b);
            let m = c1 - c0;
            start.iter_mut().for_each(|x| *x = 0);
            for (i, p) in (c0..c1).enumerate() {
                let s = slot_at(p);
                slots[i] = s;
                start[s as usize / slots_per_bucket + 1] += 1;
            }
            for i in 0..n_buckets {
                start[i + 1] += start[i];
            }
            let mut fill = start.clone();
            for (i, p) in (c0..c1).enumerate() {
                let s = slots[i];
                let f = &mut fill[s as usize / slots_per_bucket];
                let d = *f;
                *f += 1;
                buf_s[d] = s;
                buf_l[d * n_c..(d + 1) * n_c].copy_from_slice(&lv[p * n_c..(p + 1) * n_c]);
                if let Some(q) = rq {
                    buf_q[d * n_c..(d + 1) * n_c].copy_from_slice(&q[p * n_c..(p + 1) * n_c]);
                }
            }
            let q = rq.map(|_| &buf_q[..m * n_c]);
            kernel(plan, &mut out, &buf_l[..m * n_c], q, &buf_s[..m]);
            c0 = c1;
        }
        out
    }

    /// The increments: one per person × competence, and the person
    /// counters.
    fn kernel(plan: &Plan<'_>, out: &mut Partial, lv: &[i8], rq: Option<&[i8]>, slots: &[u32]) {
        let (n_c, v, w) = (plan.n_c, plan.v, plan.w);
        let n_a = plan.area_masks.len();
        let tail_len = n_a + 2;
        let block = n_c * w;
        for (d, &s) in slots.iter().enumerate() {
            let s = s as usize;
            let l = &lv[d * n_c..(d + 1) * n_c];
            let bins = &mut out.bins[s * block..(s + 1) * block];
            let mut mask = 0u64;
            match rq {
                Some(rq) => {
                    let q = &rq[d * n_c..(d + 1) * n_c];
                    for c in 0..n_c {
                        let (qc, lc) = (q[c], l[c]);
                        bins[c * w + qc as usize * v + (lc + 1) as usize] += 1;
                        mask |= u64::from((qc > 0) & (lc >= 0)) << c;
                    }
                }
                None => {
                    for c in 0..n_c {
                        let lc = l[c];
                        bins[c * w + (lc + 1) as usize] += 1;
                        mask |= u64::from(lc >= 0) << c;
                    }
                    let role = plan.keys_role.get(s).copied().unwrap_or(0) as usize;
                    mask &= plan.role_masks.get(role).copied().unwrap_or(0);
                }
            }
            let t = &mut out.tail[s * tail_len..(s + 1) * tail_len];
            for (a, &am) in plan.area_masks.iter().enumerate() {
                t[a] += u64::from(mask & am != 0);
            }
            t[n_a] += u64::from(mask != 0);
            t[n_a + 1] += 1;
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::OrgTree;
    use ndarray::{Array1, Array2};

    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    /// The binned pass (any threads, any bucket size) adds exactly the
    /// counters of the row-by-row pass, with per-person requirements and
    /// with role requirements, with areas.
    #[test]
    fn binned_pass_equals_row_pass() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let parents: Vec<i64> = [-1, 0, 0, 1, 1, 2, 2, 2, 3, 3].to_vec();
        let tree = OrgTree::from_parents(&parents, None).unwrap();
        let n_c = 7;
        let comps: Vec<String> = (0..n_c).map(|c| format!("c{c}")).collect();
        let (n_roles, n) = (3usize, 5000usize);
        let mut role_q = Array2::<i8>::zeros((n_roles, n_c));
        let mut role_w = Array2::<f64>::zeros((n_roles, n_c));
        for r in 0..n_roles {
            for c in 0..n_c {
                if rng.below(3) > 0 {
                    role_q[(r, c)] = 1 + rng.below(6) as i8;
                    role_w[(r, c)] = [1.0, 2.0, 0.5][rng.below(3) as usize];
                }
            }
        }
        let base = Layout::new(tree, comps, 1, 6)
            .unwrap()
            .with_areas(vec!["a".into(), "b".into()], vec![0, 0, 1, 1, 1, 0, 1])
            .unwrap()
            .with_roles((0..n_roles).map(|r| format!("r{r}")).collect())
            .unwrap();
        let by_matrix = Arc::new(
            base.clone()
                .with_competence_weights(&[1.0, 2.0, 3.0, 1.0, 0.5, 2.0, 1.0])
                .unwrap(),
        );
        let by_role = Arc::new(base.with_role_requirements(role_q, role_w).unwrap());
        let mut levels = Array2::<i8>::zeros((n, n_c));
        let mut required = Array2::<i8>::zeros((n, n_c));
        let units = Array1::from_iter((0..n).map(|_| rng.below(10) as u32));
        let roles = Array1::from_iter((0..n).map(|_| rng.below(n_roles as u64) as u32));
        for p in 0..n {
            for c in 0..n_c {
                let x = rng.below(8) as i8;
                levels[(p, c)] = if x == 0 { -1 } else { x.min(6) };
                let q = rng.below(8) as i8;
                required[(p, c)] = if q > 6 { 0 } else { q };
            }
        }
        for (layout, req) in [(by_matrix, Some(required.view())), (by_role, None)] {
            let batch = Batch {
                levels: levels.view(),
                units: units.view(),
                roles: Some(roles.view()),
                required: req,
            };
            let mut reference = AggregateState::new(Arc::clone(&layout));
            reference.accumulate(&batch);
            for (threads, bucket) in [(1, BUCKET_BYTES), (1, 1), (3, 1), (4, 500)] {
                let mut s = AggregateState::new(Arc::clone(&layout));
                assert!(s.accumulate_binned(&batch, threads, bucket));
                // twice: adds to existing records
                assert!(s.accumulate_binned(&batch, threads, bucket));
                let mut twice = reference.clone();
                twice.merge(&reference).unwrap();
                assert_eq!(s, twice, "threads {threads}, bucket {bucket}");
            }
        }
    }
}

#[cfg(test)]
mod timing {
    use super::*;
    use crate::aggregate::OrgTree;
    use ndarray::{Array1, Array2};
    use std::time::Instant;

    /// Row-by-row pass against the binned pass (1 and all threads) on
    /// 1,000,000 people × 21 competences in random unit order, interleaved
    /// so that both see the same machine load. Run with
    /// `cargo test --release -p kompetens --lib pass_timing -- --ignored --nocapture`.
    #[test]
    #[ignore = "timing probe, not a test"]
    fn pass_timing() {
        let (n, n_c, n_units, n_roles) = (1_000_000usize, 21usize, 2000usize, 8usize);
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |m: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % m
        };
        let parents: Vec<i64> = (0..n_units as i64)
            .map(|u| if u == 0 { -1 } else { (u - 1) / 10 })
            .collect();
        let comps: Vec<String> = (0..n_c).map(|c| c.to_string()).collect();
        let levels = Array2::from_shape_fn((n, n_c), |_| next(10) as i8 - 1);
        let required = Array2::from_shape_fn((n, n_c), |_| next(9) as i8);
        let units = Array1::from_shape_fn(n, |_| next(n_units as u64) as u32);
        let roles = Array1::from_shape_fn(n, |_| next(n_roles as u64) as u32);
        let tree = OrgTree::from_parents(&parents, None).unwrap();
        let matrix = Arc::new(Layout::new(tree.clone(), comps.clone(), 0, 8).unwrap());
        let role_q = Array2::from_shape_fn((n_roles, n_c), |(r, c)| ((r + c) % 9) as i8);
        let role_w = Array2::from_shape_fn((n_roles, n_c), |_| 1.0);
        let by_role = Arc::new(
            Layout::new(tree, comps, 0, 8)
                .unwrap()
                .with_roles((0..n_roles).map(|r| r.to_string()).collect())
                .unwrap()
                .with_role_requirements(role_q, role_w)
                .unwrap(),
        );
        let cases = [
            (
                "per-person requirements",
                matrix,
                None,
                Some(required.view()),
            ),
            ("role requirements", by_role, Some(roles.view()), None),
        ];
        for (name, layout, roles, required) in cases {
            let batch = Batch {
                levels: levels.view(),
                units: units.view(),
                roles,
                required,
            };
            let mut best = [f64::INFINITY; 4];
            for _ in 0..3 {
                let t = Instant::now();
                let s: i64 = levels
                    .as_slice()
                    .unwrap()
                    .iter()
                    .map(|&v| i64::from(v))
                    .sum();
                best[0] = best[0].min(t.elapsed().as_secs_f64());
                std::hint::black_box(s);
                let t = Instant::now();
                let mut a = AggregateState::new(Arc::clone(&layout));
                a.accumulate(&batch);
                best[1] = best[1].min(t.elapsed().as_secs_f64());
                let t = Instant::now();
                let mut b = AggregateState::new(Arc::clone(&layout));
                assert!(b.accumulate_binned(&batch, 1, BUCKET_BYTES));
                best[2] = best[2].min(t.elapsed().as_secs_f64());
                let t = Instant::now();
                let mut c = AggregateState::new(Arc::clone(&layout));
                assert!(c.accumulate_binned(&batch, threads_for(n), BUCKET_BYTES));
                best[3] = best[3].min(t.elapsed().as_secs_f64());
                assert!(a == b && b == c);
            }
            println!(
                "{name}: bare sum {:.4} s, row-by-row {:.4} s, binned 1 thread {:.4} s, binned {} threads {:.4} s",
                best[0], best[1], best[2], threads_for(n), best[3]
            );
        }
    }
}
