//! Article sources: the feeds, sitemaps and URL-list files the daemon polls to learn which
//! articles exist, turned into plain lists of article URLs ([`SourceItem`]s).
//!
//! The parsers ([`parse_feed`], [`parse_sitemap`], [`parse_urls_bytes`]) are pure functions of
//! bytes; [`poll`] fetches a [`Source`] through [`HttpClient`](crate::http::HttpClient) with
//! a conditional GET (so an unchanged feed costs one request answered 304), walks sitemap
//! indexes, and reads URL-list files. Every input is hostile until read: documents are capped
//! in size, URL count (a document listing more has its first URLs taken, with a warning),
//! decompressed size and index depth, XML entities are never expanded, and every error names
//! the source URL or file.
//!
//! This module never touches the database and never fetches an article: it only turns source
//! documents into article URLs. Remembering validators between polls and queueing the articles
//! is the scheduler's job.

mod body;
mod distinct;
mod error;
mod feed;
mod feed_raw;
mod json_feed;
mod poll;
mod sitemap;
mod urls_file;

#[cfg(test)]
mod tests;

use std::fmt;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use url::Url;

use crate::config::SourceConfig;

pub use error::SourceError;
pub use feed::parse_feed;
pub use poll::poll;
pub use sitemap::{Sitemap, parse_sitemap};
pub use urls_file::{UrlsList, parse_urls_bytes};

/// URLs taken from one document, feed or sitemap: 50 000 is the sitemap protocol's own limit.
pub const DEFAULT_MAX_URLS: usize = 50_000;
/// Article URLs from one poll of a source, all sitemaps of an index together.
pub const DEFAULT_MAX_TOTAL_URLS: usize = 250_000;
/// Bytes a gzip body may inflate to: 50 MiB is the sitemap protocol's limit for one file.
pub const DEFAULT_MAX_DECOMPRESSED_BYTES: u64 = 50 * 1024 * 1024;
/// Sitemap indexes nested below the source (the protocol allows one level; some sites nest).
pub const DEFAULT_MAX_DEPTH: usize = 3;
/// Documents fetched in one poll of a sitemap source, the index itself included.
pub const DEFAULT_MAX_SITEMAPS: usize = 1_000;
/// Size of a URL-list file.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// One article a source lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceItem {
    /// The article's URL, absolute, http or https, as the source wrote it (resolved against
    /// the document's URL; not canonicalised).
    pub url: Url,
    /// When the source says the article last changed: a feed entry's updated (else published)
    /// time, a sitemap's `<lastmod>` (else Google News `<news:publication_date>`).
    pub updated: Option<DateTime<Utc>>,
    /// The article's title, when the source gives one (feeds, Google News `<news:title>`).
    pub title: Option<String>,
}

/// Bounds on what one source may cost. Every field has a `DEFAULT_*` constant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLimits {
    /// Distinct URLs taken from one feed, sitemap or sitemap index ([`DEFAULT_MAX_URLS`]):
    /// the first ones in document order; the rest are left out with a warning naming the
    /// document and how many.
    pub max_urls: usize,
    /// Distinct article URLs from one whole poll ([`DEFAULT_MAX_TOTAL_URLS`]): past it, the
    /// rest of a sitemap walk or URL list is left out with a warning saying how much, and the
    /// sitemaps not yet read are not fetched.
    pub max_total_urls: usize,
    /// Bytes a gzip body may decompress to ([`DEFAULT_MAX_DECOMPRESSED_BYTES`]).
    pub max_decompressed_bytes: u64,
    /// Levels of sitemap index below the source: 1 lets an index list only urlsets
    /// ([`DEFAULT_MAX_DEPTH`]). Sitemaps listed deeper are left out with a warning.
    pub max_depth: usize,
    /// Documents fetched in one poll of a sitemap source, the first included
    /// ([`DEFAULT_MAX_SITEMAPS`]). Sitemaps listed past it are left out with a warning.
    pub max_sitemaps: usize,
    /// Size of a URL-list file ([`DEFAULT_MAX_FILE_BYTES`]).
    pub max_file_bytes: u64,
}

impl Default for SourceLimits {
    fn default() -> Self {
        SourceLimits {
            max_urls: DEFAULT_MAX_URLS,
            max_total_urls: DEFAULT_MAX_TOTAL_URLS,
            max_decompressed_bytes: DEFAULT_MAX_DECOMPRESSED_BYTES,
            max_depth: DEFAULT_MAX_DEPTH,
            max_sitemaps: DEFAULT_MAX_SITEMAPS,
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
        }
    }
}

