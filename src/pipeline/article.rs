//! Fetching an article page (status and content-type checks, charset decoding, digest) and
//! running discovery on it. Decoding, hashing and parsing of a page of many megabytes are
//! blocking work and run through [`crate::blocking`]. Only the archive hashes a page (it stores
//! the digest); a scan stores nothing and asks for no digest, which on a page of 100 MB saves
//! about a tenth of the run.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use url::Url;

use crate::blocking;
use crate::discover;
use crate::http::HttpClient;
use crate::model::{ArticleError, ArticleOutcome, EmbedOutcome};

/// An article page ready for discovery.
#[derive(Debug, Clone)]
pub struct FetchedArticle {
    pub requested_url: String,
    pub final_url: Url,
    pub http_status: Option<u16>,
    pub fetched_at: DateTime<Utc>,
    /// The page decoded to text (charset from BOM, header or `<meta>`).
    pub html: String,
    /// sha256 (hex) of the body bytes as received, when [`PageDigest::Sha256`] asked for it.
    pub sha256: Option<String>,
}

/// Whether a fetched or given page is hashed: the archive stores the digest, a scan does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageDigest {
    /// Compute the sha256 of the page.
    Sha256,
    /// Compute nothing.
    Skip,
}

impl PageDigest {
    /// The hex sha256 of `bytes` when asked for.
    fn of(self, bytes: &[u8]) -> Option<String> {
        match self {
            PageDigest::Sha256 => Some(hex::encode(Sha256::digest(bytes))),
            PageDigest::Skip => None,
        }
    }
}

impl FetchedArticle {
    /// An article given as HTML text rather than fetched.
    pub async fn from_html(html: String, base_url: Url, digest: PageDigest) -> FetchedArticle {
        let (html, sha256) = match digest {
            PageDigest::Skip => (html, None),
            PageDigest::Sha256 => blocking::run("hashing the page", move || {
                let sha256 = digest.of(html.as_bytes());
                (html, sha256)
            })
            .await
            .unwrap_or_else(|e| (String::new(), Some(e.to_string()))),
        };
        FetchedArticle {
            requested_url: base_url.to_string(),
            sha256,
            final_url: base_url,
            http_status: None,
            fetched_at: Utc::now(),
            html,
        }
    }
}

/// Why an article could not be fetched, with what is known of the answer.
#[derive(Debug, Clone)]
pub struct ArticleFailure {
    pub error: ArticleError,
    pub http_status: Option<u16>,
    pub final_url: Option<String>,
    /// When the page was read (an answer came, or the file was read); `None` when nothing was.
    pub fetched_at: Option<DateTime<Utc>>,
}

impl ArticleFailure {
    /// The outcome of an article that failed before its embeds could be found.
    pub fn into_outcome(self, url: &str) -> ArticleOutcome {
        let mut outcome = ArticleOutcome::failed(url, self.error);
        outcome.http_status = self.http_status;
        outcome.final_url = self.final_url;
        outcome.fetched_at = self.fetched_at;
        outcome
    }
}

/// Discover the embeds and remnants of a fetched page, on a blocking thread (parsing is
/// CPU-bound and `scraper::Html` is !Send). A panic in discovery becomes an error naming the
/// article, never an empty success.
pub(crate) async fn discover_article(
    article: &FetchedArticle,
) -> Result<ArticleOutcome, ArticleError> {
    let html = article.html.clone();
    let base = article.final_url.clone();
    let found = blocking::run(
        format!("discovery in {}", article.requested_url),
        move || discover::discover(&html, &base),
    )
    .await
    .map_err(|e| ArticleError::Discovery {
        url: article.requested_url.clone(),
        message: e.message,
    })?;
    Ok(ArticleOutcome {
        url: article.requested_url.clone(),
        final_url: Some(article.final_url.to_string()),
        title: found.title,
        fetched_at: Some(article.fetched_at),
        http_status: article.http_status,
        error: None,
        embeds: found.embeds.into_iter().map(EmbedOutcome::found).collect(),
        remnants: found.remnants,
        truncated: 0,
        discovery_truncated: found.truncated,
    })
}

