//! `report` holds the JSON documents of the contract (`archive --json`, `scan --json`,
//! `show --json`, `check --json`, `list --json`, and the same documents over HTTP) as plain serde
//! structs, and the conversions from `model` types into them. It uses nothing but `model`, so
//! the CLI and the server shape every document in this one place. Field names here are a public
//! contract: extend, never rename.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use crate::model::{
    ArticleOutcome, CheckRecord, EmbedKind, EmbedOutcome, EmbedRef, Location, Media, Platform,
    PostRecord, PostStatus, PostView, Remnant, StoredSnapshot,
};

/// RFC 3339 in UTC with second precision, the contract's time format.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn rfc3339_opt(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(rfc3339)
}

/// `archive --json` and `scan --json`: `{"articles": [...]}`.
#[derive(Debug, Clone, Serialize)]
pub struct ArticlesDocument<E: Serialize> {
    pub articles: Vec<ArticleReport<E>>,
}

/// One article and what was found (and, for `archive`, stored) for it.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleReport<E: Serialize> {
    pub url: String,
    pub final_url: Option<String>,
    pub title: Option<String>,
    pub fetched_at: Option<String>,
    pub http_status: Option<u16>,
    /// Why the article could not be processed; `null` on success.
    pub error: Option<String>,
    pub embeds: Vec<E>,
    pub remnants: Vec<RemnantReport>,
    /// Embeds found beyond `limits.max_embeds_per_article`, left out of `embeds` (0 normally).
    pub embeds_truncated: usize,
}

impl<E: Serialize> ArticleReport<E> {
    /// The report of an article outcome, with each embed shaped by `embed`.
    fn from_outcome(a: &ArticleOutcome, embed: impl Fn(&EmbedOutcome) -> E) -> Self {
        ArticleReport {
            url: a.url.clone(),
            final_url: a.final_url.clone(),
            title: a.title.clone(),
            fetched_at: rfc3339_opt(a.fetched_at),
            http_status: a.http_status,
            error: a.error.as_ref().map(ToString::to_string),
            embeds: a.embeds.iter().map(embed).collect(),
            remnants: a.remnants.iter().map(RemnantReport::from).collect(),
            embeds_truncated: a.truncated,
        }
    }
}

/// The `archive --json` document of these articles.
pub fn archive_document(articles: &[ArticleOutcome]) -> ArticlesDocument<ArchivedEmbed> {
    ArticlesDocument {
        articles: articles
            .iter()
            .map(|a| ArticleReport::from_outcome(a, |e| ArchivedEmbed::from(e)))
            .collect(),
    }
}

/// The `scan --json` document of these articles: embeds as found, nothing archived.
pub fn scan_document(articles: &[ArticleOutcome]) -> ArticlesDocument<FoundEmbed> {
    ArticlesDocument {
        articles: articles
            .iter()
            .map(|a| {
                ArticleReport::from_outcome(a, |e| {
                    let mut found = FoundEmbed::from(&e.embed);
                    found.error = e.error.as_ref().map(ToString::to_string);
                    found
                })
            })
            .collect(),
    }
}

/// An embed as discovered: what `scan` prints, and the base of what `archive` prints.
#[derive(Debug, Clone, Serialize)]
pub struct FoundEmbed {
    pub platform: Platform,
    pub kind: EmbedKind,
    pub post_url: String,
    pub post_id: Option<String>,
    pub location: Location,
    pub evidence: String,
    /// What the article's own markup says about the post (no network involved).
    pub markup: MarkupReading,
    /// Why this embed could not be archived or checked now; `null` on success (and in `scan`).
    pub error: Option<String>,
}

/// Author, text and date read from the embed's fallback markup in the article.
#[derive(Debug, Clone, Serialize)]
pub struct MarkupReading {
    pub author_name: Option<String>,
    pub author_handle: Option<String>,
    pub text: Option<String>,
    pub published_at: Option<String>,
}

impl From<&EmbedRef> for FoundEmbed {
    fn from(e: &EmbedRef) -> Self {
        FoundEmbed {
            platform: e.platform,
            kind: e.kind,
            post_url: e.post_url.clone(),
            post_id: e.post_id.clone(),
            location: e.location,
            evidence: e.evidence.clone(),
            markup: MarkupReading {
                author_name: e.author_name.clone(),
                author_handle: e.author_handle.clone(),
                text: e.text.clone(),
                published_at: rfc3339_opt(e.published_at),
            },
            error: None,
        }
    }
}

/// An embed after archiving: the archive id, status, and the snapshot that represents it.
#[derive(Debug, Clone, Serialize)]
pub struct ArchivedEmbed {
    /// The post's id in the archive (`null` for widgets, which are not posts).
    pub id: Option<i64>,
    #[serde(flatten)]
    pub found: FoundEmbed,
    pub status: PostStatus,
    pub snapshot: Option<SnapshotReport>,
}

impl From<&EmbedOutcome> for ArchivedEmbed {
    fn from(e: &EmbedOutcome) -> Self {
        let mut found = FoundEmbed::from(&e.embed);
        found.error = e.error.as_ref().map(ToString::to_string);
        ArchivedEmbed {
            id: e.archive_id,
            found,
            status: e.status,
            snapshot: e.snapshot.as_ref().map(SnapshotReport::from),
        }
    }
}

