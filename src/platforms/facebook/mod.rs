//! facebook: URL recognition, markup, and the resolver ([`resolve`]): the embedded-post plugin
//! page without a token ([`plugin`]), Graph oEmbed when a token is configured ([`graph`]).
//!
//! Claims posts, photos, videos and reels on `www`/`m`/`web`/`mbasic`/`business.facebook.com`,
//! the social-plugin iframes (`/plugins/post.php?href=`, `/plugins/video.php?href=`) by the post
//! they carry, and pages/profiles (kind `Profile`). It must never claim the like, share, comment
//! and login machinery (`/sharer.php`, `/plugins/like.php`, `/dialog/...`, `/login/`), and it
//! does not claim redirecting short links (`fb.watch/CODE`, `/share/p/CODE/`): their code is not
//! the post id, so the caller has to follow them first.
//!
//! Facebook has no id that is stable across URL forms (a post can be reached by a numeric id or
//! by a `pfbid…` token), so the post id is the id the URL names and the canonical URL keeps that
//! form.

use scraper::ElementRef;
use url::Url;

use crate::platforms::markup::reading::{
    Reading, collapse, descendants, element_text, parse_link_date,
};

use crate::model::{EmbedKind, Platform, Recognised};
use crate::platforms::url_util::{
    host_within, inner_url, is_digits, is_token, query_value, segments, web_host,
};

pub mod graph;
mod page;
pub mod plugin;
pub mod resolve;
#[cfg(test)]
mod resolver_tests;

/// First path segments that are site sections, never page names.
const RESERVED: &[&str] = &[
    "sharer",
    "sharer.php",
    "share.php",
    "share",
    "dialog",
    "login",
    "login.php",
    "logout.php",
    "plugins",
    "tr",
    "hashtag",
    "groups",
    "watch",
    "events",
    "marketplace",
    "help",
    "policies",
    "privacy",
    "business",
    "ads",
    "pages",
    "home.php",
    "l.php",
    "photo.php",
    "photo",
    "video.php",
    "permalink.php",
    "story.php",
    "profile.php",
    "reel",
    "reels",
    "notes",
    "media",
    "search",
    "friends",
    "settings",
    "checkpoint",
    "recover",
    "r.php",
    "signup",
    "gaming",
    "legal",
    "about",
    "fundraisers",
    "stories",
    "messages",
    "notifications",
    "bookmarks",
    "dyi",
    "v2.0",
    "x",
];