/// What identifies the version of a source seen last time, kept by the caller between polls.
///
/// For HTTP sources these are the `ETag` and `Last-Modified` response headers, sent back
/// verbatim as `If-None-Match` / `If-Modified-Since`. For a URL-list file, `etag` holds the
/// sha256 of its bytes and `last_modified` is unused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// The `ETag` header (quotes and `W/` kept), or a file's sha256.
    pub etag: Option<String>,
    /// The `Last-Modified` header.
    pub last_modified: Option<String>,
}

impl Validators {
    /// True when there is nothing to make a request conditional on.
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// The outcome of one [`poll`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Poll {
    /// The source is unchanged since the validators given to [`poll`] (HTTP 304, or a
    /// URL-list file with the same sha256).
    NotModified,
    /// The source's current articles.
    Items {
        /// Distinct article URLs, in source order (an index's sitemaps breadth-first).
        items: Vec<SourceItem>,
        /// To give to the next [`poll`] of this source.
        validators: Validators,
        /// Lowercase hex sha256 of every document read, in the order read, as received
        /// (still compressed if it came gzipped). For a single document it is that
        /// document's sha256.
        sha256: String,
    },
}

/// One configured source of article URLs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// An RSS, Atom or JSON Feed URL.
    Feed(Url),
    /// A sitemap or sitemap index URL (`.xml` or `.xml.gz`); RSS and Atom feeds listed as
    /// sitemaps are read too, as search engines do.
    Sitemap(Url),
    /// A local file with one URL per line.
    UrlsFile(PathBuf),
}

impl Source {
    /// The source a `[[sources]]` entry describes: exactly one of `feed`, `sitemap` and
    /// `urls_file` must be set; a URL without a scheme is read as https. The error shows the
    /// entry as written.
    pub fn from_config(config: &SourceConfig) -> Result<Source, SourceError> {
        let entry = describe(config);
        let invalid = |reason: String| SourceError::Config {
            entry: entry.clone(),
            reason,
        };
        let url = |key: &str, text: &str| {
            urls_file::parse_loose_url(text.trim())
                .map_err(|reason| invalid(format!("{key}: {reason}")))
        };
        match (&config.feed, &config.sitemap, &config.urls_file) {
            (Some(feed), None, None) => Ok(Source::Feed(url("feed", feed)?)),
            (None, Some(sitemap), None) => Ok(Source::Sitemap(url("sitemap", sitemap)?)),
            (None, None, Some(path)) if path.as_os_str().is_empty() => {
                Err(invalid("urls_file is empty".into()))
            }
            (None, None, Some(path)) => Ok(Source::UrlsFile(path.clone())),
            _ => Err(invalid(
                "set exactly one of feed, sitemap or urls_file".into(),
            )),
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Feed(url) => write!(f, "feed {url}"),
            Source::Sitemap(url) => write!(f, "sitemap {url}"),
            Source::UrlsFile(path) => write!(f, "urls file {}", path.display()),
        }
    }
}

/// A `[[sources]]` entry as an inline TOML table, for error messages.
fn describe(config: &SourceConfig) -> String {
    let mut keys = Vec::new();
    if let Some(feed) = &config.feed {
        keys.push(format!("feed = {feed:?}"));
    }
    if let Some(sitemap) = &config.sitemap {
        keys.push(format!("sitemap = {sitemap:?}"));
    }
    if let Some(path) = &config.urls_file {
        keys.push(format!("urls_file = {:?}", path.display().to_string()));
    }
    if keys.is_empty() {
        return "{}".into();
    }
    format!("{{ {} }}", keys.join(", "))
}

/// Whether a document type declaration (its bytes, internal subset and all) declares entities,
/// in any case: feeds and sitemaps holding one are refused.
fn declares_entities(doctype: &[u8]) -> bool {
    doctype
        .windows(b"<!ENTITY".len())
        .any(|w| w.eq_ignore_ascii_case(b"<!ENTITY"))
}

/// True for http and https URLs with a host: the only article URLs kept.
/// The invisible characters pasted addresses carry, which no address holds: zero-width space,
/// non-joiner and joiner, word joiner, byte-order mark.
const INVISIBLE: [char; 5] = ['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}'];

/// An address as a document writes it, without the whitespace and [`INVISIBLE`] characters
/// around it.
fn trim_address(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || INVISIBLE.contains(&c))
}

fn http_url(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty())
}
