//! `pipeline` is the service API that `cli`, `schedule` and `serve` all call: archive one
//! article, check one post, scan an article, look a post up. It wires the stages (fetch →
//! discover → resolve → media → store, with the liveness step) and returns `model` types with
//! typed errors; it never builds JSON or prints. Each stage's logic lives in its own module.
//!
//! A [`RunScope`] is one unit of work (a CLI invocation, one scheduler tick): within it, a post
//! embedded in several articles is asked once. It is explicit so that a long-running process
//! starts a new one per tick instead of remembering every post forever.

mod article;
mod lookup;
mod pacing;
mod post;
mod post_turns;
mod scan;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use url::Url;

use crate::config::Config;
use crate::http::HttpClient;
use crate::model::{
    ArticleError, ArticleOutcome, ArticleRecord, Platform, PostCheck, PostError, PostKey,
    article_key,
};
use crate::store::{StoreError, StoreHandles};

pub use article::{FetchedArticle, PageDigest, fetch_article, looks_like_html};
pub use lookup::{LookupError, find_post, find_post_by_key, lookup};
pub use pacing::{PlatformPacing, RunPacing, report_answer, says_wait};
pub use scan::{ScanInput, binary_kind, scan, scan_local};
// The platforms' recognisers and embed forms, for callers that may not use `platforms` (the
// server's rewrite): the same ones discovery uses, so a page's posts get the archive's keys.
pub use crate::platforms::{embed_forms, recognise};
// How a Content-Type names its charset, for the server's rewrite (which may not use `http`): the
// same reading the article fetch decodes with.
pub use crate::http::charset_label;
// The rule by which the article fetch refuses a literal non-public address, for the server's
// queue (which may not use `http`): a job the pipeline would refuse is refused when queued.
pub use crate::http::LiteralGuard;

