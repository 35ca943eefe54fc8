//! The Threads embed page (`https://www.threads.com/@USER/post/CODE/embed`, or `/t/CODE/embed`
//! when the user is not known): server-rendered HTML without OpenGraph tags, the one anonymous
//! source that shows a post's handle, text and media.
//!
//! Its answers:
//! - `div.Embed`: the post. The post itself is the last `div.OuterContainer` outside a quoted
//!   post (a reply shows its parent first). A page whose post block lacks its date line
//!   (`div.PostDateContainer`, present in every recorded post) is cut short: transient.
//! - `div.EmbedError` ("Thread not available"): Threads' own "not available" page. A deleted
//!   post, a login-only post and a code that never existed all give it, with HTTP 200, so on its
//!   own it says only "not shown here"; see [`super::resolve`] for when it counts as gone.
//! - anything else (a redirect to `/login` or to Facebook's unsupported-browser page, another
//!   site's page, a 404 without the notice): transient.
//!
//! Parsing is synchronous: the `scraper` DOM never lives across an `.await`.

use chrono::{DateTime, NaiveDate, Utc};
use scraper::{ElementRef, Selector};
use url::Url;

use crate::model::{MediaKind, MediaRef, PostContent, Resolution};
use crate::platforms::readers::collapse_whitespace;
use crate::platforms::source::{Answer, SourceError};
use crate::platforms::url_util::{is_base64url_char, is_token};
use crate::platforms::verdict::{self, Field};

pub use super::is_user;

/// Source name of the embed page.
pub const SOURCE: &str = "threads-embed";

/// What makes a `div.Embed` a live post: every recorded one names its author, and shows its
/// text or media.
const IDENTIFYING: &[Field] = &[Field::Text, Field::Author, Field::Media];

/// What one embed page answer says.
#[derive(Debug, Clone, PartialEq)]
pub enum EmbedAnswer {
    /// The post as the page shows it.
    Post(Resolution),
    /// Threads' own "Thread not available" page, with the HTTP status it came with.
    NotAvailable { status: u16, evidence: String },
    /// Nothing can be concluded from this answer.
    Transient(Resolution),
}

/// The embed page URL of a post: by user and code, or by code alone.
pub fn url(user: Option<&str>, code: &str) -> Result<Url, SourceError> {
    let bad = |reason: &str| SourceError::BadPostId {
        source_name: SOURCE.to_owned(),
        post_id: code.to_owned(),
        reason: reason.to_owned(),
    };
    if !is_code(code) {
        return Err(bad("not a Threads post code"));
    }
    let text = match user {
        Some(u) if is_user(u) => format!("https://www.threads.com/@{u}/post/{code}/embed"),
        Some(_) => return Err(bad("not a Threads user name")),
        None => format!("https://www.threads.com/t/{code}/embed"),
    };
    Url::parse(&text).map_err(|e| bad(&e.to_string()))
}

/// Post codes use Instagram's shortcode alphabet.
pub fn is_code(code: &str) -> bool {
    is_token(code, 5, 64, is_base64url_char)
}

