//! Real input files of `kompetens report`: the unit tree, assessments and
//! DiMiOS responses. Errors name the file and the row (CSV line and
//! column, or JSON path).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use kompetens::aggregate::{OrgTree, UnitSpec};
use kompetens::demo::{DemoOrganisation, Person, Unit, Wave};
use kompetens::maturity::{score_table, MaturityModel, ResponseTable, Unit as MaturityUnit};
use kompetens::{Assessment, ProfileSet, Source, Text};
use serde::Deserialize;
use serde_json::Value;

use super::{
    competence_data, maturity_comparison, maturity_settings, MaturityData, Origin, Report,
    ReportArgs,
};
use crate::commands::{extension, load_assessments, load_framework, read};
use crate::error::CliError;

/// A unit name: one string for every language, or `{"sv": …, "en": …}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum NameJson {
    Plain(String),
    Text(Text),
}

impl NameJson {
    fn into_text(self) -> Text {
        match self {
            NameJson::Plain(s) => Text::en_sv(&s, &s),
            NameJson::Text(t) => t,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitJson {
    id: String,
    #[serde(default)]
    parent: Option<String>,
    #[serde(default)]
    name: Option<NameJson>,
    /// Accepted and ignored (the demo's unit file lists staff per role).
    #[serde(default)]
    #[allow(dead_code)]
    staff: Option<Value>,
}

/// The unit tree of a file and the organisation's name, if the file has one.
#[derive(Debug, Clone)]
pub struct UnitsFile {
    /// Units, parents before children.
    pub units: Vec<Unit>,
    /// `name` of a JSON object file.
    pub name: Option<Text>,
}

fn csv_error(label: &str, line: u64, column: &str, message: impl Into<String>) -> CliError {
    CliError::new(
        "csv_error",
        format!("{label}, line {line}, column {column:?}"),
        message,
    )
}

fn csv_reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes())
}

fn csv_read_error(label: &str, e: &csv::Error) -> CliError {
    let line = e
        .position()
        .map_or(String::new(), |p| format!(", line {}", p.line()));
    CliError::new("csv_error", format!("{label}{line}"), e.to_string())
}

/// One unit as read: id, parent, name.
type UnitRow = (String, Option<String>, Option<Text>);

/// Read a unit tree (JSON list, JSON object with `units`, or CSV
/// `id,parent,name`) and check it: unique ids, known parents, no cycle,
/// exactly one root.
pub fn load_units(path: &Path) -> Result<UnitsFile, CliError> {
    let label = path.display().to_string();
    let text = read(path)?;
    let (rows, name): (Vec<UnitRow>, Option<Text>) = if extension(path) == "csv" {
        let mut reader = csv_reader(&text);
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| csv_read_error(&label, &e))?
            .iter()
            .map(|h| h.to_ascii_lowercase())
            .collect();
        let col = |n: &str| header.iter().position(|h| h == n);
        let id_col = col("id").ok_or_else(|| {
            CliError::new(
                "missing_value",
                format!("{label}, line 1"),
                "the header needs an id column (id,parent,name)",
            )
        })?;
        let (parent_col, name_col, sv_col, en_col) =
            (col("parent"), col("name"), col("name_sv"), col("name_en"));
        let mut rows = Vec::new();
        for rec in reader.records() {
            let rec = rec.map_err(|e| csv_read_error(&label, &e))?;
            let line = rec.position().map_or(0, |p| p.line());
            let get = |c: Option<usize>| {
                c.and_then(|c| rec.get(c))
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
            };
            let id = get(Some(id_col))
                .ok_or_else(|| csv_error(&label, line, "id", "the unit id is empty"))?;
            let mut names = std::collections::BTreeMap::new();
            if let Some(n) = get(name_col) {
                names.insert("en".to_string(), n.clone());
                names.insert("sv".to_string(), n);
            }
            for (c, tag) in [(sv_col, "sv"), (en_col, "en")] {
                if let Some(n) = get(c) {
                    names.insert(tag.to_string(), n);
                }
            }
            let name = (!names.is_empty()).then_some(Text(names));
            rows.push((id, get(parent_col), name));
        }
        (rows, None)
    } else {
        let value: Value = serde_json::from_str(&text).map_err(|e| {
            CliError::new(
                "json_error",
                format!("{label}, line {}, column {}", e.line(), e.column()),
                e.to_string(),
            )
        })?;
        let (list, name) = match value {
            Value::Object(mut m) => {
                let units = m.remove("units").ok_or_else(|| {
                    CliError::new(
                        "missing_value",
                        label.clone(),
                        "a unit file is a list of units or an object with \"units\"",
                    )
                })?;
                let name = m
                    .remove("name")
                    .map(kompetens::text::from_json_value::<NameJson>)
                    .transpose()
                    .map_err(|e| CliError::core(&e, &format!("{label}, name")))?
                    .map(NameJson::into_text);
                (units, name)
            }
            other => (other, None),
        };
        let units: Vec<UnitJson> = kompetens::text::from_json_value(list)
            .map_err(|e| CliError::core(&e, &format!("{label}, units")))?;
        let rows = units
            .into_iter()
            .map(|u| (u.id, u.parent, u.name.map(NameJson::into_text)))
            .collect();
        (rows, name)
    };
    let specs: Vec<UnitSpec> = rows
        .iter()
        .map(|(id, parent, _)| UnitSpec {
            id: id.clone(),
            parent: parent.clone(),
        })
        .collect();
    let tree = OrgTree::new(specs).map_err(|e| CliError::core(&e, &label))?;
    if tree.roots().len() != 1 {
        return Err(CliError::new(
            "invalid_value",
            label,
            format!(
                "the unit tree needs exactly one root (a unit without parent); found {}",
                tree.roots().len()
            ),
        ));
    }
    let units = tree
        .preorder()
        .iter()
        .filter_map(|&i| rows.get(i as usize))
        .map(|(id, parent, name)| Unit {
            id: id.clone(),
            parent: parent.clone(),
            name: name.clone().unwrap_or_else(|| Text::en_sv(id, id)),
        })
        .collect();
    Ok(UnitsFile { units, name })
}

