//! bluesky: URL recognition, markup, and the resolver over the public AppView ([`resolve`]).
//!
//! Claims posts on `bsky.app` (`/profile/ACTOR/post/RKEY`), the rendered embed iframe
//! (`embed.bsky.app/embed/DID/app.bsky.feed.post/RKEY`), AT-URIs through
//! [`recognise_at_uri`], profiles, and custom feeds and lists (kind `ListTimeline`). It must never
//! claim search, settings or other bsky.app pages.
//!
//! The post id is `ACTOR/RKEY`, where ACTOR is the DID or the handle the URL names (handles are
//! lowercased; DIDs kept as written). A post linked once by handle and once by DID therefore gets
//! two ids: mapping a handle to its DID needs a network lookup
//! (`com.atproto.identity.resolveHandle`), which a recogniser must not make.

use url::Url;

use crate::model::{EmbedKind, Platform, Recognised};

pub mod appview;
pub mod post_view;
pub mod resolve;
#[cfg(test)]
mod resolver_tests;
use crate::platforms::url_util::{host_is_or_www, is_token, segments, web_host};

/// Claim Bluesky post, profile, feed and list URLs.
pub fn recognise(url: &Url) -> Option<Recognised> {
    let host = web_host(url)?;
    let segs = segments(url);
    let segs: Vec<&str> = segs.iter().map(|s| s.as_ref()).collect();
    if host == "embed.bsky.app" {
        return match segs.as_slice() {
            ["embed", did, "app.bsky.feed.post", rkey] => post(did, rkey),
            _ => None,
        };
    }
    if !host_is_or_www(host, "bsky.app") {
        return None;
    }
    match segs.as_slice() {
        ["profile", actor, "post", rkey, ..] => post(actor, rkey),
        ["profile", actor, section @ ("feed" | "lists"), name] => {
            let actor = actor_key(actor)?;
            is_rkey(name).then(|| Recognised {
                platform: Platform::Bluesky,
                kind: EmbedKind::ListTimeline,
                post_id: None,
                canonical_url: format!("https://bsky.app/profile/{actor}/{section}/{name}"),
            })
        }
        ["profile", actor] => {
            let actor = actor_key(actor)?;
            Some(Recognised {
                platform: Platform::Bluesky,
                kind: EmbedKind::Profile,
                post_id: None,
                canonical_url: format!("https://bsky.app/profile/{actor}"),
            })
        }
        _ => None,
    }
}

/// Claim an AT-URI `at://DID-OR-HANDLE/app.bsky.feed.post/RKEY` (the `data-bluesky-uri` of an
/// embed blockquote). AT-URIs are not web URLs (`did:plc:…` is not a valid host), so they come as
/// text rather than as a [`Url`].
pub fn recognise_at_uri(uri: &str) -> Option<Recognised> {
    let rest = uri.trim().strip_prefix("at://")?;
    let mut parts = rest.split('/');
    let (actor, collection, rkey) = (parts.next()?, parts.next()?, parts.next()?);
    if collection != "app.bsky.feed.post" || parts.next().is_some() {
        return None;
    }
    post(actor, rkey)
}

fn post(actor: &str, rkey: &str) -> Option<Recognised> {
    let actor = actor_key(actor)?;
    if !is_rkey(rkey) {
        return None;
    }
    Some(Recognised {
        platform: Platform::Bluesky,
        kind: EmbedKind::Post,
        post_id: Some(format!("{actor}/{rkey}")),
        canonical_url: format!("https://bsky.app/profile/{actor}/post/{rkey}"),
    })
}

/// A DID (`did:plc:…`, `did:web:…`) as written, or a handle (a domain name) lowercased.
fn actor_key(actor: &str) -> Option<String> {
    if let Some(method_and_id) = actor.strip_prefix("did:") {
        let ok = is_token(method_and_id, 3, 256, |c| {
            c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '_' | '-' | '%')
        }) && method_and_id.contains(':');
        return ok.then(|| actor.to_owned());
    }
    let handle = actor.to_ascii_lowercase();
    let ok = is_token(&handle, 3, 253, |c| {
        c.is_ascii_alphanumeric() || c == '.' || c == '-'
    }) && handle.contains('.')
        && !handle.starts_with('.')
        && !handle.ends_with('.');
    ok.then_some(handle)
}

