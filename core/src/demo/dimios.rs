//! A synthetic DiMiOS measurement of the demo department.
//!
//! A key user picked a representative sample of about 60 respondents —
//! managers, strategists and developers — over the unit tree (data:
//! `core/data/demo/dimios.json`). They answer the built-in **example**
//! instrument of DiMiOS (one statement per capability; not the official
//! questionnaire) on its six-point scale, in 2025 and in 2026; the same
//! posts answer in both years.
//!
//! Each answer is drawn on the 0–100 maturity scale as the sum of
//! department-wide effects per dimension, category and capability (Digitalt
//! arv above Digital förmåga, as in published municipal results), effects of
//! the respondent's role and of every unit from the respondent's unit up to
//! the root (IT stronger on Teknik, the arts school weaker on Effektivitet,
//! the libraries stronger on Innovation, …), a yearly growth, a person
//! effect, a person × category effect, a person × year effect and answer
//! noise — all normal deviates of [`SplitMix64`], seeded with [`SEED`] — and
//! mapped to the scale: `min + (max − min) · x / 100`, rounded, clamped.
//! Statements of reverse-scored capabilities (shadow IT, technical debt) are
//! answered in reverse (`min + max − answer`), as a real respondent would.
//! Some answers are missing, more often for statements outside one's field
//! ("don't know"), and a post occasionally does not answer at all.
//!
//! ```
//! use kompetens::demo::DemoOrganisation;
//! let org = DemoOrganisation::generate()?;
//! let m = org.dimios_measurement("2026")?;
//! assert!((55..=65).contains(&m.respondents.len()));
//! let s = org.dimios_summary("2026")?;
//! assert_eq!(s.weakest_categories.len(), 3);
//! assert!(s.maturity_type.is_some());
//! # Ok::<(), kompetens::Error>(())
//! ```

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::{DemoOrganisation, SplitMix64, SEED};
use crate::error::{Error, Result};
use crate::maturity::{
    compare, score_table, Change, Comparison, InstrumentRef, LevelResult, MaturityModel,
    MaturitySettings, MeasurementResult, Percentage, Ranked, ResponseTable, ResultSummary,
    TypeResult, Unit,
};
use crate::text::{from_json_str, Text};

const DIMIOS_JSON: &str = include_str!("../../data/demo/dimios.json");

/// The kind of a DiMiOS respondent, as the key user picks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DimiosRole {
    /// A manager (chef) at some level of the unit tree.
    Manager,
    /// A strategist or business developer (strateg, verksamhetsutvecklare).
    Strategist,
    /// A developer or IT specialist (utvecklare).
    Developer,
}

impl DimiosRole {
    /// Snake-case id: `manager`, `strategist`, `developer`.
    pub fn as_str(self) -> &'static str {
        match self {
            DimiosRole::Manager => "manager",
            DimiosRole::Strategist => "strategist",
            DimiosRole::Developer => "developer",
        }
    }
}

/// One respondent of a DiMiOS measurement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DimiosRespondent {
    /// Pseudonymous id of the post, stable over the years, e.g. `r07`.
    pub id: String,
    /// Unit id (any unit of the tree, not only leaves).
    pub unit: String,
    /// Kind of respondent.
    pub role: DimiosRole,
}

/// The answers of one year; see [`DemoOrganisation::dimios_measurement`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DimiosMeasurement {
    /// Year of the measurement, e.g. `2026`.
    pub year: String,
    /// The respondents who answered, one per row of `responses`.
    pub respondents: Vec<DimiosRespondent>,
    /// Respondents × items of the example instrument (model order), answers
    /// 1–6 or `null` (missing); `units` gives each row's unit.
    pub responses: ResponseTable,
}

/// One dimension or category in a [`DimiosSummary`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DimiosFigure {
    /// Dimension or category id.
    pub id: String,
    /// Name (sv/en).
    pub name: Text,
    /// The category's dimension id (`None` for a dimension).
    pub dimension: Option<String>,
    /// Percentage of optimal conditions, 0–100.
    pub percentage: Option<f64>,
    /// Respondents behind the figure.
    pub n_respondents: usize,
    /// Category rank from the weakest (1); `None` for a dimension.
    pub weakness_rank: Option<usize>,
    /// The previous year's percentage.
    pub previous: Option<f64>,
    /// Change since the previous year, percentage points.
    pub change: Option<f64>,
}

