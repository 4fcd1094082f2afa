//! Plain-text tables with aligned columns. Widths count characters, not
//! bytes, so Swedish names (å, ä, ö) line up.
//!
//! ```
//! use kompetens_cli::table::{Align, Table};
//! let mut t = Table::new(vec![("enhet", Align::Left), ("antal", Align::Right)]);
//! t.row(vec!["Biblioteket Öster".into(), "40".into()]);
//! t.row(vec!["HR".into(), "18".into()]);
//! let text = t.render();
//! assert_eq!(text.lines().nth(2), Some("Biblioteket Öster     40"));
//! ```

/// Column alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Pad on the right.
    Left,
    /// Pad on the left (numbers).
    Right,
}

/// A table: a header row, a rule, and rows.
#[derive(Debug, Clone, Default)]
pub struct Table {
    columns: Vec<(String, Align)>,
    rows: Vec<(Vec<String>, Option<String>)>,
}

/// Width of a string in terminal columns (characters; our texts have no
/// wide or combining characters).
pub fn width(s: &str) -> usize {
    s.chars().count()
}

/// `s` cut to at most `max` characters, ending in `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

impl Table {
    /// A table with these column headers and alignments.
    pub fn new(columns: Vec<(&str, Align)>) -> Table {
        Table {
            columns: columns
                .into_iter()
                .map(|(h, a)| (h.to_string(), a))
                .collect(),
            rows: Vec::new(),
        }
    }

    /// Add a row (missing cells are empty, extra cells are dropped).
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push((cells, None));
    }

    /// Add a row whose first cells are `cells` and whose remaining columns
    /// are taken by `note`, left-aligned from the column after the cells;
    /// the note does not widen any column.
    pub fn row_note(&mut self, cells: Vec<String>, note: String) {
        self.rows.push((cells, Some(note)));
    }

    /// Render with two spaces between columns and a rule under the header;
    /// no trailing spaces.
    pub fn render(&self) -> String {
        let n = self.columns.len();
        let mut widths: Vec<usize> = self.columns.iter().map(|(h, _)| width(h)).collect();
        for (row, _) in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(width(cell));
            }
        }
        let line = |cells: &mut dyn Iterator<Item = &str>, note: Option<(usize, &str)>| -> String {
            let mut out = String::new();
            for (i, ((_, align), w)) in self.columns.iter().zip(&widths).enumerate() {
                if let Some((at, text)) = note {
                    if i == at {
                        out.push_str("  ");
                        out.push_str(text);
                        break;
                    }
                }
                let cell = cells.next().unwrap_or("");
                let pad = w.saturating_sub(width(cell));
                if i > 0 {
                    out.push_str("  ");
                }
                match align {
                    Align::Left => {
                        out.push_str(cell);
                        if i + 1 < n {
                            out.push_str(&" ".repeat(pad));
                        }
                    }
                    Align::Right => {
                        out.push_str(&" ".repeat(pad));
                        out.push_str(cell);
                    }
                }
            }
            out.trim_end().to_string()
        };
        let mut out = line(&mut self.columns.iter().map(|(h, _)| h.as_str()), None);
        out.push('\n');
        let rule: Vec<String> = widths.iter().map(|&w| "─".repeat(w)).collect();
        out.push_str(&line(&mut rule.iter().map(String::as_str), None));
        out.push('\n');
        for (row, note) in &self.rows {
            let note = note.as_deref().map(|n| (row.len(), n));
            out.push_str(&line(&mut row.iter().map(String::as_str), note));
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_by_characters() {
        let mut t = Table::new(vec![("a", Align::Left), ("n", Align::Right)]);
        t.row(vec!["Öster".into(), "5".into()]);
        t.row(vec!["Norr".into(), "10".into()]);
        assert_eq!(t.render(), "a       n\n─────  ──\nÖster   5\nNorr   10\n");
    }

    #[test]
    fn notes_span_the_remaining_columns() {
        let mut t = Table::new(vec![
            ("a", Align::Left),
            ("n", Align::Right),
            ("x", Align::Right),
        ]);
        t.row(vec!["Norr".into(), "10".into(), "1.5".into()]);
        t.row_note(vec!["Öster".into(), "5".into()], "withheld".into());
        assert_eq!(
            t.render(),
            "a       n    x\n─────  ──  ───\nNorr   10  1.5\nÖster   5  withheld\n"
        );
    }

    #[test]
    fn truncates() {
        assert_eq!(truncate("Skydda personuppgifter", 10), "Skydda pe…");
        assert_eq!(truncate("kort", 10), "kort");
    }
}
