//! The `discover` job: poll every source and queue an archive job for each article that is new
//! to the archive or that its source says changed since it was fetched. An unchanged source
//! (a 304 to the conditional request, or the same bytes as last time) queues nothing.
//!
//! A source lists an article as it likes: with a fragment (`#comments`), with campaign
//! parameters that change from feed to feed (`?utm_source=rss`), under http in one place and
//! https in another. The article is queued under one URL: without its fragment (never sent to a
//! server), without `utm_*`, `fbclid` and `gclid` parameters, and known to the archive under
//! either scheme.
//!
//! What a poll read is recorded against the source (its validators and digest) only once the
//! articles it listed are queued: a poll whose queueing failed, or a daemon stopped between the
//! two, must not leave the source looking read, or the next poll is answered 304 and those
//! articles are never queued.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use url::Url;

use super::sources::{self, Poll, Source, SourceItem, SourceLimits, Validators};
use crate::model::ArticleRecord;
use crate::pipeline::Pipeline;
use crate::store::{JobKind, SourceState, StoreError};

/// How far ahead of this host's clock a listed date may be and still date a change: a
/// publisher's clock running fast, or a CMS stamping the next minute.
const CLOCK_AHEAD: chrono::Duration = chrono::Duration::minutes(15);

/// What one discover pass did, for the log and `STATUS=`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiscoverReport {
    pub sources: usize,
    pub unchanged: usize,
    pub failed: usize,
    pub articles_listed: usize,
    pub articles_queued: usize,
    /// Sources not polled because their poll from an earlier pass is still under way.
    pub busy: usize,
}

/// The most sources polled at once, by all the passes of a daemon together: each poll may hold
/// a document up to its caps in memory (`SourceLimits`), so a config of many sources is
/// polled a few at a time, and one slow source holds up only its own slot.
pub const MAX_POLLS_AT_ONCE: usize = 8;

/// The sources whose poll is under way, shared by the discover passes of one daemon: a source
/// still being polled when the next pass fires (a server sending a byte a second, a sitemap
/// index listing a thousand slow sitemaps) is left to that poll, and the pass polls the others,
/// at most [`MAX_POLLS_AT_ONCE`] at a time.
#[derive(Debug, Clone)]
pub struct SourcesInFlight {
    polling: Arc<Mutex<HashSet<String>>>,
    slots: Arc<Semaphore>,
}

impl Default for SourcesInFlight {
    fn default() -> Self {
        SourcesInFlight {
            polling: Arc::default(),
            slots: Arc::new(Semaphore::new(MAX_POLLS_AT_ONCE)),
        }
    }
}

impl SourcesInFlight {
    /// Mark `key` as being polled; `None` if it already is. The mark goes with the guard.
    fn claim(&self, key: &str) -> Option<InFlightGuard> {
        let mut set = self.polling.lock().unwrap_or_else(PoisonError::into_inner);
        set.insert(key.to_owned()).then(|| InFlightGuard {
            set: self.clone(),
            key: key.to_owned(),
        })
    }
}

/// Unmarks a source when its poll ends, or is aborted.
struct InFlightGuard {
    set: SourcesInFlight,
    key: String,
}

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        let mut set = self
            .set
            .polling
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        set.remove(&self.key);
    }
}

/// Poll each source once and queue what is new.
pub async fn discover(pipeline: &Pipeline, sources: &[Source]) -> DiscoverReport {
    discover_in(pipeline, sources, &SourcesInFlight::default()).await
}

