//! The article rewrite against the archive: which embeds of a page get a card, and the route
//! that answers it, `POST /v1/rewrite?mode=gone|all&base_url=ARTICLE_URL`.
//!
//! [`rewrite_article`] is the one place that decides which posts of a page are swapped for
//! their cards (the gone ones, or in privacy mode `all` every archived one that has something to
//! show) and renders those cards; `embedkeep rewrite` calls it too, so the command and the route
//! can never disagree. It is synchronous (SQLite reads, two lol_html passes): the route runs it
//! on the blocking pool.
//!
//! The route reads only: it is public like the other read routes. The body is the article's
//! HTML in whatever charset the page declares; the answer is the same bytes with the cards
//! encoded in that charset, under the request's own `Content-Type`, so the charset label the
//! client sent still describes the answer. The base URL (for the page's relative links) comes
//! from `base_url=` or the `X-Base-URL` header. Bodies over [`REWRITE_BODY_LIMIT`] are refused
//! with 413 before the rewrite starts.
//!
//! Being public, the route must bound what it commits: each rewrite holds its page, the
//! rewritten copy and the parser's state, and a client with many connections could otherwise
//! make the server hold all of them at once. So bodies are read within a byte budget shared by
//! every request ([`REWRITE_BODY_BUDGET`], counted as the bytes arrive: a stalled upload holds
//! only what it sent), and at most [`REWRITE_PERMITS`] rewrites run at a time, a request taking
//! its turn once its body is in. Either wait ends after [`REWRITE_WAIT`] in 503 with
//! `Retry-After`.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tokio::sync::OwnedSemaphorePermit;
use url::Url;

use super::ServeState;
use super::body_budget::BodyError;
use super::error::ApiError;
use crate::model::{PostKey, PostRecord, PostStatus, StoredEmbed, StoredSnapshot};
use crate::pipeline;
use crate::render::{self, CardInput, CardSet, PageEmbeds, RewriteError};
use crate::report::ErrorDocument;
use crate::store::{StoreError, StoreReader};

/// Largest article `POST /v1/rewrite` reads: 60 MiB, well above any real article page.
pub const REWRITE_BODY_LIMIT: usize = 60 * 1024 * 1024;
/// Rewrites that run at once. A 50 MiB page costs about 50 MiB of memory while it is rewritten
/// (measured: 24 at once took the server from 20 MB to 1.2 GB), so two keep the route within a
/// few hundred MiB of the unit's 2 GiB, while a real article (well under 1 MiB) takes
/// milliseconds and rarely waits.
pub const REWRITE_PERMITS: usize = 2;
/// How long a rewrite waits for its turn, or a part of its body for room in the body budget,
/// before it is answered 503.
pub const REWRITE_WAIT: std::time::Duration = std::time::Duration::from_secs(2);
/// The bytes of article bodies the route holds at once, arrived or being read: a turn's worth
/// of the largest pages, so that both turns can always be fed.
pub const REWRITE_BODY_BUDGET: usize = REWRITE_PERMITS * REWRITE_BODY_LIMIT;

const ROUTE: &str = "/v1/rewrite";
/// The header a client may send the article's URL in instead of `base_url=`.
pub const BASE_URL_HEADER: &str = "x-base-url";
/// Answer headers: how many posts the page embeds, and how many got a card.
const FOUND_HEADER: HeaderName = HeaderName::from_static("x-embeds-found");
const REPLACED_HEADER: HeaderName = HeaderName::from_static("x-embeds-replaced");
/// Answer header: `true` when the whole page was read, `false` when the parser's memory limit
/// stopped it and the rest was passed through as sent ([`Rewritten::complete`]).
const COMPLETE_HEADER: HeaderName = HeaderName::from_static("x-embeds-complete");

/// Which embeds get a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RewriteMode {
    /// The embeds of gone posts (an operator's pin counts).
    Gone,
    /// Privacy mode: the embeds of every archived post with something to show, so the page
    /// loads nothing from the platforms for them.
    All,
}

impl RewriteMode {
    pub fn as_str(self) -> &'static str {
        match self {
            RewriteMode::Gone => "gone",
            RewriteMode::All => "all",
        }
    }
}

