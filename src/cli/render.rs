//! Pieces of human output shared by several commands. Names, handles and texts come from pages
//! and platforms, so they are passed through [`terminal_text`] here, once for every command.

use super::output::{terminal_line, terminal_text};
use crate::model::PostStatus;
use crate::report::RemnantReport;

/// A status cell: `gone`, or `gone (pinned)` when an operator's pin decides it.
pub(super) fn status(status: PostStatus, pinned: bool) -> String {
    if pinned {
        format!("{status} (pinned)")
    } else {
        status.to_string()
    }
}

/// "Name (@handle)", "@handle", "Name", or `none` when neither is known.
/// Safe to print on a terminal, on one line.
pub(super) fn author(name: &Option<String>, handle: &Option<String>, none: &str) -> String {
    let text = match (name, handle) {
        (Some(n), Some(h)) => format!("{n} (@{h})"),
        (None, Some(h)) => format!("@{h}"),
        (Some(n), None) => n.clone(),
        (None, None) => none.to_owned(),
    };
    terminal_line(&text).into_owned()
}

/// For a table cell: "@handle" when the handle is known, else the name, else empty.
/// Safe to print on a terminal.
pub(super) fn short_author(name: &Option<String>, handle: &Option<String>) -> String {
    let text = match (handle, name) {
        (Some(h), _) => format!("@{}", h.trim_start_matches('@')),
        (None, Some(n)) => n.clone(),
        (None, None) => String::new(),
    };
    terminal_line(&text).into_owned()
}

/// The "remnants of broken embeds" block, empty when there are none.
pub(super) fn remnants(remnants: &[RemnantReport]) -> String {
    if remnants.is_empty() {
        return String::new();
    }
    let mut out = String::from("  remnants of broken embeds:\n");
    for r in remnants {
        let who = author(&r.author_name, &r.author_handle, "");
        // `{:?}` quotes the text on one line; `terminal_text` then catches what it leaves.
        let text = terminal_text(&format!("{:?}", r.text)).into_owned();
        out.push_str(&format!("    {}  {}  {}\n", r.platform, who, text));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Platform;

    #[test]
    fn remnant_block_names_author_and_text() {
        let r = RemnantReport {
            platform: Platform::Instagram,
            author_name: Some("Chris Hemsworth".into()),
            author_handle: Some("chrishemsworth".into()),
            text: "A post shared by Chris Hemsworth (@chrishemsworth)".into(),
        };
        let out = remnants(&[r]);
        assert!(out.contains("instagram  Chris Hemsworth (@chrishemsworth)  \"A post shared"));
        assert_eq!(remnants(&[]), "");
        assert_eq!(author(&None, &None, "(no author)"), "(no author)");
        assert_eq!(short_author(&Some("N".into()), &Some("@h".into())), "@h");
        assert_eq!(short_author(&Some("Name".into()), &None), "Name");
    }

    #[test]
    fn remnant_author_and_text_reach_the_terminal_escaped() {
        let r = RemnantReport {
            platform: Platform::Instagram,
            author_name: Some("Bad\u{1b}[2J".into()),
            author_handle: Some("bad".into()),
            text: "A post shared by Bad\u{1b}[2J (@bad)\u{202e}".into(),
        };
        let out = remnants(&[r]);
        assert!(!out.contains('\u{1b}'), "{out:?}");
        assert!(!out.contains('\u{202e}'), "{out:?}");
        assert!(
            out.contains(r#"Bad\u{1b}[2J (@bad)  "A post shared by Bad\u{1b}[2J (@bad)\u{202e}""#),
            "{out}"
        );
    }
}
