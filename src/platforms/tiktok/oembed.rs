//! TikTok's public oEmbed endpoint, the lighter of the two sources (the video page is behind
//! aggressive bot detection): caption, author name and handle, thumbnail. It has no date.
//!
//! A removed or private video answers 400/404 with TikTok's small JSON error object
//! (`{"code": …, "message": …}`): that is the gone signal. The same statuses with any other body
//! (an HTML error page from an edge or proxy, unrelated JSON) are transient, and so is anything
//! else that is not a readable 200 (rate limits, outages). A 200 is live only when it names the
//! video's caption, author or thumbnail.

use url::Url;

use super::error::TiktokError;
use crate::model::{MediaKind, MediaRef, PostContent, Resolution};
use crate::platforms::oembed_answer::OembedAnswer;
use crate::platforms::readers::{constant_url, non_empty, snippet};
use crate::platforms::source::Answer;
use crate::platforms::verdict::{self, Field, OwnBody};

/// The `source` name of verdicts read from this endpoint.
pub const SOURCE: &str = "tiktok-oembed";

/// What makes a 200 answer a live video: the recorded answer carries `title`, `author_name`,
/// `author_unique_id` and `thumbnail_url`. `embed_product_id` only repeats the id asked for.
const IDENTIFYING: &[Field] = &[Field::Text, Field::Author, Field::Media];

/// TikTok's own error answer, as recorded for a removed video:
/// `{"code":400,"message":"Something went wrong","data":{}}`. Only its keys are relied on.
const OWN_ERROR: &[OwnBody] = &[OwnBody::JsonWith(&["code", "message"])];

/// The oEmbed request for a post, in the shape of the captured request:
/// `https://www.tiktok.com/oembed?url=https%3A%2F%2Fwww.tiktok.com%2F%40USER%2Fvideo%2FID&format=json`.
pub fn oembed_url(post_url: &Url) -> Url {
    let mut url = constant_url("https://www.tiktok.com/oembed");
    url.query_pairs_mut()
        .append_pair("url", post_url.as_str())
        .append_pair("format", "json");
    url
}

/// Classify one oEmbed answer for the video `video_id` at `post_url` (pure: the response is
/// already fetched).
pub fn classify(response: &Answer, video_id: &str, post_url: &Url) -> Resolution {
    let transient = |evidence: String| Resolution::Transient {
        source: SOURCE.into(),
        evidence,
    };
    match response.status {
        200 => match OembedAnswer::from_json(&response.body) {
            Ok(answer) => read(answer, response, video_id, post_url),
            Err(source) => transient(
                TiktokError::OembedJson {
                    url: response.url.clone(),
                    source,
                }
                .to_string(),
            ),
        },
        // Only TikTok's own JSON error is a signal; an HTML error page from a proxy is not.
        status @ (400 | 404) => verdict::gone_if_own_answer(SOURCE, response, OWN_ERROR, || {
            format!("oEmbed HTTP {status}: {}", snippet(&response.body))
        }),
        status => transient(format!("oEmbed HTTP {status}: {}", snippet(&response.body))),
    }
}

/// A readable 200 answer: live when it describes this video.
fn read(answer: OembedAnswer, response: &Answer, video_id: &str, post_url: &Url) -> Resolution {
    if let Some(shown) = answer.embed_product_id.as_deref()
        && shown != video_id
    {
        return Resolution::Transient {
            source: SOURCE.into(),
            evidence: format!("oEmbed describes video {shown:?}, not {video_id:?}"),
        };
    }
    let (width, height) = answer.thumbnail_size();
    let title = non_empty(answer.title);
    let author_name = non_empty(answer.author_name);
    let author_url = non_empty(answer.author_url);
    let author_handle = non_empty(answer.author_unique_id)
        .or_else(|| author_url.as_deref().and_then(handle_from_profile_url));
    let content = PostContent {
        source: SOURCE.into(),
        author_name,
        author_handle,
        author_url,
        text: title,
        published_at: None,
        media: vec![MediaRef {
            kind: media_kind(post_url),
            url: post_url.to_string(),
            image_url: non_empty(answer.thumbnail_url),
            width,
            height,
            ..MediaRef::default()
        }],
        raw: vec![response.raw()],
        ..PostContent::default()
    };
    verdict::live(content, IDENTIFYING)
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
