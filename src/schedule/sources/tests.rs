//! Tests of the module as the daemon uses it: [`Source::from_config`], and [`poll`] against a
//! small axum server on 127.0.0.1 that serves real fixture documents, honours
//! `If-None-Match`, and logs every request. The client reaches the server only through host
//! overrides, with the address guard on, as in production fixture set-ups.

use std::collections::{BTreeMap, HashMap};
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response as AxumResponse};
use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};
use url::Url;

use super::body::tests::zero_bomb;
use super::*;
use crate::config::{HttpConfig, PolitenessConfig, SourceConfig};
use crate::http::HttpClient;
use crate::test_support::Logs;

/// A fixture file from `tests/fixtures/sources/`.
pub(super) fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sources")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The warning that the document at `url` listed more URLs than the cap allows and `n` were
/// left out, which fails the test when it was not logged (at WARN, naming both).
pub(super) fn assert_left_out(logs: &Logs, url: &str, n: usize) -> String {
    let text = logs.text();
    let (url_field, count_field) = (format!("url={url}"), format!("left_out={n}"));
    let warning = text
        .lines()
        .filter(|l| l.contains("left out"))
        .find(|l| {
            // Whole fields, so that `left_out=1` is not found in `left_out=17`.
            let mut fields = l.split_whitespace();
            fields.clone().any(|f| f == url_field) && fields.any(|f| f == count_field)
        })
        .unwrap_or_else(|| panic!("no warning that {url} left {n} out: {text}"));
    assert!(warning.contains(" WARN "), "{warning}");
    warning.to_owned()
}

/// A go-sitemap-parser fixture with its `HOST` placeholder pointing at `news.test`.
fn with_host(name: &str) -> Vec<u8> {
    String::from_utf8(fixture(name))
        .unwrap()
        .replace("HOST", "news.test")
        .into_bytes()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn url(text: &str) -> Url {
    Url::parse(text).unwrap()
}

/// One document the server holds.
#[derive(Clone)]
struct Doc {
    status: u16,
    content_type: &'static str,
    etag: Option<&'static str>,
    body: Vec<u8>,
}

impl Doc {
    fn ok(content_type: &'static str, body: Vec<u8>) -> Doc {
        Doc {
            status: 200,
            content_type,
            etag: None,
            body,
        }
    }

    fn xml(body: impl Into<Vec<u8>>) -> Doc {
        Doc::ok("application/xml", body.into())
    }

    fn with_etag(mut self, etag: &'static str) -> Doc {
        self.etag = Some(etag);
        self
    }
}

/// A request the server saw: the logical URL and its `If-None-Match`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    url: String,
    if_none_match: Option<String>,
}

#[derive(Clone)]
struct Served {
    docs: Arc<HashMap<String, Doc>>,
    log: Arc<Mutex<Vec<Seen>>>,
}

/// The server, reachable as `https://news.test/…` through the client from [`Server::client`].
struct Server {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    /// Serve `docs`, keyed by logical URL (`https://news.test/path`); anything else is 404.
    async fn start(docs: &[(&str, Doc)]) -> Server {
        let docs = docs
            .iter()
            .map(|(u, d)| (url(u).to_string(), d.clone()))
            .collect::<HashMap<_, _>>();
        let log = Arc::new(Mutex::new(Vec::new()));
        let state = Served {
            docs: Arc::new(docs),
            log: log.clone(),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = axum::Router::new().fallback(answer).with_state(state);
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Server { addr, log }
    }

    fn client(&self) -> HttpClient {
        self.client_within(HttpConfig::default().max_body_bytes)
    }

    /// A client whose bodies are capped at `max_body_bytes` (`http.max_body_bytes`).
    fn client_within(&self, max_body_bytes: u64) -> HttpClient {
        let http = HttpConfig {
            timeout: Duration::from_secs(5),
            max_body_bytes,
            host_overrides: BTreeMap::from([(
                "news.test".to_owned(),
                format!("http://{}/news.test", self.addr),
            )]),
            ..HttpConfig::default()
        };
        let politeness = PolitenessConfig {
            per_host_concurrency: 2,
            per_host_interval: Duration::ZERO,
            ..PolitenessConfig::default()
        };
        HttpClient::new(&http, &politeness).unwrap()
    }

    fn requests(&self) -> Vec<Seen> {
        self.log.lock().unwrap().clone()
    }

    fn requested_urls(&self) -> Vec<String> {
        self.requests().into_iter().map(|s| s.url).collect()
    }
}

/// `/news.test/path?query` is the logical URL `https://news.test/path?query`.
async fn answer(State(served): State<Served>, request: Request) -> AxumResponse {
    let target = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let logical = format!("https:/{target}");
    let if_none_match = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    served.log.lock().unwrap().push(Seen {
        url: logical.clone(),
        if_none_match: if_none_match.clone(),
    });
    let Some(doc) = served.docs.get(&logical) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut response = if doc.etag.is_some() && if_none_match.as_deref() == doc.etag {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = doc.body.clone().into_response();
        *r.status_mut() = StatusCode::from_u16(doc.status).unwrap();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(doc.content_type),
        );
        r.headers_mut().insert(
            header::LAST_MODIFIED,
            HeaderValue::from_static("Sun, 17 Dec 2023 05:58:40 GMT"),
        );
        r
    };
    if let Some(etag) = doc.etag {
        response
            .headers_mut()
            .insert(header::ETAG, HeaderValue::from_static(etag));
    }
    response
}

