//! Survey statistics with documented, exact definitions.
//!
//! - [`reliability`]: Cronbach's α (raw and standardised) with Feldt's
//!   confidence interval and item statistics (valid n, mean, sd, corrected
//!   item–total correlation `r_drop`, α if item deleted), as R `psych::alpha`
//!   and `pingouin.cronbach_alpha` compute them;
//! - [`ordinal`]: interpolated (grouped) median, top-box and bottom-box
//!   shares, distribution counts of ordinal answers;
//! - [`paired`]: the same people measured twice — Wilcoxon signed-rank test as
//!   `scipy.stats.wilcoxon` computes it, rank-biserial correlation, `d_z`, and
//!   the paired t-test.
//!
//! Missing values are `NaN` in the Rust API and `null` in JSON. Distributions
//! (F, t, normal) come from the `statrs` crate.

pub mod ordinal;
pub mod paired;
pub mod reliability;

pub use ordinal::{
    distribution, interpolated_median, interpolated_median_counts, top_box, Distribution, Middle,
    TopBox, ValueCount,
};
pub use paired::{
    paired_comparison, paired_t, paired_t_differences, wilcoxon, wilcoxon_differences, Alternative,
    PairedComparison, PairedT, WilcoxonMethod, WilcoxonOptions, WilcoxonResult,
};
pub use reliability::{
    cronbach_alpha, cronbach_alpha_items, AlphaItems, AlphaOptions, ColumnRef, ItemStatistics,
    MissingPolicy, Reliability,
};

use crate::error::{Error, Result};

/// Check that a probability-like setting lies strictly between 0 and 1.
pub(crate) fn check_open_unit(value: f64, location: &str) -> Result<()> {
    if value.is_finite() && value > 0.0 && value < 1.0 {
        Ok(())
    } else {
        Err(Error::invalid(
            location,
            format!("{value} must lie strictly between 0 and 1"),
        ))
    }
}
