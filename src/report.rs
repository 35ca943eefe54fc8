//! `report` holds the JSON documents of the contract (`archive --json`, `scan --json`,
//! `show --json`, `check --json`, `list --json`, and the same documents over HTTP) as plain serde
//! structs, and the conversions from `model` types into them. It uses nothing but `model`, so
//! the CLI and the server shape every document in this one place. Field names here are a public
//! contract: extend, never rename.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::{
    ArticleOutcome, Change, CheckOutcome, CheckRecord, EmbedKind, EmbedOutcome, EmbedRef,
    ListedPost, Location, Media, MediaChange, MediaFacts, MediaKind, Platform, PostCheck,
    PostError, PostRecord, PostStatus, PostView, Remnant, SnapshotStep, StoredArticle, StoredEmbed,
    StoredSnapshot,
};

use crate::model::rfc3339;

fn rfc3339_opt(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(rfc3339)
}

/// `archive --json` and `scan --json`: `{"articles": [...]}`, and `"interrupted"` when Ctrl-C or
/// SIGTERM stopped the run.
#[derive(Debug, Clone, Serialize)]
pub struct ArticlesDocument<E: Serialize> {
    pub articles: Vec<ArticleReport<E>>,
    /// Only in a run that was stopped: what it did not finish, so that a script can tell "5 done,
    /// 15 never tried" from "20 done, some failed" (both exit 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interrupted: Option<Interrupted>,
}

/// What a stopped run left undone.
#[derive(Debug, Clone, Serialize)]
pub struct Interrupted {
    /// The inputs (URLs, or the pages' names as `scan` reads them) not finished, in the order
    /// given. An article of `archive` that was in progress is among them: the posts of it written
    /// before the stop stay stored.
    pub not_done: Vec<String>,
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
    /// True when discovery stopped at its own caps and did not read the rest of the page.
    pub discovery_truncated: bool,
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
            discovery_truncated: a.discovery_truncated,
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
        interrupted: None,
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
        interrupted: None,
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
    /// The status readers see: the pin if there is one, else the checks' verdict.
    pub status: PostStatus,
    /// The operator's pin (`live` or `gone`) that `status` follows; `null` when the checks decide.
    pub pin: Option<PostStatus>,
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
            pin: e.pin,
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
    /// A video's, article's or long post's title, apart from `text`.
    pub title: Option<String>,
    pub text: Option<String>,
    pub published_at: Option<String>,
    /// The language the platform states (BCP 47).
    pub lang: Option<String>,
    /// For a reply: the URL of the post it answers.
    pub reply_to: Option<String>,
    /// For a quote: the URL of the post it quotes.
    pub quote_of: Option<String>,
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
            title: snap.title.clone(),
            text: snap.text.clone(),
            published_at: rfc3339_opt(snap.published_at),
            lang: snap.lang.clone(),
            reply_to: snap.reply_to.clone(),
            quote_of: snap.quote_of.clone(),
            media: snap.media.iter().map(MediaReport::from).collect(),
        }
    }
}

/// A media item of a snapshot.
#[derive(Debug, Clone, Serialize)]
pub struct MediaReport {
    pub kind: crate::model::MediaKind,
    pub url: String,
    /// The image the thumbnail was made from (a video's poster frame, or the image itself).
    pub poster_url: Option<String>,
    /// The alt text the platform gives for the item.
    pub alt: Option<String>,
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
            poster_url: m.poster_url.clone(),
            alt: m.alt.clone(),
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
    /// The operator's pin (`live` or `gone`) that `status` follows; `null` when the checks decide.
    pub pin: Option<PostStatus>,
    /// Always `null` here: `show` reads the archive and fails as a whole.
    pub error: Option<String>,
    pub last_live_at: Option<String>,
    pub revived_at: Option<String>,
    /// When the post was last checked (RFC 3339); `null` before its first check. As in
    /// [`PostSummary`], whose fields every other post object shares with this one.
    pub last_checked_at: Option<String>,
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
            pin: post.pin,
            error: None,
            last_live_at: rfc3339_opt(post.liveness.last_live_at),
            revived_at: rfc3339_opt(post.liveness.revived_at),
            last_checked_at: rfc3339_opt(post.last_checked_at),
            snapshots: snapshots.iter().map(SnapshotReport::from).collect(),
            checks: checks.iter().map(CheckReport::from).collect(),
        }
    }
}

