//! Runner for the shared test vectors (`tests/vectors/*.json`, format
//! `kompetens-vectors/1`, described in `tests/vectors/README.md`).
//!
//! Each case runs through [`kompetens::api::call`] and is compared with the
//! matching rules of the format: objects match when every expected key is
//! present with a matching value (extra keys are allowed), arrays match
//! element by element with equal length, numbers match within
//! `tolerance · max(1, |expected|)` (default `1e-9`), everything else must be
//! equal; an expected error matches on `code` and, when given, `location`.
//!
//! The CLI (`kompetens vectors FILE…`) and the conformance tests
//! (`cargo test -p kompetens-conformance`) both use this module.
//!
//! ```
//! use kompetens_cli::vectors::run_text;
//! let file = r#"{"format": "kompetens-vectors/1", "description": "demo",
//!   "cases": [{"name": "builtin", "op": "framework.builtin",
//!              "input": {"name": "digcomp-2.2"}, "expected": {"id": "digcomp-2.2"}}]}"#;
//! let report = run_text(file, "inline")?;
//! assert_eq!(report.passed(), 1);
//! # Ok::<(), kompetens_cli::vectors::FileError>(())
//! ```

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use serde_json::Value;

/// The format tag every vector file must carry.
pub const FORMAT: &str = "kompetens-vectors/1";

/// Default numeric tolerance (relative above 1, absolute below).
pub const DEFAULT_TOLERANCE: f64 = 1e-9;

/// A vector file that cannot be run at all (unreadable, not JSON, wrong
/// format, malformed case).
#[derive(Debug, Clone, PartialEq)]
pub struct FileError {
    /// The file (or label) and, where known, the path inside it
    /// (e.g. `cases[3].name`).
    pub location: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for FileError {}

/// The outcome of one case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseOutcome {
    /// The case name (unique within its file).
    pub name: String,
    /// The operation.
    pub op: String,
    /// `None` when the case passed; otherwise why it failed.
    pub failure: Option<String>,
}

/// The outcomes of every case of one file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileReport {
    /// The file path or label.
    pub label: String,
    /// The file's `description`.
    pub description: String,
    /// One outcome per case, in file order.
    pub cases: Vec<CaseOutcome>,
}

impl FileReport {
    /// Number of passed cases.
    pub fn passed(&self) -> usize {
        self.cases.iter().filter(|c| c.failure.is_none()).count()
    }

    /// The failed cases.
    pub fn failures(&self) -> impl Iterator<Item = &CaseOutcome> {
        self.cases.iter().filter(|c| c.failure.is_some())
    }
}

/// Read and run a vector file.
pub fn run_file(path: &Path) -> Result<FileReport, FileError> {
    let label = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| FileError {
        location: label.clone(),
        message: format!("cannot read: {e}"),
    })?;
    run_text(&text, &label)
}

