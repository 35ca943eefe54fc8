//! Shared test support: a fixture server on loopback that replays recorded platform answers from
//! `tests/fixtures/samples/manifest.json` (plus pages a test adds), a config that routes every
//! platform host to it through `[http.host_overrides]`, and helpers to run the real binary.
//!
//! The fixture server is the only stand-in in the tests: the binary, HTTP over loopback, SQLite
//! files and image decoding are all real. Unknown URLs answer HTTP 599, so nothing is ever
//! mistaken for "gone".
#![allow(dead_code)] // each test binary uses its own subset

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use url::Url;

/// The repository's fixture folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// What the fixture server answers for one URL.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A fixed answer.
    Fixed {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// 200 with a chunked body that never ends.
    Endless,
    /// Waits this long before answering 200 with a small body.
    Slow(Duration),
    /// Redirects to itself with `?hop=N+1`, forever.
    RedirectLoop,
    /// A post whose answers change over time: each request gets the next reply of the list,
    /// and the last one repeats.
    Sequence {
        replies: Arc<Vec<Reply>>,
        served: Arc<std::sync::atomic::AtomicUsize>,
    },
    /// A document with an `ETag`, answered 304 (no body) to a request that sends it back in
    /// `If-None-Match`; `body` is a shared cell so a test can change the document.
    Conditional {
        content_type: String,
        body: Arc<Mutex<Vec<u8>>>,
    },
}

impl Reply {
    pub fn html(body: impl Into<Vec<u8>>) -> Reply {
        Reply::with_type(200, "text/html; charset=utf-8", body)
    }

    pub fn with_type(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Fixed {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.into(),
        }
    }

    /// Each request gets the next of `replies`; the last one repeats.
    pub fn sequence(replies: Vec<Reply>) -> Reply {
        Reply::Sequence {
            replies: Arc::new(replies),
            served: Arc::default(),
        }
    }

    /// A document served with an `ETag` (its length and a digest of its bytes) and 304 answers.
    pub fn conditional(content_type: &str, body: Arc<Mutex<Vec<u8>>>) -> Reply {
        Reply::Conditional {
            content_type: content_type.to_owned(),
            body,
        }
    }

    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply::Fixed {
            status,
            headers: vec![("location".into(), location.into())],
            body: Vec::new(),
        }
    }
}

/// The matching key of a URL: host, path, and sorted decoded query pairs (`format=json` left
/// out). Two platform
/// endpoints match on fewer parameters, as the sample README says: X syndication on `id`
/// (the token is derived from it and tested separately) and Bluesky getPostThread on `uri`.
fn match_key(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let path = url.path();
    let keep: Option<&[&str]> = match (host.as_str(), path) {
        ("cdn.syndication.twimg.com", "/tweet-result") => Some(&["id"]),
        ("public.api.bsky.app", "/xrpc/app.bsky.feed.getPostThread") => Some(&["uri"]),
        _ => None,
    };
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .filter(|(k, _)| keep.is_none_or(|keep| keep.contains(&k.as_str())))
        // JSON is the oEmbed default: an answer recorded with or without `format=json` is the
        // same answer (the removed-TikTok recording omits it; the live one has it).
        .filter(|(k, v)| !(k == "format" && v == "json"))
        .collect();
    pairs.sort();
    format!("{host}{path}?{pairs:?}")
}

/// The routes a fixture server answers, keyed by [`match_key`].
#[derive(Default, Clone)]
pub struct Routes {
    routes: HashMap<String, Reply>,
    hosts: std::collections::BTreeSet<String>,
}

