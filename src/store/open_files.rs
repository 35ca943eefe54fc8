//! The database files this process has open through SQLite, counted by file (device and inode).
//!
//! POSIX advisory locks belong to a process and a file, not to a descriptor: closing *any*
//! descriptor of a file drops every lock the process holds on it ("How To Corrupt An SQLite
//! Database File", §2.2). SQLite's own descriptors are managed so that this never happens, but
//! a descriptor opened beside them (to read the header before SQLite sees the file) would, when
//! closed, silently release the locks of the connections already open: another process then
//! believes it is the last reader, checkpoints, and deletes the WAL that this process is still
//! writing to. So the header is read only while no connection of this process holds the file;
//! once one does, SQLite's own checks of the open connection stand in for it.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// A file, as the kernel knows it: device and inode (one archive reached by two paths, through
/// a symbolic or hard link, is one file).
type FileId = (u64, u64);

/// Connections open per file.
static OPEN: Mutex<BTreeMap<FileId, usize>> = Mutex::new(BTreeMap::new());

fn open_files() -> MutexGuard<'static, BTreeMap<FileId, usize>> {
    // The map stays consistent whatever panicked while it was held: each change is one step.
    OPEN.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(super) fn file_id(path: &Path) -> Option<FileId> {
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// The lock under which a connection to a database file is counted (and the file's header
/// read, when no connection of the process holds it), so that no open reads a header while
/// another registers its connection. [`Opening::register`] releases it; see `open::open` for
/// why the connection itself is made outside it.
pub(crate) struct Opening {
    open: MutexGuard<'static, BTreeMap<FileId, usize>>,
}

impl Opening {
    pub(crate) fn start() -> Opening {
        Opening { open: open_files() }
    }

    /// Whether a connection of this process holds the file at `path` open: its bytes must then
    /// not be read through a descriptor of our own.
    pub(crate) fn held(&self, path: &Path) -> bool {
        file_id(path).is_some_and(|id| self.open.get(&id).is_some_and(|&n| n > 0))
    }

    /// Count a connection on the file at `path`, before it is opened (or, for a file that did
    /// not exist, just after SQLite created it), and release the lock; dropping the returned
    /// value (after the connection is closed, or when opening it failed) uncounts it.
    pub(crate) fn register(self, path: &Path) -> OpenFile {
        let id = file_id(path);
        self.count(id)
    }

    /// [`Opening::register`] when the file at `path` exists (it has an identity to count
    /// under); otherwise the lock is handed back, still held, to be kept until SQLite has
    /// created the file and the connection can be counted.
    pub(crate) fn register_existing(self, path: &Path) -> Result<OpenFile, Opening> {
        match file_id(path) {
            Some(id) => Ok(self.count(Some(id))),
            None => Err(self),
        }
    }

    fn count(mut self, id: Option<FileId>) -> OpenFile {
        if let Some(id) = id {
            *self.open.entry(id).or_insert(0) += 1;
        }
        OpenFile { id }
    }
}

/// One connection's place in the count. Declared after the connection in the struct that holds
/// both, so it is dropped after the connection is closed.
#[derive(Debug)]
pub(crate) struct OpenFile {
    id: Option<FileId>,
}

impl Drop for OpenFile {
    fn drop(&mut self) {
        let Some(id) = self.id else { return };
        let mut open = open_files();
        if let Some(n) = open.get_mut(&id) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.remove(&id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::process::Command;
    use std::time::{Duration, Instant};

    use crate::store::Store;

    /// Another process opens the archive, reads, and closes it, as the `sqlite3` shell or a
    /// backup script would. It checkpoints and deletes the WAL when it believes it was the last
    /// connection. Returns its count of `sqlite_schema` rows.
    fn visit_from_another_process(path: &Path) -> String {
        let out = Command::new("python3")
            .args([
                "-c",
                "import sqlite3, sys\n\
                 c = sqlite3.connect(sys.argv[1])\n\
                 print(c.execute('select count(*) from sqlite_schema').fetchone()[0])\n\
                 c.close()",
            ])
            .arg(path)
            .output()
            .expect("python3 runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    use crate::store::files::wal as wal_of;

    /// An open that waits for another writer's lock (SQLite's busy wait, up to five seconds)
    /// does so outside the process-wide lock of `open_files`: other archives, and readers of
    /// the same one, open meanwhile.
    #[test]
    fn an_open_waiting_for_a_writer_does_not_hold_up_other_opens() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("archive.db");
        let other = dir.path().join("other.db");
        drop(Store::open(&other).expect("open"));
        let holder = Store::open(&path).expect("open");
        // The write lock, held: a read-write open's migration (`BEGIN IMMEDIATE`) waits for it.
        holder
            .conn
            .execute_batch("BEGIN IMMEDIATE")
            .expect("write lock");
        let waiting = {
            let path = path.clone();
            std::thread::spawn(move || Store::open(&path).map(drop))
        };
        // Long enough for that open to reach its busy wait, well short of its five seconds.
        std::thread::sleep(Duration::from_millis(500));
        let started = Instant::now();
        drop(Store::open(&other).expect("open another archive"));
        drop(Store::open_read_only(&path).expect("open a reader beside the writer"));
        let took = started.elapsed();
        assert!(
            !waiting.is_finished(),
            "the first open was expected to be waiting for the write lock still"
        );
        assert!(
            took < Duration::from_secs(2),
            "opens waited {took:?} for another open's busy wait"
        );
        holder.conn.execute_batch("COMMIT").expect("commit");
        waiting
            .join()
            .expect("no panic")
            .expect("the waiting open goes through once the lock is free");
    }

    /// Opening a reader while the writer is open must not release the writer's locks: if it
    /// did, another process closing the archive would delete the WAL this one still writes to.
    #[test]
    fn readers_opened_beside_the_writer_leave_its_locks_in_place() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("archive.db");
        let writer = Store::open(&path).expect("open");
        let readers: Vec<Store> = (0..3)
            .map(|_| Store::open_read_only(&path).expect("open read-only"))
            .collect();
        let tables = visit_from_another_process(&path);
        assert!(tables.parse::<u32>().is_ok_and(|n| n > 0), "{tables}");
        assert!(
            wal_of(&path).exists(),
            "another process deleted the WAL of an open archive"
        );
        drop(readers);
        // Closing readers leaves the writer's locks in place too.
        visit_from_another_process(&path);
        assert!(wal_of(&path).exists());
        drop(writer);
        // With every connection closed, a reader reads the header again, as on a first open.
        let reader = Store::open_read_only(&path).expect("open read-only");
        drop(reader);
    }

    /// `db check` reports a file cut short from the header read at open: reading it again
    /// beside its own connection would drop that connection's locks (and a writer's of the
    /// same process) when the descriptor closed.
    #[test]
    fn a_check_leaves_the_locks_of_open_connections_in_place() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("archive.db");
        let writer = Store::open(&path).expect("open");
        let checker = Store::open_read_only(&path).expect("open read-only");
        assert_eq!(checker.check().expect("check"), Vec::<String>::new());
        visit_from_another_process(&path);
        assert!(
            wal_of(&path).exists(),
            "another process deleted the WAL of an open archive after a check"
        );
        drop(checker);
        drop(writer);
    }
}
