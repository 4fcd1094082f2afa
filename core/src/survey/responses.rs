//! The JSON form of a response matrix and per-respondent score reports.
//!
//! Responses: `{"items": ["q1", "q2", …], "rows": [[3, null, …], …],
//! "ids": ["r1", …]}` — columns named by item id in any order (every item of
//! the instrument must have a column, no unknown or repeated ids), one row
//! per respondent, `null` = missing, optional respondent ids (used in error
//! messages and as `person` of assessments). A single respondent may also be
//! given as `{"q1": 3, "q2": null, …}` (answers by item id; items left out
//! are missing).

use std::collections::BTreeMap;

use ndarray::Array2;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::instrument::Instrument;
use super::levels::LevelStrategy;
use super::scoring::{MissingReason, Scores, ScoringOptions};
use crate::error::{Error, Result};

/// A respondents × items table in JSON form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseTable {
    /// Item id of each column.
    pub items: Vec<String>,
    /// One row of answers per respondent (`null` = missing).
    pub rows: Vec<Vec<Option<f64>>>,
    /// Respondent ids, one per row (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ids: Option<Vec<String>>,
}

/// Responses as a matrix in the instrument's item order.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseMatrix {
    /// n × k answers, `NaN` = missing, columns in instrument order.
    pub data: Array2<f64>,
    /// Respondent ids, if given.
    pub ids: Option<Vec<String>>,
    /// For each instrument column, the column of the original table.
    pub source_columns: Vec<usize>,
}

impl ResponseTable {
    /// Reorder into the instrument's item order (errors name
    /// `responses.items[j]`, `responses.rows[i]`, `responses.ids`).
    pub fn to_matrix(&self, instrument: &Instrument) -> Result<ResponseMatrix> {
        let source = column_sources(
            &self.items,
            self.rows.len(),
            self.ids.as_deref(),
            instrument,
        )?;
        let k = instrument.items.len();
        let width = self.items.len();
        let mut data = Array2::<f64>::from_elem((self.rows.len(), k), f64::NAN);
        for (r, row) in self.rows.iter().enumerate() {
            if row.len() != width {
                return Err(Error::ShapeMismatch {
                    location: format!("responses.rows[{r}]"),
                    message: format!("{} values for {} items", row.len(), width),
                });
            }
            for (c, &s) in source.iter().enumerate() {
                if let Some(Some(v)) = row.get(s) {
                    data[[r, c]] = *v;
                }
            }
        }
        Ok(ResponseMatrix {
            data,
            ids: self.ids.clone(),
            source_columns: source,
        })
    }
}

/// The checks of [`ResponseTable::to_matrix`] for a table with `rows` rows
/// whose columns are named `items`: every name is an item of the instrument
/// (`unknown_reference` at `responses.items[j]`), none repeats
/// (`duplicate_id`), every item has a column (`missing_value` at
/// `responses.items`) and `ids`, when given, has one id per row
/// (`shape_mismatch` at `responses.ids`). Returns, for each instrument
/// item, the table column that holds it (the `source_columns` of a
/// [`ResponseMatrix`]).
pub fn column_sources(
    items: &[String],
    rows: usize,
    ids: Option<&[String]>,
    instrument: &Instrument,
) -> Result<Vec<usize>> {
    let index = instrument.item_index();
    let k = instrument.items.len();
    let mut source = vec![usize::MAX; k];
    for (j, id) in items.iter().enumerate() {
        let loc = format!("responses.items[{j}]");
        let &i = index
            .get(id.as_str())
            .ok_or_else(|| Error::UnknownReference {
                location: loc.clone(),
                kind: "item".into(),
                id: id.clone(),
            })?;
        if source[i] != usize::MAX {
            return Err(Error::DuplicateId {
                location: loc,
                id: id.clone(),
            });
        }
        source[i] = j;
    }
    if let Some(i) = source.iter().position(|&s| s == usize::MAX) {
        return Err(Error::MissingValue {
            location: "responses.items".into(),
            what: format!(
                "a column for item {:?} (use null answers for items nobody answered)",
                instrument.items[i].id
            ),
        });
    }
    if let Some(ids) = ids {
        if ids.len() != rows {
            return Err(Error::ShapeMismatch {
                location: "responses.ids".into(),
                message: format!("{} ids for {} rows", ids.len(), rows),
            });
        }
    }
    Ok(source)
}

/// One respondent's answers by item id (items left out are missing).
pub fn answers_to_matrix(
    answers: &BTreeMap<String, Option<f64>>,
    instrument: &Instrument,
) -> Result<ResponseMatrix> {
    let index = instrument.item_index();
    let k = instrument.items.len();
    let mut data = Array2::<f64>::from_elem((1, k), f64::NAN);
    for (id, v) in answers {
        let &i = index
            .get(id.as_str())
            .ok_or_else(|| Error::UnknownReference {
                location: format!("answers.{id}"),
                kind: "item".into(),
                id: id.clone(),
            })?;
        if let Some(v) = v {
            data[[0, i]] = *v;
        }
    }
    Ok(ResponseMatrix {
        data,
        ids: None,
        source_columns: (0..k).collect(),
    })
}

