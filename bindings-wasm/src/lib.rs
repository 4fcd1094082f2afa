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
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

#[cfg(feature = "aggregate")]
mod aggregate;
mod chart;
#[cfg(feature = "maturity")]
mod maturity;
mod scorer;

/// TypeScript declarations of the JSON shapes (camelCase), used by the
/// function signatures below.
#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = include_str!("types.d.ts");

/// TypeScript declarations generated from the core's JSON Schemas
/// (`core/schemas/`): instruments, score reports, reliability, DSI
/// thresholds, maturity models and results. `tests/types.test.mjs` checks
/// that they are current.
#[wasm_bindgen(typescript_custom_section)]
const TS_SCHEMA_TYPES: &str = include_str!("schema-types.d.ts");

#[wasm_bindgen]
extern "C" {
    /// Options of `loadFramework` (`format`).
    #[wasm_bindgen(typescript_type = "LoadFrameworkOptions")]
    pub type LoadFrameworkOptions;
    /// Options of `gapReport` and `reconcile` (`policy`).
    #[wasm_bindgen(typescript_type = "PolicyOptions")]
    pub type PolicyOptions;
    /// Options of `assessmentsFromCsv` (`form`, `source`).
    #[cfg(feature = "csv")]
    #[wasm_bindgen(typescript_type = "CsvOptions")]
    pub type CsvOptions;
    /// Options of `loadInstrument`, `loadMaturityModel` (`format`).
    #[wasm_bindgen(typescript_type = "FormatOptions")]
    pub type FormatOptions;
    /// Options of `scoreSurvey` and `scoreAnswers`.
    #[wasm_bindgen(typescript_type = "ScoreOptions")]
    pub type ScoreOptions;
    /// Options of `surveyAssessments`.
    #[wasm_bindgen(typescript_type = "SurveyAssessmentOptions")]
    pub type SurveyAssessmentOptions;
    /// Options of `surveyLevels` (`strategy`).
    #[wasm_bindgen(typescript_type = "LevelOptions")]
    pub type LevelOptions;
    /// Options of `cronbachAlpha`.
    #[cfg(feature = "stats")]
    #[wasm_bindgen(typescript_type = "AlphaOptions")]
    pub type AlphaOptions;
    /// Options of `interpolatedMedian` (`interval`).
    #[cfg(feature = "stats")]
    #[wasm_bindgen(typescript_type = "MedianOptions")]
    pub type MedianOptions;
    /// Options of `wilcoxon` and `wilcoxonDifferences`.
    #[cfg(feature = "stats")]
    #[wasm_bindgen(typescript_type = "WilcoxonOptions")]
    pub type WilcoxonOptions;
    /// Options of `pairedT`.
    #[cfg(feature = "stats")]
    #[wasm_bindgen(typescript_type = "PairedTOptions")]
    pub type PairedTOptions;
    /// Options of `paired`.
    #[cfg(feature = "stats")]
    #[wasm_bindgen(typescript_type = "PairedOptions")]
    pub type PairedOptions;
    /// Options of `dsiClassify` (`thresholds`).
    #[cfg(feature = "dsi")]
    #[wasm_bindgen(typescript_type = "DsiClassifyOptions")]
    pub type DsiClassifyOptions;
    /// Options of `dsiSummarise` (`weights`, `thresholds`).
    #[cfg(feature = "dsi")]
    #[wasm_bindgen(typescript_type = "DsiSummariseOptions")]
    pub type DsiSummariseOptions;
}

/// Result of an exported function: the error is a thrown JS value.
type JsResult = Result<JsValue, JsValue>;

/// The core's error as a JS `Error` with `code`, `category` and `location`
/// (and `details` when the core gives structured details).
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
    // every out-of-scale answer, for example (`details.answers`)
    if let Some(details) = &info.details {
        if let Ok(v) = to_js(&to_camel(details.clone())) {
            let _ = Reflect::set(&e, &JsValue::from_str("details"), &v);
        }
    }
    e.into()
}

/// A JS value as JSON; `undefined` counts as absent (`null`).
///
/// The value crosses into WebAssembly as JSON text (`JSON.stringify`, which
/// V8 and the other engines do natively and fast, then `serde_json`): much
/// faster than walking the object graph through wasm-bindgen, and it keeps
/// every input check in the core (unknown keys included: TOOLCHAIN.md
/// pitfall 6). JSON semantics apply: `undefined` members are absent, `NaN`
/// and infinities become `null` (missing). A typed array or a `Map` given as
/// an argument itself is taken as an array or an object.
fn from_js(value: JsValue, location: &str) -> Result<Value, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(Value::Null);
    }
    let bad = |message: String| Error::Parse {
        format: "js".into(),
        location: location.to_string(),
        message,
    };
    let value = if js_sys::ArrayBuffer::is_view(&value) {
        js_sys::Array::from(&value).into()
    } else if value.is_instance_of::<js_sys::Map>() {
        js_sys::Object::from_entries(&value)
            .map_err(|e| bad(js_message(&e)))?
            .into()
    } else {
        value
    };
    // `JSON.stringify` gives `undefined` for functions and symbols
    let text = js_sys::JSON::stringify(&value)
        .map_err(|e| bad(js_message(&e)))?
        .as_string()
        .ok_or_else(|| bad("not representable as JSON".into()))?;
    serde_json::from_str(&text).map_err(|e| bad(e.to_string()))
}