/// The answer of `GET /v1/posts?url=`: `show --json`'s post object, and its latest snapshot
/// again as `snapshot`, as every other post object of the API carries it (a client reads
/// `.snapshot` of a listed post and of a looked-up one alike).
#[derive(Debug, Serialize)]
pub struct LookedUpPost {
    #[serde(flatten)]
    pub post: PostReport,
    pub snapshot: Option<SnapshotReport>,
}

impl From<PostReport> for LookedUpPost {
    fn from(post: PostReport) -> Self {
        let snapshot = post.snapshots.first().cloned();
        LookedUpPost { post, snapshot }
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

/// The fields every post object shares: `show`'s post without its snapshots and checks. The
/// documents of `check`, `list`, `pin` and `show --diff` flatten it into theirs.
#[derive(Debug, Clone, Serialize)]
pub struct PostSummary {
    pub id: i64,
    pub platform: Platform,
    /// The kind the post was embedded as (`null` if no article embeds it any more).
    pub kind: Option<EmbedKind>,
    pub post_url: String,
    pub post_id: String,
    /// The status readers see: the pin if there is one, else the checks' verdict.
    pub status: PostStatus,
    /// The operator's pin (`live` or `gone`) that `status` follows; `null` when the checks decide.
    pub pin: Option<PostStatus>,
    /// Why the post could not be checked now (`check` only); `null` otherwise.
    pub error: Option<String>,
    pub last_live_at: Option<String>,
    pub revived_at: Option<String>,
    pub last_checked_at: Option<String>,
}

impl PostSummary {
    pub fn new(post: &PostRecord, kind: Option<EmbedKind>) -> Self {
        PostSummary {
            id: post.id,
            platform: post.platform,
            kind,
            post_url: post.canonical_url.clone(),
            post_id: post.key.post_id.clone(),
            status: post.status(),
            pin: post.pin,
            error: None,
            last_live_at: rfc3339_opt(post.liveness.last_live_at),
            revived_at: rfc3339_opt(post.liveness.revived_at),
            last_checked_at: rfc3339_opt(post.last_checked_at),
        }
    }
}

/// A post with its latest snapshot: what `pin --json` prints.
#[derive(Debug, Clone, Serialize)]
pub struct PostWithSnapshot {
    #[serde(flatten)]
    pub post: PostSummary,
    pub snapshot: Option<SnapshotReport>,
}

impl PostWithSnapshot {
    pub fn new(
        post: &PostRecord,
        kind: Option<EmbedKind>,
        snapshot: Option<&StoredSnapshot>,
    ) -> Self {
        PostWithSnapshot {
            post: PostSummary::new(post, kind),
            snapshot: snapshot.map(SnapshotReport::from),
        }
    }
}

/// A failure that concerns one input rather than the whole command (e.g. a post URL `check`
/// was given that the archive does not hold).
#[derive(Debug, Clone, Serialize)]
pub struct ErrorReport {
    /// A short stable name: `not-archived`, `transient`, `store`, `task`, `embed`.
    pub kind: &'static str,
    pub message: String,
    /// The input as given.
    pub input: String,
}

impl From<&PostError> for ErrorReport {
    fn from(e: &PostError) -> Self {
        let (kind, input) = match e {
            PostError::Transient { post_url, .. } => ("transient", post_url),
            PostError::Embed { post_url, .. } => ("embed", post_url),
            PostError::Store { post_url, .. } => ("store", post_url),
            PostError::Task { post_url, .. } => ("task", post_url),
            PostError::NotArchived { post_url } => ("not-archived", post_url),
        };
        ErrorReport {
            kind,
            message: e.to_string(),
            input: input.clone(),
        }
    }
}

/// `check --json`: `{"posts": [...], "errors": [...]}`; `errors` lists the inputs that named
/// no archived post.
#[derive(Debug, Clone, Serialize)]
pub struct CheckDocument {
    pub posts: Vec<CheckedPost>,
    pub errors: Vec<ErrorReport>,
}

/// A post after a check: the post object with its latest snapshot and what this check said.
#[derive(Debug, Clone, Serialize)]
pub struct CheckedPost {
    #[serde(flatten)]
    pub post: PostSummary,
    pub snapshot: Option<SnapshotReport>,
    pub check: CheckResult,
}

/// What one check concluded.
#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    /// This check's answer (`live`, `gone`, `transient`); `null` when the platform has no
    /// resolver or the check could not run.
    pub outcome: Option<CheckOutcome>,
    /// Why the post could not be checked now; `null` on an answer.
    pub error: Option<String>,
    /// True when the check stored new content (a first snapshot, or an edit).
    pub new_snapshot: bool,
}

impl CheckedPost {
    pub fn new(check: &PostCheck, kind: Option<EmbedKind>) -> Self {
        let error = check.error.as_ref().map(ToString::to_string);
        let mut post = PostSummary::new(&check.post, kind);
        post.error = error.clone();
        CheckedPost {
            post,
            snapshot: check.snapshot.as_ref().map(SnapshotReport::from),
            check: CheckResult {
                outcome: check.outcome,
                error,
                new_snapshot: check.new_snapshot,
            },
        }
    }
}

/// The `check --json` document: each checked post (with the kind it was embedded as), and the
/// inputs that could not be checked at all.
pub fn check_document(
    checks: &[(PostCheck, Option<EmbedKind>)],
    errors: &[PostError],
) -> CheckDocument {
    CheckDocument {
        posts: checks
            .iter()
            .map(|(c, kind)| CheckedPost::new(c, *kind))
            .collect(),
        errors: errors.iter().map(ErrorReport::from).collect(),
    }
}

/// `list --json`: `{"posts": [...], "next": id or null}`.
#[derive(Debug, Clone, Serialize)]
pub struct ListDocument {
    pub posts: Vec<ListedPostReport>,
    /// Pass as `--after` (or `after=`) for the next page; `null` on the last page.
    pub next: Option<i64>,
}

/// A post in a listing: the post object, since when it has been going (gone or suspect), its
/// latest snapshot and the articles it is embedded in.
#[derive(Debug, Clone, Serialize)]
pub struct ListedPostReport {
    #[serde(flatten)]
    pub post: PostSummary,
    /// Start of the post's current run of gone answers (`null` when it has none).
    pub status_since: Option<String>,
    pub snapshot: Option<SnapshotReport>,
    /// URLs of the articles that embed the post.
    pub articles: Vec<String>,
}

impl From<&ListedPost> for ListedPostReport {
    fn from(l: &ListedPost) -> Self {
        ListedPostReport {
            post: PostSummary::new(&l.post, l.kind),
            status_since: rfc3339_opt(l.status_since),
            snapshot: l.snapshot.as_ref().map(SnapshotReport::from),
            articles: l.articles.clone(),
        }
    }
}

/// The `list --json` document of one page of at most `limit` posts: `next` is the last post's
/// id when the page is full (there may be more), else `null`.
pub fn list_document(posts: &[ListedPost], limit: u32) -> ListDocument {
    let full = posts.len() >= limit.max(1) as usize;
    ListDocument {
        posts: posts.iter().map(ListedPostReport::from).collect(),
        next: posts.last().filter(|_| full).map(|l| l.post.id),
    }
}

/// `show --diff --json`: `{"post": {...}, "diffs": [...]}`, newest change first.
#[derive(Debug, Clone, Serialize)]
pub struct DiffDocument {
    pub post: PostSummary,
    pub diffs: Vec<DiffReport>,
}

/// What changed from one snapshot to the next.
#[derive(Debug, Clone, Serialize)]
pub struct DiffReport {
    /// The older snapshot's id.
    pub from: i64,
    /// The newer snapshot's id.
    pub to: i64,
    /// The last time the older content was seen.
    pub from_last_seen_at: String,
    /// When the newer content was first fetched: the change happened in between.
    pub to_fetched_at: String,
    pub changes: Vec<ChangeReport>,
}

/// One changed field. `before`/`after` are strings for text, author, title, language, reply and
/// quote target and date fields, media
/// objects for `media` (`null` for what is not there). `change` and `index` are given for
/// `media` only, `lines` for `text` only.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeReport {
    pub field: &'static str,
    /// `added`, `removed`, `swapped` or `resized`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<&'static str>,
    /// The item's position (from 0) in the newer snapshot, or in the older one when removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    pub before: Option<ChangeValue>,
    pub after: Option<ChangeValue>,
    /// Every line of both texts in order, each `same`, `removed` or `added`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<LineReport>>,
}

