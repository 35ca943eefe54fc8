//! The domain nouns every stage speaks: platforms, embeds found in articles, remnants of broken
//! embeds, resolved post content, stored images, snapshots and liveness outcomes.
//!
//! This module depends on nothing else in the crate. Stages pass these types to each other; they
//! never pass SQL rows or raw JSON values.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

mod archive;
mod diff;
mod document_base;
mod language;
pub mod markup;
pub mod nesting;
mod newsroom;
mod outcome;
pub mod start_tag;
mod timestamp;
mod typed_url;
mod web_archive;

pub use archive::{
    ArticleRecord, ArticleValidators, CheckWritten, ListedPost, PostFilter, PostRecord,
    StoredArticle, StoredEmbed, StoredSnapshot,
};
pub use diff::{
    AuthorField, Change, LineOp, MediaChange, MediaFacts, SnapshotDiff, SnapshotField,
    SnapshotStep, TextLine, diff, history,
};
pub use document_base::document_base;
pub use language::is_language_tag;
pub use newsroom::{NewsroomFilter, NewsroomRow, section_of};
pub use outcome::{
    ArticleError, ArticleOutcome, EmbedOutcome, PostCheck, PostError, PostView, status_may_pass,
};
pub use timestamp::rfc3339;
pub use typed_url::{
    TypedUrlError, article_key, looks_like_host, read_http_url, scheme_of, with_default_scheme,
    without_credentials, without_fragment, without_tracking,
};

/// A platform whose posts can be embedded in an article. The names are the lowercase ASCII
/// identifiers of the JSON and CLI contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Instagram,
    X,
    Tiktok,
    Youtube,
    Facebook,
    Threads,
    Bluesky,
    Mastodon,
    Reddit,
    Vimeo,
    Dailymotion,
    Spotify,
    Soundcloud,
    Pinterest,
    Tumblr,
    Imgur,
    Giphy,
    Twitch,
    Linkedin,
    /// Resolved through the generic oEmbed provider registry.
    Oembed,
    /// Resolved by scraping OpenGraph / JSON-LD from the post page.
    Page,
    ApplePodcasts,
    Bandcamp,
}

impl Platform {
    /// A platform name as a person types it (a flag, a query parameter): any ASCII case.
    /// Stored names are read exactly, by [`FromStr`].
    pub fn from_typed(name: &str) -> Option<Platform> {
        Platform::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(name))
    }

    /// Every platform name, comma-separated, for a message that lists the names to use.
    pub fn names() -> String {
        let names: Vec<&str> = Platform::ALL.iter().map(|p| p.as_str()).collect();
        names.join(", ")
    }

    /// Every platform, in the order of the contract's list; of those the list lacks, Dailymotion
    /// stands beside Vimeo (another video player) and Apple Podcasts and Bandcamp come last.
    pub const ALL: [Platform; 23] = [
        Platform::Instagram,
        Platform::X,
        Platform::Tiktok,
        Platform::Youtube,
        Platform::Facebook,
        Platform::Threads,
        Platform::Bluesky,
        Platform::Mastodon,
        Platform::Reddit,
        Platform::Vimeo,
        Platform::Dailymotion,
        Platform::Spotify,
        Platform::Soundcloud,
        Platform::Pinterest,
        Platform::Tumblr,
        Platform::Imgur,
        Platform::Giphy,
        Platform::Twitch,
        Platform::Linkedin,
        Platform::Oembed,
        Platform::Page,
        Platform::ApplePodcasts,
        Platform::Bandcamp,
    ];

    /// The contract name (`instagram`, `x`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Instagram => "instagram",
            Platform::X => "x",
            Platform::Tiktok => "tiktok",
            Platform::Youtube => "youtube",
            Platform::Facebook => "facebook",
            Platform::Threads => "threads",
            Platform::Bluesky => "bluesky",
            Platform::Mastodon => "mastodon",
            Platform::Reddit => "reddit",
            Platform::Vimeo => "vimeo",
            Platform::Dailymotion => "dailymotion",
            Platform::Spotify => "spotify",
            Platform::Soundcloud => "soundcloud",
            Platform::Pinterest => "pinterest",
            Platform::Tumblr => "tumblr",
            Platform::Imgur => "imgur",
            Platform::Giphy => "giphy",
            Platform::Twitch => "twitch",
            Platform::Linkedin => "linkedin",
            Platform::Oembed => "oembed",
            Platform::Page => "page",
            Platform::ApplePodcasts => "applepodcasts",
            Platform::Bandcamp => "bandcamp",
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not one of the contract's platform names.
#[derive(Debug, thiserror::Error)]
#[error("unknown platform name {0:?}")]
pub struct UnknownPlatform(pub String);

