//! `embedkeep show`: a post's status, snapshots and check history; with `--diff`, what changed
//! between consecutive snapshots (compared by `model::diff`).

use super::args::{Cli, ShowArgs};
use super::output::{emit, terminal_line, terminal_text};
use super::render;
use super::setup::{db_path, load_config, not_archived, read_failure, require_archive};
use super::style;
use super::table::Table;
use super::target;
use super::{Failure, Outcome, print_json};
use crate::model;
use crate::pipeline::{self, LookupError};
use crate::report::{self, ChangeReport, ChangeValue, DiffDocument, PostReport};
use crate::store::StoreReader;

pub(super) async fn run(cli: &Cli, args: &ShowArgs) -> Result<Outcome, Failure> {
    let url = target::post_url(&args.post_url)?;
    let config = load_config(cli)?;
    let path = db_path(cli, &config)?;
    require_archive(&path)?;
    let reader = StoreReader::new(&path);
    let view = pipeline::lookup(&reader, &url).await.map_err(|e| match e {
        LookupError::NotArchived(e) => not_archived(&e.to_string(), &args.post_url),
        LookupError::Store(e) => read_failure(&path, "read", e),
    })?;
    if args.diff {
        let doc = report::diff_document(&view, &model::history(&view.snapshots));
        if args.json {
            print_json(&doc)?;
        } else {
            emit(render_diff(&doc, view.snapshots.len()));
        }
        return Ok(Outcome::Success);
    }
    let report = PostReport::from(&view);
    if args.json {
        print_json(&report)?;
    } else {
        emit(format_args!("{}", render(&report)));
    }
    Ok(Outcome::Success)
}

/// Everything in a report that came from a platform (names, texts, URLs, media errors) goes
/// through `terminal_text` or a [`Table`], which does the same.
fn render(r: &PostReport) -> String {
    let mut out = format!(
        "{}\n  #{}  {}  {}  status: {}\n",
        terminal_line(&r.post_url),
        r.id,
        r.platform,
        terminal_line(&r.post_id),
        style::status_text(&render::status(r.status, r.pin.is_some()))
    );
    if let Some(at) = &r.last_live_at {
        out.push_str(&format!("  last seen live: {at}\n"));
    }
    out.push_str(&format!("\n  snapshots ({}):\n", r.snapshots.len()));
    for s in &r.snapshots {
        let who = render::author(&s.author_name, &s.author_handle, "(no author)");
        out.push_str(&format!(
            "  #{}  {}  from {}  seen {} .. {}\n",
            s.id, who, s.source, s.fetched_at, s.last_seen_at
        ));
        if let Some(p) = &s.published_at {
            out.push_str(&format!("      published {p}\n"));
        }
        if let Some(t) = &s.text {
            let flat: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
            let short: String = flat.chars().take(200).collect();
            out.push_str(&format!("      {}\n", terminal_text(&short)));
        }
        for m in &s.media {
            match (&m.thumbnail, &m.error) {
                (Some(t), _) => out.push_str(&format!(
                    "      {} {}x{} thumbnail {} ({})\n",
                    m.kind.as_str(),
                    m.width.unwrap_or(0),
                    m.height.unwrap_or(0),
                    t.sha256,
                    terminal_line(&t.mime)
                )),
                (None, Some(e)) => out.push_str(&format!(
                    "      {} (no thumbnail: {})\n",
                    m.kind.as_str(),
                    terminal_line(e)
                )),
                (None, None) => out.push_str(&format!("      {}\n", m.kind.as_str())),
            }
        }
    }
    let mut checks = Table::new(&["WHEN", "OUTCOME", "SOURCE", "EVIDENCE"]);
    checks.paint_column(1, style::status);
    for c in &r.checks {
        checks.row(vec![
            c.at.clone(),
            c.outcome.as_str().to_owned(),
            c.source.clone(),
            c.evidence.clone(),
        ]);
    }
    out.push_str(&format!("\n  checks ({}):\n", r.checks.len()));
    if !checks.is_empty() {
        out.push_str(&checks.render("  "));
    }
    out
}

/// `show --diff`: per pair of consecutive snapshots (newest first), each changed field; the
/// platform's text made safe for a terminal, as in [`render`].
fn render_diff(doc: &DiffDocument, snapshots: usize) -> String {
    let p = &doc.post;
    let mut out = format!(
        "{}\n  #{}  {}  {}  status: {}\n",
        terminal_text(&p.post_url),
        p.id,
        p.platform,
        terminal_text(&p.post_id),
        style::status_text(&render::status(p.status, p.pin.is_some()))
    );
    match snapshots {
        0 => {
            out.push_str("  no snapshots; nothing to compare\n");
            return out;
        }
        1 => {
            out.push_str("  only one snapshot; nothing to compare\n");
            return out;
        }
        _ => {}
    }
    for d in &doc.diffs {
        out.push_str(&format!(
            "\n  snapshot #{} -> #{}  (changed between {} and {})\n",
            d.from, d.to, d.from_last_seen_at, d.to_fetched_at
        ));
        if d.changes.is_empty() {
            out.push_str("    no visible change\n");
        }
        for c in &d.changes {
            out.push_str(&render_change(c));
        }
    }
    out
}

