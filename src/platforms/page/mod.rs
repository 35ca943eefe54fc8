//! page: a post read from its own web page (OpenGraph, JSON-LD and Twitter-card metadata, see
//! [`meta`]), and the oEmbed endpoint the page announces. It is the `page` platform's source and
//! the last source of every platform whose post pages carry metadata
//! ([`PlatformModule::post_page`](super::PlatformModule::post_page)).
//!
//! Its verdicts:
//! - live: a page that names the post (title or text, author, picture or date) in its metadata;
//! - gone: a 404 or 410 that is the post's own page: answered at the post's own address (not
//!   after a redirect elsewhere), an HTML page of the site (not a bare edge or proxy error page,
//!   not a bot wall);
//! - transient: everything else: walls (login, consent, bot checks, 401, 403), redirects to
//!   another page, a page that describes its site's home page, a page without metadata.
//!
//! When the page announces an `application/json+oembed` endpoint and no registry provider
//! matched its address (those are asked by the `oembed` platform directly), that endpoint is
//! asked too: its author is the publisher's own statement, and it can make a page without
//! metadata live.

pub mod meta;

use url::Url;

use crate::model::{EmbedRef, Platform, PostContent, Recognised, Resolution};
use crate::platforms::oembed::answer::{self as oembed_answer, DISCOVERED};
use crate::platforms::oembed_registry::Registry;
use crate::platforms::readers::{snippet, starts_like_markup};
use crate::platforms::source::{Answer, Fetch, SourceError, join_evidence};
use crate::platforms::verdict::{self, Field};
use crate::platforms::{PlatformModule, ResolveContext};

/// Source name of a post's own page.
pub const SOURCE: &str = "page";

/// What makes a page live: metadata naming the post.
const IDENTIFYING: &[Field] = &[Field::Text, Field::Author, Field::Media, Field::Published];

/// Path parts of login, consent and bot-check pages a post URL redirects to.
const WALL_PATHS: &[&str] = &[
    "/login",
    "/accounts/login",
    "/signin",
    "/sign_in",
    "/i/flow/login",
    "/authwall",
    "/checkpoint",
    "/challenge",
    "/consent",
    "/captcha",
];

/// Titles of bot checks and walls served with any status.
const WALL_TITLES: &[&str] = &[
    "just a moment",
    "attention required",
    "access denied",
    "are you a robot",
    "captcha",
    "security check",
    "log in",
    "log into",
    "login",
    "sign in",
    "before you continue",
];

/// Markers of error pages that edges and proxies (not the site) answer with.
const EDGE_MARKERS: &[&str] = &[
    "cloudfront",
    "<center>nginx",
    "varnish cache server",
    "guru mediation",
    "akamai",
    "cloudflare",
    "apache server at",
    "openresty",
    "no healthy upstream",
    "error 404 (not found)!!1",
];

fn host_key(host: &str) -> &str {
    host.strip_prefix("www.")
        .or_else(|| host.strip_prefix("m."))
        .unwrap_or(host)
}

fn same_page(a: &Url, b: &Url) -> bool {
    a.host_str().map(host_key) == b.host_str().map(host_key)
        && a.path().trim_end_matches('/') == b.path().trim_end_matches('/')
}

/// Why the answer's final address is not the post's page, if it is not.
fn elsewhere(requested: &Url, final_url: &Url) -> Option<String> {
    let path = final_url.path().to_ascii_lowercase();
    let host = final_url.host_str().unwrap_or_default();
    let wall = WALL_PATHS.iter().any(|w| path.starts_with(w))
        || host.starts_with("consent.")
        || host.starts_with("login.")
        || host.starts_with("accounts.");
    let other_site = final_url.host_str().map(host_key) != requested.host_str().map(host_key);
    let home = final_url.path() == "/" && requested.path() != "/";
    (wall || other_site || home).then(|| {
        format!(
            "{} redirected to {final_url}: a wall or another page, not the post's",
            requested
        )
    })
}

fn wall_title(title: Option<&str>) -> Option<String> {
    let t = title?.to_lowercase();
    WALL_TITLES
        .iter()
        .any(|w| t == *w || t.starts_with(&format!("{w} ")) || t.starts_with(&format!("{w}.")))
        .then(|| title.unwrap_or_default().to_owned())
}

/// Whether the answer is a page. The label decides first (an XML or HTML page is one however
/// its body starts); only an unlabelled answer is judged by its body. The oEmbed reader, which
/// expects JSON, judges by the body alone: its endpoints label JSON and their own errors loosely.
fn is_html(answer: &Answer) -> bool {
    match answer.content_type.as_deref() {
        Some(ct) => {
            let ct = ct.to_ascii_lowercase();
            ct.contains("html") || ct.contains("xml")
        }
        None => starts_like_markup(&answer.body),
    }
}

