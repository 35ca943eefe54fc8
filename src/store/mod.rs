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

mod article_keys;
mod articles;
mod blobs;
mod checks;
mod columns;
mod error;
mod export;
mod files;
mod handle;
mod health;
mod jobs;
mod maintenance;
mod migrate;
mod newsroom;
mod open;
mod open_files;
mod posts;
mod serving;
mod snapshots;
mod stats;
mod tally;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use self::error::AtPath;

pub use crate::model::{
    ArticleRecord, ArticleValidators, CheckWritten, PostRecord, StoredArticle, StoredEmbed,
    StoredSnapshot,
};

pub(crate) use blobs::sha256_hex;
pub use error::StoreError;
pub use export::RawBodyRef;
pub use files::archive_file;
pub use handle::{StoreHandles, StoreReader, StoreWriter};
pub use jobs::{ErrorClass, Job, JobKind, QueueDepth, SourceState};
pub use maintenance::{Interrupter, RetentionReport};
pub use serving::{ArticleView, CardStamp, EmbeddedPost, LatestSnapshot, ServingCounts};
pub use tally::{JOB_ENDINGS, Polls, Tally};

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
    /// What the file's header said of a file cut short when it was opened (`db check`).
    cut_short: Vec<String>,
    /// What this connection's writes did, when it is a writer's ([`StoreWriter::tally`]).
    tally: std::sync::Arc<Tally>,
    /// Counts this connection among the process's on its file until it is closed: declared
    /// after `conn`, so dropped after it.
    _open_file: open_files::OpenFile,
}

impl Store {
    /// Run `reads` as one read transaction: they see one state of the archive even while a
    /// writer commits, and the file locks SQLite takes for a transaction (on the database and
    /// its WAL index) are taken once, not once per statement. Inside a transaction already,
    /// `reads` simply run in it.
    pub fn as_one_read<R>(
        &self,
        reads: impl FnOnce(&Store) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        if !self.conn.is_autocommit() {
            return reads(self);
        }
        self.conn
            .prepare_cached("BEGIN DEFERRED")
            .and_then(|mut stmt| stmt.execute([]))
            .at(&self.path)?;
        let result = reads(self);
        let ended = self
            .conn
            .prepare_cached("COMMIT")
            .and_then(|mut stmt| stmt.execute([]))
            .at(&self.path);
        if ended.is_err() {
            // Ending a read transaction loses nothing, but a connection left inside one would
            // go on reading that old state: leave it by any means, and report the failure.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        match (result, ended) {
            (Ok(value), Ok(_)) => Ok(value),
            (Err(e), _) | (Ok(_), Err(e)) => Err(e),
        }
    }

    /// Open (creating the file and its directories if missing) and migrate. Refuses a file that
    /// is not SQLite or that has a newer schema than this binary knows, without touching it,
    /// and a file or directory without write permission.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Store::from_opened(path, open::open(path, open::Access::ReadWrite)?)
    }

    /// Open an existing archive read-only (no migration; refuses an older or newer schema).
    /// Every write method then fails with [`StoreError::ReadOnly`].
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        Store::from_opened(path, open::open(path, open::Access::ReadOnly)?)
    }

    fn from_opened(path: &Path, opened: open::Opened) -> Result<Store, StoreError> {
        let open::Opened {
            conn,
            counted,
            cut_short,
        } = opened;
        Ok(Store {
            path: path.to_owned(),
            conn,
            cut_short,
            tally: std::sync::Arc::default(),
            _open_file: counted,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Let the file grow no further on this connection (SQLite's `max_page_count`): a write
    /// that needs a new page then fails as on a full disk. Tests use it to fill the "disk".
    #[cfg(test)]
    pub(crate) fn stop_growing(&self) -> Result<(), StoreError> {
        let pages: i64 = self
            .conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .map_err(|e| StoreError::sqlite(&self.path, e))?;
        self.conn
            .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))
            .map_err(|e| StoreError::sqlite(&self.path, e))
    }

    /// Let the file grow again after [`Store::stop_growing`].
    #[cfg(test)]
    pub(crate) fn grow_again(&self) -> Result<(), StoreError> {
        self.conn
            .query_row("PRAGMA max_page_count = 1073741823", [], |_| Ok(()))
            .map_err(|e| StoreError::sqlite(&self.path, e))
    }

    /// The schema version this binary creates and expects.
    pub fn schema_version() -> u32 {
        migrate::known_version()
    }
}

#[cfg(test)]
mod tests;
