//! `pipeline` wires the stages for one article: fetch → discover → resolve each post → media →
//! store, and for one post: resolve → media → store with the liveness step. It holds no logic
//! of its own beyond ordering and error reporting: each stage lives in its module.

mod article;
mod post;

use std::sync::{Arc, Mutex};

use chrono::Utc;
use url::Url;

use crate::config::Config;
use crate::discover::{self, Discovery};
use crate::http::HttpClient;
use crate::report::{ArchivedEmbed, ArticleReport, FoundEmbed, RemnantReport, rfc3339};
use crate::store::{ArticleRecord, Store, StoreError};

pub use article::{ArticleFailure, FetchedArticle, fetch_article, looks_like_html};

/// Why the pipeline could not even start.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The HTTP client could not be built from the config.
    #[error(transparent)]
    Http(#[from] crate::http::HttpError),
    /// A store operation failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A blocking task panicked or the store lock was poisoned.
    #[error("internal error: {0}")]
    Internal(String),
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
    /// The URL the article is archived under.
    pub fn url(&self) -> String {
        match self {
            ArticleInput::Url(u) => u.clone(),
            ArticleInput::Html { base_url, .. } => base_url.to_string(),
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

/// Everything an archive run needs: config, the HTTP client and the store. One pipeline serves
/// one run (a CLI invocation): it remembers which posts it has checked, so that a post embedded
/// in several articles of the run is asked once.
#[derive(Clone)]
pub struct Pipeline {
    pub(crate) http: HttpClient,
    pub(crate) config: Arc<Config>,
    pub(crate) store: Arc<Mutex<Store>>,
    /// Posts already checked by this pipeline (one run): post id → outcome.
    checked: Arc<Mutex<std::collections::HashMap<i64, post::PostOutcome>>>,
}

impl Pipeline {
    pub fn new(config: Config, store: Store) -> Result<Pipeline, PipelineError> {
        let http = HttpClient::new(&config.http, &config.politeness)?;
        Ok(Pipeline {
            http,
            config: Arc::new(config),
            store: Arc::new(Mutex::new(store)),
            checked: Arc::default(),
        })
    }

    /// Run `f` on the store on a blocking thread.
    pub(crate) async fn with_store<R, F>(&self, f: F) -> Result<R, PipelineError>
    where
        R: Send + 'static,
        F: FnOnce(&mut Store) -> Result<R, StoreError> + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || {
            let mut guard = store
                .lock()
                .map_err(|_| PipelineError::Internal("store lock poisoned".into()))?;
            f(&mut guard).map_err(PipelineError::from)
        })
        .await
        .map_err(|e| PipelineError::Internal(format!("store task failed: {e}")))?
    }

    /// Archive every embed of one article. Failures are reported inside the returned report
    /// (article `error`, per-embed `error`); what was stored stays stored.
    pub async fn archive(
        &self,
        input: ArticleInput,
        progress: &dyn Progress,
    ) -> ArticleReport<ArchivedEmbed> {
        let url = input.url();
        let fetched = match input {
            ArticleInput::Url(u) => match fetch_article(&self.http, &u).await {
                Ok(f) => f,
                Err(failure) => {
                    self.record_failed_article(&u, &failure).await;
                    return failure.into_report(&u);
                }
            },
            ArticleInput::Html { html, base_url } => FetchedArticle::from_html(html, base_url),
        };
        let discovery = match discover_blocking(&fetched).await {
            Ok(d) => d,
            Err(message) => {
                let failure = ArticleFailure {
                    message,
                    http_status: fetched.http_status,
                    final_url: Some(fetched.final_url.to_string()),
                };
                self.record_failed_article(&url, &failure).await;
                return failure.into_report(&url);
            }
        };
        let record = ArticleRecord {
            url: url.clone(),
            final_url: Some(fetched.final_url.to_string()),
            title: discovery.title.clone(),
            fetched_at: fetched.fetched_at,
            http_status: fetched.http_status,
            error: None,
            sha256: Some(fetched.sha256.clone()),
        };
        let mut report = ArticleReport {
            url: url.clone(),
            final_url: record.final_url.clone(),
            title: discovery.title.clone(),
            fetched_at: Some(rfc3339(fetched.fetched_at)),
            http_status: fetched.http_status,
            error: None,
            embeds: Vec::new(),
            remnants: discovery.remnants.iter().map(RemnantReport::from).collect(),
        };
        let article_id = match self.with_store(move |s| s.save_article(&record)).await {
            Ok(id) => id,
            Err(e) => {
                report.error = Some(format!("cannot store article {url}: {e}"));
                return report;
            }
        };
        let posts = discovery.embeds.iter().filter(|e| e.kind.is_post()).count();
        progress.posts_found(&url, posts);
        report.embeds = post::archive_embeds(self, article_id, discovery.embeds, progress).await;
        report
    }

    async fn record_failed_article(&self, url: &str, failure: &ArticleFailure) {
        if Url::parse(url).is_err() {
            return; // not a URL: nothing to keep a record of
        }
        let record = ArticleRecord {
            url: url.to_owned(),
            final_url: failure.final_url.clone(),
            title: None,
            fetched_at: Utc::now(),
            http_status: failure.http_status,
            error: Some(failure.message.clone()),
            sha256: None,
        };
        if let Err(e) = self.with_store(move |s| s.save_article(&record)).await {
            tracing::warn!(url, error = %e, "cannot record the failed article");
        }
    }
}

/// Discover on a blocking thread (parsing is CPU-bound and `scraper::Html` is !Send). A panic in
/// discovery becomes an error naming the article, never an empty success.
pub async fn discover_blocking(article: &FetchedArticle) -> Result<Discovery, String> {
    let html = article.html.clone();
    let base = article.final_url.clone();
    tokio::task::spawn_blocking(move || discover::discover(&html, &base))
        .await
        .map_err(|e| format!("{}: discovery failed: {e}", article.requested_url))
}

/// The `scan` report of one fetched article: embeds and remnants, nothing stored.
pub fn scan_report(article: &FetchedArticle, discovery: &Discovery) -> ArticleReport<FoundEmbed> {
    ArticleReport {
        url: article.requested_url.clone(),
        final_url: Some(article.final_url.to_string()),
        title: discovery.title.clone(),
        fetched_at: Some(rfc3339(article.fetched_at)),
        http_status: article.http_status,
        error: None,
        embeds: discovery.embeds.iter().map(FoundEmbed::from).collect(),
        remnants: discovery.remnants.iter().map(RemnantReport::from).collect(),
    }
}