impl FromStr for Platform {
    type Err = UnknownPlatform;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Platform::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| UnknownPlatform(s.to_owned()))
    }
}

/// What an embed shows: one item (a post, a video, a track) or an account-level widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EmbedKind {
    Post,
    Video,
    Track,
    Album,
    Playlist,
    /// A podcast show or similar series.
    Show,
    Audio,
    Gif,
    /// A profile/account widget (not a post to archive).
    Profile,
    /// A timeline of one account's posts (not a post to archive).
    ProfileTimeline,
    /// A timeline of a list or collection (not a post to archive).
    ListTimeline,
}

impl EmbedKind {
    /// True for single items that can be archived as posts; false for widgets.
    pub fn is_post(self) -> bool {
        !matches!(
            self,
            EmbedKind::Profile | EmbedKind::ProfileTimeline | EmbedKind::ListTimeline
        )
    }

    /// The contract name (`post`, `profile-timeline`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            EmbedKind::Post => "post",
            EmbedKind::Video => "video",
            EmbedKind::Track => "track",
            EmbedKind::Album => "album",
            EmbedKind::Playlist => "playlist",
            EmbedKind::Show => "show",
            EmbedKind::Audio => "audio",
            EmbedKind::Gif => "gif",
            EmbedKind::Profile => "profile",
            EmbedKind::ProfileTimeline => "profile-timeline",
            EmbedKind::ListTimeline => "list-timeline",
        }
    }
}

impl fmt::Display for EmbedKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where in the page the embed markup sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Location {
    /// Ordinary markup a browser renders.
    Dom,
    /// Inside a `<textarea>` that a consent tool swaps in after a click.
    Textarea,
    /// HTML-escaped inside a data attribute (consent-gated or deferred).
    Attribute,
    /// Inside a JavaScript or JSON string literal.
    ScriptString,
}

impl Location {
    /// The contract name (`dom`, `textarea`, `attribute`, `script-string`).
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Dom => "dom",
            Location::Textarea => "textarea",
            Location::Attribute => "attribute",
            Location::ScriptString => "script-string",
        }
    }
}

/// A post's identity: the platform and its id there (shortcode, snowflake, video id, ...).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PostKey {
    pub platform: Platform,
    pub post_id: String,
}

/// What a platform recogniser makes of a URL: which platform, what kind of thing, its id and the
/// canonical URL under which the archive keys it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognised {
    pub platform: Platform,
    pub kind: EmbedKind,
    /// `None` for widgets (profiles, timelines), which have no post id.
    pub post_id: Option<String>,
    pub canonical_url: String,
}

/// One embed found in an article, with what its own markup says about the post (read without
/// any network access).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmbedRef {
    pub platform: Platform,
    pub kind: EmbedKind,
    /// Canonical post URL (tracking parameters stripped, host normalised).
    pub post_url: String,
    /// Platform post id; `None` for widgets.
    pub post_id: Option<String>,
    pub location: Location,
    /// Which markup form it was found in, e.g. `blockquote.instagram-media`, `iframe`, `amp-twitter`.
    pub evidence: String,
    /// The original markup of the embed, capped in length.
    #[serde(skip)]
    pub markup: String,
    pub author_name: Option<String>,
    pub author_handle: Option<String>,
    pub text: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
}

