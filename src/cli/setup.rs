//! Loading the config and opening the database for a command; `config check|default`.

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::args::{Cli, ConfigCommand};
use super::output::{emit, emitln};
use super::{Failure, Outcome, print_json};
use crate::config::Config;
use crate::store::{Store, StoreHandles};

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

/// The database path: `--db`/`$EMBEDKEEP_DB`, the config's `store.path`, else the XDG data dir.
pub(super) fn db_path(cli: &Cli, config: &Config) -> Result<PathBuf, Failure> {
    if let Some(p) = &cli.db {
        return Ok(p.clone());
    }
    if let Some(p) = &config.store.path {
        return Ok(p.clone());
    }
    dirs::data_dir()
        .map(|d| d.join("embedkeep").join("embedkeep.db"))
        .ok_or_else(|| {
            Failure::Usage(anyhow::anyhow!(
                "no data directory known for this user: pass --db FILE or set EMBEDKEEP_DB"
            ))
        })
}

/// Open (creating and migrating) the database.
pub(super) fn open_store(path: &Path) -> Result<Store, Failure> {
    Store::open(path)
        .with_context(|| format!("cannot open database {}", path.display()))
        .map_err(Failure::Runtime)
}

/// Open (creating and migrating) the database on its writer thread, with readers.
pub(super) async fn open_handles(path: &Path) -> Result<StoreHandles, Failure> {
    StoreHandles::open(path)
        .await
        .with_context(|| format!("cannot open database {}", path.display()))
        .map_err(Failure::Runtime)
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
            let config = match &path {
                Some(p) => Config::load(p).map_err(|e| Failure::Usage(e.into()))?,
                None => Config::default(),
            };
            if let Err(e) = config.platforms.instagram.access_token() {
                return Err(Failure::Usage(e.into()));
            }
            let shown = path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "(built-in defaults)".into());
            if *json {
                print_json(&serde_json::json!({ "file": shown, "valid": true, "config": config }))?;
            } else {
                let text = toml::to_string_pretty(&config).map_err(|e| {
                    Failure::Runtime(anyhow::anyhow!("cannot print the config: {e}"))
                })?;
                emitln(format_args!("{shown}: valid\n\n{text}"));
            }
            Ok(Outcome::Success)
        }
    }
}
