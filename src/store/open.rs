//! Opening the database file without harming it. Before SQLite sees a file we read its header:
//! a file that is not SQLite, or whose schema is newer than this binary knows, is refused with
//! its bytes untouched (SQLite itself would happily rewrite the header when switching to WAL).
//! Write permission is checked from the file's mode bits, not only by trying, so an operator's
//! `chmod a-w` is honoured even when the daemon runs as root.

use std::io::Read;
use std::path::Path;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

use super::error::{AtPath, StoreError};
use super::migrate;
use super::open_files::{OpenFile, Opening};

/// The first 16 bytes of every SQLite 3 database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";
/// The database header is the first 100 bytes; `user_version` is the big-endian u32 at 60.
const HEADER_LEN: usize = 100;
const USER_VERSION_OFFSET: usize = 60;
/// `application_id` is the big-endian u32 at 68.
const APPLICATION_ID_OFFSET: usize = 68;
/// embedkeep's `application_id` ('EKEP'), set by the first migration.
pub(crate) const APPLICATION_ID: u32 = 0x454B_4550;

/// How long a connection waits for another writer before giving up with "database is locked".
const BUSY_TIMEOUT_MS: u32 = 5000;

/// How a connection will be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// Create if missing, migrate, read and write.
    ReadWrite,
    /// An existing, fully migrated archive; any write is refused by SQLite.
    ReadOnly,
}

/// What the header of an existing file says.
#[derive(Debug, PartialEq, Eq)]
enum Header {
    /// A zero-length file: SQLite treats it as a new, empty database.
    Empty,
    /// An SQLite database with these ids (as of its last checkpoint).
    Sqlite {
        user_version: u32,
        application_id: u32,
        /// Page size in bytes (the header stores 65536 as 1).
        page_size: u64,
        /// Pages in the file as of its last checkpoint.
        page_count: u64,
    },
}

/// Read the header of the file at `path` without opening it through SQLite.
fn read_header(path: &Path) -> Result<Header, StoreError> {
    let mut file = std::fs::File::open(path).map_err(|e| StoreError::io(path, e))?;
    let mut header = Vec::with_capacity(HEADER_LEN);
    (&mut file)
        .take(HEADER_LEN as u64)
        .read_to_end(&mut header)
        .map_err(|e| StoreError::io(path, e))?;
    if header.is_empty() {
        return Ok(Header::Empty);
    }
    if !header.starts_with(SQLITE_MAGIC) {
        return Err(StoreError::NotADatabase {
            path: path.to_owned(),
        });
    }
    // SQLite's own magic with less than its header after it: an archive cut short inside its
    // first hundred bytes, not another kind of file.
    if header.len() < HEADER_LEN {
        return Err(StoreError::Damaged {
            path: path.to_owned(),
            problems: super::health::file_problems(&[format!(
                "its size, {} bytes, is less than the {HEADER_LEN}-byte header it begins: it \
                 was cut short",
                header.len()
            )])
            .collect(),
        });
    }
    let be_u32 = |offset: usize| {
        let mut word = [0u8; 4];
        word.copy_from_slice(&header[offset..offset + 4]);
        u32::from_be_bytes(word)
    };
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    Ok(Header::Sqlite {
        user_version: be_u32(USER_VERSION_OFFSET),
        application_id: be_u32(APPLICATION_ID_OFFSET),
        page_size,
        page_count: u64::from(be_u32(28)),
    })
}

/// Refuse a file that was cut short: SQLite reads the missing tail of a short file as zeros, so
/// a lost tail passes `quick_check` when it held row data rather than b-tree structure. A
/// database file is a whole number of pages, and (with no WAL holding newer pages) at least as
/// long as its header says.
fn refuse_cut_short(
    path: &Path,
    len: u64,
    page_size: u64,
    page_count: u64,
) -> Result<(), StoreError> {
    if page_size < 512 || !page_size.is_power_of_two() {
        return Err(StoreError::Damaged {
            path: path.to_owned(),
            problems: vec![format!("the header's page size {page_size} is not valid")],
        });
    }
    let wal_has_pages = std::fs::metadata(super::files::wal(path)).is_ok_and(|m| m.len() > 0);
    let problem = if !len.is_multiple_of(page_size) {
        Some(format!(
            "its size, {len} bytes, is not a whole number of {page_size}-byte pages: it was cut short"
        ))
    } else if !wal_has_pages && page_count > 0 && len < page_count * page_size {
        Some(format!(
            "it holds {} of the {page_count} pages its header counts: it was cut short",
            len / page_size
        ))
    } else {
        None
    };
    match problem {
        Some(p) => Err(StoreError::Damaged {
            path: path.to_owned(),
            problems: vec![p],
        }),
        None => Ok(()),
    }
}

