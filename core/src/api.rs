//! The JSON-level façade: one function per operation, JSON value in, JSON
//! value out. The Python and JavaScript bindings and the shared test vectors
//! go through it, so every language runs the same code with the same input
//! checks (unknown keys are rejected, errors carry stable codes).
//!
//! Operations ([`call`]):
//!
//! | op | input | output |
//! |---|---|---|
//! | `framework.builtin` | `{name}` | framework |
//! | `framework.load` | `{framework}` (object or built-in name) or `{text, format}` (`json`/`toml`) | framework, validated |
//! | `profiles.resolve` | `{framework, profiles, role}` | effective profile |
//! | `policy.parse` | `{policy}` (string or object) | policy object |
//! | `reconcile` | `{framework, ratings, policy?}` | `[{competence, level, source}]` |
//! | `gap_report` | `{framework, ratings, policy?, profile}` or `{…, profiles, role}` | gap report |
//! | `calibration` | `{framework, assessments}` | calibration report |
//! | `assessments.from_csv` | `{framework, text, form, source?}` | `[assessment]` |
//! | `maturity.builtin` | `{name}` (`dimios`, `edih-dma-pso`) | maturity model |
//! | `maturity.load` | `{model}` (object or built-in name) or `{text, format}` (`json`/`toml`) | maturity model, validated |
//! | `maturity.settings` | `{settings?}` | item-scoring settings with every default filled in |
//! | `maturity.example_instrument` | `{model}` | instrument (`example: true`) |
//! | `maturity.instrument` | `{model}` | the model's current items as an instrument |
//! | `maturity.with_instrument` | `{model, instrument}` | model whose items are the instrument's |
//! | `maturity.score` | `{model, responses: {items, rows, units?}, instrument?, units?, tree?, settings?}` | measurement result (with `units` when rows have units) |
//! | `maturity.classify` | `{model, dimensions: [{id, percentage}]}` or `{model, result}`, `settings?` | type or `null` |
//! | `maturity.overall_from_dimensions` | `{model, dimensions: [{id, percentage}], inputs_rounded_to_decimals?, settings?}` | `{overall, type, band, overall_interval?, possible_published?}` |
//! | `maturity.compare` | `{current, previous}` (results) | change in percentage points |
//! | `maturity.benchmark` | `{result, type, peers: [{id, type, result}], organisation?}` | peer benchmark |
//! | `dma.settings` | `{settings?}` | questionnaire settings with every default filled in |
//! | `dma.score` | `{model?, answers: [{question, ticked?, rows?}], settings?}` (model default `edih-dma-pso`) | DMA result |
//!
//! Wherever `framework` is expected, a built-in name (`"digcomp-2.2"`) or a
//! framework object is accepted; likewise `model` takes a built-in name
//! (`"dimios"`) or a model object.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::assessment::{calibration, reconcile, Assessment, Policy, Ratings, Source};
use crate::error::{Error, Result};
use crate::framework::Framework;
use crate::gap::gap_report;
use crate::import::import_csv;
use crate::maturity::MaturityModel;
use crate::profile::{EffectiveProfile, ProfileSet, RoleProfile};
use crate::text::{from_json_value, from_toml_str, to_json_value};

/// Names of all operations accepted by [`call`].
pub const OPERATIONS: &[&str] = &[
    "framework.builtin",
    "framework.load",
    "profiles.resolve",
    "policy.parse",
    "reconcile",
    "gap_report",
    "calibration",
    "assessments.from_csv",
    "maturity.builtin",
    "maturity.load",
    "maturity.settings",
    "maturity.example_instrument",
    "maturity.instrument",
    "maturity.with_instrument",
    "maturity.score",
    "maturity.classify",
    "maturity.overall_from_dimensions",
    "maturity.compare",
    "maturity.benchmark",
    "dma.settings",
    "dma.score",
];

