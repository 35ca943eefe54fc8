//! One element built straight from its start tag, as html5ever would build it, without running
//! the parser. Most embed forms are read from their attributes alone: an `<iframe>` (whose
//! content is raw text), an `<embed>`, an element whose content is blank (AMP components), and
//! the elements named for a platform that are read from their start tag. html5ever's cost is
//! mostly per call (a tokenizer, a tree builder, a tree), so for these it was most of the scan's
//! parsing time.
//!
//! Only a tag whose bytes leave no doubt about what the parser makes of them is built here: it
//! ends with its own `>`, its name and attribute names are plain ASCII, and its values hold no
//! NUL and no character reference but those the parser reads as [`plain_text`] does (carriage
//! returns are normalised as the parser's input stream does). Anything else returns `None` and
//! the caller parses it with html5ever, so what the readers see never depends on which way the
//! element was built. [`plain_attributes`], [`html_attribute`] and [`plain_text`] serve
//! `light_tree` too.

use std::borrow::Cow;

use html5ever::tendril::StrTendril;
use html5ever::{Attribute, LocalName, QualName, local_name, ns};
use scraper::node::{Element, Text};
use scraper::{Html, Node};

use super::entity;
use super::tag::StartTag;

/// A fragment holding the element `tag` opens, as `Html::parse_fragment` of the tag (followed
/// by `text` and its end tag, for an element whose content is raw text) would hold it. `None`
/// when the tag's bytes leave any doubt.
pub(crate) fn fragment(tag: &StartTag<'_>, text: Option<&str>) -> Option<Html> {
    if parser_only() {
        return None;
    }
    let attrs = plain_attributes(tag, |name| Some(html_attribute(name)))?;
    if text.is_some_and(|t| t.contains(['\r', '\0'])) {
        return None;
    }
    let mut html = Html::new_fragment();
    let root = QualName::new(None, ns!(html), local_name!("html"));
    let name = QualName::new(None, ns!(html), LocalName::from(&*tag.name));
    let mut tree_root = html.tree.root_mut();
    let mut root = tree_root.append(Node::Element(Element::new(root, Vec::new())));
    let mut element = root.append(Node::Element(Element::new(name, attrs)));
    if let Some(text) = text.filter(|t| !t.is_empty()) {
        element.append(Node::Text(Text {
            text: StrTendril::from_slice(text),
        }));
    }
    Some(html)
}

/// The attributes of `tag` as the parser gives them to its element: the first of two of one
/// name, values read as [`plain_text`] reads them, each (lowercase) name qualified by `qualify`,
/// which refuses a name with `None`. `None` when the tag leaves any doubt: cut off by the end of
/// its input, a tag or attribute name that is not plain, a value that is not, or more
/// attributes than the parser's guard lets through (it refuses the whole markup then).
pub(super) fn plain_attributes(
    tag: &StartTag<'_>,
    qualify: impl Fn(&str) -> Option<QualName>,
) -> Option<Vec<Attribute>> {
    if !tag.closed
        || !plain_name(tag.name.as_bytes())
        || tag.attrs.len() > crate::model::start_tag::MAX_ATTRIBUTES
    {
        return None;
    }
    let mut attrs: Vec<Attribute> = Vec::with_capacity(tag.attrs.len());
    for (i, (name, raw)) in tag.attrs.iter().enumerate() {
        if !plain_name(name.as_bytes()) {
            return None;
        }
        if tag.attrs[..i].iter().any(|(earlier, _)| earlier == name) {
            continue;
        }
        attrs.push(Attribute {
            name: qualify(name)?,
            value: StrTendril::from_slice(&plain_text(std::str::from_utf8(raw).ok()?)?),
        });
    }
    Some(attrs)
}

/// An HTML element's attribute name as the parser gives it: as written, in no namespace.
pub(super) fn html_attribute(name: &str) -> QualName {
    QualName::new(None, ns!(), LocalName::from(name))
}

