//! The secret files a config names (`serve.admin_token_file`, `platforms.NAME.access_token_file`),
//! read as the commands that use them read them, so that `config check` and a starting
//! `daemon` or `serve` refuse the same files with the same words: the key and its line in the
//! config file, then what reading the file said.

use std::path::Path;

use super::Failure;
use crate::config::{Config, ConfigError};
use crate::serve::AdminToken;

/// Which of the config's token files to read.
#[derive(Debug, Clone, Copy)]
pub(super) struct Wanted {
    /// Every platform's token file: the resolvers read it at each resolution and skip their
    /// token source when it fails, so a service started without it would run a source short.
    pub platforms: bool,
    /// `serve.admin_token_file`: the write route's token.
    pub admin: bool,
}

/// Read the token files `wanted` names; the first that cannot be read is a usage error naming
/// its key (and line, when the config came from `file`).
pub(super) fn check(config: &Config, file: Option<&Path>, wanted: Wanted) -> Result<(), Failure> {
    let invalid = |message: String| {
        let Some(path) = file else {
            return Failure::Usage(anyhow::anyhow!(message));
        };
        let error = ConfigError::Invalid {
            path: path.to_owned(),
            message,
        };
        // The file was read once already; were it gone now, the key alone still says which.
        let error = match Config::read_text(path) {
            Ok(text) => error.located(&text),
            Err(_) => error,
        };
        Failure::Usage(error.into())
    };
    if wanted.platforms {
        for name in config.platforms.names() {
            if let Err(e) = config.platforms.get(name).access_token() {
                return Err(invalid(format!("platforms.{name}.access_token_file: {e}")));
            }
        }
    }
    if wanted.admin
        && let Some(token_file) = &config.serve.admin_token_file
        && let Err(e) = AdminToken::read(token_file)
    {
        return Err(invalid(format!("serve.admin_token_file: {e}")));
    }
    Ok(())
}