fn items_of(poll: Poll) -> (Vec<SourceItem>, Validators, String) {
    match poll {
        Poll::Items {
            items,
            validators,
            sha256,
        } => (items, validators, sha256),
        Poll::NotModified => panic!("expected items, got NotModified"),
    }
}

/// A first poll of `source` (no validators, default limits), which must succeed.
async fn first_poll(server: &Server, source: &Source) -> (Vec<SourceItem>, Validators, String) {
    items_of(
        poll(
            &server.client(),
            source,
            &Validators::default(),
            &SourceLimits::default(),
        )
        .await
        .unwrap(),
    )
}

fn locs(items: &[SourceItem]) -> Vec<&str> {
    items.iter().map(|i| i.url.as_str()).collect()
}

#[tokio::test]
async fn an_unchanged_feed_costs_one_request_answered_304() {
    let body = fixture("feed-rs-rss_2.0_nbcny.xml");
    let server = Server::start(&[(
        "https://news.test/rss.xml",
        Doc::ok("application/rss+xml", body.clone()).with_etag("\"nbc-1\""),
    )])
    .await;
    let http = server.client();
    let source = Source::Feed(url("https://news.test/rss.xml"));
    let limits = SourceLimits::default();

    let first = poll(&http, &source, &Validators::default(), &limits)
        .await
        .unwrap();
    let (items, validators, sha256) = items_of(first);
    assert_eq!(items.len(), 1);
    assert!(
        items[0]
            .url
            .as_str()
            .starts_with("https://www.nbcnewyork.com/news/local/")
    );
    assert_eq!(
        validators,
        Validators {
            etag: Some("\"nbc-1\"".into()),
            last_modified: Some("Sun, 17 Dec 2023 05:58:40 GMT".into()),
        }
    );
    assert_eq!(sha256, hex::encode(Sha256::digest(&body)));

    let second = poll(&http, &source, &validators, &limits).await.unwrap();
    assert_eq!(second, Poll::NotModified);
    assert_eq!(
        server.requests(),
        [
            Seen {
                url: "https://news.test/rss.xml".into(),
                if_none_match: None,
            },
            Seen {
                url: "https://news.test/rss.xml".into(),
                if_none_match: Some("\"nbc-1\"".into()),
            },
        ]
    );
}

#[tokio::test]
async fn a_changed_feed_is_read_again_with_its_new_validators() {
    let server = Server::start(&[(
        "https://news.test/feed.json",
        Doc::ok(
            "application/feed+json",
            fixture("feed-rs-jsonfeed_example_1.json"),
        )
        .with_etag("\"v2\""),
    )])
    .await;
    let stale = Validators {
        etag: Some("\"v1\"".into()),
        last_modified: None,
    };
    let source = Source::Feed(url("https://news.test/feed.json"));
    let (items, validators, _) = items_of(
        poll(&server.client(), &source, &stale, &SourceLimits::default())
            .await
            .unwrap(),
    );
    assert_eq!(items.len(), 2);
    assert_eq!(validators.etag.as_deref(), Some("\"v2\""));
}

