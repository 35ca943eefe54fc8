//! `store` is the SQLite archive: open (WAL), migrate from the embedded `schema/` files, and typed
//! reads and writes of articles, posts, snapshots, media, blobs and checks. It never fetches
//! anything. Every archived post is written in one `BEGIN IMMEDIATE` transaction, so a crash
//! leaves the whole snapshot or none of it, and a failed refresh never replaces a good snapshot.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::model::{CheckRecord, EmbedRef, LivenessState, Platform, PostKey, Snapshot};

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row asked for does not exist (the server answers 404 on this).
    #[error("not found: {0}")]
    NotFound(String),
    /// Placeholder until the store lands.
    #[error("database {path}: {message}")]
    Other { path: PathBuf, message: String },
}

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
}

/// A snapshot as stored, with its archive id and bookkeeping.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSnapshot {
    pub id: i64,
    pub post_id: i64,
    pub content_sha256: String,
    pub first_seen_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// Media thumbnails carry metadata; their bytes are left empty (read them with [`Store::blob`]).
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

/// Counts for `db stats`.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Stats {
    pub articles: u64,
    pub posts: u64,
    pub posts_by_status: Vec<(String, u64)>,
    pub snapshots: u64,
    pub media: u64,
    pub blobs: u64,
    pub blob_bytes: u64,
    pub checks: u64,
    pub schema_version: u32,
    pub file_bytes: u64,
}

/// The archive.
pub struct Store {
    path: PathBuf,
}

impl Store {
    /// Open (creating if missing) and migrate. Refuses a file that is not SQLite or that has a
    /// newer schema than this binary knows, without touching it.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Err(StoreError::Other {
            path: path.to_owned(),
            message: "not implemented".into(),
        })
    }

    /// Open an existing archive read-only (no migration; refuses an older or newer schema).
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        Store::open(path)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Insert or update an article by URL; returns its id.
    pub fn save_article(&mut self, _article: &ArticleRecord) -> Result<i64, StoreError> {
        Err(self.todo())
    }

    /// Record that an embed appears in an article; upserts the post for post embeds and returns
    /// its id (`None` for widgets, which are recorded against the article only).
    pub fn save_embed(
        &mut self,
        _article_id: i64,
        _embed: &EmbedRef,
    ) -> Result<Option<i64>, StoreError> {
        Err(self.todo())
    }

    /// In one `BEGIN IMMEDIATE` transaction: append the check to the history, store the snapshot
    /// if one is given (deduplicated by content hash: same content only moves `last_seen_at`), and
    /// set the post's liveness to `decide(previous)`.
    pub fn write_check(
        &mut self,
        _post_id: i64,
        _check: &CheckRecord,
        _snapshot: Option<&Snapshot>,
        _decide: &dyn Fn(&LivenessState) -> LivenessState,
    ) -> Result<CheckWritten, StoreError> {
        Err(self.todo())
    }

    /// A post by its canonical URL.
    pub fn post_by_url(&self, url: &str) -> Result<PostRecord, StoreError> {
        Err(StoreError::NotFound(url.to_owned()))
    }

    /// A post by platform + id.
    pub fn post_by_key(&self, key: &PostKey) -> Result<PostRecord, StoreError> {
        Err(StoreError::NotFound(format!(
            "{}:{}",
            key.platform, key.post_id
        )))
    }

    /// A post by archive id.
    pub fn post(&self, id: i64) -> Result<PostRecord, StoreError> {
        Err(StoreError::NotFound(format!("post {id}")))
    }

    /// The newest snapshot of a post.
    pub fn latest_snapshot(&self, _post_id: i64) -> Result<Option<StoredSnapshot>, StoreError> {
        Err(self.todo())
    }

    /// Every snapshot of a post, newest first.
    pub fn snapshots(&self, _post_id: i64) -> Result<Vec<StoredSnapshot>, StoreError> {
        Err(self.todo())
    }

    /// The liveness history of a post, newest first.
    pub fn checks(&self, _post_id: i64) -> Result<Vec<CheckRecord>, StoreError> {
        Err(self.todo())
    }

    /// A blob's bytes by sha256 (decompressed).
    pub fn blob(&self, sha256: &str) -> Result<Vec<u8>, StoreError> {
        Err(StoreError::NotFound(sha256.to_owned()))
    }

    /// Counts for `db stats`.
    pub fn stats(&self) -> Result<Stats, StoreError> {
        Err(self.todo())
    }

    /// `PRAGMA integrity_check` and `foreign_key_check`, plus blob digest checks; an empty list
    /// means healthy.
    pub fn check(&self) -> Result<Vec<String>, StoreError> {
        Err(self.todo())
    }

    fn todo(&self) -> StoreError {
        StoreError::Other {
            path: self.path.clone(),
            message: "not implemented".into(),
        }
    }
}