/// Record keys: post rkeys are 13-character TIDs, but the protocol allows any of
/// `A-Za-z0-9 . - _ : ~` up to 512 characters.
fn is_rkey(s: &str) -> bool {
    s != "."
        && s != ".."
        && is_token(s, 1, 512, |c| {
            c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '~')
        })
}

/// What Bluesky's embeds look like in an article: the `bluesky-embed` blockquote (whose
/// attribution line copies X's), `amp-bluesky`, and the iframe `embed.js` renders.
pub static MARKUP: crate::platforms::markup::Markup = crate::platforms::markup::Markup {
    quotes: &[crate::platforms::markup::Quote {
        form: crate::model::markup::QuoteForm {
            class: "bluesky-embed",
            marker_attr: None,
            post_attrs: &["data-bluesky-uri"],
            urls: quote_urls,
            family: &SCRIPTS,
        },
        read: read_quote,
    }],
    amp: &[crate::platforms::markup::ElementForm {
        marker: crate::platforms::markup::Marker::Tag("amp-bluesky"),
        read: read_amp,
    }],
    unwrap_frame: Some(unwrap_frame),
    naming: Some(crate::platforms::markup::Naming::words(
        crate::model::Platform::Bluesky,
        &["bluesky", "bsky"],
    )),
    ..crate::platforms::markup::Markup::NONE
};

/// The script that renders Bluesky's blockquotes.
static SCRIPTS: crate::model::markup::ScriptFamily = crate::model::markup::ScriptFamily {
    name: "bluesky",
    scripts: &[("embed.bsky.app", "/static/embed.js")],
    on_post_host: None,
    widget_classes: &[],
};

/// The last post link inside (earlier ones are links in the text), then the `at://` URI.
fn quote_urls(parts: &crate::model::markup::QuoteParts<'_>) -> Vec<Url> {
    let mut urls: Vec<Url> = parts
        .links
        .iter()
        .rev()
        .filter(|u| crate::model::markup::path_has(u, &["post"]))
        .cloned()
        .collect();
    if let Some(uri) = parts.attr("data-bluesky-uri") {
        urls.extend(at_uri_post_url(uri));
    }
    urls
}

fn read_quote(
    el: scraper::ElementRef<'_>,
    _urls: &[Url],
) -> crate::platforms::markup::QuoteReading {
    crate::platforms::markup::QuoteReading {
        reading: crate::platforms::x::markup::attribution_reading(el),
        widget: None,
    }
}

fn read_amp(
    el: scraper::ElementRef<'_>,
    base: &Url,
) -> Option<crate::platforms::markup::Candidate> {
    crate::platforms::markup::amp_url_candidate(el, base, &["data-src", "src"])
}

/// `at://DID/app.bsky.feed.post/RKEY` as the bsky.app post URL.
fn at_uri_post_url(uri: &str) -> Option<Url> {
    let rest = uri.trim().strip_prefix("at://")?;
    let mut parts = rest.split('/');
    let (did, collection, rkey) = (parts.next()?, parts.next()?, parts.next()?);
    (collection == "app.bsky.feed.post" && !did.is_empty() && !rkey.is_empty())
        .then(|| Url::parse(&format!("https://bsky.app/profile/{did}/post/{rkey}")).ok())
        .flatten()
}

/// The iframe `embed.js` renders, `embed.bsky.app/embed/DID/app.bsky.feed.post/RKEY`.
fn unwrap_frame(url: &Url) -> Option<Url> {
    if !url.host_str()?.eq_ignore_ascii_case("embed.bsky.app") {
        return None;
    }
    let rest = url.path().strip_prefix("/embed/")?;
    let mut parts = rest.split('/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(did), Some("app.bsky.feed.post"), Some(rkey)) => {
            Url::parse(&format!("https://bsky.app/profile/{did}/post/{rkey}")).ok()
        }
        _ => None,
    }
}

/// The Bluesky module of the registry.
#[derive(Debug)]
pub struct Bluesky;

impl crate::platforms::PlatformModule for Bluesky {
    fn platform(&self) -> Platform {
        Platform::Bluesky
    }

    fn recognise(&self, url: &Url) -> Option<Recognised> {
        recognise(url)
    }

