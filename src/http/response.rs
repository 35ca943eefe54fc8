//! The fetched answer handed to callers: final logical URL, status, a few headers and the body.

use std::fmt;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use url::Url;

use super::{HttpError, text};

/// Response headers worth keeping: redirects, rate limits and caching. Everything else is
/// dropped so a response stays small and plain.
const KEPT_HEADERS: &[&str] = &[
    "location",
    "retry-after",
    "etag",
    "last-modified",
    "cache-control",
    "link",
];

/// Prefixes of kept rate-limit headers (`x-rate-limit-remaining`, `x-ratelimit-reset`,
/// `ratelimit-policy`, ...).
const KEPT_HEADER_PREFIXES: &[&str] = &["x-rate-limit-", "x-ratelimit-", "ratelimit"];

/// True if a header of this (lower-case) name is kept in [`Response::headers`].
pub(crate) fn is_kept_header(name: &str) -> bool {
    KEPT_HEADERS.contains(&name) || KEPT_HEADER_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// A fetched response, body fully read (and capped).
#[derive(Clone)]
pub struct Response {
    /// The final URL after redirects, in the public address space (never an override target).
    pub url: Url,
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Bytes,
    /// The kept response headers (`location`, `retry-after`, `etag`, `last-modified`,
    /// `cache-control`, `link`, rate-limit headers), names in lower case, in arrival order.
    pub headers: Vec<(String, String)>,
}

impl Response {
    /// A response with no kept headers; for callers' tests that classify canned answers.
    pub fn new(url: Url, status: u16, content_type: Option<&str>, body: impl Into<Bytes>) -> Self {
        Response {
            url,
            status,
            content_type: content_type.map(str::to_owned),
            body: body.into(),
            headers: Vec::new(),
        }
    }

    /// The same response with one more header (name stored in lower case).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers
            .push((name.to_ascii_lowercase(), value.to_owned()));
        self
    }

    /// True for 2xx statuses.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The first kept header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `ETag` validator, verbatim (quotes and any `W/` prefix kept), to send back in
    /// `If-None-Match`.
    pub fn etag(&self) -> Option<&str> {
        self.header("etag")
    }

    /// The `Last-Modified` validator, verbatim, to send back in `If-Modified-Since`.
    pub fn last_modified(&self) -> Option<&str> {
        self.header("last-modified")
    }

    /// True for `304 Not Modified`: the answer to a conditional request whose validators
    /// still match.
    pub fn is_not_modified(&self) -> bool {
        self.status == 304
    }

    /// The body as text: BOM, then Content-Type charset, then `<meta>` charset, then UTF-8.
    /// Bytes that do not decode become U+FFFD; this never fails.
    pub fn text(&self) -> String {
        text::decode(&self.body, self.content_type.as_deref())
    }

    /// `Ok(self)` for 2xx, else [`HttpError::Status`] naming the URL.
    pub fn error_for_status(self) -> Result<Response, HttpError> {
        if self.is_success() {
            Ok(self)
        } else {
            Err(HttpError::Status {
                url: self.url.to_string(),
                status: self.status,
            })
        }
    }
}

/// How much of the body `Debug` shows: a response is often logged, and a 10 MiB body in a
/// log line helps nobody.
const DEBUG_BODY_BYTES: usize = 64;

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = &self.body[..self.body.len().min(DEBUG_BODY_BYTES)];
        f.debug_struct("Response")
            .field("url", &self.url.as_str())
            .field("status", &self.status)
            .field("content_type", &self.content_type)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .field("body_start", &String::from_utf8_lossy(shown))
            .finish()
    }
}

