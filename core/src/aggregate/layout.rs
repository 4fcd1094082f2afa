//! What an aggregation is about: the tree, the competences (and their areas),
//! the roles with their requirement matrices, the level scale and the weight
//! classes. A layout is shared by every partial state that is to be merged.

use std::collections::BTreeSet;

use ndarray::Array2;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::tree::OrgTree;
use crate::error::{Error, Result};
use crate::framework::Framework;
use crate::profile::ProfileSet;

/// The fixed description of an aggregation.
///
/// Weighted need is kept bit-identical under any partitioning by never
/// summing floating-point products in the hot loop: each requirement's
/// weight is one of the layout's *weight classes* (`weights`, ascending,
/// unique), the state sums integer gaps per class, and the weighted need of a
/// cell is `Σ_k weights[k] · gap_sum[k]`, evaluated in class order at the
/// end. Any float weight works this way; the number of distinct weights sets
/// the state's size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    /// The organisation tree.
    pub tree: OrgTree,
    /// Competence ids, in column order of the level matrices.
    pub competences: Vec<String>,
    /// Area ids (may be empty: then no area rows are made).
    #[serde(default)]
    pub areas: Vec<String>,
    /// Area index of each competence (empty when `areas` is empty).
    #[serde(default)]
    pub area_of: Vec<u32>,
    /// Role ids (may be empty when no roles are used).
    #[serde(default)]
    pub roles: Vec<String>,
    /// Lowest level of the scale (≥ 0).
    pub level_min: i8,
    /// Highest level of the scale.
    pub level_max: i8,
    /// Weight classes: distinct weights, ascending.
    pub weights: Vec<f64>,
    /// Weight class of each competence for per-person requirement matrices.
    pub competence_weight: Vec<u8>,
    /// Required level per role and competence (0 = no requirement), when the
    /// requirements come from role profiles; JSON: a list of rows.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_matrix")]
    #[schemars(with = "Option<Vec<Vec<i8>>>")]
    pub role_required: Option<Array2<i8>>,
    /// Weight class per role and competence; JSON: a list of rows.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_matrix")]
    #[schemars(with = "Option<Vec<Vec<u8>>>")]
    pub role_weight: Option<Array2<u8>>,
}

impl Layout {
    /// A layout for plain matrices: competence ids, the level scale
    /// `min..=max` (0 ≤ min ≤ max ≤ 100), every weight 1, no areas, no roles.
    pub fn new(tree: OrgTree, competences: Vec<String>, min: i8, max: i8) -> Result<Layout> {
        if min < 0 || max < min || max > 100 {
            return Err(Error::invalid(
                "levels",
                format!("the level scale {min}..={max} must satisfy 0 ≤ min ≤ max ≤ 100"),
            ));
        }
        if competences.is_empty() {
            return Err(Error::Empty {
                location: "competences".into(),
            });
        }
        if competences.len() > 64 {
            return Err(Error::invalid(
                "competences",
                format!(
                    "{} competences; at most 64 are supported",
                    competences.len()
                ),
            ));
        }
        let mut seen = BTreeSet::new();
        for (i, c) in competences.iter().enumerate() {
            if !seen.insert(c.as_str()) {
                return Err(Error::DuplicateId {
                    location: format!("competences[{i}]"),
                    id: c.clone(),
                });
            }
        }
        let n = competences.len();
        Ok(Layout {
            tree,
            competences,
            areas: Vec::new(),
            area_of: Vec::new(),
            roles: Vec::new(),
            level_min: min,
            level_max: max,
            weights: vec![1.0],
            competence_weight: vec![0; n],
            role_required: None,
            role_weight: None,
        })
    }

    /// A layout over a framework's competences, areas and scale.
    pub fn from_framework(tree: OrgTree, framework: &Framework) -> Result<Layout> {
        let (min, max) = (framework.min_level(), framework.max_level());
        let (min, max) = match (i8::try_from(min), i8::try_from(max)) {
            (Ok(a), Ok(b)) => (a, b),
            _ => {
                return Err(Error::invalid(
                    "framework.scale",
                    "levels must lie within 0..=100 for aggregation",
                ))
            }
        };
        let ids: Vec<String> = framework
            .competence_ids()
            .into_iter()
            .map(String::from)
            .collect();
        let mut layout = Layout::new(tree, ids, min, max)?;
        let areas: Vec<String> = framework.areas.iter().map(|a| a.id.clone()).collect();
        let area_of: Vec<u32> = framework
            .competences()
            .map(|c| {
                framework
                    .areas
                    .iter()
                    .position(|a| a.id == c.area)
                    .unwrap_or(0) as u32
            })
            .collect();
        layout = layout.with_areas(areas, area_of)?;
        Ok(layout)
    }

