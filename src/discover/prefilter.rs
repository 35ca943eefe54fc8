//! The byte-level prefilter: the markers where an embed can start, found without parsing.
//! Markers that open a tag (`<blockquote`, `<iframe`, `<amp-`, `<script` …) are matched by hand
//! after each `<` (one `memchr` pass); markers inside tags (the classes and attributes the
//! platforms declare for their widget forms) or escaped text (`&lt;blockquote` …) by a
//! case-sensitive Aho-Corasick automaton with a SIMD prefilter. Both streams only move forward, so a page is searched once.
//!
//! It decides nothing about platforms; it only says where to look.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};

use super::markup::widget::WP_EMBED;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Marker {
    Comment,
    /// `<script`, `<style`, `<textarea`: raw text up to the end tag.
    RawText,
    /// The start of an element that may itself be an embed.
    Open,
    /// A class or attribute name that marks the tag holding it as an embed form.
    InTag,
    /// A paragraph that may hold a bare URL.
    Para,
    /// HTML-escaped markup (`&lt;blockquote`), normally inside an attribute value.
    Escaped,
}

/// Markers that start with `<`, matched by hand (ASCII case-insensitive) after each `<`.
const TAG_MARKERS: &[(&[u8], Marker)] = &[
    (b"!--", Marker::Comment),
    (b"script", Marker::RawText),
    (b"style", Marker::RawText),
    (b"textarea", Marker::RawText),
    (b"blockquote", Marker::Open),
    (b"iframe", Marker::Open),
    (b"amp-", Marker::Open),
    (b"audio", Marker::Open),
    (b"embed", Marker::Open),
    (b"object", Marker::Open),
    (b"lite-", Marker::Open),
    (b"video", Marker::Open),
    (b"p", Marker::Para),
];

/// For each byte, in either case, the run of [`TAG_MARKERS`] whose names start with it (empty
/// for most bytes). Built from the table, whose names are lowercase and grouped by first byte;
/// building fails to compile if they are not.
const BY_FIRST_BYTE: [(u8, u8); 256] = {
    let mut runs = [(0u8, 0u8); 256];
    let mut i = 0;
    while i < TAG_MARKERS.len() {
        let first = TAG_MARKERS[i].0[0];
        assert!(
            first == first.to_ascii_lowercase(),
            "tag marker names are lowercase"
        );
        let mut end = i;
        while end < TAG_MARKERS.len() && TAG_MARKERS[end].0[0] == first {
            end += 1;
        }
        assert!(
            runs[first as usize].1 == 0,
            "tag markers are grouped by first byte"
        );
        runs[first as usize] = (i as u8, end as u8);
        runs[first.to_ascii_uppercase() as usize] = (i as u8, end as u8);
        i = end;
    }
    runs
};

/// Escaped markup (normally inside attribute values), whatever the platform.
const ESCAPED_MARKERS: &[&str] = &[
    "&lt;blockquote",
    "&lt;iframe",
    "&lt;amp-",
    "&lt;a class=",
    "&lt;div class=",
    "%3Cblockquote",
    "%3Ciframe",
    "%3cblockquote",
    "%3ciframe",
];

/// Markers inside tags: the classes and attributes the platforms declare for their widget
/// anchors and containers, and WordPress's embed block. (The text prefilter adds the words and
/// id attributes of elements named for a platform: `markup::named`.)
fn in_tag_markers() -> Vec<&'static str> {
    let declared = crate::platforms::declared();
    let mut out: Vec<&'static str> = declared
        .containers
        .iter()
        .chain(&declared.anchors)
        .map(|f| f.marker.text())
        .collect();
    out.push(WP_EMBED);
    out.push(BASE64_BLOCKER);
    out
}

/// The attribute of the element in which a consent tool keeps a blocked embed as base64 text
/// (Borlabs Cookie's `div.borlabs-hide`, whose content is `base64_encode` of the iframe).
pub(super) const BASE64_BLOCKER: &str = "data-borlabs-cookie-type";

fn build<S: AsRef<[u8]>>(patterns: impl IntoIterator<Item = S>, ci: bool) -> AhoCorasick {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(ci)
        .match_kind(MatchKind::LeftmostFirst)
        .build(patterns)
        .unwrap_or_else(|e| panic!("prefilter patterns: {e}"))
}

/// In-tag markers, then escaped ones, with the kind of each. Matched case-sensitively, as
/// platforms' embed codes write them: that lets the automaton use its fast SIMD prefilter.
static TEXT_MARKERS: LazyLock<Vec<(&'static str, Marker)>> = LazyLock::new(|| {
    in_tag_markers()
        .into_iter()
        .chain(super::markup::named::markers())
        .map(|m| (m, Marker::InTag))
        .chain(ESCAPED_MARKERS.iter().map(|m| (*m, Marker::Escaped)))
        .collect()
});

