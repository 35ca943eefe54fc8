//! `store` is the SQLite archive: open (WAL), migrate from the embedded `schema/` files, and typed
//! reads and writes of articles, posts, snapshots, media, blobs and checks. It never fetches
//! anything and never hands out rows: callers get `model` types. Every archived post is written
//! in one `BEGIN IMMEDIATE` transaction, so a crash leaves the whole snapshot or none of it, and
//! a failed refresh never replaces a good snapshot.
//!
//! The store is synchronous: callers run it on a blocking thread. `Store` is `Send` (not `Sync`),
//! so one thread owns the writer and readers open their own read-only stores.
//!
//! Layout: `open` (file checks, pragmas), `migrate` (the embedded `schema/` files), one file per
//! kind of row (`articles`, `posts`, `snapshots`, `blobs`, `checks`), `stats` and `health` for
//! `db stats` / `db check`, and `columns` for how times and names are written. Times are stored as
//! fixed-width RFC 3339 UTC text with nanoseconds, so they round-trip exactly and sort as text.

mod articles;
mod blobs;
mod checks;
mod columns;
mod error;
mod health;
mod migrate;
mod open;
mod posts;
mod snapshots;
mod stats;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::model::{EmbedRef, LivenessState, Platform, PostKey, Snapshot};

pub use error::StoreError;

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
}

/// A snapshot as stored, with its archive id and bookkeeping.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSnapshot {
    pub id: i64,
    pub post_id: i64,
    pub content_sha256: String,
    /// When this content was first fetched (also `snapshot.fetched_at`).
    pub first_seen_at: DateTime<Utc>,
    /// The latest fetch that returned this same content.
    pub last_seen_at: DateTime<Utc>,
    /// Media thumbnails carry metadata; their bytes are left empty (read them with [`Store::blob`]).
    /// `raw` is left empty; read the raw bodies with [`Store::raw_bodies`].
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
    /// Every status (`live`, `suspect`, `gone`, `unknown`, in that order), zeros included.
    /// Post counts keyed by status name (`live`, `suspect`, `gone`, `unknown`).
    pub posts_by_status: std::collections::BTreeMap<String, u64>,
    pub snapshots: u64,
    pub media: u64,
    pub blobs: u64,
    /// Bytes of blob data as stored (after compression).
    pub blob_bytes: u64,
    pub checks: u64,
    pub schema_version: u32,
    /// The database file plus its WAL file.
    pub file_bytes: u64,
}

/// The archive.
pub struct Store {
    path: PathBuf,
    conn: Connection,
}

impl Store {
    /// Open (creating the file and its directories if missing) and migrate. Refuses a file that
    /// is not SQLite or that has a newer schema than this binary knows, without touching it,
    /// and a file or directory without write permission.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = open::open(path, open::Access::ReadWrite)?;
        Ok(Store {
            path: path.to_owned(),
            conn,
        })
    }

    /// Open an existing archive read-only (no migration; refuses an older or newer schema).
    /// Every write method then fails with [`StoreError::ReadOnly`].
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        let conn = open::open(path, open::Access::ReadOnly)?;
        Ok(Store {
            path: path.to_owned(),
            conn,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version this binary creates and expects.
    pub fn schema_version() -> u32 {
        migrate::known_version()
    }
}

#[cfg(test)]
mod tests;