/// Refuse a database that is not ours or whose schema is newer than this binary knows.
/// `has_tables` is only known once SQLite has opened the file.
fn refuse_unknown(
    path: &Path,
    user_version: u32,
    application_id: u32,
    has_tables: bool,
) -> Result<(), StoreError> {
    let foreign = || StoreError::ForeignDatabase {
        path: path.to_owned(),
    };
    if application_id != APPLICATION_ID && application_id != 0 {
        return Err(foreign());
    }
    let known = migrate::known_version();
    if user_version > known {
        return Err(StoreError::NewerSchema {
            path: path.to_owned(),
            found: user_version,
            known,
        });
    }
    // Without our id, only a database nobody has used yet (no version, no tables) is ours to
    // migrate.
    if application_id == 0 && (user_version > 0 || has_tables) {
        return Err(foreign());
    }
    Ok(())
}

/// Refuse a path whose mode bits say it must not be written. SQLite also needs to create the
/// `-wal` and `-shm` files next to the database, so the directory must be writable too.
fn refuse_unwritable(path: &Path, what: &str) -> Result<(), StoreError> {
    let meta = std::fs::metadata(path).map_err(|e| StoreError::io(path, e))?;
    if meta.permissions().readonly() {
        return Err(StoreError::ReadOnly {
            path: path.to_owned(),
            reason: format!("the {what} has no write permission"),
        });
    }
    Ok(())
}

/// The directory holding `path` (`.` for a bare file name).
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Check the file (or create its directory) before SQLite opens it. A file cut short is
/// refused for writing; read-only, its problems are returned, for `db check` to report.
/// When `held` (this process has the file open through SQLite already), the header is not read.
fn prepare_file(path: &Path, access: Access, held: bool) -> Result<Vec<String>, StoreError> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(StoreError::NotADatabase {
            path: path.to_owned(),
        }),
        Ok(meta) => {
            let header = if held { None } else { Some(read_header(path)?) };
            let mut cut_short = Vec::new();
            if let Some(Header::Sqlite {
                user_version,
                application_id,
                page_size,
                page_count,
            }) = header
            {
                match refuse_cut_short(path, meta.len(), page_size, page_count) {
                    Err(e) if access == Access::ReadWrite => return Err(e),
                    Err(StoreError::Damaged { problems, .. }) => cut_short = problems,
                    Err(e) => return Err(e),
                    Ok(()) => {}
                }
                refuse_unknown(path, user_version, application_id, false)?;
            }
            if access == Access::ReadWrite {
                refuse_unwritable(path, "database file")?;
                refuse_unwritable(parent_dir(path), "database directory")?;
            }
            Ok(cut_short)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && access == Access::ReadWrite => {
            let dir = parent_dir(path);
            std::fs::create_dir_all(dir).map_err(|e| match e.kind() {
                // The directory is missing, and one above it cannot be written: say so, rather
                // than call a directory that does not exist read-only.
                std::io::ErrorKind::PermissionDenied => StoreError::Io {
                    path: dir.to_owned(),
                    source: std::io::Error::new(
                        e.kind(),
                        format!("the directory does not exist and cannot be created ({e})"),
                    ),
                },
                _ => StoreError::io(dir, e),
            })?;
            refuse_unwritable(dir, "database directory")?;
            Ok(Vec::new())
        }
        Err(e) => Err(StoreError::io(path, e)),
    }
}

/// A 32-bit header field read through its pragma. SQLite reports them as signed integers; the
/// header holds them as unsigned words, which is how they are compared here.
fn header_word(conn: &Connection, path: &Path, pragma: &str) -> Result<u32, StoreError> {
    let signed: i32 = conn
        .pragma_query_value(None, pragma, |row| row.get(0))
        .at(path)?;
    Ok(u32::from_ne_bytes(signed.to_ne_bytes()))
}

