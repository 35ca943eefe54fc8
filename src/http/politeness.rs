//! Per-host politeness: a concurrency cap and a minimum interval between request starts, under a
//! global cap on requests in flight (so a daemon with many hosts to visit stays a good citizen of
//! its own network and file-descriptor limits).
//!
//! Platforms rate-limit and block crawlers that hammer them, so every request to a host first
//! takes a [`HostPermit`] here. Keys are logical hosts (`www.instagram.com`, never an override
//! target), so a fixture server standing in for several platforms is paced per platform, exactly
//! as production would be. This module never sleeps when the interval is zero.
//!
//! A host that answered 429 is held ([`HostPermit::hold`]): until its hold ends, a request to it
//! is refused here, on arrival or once it reaches the front of the host's queue, and nothing is
//! sent. The requests already queued behind the one that met the limit would otherwise each
//! ask a host that has just said to stop, which lengthens the limit and gets crawlers banned.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Mutex as AsyncMutex, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use crate::config::PolitenessConfig;

/// How long a host is held after a 429 that does not say (no `Retry-After`, or one we cannot
/// read). The daemon's first cool-down of a platform after a 429 lasts at least this long
/// (`schedule::backoff`'s first retry), so its first ask after a lone 429 is sent rather than
/// refused here and counted as another rate limit; a platform that keeps answering 429 is
/// left alone longer by that pacing, above this module.
pub const DEFAULT_HOLD: Duration = Duration::from_secs(30);
/// The longest hold, whatever `Retry-After` asks: a misconfigured or hostile server must not
/// switch a host off for a daemon's whole life. The daemon asks again after it, and a host
/// still limited answers 429 again, which starts a new hold.
pub const LONGEST_HOLD: Duration = Duration::from_secs(3600);

/// Past this many known hosts, idle ones are forgotten so a long-running daemon that meets
/// many article hosts does not grow the table forever.
const PRUNE_ABOVE: usize = 1024;

/// The gate of one host.
#[derive(Debug)]
struct HostGate {
    slots: Arc<Semaphore>,
    /// When the last request to this host started. Held across the interval sleep so starts
    /// are spaced out in arrival order.
    last_start: AsyncMutex<Option<Instant>>,
    /// Until when the host asked us to wait, and the status it asked with (a 429, or a 503
    /// with `Retry-After`). Never held across an await.
    held_until: Mutex<Option<(Instant, u16)>>,
}

impl HostGate {
    fn new(concurrency: usize) -> Self {
        HostGate {
            slots: Arc::new(Semaphore::new(concurrency)),
            last_start: AsyncMutex::new(None),
            held_until: Mutex::new(None),
        }
    }

    /// True while forgetting this gate would break a rule: a request holds or awaits it, the
    /// last start is recent enough that the next one must still wait, or the host is held (a
    /// fresh gate would let the next request ask it at once).
    fn is_busy(self: &Arc<Self>, interval: Duration) -> bool {
        if Arc::strong_count(self) > 1 || self.held().is_some() {
            return true;
        }
        match self.last_start.try_lock() {
            Ok(last) => last.is_some_and(|at| at.elapsed() < interval),
            Err(_) => true,
        }
    }

    /// How much longer the host is held, and after which status, if it is. A hold whose time
    /// is up is cleared, so a gate keeps no trace of it and can be forgotten like any idle one.
    fn held(&self) -> Option<Held> {
        let mut held = self
            .held_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        match *held {
            Some((until, status)) if until > now => Some(Held {
                wait: until - now,
                status,
            }),
            Some(_) => {
                *held = None;
                None
            }
            None => None,
        }
    }

    /// `Err` while the host is held: the request must not be sent.
    fn check_held(&self) -> Result<(), Held> {
        match self.held() {
            Some(held) => Err(held),
            None => Ok(()),
        }
    }
}

/// A request refused because its host is held: `wait` is how long the hold still lasts, and
/// `status` what the host answered to start it (429, or 503 with `Retry-After`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub wait: Duration,
    pub status: u16,
}

/// Held for the duration of one request; dropping it frees the host's slot.
#[derive(Debug)]
pub struct HostPermit {
    _slot: Option<OwnedSemaphorePermit>,
    _global: Option<OwnedSemaphorePermit>,
    /// Keeps the gate in the table while the request runs, so pruning cannot replace it with
    /// a fresh gate whose slots are all free.
    gate: Arc<HostGate>,
}

