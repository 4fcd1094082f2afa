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
