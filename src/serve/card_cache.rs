//! Rendered cards kept in memory between requests. A card is made from a post row and its
//! latest snapshot with its media; reading all of that and rendering it costs several times more
//! than reading the post's [`CardStamp`] (two point reads). So a card is kept with the stamp it
//! was made from and served again while the archive still gives the same stamp: a re-check, a
//! new snapshot or an operator's pin changes the stamp, and the next request renders afresh. The
//! stamp is read on every request, so a card is never older than the archive it is read from.

use axum::http::HeaderValue;
use bytes::Bytes;
use sha2::{Digest, Sha256};

use super::budget_map::BudgetMap;
use crate::store::CardStamp;

/// A rendered card and its entity tag (the first 128 bits of the card's sha256, quoted), made
/// once when the card is rendered, so that a revalidating client costs no hashing.
#[derive(Clone, Debug)]
pub(super) struct Card {
    pub html: Bytes,
    pub etag: HeaderValue,
}

impl Card {
    pub(super) fn new(html: Bytes) -> Card {
        let tag = hex::encode(&Sha256::digest(&html)[..16]);
        let etag = super::etag::quoted(&tag);
        Card { html, etag }
    }

    /// The tag without its quotes, as `If-None-Match` is compared: read from the header value,
    /// which holds nothing but the quoted hex digits.
    pub(super) fn tag(&self) -> &str {
        let quoted = self.etag.as_bytes();
        quoted
            .get(1..quoted.len().saturating_sub(1))
            .and_then(|t| std::str::from_utf8(t).ok())
            .unwrap_or_default()
    }
}

/// What the kept cards may take in memory. A card is a few kilobytes (its scoped style
/// included), so this keeps the cards of some ten thousand posts.
pub(super) const CARD_CACHE_BYTES: usize = 48 * 1024 * 1024;

struct Kept {
    stamp: CardStamp,
    card: Card,
}

/// Cards by post id, within a byte budget.
pub(super) struct CardCache {
    by_post: BudgetMap<i64, Kept>,
}

impl CardCache {
    pub(super) fn new(budget: usize) -> CardCache {
        CardCache {
            by_post: BudgetMap::new(budget),
        }
    }

    /// The card kept for `post_id` if it was made from `stamp`.
    pub(super) fn get(&self, post_id: i64, stamp: &CardStamp) -> Option<Card> {
        self.by_post.get_with(&post_id, |kept| {
            (kept.stamp == *stamp).then(|| kept.card.clone())
        })
    }

    /// Keep `card` as the card of `post_id` made from `stamp`, in place of any older card of
    /// that post. A card larger than the whole budget is not kept.
    pub(super) fn put(&self, post_id: i64, stamp: CardStamp, card: Card) {
        let bytes = card.html.len();
        self.by_post.put(post_id, Kept { stamp, card }, bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LivenessState, Platform, PostKey, PostRecord};
    use crate::store::LatestSnapshot;
    use chrono::{TimeZone, Utc};

    fn stamp(post_id: i64, snapshot: Option<(i64, &str, &str)>) -> CardStamp {
        CardStamp {
            post: PostRecord {
                id: post_id,
                key: PostKey {
                    platform: Platform::Instagram,
                    post_id: format!("C{post_id}"),
                },
                platform: Platform::Instagram,
                canonical_url: format!("https://www.instagram.com/p/C{post_id}/"),
                liveness: LivenessState::default(),
                created_at: Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap(),
                last_checked_at: None,
                next_check_at: None,
                pin: None,
            },
            latest: snapshot.map(|(id, sha, seen)| LatestSnapshot {
                id,
                content_sha256: sha.to_owned(),
                last_seen_at: seen.to_owned(),
            }),
        }
    }

    #[test]
    fn every_card_has_its_own_quoted_tag() {
        let mut seen = std::collections::HashSet::new();
        for n in 0..512u32 {
            let card = Card::new(Bytes::from(format!("<figure>{n}</figure>")));
            assert_eq!(card.tag().len(), 32);
            assert!(
                card.tag().bytes().all(|b| b.is_ascii_hexdigit()),
                "{}",
                card.tag()
            );
            assert_eq!(
                card.etag.as_bytes(),
                format!("\"{}\"", card.tag()).as_bytes(),
                "{n}"
            );
            assert!(seen.insert(card.etag.clone()), "{n}: a tag of another card");
        }
        assert_eq!(
            Card::new(Bytes::from_static(b"")).tag(),
            "e3b0c44298fc1c149afbf4c8996fb924",
            "the first 128 bits of the sha256 of nothing"
        );
    }

    #[test]
    fn a_card_is_served_again_only_for_the_stamp_it_was_made_from() {
        let cache = CardCache::new(1024);
        let made_from = stamp(1, Some((10, "aa", "2026-11-01T00:00:00Z")));
        cache.put(
            1,
            made_from.clone(),
            Card::new(Bytes::from_static(b"<figure>1</figure>")),
        );
        let kept = cache.get(1, &made_from).expect("kept");
        assert_eq!(kept.html.as_ref(), b"<figure>1</figure>");
        assert_eq!(
            kept.etag.to_str().ok(),
            Some(format!("\"{}\"", kept.tag()).as_str())
        );
        assert_eq!(kept.tag().len(), 32);

        // Seen again by a re-check, a new snapshot, a changed status: each is another card.
        let seen_again = stamp(1, Some((10, "aa", "2026-11-02T00:00:00Z")));
        let new_snapshot = stamp(1, Some((11, "bb", "2026-11-02T00:00:00Z")));
        let mut pinned = made_from.clone();
        pinned.post.pin = Some(crate::model::PostStatus::Gone);
        for other in [seen_again, new_snapshot, pinned] {
            assert!(cache.get(1, &other).is_none());
        }
        // Another post never gets this one's card.
        assert!(
            cache
                .get(2, &stamp(2, Some((10, "aa", "2026-11-01T00:00:00Z"))))
                .is_none()
        );
        // Another card has another tag.
        assert_ne!(
            Card::new(Bytes::from_static(b"<figure>2</figure>")).tag(),
            kept.tag()
        );
    }

    #[test]
    fn the_byte_budget_holds_and_a_newer_card_replaces_the_older() {
        let cache = CardCache::new(100);
        for id in 0..20 {
            cache.put(id, stamp(id, None), Card::new(Bytes::from(vec![b'x'; 30])));
            let (_, bytes) = cache.by_post.usage();
            assert!(bytes <= 100, "{bytes} bytes kept");
        }
        // The last card put is always kept.
        assert!(cache.get(19, &stamp(19, None)).is_some());

        cache.put(
            19,
            stamp(19, Some((1, "a", "b"))),
            Card::new(Bytes::from(vec![b'y'; 10])),
        );
        assert!(cache.get(19, &stamp(19, None)).is_none());
        assert_eq!(
            cache
                .get(19, &stamp(19, Some((1, "a", "b"))))
                .map(|c| c.html.len()),
            Some(10)
        );

        // Larger than the whole budget: not kept, and nothing else is evicted for it.
        let before = cache.by_post.usage();
        cache.put(50, stamp(50, None), Card::new(Bytes::from(vec![b'z'; 101])));
        assert!(cache.get(50, &stamp(50, None)).is_none());
        assert_eq!(cache.by_post.usage(), before);
    }
}
