//! Reading chart specs and options from JSON values.
//!
//! The `chart.*` operations read their specs with these small, non-generic
//! readers instead of the serde derives (which the Rust API keeps): the
//! same checks (unknown keys are rejected, every error is located), but a
//! fraction of the code in the WebAssembly form build, where every kilobyte
//! counts (serde's per-type deserialisers through `serde_path_to_error`
//! were about 100 KB of the module).

use serde_json::{Map, Value};

use super::{
    ChangeSpec, ChartOptions, Entry, HeatCell, HeatMetric, HeatmapSpec, Lang, QuadrantPoint,
    QuadrantSpec, QuadrantType, RadarSpec, Series, SeriesKind, Side, SpiderSpec, ValueUnit,
};
use crate::error::{Error, Result};

/// `loc.key` (or `key` at the top).
pub(crate) fn at(loc: &str, key: &str) -> String {
    if loc.is_empty() {
        key.to_string()
    } else {
        format!("{loc}.{key}")
    }
}

fn bad(loc: &str, message: &str) -> Error {
    Error::Parse {
        format: "json".into(),
        location: if loc.is_empty() {
            "$".into()
        } else {
            loc.into()
        },
        message: message.into(),
    }
}

/// An object whose keys are all among `keys`.
pub(crate) fn obj<'a>(v: &'a Value, loc: &str, keys: &[&str]) -> Result<&'a Map<String, Value>> {
    let map = v
        .as_object()
        .ok_or_else(|| bad(loc, "expected an object"))?;
    if let Some(k) = map.keys().find(|k| !keys.contains(&k.as_str())) {
        return Err(bad(&at(loc, k), &format!("unknown field {k:?}")));
    }
    Ok(map)
}

/// A field that is present and not `null`.
pub(crate) fn opt<'a>(m: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    m.get(key).filter(|v| !v.is_null())
}

/// A required field.
pub(crate) fn req<'a>(m: &'a Map<String, Value>, loc: &str, key: &str) -> Result<&'a Value> {
    opt(m, key).ok_or_else(|| Error::MissingValue {
        location: at(loc, key),
        what: format!("field {key:?}"),
    })
}

/// A string.
pub(crate) fn string(v: &Value, loc: &str) -> Result<String> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| bad(loc, "expected a string"))
}

/// A number.
pub(crate) fn number(v: &Value, loc: &str) -> Result<f64> {
    v.as_f64().ok_or_else(|| bad(loc, "expected a number"))
}

/// A list.
pub(crate) fn list<'a>(v: &'a Value, loc: &str) -> Result<&'a Vec<Value>> {
    v.as_array().ok_or_else(|| bad(loc, "expected a list"))
}

/// A list of numbers or `null`s.
pub(crate) fn numbers(v: &Value, loc: &str) -> Result<Vec<Option<f64>>> {
    list(v, loc)?
        .iter()
        .enumerate()
        .map(|(i, x)| match x {
            Value::Null => Ok(None),
            x => number(x, &format!("{loc}[{i}]")).map(Some),
        })
        .collect()
}

/// One of `names`, as its index.
pub(crate) fn choice(v: &Value, loc: &str, names: &[&str]) -> Result<usize> {
    let s = v.as_str().ok_or_else(|| bad(loc, "expected a string"))?;
    names.iter().position(|n| *n == s).ok_or_else(|| {
        bad(
            loc,
            &format!(
                "unknown variant {s:?}, expected one of {}",
                names.join(", ")
            ),
        )
    })
}

fn opt_string(m: &Map<String, Value>, loc: &str, key: &str) -> Result<Option<String>> {
    opt(m, key).map(|v| string(v, &at(loc, key))).transpose()
}

fn opt_number(m: &Map<String, Value>, loc: &str, key: &str) -> Result<Option<f64>> {
    opt(m, key).map(|v| number(v, &at(loc, key))).transpose()
}

