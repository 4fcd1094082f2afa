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
//! | `survey.instrument` | `{instrument}` or `{text, format}` (`json`/`toml`) | instrument, validated |
//! | `survey.score` | `{instrument, responses \| answers, framework?, strategy?, min_answered?, basis?, area_method?}` | score report (per respondent: `scores` and `areas` as `[{id, score, percent, level, label, answered, reason}]`) |
//! | `survey.assessments` | as `survey.score`, plus `source?` (`self` default, or `test`) | `[assessment]` for `gap_report`/`calibration` |
//! | `survey.levels` | `{scores: [number \| null], strategy?}` | `[{score, percent, level, label}]` |
//! | `stats.cronbach_alpha` | `{data: [[number \| null]], items?, missing?, ci_level?, scale?, reverse?}` | reliability |
//! | `stats.interpolated_median` | `{values, interval?}` | `{median, n, missing}` |
//! | `stats.top_box` | `{values, scale: {min, max}}` | top/bottom-box shares |
//! | `stats.distribution` | `{values, scale: {min, max}}` | counts per value |
//! | `stats.wilcoxon` | `{before, after}` or `{differences}`, `alternative?`, `method?`, `correction?`, `rounding?` | Wilcoxon result |
//! | `stats.paired_t` | `{before, after, alternative?, ci_level?}` | paired t-test |
//! | `stats.paired` | `{before, after, alternative?, method?, correction?, rounding?, ci_level?}` | t-test, Wilcoxon and effect sizes |
//! | `dsi.thresholds` | `{}` | Eurostat's default thresholds |
//! | `dsi.classify` | `{counts, thresholds?}` (`counts`: 5 numbers in area order, an object by area, or `null` = not assessed) | DSI result |
//! | `dsi.summarise` | `{counts_table: [counts], weights?, thresholds?}` or `{categories, weights?}` | DSI population summary |
//!
//! | `chart.radar` | `{spec, options?}` or `{gap_report, framework, by?, extra?: [{levels, kind?, label?}], options?}` | SVG text |
//! | `chart.heatmap` | `{spec, options?}` or `{publication, framework?, metric?, scope?, by?, role?, unit_names?, options?}` | SVG text |
//! | `chart.dimios_quadrant` | `{spec, options?}` or `{result, model?, settings?, label?, peers?: [{id, result}], options?}` | SVG text |
//! | `chart.dimios_spider` | `{spec, options?}` or `{result, model?, peers?: [result], label?, options?}` or `{benchmark, model?, label?, options?}` | SVG text |
//! | `chart.change` | `{spec, options?}` or `{comparison, model?, by?, …}` or `{waves, unit?, scope?, framework?, by?, …}`, `before_label?`, `after_label?` | SVG text |
//!
//! Charts (module [`crate::chart`]) take a generic spec or a domain result;
//! `model` defaults to `dimios`. `chart.radar` is in every build; the other
//! chart operations need a crate feature: `chart.heatmap` `aggregate`, the
//! DiMiOS charts `maturity`, `chart.change` either (waves with `aggregate`,
//! maturity comparisons with `maturity`). The drawing functions of
//! [`crate::chart`] themselves are always compiled.
//!
//! Survey and statistics inputs use `null` for a missing answer. Where a
//! `strategy` is accepted it is `"digcompsat"` (default), `"floor8"` or
//! `{"kind": "thresholds", "bands": [{"min", "level", "label?"}]}`.
//!
//! | `aggregate.gaps` | data (below) + `{min_group?, suppression?, role_table?, role_unit_table?, areas?, top?}` | `{min_group, suppression, rows, top_needs, audit}` |
//! | `aggregate.state` | data | aggregation state (JSON form) |
//! | `aggregate.merge` | `{states: [state, …]}` | merged state |
//! | `aggregate.finish` | `{state, min_group?, suppression?, …}` | as `aggregate.gaps` |
//! | `aggregate.audit` | `{tree, rows, min_group?}` | audit report |
//! | `aggregate.training_demand` | data + `{min_group?, catalogue?: [{id, competences, level_from, level_to, capacity?, format?}], max_per_person?}` | `{min_group, demand, recommendations?, plan?, uncovered_weighted_need?}` |
//! | `aggregate.waves` | `{framework? or competences, tree, before: [{id, unit, levels}], after: […], min_group?, suppression?, per_person?}` | `{min_group, rows, movements, determined, changes?}` |
//!
//! Aggregate data: `{framework?, profiles?, tree, people: [{id?, unit, role?, levels: {competence: level|null}, required?: {competence: level}}]}`
//! or matrices `{competences?, levels: [[level|null|-1]], units: [unit], roles?: [role], required?: [[level]], weights?: {competence: weight}, role_ids?, level_min?, level_max?}`;
//! see [`crate::aggregate::json`].
//!
//! Wherever `framework` is expected, a built-in name (`"digcomp-2.2"`) or a
//! framework object is accepted; likewise `model` takes a built-in name
//! (`"dimios"`) or a model object.

