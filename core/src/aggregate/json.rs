//! The JSON operations of the aggregate module (called from [`crate::api`]).
//!
//! People come either as records or as matrices:
//!
//! ```json
//! {"framework": "digcomp-2.2", "profiles": [...], "tree": [{"id": "org"}, {"id": "a", "parent": "org"}],
//!  "people": [{"id": "p1", "unit": "a", "role": "librarian", "levels": {"1.1": 3, "2.1": null}}]}
//! ```
//!
//! or `{"competences": [...], "levels": [[3, -1, …], …], "units": [...],
//! "roles": [...]?, "required": [[…]]?, "weights": {…}?}`. With `profiles`
//! the requirements come from each person's role (all profiles of the set
//! are the roles, in set order); without, each person needs `required`
//! levels (`{competence: level}` or a matrix row) and the roles, if any, are
//! `role_ids` or else the sorted distinct role ids. States that are to be
//! merged must be built with the same layout: pass the same `profiles` or
//! `role_ids`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use ndarray::{Array1, Array2};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::codec::StateJson;
use super::layout::Layout;
use super::publish::{audit_rows, publish, PublishOptions, Row};
use super::state::{AggregateState, Batch};
use super::tree::{OrgTree, TreeSpec};
use crate::api::framework_from_value;
use crate::error::{Error, Result};
use crate::framework::Framework;
use crate::profile::ProfileSet;
use crate::text::{from_json_value, to_json_value};

/// A person as a record.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PersonJson {
    #[serde(default)]
    #[allow(dead_code)]
    pub id: Option<String>,
    pub unit: String,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub levels: BTreeMap<String, Option<i64>>,
    #[serde(default)]
    pub required: Option<BTreeMap<String, i64>>,
}

/// The data part of an aggregate input.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DataInput {
    #[serde(default)]
    pub framework: Option<Value>,
    #[serde(default)]
    pub profiles: Option<Value>,
    pub tree: TreeSpec,
    #[serde(default)]
    pub people: Option<Vec<PersonJson>>,
    #[serde(default)]
    pub competences: Option<Vec<String>>,
    #[serde(default)]
    pub levels: Option<Vec<Vec<Option<i64>>>>,
    #[serde(default)]
    pub units: Option<Vec<String>>,
    #[serde(default)]
    pub roles: Option<Vec<Option<String>>>,
    #[serde(default)]
    pub required: Option<Vec<Vec<i64>>>,
    #[serde(default)]
    pub weights: Option<BTreeMap<String, f64>>,
    #[serde(default)]
    pub role_ids: Option<Vec<String>>,
    #[serde(default)]
    pub level_min: Option<i64>,
    #[serde(default)]
    pub level_max: Option<i64>,
}

/// Matrices ready for a [`Batch`].
pub(crate) struct Data {
    pub layout: Arc<Layout>,
    pub levels: Array2<i8>,
    pub units: Array1<u32>,
    pub roles: Option<Array1<u32>>,
    pub required: Option<Array2<i8>>,
    pub ids: Vec<Option<String>>,
}

/// A level from JSON: `-1` (missing) or on the layout's scale.
fn to_i8(v: i64, location: impl Fn() -> String, layout: &Layout) -> Result<i8> {
    let ok = v == -1 || (v >= i64::from(layout.level_min) && v <= i64::from(layout.level_max));
    match i8::try_from(v) {
        Ok(x) if ok => Ok(x),
        _ => Err(Error::LevelOutOfScale {
            location: location(),
            level: v,
            min: i64::from(layout.level_min),
            max: i64::from(layout.level_max),
        }),
    }
}

/// A required level from JSON: 0 (none) or on the scale.
fn to_req(v: i64, location: impl Fn() -> String, layout: &Layout) -> Result<i8> {
    if v == 0 {
        return Ok(0);
    }
    match i8::try_from(v) {
        Ok(x) if x > 0 => layout.check_required(x, &location()).map(|_| x),
        _ => Err(Error::LevelOutOfScale {
            location: location(),
            level: v,
            min: i64::from(layout.level_min.max(1)),
            max: i64::from(layout.level_max),
        }),
    }
}

