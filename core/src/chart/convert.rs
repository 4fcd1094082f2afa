//! Converters from domain results to chart specs.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Entry, Lang, RadarSpec, Series, SeriesKind};
use crate::error::{Error, Result};
use crate::framework::Framework;
use crate::gap::{Gap, GapReport};

/// What the axes, columns or items of a chart are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum By {
    /// Competence areas (radar default).
    #[default]
    Area,
    /// Competences.
    Competence,
    /// Maturity dimensions.
    Dimension,
    /// Maturity categories.
    Category,
    /// Maturity capabilities.
    Capability,
}

impl By {
    fn name(self) -> &'static str {
        match self {
            By::Area => "area",
            By::Competence => "competence",
            By::Dimension => "dimension",
            By::Category => "category",
            By::Capability => "capability",
        }
    }

    fn only(self, allowed: &[By]) -> Result<By> {
        if allowed.contains(&self) {
            Ok(self)
        } else {
            let names: Vec<&str> = allowed.iter().map(|b| b.name()).collect();
            Err(Error::invalid(
                "by",
                format!(
                    "{:?} is not possible here (use {})",
                    self.name(),
                    names.join(" or ")
                ),
            ))
        }
    }
}

/// Mean of the present values; `None` when none is.
fn mean(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let (mut sum, mut count) = (0.0, 0usize);
    for v in values.flatten() {
        sum += v;
        count += 1;
    }
    (count > 0).then(|| sum / count as f64)
}

/// Axes of a radar from a gap report and the values of one series on them.
fn gap_axes(
    report: &GapReport,
    framework: &Framework,
    by: By,
    lang: Lang,
    value: &dyn Fn(&Gap) -> Option<f64>,
) -> Result<(Vec<Entry>, Vec<Option<f64>>)> {
    let tag = lang.tag();
    match by.only(&[By::Area, By::Competence])? {
        By::Competence => Ok(report
            .gaps
            .iter()
            .map(|g| {
                let name = framework
                    .competence(&g.competence)
                    .map(|c| c.name.get(tag).to_string());
                let entry = Entry {
                    label: g.competence.clone(),
                    name,
                };
                (entry, value(g))
            })
            .unzip()),
        _ => {
            let mut axes = Vec::new();
            let mut values = Vec::new();
            for area in &framework.areas {
                let gaps: Vec<&Gap> = report.gaps.iter().filter(|g| g.area == area.id).collect();
                if gaps.is_empty() {
                    continue;
                }
                axes.push(Entry::new(area.name.get(tag)));
                values.push(mean(gaps.iter().map(|g| value(g))));
            }
            Ok((axes, values))
        }
    }
}

impl RadarSpec {
    /// The radar of a gap report: the current level against the required
    /// level, per competence of the profile (`by = competence`; axes
    /// labelled with the competence id, named in `lang`) or per area that
    /// has requirements (`by = area`: the mean current level over the
    /// area's *rated* requirements, and the mean required level over *all*
    /// its requirements; an area without any rating has no current value).
    /// The scale is the framework's.
    ///
    /// Errors: the report was made with another framework (`invalid_value`
    /// at `framework`), `by` other than `area` or `competence`
    /// (`invalid_value` at `by`).
    pub fn from_gap_report(
        report: &GapReport,
        framework: &Framework,
        by: By,
        lang: Lang,
    ) -> Result<RadarSpec> {
        if report.framework != framework.id {
            return Err(Error::invalid(
                "framework",
                format!(
                    "the gap report was made with framework {:?}, not {:?}",
                    report.framework, framework.id
                ),
            ));
        }
        let (axes, current) = gap_axes(report, framework, by, lang, &|g| g.current.map(f64::from))?;
        let (_, required) = gap_axes(report, framework, by, lang, &|g| {
            Some(f64::from(g.required))
        })?;
        Ok(RadarSpec {
            axes,
            min: f64::from(framework.min_level()),
            max: f64::from(framework.max_level()),
            series: vec![
                Series::new(SeriesKind::Actual, current),
                Series::new(SeriesKind::Required, required),
            ],
        })
    }

