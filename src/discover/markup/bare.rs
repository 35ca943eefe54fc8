//! Bare post URLs alone in their own paragraph: the oEmbed auto-embed convention (WordPress and
//! others turn such a paragraph into the embed when the page is rendered). Only a paragraph that
//! holds nothing but one URL counts; a linked URL or a URL inside a sentence is a plain link.

use url::Url;

use super::{Candidate, absolute};
use crate::discover::entity;

/// Read the inner bytes of a `<p>` element: one `http(s)` URL and nothing else.
pub(crate) fn bare_url(inner: &str, base: &Url) -> Option<Candidate> {
    let text = inner.trim();
    if !(text.starts_with("http://") || text.starts_with("https://"))
        || text.contains(char::is_whitespace)
        || text.contains('<')
    {
        return None;
    }
    let url = absolute(base, &entity::decode(text))?;
    let mut c = Candidate::new(vec![url], "p")?;
    c.post_only = true;
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_lone_url_counts() {
        let base = Url::parse("https://news.example/a").unwrap();
        let cases = [
            (
                "\n https://www.instagram.com/p/ABC/?a=1&amp;b=2 \n",
                Some("https://www.instagram.com/p/ABC/?a=1&b=2"),
            ),
            ("See https://twitter.com/a/status/1", None),
            ("https://twitter.com/a/status/1 is great", None),
            (
                r#"<a href="https://twitter.com/a/status/1">https://twitter.com/a/status/1</a>"#,
                None,
            ),
            ("ftp://example.com/x", None),
        ];
        for (inner, want) in cases {
            let got = bare_url(inner, &base);
            assert_eq!(got.as_ref().map(|c| c.urls[0].as_str()), want, "{inner}");
            assert!(got.is_none_or(|c| c.post_only));
        }
    }
}