/// A changed field's value.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum ChangeValue {
    Text(String),
    Media(MediaFactsReport),
}

/// A media item as a diff names it.
#[derive(Debug, Clone, Serialize)]
pub struct MediaFactsReport {
    pub kind: MediaKind,
    pub url: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

impl From<&MediaFacts> for MediaFactsReport {
    fn from(m: &MediaFacts) -> Self {
        MediaFactsReport {
            kind: m.kind,
            url: m.url.clone(),
            width: m.width,
            height: m.height,
        }
    }
}

/// One line of a text diff.
#[derive(Debug, Clone, Serialize)]
pub struct LineReport {
    /// `same`, `removed` or `added`.
    pub op: &'static str,
    pub text: String,
}

impl From<&Change> for ChangeReport {
    fn from(c: &Change) -> Self {
        let text = |s: &Option<String>| s.clone().map(ChangeValue::Text);
        let media = |m: &MediaFacts| Some(ChangeValue::Media(MediaFactsReport::from(m)));
        let mut report = ChangeReport {
            field: c.field(),
            change: None,
            index: None,
            before: None,
            after: None,
            lines: None,
        };
        match c {
            Change::Text {
                before,
                after,
                lines,
            } => {
                report.before = text(before);
                report.after = text(after);
                report.lines = Some(
                    lines
                        .iter()
                        .map(|l| LineReport {
                            op: l.op.as_str(),
                            text: l.text.clone(),
                        })
                        .collect(),
                );
            }
            Change::Author { before, after, .. } | Change::Field { before, after, .. } => {
                report.before = text(before);
                report.after = text(after);
            }
            Change::PublishedAt { before, after } => {
                report.before = rfc3339_opt(*before).map(ChangeValue::Text);
                report.after = rfc3339_opt(*after).map(ChangeValue::Text);
            }
            Change::Media(m) => {
                report.change = Some(m.as_str());
                let (index, before, after) = match m {
                    MediaChange::Added { index, media: a } => (*index, None, media(a)),
                    MediaChange::Removed { index, media: b } => (*index, media(b), None),
                    MediaChange::Swapped {
                        index,
                        before,
                        after,
                    }
                    | MediaChange::Resized {
                        index,
                        before,
                        after,
                    } => (*index, media(before), media(after)),
                };
                report.index = Some(index);
                report.before = before;
                report.after = after;
            }
        }
        report
    }
}

/// The `show --diff --json` document of a post and the changes between its snapshots.
pub fn diff_document(view: &PostView, steps: &[SnapshotStep]) -> DiffDocument {
    DiffDocument {
        post: PostSummary::new(&view.post, view.kind),
        diffs: steps
            .iter()
            .map(|s| DiffReport {
                from: s.from,
                to: s.to,
                from_last_seen_at: rfc3339(s.from_last_seen_at),
                to_fetched_at: rfc3339(s.to_first_seen_at),
                changes: s.diff.changes.iter().map(ChangeReport::from).collect(),
            })
            .collect(),
    }
}

/// A failure as a whole JSON document: what `--json` prints when a command fails, and the body
/// of every HTTP 4xx/5xx answer: `{"error": {"kind": …, "message": …, "input": …}}`.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorDocument {
    pub error: ErrorReport,
}