/// Run one operation on a JSON input.
pub fn call(op: &str, input: Value) -> Result<Value> {
    let mut input = Input::new(input)?;
    let out = match op {
        "framework.builtin" => {
            let name: String = input.take("name")?;
            to_json_value(&Framework::builtin(&name)?)
        }
        "framework.load" => {
            let fw = if input.has("text") {
                let text: String = input.take("text")?;
                let format: Option<String> = input.take_opt("format")?;
                match format.as_deref().unwrap_or("json") {
                    "json" => Framework::from_json(&text)?,
                    "toml" => Framework::from_toml(&text)?,
                    other => {
                        return Err(Error::invalid(
                            "format",
                            format!("unknown format {other:?}"),
                        ))
                    }
                }
            } else {
                // the framework is the document here: paths start inside it
                framework_from_value(input.raw("framework")?)?
            };
            to_json_value(&fw)
        }
        "profiles.resolve" => {
            let fw = input.framework()?;
            let profiles = input.raw("profiles")?;
            let role: String = input.take("role")?;
            let set = ProfileSet::from_value(profiles, &fw)?;
            to_json_value(&set.resolve(&role)?)
        }
        "policy.parse" => to_json_value(&input.policy()?.ok_or_else(|| Error::MissingValue {
            location: "policy".into(),
            what: "policy".into(),
        })?),
        "reconcile" => {
            let fw = input.framework()?;
            let ratings = input.ratings()?;
            let policy = input.policy()?;
            let chosen = reconcile(&fw, &ratings, policy.as_ref())?;
            let list: Vec<Value> = fw
                .competence_ids()
                .into_iter()
                .filter_map(|id| {
                    chosen
                        .get(id)
                        .map(|c| json!({"competence": id, "level": c.level, "source": c.source}))
                })
                .collect();
            Ok(Value::Array(list))
        }
        "gap_report" => {
            let fw = input.framework()?;
            let profile = input.profile(&fw)?;
            let ratings = input.ratings()?;
            let policy = input.policy()?;
            to_json_value(&gap_report(&fw, &profile, &ratings, policy.as_ref())?)
        }
        "calibration" => {
            let fw = input.framework()?;
            let assessments: Vec<Assessment> = input.take("assessments")?;
            to_json_value(&calibration(&fw, &assessments)?)
        }
        "assessments.from_csv" => {
            let fw = input.framework()?;
            let text: String = input.take("text")?;
            let form: String = input.take("form")?;
            let source: Option<Source> = input.take_opt("source")?;
            to_json_value(&import_csv(&text, form.parse()?, source, &fw)?)
        }
        op if op.starts_with("maturity.") || op.starts_with("dma.") => maturity_op(op, &mut input),
        other => {
            return Err(Error::UnknownOperation {
                name: other.to_string(),
            })
        }
    }?;
    input.finish()?;
    Ok(out)
}

