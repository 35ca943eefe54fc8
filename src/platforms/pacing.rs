//! `[platforms.NAME] min_interval`: the least time between the starts of two resolutions of one
//! platform's posts, across the whole process (every archive run, check and daemon job share the
//! platform's upstream quota, so the pacing is process-wide).

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use crate::model::Platform;

/// When each paced platform may next start a resolution.
static NEXT_START: LazyLock<Mutex<HashMap<Platform, Instant>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// Wait until `platform` may start another resolution, and book the slot after it. A zero
/// interval returns at once without booking anything.
pub(super) async fn wait_turn(platform: Platform, interval: Duration) {
    if interval.is_zero() {
        return;
    }
    let start = {
        // A poisoned lock only means another task panicked while booking; the map is still a
        // valid set of instants.
        let mut next = NEXT_START.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let start = next
            .get(&platform)
            .copied()
            .filter(|t| *t > now)
            .unwrap_or(now);
        next.insert(platform, start + interval);
        start
    };
    tokio::time::sleep_until(start).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn turns_are_spaced_by_the_interval_and_per_platform() {
        let interval = Duration::from_secs(10);
        let t0 = Instant::now();
        wait_turn(Platform::Vimeo, interval).await;
        wait_turn(Platform::Vimeo, interval).await;
        assert!(
            t0.elapsed() >= interval,
            "second turn waited {:?}",
            t0.elapsed()
        );
        let t1 = Instant::now();
        wait_turn(Platform::Spotify, interval).await;
        assert!(t1.elapsed() < interval, "another platform is not held back");
        let t2 = Instant::now();
        wait_turn(Platform::Giphy, Duration::ZERO).await;
        wait_turn(Platform::Giphy, Duration::ZERO).await;
        assert_eq!(t2.elapsed(), Duration::ZERO);
    }
}
