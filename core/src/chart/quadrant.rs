//! The quadrant chart (DiMiOS: x = Digital förmåga, y = Digitalt arv).
//!
//! Geometry (viewBox 560 × 540): the plot square starts at (90, 30) and is
//! 420 wide, 0–100 % on both axes, so a point (x %, y %) lies at
//!
//! ```text
//! px = 90 + 4.2 · x
//! py = 30 + 4.2 · (100 − y)
//! ```
//!
//! The cut lines are dashed at `cut_x` and `cut_y`; each type's id (`A`–`D`)
//! is drawn large in the outer corner of its quadrant with its name below.
//! A value exactly at a cut counts as the high side (as the default
//! `at_cut` of the maturity settings).

use super::svg::{esc, legend_item, marker, n, pct, text_lines, w, wrap, Doc};
use super::words::{word, Word};
use super::{on_scale, ChartOptions, QuadrantSpec, SeriesKind, Side};
use crate::error::{Error, Result};

/// Width of the viewBox.
pub(crate) const W: f64 = 560.0;
/// Height of the viewBox.
pub(crate) const H: f64 = 540.0;
/// Left of the plot.
pub(crate) const X0: f64 = 90.0;
/// Top of the plot.
pub(crate) const Y0: f64 = 30.0;
/// Side of the plot square.
pub(crate) const S: f64 = 420.0;

/// The drawing position of (x %, y %).
pub(crate) fn place(x: f64, y: f64) -> (f64, f64) {
    (X0 + S * x / 100.0, Y0 + S * (100.0 - y) / 100.0)
}

