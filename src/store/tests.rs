//! Store tests: each opens a fresh database in a temporary directory.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;
use rusqlite::types::Value;

use super::blobs::sha256_hex;
use super::*;
use crate::model::{
    CheckOutcome, CheckRecord, EmbedKind, Location, Media, MediaKind, PostStatus, RawBody,
    StoredImage,
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
        error: None,
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

// ---- opening and migrating ----

#[test]
fn store_can_move_to_a_blocking_thread() {
    fn assert_send<T: Send>() {}
    assert_send::<Store>();
}

#[test]
fn migrations_apply_to_a_new_file_in_new_directories() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("not/yet/there/archive.db");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.path(), path);

    let mut files: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/schema"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".sql"))
        .collect();
    files.sort();
    let embedded: Vec<String> = migrate::MIGRATIONS
        .iter()
        .map(|(name, _)| format!("{name}.sql"))
        .collect();
    assert_eq!(embedded, files, "every schema file is embedded, in order");
    assert_eq!(
        count(&path, "PRAGMA user_version"),
        files.len() as i64,
        "user_version counts the applied schema files"
    );
    assert_eq!(store.stats().unwrap().schema_version as usize, files.len());
    let mode: String = store
        .conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = store
        .conn
        .query_row("PRAGMA foreign_keys", [], |row| row.get(0))
        .unwrap();
    assert_eq!(fk, 1);
}

#[test]
fn reopening_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("archive.db");
    let mut store = Store::open(&path).unwrap();
    let id = store
        .save_article(&article("https://news.example/a"))
        .unwrap();
    drop(store);
    let before = dump(&path);

    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.article_by_url("https://news.example/a").unwrap().id,
        id
    );
    assert_eq!(
        store.stats().unwrap().schema_version,
        Store::schema_version()
    );
    drop(store);
    assert_eq!(dump(&path), before);
}

#[test]
fn newer_schema_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE from_the_future (x INTEGER);")
            .unwrap();
        conn.pragma_update(None, "user_version", Store::schema_version() + 1)
            .unwrap();
    }
    let bytes = std::fs::read(&path).unwrap();

    for result in [Store::open(&path), Store::open_read_only(&path)] {
        match result {
            Err(StoreError::NewerSchema {
                path: p,
                found,
                known,
            }) => {
                assert_eq!(p, path);
                assert_eq!(found, known + 1);
            }
            Err(other) => panic!("expected NewerSchema, got {other}"),
            Ok(_) => panic!("expected NewerSchema, got a store"),
        }
    }
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    assert!(!dir.path().join("future.db-wal").exists());
}

#[test]
fn files_that_are_not_sqlite_are_refused_and_left_untouched() {
    let cases: [(&str, &[u8]); 4] = [
        ("text", b"this is a note, not a database\n"),
        ("html", HTML_BODY),
        ("short header", b"SQLite format 3\0"),
        ("image", JPEG),
    ];
    for (name, content) in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("archive.db");
        std::fs::write(&path, content).unwrap();
        match Store::open(&path) {
            Err(e @ StoreError::NotADatabase { .. }) => {
                assert!(e.to_string().contains("archive.db"), "{name}: {e}");
            }
            Err(other) => panic!("{name}: expected NotADatabase, got {other}"),
            Ok(_) => panic!("{name}: expected NotADatabase, got a store"),
        }
        assert_eq!(std::fs::read(&path).unwrap(), content, "{name}");
        assert!(
            matches!(
                Store::open_read_only(&path),
                Err(StoreError::NotADatabase { .. })
            ),
            "{name}"
        );
    }
}

