//! A loopback server that replays recorded answers, so the demo runs with no network: requests
//! reach it through `[http.host_overrides]` as `http://ADDR/HOST/PATH?QUERY`, and it answers what
//! `https://HOST/PATH?QUERY` answered when it was recorded. An answer can be swapped while it runs
//! (a post that goes away). Unknown URLs answer 599, which the platforms treat as transient.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use url::Url;

/// One answer to replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub body: Arc<[u8]>,
}

/// The answers, by the URL they answer.
#[derive(Clone, Default)]
pub struct Answers {
    by_key: Arc<RwLock<HashMap<String, Answer>>>,
}

impl Answers {
    /// Answer `url` with `answer` from now on.
    pub fn set(&self, url: &str, answer: Answer) -> Result<(), String> {
        let key = match_key(&Url::parse(url).map_err(|e| format!("{url:?}: {e}"))?);
        let mut map = self
            .by_key
            .write()
            .map_err(|_| "the replay table is poisoned".to_owned())?;
        map.insert(key, answer);
        Ok(())
    }

    fn get(&self, url: &Url) -> Option<Answer> {
        let map = self.by_key.read().ok()?;
        map.get(&match_key(url)).cloned()
    }
}

/// The key two requests for the same recorded answer share: host, path and sorted query pairs,
/// without `format=json` (the oEmbed default). X's syndication endpoint matches on `id` alone:
/// its `token` is derived from the id.
pub fn match_key(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let path = url.path();
    let only_id = host == "cdn.syndication.twimg.com" && path == "/tweet-result";
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .filter(|(k, _)| !only_id || k == "id")
        .filter(|(k, v)| !(k == "format" && v == "json"))
        .collect();
    pairs.sort();
    format!("{host}{path}?{pairs:?}")
}

/// A running replay server.
pub struct ReplayServer {
    pub addr: SocketAddr,
    pub answers: Answers,
    task: tokio::task::JoinHandle<()>,
}

impl ReplayServer {
    /// Serve `answers` on an already-bound listener.
    pub fn start(listener: tokio::net::TcpListener, answers: Answers) -> std::io::Result<Self> {
        let addr = listener.local_addr()?;
        let app = axum::Router::new()
            .fallback(replay)
            .with_state(answers.clone());
        let task = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!("replay server stopped: {e}");
            }
        });
        Ok(ReplayServer {
            addr,
            answers,
            task,
        })
    }

    /// The base URL that stands in for `host` (a `[http.host_overrides]` value).
    pub fn base_for(&self, host: &str) -> String {
        format!("http://{}/{host}", self.addr)
    }
}

impl Drop for ReplayServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn replay(State(answers): State<Answers>, req: Request) -> Response {
    let path = req.uri().path().trim_start_matches('/');
    let (host, rest) = path.split_once('/').unwrap_or((path, ""));
    let query = req
        .uri()
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let logical = format!("https://{host}/{rest}{query}");
    let found = Url::parse(&logical).ok().and_then(|u| answers.get(&u));
    let Some(answer) = found else {
        return plain(599, format!("no recording for {logical}"));
    };
    let mut response = Response::new(Body::from(answer.body.to_vec()));
    *response.status_mut() =
        StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in [
        (header::CONTENT_TYPE, answer.content_type.as_deref()),
        (header::LOCATION, answer.location.as_deref()),
    ] {
        if let Some(v) = value.and_then(|v| HeaderValue::from_str(v).ok()) {
            response.headers_mut().insert(name, v);
        }
    }
    response
}

fn plain(status: u16, text: String) -> Response {
    let mut response = Response::new(Body::from(text));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response
}
