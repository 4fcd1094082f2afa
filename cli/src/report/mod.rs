//! `kompetens report`: one self-contained HTML file (inline SVG and CSS, no
//! script, no external resource) for a management group — an overview, the
//! unit heatmap, the largest needs per unit, training demand, the DiMiOS
//! result and the change between waves — from the demo organisation
//! (`--demo`) or from real files.
//!
//! Every figure comes from the core ([`kompetens::demo`] organisation
//! methods, [`kompetens::aggregate`], [`kompetens::maturity`]); every
//! picture from [`kompetens::chart`]. This module only gathers the inputs
//! ([`build`]) and lays them out ([`html::render`]).

pub mod charts;
pub mod html;
pub mod i18n;
pub mod input;

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use kompetens::aggregate::{
    audit_rows, compare_waves, demand_list_with, publish, publish_waves, AggregateState,
    AuditReport, Batch, DemandLine, Layout, Publication, PublishOptions, Suppression,
    Wave as ChangeWave, WavePublication,
};
use kompetens::demo::{DemoOrganisation, DimiosRole, Summary, DEMO_MIN_GROUP, DEMO_POLICY};
use kompetens::maturity::{
    compare, Comparison, MaturityModel, MaturitySettings, MeasurementResult, ResultSummary,
};
use kompetens::Policy;

use crate::commands::{Form, Lang};
use crate::error::CliError;

/// Arguments of `kompetens report`.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Use the built-in synthetic culture department (competence ratings in
    /// two waves and two DiMiOS measurements) instead of files.
    #[arg(long, conflicts_with_all = ["profiles", "units", "assessments", "dimios", "dimios_previous"])]
    pub demo: bool,
    /// Write the HTML here (otherwise to standard output).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Language of the report (Swedish by default: it is written for a
    /// Swedish management group; `en` for English).
    #[arg(long, value_enum, default_value = "sv")]
    pub lang: Lang,
    /// Smallest group shown: competence cells with fewer people counted and
    /// DiMiOS units with fewer respondents are withheld.
    #[arg(long, value_name = "N", default_value_t = DEMO_MIN_GROUP)]
    pub min_group: u64,
    /// Name of the organisation in the heading (default: the root unit's
    /// name).
    #[arg(long)]
    pub name: Option<String>,
    /// A built-in framework (digcomp-2.2, digcomp-3.0) or a framework file.
    #[arg(long, value_name = "NAME|FILE", default_value = "digcomp-2.2")]
    pub framework: String,
    /// Role profiles (.json or .toml), as for `kompetens gaps`.
    #[arg(long, value_name = "FILE")]
    pub profiles: Option<PathBuf>,
    /// The unit tree: JSON (`[{"id", "parent", "name"}]`, or an object with
    /// `units`) or CSV with the columns `id,parent,name`.
    #[arg(long, value_name = "FILE")]
    pub units: Option<PathBuf>,
    /// Assessments (CSV long or wide form, or JSON), as for `kompetens
    /// gaps`, with `unit`, `role` and `wave`; repeat the flag for several
    /// files (e.g. one per wave).
    #[arg(long, value_name = "FILE")]
    pub assessments: Vec<PathBuf>,
    /// CSV layout of the assessments, when detection should be overridden.
    #[arg(long, value_enum)]
    pub form: Option<Form>,
    /// Source of CSV ratings when the file has no `source` column.
    #[arg(long, value_name = "SOURCE")]
    pub source: Option<String>,
    /// Reconciliation policy for several ratings of one competence.
    #[arg(long, default_value = DEMO_POLICY)]
    pub policy: String,
    /// Role for assessments that name none.
    #[arg(long)]
    pub role: Option<String>,
    /// The wave to report (default: the latest, in sorted order).
    #[arg(long)]
    pub wave: Option<String>,
    /// The earlier wave to compare with (default: the wave before).
    #[arg(long, value_name = "WAVE")]
    pub compare_with: Option<String>,
    /// DiMiOS responses: JSON `{items, rows, units?}` or CSV with one
    /// column per item id and optional `unit` and `respondent` columns.
    #[arg(long, value_name = "FILE")]
    pub dimios: Option<PathBuf>,
    /// The previous DiMiOS measurement, same format, for the change.
    #[arg(long, value_name = "FILE", requires = "dimios")]
    pub dimios_previous: Option<PathBuf>,
    /// The maturity model of the responses: a built-in name or a file.
    #[arg(long, value_name = "NAME|FILE", default_value = "dimios")]
    pub maturity_model: String,
    /// Year (or label) of the DiMiOS measurement.
    #[arg(long, value_name = "LABEL")]
    pub dimios_year: Option<String>,
    /// Year (or label) of the previous DiMiOS measurement.
    #[arg(long, value_name = "LABEL")]
    pub dimios_previous_year: Option<String>,
}