/// Refuse a damaged file before anything is written to it: `PRAGMA quick_check` reads every
/// page of every b-tree (without the slower index cross-checks of `integrity_check`), so a file
/// that lost its tail or has a mangled page is found at open, not after a write made it worse.
fn refuse_damaged(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let damaged = |problems: Vec<String>| StoreError::Damaged {
        path: path.to_owned(),
        problems,
    };
    let rows = conn.prepare("PRAGMA quick_check").and_then(|mut stmt| {
        stmt.query_map([], |row| row.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()
    });
    match rows {
        Ok(rows) if rows.len() == 1 && rows[0] == "ok" => Ok(()),
        Ok(rows) => Err(damaged(rows)),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
            Err(damaged(vec![e.to_string()]))
        }
        Err(e) => Err(StoreError::sqlite(path, e)),
    }
}

/// Open a connection with the pragmas every connection needs, refusing files that are not
/// ours to touch. Read-write connections are migrated to the newest schema.
/// The connection comes with its place in the count of the process's connections on the file
/// (`open_files`), to be dropped after it.
///
/// Only the header read and the counting are done under the process-wide [`Opening`] lock; the
/// connection is made after it is released, so one open waiting up to [`BUSY_TIMEOUT_MS`] for
/// another writer's lock (the migration's `BEGIN IMMEDIATE`), or running `quick_check` over a
/// large archive, does not stall every other open in the process. The invariant the lock keeps
/// is that no header is read through a descriptor of our own while a connection of this
/// process has the file open. It holds because the connection is counted *before* SQLite
/// opens the file and uncounted only after SQLite has closed it (an [`OpenFile`] is dropped
/// after its connection, or with the error when connecting fails): whenever SQLite has a
/// descriptor on the file, its count is above zero, and a header is read only with the lock
/// held and the count at zero, so no connection can start in the middle of that read either.
///
/// A file that does not exist yet has no identity (device and inode) to count until SQLite
/// creates it, so an open that creates the archive keeps the lock until its connection is made
/// and counted. Only another process creating the same file at that moment can hold a lock on
/// it, so that open rarely waits, and it happens once per archive. (A file replaced under its
/// path between the count and SQLite's open is counted under the old inode, as it was when the
/// count came after the open: the archive is not meant to be swapped while in use.)
///
/// Also returned: the problems of a file cut short, found in its header at this open (only a
/// read-only open gets this far with any; empty when another connection of this process held
/// the file, so that its header was not read). `db check` reports them, as they were at open:
/// it cannot read the header again beside its own connection.
pub(crate) fn open(path: &Path, access: Access) -> Result<Opened, StoreError> {
    let mut tries = 0u32;
    let mut last = None;
    loop {
        match open_once(path, access) {
            Err(e) if being_created(&e, path) => {
                // Looked at again a few times, then for as long as the file keeps changing: a
                // damaged or foreign file that nobody writes is refused after the few.
                let now = file_state(path);
                let changing = last.is_some() && now != last;
                if tries >= CREATION_TRIES_MAX || (tries >= CREATION_TRIES_MIN && !changing) {
                    return Err(e);
                }
                tracing::debug!(path = %path.display(), "{e}; the file is new: reading it again");
                last = now;
                tries += 1;
                std::thread::sleep(CREATION_RETRY);
            }
            result => return result,
        }
    }
}

/// How often an open looks again at a new archive another process may be making: at least
/// [`CREATION_TRIES_MIN`] times, at most [`CREATION_TRIES_MAX`] (two seconds) while it changes.
const CREATION_RETRY: std::time::Duration = std::time::Duration::from_millis(50);
const CREATION_TRIES_MIN: u32 = 4;
const CREATION_TRIES_MAX: u32 = 40;

/// A file changed this recently may be an archive another process is making.
const NEW_FILE_AGE: std::time::Duration = std::time::Duration::from_secs(5);

/// The file's size and time of change, to tell whether someone is writing it.
fn file_state(path: &Path) -> Option<(u64, std::time::SystemTime)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

/// Whether `error` may come of reading an archive another process is creating at that moment:
/// its header read half written (it is read from the file, outside SQLite's locks: a version
/// without the id beside it reads as "another application", a short first page as "cut short"
/// or "not a database"), in a file changed moments ago. Several commands started together on a
/// new archive (a daemon and cron jobs on a first deploy) would otherwise fail, with advice to
/// restore a backup of a file that is fine.
fn being_created(error: &StoreError, path: &Path) -> bool {
    let suspect = matches!(
        error,
        StoreError::ForeignDatabase { .. }
            | StoreError::NotADatabase { .. }
            | StoreError::Damaged { .. }
    );
    suspect
        && std::fs::metadata(path)
            .ok()
            .filter(std::fs::Metadata::is_file)
            .and_then(|m| m.modified().ok())
            .is_some_and(|t| t.elapsed().is_ok_and(|age| age < NEW_FILE_AGE))
}

