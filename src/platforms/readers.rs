//! Small readers of upstream answers shared by the platform resolvers: blank-aware strings,
//! lenient numbers, whitespace-collapsed text, the text of markup walked without recursion,
//! the texts of a page's scripts, values as messages show them, and a short excerpt of an
//! error body for evidence strings.
//!
//! Only field-level reading belongs here: nothing in this module knows about a platform,
//! classifies an answer, or fetches.

use ego_tree::NodeRef;
use ego_tree::iter::Edge;
use scraper::node::Element;
use scraper::{Html, Node};
use url::Url;

/// A platform's page parsed, or, when a tag in it has more attributes than any real one
/// (`model::start_tag::crowded`), an empty document: the parser's cost grows with the square of
/// a tag's attributes, and such a page shows no post to read.
pub fn parse_document(html: &str) -> Html {
    guarded(html, Html::parse_document)
}

/// The most bytes of a post's markup (an oEmbed `html`, a status's content) that are parsed.
/// The longest posts any platform allows (a Mastodon-compatible server's of 100,000
/// characters, with their links' markup) fit; a tree of the element-dense 10 MiB an answer may
/// hold would take some 40 times that in memory.
pub const MAX_FRAGMENT_BYTES: usize = 1024 * 1024;

/// Markup from a platform's answer (an oEmbed `html`, a status's content) parsed as a fragment,
/// or an empty fragment when a tag in it is crowded, as [`parse_document`] has it. Only the
/// first [`MAX_FRAGMENT_BYTES`] are read, up to the last tag that opens within them.
pub fn parse_fragment(html: &str) -> Html {
    guarded(within_fragment_limit(html), Html::parse_fragment)
}

/// `html` cut to [`MAX_FRAGMENT_BYTES`] so that no tag is read in part: within a tag that the
/// limit falls in, before its `<`; else at the limit, in text (a post of one paragraph longer
/// than the limit keeps the start of its text). A `<` is ASCII, so the first cut is a character
/// boundary; the second is moved back to one.
fn within_fragment_limit(html: &str) -> &str {
    if html.len() <= MAX_FRAGMENT_BYTES {
        return html;
    }
    let window = &html.as_bytes()[..MAX_FRAGMENT_BYTES];
    let cut = match memchr::memrchr(b'<', window) {
        Some(lt) if memchr::memchr(b'>', &window[lt..]).is_none() => lt,
        _ => html.floor_char_boundary(MAX_FRAGMENT_BYTES),
    };
    tracing::warn!(
        bytes = html.len(),
        read = cut,
        "a post's markup is longer than {MAX_FRAGMENT_BYTES} bytes: only its start is read"
    );
    &html[..cut]
}

fn guarded(html: &str, parse: fn(&str) -> Html) -> Html {
    crate::model::start_tag::parse_guarded(html, parse).unwrap_or_else(|refused| {
        tracing::warn!(%refused, "upstream markup not read");
        parse("")
    })
}

/// The text of `node` and what it holds, in document order: text nodes as they are, and at each
/// element `enter`, which may write to `out` (a newline for `<br>`) and says whether to read
/// what the element holds. Read without recursion: an answer may nest elements tens of
/// thousands deep (a status's `content`, an oEmbed `html`), and a recursive walk would overflow
/// the thread's stack and end the whole process. What a browser never shows as text, the
/// content of `<script>`, `<style>` and `<template>` elements, is not read (nor given to
/// `enter`): a post whose markup holds `<script>alert(1)</script>` does not say `alert(1)`.
pub fn walk_text(
    node: NodeRef<'_, Node>,
    out: &mut String,
    mut enter: impl FnMut(&Element, &mut String) -> bool,
) {
    // The element whose content is skipped, until its end.
    let mut skipping = None;
    for edge in node.traverse() {
        match edge {
            Edge::Open(n) if skipping.is_none() => match n.value() {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) if is_unshown(e) || !enter(e, out) => skipping = Some(n.id()),
                _ => {}
            },
            Edge::Close(n) if skipping == Some(n.id()) => skipping = None,
            _ => {}
        }
    }
}