/// Where the data come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// The synthetic demo organisation.
    Demo,
    /// Files: `(flag, path)`.
    Files(Vec<(String, String)>),
}

/// The competence part of a report: one wave, rolled up and protected.
#[derive(Debug, Clone)]
pub struct CompetenceData {
    /// The organisation (units, profiles, framework, waves).
    pub org: DemoOrganisation,
    /// The policy as given.
    pub policy: String,
    /// The reported wave.
    pub wave: String,
    /// Readiness per unit in the reported wave.
    pub summary: Summary,
    /// Mean readiness of the whole organisation per wave, oldest first.
    pub trend: Vec<(String, Option<f64>)>,
    /// The aggregation layout (tree, competences, roles).
    pub layout: Arc<Layout>,
    /// The protected unit table with the top needs.
    pub publication: Publication,
    /// [`audit_rows`] on the published rows.
    pub audit: AuditReport,
    /// The protected training-demand list.
    pub demand: Vec<DemandLine>,
    /// The change since an earlier wave.
    pub change: Option<WaveChangeData>,
}

/// The change between two waves.
#[derive(Debug, Clone)]
pub struct WaveChangeData {
    /// Earlier wave.
    pub before: String,
    /// Later wave (the reported one).
    pub after: String,
    /// People on both rosters.
    pub people_in_both: usize,
    /// The protected comparison.
    pub publication: WavePublication,
}

/// The maturity part of a report.
#[derive(Debug, Clone)]
pub struct MaturityData {
    /// The model (names of dimensions, categories, types).
    pub model: MaturityModel,
    /// Label of the measurement.
    pub year: Option<String>,
    /// Label of the previous measurement.
    pub previous_year: Option<String>,
    /// The scored measurement (with units when the rows have units).
    pub result: MeasurementResult,
    /// The previous measurement.
    pub previous: Option<MeasurementResult>,
    /// Change since the previous measurement.
    pub comparison: Option<Comparison>,
    /// Respondents by role (demo only): managers, strategists, developers.
    pub by_role: Option<[usize; 3]>,
    /// Smallest unit shown.
    pub min_respondents: usize,
}

/// Everything a report shows.
#[derive(Debug, Clone)]
pub struct Report {
    /// Language.
    pub lang: Lang,
    /// Organisation name.
    pub org_name: String,
    /// Where the data come from.
    pub origin: Origin,
    /// Smallest group shown.
    pub min_group: u64,
    /// Competence sections, if there were ratings.
    pub competence: Option<CompetenceData>,
    /// Maturity section, if there were responses.
    pub maturity: Option<MaturityData>,
}

fn core(ctx: &str) -> impl Fn(kompetens::Error) -> CliError + '_ {
    move |e| CliError::core(&e, ctx)
}

