//! Summaries of ordinal answers: interpolated median, top-box shares and
//! distribution counts. Missing answers (`NaN`) are left out everywhere.
//!
//! **Interpolated median** (the median of grouped data, as Python's
//! `statistics.median_grouped(values, interval)`): sort the n valid values,
//! let `m` be the value at 0-based position ⌊n/2⌋, `n_below` / `n_equal` /
//! `n_above` the number of values below, equal to and above `m`, and `w` the
//! width of an answer category (default 1). Then
//!
//! ```text
//! median = m + w · (n_above − n_below) / (2 · n_equal)
//!        = (m − w/2) + w · (n/2 − n_below) / n_equal
//! ```
//!
//! e.g. 2 × 1, 9 × 4, 10 × 5 → 4 + (10 − 2)/18 = 4.444…;
//! [1, 3, 3, 3, 4, 5] → 3 + (2 − 1)/6 = 3.1667.
//!
//! **Top-box shares** on a scale `min..=max`: top box = share of valid
//! answers `≥ max` (the top category), top-2-box = share `≥ max − 1`;
//! bottom box = share `≤ min`, bottom-2-box = share `≤ min + 1`. Shares are
//! of valid (non-missing) answers; `null` when there are none.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

fn check_scale(min: f64, max: f64) -> Result<()> {
    if !(min.is_finite() && max.is_finite() && min < max) {
        return Err(Error::InvalidScale {
            location: "scale".into(),
            message: format!("min ({min}) must be less than max ({max}), both finite"),
        });
    }
    Ok(())
}

fn check_values(values: &[f64], scale: Option<(f64, f64)>) -> Result<()> {
    for (i, &v) in values.iter().enumerate() {
        if v.is_nan() {
            continue;
        }
        if !v.is_finite() {
            return Err(Error::invalid(
                format!("values[{i}]"),
                "values must be finite numbers or missing",
            ));
        }
        if let Some((min, max)) = scale {
            if v < min || v > max {
                return Err(Error::invalid(
                    format!("values[{i}]"),
                    format!("{v} is outside the scale {min}..={max}"),
                ));
            }
        }
    }
    Ok(())
}

/// Interpolated median of ordinal answers with category width `interval`
/// (see the module docs); `None` when no value is valid.
pub fn interpolated_median(values: &[f64], interval: f64) -> Result<Option<f64>> {
    if !(interval.is_finite() && interval > 0.0) {
        return Err(Error::invalid(
            "interval",
            format!("{interval} must be a positive number"),
        ));
    }
    check_values(values, None)?;
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() {
        return Ok(None);
    }
    v.sort_by(f64::total_cmp);
    // Run lengths of the distinct values, in ascending order.
    let mut groups: Vec<(f64, u64)> = Vec::new();
    for x in v {
        match groups.last_mut() {
            Some((y, k)) if *y == x => *k += 1,
            _ => groups.push((x, 1)),
        }
    }
    Ok(grouped_median(groups, interval, Middle::Upper))
}

/// Which answer locates the median category `m` when the number of
/// answers `n` is even (for odd `n` both are the middle answer). The two
/// give the same median unless empty categories lie between the two
/// middle answers: levels {1, 4} give 1.5 with `Lower` and 3.5 with
/// `Upper`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Middle {
    /// The ⌈n/2⌉-th answer: the lowest category whose cumulative count
    /// reaches n/2 (the textbook grouped median; used for the level
    /// distributions of aggregated gaps).
    Lower,
    /// The (⌊n/2⌋ + 1)-th answer (0-based position ⌊n/2⌋), as Python's
    /// `statistics.median_grouped` (used by [`interpolated_median`]).
    Upper,
}

