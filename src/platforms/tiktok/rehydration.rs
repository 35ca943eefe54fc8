//! The TikTok video page, read for the JSON in its `__UNIVERSAL_DATA_FOR_REHYDRATION__` script:
//! `__DEFAULT_SCOPE__["webapp.video-detail"]` holds a status code (the page's own verdict) and
//! the item (caption, author, creation time, cover). Older pages carry the same in other
//! scripts: `SIGI_STATE` (about 2021 to 2023, [`sigi_state`](super::sigi_state)) and, before
//! it, `__NEXT_DATA__`. It gives the publication date oEmbed lacks
//! and stands in for oEmbed when that cannot decide.
//!
//! TikTok often answers bots with captcha/verify pages or an empty shell: a page without the
//! script, or with a status code this module does not know, is transient, never gone.

use chrono::{DateTime, TimeZone, Utc};
use serde::Deserialize;
use url::Url;

use super::error::TiktokError;
use super::oembed::media_kind;
use crate::model::{MediaRef, PostContent, Resolution, is_language_tag};
use crate::platforms::readers::{as_u32, non_empty, snippet};
use crate::platforms::source::Answer;
use crate::platforms::verdict::{self, Field};

/// The `source` name of verdicts read from the video page.
pub const SOURCE: &str = "tiktok-page";

/// What makes a page with status 0 a live video: `itemStruct` names the caption, the author,
/// the cover and the creation time. The post URL as the media URL does not count.
const IDENTIFYING: &[Field] = &[Field::Text, Field::Author, Field::Media, Field::Published];

/// `statusCode` of a video that does not exist (removed or never existed).
const NOT_FOUND: i64 = 10204;
/// `statusCode`s of a private video and of a video of a private account.
const PRIVATE: [i64; 2] = [10216, 10222];

/// What a readable video page says about the video.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoPage {
    pub caption: Option<String>,
    pub author_name: Option<String>,
    pub author_handle: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    /// The caption's language as TikTok detected it (`textLanguage`), when it names one.
    pub lang: Option<String>,
    pub cover_url: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

pub use crate::platforms::page_fallback::NotLive;

/// Classify one video-page answer for `video_id` at `post_url` (pure: the response is already
/// fetched).
pub fn classify(response: &Answer, video_id: &str, post_url: &Url) -> Resolution {
    match read(response, video_id) {
        Ok(page) => verdict::live(page.into_content(response, post_url), IDENTIFYING),
        Err(not_live) => not_live.into_resolution(SOURCE),
    }
}

/// Read a video page that shows the video, or what it says instead.
pub fn read(response: &Answer, video_id: &str) -> Result<VideoPage, NotLive> {
    let final_url = &response.url;
    let path = response.path();
    if path.contains("/verify") || path.contains("captcha") {
        return Err(NotLive::Transient(format!(
            "video page redirected to a captcha/verify page: {final_url}"
        )));
    }
    if response.status != 200 {
        // Missing and private videos answer 200 with a status code in the data; any other HTTP
        // status is about the request (rate limit, outage, region), not the video.
        return Err(NotLive::Transient(format!(
            "video page HTTP {}: {}",
            response.status,
            snippet(&response.body)
        )));
    }
    let html = String::from_utf8_lossy(&response.body);
    let detail = match video_detail(&html, final_url, video_id) {
        Ok(detail) => detail,
        Err(e @ TiktokError::NoRehydrationData { .. })
            if html.to_lowercase().contains("captcha") =>
        {
            return Err(NotLive::Transient(format!("captcha page ({e})")));
        }
        Err(e) => return Err(NotLive::Transient(e.to_string())),
    };
    let Some(detail) = detail else {
        return Err(NotLive::Transient(format!(
            "{final_url}: rehydration data has no webapp.video-detail"
        )));
    };
    let status_code = detail.status_code.unwrap_or(0);
    let said = match detail.status_msg.as_deref().filter(|m| !m.is_empty()) {
        Some(msg) => format!("statusCode {status_code} ({msg})"),
        None => format!("statusCode {status_code}"),
    };
    match status_code {
        0 => {}
        // The same code answers for a post only its author's friends may see
        // (`statusMsg` "status_friend_see"): not public either, but not removed.
        NOT_FOUND
            if detail
                .status_msg
                .as_deref()
                .is_some_and(|m| m.contains("friend")) =>
        {
            return Err(NotLive::Gone(format!("visible to friends only: {said}")));
        }
        NOT_FOUND => return Err(NotLive::Gone(format!("video not found: {said}"))),
        code if PRIVATE.contains(&code) => return Err(NotLive::Gone(format!("private: {said}"))),
        // Anti-bot codes (10000 range), region blocks and codes we have not seen.
        _ => return Err(NotLive::Transient(format!("video page {said}"))),
    }
    let Some(item) = detail.item_info.and_then(|i| i.item_struct) else {
        return Err(NotLive::Transient(format!("{said} but no itemStruct")));
    };
    if let Some(shown) = item.id.as_deref()
        && shown != video_id
    {
        return Err(NotLive::Transient(format!(
            "video page shows video {shown:?}, not {video_id:?}"
        )));
    }
    let author = item.author.unwrap_or_default();
    let video = item.video.unwrap_or_default();
    Ok(VideoPage {
        // Captions often end in a space after the last hashtag (the recorded msnow page does);
        // oEmbed's reader trims its `title`, so trimming here keeps both sources' text equal.
        caption: non_empty(item.desc).map(|d| d.trim().to_owned()),
        author_name: non_empty(author.nickname),
        author_handle: non_empty(author.unique_id),
        published_at: item.create_time.as_ref().and_then(unix_seconds),
        lang: item.text_language.and_then(language_tag),
        // `cover` is the image oEmbed names as `thumbnail_url`: preferring it keeps snapshots
        // from either source showing the same picture. `originCover` is the untouched frame.
        cover_url: non_empty(video.cover).or_else(|| non_empty(video.origin_cover)),
        width: video.width.as_ref().and_then(as_u32),
        height: video.height.as_ref().and_then(as_u32),
    })
}