/// Where a person's row is: `file, line N, column "c"` for CSV (the first
/// row of the person in that wave), `file, [i].c` for JSON.
fn locate(
    file: &LoadedFile,
    index: usize,
    person: &str,
    wave: Option<&str>,
    column: &str,
) -> String {
    if file.csv {
        let mut reader = csv_reader(&file.text);
        if let Ok(header) = reader.headers() {
            let header: Vec<String> = header.iter().map(|h| h.to_ascii_lowercase()).collect();
            let col = |n: &str| header.iter().position(|h| h == n);
            let (p, w) = (col("person"), col("wave"));
            for rec in reader.records().flatten() {
                let same_person = p.and_then(|c| rec.get(c)) == Some(person);
                let same_wave = match (w, wave) {
                    (Some(c), Some(wv)) => rec.get(c) == Some(wv),
                    _ => true,
                };
                if same_person && same_wave {
                    let line = rec.position().map_or(0, |x| x.line());
                    return format!("{}, line {line}, column {column:?}", file.label);
                }
            }
        }
        format!("{}, person {person:?}", file.label)
    } else {
        format!("{}, [{index}].{column}", file.label)
    }
}

struct LoadedFile {
    label: String,
    text: String,
    csv: bool,
    assessments: Vec<Assessment>,
}