static TEXT_PREFILTER: LazyLock<AhoCorasick> =
    LazyLock::new(|| build(TEXT_MARKERS.iter().map(|m| m.0), false));

/// Signs that a script or textarea body holds embed markup worth decoding (the usual spellings:
/// raw, `\u003c`/`\x3c` escaped, entity-escaped), then the declared in-tag markers and facades.
pub(super) static BODY_MARKERS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let generic = [
        "blockquote",
        "BLOCKQUOTE",
        "<iframe",
        "<IFRAME",
        "u003ciframe",
        "u003Ciframe",
        "x3ciframe",
        "x3Ciframe",
        "&lt;iframe",
        "<amp-",
        "u003camp-",
        "u003Camp-",
        "&lt;amp-",
        "<embed",
        "%3Ciframe",
        "%3ciframe",
    ];
    let facades = crate::platforms::declared()
        .facades
        .iter()
        .map(|f| f.element);
    build(
        generic.into_iter().chain(in_tag_markers()).chain(facades),
        false,
    )
});

/// The declared blockquote classes and marker attributes that make a blockquote worth parsing
/// (found anywhere in its `class` value, ASCII case-insensitive).
pub(super) static BLOCKQUOTE_FORMS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let quotes = &crate::platforms::declared().quotes;
    build(
        quotes
            .iter()
            .map(|q| q.form.class)
            .chain(quotes.iter().filter_map(|q| q.form.marker_attr)),
        true,
    )
});

/// One marker hit.
#[derive(Debug, Clone, Copy)]
pub(super) struct Hit {
    pub start: usize,
    pub end: usize,
    pub marker: Marker,
}

/// The next `<` at or after `from` that starts a tag marker.
pub(super) fn next_tag_marker(bytes: &[u8], from: usize) -> Option<Hit> {
    for off in memchr::memchr_iter(b'<', &bytes[from..]) {
        let lt = from + off;
        let rest = &bytes[lt + 1..];
        // Only the markers that start with the byte after the `<` are compared: a page has a
        // tag every few dozen bytes, and most are none of these.
        let Some(&first) = rest.first() else {
            continue;
        };
        let (from, to) = BY_FIRST_BYTE[usize::from(first)];
        let candidates = &TAG_MARKERS[usize::from(from)..usize::from(to)];
        for (name, marker) in candidates {
            if rest.len() >= name.len() && rest[..name.len()].eq_ignore_ascii_case(name) {
                return Some(Hit {
                    start: lt,
                    end: lt + 1 + name.len(),
                    marker: *marker,
                });
            }
        }
    }
    None
}

/// The next class/attribute or escaped-markup marker at or after `from`.
pub(super) fn next_text_marker(bytes: &[u8], from: usize) -> Option<Hit> {
    TEXT_PREFILTER
        .find(Input::new(bytes).span(from..bytes.len()))
        .map(|m| Hit {
            start: m.start(),
            end: m.end(),
            marker: TEXT_MARKERS[m.pattern().as_usize()].1,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_markers_ignore_case_and_need_a_known_name() {
        let html = b"<div><B>x</B><IFRAME src=x><!-- c --><pre><P>";
        let mut from = 0;
        let mut got = Vec::new();
        while let Some(hit) = next_tag_marker(html, from) {
            got.push((hit.start, hit.marker));
            from = hit.end;
        }
        // `<pre>` is a `<p` hit too: the scan checks the delimiter after the name.
        assert_eq!(
            got,
            [
                (13, Marker::Open),
                (27, Marker::Comment),
                (37, Marker::Para),
                (42, Marker::Para)
            ]
        );
    }

    /// Each marker is compared only after its own first byte, in either case.
    #[test]
    fn every_tag_marker_is_found_in_any_case() {
        for (name, marker) in TAG_MARKERS {
            for spelled in [name.to_ascii_lowercase(), name.to_ascii_uppercase()] {
                let mut html = b"x <".to_vec();
                html.extend_from_slice(&spelled);
                html.extend_from_slice(b" y>");
                let hit = next_tag_marker(&html, 0).expect("a hit");
                assert_eq!((hit.start, hit.marker), (2, *marker), "{spelled:?}");
                assert_eq!(hit.end, 3 + name.len(), "{spelled:?}");
            }
        }
    }

    #[test]
    fn text_markers_are_found_in_order() {
        let html = b"<div class=\"fb-post\" data-x=\"&lt;blockquote\">";
        let first = next_text_marker(html, 0).unwrap();
        assert_eq!((first.start, first.marker), (12, Marker::InTag));
        let second = next_text_marker(html, first.end).unwrap();
        assert_eq!(second.marker, Marker::Escaped);
        assert!(next_text_marker(html, second.end).is_none());
    }
}
