//! [`HttpClient`]: one GET, hop by hop, with every rule of the module applied to each hop.
//!
//! Redirects are followed here rather than by reqwest so each hop goes through the same checks
//! as the first request: scheme, host overrides, the literal-IP guard, politeness and the
//! timeout. Two reqwest clients exist: the guarded one (its resolver drops non-public
//! addresses) for every URL without an override, and a trusted one used only for override
//! targets, which are operator config and may well live on loopback.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{
    CONTENT_ENCODING, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, IF_MODIFIED_SINCE,
    IF_NONE_MATCH, LOCATION,
};
use url::Url;

use super::body::read_capped;
use super::error::{Phase, whole_seconds};
use super::guard::GuardedResolver;
use super::literal_guard::LiteralGuard;
use super::politeness::{Politeness, hold_for, unavailable_hold_for};
use super::redact::redact;
use super::response::is_kept_header;
use super::{HttpError, Response};
use crate::config::{HttpConfig, PolitenessConfig};

/// Connecting should never take more than this, even with a long total timeout: a host that
/// does not answer a SYN in 10 s is down.
const MAX_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The one HTTP client. Cheap to clone.
#[derive(Debug, Clone)]
pub struct HttpClient {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// For logical hosts; its resolver enforces the guard unless private addresses are allowed.
    guarded: reqwest::Client,
    /// For override targets only: trusted operator config, exempt from the guard.
    trusted: reqwest::Client,
    /// The literal-address rule, and the overrides it and every hop read.
    literal: LiteralGuard,
    politeness: Politeness,
    timeout: Duration,
    max_body_bytes: u64,
    max_redirects: u32,
}

/// What one hop produced.
enum Hop {
    Done(Response),
    Redirect { status: u16, location: String },
}

impl HttpClient {
    /// Whether two clients are one (clones share their pacing and requests in flight).
    #[cfg(test)]
    pub(crate) fn is_same_client(&self, other: &HttpClient) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// Build the client from the `[http]` and `[politeness]` config.
    pub fn new(http: &HttpConfig, politeness: &PolitenessConfig) -> Result<Self, HttpError> {
        install_crypto_provider();
        let literal = LiteralGuard::new(http)?;
        let guarded = base_builder(http).dns_resolver(GuardedResolver {
            guard: literal.guards(),
        });
        let build_error = |e: reqwest::Error| HttpError::Build {
            message: e.to_string(),
        };
        Ok(HttpClient {
            inner: Arc::new(Inner {
                guarded: guarded.build().map_err(build_error)?,
                trusted: base_builder(http)
                    .dns_resolver(GuardedResolver { guard: false })
                    .build()
                    .map_err(build_error)?,
                literal,
                politeness: Politeness::new(politeness),
                timeout: http.timeout,
                max_body_bytes: http.max_body_bytes,
                max_redirects: http.max_redirects,
            }),
        })
    }

    /// GET a URL, following redirects. Any HTTP status is returned as `Ok`.
    ///
    /// Each hop (the first request and every followed redirect) waits for its host's
    /// politeness slot, then has `http.timeout` for connecting, sending and reading the whole
    /// body; the wait for a slot does not count against it. The returned [`Response::url`] is
    /// the final URL in the caller's address space, never an override target.
    pub async fn get(&self, url: &Url) -> Result<Response, HttpError> {
        self.fetch(url, &HeaderMap::new(), self.inner.max_body_bytes)
            .await
    }

    /// The most bytes a body may have (`http.max_body_bytes`), unless a request says otherwise
    /// ([`HttpClient::get_conditional_within`]).
    pub fn max_body_bytes(&self) -> u64 {
        self.inner.max_body_bytes
    }

    /// How much longer the host of `url` is held after it answered 429 (or 503 with
    /// `Retry-After`): a request to it now
    /// would send nothing and fail with [`HttpError::Held`]. `None` when it may be asked.
    pub fn held_for(&self, url: &Url) -> Option<Duration> {
        self.inner.politeness.held_for(url.host_str()?)
    }

