//! Test-only replay of the recorded platform answers in `tests/fixtures/samples/`: loads
//! manifest entries as [`Response`]s and stands in for the HTTP client in resolver flow tests,
//! matching URLs as the fixture server does (query parameters decoded and sorted) and answering
//! 599 for any URL it was not given, so a resolver that builds a wrong URL sees a transient
//! failure and the test notices.
//!
//! Shared by the YouTube and TikTok resolver tests.

use std::collections::HashMap;
use std::future::{Ready, ready};
use std::sync::Mutex;

use bytes::Bytes;
use serde::Deserialize;
use url::Url;

use crate::http::{HttpError, Response};
use crate::model::{
    CheckOutcome, EmbedKind, EmbedRef, Location, Platform, PostContent, Resolution,
};

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/samples");

/// One manifest entry with its body loaded.
#[derive(Debug, Clone)]
pub(crate) struct Sample {
    pub id: String,
    pub url: String,
    pub status: u16,
    pub content_type: Option<String>,
    /// The `location` header of a recorded redirect.
    pub location: Option<String>,
    pub body: Vec<u8>,
    pub post_state: String,
    pub expected: serde_json::Value,
}

#[derive(Deserialize)]
struct Entry {
    id: String,
    request: EntryRequest,
    response: EntryResponse,
    post_state: String,
    #[serde(default)]
    expected: serde_json::Value,
}

#[derive(Deserialize)]
struct EntryRequest {
    url: String,
}

#[derive(Deserialize)]
struct EntryResponse {
    status: u16,
    #[serde(default)]
    headers: HashMap<String, String>,
    body_file: String,
}

/// The content of a live verdict. Panics (test-only) on any other verdict.
pub(crate) fn live(r: Resolution) -> PostContent {
    match r {
        Resolution::Live(c) => c,
        other => panic!("expected live, got {other:?}"),
    }
}

/// The evidence of a gone or transient verdict. Panics (test-only) on any other verdict.
pub(crate) fn evidence(r: &Resolution) -> &str {
    match r {
        Resolution::Gone { evidence, .. } | Resolution::Transient { evidence, .. } => evidence,
        other => panic!("expected gone or transient, got {other:?}"),
    }
}

/// What a manifest `post_state` means for a verdict: private videos (oEmbed 401/403)
/// are not embeddable, which is not a positive signal of being gone.
pub(crate) fn outcome_for(post_state: &str) -> CheckOutcome {
    match post_state {
        "live" => CheckOutcome::Live,
        "gone" => CheckOutcome::Gone,
        "private" | "transient" => CheckOutcome::Transient,
        other => panic!("unexpected post_state {other}"),
    }
}

/// The manifest entry `id`, body loaded. Panics (test-only) when it is missing.
pub(crate) fn sample(id: &str) -> Sample {
    let text = std::fs::read_to_string(format!("{SAMPLES}/manifest.json")).expect("manifest");
    let entries: Vec<Entry> = serde_json::from_str(&text).expect("manifest parses");
    let entry = entries
        .into_iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("no manifest entry {id}"));
    let body = std::fs::read(format!("{SAMPLES}/{}", entry.response.body_file))
        .unwrap_or_else(|e| panic!("{}: {e}", entry.response.body_file));
    Sample {
        id: entry.id,
        url: entry.request.url,
        status: entry.response.status,
        content_type: entry.response.headers.get("content-type").cloned(),
        location: entry.response.headers.get("location").cloned(),
        body,
        post_state: entry.post_state,
        expected: entry.expected,
    }
}

impl Sample {
    /// The recorded answer as the HTTP client would return it (final URL = request URL).
    pub(crate) fn response(&self) -> Response {
        self.response_at(Url::parse(&self.url).expect("manifest URL parses"))
    }

    /// The recorded answer as if it had been the final hop of a request ending at `url`.
    pub(crate) fn response_at(&self, url: Url) -> Response {
        Response {
            url,
            status: self.status,
            content_type: self.content_type.clone(),
            body: Bytes::from(self.body.clone()),
            headers: Vec::new(),
        }
    }

    /// An `expected` string field of the manifest entry.
    pub(crate) fn expected(&self, field: &str) -> &str {
        self.expected[field]
            .as_str()
            .unwrap_or_else(|| panic!("{}: no expected.{field}", self.id))
    }
}

/// A fetcher that answers from recorded responses and logs what was asked.
#[derive(Default)]
pub(crate) struct Replay {
    answers: HashMap<String, Result<Response, String>>,
    asked: Mutex<Vec<String>>,
}

impl Replay {
    pub(crate) fn new() -> Self {
        Replay::default()
    }

    /// Answer the sample's own request URL with its recorded response.
    pub(crate) fn sample(self, id: &str) -> Self {
        let s = sample(id);
        let url = s.url.clone();
        self.answer(&url, s.response())
    }

