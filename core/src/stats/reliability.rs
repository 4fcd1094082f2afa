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
//! The implementation makes one pass over the data in blocks of rows: each
//! block is shifted by provisional column means (missing → 0) and its k × k
//! cross product is added up, together with the few corrections that rows
//! with missing answers need; on native targets large inputs are split
//! between up to 4 threads. 100,000 × 30 takes about 10 ms on one core.
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

use ndarray::linalg::general_mat_mul;
use ndarray::{s, Array2, ArrayView2, Axis};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, FisherSnedecor};

use crate::error::{Error, Result};
use crate::survey::ResponseScale;

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
    let infinite = |data: ArrayView2<f64>| -> Error {
        let (r, c) = data
            .indexed_iter()
            .find(|(_, v)| v.is_infinite())
            .map(|(i, _)| i)
            .unwrap_or_default();
        Error::invalid(
            format!("data[{r}][{c}]"),
            "values must be finite numbers or missing",
        )
    };
    let (moments, n) = match options.missing {
        MissingPolicy::Pairwise => (Moments::of(data), rows),
        MissingPolicy::Listwise => {
            // Rows dropped for a missing answer are checked too.
            if data.fold(false, |any, v| any | v.is_infinite()) {
                return Err(infinite(data));
            }
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
    // Infinities are found by the pass over the data (no pass of its own).
    if moments.infinite {
        return Err(infinite(data));
    }
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
                mean: (ni > 0.0).then(|| moments.mean[i]),
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

/// Pairwise cross-product sums of shifted data.
struct Moments {
    /// Mean of each column over its valid values (0 without any).
    mean: Vec<f64>,
    /// `count[i][j]`: rows where both i and j are present.
    count: Array2<f64>,
    /// `sum[i][j]`: Σ of shifted x_i over rows where both are present.
    sum: Array2<f64>,
    /// `prod[i][j]`: Σ of shifted x_i · x_j over rows where both are present.
    prod: Array2<f64>,
    /// Whether any value is infinite (an error for the caller).
    infinite: bool,
}

/// Rows per block of [`accumulate`]: a block of shifted values stays in
/// the first-level caches.
const BLOCK: usize = 256;
/// Inputs of at least this many values are split between threads.
#[cfg(not(target_family = "wasm"))]
const PARALLEL_MIN: usize = 1_000_000;

/// Sums of one range of rows, for shifts `shift` (z = x − shift, 0 when
/// missing).
struct Partial {
    /// Valid values per column.
    valid: Vec<usize>,
    /// Σ z per column (missing values add 0).
    col_sum: Vec<f64>,
    /// `[j·k + i]`: Σ z_i over rows where j is missing.
    sum_missing: Vec<f64>,
    /// `[j·k + i]`: rows where both i and j are missing (diagonal: rows
    /// where j is missing).
    both_missing: Vec<f64>,
    /// Σ z_i z_j over all rows (= over rows where both are present).
    prod: Array2<f64>,
    /// Whether any value is infinite.
    infinite: bool,
}

impl Partial {
    #[cfg(not(target_family = "wasm"))]
    fn add(&mut self, other: &Partial) {
        self.infinite |= other.infinite;
        for (a, b) in self.valid.iter_mut().zip(&other.valid) {
            *a += b;
        }
        for (a, b) in self.col_sum.iter_mut().zip(&other.col_sum) {
            *a += b;
        }
        for (a, b) in self.sum_missing.iter_mut().zip(&other.sum_missing) {
            *a += b;
        }
        for (a, b) in self.both_missing.iter_mut().zip(&other.both_missing) {
            *a += b;
        }
        self.prod += &other.prod;
    }
}

/// Shift one row into `zr` (`x − shift`, 0 when missing); whether any value
/// was missing and whether any was infinite. (Counting instead of `||`
/// keeps the loop vectorisable.)
fn shift_row<'a>(zr: &mut [f64], xs: impl Iterator<Item = &'a f64>, shift: &[f64]) -> (bool, bool) {
    let mut missing = 0u32;
    let mut infinite = 0u32;
    for ((z, &x), &sh) in zr.iter_mut().zip(xs).zip(shift) {
        let d = x - sh;
        let nan = d.is_nan();
        missing += u32::from(nan);
        infinite += u32::from(d.is_infinite());
        *z = if nan { 0.0 } else { d };
    }
    (missing > 0, infinite > 0)
}

/// One pass over `data` in blocks of [`BLOCK`] rows: shift each block into
/// a row-major buffer, add its cross product `ZᵀZ` (matrix product), its
/// column sums and, for the rows with missing answers, the corrections.
fn accumulate(data: ArrayView2<f64>, shift: &[f64]) -> Partial {
    let (n, k) = data.dim();
    let mut p = Partial {
        valid: vec![0; k],
        col_sum: vec![0.0; k],
        sum_missing: vec![0.0; k * k],
        both_missing: vec![0.0; k * k],
        prod: Array2::zeros((k, k)),
        infinite: false,
    };
    if k == 0 {
        return p;
    }
    // Row-major block of shifted values.
    let mut block = vec![0.0f64; BLOCK * k];
    let mut has_missing = vec![false; BLOCK];
    let mut missing_cols: Vec<usize> = Vec::with_capacity(k);
    let column_major = k > 1 && data.strides()[1] != 1;
    let mut start = 0;
    while start < n {
        let m = BLOCK.min(n - start);
        let src = data.slice(s![start..start + m, ..]);
        let zb = &mut block[..m * k];
        if column_major {
            has_missing.iter_mut().for_each(|f| *f = false);
            for (j, (col, &sh)) in src.columns().into_iter().zip(shift).enumerate() {
                for ((z, &x), flag) in zb
                    .iter_mut()
                    .skip(j)
                    .step_by(k)
                    .zip(col.iter())
                    .zip(&mut has_missing)
                {
                    let nan = x.is_nan();
                    *flag |= nan;
                    p.infinite |= x.is_infinite();
                    *z = if nan { 0.0 } else { x - sh };
                }
            }
        } else {
            for ((zr, row), flag) in zb.chunks_exact_mut(k).zip(src.rows()).zip(&mut has_missing) {
                let (missing, infinite) = match row.as_slice() {
                    Some(xs) => shift_row(zr, xs.iter(), shift),
                    None => shift_row(zr, row.iter(), shift),
                };
                *flag = missing;
                p.infinite |= infinite;
            }
        }
        for ((zr, row), &flag) in zb.chunks_exact(k).zip(src.rows()).zip(&has_missing) {
            for (c, &z) in p.col_sum.iter_mut().zip(zr) {
                *c += z;
            }
            if !flag {
                continue;
            }
            missing_cols.clear();
            match row.as_slice() {
                Some(xs) => missing_cols.extend(
                    xs.iter()
                        .enumerate()
                        .filter(|(_, x)| x.is_nan())
                        .map(|(j, _)| j),
                ),
                None => missing_cols.extend(
                    row.iter()
                        .enumerate()
                        .filter(|(_, x)| x.is_nan())
                        .map(|(j, _)| j),
                ),
            }
            for &j in &missing_cols {
                if let Some(sm) = p.sum_missing.get_mut(j * k..(j + 1) * k) {
                    for (s, &z) in sm.iter_mut().zip(zr) {
                        *s += z;
                    }
                }
                for &i in &missing_cols {
                    if let Some(b) = p.both_missing.get_mut(j * k + i) {
                        *b += 1.0;
                    }
                }
            }
        }
        if let Ok(z) = ndarray::ArrayView2::from_shape((m, k), &block[..m * k]) {
            general_mat_mul(1.0, &z.t(), &z, 1.0, &mut p.prod);
        }
        start += m;
    }
    for (j, v) in p.valid.iter_mut().enumerate() {
        *v = n - p.both_missing.get(j * k + j).copied().unwrap_or(0.0) as usize;
    }
    p
}

/// `accumulate` over row ranges on up to 4 threads (native targets, large
/// inputs), summed.
fn accumulate_parallel(data: ArrayView2<f64>, shift: &[f64]) -> Partial {
    #[cfg(not(target_family = "wasm"))]
    {
        let (n, k) = data.dim();
        let threads = if n * k >= PARALLEL_MIN {
            std::thread::available_parallelism()
                .map(|t| t.get())
                .unwrap_or(1)
                .min(4)
        } else {
            1
        };
        if threads > 1 {
            let step = n.div_ceil(threads);
            let parts: Vec<Partial> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..threads)
                    .map(|t| (t * step, ((t + 1) * step).min(n)))
                    .filter(|(a, b)| a < b)
                    .map(|(a, b)| {
                        let part = data.slice(s![a..b, ..]);
                        (part, scope.spawn(move || accumulate(part, shift)))
                    })
                    .collect();
                handles
                    .into_iter()
                    // A worker that failed is redone on this thread.
                    .map(|(part, h)| h.join().unwrap_or_else(|_| accumulate(part, shift)))
                    .collect()
            });
            let mut parts = parts.into_iter();
            if let Some(mut total) = parts.next() {
                for p in parts {
                    total.add(&p);
                }
                return total;
            }
        }
    }
    accumulate(data, shift)
}

