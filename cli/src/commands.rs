//! The subcommands of `kompetens`. Each returns its standard output as a
//! string, or a [`CliError`]; `main` prints and sets the exit code.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use kompetens::aggregate::{Reason, Scope};
use kompetens::demo::{
    DemoNeeds, DemoOrganisation, DemoWaveChange, DimiosRole, DimiosSummary, Summary, DEMO_POLICY,
    SEED,
};
use kompetens::{
    gap_report, import_csv, Assessment, CsvForm, EffectiveProfile, Framework, GapReport, Policy,
    ProfileSet, Ratings, Source,
};
use serde_json::Value;

use crate::error::{CliError, EXIT_FAILED};
use crate::table::{truncate, Align, Table};
use crate::vectors;

/// `kompetens`: digital competences by job role — demo, gap reports, shared
/// vectors and JSON schemas.
#[derive(Debug, Parser)]
#[command(name = "kompetens", version, about, long_about = None)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned plain-text tables.
    Table,
    /// JSON (snake_case keys, the shape of the core's API).
    Json,
}

/// Language of names and labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// English.
    En,
    /// Swedish (svenska).
    Sv,
}

impl Lang {
    /// The language tag (`en`, `sv`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Sv => "sv",
        }
    }
}

/// CSV layout of an assessments file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Form {
    /// One rating per row (person, competence, level, source, …).
    Long,
    /// One column per competence id.
    Wide,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Summarise the built-in synthetic culture department (about 1,100
    /// employees): readiness per unit, competence needs per unit with small
    /// groups withheld (and the audit), the change since the previous wave,
    /// then its DiMiOS
    /// digital maturity (about 60 respondents): dimensions, categories,
    /// type, the three weakest categories, change and results per unit.
    Demo {
        /// Wave to summarise (default: the latest, 2026).
        #[arg(long)]
        wave: Option<String>,
        /// Reconciliation policy for self and manager ratings.
        #[arg(long, default_value = DEMO_POLICY)]
        policy: String,
        /// Language of unit and competence names and labels.
        #[arg(long, value_enum, default_value = "en")]
        lang: Lang,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// One gap report per person (and wave) from real files.
    Gaps {
        /// A built-in framework name (digcomp-2.2, digcomp-3.0) or a
        /// framework file (.json or .toml).
        #[arg(long, value_name = "NAME|FILE")]
        framework: String,
        /// Role profiles (.json or .toml); `extends` is resolved in the set.
        #[arg(long, value_name = "FILE")]
        profiles: PathBuf,
        /// Assessments: CSV (long or wide form, detected from the header) or
        /// a JSON list of assessments.
        #[arg(long, value_name = "FILE")]
        assessments: PathBuf,
        /// CSV layout, when detection should be overridden.
        #[arg(long, value_enum)]
        form: Option<Form>,
        /// Source of CSV ratings when the file has no `source` column.
        #[arg(long, value_name = "SOURCE")]
        source: Option<String>,
        /// Reconciliation policy, e.g. `prefer:manager,test,self`, `max`,
        /// `min`, `only:manager`. Without one, several ratings of one
        /// competence are an error.
        #[arg(long)]
        policy: Option<String>,
        /// Only assessments of this wave.
        #[arg(long)]
        wave: Option<String>,
        /// Role for assessments that name none.
        #[arg(long)]
        role: Option<String>,
        /// Language of competence names in tables.
        #[arg(long, value_enum, default_value = "en")]
        lang: Lang,
        /// Output format.
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
    },
    /// Run shared vector files (tests/vectors/*.json) through the core and
    /// report pass/fail; exit code 1 when a case fails.
    Vectors {
        /// Vector files.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Print every case, not only failures.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Write one self-contained HTML report (inline SVG and CSS, no
    /// script): overview, unit heatmap, largest needs per unit, training
    /// demand, DiMiOS result and change between waves — of the demo
    /// (`--demo`) or of real files. Swedish by default (`--lang en`).
    Report(Box<crate::report::ReportArgs>),
    /// Print the JSON Schema of a configuration shape; without NAME, list
    /// the names.
    Schema {
        /// Schema name, e.g. `role-profile`, `assessment`, `framework`.
        name: Option<String>,
    },
}

/// What a command produced: text for stdout, and an error (for stderr and
/// the exit code) if it failed. A failed `vectors` run has both.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// Text for standard output.
    pub stdout: String,
    /// The error, if the command failed.
    pub error: Option<CliError>,
}

impl From<Result<String, CliError>> for Output {
    fn from(r: Result<String, CliError>) -> Output {
        match r {
            Ok(stdout) => Output {
                stdout,
                error: None,
            },
            Err(e) => Output {
                stdout: String::new(),
                error: Some(e),
            },
        }
    }
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> Output {
    let result = match cli.command {
        Command::Demo {
            wave,
            policy,
            lang,
            format,
        } => demo(wave.as_deref(), &policy, lang, format),
        Command::Gaps {
            framework,
            profiles,
            assessments,
            form,
            source,
            policy,
            wave,
            role,
            lang,
            format,
        } => gaps(&GapsArgs {
            framework,
            profiles,
            assessments,
            form,
            source,
            policy,
            wave,
            role,
            lang,
            format,
        }),
        Command::Report(args) => crate::report::run(&args),
        Command::Vectors { files, verbose } => return run_vectors(&files, verbose),
        Command::Schema { name } => schema(name.as_deref()),
    };
    result.into()
}

fn parse_policy(text: &str) -> Result<Policy, CliError> {
    text.parse::<Policy>()
        .map_err(|e| CliError::core(&e, "--policy"))
}

pub(crate) fn read(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|e| CliError::io(&path.display().to_string(), &e))
}

fn to_json(value: &impl serde::Serialize) -> Result<String, CliError> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| CliError::new("invalid_value", "output", e.to_string()))
}

