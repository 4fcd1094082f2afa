//! End-to-end tests of the `kompetens` binary.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn kompetens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kompetens"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn assert_no_panic(o: &Output) {
    let err = stderr(o);
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("RUST_BACKTRACE"), "{err}");
}

#[test]
fn demo_prints_units_and_is_deterministic() {
    let a = kompetens(&["demo"]);
    assert!(a.status.success(), "{}", stderr(&a));
    let text = stdout(&a);
    for name in [
        "Culture Department",
        "Libraries",
        "Main library",
        "Mobile library",
        "Museums",
        "Art museum",
        "Collections",
        "Arts school",
        "Music",
        "Dance",
        "Administration",
        "Human resources",
        "IT",
    ] {
        assert!(text.contains(name), "missing {name:?} in\n{text}");
    }
    assert!(text.contains("policy: prefer:manager,test,activity,self"));
    assert!(text.contains("People without any ratings:"));
    assert!(text.contains("wave: 2026"));
    let b = kompetens(&["demo"]);
    assert_eq!(text, stdout(&b), "two runs differ");

    let sv = stdout(&kompetens(&["demo", "--lang", "sv"]));
    for name in [
        "Kulturförvaltningen",
        "Biblioteket Öster",
        "Kulturskolan",
        "Förvaltningsstab",
    ] {
        assert!(sv.contains(name), "missing {name:?}");
    }
}

#[test]
fn demo_table_columns_line_up() {
    let text = stdout(&kompetens(&["demo"]));
    // The rule line under the header fixes the column positions; every
    // row's "people" number ends where the second rule segment ends.
    let lines: Vec<&str> = text.lines().collect();
    let rule = lines.iter().position(|l| l.starts_with('─')).unwrap();
    let rule_chars: Vec<char> = lines[rule].chars().collect();
    let people_end = rule_chars
        .iter()
        .enumerate()
        .skip_while(|(_, c)| **c == '─')
        .skip_while(|(_, c)| **c == ' ')
        .find(|(_, c)| **c != '─')
        .map(|(i, _)| i)
        .unwrap();
    let mut rows = 0;
    for line in &lines[rule + 1..] {
        if line.is_empty() {
            continue;
        }
        if !line.starts_with(' ') && !line.starts_with("Culture") {
            break;
        }
        let chars: Vec<char> = line.chars().collect();
        assert!(chars[people_end - 1].is_ascii_digit(), "{line}");
        assert_eq!(chars[people_end], ' ', "{line}");
        rows += 1;
    }
    assert_eq!(rows, 33, "one row per unit");
}

