//! Test-only replay of the recorded platform answers in `tests/fixtures/samples/`, for every
//! resolver written against [`Fetch`]: it answers by request URL (query parameters decoded and
//! sorted, as the fixture server matches them), follows recorded redirects like the real client,
//! applies the shared status rules of [`check_status`], and fails any URL it was not given like
//! an unreachable host, so a resolver that builds a wrong URL sees a transient failure and the
//! test notices.
//!
//! A replay either knows the whole manifest ([`Replay::from_manifest`]) or only what a test
//! gives it ([`Replay::new`] with [`Replay::sample`], [`Replay::answer`], [`Replay::time_out`]).
//! The same samples can be served on loopback ([`fixture_server`]) for end-to-end tests through
//! the real HTTP client and `[http.host_overrides]`.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::Deserialize;
use url::Url;

use crate::model::{
    CheckOutcome, EmbedKind, EmbedRef, Location, Platform, PostContent, Resolution,
};
use crate::platforms::source::{Answer, Fetch, SourceError, check_status, redact};

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
    /// The post the answer is about, where the request does not name it (API requests).
    pub post_url: Option<String>,
    /// Why the resolvers do not read this answer as labelled yet (a known gap, kept in view).
    pub known_gap: Option<String>,
    /// With a known gap: the verdict the answer gets now (`live`, `gone`, `transient`).
    pub known_reading: Option<String>,
}

#[derive(Deserialize)]
struct Entry {
    id: String,
    request: EntryRequest,
    #[serde(default)]
    post_url: Option<String>,
    response: EntryResponse,
    #[serde(default)]
    post_state: String,
    #[serde(default)]
    expected: serde_json::Value,
    #[serde(default)]
    known_gap: Option<String>,
    #[serde(default)]
    known_reading: Option<String>,
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

fn manifest() -> Vec<Entry> {
    let text = std::fs::read_to_string(format!("{SAMPLES}/manifest.json")).expect("manifest");
    serde_json::from_str(&text).expect("manifest parses")
}

impl Entry {
    fn into_sample(self) -> Sample {
        let body = std::fs::read(format!("{SAMPLES}/{}", self.response.body_file))
            .unwrap_or_else(|e| panic!("{}: {e}", self.response.body_file));
        Sample {
            id: self.id,
            url: self.request.url,
            status: self.response.status,
            content_type: self.response.headers.get("content-type").cloned(),
            location: self.response.headers.get("location").cloned(),
            body,
            post_state: self.post_state,
            expected: self.expected,
            post_url: self.post_url,
            known_gap: self.known_gap,
            known_reading: self.known_reading,
        }
    }
}

/// Every manifest entry, bodies loaded, in manifest order.
pub(crate) fn samples() -> Vec<Sample> {
    manifest().into_iter().map(Entry::into_sample).collect()
}

/// The manifest entry `id`, body loaded. Panics (test-only) when it is missing.
pub(crate) fn sample(id: &str) -> Sample {
    manifest()
        .into_iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("no manifest entry {id}"))
        .into_sample()
}

impl Sample {
    /// The recorded answer as the shared fetch would return it (final URL = request URL).
    pub(crate) fn answer(&self) -> Answer {
        self.answer_at(&self.url)
    }

    /// The recorded answer as if it had been the final hop of a request ending at `url`.
    pub(crate) fn answer_at(&self, url: &str) -> Answer {
        Answer {
            url: url.to_owned(),
            status: self.status,
            content_type: self.content_type.clone(),
            body: self.body.clone(),
        }
    }

    /// An `expected` string field of the manifest entry.
    pub(crate) fn expected(&self, field: &str) -> &str {
        self.expected[field]
            .as_str()
            .unwrap_or_else(|| panic!("{}: no expected.{field}", self.id))
    }
}

