//! Writing to standard output and standard error, and making outside text safe to print there.
//!
//! A reader that closes the pipe early (`embedkeep db check | head -1`) is normal: the rest of
//! the command's output is dropped, without a message and without the panic `print!` gives on a
//! closed stdout, and the command ends with the exit code its work gives (so `db check | head -1`
//! still says 1 of a damaged archive). A closed stderr (`2>&1 | head -c1`) must not panic
//! either: messages to stderr are written by [`emit_err`], which drops what cannot be written,
//! so the command still ends with its own exit code. Nothing in `cli` uses `eprintln!`.
//!
//! Human output prints text that came from outside the process: page titles, authors' names
//! and handles, post texts, evidence, error messages quoting a server or a file. A terminal
//! obeys escape sequences in such text (`ESC ]0;…BEL` sets its title, `ESC [2J` clears it, OSC 52
//! writes the clipboard), so every such piece goes through [`terminal_text`] before it is
//! printed. `--json` output is left exact: JSON escapes control characters itself.

use std::borrow::Cow;
use std::fmt::Display;
use std::fmt::Write as _;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once a write to stdout met a closed pipe: what the command would print after that is
/// dropped.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Write `text` to stdout as it is.
pub(crate) fn emit(text: impl Display) {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut out = std::io::stdout().lock();
    let written = write!(out, "{text}").and_then(|()| out.flush());
    if let Err(e) = written {
        printed_failed(e);
    }
}

/// Write `bytes` to stdout as they are (a page in its own charset).
pub(crate) fn emit_bytes(bytes: &[u8]) {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut out = std::io::stdout().lock();
    let written = out.write_all(bytes).and_then(|()| out.flush());
    if let Err(e) = written {
        printed_failed(e);
    }
}

/// A write of printed output failed: a closed pipe drops the rest of the output (the command
/// goes on to its own exit code); any other write error ends the command with exit 1.
fn printed_failed(e: std::io::Error) {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        STDOUT_CLOSED.store(true, Ordering::Relaxed);
        return;
    }
    stdout_failed(e);
}

/// Standard output as a byte stream, for a command that writes a whole file there
/// (`export --warc -`): a closed pipe ends the command at once, quietly, with exit 0 (the reader
/// took what it wanted of the file, and writing the rest into nothing would be wasted work); any
/// other write error ends it with exit 1; a write is never retried after either.
pub(crate) struct StdoutStream(std::io::StdoutLock<'static>);

impl StdoutStream {
    pub(crate) fn new() -> StdoutStream {
        StdoutStream(std::io::stdout().lock())
    }
}

impl Write for StdoutStream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.0.write(buf) {
            Err(e) if e.kind() != std::io::ErrorKind::Interrupted => stdout_failed(e),
            written => written,
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.0.flush() {
            Err(e) if e.kind() != std::io::ErrorKind::Interrupted => stdout_failed(e),
            flushed => flushed,
        }
    }
}

/// A closed pipe ends the command quietly with exit 0; any other write error ends it with
/// exit 1.
fn stdout_failed(e: std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    emit_err(format_args!(
        "embedkeep: cannot write to standard output: {e}"
    ));
    std::process::exit(1);
}

/// Write `text` and a newline to stdout.
pub(crate) fn emitln(text: impl Display) {
    emit(format_args!("{text}\n"));
}

/// Write `text` and a newline to stderr, made safe for a terminal (see [`terminal_text`]).
/// A message that cannot be written (stderr closed, or a full disk behind it) is dropped: there
/// is nowhere left to report it, and the command's exit code still says how it ended.
pub(crate) fn emit_err(text: impl Display) {
    let line = format!("{}\n", terminal_text(&text.to_string()));
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(line.as_bytes()).and_then(|()| err.flush());
}

/// `text` as a terminal may print it: every control character but newline and tab (C0, DEL, C1,
/// so ESC, BEL, CR and backspace too) and every bidirectional override or isolate (which reorder
/// the text after them on screen) is written as an escape the reader can see, `\u{1b}`, the form
/// Rust's `{:?}` uses. Text without such characters is returned as it is, without a copy.
pub(crate) fn terminal_text(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_on_terminal) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_on_terminal(c) {
            // Writing to a `String` cannot fail.
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`terminal_text`] for a value shown on one line (a name, a handle, an address): a newline
/// in it is shown as an escape too, so that a platform's answer cannot add lines of its own to
/// the output.
pub(crate) fn terminal_line(text: &str) -> Cow<'_, str> {
    if !text.contains('\n') {
        return terminal_text(text);
    }
    Cow::Owned(
        text.split('\n')
            .map(terminal_text)
            .collect::<Vec<_>>()
            .join("\\u{a}"),
    )
}

/// Whether printing `c` raw could make a terminal do something or show text out of order.
fn unsafe_on_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_shown_not_obeyed() {
        assert_eq!(
            terminal_text("T\u{1b}]0;pwned\u{7}\u{1b}[2J"),
            "T\\u{1b}]0;pwned\\u{7}\\u{1b}[2J"
        );
        // C1 controls (a terminal may read U+009B as CSI), CR and bidirectional overrides.
        assert_eq!(terminal_text("a\u{9b}2Jb\rc"), "a\\u{9b}2Jb\\u{d}c");
        assert_eq!(terminal_text("x\u{202e}y"), "x\\u{202e}y");
    }

    #[test]
    fn a_line_keeps_to_one_line() {
        assert_eq!(
            terminal_line("evil\r\nSet-Cookie: x=1\n"),
            "evil\\u{d}\\u{a}Set-Cookie: x=1\\u{a}"
        );
        assert!(matches!(terminal_line("@a\tb"), Cow::Borrowed("@a\tb")));
    }

    #[test]
    fn ordinary_text_is_kept_as_it_is() {
        let text = "Chris Hemsworth (@chrishemsworth)\n\tشكرا 李小龍 👍🏽";
        assert!(matches!(terminal_text(text), Cow::Borrowed(t) if t == text));
    }
}