/// A list of entries (`{label, name?}`).
fn entries(v: &Value, loc: &str) -> Result<Vec<Entry>> {
    list(v, loc)?
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let l = format!("{loc}[{i}]");
            let m = obj(e, &l, &["label", "name"])?;
            Ok(Entry {
                label: string(req(m, &l, "label")?, &at(&l, "label"))?,
                name: opt_string(m, &l, "name")?,
            })
        })
        .collect()
}

/// A series kind.
pub(crate) fn series_kind(v: &Value, loc: &str) -> Result<SeriesKind> {
    Ok(
        match choice(v, loc, &["actual", "required", "peer", "other"])? {
            0 => SeriesKind::Actual,
            1 => SeriesKind::Required,
            2 => SeriesKind::Peer,
            _ => SeriesKind::Other,
        },
    )
}

fn series(v: &Value, loc: &str) -> Result<Vec<Series>> {
    list(v, loc)?
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let l = format!("{loc}[{i}]");
            let m = obj(s, &l, &["kind", "label", "values"])?;
            Ok(Series {
                kind: opt(m, "kind")
                    .map(|k| series_kind(k, &at(&l, "kind")))
                    .transpose()?
                    .unwrap_or_default(),
                label: opt_string(m, &l, "label")?,
                values: numbers(req(m, &l, "values")?, &at(&l, "values"))?,
            })
        })
        .collect()
}

impl ChartOptions {
    /// Read options from JSON (`null` = the defaults); locations start at
    /// `options`.
    pub fn from_value(v: &Value) -> Result<ChartOptions> {
        if v.is_null() {
            return Ok(ChartOptions::default());
        }
        let loc = "options";
        let m = obj(v, loc, &["lang", "width", "title", "desc", "id"])?;
        Ok(ChartOptions {
            lang: match opt(m, "lang") {
                Some(l) => match choice(l, &at(loc, "lang"), &["en", "sv"])? {
                    0 => Lang::En,
                    _ => Lang::Sv,
                },
                None => Lang::En,
            },
            width: opt_number(m, loc, "width")?,
            title: opt_string(m, loc, "title")?,
            desc: opt_string(m, loc, "desc")?,
            id: opt_string(m, loc, "id")?,
        })
    }
}

impl RadarSpec {
    /// Read a spec from JSON (the serde shape; unknown keys rejected, errors
    /// located relative to the spec).
    pub fn from_value(v: &Value) -> Result<RadarSpec> {
        let m = obj(v, "", &["axes", "min", "max", "series"])?;
        Ok(RadarSpec {
            axes: entries(req(m, "", "axes")?, "axes")?,
            min: opt_number(m, "", "min")?.unwrap_or(0.0),
            max: number(req(m, "", "max")?, "max")?,
            series: series(req(m, "", "series")?, "series")?,
        })
    }
}

impl SpiderSpec {
    /// Read a spec from JSON (as [`RadarSpec::from_value`]).
    pub fn from_value(v: &Value) -> Result<SpiderSpec> {
        let m = obj(v, "", &["axes", "series"])?;
        Ok(SpiderSpec {
            axes: entries(req(m, "", "axes")?, "axes")?,
            series: series(req(m, "", "series")?, "series")?,
        })
    }
}

