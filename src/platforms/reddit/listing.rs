//! The `.json` of a reddit submission (`https://www.reddit.com/comments/ID.json`, no account
//! needed): an array of two `Listing`s whose first holds the submission (`kind` `t3`).
//!
//! Gone is reddit's own word about the post: a `removed_by_category` (removed by a moderator, by
//! reddit, by its author, for copyright...), an author and body both `[deleted]`/`[removed]`, or
//! reddit's own JSON error for an id it does not know (404 `{"message": "Not Found", "error": 404}`),
//! a banned subreddit (404 `"reason": "banned"`) or a private one (403 `"reason": "private"`).
//! A 403 HTML page ("blocked by network security", the answer to clients reddit does not like) or a
//! quarantined subreddit (readable after an opt-in) is transient, as is anything unreadable.

use chrono::{DateTime, Utc};
use serde_json::Value;
use url::Url;

use crate::model::{MediaKind, MediaRef, PostContent, Resolution};
use crate::platforms::readers::non_empty;
use crate::platforms::source::{Answer, SourceError, check_status};
use crate::platforms::verdict::{self, Field, OwnBody};

/// Source name of the submission `.json`.
pub const SOURCE: &str = "reddit-json";

/// What makes a submission live: a real one has a title and an author.
const IDENTIFYING: &[Field] = &[Field::Text, Field::Author, Field::Media, Field::Published];

/// Reddit's own JSON error object.
const OWN_ERROR: &[OwnBody] = &[
    OwnBody::JsonWith(&["message", "error"]),
    OwnBody::JsonWith(&["reason"]),
];

/// What an author or body reads once deleted or removed.
const TOMBSTONES: &[&str] = &["[deleted]", "[removed]"];

/// The request URL for submission `id` (base36), in the recorded shape.
pub fn url(id: &str) -> Result<Url, SourceError> {
    if id.is_empty() || id.len() > 13 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(SourceError::BadPostId {
            source_name: SOURCE.to_owned(),
            post_id: id.to_owned(),
            reason: "not a base36 submission id".to_owned(),
        });
    }
    Url::parse(&format!("https://www.reddit.com/comments/{id}.json")).map_err(|e| {
        SourceError::BadPostId {
            source_name: SOURCE.to_owned(),
            post_id: id.to_owned(),
            reason: e.to_string(),
        }
    })
}

/// Classify one answer for submission `id`.
pub fn parse(id: &str, answer: &Answer) -> Resolution {
    if let Err(e) = check_status(SOURCE, answer) {
        return e.into_transient();
    }
    match answer.status {
        200 => {}
        status @ (403 | 404) => return error_status(status, answer),
        other => return Resolution::transient(SOURCE, format!("HTTP {other} from {SOURCE}")),
    }
    let value: Value = match serde_json::from_slice(&answer.body) {
        Ok(v) => v,
        Err(e) => {
            return Resolution::transient(
                SOURCE,
                format!(
                    "non-JSON answer from {SOURCE} (content-type {}): {e}",
                    answer.content_type.as_deref().unwrap_or("none")
                ),
            );
        }
    };
    let Some(post) = value
        .pointer("/0/data/children/0")
        .filter(|c| c.get("kind").and_then(Value::as_str) == Some("t3"))
        .and_then(|c| c.get("data"))
    else {
        return Resolution::transient(SOURCE, format!("answer from {SOURCE} holds no submission"));
    };
    if post.get("id").and_then(Value::as_str) != Some(id) {
        return Resolution::transient(
            SOURCE,
            format!(
                "{SOURCE} answered about submission {:?}, not {id}",
                post.get("id").and_then(Value::as_str).unwrap_or("(no id)")
            ),
        );
    }
    let text_of = |k: &str| post.get(k).and_then(Value::as_str).unwrap_or_default();
    if let Some(category) = non_empty(post.get("removed_by_category").and_then(Value::as_str)) {
        return Resolution::gone(
            SOURCE,
            format!(
                "{SOURCE}: removed (removed_by_category {category:?}; author {:?}, body {:?})",
                text_of("author"),
                text_of("selftext")
            ),
        );
    }
    if TOMBSTONES.contains(&text_of("author")) && TOMBSTONES.contains(&text_of("selftext")) {
        return Resolution::gone(
            SOURCE,
            format!(
                "{SOURCE}: deleted (author {:?}, body {:?})",
                text_of("author"),
                text_of("selftext")
            ),
        );
    }
    let mut content = content(post);
    content.raw = vec![answer.raw()];
    verdict::live(content, IDENTIFYING)
}

