//! The one error type of the `sources` module. Every variant names the source URL or file it
//! is about, so a line in the daemon's log says which of the configured sources needs a look.

use std::path::PathBuf;

use crate::http::HttpError;

/// Why a source could not be turned into article URLs.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// A `[[sources]]` entry does not set exactly one of `feed`, `sitemap` and `urls_file`,
    /// or its URL is unusable. `entry` shows the entry as written.
    #[error("source {entry}: {reason}")]
    Config { entry: String, reason: String },

    /// Fetching the document failed (timeout, refused address, body over the HTTP cap, ...).
    /// The HTTP error names the URL itself.
    #[error("{source}")]
    Http {
        url: String,
        #[source]
        source: HttpError,
    },

    /// The server answered with a status that carries no document: neither 2xx nor the
    /// `304 Not Modified` expected from a conditional request.
    #[error("{url}: HTTP {status}")]
    Status { url: String, status: u16 },

    /// The XML is not well-formed (or not UTF-8) at this byte offset of the decompressed
    /// document.
    #[error("{url}: malformed XML at byte {position}: {message}")]
    Xml {
        url: String,
        position: u64,
        message: String,
    },

    /// The document declares entities in its DTD. They are never expanded (that is how a
    /// "billion laughs" document eats memory, and an address written as one would be read as
    /// the entity's name); a feed or sitemap has no use for them, so the whole document is
    /// refused.
    #[error("{url}: refused a document that declares DTD entities")]
    EntityDeclaration { url: String },

    /// The body is neither RSS, Atom nor JSON Feed, or feed-rs could not read it.
    #[error("{url}: not a readable feed: {message}")]
    NotAFeed { url: String, message: String },

    /// The XML's root element is neither `<urlset>` nor `<sitemapindex>` (`root` is empty
    /// when the document has no element at all).
    #[error("{url}: not a sitemap: root element is <{root}>")]
    NotASitemap { url: String, root: String },

    /// The sitemap is in UTF-16 (its bytes show it), where the sitemap protocol requires
    /// UTF-8.
    #[error("{url}: not a sitemap: its text is UTF-16, and the sitemap protocol requires UTF-8")]
    NotUtf8 { url: String },

    /// More distinct article URLs than the limit in one poll of a feed. Sitemap walks and
    /// URL-list files never fail so: their first URLs up to the limit are taken, and the rest
    /// left out with a warning (see [`SourceLimits`](super::SourceLimits)).
    #[error("{url}: more than {limit} URLs")]
    TooManyUrls { url: String, limit: usize },

    /// A gzip body inflates past `max_decompressed_bytes` (a compression bomb, or simply too
    /// big).
    #[error("{url}: more than {limit} bytes after decompression")]
    TooLarge { url: String, limit: u64 },

    /// A gzip body is corrupt or truncated.
    #[error("{url}: cannot decompress gzip body: {message}")]
    Gzip { url: String, message: String },

    /// More distinct article URLs than the limit in one poll of a feed. Sitemap walks and
    /// URL-list files never fail so: their first URLs up to the limit are taken, and the rest
    /// left out with a warning (see [`SourceLimits`](super::SourceLimits)).
    /// The thread parsing the document died (a bug, reported rather than lost).
    #[error("{url}: parsing failed: {message}")]
    Worker { url: String, message: String },

    /// A URL-list file could not be read (missing, unreadable, not UTF-8).
    #[error("cannot read {}: {message}", path.display())]
    Io { path: PathBuf, message: String },

    /// A URL-list file is larger than `max_file_bytes`.
    #[error("{}: larger than the {limit}-byte limit", path.display())]
    FileTooLarge { path: PathBuf, limit: u64 },

    /// A line of a URL-list file is not an http(s) URL. `line` counts from 1.
    #[error("{}:{line}: {reason}: {text:?}", path.display())]
    BadLine {
        path: PathBuf,
        line: usize,
        text: String,
        reason: String,
    },
}