impl Routes {
    /// Every recorded exchange of the sample manifest.
    pub fn from_manifest() -> Routes {
        let dir = fixtures().join("samples");
        let text = std::fs::read_to_string(dir.join("manifest.json")).expect("manifest.json");
        let entries: Vec<serde_json::Value> = serde_json::from_str(&text).expect("manifest JSON");
        let mut routes = Routes::default();
        for e in entries {
            let url = e["request"]["url"].as_str().expect("request.url");
            let resp = &e["response"];
            let status = resp["status"].as_u64().expect("status") as u16;
            let mut headers = Vec::new();
            if let Some(h) = resp["headers"].as_object() {
                for (k, v) in h {
                    headers.push((k.clone(), v.as_str().unwrap_or_default().to_owned()));
                }
            }
            let body = match resp["body_file"].as_str() {
                Some(f) => std::fs::read(dir.join(f)).expect("body file"),
                None => Vec::new(),
            };
            let parsed = Url::parse(url).expect("manifest URL");
            // The first entry for a URL wins (some pages were recorded twice).
            routes.add_if_absent(
                &parsed,
                Reply::Fixed {
                    status,
                    headers,
                    body,
                },
            );
        }
        routes
    }

    /// Add or replace the answer for a URL.
    pub fn add(&mut self, url: &str, reply: Reply) -> &mut Routes {
        let parsed = Url::parse(url).expect("route URL");
        self.hosts
            .insert(parsed.host_str().unwrap_or_default().to_owned());
        self.routes.insert(match_key(&parsed), reply);
        self
    }

    /// Change the body of the recorded answer for a URL (status and headers stay as recorded),
    /// e.g. to make a post read as edited on a later check. Panics when no answer is recorded.
    pub fn edit_body(&mut self, url: &str, edit: impl FnOnce(Vec<u8>) -> Vec<u8>) -> &mut Routes {
        let parsed = Url::parse(url).expect("route URL");
        match self.routes.get_mut(&match_key(&parsed)) {
            Some(Reply::Fixed { body, .. }) => *body = edit(std::mem::take(body)),
            other => panic!("no recorded answer to edit for {url}: {other:?}"),
        }
        self
    }

    /// Forget the answer for a URL (it then answers 599, like any unknown URL).
    pub fn remove(&mut self, url: &str) -> &mut Routes {
        let parsed = Url::parse(url).expect("route URL");
        self.routes.remove(&match_key(&parsed));
        self
    }

    fn add_if_absent(&mut self, url: &Url, reply: Reply) {
        self.hosts
            .insert(url.host_str().unwrap_or_default().to_owned());
        self.routes.entry(match_key(url)).or_insert(reply);
    }

    /// Every host that has a route (each gets a host override).
    pub fn hosts(&self) -> impl Iterator<Item = &String> {
        self.hosts.iter()
    }
}

#[derive(Clone)]
struct ServerState {
    routes: Arc<Routes>,
    log: Arc<Mutex<Vec<String>>>,
}

/// A running fixture server.
pub struct FixtureServer {
    pub addr: SocketAddr,
    routes: Arc<Routes>,
    log: Arc<Mutex<Vec<String>>>,
    runtime: tokio::runtime::Runtime,
}

impl FixtureServer {
    /// Start serving `routes` on 127.0.0.1 on its own runtime thread.
    pub fn start(routes: Routes) -> FixtureServer {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let routes = Arc::new(routes);
        let log = Arc::new(Mutex::new(Vec::new()));
        let state = ServerState {
            routes: Arc::clone(&routes),
            log: Arc::clone(&log),
        };
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let app = axum::Router::new().fallback(serve).with_state(state);
        runtime.spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FixtureServer {
            addr,
            routes,
            log,
            runtime,
        }
    }

    /// The logical URLs requested so far, in order.
    pub fn requests(&self) -> Vec<String> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// The `[http.host_overrides]` table routing every known host here.
    pub fn overrides_toml(&self, extra_hosts: &[&str]) -> String {
        let mut hosts: Vec<String> = self.routes.hosts().cloned().collect();
        hosts.extend(extra_hosts.iter().map(|h| (*h).to_owned()));
        hosts.sort();
        hosts.dedup();
        let mut out = String::from("[http.host_overrides]\n");
        for h in hosts {
            out.push_str(&format!("\"{h}\" = \"http://{}/{h}\"\n", self.addr));
        }
        out
    }