impl EmbedRef {
    /// The post's identity, or `None` for widgets without a post id.
    pub fn key(&self) -> Option<PostKey> {
        self.post_id.as_ref().map(|id| PostKey {
            platform: self.platform,
            post_id: id.clone(),
        })
    }
}

/// Text that an embed decayed into once its script stopped rendering it, e.g.
/// "View this post on Instagram … A post shared by NAME (@handle) on …".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Remnant {
    pub platform: Platform,
    pub author_name: Option<String>,
    pub author_handle: Option<String>,
    /// The remnant text as found (whitespace collapsed).
    pub text: String,
}

/// An image or video attached to a post, as a platform source describes it (not yet downloaded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaKind {
    #[default]
    Image,
    Video,
}

impl MediaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Video => "video",
        }
    }
}

/// A media item named by a platform answer. Construct with `..MediaRef::default()` so that
/// fields a source does not give stay `None`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MediaRef {
    pub kind: MediaKind,
    /// The item's own URL (the image, or the video file/page).
    pub url: String,
    /// The image to thumbnail: the image itself, or a video's poster frame. Kept with the
    /// snapshot (`poster_url` for videos) so a later check can tell a swapped image from a
    /// re-encoded one.
    pub image_url: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// The alt text the platform gives for the item, if any.
    pub alt: Option<String>,
}

/// A raw upstream answer kept with a snapshot as evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawBody {
    pub url: String,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// What a live post says and shows, as read from one platform source.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PostContent {
    /// The source that answered, e.g. `instagram-embed`, `x-syndication`, `youtube-oembed`.
    pub source: String,
    pub author_name: Option<String>,
    pub author_handle: Option<String>,
    pub author_url: Option<String>,
    /// The title of a video, article, podcast episode or long post, kept apart from `text`.
    pub title: Option<String>,
    /// The caption, post body or description.
    pub text: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    /// The post's language as the platform states it (BCP 47, e.g. `en`, `pt-BR`).
    pub lang: Option<String>,
    /// For a reply: the URL of the post it answers.
    pub reply_to: Option<String>,
    /// For a quote: the URL of the post it quotes.
    pub quote_of: Option<String>,
    pub media: Vec<MediaRef>,
    pub raw: Vec<RawBody>,
}

/// The verdict of resolving a post from its platform sources.
// One is made per post checked and moved a few times: the size of `Live` costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// The post is there; here is what it says.
    Live(PostContent),
    /// A positive signal that the post no longer exists or is no longer public.
    Gone { source: String, evidence: String },
    /// Nothing can be concluded now (rate limit, 5xx, login wall, unparseable answer).
    Transient { source: String, evidence: String },
    /// The platform is recognised but has no resolver yet.
    Unsupported,
}

impl Resolution {
    /// A gone verdict of `source`, on `evidence`.
    pub fn gone(source: &str, evidence: impl Into<String>) -> Resolution {
        Resolution::Gone {
            source: source.to_owned(),
            evidence: evidence.into(),
        }
    }

    /// A transient verdict of `source`, on `evidence`.
    pub fn transient(source: &str, evidence: impl Into<String>) -> Resolution {
        Resolution::Transient {
            source: source.to_owned(),
            evidence: evidence.into(),
        }
    }

    /// The liveness outcome this resolution counts as, `None` when nothing was checked.
    pub fn outcome(&self) -> Option<CheckOutcome> {
        match self {
            Resolution::Live(_) => Some(CheckOutcome::Live),
            Resolution::Gone { .. } => Some(CheckOutcome::Gone),
            Resolution::Transient { .. } => Some(CheckOutcome::Transient),
            Resolution::Unsupported => None,
        }
    }
}

