//! Rendered cards kept in memory between requests. A card is made from a post row and its
//! latest snapshot with its media; reading all of that and rendering it costs several times more
//! than reading the post's [`CardStamp`] (two point reads). So a card is kept with the stamp it
//! was made from and served again while the archive still gives the same stamp: a re-check, a
//! new snapshot or an operator's pin changes the stamp, and the next request renders afresh. The
//! stamp is read on every request, so a card is never older than the archive it is read from.

use std::collections::HashMap;
use std::sync::Mutex;

use bytes::Bytes;

use crate::store::CardStamp;

/// What the kept cards may take in memory. A card is a few kilobytes (its scoped style
/// included), so this keeps the cards of some ten thousand posts.
pub(super) const CARD_CACHE_BYTES: usize = 48 * 1024 * 1024;

struct Kept {
    stamp: CardStamp,
    html: Bytes,
}

/// Cards by post id, within a byte budget.
pub(super) struct CardCache {
    budget: usize,
    inner: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    by_post: HashMap<i64, Kept>,
    bytes: usize,
}

impl CardCache {
    pub(super) fn new(budget: usize) -> CardCache {
        CardCache {
            budget,
            inner: Mutex::new(Entries::default()),
        }
    }

    /// The card kept for `post_id` if it was made from `stamp`.
    pub(super) fn get(&self, post_id: i64, stamp: &CardStamp) -> Option<Bytes> {
        let entries = self.inner.lock().ok()?;
        let kept = entries.by_post.get(&post_id)?;
        (kept.stamp == *stamp).then(|| kept.html.clone())
    }

    /// Keep `html` as the card of `post_id` made from `stamp`. When the budget is full, other
    /// cards make room (whichever the map yields first: requests pick posts in no order a
    /// recency list would predict better, and this needs no bookkeeping per read). A card
    /// larger than the whole budget is not kept.
    pub(super) fn put(&self, post_id: i64, stamp: CardStamp, html: Bytes) {
        if html.len() > self.budget {
            return;
        }
        let Ok(mut entries) = self.inner.lock() else {
            return;
        };
        if let Some(old) = entries.by_post.remove(&post_id) {
            entries.bytes -= old.html.len();
        }
        while entries.bytes + html.len() > self.budget {
            let Some(&victim) = entries.by_post.keys().next() else {
                break;
            };
            if let Some(old) = entries.by_post.remove(&victim) {
                entries.bytes -= old.html.len();
            }
        }
        entries.bytes += html.len();
        entries.by_post.insert(post_id, Kept { stamp, html });
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
    fn a_card_is_served_again_only_for_the_stamp_it_was_made_from() {
        let cache = CardCache::new(1024);
        let made_from = stamp(1, Some((10, "aa", "2026-11-01T00:00:00Z")));
        cache.put(
            1,
            made_from.clone(),
            Bytes::from_static(b"<figure>1</figure>"),
        );
        assert_eq!(
            cache.get(1, &made_from).as_deref(),
            Some(&b"<figure>1</figure>"[..])
        );

        // Seen again by a re-check, a new snapshot, a changed status: each is another card.
        let seen_again = stamp(1, Some((10, "aa", "2026-11-02T00:00:00Z")));
        let new_snapshot = stamp(1, Some((11, "bb", "2026-11-02T00:00:00Z")));
        let mut pinned = made_from.clone();
        pinned.post.pin = Some(crate::model::PostStatus::Gone);
        for other in [seen_again, new_snapshot, pinned] {
            assert_eq!(cache.get(1, &other), None);
        }
        // Another post never gets this one's card.
        assert_eq!(
            cache.get(2, &stamp(2, Some((10, "aa", "2026-11-01T00:00:00Z")))),
            None
        );
    }

    #[test]
    fn the_byte_budget_holds_and_a_newer_card_replaces_the_older() {
        let cache = CardCache::new(100);
        for id in 0..20 {
            cache.put(id, stamp(id, None), Bytes::from(vec![b'x'; 30]));
            let entries = cache.inner.lock().unwrap();
            assert!(entries.bytes <= 100, "{} bytes kept", entries.bytes);
            assert_eq!(
                entries.bytes,
                entries
                    .by_post
                    .values()
                    .map(|k| k.html.len())
                    .sum::<usize>()
            );
        }
        // The last card put is always kept.
        assert!(cache.get(19, &stamp(19, None)).is_some());

        cache.put(
            19,
            stamp(19, Some((1, "a", "b"))),
            Bytes::from(vec![b'y'; 10]),
        );
        assert_eq!(cache.get(19, &stamp(19, None)), None);
        assert_eq!(
            cache
                .get(19, &stamp(19, Some((1, "a", "b"))))
                .map(|b| b.len()),
            Some(10)
        );

        // Larger than the whole budget: not kept, and nothing else is evicted for it.
        let before = cache.inner.lock().unwrap().by_post.len();
        cache.put(50, stamp(50, None), Bytes::from(vec![b'z'; 101]));
        assert_eq!(cache.get(50, &stamp(50, None)), None);
        assert_eq!(cache.inner.lock().unwrap().by_post.len(), before);
    }
}
