//! Charts as SVG text (the core's `chart.*` operations): each takes a
//! generic spec or a domain result as its first argument and options
//! (`lang`, `width`, `title`, `desc`, `id`, plus the converter's own
//! options) as its second, and returns the SVG as a string —
//! byte-identical to what Rust and Python draw for the same input.
//! `radarChart` is in every build (the self-assessment form needs it); the
//! heatmap, DiMiOS and change charts only in the full build
//! (`kompetens/full`, Node), with the features they draw.

use kompetens::case::{camel_to_snake, to_snake};
use kompetens::Error;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

use crate::{from_js, js_error, optional};

#[wasm_bindgen]
extern "C" {
    /// Options of `radarChart`.
    #[wasm_bindgen(typescript_type = "RadarChartOptions")]
    pub type RadarChartOptions;
    /// Options of `heatmapChart`.
    #[wasm_bindgen(typescript_type = "HeatmapChartOptions")]
    pub type HeatmapChartOptions;
    /// Options of `dimiosQuadrantChart`.
    #[wasm_bindgen(typescript_type = "QuadrantChartOptions")]
    pub type QuadrantChartOptions;
    /// Options of `dimiosSpiderChart`.
    #[wasm_bindgen(typescript_type = "SpiderChartOptions")]
    pub type SpiderChartOptions;
    /// Options of `changeChart`.
    #[wasm_bindgen(typescript_type = "ChangeChartOptions")]
    pub type ChangeChartOptions;
}

/// Keys of the options that are chart options (the rest go to the
/// converter).
const CHART_OPTIONS: &[&str] = &["lang", "width", "title", "desc", "id"];

/// Draw: `data` goes under the input key whose marker key (camelCase) it
/// has, else under `fallback`; the options are split into chart options and
/// converter arguments.
fn draw(
    op: &str,
    data: JsValue,
    options: JsValue,
    markers: &[(&str, &str)],
    fallback: &str,
) -> Result<JsValue, JsValue> {
    let run = || -> Result<String, Error> {
        let data = from_js(data, "data")?;
        let key = match &data {
            Value::Object(map) => markers
                .iter()
                .find(|(marker, _)| map.contains_key(*marker))
                .map(|(_, key)| *key)
                .unwrap_or(fallback),
            _ => fallback,
        };
        let mut input = Map::new();
        let mut chart = Map::new();
        match from_js(options, "options")? {
            Value::Null => {}
            Value::Object(map) => {
                for (k, v) in map {
                    if CHART_OPTIONS.contains(&k.as_str()) {
                        chart.insert(k, v);
                    } else {
                        input.insert(camel_to_snake(&k), v);
                    }
                }
            }
            _ => {
                return Err(Error::Parse {
                    format: "js".into(),
                    location: "options".into(),
                    message: "the options must be an object".into(),
                })
            }
        }
        // a gap report names its framework: the default for the radar
        if key == "gap_report" && !input.contains_key("framework") {
            if let Some(fw) = data.get("framework") {
                input.insert("framework".into(), fw.clone());
            }
        }
        input.insert(key.to_string(), data);
        input.insert("options".into(), Value::Object(chart));
        match kompetens::api::call(op, to_snake(Value::Object(input)))? {
            Value::String(svg) => Ok(svg),
            // never: every chart operation returns the SVG text. Not
            // `other.to_string()`: `Value`'s `Display` would link serde_json's
            // io adapter and pretty printer into the form build.
            other => Ok(serde_json::to_string(&other).unwrap_or_default()),
        }
    };
    match run() {
        Ok(svg) => Ok(JsValue::from_str(&svg)),
        Err(e) => Err(js_error(&e)),
    }
}