fn maturity_op(op: &str, input: &mut Input) -> Result<Value> {
    use crate::maturity::{
        benchmark, classify, compare, overall_from_dimensions, score_dma, score_table, Answer,
        DimensionValue, Instrument, Peer, ResponseTable, ResultSummary, Unit,
    };
    match op {
        "maturity.builtin" => {
            let name: String = input.take("name")?;
            to_json_value(&MaturityModel::builtin(&name)?)
        }
        "maturity.load" => {
            let model = if input.has("text") {
                let text: String = input.take("text")?;
                let format: Option<String> = input.take_opt("format")?;
                match format.as_deref().unwrap_or("json") {
                    "json" => MaturityModel::from_json(&text)?,
                    "toml" => MaturityModel::from_toml(&text)?,
                    other => {
                        return Err(Error::invalid(
                            "format",
                            format!("unknown format {other:?}"),
                        ))
                    }
                }
            } else {
                input.model()?
            };
            to_json_value(&model)
        }
        "maturity.settings" => to_json_value(&input.maturity_settings()?),
        "dma.settings" => to_json_value(&input.dma_settings()?),
        "maturity.example_instrument" => to_json_value(&input.model()?.example_instrument()?),
        "maturity.instrument" => to_json_value(&input.model()?.instrument()),
        "maturity.with_instrument" => {
            let model = input.model()?;
            let instrument: Instrument = input.take("instrument")?;
            to_json_value(
                &model
                    .with_instrument(&instrument)
                    .map_err(|e| prefix(e, "instrument"))?,
            )
        }
        "maturity.score" => {
            let mut model = input.model()?;
            if input.has("instrument") {
                let instrument: Instrument = input.take("instrument")?;
                model = model
                    .with_instrument(&instrument)
                    .map_err(|e| prefix(e, "instrument"))?;
            }
            let mut table: ResponseTable = input.take("responses")?;
            let units: Option<Vec<Option<String>>> = input.take_opt("units")?;
            if let Some(units) = units {
                if table.units.is_some() {
                    return Err(Error::invalid(
                        "units",
                        "give the units either in responses.units or in units, not both",
                    ));
                }
                table.units = Some(units);
            }
            let tree: Option<Vec<Unit>> = input.take_opt("tree")?;
            let settings = input.maturity_settings()?;
            to_json_value(&score_table(&model, &table, tree.as_deref(), &settings)?)
        }
        "maturity.classify" => {
            let model = input.model()?;
            let dims = input.dimension_values()?;
            let settings = input.maturity_settings()?;
            match classify(&model, &dims, &settings)? {
                Some(t) => to_json_value(&t),
                None => Ok(Value::Null),
            }
        }
        "maturity.overall_from_dimensions" => {
            let model = input.model()?;
            let dims: Vec<DimensionValue> = input.take("dimensions")?;
            let decimals: Option<u32> = input.take_opt("inputs_rounded_to_decimals")?;
            let settings = input.maturity_settings()?;
            to_json_value(&overall_from_dimensions(
                &model, &dims, &settings, decimals,
            )?)
        }
        "maturity.compare" => {
            let current: ResultSummary = input.take("current")?;
            let previous: ResultSummary = input.take("previous")?;
            to_json_value(&compare(&current, &previous)?)
        }
        "maturity.benchmark" => {
            let result: ResultSummary = input.take("result")?;
            let organisation_type: String = input.take("type")?;
            let peers: Vec<Peer> = input.take("peers")?;
            let organisation: Option<String> = input.take_opt("organisation")?;
            to_json_value(&benchmark(
                &result,
                &organisation_type,
                &peers,
                organisation.as_deref(),
            )?)
        }
        "dma.score" => {
            let model = if input.has("model") {
                input.model()?
            } else {
                MaturityModel::builtin("edih-dma-pso")?
            };
            let answers: Vec<Answer> = input.take("answers")?;
            let settings = input.dma_settings()?;
            to_json_value(&score_dma(&model, &answers, &settings)?)
        }
        other => Err(Error::UnknownOperation {
            name: other.to_string(),
        }),
    }
}

/// Helper that takes fields out of an input object and rejects leftovers.
struct Input {
    map: serde_json::Map<String, Value>,
}

impl Input {
    fn new(value: Value) -> Result<Input> {
        match value {
            Value::Object(map) => Ok(Input { map }),
            Value::Null => Ok(Input {
                map: serde_json::Map::new(),
            }),
            _ => Err(Error::Parse {
                format: "json".into(),
                location: "$".into(),
                message: "the input must be an object".into(),
            }),
        }
    }

    fn has(&self, key: &str) -> bool {
        self.map.get(key).is_some_and(|v| !v.is_null())
    }

    fn raw(&mut self, key: &str) -> Result<Value> {
        match self.map.remove(key) {
            Some(v) if !v.is_null() => Ok(v),
            _ => Err(Error::MissingValue {
                location: key.to_string(),
                what: format!("field {key:?}"),
            }),
        }
    }

    fn take<T: for<'de> Deserialize<'de>>(&mut self, key: &str) -> Result<T> {
        let v = self.raw(key)?;
        from_json_value(v).map_err(|e| prefix(e, key))
    }

    fn take_opt<T: for<'de> Deserialize<'de>>(&mut self, key: &str) -> Result<Option<T>> {
        match self.map.remove(key) {
            Some(v) if !v.is_null() => from_json_value(v).map(Some).map_err(|e| prefix(e, key)),
            _ => Ok(None),
        }
    }

    fn ratings(&mut self) -> Result<Ratings> {
        Ratings::from_value(self.raw("ratings")?).map_err(|e| prefix(e, "ratings"))
    }

