//! `stats` and `check`.

use super::*;

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
        .into_iter()
        .collect::<std::collections::BTreeMap<_, _>>()
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
    assert_eq!(stats.posts_by_status.get("live"), Some(&1));
    assert_eq!(stats.posts_by_status.get("unknown"), Some(&1));
    assert_eq!(stats.snapshots, 1);
    assert_eq!(stats.media, 2);
    assert_eq!(stats.blobs, 3);
    assert!(stats.blob_bytes >= (WEBP.len() + JPEG.len()) as u64);
    assert!(stats.blob_bytes < (WEBP.len() + JPEG.len() + JSON_BODY.len()) as u64);
    assert_eq!(stats.checks, 1);
    assert_eq!(stats.schema_version, Store::schema_version());
    assert!(stats.file_bytes > 0);
    // A pin counts as readers see the post, as `list`, the API and `/metrics` count it.
    store
        .set_pin(live, Some(PostStatus::Gone), chrono::Utc::now())
        .unwrap();
    let stats = store.stats().unwrap();
    assert_eq!(stats.posts_by_status.get("live"), Some(&0));
    assert_eq!(stats.posts_by_status.get("gone"), Some(&1));
}

#[test]
fn check_is_empty_when_healthy_and_names_each_corruption() {
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
        conn.execute(
            "UPDATE snapshots SET text = 'rewritten' WHERE post_id = ?1",
            [post_id],
        )
        .unwrap();
        // Enforcement is per connection; this one lets an orphan in.
        conn.pragma_update(None, "foreign_keys", "OFF").unwrap();
        conn.execute(
            "INSERT INTO checks (post_id, at, outcome, source, evidence) \
             VALUES (999, '2026-11-01T00:00:00.000000000Z', 'live', 'test', 'orphan')",
            [],
        )
        .unwrap();
    }
    let problems = store.check().unwrap();
    assert_eq!(problems.len(), 4, "{problems:?}");
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("snapshot ") && p.contains(&s.content_sha256())),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("foreign key: checks") && p.contains("posts")),
        "{problems:?}"
    );
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