    /// A conditional GET: like [`HttpClient::get`], with `If-None-Match` and
    /// `If-Modified-Since` sent on every hop from the validators of an earlier answer (an
    /// `ETag` and a `Last-Modified` value, sent back verbatim). A `304 Not Modified` is returned
    /// as an ordinary [`Response`] with status 304 and an empty body; the caller keeps what it
    /// had. With neither validator this is exactly [`HttpClient::get`].
    pub async fn get_conditional(
        &self,
        url: &Url,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<Response, HttpError> {
        self.get_conditional_within(url, etag, last_modified, self.inner.max_body_bytes)
            .await
    }

    /// [`HttpClient::get_conditional`] with the body capped at `max_body` bytes instead of
    /// `http.max_body_bytes`: a sitemap may hold 50 MiB, far more than an article.
    pub async fn get_conditional_within(
        &self,
        url: &Url,
        etag: Option<&str>,
        last_modified: Option<&str>,
        max_body: u64,
    ) -> Result<Response, HttpError> {
        let mut headers = HeaderMap::new();
        for (name, value) in [(IF_NONE_MATCH, etag), (IF_MODIFIED_SINCE, last_modified)] {
            if let Some(value) = value {
                let value = validator_header(url, &name, value)?;
                headers.insert(name, value);
            }
        }
        self.fetch(url, &headers, max_body).await
    }

    /// GET `url` with `headers` added to every hop, following redirects.
    async fn fetch(
        &self,
        url: &Url,
        headers: &HeaderMap,
        max_body: u64,
    ) -> Result<Response, HttpError> {
        let inner = &self.inner;
        let mut logical = url.clone();
        let mut hops: u32 = 0;
        loop {
            match inner.hop(&logical, headers, max_body).await? {
                Hop::Done(response) => return Ok(response),
                Hop::Redirect { location, .. } => {
                    if hops >= inner.max_redirects {
                        return Err(HttpError::TooManyRedirects {
                            url: url.to_string(),
                            limit: inner.max_redirects,
                        });
                    }
                    hops += 1;
                    logical = inner.next_url(&logical, &location)?;
                }
            }
        }
    }
}

/// A validator as a request header value; one that cannot be sent (a control character from
/// a hostile server, stored and replayed) is an error naming the URL, never a panic.
fn validator_header(url: &Url, name: &HeaderName, value: &str) -> Result<HeaderValue, HttpError> {
    HeaderValue::from_str(value).map_err(|_| HttpError::InvalidUrl {
        url: url.to_string(),
        reason: format!("the stored {name} validator is not a valid header value"),
    })
}

/// Settings shared by both reqwest clients.
fn base_builder(http: &HttpConfig) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .user_agent(http.user_agent.as_str())
        .timeout(http.timeout)
        .connect_timeout(http.timeout.min(MAX_CONNECT_TIMEOUT))
        // Redirects are followed in `HttpClient::get`, so each hop is checked.
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
        // A proxy would resolve names itself, around the guarded resolver.
        .no_proxy()
}

/// reqwest is built without a TLS crypto provider (ring keeps the build small); install ring
/// as the process default. A provider installed earlier (by a test or another caller) is fine.
fn install_crypto_provider() {
    let _already_installed = rustls::crypto::ring::default_provider().install_default();
}

impl Inner {
    /// One request without following redirects; `headers` are added to it.
    async fn hop(
        &self,
        logical: &Url,
        headers: &HeaderMap,
        max_body: u64,
    ) -> Result<Hop, HttpError> {
        let host = check_fetchable(logical)?;
        let target = self.literal.overrides.target(logical);
        if let Some(ip) = self.literal.refused(logical) {
            return Err(HttpError::RefusedAddress {
                url: logical.to_string(),
                address: ip.to_string(),
            });
        }
        let permit = match self.politeness.acquire(&host).await {
            Ok(permit) => permit,
            Err(held) => {
                let error = HttpError::Held {
                    url: logical.to_string(),
                    host: host.to_ascii_lowercase(),
                    wait: held.wait,
                    status: held.status,
                };
                tracing::debug!(
                    method = "GET", url = %redact(logical.as_str()),
                    error = %redact(&error.to_string()), "http request not sent"
                );
                return Err(error);
            }
        };
        let (client, wire) = match &target {
            Some(target) => (&self.trusted, target.clone()),
            None => (&self.guarded, logical.clone()),
        };
        let started = Instant::now();
        let outcome = tokio::time::timeout(
            self.timeout,
            self.exchange(client, wire, logical, headers, max_body),
        )
        .await
        .unwrap_or_else(|_elapsed| {
            Err(HttpError::Timeout {
                url: logical.to_string(),
            })
        });
        if let Ok(Hop::Done(r)) = &outcome {
            // Recorded before the permit is dropped: the next request in the host's queue gets
            // its slot only after this, and sees the hold.
            // The clock is read only for the two statuses that may hold the host.
            let hold = match r.status {
                429 => Some(hold_for(r.header("retry-after"), chrono::Utc::now())),
                // A service down for maintenance says for how long (RFC 9110, 10.2.3).
                503 => unavailable_hold_for(r.header("retry-after"), chrono::Utc::now()),
                _ => None,
            };
            if let Some(wait) = hold {
                permit.hold(wait, r.status);
                tracing::info!(
                    %host, url = %redact(logical.as_str()), status = r.status,
                    hold_seconds = whole_seconds(wait),
                    "host asked to wait: no request is sent to it until its hold ends"
                );
            }
        }
        // The debug line of each request, written only when debug lines are: its addresses
        // lose their secrets (a Graph API token in the query), which costs a search of each.
        if tracing::enabled!(tracing::Level::DEBUG) {
            log_request(
                logical,
                target.as_ref(),
                &outcome,
                started.elapsed().as_millis(),
            );
        }
        outcome
    }
}