/// The report of real files.
pub fn build_from_files(args: &ReportArgs) -> Result<Report, CliError> {
    let mut files: Vec<(String, String)> = Vec::new();
    let has_ratings = !args.assessments.is_empty();
    if !has_ratings && args.dimios.is_none() {
        return Err(CliError::new(
            "missing_value",
            "report",
            "nothing to report: pass --demo, or --assessments (with --profiles and --units) and/or --dimios",
        ));
    }
    let units = args.units.as_deref().map(load_units).transpose()?;
    if let Some(p) = &args.units {
        files.push(("--units".into(), p.display().to_string()));
    }
    let tag = args.lang.tag();
    let org_name = args
        .name
        .clone()
        .or_else(|| {
            units
                .as_ref()
                .and_then(|u| u.name.as_ref())
                .map(|t| t.get(tag).to_string())
        })
        .or_else(|| {
            units
                .as_ref()
                .and_then(|u| u.units.first())
                .map(|u| u.name.get(tag).to_string())
        })
        .unwrap_or_default();

    let competence = if has_ratings {
        let units = units.as_ref().ok_or_else(|| {
            CliError::new(
                "missing_value",
                "--units",
                "--assessments need the unit tree (--units FILE)",
            )
        })?;
        let profiles_path = args.profiles.as_deref().ok_or_else(|| {
            CliError::new(
                "missing_value",
                "--profiles",
                "--assessments need the role profiles (--profiles FILE)",
            )
        })?;
        let fw = load_framework(&args.framework)?;
        let label = profiles_path.display().to_string();
        let text = read(profiles_path)?;
        let profiles = match extension(profiles_path).as_str() {
            "toml" => ProfileSet::from_toml(&text, &fw),
            _ => ProfileSet::from_json(&text, &fw),
        }
        .map_err(|e| CliError::core(&e, &label))?;
        files.push(("--profiles".into(), label));
        let source = args
            .source
            .as_deref()
            .map(|s| {
                s.parse::<Source>()
                    .map_err(|e| CliError::core(&e, "--source"))
            })
            .transpose()?;
        let mut loaded = Vec::new();
        for path in &args.assessments {
            let (assessments, text) = load_assessments(path, args.form, source, &fw)?;
            loaded.push(LoadedFile {
                label: path.display().to_string(),
                text,
                csv: extension(path) != "json",
                assessments,
            });
            files.push(("--assessments".into(), path.display().to_string()));
        }
        let org = organisation(&loaded, units, &profiles, fw, args.role.as_deref())?;
        let waves: Vec<&str> = org.waves.iter().map(|w| w.id.as_str()).collect();
        let wave = match &args.wave {
            Some(w) if waves.contains(&w.as_str()) => w.clone(),
            Some(w) => {
                return Err(CliError::new(
                    "unknown_reference",
                    "--wave",
                    format!("no assessments in wave {w:?} (waves: {})", waves.join(", ")),
                ))
            }
            None => waves.last().map(|w| w.to_string()).unwrap_or_default(),
        };
        let previous = match &args.compare_with {
            Some(p) if waves.contains(&p.as_str()) && *p != wave => Some(p.clone()),
            Some(p) => {
                return Err(CliError::new(
                    "unknown_reference",
                    "--compare-with",
                    format!(
                        "{p:?} is not another wave of the assessments (waves: {})",
                        waves.join(", ")
                    ),
                ))
            }
            None => waves
                .iter()
                .position(|w| *w == wave)
                .and_then(|i| i.checked_sub(1))
                .and_then(|i| waves.get(i))
                .map(|w| w.to_string()),
        };
        Some(competence_data(
            org,
            &args.policy,
            &wave,
            previous.as_deref(),
            args.min_group,
            "--assessments",
        )?)
    } else {
        None
    };

    let maturity = match &args.dimios {
        None => None,
        Some(path) => {
            let model = load_model(&args.maturity_model)?;
            let settings = maturity_settings(args.min_group);
            let tree: Option<Vec<MaturityUnit>> = units.as_ref().map(|u| {
                u.units
                    .iter()
                    .map(|x| MaturityUnit {
                        id: x.id.clone(),
                        parent: x.parent.clone(),
                        name: x.name.clone(),
                    })
                    .collect()
            });
            let score = |path: &Path| -> Result<MeasurementAndLabel, CliError> {
                let (table, csv) = load_responses(path)?;
                let label = path.display().to_string();
                let tree = tree.as_deref().filter(|_| table.units.is_some());
                let result = score_table(&model, &table, tree, &settings)
                    .map_err(|e| responses_error(&e, &label, csv))?;
                Ok(MeasurementAndLabel { result })
            };
            let current = score(path)?;
            files.push(("--dimios".into(), path.display().to_string()));
            let previous = match &args.dimios_previous {
                Some(p) => {
                    let r = score(p)?;
                    files.push(("--dimios-previous".into(), p.display().to_string()));
                    Some(r.result)
                }
                None => None,
            };
            let comparison = maturity_comparison(&current.result, previous.as_ref())?;
            Some(MaturityData {
                model,
                year: args.dimios_year.clone(),
                previous_year: args.dimios_previous_year.clone(),
                result: current.result,
                previous,
                comparison,
                by_role: None,
                min_respondents: settings.min_respondents,
            })
        }
    };
    Ok(Report {
        lang: args.lang,
        org_name,
        origin: Origin::Files(files),
        min_group: args.min_group,
        competence,
        maturity,
    })
}

