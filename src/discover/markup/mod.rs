//! Readers for each embed markup form: given one parsed element, say which post URL it embeds,
//! which form it is (the `evidence`), and what its fallback markup says. One file per family of
//! forms: official blockquotes, frames (iframes, `<embed>`, `<object>`, lite players), AMP
//! components, widgets (Facebook/Tumblr divs, timeline and Pinterest anchors), bare URLs.
//!
//! Readers know markup, not platforms' URL rules: turning a URL into a platform, kind and id is
//! the recognisers' job. They never fetch and never walk the tree recursively.

mod amp;
mod bare;
mod blockquote;
mod frame;
mod widget;

use scraper::ElementRef;
use url::Url;

use crate::discover::readings::Reading;
use crate::model::{EmbedKind, Platform};

pub(crate) use bare::bare_url;

/// A widget form (timeline, profile) and what to report when no recogniser claims its URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Widget {
    pub platform: Platform,
    pub kind: EmbedKind,
    /// The URL must be on this host (or a subdomain of it) for the fallback to apply.
    pub host: &'static str,
}

/// What one element's markup says.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Candidate {
    /// URLs naming the embedded thing, best first (absolute).
    pub urls: Vec<Url>,
    /// The markup form, e.g. `blockquote.instagram-media`, `iframe`, `amp-twitter`.
    pub evidence: String,
    pub reading: Reading,
    /// Set for widget forms: the widget kind wins over the recogniser's, and a URL no recogniser
    /// claims is still reported.
    pub widget: Option<Widget>,
    /// Only accept the URL when it recognises as a single post (bare URLs).
    pub post_only: bool,
}

impl Candidate {
    fn new(urls: Vec<Url>, evidence: impl Into<String>) -> Option<Candidate> {
        (!urls.is_empty()).then(|| Candidate {
            urls,
            evidence: evidence.into(),
            reading: Reading::default(),
            widget: None,
            post_only: false,
        })
    }
}

/// Resolve a raw URL from markup against the page URL (relative and protocol-relative forms).
pub(crate) fn absolute(base: &Url, raw: &str) -> Option<Url> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > 8192 {
        return None;
    }
    let url = base.join(raw).ok()?;
    matches!(url.scheme(), "http" | "https").then_some(url)
}

/// Whether the element carries the class (ASCII case-insensitive, as quirks-mode pages do).
fn has_class(el: ElementRef<'_>, class: &str) -> bool {
    el.value().classes().any(|c| c.eq_ignore_ascii_case(class))
}

/// Read one element if it is an embed form.
pub(crate) fn read_element(el: ElementRef<'_>, base: &Url) -> Option<Candidate> {
    let name = el.value().name();
    match name {
        "blockquote" => blockquote::read(el, base),
        "iframe" | "embed" | "object" | "lite-youtube" | "lite-vimeo" => frame::read(el, base),
        "a" => widget::read_anchor(el, base),
        "div" | "figure" | "section" | "span" => widget::read_container(el, base),
        _ if name.starts_with("amp-") => amp::read(el, base),
        _ => None,
    }
}
