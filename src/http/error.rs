//! The one error type of the `http` module, and the mapping from reqwest's errors into it.
//!
//! Callers branch on the variant (a timeout is transient, a refused address is a configuration or
//! abuse problem), so every reqwest failure is sorted into exactly one of them here, and every
//! variant names the URL the caller asked for.

use std::error::Error as _;

use url::Url;

use super::guard::{LookupFailed, RefusedResolution};

/// Why a request failed. Each variant names the URL it was about.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// The URL cannot be fetched at all (bad scheme, no host, bad override, bad redirect target).
    #[error("cannot fetch {url}: {reason}")]
    InvalidUrl { url: String, reason: String },
    /// Connect or whole-request timeout.
    #[error("timed out fetching {url}")]
    Timeout { url: String },
    /// The body was larger than `http.max_body_bytes` (after decompression).
    #[error("{url}: response body is larger than the {limit}-byte limit")]
    TooLarge { url: String, limit: u64 },
    /// More redirects than `http.max_redirects`.
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects { url: String, limit: u32 },
    /// The target resolves to an address the guard refuses (loopback, private, link-local, ...).
    #[error("{url}: refused to connect to non-public address {address}")]
    RefusedAddress { url: String, address: String },
    /// A non-success HTTP status, where the caller asked for success.
    #[error("{url}: HTTP {status}")]
    Status { url: String, status: u16 },
    /// The host name did not resolve (no such host, or no network). `message` is the
    /// resolver's.
    #[error("could not resolve host {host} ({url}): {message}")]
    Dns {
        url: String,
        host: String,
        message: String,
    },
    /// The host resolved, but nothing listens on the port: the connection was refused.
    #[error("{host} refused the connection ({url}): {message}")]
    Refused {
        url: String,
        host: String,
        message: String,
    },
    /// Any other connection-level failure (reset, unreachable, TLS).
    #[error("cannot connect to {url}: {message}")]
    Connect { url: String, message: String },
    /// The server answered, but not in HTTP this client reads: a status line or headers that
    /// do not parse, or headers larger than the client reads.
    #[error("{url}: the server's answer is not valid HTTP: {message}")]
    Malformed { url: String, message: String },
    /// The reqwest client could not be built from the config (e.g. a user agent that is not a
    /// valid header value).
    #[error("cannot build the HTTP client: {message}")]
    Build { message: String },
    /// Nothing was sent: the host answered an earlier request with `status` (429, rate
    /// limited, or 503 with `Retry-After`) and its hold, `wait` longer, is not over. Worded
    /// like that answer ("HTTP 429 (rate limited)") so whatever reads the message as a rate
    /// limit still does.
    #[error(
        "{url}: HTTP {status} ({}) from {host} earlier; not sent while the host asks to \
         wait ({} s more)",
        held_reason(*.status),
        whole_seconds(*.wait)
    )]
    Held {
        url: String,
        host: String,
        wait: std::time::Duration,
        status: u16,
    },
    /// The body could not be read or decoded (bad gzip/brotli, broken chunking).
    #[error("{url}: cannot read response body: {message}")]
    Decode { url: String, message: String },
}

impl HttpError {
    /// Whether the same request may succeed when sent again later: a timeout, a failed
    /// connection or resolution, an unreadable body, a host's hold and a status that may pass
    /// ([`crate::model::status_may_pass`]) may; an address that cannot be fetched, a body over
    /// the cap, a redirect loop or a refused address will not, whenever it is asked.
    pub fn may_pass(&self) -> bool {
        match self {
            HttpError::InvalidUrl { .. }
            | HttpError::TooLarge { .. }
            | HttpError::TooManyRedirects { .. }
            | HttpError::RefusedAddress { .. }
            | HttpError::Build { .. } => false,
            HttpError::Status { status, .. } => crate::model::status_may_pass(*status),
            HttpError::Timeout { .. }
            | HttpError::Dns { .. }
            | HttpError::Refused { .. }
            | HttpError::Connect { .. }
            | HttpError::Malformed { .. }
            | HttpError::Held { .. }
            | HttpError::Decode { .. } => true,
        }
    }
}

/// What a host meant by the status that started its hold, in the words of the answers
/// themselves: a 429 is a rate limit, a 503 an unavailable service.
pub fn held_reason(status: u16) -> &'static str {
    match status {
        429 => "rate limited",
        503 => "unavailable",
        _ => "asked to wait",
    }
}

/// What was going on when reqwest failed: sending (connect, headers) or reading the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    Send,
    Body,
}

impl HttpError {
    /// Sort a reqwest error into a variant. `url` is the logical URL the caller asked for.
    pub(crate) fn from_reqwest(url: &Url, phase: Phase, err: reqwest::Error) -> HttpError {
        // reqwest's message names the URL it sent to, which may be an override target; ours
        // names the logical URL instead.
        let err = err.without_url();
        let url_text = url.to_string();
        // The guarded resolver's refusal arrives wrapped in hyper's connect error; find it in
        // the source chain so a DNS answer pointing inside the network is not reported as a
        // plain connection failure.
        if let Some(refused) = find_source::<RefusedResolution>(&err) {
            return HttpError::RefusedAddress {
                url: url_text,
                address: refused.addresses_text(),
            };
        }
        if err.is_timeout() {
            return HttpError::Timeout { url: url_text };
        }
        if phase == Phase::Send && err.is_connect() {
            // Both are found by type in the source chain: the resolver's own error, and the
            // socket's `io::Error`, whose kind the OS set (ECONNREFUSED).
            if let Some(failed) = find_source::<LookupFailed>(&err) {
                return HttpError::Dns {
                    url: url_text,
                    host: failed.host.clone(),
                    message: failed.reason(),
                };
            }
            if let Some(io) = find_source::<std::io::Error>(&err)
                && io.kind() == std::io::ErrorKind::ConnectionRefused
            {
                return HttpError::Refused {
                    url: url_text,
                    host: url.host_str().unwrap_or_default().to_owned(),
                    message: io.to_string(),
                };
            }
        }
        let message = chain_text(&err);
        // A connection was made and something came back, which hyper could not read as an
        // answer: saying "cannot connect" would send the reader after the network.
        if phase == Phase::Send
            && find_source::<hyper::Error>(&err).is_some_and(hyper::Error::is_parse)
        {
            return HttpError::Malformed {
                url: url_text,
                message,
            };
        }
        if phase == Phase::Body || err.is_decode() || err.is_body() {
            HttpError::Decode {
                url: url_text,
                message,
            }
        } else {
            HttpError::Connect {
                url: url_text,
                message,
            }
        }
    }
}

/// A wait in whole seconds, rounded up: a hold with 200 ms left is not "0 s more".
pub(crate) fn whole_seconds(wait: std::time::Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

/// The first error of type `T` in `err`'s source chain.
fn find_source<T: std::error::Error + 'static>(err: &reqwest::Error) -> Option<&T> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = current {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        current = e.source();
    }
    None
}

/// The error and its causes on one line: reqwest's own message alone ("error sending request")
/// hides the useful part (connection refused, certificate invalid, ...).
fn chain_text(err: &reqwest::Error) -> String {
    let mut text = err.to_string();
    let mut current = err.source();
    while let Some(e) = current {
        let part = e.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        current = e.source();
    }
    text
}
