//! The competence radar and the spider chart (one renderer, two scales).
//!
//! Geometry (viewBox 640 × 560): centre (320, 262), radius 170. Axis `k` of
//! `n` points at the angle `θ = 2πk/n` clockwise from the top, and a value
//! `v` on the scale `[min, max]` lies at the fraction `f = (v − min)/(max −
//! min)` of the radius:
//!
//! ```text
//! x = 320 + 170 · f · sin θ
//! y = 262 − 170 · f · cos θ
//! ```

use super::svg::{esc, legend_item, marker, n, num, pct, style, w, wrap, Doc};
use super::words::{word, Word};
use super::{
    finite, non_empty, on_scale, same_len, ChartOptions, Entry, RadarSpec, Series, SeriesKind,
    SpiderSpec,
};
use crate::error::{Error, Result};

/// Width of the viewBox.
pub(crate) const W: f64 = 640.0;
/// Height of the viewBox.
pub(crate) const H: f64 = 560.0;
/// Centre x.
pub(crate) const CX: f64 = 320.0;
/// Centre y.
pub(crate) const CY: f64 = 262.0;
/// Radius of the outer ring.
pub(crate) const R: f64 = 170.0;

/// `(sin 2πt, cos 2πt)` by Taylor series, with only `+`, `−`, `×` and `÷`
/// (correctly rounded in IEEE 754), so the result is the same on every
/// platform, unlike the platform's `sin`/`cos`.
pub(crate) fn sin_cos_turns(t: f64) -> (f64, f64) {
    let t = t - t.round(); // [-0.5, 0.5]
    let x = 2.0 * std::f64::consts::PI * t; // [-π, π]
    let x2 = x * x;
    let (mut s, mut c) = (0.0, 0.0);
    let (mut ts, mut tc) = (x, 1.0); // x^(2k+1)/(2k+1)!, x^(2k)/(2k)!
    for k in 0..30 {
        s += ts;
        c += tc;
        let k = k as f64;
        ts = -ts * x2 / ((2.0 * k + 2.0) * (2.0 * k + 3.0));
        tc = -tc * x2 / ((2.0 * k + 1.0) * (2.0 * k + 2.0));
    }
    (s, c)
}

/// The point of value fraction `f` on axis `k` of `n`.
pub(crate) fn point(k: usize, count: usize, f: f64) -> (f64, f64) {
    let (s, c) = sin_cos_turns(k as f64 / count as f64);
    (CX + R * f * s, CY - R * f * c)
}

/// How values are shown.
#[derive(Clone, Copy)]
enum Format {
    /// Levels, with this many decimals.
    Level(usize),
    /// Percentages, with this many decimals.
    Percent(usize),
}

/// Everything the shared renderer needs.
struct Job<'a> {
    kind: &'static str,
    title: Word,
    axes: &'a [Entry],
    series: &'a [Series],
    min: f64,
    max: f64,
    rings: Vec<f64>,
    format: Format,
}

/// Draw a competence radar.
///
/// Each axis is labelled with its label and, below it, the values of the
/// series in legend order (`3 / 4`; `n/a` where a series has no value).
/// A series' shape joins its values in axis order and skips axes without a
/// value. Rings are drawn at every level when the scale spans at most 10
/// whole levels, else at five equal steps.
///
/// Errors: no axes or no series (`empty`), a series whose length differs
/// from the axes (`shape_mismatch`), a non-finite or empty scale
/// (`invalid_value`), a value outside the scale (`value_out_of_scale`).
pub fn radar(spec: &RadarSpec, options: &ChartOptions) -> Result<String> {
    let min = finite(spec.min, || "min".into())?;
    let max = finite(spec.max, || "max".into())?;
    if max <= min {
        return Err(Error::invalid(
            "max",
            format!("the scale's top {max} must be above its bottom {min}"),
        ));
    }
    let span = max - min;
    let rings: Vec<f64> = if span <= 10.0 && span.fract() == 0.0 {
        (1..=span as usize).map(|i| min + i as f64).collect()
    } else {
        (1..=5).map(|i| min + span * i as f64 / 5.0).collect()
    };
    let whole = spec
        .series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .all(|v| v.fract() == 0.0)
        && min.fract() == 0.0;
    draw(
        &Job {
            kind: "radar",
            title: Word::RadarTitle,
            axes: &spec.axes,
            series: &spec.series,
            min,
            max,
            rings,
            format: Format::Level(if whole { 0 } else { 1 }),
        },
        options,
    )
}

