//! `embedkeep db migrate|stats|check|backup`.

use super::args::{Cli, DbCommand};
use super::output::{emitln, terminal_text};
use super::setup::{db_path, load_config, open_failure, open_store, require_archive};
use super::table::Table;
use super::{Failure, Outcome, print_json};
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
        DbCommand::Backup { file, json } => backup(&path, file, *json),
    }
}

/// `db backup FILE`: a copy of the archive as of one moment, into a new file.
fn backup(path: &std::path::Path, file: &std::path::Path, json: bool) -> Result<Outcome, Failure> {
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
    if std::fs::symlink_metadata(file).is_ok() {
        return Err(
            super::failure::Problem::new("usage", format!("{shown} exists"))
                .input(shown)
                .hint("name a new file: a backup never replaces one")
                .usage(),
        );
    }
    let store = open_existing(path)?;
    store.backup_to(file).map_err(|e| {
        Failure::Runtime(anyhow::anyhow!(
            "cannot back up {} to {shown}: {e}",
            path.display()
        ))
    })?;
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

/// Open an archive that must already exist (stats and check never create one).
fn open_existing(path: &std::path::Path) -> Result<Store, Failure> {
    require_archive(path)?;
    Store::open_read_only(path).map_err(|e| open_failure(path, e))
}
