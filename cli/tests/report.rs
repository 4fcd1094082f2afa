//! `kompetens report` on small fixture files (cli/tests/fixtures/report):
//! the page is well-formed (parsed as XML by roxmltree: the report is
//! polyglot HTML), self-contained, has every section in Swedish and in
//! English, shows the hand-computed figures below, omits sections without
//! input with a note, and reports bad input with file and row.
//!
//! The demo report (`--demo`) is checked by cli/tests/report.test.mjs with
//! the release binary in headless Chromium: its training-demand protection
//! takes minutes in a debug build.
//!
//! Hand-computed figures of the fixture (wave 2026; role `staff` requires
//! 1.1 at level 3, weight important = 2, and 4.2 at level 4, critical = 3):
//!
//! * readiness per person = weighted share of rated requirements met:
//!   a (6 people): 1, 1, 0, 1, 2/5, 3/5 → 4.0; b (3): 0, 1, 1 → 2;
//!   c (5): 1, 2/5, 0 (4.2 not rated), 3/5, 1 → 3.0; the municipality:
//!   9/14 = 64.2857 % → "64,3 %"; in 2025: (3.0 + 1 + 2.6)/14 = 47.14 %.
//! * 4.2 over the municipality: 13 people rated, 9 at level ≥ 4 →
//!   coverage 69 %, 4 below the requirement in 3 units (a: 2, b: 1, c: 1).
//! * 4.2 change 2025 → 2026, 13 pairs: mean 43/13 = 3.31 → 47/13 = 3.62,
//!   4 of 13 improved (31 %).
//! * DiMiOS 2026: every answer of a respondent sits at the same point of
//!   the scale (reverse-keyed items mirrored), so every capability of a is
//!   100 % (6 answers of 6), of c 60 % ((4 − 1)/5, 5 respondents); b (2
//!   respondents) is withheld but counted in the total: (6·100 + 2·0 +
//!   5·60)/13 = 69.23 % everywhere; 2025: everyone at 4 → 60 %, change
//!   +9.2 points.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

const F: &str = "cli/tests/fixtures/report";

fn kompetens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kompetens"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

