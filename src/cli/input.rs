//! Reading a local page (a file, or `-` for standard input) for `archive --html` and `scan`,
//! under the same size cap as a fetched body: a huge or endless input is an error naming it,
//! never an unbounded read.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::{Failure, Problem};

/// Read `path` (`-` is standard input) on a blocking thread, refusing more than `limit` bytes.
/// The path is opened as it is, so a file whose name is not UTF-8 is read too; messages name
/// it as it displays.
pub(super) async fn read_local(path: &Path, limit: u64) -> Result<Vec<u8>, Failure> {
    let owned: PathBuf = path.to_owned();
    crate::blocking::run(format!("reading {}", path.display()), move || {
        read_local_blocking(&owned, limit)
    })
    .await
    .map_err(|e| Failure::Runtime(e.into()))?
}

/// Read `path` (`-` is standard input), refusing more than `limit` bytes.
fn read_local_blocking(path: &Path, limit: u64) -> Result<Vec<u8>, Failure> {
    let name = path.display().to_string();
    let name = name.as_str();
    let stdin = path == Path::new("-");
    let shown = if stdin { "standard input" } else { name };
    let cannot_read = |e: std::io::Error| {
        let problem = Problem::new("read", format!("cannot read {shown}: {e}")).input(name);
        match e.kind() {
            // A file that is not there is a mistyped argument.
            std::io::ErrorKind::NotFound => {
                Problem::new("not-found", format!("{shown}: no such file"))
                    .input(name)
                    .hint("check the path")
                    .usage()
            }
            std::io::ErrorKind::IsADirectory => {
                Problem::new("is-a-directory", format!("{shown} is a directory"))
                    .input(name)
                    .hint("give a file, not a directory")
                    .usage()
            }
            _ => problem.runtime(),
        }
    };
    let source: Box<dyn Read> = if stdin {
        use std::io::IsTerminal;
        if std::io::stdin().is_terminal() {
            // Nothing piped in: say what is awaited, or the command seems to hang.
            eprintln!("embedkeep: reading the page from the terminal; end it with Ctrl-D");
        }
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(path).map_err(cannot_read)?)
    };
    let mut bytes = Vec::new();
    source
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    if bytes.len() as u64 > limit {
        return Err(Problem::new(
            "too-large",
            format!("{shown} is larger than the {limit}-byte limit"),
        )
        .input(name)
        .hint("http.max_body_bytes in the config sets the limit")
        .runtime());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_within_the_limit_and_refuses_beyond_it() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("page.html");
        std::fs::write(&path, b"<p>0123456789</p>").expect("write");
        let name = path.to_str().expect("path");
        assert_eq!(
            read_local_blocking(Path::new(name), 17).ok(),
            Some(b"<p>0123456789</p>".to_vec())
        );
        let err = read_local_blocking(Path::new(name), 16).expect_err("over the limit");
        assert!(err.error().to_string().contains("page.html"), "{:?}", err);
        let missing =
            read_local_blocking(Path::new("/nonexistent/page.html"), 10).expect_err("missing");
        assert!(
            missing
                .error()
                .to_string()
                .contains("/nonexistent/page.html")
        );
        assert_eq!((missing.kind(), missing.exit_code()), ("not-found", 2));
        let dir = read_local_blocking(dir.path(), 10).expect_err("a dir");
        assert_eq!(dir.exit_code(), 2, "{}", dir.message());
    }
}
