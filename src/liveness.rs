//! `liveness` is the state machine that turns check outcomes into a post's status:
//! live → suspect → gone → revived (live again), with hysteresis so that one bad answer never
//! switches an article to its fallback card.
//!
//! It is pure: no I/O, no clock. The caller passes the time of the check.

use chrono::{DateTime, Utc};

use crate::config::{LivenessConfig, ScheduleConfig};
use crate::model::{CheckOutcome, LivenessState, PostStatus};

/// The state after one more check.
///
/// - A live answer resets the gone run; a post that was gone is recorded as revived.
/// - A gone answer extends the run; the post is `gone` once the run has at least
///   `gone_after_checks` answers spanning at least `gone_after`, `suspect` before that.
/// - A transient answer changes nothing: it never moves a post towards gone or back to live.
pub fn next(
    prev: &LivenessState,
    outcome: CheckOutcome,
    at: DateTime<Utc>,
    cfg: &LivenessConfig,
) -> LivenessState {
    let mut state = prev.clone();
    match outcome {
        CheckOutcome::Live => {
            if prev.status == PostStatus::Gone {
                state.revived_at = Some(at);
            }
            state.status = PostStatus::Live;
            state.gone_streak = 0;
            state.first_gone_at = None;
            state.last_live_at = Some(at);
        }
        CheckOutcome::Gone => {
            let first = prev.first_gone_at.unwrap_or(at);
            state.first_gone_at = Some(first);
            state.gone_streak = prev.gone_streak.saturating_add(1);
            let span = at.signed_duration_since(first).to_std().unwrap_or_default();
            state.status = if state.gone_streak >= cfg.gone_after_checks && span >= cfg.gone_after {
                PostStatus::Gone
            } else if prev.status == PostStatus::Gone {
                // Already gone: more gone answers keep it gone.
                PostStatus::Gone
            } else {
                PostStatus::Suspect
            };
        }
        CheckOutcome::Transient => {}
    }
    state
}

