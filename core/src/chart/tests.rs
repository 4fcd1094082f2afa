//! Tests of the charts: geometry against hand-worked numbers, the
//! accessibility structure, languages, determinism and errors.

use serde_json::json;

use super::*;
use crate::api;

/// Sample specs (also the inputs of the shared vectors).
pub(crate) fn sample_radar() -> RadarSpec {
    RadarSpec {
        axes: vec![
            Entry::named("1.1", "Browsing, searching and filtering data"),
            Entry::named("2.1", "Interacting through digital technologies"),
            Entry::named("3.1", "Developing digital content"),
            Entry::named("4.1", "Protecting devices"),
        ],
        min: 0.0,
        max: 8.0,
        series: vec![
            Series::new(
                SeriesKind::Actual,
                vec![Some(3.0), Some(4.0), None, Some(2.0)],
            ),
            Series::new(
                SeriesKind::Required,
                vec![Some(4.0), Some(4.0), Some(5.0), Some(3.0)],
            ),
        ],
    }
}

pub(crate) fn sample_heatmap() -> HeatmapSpec {
    HeatmapSpec {
        rows: vec![
            Entry::named("Central library", "lib-central"),
            Entry::new("Bokbussen"),
        ],
        columns: vec![Entry::new("1.1"), Entry::new("2.1"), Entry::new("4.1")],
        metric: HeatMetric::Coverage,
        max: None,
        cells: vec![
            vec![
                HeatCell::value(0.625),
                HeatCell::value(1.0),
                HeatCell::missing(),
            ],
            vec![
                HeatCell::withheld("primary"),
                HeatCell::value(0.0),
                HeatCell::withheld("secondary"),
            ],
        ],
    }
}

pub(crate) fn sample_quadrant() -> QuadrantSpec {
    QuadrantSpec {
        x_label: "Digital förmåga".into(),
        y_label: "Digitalt arv".into(),
        cut_x: 50.0,
        cut_y: 50.0,
        types: vec![
            QuadrantType {
                id: "A".into(),
                x: Side::Low,
                y: Side::Low,
                name: Some("low capability, limiting legacy".into()),
            },
            QuadrantType {
                id: "B".into(),
                x: Side::High,
                y: Side::Low,
                name: None,
            },
            QuadrantType {
                id: "C".into(),
                x: Side::Low,
                y: Side::High,
                name: None,
            },
            QuadrantType {
                id: "D".into(),
                x: Side::High,
                y: Side::High,
                name: None,
            },
        ],
        points: vec![
            QuadrantPoint {
                label: "Kommunen".into(),
                x: 62.5,
                y: 40.0,
                kind: SeriesKind::Actual,
            },
            QuadrantPoint {
                label: "Peer 1".into(),
                x: 30.0,
                y: 70.0,
                kind: SeriesKind::Peer,
            },
        ],
    }
}

pub(crate) fn sample_spider() -> SpiderSpec {
    SpiderSpec {
        axes: [
            "Effektivitet",
            "Innovation",
            "Balansering",
            "Organisation",
            "Användare",
            "Teknik",
        ]
        .map(Entry::new)
        .to_vec(),
        series: vec![
            Series::new(
                SeriesKind::Actual,
                vec![
                    Some(60.0),
                    Some(45.0),
                    Some(70.0),
                    Some(50.0),
                    Some(55.0),
                    Some(40.0),
                ],
            )
            .labelled("Kommunen"),
            Series::new(
                SeriesKind::Peer,
                vec![
                    Some(55.0),
                    Some(50.0),
                    Some(60.0),
                    Some(52.5),
                    Some(50.0),
                    Some(45.0),
                ],
            )
            .labelled("Peer average"),
        ],
    }
}

pub(crate) fn sample_change() -> ChangeSpec {
    ChangeSpec {
        items: vec![
            Entry::new("Information"),
            Entry::new("Communication"),
            Entry::new("Safety"),
        ],
        before: vec![Some(2.5), Some(3.0), None],
        after: vec![Some(3.25), Some(2.5), None],
        withheld: vec![None, None, Some("primary".into())],
        unit: ValueUnit::Level,
        min: 0.0,
        max: Some(8.0),
        before_label: Some("2025".into()),
        after_label: Some("2026".into()),
    }
}

/// Parse the SVG as XML (well-formedness) and return the document text.
fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{svg}"))
}

/// The accessibility frame every chart must have.
fn check_frame(svg: &str, id: &str) {
    let doc = parse(svg);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    assert_eq!(
        root.attribute("aria-labelledby"),
        Some(format!("{id}-title {id}-desc").as_str())
    );
    let title = root
        .children()
        .find(|n| n.has_tag_name("title"))
        .expect("title");
    assert_eq!(title.attribute("id"), Some(format!("{id}-title").as_str()));
    assert!(!title.text().unwrap_or("").is_empty());
    let desc = root
        .children()
        .find(|n| n.has_tag_name("desc"))
        .expect("desc");
    assert_eq!(desc.attribute("id"), Some(format!("{id}-desc").as_str()));
    assert!(!desc.text().unwrap_or("").is_empty());
}

#[test]
fn write_samples_when_asked() {
    let Ok(dir) = std::env::var("KOMPETENS_CHART_OUT") else {
        return;
    };
    for lang in [Lang::En, Lang::Sv] {
        let o = ChartOptions {
            lang,
            ..Default::default()
        };
        let t = lang.tag();
        std::fs::write(
            format!("{dir}/radar-{t}.svg"),
            radar(&sample_radar(), &o).unwrap(),
        )
        .unwrap();
        std::fs::write(
            format!("{dir}/heatmap-{t}.svg"),
            heatmap(&sample_heatmap(), &o).unwrap(),
        )
        .unwrap();
        std::fs::write(
            format!("{dir}/quadrant-{t}.svg"),
            quadrant(&sample_quadrant(), &o).unwrap(),
        )
        .unwrap();
        std::fs::write(
            format!("{dir}/spider-{t}.svg"),
            spider(&sample_spider(), &o).unwrap(),
        )
        .unwrap();
        std::fs::write(
            format!("{dir}/change-{t}.svg"),
            change(&sample_change(), &o).unwrap(),
        )
        .unwrap();
    }
}