/// Run the vector file given as text; `label` names it in messages.
pub fn run_text(text: &str, label: &str) -> Result<FileReport, FileError> {
    let bad = |loc: &str, message: String| FileError {
        location: if loc.is_empty() {
            label.to_string()
        } else {
            format!("{label}: {loc}")
        },
        message,
    };
    let file: Value =
        serde_json::from_str(text).map_err(|e| bad("", format!("not valid JSON: {e}")))?;
    let Value::Object(map) = &file else {
        return Err(bad("", "a vector file is a JSON object".into()));
    };
    for key in map.keys() {
        if !matches!(
            key.as_str(),
            "format" | "description" | "source" | "note" | "cases"
        ) {
            return Err(bad(key, format!("unknown key {key:?}")));
        }
    }
    match map.get("format") {
        Some(Value::String(f)) if f == FORMAT => {}
        other => {
            return Err(bad(
                "format",
                format!("expected {FORMAT:?}, found {}", show(other)),
            ))
        }
    }
    let description = match map.get("description") {
        Some(Value::String(s)) => s.clone(),
        other => {
            return Err(bad(
                "description",
                format!("expected a string, found {}", show(other)),
            ))
        }
    };
    let Some(Value::Array(cases)) = map.get("cases") else {
        return Err(bad("cases", "expected a list of cases".into()));
    };
    if cases.is_empty() {
        return Err(bad("cases", "the file has no cases".into()));
    }
    let mut names = HashSet::new();
    let mut outcomes = Vec::with_capacity(cases.len());
    for (i, case) in cases.iter().enumerate() {
        let loc = format!("cases[{i}]");
        let case = Case::parse(case).map_err(|(k, m)| bad(&format!("{loc}{k}"), m))?;
        if !names.insert(case.name.clone()) {
            return Err(bad(
                &format!("{loc}.name"),
                format!("duplicate case name {:?}", case.name),
            ));
        }
        outcomes.push(CaseOutcome {
            failure: case.run().err(),
            name: case.name,
            op: case.op,
        });
    }
    Ok(FileReport {
        label: label.to_string(),
        description,
        cases: outcomes,
    })
}

enum Expectation {
    Value(Value),
    Error {
        code: String,
        location: Option<String>,
    },
}

struct Case {
    name: String,
    op: String,
    input: Value,
    expect: Expectation,
    tolerance: f64,
}

impl Case {
    fn parse(value: &Value) -> Result<Case, (String, String)> {
        let Value::Object(map) = value else {
            return Err((String::new(), "a case is a JSON object".into()));
        };
        for key in map.keys() {
            if !matches!(
                key.as_str(),
                "name"
                    | "op"
                    | "input"
                    | "expected"
                    | "error"
                    | "tolerance"
                    | "note"
                    | "description"
            ) {
                return Err((format!(".{key}"), format!("unknown key {key:?}")));
            }
        }
        let string = |k: &str| match map.get(k) {
            Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
            other => Err((
                format!(".{k}"),
                format!("expected a non-empty string, found {}", show(other)),
            )),
        };
        let name = string("name")?;
        let op = string("op")?;
        let input = map.get("input").cloned().unwrap_or(Value::Null);
        let expect = match (map.get("expected"), map.get("error")) {
            (Some(v), None) => Expectation::Value(v.clone()),
            (None, Some(Value::Object(e))) => {
                for key in e.keys() {
                    if !matches!(key.as_str(), "code" | "location") {
                        return Err((format!(".error.{key}"), format!("unknown key {key:?}")));
                    }
                }
                let code = match e.get("code") {
                    Some(Value::String(c)) => c.clone(),
                    other => {
                        return Err((
                            ".error.code".into(),
                            format!("expected a string, found {}", show(other)),
                        ))
                    }
                };
                let location = match e.get("location") {
                    None => None,
                    Some(Value::String(l)) => Some(l.clone()),
                    Some(other) => {
                        return Err((
                            ".error.location".into(),
                            format!("expected a string, found {other}"),
                        ))
                    }
                };
                Expectation::Error { code, location }
            }
            (None, Some(other)) => {
                return Err((
                    ".error".into(),
                    format!("expected an object with a code, found {other}"),
                ))
            }
            (Some(_), Some(_)) => {
                return Err((
                    String::new(),
                    "a case has either \"expected\" or \"error\", not both".into(),
                ))
            }
            (None, None) => {
                return Err((
                    String::new(),
                    "a case needs \"expected\" or \"error\"".into(),
                ))
            }
        };
        let tolerance = match map.get("tolerance") {
            None => DEFAULT_TOLERANCE,
            Some(t) => match t.as_f64() {
                Some(t) if t.is_finite() && t >= 0.0 => t,
                _ => {
                    return Err((
                        ".tolerance".into(),
                        format!("expected a number ≥ 0, found {t}"),
                    ))
                }
            },
        };
        Ok(Case {
            name,
            op,
            input,
            expect,
            tolerance,
        })
    }

