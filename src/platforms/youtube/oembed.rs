//! YouTube's public oEmbed endpoint, the first and lightest source for a video: title (kept as
//! the snapshot's `title`), channel name and URL, thumbnail. It has no date and no description
//! (the watch page adds those, the description as the snapshot's `text`).
//!
//! Classification only ever calls a video gone on a 404 from this endpoint, and only when the
//! body is the endpoint's own plain-text "Not Found" (an HTML 404 from an edge or proxy is
//! transient). 401/403 mean "not embeddable" (private, or embedding disabled), which says nothing
//! about whether the video is still there, so they are transient and the resolver asks the watch
//! page. A 200 answer is live only when it names the video's title or channel.
//!
//! Playlists are read from the same endpoint, but no recorded answer shows what it says for a
//! deleted playlist, so for them a 404 is transient too.

use url::Url;

use super::addresses::{
    default_thumbnail, default_thumbnail_size, handle_from_channel_url, interstitial, playlist_url,
    watch_url,
};
use super::error::YoutubeError;
use crate::model::{MediaKind, MediaRef, PostContent, Resolution};
use crate::platforms::oembed_answer::OembedAnswer;
use crate::platforms::readers::{constant_url, non_empty, snippet};
use crate::platforms::source::Answer;
use crate::platforms::verdict::{self, Field, OwnBody};

/// The `source` name of verdicts read from this endpoint.
pub const SOURCE: &str = "youtube-oembed";

/// What makes a 200 answer a live video: every recorded answer carries `title`, `author_name`
/// and `author_url`. The thumbnail does not count: it follows from the video id alone.
const IDENTIFYING: &[Field] = &[Field::Text, Field::Author];

/// The endpoint's own 404 body, as recorded: the plain-text status phrase (served as
/// `text/html`, so the content type cannot tell it from an edge page).
const OWN_404: &[OwnBody] = &[OwnBody::Phrase("Not Found")];

/// What an oEmbed request asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item<'a> {
    /// A video, by its 11-character id.
    Video(&'a str),
    /// A playlist, by its list id.
    Playlist(&'a str),
}

impl Item<'_> {
    /// The item's canonical page: `watch?v=ID` or `playlist?list=ID`.
    pub fn page_url(self) -> Url {
        match self {
            Item::Video(id) => watch_url(id),
            Item::Playlist(list) => playlist_url(list),
        }
    }
}

/// The oEmbed request for a video, in the shape of the 2024 capture:
/// `https://www.youtube.com/oembed?format=json&url=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3DID`.
pub fn oembed_url(video_id: &str) -> Url {
    item_oembed_url(Item::Video(video_id))
}

/// The oEmbed request for any item, in the same shape as [`oembed_url`].
pub fn item_oembed_url(item: Item<'_>) -> Url {
    let mut url = constant_url("https://www.youtube.com/oembed");
    url.query_pairs_mut()
        .append_pair("format", "json")
        .append_pair("url", item.page_url().as_str());
    url
}

/// Classify one oEmbed answer for `video_id` (pure: the answer is already fetched).
pub fn classify(answer: &Answer, video_id: &str) -> Resolution {
    classify_item(answer, Item::Video(video_id))
}

/// Classify one oEmbed answer for a video or playlist (pure).
pub fn classify_item(answer: &Answer, item: Item<'_>) -> Resolution {
    let transient = |evidence: String| Resolution::Transient {
        source: SOURCE.into(),
        evidence,
    };
    if let Some(wall) = interstitial(&answer.url) {
        return transient(format!("oEmbed redirected to a {wall}: {}", answer.url));
    }
    match answer.status {
        200 => match parse(answer, item) {
            Ok(content) => verdict::live(content, IDENTIFYING),
            Err(e) => transient(e.to_string()),
        },
        404 if matches!(item, Item::Playlist(_)) => transient(format!(
            "playlist oEmbed HTTP 404 (not a confirmed deletion signal for playlists): {}",
            snippet(&answer.body)
        )),
        404 => verdict::gone_if_own_answer(SOURCE, answer, OWN_404, || {
            format!("oEmbed HTTP 404: {}", snippet(&answer.body))
        }),
        status @ (401 | 403) => transient(format!(
            "restricted (private or embedding disabled): HTTP {status}"
        )),
        status => transient(format!("oEmbed HTTP {status}: {}", snippet(&answer.body))),
    }
}

/// Read a 200 answer into the post's content.
fn parse(upstream: &Answer, item: Item<'_>) -> Result<PostContent, YoutubeError> {
    let answer =
        OembedAnswer::from_json(&upstream.body).map_err(|source| YoutubeError::OembedJson {
            url: upstream.url.clone(),
            source,
        })?;
    let (thumbnail_width, thumbnail_height) = answer.thumbnail_size();
    let (image_url, width, height) = match (non_empty(answer.thumbnail_url), item) {
        (Some(url), _) => (Some(url), thumbnail_width, thumbnail_height),
        (None, Item::Video(id)) => (
            Some(default_thumbnail(id)),
            Some(default_thumbnail_size().0),
            Some(default_thumbnail_size().1),
        ),
        (None, Item::Playlist(_)) => (None, None, None),
    };
    let author_url = non_empty(answer.author_url);
    Ok(PostContent {
        source: SOURCE.into(),
        author_name: non_empty(answer.author_name),
        author_handle: author_url.as_deref().and_then(handle_from_channel_url),
        author_url,
        title: non_empty(answer.title),
        text: None,
        published_at: None,
        media: vec![MediaRef {
            kind: MediaKind::Video,
            url: item.page_url().into(),
            image_url,
            width,
            height,
            ..MediaRef::default()
        }],
        raw: vec![upstream.raw()],
        ..PostContent::default()
    })
}