/// A remnant of a broken embed.
#[derive(Debug, Clone, Serialize)]
pub struct RemnantReport {
    pub platform: Platform,
    pub author_name: Option<String>,
    pub author_handle: Option<String>,
    pub text: String,
}

impl From<&Remnant> for RemnantReport {
    fn from(r: &Remnant) -> Self {
        RemnantReport {
            platform: r.platform,
            author_name: r.author_name.clone(),
            author_handle: r.author_handle.clone(),
            text: r.text.clone(),
        }
    }
}

/// A stored snapshot.
#[derive(Debug, Clone, Serialize)]
pub struct SnapshotReport {
    pub id: i64,
    pub fetched_at: String,
    pub last_seen_at: String,
    pub source: String,
    pub content_sha256: String,
    pub author_name: Option<String>,
    pub author_handle: Option<String>,
    pub author_url: Option<String>,
    pub text: Option<String>,
    pub published_at: Option<String>,
    pub media: Vec<MediaReport>,
}

impl From<&StoredSnapshot> for SnapshotReport {
    fn from(s: &StoredSnapshot) -> Self {
        let snap = &s.snapshot;
        SnapshotReport {
            id: s.id,
            fetched_at: rfc3339(s.first_seen_at),
            last_seen_at: rfc3339(s.last_seen_at),
            source: snap.source.clone(),
            content_sha256: s.content_sha256.clone(),
            author_name: snap.author_name.clone(),
            author_handle: snap.author_handle.clone(),
            author_url: snap.author_url.clone(),
            text: snap.text.clone(),
            published_at: rfc3339_opt(snap.published_at),
            media: snap.media.iter().map(MediaReport::from).collect(),
        }
    }
}

/// A media item of a snapshot.
#[derive(Debug, Clone, Serialize)]
pub struct MediaReport {
    pub kind: crate::model::MediaKind,
    pub url: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub thumbnail: Option<ThumbnailReport>,
    /// The original image, when `store.keep_originals` is on (`null` otherwise).
    pub original: Option<OriginalReport>,
    /// Why no thumbnail could be made; `null` when there is one.
    pub error: Option<String>,
}

/// A kept original image's address and type.
#[derive(Debug, Clone, Serialize)]
pub struct OriginalReport {
    pub sha256: String,
    pub mime: String,
}

/// A thumbnail's address and shape (bytes are served by `/v1/media/{sha256}`).
#[derive(Debug, Clone, Serialize)]
pub struct ThumbnailReport {
    pub sha256: String,
    pub width: u32,
    pub height: u32,
    pub mime: String,
}

impl From<&Media> for MediaReport {
    fn from(m: &Media) -> Self {
        MediaReport {
            kind: m.kind,
            url: m.url.clone(),
            width: m.width,
            height: m.height,
            thumbnail: m.thumbnail.as_ref().map(|t| ThumbnailReport {
                sha256: t.sha256.clone(),
                width: t.width,
                height: t.height,
                mime: t.mime.clone(),
            }),
            original: m.original.as_ref().map(|o| OriginalReport {
                sha256: o.sha256.clone(),
                mime: o.mime.clone(),
            }),
            error: m.error.clone(),
        }
    }
}

/// `show --json`: one post with all its snapshots (newest first) and its check history.
#[derive(Debug, Clone, Serialize)]
pub struct PostReport {
    pub id: i64,
    pub platform: Platform,
    /// The kind the post was embedded as (`null` if no article embeds it any more).
    pub kind: Option<EmbedKind>,
    pub post_url: String,
    pub post_id: String,
    pub status: PostStatus,
    /// Always `null` here: `show` reads the archive and fails as a whole.
    pub error: Option<String>,
    pub last_live_at: Option<String>,
    pub revived_at: Option<String>,
    pub snapshots: Vec<SnapshotReport>,
    pub checks: Vec<CheckReport>,
}

impl From<&PostView> for PostReport {
    fn from(v: &PostView) -> Self {
        PostReport::new(&v.post, v.kind, &v.snapshots, &v.checks)
    }
}

impl PostReport {
    pub fn new(
        post: &PostRecord,
        kind: Option<EmbedKind>,
        snapshots: &[StoredSnapshot],
        checks: &[CheckRecord],
    ) -> Self {
        PostReport {
            id: post.id,
            platform: post.platform,
            kind,
            post_url: post.canonical_url.clone(),
            post_id: post.key.post_id.clone(),
            status: post.status(),
            error: None,
            last_live_at: rfc3339_opt(post.liveness.last_live_at),
            revived_at: rfc3339_opt(post.liveness.revived_at),
            snapshots: snapshots.iter().map(SnapshotReport::from).collect(),
            checks: checks.iter().map(CheckReport::from).collect(),
        }
    }
}

/// One liveness check.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub at: String,
    pub outcome: crate::model::CheckOutcome,
    pub source: String,
    pub evidence: String,
}

impl From<&CheckRecord> for CheckReport {
    fn from(c: &CheckRecord) -> Self {
        CheckReport {
            at: rfc3339(c.at),
            outcome: c.outcome,
            source: c.source.clone(),
            evidence: c.evidence.clone(),
        }
    }
}
