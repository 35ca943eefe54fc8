//! The files of `embedkeep export --static DIR`: per post a card page and its media, and an
//! `index.json` listing every post, laid out so the folder can be copied to a CDN or any static
//! host as it is. Every link between the files is relative:
//!
//! ```text
//! index.json
//! cards/<archive id>.html        the card as a whole page (oEmbed discovery link when known)
//! media/<sha256>.<ext>           thumbnails and kept originals, content-addressed
//! ```
//!
//! It formats only: the caller reads the archive and writes the files. Card pages are
//! [`card_page`](super::card_page)s; the card names a thumbnail as `<media base><sha256>`, which
//! here becomes `../media/<sha256>.<ext>` (see [`card_file`]).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::card::{CardInput, card_page};
use super::links;
use crate::model::{Platform, PostRecord, PostStatus, StoredImage, StoredSnapshot, rfc3339};

/// The index's name in the export folder.
pub const INDEX_FILE: &str = "index.json";

/// The card pages' folder and the media folder.
pub const CARDS_DIR: &str = "cards";
pub const MEDIA_DIR: &str = "media";

/// A media base no real card uses: the card names its thumbnail `src="<this><sha256>"`, which
/// [`card_file`] then points at the media folder. It is a path on the card's own site, so the
/// card accepts it; the only place it can appear inside a `src="…"` is the thumbnail, because
/// every text from a platform reaches the card HTML-escaped (no raw `"`).
const MEDIA_PLACEHOLDER: &str = "/.embedkeep-export-media/";

/// The file extension of a stored image type.
pub fn extension(mime: &str) -> &'static str {
    match mime.split(';').next().map(str::trim).unwrap_or_default() {
        "image/webp" => "webp",
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/avif" => "avif",
        _ => "bin",
    }
}

/// Where a stored image goes in the export, relative to its root: `media/<sha256>.<ext>`.
/// `None` for a name that is not a sha256 (never a path outside `media/`).
pub fn media_path(image: &StoredImage) -> Option<String> {
    links::is_sha256(&image.sha256)
        .then(|| format!("{MEDIA_DIR}/{}.{}", image.sha256, extension(&image.mime)))
}

/// Where a post's card page goes, relative to the export's root: `cards/<archive id>.html`.
pub fn card_path(post: &PostRecord) -> String {
    format!("{CARDS_DIR}/{}.html", post.id)
}

/// The images a post's export carries: the thumbnails and kept originals of its latest
/// snapshot, each once, in order.
pub fn media_of(snapshot: Option<&StoredSnapshot>) -> Vec<&StoredImage> {
    let mut seen = std::collections::HashSet::new();
    snapshot
        .map(|s| s.snapshot.media.as_slice())
        .unwrap_or_default()
        .iter()
        .flat_map(|m| [m.thumbnail.as_ref(), m.original.as_ref()])
        .flatten()
        .filter(|image| links::is_sha256(&image.sha256) && seen.insert(image.sha256.clone()))
        .collect()
}

/// A post's card page, its thumbnail linked as `../media/<sha256>.<ext>`. With `oembed_url`
/// (an absolute URL of the server's oEmbed answer for this post) the page names it in its
/// discovery `<link>`.
pub fn card_file(
    post: &PostRecord,
    snapshot: Option<&StoredSnapshot>,
    oembed_url: Option<&str>,
) -> String {
    let page = card_page(
        &CardInput {
            post,
            snapshot,
            media_base: MEDIA_PLACEHOLDER,
            archived_on: None,
            markup: None,
        },
        oembed_url,
    );
    let mut page = page;
    for image in media_of(snapshot) {
        if let Some(path) = media_path(image) {
            page = page.replace(
                &format!("src=\"{MEDIA_PLACEHOLDER}{}\"", image.sha256),
                &format!("src=\"../{path}\""),
            );
        }
    }
    page
}

/// `index.json`: what was exported and when, and every post.
#[derive(Debug, Clone, Serialize)]
pub struct StaticIndex {
    /// `embedkeep <version>`.
    pub generator: String,
    /// RFC 3339.
    pub exported_at: String,
    pub posts: Vec<IndexEntry>,
}