/// Regression: a feed over the URL cap failed every poll, so it was downloaded again in full
/// at each tick and nothing of it was queued. Its first items are the poll's, and its
/// validators make the next poll a conditional request.
#[tokio::test]
async fn a_feed_over_the_url_cap_gives_its_first_items_and_is_then_not_modified() {
    let mut rss = String::from("<rss version=\"2.0\"><channel><title>t</title>");
    for i in 0..5 {
        rss.push_str(&format!("<item><link>https://news.test/{i}</link></item>"));
    }
    rss.push_str("</channel></rss>");
    let server = Server::start(&[(
        "https://news.test/rss.xml",
        Doc::ok("application/rss+xml", rss.into_bytes()).with_etag("\"big-1\""),
    )])
    .await;
    let http = server.client();
    let source = Source::Feed(url("https://news.test/rss.xml"));
    let limits = SourceLimits {
        max_urls: 3,
        ..SourceLimits::default()
    };
    let (items, validators, _) = items_of(
        poll(&http, &source, &Validators::default(), &limits)
            .await
            .unwrap(),
    );
    assert_eq!(
        locs(&items),
        [
            "https://news.test/0",
            "https://news.test/1",
            "https://news.test/2"
        ]
    );
    assert_eq!(validators.etag.as_deref(), Some("\"big-1\""));
    assert_eq!(
        poll(&http, &source, &validators, &limits).await.unwrap(),
        Poll::NotModified
    );
}

#[tokio::test]
async fn a_gzipped_feed_without_content_encoding_is_inflated() {
    let body = gzip(&fixture("feed-rs-atom_relative.xml"));
    let server = Server::start(&[(
        "https://news.test/blog/feed.xml.gz",
        Doc::ok("application/gzip", body.clone()),
    )])
    .await;
    let source = Source::Feed(url("https://news.test/blog/feed.xml.gz"));
    let (items, _, sha256) = first_poll(&server, &source).await;
    assert_eq!(locs(&items), ["https://news.test/blog/2003/12/13/atom03"]);
    assert_eq!(
        sha256,
        hex::encode(Sha256::digest(&body)),
        "hash of the bytes as received"
    );
}

#[tokio::test]
async fn a_sitemap_index_is_walked_into_a_plain_and_a_gzipped_sitemap() {
    let server = Server::start(&[
        (
            "https://news.test/sitemapindex.xml",
            Doc::xml(with_host("gsp-sitemapindex-1.xml")).with_etag("\"idx-1\""),
        ),
        (
            "https://news.test/sitemap-01.xml",
            Doc::xml(with_host("gsp-sitemap-01.xml")),
        ),
        // Served as a gzip file (no Content-Encoding), as `.xml.gz` sitemaps are.
        (
            "https://news.test/sitemap-02.xml",
            Doc::ok("application/gzip", gzip(&with_host("gsp-sitemap-02.xml"))),
        ),
        // sitemap-03.xml, also listed, is missing: skipped with a warning.
    ])
    .await;
    let http = server.client();
    let source = Source::Sitemap(url("https://news.test/sitemapindex.xml"));
    let limits = SourceLimits::default();

    let (items, validators, _) = items_of(
        poll(&http, &source, &Validators::default(), &limits)
            .await
            .unwrap(),
    );
    assert_eq!(
        locs(&items),
        [
            "http://news.test/page-01",
            "http://news.test/page-02",
            "http://news.test/page-03"
        ]
    );
    assert!(items.iter().all(|i| i.updated.is_some()));
    assert_eq!(
        server.requested_urls(),
        [
            "https://news.test/sitemapindex.xml",
            "https://news.test/sitemap-01.xml",
            "https://news.test/sitemap-02.xml",
            "https://news.test/sitemap-03.xml"
        ]
    );

    // Regression: the index's validators were kept, and a static index served with them (as
    // any web server serves a file) answered 304 at every later poll while the news sitemap it
    // lists grew: its new articles were never read. An index keeps none; the next poll reads
    // it and what it lists again.
    assert!(validators.is_empty(), "{validators:?}");
    assert!(matches!(
        poll(&http, &source, &validators, &limits).await.unwrap(),
        Poll::Items { .. }
    ));
    assert_eq!(server.requests().len(), 8);
}

/// A sitemap index document listing `children` (paths on news.test).
fn index(children: &[&str]) -> Doc {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for child in children {
        xml.push_str(&format!(
            "  <sitemap><loc>https://news.test{child}</loc></sitemap>\n"
        ));
    }
    xml.push_str("</sitemapindex>\n");
    Doc::xml(xml)
}

