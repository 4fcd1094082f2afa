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
///
/// The matrices may be in row-major (C) or column-major (Fortran) order —
/// a pandas DataFrame's block of integer columns is column-major — and the
/// id vectors contiguous: the fast pass reads them in place. Other layouts
/// (strided views) give the same result more slowly (row by row).
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
        if let Err(why) = check_record(self.rec, record) {
            return Err(Error::CorruptState {
                location: format!("slot ({}, {role})", self.layout.tree.id(unit)),
                message: why,
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

    /// Checks a decoded state as a whole: at most [`MAX_PEOPLE`] people
    /// (so that no counter of the roll-up can overflow).
    pub(crate) fn check_totals(&self) -> Result<()> {
        let at = self.rec.persons();
        let total = (0..self.keys.len()).try_fold(0u64, |acc, s| {
            acc.checked_add(self.counts[s * self.rec.len() + at])
        });
        match total {
            Some(t) if t <= MAX_PEOPLE => Ok(()),
            _ => Err(Error::CorruptState {
                location: "slots".into(),
                message: format!("more than {MAX_PEOPLE} people in the state"),
            }),
        }
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
            if layout.role_required.is_some() {
                return Err(Error::invalid(
                    "required",
                    "the layout's requirements come from the role profiles; give no required matrix",
                ));
            }
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
        // At most 2³¹ people per pass, so that the pass's `u32` bins
        // cannot overflow. The fast pass checks its part's values while
        // it reads them and adds nothing when one is out of range; with
        // several parts everything is checked first, so that on error the
        // state is unchanged.
        let n = batch.levels.nrows();
        const PART: usize = 1 << 31;
        if n > PART {
            self.validate(batch)?;
        }
        let mut start = 0;
        while start < n {
            let end = n.min(start + PART);
            let part = Batch {
                levels: batch.levels.slice(ndarray::s![start..end, ..]),
                units: batch.units.slice(ndarray::s![start..end]),
                roles: batch.roles.map(|r| r.slice_move(ndarray::s![start..end])),
                required: batch
                    .required
                    .map(|q| q.slice_move(ndarray::s![start..end, ..])),
            };
            match self.accumulate_binned(&part, threads_for(end - start)) {
                Pass::Done => {}
                Pass::Invalid | Pass::NotApplicable => {
                    self.validate(&part)?;
                    self.accumulate(&part);
                }
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

    /// The fast pass (see [`binned`]). It checks every value it reads:
    /// on [`Pass::Invalid`] (a unit, role or level out of range) or
    /// [`Pass::NotApplicable`] (a matrix contiguous in neither order, or a
    /// level scale with more than 256 bins per competence) nothing was
    /// added, and the caller takes the row-by-row path after
    /// [`validate`](Self::validate).
    pub(crate) fn accumulate_binned(&mut self, batch: &Batch<'_>, threads: usize) -> Pass {
        let layout = Arc::clone(&self.layout);
        let n = batch.levels.nrows();
        let n_c = self.rec.competences;
        let (Some(lv), Some(units)) = (binned::Matrix::of(&batch.levels), batch.units.as_slice())
        else {
            return Pass::NotApplicable;
        };
        let rq = match &batch.required {
            Some(q) => match binned::Matrix::of(q) {
                Some(m) => Some(m),
                None => return Pass::NotApplicable,
            },
            None => None,
        };
        let roles = match &batch.roles {
            Some(r) => match r.as_slice() {
                Some(s) => Some(s),
                None => return Pass::NotApplicable,
            },
            None => None,
        };
        // (a layout has at most 64 competences; the row copies and the
        // rated masks rely on it)
        if layout.level_min < 0 || layout.level_max < layout.level_min || n_c == 0 || n_c > 64 {
            return Pass::NotApplicable;
        }
        let joint = rq.is_some();
        // Level bins: `max + 2` (bin 0 = missing). With requirements the
        // code is `required · 16 + level + 1` (a shift, which vectorises;
        // a byte multiplication does not), so the scale must fit 16 bins.
        let levels = layout.level_max as usize + 2;
        let (v, w) = if joint {
            (16, 16 * (layout.level_max as usize + 1))
        } else {
            (levels, levels)
        };
        if levels > v || w > binned::MAX_BINS || n > u32::MAX as usize {
            return Pass::NotApplicable;
        }
        let n_slots = layout.n_role_slots();
        let n_keys = self.slot_of.len();
        let threads = threads.clamp(1, n.max(1));
        let pieces = if threads > 1 {
            (threads * binned::PIECES_PER_THREAD).min(n)
        } else {
            1
        };
        let chunks: Vec<(usize, usize)> = (0..pieces)
            .map(|t| (n * t / pieces, n * (t + 1) / pieces))
            .collect();
        // 1. Group sizes per chunk of rows (checks units and roles).
        let ids = binned::Ids {
            units,
            roles,
            n_units: layout.tree.len() as u32,
            n_roles: layout.roles.len() as u32,
            n_slots,
        };
        let sizes = binned::par_queue(chunks.clone(), threads, |ch| ids.sizes(ch, n_keys));
        let Some(sizes) = sizes.into_iter().collect::<Option<Vec<Vec<u32>>>>() else {
            return Pass::Invalid;
        };
        let total: Vec<u32> = (0..n_keys)
            .map(|k| sizes.iter().map(|s| s[k]).sum())
            .collect();
        // The groups with people, in key order, and each key's rank.
        let groups: Vec<usize> = (0..n_keys).filter(|&k| total[k] > 0).collect();
        let mut rank_of = vec![u32::MAX; n_keys];
        for (r, &k) in groups.iter().enumerate() {
            rank_of[k] = r as u32;
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
            _ => Vec::new(),
        };
        let plan = binned::Plan {
            layout: &layout,
            rec: self.rec,
            n_c,
            w,
            joint,
            area_masks: &area_masks,
            role_masks: &role_masks,
        };
        // 2. Scatter: each chunk's rows' bin codes go to their group's
        // place in the chunk's own buffer (groups in key order), which the
        // thread that takes the chunk allocates (and the allocator zeroes)
        // itself.
        let input = binned::Input {
            lv,
            rq,
            ids: &ids,
            rank_of: &rank_of,
        };
        let jobs: Vec<_> = chunks.iter().copied().zip(&sizes).collect();
        let pad = binned::pad(n_c);
        // A new state's records are allocated zeroed by this thread while
        // the others start the scatter (an 11 MB `memset` for 1,000,000
        // people over 2,000 units).
        let len = self.rec.len();
        let new = groups.iter().filter(|&&k| self.slot_of[k] == NONE).count();
        let fresh = self.keys.is_empty();
        let (scattered, zeroed) = binned::par_queue_side(
            jobs,
            threads,
            |(ch, sizes)| {
                // each group's region: its rows, then `pad` bytes for the
                // whole-width copy of its last row
                let (mut starts, mut ends) = (Vec::with_capacity(groups.len()), Vec::new());
                let mut len = 0;
                for &k in &groups {
                    starts.push(len);
                    len += sizes[k] as usize * n_c;
                    ends.push(len);
                    len += pad;
                }
                let mut buf = vec![0u8; len];
                let (tail, cursor) = plan.scatter(&input, ch, &mut buf, starts)?;
                // Every region exactly full, or the ids changed since they were
                // counted (another thread writing the caller's arrays): the
                // buffer is dropped and the row-by-row path decides.
                (cursor == ends).then_some((buf, tail))
            },
            || fresh.then(|| vec![0u64; new * len]),
        );
        let Some(scattered) = scattered.into_iter().collect::<Option<Vec<_>>>() else {
            return Pass::Invalid;
        };
        // 3. Slots for the new groups, in key order, and each group's
        // person counters (area people, persons rated, persons).
        if let Some(zeroed) = zeroed {
            self.counts = zeroed;
            for &k in &groups {
                self.slot_of[k] = self.keys.len() as u32;
                self.keys.push(k as u32);
            }
        } else {
            self.counts.reserve(new * len);
            for &k in &groups {
                self.slot(k);
            }
        }
        let n_a = area_masks.len();
        let tw = n_a + 2;
        let mut persons = vec![0u64; groups.len() * tw];
        for (r, (&k, p)) in groups.iter().zip(persons.chunks_exact_mut(tw)).enumerate() {
            for (_, tt) in &scattered {
                let from = &tt[r * (n_a + 1)..(r + 1) * (n_a + 1)];
                for (x, &y) in p.iter_mut().zip(&from[1..]) {
                    *x += u64::from(y);
                }
                p[n_a] += u64::from(from[0]);
            }
            p[n_a + 1] = u64::from(total[k]);
        }
        // 4. Count: each group's rows (one run per chunk buffer) into its
        // bins, from which its record is derived. Threads take contiguous
        // runs of groups with about equal rows from a queue.
        let mut records: Vec<Option<&mut [u64]>> = self.counts.chunks_mut(len).map(Some).collect();
        let mut runs: Vec<Vec<binned::Group<'_>>> = Vec::with_capacity(pieces);
        let mut current = Vec::new();
        let (mut acc, share) = (0usize, n.div_ceil(pieces));
        let mut rests: Vec<&[u8]> = scattered.iter().map(|(b, _)| b.as_slice()).collect();
        for (r, &k) in groups.iter().enumerate() {
            let rows: Vec<&[u8]> = rests
                .iter_mut()
                .zip(&sizes)
                .map(|(rest, sz)| {
                    let (head, tail) = rest.split_at(sz[k] as usize * n_c + pad);
                    *rest = tail;
                    &head[..head.len() - pad]
                })
                .collect();
            let slot = self.slot_of[k] as usize;
            if let Some(record) = records.get_mut(slot).and_then(Option::take) {
                current.push(binned::Group {
                    rows,
                    persons: &persons[r * tw..(r + 1) * tw],
                    role: k % n_slots,
                    record,
                });
            }
            acc += total[k] as usize;
            if acc >= share * (runs.len() + 1) && runs.len() + 1 < pieces {
                runs.push(std::mem::take(&mut current));
            }
        }
        runs.push(current);
        binned::par_queue(runs, threads, |run| plan.count(run));
        Pass::Done
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
        // Check for overflow first so that a failed merge changes nothing:
        // no counter, and no roll-up of the merged state.
        let people = |st: &AggregateState| {
            (0..st.keys.len()).try_fold(0u64, |acc, s| {
                acc.checked_add(st.counts[s * len + st.rec.persons()])
            })
        };
        if people(self)
            .zip(people(other))
            .and_then(|(a, b)| a.checked_add(b))
            .is_none_or(|t| t > MAX_PEOPLE)
        {
            return Err(Error::IncompatibleState {
                location: "counts".into(),
                message: format!("more than {MAX_PEOPLE} people in the merged state"),
            });
        }
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

/// Outcome of [`AggregateState::accumulate_binned`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pass {
    /// The batch was added.
    Done,
    /// A value is out of range; nothing was added.
    Invalid,
    /// The fast pass does not apply; nothing was added.
    NotApplicable,
}

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

/// The fast pass: a counting sort of the rows' one-byte cell codes by
/// group, then one histogram per group. Three sweeps, none with random
/// reads of the input:
///
/// 1. **sizes** — the rows of every group (unit, role) per chunk of rows;
///    this checks the unit and role ids;
/// 2. **scatter** — each chunk of rows is read once (row-major
///    matrices row by row, a row's bytes of both matrices in registers;
///    column-major matrices a block of 2,048 rows at a time, whose rows are
///    first gathered, 8 × 8 cells at a time), checks the
///    levels (and requirements), turns every cell into a one-byte code
///    (`required · 16 + level + 1`, or `level + 1` when the requirements
///    come from the role), counts the people rated on at least one
///    requirement (and per area), and writes the row's codes to the next
///    place of its group's region in the chunk's own buffer (groups in
///    key order, so each group's rows end up contiguous);
/// 3. **count** — each group's rows are read sequentially (four rows at a
///    time), with one
///    increment per cell into the group's bins (a histogram per competence,
///    over (required, level) or over the level, that stays in the L1
///    cache); every counter of the group's record is derived from them.
///
/// With several threads, the rows are cut into
/// [`PIECES_PER_THREAD`](binned::PIECES_PER_THREAD) chunks per thread and
/// the groups into as many runs; each thread takes the next chunk (in
/// (1) and (2)) or run (in (3)) from a queue, so a thread the machine
/// slows down takes fewer. Every group's counters are integer sums made
/// by one thread, so the result is the same on any number of threads, in
/// any chunking and in any row order (`binned_pass_equals_row_pass`
/// checks it against the row-by-row pass).
pub(crate) mod binned {
    use super::{Layout, RecordLayout};

    /// Largest number of bins per competence (bin codes are bytes).
    pub const MAX_BINS: usize = 256;
    /// People from which a pass uses several threads.
    #[cfg(not(target_family = "wasm"))]
    pub const PARALLEL_MIN: usize = 1 << 17;
    /// Rows per block when they are gathered from column-major matrices.
    const GATHER_BLOCK: usize = 2048;

    /// Chunks of rows (and runs of groups) per thread in a pass: threads
    /// take the next one from a queue, so a thread that the machine slows
    /// down (a busy core, a virtual CPU that waits for its host) takes
    /// fewer, and each chunk's scatter buffer is small enough to stay in
    /// the core's L2 cache while it is written.
    pub const PIECES_PER_THREAD: usize = 8;

    /// `f` over `items` on `threads` threads (this one and `threads − 1`
    /// more), each taking the next item from a queue; results in item
    /// order. Sequential on wasm or with one thread.
    pub fn par_queue<T: Send, R: Send>(
        items: Vec<T>,
        threads: usize,
        f: impl Fn(T) -> R + Sync,
    ) -> Vec<R> {
        par_queue_side(items, threads, f, || ()).0
    }

    /// [`par_queue`], with `side` (work independent of the items) run
    /// first by this thread, which then joins the queue: the other threads
    /// take more items meanwhile.
    pub fn par_queue_side<T: Send, R: Send, S>(
        items: Vec<T>,
        threads: usize,
        f: impl Fn(T) -> R + Sync,
        side: impl FnOnce() -> S,
    ) -> (Vec<R>, S) {
        #[cfg(not(target_family = "wasm"))]
        if threads > 1 && items.len() > 1 {
            let n = items.len();
            let queue = std::sync::Mutex::new(items.into_iter().enumerate());
            let work = || {
                let mut out = Vec::new();
                loop {
                    let next = queue
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .next();
                    let Some((i, x)) = next else {
                        break out;
                    };
                    out.push((i, f(x)));
                }
            };
            let (mut done, s) = std::thread::scope(|scope| {
                let handles: Vec<_> = (1..threads.min(n)).map(|_| scope.spawn(work)).collect();
                let s = side();
                let mut mine = work();
                for h in handles {
                    match h.join() {
                        Ok(theirs) => mine.extend(theirs),
                        Err(e) => std::panic::resume_unwind(e),
                    }
                }
                (mine, s)
            });
            done.sort_unstable_by_key(|x| x.0);
            return (done.into_iter().map(|x| x.1).collect(), s);
        }
        let _ = threads;
        let s = side();
        (items.into_iter().map(f).collect(), s)
    }

    /// `f` over `items`, one thread each (the first on this thread); in
    /// order. Sequential on wasm.
    pub fn par_map<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
        #[cfg(not(target_family = "wasm"))]
        if items.len() > 1 {
            let f = &f;
            return std::thread::scope(|scope| {
                let mut it = items.into_iter();
                let first = it.next();
                let handles: Vec<_> = it.map(|x| scope.spawn(move || f(x))).collect();
                let mut out = Vec::with_capacity(handles.len() + 1);
                if let Some(x) = first {
                    out.push(f(x));
                }
                for h in handles {
                    match h.join() {
                        Ok(r) => out.push(r),
                        Err(e) => std::panic::resume_unwind(e),
                    }
                }
                out
            });
        }
        items.into_iter().map(f).collect()
    }

    /// The group ids of the rows.
    pub struct Ids<'a> {
        /// Unit index per row.
        pub units: &'a [u32],
        /// Role index per row.
        pub roles: Option<&'a [u32]>,
        /// Units in the tree.
        pub n_units: u32,
        /// Roles of the layout.
        pub n_roles: u32,
        /// Role slots per unit in a group key.
        pub n_slots: usize,
    }

    impl Ids<'_> {
        /// Group key of row `p` (ids already checked).
        #[inline(always)]
        fn key(&self, p: usize) -> usize {
            let u = self.units.get(p).copied().unwrap_or(0) as usize;
            let r = self.roles.and_then(|r| r.get(p).copied()).unwrap_or(0) as usize;
            u * self.n_slots + r
        }

        /// Rows per group key in rows `a..b`; `None` when an id is out of
        /// range.
        pub fn sizes(&self, (a, b): (usize, usize), n_keys: usize) -> Option<Vec<u32>> {
            let mut c = vec![0u32; n_keys];
            let mut ok = true;
            let units = self.units.get(a..b)?;
            match self.roles {
                None => {
                    for &u in units {
                        ok &= u < self.n_units;
                        if let Some(x) = c.get_mut(u as usize) {
                            *x += 1;
                        }
                    }
                }
                Some(roles) => {
                    for (&u, &r) in units.iter().zip(roles.get(a..b)?) {
                        ok &= (u < self.n_units) & (r < self.n_roles);
                        if let Some(x) = c.get_mut(u as usize * self.n_slots + r as usize) {
                            *x += 1;
                        }
                    }
                }
            }
            ok.then_some(c)
        }
    }

    /// A people × competences matrix as the scatter reads it.
    #[derive(Clone, Copy)]
    pub enum Matrix<'a> {
        /// Row-major (C order): row `p` is `data[p · n_c..(p + 1) · n_c]`.
        Rows(&'a [i8]),
        /// Column-major (Fortran order, as a DataFrame's block of integer
        /// columns): column `c` is `data[c · n..(c + 1) · n]`, `n` rows.
        Cols(&'a [i8], usize),
    }

    impl<'a> Matrix<'a> {
        /// The matrix when it is contiguous in either order, else `None`.
        pub fn of(a: &ndarray::ArrayView2<'a, i8>) -> Option<Matrix<'a>> {
            if let Some(s) = a.to_slice() {
                return Some(Matrix::Rows(s));
            }
            (*a).reversed_axes()
                .to_slice()
                .map(|s| Matrix::Cols(s, a.nrows()))
        }

        /// Rows `r0..r1` in row-major order: the data itself, or gathered
        /// into `buf` (which has at least 8 bytes after the block: the
        /// 8 × 8 tiles below write whole 8-byte pieces).
        #[inline(always)]
        fn rows<'b>(
            &'b self,
            (r0, r1): (usize, usize),
            n_c: usize,
            buf: &'b mut [i8],
        ) -> Option<&'b [i8]> {
            match *self {
                Matrix::Rows(s) => s.get(r0 * n_c..r1 * n_c),
                Matrix::Cols(s, n) => {
                    gather_rows(s, n, n_c, (r0, r1), buf)?;
                    buf.get(..(r1 - r0) * n_c)
                }
            }
        }
    }

    /// Rows `r0..r1` of a column-major matrix (`n` rows × `n_c` columns)
    /// into `out` row-major: 8 rows × 8 columns at a time (eight 8-byte
    /// loads, a transposition in registers, eight 8-byte stores), the
    /// remaining rows cell by cell; each tile of 8 columns over all the
    /// rows (8 sequential streams), from the last tile to the first: the
    /// last tile's stores run past a row's last column into the next
    /// row's first columns, which the first tile (or, after the last full
    /// 8 rows, the cell-by-cell rows) writes afterwards, or into the 8
    /// bytes after the block.
    fn gather_rows(
        cols: &[i8],
        n: usize,
        n_c: usize,
        (r0, r1): (usize, usize),
        out: &mut [i8],
    ) -> Option<()> {
        let rows = r1 - r0;
        let full = rows / 8 * 8;
        let tiles = n_c.div_ceil(8);
        for t in (0..tiles).rev() {
            for d0 in (0..full).step_by(8) {
                let c0 = t * 8;
                let mut a = [0u64; 8];
                for (k, x) in a.iter_mut().enumerate().take(n_c - c0) {
                    let at = (c0 + k) * n + r0 + d0;
                    let piece: [u8; 8] = bytes(cols.get(at..at + 8)?)?;
                    *x = u64::from_le_bytes(piece);
                }
                transpose8(&mut a);
                for (j, x) in a.iter().enumerate() {
                    let at = (d0 + j) * n_c + c0;
                    for (o, b) in out.get_mut(at..at + 8)?.iter_mut().zip(x.to_le_bytes()) {
                        *o = b as i8;
                    }
                }
            }
        }
        for d in full..rows {
            for c in 0..n_c {
                *out.get_mut(d * n_c + c)? = *cols.get(c * n + r0 + d)?;
            }
        }
        Some(())
    }

    /// `K` bytes of `s` from `at`; past the end of `s`, zeros.
    #[inline(always)]
    fn load<const K: usize>(s: &[i8], at: usize) -> [i8; K] {
        if let Some(x) = s.get(at..at + K) {
            if let Ok(a) = <[i8; K]>::try_from(x) {
                return a;
            }
        }
        let mut a = [0i8; K];
        let rest = s.get(at..).unwrap_or(&[]);
        let m = rest.len().min(K);
        a[..m].copy_from_slice(&rest[..m]);
        a
    }

    /// Eight bytes of `s` (length 8) as unsigned bytes.
    #[inline(always)]
    fn bytes(s: &[i8]) -> Option<[u8; 8]> {
        let s: &[i8; 8] = s.try_into().ok()?;
        Some(s.map(|x| x as u8))
    }

    /// Transpose an 8 × 8 byte matrix held as 8 words (byte `j` of word
    /// `i` ↔ byte `i` of word `j`): swaps of 4 × 4, 2 × 2 and 1 × 1 byte
    /// blocks.
    #[inline(always)]
    pub(crate) fn transpose8(a: &mut [u64; 8]) {
        for i in 0..4 {
            let t = ((a[i] >> 32) ^ a[i + 4]) & 0x0000_0000_ffff_ffff;
            a[i] ^= t << 32;
            a[i + 4] ^= t;
        }
        for i in [0, 1, 4, 5] {
            let t = ((a[i] >> 16) ^ a[i + 2]) & 0x0000_ffff_0000_ffff;
            a[i] ^= t << 16;
            a[i + 2] ^= t;
        }
        for i in [0, 2, 4, 6] {
            let t = ((a[i] >> 8) ^ a[i + 1]) & 0x00ff_00ff_00ff_00ff;
            a[i] ^= t << 8;
            a[i + 1] ^= t;
        }
    }

    /// What the scatter reads.
    pub struct Input<'a> {
        /// Levels, rows × competences.
        pub lv: Matrix<'a>,
        /// Requirements, rows × competences (or from the roles).
        pub rq: Option<Matrix<'a>>,
        /// Group ids.
        pub ids: &'a Ids<'a>,
        /// Rank (among the groups with people) of each group key.
        pub rank_of: &'a [u32],
    }

    /// One group: its rows' codes, its person counters, its role and its
    /// record.
    pub struct Group<'a> {
        /// The codes of its rows, row by row (one run per chunk).
        pub rows: Vec<&'a [u8]>,
        /// Area people, persons rated, persons (added to the record's
        /// person counters).
        pub persons: &'a [u64],
        /// Role of the group (0 without roles).
        pub role: usize,
        /// The group's record in the state.
        pub record: &'a mut [u64],
    }

    /// What the pass needs to know.
    pub struct Plan<'a> {
        /// The layout (requirements and weights of the roles).
        pub layout: &'a Layout,
        /// The record layout.
        pub rec: RecordLayout,
        /// Competences.
        pub n_c: usize,
        /// Bins per competence: `max + 2` (bin 0 = missing, bin `x + 1` =
        /// level `x`), or with requirements `(max + 1) · 16` (a row of 16
        /// per required level).
        pub w: usize,
        /// Requirements per person (bins over (required, level)).
        pub joint: bool,
        /// Competences of each area, as bit masks.
        pub area_masks: &'a [u64],
        /// Competences each role requires, as bit masks (empty with
        /// per-person requirements).
        pub role_masks: &'a [u64],
    }

    /// The level scale as the scatter checks it: a level `x` is in range
    /// when `x − min ≤ span`, a requirement `q > 0` when `q − lo ≤
    /// q_span` (unsigned differences).
    struct Scale {
        min: i8,
        lo: i8,
        span: u8,
        q_span: u8,
    }

    impl Scale {
        /// The codes and rated flags of a row's `K` cells with
        /// requirements (code `required · 16 + level + 1`; rated: required
        /// and rated), its out-of-range cells or-ed into `bad`. `row` is
        /// 0xff for the row's bytes and 0 past it (no flag, no check).
        #[inline(always)]
        fn joint<const K: usize>(
            &self,
            (l, q): (&[i8; K], &[i8; K]),
            row: &[u8; K],
            bad: &mut [u8; K],
        ) -> ([u8; K], [u8; K]) {
            let (mut code, mut flag) = ([0u8; K], [0u8; K]);
            for i in 0..K {
                let (li, qi) = (l[i], q[i]);
                let ok = ((li == -1) | (li.wrapping_sub(self.min) as u8 <= self.span))
                    & ((qi == 0) | (qi.wrapping_sub(self.lo) as u8 <= self.q_span));
                bad[i] |= u8::from(!ok) & row[i];
                flag[i] = u8::from(qi > 0) & u8::from(li >= 0) & row[i];
                code[i] = ((qi as u8) << 4) | (li as u8).wrapping_add(1);
            }
            (code, flag)
        }
    }

    /// Where a chunk's rows go: each group's next place (by rank) and its
    /// person counters (`tw` = 1 + areas each: rated on a requirement, and
    /// on one of each area).
    struct Places {
        cursor: Vec<usize>,
        tail: Vec<u32>,
        tw: usize,
        /// The bits of a row's competences.
        low: u64,
    }

    impl Plan<'_> {
        /// Scatter rows `a..b`: each row's codes go to the next place of
        /// its group's region in `buf`, which starts at `starts[rank]`.
        /// Also counts, per group (by rank), the people rated on at least
        /// one requirement and those rated on at least one requirement of
        /// each area (`1 + areas` counters per group); returns them with
        /// where each region's rows ended. `None` when a level or
        /// requirement is out of range.
        pub fn scatter(
            &self,
            input: &Input<'_>,
            (a, b): (usize, usize),
            buf: &mut [u8],
            starts: Vec<usize>,
        ) -> Option<(Vec<u32>, Vec<usize>)> {
            // row-major input is read row by row, column-major input is
            // gathered into row-major blocks first
            let rows =
                matches!(input.lv, Matrix::Rows(_)) && !matches!(input.rq, Some(Matrix::Cols(..)));
            // per-person requirements, no roles, no areas: the common case,
            // compiled without their branches
            let plain = self.joint && input.ids.roles.is_none() && self.area_masks.is_empty();
            match (self.n_c <= 32, rows) {
                (true, true) if plain => self.scatter_rows::<32, true>(input, (a, b), buf, starts),
                (true, true) => self.scatter_rows::<32, false>(input, (a, b), buf, starts),
                (false, true) => self.scatter_rows::<64, false>(input, (a, b), buf, starts),
                (true, false) => self.scatter_k::<32>(input, (a, b), buf, starts),
                (false, false) => self.scatter_k::<64>(input, (a, b), buf, starts),
            }
        }

        /// The level scale as the scatter checks it.
        fn scale(&self) -> Scale {
            let (min, max) = (self.layout.level_min, self.layout.level_max);
            let lo = min.max(1);
            Scale {
                min,
                lo,
                span: max.wrapping_sub(min) as u8,
                q_span: max.wrapping_sub(lo) as u8,
            }
        }

        /// The places of a chunk's rows: each group's region starts at
        /// `cursor[rank]`; its person counters are zero.
        fn places(&self, cursor: Vec<usize>) -> Places {
            let tw = self.area_masks.len() + 1;
            Places {
                tail: vec![0; cursor.len() * tw],
                cursor,
                tw,
                low: if self.n_c >= 64 {
                    u64::MAX
                } else {
                    (1u64 << self.n_c) - 1
                },
            }
        }

        /// Row `p`, whose rated flags are the bits of `rated` (bits past
        /// the row are ignored) and whose codes are `code` (`K` bytes, the
        /// row's first): counted in its group's person counters and copied
        /// to its group's next place in `buf`.
        #[inline(always)]
        fn place<const K: usize>(
            &self,
            at: &mut Places,
            input: &Input<'_>,
            p: usize,
            rated: u64,
            code: &[u8; K],
            buf: &mut [u8],
        ) -> Option<()> {
            let key = input.ids.key(p);
            let r = *input.rank_of.get(key)? as usize;
            let mut mask = rated & at.low;
            if !self.joint {
                mask &= self
                    .role_masks
                    .get(key % input.ids.n_slots)
                    .copied()
                    .unwrap_or(0);
            }
            if let Some(t) = at.tail.get_mut(r * at.tw..(r + 1) * at.tw) {
                t[0] += u32::from(mask != 0);
                for (x, &am) in t[1..].iter_mut().zip(self.area_masks) {
                    *x += u32::from(mask & am != 0);
                }
            }
            let c = at.cursor.get_mut(r)?;
            let start = *c;
            *c += self.n_c;
            let dst: &mut [u8; K] = buf.get_mut(start..start + K)?.try_into().ok()?;
            *dst = *code;
            Some(())
        }

        /// [`scatter`](Self::scatter) of row-major matrices, row by row:
        /// `K` bytes of each matrix at the row's start are read at once
        /// (the bytes past the row, the next row's, are masked off), and
        /// the row's codes, rated flags and range check are computed in
        /// registers. `PLAIN`: per-person requirements, no roles, no areas
        /// (the caller checked), in a loop of its own.
        #[inline(always)]
        fn scatter_rows<const K: usize, const PLAIN: bool>(
            &self,
            input: &Input<'_>,
            (a, b): (usize, usize),
            buf: &mut [u8],
            cursor: Vec<usize>,
        ) -> Option<(Vec<u32>, Vec<usize>)> {
            let n_c = self.n_c;
            let scale = self.scale();
            let mut at = self.places(cursor);
            let Matrix::Rows(ls) = input.lv else {
                return None;
            };
            let qs = match input.rq {
                Some(Matrix::Rows(q)) => Some(q),
                None => None,
                Some(Matrix::Cols(..)) => return None,
            };
            // bytes of the row (0xff) and past it (0)
            let mut row_bytes = [0u8; K];
            for (i, x) in row_bytes.iter_mut().enumerate() {
                *x = if i < n_c { 0xff } else { 0 };
            }
            let wide = n_c.next_multiple_of(8).min(K);
            // out-of-range values, or-ed over all rows (checked at the end)
            let mut bad = [0u8; K];
            if PLAIN {
                // the common case in a loop of its own: the unit of each
                // row is its group, and its person counter is the only one
                let (Some(qs), Some(units)) = (qs, input.ids.units.get(a..b)) else {
                    return None;
                };
                for (p, &u) in (a..b).zip(units) {
                    let l: [i8; K] = load(ls, p * n_c);
                    let q: [i8; K] = load(qs, p * n_c);
                    let (code, flag) = scale.joint((&l, &q), &row_bytes, &mut bad);
                    let r = *input.rank_of.get(u as usize)? as usize;
                    // rated on at least one requirement: any flag of the
                    // row (8 at a time)
                    let rated = flag.chunks_exact(8).fold(0u64, |a, ch| {
                        a | u64::from_le_bytes(ch.try_into().unwrap_or([0; 8]))
                    });
                    *at.tail.get_mut(r)? += u32::from(rated != 0);
                    let c = at.cursor.get_mut(r)?;
                    let start = *c;
                    *c += n_c;
                    let dst: &mut [u8; K] = buf.get_mut(start..start + K)?.try_into().ok()?;
                    *dst = code;
                }
                return bad.iter().all(|&x| x == 0).then_some((at.tail, at.cursor));
            }
            for p in a..b {
                let l: [i8; K] = load(ls, p * n_c);
                let (code, flag) = match qs {
                    Some(qs) => scale.joint((&l, &load(qs, p * n_c)), &row_bytes, &mut bad),
                    None => {
                        let (mut code, mut flag) = ([0u8; K], [0u8; K]);
                        for i in 0..K {
                            let li = l[i];
                            let ok = (li == -1) | (li.wrapping_sub(scale.min) as u8 <= scale.span);
                            bad[i] |= u8::from(!ok) & row_bytes[i];
                            flag[i] = u8::from(li >= 0);
                            code[i] = (li as u8).wrapping_add(1);
                        }
                        (code, flag)
                    }
                };
                self.place(&mut at, input, p, rated_mask(&flag[..wide]), &code, buf)?;
            }
            if bad.iter().any(|&x| x != 0) {
                return None;
            }
            Some((at.tail, at.cursor))
        }

        /// [`scatter`](Self::scatter) for at most `K` competences when a
        /// matrix is column-major: rows are gathered a block at a time and
        /// the block's codes computed at once; a row's
        /// codes are copied as `K` bytes at once (a constant-size copy
        /// instead of a `memmove` call); the bytes past the row belong to
        /// the region's next row, which is written later, or to the
        /// region's padding ([`pad`]).
        #[inline(always)]
        fn scatter_k<const K: usize>(
            &self,
            input: &Input<'_>,
            (a, b): (usize, usize),
            buf: &mut [u8],
            cursor: Vec<usize>,
        ) -> Option<(Vec<u32>, Vec<usize>)> {
            let n_c = self.n_c;
            let Scale {
                min,
                lo,
                span,
                q_span,
            } = self.scale();
            let mut at = self.places(cursor);
            let wide = n_c.next_multiple_of(8);
            // (only a column-major matrix comes here: long blocks, so that
            // each column is read in long sequential runs)
            let block = GATHER_BLOCK;
            // padded, so that every row can be read whole
            let mut codes = vec![0u8; block * n_c + K];
            let mut flags = vec![0u8; block * n_c + K];
            // column-major input: the block's rows gathered here
            let gathered = |m: &Matrix<'_>| match m {
                Matrix::Rows(_) => Vec::new(),
                Matrix::Cols(..) => vec![0i8; block * n_c + 8],
            };
            let mut l_rows = gathered(&input.lv);
            let mut q_rows = input.rq.as_ref().map(gathered).unwrap_or_default();
            let mut r0 = a;
            while r0 < b {
                let r1 = b.min(r0 + block);
                let m = (r1 - r0) * n_c;
                let l = input.lv.rows((r0, r1), n_c, &mut l_rows)?;
                // Flat over the block's cells, so that it vectorises.
                let good = match &input.rq {
                    Some(rq) => {
                        let q = rq.rows((r0, r1), n_c, &mut q_rows)?;
                        let mut good = true;
                        for (((c, f), &li), &qi) in codes[..m]
                            .iter_mut()
                            .zip(flags[..m].iter_mut())
                            .zip(l)
                            .zip(q)
                        {
                            // in range: unsigned comparisons of the offsets
                            good &= (li == -1) | (li.wrapping_sub(min) as u8 <= span);
                            good &= (qi == 0) | (qi.wrapping_sub(lo) as u8 <= q_span);
                            *c = ((qi as u8) << 4) | (li as u8).wrapping_add(1);
                            *f = u8::from(qi > 0) & u8::from(li >= 0);
                        }
                        good
                    }
                    None => {
                        let mut good = true;
                        for ((c, f), &li) in codes[..m].iter_mut().zip(flags[..m].iter_mut()).zip(l)
                        {
                            good &= (li == -1) | (li.wrapping_sub(min) as u8 <= span);
                            *c = (li as u8).wrapping_add(1);
                            *f = u8::from(li >= 0);
                        }
                        good
                    }
                };
                if !good {
                    return None;
                }
                for d in 0..r1 - r0 {
                    let rated = rated_mask(flags.get(d * n_c..d * n_c + wide)?);
                    let code: &[u8; K] = codes.get(d * n_c..d * n_c + K)?.try_into().ok()?;
                    self.place(&mut at, input, r0 + d, rated, code, buf)?;
                }
                r0 = r1;
            }
            Some((at.tail, at.cursor))
        }

        /// Count each group's rows into bins, one increment per cell (the
        /// bins of one group stay in the L1 cache), and derive its record.
        pub fn count(&self, groups: Vec<Group<'_>>) {
            let (n_c, w) = (self.n_c, self.w);
            // 256 bins per competence, so that a byte code needs no bounds
            // check; only the first `w` are used (and cleared).
            let mut bins = vec![[0u32; MAX_BINS]; n_c];
            let tail_at = self.rec.area(0);
            for group in groups {
                for run in &group.rows {
                    // four rows at a time (their increments interleaved: on
                    // the bench data the count takes about 12 % less time
                    // than row by row)
                    let mut fours = run.chunks_exact(4 * n_c);
                    for four in fours.by_ref() {
                        let (x, y) = four.split_at(n_c);
                        let (y, z) = y.split_at(n_c);
                        let (z, u) = z.split_at(n_c);
                        for ((((b, &x), &y), &z), &u) in bins.iter_mut().zip(x).zip(y).zip(z).zip(u)
                        {
                            b[usize::from(x)] += 1;
                            b[usize::from(y)] += 1;
                            b[usize::from(z)] += 1;
                            b[usize::from(u)] += 1;
                        }
                    }
                    for row in fours.remainder().chunks_exact(n_c) {
                        for (b, &x) in bins.iter_mut().zip(row) {
                            b[usize::from(x)] += 1;
                        }
                    }
                }
                derive(self, &bins, group.role, group.record);
                if let Some(tail) = group.record.get_mut(tail_at..) {
                    for (x, &y) in tail.iter_mut().zip(group.persons) {
                        *x += y;
                    }
                }
                for b in bins.iter_mut() {
                    // in constant-size pieces: inlined stores, not a
                    // `memset` call per competence
                    let mut pieces = b[..w].chunks_exact_mut(16);
                    for piece in pieces.by_ref() {
                        piece.copy_from_slice(&[0; 16]);
                    }
                    pieces.into_remainder().fill(0);
                }
            }
        }
    }

    /// Bytes after each group's rows in a scatter buffer, so that the
    /// whole-width copy of its last row (32 or 64 bytes) stays inside the
    /// group's region.
    pub fn pad(n_c: usize) -> usize {
        if n_c <= 32 {
            32 - n_c.min(32)
        } else {
            64 - n_c.min(64)
        }
    }

    /// Bit `c` set when byte `c` is 1 (bytes are 0 or 1, a multiple of 8
    /// of them; 8 at a time: the multiplication gathers the low bit of
    /// each byte into the top byte).
    #[inline(always)]
    fn rated_mask(flags: &[u8]) -> u64 {
        let mut mask = 0u64;
        for (j, ch) in flags.chunks_exact(8).enumerate().take(8) {
            let x = u64::from_le_bytes([ch[0], ch[1], ch[2], ch[3], ch[4], ch[5], ch[6], ch[7]]);
            mask |= (x.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * j);
        }
        mask
    }

    /// Add the counters of one group's bins (one array of bins per
    /// competence) to its record.
    fn derive(plan: &Plan<'_>, bins: &[[u32; MAX_BINS]], role: usize, counts: &mut [u64]) {
        let layout = plan.layout;
        let rec = plan.rec;
        let l = rec.levels;
        let w = plan.w;
        let min = layout.level_min as usize;
        let n_q = layout.level_max as usize + 1;
        for (c, (bins, comp)) in bins
            .iter()
            .zip(counts.chunks_exact_mut(rec.stride()))
            .enumerate()
        {
            // the competence's block: hist | rated by target | below by
            // target | missing | gap sums by weight class
            let (hist, rest) = comp.split_at_mut(l);
            let (rated_t, rest) = rest.split_at_mut(l);
            let (below_t, rest) = rest.split_at_mut(l);
            let Some((missing, gaps)) = rest.split_first_mut() else {
                continue;
            };
            // `row` = bins of one required level q: [missing, level 0, 1, …]
            let mut add = |q: usize, cls: usize, row: &[u32]| {
                if q < min {
                    return;
                }
                *missing += u64::from(row[0]);
                let levels = row.get(1 + min..).unwrap_or(&[]);
                let (lower, _) = levels.split_at((q - min).min(levels.len()));
                let mut rated = 0u64;
                for (h, &cnt) in hist.iter_mut().zip(levels) {
                    *h += u64::from(cnt);
                    rated += u64::from(cnt);
                }
                let mut below = 0u64;
                let mut gap = 0u64;
                for (i, &cnt) in lower.iter().enumerate() {
                    below += u64::from(cnt);
                    gap += u64::from(cnt) * (q - min - i) as u64;
                }
                let ti = q - min;
                if let (Some(r), Some(b), Some(g)) =
                    (rated_t.get_mut(ti), below_t.get_mut(ti), gaps.get_mut(cls))
                {
                    *r += rated;
                    *b += below;
                    *g += gap;
                }
            };
            let block = &bins[..w];
            if plan.joint {
                // Sums into local arrays first (they vectorise; the record
                // is written once). The scale has at most 15 levels here,
                // so a required level's bins are one row of 16 (`v`):
                // missing, then level `x` in bin `x + 1`; the bins of
                // levels off the scale stay 0. Counts of one pass fit in
                // `u32` (fewer than 2³² rows).
                let cls = layout.competence_weight[c] as usize;
                let mut h = [0u32; 16];
                let (mut miss, mut gap) = (0u64, 0u64);
                for (q, row) in block
                    .chunks_exact(16)
                    .enumerate()
                    .take(n_q)
                    .skip(1.max(min))
                {
                    let Ok(row) = <&[u32; 16]>::try_from(row) else {
                        continue;
                    };
                    miss += u64::from(row[0]);
                    let mut rated = 0u32;
                    for (x, &cnt) in h.iter_mut().zip(row) {
                        *x += cnt;
                        rated += cnt;
                    }
                    rated -= row[0];
                    // below `q` and the gap Σ (q − x) · count(x), as a sum
                    // of running sums
                    let (mut below, mut g) = (0u32, 0u64);
                    for &cnt in row.get(1 + min..1 + q).unwrap_or(&[]) {
                        below += cnt;
                        g += u64::from(below);
                    }
                    rated_t[q - min] += u64::from(rated);
                    below_t[q - min] += u64::from(below);
                    gap += g;
                }
                for (x, &y) in hist.iter_mut().zip(h.get(1 + min..).unwrap_or(&[])) {
                    *x += u64::from(y);
                }
                *missing += miss;
                if let Some(g) = gaps.get_mut(cls) {
                    *g += gap;
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
    }
}

/// Most people a decoded state may hold (2⁵⁶: every counter of a
/// roll-up, at most 15 per person and competence, then fits in `u64`).
pub const MAX_PEOPLE: u64 = 1 << 56;

/// The relations every record of a real pass satisfies (a decoded state
/// must too, or its statistics would be nonsense: `meeting = rated −
/// below` would underflow). Per competence: the level histogram and the
/// rated-by-target counts have the same total; below ≤ rated per target;
/// rated + missing ≤ persons; rated ≤ persons rated; the gap sum ≤ Σ below
/// × (target − lowest level). Area people ≤ persons rated ≤ persons.
fn check_record(rec: RecordLayout, record: &[u64]) -> std::result::Result<(), String> {
    let l = rec.levels;
    let persons = record.get(rec.persons()).copied().unwrap_or(0);
    let rated_any = record.get(rec.persons_rated()).copied().unwrap_or(0);
    if rated_any > persons {
        return Err(format!("{rated_any} people rated of {persons}"));
    }
    for a in 0..rec.areas {
        let x = record.get(rec.area(a)).copied().unwrap_or(0);
        if x > rated_any {
            return Err(format!("area {a}: {x} people rated of {rated_any}"));
        }
    }
    let sum = |xs: &[u64]| xs.iter().try_fold(0u64, |acc, &x| acc.checked_add(x));
    for c in 0..rec.competences {
        let Some(block) = record.get(rec.comp(c)..rec.comp(c) + rec.stride()) else {
            return Err("short record".into());
        };
        let (hist, rest) = block.split_at(l);
        let (rated_t, rest) = rest.split_at(l);
        let (below_t, rest) = rest.split_at(l);
        let (missing, gaps) = rest.split_first().unwrap_or((&0, &[]));
        let bad = |what: &str| Err(format!("competence {c}: {what}"));
        let (Some(rated), Some(levels), Some(gap)) = (sum(rated_t), sum(hist), sum(gaps)) else {
            return bad("counters overflow");
        };
        if rated != levels {
            return bad(&format!("{levels} rated by level but {rated} by target"));
        }
        if below_t.iter().zip(rated_t).any(|(b, r)| b > r) {
            return bad("more below the target than rated");
        }
        if rated.checked_add(*missing).is_none_or(|x| x > persons) || rated > rated_any {
            return bad(&format!(
                "{rated} rated and {missing} missing of {persons} people"
            ));
        }
        let most = below_t.iter().enumerate().try_fold(0u64, |acc, (t, &b)| {
            b.checked_mul(t as u64).and_then(|x| acc.checked_add(x))
        });
        if most.is_none_or(|m| gap > m) {
            return bad(&format!("gap sum {gap} larger than the people below allow"));
        }
    }
    Ok(())
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

    /// Puts one value out of range.
    type Spoil = Box<dyn Fn(&mut Batch2)>;

    /// Owned batch data (to spoil one value).
    struct Batch2 {
        levels: Array2<i8>,
        required: Array2<i8>,
        units: Array1<u32>,
        roles: Array1<u32>,
    }

    /// The binned pass (any threads) adds exactly the
    /// counters of the row-by-row pass, with per-person requirements and
    /// with role requirements, with areas.
    #[test]
    fn binned_pass_equals_row_pass() {
        // 32 and 64 competences fill the whole-width row copy exactly (no
        // padding after a group's region); 7 and 33 do not
        for n_c in [1, 7, 8, 9, 16, 32, 33, 63, 64] {
            binned_pass_equals_row_pass_with(n_c);
        }
    }

    #[test]
    fn transpose8_transposes() {
        let m: Vec<u8> = (0..64).map(|i| (i * 37 + 11) as u8).collect();
        let mut a = [0u64; 8];
        for (i, x) in a.iter_mut().enumerate() {
            *x = u64::from_le_bytes(m[i * 8..i * 8 + 8].try_into().unwrap());
        }
        binned::transpose8(&mut a);
        for (j, x) in a.iter().enumerate() {
            for (i, &b) in x.to_le_bytes().iter().enumerate() {
                assert_eq!(b, m[i * 8 + j], "byte {i} of word {j}");
            }
        }
    }

    fn binned_pass_equals_row_pass_with(n_c: usize) {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let parents: Vec<i64> = [-1, 0, 0, 1, 1, 2, 2, 2, 3, 3].to_vec();
        let tree = OrgTree::from_parents(&parents, None).unwrap();
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
        let weights: Vec<f64> = (0..n_c)
            .map(|c| [1.0, 2.0, 3.0, 1.0, 0.5, 2.0, 1.0][c % 7])
            .collect();
        // no roles, no areas: the scatter's loop of its own
        let plain = Arc::new(
            Layout::new(tree.clone(), comps.clone(), 1, 6)
                .unwrap()
                .with_competence_weights(&weights)
                .unwrap(),
        );
        let base = Layout::new(tree, comps, 1, 6)
            .unwrap()
            .with_areas(
                vec!["a".into(), "b".into()],
                (0..n_c)
                    .map(|c| u32::from(c % 3 == 2 || c % 5 == 3))
                    .collect(),
            )
            .unwrap()
            .with_roles((0..n_roles).map(|r| format!("r{r}")).collect())
            .unwrap();
        let by_matrix = Arc::new(base.clone().with_competence_weights(&weights).unwrap());
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
        for (layout, req, with_roles) in [
            (by_matrix, Some(required.view()), true),
            (by_role, None, true),
            (plain, Some(required.view()), false),
        ] {
            let batch = Batch {
                levels: levels.view(),
                units: units.view(),
                roles: with_roles.then(|| roles.view()),
                required: req,
            };
            let mut reference = AggregateState::new(Arc::clone(&layout));
            reference.accumulate(&batch);
            // The same matrices column-major (a DataFrame's block): the
            // pass gathers their rows 8 × 8 at a time.
            let fortran = |a: &Array2<i8>| a.t().as_standard_layout().into_owned().reversed_axes();
            let (levels_f, required_f) = (fortran(&levels), fortran(&required));
            // (one competence: both orders are the same layout)
            assert!(n_c == 1 || levels_f.as_slice().is_none() && levels_f.t().as_slice().is_some());
            let orders = [
                (levels.view(), req),
                (levels_f.view(), req.map(|_| required_f.view())),
                (levels_f.view(), req),
                (levels.view(), req.map(|_| required_f.view())),
            ];
            for (order, (lv, rq)) in orders.into_iter().enumerate() {
                let batch = Batch {
                    levels: lv,
                    required: rq,
                    ..batch
                };
                for threads in [1, 2, 3, 4] {
                    let mut s = AggregateState::new(Arc::clone(&layout));
                    assert_eq!(s.accumulate_binned(&batch, threads), Pass::Done);
                    // twice: adds to existing records
                    assert_eq!(s.accumulate_binned(&batch, threads), Pass::Done);
                    let mut twice = reference.clone();
                    twice.merge(&reference).unwrap();
                    assert_eq!(s, twice, "n_c {n_c}, order {order}, threads {threads}");
                }
            }
            // A value out of range anywhere: the pass adds nothing, on any
            // number of threads.
            let bad_cases: [(&str, Spoil); 6] = [
                (
                    "level",
                    Box::new(move |b: &mut Batch2| b.levels[(4321, 3 % n_c)] = 7),
                ),
                (
                    "level",
                    Box::new(move |b: &mut Batch2| b.levels[(77, (n_c - 1) / 2)] = -2),
                ),
                (
                    "required",
                    Box::new(move |b: &mut Batch2| b.required[(4999, n_c - 1)] = 9),
                ),
                (
                    "required",
                    Box::new(move |b: &mut Batch2| b.required[(0, 0)] = -1),
                ),
                ("unit", Box::new(|b: &mut Batch2| b.units[17] = 10)),
                ("role", Box::new(|b: &mut Batch2| b.roles[2500] = 3)),
            ];
            for (what, spoil) in &bad_cases {
                let mut data = Batch2 {
                    levels: levels.clone(),
                    required: required.clone(),
                    units: units.clone(),
                    roles: roles.clone(),
                };
                spoil(&mut data);
                if *what == "required" && req.is_none() || *what == "role" && !with_roles {
                    continue;
                }
                let (levels_f, required_f) = (fortran(&data.levels), fortran(&data.required));
                for (lv, rq) in [
                    (data.levels.view(), data.required.view()),
                    (levels_f.view(), required_f.view()),
                ] {
                    let batch = Batch {
                        levels: lv,
                        units: data.units.view(),
                        roles: with_roles.then(|| data.roles.view()),
                        required: req.map(|_| rq),
                    };
                    for threads in [1, 2, 3] {
                        let mut s = reference.clone();
                        assert_eq!(
                            s.accumulate_binned(&batch, threads),
                            Pass::Invalid,
                            "{what}"
                        );
                        assert_eq!(s, reference, "{what}: unchanged");
                    }
                }
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
                assert_eq!(b.accumulate_binned(&batch, 1), Pass::Done);
                best[2] = best[2].min(t.elapsed().as_secs_f64());
                let t = Instant::now();
                let mut c = AggregateState::new(Arc::clone(&layout));
                assert_eq!(c.accumulate_binned(&batch, threads_for(n)), Pass::Done);
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
