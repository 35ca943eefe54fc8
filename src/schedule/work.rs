//! Running one claimed job through the pipeline and deciding what becomes of it: done, tried
//! again later (with backoff, counted per error class), deferred (its platform is cooling down
//! after rate limits: not counted), or given up.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::backoff::retry_delay;
use super::unanswered::Unanswered;
use crate::model::{ArticleError, Platform, PostError, PostStatus};
use crate::pipeline::{
    ArticleInput, NoProgress, Pipeline, PipelineError, PlatformPacing, RunScope, report_answer,
    says_wait,
};
use crate::store::{ErrorClass, Job, JobKind, StoreError};

/// What becomes of a job after a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobEnd {
    Done,
    /// Try again later; `retry_after` is the server's own wish.
    Retry {
        class: ErrorClass,
        message: String,
        retry_after: Option<Duration>,
    },
    /// Not worth another try.
    GiveUp {
        message: String,
    },
    /// Not run now: run at this time, without counting an attempt.
    Defer(DateTime<Utc>),
}

/// Per-platform cool-downs: a platform that answered 429 is left alone for a while, so that
/// one platform's rate limit slows that platform and no other. Beside them, each platform's run
/// of checks that got no answer (`Unanswered`), warned of when it grows long.
#[derive(Default)]
pub struct Cooldowns {
    until: Mutex<HashMap<Platform, (DateTime<Utc>, u32)>>,
    unanswered: Unanswered,
}

impl Cooldowns {
    /// When `platform` may be asked again, if it is cooling down at `now`.
    pub fn until(&self, platform: Platform, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let until = self.until.lock().ok()?;
        until
            .get(&platform)
            .map(|(at, _)| *at)
            .filter(|at| *at > now)
    }

    /// `platform` rate-limited us at `now`: back off, longer each time in a row, and at least
    /// until the host's `hold` ends when the HTTP client refused to send for it.
    pub fn rate_limited(&self, platform: Platform, now: DateTime<Utc>, hold: Option<Duration>) {
        if let Ok(mut until) = self.until.lock() {
            let strikes = until.get(&platform).map_or(0, |(_, n)| *n) + 1;
            let wait = retry_delay(strikes, hold);
            let at = now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1));
            until.insert(platform, (at, strikes));
            tracing::warn!(%platform, strikes, until = %at, "rate limited: platform cooling down");
        }
    }

    /// `platform` answered normally: its run of rate limits is over.
    pub fn answered(&self, platform: Platform) {
        if let Ok(mut until) = self.until.lock() {
            until.remove(&platform);
        }
    }
}

/// The cool-downs as an archive run honours them: an article's posts on a platform that is
/// cooling down are not asked about (they stay due for their re-check), and the rate limits
/// its posts meet start or lengthen a cool-down as a check's do.
impl PlatformPacing for Cooldowns {
    fn cooling(&self, platform: Platform) -> bool {
        self.until(platform, Utc::now()).is_some()
    }
    fn rate_limited(&self, platform: Platform, hold: Option<Duration>) {
        Cooldowns::rate_limited(self, platform, Utc::now(), hold);
    }
    fn answered(&self, platform: Platform) {
        Cooldowns::answered(self, platform);
    }
    fn not_asked(&self, platform: Platform) -> String {
        format!(
            "not asked: {platform} is cooling down after rate limits (HTTP 429); \
             the post is checked once it may be asked again"
        )
    }
}

/// Run one job.
pub async fn run_job(pipeline: &Pipeline, cooldowns: &Arc<Cooldowns>, job: &Job) -> JobEnd {
    match job.kind {
        JobKind::Archive => archive(pipeline, cooldowns, &job.key).await,
        JobKind::Check => check(pipeline, cooldowns, &job.key).await,
    }
}

