//! The reads the HTTP server needs beyond what the commands use: an article with its embeds'
//! posts and latest snapshots, a stored image with its type, what a post's card is made from (in
//! brief, to tell whether a kept card is still current), the counts `/metrics` reports, and a
//! trivial read for `/healthz`. Read-only queries; none of them writes.

use std::sync::LazyLock;

use rusqlite::OptionalExtension;

use super::error::{AtPath, StoreError};
use super::{PostRecord, Store, StoredArticle, StoredEmbed, StoredSnapshot};
use crate::model::StoredImage;

/// An article as archived, with every embed recorded against it.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleView {
    pub article: StoredArticle,
    /// In the order the embeds were first seen.
    pub embeds: Vec<EmbeddedPost>,
}

/// One embed of an article, with the archived post it shows (none for widgets) and that post's
/// latest snapshot (none before its first successful fetch).
#[derive(Debug, Clone, PartialEq)]
pub struct EmbeddedPost {
    pub embed: StoredEmbed,
    pub post: Option<PostRecord>,
    pub snapshot: Option<StoredSnapshot>,
}

/// What a post's card is made from, in brief: the post row and the identity of its latest
/// snapshot. Snapshot rows change in place only in `last_seen_at` and when an older row is
/// completed (which changes its `content_sha256`), and their media only with them, so two equal
/// stamps stand for the same card.
#[derive(Debug, Clone, PartialEq)]
pub struct CardStamp {
    pub post: PostRecord,
    /// The latest snapshot (none before the first one).
    pub latest: Option<LatestSnapshot>,
}

/// The identity of a post's latest snapshot, and when it was last seen.
#[derive(Debug, Clone, PartialEq)]
pub struct LatestSnapshot {
    pub id: i64,
    pub content_sha256: String,
    pub last_seen_at: String,
}

impl CardStamp {
    /// Whether `snapshot` is the latest snapshot this stamp names.
    pub fn names(&self, snapshot: Option<&StoredSnapshot>) -> bool {
        self.latest
            .as_ref()
            .map(|l| (l.id, l.content_sha256.as_str()))
            == snapshot.map(|s| (s.id, s.content_sha256.as_str()))
    }
}

/// The statement of [`Store::card_stamp`]: the post row, and its latest snapshot (in the order
/// `latest_snapshot` uses) in brief.
static CARD_STAMP_SQL: LazyLock<String> = LazyLock::new(|| {
    let post_columns: Vec<String> = super::posts::POST_COLUMNS
        .split(',')
        .map(|c| format!("p.{}", c.trim()))
        .collect();
    format!(
        "SELECT {}, s.id, s.content_sha256, s.last_seen_at FROM posts p \
         LEFT JOIN snapshots s ON s.id = (SELECT id FROM snapshots WHERE post_id = p.id \
         ORDER BY last_seen_at DESC, id DESC LIMIT 1) \
         WHERE p.id = ?1",
        post_columns.join(", ")
    )
});

/// Counts for `/metrics`, read at scrape time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServingCounts {
    /// Posts by the status readers see (a pin counts), every status present, zeros included.
    pub posts_by_status: Vec<(String, u64)>,
    /// Checks in the history by outcome: `live`, `gone`, `transient`, zeros included.
    pub checks_by_outcome: Vec<(String, u64)>,
    /// Jobs by state: `queued`, `running`, `done`, `failed`, zeros included.
    pub jobs_by_state: Vec<(String, u64)>,
}

/// Every status readers may see, in the order `/metrics` lists them.
const STATUSES: [&str; 4] = ["live", "suspect", "gone", "unknown"];
/// Every outcome of a check.
const OUTCOMES: [&str; 3] = ["live", "gone", "transient"];
/// Every state of a job.
const JOB_STATES: [&str; 4] = ["queued", "running", "done", "failed"];

