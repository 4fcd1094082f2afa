//! Runs the shared vectors of the survey, statistics and DSI operations
//! (`tests/vectors/{stats,survey,dsi}-*.json`) against `api::call`, with
//! the matching rules of `tests/vectors/README.md`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use serde_json::Value;

fn vector_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            name.ends_with(".json")
                && ["stats-", "survey-", "dsi-"]
                    .iter()
                    .any(|pre| name.starts_with(pre))
        })
        .collect();
    files.sort();
    files
}

fn matches(expected: &Value, actual: &Value, tol: f64, path: &str, errs: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                match a.get(k) {
                    Some(av) => matches(ev, av, tol, &format!("{path}.{k}"), errs),
                    None => errs.push(format!("{path}.{k}: missing")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                errs.push(format!("{path}: length {} != {}", a.len(), e.len()));
                return;
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                matches(ev, av, tol, &format!("{path}[{i}]"), errs);
            }
        }
        (Value::Number(e), Value::Number(a)) => {
            let (e, a) = (e.as_f64().unwrap(), a.as_f64().unwrap());
            if (a - e).abs() > tol * e.abs().max(1.0) {
                errs.push(format!("{path}: {a} != {e}"));
            }
        }
        (e, a) => {
            if e != a {
                errs.push(format!("{path}: {a} != {e}"));
            }
        }
    }
}

#[test]
fn stats_survey_dsi_vectors() {
    let files = vector_files();
    assert!(!files.is_empty(), "no vector files found");
    let mut failures = Vec::new();
    let mut count = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(doc["format"], "kompetens-vectors/1", "{}", file.display());
        let fname = file.file_name().unwrap().to_string_lossy().to_string();
        let mut names = std::collections::BTreeSet::new();
        for case in doc["cases"].as_array().unwrap() {
            count += 1;
            let name = case["name"].as_str().unwrap();
            assert!(
                names.insert(name.to_string()),
                "{fname}: duplicate case {name}"
            );
            let op = case["op"].as_str().unwrap();
            // The JS runner converts keys to camelCase and back: that must be
            // lossless for every input and expected value.
            for key in ["input", "expected"] {
                if let Some(v) = case.get(key) {
                    let back = kompetens::case::to_snake(kompetens::case::to_camel(v.clone()));
                    if &back != v {
                        failures.push(format!(
                            "{fname} / {name}: {key} does not survive camelCase"
                        ));
                    }
                }
            }
            let tol = case
                .get("tolerance")
                .and_then(Value::as_f64)
                .unwrap_or(1e-9);
            let result = kompetens::api::call(op, case["input"].clone());
            let label = format!("{fname} / {name}");
            // Built without the `toml` feature, TOML input fails with a typed error.
            if cfg!(not(feature = "toml")) && case["input"]["format"] == "toml" {
                match result {
                    Err(e) if e.code() == "unsupported_format" && e.location() == "format" => {}
                    other => failures.push(format!(
                        "{label}: expected unsupported_format, got {other:?}"
                    )),
                }
                continue;
            }
            match (case.get("expected"), case.get("error"), result) {
                (Some(exp), None, Ok(actual)) => {
                    let mut errs = Vec::new();
                    matches(exp, &actual, tol, "$", &mut errs);
                    if !errs.is_empty() {
                        failures.push(format!("{label}: {}", errs.join("; ")));
                    }
                }
                (Some(_), None, Err(e)) => {
                    failures.push(format!("{label}: unexpected error {:?}", e.info()))
                }
                (None, Some(err), Ok(actual)) => {
                    failures.push(format!("{label}: expected error {err}, got {actual}"))
                }
                (None, Some(err), Err(e)) => {
                    if err["code"] != e.code() {
                        failures.push(format!("{label}: code {} != {}", e.code(), err["code"]));
                    }
                    if let Some(loc) = err.get("location") {
                        if loc != &Value::String(e.location()) {
                            failures.push(format!("{label}: location {:?} != {loc}", e.location()));
                        }
                    }
                }
                _ => failures.push(format!("{label}: needs exactly one of expected/error")),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
