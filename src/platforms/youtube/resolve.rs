//! youtube resolver: reads a video from its public sources and classifies each answer.
//!
//! The order: oEmbed first (light, stable). When it says live, the watch page adds the
//! publication date and the description; a failing watch page never changes that verdict. When
//! oEmbed cannot decide (401/403, rate limit, outage), the watch page's verdict stands. When oEmbed
//! answers 404 the video is gone and the watch page is not asked. Playlists are read from oEmbed
//! alone. It never fetches anything but through the shared [`Fetch`], and never calls a video
//! gone without a positive signal.

use url::Url;

use super::addresses;
use super::error::YoutubeError;
use super::oembed::{self, Item};
use super::watch_page::{self, WatchPage};
use crate::model::{EmbedKind, EmbedRef, PostContent, Resolution};
use crate::platforms::ResolveContext;
use crate::platforms::page_fallback::{NotLive, PostPage, oembed_then_page};
use crate::platforms::source::{self, Answer, Fetch};
use crate::platforms::url_util::{is_base64url_char, is_token};

/// The `source` of a verdict that combines the oEmbed answer with the watch page.
pub const SOURCE_ENRICHED: &str = "youtube-oembed+watch";

/// Resolve one youtube post.
pub async fn resolve(ctx: &ResolveContext<'_>, embed: &EmbedRef) -> Resolution {
    resolve_with(ctx.http, embed).await
}

/// [`resolve`] against any fetcher.
pub(crate) async fn resolve_with<F: Fetch>(fetcher: &F, embed: &EmbedRef) -> Resolution {
    if embed.kind == EmbedKind::Playlist {
        return resolve_playlist(fetcher, embed).await;
    }
    let video_id = match video_id(embed) {
        Ok(id) => id,
        Err(e) => {
            return Resolution::Transient {
                source: oembed::SOURCE.into(),
                evidence: e.to_string(),
            };
        }
    };
    let oembed_verdict = source::ask(
        fetcher,
        oembed::SOURCE,
        &oembed::oembed_url(video_id),
        |answer| oembed::classify(answer, video_id),
    )
    .await;
    oembed_then_page(oembed_verdict, &Watch { video_id }, fetcher).await
}

/// A playlist has no watch page: its oEmbed answer is the whole verdict.
async fn resolve_playlist<F: Fetch>(fetcher: &F, embed: &EmbedRef) -> Resolution {
    let list_id = embed.post_id.as_deref().unwrap_or_default();
    if !is_token(list_id, 2, 64, is_base64url_char) {
        return Resolution::Transient {
            source: oembed::SOURCE.into(),
            evidence: YoutubeError::InvalidPlaylistId {
                id: list_id.to_owned(),
            }
            .to_string(),
        };
    }
    let item = Item::Playlist(list_id);
    source::ask(
        fetcher,
        oembed::SOURCE,
        &oembed::item_oembed_url(item),
        |answer| oembed::classify_item(answer, item),
    )
    .await
}

/// The watch page as the second source: it adds the publication date and the description (as
/// `text`, the title staying `title`) to a live oEmbed answer, and decides when oEmbed cannot.
struct Watch<'a> {
    video_id: &'a str,
}

impl PostPage for Watch<'_> {
    type Page = WatchPage;
    const SOURCE: &'static str = watch_page::SOURCE;
    const ENRICHED_SOURCE: &'static str = SOURCE_ENRICHED;
    const LABEL: &'static str = "watch page";

    fn post_id(&self) -> &str {
        self.video_id
    }

    fn fallback_url(&self) -> Url {
        addresses::watch_url(self.video_id)
    }

    fn enrich_url(&self, _oembed: &PostContent) -> Url {
        addresses::watch_url(self.video_id)
    }

    fn classify(&self, answer: &Answer) -> Resolution {
        watch_page::classify(answer, self.video_id)
    }

    fn read(&self, answer: &Answer) -> Result<WatchPage, NotLive> {
        watch_page::read(answer, self.video_id)
    }

    fn merge(&self, content: &mut PostContent, page: WatchPage) {
        content.title = content.title.take().or(page.title);
        content.text = content.text.take().or(page.description);
        content.published_at = content.published_at.or(page.published_at);
        if content.author_name.is_none() {
            content.author_name = page.channel_name;
        }
        if content.author_handle.is_none() {
            content.author_handle = page
                .channel_url
                .as_deref()
                .and_then(addresses::handle_from_channel_url);
        }
        if content.author_url.is_none() {
            content.author_url = page.channel_url;
        }
    }
}

/// The embed's video id, checked to be the 11 URL-safe base64 characters YouTube uses (it goes
/// into request URLs).
fn video_id(embed: &EmbedRef) -> Result<&str, YoutubeError> {
    let id = embed.post_id.as_deref().unwrap_or_default();
    if is_token(id, 11, 11, is_base64url_char) {
        Ok(id)
    } else {
        Err(YoutubeError::InvalidVideoId { id: id.to_owned() })
    }
}
