//! The public (guest) page of a LinkedIn post (`https://www.linkedin.com/feed/update/URN/`,
//! which LinkedIn serves as the `/posts/SLUG-activity-ID-XXXX` page): its metadata read with
//! [`page::meta`](crate::platforms::page::meta) (the JSON-LD `SocialMediaPosting` names the
//! author, the whole text, the time and the picture; OpenGraph tags stand in where it is
//! missing), and the post card of its body for what the metadata lacks.
//!
//! Its verdicts:
//! - live: a page about this post (its id is in `lnkd:url`, the canonical link or the card's
//!   `data-*-urn` attributes) that names its text or author.
//! - gone: HTTP 404 or 410 at the post's own address, with a page of the site (the shared
//!   `page` source's rule). LinkedIn is documented to answer a deleted post so; no such answer
//!   has been recorded.
//! - transient: HTTP 999 (LinkedIn's bot wall), a redirect to `/authwall`, `/login` or
//!   `/signup`, an `auth_wall` page, a page about another post or none, any other status.

use chrono::{DateTime, Utc};
use scraper::{ElementRef, Selector};
use url::Url;

use crate::model::{PostContent, Resolution};
use crate::platforms::page::{self, meta};
use crate::platforms::readers::{collapse_whitespace, quoted_or_none, snippet};
use crate::platforms::source::{Answer, SourceError};
use crate::platforms::verdict::{self, Field};

/// Source name of the post page.
pub const SOURCE: &str = "linkedin-page";

/// What makes the page a live post. The time is not among them: when the page does not state
/// it, it is derived from the post id.
const IDENTIFYING: &[Field] = &[Field::Text, Field::Author];

/// Path starts of LinkedIn's login walls.
const WALLS: &[&str] = &[
    "/authwall",
    "/login",
    "/uas/login",
    "/signup",
    "/checkpoint",
];

/// The page URL of a post URN (`urn:li:activity:ID`, `urn:li:share:ID`, `urn:li:ugcPost:ID`).
pub fn url(urn: &str) -> Result<Url, SourceError> {
    let bad = |reason: &str| SourceError::BadPostId {
        source_name: SOURCE.to_owned(),
        post_id: urn.to_owned(),
        reason: reason.to_owned(),
    };
    let (kind, id) = urn_parts(urn).ok_or_else(|| bad("not a LinkedIn post URN"))?;
    Url::parse(&format!(
        "https://www.linkedin.com/feed/update/urn:li:{kind}:{id}/"
    ))
    .map_err(|e| bad(&e.to_string()))
}

/// (`activity` | `share` | `ugcPost`, numeric id) of a post URN.
pub fn urn_parts(urn: &str) -> Option<(&str, u64)> {
    let (kind, id) = urn.strip_prefix("urn:li:")?.split_once(':')?;
    let known = matches!(kind, "activity" | "share" | "ugcPost");
    let digits = id.len() >= 15 && id.bytes().all(|b| b.is_ascii_digit());
    let id = id.parse::<u64>().ok().filter(|_| known && digits)?;
    Some((kind, id))
}

/// The time in a LinkedIn id: its high 41 bits (the id shifted right by 22) are milliseconds
/// since the Unix epoch. The recorded post's `activity` id gives a time 18 ms after the
/// `datePublished` its page states.
pub fn time_from_id(id: u64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(i64::try_from(id >> 22).ok()?)
}

/// A selector of this module: a mistyped one is a bug to see, not "nothing found".
fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("selectors in this module are valid")
}

fn first<'a>(root: ElementRef<'a>, css: &str) -> Option<ElementRef<'a>> {
    root.select(&selector(css)).next()
}