impl ErrorDocument {
    /// The document of one failure. Over HTTP `kind` is one of `bad-request`, `unauthorized`,
    /// `forbidden`, `not-found`, `method-not-allowed`, `payload-too-large`,
    /// `unsupported-media-type`, `not-implemented`, `timeout`, `unavailable`, `internal`.
    pub fn new(kind: &'static str, message: impl Into<String>, input: impl Into<String>) -> Self {
        ErrorDocument {
            error: ErrorReport {
                kind,
                message: message.into(),
                input: input.into(),
            },
        }
    }
}

/// `GET /v1/posts/{id}/snapshots`: `{"post": {...}, "snapshots": [...]}`, newest first.
#[derive(Debug, Clone, Serialize)]
pub struct SnapshotsDocument {
    pub post: PostSummary,
    pub snapshots: Vec<SnapshotReport>,
}

/// The snapshots document of a post (snapshots newest first, as the store gives them).
pub fn snapshots_document(
    post: &PostRecord,
    kind: Option<EmbedKind>,
    snapshots: &[StoredSnapshot],
) -> SnapshotsDocument {
    SnapshotsDocument {
        post: PostSummary::new(post, kind),
        snapshots: snapshots.iter().map(SnapshotReport::from).collect(),
    }
}

/// `GET /v1/articles?url=`: an archived article and every embed recorded against it, each with
/// its post's status and latest snapshot. The embed objects are `archive --json`'s, with the
/// post's pin, status bookkeeping and when the embed was seen in this article.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleEmbedsDocument {
    /// The URL the article was archived under.
    pub url: String,
    pub final_url: Option<String>,
    pub title: Option<String>,
    /// The first fetch of the article.
    pub first_fetched_at: String,
    /// The latest fetch of the article (`http_status` and `error` describe it).
    pub fetched_at: String,
    pub http_status: Option<u16>,
    pub error: Option<String>,
    pub embeds: Vec<ArticleEmbedReport>,
}

