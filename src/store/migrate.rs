//! Schema migrations: the numbered `schema/NNNN_name.sql` files, embedded in the binary and
//! applied in order, each in its own transaction, with `PRAGMA user_version` recording how many
//! have been applied. A migration is never edited once released; a change is a new file.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use super::error::{AtPath, StoreError};

/// Every migration, in order; migration `i` (0-based) brings the schema to version `i + 1`.
pub(crate) const MIGRATIONS: &[(&str, &str)] =
    &[("0001_init", include_str!("../../schema/0001_init.sql"))];

/// The schema version this binary writes.
pub(crate) fn known_version() -> u32 {
    // The list is a short compile-time constant.
    MIGRATIONS.len() as u32
}

/// Apply the migrations the database has not seen yet; returns how many were applied.
pub(crate) fn migrate(conn: &mut Connection, path: &Path) -> Result<u32, StoreError> {
    let mut applied = 0;
    for (index, (name, sql)) in MIGRATIONS.iter().enumerate() {
        let version = index as u32 + 1;
        // IMMEDIATE takes the write lock first, so two processes opening a new file at once
        // cannot both apply the same migration: the second sees the new user_version.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .at(path)?;
        let current: u32 = tx
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .at(path)?;
        if current >= version {
            continue;
        }
        tx.execute_batch(sql).at(path)?;
        tx.pragma_update(None, "user_version", version).at(path)?;
        tx.commit().at(path)?;
        tracing::info!(path = %path.display(), migration = name, "applied schema migration");
        applied += 1;
    }
    Ok(applied)
}