/// Competence radar as SVG: a radar spec (`{axes, min?, max, series}`) or a
/// gap report, drawn per `options.by` (`"area"`, the default, or
/// `"competence"`) against `options.framework` (default: the report's
/// framework by name); `options.extra` adds series of levels by competence
/// (`[{levels, label?, kind?}]`).
#[wasm_bindgen(js_name = radarChart, unchecked_return_type = "string")]
pub fn radar_chart(
    #[wasm_bindgen(unchecked_param_type = "RadarSpec | GapReport")] data: JsValue,
    options: Option<RadarChartOptions>,
) -> Result<JsValue, JsValue> {
    draw(
        "chart.radar",
        data,
        optional(options),
        &[("axes", "spec"), ("gaps", "gap_report")],
        "spec",
    )
}

/// Gap heatmap as SVG: a heatmap spec (`{rows, columns, metric?, max?,
/// cells}`) or a published aggregation (`{rows, …}` of `aggregate.gaps`;
/// full build) with `options.metric` (`"coverage"`, `"meanShortfall"`),
/// `scope`, `by`, `role`, `unitNames`, `framework`. Withheld cells are
/// hatched and labelled `–`, never drawn as zero.
#[cfg(feature = "aggregate")]
#[wasm_bindgen(js_name = heatmapChart, unchecked_return_type = "string")]
pub fn heatmap_chart(
    #[wasm_bindgen(unchecked_param_type = "HeatmapSpec | object")] data: JsValue,
    options: Option<HeatmapChartOptions>,
) -> Result<JsValue, JsValue> {
    draw(
        "chart.heatmap",
        data,
        optional(options),
        &[("cells", "spec")],
        "publication",
    )
}

/// DiMiOS quadrant as SVG: a quadrant spec (`{xLabel, yLabel, cutX?, cutY?,
/// types?, points}`) or a maturity result (full build) with
/// `options.peers` (`[{id, result}]`), `model` (default `"dimios"`),
/// `settings`, `label`.
#[cfg(feature = "maturity")]
#[wasm_bindgen(js_name = dimiosQuadrantChart, unchecked_return_type = "string")]
pub fn dimios_quadrant_chart(
    #[wasm_bindgen(unchecked_param_type = "QuadrantSpec | MeasurementResult")] data: JsValue,
    options: Option<QuadrantChartOptions>,
) -> Result<JsValue, JsValue> {
    draw(
        "chart.dimios_quadrant",
        data,
        optional(options),
        &[("points", "spec")],
        "result",
    )
}

/// DiMiOS spider as SVG: a spider spec (`{axes, series}`, percentages), a
/// maturity result with `options.peers` (other results; full build), or a
/// peer benchmark (`benchmarkMaturity`); `options.model`, `label`.
#[cfg(feature = "maturity")]
#[wasm_bindgen(js_name = dimiosSpiderChart, unchecked_return_type = "string")]
pub fn dimios_spider_chart(
    #[wasm_bindgen(unchecked_param_type = "SpiderSpec | MeasurementResult | object")] data: JsValue,
    options: Option<SpiderChartOptions>,
) -> Result<JsValue, JsValue> {
    draw(
        "chart.dimios_spider",
        data,
        optional(options),
        &[("series", "spec"), ("nPeers", "benchmark")],
        "result",
    )
}

/// Change between two waves as SVG: a change spec (`{items, before, after,
/// withheld?, unit?, min?, max?}`), a published wave comparison
/// (`aggregate.waves`; `options.unit`, `scope`, `by`, `framework`) or a
/// maturity comparison (`compareMaturity`; `options.by`, `model`); both
/// full build. `options.beforeLabel`, `afterLabel` name the waves.
#[cfg(any(feature = "aggregate", feature = "maturity"))]
#[wasm_bindgen(js_name = changeChart, unchecked_return_type = "string")]
pub fn change_chart(
    #[wasm_bindgen(unchecked_param_type = "ChangeSpec | object")] data: JsValue,
    options: Option<ChangeChartOptions>,
) -> Result<JsValue, JsValue> {
    draw(
        "chart.change",
        data,
        optional(options),
        &[("items", "spec"), ("movements", "waves")],
        "comparison",
    )
}
