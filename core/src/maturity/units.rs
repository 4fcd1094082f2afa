//! Internal comparison over the organisation tree: results per unit (own
//! respondents) and rolled up (the unit and all its descendants), with
//! small units withheld.
//!
//! Only primary suppression is applied: a withheld unit's figures can in
//! some trees be recovered by differencing a parent's rolled-up result and
//! its other children's. Use the `aggregate` module's disclosure control
//! when that matters.

use std::collections::{HashMap, HashSet};

use ndarray::ArrayView2;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::maturity::model::MaturityModel;
use crate::maturity::score::{MeasurementResult, Prepared};
use crate::maturity::settings::MaturitySettings;
use crate::text::Text;

/// One unit of the organisation tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// Unit id, unique in the tree.
    pub id: String,
    /// Parent unit id; `null` for a root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Name per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub name: Text,
}

/// Why a unit's result is withheld.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WithheldReason {
    /// Fewer respondents than the setting `min_respondents`.
    FewerThanMinRespondents,
}

/// A unit's own or rolled-up result, or the reason it is withheld.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitScore {
    /// Respondents counted (rows assigned to the unit or its subtree).
    pub n_respondents: usize,
    /// True when the result is withheld.
    pub withheld: bool,
    /// Why it is withheld.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<WithheldReason>,
    /// The result, unless withheld.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Box<MeasurementResult>>,
}

/// Results of one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitResult {
    /// Unit id.
    pub id: String,
    /// Name per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub name: Text,
    /// Parent unit id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Depth in the tree (roots: 0).
    pub depth: usize,
    /// Result of the unit's own respondents.
    pub own: UnitScore,
    /// Result of the unit and all its descendants.
    pub rolled_up: UnitScore,
}

/// A validated organisation tree.
#[derive(Debug, Clone)]
pub struct OrgTree {
    units: Vec<Unit>,
    index: HashMap<String, usize>,
    parent: Vec<Option<usize>>,
    depth: Vec<usize>,
}

impl OrgTree {
    /// Validate units: ids non-empty and unique (`duplicate_id`), parents
    /// exist (`unknown_reference`), no cycle (`tree_cycle`, location
    /// `a -> b -> a`). Locations are `tree[i].…`.
    pub fn new(units: &[Unit]) -> Result<OrgTree> {
        let mut index = HashMap::new();
        for (i, u) in units.iter().enumerate() {
            if u.id.trim().is_empty() {
                return Err(Error::MissingValue {
                    location: format!("tree[{i}].id"),
                    what: "unit id".into(),
                });
            }
            if index.insert(u.id.clone(), i).is_some() {
                return Err(Error::DuplicateId {
                    location: format!("tree[{i}].id"),
                    id: u.id.clone(),
                });
            }
        }
        let mut parent = Vec::with_capacity(units.len());
        for (i, u) in units.iter().enumerate() {
            match &u.parent {
                None => parent.push(None),
                Some(p) => {
                    let pi = index
                        .get(p)
                        .copied()
                        .ok_or_else(|| Error::UnknownReference {
                            location: format!("tree[{i}].parent"),
                            kind: "unit".into(),
                            id: p.clone(),
                        })?;
                    parent.push(Some(pi));
                }
            }
        }
        let mut depth = vec![0usize; units.len()];
        for start in 0..units.len() {
            let mut path = vec![start];
            let mut at = start;
            while let Some(p) = parent.get(at).copied().flatten() {
                if let Some(pos) = path.iter().position(|&x| x == p) {
                    let mut names: Vec<&str> = path
                        .get(pos..)
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(|&x| units.get(x).map(|u| u.id.as_str()))
                        .collect();
                    names.push(units.get(p).map_or("", |u| u.id.as_str()));
                    return Err(Error::TreeCycle {
                        location: names.join(" -> "),
                    });
                }
                path.push(p);
                at = p;
            }
            if let Some(d) = depth.get_mut(start) {
                *d = path.len() - 1;
            }
        }
        Ok(OrgTree {
            units: units.to_vec(),
            index,
            parent,
            depth,
        })
    }

