//! Paired comparisons: the same people measured in two waves.
//!
//! The difference of a pair is **`d = after − before`**, so positive values
//! mean an increase (an improvement on a competence scale), `greater` tests
//! whether `after` tends to exceed `before`, and the effect sizes are
//! positive for an increase. (`scipy.stats.wilcoxon(x, y)` uses `x − y`:
//! our `wilcoxon(before, after)` equals scipy's `wilcoxon(after, before)`.)
//! Pairs where either value is missing (`NaN`) are left out, as scipy's
//! `nan_policy = "omit"`.
//!
//! ## Wilcoxon signed-rank test (as `scipy.stats.wilcoxon`, scipy 1.17)
//!
//! - **Ranking without floating noise.** Differences are rounded to a grid
//!   of `rounding × s` (default `rounding = 1e-9`, `s` = largest absolute
//!   input value) before zeros and ties are detected and ranks assigned;
//!   `0.3 − 0.1` and `0.2` therefore tie. The t-test and `d_z` use the
//!   unrounded differences.
//! - **Zeros** are dropped (`zero_method = "wilcox"`, scipy's default); the
//!   `m` non-zero |d| are ranked with average ranks for ties. `R⁺` (`R⁻`) is
//!   the sum of ranks of positive (negative) differences. The `statistic` is
//!   `min(R⁺, R⁻)` for `two-sided` and `R⁺` otherwise (as scipy).
//! - **Method `auto`** (scipy's rule): with more than 50 pairs (zeros
//!   included) → `asymptotic`; else without ties and zeros → `exact`; else
//!   with at most 13 pairs → `permutation`; else `asymptotic`.
//! - **`exact`**: the null distribution of R⁺ for m untied ranks (all 2^m
//!   sign patterns); p(`less`) = P(T ≤ ⌈R⁺⌉), p(`greater`) = P(T ≥ ⌊R⁺⌋),
//!   p(`two-sided`) = min(1, 2 · min of the two).
//! - Both exact methods are limited to [`MAX_EXACT`] non-zero differences.
//! - **`permutation`**: the exact conditional distribution of R⁺ over all
//!   sign patterns of the actual (possibly tied) ranks — scipy's
//!   `PermutationMethod` when every pattern is enumerated — with the same
//!   p-value rules (no rounding of R⁺).
//! - **`asymptotic`**: `z = (R⁺ − m(m+1)/4) / σ`,
//!   `σ² = (m(m+1)(2m+1) − Σ(t³ − t)/2) / 24` over tie groups of size t;
//!   with `correction` (default **true**, like R's `wilcox.test`; scipy's
//!   default is false) `z −= s · 0.5/σ` with s = sign(z) for `two-sided`,
//!   +1 for `greater`, −1 for `less`. p from the standard normal: `less`
//!   Φ(z), `greater` 1 − Φ(z), `two-sided` 2(1 − Φ(|z|)). `z` is reported
//!   signed (scipy reports −|z| for `two-sided`).
//! - **Rank-biserial correlation** `r = (R⁺ − R⁻) / (R⁺ + R⁻)`.
//!
//! ## Paired t-test and d_z
//!
//! `t = mean(d) / (sd(d)/√n)` with `sd` of denominator n − 1, `df = n − 1`,
//! p from Student's t by `alternative`; the confidence interval of the mean
//! difference at level `1 − a` is, as scipy's `ttest_rel(...).
//! confidence_interval()`, `mean ± t⁻¹(1 − a/2; df) · sd/√n` for
//! `two-sided`, `[mean − t⁻¹(1 − a; df) · sd/√n, null]` for `greater` and
//! `[null, mean + t⁻¹(1 − a; df) · sd/√n]` for `less` (`null` = unbounded).
//! `d_z = mean(d) / sd(d)`.
//! When every difference is equal, `sd = 0` and `t`, `p`, `d_z` are `null`.
//!
//! ```
//! use kompetens::stats::{wilcoxon, WilcoxonOptions};
//! // Darwin's Zea mays data as in the scipy documentation: cross − self
//! // height differences (eighths of an inch).
//! let d = [6., 8., 14., 16., 23., 24., 28., 29., 41., -48., 49., 56., 60., -67., 75.];
//! let zeros = [0.0; 15];
//! let res = wilcoxon(&zeros, &d, &WilcoxonOptions::default())?;
//! assert_eq!(res.statistic, 24.0);
//! assert!((res.pvalue - 0.041259765625).abs() < 1e-15);
//! # Ok::<(), kompetens::Error>(())
//! ```

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

