//! A real headless Chromium for the browser tests, driven over WebDriver by ChromeDriver, and a
//! page server on loopback that hands it article pages.
//!
//! WebDriver is JSON over HTTP, so the client is a few calls on the HTTP client the crate
//! already builds (no driver crate to compile). Chromium runs with a throwaway profile, without
//! the sandbox (CI runs as root), and with every host name resolving to nothing: the pages'
//! platform scripts (`embed.js`, `widgets.js`) cannot reach the network, so tests never leave
//! loopback and the embeds stay as the page wrote them.
//!
//! Without Chromium or ChromeDriver, [`Browser::start`] returns `None` after a loud line on
//! stderr, unless `EMBEDKEEP_REQUIRE_BROWSER=1`, where it fails the test instead (CI sets it).
#![allow(dead_code)] // each test uses its own subset

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use base64::Engine;
use serde_json::{Value, json};

/// Set to `1` to make a missing Chromium or ChromeDriver a test failure instead of a skip.
pub const REQUIRE_ENV: &str = "EMBEDKEEP_REQUIRE_BROWSER";

/// Where to look for the two programs, first match wins: the environment
/// (`EMBEDKEEP_CHROMIUM`, `EMBEDKEEP_CHROMEDRIVER`), then these names on `PATH`.
const CHROMIUM_NAMES: &[&str] = &["chromium", "chromium-browser", "google-chrome"];
const DRIVER_NAMES: &[&str] = &["chromedriver"];

fn find_program(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env).map(PathBuf::from) {
        return p.is_file().then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// A free port on loopback (bound, read and released; ChromeDriver then binds it).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A Chromium session driven by ChromeDriver; both end when this is dropped.
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    http: reqwest::Client,
    runtime: tokio::runtime::Runtime,
    /// Chromium's profile and ChromeDriver's log.
    pub dir: tempfile::TempDir,
}

impl Browser {
    /// Start ChromeDriver and a headless Chromium session, or say loudly why not (see the
    /// module documentation for when that fails the test).
    pub fn start(test: &str) -> Option<Browser> {
        let chromium = find_program("EMBEDKEEP_CHROMIUM", CHROMIUM_NAMES);
        let driver = find_program("EMBEDKEEP_CHROMEDRIVER", DRIVER_NAMES);
        let (Some(chromium), Some(driver)) = (chromium, driver) else {
            let message = "Chromium and ChromeDriver are needed for the browser tests \
                 (Debian: apt-get install chromium chromium-driver; or set EMBEDKEEP_CHROMIUM and \
                 EMBEDKEEP_CHROMEDRIVER)";
            if std::env::var(REQUIRE_ENV).is_ok_and(|v| v == "1") {
                panic!("{message}; {REQUIRE_ENV}=1 makes this a failure");
            }
            eprintln!("\n!!!!! SKIPPED {test}: {message} !!!!!\n");
            return None;
        };
        Some(Browser::launch(&chromium, &driver))
    }

