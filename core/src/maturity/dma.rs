//! Questionnaire scoring: the EU Digital Maturity Assessment for public
//! sector organisations (`edih-dma-pso`) and any model with a
//! [`Questionnaire`](crate::maturity::Questionnaire).
//!
//! Each question scores 0–10:
//!
//! - checklist: `10 × ticked / options`;
//! - grid, `combined`: a row scores 1 when done (invested / implemented),
//!   `planned_weight` (default 0.5) when only planned, else 0;
//!   `10 × mean(rows)`;
//! - grid, `split`: two parts, `10 × done / rows` and `10 × planned / rows`
//!   (a row may have both ticks) — the interoperability grid, whose two
//!   shares stand for the dimension's two questions;
//! - scale: `10 × mean((x − min) / (max − min))`, i.e. `10 × Σx / (5 · rows)`
//!   on the 0–5 adoption scale;
//! - no / partially / yes: 0 / `partially_value` (default 0.5) / 1,
//!   `10 × mean(rows)`.
//!
//! A question's score is the mean of its parts. A dimension is
//! `10 × weighted mean of its questions' scores` (equal weights by default),
//! which for two questions is the published `5 × (q₁ + q₂)`, 0–100. The
//! overall score is the weighted mean of the dimensions (equal: the mean of
//! the six). Bands: see [`BandBoundaries`](crate::maturity::BandBoundaries).

use std::collections::{BTreeSet, HashMap};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::maturity::classify::{band_of, BandRef};
use crate::maturity::model::{
    GridScoring, MaturityModel, Question, QuestionKind, DEFAULT_QUESTION_SCALE,
};
use crate::maturity::score::wmean;
use crate::maturity::settings::{DmaSettings, Unanswered};
use crate::text::Text;

/// The answer to one question.
///
/// - checklist: `{"question": "…", "ticked": ["option id", …]}`;
/// - grid: `{"question": "…", "rows": [{"row": "…", "ticked": ["invested", "planned"]}]}`
///   (column ids as in the question's `columns`);
/// - scale: `{"question": "…", "rows": [{"row": "…", "value": 3}]}`;
/// - no/partially/yes: `{"question": "…", "rows": [{"row": "…", "value": "partially"}]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// Question id.
    pub question: String,
    /// Ticked option ids (checklist).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticked: Option<Vec<String>>,
    /// Row answers (grid, scale, no/partially/yes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<Vec<RowAnswer>>,
}

/// The answer to one row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RowAnswer {
    /// Row id.
    pub row: String,
    /// Ticked column ids (grid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticked: Option<Vec<String>>,
    /// Value: a number (scale) or `no` / `partially` / `yes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<RowValue>,
}

/// A row value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RowValue {
    /// A number on the question's scale.
    Number(f64),
    /// `no`, `partially` or `yes`.
    Text(String),
}

/// One part of a question's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionPart {
    /// `all`, or `done` / `planned` for a split grid.
    pub part: String,
    /// Score 0–10.
    pub score: f64,
}

/// Result of one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionResult {
    /// Question id.
    pub id: String,
    /// Dimension id.
    pub dimension: String,
    /// Kind.
    pub kind: QuestionKind,
    /// Score 0–10 (mean of the parts); `null` when skipped as unanswered.
    pub score: Option<f64>,
    /// Parts of the score.
    pub parts: Vec<QuestionPart>,
    /// Options (checklist) or rows.
    pub n_rows: usize,
    /// Options ticked (checklist) or rows answered.
    pub n_answered: usize,
    /// Whether the question had an answer record.
    pub answered: bool,
}

/// Result of one dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DmaDimension {
    /// Dimension id.
    pub id: String,
    /// Name per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub name: Text,
    /// Score 0–100; `null` when all its questions were skipped.
    pub score: Option<f64>,
    /// Band of the score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<BandRef>,
}

/// Result of a questionnaire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DmaResult {
    /// Model id.
    pub model: String,
    /// Overall score 0–100.
    pub overall: Option<f64>,
    /// Band of the overall score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<BandRef>,
    /// Dimensions in model order.
    pub dimensions: Vec<DmaDimension>,
    /// Questions in questionnaire order.
    pub questions: Vec<QuestionResult>,
    /// The settings used.
    pub settings: DmaSettings,
}