/// Claim Facebook post, video and page URLs.
pub fn recognise(url: &Url) -> Option<Recognised> {
    let host = web_host(url)?;
    if !(host_within(host, "facebook.com") && is_site_host(host)) {
        return None;
    }
    let segs = segments(url);
    let segs: Vec<&str> = segs.iter().map(|s| s.as_ref()).collect();
    match plugin_path(&segs) {
        // Social plugins: the post is in `href`. The page plugin (`page.php`, the older
        // `likebox.php`) shows a page's feed beside an article, as the like and comments plugins
        // sit beside it: site furniture, not an embedded post, so it is not claimed.
        [
            "plugins",
            "post.php" | "video.php" | "comment_embed.php" | "post" | "video" | "comment_embed",
        ] => {
            let inner = inner_url(&query_value(url, "href")?)?;
            let inner_host = web_host(&inner)?;
            // An `href` pointing off Facebook (an article URL in a comments plugin) is not ours.
            if !host_within(inner_host, "facebook.com") || inner.path().starts_with("/plugins/") {
                return None;
            }
            recognise(&inner)
        }
        [user, "posts", id, ..] if is_page_name(user) => post_id(id).then(|| {
            item(
                EmbedKind::Post,
                id,
                format!("https://www.facebook.com/{user}/posts/{id}"),
            )
        }),
        ["groups", group, "posts" | "permalink", id, ..] if is_page_name(group) => post_id(id)
            .then(|| {
                item(
                    EmbedKind::Post,
                    id,
                    format!("https://www.facebook.com/groups/{group}/posts/{id}"),
                )
            }),
        [user, "videos", rest @ ..] if is_page_name(user) => {
            // `/USER/videos/ID`, `/USER/videos/slug/ID`, `/USER/videos/vb.X/ID`: the id is the
            // last all-digit segment.
            let id = rest.iter().rev().find(|s| is_digits(s, 25))?;
            Some(item(
                EmbedKind::Video,
                id,
                format!("https://www.facebook.com/{user}/videos/{id}"),
            ))
        }
        [user, "photos", rest @ ..] if is_page_name(user) && !rest.is_empty() => {
            // `/USER/photos/a.ALBUM/ID`, `/USER/photos/pcb.X/ID`: the photo id is the last
            // segment; the album part is kept because it is part of the page's address.
            let id = rest.last().filter(|s| is_digits(s, 25))?;
            let path = rest.join("/");
            Some(item(
                EmbedKind::Post,
                id,
                format!("https://www.facebook.com/{user}/photos/{path}"),
            ))
        }
        // A share link, what Facebook's Share button has copied since 2023 (`/share/p/ID/` a
        // post, `/share/v/ID/` a video, `/share/r/ID/` a reel, `/share/ID/`): it redirects to
        // the item it names, and publishers paste it into the post plugin.
        ["share", kind @ ("p" | "v" | "r"), id] if is_share_id(id) => Some(item(
            if *kind == "p" {
                EmbedKind::Post
            } else {
                EmbedKind::Video
            },
            &format!("share/{kind}/{id}"),
            format!("https://www.facebook.com/share/{kind}/{id}/"),
        )),
        ["share", id] if is_share_id(id) => Some(item(
            EmbedKind::Post,
            &format!("share/{id}"),
            format!("https://www.facebook.com/share/{id}/"),
        )),
        ["reel" | "reels", id, ..] if is_digits(id, 25) => Some(item(
            EmbedKind::Video,
            id,
            format!("https://www.facebook.com/reel/{id}"),
        )),
        ["watch"] | ["watch", "live"] | ["video.php"] | ["video", "embed"] => {
            // `video/embed?video_id=ID`: the video iframe of Facebook's embed codes before the
            // video plugin (2012–2015).
            let id = query_value(url, "v")
                .or_else(|| query_value(url, "video_id"))
                .filter(|v| is_digits(v, 25))?;
            Some(item(
                EmbedKind::Video,
                &id,
                format!("https://www.facebook.com/watch/?v={id}"),
            ))
        }
        ["photo.php"] | ["photo"] => {
            let id = query_value(url, "fbid").filter(|v| is_digits(v, 25))?;
            Some(item(
                EmbedKind::Post,
                &id,
                format!("https://www.facebook.com/photo/?fbid={id}"),
            ))
        }
        ["permalink.php"] | ["story.php"] => {
            let story = query_value(url, "story_fbid").filter(|s| post_id(s))?;
            let owner = query_value(url, "id").filter(|s| is_digits(s, 25))?;
            Some(item(
                EmbedKind::Post,
                &story,
                format!("https://www.facebook.com/permalink.php?story_fbid={story}&id={owner}"),
            ))
        }
        ["notes", user, title, id] if is_digits(id, 25) => Some(item(
            EmbedKind::Post,
            id,
            format!("https://www.facebook.com/notes/{user}/{title}/{id}"),
        )),
        ["pages", name, id] if is_digits(id, 25) => Some(profile(format!(
            "https://www.facebook.com/pages/{name}/{id}"
        ))),
        ["profile.php"] => {
            let id = query_value(url, "id").filter(|s| is_digits(s, 25))?;
            Some(profile(format!(
                "https://www.facebook.com/profile.php?id={id}"
            )))
        }
        [user] if is_page_name(user) => Some(profile(format!("https://www.facebook.com/{user}"))),
        _ => None,
    }
}

/// Hosts that serve posts: the bare domain and the `www`, `m`, `mbasic`, `web`, `business` and
/// language (`de-de`) subdomains. Others (`connect.facebook.com`, `developers.…`) are not.
fn is_site_host(host: &str) -> bool {
    match host.strip_suffix("facebook.com") {
        Some("") => true,
        Some(sub) => {
            let sub = sub.trim_end_matches('.');
            matches!(sub, "www" | "m" | "mbasic" | "web" | "business" | "touch")
                || is_token(sub, 5, 5, |c| c.is_ascii_lowercase() || c == '-')
                    && sub.as_bytes().get(2) == Some(&b'-')
        }
        None => false,
    }
}

