//! How domain values are written into columns and read back: times as fixed-width RFC 3339
//! text, enums as their contract names. Kept in one place so every table agrees; a value that
//! does not parse back is reported as a conversion error on its column, never guessed.

use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::Row;
use rusqlite::types::Type;

use crate::model::{EmbedKind, Location, MediaKind};

/// A time as stored: UTC, nanoseconds, `Z` suffix. The width is fixed, so comparing the text
/// compares the times (ORDER BY, `max()`, `<=`).
pub(crate) fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

/// An optional time as stored.
pub(crate) fn opt_time(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(time)
}

fn conversion_error(idx: usize, message: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, message.into())
}

/// Read a time column.
pub(crate) fn get_time(row: &Row<'_>, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    let text: String = row.get(idx)?;
    parse_time(idx, &text)
}

/// Read a nullable time column.
pub(crate) fn get_opt_time(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let text: Option<String> = row.get(idx)?;
    text.map(|t| parse_time(idx, &t)).transpose()
}

fn parse_time(idx: usize, text: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| conversion_error(idx, format!("bad time {text:?}: {e}")))
}

/// Read a column holding a name that parses into `T` (platform, status, outcome).
pub(crate) fn get_parsed<T>(row: &Row<'_>, idx: usize) -> rusqlite::Result<T>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    let text: String = row.get(idx)?;
    text.parse::<T>()
        .map_err(|e| conversion_error(idx, format!("bad value {text:?}: {e}")))
}

/// Read an optional non-negative integer column as `u32` (dimensions).
pub(crate) fn get_opt_u32(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<u32>> {
    let n: Option<i64> = row.get(idx)?;
    n.map(|n| u32::try_from(n).map_err(|_| rusqlite::Error::IntegralValueOutOfRange(idx, n)))
        .transpose()
}

/// Read a non-negative integer column as `u32`.
pub(crate) fn get_u32(row: &Row<'_>, idx: usize) -> rusqlite::Result<u32> {
    let n: i64 = row.get(idx)?;
    u32::try_from(n).map_err(|_| rusqlite::Error::IntegralValueOutOfRange(idx, n))
}

/// Every embed kind, for parsing the stored names back (the model has names but no parser).
const EMBED_KINDS: [EmbedKind; 11] = [
    EmbedKind::Post,
    EmbedKind::Video,
    EmbedKind::Track,
    EmbedKind::Album,
    EmbedKind::Playlist,
    EmbedKind::Show,
    EmbedKind::Audio,
    EmbedKind::Gif,
    EmbedKind::Profile,
    EmbedKind::ProfileTimeline,
    EmbedKind::ListTimeline,
];

/// Read an embed kind column.
pub(crate) fn get_embed_kind(row: &Row<'_>, idx: usize) -> rusqlite::Result<EmbedKind> {
    let text: String = row.get(idx)?;
    EMBED_KINDS
        .into_iter()
        .find(|k| k.as_str() == text)
        .ok_or_else(|| conversion_error(idx, format!("unknown embed kind {text:?}")))
}

/// Read a media kind column.
pub(crate) fn get_media_kind(row: &Row<'_>, idx: usize) -> rusqlite::Result<MediaKind> {
    let text: String = row.get(idx)?;
    match text.as_str() {
        "image" => Ok(MediaKind::Image),
        "video" => Ok(MediaKind::Video),
        _ => Err(conversion_error(
            idx,
            format!("unknown media kind {text:?}"),
        )),
    }
}

/// The stored name of a location (the same kebab-case names as its JSON form).
pub(crate) fn location(l: Location) -> &'static str {
    match l {
        Location::Dom => "dom",
        Location::Textarea => "textarea",
        Location::Attribute => "attribute",
        Location::ScriptString => "script-string",
    }
}

/// Read a location column.
pub(crate) fn get_location(row: &Row<'_>, idx: usize) -> rusqlite::Result<Location> {
    let text: String = row.get(idx)?;
    match text.as_str() {
        "dom" => Ok(Location::Dom),
        "textarea" => Ok(Location::Textarea),
        "attribute" => Ok(Location::Attribute),
        "script-string" => Ok(Location::ScriptString),
        _ => Err(conversion_error(idx, format!("unknown location {text:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_times_sort_as_text_in_time_order() {
        let early = DateTime::parse_from_rfc3339("2026-01-02T03:04:05Z")
            .unwrap()
            .with_timezone(&Utc);
        let later = early + chrono::Duration::nanoseconds(1);
        let much_later = early + chrono::Duration::days(400);
        let (a, b, c) = (time(early), time(later), time(much_later));
        assert!(a < b && b < c, "{a} {b} {c}");
        assert_eq!(a.len(), c.len());
        assert_eq!(parse_time(0, &b).unwrap(), later);
    }

    /// Write a name through SQLite and read it back with `get`.
    fn round_trip<T>(
        name: &str,
        get: fn(&Row<'_>, usize) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.query_row("SELECT ?1", [name], |row| get(row, 0))
    }

    #[test]
    fn locations_round_trip_under_their_json_names() {
        for loc in [
            Location::Dom,
            Location::Textarea,
            Location::Attribute,
            Location::ScriptString,
        ] {
            let name = location(loc);
            assert_eq!(serde_json::to_string(&loc).unwrap(), format!("\"{name}\""));
            assert_eq!(round_trip(name, get_location).unwrap(), loc);
        }
        assert!(round_trip("iframe", get_location).is_err());
    }

    #[test]
    fn embed_kinds_round_trip() {
        for kind in EMBED_KINDS {
            assert_eq!(round_trip(kind.as_str(), get_embed_kind).unwrap(), kind);
        }
        assert!(round_trip("story", get_embed_kind).is_err());
    }
}