/// Poll each source once, all at once, and queue what is new: a slow or hanging source delays
/// only itself. A source whose poll from an earlier pass is still under way (in `in_flight`)
/// is not polled again; it is counted as `busy`.
pub async fn discover_in(
    pipeline: &Pipeline,
    sources: &[Source],
    in_flight: &SourcesInFlight,
) -> DiscoverReport {
    let limits = SourceLimits::default();
    let mut report = DiscoverReport {
        sources: sources.len(),
        ..DiscoverReport::default()
    };
    let mut polls = JoinSet::new();
    for source in sources {
        let Some(guard) = in_flight.claim(&source.to_string()) else {
            report.busy += 1;
            tracing::info!(
                source = %source,
                "still being polled since an earlier discover; not polled again now"
            );
            continue;
        };
        let pipeline = pipeline.clone();
        let source = source.clone();
        let limits = limits.clone();
        let slots = in_flight.slots.clone();
        polls.spawn(async move {
            let _guard = guard;
            // The semaphore is never closed: a slot always comes.
            let Ok(_slot) = slots.acquire().await else {
                return Ok(None);
            };
            let outcome = discover_one(&pipeline, &source, &limits).await;
            if let Err(message) = &outcome {
                tracing::warn!(source = %source, "{message}");
            }
            outcome
        });
    }
    while let Some(done) = polls.join_next().await {
        match done {
            Ok(Ok(None)) => report.unchanged += 1,
            Ok(Ok(Some((listed, queued)))) => {
                report.articles_listed += listed;
                report.articles_queued += queued;
            }
            Ok(Err(_)) => report.failed += 1,
            Err(e) => {
                report.failed += 1;
                tracing::error!("a source's poll ended abnormally: {e}");
            }
        }
    }
    report
}

/// `Ok(None)`: unchanged. `Ok(Some((listed, queued)))`: read. `Err`: why the poll failed (also
/// recorded against the source).
async fn discover_one(
    pipeline: &Pipeline,
    source: &Source,
    limits: &SourceLimits,
) -> Result<Option<(usize, usize)>, String> {
    let key = source.to_string();
    let lookup = key.clone();
    let previous = pipeline
        .store()
        .reader
        .call(move |s| s.source_state(&lookup))
        .await
        .map_err(|e| e.to_string())?;
    let validators = Validators {
        etag: previous.etag.clone(),
        last_modified: previous.last_modified.clone(),
    };
    let polled = sources::poll(pipeline.http(), source, &validators, limits).await;
    let now = Utc::now();
    let (state, found) = match polled {
        Ok(Poll::NotModified) => (
            SourceState {
                polled_at: Some(now),
                error: None,
                ..previous.clone()
            },
            None,
        ),
        Ok(Poll::Items {
            items,
            validators,
            sha256,
        }) => {
            let unchanged = previous.sha256.as_deref() == Some(sha256.as_str());
            let state = SourceState {
                etag: validators.etag,
                last_modified: validators.last_modified,
                sha256: Some(sha256),
                polled_at: Some(now),
                error: None,
            };
            (state, (!unchanged).then_some(items))
        }
        Err(e) => {
            let message = e.to_string();
            let state = SourceState {
                polled_at: Some(now),
                error: Some(message.clone()),
                ..previous.clone()
            };
            save_state(pipeline, &key, state).await;
            return Err(message);
        }
    };
    let Some(items) = found else {
        save_state(pipeline, &key, state).await;
        return Ok(None);
    };
    let listed = items.len();
    match queue_new(pipeline, items, now).await {
        Ok(queued) => {
            save_state(pipeline, &key, state).await;
            tracing::info!(source = %source, listed, queued, "source read");
            Ok(Some((listed, queued)))
        }
        Err(e) => {
            // The validators of this poll are not kept: the next poll reads the source again.
            let message = format!("cannot queue the articles it lists: {e}");
            let failed = SourceState {
                polled_at: Some(now),
                error: Some(message.clone()),
                ..previous
            };
            save_state(pipeline, &key, failed).await;
            Err(message)
        }
    }
}