    /// Add a series of levels by competence id (e.g. a peer or unit
    /// average) on the axes of [`RadarSpec::from_gap_report`] with the same
    /// report, framework and `by` (per area: the mean over the area's
    /// required competences that have a level).
    pub fn push_levels(
        &mut self,
        report: &GapReport,
        framework: &Framework,
        by: By,
        series: (SeriesKind, Option<String>),
        levels: &BTreeMap<String, f64>,
    ) -> Result<()> {
        let (_, values) = gap_axes(report, framework, by, Lang::En, &|g| {
            levels.get(&g.competence).copied()
        })?;
        self.series.push(Series {
            kind: series.0,
            label: series.1,
            values,
        });
        Ok(())
    }
}

#[cfg(feature = "aggregate")]
pub use aggregate::HeatmapSelect;

#[cfg(feature = "aggregate")]
mod aggregate {
    use std::collections::BTreeMap;

    use schemars::JsonSchema;
    use serde::{Deserialize, Serialize};

    use super::{By, Lang};
    use crate::aggregate::publish::{Publication, Table};
    use crate::aggregate::waves::WavePublication;
    use crate::aggregate::{Reason, Scope};
    use crate::chart::{ChangeSpec, Entry, HeatCell, HeatMetric, HeatmapSpec, ValueUnit};
    use crate::error::{Error, Result};
    use crate::framework::Framework;

