//! Scoring one measurement: respondents × items → item, capability,
//! category, dimension and overall percentages, with agreement, reliability,
//! relative strengths and weaknesses, type and band.

use ndarray::{Array2, ArrayView2, Axis};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::maturity::classify::{band_of, classify_values, BandRef, TypeResult};
use crate::maturity::model::{ItemRef, MaturityModel};
use crate::maturity::settings::{Combine, MaturitySettings, OutOfRange, Rescale, UnknownItems};
use crate::maturity::units::UnitResult;
use crate::text::Text;

/// Responses in their JSON form: one row per respondent, one column per item
/// id; `null` is a missing answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseTable {
    /// Item ids, one per column.
    pub items: Vec<String>,
    /// Answers, one row per respondent; `null` = missing.
    pub rows: Vec<Vec<Option<f64>>>,
    /// Unit id of each row (organisation tree), `null` = no unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<Vec<Option<String>>>,
}

impl ResponseTable {
    /// The answers as a respondents × items matrix, NaN = missing.
    pub fn to_array(&self) -> Result<Array2<f64>> {
        let n = self.rows.len();
        let m = self.items.len();
        let mut out = Array2::from_elem((n, m), f64::NAN);
        for (r, row) in self.rows.iter().enumerate() {
            if row.len() != m {
                return Err(Error::ShapeMismatch {
                    location: format!("responses.rows[{r}]"),
                    message: format!("{} answers for {} items", row.len(), m),
                });
            }
            for (j, v) in row.iter().enumerate() {
                if let (Some(v), Some(cell)) = (v, out.get_mut((r, j))) {
                    *cell = *v;
                }
            }
        }
        if let Some(units) = &self.units {
            if units.len() != n {
                return Err(Error::ShapeMismatch {
                    location: "responses.units".into(),
                    message: format!("{} units for {} rows", units.len(), n),
                });
            }
        }
        Ok(out)
    }
}

/// Where a measurement's items come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InstrumentRef {
    /// Instrument id.
    pub id: String,
    /// True when the items are an example instrument, not an official one.
    pub example: bool,
}

/// Agreement among respondents on a capability or category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agreement {
    /// Respondents with a percentage for this capability/category.
    pub n_respondents: usize,
    /// Standard deviation of the respondents' percentages (setting
    /// `sd_ddof`); `null` with too few respondents.
    pub sd: Option<f64>,
    /// Median of the respondents' percentages.
    pub median: Option<f64>,
    /// Width of the band around the median, in percentage points.
    pub step: f64,
    /// Share of respondents whose percentage lies within `step` of the
    /// median.
    pub share_within_step: Option<f64>,
    /// `share_within_step < agreement_threshold`.
    pub low: Option<bool>,
}

/// Cronbach's α of a category's items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reliability {
    /// Raw α from the pairwise-complete covariance matrix of the item
    /// percentages; `null` with fewer than two items, fewer than two
    /// respondents for some pair, or a zero sum of the covariance matrix.
    pub alpha: Option<f64>,
    /// Items used.
    pub n_items: usize,
    /// Respondents with at least one answer among them.
    pub n_respondents: usize,
}

/// Result of one dimension, category or capability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelResult {
    /// Id.
    pub id: String,
    /// Name per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub name: Text,
    /// Dimension id (categories and capabilities).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimension: Option<String>,
    /// Category id (capabilities).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Percentage of optimal conditions, 0–100; `null` without answers.
    pub percentage: Option<f64>,
    /// Respondents with at least one answer behind it.
    pub n_respondents: usize,
    /// Items with at least one answer behind it.
    pub n_items: usize,
    /// Weight within its parent.
    pub weight: f64,
    /// Band of the percentage, if the model has bands (dimensions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<BandRef>,
    /// 1 = weakest (lowest percentage; ties in model order).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weakness_rank: Option<usize>,
    /// 1 = strongest (highest percentage; ties in model order).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strength_rank: Option<usize>,
    /// Agreement among respondents (categories and capabilities).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<Agreement>,
    /// Reliability of the items (categories).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliability: Option<Reliability>,
}