fn json_value(value: &impl serde::Serialize) -> Result<Value, CliError> {
    serde_json::to_value(value).map_err(|e| CliError::new("invalid_value", "output", e.to_string()))
}

/// `1234` → `1,234` (en) or `1 234` (sv).
pub(crate) fn thousands(n: u64, lang: Lang) -> String {
    let digits = n.to_string();
    let sep = match lang {
        Lang::En => ',',
        Lang::Sv => '\u{a0}',
    };
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

/// A share as a percentage with one decimal (`58.3 %`, Swedish `58,3 %`).
pub(crate) fn percent(x: f64, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{:.1}%", 100.0 * x),
        Lang::Sv => format!("{:.1}\u{a0}%", 100.0 * x).replace('.', ","),
    }
}

struct Labels {
    title: &'static str,
    synthetic: &'static str,
    framework: &'static str,
    wave: &'static str,
    employees_in: &'static str,
    units: &'static str,
    policy: &'static str,
    policy_note: &'static str,
    unit: &'static str,
    people: &'static str,
    no_ratings: &'static str,
    readiness: &'static str,
    without: &'static str,
    of: &'static str,
    trend: &'static str,
    definitions: [&'static str; 2],
}

const EN: Labels = Labels {
    title: "kompetens demo",
    synthetic: "synthetic data, seed",
    framework: "framework",
    wave: "wave",
    employees_in: "employees in",
    units: "units",
    policy: "policy",
    policy_note: "the manager's rating (medarbetarsamtal) where there is one, else the self-rating",
    unit: "unit",
    people: "people",
    no_ratings: "no ratings",
    readiness: "readiness",
    without: "People without any ratings:",
    of: "of",
    trend: "Mean readiness by wave:",
    definitions: [
        "readiness = weighted share of a person's rated requirements that are met, mean over people with ratings;",
        "missing ratings are never counted as 0.",
    ],
};

const SV: Labels = Labels {
    title: "kompetens demo",
    synthetic: "syntetiska data, frö",
    framework: "ramverk",
    wave: "mätomgång",
    employees_in: "medarbetare i",
    units: "enheter",
    policy: "policy",
    policy_note: "chefens bedömning (medarbetarsamtal) om den finns, annars självskattningen",
    unit: "enhet",
    people: "personer",
    no_ratings: "utan skattning",
    readiness: "måluppfyllelse",
    without: "Medarbetare utan någon skattning:",
    of: "av",
    trend: "Genomsnittlig måluppfyllelse per mätomgång:",
    definitions: [
        "måluppfyllelse = viktad andel av personens skattade krav som uppfylls, medelvärde över personer med skattningar;",
        "saknade skattningar räknas aldrig som 0.",
    ],
};

/// `kompetens demo`.
pub fn demo(
    wave: Option<&str>,
    policy: &str,
    lang: Lang,
    format: Format,
) -> Result<String, CliError> {
    let policy = parse_policy(policy)?;
    let org = DemoOrganisation::generate().map_err(|e| CliError::core(&e, "demo"))?;
    let wave = match wave {
        Some(w) => w.to_string(),
        None => org
            .latest_wave()
            .map(|w| w.id.clone())
            .ok_or_else(|| CliError::new("empty", "demo", "the demo has no waves"))?,
    };
    let summary = org
        .summary(&wave, &policy, 3)
        .map_err(|e| CliError::core(&e, "--wave"))?;
    // The DiMiOS measurement of the wave's year, or the latest one.
    let years = org.dimios_years().map_err(|e| CliError::core(&e, "demo"))?;
    let year = if years.contains(&wave) {
        wave.clone()
    } else {
        years
            .last()
            .cloned()
            .ok_or_else(|| CliError::new("empty", "demo", "the demo has no DiMiOS years"))?
    };
    let dimios = org
        .dimios_summary(&year)
        .map_err(|e| CliError::core(&e, "demo"))?;
    let needs = org
        .needs(&wave, &policy, 3)
        .map_err(|e| CliError::core(&e, "demo"))?;
    // The wave comparison from the previous wave, if there is one.
    let previous = org
        .waves
        .iter()
        .position(|w| w.id == wave)
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| org.waves.get(i));
    let change = match previous {
        Some(p) => Some(
            org.wave_change(&p.id, &wave, &policy)
                .map_err(|e| CliError::core(&e, "demo"))?,
        ),
        None => None,
    };
    match format {
        Format::Json => {
            let mut value = json_value(&summary)?;
            let (d, n, w) = (
                json_value(&dimios)?,
                json_value(&needs)?,
                json_value(&change)?,
            );
            if let Value::Object(m) = &mut value {
                m.insert("needs".into(), n);
                m.insert("wave_change".into(), w);
                m.insert("dimios".into(), d);
            }
            to_json(&value)
        }
        Format::Table => {
            let mut out = render_demo(&org, &summary, &policy, lang)?;
            out.push('\n');
            out.push_str(&render_needs(&org, &needs, change.as_ref(), lang));
            out.push('\n');
            out.push_str(&render_dimios(&org, &dimios, lang)?);
            Ok(out)
        }
    }
}