use crate::error::{Error, Result};

/// Alternative hypothesis about `after − before`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Alternative {
    /// The differences are not centred on zero.
    #[default]
    #[serde(rename = "two-sided", alias = "two_sided")]
    TwoSided,
    /// `after` tends to be greater than `before`.
    #[serde(rename = "greater")]
    Greater,
    /// `after` tends to be less than `before`.
    #[serde(rename = "less")]
    Less,
}

impl Alternative {
    /// `two-sided`, `greater` or `less`.
    pub fn as_str(self) -> &'static str {
        match self {
            Alternative::TwoSided => "two-sided",
            Alternative::Greater => "greater",
            Alternative::Less => "less",
        }
    }
}

impl fmt::Display for Alternative {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Alternative {
    type Err = Error;
    fn from_str(s: &str) -> Result<Alternative> {
        match s.trim().to_ascii_lowercase().as_str() {
            "two-sided" | "two_sided" => Ok(Alternative::TwoSided),
            "greater" => Ok(Alternative::Greater),
            "less" => Ok(Alternative::Less),
            other => Err(Error::invalid(
                "alternative",
                format!("unknown alternative {other:?} (expected two-sided, greater or less)"),
            )),
        }
    }
}

/// How the p-value of the Wilcoxon test is computed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WilcoxonMethod {
    /// Choose as scipy does (see the module docs).
    #[default]
    Auto,
    /// Exact distribution for untied ranks.
    Exact,
    /// Normal approximation with tie (and optional continuity) correction.
    Asymptotic,
    /// Exact conditional distribution over all sign patterns of the actual
    /// ranks (handles ties).
    Permutation,
}

impl WilcoxonMethod {
    /// The JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            WilcoxonMethod::Auto => "auto",
            WilcoxonMethod::Exact => "exact",
            WilcoxonMethod::Asymptotic => "asymptotic",
            WilcoxonMethod::Permutation => "permutation",
        }
    }
}

impl FromStr for WilcoxonMethod {
    type Err = Error;
    fn from_str(s: &str) -> Result<WilcoxonMethod> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(WilcoxonMethod::Auto),
            "exact" => Ok(WilcoxonMethod::Exact),
            "asymptotic" | "approx" | "normal" => Ok(WilcoxonMethod::Asymptotic),
            "permutation" => Ok(WilcoxonMethod::Permutation),
            other => Err(Error::invalid(
                "method",
                format!(
                    "unknown method {other:?} (expected auto, exact, asymptotic or permutation)"
                ),
            )),
        }
    }
}

/// Options of [`wilcoxon`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WilcoxonOptions {
    /// Alternative hypothesis (default two-sided).
    pub alternative: Alternative,
    /// p-value method (default auto).
    pub method: WilcoxonMethod,
    /// Continuity correction in the normal approximation (default true).
    pub correction: bool,
    /// Relative rounding grid for ranking differences (default 1e-9).
    pub rounding: f64,
}

impl Default for WilcoxonOptions {
    fn default() -> Self {
        WilcoxonOptions {
            alternative: Alternative::TwoSided,
            method: WilcoxonMethod::Auto,
            correction: true,
            rounding: 1e-9,
        }
    }
}

/// Result of [`wilcoxon`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WilcoxonResult {
    /// Number of complete pairs (zeros included).
    pub n: usize,
    /// Pairs left out because a value was missing.
    pub missing: usize,
    /// Pairs with a zero difference (dropped from the ranking).
    pub zeros: usize,
    /// Whether tied non-zero |differences| occurred.
    pub ties: bool,
    /// `min(R⁺, R⁻)` for two-sided, else `R⁺`.
    pub statistic: f64,
    /// Sum of ranks of positive differences.
    pub r_plus: f64,
    /// Sum of ranks of negative differences.
    pub r_minus: f64,
    /// p-value.
    pub pvalue: f64,
    /// Standardised statistic (asymptotic method only).
    pub z: Option<f64>,
    /// The method actually used (never `auto`).
    pub method: WilcoxonMethod,
    /// The alternative tested.
    pub alternative: Alternative,
    /// Whether a continuity correction was applied (asymptotic only).
    pub correction: bool,
    /// Rank-biserial correlation `(R⁺ − R⁻)/(R⁺ + R⁻)`.
    pub rank_biserial: f64,
}

