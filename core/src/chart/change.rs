//! The change chart (dumbbell): per item the value before (hollow circle),
//! the value after (filled circle), a line between them and the difference
//! as text.
//!
//! Geometry: rows of 30 starting at y = 44; the scale runs from `x0 =
//! left + 10` to `x0 + 340`, where `left` fits the longest item label, so a
//! value `v` on `[min, max]` lies at `x = x0 + 340 · (v − min)/(max − min)`
//! and row `i` is centred at `y = 44 + 30 · i + 15`.

use super::svg::{esc, n, num, pct, signed, w, withheld_reason, Doc};
use super::words::{word, Word};
use super::{finite, non_empty, on_scale, same_len, ChangeSpec, ChartOptions, ValueUnit};
use crate::error::{Error, Result};

/// Row height.
pub(crate) const RH: f64 = 30.0;
/// Width of the scale.
pub(crate) const PW: f64 = 340.0;
/// Top of the first row.
pub(crate) const TOP: f64 = 44.0;

/// The left edge of the scale for the longest label of `items`.
pub(crate) fn scale_left(spec: &ChangeSpec) -> f64 {
    let longest = spec
        .items
        .iter()
        .map(|e| e.label.chars().count().min(36))
        .max()
        .unwrap_or(0) as f64;
    (longest * 7.4 + 16.0).clamp(90.0, 280.0) + 10.0
}

