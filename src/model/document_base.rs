//! A document's base URL as a browser has it (HTML, "the base element"): the `href` of the
//! first `<base>` element that has one, resolved against the address the document came from;
//! else that address. Relative embed addresses (`<iframe src="/embed/ID">`) resolve against it.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use url::Url;

use super::start_tag::{self, is_space};

/// `<base` and `<body`, in any case: the search stops at the body, where a page's own base
/// element never is, so that markup in a script or an article's text cannot stand for one.
static SEARCH: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostFirst)
        .build(["<base", "<body"])
        .unwrap_or_else(|e| panic!("document base patterns: {e}"))
});

/// The base URL of `html`, fetched from `fetched_from`. A base element whose `href` does not
/// resolve to an http(s) address leaves the document's own address in place, as a browser
/// falls back for an unusable base.
pub fn document_base(html: &[u8], fetched_from: &Url) -> Url {
    for found in SEARCH.find_iter(html) {
        if found.pattern().as_usize() == 1 {
            break;
        }
        // `<basefont>` is another element.
        if !html
            .get(found.end())
            .is_some_and(|&b| is_space(b) || b == b'/' || b == b'>')
        {
            continue;
        }
        let mut href = None;
        start_tag::lex(html, found.start(), |name, value| {
            if name.eq_ignore_ascii_case(b"href") {
                href = Some(value);
                false
            } else {
                true
            }
        });
        let Some(href) = href else { continue };
        let href = String::from_utf8_lossy(href);
        let href = html_escape::decode_html_entities(&href);
        return fetched_from
            .join(href.trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .unwrap_or_else(|| fetched_from.clone());
    }
    fetched_from.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_base_with_an_href_counts() {
        let page = Url::parse("https://news.example/a/b.html").expect("url");
        let cases = [
            (
                "<head><base href=\"https://www.youtube.com/\"></head>",
                "https://www.youtube.com/",
            ),
            (
                "<HEAD><BASE target=_blank><BASE HREF='/x/'>",
                "https://news.example/x/",
            ),
            (
                "<base href=\"../c/?q=1&amp;r=2\">",
                "https://news.example/c/?q=1&r=2",
            ),
            (
                "<basefont href=\"https://x.example/\">",
                "https://news.example/a/b.html",
            ),
            (
                "<base href=\"javascript:alert(1)\">",
                "https://news.example/a/b.html",
            ),
            (
                "<body><base href=\"https://x.example/\">",
                "https://news.example/a/b.html",
            ),
            (
                "<base href=\"https://x.example/\"><base href=\"https://y.example/\">",
                "https://x.example/",
            ),
            ("<base href", "https://news.example/a/b.html"),
            ("<p>no base</p>", "https://news.example/a/b.html"),
        ];
        for (html, want) in cases {
            assert_eq!(
                document_base(html.as_bytes(), &page).as_str(),
                want,
                "{html}"
            );
        }
    }
}
