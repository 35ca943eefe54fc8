//! Every failure of the server, mapped to its HTTP status and JSON body in this one place. A
//! handler returns an [`ApiError`]; a store error becomes one through [`ApiError::store`]
//! (`StoreError::NotFound` is 404 by its variant, never by its text); the [`guard`] middleware
//! bounds each request's time and turns any error answer that is not JSON yet (a framework
//! rejection, a panic) into the same `{"error": {"kind", "message", "input"}}` document.
//!
//! Store failures are logged with their detail (file, SQLite message) and answered with a plain
//! message: the archive's location is nobody's business outside the host.

use std::time::Duration;

use axum::Json;
use axum::extract::Request;
use axum::extract::rejection::QueryRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::report::ErrorDocument;
use crate::store::StoreError;

/// Longest time one request may take, body upload included.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a request was not answered with what it asked for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed: a bad query parameter or body (400).
    #[error("{message}")]
    BadRequest { message: String, input: String },
    /// A write route without the admin token, or with a wrong one (401).
    #[error("this route needs the admin token: Authorization: Bearer <token>")]
    Unauthorized { input: String },
    /// A write route while no `serve.admin_token_file` is configured (403).
    #[error("writes are disabled: no serve.admin_token_file is configured")]
    WritesDisabled { input: String },
    /// Nothing is archived under this input, or the route does not exist (404).
    #[error("{message}")]
    NotFound { message: String, input: String },
    /// The route exists, but not for this method (405).
    #[error("{method} is not allowed here")]
    MethodNotAllowed { method: String, input: String },
    /// The body is larger than the route accepts (413); the message names the limit where the
    /// route knows it.
    #[error("{message}")]
    PayloadTooLarge { message: String, input: String },
    /// The body's content type is not one the route reads (415).
    #[error("{message}")]
    UnsupportedMediaType { message: String, input: String },
    /// The route does not serve what was asked, e.g. oEmbed's `format=xml` (501).
    #[error("{message}")]
    NotImplemented { message: String, input: String },
    /// The request took longer than [`REQUEST_TIMEOUT`] (503).
    #[error("the request took longer than {}s", REQUEST_TIMEOUT.as_secs())]
    Timeout { input: String },
    /// The archive cannot be read or written now: missing, unreadable (SQLite cannot open it),
    /// locked, being migrated, or the process is stopping (503).
    #[error("the archive is not available now; try again later")]
    Unavailable { input: String },
    /// The route is doing as much work at once as it is allowed to (rewrites in flight), and
    /// no turn came within its short wait (503, kind `unavailable`, with `Retry-After`).
    #[error("{message}")]
    Overloaded {
        message: String,
        /// Seconds the client should wait before asking again.
        retry_after: u64,
        input: String,
    },
    /// The archive's copy of an image no longer hashes to the sha256 it is addressed by (500,
    /// kind `internal`): serving it would have browsers and CDNs keep wrong bytes forever
    /// under that address. `input` is the digest.
    #[error(
        "the stored copy of image {input} is damaged (its bytes no longer hash to its sha256); it is not served"
    )]
    DamagedImage { input: String },
    /// Anything else (500); the detail is in the log.
    #[error("internal error; the detail is in the server's log")]
    Internal { input: String },
}