impl VideoPage {
    /// The post content of a video known only from its page.
    pub fn into_content(self, response: &Answer, post_url: &Url) -> PostContent {
        PostContent {
            source: SOURCE.into(),
            author_name: self.author_name,
            author_url: self.author_handle.as_deref().map(profile_url),
            author_handle: self.author_handle,
            text: self.caption,
            published_at: self.published_at,
            lang: self.lang,
            media: vec![MediaRef {
                kind: media_kind(post_url),
                url: post_url.to_string(),
                image_url: self.cover_url,
                width: self.width,
                height: self.height,
                ..MediaRef::default()
            }],
            raw: vec![response.raw()],
            ..PostContent::default()
        }
    }
}

/// The profile URL of a handle, as oEmbed's `author_url` names it.
pub(super) fn profile_url(handle: &str) -> String {
    format!("https://www.tiktok.com/@{handle}")
}

/// A `textLanguage` as a language tag: TikTok writes `un` (undetermined) when it could not tell,
/// which has a tag's shape but names no language.
fn language_tag(text: String) -> Option<String> {
    let tag = text.trim();
    (is_language_tag(tag) && !tag.eq_ignore_ascii_case("un")).then(|| tag.to_owned())
}

/// `createTime`: unix seconds, as a string (current pages) or a number. 0 means unknown.
fn unix_seconds(value: &serde_json::Value) -> Option<DateTime<Utc>> {
    let secs = match value {
        serde_json::Value::Number(n) => n.as_i64()?,
        serde_json::Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    if secs <= 0 {
        return None;
    }
    Utc.timestamp_opt(secs, 0).single()
}

/// The video detail of the page's `<script id="__UNIVERSAL_DATA_FOR_REHYDRATION__">`, of the
/// `<script id="SIGI_STATE">` before it (the item `video_id` of its `ItemModule`), or of the
/// `<script id="__NEXT_DATA__">` TikTok's pages carried until about 2022 (its
/// `props.pageProps` holds the same status code and message, and the item in one of two
/// shapes, [`next_data`](super::next_data)).
fn video_detail(html: &str, url: &str, video_id: &str) -> Result<Option<VideoDetail>, TiktokError> {
    let unreadable = |script| {
        move |source| TiktokError::RehydrationJson {
            url: url.to_owned(),
            script,
            source,
        }
    };
    if let Some(json) = script_text(html, SCRIPT_ID) {
        let data: Universal = serde_json::from_str(json).map_err(unreadable(SCRIPT_ID))?;
        return Ok(data.default_scope.video_detail);
    }
    if let Some(json) = script_text(html, super::sigi_state::SCRIPT_ID) {
        return super::sigi_state::video_detail(json, video_id)
            .map(Some)
            .map_err(unreadable(super::sigi_state::SCRIPT_ID));
    }
    if let Some(json) = script_text(html, super::next_data::SCRIPT_ID) {
        return super::next_data::video_detail(json)
            .map_err(unreadable(super::next_data::SCRIPT_ID));
    }
    Err(TiktokError::NoRehydrationData {
        url: url.to_owned(),
    })
}

const SCRIPT_ID: &str = "__UNIVERSAL_DATA_FOR_REHYDRATION__";

/// How far before the script's id its start tag (`<script`) may begin.
const MAX_TAG_BEFORE_ID: usize = 4 * 1024;

/// The text of the `<script>` element whose start tag names `id` (in any attribute order or
/// quoting).
///
/// A full HTML parse of a 0.5 MB video page costs tens of milliseconds of CPU on the async
/// runtime for one element; a script's content is raw text that ends at the first `</script`
/// (the HTML tokenizer's own rule, and JSON inside it escapes `<` as `\u003c`), so locating the
/// start tag and that end is the same answer at a fraction of the cost.
fn script_text<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    for (at, _) in html.match_indices(id) {
        // The start tag is looked for only this far back: a script tag's attributes before its
        // id are a few hundred bytes, and looking back to the page's start at every mention of
        // the id would cost the square of a page that repeats it.
        let mut from = at.saturating_sub(MAX_TAG_BEFORE_ID);
        while !html.is_char_boundary(from) {
            from += 1;
        }
        let before = &html[from..at];
        let Some(tag_start) = before.rfind('<') else {
            continue;
        };
        let tag_so_far = &before[tag_start..];
        // The id must sit inside a `<script ...` start tag that has not closed yet.
        if !tag_so_far
            .get(..7)
            .is_some_and(|t| t.eq_ignore_ascii_case("<script"))
            || tag_so_far.contains('>')
        {
            continue;
        }
        let after = &html[at + id.len()..];
        let content_start = after.find('>')? + 1;
        let content = &after[content_start..];
        let end = crate::model::start_tag::find_ascii_ci(content.as_bytes(), b"</script")?;
        return Some(&content[..end]);
    }
    None
}

