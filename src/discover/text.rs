//! The page's title and its visible text outside intact embeds: the text where remnants of
//! broken embeds ("View this post on Instagram … A post shared by …") are looked for. Scripts,
//! styles, comments, textareas and the markup of recognised embeds are left out.
//!
//! A byte-level pass (no DOM): it must stay linear on any input.

use std::ops::Range;

use memchr::memchr;

use super::collapse::{Collapsed, is_ascii_space};
use super::entity;
use super::tag::{OG_TITLE, TITLE_END, TITLE_START, find_with, read_start_tag};
use crate::platforms::markup::reading::collapse;

/// The most title bytes read (a title is a line, not a document).
const MAX_TITLE: usize = 4096;

/// `<title>`, else `og:title`, whitespace collapsed.
pub(crate) fn title(html: &str) -> Option<String> {
    let b = html.as_bytes();
    if let Some(at) = find_with(&TITLE_START, b, 0)
        && let Some(tag) = read_start_tag(b, at).filter(|t| t.name == "title")
    {
        let end = find_with(&TITLE_END, b, tag.end).unwrap_or(b.len());
        let end = super::tag::floor_boundary(html, end.min(tag.end + MAX_TITLE));
        if let Some(t) = collapse(&entity::decode(&html[tag.end..end])) {
            return Some(t);
        }
    }
    let mut from = 0;
    // A handful of tries: og:title sits in the head; the words in body text are not the tag.
    for _ in 0..16 {
        let at = find_with(&OG_TITLE, b, from)?;
        from = at + 8;
        let lt = memchr::memrchr(b'<', &b[at.saturating_sub(MAX_TITLE)..at])
            .map(|o| o + at.saturating_sub(MAX_TITLE));
        let Some(tag) = lt.and_then(|lt| read_start_tag(b, lt)) else {
            continue;
        };
        if tag.name != "meta" || tag.end <= at {
            continue;
        }
        if let Some(content) = tag
            .attr("content")
            .and_then(|v| std::str::from_utf8(v).ok())
            && let Some(t) = collapse(&entity::decode(content))
        {
            return Some(t);
        }
    }
    None
}

/// Whether a tag of this name (any case) breaks text into separate lines. A page has a tag
/// every few dozen bytes: the name is lowercased into a buffer on the stack and matched, with
/// no allocation and no call per name.
fn is_block(name: &[u8]) -> bool {
    // The longest block tag name is `blockquote`/`figcaption`; anything longer is inline.
    const LONGEST: usize = 10;
    if name.is_empty() || name.len() > LONGEST {
        return false;
    }
    let mut lower = [0u8; LONGEST];
    for (to, from) in lower.iter_mut().zip(name) {
        *to = from.to_ascii_lowercase();
    }
    matches!(
        &lower[..name.len()],
        b"p" | b"div"
            | b"br"
            | b"li"
            | b"ul"
            | b"ol"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"blockquote"
            | b"section"
            | b"article"
            | b"header"
            | b"footer"
            | b"figure"
            | b"figcaption"
            | b"table"
            | b"tr"
            | b"td"
            | b"th"
            | b"hr"
            | b"aside"
            | b"nav"
            | b"main"
            | b"dd"
            | b"dt"
            | b"dl"
            | b"pre"
            | b"iframe"
            | b"body"
            | b"title"
    )
}

/// The page text outside `skip` ranges (sorted or not, may overlap), tags removed, block tags as
/// line breaks between words (`\n`: the only ones the text holds), entities decoded, whitespace
/// collapsed. Discovery reads windows of it
/// ([`window_text`]), and all of it only on a page where the windows would cost more.
pub(crate) fn visible_text(html: &str, mut skip: Vec<Range<usize>>) -> String {
    skip.sort_by_key(|r| r.start);
    let mut out = Collapsed::default();
    // Decoded text is written here, one piece at a time, rather than into a new string a piece.
    let mut scratch = String::new();
    let mut marks = Marks::new(&[]);
    let mut pos = 0;
    for r in skip
        .iter()
        .chain(std::iter::once(&(html.len()..html.len())))
    {
        if r.start > pos {
            strip_tags(html, pos..r.start, &mut out, &mut scratch, &mut marks);
        }
        pos = pos.max(r.end);
    }
    out.into_string()
}

