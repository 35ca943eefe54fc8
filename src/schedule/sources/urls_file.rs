//! Plain URL-list files: one article URL per line, written by an operator or a script.
//!
//! ```text
//! # comments and blank lines are skipped
//! https://news.example.com/2024/01/a.html
//! news.example.com/2024/01/b.html      # no scheme: read as https
//! ```
//!
//! A bad line (a typo, `ftp://…`, two URLs on one line) is skipped and reported with the file,
//! its line number and its text, never silently: the daemon logs a warning for it. The other
//! lines are still read, so one typo in a newsroom's list does not stop every article in it
//! from being archived.

use std::collections::HashSet;
use std::path::Path;

use url::Url;

use super::{SourceError, SourceItem};

/// What a URL-list file holds: its URLs, and the lines that were not one.
#[derive(Debug, Default)]
pub struct UrlsList {
    /// The URLs, in file order, each once. Items have no `updated` or `title`.
    pub items: Vec<SourceItem>,
    /// Each line that is not an http(s) URL, as a [`SourceError::BadLine`] naming the file,
    /// the line number and the line; left out of `items`.
    pub bad_lines: Vec<SourceError>,
}

/// The URLs of a URL-list file, and its bad lines.
///
/// A line holds one URL, optionally followed by whitespace and a `#` comment; a line whose
/// first non-blank character is `#` is a comment. A URL without a scheme is read as https
/// (`news.example.com/a` and `//news.example.com/a` alike). Anything that is not then an
/// http(s) URL with a host is a [`SourceError::BadLine`] with its 1-based line number in
/// `bad_lines`, and the lines after it are read as usual. `path` is only named in errors.
///
/// Each line is read as UTF-8 on its own, and one that is not UTF-8 is a bad line (shown with its
/// bytes replaced), so a stray byte on one line does not keep the file's other URLs from being
/// queued. A UTF-8 byte order mark is skipped.
pub fn parse_urls_bytes(bytes: &[u8], path: &Path) -> UrlsList {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let lines = bytes.split(|&b| b == b'\n').map(|line| {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        std::str::from_utf8(line).map_err(|_| String::from_utf8_lossy(line).into_owned())
    });
    parse_lines(lines, path)
}

