//! The secret files a config names (`serve.admin_token_file`, `platforms.NAME.access_token_file`),
//! read as the commands that use them read them, so that `config check` and a starting
//! `daemon` or `serve` refuse the same files with the same words: the key and its line in the
//! config file, then what reading the file said.

use std::path::Path;

use super::Failure;
use crate::config::{Config, ConfigError};
use crate::serve::AdminToken;

/// Every platform's token file: the resolvers read it at each resolution and skip their token
/// source when it fails, so a service started without it would run a source short. The first
/// that cannot be read is a usage error naming its key (and line, when the config came from
/// `file`).
pub(super) fn check_platforms(config: &Config, file: Option<&Path>) -> Result<(), Failure> {
    for name in config.platforms.names() {
        if let Err(e) = config.platforms.get(name).access_token() {
            return Err(invalid(
                file,
                format!("platforms.{name}.access_token_file: {e}"),
            ));
        }
    }
    Ok(())
}

/// The write route's token (`serve.admin_token_file`), read once, at start; `None` when none
/// is configured (writes disabled). A file that cannot be read, or holds no token, is a usage
/// error naming the key (and line).
pub(super) fn admin_token(
    config: &Config,
    file: Option<&Path>,
) -> Result<Option<AdminToken>, Failure> {
    config
        .serve
        .admin_token_file
        .as_deref()
        .map(AdminToken::read)
        .transpose()
        .map_err(|e| invalid(file, format!("serve.admin_token_file: {e}")))
}

/// A usage error about a key of the config at `file`, located at its line.
fn invalid(file: Option<&Path>, message: String) -> Failure {
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
}
