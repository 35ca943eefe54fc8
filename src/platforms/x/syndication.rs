//! The X syndication source (`cdn.syndication.twimg.com/tweet-result`): the richest anonymous
//! answer (text, author, date, media), the same JSON the official embed widget renders.
//!
//! Gone here means "not publicly viewable" (tombstone, `{}`, 404): age-restricted posts tombstone
//! for anonymous clients too, so the resolver confirms with oEmbed. Each of those must have this
//! endpoint's own shape: a tombstone carries its `tombstone` object, a 404 its empty body (an
//! HTML or JSON 404 page from something in front of the CDN is not the endpoint's answer). A
//! `Tweet` is live only when it names the post's text, author, media or date. Anything it cannot
//! read is transient, never gone.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use url::Url;

use super::token::syndication_token;
use crate::model::{MediaKind, MediaRef, PostContent, Resolution, is_language_tag};
use crate::platforms::source::{Answer, SourceError, check_status};
use crate::platforms::verdict::{self, Field, OwnBody};

/// Source name of this endpoint.
pub const SOURCE: &str = "x-syndication";

/// What makes an answer a live post: a real `Tweet` carries `text`, `user` and `created_at`, and
/// `mediaDetails` when it shows media.
const IDENTIFYING: &[Field] = &[Field::Text, Field::Author, Field::Media, Field::Published];

/// The endpoint's own 404, as recorded: no body.
const OWN_404: &[OwnBody] = &[OwnBody::Empty];

/// The request URL for a numeric post id.
pub fn url(post_id: &str) -> Result<Url, SourceError> {
    let bad = |reason: &str| SourceError::BadPostId {
        source_name: SOURCE.to_owned(),
        post_id: post_id.to_owned(),
        reason: reason.to_owned(),
    };
    if post_id.len() > 40 {
        return Err(bad("longer than 40 digits"));
    }
    let token = syndication_token(post_id).ok_or_else(|| bad("not a decimal number"))?;
    Url::parse(&format!(
        "https://cdn.syndication.twimg.com/tweet-result?id={post_id}&lang=en&token={token}"
    ))
    .map_err(|e| bad(&e.to_string()))
}