/// Complete pairs' differences `after − before` and the number left out.
fn differences(before: &[f64], after: &[f64]) -> Result<(Vec<f64>, usize, f64)> {
    if before.len() != after.len() {
        return Err(Error::ShapeMismatch {
            location: "after".into(),
            message: format!(
                "before has {} values but after has {}",
                before.len(),
                after.len()
            ),
        });
    }
    let mut d = Vec::with_capacity(before.len());
    let mut scale: f64 = 0.0;
    for (i, (&b, &a)) in before.iter().zip(after).enumerate() {
        for (name, v) in [("before", b), ("after", a)] {
            if v.is_infinite() {
                return Err(Error::invalid(
                    format!("{name}[{i}]"),
                    "values must be finite numbers or missing",
                ));
            }
        }
        if b.is_nan() || a.is_nan() {
            continue;
        }
        scale = scale.max(b.abs()).max(a.abs());
        d.push(a - b);
    }
    let missing = before.len() - d.len();
    Ok((d, missing, scale))
}

/// Wilcoxon signed-rank test of `after − before` (see the module docs).
pub fn wilcoxon(
    before: &[f64],
    after: &[f64],
    options: &WilcoxonOptions,
) -> Result<WilcoxonResult> {
    let (d, missing, scale) = differences(before, after)?;
    wilcoxon_core(&d, missing, scale, options)
}

/// Wilcoxon signed-rank test of given differences (`after − before`;
/// `NaN` = missing).
pub fn wilcoxon_differences(
    differences: &[f64],
    options: &WilcoxonOptions,
) -> Result<WilcoxonResult> {
    let mut d = Vec::with_capacity(differences.len());
    let mut scale: f64 = 0.0;
    for (i, &v) in differences.iter().enumerate() {
        if v.is_infinite() {
            return Err(Error::invalid(
                format!("differences[{i}]"),
                "values must be finite numbers or missing",
            ));
        }
        if !v.is_nan() {
            scale = scale.max(v.abs());
            d.push(v);
        }
    }
    let missing = differences.len() - d.len();
    wilcoxon_core(&d, missing, scale, options)
}