impl DataInput {
    pub fn into_data(self) -> Result<Data> {
        let tree = OrgTree::new(self.tree.into_units())?;
        let fw: Option<Framework> = match self.framework {
            Some(v) => Some(framework_from_value(v).map_err(|e| prefixed(e, "framework"))?),
            None => None,
        };
        let profiles = match (self.profiles, &fw) {
            (Some(p), Some(fw)) => Some(ProfileSet::from_value(p, fw)?),
            (Some(_), None) => {
                return Err(Error::MissingValue {
                    location: "framework".into(),
                    what: "a framework for the role profiles".into(),
                })
            }
            _ => None,
        };
        // People → column data.
        let people = self.people;
        let n_people_rows = people.as_ref().map(Vec::len);
        let person_roles: Vec<Option<String>> = match (&people, &self.roles) {
            (Some(p), _) => p.iter().map(|x| x.role.clone()).collect(),
            (None, Some(r)) => r.clone(),
            (None, None) => Vec::new(),
        };
        let any_role = person_roles.iter().any(Option::is_some);
        // Layout.
        let mut layout = match (&profiles, &fw) {
            (Some(set), _) => {
                let ids: Vec<String> = set.ids().into_iter().map(String::from).collect();
                Layout::from_profiles(tree, set, &ids)?
            }
            (None, Some(fw)) => Layout::from_framework(tree, fw)?,
            (None, None) => {
                let comps = self
                    .competences
                    .clone()
                    .ok_or_else(|| Error::MissingValue {
                        location: "competences".into(),
                        what: "competence ids (or a framework)".into(),
                    })?;
                let lo = self.level_min.unwrap_or(0);
                let hi = self.level_max.unwrap_or(8);
                let (lo, hi) = match (i8::try_from(lo), i8::try_from(hi)) {
                    (Ok(a), Ok(b)) => (a, b),
                    _ => {
                        return Err(Error::invalid(
                            "level_max",
                            "levels must lie within 0..=100",
                        ))
                    }
                };
                Layout::new(tree, comps, lo, hi)?
            }
        };
        if profiles.is_none() {
            if let Some(ids) = self.role_ids.clone() {
                layout = layout.with_roles(ids)?;
            } else if any_role {
                let set: BTreeSet<String> = person_roles.iter().flatten().cloned().collect();
                layout = layout.with_roles(set.into_iter().collect())?;
            }
            if let Some(w) = &self.weights {
                let mut per = vec![1.0; layout.competences.len()];
                for (id, &v) in w {
                    let c = layout
                        .competences
                        .iter()
                        .position(|x| x == id)
                        .ok_or_else(|| Error::UnknownCompetence {
                            location: format!("weights.{id}"),
                            id: id.clone(),
                            framework: fw.as_ref().map_or_else(String::new, |f| f.id.clone()),
                        })?;
                    per[c] = v;
                }
                layout = layout.with_competence_weights(&per)?;
            }
        } else if self.weights.is_some() {
            return Err(Error::invalid(
                "weights",
                "weights come from the role profiles",
            ));
        }
        // Competences given with a framework must match its order.
        if let (Some(comps), true) = (&self.competences, fw.is_some()) {
            if comps != &layout.competences {
                return Err(Error::ShapeMismatch {
                    location: "competences".into(),
                    message: "with a framework, matrix columns must be the framework's competences in order".into(),
                });
            }
        }
        let n_c = layout.competences.len();
        let comp_index: BTreeMap<&str, usize> = layout
            .competences
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), i))
            .collect();
        let fw_id = fw.as_ref().map_or_else(String::new, |f| f.id.clone());
        let (levels, units, required, ids) = if let Some(people) = people {
            let n = people.len();
            let mut levels = Array2::<i8>::from_elem((n, n_c), -1);
            let mut required = if profiles.is_none() {
                Some(Array2::<i8>::zeros((n, n_c)))
            } else {
                None
            };
            let mut units = Array1::<u32>::zeros(n);
            let mut ids = Vec::with_capacity(n);
            for (p, person) in people.into_iter().enumerate() {
                units[p] =
                    layout
                        .tree
                        .index_of(&person.unit)
                        .ok_or_else(|| Error::UnknownReference {
                            location: format!("people[{p}].unit"),
                            kind: "unit".into(),
                            id: person.unit.clone(),
                        })? as u32;
                for (id, v) in &person.levels {
                    let c =
                        *comp_index
                            .get(id.as_str())
                            .ok_or_else(|| Error::UnknownCompetence {
                                location: format!("people[{p}].levels.{id}"),
                                id: id.clone(),
                                framework: fw_id.clone(),
                            })?;
                    if let Some(v) = v {
                        levels[(p, c)] = to_i8(*v, || format!("people[{p}].levels.{id}"), &layout)?;
                    }
                }
                match (&mut required, person.required) {
                    (Some(req), Some(map)) => {
                        for (id, v) in map {
                            let c = *comp_index.get(id.as_str()).ok_or_else(|| {
                                Error::UnknownCompetence {
                                    location: format!("people[{p}].required.{id}"),
                                    id: id.clone(),
                                    framework: fw_id.clone(),
                                }
                            })?;
                            req[(p, c)] =
                                to_req(v, || format!("people[{p}].required.{id}"), &layout)?;
                        }
                    }
                    (Some(_), None) => {
                        return Err(Error::MissingValue {
                            location: format!("people[{p}].required"),
                            what: "required levels (or give role profiles)".into(),
                        })
                    }
                    (None, Some(_)) => {
                        return Err(Error::invalid(
                            format!("people[{p}].required"),
                            "requirements come from the role profiles",
                        ))
                    }
                    (None, None) => {}
                }
                ids.push(person.id);
            }
            (levels, units, required, ids)
        } else {
            let rows = self.levels.ok_or_else(|| Error::MissingValue {
                location: "people".into(),
                what: "people records or a levels matrix".into(),
            })?;
            let n = rows.len();
            let mut levels = Array2::<i8>::from_elem((n, n_c), -1);
            for (p, row) in rows.iter().enumerate() {
                if row.len() != n_c {
                    return Err(Error::ShapeMismatch {
                        location: format!("levels[{p}]"),
                        message: format!("{} values for {} competences", row.len(), n_c),
                    });
                }
                for (c, v) in row.iter().enumerate() {
                    if let Some(v) = v {
                        levels[(p, c)] = to_i8(*v, || format!("levels[{p}][{c}]"), &layout)?;
                    }
                }
            }
            let unit_ids = self.units.ok_or_else(|| Error::MissingValue {
                location: "units".into(),
                what: "a unit per row".into(),
            })?;
            if unit_ids.len() != n {
                return Err(Error::ShapeMismatch {
                    location: "units".into(),
                    message: format!("{} units for {} rows", unit_ids.len(), n),
                });
            }
            let mut units = Array1::<u32>::zeros(n);
            for (p, u) in unit_ids.iter().enumerate() {
                units[p] = layout
                    .tree
                    .index_of(u)
                    .ok_or_else(|| Error::UnknownReference {
                        location: format!("units[{p}]"),
                        kind: "unit".into(),
                        id: u.clone(),
                    })? as u32;
            }
            let required = match self.required {
                Some(rows) => {
                    if profiles.is_some() {
                        return Err(Error::invalid(
                            "required",
                            "requirements come from the role profiles",
                        ));
                    }
                    if rows.len() != n {
                        return Err(Error::ShapeMismatch {
                            location: "required".into(),
                            message: format!("{} rows for {} people", rows.len(), n),
                        });
                    }
                    let mut req = Array2::<i8>::zeros((n, n_c));
                    for (p, row) in rows.iter().enumerate() {
                        if row.len() != n_c {
                            return Err(Error::ShapeMismatch {
                                location: format!("required[{p}]"),
                                message: format!("{} values for {} competences", row.len(), n_c),
                            });
                        }
                        for (c, &v) in row.iter().enumerate() {
                            req[(p, c)] = to_req(v, || format!("required[{p}][{c}]"), &layout)?;
                        }
                    }
                    Some(req)
                }
                None if profiles.is_none() => {
                    return Err(Error::MissingValue {
                        location: "required".into(),
                        what: "required levels (or give role profiles)".into(),
                    })
                }
                None => None,
            };
            (levels, units, required, vec![None; n])
        };
        let n = levels.nrows();
        let roles = if layout.roles.is_empty() {
            if any_role {
                return Err(Error::invalid(
                    "roles",
                    "roles given but the layout has none",
                ));
            }
            None
        } else {
            if person_roles.len() != n {
                return Err(Error::MissingValue {
                    location: "roles".into(),
                    what: "a role per person".into(),
                });
            }
            let mut r = Array1::<u32>::zeros(n);
            for (p, role) in person_roles.iter().enumerate() {
                let loc = if n_people_rows.is_some() {
                    format!("people[{p}].role")
                } else {
                    format!("roles[{p}]")
                };
                let role = role.as_ref().ok_or_else(|| Error::MissingValue {
                    location: loc.clone(),
                    what: "role".into(),
                })?;
                r[p] = layout.roles.iter().position(|x| x == role).ok_or_else(|| {
                    if profiles.is_some() {
                        Error::UnknownProfile {
                            location: loc.clone(),
                            id: role.clone(),
                        }
                    } else {
                        Error::UnknownReference {
                            location: loc.clone(),
                            kind: "role".into(),
                            id: role.clone(),
                        }
                    }
                })? as u32;
            }
            Some(r)
        };
        Ok(Data {
            layout: Arc::new(layout),
            levels,
            units,
            roles,
            required,
            ids,
        })
    }
}