/// Post ids are long decimal ids or `pfbid…` tokens.
fn post_id(s: &str) -> bool {
    (is_digits(s, 25) && s.len() >= 5)
        || (s.starts_with("pfbid") && is_token(s, 10, 100, |c| c.is_ascii_alphanumeric()))
}

/// The id of a share link: letters and digits (`18GvVs4K8V`, `1AbCdEfGhIjKlMn`).
fn is_share_id(s: &str) -> bool {
    is_token(s, 6, 32, |c| c.is_ascii_alphanumeric())
}

/// Page and user names: letters, digits and `.`; section names are not page names.
fn is_page_name(s: &str) -> bool {
    is_token(s, 1, 80, |c| {
        c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_'
    }) && !RESERVED.contains(&s.to_ascii_lowercase().as_str())
}

fn item(kind: EmbedKind, id: &str, canonical_url: String) -> Recognised {
    Recognised {
        platform: Platform::Facebook,
        kind,
        post_id: Some(id.to_owned()),
        canonical_url,
    }
}

fn profile(canonical_url: String) -> Recognised {
    Recognised {
        platform: Platform::Facebook,
        kind: EmbedKind::Profile,
        post_id: None,
        canonical_url,
    }
}

/// What Facebook's embeds look like in an article: `div.fb-post`/`div.fb-video` filled by the
/// SDK (with a fallback quote of the post inside), the XFBML elements `fb:post`/`fb:video` of the
/// embed code given out before them (2013–2015), which the SDK still fills, `amp-facebook`, and
/// the plugin iframes that name the post in their `href`. The comments, like and page plugins
/// (`div.fb-comments`, `fb:like`, `fb:page` …) sit beside an article and are no forms of it.
pub static MARKUP: crate::platforms::markup::Markup = crate::platforms::markup::Markup {
    amp: &[crate::platforms::markup::ElementForm {
        marker: crate::platforms::markup::Marker::Tag("amp-facebook"),
        read: read_amp,
    }],
    unwrap_frame: Some(unwrap_frame),
    containers: &[
        crate::platforms::markup::ElementForm {
            marker: crate::platforms::markup::Marker::Class("fb-post"),
            read: read_post,
        },
        crate::platforms::markup::ElementForm {
            marker: crate::platforms::markup::Marker::Class("fb-video"),
            read: read_video,
        },
        crate::platforms::markup::ElementForm {
            marker: crate::platforms::markup::Marker::Tag("fb:post"),
            read: read_xfbml,
        },
        crate::platforms::markup::ElementForm {
            marker: crate::platforms::markup::Marker::Tag("fb:video"),
            read: read_xfbml,
        },
    ],
    // The same forms as the rewrite reads them, from the start tag: the address the SDK reads.
    addressed: &[
        crate::model::markup::AddressForm {
            element: "div",
            class: Some("fb-post"),
            attrs: DIV_ADDRESS,
        },
        crate::model::markup::AddressForm {
            element: "div",
            class: Some("fb-video"),
            attrs: DIV_ADDRESS,
        },
        crate::model::markup::AddressForm {
            element: "fb:post",
            class: None,
            attrs: XFBML_ADDRESS,
        },
        crate::model::markup::AddressForm {
            element: "fb:video",
            class: None,
            attrs: XFBML_ADDRESS,
        },
    ],
    naming: Some(crate::platforms::markup::Naming {
        id_url: Some(page_item_url),
        ..crate::platforms::markup::Naming::words(crate::model::Platform::Facebook, &["facebook"])
    }),
    ..crate::platforms::markup::Markup::NONE
};

/// A post or video named by its page and number, `PAGE/posts/ID` or `PAGE/videos/ID`, as
/// s9e/TextFormatter's frames write it (`s9e.github.io/iframe/2/facebook.min.html#PAGE/posts/ID`):
/// its address on Facebook. A bare number says neither whose nor what it is.
fn page_item_url(item: &str) -> Option<Url> {
    let mut parts = item.split('/');
    let (Some(page), Some(kind @ ("posts" | "videos")), Some(id), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let page_ok = (1..=100).contains(&page.len())
        && page.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.');
    let id_ok = (1..=40).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric());
    (page_ok && id_ok)
        .then(|| Url::parse(&format!("https://www.facebook.com/{page}/{kind}/{id}")).ok())
        .flatten()
}