fn wilcoxon_core(
    d: &[f64],
    missing: usize,
    scale: f64,
    options: &WilcoxonOptions,
) -> Result<WilcoxonResult> {
    if !(options.rounding.is_finite() && options.rounding >= 0.0 && options.rounding < 1.0) {
        return Err(Error::invalid(
            "rounding",
            format!("{} must be in [0, 1)", options.rounding),
        ));
    }
    let n = d.len();
    // Quantise to the rounding grid; rank on the integers.
    let grid = options.rounding * scale;
    let q: Vec<f64> = if grid > 0.0 {
        d.iter().map(|x| (x / grid).round()).collect()
    } else {
        d.to_vec()
    };
    let mut nonzero: Vec<(f64, bool)> = q
        .iter()
        .filter(|x| **x != 0.0)
        .map(|x| (x.abs(), *x > 0.0))
        .collect();
    let zeros = n - nonzero.len();
    let m = nonzero.len();
    if m == 0 {
        return Err(Error::InsufficientData {
            location: "differences".into(),
            message: if n == 0 {
                "no complete pairs".into()
            } else {
                "every difference is zero".into()
            },
        });
    }
    nonzero.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Doubled average ranks (integers): a tie group at 1-based positions
    // p..p+t−1 has doubled rank 2p + t − 1.
    let mut ranks2: Vec<u64> = Vec::with_capacity(m);
    let mut signs: Vec<bool> = Vec::with_capacity(m);
    let mut tie_term = 0.0; // Σ (t³ − t)
    let mut ties = false;
    let mut i = 0;
    while i < m {
        let mut j = i + 1;
        while j < m && nonzero[j].0 == nonzero[i].0 {
            j += 1;
        }
        let t = (j - i) as u64;
        if t > 1 {
            ties = true;
            let tf = t as f64;
            tie_term += tf * tf * tf - tf;
        }
        let r2 = 2 * (i as u64 + 1) + t - 1;
        for item in &nonzero[i..j] {
            ranks2.push(r2);
            signs.push(item.1);
        }
        i = j;
    }
    let plus2: u64 = ranks2
        .iter()
        .zip(&signs)
        .filter(|x| *x.1)
        .map(|x| *x.0)
        .sum();
    let total2: u64 = ranks2.iter().sum();
    let r_plus = plus2 as f64 / 2.0;
    let r_minus = (total2 - plus2) as f64 / 2.0;

    let method = match options.method {
        WilcoxonMethod::Auto => {
            if n > 50 {
                WilcoxonMethod::Asymptotic
            } else if !ties && zeros == 0 {
                WilcoxonMethod::Exact
            } else if n <= 13 {
                WilcoxonMethod::Permutation
            } else {
                WilcoxonMethod::Asymptotic
            }
        }
        other => other,
    };
    let alt = options.alternative;
    if matches!(method, WilcoxonMethod::Exact | WilcoxonMethod::Permutation) && m > MAX_EXACT {
        return Err(Error::invalid(
            "method",
            format!(
                "the {} method is limited to {MAX_EXACT} non-zero differences ({m} given); use asymptotic",
                method.as_str()
            ),
        ));
    }
    let (pvalue, z) = match method {
        WilcoxonMethod::Exact => {
            let untied: Vec<u64> = (1..=m as u64).collect();
            let dist = sign_distribution(&untied);
            let cdf = |k: f64| -> f64 {
                let k = k.max(-1.0).min(dist.len() as f64 - 1.0);
                if k < 0.0 {
                    return 0.0;
                }
                dist[..=(k as usize)].iter().sum()
            };
            let sf = |k: f64| -> f64 {
                let k = k.max(0.0);
                if k as usize >= dist.len() {
                    return 0.0;
                }
                dist[(k as usize)..].iter().sum()
            };
            let p = match alt {
                Alternative::Less => cdf(r_plus.ceil()),
                Alternative::Greater => sf(r_plus.floor()),
                Alternative::TwoSided => {
                    (2.0 * sf(r_plus.floor()).min(cdf(r_plus.ceil()))).min(1.0)
                }
            };
            (p, None)
        }
        WilcoxonMethod::Permutation => {
            let dist = sign_distribution(&ranks2);
            let obs = plus2 as usize;
            let less: f64 = dist[..=obs.min(dist.len() - 1)].iter().sum();
            let greater: f64 = dist.get(obs..).map(|s| s.iter().sum()).unwrap_or(0.0);
            let p = match alt {
                Alternative::Less => less,
                Alternative::Greater => greater,
                Alternative::TwoSided => 2.0 * less.min(greater),
            };
            (p.clamp(0.0, 1.0), None)
        }
        WilcoxonMethod::Asymptotic | WilcoxonMethod::Auto => {
            let mf = m as f64;
            let mean = mf * (mf + 1.0) / 4.0;
            let var = (mf * (mf + 1.0) * (2.0 * mf + 1.0) - tie_term / 2.0) / 24.0;
            let se = var.sqrt();
            let mut z = (r_plus - mean) / se;
            if options.correction {
                let sign = match alt {
                    Alternative::Greater => 1.0,
                    Alternative::Less => -1.0,
                    Alternative::TwoSided => {
                        if z > 0.0 {
                            1.0
                        } else if z < 0.0 {
                            -1.0
                        } else {
                            0.0
                        }
                    }
                };
                z -= sign * 0.5 / se;
            }
            let p = normal_p(z, alt)?;
            (p, Some(z))
        }
    };
    let statistic = match alt {
        Alternative::TwoSided => r_plus.min(r_minus),
        _ => r_plus,
    };
    Ok(WilcoxonResult {
        n,
        missing,
        zeros,
        ties,
        statistic,
        r_plus,
        r_minus,
        pvalue,
        z,
        method,
        alternative: alt,
        correction: options.correction && method == WilcoxonMethod::Asymptotic,
        rank_biserial: (r_plus - r_minus) / (r_plus + r_minus),
    })
}