/// A rewritten page and what happened to its embeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewritten {
    /// The page, in its own charset.
    pub html: Vec<u8>,
    /// Posts the page embeds (each once).
    pub embedded: usize,
    /// Posts whose embeds were replaced by a card.
    pub replaced: usize,
    /// Whether the whole page was read. `false` when a tag, or the nesting of elements, went
    /// past the parser's memory limit ([`render::parser_memory_limit`]): the page from there on
    /// is passed through unchanged, its embeds neither counted nor replaced.
    pub complete: bool,
    /// The charset the page was read and its cards written in, when its byte order mark or the
    /// charset it was sent with decided it ([`PageEmbeds::decided_charset`]).
    pub charset: Option<&'static str>,
    /// The page is an AMP document, passed through as it was ([`PageEmbeds::is_amp`]).
    pub amp: bool,
}

/// Why an article could not be rewritten against the archive.
#[derive(Debug, thiserror::Error)]
pub enum ArticleRewriteError {
    /// The page itself: over the cap, a charset that cannot be streamed, a parser failure.
    #[error(transparent)]
    Page(#[from] RewriteError),
    /// The archive could not be read.
    #[error("cannot read database {path}: {source}")]
    Store {
        path: std::path::PathBuf,
        #[source]
        source: StoreError,
    },
}

/// Rewrite `html` (the page at `base_url`, at most `max_bytes` long): find the posts it
/// embeds, pick those that get a card in `mode`, render their cards with thumbnails under
/// `media_base`, and swap them in. Blocking: call it from a blocking thread.
pub fn rewrite_article(
    html: &[u8],
    charset: Option<&str>,
    base_url: &Url,
    reader: &StoreReader,
    mode: RewriteMode,
    media_base: &str,
    max_bytes: usize,
) -> Result<Rewritten, ArticleRewriteError> {
    let page = PageEmbeds::scan_sent_as(
        html,
        charset,
        base_url,
        &pipeline::recognise,
        pipeline::embed_forms(),
        max_bytes,
    )?;
    let keys = page.posts();
    // Of an AMP document nothing is replaced: no card is chosen.
    let wanted: &[PostKey] = if page.is_amp() { &[] } else { &keys };
    let chosen = reader
        .call_blocking(|store| {
            // Each with the key the page names it by, which may be another name of its author's.
            // Each post, its latest snapshot, and without one its embeds (what they said of it).
            let mut chosen: Vec<(
                &PostKey,
                PostRecord,
                Option<StoredSnapshot>,
                Vec<StoredEmbed>,
            )> = Vec::new();
            for key in wanted {
                let post = match pipeline::find_post_by_key(store, key) {
                    Ok(post) => post,
                    Err(StoreError::NotFound(_)) => continue,
                    Err(e) => return Err(e),
                };
                let gone = post.status() == PostStatus::Gone;
                if mode == RewriteMode::Gone && !gone {
                    continue;
                }
                let snapshot = store.latest_snapshot(post.id)?;
                // Privacy mode swaps a working embed only for a card that shows the post.
                if snapshot.is_none() && !gone {
                    continue;
                }
                // Without a snapshot the card shows what the embed code said of the post.
                let embeds = match snapshot {
                    Some(_) => Vec::new(),
                    None => store.post_embeds(post.id)?,
                };
                chosen.push((key, post, snapshot, embeds));
            }
            Ok(chosen)
        })
        .map_err(|source| ArticleRewriteError::Store {
            path: reader.path().to_owned(),
            source,
        })?;
    let cards: CardSet = chosen
        .iter()
        .map(|(key, post, snapshot, embeds)| {
            let card = render::card_in_box(&CardInput {
                post,
                snapshot: snapshot.as_ref(),
                media_base,
                archived_on: None,
                markup: render::markup_of(embeds),
            });
            ((*key).clone(), card)
        })
        .collect();
    let html = page.rewrite(&cards)?;
    Ok(Rewritten {
        html,
        embedded: keys.len(),
        replaced: cards.len(),
        complete: page.complete(),
        charset: page.decided_charset(),
        amp: page.is_amp(),
    })
}

/// The query of `POST /v1/rewrite`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RewriteQuery {
    mode: Option<String>,
    base_url: Option<String>,
}