    /// A layout over a framework whose requirements come from role profiles:
    /// `roles` are profile ids of `profiles`, resolved with inheritance.
    pub fn from_profiles(tree: OrgTree, profiles: &ProfileSet, roles: &[String]) -> Result<Layout> {
        if roles.is_empty() {
            return Err(Error::Empty {
                location: "roles".into(),
            });
        }
        let fw = profiles.framework();
        let layout = Layout::from_framework(tree, fw)?;
        let index = fw.competence_index();
        let n_c = layout.competences.len();
        let mut required = Array2::<i8>::zeros((roles.len(), n_c));
        let mut weight = Array2::<f64>::zeros((roles.len(), n_c));
        for (r, role) in roles.iter().enumerate() {
            let p = profiles.resolve(role).map_err(|e| match e {
                Error::UnknownProfile { id, .. } => Error::UnknownProfile {
                    location: format!("roles[{r}]"),
                    id,
                },
                other => other,
            })?;
            for req in &p.requirements {
                if let Some(&c) = index.get(req.competence.as_str()) {
                    required[(r, c)] = i8::try_from(req.level).unwrap_or(i8::MAX);
                    weight[(r, c)] = req.weight;
                }
            }
        }
        layout
            .with_roles(roles.to_vec())?
            .with_role_requirements(required, weight)
    }

    /// Set areas: `area_of[c]` is the index into `areas` of competence `c`.
    pub fn with_areas(mut self, areas: Vec<String>, area_of: Vec<u32>) -> Result<Layout> {
        if areas.is_empty() {
            self.areas = Vec::new();
            self.area_of = Vec::new();
            return Ok(self);
        }
        if area_of.len() != self.competences.len() {
            return Err(Error::ShapeMismatch {
                location: "area_of".into(),
                message: format!(
                    "{} area indices for {} competences",
                    area_of.len(),
                    self.competences.len()
                ),
            });
        }
        if let Some((c, a)) = area_of
            .iter()
            .enumerate()
            .find(|(_, &a)| a as usize >= areas.len())
        {
            return Err(Error::UnknownReference {
                location: format!("area_of[{c}]"),
                kind: "area".into(),
                id: a.to_string(),
            });
        }
        self.areas = areas;
        self.area_of = area_of;
        Ok(self)
    }

    /// Set areas from `[(area id, [competence id, …])]`, areas in the given
    /// order: every competence in exactly one area, every area non-empty
    /// (typed errors at `areas.<id>[<j>]`); an empty list leaves no areas.
    pub fn with_area_members(self, areas: Vec<(String, Vec<String>)>) -> Result<Layout> {
        let n_c = self.competences.len();
        let mut area_of: Vec<Option<u32>> = vec![None; n_c];
        let mut ids = Vec::with_capacity(areas.len());
        for (a, (id, members)) in areas.into_iter().enumerate() {
            if ids.contains(&id) {
                return Err(Error::DuplicateId {
                    location: format!("areas[{a}]"),
                    id,
                });
            }
            if members.is_empty() {
                return Err(Error::invalid(
                    format!("areas.{id}"),
                    "an area needs at least one competence",
                ));
            }
            for (j, c) in members.iter().enumerate() {
                let location = format!("areas.{id}[{j}]");
                let Some(k) = self.competences.iter().position(|x| x == c) else {
                    return Err(Error::UnknownReference {
                        location,
                        kind: "competence".into(),
                        id: c.clone(),
                    });
                };
                if let Some(prev) = area_of[k] {
                    return Err(Error::invalid(
                        location,
                        format!(
                            "competence {c:?} is already in area {:?}",
                            ids.get(prev as usize).unwrap_or(&id)
                        ),
                    ));
                }
                area_of[k] = Some(a as u32);
            }
            ids.push(id);
        }
        if ids.is_empty() {
            return Ok(self);
        }
        let area_of = area_of
            .into_iter()
            .enumerate()
            .map(|(c, a)| {
                a.ok_or_else(|| Error::MissingValue {
                    location: "areas".into(),
                    what: format!("an area for competence {:?}", self.competences[c]),
                })
            })
            .collect::<Result<Vec<u32>>>()?;
        self.with_areas(ids, area_of)
    }

