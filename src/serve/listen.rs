//! Accepting connections. The server is given listeners that are already bound (by
//! [`Server::bind`] from the config, or by a test on `127.0.0.1:0`) and a shutdown future.
//!
//! Each connection is HTTP/1.1 served by hyper with a header read timeout: a client that opens
//! a connection and sends a request line or headers slowly, or nothing at all (an idle
//! keep-alive connection included), is disconnected after [`HEADER_READ_TIMEOUT`], so slow
//! clients cannot hold connections open for free. Bodies and handlers are bounded by the
//! request timeout (`error::guard`), and open connections by [`MAX_CONNECTIONS`] per listener.
//!
//! On shutdown the listeners close at once, in-flight requests finish within
//! [`SHUTDOWN_GRACE`], and idle connections are closed.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinHandle;
use tokio_io_timeout::TimeoutStream;

use super::{ServeError, ServeState, metrics_router, router};
use crate::config::ServeConfig;

/// How long a client may take to send a request's line and headers (and how long a
/// keep-alive connection may sit idle).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a connection may go without the client reading any of its answer before it is
/// cut, and the answer let go (`send_budget`).
pub const WRITE_STALL_TIMEOUT: Duration = Duration::from_secs(30);
/// Open connections per listener; more wait in the kernel's accept queue.
pub const MAX_CONNECTIONS: usize = 1024;
/// How long in-flight requests may take to finish once shutdown is asked.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// The read buffer of a connection, which caps a request head (line and headers): hyper refuses
/// a head that does not fit once a read has filled the buffer past this (431, or 414 for a long
/// target), so heads of up to about 112 KiB pass. The README gives the measured figures.
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Pause after a failed accept (e.g. out of file descriptors) before trying again.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// The server's two bound listeners: the API and the metrics.
pub struct Server {
    pub api: TcpListener,
    pub metrics: TcpListener,
}

impl Server {
    /// Bind `serve.listen` and `serve.metrics_listen`.
    pub async fn bind(config: &ServeConfig) -> Result<Server, ServeError> {
        let bind = |key: &'static str, address: &str| {
            let address = address.to_owned();
            async move {
                TcpListener::bind(&address)
                    .await
                    .map_err(|source| ServeError::Bind {
                        key,
                        address,
                        source,
                    })
            }
        };
        Ok(Server {
            api: bind("serve.listen", &config.listen).await?,
            metrics: bind("serve.metrics_listen", &config.metrics_listen).await?,
        })
    }
}

/// Serve the API on `api` and `/metrics` on `metrics` until `shutdown` completes, then stop as
/// the module documentation says. Returns once every connection is closed (or the grace period
/// is over).
pub async fn serve(
    api: TcpListener,
    metrics: TcpListener,
    state: ServeState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let (stop, stopper) = stop_signal(shutdown);
    tokio::join!(
        accept(
            api,
            router(state.clone()),
            stop.clone(),
            WRITE_STALL_TIMEOUT
        ),
        accept(metrics, metrics_router(state), stop, WRITE_STALL_TIMEOUT),
    );
    stopper.abort();
}

/// Serve one router on `listener` with the same connection rules as [`serve`] (header read
/// timeout, head size cap, connection cap, graceful stop) until `shutdown` completes: for a
/// server that is not the API, such as `embedkeep demo`'s pages around it.
pub async fn serve_router(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let (stop, stopper) = stop_signal(shutdown);
    accept(listener, app, stop, WRITE_STALL_TIMEOUT).await;
    stopper.abort();
}

/// The signal the accept loops stop on: it says stop once `shutdown` completes. The task that
/// waits for `shutdown` is returned to be aborted when serving is over, since `shutdown` (a
/// signal handler, say) may never complete.
fn stop_signal(
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> (watch::Receiver<bool>, JoinHandle<()>) {
    let (stop_tx, stop_rx) = watch::channel(false);
    let stopper = tokio::spawn(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    });
    (stop_rx, stopper)
}

/// Completes once `stop` says stop (or its sender is gone).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stop| *stop).await;
}