/// The parts of the rehydration JSON this resolver reads.
#[derive(Debug, Deserialize)]
struct Universal {
    #[serde(rename = "__DEFAULT_SCOPE__", default)]
    default_scope: DefaultScope,
}

#[derive(Debug, Default, Deserialize)]
struct DefaultScope {
    #[serde(rename = "webapp.video-detail")]
    video_detail: Option<VideoDetail>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct VideoDetail {
    pub(super) status_code: Option<i64>,
    pub(super) status_msg: Option<String>,
    pub(super) item_info: Option<ItemInfo>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ItemInfo {
    pub(super) item_struct: Option<ItemStruct>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ItemStruct {
    pub(super) id: Option<String>,
    pub(super) desc: Option<String>,
    pub(super) create_time: Option<serde_json::Value>,
    pub(super) text_language: Option<String>,
    pub(super) author: Option<Author>,
    pub(super) video: Option<Video>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Author {
    pub(super) unique_id: Option<String>,
    pub(super) nickname: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Video {
    pub(super) cover: Option<String>,
    pub(super) origin_cover: Option<String>,
    pub(super) width: Option<serde_json::Value>,
    pub(super) height: Option<serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::{language_tag, script_text};

    #[test]
    fn script_text_finds_the_element_by_id() {
        let id = "__UNIVERSAL_DATA_FOR_REHYDRATION__";
        let cases = [
            (
                r#"<script id="__UNIVERSAL_DATA_FOR_REHYDRATION__" type="application/json">{"a":1}</script>"#,
                Some(r#"{"a":1}"#),
            ),
            (
                r#"<SCRIPT type="application/json" id='__UNIVERSAL_DATA_FOR_REHYDRATION__'>{"b":"<\/script>"}</SCRIPT>"#,
                Some(r#"{"b":"<\/script>"}"#),
            ),
            (
                // Named first inside another script's code, then as the element's id.
                r#"<script>document.getElementById("__UNIVERSAL_DATA_FOR_REHYDRATION__")</script><script id=__UNIVERSAL_DATA_FOR_REHYDRATION__>{}</script>"#,
                Some("{}"),
            ),
            (
                r#"<div id="__UNIVERSAL_DATA_FOR_REHYDRATION__">{}</div>"#,
                None,
            ),
            (
                r#"<script id="__UNIVERSAL_DATA_FOR_REHYDRATION__">{"unterminated":"#,
                None,
            ),
            (r#"__UNIVERSAL_DATA_FOR_REHYDRATION__"#, None),
            ("", None),
        ];
        for (html, want) in cases {
            assert_eq!(script_text(html, id), want, "{html}");
        }
        // A page that repeats the id after one unclosed `<` (each mention once looked back to
        // the page's start), then holds the script: found, and each mention looks back at most
        // MAX_TAG_BEFORE_ID bytes.
        let repeated = format!("<x{}<script id={id}>{{}}</script>", id.repeat(100_000));
        assert_eq!(script_text(&repeated, id), Some("{}"));
        // The start tag is looked for within reach of the id; attributes longer than that are
        // no script tag's, and a multi-byte character at the edge is stepped over.
        let far = format!(
            "<script data-x=\"{}\" id={id}>{{}}</script>",
            "é".repeat(3_000)
        );
        assert_eq!(script_text(&far, id), None);
        let near = format!(
            "<script data-x=\"{}\" id={id}>{{}}</script>",
            "é".repeat(1_000)
        );
        assert_eq!(script_text(&near, id), Some("{}"));
    }

    #[test]
    fn text_languages_are_tags_that_name_a_language() {
        for (text, want) in [
            ("es", Some("es")),
            (" pt-BR ", Some("pt-BR")),
            ("un", None),
            ("UN", None),
            // Letters and digits that are not shaped as a tag: no `lang` is better than a wrong one.
            ("123", None),
            ("en-", None),
            ("en--US", None),
            ("-", None),
        ] {
            assert_eq!(language_tag(text.to_owned()).as_deref(), want, "{text}");
        }
    }
}
