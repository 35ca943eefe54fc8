//! Scanning: the embeds and remnants of one article (fetched, or a local page), with nothing
//! stored. HTML goes through discovery; plain text through remnant detection alone.

use chrono::Utc;
use url::Url;

use super::article::{
    ArticleFailure, FetchedArticle, PageDigest, begins_as_html, discover_article, fetch_article,
    file_kind,
};
use super::looks_like_html;
use crate::blocking;
use crate::discover;
use crate::http::HttpClient;
use crate::model::{ArticleError, ArticleOutcome};

/// What to scan.
#[derive(Debug, Clone)]
pub enum ScanInput {
    /// Fetch the article over HTTP.
    Url(String),
    /// A page already read (a file or standard input): `name` is how the user named it,
    /// `base_url` what relative links resolve against.
    Local {
        name: String,
        bytes: Vec<u8>,
        base_url: Url,
    },
}

/// Find the embeds and remnants of an article. Failures are reported in the outcome's `error`.
pub async fn scan(http: &HttpClient, input: ScanInput) -> ArticleOutcome {
    match input {
        ScanInput::Url(url) => match fetch_article(http, &url, PageDigest::Skip).await {
            Ok(article) => discover_article(&article)
                .await
                .unwrap_or_else(|e| ArticleOutcome::failed(&url, e)),
            Err(failure) => failure.into_outcome(&url),
        },
        ScanInput::Local {
            name,
            bytes,
            base_url,
        } => scan_local(name, bytes, base_url).await,
    }
}

/// [`scan`] of a page already read: it needs no HTTP client.
pub async fn scan_local(name: String, bytes: Vec<u8>, base_url: Url) -> ArticleOutcome {
    if let Some(what) = binary_kind(&bytes) {
        return ArticleFailure {
            error: ArticleError::NotText {
                url: name.clone(),
                what: what.to_owned(),
            },
            http_status: None,
            final_url: None,
            // The file was read: it is no page.
            fetched_at: Some(Utc::now()),
        }
        .into_outcome(&name);
    }
    let decoded = blocking::run(format!("decoding {name}"), move || {
        crate::http::decode_html(&bytes, None)
    })
    .await;
    let text = match decoded {
        Ok(text) => text,
        Err(e) => {
            return ArticleOutcome::failed(
                &name,
                ArticleError::Discovery {
                    url: name.clone(),
                    message: e.to_string(),
                },
            );
        }
    };
    // Sniffed on the decoded text: in UTF-16 every `<` of the raw bytes has a NUL beside it.
    if looks_like_html(text.as_bytes()) || holds_embed_markup(text.as_bytes()) {
        let article = FetchedArticle::from_html(text, base_url, PageDigest::Skip).await;
        let mut outcome = discover_article(&article)
            .await
            .unwrap_or_else(|e| ArticleOutcome::failed(&name, e));
        outcome.url = name;
        outcome
    } else {
        let found = blocking::run(format!("remnants in {name}"), move || {
            discover::remnants_in_text_capped(&text)
        })
        .await;
        match found {
            Ok((remnants, left_out)) => ArticleOutcome {
                url: name,
                final_url: None,
                title: None,
                fetched_at: Some(Utc::now()),
                http_status: None,
                error: None,
                embeds: Vec::new(),
                remnants,
                truncated: 0,
                discovery_truncated: left_out,
            },
            Err(e) => ArticleOutcome::failed(
                &name,
                ArticleError::Discovery {
                    url: name.clone(),
                    message: e.to_string(),
                },
            ),
        }
    }
}

/// The kind of binary data `bytes` starts with (an image, a PDF, an archive), or `None` for
/// anything that may be text. Text has no NUL bytes in its first kilobytes unless it is UTF-16,
/// which starts with a byte-order mark, or it is a page that begins as an HTML document, which
/// is read as a browser and the rewrite route read it, NUL bytes and all.
pub fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    if let Some(what) = file_kind(bytes) {
        return Some(what);
    }
    let utf16 = bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff");
    let head = &bytes[..bytes.len().min(8192)];
    (!utf16 && head.contains(&0) && !begins_as_html(head)).then_some("binary data")
}

/// Whether text that does not begin as markup holds the tags an embed is written in further
/// on: notes and Markdown files keep an embed's code as it was pasted, after any amount of
/// prose. Such a file is read as a page, so that the embed is found; the prose around it is
/// page text, where remnants are looked for as in plain text.
fn holds_embed_markup(text: &[u8]) -> bool {
    // Not `script`: "the <script> tag" in prose would hide the rest of the notes as script.
    const TAGS: [&[u8]; 5] = [b"iframe", b"blockquote", b"amp-", b"embed", b"object"];
    memchr::memchr_iter(b'<', text).any(|lt| {
        let name = &text[lt + 1..];
        TAGS.iter().any(|tag| {
            name.len() > tag.len()
                && name[..tag.len()].eq_ignore_ascii_case(tag)
                && (tag.ends_with(b"-")
                    || matches!(
                        name[tag.len()],
                        b' ' | b'>' | b'/' | b'\t' | b'\n' | b'\r' | b'\x0c'
                    ))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_that_hold_an_embeds_code_are_markup() {
        let prose = "Notes for the piece. ".repeat(400);
        let iframe = r#"<iframe src="https://www.youtube.com/embed/eiHXASgRTcA"></iframe>"#;
        assert!(!looks_like_html(format!("{prose}{iframe}").as_bytes()));
        assert!(holds_embed_markup(format!("{prose}{iframe}").as_bytes()));
        assert!(holds_embed_markup(
            b"x <BLOCKQUOTE\nclass=\"twitter-tweet\">"
        ));
        assert!(holds_embed_markup(
            b"x <amp-instagram data-shortcode=\"B\">"
        ));
        for prose in [
            "1 < 2 and <iframes> are a word",
            "the <script> tag",
            "a <blockquotes> b",
            "ends with <iframe",
        ] {
            assert!(!holds_embed_markup(prose.as_bytes()), "{prose}");
        }
    }

    #[test]
    fn binary_files_are_named() {
        assert_eq!(binary_kind(b"\x89PNG\r\n\x1a\nrest"), Some("a PNG image"));
        assert_eq!(binary_kind(b"%PDF-1.7"), Some("a PDF document"));
        assert_eq!(binary_kind(b"abc\0\x01\x02"), Some("binary data"));
        assert_eq!(binary_kind(b"\xff\xfe<\0p\0>\0"), None);
        assert_eq!(binary_kind("<p>héllo</p>".as_bytes()), None);
        assert_eq!(binary_kind(b"<!DOCTYPE html><p>a\0b</p>"), None);
        assert_eq!(binary_kind(b"notes\0<p>a</p>"), Some("binary data"));
    }
}
