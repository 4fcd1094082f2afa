//! Scoring a respondents × items matrix per target (competence or
//! capability) and per competence area.
//!
//! Definitions, per respondent and target t (the items whose `target` is t):
//!
//! - **Rescaling.** An answer `x` on the item's scale `min..=max` becomes
//!   `r = (x − min)/(max − min)` on [0, 1]; a reverse-keyed item uses
//!   `x' = min + max − x` first, i.e. `r = (max − x)/(max − min)`.
//! - **Score** `= Σ w·r / Σ w` over the answered items of t (item weights
//!   `w`, default 1). Percent = 100 · score.
//! - **Missing-answer rule.** The answered share of t is the number of
//!   answered items over the number of items (`basis = "count"`, default) or
//!   their weight over the total weight (`basis = "weight"`). The score is
//!   computed when the share is at least `min_answered` (default 0.5;
//!   compared with a 1e-12 tolerance) and at least one item is answered;
//!   otherwise it is missing with the reason `no_answers` or
//!   `too_few_answers`. `min_answered = 0` means "any answer", `1` means
//!   "every item".
//! - **Area scores** (when the targets are competences of a framework, which
//!   tells each competence's area): `area_method = "items"` (default, the
//!   DigCompSAT definition "mean of the area's items") pools every item of
//!   the area's competences, with the same weights and missing-answer rule
//!   as a target; `area_method = "competences"` is the unweighted mean of the
//!   area's non-missing competence scores, missing when fewer than
//!   `min_answered` of the area's scored competences (those with items) have
//!   a score. The two differ when competences have different numbers of
//!   items (the unweighted mean of means is not the mean of the items).
//! - **Validation.** Every answer must be missing (`NaN`) or on its item's
//!   scale; otherwise the whole call fails with `value_out_of_scale`, naming
//!   the first bad value (row-major) and counting all of them.
//!
//! Scoring precomputes per item its target, area, rescaling base and factor,
//! and makes one pass over the matrix (100,000 × 82 in a few milliseconds).
//!
//! ```
//! use kompetens::survey::{Instrument, Scorer, ScoringOptions, LevelStrategy};
//! use ndarray::array;
//! let inst = Instrument::from_json(r#"{"id": "t", "scale": {"min": 1, "max": 5}, "items": [
//!   {"id": "a", "target": "1.1"}, {"id": "b", "target": "1.1", "reverse": true},
//!   {"id": "c", "target": "1.2", "weight": 2}]}"#)?;
//! let scorer = Scorer::new(&inst, None, &ScoringOptions::default())?;
//! let scores = scorer.score(array![[5.0, 2.0, 3.0], [1.0, f64::NAN, f64::NAN]].view(), None)?;
//! // Row 0, target 1.1: a → (5−1)/4 = 1, b reversed → (5−2)/4 = 0.75; mean 0.875.
//! assert_eq!(scores.scores[[0, 0]], 0.875);
//! assert_eq!(scores.scores[[0, 1]], 0.5);
//! // Row 1: 1.1 has 1 of 2 items (share 0.5 ≥ 0.5) → 0; 1.2 unanswered.
//! assert_eq!(scores.scores[[1, 0]], 0.0);
//! assert!(scores.scores[[1, 1]].is_nan());
//! assert_eq!(scores.level_matrix(&LevelStrategy::Floor8)[[0, 0]], 7.0);
//! # Ok::<(), kompetens::Error>(())
//! ```

use std::collections::HashMap;
use std::str::FromStr;

use ndarray::{Array2, ArrayView1, ArrayView2, Axis};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::instrument::Instrument;
use super::levels::LevelStrategy;
use crate::assessment::{Assessment, Rating, Ratings, Source};
use crate::error::{Error, OutOfScaleAnswer, Result};
use crate::framework::Framework;

/// What the answered share of a target counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MissingBasis {
    /// Number of items.
    #[default]
    Count,
    /// Item weights.
    Weight,
}

/// How area scores are formed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AreaMethod {
    /// Pool the items of the area (DigCompSAT).
    #[default]
    Items,
    /// Unweighted mean of the area's competence scores.
    Competences,
}

/// Scoring options.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ScoringOptions {
    /// Minimum answered share for a score (default 0.5).
    pub min_answered: f64,
    /// Count items or weights for the answered share (default count).
    pub basis: MissingBasis,
    /// How area scores are formed (default items).
    pub area_method: AreaMethod,
}

