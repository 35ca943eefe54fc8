//! Reads for `embedkeep export`: the archive walked post by post, so an export of any size
//! holds one post's snapshots and bodies in memory at a time.

use super::Store;
use super::error::{AtPath, StoreError};

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
}
