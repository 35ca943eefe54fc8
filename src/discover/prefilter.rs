//! The byte-level prefilter: the markers where an embed can start, found without parsing.
//! Markers that open a tag (`<blockquote`, `<iframe`, `<amp-`, `<script` …, and the tag names
//! the platforms declare for containers of their own) are matched by hand after each `<` (one
//! `memchr` pass); markers inside tags (the classes and attributes the platforms declare for
//! their widget forms) or escaped text (`&lt;blockquote` …) by a case-sensitive Aho-Corasick
//! automaton with a SIMD prefilter. Both streams only move forward, so a page is searched once.
//!
//! It decides nothing about platforms; it only says where to look.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};

use super::markup::widget::WP_EMBED;
use crate::platforms::markup::Marker as FormMarker;

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

/// Markers that start with `<`, matched by hand (ASCII case-insensitive) after each `<`. The
/// tag names the platforms declare as containers of their own join them in [`TAG_TABLE`].
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

/// The tag markers compared after each `<`, indexed by their first byte.
struct TagTable {
    /// Lowercase names, grouped by first byte; within a group the longest first, so that a
    /// name that extends another (a declared tag beginning with `p`) is compared before it.
    markers: Vec<(Box<[u8]>, Marker)>,
    /// For each byte, in either case, the run of `markers` whose names start with it (empty
    /// for most bytes).
    by_first_byte: [(u8, u8); 256],
}

impl TagTable {
    fn new(markers: impl IntoIterator<Item = (Box<[u8]>, Marker)>) -> TagTable {
        let mut markers: Vec<(Box<[u8]>, Marker)> = markers
            .into_iter()
            .filter(|(name, _)| !name.is_empty())
            .map(|(name, marker)| (name.to_ascii_lowercase().into_boxed_slice(), marker))
            .collect();
        // A stable sort: names of one length keep the table's order.
        markers.sort_by(|(a, _), (b, _)| a[0].cmp(&b[0]).then(b.len().cmp(&a.len())));
        assert!(markers.len() < 256, "tag markers fit the byte index");
        let mut by_first_byte = [(0u8, 0u8); 256];
        let mut i = 0;
        while i < markers.len() {
            let first = markers[i].0[0];
            let end = i + markers[i..]
                .iter()
                .take_while(|(name, _)| name[0] == first)
                .count();
            // Both fit in a byte: the table holds fewer than 256 markers.
            let run = (i as u8, end as u8);
            by_first_byte[usize::from(first)] = run;
            by_first_byte[usize::from(first.to_ascii_uppercase())] = run;
            i = end;
        }
        TagTable {
            markers,
            by_first_byte,
        }
    }
}

/// [`TAG_MARKERS`] and the declared tag names of containers (opened as elements that may be
/// embeds, as AMP components are).
static TAG_TABLE: LazyLock<TagTable> = LazyLock::new(|| {
    let declared = crate::platforms::declared()
        .container_tags()
        .map(|name| (Box::from(name.as_bytes()), Marker::Open));
    TagTable::new(
        TAG_MARKERS
            .iter()
            .map(|(name, marker)| (Box::from(*name), *marker))
            .chain(declared),
    )
});

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
/// id attributes of elements named for a platform: `markup::named`.) Containers marked by their
/// tag name are found where their tags open ([`TAG_TABLE`]).
fn in_tag_markers() -> Vec<&'static str> {
    let declared = crate::platforms::declared();
    let mut out: Vec<&'static str> = declared
        .containers
        .iter()
        .chain(&declared.anchors)
        .filter(|f| !matches!(f.marker, FormMarker::Tag(_)))
        .map(|f| f.marker.text())
        .collect();
    out.push(WP_EMBED);
    out.push(BASE64_BLOCKER);
    out.push(BASE64_ATTR);
    out.extend(BASE64_MARKUP_VALUES);
    out
}

/// The base64 of `<iframe` and of `<blockquote` (what every encoding of such a tag begins
/// with), opening a quoted attribute value: a lazy loader or consent tool that keeps an
/// element's whole markup base64-encoded in an attribute of its placeholder (a3 Lazy Load's
/// `<img data-lazy-type="iframe" data-lazy-src="PGlmcmFtZSB…">`), whatever the attribute is
/// called.
pub(super) const BASE64_MARKUP_VALUES: &[&str] = &[
    "\"PGlmcmFtZ",
    "'PGlmcmFtZ",
    "\"PGJsb2NrcXVvdGU",
    "'PGJsb2NrcXVvdGU",
];

/// The attribute of the element in which a consent tool keeps a blocked embed as base64 text
/// (Borlabs Cookie's `div.borlabs-hide`, whose content is `base64_encode` of the iframe).
pub(super) const BASE64_BLOCKER: &str = "data-borlabs-cookie-type";

