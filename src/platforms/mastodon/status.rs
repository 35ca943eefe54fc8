//! The Mastodon status API (`GET https://HOST/api/v1/statuses/ID` on the post's own server; no
//! account needed for public posts since Mastodon 2.7, and answered the same way by compatible
//! servers): the request and the classifier of its answer.
//!
//! 404 and 410 with the server's own JSON error (`{"error": "Record not found"}`) are gone: the
//! status was deleted, made private, or its account removed. 401 and 403 are transient: servers in
//! authorized-fetch or limited mode refuse anonymous readers without saying anything about the
//! post. An HTML error page, any other status, or JSON that is not the status asked for is
//! transient too.
//!
//! A live answer is read as the post it shows: a boost as the post under its `reblog`, a quote
//! post with the address of the post it quotes (Mastodon's `quote.quoted_status`, or Akkoma's
//! `quote` status itself).

use chrono::{DateTime, Utc};
use scraper::CaseSensitivity::CaseSensitive;
use serde::Deserialize;
use serde_json::Value;
use url::Url;

use crate::model::{MediaKind, MediaRef, PostContent, Resolution};
use crate::platforms::readers::{as_u32, br_as_newline, non_empty, walk_text};
use crate::platforms::source::{Answer, SourceError, check_status};
use crate::platforms::verdict::{self, Field, OwnBody};

/// Source name of the status API.
pub const SOURCE: &str = "mastodon-api";

/// What makes a status live: a real one names its account and date, and its content or media.
const IDENTIFYING: &[Field] = &[Field::Text, Field::Author, Field::Media, Field::Published];

/// The server's own JSON error object.
const OWN_ERROR: &[OwnBody] = &[OwnBody::JsonWith(&["error"])];

/// The status API URL of status `id` on `host` (`host` may carry a port).
pub fn url(host: &str, id: &str) -> Result<Url, SourceError> {
    let bad = |reason: String| SourceError::BadPostId {
        source_name: SOURCE.to_owned(),
        post_id: format!("{host}/{id}"),
        reason,
    };
    if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(bad("the status id is not alphanumeric".to_owned()));
    }
    let url = Url::parse(&format!("https://{host}/api/v1/statuses/{id}"))
        .map_err(|e| bad(format!("not a host: {e}")))?;
    // A host that smuggles a path, user info or query would ask another resource.
    if url.path() != format!("/api/v1/statuses/{id}")
        || !url.username().is_empty()
        || url.query().is_some()
    {
        return Err(bad("not a plain host".to_owned()));
    }
    Ok(url)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Status {
    #[serde(deserialize_with = "id_text")]
    id: Option<String>,
    created_at: Option<String>,
    #[serde(deserialize_with = "id_text")]
    in_reply_to_id: Option<String>,
    spoiler_text: Option<String>,
    language: Option<String>,
    content: Option<String>,
    account: Option<Account>,
    // Read one by one (in `media`): an attachment in a shape of its own, or a server that
    // writes `null` for none, costs only itself, never the status.
    media_attachments: Option<Value>,
    quote: Option<Value>,
    // A boost: the status it shows, read on its own (`extra`) like the quote.
    reblog: Option<Value>,
    // Extras read on their own (`extra`), so one in an unexpected shape costs only itself.
    poll: Option<Value>,
    card: Option<Value>,
}

/// A status id as text. Mastodon has written ids as JSON strings since 2.0 (October 2017);
/// servers before it, and compatible servers that kept the old form, write a JSON number, which
/// names the same status (`172429` and `"172429"`). Any other value is no id.
fn id_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::String(id)) => Some(id),
        Some(Value::Number(n)) if n.is_u64() => Some(n.to_string()),
        _ => None,
    })
}

