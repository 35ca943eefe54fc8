//! Request bodies held in memory, bounded in bytes across all requests: a body is read frame by
//! frame, and each frame takes as many bytes from a shared budget as it holds before it is kept.
//!
//! A route that must read a whole body before it can work (`POST /v1/rewrite` reads an article
//! of up to 60 MiB) could otherwise be made to hold a body per connection. Counting what has
//! arrived, not what a client declares, means a client that stalls mid-upload holds only the
//! bytes it sent, and one that sends nothing holds nothing: a stalled upload cannot stop other
//! requests from being read, as a turn taken before the body would.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody as _};
use http_body_util::BodyExt;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Why a body was not read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(super) enum BodyError {
    /// The body is longer than the route's limit (declared or sent).
    #[error("the body is larger than {}", readable(*limit))]
    TooLarge { limit: usize },
    /// The budget stayed spent by other bodies for the whole wait.
    #[error("{} of bodies are held already and none was let go within {}s", readable(*budget), wait.as_secs())]
    Busy { budget: usize, wait: Duration },
    /// The client's stream failed (it closed the connection mid-body, say).
    #[error("the body could not be read: {0}")]
    Read(String),
}

/// A size as people read it: in MiB from one MiB up (to a tenth, when not whole), in KiB from
/// one KiB up, else in bytes.
pub(super) fn readable(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * KIB;
    let (unit, name) = match bytes {
        b if b >= MIB => (MIB, "MiB"),
        b if b >= KIB => (KIB, "KiB"),
        _ => return format!("{bytes} bytes"),
    };
    // Sizes here are far below 2^53 bytes: the division is exact enough.
    let amount = format!("{:.1}", bytes as f64 / unit as f64);
    format!("{} {name}", amount.trim_end_matches(".0"))
}

/// The bytes a body may hold together with the other bodies of the same budget.
#[derive(Debug, Clone)]
pub(super) struct BodyBudget {
    bytes: Arc<Semaphore>,
    size: usize,
}

/// A body read whole, and its share of the budget: the share is given back when this is
/// dropped, so keep it for as long as the bytes (or what is made from them) are in memory.
#[derive(Debug)]
pub(super) struct HeldBody {
    pub bytes: Bytes,
    _share: Option<OwnedSemaphorePermit>,
}

impl BodyBudget {
    /// A budget of `size` bytes.
    pub(super) fn new(size: usize) -> BodyBudget {
        let size = size.min(Semaphore::MAX_PERMITS);
        BodyBudget {
            bytes: Arc::new(Semaphore::new(size)),
            size,
        }
    }