/// The answer read as a tweet result, or the verdict when it is none (boxed: a verdict is
/// large next to a result). Read straight from its bytes: a generic JSON value of it (and a
/// copy of that) took some 24 times a long post's answer in memory. Where that read fails, the
/// answer is read again through a generic value, for a key written twice (its last value
/// stands) and for the evidence of what it is.
fn read_tweet(body: &[u8]) -> Result<TweetResult, Box<Resolution>> {
    let empty_object = || {
        body.iter()
            .filter(|b| !b.is_ascii_whitespace())
            .eq(b"{}".iter())
    };
    if body.trim_ascii_start().first() == Some(&b'{')
        && let Ok(tweet) = serde_json::from_slice::<TweetResult>(body)
    {
        if empty_object() {
            return Err(Box::new(Resolution::gone(
                SOURCE,
                format!("empty object {{}} from {SOURCE}"),
            )));
        }
        return Ok(tweet);
    }
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        Box::new(Resolution::transient(
            SOURCE,
            format!("non-JSON answer from {SOURCE}: {e}"),
        ))
    })?;
    match value.as_object() {
        None => {
            return Err(Box::new(Resolution::transient(
                SOURCE,
                format!("{SOURCE} answered JSON that is not an object"),
            )));
        }
        Some(object) if object.is_empty() => {
            return Err(Box::new(Resolution::gone(
                SOURCE,
                format!("empty object {{}} from {SOURCE}"),
            )));
        }
        Some(_) => {}
    }
    serde_json::from_value(value).map_err(|e| {
        Box::new(Resolution::transient(
            SOURCE,
            format!("unreadable answer from {SOURCE}: {e}"),
        ))
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TweetResult {
    #[serde(rename = "__typename")]
    typename: Option<String>,
    /// The post's own id, as a string (the number overflows JavaScript's).
    id_str: Option<String>,
    text: Option<String>,
    created_at: Option<String>,
    user: Option<User>,
    #[serde(rename = "mediaDetails")]
    media_details: Vec<MediaDetail>,
    note_tweet: Option<serde_json::Value>,
    tombstone: Option<serde_json::Value>,
    lang: Option<String>,
    in_reply_to_status_id_str: Option<String>,
    in_reply_to_screen_name: Option<String>,
    quoted_tweet: Option<QuotedTweet>,
    /// An X article: the post's own text is only a t.co link to it.
    article: Option<Article>,
    /// The link preview a post without media shows (`summary`, `summary_large_image`,
    /// `player`): read leniently, as an extra.
    card: Option<serde_json::Value>,
    /// The post's links, for the address behind the card's t.co link.
    entities: Option<serde_json::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct QuotedTweet {
    id_str: Option<String>,
    user: Option<User>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Article {
    title: Option<String>,
    preview_text: Option<String>,
    cover_media: Option<CoverMedia>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CoverMedia {
    media_info: Option<CoverInfo>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CoverInfo {
    original_img_url: Option<String>,
    original_img_width: Option<u32>,
    original_img_height: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct User {
    name: Option<String>,
    screen_name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MediaDetail {
    #[serde(rename = "type")]
    kind: Option<String>,
    media_url_https: Option<String>,
    original_info: Option<OriginalInfo>,
    video_info: Option<VideoInfo>,
    ext_alt_text: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OriginalInfo {
    width: Option<u32>,
    height: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct VideoInfo {
    variants: Vec<Variant>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Variant {
    url: Option<String>,
    content_type: Option<String>,
    bitrate: Option<u64>,
}

/// Classify one syndication answer.
pub fn parse(answer: &Answer) -> Resolution {
    if let Err(e) = check_status(SOURCE, answer) {
        return e.into_transient();
    }
    match answer.status {
        404 => {
            return verdict::gone_if_own_answer(SOURCE, answer, OWN_404, || {
                format!("HTTP 404 from {SOURCE}")
            });
        }
        200 => {}
        other => return Resolution::transient(SOURCE, format!("HTTP {other} from {SOURCE}")),
    }
    let tweet = match read_tweet(&answer.body) {
        Ok(tweet) => tweet,
        Err(verdict) => return *verdict,
    };
    match tweet.typename.as_deref() {
        Some("TweetTombstone") if !tweet.tombstone.as_ref().is_some_and(|t| t.is_object()) => {
            return Resolution::transient(
                SOURCE,
                format!(
                    "TweetTombstone without its tombstone object from {SOURCE}: not its own shape"
                ),
            );
        }
        Some("TweetTombstone") => {
            let said = tweet
                .tombstone
                .as_ref()
                .and_then(|t| t.pointer("/text/text"))
                .and_then(|t| t.as_str())
                .map(|t| format!(": {t}"))
                .unwrap_or_default();
            return Resolution::gone(SOURCE, format!("TweetTombstone from {SOURCE}{said}"));
        }
        Some("Tweet") => {}
        // Older answers carry no type name; a text and a user are enough to call it a post.
        None if tweet.text.is_some() && tweet.user.is_some() => {}
        Some(other) => {
            return Resolution::transient(
                SOURCE,
                format!("unknown __typename {other:?} from {SOURCE}"),
            );
        }
        None => {
            return Resolution::transient(
                SOURCE,
                format!("answer from {SOURCE} has no __typename and no text"),
            );
        }
    }
    // A post that names another id is not the one asked about (a cache or a proxy mixing
    // answers up): archiving it would put another account's words under this post.
    if let (Some(asked), Some(said)) = (asked_id(answer), tweet.id_str.as_deref())
        && asked != said
    {
        return Resolution::transient(
            SOURCE,
            format!("{SOURCE} answered about status {said:?}, not {asked}"),
        );
    }
    verdict::live(content(tweet, answer), IDENTIFYING)
}

/// The status id the request asked for: the `id` of its query.
fn asked_id(answer: &Answer) -> Option<String> {
    let url = Url::parse(&answer.url).ok()?;
    url.query_pairs()
        .find(|(k, _)| k == "id")
        .map(|(_, v)| v.into_owned())
}

fn content(tweet: TweetResult, answer: &Answer) -> PostContent {
    let handle = tweet
        .user
        .as_ref()
        .and_then(|u| u.screen_name.clone())
        .filter(|h| !h.is_empty());
    let article = tweet.article.as_ref();
    let mut media: Vec<MediaRef> = article.and_then(cover_image).into_iter().collect();
    media.extend(tweet.media_details.iter().filter_map(media_ref));
    if media.is_empty() {
        media.extend(card_picture(&tweet));
    }
    // An article's post text is a bare t.co link to it: its preview is what a reader sees.
    let text = article
        .and_then(|a| trimmed(&a.preview_text))
        .map(|t| unescape(&t))
        .or_else(|| {
            // A long post's whole text names its links in its own entities where it has them;
            // its t.co links are those of the post's entities otherwise.
            let (text, entities) = match tweet.note_tweet.as_ref().and_then(note_tweet_text) {
                Some((text, own)) => (text, own.or(tweet.entities.as_ref())),
                None => (tweet.text.clone()?, tweet.entities.as_ref()),
            };
            Some(shown_links(&unescape(&text), entities)).filter(|t| !t.is_empty())
        });
    let reply_to = tweet
        .in_reply_to_status_id_str
        .as_deref()
        .and_then(|id| status_url(tweet.in_reply_to_screen_name.as_deref(), id));
    let quote_of = tweet.quoted_tweet.as_ref().and_then(|q| {
        let handle = q.user.as_ref().and_then(|u| u.screen_name.as_deref());
        status_url(handle, q.id_str.as_deref()?)
    });
    PostContent {
        source: SOURCE.to_owned(),
        author_name: tweet.user.as_ref().and_then(|u| u.name.clone()),
        author_url: handle.as_ref().map(|h| super::profile_url(h)),
        author_handle: handle,
        title: article
            .and_then(|a| trimmed(&a.title))
            .map(|t| unescape(&t)),
        text,
        published_at: tweet.created_at.as_deref().and_then(parse_date),
        lang: tweet.lang.as_deref().and_then(language),
        reply_to,
        quote_of,
        media,
        raw: vec![answer.raw()],
    }
}

/// The text, trimmed, unless it is empty (an owned copy: unlike `readers::non_empty`).
fn trimmed(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// The post's language, unless X says it has none it can name: `und` (undetermined), `zxx` (no
/// linguistic content, e.g. a bare link) and X's own `q..` codes (media only, hashtags only, ...),
/// which sit in BCP 47's private-use range `qaa`-`qtz` and name no language.
fn language(code: &str) -> Option<String> {
    let code = code.trim();
    let private = code.len() == 3 && code.starts_with('q');
    (is_language_tag(code) && !private && !matches!(code, "und" | "zxx")).then(|| code.to_owned())
}

/// The status URL of another post, from its decimal id (and its author's handle when known).
fn status_url(handle: Option<&str>, id: &str) -> Option<String> {
    if id.is_empty() || id.len() > 40 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let handle = handle
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        .unwrap_or("i");
    Some(format!("https://x.com/{handle}/status/{id}"))
}

/// An article's cover image, as the first media item.
fn cover_image(article: &Article) -> Option<MediaRef> {
    let info = article.cover_media.as_ref()?.media_info.as_ref()?;
    // Only a web address becomes a picture: never `javascript:`, `data:` or the like.
    let url = trimmed(&info.original_img_url)
        .filter(|u| crate::platforms::oembed_endpoint::is_web_url(u))?;
    Some(MediaRef {
        kind: MediaKind::Image,
        image_url: Some(url.clone()),
        url,
        width: info.original_img_width,
        height: info.original_img_height,
        alt: None,
    })
}

/// The pictures of a link card, largest first, under the names the syndication answer gives
/// them (a `player` card's for a video link).
const CARD_IMAGES: &[&str] = &[
    "photo_image_full_size_original",
    "summary_photo_image_original",
    "thumbnail_image_original",
    "player_image_original",
    "photo_image_full_size_large",
    "summary_photo_image_large",
    "thumbnail_image_large",
    "player_image_large",
    "photo_image_full_size",
    "summary_photo_image",
    "thumbnail_image",
    "player_image",
];

/// The link card of a post without media, kept as the linked page pictured by the card's
/// image, as a Mastodon or Bluesky link card is: the card is what the post shows. The link is
/// the address behind the card's t.co link when the post's entities name it.
fn card_picture(tweet: &TweetResult) -> Option<MediaRef> {
    let card = tweet.card.as_ref()?;
    let bindings = card.get("binding_values")?;
    let web = |u: &str| crate::platforms::oembed_endpoint::is_web_url(u.trim());
    let (image, image_url) = CARD_IMAGES.iter().find_map(|name| {
        let image = bindings.get(*name)?.get("image_value")?;
        let url = image
            .get("url")?
            .as_str()
            .map(str::trim)
            .filter(|u| web(u))?;
        Some((image, url.to_owned()))
    })?;
    let short = card
        .get("url")
        .or_else(|| bindings.pointer("/card_url/string_value"))
        .and_then(|u| u.as_str())?;
    let expanded = tweet
        .entities
        .as_ref()
        .and_then(|e| e.get("urls"))
        .and_then(|u| u.as_array())
        .into_iter()
        .flatten()
        .find(|u| u.get("url").and_then(|v| v.as_str()) == Some(short))
        .and_then(|u| u.get("expanded_url")?.as_str());
    let url = expanded
        .filter(|u| web(u))
        .or(Some(short).filter(|u| web(u)))?;
    let text = |v: Option<&serde_json::Value>| {
        v.and_then(|v| v.as_str())
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    let size = |key: &str| {
        image
            .get(key)
            .and_then(serde_json::Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n > 0)
    };
    Some(MediaRef {
        kind: MediaKind::Image,
        url: url.trim().to_owned(),
        image_url: Some(image_url),
        width: size("width"),
        height: size("height"),
        alt: text(image.get("alt")).or_else(|| text(bindings.pointer("/title/string_value"))),
    })
}

/// The most link entities a post's answer is read for ([`shown_links`]).
const MAX_LINK_ENTITIES: usize = 500;

/// A post's text with its links as a reader can follow them: the t.co link of the post's own
/// photos or video (`entities.media`) left out, as the embed shows it (the media items keep
/// what it pointed at), and every other t.co link written as the address behind it
/// (`entities.urls[].expanded_url`), so that the archived text still says where it pointed
/// when t.co does not answer. Links the entities do not name, and addresses holding spaces or
/// control characters (which would write text the post does not have), stay as written.
fn shown_links(text: &str, entities: Option<&serde_json::Value>) -> String {
    let Some(entities) = entities else {
        return text.trim().to_owned();
    };
    fn field<'v>(e: &'v serde_json::Value, key: &str) -> Option<&'v str> {
        e.get(key)
            .and_then(|v| v.as_str())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }
    let listed = |key: &str| {
        entities
            .get(key)
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
    };
    // A post has a few dozen links at most; an answer naming more is not read for them.
    if listed("urls").count() + listed("media").count() > MAX_LINK_ENTITIES {
        return text.trim().to_owned();
    }
    let mut written: HashMap<&str, &str> = HashMap::new();
    for media in listed("media") {
        if let Some(short) = field(media, "url") {
            written.insert(short, "");
        }
    }
    for link in listed("urls") {
        let behind = field(link, "expanded_url")
            .filter(|u| crate::platforms::oembed_endpoint::is_plain_web_url(u));
        if let (Some(short), Some(behind)) = (field(link, "url"), behind) {
            written.entry(short).or_insert(behind);
        }
    }
    // One pass over the text as X wrote it: an address written in is never read again. Each
    // search starts where the last link ended, so the pass is linear in the text.
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(host_at) = rest.find("://t.co/") {
        let scheme = ["https", "http"]
            .into_iter()
            .find(|s| rest[..host_at].ends_with(s));
        let after_host = host_at + "://t.co/".len();
        let Some(scheme) = scheme else {
            out.push_str(&rest[..after_host]);
            rest = &rest[after_host..];
            continue;
        };
        let at = host_at - scheme.len();
        // A t.co code is letters and digits; what follows it (a full stop, `…`) is text.
        let code = rest[after_host..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len() - after_host);
        let link = &rest[at..after_host + code];
        out.push_str(&rest[..at]);
        let behind = written.get(link).copied().unwrap_or(link);
        // Addresses written in never make the text more than twice what X wrote, whatever
        // an answer's entities say.
        out.push_str(if out.len() + behind.len() <= 2 * text.len() + 4096 {
            behind
        } else {
            link
        });
        rest = &rest[after_host + code..];
    }
    out.push_str(rest);
    out.trim().to_owned()
}

/// The full text of a long post. The syndication answer has used more than one shape for it.
/// With it, the entities of that text (`entity_set` beside it, as X's API writes them), where
/// the answer carries them.
fn note_tweet_text(note: &serde_json::Value) -> Option<(String, Option<&serde_json::Value>)> {
    ["", "/note_tweet_results/result", "/result"]
        .iter()
        .find_map(|at| {
            let text = note
                .pointer(&format!("{at}/text"))
                .and_then(|t| t.as_str())
                .filter(|t| !t.is_empty())?;
            let entities = note.pointer(&format!("{at}/entity_set"));
            Some((text.to_owned(), entities))
        })
}

/// Post text comes HTML-escaped for `&`, `<` and `>` (as in the v1.1 API); readers want the
/// characters. `&amp;` goes last so an escaped `&lt;` stays the literal text "&lt;".
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

fn media_ref(detail: &MediaDetail) -> Option<MediaRef> {
    let poster = detail.media_url_https.clone();
    let (width, height) = detail
        .original_info
        .as_ref()
        .map_or((None, None), |o| (o.width, o.height));
    match detail.kind.as_deref() {
        Some("video" | "animated_gif") => {
            let best = detail.video_info.as_ref().and_then(|v| {
                v.variants
                    .iter()
                    .filter(|v| v.content_type.as_deref() == Some("video/mp4"))
                    .filter_map(|v| v.url.as_ref().map(|u| (v.bitrate.unwrap_or(0), u)))
                    .max_by_key(|(bitrate, _)| *bitrate)
                    .map(|(_, u)| u.clone())
            });
            // Without an mp4 the poster is all there is to keep.
            let url = best.or_else(|| poster.clone())?;
            Some(MediaRef {
                kind: MediaKind::Video,
                url,
                image_url: poster,
                width,
                height,
                alt: trimmed(&detail.ext_alt_text),
            })
        }
        _ => {
            let url = poster?;
            Some(MediaRef {
                kind: MediaKind::Image,
                image_url: Some(url.clone()),
                url,
                width,
                height,
                alt: trimmed(&detail.ext_alt_text),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CheckOutcome;
    use crate::platforms::replay::fixture_answer;

    fn sample(status: u16, file: &str) -> Answer {
        fixture_answer(
            "https://cdn.syndication.twimg.com/tweet-result?token=1",
            status,
            "application/json",
            &format!("x/{file}"),
        )
    }

    fn body(status: u16, body: &str) -> Answer {
        Answer {
            url: "https://cdn.syndication.twimg.com/tweet-result?token=1".into(),
            status,
            content_type: Some("application/json".into()),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn recorded_answers_classify_as_the_manifest_says() {
        let cases = [
            (200, "syndication-20-tweet-text.json", CheckOutcome::Live),
            (
                200,
                "syndication-1700000000000000001-tombstone.json",
                CheckOutcome::Gone,
            ),
            (
                200,
                "syndication-1700000000000000002-empty.json",
                CheckOutcome::Gone,
            ),
            (
                404,
                "syndication-1700000000000000003-404.txt",
                CheckOutcome::Gone,
            ),
        ];
        for (status, file, want) in cases {
            assert_eq!(parse(&sample(status, file)).outcome(), Some(want), "{file}");
        }
    }

    #[test]
    fn live_answer_gives_author_text_and_date() {
        let Resolution::Live(c) = parse(&sample(200, "syndication-20-tweet-text.json")) else {
            panic!("expected live");
        };
        assert_eq!(c.source, "x-syndication");
        assert_eq!(c.author_name.as_deref(), Some("jack"));
        assert_eq!(c.author_handle.as_deref(), Some("jack"));
        assert_eq!(c.author_url.as_deref(), Some("https://x.com/jack"));
        assert_eq!(c.text.as_deref(), Some("just setting up my twttr"));
        assert_eq!(
            c.published_at.map(|d| d.to_rfc3339()),
            Some("2006-03-21T20:50:14+00:00".to_owned())
        );
        assert!(c.media.is_empty());
        assert_eq!(c.raw.len(), 1);
        assert_eq!(
            c.raw[0].bytes,
            sample(200, "syndication-20-tweet-text.json").body
        );
    }

    #[test]
    fn an_article_keeps_its_title_preview_and_cover_instead_of_a_bare_link() {
        let file = "syndication-2064997219648913457-article.json";
        let Resolution::Live(c) = parse(&sample(200, file)) else {
            panic!("expected live");
        };
        assert_eq!(c.author_handle.as_deref(), Some("eliana_jordan"));
        assert_eq!(
            c.title.as_deref(),
            Some(
                "My Instagram was dead for a year. One weekend changed that. 100K views, \
                 500+ followers, 300+ users"
            )
        );
        let text = c.text.as_deref().unwrap_or_default();
        assert!(
            text.starts_with("My Instagram had 23K followers and was completely dead.\n800 views"),
            "{text}"
        );
        assert!(!text.contains("t.co"), "{text}");
        assert_eq!(c.media.len(), 1);
        let cover = &c.media[0];
        assert_eq!(cover.kind, MediaKind::Image);
        assert_eq!(cover.url, "https://pbs.twimg.com/media/HKe-43fX0AAfDI_.jpg");
        assert_eq!(cover.image_url.as_deref(), Some(cover.url.as_str()));
        assert_eq!((cover.width, cover.height), (Some(1920), Some(768)));
        // `zxx`: the post itself (a link) has no language; none is claimed for the article.
        assert_eq!(c.lang, None);
        assert_eq!((c.reply_to.as_deref(), c.quote_of.as_deref()), (None, None));
    }

    /// A post without media shows its link's card: kept as the linked page (the address behind
    /// the t.co link) pictured by the card's largest image, as a Mastodon link card is.
    #[test]
    fn a_post_without_media_keeps_its_link_card_picture() {
        let file = "syndication-1703436713362870723-card.json";
        let Resolution::Live(c) = parse(&sample(200, file)) else {
            panic!("expected live");
        };
        assert_eq!(c.author_handle.as_deref(), Some("rhaksw"));
        assert_eq!(c.media.len(), 1, "{:?}", c.media);
        let card = &c.media[0];
        assert_eq!(card.kind, MediaKind::Image);
        assert_eq!(
            card.url,
            "https://reddit.com/r/technology/comments/16jlhj7/we_are_senator_ron_wyden_fight_for_the_future/"
        );
        assert_eq!(
            card.image_url.as_deref(),
            Some(
                "https://pbs.twimg.com/card_img/1702940668891377664/wjPofjBa?format=jpg&name=orig"
            )
        );
        assert_eq!((card.width, card.height), (Some(1120), Some(584)));
        assert!(
            card.alt
                .as_deref()
                .is_some_and(|a| a.starts_with("From the technology community on Reddit")),
            "{:?}",
            card.alt
        );
        // Media of its own win over the card; a card picture that is no web address, or a card
        // without one, is none.
        let with = |card: &str, media: &str| {
            format!(
                r#"{{"__typename":"Tweet","text":"t","user":{{"screen_name":"a"}},
                "mediaDetails":{media},"card":{card}}}"#
            )
        };
        let image = |url: &str| {
            format!(
                r#"{{"url":"https://t.co/x","binding_values":{{"thumbnail_image":
                {{"image_value":{{"url":"{url}","width":0}}}}}}}}"#
            )
        };
        let photo = r#"[{"type":"photo","media_url_https":"https://pbs.twimg.com/media/a.jpg"}]"#;
        for (answer, want) in [
            (
                with(&image("https://pbs.twimg.com/c.jpg"), "[]"),
                Some("https://pbs.twimg.com/c.jpg"),
            ),
            (
                with(&image("https://pbs.twimg.com/c.jpg"), photo),
                Some("https://pbs.twimg.com/media/a.jpg"),
            ),
            (with(&image("javascript:alert(1)"), "[]"), None),
            (with(r#"{"url":"https://t.co/x"}"#, "[]"), None),
            (with(r#""summary""#, "[]"), None),
        ] {
            let Resolution::Live(c) = parse(&body(200, &answer)) else {
                panic!("expected live: {answer}");
            };
            let got = c.media.first().and_then(|m| m.image_url.as_deref());
            assert_eq!(got, want, "{answer}");
            if let Some(m) = c
                .media
                .first()
                .filter(|_| want.is_some_and(|w| w.contains("/c.jpg")))
            {
                // The t.co link is kept when the post's entities do not name what is behind it;
                // a width of 0 says nothing.
                assert_eq!((m.url.as_str(), m.width), ("https://t.co/x", None));
            }
        }
    }

    #[test]
    fn a_photo_post_gives_language_and_its_image() {
        let Resolution::Live(c) = parse(&sample(200, "syndication-266031293945503744-photo.json"))
        else {
            panic!("expected live");
        };
        assert_eq!(c.title, None);
        // The t.co link of the photo is left out of the text, as the embed shows it: the
        // photo is the media item below.
        assert_eq!(c.text.as_deref(), Some("Four more years."));
        assert_eq!(c.lang.as_deref(), Some("en"));
        assert_eq!(c.media.len(), 1);
        assert_eq!(
            c.media[0].url,
            "https://pbs.twimg.com/media/A7EiDWcCYAAZT1D.jpg"
        );
        assert_eq!(
            (c.media[0].width, c.media[0].height),
            (Some(800), Some(532))
        );
        // The recorded answer has no ext_alt_text: no alt is made up.
        assert_eq!(c.media[0].alt, None);
        assert_eq!((c.reply_to.as_deref(), c.quote_of.as_deref()), (None, None));
    }

    #[test]
    fn languages_x_cannot_name_are_left_out() {
        assert_eq!(language("en").as_deref(), Some("en"));
        assert_eq!(language("pt-BR").as_deref(), Some("pt-BR"));
        for none in ["", "und", "zxx", "qme", "qht", "en\"><script>"] {
            assert_eq!(language(none), None, "{none}");
        }
    }

    #[test]
    fn codes_without_a_tags_shape_are_left_out() {
        assert_eq!(language(" es-419 ").as_deref(), Some("es-419"));
        for bad in ["e", "1a", "en-", "en--US", "-en", "en-toolongsub"] {
            assert_eq!(language(bad), None, "{bad}");
        }
    }

    #[test]
    fn status_urls_are_built_only_from_decimal_ids_and_plain_handles() {
        assert_eq!(
            status_url(Some("jack"), "20").as_deref(),
            Some("https://x.com/jack/status/20")
        );
        assert_eq!(
            status_url(None, "20").as_deref(),
            Some("https://x.com/i/status/20")
        );
        assert_eq!(
            status_url(Some("a/../b"), "20").as_deref(),
            Some("https://x.com/i/status/20")
        );
        assert_eq!(status_url(Some("jack"), "20?x"), None);
        assert_eq!(status_url(Some("jack"), ""), None);
    }

    #[test]
    fn evidence_names_what_was_seen() {
        let cases = [
            (
                sample(200, "syndication-1700000000000000001-tombstone.json"),
                "TweetTombstone",
            ),
            (
                sample(200, "syndication-1700000000000000002-empty.json"),
                "{}",
            ),
            (
                sample(404, "syndication-1700000000000000003-404.txt"),
                "HTTP 404",
            ),
        ];
        for (answer, want) in cases {
            match parse(&answer) {
                Resolution::Gone { source, evidence } => {
                    assert_eq!(source, SOURCE);
                    assert!(evidence.contains(want), "{evidence}");
                }
                other => panic!("expected gone, got {other:?}"),
            }
        }
    }

    #[test]
    fn unreadable_or_unknown_answers_are_transient() {
        let cases = [
            body(200, "<html>blocked</html>"),
            body(200, "[]"),
            body(200, r#"{"__typename":"TweetUnavailable","reason":"x"}"#),
            body(200, r#"{"foo":1}"#),
            body(429, "{}"),
            body(500, "{}"),
            body(503, ""),
            body(599, ""),
            body(403, "{}"),
            body(401, ""),
        ];
        for answer in cases {
            assert_eq!(
                parse(&answer).outcome(),
                Some(CheckOutcome::Transient),
                "{} {:?}",
                answer.status,
                String::from_utf8_lossy(&answer.body)
            );
        }
    }

    #[test]
    fn media_and_long_text_are_read() {
        let json = r#"{
          "__typename": "Tweet", "text": "short https://t.co/x", "created_at": "2023-09-17T15:52:15.000Z",
          "note_tweet": {"id": "1", "text": "the whole long text"},
          "user": {"name": "N", "screen_name": "h"},
          "mediaDetails": [
            {"type": "photo", "media_url_https": "https://pbs.twimg.com/media/a.jpg",
             "original_info": {"width": 1200, "height": 800}},
            {"type": "video", "media_url_https": "https://pbs.twimg.com/poster.jpg",
             "original_info": {"width": 1280, "height": 720},
             "video_info": {"variants": [
               {"content_type": "application/x-mpegURL", "url": "https://video.twimg.com/pl.m3u8"},
               {"content_type": "video/mp4", "bitrate": 832000, "url": "https://video.twimg.com/low.mp4"},
               {"content_type": "video/mp4", "bitrate": 2176000, "url": "https://video.twimg.com/high.mp4"}]}},
            {"type": "animated_gif", "media_url_https": "https://pbs.twimg.com/gif.jpg",
             "video_info": {"variants": [{"content_type": "video/mp4", "bitrate": 0, "url": "https://video.twimg.com/gif.mp4"}]}}
          ]}"#;
        let Resolution::Live(c) = parse(&body(200, json)) else {
            panic!("expected live");
        };
        assert_eq!(c.text.as_deref(), Some("the whole long text"));
        let media: Vec<_> = c
            .media
            .iter()
            .map(|m| {
                (
                    m.kind,
                    m.url.as_str(),
                    m.image_url.as_deref(),
                    m.width,
                    m.height,
                )
            })
            .collect();
        assert_eq!(
            media,
            vec![
                (
                    MediaKind::Image,
                    "https://pbs.twimg.com/media/a.jpg",
                    Some("https://pbs.twimg.com/media/a.jpg"),
                    Some(1200),
                    Some(800)
                ),
                (
                    MediaKind::Video,
                    "https://video.twimg.com/high.mp4",
                    Some("https://pbs.twimg.com/poster.jpg"),
                    Some(1280),
                    Some(720)
                ),
                (
                    MediaKind::Video,
                    "https://video.twimg.com/gif.mp4",
                    Some("https://pbs.twimg.com/gif.jpg"),
                    None,
                    None
                ),
            ]
        );
    }

    #[test]
    fn request_url_has_the_recorded_shape() {
        assert_eq!(
            url("20").expect("valid id").as_str(),
            "https://cdn.syndication.twimg.com/tweet-result?id=20&lang=en&token=6dq1a2xwd93"
        );
        assert_eq!(
            url("1700000000000000001").expect("valid id").as_str(),
            "https://cdn.syndication.twimg.com/tweet-result?id=1700000000000000001&lang=en&token=44cpgxmyurn"
        );
        for bad in ["", "abc", "12/3", &"9".repeat(41)] {
            assert!(url(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_recorded_photo_post_names_its_author_date_and_image() {
        let file = "syndication-266031293945503744-photo.json";
        let Resolution::Live(c) = parse(&sample(200, file)) else {
            panic!("expected live");
        };
        assert_eq!(c.author_name.as_deref(), Some("Barack Obama"));
        assert_eq!(c.author_handle.as_deref(), Some("BarackObama"));
        assert_eq!(c.author_url.as_deref(), Some("https://x.com/BarackObama"));
        assert_eq!(
            c.published_at.map(|d| d.to_rfc3339()),
            Some("2012-11-07T04:16:18+00:00".to_owned())
        );
        let photo = &c.media[0];
        assert_eq!(photo.kind, MediaKind::Image);
        // A photo is its own thumbnail source.
        assert_eq!(photo.image_url.as_deref(), Some(photo.url.as_str()));
    }

    /// Regression: an answer about another status (a cache or proxy mixing answers up) was
    /// archived as the asked post, another account's words under it. It is no word on it.
    #[test]
    fn an_answer_about_another_status_is_transient() {
        let json = r#"{"__typename":"Tweet","id_str":"1234567","text":"Buy crypto now",
            "user":{"screen_name":"scam","name":"Scam"}}"#;
        let asked = |id: &str| Answer {
            url: format!("https://cdn.syndication.twimg.com/tweet-result?id={id}&token=x"),
            ..body(200, json)
        };
        let other = parse(&asked("20"));
        assert_eq!(other.outcome(), Some(CheckOutcome::Transient), "{other:?}");
        assert!(format!("{other:?}").contains("not 20"), "{other:?}");
        assert_eq!(parse(&asked("1234567")).outcome(), Some(CheckOutcome::Live));
    }

    /// Syndication answers for long posts carry `note_tweet` with only its id (as other
    /// projects' recorded bodies show: `"note_tweet":{"id":"Tm90ZVR3ZWV0UmVzdWx0czo..."}`), not
    /// its text: the visible, truncated text is what there is.
    #[test]
    fn a_note_tweet_naming_only_its_id_keeps_the_visible_text() {
        let json = r#"{"__typename":"Tweet","id_str":"2043148422224785477","text":"short text",
            "created_at":"2026-04-12T02:05:18.000Z",
            "user":{"screen_name":"qinbafrank","name":"qinbafrank"},
            "note_tweet":{"id":"Tm90ZVR3ZWV0UmVzdWx0czoyMDQzMTQ4NDIyMDg2MzA3ODQw"}}"#;
        let Resolution::Live(c) = parse(&body(200, json)) else {
            panic!("expected live");
        };
        assert_eq!(c.text.as_deref(), Some("short text"));
    }

    /// Posts in restricted contexts answer with an empty tombstone: gone here, and the resolver
    /// asks oEmbed before it believes it.
    #[test]
    fn an_empty_tombstone_is_gone_for_the_resolver_to_confirm() {
        let answer = body(200, r#"{"__typename":"TweetTombstone","tombstone":{}}"#);
        let got = parse(&answer);
        assert_eq!(got.outcome(), Some(CheckOutcome::Gone));
        assert!(super::super::resolve::needs_oembed(&got));
    }

    /// The shape of a real answer (post 1641086480675225601): a link in the text, and the
    /// photo's own t.co link at its end.
    #[test]
    fn links_are_written_as_their_addresses_and_the_photos_left_out() {
        let json = serde_json::json!({
            "__typename": "Tweet",
            "text": "I wrote a post: https://t.co/4G6RAMfrHy\n\nSee https://t.co/4G6RAMfrHyZ &amp; https://t.co/nope! https://t.co/rQd6FIwZ0U",
            "display_text_range": [0, 93],
            "entities": {
                "urls": [
                    {"url": "https://t.co/4G6RAMfrHy", "expanded_url": "https://github.com/reactwg/react-native-new-architecture/discussions/110"},
                    {"url": "https://t.co/nope", "expanded_url": "javascript:alert(1)"}
                ],
                "media": [{"url": "https://t.co/rQd6FIwZ0U", "expanded_url": "https://twitter.com/SamuelSusla/status/1641086480675225601/photo/1"}]
            },
            "user": {"name": "n", "screen_name": "h"}
        });
        let Resolution::Live(c) = parse(&body(200, &json.to_string())) else {
            panic!("expected live");
        };
        // A link that only begins like a named one, and one whose address is no web address,
        // stay as written.
        assert_eq!(
            c.text.as_deref(),
            Some(
                "I wrote a post: https://github.com/reactwg/react-native-new-architecture/discussions/110\n\nSee https://t.co/4G6RAMfrHyZ & https://t.co/nope!"
            )
        );
        // An address written in is not read again, and one that would write more than an
        // address (a line break, a space) is not written.
        let json = serde_json::json!({
            "__typename": "Tweet",
            "text": "https://t.co/A1 https://t.co/B2 https://t.co/C3.",
            "entities": {"urls": [
                {"url": "https://t.co/A1", "expanded_url": "https://e.example/?u=https://t.co/B2"},
                {"url": "https://t.co/B2", "expanded_url": "https://b.example/"},
                {"url": "https://t.co/C3", "expanded_url": "https://c.example/\n\nPosted by @other"}
            ]},
            "user": {"name": "n", "screen_name": "h"}
        });
        let Resolution::Live(c) = parse(&body(200, &json.to_string())) else {
            panic!("expected live");
        };
        assert_eq!(
            c.text.as_deref(),
            Some("https://e.example/?u=https://t.co/B2 https://b.example/ https://t.co/C3.")
        );
        // An answer naming more links than a post has is not read for them, and addresses
        // written in never make the text more than twice its size.
        let many: Vec<serde_json::Value> = (0..=MAX_LINK_ENTITIES)
            .map(|i| serde_json::json!({"url": format!("https://t.co/a{i}"), "expanded_url": "https://e.example/"}))
            .collect();
        let entities = serde_json::json!({ "urls": many });
        assert_eq!(
            shown_links("see https://t.co/a1", Some(&entities)),
            "see https://t.co/a1"
        );
        let long = format!("https://e.example/{}", "x".repeat(3_000));
        let entities =
            serde_json::json!({"urls": [{"url": "https://t.co/a1", "expanded_url": long}]});
        let text = "https://t.co/a1 ".repeat(3);
        let out = shown_links(&text, Some(&entities));
        assert!(out.len() <= 2 * text.len() + 4096, "{}", out.len());
        assert!(out.starts_with("https://e.example/"), "{out}");
        assert!(out.ends_with("https://t.co/a1"), "{out}");
        // A t.co address in another scheme, or none, is text.
        let entities = serde_json::json!({"urls": [{"url": "https://t.co/a1", "expanded_url": "https://e.example/"}]});
        assert_eq!(
            shown_links(
                "ftp://t.co/a1 and ://t.co/a1 and https://t.co/a1",
                Some(&entities)
            ),
            "ftp://t.co/a1 and ://t.co/a1 and https://e.example/"
        );
        // A post of a photo alone has no text.
        let json = serde_json::json!({
            "__typename": "Tweet", "text": "https://t.co/rQd6FIwZ0U",
            "entities": {"media": [{"url": "https://t.co/rQd6FIwZ0U"}]},
            "user": {"name": "n", "screen_name": "h"}
        });
        let Resolution::Live(c) = parse(&body(200, &json.to_string())) else {
            panic!("expected live");
        };
        assert_eq!(c.text, None);
    }

    #[test]
    fn text_entities_are_unescaped_once() {
        let cases = [
            ("a &amp; b", "a & b"),
            ("1 &lt; 2 &gt; 0", "1 < 2 > 0"),
            ("literal &amp;lt;", "literal &lt;"),
            ("plain", "plain"),
        ];
        for (escaped, want) in cases {
            let json = serde_json::json!({
                "__typename": "Tweet", "text": escaped, "user": {"name": "n", "screen_name": "h"}
            });
            let Resolution::Live(c) = parse(&body(200, &json.to_string())) else {
                panic!("expected live");
            };
            assert_eq!(c.text.as_deref(), Some(want), "{escaped}");
        }
    }
}
