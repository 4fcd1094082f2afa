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
    /// matrix that is not contiguous, or a level scale with more than 256
    /// bins per competence), in which case nothing was added.
    /// `_bucket_bytes` is kept for the tests' signature (no buckets now).
    pub(crate) fn accumulate_binned(
        &mut self,
        batch: &Batch<'_>,
        threads: usize,
        _bucket_bytes: usize,
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
        if w > binned::MAX_BINS || n > u32::MAX as usize {
            return false;
        }
        // Counting sort of the people by group key (unit · roles + role).
        let n_roles = layout.n_role_slots();
        let n_keys = self.slot_of.len();
        let key_at = |p: usize| units[p] as usize * n_roles + roles.map_or(0, |r| r[p] as usize);
        let mut start = vec![0u32; n_keys + 1];
        for p in 0..n {
            if let Some(x) = start.get_mut(key_at(p) + 1) {
                *x += 1;
            }
        }
        // Slots for the new groups, in key order.
        for k in 0..n_keys {
            if start[k + 1] > 0 {
                self.slot(k);
            }
        }
        for k in 0..n_keys {
            start[k + 1] += start[k];
        }
        let mut order = vec![0u32; n];
        {
            let mut fill = start.clone();
            for p in 0..n {
                if let Some(f) = fill.get_mut(key_at(p)) {
                    if let Some(o) = order.get_mut(*f as usize) {
                        *o = p as u32;
                    }
                    *f += 1;
                }
            }
        }
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
        let plan = binned::Plan {
            packed: false,
            layout: &layout,
            rec: self.rec,
            n_c,
            v,
            w,
            joint,
            area_masks: &area_masks,
            role_masks: &role_masks,
        };
        // One job per group with people: its people and its record.
        let len = self.rec.len();
        let mut records: Vec<Option<&mut [u64]>> = self.counts.chunks_mut(len).map(Some).collect();
        let mut jobs: Vec<binned::Job<'_>> = Vec::new();
        for k in 0..n_keys {
            let (a, b) = (start[k] as usize, start[k + 1] as usize);
            if a == b {
                continue;
            }
            let slot = self.slot_of[k] as usize;
            if let Some(record) = records.get_mut(slot).and_then(Option::take) {
                jobs.push(binned::Job {
                    people: &order[a..b],
                    role: k % n_roles,
                    record,
                });
            }
        }
        match (rq, w <= 128) {
            (Some(rq), true) => {
                // One byte per cell: the bin code, and the rated flag in the
                // top bit, so that the pass reads one matrix at random
                // instead of two.
                let v8 = v as u8;
                let packed: Vec<i8> = lv
                    .iter()
                    .zip(rq)
                    .map(|(&l, &q)| {
                        let code = (q as u8).wrapping_mul(v8).wrapping_add((l + 1) as u8);
                        (code | (u8::from(q > 0) & u8::from(l >= 0)) << 7) as i8
                    })
                    .collect();
                let plan = binned::Plan {
                    packed: true,
                    ..plan
                };
                binned::run(&plan, &packed, None, jobs, threads);
            }
            _ => binned::run(&plan, lv, rq, jobs, threads),
        }
        true
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

/// Bytes of bins one bucket covered in the former partitioned pass (kept
/// for the tests' signature).
const BUCKET_BYTES: usize = 256 * 1024;

/// Threads for a pass over `n` people: up to 4 for large batches (the
/// result does not depend on it: every group's counters are integer sums
/// made by one thread).
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

/// The fast pass. With requirements per person (and at most 128 bins per
/// competence), each cell is first packed into one byte — the bin code and
/// the rated flag in the top bit — in one sequential pass, so that the
/// random reads below touch one matrix instead of two. People are sorted
/// by group (unit, role) with a counting sort of their indices (one `u32`
/// per person). Then each group
/// is done at once: one increment per person × competence into a small
/// integer histogram — over (required level, level) when the requirements
/// come per person, over the level when they come from the role — that
/// stays in the L1 cache (21 × 90 `u32` = 7.5 KB), from which every
/// counter of the group's record is derived before the next group. Groups
/// are split over threads in contiguous runs of about equal people; each
/// group is done by one thread, so the result is the same on any number
/// of threads.
pub(crate) mod binned {
    use super::{Layout, RecordLayout};

    /// Largest number of bins per competence (bin codes are bytes).
    pub const MAX_BINS: usize = 256;
    /// People from which a pass uses several threads.
    #[cfg(not(target_family = "wasm"))]
    pub const PARALLEL_MIN: usize = 1 << 17;

    /// What the pass needs to know.
    pub struct Plan<'a> {
        /// `lv` holds packed cells (bin code, rated flag in the top bit).
        pub packed: bool,
        /// The layout (requirements and weights of the roles).
        pub layout: &'a Layout,
        /// The record layout.
        pub rec: RecordLayout,
        /// Competences.
        pub n_c: usize,
        /// Level bins: `max + 2` (bin 0 = missing, bin `v + 1` = level `v`).
        pub v: usize,
        /// Bins per competence: `v`, or `(max + 1) · v` with requirements.
        pub w: usize,
        /// Requirements per person (bins over (required, level)).
        pub joint: bool,
        /// Competences of each area, as bit masks.
        pub area_masks: &'a [u64],
        /// Competences each role requires, as bit masks (all ones for
        /// per-person requirements).
        pub role_masks: &'a [u64],
    }

    /// One group: its people (indices), its role and its record.
    pub struct Job<'a> {
        /// Person indices.
        pub people: &'a [u32],
        /// Role of the group (0 without roles).
        pub role: usize,
        /// The group's record in the state.
        pub record: &'a mut [u64],
    }

    /// Do all jobs, on up to `threads` threads.
    pub fn run(plan: &Plan<'_>, lv: &[i8], rq: Option<&[i8]>, jobs: Vec<Job<'_>>, threads: usize) {
        let total: usize = jobs.iter().map(|j| j.people.len()).sum();
        #[cfg(not(target_family = "wasm"))]
        {
            let threads = threads.min(total / 1024).min(jobs.len()).max(1);
            if threads > 1 {
                // Contiguous runs of about total / threads people.
                let mut parts: Vec<Vec<Job<'_>>> = Vec::with_capacity(threads);
                let mut current = Vec::new();
                let mut acc = 0usize;
                let share = total.div_ceil(threads);
                for job in jobs {
                    acc += job.people.len();
                    current.push(job);
                    if acc >= share * (parts.len() + 1) && parts.len() + 1 < threads {
                        parts.push(std::mem::take(&mut current));
                    }
                }
                parts.push(current);
                std::thread::scope(|scope| {
                    let handles: Vec<_> = parts
                        .into_iter()
                        .map(|part| scope.spawn(move || work(plan, lv, rq, part)))
                        .collect();
                    for h in handles {
                        if let Err(e) = h.join() {
                            std::panic::resume_unwind(e);
                        }
                    }
                });
                return;
            }
        }
        let _ = (threads, total);
        work(plan, lv, rq, jobs);
    }

    /// Jobs one after the other with one set of bins.
    fn work(plan: &Plan<'_>, lv: &[i8], rq: Option<&[i8]>, jobs: Vec<Job<'_>>) {
        let (n_c, w) = (plan.n_c, plan.w);
        let n_a = plan.area_masks.len();
        let mut bins = vec![0u32; n_c * w];
        let mut tail = vec![0u64; n_a + 2];
        // A block of people: their bin codes and rated flags, each row
        // padded to a multiple of 8 bytes.
        let s = n_c.div_ceil(8) * 8;
        let mut codes = vec![0u8; AHEAD * s];
        let mut rated = vec![0u8; AHEAD * s];
        let off: Vec<usize> = (0..n_c).map(|c| c * w).collect();
        let mut sink = 0i8;
        for job in jobs {
            let people = job.people;
            let role_mask = if plan.joint {
                u64::MAX
            } else {
                plan.role_masks.get(job.role).copied().unwrap_or(0)
            };
            let mut from = 0;
            while from < people.len() {
                let to = (from + AHEAD).min(people.len());
                let next = &people[to..people.len().min(to + AHEAD)];
                sink ^= touch(lv, next, n_c);
                if let Some(rq) = rq {
                    sink ^= touch(rq, next, n_c);
                }
                let block = &people[from..to];
                fill_codes(plan, lv, rq, block, s, &mut codes, &mut rated);
                for d in 0..block.len() {
                    let code = &codes[d * s..d * s + n_c];
                    for (&o, &x) in off.iter().zip(code) {
                        bins[o + x as usize] += 1;
                    }
                    let mask = rated_mask(&rated[d * s..(d + 1) * s]) & role_mask;
                    count_person(&mut tail, plan.area_masks, mask);
                }
                from = to;
            }
            derive(plan, &bins, &tail, job.role, job.record);
            bins.iter_mut().for_each(|x| *x = 0);
            tail.iter_mut().for_each(|x| *x = 0);
        }
        std::hint::black_box(sink);
    }

    /// Bin code within the competence (`required · v + level + 1`, or
    /// `level + 1`) and rated flag (required and rated) of every cell of a
    /// block of people.
    #[inline(always)]
    fn fill_codes(
        plan: &Plan<'_>,
        lv: &[i8],
        rq: Option<&[i8]>,
        block: &[u32],
        s: usize,
        codes: &mut [u8],
        rated: &mut [u8],
    ) {
        let n_c = plan.n_c;
        let v = plan.v as u8;
        for (d, &p) in block.iter().enumerate() {
            let p = p as usize;
            let l = &lv[p * n_c..(p + 1) * n_c];
            let code = &mut codes[d * s..d * s + n_c];
            let ok = &mut rated[d * s..d * s + n_c];
            match rq {
                Some(rq) => {
                    let q = &rq[p * n_c..(p + 1) * n_c];
                    for c in 0..n_c {
                        let (qc, lc) = (q[c], l[c]);
                        code[c] = (qc as u8).wrapping_mul(v).wrapping_add((lc + 1) as u8);
                        ok[c] = u8::from(qc > 0) & u8::from(lc >= 0);
                    }
                }
                None if plan.packed => {
                    for c in 0..n_c {
                        let x = l[c] as u8;
                        code[c] = x & 0x7f;
                        ok[c] = x >> 7;
                    }
                }
                None => {
                    for c in 0..n_c {
                        let lc = l[c];
                        code[c] = (lc + 1) as u8;
                        ok[c] = u8::from(lc >= 0);
                    }
                }
            }
        }
    }

    /// Bit `c` set when byte `c` is 1 (bytes are 0 or 1; 8 bytes at a time:
    /// the multiplication gathers the low bit of each byte into the top
    /// byte).
    #[inline(always)]
    fn rated_mask(flags: &[u8]) -> u64 {
        let mut mask = 0u64;
        for (j, ch) in flags.chunks_exact(8).enumerate().take(8) {
            let x = u64::from_le_bytes([ch[0], ch[1], ch[2], ch[3], ch[4], ch[5], ch[6], ch[7]]);
            let bits = x.wrapping_mul(0x0102_0408_1020_4080) >> 56;
            mask |= bits << (8 * j);
        }
        mask
    }

    /// People looked at ahead of the increments (see [`touch`]).
    const AHEAD: usize = 32;

    /// Read the first and last byte of each person's row: independent
    /// loads, so that the memory system fetches the rows of the next
    /// people in parallel while the increments of the current ones run
    /// (people of one group lie far apart in the matrices, so their rows
    /// are cache misses). The value is thrown away.
    #[inline(always)]
    fn touch(m: &[i8], people: &[u32], n_c: usize) -> i8 {
        people.iter().fold(0i8, |acc, &p| {
            let at = p as usize * n_c;
            acc ^ m.get(at).copied().unwrap_or(0) ^ m.get(at + n_c - 1).copied().unwrap_or(0)
        })
    }

    /// Area people, persons rated and persons from a person's rated mask.
    #[inline(always)]
    fn count_person(tail: &mut [u64], area_masks: &[u64], mask: u64) {
        let n_a = area_masks.len();
        for (t, &am) in tail.iter_mut().zip(area_masks) {
            *t += u64::from(mask & am != 0);
        }
        if let Some(t) = tail.get_mut(n_a) {
            *t += u64::from(mask != 0);
        }
        if let Some(t) = tail.get_mut(n_a + 1) {
            *t += 1;
        }
    }

    /// Add the counters of one group's bins to its record.
    fn derive(plan: &Plan<'_>, bins: &[u32], tail: &[u64], role: usize, counts: &mut [u64]) {
        let layout = plan.layout;
        let rec = plan.rec;
        let (l, n_c) = (rec.levels, rec.competences);
        let (v, w) = (plan.v, plan.w);
        let min = layout.level_min as usize;
        let n_q = layout.level_max as usize + 1;
        for c in 0..n_c {
            let o = rec.comp(c);
            let block = &bins[c * w..(c + 1) * w];
            let mut add = |q: usize, cls: usize, row: &[u32]| {
                if q < min {
                    return;
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
            };
            if plan.joint {
                let cls = layout.competence_weight[c] as usize;
                for q in 1..n_q {
                    add(q, cls, &block[q * v..(q + 1) * v]);
                }
            } else {
                let (q, cls) = match (&layout.role_required, &layout.role_weight) {
                    (Some(q), Some(k)) => (q[(role, c)], k[(role, c)]),
                    _ => (0, 0),
                };
                if q > 0 {
                    add(q as usize, cls as usize, block);
                }
            }
        }
        let t = n_c * rec.stride();
        for (i, &x) in tail.iter().enumerate() {
            counts[t + i] += x;
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
