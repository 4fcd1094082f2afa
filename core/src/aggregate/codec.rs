//! Serialisation of [`AggregateState`] to compact bytes and to JSON.
//!
//! # Bytes, version 1
//!
//! Hand-written rather than serde + a compact crate (e.g. postcard): the
//! format is then fixed by this page rather than by derive output that can
//! change with a struct or a crate version, it needs no extra dependency
//! (the WebAssembly build stays small), and the counters — mostly zeros and
//! small numbers — compress well with sparse varints, which a generic
//! format does not do on its own.
//!
//! ```text
//! "KAGS"                    4 bytes magic
//! version                   1 byte  (= 1)
//! flags                     1 byte  (= 0, reserved)
//! layout_len                varint
//! layout                    layout_len bytes: the layout as compact JSON (UTF-8)
//! n_slots                   varint
//! n_slots × slot, in (unit, role) order:
//!     unit                  varint (index in the layout's tree)
//!     role                  varint (index in the layout's roles; 0 without roles)
//!     nnz                   varint (number of non-zero counters)
//!     nnz × (skip varint, value varint)
//!                           skip = index − previous index − 1 (previous = −1
//!                           at the start); counters as in RecordLayout
//! checksum                  8 bytes, FNV-1a 64 of every preceding byte, little-endian
//! ```
//!
//! Varints are unsigned LEB128 (7 bits per byte, low bits first, at most 10
//! bytes). Because slots are written in key order, equal states give equal
//! bytes.
//!
//! # JSON
//!
//! `{"format": "kompetens-aggregate-state/1", "layout": {…}, "slots":
//! [{"unit": id, "role": id|null, "counts": [[index, value], …]}]}` with
//! the same sparse counters (index into the record, value).

use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::layout::Layout;
use super::state::AggregateState;
use crate::error::{Error, Result};

const MAGIC: &[u8; 4] = b"KAGS";
const VERSION: u8 = 1;
/// The `format` tag of the JSON form.
pub const JSON_FORMAT: &str = "kompetens-aggregate-state/1";

/// The JSON form of a state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StateJson {
    /// `kompetens-aggregate-state/1`.
    pub format: String,
    /// The layout.
    pub layout: Layout,
    /// Non-empty (unit, role) records.
    pub slots: Vec<SlotJson>,
}

/// One (unit, role) record in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SlotJson {
    /// Unit id.
    pub unit: String,
    /// Role id, `null` without roles.
    pub role: Option<String>,
    /// `[index, value]` of the non-zero counters.
    pub counts: Vec<(usize, u64)>,
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn put(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn err(&self, message: impl Into<String>) -> Error {
        Error::CorruptState {
            location: format!("byte {}", self.pos),
            message: message.into(),
        }
    }
    fn byte(&mut self) -> Result<u8> {
        let b = *self
            .bytes
            .get(self.pos)
            .ok_or_else(|| self.err("unexpected end"))?;
        self.pos += 1;
        Ok(b)
    }
    fn varint(&mut self) -> Result<u64> {
        let mut v: u64 = 0;
        for i in 0..10 {
            let b = self.byte()?;
            let bits = u64::from(b & 0x7f);
            if i == 9 && bits > 1 {
                return Err(self.err("varint overflows 64 bits"));
            }
            v |= bits << (7 * i);
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(self.err("varint longer than 10 bytes"))
    }
    fn index(&mut self, limit: usize, what: &str) -> Result<usize> {
        let v = self.varint()?;
        usize::try_from(v)
            .ok()
            .filter(|&x| x < limit)
            .ok_or_else(|| self.err(format!("{what} {v} out of range (< {limit})")))
    }
    fn take(&mut self, n: usize) -> Result<&[u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| self.err("unexpected end"))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }
}

