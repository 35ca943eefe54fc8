//! When a failed job runs again: exponential backoff with jitter (backon's delays), never sooner
//! than the server's `Retry-After`.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};

/// The first retry waits about this long.
const FIRST_RETRY: Duration = Duration::from_secs(30);
/// No retry waits longer than this.
const LONGEST_RETRY: Duration = Duration::from_secs(6 * 3600);

/// The wait before try number `failures + 1`, after `failures` failures (1 or more), at least
/// `retry_after` when the server asked for it.
pub(crate) fn retry_delay(failures: u32, retry_after: Option<Duration>) -> Duration {
    let nth = usize::try_from(failures.saturating_sub(1)).unwrap_or(usize::MAX);
    let delay = ExponentialBuilder::default()
        .with_min_delay(FIRST_RETRY)
        .with_max_delay(LONGEST_RETRY)
        .with_factor(2.0)
        .with_jitter()
        .without_max_times()
        .build()
        .nth(nth)
        .unwrap_or(LONGEST_RETRY);
    match retry_after {
        Some(asked) => delay.max(asked.min(LONGEST_RETRY * 4)),
        None => delay,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_are_capped() {
        let first = retry_delay(1, None);
        assert!(
            first >= FIRST_RETRY && first <= FIRST_RETRY * 2,
            "{first:?}"
        );
        let fourth = retry_delay(4, None);
        assert!(fourth >= FIRST_RETRY * 8, "{fourth:?}");
        assert!(retry_delay(40, None) <= LONGEST_RETRY * 2);
    }

    #[test]
    fn retry_after_is_honoured() {
        let asked = Duration::from_secs(3600);
        assert!(retry_delay(1, Some(asked)) >= asked);
    }
}
