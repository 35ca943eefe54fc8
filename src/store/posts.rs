//! Posts: lookups by URL, key and id, the liveness bookkeeping columns, and the re-check
//! schedule (`next_check_at`), which lives in the database so it survives restarts.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::columns::{get_opt_time, get_parsed, get_time, get_u32, opt_time, time};
use super::error::{AtPath, StoreError};
use super::{PostRecord, Store};
use crate::model::{ListedPost, LivenessState, PostFilter, PostKey, PostStatus, article_key};

pub(super) const POST_COLUMNS: &str = "id, platform, post_id, canonical_url, status, gone_streak, \
     first_gone_at, last_live_at, revived_at, created_at, last_checked_at, next_check_at, pin";
/// How many columns [`POST_COLUMNS`] names (a query may select more after them).
pub(super) const POST_COLUMN_COUNT: usize = 13;

pub(super) fn post_from_row(row: &Row<'_>) -> rusqlite::Result<PostRecord> {
    let key = PostKey {
        platform: get_parsed(row, 1)?,
        post_id: row.get(2)?,
    };
    Ok(PostRecord {
        id: row.get(0)?,
        platform: key.platform,
        key,
        canonical_url: row.get(3)?,
        liveness: LivenessState {
            status: get_parsed(row, 4)?,
            gone_streak: get_u32(row, 5)?,
            first_gone_at: get_opt_time(row, 6)?,
            last_live_at: get_opt_time(row, 7)?,
            revived_at: get_opt_time(row, 8)?,
        },
        created_at: get_time(row, 9)?,
        last_checked_at: get_opt_time(row, 10)?,
        next_check_at: get_opt_time(row, 11)?,
        pin: row
            .get::<_, Option<String>>(12)?
            .map(|p| {
                p.parse::<PostStatus>().map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        12,
                        rusqlite::types::Type::Text,
                        e.into(),
                    )
                })
            })
            .transpose()?,
    })
}

/// The statement of [`load_post`], made once: the read behind most routes.
static POST_BY_ID: LazyLock<String> =
    LazyLock::new(|| format!("SELECT {POST_COLUMNS} FROM posts WHERE id = ?1"));

/// The post with this id, read on any connection (also inside a transaction).
pub(crate) fn load_post(conn: &Connection, id: i64) -> rusqlite::Result<Option<PostRecord>> {
    conn.prepare_cached(&POST_BY_ID)?
        .query_row([id], post_from_row)
        .optional()
}

/// Write a post's liveness and when it was checked.
pub(crate) fn write_liveness(
    conn: &Connection,
    id: i64,
    liveness: &LivenessState,
    checked_at: DateTime<Utc>,
) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "UPDATE posts SET status = ?2, gone_streak = ?3, first_gone_at = ?4, last_live_at = ?5, \
             revived_at = ?6, last_checked_at = ?7 \
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        liveness.status.as_str(),
        liveness.gone_streak,
        opt_time(liveness.first_gone_at),
        opt_time(liveness.last_live_at),
        opt_time(liveness.revived_at),
        time(checked_at),
    ])
}

/// How long a post the archive has just recorded, and not yet checked, is left to the archive
/// that found it before a re-check counts it due: longer than any one archive's check of it
/// takes (its requests time out at `http.timeout`, retried a few times).
pub const NEW_POST_GRACE: std::time::Duration = std::time::Duration::from_secs(10 * 60);

impl Store {
    /// A post by its canonical URL (or, failing that, by the URL an article embedded it under).
    pub fn post_by_url(&self, url: &str) -> Result<PostRecord, StoreError> {
        let by_canonical = self
            .conn
            .prepare_cached(&format!(
                "SELECT {POST_COLUMNS} FROM posts WHERE canonical_url = ?1 ORDER BY id LIMIT 1"
            ))
            .and_then(|mut stmt| stmt.query_row([url], post_from_row).optional())
            .at(&self.path)?;
        if let Some(post) = by_canonical {
            return Ok(post);
        }
        self.conn
            .prepare_cached(&format!(
                "SELECT {POST_COLUMNS} FROM posts WHERE id = \
                 (SELECT post_id FROM article_embeds WHERE post_url = ?1 AND post_id IS NOT NULL \
                  ORDER BY id LIMIT 1)"
            ))
            .and_then(|mut stmt| stmt.query_row([url], post_from_row).optional())
            .at(&self.path)?
            .ok_or_else(|| StoreError::NotFound(url.to_owned()))
    }