/// Classify one embed page answer for the post `code`. 429 and 5xx never reach here (the fetch
/// path makes them transient).
pub fn parse(answer: &Answer, code: &str) -> EmbedAnswer {
    let transient = |evidence: String| {
        EmbedAnswer::Transient(Resolution::Transient {
            source: SOURCE.to_owned(),
            evidence,
        })
    };
    if let Some(why) = walled(answer) {
        return transient(why);
    }
    let html = String::from_utf8_lossy(&answer.body);
    let doc = crate::platforms::readers::parse_document(&html);
    let root = doc.root_element();
    if let Some(error) = first(root, "div.EmbedError") {
        let said = first(error, ".ErrorText")
            .map(|e| collapse_whitespace(&e.text().collect::<String>()))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "(no message)".to_owned());
        return match answer.status {
            200 | 404 | 410 => EmbedAnswer::NotAvailable {
                status: answer.status,
                evidence: format!("HTTP {} EmbedError: {said:?}", answer.status),
            },
            status => transient(format!(
                "HTTP {status} with an EmbedError page ({said:?}): not an answer about the post"
            )),
        };
    }
    if answer.status != 200 {
        return transient(format!(
            "{} (no EmbedError notice)",
            verdict::not_own_answer(SOURCE, answer)
        ));
    }
    let Some(embed) = first(root, "div.Embed") else {
        return transient(format!(
            "{} has no div.Embed or div.EmbedError: not Threads' embed page",
            answer.url
        ));
    };
    let Some(post) = post_block(embed) else {
        return transient("div.Embed holds no post block (div.OuterContainer)".to_owned());
    };
    if own(post, "div.PostDateContainer").is_none() {
        return transient(
            "the post block has no date line (div.PostDateContainer): the page is cut short"
                .to_owned(),
        );
    }
    EmbedAnswer::Post(verdict::live(content(post, code, answer), IDENTIFYING))
}

/// Why the answer is a wall rather than the embed page, if it is: a redirect to a login page, or
/// to Facebook's unsupported-browser page (what Threads answers a request without a browser-like
/// user agent).
fn walled(answer: &Answer) -> Option<String> {
    let url = Url::parse(&answer.url).ok()?;
    let host = url.host_str().unwrap_or_default();
    let path = url.path().to_ascii_lowercase();
    let threads = host.ends_with("threads.com") || host.ends_with("threads.net");
    if threads && (path.starts_with("/login") || path.starts_with("/accounts/login")) {
        return Some(format!("redirected to {} (login wall)", answer.url));
    }
    if !threads {
        return Some(format!(
            "redirected to {}: another site's page, not the embed page",
            answer.url
        ));
    }
    None
}

/// A selector of this module: a mistyped one is a bug to see, not "nothing found".
fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("selectors in this module are valid")
}

fn first<'a>(root: ElementRef<'a>, css: &str) -> Option<ElementRef<'a>> {
    root.select(&selector(css)).next()
}

/// Whether `el` lies inside a quoted post below `top`.
fn in_quote(el: ElementRef<'_>, top: ElementRef<'_>) -> bool {
    el.ancestors()
        .take_while(|a| a.id() != top.id())
        .filter_map(ElementRef::wrap)
        .any(|a| {
            let e = a.value();
            e.classes()
                .any(|c| c == "QuotePostContainer" || c == "OuterContainerQuotePost")
        })
}

/// Every match of `css` below `top` that is the post's own, not a quoted post's.
fn own_all<'a>(top: ElementRef<'a>, css: &str) -> Vec<ElementRef<'a>> {
    top.select(&selector(css))
        .filter(|e| !in_quote(*e, top))
        .collect()
}

fn own<'a>(top: ElementRef<'a>, css: &str) -> Option<ElementRef<'a>> {
    own_all(top, css).into_iter().next()
}