/// The debug line of a request to `logical` (sent to `target` when an override sends it
/// elsewhere) that ended in `outcome`, its addresses and error without their secrets.
fn log_request(logical: &Url, target: Option<&Url>, outcome: &Result<Hop, HttpError>, ms: u128) {
    let via = redact(target.map(Url::as_str).unwrap_or(""));
    let url = redact(logical.as_str());
    match outcome {
        Ok(Hop::Done(r)) => tracing::debug!(
            method = "GET", %url, via = &*via, status = r.status, bytes = r.body.len(), ms,
            "http request"
        ),
        Ok(Hop::Redirect { status, location }) => tracing::debug!(
            method = "GET", %url, via = &*via, status, location = %redact(location.as_str()),
            bytes = 0, ms, "http redirect"
        ),
        Err(error) => tracing::debug!(
            method = "GET", %url, via = &*via, error = %redact(&error.to_string()), ms,
            "http request failed"
        ),
    }
}

impl Inner {
    /// Send to `wire` and read the answer; `logical` is what the caller asked for.
    async fn exchange(
        &self,
        client: &reqwest::Client,
        wire: Url,
        logical: &Url,
        headers: &HeaderMap,
        max_body: u64,
    ) -> Result<Hop, HttpError> {
        let response = client
            .get(wire)
            .headers(headers.clone())
            .send()
            .await
            .map_err(|e| HttpError::from_reqwest(logical, Phase::Send, e))?;
        let status = response.status();
        // 304 answers a conditional request: it is the caller's cached copy, never a redirect.
        if status.is_redirection()
            && status != StatusCode::NOT_MODIFIED
            && let Some(location) = response.headers().get(LOCATION)
        {
            // Servers do send raw UTF-8 here; URL parsing percent-encodes it later.
            let location = String::from_utf8_lossy(location.as_bytes()).into_owned();
            return Ok(Hop::Redirect {
                status: status.as_u16(),
                location,
            });
        }
        // reqwest decodes gzip, br and deflate and then drops the header: a coding still named
        // is one it left as it came (zstd, compress, a server's own), whose bytes would be read
        // as the page or answer itself.
        if let Some(coding) = unread_coding(response.headers()) {
            return Err(HttpError::Decode {
                url: logical.to_string(),
                message: format!(
                    "the body is sent with Content-Encoding {coding}, which is not decoded \
                     (a body coded once, with gzip, br or deflate alone, is)"
                ),
            });
        }
        let headers = kept_headers(response.headers());
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let body = read_capped(response, max_body, logical).await?;
        Ok(Hop::Done(Response {
            url: logical.clone(),
            status: status.as_u16(),
            content_type,
            body,
            headers,
        }))
    }

    /// The logical URL a redirect from `current` to `location` leads to.
    fn next_url(&self, current: &Url, location: &str) -> Result<Url, HttpError> {
        // A Location into an override target (the fixture server's own absolute URL) stands
        // for the host that target replaces.
        if let Ok(absolute) = Url::parse(location)
            && let Some(mapped) = self.literal.overrides.to_logical(&absolute, current)
        {
            return Ok(mapped);
        }
        current.join(location).map_err(|e| HttpError::InvalidUrl {
            url: location.to_owned(),
            reason: format!("bad redirect Location from {current}: {e}"),
        })
    }
}

/// The host of `url` if it may be fetched at all: http or https with a host.
fn check_fetchable(url: &Url) -> Result<String, HttpError> {
    let invalid = |reason: &str| HttpError::InvalidUrl {
        url: url.to_string(),
        reason: reason.to_owned(),
    };
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("only http and https URLs are fetched"));
    }
    url.host_str()
        .map(str::to_owned)
        .ok_or_else(|| invalid("the URL has no host"))
}