#[cfg(unix)]
#[test]
fn read_only_file_or_directory_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("archive.db");
    drop(Store::open(&path).unwrap());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    match Store::open(&path) {
        Err(StoreError::ReadOnly { path: p, .. }) => assert_eq!(p, path),
        Err(other) => panic!("expected ReadOnly, got {other}"),
        Ok(_) => panic!("expected ReadOnly, got a store"),
    }
    // Reading a read-only file is fine.
    assert!(Store::open_read_only(&path).is_ok());

    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    let inside = locked.join("archive.db");
    match Store::open(&inside) {
        Err(StoreError::ReadOnly { path: p, .. }) => assert_eq!(p, locked),
        Err(other) => panic!("expected ReadOnly, got {other}"),
        Ok(_) => panic!("expected ReadOnly, got a store"),
    }
    assert!(!inside.exists());
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn read_only_store_refuses_writes_and_unmigrated_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("archive.db");

    assert!(matches!(
        Store::open_read_only(&path),
        Err(StoreError::Io { .. })
    ));
    assert!(!path.exists(), "a read-only open never creates the file");

    std::fs::write(&path, b"").unwrap();
    assert!(matches!(
        Store::open_read_only(&path),
        Err(StoreError::OlderSchema { found: 0, .. })
    ));
    std::fs::remove_file(&path).unwrap();

    let mut writer = Store::open(&path).unwrap();
    let post_id = post_in_article(&mut writer, "B_abc");
    let mut reader = Store::open_read_only(&path).unwrap();
    assert_eq!(reader.post(post_id).unwrap().id, post_id);
    match reader.save_article(&article("https://news.example/b")) {
        Err(StoreError::ReadOnly { path: p, .. }) => assert_eq!(p, path),
        Err(other) => panic!("expected ReadOnly, got {other}"),
        Ok(_) => panic!("a read-only store wrote a row"),
    }
}

// ---- articles and embeds ----