/// The attribute whose value a consent tool sets to the base64 of a blocked embed's markup
/// (Borlabs Cookie 3: `<div class="brlbs-cmpnt-container brlbs-cmpnt-content-blocker"
/// data-borlabs-cookie-content-blocker-id="youtube-content-blocker"
/// data-borlabs-cookie-content="BASE64">PREVIEW</div>`).
pub(super) const BASE64_ATTR: &str = "data-borlabs-cookie-content";

fn build<S: AsRef<[u8]>>(patterns: impl IntoIterator<Item = S>, ci: bool) -> AhoCorasick {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(ci)
        .match_kind(MatchKind::LeftmostFirst)
        .build(patterns)
        .unwrap_or_else(|e| panic!("prefilter patterns: {e}"))
}

/// In-tag markers (as [`fingerprints`]), then escaped ones, with the kind of each: the generic
/// [`ESCAPED_MARKERS`], and the declared tag names of containers escaped (`&lt;NAME`). Matched
/// case-sensitively, as platforms' embed codes write them: that lets the automaton use its fast
/// SIMD prefilter.
static TEXT_MARKERS: LazyLock<Vec<(&'static str, Marker)>> = LazyLock::new(|| {
    let in_tag: Vec<&'static str> = in_tag_markers()
        .into_iter()
        .chain(super::markup::named::markers())
        .collect();
    let leak = |m: String| -> &'static str { Box::leak(m.into_boxed_str()) };
    let escaped_tags = crate::platforms::declared()
        .container_tags()
        .map(|name| leak(format!("&lt;{name}")));
    fingerprints(&in_tag)
        .into_iter()
        .map(|m| (leak(m), Marker::InTag))
        .chain(
            ESCAPED_MARKERS
                .iter()
                .copied()
                .chain(escaped_tags)
                .map(|m| (m, Marker::Escaped)),
        )
        .collect()
});

/// The in-tag markers as the automaton searches for them. An in-tag hit only leads the scan to
/// the tag around it, which is then read whole, so a part of a marker that every occurrence of
/// the marker holds finds the same tags. The automaton's SIMD search tells candidates apart by
/// their first four bytes and slows with the number of patterns, so each marker is cut to what
/// makes it rare, and there are fewer of them:
/// - `data-` comes off (`data-pin-do` → `pin-do`): pages are full of `data-` attributes;
/// - a word written both lowercase and capitalised, of five letters or more, is one pattern
///   without its first letter (`instagram`, `Instagram` → `nstagram`);
/// - a marker holding another is left out (`twitter-timeline` holds `witter`).
fn fingerprints(markers: &[&str]) -> Vec<String> {
    let cut: Vec<&str> = markers
        .iter()
        .map(|m| {
            m.strip_prefix("data-")
                .filter(|rest| rest.len() >= 4)
                .unwrap_or(m)
        })
        .collect();
    let both_cases = |m: &str| {
        let mut chars = m.chars();
        let Some(first) = chars.next().filter(char::is_ascii_alphabetic) else {
            return false;
        };
        let rest = chars.as_str();
        let lower = format!("{}{rest}", first.to_ascii_lowercase());
        let upper = format!("{}{rest}", first.to_ascii_uppercase());
        rest.len() >= 4 && cut.contains(&lower.as_str()) && cut.contains(&upper.as_str())
    };
    let mut out: Vec<String> = Vec::new();
    for m in &cut {
        let m = if both_cases(m) { &m[1..] } else { m };
        if !out.iter().any(|o| o == m) {
            out.push(m.to_owned());
        }
    }
    let all = out.clone();
    out.retain(|m| !all.iter().any(|o| o != m && m.contains(o.as_str())));
    out
}

static TEXT_PREFILTER: LazyLock<AhoCorasick> =
    LazyLock::new(|| build(TEXT_MARKERS.iter().map(|m| m.0), false));

/// Signs that a script or textarea body holds embed markup worth decoding (the usual spellings:
/// raw, `\u003c`/`\x3c` escaped, entity-escaped), then the declared in-tag markers and facades,
/// and the declared script calls ([`SCRIPT_CALLS`]): a body without any of these is passed over
/// in one search.
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
    let declared = crate::platforms::declared();
    let facades = declared.facades.iter().map(|f| f.element);
    build(
        generic
            .into_iter()
            .chain(in_tag_markers())
            .chain(facades)
            .chain(declared.container_tags())
            .chain(declared.script_calls.iter().map(|c| c.marker)),
        false,
    )
});