impl HostPermit {
    /// The host answered this request with `status` (429, or 503 with `Retry-After`): hold it
    /// for `wait` from now. A hold already running for longer is kept (a request that was in
    /// flight alongside may bring a shorter `Retry-After` than the answer that started the
    /// hold). Called while the permit is still held, so the requests queued for the host's slot
    /// see the hold when they get it.
    pub fn hold(&self, wait: Duration, status: u16) {
        let until = Instant::now() + wait;
        let mut held = self
            .gate
            .held_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if held.is_none_or(|(current, _)| current < until) {
            *held = Some((until, status));
        }
    }
}

/// How long to hold a host that answered 429 with this `Retry-After` value at `now`: the
/// seconds or HTTP date it gives (a date already past holds for nothing), at most
/// [`LONGEST_HOLD`]; [`DEFAULT_HOLD`] without one, or for one that is neither.
pub fn hold_for(retry_after: Option<&str>, now: DateTime<Utc>) -> Duration {
    asked_hold(retry_after, now).unwrap_or(DEFAULT_HOLD)
}

/// The wait a `Retry-After` value asks for at `now`, at most [`LONGEST_HOLD`]; `None` without
/// a readable one.
fn asked_hold(retry_after: Option<&str>, now: DateTime<Utc>) -> Option<Duration> {
    retry_after
        .and_then(|value| super::response::retry_after(value, now))
        .map(|asked| asked.min(LONGEST_HOLD))
}

/// How long to hold a host that answered 503 with this `Retry-After` value at `now`: the
/// seconds or HTTP date it gives, at most [`LONGEST_HOLD`]. Without one (or with one that is
/// neither, or a date already past) a 503 is a server error like any other, and holds nothing.
pub fn unavailable_hold_for(retry_after: Option<&str>, now: DateTime<Utc>) -> Option<Duration> {
    asked_hold(retry_after, now).filter(|asked| !asked.is_zero())
}

/// The per-host gates of one client.
#[derive(Debug)]
pub struct Politeness {
    concurrency: usize,
    in_flight: Arc<Semaphore>,
    interval: Duration,
    hosts: Mutex<HashMap<String, Arc<HostGate>>>,
}

impl Politeness {
    pub fn new(config: &PolitenessConfig) -> Self {
        Politeness {
            // Zero would block every request forever. A config file with 0 is refused when it
            // is loaded; this keeps a config built in code from hanging.
            concurrency: config.per_host_concurrency.max(1),
            in_flight: Arc::new(Semaphore::new(config.max_in_flight.max(1))),
            interval: config.per_host_interval,
            hosts: Mutex::new(HashMap::new()),
        }
    }

    fn gate(&self, host: &str) -> Arc<HostGate> {
        // The map is only touched for a lookup or insert, never across an await, so a plain
        // mutex is right; a poisoned map is still a valid map.
        let mut hosts = self.hosts.lock().unwrap_or_else(PoisonError::into_inner);
        if hosts.len() > PRUNE_ABOVE {
            let interval = self.interval;
            hosts.retain(|_, gate| gate.is_busy(interval));
        }
        hosts
            .entry(host.to_ascii_lowercase())
            .or_insert_with(|| Arc::new(HostGate::new(self.concurrency)))
            .clone()
    }

