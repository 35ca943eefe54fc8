//! Writing checks and snapshots: deduplication, blobs, and all-or-nothing transactions.

use super::*;

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
    let lies: [(&str, String); 2] = [
        ("another digest", sha256_hex(b"something else")),
        ("uppercase digest", sha256_hex(JPEG).to_ascii_uppercase()),
    ];
    for (name, claim) in lies {
        let lying = StoredImage {
            sha256: claim,
            ..thumbnail(JPEG)
        };
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
            "{name}: {result:?}"
        );
        assert_eq!(dump(&path), before, "{name}");
    }

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

#[test]
fn a_writer_waits_for_another_writer_instead_of_failing() {
    let (dir, mut store) = new_store();
    let post_id = post_in_article(&mut store, "B_abc");
    let other = Connection::open(dir.path().join("archive.db")).unwrap();
    other
        .execute_batch(
            "BEGIN IMMEDIATE; \
             INSERT INTO articles (url, first_fetched_at, fetched_at) \
             VALUES ('https://news.example/other', '2026-11-01T00:00:00.000000000Z', \
                     '2026-11-01T00:00:00.000000000Z');",
        )
        .unwrap();
    let hold = std::time::Duration::from_millis(300);
    let releaser = std::thread::spawn(move || {
        std::thread::sleep(hold);
        other.execute_batch("COMMIT").unwrap();
    });

    let started = std::time::Instant::now();
    let written = store.write_check(
        post_id,
        &check(CheckOutcome::Live, "2026-11-01T10:00:00Z"),
        Some(&snapshot("after the wait", "2026-11-01T10:00:00Z", vec![])),
        &mark_live,
    );
    releaser.join().unwrap();
    assert!(written.unwrap().new_snapshot);
    assert!(started.elapsed() >= hold / 2, "the write did not wait");
    assert_eq!(store.stats().unwrap().articles, 2);
}

#[test]
fn a_writer_locked_out_too_long_gets_busy() {
    let (dir, mut store) = new_store();
    let path = dir.path().join("archive.db");
    let post_id = post_in_article(&mut store, "B_abc");
    store.conn.pragma_update(None, "busy_timeout", 50).unwrap();
    let other = Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let result = store.write_check(
        post_id,
        &check(CheckOutcome::Live, "2026-11-01T10:00:00Z"),
        None,
        &mark_live,
    );
    match result {
        Err(StoreError::Busy { path: p }) => assert_eq!(p, path),
        other => panic!("expected Busy, got {other:?}"),
    }
    other.execute_batch("ROLLBACK").unwrap();
}

#[test]
fn a_card_stamp_changes_with_every_change_a_card_shows() {
    let (_dir, mut store) = new_store();
    let post_id = post_in_article(&mut store, "B_stamp");
    let empty = store.card_stamp(post_id).unwrap();
    assert_eq!(empty.post, store.post(post_id).unwrap());
    assert_eq!(empty.latest, None);
    assert!(empty.names(None));

    let mut stamps = vec![empty];
    let mut write = |text: &str, when: &str, decide: &dyn Fn(&LivenessState) -> LivenessState| {
        let snap = (!text.is_empty()).then(|| snapshot(text, when, vec![]));
        let outcome = if text.is_empty() {
            CheckOutcome::Gone
        } else {
            CheckOutcome::Live
        };
        store
            .write_check(post_id, &check(outcome, when), snap.as_ref(), decide)
            .unwrap();
        let stamp = store.card_stamp(post_id).unwrap();
        let latest = store.latest_snapshot(post_id).unwrap();
        assert!(stamp.names(latest.as_ref()), "{stamp:?} vs {latest:?}");
        assert_eq!(stamp.post, store.post(post_id).unwrap());
        stamp
    };
    // First snapshot; the same content seen again later; an edit; a gone answer.
    stamps.push(write("hello", "2026-11-01T10:00:00Z", &mark_live));
    stamps.push(write("hello", "2026-11-02T10:00:00Z", &mark_live));
    stamps.push(write("hello, edited", "2026-11-03T10:00:00Z", &mark_live));
    stamps.push(write("", "2026-11-04T10:00:00Z", &count_gone));
    for (i, a) in stamps.iter().enumerate() {
        for b in &stamps[i + 1..] {
            assert_ne!(a, b);
        }
    }
    // An older snapshot is not the one a stamp names.
    let older = store.snapshots(post_id).unwrap().pop();
    assert!(!stamps[4].names(older.as_ref()));
    assert!(!stamps[4].names(None));
    assert!(matches!(
        store.card_stamp(999_999),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn post_column_count_matches_the_post_columns() {
    assert_eq!(
        crate::store::posts::POST_COLUMNS.split(',').count(),
        crate::store::posts::POST_COLUMN_COUNT
    );
}

/// Regression: retention kept every check that pointed at a snapshot, and every live check
/// that sees the post unchanged points at its snapshot, so the history of a live post was never
/// pruned and the archive grew by a row per post per check for ever. Each snapshot keeps the
/// check that first saw it, each post its newest check; the rest past the cut-off goes.
#[test]
fn retention_prunes_repeated_live_checks_and_keeps_when_each_content_appeared() {
    let (_dir, mut store) = new_store();
    let post_id = post_in_article(&mut store, "B_abc");
    let live = |store: &mut Store, text: &str, day: u32| {
        let when = format!("2026-01-{day:02}T10:00:00Z");
        store
            .write_check(
                post_id,
                &check(CheckOutcome::Live, &when),
                Some(&snapshot(text, &when, vec![])),
                &mark_live,
            )
            .unwrap()
    };
    for day in 1..=10 {
        live(&mut store, "hello", day);
    }
    for day in 11..=14 {
        live(&mut store, "hello, edited", day);
    }
    let report = store.retention(at("2026-02-01T00:00:00Z")).unwrap();
    assert_eq!(report.checks_pruned, 11);
    let kept: Vec<DateTime<Utc>> = store
        .checks(post_id)
        .unwrap()
        .iter()
        .map(|c| c.at)
        .collect();
    assert_eq!(
        kept,
        [
            at("2026-01-14T10:00:00Z"),
            at("2026-01-11T10:00:00Z"),
            at("2026-01-01T10:00:00Z")
        ]
    );
    let snapshots = store.snapshots(post_id).unwrap();
    assert_eq!(snapshots.len(), 2);
    assert_eq!(snapshots[1].last_seen_at, at("2026-01-10T10:00:00Z"));
}