/// Aggregate one wave of `org` (and the change since `previous`).
pub fn competence_data(
    org: DemoOrganisation,
    policy_text: &str,
    wave: &str,
    previous: Option<&str>,
    min_group: u64,
    ctx: &str,
) -> Result<CompetenceData, CliError> {
    let policy: Policy = policy_text
        .parse()
        .map_err(|e| CliError::core(&e, "--policy"))?;
    let err = core(ctx);
    let mut trend = Vec::new();
    let mut summary = None;
    for w in &org.waves {
        let s = org.summary(&w.id, &policy, 0).map_err(&err)?;
        trend.push((w.id.clone(), s.units.first().and_then(|u| u.mean_readiness)));
        if w.id == wave {
            summary = Some(s);
        }
    }
    let summary = summary.ok_or_else(|| {
        CliError::new(
            "unknown_reference",
            "--wave",
            format!("no assessments in wave {wave:?}"),
        )
    })?;
    let layout = org.aggregate_layout().map_err(&err)?;
    let m = org.wave_matrix(wave, &policy, &layout).map_err(&err)?;
    let mut state = AggregateState::new(Arc::clone(&layout));
    state
        .update(&Batch {
            levels: m.levels.view(),
            units: m.units.view(),
            roles: Some(m.roles.view()),
            required: None,
        })
        .map_err(&err)?;
    let agg = state.finish();
    let opts = PublishOptions {
        min_group,
        suppression: Suppression::Secondary,
        role_table: Some(false),
        role_unit_table: false,
        areas: Some(false),
        top: 3,
    };
    let publication = publish(&agg, &opts).map_err(|e| CliError::core(&e, "--min-group"))?;
    let audit = audit_rows(&layout.tree, &publication.rows, min_group).map_err(&err)?;
    // protected together with the gap table the report shows (these options)
    let demand = demand_list_with(&agg, &opts).map_err(&err)?;
    let change = match previous {
        None => None,
        Some(p) => {
            let b = org.wave_matrix(p, &policy, &layout).map_err(&err)?;
            let cmp = compare_waves(
                &layout,
                &ChangeWave {
                    ids: &b.ids,
                    levels: b.levels.view(),
                    units: b.units.view(),
                },
                &ChangeWave {
                    ids: &m.ids,
                    levels: m.levels.view(),
                    units: m.units.view(),
                },
            )
            .map_err(&err)?;
            let publication =
                publish_waves(&cmp, min_group, Suppression::Secondary).map_err(&err)?;
            let after: HashSet<&str> = m.ids.iter().map(String::as_str).collect();
            Some(WaveChangeData {
                before: p.to_string(),
                after: wave.to_string(),
                people_in_both: b
                    .ids
                    .iter()
                    .filter(|id| after.contains(id.as_str()))
                    .count(),
                publication,
            })
        }
    };
    Ok(CompetenceData {
        org,
        policy: policy_text.to_string(),
        wave: wave.to_string(),
        summary,
        trend,
        layout,
        publication,
        audit,
        demand,
        change,
    })
}

/// Settings of the maturity scoring: the model's defaults with the
/// report's smallest group.
pub fn maturity_settings(min_group: u64) -> MaturitySettings {
    MaturitySettings {
        min_respondents: usize::try_from(min_group).unwrap_or(usize::MAX),
        ..MaturitySettings::default()
    }
}

/// The change between two measurements.
pub fn maturity_comparison(
    current: &MeasurementResult,
    previous: Option<&MeasurementResult>,
) -> Result<Option<Comparison>, CliError> {
    previous
        .map(|p| {
            compare(&ResultSummary::from(current), &ResultSummary::from(p))
                .map_err(|e| CliError::core(&e, "--dimios-previous"))
        })
        .transpose()
}

