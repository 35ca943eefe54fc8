//! What a command-line argument names: an article or post URL, a local file, or standard input.
//! A URL given without a scheme (`www.example.com/article`) is read as https; a file name given
//! where a URL belongs says how to pass a file instead. Arguments are read here, before any
//! database is opened, so a mistyped argument never leaves an empty archive behind.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use super::{Failure, Problem};
use crate::model::{
    TypedUrlError, looks_like_host, read_http_url, scheme_of, with_default_scheme, without_fragment,
};

/// What `scan` reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ScanTarget {
    /// Fetch this http(s) URL.
    Url(String),
    /// Read this file (`-` is standard input), reported under `name` (the path as it displays).
    Local { name: String, path: PathBuf },
    /// A directory below one given that could not be listed: `name` and why.
    Unlisted { name: String, error: String },
    /// An entry below a directory given that is named like a page but cannot be read as one
    /// (a broken symbolic link, a FIFO, a socket, a device): `name` and why. It is skipped with
    /// a warning, not read: reading a FIFO would wait for a writer that may never come.
    Skipped { name: String, why: String },
}

impl ScanTarget {
    /// A local file, named as its path displays.
    pub(super) fn local(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        ScanTarget::Local {
            name: path.display().to_string(),
            path,
        }
    }
}

/// The file name endings `scan` picks when it walks a directory (compared case-insensitively).
pub(super) const PAGE_EXTENSIONS: [&str; 3] = ["html", "htm", "txt"];

/// Everything `scan` reads for its arguments, in argument order: each directory walked
/// recursively for pages (see [`pages_in`]), every other argument read by [`scan_target`]. A
/// mistyped argument, a directory holding no page, or `-` given twice is a usage error before
/// anything is read.
pub(super) fn scan_targets(args: &[OsString]) -> Result<Vec<ScanTarget>, Failure> {
    let mut targets = Vec::new();
    let mut stdin_seen = false;
    for os_arg in args {
        let shown = os_arg.to_string_lossy();
        let arg: &str = &shown;
        if arg.trim() == "-" {
            if stdin_seen {
                return Err(
                    Problem::new("stdin-twice", "- (standard input) is given twice")
                        .input(arg)
                        .hint("standard input can be read once; save the second page to a file")
                        .usage(),
                );
            }
            stdin_seen = true;
        }
        let path = Path::new(os_arg);
        if path.is_dir() {
            let found = pages_in(path);
            if found.is_empty() {
                return Err(Problem::new(
                    "no-pages",
                    format!("{arg} is a directory with no .html, .htm or .txt file in it"),
                )
                .input(arg)
                .hint("give a directory of saved pages, a saved page, an article URL, or - for standard input")
                .usage());
            }
            targets.extend(found);
        } else {
            targets.push(scan_target_os(os_arg)?);
        }
    }
    Ok(targets)
}

/// [`scan_target`] of an argument as the system gave it: one that is not UTF-8 can name no URL,
/// so it is a file, read whatever its name (and shown with its undecodable bytes replaced).
pub(super) fn scan_target_os(arg: &OsStr) -> Result<ScanTarget, Failure> {
    match arg.to_str() {
        Some(text) => scan_target(text),
        None => Ok(ScanTarget::local(PathBuf::from(arg))),
    }
}

