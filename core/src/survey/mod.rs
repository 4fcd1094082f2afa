//! Surveys: instruments as data, scoring of response matrices per
//! competence (or capability) and area, level strategies, and the Eurostat
//! Digital Skills Indicator 2.0.
//!
//! - [`instrument`]: [`Instrument`], [`Item`], [`ResponseScale`] (JSON/TOML,
//!   JSON Schema `survey-instrument.schema.json`); reverse keying on the nominal
//!   scale `x' = min + max − x`;
//! - [`scoring`]: [`Scorer`] compiles an instrument once and scores an
//!   `ndarray` matrix (respondents × items, `NaN` = missing) into
//!   [`Scores`]; missing-answer rule, area scores, conversion to
//!   [`Assessment`](crate::Assessment)s with source `self` or `test` for
//!   [`gap_report`](crate::gap_report);
//! - [`levels`]: [`LevelStrategy`] — `digcompsat` bands, `floor8`, custom
//!   `thresholds`;
//! - [`responses`]: the JSON form of responses and of score reports;
//! - `dsi` (crate feature `dsi`, on by default): the Eurostat DSI 2.0
//!   classifier and population summary.

#[cfg(feature = "dsi")]
pub mod dsi;
pub mod instrument;
pub mod levels;
pub mod responses;
pub mod scoring;

pub use instrument::{Instrument, Item, ItemKind, ResponseScale, ScaleRef};
pub use levels::{Band, Classified, LevelStrategy, StrategySpec};
pub use responses::{
    answers_to_matrix, column_sources, locate_answer_error, RespondentScores, ResponseMatrix,
    ResponseTable, ScoreEntry, ScoreReport,
};
pub use scoring::{
    scoring_framework, AreaMethod, MissingBasis, MissingReason, Scorer, Scores, ScoringOptions,
};