impl ResponseMatrix {
    /// Rewrite a `value_out_of_scale` error's location to the original
    /// table (`responses.rows[r][j]`, or `answers.<item>` for one
    /// respondent's answers).
    pub fn locate(&self, err: Error, single: bool) -> Error {
        locate_answer_error(err, &self.source_columns, single)
    }
}

/// Rewrite a `value_out_of_scale` error of [`Scorer::score`](super::Scorer::score)
/// (location `rows[r][c]`, c an instrument column) to the original table:
/// `responses.rows[r][j]` with `j = source_columns[c]`, or `answers.<item>`
/// for one respondent's answers (`single`). Other errors are unchanged.
pub fn locate_answer_error(err: Error, source_columns: &[usize], single: bool) -> Error {
    match err {
        Error::AnswersOutOfScale {
            location,
            respondent,
            respondent_label,
            item,
            value,
            min,
            max,
            count,
            answers,
        } => {
            let col = location
                .rsplit('[')
                .next()
                .and_then(|s| s.trim_end_matches(']').parse::<usize>().ok())
                .and_then(|c| source_columns.get(c).copied());
            let location = match (single, col) {
                (true, _) => format!("answers.{item}"),
                (false, Some(j)) => format!("responses.rows[{respondent}][{j}]"),
                (false, None) => format!("responses.{location}"),
            };
            Error::AnswersOutOfScale {
                location,
                respondent,
                respondent_label,
                item,
                value,
                min,
                max,
                count,
                answers,
            }
        }
        other => other,
    }
}

/// Score, percent, level and missing reason of one target or area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreEntry {
    /// Target (competence/capability) id, or area id in `areas`.
    pub id: String,
    /// Score on [0, 1]; `null` when missing.
    pub score: Option<f64>,
    /// 100 · score.
    pub percent: Option<f64>,
    /// Level by the strategy.
    pub level: Option<i32>,
    /// Band label, when the strategy has labels.
    pub label: Option<String>,
    /// Answered share (by the chosen basis).
    pub answered: f64,
    /// Why the score is missing.
    pub reason: Option<MissingReason>,
}

/// One respondent's scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RespondentScores {
    /// Row index.
    pub index: usize,
    /// Respondent id, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// One entry per target, in target order.
    pub scores: Vec<ScoreEntry>,
    /// One entry per area (empty without a framework).
    pub areas: Vec<ScoreEntry>,
}

/// The JSON result of scoring (`survey.score`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreReport {
    /// Instrument id.
    pub instrument: String,
    /// Framework id, when targets are competences.
    pub framework: Option<String>,
    /// The level strategy used.
    pub strategy: LevelStrategy,
    /// The scoring options used.
    pub options: ScoringOptions,
    /// Target ids in order.
    pub targets: Vec<String>,
    /// Area ids in order.
    pub areas: Vec<String>,
    /// One record per respondent.
    pub respondents: Vec<RespondentScores>,
}

fn entry(id: &str, score: f64, answered: f64, status: u8, strategy: &LevelStrategy) -> ScoreEntry {
    let level = strategy.classify(score);
    ScoreEntry {
        id: id.to_string(),
        score: (!score.is_nan()).then_some(score),
        percent: (!score.is_nan()).then_some(100.0 * score),
        label: level.as_ref().and_then(|l| l.label.clone()),
        level: level.map(|l| l.level),
        answered,
        reason: MissingReason::from_code(status),
    }
}

impl Scores {
    /// Per-respondent records for JSON.
    pub fn report(
        &self,
        instrument: &str,
        framework: Option<&str>,
        strategy: &LevelStrategy,
        options: &ScoringOptions,
        ids: Option<&[String]>,
    ) -> ScoreReport {
        let respondents = (0..self.len())
            .map(|r| RespondentScores {
                index: r,
                id: ids.and_then(|ids| ids.get(r).cloned()),
                scores: self
                    .targets
                    .iter()
                    .enumerate()
                    .map(|(t, id)| {
                        entry(
                            id,
                            self.scores[[r, t]],
                            self.answered[[r, t]],
                            self.status[[r, t]],
                            strategy,
                        )
                    })
                    .collect(),
                areas: self
                    .areas
                    .iter()
                    .enumerate()
                    .map(|(a, id)| {
                        entry(
                            id,
                            self.area_scores[[r, a]],
                            self.area_answered[[r, a]],
                            self.area_status[[r, a]],
                            strategy,
                        )
                    })
                    .collect(),
            })
            .collect();
        ScoreReport {
            instrument: instrument.to_string(),
            framework: framework.map(str::to_string),
            strategy: strategy.clone(),
            options: *options,
            targets: self.targets.clone(),
            areas: self.areas.clone(),
            respondents,
        }
    }
}