impl Default for ScoringOptions {
    fn default() -> Self {
        ScoringOptions {
            min_answered: 0.5,
            basis: MissingBasis::Count,
            area_method: AreaMethod::Items,
        }
    }
}

impl ScoringOptions {
    /// Check `min_answered` ∈ [0, 1].
    pub fn validate(&self) -> Result<()> {
        if !(self.min_answered.is_finite() && (0.0..=1.0).contains(&self.min_answered)) {
            return Err(Error::invalid(
                "min_answered",
                format!("{} must lie in [0, 1]", self.min_answered),
            ));
        }
        Ok(())
    }
}

impl FromStr for MissingBasis {
    type Err = Error;
    fn from_str(s: &str) -> Result<MissingBasis> {
        match s.trim() {
            "count" => Ok(MissingBasis::Count),
            "weight" => Ok(MissingBasis::Weight),
            other => Err(Error::invalid(
                "basis",
                format!("unknown basis {other:?} (expected count or weight)"),
            )),
        }
    }
}

impl FromStr for AreaMethod {
    type Err = Error;
    fn from_str(s: &str) -> Result<AreaMethod> {
        match s.trim() {
            "items" => Ok(AreaMethod::Items),
            "competences" => Ok(AreaMethod::Competences),
            other => Err(Error::invalid(
                "area_method",
                format!("unknown area method {other:?} (expected items or competences)"),
            )),
        }
    }
}

/// Why a score is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MissingReason {
    /// No item of the target was answered.
    NoAnswers,
    /// Fewer than `min_answered` of the items were answered.
    TooFewAnswers,
}

impl MissingReason {
    /// Status code in [`Scores::status`]: 0 = scored, 1 = `no_answers`,
    /// 2 = `too_few_answers`.
    pub fn code(self) -> u8 {
        match self {
            MissingReason::NoAnswers => 1,
            MissingReason::TooFewAnswers => 2,
        }
    }

    /// The reason of a status code (`None` for 0 = scored).
    pub fn from_code(code: u8) -> Option<MissingReason> {
        match code {
            1 => Some(MissingReason::NoAnswers),
            2 => Some(MissingReason::TooFewAnswers),
            _ => None,
        }
    }
}

const NO_AREA: usize = usize::MAX;
const SHARE_TOLERANCE: f64 = 1e-12;

#[derive(Debug, Clone)]
struct ItemPlan {
    target: usize,
    base: f64,
    /// `weight / (max − min)`, negative for reverse-keyed items.
    weighted_factor: f64,
    weight: f64,
    basis: f64,
    min: f64,
    max: f64,
}

/// An instrument compiled for fast scoring.
#[derive(Debug, Clone)]
pub struct Scorer {
    item_ids: Vec<String>,
    targets: Vec<String>,
    areas: Vec<String>,
    competence_targets: bool,
    plan: Vec<ItemPlan>,
    target_total: Vec<f64>,
    area_total: Vec<f64>,
    area_targets: Vec<Vec<usize>>,
    options: ScoringOptions,
}

/// Scores of every respondent (rows) per target and area (columns).
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// Target ids (column order of `scores`).
    pub targets: Vec<String>,
    /// Area ids (column order of `area_scores`); empty without a framework.
    pub areas: Vec<String>,
    /// Scores on [0, 1]; `NaN` = missing.
    pub scores: Array2<f64>,
    /// Answered share per target (by the chosen basis).
    pub answered: Array2<f64>,
    /// 0 = scored, else a [`MissingReason::code`].
    pub status: Array2<u8>,
    /// Area scores on [0, 1]; `NaN` = missing.
    pub area_scores: Array2<f64>,
    /// Answered share per area (items, or scored competences).
    pub area_answered: Array2<f64>,
    /// 0 = scored, else a [`MissingReason::code`].
    pub area_status: Array2<u8>,
    /// Whether the targets are competences of a framework.
    pub competence_targets: bool,
}

