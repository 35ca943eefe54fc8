//! Plain-text tables for human output: aligned columns, long cells shortened with an ellipsis,
//! and optional detail lines under a row (printed whole, e.g. the URLs of a post's articles).

/// Widest a cell may be before it is shortened.
const MAX_CELL: usize = 60;

/// A table with a header row.
pub(super) struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    /// Lines printed under each row, by row index.
    details: Vec<Vec<String>>,
}

impl Table {
    pub(super) fn new(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
            details: Vec::new(),
        }
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

    /// Render with two spaces between columns and the given indent.
    pub(super) fn render(&self, indent: &str) -> String {
        let cols = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(cols) {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        let detail_indent = format!(
            "{indent}{}",
            " ".repeat(widths.first().map_or(0, |w| w + 2))
        );
        let no_details = Vec::new();
        let mut out = String::new();
        let rows = std::iter::once((&self.header, &no_details))
            .chain(self.rows.iter().zip(self.details.iter()));
        for (row, details) in rows {
            let mut line = String::from(indent);
            for (i, cell) in row.iter().enumerate().take(cols) {
                line.push_str(cell);
                if i + 1 < cols {
                    let pad = widths[i] - cell.chars().count() + 2;
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

/// Whitespace collapsed to single spaces, control characters replaced by spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// One line, at most `MAX_CELL` characters, control characters replaced by spaces.
fn shorten(cell: &str) -> String {
    let flat = one_line(cell);
    if flat.chars().count() <= MAX_CELL {
        flat
    } else {
        let mut s: String = flat.chars().take(MAX_CELL - 1).collect();
        s.push('…');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_and_shortens() {
        let mut t = Table::new(&["A", "B"]);
        t.row(vec!["x".into(), "y".into()]);
        t.row(vec!["longer".into(), "z\nnext line".into()]);
        let out = t.render("");
        assert_eq!(out, "A       B\nx       y\nlonger  z next line\n");
        assert_eq!(shorten(&"a".repeat(100)).chars().count(), MAX_CELL);
    }

    #[test]
    fn details_go_under_their_row_from_the_second_column() {
        let mut t = Table::new(&["ID", "POST"]);
        t.row(vec!["12".into(), "p".into()]);
        let long = format!("in https://news.example/{}", "a".repeat(100));
        t.details(vec![long.clone()]);
        t.row(vec!["3".into(), "q".into()]);
        let out = t.render("  ");
        assert_eq!(out, format!("  ID  POST\n  12  p\n      {long}\n  3   q\n"));
    }
}
