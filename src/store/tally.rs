//! What the writer of an archive has done since the process started, for monitoring: whether
//! it can still write, how many of its commands failed on the file (a full disk, a file turned
//! read-only, I/O errors), the checks it recorded by platform and outcome, the jobs that ended
//! a run by how (done, retried, failed, deferred for a platform cooling down), and the polls
//! of each source by outcome with the time of its last good one. The counts only
//! go up while the process runs, unlike the archive's own rows, which retention prunes: a
//! monitor can take their rate ("transient checks per hour", "gone verdicts today").
//!
//! A store's writer keeps one ([`super::StoreWriter::tally`]); the server reports it on
//! `/healthz` and `/metrics`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use super::StoreError;

/// The ways a job run ends, as [`Tally::jobs`] names them.
pub const JOB_ENDINGS: &[&str] = &["done", "retried", "failed", "deferred"];

/// The writer's record since the process started.
#[derive(Debug)]
pub struct Tally {
    /// False from a command that failed on the file until a later command commits a change.
    writable: AtomicBool,
    write_errors: AtomicU64,
    /// What the last command that failed on the file said.
    last_error: Mutex<Option<String>>,
    /// Checks recorded, by (platform, outcome).
    checks: Mutex<BTreeMap<(&'static str, &'static str), u64>>,
    /// Polls recorded, by source.
    polls: Mutex<BTreeMap<String, Polls>>,
    /// The sources the last reload follows (`None` before any reload: every source counts). A
    /// poll still in flight when a reload dropped its source is not counted again.
    followed: Mutex<Option<Vec<String>>>,
    /// Job runs that ended, by how.
    jobs: Mutex<BTreeMap<&'static str, u64>>,
}

/// The polls of one source since the process started.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Polls {
    pub ok: u64,
    pub failed: u64,
    /// When the last poll that did not fail was made.
    pub last_ok: Option<DateTime<Utc>>,
}

impl Default for Tally {
    fn default() -> Tally {
        Tally {
            writable: AtomicBool::new(true),
            write_errors: AtomicU64::new(0),
            last_error: Mutex::new(None),
            checks: Mutex::new(BTreeMap::new()),
            polls: Mutex::new(BTreeMap::new()),
            followed: Mutex::new(None),
            jobs: Mutex::new(BTreeMap::new()),
        }
    }
}

impl Tally {
    /// Take the result of one writer command: `changed` says whether it committed a change.
    /// A command that succeeds without changing anything (a claim that finds the queue empty)
    /// says nothing of whether the file can be written, so it leaves the state as it was.
    pub(super) fn command(&self, error: Option<&StoreError>, changed: bool) {
        match error {
            Some(e) if e.is_storage_failure() => {
                self.writable.store(false, Ordering::Relaxed);
                self.write_errors.fetch_add(1, Ordering::Relaxed);
                if let Ok(mut last) = self.last_error.lock() {
                    *last = Some(e.to_string());
                }
            }
            Some(_) => {}
            None if changed => self.writable.store(true, Ordering::Relaxed),
            None => {}
        }
    }

    /// Count one recorded check.
    pub(super) fn check(&self, platform: &'static str, outcome: &'static str) {
        if let Ok(mut checks) = self.checks.lock() {
            *checks.entry((platform, outcome)).or_default() += 1;
        }
    }

    /// Count one job run that ended as `how` (`done`, `retried`, `failed`, `deferred`).
    pub(super) fn job(&self, how: &'static str) {
        if let Ok(mut jobs) = self.jobs.lock() {
            *jobs.entry(how).or_default() += 1;
        }
    }

    /// Count one recorded poll of `source`, made at `at`.
    pub(crate) fn poll(&self, source: &str, failed: bool, at: Option<DateTime<Utc>>) {
        let followed = self
            .followed
            .lock()
            .map(|f| f.as_ref().is_none_or(|f| f.iter().any(|s| s == source)))
            .unwrap_or(true);
        let Ok(mut polls) = self.polls.lock() else {
            return;
        };
        if !followed {
            return;
        }
        let entry = polls.entry(source.to_owned()).or_default();
        if failed {
            entry.failed += 1;
        } else {
            entry.ok += 1;
            entry.last_ok = at.or(entry.last_ok);
        }
    }

    /// Whether the writer can write, as far as its last commands showed.
    pub fn writable(&self) -> bool {
        self.writable.load(Ordering::Relaxed)
    }

    /// Writer commands that failed on the file since the process started.
    pub fn write_errors(&self) -> u64 {
        self.write_errors.load(Ordering::Relaxed)
    }