/// Whose page of a post is read, which says what its language markers speak of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose {
    /// A site's own page (an article, a `page` embed): its `<html lang>` and `og:locale` say
    /// the language it is written in.
    Site,
    /// A platform's page of a post (an Instagram `/p/…/`, a provider's item page): its
    /// `<html lang>` and `og:locale` are the language of the interface it was served in (a
    /// Spanish caption on a page with `lang="en"`), so only JSON-LD's `inLanguage` speaks of
    /// the post.
    Platform,
}

/// The verdict on one answer for the site's page at `requested`, and the oEmbed discovery link
/// the page announces (for a page that is not gone).
pub fn classify(answer: &Answer, requested: &Url) -> (Resolution, Option<Url>) {
    classify_as(answer, requested, Whose::Site)
}

/// [`classify`], for the page of `whose`.
pub fn classify_as(answer: &Answer, requested: &Url, whose: Whose) -> (Resolution, Option<Url>) {
    let transient = |evidence: String| Resolution::Transient {
        source: SOURCE.to_owned(),
        evidence,
    };
    let final_url = Url::parse(&answer.url).unwrap_or_else(|_| requested.clone());
    match answer.status {
        200 => {}
        status @ (404 | 410) => {
            let body = String::from_utf8_lossy(&answer.body).to_lowercase();
            // The site's own "not found" is an HTML page: a JSON or XML error (a storage
            // bucket's `NoSuchKey`) labelled as a page is some other server's.
            let start = body.trim_start_matches('\u{feff}').trim_start();
            let document =
                !(start.starts_with('{') || start.starts_with('[') || start.starts_with("<?xml"));
            let own = elsewhere(requested, &final_url).is_none()
                && same_page(requested, &final_url)
                && is_html(answer)
                && document
                && answer.body.len() >= 512
                && !EDGE_MARKERS.iter().any(|m| body.contains(m));
            // A login wall answering 404 names itself in its title or in its og:title.
            let read = own.then(|| meta::read(&String::from_utf8_lossy(&answer.body), requested));
            let page_title = read.as_ref().and_then(|r| r.title_tag.clone());
            let walled = read.as_ref().is_some_and(|r| {
                wall_title(r.title_tag.as_deref()).is_some()
                    || wall_title(r.title.as_deref()).is_some()
            });
            if own && !walled {
                return (
                    Resolution::Gone {
                        source: SOURCE.to_owned(),
                        evidence: format!(
                            "HTTP {status} from the post's own page {requested}{}",
                            page_title.map(|t| format!(" ({t})")).unwrap_or_default()
                        ),
                    },
                    None,
                );
            }
            return (transient(verdict::not_own_answer(SOURCE, answer)), None);
        }
        status => {
            return (
                transient(format!(
                    "HTTP {status} from {requested}: a wall or an error page says nothing about the post: {}",
                    snippet(&answer.body)
                )),
                None,
            );
        }
    }
    if !is_html(answer) {
        return (
            transient(format!(
                "{requested} is not an HTML page (content-type {})",
                answer.content_type.as_deref().unwrap_or("none")
            )),
            None,
        );
    }
    if let Some(why) = elsewhere(requested, &final_url) {
        return (transient(why), None);
    }
    let page = meta::read(&String::from_utf8_lossy(&answer.body), &final_url);
    if let Some(title) = wall_title(page.title_tag.as_deref()) {
        return (
            transient(format!("{requested} is a wall: {title:?}")),
            page.oembed_link,
        );
    }
    // A wall served at the post's own address (no redirect) still names its own address: a
    // login page's canonical link is the login page (Facebook's "Log into Facebook").
    if let Some(canonical) = page.canonical.as_ref().filter(|c| {
        let path = c.path().to_ascii_lowercase();
        WALL_PATHS.iter().any(|w| path.starts_with(w))
    }) {
        return (
            transient(format!(
                "{requested} is a wall: its canonical address is {canonical}"
            )),
            page.oembed_link,
        );
    }
    if page
        .canonical
        .as_ref()
        .is_some_and(|c| c.path() == "/" && requested.path() != "/")
    {
        return (
            transient(format!(
                "{requested} describes its site's home page, not the post"
            )),
            page.oembed_link,
        );
    }
    if !page.has_metadata {
        return (
            transient(format!(
                "{requested} carries no OpenGraph, JSON-LD or Twitter-card metadata"
            )),
            page.oembed_link,
        );
    }
    let link = page.oembed_link.clone();
    let content = PostContent {
        source: SOURCE.to_owned(),
        author_name: page.author_name,
        author_handle: page.author_handle,
        author_url: page.author_url,
        title: page.title,
        text: page.text,
        published_at: page.published_at,
        lang: match whose {
            Whose::Site => page.lang,
            Whose::Platform => page.content_lang,
        },
        media: page.media,
        raw: vec![answer.raw()],
        ..PostContent::default()
    };
    (verdict::live(content, IDENTIFYING), link)
}

