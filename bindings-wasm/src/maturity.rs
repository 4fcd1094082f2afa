//! Digital maturity (crate feature `maturity`; only in the full build,
//! `kompetens/full` in browsers, and in the Node build): DiMiOS and the EU
//! DMA for public sector organisations, through the core's `maturity.*` and
//! `dma.*` operations.

use wasm_bindgen::prelude::*;

use crate::{finish, from_js, optional, Input, JsResult};

#[wasm_bindgen]
extern "C" {
    /// Options of `scoreMaturity`.
    #[wasm_bindgen(typescript_type = "ScoreMaturityOptions")]
    pub type ScoreMaturityOptions;
    /// Options with maturity `settings`.
    #[wasm_bindgen(typescript_type = "MaturitySettingsOptions")]
    pub type MaturitySettingsOptions;
    /// Options of `overallFromDimensions`.
    #[wasm_bindgen(typescript_type = "OverallOptions")]
    pub type OverallOptions;
    /// Options of `benchmarkMaturity` (`organisation`).
    #[wasm_bindgen(typescript_type = "BenchmarkOptions")]
    pub type BenchmarkOptions;
    /// Options of `scoreDma` (`model`, `settings`).
    #[wasm_bindgen(typescript_type = "DmaOptions")]
    pub type DmaOptions;
}

/// A built-in maturity model (`"dimios"`, `"edih-dma-pso"`).
#[wasm_bindgen(js_name = maturityBuiltin, unchecked_return_type = "MaturityModel")]
pub fn maturity_builtin(
    #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
) -> JsResult {
    finish((|| Input::new().arg("name", name)?.run("maturity.builtin"))())
}

/// A maturity model, validated: a model object, or JSON text.
#[wasm_bindgen(js_name = loadMaturityModel, unchecked_return_type = "MaturityModel")]
pub fn load_maturity_model(
    #[wasm_bindgen(js_name = modelOrText, unchecked_param_type = "MaturityModel | string")]
    model_or_text: JsValue,
    options: Option<crate::FormatOptions>,
) -> JsResult {
    crate::load_document(model_or_text, "model", optional(options), "maturity.load")
}

/// Maturity item-scoring settings with every default filled in.
#[wasm_bindgen(js_name = maturitySettings, unchecked_return_type = "MaturitySettings")]
pub fn maturity_settings(
    #[wasm_bindgen(unchecked_param_type = "Partial<MaturitySettings>")] settings: JsValue,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("settings", settings)?
            .run("maturity.settings")
    })())
}

/// The model's example instrument (DiMiOS: one statement per capability in
/// our own words, `example: true`; not the official questionnaire).
#[wasm_bindgen(js_name = maturityExampleInstrument, unchecked_return_type = "MaturityInstrument")]
pub fn maturity_example_instrument(
    #[wasm_bindgen(unchecked_param_type = "MaturityModelRef")] model: JsValue,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("model", model)?
            .run("maturity.example_instrument")
    })())
}

/// The model's current items as an instrument.
#[wasm_bindgen(js_name = maturityInstrument, unchecked_return_type = "MaturityInstrument")]
pub fn maturity_instrument(
    #[wasm_bindgen(unchecked_param_type = "MaturityModelRef")] model: JsValue,
) -> JsResult {
    finish((|| {
        Input::new().arg("model", model)?.run("maturity.instrument")
    })())
}

/// The model with its items replaced by an instrument's (e.g. licensed
/// statements mapped to capabilities).
#[wasm_bindgen(js_name = maturityWithInstrument, unchecked_return_type = "MaturityModel")]
pub fn maturity_with_instrument(
    #[wasm_bindgen(unchecked_param_type = "MaturityModelRef")] model: JsValue,
    #[wasm_bindgen(unchecked_param_type = "MaturityInstrument")] instrument: JsValue,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("model", model)?
            .arg("instrument", instrument)?
            .run("maturity.with_instrument")
    })())
}