impl ApiError {
    /// The one mapping of store failures: `NotFound` is 404, an invalid request 400, a damaged
    /// row or blob 500, and everything about reaching the archive (missing or unopenable file,
    /// I/O errors, locks, schema, a stopped writer) 503. `input` is what the client asked for.
    pub fn store(error: StoreError, input: impl Into<String>) -> ApiError {
        let input = input.into();
        match error {
            StoreError::NotFound(_) => ApiError::NotFound {
                message: format!("nothing archived under {input}"),
                input,
            },
            StoreError::Invalid(message) => ApiError::BadRequest { message, input },
            StoreError::Sqlite { ref source, .. } if archive_unreachable(source) => {
                tracing::error!(input, "archive unavailable: {error}");
                ApiError::Unavailable { input }
            }
            e @ (StoreError::Sqlite { .. }
            | StoreError::CorruptBlob { .. }
            | StoreError::DigestMismatch { .. }) => {
                tracing::error!(input, "store error: {e}");
                ApiError::Internal { input }
            }
            e @ (StoreError::NotADatabase { .. }
            | StoreError::ForeignDatabase { .. }
            | StoreError::NewerSchema { .. }
            | StoreError::OlderSchema { .. }
            | StoreError::ReadOnly { .. }
            | StoreError::Busy { .. }
            | StoreError::Io { .. }
            | StoreError::Damaged { .. }
            | StoreError::WriterStopped { .. }
            | StoreError::Task { .. }) => {
                tracing::error!(input, "archive unavailable: {e}");
                ApiError::Unavailable { input }
            }
        }
    }

    /// A bad query parameter or body.
    pub fn bad_request(message: impl Into<String>, input: impl Into<String>) -> ApiError {
        ApiError::BadRequest {
            message: message.into(),
            input: input.into(),
        }
    }

    /// Nothing under this input.
    pub fn not_found(message: impl Into<String>, input: impl Into<String>) -> ApiError {
        ApiError::NotFound {
            message: message.into(),
            input: input.into(),
        }
    }

    /// An error answer made elsewhere (a framework rejection, a layer) as one of ours.
    fn from_status(status: StatusCode, message: String, input: String) -> ApiError {
        match status {
            StatusCode::UNAUTHORIZED => ApiError::Unauthorized { input },
            StatusCode::FORBIDDEN => ApiError::WritesDisabled { input },
            StatusCode::NOT_FOUND => ApiError::NotFound { message, input },
            StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed {
                method: message,
                input,
            },
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge {
                message: "the request body is larger than this route accepts".into(),
                input,
            },
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType { message, input },
            StatusCode::REQUEST_TIMEOUT => ApiError::Timeout { input },
            StatusCode::SERVICE_UNAVAILABLE => ApiError::Unavailable { input },
            StatusCode::NOT_IMPLEMENTED => ApiError::NotImplemented { message, input },
            s if s.is_client_error() => ApiError::BadRequest { message, input },
            _ => ApiError::Internal { input },
        }
    }

    /// An extractor's rejection (bad query, body too large, wrong content type, bad JSON).
    pub fn rejected(status: StatusCode, message: String, input: impl Into<String>) -> ApiError {
        ApiError::from_status(status, message, input.into())
    }