/// The page's verdict and the discovered endpoint's, as one: the page's live answer with the
/// endpoint's author; the endpoint's live answer for a page that could not say; else the page's.
fn merge(page: Resolution, discovered: Resolution) -> Resolution {
    match (page, discovered) {
        (Resolution::Live(mut p), Resolution::Live(o)) => {
            if o.author_name.is_some() {
                p.author_name = o.author_name;
                p.author_url = o.author_url.or(p.author_url);
            }
            p.title = p.title.or(o.title);
            p.text = p.text.or(o.text);
            if p.media.is_empty() {
                p.media = o.media;
            }
            p.raw.extend(o.raw);
            Resolution::Live(p)
        }
        (live @ Resolution::Live(_), _) => live,
        (Resolution::Transient { .. }, Resolution::Live(o)) => Resolution::Live(o),
        (page @ Resolution::Transient { .. }, other) => Resolution::Transient {
            source: SOURCE.to_owned(),
            evidence: join_evidence(&page, &other),
        },
        (page, _) => page,
    }
}

/// Read the post at `page_url` from the site's own page (and the oEmbed endpoint it announces).
pub async fn read<F: Fetch>(fetcher: &F, page_url: &Url) -> Resolution {
    read_as(fetcher, page_url, Whose::Site).await
}

/// [`read`], for the page of `whose`.
pub async fn read_as<F: Fetch>(fetcher: &F, page_url: &Url, whose: Whose) -> Resolution {
    let answer = match fetcher.fetch(SOURCE, page_url).await {
        Ok(a) => a,
        Err(e) => return e.into_transient(),
    };
    let (verdict, link) = classify_as(&answer, page_url, whose);
    let Some(link) = link.filter(|_| Registry::bundled().find(page_url).is_none()) else {
        return verdict;
    };
    let discovered = match fetcher.fetch(DISCOVERED, &link).await {
        Ok(a) => oembed_answer::classify(DISCOVERED, &a, page_url.as_str()),
        Err(e) => e.into_transient(),
    };
    merge(verdict, discovered)
}

/// After a platform's own sources could not decide, or said gone where they may be wrong about
/// every item at once (a retired registry endpoint): the page's live verdict wins, its gone
/// verdict stands (its own rules allow gone only on the post's own 404 or 410), and otherwise
/// the first verdict stands, a transient one with both evidences.
pub fn after(first: Resolution, page: Resolution) -> Resolution {
    match (first, page) {
        (_, live @ Resolution::Live(_)) => live,
        (_, gone @ Resolution::Gone { .. }) => gone,
        (first @ Resolution::Transient { .. }, page) => match &first {
            Resolution::Transient { source, .. } => Resolution::Transient {
                source: source.clone(),
                evidence: join_evidence(&first, &page),
            },
            _ => first,
        },
        (first, _) => first,
    }
}

/// The post's own page for [`PlatformModule::post_page`](super::PlatformModule::post_page):
/// the embed's post URL, when the embed names a post and the URL is one of the platform's post
/// pages (`is_post_page`: its host, or a path shape).
pub fn own_post_page(embed: &EmbedRef, is_post_page: impl Fn(&Url) -> bool) -> Option<Url> {
    embed.post_id.as_ref()?;
    Url::parse(&embed.post_url).ok().filter(|u| is_post_page(u))
}

/// Resolve a `page` embed: its post URL is the page.
pub async fn resolve(ctx: &ResolveContext<'_>, embed: &EmbedRef) -> Resolution {
    match Url::parse(&embed.post_url) {
        Ok(url) => read(ctx.http, &url).await,
        Err(e) => SourceError::BadPostId {
            source_name: SOURCE.to_owned(),
            post_id: embed.post_url.clone(),
            reason: format!("the post URL does not parse: {e}"),
        }
        .into_transient(),
    }
}

/// The page module of the registry. It claims no URL by itself and its embeds take no form of
/// their own.
#[derive(Debug)]
pub struct Page;

impl PlatformModule for Page {
    fn platform(&self) -> Platform {
        Platform::Page
    }

    fn recognise(&self, _url: &Url) -> Option<Recognised> {
        None
    }

    fn sources(&self) -> &'static [&'static str] {
        &[SOURCE, DISCOVERED]
    }

    fn resolve<'a>(
        &'a self,
        ctx: &'a ResolveContext<'a>,
        embed: &'a EmbedRef,
    ) -> std::pin::Pin<Box<dyn Future<Output = Resolution> + Send + 'a>> {
        Box::pin(resolve(ctx, embed))
    }
}

#[cfg(test)]
mod tests;