fn error_status(status: u16, answer: &Answer) -> Resolution {
    let value: Value = serde_json::from_slice(&answer.body).unwrap_or_default();
    let reason = value.get("reason").and_then(Value::as_str);
    let said = match reason {
        Some("private") => "the subreddit is private",
        Some("banned") => "the subreddit is banned",
        Some(_) => "",
        None if status == 404 => "no such submission",
        None => "",
    };
    if said.is_empty() {
        // A quarantined subreddit (readable after an opt-in), another reason, or a 403 that is
        // not reddit's JSON: nothing about the post.
        let message = value.get("message").and_then(Value::as_str);
        return Resolution::transient(
            SOURCE,
            match (reason, message) {
                (Some(r), _) => format!("HTTP {status} from {SOURCE}: reason {r:?}"),
                (None, Some(m)) => format!("HTTP {status} from {SOURCE}: {m:?}, no reason given"),
                (None, None) => verdict::not_own_answer(SOURCE, answer),
            },
        );
    }
    verdict::gone_if_own_answer(SOURCE, answer, OWN_ERROR, || {
        format!("HTTP {status} from {SOURCE}: {said}")
    })
}

fn str_field(v: &Value, k: &str) -> Option<String> {
    non_empty(v.get(k).and_then(Value::as_str).map(str::to_owned))
}

/// Reddit's JSON escapes `&` in URLs as `&amp;` unless asked for `raw_json`.
fn unescape_url(url: &str) -> String {
    url.replace("&amp;", "&")
}

/// The text of a title or body as its author wrote it. Without `raw_json` reddit's JSON
/// HTML-escapes `&`, `<` and `>` in every string (a quoting comment's body reads `&gt;Thank you!`
/// in the recorded gallery answer), and nothing else: `&amp;` goes last, so a written `&lt;`
/// (sent as `&amp;lt;`) stays `&lt;`.
fn unescape_text(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A body without the spacer paragraphs reddit's rich-text editor writes for an empty line: a
/// paragraph holding only a zero-width space, as its character reference (`&#x200B;`, sent as
/// `&amp;#x200B;` without `raw_json`) or the character. Markdown shows nothing there, so the
/// text keeps one paragraph break in its place.
fn without_spacer_paragraphs(text: &str) -> String {
    const SPACERS: [&str; 3] = ["&#x200B;", "&#x200b;", "\u{200B}"];
    if !SPACERS.iter().any(|s| text.contains(s)) {
        return text.to_owned();
    }
    let is_spacer = |p: &str| {
        let mut rest = p.trim();
        let mut any = false;
        while let Some(after) = SPACERS.iter().find_map(|s| rest.strip_prefix(s)) {
            rest = after.trim_start();
            any = true;
        }
        any && rest.is_empty()
    };
    text.split("\n\n")
        .filter(|p| !is_spacer(p))
        .collect::<Vec<_>>()
        .join("\n\n")
        .trim()
        .to_owned()
}

/// The link the API ends a poll post's body with, for clients that cannot show a poll.
static VIEW_POLL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"\s*\[View Poll\]\(https://www\.reddit\.com/poll/[A-Za-z0-9]+/?\)\s*$")
        .expect("constant pattern")
});

/// A poll post's text as reddit shows it: its body, then the poll's options
/// (`readers::with_poll_options`) in place of the `[View Poll](…/poll/ID)` link the API ends
/// the body with for clients that cannot show a poll.
fn with_poll(text: Option<String>, post: &Value) -> Option<String> {
    let options: Vec<String> = post
        .pointer("/poll_data/options")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|o| str_field(o, "text"))
        .map(|t| unescape_text(&t))
        .collect();
    if options.is_empty() {
        return text;
    }
    let text = text.map(|t| VIEW_POLL.replace(&t, "").into_owned());
    crate::platforms::readers::with_poll_options(text.filter(|t| !t.is_empty()), options)
}

fn size(v: &Value, w: &str, h: &str) -> (Option<u32>, Option<u32>) {
    let dim = |k: &str| {
        v.get(k)
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
    };
    (dim(w), dim(h))
}