impl HeatmapSpec {
    /// Read a spec from JSON (as [`RadarSpec::from_value`]).
    pub fn from_value(v: &Value) -> Result<HeatmapSpec> {
        let m = obj(v, "", &["rows", "columns", "metric", "max", "cells"])?;
        let rows = entries(req(m, "", "rows")?, "rows")?;
        let columns = entries(req(m, "", "columns")?, "columns")?;
        let cells = list(req(m, "", "cells")?, "cells")?
            .iter()
            .enumerate()
            .map(|(r, row)| {
                list(row, &format!("cells[{r}]"))?
                    .iter()
                    .enumerate()
                    .map(|(c, cell)| {
                        let l = format!("cells[{r}][{c}]");
                        let m = obj(cell, &l, &["value", "withheld", "people"])?;
                        Ok(HeatCell {
                            value: opt_number(m, &l, "value")?,
                            withheld: opt_string(m, &l, "withheld")?,
                            people: opt(m, "people")
                                .map(|p| {
                                    p.as_u64()
                                        .ok_or_else(|| bad(&at(&l, "people"), "expected a count"))
                                })
                                .transpose()?,
                        })
                    })
                    .collect()
            })
            .collect::<Result<_>>()?;
        Ok(HeatmapSpec {
            rows,
            columns,
            metric: match opt(m, "metric") {
                Some(x) => match choice(x, "metric", &["coverage", "mean_shortfall"])? {
                    0 => HeatMetric::Coverage,
                    _ => HeatMetric::MeanShortfall,
                },
                None => HeatMetric::Coverage,
            },
            max: opt_number(m, "", "max")?,
            cells,
        })
    }
}

fn side(v: &Value, loc: &str) -> Result<Side> {
    Ok(match choice(v, loc, &["low", "high"])? {
        0 => Side::Low,
        _ => Side::High,
    })
}

impl QuadrantSpec {
    /// Read a spec from JSON (as [`RadarSpec::from_value`]).
    pub fn from_value(v: &Value) -> Result<QuadrantSpec> {
        let m = obj(
            v,
            "",
            &["x_label", "y_label", "cut_x", "cut_y", "types", "points"],
        )?;
        let types = match opt(m, "types") {
            None => Vec::new(),
            Some(t) => list(t, "types")?
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let l = format!("types[{i}]");
                    let m = obj(t, &l, &["id", "x", "y", "name"])?;
                    Ok(QuadrantType {
                        id: string(req(m, &l, "id")?, &at(&l, "id"))?,
                        x: side(req(m, &l, "x")?, &at(&l, "x"))?,
                        y: side(req(m, &l, "y")?, &at(&l, "y"))?,
                        name: opt_string(m, &l, "name")?,
                    })
                })
                .collect::<Result<_>>()?,
        };
        let points = list(req(m, "", "points")?, "points")?
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let l = format!("points[{i}]");
                let m = obj(p, &l, &["label", "x", "y", "kind"])?;
                Ok(QuadrantPoint {
                    label: string(req(m, &l, "label")?, &at(&l, "label"))?,
                    x: number(req(m, &l, "x")?, &at(&l, "x"))?,
                    y: number(req(m, &l, "y")?, &at(&l, "y"))?,
                    kind: opt(m, "kind")
                        .map(|k| series_kind(k, &at(&l, "kind")))
                        .transpose()?
                        .unwrap_or_default(),
                })
            })
            .collect::<Result<_>>()?;
        Ok(QuadrantSpec {
            x_label: string(req(m, "", "x_label")?, "x_label")?,
            y_label: string(req(m, "", "y_label")?, "y_label")?,
            cut_x: opt_number(m, "", "cut_x")?.unwrap_or(50.0),
            cut_y: opt_number(m, "", "cut_y")?.unwrap_or(50.0),
            types,
            points,
        })
    }
}

impl ChangeSpec {
    /// Read a spec from JSON (as [`RadarSpec::from_value`]).
    pub fn from_value(v: &Value) -> Result<ChangeSpec> {
        let m = obj(
            v,
            "",
            &[
                "items",
                "before",
                "after",
                "withheld",
                "unit",
                "min",
                "max",
                "before_label",
                "after_label",
            ],
        )?;
        let withheld = match opt(m, "withheld") {
            None => Vec::new(),
            Some(w) => list(w, "withheld")?
                .iter()
                .enumerate()
                .map(|(i, x)| match x {
                    Value::Null => Ok(None),
                    x => string(x, &format!("withheld[{i}]")).map(Some),
                })
                .collect::<Result<_>>()?,
        };
        Ok(ChangeSpec {
            items: entries(req(m, "", "items")?, "items")?,
            before: numbers(req(m, "", "before")?, "before")?,
            after: numbers(req(m, "", "after")?, "after")?,
            withheld,
            unit: match opt(m, "unit") {
                Some(u) => match choice(u, "unit", &["level", "percent"])? {
                    0 => ValueUnit::Level,
                    _ => ValueUnit::Percent,
                },
                None => ValueUnit::Level,
            },
            min: opt_number(m, "", "min")?.unwrap_or(0.0),
            max: opt_number(m, "", "max")?,
            before_label: opt_string(m, "", "before_label")?,
            after_label: opt_string(m, "", "after_label")?,
        })
    }
}

