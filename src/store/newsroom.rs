//! The newsroom report's read: posts joined to the articles that embed them, one row per
//! (article, post), filtered by status, platform, site section and when the status began.
//! Newest changes first, so an editor sees this morning's losses at the top. Read-only.

use chrono::{DateTime, Utc};

use super::Store;
use super::columns::{get_embed_kind, get_opt_time, time};
use super::error::{AtPath, StoreError};
use crate::model::{EmbedKind, NewsroomFilter, NewsroomRow, section_of};

/// When a post's current status began, as SQL over `posts p` (see [`NewsroomRow::since`]).
const SINCE: &str = "CASE WHEN p.pin IS NOT NULL THEN p.pinned_at \
     WHEN p.status IN ('gone', 'suspect') THEN p.first_gone_at \
     ELSE COALESCE(p.revived_at, p.created_at) END";

impl Store {
    /// The rows of the newsroom report for `filter`, newest status change first, at most
    /// `filter.limit` of them, and whether more rows matched than were returned.
    pub fn newsroom_rows(
        &self,
        filter: &NewsroomFilter,
    ) -> Result<(Vec<NewsroomRow>, bool), StoreError> {
        // One read transaction: the rows and each row's post and snapshot from one state (a
        // post the writer marks gone meanwhile shows as such everywhere or nowhere), and the
        // file locks taken once for the few hundred point reads of a page.
        self.as_one_read(|store| store.newsroom_rows_in(filter))
    }