#[test]
fn every_chart_has_the_accessible_frame() {
    let o = ChartOptions::default();
    check_frame(&radar(&sample_radar(), &o).unwrap(), "radar");
    check_frame(&heatmap(&sample_heatmap(), &o).unwrap(), "heatmap");
    check_frame(&quadrant(&sample_quadrant(), &o).unwrap(), "quadrant");
    check_frame(&spider(&sample_spider(), &o).unwrap(), "spider");
    check_frame(&change(&sample_change(), &o).unwrap(), "change");
}

#[test]
fn api_ops_return_svg_text() {
    let out = api::call(
        "chart.radar",
        json!({"spec": serde_json::to_value(sample_radar()).unwrap(), "options": {"lang": "sv"}}),
    )
    .unwrap();
    let svg = out.as_str().unwrap();
    check_frame(svg, "radar");
    assert!(svg.contains("Kravnivå"));
}

fn opts() -> ChartOptions {
    ChartOptions::default()
}

fn sv() -> ChartOptions {
    ChartOptions {
        lang: Lang::Sv,
        ..ChartOptions::default()
    }
}

/// The `points` attribute of every `<polygon>`/`<polyline>` with a stroke
/// of this colour.
fn shapes(svg: &str, colour: &str) -> Vec<String> {
    let doc = parse(svg);
    doc.descendants()
        .filter(|n| n.has_tag_name("polygon") || n.has_tag_name("polyline"))
        .filter(|n| n.attribute("stroke") == Some(colour))
        .filter_map(|n| n.attribute("points").map(str::to_string))
        .collect()
}

#[test]
fn sin_cos_by_series_match_the_platform_within_rounding() {
    for k in 0..48 {
        let t = k as f64 / 48.0;
        let (s, c) = radar::sin_cos_turns(t);
        let a = 2.0 * std::f64::consts::PI * t;
        assert!((s - a.sin()).abs() < 1e-14, "sin at {t}");
        assert!((c - a.cos()).abs() < 1e-14, "cos at {t}");
    }
}

#[test]
fn radar_points_are_where_the_hand_worked_geometry_puts_them() {
    // Centre (320, 262), radius 170; axis k of n at θ = 2πk/n clockwise from
    // the top; value v of max 8 at f = v/8:
    //   x = 320 + 170·f·sin θ,  y = 262 − 170·f·cos θ.
    // Actual 3, 4, –, 2 on 4 axes:
    //   k=0, 3/8: (320, 262 − 63.75) = (320, 198.25)
    //   k=1, 4/8: θ = 90°: (320 + 85, 262) = (405, 262)
    //   k=3, 2/8: θ = 270°: (320 − 42.5, 262) = (277.5, 262); axis 2 is skipped
    // Required 4, 4, 5, 3:
    //   (320, 177), (405, 262), (320, 262 + 106.25) = (320, 368.25),
    //   (320 − 63.75, 262) = (256.25, 262)
    let svg = radar(&sample_radar(), &opts()).unwrap();
    assert_eq!(
        shapes(&svg, "#0072B2"),
        vec!["320,198.25 405,262 277.5,262"]
    );
    assert_eq!(
        shapes(&svg, "#D55E00"),
        vec!["320,177 405,262 320,368.25 256.25,262"]
    );
    // Five axes, level 3 of 8 on axis 1: θ = 72°, sin 72° = 0.9510565,
    // cos 72° = 0.3090170: x = 320 + 63.75·0.9510565 = 380.6299,
    // y = 262 − 63.75·0.3090170 = 242.3002.
    let spec = RadarSpec {
        axes: ["a", "b", "c", "d", "e"].map(Entry::new).to_vec(),
        min: 0.0,
        max: 8.0,
        series: vec![Series::new(
            SeriesKind::Actual,
            vec![Some(3.0), Some(3.0), Some(3.0), Some(3.0), Some(3.0)],
        )],
    };
    let svg = radar(&spec, &opts()).unwrap();
    let pts = &shapes(&svg, "#0072B2")[0];
    assert_eq!(pts.split(' ').nth(1), Some("380.63,242.3"));
    // rings at every level 1..8 on a 0..8 scale, labelled along axis 0
    let doc = parse(&svg);
    let rings = doc
        .descendants()
        .filter(|n| n.has_tag_name("polygon") && n.attribute("stroke").is_none())
        .count();
    assert_eq!(rings, 8);
}

#[test]
fn radar_axis_labels_carry_the_values_of_every_series() {
    let svg = radar(&sample_radar(), &opts()).unwrap();
    let doc = parse(&svg);
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("tspan"))
        .filter_map(|n| n.text().map(str::to_string))
        .collect();
    for t in [
        "1.1", "3 / 4", "2.1", "4 / 4", "3.1", "n/a / 5", "4.1", "2 / 3",
    ] {
        assert!(texts.iter().any(|x| x == t), "{t} not among {texts:?}");
    }
    // full names as tooltips, legend labels in the language
    assert!(svg.contains("<title>Browsing, searching and filtering data</title>"));
    assert!(svg.contains(">Current level</text>") && svg.contains(">Required level</text>"));
    // the data in words
    assert!(svg.contains("Developing digital content n/a"));
    // series differ by dash pattern and marker shape, not only colour
    assert!(svg.contains("stroke=\"#D55E00\" stroke-width=\"2\" stroke-dasharray=\"6 4\""));
    assert!(svg.contains("<rect x=\"316.5\" y=\"173.5\" width=\"7\" height=\"7\""));
}

#[test]
fn heatmap_cells_hand_worked() {
    // Longest row label "Central library" (15 characters): left = 15·7.4 +
    // 16 = 127; short column labels: top = 10 + 24 = 34; cells 52 × 30.
    // Cell (row 1, column 0) is at (127, 64). Colours on the viridis ramp:
    // coverage 0.625 → t = 0.625, between the stops at ½ (33, 145, 140) and
    // ¾ (94, 201, 98), halfway: (63.5, 173, 119) → #40ad77 (63.5 rounds up);
    // coverage 1 → the last stop #fde725; coverage 0 → the first, #440154.
    let svg = heatmap(&sample_heatmap(), &opts()).unwrap();
    assert!(svg.contains("<rect x=\"127\" y=\"34\" width=\"52\" height=\"30\" fill=\"#40ad77\""));
    assert!(svg.contains("<rect x=\"179\" y=\"34\" width=\"52\" height=\"30\" fill=\"#fde725\""));
    assert!(svg.contains("<rect x=\"179\" y=\"64\" width=\"52\" height=\"30\" fill=\"#440154\""));
    // white text on the dark cell, black on the light ones
    assert!(svg.contains("fill=\"#fff\">0%</text>"));
    assert!(svg.contains("fill=\"#000\">63%</text>")); // 62.5 % rounds up
}

