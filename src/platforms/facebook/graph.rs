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
use scraper::{ElementRef, Node, Selector};
use url::Url;

use crate::config::Secret;
use crate::model::{EmbedKind, PostContent, Resolution};
use crate::platforms::meta_graph;
use crate::platforms::readers::{collapse_whitespace, non_empty};
use crate::platforms::source::{Answer, SourceError, redact};
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
    let endpoint = match kind {
        EmbedKind::Video => "oembed_video",
        _ => "oembed_post",
    };
    meta_graph::oembed_url(SOURCE, version, endpoint, token, post_url)
}

/// Classify one Graph oEmbed answer: live when it describes the post, transient otherwise.
pub fn parse(answer: &Answer) -> Resolution {
    let oembed = match meta_graph::oembed_document(SOURCE, answer) {
        Ok(o) => o,
        Err(verdict) => return *verdict,
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
/// `/groups/NAME/`). A bare fragment is no author's page: a video's embed code names its
/// author in `<a href="#" role="button">`.
fn absolute(url: &str) -> Option<String> {
    if url.trim().is_empty() || url.trim().starts_with('#') {
        return None;
    }
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
    let doc = crate::platforms::readers::parse_fragment(html);
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