    fn markup(&self) -> &'static crate::platforms::markup::Markup {
        &MARKUP
    }

    fn sources(&self) -> &'static [&'static str] {
        &[appview::HANDLE, appview::THREAD, appview::POSTS]
    }

    fn resolve<'a>(
        &'a self,
        ctx: &'a crate::platforms::ResolveContext<'a>,
        embed: &'a crate::model::EmbedRef,
    ) -> std::pin::Pin<Box<dyn Future<Output = crate::model::Resolution> + Send + 'a>> {
        Box::pin(resolve::resolve(ctx, embed))
    }

    /// The bsky.app post page: its OpenGraph tags carry the author and the text.
    fn post_page(&self, embed: &crate::model::EmbedRef) -> Option<Url> {
        crate::platforms::page::own_post_page(embed, |u| u.path().contains("/post/"))
    }

    /// A post asked for by its author's handle (the address bsky.app's "Copy link" gives) may be
    /// archived under the author's DID, as embed codes name it.
    fn id_by_account_name<'k>(&self, post_id: &'k str) -> Option<(&'k str, &'k str)> {
        post_id
            .split_once('/')
            .filter(|(actor, _)| !actor.starts_with("did:"))
    }

    /// The page's title is the author's byline, `NAME (@HANDLE)`: a Bluesky post has no title,
    /// and the byline names the handle, as the AppView's answer does.
    fn refine_page_post(
        &self,
        mut content: crate::model::PostContent,
        _embed: &crate::model::EmbedRef,
    ) -> crate::model::PostContent {
        let Some((name, handle)) = content.title.as_deref().and_then(byline) else {
            return content;
        };
        if let (Some(name), Some(known)) = (name, content.author_name.as_deref())
            && name != known
        {
            return content;
        }
        content.author_name = content.author_name.or_else(|| name.map(str::to_owned));
        content.author_url = content
            .author_url
            .or_else(|| Some(format!("https://bsky.app/profile/{handle}")));
        content.author_handle = content.author_handle.or(Some(handle));
        content.title = None;
        content
    }
}

