//! The files of one archive: the database and the files SQLite keeps beside it (its
//! write-ahead log, the shared memory of WAL readers, a rollback journal), each named by the
//! database's path and a suffix.

use std::path::{Path, PathBuf};

use super::open_files::file_id;

/// SQLite's files beside a database, by suffix, with what each is.
const BESIDE: [(&str, &str); 3] = [
    ("-wal", "the archive's write-ahead log"),
    ("-shm", "the archive's shared-memory file"),
    ("-journal", "the archive's rollback journal"),
];

/// The file SQLite names `suffix` beside the database at `db` (`-wal`, `-shm`, `-journal`).
pub(crate) fn beside(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

/// The WAL file beside the database at `db`.
pub(crate) fn wal(db: &Path) -> PathBuf {
    beside(db, "-wal")
}

/// What `file` is of the archive at `db`, when it is one of its files: the database itself or
/// one SQLite keeps beside it, however the two paths are spelled (relative, through a
/// symbolic or hard link: compared by device and inode). A file SQLite keeps beside it that
/// does not exist yet is named too (its name in the database's folder), since SQLite would
/// take it over, and delete it, at its next write. `None` for any other file.
pub fn archive_file(db: &Path, file: &Path) -> Option<&'static str> {
    let files = || {
        std::iter::once((db.to_owned(), "the archive itself"))
            .chain(BESIDE.map(|(suffix, what)| (beside(db, suffix), what)))
    };
    if let Some(id) = file_id(file) {
        return files()
            .find(|(path, _)| file_id(path) == Some(id))
            .map(|(_, what)| what);
    }
    let folder_id = |p: &Path| {
        let folder = p.parent().filter(|f| !f.as_os_str().is_empty());
        file_id(folder.unwrap_or(Path::new(".")))
    };
    let (name, folder) = (file.file_name()?, folder_id(file)?);
    files()
        .find(|(path, _)| path.file_name() == Some(name) && folder_id(path) == Some(folder))
        .map(|(_, what)| what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_archive_and_its_files_are_known_however_spelled() {
        let dir = tempfile::tempdir().expect("tmp");
        let db = dir.path().join("a.db");
        std::fs::write(&db, b"x").expect("write");
        std::fs::write(wal(&db), b"x").expect("write");
        let other = dir.path().join("b.db");
        std::fs::write(&other, b"x").expect("write");
        let linked = dir.path().join("linked.db");
        std::fs::hard_link(&db, &linked).expect("link");
        assert_eq!(archive_file(&db, &db), Some("the archive itself"));
        assert_eq!(
            archive_file(&db, &dir.path().join(".").join("a.db")),
            Some("the archive itself")
        );
        assert_eq!(archive_file(&db, &linked), Some("the archive itself"));
        assert_eq!(
            archive_file(&db, &wal(&db)),
            Some("the archive's write-ahead log")
        );
        assert_eq!(archive_file(&db, &other), None);
        // Not there yet, however spelled: SQLite would take it over.
        assert_eq!(
            archive_file(&db, &dir.path().join(".").join("a.db-shm")),
            Some("the archive's shared-memory file")
        );
        assert_eq!(
            archive_file(&db, &beside(&db, "-journal")),
            Some("the archive's rollback journal")
        );
        assert_eq!(archive_file(&db, &dir.path().join("a.db-other")), None);
    }
}
