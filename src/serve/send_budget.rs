//! Answers being sent, bounded in bytes across all connections. An answer is built whole before
//! it is sent, and the connection keeps it until the client has read it: a client that asks for
//! a large answer (a post whose text runs to megabytes, a listing holding it) and then reads
//! nothing would have the server hold one copy per connection. So each answer of
//! [`LARGE_ANSWER`] bytes or more takes its size from a shared budget until it has been sent or
//! its connection is cut (the listener cuts a connection whose client has read nothing for
//! [`WRITE_STALL_TIMEOUT`](super::listen::WRITE_STALL_TIMEOUT)). When the budget is spent, the
//! answer is dropped at once and the client is asked to come back (503 `unavailable`, with
//! `Retry-After`); smaller answers, the kernel's socket buffers hold.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper::body::{Frame, SizeHint};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::body_budget::readable;
use super::error::ApiError;

/// The bytes of large answers being sent at once, over all connections.
pub const SEND_BUDGET: usize = 64 * 1024 * 1024;
/// Answers from this size up take their size from the budget.
pub const LARGE_ANSWER: u64 = 256 * 1024;
/// How long a client turned away is asked to wait.
const RETRY_AFTER_SECS: u64 = 5;

/// The budget, counted in KiB (a semaphore counts in `u32`).
#[derive(Debug, Clone)]
pub struct SendBudget {
    kib: Arc<Semaphore>,
    total_kib: u32,
}

impl SendBudget {
    pub fn new(bytes: usize) -> SendBudget {
        let total_kib = u32::try_from(bytes / 1024).unwrap_or(u32::MAX).max(1);
        SendBudget {
            kib: Arc::new(Semaphore::new(total_kib as usize)),
            total_kib,
        }
    }
}

/// The middleware: a large answer is sent with its share of the budget, or not at all.
pub async fn limit(State(budget): State<SendBudget>, request: Request, next: Next) -> Response {
    // Kept as it came (a cheap clone of shared bytes): written out only for a refusal.
    let uri = request.uri().clone();
    let response = next.run(request).await;
    let Some(size) = response.body().size_hint().exact() else {
        return response;
    };
    if size < LARGE_ANSWER {
        return response;
    }
    // An answer larger than the whole budget is sent alone.
    let kib = u32::try_from(size.div_ceil(1024))
        .unwrap_or(u32::MAX)
        .min(budget.total_kib);
    match Arc::clone(&budget.kib).try_acquire_many_owned(kib) {
        Ok(share) => response.map(|body| {
            Body::new(Sending {
                body,
                _share: share,
            })
        }),
        Err(_) => {
            drop(response);
            let input = uri.to_string();
            tracing::warn!(
                input,
                size,
                "a large answer was not sent: the send budget is spent by answers other clients are still reading"
            );
            ApiError::Overloaded {
                message: format!(
                    "{} of answers are being sent to other clients; ask again shortly",
                    readable(budget.total_kib as usize * 1024)
                ),
                retry_after: RETRY_AFTER_SECS,
                input,
            }
            .into_response()
        }
    }
}

/// An answer's body with its share of the budget, given back when the body is dropped: once
/// it has been sent, or its connection is gone.
struct Sending {
    body: Body,
    _share: OwnedSemaphorePermit,
}

impl HttpBody for Sending {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::routing::get;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    fn app(budget: &SendBudget) -> Router {
        Router::new()
            .route("/large", get(|| async { "x".repeat(300 * 1024) }))
            .route("/small", get(|| async { "x".repeat(1024) }))
            .layer(axum::middleware::from_fn_with_state(budget.clone(), limit))
    }

    async fn get_path(budget: &SendBudget, path: &str) -> Response {
        let request = Request::builder()
            .uri(path)
            .body(Body::empty())
            .expect("request");
        app(budget).oneshot(request).await.expect("answer")
    }

    /// Two large answers do not fit a budget of 400 KiB: the second is turned away while the
    /// first is unread, small answers pass, and once the first is read the budget is back.
    #[tokio::test]
    async fn large_answers_share_the_budget_until_they_are_read() {
        let budget = SendBudget::new(400 * 1024);
        let first = get_path(&budget, "/large").await;
        assert_eq!(first.status(), 200);
        let second = get_path(&budget, "/large").await;
        assert_eq!(second.status(), 503);
        assert_eq!(second.headers()["retry-after"], "5");
        assert_eq!(get_path(&budget, "/small").await.status(), 200);
        let body = first.into_body().collect().await.expect("body").to_bytes();
        assert_eq!(body.len(), 300 * 1024);
        assert_eq!(get_path(&budget, "/large").await.status(), 200);
        // A budget smaller than one answer still sends it, alone.
        let tight = SendBudget::new(100 * 1024);
        let alone = get_path(&tight, "/large").await;
        assert_eq!(alone.status(), 200);
        assert_eq!(get_path(&tight, "/large").await.status(), 503);
    }
}