    /// A query string the route's parameters cannot be read from. An unknown parameter is
    /// named (as `input`) with the ones the route takes, as `/v1/posts/status` words it; any
    /// other fault keeps the parser's own words (`limit: invalid digit found in string`),
    /// without the framework's preamble.
    pub fn bad_query(rejection: &QueryRejection, route: &str) -> ApiError {
        let said = rejection.body_text();
        let said = said
            .strip_prefix("Failed to deserialize query string: ")
            .unwrap_or(&said);
        match unknown_parameter(said) {
            Some((name, takes)) => {
                let takes = if takes.is_empty() {
                    "no parameters".to_owned()
                } else {
                    takes
                        .iter()
                        .map(|t| format!("{t}="))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                ApiError::from_status(
                    rejection.status(),
                    format!("unknown parameter {name:?}: this route takes {takes}"),
                    name,
                )
            }
            None => match duplicate_parameter(said) {
                Some(name) => ApiError::from_status(
                    rejection.status(),
                    format!("parameter {name:?} is given more than once: send it once"),
                    name,
                ),
                // The parameter serde names before its words ("limit: invalid digit …") is the
                // input; a fault of the query string as a whole names the route.
                None => ApiError::from_status(
                    rejection.status(),
                    format!("bad query string: {said}"),
                    faulty_parameter(said).unwrap_or(route).to_owned(),
                ),
            },
        }
    }

    /// The status this error is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::WritesDisabled { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::NotImplemented { .. } => StatusCode::NOT_IMPLEMENTED,
            ApiError::Timeout { .. }
            | ApiError::Unavailable { .. }
            | ApiError::Overloaded { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::DamagedImage { .. } | ApiError::Internal { .. } => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// The short stable name in the JSON body.
    pub fn kind(&self) -> &'static str {
        match self {
            ApiError::BadRequest { .. } => "bad-request",
            ApiError::Unauthorized { .. } => "unauthorized",
            ApiError::WritesDisabled { .. } => "forbidden",
            ApiError::NotFound { .. } => "not-found",
            ApiError::MethodNotAllowed { .. } => "method-not-allowed",
            ApiError::PayloadTooLarge { .. } => "payload-too-large",
            ApiError::UnsupportedMediaType { .. } => "unsupported-media-type",
            ApiError::NotImplemented { .. } => "not-implemented",
            ApiError::Timeout { .. } => "timeout",
            // A client does the same for both: it asks again later.
            ApiError::Unavailable { .. } | ApiError::Overloaded { .. } => "unavailable",
            // Both are faults of the server, not of the request; a damaged image's message
            // says so.
            ApiError::DamagedImage { .. } | ApiError::Internal { .. } => "internal",
        }
    }

    fn input(&self) -> &str {
        match self {
            ApiError::BadRequest { input, .. }
            | ApiError::Unauthorized { input }
            | ApiError::WritesDisabled { input }
            | ApiError::NotFound { input, .. }
            | ApiError::MethodNotAllowed { input, .. }
            | ApiError::PayloadTooLarge { input, .. }
            | ApiError::UnsupportedMediaType { input, .. }
            | ApiError::NotImplemented { input, .. }
            | ApiError::Timeout { input }
            | ApiError::Unavailable { input }
            | ApiError::Overloaded { input, .. }
            | ApiError::DamagedImage { input }
            | ApiError::Internal { input } => input,
        }
    }

    /// The JSON document of this error.
    pub fn document(&self) -> ErrorDocument {
        ErrorDocument::new(self.kind(), self.to_string(), self.input())
    }
}

/// Whether SQLite failed because the archive's files cannot be reached (opened, read, locked)
/// rather than because of what was asked of it. The store classifies only busy, read-only and
/// not-a-database; the rest arrive as plain `Sqlite` errors, and these are the ones that are
/// the archive's state, not a fault of this program: a file SQLite cannot open (a read-only
/// mount where it cannot make the WAL's shared-memory file, a directory in the WAL's place),
/// permission and I/O errors, a broken lock, a damaged page, a full disk. They are answered
/// 503 like a missing archive, so clients and caches treat them as passing.
fn archive_unreachable(source: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode;
    matches!(
        source.sqlite_error_code(),
        Some(
            ErrorCode::CannotOpen
                | ErrorCode::PermissionDenied
                | ErrorCode::SystemIoFailure
                | ErrorCode::FileLockingProtocolFailed
                | ErrorCode::NoLargeFileSupport
                | ErrorCode::DatabaseCorrupt
                | ErrorCode::DiskFull
        )
    )
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status(), Json(self.document())).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if matches!(self, ApiError::Unauthorized { .. }) {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"embedkeep\""),
            );
        }
        if let ApiError::Overloaded { retry_after, .. } = self {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        }
        response
    }
}

/// Any route that does not exist. The message names the path cut to [`SHOWN_PATH`] bytes (a
/// target may be 64 KiB); `input` holds it whole.
pub async fn no_route(request: Request) -> ApiError {
    let path = request.uri().path().to_owned();
    ApiError::not_found(format!("no route {}", shown_path(&path)), path)
}

/// The most of a path a message repeats.
const SHOWN_PATH: usize = 200;

