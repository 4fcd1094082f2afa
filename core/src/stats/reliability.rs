//! Cronbach's α with Feldt's confidence interval and item statistics.
//!
//! Definitions (k items, C = k × k item covariance matrix, R its correlation
//! matrix `R_ij = C_ij / √(C_ii C_jj)`), as in R `psych::alpha` (2.2.9) and
//! `pingouin.cronbach_alpha`:
//!
//! - **Covariances.** `pairwise` (default, as psych `use = "pairwise"` and
//!   pingouin `nan_policy = "pairwise"`, i.e. R `cov(use =
//!   "pairwise.complete.obs")` and pandas `DataFrame.cov`): `C_ij` is the
//!   sample covariance (denominator n − 1) over the respondents who answered
//!   both items i and j, with the means taken over those respondents; `C_ii`
//!   is the sample variance of item i over everyone who answered it.
//!   `listwise`: respondents with any missing answer are dropped first.
//! - **Raw α** `= k/(k−1) · (1 − tr C / ΣC)`; **standardised α**
//!   `= k/(k−1) · (1 − k / ΣR)`; **average inter-item r**
//!   `= (ΣR − k) / (k(k−1))`.
//! - **Feldt CI** at level `1 − a` (default 95 %): with `N` respondents,
//!   `df1 = N − 1`, `df2 = (N − 1)(k − 1)`: lower `= 1 − (1 − α) ·
//!   F⁻¹(1 − a/2; df1, df2)`, upper `= 1 − (1 − α) · F⁻¹(a/2; df1, df2)`.
//!   `N` is the number of rows of the data in `pairwise` mode (as psych and
//!   pingouin: a respondent counts even with missing answers), and the number
//!   of complete rows in `listwise` mode (as pingouin's development version;
//!   pingouin ≤ 0.7 and psych with `use = "complete.obs"` keep the original
//!   row count there). The CI is not rounded (pingouin rounds to 3 decimals).
//! - **Per item** i: `n` = number of answers, `mean`, `sd` (n − 1) over
//!   those answers; `r_drop` = correlation of the item with the sum of the
//!   other items, computed from C as psych does:
//!   `(Σ_j C_ij − C_ii) / √(C_ii · ΣC₋ᵢ)` where `ΣC₋ᵢ` is the sum of C
//!   without row and column i; `alpha_if_deleted`, `std_alpha_if_deleted`
//!   and `average_r_if_deleted` are the statistics above on C and R without
//!   row and column i (only for k ≥ 3; psych reports `R_12` for k = 2, we
//!   report `null`).
//! - An item without variance (all answers equal) is kept (as pingouin does;
//!   psych deletes it with a warning): raw α is still defined, while
//!   standardised α, average r and that item's `r_drop` are `null`.
//!
//! Errors: fewer than 2 items or 2 rows (`insufficient_data`), fewer than 2
//! common respondents for a pair of items, or a total variance ΣC of zero.
//! A negative ΣC (possible with pairwise-complete covariances) is used as
//! psych and pingouin use it.
//! The implementation makes three k × k cross-product passes over the
//! (mean-shifted) data, so 100,000 × 30 takes a few tens of milliseconds.
//!
//! ```
//! use kompetens::stats::{cronbach_alpha, AlphaOptions};
//! use ndarray::array;
//! let data = array![[1.0, 2.0, 2.0], [2.0, 2.0, 3.0], [3.0, 4.0, 3.0], [4.0, 4.0, 5.0]];
//! let rel = cronbach_alpha(data.view(), &AlphaOptions::default())?;
//! // By hand: C = [[5/3, 4/3, 3/2], [4/3, 4/3, 1], [3/2, 1, 19/12]],
//! // tr C = 55/12, ΣC = 147/12, α = 3/2 · (1 − 55/147) = 46/49.
//! assert!((rel.alpha - 46.0 / 49.0).abs() < 1e-12);
//! # Ok::<(), kompetens::Error>(())
//! ```

use std::fmt;
use std::str::FromStr;

use ndarray::{Array2, ArrayView2, Axis};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, FisherSnedecor};

use crate::error::{Error, Result};