impl Data {
    pub fn batch(&self) -> Batch<'_> {
        Batch {
            levels: self.levels.view(),
            units: self.units.view(),
            roles: self.roles.as_ref().map(|r| r.view()),
            required: self.required.as_ref().map(|r| r.view()),
        }
    }

    pub fn state(&self) -> Result<AggregateState> {
        let mut state = AggregateState::new(Arc::clone(&self.layout));
        state.update(&self.batch())?;
        Ok(state)
    }
}

fn prefixed(err: Error, key: &str) -> Error {
    match err {
        Error::Parse {
            format,
            location,
            message,
        } => Error::Parse {
            format,
            location: if location == "$" {
                key.to_string()
            } else {
                format!("{key}.{location}")
            },
            message,
        },
        other => other,
    }
}

const PUBLISH_KEYS: &[&str] = &[
    "min_group",
    "suppression",
    "role_table",
    "role_unit_table",
    "areas",
    "top",
];

fn split_publish(map: &mut Map<String, Value>) -> Result<PublishOptions> {
    let mut opts = Map::new();
    for k in PUBLISH_KEYS {
        if let Some(v) = map.remove(*k) {
            if !v.is_null() {
                opts.insert((*k).to_string(), v);
            }
        }
    }
    from_json_value(Value::Object(opts))
}

