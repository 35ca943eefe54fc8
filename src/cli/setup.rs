//! Loading the config and opening the database for a command; `config check|default`.

use std::path::{Path, PathBuf};

use super::args::{Cli, ConfigCommand};
use super::output::emit;
use super::{Failure, Outcome, Problem};
use crate::config::Config;
use crate::store::{Store, StoreError, StoreHandles};

/// The config file in use: `--config`/`$EMBEDKEEP_CONFIG`, else the user's config file if present.
pub(super) fn config_path(cli: &Cli) -> Option<PathBuf> {
    if let Some(p) = &cli.config {
        return Some(p.clone());
    }
    let user = dirs::config_dir()?.join("embedkeep").join("config.toml");
    user.is_file().then_some(user)
}

/// Load the config for a command (usage error on failure).
pub(super) fn load_config(cli: &Cli) -> Result<Config, Failure> {
    match config_path(cli) {
        Some(path) => Config::load(&path).map_err(|e| Failure::Usage(e.into())),
        None => Ok(Config::default()),
    }
}

/// Where the database path came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DbOrigin {
    /// `--db FILE`.
    Flag,
    /// `$EMBEDKEEP_DB`.
    Env,
    /// The config's `store.path`.
    Config,
    /// The XDG data directory.
    Default,
}

impl DbOrigin {
    /// How `config check` says it.
    pub(super) fn describe(self) -> &'static str {
        match self {
            DbOrigin::Flag => "from --db",
            DbOrigin::Env => "from $EMBEDKEEP_DB",
            DbOrigin::Config => "from store.path in the config file",
            DbOrigin::Default => "the default, in the XDG data directory",
        }
    }

    /// Its name in `config check --json`.
    pub(super) fn code(self) -> &'static str {
        match self {
            DbOrigin::Flag => "--db",
            DbOrigin::Env => "EMBEDKEEP_DB",
            DbOrigin::Config => "store.path",
            DbOrigin::Default => "default",
        }
    }
}

/// The database path: `--db`/`$EMBEDKEEP_DB`, the config's `store.path`, else the XDG data dir.
pub(super) fn db_path(cli: &Cli, config: &Config) -> Result<PathBuf, Failure> {
    db_location(cli, config).map(|(path, _)| path)
}

/// The database path and where it came from. A directory is refused, saying what to pass.
pub(super) fn db_location(cli: &Cli, config: &Config) -> Result<(PathBuf, DbOrigin), Failure> {
    let (path, origin) = if let Some(p) = &cli.db {
        let origin = if cli.origin.db_from_env {
            DbOrigin::Env
        } else {
            DbOrigin::Flag
        };
        (p.clone(), origin)
    } else if let Some(p) = &config.store.path {
        (p.clone(), DbOrigin::Config)
    } else {
        let default = dirs::data_dir()
            .map(|d| d.join("embedkeep").join("embedkeep.db"))
            .ok_or_else(|| {
                Problem::new("database", "no data directory is known for this user")
                    .hint("pass --db FILE or set EMBEDKEEP_DB")
                    .usage()
            })?;
        (default, DbOrigin::Default)
    };
    if path.is_dir() {
        let file = path.join("embedkeep.db");
        let shown = file.display();
        let hint = match origin {
            DbOrigin::Flag => format!("pass the database file, e.g. --db {shown}"),
            DbOrigin::Env => format!("set EMBEDKEEP_DB to the database file, e.g. {shown}"),
            DbOrigin::Config => format!("set store.path to the database file, e.g. \"{shown}\""),
            DbOrigin::Default => "move the directory away, or pass --db FILE".to_owned(),
        };
        return Err(Problem::new(
            "db-is-directory",
            format!("{} is a directory, not a database file", path.display()),
        )
        .input(path.display().to_string())
        .hint(hint)
        .usage());
    }
    // A pipe would block the open until something writes to it, and a device is no archive.
    if std::fs::metadata(&path).is_ok_and(|m| !m.is_file()) {
        return Err(Problem::new(
            "db-not-a-file",
            format!(
                "{} is not a regular file (a pipe, socket or device): the archive is an SQLite \
                 database file",
                path.display()
            ),
        )
        .input(path.display().to_string())
        .hint("pass the path of a database file (it is created if it does not exist)")
        .usage());
    }
    Ok((path, origin))
}