/// An optional part of the status read into `T`, or `None` when absent or in another shape.
fn extra<T: serde::de::DeserializeOwned>(v: Option<&Value>) -> Option<T> {
    serde_json::from_value(v?.clone()).ok()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Poll {
    options: Vec<PollOption>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PollOption {
    title: Option<String>,
}

/// The preview of the first link in the status, which the server fetched.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Card {
    url: Option<String>,
    title: Option<String>,
    image: Option<String>,
    // Read leniently: a card is an extra, and a size in an odd form must not cost the status.
    width: Option<Value>,
    height: Option<Value>,
    image_description: Option<String>,
    /// Pleroma and Akkoma keep the page's OpenGraph tags as they read them, the picture's
    /// description among them (`image:alt`), where Mastodon gives `image_description`.
    pleroma: Option<PleromaCard>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PleromaCard {
    opengraph: Option<OpenGraph>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OpenGraph {
    #[serde(rename = "image:alt")]
    image_alt: Option<Value>,
}

impl Card {
    /// The picture's own description, from Mastodon's field or Pleroma's OpenGraph tags.
    fn image_description(&self) -> Option<String> {
        let pleroma = || {
            let alt = self
                .pleroma
                .as_ref()?
                .opengraph
                .as_ref()?
                .image_alt
                .as_ref()?;
            non_empty(alt.as_str().map(str::to_owned))
        };
        non_empty(self.image_description.clone()).or_else(pleroma)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Account {
    acct: Option<String>,
    username: Option<String>,
    display_name: Option<String>,
    url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Attachment {
    #[serde(rename = "type")]
    kind: Option<String>,
    url: Option<String>,
    preview_url: Option<String>,
    remote_url: Option<String>,
    description: Option<String>,
    meta: Option<Value>,
}

/// Classify one answer for status `id` of `host`.
pub fn parse(host: &str, id: &str, answer: &Answer) -> Resolution {
    if let Err(e) = check_status(SOURCE, answer) {
        return e.into_transient();
    }
    match answer.status {
        200 => {}
        status @ (404 | 410) => {
            return verdict::gone_if_own_answer(SOURCE, answer, OWN_ERROR, || {
                let said = serde_json::from_slice::<Value>(&answer.body)
                    .ok()
                    .and_then(|v| v.get("error").and_then(Value::as_str).map(str::to_owned))
                    .unwrap_or_default();
                format!("HTTP {status} from {SOURCE} on {host}: {said}")
            });
        }
        status @ (401 | 403) => {
            return Resolution::transient(
                SOURCE,
                format!(
                    "HTTP {status} from {SOURCE} on {host}: the server refuses anonymous readers \
                 (authorized fetch or limited mode), which says nothing about the post"
                ),
            );
        }
        other => {
            return Resolution::transient(SOURCE, format!("HTTP {other} from {SOURCE} on {host}"));
        }
    }
    let value: Value = match serde_json::from_slice(&answer.body) {
        Ok(v @ Value::Object(_)) => v,
        Ok(_) => {
            return Resolution::transient(
                SOURCE,
                format!("{SOURCE} on {host} answered JSON that is not an object"),
            );
        }
        Err(e) => {
            return Resolution::transient(
                SOURCE,
                format!(
                    "non-JSON answer from {SOURCE} on {host} (content-type {}): {e}",
                    answer.content_type.as_deref().unwrap_or("none")
                ),
            );
        }
    };
    let status: Status = match serde_json::from_value(value) {
        Ok(s) => s,
        Err(e) => {
            return Resolution::transient(
                SOURCE,
                format!("unreadable status from {SOURCE} on {host}: {e}"),
            );
        }
    };
    if status.id.as_deref() != Some(id) {
        return Resolution::transient(
            SOURCE,
            format!(
                "{SOURCE} on {host} answered about status {:?}, not {id}",
                status.id.as_deref().unwrap_or("(no id)")
            ),
        );
    }
    // A boost (reblog) has no words, media or language of its own: its `content` is empty and
    // the post it shows is the one under `reblog`, as Mastodon's own page of a boost shows (its
    // address redirects there). So a boost is read as that post; a `reblog` in another shape
    // leaves the wrapper as it is, which then names at least its booster and date.
    let shown = extra::<Status>(status.reblog.as_ref())
        .filter(|original| non_empty(original.id.clone()).is_some())
        .unwrap_or(status);
    let mut content = content(host, &shown);
    content.raw = vec![answer.raw()];
    verdict::live(content, IDENTIFYING)
}

fn content(host: &str, status: &Status) -> PostContent {
    let account = status.account.as_ref();
    let quote_of = status.quote.as_ref().and_then(|q| quote_url(host, q));
    PostContent {
        source: SOURCE.to_owned(),
        author_name: account.and_then(|a| non_empty(a.display_name.clone())),
        author_handle: account
            .and_then(|a| non_empty(a.acct.clone()).or(non_empty(a.username.clone()))),
        author_url: account.and_then(|a| non_empty(a.url.clone())),
        // The content warning shows first and hides the text behind it: kept apart from it.
        title: non_empty(status.spoiler_text.clone()),
        text: with_poll(
            status
                .content
                .as_deref()
                .and_then(|html| shown_text(html, quote_of.is_some())),
            extra::<Poll>(status.poll.as_ref()).as_ref(),
        ),
        published_at: status.created_at.as_deref().and_then(parse_date),
        lang: non_empty(status.language.clone()),
        reply_to: non_empty(status.in_reply_to_id.clone())
            .filter(|id| id.bytes().all(|b| b.is_ascii_alphanumeric()))
            .map(|id| format!("https://{host}/web/statuses/{id}")),
        quote_of,
        media: media(status),
        raw: Vec::new(),
    }
}

/// The address of the post a quote post quotes, from the three shapes servers give `quote`:
/// Mastodon 4.4+ wraps the quoted status (`{"state": …, "quoted_status": {…}}`, the status
/// `null` unless the quote was accepted and is still visible), or, for a quote nested in a
/// quoted status, only its id (`quoted_status_id`, a "shallow" quote); Akkoma puts the quoted
/// status itself there. Its web page (`url`) is the address a reader follows; `uri` (its
/// ActivityPub id, also a web address) stands in for a status without one.
fn quote_url(host: &str, quote: &Value) -> Option<String> {
    let status = match quote.get("quoted_status") {
        Some(inner) => inner,
        None if quote.get("state").is_some() => {
            return quote
                .get("quoted_status_id")
                .and_then(Value::as_str)
                .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric()))
                .map(|id| format!("https://{host}/web/statuses/{id}"));
        }
        None => quote,
    };
    ["url", "uri"]
        .iter()
        .filter_map(|k| status.get(*k).and_then(Value::as_str))
        .find(|u| crate::platforms::oembed_endpoint::is_web_url(u))
        .map(str::to_owned)
}

/// The status's attachments; a status without any shows its link's preview card instead, kept
/// as the linked page pictured by the card's image (as a Bluesky link card is).
fn media(status: &Status) -> Vec<MediaRef> {
    let attached: Vec<MediaRef> = status
        .media_attachments
        .as_ref()
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|a| extra::<Attachment>(Some(a)))
        .filter_map(|a| media_ref(&a))
        .collect();
    if !attached.is_empty() {
        return attached;
    }
    let Some(card) = extra::<Card>(status.card.as_ref()) else {
        return Vec::new();
    };
    let web = |u: &Option<String>| {
        non_empty(u.clone()).filter(|u| crate::platforms::oembed_endpoint::is_web_url(u))
    };
    match (web(&card.url), web(&card.image)) {
        (Some(url), Some(image)) => vec![MediaRef {
            kind: MediaKind::Image,
            url,
            image_url: Some(image),
            width: dimension(card.width.as_ref()),
            height: dimension(card.height.as_ref()),
            alt: card.image_description().or(non_empty(card.title.clone())),
        }],
        _ => Vec::new(),
    }
}

/// A card's width or height in pixels; Mastodon writes 0 for "unknown".
fn dimension(v: Option<&Value>) -> Option<u32> {
    v.and_then(as_u32).filter(|n| *n > 0)
}

/// The status's text followed by its poll's options (`readers::with_poll_options`).
fn with_poll(text: Option<String>, poll: Option<&Poll>) -> Option<String> {
    let options = poll
        .map(|p| p.options.iter().filter_map(|o| o.title.clone()).collect())
        .unwrap_or_default();
    crate::platforms::readers::with_poll_options(text, options)
}

fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    crate::platforms::markup::reading::parse_rfc3339(text)
}

fn media_ref(a: &Attachment) -> Option<MediaRef> {
    // `url` is the server's copy; a remote file the server has not copied has only `remote_url`.
    let url = non_empty(a.url.clone()).or_else(|| non_empty(a.remote_url.clone()))?;
    let size = |k: &str| {
        a.meta
            .as_ref()
            .and_then(|m| m.pointer(&format!("/original/{k}")))
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
    };
    let (kind, image_url) = match a.kind.as_deref() {
        Some("image") => (MediaKind::Image, Some(url.clone())),
        // Videos, GIFs (served as video) and audio show their preview frame, when they have one.
        Some("video" | "gifv" | "audio") => (MediaKind::Video, poster(a, &url)),
        _ => return None,
    };
    Some(MediaRef {
        kind,
        url,
        image_url,
        width: size("width"),
        height: size("height"),
        alt: non_empty(a.description.clone()),
    })
}

/// Extensions of sound and video files, which are never a poster.
const MEDIA_FILE_EXTENSIONS: &[&str] = &[
    "mp4", "m4v", "mov", "webm", "mkv", "ogv", "mp3", "m4a", "aac", "ogg", "oga", "opus", "wav",
    "flac",
];

/// A video's or a sound's preview frame: its `preview_url`, unless that is the file itself.
/// Pleroma and Akkoma fill `preview_url` with the file's own address when their media preview
/// proxy is off (its default), and Mastodon's documented audio attachment previews as an `.mp3`.
fn poster(a: &Attachment, url: &str) -> Option<String> {
    let preview = non_empty(a.preview_url.clone())?;
    let is_file = preview == url
        || a.remote_url.as_deref() == Some(preview.as_str())
        || url::Url::parse(&preview).ok().is_some_and(|u| {
            u.path().rsplit_once('.').is_some_and(|(_, ext)| {
                MEDIA_FILE_EXTENSIONS
                    .iter()
                    .any(|m| ext.eq_ignore_ascii_case(m))
            })
        });
    (!is_file).then_some(preview)
}

/// A status's HTML `content` as the text it shows: paragraphs apart by a blank line, `<br>` as a
/// line break, links as their full text (Mastodon hides part of a long link's text with CSS,
/// which a reader of the archive should still get whole).
pub fn html_text(html: &str) -> Option<String> {
    shown_text(html, false)
}

/// [`html_text`], leaving out the `quote-inline` fallback ("RE: <link>", which Mastodon 4.4+
/// puts in a quote post's content for clients that cannot show quotes, and hides itself) when
/// `quoted` says the quote is kept apart in `quote_of`. Without a quoted status
/// (a revoked or pending quote) the fallback is the only trace of the quote and stays.
fn shown_text(html: &str, quoted: bool) -> Option<String> {
    let doc = crate::platforms::readers::parse_fragment(html);
    let mut out = String::new();
    walk_text(*doc.root_element(), &mut out, |e, out| {
        if !br_as_newline(e, out) {
            return false;
        }
        if quoted && e.has_class("quote-inline", CaseSensitive) {
            return false;
        }
        let block = matches!(e.name(), "p" | "blockquote" | "li" | "pre");
        if block && !out.is_empty() && !out.ends_with("\n\n") {
            out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
        }
        true
    });
    let text = out
        .split('\n')
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    non_empty(Some(text.trim().to_owned()))
}
