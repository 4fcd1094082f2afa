//! Eurostat Digital Skills Indicator 2.0 (DSI; survey years 2021, 2023,
//! 2025): from the number of digital activities a person reports in each of
//! five areas to a skill level per area and an overall category.
//!
//! Per area (thresholds are data, [`DsiThresholds`]; defaults are
//! Eurostat's): count 0 → `none`; count ≥ `basic` → `basic`; count ≥
//! `above_basic` → `above_basic`.
//!
//! | area (order) | basic | above basic |
//! |---|---|---|
//! | `information` (information and data literacy) | 1 | ≥ 2 |
//! | `communication` (communication and collaboration) | 1 | ≥ 2 |
//! | `content` (digital content creation) | 1–2 | ≥ 3 |
//! | `safety` | 1–2 | ≥ 3 |
//! | `problem_solving` | 1–2 | ≥ 3 |
//!
//! Overall, with k = number of areas at basic or above: all five above basic
//! → `above_basic`; k = 5 otherwise → `basic`; k = 4 → `low`; k = 3 →
//! `narrow`; k = 2 → `limited`; k ≤ 1 → `no_skills` (**assumption**: k ≤ 1,
//! the only split consistent with Eurostat's labels); a person not assessed
//! (not an internet user in the last 3 months; `null` counts) →
//! `not_assessed`. *At least basic* = `basic` + `above_basic`.
//!
//! The population summary gives each category's share of **all** persons
//! (not assessed included, as Eurostat's indicator is a share of all
//! individuals), optionally weighted, and the headline `at_least_basic`
//! share; `at_least_basic_of_assessed` divides by assessed persons only.
//!
//! ```
//! use kompetens::survey::dsi::{classify, DsiCategory, DsiThresholds};
//! // 1 information activity (basic), 2 communication (above), 0 content (none) …
//! let r = classify(Some(&[1, 2, 0, 3, 1]), &DsiThresholds::default())?;
//! assert_eq!(r.category, DsiCategory::Low); // 4 areas at basic or above
//! # Ok::<(), kompetens::Error>(())
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The five DSI areas, in order.
pub const DSI_AREAS: [&str; 5] = [
    "information",
    "communication",
    "content",
    "safety",
    "problem_solving",
];

/// Thresholds of one area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AreaThresholds {
    /// Area id (one of [`DSI_AREAS`], in that order).
    pub area: String,
    /// Fewest activities for `basic` (≥ 1).
    pub basic: u32,
    /// Fewest activities for `above_basic` (> `basic`).
    pub above_basic: u32,
}

/// Thresholds of all five areas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DsiThresholds {
    /// One entry per area, in the order of [`DSI_AREAS`].
    pub areas: Vec<AreaThresholds>,
}

impl Default for DsiThresholds {
    /// Eurostat's DSI 2.0 thresholds.
    fn default() -> Self {
        let t = |area: &str, basic: u32, above_basic: u32| AreaThresholds {
            area: area.to_string(),
            basic,
            above_basic,
        };
        DsiThresholds {
            areas: vec![
                t("information", 1, 2),
                t("communication", 1, 2),
                t("content", 1, 3),
                t("safety", 1, 3),
                t("problem_solving", 1, 3),
            ],
        }
    }
}

impl DsiThresholds {
    /// Check: the five areas in order; `1 ≤ basic < above_basic`.
    pub fn validate(&self) -> Result<()> {
        if self.areas.len() != DSI_AREAS.len() {
            return Err(Error::ShapeMismatch {
                location: "thresholds.areas".into(),
                message: format!("expected the 5 DSI areas, got {}", self.areas.len()),
            });
        }
        for (i, (t, name)) in self.areas.iter().zip(DSI_AREAS).enumerate() {
            if t.area != name {
                return Err(Error::invalid(
                    format!("thresholds.areas[{i}].area"),
                    format!("expected {name:?}, got {:?}", t.area),
                ));
            }
            if t.basic < 1 || t.above_basic <= t.basic {
                return Err(Error::InvalidScale {
                    location: format!("thresholds.areas[{i}]"),
                    message: format!(
                        "need 1 ≤ basic < above_basic, got basic {} and above_basic {}",
                        t.basic, t.above_basic
                    ),
                });
            }
        }
        Ok(())
    }
}

/// Skill level in one area.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AreaLevel {
    /// No activity.
    None,
    /// Basic.
    Basic,
    /// Above basic.
    AboveBasic,
}

/// Overall DSI category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DsiCategory {
    /// Above basic in all five areas.
    AboveBasic,
    /// At least basic in all five areas, not all above basic.
    Basic,
    /// Basic or above in exactly four areas.
    Low,
    /// … in exactly three areas.
    Narrow,
    /// … in exactly two areas.
    Limited,
    /// … in at most one area.
    NoSkills,
    /// Not assessed (not an internet user in the last 3 months).
    NotAssessed,
}