fn read_amp(
    el: scraper::ElementRef<'_>,
    base: &Url,
) -> Option<crate::platforms::markup::Candidate> {
    crate::platforms::markup::amp_url_candidate(el, base, &["data-href"])
}

fn read_post(
    el: scraper::ElementRef<'_>,
    base: &Url,
) -> Option<crate::platforms::markup::Candidate> {
    read_container(el, base, "fb-post")
}

fn read_video(
    el: scraper::ElementRef<'_>,
    base: &Url,
) -> Option<crate::platforms::markup::Candidate> {
    read_container(el, base, "fb-video")
}

/// The post in `data-href` (or `data-uri`) and what the fallback quote inside says.
fn read_container(
    el: scraper::ElementRef<'_>,
    base: &Url,
    class: &str,
) -> Option<crate::platforms::markup::Candidate> {
    read_plugin(
        el,
        base,
        DIV_ADDRESS,
        format!("{}.{class}", el.value().name()),
    )
}

/// Where `div.fb-post`/`div.fb-video` name their post, best first.
const DIV_ADDRESS: &[&str] = &["data-href", "data-uri"];

/// Where an XFBML element (`<fb:post href=…>`, `<fb:video href=…>`) names its post: the SDK
/// reads each of its attributes with or without `data-`, so the post is in `href` or
/// `data-href` (or in `uri`, which the divs may carry as `data-uri`).
const XFBML_ADDRESS: &[&str] = &["href", "data-href", "uri", "data-uri"];

/// An XFBML element, read from [`XFBML_ADDRESS`]. The evidence is the element's name.
fn read_xfbml(
    el: scraper::ElementRef<'_>,
    base: &Url,
) -> Option<crate::platforms::markup::Candidate> {
    read_plugin(el, base, XFBML_ADDRESS, el.value().name().to_owned())
}

/// The post a plugin element names in the first of `attrs` it holds (then the others), and what
/// the fallback quote inside it says.
fn read_plugin(
    el: scraper::ElementRef<'_>,
    base: &Url,
    attrs: &[&str],
    evidence: String,
) -> Option<crate::platforms::markup::Candidate> {
    let urls = attrs
        .iter()
        .filter_map(|a| crate::platforms::markup::attr_url(el, base, a))
        .collect();
    let mut c = crate::platforms::markup::Candidate::new(urls, evidence)?;
    c.reading = quote_reading(el);
    Some(c)
}

/// A path without the API version the SDK puts before its plugins: the frames it renders are
/// `/v2.10/plugins/post.php?…`, `/v18.0/plugins/video.php?…`, the same plugins as
/// `/plugins/post.php?…`.
fn plugin_path<'a, 'b>(segs: &'a [&'b str]) -> &'a [&'b str] {
    match segs {
        [version, "plugins", ..] if is_api_version(version) => &segs[1..],
        _ => segs,
    }
}

/// `v2.10`, `v18.0`: a Graph API version.
fn is_api_version(seg: &str) -> bool {
    seg.strip_prefix('v').is_some_and(|v| {
        v.split_once('.')
            .is_some_and(|(major, minor)| is_digits(major, 3) && is_digits(minor, 3))
    })
}

/// The plugin iframes `plugins/post.php` and `plugins/video.php` (with or without the SDK's API
/// version before them) name the post in `href`.
fn unwrap_frame(url: &Url) -> Option<Url> {
    // Every frame of a page is asked: the host decides before the path is split.
    if !host_within(web_host(url)?, "facebook.com") {
        return None;
    }
    let segs: Vec<&str> = url.path_segments()?.collect();
    if !matches!(
        plugin_path(&segs),
        ["plugins", "post.php" | "video.php" | "post" | "video"]
    ) {
        return None;
    }
    url.query_pairs()
        .find(|(k, _)| k == "href")
        .and_then(|(_, h)| Url::parse(&h).ok())
}

