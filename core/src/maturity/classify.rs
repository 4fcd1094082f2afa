//! Quadrant types (DiMiOS A–D), bands, and the overall figure from given
//! dimension percentages (the published-figure check).

use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::maturity::model::{Band, Classification, MaturityModel, Origin, Side};
use crate::maturity::score::{quantise, wmean};
use crate::maturity::settings::{BandBoundaries, MaturitySettings};
use crate::text::Text;

/// A band a percentage falls in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BandRef {
    /// Band id.
    pub id: String,
    /// Name per language.
    pub name: Text,
}

/// One axis of a classification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Axis {
    /// Dimension id.
    pub dimension: String,
    /// Its percentage.
    pub percentage: f64,
    /// The cut point used.
    pub cut: f64,
    /// Side of the cut.
    pub side: Side,
}

/// The quadrant type of a measurement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TypeResult {
    /// Type id (`A`–`D`).
    pub id: String,
    /// Name per language.
    pub name: Text,
    /// Description per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
    /// General recommendations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recommendations: Vec<Text>,
    /// Documented by the model's owner, or ours.
    pub origin: Origin,
    /// The x and y axes, in that order.
    pub axes: Vec<Axis>,
}

/// A dimension percentage given as input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DimensionValue {
    /// Dimension id.
    pub id: String,
    /// Percentage 0–100.
    pub percentage: f64,
}

/// A closed-open interval `[low, high)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Interval {
    /// Lower end (inclusive).
    pub low: f64,
    /// Upper end (exclusive).
    pub high: f64,
}

/// The overall figure computed from dimension percentages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OverallFromDimensions {
    /// Model id.
    pub model: String,
    /// Weighted mean of the dimension percentages (model weights; DiMiOS:
    /// the plain mean of the two).
    pub overall: f64,
    /// Band of the overall figure, if the model has bands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<BandRef>,
    /// Quadrant type, if the model has a classification.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub maturity_type: Option<TypeResult>,
    /// When the inputs were rounded to `inputs_rounded_to_decimals`: the
    /// interval in which the overall figure from the unrounded inputs lies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overall_interval: Option<Interval>,
    /// When the inputs were rounded: every value, at the same number of
    /// decimals, that a publisher rounding the unrounded overall figure
    /// (half up) could have printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub possible_published: Option<Vec<f64>>,
}

/// The band of `value`, if any (see [`BandBoundaries`]).
pub fn band_of(bands: &[Band], value: f64, how: BandBoundaries) -> Option<BandRef> {
    let found = match how {
        BandBoundaries::UpperInclusive => {
            let first_min = bands.first()?.min;
            if value < first_min {
                return None;
            }
            bands.iter().find(|b| value <= b.max)
        }
        BandBoundaries::RoundFirst => {
            let r = (value + 0.5).floor();
            bands.iter().find(|b| r >= b.min && r <= b.max)
        }
    }?;
    Some(BandRef {
        id: found.id.clone(),
        name: found.name.clone(),
    })
}

fn side(v: f64, cut: f64, settings: &MaturitySettings) -> Side {
    let (a, b) = (
        quantise(v, settings.tie_decimals),
        quantise(cut, settings.tie_decimals),
    );
    match a.cmp(&b) {
        std::cmp::Ordering::Less => Side::Low,
        std::cmp::Ordering::Greater => Side::High,
        std::cmp::Ordering::Equal => settings.at_cut,
    }
}

/// The type of the quadrant of `(x, y)`.
pub(crate) fn classify_values(
    cl: &Classification,
    x: f64,
    y: f64,
    settings: &MaturitySettings,
) -> Option<TypeResult> {
    let sx = side(x, settings.quadrant_cut_x, settings);
    let sy = side(y, settings.quadrant_cut_y, settings);
    let ty = cl.types.iter().find(|t| t.x == sx && t.y == sy)?;
    Some(TypeResult {
        id: ty.id.clone(),
        name: ty.name.clone(),
        description: ty.description.clone(),
        recommendations: ty.recommendations.clone(),
        origin: ty.origin,
        axes: vec![
            Axis {
                dimension: cl.x.clone(),
                percentage: x,
                cut: settings.quadrant_cut_x,
                side: sx,
            },
            Axis {
                dimension: cl.y.clone(),
                percentage: y,
                cut: settings.quadrant_cut_y,
                side: sy,
            },
        ],
    })
}