/// `POST /v1/rewrite`: the article's HTML in, the same HTML out with cards in place of the
/// chosen embeds. The body is read within the route's byte budget (`request` is the request
/// unread), so it is not an extractor here; the turn is taken once it is in.
pub(super) async fn rewrite(
    State(state): State<ServeState>,
    query: Result<Query<RewriteQuery>, QueryRejection>,
    headers: HeaderMap,
    request: Request,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|r| ApiError::bad_query(&r, ROUTE))?;
    let mode = match query.mode.as_deref() {
        None | Some("gone") => RewriteMode::Gone,
        Some("all") => RewriteMode::All,
        Some(other) => {
            return Err(ApiError::bad_request(
                format!("mode={other:?} is not a rewrite mode: use mode=gone or mode=all"),
                other,
            ));
        }
    };
    let base_url = base_url(query.base_url.as_deref(), &headers)?;
    refuse_form_types(&headers, base_url.as_str())?;
    refuse_encoded(&headers, base_url.as_str())?;
    let held = state
        .rewrite_bodies()
        .read(request.into_body(), REWRITE_BODY_LIMIT, REWRITE_WAIT)
        .await;
    let body = match held {
        Ok(body) => body,
        Err(BodyError::TooLarge { .. }) => return Ok(too_large()),
        Err(e @ BodyError::Busy { .. }) => {
            return Err(ApiError::Overloaded {
                message: format!("the server is reading other articles: {e}; try again later"),
                retry_after: REWRITE_WAIT.as_secs(),
                input: base_url.to_string(),
            });
        }
        Err(e @ BodyError::Read(_)) => {
            return Err(ApiError::bad_request(e.to_string(), base_url.as_str()));
        }
    };
    let permit = turn(&state, base_url.as_str()).await?;
    let media_base = state.media_base().to_owned();
    let reader = state.reader().clone();
    let input = base_url.to_string();
    let charset = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(pipeline::charset_label)
        .map(str::to_owned);
    let work = format!("the rewrite of {input}");
    let done = crate::blocking::run(work, move || {
        // The turn ends when the work does, even if the request was given up meanwhile (its
        // time ran out): the page and its copy are in memory until then.
        let _permit = permit;
        rewrite_article(
            &body.bytes,
            charset.as_deref(),
            &base_url,
            &reader,
            mode,
            &media_base,
            REWRITE_BODY_LIMIT,
        )
    })
    .await
    .map_err(|e| {
        tracing::error!(input, "{e}");
        ApiError::Internal {
            input: input.clone(),
        }
    })?;
    let rewritten = match done {
        Ok(rewritten) => rewritten,
        Err(ArticleRewriteError::Store { source, .. }) => {
            return Err(ApiError::store(source, input));
        }
        Err(ArticleRewriteError::Page(RewriteError::TooLarge { .. })) => return Ok(too_large()),
        Err(ArticleRewriteError::Page(e @ RewriteError::UnsupportedCharset { .. })) => {
            return Err(ApiError::UnsupportedMediaType {
                message: e.to_string(),
                input,
            });
        }
        Err(ArticleRewriteError::Page(e @ RewriteError::Html { .. })) => {
            return Err(ApiError::bad_request(e.to_string(), input));
        }
    };
    let mut response = rewritten.html.into_response();
    let out = response.headers_mut();
    out.insert(
        header::CONTENT_TYPE,
        answer_type(&headers, rewritten.charset),
    );
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // The answer is the client's own page: should a browser ever show it on this origin, it
    // runs nothing (and, as every answer, is read as no other type: `nosniff` in `router`).
    out.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox"),
    );
    out.insert(FOUND_HEADER, HeaderValue::from(rewritten.embedded));
    out.insert(REPLACED_HEADER, HeaderValue::from(rewritten.replaced));
    out.insert(
        COMPLETE_HEADER,
        HeaderValue::from_static(if rewritten.complete { "true" } else { "false" }),
    );
    Ok(response)
}

