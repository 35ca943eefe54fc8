//! The process-wide bound on image decodes. A decode holds up to [`MAX_ALLOC`](super::MAX_ALLOC)
//! bytes and seconds of CPU, so the number running at once is what bounds the daemon's memory,
//! not the number of posts or articles in flight: every decode on the async path goes through
//! one [`DecodeGate`], created once per process and cloned into whoever fetches media.
//!
//! Each decode runs on a blocking thread under a permit of the gate's semaphore and is waited
//! for at most `decode_timeout`. A blocking thread cannot be killed: on timeout the caller gets
//! [`MediaError::Timeout`] while the thread runs on to its end, and it keeps its permit until
//! then, so a decode that ignores the deadline still counts against the bound.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use super::error::MediaError;

/// Default for [`DecodeBounds::max_concurrent_decodes`].
pub const DEFAULT_MAX_CONCURRENT_DECODES: usize = 2;
/// Default for [`DecodeBounds::decode_timeout`].
pub const DEFAULT_DECODE_TIMEOUT: Duration = Duration::from_secs(10);

/// How many decodes may run at once in the process, and how long one is waited for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeBounds {
    /// Decodes running at once; each may hold up to `MAX_ALLOC` bytes. 0 is taken as 1.
    pub max_concurrent_decodes: usize,
    /// How long one decode (and thumbnail) is waited for before its item fails with
    /// [`MediaError::Timeout`].
    pub decode_timeout: Duration,
}

impl Default for DecodeBounds {
    fn default() -> Self {
        DecodeBounds {
            max_concurrent_decodes: DEFAULT_MAX_CONCURRENT_DECODES,
            decode_timeout: DEFAULT_DECODE_TIMEOUT,
        }
    }
}

/// The gate every decode passes: a semaphore of `max_concurrent_decodes` permits and the
/// timeout. Cloning shares the permits; create one per process (from the configuration) and
/// hand clones around.
#[derive(Debug, Clone)]
pub struct DecodeGate {
    bounds: DecodeBounds,
    permits: Arc<Semaphore>,
}

impl DecodeGate {
    /// A gate with its own permits.
    pub fn new(bounds: DecodeBounds) -> DecodeGate {
        let permits = bounds
            .max_concurrent_decodes
            .clamp(1, Semaphore::MAX_PERMITS);
        DecodeGate {
            bounds: DecodeBounds {
                max_concurrent_decodes: permits,
                ..bounds
            },
            permits: Arc::new(Semaphore::new(permits)),
        }
    }

    /// The bounds in force (`max_concurrent_decodes` as clamped).
    pub fn bounds(&self) -> DecodeBounds {
        self.bounds
    }

    /// Permits free right now (decodes that could start without waiting).
    pub fn available_permits(&self) -> usize {
        self.permits.available_permits()
    }

    /// Run `work` on a blocking thread once a permit is free, and wait for it at most the
    /// timeout. Errors name `url`. Waiting for a permit does not count against the timeout.
    pub(crate) async fn run<T, F>(&self, url: &str, work: F) -> Result<T, MediaError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|e| MediaError::Worker {
                url: url.to_owned(),
                message: e.to_string(),
            })?;
        let task = tokio::task::spawn_blocking(move || {
            // Moved in, so it is released when the work ends (or unwinds), not when the
            // caller stops waiting.
            let _permit = permit;
            work()
        });
        match tokio::time::timeout(self.bounds.decode_timeout, task).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err(MediaError::Worker {
                url: url.to_owned(),
                message: e.to_string(),
            }),
            // Dropping the join handle detaches the thread; it cannot be stopped.
            Err(_) => Err(MediaError::Timeout {
                url: url.to_owned(),
                after: self.bounds.decode_timeout,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Instant;

    use super::*;

    fn gate(max_concurrent_decodes: usize, decode_timeout: Duration) -> DecodeGate {
        DecodeGate::new(DecodeBounds {
            max_concurrent_decodes,
            decode_timeout,
        })
    }

    #[tokio::test]
    async fn concurrent_decodes_are_bounded_by_the_gate() {
        let gate = gate(2, Duration::from_secs(30));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..8 {
            let (gate, running, most) = (gate.clone(), running.clone(), most.clone());
            tasks.spawn(async move {
                gate.run(&format!("https://cdn.example/{i}.png"), move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(20));
                    running.fetch_sub(1, Ordering::SeqCst);
                })
                .await
            });
        }
        while let Some(done) = tasks.join_next().await {
            assert!(matches!(done, Ok(Ok(()))), "{done:?}");
        }
        let most = most.load(Ordering::SeqCst);
        assert!((1..=2).contains(&most), "{most} decodes ran at once");
        assert_eq!(gate.available_permits(), 2);
    }

    #[tokio::test]
    async fn a_timed_out_decode_holds_its_permit_until_its_thread_ends() {
        let gate = gate(1, Duration::from_millis(50));
        let started = Instant::now();
        let err = gate
            .run("https://cdn.example/slow.jpg", || {
                std::thread::sleep(Duration::from_millis(400))
            })
            .await
            .expect_err("times out");
        assert!(
            matches!(&err, MediaError::Timeout { url, after }
                if url == "https://cdn.example/slow.jpg" && *after == Duration::from_millis(50)),
            "{err:?}"
        );
        assert!(err.to_string().contains("took longer than 50ms"), "{err}");
        // The thread still runs, and still counts against the bound.
        assert_eq!(gate.available_permits(), 0);
        // The next decode starts only once the timed-out one has really ended.
        let waited = gate
            .run("https://cdn.example/next.jpg", move || started.elapsed())
            .await
            .expect("runs once the permit is back");
        assert!(waited >= Duration::from_millis(400), "{waited:?}");
        assert_eq!(gate.available_permits(), 1);
    }

    #[tokio::test]
    async fn a_panicking_decode_gives_its_permit_back() {
        let gate = gate(1, Duration::from_secs(30));
        let outcome: Result<(), _> = gate
            .run("https://cdn.example/boom.gif", || panic!("decoder bug"))
            .await;
        let err = outcome.expect_err("a worker error");
        assert!(matches!(err, MediaError::Worker { .. }), "{err:?}");
        assert_eq!(gate.available_permits(), 1);
    }

    #[test]
    fn defaults_and_a_zero_bound() {
        let bounds = DecodeBounds::default();
        assert_eq!(bounds.max_concurrent_decodes, 2);
        assert_eq!(bounds.decode_timeout, Duration::from_secs(10));
        let gate = gate(0, Duration::from_secs(1));
        assert_eq!(gate.bounds().max_concurrent_decodes, 1);
        assert_eq!(gate.available_permits(), 1);
    }
}