/// One embed of an archived article.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleEmbedReport {
    /// The embed, its status and the operator's pin (`pin`) that `status` follows.
    #[serde(flatten)]
    pub embed: ArchivedEmbed,
    /// Start of the post's current run of gone answers (`null` when it has none).
    pub status_since: Option<String>,
    pub last_checked_at: Option<String>,
    /// When the embed was first and last seen in this article.
    pub first_seen_at: String,
    pub last_seen_at: String,
}

impl ArticleEmbedReport {
    /// An embed with its post (`None` for widgets) and the post's latest snapshot.
    pub fn new(
        embed: &StoredEmbed,
        post: Option<&PostRecord>,
        snapshot: Option<&StoredSnapshot>,
    ) -> Self {
        ArticleEmbedReport {
            embed: ArchivedEmbed {
                id: post.map(|p| p.id),
                found: FoundEmbed::from(&embed.embed),
                status: post.map_or(PostStatus::Unknown, PostRecord::status),
                pin: post.and_then(|p| p.pin),
                snapshot: snapshot.map(SnapshotReport::from),
            },
            status_since: rfc3339_opt(post.and_then(|p| p.liveness.first_gone_at)),
            last_checked_at: rfc3339_opt(post.and_then(|p| p.last_checked_at)),
            first_seen_at: rfc3339(embed.first_seen_at),
            last_seen_at: rfc3339(embed.last_seen_at),
        }
    }
}

impl ArticleEmbedsDocument {
    pub fn new(article: &StoredArticle, embeds: Vec<ArticleEmbedReport>) -> Self {
        let a = &article.article;
        ArticleEmbedsDocument {
            url: a.url.clone(),
            final_url: a.final_url.clone(),
            title: a.title.clone(),
            first_fetched_at: rfc3339(article.first_fetched_at),
            fetched_at: rfc3339(a.fetched_at),
            http_status: a.http_status,
            error: a.error.clone(),
            embeds,
        }
    }
}

/// `POST /v1/articles`: the job that was queued, `{"kind": "archive", "key": URL, "new": bool}`.
#[derive(Debug, Clone, Serialize)]
pub struct QueuedDocument {
    /// What the job does (`archive`).
    pub kind: &'static str,
    /// What it does it to: the article URL, as it will be archived.
    pub key: String,
    /// False when the same job was already queued or running (nothing was added).
    pub new: bool,
}

/// An oEmbed 1.0 `rich` answer whose `html` is a post's fallback card
/// (`GET /oembed?url=POST_URL&format=json`). Optional fields that are unknown are left out.
#[derive(Debug, Clone, Serialize)]
pub struct OembedDocument {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub version: &'static str,
    pub html: String,
    pub width: u32,
    pub height: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_url: Option<String>,
    pub provider_name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_url: Option<String>,
    /// Seconds a consumer may cache the answer.
    pub cache_age: u64,
}