impl Scorer {
    /// Compile an instrument. With a framework, every target must be one of
    /// its competences (error `unknown_competence` at `items[i].target`),
    /// targets are ordered as in the framework and area scores are formed.
    /// Without one, targets keep their first-appearance order and there are
    /// no areas.
    pub fn new(
        instrument: &Instrument,
        framework: Option<&Framework>,
        options: &ScoringOptions,
    ) -> Result<Scorer> {
        instrument.validate()?;
        options.validate()?;
        // Targets and areas in order.
        let (targets, areas, target_area): (Vec<String>, Vec<String>, Vec<usize>) = match framework
        {
            Some(fw) => {
                let mut used = vec![false; fw.competence_ids().len()];
                for (i, item) in instrument.items.iter().enumerate() {
                    let c = fw.check_competence(&item.target, &format!("items[{i}].target"))?;
                    if let Some(u) = used.get_mut(c) {
                        *u = true;
                    }
                }
                let mut targets = Vec::new();
                let mut areas: Vec<String> = Vec::new();
                let mut target_area = Vec::new();
                for c in fw.competences() {
                    if used.get(c.index).copied().unwrap_or(false) {
                        if areas.last().map(String::as_str) != Some(c.area) {
                            areas.push(c.area.to_string());
                        }
                        targets.push(c.competence.id.clone());
                        target_area.push(areas.len() - 1);
                    }
                }
                (targets, areas, target_area)
            }
            None => {
                let mut targets: Vec<String> = Vec::new();
                for item in &instrument.items {
                    if !targets.contains(&item.target) {
                        targets.push(item.target.clone());
                    }
                }
                let n = targets.len();
                (targets, Vec::new(), vec![NO_AREA; n])
            }
        };
        let target_index: HashMap<&str, usize> = targets
            .iter()
            .enumerate()
            .map(|(i, t)| (t.as_str(), i))
            .collect();
        let mut plan = Vec::with_capacity(instrument.items.len());
        let mut target_total = vec![0.0; targets.len()];
        let mut area_total = vec![0.0; areas.len()];
        for (i, item) in instrument.items.iter().enumerate() {
            let scale = instrument.item_scale(i)?;
            let target =
                *target_index
                    .get(item.target.as_str())
                    .ok_or_else(|| Error::UnknownReference {
                        location: format!("items[{i}].target"),
                        kind: "target".into(),
                        id: item.target.clone(),
                    })?;
            let area = target_area.get(target).copied().unwrap_or(NO_AREA);
            let range = scale.max - scale.min;
            let (base, factor) = if item.reverse {
                (scale.max, -1.0 / range)
            } else {
                (scale.min, 1.0 / range)
            };
            let basis = match options.basis {
                MissingBasis::Count => 1.0,
                MissingBasis::Weight => item.weight,
            };
            target_total[target] += basis;
            if let Some(a) = area_total.get_mut(area) {
                *a += basis;
            }
            plan.push(ItemPlan {
                target,
                base,
                weighted_factor: item.weight * factor,
                weight: item.weight,
                basis,
                min: scale.min,
                max: scale.max,
            });
        }
        let mut area_targets = vec![Vec::new(); areas.len()];
        for (t, &a) in target_area.iter().enumerate() {
            if let Some(list) = area_targets.get_mut(a) {
                list.push(t);
            }
        }
        Ok(Scorer {
            item_ids: instrument.items.iter().map(|i| i.id.clone()).collect(),
            targets,
            areas,
            competence_targets: framework.is_some(),
            plan,
            target_total,
            area_total,
            area_targets,
            options: *options,
        })
    }

    /// Item ids in column order.
    pub fn item_ids(&self) -> &[String] {
        &self.item_ids
    }

    /// Target ids in score column order.
    pub fn targets(&self) -> &[String] {
        &self.targets
    }

    /// Area ids in area column order.
    pub fn areas(&self) -> &[String] {
        &self.areas
    }

    /// The options the scorer was compiled with.
    pub fn options(&self) -> &ScoringOptions {
        &self.options
    }

    /// Check that every answer is missing or on its item's scale, without
    /// scoring.
    pub fn validate(&self, responses: ArrayView2<f64>, ids: Option<&[String]>) -> Result<()> {
        self.check_shape(responses, ids)?;
        let mut bad: Vec<(usize, usize, f64)> = Vec::new();
        for (r, row) in responses.axis_iter(Axis(0)).enumerate() {
            for (c, (&x, p)) in row.iter().zip(&self.plan).enumerate() {
                if x < p.min || x > p.max {
                    bad.push((r, c, x));
                }
            }
        }
        if bad.is_empty() {
            Ok(())
        } else {
            Err(self.out_of_scale(&bad, ids))
        }
    }