use std::collections::BTreeMap;

#[cfg(feature = "stats")]
use ndarray::Array2;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::assessment::{calibration, reconcile, Assessment, Policy, Ratings, Source};
use crate::error::{Error, Result};
use crate::framework::Framework;
use crate::gap::gap_report;
#[cfg(feature = "csv")]
use crate::import::import_csv;
#[cfg(feature = "maturity")]
use crate::maturity::MaturityModel;
use crate::profile::{EffectiveProfile, ProfileSet, RoleProfile};
#[cfg(feature = "stats")]
use crate::stats::paired::wilcoxon_differences;
#[cfg(feature = "stats")]
use crate::stats::{
    cronbach_alpha_items, distribution, interpolated_median, paired_comparison, paired_t, top_box,
    wilcoxon, AlphaItems, AlphaOptions, Alternative, ColumnRef, MissingPolicy, WilcoxonOptions,
};
#[cfg(feature = "dsi")]
use crate::survey::dsi::{self, DsiCategory, DsiThresholds};
#[cfg(feature = "stats")]
use crate::survey::ResponseScale;
use crate::survey::{
    answers_to_matrix, scoring_framework, Instrument, LevelStrategy, ResponseMatrix, ResponseTable,
    Scorer, Scores, ScoringOptions, StrategySpec,
};
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
    #[cfg(feature = "csv")]
    "assessments.from_csv",
    #[cfg(feature = "maturity")]
    "maturity.builtin",
    #[cfg(feature = "maturity")]
    "maturity.load",
    #[cfg(feature = "maturity")]
    "maturity.settings",
    #[cfg(feature = "maturity")]
    "maturity.example_instrument",
    #[cfg(feature = "maturity")]
    "maturity.instrument",
    #[cfg(feature = "maturity")]
    "maturity.with_instrument",
    #[cfg(feature = "maturity")]
    "maturity.score",
    #[cfg(feature = "maturity")]
    "maturity.classify",
    #[cfg(feature = "maturity")]
    "maturity.overall_from_dimensions",
    #[cfg(feature = "maturity")]
    "maturity.compare",
    #[cfg(feature = "maturity")]
    "maturity.benchmark",
    #[cfg(feature = "maturity")]
    "dma.settings",
    #[cfg(feature = "maturity")]
    "dma.score",
    "survey.instrument",
    "survey.score",
    "survey.assessments",
    "survey.levels",
    #[cfg(feature = "stats")]
    "stats.cronbach_alpha",
    #[cfg(feature = "stats")]
    "stats.interpolated_median",
    #[cfg(feature = "stats")]
    "stats.top_box",
    #[cfg(feature = "stats")]
    "stats.distribution",
    #[cfg(feature = "stats")]
    "stats.wilcoxon",
    #[cfg(feature = "stats")]
    "stats.paired_t",
    #[cfg(feature = "stats")]
    "stats.paired",
    #[cfg(feature = "dsi")]
    "dsi.thresholds",
    #[cfg(feature = "dsi")]
    "dsi.classify",
    #[cfg(feature = "dsi")]
    "dsi.summarise",
    #[cfg(feature = "aggregate")]
    "aggregate.gaps",
    #[cfg(feature = "aggregate")]
    "aggregate.state",
    #[cfg(feature = "aggregate")]
    "aggregate.merge",
    #[cfg(feature = "aggregate")]
    "aggregate.finish",
    #[cfg(feature = "aggregate")]
    "aggregate.audit",
    #[cfg(feature = "aggregate")]
    "aggregate.waves",
    #[cfg(feature = "aggregate")]
    "aggregate.training_demand",
    "chart.radar",
    #[cfg(feature = "aggregate")]
    "chart.heatmap",
    #[cfg(feature = "maturity")]
    "chart.dimios_quadrant",
    #[cfg(feature = "maturity")]
    "chart.dimios_spider",
    #[cfg(any(feature = "aggregate", feature = "maturity"))]
    "chart.change",
];

