//! `embedkeep serve`: the HTTP server alone, until SIGTERM or SIGINT (exit 0). The archive is
//! read through read-only connections; it is opened for writing (created and migrated if
//! needed) only when `serve.admin_token_file` enables the write route. Also the server half of
//! `embedkeep daemon`, which shares [`bind`] and [`admin_token`].

use super::args::Cli;
use super::output::emit_err;
use super::setup::{db_path, load_config, open_handles};
use super::{Failure, Outcome};
use crate::config::Config;
use crate::serve::{ServeState, Server, Writes};
use crate::store::StoreReader;

pub(super) async fn run(cli: &Cli) -> Result<Outcome, Failure> {
    let config = load_config(cli)?;
    let path = db_path(cli, &config)?;
    // Named by its key and line, as `config check` names it.
    // Named by its key and line, as `config check` names it.
    let token =
        super::token_files::admin_token(&config, super::setup::config_path(cli).as_deref())?;
    let existed = path.exists();
    let writer = match token {
        Some(_) => Some(open_handles(&path).await?.writer),
        None => None,
    };
    if writer.is_some() && !existed {
        // The write route makes the archive, so `/healthz` answers 200 at once: a mistyped
        // `--db` would otherwise look like a healthy server of an empty archive.
        tracing::warn!(
            "made a new, empty archive at {} (serve.admin_token_file enables writes): if an \
             archive was expected there, check --db and store.path",
            path.display()
        );
    }
    if writer.is_none() && !path.exists() {
        tracing::warn!(
            "no archive at {} yet: /healthz answers 503 until one is made",
            path.display()
        );
    }
    // `serve` reads its config once: the rule stays as it starts.
    let (_, addresses) = tokio::sync::watch::channel(literal_guard(&config)?);
    let writes = token.zip(writer.clone()).map(|(token, writer)| Writes {
        writer,
        token,
        addresses,
    });
    // Signals are listened for before `bind` says where the server listens: a supervisor or a
    // test may stop it as soon as it reads that line.
    let stop = super::stop::signals()?;
    let tally = writes.as_ref().map(|w| w.writer.tally());
    let (server, state) = bind(cli, &config, StoreReader::new(&path), writes, tally).await?;
    crate::serve::serve(server.api, server.metrics, state, stop).await;
    if let Some(writer) = writer
        && let Err(e) = writer.close().await
    {
        tracing::warn!("{e}");
    }
    tracing::info!("stopped");
    Ok(Outcome::Success)
}

/// The `[http]` rule by which `POST /v1/articles` refuses an article at a literal non-public
/// address, as the daemon's client would.
pub(super) fn literal_guard(config: &Config) -> Result<crate::http::LiteralGuard, Failure> {
    crate::http::LiteralGuard::new(&config.http).map_err(|e| Failure::Usage(e.into()))
}

/// Bind `serve.listen` and `serve.metrics_listen` and make the server's state; says on stderr
/// where it listens (`listening on http://ADDR`), unless `-q`.
pub(super) async fn bind(
    cli: &Cli,
    config: &Config,
    reader: StoreReader,
    writes: Option<Writes>,
    tally: Option<std::sync::Arc<crate::store::Tally>>,
) -> Result<(Server, ServeState), Failure> {
    if writes.is_none() {
        tracing::info!("no serve.admin_token_file: POST /v1/articles answers 403");
    }
    let state = ServeState::new(
        reader,
        writes,
        tally,
        config.serve.public_base_url.clone(),
        config.serve.media_cache_bytes(),
    )
    .map_err(|e| Failure::Runtime(e.into()))?;
    let server = Server::bind(&config.serve)
        .await
        .map_err(|e| Failure::Runtime(e.into()))?;
    let api = server.api.local_addr();
    let metrics = server.metrics.local_addr();
    if let (Ok(api), Ok(metrics)) = (api, metrics) {
        tracing::info!(%api, %metrics, "HTTP server started");
        if !cli.quiet {
            emit_err(format_args!("embedkeep: listening on http://{api}"));
            emit_err(format_args!(
                "embedkeep: metrics on http://{metrics}/metrics"
            ));
        }
    }
    Ok((server, state))
}