/// A post page's title, `NAME (@HANDLE)`, read into the name and the handle (a domain name);
/// an author without a display name has `@HANDLE` alone, which names no name.
fn byline(title: &str) -> Option<(Option<&str>, String)> {
    let title = title.trim();
    let (name, handle) = match title.strip_prefix('@') {
        Some(handle) => (None, handle),
        None => {
            let (name, rest) = title.rsplit_once(" (@")?;
            (Some(name.trim()), rest.strip_suffix(')')?)
        }
    };
    // A handle as a post URL's actor is read (a DID is no handle a byline shows).
    let handle = actor_key(handle).filter(|h| !h.starts_with("did:"))?;
    name.is_none_or(|n| !n.is_empty()).then_some((name, handle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(u: &str) -> Option<Recognised> {
        recognise(&Url::parse(u).unwrap())
    }

    #[test]
    fn a_post_pages_byline_names_the_author_not_a_title() {
        use crate::platforms::PlatformModule;
        let page = |title: &str, name: Option<&str>| crate::model::PostContent {
            title: Some(title.into()),
            author_name: name.map(str::to_owned),
            text: Some("the post".into()),
            ..crate::model::PostContent::default()
        };
        let embed = crate::platforms::replay::embed(
            Platform::Bluesky,
            "glendunlap.bsky.social/3mdegyw3ves2t",
            "https://bsky.app/profile/glendunlap.bsky.social/post/3mdegyw3ves2t",
        );
        let c = Bluesky.refine_page_post(
            page("Glen Dunlap (@glendunlap.bsky.social)", Some("Glen Dunlap")),
            &embed,
        );
        assert_eq!(c.title, None);
        assert_eq!(c.author_name.as_deref(), Some("Glen Dunlap"));
        assert_eq!(c.author_handle.as_deref(), Some("glendunlap.bsky.social"));
        assert_eq!(
            c.author_url.as_deref(),
            Some("https://bsky.app/profile/glendunlap.bsky.social")
        );
        assert_eq!(c.text.as_deref(), Some("the post"));
        // An author without a display name: the title is the handle alone.
        let c = Bluesky.refine_page_post(page("@glendunlap.bsky.social", None), &embed);
        assert_eq!(c.title, None);
        assert_eq!(c.author_name, None);
        assert_eq!(c.author_handle.as_deref(), Some("glendunlap.bsky.social"));
        // A title that is no byline, or the byline of another name, stays as it is.
        for (title, name) in [
            ("A headline", Some("Glen Dunlap")),
            ("Someone Else (@else.bsky.social)", Some("Glen Dunlap")),
            ("Glen (@not a handle)", None),
        ] {
            let c = Bluesky.refine_page_post(page(title, name), &embed);
            assert_eq!(c.title.as_deref(), Some(title), "{title}");
            assert_eq!(c.author_handle, None, "{title}");
        }
    }

    #[test]
    fn posts_in_every_form() {
        let cases = [
            (
                "https://bsky.app/profile/stephenking.bsky.social/post/3mddvy5bv6k27",
                "stephenking.bsky.social/3mddvy5bv6k27",
                "https://bsky.app/profile/stephenking.bsky.social/post/3mddvy5bv6k27",
            ),
            (
                "https://bsky.app/profile/Forbes.com/post/3mdd7aj7pgs2x?ref_src=embed",
                "forbes.com/3mdd7aj7pgs2x",
                "https://bsky.app/profile/forbes.com/post/3mdd7aj7pgs2x",
            ),
            (
                "https://bsky.app/profile/did:plc:uy7ehrx332p6dow5sk32hxzq/post/3k7rmyigapw2y?ref_src=embed",
                "did:plc:uy7ehrx332p6dow5sk32hxzq/3k7rmyigapw2y",
                "https://bsky.app/profile/did:plc:uy7ehrx332p6dow5sk32hxzq/post/3k7rmyigapw2y",
            ),
            (
                "https://embed.bsky.app/embed/did:plc:uy7ehrx332p6dow5sk32hxzq/app.bsky.feed.post/3k7rmyigapw2y?id=123",
                "did:plc:uy7ehrx332p6dow5sk32hxzq/3k7rmyigapw2y",
                "https://bsky.app/profile/did:plc:uy7ehrx332p6dow5sk32hxzq/post/3k7rmyigapw2y",
            ),
        ];
        for (input, id, canonical) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.platform, Platform::Bluesky, "{input}");
            assert_eq!(got.kind, EmbedKind::Post, "{input}");
            assert_eq!(got.post_id.as_deref(), Some(id), "{input}");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(canonical), Some(got), "idempotent: {canonical}");
        }
    }

    #[test]
    fn at_uris() {
        let got = recognise_at_uri(
            "at://did:plc:uy7ehrx332p6dow5sk32hxzq/app.bsky.feed.post/3k7rmyigapw2y",
        )
        .unwrap();
        assert_eq!(
            got.post_id.as_deref(),
            Some("did:plc:uy7ehrx332p6dow5sk32hxzq/3k7rmyigapw2y")
        );
        assert_eq!(
            rec(&got.canonical_url).as_ref(),
            Some(&got),
            "AT-URI and web URL agree"
        );
        for bad in [
            "at://did:plc:uy7ehrx332p6dow5sk32hxzq/app.bsky.feed.like/3k7rmyigapw2y",
            "at://did:plc:uy7ehrx332p6dow5sk32hxzq",
            "https://bsky.app/profile/x.bsky.social/post/3k7rmyigapw2y",
        ] {
            assert_eq!(recognise_at_uri(bad), None, "{bad}");
        }
    }

    #[test]
    fn profiles_feeds_and_other_pages() {
        let profile = rec("https://bsky.app/profile/did:plc:XXXX?ref_src=embed").unwrap();
        assert_eq!(profile.kind, EmbedKind::Profile);
        assert_eq!(profile.post_id, None);
        let feed = rec("https://bsky.app/profile/bsky.app/feed/whats-hot").unwrap();
        assert_eq!(feed.kind, EmbedKind::ListTimeline);
        for input in [
            "https://bsky.app/",
            "https://bsky.app/search?q=x",
            "https://bsky.app/settings",
            "https://bsky.app/profile/nodots/post/3k7rmyigapw2y",
            "https://embed.bsky.app/static/embed.js",
            "https://cdn.bsky.app/img/avatar/plain/did:plc:h7obn4tkp47wn7gqh4oe5eij/x@jpeg",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }
}
