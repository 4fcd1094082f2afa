//! The core's synthetic demo organisation for Python
//! (`kompetens._native.demo_*`, wrapped by `kompetens/demo.py`).
//!
//! Thin on purpose: everything is generated and reconciled by
//! [`kompetens::demo::DemoOrganisation`]; this module only hands its data to
//! Python — the raw records as plain data, one wave's reconciled levels as
//! numpy arrays. The organisation is generated once per process (it is
//! deterministic, so caching changes nothing but the time).

use std::sync::OnceLock;

use kompetens::demo::{DemoOrganisation, DEMO_FRAMEWORK, DEMO_MIN_GROUP, DEMO_POLICY};
use numpy::{IntoPyArray, PyArray2};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::{json, Value};

use crate::{from_value, raise_error};

static ORG: OnceLock<DemoOrganisation> = OnceLock::new();

/// The demo organisation, generated on first use.
fn org(py: Python<'_>) -> PyResult<&'static DemoOrganisation> {
    if let Some(o) = ORG.get() {
        return Ok(o);
    }
    let made = py
        .detach(DemoOrganisation::generate)
        .map_err(|e| raise_error(py, &e))?;
    // Another thread may have won the race; both values are identical.
    Ok(ORG.get_or_init(|| made))
}

fn json_of<T: serde::Serialize>(py: Python<'_>, x: &T) -> PyResult<Value> {
    kompetens::text::to_json_value(x).map_err(|e| raise_error(py, &e))
}

/// The organisation's records as plain data: `{name, framework, policy,
/// min_group, units: [{id, parent?, name}], people: [{id, unit, role,
/// waves}], profiles, waves: [{id, date, assessments}]}`.
#[pyfunction]
pub fn demo_organisation(py: Python<'_>) -> PyResult<Py<PyAny>> {
    let o = org(py)?;
    let profiles: Value = serde_json::from_str(DemoOrganisation::profiles_json()).map_err(|e| {
        raise_error(
            py,
            &kompetens::Error::Parse {
                format: "json".into(),
                location: "profiles".into(),
                message: e.to_string(),
            },
        )
    })?;
    let value = json!({
        "name": json_of(py, &o.name)?,
        "framework": DEMO_FRAMEWORK,
        "policy": DEMO_POLICY,
        "min_group": DEMO_MIN_GROUP,
        "units": json_of(py, &o.units)?,
        "people": json_of(py, &o.people)?,
        "profiles": profiles,
        "waves": json_of(py, &o.waves)?,
    });
    from_value(py, &value)
}

/// One wave's levels reconciled with `policy` (default: the demo's),
/// in the aggregation layout of the demo: `{ids, competences, roles,
/// units, levels (people × competences int8, -1 = no rating), unit_index
/// (uint32), role_index (uint32), role_required (roles × competences int8,
/// 0 = not required)}`.
#[pyfunction]
#[pyo3(signature = (wave, policy=None))]
pub fn demo_wave_matrix<'py>(
    py: Python<'py>,
    wave: &str,
    policy: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let o = org(py)?;
    let policy = policy
        .unwrap_or(DEMO_POLICY)
        .parse()
        .map_err(|e| raise_error(py, &e))?;
    let wave = wave.to_owned();
    let (layout, m) = py
        .detach(move || {
            let layout = o.aggregate_layout()?;
            let m = o.wave_matrix(&wave, &policy, &layout)?;
            Ok::<_, kompetens::Error>((layout, m))
        })
        .map_err(|e| raise_error(py, &e))?;
    let d = PyDict::new(py);
    d.set_item("ids", m.ids)?;
    d.set_item("competences", layout.competences.clone())?;
    d.set_item("roles", layout.roles.clone())?;
    let units: Vec<&str> = (0..layout.tree.len()).map(|u| layout.tree.id(u)).collect();
    d.set_item("units", units)?;
    d.set_item("levels", m.levels.into_pyarray(py))?;
    d.set_item("unit_index", m.units.into_pyarray(py))?;
    d.set_item("role_index", m.roles.into_pyarray(py))?;
    let required: Bound<'py, PyArray2<i8>> = match &layout.role_required {
        Some(r) => r.clone().into_pyarray(py),
        None => ndarray::Array2::<i8>::zeros((layout.roles.len(), layout.competences.len()))
            .into_pyarray(py),
    };
    d.set_item("role_required", required)?;
    Ok(d)
}

/// The synthetic DiMiOS answers of one year: `{year, years, model,
/// respondents: [{id, unit, role}], responses: {items, rows, units},
/// tree: [{id, parent?, name}]}`.
#[pyfunction]
pub fn demo_dimios(py: Python<'_>, year: &str) -> PyResult<Py<PyAny>> {
    let o = org(py)?;
    let years = o.dimios_years().map_err(|e| raise_error(py, &e))?;
    let year = year.to_owned();
    let m = py
        .detach(move || o.dimios_measurement(&year))
        .map_err(|e| raise_error(py, &e))?;
    let model = o.dimios_model().map_err(|e| raise_error(py, &e))?;
    let value = json!({
        "year": m.year,
        "years": years,
        "model": model.id,
        "respondents": json_of(py, &m.respondents)?,
        "responses": json_of(py, &m.responses)?,
        "tree": json_of(py, &o.maturity_units())?,
    });
    from_value(py, &value)
}