/// Regression: an index listing itself failed the whole source ("sitemap index loop"), so its
/// other sitemaps were never fetched. The looping entry is skipped; its siblings are walked.
#[tokio::test]
async fn an_index_that_lists_itself_first_still_yields_its_other_sitemaps() {
    let server = Server::start(&[
        (
            "https://news.test/index.xml",
            index(&["/index.xml", "/sitemap-01.xml"]),
        ),
        (
            "https://news.test/sitemap-01.xml",
            Doc::xml(with_host("gsp-sitemap-01.xml")),
        ),
    ])
    .await;
    let source = Source::Sitemap(url("https://news.test/index.xml"));
    let logs = Logs::capture();
    let (items, _, _) = first_poll(&server, &source).await;
    assert_eq!(locs(&items), ["http://news.test/page-01"]);
    assert_eq!(
        server.requested_urls(),
        [
            "https://news.test/index.xml",
            "https://news.test/sitemap-01.xml"
        ],
        "the index is fetched once"
    );
    let text = logs.text();
    let warnings: Vec<&str> = text.lines().filter(|l| l.contains(" WARN ")).collect();
    assert_eq!(warnings.len(), 1, "{text}");
    assert!(
        warnings[0].contains("sitemap=https://news.test/index.xml")
            && warnings[0].contains("index=https://news.test/index.xml"),
        "the warning names the looping entry: {text}"
    );
}

/// Regression: an index listing an index above it failed the whole source. The entry is
/// skipped and the sitemaps listed beside it, above and below, are all read.
#[tokio::test]
async fn an_index_that_lists_an_ancestor_skips_that_entry_and_walks_the_rest() {
    let server = Server::start(&[
        ("https://news.test/a.xml", index(&["/b.xml"])),
        ("https://news.test/b.xml", index(&["/c.xml", "/urls-b.xml"])),
        ("https://news.test/c.xml", index(&["/a.xml", "/urls-c.xml"])),
        (
            "https://news.test/urls-b.xml",
            Doc::xml(with_host("gsp-sitemap-01.xml")),
        ),
        (
            "https://news.test/urls-c.xml",
            Doc::xml(with_host("gsp-sitemap-02.xml")),
        ),
    ])
    .await;
    let source = Source::Sitemap(url("https://news.test/a.xml"));
    let (items, _, _) = first_poll(&server, &source).await;
    assert_eq!(
        locs(&items),
        [
            "http://news.test/page-01",
            "http://news.test/page-02",
            "http://news.test/page-03"
        ]
    );
    assert_eq!(
        server.requested_urls(),
        [
            "https://news.test/a.xml",
            "https://news.test/b.xml",
            "https://news.test/c.xml",
            "https://news.test/urls-b.xml",
            "https://news.test/urls-c.xml"
        ]
    );
}

#[tokio::test]
async fn a_sitemap_listed_twice_or_by_two_indexes_is_fetched_once() {
    let server = Server::start(&[
        (
            "https://news.test/a.xml",
            index(&["/b.xml", "/c.xml", "/b.xml"]),
        ),
        ("https://news.test/b.xml", index(&["/c.xml"])),
        (
            "https://news.test/c.xml",
            Doc::xml(with_host("gsp-sitemap-01.xml")),
        ),
    ])
    .await;
    let source = Source::Sitemap(url("https://news.test/a.xml"));
    let (items, _, _) = first_poll(&server, &source).await;
    assert_eq!(locs(&items), ["http://news.test/page-01"]);
    assert_eq!(
        server.requested_urls(),
        [
            "https://news.test/a.xml",
            "https://news.test/b.xml",
            "https://news.test/c.xml"
        ]
    );
}