/// Largest number of non-zero differences for the exact and permutation
/// distributions (their cost grows with the cube of it).
pub const MAX_EXACT: usize = 500;

/// Probabilities `P(S = s)` for `S = Σ w_i · B_i`, `B_i` independent fair
/// coin flips. Exact in binary floating point for up to 52 weights (every
/// probability is a multiple of 2⁻ᵐ below 1).
fn sign_distribution(weights: &[u64]) -> Vec<f64> {
    let total: u64 = weights.iter().sum();
    let mut p = vec![0.0; total as usize + 1];
    p[0] = 1.0;
    let mut reach = 0usize;
    for &w in weights {
        let w = w as usize;
        reach += w;
        for s in (0..=reach).rev() {
            let from = if s >= w { p[s - w] } else { 0.0 };
            p[s] = 0.5 * (p[s] + from);
        }
    }
    p
}

fn normal_p(z: f64, alt: Alternative) -> Result<f64> {
    let normal = Normal::new(0.0, 1.0).map_err(|e| Error::invalid("z", e.to_string()))?;
    Ok(match alt {
        Alternative::Less => normal.cdf(z),
        Alternative::Greater => normal.sf(z),
        Alternative::TwoSided => 2.0 * normal.sf(z.abs()),
    })
}

/// Result of [`paired_t`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PairedT {
    /// Number of complete pairs.
    pub n: usize,
    /// Pairs left out because a value was missing.
    pub missing: usize,
    /// Mean of `after − before`.
    pub mean_difference: f64,
    /// Standard deviation of the differences (n − 1); `null` if n < 2.
    pub sd_difference: Option<f64>,
    /// t statistic; `null` when sd = 0.
    pub t: Option<f64>,
    /// Degrees of freedom n − 1.
    pub df: f64,
    /// p-value; `null` when sd = 0.
    pub pvalue: Option<f64>,
    /// Confidence interval of the mean difference (`null` ends are
    /// unbounded: one-sided alternatives); `null` when sd = 0.
    pub ci: Option<[Option<f64>; 2]>,
    /// Confidence level of `ci`.
    pub ci_level: f64,
    /// Standardised mean difference `mean / sd`; `null` when sd = 0.
    pub d_z: Option<f64>,
    /// The alternative tested.
    pub alternative: Alternative,
}

/// Paired t-test of `after − before` (see the module docs).
pub fn paired_t(
    before: &[f64],
    after: &[f64],
    alternative: Alternative,
    ci_level: f64,
) -> Result<PairedT> {
    super::check_open_unit(ci_level, "ci_level")?;
    let (d, missing, _) = differences(before, after)?;
    t_of_differences(&d, missing, alternative, ci_level)
}

/// Paired t-test of given differences (`after − before`, no missing
/// values), e.g. from a histogram of changes.
pub fn paired_t_differences(
    differences: &[f64],
    alternative: Alternative,
    ci_level: f64,
) -> Result<PairedT> {
    super::check_open_unit(ci_level, "ci_level")?;
    if let Some(i) = differences.iter().position(|v| !v.is_finite()) {
        return Err(Error::invalid(
            format!("differences[{i}]"),
            "values must be finite numbers",
        ));
    }
    t_of_differences(differences, 0, alternative, ci_level)
}

fn t_of_differences(
    d: &[f64],
    missing: usize,
    alternative: Alternative,
    ci_level: f64,
) -> Result<PairedT> {
    let n = d.len();
    if n < 2 {
        return Err(Error::InsufficientData {
            location: "differences".into(),
            message: format!("the paired t-test needs at least 2 complete pairs, got {n}"),
        });
    }
    let nf = n as f64;
    let mean = d.iter().sum::<f64>() / nf;
    let var = d.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (nf - 1.0);
    let sd = var.sqrt();
    let df = nf - 1.0;
    let (t, pvalue, ci, d_z) = if sd > 0.0 {
        let dist = StudentsT::new(0.0, 1.0, df).map_err(|e| Error::invalid("df", e.to_string()))?;
        let se = sd / nf.sqrt();
        let t = mean / se;
        let p = match alternative {
            Alternative::Less => dist.cdf(t),
            Alternative::Greater => dist.sf(t),
            Alternative::TwoSided => 2.0 * dist.sf(t.abs()),
        };
        let a = 1.0 - ci_level;
        let ci = match alternative {
            Alternative::TwoSided => {
                let q = dist.inverse_cdf(1.0 - a / 2.0);
                [Some(mean - q * se), Some(mean + q * se)]
            }
            Alternative::Greater => [Some(mean - dist.inverse_cdf(1.0 - a) * se), None],
            Alternative::Less => [None, Some(mean + dist.inverse_cdf(1.0 - a) * se)],
        };
        (Some(t), Some(p), Some(ci), Some(mean / sd))
    } else {
        (None, None, None, None)
    };
    Ok(PairedT {
        n,
        missing,
        mean_difference: mean,
        sd_difference: Some(sd),
        t,
        df,
        pvalue,
        ci,
        ci_level,
        d_z,
        alternative,
    })
}

