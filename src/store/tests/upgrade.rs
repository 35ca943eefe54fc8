//! An archive written by schema version 3 (before titles, languages, reply/quote targets, alt
//! text and poster URLs had columns) upgrades in place, keeps every row, and an unchanged post
//! re-fetched afterwards is the same snapshot, completed, not a new version.

use rusqlite::params;

use super::*;
use crate::store::blobs::{put_raw, put_thumbnail};
use crate::store::columns::time;
use crate::store::migrate::MIGRATIONS;

/// The columns a version-3 archive has, per table this test fills.
const V3_TABLES: &[(&str, &str)] = &[
    ("articles", "id, url, final_url, title, sha256, fetched_at"),
    ("posts", "id, platform, post_id, canonical_url, status, pin"),
    (
        "article_embeds",
        "id, article_id, post_id, post_url, markup, text",
    ),
    (
        "snapshots",
        "id, post_id, content_sha256, source, author_name, text, published_at, fetched_at, \
         last_seen_at",
    ),
    (
        "media",
        "snapshot_id, position, kind, url, width, height, thumbnail_sha256, thumbnail_mime",
    ),
    ("snapshot_raw", "snapshot_id, position, url, blob_sha256"),
    ("checks", "id, post_id, at, outcome, source, snapshot_id"),
    ("blobs", "sha256, size, compression, data"),
];

fn rows(path: &Path, table: &str, columns: &str) -> Vec<Vec<Value>> {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare(&format!("SELECT {columns} FROM {table} ORDER BY rowid"))
        .unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |row| (0..n).map(|i| row.get::<_, Value>(i)).collect())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// What version 3 wrote for one archived Instagram post with one image.
fn old_snapshot() -> Snapshot {
    snapshot(
        "a caption",
        "2026-10-01T10:00:00Z",
        vec![media(
            "https://cdn.example/a.jpg?sig=1",
            Some(thumbnail(WEBP)),
        )],
    )
}

/// A database at schema version 3 holding `old_snapshot()` as that version stored it.
fn version_3_archive(path: &Path) {
    let mut conn = Connection::open(path).unwrap();
    let tx = conn.transaction().unwrap();
    for migration in &MIGRATIONS[..3] {
        tx.execute_batch(migration.sql).unwrap();
    }
    tx.pragma_update(None, "user_version", 3).unwrap();
    let old = old_snapshot();
    let fetched = time(old.fetched_at);
    tx.execute(
        "INSERT INTO articles (id, url, final_url, title, sha256, first_fetched_at, fetched_at) \
         VALUES (1, 'https://news.example/a', NULL, 'A title', 'ab', ?1, ?1)",
        [&fetched],
    )
    .unwrap();
    tx.execute(
        "INSERT INTO posts (id, platform, post_id, canonical_url, status, last_live_at, \
             created_at) \
         VALUES (1, 'instagram', 'B_abc', 'https://www.instagram.com/p/B_abc/', 'live', ?1, ?1)",
        [&fetched],
    )
    .unwrap();
    tx.execute(
        "INSERT INTO article_embeds (id, article_id, post_id, platform, kind, post_url, \
             platform_post_id, location, evidence, markup, text, first_seen_at, last_seen_at) \
         VALUES (1, 1, 1, 'instagram', 'post', 'https://www.instagram.com/p/B_abc/', 'B_abc', \
             'dom', 'blockquote', '<blockquote>…</blockquote>', 'a caption', ?1, ?1)",
        [&fetched],
    )
    .unwrap();
    // The version-1 hash is what version 3 stored (no version-2 fields exist on this content).
    assert_eq!(old.content_sha256(), old.legacy_content_sha256());
    tx.execute(
        "INSERT INTO snapshots (id, post_id, content_sha256, source, author_name, \
             author_handle, author_url, text, published_at, fetched_at, last_seen_at) \
         VALUES (1, 1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            old.legacy_content_sha256(),
            old.source,
            old.author_name,
            old.author_handle,
            old.author_url,
            old.text,
            old.published_at.map(time),
            fetched,
        ],
    )
    .unwrap();
    let thumb = old.media[0].thumbnail.as_ref().unwrap();
    put_thumbnail(&tx, path, thumb).unwrap();
    tx.execute(
        "INSERT INTO media (snapshot_id, position, kind, url, width, height, thumbnail_sha256, \
             thumbnail_width, thumbnail_height, thumbnail_mime) \
         VALUES (1, 0, 'image', ?1, 1080, 1350, ?2, 100, 100, 'image/webp')",
        params![old.media[0].url, thumb.sha256],
    )
    .unwrap();
    let raw = RawBody {
        url: "https://www.instagram.com/p/B_abc/embed/captioned/".into(),
        content_type: Some("text/html".into()),
        bytes: HTML_BODY.to_vec(),
    };
    let raw_sha = put_raw(&tx, path, &raw).unwrap();
    tx.execute(
        "INSERT INTO snapshot_raw (snapshot_id, position, url, content_type, blob_sha256) \
         VALUES (1, 0, ?1, 'text/html', ?2)",
        params![raw.url, raw_sha],
    )
    .unwrap();
    tx.execute(
        "INSERT INTO checks (id, post_id, at, outcome, source, evidence, snapshot_id) \
         VALUES (1, 1, ?1, 'live', 'instagram-embed', 'HTTP 200', 1)",
        [&fetched],
    )
    .unwrap();
    tx.commit().unwrap();
}