/// Elements whose content a browser never shows as text.
fn is_unshown(e: &Element) -> bool {
    matches!(e.name(), "script" | "style" | "template")
}

/// The [`walk_text`] rule most readers want: `<br>` is a newline (and holds nothing), every
/// other element is read.
pub fn br_as_newline(e: &Element, out: &mut String) -> bool {
    if e.name() == "br" {
        out.push('\n');
        return false;
    }
    true
}

/// The text of each `<script>` element of a page, in order, found over bytes as the HTML
/// tokenizer finds them: a script's text runs to the first `</script` (in any case), and
/// markup in comments is no element. What a page shows as text (a title that quotes code) is
/// never a script's, so a reader of data a page's scripts set looks only here.
pub fn script_texts(html: &str) -> impl Iterator<Item = &str> {
    let b = html.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        while let Some(off) = memchr::memchr(b'<', &b[pos..]) {
            let lt = pos + off;
            pos = lt + 1;
            let rest = &b[lt..];
            if rest.starts_with(b"<!--") {
                pos =
                    memchr::memmem::find(&b[lt + 4..], b"-->").map_or(b.len(), |e| lt + 4 + e + 3);
                continue;
            }
            let is_script = rest.len() > 7
                && rest[..7].eq_ignore_ascii_case(b"<script")
                && matches!(rest[7], b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | 0x0c);
            if !is_script {
                continue;
            }
            let Some(tag) = crate::model::start_tag::lex(b, lt, |_, _| true) else {
                continue;
            };
            let start = tag.end.min(b.len());
            let end = crate::model::start_tag::find_ascii_ci(&b[start..], b"</script")
                .map_or(b.len(), |e| start + e);
            pos = end;
            // Both ends are ASCII bytes (or the page's ends), so they are character boundaries.
            return html.get(start..end);
        }
        None
    })
}

/// An answer's value as an error message shows it: quoted (escapes and all, as `{:?}` writes a
/// string), or `(none)` when the answer gave none; never Rust's `Some("…")` or `None`.
pub fn quoted_or_none(value: Option<&str>) -> String {
    value.map_or_else(|| "(none)".to_owned(), |v| format!("{v:?}"))
}