/// Everything about a paired comparison in one result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PairedComparison {
    /// Number of complete pairs.
    pub n: usize,
    /// Pairs left out because a value was missing.
    pub missing: usize,
    /// Mean of `before` over complete pairs.
    pub mean_before: f64,
    /// Mean of `after` over complete pairs.
    pub mean_after: f64,
    /// Mean of `after − before`.
    pub mean_difference: f64,
    /// `mean(d) / sd(d)`; `null` when sd = 0.
    pub d_z: Option<f64>,
    /// Paired t-test.
    pub t_test: PairedT,
    /// Wilcoxon signed-rank test; `null` when every difference is zero.
    pub wilcoxon: Option<WilcoxonResult>,
}

/// Paired t-test, Wilcoxon test and effect sizes of `after − before`.
pub fn paired_comparison(
    before: &[f64],
    after: &[f64],
    options: &WilcoxonOptions,
    ci_level: f64,
) -> Result<PairedComparison> {
    super::check_open_unit(ci_level, "ci_level")?;
    let (d, missing, scale) = differences(before, after)?;
    let t_test = t_of_differences(&d, missing, options.alternative, ci_level)?;
    let wilcoxon = match wilcoxon_core(&d, missing, scale, options) {
        Ok(w) => Some(w),
        Err(Error::InsufficientData { .. }) => None,
        Err(e) => return Err(e),
    };
    let complete = || {
        before
            .iter()
            .zip(after)
            .filter(|(b, a)| !b.is_nan() && !a.is_nan())
    };
    let nf = d.len() as f64;
    Ok(PairedComparison {
        n: d.len(),
        missing,
        mean_before: complete().map(|x| *x.0).sum::<f64>() / nf,
        mean_after: complete().map(|x| *x.1).sum::<f64>() / nf,
        mean_difference: t_test.mean_difference,
        d_z: t_test.d_z,
        t_test,
        wilcoxon,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untied_distribution_n3() {
        // Subsets of {1,2,3}: sums 0,1,2,3,3,4,5,6 → P(3) = 2/8.
        let p = sign_distribution(&[1, 2, 3]);
        assert_eq!(p, vec![0.125, 0.125, 0.125, 0.25, 0.125, 0.125, 0.125]);
    }

    #[test]
    fn floating_noise_ties() {
        // 0.3 − 0.1 = 0.19999999999999998 must tie with 0.2 and 0.1+0.1.
        let before = [0.1, 0.0, 0.0, 0.0];
        let after = [0.3, 0.2, 0.1 + 0.1, -0.5];
        let r = wilcoxon(&before, &after, &WilcoxonOptions::default()).unwrap();
        assert!(r.ties);
        // |d| ranks: three ties at 0.2 → 2 each; 0.5 → 4. R⁺ = 6, R⁻ = 4.
        assert_eq!((r.r_plus, r.r_minus), (6.0, 4.0));
        assert_eq!(r.method, WilcoxonMethod::Permutation);
    }

    #[test]
    fn all_zero_is_insufficient() {
        let e = wilcoxon(&[1.0, 2.0], &[1.0, 2.0], &WilcoxonOptions::default()).unwrap_err();
        assert_eq!(e.code(), "insufficient_data");
        let e = wilcoxon(&[1.0], &[1.0, 2.0], &WilcoxonOptions::default()).unwrap_err();
        assert_eq!(e.code(), "shape_mismatch");
    }
}
