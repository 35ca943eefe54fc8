//! Byte-level reading of one HTML start tag and of the extent of the element it opens, so the
//! prefilter can cut a small region out of a page and hand only that to the HTML parser.
//!
//! These helpers follow the HTML tokenizer's rules for start tags (quoted and unquoted attribute
//! values, `>` inside quotes) but build no tree. They must never recurse and never look further
//! than [`MAX_REGION`] bytes past a tag, so a hostile page costs linear time.

use std::borrow::Cow;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input};
use memchr::memchr;

use crate::model::start_tag::{self, is_space};

/// The most bytes one element's content may span after its start tag; past this the region is cut
/// (html5ever copes with the missing end tags). Real embeds are a few KiB.
pub(crate) const MAX_REGION: usize = 512 * 1024;

/// A start tag as it sits in the page bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StartTag<'a> {
    /// The tag name, lowercased ASCII (borrowed from the page when it is lowercase already).
    pub name: Cow<'a, str>,
    /// Offset of the `<`.
    pub start: usize,
    /// Offset just past the closing `>` (or the end of input when it never closes).
    pub end: usize,
    /// Attribute names (lowercased) with their raw, still entity-encoded values.
    pub attrs: Vec<(Cow<'a, str>, &'a [u8])>,
    /// Whether the tag ends with its own `>`: the input did not end inside it (an HTML parser
    /// drops a tag cut off by the end of its input).
    pub closed: bool,
}

impl<'a> StartTag<'a> {
    /// The raw value of an attribute, if present.
    pub fn attr(&self, name: &str) -> Option<&'a [u8]> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| *value)
    }
}

/// A name as the HTML tokenizer has it: ASCII letters lowercased. Most pages write names in
/// lowercase, so most names are borrowed, not copied.
fn lowercased(name: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(name) {
        Ok(s) if !name.iter().any(u8::is_ascii_uppercase) => Cow::Borrowed(s),
        _ => Cow::Owned(String::from_utf8_lossy(name).to_ascii_lowercase()),
    }
}

/// Read the start tag whose `<` is at `lt`. `None` when no tag name follows the `<` (text, end
/// tags, comments, doctypes).
pub(crate) fn read_start_tag(html: &[u8], lt: usize) -> Option<StartTag<'_>> {
    let mut attrs = Vec::new();
    let lexed = start_tag::lex(html, lt, |name, value| {
        attrs.push((lowercased(name), value));
        true
    })?;
    Some(StartTag {
        name: lowercased(&html[lt + 1..lexed.name_end]),
        start: lt,
        end: lexed.end,
        attrs,
        closed: lexed.closed,
    })
}

/// The most `<` that are no tag's (text's `a < b`) [`inside_start_tag`] passes over, looking
/// back for the start tag a `<` may lie inside.
const MAX_TEXT_LT_BACK: usize = 64;

/// The start of the start tag, opened before `lt` and not before `floor`, that the `<` at `lt`
/// lies inside: in an attribute's value or among its attributes (`<a href="http://<iframe …">`,
/// embed code pasted into a link's field, or kept in a `data-` attribute for a script), where
/// the browser reads it as part of that tag and builds no element of it. The start tag asked
/// about is the nearest one before `lt`; it is read only up to `lt`, so that markers each
/// inside the one before cost their own bytes, not the page's.
pub(crate) fn enclosing_start_tag(html: &[u8], lt: usize, floor: usize) -> Option<usize> {
    let before = &html[..lt];
    let floor = floor.min(lt);
    for p in memchr::memrchr_iter(b'<', &before[floor..])
        .map(|o| floor + o)
        .take(MAX_TEXT_LT_BACK)
    {
        match before.get(p + 1) {
            Some(b) if b.is_ascii_alphabetic() => {
                let open = start_tag::lex(before, p, |_, _| true).is_some_and(|t| !t.closed);
                return open.then_some(p);
            }
            // An end tag, a comment or a doctype is nearer than any start tag.
            Some(b'/' | b'!' | b'?') => return None,
            _ => {}
        }
    }
    None
}

