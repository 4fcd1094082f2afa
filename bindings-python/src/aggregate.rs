//! Native gap aggregation over numpy arrays (`kompetens._native.NativeAggregator`).
//!
//! The level and requirement matrices arrive as numpy arrays through
//! `PyArrayLike2<i8, AllowTypeChange>` (no copy when they already are
//! C-contiguous `int8`; NumPy casts otherwise), the units and roles as
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
    publish, AggregateState, Batch, Layout, OrgTree, PublishOptions, Row, Suppression, UnitSpec,
};
use numpy::{AllowTypeChange, IntoPyArray, PyArrayLike1, PyArrayLike2};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use serde::Serialize;

use crate::{from_value, raise_error, to_value};

/// A core error as the Python exception.
fn err(py: Python<'_>, e: &kompetens::Error) -> PyErr {
    raise_error(py, e)
}

/// The snake_case name of a unit-like serde enum.
fn name<T: Serialize>(x: &T) -> Option<String> {
    match serde_json::to_value(x) {
        Ok(serde_json::Value::String(s)) => Some(s),
        _ => None,
    }
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
    #[pyo3(signature = (competences, *, parents=None, ids=None, specs=None, roles=None, weights=None, level_min=0, level_max=8))]
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
    ) -> PyResult<Self> {
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
            let mut layout = Layout::new(tree, competences, lo, hi)?;
            if let Some(r) = roles {
                layout = layout.with_roles(r)?;
            }
            if let Some(w) = weights {
                layout = layout.with_competence_weights(&w)?;
            }
            Ok(AggregateState::new(Arc::new(layout)))
        };
        build()
            .map(|state| NativeAggregator { state })
            .map_err(|e| err(py, &e))
    }

    /// Add people: `levels` and `required` people × competences (`-1` =
    /// missing level, `0` = no requirement), `units` unit indices, `roles`
    /// role indices. Runs without the GIL; on error nothing is added.
    #[pyo3(signature = (levels, units, required, roles=None))]
    fn update(
        &mut self,
        py: Python<'_>,
        levels: PyArrayLike2<'_, i8, AllowTypeChange>,
        units: PyArrayLike1<'_, u32, AllowTypeChange>,
        required: PyArrayLike2<'_, i8, AllowTypeChange>,
        roles: Option<PyArrayLike1<'_, u32, AllowTypeChange>>,
    ) -> PyResult<()> {
        let batch = Batch {
            levels: levels.as_array(),
            units: units.as_array(),
            roles: roles.as_ref().map(|r| r.as_array()),
            required: Some(required.as_array()),
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
    /// field to numpy arrays (see [`columns`]) and `rest` is the JSON text
    /// of `min_group`, `suppression`, `top_needs` and `audit` (parsed by
    /// the Python layer when asked for).
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
    ) -> PyResult<(Bound<'py, PyDict>, String)> {
        let opts = PublishOptions {
            min_group,
            suppression: self::suppression(py, suppression)?,
            role_table,
            role_unit_table,
            areas,
            top,
        };
        let state = &self.state;
        let n_levels = state.layout().n_levels();
        let (cols, rest) = py
            .detach(move || -> kompetens::Result<_> {
                let publication = publish(&state.finish(), &opts)?;
                let cols = Columns::of(&publication.rows, n_levels);
                let rest = serde_json::json!({
                    "min_group": publication.min_group,
                    "suppression": name(&publication.suppression).unwrap_or_default(),
                    "top_needs": kompetens::text::to_json_value(&publication.top_needs)?,
                    "audit": kompetens::text::to_json_value(&publication.audit)?,
                });
                Ok((cols, rest.to_string()))
            })
            .map_err(|e| err(py, &e))?;
        Ok((cols.into_dict(py)?, rest))
    }
}

/// A text column as codes into its distinct values (`-1` = null).
struct TextColumn {
    codes: Vec<i32>,
    values: Vec<String>,
}

impl TextColumn {
    fn of<'a>(items: impl Iterator<Item = Option<&'a str>>) -> TextColumn {
        let mut index: std::collections::HashMap<&'a str, i32> = std::collections::HashMap::new();
        let mut values: Vec<String> = Vec::new();
        let codes = items
            .map(|x| match x {
                None => -1,
                Some(s) => *index.entry(s).or_insert_with(|| {
                    values.push(s.to_string());
                    (values.len() - 1) as i32
                }),
            })
            .collect();
        TextColumn { codes, values }
    }
}