#[test]
fn withheld_cells_are_hatched_labelled_and_never_zero() {
    let svg = heatmap(&sample_heatmap(), &opts()).unwrap();
    let doc = parse(&svg);
    let withheld: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("withheld"))
        .collect();
    assert_eq!(withheld.len(), 2);
    for g in &withheld {
        let rect = g.children().find(|n| n.has_tag_name("rect")).unwrap();
        assert_eq!(rect.attribute("fill"), Some("url(#heatmap-hatch)"));
        let text = g.children().find(|n| n.has_tag_name("text")).unwrap();
        assert_eq!(text.text(), Some("–"));
        assert!(!text.text().unwrap().chars().any(|c| c.is_ascii_digit()));
    }
    let tips: Vec<&str> = withheld
        .iter()
        .filter_map(|g| g.children().find(|n| n.has_tag_name("title")))
        .filter_map(|t| t.text())
        .collect();
    assert_eq!(
        tips,
        vec![
            "lib-central × 1.1: withheld: group too small".replace("lib-central", "Bokbussen"),
            "Bokbussen × 4.1: withheld: protects another cell".to_string()
        ]
    );
    // the pattern is defined
    let pattern = doc
        .descendants()
        .find(|n| n.has_tag_name("pattern"))
        .unwrap();
    assert_eq!(pattern.attribute("id"), Some("heatmap-hatch"));
    // a missing cell is told apart: white, "n/a", "no data"
    let missing: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("missing"))
        .collect();
    assert_eq!(missing.len(), 1);
    let text = missing[0]
        .children()
        .find(|n| n.has_tag_name("text"))
        .unwrap();
    assert_eq!(text.text(), Some("n/a"));
    assert!(svg.contains("<title>lib-central × 4.1: no data</title>"));
    // and the description counts them
    assert!(svg.contains("withheld: 2.") && svg.contains("no data: 1."));
}

#[test]
fn heatmap_shortfall_scale_darkens_with_need() {
    // mean shortfall: t = 1 − v / max; max defaults to the largest value
    // rounded up (2.4 → 3): v = 3·… here 1.5 of 3 → t = 0.5 → #21918c.
    let spec = HeatmapSpec {
        rows: vec![Entry::new("u")],
        columns: vec![Entry::new("a"), Entry::new("b")],
        metric: HeatMetric::MeanShortfall,
        max: None,
        cells: vec![vec![HeatCell::value(1.5), HeatCell::value(2.4)]],
    };
    let svg = heatmap(&spec, &opts()).unwrap();
    assert!(svg.contains("fill=\"#21918c\""));
    assert!(svg.contains(">1.5</text>") && svg.contains(">2.4</text>"));
    // the legend runs from the top of the scale (more need) to 0
    assert!(svg.contains(">3.0</text>"));
}

#[test]
fn quadrant_hand_worked() {
    // Plot square at (90, 30), 420 wide: (x %, y %) → (90 + 4.2x, 30 +
    // 4.2(100 − y)). The organisation at (62.5, 40): (352.5, 282). Cuts at 50:
    // x = 300, y = 240. Peer at (30, 70): (216, 156); its diamond path starts
    // 5 above: M216 151.
    let svg = quadrant(&sample_quadrant(), &opts()).unwrap();
    assert!(svg.contains("<circle cx=\"352.5\" cy=\"282\" r=\"7\""));
    assert!(svg.contains("<line x1=\"300\" y1=\"30\" x2=\"300\" y2=\"450\"/>"));
    assert!(svg.contains("<line x1=\"90\" y1=\"240\" x2=\"510\" y2=\"240\"/>"));
    assert!(svg.contains("d=\"M216 151l5 5l-5 5l-5 -5z\""));
    // the organisation is in B (high förmåga, low arv), the peer in C
    assert!(svg.contains("Kommunen: Digital förmåga 62.5%, Digitalt arv 40.0% (B)"));
    assert!(svg.contains("Peer 1: 30.0%, 70.0% (C)."));
    // types: A bottom left, D top right
    assert!(svg.contains(">A</text>") && svg.contains(">D</text>"));
    assert!(svg.contains("low capability, limiting"));
}

#[test]
fn spider_is_a_percentage_radar() {
    // Six axes, 60 % on axis 0: (320, 262 − 170·0.6) = (320, 160).
    let svg = spider(&sample_spider(), &opts()).unwrap();
    let own = &shapes(&svg, "#0072B2")[0];
    assert_eq!(own.split(' ').next(), Some("320,160"));
    assert!(svg.contains("60.0% / 55.0%"));
    let svg = spider(&sample_spider(), &sv()).unwrap();
    assert!(svg.contains("60,0\u{a0}% / 55,0\u{a0}%"));
    assert!(svg.contains("52,5\u{a0}%"));
}

#[test]
fn change_hand_worked() {
    // Longest label "Communication" (13): left = 13·7.4 + 16 = 112.2, scale
    // from x0 = 122.2 over 340 for 0..8; row 0 centred at y = 44 + 15 = 59.
    // 2.5 → 122.2 + 340·2.5/8 = 228.45. Change 3.25 − 2.5 = 0.75 → "+0.8"
    // (one decimal, ties away from zero); 2.5 − 3 → "-0.5".
    let svg = change(&sample_change(), &opts()).unwrap();
    assert!(
        svg.contains("<circle cx=\"228.45\" cy=\"59\" r=\"5\" fill=\"#fff\" stroke=\"#E69F00\"")
    );
    assert!(svg.contains(">+0.8</text>") && svg.contains(">-0.5</text>"));
    let doc = parse(&svg);
    let w = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("withheld"))
        .unwrap();
    let rect = w.children().find(|n| n.has_tag_name("rect")).unwrap();
    assert_eq!(rect.attribute("fill"), Some("url(#change-hatch)"));
    assert!(svg.contains("Safety: withheld: group too small"));
    assert!(svg.contains("Information: 2.5 → 3.3 (+0.8)."));
    // percentages: points of change
    let mut spec = sample_change();
    spec.unit = ValueUnit::Percent;
    spec.max = None;
    let svg = change(&spec, &sv()).unwrap();
    assert!(svg.contains(">+0,8\u{a0}p.e.</text>"));
}