    /// A flat tree of the given ids (all roots), in order of first
    /// appearance.
    pub fn flat<'a>(ids: impl Iterator<Item = &'a str>) -> OrgTree {
        let mut seen = HashSet::new();
        let units: Vec<Unit> = ids
            .filter(|id| seen.insert(*id))
            .map(|id| Unit {
                id: id.to_string(),
                parent: None,
                name: Text::default(),
            })
            .collect();
        let index = units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.id.clone(), i))
            .collect();
        let n = units.len();
        OrgTree {
            units,
            index,
            parent: vec![None; n],
            depth: vec![0; n],
        }
    }

    /// The units, in the order given.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// Index of a unit by id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Whether unit `a` is `b` or one of `b`'s descendants.
    pub fn is_within(&self, a: usize, b: usize) -> bool {
        let mut at = Some(a);
        while let Some(x) = at {
            if x == b {
                return true;
            }
            at = self.parent.get(x).copied().flatten();
        }
        false
    }
}

/// Score a measurement for the whole organisation and per unit.
///
/// `units` gives each row's unit (`null` = counted for the organisation
/// only). Without a `tree`, the distinct unit ids form a flat tree in order
/// of first appearance. Errors: those of [`OrgTree::new`], and
/// `unknown_reference` at `responses.units[r]` for a unit not in the tree.
pub fn score_units(
    model: &MaturityModel,
    columns: &[String],
    values: ArrayView2<'_, f64>,
    units: &[Option<String>],
    tree: Option<&[Unit]>,
    settings: &MaturitySettings,
) -> Result<MeasurementResult> {
    let settings = settings.clone().checked()?;
    if units.len() != values.nrows() {
        return Err(Error::ShapeMismatch {
            location: "responses.units".into(),
            message: format!("{} units for {} rows", units.len(), values.nrows()),
        });
    }
    let tree = match tree {
        Some(t) => OrgTree::new(t)?,
        None => OrgTree::flat(units.iter().filter_map(|u| u.as_deref())),
    };
    let mut row_unit = Vec::with_capacity(units.len());
    for (r, u) in units.iter().enumerate() {
        match u {
            None => row_unit.push(None),
            Some(id) => {
                let i = tree.index_of(id).ok_or_else(|| Error::UnknownReference {
                    location: format!("responses.units[{r}]"),
                    kind: "unit".into(),
                    id: id.clone(),
                })?;
                row_unit.push(Some(i));
            }
        }
    }
    let prepared = Prepared::new(model, columns, values, &settings)?;
    let all: Vec<usize> = (0..prepared.n_rows()).collect();
    let mut result = prepared.measure(&all, &settings);
    let score_rows = |rows: Vec<usize>| -> UnitScore {
        let n = rows.len();
        if n < settings.min_respondents {
            UnitScore {
                n_respondents: n,
                withheld: true,
                reason: Some(WithheldReason::FewerThanMinRespondents),
                result: None,
            }
        } else {
            UnitScore {
                n_respondents: n,
                withheld: false,
                reason: None,
                result: Some(Box::new(prepared.measure(&rows, &settings))),
            }
        }
    };
    let mut out = Vec::with_capacity(tree.units().len());
    for (u, unit) in tree.units().iter().enumerate() {
        let own: Vec<usize> = row_unit
            .iter()
            .enumerate()
            .filter_map(|(r, x)| (*x == Some(u)).then_some(r))
            .collect();
        let rolled: Vec<usize> = row_unit
            .iter()
            .enumerate()
            .filter_map(|(r, x)| x.filter(|&x| tree.is_within(x, u)).map(|_| r))
            .collect();
        out.push(UnitResult {
            id: unit.id.clone(),
            name: unit.name.clone(),
            parent: unit.parent.clone(),
            depth: tree.depth.get(u).copied().unwrap_or(0),
            own: score_rows(own),
            rolled_up: score_rows(rolled),
        });
    }
    result.units = Some(out);
    result.settings = Some(settings);
    Ok(result)
}