    fn launch(chromium: &Path, driver: &Path) -> Browser {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let dir = tempfile::tempdir().expect("browser temp dir");
        let port = free_port();
        let log = std::fs::File::create(dir.path().join("chromedriver.log")).expect("driver log");
        let mut child = Command::new(driver)
            .arg(format!("--port={port}"))
            .arg(format!(
                "--log-path={}",
                dir.path().join("chromedriver-verbose.log").display()
            ))
            .stdout(Stdio::null())
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", driver.display()));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("HTTP client");
        let base = format!("http://127.0.0.1:{port}");
        // ChromeDriver answers /status once it listens.
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ready = runtime.block_on(async {
                let r = http.get(format!("{base}/status")).send().await.ok()?;
                let v: Value = serde_json::from_slice(&r.bytes().await.ok()?).ok()?;
                v["value"]["ready"].as_bool()
            });
            if ready == Some(true) {
                break;
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("ChromeDriver exited ({status}) before it was ready");
            }
            assert!(Instant::now() < deadline, "ChromeDriver not ready in 30 s");
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = dir.path().join("profile");
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "goog:chromeOptions": {
                "binary": chromium.to_string_lossy(),
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    format!("--user-data-dir={}", profile.display()),
                    "--window-size=1000,1400",
                    "--hide-scrollbars",
                    "--force-color-profile=srgb",
                    "--no-first-run",
                    "--no-default-browser-check",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-default-apps",
                    "--disable-sync",
                    "--disable-extensions",
                    "--mute-audio",
                    // Host names resolve to nothing; loopback by address still works.
                    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                ],
            },
        }}});
        let mut browser = Browser {
            driver: child,
            base,
            session: String::new(),
            http,
            runtime,
            dir,
        };
        let created = browser.call("POST", "/session", Some(capabilities));
        browser.session = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session id in {created}"))
            .to_owned();
        browser
    }

    /// One WebDriver command; its `value`, or a panic naming the command and the error.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let (status, bytes) = self.runtime.block_on(async {
            let mut request = self.http.request(method.clone(), &url);
            if let Some(body) = &body {
                request = request
                    .header("content-type", "application/json")
                    .body(serde_json::to_vec(body).expect("JSON"));
            }
            let response = request
                .send()
                .await
                .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"));
            let status = response.status();
            (status, response.bytes().await.unwrap_or_default())
        });
        let value: Value = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            panic!(
                "WebDriver {path} answered {status} with no JSON ({e}): {}",
                String::from_utf8_lossy(&bytes)
            )
        });
        assert!(
            status.is_success(),
            "WebDriver {path} failed ({status}): {value}"
        );
        value["value"].clone()
    }

    fn session_path(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    /// Load a page and wait for its `load` event.
    pub fn goto(&self, url: &str) {
        self.call(
            "POST",
            &self.session_path("/url"),
            Some(json!({"url": url})),
        );
    }

    /// Run `script` (a function body; `arguments[i]` are `args`) in the page; its return value.
    pub fn eval(&self, script: &str, args: &[Value]) -> Value {
        self.call(
            "POST",
            &self.session_path("/execute/sync"),
            Some(json!({"script": script, "args": args})),
        )
    }

    /// Evaluate `expression` until it is truthy; its value, or a panic after `within`.
    pub fn wait_for(&self, expression: &str, within: Duration) -> Value {
        let deadline = Instant::now() + within;
        loop {
            let v = self.eval(&format!("return ({expression});"), &[]);
            let truthy = match &v {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
                Value::String(s) => !s.is_empty(),
                _ => true,
            };
            if truthy {
                return v;
            }
            assert!(
                Instant::now() < deadline,
                "still false after {within:?}: {expression}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A PNG of the whole window, saved to `path` as well.
    pub fn screenshot(&self, path: &Path) -> Vec<u8> {
        let encoded = self.call("GET", &self.session_path("/screenshot"), None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().expect("screenshot as base64 text"))
            .expect("screenshot base64");
        std::fs::write(path, &png)
            .unwrap_or_else(|e| panic!("cannot save {}: {e}", path.display()));
        png
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let url = format!("{}/session/{}", self.base, self.session);
            let _ = self.runtime.block_on(async {
                self.http
                    .delete(&url)
                    .timeout(Duration::from_secs(10))
                    .send()
                    .await
            });
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// How many distinct colours a PNG holds, and how many of its pixels are not (near) white.
pub fn colour_census(png: &[u8]) -> (usize, usize) {
    let image = image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .expect("screenshot decodes as PNG")
        .to_rgb8();
    let mut colours = std::collections::HashSet::new();
    let mut not_white = 0;
    for p in image.pixels() {
        colours.insert(p.0);
        if p.0.iter().any(|c| *c < 240) {
            not_white += 1;
        }
    }
    (colours.len(), not_white)
}

/// What the page server answers for one path.
#[derive(Clone)]
pub enum Page {
    /// 200 with this type and body.
    Fixed(&'static str, Vec<u8>),
    /// Waits this long, then 200 with a JSON body: a service that hangs.
    Slow(Duration),
}

/// A server on loopback for article pages (and stand-ins for a misbehaving service), with a log
/// of the paths asked.
pub struct PageServer {
    pub addr: SocketAddr,
    pages: Arc<Mutex<HashMap<String, Page>>>,
    log: Arc<Mutex<Vec<String>>>,
    _runtime: tokio::runtime::Runtime,
}

#[derive(Clone)]
struct PageState {
    pages: Arc<Mutex<HashMap<String, Page>>>,
    log: Arc<Mutex<Vec<String>>>,
}

impl PageServer {
    pub fn start() -> PageServer {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let state = PageState {
            pages: Arc::default(),
            log: Arc::default(),
        };
        let app = axum::Router::new()
            .fallback(answer_page)
            .with_state(state.clone());
        runtime.spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        PageServer {
            addr,
            pages: state.pages,
            log: state.log,
            _runtime: runtime,
        }
    }

    /// Serve `page` at `path` (which starts with `/`); the page's full URL.
    pub fn add(&self, path: &str, page: Page) -> String {
        if let Ok(mut pages) = self.pages.lock() {
            pages.insert(path.to_owned(), page);
        }
        format!("http://{}{path}", self.addr)
    }

    /// The paths (with queries) asked so far.
    pub fn requests(&self) -> Vec<String> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

async fn answer_page(State(state): State<PageState>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    let full = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    if let Ok(mut log) = state.log.lock() {
        log.push(full);
    }
    let page = state.pages.lock().ok().and_then(|p| p.get(&path).cloned());
    let (content_type, body) = match page {
        Some(Page::Fixed(t, body)) => (t, body),
        Some(Page::Slow(delay)) => {
            tokio::time::sleep(delay).await;
            ("application/json", b"{\"posts\": []}".to_vec())
        }
        None => {
            let mut r = Response::new(Body::from("no such page"));
            *r.status_mut() = StatusCode::NOT_FOUND;
            return r;
        }
    };
    let mut r = Response::new(Body::from(body));
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // The misbehaving services answer any page, as a real service would.
    r.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    r
}
