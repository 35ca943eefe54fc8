//! Plain-text tables for human output: aligned columns, long cells shortened with an ellipsis,
//! and optional detail lines under a row (printed whole, e.g. the URLs of a post's articles).
//!
//! Widths are display widths (a CJK character or an emoji takes two terminal columns), so the
//! columns line up whatever script an author writes in. Cells and detail lines are outside text
//! (titles, authors, evidence), so control characters in them are shown as escapes, never
//! written raw to the terminal. Colour is applied after padding and only when stdout takes it
//! (see [`super::style`]), so it never shifts a column.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::output::terminal_text;
use super::style::Paint;

/// Widest a cell may be, in terminal columns, before it is shortened.
const MAX_CELL: usize = 60;

/// How a column's cells are coloured, by what they say.
type Painter = fn(&str) -> Paint;

/// A table with a header row.
pub(super) struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    /// Lines printed under each row, by row index.
    details: Vec<Vec<String>>,
    /// Per column, how its cells are coloured (when colour is on).
    paints: Vec<Option<Painter>>,
}

impl Table {
    pub(super) fn new(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
            details: Vec::new(),
            paints: vec![None; header.len()],
        }
    }

    /// Colour the cells of column `index` (not its header) by what they say.
    pub(super) fn paint_column(&mut self, index: usize, paint: Painter) -> &mut Table {
        if let Some(slot) = self.paints.get_mut(index) {
            *slot = Some(paint);
        }
        self
    }

    pub(super) fn row(&mut self, cells: Vec<String>) {
        self.rows
            .push(cells.into_iter().map(|c| shorten(&c)).collect());
        self.details.push(Vec::new());
    }

    /// Lines to print under the last row, starting at its second column; never shortened.
    pub(super) fn details(&mut self, lines: Vec<String>) {
        if let Some(last) = self.details.last_mut() {
            last.extend(lines.iter().map(|l| one_line(l)));
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Render with two spaces between columns and the given indent, coloured when stdout
    /// takes colour.
    pub(super) fn render(&self, indent: &str) -> String {
        self.render_with(indent, super::style::enabled())
    }

    fn render_with(&self, indent: &str, colour: bool) -> String {
        let cols = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(cols) {
                widths[i] = widths[i].max(cell.width());
            }
        }
        let detail_indent = format!(
            "{indent}{}",
            " ".repeat(widths.first().map_or(0, |w| w + 2))
        );
        let no_details = Vec::new();
        let mut out = String::new();
        let rows = std::iter::once((true, &self.header, &no_details)).chain(
            self.rows
                .iter()
                .zip(self.details.iter())
                .map(|(r, d)| (false, r, d)),
        );
        for (is_header, row, details) in rows {
            let mut line = String::from(indent);
            for (i, cell) in row.iter().enumerate().take(cols) {
                let paint = match self.paints[i] {
                    Some(paint) if colour && !is_header => paint(cell),
                    _ => Paint::Plain,
                };
                line.push_str(&paint.apply(cell));
                if i + 1 < cols {
                    let pad = widths[i].saturating_sub(cell.width()) + 2;
                    line.extend(std::iter::repeat_n(' ', pad));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
            for d in details {
                out.push_str(&detail_indent);
                out.push_str(d);
                out.push('\n');
            }
        }
        out
    }
}

/// Whitespace collapsed to single spaces, other control characters shown as escapes (cells hold
/// text from pages and platforms; see [`terminal_text`]).
fn one_line(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    terminal_text(&flat).into_owned()
}

/// One line, at most `MAX_CELL` columns wide, control characters shown as escapes.
fn shorten(cell: &str) -> String {
    let flat = one_line(cell);
    if flat.width() <= MAX_CELL {
        return flat;
    }
    // Keep whole characters up to one column short of the limit, for the ellipsis.
    let mut s = String::new();
    let mut used = 0;
    for c in flat.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > MAX_CELL - 1 {
            break;
        }
        used += w;
        s.push(c);
    }
    s.push('…');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_and_shortens() {
        let mut t = Table::new(&["A", "B"]);
        t.row(vec!["x".into(), "y".into()]);
        t.row(vec!["longer".into(), "z\nnext line".into()]);
        let out = t.render_with("", false);
        assert_eq!(out, "A       B\nx       y\nlonger  z next line\n");
        assert_eq!(shorten(&"a".repeat(100)).width(), MAX_CELL);
        assert_eq!(shorten(&"李".repeat(100)).width(), MAX_CELL - 1);
    }

    #[test]
    fn wide_characters_take_two_columns() {
        let mut t = Table::new(&["AUTHOR", "POST"]);
        t.row(vec!["李小龍".into(), "p1".into()]);
        t.row(vec!["👍🏽 fan".into(), "p2".into()]);
        t.row(vec!["ann".into(), "p3".into()]);
        let out = t.render_with("", false);
        for line in out.lines() {
            let (first, _) = line.split_at(line.rfind(' ').map_or(0, |i| i + 1));
            assert_eq!(first.width(), "AUTHOR".width() + 2, "{out}");
        }
    }

    #[test]
    fn colour_leaves_the_columns_where_they_were() {
        let mut t = Table::new(&["STATUS", "POST"]);
        t.paint_column(0, super::super::style::status);
        t.row(vec!["gone".into(), "p1".into()]);
        t.row(vec!["live".into(), "p2".into()]);
        let plain = t.render_with("", false);
        let coloured = t.render_with("", true);
        assert!(coloured.contains('\u{1b}'), "{coloured}");
        assert!(!plain.contains('\u{1b}'));
        let stripped: String = {
            let mut s = String::new();
            let mut in_escape = false;
            for c in coloured.chars() {
                match (in_escape, c) {
                    (false, '\u{1b}') => in_escape = true,
                    (true, 'm') => in_escape = false,
                    (true, _) => {}
                    (false, c) => s.push(c),
                }
            }
            s
        };
        assert_eq!(stripped, plain);
    }

    #[test]
    fn details_go_under_their_row_from_the_second_column() {
        let mut t = Table::new(&["ID", "POST"]);
        t.row(vec!["12".into(), "p".into()]);
        let long = format!("in https://news.example/{}", "a".repeat(100));
        t.details(vec![long.clone()]);
        t.row(vec!["3".into(), "q".into()]);
        let out = t.render_with("  ", false);
        assert_eq!(out, format!("  ID  POST\n  12  p\n      {long}\n  3   q\n"));
    }
}