fn content(post: &Value) -> PostContent {
    let author = str_field(post, "author").filter(|a| !TOMBSTONES.contains(&a.as_str()));
    // A crosspost shows the post it shares, with that post's media (its own `preview` is only a
    // still of them). A shared self post shows only what was uploaded into its body: the
    // crosspost's copy of its `preview` is a picture of a link in its text, as the parent's is.
    let parent = post.pointer("/crosspost_parent_list/0");
    let media = match parent {
        Some(shared) if is_self(shared) => media(shared),
        Some(shared) => Some(media(shared))
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| media(post)),
        None => media(post),
    };
    PostContent {
        source: SOURCE.to_owned(),
        // A profile URL only for a name reddit could have given (letters, digits, `_`, `-`).
        author_url: author
            .as_ref()
            .filter(|a| {
                a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            })
            .map(|a| format!("https://www.reddit.com/user/{a}/")),
        author_handle: author.clone(),
        author_name: author,
        title: str_field(post, "title").map(|t| unescape_text(&t)),
        text: with_poll(
            str_field(post, "selftext")
                .filter(|t| !TOMBSTONES.contains(&t.as_str()))
                .map(|t| without_spacer_paragraphs(&unescape_text(&t)))
                .filter(|t| !t.is_empty()),
            post,
        ),
        published_at: post
            .get("created_utc")
            .and_then(Value::as_f64)
            .and_then(|s| DateTime::<Utc>::from_timestamp(s as i64, 0)),
        lang: None,
        reply_to: None,
        quote_of: parent
            .and_then(|p| str_field(p, "permalink"))
            .filter(|p| p.starts_with('/'))
            .map(|p| format!("https://www.reddit.com{p}")),
        media,
        raw: Vec::new(),
    }
}

/// A gallery's images (with their captions as alt text) or the images and videos inside a post's
/// body, a reddit video with its poster, or the preview image of a link or image post.
fn media(post: &Value) -> Vec<MediaRef> {
    // A gallery (or a body) reddit is still processing lists its items before their images: its
    // preview, if any, is what it shows.
    let uploaded = uploaded_media(post);
    if !uploaded.is_empty() {
        return uploaded;
    }
    // A self post shows its body and what was uploaded into it, nothing else: the `preview`
    // reddit gives one is a picture of a link in its body (an AMA's "Proof:" link), which the post
    // shows as a link (its `thumbnail` reads "self").
    if is_self(post) {
        return Vec::new();
    }
    let preview = post
        .pointer("/preview/images/0/source")
        .and_then(|s| str_field(s, "url").map(|u| (unescape_url(&u), size(s, "width", "height"))));
    let video = post
        .pointer("/media/reddit_video")
        .or_else(|| post.pointer("/secure_media/reddit_video"));
    if let Some(video) = video
        && let Some(url) = str_field(video, "fallback_url")
    {
        let poster = preview.map(|(u, _)| u);
        return vec![hosted_video(&url, poster, size(video, "width", "height"))];
    }
    // A hosted video read while reddit is still transcoding it has `is_video` but no
    // `reddit_video` yet: the post's `url` (its v.redd.it address) is the video, the preview its
    // poster.
    if post.get("is_video").and_then(Value::as_bool) == Some(true)
        && let Some(url) = str_field(post, "url").filter(|u| is_video_host(u))
    {
        let (poster, size) = preview.unzip();
        return vec![hosted_video(&url, poster, size.unwrap_or_default())];
    }
    // A link to a video on another site (an Imgur GIF's `.gifv`, a YouTube video): reddit says
    // so with `post_hint` "rich:video" or the video oEmbed it keeps in `media`. The post shows
    // that player: the link is the video, the preview its poster.
    let linked_video = str_field(post, "post_hint").as_deref() == Some("rich:video")
        || ["/media/oembed/type", "/secure_media/oembed/type"]
            .iter()
            .any(|p| post.pointer(p).and_then(Value::as_str) == Some("video"));
    if linked_video
        && let Some(url) = str_field(post, "url")
            .map(|u| unescape_url(&u))
            .filter(|u| crate::platforms::oembed_endpoint::is_web_url(u))
    {
        let (poster, size) = preview.unzip();
        return vec![MediaRef {
            kind: MediaKind::Video,
            url,
            image_url: poster,
            width: size.and_then(|s| s.0),
            height: size.and_then(|s| s.1),
            alt: None,
        }];
    }
    // The preview `source` of an animated GIF is a still of it (`format=png8`); the post shows
    // the animation, which the preview offers as its `gif` variant (as a gallery's animated
    // image gives its `s.gif`). A video's poster above stays the still.
    let animation = post
        .pointer("/preview/images/0/variants/gif/source")
        .and_then(|s| str_field(s, "url").map(|u| (unescape_url(&u), size(s, "width", "height"))));
    animation
        .or(preview)
        .map(|(url, size)| vec![image(url, size)])
        .unwrap_or_default()
}