/// The report of the demo organisation.
pub fn build_demo(args: &ReportArgs) -> Result<Report, CliError> {
    let err = core("demo");
    let org = DemoOrganisation::generate().map_err(&err)?;
    let wave = match &args.wave {
        Some(w) => w.clone(),
        None => org
            .latest_wave()
            .map(|w| w.id.clone())
            .ok_or_else(|| CliError::new("empty", "demo", "the demo has no waves"))?,
    };
    if org.wave(&wave).is_none() {
        return Err(CliError::new(
            "unknown_reference",
            "--wave",
            format!(
                "the demo has no wave {wave:?} (waves: {})",
                org.waves
                    .iter()
                    .map(|w| w.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    let previous = match &args.compare_with {
        Some(p) => Some(p.clone()),
        None => org
            .waves
            .iter()
            .position(|w| w.id == wave)
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| org.waves.get(i))
            .map(|w| w.id.clone()),
    };
    if let Some(p) = &previous {
        if org.wave(p).is_none() || *p == wave {
            return Err(CliError::new(
                "unknown_reference",
                "--compare-with",
                format!("{p:?} is not another wave of the demo"),
            ));
        }
    }

    // DiMiOS: the measurement of the wave's year, or the latest one.
    let years = org.dimios_years().map_err(&err)?;
    let year = if years.contains(&wave) {
        wave.clone()
    } else {
        years
            .last()
            .cloned()
            .ok_or_else(|| CliError::new("empty", "demo", "the demo has no DiMiOS years"))?
    };
    let previous_year = years
        .iter()
        .position(|y| *y == year)
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| years.get(i))
        .cloned();
    let settings = maturity_settings(args.min_group);
    let result = org.score_dimios(&year, &settings).map_err(&err)?;
    let previous_result = previous_year
        .as_deref()
        .map(|y| org.score_dimios(y, &settings))
        .transpose()
        .map_err(&err)?;
    let comparison = maturity_comparison(&result, previous_result.as_ref())?;
    let mut counts: BTreeMap<DimiosRole, usize> = BTreeMap::new();
    for r in org.dimios_measurement(&year).map_err(&err)?.respondents {
        *counts.entry(r.role).or_insert(0) += 1;
    }
    let by_role = [
        DimiosRole::Manager,
        DimiosRole::Strategist,
        DimiosRole::Developer,
    ]
    .map(|r| counts.get(&r).copied().unwrap_or(0));
    let maturity = MaturityData {
        model: org.dimios_model().map_err(&err)?,
        year: Some(year),
        previous_year,
        result,
        previous: previous_result,
        comparison,
        by_role: Some(by_role),
        min_respondents: settings.min_respondents,
    };

    let org_name = args
        .name
        .clone()
        .unwrap_or_else(|| org.name.get(args.lang.tag()).to_string());
    let competence = competence_data(
        org,
        &args.policy,
        &wave,
        previous.as_deref(),
        args.min_group,
        "demo",
    )?;
    Ok(Report {
        lang: args.lang,
        org_name,
        origin: Origin::Demo,
        min_group: args.min_group,
        competence: Some(competence),
        maturity: Some(maturity),
    })
}

/// Build the report the arguments ask for.
pub fn build(args: &ReportArgs) -> Result<Report, CliError> {
    if args.min_group == 0 {
        return Err(CliError::new(
            "invalid_value",
            "--min-group",
            "must be at least 1",
        ));
    }
    if args.demo {
        build_demo(args)
    } else {
        input::build_from_files(args)
    }
}

/// `kompetens report`: build, render, and write to `--out` (the standard
/// output then says where) or return the HTML.
pub fn run(args: &ReportArgs) -> Result<String, CliError> {
    let report = build(args)?;
    let page = html::render(&report)?;
    match &args.out {
        None => Ok(page),
        Some(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| {
                    CliError::new(
                        "io_error",
                        dir.display().to_string(),
                        format!("cannot create the directory: {e}"),
                    )
                })?;
            }
            std::fs::write(path, &page).map_err(|e| {
                CliError::new(
                    "io_error",
                    path.display().to_string(),
                    format!("cannot write the report: {e}"),
                )
            })?;
            Ok(format!(
                "report written to {} ({:.1} KB)\n",
                path.display(),
                page.len() as f64 / 1024.0
            ))
        }
    }
}