/// The answer's `Content-Type`: the request's when it is `text/html` (parameters and all), else
/// `text/html` with `decided`, the charset the page was read and its cards written in when the
/// request (or a byte order mark) decided it (the cards are HTML, `<img>` without its `/`, which
/// an XHTML page would not parse, and `text/htmlx` is another type). Without that charset a
/// browser would read the answer by the page's `<meta charset>`, which the request's label
/// overrode.
fn answer_type(headers: &HeaderMap, decided: Option<&str>) -> HeaderValue {
    let html = headers.get(header::CONTENT_TYPE).filter(|v| {
        v.to_str().is_ok_and(|t| {
            let essence = t.split(';').next().unwrap_or_default();
            essence.trim().eq_ignore_ascii_case("text/html")
        })
    });
    match (html, decided) {
        (Some(own), _) => own.clone(),
        (None, Some(name)) => HeaderValue::from_str(&format!("text/html; charset={name}"))
            .unwrap_or(HeaderValue::from_static("text/html")),
        (None, None) => HeaderValue::from_static("text/html"),
    }
}

/// The body types an HTML form of any web page can send to any server without asking it first
/// (CORS "simple" requests).
const FORM_TYPES: &[&str] = &[
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "text/plain",
];

/// A body sent as one of [`FORM_TYPES`] is refused with 415, before it is read. The answer is
/// the HTML sent, with cards: were such a request honoured, a page anywhere could post a form
/// here whose answer the browser then shows, and runs, as this service's own page (on the news
/// site's origin, when the service is mounted under it). A client sends the page as
/// `text/html` (or without a type), which no form can do.
fn refuse_form_types(headers: &HeaderMap, input: &str) -> Result<(), ApiError> {
    let Some(sent) = headers.get(header::CONTENT_TYPE) else {
        return Ok(());
    };
    let essence = sent
        .to_str()
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if !FORM_TYPES.contains(&essence.as_str()) {
        return Ok(());
    }
    Err(ApiError::UnsupportedMediaType {
        message: format!(
            "the body is sent as {essence}, which any web page's form can send; send the \
             article's HTML with Content-Type: text/html (curl: -H 'Content-Type: text/html')"
        ),
        input: input.to_owned(),
    })
}

/// A body sent compressed (`Content-Encoding: gzip`, `br` …) is refused with 415, before its
/// turn: the page is read as it is sent, and compressed bytes rewritten as HTML would come back
/// unchanged, as if the page held no embed.
fn refuse_encoded(headers: &HeaderMap, input: &str) -> Result<(), ApiError> {
    let encodings = body_codings(headers);
    if encodings.is_empty() {
        return Ok(());
    }
    Err(ApiError::UnsupportedMediaType {
        message: format!(
            "the body is sent with {}; send the article's HTML uncompressed",
            encodings.join(", ")
        ),
        input: input.to_owned(),
    })
}

/// The codings a request body arrives in that the server would have to undo to read it, each
/// with its header (`Content-Encoding: gzip`): every `Content-Encoding` but `identity`, and every
/// `Transfer-Encoding` but `chunked` (which the HTTP library undoes) and `identity`, as in
/// `Transfer-Encoding: gzip, chunked`. A header that is not text is one coding, `?`.
pub(super) fn body_codings(headers: &HeaderMap) -> Vec<String> {
    let listed = |name: HeaderName, label: &'static str, undone: &'static str| {
        headers
            .get_all(name)
            .into_iter()
            .flat_map(|v| v.to_str().unwrap_or("?").split(','))
            .map(str::trim)
            .filter(move |e| {
                !e.is_empty()
                    && !e.eq_ignore_ascii_case("identity")
                    && !e.eq_ignore_ascii_case(undone)
            })
            .map(|e| format!("{label}: {e}"))
            .collect::<Vec<_>>()
    };
    let mut codings = listed(header::CONTENT_ENCODING, "Content-Encoding", "identity");
    codings.extend(listed(
        header::TRANSFER_ENCODING,
        "Transfer-Encoding",
        "chunked",
    ));
    codings
}

