//! The demo's own pages, served next to the archive's routes: the bundled article as a reader
//! sees it with each kind of fallback, and an index of what to open.
//!
//! - the article as its site served it, with the page script (`/fallback.js`) added: in the
//!   browser the script asks the server about the embeds and swaps the gone one for its card;
//! - the article rewritten on the server (`embedkeep rewrite`'s output, made once at start-up):
//!   the gone post's embed is its card already, the live ones are as the publisher wrote them.
//!
//! Everything else (`/v1/…`, `/oembed`, `/fallback.js`, `/report`, `/healthz`) is the normal
//! serve router, reached through the fallback of this one.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{DOCTYPE, html};

/// The article with the page script.
pub const ARTICLE_PATH: &str = "/demo/article.html";
/// The article rewritten on the server.
pub const REWRITTEN_PATH: &str = "/demo/rewritten.html";
/// What the article gains so that readers' browsers run the fallbacks.
pub const PAGE_SCRIPT_TAG: &str = r#"<script src="/fallback.js" defer></script>"#;

/// One thing to open, as a path on the demo server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub label: &'static str,
    pub path: String,
}

/// The links the demo prints and its index lists, for the post that went away (`gone_id`, its
/// archive id, and `gone_url`, its URL).
pub fn links(gone_id: i64, gone_url: &str) -> Vec<Link> {
    let url: String = url::form_urlencoded::byte_serialize(gone_url.as_bytes()).collect();
    vec![
        Link {
            label: "article with /fallback.js",
            path: ARTICLE_PATH.to_owned(),
        },
        Link {
            label: "article rewritten on the server",
            path: REWRITTEN_PATH.to_owned(),
        },
        Link {
            label: "card of the gone post",
            path: format!("/v1/posts/{gone_id}/card"),
        },
        Link {
            label: "the gone post as JSON",
            path: format!("/v1/posts?url={url}"),
        },
        Link {
            label: "newsroom report",
            path: "/report".to_owned(),
        },
        Link {
            label: "oEmbed answer for the gone post",
            path: format!("/oembed?url={url}&format=json"),
        },
    ]
}

/// The demo pages' bytes, made once.
#[derive(Clone)]
pub struct DemoPages {
    article: Arc<[u8]>,
    rewritten: Arc<[u8]>,
    index: Arc<str>,
}

impl DemoPages {
    /// `article`: the page as its site served it; `rewritten`: the same page rewritten on the
    /// server; `links`: what the index lists.
    pub fn new(article: &[u8], rewritten: Vec<u8>, links: &[Link]) -> DemoPages {
        DemoPages {
            article: with_page_script(article).into(),
            rewritten: rewritten.into(),
            index: index(links).into(),
        }
    }
}

/// `html` with [`PAGE_SCRIPT_TAG`] just before its last `</body>` (at the end when it has none);
/// every other byte as it was.
pub fn with_page_script(html: &[u8]) -> Vec<u8> {
    let lower = html.to_ascii_lowercase();
    let at = lower
        .windows(b"</body".len())
        .rposition(|w| w == b"</body")
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + PAGE_SCRIPT_TAG.len() + 1);
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(PAGE_SCRIPT_TAG.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(&html[at..]);
    out
}

fn index(links: &[Link]) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "embedkeep demo" }
            }
            body {
                h1 { "embedkeep demo" }
                p {
                    "A bundled article was archived from recorded platform answers; one of its "
                    "posts has since gone away. What a reader and an editor see:"
                }
                ul {
                    @for link in links {
                        li { a href=(link.path) { (link.label) } }
                    }
                }
            }
        }
    }
    .into_string()
}

/// The demo pages in front of `api` (the serve router), which answers every other path.
pub fn router(pages: DemoPages, api: Router) -> Router {
    Router::new()
        .route("/", get(index_page))
        .route(ARTICLE_PATH, get(article_page))
        .route(REWRITTEN_PATH, get(rewritten_page))
        .with_state(pages)
        .fallback_service(api)
}

async fn index_page(State(pages): State<DemoPages>) -> Response {
    html_response(pages.index.as_bytes().to_vec())
}

async fn article_page(State(pages): State<DemoPages>) -> Response {
    html_response(pages.article.to_vec())
}

async fn rewritten_page(State(pages): State<DemoPages>) -> Response {
    html_response(pages.rewritten.to_vec())
}

fn html_response(body: Vec<u8>) -> Response {
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_script_goes_before_the_last_body_end_tag() {
        let page = b"<html><body><p>a</p></BODY >\n</html>";
        let out = with_page_script(page);
        let expected = format!("<html><body><p>a</p>{PAGE_SCRIPT_TAG}\n</BODY >\n</html>");
        assert_eq!(String::from_utf8_lossy(&out), expected);
        let bare = with_page_script(b"<p>no body</p>");
        assert_eq!(
            String::from_utf8_lossy(&bare),
            format!("<p>no body</p>{PAGE_SCRIPT_TAG}\n")
        );
    }

    #[test]
    fn links_encode_the_post_url_in_queries() {
        let links = links(7, "https://x.com/jack/status/20");
        let paths: Vec<&str> = links.iter().map(|l| l.path.as_str()).collect();
        assert!(paths.contains(&"/v1/posts/7/card"), "{paths:?}");
        assert!(
            paths.contains(&"/v1/posts?url=https%3A%2F%2Fx.com%2Fjack%2Fstatus%2F20"),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"/oembed?url=https%3A%2F%2Fx.com%2Fjack%2Fstatus%2F20&format=json"),
            "{paths:?}"
        );
    }
}