#[test]
fn demo_json_summary() {
    let o = kompetens(&["demo", "--format", "json", "--wave", "2025"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["wave"], "2025");
    assert_eq!(v["people"], 1100);
    assert_eq!(v["units"][0]["unit"], "kf");
    assert_eq!(v["policy"]["kind"], "prefer");
}

/// The needs section: from its title line to the next blank line after the
/// wave comparison (the DiMiOS title).
fn needs_section(text: &str, title: &str, end: &str) -> String {
    let at = text
        .find(title)
        .unwrap_or_else(|| panic!("no {title:?} in\n{text}"));
    let to = text[at..].find(end).map_or(text.len(), |i| at + i);
    text[at..to].to_string()
}

#[test]
fn demo_prints_competence_needs_with_withheld_cells() {
    let a = kompetens(&["demo"]);
    assert!(a.status.success(), "{}", stderr(&a));
    let text = stdout(&a);
    let s = needs_section(
        &text,
        "Competence needs by unit (groups under 5 withheld)",
        "DiMiOS digital maturity",
    );
    // One row per unit, each with its scope column.
    let rows = s
        .lines()
        .filter(|l| l.contains("  rolled-up  ") || l.contains("  own  "))
        .count();
    assert_eq!(rows, 33, "{s}");
    assert!(s.contains("withheld (primary): "), "{s}");
    assert!(s.contains("withheld (secondary): "), "{s}");
    // The department's top need, with coverage and people counted.
    let root = s
        .lines()
        .find(|l| l.starts_with("Culture Department"))
        .unwrap();
    assert!(
        root.contains("rolled-up") && root.contains("% of "),
        "{root}"
    );
    // The audit line: nothing can be recovered by differencing.
    let audit = s
        .lines()
        .find(|l| l.starts_with("Audit of the published table"))
        .unwrap_or_else(|| panic!("no audit line in\n{s}"));
    assert!(
        audit.ends_with("cells determinable by differencing: 0"),
        "{audit}"
    );
    // The wave comparison, 4 lines under its title.
    let change = s.find("Change 2025 → 2026").unwrap();
    let lines: Vec<&str> = s[change..].lines().collect();
    assert!(
        lines[1].starts_with("  Culture Department: "),
        "{}",
        lines[1]
    );
    for word in ["improved", "unchanged", "declined"] {
        assert!(lines[1].contains(word), "{}", lines[1]);
    }
    assert!(lines[2].contains("Libraries") && lines[2].contains("Administration"));
    assert!(lines[3].starts_with("  largest mean gains (Wilcoxon signed-rank p, d_z): "));
    assert!(lines[4].starts_with("  joined ") && lines[4].contains(" · left "));
    // Identical across runs.
    assert_eq!(text, stdout(&kompetens(&["demo"])), "two runs differ");

    let sv = stdout(&kompetens(&["demo", "--lang", "sv"]));
    let s = needs_section(
        &sv,
        "Kompetensbehov per enhet (grupper under 5 redovisas inte)",
        "DiMiOS digital mognad",
    );
    assert!(s.contains("ej redovisad (primär): "), "{s}");
    assert!(s.contains("celler som kan räknas fram genom differenser: 0"));
    assert!(s.contains("Förändring 2025 → 2026"));
    assert!(s.contains("Kulturförvaltningen") && s.contains(" av "));

    // The first wave has nothing to compare with.
    let first = stdout(&kompetens(&["demo", "--wave", "2025"]));
    let s = needs_section(
        &first,
        "Competence needs by unit",
        "DiMiOS digital maturity",
    );
    assert!(!s.contains("Change "), "{s}");
    assert!(s.contains("cells determinable by differencing: 0"));
}

#[test]
fn demo_json_has_needs_and_wave_change() {
    let o = kompetens(&["demo", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let needs = &v["needs"];
    assert_eq!(needs["min_group"], 5);
    assert_eq!(needs["suppression"], "secondary");
    let units = needs["units"].as_array().unwrap();
    assert_eq!(units.len(), 33);
    assert_eq!(units[0]["unit"], "kf");
    assert_eq!(units[0]["scope"], "rollup");
    assert_eq!(units[2]["scope"], "own");
    let withheld: Vec<&Value> = units
        .iter()
        .flat_map(|u| u["withheld"].as_array().unwrap())
        .collect();
    assert!(withheld.iter().any(|w| w["reason"] == "primary"));
    assert!(withheld.iter().any(|w| w["reason"] == "secondary"));
    assert_eq!(needs["audit"]["clean"], true);
    assert_eq!(needs["audit"]["findings"].as_array().unwrap().len(), 0);
    // The summary's needs are the aggregate's top needs.
    assert_eq!(v["units"][0]["needs"], units[0]["top"]);
    let top = &units[0]["top"][0];
    let coverage = top["coverage"].as_f64().unwrap();
    assert!(coverage > 0.0 && coverage < 1.0, "{top}");
    let change = &v["wave_change"];
    assert_eq!(change["before"], "2025");
    assert_eq!(change["after"], "2026");
    assert_eq!(change["determined"], 0);
    assert_eq!(change["largest_gains"].as_array().unwrap().len(), 3);
    let root = &change["units"][0];
    let total = root["improved"].as_u64().unwrap()
        + root["unchanged"].as_u64().unwrap()
        + root["declined"].as_u64().unwrap();
    assert_eq!(root["paired"].as_u64().unwrap(), total);
    // Joiners and leavers: the JSON summary's own rosters say how many
    // people each wave has; 2026 = 2025 − left + joined.
    let first: Value = serde_json::from_str(&stdout(&kompetens(&[
        "demo", "--format", "json", "--wave", "2025",
    ])))
    .unwrap();
    let (n25, n26) = (
        first["people"].as_u64().unwrap(),
        v["people"].as_u64().unwrap(),
    );
    let (joined, left) = (
        root["joined"].as_u64().unwrap(),
        root["left"].as_u64().unwrap(),
    );
    assert_eq!(n25 - left + joined, n26);
    assert!(first["wave_change"].is_null());
}

/// The DiMiOS section: from its title line to the end.
fn dimios_section(text: &str, title: &str) -> String {
    let at = text
        .find(title)
        .unwrap_or_else(|| panic!("no {title:?} in\n{text}"));
    text[at..].to_string()
}

#[test]
fn demo_prints_a_dimios_section() {
    let text = stdout(&kompetens(&["demo"]));
    let d = dimios_section(&text, "DiMiOS digital maturity 2026");
    // after the competence summary
    assert!(text.find("Mean readiness by wave:").unwrap() < text.find("DiMiOS").unwrap());
    for needle in [
        "respondents chosen by a key user",
        "managers ",
        "strategists ",
        "developers ",
        "example instrument (not the official questionnaire)",
        "change since 2025",
        "Overall",
        "Digital capability",
        "Digital legacy",
        "Efficiency",
        "Innovation",
        "Balancing",
        "Organisation",
        "Users",
        "Technology",
        "Relative weaknesses",
        "withheld",
    ] {
        assert!(d.contains(needle), "missing {needle:?} in\n{d}");
    }
    // about 60 respondents
    let n: usize = d
        .split(" — ")
        .nth(1)
        .and_then(|x| x.split(' ').next())
        .unwrap()
        .parse()
        .unwrap();
    assert!((55..=65).contains(&n), "{n}");
    // a type line "Type X: …" with X in A–D
    let type_line = d.lines().find(|l| l.starts_with("Type ")).unwrap();
    let letter = type_line.chars().nth(5).unwrap();
    assert!(
        ('A'..='D').contains(&letter) && type_line[6..].starts_with(':'),
        "{type_line}"
    );
    // three weakest categories, numbered, right after the heading
    let lines: Vec<&str> = d.lines().collect();
    let h = lines
        .iter()
        .position(|l| l.starts_with("Relative weaknesses"))
        .unwrap();
    let categories = [
        "Efficiency",
        "Innovation",
        "Balancing",
        "Organisation",
        "Users",
        "Technology",
    ];
    let mut named = Vec::new();
    for (k, line) in lines[h + 1..h + 4].iter().enumerate() {
        assert!(line.starts_with(&format!("  {}. ", k + 1)), "{line}");
        let c = categories.iter().find(|c| line.contains(*c)).unwrap();
        named.push(*c);
        assert!(line.contains('%'), "{line}");
    }
    named.sort_unstable();
    named.dedup();
    assert_eq!(named.len(), 3);
    assert!(lines[h + 4].is_empty());
    // change in percentage points on the overall row
    let overall = lines.iter().find(|l| l.starts_with("Overall")).unwrap();
    assert!(overall.ends_with(" pp"), "{overall}");
    // per unit: every top-level unit has a result; small units are withheld
    for top in ["Libraries", "Museums", "Arts school", "Administration"] {
        let row = lines
            .iter()
            .find(|l| l.starts_with(&format!("  {top} ")))
            .unwrap();
        assert!(row.contains('%') && !row.contains("withheld"), "{row}");
    }
    let mobile = lines
        .iter()
        .find(|l| l.trim_start().starts_with("Mobile library"))
        .unwrap();
    assert!(mobile.ends_with("withheld"), "{mobile}");

    // identical across runs
    let again = stdout(&kompetens(&["demo"]));
    assert_eq!(d, dimios_section(&again, "DiMiOS digital maturity 2026"));

    // Swedish
    let sv = stdout(&kompetens(&["demo", "--lang", "sv"]));
    let d = dimios_section(&sv, "DiMiOS digital mognad 2026");
    for needle in [
        "utvalda av en nyckelanvändare",
        "förändring sedan 2025",
        "Total mognad",
        "Digital förmåga",
        "Digitalt arv",
        "Effektivitet",
        "Användare",
        "Teknik",
        "Typ ",
        "Relativa svagheter",
        "redovisas ej",
        "p.e.",
    ] {
        assert!(d.contains(needle), "missing {needle:?} in\n{d}");
    }
    assert!(!d.contains("withheld"));
}

#[test]
fn demo_json_has_the_dimios_summary() {
    let o = kompetens(&["demo", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["wave"], "2026");
    let d = &v["dimios"];
    assert_eq!(d["model"], "dimios");
    assert_eq!(d["instrument"]["example"], true);
    assert_eq!(d["year"], "2026");
    assert_eq!(d["previous_year"], "2025");
    let n = d["n_respondents"].as_u64().unwrap();
    assert!((55..=65).contains(&n), "{n}");
    let letter = d["type"]["id"].as_str().unwrap();
    assert!(["A", "B", "C", "D"].contains(&letter), "{letter}");
    assert_eq!(d["weakest_categories"].as_array().unwrap().len(), 3);
    assert_eq!(d["dimensions"].as_array().unwrap().len(), 2);
    assert_eq!(d["categories"].as_array().unwrap().len(), 6);
    assert!(d["overall_change"].as_f64().is_some());
    assert_eq!(d["units"].as_array().unwrap().len(), 33);
    assert_eq!(d["units"][0]["n_respondents"].as_u64(), Some(n));
    assert!(d["units"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["withheld"] == true && u["overall"].is_null()));
    // overall = mean of the two dimensions
    let dims: Vec<f64> = d["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["percentage"].as_f64().unwrap())
        .collect();
    let overall = d["overall"].as_f64().unwrap();
    assert!((overall - (dims[0] + dims[1]) / 2.0).abs() < 1e-9);

    // the first year has nothing to compare with
    let o = kompetens(&["demo", "--format", "json", "--wave", "2025"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["dimios"]["year"], "2025");
    assert!(v["dimios"]["previous_year"].is_null());
    assert!(v["dimios"]["overall_change"].is_null());
    let text = stdout(&kompetens(&["demo", "--wave", "2025"]));
    let d = dimios_section(&text, "DiMiOS digital maturity 2025");
    assert!(!d.contains("change since"), "{d}");
}

fn example_gaps(format: &str) -> Output {
    kompetens(&[
        "gaps",
        "--framework",
        "digcomp-2.2",
        "--profiles",
        "examples/profiles.json",
        "--assessments",
        "examples/assessments.csv",
        "--policy",
        "prefer:manager,test,self",
        "--format",
        format,
    ])
}

#[test]
fn gaps_on_the_examples() {
    let o = example_gaps("json");
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let people: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["person"].as_str().unwrap())
        .collect();
    assert_eq!(people, ["anna", "bo", "cecilia", "david", "eva"]);

    // anna, librarian. Effective profile (librarian extends all-staff;
    // weights critical 3, important 2, useful 1):
    //   1.1 L6 w3, 1.2 L5 w3, 2.1 L3 w1, 2.3 L4 w2, 3.3 L4 w2, 4.2 L4 w3.
    // Ratings: self 1.1 6, 1.2 5, 2.1 4, 2.3 3, 4.2 4; manager 1.1 5, 1.2 5,
    // 2.3 4, 4.2 3. prefer:manager,test,self picks 5, 5, 4 (self), 4, –, 3.
    //   1.1: 6 − 5 = gap 1, weighted 3, unmet
    //   1.2: met; 2.1: met (self); 2.3: met; 3.3: missing
    //   4.2: 4 − 3 = gap 1, weighted 3, unmet
    // readiness = met weight / rated weight = (3 + 1 + 2) / (3 + 3 + 1 + 2 + 3)
    //           = 6 / 12 = 0.5; plan: 1.1 and 4.2 tie (3, weight 3) → framework
    // order; total weighted gap 6.
    let anna = &v[0];
    assert_eq!(anna["role"], "librarian");
    assert_eq!(anna["unit"], "lib-central");
    assert_eq!(anna["wave"], "2026");
    assert_eq!(anna["readiness"], 0.5);
    assert_eq!(anna["missing"], serde_json::json!(["3.3"]));
    assert_eq!(anna["plan"], serde_json::json!(["1.1", "4.2"]));
    assert_eq!(anna["total_weighted_gap"], 6.0);
    assert_eq!(anna["rated"], 5);
    assert_eq!(anna["met"], 3);
    let g11 = &anna["gaps"][0];
    assert_eq!(
        (
            &g11["competence"],
            &g11["current"],
            &g11["source"],
            &g11["gap"]
        ),
        (
            &Value::from("1.1"),
            &Value::from(5),
            &Value::from("manager"),
            &Value::from(1)
        )
    );
    assert_eq!(anna["gaps"][2]["source"], "self");
    assert_eq!(anna["gaps"][4]["current"], Value::Null);

    // bo, self only: 1.1 4 (gap 2 × 3 = 6), 1.2 4 (1 × 3 = 3), 2.1 3 met,
    // 2.3 5 met, 3.3 2 (2 × 2 = 4), 4.2 5 met → readiness (1+2+3)/14 = 3/7.
    let bo = &v[1];
    assert!((bo["readiness"].as_f64().unwrap() - 3.0 / 7.0).abs() < 1e-12);
    assert_eq!(bo["plan"], serde_json::json!(["1.1", "3.3", "1.2"]));
    assert_eq!(bo["total_weighted_gap"], 13.0);

    // eva's rows have empty levels: in the file, but never rated.
    let eva = &v[4];
    assert_eq!(eva["readiness"], Value::Null);
    assert_eq!(eva["rated"], 0);
    assert_eq!(eva["missing"].as_array().unwrap().len(), 6);
}

#[test]
fn gaps_table_on_the_examples() {
    let o = example_gaps("table");
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("anna · librarian · lib-central · wave 2026"));
    assert!(text.contains("readiness 50.0%: 3 of 5 rated requirements met"));
    assert!(text.contains("development plan: 1.1, 4.2 (total weighted gap 6)"));
    assert!(text.contains("readiness 42.9%: 3 of 6 requirements met (all rated)"));
}

#[test]
fn gaps_json_assessments_and_wave_filter() {
    let dir = std::env::temp_dir().join(format!("kompetens-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("a.json");
    std::fs::write(
        &file,
        r#"[{"person": "x", "role": "librarian", "wave": "2025", "ratings": [
              {"competence": "1.1", "level": 6, "source": "self"}]},
            {"person": "x", "role": "librarian", "wave": "2026", "ratings": [
              {"competence": "1.1", "level": 2, "source": "self"}]}]"#,
    )
    .unwrap();
    let o = kompetens(&[
        "gaps",
        "--framework",
        "digcomp-2.2",
        "--profiles",
        "examples/profiles.json",
        "--assessments",
        file.to_str().unwrap(),
        "--wave",
        "2026",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    // 1.1 required 6, current 2: gap 4 × 3 = 12, the only rated requirement.
    assert_eq!(v[0]["gaps"][0]["weighted_gap"], 12.0);
    assert_eq!(v[0]["readiness"], 0.0);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_input_exits_2_with_a_located_message() {
    let dir = std::env::temp_dir().join(format!("kompetens-cli-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "person,role,competence,level,source\nanna,librarian,1.1,high,self\n",
    )
    .unwrap();
    let bad = bad.to_str().unwrap();
    let o = kompetens(&[
        "gaps",
        "--framework",
        "digcomp-2.2",
        "--profiles",
        "examples/profiles.json",
        "--assessments",
        bad,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_no_panic(&o);
    assert_eq!(
        stderr(&o),
        format!(
            "error[csv_error] at {bad}, line 2, column \"level\": CSV error: \"high\" is not an integer level\n"
        )
    );
    assert!(stdout(&o).is_empty());

    // several sources and no policy: refused, never averaged
    let o = kompetens(&[
        "gaps",
        "--framework",
        "digcomp-2.2",
        "--profiles",
        "examples/profiles.json",
        "--assessments",
        "examples/assessments.csv",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with(
            "error[ambiguous_ratings] at examples/assessments.csv, person \"anna\" (wave 2026), ratings[0]:"
        ),
        "{}",
        stderr(&o)
    );

    let cases: [(&[&str], &str); 5] = [
        (
            &[
                "gaps",
                "--framework",
                "digcomp-2.2",
                "--profiles",
                "nope.json",
                "--assessments",
                "examples/assessments.csv",
            ],
            "error[io_error] at nope.json: cannot read the file:",
        ),
        (
            &[
                "gaps",
                "--framework",
                "digcomp-9",
                "--profiles",
                "examples/profiles.json",
                "--assessments",
                "examples/assessments.csv",
            ],
            "error[unknown_builtin] at --framework: \"digcomp-9\" is neither a built-in framework",
        ),
        (
            &[
                "gaps",
                "--framework",
                "digcomp-2.2",
                "--profiles",
                "examples/assessments.csv",
                "--assessments",
                "examples/assessments.csv",
            ],
            "error[parse_error] at examples/assessments.csv",
        ),
        (
            &[
                "gaps",
                "--framework",
                "digcomp-2.2",
                "--profiles",
                "examples/profiles.json",
                "--assessments",
                "examples/assessments.csv",
                "--policy",
                "average",
            ],
            "error[invalid_policy] at --policy: invalid policy: \"average\"",
        ),
        (
            &["schema", "nope"],
            "error[unknown_reference] at NAME: no schema \"nope\"",
        ),
    ];
    for (args, start) in cases {
        let o = kompetens(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_no_panic(&o);
        assert!(stderr(&o).starts_with(start), "{args:?}: {}", stderr(&o));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn vectors_pass_on_the_shared_files() {
    let mut files: Vec<String> = std::fs::read_dir(root().join("tests/vectors"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| p.strip_prefix(root()).unwrap().display().to_string())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut args = vec!["vectors"];
    args.extend(files.iter().map(String::as_str));
    let o = kompetens(&args);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains(" 0 failed"));
}

#[test]
fn vectors_report_failing_cases() {
    let dir = std::env::temp_dir().join(format!("kompetens-cli-vec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("v.json");
    std::fs::write(
        &file,
        r#"{"format": "kompetens-vectors/1", "description": "one good, one bad",
            "cases": [
              {"name": "good", "op": "policy.parse", "input": {"policy": "max"},
               "expected": {"kind": "max"}},
              {"name": "bad-expectation", "op": "policy.parse", "input": {"policy": "min"},
               "expected": {"kind": "max"}}]}"#,
    )
    .unwrap();
    let o = kompetens(&["vectors", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("FAIL bad-expectation (policy.parse): $.kind: expected \"max\", got \"min\""),
        "{out}"
    );
    assert!(out.contains("1 passed, 1 failed"), "{out}");
    assert_eq!(stderr(&o), "error[vectors_failed]: 1 case(s) failed\n");

    std::fs::write(&file, "{}").unwrap();
    let o = kompetens(&["vectors", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("error[vector_file] at "),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn schema_prints_json_schemas() {
    let o = kompetens(&["schema"]);
    assert!(o.status.success());
    let names = stdout(&o);
    assert!(names.lines().any(|l| l == "role-profile"));
    for name in names.lines() {
        let o = kompetens(&["schema", name]);
        assert!(o.status.success(), "{name}");
        let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert!(v.get("$schema").is_some(), "{name}");
    }
}

/// The README's command-line quickstart runs as written (from the repository
/// root, with `kompetens` being the freshly built binary).
#[test]
fn readme_cli_quickstart_runs() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme
        .split("### Command line")
        .nth(1)
        .expect("README has a '### Command line' section");
    let block = section
        .split("```sh")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a ```sh block");
    let commands = block.replace("\\\n", " ");
    let mut ran = 0;
    for line in commands.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let mut words = line.split_whitespace();
        assert_eq!(words.next(), Some("kompetens"), "{line}");
        let mut args: Vec<String> = Vec::new();
        for w in words {
            if let Some(dir) = w.strip_suffix("/*.json") {
                // expand the shell glob
                let mut files: Vec<String> = std::fs::read_dir(root().join(dir))
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .filter(|p| p.extension().is_some_and(|e| e == "json"))
                    .map(|p| p.strip_prefix(root()).unwrap().display().to_string())
                    .collect();
                files.sort();
                args.extend(files);
            } else {
                args.push(w.to_string());
            }
        }
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = kompetens(&refs);
        assert!(o.status.success(), "{line}: {}", stderr(&o));
        assert!(!stdout(&o).is_empty(), "{line}");
        ran += 1;
    }
    assert!(ran >= 3, "{ran}");
}
