//! TikTok's public oEmbed endpoint, the lighter of the two sources (the video page is behind
//! aggressive bot detection): caption, author name and handle, thumbnail. It has no date.
//!
//! Its answers go through the one oEmbed reader
//! ([`oembed_endpoint`](crate::platforms::oembed_endpoint)) with TikTok's table: a removed or
//! private video answers 400 or 404 with TikTok's small JSON error object
//! (`{"code": …, "message": …}`), and that is the gone signal. The same statuses with any other
//! body (an HTML error page from an edge or proxy, unrelated JSON) are transient, and so is
//! anything else that is not a readable 200 (rate limits, outages). A 200 is live only when it
//! names the video's caption, author or thumbnail, and never when it describes another video.

use serde::Deserialize;
use url::Url;

use crate::model::{MediaKind, MediaRef, PostContent, Resolution};
use crate::platforms::oembed_endpoint::{Endpoint, Read, Reader, Reading, Status};
use crate::platforms::readers::non_empty;
use crate::platforms::source::Answer;
use crate::platforms::verdict::{Field, OwnBody};

/// The `source` name of verdicts read from this endpoint.
pub const SOURCE: &str = "tiktok-oembed";

/// The endpoint. 400 is TikTok's answer for a removed video as recorded, so it reads like 404.
pub const OEMBED: Endpoint = Endpoint {
    base: "https://www.tiktok.com/oembed",
    extra: &[("format", "json")],
    reader: Reader {
        source: SOURCE,
        statuses: &[(400, Status::Gone), (404, Status::Gone)],
        // TikTok's own error answers for a removed video: `{"code":400,"message":"Something
        // went wrong","data":{}}`, and the older `{"status_msg":"Something went wrong"}` that
        // downloaders quote as the answer for a missing video. Only their keys are relied on.
        own_error: &[
            OwnBody::JsonWith(&["code", "message"]),
            OwnBody::JsonWith(&["status_msg"]),
        ],
        // The recorded answer carries `title`, `author_name`, `author_unique_id` and
        // `thumbnail_url`. `embed_product_id` only repeats the id asked for.
        identifying: &[Field::Text, Field::Author, Field::Media],
        gone_means: "removed or private",
    },
};

/// TikTok's additions to the oEmbed answer that [`Read`] does not carry.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TiktokFields {
    /// The author's handle.
    author_unique_id: Option<String>,
    /// The id of the video the answer describes.
    embed_product_id: Option<String>,
}

/// The oEmbed request for a post, in the shape of the captured request:
/// `https://www.tiktok.com/oembed?url=https%3A%2F%2Fwww.tiktok.com%2F%40USER%2Fvideo%2FID&format=json`.
pub fn oembed_url(post_url: &Url) -> Url {
    OEMBED.url(post_url.as_str())
}

/// Classify one oEmbed answer for the video `video_id` at `post_url` (pure: the response is
/// already fetched).
pub fn classify(response: &Answer, video_id: &str, post_url: &Url) -> Resolution {
    OEMBED.classify(
        response,
        Some(&format!("video {video_id}")),
        |read, body| content(read, body, video_id, post_url),
    )
}

/// The video as the answer describes it, when it is this video.
fn content(read: Read, body: &[u8], video_id: &str, post_url: &Url) -> Reading {
    let extra = match serde_json::from_slice::<TiktokFields>(body) {
        Ok(x) => x,
        Err(e) => {
            return Reading::NotThePost(format!(
                "unreadable answer from {SOURCE} for video {video_id}: {e}"
            ));
        }
    };
    if let Some(shown) = extra.embed_product_id.as_deref()
        && shown != video_id
    {
        return Reading::NotThePost(format!(
            "answer from {SOURCE} is about video {shown:?}, not {video_id:?}"
        ));
    }
    let author_handle = non_empty(extra.author_unique_id)
        .map(|h| h.trim().to_owned())
        .or_else(|| read.author_url.as_deref().and_then(handle_from_profile_url));
    let (image_url, width, height) = match read.thumbnail {
        Some(t) => (t.image_url, t.width, t.height),
        None => (None, None, None),
    };
    Reading::Post(PostContent {
        author_name: read.author_name,
        author_handle,
        author_url: read.author_url,
        text: read.title,
        media: vec![MediaRef {
            kind: media_kind(post_url),
            url: post_url.to_string(),
            image_url,
            width,
            height,
            ..MediaRef::default()
        }],
        ..PostContent::default()
    })
}

/// A photo post (`/@USER/photo/ID`) shows images; everything else is a video.
pub(super) fn media_kind(post_url: &Url) -> MediaKind {
    let is_photo = post_url
        .path_segments()
        .is_some_and(|mut s| s.nth(1) == Some("photo"));
    if is_photo {
        MediaKind::Image
    } else {
        MediaKind::Video
    }
}

/// The handle of `https://www.tiktok.com/@USER`, without the `@`. TikTok's own rule, not the
/// shared [`handle_from_profile`](crate::platforms::oembed_endpoint::handle_from_profile): only a
/// segment that starts with `@` is an account (`/discover/cats` and `/tag/x` are not), and the
/// `@` is not part of the handle.
pub(super) fn handle_from_profile_url(profile_url: &str) -> Option<String> {
    let url = Url::parse(profile_url).ok()?;
    let handle = url.path_segments()?.next()?.strip_prefix('@')?;
    (!handle.is_empty()).then(|| handle.to_owned())
}
