//! [`poll`]: fetch one source and list its articles.
//!
//! Feeds and sitemaps are fetched with a conditional GET, so an unchanged source costs one
//! request answered 304. A sitemap index is walked breadth-first, the sitemaps it lists fetched
//! unconditionally; an index keeps no validators, so each poll reads it and them again: its own
//! validators say nothing of theirs (a static index file answers 304 while the news sitemap it
//! lists grows, and publishers rarely update an index's `<lastmod>`s). The walk is bounded three ways: index depth, documents fetched and
//! article URLs in total, and it never fetches a document twice. An index entry that loops
//! back (to the index itself or to an index above it) is skipped with a warning naming it, and
//! so is a listed sitemap that cannot be fetched or read: one bad entry in an index must not
//! hide every other article. A bound (nesting too deep, too many sitemaps, too many URLs) stops
//! the walk short, never the poll: what was read up to the bound is listed, and one warning per
//! bound says what was left out. A listed sitemap that failed in a way that may pass (a 5xx, a
//! 429, a timeout) leaves the poll without validators, so the next poll reads the index again
//! instead of being answered 304 while that sitemap's articles were never seen.

use std::collections::{HashSet, VecDeque};
use std::path::Path;

use sha2::{Digest, Sha256};
use url::Url;

use super::{
    Poll, Sitemap, Source, SourceError, SourceItem, SourceLimits, UrlsList, Validators, body,
    parse_feed, parse_sitemap, parse_urls_bytes,
};
use crate::http::{HttpClient, Response};

/// Fetch or read `source` and list its articles.
///
/// `previous` are the validators returned by the last successful poll of the same source
/// (empty the first time): when the source is unchanged the answer is [`Poll::NotModified`].
/// HTTP goes through `http` only, under its timeouts, body cap, address guard and per-host
/// politeness; `limits` bounds everything else. A URL-list file is read with `tokio::fs`
/// under `limits.max_file_bytes`.
pub async fn poll(
    http: &HttpClient,
    source: &Source,
    previous: &Validators,
    limits: &SourceLimits,
) -> Result<Poll, SourceError> {
    let outcome = match source {
        Source::Feed(url) => poll_feed(http, url, previous, limits).await,
        Source::Sitemap(url) => poll_sitemap(http, url, previous, limits).await,
        Source::UrlsFile(path) => poll_file(path, previous, limits).await,
    };
    match &outcome {
        Ok(Poll::NotModified) => tracing::debug!(%source, "source not modified"),
        Ok(Poll::Items { items, .. }) => {
            tracing::debug!(%source, items = items.len(), "source polled");
        }
        Err(error) => tracing::debug!(%source, %error, "source poll failed"),
    }
    outcome
}

async fn poll_feed(
    http: &HttpClient,
    url: &Url,
    previous: &Validators,
    limits: &SourceLimits,
) -> Result<Poll, SourceError> {
    let Some(response) = fetch(http, url, previous, limits).await? else {
        return Ok(Poll::NotModified);
    };
    let items = off_the_runtime(&response, limits, read_feed).await?;
    check_total(items.len(), url.as_str(), limits)?;
    Ok(Poll::Items {
        items,
        validators: validators_of(&response),
        sha256: hex::encode(Sha256::digest(&response.body)),
    })
}

/// A sitemap document still to fetch.
struct Pending {
    url: Url,
    /// The indexes above it, each by the URL it was asked for and, if redirected, where it
    /// ended up.
    ancestors: Vec<Url>,
    /// Levels of index above it.
    depth: usize,
}