/// The rows column by column, as flat vectors (built without the GIL).
struct Columns {
    text: Vec<(&'static str, TextColumn)>,
    counts: Vec<(&'static str, Vec<u64>)>,
    floats: Vec<(&'static str, Vec<f64>)>,
    withheld: Vec<bool>,
    distribution: Vec<u64>,
    n_levels: usize,
}

impl Columns {
    fn of(rows: &[Row], n_levels: usize) -> Columns {
        let table: Vec<Option<String>> = rows.iter().map(|r| name(&r.table)).collect();
        let scope: Vec<Option<String>> = rows
            .iter()
            .map(|r| r.scope.as_ref().and_then(name))
            .collect();
        let suppressed: Vec<Option<String>> = rows
            .iter()
            .map(|r| r.suppressed.as_ref().and_then(name))
            .collect();
        let text = vec![
            ("table", TextColumn::of(table.iter().map(|x| x.as_deref()))),
            (
                "unit",
                TextColumn::of(rows.iter().map(|r| r.unit.as_deref())),
            ),
            ("scope", TextColumn::of(scope.iter().map(|x| x.as_deref()))),
            (
                "role",
                TextColumn::of(rows.iter().map(|r| r.role.as_deref())),
            ),
            (
                "area",
                TextColumn::of(rows.iter().map(|r| r.area.as_deref())),
            ),
            (
                "competence",
                TextColumn::of(rows.iter().map(|r| r.competence.as_deref())),
            ),
            (
                "suppressed",
                TextColumn::of(suppressed.iter().map(|x| x.as_deref())),
            ),
        ];
        let count = |f: fn(&Row) -> Option<u64>| rows.iter().map(|r| f(r).unwrap_or(0)).collect();
        let counts = vec![
            ("people", count(|r| r.people)),
            ("rated", count(|r| r.rated)),
            ("missing", count(|r| r.missing)),
            ("meeting", count(|r| r.meeting)),
        ];
        let float =
            |f: fn(&Row) -> Option<f64>| rows.iter().map(|r| f(r).unwrap_or(f64::NAN)).collect();
        let floats = vec![
            ("coverage", float(|r| r.coverage)),
            ("mean_shortfall", float(|r| r.mean_shortfall)),
            ("mean_shortfall_below", float(|r| r.mean_shortfall_below)),
            ("weighted_need", float(|r| r.weighted_need)),
            ("median_level", float(|r| r.median_level)),
            ("mean_level", float(|r| r.mean_level)),
        ];
        let mut distribution = vec![0u64; rows.len() * n_levels];
        for (r, out) in rows
            .iter()
            .zip(distribution.chunks_exact_mut(n_levels.max(1)))
        {
            if let Some(d) = &r.distribution {
                for (o, v) in out.iter_mut().zip(d) {
                    *o = *v;
                }
            }
        }
        Columns {
            text,
            counts,
            floats,
            withheld: rows.iter().map(|r| r.people.is_none()).collect(),
            distribution,
            n_levels,
        }
    }

    /// `{name: array}` for numbers (`uint64` counts, `float64` statistics
    /// with `NaN` = null), `{name: (codes int32, [values])}` for text,
    /// `withheld` (bool: the row's numbers are null) and `distribution`
    /// (`uint64`, rows × levels).
    fn into_dict(self, py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
        let d = PyDict::new(py);
        for (k, c) in self.text {
            d.set_item(k, (c.codes.into_pyarray(py), c.values))?;
        }
        for (k, v) in self.counts {
            d.set_item(k, v.into_pyarray(py))?;
        }
        for (k, v) in self.floats {
            d.set_item(k, v.into_pyarray(py))?;
        }
        let rows = self.withheld.len();
        d.set_item("withheld", self.withheld.into_pyarray(py))?;
        let dist = numpy::ndarray::Array2::from_shape_vec((rows, self.n_levels), self.distribution)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        d.set_item("distribution", dist.into_pyarray(py))?;
        Ok(d)
    }
}

/// Register the class in the native module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeAggregator>()
}