fn as_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl Store {
    /// Whether the archive answers a read of its posts table (for `/healthz`).
    pub fn ping(&self) -> Result<(), StoreError> {
        self.conn
            .query_row(
                "SELECT count(*) FROM (SELECT 1 FROM posts LIMIT 1)",
                [],
                |_| Ok(()),
            )
            .at(&self.path)
    }

    /// An article by the URL it was archived under (or, failing that, the URL its fetch ended
    /// at), with each embed's post and latest snapshot.
    pub fn article_view(&self, url: &str) -> Result<ArticleView, StoreError> {
        // One read transaction: the article, its embeds and their posts from one state.
        self.as_one_read(|store| store.article_view_in(url))
    }

    fn article_view_in(&self, url: &str) -> Result<ArticleView, StoreError> {
        let article = match self.article_by_url(url) {
            Err(StoreError::NotFound(_)) => {
                let archived: String = self
                    .conn
                    .prepare_cached(
                        "SELECT url FROM articles WHERE final_url = ?1 ORDER BY id LIMIT 1",
                    )
                    .and_then(|mut stmt| stmt.query_row([url], |row| row.get(0)).optional())
                    .at(&self.path)?
                    .ok_or_else(|| StoreError::NotFound(url.to_owned()))?;
                self.article_by_url(&archived)?
            }
            found => found?,
        };
        self.view_of(article)
    }

    fn view_of(&self, article: StoredArticle) -> Result<ArticleView, StoreError> {
        let mut embeds = Vec::new();
        for embed in self.article_embeds(article.id)? {
            let (post, snapshot) = match embed.post_id {
                Some(id) => (Some(self.post(id)?), self.latest_snapshot(id)?),
                None => (None, None),
            };
            embeds.push(EmbeddedPost {
                embed,
                post,
                snapshot,
            });
        }
        Ok(ArticleView { article, embeds })
    }

    /// The image stored under `sha256` as a snapshot's thumbnail or kept original, with the
    /// type it was stored as. Blobs that are not media (raw upstream answers) are `NotFound`:
    /// they are evidence, not something to serve.
    pub fn media_image(&self, sha256: &str) -> Result<StoredImage, StoreError> {
        let mut image = self.media_facts(sha256)?;
        image.bytes = self.blob(&image.sha256)?;
        Ok(image)
    }

    /// [`Store::media_image`] without the bytes: what is known about a stored image.
    pub fn media_facts(&self, sha256: &str) -> Result<StoredImage, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT thumbnail_mime, thumbnail_width, thumbnail_height FROM media \
                     WHERE thumbnail_sha256 = ?1 \
                 UNION ALL \
                 SELECT original_mime, width, height FROM media WHERE original_sha256 = ?1 \
                 LIMIT 1",
            )
            .and_then(|mut stmt| {
                stmt.query_row([sha256], |row| {
                    let size = |i: usize| -> rusqlite::Result<u32> {
                        let n: Option<i64> = row.get(i)?;
                        Ok(n.and_then(|n| u32::try_from(n).ok()).unwrap_or(0))
                    };
                    Ok(StoredImage {
                        sha256: sha256.to_owned(),
                        width: size(1)?,
                        height: size(2)?,
                        mime: row.get::<_, Option<String>>(0)?.unwrap_or_default(),
                        bytes: Vec::new(),
                    })
                })
                .optional()
            })
            .at(&self.path)?
            .ok_or_else(|| StoreError::NotFound(format!("media {sha256}")))
    }

    /// The [`CardStamp`] of a post: one statement of two indexed point reads, without the
    /// snapshot's fields and media that [`Store::latest_snapshot`] reads.
    pub fn card_stamp(&self, post_id: i64) -> Result<CardStamp, StoreError> {
        self.conn
            .prepare_cached(&CARD_STAMP_SQL)
            .and_then(|mut stmt| {
                stmt.query_row([post_id], |row| {
                    let at = super::posts::POST_COLUMN_COUNT;
                    let id: Option<i64> = row.get(at)?;
                    let latest = match id {
                        Some(id) => Some(LatestSnapshot {
                            id,
                            content_sha256: row.get(at + 1)?,
                            last_seen_at: row.get(at + 2)?,
                        }),
                        None => None,
                    };
                    Ok(CardStamp {
                        post: super::posts::post_from_row(row)?,
                        latest,
                    })
                })
                .optional()
            })
            .at(&self.path)?
            .ok_or_else(|| StoreError::NotFound(format!("post {post_id}")))
    }

    /// Posts by status, checks by outcome and jobs by state.
    pub fn serving_counts(&self) -> Result<ServingCounts, StoreError> {
        let grouped = |sql: &str| -> Result<Vec<(String, u64)>, StoreError> {
            self.conn
                .prepare_cached(sql)
                .and_then(|mut stmt| {
                    stmt.query_map([], |row| {
                        Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
                    })?
                    .map(|r| r.map(|(k, n)| (k, as_u64(n))))
                    .collect::<rusqlite::Result<Vec<_>>>()
                })
                .at(&self.path)
        };
        let with_zeros = |names: &[&str], found: Vec<(String, u64)>| -> Vec<(String, u64)> {
            let mut all: Vec<(String, u64)> = names
                .iter()
                .map(|n| {
                    let count = found.iter().find(|(k, _)| k == n).map_or(0, |(_, c)| *c);
                    ((*n).to_owned(), count)
                })
                .collect();
            all.extend(
                found
                    .into_iter()
                    .filter(|(k, _)| !names.contains(&k.as_str())),
            );
            all
        };
        let posts = grouped(
            "SELECT COALESCE(pin, status), count(*) FROM posts GROUP BY COALESCE(pin, status)",
        )?;
        let checks = grouped("SELECT outcome, count(*) FROM checks GROUP BY outcome")?;
        let jobs = grouped("SELECT state, count(*) FROM jobs GROUP BY state")?;
        Ok(ServingCounts {
            posts_by_status: with_zeros(&STATUSES, posts),
            checks_by_outcome: with_zeros(&OUTCOMES, checks),
            jobs_by_state: with_zeros(&JOB_STATES, jobs),
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::model::{ArticleRecord, EmbedKind, EmbedRef, Location, Platform};
    use crate::store::JobKind;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("tmp");
        let store = Store::open(&dir.path().join("a.db")).expect("open");
        (dir, store)
    }

    fn article(s: &mut Store, url: &str, final_url: Option<&str>) -> i64 {
        s.save_article(&ArticleRecord {
            url: url.into(),
            final_url: final_url.map(Into::into),
            title: Some("T".into()),
            fetched_at: Utc::now(),
            http_status: Some(200),
            error: None,
            sha256: None,
            error_lasts: false,
        })
        .expect("article")
    }

    fn embed(post_url: &str, post_id: &str, kind: EmbedKind) -> EmbedRef {
        EmbedRef {
            platform: Platform::X,
            kind,
            post_url: post_url.into(),
            post_id: Some(post_id.into()),
            location: Location::Dom,
            evidence: "blockquote.twitter-tweet".into(),
            markup: String::new(),
            author_name: None,
            author_handle: None,
            text: None,
            published_at: None,
        }
    }

    #[test]
    fn an_article_is_found_by_its_url_or_final_url_with_its_posts() {
        let (_dir, mut s) = store();
        let id = article(
            &mut s,
            "https://news.example/a",
            Some("https://news.example/a?amp"),
        );
        s.save_embed(id, &embed("https://x.com/a/status/1", "1", EmbedKind::Post))
            .expect("embed");
        let view = s.article_view("https://news.example/a").expect("by url");
        assert_eq!(view.embeds.len(), 1);
        let post = view.embeds[0].post.as_ref().expect("a post");
        assert_eq!(post.key.post_id, "1");
        assert!(view.embeds[0].snapshot.is_none());
        let again = s
            .article_view("https://news.example/a?amp")
            .expect("by final url");
        assert_eq!(again.article.id, id);
        assert!(matches!(
            s.article_view("https://news.example/b"),
            Err(StoreError::NotFound(_))
        ));
    }

    #[test]
    fn raw_bodies_are_not_media() {
        let (_dir, s) = store();
        let missing = "0".repeat(64);
        assert!(matches!(
            s.media_image(&missing),
            Err(StoreError::NotFound(_))
        ));
    }

    #[test]
    fn counts_name_every_status_and_state() {
        let (_dir, mut s) = store();
        let id = article(&mut s, "https://news.example/a", None);
        s.save_embed(id, &embed("https://x.com/a/status/1", "1", EmbedKind::Post))
            .expect("embed");
        s.enqueue(JobKind::Archive, "https://news.example/b", Utc::now())
            .expect("job");
        s.ping().expect("ping");
        let counts = s.serving_counts().expect("counts");
        assert_eq!(
            counts.posts_by_status,
            [
                ("live".to_owned(), 0),
                ("suspect".to_owned(), 0),
                ("gone".to_owned(), 0),
                ("unknown".to_owned(), 1)
            ]
        );
        assert_eq!(counts.jobs_by_state[0], ("queued".to_owned(), 1));
        assert!(counts.checks_by_outcome.iter().all(|(_, n)| *n == 0));
        assert_eq!(counts.checks_by_outcome.len(), 3);
    }
}
