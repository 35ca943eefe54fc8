//! Facebook's embedded-post plugin page (`www.facebook.com/plugins/post.php?href=POST_URL`): the
//! document the publisher's iframe shows, rendered on the server and readable without a token.
//! It is asked in English (`locale=en_US`) so that its notices read the same everywhere.
//!
//! - The plugin's frame (`[data-testid=newsFeedStream]`) with the post: live, read from its
//!   header (the author's picture labelled with the author's name, inside the link to the
//!   author's page; `abbr[data-utime]`, the time in Unix seconds), its message
//!   (`[data-testid=post_message]`: paragraphs, the text folded behind "See more" included, the
//!   "..." and "See more" controls left out) and its pictures (`scontent` images other than
//!   the author's).
//! - The frame with Facebook's notice "This Facebook post is no longer available. It may have
//!   been removed or the privacy settings of the post may have changed.": the post is gone (it
//!   was removed, or is no longer public), for the post, photo, video and reel addresses the
//!   plugin embeds. Group posts and notes get the same notice while they are public (the plugin
//!   does not embed them), so for them it is transient.
//! - Anything else (a redirect to `/login/` or `/checkpoint/`, an error status, a page without
//!   the plugin's frame, a page cut off before the post): transient.
//!
//! Video posts carry their stream addresses only inside scripts; no recorded video answer was
//! found, so a video post keeps its text, author and pictures and links the post itself.

use chrono::DateTime;
use scraper::{ElementRef, Selector};
use url::Url;

use crate::model::{EmbedKind, MediaKind, MediaRef, PostContent, Resolution};
use crate::platforms::readers::{br_as_newline, collapse_whitespace, walk_text};
use crate::platforms::source::{Answer, SourceError, check_status};
use crate::platforms::verdict::{self, Field};

/// Source name of the plugin page.
pub const SOURCE: &str = "facebook-plugin";

/// What makes a plugin answer a live post.
const IDENTIFYING: &[Field] = &[Field::Text, Field::Media, Field::Published];

/// The largest page read: a plugin page is under 100 kB.
const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;

/// The start of the plugin's notice for a post it no longer shows (asked with `locale=en_US`).
const UNAVAILABLE: &str = "This Facebook post is no longer available";

/// The plugin page of a post: `https://www.facebook.com/plugins/post.php?href=URL&locale=en_US`.
/// The post plugin shows videos and reels too, with their text (the video plugin shows only the
/// player).
pub fn url(post_url: &str) -> Result<Url, SourceError> {
    let bad = |reason: &str| SourceError::BadPostId {
        source_name: SOURCE.to_owned(),
        post_id: post_url.to_owned(),
        reason: reason.to_owned(),
    };
    let post = Url::parse(post_url).map_err(|e| bad(&format!("not a URL: {e}")))?;
    if !matches!(post.scheme(), "http" | "https") {
        return Err(bad("not a web address"));
    }
    Url::parse_with_params(
        "https://www.facebook.com/plugins/post.php",
        [("href", post.as_str()), ("locale", "en_US")],
    )
    .map_err(|e| bad(&e.to_string()))
}

/// Whether the plugin embeds posts of this address, so that its "no longer available" notice is
/// about the post and not about the form of its address.
fn notice_is_about_the_post(post_url: &str) -> bool {
    let Ok(url) = Url::parse(post_url) else {
        return false;
    };
    let first = url
        .path_segments()
        .and_then(|mut s| s.next())
        .unwrap_or_default();
    !matches!(first, "groups" | "notes" | "share" | "")
}

