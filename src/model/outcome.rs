//! What the service API (`pipeline`) answers: the outcome of archiving an article, of checking
//! a post, and a post as looked up in the archive, with typed errors. `report` turns these into
//! the JSON documents of the contract and `cli` into tables; neither needs to know how they
//! were made.

use chrono::{DateTime, Utc};

use super::{
    CheckOutcome, CheckRecord, EmbedKind, EmbedRef, PostRecord, PostStatus, Remnant, StoredSnapshot,
};

/// Why an article could not be archived or scanned. Each variant names the article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArticleError {
    /// The input is not a URL.
    #[error("{url:?} is not a valid URL: {reason}")]
    InvalidUrl { url: String, reason: String },
    /// The URL's scheme is not http or https.
    #[error("{url}: only http and https URLs can be archived")]
    NotHttp { url: String },
    /// The request failed (DNS, connection, timeout, body cap, refused address, ...); the
    /// message is the HTTP client's, which names the URL. `may_pass`: the same request may
    /// succeed later (a timeout, a refused connection), not a body over the cap, a redirect
    /// loop or an address the guard refuses.
    #[error("{message}")]
    Fetch {
        url: String,
        message: String,
        may_pass: bool,
    },
    /// The server answered with an error status (with how long it asked to wait, for 429 and
    /// 503 answers that said so in `Retry-After`).
    #[error("{url}: HTTP {status}")]
    Status {
        url: String,
        status: u16,
        retry_after: Option<std::time::Duration>,
    },
    /// The answer is not an HTML page.
    #[error("{url}: not an HTML page (content-type: {content_type})")]
    NotHtml { url: String, content_type: String },
    /// A local file is neither HTML nor text (an image, a PDF, binary data).
    #[error("{url}: not HTML or text ({what})")]
    NotText { url: String, what: String },
    /// Discovery failed (it panicked); nothing was stored for the article.
    #[error("{url}: discovery failed: {message}")]
    Discovery { url: String, message: String },
    /// The article could not be written to the archive.
    #[error("cannot store article {url}: {message}")]
    Store { url: String, message: String },
}

/// Whether an HTTP status may pass by itself when asked again later: the server was slow (408),
/// asked for a retry (425, 429) or failed (5xx). Any other status is the answer.
pub fn status_may_pass(status: u16) -> bool {
    matches!(status, 408 | 425 | 429) || status >= 500
}

impl ArticleError {
    /// Whether trying again later may succeed: transport failures, rate limits and server
    /// errors may pass; a bad URL, a page that is not HTML, a 404, a body over the cap, a
    /// redirect loop or a refused address will not.
    pub fn is_transient(&self) -> bool {
        match self {
            ArticleError::Fetch { may_pass, .. } => *may_pass,
            ArticleError::Store { .. } => true,
            ArticleError::Status { status, .. } => status_may_pass(*status),
            _ => false,
        }
    }

    /// A short stable name for the kind of failure (the `kind` of JSON error documents).
    pub fn kind(&self) -> &'static str {
        match self {
            ArticleError::InvalidUrl { .. } => "invalid-url",
            ArticleError::NotHttp { .. } => "not-http",
            ArticleError::Fetch { .. } => "fetch",
            ArticleError::Status { .. } => "http-status",
            ArticleError::NotHtml { .. } => "not-html",
            ArticleError::NotText { .. } => "not-text",
            ArticleError::Discovery { .. } => "discovery",
            ArticleError::Store { .. } => "store",
        }
    }
}

/// Why a post could not be archived or checked now. Each variant names the post.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PostError {
    /// The platform gave no usable answer now (rate limit, login wall, server error,
    /// unreadable answer); the post keeps its status.
    #[error("{post_url} could not be checked now ({source_name}): {evidence}")]
    Transient {
        post_url: String,
        source_name: String,
        evidence: String,
    },
    /// The embed could not be recorded against its article.
    #[error("cannot store embed {post_url}: {message}")]
    Embed { post_url: String, message: String },
    /// The check or snapshot could not be written to the archive.
    #[error("cannot store post {post_url}: {message}")]
    Store { post_url: String, message: String },
    /// Resolving the post failed inside the program (it panicked).
    #[error("{post_url} could not be archived: {message}")]
    Task { post_url: String, message: String },
    /// The post is not in the archive.
    #[error("{post_url} is not in the archive")]
    NotArchived { post_url: String },
}

