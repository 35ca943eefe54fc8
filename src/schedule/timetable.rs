//! The daemon's periodic jobs and when each fires next, from the `[schedule]` crontab
//! expressions (evaluated in UTC).

use chrono::{DateTime, Utc};

use crate::config::{ScheduleConfig, parse_cron};

/// A periodic job of the daemon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tick {
    /// Poll the sources and queue new or changed articles.
    Discover,
    /// Queue the posts that are due for a check.
    Recheck,
    /// WAL checkpoint, pruning of old history, vacuum.
    Retention,
}

impl Tick {
    pub fn as_str(self) -> &'static str {
        match self {
            Tick::Discover => "discover",
            Tick::Recheck => "recheck",
            Tick::Retention => "retention",
        }
    }
}

/// The three schedules, parsed.
pub struct Timetable {
    entries: Vec<(Tick, croner::Cron)>,
}

impl Timetable {
    /// Parse the schedules; the error names the key and quotes the expression.
    pub fn new(schedule: &ScheduleConfig) -> Result<Timetable, String> {
        let mut entries = Vec::new();
        for (tick, expression) in [
            (Tick::Discover, &schedule.discover),
            (Tick::Recheck, &schedule.recheck),
            (Tick::Retention, &schedule.retention),
        ] {
            let cron =
                parse_cron(expression).map_err(|e| format!("schedule.{}: {e}", tick.as_str()))?;
            entries.push((tick, cron));
        }
        Ok(Timetable { entries })
    }

    /// The next firing of each job strictly after `after`, earliest first.
    pub fn next_after(&self, after: DateTime<Utc>) -> Vec<(Tick, DateTime<Utc>)> {
        let mut next: Vec<(Tick, DateTime<Utc>)> = self
            .entries
            .iter()
            .filter_map(|(tick, cron)| {
                cron.find_next_occurrence(&after, false)
                    .ok()
                    .map(|at| (*tick, at))
            })
            .collect();
        next.sort_by_key(|(_, at)| *at);
        next
    }

    /// `planned` (the firings worked out earlier) as they stand at `now`: a firing that the
    /// schedule now puts earlier than planned moves to that time. That only happens when the
    /// wall clock was set back (NTP stepping it, a VM resumed from a snapshot): without it, a
    /// clock set back a day would leave every job waiting a day for its planned time. A clock
    /// set forward needs nothing: the planned times are past, so each job fires once.
    pub fn replan(
        &self,
        planned: &[(Tick, DateTime<Utc>)],
        now: DateTime<Utc>,
    ) -> Vec<(Tick, DateTime<Utc>)> {
        let fresh = self.next_after(now);
        let mut next: Vec<(Tick, DateTime<Utc>)> = planned
            .iter()
            .map(|(tick, at)| {
                let sooner = fresh
                    .iter()
                    .find(|(t, _)| t == tick)
                    .map(|(_, f)| *f)
                    .filter(|f| f < at);
                (*tick, sooner.unwrap_or(*at))
            })
            .collect();
        next.sort_by_key(|(_, at)| *at);
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_and_six_field_schedules_fire_when_expected() {
        let schedule = ScheduleConfig {
            discover: "*/15 * * * *".into(),
            recheck: "*/2 * * * * *".into(),
            retention: "30 3 * * *".into(),
            ..ScheduleConfig::default()
        };
        let table = Timetable::new(&schedule).expect("valid");
        let t0 = DateTime::parse_from_rfc3339("2026-12-01T10:07:01Z")
            .map(|d| d.with_timezone(&Utc))
            .expect("time");
        let next = table.next_after(t0);
        assert_eq!(next[0].0, Tick::Recheck);
        assert_eq!(next[0].1.to_rfc3339(), "2026-12-01T10:07:02+00:00");
        assert_eq!(next[1].0, Tick::Discover);
        assert_eq!(next[1].1.to_rfc3339(), "2026-12-01T10:15:00+00:00");
        assert_eq!(next[2].1.to_rfc3339(), "2026-12-02T03:30:00+00:00");
    }

    /// Regression: the next firings were worked out once and kept until they came, so when the
    /// wall clock was set back (by an hour, a day) the daemon polled no source, queued no
    /// re-check and ran no retention for that long. Set back, the plan follows the clock.
    #[test]
    fn a_clock_set_back_moves_the_planned_firings_back_with_it() {
        let schedule = ScheduleConfig {
            discover: "*/15 * * * *".into(),
            recheck: "0 * * * *".into(),
            retention: "30 3 * * *".into(),
            ..ScheduleConfig::default()
        };
        let table = Timetable::new(&schedule).expect("valid");
        let time = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|d| d.with_timezone(&Utc))
                .expect("time")
        };
        let planned = table.next_after(time("2026-12-02T10:07:00Z"));
        let back = table.replan(&planned, time("2026-12-01T09:50:00Z"));
        assert_eq!(
            back,
            [
                (Tick::Discover, time("2026-12-01T10:00:00Z")),
                (Tick::Recheck, time("2026-12-01T10:00:00Z")),
                (Tick::Retention, time("2026-12-02T03:30:00Z")),
            ]
        );
        // Time going on as planned changes nothing.
        assert_eq!(
            table.replan(&planned, time("2026-12-02T10:08:00Z")),
            planned
        );
    }
}