#[test]
fn article_round_trips_and_a_bodiless_refetch_keeps_what_was_known() {
    let (_dir, mut store) = new_store();
    let first = article("https://news.example/a");
    let id = store.save_article(&first).unwrap();
    let stored = store.article_by_url(&first.url).unwrap();
    assert_eq!(stored.id, id);
    assert_eq!(stored.article, first);
    assert_eq!(stored.first_fetched_at, first.fetched_at);

    let validators = ArticleValidators {
        etag: Some("\"v1\"".into()),
        last_modified: Some("Sun, 01 Nov 2026 10:00:00 GMT".into()),
    };
    store.save_article_validators(id, &validators).unwrap();

    let not_modified = ArticleRecord {
        final_url: None,
        title: None,
        sha256: None,
        http_status: Some(304),
        fetched_at: at("2026-11-02T10:00:00Z"),
        ..first.clone()
    };
    assert_eq!(store.save_article(&not_modified).unwrap(), id);
    let stored = store.article_by_url(&first.url).unwrap();
    assert_eq!(stored.article.title, first.title);
    assert_eq!(stored.article.sha256, first.sha256);
    assert_eq!(stored.article.final_url, first.final_url);
    assert_eq!(stored.article.http_status, Some(304));
    assert_eq!(stored.article.fetched_at, not_modified.fetched_at);
    assert_eq!(stored.first_fetched_at, first.fetched_at);
    assert_eq!(stored.validators, validators);

    assert!(matches!(
        store.article_by_url("https://news.example/other"),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.save_article_validators(id + 100, &validators),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn save_embed_upserts_the_post_and_widgets_have_none() {
    let (_dir, mut store) = new_store();
    let a = store
        .save_article(&article("https://news.example/a"))
        .unwrap();
    let b = store
        .save_article(&article("https://news.example/b"))
        .unwrap();
    let url = "https://www.instagram.com/p/B_abc/";
    let post = embed(EmbedKind::Post, url, Some("B_abc"));

    let first = store.save_embed(a, &post).unwrap();
    let again = store.save_embed(a, &post).unwrap();
    let elsewhere = store.save_embed(b, &post).unwrap();
    assert!(first.is_some());
    assert_eq!(first, again);
    assert_eq!(first, elsewhere);

    let widgets = [
        embed(
            EmbedKind::Profile,
            "https://www.instagram.com/handle/",
            None,
        ),
        embed(
            EmbedKind::ProfileTimeline,
            "https://www.instagram.com/handle/timeline",
            None,
        ),
    ];
    for widget in &widgets {
        assert_eq!(
            store.save_embed(a, widget).unwrap(),
            None,
            "{}",
            widget.kind
        );
    }

    let post_id = first.unwrap();
    let record = store.post(post_id).unwrap();
    assert_eq!(record.key.post_id, "B_abc");
    assert_eq!(record.platform, Platform::Instagram);
    assert_eq!(record.canonical_url, url);
    assert_eq!(record.liveness, LivenessState::default());
    assert_eq!(store.post_by_url(url).unwrap(), record);
    assert_eq!(store.post_by_key(&record.key).unwrap(), record);
    assert_eq!(store.stats().unwrap().posts, 1);

    let in_a = store.article_embeds(a).unwrap();
    assert_eq!(in_a.len(), 3, "one post embed and two widgets");
    assert_eq!(in_a[0].embed, post);
    assert_eq!(in_a[0].post_id, Some(post_id));
    assert_eq!(in_a[1].embed, widgets[0]);
    assert_eq!(in_a[1].post_id, None);
    assert_eq!(store.post_embeds(post_id).unwrap().len(), 2);

    assert!(matches!(
        store.save_embed(a + 100, &post),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.post_by_url("https://www.instagram.com/p/nope/"),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.post(post_id + 100),
        Err(StoreError::NotFound(_))
    ));
}

// ---- checks and snapshots ----

#[test]
fn same_content_again_only_moves_last_seen_and_new_content_adds_a_snapshot() {
    let (_dir, mut store) = new_store();
    let post_id = post_in_article(&mut store, "B_abc");

    let first = snapshot("hello", "2026-11-01T10:00:00Z", vec![]);
    let written = store
        .write_check(
            post_id,
            &check(CheckOutcome::Live, "2026-11-01T10:00:00Z"),
            Some(&first),
            &mark_live,
        )
        .unwrap();
    assert!(written.new_snapshot);
    assert_eq!(written.liveness.status, PostStatus::Live);
    let first_id = written.snapshot_id.unwrap();

    // Same content, whitespace aside, fetched a day later from another source.
    let mut same = snapshot("hello ", "2026-11-02T10:00:00Z", vec![]);
    same.source = "instagram-oembed".into();
    let written = store
        .write_check(
            post_id,
            &check(CheckOutcome::Live, "2026-11-02T10:00:00Z"),
            Some(&same),
            &mark_live,
        )
        .unwrap();
    assert!(!written.new_snapshot);
    assert_eq!(written.snapshot_id, Some(first_id));
    let stored = store.snapshots(post_id).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].first_seen_at, first.fetched_at);
    assert_eq!(stored[0].last_seen_at, same.fetched_at);
    assert_eq!(stored[0].snapshot.source, "instagram-embed");
    assert_eq!(stored[0].content_sha256, first.content_sha256());

    // An older fetch of the same content arriving late does not move it back.
    store
        .write_check(
            post_id,
            &check(CheckOutcome::Live, "2026-11-01T12:00:00Z"),
            Some(&snapshot("hello", "2026-11-01T12:00:00Z", vec![])),
            &mark_live,
        )
        .unwrap();
    assert_eq!(
        store
            .latest_snapshot(post_id)
            .unwrap()
            .unwrap()
            .last_seen_at,
        same.fetched_at
    );

    let edited = snapshot("hello, edited", "2026-11-03T10:00:00Z", vec![]);
    let written = store
        .write_check(
            post_id,
            &check(CheckOutcome::Live, "2026-11-03T10:00:00Z"),
            Some(&edited),
            &mark_live,
        )
        .unwrap();
    assert!(written.new_snapshot);
    assert_ne!(written.snapshot_id, Some(first_id));
    let stored = store.snapshots(post_id).unwrap();
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[0].snapshot.text.as_deref(), Some("hello, edited"));
    assert_eq!(stored[1].id, first_id);
    let latest = store.latest_snapshot(post_id).unwrap().unwrap();
    assert_eq!(latest.id, stored[0].id);
    assert_eq!(latest.snapshot, edited);
    assert_eq!(store.snapshot(first_id).unwrap().id, first_id);
}