    fn check_shape(&self, responses: ArrayView2<f64>, ids: Option<&[String]>) -> Result<()> {
        if responses.ncols() != self.plan.len() {
            return Err(Error::ShapeMismatch {
                location: "responses".into(),
                message: format!(
                    "{} columns given, the instrument has {} items",
                    responses.ncols(),
                    self.plan.len()
                ),
            });
        }
        if let Some(ids) = ids {
            if ids.len() != responses.nrows() {
                return Err(Error::ShapeMismatch {
                    location: "ids".into(),
                    message: format!(
                        "{} ids for {} rows of responses",
                        ids.len(),
                        responses.nrows()
                    ),
                });
            }
        }
        Ok(())
    }

    /// The error for the out-of-scale answers `bad` (row, column, value;
    /// row-major order, at least one): names the first and lists them all.
    fn out_of_scale(&self, bad: &[(usize, usize, f64)], ids: Option<&[String]>) -> Error {
        let Some(&(r, c, value)) = bad.first() else {
            return Error::invalid("responses", "no answer outside its scale");
        };
        let plan = &self.plan[c];
        let id = |r: usize| ids.and_then(|ids| ids.get(r)).cloned();
        Error::AnswersOutOfScale {
            location: format!("rows[{r}][{c}]"),
            respondent: r,
            respondent_label: match id(r) {
                Some(id) => format!("{r} (id {id:?})"),
                None => r.to_string(),
            },
            item: self.item_ids.get(c).cloned().unwrap_or_default(),
            value,
            min: plan.min,
            max: plan.max,
            count: bad.len(),
            answers: Box::new(
                bad.iter()
                    .map(|&(r, c, value)| OutOfScaleAnswer {
                        respondent: r,
                        respondent_id: id(r),
                        item: self.item_ids.get(c).cloned().unwrap_or_default(),
                        value,
                        min: self.plan[c].min,
                        max: self.plan[c].max,
                    })
                    .collect(),
            ),
        }
    }

