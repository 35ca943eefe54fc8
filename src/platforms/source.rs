//! `source` is what every platform resolver does around one upstream request: fetch a source URL
//! through [`HttpClient`], turn transport failures, rate limits and server errors into
//! [`Resolution::Transient`] with evidence, and hand the rest of the answer to a pure parser as an
//! [`Answer`].
//!
//! It never decides that a post is gone: only a platform's own parser may, on a positive signal.
//! It never lets an access token reach evidence, logs or stored raw bodies: every URL it reports
//! goes through [`redact`].

use url::Url;

use crate::http::{HttpClient, HttpError};
use crate::model::{RawBody, Resolution};

/// Why a source gave no usable answer. Each variant names the source and the (redacted) URL.
/// Its `Display` is the evidence string of the resulting [`Resolution::Transient`].
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The request did not complete (timeout, connection, body cap, redirect loop, guard).
    #[error("{source_name}: request failed: {message}")]
    Transport {
        source_name: String,
        url: String,
        message: String,
    },
    /// The source said to slow down.
    #[error("HTTP 429 (rate limited) from {source_name}")]
    RateLimited { source_name: String, url: String },
    /// Not asked: the source's host answered `status` earlier (429, or 503 with `Retry-After`)
    /// and asked to wait `wait_seconds` more, so the HTTP client sent nothing. After a 429 a
    /// rate limit like [`SourceError::RateLimited`]: its evidence says "HTTP 429 (rate
    /// limited)" too, which is how the pacing knows it.
    #[error(
        "HTTP {status} ({}) from {host} earlier; not sent while the host asks to wait \
         ({wait_seconds} s more)",
        crate::http::held_reason(*.status)
    )]
    Held {
        source_name: String,
        url: String,
        host: String,
        wait_seconds: u64,
        status: u16,
    },
    /// The source failed on its side (5xx, or 599 from proxies).
    #[error("HTTP {status} (server error) from {source_name}")]
    Server {
        source_name: String,
        url: String,
        status: u16,
    },
    /// The source is misconfigured (unusable API version, unreadable token file).
    #[error("{source_name}: not used: {message}")]
    Config {
        source_name: String,
        message: String,
    },
    /// The source could not be built for this post (bad id).
    #[error("{source_name}: cannot build a request for post {post_id:?}: {reason}")]
    BadPostId {
        source_name: String,
        post_id: String,
        reason: String,
    },
}

impl SourceError {
    /// The transient verdict this error stands for.
    pub fn into_transient(self) -> Resolution {
        let source = match &self {
            SourceError::Transport { source_name, .. }
            | SourceError::RateLimited { source_name, .. }
            | SourceError::Held { source_name, .. }
            | SourceError::Server { source_name, .. }
            | SourceError::Config { source_name, .. }
            | SourceError::BadPostId { source_name, .. } => source_name.clone(),
        };
        Resolution::Transient {
            source,
            evidence: redact(&self.to_string()),
        }
    }

    /// The (redacted) URL that was asked for, where a request was made.
    pub fn url(&self) -> Option<&str> {
        match self {
            SourceError::Transport { url, .. }
            | SourceError::RateLimited { url, .. }
            | SourceError::Held { url, .. }
            | SourceError::Server { url, .. } => Some(url),
            SourceError::Config { .. } | SourceError::BadPostId { .. } => None,
        }
    }

    /// [`into_transient`](Self::into_transient) with the (redacted) URL asked for at the end of
    /// the evidence, for resolvers whose evidence names the request as well as the source.
    pub fn into_transient_with_url(self) -> Resolution {
        let url = self.url().map(str::to_owned);
        match (self.into_transient(), url) {
            (Resolution::Transient { source, evidence }, Some(url)) => Resolution::Transient {
                source,
                evidence: format!("{evidence} at {url}"),
            },
            (verdict, _) => verdict,
        }
    }
}

/// One upstream answer, as the pure parsers see it. `url` is the final URL after redirects, with
/// any access token already redacted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub url: String,
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl Answer {
    /// The answer as raw evidence to keep with a snapshot.
    pub fn raw(&self) -> RawBody {
        RawBody {
            url: self.url.clone(),
            content_type: self.content_type.clone(),
            bytes: self.body.clone(),
        }
    }

    /// The path of the final URL (empty when the URL does not parse).
    pub fn path(&self) -> String {
        Url::parse(&self.url)
            .map(|u| u.path().to_owned())
            .unwrap_or_default()
    }
}

