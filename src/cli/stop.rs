//! The signals that end a command: SIGINT (Ctrl-C at a terminal) and SIGTERM (what `timeout`,
//! CI runners, container runtimes and systemd send). The servers stop on them; a one-off
//! command stops the work under way the same way either arrives, so it still reports what
//! finished (with `--json`, one document).

use std::future::Future;

use tokio::signal::unix::{SignalKind, signal};

use super::Failure;

/// Completes on SIGTERM or SIGINT. The listeners are installed now, before the work starts: a
/// signal that arrives between two waits is not lost.
pub(super) fn signals() -> Result<impl Future<Output = ()> + Send + 'static, Failure> {
    let listen = |kind: SignalKind, name: &str| {
        signal(kind).map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot listen for {name}: {e}")))
    };
    let mut terminate = listen(SignalKind::terminate(), "SIGTERM")?;
    let mut interrupt = listen(SignalKind::interrupt(), "SIGINT")?;
    Ok(async move {
        tokio::select! {
            _ = terminate.recv() => tracing::info!("SIGTERM: stopping"),
            _ = interrupt.recv() => tracing::info!("SIGINT: stopping"),
        }
    })
}