/// The pages below `dir`: files whose names end in one of [`PAGE_EXTENSIONS`], found
/// recursively, sorted by path so a run lists them in the same order every time. Hidden entries
/// (names starting with `.`, such as `.git`) and symbolic links to directories are skipped, so a
/// link cycle cannot make the walk endless. A subdirectory that cannot be listed is one
/// [`ScanTarget::Unlisted`] entry; an entry named like a page that is not a readable file is
/// one [`ScanTarget::Skipped`] entry saying why.
pub(super) fn pages_in(dir: &Path) -> Vec<ScanTarget> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                let name = dir.display().to_string();
                found.push(ScanTarget::Unlisted {
                    error: format!("cannot list directory {name}: {e}"),
                    name,
                });
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if hidden {
                continue;
            }
            if kind.is_dir() {
                pending.push(path);
            } else if is_page(&path) {
                match page_file(&path, kind) {
                    Ok(true) => found.push(ScanTarget::local(path)),
                    Ok(false) => {}
                    Err(why) => found.push(ScanTarget::Skipped {
                        name: path.display().to_string(),
                        why,
                    }),
                }
            }
        }
    }
    found.sort_by(|a, b| target_name(a).cmp(target_name(b)));
    found
}

/// How a symbolic link that leads nowhere (dangling, or in a loop) is named, `e` being why its
/// target cannot be read.
fn link_to_nothing(e: &std::io::Error) -> String {
    format!("a symbolic link whose target cannot be read ({e})")
}

/// Whether a page-named entry of type `kind` is a file to read: `Ok(true)` for a regular file or
/// a link to one, `Ok(false)` for a link to a directory (not followed, see [`pages_in`]), and
/// why not for anything else.
fn page_file(path: &Path, kind: std::fs::FileType) -> Result<bool, String> {
    use std::os::unix::fs::FileTypeExt;
    let (kind, via_link) = if kind.is_symlink() {
        match std::fs::metadata(path) {
            Ok(target) => (target.file_type(), "a symbolic link to "),
            Err(e) => return Err(link_to_nothing(&e)),
        }
    } else {
        (kind, "")
    };
    if kind.is_file() {
        return Ok(true);
    }
    if kind.is_dir() {
        return Ok(false);
    }
    let what = if kind.is_fifo() {
        "a FIFO (named pipe)"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else {
        "not a file"
    };
    Err(format!("{via_link}{what}, not a regular file"))
}

/// Whether `path`'s name ends in one of [`PAGE_EXTENSIONS`].
fn is_page(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| PAGE_EXTENSIONS.iter().any(|p| e.eq_ignore_ascii_case(p)))
}

/// The name a target is reported under.
pub(super) fn target_name(target: &ScanTarget) -> &str {
    match target {
        ScanTarget::Url(name)
        | ScanTarget::Local { name, .. }
        | ScanTarget::Unlisted { name, .. }
        | ScanTarget::Skipped { name, .. } => name,
    }
}

/// What a URL argument names, for the words of its errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UrlOf {
    /// An article to archive (`archive URL`).
    Article,
    /// An archived post to look up (`show`, `pin`, `check`).
    Post,
    /// The URL an article was archived under, to list its posts (`list --article`).
    Archived,
}

impl UrlOf {
    /// "only http and https URLs can be …".
    fn verb(self) -> &'static str {
        match self {
            UrlOf::Article | UrlOf::Archived => "archived",
            UrlOf::Post => "looked up",
        }
    }

    /// How to give one.
    fn example(self) -> &'static str {
        match self {
            UrlOf::Article => "give the article's address, e.g. https://example.com/article",
            UrlOf::Post => {
                "give the post's address as the article embeds it, e.g. \
                 https://www.instagram.com/p/C8kQx2LtA1b/ (`embedkeep list` shows them)"
            }
            UrlOf::Archived => {
                "give the URL the article was archived under, e.g. https://example.com/article \
                 (`embedkeep list` shows each post's articles)"
            }
        }
    }

    /// What to do with a saved page given instead of a URL.
    fn for_a_file(self, file: &str) -> String {
        match self {
            UrlOf::Article => format!(
                "to archive a saved page, pass --html {file} --base-url URL (the address the \
                 article was published at)"
            ),
            UrlOf::Post => format!(
                "a post is named by its URL; to find the posts a saved page embeds, run \
                 embedkeep scan {file}"
            ),
            UrlOf::Archived => format!(
                "a saved page is archived under the --base-url it was given, not as {file}: \
                 pass that URL"
            ),
        }
    }
}