/// [`open`], once.
fn open_once(path: &Path, access: Access) -> Result<Opened, StoreError> {
    let opening = Opening::start();
    // Another connection of this process has checked the file and holds it: reading its header
    // through a descriptor of our own would release that connection's locks when closed.
    let held = opening.held(path);
    let cut_short = prepare_file(path, access, held)?;
    let connect =
        || connect_with_fallback(path, access).map_err(|e| unreadable_for_cut(path, e, &cut_short));
    let (conn, counted) = match opening.register_existing(path) {
        // Counted, the lock released: until `counted` is dropped nobody reads this header.
        Ok(counted) => (connect()?, counted),
        // No file yet: SQLite creates it, under the lock.
        Err(opening) => {
            let conn = connect()?;
            (conn, opening.register(path))
        }
    };
    Ok(Opened {
        conn,
        counted,
        cut_short,
    })
}

/// A file found cut short at open (`cut_short`, its problems) that SQLite then cannot read
/// either: the damage, with what SQLite said, in place of SQLite's message alone ("database
/// disk image is malformed" says nothing of why), so that `db check` lists it.
fn unreadable_for_cut(path: &Path, error: StoreError, cut_short: &[String]) -> StoreError {
    if cut_short.is_empty() {
        return error;
    }
    let said = match &error {
        StoreError::Sqlite { source, .. } => source.to_string(),
        StoreError::NotADatabase { .. } => "not a database".to_owned(),
        _ => return error,
    };
    StoreError::Damaged {
        path: path.to_owned(),
        problems: super::health::file_problems(cut_short)
            .chain([format!("sqlite: {said}")])
            .collect(),
    }
}

/// A connection made by [`open`].
pub(crate) struct Opened {
    pub conn: Connection,
    /// Its place in the count of the process's connections on the file: drop it after `conn`.
    pub counted: OpenFile,
    /// The file's problems if it was cut short, as read at this open.
    pub cut_short: Vec<String>,
}

/// [`connect`], and for a reader on a read-only file system, the immutable open.
fn connect_with_fallback(path: &Path, access: Access) -> Result<Connection, StoreError> {
    match connect(path, access, false) {
        Err(e) if access == Access::ReadOnly && cannot_open(&e) && wal_is_empty(path) => {
            // A WAL-mode archive on a read-only file system, or in a folder this user may not
            // write (the service's archive, read by another account): SQLite cannot create the
            // shared memory file (`-shm`) that every reader of a WAL database needs. With no
            // WAL content, the database file alone is the whole archive, and nobody is changing
            // it (a writer would have made a WAL beside it): read it as immutable, which needs
            // no `-shm`.
            tracing::debug!(path = %path.display(), "read-only file system: reading the archive as immutable");
            connect(path, access, true).map_err(|again| {
                tracing::debug!(path = %path.display(), %again, "immutable open failed too");
                e
            })
        }
        result => result,
    }
}

/// Whether an open failed because SQLite could not open or create the file or one beside it:
/// "unable to open" on a read-only file system, "read-only" where the folder has no write
/// permission for this user (SQLite then cannot create the `-shm` file).
fn cannot_open(error: &StoreError) -> bool {
    match error {
        StoreError::Sqlite { source, .. } => {
            source.sqlite_error_code() == Some(rusqlite::ErrorCode::CannotOpen)
        }
        StoreError::ReadOnly { .. } => true,
        _ => false,
    }
}

/// Whether the database at `path` has no write-ahead log content beside it: no `-wal` file, or
/// an empty one. Its file alone then holds every committed change.
fn wal_is_empty(path: &Path) -> bool {
    match std::fs::metadata(super::files::wal(path)) {
        Ok(meta) => meta.is_file() && meta.len() == 0,
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    }
}

/// `path` as an SQLite URI that opens it immutable (`file:PATH?immutable=1`), its `%`, `?` and
/// `#` escaped as the URI format asks.
fn immutable_uri(path: &Path) -> String {
    const ESCAPED: &percent_encoding::AsciiSet =
        &percent_encoding::CONTROLS.add(b'%').add(b'?').add(b'#');
    let path = literal(path);
    let raw = path.as_os_str().as_encoded_bytes();
    format!(
        "file:{}?immutable=1",
        percent_encoding::percent_encode(raw, ESCAPED)
    )
}

