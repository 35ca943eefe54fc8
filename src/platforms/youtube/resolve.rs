//! youtube resolver: reads a video from its public sources and classifies each answer.
//!
//! The order: oEmbed first (light, stable). When it says live, the watch page adds the
//! publication date and the description; a failing watch page never changes that verdict. When
//! oEmbed cannot decide (401/403, rate limit, outage), the watch page's verdict stands. When oEmbed
//! answers 404 the video is gone and the watch page is not asked. Playlists are read from oEmbed
//! alone. It never fetches anything but through the given fetcher, and never calls a video gone
//! without a positive signal.

use std::future::Future;

use url::Url;

use super::error::YoutubeError;
use super::oembed::{self, Item};
use super::watch_page::{self, WatchPage};
use crate::http::{HttpError, Response};
use crate::model::{EmbedKind, EmbedRef, PostContent, Resolution};
use crate::platforms::ResolveContext;
use crate::platforms::readers::raw_body;

/// The `source` of a verdict that combines the oEmbed answer with the watch page.
pub const SOURCE_ENRICHED: &str = "youtube-oembed+watch";

/// Resolve one youtube post.
pub async fn resolve(ctx: &ResolveContext<'_>, embed: &EmbedRef) -> Resolution {
    let http = ctx.http;
    resolve_with(move |url: Url| async move { http.get(&url).await }, embed).await
}

/// [`resolve`] with the fetch step given, so the flow can be tested against recorded answers.
pub(crate) async fn resolve_with<F, Fut>(fetch: F, embed: &EmbedRef) -> Resolution
where
    F: Fn(Url) -> Fut,
    Fut: Future<Output = Result<Response, HttpError>>,
{
    if embed.kind == EmbedKind::Playlist {
        return resolve_playlist(fetch, embed).await;
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
    let oembed_verdict = match fetch(oembed::oembed_url(video_id)).await {
        Ok(response) => oembed::classify(&response, video_id),
        Err(e) => Resolution::Transient {
            source: oembed::SOURCE.into(),
            evidence: e.to_string(),
        },
    };
    match oembed_verdict {
        Resolution::Live(content) => {
            let page = fetch(watch_page::watch_url(video_id)).await;
            Resolution::Live(enrich(content, page, video_id))
        }
        Resolution::Transient {
            evidence: oembed_evidence,
            ..
        } => match fetch(watch_page::watch_url(video_id)).await {
            Ok(response) => match watch_page::classify(&response, video_id) {
                Resolution::Transient { source, evidence } => Resolution::Transient {
                    source,
                    evidence: format!("oEmbed: {oembed_evidence}; watch page: {evidence}"),
                },
                verdict => verdict,
            },
            Err(e) => Resolution::Transient {
                source: watch_page::SOURCE.into(),
                evidence: format!("oEmbed: {oembed_evidence}; watch page: {e}"),
            },
        },
        gone_or_unsupported => gone_or_unsupported,
    }
}

/// A playlist has no watch page: its oEmbed answer is the whole verdict.
async fn resolve_playlist<F, Fut>(fetch: F, embed: &EmbedRef) -> Resolution
where
    F: Fn(Url) -> Fut,
    Fut: Future<Output = Result<Response, HttpError>>,
{
    let list_id = embed.post_id.as_deref().unwrap_or_default();
    let valid = (2..=64).contains(&list_id.len())
        && list_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !valid {
        return Resolution::Transient {
            source: oembed::SOURCE.into(),
            evidence: YoutubeError::InvalidPlaylistId {
                id: list_id.to_owned(),
            }
            .to_string(),
        };
    }
    let item = Item::Playlist(list_id);
    match fetch(oembed::item_oembed_url(item)).await {
        Ok(response) => oembed::classify_item(&response, item),
        Err(e) => Resolution::Transient {
            source: oembed::SOURCE.into(),
            evidence: e.to_string(),
        },
    }
}

/// Add the watch page's date and description to a live oEmbed answer. The watch page is
/// enrichment only: when it fails or disagrees, the oEmbed content is kept as it was.
fn enrich(
    mut content: PostContent,
    page: Result<Response, HttpError>,
    video_id: &str,
) -> PostContent {
    let response = match page {
        Ok(response) => response,
        Err(e) => {
            tracing::debug!(video_id, error = %e, "watch page not fetched; keeping oEmbed content");
            return content;
        }
    };
    let page: WatchPage = match watch_page::read(&response, video_id) {
        Ok(page) => page,
        Err(verdict) => {
            tracing::debug!(
                video_id,
                ?verdict,
                "watch page unreadable; keeping oEmbed content"
            );
            return content;
        }
    };
    content.source = SOURCE_ENRICHED.into();
    let title = content.text.take().or(page.title);
    content.text = watch_page::video_text(title, page.description);
    content.published_at = content.published_at.or(page.published_at);
    if content.author_name.is_none() {
        content.author_name = page.channel_name;
    }
    if content.author_handle.is_none() {
        content.author_handle = page
            .channel_url
            .as_deref()
            .and_then(oembed::handle_from_channel_url);
    }
    if content.author_url.is_none() {
        content.author_url = page.channel_url;
    }
    content.raw.push(raw_body(&response));
    content
}

/// The embed's video id, checked to be the 11 URL-safe base64 characters YouTube uses (it goes
/// into request URLs).
fn video_id(embed: &EmbedRef) -> Result<&str, YoutubeError> {
    let id = embed.post_id.as_deref().unwrap_or_default();
    let valid = id.len() == 11
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if valid {
        Ok(id)
    } else {
        Err(YoutubeError::InvalidVideoId { id: id.to_owned() })
    }
}