#[test]
fn a_check_without_a_snapshot_keeps_the_archived_one() {
    let (_dir, mut store) = new_store();
    let post_id = post_in_article(&mut store, "B_abc");
    let live = snapshot("kept", "2026-11-01T10:00:00Z", vec![]);
    store
        .write_check(
            post_id,
            &check(CheckOutcome::Live, "2026-11-01T10:00:00Z"),
            Some(&live),
            &mark_live,
        )
        .unwrap();
    let before = store.latest_snapshot(post_id).unwrap().unwrap();

    for (i, outcome) in [
        CheckOutcome::Gone,
        CheckOutcome::Transient,
        CheckOutcome::Gone,
    ]
    .into_iter()
    .enumerate()
    {
        let when = format!("2026-11-0{}T10:00:00Z", i + 2);
        let decide: &dyn Fn(&LivenessState) -> LivenessState = match outcome {
            CheckOutcome::Gone => &count_gone,
            _ => &|previous: &LivenessState| previous.clone(),
        };
        let written = store
            .write_check(post_id, &check(outcome, &when), None, decide)
            .unwrap();
        assert_eq!(written.snapshot_id, None);
        assert!(!written.new_snapshot);
    }
    assert_eq!(store.latest_snapshot(post_id).unwrap().unwrap(), before);
    assert_eq!(store.snapshots(post_id).unwrap().len(), 1);

    let post = store.post(post_id).unwrap();
    assert_eq!(post.liveness.status, PostStatus::Suspect);
    assert_eq!(post.liveness.gone_streak, 2);
    assert_eq!(post.last_checked_at, Some(at("2026-11-04T10:00:00Z")));

    let history = store.checks(post_id).unwrap();
    let outcomes: Vec<CheckOutcome> = history.iter().map(|c| c.outcome).collect();
    assert_eq!(
        outcomes,
        [
            CheckOutcome::Gone,
            CheckOutcome::Transient,
            CheckOutcome::Gone,
            CheckOutcome::Live
        ],
        "newest first"
    );
    assert_eq!(
        history[0],
        check(CheckOutcome::Gone, "2026-11-04T10:00:00Z")
    );
}

#[test]
fn write_check_for_an_unknown_post_is_not_found() {
    let (_dir, mut store) = new_store();
    let result = store.write_check(
        42,
        &check(CheckOutcome::Live, "2026-11-01T10:00:00Z"),
        Some(&snapshot("x", "2026-11-01T10:00:00Z", vec![])),
        &mark_live,
    );
    assert!(matches!(result, Err(StoreError::NotFound(_))));
    assert_eq!(store.stats().unwrap().snapshots, 0);
}

