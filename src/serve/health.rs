//! `GET /healthz`: 200 `ok` when the archive answers a trivial read and, where this process
//! writes it (the daemon, or `serve` with the write route), its last writes did not fail on the
//! file (a full disk, a file turned read-only); else 503 with the JSON error (whatever the
//! reason; the log says which). A service that can read but no longer write would otherwise
//! look healthy while it archives nothing. Never cached.

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
    if let Some(tally) = state.tally()
        && !tally.writable()
    {
        tracing::warn!(
            "health check: the archive cannot be written: {}",
            tally.last_error().unwrap_or_default()
        );
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

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    use super::super::{ServeState, metrics_router, router};
    use crate::model::ArticleRecord;
    use crate::store::{StoreError, StoreHandles};

    fn article(n: usize) -> ArticleRecord {
        ArticleRecord {
            url: format!("https://news.example/{n}/{}", "a".repeat(2000)),
            final_url: None,
            title: Some("t".repeat(2000)),
            fetched_at: chrono::Utc::now(),
            http_status: Some(200),
            error: None,
            sha256: None,
            error_lasts: false,
        }
    }

    async fn answer(app: axum::Router, path: &str) -> (StatusCode, String) {
        let request = Request::builder()
            .uri(path)
            .body(Body::empty())
            .expect("request");
        let response = app.oneshot(request).await.expect("answer");
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    /// The archive's file stops growing (a full disk): reads still work, but `/healthz` says
    /// the service is unwell and `/metrics` says why, until a write commits again.
    #[tokio::test(flavor = "multi_thread")]
    async fn a_writer_that_cannot_write_makes_the_service_unhealthy() {
        let dir = tempfile::tempdir().expect("tmp");
        let store = StoreHandles::open(&dir.path().join("a.db"))
            .await
            .expect("open");
        let state = ServeState::new(
            store.reader.clone(),
            None,
            Some(store.writer.tally()),
            None,
            crate::config::ServeConfig::default().media_cache_bytes(),
        )
        .expect("state");
        assert_eq!(
            answer(router(state.clone()), "/healthz").await.0,
            StatusCode::OK
        );

        store.writer.call(|s| s.stop_growing()).await.expect("cap");
        let mut failed = None;
        for n in 0..1000 {
            if let Err(e) = store
                .writer
                .call(move |s| s.save_article(&article(n)))
                .await
            {
                failed = Some(e);
                break;
            }
        }
        let failed = failed.expect("the file filled up");
        assert!(failed.is_storage_failure(), "{failed}");
        assert!(matches!(failed, StoreError::Sqlite { .. }), "{failed:?}");

        let (status, body) = answer(router(state.clone()), "/healthz").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        // Reading is unaffected.
        assert_eq!(
            answer(router(state.clone()), "/v1/posts?status=gone")
                .await
                .0,
            StatusCode::OK
        );
        let (_, metrics) = answer(metrics_router(state.clone()), "/metrics").await;
        assert!(
            metrics.contains("embedkeep_archive_writable 0"),
            "{metrics}"
        );
        assert!(
            metrics.contains("embedkeep_archive_write_errors_total 1"),
            "{metrics}"
        );
        assert!(
            metrics.contains("embedkeep_archive_readable 1"),
            "{metrics}"
        );

        // Room again: the next write that commits makes the service healthy.
        store.writer.call(|s| s.grow_again()).await.expect("uncap");
        store
            .writer
            .call(move |s| s.save_article(&article(5000)))
            .await
            .expect("a write after the disk has room");
        assert_eq!(
            answer(router(state.clone()), "/healthz").await.0,
            StatusCode::OK
        );
        let (_, metrics) = answer(metrics_router(state), "/metrics").await;
        assert!(
            metrics.contains("embedkeep_archive_writable 1"),
            "{metrics}"
        );
        assert!(
            metrics.contains("embedkeep_archive_write_errors_total 1"),
            "{metrics}"
        );
    }
}
