//! `GET /fallback.js`: the page script publishers add to article pages (`fallback.js` beside
//! this file, compiled into the binary). It finds the page's embeds, asks `GET
//! /v1/posts/status` about all of them at once, and puts each gone post's card (from `GET
//! /v1/posts/{id}/card`) where its embed was; with `data-unrendered-after="N"` it also swaps an
//! archived post whose platform script has not drawn it within N seconds. When the service is
//! down, slow or answers anything unexpected, it leaves the page as it was and throws nothing.
//!
//! Served with an `ETag` (the script's digest) and a short cache life, so a new release reaches
//! pages within the hour while repeat views cost a 304.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// The script, as served.
pub const FALLBACK_JS: &str = include_str!("fallback.js");

/// How long browsers and CDNs may keep the script before asking again.
const SCRIPT_CACHE_CONTROL: &str = "public, max-age=3600";

/// The script's `ETag`: a digest of its bytes, so it changes with every release that changes it.
fn etag() -> String {
    let digest = Sha256::digest(FALLBACK_JS.as_bytes());
    format!("\"{}\"", hex::encode(&digest[..12]))
}

/// `GET /fallback.js` (and `HEAD`).
pub(super) async fn fallback_js(headers: HeaderMap) -> Response {
    let tag = etag();
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        FALLBACK_JS.into_response()
    };
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(SCRIPT_CACHE_CONTROL),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Ok(v) = HeaderValue::from_str(&tag) {
        h.insert(header::ETAG, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_is_small_and_builds_no_html_from_strings() {
        assert!(
            FALLBACK_JS.len() < 8 * 1024,
            "fallback.js is {} bytes",
            FALLBACK_JS.len()
        );
        assert!(FALLBACK_JS.is_ascii());
        for sink in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
        ] {
            assert!(!FALLBACK_JS.contains(sink), "fallback.js uses {sink}");
        }
    }

    #[tokio::test]
    async fn it_is_served_as_javascript_with_a_validator() {
        let r = fallback_js(HeaderMap::new()).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(
            r.headers()[header::CONTENT_TYPE],
            "text/javascript; charset=utf-8"
        );
        let tag = r.headers()[header::ETAG].clone();
        let mut again = HeaderMap::new();
        again.insert(header::IF_NONE_MATCH, tag);
        assert_eq!(fallback_js(again).await.status(), StatusCode::NOT_MODIFIED);
    }
}