/// Result of one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemResult {
    /// Item id.
    pub id: String,
    /// Capability id.
    pub capability: String,
    /// Combined percentage of the respondents; `null` without answers.
    pub percentage: Option<f64>,
    /// Respondents who answered.
    pub n_respondents: usize,
    /// Whether the item was reverse keyed.
    pub reverse: bool,
}

/// A category or capability in a list of weakest/strongest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ranked {
    /// Id.
    pub id: String,
    /// Percentage.
    pub percentage: f64,
}

/// The result of one measurement (one organisation, one period).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasurementResult {
    /// Model id.
    pub model: String,
    /// Where the items come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instrument: Option<InstrumentRef>,
    /// Weighted mean of the dimension percentages; `null` without answers.
    pub overall: Option<f64>,
    /// Respondents with at least one answer.
    pub n_respondents: usize,
    /// Items with at least one answer.
    pub n_items: usize,
    /// Band of the overall percentage, if the model has bands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<BandRef>,
    /// Quadrant type, if the model has a classification and both axes have
    /// a percentage.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub maturity_type: Option<TypeResult>,
    /// Dimensions in model order.
    pub dimensions: Vec<LevelResult>,
    /// Categories in model order.
    pub categories: Vec<LevelResult>,
    /// Capabilities in model order.
    pub capabilities: Vec<LevelResult>,
    /// Items in model order.
    pub items: Vec<ItemResult>,
    /// The `extremes_count` weakest categories, weakest first.
    pub weakest_categories: Vec<Ranked>,
    /// The `extremes_count` strongest categories, strongest first.
    pub strongest_categories: Vec<Ranked>,
    /// The `extremes_count` weakest capabilities, weakest first.
    pub weakest_capabilities: Vec<Ranked>,
    /// The `extremes_count` strongest capabilities, strongest first.
    pub strongest_capabilities: Vec<Ranked>,
    /// Results per organisational unit, when units were given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<Vec<UnitResult>>,
    /// The settings used (top-level result only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<MaturitySettings>,
}

/// Item percentages of every respondent, ready to be aggregated over any
/// subset of respondents.
pub(crate) struct Prepared<'m> {
    pub(crate) model: &'m MaturityModel,
    items: Vec<ItemRef<'m>>,
    /// respondents × model items, NaN = missing.
    p: Array2<f64>,
    cap_items: Vec<Vec<usize>>,
    cat_caps: Vec<Vec<usize>>,
    dim_cats: Vec<Vec<usize>>,
    cap_step: Vec<f64>,
    cat_step: Vec<f64>,
}

fn rescale(x: f64, min: f64, max: f64, how: Rescale) -> f64 {
    match how {
        Rescale::Linear => 100.0 * (x - min) / (max - min),
        Rescale::Ratio => 100.0 * x / max,
    }
}

