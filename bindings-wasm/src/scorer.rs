//! `Scorer`: a survey instrument checked and compiled once, for scoring one
//! respondent's answers at a time (a web form re-scoring on every change).
//!
//! `scoreAnswers(instrument, answers, options)` sends the whole instrument
//! across, parses, validates and compiles it (and parses a built-in
//! framework) on every call. A `Scorer` does that once, in its constructor,
//! through the same core operation (`survey.score`), so it accepts exactly
//! what `scoreAnswers` accepts and fails with the same errors; `score`
//! then only converts the answers and runs the core's scorer.

use std::collections::BTreeMap;

use kompetens::api::framework_from_value;
use kompetens::case::{to_camel, to_snake};
use kompetens::survey::{answers_to_matrix, Instrument, LevelStrategy, StrategySpec};
use kompetens::text::{from_json_value, to_json_value};
use kompetens::{Error, Framework, ScoringOptions};
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

use crate::{finish, from_js, js_error, optional, Input, JsResult, ScoreOptions};

/// A survey instrument compiled once for repeated scoring of one
/// respondent's answers: `new Scorer(instrument, options)`, then
/// `scorer.score(answers)` gives what `scoreAnswers(instrument, answers,
/// options)` gives.
#[wasm_bindgen(js_name = Scorer)]
pub struct SurveyScorer {
    instrument: Instrument,
    framework: Option<String>,
    strategy: LevelStrategy,
    options: ScoringOptions,
    scorer: kompetens::Scorer,
}

#[wasm_bindgen(js_class = Scorer)]
impl SurveyScorer {
    /// Check and compile an instrument with the options of `scoreAnswers`
    /// (`framework`, `strategy`, `minAnswered`, `basis`, `areaMethod`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Instrument")] instrument: JsValue,
        options: Option<ScoreOptions>,
    ) -> Result<SurveyScorer, JsValue> {
        Self::build(instrument, optional(options)).map_err(|e| js_error(&e))
    }

    /// Score one respondent's answers `{itemId: value}` (`null` or a left
    /// out item = missing): the report of `scoreAnswers`.
    #[wasm_bindgen(unchecked_return_type = "ScoreReport")]
    pub fn score(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Answers")] answers: JsValue,
    ) -> JsResult {
        finish(self.score_answers(answers))
    }

    /// The instrument's id.
    #[wasm_bindgen(getter)]
    pub fn instrument(&self) -> String {
        self.instrument.id.clone()
    }

    /// Item ids in instrument order.
    #[wasm_bindgen(getter, js_name = itemIds, unchecked_return_type = "string[]")]
    pub fn item_ids(&self) -> JsResult {
        crate::to_js(&Value::from(
            self.scorer
                .item_ids()
                .iter()
                .map(|s| Value::from(s.as_str()))
                .collect::<Vec<_>>(),
        ))
    }
}

impl SurveyScorer {
    fn build(instrument: JsValue, options: JsValue) -> Result<SurveyScorer, Error> {
        // The core checks everything once, exactly as scoreAnswers does
        // (empty answers: one respondent without answers).
        let input = Input::new()
            .arg("instrument", instrument)?
            .options(options)?;
        let mut map = match to_snake(Value::Object(input.map)) {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        let mut check = map.clone();
        check.insert("answers".into(), Value::Object(Map::new()));
        kompetens::api::call("survey.score", Value::Object(check))?;

        // …then the pieces, as the core's survey.score reads them.
        let take =
            |map: &mut Map<String, Value>, key: &str| map.remove(key).filter(|v| !v.is_null());
        let instrument: Instrument =
            from_json_value(take(&mut map, "instrument").unwrap_or_default())?;
        let framework: Option<Framework> = match take(&mut map, "framework") {
            Some(v) => Some(framework_from_value(v)?),
            None => instrument
                .framework
                .as_deref()
                .map(Framework::builtin)
                .transpose()?,
        };
        let strategy = match take(&mut map, "strategy") {
            Some(v) => from_json_value::<StrategySpec>(v)?.into_strategy()?,
            None => LevelStrategy::default(),
        };
        let d = ScoringOptions::default();
        let options = ScoringOptions {
            min_answered: opt(take(&mut map, "min_answered"))?.unwrap_or(d.min_answered),
            basis: opt(take(&mut map, "basis"))?.unwrap_or(d.basis),
            area_method: opt(take(&mut map, "area_method"))?.unwrap_or(d.area_method),
        };
        let scorer = kompetens::Scorer::new(&instrument, framework.as_ref(), &options)?;
        Ok(SurveyScorer {
            framework: framework.map(|f| f.id),
            instrument,
            strategy,
            options,
            scorer,
        })
    }

    fn score_answers(&self, answers: JsValue) -> Result<Value, Error> {
        let answers = match from_js(answers, "answers")? {
            Value::Null => Value::Object(Map::new()),
            other => other,
        };
        let answers: BTreeMap<String, Option<f64>> =
            from_json_value(answers).map_err(|e| e.within("answers"))?;
        let responses = answers_to_matrix(&answers, &self.instrument)?;
        let scores = self
            .scorer
            .score(responses.data.view(), None)
            .map_err(|e| responses.locate(e, true))?;
        let report = scores.report(
            &self.instrument.id,
            self.framework.as_deref(),
            &self.strategy,
            &self.options,
            None,
        );
        Ok(to_camel(to_json_value(&report)?))
    }
}

/// An optional setting, deserialised.
fn opt<T: serde::de::DeserializeOwned>(v: Option<Value>) -> Result<Option<T>, Error> {
    v.map(from_json_value).transpose()
}
