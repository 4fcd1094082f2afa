//! Gap aggregation with small-group protection (crate feature `aggregate`;
//! only in the full build, `kompetens/full` in browsers, and in the Node
//! build), through the core's `aggregate.*` operations: the same roll-up,
//! the same primary and secondary suppression and the same audit as in Rust
//! and Python.

use serde_json::Value;
use wasm_bindgen::prelude::*;

use kompetens::Error;

use crate::{finish, from_js, optional, Input, JsResult};

/// TypeScript declarations of the aggregation inputs (the outputs are
/// generated from the core's schemas into `schema-types.d.ts`).
#[wasm_bindgen(typescript_custom_section)]
const TS_AGGREGATE_TYPES: &str = include_str!("aggregate.d.ts");

#[wasm_bindgen]
extern "C" {
    /// Options of `aggregateGaps`.
    #[wasm_bindgen(typescript_type = "PublishOptions")]
    pub type PublishOptionsJs;
    /// Options of `auditPublication`.
    #[wasm_bindgen(typescript_type = "AuditOptions")]
    pub type AuditOptions;
    /// Options of `aggregateWaves`.
    #[wasm_bindgen(typescript_type = "WavesOptions")]
    pub type WavesOptions;
    /// Options of `trainingDemand`.
    #[wasm_bindgen(typescript_type = "TrainingDemandOptions")]
    pub type TrainingDemandOptions;
}

/// An input object whose keys become the operation's input (the core
/// rejects keys it does not know).
fn object(value: JsValue, location: &str) -> Result<Input, Error> {
    match from_js(value, location)? {
        Value::Object(map) => Ok(Input { map }),
        _ => Err(Error::Parse {
            format: "js".into(),
            location: location.into(),
            message: format!("the {location} must be an object"),
        }),
    }
}

/// Aggregate individual gaps over the organisation tree and publish the
/// protected long table: `data` is the organisation (`tree`) and its people
/// (`people` records, or `competences` + `levels` matrix + `units`, with
/// `framework`/`profiles` or `required`); `options` the protection
/// (`minGroup` 5, `suppression` `"secondary"`, `roleTable`,
/// `roleUnitTable`, `areas`, `top`). Withheld cells keep their keys, have
/// every number `null` and carry the reason in `suppressed`; the result's
/// `audit` says what an adversary could still determine.
#[wasm_bindgen(js_name = aggregateGaps, unchecked_return_type = "Publication")]
pub fn aggregate_gaps(
    #[wasm_bindgen(unchecked_param_type = "AggregateData")] data: JsValue,
    options: Option<PublishOptionsJs>,
) -> JsResult {
    finish((|| {
        object(data, "data")?
            .options(optional(options))?
            .run("aggregate.gaps")
    })())
}

/// Audit published rows: every withheld cell that an adversary can
/// determine exactly from the published numbers, the reasons and the
/// tree's additive relations. `publication` is a result of
/// `aggregateGaps` (its `minGroup` is used unless `options.minGroup` is
/// given) or a list of rows (`minGroup` default 5).
#[wasm_bindgen(js_name = auditPublication, unchecked_return_type = "AuditReport")]
pub fn audit_publication(
    #[wasm_bindgen(unchecked_param_type = "TreeSpec")] tree: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Publication | Row[]")] publication: JsValue,
    options: Option<AuditOptions>,
) -> JsResult {
    finish((|| {
        let mut input = Input::new().arg("tree", tree)?;
        match from_js(publication, "publication")? {
            Value::Object(mut p) => {
                let rows = p.remove("rows").ok_or_else(|| Error::MissingValue {
                    location: "publication.rows".into(),
                    what: "field \"rows\"".into(),
                })?;
                input.map.insert("rows".into(), rows);
                if let Some(k) = p.remove("minGroup") {
                    input.map.insert("minGroup".into(), k);
                }
            }
            rows @ Value::Array(_) => {
                input.map.insert("rows".into(), rows);
            }
            _ => {
                return Err(Error::Parse {
                    format: "js".into(),
                    location: "publication".into(),
                    message: "expected a publication or a list of rows".into(),
                })
            }
        }
        // `options.minGroup` overrides the publication's.
        let options = from_js(optional(options), "options")?;
        if let Value::Object(map) = options {
            for (k, v) in map {
                if k != "minGroup" {
                    return Err(Error::Parse {
                        format: "js".into(),
                        location: format!("options.{k}"),
                        message: format!("unknown option {k:?}"),
                    });
                }
                input.map.insert(k, v);
            }
        }
        input.run("aggregate.audit")
    })())
}

/// Compare two measurement waves of the same people: `waves` is
/// `{framework | competences, tree, before, after}` with people
/// `{id, unit, levels}`; `options` `{minGroup, suppression, perPerson}`.
/// Per unit and competence: share improved, unchanged and declined, the
/// paired Wilcoxon test and effect sizes; people who joined or left.
#[wasm_bindgen(js_name = aggregateWaves, unchecked_return_type = "WavePublication")]
pub fn aggregate_waves(
    #[wasm_bindgen(unchecked_param_type = "WavesInput")] waves: JsValue,
    options: Option<WavesOptions>,
) -> JsResult {
    finish((|| {
        object(waves, "waves")?
            .options(optional(options))?
            .run("aggregate.waves")
    })())
}

/// Training demand from aggregated gaps: `(competence, target level,
/// people, units)` lines with small groups protected together with the gap
/// table `aggregateGaps` publishes with the same `minGroup`, `suppression`,
/// `roleTable` and `areas` (`roleUnitTable: true` throws `invalid_value`
/// when the data has roles); with `options.catalogue`, a recommendation
/// per person and a per-unit plan.
#[wasm_bindgen(js_name = trainingDemand, unchecked_return_type = "TrainingDemand")]
pub fn training_demand(
    #[wasm_bindgen(unchecked_param_type = "AggregateData")] data: JsValue,
    options: Option<TrainingDemandOptions>,
) -> JsResult {
    finish((|| {
        object(data, "data")?
            .options(optional(options))?
            .run("aggregate.training_demand")
    })())
}