async fn poll_sitemap(
    http: &HttpClient,
    root: &Url,
    previous: &Validators,
    limits: &SourceLimits,
) -> Result<Poll, SourceError> {
    let Some(first) = fetch(http, root, previous, limits).await? else {
        return Ok(Poll::NotModified);
    };
    let mut hasher = Sha256::new();
    hasher.update(&first.body);
    let mut walk = Walk {
        root,
        limits,
        items: Vec::new(),
        seen: HashSet::new(),
        visited: HashSet::from([root.clone(), first.url.clone()]),
        fetched: 1,
        queue: VecDeque::new(),
        left_out: LeftOut::default(),
    };
    let mut retry_soon = false;
    let start = Pending {
        url: root.clone(),
        ancestors: Vec::new(),
        depth: 0,
    };
    let root_document = off_the_runtime(&first, limits, read_sitemap).await?;
    let root_is_index = matches!(root_document, Sitemap::Index(_));
    walk.take(root_document, &first, start);
    while let Some(next) = walk.queue.pop_front() {
        if walk.items.len() >= limits.max_total_urls {
            // Everything they list would be left out: not worth a request each.
            walk.left_out.unread = walk.queue.len() + 1;
            break;
        }
        let mut skip = |error: SourceError| {
            retry_soon |= may_pass(&error);
            tracing::warn!(
                url = %root, sitemap = %next.url, %error,
                "skipping a sitemap listed in the index"
            );
        };
        let response = match fetch(http, &next.url, &Validators::default(), limits).await {
            Ok(Some(response)) => response,
            // Unreachable without validators; nothing to read either way.
            Ok(None) => continue,
            Err(error) => {
                skip(error);
                continue;
            }
        };
        hasher.update(&response.body);
        match off_the_runtime(&response, limits, read_sitemap).await {
            Ok(document) => walk.take(document, &response, next),
            Err(error) => skip(error),
        }
    }
    walk.left_out.warn(root, limits);
    let validators = if retry_soon {
        tracing::warn!(
            url = %root,
            "a listed sitemap could not be read this time: the next poll reads the index again"
        );
        Validators::default()
    } else if root_is_index {
        // An index's validators say nothing of the sitemaps it lists: a static index file
        // served with `Last-Modified` (any web server does) answers 304 while the news
        // sitemap it lists grows. It is read whole each poll, with what it lists.
        Validators::default()
    } else {
        validators_of(&first)
    };
    Ok(Poll::Items {
        items: walk.items,
        validators,
        sha256: hex::encode(hasher.finalize()),
    })
}