/// The text of a window of the page: what [`visible_text`] reads from `window` (which starts
/// where that reading is between tags, outside `skip`), and, for each of `marks` (sorted page
/// offsets within the window), how much of the window's text lies before it. `skip` is sorted
/// and its ranges do not overlap. A window that does not open the page may open inside a word:
/// with `mid_page`, the text before the window's first break between words is left out.
pub(crate) fn window_text(
    html: &str,
    window: Range<usize>,
    skip: &[Range<usize>],
    marks: &[usize],
    mid_page: bool,
) -> (String, Vec<usize>) {
    let mut out = Collapsed::default();
    if mid_page {
        out.drop_first_word();
    }
    let mut scratch = String::new();
    let mut at = Marks::new(marks);
    let mut pos = window.start;
    let first = skip.partition_point(|r| r.end <= window.start);
    for r in skip[first..]
        .iter()
        .take_while(|r| r.start < window.end)
        .chain(std::iter::once(&(window.end..window.end)))
    {
        if r.start > pos {
            strip_tags(html, pos..r.start, &mut out, &mut scratch, &mut at);
        }
        pos = pos.max(r.end);
    }
    at.reach(usize::MAX, out.len());
    (out.into_string(), at.text_offsets)
}

/// Page offsets whose text offsets a reading notes as it passes them.
struct Marks<'m> {
    marks: &'m [usize],
    text_offsets: Vec<usize>,
}

impl<'m> Marks<'m> {
    fn new(marks: &'m [usize]) -> Marks<'m> {
        Marks {
            marks,
            text_offsets: Vec::with_capacity(marks.len()),
        }
    }

    /// The first mark not yet noted, if it lies before `end`.
    fn next_before(&self, end: usize) -> Option<usize> {
        self.marks
            .get(self.text_offsets.len())
            .copied()
            .filter(|&m| m < end)
    }

    /// The reading has come to page offset `pos` with `text_len` bytes of text written: note
    /// every mark before or at it.
    fn reach(&mut self, pos: usize, text_len: usize) {
        while self.next_before(pos.saturating_add(1)).is_some() {
            self.text_offsets.push(text_len);
        }
    }
}

fn strip_tags(
    html: &str,
    range: Range<usize>,
    out: &mut Collapsed,
    scratch: &mut String,
    marks: &mut Marks<'_>,
) {
    let b = html.as_bytes();
    let end = range.end;
    let mut pos = range.start;
    while pos < end {
        marks.reach(pos, out.len());
        // Most of what lies between a page's tags is indentation: a gap, with nothing to
        // search for or copy.
        let blank_from = pos;
        while pos < end && is_ascii_space(b[pos]) {
            pos += 1;
        }
        if pos > blank_from {
            out.gap();
        }
        if pos >= end {
            break;
        }
        if b[pos] != b'<' {
            let lt = memchr(b'<', &b[pos..end]).map_or(end, |o| pos + o);
            // A mark inside the text splits it, so that its text offset is exact.
            while let Some(m) = marks.next_before(lt) {
                let m = m.max(pos);
                push_text(html, pos..m, out, scratch);
                marks.reach(m, out.len());
                pos = m;
            }
            push_text(html, pos..lt, out, scratch);
            pos = lt;
            if pos >= end {
                break;
            }
        }
        let lt = pos;
        if !opens_tag(b, lt) {
            // A lone `<` in text.
            push_text(html, lt..lt + 1, out, scratch);
            pos = lt + 1;
            continue;
        }
        let name_start = if b.get(lt + 1) == Some(&b'/') {
            lt + 2
        } else {
            lt + 1
        };
        let mut name_end = name_start;
        while name_end < end && b[name_end].is_ascii_alphanumeric() {
            name_end += 1;
        }
        if is_block(&b[name_start..name_end]) {
            out.block_gap();
        }
        pos = memchr(b'>', &b[name_end.min(end)..end]).map_or(end, |o| name_end + o + 1);
    }
}

/// Whether the `<` at `lt` opens a tag as the page text is read: a letter, `/` and a letter,
/// or `!` after it; any other `<` is text. The remnant windows read markup by the same rule.
pub(super) fn opens_tag(b: &[u8], lt: usize) -> bool {
    let name = if b.get(lt + 1) == Some(&b'/') {
        lt + 2
    } else {
        lt + 1
    };
    b.get(name).is_some_and(u8::is_ascii_alphabetic) || b.get(lt + 1) == Some(&b'!')
}

/// Write the text of `range` of `html` to `out`, its character references decoded (in
/// `scratch`, when it holds any).
fn push_text(html: &str, range: Range<usize>, out: &mut Collapsed, scratch: &mut String) {
    let start = super::tag::floor_boundary(html, range.start);
    let end = super::tag::floor_boundary(html, range.end);
    out.push(entity::decode_with(&html[start..end], scratch));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        let cases = [
            ("<html><head><TITLE>\n A  &amp; B\n</TITLE>", Some("A & B")),
            (
                r#"<meta property="og:title" content="From &quot;OG&quot;"><title> </title>"#,
                Some("From \"OG\""),
            ),
            ("<p>og:title is a word</p>", None),
            ("<title>unterminated", Some("unterminated")),
        ];
        for (html, want) in cases {
            assert_eq!(title(html).as_deref(), want, "{html}");
        }
    }