    fn newsroom_rows_in(
        &self,
        filter: &NewsroomFilter,
    ) -> Result<(Vec<NewsroomRow>, bool), StoreError> {
        let mut sql = format!(
            "SELECT e.post_id, a.url, a.title, e.kind, {SINCE} AS since \
             FROM article_embeds e JOIN articles a ON a.id = e.article_id \
             JOIN posts p ON p.id = e.post_id WHERE e.removed_at IS NULL"
        );
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if !filter.statuses.is_empty() {
            let mut marks = Vec::new();
            for s in &filter.statuses {
                args.push(s.as_str().to_owned().into());
                marks.push(format!("?{}", args.len()));
            }
            sql.push_str(&format!(
                " AND COALESCE(p.pin, p.status) IN ({})",
                marks.join(", ")
            ));
        }
        if let Some(platform) = filter.platform {
            args.push(platform.as_str().to_owned().into());
            sql.push_str(&format!(" AND p.platform = ?{}", args.len()));
        }
        if let Some(from) = filter.from {
            args.push(time(from).into());
            sql.push_str(&format!(" AND since >= ?{}", args.len()));
        }
        if let Some(until) = filter.until {
            args.push(time(until).into());
            sql.push_str(&format!(" AND since < ?{}", args.len()));
        }
        sql.push_str(" ORDER BY since IS NULL, since DESC, a.url, e.id");
        let limit = usize::try_from(filter.limit.max(1)).unwrap_or(usize::MAX);
        let wanted_section = filter.section.as_deref().map(str::to_lowercase);
        // The section is the first folder of the article's path: read in Rust from the parsed
        // URL, so the rows are walked in order and the walk stops one past the limit.
        let found = self
            .conn
            .prepare(&sql)
            .and_then(|mut stmt| {
                let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
                let mut found: Vec<(i64, String, Option<String>, EmbedKind, _)> = Vec::new();
                while let Some(row) = rows.next()? {
                    let article_url: String = row.get(1)?;
                    if let Some(want) = &wanted_section
                        && section_of(&article_url).as_deref() != Some(want.as_str())
                    {
                        continue;
                    }
                    let since: Option<DateTime<Utc>> = get_opt_time(row, 4)?;
                    found.push((
                        row.get(0)?,
                        article_url,
                        row.get(2)?,
                        get_embed_kind(row, 3)?,
                        since,
                    ));
                    if found.len() > limit {
                        break;
                    }
                }
                Ok(found)
            })
            .at(&self.path)?;
        let more = found.len() > limit;
        let mut rows = Vec::with_capacity(found.len().min(limit));
        for (post_id, article_url, article_title, kind, since) in found.into_iter().take(limit) {
            rows.push(NewsroomRow {
                article_url,
                article_title,
                post: self.post(post_id)?,
                kind,
                since,
                snapshot: self.latest_snapshot(post_id)?,
            });
        }
        Ok((rows, more))
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::model::{ArticleRecord, EmbedRef, Location, Platform, PostStatus};

    fn article(s: &mut Store, url: &str) -> i64 {
        s.save_article(&ArticleRecord {
            url: url.into(),
            final_url: None,
            title: Some(format!("Title of {url}")),
            fetched_at: Utc::now(),
            http_status: Some(200),
            error: None,
            sha256: None,
            error_lasts: false,
        })
        .expect("article")
    }

    fn embed(platform: Platform, post_url: &str, post_id: &str) -> EmbedRef {
        EmbedRef {
            platform,
            kind: EmbedKind::Post,
            post_url: post_url.into(),
            post_id: Some(post_id.into()),
            location: Location::Dom,
            evidence: "blockquote".into(),
            markup: String::new(),
            author_name: None,
            author_handle: None,
            text: None,
            published_at: None,
        }
    }

    #[test]
    fn rows_are_filtered_by_status_platform_section_and_date() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut s = Store::open(&dir.path().join("a.db")).expect("open");
        let politics = article(&mut s, "https://news.example/politics/2026/a.html");
        let sport = article(&mut s, "https://news.example/sport/b.html");
        s.save_embed(
            politics,
            &embed(Platform::X, "https://x.com/a/status/1", "1"),
        )
        .expect("embed");
        s.save_embed(
            politics,
            &embed(Platform::X, "https://x.com/a/status/2", "2"),
        )
        .expect("embed");
        s.save_embed(
            sport,
            &embed(Platform::Instagram, "https://www.instagram.com/p/C1/", "C1"),
        )
        .expect("embed");
        s.save_embed(sport, &embed(Platform::X, "https://x.com/a/status/1", "1"))
            .expect("embed");
        let one = s
            .post_by_url("https://x.com/a/status/1")
            .expect("post 1")
            .id;
        let ig = s
            .post_by_url("https://www.instagram.com/p/C1/")
            .expect("ig")
            .id;
        let pinned_at = Utc::now();
        s.set_pin(one, Some(PostStatus::Gone), pinned_at)
            .expect("pin");
        s.set_pin(ig, Some(PostStatus::Gone), pinned_at)
            .expect("pin");

        let (rows, more) = s.newsroom_rows(&NewsroomFilter::default()).expect("rows");
        assert!(!more);
        // Post 1 in both articles, and the Instagram post; post 2 is unknown, not listed.
        assert_eq!(rows.len(), 3, "{rows:#?}");
        assert!(rows.iter().all(|r| r.post.status() == PostStatus::Gone));
        assert!(rows.iter().all(|r| r.since.is_some()));

        let only = |f: NewsroomFilter| -> Vec<(String, String)> {
            s.newsroom_rows(&f)
                .expect("rows")
                .0
                .into_iter()
                .map(|r| (r.article_url, r.post.key.post_id))
                .collect()
        };
        assert_eq!(
            only(NewsroomFilter {
                section: Some("Politics".into()),
                ..NewsroomFilter::default()
            }),
            [(
                "https://news.example/politics/2026/a.html".to_owned(),
                "1".to_owned()
            )]
        );
        assert_eq!(
            only(NewsroomFilter {
                platform: Some(Platform::Instagram),
                ..NewsroomFilter::default()
            })
            .len(),
            1
        );
        assert_eq!(
            only(NewsroomFilter {
                statuses: vec![PostStatus::Unknown],
                ..NewsroomFilter::default()
            }),
            [(
                "https://news.example/politics/2026/a.html".to_owned(),
                "2".to_owned()
            )]
        );
        assert!(
            only(NewsroomFilter {
                from: Some(pinned_at + chrono::Duration::hours(1)),
                ..NewsroomFilter::default()
            })
            .is_empty()
        );
        assert_eq!(
            only(NewsroomFilter {
                until: Some(pinned_at + chrono::Duration::hours(1)),
                ..NewsroomFilter::default()
            })
            .len(),
            3
        );
        let (two, more) = s
            .newsroom_rows(&NewsroomFilter {
                limit: 2,
                ..NewsroomFilter::default()
            })
            .expect("rows");
        assert_eq!((two.len(), more), (2, true));
    }
}