    /// The posts of a platform whose id ends with `/OWN` (at most `limit`, oldest first): the
    /// same post archived under other names of its author
    /// ([`PlatformModule::id_by_account_name`](crate::platforms::PlatformModule::id_by_account_name)).
    pub fn posts_by_id_own_part(
        &self,
        platform: crate::model::Platform,
        own: &str,
        limit: usize,
    ) -> Result<Vec<PostRecord>, StoreError> {
        let escaped = own
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        self.conn
            .prepare_cached(&format!(
                "SELECT {POST_COLUMNS} FROM posts WHERE platform = ?1 \
                 AND post_id LIKE ?2 ESCAPE '\\' ORDER BY id LIMIT ?3"
            ))
            .and_then(|mut stmt| {
                stmt.query_map(
                    params![
                        platform.as_str(),
                        format!("%/{escaped}"),
                        i64::try_from(limit).unwrap_or(i64::MAX)
                    ],
                    post_from_row,
                )?
                .collect::<Result<Vec<_>, _>>()
            })
            .at(&self.path)
    }

    /// A post by platform + id.
    pub fn post_by_key(&self, key: &PostKey) -> Result<PostRecord, StoreError> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {POST_COLUMNS} FROM posts WHERE platform = ?1 AND post_id = ?2"
            ))
            .and_then(|mut stmt| {
                stmt.query_row(params![key.platform.as_str(), key.post_id], post_from_row)
                    .optional()
            })
            .at(&self.path)?
            .ok_or_else(|| StoreError::NotFound(format!("{}:{}", key.platform, key.post_id)))
    }

    /// A post by archive id.
    pub fn post(&self, id: i64) -> Result<PostRecord, StoreError> {
        load_post(&self.conn, id)
            .at(&self.path)?
            .ok_or_else(|| StoreError::NotFound(format!("post {id}")))
    }

    /// Schedule a post's next check (`None`: due now).
    pub fn set_next_check_at(
        &mut self,
        post_id: i64,
        at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        let changed = self
            .conn
            .execute(
                "UPDATE posts SET next_check_at = ?2 WHERE id = ?1",
                params![post_id, opt_time(at)],
            )
            .at(&self.path)?;
        if changed == 0 {
            return Err(StoreError::NotFound(format!("post {post_id}")));
        }
        Ok(())
    }

    /// Posts due for a check at `now` (never scheduled first, then the most overdue), at most
    /// `limit` of them. A post never scheduled is due once [`NEW_POST_GRACE`] has passed since
    /// the archive recorded it: until then the archive that found it is still checking it (its
    /// check sets the schedule), and a second check then would ask the platform twice.
    pub fn due_posts(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<PostRecord>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {POST_COLUMNS} FROM posts \
                 WHERE (next_check_at IS NULL AND created_at <= ?3) OR next_check_at <= ?1 \
                 ORDER BY next_check_at IS NOT NULL, next_check_at, id LIMIT ?2"
            ))
            .at(&self.path)?;
        let grace = chrono::Duration::from_std(NEW_POST_GRACE).unwrap_or_default();
        let rows = stmt
            .query_map(params![time(now), limit, time(now - grace)], post_from_row)
            .at(&self.path)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().at(&self.path)
    }

    /// The earliest scheduled check, for sleeping until then (`None` when nothing is scheduled).
    pub fn next_due_at(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.conn
            .query_row(
                "SELECT next_check_at FROM posts WHERE next_check_at IS NOT NULL \
                 ORDER BY next_check_at LIMIT 1",
                [],
                |row| get_time(row, 0),
            )
            .optional()
            .at(&self.path)
    }

    /// Pin a post's status (`Some(Live)` or `Some(Gone)`), or lift the pin (`None`). Returns the
    /// post as readers now see it.
    pub fn set_pin(
        &mut self,
        post_id: i64,
        pin: Option<PostStatus>,
        at: DateTime<Utc>,
    ) -> Result<PostRecord, StoreError> {
        if let Some(p) = pin
            && !matches!(p, PostStatus::Live | PostStatus::Gone)
        {
            return Err(StoreError::Invalid(format!(
                "a post can be pinned live or gone, not {p}"
            )));
        }
        let changed = self
            .conn
            .execute(
                "UPDATE posts SET pin = ?2, pinned_at = ?3 WHERE id = ?1",
                params![post_id, pin.map(PostStatus::as_str), pin.map(|_| time(at))],
            )
            .at(&self.path)?;
        if changed == 0 {
            return Err(StoreError::NotFound(format!("post {post_id}")));
        }
        self.post(post_id)
    }

    /// Posts matching `filter`, by archive id, at most `filter.limit` of them, each with its
    /// latest snapshot and the articles that embed it.
    pub fn list_posts(&self, filter: &PostFilter) -> Result<Vec<ListedPost>, StoreError> {
        let columns = POST_COLUMNS
            .split(", ")
            .map(|c| format!("p.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut sql = format!("SELECT {columns} FROM posts p WHERE p.id > ?1");
        let mut args: Vec<rusqlite::types::Value> = vec![filter.after.unwrap_or(0).into()];
        if let Some(status) = filter.status {
            args.push(status.as_str().to_owned().into());
            sql.push_str(&format!(" AND COALESCE(p.pin, p.status) = ?{}", args.len()));
        }
        if let Some(platform) = filter.platform {
            args.push(platform.as_str().to_owned().into());
            sql.push_str(&format!(" AND p.platform = ?{}", args.len()));
        }
        if let Some(article) = &filter.article_url {
            // As given, and as an article is archived: without its tracking parameters
            // (`?utm_source=…`), so a shared link finds the article it names. Under its final
            // URL (where another address redirected) only when no article was archived under
            // that URL itself, as the article view finds it: otherwise the redirecting
            // address's older reading would list posts the article itself no longer holds.
            args.push(article.clone().into());
            let given = args.len();
            args.push(article_key(article).into());
            let keyed = args.len();
            sql.push_str(&format!(
                " AND p.id IN (SELECT e.post_id FROM article_embeds e JOIN articles a \
                   ON a.id = e.article_id WHERE e.removed_at IS NULL \
                   AND (a.url IN (?{given}, ?{keyed}) OR (a.final_url IN (?{given}, ?{keyed}) \
                   AND NOT EXISTS (SELECT 1 FROM articles o WHERE o.url IN (?{given}, ?{keyed})))))"
            ));
        }
        if let Some(since) = filter.since {
            args.push(time(since).into());
            let n = args.len();
            sql.push_str(&format!(
                " AND (COALESCE(p.pinned_at, '') >= ?{n} OR COALESCE(p.first_gone_at, '') >= ?{n} \
                   OR COALESCE(p.revived_at, '') >= ?{n} OR COALESCE(p.last_checked_at, '') >= ?{n} \
                   OR p.created_at >= ?{n})"
            ));
        }
        args.push(i64::from(filter.limit.max(1)).into());
        sql.push_str(&format!(" ORDER BY p.id LIMIT ?{}", args.len()));
        let posts = self
            .conn
            .prepare(&sql)
            .and_then(|mut stmt| {
                stmt.query_map(rusqlite::params_from_iter(args), post_from_row)?
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .at(&self.path)?;
        let mut listed = Vec::with_capacity(posts.len());
        for post in posts {
            let embeds = self.post_embeds(post.id)?;
            let articles = self.embedding_articles(post.id)?;
            let snapshot = self.latest_snapshot(post.id)?;
            listed.push(ListedPost {
                kind: embeds.first().map(|e| e.embed.kind),
                status_since: post.liveness.first_gone_at,
                post,
                snapshot,
                articles,
            });
        }
        Ok(listed)
    }

    /// URLs of the articles that embed a post (not those it was removed from).
    fn embedding_articles(&self, post_id: i64) -> Result<Vec<String>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT DISTINCT a.url FROM article_embeds e JOIN articles a ON a.id = e.article_id \
                 WHERE e.post_id = ?1 AND e.removed_at IS NULL ORDER BY a.url",
            )
            .and_then(|mut stmt| {
                stmt.query_map([post_id], |row| row.get::<_, String>(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .at(&self.path)
    }
}