/// Draw a change chart.
///
/// Errors: no items (`empty`), `before`, `after` or `withheld` not one per
/// item (`shape_mismatch`), no `max` for levels (`missing_value`), an empty
/// scale or a withheld item with values (`invalid_value`), a value outside
/// the scale (`value_out_of_scale`).
pub fn change(spec: &ChangeSpec, options: &ChartOptions) -> Result<String> {
    non_empty(&spec.items, "items")?;
    let count = spec.items.len();
    same_len(&spec.before, count, "before", "items")?;
    same_len(&spec.after, count, "after", "items")?;
    if !spec.withheld.is_empty() {
        same_len(&spec.withheld, count, "withheld", "items")?;
    }
    let min = finite(spec.min, || "min".into())?;
    let max = match (spec.max, spec.unit) {
        (Some(m), _) => finite(m, || "max".into())?,
        (None, ValueUnit::Percent) => 100.0,
        (None, ValueUnit::Level) => {
            return Err(Error::MissingValue {
                location: "max".into(),
                what: "the top of the level scale".into(),
            })
        }
    };
    if max <= min {
        return Err(Error::invalid(
            "max",
            format!("the scale's top {max} must be above its bottom {min}"),
        ));
    }
    let withheld = |i: usize| spec.withheld.get(i).and_then(|w| w.as_deref());
    for i in 0..count {
        for (name, list) in [("before", &spec.before), ("after", &spec.after)] {
            if let Some(v) = list[i] {
                if withheld(i).is_some() {
                    return Err(Error::invalid(
                        format!("{name}[{i}]"),
                        "a withheld item has no values",
                    ));
                }
                on_scale(v, min, max, || format!("{name}[{i}]"))?;
            }
        }
    }

    let mut doc = Doc::new("change", options)?;
    let lang = doc.lang;
    let hatch = if spec.withheld.iter().any(Option::is_some) {
        doc.hatch()
    } else {
        String::new()
    };
    let show = |v: f64| match spec.unit {
        ValueUnit::Level => num(v, 1, lang),
        ValueUnit::Percent => pct(v, 1, lang),
    };
    let show_diff = |d: f64| match spec.unit {
        ValueUnit::Level => signed(d, 1, lang),
        ValueUnit::Percent => format!(
            "{}\u{a0}{}",
            signed(d, 1, lang),
            word(Word::PercentagePoints, lang)
        ),
    };
    let x0 = scale_left(spec);
    let left = x0 - 10.0;
    let width = x0 + PW + 100.0;
    let height = TOP + RH * count as f64 + 40.0;
    let at = |v: f64| x0 + PW * (v - min) / (max - min);
    let before_label = spec
        .before_label
        .clone()
        .unwrap_or_else(|| word(Word::Before, lang).to_string());
    let after_label = spec
        .after_label
        .clone()
        .unwrap_or_else(|| word(Word::After, lang).to_string());

    let out = &mut doc.body;
    // legend
    w!(
        out,
        "<g><circle cx=\"{}\" cy=\"16\" r=\"5\" fill=\"#fff\" stroke=\"#E69F00\" stroke-width=\"2\"/><text x=\"{}\" y=\"16\" dominant-baseline=\"middle\">{}</text>",
        n(x0 + 5.0),
        n(x0 + 14.0),
        esc(&before_label)
    );
    let ax = x0 + 14.0 + super::svg::text_width(&before_label, 12.0) + 24.0;
    w!(
        out,
        "<circle cx=\"{}\" cy=\"16\" r=\"5\" fill=\"#0072B2\"/><text x=\"{}\" y=\"16\" dominant-baseline=\"middle\">{}</text>",
        n(ax),
        n(ax + 9.0),
        esc(&after_label)
    );
    w!(
        out,
        "<text x=\"{}\" y=\"16\" text-anchor=\"end\" dominant-baseline=\"middle\" font-weight=\"600\">{}</text></g>\n",
        n(width - 10.0),
        word(Word::Change, lang)
    );
    // ticks and grid
    let span = max - min;
    let ticks: Vec<f64> = match spec.unit {
        ValueUnit::Percent => (0..=4).map(|i| min + span * i as f64 / 4.0).collect(),
        ValueUnit::Level if span <= 10.0 && span.fract() == 0.0 => {
            (0..=span as usize).map(|i| min + i as f64).collect()
        }
        ValueUnit::Level => (0..=5).map(|i| min + span * i as f64 / 5.0).collect(),
    };
    let bottom = TOP + RH * count as f64;
    out.push_str("<g stroke=\"#e0e0e0\">\n");
    for i in 0..count {
        if i % 2 == 0 {
            w!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f7f7f7\" stroke=\"none\"/>\n",
                n(4.0),
                n(TOP + RH * i as f64),
                n(width - 8.0),
                n(RH)
            );
        }
    }
    for &t in &ticks {
        w!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n",
            n(at(t)),
            n(TOP),
            n(at(t)),
            n(bottom)
        );
    }
    out.push_str("</g>\n<g font-size=\"10\" fill=\"#595959\" text-anchor=\"middle\">\n");
    for &t in &ticks {
        let label = match spec.unit {
            ValueUnit::Level if ticks.len() <= 11 && t.fract() == 0.0 => num(t, 0, lang),
            ValueUnit::Level => num(t, 1, lang),
            ValueUnit::Percent => pct(t, 0, lang),
        };
        w!(
            out,
            "<text x=\"{}\" y=\"{}\">{}</text>\n",
            n(at(t)),
            n(bottom + 16.0),
            esc(&label)
        );
    }
    out.push_str("</g>\n");

    // rows
    let mut desc = format!(
        "{}: {} {}.",
        word(Word::ChangeTitle, lang),
        before_label,
        after_label
    );
    for (i, item) in spec.items.iter().enumerate() {
        let y = TOP + RH * i as f64 + RH / 2.0;
        let label: String = if item.label.chars().count() > 36 {
            let mut t: String = item.label.chars().take(35).collect();
            t.push('…');
            t
        } else {
            item.label.clone()
        };
        w!(
            out,
            "<g><title>{}</title><text x=\"{}\" y=\"{}\" text-anchor=\"end\" dominant-baseline=\"middle\" font-weight=\"600\">{}</text>\n",
            esc(item.full()),
            n(left),
            n(y),
            esc(&label)
        );
        let diff_x = width - 10.0;
        if let Some(reason) = withheld(i) {
            let reason = withheld_reason(reason, lang);
            w!(
                out,
                "<g class=\"withheld\"><title>{}: {}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\" fill=\"{hatch}\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\" dominant-baseline=\"middle\" font-weight=\"700\">–</text></g>\n",
                esc(item.full()),
                esc(&reason),
                n(x0),
                n(y - 8.0),
                n(PW),
                n(diff_x),
                n(y)
            );
            desc.push_str(&format!(" {}: – ({reason}).", item.full()));
        } else {
            let (b, a) = (spec.before[i], spec.after[i]);
            if let (Some(b), Some(a)) = (b, a) {
                w!(
                    out,
                    "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#8c8c8c\" stroke-width=\"3\"/>\n",
                    n(at(b)),
                    n(y),
                    n(at(a)),
                    n(y)
                );
            }
            if let Some(b) = b {
                w!(
                    out,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"#fff\" stroke=\"#E69F00\" stroke-width=\"2\"><title>{}: {before_label} {}</title></circle>\n",
                    n(at(b)),
                    n(y),
                    esc(item.full()),
                    esc(&show(b))
                );
            }
            if let Some(a) = a {
                w!(
                    out,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"#0072B2\"><title>{}: {after_label} {}</title></circle>\n",
                    n(at(a)),
                    n(y),
                    esc(item.full()),
                    esc(&show(a))
                );
            }
            let missing = word(Word::MissingShort, lang);
            let diff = match (b, a) {
                (Some(b), Some(a)) => show_diff(a - b),
                _ => missing.to_string(),
            };
            w!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" dominant-baseline=\"middle\">{}</text>\n",
                n(diff_x),
                n(y),
                esc(&diff)
            );
            let sb = b.map(show).unwrap_or_else(|| missing.to_string());
            let sa = a.map(show).unwrap_or_else(|| missing.to_string());
            desc.push_str(&format!(" {}: {sb} → {sa} ({diff}).", item.full()));
        }
        out.push_str("</g>\n");
    }
    Ok(doc.finish(width, height, options, Word::ChangeTitle, &desc))
}