    /// What the last command that failed on the file said, if one did.
    pub fn last_error(&self) -> Option<String> {
        self.last_error.lock().ok().and_then(|last| last.clone())
    }

    /// Checks recorded since the process started, by platform and outcome, in that order.
    pub fn checks(&self) -> Vec<(&'static str, &'static str, u64)> {
        self.checks
            .lock()
            .map(|checks| checks.iter().map(|(&(p, o), &n)| (p, o, n)).collect())
            .unwrap_or_default()
    }
}

impl Tally {
    /// Job runs that ended since the process started, by how, in that order.
    pub fn jobs(&self) -> Vec<(&'static str, u64)> {
        self.jobs
            .lock()
            .map(|jobs| jobs.iter().map(|(&h, &n)| (h, n)).collect())
            .unwrap_or_default()
    }

    /// Forget the polls of every source but `kept` (the sources a reloaded config follows),
    /// so that the metrics stop naming a source no longer polled: its last good poll would
    /// age and look like a feed failing.
    pub fn keep_sources(&self, kept: &[String]) {
        if let Ok(mut followed) = self.followed.lock() {
            *followed = Some(kept.to_vec());
        }
        if let Ok(mut polls) = self.polls.lock() {
            polls.retain(|source, _| kept.contains(source));
        }
    }

    /// Polls recorded since the process started, by source.
    pub fn polls(&self) -> Vec<(String, Polls)> {
        self.polls
            .lock()
            .map(|polls| polls.iter().map(|(s, p)| (s.clone(), p.clone())).collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn disk_full() -> StoreError {
        StoreError::Sqlite {
            path: "a.db".into(),
            source: rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
                None,
            ),
        }
    }

    #[test]
    fn a_failed_write_holds_until_a_change_is_committed() {
        let tally = Tally::default();
        assert!(tally.writable());
        tally.command(Some(&disk_full()), false);
        assert!(!tally.writable());
        assert_eq!(tally.write_errors(), 1);
        assert!(
            tally
                .last_error()
                .is_some_and(|e| e.contains("a.db") && e.contains("full")),
            "{:?}",
            tally.last_error()
        );
        // A command that wrote nothing shows nothing; a refused input is no failure of the file.
        tally.command(None, false);
        tally.command(Some(&StoreError::NotFound("post 7".into())), false);
        assert!(!tally.writable());
        assert_eq!(tally.write_errors(), 1);
        tally.command(None, true);
        assert!(tally.writable());
        assert_eq!(tally.write_errors(), 1);
    }

    #[test]
    fn checks_are_counted_by_platform_and_outcome() {
        let tally = Tally::default();
        tally.check("x", "live");
        tally.check("instagram", "gone");
        tally.check("x", "live");
        assert_eq!(tally.checks(), [("instagram", "gone", 1), ("x", "live", 2)]);
    }

    #[test]
    fn job_runs_are_counted_by_how_they_ended() {
        let tally = Tally::default();
        for how in ["done", "retried", "done", "deferred"] {
            tally.job(how);
        }
        assert_eq!(tally.jobs(), [("deferred", 1), ("done", 2), ("retried", 1)]);
    }

    #[test]
    fn the_polls_of_sources_no_longer_followed_are_forgotten() {
        let tally = Tally::default();
        tally.poll("feed https://a.example/feed", false, None);
        tally.poll("sitemap https://b.example/sitemap.xml", false, None);
        tally.keep_sources(&["sitemap https://b.example/sitemap.xml".to_owned()]);
        // A poll that was in flight at the reload is not counted again.
        tally.poll("feed https://a.example/feed", false, None);
        let sources: Vec<String> = tally.polls().into_iter().map(|(s, _)| s).collect();
        assert_eq!(sources, ["sitemap https://b.example/sitemap.xml"]);
    }

    #[test]
    fn polls_are_counted_by_source_with_the_last_good_one() {
        let tally = Tally::default();
        let at = |s: i64| DateTime::from_timestamp(s, 0);
        tally.poll("https://a.example/feed", false, at(10));
        tally.poll("https://a.example/feed", true, at(20));
        tally.poll("https://b.example/sitemap.xml", true, at(30));
        assert_eq!(
            tally.polls(),
            [
                (
                    "https://a.example/feed".to_owned(),
                    Polls {
                        ok: 1,
                        failed: 1,
                        last_ok: at(10)
                    }
                ),
                (
                    "https://b.example/sitemap.xml".to_owned(),
                    Polls {
                        ok: 0,
                        failed: 1,
                        last_ok: None
                    }
                ),
            ]
        );
    }
}
