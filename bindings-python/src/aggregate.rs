//! Native gap aggregation over numpy arrays (`kompetens._native.NativeAggregator`).
//!
//! The level and requirement matrices arrive as numpy arrays through
//! `PyArrayLike2<i8, AllowTypeChange>` (no copy when they already are
//! `int8`, in C or Fortran order — the core's pass reads both; NumPy casts
//! otherwise), the units and roles as
//! `PyArrayLike1<u32, AllowTypeChange>`. They are viewed as `ndarray`
//! views, put into a core [`Batch`] and added to the [`AggregateState`]
//! with the GIL released: no JSON on the way. `finish` publishes the
//! protected long table and returns it column by column (plain Python
//! lists), with the top needs and the audit as plain data.
//!
//! The Python layer (`kompetens/aggregate.py`) converts masked arrays,
//! DataFrames, floats with NaN and unit ids before calling in here, and
//! checks value ranges that a NumPy cast would otherwise wrap.

use std::sync::Arc;

use kompetens::aggregate::{
    demand_list_with, publish_columns, AggregateState, Aggregates, Batch, Item, Layout, OrgTree,
    PublishOptions, Reason, Scope, Suppression, Table, TableColumns, UnitSpec,
};
use kompetens::api::framework_from_value;
use kompetens::profile::ProfileSet;
use numpy::{AllowTypeChange, IntoPyArray, PyArrayLike1, PyArrayLike2};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use serde::Serialize;

use crate::{from_value, raise_error, to_value};

/// A core error as the Python exception.
fn err(py: Python<'_>, e: &kompetens::Error) -> PyErr {
    raise_error(py, e)
}

/// The suppression mode from its name.
fn suppression(py: Python<'_>, s: &str) -> PyResult<Suppression> {
    match s {
        "none" => Ok(Suppression::None),
        "primary" => Ok(Suppression::Primary),
        "secondary" => Ok(Suppression::Secondary),
        "rollup" => Ok(Suppression::Rollup),
        other => Err(err(
            py,
            &kompetens::Error::Parse {
                format: "python".into(),
                location: "suppression".into(),
                message: format!(
                    "unknown suppression {other:?}; expected none, primary, secondary or rollup"
                ),
            },
        )),
    }
}

/// A mergeable aggregation state over a fixed layout (tree, competences,
/// roles, level scale, weights).
#[pyclass(module = "kompetens._native", name = "NativeAggregator")]
pub struct NativeAggregator {
    state: AggregateState,
}