    /// Score a respondents × items matrix (columns in the instrument's item
    /// order, `NaN` = missing). `ids` (one per row) only serve error
    /// messages.
    pub fn score(&self, responses: ArrayView2<f64>, ids: Option<&[String]>) -> Result<Scores> {
        self.check_shape(responses, ids)?;
        let responses = responses.as_standard_layout();
        let n = responses.nrows();
        let nt = self.targets.len();
        let na = self.areas.len();
        let mut scores = Array2::<f64>::from_elem((n, nt), f64::NAN);
        let mut answered = Array2::<f64>::zeros((n, nt));
        let mut status = Array2::<u8>::zeros((n, nt));
        let mut area_scores = Array2::<f64>::from_elem((n, na), f64::NAN);
        let mut area_answered = Array2::<f64>::zeros((n, na));
        let mut area_status = Array2::<u8>::zeros((n, na));

        // Scratch accumulators per target: [Σ w·r, Σ w, Σ basis]. Pooled
        // area sums are sums of their targets' accumulators.
        let mut t_acc = vec![[0.0f64; 3]; nt];
        let pool_areas = na > 0 && self.options.area_method == AreaMethod::Items;
        let min_share = self.options.min_answered - SHARE_TOLERANCE;
        // every out-of-scale answer (row, column, value), in row-major order
        let mut bad: Vec<(usize, usize, f64)> = Vec::new();
        let classify = |sum: [f64; 3], total: f64| -> (f64, f64, u8) {
            let share = sum[2] / total;
            if sum[2] == 0.0 {
                (f64::NAN, share, MissingReason::NoAnswers.code())
            } else if share < min_share {
                (f64::NAN, share, MissingReason::TooFewAnswers.code())
            } else {
                (sum[0] / sum[1], share, 0)
            }
        };

        for (r, row) in responses.axis_iter(Axis(0)).enumerate() {
            t_acc.iter_mut().for_each(|a| *a = [0.0; 3]);
            let mut add = |c: usize, x: f64, p: &ItemPlan| {
                if x.is_nan() {
                    return;
                }
                if x < p.min || x > p.max {
                    bad.push((r, c, x));
                    return;
                }
                if let Some(acc) = t_acc.get_mut(p.target) {
                    acc[0] += (x - p.base) * p.weighted_factor;
                    acc[1] += p.weight;
                    acc[2] += p.basis;
                }
            };
            match row.as_slice() {
                Some(slice) => {
                    for (c, (&x, p)) in slice.iter().zip(&self.plan).enumerate() {
                        add(c, x, p);
                    }
                }
                None => {
                    for (c, (&x, p)) in row.iter().zip(&self.plan).enumerate() {
                        add(c, x, p);
                    }
                }
            }
            if !bad.is_empty() {
                // no scores are returned: only the other bad answers matter
                continue;
            }
            let mut srow = scores.row_mut(r);
            let mut arow = answered.row_mut(r);
            let mut strow = status.row_mut(r);
            for (t, (acc, &total)) in t_acc.iter().zip(&self.target_total).enumerate() {
                let (v, share, code) = classify(*acc, total);
                srow[t] = v;
                arow[t] = share;
                strow[t] = code;
            }
            if na == 0 {
                continue;
            }
            let mut asrow = area_scores.row_mut(r);
            let mut aarow = area_answered.row_mut(r);
            let mut astrow = area_status.row_mut(r);
            for (a, list) in self.area_targets.iter().enumerate() {
                let (value, share, code) = if pool_areas {
                    let mut sum = [0.0f64; 3];
                    for &t in list {
                        if let Some(acc) = t_acc.get(t) {
                            sum[0] += acc[0];
                            sum[1] += acc[1];
                            sum[2] += acc[2];
                        }
                    }
                    classify(sum, self.area_total[a])
                } else {
                    let (sum, k) = list
                        .iter()
                        .filter(|&&t| strow[t] == 0)
                        .fold((0.0, 0usize), |(s, k), &t| (s + srow[t], k + 1));
                    let share = k as f64 / list.len().max(1) as f64;
                    if k == 0 {
                        (f64::NAN, share, MissingReason::NoAnswers.code())
                    } else if share < min_share {
                        (f64::NAN, share, MissingReason::TooFewAnswers.code())
                    } else {
                        (sum / k as f64, share, 0)
                    }
                };
                asrow[a] = value;
                aarow[a] = share;
                astrow[a] = code;
            }
        }
        if !bad.is_empty() {
            return Err(self.out_of_scale(&bad, ids));
        }
        Ok(Scores {
            targets: self.targets.clone(),
            areas: self.areas.clone(),
            scores,
            answered,
            status,
            area_scores,
            area_answered,
            area_status,
            competence_targets: self.competence_targets,
        })
    }

    /// Score one respondent's answers (in item order).
    pub fn score_one(&self, answers: ArrayView1<f64>) -> Result<Scores> {
        let row = answers.insert_axis(Axis(0));
        self.score(row, None)
    }
}

/// The framework to score `instrument` with: `framework` when given (error
/// `invalid_value` at `framework` when the instrument declares another
/// built-in framework), else the built-in framework named by the
/// instrument's `framework` (errors located under `instrument.framework`),
/// else none (targets are not competences).
pub fn scoring_framework(
    instrument: &Instrument,
    framework: Option<Framework>,
) -> Result<Option<Framework>> {
    match (framework, &instrument.framework) {
        (Some(fw), Some(declared)) => {
            if Framework::builtin(declared).is_ok_and(|b| b.id != fw.id) {
                return Err(Error::invalid(
                    "framework",
                    format!(
                        "the instrument is written for {declared:?}, not {:?}",
                        fw.id
                    ),
                ));
            }
            Ok(Some(fw))
        }
        (Some(fw), None) => Ok(Some(fw)),
        (None, Some(name)) => Framework::builtin(name)
            .map(Some)
            .map_err(|e| e.within("instrument.framework")),
        (None, None) => Ok(None),
    }
}

impl Scores {
    /// Number of respondents.
    pub fn len(&self) -> usize {
        self.scores.nrows()
    }

    /// True without respondents.
    pub fn is_empty(&self) -> bool {
        self.scores.nrows() == 0
    }

    /// Levels per respondent and target (`NaN` where the score is missing).
    pub fn level_matrix(&self, strategy: &LevelStrategy) -> Array2<f64> {
        self.scores
            .mapv(|s| strategy.level(s).map(f64::from).unwrap_or(f64::NAN))
    }