/// Something that fetches a source URL: the real [`HttpClient`], or a replay of recorded answers
/// in tests. Resolvers are written against this so the whole flow (which URLs, in which order,
/// which verdict) can be tested without sockets.
pub trait Fetch: Sync {
    /// See [`fetch`]: transport failures, 429 and 5xx are `Err`; any other status is an answer.
    fn fetch(
        &self,
        source_name: &str,
        url: &Url,
    ) -> impl Future<Output = Result<Answer, SourceError>> + Send;
}

impl Fetch for HttpClient {
    fn fetch(
        &self,
        source_name: &str,
        url: &Url,
    ) -> impl Future<Output = Result<Answer, SourceError>> + Send {
        fetch(self, source_name, url)
    }
}

/// Fetch `url` for `source_name`. Transport failures, 429 (or nothing sent while the host's
/// hold after a 429 lasts) and 5xx come back as `Err` (always transient); every other status is
/// an [`Answer`] for the platform's parser to classify.
pub async fn fetch(http: &HttpClient, source_name: &str, url: &Url) -> Result<Answer, SourceError> {
    let response = http
        .get(url)
        .await
        .map_err(|e| transport_error(source_name, url, &e))?;
    let answer = Answer {
        url: redact(response.url.as_str()),
        status: response.status,
        content_type: response.content_type.clone(),
        body: without_json_bom(&response.body).to_vec(),
    };
    tracing::debug!(
        source = source_name,
        url = %answer.url,
        status = answer.status,
        bytes = answer.body.len(),
        "source answered"
    );
    check_status(source_name, &answer)?;
    Ok(answer)
}

/// A JSON body without the UTF-8 byte order mark some servers put before it: JSON allows none
/// (RFC 8259), and a parser refuses the whole answer for it. A body that is no JSON (an HTML
/// page, whose mark names its charset) keeps its bytes.
fn without_json_bom(body: &[u8]) -> &[u8] {
    match body.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) if matches!(rest.trim_ascii_start().first(), Some(b'{' | b'[')) => rest,
        _ => body,
    }
}

/// Fetch `url` for `source_name` and let `parse` classify the answer. A failed fetch (transport
/// failure, rate limit, server error) is transient, with evidence naming the source and the
/// (redacted) URL.
pub async fn ask<F: Fetch>(
    fetcher: &F,
    source_name: &str,
    url: &Url,
    parse: impl FnOnce(&Answer) -> Resolution,
) -> Resolution {
    match fetcher.fetch(source_name, url).await {
        Ok(answer) => parse(&answer),
        Err(e) => e.into_transient_with_url(),
    }
}

/// The statuses that never say anything about the post: rate limits and server errors.
pub fn check_status(source_name: &str, answer: &Answer) -> Result<(), SourceError> {
    match answer.status {
        429 => Err(SourceError::RateLimited {
            source_name: source_name.to_owned(),
            url: answer.url.clone(),
        }),
        status @ 500..=599 => Err(SourceError::Server {
            source_name: source_name.to_owned(),
            url: answer.url.clone(),
            status,
        }),
        _ => Ok(()),
    }
}

fn transport_error(source_name: &str, url: &Url, error: &HttpError) -> SourceError {
    // Describe the failure by kind: the error's own text repeats the URL, which may carry a token.
    let message = match error {
        HttpError::Held {
            host, wait, status, ..
        } => {
            return SourceError::Held {
                source_name: source_name.to_owned(),
                url: redact(url.as_str()),
                host: host.clone(),
                wait_seconds: crate::http::whole_seconds(*wait),
                status: *status,
            };
        }
        HttpError::InvalidUrl { reason, .. } => format!("invalid URL: {reason}"),
        HttpError::Timeout { .. } => "timed out".to_owned(),
        HttpError::TooLarge { limit, .. } => format!("body larger than {limit} bytes"),
        HttpError::TooManyRedirects { limit, .. } => format!("more than {limit} redirects"),
        HttpError::RefusedAddress { address, .. } => {
            format!("refused non-public address {address}")
        }
        HttpError::Status { status, .. } => format!("HTTP {status}"),
        HttpError::Dns { host, .. } => format!("could not resolve host {host}"),
        HttpError::Refused { host, .. } => format!("{host} refused the connection"),
        HttpError::Connect { message, .. } => format!("cannot connect: {message}"),
        HttpError::Malformed { message, .. } => format!("answer is not valid HTTP: {message}"),
        HttpError::Decode { message, .. } => format!("cannot read body: {message}"),
        HttpError::Build { message } => format!("HTTP client unavailable: {message}"),
    };
    SourceError::Transport {
        source_name: source_name.to_owned(),
        url: redact(url.as_str()),
        message: redact(&message),
    }
}

