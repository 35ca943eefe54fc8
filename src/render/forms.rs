//! The embed forms the rewrite can swap for a card, read the way `discover` reads them so that
//! the same element names the same post: the platforms' official blockquotes (by class, their
//! post attributes and links), frames by their address (the id attributes embed scripts leave,
//! then `src` and the lazy-loading attributes) and player facades. Which forms there are is the
//! platforms' declaration ([`EmbedForms`]), and which URL is which platform's post the
//! recognisers' call; both are passed in by the caller.
//!
//! Each blockquote form also names the script family that turns it into the platform's widget:
//! the rewrite drops a family's script once no embed of that family is left on the page.

use url::Url;

use crate::model::markup::{EmbedForms, FRAME_SRC_ATTRS, QuoteForm, QuoteParts};

/// A family of script-rendered embeds: a script family by name, and for families whose script
/// lives on each post's own server (Mastodon) that server.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Family {
    pub name: &'static str,
    pub host: Option<String>,
}

impl Family {
    /// The family of a blockquote form whose post URLs are `urls`.
    pub(super) fn of(form: &QuoteForm, urls: &[Url]) -> Family {
        let host = form
            .family
            .on_post_host
            .and(urls.first())
            .and_then(|u| u.host_str())
            .map(str::to_ascii_lowercase);
        Family {
            name: form.family.name,
            host,
        }
    }

    /// The family whose script is at `src`, if any: a declared fixed address, or among
    /// `hosted` the families whose script lives on their embeds' own server.
    pub(super) fn of_script<'f>(
        forms: &EmbedForms,
        src: &Url,
        mut hosted: impl Iterator<Item = &'f Family>,
    ) -> Option<Family> {
        if let Some(family) = forms.family_of_script(src) {
            return Some(Family {
                name: family.name,
                host: None,
            });
        }
        let host = src.host_str()?.trim_end_matches('.').to_ascii_lowercase();
        let path = src.path();
        hosted
            .find(|f| {
                forms
                    .family(f.name)
                    .and_then(|d| d.on_post_host)
                    .is_some_and(|p| path == p && f.host.as_deref() == Some(host.as_str()))
            })
            .cloned()
    }
}

/// What a blockquote's start tag says about its post, by attribute name (values raw).
pub(super) type QuoteAttrs = Vec<(&'static str, String)>;

/// The URLs naming a blockquote's post, best first, from its post attributes (character
/// references decoded here, as `discover`'s parser does) and the links inside it (in document
/// order, resolved).
pub(super) fn quote_urls(
    form: &QuoteForm,
    attrs: &QuoteAttrs,
    links: &[Url],
    base: &Url,
) -> Vec<Url> {
    let decoded: Vec<(&str, String)> = attrs
        .iter()
        .map(|(n, v)| (*n, html_escape::decode_html_entities(v).into_owned()))
        .collect();
    let pairs: Vec<(&str, &str)> = decoded.iter().map(|(n, v)| (*n, v.as_str())).collect();
    (form.urls)(&QuoteParts {
        attrs: &pairs,
        links,
        base,
    })
}

/// Resolve a raw URL from markup against the page URL, as `discover` does: trimmed, at most
/// 8 KiB, `http`/`https` only. `raw` still carries its character references.
pub(super) fn absolute(base: &Url, raw: &str) -> Option<Url> {
    crate::model::markup::absolute(base, &html_escape::decode_html_entities(raw))
}

/// The URLs a frame's start tag names, best first (a declared id attribute, then its address
/// attributes; a facade's id; an addressed element's address); `name` is the element's tag
/// name, `class` its class value and `attr` reads its raw attributes.
pub(super) fn frame_urls(
    forms: &EmbedForms,
    name: &str,
    class: Option<&str>,
    attr: &dyn Fn(&str) -> Option<String>,
    base: &Url,
) -> Vec<Url> {
    if name == "iframe" {
        for id in forms.frame_ids.iter().filter(|i| i.element == "iframe") {
            if let Some(url) = attr(id.attr).and_then(|v| id.url_for(&v)) {
                return vec![url];
            }
        }
        return FRAME_SRC_ATTRS
            .iter()
            .filter_map(|a| attr(a))
            .filter_map(|v| absolute(base, &v))
            .collect();
    }
    forms
        .facades_of(name)
        .find_map(|f| attr(f.attr).and_then(|v| f.url_for(&v)))
        .or_else(|| {
            forms
                .addressed_form(name, class)
                .and_then(|f| f.url(attr, base))
        })
        .into_iter()
        .collect()
}

/// The elements the rewrite looks at (CSS selectors): blockquotes, frames, facades and
/// addressed elements, anchors (links inside blockquotes, script-rendered widgets) and scripts.
pub(super) fn selectors(forms: &EmbedForms) -> Vec<String> {
    let mut out: Vec<String> = vec!["blockquote".into(), "iframe".into()];
    let named = forms
        .facades
        .iter()
        .map(|f| f.element.to_owned())
        .chain(forms.addressed.iter().map(|a| a.selector()));
    for selector in named {
        if !out.contains(&selector) {
            out.push(selector);
        }
    }
    out.extend(["a".into(), "script".into()]);
    out
}
