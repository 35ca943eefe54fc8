//! Reads for `embedkeep export`: the archive walked post by post, so an export of any size
//! holds one post's snapshots and bodies in memory at a time.

use super::Store;
use super::error::{AtPath, StoreError};

/// A recorded upstream answer of a snapshot without its bytes: the export reads each body
/// itself (`Store::blob`) and checks it against `sha256` before writing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawBodyRef {
    pub url: String,
    pub content_type: Option<String>,
    /// The digest the body is stored under (lowercase hex).
    pub sha256: String,
}

impl Store {
    /// The archive ids of every post, in id order.
    pub fn post_ids(&self) -> Result<Vec<i64>, StoreError> {
        self.conn
            .prepare_cached("SELECT id FROM posts ORDER BY id")
            .and_then(|mut stmt| {
                stmt.query_map([], |row| row.get(0))?
                    .collect::<rusqlite::Result<Vec<i64>>>()
            })
            .at(&self.path)
    }

    /// The raw upstream answers a snapshot was read from, in order, without their bytes.
    pub fn raw_body_refs(&self, snapshot_id: i64) -> Result<Vec<RawBodyRef>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT url, content_type, blob_sha256 FROM snapshot_raw \
                 WHERE snapshot_id = ?1 ORDER BY position",
            )
            .and_then(|mut stmt| {
                stmt.query_map([snapshot_id], |row| {
                    Ok(RawBodyRef {
                        url: row.get(0)?,
                        content_type: row.get(1)?,
                        sha256: row.get(2)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .at(&self.path)
    }
}
