//! The oEmbed provider (`GET /oembed?url=POST_URL&format=json`): an oEmbed 1.0 `rich` answer
//! whose `html` is the post's fallback card. The card itself is `render`'s; [`answer`] takes the
//! function that makes it, so the route is one line where `serve::router` says:
//!
//! ```text
//! .route("/oembed", get(|state, query| oembed::answer(state, query, render::card)))
//! ```
//!
//! (with `render::card` adapted to `Fn(&PostView) -> String` if its signature differs).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::error::ApiError;
use super::{ServeState, document, posts};
use crate::model::{PostView, StoredEmbed};
use crate::pipeline::{self, LookupError};
use crate::{render, report};

/// The card's box when the consumer sets no `maxwidth`/`maxheight`.
pub const DEFAULT_SIZE: (u32, u32) = (550, 600);
/// Seconds a consumer may cache an answer: as long as the route's `Cache-Control` lets any cache
/// keep it (a minute), so that a post that has gone gets its card within the minute.
pub const CACHE_AGE: u64 = 60;

const ROUTE: &str = "/oembed";

/// The query of an oEmbed request (oEmbed 1.0, section 2.2).
#[derive(Debug, Deserialize)]
pub struct OembedQuery {
    url: Option<String>,
    format: Option<String>,
    #[serde(default, deserialize_with = "blank_as_unsent")]
    maxwidth: Option<u32>,
    #[serde(default, deserialize_with = "blank_as_unsent")]
    maxheight: Option<u32>,
}

/// A bound given as `maxwidth=` with no value: consumers that fill a template send it so when
/// they have none to ask for, so it reads as not sent (`blank::given`, as every route's
/// filters). Any other value must be a number.
fn blank_as_unsent<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let text = Option::<String>::deserialize(d)?;
    match super::blank::given(&text) {
        None => Ok(None),
        Some(n) => n.parse().map(Some).map_err(|_| {
            serde::de::Error::custom(format!("{n:?} is not a size in pixels (a whole number)"))
        }),
    }
}