/// An article URL to archive: as given when it has an http(s) scheme, with `https://` in front
/// when it starts with a host name. A file name, another scheme or a bare word is a usage error
/// that says what to pass instead; so is a URL carrying a user name or password, since the URL
/// is the article's key, stored and listed as it is.
pub(super) fn article_url(arg: &str) -> Result<String, Failure> {
    let url = http_url(arg, UrlOf::Article)?;
    if let Some(shown) = url::Url::parse(&url)
        .ok()
        .and_then(|parsed| crate::model::without_credentials(&parsed))
    {
        return Err(Problem::new(
            "invalid-url",
            format!(
                "{shown} was given with a user name or password in it; the article's URL is \
                 its key in the archive, stored and listed as it is"
            ),
        )
        .input(shown.as_str())
        .hint("give the article's address without them")
        .usage());
    }
    Ok(url)
}

/// A post URL to look up (`show`, `pin`, `check`), read and refused as [`article_url`] reads
/// article URLs: a malformed one is a usage error (exit 2) before the archive is opened, not a
/// post "not in the archive". A well-formed URL of a form the archive does not know is looked
/// up as given and reported as not archived.
pub(super) fn post_url(arg: &str) -> Result<String, Failure> {
    http_url(arg, UrlOf::Post)
}

/// An article URL to filter by (`list --article`), read and refused as [`article_url`] reads
/// article URLs: a malformed one is a usage error (exit 2) before the archive is opened, not a
/// filter that quietly matches nothing. Its `#fragment` is dropped, as it was when the article
/// was archived ([`without_fragment`]), so the address of a place in the page finds the page.
pub(super) fn archived_article_url(arg: &str) -> Result<String, Failure> {
    http_url(arg, UrlOf::Archived).map(|url| without_fragment(&url))
}

/// An http(s) URL argument, read as [`read_http_url`] reads it (the server reads `url=` the
/// same way): as given when it has an http(s) scheme, with `https://` in front when it starts
/// with a host name; anything else is a usage error worded for `what`. A file name is checked
/// for first, so a saved page given where a URL belongs gets a hint on how to pass it.
fn http_url(arg: &str, what: UrlOf) -> Result<String, Failure> {
    let text = arg.trim();
    // A folder here (`saved.d`) would otherwise read as a host name, looked up in DNS.
    if scheme_of(text).is_none() && !text.is_empty() && Path::new(text).is_dir() {
        return Err(Problem::new(
            "is-a-directory",
            format!("{text} is a directory, not a URL"),
        )
        .input(arg)
        .hint(format!(
            "to find the embeds of the pages in a folder, run embedkeep scan {text}"
        ))
        .usage());
    }
    if scheme_of(text).is_none() && looks_like_file(text) {
        let is = if Path::new(text).is_file() {
            "is a file"
        } else {
            "looks like a file name"
        };
        return Err(
            Problem::new("file-not-url", format!("{text} {is}, not a URL"))
                .input(arg)
                .hint(what.for_a_file(text))
                .usage(),
        );
    }
    read_http_url(text).map_err(|e| url_problem(e, arg, what))
}

/// The usage error of an argument that [`read_http_url`] refuses, worded for `what`.
fn url_problem(error: TypedUrlError, arg: &str, what: UrlOf) -> Failure {
    let text = arg.trim();
    let problem = match error {
        TypedUrlError::Empty => Problem::new("invalid-url", "an empty argument is not a URL"),
        TypedUrlError::NotHttp { scheme } => {
            let hint = match what {
                UrlOf::Article if scheme.eq_ignore_ascii_case("file") => {
                    "to archive a saved page, pass --html FILE --base-url URL"
                }
                UrlOf::Article => "give the article's http or https address",
                UrlOf::Post | UrlOf::Archived => what.example(),
            };
            return Problem::new(
                "not-http",
                format!("{text}: only http and https URLs can be {}", what.verb()),
            )
            .input(arg)
            .hint(hint)
            .usage();
        }
        TypedUrlError::NotAUrl => Problem::new("invalid-url", format!("{text:?} is not a URL")),
        e @ (TypedUrlError::NoHost { .. } | TypedUrlError::Invalid { .. }) => {
            Problem::new("invalid-url", e.to_string())
        }
    };
    problem.input(arg).hint(what.example()).usage()
}