/// One post in `index.json`.
#[derive(Debug, Clone, Serialize)]
pub struct IndexEntry {
    /// The post's archive id (the `{id}` of the HTTP routes).
    pub id: i64,
    pub platform: Platform,
    pub post_id: String,
    /// The post's canonical URL.
    pub post_url: String,
    /// As readers see it (an operator's pin counts).
    pub status: PostStatus,
    /// The card page, relative to the index.
    pub card: String,
    /// The media files, relative to the index.
    pub media: Vec<String>,
    /// When the latest snapshot's content was first fetched (RFC 3339); `null` without one.
    pub snapshot_fetched_at: Option<String>,
    /// When that content was last seen upstream (RFC 3339); `null` without a snapshot.
    pub snapshot_last_seen_at: Option<String>,
}

impl IndexEntry {
    pub fn new(post: &PostRecord, snapshot: Option<&StoredSnapshot>) -> IndexEntry {
        IndexEntry {
            id: post.id,
            platform: post.platform,
            post_id: post.key.post_id.clone(),
            post_url: post.canonical_url.clone(),
            status: post.status(),
            card: card_path(post),
            media: media_of(snapshot)
                .into_iter()
                .filter_map(media_path)
                .collect(),
            snapshot_fetched_at: snapshot.map(|s| rfc3339(s.first_seen_at)),
            snapshot_last_seen_at: snapshot.map(|s| rfc3339(s.last_seen_at)),
        }
    }
}

impl StaticIndex {
    pub fn new(exported_at: DateTime<Utc>, posts: Vec<IndexEntry>) -> StaticIndex {
        StaticIndex {
            generator: format!("embedkeep {}", env!("CARGO_PKG_VERSION")),
            exported_at: rfc3339(exported_at),
            posts,
        }
    }

    /// The file's bytes: pretty JSON and a final newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Serialising plain strings and numbers cannot fail.
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LivenessState, Media, MediaKind, PostKey, Snapshot};

    fn post() -> PostRecord {
        PostRecord {
            id: 7,
            key: PostKey {
                platform: Platform::Instagram,
                post_id: "AAA".into(),
            },
            platform: Platform::Instagram,
            canonical_url: "https://www.instagram.com/p/AAA/".into(),
            liveness: LivenessState::default(),
            created_at: Utc::now(),
            last_checked_at: None,
            next_check_at: None,
            pin: Some(PostStatus::Gone),
        }
    }

    fn image(sha: &str, mime: &str) -> StoredImage {
        StoredImage {
            sha256: sha.into(),
            width: 4,
            height: 3,
            mime: mime.into(),
            bytes: Vec::new(),
        }
    }

    fn snapshot(media: Vec<Media>) -> StoredSnapshot {
        StoredSnapshot {
            id: 1,
            post_id: 7,
            content_sha256: "c".repeat(64),
            content_version: crate::model::CONTENT_VERSION,
            first_seen_at: Utc::now(),
            last_seen_at: Utc::now(),
            snapshot: Snapshot {
                fetched_at: Utc::now(),
                source: "test".into(),
                author_name: Some("\"><img src=\"/.embedkeep-export-media/x\">".into()),
                author_handle: Some("a".into()),
                author_url: None,
                text: Some("src=\"/.embedkeep-export-media/".into()),
                published_at: None,
                media,
                raw: Vec::new(),
                ..Default::default()
            },
        }
    }

    #[test]
    fn thumbnails_point_into_the_media_folder() {
        let thumb = "a".repeat(64);
        let original = "b".repeat(64);
        let media = Media {
            kind: MediaKind::Image,
            url: "https://cdn.example/x.jpg".into(),
            width: Some(4),
            height: Some(3),
            thumbnail: Some(image(&thumb, "image/webp")),
            original: Some(image(&original, "image/jpeg")),
            error: None,
            ..Default::default()
        };
        let snap = snapshot(vec![media.clone(), media]);
        let p = post();
        let page = card_file(&p, Some(&snap), Some("https://embeds.example/oembed?url=x"));
        assert!(
            page.contains(&format!("src=\"../media/{thumb}.webp\"")),
            "{page}"
        );
        assert!(
            !page.contains(&format!("src=\"{MEDIA_PLACEHOLDER}")),
            "{page}"
        );
        assert!(page.contains("application/json+oembed"), "{page}");
        let entry = IndexEntry::new(&p, Some(&snap));
        assert_eq!(
            entry.media,
            vec![
                format!("media/{thumb}.webp"),
                format!("media/{original}.jpg")
            ]
        );
        assert_eq!(entry.card, "cards/7.html");
        assert_eq!(entry.status, PostStatus::Gone);
        let bad = image("../../etc/passwd", "image/png");
        assert_eq!(media_path(&bad), None);
    }
}