/// How missing answers (`NaN`) are handled when computing covariances.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MissingPolicy {
    /// Each covariance uses every respondent who answered both items
    /// (psych and pingouin default).
    #[default]
    Pairwise,
    /// Respondents with any missing answer are dropped.
    Listwise,
}

impl MissingPolicy {
    /// `pairwise` or `listwise`.
    pub fn as_str(self) -> &'static str {
        match self {
            MissingPolicy::Pairwise => "pairwise",
            MissingPolicy::Listwise => "listwise",
        }
    }
}

impl fmt::Display for MissingPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MissingPolicy {
    type Err = Error;
    fn from_str(s: &str) -> Result<MissingPolicy> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pairwise" => Ok(MissingPolicy::Pairwise),
            "listwise" => Ok(MissingPolicy::Listwise),
            other => Err(Error::invalid(
                "missing",
                format!("unknown missing policy {other:?} (expected pairwise or listwise)"),
            )),
        }
    }
}

/// Options of [`cronbach_alpha`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlphaOptions {
    /// Missing-value policy (default `pairwise`).
    pub missing: MissingPolicy,
    /// Confidence level of the Feldt interval (default 0.95).
    pub ci_level: f64,
}

impl Default for AlphaOptions {
    fn default() -> Self {
        AlphaOptions {
            missing: MissingPolicy::Pairwise,
            ci_level: 0.95,
        }
    }
}

/// Statistics of one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemStatistics {
    /// Column index of the item.
    pub index: usize,
    /// Item name, when names were given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// Number of answers used (after listwise deletion, if chosen).
    pub n: usize,
    /// Mean of the answers; `null` without answers.
    pub mean: Option<f64>,
    /// Standard deviation (denominator n − 1); `null` with fewer than 2.
    pub sd: Option<f64>,
    /// Corrected item–total correlation (item vs. sum of the other items).
    pub r_drop: Option<f64>,
    /// Raw α of the other items (k ≥ 3).
    pub alpha_if_deleted: Option<f64>,
    /// Standardised α of the other items (k ≥ 3).
    pub std_alpha_if_deleted: Option<f64>,
    /// Average inter-item correlation of the other items (k ≥ 3).
    pub average_r_if_deleted: Option<f64>,
}

/// Result of [`cronbach_alpha`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reliability {
    /// Raw Cronbach's α.
    pub alpha: f64,
    /// Standardised α (from correlations); `null` if an item has no variance.
    pub std_alpha: Option<f64>,
    /// Feldt confidence interval `[lower, upper]` of raw α.
    pub ci: [f64; 2],
    /// Confidence level of `ci`.
    pub ci_level: f64,
    /// Number of respondents N used for the CI (see module docs).
    pub n: usize,
    /// Number of items k.
    pub k: usize,
    /// Missing-value policy used.
    pub missing: MissingPolicy,
    /// Average inter-item correlation; `null` if an item has no variance.
    pub average_r: Option<f64>,
    /// Per-item statistics, in column order.
    pub items: Vec<ItemStatistics>,
}