/// Media types accepted as article pages.
fn is_html_type(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    matches!(
        essence.as_str(),
        "text/html" | "application/xhtml+xml" | "text/plain" | ""
    )
}

/// Whether the first bytes look like markup rather than prose or binary data: for answers
/// without a content type, and for files given to `scan`. Only the first 4 KiB are read. A page
/// that begins as an HTML document is markup whatever bytes follow (see [`begins_as_html`]);
/// otherwise a NUL byte among them means binary data (text has none, and UTF-16 is sniffed once
/// decoded), even when the bytes start with `<` or hold a tag name.
pub fn looks_like_html(body: &[u8]) -> bool {
    const TAGS: [&[u8]; 10] = [
        b"<html",
        b"<!doctype",
        b"<head",
        b"<body",
        b"<p",
        b"<div",
        b"<blockquote",
        b"<iframe",
        b"<article",
        b"<figure",
    ];
    let head = body[..body.len().min(4096)].to_ascii_lowercase();
    if begins_as_html(&head) {
        return true;
    }
    if head.contains(&0) {
        return false;
    }
    head.trim_ascii_start().starts_with(b"<")
        || TAGS
            .iter()
            .any(|tag| head.windows(tag.len()).any(|w| w == *tag))
}

/// The kind of file `bytes` starts with by its signature (an image, a PDF, an archive), or
/// `None`. A server that sends a picture as `text/html` is told apart by this, as is a local
/// file that is no page.
pub(crate) fn file_kind(bytes: &[u8]) -> Option<&'static str> {
    // zlib streams start with 0x78 and a byte naming the compression level: those of levels
    // 0–1, 6 and 7–9 are listed; that of levels 2–5 is `^`, which text may follow an `x` with.
    const MAGIC: [(&[u8], &str); 13] = [
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"%PDF-", "a PDF document"),
        (b"PK\x03\x04", "a ZIP archive"),
        (b"\x1f\x8b", "gzip-compressed data"),
        (b"\x78\x01", "zlib-compressed data"),
        (b"\x78\x9c", "zlib-compressed data"),
        (b"\x78\xda", "zlib-compressed data"),
        (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
        (b"RIFF", "a RIFF file (WebP, WAV or AVI)"),
        (b"\x7fELF", "an executable"),
        (b"SQLite format 3\0", "an SQLite database"),
    ];
    MAGIC
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, what)| *what)
}

/// Whether `head` begins, after a byte order mark and whitespace, with one of the HTML
/// signatures of the WHATWG MIME Sniffing Standard ("rules for identifying an unknown MIME
/// type": `<!DOCTYPE HTML`, `<HTML`, `<HEAD`, `<BODY`, `<P`, `<!--`, ... followed by a space or
/// `>`), in any case. Such a page is HTML as a browser reads it: a NUL byte further on is a
/// parse error the HTML parser recovers from, not a sign of binary data, and the rewrite route
/// reads such a page too, so `scan` must not refuse it.
pub(crate) fn begins_as_html(head: &[u8]) -> bool {
    const SIGNATURES: [&[u8]; 17] = [
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<script",
        b"<iframe",
        b"<h1",
        b"<div",
        b"<font",
        b"<table",
        b"<a",
        b"<style",
        b"<title",
        b"<b",
        b"<body",
        b"<br",
        b"<p",
        b"<!--",
    ];
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let text = text.trim_ascii_start();
    SIGNATURES.iter().any(|signature| {
        text.len() > signature.len()
            && text[..signature.len()].eq_ignore_ascii_case(signature)
            // The standard ends a signature with a space or `>`; a line break or tab ends a
            // tag name as well in every page a person saves.
            && matches!(text[signature.len()], b' ' | b'>' | b'\t' | b'\n' | b'\r' | b'\x0c')
    })
}