#[pymethods]
impl NativeAggregator {
    /// Build the layout: the tree from `parents` (+ `ids`) or from `specs`
    /// (`[(id, parent or None)]`), the competence ids, optional role ids,
    /// optional weight per competence and the level scale.
    #[new]
    ///
    /// With `model` (`{"framework": …, "profiles": […]?}`, the JSON shape
    /// of the `aggregate.*` operations) the competences, areas and level
    /// scale come from the framework and, with profiles, the roles (every
    /// profile of the set, in set order) and their requirements and
    /// weights; `competences` (if not empty) must then be the framework's
    /// competences in order. `areas` (`[(area, [competence])]`, every
    /// competence in exactly one area) groups competences without a
    /// framework.
    #[pyo3(signature = (competences, *, parents=None, ids=None, specs=None, roles=None, weights=None, level_min=0, level_max=8, model=None, areas=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        competences: Vec<String>,
        parents: Option<Vec<i64>>,
        ids: Option<Vec<String>>,
        specs: Option<Vec<(String, Option<String>)>>,
        roles: Option<Vec<String>>,
        weights: Option<Vec<f64>>,
        level_min: i64,
        level_max: i64,
        model: Option<Bound<'_, PyAny>>,
        areas: Option<Vec<(String, Vec<String>)>>,
    ) -> PyResult<Self> {
        let model = model.map(|m| to_value(py, &m)).transpose()?;
        let build = || -> kompetens::Result<AggregateState> {
            let tree = match (parents, specs) {
                (Some(p), None) => OrgTree::from_parents(&p, ids)?,
                (None, Some(s)) => OrgTree::new(
                    s.into_iter()
                        .map(|(id, parent)| UnitSpec { id, parent })
                        .collect(),
                )?,
                _ => {
                    return Err(kompetens::Error::MissingValue {
                        location: "tree".into(),
                        what: "a parent array or a {unit: parent} mapping".into(),
                    })
                }
            };
            let (lo, hi) = match (i8::try_from(level_min), i8::try_from(level_max)) {
                (Ok(a), Ok(b)) => (a, b),
                _ => {
                    return Err(kompetens::Error::invalid(
                        "levels",
                        format!(
                            "the level scale {level_min}..={level_max} must lie within 0..=100"
                        ),
                    ))
                }
            };
            let layout = match model {
                Some(m) => model_layout(tree, m, &competences, roles, weights, areas)?,
                None => {
                    let mut layout = Layout::new(tree, competences, lo, hi)?;
                    if let Some(r) = roles {
                        layout = layout.with_roles(r)?;
                    }
                    if let Some(w) = weights {
                        layout = layout.with_competence_weights(&w)?;
                    }
                    if let Some(a) = areas {
                        layout = layout.with_area_members(a)?;
                    }
                    layout
                }
            };
            Ok(AggregateState::new(Arc::new(layout)))
        };
        build()
            .map(|state| NativeAggregator { state })
            .map_err(|e| err(py, &e))
    }

    /// Add people: `levels` and `required` people × competences (`-1` =
    /// missing level, `0` = no requirement), `units` unit indices, `roles`
    /// role indices. Runs without the GIL; on error nothing is added.
    #[pyo3(signature = (levels, units, required=None, roles=None))]
    fn update(
        &mut self,
        py: Python<'_>,
        levels: PyArrayLike2<'_, i8, AllowTypeChange>,
        units: PyArrayLike1<'_, u32, AllowTypeChange>,
        required: Option<PyArrayLike2<'_, i8, AllowTypeChange>>,
        roles: Option<PyArrayLike1<'_, u32, AllowTypeChange>>,
    ) -> PyResult<()> {
        let batch = Batch {
            levels: levels.as_array(),
            units: units.as_array(),
            roles: roles.as_ref().map(|r| r.as_array()),
            required: required.as_ref().map(|q| q.as_array()),
        };
        let state = &mut self.state;
        py.detach(move || state.update(&batch))
            .map_err(|e| err(py, &e))
    }

    /// Add another state of the same layout (integer addition).
    fn merge(&mut self, py: Python<'_>, other: PyRef<'_, NativeAggregator>) -> PyResult<()> {
        let o = &other.state;
        let state = &mut self.state;
        py.detach(move || state.merge(o)).map_err(|e| err(py, &e))
    }

    /// A copy of this state.
    fn copy(&self) -> NativeAggregator {
        NativeAggregator {
            state: self.state.clone(),
        }
    }

    /// Number of people added.
    fn people(&self) -> u64 {
        self.state.people()
    }

    /// The training-demand list of the state (the core's
    /// `aggregate::demand_list`, protected together with the gap table
    /// published with the same `min_group`), in the JSON shape.
    #[pyo3(signature = (min_group=5, suppression="secondary", role_table=None, role_unit_table=false, areas=None))]
    fn training_demand(
        &self,
        py: Python<'_>,
        min_group: u64,
        suppression: &str,
        role_table: Option<bool>,
        role_unit_table: bool,
        areas: Option<bool>,
    ) -> PyResult<Py<PyAny>> {
        let top = PublishOptions::default().top;
        let opts = options(
            py,
            min_group,
            suppression,
            role_table,
            role_unit_table,
            areas,
            top,
        )?;
        let state = &self.state;
        let lines = py
            .detach(move || demand_list_with(&state.finish(), &opts))
            .map_err(|e| err(py, &e))?;
        let v = kompetens::text::to_json_value(&lines).map_err(|e| err(py, &e))?;
        from_value(py, &v)
    }

    /// The unit ids in tree order.
    fn unit_ids(&self) -> Vec<String> {
        self.state.layout().tree.ids().to_vec()
    }

    /// The parent id of each unit (`None` for a root).
    fn unit_parents(&self) -> Vec<Option<String>> {
        let tree = &self.state.layout().tree;
        (0..tree.len())
            .map(|u| tree.parent(u).map(|p| tree.id(p).to_string()))
            .collect()
    }

    /// True when the unit ids are `"0"`, `"1"`, … in order (integers can
    /// then be used as unit indices directly).
    fn units_are_indices(&self) -> bool {
        self.state
            .layout()
            .tree
            .ids()
            .iter()
            .enumerate()
            .all(|(i, id)| id.parse::<usize>().ok() == Some(i) && id.len() == digits(i))
    }

    /// The competence ids in column order.
    fn competence_ids(&self) -> Vec<String> {
        self.state.layout().competences.clone()
    }

    /// The role ids (empty without roles).
    fn role_ids(&self) -> Vec<String> {
        self.state.layout().roles.clone()
    }

    /// The layout in the core's JSON shape.
    fn layout(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let v = serde_json::to_value(&**self.state.layout())
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        from_value(py, &v)
    }

    /// The compact binary form (layout included).
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = self.state.to_bytes().map_err(|e| err(py, &e))?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// A state from [`NativeAggregator::to_bytes`].
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: &[u8]) -> PyResult<NativeAggregator> {
        AggregateState::from_bytes(data)
            .map(|state| NativeAggregator { state })
            .map_err(|e| err(py, &e))
    }

    /// The JSON form of the state (as the `aggregate.state` op).
    fn to_json(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let v = kompetens::text::to_json_value(&self.state.to_json()).map_err(|e| err(py, &e))?;
        from_value(py, &v)
    }

    /// A state from its JSON form.
    #[staticmethod]
    fn from_json(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<NativeAggregator> {
        let v = to_value(py, value)?;
        let json = kompetens::text::from_json_value(v).map_err(|e| {
            let e = match e {
                kompetens::Error::Parse {
                    location, message, ..
                } => kompetens::Error::CorruptState { location, message },
                other => other,
            };
            err(py, &e)
        })?;
        AggregateState::from_json(json)
            .map(|state| NativeAggregator { state })
            .map_err(|e| err(py, &e))
    }

    /// Roll up and publish: `(columns, rest)` where `columns` maps each row
    /// field to numpy arrays (see [`columns`]) and `rest` holds
    /// `min_group`, `suppression`, `top_needs` and `audit` (its JSON text
    /// is made only when the Python layer asks for it).
    #[pyo3(signature = (min_group=5, suppression="secondary", top=5, role_table=None, role_unit_table=false, areas=None))]
    #[allow(clippy::too_many_arguments)]
    fn finish<'py>(
        &self,
        py: Python<'py>,
        min_group: u64,
        suppression: &str,
        top: usize,
        role_table: Option<bool>,
        role_unit_table: bool,
        areas: Option<bool>,
    ) -> PyResult<(Bound<'py, PyDict>, KeyColumns, PublicationRest)> {
        let opts = options(
            py,
            min_group,
            suppression,
            role_table,
            role_unit_table,
            areas,
            top,
        )?;
        let state = &self.state;
        publish_dict(py, move || state.finish(), &opts)
    }

    /// [`Self::finish`] that takes the state (its records become the
    /// roll-up's, not copied) and leaves an empty one: for a one-shot
    /// call whose aggregator nobody else sees (`aggregate_gaps`).
    #[pyo3(signature = (min_group=5, suppression="secondary", top=5, role_table=None, role_unit_table=false, areas=None))]
    #[allow(clippy::too_many_arguments)]
    fn finish_taken<'py>(
        &mut self,
        py: Python<'py>,
        min_group: u64,
        suppression: &str,
        top: usize,
        role_table: Option<bool>,
        role_unit_table: bool,
        areas: Option<bool>,
    ) -> PyResult<(Bound<'py, PyDict>, KeyColumns, PublicationRest)> {
        let opts = options(
            py,
            min_group,
            suppression,
            role_table,
            role_unit_table,
            areas,
            top,
        )?;
        let empty = AggregateState::new(Arc::clone(self.state.layout()));
        let state = std::mem::replace(&mut self.state, empty);
        publish_dict(py, move || state.into_aggregates(), &opts)
    }
}

