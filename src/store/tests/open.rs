//! Opening and migrating: what is refused, and that refused files stay untouched.

use super::*;

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
        .map(|m| format!("{}.sql", m.name))
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
        conn.pragma_update(None, "application_id", crate::store::open::APPLICATION_ID)
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

/// SQLite's magic with less than its header after it is an archive cut short, refused and
/// left untouched as any damaged archive is.
#[test]
fn a_file_cut_inside_its_header_is_damaged_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("archive.db");
    let content = b"SQLite format 3\0";
    std::fs::write(&path, content).unwrap();
    for opened in [Store::open(&path), Store::open_read_only(&path)] {
        match opened {
            Err(StoreError::Damaged { problems, .. }) => {
                assert!(problems[0].contains("cut short"), "{problems:?}");
            }
            Err(other) => panic!("expected Damaged, got {other}"),
            Ok(_) => panic!("expected Damaged, got a store"),
        }
    }
    assert_eq!(std::fs::read(&path).unwrap(), content);
}

#[test]
fn files_that_are_not_sqlite_are_refused_and_left_untouched() {
    let cases: [(&str, &[u8]); 4] = [
        ("text", b"this is a note, not a database\n"),
        ("html", HTML_BODY),
        ("part of the magic", b"SQLite form"),
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

#[test]
fn another_applications_database_is_refused_and_left_untouched() {
    let cases: [(&str, &str); 3] = [
        ("other application id", "PRAGMA application_id = 1234;"),
        ("tables but no ids", "CREATE TABLE notes (body TEXT);"),
        ("own schema version", "PRAGMA user_version = 1;"),
    ];
    for (name, sql) in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.db");
        Connection::open(&path).unwrap().execute_batch(sql).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        match Store::open(&path) {
            Err(StoreError::ForeignDatabase { path: p }) => assert_eq!(p, path, "{name}"),
            Err(other) => panic!("{name}: expected ForeignDatabase, got {other}"),
            Ok(_) => panic!("{name}: expected ForeignDatabase, got a store"),
        }
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name}");
    }
}

#[test]
fn an_empty_file_or_empty_database_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let zero_bytes = dir.path().join("touched.db");
    std::fs::write(&zero_bytes, b"").unwrap();
    let fresh_sqlite = dir.path().join("fresh.db");
    // A valid database file with no tables and no ids, as `sqlite3 fresh.db 'VACUUM'` leaves.
    Connection::open(&fresh_sqlite)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); DROP TABLE t; VACUUM;")
        .unwrap();
    for path in [zero_bytes, fresh_sqlite] {
        let mut store = Store::open(&path).unwrap();
        assert_eq!(
            store.stats().unwrap().schema_version,
            Store::schema_version()
        );
        post_in_article(&mut store, "B_abc");
        let app_id: i64 = store
            .conn
            .query_row("PRAGMA application_id", [], |row| row.get(0))
            .unwrap();
        assert_eq!(app_id, i64::from(crate::store::open::APPLICATION_ID));
    }
}

/// Regression: commands started together on a new archive all switch it to WAL mode, and SQLite
/// answers a switch that meets another connection's lock with "busy" at once, without its busy
/// wait; one of them failed with "locked by another writer". The switch now waits.
#[test]
fn an_open_waits_for_another_connection_to_let_go_of_a_new_archive() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    // Another process's connection in the middle of a write to the new, still empty file.
    let other = Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let opening = {
        let path = path.clone();
        std::thread::spawn(move || Store::open(&path).map(|store| store.stats()))
    };
    std::thread::sleep(std::time::Duration::from_millis(300));
    other.execute_batch("COMMIT").unwrap();
    let stats = opening.join().unwrap().unwrap().unwrap();
    assert_eq!(stats.schema_version, Store::schema_version());
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
    // A missing directory under it cannot be created: the error says that, not "read-only".
    // (Root creates it whatever the mode bits say: then there is nothing to check.)
    let deeper = locked.join("missing").join("archive.db");
    match Store::open(&deeper) {
        Err(StoreError::Io { path: p, source }) => {
            assert_eq!(p, locked.join("missing"));
            assert!(source.to_string().contains("does not exist"), "{source}");
        }
        Err(other) => panic!("expected an I/O error naming the directory, got {other}"),
        Ok(_) => eprintln!("SKIPPED: this user creates directories whatever their mode bits"),
    }
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