/// The path as SQLite is given it: a relative one from `./`. SQLite reads some file names as
/// other things than files: `:memory:` is a database in memory, and `file:…` a URI
/// (`file:x.db?mode=memory`), so `--db :memory:` would archive nothing anywhere. A name that
/// starts with `./` is a file's, whatever follows; an absolute path starts with `/`.
fn literal(path: &Path) -> std::borrow::Cow<'_, Path> {
    if path.is_relative() {
        std::borrow::Cow::Owned(Path::new(".").join(path))
    } else {
        std::borrow::Cow::Borrowed(path)
    }
}

/// Put the archive in WAL mode, returning the journal mode it is in after.
///
/// Changing a file's journal mode takes its exclusive lock, and when another connection holds
/// a lock SQLite answers "busy" at once, without the busy wait (waiting there could deadlock).
/// Several commands started together on a new archive all make that change, so one is tried
/// again, a short while later, until the busy timeout has passed: the others' locks are held
/// for moments.
fn use_wal(conn: &Connection, path: &Path) -> Result<String, StoreError> {
    let started = std::time::Instant::now();
    let patience = std::time::Duration::from_millis(u64::from(BUSY_TIMEOUT_MS));
    loop {
        match conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0)) {
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && started.elapsed() < patience =>
            {
                std::thread::sleep(WAL_SWITCH_RETRY);
            }
            result => return result.at(path),
        }
    }
}

/// How long a switch to WAL mode that found the file locked waits before trying again.
const WAL_SWITCH_RETRY: std::time::Duration = std::time::Duration::from_millis(10);

/// [`open`] after the file's checks: connect, set up, and migrate or check the schema.
/// `immutable` opens a read-only connection that assumes nobody changes the file.
fn connect(path: &Path, access: Access, immutable: bool) -> Result<Connection, StoreError> {
    let flags = match access {
        Access::ReadWrite => OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        Access::ReadOnly => OpenFlags::SQLITE_OPEN_READ_ONLY,
    } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = if immutable {
        Connection::open_with_flags(immutable_uri(path), flags | OpenFlags::SQLITE_OPEN_URI)
    } else {
        Connection::open_with_flags(literal(path), flags)
    }
    .at(path)?;
    if access == Access::ReadWrite && conn.is_readonly(rusqlite::MAIN_DB).at(path)? {
        // SQLite silently falls back to read-only when the OS refuses writing.
        return Err(StoreError::ReadOnly {
            path: path.to_owned(),
            reason: "SQLite could only open it read-only".into(),
        });
    }
    conn.pragma_update(None, "busy_timeout", BUSY_TIMEOUT_MS)
        .at(path)?;
    // The bundled SQLite is built with STAT4, under which binding a new value to a parameter
    // the planner looked at marks a cached statement expired, so it is compiled again on its
    // next step: a profile of the card route spent a third of its time re-preparing. The query
    // planner stability guarantee keeps each cached statement's plan, which is what a cache is for.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
        .at(path)?;
    // The header may predate changes still in the WAL: ask SQLite before writing anything.
    let found = header_word(&conn, path, "user_version")?;
    let application_id = header_word(&conn, path, "application_id")?;
    let has_tables: bool = conn
        .query_row("SELECT count(*) > 0 FROM sqlite_schema", [], |row| {
            row.get(0)
        })
        .at(path)?;
    refuse_unknown(path, found, application_id, has_tables)?;
    conn.pragma_update(None, "foreign_keys", "ON").at(path)?;
    match access {
        Access::ReadWrite => {
            let mode = use_wal(&conn, path)?;
            if !mode.eq_ignore_ascii_case("wal") {
                tracing::warn!(path = %path.display(), %mode, "WAL is not available here; using another journal mode");
            }
            conn.pragma_update(None, "synchronous", "NORMAL").at(path)?;
            refuse_damaged(&conn, path)?;
            migrate::migrate(&mut conn, path)?;
        }
        Access::ReadOnly => {
            let known = migrate::known_version();
            if found < known {
                return Err(StoreError::OlderSchema {
                    path: path.to_owned(),
                    found,
                    known,
                });
            }
            conn.pragma_update(None, "query_only", "ON").at(path)?;
        }
    }
    Ok(conn)
}
