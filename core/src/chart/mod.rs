//! Charts as plain SVG strings: drawn once here, shown the same in the
//! browser form, Jupyter and the HTML report.
//!
//! Five charts, each from a generic *spec* (plain data, serde and JSON
//! Schema) or from a domain result through a converter:
//!
//! | chart | function | spec | from a domain result |
//! |---|---|---|---|
//! | competence radar | [`radar`] | [`RadarSpec`] | [`RadarSpec::from_gap_report`] |
//! | gap heatmap (units × competences) | [`heatmap`] | [`HeatmapSpec`] | `HeatmapSpec::from_publication` (feature `aggregate`) |
//! | DiMiOS quadrant | [`quadrant`] | [`QuadrantSpec`] | `QuadrantSpec::from_result` (feature `maturity`) |
//! | DiMiOS spider | [`spider`] | [`SpiderSpec`] | `SpiderSpec::from_result`, `SpiderSpec::from_benchmark` (feature `maturity`) |
//! | change between two waves | [`change`] | [`ChangeSpec`] | `ChangeSpec::from_waves` (feature `aggregate`), `ChangeSpec::from_comparison` (feature `maturity`) |
//!
//! # Properties
//!
//! - **Deterministic**: the same input gives byte-identical SVG on every
//!   platform (including WebAssembly): coordinates are written with at most
//!   two decimals (trailing zeros dropped, never `-0`), shown values with a
//!   fixed number of decimals, and nothing depends on hashing order, time
//!   or fonts.
//! - **Accessible**: `<svg role="img" aria-labelledby="ID-title ID-desc">`
//!   with a `<title>` and a `<desc>` that lists the data in words; text
//!   labels on axes, cells and points; an Okabe–Ito palette for series and
//!   a viridis ramp for the heatmap, and never colour alone: series differ
//!   in dash pattern and marker shape too, and withheld cells are hatched
//!   **and** labelled `–` (their reason in the cell's tooltip), never drawn
//!   as zero; cells without data say `n/a` (`saknas`).
//! - **Swedish or English** ([`ChartOptions::lang`]): all fixed wording
//!   comes from one small table; Swedish numbers use a decimal comma.
//!
//! Element ids start with [`ChartOptions::id`] (default: the chart's kind),
//! so several charts can be inlined in one HTML page when each gets its own
//! id.
//!
//! Bad input (non-finite numbers, empty axes, lists of different lengths,
//! values outside the scale) is an [`Error`] whose location names the bad
//! field of the spec (`series[1].values[3]`), never a panic.
//!
//! ```
//! use kompetens::chart::{self, ChartOptions, Lang, RadarSpec, Entry, Series, SeriesKind};
//! let spec = RadarSpec {
//!     axes: ["Information", "Communication", "Content"].map(Entry::new).to_vec(),
//!     min: 0.0,
//!     max: 8.0,
//!     series: vec![
//!         Series::new(SeriesKind::Actual, vec![Some(3.0), Some(4.0), None]),
//!         Series::new(SeriesKind::Required, vec![Some(4.0), Some(4.0), Some(5.0)]),
//!     ],
//! };
//! let svg = chart::radar(&spec, &ChartOptions { lang: Lang::Sv, ..Default::default() })?;
//! assert!(svg.starts_with("<svg "));
//! assert!(svg.contains("<title id=\"radar-title\">"));
//! assert!(svg.contains("Kravnivå"));
//! # Ok::<(), kompetens::Error>(())
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

mod change;
mod convert;
mod heatmap;
pub(crate) mod parse;
mod quadrant;
mod radar;
mod svg;
#[cfg(test)]
mod tests;
mod words;

pub use change::change;
pub use convert::By;
#[cfg(feature = "aggregate")]
pub use convert::HeatmapSelect;
pub use heatmap::heatmap;
pub use quadrant::quadrant;
pub use radar::{radar, spider};

/// Language of the fixed wording and number format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English (default): decimal point.
    #[default]
    En,
    /// Swedish: decimal comma.
    Sv,
}

impl Lang {
    /// The language tag (`en`, `sv`), as used by [`crate::Text::get`].
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Sv => "sv",
        }
    }
}