/// Queue an archive job for each of `items` that the archive does not have, or that changed
/// since it was fetched; returns how many were queued.
async fn queue_new(
    pipeline: &Pipeline,
    items: Vec<SourceItem>,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let mut listed = HashSet::new();
    let candidates: Vec<(String, Option<DateTime<Utc>>)> = items
        .into_iter()
        .filter_map(|item| {
            if let Some(shown) = crate::model::without_credentials(&item.url) {
                // The URL would be the article's key, stored and listed with its credentials.
                tracing::warn!(
                    url = %shown,
                    "skipping a listed article URL that carries a user name or password"
                );
                return None;
            }
            let url = crate::model::without_tracking(item.url);
            // A date far ahead of the clock (a wrong time zone, a scheduled post, a typo'd year)
            // says nothing: read as a change, it would queue the article again at every poll
            // until that date. One a little ahead is a publisher's clock running fast, and the
            // change it dates counts: read as undated, it would be lost for good once the
            // listing's bytes stop changing.
            let updated = item.updated.filter(|at| *at <= now + CLOCK_AHEAD);
            listed
                .insert(without_scheme(&url).to_owned())
                .then(|| (url.to_string(), updated))
        })
        .collect();
    // A source's articles are due one per host interval (the pace at which their host is
    // asked anyway), so a source listing 50 000 articles does not queue them all ahead of the
    // articles another source lists a minute later.
    let step = pipeline.config().politeness.per_host_interval;
    // Only articles the archive does not have, or that changed since they were fetched.
    let wanted = pipeline
        .store()
        .reader
        .call(move |s| {
            let mut wanted = Vec::new();
            for (url, updated) in candidates {
                let known = match s.article_by_url(&url) {
                    Err(StoreError::NotFound(_)) => match other_scheme(&url) {
                        Some(other) => match s.article_by_url(&other) {
                            Err(StoreError::NotFound(_)) => None,
                            found => Some(found?),
                        },
                        None => None,
                    },
                    found => Some(found?),
                };
                match known {
                    None => wanted.push(url),
                    Some(known)
                        if updated.is_some_and(|u| u > known.article.fetched_at)
                            || never_fetched_for_now(&known.article, now) =>
                    {
                        // Queued under the URL the archive knows it by.
                        wanted.push(known.article.url);
                    }
                    Some(_) => {}
                }
            }
            Ok(wanted)
        })
        .await?;
    pipeline
        .store()
        .writer
        .call(move |s| s.enqueue_spread(JobKind::Archive, &wanted, now, step))
        .await
}

/// How long an article that only failed for now waits before its source's listing queues it
/// again: a job's longest wait between tries. A page that answers 5xx for good is then asked a
/// few times a day, not at every poll of a source that lists it.
const REQUEUE_FAILED_AFTER_HOURS: i64 = 6;

/// Whether an article has never been fetched, only failed in a way that may pass (a timeout, a
/// refused connection, a 5xx, a 429), and not within [`REQUEUE_FAILED_AFTER_HOURS`] of `now`:
/// its archive job gave up during an outage of the site, and the site's sources still list it,
/// so it is queued again. An article that was fetched once (its embeds are archived) or that
/// failed for good (a 404, not HTML, a body over the cap, a redirect loop, a refused address)
/// is not.
fn never_fetched_for_now(article: &ArticleRecord, now: DateTime<Utc>) -> bool {
    article.error.is_some()
        && !article.error_lasts
        && article.sha256.is_none()
        && article
            .http_status
            .is_none_or(crate::model::status_may_pass)
        && now - article.fetched_at >= chrono::Duration::hours(REQUEUE_FAILED_AFTER_HOURS)
}

/// `url` past its scheme: the same for the http and the https address of a page.
fn without_scheme(url: &Url) -> &str {
    let text = url.as_str();
    text.split_once(':').map_or(text, |(_, rest)| rest)
}

/// The same URL under the other of http and https.
fn other_scheme(url: &str) -> Option<String> {
    if let Some(rest) = url.strip_prefix("https:") {
        Some(format!("http:{rest}"))
    } else {
        url.strip_prefix("http:")
            .map(|rest| format!("https:{rest}"))
    }
}

