//! `db check`: SQLite's own integrity and foreign-key checks, plus what SQLite cannot know:
//! that every blob's content still hashes to the digest it is stored under.

use super::Store;
use super::blobs::{sha256_hex, unpack};
use super::error::{AtPath, StoreError};

impl Store {
    /// `PRAGMA integrity_check` and `foreign_key_check`, plus blob digest checks; an empty list
    /// means healthy. Each problem is one human-readable line.
    pub fn check(&self) -> Result<Vec<String>, StoreError> {
        let mut problems = Vec::new();

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
        Ok(problems)
    }
}