/// Regression: a walk past one of its bounds failed the whole poll ("more than 250000 URLs",
/// "lists more than 1000 sitemaps", "nest more than 3 deep"), so a big publisher's index
/// queued nothing at all, at every poll. The walk stops at the bound: what was read up to it is
/// listed, and a warning names the source and how much was left out.
#[tokio::test]
async fn walking_stops_at_depth_documents_and_total_urls_and_says_what_it_left_out() {
    let server = Server::start(&[
        ("https://news.test/a.xml", index(&["/b.xml"])),
        ("https://news.test/b.xml", index(&["/c.xml"])),
        (
            "https://news.test/c.xml",
            Doc::xml(with_host("gsp-sitemap-02.xml")),
        ),
        (
            "https://news.test/sitemapindex.xml",
            Doc::xml(with_host("gsp-sitemapindex-1.xml")),
        ),
        (
            "https://news.test/sitemap-01.xml",
            Doc::xml(with_host("gsp-sitemap-01.xml")),
        ),
        (
            "https://news.test/sitemap-02.xml",
            Doc::xml(with_host("gsp-sitemap-02.xml")),
        ),
    ])
    .await;
    let http = server.client();
    let nested = Source::Sitemap(url("https://news.test/a.xml"));
    let flat = Source::Sitemap(url("https://news.test/sitemapindex.xml"));
    let none = Validators::default();
    let logs = Logs::capture();

    let shallow = SourceLimits {
        max_depth: 1,
        ..SourceLimits::default()
    };
    let (items, _, _) = items_of(poll(&http, &nested, &none, &shallow).await.unwrap());
    assert!(items.is_empty());
    let warning = assert_left_out(&logs, "https://news.test/a.xml", 1);
    assert!(
        warning.contains("first=https://news.test/c.xml"),
        "{warning}"
    );
    let deep_enough = SourceLimits {
        max_depth: 2,
        ..SourceLimits::default()
    };
    let (items, _, _) = items_of(poll(&http, &nested, &none, &deep_enough).await.unwrap());
    assert_eq!(items.len(), 2);

    let few_documents = SourceLimits {
        max_sitemaps: 3,
        ..SourceLimits::default()
    };
    let before = server.requests().len();
    let (items, _, _) = items_of(poll(&http, &flat, &none, &few_documents).await.unwrap());
    assert_eq!(
        locs(&items),
        [
            "http://news.test/page-01",
            "http://news.test/page-02",
            "http://news.test/page-03"
        ]
    );
    assert_eq!(
        server.requests().len() - before,
        3,
        "the third sitemap is not fetched"
    );
    assert_left_out(&logs, "https://news.test/sitemapindex.xml", 1);

    let few_urls = SourceLimits {
        max_total_urls: 2,
        ..SourceLimits::default()
    };
    let before = server.requests().len();
    let (items, _, _) = items_of(poll(&http, &flat, &none, &few_urls).await.unwrap());
    assert_eq!(
        locs(&items),
        ["http://news.test/page-01", "http://news.test/page-02"]
    );
    assert_eq!(
        server.requested_urls()[before..],
        [
            "https://news.test/sitemapindex.xml",
            "https://news.test/sitemap-01.xml",
            "https://news.test/sitemap-02.xml"
        ],
        "once the cap is reached, the sitemaps left are not fetched"
    );
    let text = logs.text();
    let warning = text
        .lines()
        .find(|l| l.contains("URLs in all"))
        .unwrap_or_else(|| panic!("no warning about the URL cap: {text}"));
    assert!(
        warning.contains(" WARN ")
            && warning.contains("url=https://news.test/sitemapindex.xml")
            && warning.contains("left_out=1")
            && warning.contains("unread_sitemaps=1")
            && warning.contains(
                "the first 2 are taken; 1 more in the sitemaps read are left out, and 1 listed \
                 sitemap(s) are not read"
            ),
        "{warning}"
    );
}

/// Regression: a listed sitemap that answered 503 was skipped, yet the index's validators
/// were kept, so every later poll was answered 304 and that sitemap's articles were never
/// queued until the index itself changed. A failure that may pass leaves the poll without
/// validators; one that will not (a 404) keeps them (see the walk test above).
#[tokio::test]
async fn a_listed_sitemap_that_fails_for_now_makes_the_next_poll_read_the_index_again() {
    let server = Server::start(&[
        (
            "https://news.test/index.xml",
            index(&["/sitemap-01.xml", "/sitemap-02.xml"]).with_etag("\"idx-1\""),
        ),
        (
            "https://news.test/sitemap-01.xml",
            Doc::xml(with_host("gsp-sitemap-01.xml")),
        ),
        (
            "https://news.test/sitemap-02.xml",
            Doc {
                status: 503,
                content_type: "text/plain",
                etag: None,
                body: b"busy".to_vec(),
            },
        ),
    ])
    .await;
    let http = server.client();
    let source = Source::Sitemap(url("https://news.test/index.xml"));
    let limits = SourceLimits::default();
    let (items, validators, _) = items_of(
        poll(&http, &source, &Validators::default(), &limits)
            .await
            .unwrap(),
    );
    assert_eq!(locs(&items), ["http://news.test/page-01"]);
    assert!(validators.is_empty(), "{validators:?}");
    assert!(matches!(
        poll(&http, &source, &validators, &limits).await.unwrap(),
        Poll::Items { .. }
    ));
}

