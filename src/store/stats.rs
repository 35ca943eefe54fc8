//! Counts for `db stats` and `/metrics`: cheap aggregate queries, no per-row work.

use rusqlite::OptionalExtension;

use super::error::{AtPath, StoreError};
use super::{Stats, Store};
use crate::model::PostStatus;

fn as_u64(n: i64) -> u64 {
    // Counts and sums of sizes are never negative.
    u64::try_from(n).unwrap_or(0)
}

impl Store {
    fn count(&self, sql: &str) -> Result<u64, StoreError> {
        self.conn
            .query_row(sql, [], |row| row.get::<_, i64>(0))
            .map(as_u64)
            .at(&self.path)
    }

    /// Counts for `db stats`.
    pub fn stats(&self) -> Result<Stats, StoreError> {
        let mut posts_by_status = std::collections::BTreeMap::new();
        for status in PostStatus::ALL {
            let n: i64 = self
                .conn
                .prepare_cached("SELECT count(*) FROM posts WHERE COALESCE(pin, status) = ?1")
                .and_then(|mut stmt| stmt.query_row([status.as_str()], |row| row.get(0)))
                .at(&self.path)?;
            posts_by_status.insert(status.as_str().to_owned(), as_u64(n));
        }
        let schema_version: u32 = self
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .at(&self.path)?;
        let file_bytes = [self.path.clone(), super::files::wal(&self.path)]
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum();
        let blob_bytes: Option<i64> = self
            .conn
            .query_row("SELECT sum(length(data)) FROM blobs", [], |row| row.get(0))
            .optional()
            .at(&self.path)?
            .flatten();
        Ok(Stats {
            articles: self.count("SELECT count(*) FROM articles")?,
            posts: self.count("SELECT count(*) FROM posts")?,
            posts_by_status,
            snapshots: self.count("SELECT count(*) FROM snapshots")?,
            media: self.count("SELECT count(*) FROM media")?,
            blobs: self.count("SELECT count(*) FROM blobs")?,
            blob_bytes: blob_bytes.map_or(0, as_u64),
            checks: self.count("SELECT count(*) FROM checks")?,
            schema_version,
            file_bytes,
        })
    }
}
