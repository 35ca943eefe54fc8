//! Plain URL-list files: one article URL per line, written by an operator or a script.
//!
//! ```text
//! # comments and blank lines are skipped
//! https://news.example.com/2024/01/a.html
//! news.example.com/2024/01/b.html      # no scheme: read as https
//! ```
//!
//! The file is configuration-like, so a bad line is an error naming the file and line number
//! rather than a silent skip: the operator sees it on the next poll and fixes the file.

use std::collections::HashSet;
use std::path::Path;

use url::Url;

use super::{SourceError, SourceItem};

/// The URLs of a URL-list file, in file order, each once.
///
/// A line holds one URL, optionally followed by whitespace and a `#` comment; a line whose
/// first non-blank character is `#` is a comment. A URL without a scheme is read as https
/// (`news.example.com/a` and `//news.example.com/a` alike). Anything that is not then an
/// http(s) URL with a host is [`SourceError::BadLine`] with its 1-based line number. `path` is
/// only named in errors. Items have no `updated` or `title`.
pub fn parse_urls_file(text: &str, path: &Path) -> Result<Vec<SourceItem>, SourceError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut seen = HashSet::new();
    let mut items = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |reason: &str| SourceError::BadLine {
            path: path.to_owned(),
            line: index + 1,
            text: line.to_owned(),
            reason: reason.to_owned(),
        };
        let (token, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let rest = rest.trim_start();
        if !(rest.is_empty() || rest.starts_with('#')) {
            return Err(bad("one URL per line (text after it must be a # comment)"));
        }
        let url = parse_loose_url(token).map_err(bad)?;
        if seen.insert(url.clone()) {
            items.push(SourceItem {
                url,
                updated: None,
                title: None,
            });
        }
    }
    Ok(items)
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
        let items = parse_urls_file(&text, Path::new("list-process.txt")).unwrap();
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
        let items = parse_urls_file(text, Path::new("urls.txt")).unwrap();
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
    fn a_bad_line_is_an_error_with_file_and_line_number() {
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
            match parse_urls_file(text, Path::new("/etc/embedkeep/urls.txt")) {
                Err(e @ SourceError::BadLine { .. }) => {
                    let shown = e.to_string();
                    let prefix = format!("/etc/embedkeep/urls.txt:{line}: ");
                    assert!(shown.starts_with(&prefix), "{shown}");
                    assert!(shown.contains(reason), "{shown}");
                }
                other => panic!("{text:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn an_empty_file_lists_nothing() {
        assert_eq!(parse_urls_file("", Path::new("u")).unwrap(), []);
        assert_eq!(
            parse_urls_file("# only a comment\n\n", Path::new("u")).unwrap(),
            []
        );
    }
}