#[test]
fn swedish_and_english_wording() {
    let en = radar(&sample_radar(), &opts()).unwrap();
    let sv_ = radar(&sample_radar(), &sv()).unwrap();
    assert!(en.contains("lang=\"en\"") && sv_.contains("lang=\"sv\""));
    assert!(en.contains("<title id=\"radar-title\">Competence radar</title>"));
    assert!(sv_.contains("<title id=\"radar-title\">Kompetensradar</title>"));
    assert!(sv_.contains("Nuvarande nivå") && sv_.contains("Kravnivå"));
    assert!(sv_.contains("saknas / 5"));
    let h = heatmap(&sample_heatmap(), &sv()).unwrap();
    assert!(h.contains("skyddad: för liten grupp") && h.contains("Täckning"));
    assert!(h.contains("63\u{a0}%"));
    let c = change(&sample_change(), &sv()).unwrap();
    assert!(c.contains("Förändring") && c.contains("+0,8"));
}

#[test]
fn options_set_title_desc_width_and_ids() {
    let o = ChartOptions {
        lang: Lang::En,
        width: Some(320.0),
        title: Some("Anna & <the> team".into()),
        desc: Some("Custom".into()),
        id: Some("anna-radar".into()),
    };
    let svg = radar(&sample_radar(), &o).unwrap();
    check_frame(&svg, "anna-radar");
    assert!(svg.contains("width=\"320\" height=\"280\" viewBox=\"0 0 640 560\""));
    assert!(svg.contains("<title id=\"anna-radar-title\">Anna &amp; &lt;the&gt; team</title>"));
    let h = heatmap(
        &sample_heatmap(),
        &ChartOptions {
            id: Some("h2".into()),
            ..opts()
        },
    )
    .unwrap();
    assert!(h.contains("id=\"h2-hatch\"") && h.contains("url(#h2-hatch)"));
    assert!(!h.contains("heatmap-hatch"));
}

#[test]
fn output_is_deterministic() {
    let a = [
        radar(&sample_radar(), &opts()).unwrap(),
        heatmap(&sample_heatmap(), &opts()).unwrap(),
        quadrant(&sample_quadrant(), &opts()).unwrap(),
        spider(&sample_spider(), &opts()).unwrap(),
        change(&sample_change(), &opts()).unwrap(),
    ];
    let b = [
        radar(&sample_radar().clone(), &opts()).unwrap(),
        heatmap(&sample_heatmap(), &opts()).unwrap(),
        quadrant(&sample_quadrant(), &opts()).unwrap(),
        spider(&sample_spider(), &opts()).unwrap(),
        change(&sample_change(), &opts()).unwrap(),
    ];
    assert_eq!(a, b);
    // no "-0", no more than two decimals in any coordinate
    for svg in &a {
        assert!(!svg.contains("\"-0\"") && !svg.contains(" -0 ") && !svg.contains("-0,"));
        let doc = parse(svg);
        for node in doc.descendants() {
            for attr in [
                "x", "y", "cx", "cy", "x1", "y1", "x2", "y2", "width", "height",
            ] {
                if let Some(v) = node.attribute(attr) {
                    let decimals = v.split('.').nth(1).map_or(0, str::len);
                    assert!(decimals <= 2, "{attr}={v}");
                }
            }
        }
    }
}

#[test]
fn number_formats() {
    use super::svg::{n, num, pct, signed};
    assert_eq!(n(2.5), "2.5");
    assert_eq!(n(3.0), "3");
    assert_eq!(n(-0.001), "0");
    assert_eq!(n(198.25), "198.25");
    assert_eq!(n(1.0 / 3.0), "0.33");
    assert_eq!(num(-0.04, 1, Lang::En), "0.0");
    assert_eq!(num(2.25, 1, Lang::Sv), "2,3"); // ties away from zero
    assert_eq!(num(-2.25, 1, Lang::En), "-2.3");
    assert_eq!(num(0.125, 2, Lang::En), "0.13");
    assert_eq!(pct(62.0, 0, Lang::En), "62%");
    assert_eq!(pct(62.0, 0, Lang::Sv), "62\u{a0}%");
    assert_eq!(signed(0.5, 1, Lang::En), "+0.5");
    assert_eq!(signed(-0.5, 1, Lang::En), "-0.5");
    assert_eq!(signed(0.0, 1, Lang::En), "0.0");
}

fn err_of(r: crate::Result<String>) -> (String, String) {
    let e = r.unwrap_err();
    (e.code().to_string(), e.location())
}

