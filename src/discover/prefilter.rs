//! The byte-level prefilter: the markers where an embed can start, found without parsing.
//! Markers that open a tag (`<blockquote`, `<iframe`, `<amp-`, `<script` …) are matched by hand
//! after each `<` (one `memchr` pass); markers inside tags or escaped text (`fb-post`,
//! `twitter-timeline`, `&lt;blockquote` …) by a case-sensitive Aho-Corasick automaton with a SIMD
//! prefilter. Both streams only move forward, so a page is searched once.
//!
//! It decides nothing about platforms; it only says where to look.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};

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
    (b"embed", Marker::Open),
    (b"object", Marker::Open),
    (b"lite-", Marker::Open),
    (b"p", Marker::Para),
];

/// Markers inside tags (class and attribute names) or escaped in attribute values. Matched
/// case-sensitively, as platforms' embed codes write them: that lets the automaton use its fast
/// SIMD prefilter.
const TEXT_MARKERS: &[(&str, Marker)] = &[
    ("fb-post", Marker::InTag),
    ("fb-video", Marker::InTag),
    ("tumblr-post", Marker::InTag),
    ("twitter-timeline", Marker::InTag),
    ("data-pin-do", Marker::InTag),
    ("wp-block-embed", Marker::InTag),
    ("&lt;blockquote", Marker::Escaped),
    ("&lt;iframe", Marker::Escaped),
    ("&lt;amp-", Marker::Escaped),
    ("&lt;a class=", Marker::Escaped),
    ("&lt;div class=", Marker::Escaped),
];

fn build(patterns: impl IntoIterator<Item = &'static str>, ci: bool) -> AhoCorasick {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(ci)
        .match_kind(MatchKind::LeftmostFirst)
        .build(patterns)
        .unwrap_or_else(|e| panic!("prefilter patterns: {e}"))
}

static TEXT_PREFILTER: LazyLock<AhoCorasick> =
    LazyLock::new(|| build(TEXT_MARKERS.iter().map(|m| m.0), false));

/// Signs that a script or textarea body holds embed markup worth decoding (the usual spellings:
/// raw, `\u003c`/`\x3c` escaped, entity-escaped).
pub(super) static BODY_MARKERS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    build(
        [
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
            "twitter-timeline",
            "fb-post",
            "fb-video",
            "tumblr-post",
            "data-pin-do",
            "<embed",
            "lite-youtube",
            "wp-block-embed",
        ],
        false,
    )
});

/// Blockquote classes (and Instagram's data attribute) that make a blockquote worth parsing.
pub(super) static BLOCKQUOTE_FORMS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    build(
        [
            "instagram-media",
            "data-instgrm",
            "twitter-tweet",
            "twitter-video",
            "tiktok-embed",
            "text-post-media",
            "bluesky-embed",
            "mastodon-embed",
            "reddit-embed",
            "reddit-card",
            "imgur-embed",
        ],
        true,
    )
});

/// AMP components that embed a post or player.
pub(super) const AMP_FORMS: &[&str] = &[
    "amp-instagram",
    "amp-twitter",
    "amp-youtube",
    "amp-vimeo",
    "amp-dailymotion",
    "amp-vine",
    "amp-soundcloud",
    "amp-imgur",
    "amp-tiktok",
    "amp-facebook",
    "amp-reddit",
    "amp-iframe",
    "amp-bluesky",
    "amp-pinterest",
];

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
        // Cheap first-byte test before comparing names.
        if !matches!(
            rest.first().map(u8::to_ascii_lowercase),
            Some(b'!' | b's' | b't' | b'b' | b'i' | b'a' | b'e' | b'o' | b'l' | b'p')
        ) {
            continue;
        }
        for (name, marker) in TAG_MARKERS {
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