    /// Which cells of a publication a heatmap shows.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct HeatmapSelect {
        /// `coverage` (default) or `mean_shortfall`.
        #[serde(default)]
        pub metric: HeatMetric,
        /// `rollup` (default: the unit and everything below it) or `own`.
        #[serde(default = "rollup")]
        pub scope: Scope,
        /// Columns: `competence` (default) or `area` (needs area rows).
        #[serde(default = "competence")]
        pub by: By,
        /// One role's cells (the `role_unit` table); default: all roles
        /// (the `unit` table).
        #[serde(default)]
        pub role: Option<String>,
        /// Display names of units by id (default: the ids).
        #[serde(default)]
        pub unit_names: BTreeMap<String, String>,
    }

    fn rollup() -> Scope {
        Scope::Rollup
    }
    fn competence() -> By {
        By::Competence
    }

    impl Default for HeatmapSelect {
        fn default() -> Self {
            HeatmapSelect {
                metric: HeatMetric::Coverage,
                scope: Scope::Rollup,
                by: By::Competence,
                role: None,
                unit_names: BTreeMap::new(),
            }
        }
    }

    /// The snake_case name of a reason.
    pub(crate) fn reason_name(r: Reason) -> &'static str {
        match r {
            Reason::Primary => "primary",
            Reason::Secondary => "secondary",
            Reason::RolledUp => "rolled_up",
        }
    }

    /// Position of `key` in `list`, appending it when new.
    fn slot(list: &mut Vec<String>, key: &str) -> usize {
        match list.iter().position(|k| k == key) {
            Some(i) => i,
            None => {
                list.push(key.to_string());
                list.len() - 1
            }
        }
    }

    impl HeatmapSpec {
        /// The heatmap of published aggregate rows: units (in the order
        /// they first occur) × competences or areas, coverage or mean
        /// shortfall. Withheld rows become withheld cells with their
        /// reason (never zeros); cells without a row or without a value
        /// (nobody rated) are missing, and columns with no value and no
        /// withheld cell in any unit are left out. With a framework, columns carry the
        /// competence (area) names in `lang` and the shortfall scale is the
        /// framework's span of levels.
        ///
        /// Errors: no matching rows (`empty` at `publication.rows`), `by`
        /// not `competence` or `area` (`invalid_value` at `by`).
        pub fn from_publication(
            publication: &Publication,
            select: &HeatmapSelect,
            framework: Option<&Framework>,
            lang: Lang,
        ) -> Result<HeatmapSpec> {
            let by = select.by.only(&[By::Competence, By::Area])?;
            let table = if select.role.is_some() {
                Table::RoleUnit
            } else {
                Table::Unit
            };
            let mut units: Vec<String> = Vec::new();
            let mut columns: Vec<String> = Vec::new();
            let mut cells: BTreeMap<(usize, usize), HeatCell> = BTreeMap::new();
            for row in &publication.rows {
                if row.table != table || row.scope != Some(select.scope) || row.role != select.role
                {
                    continue;
                }
                let column = match (by, &row.competence, &row.area) {
                    (By::Competence, Some(c), _) => c,
                    (By::Area, None, Some(a)) => a,
                    _ => continue,
                };
                let Some(unit) = &row.unit else { continue };
                let u = slot(&mut units, unit);
                let c = slot(&mut columns, column);
                let cell = match row.suppressed {
                    Some(r) => HeatCell::withheld(reason_name(r)),
                    None => HeatCell {
                        value: match select.metric {
                            HeatMetric::Coverage => row.coverage,
                            HeatMetric::MeanShortfall => row.mean_shortfall,
                        },
                        withheld: None,
                        people: row.people,
                    },
                };
                cells.insert((u, c), cell);
            }
            if units.is_empty() {
                return Err(Error::Empty {
                    location: "publication.rows".into(),
                });
            }
            let tag = lang.tag();
            let column_entry = |id: &String| -> Entry {
                let name = framework.and_then(|fw| match by {
                    By::Area => fw
                        .areas
                        .iter()
                        .find(|a| &a.id == id)
                        .map(|a| a.name.get(tag).to_string()),
                    _ => fw.competence(id).map(|c| c.name.get(tag).to_string()),
                });
                Entry {
                    label: id.clone(),
                    name,
                }
            };
            let rows = units
                .iter()
                .map(|u| match select.unit_names.get(u) {
                    Some(name) => Entry::named(name, u),
                    None => Entry::new(u),
                })
                .collect();
            // columns without data in any unit (nobody required or rated)
            // say nothing: leave them out
            let keep: Vec<usize> = (0..columns.len())
                .filter(|&c| {
                    (0..units.len()).any(|u| {
                        cells
                            .get(&(u, c))
                            .is_some_and(|x| x.value.is_some() || x.withheld.is_some())
                    })
                })
                .collect();
            let grid = (0..units.len())
                .map(|u| {
                    keep.iter()
                        .map(|&c| cells.remove(&(u, c)).unwrap_or_default())
                        .collect()
                })
                .collect();
            Ok(HeatmapSpec {
                rows,
                columns: keep.iter().map(|&c| column_entry(&columns[c])).collect(),
                metric: select.metric,
                max: framework.map(|fw| f64::from(fw.max_level() - fw.min_level())),
                cells: grid,
            })
        }
    }

    impl ChangeSpec {
        /// The change chart of a published wave comparison for one unit
        /// (default: the unit of the first row) and scope: the mean level
        /// before and after, per competence, or per area (needs the
        /// framework: the means of the area's competences weighted by
        /// their paired people; an area with a withheld competence is
        /// withheld, `primary` when one of them is primary, like the gap
        /// table's area rows). The scale is the framework's, else 0 to the largest
        /// mean rounded up.
        ///
        /// Errors: no rows for the unit and scope (`empty` at
        /// `publication.rows`); `by = area` without a framework
        /// (`missing_value` at `framework`); `by` not `competence` or
        /// `area` (`invalid_value` at `by`).
        pub fn from_waves(
            publication: &WavePublication,
            unit: Option<&str>,
            scope: Scope,
            framework: Option<&Framework>,
            by: By,
            lang: Lang,
        ) -> Result<ChangeSpec> {
            let by = by.only(&[By::Competence, By::Area])?;
            let unit = match unit {
                Some(u) => u.to_string(),
                None => publication
                    .rows
                    .first()
                    .map(|r| r.unit.clone())
                    .unwrap_or_default(),
            };
            let rows: Vec<_> = publication
                .rows
                .iter()
                .filter(|r| r.unit == unit && r.scope == scope)
                .collect();
            if rows.is_empty() {
                return Err(Error::Empty {
                    location: "publication.rows".into(),
                });
            }
            let tag = lang.tag();
            let mut items = Vec::new();
            let (mut before, mut after, mut withheld) = (Vec::new(), Vec::new(), Vec::new());
            match by {
                By::Competence => {
                    for r in &rows {
                        let name = framework
                            .and_then(|fw| fw.competence(&r.competence))
                            .map(|c| c.name.get(tag).to_string());
                        items.push(Entry {
                            label: r.competence.clone(),
                            name,
                        });
                        before.push(r.mean_before);
                        after.push(r.mean_after);
                        withheld.push(r.suppressed.map(|x| reason_name(x).to_string()));
                    }
                }
                _ => {
                    let fw = framework.ok_or_else(|| Error::MissingValue {
                        location: "framework".into(),
                        what: "framework (areas of the competences)".into(),
                    })?;
                    for area in &fw.areas {
                        let in_area: Vec<_> = rows
                            .iter()
                            .filter(|r| fw.area_of(&r.competence) == Some(area.id.as_str()))
                            .collect();
                        if in_area.is_empty() {
                            continue;
                        }
                        items.push(Entry::new(area.name.get(tag)));
                        // as the gap table's area rows: primary when one
                        // of its competences is, else the first reason
                        let primary = in_area
                            .iter()
                            .find_map(|r| r.suppressed.filter(|x| *x == Reason::Primary));
                        let reason = primary.or_else(|| in_area.iter().find_map(|r| r.suppressed));
                        if let Some(r) = reason {
                            withheld.push(Some(reason_name(r).to_string()));
                            before.push(None);
                            after.push(None);
                            continue;
                        }
                        let (mut pairs, mut sb, mut sa) = (0u64, 0.0, 0.0);
                        for r in &in_area {
                            if let (Some(p), Some(b), Some(a)) =
                                (r.paired, r.mean_before, r.mean_after)
                            {
                                pairs += p;
                                sb += p as f64 * b;
                                sa += p as f64 * a;
                            }
                        }
                        withheld.push(None);
                        if pairs > 0 {
                            before.push(Some(sb / pairs as f64));
                            after.push(Some(sa / pairs as f64));
                        } else {
                            before.push(None);
                            after.push(None);
                        }
                    }
                }
            }
            let (min, max) = match framework {
                Some(fw) => (f64::from(fw.min_level()), f64::from(fw.max_level())),
                None => {
                    let top = before
                        .iter()
                        .chain(&after)
                        .flatten()
                        .fold(1.0_f64, |m, v| m.max(v.ceil()));
                    (0.0, top)
                }
            };
            if withheld.iter().all(Option::is_none) {
                withheld.clear();
            }
            Ok(ChangeSpec {
                items,
                before,
                after,
                withheld,
                unit: ValueUnit::Level,
                min,
                max: Some(max),
                before_label: None,
                after_label: None,
            })
        }
    }
}

