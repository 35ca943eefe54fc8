//! `embedkeep db migrate|stats|check|backup`.

use super::args::{Cli, DbCommand};
use super::output::{emitln, terminal_text};
use super::setup::{db_path, load_config, open_failure, open_store, require_archive};
use super::table::Table;
use super::{Failure, Outcome, print_json};
use std::path::Path;

use crate::store::{Store, StoreError};

pub(super) async fn run(cli: &Cli, command: &DbCommand) -> Result<Outcome, Failure> {
    // SQLite work (and `check`'s re-hashing of every blob) blocks: keep it off the async workers.
    tokio::task::block_in_place(|| run_blocking(cli, command))
}

fn run_blocking(cli: &Cli, command: &DbCommand) -> Result<Outcome, Failure> {
    let config = load_config(cli)?;
    let path = db_path(cli, &config)?;
    match command {
        DbCommand::Migrate { json } => {
            let store = open_store(&path)?;
            let stats = store.stats().map_err(|e| Failure::Runtime(e.into()))?;
            if *json {
                print_json(&serde_json::json!({
                    "database": path.display().to_string(),
                    "schema_version": stats.schema_version,
                }))?;
            } else {
                emitln(format_args!(
                    "{}: schema version {}",
                    path.display(),
                    stats.schema_version
                ));
            }
            Ok(Outcome::Success)
        }
        DbCommand::Stats { json } => {
            let store = open_existing(&path)?;
            let stats = store.stats().map_err(|e| Failure::Runtime(e.into()))?;
            if *json {
                print_json(&stats)?;
            } else {
                let mut t = Table::new(&["WHAT", "COUNT"]);
                let rows: [(&str, u64); 8] = [
                    ("articles", stats.articles),
                    ("posts", stats.posts),
                    ("snapshots", stats.snapshots),
                    ("media", stats.media),
                    ("blobs", stats.blobs),
                    ("blob bytes", stats.blob_bytes),
                    ("checks", stats.checks),
                    ("file bytes", stats.file_bytes),
                ];
                for (what, n) in rows {
                    t.row(vec![what.to_owned(), n.to_string()]);
                }
                for (status, n) in &stats.posts_by_status {
                    t.row(vec![format!("posts {status}"), n.to_string()]);
                }
                emitln(format_args!(
                    "{} (schema version {})\n{}",
                    path.display(),
                    stats.schema_version,
                    t.render("  ")
                ));
            }
            Ok(Outcome::Success)
        }
        DbCommand::Check { json } => {
            require_archive(&path)?;
            let problems = match Store::open_read_only(&path) {
                Ok(store) => store.check().map_err(|e| Failure::Runtime(e.into()))?,
                // Damage found at open (a file cut short that SQLite cannot read) is what this
                // command reports, not a reason to stop.
                Err(StoreError::Damaged { problems, .. }) => problems,
                Err(e) => return Err(open_failure(&path, e)),
            };
            if *json {
                print_json(&serde_json::json!({
                    "database": path.display().to_string(),
                    "ok": problems.is_empty(),
                    "problems": problems,
                }))?;
            } else if problems.is_empty() {
                emitln(format_args!("{}: ok", path.display()));
            } else {
                emitln(format_args!(
                    "{}: {} problem(s)",
                    path.display(),
                    problems.len()
                ));
                for p in &problems {
                    // A problem may quote what the archive holds (a URL, a post id).
                    emitln(format_args!("  {}", terminal_text(&p.to_string())));
                }
            }
            Ok(if problems.is_empty() {
                Outcome::Success
            } else {
                Outcome::Partial
            })
        }
        // The copy runs on the blocking pool, so that a signal can stop it (`backup`).
        DbCommand::Backup { file, json } => {
            tokio::runtime::Handle::current().block_on(backup(&path, file, *json))
        }
    }
}

/// `db backup FILE`: a copy of the archive as of one moment, into a new file. The copy is
/// written under a temporary name beside FILE and takes FILE's name only when whole, so FILE is
/// never half a backup: an interrupted run (SIGINT, SIGTERM) stops SQLite's copy, removes the
/// temporary file and leaves FILE unwritten.
async fn backup(path: &Path, file: &Path, json: bool) -> Result<Outcome, Failure> {
    backup_until(path, file, json, super::stop::signals()?).await
}