/// The declared calls of platforms' script libraries that build a widget where the script
/// stands (`TWTR.Widget`), searched for in a script's body once [`BODY_MARKERS`] found a sign in
/// it: pattern `i` is `declared().script_calls[i]`.
pub(super) static SCRIPT_CALLS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    build(
        crate::platforms::declared()
            .script_calls
            .iter()
            .map(|c| c.marker),
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
    let table = &*TAG_TABLE;
    for off in memchr::memchr_iter(b'<', &bytes[from..]) {
        let lt = from + off;
        let rest = &bytes[lt + 1..];
        // Only the markers that start with the byte after the `<` are compared: a page has a
        // tag every few dozen bytes, and most are none of these.
        let Some(&first) = rest.first() else {
            continue;
        };
        let (from, to) = table.by_first_byte[usize::from(first)];
        let candidates = &table.markers[usize::from(from)..usize::from(to)];
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

/// The first class/attribute or escaped-markup marker that starts at or after `from` and ends
/// by `to`.
pub(super) fn next_text_marker(bytes: &[u8], from: usize, to: usize) -> Option<Hit> {
    TEXT_PREFILTER
        .find(Input::new(bytes).span(from..to))
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
        for (name, marker) in &TAG_TABLE.markers {
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

    /// The containers the platforms declare by their own tag name (Facebook's XFBML
    /// `fb:post`) open where their tags start, in any case, and only those names do; escaped,
    /// they are escaped markup, and a script holding them is decoded.
    #[test]
    fn declared_container_tags_are_tag_markers() {
        let html = b"<font><form><fb:comments><fb:like><FB:Post href=x><fb:video/><fb:pos>";
        let mut from = 0;
        let mut got = Vec::new();
        while let Some(hit) = next_tag_marker(html, from) {
            got.push((hit.start, hit.end, hit.marker));
            from = hit.end;
        }
        assert_eq!(got, [(34, 42, Marker::Open), (50, 59, Marker::Open)]);
        let html = b"<div data-x=\"&lt;fb:post href=&quot;x&quot;&gt;\">";
        let hit = next_text_marker(html, 0, html.len()).expect("a hit");
        assert_eq!((hit.start, hit.marker), (13, Marker::Escaped));
        assert!(
            BODY_MARKERS
                .find("x.html('<fb:video href=\"u\">')")
                .is_some()
        );
        // A name that extends a shorter marker is compared first.
        let table = TagTable::new([
            (Box::from(&b"p"[..]), Marker::Para),
            (Box::from(&b"pin-x"[..]), Marker::Open),
        ]);
        let names: Vec<&[u8]> = table.markers.iter().map(|(n, _)| &**n).collect();
        assert_eq!(names, [&b"pin-x"[..], b"p"]);
    }

    #[test]
    fn fingerprints_find_every_tag_their_markers_find() {
        let markers = [
            "fb-post",
            "twitter-timeline",
            "data-pin-do",
            "data-tweet-id",
            "instagram",
            "Instagram",
            "twitter",
            "Twitter",
            "tweet",
            "Tweet",
            "bsky",
            "Bsky",
            "data-yt-id",
            "id=\"yt-",
        ];
        let got = fingerprints(&markers);
        assert_eq!(
            got,
            [
                "fb-post", "pin-do", "nstagram", "witter", "weet", "bsky", "Bsky", "yt-id",
                "id=\"yt-"
            ]
        );
        // Every marker holds one of the fingerprints, so a tag holding a marker is found.
        for m in markers {
            assert!(got.iter().any(|f| m.contains(f.as_str())), "{m}");
        }
    }

    /// The same, for the markers the platforms declare.
    #[test]
    fn every_declared_marker_holds_a_fingerprint() {
        let markers: Vec<&str> = in_tag_markers()
            .into_iter()
            .chain(super::super::markup::named::markers())
            .collect();
        let searched: Vec<&str> = TEXT_MARKERS
            .iter()
            .filter(|(_, kind)| *kind == Marker::InTag)
            .map(|(m, _)| *m)
            .collect();
        assert!(searched.len() < markers.len());
        for m in markers {
            assert!(searched.iter().any(|f| m.contains(f)), "{m}");
        }
        // Attributes read only where a platform's word names the element are not searched
        // for: the words lead the scan there.
        for naming in &crate::platforms::declared().namings {
            for attr in naming.word_id_attrs {
                assert!(!searched.iter().any(|f| attr.contains(f)), "{attr}");
            }
        }
    }

    #[test]
    fn text_markers_are_found_in_order() {
        let html = b"<div class=\"fb-post\" data-x=\"&lt;blockquote\">";
        let first = next_text_marker(html, 0, html.len()).unwrap();
        assert_eq!((first.start, first.marker), (12, Marker::InTag));
        let second = next_text_marker(html, first.end, html.len()).unwrap();
        assert_eq!(second.marker, Marker::Escaped);
        assert!(next_text_marker(html, second.end, html.len()).is_none());
    }
}