#[cfg(feature = "maturity")]
mod maturity {
    use super::{By, Lang};
    use crate::chart::words::{word, Word};
    use crate::chart::{
        ChangeSpec, Entry, QuadrantPoint, QuadrantSpec, QuadrantType, Series, SeriesKind, Side,
        SpiderSpec, ValueUnit,
    };
    use crate::error::{Error, Result};
    use crate::maturity::{
        Benchmark, Comparison, MaturityModel, MaturitySettings, Percentage, ResultSummary,
    };

    fn check_model(model: &MaturityModel, result: &ResultSummary, location: &str) -> Result<()> {
        match &result.model {
            Some(m) if m != &model.id => Err(Error::invalid(
                format!("{location}.model"),
                format!("the result is of model {m:?}, not {:?}", model.id),
            )),
            _ => Ok(()),
        }
    }

    fn find(list: &[Percentage], id: &str) -> Option<f64> {
        list.iter().find(|p| p.id == id).and_then(|p| p.percentage)
    }

    /// A type name without a leading "Type A: " (the id is drawn anyway).
    fn short_name(name: &str, id: &str) -> String {
        match name.split_once(": ") {
            Some((head, rest)) if head.split_whitespace().any(|w| w == id) => rest.to_string(),
            _ => name.to_string(),
        }
    }

