//! Per-host politeness: a concurrency cap and a minimum interval between request starts, under a
//! global cap on requests in flight (so a daemon with many hosts to visit stays a good citizen of
//! its own network and file-descriptor limits).
//!
//! Platforms rate-limit and block crawlers that hammer them, so every request to a host first
//! takes a [`HostPermit`] here. Keys are logical hosts (`www.instagram.com`, never an override
//! target), so a fixture server standing in for several platforms is paced per platform, exactly
//! as production would be. This module never sleeps when the interval is zero.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{Mutex as AsyncMutex, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use crate::config::PolitenessConfig;

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
}

impl HostGate {
    /// True while forgetting this gate would break a rule: a request holds or awaits it, or
    /// the last start is recent enough that the next one must still wait.
    fn is_busy(self: &Arc<Self>, interval: Duration) -> bool {
        if Arc::strong_count(self) > 1 {
            return true;
        }
        match self.last_start.try_lock() {
            Ok(last) => last.is_some_and(|at| at.elapsed() < interval),
            Err(_) => true,
        }
    }
}

/// Held for the duration of one request; dropping it frees the host's slot.
#[derive(Debug)]
pub struct HostPermit {
    _slot: Option<OwnedSemaphorePermit>,
    _global: Option<OwnedSemaphorePermit>,
    /// Keeps the gate in the table while the request runs, so pruning cannot replace it with
    /// a fresh gate whose slots are all free.
    _gate: Arc<HostGate>,
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
            .or_insert_with(|| {
                Arc::new(HostGate {
                    slots: Arc::new(Semaphore::new(self.concurrency)),
                    last_start: AsyncMutex::new(None),
                })
            })
            .clone()
    }

    /// Wait until a request to `host` may start.
    pub async fn acquire(&self, host: &str) -> HostPermit {
        let gate = self.gate(host);
        // The semaphore is never closed; should that change, going ahead unthrottled beats
        // failing every request.
        let slot = gate.slots.clone().acquire_owned().await.ok();
        // The host's own slot first: a request waiting for a busy host holds no global slot.
        let global = self.in_flight.clone().acquire_owned().await.ok();
        if !self.interval.is_zero() {
            let mut last = gate.last_start.lock().await;
            if let Some(previous) = *last {
                tokio::time::sleep_until(previous + self.interval).await;
            }
            *last = Some(Instant::now());
        }
        HostPermit {
            _global: global,
            _slot: slot,
            _gate: gate,
        }
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

    #[tokio::test]
    async fn hosts_inside_their_interval_are_not_forgotten() {
        let p = politeness(1, 60_000);
        for i in 0..=PRUNE_ABOVE + 1 {
            drop(p.acquire(&format!("h{i}.test")).await);
        }
        assert!(p.hosts.lock().unwrap().len() > PRUNE_ABOVE);
    }
}
