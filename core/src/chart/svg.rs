//! The SVG writer: number formatting, escaping, the document frame, the
//! palette and text wrapping.

use super::words::{word, Word};
use super::{ChartOptions, Lang, SeriesKind};
use crate::error::{Error, Result};

/// Append formatted text to a `String` (writing to a `String` cannot fail).
macro_rules! w {
    ($dst:expr, $($arg:tt)*) => {{
        use ::std::fmt::Write as _;
        let _ = ::std::write!($dst, $($arg)*);
    }};
}
pub(crate) use w;

/// `x` rounded to `decimals` (at most 6) decimals, ties away from zero, as
/// (negative, integer part, fraction digits); `None` when it does not fit
/// in 15 significant digits (never for chart values).
///
/// Written with integer arithmetic rather than `format!("{x:.2}")`: the same
/// text on every platform, and the float-formatting code for a fixed
/// precision stays out of the WebAssembly module.
fn fixed(x: f64, decimals: usize) -> Option<(bool, u64, u64)> {
    const SCALE: [f64; 7] = [1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6];
    const POW: [u64; 7] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];
    let d = decimals.min(6);
    let v = (x * SCALE[d]).round();
    if v.is_nan() || v.abs() >= 1e15 {
        return None;
    }
    let i = v as i64;
    let a = i.unsigned_abs();
    Some((i < 0, a / POW[d], a % POW[d]))
}

/// A coordinate: at most two decimals, trailing zeros dropped, never `-0`.
pub(crate) fn n(x: f64) -> String {
    match fixed(x, 2) {
        None => format!("{x}"),
        Some((neg, int, frac)) => {
            let sign = if neg { "-" } else { "" };
            match frac {
                0 => format!("{sign}{int}"),
                f if f % 10 == 0 => format!("{sign}{int}.{}", f / 10),
                f => format!("{sign}{int}.{f:02}"),
            }
        }
    }
}

/// A shown value with a fixed number of decimals (ties away from zero, as
/// people expect from a table: 3.25 → 3.3), in the language's number
/// format (decimal comma in Swedish), never `-0`.
pub(crate) fn num(x: f64, decimals: usize, lang: Lang) -> String {
    let Some((neg, int, frac)) = fixed(x, decimals) else {
        return format!("{x}");
    };
    let sign = if neg { "-" } else { "" };
    let point = match lang {
        Lang::En => ".",
        Lang::Sv => ",",
    };
    match decimals.min(6) {
        0 => format!("{sign}{int}"),
        d => format!("{sign}{int}{point}{frac:0d$}"),
    }
}

/// A percentage value (`62%`, Swedish `62 %` with a no-break space).
pub(crate) fn pct(x: f64, decimals: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{}%", num(x, decimals, lang)),
        Lang::Sv => format!("{}\u{a0}%", num(x, decimals, lang)),
    }
}

/// A signed change (`+1.5`, `-0.5`, `0.0`).
pub(crate) fn signed(x: f64, decimals: usize, lang: Lang) -> String {
    let s = num(x, decimals, lang);
    if s.starts_with('-') || s.chars().all(|c| c == '0' || c == '.' || c == ',') {
        s
    } else {
        format!("+{s}")
    }
}

/// Escape text for XML content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Wrap a label into lines of at most `width` characters (words are kept
/// whole; a longer word stands on its own line); at most `max_lines` lines,
/// the last one ending in `…` when text was cut.
pub(crate) fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            last.push('…');
        }
    }
    lines
}

/// Series style: colour (Okabe–Ito), dash pattern, marker.
pub(crate) struct Style {
    /// Stroke colour.
    pub colour: &'static str,
    /// `stroke-dasharray`, if any.
    pub dash: Option<&'static str>,
    /// Fill opacity of the area (0 = no fill).
    pub fill_opacity: &'static str,
}