impl<'m> Prepared<'m> {
    pub(crate) fn new(
        model: &'m MaturityModel,
        columns: &[String],
        values: ArrayView2<'_, f64>,
        settings: &MaturitySettings,
    ) -> Result<Prepared<'m>> {
        let items = model.items();
        if columns.len() != values.ncols() {
            return Err(Error::ShapeMismatch {
                location: "responses.items".into(),
                message: format!("{} item ids for {} columns", columns.len(), values.ncols()),
            });
        }
        let index: std::collections::HashMap<&str, usize> = items
            .iter()
            .enumerate()
            .map(|(i, it)| (it.item.id.as_str(), i))
            .collect();
        let mut mapping: Vec<Option<usize>> = Vec::with_capacity(columns.len());
        let mut seen = std::collections::HashSet::new();
        for (j, id) in columns.iter().enumerate() {
            if !seen.insert(id.as_str()) {
                return Err(Error::DuplicateId {
                    location: format!("responses.items[{j}]"),
                    id: id.clone(),
                });
            }
            match index.get(id.as_str()) {
                Some(&i) => mapping.push(Some(i)),
                None => match settings.unknown_items {
                    UnknownItems::Ignore => mapping.push(None),
                    UnknownItems::Error => {
                        return Err(Error::UnknownReference {
                            location: format!("responses.items[{j}]"),
                            kind: "item".into(),
                            id: id.clone(),
                        })
                    }
                },
            }
        }
        if settings.rescale == Rescale::Ratio {
            for it in &items {
                if it.scale.max <= 0.0 {
                    return Err(Error::InvalidScale {
                        location: format!("item {}", it.item.id),
                        message: "rescale \"ratio\" needs a scale maximum above 0".into(),
                    });
                }
            }
        }
        let n = values.nrows();
        let mut p = Array2::from_elem((n, items.len()), f64::NAN);
        for (j, target) in mapping.iter().enumerate() {
            let Some(i) = *target else { continue };
            let Some(it) = items.get(i) else { continue };
            let (min, max) = (it.scale.min, it.scale.max);
            for r in 0..n {
                let x = values.get((r, j)).copied().unwrap_or(f64::NAN);
                if x.is_nan() {
                    continue;
                }
                if !(x >= min && x <= max) {
                    match settings.out_of_range {
                        OutOfRange::Missing => continue,
                        OutOfRange::Error => {
                            return Err(Error::ValueOutOfScale {
                                location: format!("responses.rows[{r}][{j}]"),
                                value: x,
                                min,
                                max,
                            })
                        }
                    }
                }
                let keyed = if it.reverse { min + max - x } else { x };
                if let Some(cell) = p.get_mut((r, i)) {
                    *cell = rescale(keyed, min, max, settings.rescale);
                }
            }
        }
        // structure
        let caps = model.capabilities();
        let cats = model.categories();
        let mut cap_items = vec![Vec::new(); caps.len()];
        for (i, it) in items.iter().enumerate() {
            if let Some(v) = cap_items.get_mut(it.capability) {
                v.push(i);
            }
        }
        let mut cat_caps = vec![Vec::new(); cats.len()];
        for (k, (_, c, _)) in caps.iter().enumerate() {
            if let Some(v) = cat_caps.get_mut(*c) {
                v.push(k);
            }
        }
        let mut dim_cats = vec![Vec::new(); model.dimensions.len()];
        for (c, (d, _)) in cats.iter().enumerate() {
            if let Some(v) = dim_cats.get_mut(*d) {
                v.push(c);
            }
        }
        let step_of = |i: &usize| -> f64 {
            items.get(*i).map_or(f64::INFINITY, |it| {
                let (min, max) = (it.scale.min, it.scale.max);
                rescale(min + 1.0, min, max, settings.rescale)
                    - rescale(min, min, max, settings.rescale)
            })
        };
        let min_step = |list: &mut dyn Iterator<Item = &usize>| -> f64 {
            let s = list.map(step_of).fold(f64::INFINITY, f64::min);
            settings
                .agreement_step
                .unwrap_or(if s.is_finite() { s } else { 0.0 })
        };
        let cap_step: Vec<f64> = cap_items.iter().map(|v| min_step(&mut v.iter())).collect();
        let cat_step: Vec<f64> = cat_caps
            .iter()
            .map(|ks| {
                let all: Vec<usize> = ks
                    .iter()
                    .filter_map(|k| cap_items.get(*k))
                    .flatten()
                    .copied()
                    .collect();
                min_step(&mut all.iter())
            })
            .collect();
        Ok(Prepared {
            model,
            items,
            p,
            cap_items,
            cat_caps,
            dim_cats,
            cap_step,
            cat_step,
        })
    }

    pub(crate) fn n_rows(&self) -> usize {
        self.p.nrows()
    }

    fn val(&self, r: usize, i: usize) -> f64 {
        self.p.get((r, i)).copied().unwrap_or(f64::NAN)
    }

    /// Aggregate over the given respondents.
    pub(crate) fn measure(&self, rows: &[usize], settings: &MaturitySettings) -> MeasurementResult {
        let model = self.model;
        let n_items_model = self.items.len();
        // items
        let mut item_pct = vec![None; n_items_model];
        let mut item_n = vec![0usize; n_items_model];
        let mut buf = Vec::with_capacity(rows.len());
        for i in 0..n_items_model {
            buf.clear();
            buf.extend(rows.iter().map(|&r| self.val(r, i)).filter(|v| !v.is_nan()));
            item_n[i] = buf.len();
            item_pct[i] = match settings.combine {
                Combine::Mean => mean(&buf),
                Combine::Median => median(&mut buf),
            };
        }
        // per respondent capability and category percentages
        let n_caps = self.cap_items.len();
        let n_cats = self.cat_caps.len();
        let caps = model.capabilities();
        let cats = model.categories();
        let cap_weight: Vec<f64> = caps.iter().map(|(_, _, c)| c.weight).collect();
        let cat_weight: Vec<f64> = cats.iter().map(|(_, c)| c.weight).collect();
        let mut resp_cap = Array2::from_elem((rows.len(), n_caps), f64::NAN);
        let mut resp_cat = Array2::from_elem((rows.len(), n_cats), f64::NAN);
        let mut any_row = vec![false; rows.len()];
        for (ri, &r) in rows.iter().enumerate() {
            for (k, list) in self.cap_items.iter().enumerate() {
                let v = wmean(list.iter().filter_map(|&i| {
                    let x = self.val(r, i);
                    let w = self.items.get(i).map_or(1.0, |it| it.item.weight);
                    (!x.is_nan()).then_some((x, w))
                }));
                if let (Some(v), Some(cell)) = (v, resp_cap.get_mut((ri, k))) {
                    *cell = v;
                    if let Some(a) = any_row.get_mut(ri) {
                        *a = true;
                    }
                }
            }
            for (c, list) in self.cat_caps.iter().enumerate() {
                let v = wmean(list.iter().filter_map(|&k| {
                    let x = resp_cap.get((ri, k)).copied().unwrap_or(f64::NAN);
                    (!x.is_nan()).then(|| (x, cap_weight.get(k).copied().unwrap_or(1.0)))
                }));
                if let (Some(v), Some(cell)) = (v, resp_cat.get_mut((ri, c))) {
                    *cell = v;
                }
            }
        }
        let col_values = |m: &Array2<f64>, k: usize| -> Vec<f64> {
            m.column(k)
                .iter()
                .copied()
                .filter(|v| !v.is_nan())
                .collect()
        };
        // capabilities
        let mut cap_results = Vec::with_capacity(n_caps);
        let mut cap_pct = vec![None; n_caps];
        let mut cap_nitems = vec![0usize; n_caps];
        for (k, (d, c, cap)) in caps.iter().enumerate() {
            let list = self.cap_items.get(k).map(Vec::as_slice).unwrap_or(&[]);
            let pct = wmean(list.iter().filter_map(|&i| {
                let w = self.items.get(i).map_or(1.0, |it| it.item.weight);
                item_pct.get(i).copied().flatten().map(|v| (v, w))
            }));
            let n_items = list
                .iter()
                .filter(|&&i| item_n.get(i).copied().unwrap_or(0) > 0)
                .count();
            cap_pct[k] = pct;
            cap_nitems[k] = n_items;
            let values = col_values(&resp_cap, k);
            cap_results.push(LevelResult {
                id: cap.id.clone(),
                name: cap.name.clone(),
                dimension: model.dimensions.get(*d).map(|x| x.id.clone()),
                category: cats.get(*c).map(|(_, x)| x.id.clone()),
                percentage: pct,
                n_respondents: values.len(),
                n_items,
                weight: cap.weight,
                band: None,
                weakness_rank: None,
                strength_rank: None,
                agreement: Some(agreement(
                    values,
                    self.cap_step.get(k).copied().unwrap_or(0.0),
                    settings,
                )),
                reliability: None,
            });
        }
        // categories
        let mut cat_results = Vec::with_capacity(n_cats);
        let mut cat_pct = vec![None; n_cats];
        let mut cat_nitems = vec![0usize; n_cats];
        for (c, (d, cat)) in cats.iter().enumerate() {
            let ks = self.cat_caps.get(c).map(Vec::as_slice).unwrap_or(&[]);
            let pct = wmean(ks.iter().filter_map(|&k| {
                cap_pct
                    .get(k)
                    .copied()
                    .flatten()
                    .map(|v| (v, cap_weight.get(k).copied().unwrap_or(1.0)))
            }));
            let n_items: usize = ks.iter().filter_map(|&k| cap_nitems.get(k)).sum();
            cat_pct[c] = pct;
            cat_nitems[c] = n_items;
            let values = col_values(&resp_cat, c);
            let item_cols: Vec<usize> = ks
                .iter()
                .filter_map(|&k| self.cap_items.get(k))
                .flatten()
                .copied()
                .filter(|&i| item_n.get(i).copied().unwrap_or(0) > 0)
                .collect();
            let reliability = Reliability {
                alpha: cronbach_alpha(&self.p, rows, &item_cols),
                n_items: item_cols.len(),
                n_respondents: values.len(),
            };
            cat_results.push(LevelResult {
                id: cat.id.clone(),
                name: cat.name.clone(),
                dimension: model.dimensions.get(*d).map(|x| x.id.clone()),
                category: None,
                percentage: pct,
                n_respondents: values.len(),
                n_items,
                weight: cat.weight,
                band: None,
                weakness_rank: None,
                strength_rank: None,
                agreement: Some(agreement(
                    values,
                    self.cat_step.get(c).copied().unwrap_or(0.0),
                    settings,
                )),
                reliability: Some(reliability),
            });
        }
        // dimensions
        let mut dim_results = Vec::with_capacity(model.dimensions.len());
        let mut dim_pct = vec![None; model.dimensions.len()];
        for (d, dim) in model.dimensions.iter().enumerate() {
            let cs = self.dim_cats.get(d).map(Vec::as_slice).unwrap_or(&[]);
            let pct = wmean(cs.iter().filter_map(|&c| {
                cat_pct
                    .get(c)
                    .copied()
                    .flatten()
                    .map(|v| (v, cat_weight.get(c).copied().unwrap_or(1.0)))
            }));
            dim_pct[d] = pct;
            let n_respondents = (0..rows.len())
                .filter(|&ri| {
                    cs.iter()
                        .any(|&c| !resp_cat.get((ri, c)).copied().unwrap_or(f64::NAN).is_nan())
                })
                .count();
            dim_results.push(LevelResult {
                id: dim.id.clone(),
                name: dim.name.clone(),
                dimension: None,
                category: None,
                percentage: pct,
                n_respondents,
                n_items: cs.iter().filter_map(|&c| cat_nitems.get(c)).sum(),
                weight: dim.weight,
                band: pct.and_then(|v| band_of(&model.bands, v, settings.band_boundaries)),
                weakness_rank: None,
                strength_rank: None,
                agreement: None,
                reliability: None,
            });
        }
        let overall =
            wmean(
                model.dimensions.iter().enumerate().filter_map(|(d, dim)| {
                    dim_pct.get(d).copied().flatten().map(|v| (v, dim.weight))
                }),
            );
        // ranks
        let (weakest_categories, strongest_categories) = rank(
            &mut cat_results,
            settings.tie_decimals,
            settings.extremes_count,
        );
        let (weakest_capabilities, strongest_capabilities) = rank(
            &mut cap_results,
            settings.tie_decimals,
            settings.extremes_count,
        );
        // type
        let maturity_type = model.classification.as_ref().and_then(|cl| {
            let x = model
                .dimension_index(&cl.x)
                .and_then(|d| dim_pct.get(d).copied().flatten())?;
            let y = model
                .dimension_index(&cl.y)
                .and_then(|d| dim_pct.get(d).copied().flatten())?;
            classify_values(cl, x, y, settings)
        });
        let items_out = self
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| ItemResult {
                id: it.item.id.clone(),
                capability: caps
                    .get(it.capability)
                    .map(|(_, _, c)| c.id.clone())
                    .unwrap_or_default(),
                percentage: item_pct.get(i).copied().flatten(),
                n_respondents: item_n.get(i).copied().unwrap_or(0),
                reverse: it.reverse,
            })
            .collect();
        MeasurementResult {
            model: model.id.clone(),
            instrument: model.instrument.as_ref().map(|i| InstrumentRef {
                id: i.id.clone(),
                example: i.example,
            }),
            overall,
            n_respondents: any_row.iter().filter(|a| **a).count(),
            n_items: item_n.iter().filter(|n| **n > 0).count(),
            band: overall.and_then(|v| band_of(&model.bands, v, settings.band_boundaries)),
            maturity_type,
            dimensions: dim_results,
            categories: cat_results,
            capabilities: cap_results,
            items: items_out,
            weakest_categories,
            strongest_categories,
            weakest_capabilities,
            strongest_capabilities,
            units: None,
            settings: None,
        }
    }
}

