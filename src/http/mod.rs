//! `http` is the only place that opens sockets. Every outbound request — articles, platform
//! sources, media — goes through [`HttpClient`], which enforces timeouts, a streaming body cap,
//! a redirect limit with each hop checked, the private-address guard, host overrides and
//! per-host politeness. It never parses what it fetches beyond decoding text.

use bytes::Bytes;
use url::Url;

use crate::config::{HttpConfig, PolitenessConfig};

/// Why a request failed. Each variant names the URL it was about.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// The URL cannot be fetched at all (bad scheme, no host).
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
    /// Connection-level failure (DNS, refused, reset, TLS).
    #[error("cannot connect to {url}: {message}")]
    Connect { url: String, message: String },
    /// The body could not be read or decoded (bad gzip/brotli, broken chunking).
    #[error("{url}: cannot read response body: {message}")]
    Decode { url: String, message: String },
}

/// A fetched response, body fully read (and capped).
#[derive(Debug, Clone)]
pub struct Response {
    /// The final URL after redirects, in the public address space (never an override target).
    pub url: Url,
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Bytes,
}

impl Response {
    /// True for 2xx statuses.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body decoded to text.
    pub fn text(&self) -> String {
        decode_html(&self.body, self.content_type.as_deref())
    }
}

/// The one HTTP client. Cheap to clone.
#[derive(Debug, Clone)]
pub struct HttpClient {
    _private: (),
}

impl HttpClient {
    /// Build the client from the `[http]` and `[politeness]` config.
    pub fn new(_http: &HttpConfig, _politeness: &PolitenessConfig) -> Result<Self, HttpError> {
        Ok(HttpClient { _private: () })
    }

    /// GET a URL, following redirects. Any HTTP status is returned as `Ok`.
    pub async fn get(&self, url: &Url) -> Result<Response, HttpError> {
        Err(HttpError::Connect {
            url: url.to_string(),
            message: "not implemented".into(),
        })
    }
}

/// Decode a page to text (charset from BOM, Content-Type, or `<meta charset>`).
pub fn decode_html(bytes: &[u8], _content_type: Option<&str>) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