/// [`backup`], interrupted when `stop` completes first.
async fn backup_until(
    path: &Path,
    file: &Path,
    json: bool,
    stop: impl std::future::Future<Output = ()>,
) -> Result<Outcome, Failure> {
    let shown = file.display().to_string();
    // SQLite takes the files beside the archive for its own (and deletes them): a backup
    // there would be gone at the archive's next write, and while it stands it would be taken
    // for the archive's journal.
    if let Some(own) = crate::store::archive_file(path, file) {
        return Err(super::failure::Problem::new(
            "usage",
            format!("{shown} is {own}: a backup there would not last"),
        )
        .input(shown)
        .hint("name a new file away from the archive's own files")
        .usage());
    }
    let exists = || {
        super::failure::Problem::new("usage", format!("{shown} exists"))
            .input(shown.clone())
            .hint("name a new file: a backup never replaces one")
            .usage()
    };
    if std::fs::symlink_metadata(file).is_ok() {
        return Err(exists());
    }
    // Opening is quick, and this thread may block: it runs under `block_in_place`.
    let store = open_existing(path)?;
    // SQLite's `VACUUM INTO` writes into an empty file.
    let partial = super::atomic_file::partial_beside(file).map_err(|e| {
        Failure::Runtime(anyhow::anyhow!(
            "cannot back up {} to {shown}: {e}",
            path.display()
        ))
    })?;
    let interrupter = store.interrupter();
    let target = partial.path().to_path_buf();
    let work = format!("the backup of {} to {shown}", path.display());
    let copy = crate::blocking::run(work, move || store.backup_to(&target));
    tokio::pin!(copy);
    let copied = tokio::select! {
        biased;
        () = stop => {
            // SQLite stops the copy at its next step (one not yet started runs whole), and
            // the files are removed once it has let go of them: removed before, the copy
            // would make them again.
            interrupter.interrupt();
            let _ = copy.await;
            remove_partial(partial);
            return Err(super::failure::Problem::new(
                "interrupted",
                format!("the backup to {shown} was interrupted; {shown} was not written"),
            )
            .input(shown)
            .runtime());
        }
        done = &mut copy => done.map_err(|e| Failure::Runtime(e.into()))?,
    };
    if let Err(e) = copied {
        remove_partial(partial);
        return Err(Failure::Runtime(anyhow::anyhow!(
            "cannot back up {} to {shown}: {e}",
            path.display()
        )));
    }
    // Taken without replacing: a FILE made meanwhile is not overwritten.
    let journal = journal_of(partial.path());
    if let Err(e) = partial.persist_noclobber(file) {
        let already = e.error.kind() == std::io::ErrorKind::AlreadyExists;
        remove_partial(e.file);
        let _ = std::fs::remove_file(journal);
        return Err(if already {
            exists()
        } else {
            Failure::Runtime(anyhow::anyhow!(
                "cannot name the backup of {} {shown}: {}",
                path.display(),
                e.error
            ))
        });
    }
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    if json {
        print_json(&serde_json::json!({
            "database": path.display().to_string(),
            "backup": shown,
            "bytes": bytes,
        }))?;
    } else {
        emitln(format_args!(
            "{}: backed up to {shown} ({bytes} bytes)",
            path.display()
        ));
    }
    Ok(Outcome::Success)
}

/// The rollback journal SQLite keeps beside a file it writes (`FILE-journal`).
fn journal_of(file: &Path) -> std::path::PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push("-journal");
    std::path::PathBuf::from(name)
}

/// Remove a copy that will not be the backup, and the journal SQLite may have left beside it.
fn remove_partial(partial: tempfile::NamedTempFile) {
    let journal = journal_of(partial.path());
    drop(partial);
    let _ = std::fs::remove_file(journal);
}

/// Open an archive that must already exist (stats and check never create one).
fn open_existing(path: &std::path::Path) -> Result<Store, Failure> {
    require_archive(path)?;
    Store::open_read_only(path).map_err(|e| open_failure(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names in `dir` but the archive's own files (`archive.db`, its `-wal` and `-shm`).
    fn names(dir: &Path) -> Vec<String> {
        let mut names = super::super::atomic_file::names_in(dir);
        names.retain(|n| !n.starts_with("archive.db"));
        names
    }

    /// A backup stopped by a signal leaves no file under its name and nothing of its own beside
    /// it (no temporary copy, no journal); the same backup let run is a whole archive, under
    /// its name alone.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_interrupted_backup_leaves_nothing_behind() {
        let dir = tempfile::tempdir().expect("tmp");
        let db = dir.path().join("archive.db");
        drop(Store::open(&db).expect("archive"));
        let file = dir.path().join("backup.db");

        let err = backup_until(&db, &file, true, std::future::ready(()))
            .await
            .expect_err("interrupted");
        assert_eq!(err.kind(), "interrupted");
        assert!(
            err.message().contains("backup.db was not written"),
            "{}",
            err.message()
        );
        assert_eq!(names(dir.path()), Vec::<String>::new());

        backup_until(&db, &file, true, std::future::pending())
            .await
            .expect("a backup");
        let copy = Store::open_read_only(&file).expect("the copy opens");
        assert_eq!(copy.check().expect("check"), Vec::<String>::new());
        drop(copy);
        assert_eq!(names(dir.path())[0], "backup.db");
        assert!(
            !names(dir.path())
                .iter()
                .any(|n| n.ends_with(".partial") || n.ends_with("-journal")),
            "{:?}",
            names(dir.path())
        );
    }
}