/// `path` when it is at most [`SHOWN_PATH`] bytes, else its start and `…`.
fn shown_path(path: &str) -> std::borrow::Cow<'_, str> {
    if path.len() <= SHOWN_PATH {
        return path.into();
    }
    let mut end = SHOWN_PATH;
    while !path.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &path[..end]).into()
}

/// A route that exists, asked with a method it does not take.
pub async fn wrong_method(request: Request) -> ApiError {
    ApiError::MethodNotAllowed {
        method: request.method().to_string(),
        input: request.uri().path().to_owned(),
    }
}

/// A panicking handler: 500, with the detail in the log.
pub fn panicked(detail: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = detail
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| detail.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!("a request handler panicked: {message}");
    ApiError::Internal {
        input: String::new(),
    }
    .into_response()
}

/// The parameter serde refused as unknown and those it expected, from its words: "foo: unknown
/// field `foo`, expected one of `url`, `limit`" (or "expected `url`", or "there are no fields").
fn unknown_parameter(said: &str) -> Option<(String, Vec<String>)> {
    let rest = &said[said.find("unknown field `")? + "unknown field `".len()..];
    let (name, expected) = rest.split_once('`')?;
    let takes = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    Some((name.to_owned(), takes))
}

/// The parameter serde found more than once, from its words: "duplicate field `url`".
fn duplicate_parameter(said: &str) -> Option<String> {
    let rest = &said[said.find("duplicate field `")? + "duplicate field `".len()..];
    let (name, _) = rest.split_once('`')?;
    Some(name.to_owned())
}