impl Moments {
    /// Shifts are the column means of the first block (any value close to
    /// the mean keeps the sums well conditioned; the algebra is exact for
    /// any shift); then [`accumulate`] (in parallel for large inputs) and
    /// the pairwise counts and sums from its corrections.
    fn of(data: ArrayView2<f64>) -> Moments {
        let (n, k) = data.dim();
        let head = data.slice(s![..BLOCK.min(n), ..]);
        let shift: Vec<f64> = head
            .columns()
            .into_iter()
            .map(|c| {
                let (t, m) = c
                    .iter()
                    .filter(|x| x.is_finite())
                    .fold((0.0, 0usize), |(t, m), &x| (t + x, m + 1));
                if m > 0 {
                    t / m as f64
                } else {
                    0.0
                }
            })
            .collect();
        let p = accumulate_parallel(data, &shift);
        let nf = n as f64;
        let missing: Vec<f64> = p.valid.iter().map(|&c| nf - c as f64).collect();
        // Rows with both present = n − rows missing i − rows missing j + rows missing both.
        let count = Array2::from_shape_fn((k, k), |(i, j)| {
            nf - missing[i] - missing[j] + p.both_missing[j * k + i]
        });
        // Σ z_i over rows with both present = Σ z_i − Σ z_i over rows missing j
        // (z_i is 0 where i itself is missing).
        let sum = Array2::from_shape_fn((k, k), |(i, j)| p.col_sum[i] - p.sum_missing[j * k + i]);
        let mean = shift
            .iter()
            .zip(&p.valid)
            .zip(&p.col_sum)
            .map(|((&sh, &v), &cs)| if v > 0 { sh + cs / v as f64 } else { 0.0 })
            .collect();
        Moments {
            mean,
            count,
            sum,
            prod: p.prod,
            infinite: p.infinite,
        }
    }

