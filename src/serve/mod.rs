//! `serve` is the archive's HTTP face: the JSON API (posts, their snapshots, articles and their
//! embeds, queueing an article), the stored images, `/healthz`, and Prometheus `/metrics` on a
//! listener of its own. Every JSON document is shaped by `report`, the same code the CLI's
//! `--json` output uses: `GET /v1/posts?url=` answers `show --json`'s document (with its latest `snapshot`), a listing
//! `list --json`'s.
//!
//! It answers from the archive only: it never fetches anything upstream while answering. Reads
//! go through the `StoreReader` (read-only WAL connections on the blocking pool, never held
//! across an `.await`), so the server stays responsive while the archiver writes; the one write,
//! `POST /v1/articles`, queues a job through the `StoreWriter` for the daemon to run.
//!
//! Layout: `listen` accepts connections (header read timeout against slow clients, a connection
//! cap, graceful shutdown); `error` maps every failure to a status and a JSON body, in one
//! place; `auth` holds the admin token; one file per route group (`posts`, `articles`, `media`,
//! `health`); `metrics` counts requests and reads the archive's counts at scrape time; `oembed`
//! shapes the oEmbed answer around a card; `platform_urls` leaves out of every JSON answer the
//! URLs a platform gave that are not web addresses. Routes that render HTML through `render`:
//! `card` (`GET /v1/posts/{id}/card`, `GET /oembed`), `rewrite` (`POST /v1/rewrite`, with its
//! own body limit and its bound on rewrites at once), `report_page` (`GET /report`, `.csv`,
//! `.json`); `status` answers the batched status request of `script`'s `GET /fallback.js`.

mod articles;
mod auth;
mod blank;
mod body_budget;
mod budget_map;
mod card;
mod card_cache;
mod error;
mod etag;
mod health;
mod listen;
mod media;
mod media_cache;
mod metrics;
pub mod oembed;
mod platform_urls;
mod posts;
mod report_page;
mod rewrite;
mod script;
mod send_budget;
mod source_metrics;
mod status;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::store::{StoreReader, StoreWriter, Tally};

pub use auth::AdminToken;
pub use error::{ApiError, REQUEST_TIMEOUT};
pub use listen::{HEADER_READ_TIMEOUT, Server, serve, serve_router};
pub use rewrite::{
    ArticleRewriteError, REWRITE_BODY_LIMIT, REWRITE_PERMITS, REWRITE_WAIT, RewriteMode, Rewritten,
    rewrite_article,
};

/// Largest body `POST /v1/articles` reads.
pub const ARTICLE_BODY_LIMIT: usize = 64 * 1024;
/// How long clients and caches may keep a read route's JSON answer.
const READ_CACHE_CONTROL: &str = "public, max-age=60";

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// A listen address could not be bound (in use, not local, no permission).
    #[error("cannot listen on {address} ({key}): {source}")]
    Bind {
        key: &'static str,
        address: String,
        #[source]
        source: std::io::Error,
    },
    /// The admin token file could not be read.
    #[error("cannot read the admin token file {path}: {source}")]
    TokenFile {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The admin token file holds no token.
    #[error("the admin token file {path} is empty")]
    EmptyToken { path: std::path::PathBuf },
    /// The metrics recorder could not be set up.
    #[error("cannot set up metrics: {0}")]
    Metrics(String),
}

/// What write routes need: the archive's writer and the token that unlocks them.
#[derive(Clone)]
pub struct Writes {
    pub writer: StoreWriter,
    pub token: AdminToken,
    /// The guard's rule for literal addresses (`[http]`): an article whose host is a private
    /// address the daemon would refuse to fetch is refused when it is queued. The daemon sends
    /// the rule of each config a SIGHUP reads, as its client takes that config's `[http]`.
    pub addresses: tokio::sync::watch::Receiver<crate::pipeline::LiteralGuard>,
}

/// What every handler shares: the archive's readers, the writes (if enabled) and the metrics.
#[derive(Clone)]
pub struct ServeState {
    inner: Arc<Inner>,
}

struct Inner {
    reader: StoreReader,
    writes: Option<Writes>,
    /// The record of the archive's writer in this process, when there is one (the daemon, or
    /// `serve` with the write route): `/healthz` and `/metrics` report it.
    tally: Option<Arc<Tally>>,
    metrics: metrics::Metrics,
    public_base_url: Option<String>,
    /// Where card images are served from: this server's media route.
    media_base: String,
    cards: card_cache::CardCache,
    media: media_cache::MediaCache,
    /// Turns to rewrite an article (`rewrite::REWRITE_PERMITS`): each rewrite holds its page
    /// and the rewritten copy in memory, so their number bounds the route's memory.
    rewrites: Arc<tokio::sync::Semaphore>,
    /// The bytes of article bodies the rewrite route holds at once, read or still arriving
    /// (`rewrite::REWRITE_BODY_BUDGET`).
    rewrite_bodies: body_budget::BodyBudget,
    /// The bytes of large answers being sent at once (`send_budget::SEND_BUDGET`).
    sending: send_budget::SendBudget,
}