fn render_demo(
    org: &DemoOrganisation,
    summary: &Summary,
    policy: &Policy,
    lang: Lang,
) -> Result<String, CliError> {
    let l = match lang {
        Lang::En => &EN,
        Lang::Sv => &SV,
    };
    let tag = lang.tag();
    let policy_text = match policy {
        Policy::Prefer { order } => format!(
            "prefer:{}",
            order
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(",")
        ),
        Policy::Max => "max".into(),
        Policy::Min => "min".into(),
        Policy::Only { source } => format!("only:{source}"),
    };
    let mut out = String::new();
    out.push_str(&format!(
        "{} — {} ({} {SEED:#018x})\n",
        l.title,
        org.name.get(tag),
        l.synthetic
    ));
    out.push_str(&format!(
        "{}: {} · {}: {} · {} {} {} {}\n",
        l.framework,
        org.framework.name.get(tag).split(':').next().unwrap_or(""),
        l.wave,
        summary.wave,
        thousands(summary.people as u64, lang),
        l.employees_in,
        org.units.len(),
        l.units
    ));
    out.push_str(&format!("{}: {policy_text}", l.policy));
    if policy_text == DEMO_POLICY {
        out.push_str(&format!(" — {}", l.policy_note));
    }
    out.push_str("\n\n");

    let mut table = Table::new(vec![
        (l.unit, Align::Left),
        (l.people, Align::Right),
        (l.no_ratings, Align::Right),
        (l.readiness, Align::Right),
    ]);
    for (i, u) in summary.units.iter().enumerate() {
        if u.depth == 1 && i > 1 {
            table.row(Vec::new());
        }
        let name = org
            .unit(&u.unit)
            .map_or(u.unit.as_str(), |x| x.name.get(tag));
        table.row(vec![
            format!("{}{}", "  ".repeat(u.depth), name),
            thousands(u.people as u64, lang),
            thousands(u.without_ratings as u64, lang),
            u.mean_readiness.map_or("–".into(), |r| percent(r, lang)),
        ]);
    }
    out.push_str(&table.render());
    out.push('\n');

    let tops: Vec<String> = summary
        .units
        .iter()
        .filter(|u| u.depth == 1)
        .map(|u| {
            let name = org
                .unit(&u.unit)
                .map_or(u.unit.as_str(), |x| x.name.get(tag));
            format!("{name} {}", u.without_ratings)
        })
        .collect();
    out.push_str(&format!(
        "{} {} {} {} ({}): {}\n",
        l.without,
        thousands(summary.without_ratings as u64, lang),
        l.of,
        thousands(summary.people as u64, lang),
        percent(
            summary.without_ratings as f64 / (summary.people.max(1)) as f64,
            lang
        ),
        tops.join(" · ")
    ));
    let mut trend = Vec::new();
    for w in &org.waves {
        let s = org
            .summary(&w.id, policy, 0)
            .map_err(|e| CliError::core(&e, "demo"))?;
        if let Some(r) = s.units.first().and_then(|u| u.mean_readiness) {
            trend.push(format!("{} {}", w.id, percent(r, lang)));
        }
    }
    out.push_str(&format!("{} {}\n\n", l.trend, trend.join(" → ")));
    for line in l.definitions {
        out.push_str(line);
        out.push('\n');
    }
    Ok(out)
}

