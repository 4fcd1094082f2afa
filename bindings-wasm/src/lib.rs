//! WebAssembly bindings of kompetens: the JS package `kompetens`.
//!
//! The binding is thin. Every function converts its JavaScript arguments to
//! `serde_json::Value` (never straight to the core types: serde-wasm-bindgen
//! would ignore `deny_unknown_fields`), assembles the input object of one
//! operation of [`kompetens::api::call`], renames camelCase keys to
//! snake_case with [`kompetens::case::to_snake`], runs the operation, and
//! returns the result as plain JS objects with camelCase keys
//! ([`kompetens::case::to_camel`]). Every rule, every default and every input
//! check (unknown keys included) lives in the core.
//!
//! Errors are thrown as JS `Error` objects named `KompetensError` with the
//! core's stable `code`, its `category` and the `location` of the bad input.

use js_sys::Reflect;
use kompetens::case::{camel_to_snake, to_camel, to_snake};
use kompetens::Error;
use serde::Serialize;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

/// TypeScript declarations of the JSON shapes (camelCase), used by the
/// function signatures below.
#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = include_str!("types.d.ts");

#[wasm_bindgen]
extern "C" {
    /// Options of `loadFramework` (`format`).
    #[wasm_bindgen(typescript_type = "LoadFrameworkOptions")]
    pub type LoadFrameworkOptions;
    /// Options of `gapReport` and `reconcile` (`policy`).
    #[wasm_bindgen(typescript_type = "PolicyOptions")]
    pub type PolicyOptions;
    /// Options of `assessmentsFromCsv` (`form`, `source`).
    #[wasm_bindgen(typescript_type = "CsvOptions")]
    pub type CsvOptions;
}

/// Result of an exported function: the error is a thrown JS value.
type JsResult = Result<JsValue, JsValue>;

/// The core's error as a JS `Error` with `code`, `category` and `location`.
fn js_error(err: &Error) -> JsValue {
    let info = err.info();
    let e = js_sys::Error::new(&info.message);
    e.set_name("KompetensError");
    for (key, value) in [
        ("code", info.code),
        ("category", info.category),
        ("location", info.location.as_str()),
    ] {
        // Reflect.set on a fresh Error object cannot fail.
        let _ = Reflect::set(&e, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    e.into()
}

/// A JS value as JSON; `undefined` counts as absent (`null`).
fn from_js(value: JsValue, location: &str) -> Result<Value, Error> {
    if value.is_undefined() {
        return Ok(Value::Null);
    }
    serde_wasm_bindgen::from_value(value).map_err(|e| Error::Parse {
        format: "js".into(),
        location: location.to_string(),
        message: e.to_string(),
    })
}

/// JSON as plain JS objects and arrays (no `Map`s, no `BigInt`s).
fn to_js(value: &Value) -> JsResult {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_sys::Error::new(&e.to_string()).into())
}

/// The input object of one operation, built from the function arguments.
#[derive(Default)]
struct Input {
    map: Map<String, Value>,
}

impl Input {
    fn new() -> Self {
        Input::default()
    }

    /// A positional argument, stored under its (snake_case) key.
    fn arg(mut self, key: &str, value: JsValue) -> Result<Self, Error> {
        let v = from_js(value, key)?;
        self.map.insert(key.to_string(), v);
        Ok(self)
    }

    /// An options object: its keys join the input (the core rejects keys it
    /// does not know); a key that repeats a positional argument is refused.
    fn options(mut self, options: JsValue) -> Result<Self, Error> {
        match from_js(options, "options")? {
            Value::Null => Ok(self),
            Value::Object(map) => {
                for (k, v) in map {
                    if self.map.contains_key(&camel_to_snake(&k)) {
                        return Err(Error::Parse {
                            format: "js".into(),
                            location: format!("options.{k}"),
                            message: format!("unknown option {k:?}"),
                        });
                    }
                    self.map.insert(k, v);
                }
                Ok(self)
            }
            _ => Err(Error::Parse {
                format: "js".into(),
                location: "options".into(),
                message: "the options must be an object".into(),
            }),
        }
    }

    /// Run the operation and convert its result for JS.
    fn run(self, op: &str) -> Result<Value, Error> {
        let out = kompetens::api::call(op, to_snake(Value::Object(self.map)))?;
        Ok(to_camel(out))
    }
}

/// An optional argument as a JS value (`undefined` when absent).
fn optional<T: Into<JsValue>>(value: Option<T>) -> JsValue {
    value.map_or(JsValue::UNDEFINED, Into::into)
}

/// Run a fallible step and hand the result (or a thrown error) to JS.
fn finish(result: Result<Value, Error>) -> JsResult {
    match result {
        Ok(v) => to_js(&v),
        Err(e) => Err(js_error(&e)),
    }
}

/// A built-in framework (`"digcomp-2.2"`, `"digcomp-3.0"`).
#[wasm_bindgen(js_name = builtinFramework, unchecked_return_type = "Framework")]
pub fn builtin_framework(
    #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
) -> JsResult {
    finish((|| {
        Input::new().arg("name", name)?.run("framework.builtin")
    })())
}

/// A custom framework, validated: a framework object, or JSON/TOML text
/// (`options.format`: `"json"`, the default, or `"toml"`).
#[wasm_bindgen(js_name = loadFramework, unchecked_return_type = "Framework")]
pub fn load_framework(
    #[wasm_bindgen(js_name = frameworkOrText, unchecked_param_type = "Framework | string")]
    framework_or_text: JsValue,
    options: Option<LoadFrameworkOptions>,
) -> JsResult {
    finish((|| {
        let key = if framework_or_text.is_string() {
            "text"
        } else {
            "framework"
        };
        Input::new()
            .arg(key, framework_or_text)?
            .options(optional(options))?
            .run("framework.load")
    })())
}

/// The effective profile of `role` in a set of role profiles (a list or
/// `{profiles: [...]}`), with inheritance (`extends`) resolved.
#[wasm_bindgen(js_name = resolveProfile, unchecked_return_type = "EffectiveProfile")]
pub fn resolve_profile(
    #[wasm_bindgen(unchecked_param_type = "FrameworkRef")] framework: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ProfileSetInput")] profiles: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] role: JsValue,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("framework", framework)?
            .arg("profiles", profiles)?
            .arg("role", role)?
            .run("profiles.resolve")
    })())
}

