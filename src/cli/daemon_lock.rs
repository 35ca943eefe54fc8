//! One daemon per archive. Two daemons on one database would each poll every source, run
//! retention and vacuum the file: the job queue keeps them from running one job twice, but
//! nothing else would. The daemon holds an exclusive advisory lock (`flock`) on a file beside the
//! database, `DB.daemon-lock`, for as long as it runs; a second daemon on the same archive stops
//! at start, naming the first one's process id. The lock goes with the process however it ends
//! (a crash or `kill -9` included), so a stale file never keeps a daemon from starting.
//! Commands that read or archive (`archive`, `show`, `serve`…) take no lock: they run beside a
//! daemon as before.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::Failure;
use super::failure::Problem;

/// The lock, held until dropped (when the daemon's `run` returns).
#[derive(Debug)]
pub(super) struct DaemonLock {
    _file: File,
}

/// The lock file of the archive at `db`: beside the file `db` resolves to, so that a path
/// through a symbolic link (to the file or to a directory on the way) names the same lock as the
/// archive's own path. (A hard link is another name of the same file in another place: two
/// daemons on two hard links of one archive are not told apart.)
pub(super) fn lock_path(db: &Path) -> PathBuf {
    // Not there yet: its directory resolved, and its name.
    let resolved = std::fs::canonicalize(db)
        .or_else(|_| {
            let name = db.file_name().ok_or(std::io::ErrorKind::InvalidInput)?;
            let dir = match db.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir,
                _ => Path::new("."),
            };
            std::fs::canonicalize(dir).map(|dir| dir.join(name))
        })
        .unwrap_or_else(|_| db.to_owned());
    let mut name = resolved.into_os_string();
    name.push(".daemon-lock");
    PathBuf::from(name)
}

/// Take the archive's daemon lock, or say which daemon holds it.
pub(super) fn acquire(db: &Path) -> Result<DaemonLock, Failure> {
    let path = lock_path(db);
    let shown = path.display().to_string();
    // The daemon writes its pid into this file: a link planted there would have it overwrite
    // whatever the link points at, and a device or a pipe is no lock.
    let not_a_file = || {
        Problem::new(
            "io",
            format!(
                "the daemon lock {shown} is not a regular file (a link, a folder, a device or a \
                 pipe): the daemon would write through it"
            ),
        )
        .input(shown.clone())
        .hint("remove it: the daemon creates the lock file itself")
        .runtime()
    };
    if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.file_type().is_file()) {
        return Err(not_a_file());
    }
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| {
            Problem::new("io", format!("cannot open the daemon lock {shown}: {e}"))
                .input(shown.clone())
                .hint("the daemon writes this file beside the database: its directory must be writable")
                .runtime()
        })?;
    // The file opened is the one looked at above, not a link put in its place since.
    let opened = file.metadata().ok();
    let there = std::fs::symlink_metadata(&path).ok();
    let same = match (opened, there) {
        (Some(a), Some(b)) => {
            use std::os::unix::fs::MetadataExt;
            b.file_type().is_file() && a.dev() == b.dev() && a.ino() == b.ino()
        }
        _ => false,
    };
    if !same {
        return Err(not_a_file());
    }
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let mut pid = String::new();
            let _ = file.read_to_string(&mut pid);
            let holder = match pid.trim().parse::<u32>() {
                Ok(pid) => format!("(pid {pid}) "),
                Err(_) => String::new(),
            };
            return Err(Problem::new(
                "in-use",
                format!(
                    "another embedkeep daemon {holder}is running on the archive {}",
                    db.display()
                ),
            )
            .input(db.display().to_string())
            .hint("stop it first, or give this daemon its own database (--db or store.path)")
            .runtime());
        }
        Err(TryLockError::Error(e)) => {
            return Err(
                Problem::new("io", format!("cannot lock the daemon lock {shown}: {e}"))
                    .input(shown)
                    .runtime(),
            );
        }
    }
    // Who holds it, for the message a second daemon prints. Losing this costs only the pid in
    // that message.
    let written = file
        .set_len(0)
        .and_then(|()| file.rewind())
        .and_then(|()| writeln!(file, "{}", std::process::id()));
    if let Err(e) = written {
        tracing::warn!(file = %shown, "cannot write the process id into the daemon lock: {e}");
    }
    Ok(DaemonLock { _file: file })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_archive_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().expect("tmp");
        let db = dir.path().join("a.db");
        let first = acquire(&db).expect("the first lock");
        let refused = acquire(&db).expect_err("a second lock");
        let message = refused.error().to_string();
        assert!(
            message.contains(&format!("(pid {})", std::process::id()))
                && message.contains(&db.display().to_string()),
            "{message}"
        );
        assert_eq!(refused.exit_code(), 1);
        // The archive through a symbolic link, to the file or to its directory, is the same
        // archive (its lock lies beside the file the link resolves to).
        std::fs::write(&db, b"").expect("the archive file");
        let link = dir.path().join("link.db");
        std::os::unix::fs::symlink(&db, &link).expect("a link to the file");
        acquire(&link).expect_err("the archive through a link");
        let linked_dir = dir.path().join("linked-dir");
        std::os::unix::fs::symlink(dir.path(), &linked_dir).expect("a link to the directory");
        acquire(&linked_dir.join("a.db")).expect_err("the archive through a linked directory");
        // Another archive beside it is another lock.
        let other = acquire(&dir.path().join("b.db")).expect("another archive's lock");
        drop(first);
        drop(other);
        acquire(&db).expect("the lock once the first daemon is gone");
    }

    /// A link planted where the lock goes is refused, and what it points at is left as it was.
    #[test]
    fn a_link_in_the_locks_place_is_refused_and_its_target_kept() {
        let dir = tempfile::tempdir().expect("tmp");
        let db = dir.path().join("a.db");
        let precious = dir.path().join("precious.txt");
        std::fs::write(&precious, b"keep me\n").expect("a file");
        std::os::unix::fs::symlink(&precious, lock_path(&db)).expect("a planted link");
        let refused = acquire(&db).expect_err("a link is no lock");
        let message = refused.error().to_string();
        assert!(message.contains("not a regular file"), "{message}");
        assert_eq!(std::fs::read(&precious).expect("read"), b"keep me\n");
        // A folder there is refused too.
        let other = dir.path().join("b.db");
        std::fs::create_dir(lock_path(&other)).expect("a folder");
        acquire(&other).expect_err("a folder is no lock");
    }
}
