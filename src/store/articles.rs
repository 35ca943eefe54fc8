//! Articles and the embeds found in them. Saving an embed of a post also upserts the post, so
//! the archive knows every post it has seen in an article, checked or not.

use chrono::Utc;
use rusqlite::{OptionalExtension, Row, TransactionBehavior, params};

use super::columns::{
    get_embed_kind, get_location, get_opt_time, get_parsed, get_time, location, opt_time, time,
};
use super::error::{AtPath, StoreError};
use super::{ArticleRecord, ArticleValidators, Store, StoredArticle, StoredEmbed};
use crate::model::EmbedRef;

const ARTICLE_COLUMNS: &str = "id, url, final_url, title, fetched_at, http_status, error, sha256, \
     etag, last_modified, first_fetched_at, error_lasts";

fn article_from_row(row: &Row<'_>) -> rusqlite::Result<StoredArticle> {
    let status: Option<i64> = row.get(5)?;
    let http_status = status
        .map(|s| u16::try_from(s).map_err(|_| rusqlite::Error::IntegralValueOutOfRange(5, s)))
        .transpose()?;
    Ok(StoredArticle {
        id: row.get(0)?,
        article: ArticleRecord {
            url: row.get(1)?,
            final_url: row.get(2)?,
            title: row.get(3)?,
            fetched_at: get_time(row, 4)?,
            http_status,
            error: row.get(6)?,
            sha256: row.get(7)?,
            error_lasts: row.get(11)?,
        },
        validators: ArticleValidators {
            etag: row.get(8)?,
            last_modified: row.get(9)?,
        },
        first_fetched_at: get_time(row, 10)?,
    })
}

const EMBED_COLUMNS: &str = "id, article_id, post_id, first_seen_at, last_seen_at, platform, \
     kind, post_url, location, evidence, markup, author_name, author_handle, text, platform_post_id, \
     published_at";

fn embed_from_row(row: &Row<'_>) -> rusqlite::Result<StoredEmbed> {
    Ok(StoredEmbed {
        id: row.get(0)?,
        article_id: row.get(1)?,
        post_id: row.get(2)?,
        first_seen_at: get_time(row, 3)?,
        last_seen_at: get_time(row, 4)?,
        embed: EmbedRef {
            platform: get_parsed(row, 5)?,
            kind: get_embed_kind(row, 6)?,
            post_url: row.get(7)?,
            location: get_location(row, 8)?,
            evidence: row.get(9)?,
            markup: row.get(10)?,
            author_name: row.get(11)?,
            author_handle: row.get(12)?,
            text: row.get(13)?,
            post_id: row.get(14)?,
            published_at: get_opt_time(row, 15)?,
        },
    })
}

impl Store {
    /// Insert or update an article by URL; returns its id. The fetch metadata (time, status,
    /// error) always describes the latest fetch; final URL, title and body digest keep their
    /// previous values when the latest fetch brought none (a 304 or a failure).
    pub fn save_article(&mut self, article: &ArticleRecord) -> Result<i64, StoreError> {
        let fetched_at = time(article.fetched_at);
        // An explicit transaction: in autocommit, `INSERT … RETURNING` read with `query_row`
        // hands back the id before the statement finishes, and a failed commit (disk full) would
        // go unreported while the row is rolled back.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .at(&self.path)?;
        let id = tx
            .prepare_cached(
                "INSERT INTO articles (url, final_url, title, http_status, error, sha256, \
                     first_fetched_at, fetched_at, error_lasts) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8) \
                 ON CONFLICT (url) DO UPDATE SET \
                     final_url = coalesce(excluded.final_url, final_url), \
                     title = coalesce(excluded.title, title), \
                     sha256 = coalesce(excluded.sha256, sha256), \
                     http_status = excluded.http_status, \
                     error = excluded.error, \
                     error_lasts = excluded.error_lasts, \
                     fetched_at = excluded.fetched_at \
                 RETURNING id",
            )
            .and_then(|mut stmt| {
                stmt.query_row(
                    params![
                        article.url,
                        article.final_url,
                        article.title,
                        article.http_status,
                        article.error,
                        article.sha256,
                        fetched_at,
                        article.error_lasts,
                    ],
                    |row| row.get(0),
                )
            })
            .at(&self.path)?;
        tx.commit().at(&self.path)?;
        Ok(id)
    }

    /// Remember the validators (ETag, Last-Modified) of an article's latest full fetch.
    pub fn save_article_validators(
        &mut self,
        article_id: i64,
        validators: &ArticleValidators,
    ) -> Result<(), StoreError> {
        let changed = self
            .conn
            .execute(
                "UPDATE articles SET etag = ?2, last_modified = ?3 WHERE id = ?1",
                params![article_id, validators.etag, validators.last_modified],
            )
            .at(&self.path)?;
        if changed == 0 {
            return Err(StoreError::NotFound(format!("article {article_id}")));
        }
        Ok(())
    }