/// Options common to every chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChartOptions {
    /// Language of the fixed wording (`en` default, or `sv`).
    #[serde(default)]
    pub lang: Lang,
    /// Width of the drawing in pixels; the height follows the chart's
    /// aspect ratio (the layout itself is drawn in a fixed `viewBox`).
    /// Default: the natural width of the chart.
    #[serde(default)]
    pub width: Option<f64>,
    /// The `<title>` (default: the chart's kind in `lang`).
    #[serde(default)]
    pub title: Option<String>,
    /// The `<desc>` (default: the data in words).
    #[serde(default)]
    pub desc: Option<String>,
    /// Prefix of the element ids (letters, digits, `-`, `_`; starting with
    /// a letter). Default: the chart's kind (`radar`, `heatmap`,
    /// `quadrant`, `spider`, `change`). Give each chart of one HTML page
    /// its own.
    #[serde(default)]
    pub id: Option<String>,
}

/// An axis, row, column or item: a short visible label and an optional
/// full name (shown in the tooltip and the description).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Visible label (long labels are wrapped).
    pub label: String,
    /// Full name, when the label is an abbreviation or id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl Entry {
    /// An entry with a label only.
    pub fn new(label: &str) -> Entry {
        Entry {
            label: label.to_string(),
            name: None,
        }
    }

    /// An entry with a label and a full name.
    pub fn named(label: &str, name: &str) -> Entry {
        Entry {
            label: label.to_string(),
            name: Some(name.to_string()),
        }
    }

    /// The full name, else the label.
    pub fn full(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.label)
    }
}

/// What a series stands for; sets its default label and its style (colour,
/// dash pattern and marker shape, so that series never differ by colour
/// alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SeriesKind {
    /// The person's, unit's or organisation's own values: solid line, light
    /// fill, round markers (blue).
    #[default]
    Actual,
    /// The role's requirement: dashed line, no fill, square markers
    /// (vermillion).
    Required,
    /// Peers or another comparison: dotted line, diamond markers (bluish
    /// green).
    Peer,
    /// Anything else: dash-dot line, triangle markers (reddish purple).
    Other,
}

/// One series of a radar or spider chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Series {
    /// What the series is (default `actual`).
    #[serde(default)]
    pub kind: SeriesKind,
    /// Legend label (default: from `kind`, in the chart's language).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// One value per axis; `null` = no value (not rated).
    pub values: Vec<Option<f64>>,
}

impl Series {
    /// A series with the default label of its kind.
    pub fn new(kind: SeriesKind, values: Vec<Option<f64>>) -> Series {
        Series {
            kind,
            label: None,
            values,
        }
    }

    /// The same series with a legend label.
    pub fn labelled(mut self, label: &str) -> Series {
        self.label = Some(label.to_string());
        self
    }
}

/// A competence radar: axes are areas or competences, on a level scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RadarSpec {
    /// The axes, clockwise from the top (at least one).
    pub axes: Vec<Entry>,
    /// Lowest level of the scale (the centre; default 0).
    #[serde(default)]
    pub min: f64,
    /// Highest level of the scale (the outer ring).
    pub max: f64,
    /// The series (at least one), each with one value per axis.
    pub series: Vec<Series>,
}

/// A spider chart of percentages (0–100 %), e.g. the six DiMiOS
/// categories of an organisation against the peer average.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpiderSpec {
    /// The axes, clockwise from the top (at least one).
    pub axes: Vec<Entry>,
    /// The series (at least one), values in percent (0–100).
    pub series: Vec<Series>,
}

/// The metric a heatmap shows; sets the scale, the number format and the
/// direction of the colour ramp (darker = more need).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HeatMetric {
    /// Share of rated people meeting the requirement, 0–1, shown in
    /// percent; low coverage is dark.
    #[default]
    Coverage,
    /// Mean shortfall in levels, 0–`max`; a large shortfall is dark.
    MeanShortfall,
}

/// One heatmap cell: a value, withheld (with a reason), or neither
/// (missing: no data).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HeatCell {
    /// The value; `null` when withheld or missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Why the cell is withheld (`primary`, `secondary`, `rolled_up`, or
    /// free text); a withheld cell has no value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld: Option<String>,
    /// People behind the cell, shown in its tooltip when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub people: Option<u64>,
}

impl HeatCell {
    /// A cell with a value.
    pub fn value(v: f64) -> HeatCell {
        HeatCell {
            value: Some(v),
            ..HeatCell::default()
        }
    }

    /// A withheld cell.
    pub fn withheld(reason: &str) -> HeatCell {
        HeatCell {
            withheld: Some(reason.to_string()),
            ..HeatCell::default()
        }
    }

    /// A cell without data.
    pub fn missing() -> HeatCell {
        HeatCell::default()
    }
}