    /// Answer `request_url` with `response`.
    pub(crate) fn answer(mut self, request_url: &str, response: Response) -> Self {
        let key = normalise(&Url::parse(request_url).expect("test URL"));
        self.answers.insert(key, Ok(response));
        self
    }

    /// Fail `request_url` with a timeout.
    pub(crate) fn time_out(mut self, request_url: &str) -> Self {
        let key = normalise(&Url::parse(request_url).expect("test URL"));
        self.answers.insert(key, Err(request_url.to_owned()));
        self
    }

    /// The fetch step: the recorded answer, a timeout, or 599 for unknown URLs.
    pub(crate) fn fetch(&self, url: Url) -> Ready<Result<Response, HttpError>> {
        let key = normalise(&url);
        self.asked.lock().expect("log").push(url.to_string());
        ready(match self.answers.get(&key) {
            Some(Ok(response)) => Ok(response.clone()),
            Some(Err(url)) => Err(HttpError::Timeout { url: url.clone() }),
            None => Ok(Response {
                url,
                status: 599,
                content_type: Some("text/plain".into()),
                body: Bytes::from_static(b"no recorded answer for this URL"),
                headers: Vec::new(),
            }),
        })
    }

    /// The URLs fetched so far, in order.
    pub(crate) fn asked(&self) -> Vec<String> {
        self.asked.lock().expect("log").clone()
    }
}

/// The URL with its query parameters decoded and sorted, as the fixture server matches them
/// (the recorded oEmbed requests do not all put `format` and `url` in the same order).
fn normalise(url: &Url) -> String {
    let mut pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    pairs.sort();
    let mut key = url.clone();
    key.set_query(None);
    format!("{key}?{pairs:?}")
}

/// An embed of a post as the article markup would give it, with nothing read from the markup.
pub(crate) fn embed(platform: Platform, post_id: &str, post_url: &str) -> EmbedRef {
    EmbedRef {
        platform,
        kind: EmbedKind::Video,
        post_url: post_url.into(),
        post_id: Some(post_id.into()),
        location: Location::Dom,
        evidence: "test".into(),
        markup: String::new(),
        author_name: None,
        author_handle: None,
        text: None,
        published_at: None,
    }
}

/// A loopback fixture server answering the recorded responses of `ids`, for end-to-end tests
/// through the real HTTP client. Requests arrive through `[http.host_overrides]` as
/// `/HOST/PATH?QUERY`; the server matches `https://HOST/PATH?QUERY` like [`Replay`] and answers
/// 599 for anything else. Returns the base URL (`http://127.0.0.1:PORT`).
pub(crate) async fn fixture_server(ids: &[&str]) -> String {
    fixture_server_with(ids.iter().map(|id| sample(id)).collect()).await
}

/// [`fixture_server`] for samples made or adjusted by the test (e.g. a redirect to a recorded
/// consent page); each answers its own `url`.
pub(crate) async fn fixture_server_with(samples: Vec<Sample>) -> String {
    use axum::http::{HeaderValue, StatusCode, Uri, header};
    use axum::response::IntoResponse;

    let answers: HashMap<String, Sample> = samples
        .into_iter()
        .map(|s| (normalise(&Url::parse(&s.url).expect("sample URL")), s))
        .collect();
    let answers = std::sync::Arc::new(answers);
    let handler = move |uri: Uri| {
        let answers = answers.clone();
        async move {
            let path = uri.path().trim_start_matches('/');
            let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
            let Ok(public) = Url::parse(&format!("https://{path}{query}")) else {
                return (StatusCode::from_u16(599).expect("599"), "bad fixture URL")
                    .into_response();
            };
            match answers.get(&normalise(&public)) {
                Some(s) => {
                    let mut response = (
                        StatusCode::from_u16(s.status).expect("recorded status"),
                        s.body.clone(),
                    )
                        .into_response();
                    if let Some(location) = &s.location {
                        response.headers_mut().insert(
                            header::LOCATION,
                            HeaderValue::from_str(location).expect("recorded location"),
                        );
                    }
                    if let Some(ct) = &s.content_type {
                        response.headers_mut().insert(
                            header::CONTENT_TYPE,
                            HeaderValue::from_str(ct).expect("recorded content type"),
                        );
                    }
                    response
                }
                None => (
                    StatusCode::from_u16(599).expect("599"),
                    "no recorded answer",
                )
                    .into_response(),
            }
        }
    };
    let app = axum::Router::new().fallback(handler);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

/// A configuration that sends requests for `hosts` to the fixture server at `base`.
pub(crate) fn fixture_config(base: &str, hosts: &[&str]) -> crate::config::Config {
    let mut config = crate::config::Config::default();
    for host in hosts {
        config
            .http
            .host_overrides
            .insert((*host).to_owned(), format!("{base}/{host}"));
    }
    config.politeness.per_host_interval = std::time::Duration::ZERO;
    config
}