/// A number that providers send as a JSON number or, sometimes, a numeric string (TikTok sends
/// `"100%"` for the player size, which is no number at all). A fractional number is rounded:
/// Dailymotion has stated a poster's width as `426.666666667`.
pub fn as_u32(value: &serde_json::Value) -> Option<u32> {
    match value {
        serde_json::Value::Number(n) => match n.as_u64() {
            Some(n) => u32::try_from(n).ok(),
            None => {
                let n = n.as_f64()?.round();
                // Rounded and inside 1..=100_000 (a size in pixels or seconds) the value is a
                // whole number that fits a u32.
                (n.is_finite() && (1.0..=100_000.0).contains(&n)).then_some(n as u32)
            }
        },
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The most bytes of a post's page that a reader parses for what the page's metadata does not
/// carry (an old layout's markup or state script): post pages are 40 KB to 1.5 MB.
pub const MAX_PAGE_REREAD: usize = 4 * 1024 * 1024;

/// The text of the page a post was read from (the first raw answer it keeps), for a reader that
/// reads it again for what the shared page reader does not carry; `None` past
/// [`MAX_PAGE_REREAD`].
pub fn reread(content: &crate::model::PostContent) -> Option<std::borrow::Cow<'_, str>> {
    content
        .raw
        .first()
        .filter(|raw| raw.bytes.len() <= MAX_PAGE_REREAD)
        .map(|raw| String::from_utf8_lossy(&raw.bytes))
}

/// `None` for missing or blank strings, so a blank field never counts as content.
pub fn non_empty<S: AsRef<str>>(s: Option<S>) -> Option<S> {
    s.filter(|s| !s.as_ref().trim().is_empty())
}

/// A post's text followed by its poll's options, one a line, as the post shows them
/// (`○ OPTION`). Vote counts are left out: they change with every vote, the post does not.
pub fn with_poll_options(text: Option<String>, options: Vec<String>) -> Option<String> {
    let options: Vec<String> = options
        .iter()
        .map(|o| o.trim())
        .filter(|o| !o.is_empty())
        .map(|o| format!("○ {o}"))
        .collect();
    if options.is_empty() {
        return text;
    }
    let options = options.join("\n");
    Some(match text {
        Some(text) => format!("{text}\n\n{options}"),
        None => options,
    })
}

/// `text` with every run of whitespace (newlines included) turned into one space, and none at
/// either end.
pub fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The start of a short error body ("Not Found"), for evidence strings.
pub fn snippet(body: &[u8]) -> String {
    const MAX_CHARS: usize = 80;
    let collapsed = collapse_whitespace(&String::from_utf8_lossy(body));
    if collapsed.chars().count() > MAX_CHARS {
        format!("{}…", collapsed.chars().take(MAX_CHARS).collect::<String>())
    } else {
        collapsed
    }
}

/// Whether a body starts like markup (`<html>`, `<!doctype html>`, `<?xml`), whitespace aside:
/// the sign of a page where an API answer was expected.
pub fn starts_like_markup(body: &[u8]) -> bool {
    body.trim_ascii_start().first() == Some(&b'<')
}

/// Parse a URL literal of the calling module (never data from outside).
pub fn constant_url(literal: &'static str) -> Url {
    Url::parse(literal).expect("URL literals in the platform modules parse")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_texts_are_those_of_script_elements_only() {
        let page = r#"<title>ytInitialPlayerResponse = {"x":1}</title><!-- <script>decoy</script> -->
            <SCRIPT type="a>b">one</Script ><scripts>no</scripts><script/>two</script>
            <p>text</p><script src=x></script><script>unterminated"#;
        let got: Vec<&str> = script_texts(page).collect();
        assert_eq!(got, ["one", "two", "", "unterminated"]);
        assert_eq!(script_texts("").count(), 0);
        assert_eq!(script_texts("<script").count(), 0);
    }

    /// A post's markup past the limit is read up to the last tag that opens within it: the
    /// text before is kept, no tag is read in part, and a page without tags is cut on a
    /// character's boundary.
    #[test]
    fn post_markup_is_read_within_its_limit() {
        let para = "<p>ünïcödé words</p>";
        let html = para.repeat(MAX_FRAGMENT_BYTES / para.len() + 10);
        let cut = within_fragment_limit(&html);
        assert!(cut.len() <= MAX_FRAGMENT_BYTES);
        // No tag is cut: the last one read is whole.
        let last_lt = cut.rfind('<').expect("a tag");
        assert!(cut[last_lt..].contains('>'), "{}", &cut[last_lt..]);
        let doc = parse_fragment(&html);
        let paragraphs = doc.root_element().children().count();
        assert_eq!(paragraphs, cut.matches("<p>").count());
        let text = "é".repeat(MAX_FRAGMENT_BYTES);
        let cut = within_fragment_limit(&text);
        assert!(cut.len() <= MAX_FRAGMENT_BYTES && cut.len() >= MAX_FRAGMENT_BYTES - 1);
        // One paragraph longer than the limit keeps its text up to there.
        let one = format!("<p>{}</p>", "é".repeat(MAX_FRAGMENT_BYTES));
        let cut = within_fragment_limit(&one);
        assert!(cut.starts_with("<p>é") && cut.len() >= MAX_FRAGMENT_BYTES - 1);
        let doc = parse_fragment(&one);
        let read: String = doc.root_element().text().collect();
        assert!(read.len() >= MAX_FRAGMENT_BYTES - 4, "{}", read.len());
        // A tag the limit falls in is left out whole.
        let long_tag = format!(
            "<p>x</p><a href=\"{}\">y</a>",
            "z".repeat(MAX_FRAGMENT_BYTES)
        );
        assert_eq!(within_fragment_limit(&long_tag), "<p>x</p>");
        let short = "<p>x</p>";
        assert_eq!(within_fragment_limit(short), short);
    }

    #[test]
    fn values_in_messages_are_quoted_or_none() {
        assert_eq!(quoted_or_none(Some("a \"b\"")), r#""a \"b\"""#);
        assert_eq!(quoted_or_none(Some("")), r#""""#);
        assert_eq!(quoted_or_none(None), "(none)");
    }

    /// Elements nested far deeper than a recursive walk's stack allows (a test thread's 2 MiB
    /// overflowed near 30,000 levels) are read like shallow ones, skips included.
    #[test]
    fn text_nested_without_end_is_read_without_recursion() {
        let depth = 100_000;
        let html = format!(
            "{}a<br>b<script>no</script>{}",
            "<span>".repeat(depth),
            "</span>".repeat(depth)
        );
        let doc = parse_fragment(&html);
        let mut out = String::new();
        walk_text(*doc.root_element(), &mut out, br_as_newline);
        assert_eq!(out, "a\nb");
    }

    #[test]
    fn a_page_with_a_crowded_tag_is_read_as_empty() {
        let attrs = "x ".repeat(crate::model::start_tag::MAX_ATTRIBUTES + 1);
        let page =
            format!("<html><head><title>T</title></head><body><p {attrs}>p</p></body></html>");
        let title = scraper::Selector::parse("title").unwrap();
        assert_eq!(parse_document(&page).select(&title).count(), 0);
        assert_eq!(parse_fragment(&page).select(&title).count(), 0);
        let fine = page.replace(&attrs, "");
        assert_eq!(parse_document(&fine).select(&title).count(), 1);
    }

    #[test]
    fn whitespace_of_any_kind_collapses_to_one_space_between_words() {
        let cases = [
            ("", ""),
            (" \n\t ", ""),
            ("one", "one"),
            ("  one  two\tthree\n\n four ", "one two three four"),
            (
                "non\u{A0}breaking\u{2003}em\u{3000}wide",
                "non breaking em wide",
            ),
            ("zero\u{200B}width stays", "zero\u{200B}width stays"),
        ];
        for (text, want) in cases {
            assert_eq!(collapse_whitespace(text), want, "{text:?}");
        }
    }

    #[test]
    fn blank_strings_are_none() {
        let cases = [
            (None, None),
            (Some(" \n"), None),
            (Some(" a "), Some(" a ")),
        ];
        for (input, want) in cases {
            assert_eq!(non_empty(input), want, "{input:?}");
            assert_eq!(
                non_empty(input.map(str::to_owned)).as_deref(),
                want,
                "{input:?}"
            );
        }
    }

    #[test]
    fn numbers_may_be_numeric_strings() {
        let cases = [
            (serde_json::json!(480), Some(480)),
            (serde_json::json!(" 270 "), Some(270)),
            (serde_json::json!("100%"), None),
            (serde_json::json!(5_000_000_000u64), None),
            (serde_json::json!(-1), None),
            (serde_json::json!(null), None),
            (serde_json::json!(426.666666667), Some(427)),
            (serde_json::json!(239.5), Some(240)),
            (serde_json::json!(-3.5), None),
            (serde_json::json!(0.2), None),
            (serde_json::json!(1e300), None),
            (serde_json::json!("wide"), None),
        ];
        for (value, want) in cases {
            assert_eq!(as_u32(&value), want, "{value}");
        }
    }

    #[test]
    fn snippets_are_collapsed_and_cut() {
        assert_eq!(snippet(b"  Not\n\tFound  "), "Not Found");
        let long = "x ".repeat(100);
        let cut = snippet(long.as_bytes());
        assert_eq!(cut.chars().count(), 81, "{cut}");
        assert!(cut.ends_with('…'), "{cut}");
    }
}
