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

// --- body cap -------------------------------------------------------------------------------

fn assert_too_large(result: Result<Response, HttpError>, expected_url: &str) {
    match result {
        Err(HttpError::TooLarge { url, limit }) => {
            assert_eq!(url, expected_url);
            assert_eq!(limit, LIMIT);
        }
        Err(other) => panic!("expected TooLarge, got {other}"),
        Ok(r) => panic!("expected TooLarge, got {} bytes", r.body.len()),
    }
}

#[tokio::test]
async fn a_content_length_over_the_cap_fails_before_reading_the_body() {
    let (addr, _) = serve(|_, mut s| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-length: 50000000\r\n\r\n";
        let _ = s.write_all(head.as_bytes()).await;
        let _ = s.write_all(&[b'a'; 1024]).await;
        // Never send the rest: a client that waits for it would time out instead.
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let started = Instant::now();
    let result = client_for("big.test", addr)
        .get(&url("https://big.test/huge"))
        .await;
    assert_too_large(result, "https://big.test/huge");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_body_exactly_at_the_cap_is_read_whole() {
    let (addr, _) = serve(|_, mut s| async move {
        respond(&mut s, "200 OK", &[], &vec![b'x'; LIMIT as usize]).await;
    })
    .await;
    let r = client_for("edge.test", addr)
        .get(&url("https://edge.test/"))
        .await
        .unwrap();
    assert_eq!(r.body.len() as u64, LIMIT);
}

/// Write `chunks` chunks of 4 KiB (`None`: forever, until the client hangs up).
async fn write_chunked(mut s: TcpStream, chunks: Option<usize>) {
    let head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ncontent-type: text/plain\r\n\r\n";
    if s.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let mut chunk = b"1000\r\n".to_vec();
    chunk.extend_from_slice(&[b'z'; 4096]);
    chunk.extend_from_slice(b"\r\n");
    let mut sent = 0;
    while chunks.is_none_or(|n| sent < n) {
        if s.write_all(&chunk).await.is_err() {
            return;
        }
        sent += 1;
    }
    let _ = s.write_all(b"0\r\n\r\n").await;
}

#[tokio::test]
async fn a_chunked_body_over_the_cap_is_too_large() {
    let (addr, _) = serve(|_, s| write_chunked(s, Some(50))).await;
    let result = client_for("chunks.test", addr)
        .get(&url("https://chunks.test/x"))
        .await;
    assert_too_large(result, "https://chunks.test/x");
}

#[tokio::test]
async fn a_chunked_body_under_the_cap_is_read_whole() {
    let (addr, _) = serve(|_, s| write_chunked(s, Some(3))).await;
    let r = client_for("chunks.test", addr)
        .get(&url("https://chunks.test/x"))
        .await
        .unwrap();
    assert_eq!(r.body.len(), 3 * 4096);
}

#[tokio::test]
async fn an_endless_chunked_body_ends_in_too_large() {
    let (addr, _) = serve(|_, s| write_chunked(s, None)).await;
    let started = Instant::now();
    let result = client_for("endless.test", addr)
        .get(&url("https://endless.test/stream"))
        .await;
    assert_too_large(result, "https://endless.test/stream");
    assert!(started.elapsed() < Duration::from_secs(4));
}

/// `len` zero bytes, gzip-compressed, built in 1 MiB steps so the test itself stays small.
fn gzip_zeros(len: usize) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let block = vec![0u8; 1024 * 1024];
    let mut left = len;
    while left > 0 {
        let n = left.min(block.len());
        encoder.write_all(&block[..n]).unwrap();
        left -= n;
    }
    encoder.finish().unwrap()
}

#[tokio::test]
async fn a_gzip_bomb_stops_at_the_cap() {
    let bomb = gzip_zeros(50 * 1024 * 1024);
    assert!(bomb.len() < 200 * 1024, "the bomb is {} bytes", bomb.len());
    let (addr, _) = serve(move |_, mut s| {
        let bomb = bomb.clone();
        async move {
            let headers = [("content-encoding", "gzip"), ("content-type", "text/html")];
            respond(&mut s, "200 OK", &headers, &bomb).await;
        }
    })
    .await;
    let result = client_for("bomb.test", addr)
        .get(&url("https://bomb.test/"))
        .await;
    assert_too_large(result, "https://bomb.test/");
}

#[tokio::test]
async fn gzip_and_brotli_bodies_are_decoded() {
    let text = "<p>compressed answer</p>".repeat(20);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(text.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    let mut br = Vec::new();
    brotli::BrotliCompress(
        &mut text.as_bytes(),
        &mut br,
        &brotli::enc::BrotliEncoderParams::default(),
    )
    .unwrap();
    let (addr, _) = serve(move |head, mut s| {
        let (gz, br) = (gz.clone(), br.clone());
        async move {
            let (encoding, body) = if target_of(&head).ends_with("/br") {
                ("br", br)
            } else {
                ("gzip", gz)
            };
            respond(&mut s, "200 OK", &[("content-encoding", encoding)], &body).await;
        }
    })
    .await;
    let c = client_for("zip.test", addr);
    for path in ["gz", "br"] {
        let r = c
            .get(&url(&format!("https://zip.test/{path}")))
            .await
            .unwrap();
        assert_eq!(r.text(), text, "{path}");
    }
}

#[tokio::test]
async fn a_brotli_bomb_stops_at_the_cap() {
    // 8 MiB of zeros, 128 times the cap; a low quality keeps the test fast in debug builds.
    let zeros = vec![0u8; 8 * 1024 * 1024];
    let mut bomb = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 1,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut zeros.as_slice(), &mut bomb, &params).unwrap();
    drop(zeros);
    assert!(bomb.len() < 64 * 1024, "the bomb is {} bytes", bomb.len());
    let (addr, _) = serve(move |_, mut s| {
        let bomb = bomb.clone();
        async move {
            respond(&mut s, "200 OK", &[("content-encoding", "br")], &bomb).await;
        }
    })
    .await;
    let result = client_for("bomb.test", addr)
        .get(&url("https://bomb.test/br"))
        .await;
    assert_too_large(result, "https://bomb.test/br");
}

#[tokio::test]
async fn a_broken_gzip_body_is_a_decode_error() {
    let (addr, _) = serve(|_, mut s| async move {
        let garbage = b"\x1f\x8b\x08\x00this is not deflate data at all";
        respond(&mut s, "200 OK", &[("content-encoding", "gzip")], garbage).await;
    })
    .await;
    match client_for("bad.test", addr)
        .get(&url("https://bad.test/z"))
        .await
    {
        Err(HttpError::Decode { url, .. }) => assert_eq!(url, "https://bad.test/z"),
        other => panic!("{other:?}"),
    }
}

// --- timeouts and connection errors ---------------------------------------------------------

fn short_timeout_client(host: &str, addr: SocketAddr) -> HttpClient {
    let mut config = http_config(&[(host, format!("http://{addr}/{host}"))]);
    config.timeout = Duration::from_millis(300);
    client(&config)
}

fn assert_timeout(result: Result<Response, HttpError>, expected_url: &str) {
    match result {
        Err(HttpError::Timeout { url }) => assert_eq!(url, expected_url),
        other => panic!("expected Timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn a_stalled_body_times_out() {
    let (addr, _) = serve(|_, mut s| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly ten b";
        let _ = s.write_all(head.as_bytes()).await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let started = Instant::now();
    let result = short_timeout_client("slow.test", addr)
        .get(&url("https://slow.test/body"))
        .await;
    assert_timeout(result, "https://slow.test/body");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let (addr, _) = serve(|_, s| async move {
        let _held_open = s;
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let started = Instant::now();
    let result = short_timeout_client("mute.test", addr)
        .get(&url("https://mute.test/"))
        .await;
    assert_timeout(result, "https://mute.test/");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_slow_trickle_is_cut_off_by_the_total_timeout() {
    // Each byte arrives well within any read timeout; only a total timeout stops this.
    let (addr, _) = serve(|_, mut s| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n";
        let _ = s.write_all(head.as_bytes()).await;
        for _ in 0..1000 {
            if s.write_all(b"x").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    let result = short_timeout_client("trickle.test", addr)
        .get(&url("https://trickle.test/"))
        .await;
    assert_timeout(result, "https://trickle.test/");
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error_naming_the_logical_url() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    match client_for("down.test", addr)
        .get(&url("https://down.test/p"))
        .await
    {
        Err(e @ HttpError::Connect { .. }) => {
            assert!(e.to_string().contains("https://down.test/p"), "{e}");
        }
        other => panic!("{other:?}"),
    }
}

// --- redirects ------------------------------------------------------------------------------

/// Answers `/{host}/hop/N` with a redirect to `/hop/N+1` (relative to the logical URL) until
/// `N == last`, which answers 200 with its own target.
async fn redirect_chain(last: usize) -> (SocketAddr, Arc<AtomicUsize>) {
    serve(move |head, mut s| async move {
        let target = target_of(&head);
        let n: usize = target
            .rsplit('/')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        if n >= last {
            respond(&mut s, "200 OK", &[], target.as_bytes()).await;
        } else {
            let next = format!("/hop/{}", n + 1);
            respond(&mut s, "302 Found", &[("location", &next)], b"").await;
        }
    })
    .await
}

#[tokio::test]
async fn a_redirect_loop_ends_in_too_many_redirects() {
    let (addr, hits) = redirect_chain(20).await;
    match client_for("loop.test", addr)
        .get(&url("https://loop.test/hop/0"))
        .await
    {
        Err(HttpError::TooManyRedirects { url, limit }) => {
            assert_eq!((url.as_str(), limit), ("https://loop.test/hop/0", 5));
        }
        other => panic!("{other:?}"),
    }
    // The first request and five followed hops; the sixth redirect is not followed.
    assert_eq!(hits.load(Ordering::SeqCst), 6);
}

#[tokio::test]
async fn exactly_max_redirects_are_followed() {
    let (addr, _) = redirect_chain(5).await;
    let r = client_for("chain.test", addr)
        .get(&url("https://chain.test/hop/0"))
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.url.as_str(), "https://chain.test/hop/5");
    assert_eq!(&r.body[..], b"/chain.test/hop/5");
}

/// A fixture server that redirects `/{host}/go` to the `to` query value and answers anything
/// else with its own request target.
async fn redirector() -> (SocketAddr, Arc<AtomicUsize>) {
    serve(|head, mut s| async move {
        let target = target_of(&head);
        let full = Url::parse(&format!("http://fixture{target}")).unwrap();
        if full.path().ends_with("/go") {
            let to = full
                .query_pairs()
                .find(|(k, _)| k == "to")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default();
            respond(&mut s, "301 Moved Permanently", &[("location", &to)], b"").await;
        } else {
            respond(&mut s, "200 OK", &[], target.as_bytes()).await;
        }
    })
    .await
}

fn go(logical_base: &str, to: &str) -> Url {
    let mut u = url(logical_base);
    u.set_path("/go");
    u.query_pairs_mut().append_pair("to", to);
    u
}

#[tokio::test]
async fn redirect_locations_are_mapped_into_the_logical_space() {
    let (addr, hits) = redirector().await;
    let c = client(&http_config(&[
        (
            "www.instagram.com",
            format!("http://{addr}/www.instagram.com"),
        ),
        ("news.test", format!("http://{addr}/news.test")),
    ]));
    // (logical start, Location, final logical URL, path the fixture server saw last)
    let cases = [
        (
            "https://news.test/",
            "/story?id=1".to_string(),
            "https://news.test/story?id=1",
            "/news.test/story?id=1",
        ),
        (
            "https://news.test/a/",
            "b/c".to_string(),
            "https://news.test/b/c",
            "/news.test/b/c",
        ),
        (
            "https://www.instagram.com/",
            format!("http://{addr}/www.instagram.com/p/X/?x=1"),
            "https://www.instagram.com/p/X/?x=1",
            "/www.instagram.com/p/X/?x=1",
        ),
        (
            "https://news.test/",
            "https://www.instagram.com/accounts/login/?next=%2Fp%2FX%2F".to_string(),
            "https://www.instagram.com/accounts/login/?next=%2Fp%2FX%2F",
            "/www.instagram.com/accounts/login/?next=%2Fp%2FX%2F",
        ),
        (
            "https://news.test/",
            format!("http://{addr}/www.instagram.com/reel/Y/"),
            "https://www.instagram.com/reel/Y/",
            "/www.instagram.com/reel/Y/",
        ),
    ];
    for (start, location, final_url, seen) in cases {
        let before = hits.load(Ordering::SeqCst);
        let r = c.get(&go(start, &location)).await.unwrap();
        assert_eq!(r.url.as_str(), final_url, "{location}");
        assert_eq!(String::from_utf8_lossy(&r.body), seen, "{location}");
        assert_eq!(hits.load(Ordering::SeqCst), before + 2, "{location}");
    }
}

#[tokio::test]
async fn redirects_from_an_override_target_to_private_addresses_are_refused() {
    let (addr, _) = redirector().await;
    let (inner_addr, inner_hits) = serve(|_, mut s| async move {
        respond(&mut s, "200 OK", &[], b"internal secrets").await;
    })
    .await;
    let c = client_for("www.instagram.com", addr);
    let cases = [
        (
            format!("http://{inner_addr}/admin"),
            inner_addr.ip().to_string(),
        ),
        (
            "http://169.254.169.254/latest/meta-data/".to_string(),
            "169.254.169.254".to_string(),
        ),
        ("http://[::1]/".to_string(), "::1".to_string()),
        ("http://10.0.0.7:8080/".to_string(), "10.0.0.7".to_string()),
    ];
    for (location, address) in cases {
        let start = go("https://www.instagram.com/", &location);
        match c.get(&start).await {
            Err(HttpError::RefusedAddress { url, address: got }) => {
                assert_eq!(got, address, "{location}");
                assert_eq!(url, Url::parse(&location).unwrap().as_str());
            }
            other => panic!("{location}: {other:?}"),
        }
    }
    assert_eq!(inner_hits.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn redirects_to_other_schemes_are_invalid() {
    let (addr, _) = redirector().await;
    let c = client_for("www.instagram.com", addr);
    for location in [
        "ftp://example.com/file",
        "file:///etc/passwd",
        "javascript:alert(1)",
    ] {
        match c.get(&go("https://www.instagram.com/", location)).await {
            Err(HttpError::InvalidUrl { url, .. }) => assert_eq!(url, location),
            other => panic!("{location}: {other:?}"),
        }
    }
}

// --- the guard ------------------------------------------------------------------------------

#[tokio::test]
async fn literal_private_addresses_are_refused_with_the_guard_on_and_allowed_with_it_off() {
    let (addr, hits) = serve(|_, mut s| async move {
        respond(&mut s, "200 OK", &[], b"hello").await;
    })
    .await;
    let by_ip = url(&format!("http://{addr}/x"));
    let by_name = url(&format!("http://localhost:{}/x", addr.port()));

    let guarded = client(&http_config(&[]));
    match guarded.get(&by_ip).await {
        Err(HttpError::RefusedAddress { url, address }) => {
            assert_eq!(url, by_ip.as_str());
            assert_eq!(address, "127.0.0.1");
        }
        other => panic!("{other:?}"),
    }
    // A name is checked after resolution, by the guarded resolver.
    match guarded.get(&by_name).await {
        Err(HttpError::RefusedAddress { url, address }) => {
            assert_eq!(url, by_name.as_str());
            assert!(address.contains("localhost"), "{address}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0);

    let mut open = http_config(&[]);
    open.allow_private_addresses = true;
    let open = client(&open);
    for u in [&by_ip, &by_name] {
        let r = open.get(u).await.unwrap();
        assert_eq!(&r.body[..], b"hello");
    }
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn only_http_and_https_are_fetched() {
    let c = client(&http_config(&[]));
    for u in [
        "ftp://example.com/",
        "file:///etc/passwd",
        "data:text/plain,hi",
    ] {
        match c.get(&url(u)).await {
            Err(HttpError::InvalidUrl { url, .. }) => assert_eq!(url, u),
            other => panic!("{u}: {other:?}"),
        }
    }
}

#[test]
fn a_bad_override_base_fails_client_construction() {
    let config = http_config(&[("a.test", "not a url".to_string())]);
    match HttpClient::new(&config, &polite(1)) {
        Err(HttpError::InvalidUrl { url, .. }) => assert_eq!(url, "not a url"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_user_agent_that_is_not_a_header_value_fails_client_construction() {
    let mut config = http_config(&[]);
    config.user_agent = "embedkeep\r\nx-injected: 1".into();
    match HttpClient::new(&config, &polite(1)) {
        Err(e @ HttpError::Build { .. }) => assert!(e.to_string().contains("HTTP client"), "{e}"),
        other => panic!("{other:?}"),
    }
}

// --- politeness -----------------------------------------------------------------------------

/// A server that counts handlers running at once and remembers the highest count.
async fn counting_server() -> (SocketAddr, Arc<AtomicUsize>) {
    let active = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let peak_out = peak.clone();
    let (addr, _) = serve(move |_, mut s| {
        let (active, peak) = (active.clone(), peak.clone());
        async move {
            let now = active.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(80)).await;
            active.fetch_sub(1, Ordering::SeqCst);
            respond(&mut s, "200 OK", &[], b"ok").await;
        }
    })
    .await;
    (addr, peak_out)
}

async fn get_all(c: &HttpClient, urls: Vec<Url>) {
    let mut set = tokio::task::JoinSet::new();
    for u in urls {
        let c = c.clone();
        set.spawn(async move { c.get(&u).await.map(|r| r.status) });
    }
    while let Some(done) = set.join_next().await {
        assert_eq!(done.unwrap().unwrap(), 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_host_concurrency_is_never_exceeded() {
    let (addr, peak) = counting_server().await;
    let config = http_config(&[("www.instagram.com", format!("http://{addr}/ig"))]);
    let c = HttpClient::new(&config, &polite(2)).unwrap();
    let urls = (0..10)
        .map(|i| url(&format!("https://www.instagram.com/p/{i}/")))
        .collect();
    get_all(&c, urls).await;
    // Never more than two, and the cap was actually reached (the requests did overlap).
    assert_eq!(peak.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrency_is_counted_per_logical_host_not_per_target() {
    let (addr, peak) = counting_server().await;
    let config = http_config(&[
        ("a.test", format!("http://{addr}/a")),
        ("b.test", format!("http://{addr}/b")),
    ]);
    let c = HttpClient::new(&config, &polite(1)).unwrap();
    let urls = (0..4)
        .flat_map(|i| {
            [
                url(&format!("https://a.test/{i}")),
                url(&format!("https://b.test/{i}")),
            ]
        })
        .collect();
    get_all(&c, urls).await;
    assert_eq!(peak.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn the_interval_spaces_requests_to_one_host() {
    let (addr, _) = serve(|_, mut s| async move {
        respond(&mut s, "200 OK", &[], b"ok").await;
    })
    .await;
    let config = http_config(&[("paced.test", format!("http://{addr}/p"))]);
    let politeness = PolitenessConfig {
        per_host_concurrency: 4,
        per_host_interval: Duration::from_millis(150),
    };
    let c = HttpClient::new(&config, &politeness).unwrap();
    let started = Instant::now();
    for i in 0..3 {
        c.get(&url(&format!("https://paced.test/{i}")))
            .await
            .unwrap();
    }
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
}
