//! A wrapper and the player inside it are one embed. A CMS block named for embedding often names
//! its item by the item's page
//! (`<div class="oembed" data-href="https://soundcloud.com/ARTIST/TRACK">`) around the
//! platform's player, which names the same item by the platform's number
//! (`w.soundcloud.com/player/?url=…/tracks/994103107`). Where both give the same id the two merge
//! as any duplicates do ([`super::dedupe`]); where they give two ids of one item, the wrapper's
//! post is the player's: the reader sees one player.

use std::ops::Range;

use crate::model::EmbedRef;

/// `embeds` (each with the page bytes it came from) without the wrappers whose one embed inside is
/// a post of their platform, the wrapper's reading filling what the player's does not say. A
/// wrapper holding more than one embed, or one of another platform, names something else and is
/// kept, as is every embed without bytes of its own on the page (read from a script's data).
pub(super) fn merge_into_players(embeds: Vec<(Option<Range<usize>>, EmbedRef)>) -> Vec<EmbedRef> {
    let spans: Vec<Option<Range<usize>>> = embeds.iter().map(|(s, _)| s.clone()).collect();
    // Positions by start, the outer of two nested spans first: what lies inside a span then
    // follows it, up to the first start past its end.
    let mut order: Vec<usize> = (0..embeds.len()).filter(|&i| spans[i].is_some()).collect();
    order.sort_by_key(|&i| {
        let span = spans[i].clone().unwrap_or_default();
        (span.start, std::cmp::Reverse(span.end))
    });
    let mut into: Vec<Option<usize>> = vec![None; embeds.len()];
    // Inner spans first: a wrapper merged into its player no longer counts as an embed inside
    // the wrapper around it (two nested blocks naming one track around its player).
    for (at, &outer) in order.iter().enumerate().rev() {
        let Some(span) = &spans[outer] else { continue };
        let inside: Vec<usize> = order[at + 1..]
            .iter()
            .copied()
            .take_while(|&i| spans[i].as_ref().is_some_and(|s| s.start < span.end))
            .filter(|&i| {
                into[i].is_none()
                    && spans[i]
                        .as_ref()
                        .is_some_and(|s| s.end <= span.end && s != span)
            })
            .take(2)
            .collect();
        if let [player] = inside[..]
            && is_wrapped_player(&embeds[outer].1, &embeds[player].1)
        {
            into[outer] = Some(player);
        }
    }
    let mut out: Vec<Option<EmbedRef>> = embeds.into_iter().map(|(_, e)| Some(e)).collect();
    for outer in 0..out.len() {
        let Some(player) = into[outer] else { continue };
        if let Some(wrapper) = out[outer].take()
            && let Some(inner) = out[player].as_mut()
        {
            super::dedupe::fill(inner, &wrapper);
        }
    }
    out.into_iter().flatten().collect()
}

/// Whether `wrapper` names the post `player` plays: both posts of one platform, named the two
/// ways an item has (a path of its page, `ARTIST/TRACK`, and the platform's number), or by
/// the same id (merged as duplicates). Two ids of one shape (two YouTube videos) are two items:
/// the wrapper then names another post than its player, and both are kept.
fn is_wrapped_player(wrapper: &EmbedRef, player: &EmbedRef) -> bool {
    let (Some(outer), Some(inner)) = (&wrapper.post_id, &player.post_id) else {
        return false;
    };
    wrapper.platform == player.platform
        && wrapper.kind.is_post()
        && player.kind.is_post()
        && (outer == inner || shape(outer) != shape(inner))
}

