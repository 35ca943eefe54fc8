//! End-to-end tests of [`HttpClient`] against tiny servers on 127.0.0.1.
//!
//! The servers are raw `TcpListener`s writing responses by hand, which is the only way to
//! produce endless chunked bodies, stalled bodies, lying Content-Length headers and
//! hand-made compression bombs. With the guard on (the default here), they are reachable only
//! through host overrides — exactly the production set-up for fixture tests.

use std::collections::BTreeMap;
use std::future::Future;
use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

use super::{HttpClient, HttpError, Response};
use crate::config::{HttpConfig, PolitenessConfig};

mod body_cap;
mod guard;
mod logging;
mod politeness;
mod redirects;
mod timeouts;

const LIMIT: u64 = 64 * 1024;

/// Start a server; `handle` gets the request head (request line + headers) and the stream.
/// Every accepted connection counts in the returned hit counter.
async fn serve<F, Fut>(handle: F) -> (SocketAddr, Arc<AtomicUsize>)
where
    F: Fn(String, TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let handle = Arc::new(handle);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let handle = handle.clone();
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                counter.fetch_add(1, Ordering::SeqCst);
                handle(String::from_utf8_lossy(&head).into_owned(), stream).await;
            });
        }
    });
    (addr, hits)
}

/// The request target ("/path?query") from a request head.
fn target_of(head: &str) -> String {
    head.split_whitespace().nth(1).unwrap_or("").to_owned()
}

/// Write a complete response with a Content-Length and close.
async fn respond(stream: &mut TcpStream, status: &str, headers: &[(&str, &str)], body: &[u8]) {
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    // The client may hang up first (that is what some tests are about).
    let _ = stream.write_all(&bytes).await;
    let _ = stream.shutdown().await;
}

fn http_config(overrides: &[(&str, String)]) -> HttpConfig {
    HttpConfig {
        user_agent: "embedkeep-test/1.0".into(),
        timeout: Duration::from_secs(5),
        max_body_bytes: LIMIT,
        max_redirects: 5,
        allow_private_addresses: false,
        host_overrides: overrides
            .iter()
            .map(|(h, b)| (h.to_string(), b.clone()))
            .collect::<BTreeMap<_, _>>(),
    }
}

fn polite(concurrency: usize) -> PolitenessConfig {
    PolitenessConfig {
        per_host_concurrency: concurrency,
        per_host_interval: Duration::ZERO,
        ..PolitenessConfig::default()
    }
}

fn client(config: &HttpConfig) -> HttpClient {
    HttpClient::new(config, &polite(4)).unwrap()
}

/// A client with `host` overridden to `http://addr/host`.
fn client_for(host: &str, addr: SocketAddr) -> HttpClient {
    client(&http_config(&[(host, format!("http://{addr}/{host}"))]))
}

fn url(text: &str) -> Url {
    Url::parse(text).unwrap()
}

#[tokio::test]
async fn override_sends_path_and_query_to_the_target_and_keeps_the_logical_url() {
    let (addr, hits) = serve(|head, mut s| async move {
        respond(
            &mut s,
            "200 OK",
            &[("content-type", "text/plain")],
            head.as_bytes(),
        )
        .await;
    })
    .await;
    let c = client_for("www.instagram.com", addr);
    let logical = url("https://www.instagram.com/p/X/?a=b&c=%20d");
    let r = c.get(&logical).await.unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.url, logical);
    assert_eq!(r.content_type.as_deref(), Some("text/plain"));
    let head = r.text().to_ascii_lowercase();
    assert!(
        head.starts_with("get /www.instagram.com/p/x/?a=b&c=%20d http/1.1\r\n"),
        "{head}"
    );
    assert!(
        head.contains("user-agent: embedkeep-test/1.0\r\n"),
        "{head}"
    );
    assert!(!head.contains("referer"), "{head}");
    let accept_encoding = head
        .lines()
        .find_map(|l| l.strip_prefix("accept-encoding: "))
        .unwrap_or_default();
    assert!(accept_encoding.contains("gzip"), "{head}");
    assert!(accept_encoding.contains("br"), "{head}");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn keeps_only_the_useful_headers() {
    let (addr, _) = serve(|_, mut s| async move {
        let headers = [
            ("retry-after", "120"),
            ("x-rate-limit-remaining", "0"),
            ("set-cookie", "sessionid=secret"),
        ];
        respond(&mut s, "429 Too Many Requests", &headers, b"slow down").await;
    })
    .await;
    let r = client_for("api.test", addr)
        .get(&url("https://api.test/x"))
        .await
        .unwrap();
    assert_eq!(r.status, 429);
    assert!(!r.is_success());
    assert_eq!(r.header("Retry-After"), Some("120"));
    assert_eq!(r.header("x-rate-limit-remaining"), Some("0"));
    assert_eq!(r.header("set-cookie"), None);
    match r.error_for_status() {
        Err(HttpError::Status { url, status }) => {
            assert_eq!((url.as_str(), status), ("https://api.test/x", 429));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn decodes_a_windows_1251_page_end_to_end() {
    let page = "<html><body>Новости: всё хорошо</body></html>";
    let (encoded, _, _) = encoding_rs::WINDOWS_1251.encode(page);
    let body = encoded.into_owned();
    let (addr, _) = serve(move |_, mut s| {
        let body = body.clone();
        async move {
            let ct = [("content-type", "text/html; charset=windows-1251")];
            respond(&mut s, "200 OK", &ct, &body).await;
        }
    })
    .await;
    let r = client_for("news.test", addr)
        .get(&url("https://news.test/a"))
        .await
        .unwrap();
    assert_eq!(r.text(), page);
}
