//! Only web addresses leave the server. A snapshot holds what a platform said, and a hostile
//! or broken platform may say `javascript:alert(1)` where an author's page or an image should
//! be; the archive keeps it as evidence, but a JSON answer is read by publishers' code that may
//! put any of these URLs in an `href` or `src`. So every URL a platform gave that a JSON route
//! hands out passes the card's own rule first (`render::web_url`: absolute `http`/`https` with
//! a host) and is left out when it fails: `null`, or `""` for a media item's `url`, which the
//! document always has. A URL that passes is handed out as stored, so the answer stays the
//! CLI's document for every post whose URLs are web addresses.
//!
//! Post and article URLs are not filtered here: embedkeep builds a post's `post_url` itself
//! (from the platform's recogniser, always `https://…`) and article URLs were checked as
//! http(s) when they were queued.

use crate::render::web_url;
use crate::report::{MediaReport, SnapshotReport};

/// Leave out every URL of `snapshot` that is not a web address.
pub(super) fn snapshot(snapshot: &mut SnapshotReport) {
    keep_web(&mut snapshot.author_url);
    keep_web(&mut snapshot.reply_to);
    keep_web(&mut snapshot.quote_of);
    snapshot.media.iter_mut().for_each(media);
}

fn media(media: &mut MediaReport) {
    keep_web(&mut media.poster_url);
    if web_url(&media.url).is_none() {
        media.url.clear();
    }
}

fn keep_web(url: &mut Option<String>) {
    if url.as_deref().is_some_and(|u| web_url(u).is_none()) {
        *url = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(url: &str) -> SnapshotReport {
        SnapshotReport {
            id: 1,
            fetched_at: "2026-11-01T00:00:00Z".into(),
            last_seen_at: "2026-11-01T00:00:00Z".into(),
            source: "mastodon-api".into(),
            content_sha256: "0".repeat(64),
            author_name: Some("Evil".into()),
            author_handle: Some("evil".into()),
            author_url: Some(url.into()),
            title: None,
            text: Some(url.into()),
            published_at: None,
            lang: None,
            reply_to: Some(url.into()),
            quote_of: Some(url.into()),
            media: vec![MediaReport {
                kind: crate::model::MediaKind::Image,
                url: url.into(),
                poster_url: Some(url.into()),
                alt: None,
                width: None,
                height: None,
                thumbnail: None,
                original: None,
                error: None,
            }],
        }
    }

    #[test]
    fn urls_that_are_not_web_addresses_are_left_out() {
        for hostile in [
            "javascript:alert(4)",
            " javascript:alert(4)",
            "data:text/html,<script>alert(1)</script>",
            "/relative/path",
            "//cdn.example/a.jpg",
            "https://user:pw@cdn.example/a.jpg",
        ] {
            let mut s = report(hostile);
            snapshot(&mut s);
            assert_eq!(s.author_url, None, "{hostile}");
            assert_eq!(s.reply_to, None, "{hostile}");
            assert_eq!(s.quote_of, None, "{hostile}");
            assert_eq!(s.media[0].url, "", "{hostile}");
            assert_eq!(s.media[0].poster_url, None, "{hostile}");
            // Text is text: it is escaped where it is shown, not filtered.
            assert_eq!(s.text.as_deref(), Some(hostile));
        }
    }

    #[test]
    fn web_addresses_are_kept_as_stored() {
        let url = "https://mastodon.social/@evil";
        let mut s = report(url);
        snapshot(&mut s);
        assert_eq!(s.author_url.as_deref(), Some(url));
        assert_eq!(s.media[0].url, url);
        assert_eq!(s.media[0].poster_url.as_deref(), Some(url));
    }
}