    /// Set role ids (unique, non-empty).
    pub fn with_roles(mut self, roles: Vec<String>) -> Result<Layout> {
        let mut seen = BTreeSet::new();
        for (i, r) in roles.iter().enumerate() {
            if !seen.insert(r.as_str()) {
                return Err(Error::DuplicateId {
                    location: format!("roles[{i}]"),
                    id: r.clone(),
                });
            }
        }
        if u32::try_from(roles.len()).is_err() {
            return Err(Error::invalid("roles", "too many roles"));
        }
        self.roles = roles;
        Ok(self)
    }

    /// Weights per competence for per-person requirement matrices (finite,
    /// greater than 0).
    pub fn with_competence_weights(mut self, weights: &[f64]) -> Result<Layout> {
        if weights.len() != self.competences.len() {
            return Err(Error::ShapeMismatch {
                location: "weights".into(),
                message: format!(
                    "{} weights for {} competences",
                    weights.len(),
                    self.competences.len()
                ),
            });
        }
        let mut all: Vec<f64> = self.weights.clone();
        for (i, &w) in weights.iter().enumerate() {
            check_weight(w, &format!("weights[{i}]"))?;
            all.push(w);
        }
        let old = self.class_values();
        self.set_weight_table(all)?;
        self.remap_role_weights(&old)?;
        self.competence_weight = weights
            .iter()
            .map(|&w| self.class_of(w))
            .collect::<Option<Vec<u8>>>()
            .ok_or_else(|| Error::invalid("weights", "weight class lookup failed"))?;
        Ok(self)
    }

    /// Role requirement matrices (roles × competences): required levels
    /// (0 = none) and weights (finite, > 0 where required).
    pub fn with_role_requirements(
        mut self,
        required: Array2<i8>,
        weight: Array2<f64>,
    ) -> Result<Layout> {
        let shape = (self.roles.len(), self.competences.len());
        for (name, dim) in [
            ("role_required", required.dim()),
            ("role_weight", weight.dim()),
        ] {
            if dim != shape {
                return Err(Error::ShapeMismatch {
                    location: name.into(),
                    message: format!("{dim:?}, expected roles × competences {shape:?}"),
                });
            }
        }
        let mut all = self.weights.clone();
        for ((r, c), &q) in required.indexed_iter() {
            let loc = format!("role_required[{r}][{c}]");
            if q != 0 {
                self.check_required(q, &loc)?;
                let w = weight[(r, c)];
                check_weight(w, &format!("role_weight[{r}][{c}]"))?;
                all.push(w);
            }
        }
        let old = self.class_values();
        self.set_weight_table(all)?;
        let comp: Vec<f64> = self
            .competence_weight
            .iter()
            .map(|&k| old.get(k as usize).copied().unwrap_or(1.0))
            .collect();
        self.competence_weight = comp
            .iter()
            .map(|&w| self.class_of(w).unwrap_or(0))
            .collect();
        let mut classes = Array2::<u8>::zeros(shape);
        for ((r, c), &q) in required.indexed_iter() {
            if q != 0 {
                classes[(r, c)] = self.class_of(weight[(r, c)]).unwrap_or(0);
            }
        }
        self.role_required = Some(required);
        self.role_weight = Some(classes);
        Ok(self)
    }

    fn class_values(&self) -> Vec<f64> {
        self.weights.clone()
    }

    fn set_weight_table(&mut self, mut all: Vec<f64>) -> Result<()> {
        all.sort_by(f64::total_cmp);
        all.dedup_by(|a, b| a.to_bits() == b.to_bits());
        if all.len() > 255 {
            return Err(Error::invalid(
                "weights",
                format!("{} distinct weights; at most 255 are supported", all.len()),
            ));
        }
        self.weights = all;
        Ok(())
    }

    fn remap_role_weights(&mut self, old: &[f64]) -> Result<()> {
        if let Some(classes) = &self.role_weight {
            let mut new = classes.clone();
            for v in new.iter_mut() {
                let w = old.get(*v as usize).copied().unwrap_or(1.0);
                *v = self
                    .class_of(w)
                    .ok_or_else(|| Error::invalid("weights", "weight class lookup failed"))?;
            }
            self.role_weight = Some(new);
        }
        Ok(())
    }

