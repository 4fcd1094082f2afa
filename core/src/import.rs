//! Import assessments from CSV, in long or wide form.
//!
//! **Long form** — one rating per row, header with at least `person`,
//! `competence`, `level`, `source`, and optionally `role`, `unit`, `wave`,
//! `date`. An empty `level` means "not rated" and the row is skipped.
//!
//! **Wide form** — one row per person and source, header with `person` and
//! optionally `role`, `unit`, `wave`, `date`, `source`, and one column per
//! competence id (`1.1`, `1.2`, …). Empty cells mean "not rated". Without a
//! `source` column, the caller's default source applies.
//!
//! Rows of the same person and wave are gathered into one [`Assessment`]
//! (in order of first appearance); a person whose role or unit differs
//! between rows of the same wave is an error. Every error carries the line
//! (1-based, header = line 1) and column name.
//!
//! ```
//! use kompetens::{import_csv, CsvForm, Framework, Source};
//! let fw = Framework::builtin("digcomp-2.2")?;
//! let text = "person,role,unit,1.1,2.4\np1,librarian,lib,3,\np2,it,adm,5,6\n";
//! let people = import_csv(text, CsvForm::Wide, Some(Source::SelfAssessed), &fw)?;
//! assert_eq!(people.len(), 2);
//! assert_eq!(people[0].ratings.len(), 1);
//! # Ok::<(), kompetens::Error>(())
//! ```

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::assessment::{Assessment, Rating, Source};
use crate::error::{Error, Result};
use crate::framework::Framework;

/// The two CSV layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CsvForm {
    /// One rating per row.
    Long,
    /// One column per competence.
    Wide,
}

impl std::str::FromStr for CsvForm {
    type Err = Error;
    fn from_str(s: &str) -> Result<CsvForm> {
        match s {
            "long" => Ok(CsvForm::Long),
            "wide" => Ok(CsvForm::Wide),
            other => Err(Error::invalid(
                "form",
                format!("unknown CSV form {other:?} (expected long or wide)"),
            )),
        }
    }
}

const META: [&str; 6] = ["person", "role", "unit", "wave", "date", "source"];

fn csv_err(line: u64, column: &str, message: impl Into<String>) -> Error {
    Error::Csv {
        location: format!("line {line}, column {column:?}"),
        message: message.into(),
    }
}

struct Gatherer {
    out: Vec<Assessment>,
    index: HashMap<(String, Option<String>), usize>,
}