/// One unit's rolled-up result in a [`DimiosSummary`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DimiosUnit {
    /// Unit id.
    pub id: String,
    /// Name (sv/en).
    pub name: Text,
    /// Parent unit id.
    pub parent: Option<String>,
    /// Depth in the tree (root 0).
    pub depth: usize,
    /// Respondents in the unit and its sub-units.
    pub n_respondents: usize,
    /// True when fewer than `min_respondents` answered: nothing else is
    /// given.
    pub withheld: bool,
    /// Overall percentage.
    pub overall: Option<f64>,
    /// Dimension percentages, model order.
    pub dimensions: Vec<Percentage>,
    /// Type id (`A`–`D`).
    pub maturity_type: Option<String>,
    /// Id of the weakest category.
    pub weakest_category: Option<String>,
}

/// The DiMiOS results of the demo for one year, with the change since the
/// year before; see [`DemoOrganisation::dimios_summary`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DimiosSummary {
    /// Model id (`dimios`).
    pub model: String,
    /// The instrument answered (the example instrument).
    pub instrument: Option<InstrumentRef>,
    /// Year of the measurement.
    pub year: String,
    /// The year compared with, if there is an earlier measurement.
    pub previous_year: Option<String>,
    /// Respondents with at least one answer.
    pub n_respondents: usize,
    /// Respondents per kind, in the order manager, strategist, developer.
    pub respondents_by_role: BTreeMap<DimiosRole, usize>,
    /// Overall percentage (mean of the two dimensions).
    pub overall: Option<f64>,
    /// The previous year's overall percentage.
    pub overall_previous: Option<f64>,
    /// Change of the overall percentage, percentage points.
    pub overall_change: Option<f64>,
    /// Digital förmåga and Digitalt arv.
    pub dimensions: Vec<DimiosFigure>,
    /// The six categories, model order.
    pub categories: Vec<DimiosFigure>,
    /// The type A–D with its description and recommendations.
    #[serde(rename = "type")]
    pub maturity_type: Option<TypeResult>,
    /// The three weakest categories, weakest first (relative weaknesses,
    /// listed even when maturity is high).
    pub weakest_categories: Vec<Ranked>,
    /// Units with fewer respondents than this are withheld.
    pub min_respondents: usize,
    /// Every unit, tree order, rolled up over its subtree.
    pub units: Vec<DimiosUnit>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Plan {
    model: String,
    #[allow(dead_code)]
    note: String,
    years: Vec<String>,
    sample: Vec<SampleRow>,
    base: BTreeMap<String, f64>,
    growth: BTreeMap<String, f64>,
    roles: BTreeMap<DimiosRole, BTreeMap<String, f64>>,
    units: BTreeMap<String, BTreeMap<String, f64>>,
    spread: Spread,
    nonresponse: f64,
    missing: f64,
    dont_know: BTreeMap<String, f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SampleRow {
    unit: String,
    respondents: BTreeMap<DimiosRole, u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Spread {
    person: f64,
    person_category: f64,
    person_year: f64,
    answer: f64,
}

/// The model ids each capability belongs to: `[dimension, category,
/// capability]`, model order.
fn capability_keys(model: &MaturityModel) -> Vec<[&str; 3]> {
    let mut out = Vec::new();
    for d in &model.dimensions {
        for c in &d.categories {
            for k in &c.capabilities {
                out.push([d.id.as_str(), c.id.as_str(), k.id.as_str()]);
            }
        }
    }
    out
}

/// Per-capability sum of the effects in `map` (keys: `*` or a dimension,
/// category or capability id); an unknown key is an error at `location`.
fn effects(map: &BTreeMap<String, f64>, keys: &[[&str; 3]], location: &str) -> Result<Vec<f64>> {
    for key in map.keys() {
        if key != "*" && !keys.iter().any(|k| k.contains(&key.as_str())) {
            return Err(Error::UnknownReference {
                location: format!("{location}.{key}"),
                kind: "dimension, category or capability".into(),
                id: key.clone(),
            });
        }
    }
    Ok(keys
        .iter()
        .map(|k| {
            map.iter()
                .filter(|(key, _)| key.as_str() == "*" || k.contains(&key.as_str()))
                .map(|(_, v)| *v)
                .sum()
        })
        .collect())
}

impl Plan {
    fn load() -> Result<Plan> {
        from_json_str(DIMIOS_JSON)
    }
}

impl DemoOrganisation {
    /// The years of the demo's DiMiOS measurements, oldest first
    /// (`2025`, `2026`).
    pub fn dimios_years(&self) -> Result<Vec<String>> {
        Ok(Plan::load()?.years)
    }

    /// The DiMiOS model the demo measurement answers: the built-in
    /// `dimios` with its example instrument.
    pub fn dimios_model(&self) -> Result<MaturityModel> {
        MaturityModel::builtin(&Plan::load()?.model)
    }

    /// The demo's unit tree as maturity [`Unit`]s (parents before
    /// children), for [`crate::maturity::score_units`].
    pub fn maturity_units(&self) -> Vec<Unit> {
        self.units
            .iter()
            .map(|u| Unit {
                id: u.id.clone(),
                parent: u.parent.clone(),
                name: u.name.clone(),
            })
            .collect()
    }

    /// The synthetic DiMiOS answers of one year (`2025` or `2026`); see the
    /// [module docs](self). Deterministic. Errors: `unknown_reference` at
    /// `year` for another year.
    pub fn dimios_measurement(&self, year: &str) -> Result<DimiosMeasurement> {
        let plan = Plan::load()?;
        let model = MaturityModel::builtin(&plan.model)?;
        let year_index =
            plan.years
                .iter()
                .position(|y| y == year)
                .ok_or_else(|| Error::UnknownReference {
                    location: "year".into(),
                    kind: "DiMiOS year".into(),
                    id: year.to_string(),
                })?;
        let keys = capability_keys(&model);
        let base = effects(&plan.base, &keys, "dimios.base")?;
        let growth = effects(&plan.growth, &keys, "dimios.growth")?;
        let dont_know = effects(&plan.dont_know, &keys, "dimios.dont_know")?;
        let mut role_effects = HashMap::new();
        for (role, map) in &plan.roles {
            let loc = format!("dimios.roles.{}", role.as_str());
            role_effects.insert(*role, effects(map, &keys, &loc)?);
        }
        let mut unit_effects: HashMap<&str, Vec<f64>> = HashMap::new();
        for (unit, map) in &plan.units {
            if self.unit(unit).is_none() {
                return Err(Error::UnknownReference {
                    location: format!("dimios.units.{unit}"),
                    kind: "unit".into(),
                    id: unit.clone(),
                });
            }
            let loc = format!("dimios.units.{unit}");
            unit_effects.insert(unit.as_str(), effects(map, &keys, &loc)?);
        }
        let categories: Vec<&str> = model
            .categories()
            .iter()
            .map(|(_, c)| c.id.as_str())
            .collect();
        let items = model.items();
        let item_ids: Vec<String> = items.iter().map(|i| i.item.id.clone()).collect();
        let spread = &plan.spread;
        let year_growth = year_index as f64;

        let mut respondents = Vec::new();
        let mut rows = Vec::new();
        let mut row_units = Vec::new();
        let mut slot: u64 = 0;
        for (s, sample) in plan.sample.iter().enumerate() {
            if self.unit(&sample.unit).is_none() {
                return Err(Error::UnknownReference {
                    location: format!("dimios.sample[{s}].unit"),
                    kind: "unit".into(),
                    id: sample.unit.clone(),
                });
            }
            // Effects of the unit and every unit above it.
            let mut unit_effect = vec![0.0; keys.len()];
            for u in self.ancestors(&sample.unit) {
                if let Some(e) = unit_effects.get(u.id.as_str()) {
                    for (a, b) in unit_effect.iter_mut().zip(e) {
                        *a += b;
                    }
                }
            }
            for (&role, &count) in &sample.respondents {
                let role_effect = role_effects.get(&role);
                for _ in 0..count {
                    slot += 1;
                    let mut person = SplitMix64::stream(SEED, "dimios-person", slot);
                    let person_effect = spread.person * person.normal();
                    let category_effect: Vec<f64> = categories
                        .iter()
                        .map(|_| spread.person_category * person.normal())
                        .collect();
                    let mut rng = SplitMix64::stream(SEED, &format!("dimios-{year}"), slot);
                    let answers = !rng.chance(plan.nonresponse);
                    let year_effect = spread.person_year * rng.normal();
                    let mut row = Vec::with_capacity(items.len());
                    for item in &items {
                        let k = item.capability;
                        // Draw everything for every item, so the stream does
                        // not depend on earlier outcomes.
                        let noise = spread.answer * rng.normal();
                        let u_missing = rng.uniform();
                        let u_dont_know = rng.uniform();
                        let x = base.get(k).copied().unwrap_or(0.0)
                            + year_growth * growth.get(k).copied().unwrap_or(0.0)
                            + role_effect.and_then(|e| e.get(k)).copied().unwrap_or(0.0)
                            + unit_effect.get(k).copied().unwrap_or(0.0)
                            + person_effect
                            + category_effect.get(item.category).copied().unwrap_or(0.0)
                            + year_effect
                            + noise;
                        let p_dont_know = if role == DimiosRole::Developer {
                            0.0
                        } else {
                            dont_know.get(k).copied().unwrap_or(0.0)
                        };
                        if u_missing < plan.missing || u_dont_know < p_dont_know {
                            row.push(None);
                            continue;
                        }
                        let (min, max) = (item.scale.min, item.scale.max);
                        let mature = (min + (max - min) * x / 100.0).round().clamp(min, max);
                        row.push(Some(if item.reverse {
                            min + max - mature
                        } else {
                            mature
                        }));
                    }
                    if answers {
                        respondents.push(DimiosRespondent {
                            id: format!("r{slot:02}"),
                            unit: sample.unit.clone(),
                            role,
                        });
                        rows.push(row);
                        row_units.push(Some(sample.unit.clone()));
                    }
                }
            }
        }
        Ok(DimiosMeasurement {
            year: year.to_string(),
            respondents,
            responses: ResponseTable {
                items: item_ids,
                rows,
                units: Some(row_units),
            },
        })
    }

    /// Score the DiMiOS measurement of one year over the demo's unit tree
    /// (each unit's own and rolled-up result; small units withheld).
    pub fn score_dimios(
        &self,
        year: &str,
        settings: &MaturitySettings,
    ) -> Result<MeasurementResult> {
        let model = self.dimios_model()?;
        let m = self.dimios_measurement(year)?;
        score_table(&model, &m.responses, Some(&self.maturity_units()), settings)
    }

    /// The DiMiOS results of one year with default settings, the change
    /// since the year before (if any) and every unit's rolled-up result.
    pub fn dimios_summary(&self, year: &str) -> Result<DimiosSummary> {
        let settings = MaturitySettings::default();
        let years = self.dimios_years()?;
        let result = self.score_dimios(year, &settings)?;
        let previous_year = years
            .iter()
            .position(|y| y == year)
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| years.get(i))
            .cloned();
        let change: Option<Comparison> = match &previous_year {
            Some(p) => {
                let before = self.score_dimios(p, &settings)?;
                Some(compare(
                    &ResultSummary::from(&result),
                    &ResultSummary::from(&before),
                )?)
            }
            None => None,
        };
        let find = |list: Option<&Vec<Change>>, id: &str| {
            list.and_then(|l| l.iter().find(|c| c.id == id))
                .map_or((None, None), |c| (c.previous, c.change))
        };
        let figure = |l: &LevelResult, changes: Option<&Vec<Change>>| {
            let (previous, change) = find(changes, &l.id);
            DimiosFigure {
                id: l.id.clone(),
                name: l.name.clone(),
                dimension: l.dimension.clone(),
                percentage: l.percentage,
                n_respondents: l.n_respondents,
                weakness_rank: l.weakness_rank,
                previous,
                change,
            }
        };
        let dimensions = result
            .dimensions
            .iter()
            .map(|d| figure(d, change.as_ref().map(|c| &c.dimensions)))
            .collect();
        let categories = result
            .categories
            .iter()
            .map(|c| figure(c, change.as_ref().map(|x| &x.categories)))
            .collect();
        let m = self.dimios_measurement(year)?;
        let mut respondents_by_role = BTreeMap::new();
        for r in &m.respondents {
            *respondents_by_role.entry(r.role).or_insert(0) += 1;
        }
        let units = result
            .units
            .iter()
            .flatten()
            .map(|u| {
                let r = u.rolled_up.result.as_deref();
                DimiosUnit {
                    id: u.id.clone(),
                    name: u.name.clone(),
                    parent: u.parent.clone(),
                    depth: u.depth,
                    n_respondents: u.rolled_up.n_respondents,
                    withheld: u.rolled_up.withheld,
                    overall: r.and_then(|r| r.overall),
                    dimensions: r.map_or_else(Vec::new, |r| {
                        r.dimensions
                            .iter()
                            .map(|d| Percentage {
                                id: d.id.clone(),
                                percentage: d.percentage,
                            })
                            .collect()
                    }),
                    maturity_type: r.and_then(|r| r.maturity_type.as_ref().map(|t| t.id.clone())),
                    weakest_category: r
                        .and_then(|r| r.weakest_categories.first().map(|c| c.id.clone())),
                }
            })
            .collect();
        Ok(DimiosSummary {
            model: result.model.clone(),
            instrument: result.instrument.clone(),
            year: year.to_string(),
            previous_year,
            n_respondents: result.n_respondents,
            respondents_by_role,
            overall: result.overall,
            overall_previous: change.as_ref().and_then(|c| c.overall.previous),
            overall_change: change.as_ref().and_then(|c| c.overall.change),
            dimensions,
            categories,
            maturity_type: result.maturity_type.clone(),
            weakest_categories: result.weakest_categories.clone(),
            min_respondents: settings.min_respondents,
            units,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org() -> DemoOrganisation {
        DemoOrganisation::generate().unwrap()
    }

    #[test]
    fn about_60_respondents_answering_on_the_six_point_scale() {
        let org = org();
        let model = org.dimios_model().unwrap();
        assert_eq!(org.dimios_years().unwrap(), ["2025", "2026"]);
        for year in ["2025", "2026"] {
            let m = org.dimios_measurement(year).unwrap();
            let n = m.respondents.len();
            assert!((55..=65).contains(&n), "{year}: {n} respondents");
            assert_eq!(m.year, year);
            // one column per capability of DiMiOS (the example instrument)
            assert_eq!(m.responses.items.len(), 26);
            assert_eq!(m.responses.items.len(), model.items().len());
            assert_eq!(m.responses.rows.len(), n);
            let units = m.responses.units.as_ref().unwrap();
            assert_eq!(units.len(), n);
            let (mut answered, mut missing) = (0usize, 0usize);
            for (row, r) in m.responses.rows.iter().zip(&m.respondents) {
                assert_eq!(row.len(), 26);
                assert!(org.unit(&r.unit).is_some(), "{}", r.unit);
                for v in row {
                    match v {
                        Some(x) => {
                            assert!((1.0..=6.0).contains(x) && x.fract() == 0.0, "{x}");
                            answered += 1;
                        }
                        None => missing += 1,
                    }
                }
                // nobody skips everything
                assert!(row.iter().filter(|v| v.is_some()).count() > 15);
            }
            let share = missing as f64 / (answered + missing) as f64;
            assert!((0.01..=0.10).contains(&share), "missing share {share}");
            // every top-level unit is in the sample, with every kind of
            // respondent in the department
            for top in ["lib", "mus", "ks", "adm"] {
                let k = m
                    .respondents
                    .iter()
                    .filter(|r| org.ancestors(&r.unit).iter().any(|u| u.id == top))
                    .count();
                assert!(k >= 5, "{top}: {k}");
            }
            for role in [
                DimiosRole::Manager,
                DimiosRole::Strategist,
                DimiosRole::Developer,
            ] {
                assert!(m.respondents.iter().any(|r| r.role == role), "{role:?}");
            }
            // ids are unique
            let mut ids: Vec<&str> = m.respondents.iter().map(|r| r.id.as_str()).collect();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), n);
        }
        assert!(org.dimios_measurement("2024").is_err());
    }

    #[test]
    fn deterministic() {
        let (a, b) = (org(), org());
        for year in ["2025", "2026"] {
            assert_eq!(
                a.dimios_measurement(year).unwrap(),
                b.dimios_measurement(year).unwrap()
            );
            assert_eq!(
                a.dimios_summary(year).unwrap(),
                b.dimios_summary(year).unwrap()
            );
        }
        // the two years differ, but the same posts answer in both
        let (x, y) = (
            a.dimios_measurement("2025").unwrap(),
            a.dimios_measurement("2026").unwrap(),
        );
        assert_ne!(x.responses.rows, y.responses.rows);
        let common = x
            .respondents
            .iter()
            .filter(|r| y.respondents.contains(r))
            .count();
        assert!(common >= 50, "{common}");
    }

    /// The department's Teknik percentage recomputed from the raw answers
    /// with the documented DiMiOS conventions (REFERENCE.md §4): answers
    /// rescaled (x − 1)/5 · 100, the statements of shadow IT and technical
    /// debt reverse keyed (7 − x), mean over the respondents who answered a
    /// statement, capabilities averaged with equal weights.
    #[test]
    fn teknik_by_hand() {
        let org = org();
        let m = org.dimios_measurement("2026").unwrap();
        let items = &m.responses.items;
        let capability = |item: &str| {
            let col = items.iter().position(|i| i == item).unwrap();
            let reverse = item == "ex_shadow_it" || item == "ex_technical_debt";
            let v: Vec<f64> = m
                .responses
                .rows
                .iter()
                .filter_map(|r| r[col])
                .map(|x| if reverse { 7.0 - x } else { x })
                .map(|x| (x - 1.0) / 5.0 * 100.0)
                .collect();
            v.iter().sum::<f64>() / v.len() as f64
        };
        let by_hand = (capability("ex_technology_data_support")
            + capability("ex_shadow_it")
            + capability("ex_technical_debt")
            + capability("ex_it_governance"))
            / 4.0;
        let s = org.dimios_summary("2026").unwrap();
        let teknik = s.categories.iter().find(|c| c.id == "teknik").unwrap();
        assert!((teknik.percentage.unwrap() - by_hand).abs() < 1e-9);
        // overall = mean of the two dimensions
        let d: Vec<f64> = s.dimensions.iter().map(|d| d.percentage.unwrap()).collect();
        assert!((s.overall.unwrap() - (d[0] + d[1]) / 2.0).abs() < 1e-9);
    }

    #[test]
    fn plausible_results_and_patterns() {
        let org = org();
        let settings = MaturitySettings::default();
        let (before, now) = (
            org.dimios_summary("2025").unwrap(),
            org.dimios_summary("2026").unwrap(),
        );
        for s in [&before, &now] {
            let overall = s.overall.unwrap();
            assert!((40.0..=65.0).contains(&overall), "{overall}");
            let dim = |id: &str| {
                s.dimensions
                    .iter()
                    .find(|d| d.id == id)
                    .and_then(|d| d.percentage)
                    .unwrap()
            };
            // Digitalt arv above Digital förmåga, as in published results
            assert!(dim("arv") > dim("formaga") + 5.0);
            for c in &s.categories {
                let p = c.percentage.unwrap();
                assert!((30.0..=75.0).contains(&p), "{} {p}", c.id);
            }
            // The type is the quadrant of (förmåga, arv) against 50/50.
            let expected = match (dim("formaga") >= 50.0, dim("arv") >= 50.0) {
                (false, false) => "A",
                (true, false) => "B",
                (false, true) => "C",
                (true, true) => "D",
            };
            assert_eq!(s.maturity_type.as_ref().unwrap().id, expected);
            // The three weakest are the three lowest categories, weakest
            // first.
            let mut sorted: Vec<(f64, &str)> = s
                .categories
                .iter()
                .map(|c| (c.percentage.unwrap(), c.id.as_str()))
                .collect();
            sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
            let weakest: Vec<&str> = s.weakest_categories.iter().map(|w| w.id.as_str()).collect();
            let lowest: Vec<&str> = sorted.iter().take(3).map(|x| x.1).collect();
            assert_eq!(weakest, lowest);
        }
        // modest improvement
        assert_eq!(before.previous_year, None);
        assert_eq!(now.previous_year.as_deref(), Some("2025"));
        let change = now.overall_change.unwrap();
        assert!(change > 0.0 && change < 6.0, "{change}");
        assert!((now.overall.unwrap() - before.overall.unwrap() - change).abs() < 1e-9);

        // Unit patterns, rolled up: IT stronger on Teknik, the arts school
        // weaker on Effektivitet than the department as a whole.
        let result = org.score_dimios("2026", &settings).unwrap();
        let cat = |unit: &str, cat: &str| {
            let u = result
                .units
                .iter()
                .flatten()
                .find(|u| u.id == unit)
                .unwrap();
            let r = u.rolled_up.result.as_ref().unwrap();
            r.categories
                .iter()
                .find(|c| c.id == cat)
                .and_then(|c| c.percentage)
                .unwrap()
        };
        assert!(cat("adm-it", "teknik") > cat("kf", "teknik") + 3.0);
        assert!(cat("ks", "effektivitet") < cat("kf", "effektivitet") - 3.0);
        assert!(cat("lib", "innovation") > cat("kf", "innovation") + 3.0);
    }

    #[test]
    fn small_units_are_withheld_and_counts_roll_up() {
        let org = org();
        let s = org.dimios_summary("2026").unwrap();
        let m = org.dimios_measurement("2026").unwrap();
        assert_eq!(s.units.len(), org.units.len());
        assert_eq!(s.units[0].id, "kf");
        assert_eq!(s.units[0].n_respondents, m.respondents.len());
        for u in &s.units {
            let n = m
                .respondents
                .iter()
                .filter(|r| org.ancestors(&r.unit).iter().any(|a| a.id == u.id))
                .count();
            assert_eq!(u.n_respondents, n, "{}", u.id);
            assert_eq!(u.withheld, n < 5, "{}", u.id);
            assert_eq!(u.overall.is_none(), u.withheld, "{}", u.id);
            assert_eq!(u.maturity_type.is_none(), u.withheld, "{}", u.id);
        }
        assert!(s.units.iter().any(|u| u.withheld && u.depth <= 2));
        for top in ["lib", "mus", "ks", "adm"] {
            let u = s.units.iter().find(|u| u.id == top).unwrap();
            assert!(!u.withheld, "{top}");
        }
        let by_role: usize = s.respondents_by_role.values().sum();
        assert_eq!(by_role, m.respondents.len());
    }

    #[test]
    fn unknown_effect_keys_are_errors() {
        let model = MaturityModel::builtin("dimios").unwrap();
        let keys = capability_keys(&model);
        assert_eq!(keys.len(), 26);
        let mut map = BTreeMap::new();
        map.insert("teknik".to_string(), 2.0);
        map.insert("*".to_string(), 1.0);
        map.insert("shadow_it".to_string(), -4.0);
        let e = effects(&map, &keys, "x").unwrap();
        let at = |cap: &str| keys.iter().position(|k| k[2] == cap).unwrap();
        assert_eq!(e[at("shadow_it")], -1.0);
        assert_eq!(e[at("it_governance")], 3.0);
        assert_eq!(e[at("budget")], 1.0);
        map.insert("teknikk".to_string(), 1.0);
        let err = effects(&map, &keys, "dimios.base").unwrap_err();
        assert_eq!(err.code(), "unknown_reference");
        assert_eq!(err.location(), "dimios.base.teknikk");
    }

    #[test]
    fn the_maturity_tree_is_the_demo_tree() {
        let org = org();
        let units = org.maturity_units();
        assert_eq!(units.len(), org.units.len());
        for (a, b) in units.iter().zip(&org.units) {
            assert_eq!((&a.id, &a.parent, &a.name), (&b.id, &b.parent, &b.name));
        }
        crate::maturity::OrgTree::new(&units).unwrap();
    }
}
