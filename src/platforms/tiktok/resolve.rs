//! tiktok resolver: reads a post from its public sources and classifies each answer.
//!
//! The order: oEmbed first (lighter, less bot-walled). When it says live, the video page adds
//! the publication date; a failing page never changes that verdict. When oEmbed cannot decide,
//! the page's verdict stands. When oEmbed says the video is gone, the page is not asked. It
//! never fetches anything but through the shared [`Fetch`], and never calls a video gone without
//! a positive signal.

use url::Url;

use super::error::TiktokError;
use super::is_user;
use super::oembed;
use super::rehydration::{self, VideoPage, profile_url};
use crate::model::{EmbedRef, PostContent, Resolution};
use crate::platforms::ResolveContext;
use crate::platforms::page_fallback::{NotLive, PostPage, oembed_then_page};
use crate::platforms::source::{self, Answer, Fetch};
use crate::platforms::url_util::{host_within, is_digits};

/// The `source` of a verdict that combines the oEmbed answer with the video page.
pub const SOURCE_ENRICHED: &str = "tiktok-oembed+page";

/// Resolve one tiktok post.
pub async fn resolve(ctx: &ResolveContext<'_>, embed: &EmbedRef) -> Resolution {
    resolve_with(ctx.http, embed).await
}

/// [`resolve`] against any fetcher.
pub(crate) async fn resolve_with<F: Fetch>(fetcher: &F, embed: &EmbedRef) -> Resolution {
    let (video_id, post_url) = match checked_input(embed) {
        Ok(input) => input,
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
        &oembed::oembed_url(&post_url),
        |answer| oembed::classify(answer, video_id, &post_url),
    )
    .await;
    let page = Page {
        video_id,
        post_url: &post_url,
        handle: embed.author_handle.as_deref(),
    };
    oembed_then_page(oembed_verdict, &page, fetcher).await
}

/// The video page as the second source: it adds the creation time (and anything oEmbed left out)
/// to a live oEmbed answer, and decides when oEmbed cannot.
struct Page<'a> {
    video_id: &'a str,
    post_url: &'a Url,
    /// The handle the article's markup named, if any.
    handle: Option<&'a str>,
}

impl PostPage for Page<'_> {
    type Page = VideoPage;
    const SOURCE: &'static str = rehydration::SOURCE;
    const ENRICHED_SOURCE: &'static str = SOURCE_ENRICHED;
    const LABEL: &'static str = "video page";

    fn post_id(&self) -> &str {
        self.video_id
    }

    fn fallback_url(&self) -> Url {
        page_url(self.post_url, self.video_id, self.handle)
    }

    /// oEmbed's handle first: it names the video's author even when the markup did not.
    fn enrich_url(&self, oembed: &PostContent) -> Url {
        let handle = oembed.author_handle.as_deref().or(self.handle);
        page_url(self.post_url, self.video_id, handle)
    }

    fn classify(&self, answer: &Answer) -> Resolution {
        rehydration::classify(answer, self.video_id, self.post_url)
    }

    fn read(&self, answer: &Answer) -> Result<VideoPage, NotLive> {
        rehydration::read(answer, self.video_id)
    }

    fn merge(&self, content: &mut PostContent, page: VideoPage) {
        content.published_at = content.published_at.or(page.published_at);
        content.lang = content.lang.take().or(page.lang);
        content.text = content.text.take().or(page.caption);
        content.author_name = content.author_name.take().or(page.author_name);
        if content.author_url.is_none() {
            content.author_url = page.author_handle.as_deref().map(profile_url);
        }
        content.author_handle = content.author_handle.take().or(page.author_handle);
    }
}

/// The video page to read: the post URL when it names the user (`/@USER/video/ID`); for the
/// user-less embed form (`/embed/v2/ID`, whose page carries no rehydration data) the video page
/// of the handle that oEmbed or the article's markup named, when there is one.
fn page_url(post_url: &Url, video_id: &str, handle: Option<&str>) -> Url {
    let names_user = post_url
        .path_segments()
        .and_then(|mut s| s.next())
        .is_some_and(|first| first.len() > 1 && first.starts_with('@'));
    if names_user {
        return post_url.clone();
    }
    let handle = handle
        .map(|h| h.trim_start_matches('@'))
        .filter(|h| is_user(h));
    handle
        .and_then(|h| Url::parse(&format!("https://www.tiktok.com/@{h}/video/{video_id}")).ok())
        .unwrap_or_else(|| post_url.clone())
}

/// The embed's video id (TikTok's decimal id) and its post URL, checked before they go into
/// request URLs.
fn checked_input(embed: &EmbedRef) -> Result<(&str, Url), TiktokError> {
    let id = embed.post_id.as_deref().unwrap_or_default();
    if !is_digits(id, 22) {
        return Err(TiktokError::InvalidVideoId { id: id.to_owned() });
    }
    let invalid = |reason: String| TiktokError::InvalidPostUrl {
        url: embed.post_url.clone(),
        reason,
    };
    let post_url = Url::parse(&embed.post_url).map_err(|e| invalid(e.to_string()))?;
    let host = post_url.host_str().unwrap_or_default();
    if post_url.scheme() != "https" || !host_within(host, "tiktok.com") {
        return Err(invalid("not an https tiktok.com URL".into()));
    }
    if !post_url.path().contains(id) {
        return Err(invalid(format!("the path does not name video {id}")));
    }
    Ok((id, post_url))
}