    fn run(&self) -> Result<(), String> {
        let result = kompetens::api::call(&self.op, self.input.clone());
        match (&self.expect, result) {
            (Expectation::Value(expected), Ok(actual)) => {
                match_value(expected, &actual, self.tolerance, "$")
            }
            (Expectation::Value(_), Err(e)) => Err(format!(
                "expected a result, got error {} at {}: {e}",
                e.code(),
                e.location()
            )),
            (Expectation::Error { code, .. }, Ok(actual)) => {
                let mut text = actual.to_string();
                if text.chars().count() > 200 {
                    text = text.chars().take(200).collect::<String>() + "…";
                }
                Err(format!("expected error {code}, got a result: {text}"))
            }
            (Expectation::Error { code, location }, Err(e)) => {
                if e.code() != code {
                    return Err(format!(
                        "expected error {code}, got {} at {}: {e}",
                        e.code(),
                        e.location()
                    ));
                }
                match location {
                    Some(l) if *l != e.location() => Err(format!(
                        "error {code}: expected location {l:?}, got {:?}",
                        e.location()
                    )),
                    _ => Ok(()),
                }
            }
        }
    }
}

fn show(v: Option<&Value>) -> String {
    v.map_or_else(|| "nothing".to_string(), Value::to_string)
}

/// Compare `actual` with `expected` by the matching rules of the format;
/// `path` names the position in messages (use `"$"` at the top).
///
/// ```
/// use kompetens_cli::vectors::match_value;
/// use serde_json::json;
/// assert!(match_value(&json!({"a": 1}), &json!({"a": 1.0, "b": 2}), 1e-9, "$").is_ok());
/// assert!(match_value(&json!([1, 2]), &json!([1]), 1e-9, "$").is_err());
/// ```
pub fn match_value(
    expected: &Value,
    actual: &Value,
    tolerance: f64,
    path: &str,
) -> Result<(), String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let p = format!("{path}.{k}");
                match a.get(k) {
                    Some(av) => match_value(ev, av, tolerance, &p)?,
                    None => return Err(format!("{p}: missing (expected {ev})")),
                }
            }
            Ok(())
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Err(format!(
                    "{path}: expected {} elements, got {}",
                    e.len(),
                    a.len()
                ));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                match_value(ev, av, tolerance, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        (Value::Number(e), Value::Number(a)) => {
            let same_integers = match (e.as_i64(), a.as_i64()) {
                (Some(x), Some(y)) => Some(x == y),
                _ => match (e.as_u64(), a.as_u64()) {
                    (Some(x), Some(y)) => Some(x == y),
                    _ => None,
                },
            };
            if same_integers == Some(true) {
                return Ok(());
            }
            match (e.as_f64(), a.as_f64()) {
                (Some(x), Some(y)) if (x - y).abs() <= tolerance * x.abs().max(1.0) => Ok(()),
                _ => Err(format!("{path}: expected {e}, got {a}")),
            }
        }
        _ if expected == actual => Ok(()),
        _ => Err(format!("{path}: expected {expected}, got {actual}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn m(e: Value, a: Value) -> Result<(), String> {
        match_value(&e, &a, DEFAULT_TOLERANCE, "$")
    }

    #[test]
    fn matching_rules() {
        // objects: extra keys allowed, missing keys not
        assert!(m(json!({"a": 1}), json!({"a": 1, "b": 2})).is_ok());
        assert_eq!(
            m(json!({"a": 1, "c": 3}), json!({"a": 1})).unwrap_err(),
            "$.c: missing (expected 3)"
        );
        // arrays: same length, in order
        assert!(m(json!([1, 2]), json!([1, 2])).is_ok());
        assert!(m(json!([1, 2]), json!([2, 1])).is_err());
        assert!(m(json!([1]), json!([1, 2])).is_err());
        // numbers: ints and floats compare as numbers, with tolerance
        assert!(m(json!(3), json!(3.0)).is_ok());
        assert!(m(json!(0.1), json!(0.1 + 1e-12)).is_ok());
        assert!(m(json!(0.1), json!(0.1 + 1e-8)).is_err());
        // relative above 1: 1e6 · 1e-9 = 1e-3
        assert!(m(json!(1e6), json!(1e6 + 5e-4)).is_ok());
        assert!(m(json!(1e6), json!(1e6 + 5e-3)).is_err());
        assert!(match_value(&json!(0.5), &json!(0.51), 0.05, "$").is_ok());
        // other scalars: equal
        assert!(m(json!(null), json!(null)).is_ok());
        assert!(m(json!(null), json!(0)).is_err());
        assert!(m(json!(true), json!(1)).is_err());
        assert!(m(json!("a"), json!("a")).is_ok());
        assert!(m(json!("1"), json!(1)).is_err());
        // the path of the first mismatch
        let err = m(json!({"gaps": [{"gap": 1}]}), json!({"gaps": [{"gap": 2}]})).unwrap_err();
        assert_eq!(err, "$.gaps[0].gap: expected 1, got 2");
    }

    fn file(cases: Value) -> String {
        json!({"format": FORMAT, "description": "t", "cases": cases}).to_string()
    }

    #[test]
    fn runs_value_and_error_cases() {
        let text = file(json!([
            {"name": "ok", "op": "gap_report",
             "input": {"framework": "digcomp-2.2",
                       "profile": {"id": "r", "requirements": [{"competence": "1.1", "level": 4, "weight": "critical"}]},
                       "ratings": {"1.1": 2}},
             // gap 4 − 2 = 2, weight 3 → weighted 6; nothing met → readiness 0
             "expected": {"readiness": 0.0, "gaps": [{"gap": 2, "weighted_gap": 6}]}},
            {"name": "wrong-number", "op": "gap_report",
             "input": {"framework": "digcomp-2.2",
                       "profile": {"id": "r", "requirements": [{"competence": "1.1", "level": 4}]},
                       "ratings": {"1.1": 2}},
             "expected": {"readiness": 0.5}},
            {"name": "err", "op": "framework.builtin", "input": {"name": "nope"},
             "error": {"code": "unknown_builtin", "location": "nope"}},
            {"name": "err-wrong-code", "op": "framework.builtin", "input": {"name": "nope"},
             "error": {"code": "parse_error"}},
            {"name": "err-but-ok", "op": "framework.builtin", "input": {"name": "digcomp-2.2"},
             "error": {"code": "unknown_builtin"}}
        ]));
        let r = run_text(&text, "t.json").unwrap();
        let failed: Vec<&str> = r.failures().map(|c| c.name.as_str()).collect();
        assert_eq!(failed, ["wrong-number", "err-wrong-code", "err-but-ok"]);
        assert_eq!(r.passed(), 2);
    }

    #[test]
    fn rejects_malformed_files() {
        let bad = [
            (
                r#"{"format": "x", "description": "d", "cases": []}"#,
                "t.json: format",
            ),
            (&file(json!([])), "t.json: cases"),
            (
                &file(
                    json!([{"name": "a", "op": "x", "expected": 1}, {"name": "a", "op": "x", "expected": 1}]),
                ),
                "t.json: cases[1].name",
            ),
            (
                &file(json!([{"name": "a", "op": "x", "expected": 1, "error": {"code": "c"}}])),
                "t.json: cases[0]",
            ),
            (&file(json!([{"name": "a", "op": "x"}])), "t.json: cases[0]"),
            (
                &file(json!([{"name": "a", "op": "x", "expected": 1, "extra": 1}])),
                "t.json: cases[0].extra",
            ),
            ("not json", "t.json"),
        ];
        for (text, loc) in bad {
            let err = run_text(text, "t.json").unwrap_err();
            assert_eq!(err.location, loc, "{text}: {err}");
        }
    }
}
