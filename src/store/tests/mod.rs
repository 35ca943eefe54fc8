//! Store tests: each opens a fresh database in a temporary directory. This file holds the
//! builders the test files share.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;
use rusqlite::types::Value;

use super::blobs::sha256_hex;
use super::*;
use crate::model::{
    CheckOutcome, CheckRecord, EmbedKind, EmbedRef, LivenessState, Location, Media, MediaKind,
    Platform, PostStatus, RawBody, Snapshot, StoredImage,
};

const HTML_BODY: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/samples/x/page-UaSmart-934106870834454529.html"
));
const JSON_BODY: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/samples/x/oembed-436461658601713664-2021.json"
));
const WEBP: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/samples/images/lossy-100x100.webp"
));
const JPEG: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/samples/images/tiny-1x1.jpg"
));

fn new_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("archive.db")).unwrap();
    (dir, store)
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn article(url: &str) -> ArticleRecord {
    ArticleRecord {
        url: url.into(),
        final_url: Some(format!("{url}?amp=0")),
        title: Some("A title".into()),
        fetched_at: at("2026-11-01T10:00:00.123456789Z"),
        http_status: Some(200),
        error: None,
        sha256: Some(sha256_hex(b"body")),
        error_lasts: false,
    }
}

fn embed(kind: EmbedKind, url: &str, post_id: Option<&str>) -> EmbedRef {
    EmbedRef {
        platform: Platform::Instagram,
        kind,
        post_url: url.into(),
        post_id: post_id.map(str::to_owned),
        location: Location::Textarea,
        evidence: "blockquote.instagram-media".into(),
        markup: "<blockquote class=\"instagram-media\">…</blockquote>".into(),
        author_name: Some("Name".into()),
        author_handle: Some("handle".into()),
        text: Some("what the markup said".into()),
        published_at: Some(at("2020-04-01T12:00:00Z")),
    }
}

/// An article with one post embed; returns the post id.
fn post_in_article(store: &mut Store, shortcode: &str) -> i64 {
    let article_id = store
        .save_article(&article("https://news.example/a"))
        .unwrap();
    let url = format!("https://www.instagram.com/p/{shortcode}/");
    store
        .save_embed(article_id, &embed(EmbedKind::Post, &url, Some(shortcode)))
        .unwrap()
        .unwrap()
}

fn thumbnail(bytes: &[u8]) -> StoredImage {
    StoredImage {
        sha256: sha256_hex(bytes),
        width: 100,
        height: 100,
        mime: "image/webp".into(),
        bytes: bytes.to_vec(),
    }
}

fn media(url: &str, thumb: Option<StoredImage>) -> Media {
    Media {
        kind: MediaKind::Image,
        url: url.into(),
        width: Some(1080),
        height: Some(1350),
        thumbnail: thumb,
        original: None,
        error: None,
        ..Default::default()
    }
}

fn snapshot(text: &str, fetched_at: &str, media: Vec<Media>) -> Snapshot {
    Snapshot {
        fetched_at: at(fetched_at),
        source: "instagram-embed".into(),
        author_name: Some("Name".into()),
        author_handle: Some("handle".into()),
        author_url: Some("https://www.instagram.com/handle/".into()),
        text: Some(text.into()),
        published_at: Some(at("2020-04-01T12:00:00Z")),
        media,
        raw: vec![],
        ..Default::default()
    }
}

fn check(outcome: CheckOutcome, when: &str) -> CheckRecord {
    CheckRecord {
        at: at(when),
        outcome,
        source: "instagram-embed".into(),
        evidence: format!(
            "HTTP {}",
            if outcome == CheckOutcome::Gone {
                404
            } else {
                200
            }
        ),
    }
}

/// A stand-in for the liveness state machine: a live answer marks the post live.
fn mark_live(previous: &LivenessState) -> LivenessState {
    LivenessState {
        status: PostStatus::Live,
        gone_streak: 0,
        first_gone_at: None,
        last_live_at: Some(at("2026-11-02T00:00:00Z")),
        revived_at: previous.revived_at,
    }
}

/// A gone answer extends the streak.
fn count_gone(previous: &LivenessState) -> LivenessState {
    LivenessState {
        status: PostStatus::Suspect,
        gone_streak: previous.gone_streak + 1,
        first_gone_at: previous.first_gone_at.or(Some(at("2026-11-03T00:00:00Z"))),
        ..previous.clone()
    }
}

/// Every row of every table, for comparing a database before and after a failed write.
fn dump(path: &Path) -> Vec<String> {
    let conn = Connection::open(path).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = Vec::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
        let columns = stmt.column_count();
        let rows = stmt
            .query_map([], |row| {
                (0..columns)
                    .map(|i| row.get::<_, Value>(i))
                    .collect::<Result<Vec<_>, _>>()
            })
            .unwrap();
        for row in rows {
            out.push(format!("{table}: {:?}", row.unwrap()));
        }
    }
    out
}

fn count(path: &Path, sql: &str) -> i64 {
    Connection::open(path)
        .unwrap()
        .query_row(sql, [], |row| row.get(0))
        .unwrap()
}

mod articles;
mod checks;
mod health;
mod open;
mod schedule;
mod upgrade;

/// A backup goes to the file named, or nowhere: a name that is not UTF-8 (SQLite takes names
/// as UTF-8) is refused, naming it, and no file is written under another name; a copy whose
/// folder is missing fails naming the copy, not the archive.
#[cfg(unix)]
#[test]
fn a_backup_is_written_where_named_or_not_at_all() {
    use std::os::unix::ffi::OsStrExt;
    let (dir, mut store) = new_store();
    store
        .save_article(&article("https://news.example/a"))
        .expect("save");
    let odd = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"copy-\xff.db"));
    let err = store.backup_to(&odd).expect_err("not UTF-8");
    assert!(err.to_string().contains("UTF-8"), "{err}");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.to_string_lossy().starts_with("copy-")),
        "{names:?}"
    );
    let missing = dir.path().join("no-such-folder").join("copy.db");
    let err = store.backup_to(&missing).expect_err("no folder");
    assert!(err.to_string().contains("no-such-folder"), "{err}");
    let copy = dir.path().join("copy.db");
    store.backup_to(&copy).expect("backup");
    assert!(
        Store::open(&copy)
            .expect("a whole archive")
            .check()
            .expect("check")
            .is_empty()
    );
}