/// The same post as `old_snapshot()`, read after the upgrade: the platform now also gives a
/// language, alt text and the image the thumbnail is made from (a re-signed CDN URL).
fn same_post_with_new_fields(when: &str) -> Snapshot {
    let mut fresh = old_snapshot();
    fresh.fetched_at = at(when);
    fresh.lang = Some("en".into());
    fresh.media[0].url = "https://cdn.example/a.jpg?sig=2".into();
    fresh.media[0].alt = Some("A dog on a beach".into());
    fresh.media[0].poster_url = Some("https://cdn.example/a.jpg?sig=2".into());
    fresh.raw = vec![RawBody {
        url: "https://www.instagram.com/p/B_abc/embed/captioned/".into(),
        content_type: Some("text/html".into()),
        bytes: JSON_BODY.to_vec(),
    }];
    fresh
}

#[test]
fn a_version_3_archive_upgrades_with_every_row_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("archive.db");
    version_3_archive(&path);
    let before: Vec<_> = V3_TABLES
        .iter()
        .map(|(table, columns)| rows(&path, table, columns))
        .collect();
    assert!(before.iter().all(|r| !r.is_empty()), "{before:?}");

    let store = Store::open(&path).unwrap();
    let after: Vec<_> = V3_TABLES
        .iter()
        .map(|(table, columns)| rows(&path, table, columns))
        .collect();
    assert_eq!(before, after);
    assert_eq!(store.check().unwrap(), Vec::<String>::new());

    let stored = store.latest_snapshot(1).unwrap().unwrap();
    assert_eq!(stored.content_version, 1);
    assert_eq!(stored.snapshot.text.as_deref(), Some("a caption"));
    assert_eq!(stored.snapshot.title, None);
    assert_eq!(stored.snapshot.media.len(), 1);
    assert_eq!(stored.snapshot.media[0].alt, None);
    assert_eq!(stored.snapshot.media[0].poster_url, None);
    assert_eq!(
        stored.snapshot.media[0]
            .thumbnail
            .as_ref()
            .map(|t| &t.sha256),
        Some(&sha256_hex(WEBP))
    );
}

