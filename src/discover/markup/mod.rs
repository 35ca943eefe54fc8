//! Readers for each embed markup form: given one parsed element, say which post URL it embeds,
//! which form it is (the `evidence`), and what its fallback markup says. One file per family of
//! forms: official blockquotes, frames (iframes, `<embed>`, `<object>`, player facades), AMP
//! components, widgets (anchors and containers a platform script fills), bare URLs.
//!
//! Which classes, attributes and tags are a platform's forms, and how each is read, the
//! platforms declare (`platforms::markup`); these readers apply the declarations. Turning a URL
//! into a platform, kind and id is the recognisers' job. They never fetch and never walk the
//! tree recursively.

pub(crate) mod amp;
mod bare;
mod blockquote;
pub(crate) mod frame;
pub(crate) mod linked_id;
pub(crate) mod named;
pub(crate) mod player_address;
pub(crate) mod widget;

use scraper::ElementRef;
use url::Url;

pub(crate) use crate::model::markup::absolute;
pub(crate) use crate::platforms::markup::{Candidate, has_class};
pub(crate) use bare::bare_url;

/// Read one element if it is an embed form.
pub(crate) fn read_element(el: ElementRef<'_>, base: &Url) -> Option<Candidate> {
    let name = el.value().name();
    match name {
        "blockquote" => blockquote::read(el, base),
        "a" => widget::read_anchor(el, base),
        "script" => widget::read_script(el, base),
        "div" | "figure" | "section" | "span" => widget::read_container(el, base),
        _ if widget::is_tag_container(name) => widget::read_container(el, base),
        _ if name.starts_with("amp-") => amp::read(el, base),
        _ if frame::is_form(name) => frame::read(el, base),
        _ => None,
    }
}
