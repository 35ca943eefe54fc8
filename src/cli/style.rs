//! Colour in human output, where it helps reading: a post's status (gone red, suspect yellow,
//! live green). Off when stdout is not a terminal, when `NO_COLOR` is set, or when
//! `CLICOLOR=0`; `CLICOLOR_FORCE` turns it on (the usual conventions, read by `anstream`).

use anstyle::{AnsiColor, Style};

/// How a piece of text is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Paint {
    Plain,
    Red,
    Yellow,
    Green,
}

impl Paint {
    /// `text` wrapped in the escape codes of this paint (unchanged for `Plain`).
    pub(super) fn apply(self, text: &str) -> String {
        let colour = match self {
            Paint::Plain => return text.to_owned(),
            Paint::Red => AnsiColor::Red,
            Paint::Yellow => AnsiColor::Yellow,
            Paint::Green => AnsiColor::Green,
        };
        let style = Style::new().fg_color(Some(colour.into()));
        format!("{}{text}{}", style.render(), style.render_reset())
    }
}

/// Whether stdout takes colour.
pub(super) fn enabled() -> bool {
    anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
}

/// The paint of a status or check outcome cell: `gone`, `gone (pinned)`, `suspect`, `live`.
pub(super) fn status(cell: &str) -> Paint {
    match cell.split_whitespace().next() {
        Some("gone") => Paint::Red,
        Some("suspect" | "transient") => Paint::Yellow,
        Some("live") => Paint::Green,
        _ => Paint::Plain,
    }
}

/// `text` painted by [`status`] when stdout takes colour.
pub(super) fn status_text(text: &str) -> String {
    if enabled() {
        status(text).apply(text)
    } else {
        text.to_owned()
    }
}