/// `aggregate.gaps`: data + publish options → publication.
pub fn gaps(mut map: Map<String, Value>) -> Result<Value> {
    let opts = split_publish(&mut map)?;
    let data: DataInput = from_json_value(Value::Object(map))?;
    let state = data.into_data()?.state()?;
    to_json_value(&publish(&state.finish(), &opts)?)
}

/// `aggregate.state`: data → state JSON.
pub fn state(map: Map<String, Value>) -> Result<Value> {
    let data: DataInput = from_json_value(Value::Object(map))?;
    to_json_value(&data.into_data()?.state()?.to_json())
}

fn state_from(v: Value, location: &str) -> Result<AggregateState> {
    let json: StateJson = from_json_value(v).map_err(|e| match e {
        Error::Parse {
            location: l,
            message,
            ..
        } => Error::CorruptState {
            location: format!("{location}.{l}"),
            message,
        },
        other => other,
    })?;
    AggregateState::from_json(json)
}

/// `aggregate.merge`: `{states: [...]}` → merged state JSON.
pub fn merge(mut map: Map<String, Value>) -> Result<Value> {
    let states = map.remove("states").ok_or_else(|| Error::MissingValue {
        location: "states".into(),
        what: "field \"states\"".into(),
    })?;
    reject_rest(&map)?;
    let Value::Array(list) = states else {
        return Err(Error::invalid("states", "expected a list of states"));
    };
    let mut it = list.into_iter().enumerate();
    let Some((_, first)) = it.next() else {
        return Err(Error::Empty {
            location: "states".into(),
        });
    };
    let mut acc = state_from(first, "states[0]")?;
    for (i, v) in it {
        let s = state_from(v, &format!("states[{i}]"))?;
        acc.merge(&s).map_err(|e| match e {
            Error::IncompatibleState { location, message } => Error::IncompatibleState {
                location: format!("states[{i}].{location}"),
                message,
            },
            other => other,
        })?;
    }
    to_json_value(&acc.to_json())
}

/// `aggregate.finish`: `{state, …publish options}` → publication.
pub fn finish(mut map: Map<String, Value>) -> Result<Value> {
    let opts = split_publish(&mut map)?;
    let v = map.remove("state").ok_or_else(|| Error::MissingValue {
        location: "state".into(),
        what: "field \"state\"".into(),
    })?;
    reject_rest(&map)?;
    let state = state_from(v, "state")?;
    to_json_value(&publish(&state.finish(), &opts)?)
}