/// The style of a series kind.
pub(crate) fn style(kind: SeriesKind) -> Style {
    match kind {
        SeriesKind::Actual => Style {
            colour: "#0072B2",
            dash: None,
            fill_opacity: "0.2",
        },
        SeriesKind::Required => Style {
            colour: "#D55E00",
            dash: Some("6 4"),
            fill_opacity: "0",
        },
        SeriesKind::Peer => Style {
            colour: "#009E73",
            dash: Some("2 3"),
            fill_opacity: "0",
        },
        SeriesKind::Other => Style {
            colour: "#CC79A7",
            dash: Some("8 3 2 3"),
            fill_opacity: "0",
        },
    }
}

/// A marker of the series kind at (x, y), with a tooltip.
pub(crate) fn marker(out: &mut String, kind: SeriesKind, x: f64, y: f64, tip: &str) {
    let c = style(kind).colour;
    let tip = esc(tip);
    match kind {
        SeriesKind::Actual => w!(
            out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{c}\"><title>{tip}</title></circle>\n",
            n(x),
            n(y)
        ),
        SeriesKind::Required => w!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"7\" height=\"7\" fill=\"#fff\" stroke=\"{c}\" stroke-width=\"2\"><title>{tip}</title></rect>\n",
            n(x - 3.5),
            n(y - 3.5)
        ),
        SeriesKind::Peer => w!(
            out,
            "<path d=\"M{} {}l5 5l-5 5l-5 -5z\" fill=\"#fff\" stroke=\"{c}\" stroke-width=\"2\"><title>{tip}</title></path>\n",
            n(x),
            n(y - 5.0)
        ),
        SeriesKind::Other => w!(
            out,
            "<path d=\"M{} {}l5 9h-10z\" fill=\"{c}\"><title>{tip}</title></path>\n",
            n(x),
            n(y - 5.0)
        ),
    }
}

/// A legend entry (line sample with marker, then the label) at (x, y);
/// returns its width.
pub(crate) fn legend_item(out: &mut String, kind: SeriesKind, x: f64, y: f64, label: &str) -> f64 {
    let st = style(kind);
    let dash = st
        .dash
        .map(|d| format!(" stroke-dasharray=\"{d}\""))
        .unwrap_or_default();
    w!(
        out,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2\"{dash}/>\n",
        n(x),
        n(y),
        n(x + 28.0),
        n(y),
        st.colour
    );
    marker(out, kind, x + 14.0, y, label);
    w!(
        out,
        "<text x=\"{}\" y=\"{}\" dominant-baseline=\"middle\">{}</text>\n",
        n(x + 34.0),
        n(y),
        esc(label)
    );
    34.0 + text_width(label, 12.0) + 18.0
}

/// Rough width of a text in pixels (0.6 em per character).
pub(crate) fn text_width(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.6
}

/// Check an id prefix: a letter, then letters, digits, `-` or `_`.
fn check_id(id: &str) -> Result<()> {
    let mut chars = id.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "options.id",
            format!("{id:?} is not an id (a letter, then letters, digits, - or _)"),
        ))
    }
}

/// A document being drawn in a `w` × `h` viewBox.
pub(crate) struct Doc {
    /// The id prefix.
    pub id: String,
    /// The language.
    pub lang: Lang,
    /// The body (after `<title>`, `<desc>` and `<defs>`).
    pub body: String,
    /// The `<defs>` content.
    pub defs: String,
}

impl Doc {
    /// Start a document for a chart of kind `kind` (the default id).
    pub fn new(kind: &str, options: &ChartOptions) -> Result<Doc> {
        let id = options.id.clone().unwrap_or_else(|| kind.to_string());
        check_id(&id)?;
        if let Some(w) = options.width {
            if !(w.is_finite() && w > 0.0) {
                return Err(Error::invalid(
                    "options.width",
                    format!("{w} is not a positive width"),
                ));
            }
        }
        Ok(Doc {
            id,
            lang: options.lang,
            body: String::new(),
            defs: String::new(),
        })
    }