/// Classify one plugin answer for the post at `post_url` (of kind `kind`).
pub fn parse(answer: &Answer, post_url: &str, kind: EmbedKind) -> Resolution {
    let transient = |evidence: String| Resolution::Transient {
        source: SOURCE.to_owned(),
        evidence,
    };
    if let Err(e) = check_status(SOURCE, answer) {
        return e.into_transient();
    }
    if answer.status != 200 {
        return transient(verdict::not_own_answer(SOURCE, answer));
    }
    // Redirects are followed: the answer's address says where Facebook sent the request.
    let landed = Url::parse(&answer.url).ok();
    let path = landed.as_ref().map(Url::path).unwrap_or_default();
    if !path.starts_with("/plugins/") {
        return transient(format!(
            "{SOURCE} for {post_url} was redirected to {} (a login or checkpoint wall): says nothing about the post",
            answer.url
        ));
    }
    if answer.body.len() > MAX_PAGE_BYTES {
        return transient(format!(
            "page from {SOURCE} for {post_url} is {} bytes, more than {MAX_PAGE_BYTES}",
            answer.body.len()
        ));
    }
    let html = String::from_utf8_lossy(&answer.body);
    let doc = crate::platforms::readers::parse_document(&html);
    let Some(frame) = doc
        .select(&selector(r#"[data-testid="newsFeedStream"]"#))
        .next()
    else {
        return transient(format!(
            "page from {SOURCE} for {post_url} has no embedded-post frame: not the plugin's page"
        ));
    };
    let notice = frame
        .select(&selector(".uiBoxWhite p"))
        .map(|p| collapse_whitespace(&p.text().collect::<String>()))
        .find(|t| t.starts_with(UNAVAILABLE));
    if let Some(notice) = notice {
        if notice_is_about_the_post(post_url) {
            return Resolution::Gone {
                source: SOURCE.to_owned(),
                evidence: format!("{SOURCE} for {post_url}: \"{notice}\""),
            };
        }
        return transient(format!(
            "{SOURCE} for {post_url}: \"{notice}\", which the plugin says of every post at such an address"
        ));
    }
    verdict::live(read_post(frame, answer, post_url, kind), IDENTIFYING)
}

fn selector(s: &str) -> Selector {
    Selector::parse(s).expect("selectors in this module are valid")
}

/// The post the plugin's frame shows.
fn read_post(
    frame: ElementRef<'_>,
    answer: &Answer,
    post_url: &str,
    kind: EmbedKind,
) -> PostContent {
    let avatar = frame
        .select(&selector(r#"img[role="img"][aria-label]"#))
        .next();
    let author_name = avatar
        .and_then(|img| img.value().attr("aria-label"))
        .map(collapse_whitespace)
        .filter(|n| !n.is_empty());
    let author_url = avatar.and_then(enclosing_link).and_then(|href| {
        let mut url = Url::parse(href).ok()?;
        if url.host_str() != Some("www.facebook.com") {
            return None;
        }
        url.set_query(None);
        url.set_fragment(None);
        Some(url)
    });
    let author_handle = author_url.as_ref().and_then(|u| {
        let mut segments = u.path_segments()?;
        let name = segments.next()?;
        let ok = segments.next().is_none()
            && !name.is_empty()
            && !name.ends_with(".php")
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_');
        ok.then(|| name.to_owned())
    });
    let published_at = frame
        .select(&selector("abbr[data-utime]"))
        .next()
        .and_then(|a| a.value().attr("data-utime"))
        .and_then(|t| t.trim().parse::<i64>().ok())
        .and_then(|t| DateTime::from_timestamp(t, 0));
    let text = frame
        .select(&selector(r#"[data-testid="post_message"]"#))
        .next()
        .map(message_text)
        .filter(|t| !t.is_empty());
    let avatar_src = avatar.and_then(|img| img.value().attr("src"));
    let images = selector("img[src]");
    let pictures = frame
        .select(&images)
        .filter(|img| img.value().attr("aria-label").is_none())
        .filter_map(|img| {
            let src = img.value().attr("src")?;
            if Some(src) == avatar_src {
                return None;
            }
            let url = Url::parse(src).ok()?;
            let host = url.host_str()?;
            let post_picture = url.scheme() == "https"
                && host.starts_with("scontent")
                && host.ends_with(".fbcdn.net");
            post_picture.then(|| MediaRef {
                kind: MediaKind::Image,
                url: url.to_string(),
                image_url: Some(url.to_string()),
                width: img.value().attr("width").and_then(|w| w.parse().ok()),
                height: img.value().attr("height").and_then(|h| h.parse().ok()),
                alt: img
                    .value()
                    .attr("alt")
                    .map(collapse_whitespace)
                    .filter(|a| !a.is_empty()),
            })
        });
    let mut media: Vec<MediaRef> = pictures.collect();
    if kind == EmbedKind::Video {
        // The first picture of a video post is its poster.
        let poster = media.first().and_then(|m| m.image_url.clone());
        media = vec![MediaRef {
            kind: MediaKind::Video,
            url: frame_post_link(frame).unwrap_or_else(|| post_url.to_owned()),
            image_url: poster,
            ..MediaRef::default()
        }];
    }
    PostContent {
        source: SOURCE.to_owned(),
        author_name,
        author_handle,
        author_url: author_url.map(String::from),
        text,
        published_at,
        media,
        raw: vec![answer.raw()],
        ..PostContent::default()
    }
}

/// The `href` of the link around `el`.
fn enclosing_link<'a>(el: ElementRef<'a>) -> Option<&'a str> {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "a")
        .and_then(|a| a.value().attr("href"))
}

/// The post's own address as the frame links it (the comment button), without the plugin's
/// `ref` parameter.
fn frame_post_link(frame: ElementRef<'_>) -> Option<String> {
    let href = frame
        .select(&selector("a._29bd[href]"))
        .filter_map(|a| a.value().attr("href"))
        .find(|h| h.starts_with("https://www.facebook.com/") && !h.contains("/sharer"))?;
    let mut url = Url::parse(href).ok()?;
    url.set_query(None);
    Some(url.into())
}

/// The message as the reader sees it unfolded: one paragraph per `<p>`, separated by a blank
/// line; the "..." and "See more" controls (`.text_exposed_hide`) left out.
fn message_text(message: ElementRef<'_>) -> String {
    let paragraphs: Vec<String> = message
        .select(&selector("p"))
        .map(|p| {
            let mut out = String::new();
            visible_text(p, &mut out);
            collapse_whitespace(&out)
        })
        .filter(|p| !p.is_empty())
        .collect();
    if paragraphs.is_empty() {
        let mut out = String::new();
        visible_text(message, &mut out);
        return collapse_whitespace(&out);
    }
    paragraphs.join("\n\n")
}

/// The text a reader sees in `el`: without what the "See more" fold (`text_exposed_hide`)
/// holds (nor scripts and styles, which `walk_text` never reads), `<br>` as a newline.
fn visible_text(el: ElementRef<'_>, out: &mut String) {
    walk_text(*el, out, |e, out| {
        !e.classes().any(|c| c == "text_exposed_hide") && br_as_newline(e, out)
    });
}

#[cfg(test)]
#[path = "plugin_tests.rs"]
mod tests;