/// Whether an attribute's value holds markup as it is written, unescaped: a `<` followed by a
/// letter (`data-embed='<blockquote class="twitter-tweet">…'`).
pub(crate) fn holds_raw_markup(value: &[u8]) -> bool {
    memchr::memchr_iter(b'<', value)
        .any(|at| value.get(at + 1).is_some_and(u8::is_ascii_alphabetic))
}

/// Elements whose content is raw text up to their end tag (no nested markup).
fn is_raw_text(name: &str) -> bool {
    matches!(
        name,
        "iframe" | "script" | "style" | "textarea" | "title" | "noembed" | "xmp"
    )
}

/// Elements that never have content.
const VOID: &[&str] = &[
    "embed", "img", "param", "source", "meta", "link", "br", "input", "area", "base",
];

fn is_void(name: &str) -> bool {
    VOID.contains(&name)
}

fn ci_automaton(needle: &str) -> AhoCorasick {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .build([needle])
        .unwrap_or_else(|e| panic!("needle {needle:?}: {e}"))
}

// Fixed needles searched over whole pages or script bodies: an automaton with a prefilter is far
// faster than stepping through every `<` of a page.
pub(crate) static COMMENT_END: LazyLock<AhoCorasick> = LazyLock::new(|| ci_automaton("-->"));
pub(crate) static SCRIPT_END: LazyLock<AhoCorasick> = LazyLock::new(|| ci_automaton("</script"));
pub(crate) static STYLE_END: LazyLock<AhoCorasick> = LazyLock::new(|| ci_automaton("</style"));
pub(crate) static TEXTAREA_END: LazyLock<AhoCorasick> =
    LazyLock::new(|| ci_automaton("</textarea"));
pub(crate) static TITLE_START: LazyLock<AhoCorasick> = LazyLock::new(|| ci_automaton("<title"));
pub(crate) static TITLE_END: LazyLock<AhoCorasick> = LazyLock::new(|| ci_automaton("</title"));
pub(crate) static OG_TITLE: LazyLock<AhoCorasick> = LazyLock::new(|| ci_automaton("og:title"));

/// Find a fixed needle's automaton match in `hay` from `from`.
pub(crate) fn find_with(needle: &AhoCorasick, hay: &[u8], from: usize) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    needle
        .find(Input::new(hay).span(from..hay.len()))
        .map(|m| m.start())
}

/// Find `needle` (ASCII, lowercase) in `hay` ignoring ASCII case, starting at `from`.
pub(crate) fn find_ci(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    crate::model::start_tag::find_ascii_ci(hay.get(from..)?, needle).map(|at| from + at)
}

/// Whether the bytes at `at` are `<name` or `</name` followed by a delimiter.
fn tag_name_at(html: &[u8], at: usize, name: &[u8]) -> bool {
    html.get(at..at + name.len())
        .is_some_and(|w| w.eq_ignore_ascii_case(name))
        && html
            .get(at + name.len())
            .is_none_or(|&b| is_space(b) || b == b'>' || b == b'/')
}

/// The offset just past the end of the element opened by `tag`: past its matching end tag, or
/// the tag itself for void elements, or [`MAX_REGION`] bytes on when no end tag is found. (The
/// scan asks [`element_end_within`], which also says when the element was cut.)
#[cfg(test)]
pub(crate) fn element_end(html: &[u8], tag: &StartTag<'_>) -> usize {
    element_end_within(html, tag, MAX_REGION).unwrap_or_else(|limit| limit)
}