impl DsiCategory {
    /// All categories in reporting order.
    pub const ALL: [DsiCategory; 7] = [
        DsiCategory::AboveBasic,
        DsiCategory::Basic,
        DsiCategory::Low,
        DsiCategory::Narrow,
        DsiCategory::Limited,
        DsiCategory::NoSkills,
        DsiCategory::NotAssessed,
    ];

    /// Basic or above basic.
    pub fn at_least_basic(self) -> bool {
        matches!(self, DsiCategory::AboveBasic | DsiCategory::Basic)
    }

    /// Position in [`DsiCategory::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// One area's count and level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AreaResult {
    /// Area id.
    pub area: String,
    /// Number of activities.
    pub count: u32,
    /// Level in the area.
    pub level: AreaLevel,
}

/// One person's DSI classification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DsiResult {
    /// Per area (empty when not assessed).
    pub areas: Vec<AreaResult>,
    /// Number of areas at basic or above.
    pub areas_at_least_basic: usize,
    /// Overall category.
    pub category: DsiCategory,
    /// `basic` or `above_basic`.
    pub at_least_basic: bool,
}

/// Classify one person (`None` = not assessed).
pub fn classify(counts: Option<&[u32; 5]>, thresholds: &DsiThresholds) -> Result<DsiResult> {
    thresholds.validate()?;
    Ok(classify_unchecked(counts, thresholds))
}

fn area_level(count: u32, t: &AreaThresholds) -> AreaLevel {
    if count >= t.above_basic {
        AreaLevel::AboveBasic
    } else if count >= t.basic {
        AreaLevel::Basic
    } else {
        AreaLevel::None
    }
}

fn classify_unchecked(counts: Option<&[u32; 5]>, thresholds: &DsiThresholds) -> DsiResult {
    let Some(counts) = counts else {
        return DsiResult {
            areas: Vec::new(),
            areas_at_least_basic: 0,
            category: DsiCategory::NotAssessed,
            at_least_basic: false,
        };
    };
    let areas: Vec<AreaResult> = counts
        .iter()
        .zip(&thresholds.areas)
        .map(|(&count, t)| AreaResult {
            area: t.area.clone(),
            count,
            level: area_level(count, t),
        })
        .collect();
    let category = category_of(areas.iter().map(|a| a.level));
    DsiResult {
        areas_at_least_basic: areas.iter().filter(|a| a.level != AreaLevel::None).count(),
        at_least_basic: category.at_least_basic(),
        areas,
        category,
    }
}

fn category_of(levels: impl Iterator<Item = AreaLevel>) -> DsiCategory {
    let (mut k, mut above) = (0, 0);
    for l in levels {
        if l != AreaLevel::None {
            k += 1;
        }
        if l == AreaLevel::AboveBasic {
            above += 1;
        }
    }
    match (k, above) {
        (5, 5) => DsiCategory::AboveBasic,
        (5, _) => DsiCategory::Basic,
        (4, _) => DsiCategory::Low,
        (3, _) => DsiCategory::Narrow,
        (2, _) => DsiCategory::Limited,
        _ => DsiCategory::NoSkills,
    }
}

/// Read one row of counts (`NaN` = missing): all missing → not assessed;
/// otherwise every count must be a whole number ≥ 0.
fn row_counts(row: &[f64], r: usize) -> Result<Option<[u32; 5]>> {
    if row.iter().all(|x| x.is_nan()) {
        return Ok(None);
    }
    let mut out = [0u32; 5];
    for (a, (&x, slot)) in row.iter().zip(out.iter_mut()).enumerate() {
        let loc = format!("counts_table[{r}][{a}]");
        if x.is_nan() {
            return Err(Error::MissingValue {
                location: loc,
                what: format!(
                    "activity count for {} (a row is either complete or entirely missing)",
                    DSI_AREAS[a]
                ),
            });
        }
        if !(x >= 0.0 && x.fract() == 0.0 && x <= f64::from(u32::MAX)) {
            return Err(Error::invalid(
                loc,
                format!("{x} is not a whole number of activities ≥ 0"),
            ));
        }
        *slot = x as u32;
    }
    Ok(Some(out))
}

/// Classify every row of an n × 5 table of counts (areas in the order of
/// [`DSI_AREAS`]; a row of `NaN` = not assessed).
pub fn classify_table(
    counts: ndarray::ArrayView2<f64>,
    thresholds: &DsiThresholds,
) -> Result<Vec<DsiCategory>> {
    thresholds.validate()?;
    if counts.ncols() != 5 {
        return Err(Error::ShapeMismatch {
            location: "counts_table".into(),
            message: format!("expected 5 columns (areas), got {}", counts.ncols()),
        });
    }
    let mut out = Vec::with_capacity(counts.nrows());
    let mut buf = [0.0f64; 5];
    for (r, row) in counts.rows().into_iter().enumerate() {
        for (b, x) in buf.iter_mut().zip(row.iter()) {
            *b = *x;
        }
        let c = row_counts(&buf, r)?;
        out.push(classify_unchecked(c.as_ref(), thresholds).category);
    }
    Ok(out)
}

