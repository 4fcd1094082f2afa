//! # kompetens
//!
//! Digital competences by job role for public administrations: competence
//! frameworks (DigComp 2.2 and 3.0 built in), role profiles (yrkesroll),
//! assessments from several evidence sources (self, manager in the
//! medarbetarsamtal, test, activity) reconciled by an explicit policy, and
//! each person's gaps, readiness and development plan; and the
//! organisation's digital maturity ([`maturity`]: a generic maturity-model
//! engine with DiMiOS and the EU DMA for public sector organisations built
//! in).
//!
//! The same core runs in Rust, in Python (`kompetens` on PyPI, via pyo3) and
//! in the browser (WebAssembly), and gives identical numbers everywhere: the
//! bindings go through [`api::call`], and the shared vectors in
//! `tests/vectors/` pin every rule in all three languages.
//!
//! ```
//! use kompetens::{api, Framework};
//! let report = api::call("gap_report", serde_json::json!({
//!     "framework": "digcomp-2.2",
//!     "profile": {"id": "librarian", "requirements": [
//!         {"competence": "1.1", "level": 4, "weight": "critical"}]},
//!     "ratings": {"1.1": 2}
//! }))?;
//! assert_eq!(report["gaps"][0]["weighted_gap"], 6.0);
//! # Ok::<(), kompetens::Error>(())
//! ```
//!
//! Crate features, all on by default: `toml` (TOML input), `stats`
//! (module `stats`), `csv` (CSV import of assessments), `dsi` (the Eurostat DSI,
//! `survey::dsi`), `digcomp3` (DigComp 3.0 built in), `struct_arrays` (a
//! JSON array accepted for an object, fields in order, as `serde_json`
//! reads it), `maturity`, `aggregate`. The JavaScript form build turns them
//! all off to stay small.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

#[cfg(feature = "aggregate")]
pub mod aggregate;
pub mod api;
pub mod assessment;
pub mod case;
pub mod chart;
#[cfg(feature = "aggregate")]
pub mod demo;
pub mod error;
pub mod framework;
pub mod gap;
#[cfg(feature = "csv")]
pub mod import;
#[cfg(feature = "maturity")]
pub mod maturity;
mod path_de;
pub mod profile;
pub mod schema;
#[cfg(feature = "stats")]
pub mod stats;
pub mod survey;
pub mod text;

pub use assessment::{
    calibration, reconcile, Assessment, CalibrationReport, ChosenLevel, CompetenceCalibration,
    Policy, Rating, Ratings, Source,
};
pub use error::{Error, ErrorInfo, OutOfScaleAnswer, Result};
pub use framework::{Area, Competence, Framework, Level, LevelGroup, ProficiencyScale};
pub use gap::{gap_report, Gap, GapReport};
#[cfg(feature = "csv")]
pub use import::{import_csv, CsvForm};
#[cfg(feature = "maturity")]
pub use maturity::{
    DmaResult, DmaSettings, Instrument, MaturityModel, MaturitySettings, MeasurementResult,
    ResponseTable, Unit,
};
pub use profile::{
    EffectiveProfile, EffectiveRequirement, NamedWeight, ProfileSet, Requirement, RoleProfile,
    Weight,
};
pub use survey::{LevelStrategy, Scorer, Scores, ScoringOptions};
pub use text::Text;