/// [`element_end`] looking at most `max` bytes past the start tag: `Err` with the offset it
/// stopped at when the end tag is not within them.
pub(crate) fn element_end_within(
    html: &[u8],
    tag: &StartTag<'_>,
    max: usize,
) -> Result<usize, usize> {
    if is_void(&tag.name) {
        return Ok(tag.end);
    }
    let limit = html.len().min(tag.end.saturating_add(max));
    let name = tag.name.as_bytes();
    let close_end = |at: usize| -> Result<usize, usize> {
        Ok(memchr(b'>', &html[at..limit]).map_or(limit, |off| at + off + 1))
    };
    if is_raw_text(&tag.name) {
        let mut closing = Vec::with_capacity(name.len() + 2);
        closing.extend_from_slice(b"</");
        closing.extend_from_slice(name);
        return match find_ci(&html[..limit], &closing, tag.end) {
            Some(at) => close_end(at),
            None => Err(limit),
        };
    }
    // Count nested elements of the same name until the matching end tag.
    let mut depth = 1usize;
    let mut pos = tag.end;
    while pos < limit {
        let Some(off) = memchr(b'<', &html[pos..limit]) else {
            break;
        };
        let at = pos + off;
        if html.get(at + 1) == Some(&b'/') && tag_name_at(html, at + 2, name) {
            depth -= 1;
            if depth == 0 {
                return close_end(at);
            }
        } else if tag_name_at(html, at + 1, name) {
            depth += 1;
        } else if html[at + 1..].starts_with(b"!--") {
            // Markup inside comments does not nest.
            pos = find_with(&COMMENT_END, &html[..limit], at + 4).map_or(limit, |e| e + 3);
            continue;
        }
        pos = at + 1;
    }
    Err(limit)
}

/// The most elements a region may nest before it is cut: html5ever's tree building costs grow
/// with the depth of open elements, and real embeds nest a few dozen deep at most.
pub(crate) const MAX_DEPTH: usize = 256;

/// Where the region `start..end` must be cut so its elements nest at most [`MAX_DEPTH`] deep
/// (a byte-level estimate: start tags of non-void elements open, end tags close).
pub(crate) fn depth_limited_end(html: &[u8], start: usize, end: usize) -> usize {
    let mut depth = 0usize;
    let mut pos = start;
    while pos < end {
        let Some(off) = memchr(b'<', &html[pos..end]) else {
            break;
        };
        let at = pos + off;
        match html.get(at + 1) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(b'!') => {
                pos = find_with(&COMMENT_END, &html[..end], at).map_or(end, |e| e + 3);
                continue;
            }
            Some(b) if b.is_ascii_alphabetic() => {
                let mut name_end = at + 1;
                while name_end < end && html[name_end].is_ascii_alphanumeric() {
                    name_end += 1;
                }
                let name = &html[at + 1..name_end];
                if !VOID.iter().any(|v| name.eq_ignore_ascii_case(v.as_bytes())) {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return at;
                    }
                }
            }
            _ => {}
        }
        pos = at + 1;
    }
    end
}