/// Cronbach's α of `data` (rows = respondents, columns = items, `NaN` =
/// missing). See the module documentation for the exact definitions.
pub fn cronbach_alpha(data: ArrayView2<f64>, options: &AlphaOptions) -> Result<Reliability> {
    super::check_open_unit(options.ci_level, "ci_level")?;
    let (rows, k) = data.dim();
    if k < 2 {
        return Err(Error::InsufficientData {
            location: "data".into(),
            message: format!("Cronbach's alpha needs at least 2 items, got {k}"),
        });
    }
    if let Some((r, c)) = data
        .indexed_iter()
        .find(|(_, v)| v.is_infinite())
        .map(|(i, _)| i)
    {
        return Err(Error::invalid(
            format!("data[{r}][{c}]"),
            "values must be finite numbers or missing",
        ));
    }
    let (moments, n) = match options.missing {
        MissingPolicy::Pairwise => (Moments::of(data), rows),
        MissingPolicy::Listwise => {
            let complete: Vec<usize> = data
                .axis_iter(Axis(0))
                .enumerate()
                .filter(|(_, row)| row.iter().all(|v| !v.is_nan()))
                .map(|(i, _)| i)
                .collect();
            let sub = data.select(Axis(0), &complete);
            (Moments::of(sub.view()), complete.len())
        }
    };
    if n < 2 {
        return Err(Error::InsufficientData {
            location: "data".into(),
            message: format!(
                "Cronbach's alpha needs at least 2 respondents, got {n} ({} missing values)",
                options.missing
            ),
        });
    }
    let c = moments.covariance()?;
    let kf = k as f64;
    let trace: f64 = c.diag().sum();
    let total: f64 = c.sum();
    // As psych and pingouin: any finite, non-zero ΣC is used, even a
    // negative one (possible with pairwise-complete covariances).
    if total == 0.0 || !total.is_finite() {
        return Err(Error::InsufficientData {
            location: "data".into(),
            message: "the total score has no variance".into(),
        });
    }
    let alpha = kf / (kf - 1.0) * (1.0 - trace / total);

    // Correlations, if every item varies.
    let sds: Vec<f64> = c.diag().iter().map(|v| v.sqrt()).collect();
    let corr_ok = sds.iter().all(|s| *s > 0.0);
    let r = corr_ok.then(|| {
        Array2::from_shape_fn((k, k), |(i, j)| {
            if i == j {
                1.0
            } else {
                c[[i, j]] / (sds[i] * sds[j])
            }
        })
    });
    let r_sum = r.as_ref().map(|r| r.sum());
    let std_alpha = r_sum.map(|s| kf / (kf - 1.0) * (1.0 - kf / s));
    let average_r = r_sum.map(|s| (s - kf) / (kf * (kf - 1.0)));

    // Feldt CI.
    let df1 = (n - 1) as f64;
    let df2 = df1 * (kf - 1.0);
    let f = FisherSnedecor::new(df1, df2).map_err(|e| Error::InsufficientData {
        location: "data".into(),
        message: e.to_string(),
    })?;
    let a = 1.0 - options.ci_level;
    let lower = 1.0 - (1.0 - alpha) * f.inverse_cdf(1.0 - a / 2.0);
    let upper = 1.0 - (1.0 - alpha) * f.inverse_cdf(a / 2.0);

    let c_row: Vec<f64> = c.axis_iter(Axis(0)).map(|row| row.sum()).collect();
    let r_row: Option<Vec<f64>> = r
        .as_ref()
        .map(|r| r.axis_iter(Axis(0)).map(|row| row.sum()).collect());
    let km = kf - 1.0;
    let items = (0..k)
        .map(|i| {
            let cii = c[[i, i]];
            let rest = total - 2.0 * c_row[i] + cii;
            let r_drop = (cii > 0.0 && rest > 0.0).then(|| (c_row[i] - cii) / (cii * rest).sqrt());
            let (alpha_del, std_del, avr_del) = if k >= 3 {
                let a_del = (rest != 0.0 && rest.is_finite())
                    .then(|| km / (km - 1.0) * (1.0 - (trace - cii) / rest));
                let (s_del, r_del) = match (&r_row, r_sum) {
                    (Some(rr), Some(rs)) => {
                        let sum = rs - 2.0 * rr[i] + 1.0;
                        (
                            Some(km / (km - 1.0) * (1.0 - km / sum)),
                            Some((sum - km) / (km * (km - 1.0))),
                        )
                    }
                    _ => (None, None),
                };
                (a_del, s_del, r_del)
            } else {
                (None, None, None)
            };
            let ni = moments.count[[i, i]];
            ItemStatistics {
                index: i,
                item: None,
                n: ni as usize,
                mean: (ni > 0.0).then(|| moments.shift[i]),
                sd: (ni > 1.0).then_some(sds[i]),
                r_drop,
                alpha_if_deleted: alpha_del,
                std_alpha_if_deleted: std_del,
                average_r_if_deleted: avr_del,
            }
        })
        .collect();
    Ok(Reliability {
        alpha,
        std_alpha,
        ci: [lower, upper],
        ci_level: options.ci_level,
        n,
        k,
        missing: options.missing,
        average_r,
        items,
    })
}