impl ServeState {
    /// The state of a server reading `reader`'s archive. Without `writes` (no admin token
    /// configured) the write routes answer 403. `public_base_url` is where clients reach the
    /// server (for absolute links in answers; `None`: links stay relative). Images once served
    /// are kept in up to `media_cache_bytes` of memory (`serve.media_cache_mb`). `tally` is
    /// the record of the archive's writer in this process, if one writes it.
    pub fn new(
        reader: StoreReader,
        writes: Option<Writes>,
        tally: Option<Arc<Tally>>,
        public_base_url: Option<String>,
        media_cache_bytes: usize,
    ) -> Result<ServeState, ServeError> {
        let public_base_url = public_base_url.map(|u| u.trim_end_matches('/').to_owned());
        let media_base = format!("{}/v1/media/", public_base_url.as_deref().unwrap_or(""));
        Ok(ServeState {
            inner: Arc::new(Inner {
                reader,
                writes,
                tally,
                metrics: metrics::Metrics::new()?,
                public_base_url,
                media_base,
                cards: card_cache::CardCache::new(card_cache::CARD_CACHE_BYTES),
                media: media_cache::MediaCache::new(
                    media_cache_bytes,
                    media_cache::MEDIA_CACHE_LARGEST,
                ),
                rewrites: Arc::new(tokio::sync::Semaphore::new(rewrite::REWRITE_PERMITS)),
                rewrite_bodies: body_budget::BodyBudget::new(rewrite::REWRITE_BODY_BUDGET),
                sending: send_budget::SendBudget::new(send_budget::SEND_BUDGET),
            }),
        })
    }

    fn reader(&self) -> &StoreReader {
        &self.inner.reader
    }

    fn writes(&self) -> Option<&Writes> {
        self.inner.writes.as_ref()
    }

    fn tally(&self) -> Option<&Tally> {
        self.inner.tally.as_deref()
    }

    fn metrics(&self) -> &metrics::Metrics {
        &self.inner.metrics
    }

    /// Where a card's images are served from: this server's media route, ending in `/`.
    fn media_base(&self) -> &str {
        &self.inner.media_base
    }

    fn cards(&self) -> &card_cache::CardCache {
        &self.inner.cards
    }

    fn media(&self) -> &media_cache::MediaCache {
        &self.inner.media
    }

    fn rewrites(&self) -> &Arc<tokio::sync::Semaphore> {
        &self.inner.rewrites
    }

    fn rewrite_bodies(&self) -> &body_budget::BodyBudget {
        &self.inner.rewrite_bodies
    }

    /// Where clients reach the server, without a trailing slash.
    pub fn public_base_url(&self) -> Option<&str> {
        self.inner.public_base_url.as_deref()
    }
}

/// The API router (the public listener). Read routes answer any origin (CORS `*`, GET and HEAD
/// only); the write route needs the admin token.
pub fn router(state: ServeState) -> Router {
    Router::new()
        .route("/v1/posts", get(posts::find))
        .route("/v1/posts/{id}/snapshots", get(posts::snapshots))
        .route("/v1/media/{sha256}", get(media::image))
        .route(
            "/v1/articles",
            get(articles::find)
                .post(articles::queue)
                .layer(DefaultBodyLimit::max(ARTICLE_BODY_LIMIT)),
        )
        .route("/healthz", get(health::healthz))
        .route("/v1/posts/{id}/card", get(card::card))
        .route("/oembed", get(card::oembed))
        .route("/v1/posts/status", get(status::status))
        .route("/fallback.js", get(script::fallback_js))
        .route("/report", get(report_page::page))
        .route("/report.csv", get(report_page::csv))
        .route("/report.json", get(report_page::json))
        // The route reads its body itself, within `REWRITE_BODY_LIMIT` and the body budget.
        .route("/v1/rewrite", post(rewrite::rewrite))
        .fallback(error::no_route)
        .method_not_allowed_fallback(error::wrong_method)
        .layer(axum::middleware::from_fn(error::guard))
        .layer(axum::middleware::from_fn_with_state(
            state.inner.sending.clone(),
            send_budget::limit,
        ))
        .layer(CatchPanicLayer::custom(error::panicked))
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::HEAD]),
        )
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        // Outermost, so that CORS preflight answers carry it too.
        .layer(nosniff())
        .with_state(state)
}

/// The metrics router (its own listener, `serve.metrics_listen`): `GET /metrics` only.
pub fn metrics_router(state: ServeState) -> Router {
    Router::new()
        .route("/metrics", get(metrics::scrape))
        .fallback(error::no_route)
        .method_not_allowed_fallback(error::wrong_method)
        .layer(axum::middleware::from_fn(error::guard))
        .layer(nosniff())
        .with_state(state)
}

/// `X-Content-Type-Options: nosniff` on every answer (errors, panics and JSON included): a
/// browser reads each as the type it is sent with, so a JSON document echoing `<script>` in an
/// error message is never taken for a page.
fn nosniff() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    )
}

/// A read route's answer: the JSON document, cacheable for a minute.
fn document<T: serde::Serialize>(value: &T) -> Response {
    let mut response = Json(value).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(READ_CACHE_CONTROL),
    );
    response
}