/// The article's URL from `base_url=` or the `X-Base-URL` header: an absolute http(s) URL.
/// Both may be sent when they say the same; two different URLs are refused, as the page's
/// relative links would resolve against one of them only.
fn base_url(from_query: Option<&str>, headers: &HeaderMap) -> Result<Url, ApiError> {
    let from_query = from_query.map(str::trim).filter(|s| !s.is_empty());
    // Headers sent twice would each name a base; only the same URL twice is one.
    let sent: Vec<&HeaderValue> = headers.get_all(BASE_URL_HEADER).iter().collect();
    if let Some((first, rest)) = sent.split_first()
        && let Some(other) = rest
            .iter()
            .find(|v| v.as_bytes().trim_ascii() != first.as_bytes().trim_ascii())
    {
        return Err(ApiError::bad_request(
            format!(
                "two X-Base-URL headers name different articles ({:?} and {:?}): send the \
                 article's URL once",
                String::from_utf8_lossy(first.as_bytes()),
                String::from_utf8_lossy(other.as_bytes())
            ),
            String::from_utf8_lossy(first.as_bytes()),
        ));
    }
    let from_header = match headers.get(BASE_URL_HEADER) {
        Some(value) => Some(
            value
                .to_str()
                .map_err(|_| {
                    ApiError::bad_request(
                        "the X-Base-URL header is not ASCII: percent-encode the URL",
                        String::from_utf8_lossy(value.as_bytes()),
                    )
                })?
                .trim(),
        ),
        None => None,
    }
    .filter(|s| !s.is_empty());
    let raw = match (from_query, from_header) {
        (Some(query), Some(header)) if query != header => {
            return Err(ApiError::bad_request(
                format!(
                    "base_url= {query:?} and the X-Base-URL header {header:?} name different \
                     articles: send the article's URL in one of them"
                ),
                query,
            ));
        }
        (Some(raw), _) | (None, Some(raw)) => raw.to_owned(),
        (None, None) => String::new(),
    };
    if raw.is_empty() {
        return Err(ApiError::bad_request(
            "base_url= (or the X-Base-URL header) is required: the article's URL, for its relative links",
            ROUTE,
        ));
    }
    match Url::parse(&raw) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(url),
        Ok(_) => Err(ApiError::bad_request(
            format!("base URL {raw:?} is not an http(s) URL"),
            raw,
        )),
        Err(e) => Err(ApiError::bad_request(
            format!("base URL {raw:?} is not a URL: {e}"),
            raw,
        )),
    }
}

/// A turn to rewrite, waiting up to [`REWRITE_WAIT`] for one; 503 with `Retry-After` when
/// none comes. `input` is the article's URL, for the error.
async fn turn(state: &ServeState, input: &str) -> Result<OwnedSemaphorePermit, ApiError> {
    let wait = Arc::clone(state.rewrites()).acquire_owned();
    match tokio::time::timeout(REWRITE_WAIT, wait).await {
        Ok(Ok(permit)) => Ok(permit),
        // The semaphore is never closed; if it were, no rewrite could ever run again.
        Ok(Err(closed)) => {
            tracing::error!(input, "the rewrite turns are closed: {closed}");
            Err(ApiError::Internal {
                input: input.to_owned(),
            })
        }
        Err(_) => Err(ApiError::Overloaded {
            message: format!(
                "the server is rewriting {REWRITE_PERMITS} articles already and none finished within {}s; try again later",
                REWRITE_WAIT.as_secs()
            ),
            retry_after: REWRITE_WAIT.as_secs(),
            input: input.to_owned(),
        }),
    }
}