/// The `Content-Encoding` of an answer the client left encoded, as the server wrote it: any
/// coding but `identity` (an empty header is none).
/// The `Content-Encoding` as sent, when it names a coding besides `identity` that is still there
/// (reqwest decodes a body coded once with gzip, br or deflate and drops the header; a list,
/// `identity, gzip`, it leaves as it came).
fn unread_coding(headers: &HeaderMap) -> Option<String> {
    let sent: Vec<String> = headers
        .get_all(CONTENT_ENCODING)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
        .collect();
    let coded = sent.iter().flat_map(|v| v.split(',')).any(|c| {
        let c = c.trim();
        !c.is_empty() && !c.eq_ignore_ascii_case("identity")
    });
    coded.then(|| sent.join(", "))
}

fn kept_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|(name, _)| is_kept_header(name.as_str()))
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    //! The conditional GET against a one-route server on 127.0.0.1 that answers 304 when the
    //! request's `If-None-Match` matches its ETag, and records every request head.

    use std::collections::BTreeMap;
    use std::net::SocketAddr;
    use std::sync::{Arc, Mutex};

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    use super::*;

    const ETAG: &str = "\"v1\"";
    const LAST_MODIFIED: &str = "Tue, 02 Mar 2021 22:39:15 GMT";

    /// Start the server; the returned log holds each request head in lower case.
    async fn validating_server() -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let seen = log.clone();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
                let matches = head.contains(&format!("if-none-match: {ETAG}\r\n"));
                seen.lock().unwrap().push(head);
                let answer = if matches {
                    format!(
                        "HTTP/1.1 304 Not Modified\r\netag: {ETAG}\r\nconnection: close\r\n\r\n"
                    )
                } else {
                    format!(
                        "HTTP/1.1 200 OK\r\netag: {ETAG}\r\nlast-modified: {LAST_MODIFIED}\r\n\
                         content-length: 4\r\nconnection: close\r\n\r\nbody"
                    )
                };
                let _ = stream.write_all(answer.as_bytes()).await;
                let _ = stream.shutdown().await;
            }
        });
        (addr, log)
    }

    fn client_for(host: &str, addr: SocketAddr) -> HttpClient {
        let http = HttpConfig {
            timeout: Duration::from_secs(5),
            host_overrides: BTreeMap::from([(host.to_owned(), format!("http://{addr}/{host}"))]),
            ..HttpConfig::default()
        };
        let politeness = PolitenessConfig {
            per_host_concurrency: 1,
            per_host_interval: Duration::ZERO,
            ..PolitenessConfig::default()
        };
        HttpClient::new(&http, &politeness).unwrap()
    }

    #[tokio::test]
    async fn matching_validators_get_a_304_response_and_the_first_answer_gives_them() {
        let (addr, log) = validating_server().await;
        let c = client_for("feeds.test", addr);
        let url = Url::parse("https://feeds.test/rss.xml").unwrap();

        let first = c.get_conditional(&url, None, None).await.unwrap();
        assert_eq!((first.status, &first.body[..]), (200, &b"body"[..]));
        assert_eq!(first.etag(), Some(ETAG));
        assert_eq!(first.last_modified(), Some(LAST_MODIFIED));

        let second = c
            .get_conditional(&url, first.etag(), first.last_modified())
            .await
            .unwrap();
        assert!(second.is_not_modified(), "{second:?}");
        assert!(second.body.is_empty());
        assert_eq!(second.url, url);

        let heads = log.lock().unwrap().clone();
        assert_eq!(heads.len(), 2);
        assert!(!heads[0].contains("if-none-match"), "{}", heads[0]);
        assert!(!heads[0].contains("if-modified-since"), "{}", heads[0]);
        let since = format!(
            "if-modified-since: {}\r\n",
            LAST_MODIFIED.to_ascii_lowercase()
        );
        assert!(heads[1].contains(&since), "{}", heads[1]);
    }

    #[tokio::test]
    async fn plain_get_sends_no_validators_and_a_304_is_not_followed() {
        let (addr, log) = validating_server().await;
        let c = client_for("feeds.test", addr);
        let url = Url::parse("https://feeds.test/rss.xml").unwrap();
        assert_eq!(c.get(&url).await.unwrap().status, 200);
        let r = c.get_conditional(&url, Some(ETAG), None).await.unwrap();
        assert_eq!(r.status, 304);
        assert_eq!(
            log.lock().unwrap().len(),
            2,
            "a 304 costs exactly one request"
        );
    }

    #[tokio::test]
    async fn a_validator_that_is_not_a_header_value_is_an_error_naming_the_url() {
        let c = client_for("feeds.test", "127.0.0.1:9".parse().unwrap());
        let url = Url::parse("https://feeds.test/rss.xml").unwrap();
        match c.get_conditional(&url, Some("\"a\nb\""), None).await {
            Err(HttpError::InvalidUrl { url, reason }) => {
                assert_eq!(url, "https://feeds.test/rss.xml");
                assert!(reason.contains("if-none-match"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }
}