/// A URL argument checked by its caller (`archive --base-url`): `https://` in front when it
/// starts with a host name, otherwise as given.
pub(super) fn lookup_url(arg: &str) -> String {
    with_default_scheme(arg)
}

/// What `scan` reads: `-` (standard input), an http(s) URL, an existing file, or a host name
/// and path read as https. An existing file wins over a host-like name.
pub(super) fn scan_target(arg: &str) -> Result<ScanTarget, Failure> {
    let text = arg.trim();
    if text == "-" {
        return Ok(ScanTarget::local(text));
    }
    if text.is_empty() {
        // An unset shell variable (`scan "$DIR"`): say so, not ": no such file".
        return Err(
            Problem::new("not-found", "an empty argument is not a file or a URL")
                .input(arg)
                .hint("give an article URL (https://…), a saved page or text file, or - for standard input")
                .usage(),
        );
    }
    if let Some(scheme) = scheme_of(text) {
        if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
            return Err(Problem::new(
                "not-http",
                format!("{text}: only http and https URLs can be scanned"),
            )
            .input(arg)
            .hint("give an http or https URL, or the path of a saved page")
            .usage());
        }
        return read_http_url(text)
            .map(ScanTarget::Url)
            .map_err(|e| url_problem(e, arg, UrlOf::Article));
    }
    let path = Path::new(arg);
    if path.is_dir() {
        return Err(
            Problem::new("is-a-directory", format!("{arg} is a directory"))
                .input(arg)
                .hint("give a saved page (HTML or text), an article URL, or - for standard input")
                .usage(),
        );
    }
    if path.exists() {
        return Ok(ScanTarget::local(arg));
    }
    // A link that is there but leads nowhere (dangling, or in a loop) is named as such, as the
    // walk of a directory names it: "no such file" would send the reader looking for a typo.
    if path.symlink_metadata().is_ok_and(|m| m.is_symlink())
        && let Err(e) = std::fs::metadata(path)
    {
        return Err(
            Problem::new("not-found", format!("{arg}: {}", link_to_nothing(&e)))
                .input(arg)
                .hint("give the page the link was meant to lead to")
                .usage(),
        );
    }
    if looks_like_host(text) && !looks_like_file(text) {
        return read_http_url(text)
            .map(ScanTarget::Url)
            .map_err(|e| url_problem(e, arg, UrlOf::Article));
    }
    Err(
        Problem::new("not-found", format!("{arg}: no such file, and not a URL"))
            .input(arg)
            .hint("give an article URL (https://…), a saved page or text file, or - for standard input")
            .usage(),
    )
}

