//! A document's base URL as a browser has it (HTML, "the base element"): the `href` of the
//! first `<base>` element that has one, resolved against the address the document came from;
//! else that address. Relative embed addresses (`<iframe src="/embed/ID">`) resolve against it.

use url::Url;

use super::start_tag::{self, is_space};

/// The base URL of `html`, fetched from `fetched_from`. A base element whose `href` does not
/// resolve to an http(s) address leaves the document's own address in place, as a browser
/// falls back for an unusable base.
///
/// The tags are looked for from each `<` up to the first `<body`, in any case: a page's own
/// base element is never in the body, so markup in a script or an article's text cannot stand
/// for one. (Comparing the four bytes after each `<` by hand costs a fraction of an automaton's
/// search: a page's head is most of its tags.)
pub fn document_base(html: &[u8], fetched_from: &Url) -> Url {
    for lt in memchr::memchr_iter(b'<', html) {
        let Some(name) = html.get(lt + 1..lt + 5) else {
            break;
        };
        if name.eq_ignore_ascii_case(b"body") {
            break;
        }
        if !name.eq_ignore_ascii_case(b"base") {
            continue;
        }
        // `<basefont>` is another element.
        if !html
            .get(lt + 5)
            .is_some_and(|&b| is_space(b) || b == b'/' || b == b'>')
        {
            continue;
        }
        let mut href = None;
        start_tag::lex(html, lt, |name, value| {
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
            ("<bas", "https://news.example/a/b.html"),
            (
                "<p>a < b</p><BoDy><base href=\"https://x.example/\">",
                "https://news.example/a/b.html",
            ),
            (
                "<<base\thref=\"https://x.example/\"/>",
                "https://x.example/",
            ),
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