/// The URLs and bad lines of a file's lines, each its text or, when it is not UTF-8, its
/// bytes shown with replacement characters.
fn parse_lines<'a>(lines: impl Iterator<Item = Result<&'a str, String>>, path: &Path) -> UrlsList {
    let mut seen = HashSet::new();
    let mut items = Vec::new();
    let mut bad_lines = Vec::new();
    for (index, line) in lines.enumerate() {
        let bad = |text: &str, reason: &str| SourceError::BadLine {
            path: path.to_owned(),
            line: index + 1,
            text: text.to_owned(),
            reason: reason.to_owned(),
        };
        let line = match line {
            Ok(line) => line.trim(),
            Err(shown) => {
                bad_lines.push(bad(shown.trim(), "not UTF-8 (the file must be UTF-8)"));
                continue;
            }
        };
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (token, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let rest = rest.trim_start();
        if !(rest.is_empty() || rest.starts_with('#')) {
            bad_lines.push(bad(
                line,
                "one URL per line (text after it must be a # comment)",
            ));
            continue;
        }
        let url = match parse_loose_url(token) {
            Ok(url) => url,
            Err(reason) => {
                bad_lines.push(bad(line, reason));
                continue;
            }
        };
        if seen.insert(url.clone()) {
            items.push(SourceItem {
                url,
                updated: None,
                title: None,
            });
        }
    }
    UrlsList { items, bad_lines }
}

/// An http(s) URL as an operator writes it: with a scheme, or without one (read as https).
/// `news.test:8080/a` is a host and port; `mailto:desk@news.test` is another scheme.
pub(super) fn parse_loose_url(text: &str) -> Result<Url, &'static str> {
    let other_scheme = text.split_once(':').is_some_and(|(scheme, rest)| {
        !scheme.contains(['/', '.'])
            && !rest.starts_with(|c: char| c.is_ascii_digit())
            && Url::parse(text).is_ok()
    });
    // `news.test/go?to=https://other.test/` has no scheme of its own.
    let has_scheme = text
        .find("://")
        .is_some_and(|at| !text[..at].contains(['/', '?', '#']));
    let parsed = if has_scheme || other_scheme {
        Url::parse(text)
    } else if let Some(rest) = text.strip_prefix("//") {
        Url::parse(&format!("https://{rest}"))
    } else {
        Url::parse(&format!("https://{text}"))
    };
    let url = parsed.map_err(|_| "not a URL")?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("only http and https URLs are article sources");
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("the URL has no host");
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::sources::tests::fixture;

    fn locs(items: &[SourceItem]) -> Vec<&str> {
        items.iter().map(|i| i.url.as_str()).collect()
    }

    #[test]
    fn a_plain_list_file() {
        let text = String::from_utf8(fixture("trafilatura-list-process.txt")).unwrap();
        let UrlsList { items, bad_lines } =
            parse_urls_bytes(text.as_bytes(), Path::new("list-process.txt"));
        assert!(bad_lines.is_empty(), "{bad_lines:?}");
        assert_eq!(
            locs(&items),
            [
                "https://httpbin.org/status/200",
                "https://httpbin.org/status/404",
                "https://httpbin.org/status/301/"
            ]
        );
        assert!(
            items
                .iter()
                .all(|i| i.updated.is_none() && i.title.is_none())
        );
    }

    #[test]
    fn comments_blank_lines_missing_schemes_and_duplicates() {
        let text = "\u{feff}# morning edition\r\n\
            \r\n\
            https://news.test/a\r\n\
            \t news.test/b   # read as https\n\
            //news.test/c\n\
            http://news.test/d#section\n\
            news.test:8080/e\n\
            localhost:8080/f\n\
            news.test/go?to=https://other.test/\n\
            HTTPS://news.test/a\n\
            # https://news.test/commented-out\n";
        let UrlsList { items, bad_lines } =
            parse_urls_bytes(text.as_bytes(), Path::new("urls.txt"));
        assert!(bad_lines.is_empty(), "{bad_lines:?}");
        assert_eq!(
            locs(&items),
            [
                "https://news.test/a",
                "https://news.test/b",
                "https://news.test/c",
                "http://news.test/d#section",
                "https://news.test:8080/e",
                "https://localhost:8080/f",
                "https://news.test/go?to=https://other.test/"
            ]
        );
    }

    #[test]
    fn a_line_that_is_not_utf8_is_a_bad_line_and_the_others_are_read() {
        let bytes = b"\xef\xbb\xbfhttps://news.test/a\r\nhttps://news.test/caf\xe9\n\xff\xfe\nnews.test/b\n";
        let UrlsList { items, bad_lines } = parse_urls_bytes(bytes, Path::new("urls.txt"));
        assert_eq!(locs(&items), ["https://news.test/a", "https://news.test/b"]);
        let lines: Vec<(usize, String)> = bad_lines
            .iter()
            .map(|e| match e {
                SourceError::BadLine { line, text, .. } => (*line, text.clone()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            lines,
            [
                (2, "https://news.test/caf\u{fffd}".to_owned()),
                (3, "\u{fffd}\u{fffd}".to_owned())
            ]
        );
        assert!(
            bad_lines[0].to_string().contains("urls.txt"),
            "{}",
            bad_lines[0]
        );
    }

    #[test]
    fn a_bad_line_names_file_line_number_and_text() {
        let cases = [
            (
                "https://news.test/a\nftp://news.test/file\n",
                2,
                "only http and https",
            ),
            (
                "\n\nhttps://news.test/a https://news.test/b\n",
                3,
                "one URL per line",
            ),
            ("https://\n", 1, "not a URL"),
            ("mailto:desk@news.test\n", 1, "only http and https"),
            ("javascript:alert(1)\n", 1, "only http and https"),
            ("http://[::1\n", 1, "not a URL"),
        ];
        for (text, line, reason) in cases {
            let list = parse_urls_bytes(text.as_bytes(), Path::new("/etc/embedkeep/urls.txt"));
            match list.bad_lines.as_slice() {
                [e @ SourceError::BadLine { text: bad, .. }] => {
                    let shown = e.to_string();
                    let prefix = format!("/etc/embedkeep/urls.txt:{line}: ");
                    assert!(shown.starts_with(&prefix), "{shown}");
                    assert!(shown.contains(reason), "{shown}");
                    assert!(shown.contains(&format!("{bad:?}")), "{shown}");
                }
                other => panic!("{text:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn bad_lines_are_skipped_and_the_urls_around_them_kept() {
        let text = "https://news.example.com/a1.html\n\
            not a url\n\
            https://news.example.com/a2.html\n\
            \n\
            ftp://x/y\n\
            news.example.com/a3.html\n";
        let list = parse_urls_bytes(text.as_bytes(), Path::new("urls.txt"));
        assert_eq!(
            locs(&list.items),
            [
                "https://news.example.com/a1.html",
                "https://news.example.com/a2.html",
                "https://news.example.com/a3.html"
            ]
        );
        let shown: Vec<String> = list.bad_lines.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert!(shown[0].starts_with("urls.txt:2: ") && shown[0].ends_with("\"not a url\""));
        assert!(shown[1].starts_with("urls.txt:5: ") && shown[1].ends_with("\"ftp://x/y\""));
    }

    #[test]
    fn an_empty_file_lists_nothing() {
        for text in ["", "# only a comment\n\n"] {
            let list = parse_urls_bytes(text.as_bytes(), Path::new("u"));
            assert!(
                list.items.is_empty() && list.bad_lines.is_empty(),
                "{list:?}"
            );
        }
    }
}