struct MeasurementAndLabel {
    result: kompetens::maturity::MeasurementResult,
}

/// A built-in maturity model or a model file.
fn load_model(arg: &str) -> Result<MaturityModel, CliError> {
    let path = Path::new(arg);
    if path.is_file() || matches!(extension(path).as_str(), "json" | "toml") {
        let text = read(path)?;
        match extension(path).as_str() {
            "toml" => MaturityModel::from_toml(&text),
            _ => MaturityModel::from_json(&text),
        }
        .map_err(|e| CliError::core(&e, arg))
    } else {
        MaturityModel::builtin(arg).map_err(|e| CliError::core(&e, "--maturity-model"))
    }
}

/// A scoring error in a responses file: CSV rows get their line (row `r`
/// is line `r + 2`).
fn responses_error(e: &kompetens::Error, label: &str, csv: bool) -> CliError {
    let mut err = CliError::core(e, label);
    if csv {
        for key in ["responses.rows[", "responses.units["] {
            if let Some(start) = err.location.find(key) {
                let rest = &err.location[start + key.len()..];
                if let Some(r) = rest.split(']').next().and_then(|r| r.parse::<usize>().ok()) {
                    let column = if key.contains("units") {
                        ", column \"unit\""
                    } else {
                        ""
                    };
                    err.location = format!("{label}, line {}{column}", r + 2);
                }
            }
        }
    }
    err
}

/// DiMiOS responses: JSON `{items, rows, units?}` or CSV (one column per
/// item id, optional `unit` and `respondent`/`id` columns; empty = missing).
/// Returns the table and whether it came from CSV.
pub fn load_responses(path: &Path) -> Result<(ResponseTable, bool), CliError> {
    let label = path.display().to_string();
    let text = read(path)?;
    if extension(path) == "json" {
        let table: ResponseTable =
            kompetens::text::from_json_str(&text).map_err(|e| CliError::core(&e, &label))?;
        return Ok((table, false));
    }
    let mut reader = csv_reader(&text);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| csv_read_error(&label, &e))?
        .iter()
        .map(str::to_string)
        .collect();
    let meta = |h: &str| {
        matches!(
            h.to_ascii_lowercase().as_str(),
            "unit" | "respondent" | "id"
        )
    };
    let unit_col = header.iter().position(|h| h.eq_ignore_ascii_case("unit"));
    let items: Vec<(usize, String)> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| !meta(h))
        .map(|(i, h)| (i, h.clone()))
        .collect();
    let mut seen = BTreeSet::new();
    for (_, h) in &items {
        if !seen.insert(h.as_str()) {
            return Err(csv_error(&label, 1, h, "the item column is repeated"));
        }
    }
    let mut rows = Vec::new();
    let mut units = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| csv_read_error(&label, &e))?;
        let line = rec.position().map_or(0, |p| p.line());
        let mut row = Vec::with_capacity(items.len());
        for (c, h) in &items {
            let cell = rec.get(*c).unwrap_or("");
            if cell.is_empty() || cell.eq_ignore_ascii_case("na") {
                row.push(None);
            } else {
                let v: f64 = cell
                    .parse()
                    .map_err(|_| csv_error(&label, line, h, format!("{cell:?} is not a number")))?;
                row.push(Some(v));
            }
        }
        rows.push(row);
        units.push(
            unit_col
                .and_then(|c| rec.get(c))
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        );
    }
    let table = ResponseTable {
        items: items.into_iter().map(|(_, h)| h).collect(),
        rows,
        units: unit_col.map(|_| units),
    };
    Ok((table, true))
}