/// Score one measurement.
///
/// `columns` names the item of each column of `values` (respondents ×
/// items, NaN = missing). Errors: `duplicate_id` / `unknown_reference` at
/// `responses.items[j]`, `value_out_of_scale` at `responses.rows[r][j]`,
/// `shape_mismatch`.
pub fn score(
    model: &MaturityModel,
    columns: &[String],
    values: ArrayView2<'_, f64>,
    settings: &MaturitySettings,
) -> Result<MeasurementResult> {
    let settings = settings.clone().checked()?;
    let prepared = Prepared::new(model, columns, values, &settings)?;
    let rows: Vec<usize> = (0..prepared.n_rows()).collect();
    let mut result = prepared.measure(&rows, &settings);
    result.settings = Some(settings);
    Ok(result)
}

/// Score a [`ResponseTable`] (the JSON form); with units, also per unit over
/// the organisation tree (see [`crate::maturity::units`]).
pub fn score_table(
    model: &MaturityModel,
    table: &ResponseTable,
    tree: Option<&[crate::maturity::units::Unit]>,
    settings: &MaturitySettings,
) -> Result<MeasurementResult> {
    let values = table.to_array()?;
    match &table.units {
        Some(units) => crate::maturity::units::score_units(
            model,
            &table.items,
            values.view(),
            units,
            tree,
            settings,
        ),
        None => {
            if tree.is_some() {
                return Err(Error::MissingValue {
                    location: "responses.units".into(),
                    what: "the unit of each row (a tree was given)".into(),
                });
            }
            score(model, &table.items, values.view(), settings)
        }
    }
}