/// A heatmap: rows (units) × columns (competences).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HeatmapSpec {
    /// Rows (units), top to bottom.
    pub rows: Vec<Entry>,
    /// Columns (competences or areas), left to right.
    pub columns: Vec<Entry>,
    /// The metric (default `coverage`).
    #[serde(default)]
    pub metric: HeatMetric,
    /// Top of the scale for `mean_shortfall` (default: the largest value
    /// rounded up to a whole level, at least 1). Ignored for `coverage`
    /// (always 0–1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<HeatCell>>,
}

/// Low or high side of a cut line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Below the cut.
    Low,
    /// At or above the cut.
    High,
}

/// A type (quadrant) of a quadrant chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuadrantType {
    /// Short id drawn large in the quadrant's corner (`A`–`D`).
    pub id: String,
    /// Side of the x cut.
    pub x: Side,
    /// Side of the y cut.
    pub y: Side,
    /// Name drawn under the id (wrapped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A point placed in a quadrant chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuadrantPoint {
    /// Label drawn next to the point.
    pub label: String,
    /// x in percent (0–100).
    pub x: f64,
    /// y in percent (0–100).
    pub y: f64,
    /// `actual` (the organisation: large filled circle) or `peer` (small
    /// hollow diamond); default `actual`.
    #[serde(default)]
    pub kind: SeriesKind,
}

/// A quadrant chart on two percentage axes with cut lines (DiMiOS: x =
/// Digital förmåga, y = Digitalt arv).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuadrantSpec {
    /// Name of the x axis.
    pub x_label: String,
    /// Name of the y axis.
    pub y_label: String,
    /// Cut of the x axis in percent (default 50).
    #[serde(default = "fifty")]
    pub cut_x: f64,
    /// Cut of the y axis in percent (default 50).
    #[serde(default = "fifty")]
    pub cut_y: f64,
    /// The types, at most one per quadrant.
    #[serde(default)]
    pub types: Vec<QuadrantType>,
    /// The points: the organisation and optionally its peers.
    pub points: Vec<QuadrantPoint>,
}

fn fifty() -> f64 {
    50.0
}

/// How the values of a change chart are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ValueUnit {
    /// Levels (one decimal); changes in levels.
    #[default]
    Level,
    /// Percentages 0–100 (one decimal, `%`); changes in percentage points.
    Percent,
}

/// A change chart (dumbbell): one row per item with the value before, the
/// value after and the difference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeSpec {
    /// The items (areas, competences, categories), top to bottom.
    pub items: Vec<Entry>,
    /// Values of the earlier measurement; `null` = missing.
    pub before: Vec<Option<f64>>,
    /// Values of the later measurement; `null` = missing.
    pub after: Vec<Option<f64>>,
    /// Per item, why it is withheld (`primary`, `secondary`, free text) or
    /// `null`; empty = nothing withheld. A withheld item has no values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withheld: Vec<Option<String>>,
    /// Levels or percentages (default `level`).
    #[serde(default)]
    pub unit: ValueUnit,
    /// Lowest value of the scale (default 0).
    #[serde(default)]
    pub min: f64,
    /// Highest value of the scale (default 100 for percentages, else
    /// required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Legend label of the earlier measurement (default "Before"/"Före").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_label: Option<String>,
    /// Legend label of the later measurement (default "After"/"Efter").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_label: Option<String>,
}

/// Check that a number is finite, with the location of the bad field.
pub(crate) fn finite(x: f64, location: impl FnOnce() -> String) -> Result<f64> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(Error::invalid(
            location(),
            format!("{x} is not a finite number"),
        ))
    }
}

/// Check that a value lies on `[min, max]`.
pub(crate) fn on_scale(x: f64, min: f64, max: f64, location: impl Fn() -> String) -> Result<f64> {
    let x = finite(x, &location)?;
    if x < min || x > max {
        return Err(Error::ValueOutOfScale {
            location: location(),
            value: x,
            min,
            max,
        });
    }
    Ok(x)
}

/// Check that a list is not empty.
pub(crate) fn non_empty<T>(list: &[T], location: &str) -> Result<()> {
    if list.is_empty() {
        Err(Error::Empty {
            location: location.to_string(),
        })
    } else {
        Ok(())
    }
}

/// Check that a list has `n` elements.
pub(crate) fn same_len<T>(list: &[T], n: usize, location: &str, of: &str) -> Result<()> {
    if list.len() == n {
        Ok(())
    } else {
        Err(Error::ShapeMismatch {
            location: location.to_string(),
            message: format!("{} values, but there are {n} {of}", list.len()),
        })
    }
}