/// What archiving (or scanning) one article found and did.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleOutcome {
    /// The article as asked for.
    pub url: String,
    pub final_url: Option<String>,
    pub title: Option<String>,
    pub fetched_at: Option<DateTime<Utc>>,
    pub http_status: Option<u16>,
    /// Why the article failed as a whole; `None` when its embeds were found.
    pub error: Option<ArticleError>,
    /// Every embed in page order (for a scan: found, nothing resolved).
    pub embeds: Vec<EmbedOutcome>,
    pub remnants: Vec<Remnant>,
    /// Embeds found beyond `limits.max_embeds_per_article`, left out and not resolved.
    pub truncated: usize,
    /// Discovery stopped reading the page at its own caps (thousands of embed forms, or
    /// megabytes of embed markup): what follows was not looked at.
    pub discovery_truncated: bool,
}

impl ArticleOutcome {
    /// An article that failed before its embeds could be found.
    pub fn failed(url: &str, error: ArticleError) -> ArticleOutcome {
        ArticleOutcome {
            url: url.to_owned(),
            final_url: None,
            title: None,
            fetched_at: None,
            http_status: None,
            error: Some(error),
            embeds: Vec::new(),
            remnants: Vec::new(),
            truncated: 0,
            discovery_truncated: false,
        }
    }

    /// True when the article or any of its embeds failed, or embeds were left out.
    pub fn has_failures(&self) -> bool {
        self.error.is_some()
            || self.truncated > 0
            || self.discovery_truncated
            || self.embeds.iter().any(|e| e.error.is_some())
    }
}

/// One embed of an article and, once archived, its post's archive id, status and content.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbedOutcome {
    pub embed: EmbedRef,
    /// The post's id in the archive; `None` for widgets and in a scan.
    pub archive_id: Option<i64>,
    /// The status readers see: the operator's pin if there is one, else the checks' verdict.
    pub status: PostStatus,
    /// The operator's pin that `status` follows; `None` when the checks decide.
    pub pin: Option<PostStatus>,
    pub error: Option<PostError>,
    /// The snapshot that represents the post now.
    pub snapshot: Option<StoredSnapshot>,
}

impl EmbedOutcome {
    /// An embed as found, nothing archived yet.
    pub fn found(embed: EmbedRef) -> EmbedOutcome {
        EmbedOutcome {
            embed,
            archive_id: None,
            status: PostStatus::Unknown,
            pin: None,
            error: None,
            snapshot: None,
        }
    }
}

/// What checking one post now concluded.
#[derive(Debug, Clone, PartialEq)]
pub struct PostCheck {
    /// The post after the check (status, pin, schedule).
    pub post: PostRecord,
    /// This check's own answer; `None` when the platform has no resolver.
    pub outcome: Option<CheckOutcome>,
    pub error: Option<PostError>,
    /// True when the check stored new content (a first snapshot, or an edit).
    pub new_snapshot: bool,
    pub snapshot: Option<StoredSnapshot>,
}

/// A post as the archive holds it: status, every snapshot (newest first) and its checks.
#[derive(Debug, Clone, PartialEq)]
pub struct PostView {
    pub post: PostRecord,
    /// The kind the post was embedded as (`None` if no article embeds it any more).
    pub kind: Option<EmbedKind>,
    pub snapshots: Vec<StoredSnapshot>,
    pub checks: Vec<CheckRecord>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One rule for the article jobs, the sitemap walk and the re-queue of articles: a status
    /// that may pass is retried, any other is the answer.
    #[test]
    fn statuses_that_may_pass_are_retried() {
        for status in [408, 425, 429, 500, 503] {
            assert!(status_may_pass(status), "{status}");
            let error = ArticleError::Status {
                url: "https://a.example/".into(),
                status,
                retry_after: None,
            };
            assert!(error.is_transient(), "{status}");
        }
        for status in [200, 301, 403, 404, 410, 451] {
            assert!(!status_may_pass(status), "{status}");
        }
    }
}