    impl QuadrantSpec {
        /// The quadrant of a maturity result: x and y are the model's
        /// classification dimensions (DiMiOS: förmåga, arv), the cuts come
        /// from `settings` (`quadrant_cut_x`, `quadrant_cut_y`), the types
        /// and the axis names from the model in `lang`. `label` names the
        /// organisation (default "Organisation"); `peers` (label, result)
        /// are placed too, leaving out peers without both percentages.
        ///
        /// Errors: the model has no classification (`missing_value` at
        /// `model.classification`), the result lacks a classification
        /// dimension (`missing_value` at `result.dimensions`), a result of
        /// another model (`invalid_value`).
        pub fn from_result(
            model: &MaturityModel,
            result: &ResultSummary,
            settings: &MaturitySettings,
            label: Option<&str>,
            peers: &[(String, ResultSummary)],
            lang: Lang,
        ) -> Result<QuadrantSpec> {
            let cls = model
                .classification
                .as_ref()
                .ok_or_else(|| Error::MissingValue {
                    location: "model.classification".into(),
                    what: "a quadrant classification".into(),
                })?;
            check_model(model, result, "result")?;
            let tag = lang.tag();
            let dim_name = |id: &str| {
                model
                    .dimensions
                    .iter()
                    .find(|d| d.id == id)
                    .map(|d| d.name.get(tag).to_string())
                    .unwrap_or_else(|| id.to_string())
            };
            let get = |r: &ResultSummary, id: &str| find(&r.dimensions, id);
            let need = |id: &str| {
                get(result, id).ok_or_else(|| Error::MissingValue {
                    location: "result.dimensions".into(),
                    what: format!("percentage of dimension {id:?}"),
                })
            };
            let mut points = vec![QuadrantPoint {
                label: label
                    .map(str::to_string)
                    .unwrap_or_else(|| word(Word::Organisation, lang).to_string()),
                x: need(&cls.x)?,
                y: need(&cls.y)?,
                kind: SeriesKind::Actual,
            }];
            for (i, (name, peer)) in peers.iter().enumerate() {
                check_model(model, peer, &format!("peers[{i}].result"))?;
                if let (Some(x), Some(y)) = (get(peer, &cls.x), get(peer, &cls.y)) {
                    points.push(QuadrantPoint {
                        label: name.clone(),
                        x,
                        y,
                        kind: SeriesKind::Peer,
                    });
                }
            }
            let side = |s: crate::maturity::Side| match s {
                crate::maturity::Side::Low => Side::Low,
                crate::maturity::Side::High => Side::High,
            };
            Ok(QuadrantSpec {
                x_label: dim_name(&cls.x),
                y_label: dim_name(&cls.y),
                cut_x: settings.quadrant_cut_x,
                cut_y: settings.quadrant_cut_y,
                types: cls
                    .types
                    .iter()
                    .map(|t| QuadrantType {
                        id: t.id.clone(),
                        x: side(t.x),
                        y: side(t.y),
                        name: Some(short_name(t.name.get(tag), &t.id)),
                    })
                    .collect(),
                points,
            })
        }
    }

    fn category_axes(model: &MaturityModel, lang: Lang) -> Vec<(String, Entry)> {
        model
            .categories()
            .into_iter()
            .map(|(_, c)| (c.id.clone(), Entry::new(c.name.get(lang.tag()))))
            .collect()
    }

    fn peer_label(n: usize, lang: Lang) -> String {
        format!("{} (n = {n})", word(Word::PeerAverage, lang))
    }

    impl SpiderSpec {
        /// The spider of a maturity result: one axis per category of the
        /// model (DiMiOS: six), the organisation's percentages and, with
        /// `peers`, the peer average per category (the mean over the peers
        /// that have it). `label` names the organisation.
        ///
        /// Errors: a result of another model (`invalid_value`).
        pub fn from_result(
            model: &MaturityModel,
            result: &ResultSummary,
            peers: &[ResultSummary],
            label: Option<&str>,
            lang: Lang,
        ) -> Result<SpiderSpec> {
            check_model(model, result, "result")?;
            for (i, p) in peers.iter().enumerate() {
                check_model(model, p, &format!("peers[{i}]"))?;
            }
            let cats = category_axes(model, lang);
            let own = cats
                .iter()
                .map(|(id, _)| find(&result.categories, id))
                .collect();
            let mut series = vec![Series {
                kind: SeriesKind::Actual,
                label: Some(
                    label
                        .map(str::to_string)
                        .unwrap_or_else(|| word(Word::Organisation, lang).to_string()),
                ),
                values: own,
            }];
            if !peers.is_empty() {
                let avg = cats
                    .iter()
                    .map(|(id, _)| super::mean(peers.iter().map(|p| find(&p.categories, id))))
                    .collect();
                series.push(Series {
                    kind: SeriesKind::Peer,
                    label: Some(peer_label(peers.len(), lang)),
                    values: avg,
                });
            }
            Ok(SpiderSpec {
                axes: cats.into_iter().map(|(_, e)| e).collect(),
                series,
            })
        }