/// How long until a post should be checked again: recent posts often, old ones rarely.
///
/// The interval is the post's age × `recheck_growth`, at least `recheck_min` and at most
/// `recheck_max`. A suspect post is checked again at `recheck_min` (or sooner if its gone run
/// needs less time to span `gone_after`), so that a disappearance is confirmed or refuted
/// quickly. A check whose answer said nothing (`last` transient: a timeout, a 429, a wall) is
/// tried again at `recheck_min` too, rather than a whole interval of an old post later. `jitter`
/// in [-1, 1] spreads checks of posts archived together by up to ±10%.
pub fn recheck_in(
    age: std::time::Duration,
    status: PostStatus,
    last: CheckOutcome,
    schedule: &ScheduleConfig,
    liveness: &LivenessConfig,
    jitter: f64,
) -> std::time::Duration {
    // A growth the config allows may still overflow a duration for an old post (1e12 × a
    // decade): past what a duration holds is past `recheck_max`.
    let grown = std::time::Duration::try_from_secs_f64(age.as_secs_f64() * schedule.recheck_growth)
        .unwrap_or(schedule.recheck_max);
    let mut interval = grown.clamp(schedule.recheck_min, schedule.recheck_max);
    if last == CheckOutcome::Transient {
        interval = schedule.recheck_min;
    }
    if status == PostStatus::Suspect {
        let spread = liveness
            .gone_after
            .checked_div(liveness.gone_after_checks.max(1))
            .unwrap_or_default();
        interval = schedule
            .recheck_min
            .min(spread.max(std::time::Duration::from_secs(1)));
    }
    interval.mul_f64(1.0 + 0.1 * jitter.clamp(-1.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn cfg() -> LivenessConfig {
        LivenessConfig {
            gone_after_checks: 3,
            gone_after: std::time::Duration::from_secs(24 * 3600),
        }
    }

    fn t0() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn first_live_answer_makes_a_post_live() {
        let s = next(&LivenessState::default(), CheckOutcome::Live, t0(), &cfg());
        assert_eq!(s.status, PostStatus::Live);
        assert_eq!(s.last_live_at, Some(t0()));
    }

    #[test]
    fn gone_needs_enough_answers_over_enough_time() {
        let c = cfg();
        let mut s = next(&LivenessState::default(), CheckOutcome::Live, t0(), &c);
        s = next(&s, CheckOutcome::Gone, t0() + Duration::hours(1), &c);
        assert_eq!(s.status, PostStatus::Suspect);
        s = next(&s, CheckOutcome::Gone, t0() + Duration::hours(2), &c);
        s = next(&s, CheckOutcome::Gone, t0() + Duration::hours(3), &c);
        // Three answers, but only two hours apart: still suspect.
        assert_eq!(s.status, PostStatus::Suspect);
        assert_eq!(s.gone_streak, 3);
        s = next(&s, CheckOutcome::Gone, t0() + Duration::hours(26), &c);
        assert_eq!(s.status, PostStatus::Gone);
    }

    #[test]
    fn transient_answers_change_nothing() {
        let c = cfg();
        let s = next(&LivenessState::default(), CheckOutcome::Gone, t0(), &c);
        let after = next(&s, CheckOutcome::Transient, t0() + Duration::hours(30), &c);
        assert_eq!(after, s);
        let unknown = next(&LivenessState::default(), CheckOutcome::Transient, t0(), &c);
        assert_eq!(unknown.status, PostStatus::Unknown);
    }

    #[test]
    fn recent_posts_are_checked_often_and_old_ones_rarely() {
        let schedule = ScheduleConfig::default();
        let day = std::time::Duration::from_secs(24 * 3600);
        let after =
            |age, status, last, jitter| recheck_in(age, status, last, &schedule, &cfg(), jitter);
        let young = after(day / 4, PostStatus::Live, CheckOutcome::Live, 0.0);
        let week = after(day * 7, PostStatus::Live, CheckOutcome::Live, 0.0);
        let year = after(day * 365, PostStatus::Live, CheckOutcome::Live, 0.0);
        assert_eq!(young, schedule.recheck_min);
        assert!(young < week && week < year, "{young:?} {week:?} {year:?}");
        assert_eq!(year, schedule.recheck_max);
        let suspect = after(day * 365, PostStatus::Suspect, CheckOutcome::Gone, 0.0);
        assert_eq!(suspect, schedule.recheck_min);
        // An old post whose check said nothing is tried again soon.
        let unanswered = after(day * 365, PostStatus::Live, CheckOutcome::Transient, 0.0);
        assert_eq!(unanswered, schedule.recheck_min);
        let jittered = after(day * 7, PostStatus::Live, CheckOutcome::Live, 1.0);
        assert!(jittered > week && jittered <= week.mul_f64(1.1001));
        // Regression: a growth the config accepts overflowed a duration for an old post, and
        // the write of every post panicked. Past what a duration holds is past the maximum.
        let huge = ScheduleConfig {
            recheck_growth: 1e12,
            ..ScheduleConfig::default()
        };
        let twenty_years = day * 365 * 20;
        assert_eq!(
            recheck_in(
                twenty_years,
                PostStatus::Live,
                CheckOutcome::Live,
                &huge,
                &cfg(),
                0.0
            ),
            huge.recheck_max
        );
    }

    #[test]
    fn a_live_answer_resets_the_run_and_records_revival() {
        let c = LivenessConfig {
            gone_after_checks: 1,
            gone_after: std::time::Duration::ZERO,
        };
        let gone = next(&LivenessState::default(), CheckOutcome::Gone, t0(), &c);
        assert_eq!(gone.status, PostStatus::Gone);
        let back = next(&gone, CheckOutcome::Live, t0() + Duration::hours(1), &c);
        assert_eq!(back.status, PostStatus::Live);
        assert_eq!(back.gone_streak, 0);
        assert_eq!(back.first_gone_at, None);
        assert_eq!(back.revived_at, Some(t0() + Duration::hours(1)));
    }
}
