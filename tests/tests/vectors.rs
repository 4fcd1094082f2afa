//! Every shared vector file in `tests/vectors/` runs against the Rust core.
//! A failing case is reported with its file and case name; an empty vector
//! directory is itself a failure.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use kompetens_cli::vectors::run_file;

fn vector_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn shared_vectors_pass() {
    let files = vector_files();
    assert!(
        !files.is_empty(),
        "no vector files (*.json) in tests/vectors/"
    );
    let mut failures = Vec::new();
    let mut total = 0;
    for path in &files {
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        match run_file(path) {
            Err(e) => failures.push(format!("{name}: cannot run the file: {}", e.message)),
            Ok(report) => {
                total += report.cases.len();
                for case in report.failures() {
                    failures.push(format!(
                        "{name} :: {} ({}): {}",
                        case.name,
                        case.op,
                        case.failure.as_deref().unwrap_or("")
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} vector cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{total} vector cases in {} files passed", files.len());
}

/// The JS runner converts every input and expected value to camelCase and
/// back: each must survive the round trip unchanged (data-map keys such as
/// competence ids and language tags are left alone by the conversion).
#[test]
fn vectors_survive_camel_case_round_trip() {
    let mut bad = Vec::new();
    for path in vector_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        for case in doc["cases"].as_array().into_iter().flatten() {
            for key in ["input", "expected"] {
                if let Some(v) = case.get(key) {
                    let back = kompetens::case::to_snake(kompetens::case::to_camel(v.clone()));
                    if &back != v {
                        bad.push(format!("{} :: {} ({key})", path.display(), case["name"]));
                    }
                }
            }
        }
    }
    assert!(bad.is_empty(), "not camelCase-safe:\n{}", bad.join("\n"));
}