#[tokio::test]
async fn a_feed_listed_as_a_sitemap_is_read_as_a_feed() {
    let server = Server::start(&[
        ("https://news.test/index.xml", index(&["/atom.xml"])),
        (
            "https://news.test/atom.xml",
            Doc::ok("application/atom+xml", fixture("trafilatura-feed1.atom")),
        ),
    ])
    .await;
    let source = Source::Sitemap(url("https://news.test/index.xml"));
    let (items, _, _) = first_poll(&server, &source).await;
    assert_eq!(locs(&items), ["http://example.org/2003/12/13/atom03"]);
}

/// Regression: a text sitemap (one URL a line, the sitemap protocol's other form) was refused
/// as "not a sitemap: root element is <>", and its articles were never queued.
#[tokio::test]
async fn a_text_sitemap_lists_its_urls_and_skips_its_other_lines() {
    let text = "\u{feff}https://news.test/a\n  https://news.test/b  \r\n\nhttps://news.test/a\n\
                javascript:alert(1)\nnot a url\n";
    let server = Server::start(&[
        (
            "https://news.test/sitemap.txt",
            Doc::ok("text/plain", text.as_bytes().to_vec()),
        ),
        (
            "https://news.test/sitemap.txt.gz",
            Doc::ok("application/gzip", gzip(text.as_bytes())),
        ),
        (
            "https://news.test/prose.txt",
            Doc::ok("text/plain", b"hello, no URL here".to_vec()),
        ),
    ])
    .await;
    for sitemap in [
        "https://news.test/sitemap.txt",
        "https://news.test/sitemap.txt.gz",
    ] {
        let source = Source::Sitemap(url(sitemap));
        let (items, _, _) = first_poll(&server, &source).await;
        assert_eq!(locs(&items), ["https://news.test/a", "https://news.test/b"]);
    }
    let source = Source::Sitemap(url("https://news.test/prose.txt"));
    let err = poll(
        &server.client(),
        &source,
        &Validators::default(),
        &SourceLimits::default(),
    )
    .await
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("https://news.test/prose.txt: not a sitemap"),
        "{err}"
    );
}