/// Weighted mean of `(value, weight)` pairs; `None` when empty.
pub(crate) fn wmean(pairs: impl Iterator<Item = (f64, f64)>) -> Option<f64> {
    let (mut s, mut w) = (0.0, 0.0);
    for (v, wt) in pairs {
        s += v * wt;
        w += wt;
    }
    (w > 0.0).then(|| s / w)
}

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// Median; sorts `v`.
pub(crate) fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let hi = v.get(n / 2).copied()?;
    if n % 2 == 1 {
        Some(hi)
    } else {
        let lo = v.get(n / 2 - 1).copied()?;
        Some((lo + hi) / 2.0)
    }
}

fn sd(v: &[f64], ddof: u32) -> Option<f64> {
    let n = v.len();
    let dd = ddof as usize;
    if n <= dd {
        return None;
    }
    let m = mean(v)?;
    let ss: f64 = v.iter().map(|x| (x - m) * (x - m)).sum();
    Some((ss / (n - dd) as f64).sqrt())
}

fn agreement(mut values: Vec<f64>, step: f64, settings: &MaturitySettings) -> Agreement {
    let n = values.len();
    let s = sd(&values, settings.sd_ddof);
    let med = median(&mut values);
    let share = med.map(|m| {
        let within = values
            .iter()
            .filter(|v| (*v - m).abs() <= step + 1e-9)
            .count();
        within as f64 / n as f64
    });
    Agreement {
        n_respondents: n,
        sd: s,
        median: med,
        step,
        share_within_step: share,
        low: share.map(|x| x < settings.agreement_threshold),
    }
}

