//! `GET /v1/articles?url=ARTICLE_URL` (an archived article's embeds with their status) and
//! `POST /v1/articles` (queue an article for archiving; admin token).
//!
//! The POST body is `{"url": "…"}` (`Content-Type: application/json`) or the form `url=…`
//! (`application/x-www-form-urlencoded`, what `curl -d` sends), at most
//! [`super::ARTICLE_BODY_LIMIT`] bytes. The URL must be http or https (one without a scheme is
//! read as https, as on the command line). The job is queued in the archive's durable queue;
//! the daemon's workers archive it through the pipeline, with every guard of the HTTP client
//! (private addresses, size and time limits) applied then. Nothing is fetched while answering:
//! a URL whose host is a literal non-public address is refused at once (400), as the client
//! would refuse it; a host name that resolves to one is refused when the daemon comes to it.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use url::Url;

use super::error::ApiError;
use super::{ServeState, auth, document};
use super::{platform_urls, posts};
use crate::model::{read_http_url, without_credentials, without_tracking};
use crate::report::{ArticleEmbedReport, ArticleEmbedsDocument, QueuedDocument};
use crate::store::{JobKind, StoreError};

const ROUTE: &str = "/v1/articles";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ArticleQuery {
    url: Option<String>,
}

/// What a JSON value is, to name in an error.
fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// The JSON body of `POST /v1/articles`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticleBody {
    url: String,
}

/// `GET /v1/articles?url=`: 400 for a `url=` that is no http(s) URL, 404 for an article not
/// archived.
pub(super) async fn find(
    State(state): State<ServeState>,
    query: Result<Query<ArticleQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|r| ApiError::bad_query(&r, ROUTE))?;
    let Some(url) = query.url.filter(|u| !u.trim().is_empty()) else {
        return Err(ApiError::bad_request(
            "url= is required: the article's URL",
            ROUTE,
        ));
    };
    // As archived (as given, scheme added, without its fragment), else in the URL parser's
    // form, as `POST /v1/articles` queues it.
    let read = posts::article_url(&url)?;
    let mut candidates = vec![read.clone()];
    if let Ok(normal) = article_url(&read)
        && normal != read
    {
        candidates.push(normal);
    }
    let asked = read;
    let view = state
        .reader()
        .call(move |s| {
            for candidate in &candidates {
                match s.article_view(candidate) {
                    Err(StoreError::NotFound(_)) => continue,
                    found => return found,
                }
            }
            Err(StoreError::NotFound(asked))
        })
        .await
        .map_err(|e| ApiError::store(e, url.as_str()))?;
    let embeds = view
        .embeds
        .iter()
        .map(|e| {
            let mut report =
                ArticleEmbedReport::new(&e.embed, e.post.as_ref(), e.snapshot.as_ref());
            report
                .embed
                .snapshot
                .iter_mut()
                .for_each(platform_urls::snapshot);
            report
        })
        .collect();
    Ok(document(&ArticleEmbedsDocument::new(&view.article, embeds)))
}

/// `POST /v1/articles`: 202 with the queued job.
pub(super) async fn queue(
    State(state): State<ServeState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let writes = auth::authorize(&state, &headers, ROUTE)?;
    let body = body.map_err(|r| match r.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge {
            message: format!(
                "the body is over the {} bytes a POST /v1/articles may send: it names one URL",
                super::ARTICLE_BODY_LIMIT
            ),
            input: ROUTE.to_owned(),
        },
        status => ApiError::rejected(status, r.body_text(), ROUTE),
    })?;
    let requested = requested_url(&headers, &body)?;
    let key = article_url(&requested)
        .map_err(|message| ApiError::bad_request(message, requested.as_str()))?;
    if let Some(address) = Url::parse(&key)
        .ok()
        .and_then(|url| writes.addresses.borrow().refused(&url))
    {
        return Err(ApiError::bad_request(
            format!(
                "{key} names the non-public address {address}, which the daemon refuses to \
                 fetch (http.allow_private_addresses, or an http.host_overrides entry for \
                 its host, lets it)"
            ),
            key.as_str(),
        ));
    }
    let queued = key.clone();
    let new = writes
        .writer
        .call(move |s| s.enqueue(JobKind::Archive, &queued, Utc::now()))
        .await
        .map_err(|e| ApiError::store(e, key.as_str()))?;
    tracing::info!(url = %key, new, "article queued over HTTP");
    let doc = QueuedDocument {
        kind: JobKind::Archive.as_str(),
        key,
        new,
    };
    Ok((StatusCode::ACCEPTED, axum::Json(doc)).into_response())
}