/// The nearest offset at or below `at` that is a UTF-8 character boundary of `s`.
pub(crate) fn floor_boundary(s: &str, mut at: usize) -> usize {
    at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lt_inside_an_earlier_start_tag_is_found() {
        let at = |html: &str| {
            let lt = html.rfind("<iframe").unwrap();
            enclosing_start_tag(html.as_bytes(), lt, 0).is_some()
        };
        assert!(at(r#"<a href="http://<iframe"#));
        assert!(at(r#"<div><a title='x' data-x="<iframe"#));
        assert!(at(r#"<a data-x=y <iframe"#));
        assert!(!at(r#"<a title="x>y">z <iframe"#));
        assert!(!at(r#"<p>1 < 2 and 3 <4</p> <iframe"#));
        assert!(!at(r#"</a title="<iframe"#));
        assert!(!at("<iframe"));
        assert!(!at("text <iframe"));
        // Not before the floor.
        let html = br#"<a title="<iframe"#;
        assert_eq!(enclosing_start_tag(html, 10, 3), None);
        assert_eq!(enclosing_start_tag(html, 10, 0), Some(0));
        let html = br#"<p>x</p><div data-x='<iframe'"#;
        assert_eq!(enclosing_start_tag(html, 22, 0), Some(8));
    }

    #[test]
    fn raw_markup_in_a_value_is_a_tag_opening() {
        assert!(holds_raw_markup(b"<blockquote class=x>"));
        assert!(holds_raw_markup(b"a <b>bold</b>"));
        assert!(!holds_raw_markup(b"1 < 2"));
        assert!(!holds_raw_markup(b"&lt;iframe"));
        assert!(!holds_raw_markup(b"x<"));
    }

    #[test]
    fn reads_quoted_unquoted_and_bare_attributes() {
        let html =
            br#"<IFRAME data-x='a>b' SRC="https://e/x?a=1&amp;b" allowfullscreen width=5>rest"#;
        let tag = read_start_tag(html, 0).unwrap();
        assert_eq!(tag.name, "iframe");
        assert_eq!(tag.attr("data-x"), Some(&b"a>b"[..]));
        assert_eq!(tag.attr("src"), Some(&b"https://e/x?a=1&amp;b"[..]));
        assert_eq!(tag.attr("allowfullscreen"), Some(&b""[..]));
        assert_eq!(tag.attr("width"), Some(&b"5"[..]));
        assert_eq!(&html[tag.end..], b"rest");
    }

    #[test]
    fn not_a_start_tag() {
        for html in [&b"</p>"[..], b"<!-- x -->", b"< p>", b"<"] {
            assert!(read_start_tag(html, 0).is_none(), "{html:?}");
        }
    }

    #[test]
    fn unterminated_tag_ends_at_input_end() {
        let html = br#"<div class="a"#;
        let tag = read_start_tag(html, 0).unwrap();
        assert_eq!(tag.end, html.len());
    }

    #[test]
    fn element_end_counts_nesting_and_raw_text() {
        let cases: &[(&[u8], &[u8])] = &[
            (b"<div a><div></div><!-- </div> --></DIV>tail", b"tail"),
            (b"<blockquote><p>x</p></blockquote >tail", b"tail"),
            (b"<iframe src=x><div></iframe>tail", b"tail"),
            (b"<embed src=x>tail", b"tail"),
            (b"<divx><div>in</div>", b""),
        ];
        for (html, tail) in cases {
            let tag = read_start_tag(html, 0).unwrap();
            let end = element_end(html, &tag);
            assert_eq!(&html[end..], *tail, "{}", String::from_utf8_lossy(html));
        }
    }

    #[test]
    fn region_is_capped() {
        let mut html = b"<div>".to_vec();
        html.extend(std::iter::repeat_n(b'x', MAX_REGION * 2));
        let tag = read_start_tag(&html, 0).unwrap();
        assert_eq!(element_end(&html, &tag), tag.end + MAX_REGION);
    }

    #[test]
    fn deep_regions_are_cut() {
        let html = "<div>".repeat(MAX_DEPTH + 10);
        let cut = depth_limited_end(html.as_bytes(), 0, html.len());
        assert_eq!(cut, MAX_DEPTH * 5);
        let flat = "<p>a</p><br><img>".repeat(1000);
        assert_eq!(
            depth_limited_end(flat.as_bytes(), 0, flat.len()),
            flat.len()
        );
    }

    #[test]
    fn find_ci_ignores_case() {
        assert_eq!(find_ci(b"ab</SCRIPT>", b"</script", 0), Some(2));
        assert_eq!(find_ci(b"ab</scrip", b"</script", 0), None);
        assert_eq!(find_with(&SCRIPT_END, b"ab</ScRiPt>", 0), Some(2));
        assert_eq!(find_with(&SCRIPT_END, b"ab</ScRiPt>", 3), None);
        assert_eq!(find_with(&SCRIPT_END, b"ab", 5), None);
    }
}