    /// An article by the URL it was saved under.
    pub fn article_by_url(&self, url: &str) -> Result<StoredArticle, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE url = ?1"),
                [url],
                article_from_row,
            )
            .optional()
            .at(&self.path)?
            .ok_or_else(|| StoreError::NotFound(url.to_owned()))
    }

    /// Record that an embed appears in an article; upserts the post for post embeds and returns
    /// its id (`None` for widgets, which are recorded against the article only). Seeing the same
    /// embed (same post URL) in the same article again updates what its markup said.
    pub fn save_embed(
        &mut self,
        article_id: i64,
        embed: &EmbedRef,
    ) -> Result<Option<i64>, StoreError> {
        let now = time(Utc::now());
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .at(&self.path)?;
        let post_id: Option<i64> = match embed.key().filter(|_| embed.kind.is_post()) {
            Some(key) => Some(
                tx.prepare_cached(
                    "INSERT INTO posts (platform, post_id, canonical_url, created_at) \
                     VALUES (?1, ?2, ?3, ?4) \
                     ON CONFLICT (platform, post_id) DO UPDATE SET \
                         canonical_url = excluded.canonical_url \
                     RETURNING id",
                )
                .and_then(|mut stmt| {
                    stmt.query_row(
                        params![key.platform.as_str(), key.post_id, embed.post_url, now],
                        |row| row.get(0),
                    )
                })
                .at(&self.path)?,
            ),
            None => None,
        };
        tx.prepare_cached(
            "INSERT INTO article_embeds (article_id, post_id, platform, kind, post_url, platform_post_id, \
                 location, evidence, markup, author_name, author_handle, text, published_at, \
                 first_seen_at, last_seen_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14) \
             ON CONFLICT (article_id, post_url) DO UPDATE SET \
                 post_id = excluded.post_id, platform = excluded.platform, \
                 kind = excluded.kind, platform_post_id = excluded.platform_post_id, \
                 location = excluded.location, evidence = excluded.evidence, \
                 markup = excluded.markup, author_name = excluded.author_name, \
                 author_handle = excluded.author_handle, text = excluded.text, \
                 published_at = excluded.published_at, last_seen_at = excluded.last_seen_at, \
                 removed_at = NULL",
        )
        .and_then(|mut stmt| {
            stmt.execute(params![
                article_id,
                post_id,
                embed.platform.as_str(),
                embed.kind.as_str(),
                embed.post_url,
                embed.post_id,
                location(embed.location),
                embed.evidence,
                embed.markup,
                embed.author_name,
                embed.author_handle,
                embed.text,
                opt_time(embed.published_at),
                now,
            ])
        })
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) if !article_exists(&tx, article_id) => {
                StoreError::NotFound(format!("article {article_id}"))
            }
            _ => StoreError::sqlite(&self.path, e),
        })?;
        tx.commit().at(&self.path)?;
        Ok(post_id)
    }

    /// Mark the embeds recorded against an article that its latest complete reading did not
    /// find (their post URLs are not in `present`) as removed from it, now; returns how many.
    /// Their records stay, with their markup; an embed found again is the article's again
    /// ([`Store::save_embed`] clears the mark).
    pub fn mark_removed_embeds(
        &mut self,
        article_id: i64,
        present: &[&str],
    ) -> Result<usize, StoreError> {
        let now = time(Utc::now());
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .at(&self.path)?;
        let held: Vec<(i64, String)> = tx
            .prepare_cached(
                "SELECT id, post_url FROM article_embeds \
                 WHERE article_id = ?1 AND removed_at IS NULL",
            )
            .and_then(|mut stmt| {
                stmt.query_map([article_id], |row| Ok((row.get(0)?, row.get(1)?)))?
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .at(&self.path)?;
        let present: std::collections::HashSet<&str> = present.iter().copied().collect();
        let mut removed = 0;
        for (id, post_url) in held {
            if !present.contains(post_url.as_str()) {
                removed += tx
                    .prepare_cached("UPDATE article_embeds SET removed_at = ?2 WHERE id = ?1")
                    .and_then(|mut stmt| stmt.execute(params![id, now]))
                    .at(&self.path)?;
            }
        }
        tx.commit().at(&self.path)?;
        Ok(removed)
    }

    /// The embeds an article holds (as its latest complete reading found them), in the order
    /// they were first seen.
    pub fn article_embeds(&self, article_id: i64) -> Result<Vec<StoredEmbed>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {EMBED_COLUMNS} FROM article_embeds \
                 WHERE article_id = ?1 AND removed_at IS NULL \
                 ORDER BY first_seen_at, id"
            ))
            .at(&self.path)?;
        let rows = stmt
            .query_map([article_id], embed_from_row)
            .at(&self.path)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().at(&self.path)
    }

    /// Every embed of a post, in any article, including those since removed from it (what its
    /// markup said of the post stays evidence).
    pub fn post_embeds(&self, post_id: i64) -> Result<Vec<StoredEmbed>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {EMBED_COLUMNS} FROM article_embeds WHERE post_id = ?1 \
                 ORDER BY first_seen_at, id"
            ))
            .at(&self.path)?;
        let rows = stmt.query_map([post_id], embed_from_row).at(&self.path)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().at(&self.path)
    }
}

fn article_exists(conn: &rusqlite::Connection, article_id: i64) -> bool {
    conn.query_row("SELECT 1 FROM articles WHERE id = ?1", [article_id], |_| {
        Ok(())
    })
    .is_ok()
}