/// Pairwise cross-product sums of mean-shifted data.
struct Moments {
    /// Mean of each column over its valid values (the shift).
    shift: Vec<f64>,
    /// `count[i][j]`: rows where both i and j are present.
    count: Array2<f64>,
    /// `sum[i][j]`: Σ of shifted x_i over rows where both are present.
    sum: Array2<f64>,
    /// `prod[i][j]`: Σ of shifted x_i · x_j over rows where both are present.
    prod: Array2<f64>,
}

impl Moments {
    /// One pass over the rows for the column means, one to shift the data
    /// (missing → 0) and to collect the corrections of the few rows with
    /// missing answers, and one k × k cross product `ZᵀZ`.
    fn of(data: ArrayView2<f64>) -> Moments {
        let (n, k) = data.dim();
        let mut total = vec![0.0; k];
        let mut valid = vec![0usize; k];
        for row in data.rows() {
            for ((t, c), &x) in total.iter_mut().zip(valid.iter_mut()).zip(row) {
                if !x.is_nan() {
                    *t += x;
                    *c += 1;
                }
            }
        }
        let shift: Vec<f64> = total
            .iter()
            .zip(&valid)
            .map(|(t, &c)| if c > 0 { t / c as f64 } else { 0.0 })
            .collect();
        let mut z = Array2::<f64>::zeros((n, k));
        let mut col_sum = vec![0.0; k];
        // count[i][j]: rows with both i and j answered; starts at n and loses
        // every row where i or j is missing.
        let mut count = Array2::<f64>::from_elem((k, k), n as f64);
        // sum_missing[i][j]: Σ z_i over rows where j is missing.
        let mut sum_missing = Array2::<f64>::zeros((k, k));
        let mut missing_cols: Vec<usize> = Vec::with_capacity(k);
        let mut is_missing = vec![false; k];
        for (mut zr, row) in z.rows_mut().into_iter().zip(data.rows()) {
            missing_cols.clear();
            for (j, ((zv, &x), &s)) in zr.iter_mut().zip(row).zip(&shift).enumerate() {
                if x.is_nan() {
                    missing_cols.push(j);
                } else {
                    *zv = x - s;
                    col_sum[j] += *zv;
                }
            }
            if missing_cols.is_empty() {
                continue;
            }
            for &j in &missing_cols {
                is_missing[j] = true;
            }
            for &j in &missing_cols {
                for (i, &zi) in zr.iter().enumerate() {
                    sum_missing[[i, j]] += zi;
                    if !is_missing[i] {
                        count[[i, j]] -= 1.0;
                        count[[j, i]] -= 1.0;
                    }
                }
                for &i in &missing_cols {
                    count[[i, j]] -= 1.0;
                }
            }
            for &j in &missing_cols {
                is_missing[j] = false;
            }
        }
        let sum = Array2::from_shape_fn((k, k), |(i, j)| col_sum[i] - sum_missing[[i, j]]);
        let prod = z.t().dot(&z);
        Moments {
            shift,
            count,
            sum,
            prod,
        }
    }

    /// Pairwise-complete sample covariance matrix.
    fn covariance(&self) -> Result<Array2<f64>> {
        let k = self.shift.len();
        let mut c = Array2::<f64>::zeros((k, k));
        for i in 0..k {
            for j in 0..=i {
                let nij = self.count[[i, j]];
                if nij < 2.0 {
                    let location = if i == j {
                        format!("data[:, {i}]")
                    } else {
                        format!("data[:, {j}], data[:, {i}]")
                    };
                    return Err(Error::InsufficientData {
                        location,
                        message: if i == j {
                            format!("item {i} has fewer than 2 answers")
                        } else {
                            format!("items {j} and {i} have fewer than 2 respondents in common")
                        },
                    });
                }
                let v =
                    (self.prod[[i, j]] - self.sum[[i, j]] * self.sum[[j, i]] / nij) / (nij - 1.0);
                c[[i, j]] = v;
                c[[j, i]] = v;
            }
        }
        Ok(c)
    }
}

