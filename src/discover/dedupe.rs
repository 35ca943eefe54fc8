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
                fill(&mut best, &other);
                *kept = best;
            }
        }
    }
    merge_account_names(out)
}

/// Fill what `into` does not say from what `from` says.
pub(super) fn fill(into: &mut EmbedRef, from: &EmbedRef) {
    let mut merged = reading(into);
    merged.fill_from(&reading(from));
    into.author_name = merged.author_name;
    into.author_handle = merged.author_handle;
    into.text = merged.text;
    into.published_at = merged.published_at;
}

/// A post named by one of its author's names (a Bluesky post's `HANDLE/RKEY`, as the app's
/// "Copy link" gives it) merges into the same page's post of the same platform named the
/// platform's one way (`DID/RKEY`, as embed codes write it) whose own part is the same: an
/// article that embeds a post and links it below is about one post. The own part (a Bluesky
/// record key, a timestamp to the microsecond with a random clock id) names one post of one
/// author among a page's few; posts of two authors whose parts agree are not told apart here.
fn merge_account_names(embeds: Vec<EmbedRef>) -> Vec<EmbedRef> {
    let own_part = |e: &EmbedRef| {
        let module = crate::platforms::module(e.platform)?;
        let id = e.post_id.as_deref()?;
        module.id_by_account_name(id).map(|(_, own)| own.to_owned())
    };
    let by_name: Vec<Option<String>> = embeds.iter().map(own_part).collect();
    if by_name.iter().all(Option::is_none) {
        return embeds;
    }
    let canonical_of = |i: usize| -> Option<usize> {
        let own = by_name[i].as_deref()?;
        let e = &embeds[i];
        let names_it = |id: &str| {
            id.strip_suffix(own)
                .is_some_and(|account| account.len() > 1 && account.ends_with('/'))
        };
        (0..embeds.len()).position(|j| {
            by_name[j].is_none()
                && embeds[j].platform == e.platform
                && embeds[j].post_id.as_deref().is_some_and(names_it)
        })
    };
    let into: Vec<Option<usize>> = (0..embeds.len()).map(canonical_of).collect();
    let mut out = embeds.clone();
    for (i, target) in into.iter().enumerate() {
        if let Some(t) = *target {
            let from = embeds[i].clone();
            let kept = &mut out[t];
            fill(kept, &from);
            if from.location == Location::Dom {
                kept.location = Location::Dom;
            }
        }
    }
    out.into_iter()
        .enumerate()
        .filter(|(i, _)| into[*i].is_none())
        .map(|(_, e)| e)
        .collect()
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

    /// A Bluesky post embedded by its author's DID and linked below by the handle (the app's
    /// "Copy link") is one post, under the DID the embed code names; another post of the handle
    /// stays its own.
    #[test]
    fn a_post_named_by_its_authors_handle_merges_into_its_embed() {
        let bsky = |id: &str, location: Location, handle: Option<&str>| EmbedRef {
            platform: Platform::Bluesky,
            post_url: format!("https://bsky.app/profile/{}", id.replace('/', "/post/")),
            ..embed(Some(id), "", location, handle)
        };
        let did = "did:plc:ntd53albt5ffa4rgervvgibd";
        let got = dedupe(vec![
            bsky(
                &format!("{did}/3kbi57u4sys2l"),
                Location::ScriptString,
                None,
            ),
            bsky(
                "jbgruber.bsky.social/3kbi57u4sys2l",
                Location::Dom,
                Some("jbgruber.bsky.social"),
            ),
            bsky("jbgruber.bsky.social/3kbi55xm6u62v", Location::Dom, None),
        ]);
        let ids: Vec<_> = got.iter().map(|e| e.post_id.as_deref()).collect();
        assert_eq!(
            ids,
            [
                Some(format!("{did}/3kbi57u4sys2l").as_str()),
                Some("jbgruber.bsky.social/3kbi55xm6u62v")
            ]
        );
        assert_eq!(
            got[0].author_handle.as_deref(),
            Some("jbgruber.bsky.social")
        );
        assert_eq!(got[0].location, Location::Dom);
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