/// The publication options the methods take.
fn options(
    py: Python<'_>,
    min_group: u64,
    suppression: &str,
    role_table: Option<bool>,
    role_unit_table: bool,
    areas: Option<bool>,
    top: usize,
) -> PyResult<PublishOptions> {
    Ok(PublishOptions {
        min_group,
        suppression: self::suppression(py, suppression)?,
        role_table,
        role_unit_table,
        areas,
        top,
    })
}

/// Publish the roll-up `aggregates` makes (without the GIL): the columns
/// as numpy arrays and the rest.
fn publish_dict<'py>(
    py: Python<'py>,
    aggregates: impl FnOnce() -> Aggregates + Send,
    opts: &PublishOptions,
) -> PyResult<(Bound<'py, PyDict>, KeyColumns, PublicationRest)> {
    let (cols, rest) = py
        .detach(move || -> kompetens::Result<_> {
            let agg = aggregates();
            let publication = publish_columns(&agg, opts)?;
            let layout = agg.layout();
            let cols = Columns::of(publication.columns, layout);
            let rest = PublicationRest {
                min_group: publication.min_group,
                suppression: publication.suppression,
                top_needs: publication.top_needs,
                audit: publication.audit,
                layout: Arc::clone(layout),
            };
            Ok((cols, rest))
        })
        .map_err(|e| err(py, &e))?;
    let (numbers, keys) = cols.into_dict(py)?;
    Ok((numbers, keys, rest))
}