    /// The server's own base URL for a host, as the overrides map it.
    pub fn base_for(&self, host: &str) -> String {
        format!("http://{}/{host}", self.addr)
    }
}

/// Answer one request: `/HOST/PATH?QUERY` is the logical URL `https://HOST/PATH?QUERY`.
async fn serve(State(state): State<ServerState>, req: Request) -> Response {
    let path = req.uri().path().trim_start_matches('/');
    let (host, rest) = path.split_once('/').unwrap_or((path, ""));
    let query = req
        .uri()
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let logical = format!("https://{host}/{rest}{query}");
    if let Ok(mut log) = state.log.lock() {
        log.push(logical.clone());
    }
    let Ok(url) = Url::parse(&logical) else {
        return status_only(599, "unparseable fixture URL");
    };
    let mut bare = url.clone();
    bare.set_query(None);
    let if_none_match = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    match state.routes.routes.get(&match_key(&url)) {
        Some(Reply::Conditional { content_type, body }) => {
            let bytes = body.lock().map(|b| b.clone()).unwrap_or_default();
            let etag = format!(
                "\"{}-{:x}\"",
                bytes.len(),
                bytes
                    .iter()
                    .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(*b)))
            );
            if if_none_match.as_deref() == Some(etag.as_str()) {
                let mut r = status_only(304, "");
                *r.body_mut() = Body::empty();
                return r;
            }
            let mut r = Response::new(Body::from(bytes));
            if let (Ok(t), Ok(e)) = (
                HeaderValue::from_str(content_type),
                HeaderValue::from_str(&etag),
            ) {
                r.headers_mut().insert(header::CONTENT_TYPE, t);
                r.headers_mut().insert(header::ETAG, e);
            }
            r
        }
        Some(reply) => answer(reply, &url).await,
        // A redirect loop answers every `?hop=N` of its URL.
        None => match state.routes.routes.get(&match_key(&bare)) {
            Some(reply @ Reply::RedirectLoop) => answer(reply, &url).await,
            _ => status_only(599, &format!("no fixture for {logical}")),
        },
    }
}