struct NeedsLabels {
    title: &'static str,
    unit: &'static str,
    scope: &'static str,
    rollup: &'static str,
    own: &'static str,
    needs: [&'static str; 3],
    withheld: &'static str,
    primary: &'static str,
    secondary: &'static str,
    rolled_up: &'static str,
    primary_short: &'static str,
    secondary_short: &'static str,
    of: &'static str,
    legend: &'static str,
    notes: [&'static str; 5],
    audit: &'static str,
    cells: &'static str,
    withheld_cells: &'static str,
    determinable: &'static str,
    sizes: &'static str,
    change_title: &'static str,
    ratings_of: &'static str,
    people: &'static str,
    improved: &'static str,
    unchanged: &'static str,
    declined: &'static str,
    improved_by_unit: &'static str,
    joined: &'static str,
    left: &'static str,
    movement_note: &'static str,
    gains: &'static str,
}

const NEEDS_EN: NeedsLabels = NeedsLabels {
    title: "Competence needs by unit (groups under {min} withheld)",
    unit: "unit",
    scope: "scope",
    rollup: "rolled-up",
    own: "own",
    needs: ["need 1", "need 2", "need 3"],
    withheld: "withheld cells",
    primary: "withheld (primary)",
    secondary: "withheld (secondary)",
    rolled_up: "withheld (rolled up)",
    primary_short: "primary",
    secondary_short: "secondary",
    of: "of",
    legend: "Competences in the needs columns:",
    notes: [
        "Each need: competence, coverage (share of the people counted who meet the requirement), people counted",
        "(role requires the competence and there is a rating; missing ratings are not counted). Ranked by weighted need",
        "Σ weight × max(0, required − current); weights critical 3, important 2, useful 1. own = units without sub-units.",
        "withheld (primary): fewer than {min} people counted. withheld (secondary): withheld as well, so that no primary",
        "cell can be recovered by subtracting published cells from a published total (unit = own people + sub-units).",
    ],
    audit: "Audit of the published table (aggregate::audit_rows)",
    cells: "cells",
    withheld_cells: "withheld",
    determinable: "cells determinable by differencing",
    sizes: "withheld cells whose head count (not their levels) follows from the bounds",
    change_title: "Change {before} → {after} (people in both waves, competences rated in both; groups under {min} withheld):",
    ratings_of: "ratings of",
    people: "people",
    improved: "improved",
    unchanged: "unchanged",
    declined: "declined",
    improved_by_unit: "improved by unit",
    joined: "joined",
    left: "left",
    movement_note: "counted separately, not in the change",
    gains: "largest mean gains (Wilcoxon signed-rank p, d_z)",
};

const NEEDS_SV: NeedsLabels = NeedsLabels {
    title: "Kompetensbehov per enhet (grupper under {min} redovisas inte)",
    unit: "enhet",
    scope: "omfång",
    rollup: "summerad",
    own: "egen",
    needs: ["behov 1", "behov 2", "behov 3"],
    withheld: "ej redovisade celler",
    primary: "ej redovisad (primär)",
    secondary: "ej redovisad (sekundär)",
    rolled_up: "ej redovisad (uppsummerad)",
    primary_short: "primära",
    secondary_short: "sekundära",
    of: "av",
    legend: "Kompetenser i behovskolumnerna:",
    notes: [
        "Varje behov: kompetens, täckning (andel av de räknade personerna som når kravnivån), antal räknade personer",
        "(rollen kräver kompetensen och det finns en skattning; saknade skattningar räknas inte). Rangordnat efter viktat behov",
        "Σ vikt × max(0, krav − nuvarande); vikter kritisk 3, viktig 2, användbar 1. egen = enheter utan underenheter.",
        "ej redovisad (primär): färre än {min} räknade personer. ej redovisad (sekundär): undanhållen också, så att ingen primär",
        "cell kan räknas fram genom att dra redovisade celler från en redovisad summa (enhet = egna personer + underenheter).",
    ],
    audit: "Granskning av den redovisade tabellen (aggregate::audit_rows)",
    cells: "celler",
    withheld_cells: "ej redovisade",
    determinable: "celler som kan räknas fram genom differenser",
    sizes: "ej redovisade celler vars antal (inte nivåer) följer av gränserna",
    change_title: "Förändring {before} → {after} (personer i båda mätomgångarna, kompetenser skattade i båda; grupper under {min} redovisas inte):",
    ratings_of: "skattningar av",
    people: "personer",
    improved: "förbättrade",
    unchanged: "oförändrade",
    declined: "försämrade",
    improved_by_unit: "förbättrade per enhet",
    joined: "nya",
    left: "slutat",
    movement_note: "räknas separat, ingår inte i förändringen",
    gains: "största genomsnittliga ökning (Wilcoxons teckenrangtest p, d_z)",
};

/// A share as a whole percentage (`48%`, Swedish `48 %`).
pub(crate) fn percent0(x: f64, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{:.0}%", 100.0 * x),
        Lang::Sv => format!("{:.0}\u{a0}%", 100.0 * x),
    }
}

/// The section "Competence needs by unit" and the wave comparison.
fn render_needs(
    org: &DemoOrganisation,
    needs: &DemoNeeds,
    change: Option<&DemoWaveChange>,
    lang: Lang,
) -> String {
    let l = match lang {
        Lang::En => &NEEDS_EN,
        Lang::Sv => &NEEDS_SV,
    };
    let tag = lang.tag();
    let min = needs.min_group.to_string();
    let name = |id: &str| {
        org.unit(id)
            .map_or(id.to_string(), |u| u.name.get(tag).to_string())
    };
    let mut out = String::new();
    out.push_str(&l.title.replace("{min}", &min));
    out.push_str("\n\n");
    let mut table = Table::new(vec![
        (l.unit, Align::Left),
        (l.scope, Align::Left),
        (l.needs[0], Align::Left),
        (l.needs[1], Align::Left),
        (l.needs[2], Align::Left),
        (l.withheld, Align::Left),
    ]);
    let mut shown: BTreeSet<(usize, String)> = BTreeSet::new();
    let index = org.framework.competence_index();
    for (i, u) in needs.units.iter().enumerate() {
        if u.depth == 1 && i > 1 {
            table.row(Vec::new());
        }
        let mut cells = vec![
            format!("{}{}", "  ".repeat(u.depth), name(&u.unit)),
            match u.scope {
                Scope::Own => l.own.to_string(),
                Scope::Rollup => l.rollup.to_string(),
            },
        ];
        for k in 0..3 {
            cells.push(u.top.get(k).map_or(String::new(), |t| {
                shown.insert((
                    index.get(t.competence.as_str()).copied().unwrap_or(0),
                    t.competence.clone(),
                ));
                format!(
                    "{} {} {} {}",
                    t.competence,
                    t.coverage.map_or("–".into(), |c| percent0(c, lang)),
                    l.of,
                    thousands(t.people, lang)
                )
            }));
        }
        let mut marks = Vec::new();
        for (reason, label) in [
            (Reason::Primary, l.primary),
            (Reason::Secondary, l.secondary),
            (Reason::RolledUp, l.rolled_up),
        ] {
            let ids: Vec<&str> = u
                .withheld
                .iter()
                .filter(|w| w.reason == reason)
                .map(|w| w.competence.as_str())
                .collect();
            if !ids.is_empty() {
                marks.push(format!("{label}: {}", ids.join(" ")));
            }
        }
        table.row_note(cells, marks.join(" · "));
    }
    out.push_str(&table.render());
    out.push('\n');
    out.push_str(l.legend);
    out.push('\n');
    for (_, id) in &shown {
        let cname = org.framework.competence(id).map_or("", |c| c.name.get(tag));
        out.push_str(&format!("  {id}  {cname}\n"));
    }
    out.push('\n');
    for line in l.notes {
        out.push_str(&line.replace("{min}", &min));
        out.push('\n');
    }
    let a = &needs.audit;
    out.push_str(&format!(
        "{}: {} {}, {} {} ({} {}, {} {}); {}: {}\n",
        l.audit,
        thousands(a.cells as u64, lang),
        l.cells,
        thousands(a.withheld as u64, lang),
        l.withheld_cells,
        a.primary,
        l.primary_short,
        a.secondary,
        l.secondary_short,
        l.determinable,
        a.findings.len()
    ));
    if !a.size_findings.is_empty() {
        out.push_str(&format!("  {}: {}\n", l.sizes, a.size_findings.len()));
    }
    if let Some(ch) = change {
        out.push('\n');
        out.push_str(
            &l.change_title
                .replace("{before}", &ch.before)
                .replace("{after}", &ch.after)
                .replace("{min}", &ch.min_group.to_string()),
        );
        out.push('\n');
        let share = |x: Option<f64>| x.map_or("–".into(), |x| percent(x, lang));
        if let Some(root) = ch.units.iter().find(|u| u.depth == 0) {
            out.push_str(&format!(
                "  {}: {} {} {} {} — {} {}, {} {}, {} {}\n",
                name(&root.unit),
                thousands(root.paired, lang),
                l.ratings_of,
                thousands(ch.people_in_both as u64, lang),
                l.people,
                share(root.share_improved()),
                l.improved,
                share(root.share_unchanged()),
                l.unchanged,
                share(root.share_declined()),
                l.declined
            ));
            let by_unit: Vec<String> = ch
                .units
                .iter()
                .filter(|u| u.depth == 1)
                .map(|u| format!("{} {}", name(&u.unit), share(u.share_improved())))
                .collect();
            out.push_str(&format!(
                "  {}: {}\n",
                l.improved_by_unit,
                by_unit.join(" · ")
            ));
            let gains: Vec<String> = ch
                .largest_gains
                .iter()
                .map(|g| {
                    let dec = |x: String| match lang {
                        Lang::En => x,
                        Lang::Sv => x.replace('.', ","),
                    };
                    let p = g.wilcoxon_pvalue.map_or("–".into(), |p| {
                        if p < 0.001 {
                            dec("p < 0.001".to_string())
                        } else {
                            dec(format!("p = {p:.3}"))
                        }
                    });
                    let dz = g.d_z.map_or("–".into(), |d| dec(format!("{d:.2}")));
                    format!(
                        "{} {} ({p}, d_z {dz})",
                        g.competence,
                        dec(format!("{:+.2}", g.mean_change))
                    )
                })
                .collect();
            if !gains.is_empty() {
                out.push_str(&format!("  {}: {}\n", l.gains, gains.join(" · ")));
            }
            let count =
                |x: Option<u64>| x.map_or(l.withheld_cells.to_string(), |n| thousands(n, lang));
            out.push_str(&format!(
                "  {} {} · {} {} ({})\n",
                l.joined,
                count(root.joined),
                l.left,
                count(root.left),
                l.movement_note
            ));
        }
    }
    out
}

/// A percentage (0–100) with one decimal: `46.0%`, Swedish `46,0 %`.
pub(crate) fn pct(x: f64, lang: Lang) -> String {
    percent(x / 100.0, lang)
}

/// A change in percentage points with sign: `+2.8 pp`, Swedish `+2,8 p.e.`.
pub(crate) fn points(x: f64, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{x:+.1} pp"),
        Lang::Sv => format!("{}\u{a0}p.e.", format!("{x:+.1}").replace('.', ",")),
    }
}