fn attr(e: ElementRef<'_>, name: &str) -> Option<String> {
    e.value()
        .attr(name)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Every post id the page names as its own: `lnkd:url`, the canonical link (`…-activity-ID-…`),
/// and the main card's URN attributes (a shared post's `share` id differs from its `activity`
/// id, and the card names both).
fn ids_named(root: ElementRef<'_>, canonical: Option<&Url>) -> (Vec<u64>, Option<u64>) {
    let mut ids = Vec::new();
    let mut activity = None;
    let mut add_urn = |urn: &str, ids: &mut Vec<u64>| {
        if let Some((kind, id)) = urn_parts(urn.trim().trim_end_matches('/')) {
            if kind == "activity" && activity.is_none() {
                activity = Some(id);
            }
            ids.push(id);
        }
    };
    if let Some(lnkd) = first(root, r#"meta[property="lnkd:url"]"#).and_then(|m| attr(m, "content"))
        && let Some(urn) = lnkd.rsplit('/').find(|s| s.starts_with("urn:li:"))
    {
        add_urn(urn, &mut ids);
    }
    if let Some(card) = first(root, "article[data-activity-urn]") {
        for name in [
            "data-activity-urn",
            "data-featured-activity-urn",
            "data-attributed-urn",
        ] {
            if let Some(urn) = attr(card, name) {
                add_urn(&urn, &mut ids);
            }
        }
    }
    if let Some(slug) = canonical.and_then(|c| c.path_segments()?.nth(1).map(str::to_owned)) {
        let parts: Vec<&str> = slug.split('-').collect();
        for w in parts.windows(2) {
            if matches!(w[0], "activity" | "share" | "ugcPost")
                && let Ok(id) = w[1].parse::<u64>()
            {
                if w[0] == "activity" && activity.is_none() {
                    activity = Some(id);
                }
                ids.push(id);
            }
        }
    }
    (ids, activity)
}

/// The post's text as its card shows it, links as their text.
fn card_text(root: ElementRef<'_>) -> Option<String> {
    first(
        root,
        r#"[data-test-id="main-feed-activity-card__commentary"]"#,
    )
    .map(|p| p.text().collect::<String>().trim().to_owned())
    .filter(|t| !t.is_empty())
}

/// The card's author link: its name, and its address without tracking parameters.
fn card_author(root: ElementRef<'_>) -> (Option<String>, Option<String>) {
    let Some(a) = first(
        root,
        r#"a[data-tracking-control-name="public_post_feed-actor-name"]"#,
    ) else {
        return (None, None);
    };
    let name = Some(collapse_whitespace(&a.text().collect::<String>())).filter(|n| !n.is_empty());
    let url = attr(a, "href").and_then(|h| profile_url(&h));
    (name, url)
}

/// A LinkedIn member or company address, without its query.
fn profile_url(href: &str) -> Option<String> {
    let mut url = Url::parse(href.trim()).ok()?;
    let host = url.host_str()?;
    if url.scheme() != "https" || !(host == "linkedin.com" || host.ends_with(".linkedin.com")) {
        return None;
    }
    url.set_query(None);
    url.set_fragment(None);
    Some(url.to_string())
}

/// The public name in a member or company address (`/in/NAME`, `/company/NAME`).
fn handle_of(profile: &str) -> Option<String> {
    let url = Url::parse(profile).ok()?;
    let segs: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    match segs.as_slice() {
        ["in" | "company", name, ..] => Some((*name).to_owned()),
        _ => None,
    }
}

/// The description meta's text without LinkedIn's ` | N comments on LinkedIn` tail.
fn without_comment_tail(text: String) -> String {
    match text.rsplit_once(" | ") {
        Some((body, tail)) if tail.ends_with(" on LinkedIn") && tail.contains("comment") => {
            body.trim_end().to_owned()
        }
        _ => text,
    }
}

/// Classify the answer for the post `urn` asked at `requested`.
pub fn parse(answer: &Answer, requested: &Url, urn: &str) -> Resolution {
    let transient = |evidence: String| Resolution::Transient {
        source: SOURCE.to_owned(),
        evidence,
    };
    let final_url = Url::parse(&answer.url).unwrap_or_else(|_| requested.clone());
    let path = final_url.path().to_ascii_lowercase();
    if WALLS.iter().any(|w| path.starts_with(w)) {
        return transient(format!(
            "{requested} redirected to {final_url} (login wall)"
        ));
    }
    match answer.status {
        200 => {}
        999 => {
            return transient(format!(
                "HTTP 999 from {requested}: LinkedIn's bot wall says nothing about the post"
            ));
        }
        404 | 410 => {
            // The page source's rule: the post's own address, an HTML page of the site, not an
            // edge's error page or a wall.
            return match page::classify(answer, requested).0 {
                Resolution::Gone { evidence, .. } => Resolution::Gone {
                    source: SOURCE.to_owned(),
                    evidence: format!("{evidence}: LinkedIn's answer for a deleted post"),
                },
                other => match other {
                    Resolution::Transient { evidence, .. } => transient(evidence),
                    _ => transient(verdict::not_own_answer(SOURCE, answer)),
                },
            };
        }
        status => {
            return transient(format!(
                "HTTP {status} from {requested}: {}",
                snippet(&answer.body)
            ));
        }
    }
    let html = String::from_utf8_lossy(&answer.body);
    // Parsed once: the metadata and the post card are read from the same document.
    let doc = crate::platforms::readers::parse_document(&html);
    let page = meta::read_doc(&doc, &final_url);
    let root = doc.root_element();
    let page_key = first(root, r#"meta[name="pageKey"]"#).and_then(|m| attr(m, "content"));
    if page_key
        .as_deref()
        .is_some_and(|k| k.starts_with("auth_wall"))
    {
        return transient(format!(
            "{requested} is a login wall (pageKey {})",
            page_key.unwrap_or_default()
        ));
    }
    let Some((_, id)) = urn_parts(urn) else {
        return transient(format!("{urn:?} is not a LinkedIn post URN"));
    };
    let (ids, activity) = ids_named(root, page.canonical.as_ref());
    if !ids.contains(&id) {
        return transient(format!(
            "{requested} is not this post's page: it names posts {ids:?}, not {id} \
             (pageKey {})",
            quoted_or_none(page_key.as_deref())
        ));
    }
    let (card_name, card_url) = card_author(root);
    let author_url = page.author_url.clone().or(card_url);
    let text = page
        .text
        .clone()
        .map(without_comment_tail)
        .or_else(|| card_text(root));
    let content = PostContent {
        source: SOURCE.to_owned(),
        author_name: page.author_name.clone().or(card_name),
        author_handle: author_url.as_deref().and_then(handle_of),
        author_url,
        text,
        published_at: page.published_at,
        // `og:locale` is the reader's interface language, not the post's.
        lang: None,
        media: page.media.clone(),
        raw: vec![answer.raw()],
        ..PostContent::default()
    };
    match verdict::live(content, IDENTIFYING) {
        Resolution::Live(mut c) => {
            if c.published_at.is_none() {
                c.published_at = time_from_id(activity.unwrap_or(id));
            }
            Resolution::Live(c)
        }
        other => other,
    }
}