/// Interpolated median from counts per category (see the module docs):
/// `counts[i]` answers have the value `min + i · interval`; `None` when
/// every count is 0; `middle` chooses the answer that locates the median
/// category when the count is even. The one implementation of the
/// formula: [`interpolated_median`] runs it on the run lengths of the
/// sorted answers. O(number of categories).
///
/// ```
/// use kompetens::stats::{interpolated_median_counts, Middle};
/// // 2 × 1, 9 × 4, 10 × 5 → 4 + (10 − 2)/18
/// let m = interpolated_median_counts(&[0, 2, 0, 0, 9, 10], 0.0, 1.0, Middle::Upper).unwrap();
/// assert!((m - 4.444_444_444).abs() < 1e-9);
/// ```
pub fn interpolated_median_counts(
    counts: &[u64],
    min: f64,
    interval: f64,
    middle: Middle,
) -> Option<f64> {
    grouped_median(
        counts
            .iter()
            .enumerate()
            .filter(|(_, &k)| k > 0)
            .map(|(i, &k)| (min + i as f64 * interval, k)),
        interval,
        middle,
    )
}

/// The interpolated median of `(value, count)` groups in ascending value
/// order with positive counts: `m` = the value of the group holding the
/// answer `middle` names, then `m + w · (n_above − n_below) / (2 ·
/// n_equal)`.
fn grouped_median<I>(groups: I, interval: f64, middle: Middle) -> Option<f64>
where
    I: IntoIterator<Item = (f64, u64)>,
    I::IntoIter: Clone,
{
    let groups = groups.into_iter();
    let n: u64 = groups.clone().map(|g| g.1).sum();
    if n == 0 {
        return None;
    }
    // 1-based rank of the answer that locates m
    let rank = match middle {
        Middle::Lower => n.div_ceil(2),
        Middle::Upper => n / 2 + 1,
    };
    let mut below = 0u64;
    for (m, equal) in groups {
        if below + equal >= rank {
            let above = n - below - equal;
            return Some(m + interval * (above as f64 - below as f64) / (2.0 * equal as f64));
        }
        below += equal;
    }
    None
}

/// Top- and bottom-box shares of answers on a scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TopBox {
    /// Number of valid answers.
    pub n: usize,
    /// Number of missing answers.
    pub missing: usize,
    /// Share of answers in the top category.
    pub top_box: Option<f64>,
    /// Share of answers in the two top categories.
    pub top_two_box: Option<f64>,
    /// Share of answers in the bottom category.
    pub bottom_box: Option<f64>,
    /// Share of answers in the two bottom categories.
    pub bottom_two_box: Option<f64>,
}

/// Top-box and bottom-box shares of `values` on the scale `min..=max`
/// (values outside it are an `invalid_value` error naming `values[i]`).
pub fn top_box(values: &[f64], min: f64, max: f64) -> Result<TopBox> {
    check_scale(min, max)?;
    check_values(values, Some((min, max)))?;
    let valid: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    let n = valid.len();
    let share = |f: &dyn Fn(f64) -> bool| {
        (n > 0).then(|| valid.iter().filter(|&&x| f(x)).count() as f64 / n as f64)
    };
    Ok(TopBox {
        n,
        missing: values.len() - n,
        top_box: share(&|x| x >= max),
        top_two_box: share(&|x| x >= max - 1.0),
        bottom_box: share(&|x| x <= min),
        bottom_two_box: share(&|x| x <= min + 1.0),
    })
}

/// Count of one answer value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueCount {
    /// The answer value.
    pub value: i64,
    /// How many gave it.
    pub count: usize,
    /// Share of valid answers; `null` without valid answers.
    pub share: Option<f64>,
}

/// Distribution of integer answers on a scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Distribution {
    /// Number of valid answers.
    pub n: usize,
    /// Number of missing answers.
    pub missing: usize,
    /// One entry per value `min..=max`, in order (zero counts included).
    pub counts: Vec<ValueCount>,
}