/// Run one operation on a JSON input.
pub fn call(op: &str, input: Value) -> Result<Value> {
    let mut input = Input::new(input)?;
    #[cfg(feature = "aggregate")]
    if let Some(out) = aggregate_op(op, &mut input) {
        return out;
    }
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
        #[cfg(feature = "csv")]
        "assessments.from_csv" => {
            let fw = input.framework()?;
            let text: String = input.take("text")?;
            let form: String = input.take("form")?;
            let source: Option<Source> = input.take_opt("source")?;
            to_json_value(&import_csv(&text, form.parse()?, source, &fw)?)
        }
        #[cfg(feature = "maturity")]
        op if op.starts_with("maturity.") || op.starts_with("dma.") => maturity_op(op, &mut input),
        op if op.starts_with("survey.") || op.starts_with("stats.") || op.starts_with("dsi.") => {
            survey_stats_op(op, &mut input)
        }
        op if op.starts_with("chart.") => chart_op(op, &mut input),
        other => {
            return Err(Error::UnknownOperation {
                name: other.to_string(),
            })
        }
    }?;
    input.finish()?;
    Ok(out)
}

#[cfg(feature = "maturity")]
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

/// The survey, statistics and DSI operations.
fn survey_stats_op(op: &str, input: &mut Input) -> Result<Value> {
    match op {
        "survey.instrument" => {
            let inst = if input.has("text") {
                let text: String = input.take("text")?;
                let format: Option<String> = input.take_opt("format")?;
                match format.as_deref().unwrap_or("json") {
                    "json" => Instrument::from_json(&text)?,
                    "toml" => Instrument::from_toml(&text)?,
                    other => {
                        return Err(Error::invalid(
                            "format",
                            format!("unknown format {other:?}"),
                        ))
                    }
                }
            } else {
                input.instrument()?
            };
            to_json_value(&inst)
        }
        "survey.score" => {
            let job = input.survey_job()?;
            let scores = job.score()?;
            to_json_value(&scores.report(
                &job.instrument.id,
                job.framework.as_ref().map(|f| f.id.as_str()),
                &job.strategy,
                &job.options,
                job.responses.ids.as_deref(),
            ))
        }
        "survey.assessments" => {
            let source: Option<Source> = input.take_opt("source")?;
            let job = input.survey_job()?;
            let fw = job.framework.as_ref().ok_or_else(|| Error::MissingValue {
                location: "framework".into(),
                what: "framework (assessments need competence targets)".into(),
            })?;
            let scores = job.score()?;
            to_json_value(&scores.to_assessments(
                fw,
                &job.strategy,
                source.unwrap_or(Source::SelfAssessed),
                job.responses.ids.as_deref(),
            )?)
        }
        "survey.levels" => {
            let scores: Vec<Option<f64>> = input.take("scores")?;
            let strategy = input.strategy()?;
            let out: Vec<Value> = scores
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let s = s.unwrap_or(f64::NAN);
                    if !s.is_nan() && !(0.0..=1.0).contains(&s) {
                        return Err(Error::invalid(
                            format!("scores[{i}]"),
                            format!("{s} is not a score on [0, 1]"),
                        ));
                    }
                    let c = strategy.classify(s);
                    Ok(json!({
                        "score": (!s.is_nan()).then_some(s),
                        "percent": (!s.is_nan()).then_some(100.0 * s),
                        "level": c.as_ref().map(|c| c.level),
                        "label": c.and_then(|c| c.label),
                    }))
                })
                .collect::<Result<_>>()?;
            Ok(Value::Array(out))
        }
        #[cfg(feature = "stats")]
        "stats.cronbach_alpha" => cronbach_op(input),
        #[cfg(feature = "stats")]
        "stats.interpolated_median" => {
            let values = input.values("values")?;
            let interval: Option<f64> = input.take_opt("interval")?;
            let median = interpolated_median(&values, interval.unwrap_or(1.0))?;
            let n = values.iter().filter(|v| !v.is_nan()).count();
            Ok(json!({"median": median, "n": n, "missing": values.len() - n}))
        }
        #[cfg(feature = "stats")]
        "stats.top_box" => {
            let values = input.values("values")?;
            let scale: ResponseScale = input.take("scale")?;
            to_json_value(&top_box(&values, scale.min, scale.max)?)
        }
        #[cfg(feature = "stats")]
        "stats.distribution" => {
            let values = input.values("values")?;
            let scale: ResponseScale = input.take("scale")?;
            if scale.min.fract() != 0.0 || scale.max.fract() != 0.0 {
                return Err(Error::InvalidScale {
                    location: "scale".into(),
                    message: "distribution counts need whole-number scale ends".into(),
                });
            }
            to_json_value(&distribution(&values, scale.min as i64, scale.max as i64)?)
        }
        #[cfg(feature = "stats")]
        "stats.wilcoxon" => {
            let options = input.wilcoxon_options()?;
            if input.has("differences") {
                let d = input.values("differences")?;
                to_json_value(&wilcoxon_differences(&d, &options)?)
            } else {
                let before = input.values("before")?;
                let after = input.values("after")?;
                to_json_value(&wilcoxon(&before, &after, &options)?)
            }
        }
        #[cfg(feature = "stats")]
        "stats.paired_t" => {
            let before = input.values("before")?;
            let after = input.values("after")?;
            let alternative: Option<Alternative> = input.take_opt("alternative")?;
            let ci_level: Option<f64> = input.take_opt("ci_level")?;
            to_json_value(&paired_t(
                &before,
                &after,
                alternative.unwrap_or_default(),
                ci_level.unwrap_or(0.95),
            )?)
        }
        #[cfg(feature = "stats")]
        "stats.paired" => {
            let options = input.wilcoxon_options()?;
            let before = input.values("before")?;
            let after = input.values("after")?;
            let ci_level: Option<f64> = input.take_opt("ci_level")?;
            to_json_value(&paired_comparison(
                &before,
                &after,
                &options,
                ci_level.unwrap_or(0.95),
            )?)
        }
        #[cfg(feature = "dsi")]
        "dsi.thresholds" => to_json_value(&DsiThresholds::default()),
        #[cfg(feature = "dsi")]
        "dsi.classify" => {
            let thresholds = input.dsi_thresholds()?;
            let counts = input.map.remove("counts").unwrap_or(Value::Null);
            let counts = dsi_counts(&counts, "counts")?;
            to_json_value(&dsi::classify(counts.as_ref(), &thresholds)?)
        }
        #[cfg(feature = "dsi")]
        "dsi.summarise" => {
            let weights: Option<Vec<f64>> = input.take_opt("weights")?;
            let categories: Vec<DsiCategory> = if input.has("categories") {
                input.take("categories")?
            } else {
                let thresholds = input.dsi_thresholds()?;
                thresholds.validate()?;
                let table: Vec<Value> = input.take("counts_table")?;
                let mut cats = Vec::with_capacity(table.len());
                for (i, row) in table.iter().enumerate() {
                    let counts = dsi_counts(row, &format!("counts_table[{i}]"))?;
                    cats.push(dsi::classify(counts.as_ref(), &thresholds)?.category);
                }
                cats
            };
            to_json_value(&dsi::summarise(&categories, weights.as_deref())?)
        }
        other => Err(Error::UnknownOperation {
            name: other.to_string(),
        }),
    }
}