fn status_only(status: u16, message: &str) -> Response {
    let mut r = Response::new(Body::from(message.to_owned()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r
}

async fn answer(reply: &Reply, url: &Url) -> Response {
    if let Reply::Sequence { replies, served } = reply {
        let n = served.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let Some(next) = replies.get(n.min(replies.len().saturating_sub(1))) else {
            return status_only(599, "empty fixture sequence");
        };
        return Box::pin(answer(next, url)).await;
    }
    match reply {
        Reply::Fixed {
            status,
            headers,
            body,
        } => {
            let mut r = Response::new(Body::from(body.clone()));
            *r.status_mut() =
                StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            for (k, v) in headers {
                if let (Ok(name), Ok(value)) = (
                    header::HeaderName::from_bytes(k.as_bytes()),
                    HeaderValue::from_str(v),
                ) {
                    r.headers_mut().insert(name, value);
                }
            }
            r
        }
        Reply::Endless => {
            let chunk = bytes::Bytes::from(vec![b'a'; 64 * 1024]);
            let stream =
                futures_util::stream::repeat_with(move || Ok::<_, std::io::Error>(chunk.clone()));
            let mut r = Response::new(Body::from_stream(stream));
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            r
        }
        Reply::Slow(delay) => {
            tokio::time::sleep(*delay).await;
            status_only(200, "<html><body>late</body></html>")
        }
        Reply::RedirectLoop => {
            let hop: u32 = url
                .query_pairs()
                .find(|(k, _)| k == "hop")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            let mut next = url.clone();
            next.set_query(Some(&format!("hop={}", hop + 1)));
            let mut r = status_only(302, "");
            if let Ok(v) = HeaderValue::from_str(next.as_str()) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Reply::Sequence { .. } | Reply::Conditional { .. } => {
            status_only(599, "nested stateful fixture replies are not supported")
        }
    }
}

/// A test environment: fixture server, temp dir, config file, database path.
pub struct TestEnv {
    pub server: FixtureServer,
    pub dir: tempfile::TempDir,
    pub config_path: PathBuf,
    pub db_path: PathBuf,
    extra_config: String,
    /// `politeness.per_host_concurrency`: 4, so that a test's posts are asked at once.
    per_host_concurrency: usize,
}

impl TestEnv {
    /// Start a fixture server for `routes` and write a config that routes every host to it.
    /// `extra_config` is appended (TOML; must not repeat `[http.host_overrides]`).
    pub fn new(routes: Routes, extra_config: &str) -> TestEnv {
        TestEnv::with_hosts(routes, &[], extra_config)
    }

    pub fn with_hosts(routes: Routes, extra_hosts: &[&str], extra_config: &str) -> TestEnv {
        let server = FixtureServer::start(routes);
        let dir = tempfile::tempdir().expect("tempdir");
        let config_path = dir.path().join("embedkeep.toml");
        let db_path = dir.path().join("archive.db");
        let env = TestEnv {
            server,
            dir,
            config_path,
            db_path,
            extra_config: extra_config.to_owned(),
            per_host_concurrency: 4,
        };
        env.write_config(extra_hosts);
        env
    }

    fn write_config(&self, extra_hosts: &[&str]) {
        let config = format!(
            "[politeness]\nper_host_interval = \"0s\"\nper_host_concurrency = {}\n\n{}\n{}",
            self.per_host_concurrency,
            self.extra_config,
            self.server.overrides_toml(extra_hosts)
        );
        std::fs::write(&self.config_path, config).expect("write config");
    }

    /// Let one request to a host run at a time, with the others waiting their turn (the config
    /// is written again, as [`TestEnv::replace_server`] writes it: without extra hosts).
    pub fn one_request_per_host(&mut self) {
        self.per_host_concurrency = 1;
        self.write_config(&[]);
    }

    /// Replace the fixture server (same database and temp dir), e.g. to make a platform answer
    /// differently on a later run.
    pub fn replace_server(&mut self, routes: Routes) {
        self.server = FixtureServer::start(routes);
        self.write_config(&[]);
    }

    /// The real binary with this environment's config and database.
    pub fn cmd(&self) -> assert_cmd::Command {
        self.cmd_with_db(&self.db_path)
    }

    /// The real binary with this environment's config and another database file.
    pub fn cmd_with_db(&self, db: &Path) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::cargo_bin("embedkeep").expect("binary");
        cmd.env_remove("EMBEDKEEP_DB")
            .env_remove("EMBEDKEEP_CONFIG")
            .env_remove("RUST_LOG")
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .arg("--config")
            .arg(&self.config_path)
            .arg("--db")
            .arg(db)
            .timeout(Duration::from_secs(120));
        cmd
    }

    /// Run the binary with `args` and `--json`; returns (exit code, parsed stdout, stderr).
    pub fn json(&self, args: &[&str]) -> (i32, serde_json::Value, String) {
        let out = self.cmd().args(args).arg("--json").output().expect("run");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let value: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!("stdout is not one JSON document ({e}):\n{stdout}\nstderr:\n{stderr}")
        });
        (out.status.code().unwrap_or(-1), value, stderr)
    }

    /// Open the archive directly with sqlite (read-only checks in tests).
    pub fn sql_count(&self, sql: &str) -> i64 {
        let conn = rusqlite::Connection::open_with_flags(
            &self.db_path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .expect("open db");
        conn.query_row(sql, [], |r| r.get(0)).expect("count query")
    }
}

/// Read a fixture file.
pub fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(path)).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}