/// `by` (absent: `default`).
pub(crate) fn by(v: Option<&Value>, default: super::By) -> Result<super::By> {
    use super::By;
    match v.filter(|v| !v.is_null()) {
        None => Ok(default),
        Some(v) => Ok(
            match choice(
                v,
                "by",
                &["area", "competence", "dimension", "category", "capability"],
            )? {
                0 => By::Area,
                1 => By::Competence,
                2 => By::Dimension,
                3 => By::Category,
                _ => By::Capability,
            },
        ),
    }
}

/// The parts of a gap report the radar reads (`framework`, and per gap
/// `competence`, `area`, `required`, `current`); other fields are ignored,
/// so any gap report of the library is accepted.
pub(crate) fn gap_report(v: &Value, loc: &str) -> Result<crate::gap::GapReport> {
    let m = v
        .as_object()
        .ok_or_else(|| bad(loc, "expected a gap report object"))?;
    let level = |v: &Value, l: &str| -> Result<i32> {
        v.as_i64()
            .and_then(|x| i32::try_from(x).ok())
            .ok_or_else(|| bad(l, "expected a whole level"))
    };
    let gaps = list(req(m, loc, "gaps")?, &at(loc, "gaps"))?
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let l = format!("{}[{i}]", at(loc, "gaps"));
            let gm = g.as_object().ok_or_else(|| bad(&l, "expected an object"))?;
            Ok(crate::gap::Gap {
                competence: string(req(gm, &l, "competence")?, &at(&l, "competence"))?,
                area: string(req(gm, &l, "area")?, &at(&l, "area"))?,
                required: level(req(gm, &l, "required")?, &at(&l, "required"))?,
                current: opt(gm, "current")
                    .map(|c| level(c, &at(&l, "current")))
                    .transpose()?,
                source: None,
                gap: None,
                weight: 1.0,
                weighted_gap: None,
                met: None,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(crate::gap::GapReport {
        role: opt_string(m, loc, "role")?.unwrap_or_default(),
        framework: string(req(m, loc, "framework")?, &at(loc, "framework"))?,
        readiness: None,
        requirements: gaps.len(),
        gaps,
        missing: Vec::new(),
        plan: Vec::new(),
        rated: 0,
        met: 0,
        total_weighted_gap: 0.0,
    })
}

/// An extra radar series: kind, label, levels by competence.
pub(crate) type ExtraSeries = (
    SeriesKind,
    Option<String>,
    std::collections::BTreeMap<String, f64>,
);

/// Extra radar series: `[{levels: {competence: level}, kind?, label?}]`.
pub(crate) fn extra_series(v: &Value, loc: &str) -> Result<Vec<ExtraSeries>> {
    list(v, loc)?
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let l = format!("{loc}[{i}]");
            let m = obj(e, &l, &["levels", "kind", "label"])?;
            let lv = at(&l, "levels");
            let mut levels = std::collections::BTreeMap::new();
            for (k, x) in req(m, &l, "levels")?
                .as_object()
                .ok_or_else(|| bad(&lv, "expected an object of levels by competence"))?
            {
                levels.insert(k.clone(), number(x, &at(&lv, k))?);
            }
            let kind = opt(m, "kind")
                .map(|k| series_kind(k, &at(&l, "kind")))
                .transpose()?
                .unwrap_or(SeriesKind::Peer);
            Ok((kind, opt_string(m, &l, "label")?, levels))
        })
        .collect()
}