impl Gatherer {
    fn get(
        &mut self,
        line: u64,
        person: &str,
        role: Option<&str>,
        unit: Option<&str>,
        wave: Option<&str>,
        date: Option<&str>,
    ) -> Result<&mut Assessment> {
        let key = (person.to_string(), wave.map(str::to_string));
        let idx = match self.index.get(&key) {
            Some(&i) => {
                let a = self
                    .out
                    .get_mut(i)
                    .ok_or_else(|| csv_err(line, "person", "internal index error"))?;
                for (col, old, new) in [("role", &mut a.role, role), ("unit", &mut a.unit, unit)] {
                    match (old.as_deref(), new) {
                        (Some(o), Some(n)) if o != n => {
                            return Err(csv_err(
                                line,
                                col,
                                format!("person {person:?} has {col} {n:?} here but {o:?} on an earlier line"),
                            ))
                        }
                        (None, Some(n)) => *old = Some(n.to_string()),
                        _ => {}
                    }
                }
                i
            }
            None => {
                self.out.push(Assessment {
                    person: person.to_string(),
                    role: role.map(str::to_string),
                    unit: unit.map(str::to_string),
                    wave: wave.map(str::to_string),
                    date: date.map(str::to_string),
                    ratings: Vec::new(),
                });
                let i = self.out.len() - 1;
                self.index.insert(key, i);
                i
            }
        };
        self.out
            .get_mut(idx)
            .ok_or_else(|| csv_err(line, "person", "internal index error"))
    }
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// Read assessments from CSV text. `default_source` applies to wide files
/// without a `source` column (and is an error to omit then).
pub fn import_csv(
    text: &str,
    form: CsvForm,
    default_source: Option<Source>,
    framework: &Framework,
) -> Result<Vec<Assessment>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| csv_err(1, "", e.to_string()))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let person_col = col("person").ok_or_else(|| csv_err(1, "person", "missing column"))?;
    let (role_col, unit_col, wave_col, date_col, source_col) = (
        col("role"),
        col("unit"),
        col("wave"),
        col("date"),
        col("source"),
    );
    let mut g = Gatherer {
        out: Vec::new(),
        index: HashMap::new(),
    };
    let long_cols = match form {
        CsvForm::Long => {
            let c = col("competence").ok_or_else(|| csv_err(1, "competence", "missing column"))?;
            let l = col("level").ok_or_else(|| csv_err(1, "level", "missing column"))?;
            if source_col.is_none() && default_source.is_none() {
                return Err(csv_err(
                    1,
                    "source",
                    "missing column and no default source given",
                ));
            }
            Some((c, l))
        }
        CsvForm::Wide => None,
    };
    // wide: competence columns
    let mut comp_cols = Vec::new();
    if form == CsvForm::Wide {
        for (i, h) in headers.iter().enumerate() {
            if META.contains(&h) {
                continue;
            }
            framework
                .check_competence(h, &format!("line 1, column {h:?}"))
                .map_err(|_| {
                    csv_err(
                        1,
                        h,
                        format!(
                            "{h:?} is neither a known column nor a competence of {}",
                            framework.id
                        ),
                    )
                })?;
            comp_cols.push((i, h.to_string()));
        }
        if comp_cols.is_empty() {
            return Err(csv_err(1, "", "no competence columns"));
        }
        if source_col.is_none() && default_source.is_none() {
            return Err(csv_err(
                1,
                "source",
                "missing column and no default source given",
            ));
        }
    }
    for (r, record) in reader.records().enumerate() {
        let line = r as u64 + 2;
        let record = record.map_err(|e| {
            let l = e.position().map(|p| p.line()).unwrap_or(line);
            csv_err(l, "", e.to_string())
        })?;
        let get = |c: Option<usize>| non_empty(c.and_then(|c| record.get(c)));
        let person =
            get(Some(person_col)).ok_or_else(|| csv_err(line, "person", "empty person id"))?;
        let source = match get(source_col) {
            Some(s) => s
                .parse::<Source>()
                .map_err(|e| csv_err(line, "source", e.to_string()))?,
            None => default_source.ok_or_else(|| csv_err(line, "source", "empty source"))?,
        };
        let date = get(date_col);
        let mut parsed = Vec::new();
        let mut parse_level = |column: &str, comp: &str, cell: &str| -> Result<()> {
            let level: i32 = cell
                .parse()
                .map_err(|_| csv_err(line, column, format!("{cell:?} is not an integer level")))?;
            framework
                .check_level(level, column)
                .map_err(|e| csv_err(line, column, e.to_string()))?;
            parsed.push(Rating {
                competence: comp.to_string(),
                level,
                source,
                date: date.map(str::to_string),
            });
            Ok(())
        };
        match long_cols {
            Some((c, l)) => {
                let comp =
                    get(Some(c)).ok_or_else(|| csv_err(line, "competence", "empty competence"))?;
                framework
                    .check_competence(comp, "competence")
                    .map_err(|e| csv_err(line, "competence", e.to_string()))?;
                if let Some(cell) = get(Some(l)) {
                    parse_level("level", comp, cell)?;
                }
            }
            None => {
                for (i, comp) in &comp_cols {
                    if let Some(cell) = get(Some(*i)) {
                        parse_level(comp, comp, cell)?;
                    }
                }
            }
        }
        let a = g.get(
            line,
            person,
            get(role_col),
            get(unit_col),
            get(wave_col),
            date,
        )?;
        for rating in parsed {
            if a.ratings
                .iter()
                .any(|x| x.competence == rating.competence && x.source == rating.source)
            {
                return Err(csv_err(
                    line,
                    if form == CsvForm::Long {
                        "competence"
                    } else {
                        rating.competence.as_str()
                    },
                    format!(
                        "second {} rating of {} for person {person:?} in the same wave",
                        rating.source, rating.competence
                    ),
                ));
            }
            a.ratings.push(rating);
        }
    }
    Ok(g.out)
}
