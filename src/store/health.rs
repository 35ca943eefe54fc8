//! `db check`: SQLite's own integrity and foreign-key checks, plus what SQLite cannot know:
//! that every blob's content still hashes to the digest it is stored under, and every snapshot's
//! content to the hash it is deduplicated by.

use super::Store;
use super::snapshots::{SNAPSHOT_COLUMNS, snapshot_from_row};

/// Snapshots are re-hashed this many at a time, to bound memory on a large archive.
const SNAPSHOT_BATCH: i64 = 500;
use super::blobs::{sha256_hex, unpack};
use super::error::{AtPath, StoreError};

/// The problems of the file itself found at open (a file cut short), as `check` lists them.
pub(super) fn file_problems(cut_short: &[String]) -> impl Iterator<Item = String> + '_ {
    cut_short.iter().map(|p| format!("file: {p}"))
}

/// One of `check`'s checks: it adds the problems it finds.
type Stage = fn(&Store, &mut Vec<String>) -> Result<(), StoreError>;

impl Store {
    /// `PRAGMA integrity_check` and `foreign_key_check`, plus blob digest checks; an empty list
    /// means healthy. Each problem is one human-readable line. A check that SQLite cannot carry
    /// out on a damaged file (a page cut short, a row it cannot read) is a problem too, with
    /// what SQLite said, and the checks after it still run: this is the command a damaged
    /// archive sends its user to.
    pub fn check(&self) -> Result<Vec<String>, StoreError> {
        // As found at open: the header cannot be read again through a descriptor of our own
        // while this connection is open (closing it would drop the connection's locks).
        let mut problems: Vec<String> = file_problems(&self.cut_short).collect();
        let stages: [(&str, Stage); 4] = [
            ("integrity check", Store::check_integrity),
            ("foreign key check", Store::check_foreign_keys),
            ("blob digests", Store::check_blobs),
            ("snapshot hashes", Store::check_snapshot_hashes),
        ];
        for (stage, run) in stages {
            if let Err(e) = run(self, &mut problems) {
                let said = match &e {
                    StoreError::Sqlite { source, .. } => source.to_string(),
                    other => other.to_string(),
                };
                problems.push(format!("sqlite: {stage} could not be done: {said}"));
            }
        }
        Ok(problems)
    }

    fn check_integrity(&self, problems: &mut Vec<String>) -> Result<(), StoreError> {
        let integrity: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")
            .and_then(|mut stmt| {
                stmt.query_map([], |row| row.get(0))?
                    .collect::<rusqlite::Result<Vec<String>>>()
            })
            .at(&self.path)?;
        problems.extend(
            integrity
                .into_iter()
                .filter(|line| line != "ok")
                .map(|line| format!("integrity: {line}")),
        );
        Ok(())
    }

    fn check_foreign_keys(&self, problems: &mut Vec<String>) -> Result<(), StoreError> {
        let foreign: Vec<String> = self
            .conn
            .prepare("PRAGMA foreign_key_check")
            .and_then(|mut stmt| {
                stmt.query_map([], |row| {
                    let table: String = row.get(0)?;
                    let rowid: Option<i64> = row.get(1)?;
                    let parent: String = row.get(2)?;
                    Ok(format!(
                        "foreign key: {table} row {} refers to a missing {parent} row",
                        rowid.map_or_else(|| "?".to_owned(), |r| r.to_string())
                    ))
                })?
                .collect::<rusqlite::Result<Vec<String>>>()
            })
            .at(&self.path)?;
        problems.extend(foreign);
        Ok(())
    }

    fn check_blobs(&self, problems: &mut Vec<String>) -> Result<(), StoreError> {
        // One blob at a time: the table may hold more than fits in memory at once.
        let mut stmt = self
            .conn
            .prepare("SELECT sha256, size, compression, data FROM blobs ORDER BY rowid")
            .at(&self.path)?;
        let mut rows = stmt.query([]).at(&self.path)?;
        while let Some(row) = rows.next().at(&self.path)? {
            let sha256: String = row.get(0).at(&self.path)?;
            let size: i64 = row.get(1).at(&self.path)?;
            let compression: String = row.get(2).at(&self.path)?;
            let data: Vec<u8> = row.get(3).at(&self.path)?;
            match unpack(&compression, data) {
                Err(e) => problems.push(format!("blob {sha256}: cannot decompress: {e}")),
                Ok(content) => {
                    let actual = sha256_hex(&content);
                    if actual != sha256 {
                        problems.push(format!("blob {sha256}: content hashes to {actual}"));
                    } else if i64::try_from(content.len()).ok() != Some(size) {
                        problems.push(format!(
                            "blob {sha256}: size is {} but {size} is recorded",
                            content.len()
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// Recompute every snapshot's content hash from its stored fields and media.
    fn check_snapshot_hashes(&self, problems: &mut Vec<String>) -> Result<(), StoreError> {
        let mut after = 0i64;
        loop {
            let batch = self
                .conn
                .prepare_cached(&format!(
                    "SELECT {SNAPSHOT_COLUMNS} FROM snapshots WHERE id > ?1 ORDER BY id LIMIT ?2"
                ))
                .and_then(|mut stmt| {
                    stmt.query_map([after, SNAPSHOT_BATCH], snapshot_from_row)?
                        .collect::<rusqlite::Result<Vec<_>>>()
                })
                .at(&self.path)?;
            let Some(last) = batch.last() else {
                return Ok(());
            };
            after = last.id;
            for stored in self.with_media(batch)? {
                // A version-1 row holds the hash of fewer fields (see `CONTENT_VERSION`).
                let actual = stored.snapshot.content_sha256_at(stored.content_version);
                if actual != stored.content_sha256 {
                    problems.push(format!(
                        "snapshot {} of post {}: content hashes to {actual}, stored as {}",
                        stored.id, stored.post_id, stored.content_sha256
                    ));
                }
            }
        }
    }
}