/// Reverse-key columns in place on the nominal scale:
/// `x' = min + max − x` (missing stays missing).
pub fn reverse_columns(
    data: &mut Array2<f64>,
    columns: &[usize],
    min: f64,
    max: f64,
) -> Result<()> {
    let k = data.ncols();
    for (i, &c) in columns.iter().enumerate() {
        if c >= k {
            return Err(Error::invalid(
                format!("reverse[{i}]"),
                format!("column {c} does not exist (the data has {k} columns)"),
            ));
        }
    }
    for &c in columns {
        data.column_mut(c).mapv_inplace(|x| min + max - x);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn two_by_two_by_hand() {
        // x = [1,2,3], y = [2,1,3]: var 1, 1; cov 0.5; tr 2, ΣC 3 → α = 2·(1−2/3) = 2/3.
        let d = array![[1.0, 2.0], [2.0, 1.0], [3.0, 3.0]];
        let r = cronbach_alpha(d.view(), &AlphaOptions::default()).unwrap();
        assert!((r.alpha - 2.0 / 3.0).abs() < 1e-12);
        assert!((r.std_alpha.unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert!((r.average_r.unwrap() - 0.5).abs() < 1e-12);
        assert!((r.items[0].r_drop.unwrap() - 0.5).abs() < 1e-12);
        assert_eq!(r.items[0].alpha_if_deleted, None);
    }

    #[test]
    fn errors() {
        let one = array![[1.0], [2.0]];
        let e = cronbach_alpha(one.view(), &AlphaOptions::default()).unwrap_err();
        assert_eq!(e.code(), "insufficient_data");
        let flat = array![[1.0, 1.0], [1.0, 1.0]];
        let e = cronbach_alpha(flat.view(), &AlphaOptions::default()).unwrap_err();
        assert_eq!(e.code(), "insufficient_data");
        let disjoint = array![
            [1.0, f64::NAN],
            [2.0, f64::NAN],
            [f64::NAN, 1.0],
            [f64::NAN, 3.0]
        ];
        let e = cronbach_alpha(disjoint.view(), &AlphaOptions::default()).unwrap_err();
        assert_eq!(e.location(), "data[:, 0], data[:, 1]");
    }

    /// Two-pass pairwise covariance as pandas `DataFrame.cov` defines it.
    fn naive_cov(d: &Array2<f64>) -> Array2<f64> {
        let k = d.ncols();
        Array2::from_shape_fn((k, k), |(i, j)| {
            let pairs: Vec<(f64, f64)> = d
                .rows()
                .into_iter()
                .map(|r| (r[i], r[j]))
                .filter(|(a, b)| !a.is_nan() && !b.is_nan())
                .collect();
            let n = pairs.len() as f64;
            let ma = pairs.iter().map(|p| p.0).sum::<f64>() / n;
            let mb = pairs.iter().map(|p| p.1).sum::<f64>() / n;
            pairs.iter().map(|(a, b)| (a - ma) * (b - mb)).sum::<f64>() / (n - 1.0)
        })
    }

    #[test]
    fn pairwise_covariance_matches_two_pass() {
        // Deterministic pseudo-random 1..5 answers with about 15 % missing.
        let mut state = 12345u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as u32
        };
        let d = Array2::from_shape_fn((60, 6), |_| {
            let r = next();
            if r % 7 == 0 {
                f64::NAN
            } else {
                f64::from(1 + r % 5)
            }
        });
        let c = Moments::of(d.view()).covariance().unwrap();
        let naive = naive_cov(&d);
        for (a, b) in c.iter().zip(naive.iter()) {
            assert!((a - b).abs() < 1e-12, "{a} vs {b}");
        }
        let m = Moments::of(d.view());
        for i in 0..6 {
            let valid = d.column(i).iter().filter(|x| !x.is_nan()).count();
            assert_eq!(m.count[[i, i]], valid as f64);
        }
    }

    #[test]
    fn reverse_twice_is_identity() {
        let mut d = array![[1.0, 5.0], [2.0, f64::NAN]];
        let orig = d.clone();
        reverse_columns(&mut d, &[1], 1.0, 5.0).unwrap();
        assert_eq!(d[[0, 1]], 1.0);
        reverse_columns(&mut d, &[1], 1.0, 5.0).unwrap();
        assert_eq!(d[[0, 1]], orig[[0, 1]]);
        assert!(d[[1, 1]].is_nan());
    }
}