        /// The spider of a peer benchmark: per category of the model, the
        /// own percentage and the peer mean.
        pub fn from_benchmark(
            model: &MaturityModel,
            benchmark: &Benchmark,
            label: Option<&str>,
            lang: Lang,
        ) -> Result<SpiderSpec> {
            let cats = category_axes(model, lang);
            let line = |id: &str| benchmark.categories.iter().find(|l| l.id == id);
            Ok(SpiderSpec {
                series: vec![
                    Series {
                        kind: SeriesKind::Actual,
                        label: Some(
                            label
                                .map(str::to_string)
                                .unwrap_or_else(|| word(Word::Organisation, lang).to_string()),
                        ),
                        values: cats
                            .iter()
                            .map(|(id, _)| line(id).and_then(|l| l.own))
                            .collect(),
                    },
                    Series {
                        kind: SeriesKind::Peer,
                        label: Some(peer_label(benchmark.n_peers, lang)),
                        values: cats
                            .iter()
                            .map(|(id, _)| line(id).and_then(|l| l.peer_mean))
                            .collect(),
                    },
                ],
                axes: cats.into_iter().map(|(_, e)| e).collect(),
            })
        }
    }

    impl ChangeSpec {
        /// The change chart of a maturity comparison: per category
        /// (default), dimension or capability, the previous and the current
        /// percentage and the change in percentage points. With the model,
        /// items carry their names in `lang`.
        ///
        /// Errors: `by` not `dimension`, `category` or `capability`
        /// (`invalid_value` at `by`), nothing to show (`empty`).
        pub fn from_comparison(
            comparison: &Comparison,
            model: Option<&MaturityModel>,
            by: By,
            lang: Lang,
        ) -> Result<ChangeSpec> {
            let by = by.only(&[By::Dimension, By::Category, By::Capability])?;
            let (list, loc) = match by {
                By::Dimension => (&comparison.dimensions, "comparison.dimensions"),
                By::Capability => (&comparison.capabilities, "comparison.capabilities"),
                _ => (&comparison.categories, "comparison.categories"),
            };
            if list.is_empty() {
                return Err(Error::Empty {
                    location: loc.into(),
                });
            }
            let tag = lang.tag();
            let name = |id: &str| -> Option<String> {
                let m = model?;
                match by {
                    By::Dimension => m
                        .dimensions
                        .iter()
                        .find(|d| d.id == id)
                        .map(|d| d.name.get(tag).to_string()),
                    By::Capability => m
                        .capabilities()
                        .into_iter()
                        .find(|(_, _, c)| c.id == id)
                        .map(|(_, _, c)| c.name.get(tag).to_string()),
                    _ => m
                        .categories()
                        .into_iter()
                        .find(|(_, c)| c.id == id)
                        .map(|(_, c)| c.name.get(tag).to_string()),
                }
            };
            Ok(ChangeSpec {
                items: list
                    .iter()
                    .map(|c| match name(&c.id) {
                        Some(nm) => Entry::new(&nm),
                        None => Entry::new(&c.id),
                    })
                    .collect(),
                before: list.iter().map(|c| c.previous).collect(),
                after: list.iter().map(|c| c.current).collect(),
                withheld: Vec::new(),
                unit: ValueUnit::Percent,
                min: 0.0,
                max: Some(100.0),
                before_label: None,
                after_label: None,
            })
        }
    }
}