/// 413, naming the limit.
fn too_large() -> Response {
    let doc = ErrorDocument::new(
        "payload-too-large",
        format!(
            "the article is larger than the rewrite limit of {} MiB ({REWRITE_BODY_LIMIT} bytes)",
            REWRITE_BODY_LIMIT >> 20
        ),
        ROUTE,
    );
    let mut response = (StatusCode::PAYLOAD_TOO_LARGE, Json(doc)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(base: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(b) = base {
            h.insert(BASE_URL_HEADER, HeaderValue::from_str(b).expect("header"));
        }
        h
    }

    /// A body compressed by its transfer coding (`Transfer-Encoding: gzip, chunked`) is as
    /// unreadable as one with a `Content-Encoding`; `chunked` and `identity` alone are no coding.
    #[test]
    fn transfer_codings_but_chunked_are_codings_to_refuse() {
        let with = |pairs: &[(HeaderName, &'static str)]| {
            let mut h = HeaderMap::new();
            for (name, value) in pairs {
                h.append(name, HeaderValue::from_static(value));
            }
            body_codings(&h)
        };
        assert!(with(&[(header::TRANSFER_ENCODING, "chunked")]).is_empty());
        assert!(with(&[(header::CONTENT_ENCODING, "identity")]).is_empty());
        assert_eq!(
            with(&[(header::TRANSFER_ENCODING, "gzip, chunked")]),
            ["Transfer-Encoding: gzip"]
        );
        assert_eq!(
            with(&[
                (header::CONTENT_ENCODING, "identity, br"),
                (header::TRANSFER_ENCODING, "Chunked"),
            ]),
            ["Content-Encoding: br"]
        );
        let refused = refuse_encoded(
            &{
                let mut h = HeaderMap::new();
                h.insert(
                    header::TRANSFER_ENCODING,
                    HeaderValue::from_static("deflate, chunked"),
                );
                h
            },
            "https://news.example/a",
        )
        .expect_err("a deflated body");
        assert_eq!(refused.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }

    /// Regression: a page sent as `application/xhtml+xml; charset=iso-8859-1` came back as bare
    /// `text/html`, its cards in windows-1252 read by its `<meta charset="utf-8">`.
    #[test]
    fn the_answer_keeps_the_charset_the_page_was_read_in() {
        let typed = |t: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(t));
            h
        };
        // The charset as the rewrite decides it, from a page without a byte order mark or a
        // `<meta>` of its own.
        let label = |t: &'static str| {
            let page = PageEmbeds::scan_sent_as(
                b"<p>x</p>",
                pipeline::charset_label(t),
                &Url::parse("https://news.example/a").expect("URL"),
                &pipeline::recognise,
                pipeline::embed_forms(),
                REWRITE_BODY_LIMIT,
            )
            .expect("readable");
            answer_type(&typed(t), page.decided_charset())
        };
        assert_eq!(
            label("text/html; charset=Shift_JIS"),
            "text/html; charset=Shift_JIS"
        );
        assert_eq!(
            label("application/xhtml+xml; charset=iso-8859-1"),
            "text/html; charset=windows-1252"
        );
        assert_eq!(
            label("text/plain;charset=koi8-r"),
            "text/html; charset=KOI8-R"
        );
        assert_eq!(label("text/plain;charset=bogus"), "text/html");
        assert_eq!(label("application/xhtml+xml"), "text/html");
        assert_eq!(answer_type(&HeaderMap::new(), None), "text/html");
    }

    #[test]
    fn the_base_url_comes_from_the_query_or_the_header() {
        let from_query = base_url(Some("https://news.example/a"), &headers(None));
        assert_eq!(
            from_query.map(String::from).ok().as_deref(),
            Some("https://news.example/a")
        );
        let both = base_url(
            Some("https://news.example/a"),
            &headers(Some(" https://news.example/a")),
        );
        assert_eq!(
            both.map(String::from).ok().as_deref(),
            Some("https://news.example/a")
        );
        let from_header = base_url(None, &headers(Some(" https://news.example/b ")));
        assert_eq!(
            from_header.map(String::from).ok().as_deref(),
            Some("https://news.example/b")
        );
        for (query, header) in [
            (None, None),
            (Some("  "), None),
            (Some("news.example/a"), None),
            (Some("javascript:alert(1)"), None),
            (None, Some("ftp://news.example/a")),
            (Some("https://news.example/a"), Some("https://b/")),
        ] {
            let err = base_url(query, &headers(header)).expect_err("refused");
            assert_eq!(
                err.status(),
                StatusCode::BAD_REQUEST,
                "{query:?} {header:?}"
            );
        }
        // The header sent twice: the same URL is one base, two URLs are refused whichever
        // comes first (the first alone was read before).
        let twice = |a: &str, b: &str| {
            let mut h = HeaderMap::new();
            h.append(BASE_URL_HEADER, HeaderValue::from_str(a).expect("header"));
            h.append(BASE_URL_HEADER, HeaderValue::from_str(b).expect("header"));
            base_url(None, &h)
        };
        assert_eq!(
            twice("https://news.example/a", " https://news.example/a")
                .map(String::from)
                .ok()
                .as_deref(),
            Some("https://news.example/a")
        );
        for (a, b) in [
            ("https://a.example/", "https://b.example/"),
            ("https://b.example/", "https://a.example/"),
        ] {
            let err = twice(a, b).expect_err("two bases refused");
            assert_eq!(err.status(), StatusCode::BAD_REQUEST, "{a} {b}");
        }
    }
}
