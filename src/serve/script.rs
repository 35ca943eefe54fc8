//! `GET /fallback.js`: the page script publishers add to article pages (`fallback.js` beside
//! this file, compiled into the binary). It finds the page's embeds, and those added to the page
//! later, asks `GET /v1/posts/status` about them in batches, and puts each gone post's card (from
//! `GET /v1/posts/{id}/card`) where its embed was; with `data-unrendered-after="N"` it also swaps
//! an archived post whose platform script has not drawn it within N seconds. When the service is
//! down, slow or answers anything unexpected, it leaves the page as it was and throws nothing.
//!
//! Served with an `ETag` (the script's digest) and a short cache life, so a new release reaches
//! pages within the hour while repeat views cost a 304.

use std::sync::LazyLock;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::etag::{not_modified, quoted};

/// The script as written, its comments explaining it.
const FALLBACK_JS_SOURCE: &str = include_str!("fallback.js");

/// The script as served: [`FALLBACK_JS_SOURCE`] without its indentation, its comment lines and
/// its blank lines, which every page that loads it would otherwise pay for. Only whole lines
/// go: the script writes no template literal or string across lines, so none of them is part
/// of a value.
pub static FALLBACK_JS: LazyLock<String> = LazyLock::new(|| served(FALLBACK_JS_SOURCE));

fn served(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for line in source.lines().map(str::trim) {
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// How long browsers and CDNs may keep the script before asking again.
const SCRIPT_CACHE_CONTROL: &str = "public, max-age=3600";

/// The script's entity tag, without its quotes: a digest of its bytes, so it changes with every
/// release that changes it. Worked out once, not at every page view that asks for the script.
static ETAG: LazyLock<String> =
    LazyLock::new(|| hex::encode(&Sha256::digest(FALLBACK_JS.as_bytes())[..12]));

/// `GET /fallback.js` (and `HEAD`). A client that has the script gets 304 without it, its
/// `If-None-Match` read as every route reads it (weak tags, lists, `*`).
pub(super) async fn fallback_js(headers: HeaderMap) -> Response {
    let tag = ETAG.as_str();
    let mut response = if not_modified(&headers, tag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        FALLBACK_JS.as_str().into_response()
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
    h.insert(header::ETAG, quoted(tag));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_is_small_and_builds_no_html_from_strings() {
        let source_lines = FALLBACK_JS_SOURCE.lines().count();
        assert!(
            FALLBACK_JS.lines().count() < source_lines,
            "comment lines are left out"
        );
        assert!(FALLBACK_JS.starts_with("/* embedkeep fallback.js"));
        assert!(
            FALLBACK_JS.len() < 10 * 1024,
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
        again.insert(header::IF_NONE_MATCH, tag.clone());
        assert_eq!(fallback_js(again).await.status(), StatusCode::NOT_MODIFIED);
        // Made weak by a proxy that compressed it, and beside another tag in its own header.
        let weak = HeaderValue::from_str(&format!("W/{}", tag.to_str().expect("ascii")))
            .expect("a header value");
        let mut again = HeaderMap::new();
        again.append(header::IF_NONE_MATCH, HeaderValue::from_static("\"other\""));
        again.append(header::IF_NONE_MATCH, weak);
        assert_eq!(fallback_js(again).await.status(), StatusCode::NOT_MODIFIED);
    }
}