    #[test]
    fn block_tags_in_any_case() {
        for name in ["p", "DIV", "BlockQuote", "figcaption", "title", "h6"] {
            assert!(is_block(name.as_bytes()), "{name}");
        }
        for name in [
            "",
            "span",
            "a",
            "b",
            "blockquotes",
            "figcaptions",
            "h7",
            "pp",
        ] {
            assert!(!is_block(name.as_bytes()), "{name}");
        }
    }

    #[test]
    fn visible_text_skips_ranges_and_tags() {
        let html = "<p>One &amp; <b>two</b></p><script>x</script><div>three</div>";
        let script = html.find("<script").unwrap()..html.find("<div").unwrap();
        let text = visible_text(html, vec![script]);
        // A block's break is a line break; text's own whitespace collapses to a space.
        assert_eq!(text, "One & two\nthree");
    }

    /// The page text the plain way, one search for `<` and one decode per piece of text: what
    /// `strip_tags` must give, for being faster.
    fn reference_text(html: &str) -> String {
        let b = html.as_bytes();
        let mut out = Collapsed::default();
        let mut pos = 0;
        while pos < b.len() {
            let lt = memchr(b'<', &b[pos..]).map_or(b.len(), |o| pos + o);
            if lt > pos {
                push_text(html, pos..lt, &mut out, &mut String::new());
            }
            if lt >= b.len() {
                break;
            }
            let name_start = if b.get(lt + 1) == Some(&b'/') {
                lt + 2
            } else {
                lt + 1
            };
            if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic)
                && b.get(lt + 1) != Some(&b'!')
            {
                push_text(html, lt..lt + 1, &mut out, &mut String::new());
                pos = lt + 1;
                continue;
            }
            let name_start = if b.get(lt + 1) == Some(&b'/') {
                lt + 2
            } else {
                lt + 1
            };
            let mut name_end = name_start;
            while name_end < b.len() && b[name_end].is_ascii_alphanumeric() {
                name_end += 1;
            }
            let name = b[name_start..name_end].to_ascii_lowercase();
            let blocks = [
                "p",
                "div",
                "br",
                "li",
                "ul",
                "ol",
                "h1",
                "h2",
                "h3",
                "h4",
                "h5",
                "h6",
                "blockquote",
                "section",
                "article",
                "header",
                "footer",
                "figure",
                "figcaption",
                "table",
                "tr",
                "td",
                "th",
                "hr",
                "aside",
                "nav",
                "main",
                "dd",
                "dt",
                "dl",
                "pre",
                "iframe",
                "body",
                "title",
            ];
            if blocks.iter().any(|n| n.as_bytes() == name.as_slice()) {
                out.block_gap();
            }
            pos = memchr(b'>', &b[lt..]).map_or(b.len(), |o| lt + o + 1);
        }
        out.into_string()
    }

    #[test]
    fn corpus_pages_read_as_the_plain_way_reads_them() {
        let mut pages = 0;
        for (path, html) in crate::discover::corpus_pages() {
            assert_eq!(
                visible_text(&html, Vec::new()),
                reference_text(&html),
                "{}",
                path.display()
            );
            pages += 1;
        }
        assert!(pages > 150, "only {pages} pages read");
    }

    proptest::proptest! {
        #[test]
        fn any_markup_reads_as_the_plain_way_reads_it(
            html in "(<|</|<!|>|[ \t\n\u{0B}\u{A0}]|&amp;|&nbsp;|&#x2014;|&|p|P|br|div|span| b|=|\"|é|—){0,60}"
        ) {
            proptest::prop_assert_eq!(visible_text(&html, Vec::new()), reference_text(&html));
        }
    }
}