async fn save_state(pipeline: &Pipeline, key: &str, state: SourceState) {
    let owned = key.to_owned();
    if let Err(e) = pipeline
        .store()
        .writer
        .call(move |s| s.save_source_state(&owned, &state))
        .await
    {
        tracing::warn!(source = %key, "cannot record the poll of {key}: {e}");
    }
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;
    use std::sync::Arc;
    use std::time::Duration;

    use axum::http::{HeaderMap, StatusCode, header};
    use axum::response::IntoResponse;

    use super::*;
    use crate::config::Config;
    use crate::store::StoreHandles;

    /// Put an article in the archive as if it had been fetched already.
    async fn save_known(pipeline: &Pipeline, known: ArticleRecord) {
        pipeline
            .store()
            .writer
            .call(move |s| s.save_article(&known))
            .await
            .unwrap();
    }

    /// Serves `feed` at `https://news.test/rss.xml` with the ETag `"v1"`, answering 304 to a
    /// request that sends it back.
    async fn serve_feed(feed: &'static str) -> SocketAddr {
        let app = axum::Router::new().route(
            "/rss.xml",
            axum::routing::get(move |headers: HeaderMap| async move {
                if headers
                    .get(header::IF_NONE_MATCH)
                    .is_some_and(|v| v.as_bytes() == b"\"v1\"")
                {
                    return StatusCode::NOT_MODIFIED.into_response();
                }
                (
                    [
                        (header::CONTENT_TYPE, "application/rss+xml"),
                        (header::ETAG, "\"v1\""),
                    ],
                    feed,
                )
                    .into_response()
            }),
        );
        crate::test_support::serve(app).await
    }

    /// A feed listing one article, `https://news.test/a`.
    const ONE_ARTICLE: &str = r#"<rss version="2.0"><channel><title>t</title>
                       <item><link>https://news.test/a</link></item></channel></rss>"#;

    async fn pipeline(dir: &tempfile::TempDir, addr: SocketAddr) -> Pipeline {
        let mut config = Config::default();
        config
            .http
            .host_overrides
            .insert("news.test".into(), format!("http://{addr}"));
        config.http.timeout = Duration::from_secs(5);
        config.politeness.per_host_interval = Duration::ZERO;
        let store = StoreHandles::open(&dir.path().join("a.db")).await.unwrap();
        Pipeline::new(Arc::new(config), store).unwrap()
    }

    fn feed_source() -> Source {
        Source::Feed(Url::parse("https://news.test/rss.xml").unwrap())
    }

    async fn queued(pipeline: &Pipeline, url: &str) -> Vec<(String, u32)> {
        let url = url.to_owned();
        pipeline
            .store()
            .reader
            .call(move |s| s.job_runs(JobKind::Archive, &url))
            .await
            .unwrap()
    }

    /// Regression: the source's validators were saved before its articles were queued, so when
    /// queueing failed (or the daemon stopped in between) the next poll was answered 304 and
    /// the articles were never queued.
    #[tokio::test]
    async fn articles_whose_queueing_failed_are_queued_by_the_next_poll() {
        let addr = serve_feed(
            r#"<rss version="2.0"><channel><title>t</title>
               <item><title>A</title><link>https://news.test/a</link></item>
               </channel></rss>"#,
        )
        .await;
        let dir = tempfile::tempdir().unwrap();
        let pipeline = pipeline(&dir, addr).await;
        let raw = rusqlite::Connection::open(dir.path().join("a.db")).unwrap();
        raw.execute_batch(
            "CREATE TRIGGER jobs_full BEFORE INSERT ON jobs BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
        )
        .unwrap();
        let report = discover(&pipeline, &[feed_source()]).await;
        assert_eq!((report.failed, report.articles_queued), (1, 0));

        raw.execute_batch("DROP TRIGGER jobs_full;").unwrap();
        let report = discover(&pipeline, &[feed_source()]).await;
        assert_eq!(
            (report.failed, report.articles_queued),
            (0, 1),
            "{report:?}"
        );
        assert_eq!(
            queued(&pipeline, "https://news.test/a").await,
            [("queued".into(), 0)]
        );
        // Recorded now: an unchanged feed costs a 304 and queues nothing.
        let report = discover(&pipeline, &[feed_source()]).await;
        assert_eq!(report.unchanged, 1, "{report:?}");
    }

    /// Regression: an article listed with a fragment, with campaign parameters, or under http
    /// as well as https was queued (and archived) once per spelling, and a fragment made it
    /// look new to the archive at every change of the feed.
    #[tokio::test]
    async fn an_article_is_queued_once_whatever_fragment_campaign_or_scheme_it_is_listed_with() {
        let addr = serve_feed(
            r#"<rss version="2.0"><channel><title>t</title>
               <item><link>https://news.test/a#comments</link></item>
               <item><link>https://news.test/a?utm_source=rss&amp;utm_medium=feed</link></item>
               <item><link>https://news.test/b?id=7&amp;utm_campaign=x#top</link></item>
               <item><link>http://news.test/c</link></item>
               <item><link>https://news.test/c</link></item>
               <item><link>http://news.test/d#x</link></item>
               <item><link>https://editor:s3cret@news.test/e</link></item>
               </channel></rss>"#,
        )
        .await;
        let dir = tempfile::tempdir().unwrap();
        let pipeline = pipeline(&dir, addr).await;
        let known = ArticleRecord {
            url: "https://news.test/d".into(),
            final_url: None,
            title: None,
            fetched_at: Utc::now(),
            http_status: Some(200),
            error: None,
            sha256: None,
            error_lasts: false,
        };
        save_known(&pipeline, known).await;

        let report = discover(&pipeline, &[feed_source()]).await;
        // The URL carrying credentials is skipped: it would be the article's key as it is.
        assert_eq!(report.articles_queued, 3, "{report:?}");
        assert!(
            queued(&pipeline, "https://editor:s3cret@news.test/e")
                .await
                .is_empty()
        );
        assert!(queued(&pipeline, "https://news.test/e").await.is_empty());
        for url in [
            "https://news.test/a",
            "https://news.test/b?id=7",
            "http://news.test/c",
        ] {
            assert_eq!(
                queued(&pipeline, url).await,
                [("queued".into(), 0)],
                "{url}"
            );
        }
    }

    /// Regression: an article whose archive job gave up while its site was down (its record
    /// holds only the failure) counted as known to the archive, so no later poll queued it again
    /// and its embeds were never archived. An article that failed for good, or that was fetched
    /// once, is left alone.
    #[tokio::test]
    async fn an_article_that_only_failed_while_its_site_was_down_is_queued_again() {
        let addr = serve_feed(
            r#"<rss version="2.0"><channel><title>t</title>
               <item><link>https://news.test/outage</link></item>
               <item><link>https://news.test/timeout</link></item>
               <item><link>https://news.test/missing</link></item>
               <item><link>https://news.test/fetched</link></item>
               <item><link>https://news.test/lately</link></item>
               <item><link>https://news.test/too-large</link></item>
               </channel></rss>"#,
        )
        .await;
        let dir = tempfile::tempdir().unwrap();
        let pipeline = pipeline(&dir, addr).await;
        let record = |path: &str, status: Option<u16>, error: bool, sha256: bool| ArticleRecord {
            url: format!("https://news.test/{path}"),
            final_url: None,
            title: None,
            fetched_at: Utc::now() - chrono::Duration::hours(7),
            http_status: status,
            error: error.then(|| "failed".to_owned()),
            sha256: sha256.then(|| "00".to_owned()),
            error_lasts: false,
        };
        let known = [
            record("outage", Some(503), true, false),
            record("timeout", None, true, false),
            record("missing", Some(404), true, false),
            record("fetched", Some(503), true, true),
            // Failed an hour ago: a page that answers 5xx for good is not asked at every poll.
            ArticleRecord {
                fetched_at: Utc::now() - chrono::Duration::hours(1),
                ..record("lately", Some(500), true, false)
            },
            // A fetch no later try passes (a body over the cap, a redirect loop, a refused
            // address) answers no status either: it is told apart by what the job recorded.
            ArticleRecord {
                error_lasts: true,
                ..record("too-large", None, true, false)
            },
        ];
        pipeline
            .store()
            .writer
            .call(move |s| {
                for article in &known {
                    s.save_article(article)?;
                }
                Ok(())
            })
            .await
            .unwrap();

        let report = discover(&pipeline, &[feed_source()]).await;
        assert_eq!(report.articles_queued, 2, "{report:?}");
        for url in ["https://news.test/outage", "https://news.test/timeout"] {
            assert_eq!(
                queued(&pipeline, url).await,
                [("queued".into(), 0)],
                "{url}"
            );
        }
    }

    /// Regression: an item dated ahead of the clock (here in 2099) was taken for a change made
    /// after the article was fetched, so the article was queued and fetched again at every poll
    /// of a changed feed. A date in the future is read as no date; a past one still counts.
    #[tokio::test]
    async fn an_item_dated_in_the_future_does_not_queue_its_article_again_and_again() {
        let addr = serve_feed(
            r#"<rss version="2.0"><channel><title>t</title>
               <item><link>https://news.test/future</link>
                 <pubDate>Thu, 31 Dec 2099 10:00:00 GMT</pubDate></item>
               <item><link>https://news.test/edited</link>
                 <pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate></item>
               </channel></rss>"#,
        )
        .await;
        let dir = tempfile::tempdir().unwrap();
        let pipeline = pipeline(&dir, addr).await;
        let fetched = |path: &str, at: &str| ArticleRecord {
            url: format!("https://news.test/{path}"),
            final_url: None,
            title: None,
            fetched_at: DateTime::parse_from_rfc3339(at)
                .unwrap()
                .with_timezone(&Utc),
            http_status: Some(200),
            error: None,
            sha256: Some("00".into()),
            error_lasts: false,
        };
        let known = [
            fetched("future", "2026-11-30T10:00:00Z"),
            fetched("edited", "2026-11-30T10:00:00Z"),
        ];
        pipeline
            .store()
            .writer
            .call(move |s| {
                for article in &known {
                    s.save_article(article)?;
                }
                Ok(())
            })
            .await
            .unwrap();
        let report = discover(&pipeline, &[feed_source()]).await;
        assert_eq!(report.articles_queued, 1, "{report:?}");
        assert_eq!(
            queued(&pipeline, "https://news.test/edited").await,
            [("queued".into(), 0)]
        );
    }

    /// Regression (daemon3 D12): a `<lastmod>` seconds ahead of the clock was read as no date,
    /// and once the sitemap's bytes stopped changing the edit it dated was never fetched. A
    /// date less than 15 minutes ahead counts.
    #[tokio::test]
    async fn an_item_dated_a_little_ahead_of_the_clock_is_a_change() {
        let soon = (Utc::now() + chrono::Duration::seconds(30)).to_rfc2822();
        let feed: &'static str = Box::leak(
            format!(
                r#"<rss version="2.0"><channel><title>t</title>
               <item><link>https://news.test/soon</link><pubDate>{soon}</pubDate></item>
               </channel></rss>"#
            )
            .into_boxed_str(),
        );
        let addr = serve_feed(feed).await;
        let dir = tempfile::tempdir().unwrap();
        let pipeline = pipeline(&dir, addr).await;
        let known = ArticleRecord {
            url: "https://news.test/soon".into(),
            final_url: None,
            title: None,
            fetched_at: Utc::now() - chrono::Duration::hours(1),
            http_status: Some(200),
            error: None,
            sha256: Some("00".into()),
            error_lasts: false,
        };
        save_known(&pipeline, known).await;
        let report = discover(&pipeline, &[feed_source()]).await;
        assert_eq!(report.articles_queued, 1, "{report:?}");
    }

    /// Sources are polled at most `MAX_POLLS_AT_ONCE` at a time, and every one is polled.
    #[tokio::test]
    async fn sources_are_polled_a_few_at_a_time() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let now = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let served = Arc::new(AtomicUsize::new(0));
        let (n, m, all) = (now.clone(), most.clone(), served.clone());
        let app = axum::Router::new().route(
            "/{name}",
            axum::routing::get(move || {
                let (now, most, all) = (n.clone(), m.clone(), all.clone());
                async move {
                    all.fetch_add(1, Ordering::SeqCst);
                    let at_once = now.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(at_once, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    now.fetch_sub(1, Ordering::SeqCst);
                    "<rss version=\"2.0\"><channel><title>t</title></channel></rss>"
                }
            }),
        );
        let addr = crate::test_support::serve(app).await;
        let dir = tempfile::tempdir().unwrap();
        let mut config = (*pipeline(&dir, addr).await.config()).clone();
        config.politeness.per_host_concurrency = 64;
        let store = StoreHandles::open(&dir.path().join("b.db")).await.unwrap();
        let pipeline = Pipeline::new(Arc::new(config), store).unwrap();
        let sources: Vec<Source> = (0..MAX_POLLS_AT_ONCE + 4)
            .map(|i| Source::Feed(Url::parse(&format!("https://news.test/{i}.xml")).unwrap()))
            .collect();
        let report = discover_in(&pipeline, &sources, &SourcesInFlight::default()).await;
        assert_eq!((report.failed, report.busy), (0, 0), "{report:?}");
        assert_eq!(served.load(Ordering::SeqCst), sources.len());
        assert_eq!(most.load(Ordering::SeqCst), MAX_POLLS_AT_ONCE);
    }

    /// Regression: sources were polled one after the other, and a discover pass did not start
    /// while the last one ran, so one slow source (a byte a second, a sitemap index of slow
    /// sitemaps) held back every other source for as long as it took, hours for an index.
    #[tokio::test]
    async fn a_slow_source_holds_back_no_other_source() {
        let app = axum::Router::new()
            .route(
                "/slow.xml",
                axum::routing::get(|| async {
                    tokio::time::sleep(Duration::from_secs(4)).await;
                    "<rss version=\"2.0\"><channel><title>t</title></channel></rss>"
                }),
            )
            .route("/rss.xml", axum::routing::get(|| async { ONE_ARTICLE }));
        let addr = crate::test_support::serve(app).await;
        let dir = tempfile::tempdir().unwrap();
        let pipeline = pipeline(&dir, addr).await;
        let slow = Source::Feed(Url::parse("https://news.test/slow.xml").unwrap());
        let in_flight = SourcesInFlight::default();
        let first = {
            let (pipeline, in_flight) = (pipeline.clone(), in_flight.clone());
            let sources = [slow.clone(), feed_source()];
            tokio::spawn(async move { discover_in(&pipeline, &sources, &in_flight).await })
        };
        let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
        while queued(&pipeline, "https://news.test/a").await.is_empty() {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the good feed waited for the slow one"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // Its article queued, the good feed's poll ends a moment later (its task lets go of the
        // source after the queue's answer): a pass started in that moment would find it still
        // under way, which is right, but not what is asked here.
        let good = feed_source().to_string();
        while in_flight.claim(&good).is_none() {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the good feed's poll did not end"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        // A pass while the slow poll is under way polls the others, not the slow one again.
        let second = tokio::time::timeout(
            Duration::from_secs(2),
            discover_in(&pipeline, &[slow, feed_source()], &in_flight),
        )
        .await
        .expect("the second pass waited for the slow source");
        assert_eq!((second.busy, second.unchanged), (1, 1), "{second:?}");
        let first = first.await.unwrap();
        assert_eq!((first.busy, first.failed), (0, 0), "{first:?}");
    }

    /// Regression: every article a poll listed was due at once and jobs are claimed in due
    /// order, so a source listing 50 000 articles (a hostile feed, a first sitemap import) held
    /// the articles every other source listed after it behind all of them, for hours.
    #[tokio::test]
    async fn a_long_listing_does_not_hold_back_another_sources_articles() {
        let big: String = (0..50)
            .map(|i| format!("<item><link>https://news.test/big{i}</link></item>"))
            .collect();
        let big: &'static str = Box::leak(
            format!("<rss version=\"2.0\"><channel><title>t</title>{big}</channel></rss>")
                .into_boxed_str(),
        );
        let app = axum::Router::new()
            .route("/big.xml", axum::routing::get(move || async move { big }))
            .route("/rss.xml", axum::routing::get(|| async { ONE_ARTICLE }));
        let addr = crate::test_support::serve(app).await;
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::default();
        // The two feeds on two hosts, so that the second is not paced behind the first.
        for host in ["news.test", "other.test"] {
            config
                .http
                .host_overrides
                .insert(host.into(), format!("http://{addr}"));
        }
        config.politeness.per_host_interval = Duration::from_secs(1);
        let store = StoreHandles::open(&dir.path().join("a.db")).await.unwrap();
        let pipeline = Pipeline::new(Arc::new(config), store).unwrap();
        let big = Source::Feed(Url::parse("https://news.test/big.xml").unwrap());
        let report = discover(&pipeline, &[big]).await;
        assert_eq!(report.articles_queued, 50, "{report:?}");
        let other = Source::Feed(Url::parse("https://other.test/rss.xml").unwrap());
        let report = discover(&pipeline, &[other]).await;
        assert_eq!(report.articles_queued, 1, "{report:?}");
        let claimed = pipeline
            .store()
            .writer
            .call(|s| {
                let now = Utc::now() + chrono::Duration::milliseconds(200);
                s.claim_jobs("t", now, now + chrono::Duration::minutes(1), 3, 2)
            })
            .await
            .unwrap();
        let keys: Vec<&str> = claimed.iter().map(|j| j.key.as_str()).collect();
        assert_eq!(
            keys,
            ["https://news.test/big0", "https://news.test/a"],
            "the other source's article waits behind the long listing"
        );
    }
}