/// An archive that reading commands need: a missing one is an error, never created.
pub(super) fn require_archive(path: &Path) -> Result<(), Failure> {
    if path.exists() {
        return Ok(());
    }
    Err(
        Problem::new("no-archive", format!("no archive at {}", path.display()))
            .input(path.display().to_string())
            .hint("archive an article first (embedkeep archive URL), or pass --db FILE")
            .runtime(),
    )
}

/// Open (creating and migrating) the database.
pub(super) fn open_store(path: &Path) -> Result<Store, Failure> {
    Store::open(path).map_err(|e| open_failure(path, e))
}

/// Open (creating and migrating) the database on its writer thread, with readers.
pub(super) async fn open_handles(path: &Path) -> Result<StoreHandles, Failure> {
    StoreHandles::open(path)
        .await
        .map_err(|e| open_failure(path, e))
}

/// A database that cannot be opened: the store's error, which names the file, or the file and
/// the error when it does not.
pub(super) fn open_failure(path: &Path, e: StoreError) -> Failure {
    let shown = path.display().to_string();
    let text = e.to_string();
    let message = if text.contains(&shown) {
        text
    } else {
        format!("cannot open database {shown}: {text}")
    };
    database_problem(path, message, &e).runtime()
}

/// A database that opened for reading but could not be read (not an archive, a newer or older
/// schema, a damaged page, an I/O error). Its kind is `database`, as when it cannot be opened:
/// a script tells an unusable archive from other failures by the kind, whichever step found it.
pub(super) fn read_failure(path: &Path, doing: &str, e: StoreError) -> Failure {
    let shown = path.display().to_string();
    let message = format!("cannot {doing} database {shown}: {e}");
    database_problem(path, message, &e).runtime()
}

/// The `database` problem about the file at `path`, with the hint its error calls for.
fn database_problem(path: &Path, message: String, e: &StoreError) -> Problem {
    let shown = path.display().to_string();
    let problem = Problem::new("database", message).input(&shown);
    match e {
        StoreError::Busy { .. } => {
            problem.hint("another embedkeep is writing to it; try again when it is done")
        }
        StoreError::NotADatabase { .. } | StoreError::ForeignDatabase { .. } => {
            problem.hint("pass another file with --db FILE")
        }
        StoreError::ReadOnly { .. } => problem.hint(
            "run the command as the user who owns the archive (for the service, as its own user: \
             see \"Using the CLI on the service's database\" in the README), or give --db an \
             archive you can write",
        ),
        _ if is_damage(e) && has_wal_beside(path) => problem.hint(format!(
            "a write-ahead log is beside it ({shown}-wal); if the archive was just put in place \
             from a copy, that log belongs to the archive it replaced: stop what runs on the \
             archive, move {shown}-wal and {shown}-shm aside, and try again"
        )),
        _ => problem,
    }
}

/// Whether the error says the file's pages are damaged.
fn is_damage(e: &StoreError) -> bool {
    match e {
        StoreError::Damaged { .. } => true,
        StoreError::Sqlite { source, .. } => {
            source.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt)
        }
        _ => false,
    }
}

/// Whether a non-empty write-ahead log lies beside the database at `path`: SQLite replays it
/// onto whatever file has the name, so one left by the archive a restored copy replaced makes
/// the copy read as damaged.
fn has_wal_beside(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(wal).is_ok_and(|m| m.is_file() && m.len() > 0)
}

/// A post the archive does not hold (`message` says so, naming it).
pub(super) fn not_archived(message: &str, arg: &str) -> Failure {
    Problem::new("not-archived", message)
        .input(arg)
        .hint("archive an article that embeds it first; `embedkeep list` shows what is archived")
        .runtime()
}

/// `config check [FILE]` and `config default`.
pub(super) fn run_config(cli: &Cli, command: &ConfigCommand) -> Result<Outcome, Failure> {
    match command {
        ConfigCommand::Default => {
            emit(format_args!("{}", Config::default_toml()));
            Ok(Outcome::Success)
        }
        ConfigCommand::Check { file, json } => {
            let path = file.clone().or_else(|| config_path(cli));
            super::config_check::run(cli, path.as_deref(), *json)
        }
    }
}

/// The platforms `[platforms.NAME] enabled = false` switches off: their posts are archived and
/// checked without any platform being asked about them.
pub(super) fn switched_off(config: &Config) -> Vec<crate::model::Platform> {
    crate::model::Platform::ALL
        .into_iter()
        .filter(|p| !config.platforms.get(p.as_str()).enabled)
        .collect()
}