/// The `aggregate.*` operations; `None` when `op` is not one of them.
#[cfg(feature = "aggregate")]
fn aggregate_op(op: &str, input: &mut Input) -> Option<Result<Value>> {
    use crate::aggregate::json;
    let f: fn(serde_json::Map<String, Value>) -> Result<Value> = match op {
        "aggregate.gaps" => json::gaps,
        "aggregate.state" => json::state,
        "aggregate.merge" => json::merge,
        "aggregate.finish" => json::finish,
        "aggregate.audit" => json::audit,
        "aggregate.waves" => json::waves,
        "aggregate.training_demand" => json::training_demand,
        _ => return None,
    };
    Some(f(std::mem::take(&mut input.map)))
}

/// The `chart.*` operations: a spec or a domain result in, SVG text out.
/// Specs are read by [`crate::chart`]'s own small readers (not serde: the
/// WebAssembly form build stays small); `chart.radar` is in every build,
/// the heatmap needs the feature `aggregate`, the DiMiOS charts `maturity`,
/// the change chart either.
fn chart_op(op: &str, input: &mut Input) -> Result<Value> {
    use crate::chart::{self, parse, ChartOptions};
    let options = ChartOptions::from_value(input.map.get("options").unwrap_or(&Value::Null))?;
    input.map.remove("options");
    let spec = input.map.remove("spec").filter(|v| !v.is_null());
    // errors of a given spec are located in it
    let located = |e: Error| if spec.is_some() { in_spec(e) } else { e };
    let svg = match op {
        "chart.radar" => {
            let spec = match &spec {
                Some(v) => chart::RadarSpec::from_value(v).map_err(located)?,
                None => {
                    let report = parse::gap_report(&input.raw("gap_report")?, "gap_report")?;
                    let fw = input.framework()?;
                    let by = parse::by(input.map.remove("by").as_ref(), chart::By::Area)?;
                    let extra = match input.map.remove("extra").filter(|v| !v.is_null()) {
                        Some(v) => parse::extra_series(&v, "extra")?,
                        None => Vec::new(),
                    };
                    let mut spec =
                        chart::RadarSpec::from_gap_report(&report, &fw, by, options.lang)?;
                    for (kind, label, levels) in extra {
                        spec.push_levels(&report, &fw, by, (kind, label), &levels)?;
                    }
                    spec
                }
            };
            chart::radar(&spec, &options).map_err(located)
        }
        #[cfg(feature = "aggregate")]
        "chart.heatmap" => {
            let spec = match &spec {
                Some(v) => chart::HeatmapSpec::from_value(v).map_err(located)?,
                None => heatmap_from_domain(input, &options)?,
            };
            chart::heatmap(&spec, &options).map_err(located)
        }
        #[cfg(feature = "maturity")]
        "chart.dimios_quadrant" => {
            let spec = match &spec {
                Some(v) => chart::QuadrantSpec::from_value(v).map_err(located)?,
                None => quadrant_from_domain(input, &options)?,
            };
            chart::quadrant(&spec, &options).map_err(located)
        }
        #[cfg(feature = "maturity")]
        "chart.dimios_spider" => {
            let spec = match &spec {
                Some(v) => chart::SpiderSpec::from_value(v).map_err(located)?,
                None => spider_from_domain(input, &options)?,
            };
            chart::spider(&spec, &options).map_err(located)
        }
        #[cfg(any(feature = "aggregate", feature = "maturity"))]
        "chart.change" => {
            let mut spec = match &spec {
                Some(v) => chart::ChangeSpec::from_value(v).map_err(located)?,
                None => change_from_domain(input, &options)?,
            };
            if let Some(l) = input.take_opt::<String>("before_label")? {
                spec.before_label = Some(l);
            }
            if let Some(l) = input.take_opt::<String>("after_label")? {
                spec.after_label = Some(l);
            }
            chart::change(&spec, &options).map_err(located)
        }
        other => {
            return Err(Error::UnknownOperation {
                name: other.to_string(),
            })
        }
    }?;
    Ok(Value::String(svg))
}