fn unique_list<'a>(
    list: &'a [String],
    allowed: &dyn Fn(&str) -> bool,
    location: &str,
    kind: &str,
) -> Result<BTreeSet<&'a str>> {
    let mut set = BTreeSet::new();
    for (t, id) in list.iter().enumerate() {
        if !allowed(id) {
            return Err(Error::UnknownReference {
                location: format!("{location}[{t}]"),
                kind: kind.into(),
                id: id.clone(),
            });
        }
        if !set.insert(id.as_str()) {
            return Err(Error::DuplicateId {
                location: format!("{location}[{t}]"),
                id: id.clone(),
            });
        }
    }
    Ok(set)
}

/// Score a questionnaire (see the module documentation for the rules).
pub fn score_dma(
    model: &MaturityModel,
    answers: &[Answer],
    settings: &DmaSettings,
) -> Result<DmaResult> {
    let settings = settings.clone().checked()?;
    let q = model.questionnaire.as_ref().ok_or_else(|| {
        Error::invalid(
            "model",
            format!("model {:?} has no questionnaire", model.id),
        )
    })?;
    let mut scoring: HashMap<&str, GridScoring> = HashMap::new();
    for (i, o) in settings.grid_scoring.iter().enumerate() {
        let question = q
            .questions
            .iter()
            .find(|x| x.id == o.question)
            .ok_or_else(|| Error::UnknownReference {
                location: format!("settings.grid_scoring[{i}].question"),
                kind: "question".into(),
                id: o.question.clone(),
            })?;
        if question.kind != QuestionKind::Grid {
            return Err(Error::invalid(
                format!("settings.grid_scoring[{i}].question"),
                format!("question {:?} is not a grid", o.question),
            ));
        }
        scoring.insert(question.id.as_str(), o.scoring);
    }
    let mut by_question: HashMap<&str, (usize, &Answer)> = HashMap::new();
    for (i, a) in answers.iter().enumerate() {
        if !q.questions.iter().any(|x| x.id == a.question) {
            return Err(Error::UnknownReference {
                location: format!("answers[{i}].question"),
                kind: "question".into(),
                id: a.question.clone(),
            });
        }
        if by_question.insert(a.question.as_str(), (i, a)).is_some() {
            return Err(Error::DuplicateId {
                location: format!("answers[{i}].question"),
                id: a.question.clone(),
            });
        }
    }
    let mut questions = Vec::with_capacity(q.questions.len());
    for question in &q.questions {
        let mode = scoring
            .get(question.id.as_str())
            .copied()
            .or(question.scoring)
            .unwrap_or(GridScoring::Combined);
        let answer = by_question.get(question.id.as_str()).copied();
        questions.push(score_question(question, answer, mode, &settings)?);
    }
    let mut dimensions = Vec::with_capacity(model.dimensions.len());
    for dim in &model.dimensions {
        let score = wmean(
            q.questions
                .iter()
                .zip(&questions)
                .filter(|(qq, _)| qq.dimension == dim.id)
                .filter_map(|(qq, r)| r.score.map(|s| (10.0 * s, qq.weight))),
        );
        dimensions.push(DmaDimension {
            id: dim.id.clone(),
            name: dim.name.clone(),
            score,
            band: score.and_then(|s| band_of(&model.bands, s, settings.band_boundaries)),
        });
    }
    let overall = wmean(
        model
            .dimensions
            .iter()
            .zip(&dimensions)
            .filter_map(|(d, r)| r.score.map(|s| (s, d.weight))),
    );
    Ok(DmaResult {
        model: model.id.clone(),
        overall,
        band: overall.and_then(|s| band_of(&model.bands, s, settings.band_boundaries)),
        dimensions,
        questions,
        settings,
    })
}