/// Whether the submission is a self (text) post.
fn is_self(post: &Value) -> bool {
    post.get("is_self").and_then(Value::as_bool) == Some(true)
}

/// A video reddit hosts, at `url` (escaped as the answer writes it), with its poster and size.
fn hosted_video(url: &str, poster: Option<String>, size: (Option<u32>, Option<u32>)) -> MediaRef {
    let (width, height) = size;
    MediaRef {
        kind: MediaKind::Video,
        url: unescape_url(url),
        image_url: poster,
        width,
        height,
        alt: None,
    }
}

/// An image at `url` (already unescaped), which is also its own thumbnail's source.
fn image(url: String, size: (Option<u32>, Option<u32>)) -> MediaRef {
    let (width, height) = size;
    MediaRef {
        kind: MediaKind::Image,
        image_url: Some(url.clone()),
        url,
        width,
        height,
        alt: None,
    }
}

/// Whether `url` is on reddit's video host.
fn is_video_host(url: &str) -> bool {
    Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(|h| h.eq_ignore_ascii_case("v.redd.it")))
        .unwrap_or(false)
}

/// The items of `media_metadata`: a gallery's in its `gallery_data` order with their captions,
/// otherwise (images, GIFs and videos a self post carries in its body) in the order the body
/// links them.
fn uploaded_media(post: &Value) -> Vec<MediaRef> {
    let Some(metadata) = post.get("media_metadata").and_then(Value::as_object) else {
        return Vec::new();
    };
    if let Some(items) = post
        .pointer("/gallery_data/items")
        .and_then(Value::as_array)
    {
        return items
            .iter()
            .filter_map(|item| {
                let id = item.get("media_id").and_then(Value::as_str)?;
                let mut media = uploaded_item(metadata.get(id)?)?;
                media.alt = str_field(item, "caption");
                Some(media)
            })
            .collect();
    }
    let body = post
        .get("selftext")
        .and_then(Value::as_str)
        .unwrap_or_default();
    // Only uploads (base36 ids) are the post's media: anything else keyed here (emote ids carry
    // `|`) is not shown as one. Items the body does not link keep their id order, last.
    let mut linked: Vec<(usize, &String, &Value)> = metadata
        .iter()
        .filter(|(id, _)| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric()))
        .map(|(id, meta)| (body.find(id.as_str()).unwrap_or(usize::MAX), id, meta))
        .collect();
    linked.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    linked
        .into_iter()
        .filter_map(|(at, _, meta)| {
            let mut media = uploaded_item(meta)?;
            media.alt = body.get(..at).and_then(link_text_before);
            Some(media)
        })
        .collect()
}

/// The most characters of a body media's caption.
const MAX_CAPTION_CHARS: usize = 1000;

/// The caption of a body media: the text of the markdown link whose address runs on to the end
/// of `before` (`[caption](https://preview.redd.it/ID…`), which new Reddit prints under the
/// picture. `None` for a bare address, an empty text, or one that is an address itself.
fn link_text_before(before: &str) -> Option<String> {
    let open = before.rfind("](")?;
    let address = &before[open + 2..];
    if address.contains(|c: char| c == ')' || c.is_whitespace()) {
        return None;
    }
    let start = before[..open].rfind('[')?;
    let text = before[start + 1..open].trim();
    let bad = text.is_empty()
        || text.contains(']')
        || text.chars().count() > MAX_CAPTION_CHARS
        || text.starts_with("http://")
        || text.starts_with("https://");
    (!bad).then(|| text.to_owned())
}