/// Draw a quadrant chart.
///
/// Errors: a cut or point coordinate outside 0–100 (`value_out_of_scale`),
/// two types in one quadrant (`duplicate_id`, at the second).
pub fn quadrant(spec: &QuadrantSpec, options: &ChartOptions) -> Result<String> {
    let cut_x = on_scale(spec.cut_x, 0.0, 100.0, || "cut_x".into())?;
    let cut_y = on_scale(spec.cut_y, 0.0, 100.0, || "cut_y".into())?;
    for (i, p) in spec.points.iter().enumerate() {
        on_scale(p.x, 0.0, 100.0, || format!("points[{i}].x"))?;
        on_scale(p.y, 0.0, 100.0, || format!("points[{i}].y"))?;
    }
    for (i, t) in spec.types.iter().enumerate() {
        if spec.types[..i].iter().any(|o| o.x == t.x && o.y == t.y) {
            return Err(Error::DuplicateId {
                location: format!("types[{i}]"),
                id: t.id.clone(),
            });
        }
    }
    let side = |v: f64, cut: f64| if v < cut { Side::Low } else { Side::High };
    let type_of = |x: f64, y: f64| {
        spec.types
            .iter()
            .find(|t| t.x == side(x, cut_x) && t.y == side(y, cut_y))
    };

    let mut doc = Doc::new("quadrant", options)?;
    let lang = doc.lang;
    let out = &mut doc.body;

    // frame and ticks
    w!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#8c8c8c\"/>\n",
        n(X0),
        n(Y0),
        n(S),
        n(S)
    );
    out.push_str("<g font-size=\"10\" fill=\"#595959\">\n");
    for v in [0.0, 25.0, 50.0, 75.0, 100.0] {
        let (px, py) = place(v, v);
        w!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n<text x=\"{}\" y=\"{}\" text-anchor=\"end\" dominant-baseline=\"middle\">{}</text>\n",
            n(px),
            n(Y0 + S + 16.0),
            esc(&pct(v, 0, lang)),
            n(X0 - 6.0),
            n(py),
            esc(&pct(v, 0, lang))
        );
    }
    out.push_str("</g>\n");
    // axis names
    w!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"600\">{} →</text>\n",
        n(X0 + S / 2.0),
        n(Y0 + S + 36.0),
        esc(&spec.x_label)
    );
    w!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"600\" transform=\"rotate(-90 {} {})\">{} →</text>\n",
        n(30.0),
        n(Y0 + S / 2.0),
        n(30.0),
        n(Y0 + S / 2.0),
        esc(&spec.y_label)
    );
    // cut lines
    let (cx, cy) = place(cut_x, cut_y);
    w!(
        out,
        "<g stroke=\"#595959\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\"><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/></g>\n",
        n(cx),
        n(Y0),
        n(cx),
        n(Y0 + S),
        n(X0),
        n(cy),
        n(X0 + S),
        n(cy)
    );
    // types in the outer corners
    out.push_str("<g fill=\"#4d4d4d\">\n");
    for t in &spec.types {
        let (x, anchor) = match t.x {
            Side::Low => (X0 + 10.0, "start"),
            Side::High => (X0 + S - 10.0, "end"),
        };
        let lines = t
            .name
            .as_deref()
            .map(|nm| wrap(nm, 26, 3))
            .unwrap_or_default();
        let block = 24.0 + 13.2 * lines.len() as f64;
        let y = match t.y {
            Side::High => Y0 + 28.0,
            Side::Low => Y0 + S - block + 16.0,
        };
        w!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" font-size=\"24\" font-weight=\"700\">{}</text>\n",
            n(x),
            n(y),
            esc(&t.id)
        );
        if !lines.is_empty() {
            text_lines(out, x, y + 18.0, anchor, &lines, " font-size=\"11\"");
        }
    }
    out.push_str("</g>\n");

    // points: peers below, the organisation on top
    let mut order: Vec<usize> = (0..spec.points.len()).collect();
    order.sort_by_key(|&i| spec.points[i].kind == SeriesKind::Actual);
    let show = |v: f64| pct(v, 1, lang);
    for i in order {
        let p = &spec.points[i];
        let (px, py) = place(p.x, p.y);
        let ty = type_of(p.x, p.y)
            .map(|t| format!(" ({})", t.id))
            .unwrap_or_default();
        let tip = format!(
            "{}: {} {}, {} {}{ty}",
            p.label,
            spec.x_label,
            show(p.x),
            spec.y_label,
            show(p.y)
        );
        if p.kind == SeriesKind::Actual {
            w!(
                out,
                "<g><circle cx=\"{}\" cy=\"{}\" r=\"7\" fill=\"#0072B2\" stroke=\"#fff\" stroke-width=\"2\"><title>{}</title></circle><text x=\"{}\" y=\"{}\" font-weight=\"700\" dominant-baseline=\"middle\">{}</text></g>\n",
                n(px),
                n(py),
                esc(&tip),
                n(px + 11.0),
                n(py),
                esc(&p.label)
            );
        } else {
            out.push_str("<g>");
            marker(out, p.kind, px, py, &tip);
            w!(
                out,
                "<text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#404040\" dominant-baseline=\"middle\">{}</text></g>\n",
                n(px + 8.0),
                n(py),
                esc(&p.label)
            );
        }
    }
    // legend when there are peers
    if spec.points.iter().any(|p| p.kind != SeriesKind::Actual) {
        let mut x = X0;
        let mut kinds: Vec<SeriesKind> = Vec::new();
        for p in &spec.points {
            if !kinds.contains(&p.kind) {
                kinds.push(p.kind);
            }
        }
        for k in kinds {
            let label = match k {
                SeriesKind::Actual => word(Word::Organisation, lang),
                SeriesKind::Peer => word(Word::Peer, lang),
                SeriesKind::Required => word(Word::Required, lang),
                SeriesKind::Other => word(Word::Other, lang),
            };
            x += legend_item(out, k, x, H - 14.0, label);
        }
    }

    let mut desc = format!(
        "{}: x = {}, y = {}; {} {} / {}.",
        word(Word::QuadrantTitle, lang),
        spec.x_label,
        spec.y_label,
        word(Word::Cut, lang),
        show(cut_x),
        show(cut_y)
    );
    for t in &spec.types {
        if let Some(nm) = &t.name {
            desc.push_str(&format!(" {}: {nm}.", t.id));
        }
    }
    for p in &spec.points {
        let ty = type_of(p.x, p.y)
            .map(|t| format!(" ({})", t.id))
            .unwrap_or_default();
        desc.push_str(&format!(" {}: {}, {}{ty}.", p.label, show(p.x), show(p.y)));
    }
    Ok(doc.finish(W, H, options, Word::QuadrantTitle, &desc))
}