impl AggregateState {
    /// Compact bytes (see the module docs for the format).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let layout = serde_json::to_vec(&*self.layout)
            .map_err(|e| Error::invalid("layout", e.to_string()))?;
        let mut out = Vec::with_capacity(layout.len() + 64 + self.keys.len() * 64);
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        out.push(0);
        put(&mut out, layout.len() as u64);
        out.extend_from_slice(&layout);
        let slots = self.sorted_slots();
        put(&mut out, slots.len() as u64);
        for s in slots {
            let (u, r) = self.key(s);
            put(&mut out, u as u64);
            put(&mut out, r as u64);
            let rec = self.record(s);
            let nnz = rec.iter().filter(|&&v| v != 0).count();
            put(&mut out, nnz as u64);
            let mut prev: i64 = -1;
            for (i, &v) in rec.iter().enumerate() {
                if v != 0 {
                    put(&mut out, (i as i64 - prev - 1) as u64);
                    put(&mut out, v);
                    prev = i as i64;
                }
            }
        }
        let h = fnv1a(&out);
        out.extend_from_slice(&h.to_le_bytes());
        Ok(out)
    }

    /// Decode bytes made by [`Self::to_bytes`]. Any corruption (bad magic,
    /// version, checksum, truncation, out-of-range indices, an invalid
    /// layout) is a `corrupt_state` error naming the byte offset.
    pub fn from_bytes(bytes: &[u8]) -> Result<AggregateState> {
        if bytes.len() < 4 + 2 + 8 {
            return Err(Error::CorruptState {
                location: "byte 0".into(),
                message: format!("{} bytes is too short for a state", bytes.len()),
            });
        }
        if &bytes[..4] != MAGIC {
            return Err(Error::CorruptState {
                location: "byte 0".into(),
                message: "not a kompetens aggregation state (bad magic)".into(),
            });
        }
        if bytes[4] != VERSION {
            return Err(Error::CorruptState {
                location: "byte 4".into(),
                message: format!(
                    "unsupported version {} (this library reads {VERSION})",
                    bytes[4]
                ),
            });
        }
        let body = &bytes[..bytes.len() - 8];
        let mut tail = [0u8; 8];
        tail.copy_from_slice(&bytes[bytes.len() - 8..]);
        if fnv1a(body) != u64::from_le_bytes(tail) {
            return Err(Error::CorruptState {
                location: format!("byte {}", bytes.len() - 8),
                message: "checksum mismatch".into(),
            });
        }
        let mut r = Reader {
            bytes: body,
            pos: 6,
        };
        let n = r.varint()?;
        let n = usize::try_from(n).map_err(|_| r.err("layout length"))?;
        let at = r.pos;
        let text = r.take(n)?;
        let layout: Layout = serde_json::from_slice(text).map_err(|e| Error::CorruptState {
            location: format!("byte {at}"),
            message: format!("layout: {e}"),
        })?;
        layout.validate().map_err(|e| Error::CorruptState {
            location: format!("byte {at}"),
            message: format!("layout: {e}"),
        })?;
        let mut state = AggregateState::new(Arc::new(layout));
        let rec = state.record_layout();
        let len = rec.len();
        let n_units = state.layout.tree.len();
        let n_roles = state.layout.n_role_slots();
        let n_slots = r.varint()?;
        let mut last: Option<(usize, usize)> = None;
        let mut buf = vec![0u64; len];
        for _ in 0..n_slots {
            let u = r.index(n_units, "unit")?;
            let role = r.index(n_roles, "role")?;
            if last.is_some_and(|l| l >= (u, role)) {
                return Err(r.err("slots out of order or repeated"));
            }
            last = Some((u, role));
            let nnz = r.index(len + 1, "number of counters")?;
            buf.iter_mut().for_each(|v| *v = 0);
            let mut idx: i64 = -1;
            for _ in 0..nnz {
                let skip = r.varint()?;
                let next = i64::try_from(skip)
                    .ok()
                    .and_then(|s| idx.checked_add(s + 1));
                let i = next
                    .and_then(|i| usize::try_from(i).ok())
                    .filter(|&i| i < len)
                    .ok_or_else(|| r.err("counter index out of range"))?;
                let v = r.varint()?;
                if v == 0 {
                    return Err(r.err("zero counter stored"));
                }
                buf[i] = v;
                idx = i as i64;
            }
            state.add_record(u, role, &buf)?;
        }
        if r.pos != body.len() {
            return Err(r.err("trailing bytes"));
        }
        state.check_totals()?;
        Ok(state)
    }

    /// The JSON form (see the module docs).
    pub fn to_json(&self) -> StateJson {
        let layout = &self.layout;
        let slots = self
            .sorted_slots()
            .into_iter()
            .map(|s| {
                let (u, r) = self.key(s);
                SlotJson {
                    unit: layout.tree.id(u).to_string(),
                    role: layout.roles.get(r).cloned(),
                    counts: self
                        .record(s)
                        .iter()
                        .enumerate()
                        .filter(|(_, &v)| v != 0)
                        .map(|(i, &v)| (i, v))
                        .collect(),
                }
            })
            .collect();
        StateJson {
            format: JSON_FORMAT.to_string(),
            layout: (**layout).clone(),
            slots,
        }
    }

    /// Read the JSON form; errors are `corrupt_state` with the JSON path.
    pub fn from_json(json: StateJson) -> Result<AggregateState> {
        let bad = |location: String, message: String| Error::CorruptState { location, message };
        if json.format != JSON_FORMAT {
            return Err(bad(
                "format".into(),
                format!("expected {JSON_FORMAT:?}, got {:?}", json.format),
            ));
        }
        json.layout
            .validate()
            .map_err(|e| bad(format!("layout.{}", e.location()), e.to_string()))?;
        let mut state = AggregateState::new(Arc::new(json.layout));
        let len = state.record_layout().len();
        let mut seen = std::collections::BTreeSet::new();
        for (i, slot) in json.slots.iter().enumerate() {
            let u = state.layout.tree.index_of(&slot.unit).ok_or_else(|| {
                bad(
                    format!("slots[{i}].unit"),
                    format!("unknown unit {:?}", slot.unit),
                )
            })?;
            let r = match &slot.role {
                None if state.layout.roles.is_empty() => 0,
                None => return Err(bad(format!("slots[{i}].role"), "missing role".into())),
                Some(id) => state
                    .layout
                    .roles
                    .iter()
                    .position(|x| x == id)
                    .ok_or_else(|| {
                        bad(format!("slots[{i}].role"), format!("unknown role {id:?}"))
                    })?,
            };
            if !seen.insert((u, r)) {
                return Err(bad(format!("slots[{i}]"), "repeated (unit, role)".into()));
            }
            let mut buf = vec![0u64; len];
            for (j, &(idx, v)) in slot.counts.iter().enumerate() {
                let cell = buf.get_mut(idx).ok_or_else(|| {
                    bad(
                        format!("slots[{i}].counts[{j}]"),
                        format!("index {idx} ≥ {len}"),
                    )
                })?;
                *cell = v;
            }
            state.add_record(u, r, &buf)?;
        }
        state.check_totals()?;
        Ok(state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        for v in [0u64, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            let mut out = Vec::new();
            put(&mut out, v);
            let mut r = Reader {
                bytes: &out,
                pos: 0,
            };
            assert_eq!(r.varint().unwrap(), v);
            assert_eq!(r.pos, out.len());
        }
    }

    #[test]
    fn fnv_reference() {
        // FNV-1a 64 test vectors (Fowler/Noll/Vo reference): "" and "a".
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