    /// Add the hatch pattern of withheld cells to the defs; returns its
    /// `fill` value.
    pub fn hatch(&mut self) -> String {
        if self.defs.is_empty() {
            w!(
                self.defs,
                "<pattern id=\"{}-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#f2f2f2\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#6e6e6e\" stroke-width=\"2\"/></pattern>\n",
                self.id
            );
        }
        format!("url(#{}-hatch)", self.id)
    }

    /// The finished SVG text.
    pub fn finish(
        self,
        w: f64,
        h: f64,
        options: &ChartOptions,
        default_title: Word,
        default_desc: &str,
    ) -> String {
        let width = options.width.unwrap_or(w);
        let height = h * width / w;
        let title = options
            .title
            .clone()
            .unwrap_or_else(|| word(default_title, self.lang).to_string());
        let desc = options
            .desc
            .clone()
            .unwrap_or_else(|| default_desc.to_string());
        let id = &self.id;
        let mut out = String::with_capacity(self.body.len() + self.defs.len() + 1024);
        w!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" lang=\"{}\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\" font-size=\"12\" fill=\"#222\">\n",
            n(width),
            n(height),
            n(w),
            n(h),
            self.lang.tag()
        );
        w!(out, "<title id=\"{id}-title\">{}</title>\n", esc(&title));
        w!(out, "<desc id=\"{id}-desc\">{}</desc>\n", esc(&desc));
        if !self.defs.is_empty() {
            w!(out, "<defs>\n{}</defs>\n", self.defs);
        }
        w!(
            out,
            "<rect width=\"{}\" height=\"{}\" fill=\"#fff\"/>\n",
            n(w),
            n(h)
        );
        out.push_str(&self.body);
        out.push_str("</svg>\n");
        out
    }
}

/// The viridis ramp at `t` ∈ [0, 1] (matplotlib's viridis at 0, ¼, ½, ¾, 1,
/// linearly interpolated), as `#rrggbb`, and whether text on it should be
/// white.
pub(crate) fn viridis(t: f64) -> (String, bool) {
    const STOPS: [[f64; 3]; 5] = [
        [68.0, 1.0, 84.0],
        [59.0, 82.0, 139.0],
        [33.0, 145.0, 140.0],
        [94.0, 201.0, 98.0],
        [253.0, 231.0, 37.0],
    ];
    let t = t.clamp(0.0, 1.0);
    let pos = t * 4.0;
    let i = (pos.floor() as usize).min(3);
    let f = pos - i as f64;
    let mut rgb = [0u8; 3];
    for (k, c) in rgb.iter_mut().enumerate() {
        let v = STOPS[i][k] + (STOPS[i + 1][k] - STOPS[i][k]) * f;
        *c = v.round().clamp(0.0, 255.0) as u8;
    }
    (
        format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2]),
        t < 0.45,
    )
}

/// Write the lines of a wrapped label as a `<text>` with `<tspan>`s.
pub(crate) fn text_lines(
    out: &mut String,
    x: f64,
    y: f64,
    anchor: &str,
    lines: &[String],
    extra: &str,
) {
    w!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\"{extra}>",
        n(x),
        n(y)
    );
    for (i, line) in lines.iter().enumerate() {
        if i == 0 {
            w!(out, "<tspan x=\"{}\">{}</tspan>", n(x), esc(line));
        } else {
            w!(
                out,
                "<tspan x=\"{}\" dy=\"1.2em\">{}</tspan>",
                n(x),
                esc(line)
            );
        }
    }
    out.push_str("</text>\n");
}

/// Localised reason of a withheld cell.
pub(crate) fn withheld_reason(reason: &str, lang: Lang) -> String {
    match reason {
        "primary" => word(Word::WithheldPrimary, lang).to_string(),
        "secondary" => word(Word::WithheldSecondary, lang).to_string(),
        "rolled_up" => word(Word::WithheldRolledUp, lang).to_string(),
        other => format!("{}: {other}", word(Word::Withheld, lang)),
    }
}