/// The URL a POST body names, read as JSON or as a form by its content type. A body sent with
/// a `Content-Encoding` (gzip, br …) is refused with 415 naming it: the body is read as it is
/// sent, and compressed bytes would be answered as JSON that does not parse.
fn requested_url(headers: &HeaderMap, body: &[u8]) -> Result<String, ApiError> {
    let encodings = super::rewrite::body_codings(headers);
    if !encodings.is_empty() {
        return Err(ApiError::UnsupportedMediaType {
            message: format!(
                "the body is sent with {}; send it uncompressed",
                encodings.join(", ")
            ),
            input: ROUTE.to_owned(),
        });
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/json" => {
            // Read once as the one object it must be: a second `url` key is refused, as a
            // second `url=` field of a form is (readers that take the first and the last would
            // see two articles). serde would take an array for the struct too, so anything but
            // an object is parsed as a value, to say what it is.
            let read = if body.trim_ascii_start().starts_with(b"{") {
                serde_json::from_slice::<ArticleBody>(body)
            } else {
                let doc: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
                    ApiError::bad_request(format!("the body is not JSON: {e}"), ROUTE)
                })?;
                Err(serde::de::Error::custom(format!(
                    "{} is not an object",
                    json_kind(&doc)
                )))
            };
            read.map(|b| b.url).map_err(|e| {
                ApiError::bad_request(
                    format!(
                        "the body is not {{\"url\": \"…\"}} ({e}): send an object whose \
                             one field, url, is the article's address as a string"
                    ),
                    ROUTE,
                )
            })
        }
        "application/x-www-form-urlencoded" => {
            let mut urls = url::form_urlencoded::parse(body)
                .filter(|(k, _)| k == "url")
                .map(|(_, v)| v.into_owned());
            match (urls.next(), urls.next()) {
                (Some(url), None) => Ok(url),
                _ => Err(ApiError::bad_request(
                    "the form needs exactly one url=… field",
                    ROUTE,
                )),
            }
        }
        _ => Err(ApiError::UnsupportedMediaType {
            message: format!(
                "send {{\"url\": \"…\"}} as application/json or url=… as \
                 application/x-www-form-urlencoded, not {content_type:?}"
            ),
            input: ROUTE.to_owned(),
        }),
    }
}

/// An article URL as it is queued and archived: read as every typed or sent URL is
/// ([`read_http_url`]: http or https with a host; a host name without a scheme is https),
/// written in the URL parser's form, without its `#fragment` (a place in the page, not another
/// page) and its tracking parameters (`utm_*`, `fbclid`, `gclid`), as the daemon queues it.
/// A URL carrying a user name or password is refused: the queued URL is the article's key,
/// stored and shown as it is (`list`, `/v1/articles`, logs), and credentials have no place there.
fn article_url(text: &str) -> Result<String, String> {
    let read = read_http_url(text)
        .map_err(|e| format!("{:?} is not an http or https URL: {e}", text.trim()))?;
    let parsed = Url::parse(&read).map_err(|e| format!("{read:?} is not a URL: {e}"))?;
    if let Some(shown) = without_credentials(&parsed) {
        return Err(format!(
            "{shown} was sent with a user name or password in it; the queued URL is stored \
             and shown as it is, so send the article's address without them"
        ));
    }
    Ok(without_tracking(parsed).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn article_urls_are_http_with_a_host() {
        assert_eq!(
            article_url("news.example.com/a"),
            Ok("https://news.example.com/a".to_owned())
        );
        assert_eq!(
            article_url(" http://news.example.com/a?b=1 "),
            Ok("http://news.example.com/a?b=1".to_owned())
        );
        assert_eq!(
            article_url("https://news.example.com/a?b=1#comments"),
            Ok("https://news.example.com/a?b=1".to_owned())
        );
        assert_eq!(
            article_url("https://news.example.com/a?utm_source=tw&b=1&fbclid=x#c"),
            Ok("https://news.example.com/a?b=1".to_owned())
        );
        assert!(article_url("file:///etc/passwd").is_err());
        // Credentials are refused, and the refusal does not repeat them.
        for with_credentials in [
            "https://editor:s3cret@news.example.com/a",
            "https://editor@news.example.com/a",
            "https://:s3cret@news.example.com/a",
        ] {
            let e = article_url(with_credentials).expect_err(with_credentials);
            assert!(e.contains("https://news.example.com/a"), "{e}");
            assert!(!e.contains("s3cret") && !e.contains("editor"), "{e}");
        }
        assert!(article_url("javascript:alert(1)").is_err());
        assert!(article_url("").is_err());
    }

    #[test]
    fn bodies_are_json_or_forms() {
        let with = |t: &str| {
            let mut h = HeaderMap::new();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_str(t).expect("type"),
            );
            h
        };
        assert_eq!(
            requested_url(
                &with("application/json"),
                br#"{"url":"https://a.example/x"}"#
            ),
            Ok("https://a.example/x".to_owned())
        );
        assert_eq!(
            requested_url(
                &with("application/x-www-form-urlencoded"),
                b"url=https%3A%2F%2Fa.example%2Fx"
            ),
            Ok("https://a.example/x".to_owned())
        );
        for body in [
            &br#"{"link":"x"}"#[..],
            br#"{"url":"https://a.example/x","url":"https://b.example/y"}"#,
            br#"{"url":"https://a.example/x","extra":1}"#,
            br#"{"url":7}"#,
            br#"["https://a.example/x"]"#,
        ] {
            let e = requested_url(&with("application/json"), body).expect_err("refused");
            assert_eq!(
                e.status(),
                StatusCode::BAD_REQUEST,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        let e = requested_url(&with("text/plain"), b"https://a.example/x").expect_err("type");
        assert_eq!(e.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let e = requested_url(&HeaderMap::new(), b"").expect_err("no type");
        assert_eq!(e.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }

    /// A compressed body is refused as compressed (415 naming the encoding), not as JSON
    /// that does not parse; `identity` is no encoding.
    #[test]
    fn compressed_bodies_are_refused_by_their_encoding() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        let e = requested_url(&h, br#"{"url":"https://a.example/x"}"#).expect_err("gzip");
        assert_eq!(e.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert!(e.to_string().contains("gzip"), "{e}");
        h.insert(
            header::CONTENT_ENCODING,
            HeaderValue::from_static("identity"),
        );
        assert_eq!(
            requested_url(&h, br#"{"url":"https://a.example/x"}"#),
            Ok("https://a.example/x".to_owned())
        );
    }
}
