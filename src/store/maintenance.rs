//! Keeping a long-lived archive in shape: WAL checkpoints, pruning old check history, and
//! reclaiming free pages. The daemon's `retention` job and a clean shutdown call these.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::Store;
use super::columns::time;
use super::error::{AtPath, StoreError};

/// What a retention pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetentionReport {
    /// Check rows deleted (older than the cut-off and not the newest of their post).
    pub checks_pruned: u64,
    /// Whether the file was vacuumed.
    pub vacuumed: bool,
}

/// Stops a statement another thread is running on a store's connection (a long `VACUUM INTO`)
/// as soon as SQLite next looks: it then fails as interrupted, and what it wrote is its own
/// file's to delete.
pub struct Interrupter(rusqlite::InterruptHandle);

impl Interrupter {
    pub fn interrupt(&self) {
        self.0.interrupt();
    }
}

impl Store {
    /// What stops this store's running statement from another thread.
    pub fn interrupter(&self) -> Interrupter {
        Interrupter(self.conn.get_interrupt_handle())
    }

    /// Write a consistent copy of the archive to `dest`, a file that must not exist yet (or be
    /// empty):
    /// SQLite's `VACUUM INTO`, one read transaction, so a daemon writing beside it goes on and
    /// the copy holds the archive as of one moment (its WAL included), compacted.
    pub fn backup_to(&self, dest: &std::path::Path) -> Result<(), StoreError> {
        // SQLite takes the name as UTF-8: a name read lossily would put the copy elsewhere.
        let target = dest.to_str().ok_or_else(|| {
            StoreError::Invalid(format!(
                "{}: a backup's file name must be UTF-8",
                dest.display()
            ))
        })?;
        // A read-only archive's connection refuses every statement that writes, `VACUUM INTO`
        // too, though it writes only the new file: lifted for this one, the file's own
        // read-only opening still guards the archive.
        let query_only: bool = self
            .conn
            .pragma_query_value(None, "query_only", |row| row.get(0))
            .at(&self.path)?;
        if query_only {
            self.conn
                .pragma_update(None, "query_only", false)
                .at(&self.path)?;
        }
        let copied = self
            .conn
            .execute("VACUUM INTO ?1", [target])
            .map(|_| ())
            // What fails here is the copy's file (its folder, its disk): named as such.
            .at(dest);
        if query_only {
            self.conn
                .pragma_update(None, "query_only", true)
                .at(&self.path)?;
        }
        copied
    }

    /// Copy the WAL's pages into the database file and truncate the WAL.
    pub fn checkpoint(&mut self) -> Result<(), StoreError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .at(&self.path)
    }

    /// Delete checks older than `before`, keeping for every post its newest check and for every
    /// snapshot the first check that saw it (when that content appeared; the snapshot's own
    /// `last_seen_at` says when it was last seen). The live checks that saw the same content
    /// again are pruned like any other: they point at the snapshot too, and keeping them all
    /// would grow the history by one row per post per check forever. Then checkpoint, and
    /// vacuum when more than a quarter of the file is free pages.
    pub fn retention(&mut self, before: DateTime<Utc>) -> Result<RetentionReport, StoreError> {
        let pruned = self
            .conn
            .execute(
                "DELETE FROM checks WHERE at < ?1 \
                 AND id NOT IN (SELECT max(id) FROM checks GROUP BY post_id) \
                 AND id NOT IN (SELECT min(id) FROM checks WHERE snapshot_id IS NOT NULL \
                                GROUP BY snapshot_id)",
                params![time(before)],
            )
            .at(&self.path)?;
        self.checkpoint()?;
        let free: i64 = self
            .conn
            .query_row("PRAGMA freelist_count", [], |row| row.get(0))
            .at(&self.path)?;
        let pages: i64 = self
            .conn
            .query_row("PRAGMA page_count", [], |row| row.get(0))
            .at(&self.path)?;
        let vacuumed = pages > 0 && free * 4 > pages;
        if vacuumed {
            self.conn.execute_batch("VACUUM").at(&self.path)?;
        }
        Ok(RetentionReport {
            checks_pruned: u64::try_from(pruned).unwrap_or(0),
            vacuumed,
        })
    }
}