/// A category's size in a population.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryShare {
    /// The category.
    pub category: DsiCategory,
    /// Number of persons.
    pub count: usize,
    /// Sum of their weights (= count without weights).
    pub weight: f64,
    /// Share of the total weight of all persons.
    pub share: f64,
}

/// DSI population summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DsiSummary {
    /// Number of persons.
    pub n: usize,
    /// Total weight (= n without weights).
    pub total_weight: f64,
    /// Every category in reporting order, zero shares included.
    pub categories: Vec<CategoryShare>,
    /// Share with at least basic skills, of all persons.
    pub at_least_basic: f64,
    /// Share with at least basic skills, of assessed persons (`null` if
    /// nobody was assessed).
    pub at_least_basic_of_assessed: Option<f64>,
}

/// Summarise categories over a population, optionally weighted (weights
/// finite and ≥ 0, with a positive total).
pub fn summarise(categories: &[DsiCategory], weights: Option<&[f64]>) -> Result<DsiSummary> {
    if let Some(w) = weights {
        if w.len() != categories.len() {
            return Err(Error::ShapeMismatch {
                location: "weights".into(),
                message: format!("{} weights for {} persons", w.len(), categories.len()),
            });
        }
        if let Some(i) = w.iter().position(|x| !(x.is_finite() && *x >= 0.0)) {
            return Err(Error::InvalidWeight {
                location: format!("weights[{i}]"),
                message: format!("{} is not a finite number ≥ 0", w[i]),
            });
        }
    }
    let mut count = [0usize; 7];
    let mut weight = [0.0f64; 7];
    for (i, c) in categories.iter().enumerate() {
        count[c.index()] += 1;
        weight[c.index()] += weights.and_then(|w| w.get(i)).copied().unwrap_or(1.0);
    }
    let total: f64 = weight.iter().sum();
    if total <= 0.0 {
        return Err(Error::InsufficientData {
            location: if categories.is_empty() {
                "counts_table".into()
            } else {
                "weights".into()
            },
            message: "the total weight of the population is zero".into(),
        });
    }
    let alb = weight[0] + weight[1];
    let assessed = total - weight[DsiCategory::NotAssessed.index()];
    Ok(DsiSummary {
        n: categories.len(),
        total_weight: total,
        categories: DsiCategory::ALL
            .iter()
            .map(|&c| CategoryShare {
                category: c,
                count: count[c.index()],
                weight: weight[c.index()],
                share: weight[c.index()] / total,
            })
            .collect(),
        at_least_basic: alb / total,
        at_least_basic_of_assessed: (assessed > 0.0).then(|| alb / assessed),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_worked() {
        let t = DsiThresholds::default();
        let cat = |c: [u32; 5]| classify(Some(&c), &t).unwrap().category;
        // 2,2,3,3,3: every area at its above-basic threshold.
        assert_eq!(cat([2, 2, 3, 3, 3]), DsiCategory::AboveBasic);
        // content 2 is only basic.
        assert_eq!(cat([2, 2, 2, 3, 3]), DsiCategory::Basic);
        assert_eq!(cat([1, 1, 1, 1, 1]), DsiCategory::Basic);
        assert_eq!(cat([0, 5, 5, 5, 5]), DsiCategory::Low);
        assert_eq!(cat([0, 0, 5, 5, 5]), DsiCategory::Narrow);
        assert_eq!(cat([0, 0, 0, 1, 1]), DsiCategory::Limited);
        assert_eq!(cat([0, 0, 0, 0, 9]), DsiCategory::NoSkills);
        assert_eq!(cat([0, 0, 0, 0, 0]), DsiCategory::NoSkills);
        assert_eq!(
            classify(None, &t).unwrap().category,
            DsiCategory::NotAssessed
        );
    }

    #[test]
    fn summary_weighted() {
        use DsiCategory::*;
        let cats = [Basic, AboveBasic, Low, NotAssessed];
        let s = summarise(&cats, Some(&[1.0, 1.0, 2.0, 4.0])).unwrap();
        // at least basic: (1 + 1)/8; of assessed: 2/4.
        assert_eq!(s.at_least_basic, 0.25);
        assert_eq!(s.at_least_basic_of_assessed, Some(0.5));
        assert_eq!(s.categories[6].share, 0.5);
    }
}
