//! `blocking` is the one way the program runs blocking work (SQLite, file reads, HTML parsing,
//! hashing and charset decoding of large bodies, image decoding) from async code: on tokio's
//! blocking pool, so the async workers that drive sockets and timers never stall.
//!
//! A panic in the work becomes a [`BlockingError`] naming what was being done, never a silent
//! success or a crash of the caller.

/// The blocking work did not finish: it panicked, or the runtime is shutting down.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{what} failed: {message}")]
pub struct BlockingError {
    /// What the work was doing, e.g. `discovery of https://example.com/a`.
    pub what: String,
    pub message: String,
}

/// Run `work` on the blocking pool and wait for it. `what` names the work in the error.
pub async fn run<R, F>(what: impl Into<String>, work: F) -> Result<R, BlockingError>
where
    R: Send + 'static,
    F: FnOnce() -> R + Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| BlockingError {
            what: what.into(),
            message: if e.is_panic() {
                "it panicked".into()
            } else {
                e.to_string()
            },
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn returns_the_result() {
        assert_eq!(run("adding", || 2 + 2).await.ok(), Some(4));
    }

    #[tokio::test]
    async fn a_panic_is_an_error_naming_the_work() {
        let err = run("parsing page.html", || -> u8 { panic!("boom") })
            .await
            .expect_err("panic must be an error");
        assert_eq!(err.what, "parsing page.html");
        assert!(err.to_string().contains("parsing page.html"), "{err}");
    }
}