    /// Pairwise-complete sample covariance matrix.
    fn covariance(&self) -> Result<Array2<f64>> {
        let k = self.mean.len();
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

/// A column named by its index or by its item name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnRef {
    /// 0-based column index.
    Index(usize),
    /// Item name (needs `names` in [`AlphaItems`]).
    Name(String),
}

impl ColumnRef {
    /// Columns from JSON values: numbers are column indices, strings item
    /// names (`invalid_value` at `<key>[i]` otherwise).
    pub fn list(values: &[serde_json::Value], key: &str) -> Result<Vec<ColumnRef>> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                serde_json::Value::Number(n) => n
                    .as_u64()
                    .map(|n| ColumnRef::Index(n as usize))
                    .ok_or_else(|| {
                        Error::invalid(format!("{key}[{i}]"), "expected a column index ≥ 0")
                    }),
                serde_json::Value::String(s) => Ok(ColumnRef::Name(s.clone())),
                _ => Err(Error::invalid(
                    format!("{key}[{i}]"),
                    "expected a column index or an item name",
                )),
            })
            .collect()
    }
}

/// Item names, response scale and reverse keying for
/// [`cronbach_alpha_items`].
#[derive(Debug, Clone, Copy, Default)]
pub struct AlphaItems<'a> {
    /// One name per column (reported as `item` of each item statistic).
    pub names: Option<&'a [String]>,
    /// The response scale: every answer must lie on it, and reverse keying
    /// uses its nominal ends.
    pub scale: Option<&'a ResponseScale>,
    /// Reverse-keyed columns (`x' = min + max − x` on `scale`).
    pub reverse: &'a [ColumnRef],
}

