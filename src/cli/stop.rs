//! The signals that end a one-off command early: SIGINT (Ctrl-C at a terminal) and SIGTERM (what
//! `timeout`, CI runners, container runtimes and systemd send). Either one stops the work under
//! way the same way, so the command still reports what finished: with `--json`, one document.

use tokio::signal::unix::{SignalKind, signal};

/// Resolves when the process receives SIGINT or SIGTERM. Create it once
/// per run and keep it pinned: a signal that arrives between two waits is then not lost.
///
/// A listener the runtime cannot install (which happens only when signal handling itself is
/// unavailable) is logged and never resolves, so the command runs to its end rather than
/// counting as interrupted.
pub(super) async fn requested() {
    let listen = |kind: SignalKind, name: &'static str| {
        signal(kind)
            .map_err(|e| tracing::warn!("cannot listen for {name}: {e}"))
            .ok()
    };
    let mut interrupt = listen(SignalKind::interrupt(), "SIGINT");
    let mut terminate = listen(SignalKind::terminate(), "SIGTERM");
    let received = |s: &mut Option<tokio::signal::unix::Signal>| {
        let s = s.take();
        async move {
            match s {
                Some(mut s) => s.recv().await,
                None => std::future::pending().await,
            }
        }
    };
    tokio::select! {
        _ = received(&mut interrupt) => {}
        _ = received(&mut terminate) => {}
    }
}
