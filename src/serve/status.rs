//! `GET /v1/posts/status?url=U1&url=U2…`: the status of every post a page embeds, in one
//! request, for the page script (`/fallback.js`). Each URL is looked up the way `GET
//! /v1/posts?url=` looks one up (any URL form the post's platform uses: an embed's permalink
//! with its tracking query, a player address, the canonical URL), and answered in the order
//! asked with the post's status, whether anything of it is archived, and where its card is.
//!
//! One read of the archive answers the whole batch; at most [`MAX_STATUS_URLS`] URLs per
//! request, each at most [`MAX_URL_BYTES`] long, so a page cannot make the server do unbounded
//! work. A URL the archive does not hold is answered `not-archived`, not as an error: pages
//! embed posts the archive has not seen yet.

use axum::extract::{RawQuery, State};
use axum::response::Response;
use serde::Serialize;

use super::error::ApiError;
use super::{ServeState, document, posts};
use crate::pipeline;
use crate::store::StoreError;

/// Most URLs one status request may ask about.
pub const MAX_STATUS_URLS: usize = 50;
/// Longest URL a status request may ask about.
pub const MAX_URL_BYTES: usize = 2048;

const ROUTE: &str = "/v1/posts/status";

/// The answer: one entry per URL asked, in the order asked.
#[derive(Debug, Serialize)]
pub struct StatusDocument {
    pub posts: Vec<PostStatusEntry>,
}

/// What the archive says about one URL.
#[derive(Debug, Serialize)]
pub struct PostStatusEntry {
    /// The URL as asked.
    pub url: String,
    /// The post's archive id; `null` when not archived.
    pub id: Option<i64>,
    /// `live`, `suspect`, `gone`, `unknown` (as readers see it: a pin counts), or
    /// `not-archived`.
    pub status: &'static str,
    /// Whether a snapshot of the post is archived (its card shows the post, not only a note).
    pub archived: bool,
    /// Where the post's card is served: absolute under `serve.public_base_url`, else a path
    /// on this server; `null` when not archived.
    pub card_url: Option<String>,
}

/// The `url` values of the query string, each as asked and as read ([`posts::post_url`]), or
/// why they are refused: a malformed URL fails the whole request, as a malformed parameter
/// does. (The page script only ever sends absolute http(s) URLs.)
fn asked_urls(raw: Option<&str>) -> Result<Vec<(String, String)>, ApiError> {
    let mut urls = Vec::new();
    for (key, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        if key != "url" {
            return Err(ApiError::bad_request(
                format!("unknown parameter {key:?}: this route takes url= (repeated)"),
                key.into_owned(),
            ));
        }
        if value.len() > MAX_URL_BYTES {
            return Err(ApiError::bad_request(
                format!("a url= longer than {MAX_URL_BYTES} bytes"),
                value.chars().take(80).collect::<String>(),
            ));
        }
        let read = posts::post_url(&value)?;
        urls.push((value.into_owned(), read));
        if urls.len() > MAX_STATUS_URLS {
            return Err(ApiError::bad_request(
                format!("at most {MAX_STATUS_URLS} url= per request"),
                ROUTE,
            ));
        }
    }
    if urls.is_empty() {
        return Err(ApiError::bad_request(
            "url= is required: the post URLs a page embeds (repeat it for each)",
            ROUTE,
        ));
    }
    Ok(urls)
}

/// `GET /v1/posts/status`.
pub(super) async fn status(
    State(state): State<ServeState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let urls = asked_urls(raw.as_deref())?;
    let base = state.public_base_url().unwrap_or("").to_owned();
    let posts = state
        .reader()
        // Up to MAX_STATUS_URLS look-ups: on the blocking pool, not a runtime thread; and in
        // one read transaction, so every status of the batch is from one state of the archive.
        .call(move |store| {
            store.as_one_read(|store| {
                let mut posts = Vec::with_capacity(urls.len());
                for (url, read) in urls {
                    let entry = match pipeline::find_post(store, &read) {
                        Ok(post) => PostStatusEntry {
                            id: Some(post.id),
                            status: post.status().as_str(),
                            archived: store.has_snapshot(post.id)?,
                            card_url: Some(format!("{base}/v1/posts/{}/card", post.id)),
                            url,
                        },
                        Err(StoreError::NotFound(_)) => PostStatusEntry {
                            url,
                            id: None,
                            status: "not-archived",
                            archived: false,
                            card_url: None,
                        },
                        Err(e) => return Err(e),
                    };
                    posts.push(entry);
                }
                Ok(posts)
            })
        })
        .await
        .map_err(|e| ApiError::store(e, ROUTE))?;
    Ok(document(&StatusDocument { posts }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_read_in_order_and_bounded() {
        let urls = asked_urls(Some(
            "url=https%3A%2F%2Fx.com%2Fa%2Fstatus%2F1&url=https://www.instagram.com/p/A/?x=1",
        ))
        .expect("two urls");
        let read = |u: &str| (u.to_owned(), u.to_owned());
        assert_eq!(
            urls,
            [
                read("https://x.com/a/status/1"),
                read("https://www.instagram.com/p/A/?x=1")
            ]
        );
        let e = asked_urls(None).expect_err("none");
        assert_eq!(e.status(), axum::http::StatusCode::BAD_REQUEST);
        let e = asked_urls(Some("url=https://x.com/a/status/1&status=gone"))
            .expect_err("unknown parameter");
        assert_eq!(e.document().error.input, "status");
        let many = vec!["url=https://x.com/a/status/1"; MAX_STATUS_URLS + 1].join("&");
        assert!(asked_urls(Some(&many)).is_err());
        let fifty = vec!["url=https://x.com/a/status/1"; MAX_STATUS_URLS].join("&");
        assert_eq!(
            asked_urls(Some(&fifty)).map(|u| u.len()),
            Ok(MAX_STATUS_URLS)
        );
        let long = format!("url=https://x.com/{}", "a".repeat(MAX_URL_BYTES));
        assert!(asked_urls(Some(&long)).is_err());
    }

    /// A URL without its scheme is read as https, as `show` reads it, and answered under the
    /// URL as asked (the page script matches answers to embeds by it).
    #[test]
    fn urls_without_a_scheme_are_read_as_https() {
        let urls = asked_urls(Some("url=x.com%2Fuser%2Fstatus%2F123")).expect("one url");
        assert_eq!(
            urls,
            [(
                "x.com/user/status/123".to_owned(),
                "https://x.com/user/status/123".to_owned()
            )]
        );
    }

    /// A URL that is no http(s) URL is the client's mistake: 400 naming it, not "not archived".
    #[test]
    fn a_malformed_url_is_a_bad_request_naming_it() {
        for bad in [
            "javascript:alert(1)",
            "nonsense",
            "https://",
            "ftp://x.com/a",
        ] {
            let mut q = url::form_urlencoded::Serializer::new(String::new());
            q.append_pair("url", "https://x.com/a/status/1");
            q.append_pair("url", bad);
            let e = asked_urls(Some(&q.finish())).expect_err(bad);
            assert_eq!(e.status(), axum::http::StatusCode::BAD_REQUEST, "{bad}");
            let doc = e.document();
            assert_eq!(
                (doc.error.kind, doc.error.input.as_str()),
                ("bad-request", bad)
            );
        }
    }
}