/// The parameter a deserialising error starts with ("maxwidth: \"-1\" is not a size …"), if
/// it starts with one.
fn faulty_parameter(said: &str) -> Option<&str> {
    let (name, _) = said.split_once(": ")?;
    (!name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
    .then_some(name)
}

/// Every request passes through here: it gets [`REQUEST_TIMEOUT`] to be answered, and an error
/// answer that is not JSON yet becomes the JSON error document of its status.
pub async fn guard(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let response = match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => return ApiError::Timeout { input: path }.into_response(),
    };
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    // What the framework said, e.g. "Failed to deserialize query string", capped.
    let said = axum::body::to_bytes(body, 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    let message = if said.is_empty() {
        status.canonical_reason().unwrap_or("error").to_owned()
    } else {
        said
    };
    let mut answer = ApiError::from_status(status, message, path).into_response();
    // Keep what the layer set (CORS, Allow, WWW-Authenticate), but not its body's headers.
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            answer.headers_mut().insert(name.clone(), value.clone());
        }
    }
    *answer.status_mut() = status;
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_the_route_cannot_read_is_answered_in_the_routes_words() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Q {
            url: Option<String>,
            limit: Option<u32>,
        }
        let read = |q: &str| {
            let uri: axum::http::Uri = format!("/v1/x?{q}").parse().unwrap_or_default();
            match axum::extract::Query::<Q>::try_from_uri(&uri) {
                Ok(_) => panic!("{q} was read"),
                Err(rejection) => ApiError::bad_query(&rejection, "/v1/x"),
            }
        };
        let e = read("foo=1");
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            e.to_string(),
            "unknown parameter \"foo\": this route takes url=, limit="
        );
        assert_eq!(e.input(), "foo");
        let e = read("limit=ten");
        assert_eq!(
            e.to_string(),
            "bad query string: limit: invalid digit found in string"
        );
        assert_eq!(e.input(), "limit");
    }

    /// A parameter sent twice (`?url=a&url=b`) is named as the input, not the route.
    #[test]
    fn a_parameter_sent_twice_is_named() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Q {
            url: Option<String>,
        }
        let uri: axum::http::Uri = "/v1/x?url=a&url=b".parse().unwrap_or_default();
        let Err(rejection) = axum::extract::Query::<Q>::try_from_uri(&uri) else {
            panic!("a repeated url= was read");
        };
        let e = ApiError::bad_query(&rejection, "/v1/x");
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
        assert_eq!(e.input(), "url");
        assert_eq!(
            e.to_string(),
            "parameter \"url\" is given more than once: send it once"
        );
    }

    #[test]
    fn a_long_path_is_shown_cut_in_the_message() {
        assert_eq!(shown_path("/v1/nothing"), "/v1/nothing");
        let long = format!("/{}", "é".repeat(5000));
        let shown = shown_path(&long);
        assert!(
            shown.len() <= SHOWN_PATH + '…'.len_utf8(),
            "{}",
            shown.len()
        );
        assert!(shown.ends_with('…') && long.starts_with(shown.trim_end_matches('…')));
    }

    #[test]
    fn not_found_is_404_by_variant() {
        let e = ApiError::store(StoreError::NotFound("post 7".into()), "7");
        assert_eq!(e.status(), StatusCode::NOT_FOUND);
        assert_eq!(e.kind(), "not-found");
        let doc = serde_json::to_value(e.document()).expect("json");
        assert_eq!(doc["error"]["input"], "7");
        assert_eq!(doc["error"]["kind"], "not-found");
    }

    #[test]
    fn unreachable_archives_are_503_without_their_path() {
        let e = ApiError::store(
            StoreError::Busy {
                path: "/var/lib/embedkeep/embedkeep.db".into(),
            },
            "https://x.com/a/status/1",
        );
        assert_eq!(e.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(!e.to_string().contains("/var/lib"), "{e}");
    }

    fn sqlite_error(code: std::ffi::c_int) -> StoreError {
        StoreError::Sqlite {
            path: "/var/lib/embedkeep/embedkeep.db".into(),
            source: rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None),
        }
    }

    /// A read-only mount (SQLite cannot make the WAL's `-shm` file) or a file it cannot open
    /// is the archive's state, not a bug: 503 `unavailable`, as a missing archive is.
    #[test]
    fn an_archive_sqlite_cannot_open_is_503_not_500() {
        for code in [
            rusqlite::ffi::SQLITE_CANTOPEN,
            rusqlite::ffi::SQLITE_IOERR,
            rusqlite::ffi::SQLITE_PERM,
            rusqlite::ffi::SQLITE_CORRUPT,
        ] {
            let e = ApiError::store(sqlite_error(code), "/v1/posts");
            assert_eq!(e.status(), StatusCode::SERVICE_UNAVAILABLE, "code {code}");
            assert_eq!(e.kind(), "unavailable", "code {code}");
            assert!(!e.to_string().contains("/var/lib"), "{e}");
        }
    }

    /// A statement SQLite refuses (a bug in a query) stays a 500.
    #[test]
    fn a_refused_statement_is_still_internal() {
        for code in [rusqlite::ffi::SQLITE_MISUSE, rusqlite::ffi::SQLITE_ERROR] {
            let e = ApiError::store(sqlite_error(code), "/v1/posts");
            assert_eq!(e.status(), StatusCode::INTERNAL_SERVER_ERROR, "code {code}");
            assert_eq!(e.kind(), "internal");
        }
    }

    /// A damaged image is the server's fault and asking again will not mend it: 500, never
    /// cached, its message naming the digest.
    #[test]
    fn a_damaged_image_is_500_naming_its_digest() {
        let sha = "ab".repeat(32);
        let e = ApiError::DamagedImage { input: sha.clone() };
        assert_eq!(e.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(e.kind(), "internal");
        assert!(e.to_string().contains(&sha), "{e}");
        let r = e.into_response();
        assert_eq!(r.headers()[header::CACHE_CONTROL], "no-store");
    }

    #[test]
    fn unauthorized_answers_name_the_scheme() {
        let r = ApiError::Unauthorized {
            input: "/v1/articles".into(),
        }
        .into_response();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert!(r.headers().contains_key(header::WWW_AUTHENTICATE));
    }
}