/// The oEmbed answer for a post: `card_html` is the card `render` made of it, `width` and
/// `height` the box it needs; the author is the latest snapshot's, and `author_url` the link
/// the card gives them (`render::author_link`: a web address or nothing, never what a
/// platform sent unchecked, since a CMS renders it as a link beside the embed).
pub fn oembed_document(
    snapshot: Option<&StoredSnapshot>,
    author_url: Option<String>,
    card_html: String,
    (width, height): (u32, u32),
    provider_url: Option<String>,
    cache_age: u64,
) -> OembedDocument {
    let snap = snapshot.map(|s| &s.snapshot);
    OembedDocument {
        kind: "rich",
        version: "1.0",
        html: card_html,
        width,
        height,
        author_name: snap.and_then(|s| s.author_name.clone().or_else(|| s.author_handle.clone())),
        author_url,
        provider_name: "embedkeep",
        provider_url,
        cache_age,
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::model::{LivenessState, Media, PostKey, Snapshot};

    fn post(id: i64) -> PostRecord {
        let key = PostKey {
            platform: Platform::X,
            post_id: id.to_string(),
        };
        PostRecord {
            id,
            platform: key.platform,
            canonical_url: format!("https://x.com/a/status/{id}"),
            key,
            liveness: LivenessState::default(),
            created_at: Utc::now(),
            last_checked_at: None,
            next_check_at: None,
            pin: Some(PostStatus::Gone),
        }
    }

    fn listed(id: i64) -> ListedPost {
        ListedPost {
            post: post(id),
            kind: Some(EmbedKind::Post),
            snapshot: None,
            articles: vec!["https://news.example/a".into()],
            status_since: None,
        }
    }

    #[test]
    fn a_full_page_names_the_next_cursor() {
        let page = [listed(3), listed(7)];
        assert_eq!(list_document(&page, 2).next, Some(7));
        assert_eq!(list_document(&page, 3).next, None);
        assert_eq!(list_document(&[], 3).next, None);
        let json = serde_json::to_value(list_document(&page, 2)).expect("json");
        assert_eq!(json["posts"][0]["status"], "gone");
        assert_eq!(json["posts"][0]["pin"], "gone");
        assert_eq!(json["posts"][0]["articles"][0], "https://news.example/a");
        assert_eq!(json["next"], 7);
    }

    /// The other post objects are `show --json`'s post with fields added or left out, so
    /// `show`'s has every field of [`PostSummary`], with the same values.
    #[test]
    fn the_show_post_has_every_post_summary_field() {
        let mut p = post(4);
        p.last_checked_at = Some(Utc::now());
        let summary =
            serde_json::to_value(PostSummary::new(&p, Some(EmbedKind::Post))).expect("json");
        let shown = serde_json::to_value(PostReport::new(&p, Some(EmbedKind::Post), &[], &[]))
            .expect("json");
        let fields = summary.as_object().expect("object");
        assert!(fields.contains_key("last_checked_at"), "{summary}");
        for (name, value) in fields {
            assert_eq!(shown.get(name), Some(value), "{name}: {shown}");
        }
    }

    #[test]
    fn diff_changes_have_the_documented_shape() {
        let snapshot = |text: &str, url: &str| Snapshot {
            fetched_at: Utc::now(),
            source: "test".into(),
            author_name: None,
            author_handle: Some("a".into()),
            author_url: None,
            text: Some(text.into()),
            published_at: None,
            media: vec![Media {
                kind: MediaKind::Image,
                url: url.into(),
                width: Some(4),
                height: Some(3),
                thumbnail: None,
                original: None,
                error: None,
                ..Default::default()
            }],
            raw: vec![],
            ..Default::default()
        };
        let older = snapshot("old", "https://cdn.example/a.jpg");
        let mut newer = snapshot("new", "https://cdn.example/b.jpg");
        newer.author_handle = Some("b".into());
        let changes: Vec<serde_json::Value> = crate::model::diff(&older, &newer)
            .changes
            .iter()
            .map(|c| serde_json::to_value(ChangeReport::from(c)).expect("json"))
            .collect();
        assert_eq!(
            changes[0],
            serde_json::json!({"field": "text", "before": "old", "after": "new", "lines": [
                {"op": "removed", "text": "old"}, {"op": "added", "text": "new"}]})
        );
        assert_eq!(
            changes[1],
            serde_json::json!({"field": "author_handle", "before": "a", "after": "b"})
        );
        assert_eq!(changes[2]["field"], "media");
        assert_eq!(changes[2]["change"], "swapped");
        assert_eq!(changes[2]["index"], 0);
        assert_eq!(changes[2]["before"]["url"], "https://cdn.example/a.jpg");
        assert_eq!(changes[2]["after"]["width"], 4);
    }
}