/// The organisation of real files: the unit tree, the profiles, and one
/// wave per distinct `wave` value (sorted; assessments without a wave form
/// the wave `""`). Checks every assessment's unit and role, and that a
/// person appears once per wave.
fn organisation(
    files: &[LoadedFile],
    units: &super::input::UnitsFile,
    profiles: &ProfileSet,
    framework: kompetens::Framework,
    default_role: Option<&str>,
) -> Result<DemoOrganisation, CliError> {
    let unit_ids: HashSet<&str> = units.units.iter().map(|u| u.id.as_str()).collect();
    let roles: HashSet<&str> = profiles.ids().into_iter().collect();
    let mut waves: std::collections::BTreeMap<String, Vec<Assessment>> = Default::default();
    let mut seen: HashSet<(String, String)> = HashSet::new();
    let mut people: HashMap<String, Person> = HashMap::new();
    for file in files {
        for (i, a) in file.assessments.iter().enumerate() {
            let wave = a.wave.clone().unwrap_or_default();
            let at = |column: &str| locate(file, i, &a.person, a.wave.as_deref(), column);
            let role = a.role.as_deref().or(default_role).ok_or_else(|| {
                CliError::new(
                    "missing_value",
                    at("role"),
                    format!(
                        "person {:?} has no role; add a role column or pass --role",
                        a.person
                    ),
                )
            })?;
            if !roles.contains(role) {
                return Err(CliError::new(
                    "unknown_profile",
                    at("role"),
                    format!("role {role:?} is not in the profiles"),
                ));
            }
            let unit = a.unit.as_deref().ok_or_else(|| {
                CliError::new(
                    "missing_value",
                    at("unit"),
                    format!(
                        "person {:?} has no unit; the report needs a unit column",
                        a.person
                    ),
                )
            })?;
            if !unit_ids.contains(unit) {
                return Err(CliError::new(
                    "unknown_reference",
                    at("unit"),
                    format!("unit {unit:?} is not in the unit tree (--units)"),
                ));
            }
            if !seen.insert((wave.clone(), a.person.clone())) {
                return Err(CliError::new(
                    "duplicate_id",
                    at("person"),
                    format!("person {:?} appears twice in wave {wave:?}", a.person),
                ));
            }
            let mut a = a.clone();
            a.role = Some(role.to_string());
            let p = people.entry(a.person.clone()).or_insert_with(|| Person {
                id: a.person.clone(),
                unit: unit.to_string(),
                role: role.to_string(),
                waves: Vec::new(),
            });
            p.waves.push(wave.clone());
            waves.entry(wave).or_default().push(a);
        }
    }
    let mut people: Vec<Person> = people.into_values().collect();
    people.sort_by(|a, b| a.id.cmp(&b.id));
    for p in &mut people {
        p.waves.sort();
    }
    let name = units
        .name
        .clone()
        .or_else(|| units.units.first().map(|u| u.name.clone()))
        .unwrap_or_default();
    Ok(DemoOrganisation {
        name,
        framework,
        profiles: profiles.clone(),
        units: units.units.clone(),
        people,
        waves: waves
            .into_iter()
            .map(|(id, assessments)| Wave {
                date: String::new(),
                id,
                assessments,
            })
            .collect(),
    })
}