/// A thumbnail made from a media image, addressed by the sha256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredImage {
    /// Lowercase hex sha256 of `bytes`.
    pub sha256: String,
    pub width: u32,
    pub height: u32,
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// A media item of a snapshot, with its thumbnail when one could be made.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Media {
    pub kind: MediaKind,
    pub url: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// The alt text the platform gives for the item.
    pub alt: Option<String>,
    /// The image the thumbnail was made from: the image itself, or a video's poster frame.
    /// Recorded so that a later check can tell a swapped image from a re-encoded one.
    pub poster_url: Option<String>,
    pub thumbnail: Option<StoredImage>,
    /// The downloaded image itself, kept only with `store.keep_originals` (and only when it
    /// decoded as an image within the limits). `width`/`height` are its displayed size.
    pub original: Option<StoredImage>,
    /// Why no thumbnail could be made (bomb, truncated file, not an image, fetch error).
    pub error: Option<String>,
}

/// One distinct content of a post, ready to store.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    pub fetched_at: DateTime<Utc>,
    pub source: String,
    pub author_name: Option<String>,
    pub author_handle: Option<String>,
    pub author_url: Option<String>,
    /// The title of a video, article or long post, apart from `text`.
    pub title: Option<String>,
    pub text: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    /// The language the platform states (BCP 47).
    pub lang: Option<String>,
    /// For a reply: the URL of the post it answers.
    pub reply_to: Option<String>,
    /// For a quote: the URL of the post it quotes.
    pub quote_of: Option<String>,
    pub media: Vec<Media>,
    pub raw: Vec<RawBody>,
}

/// Which fields [`Snapshot::content_sha256`] covers. Version 1 (author, text, date, media kind,
/// size and URL) is what archives written before title, language, reply and quote targets, alt
/// text and poster URLs were recorded hold; version 2 adds them.
pub const CONTENT_VERSION: u32 = 2;

impl Snapshot {
    /// The sha256 (hex) of the snapshot's normalised content: what a reader sees, independent of
    /// when and from which source it was fetched. Media count by kind, dimensions and their URL
    /// without the query: signed CDN URLs change their query on every fetch, and whether a
    /// thumbnail could be made this time is not a change of the post.
    ///
    /// Title, language, reply and quote targets, alt text and a poster URL other than the item's
    /// own URL are hashed after the version-1 fields, and only when the snapshot has any of
    /// them: content without them hashes exactly as [`Snapshot::legacy_content_sha256`], so a
    /// post that has none (most platforms' answers) matches its snapshots of any version.
    pub fn content_sha256(&self) -> String {
        self.hash(true)
    }

    /// The content hash of version 1, which archives written before the version-2 fields
    /// existed hold: what a stored version-1 snapshot is compared with.
    pub fn legacy_content_sha256(&self) -> String {
        self.hash(false)
    }

    /// The content hash of content version `version` (see `CONTENT_VERSION`): what a snapshot
    /// stored at that version is compared by.
    pub fn content_sha256_at(&self, version: u32) -> String {
        self.hash(version >= CONTENT_VERSION)
    }

    fn hash(&self, with_version_2_fields: bool) -> String {
        let mut h = Sha256::new();
        for part in [
            normalise(&self.author_name),
            normalise(&self.author_handle),
            normalise(&self.author_url),
            normalise(&self.text),
            self.published_at
                .map(|d| d.to_rfc3339())
                .unwrap_or_default(),
        ] {
            h.update(part.as_bytes());
            h.update([0u8]);
        }
        for m in &self.media {
            h.update(
                format!(
                    "{}|{}|{}|{}",
                    m.kind.as_str(),
                    m.width.unwrap_or(0),
                    m.height.unwrap_or(0),
                    url_without_query(&m.url)
                )
                .as_bytes(),
            );
            h.update([0u8]);
        }
        if with_version_2_fields {
            let mut parts = vec![
                normalise(&self.title),
                normalise(&self.lang).to_ascii_lowercase(),
                normalise(&self.reply_to),
                normalise(&self.quote_of),
            ];
            for m in &self.media {
                parts.push(normalise(&m.alt));
                parts.push(m.distinct_poster().unwrap_or_default().to_owned());
            }
            if parts.iter().any(|p| !p.is_empty()) {
                // A marker keeps these parts from ever reading as more media items.
                h.update(b"v2");
                h.update([0u8]);
                for part in parts {
                    h.update(part.as_bytes());
                    h.update([0u8]);
                }
            }
        }
        hex::encode(h.finalize())
    }

