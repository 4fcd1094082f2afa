//! Native module `kompetens._native`: a thin pyo3 wrapper around
//! [`kompetens::api::call`].
//!
//! Python objects become JSON values through pythonize (NaN, infinities,
//! integers beyond 64 bits, unsupported types and nesting deeper than
//! [`MAX_DEPTH`] are rejected with the path of the bad value), the operation
//! runs in the core with the GIL released, and the result is converted back
//! to plain dicts, lists, strings, numbers, booleans and `None`.
//!
//! The array functions (`cronbach_alpha`, `SurveyScorer`) take numpy
//! arrays without going through JSON: see [`stats`] and [`survey`].
//!
//! Errors are raised as the exception classes defined once in Python, in
//! `kompetens/_errors.py`: the native side calls
//! `kompetens._errors._make(code, category, location, message)` and raises
//! what it returns.
use std::fmt;

mod aggregate;
mod demo;
mod stats;
mod survey;

use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Deepest nesting of lists and dicts accepted from Python (as in
/// `serde_json`'s own recursion limit).
pub const MAX_DEPTH: usize = 128;

/// Run one operation of the core's JSON façade (`kompetens::api::call`).
///
/// `input` is a dict (or anything pythonize reads as a mapping) in the
/// snake_case JSON shape; the result is plain Python data.
#[pyfunction]
fn call(py: Python<'_>, op: &str, input: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let value = to_value(py, input)?;
    let op = op.to_owned();
    let out = py.detach(move || kompetens::api::call(&op, value));
    match out {
        Ok(v) => from_value(py, &v),
        Err(err) => Err(raise_error(py, &err)),
    }
}

/// Parse TOML text into plain Python data with the core's TOML reader, so
/// that TOML files load the same way in every language.
#[pyfunction]
fn parse_toml(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    match kompetens::api::toml_to_value(text) {
        Ok(v) => from_value(py, &v),
        Err(err) => Err(raise_error(py, &err)),
    }
}

/// The native module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("OPERATIONS", kompetens::api::OPERATIONS.to_vec())?;
    m.add_function(wrap_pyfunction!(call, m)?)?;
    m.add_function(wrap_pyfunction!(parse_toml, m)?)?;
    aggregate::register(m)?;
    m.add_function(wrap_pyfunction!(demo::demo_organisation, m)?)?;
    m.add_function(wrap_pyfunction!(demo::demo_wave_matrix, m)?)?;
    m.add_function(wrap_pyfunction!(demo::demo_dimios, m)?)?;
    m.add_function(wrap_pyfunction!(stats::cronbach_alpha, m)?)?;
    m.add_function(wrap_pyfunction!(survey::survey_scorer, m)?)?;
    m.add_class::<survey::SurveyScorer>()?;
    m.add_class::<survey::ScoredSurvey>()?;
    Ok(())
}

pub(crate) fn from_value(py: Python<'_>, value: &Value) -> PyResult<Py<PyAny>> {
    Ok(pythonize::pythonize(py, value)?.unbind())
}

/// Build the Python exception for a core error.
pub(crate) fn raise_error(py: Python<'_>, err: &kompetens::Error) -> PyErr {
    let info = err.info();
    let details = match &info.details {
        Some(d) => match from_value(py, d) {
            Ok(obj) => Some(obj),
            Err(e) => return e,
        },
        None => None,
    };
    make_error_with(
        py,
        info.code,
        info.category,
        &info.location,
        &info.message,
        details,
    )
}

fn make_error(py: Python<'_>, code: &str, category: &str, location: &str, message: &str) -> PyErr {
    make_error_with(py, code, category, location, message, None)
}

fn make_error_with(
    py: Python<'_>,
    code: &str,
    category: &str,
    location: &str,
    message: &str,
    details: Option<Py<PyAny>>,
) -> PyErr {
    let made = py
        .import("kompetens._errors")
        .and_then(|m| m.getattr("_make"))
        .and_then(|f| f.call1((code, category, location, message, details)));
    match made {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

/// Convert a Python object into a JSON value, strictly.
pub(crate) fn to_value(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    let mut de = pythonize::Depythonizer::from_object(obj);
    match serde_path_to_error::deserialize(&mut de) {
        Ok(Strict(v)) => Ok(v),
        Err(err) => {
            let path = err.path().to_string();
            let location = if path.is_empty() || path == "." {
                "$".to_string()
            } else {
                path
            };
            let inner = err.into_inner();
            let message = inner.to_string();
            let pyerr = PyErr::from(inner);
            // KeyboardInterrupt, SystemExit … raised while reading a custom
            // mapping or sequence pass through unchanged.
            if !pyerr.is_instance_of::<PyException>(py) {
                return Err(pyerr);
            }
            let err = make_error(
                py,
                "parse_error",
                "parse",
                &location,
                &format!("cannot read the Python input at {location}: {message}"),
            );
            // Keep what the Python side raised (a failing custom mapping, an
            // OverflowError …) as the cause.
            err.set_cause(py, Some(pyerr));
            Err(err)
        }
    }
}

/// A JSON value read from Python with the checks serde_json's own `Value`
/// does not make (it silently turns NaN into `null`).
struct Strict(Value);

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Depth(0).deserialize(d).map(Strict)
    }
}

/// Seed carrying the current nesting depth.
#[derive(Clone, Copy)]
struct Depth(usize);

impl<'de> DeserializeSeed<'de> for Depth {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        if self.0 > MAX_DEPTH {
            return Err(de::Error::custom(format!(
                "nested deeper than {MAX_DEPTH} levels"
            )));
        }
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Depth {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a dict, list, str, int, float, bool or None")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        i64::try_from(v)
            .map(Value::from)
            .map_err(|_| E::custom(format!("integer {v} is out of the 64-bit range")))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        u64::try_from(v)
            .map(Value::from)
            .map_err(|_| E::custom(format!("integer {v} is out of the 64-bit range")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("{v} is not a finite number")))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(v) = seq.next_element_seed(Depth(self.0 + 1))? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value_seed(Depth(self.0 + 1))?;
            out.insert(k, v);
        }
        Ok(Value::Object(out))
    }
}
