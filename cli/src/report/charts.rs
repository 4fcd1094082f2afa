//! The report's pictures, all drawn by [`kompetens::chart`]; this module
//! only hands the report's data to the chart converters, gives every chart
//! its own element id, and inlines the SVG (without the `xmlns` attribute,
//! which inline SVG in HTML does not need, so that the page names no URL at
//! all). `None` = no picture for this input.

use std::collections::BTreeMap;

use kompetens::aggregate::Scope;
use kompetens::chart::{
    self, By, ChangeSpec, ChartOptions, HeatMetric, HeatmapSelect, HeatmapSpec, QuadrantSpec,
    SpiderSpec,
};
use kompetens::maturity::ResultSummary;

use super::{CompetenceData, MaturityData, WaveChangeData};
use crate::commands::Lang;
use crate::error::CliError;

fn lang_of(lang: Lang) -> chart::Lang {
    match lang {
        Lang::En => chart::Lang::En,
        Lang::Sv => chart::Lang::Sv,
    }
}

fn options(id: &str, lang: Lang) -> ChartOptions {
    ChartOptions {
        lang: lang_of(lang),
        id: Some(id.to_string()),
        ..ChartOptions::default()
    }
}

/// The SVG for inline use in HTML.
fn inline(svg: String) -> String {
    svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
}

fn err(e: &kompetens::Error, what: &str) -> CliError {
    CliError::core(e, &format!("chart {what}"))
}

/// Units × competences coverage (rolled up, units in tree order), withheld
/// cells hatched.
pub fn heatmap(c: &CompetenceData, lang: Lang) -> Result<Option<String>, CliError> {
    let tag = lang.tag();
    let unit_names: BTreeMap<String, String> = c
        .org
        .units
        .iter()
        .map(|u| (u.id.clone(), u.name.get(tag).to_string()))
        .collect();
    let select = HeatmapSelect {
        metric: HeatMetric::Coverage,
        scope: Scope::Rollup,
        by: By::Competence,
        role: None,
        unit_names,
    };
    let mut spec = match HeatmapSpec::from_publication(
        &c.publication,
        &select,
        Some(&c.org.framework),
        lang_of(lang),
    ) {
        Ok(s) => s,
        Err(kompetens::Error::Empty { .. }) => return Ok(None),
        Err(e) => return Err(err(&e, "heatmap")),
    };
    // The converter keeps the unit id as the row's full name (for the
    // tooltips and the description); a reader knows the units by name.
    for row in &mut spec.rows {
        row.name = None;
    }
    chart::heatmap(&spec, &options("heatmap", lang))
        .map(|s| Some(inline(s)))
        .map_err(|e| err(&e, "heatmap"))
}

fn org_label(m: &MaturityData) -> Option<&str> {
    m.year.as_deref()
}

/// The quadrant with the organisation. (Its units are not placed: they
/// sit close to the organisation and their labels would overlap; the units
/// table lists their types.)
pub fn quadrant(m: &MaturityData, lang: Lang) -> Result<Option<String>, CliError> {
    let settings = m.result.settings.clone().unwrap_or_default();
    let spec = QuadrantSpec::from_result(
        &m.model,
        &ResultSummary::from(&m.result),
        &settings,
        None,
        &[],
        lang_of(lang),
    );
    let spec = match spec {
        Ok(s) => s,
        // a model without a classification, or a result without both axes
        Err(kompetens::Error::MissingValue { .. }) => return Ok(None),
        Err(e) => return Err(err(&e, "quadrant")),
    };
    chart::quadrant(&spec, &options("quadrant", lang))
        .map(|s| Some(inline(s)))
        .map_err(|e| err(&e, "quadrant"))
}

/// The spider chart of the categories, against the previous measurement
/// when there is one.
pub fn spider(m: &MaturityData, lang: Lang) -> Result<Option<String>, CliError> {
    let previous: Vec<ResultSummary> = m.previous.iter().map(ResultSummary::from).collect();
    let mut spec = SpiderSpec::from_result(
        &m.model,
        &ResultSummary::from(&m.result),
        &previous,
        org_label(m),
        lang_of(lang),
    )
    .map_err(|e| err(&e, "spider"))?;
    // The second series is the previous measurement, not a peer average.
    if let (Some(s), Some(label)) = (spec.series.get_mut(1), m.previous_year.as_deref()) {
        s.label = Some(label.to_string());
    } else if let (Some(s), None) = (spec.series.get_mut(1), m.previous_year.as_deref()) {
        s.label = Some(match lang {
            Lang::En => "Previous".to_string(),
            Lang::Sv => "Föregående".to_string(),
        });
    }
    if spec.axes.is_empty() {
        return Ok(None);
    }
    chart::spider(&spec, &options("spider", lang))
        .map(|s| Some(inline(s)))
        .map_err(|e| err(&e, "spider"))
}

/// Competence levels before and after, per area, for the whole
/// organisation (rolled up); per competence when the areas cannot be
/// formed.
pub fn wave_change(
    c: &CompetenceData,
    ch: &WaveChangeData,
    lang: Lang,
) -> Result<Option<String>, CliError> {
    let tree = &c.layout.tree;
    let Some(root) = tree.roots().first().map(|&u| tree.id(u as usize)) else {
        return Ok(None);
    };
    let spec = ChangeSpec::from_waves(
        &ch.publication,
        Some(root),
        Scope::Rollup,
        Some(&c.org.framework),
        By::Area,
        lang_of(lang),
    )
    .or_else(|_| {
        ChangeSpec::from_waves(
            &ch.publication,
            Some(root),
            Scope::Rollup,
            Some(&c.org.framework),
            By::Competence,
            lang_of(lang),
        )
    });
    let mut spec = match spec {
        Ok(s) => s,
        Err(kompetens::Error::Empty { .. }) => return Ok(None),
        Err(e) => return Err(err(&e, "change")),
    };
    spec.before_label = Some(ch.before.clone());
    spec.after_label = Some(ch.after.clone());
    chart::change(&spec, &options("change-competence", lang))
        .map(|s| Some(inline(s)))
        .map_err(|e| err(&e, "change"))
}

/// DiMiOS change per category.
pub fn maturity_change(m: &MaturityData, lang: Lang) -> Result<Option<String>, CliError> {
    let Some(cmp) = &m.comparison else {
        return Ok(None);
    };
    let mut spec =
        match ChangeSpec::from_comparison(cmp, Some(&m.model), By::Category, lang_of(lang)) {
            Ok(s) => s,
            Err(kompetens::Error::Empty { .. }) => return Ok(None),
            Err(e) => return Err(err(&e, "maturity change")),
        };
    if let Some(y) = &m.previous_year {
        spec.before_label = Some(y.clone());
    }
    if let Some(y) = &m.year {
        spec.after_label = Some(y.clone());
    }
    chart::change(&spec, &options("change-maturity", lang))
        .map(|s| Some(inline(s)))
        .map_err(|e| err(&e, "maturity change"))
}
