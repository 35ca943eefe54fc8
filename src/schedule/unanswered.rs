//! Platforms whose checks get no answer: a run of transient checks of one platform (its answers
//! unreadable, walls, server errors) leaves its posts neither refreshed nor ever confirmed
//! gone, and each check alone is only an INFO line. When a platform's run reaches
//! [`WARN_AFTER`] checks, or lasts [`WARN_AFTER_TIME`] over [`MIN_CHECKS`] or more (an archive
//! of a few posts, re-checked hourly), it is a WARN of its own, naming the last reason (again
//! each [`WARN_EVERY`] while it lasts), and the first answer after it says the run is over.
//! Rate limits are left out: their cool-downs log themselves.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};

use crate::model::Platform;

/// Transient checks in a row of one platform that make a warning.
pub const WARN_AFTER: u32 = 10;

/// How long a run of at least [`MIN_CHECKS`] checks lasts before it is warned of, however few.
pub const WARN_AFTER_TIME: chrono::TimeDelta = chrono::TimeDelta::hours(1);

/// The fewest checks in a run warned of for its time alone.
pub const MIN_CHECKS: u32 = 3;

/// How often a run that goes on is warned of again.
const WARN_EVERY: chrono::TimeDelta = chrono::TimeDelta::hours(1);

#[derive(Debug, Default)]
pub struct Unanswered {
    runs: Mutex<HashMap<Platform, Run>>,
}

#[derive(Debug)]
struct Run {
    checks: u32,
    since: DateTime<Utc>,
    warned_at: Option<DateTime<Utc>>,
}

impl Unanswered {
    /// A check of `platform` got no answer: `source` said `evidence`.
    pub fn transient(&self, platform: Platform, source: &str, evidence: &str, now: DateTime<Utc>) {
        let Ok(mut runs) = self.runs.lock() else {
            return;
        };
        let run = runs.entry(platform).or_insert(Run {
            checks: 0,
            since: now,
            warned_at: None,
        });
        run.checks += 1;
        let long = run.checks >= WARN_AFTER
            || (run.checks >= MIN_CHECKS && now - run.since >= WARN_AFTER_TIME);
        let due = run.warned_at.map_or(long, |at| now - at >= WARN_EVERY);
        if due {
            run.warned_at = Some(now);
            tracing::warn!(
                %platform,
                checks = run.checks,
                since = %run.since.format("%Y-%m-%dT%H:%M:%SZ"),
                source,
                reason = evidence,
                "no check of {platform} has been answered in its last {} checks, since {}: \
                 its posts are neither refreshed nor confirmed gone until it answers \
                 (last: {source}: {evidence})",
                run.checks,
                run.since.format("%Y-%m-%dT%H:%M:%SZ")
            );
        }
    }

    /// A check of `platform` was answered (live or gone): its run, if any, is over.
    pub fn answered(&self, platform: Platform) {
        let Ok(mut runs) = self.runs.lock() else {
            return;
        };
        if let Some(run) = runs.remove(&platform)
            && run.warned_at.is_some()
        {
            tracing::warn!(
                %platform,
                checks = run.checks,
                "checks of {platform} are answered again, after {} that were not",
                run.checks
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_of_unanswered_checks_is_warned_of_once_then_hourly_and_when_it_ends() {
        let logs = crate::test_support::Logs::capture();
        let u = Unanswered::default();
        let t0 = Utc::now();
        let x_unread = |seconds: i64| {
            u.transient(
                Platform::X,
                "x-syndication",
                "no __typename",
                t0 + chrono::TimeDelta::seconds(seconds),
            );
        };
        let warnings = || {
            logs.text()
                .lines()
                .filter(|l| l.contains(" WARN ") && l.contains("has been answered"))
                .count()
        };
        let says = |text: &str| logs.text().contains(text);
        for i in 0..WARN_AFTER - 1 {
            x_unread(i.into());
        }
        assert_eq!(warnings(), 0, "{}", logs.text());
        x_unread(10);
        assert_eq!(warnings(), 1, "{}", logs.text());
        assert!(
            says("last: x-syndication: no __typename"),
            "{}",
            logs.text()
        );
        // Other platforms keep their own runs; the run goes on without a word for an hour.
        u.transient(Platform::Instagram, "instagram-embed", "wall", t0);
        x_unread(30 * 60);
        assert_eq!(warnings(), 1, "{}", logs.text());
        x_unread(70 * 60);
        assert_eq!(warnings(), 2, "{}", logs.text());
        u.answered(Platform::X);
        assert!(
            says("checks of x are answered again, after 12"),
            "{}",
            logs.text()
        );
        // A run too short to be warned of ends without a word.
        u.answered(Platform::Instagram);
        assert!(!says("checks of instagram"), "{}", logs.text());
        // A few checks over more than an hour (a small archive's hourly re-checks) are a run too.
        for minutes in [0, 40, 61] {
            u.transient(
                Platform::Youtube,
                "youtube-oembed",
                "HTTP 500",
                t0 + chrono::TimeDelta::minutes(minutes),
            );
        }
        assert!(
            says("no check of youtube has been answered in its last 3 checks"),
            "{}",
            logs.text()
        );
    }
}