/// The layout of a framework (and role profiles): `model` is
/// `{"framework": name or object, "profiles": [...]?}`.
fn model_layout(
    tree: OrgTree,
    model: serde_json::Value,
    competences: &[String],
    roles: Option<Vec<String>>,
    weights: Option<Vec<f64>>,
    areas: Option<Vec<(String, Vec<String>)>>,
) -> kompetens::Result<Layout> {
    let serde_json::Value::Object(mut m) = model else {
        return Err(kompetens::Error::invalid(
            "model",
            "expected {framework, profiles}",
        ));
    };
    let fw = match m.remove("framework") {
        Some(v) => framework_from_value(v)?,
        None => {
            return Err(kompetens::Error::MissingValue {
                location: "framework".into(),
                what: "a framework (a built-in name or a framework object)".into(),
            })
        }
    };
    if areas.is_some() {
        return Err(kompetens::Error::invalid(
            "areas",
            "the areas come from the framework",
        ));
    }
    let layout = match m.remove("profiles") {
        Some(p) => {
            let set = ProfileSet::from_value(p, &fw)?;
            if roles.is_some() {
                return Err(kompetens::Error::invalid(
                    "roles",
                    "with role profiles the roles are the profiles of the set",
                ));
            }
            if weights.is_some() {
                return Err(kompetens::Error::invalid(
                    "weights",
                    "weights come from the role profiles",
                ));
            }
            let ids: Vec<String> = set.ids().into_iter().map(String::from).collect();
            Layout::from_profiles(tree, &set, &ids)?
        }
        None => {
            let mut layout = Layout::from_framework(tree, &fw)?;
            if let Some(r) = roles {
                layout = layout.with_roles(r)?;
            }
            if let Some(w) = weights {
                layout = layout.with_competence_weights(&w)?;
            }
            layout
        }
    };
    if !competences.is_empty() && competences != layout.competences.as_slice() {
        return Err(kompetens::Error::ShapeMismatch {
            location: "competences".into(),
            message: format!(
                "with a framework, the columns must be the framework's {} competences in order",
                layout.competences.len()
            ),
        });
    }
    Ok(layout)
}