/// Check a list of dimension percentages against the model: known ids, no
/// duplicates, values in 0–100. Returns the percentage per model dimension.
fn dimension_values(model: &MaturityModel, dims: &[DimensionValue]) -> Result<Vec<Option<f64>>> {
    let mut out = vec![None; model.dimensions.len()];
    let mut seen = BTreeSet::new();
    for (i, dv) in dims.iter().enumerate() {
        let d = model
            .dimension_index(&dv.id)
            .ok_or_else(|| Error::UnknownReference {
                location: format!("dimensions[{i}].id"),
                kind: "dimension".into(),
                id: dv.id.clone(),
            })?;
        if !seen.insert(dv.id.as_str()) {
            return Err(Error::DuplicateId {
                location: format!("dimensions[{i}].id"),
                id: dv.id.clone(),
            });
        }
        if !(dv.percentage.is_finite() && (0.0..=100.0).contains(&dv.percentage)) {
            return Err(Error::invalid(
                format!("dimensions[{i}].percentage"),
                format!("{} is not a percentage in 0..=100", dv.percentage),
            ));
        }
        if let Some(slot) = out.get_mut(d) {
            *slot = Some(dv.percentage);
        }
    }
    Ok(out)
}

/// Classify given dimension percentages; `None` when the model has no
/// classification. Errors when an axis dimension is missing.
pub fn classify(
    model: &MaturityModel,
    dims: &[DimensionValue],
    settings: &MaturitySettings,
) -> Result<Option<TypeResult>> {
    let settings = settings.clone().checked()?;
    let values = dimension_values(model, dims)?;
    let Some(cl) = &model.classification else {
        return Ok(None);
    };
    let get = |id: &str| -> Result<f64> {
        model
            .dimension_index(id)
            .and_then(|d| values.get(d).copied().flatten())
            .ok_or_else(|| Error::MissingValue {
                location: "dimensions".into(),
                what: format!("the percentage of dimension {id:?}"),
            })
    };
    let (x, y) = (get(&cl.x)?, get(&cl.y)?);
    Ok(classify_values(cl, x, y, &settings))
}

/// The overall figure from the percentage of every dimension (weighted mean
/// with the model's weights), its band and type. With
/// `inputs_rounded_to_decimals`, also the interval of the overall figure
/// from the unrounded inputs and the values a publisher could have printed
/// (see [`OverallFromDimensions`]).
pub fn overall_from_dimensions(
    model: &MaturityModel,
    dims: &[DimensionValue],
    settings: &MaturitySettings,
    inputs_rounded_to_decimals: Option<u32>,
) -> Result<OverallFromDimensions> {
    let settings = settings.clone().checked()?;
    let values = dimension_values(model, dims)?;
    for (d, v) in values.iter().enumerate() {
        if v.is_none() {
            return Err(Error::MissingValue {
                location: "dimensions".into(),
                what: format!(
                    "the percentage of dimension {:?}",
                    model.dimensions.get(d).map(|x| x.id.as_str()).unwrap_or("")
                ),
            });
        }
    }
    let overall = wmean(
        model
            .dimensions
            .iter()
            .zip(&values)
            .filter_map(|(dim, v)| v.map(|v| (v, dim.weight))),
    )
    .ok_or_else(|| Error::Empty {
        location: "dimensions".into(),
    })?;
    let maturity_type = classify(model, dims, &settings)?;
    let (overall_interval, possible_published) = match inputs_rounded_to_decimals {
        None => (None, None),
        Some(dec) if dec > 9 => {
            return Err(Error::invalid(
                "inputs_rounded_to_decimals",
                "must be at most 9",
            ))
        }
        Some(dec) => {
            let step = 10f64.powi(-(dec as i32));
            let half = step / 2.0;
            let t = overall / step;
            let lo = (t - 1.0).ceil() as i64;
            let hi = (t + 1.0).floor() as i64;
            let possible: Vec<f64> = (lo..=hi)
                .filter(|k| ((*k as f64) - t).abs() < 1.0 - 1e-9)
                .map(|k| round_to(k as f64 * step, dec))
                .collect();
            (
                Some(Interval {
                    low: overall - half,
                    high: overall + half,
                }),
                Some(possible),
            )
        }
    };
    Ok(OverallFromDimensions {
        model: model.id.clone(),
        overall,
        band: band_of(&model.bands, overall, settings.band_boundaries),
        maturity_type,
        overall_interval,
        possible_published,
    })
}

fn round_to(v: f64, decimals: u32) -> f64 {
    let f = 10f64.powi(decimals as i32);
    (v * f).round() / f
}
