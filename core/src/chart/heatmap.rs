//! The gap heatmap: rows (units) × columns (competences).
//!
//! Layout: cells of 52 × 30 starting at (`left`, `top`), where `left` fits
//! the longest row label and `top` the column headings. Colour: the viridis
//! ramp at `t`, with `t = coverage` for coverage and `t = 1 − shortfall /
//! max` for mean shortfall, so that darker always means more need. Every
//! cell also shows its value as text; a withheld cell is hatched and shows
//! `–` (its reason in the tooltip), a cell without data is white and shows
//! `n/a` (`saknas`).

use super::svg::{esc, n, num, pct, viridis, w, withheld_reason, Doc};
use super::words::{word, Word};
use super::{finite, non_empty, on_scale, same_len, ChartOptions, HeatMetric, HeatmapSpec};
use crate::error::{Error, Result};

/// Cell width.
pub(crate) const CW: f64 = 52.0;
/// Cell height.
pub(crate) const CH: f64 = 30.0;

/// Draw a gap heatmap.
///
/// Errors: no rows or columns (`empty`), `cells` not rows × columns
/// (`shape_mismatch`), a withheld cell with a value or a non-positive `max`
/// (`invalid_value`), a value outside the scale (`value_out_of_scale`:
/// coverage 0–1, shortfall 0–`max`).
pub fn heatmap(spec: &HeatmapSpec, options: &ChartOptions) -> Result<String> {
    non_empty(&spec.rows, "rows")?;
    non_empty(&spec.columns, "columns")?;
    same_len(&spec.cells, spec.rows.len(), "cells", "rows")?;
    for (r, row) in spec.cells.iter().enumerate() {
        same_len(row, spec.columns.len(), &format!("cells[{r}]"), "columns")?;
    }
    let max = match spec.metric {
        HeatMetric::Coverage => 1.0,
        HeatMetric::MeanShortfall => match spec.max {
            Some(m) => {
                let m = finite(m, || "max".into())?;
                if m <= 0.0 {
                    return Err(Error::invalid("max", format!("{m} is not above 0")));
                }
                m
            }
            None => {
                let mut m = 1.0_f64;
                for (r, row) in spec.cells.iter().enumerate() {
                    for (c, cell) in row.iter().enumerate() {
                        if let Some(v) = cell.value {
                            m = m.max(finite(v, || format!("cells[{r}][{c}].value"))?.ceil());
                        }
                    }
                }
                m
            }
        },
    };
    for (r, row) in spec.cells.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let loc = || format!("cells[{r}][{c}].value");
            if let Some(v) = cell.value {
                if cell.withheld.is_some() {
                    return Err(Error::invalid(
                        loc(),
                        "a withheld cell has no value (give value or withheld, not both)",
                    ));
                }
                on_scale(v, 0.0, max, loc)?;
            }
        }
    }

    let mut doc = Doc::new("heatmap", options)?;
    let lang = doc.lang;
    let hatch = doc.hatch();
    // the legend's colour ramp
    w!(doc.defs, "<linearGradient id=\"{}-ramp\">", doc.id);
    for i in 0..5 {
        let (c, _) = viridis(i as f64 / 4.0);
        w!(
            doc.defs,
            "<stop offset=\"{}\" stop-color=\"{c}\"/>",
            n(i as f64 / 4.0)
        );
    }
    doc.defs.push_str("</linearGradient>\n");
    let ramp = format!("url(#{}-ramp)", doc.id);
    let show = |v: f64| match spec.metric {
        HeatMetric::Coverage => pct(100.0 * v, 0, lang),
        HeatMetric::MeanShortfall => num(v, 1, lang),
    };
    let t_of = |v: f64| match spec.metric {
        HeatMetric::Coverage => v,
        HeatMetric::MeanShortfall => 1.0 - v / max,
    };

    let row_label = |s: &str| -> String {
        if s.chars().count() > 32 {
            let mut t: String = s.chars().take(31).collect();
            t.push('…');
            t
        } else {
            s.to_string()
        }
    };
    let longest_row = spec
        .rows
        .iter()
        .map(|r| row_label(&r.label).chars().count())
        .max()
        .unwrap_or(0) as f64;
    let left = (longest_row * 7.4 + 16.0).clamp(80.0, 260.0);
    let longest_col = spec
        .columns
        .iter()
        .map(|c| c.label.chars().count().min(28))
        .max()
        .unwrap_or(0) as f64;
    let rotate = longest_col * 6.6 > CW - 6.0;
    let head = if rotate {
        longest_col * 6.6 * 0.71 + 16.0
    } else {
        24.0
    };
    let top = 10.0 + head;
    let n_rows = spec.rows.len() as f64;
    let n_cols = spec.columns.len() as f64;
    let width = (left + n_cols * CW + 20.0).max(460.0);
    let height = top + n_rows * CH + 84.0;

    let out = &mut doc.body;
    // column headings
    out.push_str("<g font-weight=\"600\">\n");
    for (c, col) in spec.columns.iter().enumerate() {
        let x = left + (c as f64 + 0.5) * CW;
        let label: String = if col.label.chars().count() > 28 {
            let mut t: String = col.label.chars().take(27).collect();
            t.push('…');
            t
        } else {
            col.label.clone()
        };
        let title = col
            .name
            .as_ref()
            .map(|nm| format!("<title>{}</title>", esc(nm)))
            .unwrap_or_default();
        if rotate {
            w!(
                out,
                "<text x=\"{}\" y=\"{}\" transform=\"rotate(-45 {} {})\">{title}{}</text>\n",
                n(x - 4.0),
                n(top - 6.0),
                n(x - 4.0),
                n(top - 6.0),
                esc(&label)
            );
        } else {
            w!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{title}{}</text>\n",
                n(x),
                n(top - 8.0),
                esc(&label)
            );
        }
    }
    out.push_str("</g>\n");
    // row labels
    out.push_str("<g font-weight=\"600\" text-anchor=\"end\">\n");
    for (r, row) in spec.rows.iter().enumerate() {
        let y = top + (r as f64 + 0.5) * CH;
        let full = row.full();
        w!(
            out,
            "<text x=\"{}\" y=\"{}\" dominant-baseline=\"middle\"><title>{}</title>{}</text>\n",
            n(left - 8.0),
            n(y),
            esc(full),
            esc(&row_label(&row.label))
        );
    }
    out.push_str("</g>\n");

    // cells
    let (mut n_withheld, mut n_missing) = (0usize, 0usize);
    out.push_str("<g text-anchor=\"middle\" font-size=\"11\">\n");
    for (r, (row, cells)) in spec.rows.iter().zip(&spec.cells).enumerate() {
        for (c, (col, cell)) in spec.columns.iter().zip(cells).enumerate() {
            let x = left + c as f64 * CW;
            let y = top + r as f64 * CH;
            let (cx, cy) = (x + CW / 2.0, y + CH / 2.0);
            let place = format!("{} × {}", row.full(), col.full());
            let people = cell
                .people
                .map(|p| format!(", {p} {}", word(Word::People, lang)))
                .unwrap_or_default();
            if let Some(reason) = &cell.withheld {
                n_withheld += 1;
                w!(
                    out,
                    "<g class=\"withheld\"><title>{}: {}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{hatch}\" stroke=\"#fff\"/><text x=\"{}\" y=\"{}\" dominant-baseline=\"middle\" font-weight=\"700\">–</text></g>\n",
                    esc(&place),
                    esc(&withheld_reason(reason, lang)),
                    n(x),
                    n(y),
                    n(CW),
                    n(CH),
                    n(cx),
                    n(cy)
                );
            } else if let Some(v) = cell.value {
                let (fill, white) = viridis(t_of(v));
                let ink = if white { "#fff" } else { "#000" };
                let shown = show(v);
                w!(
                    out,
                    "<g><title>{}: {}{}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\" stroke=\"#fff\"/><text x=\"{}\" y=\"{}\" dominant-baseline=\"middle\" fill=\"{ink}\">{}</text></g>\n",
                    esc(&place),
                    esc(&shown),
                    esc(&people),
                    n(x),
                    n(y),
                    n(CW),
                    n(CH),
                    n(cx),
                    n(cy),
                    esc(&shown)
                );
            } else {
                n_missing += 1;
                w!(
                    out,
                    "<g class=\"missing\"><title>{}: {}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fff\" stroke=\"#bdbdbd\"/><text x=\"{}\" y=\"{}\" dominant-baseline=\"middle\" fill=\"#595959\">{}</text></g>\n",
                    esc(&place),
                    word(Word::Missing, lang),
                    n(x + 0.5),
                    n(y + 0.5),
                    n(CW - 1.0),
                    n(CH - 1.0),
                    n(cx),
                    n(cy),
                    word(Word::MissingShort, lang)
                );
            }
        }
    }
    out.push_str("</g>\n");

    // legend: the ramp (more need on the left), withheld, no data
    let metric_name = match spec.metric {
        HeatMetric::Coverage => word(Word::Coverage, lang),
        HeatMetric::MeanShortfall => word(Word::MeanShortfall, lang),
    };
    let ly = top + n_rows * CH + 26.0;
    let lx = 16.0;
    w!(
        out,
        "<g font-size=\"11\">\n<text x=\"{}\" y=\"{}\" font-weight=\"600\">{}</text>\n",
        n(lx),
        n(ly - 6.0),
        esc(metric_name)
    );
    w!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"200\" height=\"12\" fill=\"{ramp}\"/>\n",
        n(lx),
        n(ly)
    );
    let (low_end, high_end) = match spec.metric {
        HeatMetric::Coverage => (show(0.0), show(1.0)),
        HeatMetric::MeanShortfall => (show(max), show(0.0)),
    };
    w!(
        out,
        "<text x=\"{}\" y=\"{}\">{}</text>\n<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n<text x=\"{}\" y=\"{}\" fill=\"#595959\">← {}</text>\n<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#595959\">{} →</text>\n",
        n(lx),
        n(ly + 25.0),
        esc(&low_end),
        n(lx + 200.0),
        n(ly + 25.0),
        esc(&high_end),
        n(lx),
        n(ly + 39.0),
        word(Word::MoreNeed, lang),
        n(lx + 200.0),
        n(ly + 39.0),
        word(Word::LessNeed, lang)
    );
    let sx = lx + 240.0;
    w!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"22\" height=\"14\" fill=\"{hatch}\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"700\">–</text><text x=\"{}\" y=\"{}\">{}</text>\n",
        n(sx),
        n(ly - 1.0),
        n(sx + 11.0),
        n(ly + 10.0),
        n(sx + 28.0),
        n(ly + 10.0),
        word(Word::Withheld, lang)
    );
    w!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"22\" height=\"14\" fill=\"#fff\" stroke=\"#bdbdbd\"/><text x=\"{}\" y=\"{}\">{} = {}</text>\n</g>\n",
        n(sx),
        n(ly + 17.0),
        n(sx + 28.0),
        n(ly + 28.0),
        word(Word::MissingShort, lang),
        word(Word::Missing, lang)
    );

    let mut desc = format!(
        "{}: {}, {} {} × {} {}.",
        word(Word::HeatmapTitle, lang),
        metric_name,
        spec.rows.len(),
        word(Word::Rows, lang),
        spec.columns.len(),
        word(Word::Columns, lang)
    );
    if n_withheld > 0 {
        desc.push_str(&format!(" {}: {n_withheld}.", word(Word::Withheld, lang)));
    }
    if n_missing > 0 {
        desc.push_str(&format!(" {}: {n_missing}.", word(Word::Missing, lang)));
    }
    if spec.rows.len() * spec.columns.len() <= 120 {
        for (row, cells) in spec.rows.iter().zip(&spec.cells) {
            let parts: Vec<String> = spec
                .columns
                .iter()
                .zip(cells)
                .map(|(col, cell)| {
                    let v = match (&cell.withheld, cell.value) {
                        (Some(_), _) => format!("– ({})", word(Word::Withheld, lang)),
                        (None, Some(v)) => show(v),
                        (None, None) => word(Word::MissingShort, lang).to_string(),
                    };
                    format!("{} {v}", col.label)
                })
                .collect();
            desc.push_str(&format!(" {}: {}.", row.full(), parts.join("; ")));
        }
    }
    Ok(doc.finish(width, height, options, Word::HeatmapTitle, &desc))
}