/// Fetch an article page, hashing its body when `digest` asks for it. The error names the URL
/// and what went wrong.
pub async fn fetch_article(
    http: &HttpClient,
    url: &str,
    digest: PageDigest,
) -> Result<FetchedArticle, ArticleFailure> {
    let fail = |error: ArticleError| ArticleFailure {
        error,
        http_status: None,
        final_url: None,
        fetched_at: None,
    };
    let parsed = Url::parse(url).map_err(|e| {
        fail(ArticleError::InvalidUrl {
            url: url.to_owned(),
            reason: e.to_string(),
        })
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(fail(ArticleError::NotHttp {
            url: url.to_owned(),
        }));
    }
    let response = http.get(&parsed).await.map_err(|e| {
        fail(ArticleError::Fetch {
            url: url.to_owned(),
            message: e.to_string(),
            may_pass: e.may_pass(),
        })
    })?;
    let status = response.status;
    let final_url = response.url.to_string();
    let answered_at = Utc::now();
    let with_status = |error: ArticleError| ArticleFailure {
        error,
        http_status: Some(status),
        final_url: Some(final_url.clone()),
        fetched_at: Some(answered_at),
    };
    if !response.is_success() {
        let retry_after = response
            .header("Retry-After")
            .and_then(|v| crate::http::retry_after(v, Utc::now()));
        return Err(with_status(ArticleError::Status {
            url: url.to_owned(),
            status,
            retry_after,
        }));
    }
    let content_type = response.content_type.clone().unwrap_or_default();
    if !is_html_type(&content_type) || (content_type.is_empty() && !looks_like_html(&response.body))
    {
        let shown = if content_type.is_empty() {
            "none".to_owned()
        } else {
            content_type
        };
        return Err(with_status(ArticleError::NotHtml {
            url: url.to_owned(),
            content_type: shown,
        }));
    }
    // A picture or a document sent as a page (a CDN's error image, a PDF behind an article
    // URL): its bytes would decode to nothing discovery can read, and "no embeds" would be a lie.
    if let Some(what) = file_kind(&response.body) {
        return Err(with_status(ArticleError::NotHtml {
            url: url.to_owned(),
            content_type: format!("{content_type}, but the body is {what}"),
        }));
    }
    let final_url = response.url.clone();
    let decoded = blocking::run(format!("decoding {url}"), move || {
        (digest.of(&response.body), response.text())
    })
    .await;
    let (sha256, html) = decoded.map_err(|e| {
        with_status(ArticleError::Discovery {
            url: url.to_owned(),
            message: e.to_string(),
        })
    })?;
    Ok(FetchedArticle {
        requested_url: url.to_owned(),
        final_url,
        http_status: Some(status),
        fetched_at: answered_at,
        sha256,
        html,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Serve `body` as text/html to one request on 127.0.0.1, then fetch it with `digest`.
    async fn fetch_served(body: &'static [u8], digest: PageDigest) -> FetchedArticle {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let mut head = Vec::new();
            let mut buf = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => head.extend_from_slice(&buf[..n]),
                }
            }
            let reply = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\n\
                 connection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes()).await;
            let _ = stream.write_all(body).await;
            let _ = stream.shutdown().await;
        });
        let config = crate::config::HttpConfig {
            allow_private_addresses: true,
            ..crate::config::HttpConfig::default()
        };
        let http =
            HttpClient::new(&config, &crate::config::PolitenessConfig::default()).expect("client");
        let url = format!("http://{addr}/story");
        match fetch_article(&http, &url, digest).await {
            Ok(article) => article,
            Err(failure) => panic!("fetching {url}: {}", failure.error),
        }
    }

    #[tokio::test]
    async fn only_the_archive_path_hashes_the_page() {
        const PAGE: &[u8] = b"<html><body><p>story</p></body></html>";
        let archived = fetch_served(PAGE, PageDigest::Sha256).await;
        assert_eq!(
            archived.sha256.as_deref(),
            Some(hex::encode(Sha256::digest(PAGE)).as_str())
        );
        let scanned = fetch_served(PAGE, PageDigest::Skip).await;
        assert_eq!(scanned.sha256, None);
        assert_eq!(scanned.html, archived.html);

        let base = Url::parse("https://example.com/a").expect("url");
        let given = FetchedArticle::from_html("<p>x</p>".into(), base.clone(), PageDigest::Skip);
        assert_eq!(given.await.sha256, None);
        let given = FetchedArticle::from_html("<p>x</p>".into(), base, PageDigest::Sha256);
        assert_eq!(
            given.await.sha256.as_deref(),
            Some(hex::encode(Sha256::digest(b"<p>x</p>")).as_str())
        );
    }

    #[test]
    fn html_types() {
        assert!(is_html_type("text/html; charset=windows-1251"));
        assert!(is_html_type("application/xhtml+xml"));
        assert!(!is_html_type("image/png"));
        assert!(!is_html_type("application/pdf"));
    }

    #[test]
    fn sniffing_without_content_type() {
        assert!(looks_like_html(b"  <!DOCTYPE html><html>"));
        assert!(!looks_like_html(b"\x89PNG\r\n\x1a\n"));
        assert!(looks_like_html(
            b"Saved from the CMS:\n<p>View this post</p>"
        ));
        assert!(!looks_like_html(
            "View this post on Instagram — ünïcödé "
                .repeat(500)
                .as_bytes()
        ));
    }

    /// Compressed bytes sent without a `Content-Encoding` (or read from a file) are named for
    /// what they are, never read as a page of no embeds.
    #[test]
    fn compressed_bodies_are_named_by_their_signature() {
        use std::io::Write as _;
        let page = b"<html><body><p>a page</p></body></html>";
        for level in [1, 3, 6, 9] {
            let mut zlib =
                flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(level));
            zlib.write_all(page).expect("compress");
            let zlib = zlib.finish().expect("compress");
            // Levels 2 to 5 start `x^`, which could be text: left to the other checks.
            let want = (level != 3).then_some("zlib-compressed data");
            assert_eq!(file_kind(&zlib), want, "level {level}");
        }
        assert_eq!(
            file_kind(b"\x28\xb5\x2f\xfd\x04\x58"),
            Some("zstd-compressed data")
        );
        assert_eq!(file_kind(b"x marks the spot"), None);
        assert_eq!(file_kind(page), None);
    }

    #[test]
    fn a_nul_byte_in_the_first_bytes_is_binary_data() {
        // Starts like markup and names tags, but a NUL in the first 4 KiB gives it away.
        assert!(!looks_like_html(b"<\0\x01\x02<html><p>"));
        assert!(!looks_like_html(b"Saved from the CMS:\0<p>text</p>"));
        let mut late = b"<p>text</p>".repeat(400);
        late.push(0);
        assert!(late.len() > 4096);
        assert!(
            looks_like_html(&late),
            "a NUL past the sniffed head is not read"
        );
        // UTF-16 markup has a NUL beside every ASCII byte: it is sniffed after decoding.
        assert!(!looks_like_html(b"\xff\xfe<\0h\0t\0m\0l\0>\0"));
        assert!(looks_like_html("<html>".as_bytes()));
    }

    #[test]
    fn a_page_that_begins_as_html_is_html_whatever_bytes_follow() {
        assert!(looks_like_html(b"<!DOCTYPE html><html><body>\0</body>"));
        assert!(looks_like_html(
            b"\xef\xbb\xbf\n  <HTML lang=en><p>a\0b</p>"
        ));
        assert!(looks_like_html(b"<!-- saved -->\0<p>"));
        assert!(begins_as_html(b"<p>\0"));
        assert!(begins_as_html(b"<html\n lang=en>"));
        // A signature is a whole tag name: `<pre`, `<a0` and `<htmlx` are not `<p`, `<a`, `<html`.
        assert!(!begins_as_html(b"<pre>"));
        assert!(!begins_as_html(b"<a0 "));
        assert!(!begins_as_html(b"<htmlx>"));
        assert!(!begins_as_html(b"<html"));
        assert!(!begins_as_html(b"text <html>"));
    }
}