#[test]
fn bad_input_is_a_located_error() {
    let mut s = sample_radar();
    s.series[0].values[1] = Some(f64::NAN);
    assert_eq!(
        err_of(radar(&s, &opts())),
        ("invalid_value".into(), "series[0].values[1]".into())
    );
    let mut s = sample_radar();
    s.series[0].values[0] = Some(9.0);
    assert_eq!(
        err_of(radar(&s, &opts())),
        ("value_out_of_scale".into(), "series[0].values[0]".into())
    );
    let mut s = sample_radar();
    s.series[1].values.pop();
    assert_eq!(
        err_of(radar(&s, &opts())),
        ("shape_mismatch".into(), "series[1].values".into())
    );
    let mut s = sample_radar();
    s.axes.clear();
    assert_eq!(err_of(radar(&s, &opts())), ("empty".into(), "axes".into()));
    let mut s = sample_radar();
    s.max = 0.0;
    assert_eq!(
        err_of(radar(&s, &opts())),
        ("invalid_value".into(), "max".into())
    );
    let mut s = sample_radar();
    s.min = f64::INFINITY;
    assert_eq!(
        err_of(radar(&s, &opts())),
        ("invalid_value".into(), "min".into())
    );

    let mut h = sample_heatmap();
    h.cells[1].pop();
    assert_eq!(
        err_of(heatmap(&h, &opts())),
        ("shape_mismatch".into(), "cells[1]".into())
    );
    let mut h = sample_heatmap();
    h.cells[1][0].value = Some(0.5);
    assert_eq!(
        err_of(heatmap(&h, &opts())),
        ("invalid_value".into(), "cells[1][0].value".into())
    );
    let mut h = sample_heatmap();
    h.cells[0][0].value = Some(1.5);
    assert_eq!(
        err_of(heatmap(&h, &opts())),
        ("value_out_of_scale".into(), "cells[0][0].value".into())
    );

    let mut q = sample_quadrant();
    q.points[0].y = -1.0;
    assert_eq!(
        err_of(quadrant(&q, &opts())),
        ("value_out_of_scale".into(), "points[0].y".into())
    );
    let mut q = sample_quadrant();
    q.types[1].x = Side::Low;
    assert_eq!(
        err_of(quadrant(&q, &opts())),
        ("duplicate_id".into(), "types[1]".into())
    );

    let mut c = sample_change();
    c.after.push(None);
    assert_eq!(
        err_of(change(&c, &opts())),
        ("shape_mismatch".into(), "after".into())
    );
    let mut c = sample_change();
    c.max = None;
    assert_eq!(
        err_of(change(&c, &opts())),
        ("missing_value".into(), "max".into())
    );
    let mut c = sample_change();
    c.before[2] = Some(1.0);
    assert_eq!(
        err_of(change(&c, &opts())),
        ("invalid_value".into(), "before[2]".into())
    );

    let bad_id = ChartOptions {
        id: Some("1x".into()),
        ..opts()
    };
    assert_eq!(
        err_of(spider(&sample_spider(), &bad_id)),
        ("invalid_value".into(), "options.id".into())
    );
    let bad_width = ChartOptions {
        width: Some(-3.0),
        ..opts()
    };
    assert_eq!(
        err_of(spider(&sample_spider(), &bad_width)),
        ("invalid_value".into(), "options.width".into())
    );
}

#[test]
fn api_errors_are_located_in_the_spec_or_options() {
    let mut spec = serde_json::to_value(sample_radar()).unwrap();
    spec["series"][0]["values"][0] = json!(9);
    let e = api::call("chart.radar", json!({"spec": spec})).unwrap_err();
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("value_out_of_scale", "spec.series[0].values[0]")
    );
    let e = api::call(
        "chart.radar",
        json!({"spec": serde_json::to_value(sample_radar()).unwrap(), "options": {"id": "9"}}),
    )
    .unwrap_err();
    assert_eq!(e.location(), "options.id");
    let e = api::call(
        "chart.radar",
        json!({"spec": serde_json::to_value(sample_radar()).unwrap(), "colour": "red"}),
    )
    .unwrap_err();
    assert_eq!((e.code(), e.location().as_str()), ("parse_error", "colour"));
    let e = api::call("chart.heatmap", json!({"spec": {"rows": []}})).unwrap_err();
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("missing_value", "spec.columns")
    );
    let e = api::call("chart.heatmap", json!({"spec": {"rows": [], "colour": 1}})).unwrap_err();
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("parse_error", "spec.colour")
    );
    let e = api::call(
        "chart.radar",
        json!({"spec": {"axes": [{"label": 1}], "max": 8, "series": []}}),
    )
    .unwrap_err();
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("parse_error", "spec.axes[0].label")
    );
    let e = api::call(
        "chart.radar",
        json!({"spec": serde_json::to_value(sample_radar()).unwrap(),
        "options": {"lang": "de"}}),
    )
    .unwrap_err();
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("parse_error", "options.lang")
    );
    let e = api::call("chart.change", json!({})).unwrap_err();
    assert_eq!((e.code(), e.location().as_str()), ("missing_value", "spec"));
}

#[test]
fn radar_from_gap_report_by_area_and_competence() {
    // Requirements 1.1: 4, 1.2: 5 (area 1), 2.1: 3 (area 2), 5.1: 2 (area 5);
    // ratings 1.1: 2, 1.2: 4, 2.1: 3, 5.1 unrated. Per area:
    //   area 1: current (2 + 4)/2 = 3, required (4 + 5)/2 = 4.5
    //   area 2: current 3, required 3
    //   area 5: current none (nothing rated), required 2
    let report = api::call(
        "gap_report",
        json!({"framework": "digcomp-2.2",
               "profile": {"id": "r", "requirements": [
                   {"competence": "1.1", "level": 4}, {"competence": "1.2", "level": 5},
                   {"competence": "2.1", "level": 3}, {"competence": "5.1", "level": 2}]},
               "ratings": {"1.1": 2, "1.2": 4, "2.1": 3}}),
    )
    .unwrap();
    let report: crate::GapReport = serde_json::from_value(report).unwrap();
    let fw = crate::Framework::builtin("digcomp-2.2").unwrap();
    let spec = RadarSpec::from_gap_report(&report, &fw, By::Area, Lang::En).unwrap();
    let labels: Vec<&str> = spec.axes.iter().map(|a| a.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Information and data literacy",
            "Communication and collaboration",
            "Problem solving"
        ]
    );
    assert_eq!(spec.series[0].values, vec![Some(3.0), Some(3.0), None]);
    assert_eq!(spec.series[1].values, vec![Some(4.5), Some(3.0), Some(2.0)]);
    assert_eq!((spec.min, spec.max), (0.0, 8.0));
    let sv_spec = RadarSpec::from_gap_report(&report, &fw, By::Area, Lang::Sv).unwrap();
    assert_ne!(sv_spec.axes[0].label, spec.axes[0].label);

    let by_c = RadarSpec::from_gap_report(&report, &fw, By::Competence, Lang::En).unwrap();
    assert_eq!(by_c.axes.len(), 4);
    assert_eq!(by_c.axes[3].label, "5.1");
    assert_eq!(
        by_c.series[0].values,
        vec![Some(2.0), Some(4.0), Some(3.0), None]
    );

    // an extra series per area: the mean over the area's competences given
    let mut spec = spec;
    let levels =
        std::collections::BTreeMap::from([("1.1".to_string(), 3.0), ("1.2".to_string(), 4.0)]);
    spec.push_levels(&report, &fw, By::Area, (SeriesKind::Peer, None), &levels)
        .unwrap();
    assert_eq!(spec.series[2].values, vec![Some(3.5), None, None]);

    let e = RadarSpec::from_gap_report(&report, &fw, By::Category, Lang::En).unwrap_err();
    assert_eq!(e.location(), "by");
    let fw3 = crate::Framework::builtin("digcomp-3.0").unwrap();
    assert_eq!(
        RadarSpec::from_gap_report(&report, &fw3, By::Area, Lang::En)
            .unwrap_err()
            .location(),
        "framework"
    );

    // and through the API, with an extra series
    let svg = api::call(
        "chart.radar",
        json!({"gap_report": serde_json::to_value(&report).unwrap(), "framework": "digcomp-2.2",
               "by": "competence", "extra": [{"levels": {"1.1": 3}, "label": "Unit"}],
               "options": {"lang": "sv"}}),
    )
    .unwrap();
    let svg = svg.as_str().unwrap();
    check_frame(svg, "radar");
    assert!(svg.contains(">Unit</text>"));
    assert!(svg.contains("<title>Sökning, hämtning och filtrering av data") || svg.contains("1.1"));
}