/// Decimal digits of `i` (so that `"01"` is not taken for unit 1).
fn digits(i: usize) -> usize {
    i.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// What a publication holds besides its table: `min_group`,
/// `suppression`, the top needs and the audit. Kept native until the
/// Python layer asks for it (`json()`), so that a call that only looks at
/// the table does not pay for the text of 10,000 top needs.
#[pyclass(module = "kompetens._native", name = "PublicationRest", frozen)]
pub struct PublicationRest {
    min_group: u64,
    suppression: Suppression,
    /// By index; named (with the layout's ids) only for the JSON text.
    top_needs: Vec<kompetens::aggregate::IndexedTopNeed>,
    audit: kompetens::aggregate::AuditReport,
    layout: Arc<Layout>,
}

/// The JSON form of a [`PublicationRest`].
#[derive(Serialize)]
struct RestJson<'a> {
    min_group: u64,
    suppression: Suppression,
    top_needs: Vec<kompetens::aggregate::TopNeed>,
    audit: &'a kompetens::aggregate::AuditReport,
}

#[pymethods]
impl PublicationRest {
    /// The JSON text of `{min_group, suppression, top_needs, audit}`.
    fn json(&self, py: Python<'_>) -> PyResult<String> {
        let rest = RestJson {
            min_group: self.min_group,
            suppression: self.suppression,
            top_needs: kompetens::aggregate::named_top_needs(&self.top_needs, &self.layout),
            audit: &self.audit,
        };
        serde_json::to_string(&rest)
            .map_err(|e| err(py, &kompetens::Error::invalid("$", e.to_string())))
    }
}

/// A text column as codes into its values (`-1` = null).
struct TextColumn {
    codes: Vec<i32>,
    /// `None` for the unit column: its values are the layout's unit ids,
    /// which the Python layer fetches once, when first needed.
    values: Option<Vec<String>>,
}

impl TextColumn {
    fn of<T: Copy>(
        keys: &[T],
        values: Option<Vec<String>>,
        code: impl Fn(T) -> Option<usize>,
    ) -> TextColumn {
        TextColumn {
            codes: keys
                .iter()
                .map(|&k| code(k).map_or(-1, |c| c as i32))
                .collect(),
            values,
        }
    }
}