/// A recorded body `tests/fixtures/samples/{file}` as the answer `url` gave with `status`
/// and `content_type`, for parser tests that need no manifest entry.
pub(crate) fn fixture_answer(url: &str, status: u16, content_type: &str, file: &str) -> Answer {
    let path = format!("{SAMPLES}/{file}");
    Answer {
        url: url.to_owned(),
        status,
        content_type: Some(content_type.to_owned()),
        body: std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}")),
    }
}

/// The text of a recorded body `tests/fixtures/samples/{file}` (invalid UTF-8 replaced), for
/// reader tests that take a page as text.
pub(crate) fn fixture_text(file: &str) -> String {
    let path = format!("{SAMPLES}/{file}");
    String::from_utf8_lossy(&std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
        .into_owned()
}

/// Assert that `classify` reads a real answer cut in half, and the same answer emptied, as
/// transient: an answer that cannot be read is no proof that the post is gone, nor that it
/// lives.
pub(crate) fn assert_junk_is_transient(answer: Answer, classify: impl Fn(&Answer) -> Resolution) {
    for (what, keep) in [("half", answer.body.len() / 2), ("none", 0)] {
        let mut junk = answer.clone();
        junk.body.truncate(keep);
        let got = classify(&junk);
        assert_eq!(
            got.outcome(),
            Some(CheckOutcome::Transient),
            "{what} of {}: {got:?}",
            answer.url
        );
    }
}

/// What the replay does for one request URL.
enum Reply {
    /// A recorded manifest entry, its body read when asked (the manifest is several MB).
    Recorded {
        status: u16,
        location: Option<String>,
        content_type: Option<String>,
        body_file: String,
    },
    /// An answer given by the test, returned as it is (its `url` is the final hop's).
    Given(Answer),
    /// A redirect given by the test (a sample with a `location`).
    Redirect(String),
    /// The request times out.
    TimedOut,
}

/// A fetcher that answers from recorded or given answers and logs what was asked.
#[derive(Default)]
pub(crate) struct Replay {
    replies: HashMap<String, Reply>,
    /// Every URL asked for, in order.
    requests: Mutex<Vec<String>>,
}

impl Replay {
    /// A replay that knows nothing yet: every URL fails until a test gives it an answer.
    pub(crate) fn new() -> Replay {
        Replay::default()
    }

    /// A replay that answers every request recorded in the manifest.
    /// Where the manifest holds several answers to one request URL (captures of the same
    /// address in different years), the first one listed answers.
    pub(crate) fn from_manifest() -> Replay {
        let mut replies = HashMap::new();
        for e in manifest() {
            let Some(key) = normalise(&e.request.url) else {
                continue;
            };
            let headers = e.response.headers;
            replies.entry(key).or_insert(Reply::Recorded {
                status: e.response.status,
                location: headers.get("location").cloned(),
                content_type: headers.get("content-type").cloned(),
                body_file: e.response.body_file,
            });
        }
        Replay {
            replies,
            requests: Mutex::new(Vec::new()),
        }
    }

    /// Answer the manifest entry `id`'s own request URL with its recorded answer.
    pub(crate) fn sample(self, id: &str) -> Replay {
        let s = sample(id);
        match s.location.clone() {
            Some(location) if (300..400).contains(&s.status) => {
                self.reply(&s.url, Reply::Redirect(location))
            }
            _ => {
                let answer = s.answer();
                self.reply(&s.url, Reply::Given(answer))
            }
        }
    }

    /// Answer `request_url` with `answer`.
    pub(crate) fn answer(self, request_url: &str, answer: Answer) -> Replay {
        self.reply(request_url, Reply::Given(answer))
    }

    /// Fail `request_url` with a timeout.
    pub(crate) fn time_out(self, request_url: &str) -> Replay {
        self.reply(request_url, Reply::TimedOut)
    }

    fn reply(mut self, request_url: &str, reply: Reply) -> Replay {
        let key = normalise(request_url).expect("test URL parses");
        self.replies.insert(key, reply);
        self
    }

    /// The URLs fetched so far, in order.
    pub(crate) fn requests(&self) -> Vec<String> {
        self.requests.lock().expect("lock").clone()
    }

    fn respond(&self, source_name: &str, url: &Url) -> Result<Answer, SourceError> {
        self.requests.lock().expect("lock").push(url.to_string());
        let failed = |current: &str, message: &str| SourceError::Transport {
            source_name: source_name.to_owned(),
            url: redact(current),
            message: message.to_owned(),
        };
        let mut current = url.to_string();
        for _ in 0..5 {
            let reply = normalise(&current).and_then(|k| self.replies.get(&k));
            let answer = match reply {
                None => return Err(failed(&current, "cannot connect: not recorded")),
                Some(Reply::TimedOut) => return Err(failed(&current, "timed out")),
                Some(Reply::Redirect(next)) => {
                    current = next.clone();
                    continue;
                }
                Some(Reply::Recorded {
                    status,
                    location: Some(next),
                    ..
                }) if (300..400).contains(status) => {
                    current = next.clone();
                    continue;
                }
                Some(Reply::Recorded {
                    status,
                    content_type,
                    body_file,
                    ..
                }) => Answer {
                    url: redact(&current),
                    status: *status,
                    content_type: content_type.clone(),
                    body: std::fs::read(format!("{SAMPLES}/{body_file}"))
                        .expect("recorded body readable"),
                },
                Some(Reply::Given(answer)) => answer.clone(),
            };
            check_status(source_name, &answer)?;
            return Ok(answer);
        }
        Err(failed(url.as_str(), "more than 5 redirects"))
    }
}

impl Fetch for Replay {
    fn fetch(
        &self,
        source_name: &str,
        url: &Url,
    ) -> impl Future<Output = Result<Answer, SourceError>> + Send {
        let result = self.respond(source_name, url);
        async move { result }
    }
}

/// The URL with its query parameters decoded and sorted: two spellings of one request (the
/// order of parameters, which characters are percent-encoded) are one key.
/// The key a recorded request and an asked one are matched by: the URL with its query
/// parameters decoded and sorted.
pub(crate) fn normalise(url: &str) -> Option<String> {
    let url = Url::parse(url).ok()?;
    let mut pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    pairs.sort();
    let mut key = url;
    key.set_query(None);
    Some(format!("{key}?{pairs:?}"))
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

/// An embed of a video as the article markup would give it, with nothing read from the markup.
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
    fixture_server_logged(samples).await.0
}

/// The requests a fixture server was asked, each as the normalised `https://HOST/PATH?QUERY`
/// it was matched by.
pub(crate) type RequestLog = std::sync::Arc<Mutex<Vec<String>>>;

/// [`fixture_server_with`], and the log of what it was asked.
pub(crate) async fn fixture_server_logged(samples: Vec<Sample>) -> (String, RequestLog) {
    use axum::http::{HeaderValue, StatusCode, Uri, header};
    use axum::response::IntoResponse;

    let answers: HashMap<String, Sample> = samples
        .into_iter()
        .map(|s| (normalise(&s.url).expect("sample URL"), s))
        .collect();
    let answers = std::sync::Arc::new(answers);
    let log = RequestLog::default();
    let asked = log.clone();
    let handler = move |uri: Uri| {
        let answers = answers.clone();
        let asked = asked.clone();
        async move {
            let path = uri.path().trim_start_matches('/');
            let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
            let key = normalise(&format!("https://{path}{query}"));
            if let Some(key) = &key {
                asked.lock().expect("request log").push(key.clone());
            }
            let Some(s) = key.and_then(|k| answers.get(&k)) else {
                return (
                    StatusCode::from_u16(599).expect("599"),
                    "no recorded answer",
                )
                    .into_response();
            };
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
    };
    let app = axum::Router::new().fallback(handler);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}"), log)
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