/// Replace the value of every `access_token=` parameter in `text` with `REDACTED`
/// ([`crate::http::redact`], which the HTTP client's own log lines go through too).
pub fn redact(text: &str) -> String {
    crate::http::redact(text).into_owned()
}

/// Join the evidence of two failed sources into one line.
pub fn join_evidence(first: &Resolution, second: &Resolution) -> String {
    // Evidence that names its source already is not prefixed again: one that opens with the
    // name ("x-syndication: request failed …"), or evidence joined before whose parts name
    // theirs ("x-syndication: …; x-oembed: …" of the source x-oembed).
    let names_itself = |source: &str, evidence: &str| {
        let name = format!("{source}: ");
        evidence.split("; ").any(|part| part.starts_with(&name))
    };
    let part = |r: &Resolution| match r {
        Resolution::Gone { source, evidence } | Resolution::Transient { source, evidence }
            if names_itself(source, evidence) =>
        {
            evidence.clone()
        }
        Resolution::Gone { source, evidence } | Resolution::Transient { source, evidence } => {
            format!("{source}: {evidence}")
        }
        Resolution::Live(c) => format!("{}: live", c.source),
        Resolution::Unsupported => "unsupported".to_owned(),
    };
    format!("{}; {}", part(first), part(second))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A recorded JSON answer with a byte order mark before it reads as the answer without
    /// one; a page keeps its mark, which names its charset.
    #[test]
    fn a_json_answer_loses_its_byte_order_mark() {
        let json = crate::platforms::replay::fixture_text("x/syndication-20-tweet-text.json");
        let marked = [&b"\xEF\xBB\xBF"[..], json.as_bytes()].concat();
        let body = without_json_bom(&marked);
        assert_eq!(body, json.as_bytes());
        assert!(serde_json::from_slice::<serde_json::Value>(body).is_ok());
        let spaced = [&b"\xEF\xBB\xBF\n  ["[..], b"1]"].concat();
        assert_eq!(without_json_bom(&spaced), b"\n  [1]");
        for kept in [
            &b"\xEF\xBB\xBF<!doctype html><p>x"[..],
            b"\xEF\xBB\xBF",
            b"{\"a\":1}",
            b"",
        ] {
            assert_eq!(without_json_bom(kept), kept);
        }
    }

    #[test]
    fn joined_evidence_names_each_source_once() {
        let failed = SourceError::Transport {
            source_name: "instagram-embed".into(),
            url: "https://www.instagram.com/p/X/embed/captioned/".into(),
            message: "could not resolve host".into(),
        }
        .into_transient();
        let page = Resolution::Transient {
            source: "page".into(),
            evidence: "HTTP 503 from the page".into(),
        };
        assert_eq!(
            join_evidence(&failed, &page),
            "instagram-embed: request failed: could not resolve host; page: HTTP 503 from the page"
        );
    }

    /// X's resolver joins its two sources' evidence under the source `x-oembed`; joined again
    /// with the post page's, each source is named once, not `x-oembed: x-syndication: …`.
    #[test]
    fn evidence_joined_twice_names_each_source_once() {
        let x = Resolution::Transient {
            source: "x-oembed".into(),
            evidence: "x-syndication: HTTP 429 (rate limited) from x-syndication; \
                       x-oembed: HTTP 599 (server error) from x-oembed"
                .into(),
        };
        let page = Resolution::Transient {
            source: "page".into(),
            evidence: "HTTP 599 (server error) from page".into(),
        };
        assert_eq!(
            join_evidence(&x, &page),
            "x-syndication: HTTP 429 (rate limited) from x-syndication; \
             x-oembed: HTTP 599 (server error) from x-oembed; page: HTTP 599 (server error) from page"
        );
    }

    #[test]
    fn redact_hides_tokens_in_urls_and_messages() {
        let cases = [
            (
                "https://graph.facebook.com/v8.0/instagram_oembed?access_token=SECRET&format=json",
                "https://graph.facebook.com/v8.0/instagram_oembed?access_token=REDACTED&format=json",
            ),
            (
                "timed out fetching https://x/?url=a&access_token=123%7Cabc",
                "timed out fetching https://x/?url=a&access_token=REDACTED",
            ),
            (
                "https://x/?ACCESS_TOKEN%3Dzz",
                "https://x/?ACCESS_TOKEN%3DREDACTED",
            ),
            ("no token here", "no token here"),
        ];
        for (input, want) in cases {
            assert_eq!(redact(input), want, "{input}");
        }
    }

    #[test]
    fn rate_limits_and_server_errors_are_errors_other_statuses_are_answers() {
        let answer = |status| Answer {
            url: "https://example.com/".into(),
            status,
            content_type: None,
            body: vec![],
        };
        for (status, err) in [
            (200, false),
            (404, false),
            (403, false),
            (429, true),
            (500, true),
            (503, true),
            (599, true),
        ] {
            assert_eq!(check_status("s", &answer(status)).is_err(), err, "{status}");
        }
        let t = check_status("x-oembed", &answer(429))
            .expect_err("429")
            .into_transient();
        assert_eq!(
            t,
            Resolution::Transient {
                source: "x-oembed".into(),
                evidence: "HTTP 429 (rate limited) from x-oembed".into()
            }
        );
        let t = check_status("youtube-oembed", &answer(503))
            .expect_err("503")
            .into_transient_with_url();
        assert_eq!(
            t,
            Resolution::Transient {
                source: "youtube-oembed".into(),
                evidence: "HTTP 503 (server error) from youtube-oembed at https://example.com/"
                    .into()
            }
        );
    }

    #[test]
    fn a_request_not_sent_while_its_host_is_held_is_a_rate_limit() {
        let url = Url::parse("https://graph.facebook.com/v8.0/x?access_token=SECRET").expect("url");
        let held = HttpError::Held {
            url: url.to_string(),
            host: "graph.facebook.com".into(),
            wait: std::time::Duration::from_millis(41_200),
            status: 429,
        };
        let error = transport_error("instagram-graph-oembed", &url, &held);
        assert!(matches!(error, SourceError::Held { .. }), "{error:?}");
        assert_eq!(
            error.into_transient_with_url(),
            Resolution::Transient {
                source: "instagram-graph-oembed".into(),
                evidence: "HTTP 429 (rate limited) from graph.facebook.com earlier; not sent \
                           while the host asks to wait (42 s more) at \
                           https://graph.facebook.com/v8.0/x?access_token=REDACTED"
                    .into()
            }
        );
    }

    #[test]
    fn transport_failures_are_transient_and_never_carry_the_token() {
        let url = Url::parse("https://graph.facebook.com/v8.0/x?access_token=SECRET").expect("url");
        let errors = [
            HttpError::Timeout {
                url: url.to_string(),
            },
            HttpError::Connect {
                url: url.to_string(),
                message: format!("dns error for {url}"),
            },
            HttpError::TooLarge {
                url: url.to_string(),
                limit: 10,
            },
        ];
        for error in errors {
            match transport_error("instagram-graph-oembed", &url, &error).into_transient() {
                Resolution::Transient { source, evidence } => {
                    assert_eq!(source, "instagram-graph-oembed");
                    assert!(!evidence.contains("SECRET"), "{evidence}");
                }
                other => panic!("expected transient, got {other:?}"),
            }
            let named = transport_error("instagram-graph-oembed", &url, &error);
            match named.into_transient_with_url() {
                Resolution::Transient { evidence, .. } => {
                    assert!(
                        evidence.ends_with(
                            " at https://graph.facebook.com/v8.0/x?access_token=REDACTED"
                        ),
                        "{evidence}"
                    );
                }
                other => panic!("expected transient, got {other:?}"),
            }
        }
    }
}