#[cfg(feature = "aggregate")]
#[test]
fn heatmap_from_a_publication_keeps_withheld_cells_withheld() {
    // 7 people in unit a, 2 in unit b: b's cells are below min_group 5.
    let mut people = Vec::new();
    for i in 0..9 {
        let unit = if i < 7 { "a" } else { "b" };
        people.push(json!({"id": format!("p{i}"), "unit": unit,
            "levels": {"1.1": 1 + i % 5, "2.1": 2 + i % 3},
            "required": {"1.1": 3, "2.1": 3}}));
    }
    let out = api::call(
        "aggregate.gaps",
        json!({"framework": "digcomp-2.2",
               "tree": [{"id": "org"}, {"id": "a", "parent": "org"}, {"id": "b", "parent": "org"}],
               "people": people}),
    )
    .unwrap();
    let publication: crate::aggregate::Publication = serde_json::from_value(out.clone()).unwrap();
    let select = HeatmapSelect::default();
    let fw = crate::Framework::builtin("digcomp-2.2").unwrap();
    let spec = HeatmapSpec::from_publication(&publication, &select, Some(&fw), Lang::En).unwrap();
    // only the competences with data: 1.1 and 2.1
    let cols: Vec<&str> = spec.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(cols, ["1.1", "2.1"]);
    assert_eq!(
        spec.columns[0].name.as_deref(),
        Some("Browsing, searching and filtering data, information and digital content")
    );
    let rows: Vec<&str> = spec.rows.iter().map(|r| r.label.as_str()).collect();
    // every cell matches its row of the publication
    let mut withheld = 0;
    for (r, unit) in rows.iter().enumerate() {
        for (c, comp) in cols.iter().enumerate() {
            let row = publication
                .rows
                .iter()
                .find(|x| {
                    x.table == crate::aggregate::Table::Unit
                        && x.unit.as_deref() == Some(*unit)
                        && x.scope == Some(crate::aggregate::Scope::Rollup)
                        && x.role.is_none()
                        && x.competence.as_deref() == Some(*comp)
                })
                .unwrap();
            let cell = &spec.cells[r][c];
            match row.suppressed {
                Some(_) => {
                    withheld += 1;
                    assert!(cell.withheld.is_some() && cell.value.is_none());
                }
                None => assert_eq!(cell.value, row.coverage),
            }
        }
    }
    assert!(withheld >= 2, "unit b's cells are withheld");
    let svg = api::call(
        "chart.heatmap",
        json!({"publication": out, "framework": "digcomp-2.2", "metric": "mean_shortfall",
               "unit_names": {"a": "Avdelning A"}, "options": {"lang": "sv"}}),
    )
    .unwrap();
    let svg = svg.as_str().unwrap();
    check_frame(svg, "heatmap");
    assert!(svg.contains("Avdelning A") && svg.contains("skyddad"));
}

#[cfg(feature = "aggregate")]
#[test]
fn change_from_waves_weights_areas_by_pairs() {
    // Unit u, rolled up: 1.1 with 4 pairs, means 2 → 3; 1.2 with 6 pairs,
    // 3 → 3.5; 2.1 withheld. Area 1: before (4·2 + 6·3)/10 = 2.6, after
    // (4·3 + 6·3.5)/10 = 3.3; area 2 withheld: 2.1 secondary and 2.2
    // primary make it primary, as the gap table's area rows.
    let row = |c: &str, paired: Option<u64>, b: Option<f64>, a: Option<f64>, s: Option<&str>| {
        json!({"unit": "u", "scope": "rollup", "competence": c, "paired": paired,
               "improved": null, "unchanged": null, "declined": null,
               "share_improved": null, "share_unchanged": null, "share_declined": null,
               "mean_before": b, "mean_after": a,
               "mean_change": null, "wilcoxon_pvalue": null, "rank_biserial": null, "d_z": null,
               "suppressed": s})
    };
    let waves = json!({"min_group": 5, "determined": 0, "movements": [], "rows": [
        row("1.1", Some(4), Some(2.0), Some(3.0), None),
        row("1.2", Some(6), Some(3.0), Some(3.5), None),
        row("2.1", None, None, None, Some("secondary")),
        row("2.2", None, None, None, Some("primary")),
    ]});
    let publication: crate::aggregate::WavePublication =
        serde_json::from_value(waves.clone()).unwrap();
    let fw = crate::Framework::builtin("digcomp-2.2").unwrap();
    let spec = ChangeSpec::from_waves(
        &publication,
        None,
        crate::aggregate::Scope::Rollup,
        Some(&fw),
        By::Area,
        Lang::En,
    )
    .unwrap();
    assert_eq!(spec.items.len(), 2);
    assert!((spec.before[0].unwrap() - 2.6).abs() < 1e-12);
    assert!((spec.after[0].unwrap() - 3.3).abs() < 1e-12);
    assert_eq!(spec.withheld, vec![None, Some("primary".to_string())]);
    let by_c = ChangeSpec::from_waves(
        &publication,
        Some("u"),
        crate::aggregate::Scope::Rollup,
        None,
        By::Competence,
        Lang::En,
    )
    .unwrap();
    assert_eq!(by_c.before, vec![Some(2.0), Some(3.0), None, None]);
    assert_eq!(by_c.max, Some(4.0)); // largest mean 3.5 rounded up
    let e = ChangeSpec::from_waves(
        &publication,
        None,
        crate::aggregate::Scope::Rollup,
        None,
        By::Area,
        Lang::En,
    )
    .unwrap_err();
    assert_eq!(
        (e.code(), e.location().as_str()),
        ("missing_value", "framework")
    );
    let svg = api::call(
        "chart.change",
        json!({"waves": waves, "framework": "digcomp-2.2", "by": "area",
        "before_label": "2025", "after_label": "2026"}),
    )
    .unwrap();
    let svg = svg.as_str().unwrap();
    assert!(svg.contains("Information and data literacy: 2.6 → 3.3 (+0.7)."));
    assert!(svg.contains(">2025</text>"));
}

