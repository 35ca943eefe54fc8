//! Fetching an article page: status and content-type checks, charset decoding, digest.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use url::Url;

use crate::http::HttpClient;
use crate::report::ArticleReport;
use serde::Serialize;

/// An article page ready for discovery.
#[derive(Debug, Clone)]
pub struct FetchedArticle {
    pub requested_url: String,
    pub final_url: Url,
    pub http_status: Option<u16>,
    pub fetched_at: DateTime<Utc>,
    /// The page decoded to text (charset from BOM, header or `<meta>`).
    pub html: String,
    /// sha256 of the body bytes as received.
    pub sha256: String,
}

impl FetchedArticle {
    /// An article given as HTML text rather than fetched.
    pub fn from_html(html: String, base_url: Url) -> FetchedArticle {
        FetchedArticle {
            requested_url: base_url.to_string(),
            sha256: hex::encode(Sha256::digest(html.as_bytes())),
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
    pub message: String,
    pub http_status: Option<u16>,
    pub final_url: Option<String>,
}

impl ArticleFailure {
    /// The report of an article that failed before its embeds could be found.
    pub fn into_report<E: Serialize>(self, url: &str) -> ArticleReport<E> {
        let mut report = ArticleReport::failed(url, self.message);
        report.http_status = self.http_status;
        report.final_url = self.final_url;
        report
    }
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
/// without a content type, and for files given to `scan`. Only the first 4 KiB are read.
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
    head.trim_ascii_start().starts_with(b"<")
        || TAGS
            .iter()
            .any(|tag| head.windows(tag.len()).any(|w| w == *tag))
}

/// Fetch an article page. The error message names the URL and what went wrong.
pub async fn fetch_article(http: &HttpClient, url: &str) -> Result<FetchedArticle, ArticleFailure> {
    let fail = |message: String| ArticleFailure {
        message,
        http_status: None,
        final_url: None,
    };
    let parsed = Url::parse(url).map_err(|e| fail(format!("{url:?} is not a valid URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(fail(format!(
            "{url}: only http and https URLs can be archived"
        )));
    }
    let response = http.get(&parsed).await.map_err(|e| fail(e.to_string()))?;
    let status = response.status;
    let final_url = response.url.to_string();
    let with_status = |message: String| ArticleFailure {
        message,
        http_status: Some(status),
        final_url: Some(final_url.clone()),
    };
    if !response.is_success() {
        return Err(with_status(format!("{url}: HTTP {status}")));
    }
    let content_type = response.content_type.clone().unwrap_or_default();
    if !is_html_type(&content_type) || (content_type.is_empty() && !looks_like_html(&response.body))
    {
        let shown = if content_type.is_empty() {
            "none"
        } else {
            &content_type
        };
        return Err(with_status(format!(
            "{url}: not an HTML page (content-type: {shown})"
        )));
    }
    Ok(FetchedArticle {
        requested_url: url.to_owned(),
        final_url: response.url.clone(),
        http_status: Some(status),
        fetched_at: Utc::now(),
        sha256: hex::encode(Sha256::digest(&response.body)),
        html: response.text(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
