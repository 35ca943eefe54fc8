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

impl Store {
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
