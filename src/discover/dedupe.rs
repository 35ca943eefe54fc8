//! One embed per post: the same post often appears several times on a page (an AMP component and
//! its `<noscript>` copy, a blockquote and the iframe its script rendered, a consent-gated copy in
//! a script). Duplicates merge into the first occurrence's place, keeping the `Dom` reading when
//! there is one and filling missing fields from the others.

use std::collections::HashMap;

use crate::model::{EmbedRef, Location, Platform};
use crate::platforms::markup::Reading;

/// What makes two embeds the same: the post, or the canonical URL for widgets without a post id,
/// in any case: the account a widget shows is named in any case on the same page
/// (`twitter.com/CloudExpo` in a timeline anchor, `setUser('cloudexpo')` in a script widget
/// below it), and platforms read account names in any case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Post(Platform, String),
    Widget(Platform, String),
}

fn key(embed: &EmbedRef) -> Key {
    match &embed.post_id {
        Some(id) => Key::Post(embed.platform, id.clone()),
        None => Key::Widget(embed.platform, embed.post_url.to_lowercase()),
    }
}

fn reading(e: &EmbedRef) -> Reading {
    Reading {
        author_name: e.author_name.clone(),
        author_handle: e.author_handle.clone(),
        text: e.text.clone(),
        published_at: e.published_at,
    }
}

/// Rank of an occurrence: visible markup first, then the richest reading.
fn rank(e: &EmbedRef) -> (bool, usize) {
    (e.location == Location::Dom, reading(e).richness())
}

/// Merge duplicates, keeping page order of first appearance.
pub(crate) fn dedupe(embeds: Vec<EmbedRef>) -> Vec<EmbedRef> {
    let mut out: Vec<EmbedRef> = Vec::with_capacity(embeds.len());
    let mut index: HashMap<Key, usize> = HashMap::new();
    for embed in embeds {
        match index.get(&key(&embed)) {
            None => {
                index.insert(key(&embed), out.len());
                out.push(embed);
            }
            Some(&at) => {
                let kept = &mut out[at];
                let (mut best, other) = if rank(&embed) > rank(kept) {
                    (embed, kept.clone())
                } else {
                    (kept.clone(), embed)
                };
                let mut merged = reading(&best);
                merged.fill_from(&reading(&other));
                best.author_name = merged.author_name;
                best.author_handle = merged.author_handle;
                best.text = merged.text;
                best.published_at = merged.published_at;
                *kept = best;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EmbedKind;

    fn embed(id: Option<&str>, url: &str, location: Location, handle: Option<&str>) -> EmbedRef {
        EmbedRef {
            platform: Platform::Instagram,
            kind: EmbedKind::Post,
            post_url: url.into(),
            post_id: id.map(Into::into),
            location,
            evidence: "e".into(),
            markup: String::new(),
            author_name: None,
            author_handle: handle.map(Into::into),
            text: None,
            published_at: None,
        }
    }

    #[test]
    fn merges_by_post_and_prefers_dom() {
        let embeds = vec![
            embed(
                Some("A"),
                "u/A",
                Location::ScriptString,
                Some("from_script"),
            ),
            embed(Some("B"), "u/B", Location::Dom, None),
            embed(Some("A"), "u/A", Location::Dom, None),
            embed(None, "u/profile", Location::Dom, None),
            embed(None, "u/profile", Location::Dom, None),
            embed(None, "u/other", Location::Dom, None),
        ];
        let got = dedupe(embeds);
        let ids: Vec<_> = got.iter().map(|e| e.post_url.as_str()).collect();
        assert_eq!(ids, ["u/A", "u/B", "u/profile", "u/other"]);
        assert_eq!(got[0].location, Location::Dom);
        // The Dom occurrence wins, and keeps what only the hidden copy said.
        assert_eq!(got[0].author_handle.as_deref(), Some("from_script"));
    }

    #[test]
    fn a_widget_named_in_two_cases_is_one() {
        let got = dedupe(vec![
            embed(None, "https://x.com/CloudExpo", Location::Dom, None),
            embed(None, "https://x.com/cloudexpo", Location::Dom, None),
        ]);
        let urls: Vec<_> = got.iter().map(|e| e.post_url.as_str()).collect();
        assert_eq!(urls, ["https://x.com/CloudExpo"]);
    }

    #[test]
    fn richer_dom_reading_wins() {
        let mut rich = embed(Some("A"), "u/A", Location::Dom, Some("h"));
        rich.evidence = "blockquote.instagram-media".into();
        let plain = embed(Some("A"), "u/A", Location::Dom, None);
        let got = dedupe(vec![plain, rich]);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].evidence, "blockquote.instagram-media");
    }
}
