//! Meta's Graph oEmbed endpoints for Facebook (`oembed_post`, `oembed_video`): the Facebook
//! source, used only when `[platforms.facebook] access_token_file` is set.
//!
//! The token travels in the query string, so every URL this module reports is redacted. An answer
//! here never says a post is gone: Graph answers HTTP 400 alike for a removed post, an unsupported
//! URL and a bad or expired token, so every error is transient. A 200 is live when it names the
//! post's author, text or date: `author_name` (gone from answers since November 2025) or the
//! `html` blockquote ("<p>TEXT</p>Posted by <a>NAME</a> on <a>DATE</a>"), whose fields are read
//! one by one (its markup is never kept as text).

use chrono::NaiveDate;
use scraper::{ElementRef, Html, Node, Selector};
use serde::Deserialize;
use url::Url;

use crate::config::Secret;
use crate::model::{EmbedKind, PostContent, Resolution};
use crate::platforms::oembed_answer::OembedAnswer;
use crate::platforms::readers::{collapse_whitespace, non_empty};
use crate::platforms::source::{Answer, SourceError, check_status, redact};
use crate::platforms::verdict::{self, Field};

/// Source name of the Graph oEmbed endpoints.
pub const SOURCE: &str = "facebook-graph-oembed";

/// What makes an answer a live post.
const IDENTIFYING: &[Field] = &[Field::Text, Field::Author, Field::Published];

/// The request URL, in the recorded shape:
/// `https://graph.facebook.com/VERSION/oembed_post?access_token=TOKEN&format=json&url=POST_URL`
/// (`oembed_video` for videos).
pub fn url(
    version: &str,
    token: &Secret,
    kind: EmbedKind,
    post_url: &str,
) -> Result<Url, SourceError> {
    let version_ok = version
        .strip_prefix('v')
        .is_some_and(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit() || b == b'.'));
    if !version_ok {
        return Err(SourceError::Config {
            source_name: SOURCE.to_owned(),
            message: format!("graph_api_version {version:?} is not like \"v24.0\""),
        });
    }
    let endpoint = match kind {
        EmbedKind::Video => "oembed_video",
        _ => "oembed_post",
    };
    let mut url =
        Url::parse(&format!("https://graph.facebook.com/{version}/{endpoint}")).map_err(|e| {
            SourceError::BadPostId {
                source_name: SOURCE.to_owned(),
                post_id: post_url.to_owned(),
                reason: redact(&e.to_string()),
            }
        })?;
    url.query_pairs_mut()
        .append_pair("access_token", token.expose())
        .append_pair("format", "json")
        .append_pair("url", post_url);
    Ok(url)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GraphError {
    error: Option<GraphErrorBody>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GraphErrorBody {
    message: Option<String>,
    code: Option<i64>,
}

/// Classify one Graph oEmbed answer: live when it describes the post, transient otherwise.
pub fn parse(answer: &Answer) -> Resolution {
    let transient = |evidence: String| Resolution::Transient {
        source: SOURCE.to_owned(),
        evidence: redact(&evidence),
    };
    if let Err(e) = check_status(SOURCE, answer) {
        return e.into_transient();
    }
    if answer.status != 200 {
        let said = serde_json::from_slice::<GraphError>(&answer.body)
            .ok()
            .and_then(|e| e.error)
            .map(|e| {
                let message: String = e.message.unwrap_or_default().chars().take(200).collect();
                format!(": error {}: {message}", e.code.unwrap_or(0))
            })
            .unwrap_or_default();
        return transient(format!("HTTP {} from {SOURCE}{said}", answer.status));
    }
    let oembed = match OembedAnswer::from_json(&answer.body) {
        Ok(o) => o,
        Err(e) => return transient(format!("non-JSON answer from {SOURCE}: {e}")),
    };
    let quoted = oembed
        .html
        .as_deref()
        .map(read_blockquote)
        .unwrap_or_default();
    let mut raw = answer.raw();
    raw.url = redact(&raw.url);
    let content = PostContent {
        source: SOURCE.to_owned(),
        author_name: non_empty(oembed.author_name).or(quoted.author_name),
        author_url: non_empty(oembed.author_url)
            .and_then(|u| absolute(&u))
            .or(quoted.author_url),
        author_handle: None,
        title: quoted.title,
        text: quoted.text,
        published_at: quoted
            .date
            .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc()),
        raw: vec![raw],
        ..PostContent::default()
    };
    verdict::live(content, IDENTIFYING)
}

/// An author URL as given, or made absolute on www.facebook.com (answers for group posts give
/// `/groups/NAME/`).
fn absolute(url: &str) -> Option<String> {
    let base = Url::parse("https://www.facebook.com/").ok()?;
    let url = base.join(url).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

#[derive(Debug, Default)]
struct Quoted {
    title: Option<String>,
    text: Option<String>,
    author_name: Option<String>,
    author_url: Option<String>,
    date: Option<NaiveDate>,
}

/// The fields of `<blockquote class="fb-xfbml-parse-ignore">[<a>TITLE</a>]<p>TEXT</p>Posted by
/// <a href=AUTHOR>NAME</a> on <a>DATE</a></blockquote>` (the date is plain text in video answers).
fn read_blockquote(html: &str) -> Quoted {
    let doc = Html::parse_fragment(html);
    let mut quoted = Quoted::default();
    let Some(blockquote) = Selector::parse("blockquote")
        .ok()
        .and_then(|s| doc.select(&s).next())
    else {
        return quoted;
    };
    let mut paragraphs = Vec::new();
    let mut after_posted_by = false;
    let mut links_after = Vec::new();
    let mut tail = String::new();
    for child in blockquote.children() {
        match child.value() {
            Node::Text(t) => {
                if t.contains("Posted by") {
                    after_posted_by = true;
                }
                if after_posted_by {
                    tail.push_str(t);
                }
            }
            Node::Element(e) => {
                let Some(el) = ElementRef::wrap(child) else {
                    continue;
                };
                let text = collapse_whitespace(&el.text().collect::<String>());
                match e.name() {
                    "p" if !text.is_empty() => paragraphs.push(text),
                    "a" if after_posted_by => links_after.push((text, e.attr("href"))),
                    // A video's title is the link before its description.
                    "a" if paragraphs.is_empty() && !text.is_empty() => {
                        quoted.title = Some(text);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    if !paragraphs.is_empty() {
        quoted.text = Some(paragraphs.join("\n\n"));
    }
    if let Some((name, href)) = links_after.first() {
        quoted.author_name = non_empty(Some(name.clone()));
        quoted.author_url = href.and_then(absolute);
    }
    // "Wednesday, August 5, 2020": the date link, or the text after " on ".
    let date_text = links_after
        .get(1)
        .map(|(t, _)| t.clone())
        .or_else(|| {
            collapse_whitespace(&tail.replace('\u{a0}', " "))
                .rsplit_once(" on ")
                .map(|(_, d)| d.to_owned())
        })
        .unwrap_or_default();
    quoted.date = NaiveDate::parse_from_str(date_text.trim(), "%A, %B %d, %Y").ok();
    quoted
}