/// Unchanged lines shown on each side of a changed one; longer unchanged runs become `...`.
const CONTEXT_LINES: usize = 2;

/// One change: the text as -/+ lines with a little context, other fields as before -> after.
fn render_change(c: &ChangeReport) -> String {
    if let Some(lines) = &c.lines {
        let mut out = format!("    {}:\n", c.field);
        // Which lines lie within CONTEXT_LINES of a change, in one pass each way: a caption
        // of a million lines is diffed in linear time.
        let mut shown = vec![false; lines.len()];
        let mut last_change: Option<usize> = None;
        for (i, l) in lines.iter().enumerate() {
            if l.op != "same" {
                last_change = Some(i);
            }
            shown[i] = last_change.is_some_and(|c| i - c <= CONTEXT_LINES);
        }
        let mut next_change: Option<usize> = None;
        for i in (0..lines.len()).rev() {
            if lines[i].op != "same" {
                next_change = Some(i);
            }
            shown[i] |= next_change.is_some_and(|c| c - i <= CONTEXT_LINES);
        }
        let mut i = 0;
        while i < lines.len() {
            let hidden = shown[i..].iter().take_while(|&&s| !s).count();
            if hidden > 1 {
                out.push_str("        ...\n");
                i += hidden;
                continue;
            }
            let l = &lines[i];
            let marker = match l.op {
                "removed" => '-',
                "added" => '+',
                _ => ' ',
            };
            out.push_str(format!("      {marker} {}", terminal_text(&l.text)).trim_end());
            out.push('\n');
            i += 1;
        }
        return out;
    }
    let value = |v: &Option<ChangeValue>| match v {
        None => "(none)".to_owned(),
        // `{:?}` quotes the text on one line; `terminal_text` then catches what it leaves.
        Some(ChangeValue::Text(t)) => terminal_text(&format!("{t:?}")).into_owned(),
        Some(ChangeValue::Media(m)) => {
            let size = match (m.width, m.height) {
                (Some(w), Some(h)) => format!(" {w}x{h}"),
                _ => String::new(),
            };
            format!("{} {}{size}", m.kind.as_str(), terminal_text(&m.url))
        }
    };
    match (c.change, c.index) {
        (Some(change), Some(index)) => {
            let what = match change {
                "added" => value(&c.after),
                "removed" => value(&c.before),
                _ => format!("{} -> {}", value(&c.before), value(&c.after)),
            };
            format!("    {} #{} {change}: {what}\n", c.field, index + 1)
        }
        _ => format!(
            "    {}: {} -> {}\n",
            c.field,
            value(&c.before),
            value(&c.after)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::LineReport;

    fn change(ops: &[&'static str]) -> ChangeReport {
        ChangeReport {
            field: "text",
            change: None,
            index: None,
            before: None,
            after: None,
            lines: Some(
                ops.iter()
                    .enumerate()
                    .map(|(i, &op)| LineReport {
                        op,
                        text: format!("line {i}"),
                    })
                    .collect(),
            ),
        }
    }

    /// The lines shown are those within [`CONTEXT_LINES`] of a change, the rest folded into
    /// `...` (a single hidden line is shown rather than folded): held, for every sequence of
    /// up to 12 lines, to that rule written out directly.
    #[test]
    fn a_text_diff_shows_the_lines_near_each_change() {
        for len in 0..=12usize {
            for mask in 0u32..(1 << len) {
                let ops: Vec<&'static str> = (0..len)
                    .map(|i| if mask >> i & 1 == 1 { "added" } else { "same" })
                    .collect();
                let near =
                    |i: usize| (0..len).any(|c| ops[c] != "same" && c.abs_diff(i) <= CONTEXT_LINES);
                let mut want = String::from("    text:\n");
                let mut i = 0;
                while i < len {
                    let hidden = (i..len).take_while(|&j| !near(j)).count();
                    if hidden > 1 {
                        want.push_str("        ...\n");
                        i += hidden;
                        continue;
                    }
                    let marker = if ops[i] == "same" { ' ' } else { '+' };
                    want.push_str(&format!("      {marker} line {i}\n"));
                    i += 1;
                }
                assert_eq!(render_change(&change(&ops)), want, "{ops:?}");
            }
        }
    }

    /// A caption of 200,000 lines with a change in every tenth is rendered (it once took a
    /// minute: each line looked through every change).
    #[test]
    fn a_long_text_diff_is_rendered_whole() {
        let ops: Vec<&'static str> = (0..200_000)
            .map(|i| if i % 10 == 0 { "added" } else { "same" })
            .collect();
        let out = render_change(&change(&ops));
        assert!(out.contains("+ line 199990\n"), "the last change is shown");
        assert_eq!(out.matches("        ...\n").count(), 20_000);
    }
}
