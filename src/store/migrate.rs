//! Schema migrations: the numbered `schema/NNNN_name.sql` files, embedded in the binary and
//! applied in order, each in its own transaction, with `PRAGMA user_version` recording how many
//! have been applied. A migration is never edited once released; a change is a new file.

use std::path::Path;

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::error::{AtPath, StoreError};

/// A step of a migration that SQL cannot say (URL parsing), run after its SQL in the same
/// transaction.
type Step = fn(&Transaction<'_>) -> rusqlite::Result<()>;

/// One numbered migration: its name (its file's, without `.sql`), its SQL, and the step it takes
/// after the SQL, if any.
#[derive(Clone, Copy)]
pub(crate) struct Migration {
    pub name: &'static str,
    pub sql: &'static str,
    pub step: Option<Step>,
}

impl Migration {
    /// A migration of SQL alone.
    pub(crate) const fn sql(name: &'static str, sql: &'static str) -> Migration {
        Migration {
            name,
            sql,
            step: None,
        }
    }
}

/// Every migration, in order; migration `i` (0-based) brings the schema to version `i + 1`.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration::sql("0001_init", include_str!("../../schema/0001_init.sql")),
    Migration::sql(
        "0002_media_originals",
        include_str!("../../schema/0002_media_originals.sql"),
    ),
    Migration::sql(
        "0003_service",
        include_str!("../../schema/0003_service.sql"),
    ),
    Migration::sql(
        "0004_snapshot_fields",
        include_str!("../../schema/0004_snapshot_fields.sql"),
    ),
    Migration::sql(
        "0005_job_hosts",
        include_str!("../../schema/0005_job_hosts.sql"),
    ),
    Migration::sql(
        "0006_article_errors_that_last",
        include_str!("../../schema/0006_article_errors_that_last.sql"),
    ),
    Migration::sql(
        "0007_queued_job_hosts",
        include_str!("../../schema/0007_queued_job_hosts.sql"),
    ),
    Migration::sql(
        "0008_embeds_removed",
        include_str!("../../schema/0008_embeds_removed.sql"),
    ),
    Migration {
        name: "0009_article_keys",
        sql: include_str!("../../schema/0009_article_keys.sql"),
        step: Some(super::article_keys::rekey),
    },
];

/// The schema version this binary writes.
pub(crate) fn known_version() -> u32 {
    // The list is a short compile-time constant.
    MIGRATIONS.len() as u32
}

/// Apply the migrations the database has not seen yet; returns how many were applied.
pub(crate) fn migrate(conn: &mut Connection, path: &Path) -> Result<u32, StoreError> {
    apply(conn, path, MIGRATIONS)
}

