//! The one way a time is written for people and programs outside the process: RFC 3339 in UTC,
//! to the second, with `Z` (`2024-08-01T00:00:00Z`). JSON documents, report pages, cards and
//! exports all use it, so a client parses one format. (The archive's own columns keep
//! nanoseconds: that is storage, not output.)

use chrono::{DateTime, SecondsFormat, Utc};

/// `t` as RFC 3339 in UTC to the second.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_and_z() {
        let t = DateTime::parse_from_rfc3339("2024-08-01T10:03:04.123456789+02:00")
            .expect("time")
            .with_timezone(&Utc);
        assert_eq!(rfc3339(t), "2024-08-01T08:03:04Z");
    }
}