/// Facebook's fallback blockquote inside `div.fb-post`: `<p>` text, "Posted by <a>NAME</a> on
/// <a>DATE</a>"; inside `div.fb-video`, the video's title first, as a link to the video itself
/// (the blockquote's `cite`), and the date as text after the author: `<a>TITLE</a><p>TEXT</p>
/// Posted by<a>NAME</a>on Friday, December 5, 2014`.
pub fn quote_reading(el: ElementRef<'_>) -> Reading {
    let Some(quote) = descendants(el, "blockquote").next() else {
        return Reading::default();
    };
    let cite = quote.value().attr("cite").map(str::trim);
    let is_title = |a: &ElementRef<'_>| {
        cite.is_some_and(|c| !c.is_empty() && a.value().attr("href").map(str::trim) == Some(c))
    };
    let links: Vec<ElementRef<'_>> = quote
        .children()
        .filter_map(ElementRef::wrap)
        .filter(|a| a.value().name() == "a")
        .collect();
    let links = match links.split_first() {
        Some((first, rest)) if is_title(first) && !rest.is_empty() => rest,
        _ => links.as_slice(),
    };
    let (author, date) = match links {
        [] => (None, None),
        // A lone link to the post itself is its date.
        [only] if is_title(only) => (None, Some(*only)),
        [only] => (Some(*only), None),
        [first, .., last] => (Some(*first), Some(*last)),
    };
    // A date written as text after the author's link, not as a link of its own.
    let date_after_author = || {
        let text: String = author?
            .next_siblings()
            .take_while(|n| !n.value().is_element())
            .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
            .collect();
        parse_link_date(&text)
    };
    Reading {
        author_name: author.and_then(|a| collapse(&element_text(a))),
        text: descendants(quote, "p")
            .next()
            .and_then(|p| collapse(&element_text(p))),
        published_at: match date {
            Some(a) => parse_link_date(&element_text(a)),
            None => date_after_author(),
        },
        ..Reading::default()
    }
}

/// The Facebook module of the registry.
#[derive(Debug)]
pub struct Facebook;

impl crate::platforms::PlatformModule for Facebook {
    fn platform(&self) -> Platform {
        Platform::Facebook
    }

    fn recognise(&self, url: &Url) -> Option<Recognised> {
        recognise(url)
    }