#[cfg(feature = "maturity")]
#[test]
fn dimios_charts_from_results() {
    use crate::maturity::{MaturityModel, MaturitySettings, ResultSummary};
    let model = MaturityModel::builtin("dimios").unwrap();
    let result: ResultSummary = serde_json::from_value(json!({
        "model": "dimios",
        "dimensions": [{"id": "formaga", "percentage": 62.5}, {"id": "arv", "percentage": 40.0}],
        "categories": [{"id": "effektivitet", "percentage": 60.0}, {"id": "innovation", "percentage": 45.0},
                       {"id": "balansering", "percentage": 70.0}, {"id": "organisation", "percentage": 50.0},
                       {"id": "anvandare", "percentage": 55.0}, {"id": "teknik", "percentage": 40.0}]
    }))
    .unwrap();
    let peer = |f: f64, a: f64, cat: f64| -> ResultSummary {
        serde_json::from_value(json!({
            "dimensions": [{"id": "formaga", "percentage": f}, {"id": "arv", "percentage": a}],
            "categories": [{"id": "effektivitet", "percentage": cat}, {"id": "teknik", "percentage": null}]
        }))
        .unwrap()
    };
    let settings = MaturitySettings {
        quadrant_cut_x: 60.0,
        ..MaturitySettings::default()
    };
    let q = QuadrantSpec::from_result(
        &model,
        &result,
        &settings,
        Some("Kommunen"),
        &[
            ("P1".into(), peer(30.0, 70.0, 50.0)),
            ("P2".into(), peer(20.0, 10.0, 70.0)),
        ],
        Lang::Sv,
    )
    .unwrap();
    assert_eq!((q.cut_x, q.cut_y), (60.0, 50.0));
    assert_eq!(
        (q.x_label.as_str(), q.y_label.as_str()),
        ("Digital förmåga", "Digitalt arv")
    );
    assert_eq!(q.points.len(), 3);
    let a = q.types.iter().find(|t| t.id == "A").unwrap();
    assert_eq!((a.x, a.y), (Side::Low, Side::Low));
    assert_eq!(a.name.as_deref(), Some("låg förmåga, begränsande arv"));
    // cut x = 60 → x = 90 + 4.2·60 = 342
    let svg = quadrant(&q, &sv()).unwrap();
    assert!(svg.contains("<line x1=\"342\" y1=\"30\" x2=\"342\" y2=\"450\"/>"));

    // spider: the peer average per category over the peers that have it:
    // effektivitet (50 + 70)/2 = 60; teknik: none
    let s = SpiderSpec::from_result(
        &model,
        &result,
        &[peer(0.0, 0.0, 50.0), peer(0.0, 0.0, 70.0)],
        None,
        Lang::En,
    )
    .unwrap();
    assert_eq!(s.axes.len(), 6);
    assert_eq!(s.series[0].values[0], Some(60.0));
    assert_eq!(s.series[1].values[0], Some(60.0));
    assert_eq!(s.series[1].values[5], None);
    assert_eq!(s.series[1].label.as_deref(), Some("Peer average (n = 2)"));

    // change from a comparison, in percentage points
    let cmp = crate::maturity::compare(&result, &peer(50.0, 50.0, 55.5)).unwrap();
    let c = ChangeSpec::from_comparison(&cmp, Some(&model), By::Category, Lang::En).unwrap();
    assert_eq!(c.items[0].label, "Efficiency");
    assert_eq!((c.before[0], c.after[0]), (Some(55.5), Some(60.0)));
    let svg = change(&c, &opts()).unwrap();
    assert!(svg.contains(">+4.5\u{a0}pp</text>"));
    let e = ChangeSpec::from_comparison(&cmp, None, By::Area, Lang::En).unwrap_err();
    assert_eq!(e.location(), "by");

    // through the API: the result carries its settings (cut 60 on x)
    let mut full = serde_json::to_value(&result).unwrap();
    full["settings"] = serde_json::to_value(&settings).unwrap();
    let svg = api::call("chart.dimios_quadrant", json!({"result": full,
        "peers": [{"id": "P1", "type": "municipality", "result": serde_json::to_value(peer(30.0, 70.0, 50.0)).unwrap()}]}))
        .unwrap();
    assert!(svg.as_str().unwrap().contains("x1=\"342\""));
    let svg = api::call(
        "chart.dimios_spider",
        json!({"result": serde_json::to_value(&result).unwrap(),
        "peers": [serde_json::to_value(peer(0.0, 0.0, 50.0)).unwrap()]}),
    )
    .unwrap();
    check_frame(svg.as_str().unwrap(), "spider");
    let e = api::call(
        "chart.dimios_quadrant",
        json!({"result": {"model": "edih-dma-pso"}}),
    )
    .unwrap_err();
    assert_eq!(e.location(), "result.model");
}

