//! Every assumption of the scoring, as a setting with its default.
//!
//! The defaults live here and nowhere else; the module documentation of
//! [`crate::maturity`] lists them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::maturity::model::{GridScoring, Side};

/// How an answer becomes a percentage (after reverse keying).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rescale {
    /// `100 · (x − min) / (max − min)`: the lowest answer is 0 %, the
    /// highest 100 % (DiMiOS assumption: `(x − 1) / 5`).
    #[default]
    Linear,
    /// `100 · x / max`: "percent of the best answer" (the lowest answer of a
    /// 1–6 scale is then 16.7 %). Requires `max > 0`.
    Ratio,
}

/// How the answers of several respondents to one item are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Combine {
    /// Arithmetic mean of the respondents' item percentages.
    #[default]
    Mean,
    /// Median (the mean of the two middle values for an even count).
    Median,
}

/// What to do with an answer outside the item's scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutOfRange {
    /// Fail with `value_out_of_scale`.
    #[default]
    Error,
    /// Treat the answer as missing.
    Missing,
}

/// What to do with a response column that is not an item of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnknownItems {
    /// Fail with `unknown_reference`.
    #[default]
    Error,
    /// Ignore the column.
    Ignore,
}

/// How a non-integer percentage is placed in bands whose published bounds
/// are integers (Basic 0–25, Average 26–50, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BandBoundaries {
    /// A value belongs to the first band whose `max` is ≥ the value, so
    /// 25.0 is Basic and 25.2 is Average: the integer bands are read as
    /// (25, 50], (50, 75], (75, 100].
    #[default]
    UpperInclusive,
    /// Round half up to an integer first, then look the integer up (25.4 →
    /// 25 → Basic; 25.5 → 26 → Average).
    RoundFirst,
}

/// Settings of item-based scoring (`maturity.score`), classification and
/// bands. Every field has a default; unknown fields are rejected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct MaturitySettings {
    /// Rescaling of answers to 0–100 % (default `linear`).
    pub rescale: Rescale,
    /// Combination of respondents per item (default `mean`).
    pub combine: Combine,
    /// Answers outside the item's scale (default `error`).
    pub out_of_range: OutOfRange,
    /// Response columns that are not items of the model (default `error`).
    pub unknown_items: UnknownItems,
    /// Width, in percentage points, of the band around the median used by
    /// the agreement measure; `null` (default) = one scale step,
    /// `100 / (max − min)` of the items' scale (the smallest step when the
    /// items' scales differ; 20 points on a 1–6 scale).
    pub agreement_step: Option<f64>,
    /// Agreement is flagged low when the share of respondents within one
    /// step of the median is below this (default 0.5).
    pub agreement_threshold: f64,
    /// Delta degrees of freedom of the agreement sd (default 1: sample sd,
    /// as pandas and R).
    pub sd_ddof: u32,
    /// How many weakest and strongest categories and capabilities are
    /// listed (default 3).
    pub extremes_count: usize,
    /// Percentages equal after rounding to this many decimals are ties
    /// (default 9); ties are broken by model order.
    pub tie_decimals: u32,
    /// A unit's results are withheld below this many respondents
    /// (default 5).
    pub min_respondents: usize,
    /// Cut point of the classification's x axis in % (default 50; DiMiOS:
    /// Digital förmåga).
    pub quadrant_cut_x: f64,
    /// Cut point of the classification's y axis in % (default 50; DiMiOS:
    /// Digitalt arv).
    pub quadrant_cut_y: f64,
    /// Side of a value exactly at a cut point (default `high`).
    pub at_cut: Side,
    /// Placement of non-integer percentages in bands (default
    /// `upper_inclusive`).
    pub band_boundaries: BandBoundaries,
}

impl Default for MaturitySettings {
    fn default() -> Self {
        MaturitySettings {
            rescale: Rescale::Linear,
            combine: Combine::Mean,
            out_of_range: OutOfRange::Error,
            unknown_items: UnknownItems::Error,
            agreement_step: None,
            agreement_threshold: 0.5,
            sd_ddof: 1,
            extremes_count: 3,
            tie_decimals: 9,
            min_respondents: 5,
            quadrant_cut_x: 50.0,
            quadrant_cut_y: 50.0,
            at_cut: Side::High,
            band_boundaries: BandBoundaries::UpperInclusive,
        }
    }
}

impl MaturitySettings {
    /// Check ranges; the error names the setting.
    pub fn checked(self) -> Result<Self> {
        if let Some(s) = self.agreement_step {
            if !(s.is_finite() && s >= 0.0) {
                return Err(Error::invalid(
                    "settings.agreement_step",
                    "must be a finite number ≥ 0",
                ));
            }
        }
        if !(0.0..=1.0).contains(&self.agreement_threshold) {
            return Err(Error::invalid(
                "settings.agreement_threshold",
                "must lie in 0..=1",
            ));
        }
        if self.tie_decimals > 15 {
            return Err(Error::invalid(
                "settings.tie_decimals",
                "must be at most 15",
            ));
        }
        for (name, v) in [
            ("quadrant_cut_x", self.quadrant_cut_x),
            ("quadrant_cut_y", self.quadrant_cut_y),
        ] {
            if !v.is_finite() {
                return Err(Error::invalid(
                    format!("settings.{name}"),
                    "must be a finite number",
                ));
            }
        }
        Ok(self)
    }
}

/// How an unanswered row or question of the questionnaire counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unanswered {
    /// As the lowest answer: nothing ticked, scale 0, "no" (the form's own
    /// defaults).
    #[default]
    Lowest,
    /// Left out: a row is left out of its question's mean, a question out of
    /// its dimension's mean.
    Skip,
    /// Fail with `missing_value`.
    Error,
}

/// Scoring mode of one grid question, overriding the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GridScoringOverride {
    /// Question id.
    pub question: String,
    /// Scoring mode.
    pub scoring: GridScoring,
}

/// Settings of questionnaire scoring (`dma.score`). Every field has a
/// default; unknown fields are rejected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct DmaSettings {
    /// Value of a "planned" tick in a combined grid row (default 0.5; an
    /// "already done" tick is 1; a row with both ticks counts as done).
    pub planned_weight: f64,
    /// Value of "partially" in a no/partially/yes row (default 0.5; no = 0,
    /// yes = 1).
    pub partially_value: f64,
    /// Per-question grid scoring overriding the model's (default none: the
    /// model's, i.e. `combined` except the interoperability grid, `split`).
    pub grid_scoring: Vec<GridScoringOverride>,
    /// Unanswered scale / no-partially-yes rows and unanswered questions
    /// (default `lowest`).
    pub unanswered: Unanswered,
    /// Placement of non-integer scores in bands (default `upper_inclusive`).
    pub band_boundaries: BandBoundaries,
}

impl Default for DmaSettings {
    fn default() -> Self {
        DmaSettings {
            planned_weight: 0.5,
            partially_value: 0.5,
            grid_scoring: Vec::new(),
            unanswered: Unanswered::Lowest,
            band_boundaries: BandBoundaries::UpperInclusive,
        }
    }
}

impl DmaSettings {
    /// Check ranges; the error names the setting.
    pub fn checked(self) -> Result<Self> {
        for (name, v) in [
            ("planned_weight", self.planned_weight),
            ("partially_value", self.partially_value),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(Error::invalid(
                    format!("settings.{name}"),
                    "must lie in 0..=1",
                ));
            }
        }
        Ok(self)
    }
}