/// Why the pipeline could not even start, or could not check a post.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The HTTP client could not be built from the config.
    #[error(transparent)]
    Http(#[from] crate::http::HttpError),
    /// A store operation failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Where an article comes from.
#[derive(Debug, Clone)]
pub enum ArticleInput {
    /// Fetch it over HTTP.
    Url(String),
    /// Already have the HTML (e.g. `--html FILE --base-url URL`).
    Html { html: String, base_url: Url },
}

impl ArticleInput {
    /// The URL the article is archived under and fetched from: without its fragment, which
    /// names a place in the page (`#comments`), never another page, and is never sent to the
    /// server, and without tracking parameters (`utm_*`, `fbclid`, `gclid`), as the daemon
    /// queues the articles its sources list.
    pub fn url(&self) -> String {
        match self {
            ArticleInput::Url(u) => article_key(u),
            ArticleInput::Html { base_url, .. } => article_key(base_url.as_str()),
        }
    }
}

/// Progress notifications for long work (the CLI draws a bar; the daemon logs).
pub trait Progress: Send + Sync {
    /// An article's embeds were found; `posts` of them will be resolved.
    fn posts_found(&self, article: &str, posts: usize);
    /// One post is done.
    fn post_done(&self, post_url: &str);
}

/// A progress sink that ignores everything.
pub struct NoProgress;

impl Progress for NoProgress {
    fn posts_found(&self, _: &str, _: usize) {}
    fn post_done(&self, _: &str) {}
}

/// The bound on image decodes that `[limits]` sets.
fn decode_bounds(config: &Config) -> crate::media::DecodeBounds {
    crate::media::DecodeBounds {
        max_concurrent_decodes: config.limits.max_concurrent_decodes,
        decode_timeout: config.limits.decode_timeout,
    }
}

/// Whether two config sections say the same (compared as what they serialise to; a section
/// that cannot be serialised is never the same).
fn same<T: serde::Serialize>(a: &T, b: &T) -> bool {
    match (serde_json::to_value(a), serde_json::to_value(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// One unit of work: posts checked within it are asked once. Drop it when the unit ends.
#[derive(Default)]
pub struct RunScope {
    checked: Mutex<HashMap<i64, post::PostResult>>,
    /// Posts an article embeds that were checked this recently are taken from the archive
    /// instead of being asked again (`None`: always ask).
    reuse_within: Option<chrono::Duration>,
    /// Platforms cooling down are not asked about the posts an article embeds, and the answers
    /// of the others are reported here (`None`: no pacing beyond the HTTP client's).
    pacing: Option<Arc<dyn PlatformPacing>>,
}

impl RunScope {
    pub fn new() -> RunScope {
        RunScope::default()
    }

    /// A scope in which archiving an article does not ask a platform about a post that was
    /// checked less than `window` ago: the archive's answer stands. The daemon archives many
    /// articles that embed the same posts; without this each article job would ask again.
    pub fn reusing_checks_within(window: std::time::Duration) -> RunScope {
        RunScope {
            reuse_within: chrono::Duration::from_std(window).ok(),
            ..RunScope::default()
        }
    }

    /// The scope of one terminal run (`embedkeep archive`, `embedkeep check`): a platform that
    /// rate-limits the run is not asked about the rest of its posts ([`RunPacing`]).
    pub fn for_one_run() -> RunScope {
        RunScope::new().with_pacing(Arc::new(RunPacing::default()))
    }

    /// This scope, honouring and feeding `pacing`.
    pub fn with_pacing(mut self, pacing: Arc<dyn PlatformPacing>) -> RunScope {
        self.pacing = Some(pacing);
        self
    }

    /// The answer a post of `platform` (at `post_url`) gets when this run leaves it unasked for
    /// now: a transient error saying why (`None`: it is asked).
    fn held_back(&self, platform: Platform, post_url: &str) -> Option<PostError> {
        self.pacing
            .as_ref()
            .filter(|p| p.cooling(platform))
            .map(|p| PostError::Transient {
                post_url: post_url.to_owned(),
                source_name: platform.to_string(),
                evidence: p.not_asked(platform),
            })
    }

    /// Tell the pacing what `platform` answered.
    fn heard(&self, platform: Platform, result: &post::PostResult) {
        if let Some(pacing) = &self.pacing {
            let error = match result {
                Ok(check) => check.error.as_ref(),
                Err(error) => Some(error),
            };
            report_answer(pacing.as_ref(), platform, error);
        }
    }

    /// The moment before which a stored check is too old to reuse, if reuse is on.
    fn reuse_after(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Option<chrono::DateTime<chrono::Utc>> {
        self.reuse_within.and_then(|w| now.checked_sub_signed(w))
    }

    fn get(&self, post_id: i64) -> Option<post::PostResult> {
        self.checked
            .lock()
            .ok()
            .and_then(|c| c.get(&post_id).cloned())
    }

    fn remember(&self, post_id: i64, result: &post::PostResult) {
        if let Ok(mut c) = self.checked.lock() {
            c.insert(post_id, result.clone());
        }
    }
}

/// Everything archiving and checking need: config, the HTTP client and the archive.
#[derive(Clone)]
pub struct Pipeline {
    pub(crate) http: HttpClient,
    /// The process's bound on image decodes (`[limits]`), shared by every clone.
    pub(crate) decode_gate: crate::media::DecodeGate,
    pub(crate) config: Arc<Config>,
    pub(crate) store: StoreHandles,
    /// One check of a post at a time, shared by every clone (`post_turns`).
    pub(crate) post_turns: Arc<post_turns::PostTurns>,
}

impl Pipeline {
    pub fn new(config: Arc<Config>, store: StoreHandles) -> Result<Pipeline, PipelineError> {
        Ok(Pipeline {
            http: HttpClient::new(&config.http, &config.politeness)?,
            decode_gate: crate::media::DecodeGate::new(decode_bounds(&config)),
            config,
            store,
            post_turns: Arc::default(),
        })
    }

    /// This pipeline with a reloaded `config`. The HTTP client, with its per-host pacing and
    /// the requests in flight, carries over when `[http]` and `[politeness]` are unchanged:
    /// a reload for another key (a source, a schedule) must not let every host be asked again
    /// at once. The decode bound carries over likewise.
    pub fn reconfigured(&self, config: Arc<Config>) -> Result<Pipeline, PipelineError> {
        let old = &self.config;
        let http = if same(&old.http, &config.http) && same(&old.politeness, &config.politeness) {
            self.http.clone()
        } else {
            HttpClient::new(&config.http, &config.politeness)?
        };
        let bounds = decode_bounds(&config);
        let decode_gate = if decode_bounds(old) == bounds {
            self.decode_gate.clone()
        } else {
            crate::media::DecodeGate::new(bounds)
        };
        Ok(Pipeline {
            http,
            decode_gate,
            config,
            store: self.store.clone(),
            post_turns: Arc::clone(&self.post_turns),
        })
    }

    /// The HTTP client (for sources and scans that share its politeness).
    pub fn http(&self) -> &HttpClient {
        &self.http
    }

    /// The archive.
    pub fn store(&self) -> &StoreHandles {
        &self.store
    }

    /// The configuration this pipeline runs with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Archive every embed of one article. Failures are reported inside the outcome (article
    /// `error`, per-embed `error`); what was stored stays stored.
    pub async fn archive_article(
        &self,
        input: ArticleInput,
        scope: &RunScope,
        progress: &dyn Progress,
    ) -> ArticleOutcome {
        let url = input.url();
        let fetched = match input {
            ArticleInput::Url(_) => match fetch_article(&self.http, &url, PageDigest::Sha256).await
            {
                Ok(f) => f,
                Err(failure) => {
                    self.record_failed_article(&url, &failure).await;
                    return failure.into_outcome(&url);
                }
            },
            ArticleInput::Html { html, base_url } => {
                FetchedArticle::from_html(html, base_url, PageDigest::Sha256).await
            }
        };
        let mut outcome = match article::discover_article(&fetched).await {
            Ok(found) => found,
            Err(error) => {
                let failure = article::ArticleFailure {
                    error,
                    http_status: fetched.http_status,
                    final_url: Some(fetched.final_url.to_string()),
                    fetched_at: Some(fetched.fetched_at),
                };
                self.record_failed_article(&url, &failure).await;
                return failure.into_outcome(&url);
            }
        };
        outcome.url = url.clone();
        let cap = self.config.limits.max_embeds_per_article;
        if outcome.embeds.len() > cap {
            // An article with tens of thousands of embeds would take a day of requests: resolve
            // the first `cap` and report the rest as truncated.
            outcome.truncated = outcome.embeds.len() - cap;
            outcome.embeds.truncate(cap);
            // The outcome reports it (the archive report, `embeds_truncated` in JSON, the
            // daemon's "article archived" line): a warning here would say it twice.
            tracing::debug!(
                url,
                truncated = outcome.truncated,
                "article has more embeds than limits.max_embeds_per_article = {cap}"
            );
        }
        let record = ArticleRecord {
            url: url.clone(),
            final_url: outcome.final_url.clone(),
            title: outcome.title.clone(),
            fetched_at: fetched.fetched_at,
            http_status: fetched.http_status,
            error: None,
            sha256: fetched.sha256.clone(),
            error_lasts: false,
        };
        let article_id = match self
            .store
            .writer
            .call(move |s| s.save_article(&record))
            .await
        {
            Ok(id) => id,
            Err(e) => {
                outcome.error = Some(ArticleError::Store {
                    url,
                    message: e.to_string(),
                });
                return outcome;
            }
        };
        let posts = outcome
            .embeds
            .iter()
            .filter(|e| e.embed.kind.is_post())
            .count();
        progress.posts_found(&url, posts);
        post::archive_embeds(self, article_id, &mut outcome, scope, progress).await;
        outcome
    }

    /// Check one archived post now: resolve it, store the check (and any new content), apply
    /// the liveness rules and schedule the next check.
    pub async fn check_post(
        &self,
        key: &PostKey,
        scope: &RunScope,
    ) -> Result<PostCheck, PipelineError> {
        post::check_archived(self, key, scope).await
    }

    async fn record_failed_article(&self, url: &str, failure: &article::ArticleFailure) {
        if Url::parse(url).is_err() {
            return; // not a URL: nothing to keep a record of
        }
        let record = ArticleRecord {
            url: url.to_owned(),
            final_url: failure.final_url.clone(),
            title: None,
            fetched_at: failure.fetched_at.unwrap_or_else(Utc::now),
            http_status: failure.http_status,
            error: Some(failure.error.to_string()),
            sha256: None,
            error_lasts: !failure.error.is_transient(),
        };
        if let Err(e) = self
            .store
            .writer
            .call(move |s| s.save_article(&record))
            .await
        {
            tracing::warn!(url, error = %e, "cannot record the failed article");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reload that changes no `[http]` or `[politeness]` key keeps the HTTP client, with its
    /// per-host pacing; one that changes either builds a new one.
    #[tokio::test]
    async fn a_reload_keeps_the_http_client_unless_its_config_changed() {
        let dir = tempfile::tempdir().expect("tmp");
        let store = StoreHandles::open(&dir.path().join("a.db"))
            .await
            .expect("open");
        let running = Pipeline::new(Arc::new(Config::default()), store).expect("pipeline");

        let mut other_schedule = Config::default();
        other_schedule.schedule.workers += 1;
        let reloaded = running
            .reconfigured(Arc::new(other_schedule))
            .expect("reload");
        assert!(reloaded.http.is_same_client(&running.http));
        assert_eq!(
            reloaded.config.schedule.workers,
            running.config.schedule.workers + 1
        );

        let mut other_pacing = Config::default();
        other_pacing.politeness.per_host_interval += std::time::Duration::from_secs(1);
        let reloaded = running
            .reconfigured(Arc::new(other_pacing))
            .expect("reload");
        assert!(!reloaded.http.is_same_client(&running.http));

        let mut other_timeout = Config::default();
        other_timeout.http.timeout += std::time::Duration::from_secs(1);
        let reloaded = running
            .reconfigured(Arc::new(other_timeout))
            .expect("reload");
        assert!(!reloaded.http.is_same_client(&running.http));
    }
}