/// The shared vectors `tests/vectors/chart-*.json`: inputs here, expected
/// SVG text as drawn (snapshots; the geometry is checked by the hand-worked
/// tests above). `KOMPETENS_UPDATE_CHART_VECTORS=1 cargo test -p kompetens
/// chart::tests::shared_vectors` rewrites them; otherwise this test checks
/// that they are current.
#[cfg(all(feature = "maturity", feature = "aggregate"))]
#[test]
fn shared_vectors() {
    let radar_spec = serde_json::to_value(sample_radar()).unwrap();
    let report = json!({"role": "librarian", "framework": "digcomp-2.2", "readiness": 0.5,
        "gaps": [
            {"competence": "1.1", "area": "1", "required": 4, "current": 2, "gap": 2, "weight": 3.0, "weighted_gap": 6.0, "met": false},
            {"competence": "2.1", "area": "2", "required": 3, "current": 3, "gap": 0, "weight": 1.0, "weighted_gap": 0.0, "met": true},
            {"competence": "5.1", "area": "5", "required": 2, "current": null, "gap": null, "weight": 1.0, "weighted_gap": null, "met": null}],
        "missing": ["5.1"], "plan": ["1.1"], "requirements": 3, "rated": 2, "met": 1, "total_weighted_gap": 6.0});
    let mut bad_radar = radar_spec.clone();
    bad_radar["series"][0]["values"][0] = json!(9);
    let heat = serde_json::to_value(sample_heatmap()).unwrap();
    let mut bad_heat = heat.clone();
    bad_heat["cells"][1][0]["value"] = json!(0.5);
    let result = json!({"model": "dimios",
        "dimensions": [{"id": "formaga", "percentage": 62.5}, {"id": "arv", "percentage": 40.0}],
        "categories": [{"id": "effektivitet", "percentage": 60.0}, {"id": "innovation", "percentage": 45.0},
                       {"id": "balansering", "percentage": 70.0}, {"id": "organisation", "percentage": 50.0},
                       {"id": "anvandare", "percentage": 55.0}, {"id": "teknik", "percentage": 40.0}]});
    let comparison = json!({"model": "dimios",
        "overall": {"current": 55.0, "previous": 50.0, "change": 5.0},
        "dimensions": [{"id": "formaga", "current": 62.5, "previous": 55.0, "change": 7.5},
                       {"id": "arv", "current": 40.0, "previous": 45.0, "change": -5.0}],
        "categories": [], "capabilities": []});
    type Case<'a> = (&'a str, &'a str, serde_json::Value);
    let files: Vec<(&str, &str, Vec<Case>)> = vec![
        ("chart-radar", "Competence radar (chart.radar): spec and gap-report forms, English and Swedish", vec![
            ("radar-spec-en", "chart.radar", json!({"spec": radar_spec})),
            ("radar-spec-sv-options", "chart.radar", json!({"spec": radar_spec, "options": {"lang": "sv", "width": 320, "id": "r2", "title": "Anna"}})),
            ("radar-from-gap-report-by-competence", "chart.radar", json!({"gap_report": report, "framework": "digcomp-2.2", "by": "competence"})),
            ("radar-from-gap-report-by-area-sv", "chart.radar", json!({"gap_report": report, "framework": "digcomp-2.2", "options": {"lang": "sv"}})),
            ("radar-value-out-of-scale", "chart.radar", json!({"spec": bad_radar})),
        ]),
        ("chart-heatmap", "Gap heatmap (chart.heatmap): withheld cells hatched and labelled, missing cells told apart", vec![
            ("heatmap-withheld-en", "chart.heatmap", json!({"spec": heat})),
            ("heatmap-withheld-sv", "chart.heatmap", json!({"spec": heat, "options": {"lang": "sv"}})),
            ("heatmap-withheld-cell-with-value", "chart.heatmap", json!({"spec": bad_heat})),
        ]),
        ("chart-dimios", "DiMiOS quadrant and spider (chart.dimios_quadrant, chart.dimios_spider): spec and result forms", vec![
            ("quadrant-spec", "chart.dimios_quadrant", json!({"spec": serde_json::to_value(sample_quadrant()).unwrap()})),
            ("quadrant-from-result-sv", "chart.dimios_quadrant", json!({"result": result, "label": "Kommunen",
                "peers": [{"id": "Grannkommunen", "result": {"dimensions": [{"id": "formaga", "percentage": 30.0}, {"id": "arv", "percentage": 70.0}]}}],
                "options": {"lang": "sv"}})),
            ("spider-spec", "chart.dimios_spider", json!({"spec": serde_json::to_value(sample_spider()).unwrap()})),
            ("spider-from-result-with-peers", "chart.dimios_spider", json!({"result": result,
                "peers": [{"categories": [{"id": "effektivitet", "percentage": 50.0}, {"id": "teknik", "percentage": 35.0}]}]})),
        ]),
        ("chart-change", "Change between two waves (chart.change): spec with a withheld item, maturity comparison", vec![
            ("change-spec-en", "chart.change", json!({"spec": serde_json::to_value(sample_change()).unwrap()})),
            ("change-spec-sv", "chart.change", json!({"spec": serde_json::to_value(sample_change()).unwrap(), "options": {"lang": "sv"}})),
            ("change-from-maturity-comparison", "chart.change", json!({"comparison": comparison, "model": "dimios", "by": "dimension",
                "before_label": "2025", "after_label": "2026"})),
        ]),
    ];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let update = std::env::var_os("KOMPETENS_UPDATE_CHART_VECTORS").is_some();
    for (stem, description, cases) in files {
        let cases: Vec<serde_json::Value> = cases
            .into_iter()
            .map(|(name, op, input)| match api::call(op, input.clone()) {
                Ok(out) => json!({"name": name, "op": op, "input": input, "expected": out}),
                Err(e) => json!({"name": name, "op": op, "input": input,
                                 "error": {"code": e.code(), "location": e.location()}}),
            })
            .collect();
        let doc = json!({
            "format": "kompetens-vectors/1",
            "description": description,
            "source": "Snapshots of the SVG text drawn by kompetens::chart (byte-identical in every language); the geometry behind them is checked against hand-worked numbers in core/src/chart/tests.rs. Regenerate with KOMPETENS_UPDATE_CHART_VECTORS=1 cargo test -p kompetens chart::tests::shared_vectors.",
            "cases": cases,
        });
        let text = serde_json::to_string_pretty(&doc).unwrap() + "\n";
        let path = dir.join(format!("{stem}.json"));
        if update {
            std::fs::write(&path, &text).unwrap();
        } else {
            let committed = std::fs::read_to_string(&path)
                .unwrap_or_else(|_| panic!("missing {}", path.display()));
            assert_eq!(committed, text, "{} is stale; regenerate", path.display());
        }
    }
}