    /// How much longer `host` is held after a 429 (or a 503 with `Retry-After`), if it is.
    /// Looks the host up without adding it to the table.
    pub fn held_for(&self, host: &str) -> Option<Duration> {
        let gate = self
            .hosts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&host.to_ascii_lowercase())
            .cloned()?;
        gate.held().map(|held| held.wait)
    }

    /// Wait until a request to `host` may start; `Err` at once, without waiting, while the
    /// host is held after a 429, and `Err` when the host became held while this request
    /// waited its turn.
    pub async fn acquire(&self, host: &str) -> Result<HostPermit, Held> {
        let gate = self.gate(host);
        gate.check_held()?;
        // The semaphore is never closed; should that change, going ahead unthrottled beats
        // failing every request.
        let slot = gate.slots.clone().acquire_owned().await.ok();
        // The request ahead of this one may have met the 429: checked again before anything
        // else is taken, so a refused request holds no global slot.
        gate.check_held()?;
        // The host's own slot first: a request waiting for a busy host holds no global slot.
        let global = self.in_flight.clone().acquire_owned().await.ok();
        if self.interval.is_zero() {
            gate.check_held()?;
        } else {
            let mut last = gate.last_start.lock().await;
            if let Some(previous) = *last {
                tokio::time::sleep_until(previous + self.interval).await;
            }
            // A request in flight beside this one (concurrency above 1) may have met the 429
            // during the sleep. A refused request is no start: the interval is not restarted.
            gate.check_held()?;
            *last = Some(Instant::now());
        }
        Ok(HostPermit {
            _global: global,
            _slot: slot,
            gate,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn politeness(concurrency: usize, interval_ms: u64) -> Politeness {
        Politeness::new(&PolitenessConfig {
            per_host_concurrency: concurrency,
            per_host_interval: Duration::from_millis(interval_ms),
            ..PolitenessConfig::default()
        })
    }

    #[tokio::test]
    async fn the_global_cap_bounds_requests_to_all_hosts() {
        let p = Politeness::new(&PolitenessConfig {
            per_host_concurrency: 4,
            per_host_interval: Duration::ZERO,
            max_in_flight: 2,
        });
        let a = p.acquire("a.example").await;
        let _b = p.acquire("b.example").await;
        let third = tokio::time::timeout(Duration::from_millis(50), p.acquire("c.example")).await;
        assert!(third.is_err(), "a third request waits for a global slot");
        drop(a);
        let third = tokio::time::timeout(Duration::from_millis(500), p.acquire("c.example")).await;
        assert!(third.is_ok());
    }

    #[tokio::test]
    async fn spaces_request_starts_to_one_host_by_the_interval() {
        let p = politeness(4, 150);
        let start = Instant::now();
        for _ in 0..3 {
            drop(p.acquire("a.test").await);
        }
        assert!(
            start.elapsed() >= Duration::from_millis(300),
            "{:?}",
            start.elapsed()
        );
    }

    #[tokio::test]
    async fn the_interval_is_per_host() {
        let p = politeness(4, 300);
        drop(p.acquire("a.test").await);
        let start = Instant::now();
        drop(p.acquire("b.test").await);
        assert!(
            start.elapsed() < Duration::from_millis(250),
            "{:?}",
            start.elapsed()
        );
        // Host names are case-insensitive: B.TEST is b.test and must wait.
        drop(p.acquire("B.TEST").await);
        assert!(
            start.elapsed() >= Duration::from_millis(300),
            "{:?}",
            start.elapsed()
        );
    }

    #[tokio::test]
    async fn a_zero_interval_never_waits() {
        let p = politeness(1, 0);
        let start = Instant::now();
        for _ in 0..200 {
            drop(p.acquire("a.test").await);
        }
        assert!(
            start.elapsed() < Duration::from_millis(200),
            "{:?}",
            start.elapsed()
        );
    }

    #[tokio::test]
    async fn holds_back_requests_past_the_concurrency_cap() {
        let p = politeness(2, 0);
        let first = p.acquire("a.test").await;
        let _second = p.acquire("a.test").await;
        let third = tokio::time::timeout(Duration::from_millis(50), p.acquire("a.test")).await;
        assert!(third.is_err(), "a third permit was granted");
        // Another host is not affected.
        let other = tokio::time::timeout(Duration::from_millis(50), p.acquire("b.test")).await;
        assert!(other.is_ok());
        drop(first);
        let third = tokio::time::timeout(Duration::from_millis(50), p.acquire("a.test")).await;
        assert!(third.is_ok(), "the freed slot was not handed on");
    }

    #[tokio::test]
    async fn idle_hosts_are_forgotten_and_busy_ones_kept() {
        let p = politeness(1, 0);
        let held = p.acquire("busy.test").await;
        for i in 0..=PRUNE_ABOVE + 1 {
            drop(p.acquire(&format!("h{i}.test")).await);
        }
        {
            let hosts = p.hosts.lock().unwrap();
            assert!(hosts.len() < PRUNE_ABOVE, "{} hosts kept", hosts.len());
            assert!(hosts.contains_key("busy.test"));
        }
        // The kept gate still holds its one slot.
        let again = tokio::time::timeout(Duration::from_millis(50), p.acquire("busy.test")).await;
        assert!(again.is_err());
        drop(held);
    }

    #[tokio::test(start_paused = true)]
    async fn a_held_host_refuses_queued_and_new_requests_until_its_hold_ends() {
        let p = Arc::new(politeness(1, 0));
        let first = p.acquire("a.test").await.expect("a free host");
        let queued = {
            let p = Arc::clone(&p);
            tokio::spawn(async move { p.acquire("a.test").await.map(drop) })
        };
        // The second request waits for the host's one slot.
        tokio::task::yield_now().await;
        assert!(!queued.is_finished());
        first.hold(Duration::from_secs(30), 429);
        // A shorter hold (another answer's Retry-After) does not shorten it.
        first.hold(Duration::from_secs(5), 429);
        drop(first);
        let refused = queued.await.expect("task").expect_err("held");
        assert_eq!(refused.wait, Duration::from_secs(30));
        assert!(p.acquire("b.test").await.is_ok(), "other hosts are asked");
        assert!(
            p.acquire("A.TEST").await.is_err(),
            "host names are case-insensitive"
        );
        tokio::time::advance(Duration::from_secs(29)).await;
        let refused = p.acquire("a.test").await.map(drop).expect_err("held");
        assert_eq!(refused.wait, Duration::from_secs(1));
        tokio::time::advance(Duration::from_secs(1)).await;
        assert!(p.acquire("a.test").await.is_ok(), "the hold is over");
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_refused_after_its_interval_sleep_does_not_restart_the_interval() {
        let p = Arc::new(politeness(2, 10_000));
        let first = p.acquire("a.test").await.expect("free");
        let started = Instant::now();
        // The second slot is free, but the second start waits out the interval.
        let second = {
            let p = Arc::clone(&p);
            tokio::spawn(async move { p.acquire("a.test").await.map(drop) })
        };
        tokio::task::yield_now().await;
        // The first request meets the 429 while the second sleeps.
        first.hold(Duration::from_secs(15), 429);
        drop(first);
        let refused = second.await.expect("task").expect_err("held");
        assert_eq!(refused.wait, Duration::from_secs(5));
        assert_eq!(started.elapsed(), Duration::from_secs(10));
        tokio::time::advance(Duration::from_secs(5)).await;
        // The refused request started nothing: the next start is due 10 s after the first.
        let started = Instant::now();
        assert!(p.acquire("a.test").await.is_ok());
        assert_eq!(started.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn held_hosts_are_kept_while_held_and_forgotten_after() {
        let p = politeness(1, 0);
        p.acquire("held.test")
            .await
            .expect("free")
            .hold(Duration::from_secs(60), 429);
        for i in 0..=PRUNE_ABOVE + 1 {
            drop(p.acquire(&format!("h{i}.test")).await);
        }
        {
            let hosts = p.hosts.lock().unwrap();
            assert!(hosts.len() < PRUNE_ABOVE, "{} hosts kept", hosts.len());
            assert!(hosts.contains_key("held.test"), "a held host is kept");
        }
        assert!(p.acquire("held.test").await.is_err());
        tokio::time::advance(Duration::from_secs(60)).await;
        for i in 0..=PRUNE_ABOVE + 1 {
            drop(p.acquire(&format!("g{i}.test")).await);
        }
        assert!(
            !p.hosts.lock().unwrap().contains_key("held.test"),
            "a hold that is over keeps no host"
        );
        assert!(p.acquire("held.test").await.is_ok());
    }

    #[test]
    fn the_hold_is_retry_after_in_seconds_or_as_a_date_capped_else_the_default() {
        let now = DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z")
            .map(|d| d.with_timezone(&Utc))
            .unwrap();
        let cases = [
            (None, DEFAULT_HOLD),
            (Some("120"), Duration::from_secs(120)),
            (Some(" 7 "), Duration::from_secs(7)),
            (Some("0"), Duration::ZERO),
            (
                Some("Tue, 01 Dec 2026 10:05:00 GMT"),
                Duration::from_secs(300),
            ),
            (Some("Tue, 01 Dec 2026 09:00:00 GMT"), Duration::ZERO),
            (Some("Wed, 02 Dec 2026 10:00:00 GMT"), LONGEST_HOLD),
            (Some("999999999"), LONGEST_HOLD),
            (Some("-5"), DEFAULT_HOLD),
            (Some("soon"), DEFAULT_HOLD),
            (Some(""), DEFAULT_HOLD),
        ];
        for (value, want) in cases {
            assert_eq!(hold_for(value, now), want, "{value:?}");
        }
        // A 503 holds its host only for the time it names.
        let cases = [
            (None, None),
            (Some("120"), Some(Duration::from_secs(120))),
            (Some("0"), None),
            (Some("Tue, 01 Dec 2026 09:00:00 GMT"), None),
            (Some("999999999"), Some(LONGEST_HOLD)),
            (Some("soon"), None),
        ];
        for (value, want) in cases {
            assert_eq!(unavailable_hold_for(value, now), want, "{value:?}");
        }
    }

    #[tokio::test]
    async fn hosts_inside_their_interval_are_not_forgotten() {
        let p = politeness(1, 60_000);
        for i in 0..=PRUNE_ABOVE + 1 {
            drop(p.acquire(&format!("h{i}.test")).await);
        }
        assert!(p.hosts.lock().unwrap().len() > PRUNE_ABOVE);
    }
}