    /// True when this snapshot says nothing that `richer` does not: every field it has equals
    /// `richer`'s (its text may be a leading part of `richer`'s), and each of its media items is
    /// among `richer`'s. Such an answer is a degraded view of the same post (a second source
    /// with fewer fields, an enrichment that failed this time) and must not displace the richer
    /// snapshot as the post's latest content.
    pub fn is_subsumed_by(&self, richer: &Snapshot) -> bool {
        let same =
            |a: &Option<String>, b: &Option<String>| a.is_none() || normalise(a) == normalise(b);
        let text_ok = match (&self.text, &richer.text) {
            (None, _) => true,
            (Some(_), None) => false,
            // Another source may write the same links in another form; the same source
            // writing a link otherwise has changed it.
            (Some(_), Some(_)) if self.source != richer.source => {
                without_links(&richer.text).starts_with(&without_links(&self.text))
            }
            (Some(_), Some(_)) => normalise(&richer.text).starts_with(&normalise(&self.text)),
        };
        let date_ok = self.published_at.is_none() || self.published_at == richer.published_at;
        // The source that gave the richer snapshot, now giving the same whole text under the same
        // author with fewer media, answered in full: the author removed a picture. A degraded
        // answer loses text or fields with its media.
        let whole_answer = self.source == richer.source
            && self.text.is_some()
            && normalise(&self.text) == normalise(&richer.text)
            && self.author_name.is_some()
            && normalise(&self.author_name) == normalise(&richer.author_name);
        let media_ok = !(whole_answer && self.media.len() < richer.media.len())
            && self.media.iter().all(|m| {
                richer.media.iter().any(|r| {
                    r.kind == m.kind
                        && url_without_query(&r.url) == url_without_query(&m.url)
                        && same(&m.alt, &r.alt)
                        && (m.distinct_poster().is_none()
                            || m.distinct_poster() == r.distinct_poster())
                })
            });
        let lang_ok = self.lang.is_none()
            || normalise(&self.lang).eq_ignore_ascii_case(&normalise(&richer.lang));
        same(&self.author_name, &richer.author_name)
            && same(&self.author_handle, &richer.author_handle)
            && same(&self.author_url, &richer.author_url)
            && same(&self.title, &richer.title)
            && same(&self.reply_to, &richer.reply_to)
            && same(&self.quote_of, &richer.quote_of)
            && lang_ok
            && text_ok
            && date_ok
            && media_ok
    }
}

impl Media {
    /// The poster URL without its query, when it is not the item's own URL: an image's poster
    /// is usually the image itself, which `url` already says.
    fn distinct_poster(&self) -> Option<&str> {
        let poster = url_without_query(self.poster_url.as_deref()?);
        (poster != url_without_query(&self.url)).then_some(poster)
    }
}

