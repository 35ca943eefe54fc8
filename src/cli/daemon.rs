//! `embedkeep daemon`: the long-running service. Signals: SIGTERM and SIGINT stop it cleanly
//! (in-flight work finishes within `schedule.shutdown_grace`, the rest goes back to the queue,
//! the WAL is checkpointed, exit 0); SIGHUP re-reads the config file (an invalid or missing
//! file keeps the running config and says why in the log). Under systemd it reports READY=1,
//! STATUS= (queue depth, last runs), WATCHDOG=1 and STOPPING=1.
//!
//! The HTTP server (`embedkeep serve`'s) runs beside the scheduler on the same archive: its
//! listeners are bound before READY=1, it stops on the same signal, and the daemon exits once
//! both have stopped. A reload does not rebind it: a changed `[serve]` needs a restart.

use std::sync::Arc;

use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::{oneshot, watch};

use super::args::Cli;
use super::serve::{admin_token, bind};
use super::setup::{config_path, db_path, load_config, open_handles};
use super::{Failure, Outcome};
use crate::config::Config;
use crate::schedule::{self, DaemonControl, Lifecycle};
use crate::serve::Writes;
use crate::service::notify::{Notifier, watchdog_interval};

/// Tells systemd how the daemon is doing; failures to notify are logged, never fatal.
struct Systemd(Notifier);

impl Systemd {
    fn log(result: Result<(), crate::service::notify::NotifyError>) {
        if let Err(e) = result {
            tracing::warn!("cannot notify the service manager: {e}");
        }
    }
}

impl Lifecycle for Systemd {
    fn ready(&self) {
        Self::log(self.0.ready());
    }
    fn status(&self, text: &str) {
        Self::log(self.0.status(text));
    }
    fn watchdog(&self) {
        Self::log(self.0.watchdog());
    }
    fn reloading(&self) {
        Self::log(self.0.reloading());
    }
    fn stopping(&self) {
        Self::log(self.0.stopping());
    }
}

pub(super) async fn run(cli: &Cli) -> Result<Outcome, Failure> {
    let file = config_path(cli);
    let config = load_config(cli)?;
    let path = db_path(cli, &config)?;
    let token = admin_token(&config)?;
    let store = open_handles(&path).await?;
    let writes = token.map(|token| Writes {
        writer: store.writer.clone(),
        token,
    });
    // Signals are listened for before `bind` says where the server listens: a supervisor or a
    // test may stop or reload the daemon as soon as it reads that line.
    let mut terminate = signal(SignalKind::terminate())
        .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot listen for SIGTERM: {e}")))?;
    let mut interrupt = signal(SignalKind::interrupt())
        .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot listen for SIGINT: {e}")))?;
    let mut hangup = signal(SignalKind::hangup())
        .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot listen for SIGHUP: {e}")))?;
    let (server, state) = bind(cli, &config, store.reader.clone(), writes).await?;
    let notifier = Notifier::from_env().unwrap_or_else(|e| {
        tracing::warn!("NOTIFY_SOCKET is set but unusable, not notifying systemd: {e}");
        Notifier::disabled()
    });
    let config = Arc::new(config);
    let (stop_tx, stop_rx) = watch::channel(false);
    let (reload_tx, reload_rx) = watch::channel(Arc::clone(&config));
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = terminate.recv() => { tracing::info!("SIGTERM: stopping"); break; }
                _ = interrupt.recv() => { tracing::info!("SIGINT: stopping"); break; }
                _ = hangup.recv() => reload(file.as_deref(), &reload_tx),
            }
        }
        let _ = stop_tx.send(true);
    });
    // The server stops on the daemon's stop signal, or when the scheduler ends on its own.
    let (ended_tx, ended_rx) = oneshot::channel::<()>();
    let mut stopping = stop_rx.clone();
    let server = tokio::spawn(crate::serve::serve(
        server.api,
        server.metrics,
        state,
        async move {
            tokio::select! {
                _ = stopping.wait_for(|stop| *stop) => {}
                _ = ended_rx => {}
            }
        },
    ));
    let control = DaemonControl {
        shutdown: stop_rx,
        reloads: reload_rx,
        lifecycle: Arc::new(Systemd(notifier)),
        watchdog: watchdog_interval(),
    };
    let ran = schedule::run(config, store, control).await;
    let _ = ended_tx.send(());
    if let Err(e) = server.await {
        tracing::error!("the HTTP server failed: {e}");
    }
    ran.map_err(|e| match e {
        schedule::DaemonError::Config(message) => {
            Failure::Usage(anyhow::anyhow!("cannot start the daemon: {message}"))
        }
        other => Failure::Runtime(anyhow::anyhow!("daemon failed: {other}")),
    })?;
    Ok(Outcome::Success)
}

/// SIGHUP: re-read the config file; keep the running config when it is missing or invalid.
fn reload(file: Option<&std::path::Path>, to: &watch::Sender<Arc<Config>>) {
    let Some(file) = file else {
        tracing::warn!("SIGHUP: no config file in use (built-in defaults); nothing to reload");
        return;
    };
    match Config::reload(file) {
        Ok(config) => {
            tracing::info!(file = %file.display(), "SIGHUP: config re-read");
            let _ = to.send(Arc::new(config));
        }
        Err(e) => tracing::error!("SIGHUP: {e}; the running config stays"),
    }
}