#[cfg(test)]
thread_local! {
    /// Set by tests that compare discovery with and without this module.
    pub(crate) static PARSER_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether every element is to go through the parser (a test's switch).
pub(super) fn parser_only() -> bool {
    #[cfg(test)]
    {
        PARSER_ONLY.with(std::cell::Cell::get)
    }
    #[cfg(not(test))]
    {
        false
    }
}

/// A tag or attribute name the parser takes as it is written, ASCII case aside: letters,
/// digits and the punctuation real names use. (`read_start_tag` has lowercased it already.)
fn plain_name(name: &[u8]) -> bool {
    !name.is_empty()
        && name.iter().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b':' | b'.')
        })
}

/// Text or an attribute value as the parser reads it: carriage returns normalised, character
/// references decoded. `None` for a NUL, or an `&` that may open a reference not decoded here.
pub(super) fn plain_text(raw: &str) -> Option<Cow<'_, str>> {
    let bytes = raw.as_bytes();
    if memchr::memchr3(b'&', b'\r', b'\0', bytes).is_none() {
        return Some(Cow::Borrowed(raw));
    }
    if memchr::memchr(b'\0', bytes).is_some() {
        return None;
    }
    let mut out = String::with_capacity(raw.len());
    let mut at = 0;
    while let Some(offset) = memchr::memchr2(b'&', b'\r', &bytes[at..]) {
        let hit = at + offset;
        out.push_str(&raw[at..hit]);
        if bytes[hit] == b'\r' {
            out.push('\n');
            at = hit + 1;
            if bytes.get(at) == Some(&b'\n') {
                at += 1;
            }
            continue;
        }
        let opens_reference = bytes
            .get(hit + 1)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'#');
        if !opens_reference {
            out.push('&');
            at = hit + 1;
            continue;
        }
        at = hit + entity::push_parser_reference(&bytes[hit..], &mut out)?;
    }
    out.push_str(&raw[at..]);
    Some(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::tag::read_start_tag;

    /// Name, attributes (sorted) and text of the first element below the root, and its markup.
    fn described(html: &Html) -> (String, Vec<(String, String)>, String, String) {
        let el = html
            .root_element()
            .children()
            .find_map(scraper::ElementRef::wrap)
            .unwrap_or_else(|| panic!("no element in {:?}", html.html()));
        let mut attrs: Vec<(String, String)> = el
            .value()
            .attrs()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect();
        attrs.sort();
        (
            el.value().name().to_owned(),
            attrs,
            el.text().collect(),
            el.html(),
        )
    }

    /// Build `markup`'s first tag both ways and compare, when the light way builds it.
    fn same_as_parser(markup: &str, raw_text: bool) -> bool {
        let Some(tag) = read_start_tag(markup.as_bytes(), 0) else {
            return false;
        };
        let text = raw_text.then(|| {
            let end = markup.len() - format!("</{}>", tag.name).len();
            &markup[tag.end.min(end)..end]
        });
        let Some(light) = fragment(&tag, text) else {
            return false;
        };
        let upto = if raw_text { markup.len() } else { tag.end };
        let parsed = Html::parse_fragment(&markup[..upto]);
        assert_eq!(described(&light), described(&parsed), "{markup:?}");
        true
    }

    #[test]
    fn builds_the_elements_the_parser_builds() {
        let raw_text = [
            r#"<iframe width="560" src="https://www.youtube.com/embed/dQw4w9WgXcQ?a=1&amp;b=2" allowfullscreen></iframe>"#,
            r#"<IFRAME SRC='//player.vimeo.com/video/1' data-x=unquoted/>fallback <b>text</b></IFRAME>"#,
            r#"<iframe src="a" src="b" title="x > y"></iframe>"#,
        ];
        for markup in raw_text {
            assert!(same_as_parser(markup, true), "{markup}");
        }
        // Elements whose content is blank: the parser keeps it as their text.
        let blank = [
            "<amp-instagram data-block-on-consent data-shortcode=\"B1mHd6sHGXK\" layout=\"responsive\">\n</amp-instagram>",
            "<AMP-TWITTER data-tweetid=\"1\" width=\"375\">\t \n  </amp-twitter>",
            "<video src=\"https://v/1.mp4\"></VIDEO>",
        ];
        for markup in blank {
            assert!(same_as_parser(markup, true), "{markup}");
        }
        let start_tags = [
            r#"<div class="embed-youtube" data-video-id="abc">"#,
            r#"<embed src="https://www.youtube.com/v/x&amp;hl=en">"#,
            r#"<x-player data-id=1 data-url="https://t/1"class="a b">"#,
            r#"<figure class='tweet' data-tweet-id = "123" hidden>"#,
            // References the parser reads the same way, and a carriage return it normalises.
            r#"<div data-src="&#104;ttps://x/?a=1&#038;b=2&quot;" title="&lt;&nbsp;&gt;">"#,
            "<div title=\"a\r\nb\rc\">",
        ];
        for markup in start_tags {
            assert!(same_as_parser(markup, false), "{markup}");
        }
    }

    #[test]
    fn leaves_doubtful_tags_to_the_parser() {
        let doubtful = [
            r#"<iframe src="a?b=1&c=2">"#,
            r#"<iframe src="a?b=1&copy=2">"#,
            r#"<iframe src="&#104ttps://x">"#,
            "<iframe src=\"a\0b\">",
            r#"<iframe src="unterminated>"#,
            r#"<iframe src=x"#,
            r#"<iframe =src="x">"#,
            r#"<iframe dätä="x">"#,
        ];
        for markup in doubtful {
            let tag = read_start_tag(markup.as_bytes(), 0).unwrap();
            assert!(fragment(&tag, None).is_none(), "{markup:?}");
        }
    }

    /// Every page of both corpora is discovered alike, with its iframes and named start tags
    /// built here or all parsed by html5ever: the same embeds, evidence, markup and remnants.
    #[test]
    fn corpus_pages_are_discovered_alike_either_way() {
        let base = url::Url::parse("https://news.example/article").unwrap();
        let mut pages = 0;
        let mut built = 0;
        for (path, html) in crate::discover::corpus_pages() {
            let light = crate::discover::discover(&html, &base);
            PARSER_ONLY.with(|p| p.set(true));
            let parsed = crate::discover::discover(&html, &base);
            PARSER_ONLY.with(|p| p.set(false));
            assert_eq!(light, parsed, "{}", path.display());
            pages += 1;
            built += usize::from(html.contains("<iframe"));
        }
        assert!(
            pages >= 150 && built >= 20,
            "{pages} pages, {built} with iframes"
        );
    }

    proptest::proptest! {
        /// Whatever start tag the light way builds, the parser builds the same.
        #[test]
        fn any_tag_it_builds_is_the_parsers(
            name in "(iframe|div|x-card|Embed)",
            attrs in proptest::collection::vec(
                ("[a-zA-Z][a-zA-Z0-9_:=\"'<-]{0,6}", "[a-z &;#=/>\"'<\r]{0,12}", 0u8..4),
                0..4,
            ),
            text in "[a-z <>/&;]{0,12}",
        ) {
            let mut markup = format!("<{name}");
            for (n, v, quote) in &attrs {
                match quote {
                    0 => markup.push_str(&format!(" {n}=\"{}\"", v.replace('"', ""))),
                    1 => markup.push_str(&format!(" {n}='{}'", v.replace('\'', ""))),
                    2 => markup.push_str(&format!(" {n}={}", v.replace([' ', '>', '"', '\''], ""))),
                    _ => markup.push_str(&format!(" {n}")),
                }
            }
            markup.push('>');
            let raw_text = name == "iframe" && !text.to_ascii_lowercase().contains("</iframe");
            if raw_text {
                markup.push_str(&text);
                markup.push_str("</iframe>");
            }
            same_as_parser(&markup, raw_text);
        }
    }
}
