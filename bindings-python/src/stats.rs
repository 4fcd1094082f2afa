//! Cronbach's α on a numpy array, without JSON.
//!
//! `data` arrives as a [`PyArrayLike2<f64, AllowTypeChange>`]: a float64
//! array is borrowed as it is (zero-copy, any memory layout), other numeric
//! arrays and nested sequences are converted by numpy's `asarray` first.
//! The core's [`cronbach_alpha_items`] then runs on the `ArrayView2` with the
//! GIL released. The options are read exactly as the JSON operation
//! `stats.cronbach_alpha` reads the fields of the same names, so errors carry
//! the same codes and locations.

use kompetens::stats::{cronbach_alpha_items, AlphaItems, AlphaOptions, ColumnRef, MissingPolicy};
use kompetens::survey::ResponseScale;
use kompetens::text::from_json_value;
use numpy::{AllowTypeChange, PyArrayLike2};
use pyo3::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{raise_error, to_value};

/// An optional argument as a JSON value (`None` → absent).
pub(crate) fn value_arg(py: Python<'_>, obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Value>> {
    match obj {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) => to_value(py, o).map(Some),
    }
}

/// An optional argument read as the JSON field `key` would be read.
pub(crate) fn typed_arg<T: DeserializeOwned>(
    py: Python<'_>,
    obj: Option<&Bound<'_, PyAny>>,
    key: &str,
) -> PyResult<Option<T>> {
    match value_arg(py, obj)? {
        None => Ok(None),
        Some(v) => from_json_value(v)
            .map(Some)
            .map_err(|e| raise_error(py, &e.within(key))),
    }
}

/// Cronbach's α of a respondents × items array (`NaN` = missing) with item
/// statistics; the result in the JSON shape of `stats.cronbach_alpha`.
#[pyfunction]
#[pyo3(signature = (data, *, items=None, missing=None, ci_level=None, scale=None, reverse=None))]
pub fn cronbach_alpha<'py>(
    py: Python<'py>,
    data: PyArrayLike2<'py, f64, AllowTypeChange>,
    items: Option<Vec<String>>,
    missing: Option<&Bound<'py, PyAny>>,
    ci_level: Option<&Bound<'py, PyAny>>,
    scale: Option<&Bound<'py, PyAny>>,
    reverse: Option<&Bound<'py, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let missing: Option<MissingPolicy> = typed_arg(py, missing, "missing")?;
    let ci_level: Option<f64> = typed_arg(py, ci_level, "ci_level")?;
    let scale: Option<ResponseScale> = typed_arg(py, scale, "scale")?;
    let reverse: Option<Vec<Value>> = typed_arg(py, reverse, "reverse")?;
    let reverse = ColumnRef::list(reverse.as_deref().unwrap_or(&[]), "reverse")
        .map_err(|e| raise_error(py, &e))?;
    let options = AlphaOptions {
        missing: missing.unwrap_or_default(),
        ci_level: ci_level.unwrap_or(0.95),
    };
    let spec = AlphaItems {
        names: items.as_deref(),
        scale: scale.as_ref(),
        reverse: &reverse,
    };
    let view = data.as_array();
    let result = py.detach(|| cronbach_alpha_items(view, &spec, &options));
    match result {
        Ok(rel) => Ok(pythonize::pythonize(py, &rel)?.unbind()),
        Err(err) => Err(raise_error(py, &err)),
    }
}