/// Apply `migrations` (in order, numbered from 1) beyond the database's `user_version`. A
/// migration that fails leaves the database at the previous version, none of it applied.
fn apply(conn: &mut Connection, path: &Path, migrations: &[Migration]) -> Result<u32, StoreError> {
    let mut applied = 0;
    for (index, migration) in migrations.iter().enumerate() {
        let version = index as u32 + 1;
        // IMMEDIATE takes the write lock first, so two processes opening a new file at once
        // cannot both apply the same migration: the second sees the new user_version.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .at(path)?;
        let current: u32 = tx
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .at(path)?;
        if current >= version {
            continue;
        }
        tx.execute_batch(migration.sql).at(path)?;
        if let Some(step) = migration.step {
            step(&tx).at(path)?;
        }
        tx.pragma_update(None, "user_version", version).at(path)?;
        tx.commit().at(path)?;
        tracing::info!(path = %path.display(), migration = migration.name, "applied schema migration");
        applied += 1;
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user_version(conn: &Connection) -> u32 {
        conn.pragma_query_value(None, "user_version", |row| row.get(0))
            .unwrap()
    }

    fn has_table(conn: &Connection, name: &str) -> bool {
        conn.query_row(
            "SELECT count(*) > 0 FROM sqlite_schema WHERE name = ?1",
            [name],
            |row| row.get(0),
        )
        .unwrap()
    }

    #[test]
    fn migrations_apply_in_order_once_and_a_failing_one_applies_nothing() {
        let path = Path::new(":memory:");
        let mut conn = Connection::open_in_memory().unwrap();
        let first = [Migration::sql("0001_a", "CREATE TABLE a (x INTEGER);")];
        assert_eq!(apply(&mut conn, path, &first).unwrap(), 1);
        assert_eq!(
            apply(&mut conn, path, &first).unwrap(),
            0,
            "already applied"
        );
        assert_eq!(user_version(&conn), 1);

        let broken = [
            first[0],
            Migration::sql(
                "0002_b",
                "CREATE TABLE b (x INTEGER); INSERT INTO a VALUES (1); NOT SQL;",
            ),
        ];
        let err = apply(&mut conn, path, &broken).unwrap_err();
        assert!(matches!(err, StoreError::Sqlite { .. }), "{err}");
        assert_eq!(user_version(&conn), 1);
        assert!(!has_table(&conn, "b"), "the failed migration left a table");
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM a", [], |row| row.get(0))
            .unwrap();
        assert_eq!(rows, 0, "the failed migration left a row");

        let fixed = [
            first[0],
            Migration::sql("0002_b", "CREATE TABLE b (x INTEGER);"),
            Migration::sql("0003_c", "CREATE TABLE c (x INTEGER);"),
        ];
        assert_eq!(apply(&mut conn, path, &fixed).unwrap(), 2);
        assert_eq!(user_version(&conn), 3);
        assert!(has_table(&conn, "b") && has_table(&conn, "c"));
    }

    #[test]
    fn a_version_1_archive_upgrades_to_media_originals() {
        let path = Path::new(":memory:");
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        assert_eq!(apply(&mut conn, path, &MIGRATIONS[..1]).unwrap(), 1);
        assert_eq!(migrate(&mut conn, path).unwrap(), known_version() - 1);
        assert_eq!(user_version(&conn), known_version());
        let columns: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info('media')")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            columns.iter().any(|c| c == "original_sha256"),
            "{columns:?}"
        );
        assert!(columns.iter().any(|c| c == "original_mime"), "{columns:?}");
    }

    #[test]
    fn a_version_2_archive_gains_pins_sources_and_jobs() {
        let path = Path::new(":memory:");
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        assert_eq!(apply(&mut conn, path, &MIGRATIONS[..2]).unwrap(), 2);
        assert_eq!(migrate(&mut conn, path).unwrap(), known_version() - 2);
        assert!(has_table(&conn, "jobs") && has_table(&conn, "sources"));
        let pin: Option<String> = conn
            .query_row(
                "SELECT name FROM pragma_table_info('posts') WHERE name = 'pin'",
                [],
                |r| r.get(0),
            )
            .ok();
        assert_eq!(pin.as_deref(), Some("pin"));
    }

    #[test]
    fn a_version_3_archive_gains_snapshot_fields() {
        let path = Path::new(":memory:");
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        assert_eq!(apply(&mut conn, path, &MIGRATIONS[..3]).unwrap(), 3);
        assert_eq!(migrate(&mut conn, path).unwrap(), known_version() - 3);
        let columns = |table: &str| -> Vec<String> {
            conn.prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .unwrap()
                .query_map([], |row| row.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        let snapshots = columns("snapshots");
        for name in ["title", "lang", "reply_to", "quote_of", "content_version"] {
            assert!(snapshots.iter().any(|c| c == name), "{name}: {snapshots:?}");
        }
        let media = columns("media");
        for name in ["alt", "poster_url"] {
            assert!(media.iter().any(|c| c == name), "{name}: {media:?}");
        }
    }

    /// Jobs queued before the jobs' hosts were recorded get the host the binary would record:
    /// the article URL's for an archive job, the post's canonical URL's for a check job.
    #[test]
    fn a_version_4_archive_records_the_host_of_its_queued_jobs() {
        let path = Path::new(":memory:");
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        assert_eq!(apply(&mut conn, path, &MIGRATIONS[..4]).unwrap(), 4);
        conn.execute_batch(
            "INSERT INTO posts (id, platform, post_id, canonical_url, created_at) \
                 VALUES (7, 'instagram', 'B_abc', 'https://www.Instagram.com/p/B_abc/', 'x');
             INSERT INTO jobs (kind, key, run_at, created_at) VALUES
                 ('archive', 'https://News.example/a/b?c#d', 't', 't'),
                 ('archive', 'http://user:pw@news.example:8080/', 't', 't'),
                 ('archive', 'http://[::1]:8080/x', 't', 't'),
                 ('archive', 'not a url', 't', 't'),
                 ('check', '7', 't', 't'),
                 ('check', '8', 't', 't');",
        )
        .unwrap();
        assert_eq!(apply(&mut conn, path, &MIGRATIONS[..8]).unwrap(), 4);
        let hosts: Vec<(String, Option<String>)> = conn
            .prepare("SELECT key, host FROM jobs ORDER BY id")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let expected = |key: &str, host: Option<&str>| (key.to_owned(), host.map(str::to_owned));
        assert_eq!(
            hosts,
            [
                expected("https://News.example/a/b?c#d", Some("news.example")),
                expected("http://user:pw@news.example:8080/", Some("news.example")),
                expected("http://[::1]:8080/x", Some("[::1]")),
                expected("not a url", None),
                expected("7", Some("www.instagram.com")),
                expected("8", None),
            ]
        );
        // As the binary reads them.
        for (key, host) in &hosts[..3] {
            let parsed = url::Url::parse(key).unwrap();
            assert_eq!(parsed.host_str(), host.as_deref(), "{key}");
        }
    }

    /// An archive of version 8 kept articles under their URLs as typed: one page typed two
    /// ways is one article after the upgrade, under the URL parser's form, its links to posts
    /// joined (those only the older reading held marked removed as of the later one), and its
    /// queued archive jobs are one.
    #[test]
    fn a_version_8_archive_keys_each_page_once() {
        let path = Path::new(":memory:");
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        assert_eq!(apply(&mut conn, path, &MIGRATIONS[..8]).unwrap(), 8);
        let t1 = "2026-01-01T00:00:00.000000000Z";
        let t2 = "2026-02-01T00:00:00.000000000Z";
        conn.execute_batch(&format!(
            "INSERT INTO articles (id, url, title, first_fetched_at, fetched_at) VALUES
                 (1, 'https://news.example/story.html', 'old', '{t1}', '{t1}'),
                 (2, 'HTTPS://NEWS.EXAMPLE:443/./story.html', 'new', '{t2}', '{t2}'),
                 (3, 'https://news.example/my story', 'lone', '{t1}', '{t1}'),
                 (4, 'https://news.example/other', 'other', '{t1}', '{t1}');
             INSERT INTO article_embeds (article_id, first_seen_at, last_seen_at, platform, \
                 kind, post_url, location, evidence, markup) VALUES
                 (1, '{t1}', '{t1}', 'x', 'post', 'https://x.com/a/status/1', 'dom', 'e', 'm'),
                 (1, '{t1}', '{t1}', 'x', 'post', 'https://x.com/a/status/2', 'dom', 'e', 'm'),
                 (2, '{t2}', '{t2}', 'x', 'post', 'https://x.com/a/status/2', 'dom', 'e', 'm'),
                 (2, '{t2}', '{t2}', 'x', 'post', 'https://x.com/a/status/3', 'dom', 'e', 'm'),
                 (3, '{t1}', '{t1}', 'x', 'post', 'https://x.com/a/status/4', 'dom', 'e', 'm');
             INSERT INTO jobs (kind, key, run_at, created_at, host) VALUES
                 ('archive', 'https://news.example/story.html', 't', 't', 'news.example'),
                 ('archive', 'https://NEWS.example/story.html', 't', 't', 'news.example'),
                 ('archive', 'https://news.example/my story', 't', 't', 'news.example');"
        ))
        .unwrap();
        assert_eq!(migrate(&mut conn, path).unwrap(), known_version() - 8);
        let articles: Vec<(i64, String, String)> = conn
            .prepare("SELECT id, url, title FROM articles ORDER BY id")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let row = |id: i64, url: &str, title: &str| (id, url.to_owned(), title.to_owned());
        // The later reading keeps its row, under the key.
        assert_eq!(
            articles,
            [
                row(2, "https://news.example/story.html", "new"),
                row(3, "https://news.example/my%20story", "lone"),
                row(4, "https://news.example/other", "other"),
            ]
        );
        let links: Vec<(i64, String, String, Option<String>)> = conn
            .prepare(
                "SELECT article_id, post_url, first_seen_at, removed_at FROM article_embeds \
                 ORDER BY article_id, post_url",
            )
            .unwrap()
            .query_map([], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let link = |id: i64, n: u8, first: &str, removed: Option<&str>| {
            (
                id,
                format!("https://x.com/a/status/{n}"),
                first.to_owned(),
                removed.map(str::to_owned),
            )
        };
        assert_eq!(
            links,
            [
                // Only the older reading held it: no longer embedded as of the later one.
                link(2, 1, t1, Some(t2)),
                // Both held it: first seen by the older.
                link(2, 2, t1, None),
                link(2, 3, t2, None),
                link(3, 4, t1, None),
            ]
        );
        let jobs: Vec<String> = conn
            .prepare("SELECT key FROM jobs ORDER BY id")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            jobs,
            [
                "https://news.example/story.html",
                "https://news.example/my%20story"
            ]
        );
    }
}