/// The table's numbers column by column, as flat vectors (built without
/// the GIL), and its key columns.
struct Columns {
    keys: KeyColumns,
    counts: Vec<(&'static str, Vec<u64>)>,
    floats: Vec<(&'static str, Vec<f64>)>,
    withheld: Vec<bool>,
    /// The rows whose head count is null (withheld, and area rows under
    /// suppression).
    people_null: Vec<bool>,
    distribution: Vec<u64>,
    n_levels: usize,
}

impl Columns {
    /// The core's columns: the numbers, and the keys as they are (made
    /// codes when first read).
    fn of(c: TableColumns, layout: &Arc<Layout>) -> Columns {
        let withheld = c.suppressed.iter().map(Option::is_some).collect();
        let people_null = (0..c.len()).map(|i| !c.people_shown(i)).collect();
        Columns {
            keys: KeyColumns {
                table: c.table,
                unit: c.unit,
                scope: c.scope,
                role: c.role,
                item: c.item,
                suppressed: c.suppressed,
                layout: Arc::clone(layout),
            },
            counts: vec![
                ("people", c.people),
                ("rated", c.rated),
                ("missing", c.missing),
                ("meeting", c.meeting),
            ],
            floats: vec![
                ("coverage", c.coverage),
                ("mean_shortfall", c.mean_shortfall),
                ("mean_shortfall_below", c.mean_shortfall_below),
                ("weighted_need", c.weighted_need),
                ("median_level", c.median_level),
                ("mean_level", c.mean_level),
            ],
            withheld,
            people_null,
            distribution: c.distribution,
            n_levels: c.n_levels,
        }
    }

    /// `{name: array}` for numbers (`uint64` counts, `float64` statistics
    /// with `NaN` = null), `withheld` (bool: the row's numbers are null),
    /// `people_null` and `distribution` (`uint64`, rows × levels); and the
    /// key columns.
    fn into_dict(self, py: Python<'_>) -> PyResult<(Bound<'_, PyDict>, KeyColumns)> {
        let d = PyDict::new(py);
        for (k, v) in self.counts {
            d.set_item(k, v.into_pyarray(py))?;
        }
        for (k, v) in self.floats {
            d.set_item(k, v.into_pyarray(py))?;
        }
        let rows = self.withheld.len();
        d.set_item("withheld", self.withheld.into_pyarray(py))?;
        d.set_item("people_null", self.people_null.into_pyarray(py))?;
        let dist = numpy::ndarray::Array2::from_shape_vec((rows, self.n_levels), self.distribution)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        d.set_item("distribution", dist.into_pyarray(py))?;
        Ok((d, self.keys))
    }
}

/// A text column as Python gets it: codes and their values.
type CodedColumn<'py> = (Bound<'py, numpy::PyArray1<i32>>, Option<Vec<String>>);

/// The key columns of a publication and `suppressed`, kept native until
/// Python first reads one (a call that only looks at the numbers does not
/// convert 84,000 rows of keys).
#[pyclass(module = "kompetens._native", name = "KeyColumns", frozen)]
pub struct KeyColumns {
    table: Vec<Table>,
    unit: Vec<Option<u32>>,
    scope: Vec<Option<Scope>>,
    role: Vec<Option<u32>>,
    item: Vec<Item>,
    suppressed: Vec<Option<Reason>>,
    layout: Arc<Layout>,
}

#[pymethods]
impl KeyColumns {
    /// `(codes int32, values)` of the text column `name` (`table`,
    /// `unit`, `scope`, `role`, `area`, `competence` or `suppressed`;
    /// code `-1` = null); `values` is `None` for `unit` (the layout's unit
    /// ids). Another name raises `KeyError`.
    fn column<'py>(&self, py: Python<'py>, name: &str) -> PyResult<CodedColumn<'py>> {
        let c = self
            .text(name)
            .ok_or_else(|| pyo3::exceptions::PyKeyError::new_err(name.to_string()))?;
        Ok((c.codes.into_pyarray(py), c.values))
    }
}

impl KeyColumns {
    /// The text column `name` as codes into its values.
    fn text(&self, name: &str) -> Option<TextColumn> {
        let names = |xs: &[&str]| Some(xs.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let layout = &self.layout;
        let has_areas = !layout.areas.is_empty();
        Some(match name {
            "table" => TextColumn::of(&self.table, names(&["unit", "role_unit", "role"]), |t| {
                Some(match t {
                    Table::Unit => 0,
                    Table::RoleUnit => 1,
                    Table::Role => 2,
                })
            }),
            "unit" => TextColumn::of(&self.unit, None, |u| u.map(|u| u as usize)),
            "scope" => TextColumn::of(&self.scope, names(&["own", "rollup"]), |s| {
                s.map(|s| match s {
                    Scope::Own => 0,
                    Scope::Rollup => 1,
                })
            }),
            "role" => TextColumn::of(&self.role, Some(layout.roles.clone()), |r| {
                r.map(|r| r as usize)
            }),
            "area" => TextColumn::of(&self.item, Some(layout.areas.clone()), |it| match it {
                Item::Competence(k) if has_areas => layout.area_of.get(k).map(|&a| a as usize),
                Item::Competence(_) => None,
                Item::Area(a) => Some(a),
            }),
            "competence" => {
                TextColumn::of(
                    &self.item,
                    Some(layout.competences.clone()),
                    |it| match it {
                        Item::Competence(k) => Some(k),
                        Item::Area(_) => None,
                    },
                )
            }
            "suppressed" => TextColumn::of(
                &self.suppressed,
                names(&["primary", "secondary", "rolled_up"]),
                |r| {
                    r.map(|r| match r {
                        Reason::Primary => 0,
                        Reason::Secondary => 1,
                        Reason::RolledUp => 2,
                    })
                },
            ),
            _ => return None,
        })
    }
}

/// Register the class in the native module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeAggregator>()?;
    m.add_class::<PublicationRest>()?;
    m.add_class::<KeyColumns>()
}