/// Whitespace collapsed; empty for `None`.
fn normalise(s: &Option<String>) -> String {
    s.as_deref()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// The text's words without its web addresses (a link, X's `pic.twitter.com/…` photo link,
/// Bluesky's shortened `github.com/someone…`): sources write the same post's links differently
/// (a t.co link, the address behind it, a short form, none at all), so links alone never make
/// one reading say more than another. A word with a dot and a slash is an address only when it
/// is cut with an ellipsis: `Node.js/Express` is words.
fn without_links(s: &Option<String>) -> String {
    let is_link = |w: &&str| {
        let w = w
            .trim_start_matches(|c: char| "([<{\"'".contains(c))
            .trim_end_matches(|c: char| ")]>},;:!?\"'".contains(c))
            .to_ascii_lowercase();
        if ["http://", "https://", "pic.twitter.com/", "pic.x.com/"]
            .iter()
            .any(|p| w.starts_with(p))
        {
            return true;
        }
        let Some(cut) = w.strip_suffix("...").or_else(|| w.strip_suffix('…')) else {
            return false;
        };
        // A host name and a path: `example.com/…`.
        cut.split_once('/').is_some_and(|(host, _)| {
            let labels: Vec<&str> = host.split('.').collect();
            labels.len() > 1
                && labels.iter().all(|l| {
                    !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                })
                && labels.last().is_some_and(|tld| {
                    tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())
                })
        })
    };
    s.as_deref()
        .map(|t| {
            t.split_whitespace()
                .filter(|w| !is_link(w))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

pub(crate) fn url_without_query(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or_default()
}

/// A post's liveness status as the contract names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PostStatus {
    Live,
    /// Gone answers seen, but not yet enough of them over enough time.
    Suspect,
    Gone,
    /// Never checked successfully (or the platform has no resolver yet).
    Unknown,
}

impl PostStatus {
    /// Every status, in the order listings and `db stats` give them.
    pub const ALL: [PostStatus; 4] = [
        PostStatus::Live,
        PostStatus::Suspect,
        PostStatus::Gone,
        PostStatus::Unknown,
    ];

    /// A status name as a person types it (a flag, a query parameter): any ASCII case.
    /// Stored names are read exactly, by [`FromStr`].
    pub fn from_typed(name: &str) -> Option<PostStatus> {
        PostStatus::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(name))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PostStatus::Live => "live",
            PostStatus::Suspect => "suspect",
            PostStatus::Gone => "gone",
            PostStatus::Unknown => "unknown",
        }
    }
}

impl fmt::Display for PostStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PostStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "live" => Ok(PostStatus::Live),
            "suspect" => Ok(PostStatus::Suspect),
            "gone" => Ok(PostStatus::Gone),
            "unknown" => Ok(PostStatus::Unknown),
            other => Err(format!("unknown post status {other:?}")),
        }
    }
}

/// The outcome of one liveness check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckOutcome {
    Live,
    Gone,
    Transient,
}

impl CheckOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckOutcome::Live => "live",
            CheckOutcome::Gone => "gone",
            CheckOutcome::Transient => "transient",
        }
    }
}

impl FromStr for CheckOutcome {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "live" => Ok(CheckOutcome::Live),
            "gone" => Ok(CheckOutcome::Gone),
            "transient" => Ok(CheckOutcome::Transient),
            other => Err(format!("unknown check outcome {other:?}")),
        }
    }
}

/// A post's liveness bookkeeping: its status and the run of gone answers behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LivenessState {
    pub status: PostStatus,
    /// Gone answers in a row (reset by a live answer; transient answers leave it alone).
    pub gone_streak: u32,
    /// When the current run of gone answers started.
    pub first_gone_at: Option<DateTime<Utc>>,
    /// When the post was last seen live.
    pub last_live_at: Option<DateTime<Utc>>,
    /// Set when a gone post answered live again.
    pub revived_at: Option<DateTime<Utc>>,
}

impl Default for LivenessState {
    fn default() -> Self {
        LivenessState {
            status: PostStatus::Unknown,
            gone_streak: 0,
            first_gone_at: None,
            last_live_at: None,
            revived_at: None,
        }
    }
}