/// Score one measurement: responses `{items, rows, units?}` (respondents ×
/// item ids, `null` = missing) → capabilities, categories, dimensions,
/// overall, type, weakest and strongest; per unit with `options.units`
/// (or `responses.units`) and `options.tree`.
#[wasm_bindgen(js_name = scoreMaturity, unchecked_return_type = "MeasurementResult")]
pub fn score_maturity(
    #[wasm_bindgen(unchecked_param_type = "MaturityModelRef")] model: JsValue,
    #[wasm_bindgen(unchecked_param_type = "MaturityResponses")] responses: JsValue,
    options: Option<ScoreMaturityOptions>,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("model", model)?
            .arg("responses", responses)?
            .options(optional(options))?
            .run("maturity.score")
    })())
}

/// The maturity type (DiMiOS A–D) of dimension results: a list
/// `[{id, percentage}]` or a measurement result. `null` when the model has
/// no classification.
#[wasm_bindgen(js_name = classifyMaturity, unchecked_return_type = "TypeResult | null")]
pub fn classify_maturity(
    #[wasm_bindgen(unchecked_param_type = "MaturityModelRef")] model: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DimensionValue[] | MeasurementResult | ResultSummary")]
    dimensions: JsValue,
    options: Option<MaturitySettingsOptions>,
) -> JsResult {
    finish((|| {
        let dims = from_js(dimensions, "dimensions")?;
        let key = if dims.is_object() {
            "result"
        } else {
            "dimensions"
        };
        let mut input = Input::new().arg("model", model)?;
        input.map.insert(key.to_string(), dims);
        input.options(optional(options))?.run("maturity.classify")
    })())
}

/// Overall result, type and band from dimension percentages (e.g. published
/// figures), with the interval of possible overall values when the inputs
/// were rounded (`options.inputsRoundedToDecimals`).
#[wasm_bindgen(js_name = overallFromDimensions, unchecked_return_type = "OverallFromDimensions")]
pub fn overall_from_dimensions(
    #[wasm_bindgen(unchecked_param_type = "MaturityModelRef")] model: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DimensionValue[]")] dimensions: JsValue,
    options: Option<OverallOptions>,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("model", model)?
            .arg("dimensions", dimensions)?
            .options(optional(options))?
            .run("maturity.overall_from_dimensions")
    })())
}

/// Change between two measurements, per category and overall, in
/// percentage points.
#[wasm_bindgen(js_name = compareMaturity, unchecked_return_type = "Comparison")]
pub fn compare_maturity(
    #[wasm_bindgen(unchecked_param_type = "MeasurementResult | ResultSummary")] current: JsValue,
    #[wasm_bindgen(unchecked_param_type = "MeasurementResult | ResultSummary")] previous: JsValue,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("current", current)?
            .arg("previous", previous)?
            .run("maturity.compare")
    })())
}

/// Peer benchmark: the mean of peers of the same organisation type per
/// category, the difference and the percentile rank.
#[wasm_bindgen(js_name = benchmarkMaturity, unchecked_return_type = "Benchmark")]
pub fn benchmark_maturity(
    #[wasm_bindgen(unchecked_param_type = "MeasurementResult | ResultSummary")] result: JsValue,
    #[wasm_bindgen(js_name = organisationType, unchecked_param_type = "string")]
    organisation_type: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Peer[]")] peers: JsValue,
    options: Option<BenchmarkOptions>,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("result", result)?
            .arg("type", organisation_type)?
            .arg("peers", peers)?
            .options(optional(options))?
            .run("maturity.benchmark")
    })())
}

/// Score the EU Digital Maturity Assessment questionnaire (model
/// `edih-dma-pso` unless `options.model`), per dimension 0–100 with the
/// overall mean and band.
#[wasm_bindgen(js_name = scoreDma, unchecked_return_type = "DmaResult")]
pub fn score_dma(
    #[wasm_bindgen(unchecked_param_type = "DmaAnswer[]")] answers: JsValue,
    options: Option<DmaOptions>,
) -> JsResult {
    finish((|| {
        Input::new()
            .arg("answers", answers)?
            .options(optional(options))?
            .run("dma.score")
    })())
}

/// DMA questionnaire settings with every default filled in.
#[wasm_bindgen(js_name = dmaSettings, unchecked_return_type = "DmaSettings")]
pub fn dma_settings(
    #[wasm_bindgen(unchecked_param_type = "Partial<DmaSettings>")] settings: JsValue,
) -> JsResult {
    finish((|| {
        Input::new().arg("settings", settings)?.run("dma.settings")
    })())
}