/// One processed `media_metadata` entry: an image (`s.u`), an animated image (`s.gif`, else its
/// `s.mp4`), or a video (`hlsUrl`, else `dashUrl`; it names no poster). Entries still
/// `unprocessed` (or `failed`) carry none of these and are skipped.
fn uploaded_item(meta: &Value) -> Option<MediaRef> {
    if meta.get("e").and_then(Value::as_str) == Some("RedditVideo") {
        let url = str_field(meta, "hlsUrl").or_else(|| str_field(meta, "dashUrl"))?;
        return Some(hosted_video(&url, None, size(meta, "x", "y")));
    }
    let source = meta.get("s")?;
    let size = size(source, "x", "y");
    if let Some(url) = str_field(source, "u").or_else(|| str_field(source, "gif")) {
        return Some(image(unescape_url(&url), size));
    }
    // An animated image offered only as MP4 is a clip without a still to thumbnail.
    let url = str_field(source, "mp4")?;
    Some(hosted_video(&url, None, size))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A crosspost of a self post shows that self post: nothing but what was uploaded into its
    /// body. The crosspost carries its parent's `preview` (a picture of a link in the parent's
    /// body, the same image), which is no more its media than the parent's.
    #[test]
    fn a_crosspost_of_a_self_post_keeps_no_picture_of_its_links() {
        // The listing child of a real answer (see its `.source.txt`).
        let child: Value = serde_json::from_slice(
            &crate::platforms::replay::fixture_answer(
                "https://oauth.reddit.com/top",
                200,
                "application/json",
                "reddit/listing-child-t3-aqzfl6-crosspost-of-self-post-2020.json",
            )
            .body,
        )
        .unwrap_or_default();
        let post = &child["data"];
        assert_eq!(post["id"], "aqzfl6");
        assert!(post.pointer("/preview/images/0/source/url").is_some());
        let c = content(post);
        assert_eq!(c.title.as_deref(), Some("Introducing r/redditsecurity"));
        assert_eq!(
            c.quote_of.as_deref(),
            Some(
                "https://www.reddit.com/r/redditsecurity/comments/aqzeq7/introducing_rredditsecurity/"
            )
        );
        assert!(c.media.is_empty(), "{:?}", c.media);
    }

    /// The body of a monthly job thread of r/typescript as reddit's JSON sends it without
    /// `raw_json`: the editor's spacer paragraph reads `&amp;#x200B;`.
    #[test]
    fn spacer_paragraphs_leave_the_body() {
        let post = serde_json::json!({
            "title": "Who's hiring",
            "selftext": "The monthly thread for people to post openings at their companies.\n\n&amp;#x200B;\n\n\\* Please state the job location.\n\n\u{200B}",
        });
        assert_eq!(
            content(&post).text.as_deref(),
            Some(
                "The monthly thread for people to post openings at their companies.\n\n\\* Please state the job location."
            )
        );
        let only = serde_json::json!({"title": "t", "selftext": "&amp;#x200B;"});
        assert_eq!(content(&only).text, None);
        // A reference written inside a sentence is the author's text.
        assert_eq!(without_spacer_paragraphs("a &#x200B; b"), "a &#x200B; b");
    }

    #[test]
    fn only_the_closing_view_poll_link_gives_way_to_the_options() {
        let poll =
            serde_json::json!({"poll_data": {"options": [{"text": "Yes"}, {"text": " No "}]}});
        let with = |body: Option<&str>| with_poll(body.map(str::to_owned), &poll);
        assert_eq!(
            with(Some(
                "Vote!\n\n[View Poll](https://www.reddit.com/poll/abc12)"
            ))
            .as_deref(),
            Some("Vote!\n\n○ Yes\n○ No")
        );
        // A link that is not the last thing, or not reddit's poll link, is the author's text.
        assert_eq!(
            with(Some(
                "See [View Poll](https://www.reddit.com/poll/abc12) (results Friday)"
            ))
            .as_deref(),
            Some(
                "See [View Poll](https://www.reddit.com/poll/abc12) (results Friday)\n\n○ Yes\n○ No"
            )
        );
        assert_eq!(
            with(Some("[View Poll](https://example.com/poll/1)")).as_deref(),
            Some("[View Poll](https://example.com/poll/1)\n\n○ Yes\n○ No")
        );
        // A body that is the link alone leaves the options; no body, the options.
        assert_eq!(
            with(Some("[View Poll](https://www.reddit.com/poll/abc12)")).as_deref(),
            Some("○ Yes\n○ No")
        );
        assert_eq!(with(None).as_deref(), Some("○ Yes\n○ No"));
        // No poll: the body as it is.
        assert_eq!(
            with_poll(
                Some("[View Poll](https://www.reddit.com/poll/abc12)".into()),
                &serde_json::json!({})
            )
            .as_deref(),
            Some("[View Poll](https://www.reddit.com/poll/abc12)")
        );
    }
}