/// Counts of each integer value `min..=max` among `values` (values must be
/// integers on the scale; `NaN` counts as missing).
pub fn distribution(values: &[f64], min: i64, max: i64) -> Result<Distribution> {
    if min >= max || max - min > 1_000_000 {
        return Err(Error::InvalidScale {
            location: "scale".into(),
            message: format!("min ({min}) must be less than max ({max}), at most 10⁶ apart"),
        });
    }
    check_values(values, Some((min as f64, max as f64)))?;
    let mut counts = vec![0usize; (max - min + 1) as usize];
    let mut n = 0;
    for (i, &v) in values.iter().enumerate() {
        if v.is_nan() {
            continue;
        }
        if v.fract() != 0.0 {
            return Err(Error::invalid(
                format!("values[{i}]"),
                format!("{v} is not a whole number"),
            ));
        }
        let idx = (v as i64 - min) as usize;
        if let Some(c) = counts.get_mut(idx) {
            *c += 1;
            n += 1;
        }
    }
    Ok(Distribution {
        n,
        missing: values.len() - n,
        counts: counts
            .into_iter()
            .enumerate()
            .map(|(i, count)| ValueCount {
                value: min + i as i64,
                count,
                share: (n > 0).then(|| count as f64 / n as f64),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_medians() {
        // REFERENCE §6: 2×1, 9×4, 10×5 → 4 + 8/18; [1,3,3,3,4,5] → 3 + 1/6.
        let mut v = vec![1.0; 2];
        v.extend([4.0; 9]);
        v.extend([5.0; 10]);
        let m = interpolated_median(&v, 1.0).unwrap().unwrap();
        assert!((m - (4.0 + 8.0 / 18.0)).abs() < 1e-12);
        let m = interpolated_median(&[1., 3., 3., 3., 4., 5.], 1.0)
            .unwrap()
            .unwrap();
        assert!((m - (3.0 + 1.0 / 6.0)).abs() < 1e-12);
        assert_eq!(interpolated_median(&[f64::NAN], 1.0).unwrap(), None);
    }

    #[test]
    fn medians_from_counts() {
        // Python: statistics.median_grouped([1, 4]) == 3.5 (the 2nd value
        // locates the median class: 4 − ½ + (1 − 1)/1); the textbook
        // grouped median takes the class of the 1st: 1 − ½ + (1 − 0)/1.
        assert_eq!(interpolated_median(&[1.0, 4.0], 1.0).unwrap(), Some(3.5));
        let counts = [0, 1, 0, 0, 1];
        assert_eq!(
            interpolated_median_counts(&counts, 0.0, 1.0, Middle::Upper),
            Some(3.5)
        );
        assert_eq!(
            interpolated_median_counts(&counts, 0.0, 1.0, Middle::Lower),
            Some(1.5)
        );
        // REFERENCE §6 from counts: [1,3,3,3,4,5] → 3 + 1/6 either way
        // (the middle values 3 and 3 share a category).
        for middle in [Middle::Lower, Middle::Upper] {
            let m = interpolated_median_counts(&[0, 1, 0, 3, 1, 1], 0.0, 1.0, middle).unwrap();
            assert!((m - (3.0 + 1.0 / 6.0)).abs() < 1e-12);
        }
        // width 2 on the scale 10, 12, 14: [10, 12, 12, 14] → Python
        // median_grouped(…, interval=2) = 11 + 2·(2 − 1)/2 = 12.
        let m = interpolated_median_counts(&[1, 2, 1], 10.0, 2.0, Middle::Upper);
        assert_eq!(m, Some(12.0));
        assert_eq!(
            interpolated_median_counts(&[0, 0], 0.0, 1.0, Middle::Lower),
            None
        );
    }

    #[test]
    fn boxes() {
        let t = top_box(&[1., 2., 5., 5., 4., f64::NAN], 1.0, 5.0).unwrap();
        assert_eq!(t.n, 5);
        assert_eq!(t.top_box, Some(0.4));
        assert_eq!(t.top_two_box, Some(0.6));
        assert_eq!(t.bottom_two_box, Some(0.4));
        assert!(top_box(&[6.0], 1.0, 5.0).is_err());
    }
}