/// One liveness check as recorded in the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckRecord {
    pub at: DateTime<Utc>,
    pub outcome: CheckOutcome,
    /// The source that answered (`x-syndication`, ...).
    pub source: String,
    /// What the answer said, e.g. `HTTP 404`, `TweetTombstone`, `login wall`.
    pub evidence: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_names_round_trip() {
        for p in Platform::ALL {
            assert_eq!(p.as_str().parse::<Platform>().ok(), Some(p));
            assert_eq!(serde_json::to_string(&p).ok(), Some(format!("\"{p}\"")));
        }
        assert!("twitter".parse::<Platform>().is_err());
    }

    #[test]
    fn location_names_match_the_json_contract() {
        for l in [
            Location::Dom,
            Location::Textarea,
            Location::Attribute,
            Location::ScriptString,
        ] {
            assert_eq!(
                serde_json::to_string(&l).ok(),
                Some(format!("\"{}\"", l.as_str()))
            );
        }
    }

    fn snapshot(text: &str, media_url: &str) -> Snapshot {
        Snapshot {
            fetched_at: Utc::now(),
            source: "test".into(),
            author_name: Some("Name".into()),
            author_handle: Some("handle".into()),
            author_url: None,
            text: Some(text.into()),
            published_at: None,
            media: vec![Media {
                kind: MediaKind::Image,
                url: media_url.into(),
                width: Some(10),
                height: Some(10),
                thumbnail: None,
                original: None,
                error: None,
                ..Default::default()
            }],
            raw: vec![],
            ..Default::default()
        }
    }

    #[test]
    fn a_degraded_answer_is_subsumed_by_the_richer_snapshot() {
        let rich = snapshot(
            "Title\n\nLong description",
            "https://cdn.example/a.jpg?oe=1",
        );
        let mut poor = snapshot("Title", "https://cdn.example/a.jpg?oe=2");
        poor.media.clear();
        poor.author_name = None;
        assert!(poor.is_subsumed_by(&rich));
        assert!(!rich.is_subsumed_by(&poor));
        let edited = snapshot("Another title", "https://cdn.example/a.jpg");
        assert!(!edited.is_subsumed_by(&rich));
        // The same source giving the same text under the same author without a picture it
        // listed: the author removed the picture.
        let mut removed = rich.clone();
        removed.media.clear();
        assert!(!removed.is_subsumed_by(&rich));
        let mut two = rich.clone();
        two.media.push(Media {
            url: "https://cdn.example/b.jpg".into(),
            ..rich.media[0].clone()
        });
        assert!(!rich.is_subsumed_by(&two));
        let mut moved = snapshot("Title", "https://cdn.example/b.jpg");
        moved.author_name = None;
        assert!(!moved.is_subsumed_by(&rich));
        // X's oEmbed writes a post's links as t.co links and its photo as a pic.twitter.com
        // link, where syndication wrote the addresses behind them: the same post.
        let syndication = snapshot(
            "Read this: https://example.com/story\n\nNice.",
            "https://cdn.example/a.jpg",
        );
        let mut oembed = snapshot(
            "Read this: https://t.co/abc\n\nNice. pic.twitter.com/xyz",
            "https://cdn.example/a.jpg",
        );
        oembed.media.clear();
        oembed.source = "x-oembed".into();
        assert!(oembed.is_subsumed_by(&syndication));
        // The same source writing a link otherwise has changed it.
        let mut relinked = syndication.clone();
        relinked.text = Some("Read this: https://example.com/corrected\n\nNice.".into());
        assert!(!relinked.is_subsumed_by(&syndication));
        // Words with dots and slashes are words: an edit between them is an edit.
        let mut express = snapshot("Moving from Node.js/Express", "https://cdn.example/a.jpg");
        express.media.clear();
        let mut koa = snapshot("Moving from Node.js/Koa", "https://cdn.example/a.jpg");
        koa.media.clear();
        koa.source = "another".into();
        assert!(!express.is_subsumed_by(&koa));
        // Bluesky's page shows a link shortened, its API the whole address.
        let api = snapshot(
            "Template (https://github.com/someone/tufte) here.",
            "https://cdn.example/a.jpg",
        );
        let mut page = snapshot(
            "Template (github.com/someo...) here.",
            "https://cdn.example/a.jpg",
        );
        page.media.clear();
        page.source = "page".into();
        assert!(page.is_subsumed_by(&api));
        let mut reworded = oembed.clone();
        reworded.text = Some("Read that: https://t.co/abc".into());
        assert!(!reworded.is_subsumed_by(&syndication));
    }

    #[test]
    fn content_hash_ignores_whether_a_thumbnail_was_made() {
        let a = snapshot("t", "https://cdn.example/a.jpg?oe=1");
        let mut b = a.clone();
        b.media[0].thumbnail = Some(StoredImage {
            sha256: "ab".into(),
            width: 1,
            height: 1,
            mime: "image/webp".into(),
            bytes: vec![1],
        });
        assert_eq!(a.content_sha256(), b.content_sha256());
    }

    #[test]
    fn content_without_version_2_fields_hashes_as_version_1() {
        let mut a = snapshot("t", "https://cdn.example/a.jpg?oe=1");
        assert_eq!(a.content_sha256(), a.legacy_content_sha256());
        // An image's poster is the image itself: nothing more to say, same hash.
        a.media[0].poster_url = Some("https://cdn.example/a.jpg?oe=2".into());
        assert_eq!(a.content_sha256(), a.legacy_content_sha256());
    }

    #[test]
    fn title_language_alt_and_poster_are_content() {
        let base = snapshot("t", "https://cdn.example/v.mp4");
        let variants: Vec<fn(&mut Snapshot)> = vec![
            |s| s.title = Some("A title".into()),
            |s| s.lang = Some("en".into()),
            |s| s.reply_to = Some("https://x.com/a/status/1".into()),
            |s| s.quote_of = Some("https://x.com/a/status/2".into()),
            |s| s.media[0].alt = Some("A dog".into()),
            |s| s.media[0].poster_url = Some("https://cdn.example/poster.jpg".into()),
        ];
        let mut seen = vec![base.content_sha256()];
        for change in variants {
            let mut s = base.clone();
            change(&mut s);
            assert_eq!(s.legacy_content_sha256(), base.content_sha256());
            let h = s.content_sha256();
            assert!(!seen.contains(&h), "{s:?}");
            seen.push(h);
        }
        // A swapped poster image is a change; a re-signed URL of the same one is not.
        let mut a = base.clone();
        a.media[0].poster_url = Some("https://cdn.example/p1.jpg?sig=1".into());
        let mut b = a.clone();
        b.media[0].poster_url = Some("https://cdn.example/p1.jpg?sig=2".into());
        assert_eq!(a.content_sha256(), b.content_sha256());
        b.media[0].poster_url = Some("https://cdn.example/p2.jpg?sig=2".into());
        assert_ne!(a.content_sha256(), b.content_sha256());
        // Language tags are case-insensitive.
        let (mut en, mut en_upper) = (base.clone(), base.clone());
        en.lang = Some("pt-BR".into());
        en_upper.lang = Some("pt-br".into());
        assert_eq!(en.content_sha256(), en_upper.content_sha256());
    }

    #[test]
    fn an_answer_without_the_title_is_subsumed_but_a_different_title_is_not() {
        let mut rich = snapshot("body", "https://cdn.example/a.jpg");
        rich.title = Some("Title".into());
        rich.lang = Some("en".into());
        rich.media[0].alt = Some("A dog".into());
        let poor = snapshot("body", "https://cdn.example/a.jpg");
        assert!(poor.is_subsumed_by(&rich));
        let mut retitled = rich.clone();
        retitled.title = Some("Another title".into());
        assert!(!retitled.is_subsumed_by(&rich));
        let mut realt = rich.clone();
        realt.media[0].alt = Some("A cat".into());
        assert!(!realt.is_subsumed_by(&rich));
        let mut relang = rich.clone();
        relang.lang = Some("fr".into());
        assert!(!relang.is_subsumed_by(&rich));
    }

    #[test]
    fn content_hash_ignores_whitespace_and_signed_query() {
        let a = snapshot("hello  world\n", "https://cdn.example/a.jpg?oe=1");
        let b = snapshot("hello world", "https://cdn.example/a.jpg?oe=2");
        assert_eq!(a.content_sha256(), b.content_sha256());
        let c = snapshot("hello there", "https://cdn.example/a.jpg?oe=2");
        assert_ne!(a.content_sha256(), c.content_sha256());
    }
}