/// Locate a chart error in the spec (errors of the options stay as they are).
fn in_spec(e: Error) -> Error {
    if e.location().starts_with("options") {
        e
    } else {
        e.within("spec")
    }
}

#[cfg(feature = "aggregate")]
fn heatmap_from_domain(
    input: &mut Input,
    options: &crate::chart::ChartOptions,
) -> Result<crate::chart::HeatmapSpec> {
    use crate::chart::{HeatmapSelect, HeatmapSpec};
    let publication: crate::aggregate::Publication = input.take("publication")?;
    let fw = if input.has("framework") {
        Some(input.framework()?)
    } else {
        None
    };
    let d = HeatmapSelect::default();
    let select = HeatmapSelect {
        metric: input.take_opt("metric")?.unwrap_or(d.metric),
        scope: input.take_opt("scope")?.unwrap_or(d.scope),
        by: crate::chart::parse::by(input.map.remove("by").as_ref(), d.by)?,
        role: input.take_opt("role")?,
        unit_names: input.take_opt("unit_names")?.unwrap_or_default(),
    };
    HeatmapSpec::from_publication(&publication, &select, fw.as_ref(), options.lang)
}

/// A maturity result: its summary and its settings, if it carries them.
#[cfg(feature = "maturity")]
fn result_with_settings(
    input: &mut Input,
    key: &str,
) -> Result<(
    crate::maturity::ResultSummary,
    Option<crate::maturity::MaturitySettings>,
)> {
    let mut v = input.raw(key)?;
    let settings = match v.as_object_mut().and_then(|m| m.remove("settings")) {
        Some(s) if !s.is_null() => Some(
            from_json_value::<crate::maturity::MaturitySettings>(s)
                .map_err(|e| prefix(e, &format!("{key}.settings")))?,
        ),
        _ => None,
    };
    let summary = from_json_value(v).map_err(|e| prefix(e, key))?;
    Ok((summary, settings))
}