/// Draw a spider chart of percentages (0–100 %, rings at 25 % steps), e.g.
/// the six DiMiOS categories of an organisation against the peer average.
/// Values are shown with no decimals when all are whole, else one.
///
/// Errors as [`radar`]; values must lie on 0–100.
pub fn spider(spec: &SpiderSpec, options: &ChartOptions) -> Result<String> {
    let whole = spec
        .series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .all(|v| v.fract() == 0.0);
    draw(
        &Job {
            kind: "spider",
            title: Word::SpiderTitle,
            axes: &spec.axes,
            series: &spec.series,
            min: 0.0,
            max: 100.0,
            rings: vec![25.0, 50.0, 75.0, 100.0],
            format: Format::Percent(if whole { 0 } else { 1 }),
        },
        options,
    )
}

/// Check the axes and series.
fn check(job: &Job) -> Result<()> {
    non_empty(job.axes, "axes")?;
    non_empty(job.series, "series")?;
    for (i, s) in job.series.iter().enumerate() {
        let loc = format!("series[{i}].values");
        same_len(&s.values, job.axes.len(), &loc, "axes")?;
        for (k, v) in s.values.iter().enumerate() {
            if let Some(v) = v {
                on_scale(*v, job.min, job.max, || format!("{loc}[{k}]"))?;
            }
        }
    }
    Ok(())
}

/// The legend label of a series.
pub(crate) fn series_label(s: &Series, lang: super::Lang) -> String {
    s.label.clone().unwrap_or_else(|| {
        let w = match s.kind {
            SeriesKind::Actual => Word::Current,
            SeriesKind::Required => Word::Required,
            SeriesKind::Peer => Word::Peer,
            SeriesKind::Other => Word::Other,
        };
        word(w, lang).to_string()
    })
}