async fn archive(pipeline: &Pipeline, cooldowns: &Arc<Cooldowns>, url: &str) -> JobEnd {
    // Articles of one site embed the same posts again and again; a post checked within the
    // shortest re-check interval is not asked again for every article that embeds it.
    let scope = RunScope::reusing_checks_within(pipeline.config().schedule.recheck_min)
        .with_pacing(Arc::clone(cooldowns) as Arc<dyn PlatformPacing>);
    let outcome = pipeline
        .archive_article(ArticleInput::Url(url.to_owned()), &scope, &NoProgress)
        .await;
    match outcome.error {
        None => {
            tracing::info!(
                url,
                embeds = outcome.embeds.len(),
                truncated = outcome.truncated,
                "article archived"
            );
            JobEnd::Done
        }
        Some(error) if error.is_transient() => {
            let held = url::Url::parse(url)
                .ok()
                .and_then(|parsed| pipeline.http().held_for(&parsed));
            JobEnd::Retry {
                class: ErrorClass::Transient,
                message: error.to_string(),
                retry_after: article_retry_after(&error, held),
            }
        }
        Some(error) => JobEnd::GiveUp {
            message: error.to_string(),
        },
    }
}

/// The wait an article's host asked for: its answer's `Retry-After`, or what is left of the
/// hold after its 429 (`held`), whichever is longer. A request the HTTP client did not send
/// because the host is held fails at once; without this its job would spend its tries on
/// retries that send nothing, and give up before the host may be asked again.
fn article_retry_after(error: &ArticleError, held: Option<Duration>) -> Option<Duration> {
    let asked = match error {
        ArticleError::Status { retry_after, .. } => *retry_after,
        _ => None,
    };
    asked.max(held)
}

async fn check(pipeline: &Pipeline, cooldowns: &Cooldowns, key: &str) -> JobEnd {
    let Ok(post_id) = key.parse::<i64>() else {
        return JobEnd::GiveUp {
            message: format!("check job key {key:?} is not a post id"),
        };
    };
    let post = match pipeline.store().reader.call(move |s| s.post(post_id)).await {
        Ok(post) => post,
        Err(StoreError::NotFound(_)) => {
            return JobEnd::GiveUp {
                message: format!("post {post_id} is no longer in the archive"),
            };
        }
        Err(e) => return retry_store(e),
    };
    let now = Utc::now();
    if let Some(until) = cooldowns.until(post.platform, now) {
        return JobEnd::Defer(until);
    }
    // A check another job made of the post within the shortest re-check interval (an article
    // embedding it, archived a moment ago) is this check's answer: one moment, one check.
    let scope = RunScope::reusing_checks_within(pipeline.config().schedule.recheck_min);
    match pipeline.check_post(&post.key, &scope).await {
        Ok(check) => {
            if let Some(PostError::Store { message, .. }) = &check.error {
                return JobEnd::Retry {
                    class: ErrorClass::Transient,
                    message: message.clone(),
                    retry_after: None,
                };
            }
            report_answer(cooldowns, post.platform, check.error.as_ref());
            let unanswered = match &check.error {
                Some(PostError::Transient {
                    source_name,
                    evidence,
                    ..
                }) => Some((source_name.as_str(), evidence.as_str())),
                _ => None,
            };
            // One line per check; a check that got no answer says why.
            tracing::info!(
                post = %post.canonical_url,
                outcome = check.outcome.map(|o| o.as_str()).unwrap_or("-"),
                status = %check.post.status(),
                reason = unanswered.map(|(source, evidence)| {
                    tracing::field::display(format!("{source}: {evidence}"))
                }),
                "post checked"
            );
            match unanswered {
                Some((source, evidence)) if !says_wait(evidence) => {
                    cooldowns
                        .unanswered
                        .transient(post.platform, source, evidence, Utc::now());
                }
                Some(_) => {}
                None if check.outcome.is_some() => cooldowns.unanswered.answered(post.platform),
                None => {}
            }
            log_status_change(&post.canonical_url, post.status(), check.post.status());
            JobEnd::Done
        }
        Err(PipelineError::Store(e)) => retry_store(e),
        Err(e) => JobEnd::Retry {
            class: ErrorClass::Transient,
            message: e.to_string(),
            retry_after: None,
        },
    }
}