/// Raw Cronbach's α of the given columns over the given rows, pairwise
/// complete (R `psych::alpha`, pingouin `cronbach_alpha`), computed by
/// [`crate::stats::cronbach_alpha`]; `None` where α is undefined (fewer than
/// two items, too few respondents, no variance).
fn cronbach_alpha(p: &Array2<f64>, rows: &[usize], cols: &[usize]) -> Option<f64> {
    if cols.len() < 2 {
        return None;
    }
    let sub = p.select(Axis(0), rows).select(Axis(1), cols);
    crate::stats::cronbach_alpha(sub.view(), &crate::stats::AlphaOptions::default())
        .ok()
        .map(|r| r.alpha)
        .filter(|a| a.is_finite())
}

/// Quantise a percentage for tie comparison.
pub(crate) fn quantise(v: f64, decimals: u32) -> i64 {
    let f = 10f64.powi(decimals as i32);
    (v * f).round() as i64
}

/// Fill `weakness_rank` / `strength_rank` and return the weakest and
/// strongest `n`. Order: by percentage (quantised to `decimals`), ties by
/// model order (earlier first) in both lists.
fn rank(results: &mut [LevelResult], decimals: u32, n: usize) -> (Vec<Ranked>, Vec<Ranked>) {
    let mut present: Vec<(usize, i64, f64)> = results
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.percentage.map(|p| (i, quantise(p, decimals), p)))
        .collect();
    present.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    let weakest: Vec<Ranked> = present
        .iter()
        .take(n)
        .filter_map(|(i, _, p)| {
            results.get(*i).map(|r| Ranked {
                id: r.id.clone(),
                percentage: *p,
            })
        })
        .collect();
    for (rank, (i, _, _)) in present.iter().enumerate() {
        if let Some(r) = results.get_mut(*i) {
            r.weakness_rank = Some(rank + 1);
        }
    }
    present.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let strongest: Vec<Ranked> = present
        .iter()
        .take(n)
        .filter_map(|(i, _, p)| {
            results.get(*i).map(|r| Ranked {
                id: r.id.clone(),
                percentage: *p,
            })
        })
        .collect();
    for (rank, (i, _, _)) in present.iter().enumerate() {
        if let Some(r) = results.get_mut(*i) {
            r.strength_rank = Some(rank + 1);
        }
    }
    (weakest, strongest)
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    pub(crate) fn alpha_of(data: &[&[f64]]) -> Option<f64> {
        let n = data.len();
        let k = data.first().map_or(0, |r| r.len());
        let mut p = Array2::from_elem((n, k), f64::NAN);
        for (r, row) in data.iter().enumerate() {
            for (j, v) in row.iter().enumerate() {
                p[(r, j)] = *v;
            }
        }
        let rows: Vec<usize> = (0..n).collect();
        let cols: Vec<usize> = (0..k).collect();
        cronbach_alpha(&p, &rows, &cols)
    }
}