fn fixture_args(lang: &str) -> Vec<String> {
    [
        "report",
        "--lang",
        lang,
        "--units",
        &format!("{F}/units.csv"),
        "--profiles",
        &format!("{F}/profiles.json"),
        "--assessments",
        &format!("{F}/assessments.csv"),
        "--dimios",
        &format!("{F}/dimios-2026.csv"),
        "--dimios-previous",
        &format!("{F}/dimios-2025.csv"),
        "--dimios-year",
        "2026",
        "--dimios-previous-year",
        "2025",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn run(args: &[String]) -> Output {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    kompetens(&refs)
}

fn html(args: &[String]) -> String {
    let o = run(args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    String::from_utf8(o.stdout).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

const SECTIONS: [&str; 7] = [
    "overview", "heatmap", "needs", "demand", "maturity", "change", "method",
];

/// The text of an element and its descendants, whitespace collapsed.
fn text(node: roxmltree::Node) -> String {
    let raw: String = node
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" ");
    raw.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

fn section<'a>(doc: &'a roxmltree::Document, id: &str) -> roxmltree::Node<'a, 'a> {
    doc.descendants()
        .find(|n| n.has_tag_name("section") && n.attribute("id") == Some(id))
        .unwrap_or_else(|| panic!("no section {id}"))
}

/// Checks every report must pass: parses as XML, one html element with the
/// language, every section with a heading, tables with captions, figures
/// with captions, nothing from elsewhere.
fn check_page(page: &str, lang: &str) {
    let doc = roxmltree::Document::parse_with_options(
        page,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("not well-formed: {e}"));
    let html = doc.root_element();
    assert_eq!(html.tag_name().name(), "html");
    assert_eq!(html.attribute("lang"), Some(lang));
    assert!(page.starts_with("<!DOCTYPE html>\n"));
    for id in SECTIONS {
        let s = section(&doc, id);
        let h2 = s
            .children()
            .find(|n| n.has_tag_name("h2"))
            .unwrap_or_else(|| panic!("{id} has no h2"));
        assert_eq!(
            s.attribute("aria-labelledby"),
            h2.attribute("id"),
            "{id} is labelled by its heading"
        );
    }
    for t in doc.descendants().filter(|n| n.has_tag_name("table")) {
        assert!(
            t.first_element_child()
                .is_some_and(|c| c.has_tag_name("caption")),
            "a table without a caption"
        );
    }
    for f in doc.descendants().filter(|n| n.has_tag_name("figure")) {
        assert!(f.children().any(|c| c.has_tag_name("figcaption")));
    }
    // self-contained: no script, no link, no image, no URL
    for tag in ["script", "link", "img", "iframe", "object", "embed"] {
        assert!(
            !doc.descendants().any(|n| n.has_tag_name(tag)),
            "<{tag}> in the report"
        );
    }
    for bad in ["http://", "https://", " src=", "@import"] {
        assert!(!page.contains(bad), "{bad:?} in the report");
    }
    // url() only for fragments of the page itself (the heatmap's hatching)
    for (i, _) in page.match_indices("url(") {
        assert_eq!(page.get(i + 4..i + 5), Some("#"), "url() leaves the page");
    }
    for a in doc.descendants().filter_map(|n| n.attribute("href")) {
        assert!(a.starts_with('#'), "link {a:?} leaves the page");
    }
}

#[test]
fn fixture_report_is_well_formed_complete_and_self_contained() {
    for lang in ["sv", "en"] {
        let page = html(&fixture_args(lang));
        check_page(&page, lang);
    }
}

#[test]
fn fixture_report_shows_the_hand_computed_figures_in_swedish() {
    let page = html(&fixture_args("sv"));
    let doc = roxmltree::Document::parse_with_options(
        &page,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap();
    let overview = text(section(&doc, "overview"));
    for want in [
        "Översikt",
        "Medarbetare 14",
        "Måluppfyllelse 64,3\u{a0}%",
        "47,1\u{a0}% mätomgången innan",
        "Digital mognad 69,2\u{a0}%",
        "+9,2\u{a0}p.e.",
        "DiMiOS-respondenter 13",
        "Mätomgång 2026",
        "Jämförs med 2025",
        "Kommunen",
    ] {
        assert!(overview.contains(want), "{want:?} not in {overview}");
    }
    // Arkivet has 3 people with a readiness (< 5): every unit is withheld,
    // the municipality shown.
    assert!(overview.contains("Arkivet 3 0 ej redovisad"), "{overview}");
    assert!(overview.contains("Kommunen 14 0 64,3\u{a0}%"), "{overview}");

    let needs = text(section(&doc, "needs"));
    assert!(
        needs.contains("4.2 Skydda personuppgifter och integritet täckning 69\u{a0}% av 13"),
        "{needs}"
    );
    let demand = text(section(&doc, "demand"));
    // competence, required level, below, with the requirement, share, units
    assert!(
        demand.contains("4.2 Skydda personuppgifter och integritet 4 4 13 31\u{a0}% 3"),
        "{demand}"
    );
    let change = text(section(&doc, "change"));
    assert!(change.contains("2025 → 2026"), "{change}");
    assert!(change.contains("13 3,31 3,62 +0,31 31\u{a0}%"), "{change}");
    let maturity = text(section(&doc, "maturity"));
    for want in [
        "Total mognad 69,2\u{a0}% +9,2\u{a0}p.e.",
        "Biblioteket 6 100,0\u{a0}%",
        "Arkivet 2 ej redovisad",
        "60,0\u{a0}%",
        "Typ D",
    ] {
        assert!(maturity.contains(want), "{want:?} not in {maturity}");
    }
    // The unit name with markup characters is escaped, never raw.
    assert!(page.contains("Museum &amp; &quot;Konst&quot; &lt;x&gt;"));
    assert!(!page.contains("<x>"));
}

#[test]
fn english_report_uses_english_words_and_numbers() {
    let page = html(&fixture_args("en"));
    for want in [
        "<html lang=\"en\">",
        ">Overview</h2>",
        ">Competence coverage by unit</h2>",
        ">Training demand</h2>",
        ">Digital maturity (DiMiOS)</h2>",
        ">Change between waves</h2>",
        "64.3%",
        "+9.2 pp",
        "The Municipality",
        "Museum &amp; &quot;Art&quot; &lt;x&gt;",
    ] {
        assert!(page.contains(want), "{want:?} missing");
    }
    for swedish in [
        "Översikt",
        "Måluppfyllelse",
        "ej redovisad",
        "Kommunen",
        "skyddad",
        "Täckning",
    ] {
        assert!(!page.contains(swedish), "{swedish:?} in the English report");
    }
    let sv = html(&fixture_args("sv"));
    let doc = roxmltree::Document::parse_with_options(
        &sv,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap();
    let shown = text(doc.root_element());
    for english in ["Overview", "Readiness", "withheld", "Coverage", "Before"] {
        assert!(
            !shown.contains(english),
            "{english:?} in the Swedish report"
        );
    }
    // the heatmap's description names units by name, not by id
    assert!(
        sv.contains("Kommunen: 1.1"),
        "unit names in the heatmap description"
    );
}

#[test]
fn the_same_input_gives_the_same_page() {
    assert_eq!(html(&fixture_args("sv")), html(&fixture_args("sv")));
}

#[test]
fn out_writes_the_file_and_says_where() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-out");
    let out = dir.join("sub").join("r.html");
    let _ = std::fs::remove_dir_all(&dir);
    let mut args = fixture_args("sv");
    args.push("--out".into());
    args.push(out.display().to_string());
    let said = html(&args);
    assert!(said.starts_with("report written to "), "{said}");
    assert!(said.contains("r.html"), "{said}");
    let page = std::fs::read_to_string(&out).unwrap();
    check_page(&page, "sv");
}

#[test]
fn sections_without_input_are_omitted_with_a_note() {
    // DiMiOS only: the four competence sections say why they are empty.
    let page = html(
        &[
            "report",
            "--dimios",
            &format!("{F}/dimios-2026.csv"),
            "--units",
            &format!("{F}/units.csv"),
        ]
        .map(String::from),
    );
    check_page(&page, "sv");
    assert_eq!(
        page.matches("Avsnittet utelämnas: inga kompetensskattningar angavs")
            .count(),
        5,
        "overview table, heatmap, needs, demand, change"
    );
    assert!(page.contains("Avsnittet utelämnas: ingen tidigare DiMiOS-mätning angavs"));
    assert!(page.contains("Biblioteket 6") || page.contains("Biblioteket</th><td class=\"n\">6"));

    // Ratings only, one wave: no maturity, no change.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-one-wave");
    std::fs::create_dir_all(&dir).unwrap();
    let all = std::fs::read_to_string(root().join(F).join("assessments.csv")).unwrap();
    let one: String = all
        .lines()
        .filter(|l| !l.contains(",2025,"))
        .map(|l| format!("{l}\n"))
        .collect();
    let file = dir.join("one-wave.csv");
    std::fs::write(&file, one).unwrap();
    let page = html(
        &[
            "report",
            "--lang",
            "en",
            "--units",
            &format!("{F}/units.csv"),
            "--profiles",
            &format!("{F}/profiles.json"),
            "--assessments",
            &file.display().to_string(),
        ]
        .map(String::from),
    );
    check_page(&page, "en");
    assert!(page.contains("Section omitted: no DiMiOS responses were given (--dimios)."));
    assert!(page.contains("Section omitted: the input has only one wave."));
    assert!(page.contains("64.3%"));
}

fn write(name: &str, text: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-errors");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn error(args: &[&str]) -> String {
    let o = kompetens(args);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let e = stderr(&o);
    assert!(!e.contains("panicked"), "{e}");
    e
}

#[test]
fn bad_input_is_reported_with_file_and_row() {
    let units = format!("{F}/units.csv");
    let profiles = format!("{F}/profiles.json");
    // a unit that is not in the tree, on line 3 of the CSV
    let bad_unit = write(
        "bad-unit.csv",
        "person,role,unit,wave,competence,level,source\np1,staff,a,2026,1.1,3,self\np2,staff,nowhere,2026,1.1,3,self\n",
    );
    let e = error(&[
        "report",
        "--units",
        &units,
        "--profiles",
        &profiles,
        "--assessments",
        &bad_unit,
    ]);
    assert_eq!(
        e.trim(),
        format!("error[unknown_reference] at {bad_unit}, line 3, column \"unit\": unit \"nowhere\" is not in the unit tree (--units)")
    );
    // a role that is not a profile
    let bad_role = write(
        "bad-role.csv",
        "person,role,unit,wave,competence,level,source\np1,chef,a,2026,1.1,3,self\n",
    );
    let e = error(&[
        "report",
        "--units",
        &units,
        "--profiles",
        &profiles,
        "--assessments",
        &bad_role,
    ]);
    assert!(
        e.starts_with(&format!(
            "error[unknown_profile] at {bad_role}, line 2, column \"role\""
        )),
        "{e}"
    );
    // a level that is not a number: the core's CSV import names the line
    let bad_level = write(
        "bad-level.csv",
        "person,role,unit,wave,competence,level,source\np1,staff,a,2026,1.1,x,self\n",
    );
    let e = error(&[
        "report",
        "--units",
        &units,
        "--profiles",
        &profiles,
        "--assessments",
        &bad_level,
    ]);
    assert!(
        e.starts_with(&format!(
            "error[csv_error] at {bad_level}, line 2, column \"level\""
        )),
        "{e}"
    );
    // DiMiOS answer that is not a number
    let good = std::fs::read_to_string(root().join(F).join("dimios-2026.csv")).unwrap();
    let mut lines: Vec<String> = good.lines().map(String::from).collect();
    lines[3] = lines[3].replacen(",6,", ",six,", 1);
    let bad_answer = write("bad-answer.csv", &(lines.join("\n") + "\n"));
    let e = error(&["report", "--dimios", &bad_answer]);
    assert!(
        e.starts_with(&format!(
            "error[csv_error] at {bad_answer}, line 4, column \""
        )),
        "{e}"
    );
    assert!(e.contains("\"six\" is not a number"), "{e}");
    // DiMiOS row of an unknown unit: the row's line
    let mut lines: Vec<String> = good.lines().map(String::from).collect();
    lines[2] = lines[2].replacen("r2,a,", "r2,zz,", 1);
    let bad_unit = write("bad-dimios-unit.csv", &(lines.join("\n") + "\n"));
    let e = error(&["report", "--dimios", &bad_unit, "--units", &units]);
    assert!(
        e.starts_with(&format!(
            "error[unknown_reference] at {bad_unit}, line 3, column \"unit\""
        )),
        "{e}"
    );
    // unit tree: unknown parent
    let bad_tree = write("bad-tree.csv", "id,parent,name\nk,,K\na,x,A\n");
    let e = error(&[
        "report",
        "--units",
        &bad_tree,
        "--dimios",
        &format!("{F}/dimios-2026.csv"),
    ]);
    assert!(
        e.starts_with(&format!("error[unknown_reference] at {bad_tree}")),
        "{e}"
    );
    // a JSON unit file with a wrong field: the JSON path
    let bad_json = write(
        "bad-units.json",
        r#"[{"id": "k"}, {"id": "a", "parnet": "k"}]"#,
    );
    let e = error(&[
        "report",
        "--units",
        &bad_json,
        "--dimios",
        &format!("{F}/dimios-2026.csv"),
    ]);
    assert!(e.contains(&format!("at {bad_json}, units")), "{e}");
    assert!(e.contains("[1]"), "{e}");
    // assessments without the tree or profiles
    let e = error(&["report", "--assessments", &format!("{F}/assessments.csv")]);
    assert!(e.starts_with("error[missing_value] at --units:"), "{e}");
    let e = error(&[
        "report",
        "--units",
        &units,
        "--assessments",
        &format!("{F}/assessments.csv"),
    ]);
    assert!(e.starts_with("error[missing_value] at --profiles:"), "{e}");
    // nothing at all
    let e = error(&["report"]);
    assert!(
        e.starts_with("error[missing_value] at report: nothing to report"),
        "{e}"
    );
    // an unknown wave
    let e = error(&[
        "report",
        "--units",
        &units,
        "--profiles",
        &profiles,
        "--assessments",
        &format!("{F}/assessments.csv"),
        "--wave",
        "1999",
    ]);
    assert!(e.starts_with("error[unknown_reference] at --wave:"), "{e}");
    // a missing file
    let e = error(&["report", "--dimios", "no/such/file.csv"]);
    assert!(e.starts_with("error[io_error] at no/such/file.csv"), "{e}");
    // --demo with files is a usage error
    let o = kompetens(&["report", "--demo", "--units", &units]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot be used with"), "{}", stderr(&o));
}

#[test]
fn unit_files_in_json_are_read_too() {
    // the demo's own unit file (object with "units", names in sv and en,
    // staff per role) is a valid --units file
    let page = html(
        &[
            "report",
            "--units",
            "core/data/demo/units.json",
            "--dimios",
            &write(
                "demo-units-dimios.json",
                &serde_json::json!({"items": [], "rows": []}).to_string(),
            ),
        ]
        .map(String::from),
    );
    check_page(&page, "sv");
    assert!(page.contains("Kulturförvaltningen"));
}