/// Whether a listed sitemap's failure may pass by itself (the server was busy, slow or down):
/// then its articles may be there next time.
fn may_pass(error: &SourceError) -> bool {
    match error {
        SourceError::Status { status, .. } => crate::model::status_may_pass(*status),
        // The HTTP client's one rule: a host's hold after a 429 passes; a body over the cap,
        // a redirect loop or a refused address does not.
        SourceError::Http { source, .. } => source.may_pass(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::HttpError;

    /// A sitemap left unread because its host is rate limited, by a 429 answer or by the
    /// client's hold after one, may be there next time, as one that timed out may; a 404 will
    /// not mend itself.
    #[test]
    fn a_rate_limited_or_held_sitemap_may_pass_and_a_missing_one_does_not() {
        let url = "https://news.example/sitemap-1.xml".to_owned();
        let held = SourceError::Http {
            url: url.clone(),
            source: HttpError::Held {
                url: url.clone(),
                host: "news.example".to_owned(),
                wait: std::time::Duration::from_secs(30),
                status: 429,
            },
        };
        assert!(may_pass(&held));
        assert!(may_pass(&SourceError::Status {
            url: url.clone(),
            status: 429
        }));
        assert!(!may_pass(&SourceError::Status { url, status: 404 }));
    }
}

/// What a walk left out at its bounds, for one warning per bound at its end.
#[derive(Default)]
struct LeftOut {
    /// Index entries below `max_depth`, the first of them.
    too_deep: usize,
    first_too_deep: Option<Url>,
    /// Index entries past `max_sitemaps`.
    sitemaps: usize,
    /// Article URL entries past `max_total_urls`.
    urls: usize,
    /// Sitemaps not fetched because `max_total_urls` was reached before them.
    unread: usize,
}

impl LeftOut {
    fn warn(&self, root: &Url, limits: &SourceLimits) {
        if self.too_deep > 0 {
            let first = self
                .first_too_deep
                .as_ref()
                .map(Url::as_str)
                .unwrap_or_default();
            tracing::warn!(
                url = %root, left_out = self.too_deep, first = %first,
                "sitemap indexes nest more than {} deep: {} sitemap(s) below that depth left out",
                limits.max_depth, self.too_deep
            );
        }
        if self.sitemaps > 0 {
            tracing::warn!(
                url = %root, left_out = self.sitemaps,
                "the sitemap index lists more than {} sitemaps: the first {} are read, {} left out",
                limits.max_sitemaps, limits.max_sitemaps, self.sitemaps
            );
        }
        if self.urls > 0 || self.unread > 0 {
            // Only what was found is counted: the URLs of a sitemap not read are not known.
            let mut left = Vec::new();
            if self.urls > 0 {
                left.push(format!(
                    "{} more in the sitemaps read are left out",
                    self.urls
                ));
            }
            if self.unread > 0 {
                left.push(format!("{} listed sitemap(s) are not read", self.unread));
            }
            tracing::warn!(
                url = %root, kept = limits.max_total_urls, left_out = self.urls,
                unread_sitemaps = self.unread,
                "the sitemaps list more than {} URLs in all: the first {} are taken; {}",
                limits.max_total_urls, limits.max_total_urls, left.join(", and ")
            );
        }
    }
}

/// The state of one sitemap walk.
struct Walk<'a> {
    root: &'a Url,
    limits: &'a SourceLimits,
    items: Vec<SourceItem>,
    seen: HashSet<Url>,
    /// Every document fetched or queued, so none is fetched twice.
    visited: HashSet<Url>,
    fetched: usize,
    queue: VecDeque<Pending>,
    left_out: LeftOut,
}

impl Walk<'_> {
    /// Add what `document` (fetched for `pending`, answered by `response`) lists, up to the
    /// bounds; what is past them is counted in `left_out`.
    fn take(&mut self, document: Sitemap, response: &Response, pending: Pending) {
        let children = match document {
            Sitemap::Urls(items) => return self.add_items(items),
            Sitemap::Index(children) => children,
        };
        let index = &pending.url;
        if pending.ancestors.contains(&response.url) {
            // Redirected onto an index above it: what that index lists is being walked already.
            tracing::warn!(
                url = %self.root, index = %index, redirected_to = %response.url,
                "skipping a sitemap index that redirects to itself or an index above it"
            );
            return;
        }
        let mut chain = pending.ancestors;
        chain.push(index.clone());
        if response.url != *index {
            chain.push(response.url.clone());
        }
        for child in children {
            if chain.contains(&child) {
                // Publishers do list an index in itself (a generated "all sitemaps" list that
                // includes its own file). That entry adds nothing; its siblings still count.
                tracing::warn!(
                    url = %self.root, index = %index, sitemap = %child,
                    "skipping a sitemap index entry that lists the index itself or an index above it"
                );
                continue;
            }
            if self.visited.contains(&child) {
                tracing::debug!(index = %index, sitemap = %child, "sitemap listed twice");
                continue;
            }
            let depth = pending.depth + 1;
            self.visited.insert(child.clone());
            if depth > self.limits.max_depth {
                self.left_out.too_deep += 1;
                self.left_out.first_too_deep.get_or_insert(child);
                continue;
            }
            if self.fetched >= self.limits.max_sitemaps {
                self.left_out.sitemaps += 1;
                continue;
            }
            self.fetched += 1;
            self.queue.push_back(Pending {
                url: child,
                ancestors: chain.clone(),
                depth,
            });
        }
    }

    fn add_items(&mut self, items: Vec<SourceItem>) {
        for item in items {
            if self.seen.contains(&item.url) {
                continue;
            }
            if self.items.len() >= self.limits.max_total_urls {
                // Not remembered: past the cap, `seen` would grow with every URL of the walk.
                self.left_out.urls += 1;
                continue;
            }
            self.seen.insert(item.url.clone());
            self.items.push(item);
        }
    }
}

/// Run `read` on the body of `response` on a blocking thread: a sitemap may be tens of
/// megabytes of XML, CPU-bound work that must not stall the async workers. A panic in a parser
/// becomes an error naming the URL, never a lost poll.
async fn off_the_runtime<T: Send + 'static>(
    response: &Response,
    limits: &SourceLimits,
    read: fn(&[u8], &Url, &SourceLimits) -> Result<T, SourceError>,
) -> Result<T, SourceError> {
    // `Bytes` clones share the buffer.
    let (body, url, limits) = (response.body.clone(), response.url.clone(), limits.clone());
    tokio::task::spawn_blocking(move || read(&body, &url, &limits))
        .await
        .map_err(|e| SourceError::Worker {
            url: response.url.to_string(),
            message: e.to_string(),
        })?
}

/// A feed, gzipped or not.
fn read_feed(
    body: &[u8],
    url: &Url,
    limits: &SourceLimits,
) -> Result<Vec<SourceItem>, SourceError> {
    parse_feed(
        &body::read_all(body, url, limits.max_decompressed_bytes)?,
        url,
        limits,
    )
}

