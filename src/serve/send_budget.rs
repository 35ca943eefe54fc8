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
                pending: Bytes::new(),
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

/// The most bytes an answer hands the connection at a time.
const CHUNK: usize = 64 * 1024;

/// An answer's body with its share of the budget, given back when the body is dropped: once
/// its last bytes have been taken, or its connection is gone. The bytes are handed out
/// [`CHUNK`] at a time: the connection takes the next only when it has room for it, so the
/// body lasts until the answer is nearly sent. Handed out whole, an answer built in one piece
/// (a rewritten page) would be taken at once into the connection's queue and the body dropped,
/// its share given back while the client had read none of it.
struct Sending {
    body: Body,
    /// Bytes of the inner body's last frame not yet handed out.
    pending: Bytes,
    _share: OwnedSemaphorePermit,
}

impl HttpBody for Sending {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = self.get_mut();
        if this.pending.is_empty() {
            match Pin::new(&mut this.body).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                    Ok(data) => this.pending = data,
                    Err(other) => return Poll::Ready(Some(Ok(other))),
                },
                other => return other,
            }
        }
        let take = this.pending.len().min(CHUNK);
        Poll::Ready(Some(Ok(Frame::data(this.pending.split_to(take)))))
    }

    fn is_end_stream(&self) -> bool {
        self.pending.is_empty() && self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        let inner = self.body.size_hint();
        let pending = self.pending.len() as u64;
        let mut hint = SizeHint::new();
        hint.set_lower(inner.lower() + pending);
        if let Some(upper) = inner.upper() {
            hint.set_upper(upper + pending);
        }
        hint
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

    /// The answer is handed out a chunk at a time, its size told whole beforehand, and its share
    /// is held until the body is let go, however many of its bytes were taken.
    #[tokio::test]
    async fn a_large_answer_is_handed_out_a_chunk_at_a_time() {
        let budget = SendBudget::new(1024 * 1024);
        let answer = get_path(&budget, "/large").await;
        let mut body = answer.into_body();
        assert_eq!(body.size_hint().exact(), Some(300 * 1024));
        let mut sizes = Vec::new();
        while let Some(frame) = body.frame().await {
            let data = frame.expect("frame").into_data().expect("data");
            sizes.push(data.len());
            assert_eq!(
                budget.kib.available_permits(),
                1024 - 300,
                "held while sending"
            );
        }
        assert_eq!(sizes, [CHUNK, CHUNK, CHUNK, CHUNK, 300 * 1024 - 4 * CHUNK]);
        drop(body);
        assert_eq!(
            budget.kib.available_permits(),
            1024,
            "given back once let go"
        );
    }
}