    fn framework(&mut self) -> Result<Framework> {
        let v = self.raw("framework")?;
        framework_from_value(v).map_err(|e| prefix(e, "framework"))
    }

    fn model(&mut self) -> Result<MaturityModel> {
        let v = self.raw("model")?;
        maturity_model_from_value(v).map_err(|e| prefix(e, "model"))
    }

    fn maturity_settings(&mut self) -> Result<crate::maturity::MaturitySettings> {
        let s: Option<crate::maturity::MaturitySettings> = self.take_opt("settings")?;
        s.unwrap_or_default().checked()
    }

    fn dma_settings(&mut self) -> Result<crate::maturity::DmaSettings> {
        let s: Option<crate::maturity::DmaSettings> = self.take_opt("settings")?;
        s.unwrap_or_default().checked()
    }

    /// `dimensions: [{id, percentage}]`, or the dimensions of a `result`.
    fn dimension_values(&mut self) -> Result<Vec<crate::maturity::DimensionValue>> {
        if self.has("result") {
            let r: crate::maturity::ResultSummary = self.take("result")?;
            let mut out = Vec::new();
            for (i, d) in r.dimensions.into_iter().enumerate() {
                let percentage = d.percentage.ok_or_else(|| Error::MissingValue {
                    location: format!("result.dimensions[{i}].percentage"),
                    what: "dimension percentage".into(),
                })?;
                out.push(crate::maturity::DimensionValue {
                    id: d.id,
                    percentage,
                });
            }
            Ok(out)
        } else {
            self.take("dimensions")
        }
    }

    fn policy(&mut self) -> Result<Option<Policy>> {
        match self.map.remove("policy") {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.parse()?)),
            Some(v) => {
                let p: Policy = from_json_value(v).map_err(|e| prefix(e, "policy"))?;
                Ok(Some(p.checked()?))
            }
        }
    }

    fn profile(&mut self, fw: &Framework) -> Result<EffectiveProfile> {
        if self.has("profiles") {
            let profiles = self.raw("profiles")?;
            let role: String = self.take("role")?;
            return ProfileSet::from_value(profiles, fw)?.resolve(&role);
        }
        let v = self.raw("profile")?;
        effective_profile_from_value(v, fw).map_err(|e| prefix(e, "profile"))
    }

    fn finish(self) -> Result<()> {
        match self.map.keys().next() {
            Some(k) => Err(Error::Parse {
                format: "json".into(),
                location: k.clone(),
                message: format!("unknown field {k:?}"),
            }),
            None => Ok(()),
        }
    }
}

fn prefix(err: Error, key: &str) -> Error {
    err.within(key)
}

/// A framework from a built-in name or a framework object (validated).
pub fn framework_from_value(value: Value) -> Result<Framework> {
    match value {
        Value::String(name) => Framework::builtin(&name),
        other => {
            let fw: Framework = from_json_value(other)?;
            fw.validate()?;
            Ok(fw)
        }
    }
}

/// A profile object: an effective profile (has `chain`) is checked against
/// the framework; a role profile is resolved on its own (it must not extend
/// another profile).
pub fn effective_profile_from_value(value: Value, fw: &Framework) -> Result<EffectiveProfile> {
    if value.get("chain").is_some() {
        let p: EffectiveProfile = from_json_value(value)?;
        for (i, r) in p.requirements.iter().enumerate() {
            fw.check_competence(&r.competence, &format!("requirements[{i}].competence"))?;
            fw.check_level(r.level, &format!("requirements[{i}].level"))?;
        }
        Ok(p)
    } else {
        let p: RoleProfile = from_json_value(value)?;
        EffectiveProfile::standalone(p, fw)
    }
}

/// A maturity model from a built-in name or a model object (validated).
pub fn maturity_model_from_value(value: Value) -> Result<MaturityModel> {
    match value {
        Value::String(name) => MaturityModel::builtin(&name),
        other => {
            let model: MaturityModel = from_json_value(other)?;
            model.validate()?;
            Ok(model)
        }
    }
}

/// Parse TOML text into a JSON value (for bindings that accept TOML).
pub fn toml_to_value(text: &str) -> Result<Value> {
    from_toml_str(text)
}