/// `text` wrapped at `width` characters, each line indented by `indent`.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

struct DimiosLabels {
    title: &'static str,
    respondents: &'static str,
    chosen: &'static str,
    roles: [&'static str; 3],
    instrument: &'static str,
    scale: &'static str,
    change_since: &'static str,
    overall: &'static str,
    overall_column: &'static str,
    dimension_columns: [(&'static str, &'static str); 2],
    weaknesses: &'static str,
    by_unit: &'static str,
    unit: &'static str,
    type_: &'static str,
    weakest: &'static str,
    withheld: &'static str,
    definitions: [&'static str; 3],
}

const DIMIOS_EN: DimiosLabels = DimiosLabels {
    title: "DiMiOS digital maturity",
    respondents: "respondents",
    chosen: "chosen by a key user",
    roles: ["managers", "strategists", "developers"],
    instrument: "instrument",
    scale: "six-point scale; percent of optimal conditions",
    change_since: "change since",
    overall: "Overall",
    overall_column: "overall",
    dimension_columns: [("formaga", "capability"), ("arv", "legacy")],
    weaknesses: "Relative weaknesses — the three lowest categories, shown even when maturity is high:",
    by_unit: "By unit, each with its sub-units (units with fewer than {min} respondents are withheld):",
    unit: "unit",
    type_: "type",
    weakest: "weakest category",
    withheld: "withheld",
    definitions: [
        "answers 1–6 rescaled to (x − 1)/5 (shadow IT and technical debt reverse keyed), mean per statement,",
        "equal weights up to categories and dimensions; overall = mean of the two dimensions;",
        "type = quadrant of (Digital capability, Digital legacy) with both cuts at 50%.",
    ],
};

const DIMIOS_SV: DimiosLabels = DimiosLabels {
    title: "DiMiOS digital mognad",
    respondents: "respondenter",
    chosen: "utvalda av en nyckelanvändare",
    roles: ["chefer", "strateger", "utvecklare"],
    instrument: "enkät",
    scale: "sexgradig skala; procent av optimala förutsättningar",
    change_since: "förändring sedan",
    overall: "Total mognad",
    overall_column: "total",
    dimension_columns: [("formaga", "förmåga"), ("arv", "arv")],
    weaknesses: "Relativa svagheter — de tre lägsta kategorierna, visas även vid hög mognad:",
    by_unit: "Per enhet, med underenheter (enheter med färre än {min} respondenter redovisas inte):",
    unit: "enhet",
    type_: "typ",
    weakest: "svagaste kategori",
    withheld: "redovisas ej",
    definitions: [
        "svar 1–6 omräknade till (x − 1)/5 (skugg-IT och teknisk skuld omvänt kodade), medelvärde per påstående,",
        "lika vikter upp till kategorier och dimensioner; total mognad = medelvärdet av de två dimensionerna;",
        "typ = kvadrant av (Digital förmåga, Digitalt arv) med båda gränserna vid 50 %.",
    ],
};

/// The DiMiOS section of `kompetens demo`.
fn render_dimios(
    org: &DemoOrganisation,
    s: &DimiosSummary,
    lang: Lang,
) -> Result<String, CliError> {
    let l = match lang {
        Lang::En => &DIMIOS_EN,
        Lang::Sv => &DIMIOS_SV,
    };
    let tag = lang.tag();
    let model = org.dimios_model().map_err(|e| CliError::core(&e, "demo"))?;
    let none = "–".to_string();
    let p = |x: Option<f64>| x.map_or(none.clone(), |x| pct(x, lang));
    let mut out = String::new();

    let roles: Vec<String> = [
        DimiosRole::Manager,
        DimiosRole::Strategist,
        DimiosRole::Developer,
    ]
    .iter()
    .zip(l.roles)
    .map(|(r, name)| {
        format!(
            "{name} {}",
            s.respondents_by_role.get(r).copied().unwrap_or(0)
        )
    })
    .collect();
    out.push_str(&format!(
        "{} {} — {} {} {} ({})\n",
        l.title,
        s.year,
        s.n_respondents,
        l.respondents,
        l.chosen,
        roles.join(", ")
    ));
    if let Some(info) = &model.instrument {
        out.push_str(&format!(
            "{}: {} · {}\n",
            l.instrument,
            info.name.get(tag),
            l.scale
        ));
    }
    out.push('\n');

    let change_head = s
        .previous_year
        .as_ref()
        .map(|y| format!("{} {y}", l.change_since));
    let mut columns = vec![("", Align::Left), (s.year.as_str(), Align::Right)];
    if let Some(h) = &change_head {
        columns.push((h.as_str(), Align::Right));
    }
    let mut levels = Table::new(columns);
    let ch = |x: Option<f64>| x.map_or(none.clone(), |x| points(x, lang));
    levels.row(vec![
        l.overall.to_string(),
        p(s.overall),
        ch(s.overall_change),
    ]);
    for d in &s.dimensions {
        levels.row(vec![
            d.name.get(tag).to_string(),
            p(d.percentage),
            ch(d.change),
        ]);
        for c in s
            .categories
            .iter()
            .filter(|c| c.dimension.as_deref() == Some(d.id.as_str()))
        {
            levels.row(vec![
                format!("  {}", c.name.get(tag)),
                p(c.percentage),
                ch(c.change),
            ]);
        }
    }
    out.push_str(&levels.render());
    out.push('\n');

    if let Some(t) = &s.maturity_type {
        out.push_str(t.name.get(tag));
        out.push('\n');
        out.push_str(&wrap(t.description.get(tag), 96, "  "));
        out.push('\n');
    }

    let category_name = |id: &str| {
        s.categories
            .iter()
            .find(|c| c.id == id)
            .map_or(id.to_string(), |c| c.name.get(tag).to_string())
    };
    let dimension_of = |id: &str| {
        s.categories
            .iter()
            .find(|c| c.id == id)
            .and_then(|c| c.dimension.as_deref())
            .and_then(|d| s.dimensions.iter().find(|x| x.id == d))
            .map_or(String::new(), |d| d.name.get(tag).to_string())
    };
    out.push_str(l.weaknesses);
    out.push('\n');
    for (i, w) in s.weakest_categories.iter().enumerate() {
        out.push_str(&format!(
            "  {}. {} {} ({})\n",
            i + 1,
            category_name(&w.id),
            pct(w.percentage, lang),
            dimension_of(&w.id)
        ));
    }
    out.push('\n');

    out.push_str(&l.by_unit.replace("{min}", &s.min_respondents.to_string()));
    out.push('\n');
    let dim_names: Vec<String> = s
        .dimensions
        .iter()
        .map(|d| {
            l.dimension_columns
                .iter()
                .find(|(id, _)| *id == d.id)
                .map_or_else(|| d.name.get(tag).to_string(), |(_, n)| n.to_string())
        })
        .collect();
    let mut columns = vec![
        (l.unit, Align::Left),
        (l.respondents, Align::Right),
        (l.overall_column, Align::Right),
    ];
    for n in &dim_names {
        columns.push((n.as_str(), Align::Right));
    }
    columns.push((l.type_, Align::Left));
    columns.push((l.weakest, Align::Left));
    let mut units = Table::new(columns);
    for (i, u) in s.units.iter().filter(|u| u.depth <= 2).enumerate() {
        if u.depth == 1 && i > 1 {
            units.row(Vec::new());
        }
        let mut row = vec![
            format!("{}{}", "  ".repeat(u.depth), u.name.get(tag)),
            u.n_respondents.to_string(),
        ];
        if u.withheld {
            units.row_note(row, l.withheld.to_string());
            continue;
        }
        row.push(p(u.overall));
        for d in &s.dimensions {
            let v = u
                .dimensions
                .iter()
                .find(|x| x.id == d.id)
                .and_then(|x| x.percentage);
            row.push(p(v));
        }
        row.push(u.maturity_type.clone().unwrap_or_default());
        row.push(
            u.weakest_category
                .as_deref()
                .map_or(String::new(), category_name),
        );
        units.row(row);
    }
    out.push_str(&units.render());
    out.push('\n');
    for line in l.definitions {
        out.push_str(line);
        out.push('\n');
    }
    Ok(out)
}

/// Arguments of `kompetens gaps`.
#[derive(Debug, Clone)]
pub struct GapsArgs {
    /// Built-in name or file.
    pub framework: String,
    /// Profiles file.
    pub profiles: PathBuf,
    /// Assessments file.
    pub assessments: PathBuf,
    /// CSV form override.
    pub form: Option<Form>,
    /// Default source for CSV files without a `source` column.
    pub source: Option<String>,
    /// Reconciliation policy.
    pub policy: Option<String>,
    /// Wave filter.
    pub wave: Option<String>,
    /// Role fallback.
    pub role: Option<String>,
    /// Language of competence names.
    pub lang: Lang,
    /// Output format.
    pub format: Format,
}

pub(crate) fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// A built-in framework by name, or a framework file (.json/.toml).
pub fn load_framework(arg: &str) -> Result<Framework, CliError> {
    let path = Path::new(arg);
    let is_file_like = path.is_file() || matches!(extension(path).as_str(), "json" | "toml");
    if !is_file_like {
        return Framework::builtin(arg).map_err(|e| {
            CliError::new(
                e.code(),
                "--framework",
                format!("{arg:?} is neither a built-in framework ({}) nor a file", {
                    kompetens::framework::BUILTIN_FRAMEWORKS.join(", ")
                }),
            )
        });
    }
    let text = read(path)?;
    let fw = match extension(path).as_str() {
        "toml" => Framework::from_toml(&text),
        _ => Framework::from_json(&text),
    };
    fw.map_err(|e| CliError::core(&e, arg))
}

/// Long or wide, from the header: long files have `competence` and `level`
/// columns.
fn detect_form(text: &str) -> CsvForm {
    let header = text.lines().next().unwrap_or("");
    let cols: Vec<String> = header
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    if cols.iter().any(|c| c == "competence") && cols.iter().any(|c| c == "level") {
        CsvForm::Long
    } else {
        CsvForm::Wide
    }
}

/// Read an assessments file: JSON (a list of assessments) or CSV (long or
/// wide form, detected from the header unless `form` says). Returns the
/// assessments and the file's text.
pub(crate) fn load_assessments(
    path: &Path,
    form: Option<Form>,
    source: Option<Source>,
    fw: &Framework,
) -> Result<(Vec<Assessment>, String), CliError> {
    let label = path.display().to_string();
    let text = read(path)?;
    let assessments: Vec<Assessment> = if extension(path) == "json" {
        kompetens::text::from_json_str(&text).map_err(|e| CliError::core(&e, &label))?
    } else {
        let form = match form {
            Some(Form::Long) => CsvForm::Long,
            Some(Form::Wide) => CsvForm::Wide,
            None => detect_form(&text),
        };
        import_csv(&text, form, source, fw).map_err(|e| {
            let mut err = CliError::core(&e, &label);
            if err.message.contains("no default source") {
                err.message
                    .push_str(" (pass --source self|manager|test|activity)");
            }
            err
        })?
    };
    Ok((assessments, text))
}

/// `kompetens gaps`.
pub fn gaps(args: &GapsArgs) -> Result<String, CliError> {
    let fw = load_framework(&args.framework)?;
    let policy = args.policy.as_deref().map(parse_policy).transpose()?;
    let source = args
        .source
        .as_deref()
        .map(|s| {
            s.parse::<Source>()
                .map_err(|e| CliError::core(&e, "--source"))
        })
        .transpose()?;

    let profiles_label = args.profiles.display().to_string();
    let text = read(&args.profiles)?;
    let profiles = match extension(&args.profiles).as_str() {
        "toml" => ProfileSet::from_toml(&text, &fw),
        _ => ProfileSet::from_json(&text, &fw),
    }
    .map_err(|e| CliError::core(&e, &profiles_label))?;

    let label = args.assessments.display().to_string();
    let (assessments, _) = load_assessments(&args.assessments, args.form, source, &fw)?;
    let selected: Vec<(usize, &Assessment)> = assessments
        .iter()
        .enumerate()
        .filter(|(_, a)| match &args.wave {
            Some(w) => a.wave.as_deref() == Some(w.as_str()),
            None => true,
        })
        .collect();
    if selected.is_empty() {
        return Err(match &args.wave {
            Some(w) => CliError::new(
                "empty",
                "--wave",
                format!("{label} has no assessments in wave {w:?}"),
            ),
            None => CliError::new("empty", label, "the file has no assessments"),
        });
    }

    let mut resolved: HashMap<String, EffectiveProfile> = HashMap::new();
    let mut reports: Vec<(&Assessment, GapReport)> = Vec::new();
    for (i, a) in selected {
        let whom = match &a.wave {
            Some(w) => format!("{label}, person {:?} (wave {w})", a.person),
            None => format!("{label}, person {:?}", a.person),
        };
        let role = a.role.as_deref().or(args.role.as_deref()).ok_or_else(|| {
            CliError::new(
                "missing_value",
                format!("{label}, assessments[{i}].role"),
                format!(
                    "person {:?} has no role; add a role column or pass --role",
                    a.person
                ),
            )
        })?;
        if !resolved.contains_key(role) {
            let p = profiles
                .resolve(role)
                .map_err(|e| CliError::core(&e, &whom))?;
            resolved.insert(role.to_string(), p);
        }
        let Some(profile) = resolved.get(role) else {
            continue;
        };
        let report = gap_report(
            &fw,
            profile,
            &Ratings::List(a.ratings.clone()),
            policy.as_ref(),
        )
        .map_err(|e| CliError::core(&e, &whom))?;
        reports.push((a, report));
    }

    match args.format {
        Format::Json => {
            let mut list = Vec::with_capacity(reports.len());
            for (a, r) in &reports {
                let mut obj = serde_json::Map::new();
                obj.insert("person".into(), Value::String(a.person.clone()));
                for (k, v) in [("unit", &a.unit), ("wave", &a.wave)] {
                    obj.insert(k.into(), v.clone().map_or(Value::Null, Value::String));
                }
                let report = serde_json::to_value(r)
                    .map_err(|e| CliError::new("invalid_value", "output", e.to_string()))?;
                if let Value::Object(m) = report {
                    obj.extend(m);
                }
                list.push(Value::Object(obj));
            }
            to_json(&list)
        }
        Format::Table => Ok(render_gaps(&fw, &reports, args.lang)),
    }
}

fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn render_gaps(fw: &Framework, reports: &[(&Assessment, GapReport)], lang: Lang) -> String {
    let tag = lang.tag();
    let mut out = String::new();
    for (i, (a, r)) in reports.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut head = vec![a.person.clone(), r.role.clone()];
        head.extend(a.unit.clone());
        head.extend(a.wave.as_ref().map(|w| format!("wave {w}")));
        out.push_str(&head.join(" · "));
        out.push('\n');
        match r.readiness {
            Some(x) if r.missing.is_empty() => out.push_str(&format!(
                "readiness {}: {} of {} requirements met (all rated)\n",
                percent(x, lang),
                r.met,
                r.requirements
            )),
            Some(x) => out.push_str(&format!(
                "readiness {}: {} of {} rated requirements met; not rated ({} of {}): {}\n",
                percent(x, lang),
                r.met,
                r.rated,
                r.missing.len(),
                r.requirements,
                r.missing.join(", ")
            )),
            None => out.push_str(&format!(
                "readiness –: no requirement rated; not rated ({} of {}): {}\n",
                r.missing.len(),
                r.requirements,
                r.missing.join(", ")
            )),
        }
        let mut t = Table::new(vec![
            ("competence", Align::Left),
            ("required", Align::Right),
            ("current", Align::Right),
            ("source", Align::Left),
            ("gap", Align::Right),
            ("weight", Align::Right),
            ("weighted gap", Align::Right),
            ("met", Align::Left),
        ]);
        for g in &r.gaps {
            let name = fw.competence(&g.competence).map_or("", |c| c.name.get(tag));
            t.row(vec![
                truncate(&format!("{}  {name}", g.competence), 44),
                g.required.to_string(),
                g.current.map_or("–".into(), |c| c.to_string()),
                g.source.map_or(String::new(), |s| s.to_string()),
                g.gap.map_or("–".into(), |x| x.to_string()),
                number(g.weight),
                g.weighted_gap.map_or("–".into(), number),
                match g.met {
                    Some(true) => "yes".into(),
                    Some(false) => "no".into(),
                    None => "missing".into(),
                },
            ]);
        }
        for line in t.render().lines() {
            out.push_str("  ");
            out.push_str(line);
            out.push('\n');
        }
        if r.plan.is_empty() {
            out.push_str("development plan: nothing unmet among the rated requirements\n");
        } else {
            out.push_str(&format!(
                "development plan: {} (total weighted gap {})\n",
                r.plan.join(", "),
                number(r.total_weighted_gap)
            ));
        }
    }
    out
}

/// `kompetens vectors FILE…`.
pub fn run_vectors(files: &[PathBuf], verbose: bool) -> Output {
    let mut out = String::new();
    let (mut passed, mut failed) = (0usize, 0usize);
    for path in files {
        let report = match vectors::run_file(path) {
            Ok(r) => r,
            Err(e) => {
                return Output {
                    stdout: out,
                    error: Some(CliError::new("vector_file", e.location, e.message)),
                }
            }
        };
        let n_fail = report.failures().count();
        passed += report.passed();
        failed += n_fail;
        let status = if n_fail == 0 { "ok  " } else { "FAIL" };
        out.push_str(&format!(
            "{status} {} — {} of {} cases passed\n",
            report.label,
            report.passed(),
            report.cases.len()
        ));
        for case in &report.cases {
            match &case.failure {
                Some(why) => out.push_str(&format!("  FAIL {} ({}): {why}\n", case.name, case.op)),
                None if verbose => out.push_str(&format!("  ok   {} ({})\n", case.name, case.op)),
                None => {}
            }
        }
    }
    out.push_str(&format!(
        "{passed} passed, {failed} failed in {} file(s)\n",
        files.len()
    ));
    let error = (failed > 0).then(|| CliError {
        code: "vectors_failed".into(),
        location: String::new(),
        message: format!("{failed} case(s) failed"),
        exit: EXIT_FAILED,
    });
    Output { stdout: out, error }
}

/// `kompetens schema [NAME]`.
pub fn schema(name: Option<&str>) -> Result<String, CliError> {
    let all = kompetens::schema::schemas();
    let names: Vec<&str> = all.iter().map(|(n, _)| *n).collect();
    match name {
        None => Ok(names.join("\n") + "\n"),
        Some(n) => match all.iter().find(|(k, _)| *k == n) {
            Some((_, s)) => to_json(s),
            None => Err(CliError::new(
                "unknown_reference",
                "NAME",
                format!("no schema {n:?} (available: {})", names.join(", ")),
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers() {
        assert_eq!(thousands(1107, Lang::En), "1,107");
        assert_eq!(thousands(1107, Lang::Sv), "1\u{a0}107");
        assert_eq!(thousands(999, Lang::En), "999");
        assert_eq!(thousands(1234567, Lang::En), "1,234,567");
        assert_eq!(percent(0.583, Lang::Sv), "58,3\u{a0}%");
        assert_eq!(percent(0.583, Lang::En), "58.3%");
        assert_eq!(pct(46.04, Lang::En), "46.0%");
        assert_eq!(pct(46.04, Lang::Sv), "46,0\u{a0}%");
        assert_eq!(points(2.84, Lang::En), "+2.8 pp");
        assert_eq!(points(-0.34, Lang::Sv), "-0,3\u{a0}p.e.");
        assert_eq!(number(3.0), "3");
        assert_eq!(number(2.5), "2.5");
    }

    #[test]
    fn wraps_words() {
        assert_eq!(
            wrap("one two three four", 9, "  "),
            "  one two\n  three\n  four\n"
        );
        assert_eq!(wrap("", 9, "  "), "");
    }

    #[test]
    fn detects_csv_form() {
        assert_eq!(
            detect_form("person,competence,level,source\n"),
            CsvForm::Long
        );
        assert_eq!(detect_form("person,role,1.1,1.2\n"), CsvForm::Wide);
    }
}
