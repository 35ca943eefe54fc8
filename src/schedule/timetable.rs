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
}
