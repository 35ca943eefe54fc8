//! YouTube's public oEmbed endpoint, the first and lightest source for a video: title (kept as
//! the snapshot's `title`), channel name and URL, thumbnail. It has no date and no description
//! (the watch page adds those, the description as the snapshot's `text`).
//!
//! Its answers go through the one oEmbed reader
//! ([`oembed_endpoint`](crate::platforms::oembed_endpoint)) with YouTube's table:
//!
//! - 404 is gone, and only in the endpoint's own plain-text "Not Found" (an HTML 404 from an
//!   edge or proxy is transient).
//! - 401/403 mean "not embeddable" (private, or embedding disabled), which says nothing about
//!   whether the video is still there: transient, and the resolver asks the watch page.
//! - A 200 is live only when it names the video's title or channel.
//!
//! Two rules are YouTube's own and come first: an answer that ended on a consent or captcha page
//! is about that page, not the video; and playlists, read from the same endpoint, have no
//! recorded answer showing what it says for a deleted one, so for them a 404 is transient too
//! ([`PLAYLIST`]).

use url::Url;

use super::addresses::{
    default_thumbnail, default_thumbnail_size, handle_from_channel_url, interstitial, playlist_url,
    watch_url,
};
use crate::model::{MediaKind, MediaRef, PostContent, Resolution};
use crate::platforms::oembed_endpoint::{Read, Reader, Status};
use crate::platforms::readers::constant_url;
use crate::platforms::source::Answer;
use crate::platforms::verdict::{Field, OwnBody};

/// The `source` name of verdicts read from this endpoint.
pub const SOURCE: &str = "youtube-oembed";

/// 401 and 403: the video may well be there.
const RESTRICTED: Status = Status::Transient("restricted (private or embedding disabled)");

/// How the endpoint's answers about a video are read.
pub const VIDEO: Reader = Reader {
    source: SOURCE,
    statuses: &[(404, Status::Gone), (401, RESTRICTED), (403, RESTRICTED)],
    // The endpoint's own 404 body, as recorded: the plain-text status phrase (served as
    // `text/html`, so the content type cannot tell it from an edge page).
    own_error: &[OwnBody::Phrase("Not Found")],
    // Every recorded answer carries `title`, `author_name` and `author_url`. The thumbnail does
    // not count: it follows from the video id alone.
    identifying: &[Field::Text, Field::Author],
    gone_means: "deleted, never existed, or its channel was terminated",
};

/// How its answers about a playlist are read: as a video's, but a 404 is no proof.
pub const PLAYLIST: Reader = Reader {
    statuses: &[
        (
            404,
            Status::Transient("not a confirmed deletion signal for playlists"),
        ),
        (401, RESTRICTED),
        (403, RESTRICTED),
    ],
    ..VIDEO
};

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
    if let Some(wall) = interstitial(&answer.url) {
        return Resolution::Transient {
            source: SOURCE.into(),
            evidence: format!("oEmbed redirected to a {wall}: {}", answer.url),
        };
    }
    let (reader, about) = match item {
        Item::Video(id) => (VIDEO, format!("video {id}")),
        Item::Playlist(list) => (PLAYLIST, format!("playlist {list}")),
    };
    reader.classify(answer, Some(&about), |read, _| content(read, item))
}

/// The item as the answer names it, its thumbnail as the poster. A video without one has the
/// default thumbnail every video has; a playlist gets none invented.
fn content(read: Read, item: Item<'_>) -> PostContent {
    let (image_url, width, height) = match (read.thumbnail, item) {
        (Some(thumbnail), _) => (thumbnail.image_url, thumbnail.width, thumbnail.height),
        (None, Item::Video(id)) => {
            let (width, height) = default_thumbnail_size();
            (Some(default_thumbnail(id)), Some(width), Some(height))
        }
        (None, Item::Playlist(_)) => (None, None, None),
    };
    PostContent {
        author_name: read.author_name,
        author_handle: read.author_url.as_deref().and_then(handle_from_channel_url),
        author_url: read.author_url,
        title: read.title,
        media: vec![MediaRef {
            kind: MediaKind::Video,
            url: item.page_url().into(),
            image_url,
            width,
            height,
            ..MediaRef::default()
        }],
        ..PostContent::default()
    }
}