/// A change of status is a line of its own, for a journal filter or an alert to catch: the
/// moment a post is suspected or called gone, and the moment it comes back. A first check that
/// finds a post live is no change worth a line.
fn log_status_change(post: &str, was: PostStatus, is: PostStatus) {
    let marked = |s: PostStatus| matches!(s, PostStatus::Gone | PostStatus::Suspect);
    if was != is && (marked(is) || marked(was)) {
        tracing::warn!(post = %post, was = %was, now = %is, "post status changed: {was} to {is}");
    }
}

fn retry_store(e: StoreError) -> JobEnd {
    JobEnd::Retry {
        class: ErrorClass::Transient,
        message: e.to_string(),
        retry_after: None,
    }
}

/// When a job that ended with `Retry` runs again, or `None` when it has had its tries.
pub fn retry_at(
    job: &Job,
    end: &JobEnd,
    max_attempts: u32,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let JobEnd::Retry {
        class, retry_after, ..
    } = end
    else {
        return None;
    };
    if job.attempts >= max_attempts {
        return None;
    }
    let failures = match class {
        ErrorClass::Transient => job.transient_errors + 1,
        ErrorClass::Permanent => job.permanent_errors + 1,
    };
    let wait = retry_delay(failures, *retry_after);
    Some(now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(6)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(attempts: u32, transient: u32) -> Job {
        Job {
            id: 1,
            kind: JobKind::Archive,
            key: "https://a.example/".into(),
            attempts,
            transient_errors: transient,
            permanent_errors: 0,
            run_at: Utc::now(),
            lease_expires_at: None,
        }
    }

    #[test]
    fn retries_back_off_and_stop_after_max_attempts() {
        let now = Utc::now();
        let end = JobEnd::Retry {
            class: ErrorClass::Transient,
            message: "HTTP 503".into(),
            retry_after: Some(Duration::from_secs(7200)),
        };
        let at = retry_at(&job(1, 0), &end, 6, now).expect("retry");
        assert!(
            at >= now + chrono::Duration::seconds(7200),
            "Retry-After honoured"
        );
        assert_eq!(retry_at(&job(6, 5), &end, 6, now), None);
        assert_eq!(retry_at(&job(1, 0), &JobEnd::Done, 6, now), None);
    }

    /// A pipeline of `config` on an archive in a new temporary folder (kept while it is held).
    async fn pipeline_on(config: crate::config::Config) -> (tempfile::TempDir, Pipeline) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = crate::store::StoreHandles::open(&dir.path().join("a.db"))
            .await
            .expect("archive");
        let pipeline = Pipeline::new(Arc::new(config), store).expect("pipeline");
        (dir, pipeline)
    }

    /// A site of two stories (`/a`, `/b`) that embed one Mastodon post, whose status answers
    /// "Record not found" after `delay`; a pipeline reaching the site and the post's server,
    /// `configure`d; and the count of the requests for the post.
    async fn two_stories_of_one_post(
        delay: Duration,
        configure: impl FnOnce(&mut crate::config::Config),
    ) -> (
        tempfile::TempDir,
        Pipeline,
        Arc<std::sync::atomic::AtomicUsize>,
    ) {
        use axum::response::Html;
        use axum::routing::get;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let asked = Arc::new(AtomicUsize::new(0));
        let story = || async {
            Html(
                r#"<p>Story</p><iframe src="https://mastodon.social/@reporter/2951/embed" class="mastodon-embed"></iframe>"#,
            )
        };
        let counter = Arc::clone(&asked);
        let app = axum::Router::new()
            .route("/a", get(story))
            .route("/b", get(story))
            .route(
                "/api/v1/statuses/2951",
                get(move || {
                    let counter = Arc::clone(&counter);
                    async move {
                        counter.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(delay).await;
                        (
                            axum::http::StatusCode::NOT_FOUND,
                            [("content-type", "application/json")],
                            r#"{"error":"Record not found"}"#,
                        )
                    }
                }),
            );
        let addr = crate::test_support::serve(app).await;
        let mut config = crate::config::Config::default();
        for host in ["news.test", "mastodon.social"] {
            config
                .http
                .host_overrides
                .insert(host.into(), format!("http://{addr}"));
        }
        config.politeness.per_host_interval = Duration::ZERO;
        configure(&mut config);
        let (dir, pipeline) = pipeline_on(config).await;
        (dir, pipeline, asked)
    }

    /// The archive id of the post the two stories embed.
    async fn the_post(pipeline: &Pipeline) -> i64 {
        pipeline
            .store()
            .reader
            .call(|s| Ok(s.post_by_url("https://mastodon.social/@reporter/2951")?.id))
            .await
            .expect("the post")
    }

    async fn checks_of(pipeline: &Pipeline, post_id: i64) -> Vec<crate::model::CheckRecord> {
        pipeline
            .store()
            .reader
            .call(move |s| s.checks(post_id))
            .await
            .expect("the post's checks")
    }

    /// Regression: two workers archiving two articles that embed one post asked the platform
    /// twice at the same moment and counted both gone answers as checks. The second waits for
    /// the first's check and takes it from the archive.
    #[tokio::test]
    async fn a_post_two_articles_embed_is_asked_once_by_jobs_side_by_side() {
        use std::sync::atomic::Ordering;
        let (_dir, pipeline, asked) =
            two_stories_of_one_post(Duration::from_millis(300), |_| {}).await;
        let cooldowns = Arc::new(Cooldowns::default());
        let (a, b) = tokio::join!(
            archive(&pipeline, &cooldowns, "https://news.test/a"),
            archive(&pipeline, &cooldowns, "https://news.test/b"),
        );
        assert!(matches!(a, JobEnd::Done), "{a:?}");
        assert!(matches!(b, JobEnd::Done), "{b:?}");
        assert_eq!(asked.load(Ordering::SeqCst), 1, "the post was asked once");
        let checks = checks_of(&pipeline, the_post(&pipeline).await).await;
        assert_eq!(checks.len(), 1, "one check recorded: {checks:?}");
    }

    /// Regression (daemon3 R02): a post's re-check job and the archive job of a new article
    /// embedding it, side by side, asked the platform twice and recorded two checks of one
    /// moment. The re-check waits for the article's check and takes it.
    #[tokio::test]
    async fn a_recheck_beside_an_article_embedding_its_post_asks_once() {
        use std::sync::atomic::Ordering;
        let (_dir, pipeline, asked) = two_stories_of_one_post(Duration::from_millis(300), |c| {
            c.schedule.recheck_min = Duration::from_secs(2);
        })
        .await;
        let cooldowns = Arc::new(Cooldowns::default());
        // The post is in the archive, checked once by its first article, longer ago than the
        // shortest re-check interval.
        let first = archive(&pipeline, &cooldowns, "https://news.test/a").await;
        assert!(matches!(first, JobEnd::Done), "{first:?}");
        let post_id = the_post(&pipeline).await;
        tokio::time::sleep(Duration::from_millis(2100)).await;
        asked.store(0, Ordering::SeqCst);
        let key = post_id.to_string();
        let (b, recheck) = tokio::join!(
            archive(&pipeline, &cooldowns, "https://news.test/b"),
            check(&pipeline, &cooldowns, &key),
        );
        assert!(matches!(b, JobEnd::Done), "{b:?}");
        assert!(matches!(recheck, JobEnd::Done), "{recheck:?}");
        assert_eq!(asked.load(Ordering::SeqCst), 1, "the post was asked once");
        let checks = checks_of(&pipeline, post_id).await;
        assert_eq!(
            checks.len(),
            2,
            "the first article's check and one more: {checks:?}"
        );
    }

    /// Every change to or from suspect or gone is a line; a post first found live is not.
    #[test]
    fn status_changes_worth_a_line() {
        use PostStatus::{Gone, Live, Suspect, Unknown};
        let logs = crate::test_support::Logs::capture();
        for (was, is) in [
            (Unknown, Live),
            (Live, Live),
            (Live, Suspect),
            (Suspect, Live),
            (Suspect, Gone),
            (Gone, Live),
            (Unknown, Gone),
        ] {
            log_status_change("https://x.com/a/status/1", was, is);
        }
        let text = logs.text();
        let lines: Vec<&str> = text
            .lines()
            .filter_map(|l| l.split("post status changed: ").nth(1))
            .collect();
        assert_eq!(
            lines,
            [
                "live to suspect post=https://x.com/a/status/1 was=live now=suspect",
                "suspect to live post=https://x.com/a/status/1 was=suspect now=live",
                "suspect to gone post=https://x.com/a/status/1 was=suspect now=gone",
                "gone to live post=https://x.com/a/status/1 was=gone now=live",
                "unknown to gone post=https://x.com/a/status/1 was=unknown now=gone",
            ],
            "{text}"
        );
    }

    /// The check that calls a post gone logs a line of its own (daemon3 L05), which a journal
    /// filter can catch; later checks of the gone post do not repeat it.
    #[tokio::test]
    async fn a_post_going_gone_is_a_line_of_its_own() {
        let (_dir, pipeline, _) = two_stories_of_one_post(Duration::ZERO, |c| {
            c.liveness.gone_after_checks = 2;
            c.liveness.gone_after = Duration::ZERO;
            c.schedule.recheck_min = Duration::ZERO;
        })
        .await;
        let cooldowns = Arc::new(Cooldowns::default());
        let first = archive(&pipeline, &cooldowns, "https://news.test/a").await;
        assert!(matches!(first, JobEnd::Done), "{first:?}");
        let key = the_post(&pipeline).await.to_string();
        let logs = crate::test_support::Logs::capture();
        for _ in 0..2 {
            let end = check(&pipeline, &cooldowns, &key).await;
            assert!(matches!(end, JobEnd::Done), "{end:?}");
        }
        let text = logs.text();
        let changed: Vec<&str> = text
            .lines()
            .filter(|l| l.contains("post status changed"))
            .collect();
        assert_eq!(changed.len(), 1, "{text}");
        assert!(
            changed[0].contains(" WARN ") && changed[0].contains("to gone"),
            "{text}"
        );
    }

    /// Regression: an article whose body is over the cap, whose address redirects without end
    /// or whose host the guard refuses was asked again up to `schedule.max_attempts` times,
    /// though no later try could fetch it. Those are given up at once; a busy server is still
    /// retried.
    #[tokio::test]
    async fn an_article_no_later_try_can_fetch_is_given_up_at_once() {
        use axum::response::{Html, Redirect};
        use axum::routing::get;
        let app = axum::Router::new()
            .route("/loop", get(|| async { Redirect::temporary("/loop") }))
            .route("/big", get(|| async { Html("<p>x</p>".repeat(1024)) }))
            .route(
                "/busy",
                get(|| async { axum::http::StatusCode::SERVICE_UNAVAILABLE }),
            )
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    Html("<p>late</p>")
                }),
            );
        let addr = crate::test_support::serve(app).await;
        let mut config = crate::config::Config::default();
        config
            .http
            .host_overrides
            .insert("news.test".into(), format!("http://{addr}"));
        config.http.max_body_bytes = 4096;
        config.http.timeout = Duration::from_millis(500);
        config.politeness.per_host_interval = Duration::ZERO;
        let (_dir, pipeline) = pipeline_on(config).await;
        let cooldowns = Arc::new(Cooldowns::default());
        let cases = [
            ("https://news.test/loop".to_owned(), false, "redirects"),
            ("https://news.test/big".to_owned(), false, "limit"),
            (format!("http://{addr}/page"), false, "non-public address"),
            ("https://news.test/busy".to_owned(), true, "HTTP 503"),
            ("https://news.test/slow".to_owned(), true, "timed out"),
        ];
        for (url, retried, says) in cases {
            let (is_retry, message) = match archive(&pipeline, &cooldowns, &url).await {
                JobEnd::Retry { message, .. } => (true, message),
                JobEnd::GiveUp { message } => (false, message),
                other => panic!("{url}: {other:?}"),
            };
            assert_eq!(is_retry, retried, "{url}: {message}");
            assert!(message.contains(says), "{url}: {message}");
            assert!(
                message.contains(url.trim_end_matches("/page")),
                "{url}: {message}"
            );
            // The archive says so too, so that a source still listing the article does not
            // queue it again.
            let stored = url.clone();
            let record = pipeline
                .store()
                .reader
                .call(move |s| s.article_by_url(&stored))
                .await
                .expect("the failed article is recorded");
            assert_eq!(record.article.error_lasts, !retried, "{url}");
        }
    }

    #[test]
    fn an_article_job_waits_out_its_host_s_hold_or_retry_after_whichever_is_longer() {
        let refused = ArticleError::Fetch {
            url: "https://a.example/".into(),
            message: "https://a.example/: HTTP 429 (rate limited) from a.example earlier; not \
                      sent while the host asks to wait (40 s more)"
                .into(),
            may_pass: true,
        };
        let held = Some(Duration::from_secs(40));
        assert_eq!(article_retry_after(&refused, held), held);
        assert_eq!(article_retry_after(&refused, None), None);
        let answered = |retry_after| ArticleError::Status {
            url: "https://a.example/".into(),
            status: 429,
            retry_after,
        };
        let asked = Some(Duration::from_secs(120));
        assert_eq!(article_retry_after(&answered(asked), held), asked);
        assert_eq!(article_retry_after(&answered(None), held), held);
    }

    #[test]
    fn a_first_cool_down_outlasts_the_http_client_s_default_hold() {
        // Else the daemon's first ask after a lone 429 would be refused by the still-held host
        // and counted as another rate limit, lengthening the cool-down for nothing.
        for _ in 0..100 {
            assert!(retry_delay(1, None) >= crate::http::DEFAULT_429_HOLD);
        }
    }

    #[test]
    fn a_cool_down_lasts_out_the_hold_of_a_request_not_sent_in_one_step() {
        // Refused asks during a long hold (a `Retry-After` of an hour) each count as a rate
        // limit; without the hold the cool-down would grow by doubling, 30 s, 1 min, 2 min …
        // and outlast the hold by as much again.
        let c = Cooldowns::default();
        let now = Utc::now();
        c.rate_limited(Platform::Instagram, now, None);
        let first = c.until(Platform::Instagram, now).expect("cooling");
        assert!(first - now < chrono::Duration::minutes(2), "{first}");
        let later = now + chrono::Duration::minutes(2);
        c.rate_limited(Platform::Instagram, later, Some(Duration::from_secs(3570)));
        let until = c.until(Platform::Instagram, later).expect("cooling");
        assert!(until - later >= chrono::Duration::seconds(3570), "{until}");
        assert!(
            until - later < chrono::Duration::seconds(3570 + 300),
            "{until}"
        );
    }

    #[test]
    fn one_platform_cools_down_alone() {
        let c = Cooldowns::default();
        let now = Utc::now();
        c.rate_limited(Platform::X, now, None);
        assert!(c.until(Platform::X, now).is_some());
        assert!(c.until(Platform::Youtube, now).is_none());
        c.answered(Platform::X);
        assert!(c.until(Platform::X, now).is_none());
    }
}