/// A person's gap report against a profile (a standalone role profile or an
/// effective profile from `resolveProfile`). `ratings` is
/// `{competenceId: level}` or a list of ratings with sources;
/// `options.policy` reconciles several ratings of one competence.
#[wasm_bindgen(js_name = gapReport, unchecked_return_type = "GapReport")]
pub fn gap_report(
    #[wasm_bindgen(unchecked_param_type = "FrameworkRef")] framework: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RoleProfile | EffectiveProfile")] profile: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Ratings")] ratings: JsValue,
    options: Option<PolicyOptions>,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("framework", framework)?
            .arg("profile", profile)?
            .arg("ratings", ratings)?
            .options(optional(options))?
            .run("gap_report")
    })())
}

/// One level per rated competence (framework order), chosen by
/// `options.policy` where several sources rated it.
#[wasm_bindgen(unchecked_return_type = "ReconciledLevel[]")]
pub fn reconcile(
    #[wasm_bindgen(unchecked_param_type = "FrameworkRef")] framework: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Ratings")] ratings: JsValue,
    options: Option<PolicyOptions>,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("framework", framework)?
            .arg("ratings", ratings)?
            .options(optional(options))?
            .run("reconcile")
    })())
}

/// How self and manager ratings differ, per competence.
#[wasm_bindgen(unchecked_return_type = "CalibrationReport")]
pub fn calibration(
    #[wasm_bindgen(unchecked_param_type = "FrameworkRef")] framework: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Assessment[]")] assessments: JsValue,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("framework", framework)?
            .arg("assessments", assessments)?
            .run("calibration")
    })())
}

/// Assessments from CSV text in long or wide form (`options.form`), with
/// `options.source` for files without a source column.
#[wasm_bindgen(js_name = assessmentsFromCsv, unchecked_return_type = "Assessment[]")]
pub fn assessments_from_csv(
    #[wasm_bindgen(unchecked_param_type = "FrameworkRef")] framework: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    options: CsvOptions,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("framework", framework)?
            .arg("text", text)?
            .options(options.into())?
            .run("assessments.from_csv")
    })())
}

/// A reconciliation policy (`"prefer:manager,test,self"`, `"max"`, `"min"`,
/// `"only:manager"`, or an object) in its object form, checked.
#[wasm_bindgen(js_name = parsePolicy, unchecked_return_type = "PolicyObject")]
pub fn parse_policy(#[wasm_bindgen(unchecked_param_type = "Policy")] policy: JsValue) -> JsResult {
    finish((|| Input::new().arg("policy", policy)?.run("policy.parse"))())
}

/// Any operation of the core's JSON façade by name (`"gap_report"`,
/// `"profiles.resolve"`, …), with a camelCase input object.
#[wasm_bindgen(unchecked_return_type = "any")]
pub fn call(
    #[wasm_bindgen(unchecked_param_type = "string")] op: JsValue,
    #[wasm_bindgen(unchecked_param_type = "object")] input: JsValue,
) -> JsResult {
    finish((|| {
        let op = op.as_string().ok_or_else(|| Error::Parse {
            format: "js".into(),
            location: "op".into(),
            message: "the operation name must be a string".into(),
        })?;
        let input = from_js(input, "$")?;
        Ok(to_camel(kompetens::api::call(&op, to_snake(input))?))
    })())
}

/// Rename field keys to camelCase (keys of data maps such as language maps
/// and `{competenceId: level}` ratings are left alone).
#[wasm_bindgen(js_name = toCamel, unchecked_return_type = "any")]
pub fn to_camel_case(#[wasm_bindgen(unchecked_param_type = "any")] value: JsValue) -> JsResult {
    finish(from_js(value, "$").map(to_camel))
}

/// Rename field keys to snake_case, the shape of the JSON files and of the
/// other languages (data-map keys are left alone).
#[wasm_bindgen(js_name = toSnake, unchecked_return_type = "any")]
pub fn to_snake_case(#[wasm_bindgen(unchecked_param_type = "any")] value: JsValue) -> JsResult {
    finish(from_js(value, "$").map(to_snake))
}

/// Library version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