fn unanswered_question(
    question: &Question,
    mode: GridScoring,
    settings: &DmaSettings,
) -> Result<QuestionResult> {
    let n_rows = match question.kind {
        QuestionKind::Checklist => question.options.len(),
        _ => question.rows.len(),
    };
    let (score, parts) = match settings.unanswered {
        Unanswered::Error => {
            return Err(Error::MissingValue {
                location: "answers".into(),
                what: format!("an answer to question {:?}", question.id),
            })
        }
        Unanswered::Skip => (None, Vec::new()),
        Unanswered::Lowest => {
            let split = question.kind == QuestionKind::Grid && mode == GridScoring::Split;
            let parts = if split {
                vec![part("done", 0.0), part("planned", 0.0)]
            } else {
                vec![part("all", 0.0)]
            };
            (Some(0.0), parts)
        }
    };
    Ok(QuestionResult {
        id: question.id.clone(),
        dimension: question.dimension.clone(),
        kind: question.kind,
        score,
        parts,
        n_rows,
        n_answered: 0,
        answered: false,
    })
}

fn part(name: &str, score: f64) -> QuestionPart {
    QuestionPart {
        part: name.to_string(),
        score,
    }
}

fn score_question(
    question: &Question,
    answer: Option<(usize, &Answer)>,
    mode: GridScoring,
    settings: &DmaSettings,
) -> Result<QuestionResult> {
    let Some((i, answer)) = answer else {
        return unanswered_question(question, mode, settings);
    };
    let loc = format!("answers[{i}]");
    let wrong = |field: &str, why: &str| Error::invalid(format!("{loc}.{field}"), why.to_string());
    let result = |parts: Vec<QuestionPart>, n_rows: usize, n_answered: usize| {
        let score = (!parts.is_empty())
            .then(|| parts.iter().map(|p| p.score).sum::<f64>() / parts.len() as f64);
        QuestionResult {
            id: question.id.clone(),
            dimension: question.dimension.clone(),
            kind: question.kind,
            score,
            parts,
            n_rows,
            n_answered,
            answered: true,
        }
    };
    if question.kind == QuestionKind::Checklist {
        if answer.rows.is_some() {
            return Err(wrong("rows", "a checklist is answered with \"ticked\""));
        }
        let ticked = answer.ticked.as_deref().unwrap_or(&[]);
        let allowed = |id: &str| question.options.iter().any(|o| o.id == id);
        let set = unique_list(ticked, &allowed, &format!("{loc}.ticked"), "option")?;
        let n = question.options.len();
        let score = 10.0 * set.len() as f64 / n as f64;
        return Ok(result(vec![part("all", score)], n, set.len()));
    }
    if answer.ticked.is_some() {
        return Err(wrong("ticked", "this question is answered with \"rows\""));
    }
    let rows = answer.rows.as_deref().unwrap_or(&[]);
    let mut seen = BTreeSet::new();
    let mut row_answers: Vec<Option<&RowAnswer>> = vec![None; question.rows.len()];
    for (j, ra) in rows.iter().enumerate() {
        let pos = question
            .rows
            .iter()
            .position(|r| r.id == ra.row)
            .ok_or_else(|| Error::UnknownReference {
                location: format!("{loc}.rows[{j}].row"),
                kind: "row".into(),
                id: ra.row.clone(),
            })?;
        if !seen.insert(ra.row.as_str()) {
            return Err(Error::DuplicateId {
                location: format!("{loc}.rows[{j}].row"),
                id: ra.row.clone(),
            });
        }
        if let Some(slot) = row_answers.get_mut(pos) {
            *slot = Some(ra);
        }
    }
    let row_loc = |ra: &RowAnswer| -> String {
        let j = rows.iter().position(|x| x.row == ra.row).unwrap_or(0);
        format!("{loc}.rows[{j}]")
    };
    let n = question.rows.len();
    match question.kind {
        QuestionKind::Grid => {
            let Some(cols) = &question.columns else {
                return Err(Error::MissingValue {
                    location: "columns".into(),
                    what: "grid columns".into(),
                });
            };
            let (mut done, mut planned, mut combined, mut answered) = (0usize, 0usize, 0.0, 0usize);
            for ra in row_answers.iter().flatten() {
                if ra.value.is_some() {
                    return Err(Error::invalid(
                        format!("{}.value", row_loc(ra)),
                        "a grid row is answered with \"ticked\"",
                    ));
                }
                let ticked = ra.ticked.as_deref().unwrap_or(&[]);
                let allowed = |id: &str| id == cols.done || id == cols.planned;
                let set = unique_list(
                    ticked,
                    &allowed,
                    &format!("{}.ticked", row_loc(ra)),
                    "column",
                )?;
                let is_done = set.contains(cols.done.as_str());
                let is_planned = set.contains(cols.planned.as_str());
                if is_done || is_planned {
                    answered += 1;
                }
                done += usize::from(is_done);
                planned += usize::from(is_planned);
                combined += if is_done {
                    1.0
                } else if is_planned {
                    settings.planned_weight
                } else {
                    0.0
                };
            }
            let parts = match mode {
                GridScoring::Combined => vec![part("all", 10.0 * combined / n as f64)],
                GridScoring::Split => vec![
                    part("done", 10.0 * done as f64 / n as f64),
                    part("planned", 10.0 * planned as f64 / n as f64),
                ],
            };
            Ok(result(parts, n, answered))
        }
        QuestionKind::Scale | QuestionKind::NoPartiallyYes => {
            let scale = question.scale.as_ref().unwrap_or(&DEFAULT_QUESTION_SCALE);
            let mut values = Vec::with_capacity(n);
            let mut answered = 0usize;
            for (r, ra) in row_answers.iter().enumerate() {
                let v = match ra {
                    Some(ra) => {
                        if ra.ticked.is_some() {
                            return Err(Error::invalid(
                                format!("{}.ticked", row_loc(ra)),
                                "this row is answered with \"value\"",
                            ));
                        }
                        match (&ra.value, question.kind) {
                            (None, _) => None,
                            (Some(RowValue::Number(x)), QuestionKind::Scale) => {
                                if !(*x >= scale.min && *x <= scale.max) {
                                    return Err(Error::ValueOutOfScale {
                                        location: format!("{}.value", row_loc(ra)),
                                        value: *x,
                                        min: scale.min,
                                        max: scale.max,
                                    });
                                }
                                Some((x - scale.min) / (scale.max - scale.min))
                            }
                            (Some(RowValue::Text(s)), QuestionKind::NoPartiallyYes) => {
                                Some(match s.as_str() {
                                    "no" => 0.0,
                                    "partially" => settings.partially_value,
                                    "yes" => 1.0,
                                    other => {
                                        return Err(Error::invalid(
                                            format!("{}.value", row_loc(ra)),
                                            format!(
                                                "{other:?} is not \"no\", \"partially\" or \"yes\""
                                            ),
                                        ))
                                    }
                                })
                            }
                            (Some(_), QuestionKind::Scale) => {
                                return Err(Error::invalid(
                                    format!("{}.value", row_loc(ra)),
                                    "a scale row needs a number",
                                ))
                            }
                            (Some(_), _) => {
                                return Err(Error::invalid(
                                    format!("{}.value", row_loc(ra)),
                                    "the value must be \"no\", \"partially\" or \"yes\"",
                                ))
                            }
                        }
                    }
                    None => None,
                };
                match v {
                    Some(v) => {
                        answered += 1;
                        values.push(v);
                    }
                    None => match settings.unanswered {
                        Unanswered::Lowest => values.push(0.0),
                        Unanswered::Skip => {}
                        Unanswered::Error => {
                            return Err(Error::MissingValue {
                                location: format!("{loc}.rows"),
                                what: format!(
                                    "an answer to row {:?}",
                                    question.rows.get(r).map_or("", |x| x.id.as_str())
                                ),
                            })
                        }
                    },
                }
            }
            let parts = if values.is_empty() {
                Vec::new()
            } else {
                vec![part(
                    "all",
                    10.0 * values.iter().sum::<f64>() / values.len() as f64,
                )]
            };
            Ok(result(parts, n, answered))
        }
        QuestionKind::Checklist => Ok(result(Vec::new(), n, 0)),
    }
}
