//! Writing a liveness check, and reading the history. `write_check` is the one write of the
//! check pipeline: the check, the snapshot (if any), its blobs and the post's new liveness go
//! in one `BEGIN IMMEDIATE` transaction, so either all of it lands or none of it does.

use chrono::{DateTime, Utc};
use rusqlite::{Row, TransactionBehavior, params};

use super::columns::{get_parsed, get_time, time};
use super::error::{AtPath, StoreError};
use super::posts::{load_post, write_liveness};
use super::snapshots::{load_latest, store_snapshot};
use super::{CheckWritten, Store};
use crate::model::{CheckRecord, LivenessState, Snapshot};

fn check_from_row(row: &Row<'_>) -> rusqlite::Result<CheckRecord> {
    Ok(CheckRecord {
        at: get_time(row, 0)?,
        outcome: get_parsed(row, 1)?,
        source: row.get(2)?,
        evidence: row.get(3)?,
    })
}

impl Store {
    /// In one `BEGIN IMMEDIATE` transaction: append the check to the history, store the snapshot
    /// if one is given (deduplicated by content hash: same content only moves `last_seen_at`), and
    /// set the post's liveness to `decide(previous)`. Without a snapshot the stored ones are left
    /// alone, so a failed refresh never loses archived content. On any error (or a panic in
    /// `decide`) nothing is written.
    ///
    /// A degraded answer (fewer fields, no media, a failed enrichment: see
    /// [`Snapshot::replaces`]) is recorded as a check but does not become the post's content; the
    /// latest snapshot it is compared with is read inside the same transaction.
    pub fn write_check(
        &mut self,
        post_id: i64,
        check: &CheckRecord,
        snapshot: Option<&Snapshot>,
        decide: &dyn Fn(&LivenessState) -> LivenessState,
    ) -> Result<CheckWritten, StoreError> {
        self.write_check_scheduled(post_id, check, snapshot, decide, None)
    }

    /// [`Store::write_check`], also setting when the post is next due for a check (`None`
    /// leaves the schedule as it is), in the same transaction.
    pub fn write_check_scheduled(
        &mut self,
        post_id: i64,
        check: &CheckRecord,
        snapshot: Option<&Snapshot>,
        decide: &dyn Fn(&LivenessState) -> LivenessState,
        next_check_at: Option<DateTime<Utc>>,
    ) -> Result<CheckWritten, StoreError> {
        let path = self.path.clone();
        // Dropping the transaction without commit (early return or unwinding) rolls it back.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .at(&path)?;
        let post = load_post(&tx, post_id)
            .at(&path)?
            .ok_or_else(|| StoreError::NotFound(format!("post {post_id}")))?;
        let (platform, previous) = (post.platform, post.liveness);

        let latest = load_latest(&tx, &path, post_id)?;
        let snapshot = snapshot.filter(|new| new.replaces(latest.as_ref()));
        let (snapshot_id, new_snapshot) = match snapshot {
            Some(s) => {
                let (id, new) = store_snapshot(&tx, &path, post_id, s)?;
                (Some(id), new)
            }
            None => (None, false),
        };

        tx.prepare_cached(
            "INSERT INTO checks (post_id, at, outcome, source, evidence, snapshot_id) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .and_then(|mut stmt| {
            stmt.execute(params![
                post_id,
                time(check.at),
                check.outcome.as_str(),
                check.source,
                check.evidence,
                snapshot_id,
            ])
        })
        .at(&path)?;

        let liveness = decide(&previous);
        write_liveness(&tx, post_id, &liveness, check.at).at(&path)?;
        if let Some(at) = next_check_at {
            tx.prepare_cached("UPDATE posts SET next_check_at = ?2 WHERE id = ?1")
                .and_then(|mut stmt| stmt.execute(params![post_id, time(at)]))
                .at(&path)?;
        }
        tx.commit().at(&path)?;
        self.tally.check(platform.as_str(), check.outcome.as_str());
        Ok(CheckWritten {
            snapshot_id,
            new_snapshot,
            liveness,
        })
    }

    /// The liveness history of a post, newest first.
    pub fn checks(&self, post_id: i64) -> Result<Vec<CheckRecord>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT at, outcome, source, evidence FROM checks WHERE post_id = ?1 \
                 ORDER BY at DESC, id DESC",
            )
            .at(&self.path)?;
        let rows = stmt.query_map([post_id], check_from_row).at(&self.path)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().at(&self.path)
    }
}