/// The message of a thrown JS value.
fn js_message(err: &JsValue) -> String {
    err.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| err.as_string())
        .unwrap_or_else(|| "not representable as JSON".to_string())
}

/// JSON as plain JS objects and arrays (`JSON.parse` of `serde_json`'s text).
fn to_js(value: &Value) -> JsResult {
    let text = serde_json::to_string(value).map_err(|e| js_sys::Error::new(&e.to_string()))?;
    js_sys::JSON::parse(&text)
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
/// Run a `*.load`-style op whose document is either an object (under
/// `object_key`) or JSON/TOML text (under `text`, format in `options`).
fn load_document(value: JsValue, object_key: &str, options: JsValue, op: &str) -> JsResult {
    let key = if value.is_string() {
        "text"
    } else {
        object_key
    };
    finish((|| Input::new().arg(key, value)?.options(options)?.run(op))())
}

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
    load_document(
        framework_or_text,
        "framework",
        optional(options),
        "framework.load",
    )
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
#[cfg(feature = "csv")]
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

/// A survey instrument, validated: an instrument object, or JSON text.
#[wasm_bindgen(js_name = loadInstrument, unchecked_return_type = "Instrument")]
pub fn load_instrument(
    #[wasm_bindgen(js_name = instrumentOrText, unchecked_param_type = "Instrument | string")]
    instrument_or_text: JsValue,
    options: Option<FormatOptions>,
) -> JsResult {
    load_document(
        instrument_or_text,
        "instrument",
        optional(options),
        "survey.instrument",
    )
}

/// Score a response table (`{items, rows, ids?}`, `null` = missing answer):
/// per respondent a score on [0, 1], percent, level and label per target
/// and per area.
#[wasm_bindgen(js_name = scoreSurvey, unchecked_return_type = "ScoreReport")]
pub fn score_survey(
    #[wasm_bindgen(unchecked_param_type = "Instrument")] instrument: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ResponseTable")] responses: JsValue,
    options: Option<ScoreOptions>,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("instrument", instrument)?
            .arg("responses", responses)?
            .options(optional(options))?
            .run("survey.score")
    })())
}

/// Score one respondent's answers `{itemId: value}` (a form): the same
/// report as `scoreSurvey`, with one respondent. For many calls with one
/// instrument, `new Scorer(instrument, options).score(answers)` validates
/// the instrument once.
#[wasm_bindgen(js_name = scoreAnswers, unchecked_return_type = "ScoreReport")]
pub fn score_answers(
    #[wasm_bindgen(unchecked_param_type = "Instrument")] instrument: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Answers")] answers: JsValue,
    options: Option<ScoreOptions>,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("instrument", instrument)?
            .arg("answers", answers)?
            .options(optional(options))?
            .run("survey.score")
    })())
}

/// Survey scores as assessments (one per respondent, ratings with source
/// `options.source`, `self` by default) for `gapReport` and `calibration`.
#[wasm_bindgen(js_name = surveyAssessments, unchecked_return_type = "Assessment[]")]
pub fn survey_assessments(
    #[wasm_bindgen(unchecked_param_type = "Instrument")] instrument: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ResponseTable")] responses: JsValue,
    options: Option<SurveyAssessmentOptions>,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("instrument", instrument)?
            .arg("responses", responses)?
            .options(optional(options))?
            .run("survey.assessments")
    })())
}

/// Levels of scores on [0, 1] (`null` = missing) by `options.strategy`
/// (`"digcompsat"`, the default, `"floor8"`, or threshold bands).
#[wasm_bindgen(js_name = surveyLevels, unchecked_return_type = "ScoreLevel[]")]
pub fn survey_levels(
    #[wasm_bindgen(unchecked_param_type = "(number | null)[]")] scores: JsValue,
    options: Option<LevelOptions>,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("scores", scores)?
            .options(optional(options))?
            .run("survey.levels")
    })())
}

/// Cronbach's α (raw and standardised, Feldt CI) with item statistics, from
/// rows of answers (respondents × items, `null` = missing).
#[cfg(feature = "stats")]
#[wasm_bindgen(js_name = cronbachAlpha, unchecked_return_type = "Reliability")]
pub fn cronbach_alpha(
    #[wasm_bindgen(unchecked_param_type = "(number | null)[][]")] rows: JsValue,
    options: Option<AlphaOptions>,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("data", rows)?
            .options(optional(options))?
            .run("stats.cronbach_alpha")
    })())
}

/// Interpolated (grouped) median of ordinal answers (`null` = missing).
#[cfg(feature = "stats")]
#[wasm_bindgen(js_name = interpolatedMedian, unchecked_return_type = "MedianResult")]
pub fn interpolated_median(
    #[wasm_bindgen(unchecked_param_type = "(number | null)[]")] values: JsValue,
    options: Option<MedianOptions>,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("values", values)?
            .options(optional(options))?
            .run("stats.interpolated_median")
    })())
}