/// Answer an oEmbed request with the card `card` makes of the archived post: 404 for a post
/// the archive does not hold, 400 for a `url=` that is no http(s) URL, 501 for `format=xml` (as the spec says for an unsupported
/// format).
pub async fn answer(
    State(state): State<ServeState>,
    query: Result<Query<OembedQuery>, QueryRejection>,
    card: impl FnOnce(&PostView, &[StoredEmbed]) -> String,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|r| ApiError::bad_query(&r, ROUTE))?;
    match query.format.as_deref() {
        // `format=` with no value, as templates send it: the default.
        None | Some("json" | "") => {}
        Some(other) => {
            return Err(ApiError::NotImplemented {
                message: format!("format={other:?} is not served; use format=json"),
                input: other.to_owned(),
            });
        }
    }
    let Some(url) = query.url.filter(|u| !u.trim().is_empty()) else {
        return Err(ApiError::bad_request(
            "url= is required: the post's URL",
            ROUTE,
        ));
    };
    let post = posts::post_url(&url)?;
    let view = pipeline::lookup(state.reader(), &post)
        .await
        .map_err(|e| match e {
            LookupError::NotArchived(e) => ApiError::not_found(e.to_string(), url.as_str()),
            LookupError::Store(e) => ApiError::store(e, url.as_str()),
        })?;
    // Without a snapshot the card shows what the articles' embed code said of the post.
    let embeds = if view.snapshots.is_empty() {
        let id = view.post.id;
        state
            .reader()
            .call(move |s| s.post_embeds(id))
            .await
            .map_err(|e| ApiError::store(e, url.as_str()))?
    } else {
        Vec::new()
    };
    // A bound of 0 leaves no room for any card: it is read as no bound, as if not sent.
    let bound = |asked: Option<u32>, default: u32| {
        asked.filter(|&n| n > 0).map_or(default, |n| n.min(default))
    };
    let size = (
        bound(query.maxwidth, DEFAULT_SIZE.0),
        bound(query.maxheight, DEFAULT_SIZE.1),
    );
    // The card is fluid up to 550 px. A consumer that asks for a bound sizes its frame by the
    // answer's size, so the `html` is then held to it, both bounds whichever was asked: a long
    // post's card, or one narrowed to a small width, grows taller than the height reported,
    // and a frame of that height (WordPress's, not scrolling; WordPress always asks) would cut
    // it off. What does not fit scrolls. Asked for none, the `html` is the card alone.
    let asked = query.maxwidth.is_some_and(|n| n > 0) || query.maxheight.is_some_and(|n| n > 0);
    let html = if asked {
        format!(
            "<div style=\"max-width:{}px;max-height:{}px;overflow:auto\">{}</div>",
            size.0,
            size.1,
            card(&view, &embeds)
        )
    } else {
        card(&view, &embeds)
    };
    let doc = report::oembed_document(
        view.snapshots.first(),
        render::author_link(&view.post, view.snapshots.first()),
        html,
        size,
        state.public_base_url().map(str::to_owned),
        CACHE_AGE,
    );
    Ok(document(&doc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ArticleRecord, EmbedKind, EmbedRef, Location, Platform};
    use crate::store::{Store, StoreReader};

    async fn state_with_one_post() -> (tempfile::TempDir, ServeState) {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("a.db");
        let mut store = Store::open(&path).expect("open");
        let article = store
            .save_article(&ArticleRecord {
                url: "https://news.example/a".into(),
                final_url: None,
                title: None,
                fetched_at: chrono::Utc::now(),
                http_status: Some(200),
                error: None,
                sha256: None,
                error_lasts: false,
            })
            .expect("article");
        store
            .save_embed(
                article,
                &EmbedRef {
                    platform: Platform::X,
                    kind: EmbedKind::Post,
                    post_url: "https://x.com/jack/status/20".into(),
                    post_id: Some("20".into()),
                    location: Location::Dom,
                    evidence: "blockquote.twitter-tweet".into(),
                    markup: String::new(),
                    author_name: None,
                    author_handle: None,
                    text: None,
                    published_at: None,
                },
            )
            .expect("embed");
        drop(store);
        let state = ServeState::new(
            StoreReader::new(&path),
            None,
            None,
            Some("https://embeds.example/".into()),
            crate::config::ServeConfig::default().media_cache_bytes(),
        )
        .expect("state");
        (dir, state)
    }

    fn query(q: &str) -> Result<Query<OembedQuery>, QueryRejection> {
        let uri: axum::http::Uri = format!("/oembed?{q}").parse().expect("uri");
        Query::try_from_uri(&uri)
    }

    async fn body(r: Response) -> serde_json::Value {
        let bytes = axum::body::to_bytes(r.into_body(), 1 << 20)
            .await
            .expect("body");
        serde_json::from_slice(&bytes).expect("json")
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn the_answer_is_a_rich_oembed_around_the_card() {
        let (_dir, state) = state_with_one_post().await;
        let r = answer(
            State(state.clone()),
            query("url=https%3A%2F%2Fx.com%2Fjack%2Fstatus%2F20&maxwidth=400"),
            |view, _| format!("<div class=\"card\">{}</div>", view.post.key.post_id),
        )
        .await
        .expect("answer");
        let doc = body(r).await;
        assert_eq!(doc["type"], "rich");
        assert_eq!(doc["version"], "1.0");
        assert_eq!(
            doc["html"],
            "<div style=\"max-width:400px;max-height:600px;overflow:auto\"><div class=\"card\">20</div></div>",
            "a card held to a narrower width scrolls within the height the answer reports"
        );
        assert_eq!(doc["width"], 400);
        assert_eq!(doc["height"], 600);
        assert_eq!(doc["provider_url"], "https://embeds.example");

        let low = answer(
            State(state.clone()),
            query("url=https%3A%2F%2Fx.com%2Fjack%2Fstatus%2F20&maxwidth=200&maxheight=100"),
            |view, _| format!("<div class=\"card\">{}</div>", view.post.key.post_id),
        )
        .await
        .expect("answer");
        let doc = body(low).await;
        assert_eq!(
            doc["html"],
            "<div style=\"max-width:200px;max-height:100px;overflow:auto\"><div class=\"card\">20</div></div>",
            "the card's box is held to the height the answer reports"
        );
        assert_eq!(
            (doc["width"].as_u64(), doc["height"].as_u64()),
            (Some(200), Some(100))
        );

        let unbounded = answer(
            State(state.clone()),
            query("url=https%3A%2F%2Fx.com%2Fjack%2Fstatus%2F20&maxwidth=0&maxheight=0"),
            |_, _| "<p>card</p>".to_owned(),
        )
        .await
        .expect("answer");
        let doc = body(unbounded).await;
        assert_eq!(
            doc["html"], "<p>card</p>",
            "no bound asked, no box around the card"
        );
        assert_eq!(
            (doc["width"].as_u64(), doc["height"].as_u64()),
            (
                Some(u64::from(DEFAULT_SIZE.0)),
                Some(u64::from(DEFAULT_SIZE.1))
            ),
            "a bound of 0 is no bound"
        );

        // WordPress asks for bounds larger than the card's box: the html is held to the size
        // reported, so its frame of that size cuts a long card off nowhere.
        let large = answer(
            State(state.clone()),
            query("url=https%3A%2F%2Fx.com%2Fjack%2Fstatus%2F20&maxwidth=600&maxheight=900"),
            |_, _| "<p>card</p>".to_owned(),
        )
        .await
        .expect("answer");
        assert_eq!(
            body(large).await["html"],
            "<div style=\"max-width:550px;max-height:600px;overflow:auto\"><p>card</p></div>"
        );
        let missing = answer(
            State(state.clone()),
            query("url=https%3A%2F%2Fx.com%2Fjack%2Fstatus%2F21"),
            |_, _| String::new(),
        )
        .await
        .expect_err("not archived");
        assert_eq!(missing.status(), axum::http::StatusCode::NOT_FOUND);
        // Without its scheme, the post is found as `show` finds it.
        let r = answer(
            State(state.clone()),
            query("url=x.com%2Fjack%2Fstatus%2F20"),
            |view, _| view.post.key.post_id.clone(),
        )
        .await
        .expect("a URL without its scheme");
        assert_eq!(body(r).await["html"], "20");
        // A URL that is no http(s) URL is the client's mistake, not a post not archived.
        let bad = answer(
            State(state.clone()),
            query("url=javascript%3Aalert(1)"),
            |_, _| String::new(),
        )
        .await
        .expect_err("not an http URL");
        assert_eq!(bad.status(), axum::http::StatusCode::BAD_REQUEST);
        assert_eq!(bad.document().error.input, "javascript:alert(1)");
        // Parameters sent empty, as templates send them, read as not sent.
        let r = answer(
            State(state.clone()),
            query("url=x.com%2Fjack%2Fstatus%2F20&maxwidth=&maxheight=&format="),
            |view, _| view.post.key.post_id.clone(),
        )
        .await
        .expect("empty parameters");
        assert_eq!(body(r).await["html"], "20");
        let bad = answer(
            State(state.clone()),
            query("url=x.com%2Fjack%2Fstatus%2F20&maxwidth=wide"),
            |_, _| String::new(),
        )
        .await
        .expect_err("a width that is no number");
        assert_eq!(bad.status(), axum::http::StatusCode::BAD_REQUEST);
        assert!(
            bad.document().error.message.contains("\"wide\""),
            "{:?}",
            bad.document().error.message
        );
        let xml = answer(State(state), query("url=x&format=xml"), |_, _| {
            String::new()
        })
        .await
        .expect_err("xml");
        assert_eq!(xml.status(), axum::http::StatusCode::NOT_IMPLEMENTED);
    }
}