    /// Levels per respondent and area (`NaN` where the score is missing).
    pub fn area_level_matrix(&self, strategy: &LevelStrategy) -> Array2<f64> {
        self.area_scores
            .mapv(|s| strategy.level(s).map(f64::from).unwrap_or(f64::NAN))
    }

    /// One respondent's levels as sourced [`Ratings`] for
    /// [`gap_report`](crate::gap_report): one rating per scored competence,
    /// with the strategy's level and `source` (`self` for a self-assessment
    /// survey, `test` for a knowledge test). Missing scores give no rating
    /// (the gap report lists them as missing, never as level 0).
    ///
    /// ```
    /// use kompetens::survey::{Instrument, LevelStrategy, Scorer, ScoringOptions};
    /// use kompetens::{gap_report, EffectiveProfile, Framework, RoleProfile, Source};
    /// let fw = Framework::builtin("digcomp-2.2")?;
    /// let inst = Instrument::from_json(r#"{"id": "t", "scale": {"min": 0, "max": 3},
    ///   "items": [{"id": "a", "target": "1.1"}, {"id": "b", "target": "1.1"}]}"#)?;
    /// let scores = Scorer::new(&inst, Some(&fw), &ScoringOptions::default())?
    ///     .score(ndarray::array![[3.0, 2.0]].view(), None)?;
    /// // 1.1: (1 + 2/3)/2 = 0.833 → DigCompSAT "advanced" → level 5.
    /// let ratings = scores.ratings(&fw, 0, &LevelStrategy::DigCompSat, Source::SelfAssessed)?;
    /// let profile: RoleProfile = serde_json::from_str(
    ///     r#"{"id": "r", "requirements": [{"competence": "1.1", "level": 4}]}"#).unwrap(); // ok: doc example
    /// let report = gap_report(&fw, &EffectiveProfile::standalone(profile, &fw)?, &ratings, None)?;
    /// assert_eq!(report.gaps[0].current, Some(5));
    /// assert_eq!(report.gaps[0].source, Some(Source::SelfAssessed));
    /// # Ok::<(), kompetens::Error>(())
    /// ```
    pub fn ratings(
        &self,
        framework: &Framework,
        row: usize,
        strategy: &LevelStrategy,
        source: Source,
    ) -> Result<Ratings> {
        if !self.competence_targets {
            return Err(Error::invalid(
                "framework",
                "ratings need competence targets: score with a framework",
            ));
        }
        if row >= self.len() {
            return Err(Error::invalid(
                "row",
                format!("row {row} does not exist ({} respondents)", self.len()),
            ));
        }
        let mut ratings = Vec::new();
        for (t, &s) in self.scores.row(row).iter().enumerate() {
            if let (Some(level), Some(comp)) = (strategy.level(s), self.targets.get(t)) {
                framework.check_level(level, &format!("strategy (level of {comp})"))?;
                ratings.push(Rating::new(comp, level, source));
            }
        }
        Ok(Ratings::List(ratings))
    }