    /// Read `body` whole: at most `limit` bytes (one that says it is longer, by its
    /// `Content-Length`, is refused before a byte is read), each frame waiting up to `wait` for
    /// its bytes of the budget.
    pub(super) async fn read(
        &self,
        body: Body,
        limit: usize,
        wait: Duration,
    ) -> Result<HeldBody, BodyError> {
        // A body's least length is its `Content-Length` when it has one, else 0.
        if body.size_hint().lower() > limit as u64 {
            return Err(BodyError::TooLarge { limit });
        }
        let mut body = body;
        let mut kept: Vec<u8> = Vec::new();
        let mut share: Option<OwnedSemaphorePermit> = None;
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| BodyError::Read(e.to_string()))?;
            // Trailers hold no page bytes.
            let Ok(data) = frame.into_data() else {
                continue;
            };
            if kept.len() + data.len() > limit {
                return Err(BodyError::TooLarge { limit });
            }
            let n = u32::try_from(data.len()).map_err(|_| BodyError::TooLarge { limit })?;
            let more = Arc::clone(&self.bytes).acquire_many_owned(n);
            let more = match tokio::time::timeout(wait, more).await {
                Ok(Ok(more)) => more,
                // Never closed; were it, no body could be read again, which is being busy.
                Ok(Err(_)) | Err(_) => {
                    return Err(BodyError::Busy {
                        budget: self.size,
                        wait,
                    });
                }
            };
            match share.as_mut() {
                Some(share) => share.merge(more),
                None => share = Some(more),
            }
            kept.extend_from_slice(&data);
        }
        Ok(HeldBody {
            bytes: Bytes::from(kept),
            _share: share,
        })
    }

    /// Bytes of the budget not held by any body now.
    #[cfg(test)]
    fn free(&self) -> usize {
        self.bytes.available_permits()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::convert::Infallible;

    use futures_util::StreamExt;
    use tokio::sync::mpsc;

    const WAIT: Duration = Duration::from_millis(200);

    /// A body whose frames are sent by the test, as a client uploads them; it ends when the
    /// sender is dropped.
    fn uploading() -> (mpsc::UnboundedSender<&'static [u8]>, Body) {
        let (send, receive) = mpsc::unbounded_channel::<&'static [u8]>();
        let frames = futures_util::stream::unfold(receive, |mut receive| async move {
            let frame = receive.recv().await?;
            Some((Ok::<_, Infallible>(Bytes::from_static(frame)), receive))
        });
        (send, Body::from_stream(frames.boxed()))
    }

    /// A body that says it is this many bytes long, as one with a `Content-Length` does, and
    /// ends without sending any.
    struct Declared(u64);

    impl hyper::body::Body for Declared {
        type Data = Bytes;
        type Error = Infallible;

        fn poll_frame(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, Infallible>>> {
            std::task::Poll::Ready(None)
        }

        fn size_hint(&self) -> hyper::body::SizeHint {
            hyper::body::SizeHint::with_exact(self.0)
        }
    }

    #[tokio::test]
    async fn a_body_holds_its_bytes_of_the_budget_until_it_is_dropped() {
        let budget = BodyBudget::new(100);
        let held = budget
            .read(Body::from("0123456789"), 50, WAIT)
            .await
            .expect("read");
        assert_eq!(&held.bytes[..], b"0123456789");
        assert_eq!(budget.free(), 90);
        drop(held);
        assert_eq!(budget.free(), 100);
    }

    #[tokio::test]
    async fn a_stalled_upload_holds_only_what_it_sent() {
        let budget = BodyBudget::new(100);
        let (send, body) = uploading();
        send.send(b"0123456789").expect("send");
        let stalled = tokio::spawn({
            let budget = budget.clone();
            async move { budget.read(body, 60, WAIT).await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(budget.free(), 90, "ten bytes have arrived");
        // Another body is read meanwhile, in full.
        let other = budget
            .read(Body::from(vec![b'x'; 80]), 80, WAIT)
            .await
            .expect("a second body, beside the stalled one");
        assert_eq!(other.bytes.len(), 80);
        drop(other);
        send.send(b"abc").expect("send");
        drop(send);
        let held = stalled.await.expect("task").expect("the rest arrives");
        assert_eq!(&held.bytes[..], b"0123456789abc");
        assert_eq!(budget.free(), 87);
    }

    #[tokio::test]
    async fn a_body_waits_for_the_budget_then_is_busy() {
        let budget = BodyBudget::new(20);
        let first = budget
            .read(Body::from(vec![b'a'; 15]), 20, WAIT)
            .await
            .expect("first");
        let refused = budget
            .read(Body::from(vec![b'b'; 10]), 20, WAIT)
            .await
            .expect_err("no room for ten more bytes");
        assert_eq!(
            refused,
            BodyError::Busy {
                budget: 20,
                wait: WAIT
            }
        );
        assert!(
            refused.to_string().contains("20 bytes of bodies"),
            "{refused}"
        );
        // The route's budget, in the unit people read it in.
        let route = BodyError::Busy {
            budget: 120 * 1024 * 1024,
            wait: WAIT,
        };
        assert!(
            route.to_string().starts_with("120 MiB of bodies are held"),
            "{route}"
        );
        // Freed in time, the wait ends in a read.
        let second = tokio::spawn({
            let budget = budget.clone();
            async move {
                budget
                    .read(Body::from(vec![b'b'; 10]), 20, Duration::from_secs(5))
                    .await
            }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        drop(first);
        let second = second.await.expect("task").expect("read once freed");
        assert_eq!(second.bytes.len(), 10);
    }

    #[tokio::test]
    async fn bodies_over_the_limit_are_refused_declared_or_sent() {
        let budget = BodyBudget::new(100);
        let declared = budget
            .read(Body::new(Declared(51)), 50, WAIT)
            .await
            .expect_err("declared over the limit");
        assert_eq!(declared, BodyError::TooLarge { limit: 50 });
        let sent = budget
            .read(Body::from(vec![b'x'; 51]), 50, WAIT)
            .await
            .expect_err("sent over the limit");
        assert_eq!(sent, BodyError::TooLarge { limit: 50 });
        assert_eq!(budget.free(), 100, "a refused body holds nothing");
    }

    #[test]
    fn sizes_are_written_in_the_unit_people_read() {
        assert_eq!(readable(20), "20 bytes");
        assert_eq!(readable(64 * 1024), "64 KiB");
        assert_eq!(readable(60 * 1024 * 1024), "60 MiB");
        assert_eq!(readable(1536 * 1024), "1.5 MiB");
        assert_eq!(
            BodyError::TooLarge {
                limit: 60 * 1024 * 1024
            }
            .to_string(),
            "the body is larger than 60 MiB"
        );
    }
}