/// A `Retry-After` value: seconds, or an HTTP date (RFC 9110 §10.2.3; an IMF-fixdate is an
/// RFC 2822 date, the obsolete date forms are not read). A date in the past is zero; anything
/// unreadable is `None`.
pub fn retry_after(value: &str, now: DateTime<Utc>) -> Option<std::time::Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(std::time::Duration::from_secs(seconds));
    }
    let at = DateTime::parse_from_rfc2822(value).ok()?;
    Some(
        at.with_timezone(&Utc)
            .signed_duration_since(now)
            .to_std()
            .unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z")
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default();
        assert_eq!(
            retry_after("120", now),
            Some(std::time::Duration::from_secs(120))
        );
        assert_eq!(
            retry_after("Tue, 01 Dec 2026 10:05:00 GMT", now),
            Some(std::time::Duration::from_secs(300))
        );
        assert_eq!(
            retry_after("Tue, 01 Dec 2026 09:00:00 GMT", now),
            Some(std::time::Duration::ZERO)
        );
        assert_eq!(retry_after("soon", now), None);
    }

    fn response(status: u16, headers: &[(&str, &str)]) -> Response {
        let url = Url::parse("https://www.instagram.com/p/X/").unwrap();
        let body: &'static [u8] = b"\xcf\xf0\xe8\xe2\xe5\xf2";
        let ct = Some("text/html; charset=windows-1251");
        headers
            .iter()
            .fold(Response::new(url, status, ct, body), |r, (n, v)| {
                r.with_header(n, v)
            })
    }

    #[test]
    fn error_for_status_passes_2xx_and_names_the_url_otherwise() {
        for status in [200, 204, 299] {
            assert!(response(status, &[]).error_for_status().is_ok(), "{status}");
        }
        for status in [199, 301, 404, 429, 500] {
            match response(status, &[]).error_for_status() {
                Err(HttpError::Status { url, status: got }) => {
                    assert_eq!(got, status);
                    assert_eq!(url, "https://www.instagram.com/p/X/");
                }
                other => panic!("{status}: {other:?}"),
            }
        }
    }

    #[test]
    fn header_lookup_is_case_insensitive() {
        let r = response(
            429,
            &[("retry-after", "120"), ("x-rate-limit-reset", "1700000000")],
        );
        assert_eq!(r.header("Retry-After"), Some("120"));
        assert_eq!(r.header("X-RATE-LIMIT-RESET"), Some("1700000000"));
        assert_eq!(r.header("location"), None);
    }

    #[test]
    fn validators_are_read_verbatim() {
        let r = response(
            200,
            &[
                ("ETag", "W/\"5e1-abc\""),
                ("Last-Modified", "Tue, 02 Mar 2021 22:39:15 GMT"),
            ],
        );
        assert_eq!(r.etag(), Some("W/\"5e1-abc\""));
        assert_eq!(r.last_modified(), Some("Tue, 02 Mar 2021 22:39:15 GMT"));
        assert!(!r.is_not_modified());
        let bare = response(304, &[]);
        assert_eq!((bare.etag(), bare.last_modified()), (None, None));
        assert!(bare.is_not_modified());
    }

    #[test]
    fn text_uses_the_content_type_charset() {
        assert_eq!(response(200, &[]).text(), "Привет");
    }

    #[test]
    fn kept_headers() {
        let cases = [
            ("location", true),
            ("retry-after", true),
            ("x-rate-limit-remaining", true),
            ("x-ratelimit-reset", true),
            ("ratelimit-policy", true),
            ("set-cookie", false),
            ("content-security-policy", false),
            ("server", false),
        ];
        for (name, kept) in cases {
            assert_eq!(is_kept_header(name), kept, "{name}");
        }
    }

    #[test]
    fn debug_output_shows_the_start_of_a_large_body_only() {
        let url = Url::parse("https://news.test/a").unwrap();
        let body = format!("<html>{}</html>", "y".repeat(100_000));
        let r = Response::new(url, 200, Some("text/html"), body);
        let shown = format!("{r:?}");
        assert!(shown.contains("body_len: 100013"), "{shown}");
        assert!(shown.contains("<html>yyy"), "{shown}");
        assert!(shown.len() < 400, "{} characters", shown.len());
    }
}