/// Top-box, top-2-box, bottom-box and bottom-2-box shares on a scale.
#[cfg(feature = "stats")]
#[wasm_bindgen(js_name = topBox, unchecked_return_type = "TopBox")]
pub fn top_box(
    #[wasm_bindgen(unchecked_param_type = "(number | null)[]")] values: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ScaleRange")] scale: JsValue,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("values", values)?
            .arg("scale", scale)?
            .run("stats.top_box")
    })())
}

/// Counts and shares of each value of a whole-number scale.
#[cfg(feature = "stats")]
#[wasm_bindgen(unchecked_return_type = "Distribution")]
pub fn distribution(
    #[wasm_bindgen(unchecked_param_type = "(number | null)[]")] values: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ScaleRange")] scale: JsValue,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("values", values)?
            .arg("scale", scale)?
            .run("stats.distribution")
    })())
}

/// Wilcoxon signed-rank test of paired samples (`after − before`), as
/// `scipy.stats.wilcoxon` computes it, with the rank-biserial correlation.
#[cfg(feature = "stats")]
#[wasm_bindgen(unchecked_return_type = "WilcoxonResult")]
pub fn wilcoxon(
    #[wasm_bindgen(unchecked_param_type = "(number | null)[]")] before: JsValue,
    #[wasm_bindgen(unchecked_param_type = "(number | null)[]")] after: JsValue,
    options: Option<WilcoxonOptions>,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("before", before)?
            .arg("after", after)?
            .options(optional(options))?
            .run("stats.wilcoxon")
    })())
}

/// Wilcoxon signed-rank test of differences (scipy's `wilcoxon(d)`).
#[cfg(feature = "stats")]
#[wasm_bindgen(js_name = wilcoxonDifferences, unchecked_return_type = "WilcoxonResult")]
pub fn wilcoxon_differences(
    #[wasm_bindgen(unchecked_param_type = "(number | null)[]")] differences: JsValue,
    options: Option<WilcoxonOptions>,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("differences", differences)?
            .options(optional(options))?
            .run("stats.wilcoxon")
    })())
}

/// Paired t-test (`after − before`) with CI and `d_z`.
#[cfg(feature = "stats")]
#[wasm_bindgen(js_name = pairedT, unchecked_return_type = "PairedT")]
pub fn paired_t(
    #[wasm_bindgen(unchecked_param_type = "(number | null)[]")] before: JsValue,
    #[wasm_bindgen(unchecked_param_type = "(number | null)[]")] after: JsValue,
    options: Option<PairedTOptions>,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("before", before)?
            .arg("after", after)?
            .options(optional(options))?
            .run("stats.paired_t")
    })())
}

/// The same people in two waves: means, paired t-test, Wilcoxon test and
/// effect sizes in one result.
#[cfg(feature = "stats")]
#[wasm_bindgen(unchecked_return_type = "PairedComparison")]
pub fn paired(
    #[wasm_bindgen(unchecked_param_type = "(number | null)[]")] before: JsValue,
    #[wasm_bindgen(unchecked_param_type = "(number | null)[]")] after: JsValue,
    options: Option<PairedOptions>,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("before", before)?
            .arg("after", after)?
            .options(optional(options))?
            .run("stats.paired")
    })())
}

/// Eurostat DSI 2.0 of one person from activity counts per area (5 numbers
/// in area order, an object by area, or `null` = not assessed).
#[cfg(feature = "dsi")]
#[wasm_bindgen(js_name = dsiClassify, unchecked_return_type = "DsiResult")]
pub fn dsi_classify(
    #[wasm_bindgen(unchecked_param_type = "DsiCounts")] counts: JsValue,
    options: Option<DsiClassifyOptions>,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("counts", counts)?
            .options(optional(options))?
            .run("dsi.classify")
    })())
}

/// DSI population summary: shares per category and the "at least basic"
/// share, optionally weighted. `table` is a list of activity counts (one
/// per person) or a list of DSI categories.
#[cfg(feature = "dsi")]
#[wasm_bindgen(js_name = dsiSummarise, unchecked_return_type = "DsiSummary")]
pub fn dsi_summarise(
    #[wasm_bindgen(unchecked_param_type = "DsiCounts[] | DsiCategory[]")] table: JsValue,
    options: Option<DsiSummariseOptions>,
) -> JsResult {
    finish((|| {
        let table = from_js(table, "table")?;
        let categories = matches!(&table, Value::Array(rows)
            if !rows.is_empty() && rows.iter().all(Value::is_string));
        let key = if categories {
            "categories"
        } else {
            "counts_table"
        };
        let mut input = Input::new();
        input.map.insert(key.to_string(), table);
        input.options(optional(options))?.run("dsi.summarise")
    })())
}

/// Eurostat's default DSI thresholds (activities per area for basic and
/// above basic).
#[cfg(feature = "dsi")]
#[wasm_bindgen(js_name = dsiThresholds, unchecked_return_type = "DsiThresholds")]
pub fn dsi_thresholds() -> JsResult {
    finish(Input::new().run("dsi.thresholds"))
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