#[cfg(feature = "maturity")]
fn dimios_model(input: &mut Input) -> Result<MaturityModel> {
    if input.has("model") {
        input.model()
    } else {
        MaturityModel::builtin("dimios")
    }
}

#[cfg(feature = "maturity")]
fn quadrant_from_domain(
    input: &mut Input,
    options: &crate::chart::ChartOptions,
) -> Result<crate::chart::QuadrantSpec> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct PeerIn {
        id: String,
        #[serde(default, rename = "type")]
        _organisation_type: Option<String>,
        result: crate::maturity::ResultSummary,
    }
    let model = dimios_model(input)?;
    let (result, result_settings) = result_with_settings(input, "result")?;
    let settings = if input.has("settings") {
        input.maturity_settings()?
    } else {
        result_settings.unwrap_or_default().checked()?
    };
    let label: Option<String> = input.take_opt("label")?;
    let peers: Vec<PeerIn> = input.take_opt("peers")?.unwrap_or_default();
    let peers: Vec<(String, crate::maturity::ResultSummary)> =
        peers.into_iter().map(|p| (p.id, p.result)).collect();
    crate::chart::QuadrantSpec::from_result(
        &model,
        &result,
        &settings,
        label.as_deref(),
        &peers,
        options.lang,
    )
}

#[cfg(feature = "maturity")]
fn spider_from_domain(
    input: &mut Input,
    options: &crate::chart::ChartOptions,
) -> Result<crate::chart::SpiderSpec> {
    use crate::chart::SpiderSpec;
    let model = dimios_model(input)?;
    let label: Option<String> = input.take_opt("label")?;
    if input.has("benchmark") {
        let b: crate::maturity::Benchmark = input.take("benchmark")?;
        return SpiderSpec::from_benchmark(&model, &b, label.as_deref(), options.lang);
    }
    let (result, _) = result_with_settings(input, "result")?;
    let peers: Vec<crate::maturity::ResultSummary> = input.take_opt("peers")?.unwrap_or_default();
    SpiderSpec::from_result(&model, &result, &peers, label.as_deref(), options.lang)
}