#[test]
fn a_thumbnail_used_twice_is_stored_once() {
    let (dir, mut store) = new_store();
    let post_id = post_in_article(&mut store, "B_abc");
    let thumb = thumbnail(WEBP);
    for (i, text) in ["one", "two"].into_iter().enumerate() {
        let s = snapshot(
            text,
            &format!("2026-11-0{}T10:00:00Z", i + 1),
            vec![
                media("https://cdn.example/a.jpg?sig=1", Some(thumb.clone())),
                media("https://cdn.example/b.mp4", None),
            ],
        );
        store
            .write_check(
                post_id,
                &check(CheckOutcome::Live, "2026-11-01T10:00:00Z"),
                Some(&s),
                &mark_live,
            )
            .unwrap();
    }
    let path = dir.path().join("archive.db");
    assert_eq!(count(&path, "SELECT count(*) FROM snapshots"), 2);
    assert_eq!(count(&path, "SELECT count(*) FROM media"), 4);
    assert_eq!(count(&path, "SELECT count(*) FROM blobs"), 1);
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM blobs WHERE compression = 'none'"
        ),
        1,
        "thumbnails are stored as-is"
    );

    let latest = store.latest_snapshot(post_id).unwrap().unwrap();
    let stored_thumb = latest.snapshot.media[0].thumbnail.clone().unwrap();
    assert_eq!(
        stored_thumb,
        StoredImage {
            bytes: vec![],
            ..thumb.clone()
        }
    );
    assert_eq!(latest.snapshot.media[1].thumbnail, None);
    assert_eq!(store.blob(&thumb.sha256).unwrap(), WEBP);
    assert!(matches!(
        store.blob(&sha256_hex(b"never stored")),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn raw_bodies_round_trip_through_compression() {
    let (dir, mut store) = new_store();
    let post_id = post_in_article(&mut store, "B_abc");
    let mut s = snapshot("with raw", "2026-11-01T10:00:00Z", vec![]);
    s.raw = vec![
        RawBody {
            url: "https://x.com/UaSmart/status/934106870834454529".into(),
            content_type: Some("text/html; charset=utf-8".into()),
            bytes: HTML_BODY.to_vec(),
        },
        RawBody {
            url: "https://publish.twitter.com/oembed?url=…".into(),
            content_type: None,
            bytes: JSON_BODY.to_vec(),
        },
        RawBody {
            url: "https://cdn.example/poster.webp".into(),
            content_type: Some("image/webp".into()),
            bytes: WEBP.to_vec(),
        },
    ];
    let written = store
        .write_check(
            post_id,
            &check(CheckOutcome::Live, "2026-11-01T10:00:00Z"),
            Some(&s),
            &mark_live,
        )
        .unwrap();
    let snapshot_id = written.snapshot_id.unwrap();
    assert_eq!(store.raw_bodies(snapshot_id).unwrap(), s.raw);
    assert!(
        store
            .latest_snapshot(post_id)
            .unwrap()
            .unwrap()
            .snapshot
            .raw
            .is_empty()
    );

    let path = dir.path().join("archive.db");
    let conn = Connection::open(&path).unwrap();
    let stored: (String, i64, i64) = conn
        .query_row(
            "SELECT compression, size, length(data) FROM blobs WHERE sha256 = ?1",
            [sha256_hex(HTML_BODY)],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .unwrap();
    assert_eq!(stored.0, "zlib");
    assert_eq!(stored.1, HTML_BODY.len() as i64);
    assert!(stored.2 < stored.1 / 2, "HTML compresses well: {stored:?}");
    let webp: String = conn
        .query_row(
            "SELECT compression FROM blobs WHERE sha256 = ?1",
            [sha256_hex(WEBP)],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(
        webp, "none",
        "compressed images do not shrink, so they stay as-is"
    );
}

#[test]
fn a_failing_media_insert_leaves_the_database_as_before() {
    let (dir, mut store) = new_store();
    let path = dir.path().join("archive.db");
    let post_id = post_in_article(&mut store, "B_abc");
    let good = snapshot(
        "good",
        "2026-11-01T10:00:00Z",
        vec![media("https://cdn.example/a.jpg", Some(thumbnail(WEBP)))],
    );
    store
        .write_check(
            post_id,
            &check(CheckOutcome::Live, "2026-11-01T10:00:00Z"),
            Some(&good),
            &mark_live,
        )
        .unwrap();
    let before = dump(&path);

    // The second media item's thumbnail claims a digest its bytes do not have: the failure
    // comes after the snapshot row, its raw body and the first thumbnail were written.
    let mut lying = thumbnail(JPEG);
    lying.sha256 = sha256_hex(b"something else");
    let mut bad = snapshot(
        "new content",
        "2026-11-02T10:00:00Z",
        vec![
            media("https://cdn.example/c.jpg", Some(thumbnail(HTML_BODY))),
            media("https://cdn.example/d.jpg", Some(lying)),
        ],
    );
    bad.raw = vec![RawBody {
        url: "https://www.instagram.com/p/B_abc/embed/captioned/".into(),
        content_type: None,
        bytes: JSON_BODY.to_vec(),
    }];
    let result = store.write_check(
        post_id,
        &check(CheckOutcome::Live, "2026-11-02T10:00:00Z"),
        Some(&bad),
        &count_gone,
    );
    assert!(
        matches!(result, Err(StoreError::DigestMismatch { .. })),
        "{result:?}"
    );
    assert_eq!(dump(&path), before);

    // The store is still usable afterwards.
    store
        .write_check(
            post_id,
            &check(CheckOutcome::Gone, "2026-11-03T10:00:00Z"),
            None,
            &count_gone,
        )
        .unwrap();
    assert_eq!(store.checks(post_id).unwrap().len(), 2);
}

#[test]
fn a_panicking_decide_leaves_the_database_as_before() {
    let (dir, mut store) = new_store();
    let path = dir.path().join("archive.db");
    let post_id = post_in_article(&mut store, "B_abc");
    let before = dump(&path);

    let s = snapshot(
        "never stored",
        "2026-11-01T10:00:00Z",
        vec![media("https://cdn.example/a.jpg", Some(thumbnail(WEBP)))],
    );
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        store.write_check(
            post_id,
            &check(CheckOutcome::Live, "2026-11-01T10:00:00Z"),
            Some(&s),
            &|_| panic!("liveness bug"),
        )
    }));
    assert!(outcome.is_err());
    assert_eq!(dump(&path), before);
    assert_eq!(store.latest_snapshot(post_id).unwrap(), None);
}

// ---- scheduling ----

#[test]
fn due_posts_follow_next_check_at() {
    let (_dir, mut store) = new_store();
    let a = post_in_article(&mut store, "A");
    let b = post_in_article(&mut store, "B");
    let c = post_in_article(&mut store, "C");
    let now = at("2026-11-10T00:00:00Z");
    store
        .set_next_check_at(a, Some(now + Duration::hours(1)))
        .unwrap();
    store
        .set_next_check_at(b, Some(now - Duration::hours(1)))
        .unwrap();
    // c was never scheduled: due first.
    let due: Vec<i64> = store
        .due_posts(now, 10)
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(due, [c, b]);
    assert_eq!(store.due_posts(now, 1).unwrap().len(), 1);
    assert_eq!(store.next_due_at().unwrap(), Some(now - Duration::hours(1)));
    assert_eq!(
        store.post(a).unwrap().next_check_at,
        Some(now + Duration::hours(1))
    );
    assert!(matches!(
        store.set_next_check_at(c + 100, None),
        Err(StoreError::NotFound(_))
    ));
}

// ---- stats and health ----

#[test]
fn stats_count_what_was_written() {
    let (_dir, mut store) = new_store();
    assert_eq!(
        store.stats().unwrap().posts_by_status,
        [
            ("live".to_owned(), 0),
            ("suspect".to_owned(), 0),
            ("gone".to_owned(), 0),
            ("unknown".to_owned(), 0)
        ]
    );
    let live = post_in_article(&mut store, "A");
    let _unchecked = post_in_article(&mut store, "B");
    let mut s = snapshot(
        "text",
        "2026-11-01T10:00:00Z",
        vec![
            media("https://cdn.example/a.jpg", Some(thumbnail(WEBP))),
            media("https://cdn.example/b.jpg", Some(thumbnail(JPEG))),
        ],
    );
    s.raw = vec![RawBody {
        url: "https://example/raw".into(),
        content_type: None,
        bytes: JSON_BODY.to_vec(),
    }];
    store
        .write_check(
            live,
            &check(CheckOutcome::Live, "2026-11-01T10:00:00Z"),
            Some(&s),
            &mark_live,
        )
        .unwrap();

    let stats = store.stats().unwrap();
    assert_eq!(stats.articles, 1);
    assert_eq!(stats.posts, 2);
    assert_eq!(stats.posts_by_status[0], ("live".to_owned(), 1));
    assert_eq!(stats.posts_by_status[3], ("unknown".to_owned(), 1));
    assert_eq!(stats.snapshots, 1);
    assert_eq!(stats.media, 2);
    assert_eq!(stats.blobs, 3);
    assert!(stats.blob_bytes >= (WEBP.len() + JPEG.len()) as u64);
    assert!(stats.blob_bytes < (WEBP.len() + JPEG.len() + JSON_BODY.len()) as u64);
    assert_eq!(stats.checks, 1);
    assert_eq!(stats.schema_version, Store::schema_version());
    assert!(stats.file_bytes > 0);
}

#[test]
fn check_is_empty_when_healthy_and_names_a_corrupted_blob() {
    let (dir, mut store) = new_store();
    let path = dir.path().join("archive.db");
    let post_id = post_in_article(&mut store, "B_abc");
    let mut s = snapshot(
        "text",
        "2026-11-01T10:00:00Z",
        vec![media("https://cdn.example/a.jpg", Some(thumbnail(WEBP)))],
    );
    s.raw = vec![RawBody {
        url: "https://example/raw".into(),
        content_type: None,
        bytes: HTML_BODY.to_vec(),
    }];
    store
        .write_check(
            post_id,
            &check(CheckOutcome::Live, "2026-11-01T10:00:00Z"),
            Some(&s),
            &mark_live,
        )
        .unwrap();
    assert_eq!(store.check().unwrap(), Vec::<String>::new());

    let thumb_sha = sha256_hex(WEBP);
    let raw_sha = sha256_hex(HTML_BODY);
    {
        let conn = Connection::open(&path).unwrap();
        // Flip bits in the thumbnail; truncate the compressed body.
        conn.execute(
            "UPDATE blobs SET data = zeroblob(length(data)) WHERE sha256 = ?1",
            [&thumb_sha],
        )
        .unwrap();
        conn.execute(
            "UPDATE blobs SET data = substr(data, 1, 20) WHERE sha256 = ?1",
            [&raw_sha],
        )
        .unwrap();
    }
    let problems = store.check().unwrap();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems.iter().any(|p| p.contains(&thumb_sha)),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains(&raw_sha)),
        "{problems:?}"
    );
    assert!(matches!(
        store.blob(&raw_sha),
        Err(StoreError::CorruptBlob { .. })
    ));
}
