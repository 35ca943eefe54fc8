//! `GET /v1/posts/{id}/card`: a post's fallback card, the self-contained HTML fragment that
//! `render` makes from its latest snapshot; and the card maker `GET /oembed` wraps.

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::ServeState;
use super::error::ApiError;
use crate::model::PostView;
use crate::render::{self, CardInput};

/// Where a card's images are served from: this server's media route.
fn media_base(state: &ServeState) -> String {
    format!(
        "{}/v1/media/",
        state.public_base_url().unwrap_or("").trim_end_matches('/')
    )
}

/// The card of a post as looked up (its newest snapshot).
pub(super) fn card_of(state: &ServeState, view: &PostView) -> String {
    let base = media_base(state);
    render::card(&CardInput {
        post: &view.post,
        snapshot: view.snapshots.first(),
        media_base: &base,
        archived_on: None,
    })
}

pub(super) async fn card(
    State(state): State<ServeState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let raw = id.map(|Path(id)| id).unwrap_or_default();
    let Ok(id) = raw.parse::<i64>() else {
        return Err(ApiError::not_found(
            format!("{raw:?} is not a post id"),
            raw,
        ));
    };
    let (post, snapshot) = state
        .reader()
        .call_point(move |s| Ok((s.post(id)?, s.latest_snapshot(id)?)))
        .await
        .map_err(|e| ApiError::store(e, id.to_string()))?;
    let base = media_base(&state);
    let html = render::card(&CardInput {
        post: &post,
        snapshot: snapshot.as_ref(),
        media_base: &base,
        archived_on: None,
    });
    let mut response = html.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    Ok(response)
}

/// `GET /oembed?url=POST_URL`: an oEmbed 1.0 `rich` answer whose `html` is the post's card.
pub(super) async fn oembed(
    State(state): State<ServeState>,
    query: Result<Query<super::oembed::OembedQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let for_card = state.clone();
    super::oembed::answer(State(state), query, move |view| card_of(&for_card, view)).await
}