/// A sitemap document. Search engines accept RSS and Atom feeds as sitemaps, and publishers
/// list them in indexes, so a feed is read as a list of URLs too; so is a text sitemap (one URL
/// a line, the protocol's other form), a document with no XML element whose lines are URLs.
fn read_sitemap(body: &[u8], url: &Url, limits: &SourceLimits) -> Result<Sitemap, SourceError> {
    match parse_sitemap(body, url, limits) {
        Err(SourceError::NotASitemap { root, .. }) if is_feed_root(&root) => {
            Ok(Sitemap::Urls(read_feed(body, url, limits)?))
        }
        Err(SourceError::NotASitemap { root, url: at }) if root.is_empty() => {
            let text = body::read_all(body, url, limits.max_decompressed_bytes)?;
            super::sitemap::parse_text_sitemap(&text, url, limits)
                .map(Sitemap::Urls)
                .ok_or(SourceError::NotASitemap { root, url: at })
        }
        other => other,
    }
}

/// True for the root element of an RSS, RSS 1.0 (RDF) or Atom document.
fn is_feed_root(root: &str) -> bool {
    let local = root.rsplit(':').next().unwrap_or(root);
    ["rss", "feed", "rdf"]
        .iter()
        .any(|name| local.eq_ignore_ascii_case(name))
}

/// GET `url`, conditional on `validators`: `None` for a 304 to a conditional request, the
/// response for 2xx, an error otherwise (a 304 to an unconditional request included: there is
/// nothing it could refer to).
async fn fetch(
    http: &HttpClient,
    url: &Url,
    validators: &Validators,
    limits: &SourceLimits,
) -> Result<Option<Response>, SourceError> {
    // A plain sitemap may be as large as a gzip one inflates to (the protocol allows 50 MB).
    let max_body = http.max_body_bytes().max(limits.max_decompressed_bytes);
    let response = http
        .get_conditional_within(
            url,
            validators.etag.as_deref(),
            validators.last_modified.as_deref(),
            max_body,
        )
        .await
        .map_err(|source| SourceError::Http {
            url: url.to_string(),
            source,
        })?;
    if response.is_not_modified() && !validators.is_empty() {
        return Ok(None);
    }
    if !response.is_success() {
        return Err(SourceError::Status {
            url: url.to_string(),
            status: response.status,
        });
    }
    Ok(Some(response))
}

fn validators_of(response: &Response) -> Validators {
    Validators {
        etag: response.etag().map(str::to_owned),
        last_modified: response.last_modified().map(str::to_owned),
    }
}

/// [`SourceError::TooManyUrls`] once `count` passes `limits.max_total_urls`.
fn check_total(count: usize, source: &str, limits: &SourceLimits) -> Result<(), SourceError> {
    if count > limits.max_total_urls {
        return Err(SourceError::TooManyUrls {
            url: source.to_owned(),
            limit: limits.max_total_urls,
        });
    }
    Ok(())
}

async fn poll_file(
    path: &Path,
    previous: &Validators,
    limits: &SourceLimits,
) -> Result<Poll, SourceError> {
    let bytes = read_file(path, limits.max_file_bytes).await?;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    if previous.etag.as_deref() == Some(sha256.as_str()) {
        return Ok(Poll::NotModified);
    }
    let UrlsList {
        mut items,
        bad_lines,
    } = parse_urls_bytes(&bytes, path);
    // A bad line is the operator's to fix, but it must not hold back the good ones: they are
    // queued and it is named in the log, once per change of the file (an unchanged file is
    // `NotModified` above).
    for error in &bad_lines {
        tracing::warn!(file = %path.display(), %error, "skipping a line of a URL list");
    }
    if items.len() > limits.max_total_urls {
        let left_out = items.len() - limits.max_total_urls;
        items.truncate(limits.max_total_urls);
        tracing::warn!(
            file = %path.display(), left_out,
            "the URL list holds more than {} URLs: the first {} are taken, {left_out} left out",
            limits.max_total_urls, limits.max_total_urls
        );
    }
    Ok(Poll::Items {
        items,
        validators: Validators {
            etag: Some(sha256.clone()),
            last_modified: None,
        },
        sha256,
    })
}

/// The bytes of the file at `path` ([`crate::config::read_regular_file`]: a regular file, at
/// most `limit` bytes), read on a blocking thread.
async fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, SourceError> {
    let owned = path.to_owned();
    let read = tokio::task::spawn_blocking(move || crate::config::read_regular_file(&owned, limit))
        .await
        .unwrap_or_else(|e| Err(std::io::Error::other(format!("the read stopped: {e}"))));
    read.map_err(|e| match e.kind() {
        std::io::ErrorKind::FileTooLarge => SourceError::FileTooLarge {
            path: path.to_owned(),
            limit,
        },
        _ => SourceError::Io {
            path: path.to_owned(),
            message: e.to_string(),
        },
    })
}