/// Cronbach's α of item responses with the checks of the
/// `stats.cronbach_alpha` operation, in this order: `names` has one name
/// per column (`shape_mismatch` at `items`); every `reverse` entry names a
/// column (`unknown_reference` / `invalid_value` at `reverse[i]`); the scale
/// is valid (`scale`) and holds every answer (`invalid_value` at
/// `data[r][c]`); reverse keying needs a scale (`missing_value` at `scale`).
/// The data are copied only when columns are reverse keyed; then
/// [`cronbach_alpha`] runs and the item statistics get their names.
pub fn cronbach_alpha_items(
    data: ArrayView2<f64>,
    items: &AlphaItems<'_>,
    options: &AlphaOptions,
) -> Result<Reliability> {
    let k = data.ncols();
    if let Some(names) = items.names {
        if names.len() != k {
            return Err(Error::ShapeMismatch {
                location: "items".into(),
                message: format!("{} names for {k} columns", names.len()),
            });
        }
    }
    let reverse = items
        .reverse
        .iter()
        .enumerate()
        .map(|(i, c)| match c {
            ColumnRef::Index(j) => Ok(*j),
            ColumnRef::Name(s) => items
                .names
                .and_then(|names| names.iter().position(|x| x == s))
                .ok_or_else(|| Error::UnknownReference {
                    location: format!("reverse[{i}]"),
                    kind: "item".into(),
                    id: s.clone(),
                }),
        })
        .collect::<Result<Vec<usize>>>()?;
    if let Some(scale) = items.scale {
        scale.validate("scale")?;
        if let Some(((r, c), v)) = data
            .indexed_iter()
            .find(|(_, v)| !v.is_nan() && !scale.contains(**v))
        {
            return Err(Error::invalid(
                format!("data[{r}][{c}]"),
                format!("{v} is outside the scale {}..={}", scale.min, scale.max),
            ));
        }
    }
    let mut rel = if reverse.is_empty() {
        cronbach_alpha(data, options)?
    } else {
        let scale = items.scale.ok_or_else(|| Error::MissingValue {
            location: "scale".into(),
            what: "response scale (reverse keying uses its nominal ends)".into(),
        })?;
        let mut owned = data.to_owned();
        reverse_columns(&mut owned, &reverse, scale.min, scale.max)?;
        cronbach_alpha(owned.view(), options)?
    };
    if let Some(names) = items.names {
        for (it, name) in rel.items.iter_mut().zip(names) {
            it.item = Some(name.clone());
        }
    }
    Ok(rel)
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
    fn blocked_parallel_and_column_major_agree() {
        // 40,000 × 26 (over the parallel threshold) with ~3 % missing,
        // pseudo-random 1..5; the parallel sums, the one-thread sums and the
        // sums of the same data in column-major layout must agree, and the
        // pairwise counts must be exact.
        let mut state = 987654321u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as u32
        };
        let d = Array2::from_shape_fn((40_000, 26), |_| {
            let r = next();
            if r % 33 == 0 {
                f64::NAN
            } else {
                f64::from(1 + r % 5)
            }
        });
        let par = Moments::of(d.view());
        let shift: Vec<f64> = par.mean.clone();
        let one = accumulate(d.view(), &shift);
        let fortran = d.t().as_standard_layout().into_owned().reversed_axes();
        assert_eq!(fortran.strides()[0], 1);
        let col = Moments::of(fortran.view());
        let c_par = par.covariance().unwrap();
        let c_col = col.covariance().unwrap();
        for (a, b) in c_par.iter().zip(c_col.iter()) {
            assert!((a - b).abs() < 1e-12, "{a} vs {b}");
        }
        assert_eq!(par.count, col.count);
        for j in 0..26 {
            let valid = d.column(j).iter().filter(|x| !x.is_nan()).count();
            assert_eq!(one.valid[j], valid);
            assert_eq!(par.count[[j, j]], valid as f64);
            let both = d
                .rows()
                .into_iter()
                .filter(|r| !r[j].is_nan() && !r[(j + 1) % 26].is_nan())
                .count();
            assert_eq!(par.count[[j, (j + 1) % 26]], both as f64);
            let mean = d.column(j).iter().filter(|x| !x.is_nan()).sum::<f64>() / valid as f64;
            assert!((par.mean[j] - mean).abs() < 1e-12);
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
