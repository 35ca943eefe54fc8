//! The store's one error type. `NotFound` stays apart from every other failure so the server
//! answers 404 without matching on strings; every other variant names the database file (or the
//! blob digest) it is about, so a log line is enough to find the problem.

use std::path::{Path, PathBuf};

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row asked for does not exist (the server answers 404 on this).
    #[error("not found: {0}")]
    NotFound(String),
    /// The request itself is not valid (e.g. pinning a post `suspect`).
    #[error("{0}")]
    Invalid(String),
    /// The file exists but is not an SQLite database; it was left untouched.
    #[error("{path} is not an SQLite database (left untouched)")]
    NotADatabase { path: PathBuf },
    /// The file is an SQLite database of another application (it has tables or an
    /// application id that are not embedkeep's); it was left untouched.
    #[error(
        "{path} is an SQLite database of another application, not an embedkeep archive (left untouched)"
    )]
    ForeignDatabase { path: PathBuf },
    /// The database was written by a newer embedkeep; it was left untouched.
    #[error(
        "{path} has schema version {found}, newer than the {known} this embedkeep knows; upgrade embedkeep (the file was left untouched)"
    )]
    NewerSchema {
        path: PathBuf,
        found: u32,
        known: u32,
    },
    /// A read-only open found a database that still needs migrating.
    #[error(
        "{path} has schema version {found}, older than {known}; run `embedkeep db migrate` first"
    )]
    OlderSchema {
        path: PathBuf,
        found: u32,
        known: u32,
    },
    /// The file or its directory cannot be written (permissions, read-only mount, or a store
    /// opened read-only).
    #[error("{path} is read-only: {reason}")]
    ReadOnly { path: PathBuf, reason: String },
    /// Another connection held the write lock longer than the busy timeout; retrying later
    /// may succeed.
    #[error("{path} is locked by another writer")]
    Busy { path: PathBuf },
    /// A file-system operation on the database or its directory failed.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// SQLite refused an operation.
    #[error("database {path}: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    /// `PRAGMA quick_check` found damage; the file was not written to.
    #[error(
        "{path} is damaged ({count} problem(s), first: {first}); run `embedkeep db check` and restore from a backup (the file was not written to)",
        count = problems.len(),
        first = problems.first().map(String::as_str).unwrap_or("unknown")
    )]
    Damaged {
        path: PathBuf,
        problems: Vec<String>,
    },
    /// The writer thread has stopped (the program is shutting down or it panicked).
    #[error("{path}: the database writer has stopped")]
    WriterStopped { path: PathBuf },
    /// A blocking store task could not finish (it panicked).
    #[error("{path}: {source}")]
    Task {
        path: PathBuf,
        #[source]
        source: crate::blocking::BlockingError,
    },
    /// A thumbnail's bytes do not hash to the sha256 it claims; nothing was written.
    #[error("thumbnail claims sha256 {claimed} but its bytes hash to {actual}")]
    DigestMismatch { claimed: String, actual: String },
    /// A stored blob could not be decompressed.
    #[error("blob {sha256} in {path} cannot be decompressed: {source}")]
    CorruptBlob {
        path: PathBuf,
        sha256: String,
        #[source]
        source: std::io::Error,
    },
}

impl StoreError {
    /// Whether the error is a failure of the file rather than of the command: the disk is
    /// full, the file turned read-only or damaged, I/O failed, another process holds the write
    /// lock. Writes that fail this way keep failing until an operator acts; a command refused
    /// for its input (a post that is not there) says nothing of the file.
    pub fn is_storage_failure(&self) -> bool {
        use rusqlite::ErrorCode;
        match self {
            StoreError::ReadOnly { .. }
            | StoreError::Busy { .. }
            | StoreError::Io { .. }
            | StoreError::Damaged { .. } => true,
            StoreError::Sqlite { source, .. } => matches!(
                source.sqlite_error_code(),
                Some(
                    ErrorCode::DiskFull
                        | ErrorCode::SystemIoFailure
                        | ErrorCode::CannotOpen
                        | ErrorCode::DatabaseCorrupt
                        | ErrorCode::PermissionDenied
                        | ErrorCode::NoLargeFileSupport
                        | ErrorCode::FileLockingProtocolFailed
                )
            ),
            _ => false,
        }
    }

    /// Classify an SQLite error on `path`: "not a database", "busy" and "read-only" get their
    /// own variants because they are handled differently from a plain SQL failure.
    pub(crate) fn sqlite(path: &Path, source: rusqlite::Error) -> StoreError {
        use rusqlite::ErrorCode;
        match source.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) => StoreError::NotADatabase {
                path: path.to_owned(),
            },
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy {
                path: path.to_owned(),
            },
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly {
                path: path.to_owned(),
                reason: source.to_string(),
            },
            _ => StoreError::Sqlite {
                path: path.to_owned(),
                source,
            },
        }
    }

    /// Classify an I/O error on `path`: permission problems are reported as read-only.
    pub(crate) fn io(path: &Path, source: std::io::Error) -> StoreError {
        match source.kind() {
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                StoreError::ReadOnly {
                    path: path.to_owned(),
                    reason: source.to_string(),
                }
            }
            _ => StoreError::Io {
                path: path.to_owned(),
                source,
            },
        }
    }
}

/// Attach the database path to SQLite results.
pub(crate) trait AtPath<T> {
    fn at(self, path: &Path) -> Result<T, StoreError>;
}

impl<T> AtPath<T> for rusqlite::Result<T> {
    fn at(self, path: &Path) -> Result<T, StoreError> {
        self.map_err(|e| StoreError::sqlite(path, e))
    }
}