/// Regression: a plain sitemap was held to `http.max_body_bytes` (10 MiB, for articles), so a
/// large one, which the protocol allows up to 50 MB, was refused whole. Source documents have
/// the cap a gzipped one inflates to; past it they are refused naming the URL.
#[tokio::test]
async fn a_plain_sitemap_larger_than_an_article_may_be_is_read() {
    let entries: String = (0..2_000)
        .map(|i| format!("<url><loc>https://news.test/2026/{i:05}</loc></url>\n"))
        .collect();
    let xml = format!(
        "<?xml version=\"1.0\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n{entries}</urlset>\n"
    );
    assert!(xml.len() > 80_000, "{}", xml.len());
    let server = Server::start(&[(
        "https://news.test/sitemap.xml",
        Doc::ok("application/xml", xml.clone().into_bytes()),
    )])
    .await;
    let client = server.client_within(16 * 1024);
    let source = Source::Sitemap(url("https://news.test/sitemap.xml"));
    let limits = SourceLimits::default();
    let (items, _, _) = items_of(
        poll(&client, &source, &Validators::default(), &limits)
            .await
            .expect("read"),
    );
    assert_eq!(items.len(), 2_000);
    assert_eq!(items[1999].url.as_str(), "https://news.test/2026/01999");
    let limits = SourceLimits {
        max_decompressed_bytes: 32 * 1024,
        ..SourceLimits::default()
    };
    let err = poll(&client, &source, &Validators::default(), &limits)
        .await
        .expect_err("over the cap");
    assert!(
        err.to_string().contains(
            "https://news.test/sitemap.xml: response body is larger than the 32768-byte limit"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn a_gzip_bomb_sitemap_stops_at_the_cap_naming_its_url() {
    let server = Server::start(&[(
        "https://news.test/sitemap-news.xml.gz",
        Doc::ok("application/gzip", zero_bomb(1024)),
    )])
    .await;
    let source = Source::Sitemap(url("https://news.test/sitemap-news.xml.gz"));
    let limits = SourceLimits {
        max_decompressed_bytes: 8 << 20,
        ..SourceLimits::default()
    };
    match poll(&server.client(), &source, &Validators::default(), &limits).await {
        Err(SourceError::TooLarge { url, limit }) => {
            assert_eq!(url, "https://news.test/sitemap-news.xml.gz");
            assert_eq!(limit, 8 << 20);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn answers_without_a_document_are_errors_naming_the_source() {
    let server = Server::start(&[
        (
            "https://news.test/broken.xml",
            Doc {
                status: 500,
                content_type: "text/plain",
                etag: None,
                body: b"oops".to_vec(),
            },
        ),
        (
            "https://news.test/page.html",
            Doc::ok(
                "text/html",
                b"<!doctype html><html><body>hi</body></html>".to_vec(),
            ),
        ),
    ])
    .await;
    let http = server.client();
    let none = Validators::default();
    let limits = SourceLimits::default();
    let cases = [
        (
            Source::Feed(url("https://news.test/missing.xml")),
            "https://news.test/missing.xml: HTTP 404",
        ),
        (
            Source::Sitemap(url("https://news.test/broken.xml")),
            "https://news.test/broken.xml: HTTP 500",
        ),
        (
            Source::Feed(url("https://news.test/page.html")),
            "https://news.test/page.html: not a readable feed",
        ),
        (
            Source::Sitemap(url("https://news.test/page.html")),
            "https://news.test/page.html: not a sitemap: root element is <html>",
        ),
    ];
    for (source, expected) in cases {
        let error = poll(&http, &source, &none, &limits).await.unwrap_err();
        assert!(error.to_string().starts_with(expected), "{source}: {error}");
    }
}

#[tokio::test]
async fn a_refused_address_is_an_http_error_naming_the_url() {
    // No host override: the guard refuses loopback.
    let http = HttpClient::new(&HttpConfig::default(), &PolitenessConfig::default()).unwrap();
    let source = Source::Feed(url("http://127.0.0.1:9/rss.xml"));
    let limits = SourceLimits::default();
    match poll(&http, &source, &Validators::default(), &limits).await {
        Err(e @ SourceError::Http { .. }) => {
            assert!(e.to_string().contains("http://127.0.0.1:9/rss.xml"), "{e}");
        }
        other => panic!("{other:?}"),
    }
}

fn temp_file(contents: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("urls.txt");
    std::fs::write(&path, contents).unwrap();
    (dir, path)
}

#[tokio::test]
async fn a_urls_file_is_read_and_unchanged_when_its_bytes_are() {
    let (_dir, path) = temp_file(b"# list\nnews.test/a\nhttps://news.test/b\n");
    let http = HttpClient::new(&HttpConfig::default(), &PolitenessConfig::default()).unwrap();
    let source = Source::UrlsFile(path.clone());
    let limits = SourceLimits::default();
    let (items, validators, sha256) = items_of(
        poll(&http, &source, &Validators::default(), &limits)
            .await
            .unwrap(),
    );
    assert_eq!(locs(&items), ["https://news.test/a", "https://news.test/b"]);
    assert_eq!(validators.etag.as_deref(), Some(sha256.as_str()));
    assert_eq!(
        poll(&http, &source, &validators, &limits).await.unwrap(),
        Poll::NotModified
    );

    std::fs::write(&path, b"https://news.test/c\n").unwrap();
    let (items, _, _) = items_of(poll(&http, &source, &validators, &limits).await.unwrap());
    assert_eq!(locs(&items), ["https://news.test/c"]);
}

#[tokio::test]
async fn a_bad_line_in_a_urls_file_leaves_the_other_urls_queued() {
    let (_dir, path) = temp_file(
        b"https://news.test/a1.html\nhttps://news.test/a2.html\nnot a url\n\nftp://x/y\n",
    );
    let http = HttpClient::new(&HttpConfig::default(), &PolitenessConfig::default()).unwrap();
    let source = Source::UrlsFile(path);
    let limits = SourceLimits::default();
    let (items, _, _) = items_of(
        poll(&http, &source, &Validators::default(), &limits)
            .await
            .unwrap(),
    );
    assert_eq!(
        locs(&items),
        ["https://news.test/a1.html", "https://news.test/a2.html"]
    );
}

#[tokio::test]
async fn urls_file_errors_name_the_file() {
    let http = HttpClient::new(&HttpConfig::default(), &PolitenessConfig::default()).unwrap();
    let none = Validators::default();
    let (dir, big) = temp_file(&b"https://news.test/a\n".repeat(10));
    let small = SourceLimits {
        max_file_bytes: 100,
        ..SourceLimits::default()
    };
    match poll(&http, &Source::UrlsFile(big.clone()), &none, &small).await {
        Err(SourceError::FileTooLarge { path, limit }) => assert_eq!((path, limit), (big, 100)),
        other => panic!("{other:?}"),
    }
    let missing = dir.path().join("missing.txt");
    match poll(&http, &Source::UrlsFile(missing.clone()), &none, &small).await {
        Err(e @ SourceError::Io { .. }) => {
            assert!(e.to_string().contains(&*missing.to_string_lossy()), "{e}");
        }
        other => panic!("{other:?}"),
    }
    // A pipe (which would hold the read until something writes to it) and a device are no
    // list: refused at once, naming the file.
    let fifo = dir.path().join("fifo.txt");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for odd in [fifo, PathBuf::from("/dev/zero")] {
        match poll(&http, &Source::UrlsFile(odd.clone()), &none, &small).await {
            Err(e @ SourceError::Io { .. }) => {
                assert!(e.to_string().contains("not a regular file"), "{e}");
            }
            other => panic!("{}: {other:?}", odd.display()),
        }
    }
    // A line that is not UTF-8 is skipped (and logged); the file's other URLs are queued.
    let latin1 = dir.path().join("latin1.txt");
    std::fs::write(&latin1, b"https://news.test/caf\xe9\nhttps://news.test/b\n").unwrap();
    let (items, _, _) = items_of(
        poll(&http, &Source::UrlsFile(latin1), &none, &small)
            .await
            .unwrap(),
    );
    assert_eq!(locs(&items), ["https://news.test/b"]);
}

#[test]
fn sources_from_config_entries() {
    let entry = |feed: Option<&str>, sitemap: Option<&str>, urls_file: Option<&str>| SourceConfig {
        feed: feed.map(str::to_owned),
        sitemap: sitemap.map(str::to_owned),
        urls_file: urls_file.map(PathBuf::from),
    };
    assert_eq!(
        Source::from_config(&entry(Some("https://news.test/rss.xml"), None, None)).unwrap(),
        Source::Feed(url("https://news.test/rss.xml"))
    );
    assert_eq!(
        Source::from_config(&entry(None, Some("news.test/sitemap.xml"), None)).unwrap(),
        Source::Sitemap(url("https://news.test/sitemap.xml"))
    );
    assert_eq!(
        Source::from_config(&entry(None, None, Some("/etc/embedkeep/urls.txt"))).unwrap(),
        Source::UrlsFile(PathBuf::from("/etc/embedkeep/urls.txt"))
    );

    let errors = [
        (
            entry(None, None, None),
            "source {}: set exactly one of feed, sitemap or urls_file",
        ),
        (
            entry(
                Some("https://a.test/rss"),
                Some("https://a.test/sitemap.xml"),
                None,
            ),
            "source { feed = \"https://a.test/rss\", sitemap = \"https://a.test/sitemap.xml\" }: \
             set exactly one of feed, sitemap or urls_file",
        ),
        (
            entry(Some("ftp://a.test/rss"), None, None),
            "source { feed = \"ftp://a.test/rss\" }: feed: only http and https URLs are article sources",
        ),
        (
            entry(None, Some("https://"), None),
            "source { sitemap = \"https://\" }: sitemap: not a URL",
        ),
        (
            entry(None, None, Some("")),
            "source { urls_file = \"\" }: urls_file is empty",
        ),
    ];
    for (config, expected) in errors {
        match Source::from_config(&config) {
            Err(e @ SourceError::Config { .. }) => assert_eq!(e.to_string(), expected),
            other => panic!("{expected}: {other:?}"),
        }
    }
}

#[test]
fn sources_display_their_kind_and_location() {
    let shown = [
        Source::Feed(url("https://news.test/rss.xml")),
        Source::Sitemap(url("https://news.test/sitemap.xml.gz")),
        Source::UrlsFile(PathBuf::from("/etc/embedkeep/urls.txt")),
    ]
    .map(|s| s.to_string());
    assert_eq!(
        shown,
        [
            "feed https://news.test/rss.xml",
            "sitemap https://news.test/sitemap.xml.gz",
            "urls file /etc/embedkeep/urls.txt"
        ]
    );
}