    /// The class index of a weight value.
    pub fn class_of(&self, w: f64) -> Option<u8> {
        self.weights
            .iter()
            .position(|x| x.to_bits() == w.to_bits())
            .and_then(|i| u8::try_from(i).ok())
    }

    /// Check a required level: 0 (no requirement) or on the scale and > 0.
    pub fn check_required(&self, q: i8, location: &str) -> Result<()> {
        if q == 0 || (q > 0 && q >= self.level_min && q <= self.level_max) {
            Ok(())
        } else {
            Err(Error::LevelOutOfScale {
                location: location.to_string(),
                level: i64::from(q),
                min: i64::from(self.level_min.max(1)),
                max: i64::from(self.level_max),
            })
        }
    }

    /// Check the layout's internal consistency (used after deserialising).
    pub fn validate(&self) -> Result<()> {
        let check = Layout::new(
            self.tree.clone(),
            self.competences.clone(),
            self.level_min,
            self.level_max,
        )?;
        let check = check
            .with_areas(self.areas.clone(), self.area_of.clone())?
            .with_roles(self.roles.clone())?;
        drop(check);
        if self.weights.is_empty()
            || self
                .weights
                .windows(2)
                .any(|w| w[0].total_cmp(&w[1]).is_ge())
            || self.weights.iter().any(|&w| !(w.is_finite() && w > 0.0))
        {
            return Err(Error::invalid(
                "weights",
                "weight classes must be finite, > 0, unique and ascending",
            ));
        }
        if self.competence_weight.len() != self.competences.len()
            || self
                .competence_weight
                .iter()
                .any(|&k| k as usize >= self.weights.len())
        {
            return Err(Error::invalid("competence_weight", "bad weight classes"));
        }
        let shape = (self.roles.len(), self.competences.len());
        match (&self.role_required, &self.role_weight) {
            (None, None) => {}
            (Some(q), Some(w)) => {
                if q.dim() != shape || w.dim() != shape {
                    return Err(Error::ShapeMismatch {
                        location: "role_required".into(),
                        message: "role matrices must be roles × competences".into(),
                    });
                }
                for ((r, c), &v) in q.indexed_iter() {
                    self.check_required(v, &format!("role_required[{r}][{c}]"))?;
                }
                if w.iter().any(|&k| k as usize >= self.weights.len()) {
                    return Err(Error::invalid("role_weight", "bad weight classes"));
                }
            }
            _ => {
                return Err(Error::invalid(
                    "role_required",
                    "role_required and role_weight go together",
                ))
            }
        }
        Ok(())
    }

    /// Number of level bins (`max − min + 1`).
    pub fn n_levels(&self) -> usize {
        (self.level_max - self.level_min) as usize + 1
    }

    /// Number of role slots in a state: the roles, or one when none.
    pub fn n_role_slots(&self) -> usize {
        self.roles.len().max(1)
    }

    /// The competence indices of area `a`.
    pub fn area_members(&self, a: usize) -> Vec<usize> {
        self.area_of
            .iter()
            .enumerate()
            .filter(|(_, &x)| x as usize == a)
            .map(|(c, _)| c)
            .collect()
    }
}

fn check_weight(w: f64, location: &str) -> Result<()> {
    if w.is_finite() && w > 0.0 {
        Ok(())
    } else {
        Err(Error::InvalidWeight {
            location: location.to_string(),
            message: format!("{w} is not a finite number greater than 0"),
        })
    }
}

/// Serde for `Option<Array2<T>>` as a list of rows.
mod opt_matrix {
    use ndarray::Array2;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer, T: Serialize + Copy>(
        m: &Option<Array2<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match m {
            None => s.serialize_none(),
            Some(m) => {
                let rows: Vec<Vec<T>> = m.rows().into_iter().map(|r| r.to_vec()).collect();
                rows.serialize(s)
            }
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de> + Copy + Default>(
        d: D,
    ) -> Result<Option<Array2<T>>, D::Error> {
        let rows: Option<Vec<Vec<T>>> = Option::deserialize(d)?;
        let Some(rows) = rows else { return Ok(None) };
        let n_rows = rows.len();
        let n_cols = rows.first().map_or(0, Vec::len);
        if rows.iter().any(|r| r.len() != n_cols) {
            return Err(serde::de::Error::custom("rows of different lengths"));
        }
        let flat: Vec<T> = rows.into_iter().flatten().collect();
        Array2::from_shape_vec((n_rows, n_cols), flat)
            .map(Some)
            .map_err(serde::de::Error::custom)
    }
}