    /// The scores as assessments for gap reports: one [`Assessment`] per
    /// respondent (`person` = its id, or the row index), one rating per
    /// scored competence with the strategy's level and the given source
    /// (`self` for a self-assessment survey, `test` for a knowledge test).
    /// Needs competence targets and a framework whose scale holds the
    /// levels (`level_out_of_scale` otherwise).
    pub fn to_assessments(
        &self,
        framework: &Framework,
        strategy: &LevelStrategy,
        source: Source,
        ids: Option<&[String]>,
    ) -> Result<Vec<Assessment>> {
        if !self.competence_targets {
            return Err(Error::invalid(
                "framework",
                "ratings need competence targets: score with a framework",
            ));
        }
        let mut out = Vec::with_capacity(self.len());
        for r in 0..self.len() {
            let ratings = match self.ratings(framework, r, strategy, source)? {
                Ratings::List(list) => list,
                Ratings::Levels(_) => Vec::new(),
            };
            out.push(Assessment {
                person: ids
                    .and_then(|ids| ids.get(r).cloned())
                    .unwrap_or_else(|| r.to_string()),
                role: None,
                unit: None,
                wave: None,
                date: None,
                ratings,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn inst() -> Instrument {
        Instrument::from_json(
            r#"{"id": "t", "scale": {"min": 0, "max": 3}, "items": [
            {"id": "a", "target": "1.1"}, {"id": "b", "target": "1.1"},
            {"id": "c", "target": "1.2", "weight": 3}, {"id": "d", "target": "2.1"},
            {"id": "e", "target": "1.2"}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn areas_items_vs_competences() {
        let fw = Framework::builtin("digcomp-2.2").unwrap();
        let i = inst();
        let data = array![[3.0, 0.0, 3.0, 0.0, 0.0]];
        let s = Scorer::new(&i, Some(&fw), &ScoringOptions::default())
            .unwrap()
            .score(data.view(), None)
            .unwrap();
        assert_eq!(s.targets, vec!["1.1", "1.2", "2.1"]);
        assert_eq!(s.areas, vec!["1", "2"]);
        // 1.1 = (1 + 0)/2 = 0.5; 1.2 = (3·1 + 0)/4 = 0.75; 2.1 = 0.
        assert_eq!(s.scores.row(0).to_vec(), vec![0.5, 0.75, 0.0]);
        // Area 1 pooled: (1 + 0 + 3 + 0) / (1 + 1 + 3 + 1) = 4/6.
        assert!((s.area_scores[[0, 0]] - 4.0 / 6.0).abs() < 1e-15);
        let opts = ScoringOptions {
            area_method: AreaMethod::Competences,
            ..Default::default()
        };
        let s = Scorer::new(&i, Some(&fw), &opts)
            .unwrap()
            .score(data.view(), None)
            .unwrap();
        assert_eq!(s.area_scores[[0, 0]], 0.625); // (0.5 + 0.75)/2
    }

    #[test]
    fn missing_rule_and_out_of_scale() {
        let i = inst();
        let opts = ScoringOptions {
            min_answered: 0.6,
            basis: MissingBasis::Weight,
            ..Default::default()
        };
        let sc = Scorer::new(&i, None, &opts).unwrap();
        let nan = f64::NAN;
        // 1.2: only e answered → weight share 1/4 < 0.6; 1.1 half → too few.
        let s = sc
            .score(array![[1.0, nan, nan, nan, 2.0]].view(), None)
            .unwrap();
        assert_eq!(s.status.row(0).to_vec(), vec![2, 2, 1]);
        let e = sc
            .score(
                array![[1.0, 4.0, nan, -1.0, 2.0], [9.0, 0.0, 0.0, 0.0, 0.0]].view(),
                None,
            )
            .unwrap_err();
        assert_eq!(e.code(), "value_out_of_scale");
        assert_eq!(e.location(), "rows[0][1]");
        assert!(e.to_string().contains("3 value(s)"), "{e}");
        // every bad answer is listed, row-major, with respondent and item
        // (scale 0..3: row 0 items b = 4 and d = −1, row 1 item a = 9)
        let ids = ["p1".to_string(), "p2".to_string()];
        let data = array![[1.0, 4.0, nan, -1.0, 2.0], [9.0, 0.0, 0.0, 0.0, 0.0]];
        for e in [
            sc.score(data.view(), Some(&ids)).unwrap_err(),
            sc.validate(data.view(), Some(&ids)).unwrap_err(),
        ] {
            let Error::AnswersOutOfScale { answers, count, .. } = &e else {
                panic!("{e:?}")
            };
            let listed: Vec<(usize, Option<&str>, &str, f64)> = answers
                .iter()
                .map(|a| {
                    (
                        a.respondent,
                        a.respondent_id.as_deref(),
                        a.item.as_str(),
                        a.value,
                    )
                })
                .collect();
            assert_eq!(
                listed,
                vec![
                    (0, Some("p1"), "b", 4.0),
                    (0, Some("p1"), "d", -1.0),
                    (1, Some("p2"), "a", 9.0)
                ]
            );
            assert_eq!(*count, 3);
            let details = e.info().details.unwrap();
            assert_eq!(details["answers"][2]["item"], "a");
            assert_eq!(details["answers"][2]["respondent_id"], "p2");
            assert_eq!(details["answers"][1]["min"], 0.0);
            assert_eq!(details["answers"][1]["max"], 3.0);
        }
        assert!(Error::invalid("x", "y").info().details.is_none());
    }
}
