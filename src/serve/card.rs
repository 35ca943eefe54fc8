//! `GET /v1/posts/{id}/card`: a post's fallback card, the self-contained HTML fragment that
//! `render` makes from its latest snapshot; and the card maker `GET /oembed` wraps.

use axum::body::Body;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use super::ServeState;
use super::card_cache::Card;
use super::error::ApiError;
use super::etag::not_modified;
use crate::render::{self, CardInput};
use crate::store::{Store, StoreError};

pub(super) async fn card(
    State(state): State<ServeState>,
    id: Result<Path<String>, PathRejection>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = super::posts::post_id(id, &uri)?;
    let card = state
        .reader()
        .call_point({
            let state = state.clone();
            move |store| card_bytes(&state, store, id)
        })
        .await
        .map_err(|e| ApiError::store(e, id.to_string()))?;
    // A client that has this card (a browser past its minute, a CDN) gets 304 without it.
    let mut response = if not_modified(&headers, card.tag()) {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        r
    } else {
        let mut r = card.html.into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        r
    };
    let h = response.headers_mut();
    h.insert(header::ETAG, card.etag);
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    // A card is text and pictures of somebody else's post: opened on its own or framed, it may
    // run nothing and load nothing but its images, whatever a caption managed to smuggle in
    // (and, as every answer, is read as no other type: `nosniff` in `router`).
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CARD_CSP),
    );
    Ok(response)
}

/// What a card opened as a document may load: its own inline style and its images.
const CARD_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: http:; base-uri 'none'; form-action 'none'";

/// The card of post `id`: the kept one while the archive gives the stamp it was made from,
/// else rendered from the latest snapshot and kept.
fn card_bytes(state: &ServeState, store: &Store, id: i64) -> Result<Card, StoreError> {
    let stamp = store.card_stamp(id)?;
    if let Some(card) = state.cards().get(id, &stamp) {
        return Ok(card);
    }
    let snapshot = store.latest_snapshot(id)?;
    // Without a snapshot the card shows what the article's embed code said of the post.
    let embeds = match snapshot {
        Some(_) => Vec::new(),
        None => store.post_embeds(id)?,
    };
    // A snapshot written between the two reads is newer than the stamp says: render it, but
    // keep it only under the stamp it belongs to, which the next request reads anyway.
    let card = Card::new(Bytes::from(render::card(&CardInput {
        post: &stamp.post,
        snapshot: snapshot.as_ref(),
        media_base: state.media_base(),
        archived_on: None,
        markup: render::markup_of(&embeds),
    })));
    if stamp.names(snapshot.as_ref()) {
        state.cards().put(id, stamp, card.clone());
    }
    Ok(card)
}

/// `GET /oembed?url=POST_URL`: an oEmbed 1.0 `rich` answer whose `html` is the post's card.
pub(super) async fn oembed(
    State(state): State<ServeState>,
    query: Result<Query<super::oembed::OembedQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let for_card = state.clone();
    super::oembed::answer(State(state), query, move |view, embeds| {
        // An oEmbed card is shown on the consumer's own site, where a relative `/v1/media/`
        // address names nothing: without a public base URL it carries no image.
        let media_base = match for_card.public_base_url() {
            Some(_) => for_card.media_base(),
            None => "",
        };
        render::card(&CardInput {
            post: &view.post,
            snapshot: view.snapshots.first(),
            media_base,
            archived_on: None,
            markup: render::markup_of(embeds),
        })
    })
    .await
}
