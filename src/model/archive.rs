//! What the archive holds, as the rest of the program sees it: articles as fetched, embeds as
//! recorded against them, posts with their liveness bookkeeping, and snapshots with their archive
//! ids. The store reads and writes these; `report` and `render` shape them for people.

use chrono::{DateTime, Utc};

use super::{EmbedRef, LivenessState, Platform, PostKey, Snapshot};

/// An article as fetched.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleRecord {
    pub url: String,
    pub final_url: Option<String>,
    pub title: Option<String>,
    pub fetched_at: DateTime<Utc>,
    pub http_status: Option<u16>,
    pub error: Option<String>,
    /// sha256 of the fetched body.
    pub sha256: Option<String>,
    /// `error` is one no later fetch passes (a body over the cap, a redirect loop, a refused
    /// address, a page that is not HTML), whatever `http_status` says.
    pub error_lasts: bool,
}

/// An article as stored, with its archive id, conditional-GET validators and first fetch time.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredArticle {
    pub id: i64,
    pub first_fetched_at: DateTime<Utc>,
    pub validators: ArticleValidators,
    pub article: ArticleRecord,
}

/// What the article server said to make the next fetch conditional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleValidators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// An embed as recorded against an article.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEmbed {
    pub id: i64,
    pub article_id: i64,
    /// The archived post; `None` for widgets.
    pub post_id: Option<i64>,
    pub first_seen_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub embed: EmbedRef,
}

/// A post row.
#[derive(Debug, Clone, PartialEq)]
pub struct PostRecord {
    pub id: i64,
    pub key: PostKey,
    pub platform: Platform,
    pub canonical_url: String,
    pub liveness: LivenessState,
    pub created_at: DateTime<Utc>,
    /// When the post was last checked (any outcome).
    pub last_checked_at: Option<DateTime<Utc>>,
    /// When the post is due for its next check; `None` means due now.
    pub next_check_at: Option<DateTime<Utc>>,
    /// An operator's verdict (`live` or `gone`) that wins over the checks until lifted.
    pub pin: Option<super::PostStatus>,
}

/// A snapshot as stored, with its archive id and bookkeeping.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSnapshot {
    pub id: i64,
    pub post_id: i64,
    pub content_sha256: String,
    /// Which fields `content_sha256` covers ([`super::CONTENT_VERSION`] for rows written now; 1
    /// for rows written before title, language, reply/quote targets, alt text and poster URLs
    /// were recorded).
    pub content_version: u32,
    /// When this content was first fetched (also `snapshot.fetched_at`).
    pub first_seen_at: DateTime<Utc>,
    /// The latest fetch that returned this same content.
    pub last_seen_at: DateTime<Utc>,
    /// Media thumbnails carry metadata; their bytes are left empty (read them with the store's `blob`).
    /// `raw` is left empty; read the raw bodies with the store's `raw_bodies`.
    pub snapshot: Snapshot,
}

/// The result of writing one check (and maybe a snapshot) for a post.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckWritten {
    /// The snapshot that now represents the post's content, if any.
    pub snapshot_id: Option<i64>,
    /// True when the snapshot is new content; false when only `last_seen_at` moved.
    pub new_snapshot: bool,
    pub liveness: LivenessState,
}

impl Snapshot {
    /// Whether this freshly fetched content should become the post's content, given the latest
    /// stored snapshot: yes when there is none, when it is the same content (only `last_seen_at`
    /// moves), or when it is not a degraded copy of it (fewer fields, no media, a failed
    /// enrichment: see [`Snapshot::is_subsumed_by`]).
    pub fn replaces(&self, latest: Option<&StoredSnapshot>) -> bool {
        match latest {
            Some(old) => old.same_content(self) || !self.is_subsumed_by(&old.snapshot),
            None => true,
        }
    }
}

impl StoredSnapshot {
    /// Whether `fresh` is the content this snapshot holds. A version-1 snapshot could not record
    /// title, language, reply/quote targets, alt text or poster URLs (its columns are NULL), so
    /// it is compared by the version-1 hash: an unchanged post re-fetched after the upgrade is
    /// the same content, not a new version. Any change the version-1 fields see (text, author,
    /// date, media) is still a new snapshot.
    pub fn same_content(&self, fresh: &Snapshot) -> bool {
        fresh.content_sha256_at(self.content_version) == self.content_sha256
    }
}

impl PostRecord {
    /// The status readers see: the operator's pin if there is one, else the checks' verdict.
    pub fn status(&self) -> super::PostStatus {
        self.pin.unwrap_or(self.liveness.status)
    }
}

/// Which posts `list` (and `GET /v1/posts?status=…`) returns. Every field narrows the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostFilter {
    /// Status as readers see it (a pin counts).
    pub status: Option<super::PostStatus>,
    pub platform: Option<Platform>,
    /// Only posts embedded in this article (by the URL it was archived under).
    pub article_url: Option<String>,
    /// Only posts whose status changed (or, for live posts, that were checked) since then.
    pub since: Option<DateTime<Utc>>,
    /// Page size.
    pub limit: u32,
    /// Posts after this archive id (the previous page's `next`).
    pub after: Option<i64>,
}

/// A post in a listing: the post, its latest snapshot, and the articles that embed it.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedPost {
    pub post: PostRecord,
    pub kind: Option<super::EmbedKind>,
    pub snapshot: Option<StoredSnapshot>,
    /// URLs of the articles the post is embedded in.
    pub articles: Vec<String>,
    /// When the post last changed status towards gone (start of its gone run), if it did.
    pub status_since: Option<DateTime<Utc>>,
}