/// Whether `text` names a file rather than a page on the web: it exists, or it is an
/// `.html`/`.htm` name that does not start with a host (`page.html`, `saved/page.htm`, but not
/// `example.com/page.html`).
fn looks_like_file(text: &str) -> bool {
    if Path::new(text).is_file() {
        return true;
    }
    let lower = text.to_ascii_lowercase();
    let html_name = lower.ends_with(".html") || lower.ends_with(".htm");
    let host_then_path = text.contains('/') && looks_like_host(text);
    html_name && !host_then_path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_without_a_scheme_are_https() {
        for (arg, url) in [
            ("www.example.com/article", "https://www.example.com/article"),
            ("example.com", "https://example.com"),
            (
                "news.example.com/2026/story.html",
                "https://news.example.com/2026/story.html",
            ),
            ("localhost:8080/a", "https://localhost:8080/a"),
            ("example.com:8443/a?b=c", "https://example.com:8443/a?b=c"),
            ("http://example.com/a", "http://example.com/a"),
            ("HTTPS://Example.com/a", "HTTPS://Example.com/a"),
        ] {
            assert_eq!(article_url(arg).ok().as_deref(), Some(url), "{arg}");
        }
    }

    #[test]
    fn files_and_other_schemes_are_usage_errors_with_a_hint() {
        for (arg, kind) in [
            ("page.html", "file-not-url"),
            ("saved/page.HTM", "file-not-url"),
            ("notaurl", "invalid-url"),
            ("ftp://example.com/a", "not-http"),
            ("mailto:desk@example.com", "not-http"),
            ("file:///tmp/page.html", "not-http"),
            ("", "invalid-url"),
        ] {
            let err = article_url(arg).expect_err(arg);
            assert_eq!(err.exit_code(), 2, "{arg}");
            assert_eq!(err.kind(), kind, "{arg}");
            assert!(err.hint().is_some(), "{arg}");
        }
        let dir = tempfile::tempdir().expect("tmp");
        let file = dir.path().join("story");
        std::fs::write(&file, "<p>x</p>").expect("write");
        let name = file.to_str().expect("path");
        let err = article_url(name).expect_err("an existing file");
        assert!(err.hint().is_some_and(|h| h.contains("--html")));
        let Err(err) = scan_target("  ") else {
            panic!("an empty argument is no target");
        };
        assert_eq!(
            err.error().to_string(),
            "an empty argument is not a file or a URL"
        );
        // A folder whose name could be a host's is the folder, never looked up as a host.
        let folder = dir.path().join("saved.d");
        std::fs::create_dir(&folder).expect("mkdir");
        let name = folder.to_str().expect("path");
        for err in [
            article_url(name).expect_err("a folder"),
            post_url(name).expect_err("a folder"),
        ] {
            assert_eq!((err.exit_code(), err.kind()), (2, "is-a-directory"));
            assert!(err.hint().is_some_and(|h| h.contains("embedkeep scan")));
        }
    }

    #[test]
    fn scan_prefers_an_existing_file_over_a_host_name() {
        let dir = tempfile::tempdir().expect("tmp");
        let file = dir.path().join("example.com");
        std::fs::write(&file, "<p>x</p>").expect("write");
        let name = file.to_str().expect("path").to_owned();
        assert_eq!(
            scan_target(&name).ok(),
            Some(ScanTarget::local(name.clone()))
        );
        assert_eq!(
            scan_target("www.example.com/article").ok(),
            Some(ScanTarget::Url("https://www.example.com/article".into()))
        );
        assert_eq!(scan_target("-").ok(), Some(ScanTarget::local("-")));
        let missing = scan_target("nothing-here").expect_err("neither");
        assert_eq!((missing.kind(), missing.exit_code()), ("not-found", 2));
        let missing = scan_target("gone.html").expect_err("a missing page");
        assert_eq!(missing.kind(), "not-found");
    }

    /// A link in a loop, or to nothing, is named as a link that leads nowhere.
    #[test]
    fn scan_names_a_link_that_leads_nowhere() {
        let dir = tempfile::tempdir().expect("tmp");
        let looped = dir.path().join("loop.html");
        std::os::unix::fs::symlink(&looped, &looped).expect("link");
        let dangling = dir.path().join("old.html");
        std::os::unix::fs::symlink(dir.path().join("moved.html"), &dangling).expect("link");
        for link in [looped, dangling] {
            let name = link.to_str().expect("path");
            let err = scan_target(name).expect_err("a link to nothing");
            assert_eq!((err.kind(), err.exit_code()), ("not-found", 2));
            let message = err.error().to_string();
            assert!(
                message.contains("symbolic link whose target cannot be read"),
                "{message}"
            );
        }
    }

    /// A page whose file name is not UTF-8 is found and kept by its real path (its name shows
    /// with a replacement character).
    #[cfg(unix)]
    #[test]
    fn a_page_whose_name_is_not_utf8_is_read_by_its_path() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().expect("tmp");
        let file = dir
            .path()
            .join(std::ffi::OsStr::from_bytes(b"caf\xe9.html"));
        std::fs::write(&file, "<p>x</p>").expect("write");
        let found = pages_in(dir.path());
        let [ScanTarget::Local { name, path }] = found.as_slice() else {
            panic!("one page expected: {found:?}");
        };
        assert_eq!(std::fs::read(path).expect("read"), b"<p>x</p>");
        assert!(name.ends_with("caf\u{FFFD}.html"), "{name}");
    }

    #[test]
    fn directories_are_walked_for_pages_in_path_order() {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path();
        for name in [
            "b.html",
            "a.HTM",
            "sub/c.txt",
            "sub/deeper/d.html",
            "photo.png",
            ".git/x.html",
        ] {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, "<p>x</p>").expect("write");
        }
        let shown = |rel: &str| ScanTarget::local(root.join(rel));
        assert_eq!(
            pages_in(root),
            vec![
                shown("a.HTM"),
                shown("b.html"),
                shown("sub/c.txt"),
                shown("sub/deeper/d.html")
            ]
        );
        let root_arg = root.to_str().expect("path").to_owned();
        let file_arg = root.join("photo.png").display().to_string();
        let all =
            scan_targets(&[file_arg.clone().into(), root_arg.clone().into()]).expect("targets");
        assert_eq!(all.len(), 5);
        assert_eq!(all[0], ScanTarget::local(file_arg));

        let empty = tempfile::tempdir().expect("tmp");
        let err =
            scan_targets(&[empty.path().as_os_str().to_owned()]).expect_err("an empty directory");
        assert_eq!((err.kind(), err.exit_code()), ("no-pages", 2));
        let err = scan_targets(&["-".into(), "-".into()]).expect_err("stdin twice");
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn malformed_post_urls_are_usage_errors_like_article_urls() {
        for (arg, kind) in [
            ("not a url", "invalid-url"),
            ("nonsense", "invalid-url"),
            ("ftp://x.com/jack/status/20", "not-http"),
            ("https://", "invalid-url"),
            ("post.html", "file-not-url"),
            ("", "invalid-url"),
        ] {
            let err = post_url(arg).expect_err(arg);
            assert_eq!((err.kind(), err.exit_code()), (kind, 2), "{arg:?}");
            assert!(err.hint().is_some(), "{arg:?}");
        }
        assert_eq!(
            post_url("www.instagram.com/p/ABC/").ok().as_deref(),
            Some("https://www.instagram.com/p/ABC/")
        );
        assert_eq!(
            post_url(" https://x.com/a/status/1 ").ok().as_deref(),
            Some("https://x.com/a/status/1")
        );
    }

    /// An article is archived without its fragment, so `list --article` looks it up so.
    #[test]
    fn article_filters_drop_the_fragment() {
        for (arg, url) in [
            (
                "https://news.example.com/a?b=1#comments",
                "https://news.example.com/a?b=1",
            ),
            ("news.example.com/a#top", "https://news.example.com/a"),
            ("https://news.example.com/a", "https://news.example.com/a"),
        ] {
            assert_eq!(
                archived_article_url(arg).ok().as_deref(),
                Some(url),
                "{arg}"
            );
        }
    }

    #[test]
    fn lookups_read_host_names_as_https() {
        assert_eq!(
            lookup_url("www.instagram.com/p/ABC/"),
            "https://www.instagram.com/p/ABC/"
        );
        assert_eq!(
            lookup_url("https://x.com/a/status/1"),
            "https://x.com/a/status/1"
        );
        assert_eq!(lookup_url("nonsense"), "nonsense");
    }
}