#[test]
fn an_unchanged_post_completes_its_version_1_snapshot_and_a_change_is_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("archive.db");
    version_3_archive(&path);
    let mut store = Store::open(&path).unwrap();

    let fresh = same_post_with_new_fields("2026-12-01T10:00:00Z");
    assert_ne!(fresh.content_sha256(), fresh.legacy_content_sha256());
    let written = store
        .write_check(
            1,
            &check(CheckOutcome::Live, "2026-12-01T10:00:00Z"),
            Some(&fresh),
            &mark_live,
        )
        .unwrap();
    assert!(
        !written.new_snapshot,
        "an unchanged post made a new version"
    );
    assert_eq!(written.snapshot_id, Some(1));
    let stored = store.snapshots(1).unwrap();
    assert_eq!(stored.len(), 1);
    let s = &stored[0];
    assert_eq!(s.content_version, crate::model::CONTENT_VERSION);
    assert_eq!(s.content_sha256, fresh.content_sha256());
    assert_eq!(s.first_seen_at, at("2026-10-01T10:00:00Z"), "history kept");
    assert_eq!(s.last_seen_at, fresh.fetched_at);
    assert_eq!(s.snapshot.lang.as_deref(), Some("en"));
    // What version 3 recorded stays as it was; only the new columns are filled.
    assert_eq!(s.snapshot.media[0].url, "https://cdn.example/a.jpg?sig=1");
    assert_eq!(s.snapshot.media[0].alt.as_deref(), Some("A dog on a beach"));
    assert_eq!(
        s.snapshot.media[0].poster_url.as_deref(),
        Some("https://cdn.example/a.jpg?sig=2")
    );
    // The answer the new fields came from is kept as evidence, after the old one.
    let raw = store.raw_bodies(1).unwrap();
    assert_eq!(raw.len(), 2);
    assert_eq!(raw[0].bytes, HTML_BODY);
    assert_eq!(raw[1].bytes, JSON_BODY);
    assert_eq!(store.check().unwrap(), Vec::<String>::new());

    // Seen again: the completed row matches directly.
    let again = same_post_with_new_fields("2026-12-02T10:00:00Z");
    let written = store
        .write_check(
            1,
            &check(CheckOutcome::Live, "2026-12-02T10:00:00Z"),
            Some(&again),
            &mark_live,
        )
        .unwrap();
    assert!(!written.new_snapshot);
    assert_eq!(store.raw_bodies(1).unwrap().len(), 2);

    // From now on a swapped alt text is a change of the post.
    let mut relabelled = same_post_with_new_fields("2026-12-03T10:00:00Z");
    relabelled.media[0].alt = Some("A cat on a beach".into());
    let written = store
        .write_check(
            1,
            &check(CheckOutcome::Live, "2026-12-03T10:00:00Z"),
            Some(&relabelled),
            &mark_live,
        )
        .unwrap();
    assert!(written.new_snapshot);
    assert_eq!(store.snapshots(1).unwrap().len(), 2);
}

#[test]
fn a_version_1_snapshot_with_different_content_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("archive.db");
    version_3_archive(&path);
    let mut store = Store::open(&path).unwrap();

    let mut edited = same_post_with_new_fields("2026-12-01T10:00:00Z");
    edited.text = Some("a caption, edited".into());
    let written = store
        .write_check(
            1,
            &check(CheckOutcome::Live, "2026-12-01T10:00:00Z"),
            Some(&edited),
            &mark_live,
        )
        .unwrap();
    assert!(written.new_snapshot);
    let old = store.snapshot(1).unwrap();
    assert_eq!(old.content_version, 1);
    assert_eq!(old.snapshot.lang, None);
    assert_eq!(old.snapshot.media[0].alt, None);
    assert_eq!(store.raw_bodies(1).unwrap().len(), 1);
}

#[test]
fn a_title_appearing_on_a_version_2_snapshot_is_a_new_snapshot() {
    // Unlike a version-1 row, a version-2 row without a title recorded that there was none.
    let (_dir, mut store) = new_store();
    let post_id = post_in_article(&mut store, "B_abc");
    let first = snapshot("body", "2026-11-01T10:00:00Z", vec![]);
    store
        .write_check(
            post_id,
            &check(CheckOutcome::Live, "2026-11-01T10:00:00Z"),
            Some(&first),
            &mark_live,
        )
        .unwrap();
    let mut titled = snapshot("body", "2026-11-02T10:00:00Z", vec![]);
    titled.title = Some("A title".into());
    let written = store
        .write_check(
            post_id,
            &check(CheckOutcome::Live, "2026-11-02T10:00:00Z"),
            Some(&titled),
            &mark_live,
        )
        .unwrap();
    assert!(written.new_snapshot);
    let latest = store.latest_snapshot(post_id).unwrap().unwrap();
    assert_eq!(latest.snapshot.title.as_deref(), Some("A title"));
    assert_eq!(
        store.snapshot(written.snapshot_id.unwrap()).unwrap(),
        latest
    );
}
