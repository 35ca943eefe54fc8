//! Per-host politeness: a concurrency cap and a minimum interval between request starts.
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

/// Held for the duration of one request; dropping it frees the host's slot.
#[derive(Debug)]
pub struct HostPermit {
    _slot: Option<OwnedSemaphorePermit>,
}

/// The per-host gates of one client.
#[derive(Debug)]
pub struct Politeness {
    concurrency: usize,
    interval: Duration,
    hosts: Mutex<HashMap<String, Arc<HostGate>>>,
}

impl Politeness {
    pub fn new(config: &PolitenessConfig) -> Self {
        Politeness {
            // Zero would block every request forever; treat it as "one at a time".
            concurrency: config.per_host_concurrency.max(1),
            interval: config.per_host_interval,
            hosts: Mutex::new(HashMap::new()),
        }
    }

    fn gate(&self, host: &str) -> Arc<HostGate> {
        // The map is only touched for a lookup or insert, never across an await, so a plain
        // mutex is right; a poisoned map is still a valid map.
        let mut hosts = self.hosts.lock().unwrap_or_else(PoisonError::into_inner);
        if hosts.len() > PRUNE_ABOVE {
            // A gate only this map holds has no request waiting or running.
            hosts.retain(|_, gate| Arc::strong_count(gate) > 1);
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
        if !self.interval.is_zero() {
            let mut last = gate.last_start.lock().await;
            if let Some(previous) = *last {
                tokio::time::sleep_until(previous + self.interval).await;
            }
            *last = Some(Instant::now());
        }
        HostPermit { _slot: slot }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn politeness(concurrency: usize, interval_ms: u64) -> Politeness {
        Politeness::new(&PolitenessConfig {
            per_host_concurrency: concurrency,
            per_host_interval: Duration::from_millis(interval_ms),
        })
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
}