/// The shape of a post id: whether it is a path, and whether its last part is a number.
fn shape(id: &str) -> (bool, bool) {
    let last = id.rsplit('/').next().unwrap_or(id);
    (
        id.contains('/'),
        !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EmbedKind, Location, Platform};

    fn embed(platform: Platform, kind: EmbedKind, id: &str) -> EmbedRef {
        EmbedRef {
            platform,
            kind,
            post_url: format!("https://example.test/{id}"),
            post_id: Some(id.to_owned()),
            location: Location::Dom,
            evidence: "e".to_owned(),
            markup: String::new(),
            author_name: None,
            author_handle: None,
            text: None,
            published_at: None,
        }
    }

    fn ids(embeds: &[EmbedRef]) -> Vec<&str> {
        embeds.iter().filter_map(|e| e.post_id.as_deref()).collect()
    }

    #[test]
    fn a_wrapper_around_its_one_player_is_the_player() {
        let mut wrapper = embed(Platform::Soundcloud, EmbedKind::Audio, "artist/track");
        wrapper.author_name = Some("Artist".to_owned());
        let player = embed(Platform::Soundcloud, EmbedKind::Audio, "994103107");
        let merged = merge_into_players(vec![(Some(0..100), wrapper), (Some(20..80), player)]);
        assert_eq!(ids(&merged), ["994103107"]);
        assert_eq!(merged[0].author_name.as_deref(), Some("Artist"));
    }

    #[test]
    fn nested_wrappers_of_one_player_are_the_player() {
        let merged = merge_into_players(vec![
            (
                Some(0..100),
                embed(Platform::Soundcloud, EmbedKind::Audio, "artist/track"),
            ),
            (
                Some(5..95),
                embed(Platform::Soundcloud, EmbedKind::Audio, "artist/track"),
            ),
            (
                Some(20..80),
                embed(Platform::Soundcloud, EmbedKind::Audio, "994103107"),
            ),
        ]);
        assert_eq!(ids(&merged), ["994103107"]);
    }

    /// A block naming one video around the player of another names two videos.
    #[test]
    fn a_wrapper_naming_another_item_of_the_same_kind_is_kept() {
        let kept = merge_into_players(vec![
            (
                Some(0..100),
                embed(Platform::Youtube, EmbedKind::Video, "dQw4w9WgXcQ"),
            ),
            (
                Some(20..80),
                embed(Platform::Youtube, EmbedKind::Video, "eiHXASgRTcA"),
            ),
        ]);
        assert_eq!(ids(&kept), ["dQw4w9WgXcQ", "eiHXASgRTcA"]);
    }

    #[test]
    fn wrappers_of_two_players_or_of_another_platform_are_kept() {
        let two = merge_into_players(vec![
            (
                Some(0..100),
                embed(Platform::Soundcloud, EmbedKind::Audio, "a/b"),
            ),
            (
                Some(10..40),
                embed(Platform::Soundcloud, EmbedKind::Audio, "1"),
            ),
            (
                Some(50..90),
                embed(Platform::Soundcloud, EmbedKind::Audio, "2"),
            ),
        ]);
        assert_eq!(ids(&two), ["a/b", "1", "2"]);
        let other = merge_into_players(vec![
            (
                Some(0..100),
                embed(Platform::Soundcloud, EmbedKind::Audio, "a/b"),
            ),
            (
                Some(10..40),
                embed(Platform::Youtube, EmbedKind::Video, "dQw4w9WgXcQ"),
            ),
        ]);
        assert_eq!(ids(&other), ["a/b", "dQw4w9WgXcQ"]);
        // Side by side, or from one script's data: no wrapper.
        let apart = merge_into_players(vec![
            (
                Some(0..50),
                embed(Platform::Soundcloud, EmbedKind::Audio, "a/b"),
            ),
            (
                Some(50..90),
                embed(Platform::Soundcloud, EmbedKind::Audio, "1"),
            ),
            (
                Some(50..90),
                embed(Platform::Soundcloud, EmbedKind::Audio, "2"),
            ),
            (None, embed(Platform::Soundcloud, EmbedKind::Audio, "3")),
        ]);
        assert_eq!(ids(&apart), ["a/b", "1", "2", "3"]);
    }
}