#[cfg(any(feature = "aggregate", feature = "maturity"))]
fn change_from_domain(
    input: &mut Input,
    options: &crate::chart::ChartOptions,
) -> Result<crate::chart::ChangeSpec> {
    #[cfg(feature = "maturity")]
    if input.has("comparison") {
        let cmp: crate::maturity::Comparison = input.take("comparison")?;
        let model = if input.has("model") {
            Some(input.model()?)
        } else {
            None
        };
        let by =
            crate::chart::parse::by(input.map.remove("by").as_ref(), crate::chart::By::Category)?;
        return crate::chart::ChangeSpec::from_comparison(&cmp, model.as_ref(), by, options.lang);
    }
    #[cfg(feature = "aggregate")]
    if input.has("waves") {
        let waves: crate::aggregate::WavePublication = input.take("waves")?;
        let unit: Option<String> = input.take_opt("unit")?;
        let scope = input
            .take_opt("scope")?
            .unwrap_or(crate::aggregate::Scope::Rollup);
        let fw = if input.has("framework") {
            Some(input.framework()?)
        } else {
            None
        };
        let by = crate::chart::parse::by(
            input.map.remove("by").as_ref(),
            crate::chart::By::Competence,
        )?;
        return crate::chart::ChangeSpec::from_waves(
            &waves,
            unit.as_deref(),
            scope,
            fw.as_ref(),
            by,
            options.lang,
        );
    }
    Err(Error::MissingValue {
        location: "spec".into(),
        what: "spec, comparison (maturity) or waves (aggregate)".into(),
    })
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

    #[cfg(feature = "maturity")]
    fn model(&mut self) -> Result<MaturityModel> {
        let v = self.raw("model")?;
        maturity_model_from_value(v).map_err(|e| prefix(e, "model"))
    }

    #[cfg(feature = "maturity")]
    fn maturity_settings(&mut self) -> Result<crate::maturity::MaturitySettings> {
        let s: Option<crate::maturity::MaturitySettings> = self.take_opt("settings")?;
        s.unwrap_or_default().checked()
    }

    #[cfg(feature = "maturity")]
    fn dma_settings(&mut self) -> Result<crate::maturity::DmaSettings> {
        let s: Option<crate::maturity::DmaSettings> = self.take_opt("settings")?;
        s.unwrap_or_default().checked()
    }

    /// `dimensions: [{id, percentage}]`, or the dimensions of a `result`.
    #[cfg(feature = "maturity")]
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
                let p = Policy::from_object(v).map_err(|e| prefix(e, "policy"))?;
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

    fn instrument(&mut self) -> Result<Instrument> {
        let v = self.raw("instrument")?;
        let inst: Instrument = from_json_value(v).map_err(|e| prefix(e, "instrument"))?;
        inst.validate().map_err(|e| prefix(e, "instrument"))?;
        Ok(inst)
    }

    fn strategy(&mut self) -> Result<LevelStrategy> {
        match self.take_opt::<StrategySpec>("strategy")? {
            Some(s) => s.into_strategy(),
            None => Ok(LevelStrategy::default()),
        }
    }

    /// A list of numbers with `null` for missing, as `NaN`s.
    #[cfg(feature = "stats")]
    fn values(&mut self, key: &str) -> Result<Vec<f64>> {
        let v: Vec<Option<f64>> = self.take(key)?;
        Ok(v.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect())
    }

    #[cfg(feature = "stats")]
    fn wilcoxon_options(&mut self) -> Result<WilcoxonOptions> {
        let d = WilcoxonOptions::default();
        Ok(WilcoxonOptions {
            alternative: self.take_opt("alternative")?.unwrap_or(d.alternative),
            method: self.take_opt("method")?.unwrap_or(d.method),
            correction: self.take_opt("correction")?.unwrap_or(d.correction),
            rounding: self.take_opt("rounding")?.unwrap_or(d.rounding),
        })
    }

    #[cfg(feature = "dsi")]
    fn dsi_thresholds(&mut self) -> Result<DsiThresholds> {
        Ok(self.take_opt("thresholds")?.unwrap_or_default())
    }

    fn survey_job(&mut self) -> Result<SurveyJob> {
        let instrument = self.instrument()?;
        let framework = if self.has("framework") {
            Some(self.framework()?)
        } else {
            None
        };
        let framework = scoring_framework(&instrument, framework)?;
        let strategy = self.strategy()?;
        let d = ScoringOptions::default();
        let options = ScoringOptions {
            min_answered: self.take_opt("min_answered")?.unwrap_or(d.min_answered),
            basis: self.take_opt("basis")?.unwrap_or(d.basis),
            area_method: self.take_opt("area_method")?.unwrap_or(d.area_method),
        };
        options.validate()?;
        let (responses, single) = if self.has("answers") {
            let answers: BTreeMap<String, Option<f64>> = self.take("answers")?;
            (answers_to_matrix(&answers, &instrument)?, true)
        } else {
            let table: ResponseTable = self.take("responses")?;
            (table.to_matrix(&instrument)?, false)
        };
        let scorer = Scorer::new(&instrument, framework.as_ref(), &options)
            .map_err(|e| prefix(e, "instrument"))?;
        Ok(SurveyJob {
            instrument,
            framework,
            strategy,
            options,
            responses,
            single,
            scorer,
        })
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

/// Everything `survey.score` and `survey.assessments` need.
struct SurveyJob {
    instrument: Instrument,
    framework: Option<Framework>,
    strategy: LevelStrategy,
    options: ScoringOptions,
    responses: ResponseMatrix,
    single: bool,
    scorer: Scorer,
}

impl SurveyJob {
    fn score(&self) -> Result<Scores> {
        self.scorer
            .score(self.responses.data.view(), self.responses.ids.as_deref())
            .map_err(|e| self.responses.locate(e, self.single))
    }
}

/// `stats.cronbach_alpha`.
#[cfg(feature = "stats")]
fn cronbach_op(input: &mut Input) -> Result<Value> {
    let rows: Vec<Vec<Option<f64>>> = input.take("data")?;
    let items: Option<Vec<String>> = input.take_opt("items")?;
    let missing: Option<MissingPolicy> = input.take_opt("missing")?;
    let ci_level: Option<f64> = input.take_opt("ci_level")?;
    let scale: Option<ResponseScale> = input.take_opt("scale")?;
    let reverse: Option<Vec<Value>> = input.take_opt("reverse")?;
    let data = matrix_from_rows(&rows, "data")?;
    let reverse = ColumnRef::list(reverse.as_deref().unwrap_or(&[]), "reverse")?;
    let options = AlphaOptions {
        missing: missing.unwrap_or_default(),
        ci_level: ci_level.unwrap_or(0.95),
    };
    let spec = AlphaItems {
        names: items.as_deref(),
        scale: scale.as_ref(),
        reverse: &reverse,
    };
    to_json_value(&cronbach_alpha_items(data.view(), &spec, &options)?)
}

/// A matrix from JSON rows (`null` = missing); rows must be equally long.
#[cfg(feature = "stats")]
fn matrix_from_rows(rows: &[Vec<Option<f64>>], key: &str) -> Result<Array2<f64>> {
    let k = rows.first().map(Vec::len).unwrap_or(0);
    let mut data = Array2::<f64>::from_elem((rows.len(), k), f64::NAN);
    for (r, row) in rows.iter().enumerate() {
        if row.len() != k {
            return Err(Error::ShapeMismatch {
                location: format!("{key}[{r}]"),
                message: format!("{} values, but the first row has {k}", row.len()),
            });
        }
        for (c, v) in row.iter().enumerate() {
            if let Some(v) = v {
                data[[r, c]] = *v;
            }
        }
    }
    Ok(data)
}

/// DSI activity counts: 5 numbers in area order, an object by area id, or
/// `null` (not assessed).
#[cfg(feature = "dsi")]
fn dsi_counts(value: &Value, location: &str) -> Result<Option<[u32; 5]>> {
    let count = |v: &Value, loc: String| -> Result<u32> {
        v.as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .or_else(|| {
                v.as_f64()
                    .filter(|x| *x >= 0.0 && x.fract() == 0.0 && *x <= f64::from(u32::MAX))
                    .map(|x| x as u32)
            })
            .ok_or_else(|| {
                Error::invalid(loc, format!("{v} is not a whole number of activities ≥ 0"))
            })
    };
    match value {
        Value::Null => Ok(None),
        Value::Array(list) => {
            if list.len() != 5 {
                return Err(Error::ShapeMismatch {
                    location: location.to_string(),
                    message: format!("expected 5 counts (one per DSI area), got {}", list.len()),
                });
            }
            let mut out = [0u32; 5];
            for (i, (slot, v)) in out.iter_mut().zip(list).enumerate() {
                *slot = count(v, format!("{location}[{i}]"))?;
            }
            Ok(Some(out))
        }
        Value::Object(map) => {
            if let Some(k) = map.keys().find(|k| !dsi::DSI_AREAS.contains(&k.as_str())) {
                return Err(Error::UnknownReference {
                    location: format!("{location}.{k}"),
                    kind: "DSI area".into(),
                    id: k.clone(),
                });
            }
            let mut out = [0u32; 5];
            for (slot, area) in out.iter_mut().zip(dsi::DSI_AREAS) {
                let v = map.get(area).ok_or_else(|| Error::MissingValue {
                    location: format!("{location}.{area}"),
                    what: format!("activity count for {area}"),
                })?;
                *slot = count(v, format!("{location}.{area}"))?;
            }
            Ok(Some(out))
        }
        other => Err(Error::invalid(
            location,
            format!("expected 5 counts, an object by area or null, got {other}"),
        )),
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
#[cfg(feature = "maturity")]
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
