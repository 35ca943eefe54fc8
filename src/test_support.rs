//! Helpers shared by the unit tests of several modules (compiled only for tests).

use std::sync::{Arc, Mutex, PoisonError};

/// What is logged on this thread (every level, no colours) while it lives, for tests in which
/// a log line is part of the behaviour under test: a warning naming a skipped entry, the
/// per-request debug line. A `#[tokio::test]` runs its future on the test's thread, so what
/// the future logs is captured too (not what runs on blocking threads).
pub(crate) struct Logs {
    buffer: LogBuffer,
    _default: tracing::subscriber::DefaultGuard,
    _anchor: tracing::Dispatch,
}

/// The formatted log output, in memory.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // A test that panicked while writing has failed already; its bytes are still good.
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    /// Start capturing.
    pub(crate) fn capture() -> Logs {
        let buffer = LogBuffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        // tracing caches each callsite's interest process-wide: with one dispatcher, a sibling
        // test thread (no subscriber) registering a callsite first caches "never" for everyone.
        // A second live dispatcher makes registration ask every live one, this capturing one
        // included.
        let anchor = tracing::Dispatch::new(tracing_subscriber::registry());
        let default = tracing::subscriber::set_default(subscriber);
        tracing::callsite::rebuild_interest_cache();
        Logs {
            buffer,
            _default: default,
            _anchor: anchor,
        }
    }

    /// Everything logged so far.
    pub(crate) fn text(&self) -> String {
        let bytes = self.buffer.0.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// Serve `app` on a loopback port of its own for the rest of the test; its address.
pub(crate) async fn serve(app: axum::Router) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let addr = listener.local_addr().expect("the port's address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    addr
}
