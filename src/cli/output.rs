//! Writing to standard output. A reader that closes the pipe early (`embedkeep db check | head
//! -1`) is normal: the command then ends quietly with exit 0, instead of panicking the way
//! `print!` does on a closed stdout.

use std::fmt::Display;
use std::io::Write;

/// Write `text` to stdout as it is.
pub(crate) fn emit(text: impl Display) {
    let mut out = std::io::stdout().lock();
    let written = write!(out, "{text}").and_then(|()| out.flush());
    if let Err(e) = written {
        stdout_failed(e);
    }
}

/// Write `bytes` to stdout as they are (a page in its own charset).
pub(crate) fn emit_bytes(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    let written = out.write_all(bytes).and_then(|()| out.flush());
    if let Err(e) = written {
        stdout_failed(e);
    }
}

/// A closed pipe ends the command quietly; any other write error ends it with exit 1.
fn stdout_failed(e: std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("embedkeep: cannot write to standard output: {e}");
    std::process::exit(1);
}

/// Write `text` and a newline to stdout.
pub(crate) fn emitln(text: impl Display) {
    emit(format_args!("{text}\n"));
}
