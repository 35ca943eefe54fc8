//! `GET /healthz`: 200 `ok` when the archive answers a trivial read, else 503 with the JSON
//! error (whatever the reason; the log says which). Never cached.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::ServeState;
use super::error::ApiError;

const ROUTE: &str = "/healthz";

/// `GET /healthz`.
pub(super) async fn healthz(State(state): State<ServeState>) -> Result<Response, ApiError> {
    if let Err(e) = state.reader().call(|s| s.ping()).await {
        tracing::warn!("health check: the archive cannot be read: {e}");
        return Err(ApiError::Unavailable {
            input: ROUTE.to_owned(),
        });
    }
    let mut response = "ok\n".into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