/// Accept and serve connections on one listener until `stop` says so; a connection whose client
/// reads nothing of its answer for `write_stall` is cut.
async fn accept(
    listener: TcpListener,
    app: Router,
    mut stop: watch::Receiver<bool>,
    write_stall: Duration,
) {
    let mut http = http1::Builder::new();
    // A client may close its side once its request is sent (`nc -N`, HTTP/1.0 scripts, some
    // health checks): it is still answered.
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .max_buf_size(MAX_HEAD_BYTES)
        .half_close(true);
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let slot = tokio::select! {
            () = stopped(&mut stop) => break,
            slot = Arc::clone(&slots).acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
        };
        let (stream, peer) = tokio::select! {
            () = stopped(&mut stop) => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    tracing::warn!("cannot accept a connection: {e}");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let mut stream = TimeoutStream::new(stream);
        stream.set_write_timeout(Some(write_stall));
        let service = TowerToHyperService::new(app.clone());
        let connection =
            graceful.watch(http.serve_connection(TokioIo::new(Box::pin(stream)), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(%peer, "connection ended: {e}");
            }
            drop(slot);
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            "requests still running {}s after shutdown was asked; leaving them",
            SHUTDOWN_GRACE.as_secs()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
    async fn a_router_is_served_until_shutdown_and_the_listener_closes_then() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        let app = Router::new().route("/", get(|| async { "served" }));
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve_router(listener, app, async move {
            let _ = stop_rx.await;
        }));

        let mut stream = tokio::net::TcpStream::connect(address)
            .await
            .expect("connect");
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .expect("request");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.expect("answer");
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.ends_with("served"), "{answer}");

        stop_tx.send(()).expect("the server is waiting");
        server
            .await
            .expect("serve_router returns once shutdown completes");
        assert!(
            tokio::net::TcpStream::connect(address).await.is_err(),
            "the listener is closed"
        );
    }

    /// A client that asks for an answer and reads none of it is cut off once the write has
    /// stalled for the timeout, and the answer is let go; one that reads gets it whole.
    #[tokio::test]
    async fn a_client_that_reads_nothing_is_cut_off() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        // Far more than the socket buffers on both sides hold.
        let app = Router::new().route("/", get(|| async { "x".repeat(32 * 1024 * 1024) }));
        let (_stop_tx, stop_rx) = watch::channel(false);
        let server = tokio::spawn(accept(listener, app, stop_rx, Duration::from_millis(300)));
        let request = b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        let mut stalled = tokio::net::TcpStream::connect(address)
            .await
            .expect("connect");
        stalled.write_all(request).await.expect("request");
        tokio::time::sleep(Duration::from_secs(2)).await;
        // Read what the kernel buffered: the server has closed the connection, so the read
        // ends (or fails with a reset) short of the whole answer.
        let mut got = Vec::new();
        let _ = stalled.read_to_end(&mut got).await;
        assert!(got.len() < 32 * 1024 * 1024, "{} bytes", got.len());

        let mut reader = tokio::net::TcpStream::connect(address)
            .await
            .expect("connect");
        reader.write_all(request).await.expect("request");
        let mut whole = Vec::new();
        reader.read_to_end(&mut whole).await.expect("answer");
        assert!(whole.len() > 32 * 1024 * 1024, "{} bytes", whole.len());
        server.abort();
    }

    /// The status line the server answers `head` with (the connection is closed after it).
    async fn status_line(address: std::net::SocketAddr, head: &[u8]) -> String {
        let mut stream = tokio::net::TcpStream::connect(address)
            .await
            .expect("connect");
        // The server may answer and close before it has read the whole head.
        let _ = stream.write_all(head).await;
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer).await;
        let answer = String::from_utf8_lossy(&answer);
        answer.lines().next().unwrap_or_default().to_owned()
    }

    /// The figures the README gives: targets up to 64 KiB and heads up to about 112 KiB pass;
    /// longer targets are 414, larger heads and heads of more than 100 fields 431, before any
    /// route sees them.
    #[tokio::test]
    async fn heads_are_capped_as_documented() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        let app = Router::new().fallback(get(|| async { "served" }));
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve_router(listener, app, async move {
            let _ = stop_rx.await;
        }));
        let with_header = |kib: usize| {
            format!(
                "GET / HTTP/1.1\r\nHost: x\r\nX-Pad: {}\r\nConnection: close\r\n\r\n",
                "a".repeat(kib * 1024 - 100)
            )
        };
        let with_target = |kib: usize| {
            format!(
                "GET /?q={} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "a".repeat(kib * 1024 - 100)
            )
        };
        let with_fields = |n: usize| {
            let fields: String = (0..n).map(|i| format!("X-{i}: y\r\n")).collect();
            format!("GET / HTTP/1.1\r\nHost: x\r\n{fields}Connection: close\r\n\r\n")
        };
        for (head, want) in [
            (with_fields(90), "HTTP/1.1 200 OK"),
            (
                with_fields(101),
                "HTTP/1.1 431 Request Header Fields Too Large",
            ),
            (with_header(100), "HTTP/1.1 200 OK"),
            (
                with_header(160),
                "HTTP/1.1 431 Request Header Fields Too Large",
            ),
            (with_target(60), "HTTP/1.1 200 OK"),
            (with_target(70), "HTTP/1.1 414 URI Too Long"),
        ] {
            assert_eq!(
                status_line(address, head.as_bytes()).await,
                want,
                "{}",
                head.len()
            );
        }
        stop_tx.send(()).expect("the server is waiting");
        server.await.expect("serve_router returns");
    }
}