/// `aggregate.audit`: `{tree, rows, min_group?}` → audit report.
pub fn audit(mut map: Map<String, Value>) -> Result<Value> {
    let tree: TreeSpec = take(&mut map, "tree")?;
    let rows: Vec<Row> = take(&mut map, "rows")?;
    let min_group: u64 = match map.remove("min_group") {
        Some(v) if !v.is_null() => from_json_value(v).map_err(|e| prefixed(e, "min_group"))?,
        _ => 5,
    };
    reject_rest(&map)?;
    let tree = OrgTree::new(tree.into_units())?;
    to_json_value(&audit_rows(&tree, &rows, min_group)?)
}

pub(crate) fn take<T: for<'de> Deserialize<'de>>(
    map: &mut Map<String, Value>,
    key: &str,
) -> Result<T> {
    match map.remove(key) {
        Some(v) if !v.is_null() => from_json_value(v).map_err(|e| prefixed(e, key)),
        _ => Err(Error::MissingValue {
            location: key.to_string(),
            what: format!("field {key:?}"),
        }),
    }
}

pub(crate) fn reject_rest(map: &Map<String, Value>) -> Result<()> {
    match map.keys().next() {
        Some(k) => Err(Error::Parse {
            format: "json".into(),
            location: k.clone(),
            message: format!("unknown field {k:?}"),
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
impl DataInput {
    /// Parse and convert, panicking on error (tests only).
    pub fn deserialize_for_test(v: Value) -> Data {
        from_json_value::<DataInput>(v)
            .unwrap()
            .into_data()
            .unwrap()
    }
}

/// A person in a wave.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct WavePerson {
    id: String,
    unit: String,
    #[serde(default)]
    #[allow(dead_code)]
    role: Option<String>,
    #[serde(default)]
    levels: BTreeMap<String, Option<i64>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct WavesInput {
    #[serde(default)]
    framework: Option<Value>,
    #[serde(default)]
    competences: Option<Vec<String>>,
    #[serde(default)]
    level_min: Option<i64>,
    #[serde(default)]
    level_max: Option<i64>,
    tree: TreeSpec,
    before: Vec<WavePerson>,
    after: Vec<WavePerson>,
    #[serde(default = "five")]
    min_group: u64,
    #[serde(default)]
    suppression: super::publish::Suppression,
    #[serde(default)]
    per_person: bool,
}

fn five() -> u64 {
    5
}

/// A layout from `framework` or `competences` (+ level range).
fn plain_layout(
    tree: OrgTree,
    framework: Option<Value>,
    competences: Option<Vec<String>>,
    lo: Option<i64>,
    hi: Option<i64>,
) -> Result<Layout> {
    match framework {
        Some(v) => {
            let fw = framework_from_value(v).map_err(|e| prefixed(e, "framework"))?;
            Layout::from_framework(tree, &fw)
        }
        None => {
            let comps = competences.ok_or_else(|| Error::MissingValue {
                location: "competences".into(),
                what: "competence ids (or a framework)".into(),
            })?;
            let (lo, hi) = match (i8::try_from(lo.unwrap_or(0)), i8::try_from(hi.unwrap_or(8))) {
                (Ok(a), Ok(b)) => (a, b),
                _ => {
                    return Err(Error::invalid(
                        "level_max",
                        "levels must lie within 0..=100",
                    ))
                }
            };
            Layout::new(tree, comps, lo, hi)
        }
    }
}

type WaveArrays = (Vec<String>, Array2<i8>, Array1<u32>);

fn wave_arrays(layout: &Layout, people: Vec<WavePerson>, what: &str) -> Result<WaveArrays> {
    let n = people.len();
    let n_c = layout.competences.len();
    let mut levels = Array2::<i8>::from_elem((n, n_c), -1);
    let mut units = Array1::<u32>::zeros(n);
    let mut ids = Vec::with_capacity(n);
    for (p, person) in people.into_iter().enumerate() {
        units[p] = layout
            .tree
            .index_of(&person.unit)
            .ok_or_else(|| Error::UnknownReference {
                location: format!("{what}[{p}].unit"),
                kind: "unit".into(),
                id: person.unit.clone(),
            })? as u32;
        for (id, v) in &person.levels {
            let c = layout
                .competences
                .iter()
                .position(|x| x == id)
                .ok_or_else(|| Error::UnknownCompetence {
                    location: format!("{what}[{p}].levels.{id}"),
                    id: id.clone(),
                    framework: String::new(),
                })?;
            if let Some(v) = v {
                levels[(p, c)] = to_i8(*v, || format!("{what}[{p}].levels.{id}"), layout)?;
            }
        }
        ids.push(person.id);
    }
    Ok((ids, levels, units))
}

/// `aggregate.waves`: two waves → protected change table.
pub fn waves(map: Map<String, Value>) -> Result<Value> {
    use super::waves::{compare_waves, publish_waves, Wave};
    let input: WavesInput = from_json_value(Value::Object(map))?;
    let tree = OrgTree::new(input.tree.into_units())?;
    let layout = plain_layout(
        tree,
        input.framework,
        input.competences,
        input.level_min,
        input.level_max,
    )?;
    let (bi, bl, bu) = wave_arrays(&layout, input.before, "before")?;
    let (ai, al, au) = wave_arrays(&layout, input.after, "after")?;
    let cmp = compare_waves(
        &layout,
        &Wave {
            ids: &bi,
            levels: bl.view(),
            units: bu.view(),
        },
        &Wave {
            ids: &ai,
            levels: al.view(),
            units: au.view(),
        },
    )?;
    let publication = publish_waves(&cmp, input.min_group, input.suppression)?;
    let mut out = to_json_value(&publication)?;
    if input.per_person {
        if let Value::Object(m) = &mut out {
            m.insert("changes".into(), to_json_value(&cmp.changes)?);
        }
    }
    Ok(out)
}

/// `aggregate.training_demand`: data + `{min_group?, catalogue?,
/// max_per_person?, suppression?, role_table?, role_unit_table?, areas?}`
/// → `{demand, recommendations, plan, uncovered_weighted_need}`. The
/// demand list is protected together with the gap table `aggregate.gaps`
/// publishes with the same `min_group`, `suppression`, `role_table` and
/// `areas` (defaults as there); `role_unit_table: true` is refused with a
/// layout that has roles (see [`super::demand::demand_list_with`]).
pub fn training_demand(mut map: Map<String, Value>) -> Result<Value> {
    use super::demand::{demand_list_with, plan, recommend, Activity};
    let min_group: u64 = match map.remove("min_group") {
        Some(v) if !v.is_null() => from_json_value(v).map_err(|e| prefixed(e, "min_group"))?,
        _ => 5,
    };
    let mut gap_table = PublishOptions {
        min_group,
        ..PublishOptions::default()
    };
    if let Some(v) = map.remove("suppression").filter(|v| !v.is_null()) {
        gap_table.suppression = from_json_value(v).map_err(|e| prefixed(e, "suppression"))?;
    }
    if let Some(v) = map.remove("role_table").filter(|v| !v.is_null()) {
        gap_table.role_table = Some(from_json_value(v).map_err(|e| prefixed(e, "role_table"))?);
    }
    if let Some(v) = map.remove("role_unit_table").filter(|v| !v.is_null()) {
        gap_table.role_unit_table =
            from_json_value(v).map_err(|e| prefixed(e, "role_unit_table"))?;
    }
    if let Some(v) = map.remove("areas").filter(|v| !v.is_null()) {
        gap_table.areas = Some(from_json_value(v).map_err(|e| prefixed(e, "areas"))?);
    }
    let catalogue: Option<Vec<Activity>> = match map.remove("catalogue") {
        Some(v) if !v.is_null() => Some(from_json_value(v).map_err(|e| prefixed(e, "catalogue"))?),
        _ => None,
    };
    let max_per_person: usize = match map.remove("max_per_person") {
        Some(v) if !v.is_null() => from_json_value(v).map_err(|e| prefixed(e, "max_per_person"))?,
        _ => 3,
    };
    let data: DataInput = from_json_value(Value::Object(map))?;
    let data = data.into_data()?;
    let state = data.state()?;
    let demand = demand_list_with(&state.finish(), &gap_table)?;
    let mut out = Map::new();
    out.insert("min_group".into(), Value::from(min_group));
    out.insert("demand".into(), to_json_value(&demand)?);
    if let Some(cat) = catalogue {
        let batch = data.batch();
        let recs = recommend(&data.layout, &batch, &data.ids, &cat, max_per_person)?;
        let (lines, left) = plan(&data.layout, &batch, &cat, max_per_person)?;
        out.insert("recommendations".into(), to_json_value(&recs)?);
        out.insert("plan".into(), to_json_value(&lines)?);
        out.insert("uncovered_weighted_need".into(), Value::from(left));
    }
    Ok(Value::Object(out))
}