/// The post's own block: the last `div.OuterContainer` that is not a quoted post (a reply's
/// page shows the parent's block first).
fn post_block(embed: ElementRef<'_>) -> Option<ElementRef<'_>> {
    own_all(embed, "div.OuterContainer").into_iter().last()
}

/// A web address from the page; never `javascript:`, `data:` or the like.
fn web_url(value: &str) -> Option<String> {
    let url = Url::parse(value.trim()).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

fn attr(e: ElementRef<'_>, name: &str) -> Option<String> {
    e.value()
        .attr(name)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

fn content(post: ElementRef<'_>, code: &str, answer: &Answer) -> PostContent {
    let handle = own(post, ".HeaderContainer a.HeaderLink")
        .map(|a| collapse_whitespace(&a.text().collect::<String>()))
        .map(|h| h.trim_start_matches('@').to_owned())
        .filter(|h| is_user(h));
    // The text keeps its line breaks: they are literal newlines in the page.
    let text = own(post, "span.BodyTextContainer")
        .map(|t| t.text().collect::<String>().trim().to_owned())
        .filter(|t| !t.is_empty());
    let shown_date = own(post, "div.PostDateContainer span.Timestamp")
        .map(|t| collapse_whitespace(&t.text().collect::<String>()));
    PostContent {
        source: SOURCE.to_owned(),
        author_url: handle
            .as_ref()
            .map(|h| format!("https://www.threads.com/@{h}")),
        author_handle: handle,
        text,
        published_at: shown_date.and_then(|d| published_at(code, &d)),
        media: media(post),
        raw: vec![answer.raw()],
        ..PostContent::default()
    }
}

/// The post's pictures and videos in page order: a single item (`SoloMediaContainer`) or a
/// carousel (`MediaScrollContainer`). Videos come as `<video><source src>` without a poster.
fn media(post: ElementRef<'_>) -> Vec<MediaRef> {
    let items = own_all(
        post,
        "div.SoloMediaContainer img, div.SoloMediaContainer video, \
         div.MediaScrollContainer img, div.MediaScrollContainer video",
    );
    items
        .into_iter()
        .filter_map(|item| {
            if item.value().name() == "video" {
                let src = attr(item, "src")
                    .or_else(|| first(item, "source[src]").and_then(|s| attr(s, "src")))
                    .and_then(|u| web_url(&u))?;
                Some(MediaRef {
                    kind: MediaKind::Video,
                    url: src,
                    image_url: attr(item, "poster").and_then(|u| web_url(&u)),
                    ..MediaRef::default()
                })
            } else {
                let src = attr(item, "src").and_then(|u| web_url(&u))?;
                Some(MediaRef {
                    kind: MediaKind::Image,
                    url: src.clone(),
                    image_url: Some(src),
                    alt: attr(item, "alt"),
                    ..MediaRef::default()
                })
            }
        })
        .collect()
}

/// Instagram's id epoch: a media id's bits above the lowest 23 count milliseconds from it.
const ID_EPOCH_MS: i64 = 1_314_220_021_721;

/// The post's publication time, from its code.
///
/// The page shows the time only as local text ("9:58 AM · Aug 15, 2024") that names no time
/// zone, so it is never read as a time. The code is the post's media id in Instagram's
/// shortcode alphabet, and the id's high bits are the milliseconds since [`ID_EPOCH_MS`] at
/// which it was made. Checked against real answers: in a recorded post page's data, this time
/// is the post's `taken_at` to the second for 10 of 12 posts and at most 9 s earlier for the
/// other two, and every recorded embed page's date line shows it at one US Pacific offset. It is
/// used only when the date the page shows is within a day of it (any zone's local date is),
/// so a code that is not a media id never gives a time.
pub fn published_at(code: &str, shown: &str) -> Option<DateTime<Utc>> {
    let derived = time_from_code(code)?;
    let date_text = shown.rsplit('·').next()?.trim();
    let shown_date = NaiveDate::parse_from_str(date_text, "%b %d, %Y").ok()?;
    let days = (derived.date_naive() - shown_date).num_days().abs();
    (days <= 1).then_some(derived)
}

/// The time in a Threads post code, when the code is an 11-character media id.
pub fn time_from_code(code: &str) -> Option<DateTime<Utc>> {
    if code.len() != 11 {
        return None;
    }
    let id = code.chars().try_fold(0u128, |n, c| {
        let digit = match c {
            'A'..='Z' => c as u32 - 'A' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 26,
            '0'..='9' => c as u32 - '0' as u32 + 52,
            '-' => 62,
            '_' => 63,
            _ => return None,
        };
        Some(n * 64 + u128::from(digit))
    })?;
    let ms = i64::try_from(id >> 23).ok()?.checked_add(ID_EPOCH_MS)?;
    DateTime::from_timestamp_millis(ms)
}