fn draw(job: &Job, options: &ChartOptions) -> Result<String> {
    check(job)?;
    let mut doc = Doc::new(job.kind, options)?;
    let lang = doc.lang;
    let show = |v: Option<f64>| match (v, job.format) {
        (None, _) => word(Word::MissingShort, lang).to_string(),
        (Some(v), Format::Level(d)) => num(v, d, lang),
        (Some(v), Format::Percent(d)) => pct(v, d, lang),
    };
    let ring_label = |v: f64| match job.format {
        Format::Level(_) if v.fract() == 0.0 => num(v, 0, lang),
        Format::Level(_) => num(v, 1, lang),
        Format::Percent(_) => pct(v, 0, lang),
    };
    let count = job.axes.len();
    let frac = |v: f64| (v - job.min) / (job.max - job.min);
    let out = &mut doc.body;

    // rings, with their values along the first axis
    out.push_str("<g fill=\"none\" stroke=\"#c8c8c8\" stroke-width=\"1\">\n");
    for &level in &job.rings {
        let f = frac(level);
        if count >= 3 {
            let pts: Vec<String> = (0..count)
                .map(|k| {
                    let (x, y) = point(k, count, f);
                    format!("{},{}", n(x), n(y))
                })
                .collect();
            w!(out, "<polygon points=\"{}\"/>\n", pts.join(" "));
        } else {
            w!(
                out,
                "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"/>\n",
                n(CX),
                n(CY),
                n(R * f)
            );
        }
    }
    // spokes
    for k in 0..count {
        let (x, y) = point(k, count, 1.0);
        w!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n",
            n(CX),
            n(CY),
            n(x),
            n(y)
        );
    }
    out.push_str("</g>\n");
    out.push_str(
        "<g font-size=\"10\" fill=\"#595959\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">\n",
    );
    for &level in &job.rings {
        let (_, y) = point(0, count, frac(level));
        w!(
            out,
            "<text x=\"{}\" y=\"{}\">{}</text>\n",
            n(CX + 3.0),
            n(y - 2.0),
            esc(&ring_label(level))
        );
    }
    out.push_str("</g>\n");

    // series: shapes first, markers on top
    let labels: Vec<String> = job.series.iter().map(|s| series_label(s, lang)).collect();
    for s in job.series {
        let st = style(s.kind);
        let pts: Vec<String> = s
            .values
            .iter()
            .enumerate()
            .filter_map(|(k, v)| {
                v.map(|v| {
                    let (x, y) = point(k, count, frac(v));
                    format!("{},{}", n(x), n(y))
                })
            })
            .collect();
        let dash = st
            .dash
            .map(|d| format!(" stroke-dasharray=\"{d}\""))
            .unwrap_or_default();
        let tag = if pts.len() >= 3 {
            "polygon"
        } else {
            "polyline"
        };
        if pts.len() >= 2 {
            w!(
                out,
                "<{tag} points=\"{}\" fill=\"{}\" fill-opacity=\"{}\" stroke=\"{}\" stroke-width=\"2\"{dash}/>\n",
                pts.join(" "),
                if tag == "polygon" { st.colour } else { "none" },
                st.fill_opacity,
                st.colour
            );
        }
    }
    for (s, label) in job.series.iter().zip(&labels) {
        for (k, v) in s.values.iter().enumerate() {
            if let Some(v) = v {
                let (x, y) = point(k, count, frac(*v));
                let tip = format!("{}: {label} {}", job.axes[k].full(), show(Some(*v)));
                marker(out, s.kind, x, y, &tip);
            }
        }
    }

    // axis labels with the values of every series
    for (k, axis) in job.axes.iter().enumerate() {
        let (s, c) = sin_cos_turns(k as f64 / count as f64);
        let (x, y) = (CX + (R + 14.0) * s, CY - (R + 14.0) * c);
        let anchor = if s > 0.3 {
            "start"
        } else if s < -0.3 {
            "end"
        } else {
            "middle"
        };
        let mut lines = wrap(&axis.label, 18, 3);
        let values: Vec<String> = job.series.iter().map(|s| show(s.values[k])).collect();
        let n_lines = lines.len() + 1;
        let block = 14.4 * (n_lines as f64 - 1.0);
        // first baseline: block above the point at the top, below it at the
        // bottom, centred at the sides
        let y0 = if c > 0.3 {
            y - block - 2.0
        } else if c < -0.3 {
            y + 10.0
        } else {
            y + 4.0 - block / 2.0
        };
        let title = axis
            .name
            .as_ref()
            .map(|nm| format!("<title>{}</title>", esc(nm)))
            .unwrap_or_default();
        w!(out, "<g>{title}\n");
        lines.push(values.join(" / "));
        let last = lines.len() - 1;
        w!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\">",
            n(x),
            n(y0)
        );
        for (i, line) in lines.iter().enumerate() {
            let dy = if i == 0 { "" } else { " dy=\"1.2em\"" };
            let weight = if i == last {
                " font-size=\"11\" fill=\"#444\""
            } else {
                " font-weight=\"600\""
            };
            w!(
                out,
                "<tspan x=\"{}\"{dy}{weight}>{}</tspan>",
                n(x),
                esc(line)
            );
        }
        out.push_str("</text>\n</g>\n");
    }

    // legend, centred under the chart
    let widths: f64 = labels
        .iter()
        .map(|l| 34.0 + super::svg::text_width(l, 12.0) + 18.0)
        .sum();
    let mut x = ((W - widths) / 2.0).max(10.0);
    out.push_str("<g>\n");
    for (s, label) in job.series.iter().zip(&labels) {
        x += legend_item(out, s.kind, x, H - 24.0, label);
    }
    out.push_str("</g>\n");

    // description: the data in words
    let scale = match job.format {
        Format::Level(_) => format!(
            "{} {}–{}",
            word(Word::Scale, lang),
            num(job.min, 0, lang),
            num(job.max, 0, lang)
        ),
        Format::Percent(_) => format!("{} 0–100 %", word(Word::Scale, lang)),
    };
    let mut desc = format!(
        "{}: {count} {}, {scale}.",
        word(job.title, lang),
        word(Word::Axes, lang)
    );
    for (s, label) in job.series.iter().zip(&labels) {
        let parts: Vec<String> = job
            .axes
            .iter()
            .zip(&s.values)
            .map(|(a, v)| format!("{} {}", a.full(), show(*v)))
            .collect();
        desc.push_str(&format!(" {label}: {}.", parts.join("; ")));
    }
    Ok(doc.finish(W, H, options, job.title, &desc))
}