    fn markup(&self) -> &'static crate::platforms::markup::Markup {
        &MARKUP
    }

    fn sources(&self) -> &'static [&'static str] {
        &[plugin::SOURCE, graph::SOURCE]
    }

    /// A post's own page carries its poster, text and picture in its cards when seen logged
    /// out; pages and profiles are no posts.
    fn post_page(&self, embed: &crate::model::EmbedRef) -> Option<Url> {
        if embed.kind == EmbedKind::Profile {
            return None;
        }
        crate::platforms::page::own_post_page(embed, |u| u.host_str() == Some("www.facebook.com"))
    }

    /// A post only friends may see answers as a removed one's does; only the plugin says gone.
    fn page_missing_is_gone(&self) -> bool {
        false
    }

    fn refine_page_post(
        &self,
        content: crate::model::PostContent,
        _embed: &crate::model::EmbedRef,
    ) -> crate::model::PostContent {
        page::refine(content)
    }

    fn resolve<'a>(
        &'a self,
        ctx: &'a crate::platforms::ResolveContext<'a>,
        embed: &'a crate::model::EmbedRef,
    ) -> std::pin::Pin<Box<dyn Future<Output = crate::model::Resolution> + Send + 'a>> {
        Box::pin(resolve::resolve(ctx, embed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(u: &str) -> Option<Recognised> {
        recognise(&Url::parse(u).unwrap())
    }

    #[test]
    fn posts_videos_and_plugins() {
        let cases = [
            // Share links, as the post plugin holds them.
            (
                "https://www.facebook.com/share/p/18GvVs4K8V/",
                EmbedKind::Post,
                "share/p/18GvVs4K8V",
                "https://www.facebook.com/share/p/18GvVs4K8V/",
            ),
            (
                "https://www.facebook.com/share/v/1AbCdEfGhI/?mibextid=abc",
                EmbedKind::Video,
                "share/v/1AbCdEfGhI",
                "https://www.facebook.com/share/v/1AbCdEfGhI/",
            ),
            (
                "https://www.facebook.com/share/184gm31REJ/",
                EmbedKind::Post,
                "share/184gm31REJ",
                "https://www.facebook.com/share/184gm31REJ/",
            ),
            (
                "https://www.facebook.com/rubyonrailstogo/posts/3610333842332884",
                EmbedKind::Post,
                "3610333842332884",
                "https://www.facebook.com/rubyonrailstogo/posts/3610333842332884",
            ),
            (
                "https://m.facebook.com/somepage/posts/pfbid02abcDEF123ghiJKL456?__tn__=K-R",
                EmbedKind::Post,
                "pfbid02abcDEF123ghiJKL456",
                "https://www.facebook.com/somepage/posts/pfbid02abcDEF123ghiJKL456",
            ),
            (
                "https://www.facebook.com/unialesznoks/photos/pcb.3485430601537621/3485430308204317",
                EmbedKind::Post,
                "3485430308204317",
                "https://www.facebook.com/unialesznoks/photos/pcb.3485430601537621/3485430308204317",
            ),
            (
                "https://www.facebook.com/elespectadorcom/videos/1321262654994930/",
                EmbedKind::Video,
                "1321262654994930",
                "https://www.facebook.com/elespectadorcom/videos/1321262654994930",
            ),
            (
                "https://www.facebook.com/381763475170840/videos/474308113397163/",
                EmbedKind::Video,
                "474308113397163",
                "https://www.facebook.com/381763475170840/videos/474308113397163",
            ),
            (
                "https://www.facebook.com/justiciatv/videos/some-title/1661762744185332/",
                EmbedKind::Video,
                "1661762744185332",
                "https://www.facebook.com/justiciatv/videos/1661762744185332",
            ),
            (
                "https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com%2Fjusticiatv%2Fvideos%2F1661762744185332%2F&show_text=0&width=560",
                EmbedKind::Video,
                "1661762744185332",
                "https://www.facebook.com/justiciatv/videos/1661762744185332",
            ),
            // The frames the SDK renders name its API version first.
            (
                "https://www.facebook.com/v2.10/plugins/video.php?href=https://www.facebook.com/facebook/videos/10153231379946729&autoplay=false",
                EmbedKind::Video,
                "10153231379946729",
                "https://www.facebook.com/facebook/videos/10153231379946729",
            ),
            (
                "https://www.facebook.com/v18.0/plugins/post.php?app_id=&channel=https%3A%2F%2Fstaticxx.facebook.com&container_width=640&href=https%3A%2F%2Fwww.facebook.com%2Frubyonrailstogo%2Fposts%2F3610333842332884&locale=en_US&sdk=joey&width=500",
                EmbedKind::Post,
                "3610333842332884",
                "https://www.facebook.com/rubyonrailstogo/posts/3610333842332884",
            ),
            (
                "https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2Frubyonrailstogo%2Fposts%2F3610333842332884&width=500",
                EmbedKind::Post,
                "3610333842332884",
                "https://www.facebook.com/rubyonrailstogo/posts/3610333842332884",
            ),
            (
                "https://www.facebook.com/watch/?v=474308113397163",
                EmbedKind::Video,
                "474308113397163",
                "https://www.facebook.com/watch/?v=474308113397163",
            ),
            (
                "https://www.facebook.com/video.php?v=474308113397163",
                EmbedKind::Video,
                "474308113397163",
                "https://www.facebook.com/watch/?v=474308113397163",
            ),
            (
                "https://www.facebook.com/video/embed?video_id=10155703704626323",
                EmbedKind::Video,
                "10155703704626323",
                "https://www.facebook.com/watch/?v=10155703704626323",
            ),
            (
                "https://www.facebook.com/reel/1234567890123456?s=yWDuG2&fs=e",
                EmbedKind::Video,
                "1234567890123456",
                "https://www.facebook.com/reel/1234567890123456",
            ),
            (
                "https://www.facebook.com/photo/?fbid=3348617585198325&set=gm.1675022489341591",
                EmbedKind::Post,
                "3348617585198325",
                "https://www.facebook.com/photo/?fbid=3348617585198325",
            ),
            (
                "https://www.facebook.com/photo.php?fbid=3348617585198325&set=a.1&type=3",
                EmbedKind::Post,
                "3348617585198325",
                "https://www.facebook.com/photo/?fbid=3348617585198325",
            ),
            (
                "https://www.facebook.com/permalink.php?story_fbid=1234567890&id=100064",
                EmbedKind::Post,
                "1234567890",
                "https://www.facebook.com/permalink.php?story_fbid=1234567890&id=100064",
            ),
            (
                "https://www.facebook.com/story.php?story_fbid=pfbid0abcdefghij&id=100064",
                EmbedKind::Post,
                "pfbid0abcdefghij",
                "https://www.facebook.com/permalink.php?story_fbid=pfbid0abcdefghij&id=100064",
            ),
            (
                "https://www.facebook.com/groups/123456/permalink/987654321/",
                EmbedKind::Post,
                "987654321",
                "https://www.facebook.com/groups/123456/posts/987654321",
            ),
            (
                "https://www.facebook.com/notes/facebook-app/welcome-to-the-facebook-blog/2207517130/",
                EmbedKind::Post,
                "2207517130",
                "https://www.facebook.com/notes/facebook-app/welcome-to-the-facebook-blog/2207517130",
            ),
        ];
        for (input, kind, id, canonical) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.platform, Platform::Facebook, "{input}");
            assert_eq!(got.kind, kind, "{input}");
            assert_eq!(got.post_id.as_deref(), Some(id), "{input}");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(canonical), Some(got), "idempotent: {canonical}");
        }
    }

    #[test]
    fn pages_are_profiles() {
        let cases = [
            (
                "https://www.facebook.com/handballschweiz/",
                "https://www.facebook.com/handballschweiz",
            ),
            (
                "http://www.facebook.com/okmagazineuk",
                "https://www.facebook.com/okmagazineuk",
            ),
            (
                "https://www.facebook.com/pages/HappyFace313/358653657549684",
                "https://www.facebook.com/pages/HappyFace313/358653657549684",
            ),
            (
                "https://www.facebook.com/profile.php?id=100064",
                "https://www.facebook.com/profile.php?id=100064",
            ),
        ];
        for (input, canonical) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.kind, EmbedKind::Profile, "{input}");
            assert_eq!(got.post_id, None, "{input}");
            assert_eq!(got.canonical_url, canonical, "{input}");
        }
    }

    #[test]
    fn buttons_dialogs_and_short_links_are_not_claimed() {
        for input in [
            "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fexample.com",
            "https://www.facebook.com/sharer.php?u=https%3A%2F%2Fexample.com",
            "https://www.facebook.com/dialog/share?app_id=1&href=https%3A%2F%2Fexample.com",
            "https://www.facebook.com/plugins/like.php?href=https%3A%2F%2Fwww.caymancompass.com%2F2022%2F05%2F04%2Fx%2F",
            "https://www.facebook.com/plugins/comments.php?href=https%3A%2F%2Fexample.com",
            "https://www.facebook.com/plugins/page.php?href=https%3A%2F%2Fwww.facebook.com%2FNationBarbados%2F&tabs=timeline",
            "https://www.facebook.com/v2.10/plugins/page.php?href=https%3A%2F%2Fwww.facebook.com%2FModernDiplomacy",
            "https://www.facebook.com/plugins/likebox.php?href=http%3A%2F%2Fwww.facebook.com%2Fhindustantimes",
            "https://www.facebook.com/v2.10/plugins/like.php?action=like&app_id=988671374579758&href=https%3A%2F%2Fwww.facebook.com%2Fsomepage%2Fposts%2F3610333842332884",
            "https://www.facebook.com/v2.10/plugins/share_button.php?app_id=1&href=https%3A%2F%2Fnews.example%2Fa",
            "https://www.facebook.com/vx/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2Frubyonrailstogo%2Fposts%2F3610333842332884",
            "https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fexample.com%2Fposts%2F123456",
            "https://www.facebook.com/login/?next=x",
            "https://fb.watch/abcDEF123/",
            "https://www.facebook.com/share/p/",
            "https://www.facebook.com/share/p/abc/",
            "https://www.facebook.com/",
            "https://www.facebook.com/tr?id=1&ev=PageView",
            "https://www.facebook.com/hashtag/news",
            "https://connect.facebook.net/en_US/sdk.js",
            "https://developers.facebook.com/docs/plugins/",
            "https://www.facebook.com/page/posts/notanid",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }

    fn first<'a>(html: &'a scraper::Html, sel: &str) -> scraper::ElementRef<'a> {
        let sel = scraper::Selector::parse(sel).unwrap();
        html.select(&sel).next().unwrap()
    }

    fn date(s: &str) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .with_timezone(&chrono::Utc)
    }

    /// What the declared containers read of an element: its evidence and first URL.
    fn read_declared(html: &str) -> Option<(String, String)> {
        let doc = scraper::Html::parse_fragment(html);
        let base = Url::parse("https://news.example/a").unwrap();
        let el = doc.root_element().child_elements().next().unwrap();
        let form = MARKUP.containers.iter().find(|f| f.marker.marks(el))?;
        let c = (form.read)(el, &base)?;
        Some((c.evidence, c.urls[0].to_string()))
    }

    /// The XFBML embed code: the post in `href` or, as the SDK reads every attribute,
    /// `data-href`; the parser names the element `fb:post` whatever its case.
    #[test]
    fn xfbml_posts_and_videos() {
        let post = "https://www.facebook.com/TheAshwanikBlog/posts/182463588593799";
        let cases = [
            (
                format!(r#"<fb:post href="{post}" data-width="500"></fb:post>"#),
                "fb:post",
            ),
            (
                format!(r#"<FB:POST DATA-HREF="{post}"></FB:POST>"#),
                "fb:post",
            ),
            (
                format!(r#"<fb:post data-href="/x" href="{post}"></fb:post>"#),
                "fb:post",
            ),
            (
                format!(r#"<fb:video href="{post}" data-allowfullscreen="true"></fb:video>"#),
                "fb:video",
            ),
        ];
        for (html, evidence) in cases {
            assert_eq!(
                read_declared(&html),
                Some((evidence.to_owned(), post.to_owned())),
                "{html}"
            );
        }
        for html in [
            r#"<fb:comments href="https://news.example/a" num_posts="2"></fb:comments>"#,
            r#"<fb:like href="https://www.facebook.com/p/posts/1"></fb:like>"#,
            r#"<fb:page href="https://www.facebook.com/p"></fb:page>"#,
            r#"<fb:post></fb:post>"#,
        ] {
            assert_eq!(read_declared(html), None, "{html}");
        }
    }

    #[test]
    fn facebook_fallback_quote() {
        let html = scraper::Html::parse_fragment(
            r#"<div class="fb-post" data-href="https://www.facebook.com/p/posts/1"><blockquote cite="https://www.facebook.com/p/posts/1" class="fb-xfbml-parse-ignore"><p>Big news today</p>Posted by <a href="https://www.facebook.com/p">Some Page</a> on&nbsp;<a href="https://www.facebook.com/p/posts/1">Thursday, February 4, 2021</a></blockquote></div>"#,
        );
        let r = quote_reading(first(&html, "div"));
        assert_eq!(r.text.as_deref(), Some("Big news today"));
        assert_eq!(r.author_name.as_deref(), Some("Some Page"));
        assert_eq!(r.published_at, Some(date("2021-02-04T00:00:00Z")));
        // Facebook's video embed code (as DuckDuckGo's click-to-load test page keeps it): the
        // title first, linking to the video itself, and the date as text.
        let video = scraper::Html::parse_fragment(
            r#"<div class="fb-video" data-href="https://www.facebook.com/facebook/videos/10153231379946729/" data-width="500" data-show-text="false"><blockquote cite="https://developers.facebook.com/facebookapp/videos/10153231379946729/" class="fb-xfbml-parse-ignore"><a href="https://developers.facebook.com/facebookapp/videos/10153231379946729/">How to Share With Just Friends</a><p>How to share with just friends.</p>Posted by<a href="https://www.facebook.com/facebookapp/">Facebook App</a>on Friday, December 5, 2014</blockquote></div>"#,
        );
        let r = quote_reading(first(&video, "div"));
        assert_eq!(r.author_name.as_deref(), Some("Facebook App"));
        assert_eq!(r.text.as_deref(), Some("How to share with just friends."));
        assert_eq!(r.published_at, Some(date("2014-12-05T00:00:00Z")));
        // A post whose only link is to itself: its date, no author.
        let lone = scraper::Html::parse_fragment(
            r#"<div class="fb-post"><blockquote cite="https://www.facebook.com/p/posts/1"><p>Hi</p>Posted by Some Page on <a href="https://www.facebook.com/p/posts/1">February 4, 2021</a></blockquote></div>"#,
        );
        let r = quote_reading(first(&lone, "div"));
        assert_eq!(r.author_name, None);
        assert_eq!(r.published_at, Some(date("2021-02-04T00:00:00Z")));
        let bare = scraper::Html::parse_fragment(r#"<div class="fb-post" data-href="x"></div>"#);
        assert_eq!(
            quote_reading(first(&bare, "div")),
            crate::platforms::markup::Reading::default()
        );
    }
}
