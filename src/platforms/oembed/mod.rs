//! oembed: embeddable sites that have no module of their own, resolved through their oEmbed
//! endpoints. They share [`Platform::Oembed`]; post ids are `PROVIDER/ID` (`vine/OHQBTeUJ9jT`,
//! `flickr/www.flickr.com/photos/bees/2362225867/`): a bare id could collide across providers.
//!
//! Two layers claim URLs. A few providers have readers of their own ([`PROVIDERS`]): their
//! players and widgets have addresses the registry's schemes do not name, and the readers map
//! them to the page URL the endpoint takes, with a short id. Every other URL that matches a
//! scheme of the bundled provider registry ([`oembed_registry`]) is claimed as it is, its
//! canonical form being the URL without fragment and tracking parameters. Providers whose posts
//! a module of their own reads ([`OWN_MODULES`]) are never claimed here, even for URLs that
//! module declines: a profile or site page of theirs is no post.
//!
//! [`resolve`] asks the provider's endpoint, then the post's own page ([`page`](super::page)).

use url::Url;

use crate::model::{EmbedKind, Platform, Recognised};
use crate::platforms::oembed_registry::{Endpoint, Registry};
use crate::platforms::url_util::{
    host_is_or_www, inner_url, is_base64url_char, is_digits, is_token, query_value, segments,
    web_host,
};

mod amp;
pub mod answer;
mod players;
pub mod resolve;

/// One provider with a reader of its own: its name (the post id prefix) and the function that
/// reads its URLs. Its endpoint is the registry's. A provider of the registry keeps the
/// registry's name (its slug), so that the registry does not claim the URLs its reader declines.
#[derive(Debug)]
pub struct Provider {
    pub name: &'static str,
    read: fn(&Url, &str, &[&str]) -> Option<Item>,
}

/// Registry providers whose posts a module of its own reads (by the registry's provider name).
pub const OWN_MODULES: &[&str] = &[
    "YouTube",
    "Vimeo",
    "Instagram",
    "Twitter",
    "X",
    "TikTok",
    "Facebook",
    "Reddit",
    "Spotify",
    "SoundCloud",
    "Pinterest",
    "Tumblr",
    "GIPHY",
    "Bluesky Social",
    "Dailymotion",
    "Apple Podcasts",
];

/// What a provider makes of one URL: kind, id (without the provider prefix) and canonical URL.
struct Item {
    kind: EmbedKind,
    id: String,
    canonical_url: String,
}

/// Every provider, tried in order.
pub const PROVIDERS: &[Provider] = &[
    Provider {
        name: "vine",
        read: vine,
    },
    Provider {
        name: "bandcamp",
        read: bandcamp,
    },
    Provider {
        name: "flickr",
        read: flickr,
    },
    Provider {
        name: "ted",
        read: ted,
    },
    Provider {
        name: "codepen",
        read: codepen,
    },
    Provider {
        name: "mixcloud",
        read: mixcloud,
    },
    Provider {
        name: "streamable",
        read: streamable,
    },
    Provider {
        name: "datawrapper",
        read: datawrapper,
    },
    Provider {
        name: "flourish",
        read: flourish,
    },
    Provider {
        name: "acast",
        read: players::acast,
    },
    Provider {
        name: "tunein",
        read: players::tunein,
    },
    Provider {
        name: "omny-studio",
        read: players::omny,
    },
    Provider {
        name: "megaphone",
        read: players::megaphone,
    },
    Provider {
        name: "simplecast",
        read: players::simplecast,
    },
    Provider {
        name: "libsyn",
        read: players::libsyn,
    },
    Provider {
        name: "audioboom",
        read: players::audioboom,
    },
    Provider {
        name: "spreaker",
        read: players::spreaker,
    },
    Provider {
        name: "buzzsprout",
        read: players::buzzsprout,
    },
    Provider {
        name: "podbean",
        read: players::podbean,
    },
    Provider {
        name: "anchor",
        read: players::anchor,
    },
    Provider {
        name: "deezer",
        read: players::deezer,
    },
    Provider {
        name: "apple-music",
        read: players::apple_music,
    },
    Provider {
        name: "scribd",
        read: players::scribd,
    },
    Provider {
        name: "slideshare",
        read: players::slideshare,
    },
    Provider {
        name: "issuu",
        read: players::issuu,
    },
    Provider {
        name: "ustream",
        read: players::ustream,
    },
    Provider {
        name: "infogram",
        read: players::infogram,
    },
    Provider {
        name: "wistia-inc",
        read: players::wistia,
    },
    Provider {
        name: "loom",
        read: players::loom,
    },
    Provider {
        name: "rumble",
        read: players::rumble,
    },
    Provider {
        name: "brightcove",
        read: players::brightcove,
    },
    Provider {
        name: "jwplayer",
        read: players::jwplayer,
    },
    Provider {
        name: "kaltura",
        read: players::kaltura,
    },
];

/// Claim a URL of a provider with a reader of its own, or of any registry provider.
pub fn recognise(url: &Url) -> Option<Recognised> {
    if let Some((provider, item)) = provider_item(url) {
        return Some(Recognised {
            platform: Platform::Oembed,
            kind: item.kind,
            post_id: item
                .kind
                .is_post()
                .then(|| format!("{}/{}", provider.name, item.id)),
            canonical_url: item.canonical_url,
        });
    }
    registry_item(url)
}

/// Who claims a URL here: a provider with a reader of its own, or a registry provider (by its
/// post id prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claimant {
    pub name: &'static str,
}

/// The provider that claims a URL.
pub fn provider(url: &Url) -> Option<Claimant> {
    if let Some((p, _)) = provider_item(url) {
        return Some(Claimant { name: p.name });
    }
    registry_item(url)?;
    Registry::bundled().find(url).map(|m| Claimant {
        name: m.provider.slug.as_str(),
    })
}

/// The registry endpoint to ask about a post URL, unless a module of its own reads the provider.
pub fn endpoint(url: &Url) -> Option<&'static Endpoint> {
    Registry::bundled()
        .find(url)
        .filter(|m| !OWN_MODULES.contains(&m.provider.name.as_str()))
        .map(|m| m.endpoint)
}

fn provider_item(url: &Url) -> Option<(&'static Provider, Item)> {
    let host = web_host(url)?;
    let segs = segments(url);
    let segs: Vec<&str> = segs.iter().map(|s| s.as_ref()).collect();
    PROVIDERS
        .iter()
        .find_map(|p| (p.read)(url, host, &segs).map(|item| (p, item)))
}

/// Query parameters that only say where a click came from.
fn is_tracking(key: &str) -> bool {
    key.starts_with("utm_") || matches!(key, "fbclid" | "gclid" | "igshid" | "mc_cid" | "mc_eid")
}

/// A registry provider's URL, canonicalised: no fragment, no tracking parameters, `https`.
fn registry_item(url: &Url) -> Option<Recognised> {
    let registry = Registry::bundled();
    let matched = registry.find(url)?;
    // A module of its own reads the provider, or a reader of its own here already declined
    // the URL (the registry's schemes are broader than the provider's post shapes).
    if OWN_MODULES.contains(&matched.provider.name.as_str())
        || PROVIDERS.iter().any(|p| p.name == matched.provider.slug)
    {
        return None;
    }
    if let Some(item) = rendered_item(url) {
        return registry_item_of(&item, true);
    }
    registry_item_of(url, false)
}

/// The item a provider's own oEmbed rendering of it stands for: the address of the provider's
/// HTML endpoint, `…/oembed…?url=ITEM` (The New York Times' article frames,
/// `www.nytimes.com/svc/oembed/html/?url=…`), where ITEM is an address of the same provider's.
/// Such an address is made only to be framed, so it embeds ITEM even where the provider's
/// schemes take every page of its site, which a link alone never makes a post.
fn rendered_item(url: &Url) -> Option<Url> {
    if !url.path().to_ascii_lowercase().contains("oembed") {
        return None;
    }
    let (_, value) = url.query_pairs().find(|(k, _)| k == "url")?;
    let item = Url::parse(value.trim()).ok()?;
    let registry = Registry::bundled();
    let provider = |u: &Url| registry.find(u).map(|m| m.provider.name.as_str());
    (matches!(item.scheme(), "http" | "https")
        && !item.path().to_ascii_lowercase().contains("oembed")
        && provider(&item).is_some()
        && provider(&item) == provider(url))
    .then_some(item)
}

/// A registry provider's item at `url`; `framed`: the address is known to be embedded (its
/// provider's own rendering of it), so schemes that take every page of a site count too.
fn registry_item_of(url: &Url, framed: bool) -> Option<Recognised> {
    let registry = Registry::bundled();
    let matched = registry.find(url)?;
    // A wildcard scheme (`*.wordpress.com/*`) also covers the provider's own API host
    // (`public-api.wordpress.com`), whose sign-in and widget frames are no posts. And a scheme
    // that takes every page of a site (`https://*.nytimes.com/*`) would make every link to it,
    // and every share button on its own pages, a post: those providers are reached through
    // their pages' discovery links instead.
    if !framed
        && (matched.site_wide
            || (matched.wildcard_host && url.host_str() == matched.endpoint.url.host_str()))
    {
        return None;
    }
    let same = |u: &Url| {
        registry
            .find(u)
            .is_some_and(|m| m.provider.name == matched.provider.name)
    };
    let mut canonical = url.clone();
    canonical.set_fragment(None);
    if canonical.query().is_some() {
        let kept: Vec<(String, String)> = canonical
            .query_pairs()
            .filter(|(k, _)| !is_tracking(k))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let mut stripped = canonical.clone();
        if kept.is_empty() {
            stripped.set_query(None);
        } else {
            stripped.query_pairs_mut().clear().extend_pairs(&kept);
        }
        if stripped != canonical && same(&stripped) {
            canonical = stripped;
        }
    }
    // The registry's `http` schemes match the `https` address too: one post, one key.
    if canonical.scheme() == "http" {
        let _ = canonical.set_scheme("https");
    }
    let without_scheme = &canonical.as_str()[canonical.scheme().len() + 3..];
    Some(Recognised {
        platform: Platform::Oembed,
        kind: EmbedKind::Post,
        post_id: Some(format!("{}/{without_scheme}", matched.provider.slug)),
        canonical_url: canonical.into(),
    })
}

fn item(kind: EmbedKind, id: impl Into<String>, canonical_url: String) -> Option<Item> {
    Some(Item {
        kind,
        id: id.into(),
        canonical_url,
    })
}

fn is_alnum(s: &str, min: usize, max: usize) -> bool {
    is_token(s, min, max, |c| c.is_ascii_alphanumeric())
}

fn is_slug(s: &str) -> bool {
    is_token(s, 1, 200, is_base64url_char)
}

/// `vine.co/v/ID`, `vine.co/v/ID/embed/simple`.
fn vine(_url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    if !host_is_or_www(host, "vine.co") {
        return None;
    }
    match segs {
        ["v", id, ..] if is_alnum(id, 5, 20) => {
            item(EmbedKind::Video, *id, format!("https://vine.co/v/{id}"))
        }
        _ => None,
    }
}

/// The player `bandcamp.com/EmbeddedPlayer/album=ID/size=large/...` (also `track=ID`, or the
/// same as query parameters), and `ARTIST.bandcamp.com/(album|track)/SLUG` pages.
fn bandcamp(url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    let kind_of = |k: &str| match k {
        "album" => Some(EmbedKind::Album),
        "track" => Some(EmbedKind::Track),
        _ => None,
    };
    if host_is_or_www(host, "bandcamp.com") {
        let [player, params @ ..] = segs else {
            return None;
        };
        if !player.starts_with("EmbeddedPlayer") {
            return None;
        }
        let pairs = params
            .iter()
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .chain(
                url.query_pairs()
                    .map(|(k, v)| (k.into_owned(), v.into_owned())),
            );
        for (key, value) in pairs {
            if let Some(kind) = kind_of(&key)
                && is_digits(&value, 20)
            {
                return item(
                    kind,
                    format!("{key}/{value}"),
                    format!("https://bandcamp.com/EmbeddedPlayer/{key}={value}/"),
                );
            }
        }
        return None;
    }
    let artist = host.strip_suffix(".bandcamp.com")?;
    if !is_slug(artist) || artist == "www" {
        return None;
    }
    match segs {
        [section, slug] if is_slug(slug) => {
            let kind = kind_of(section)?;
            item(
                kind,
                format!("{artist}/{section}/{slug}"),
                format!("https://{artist}.bandcamp.com/{section}/{slug}"),
            )
        }
        _ => None,
    }
}

/// `www.flickr.com/photos/USER/ID[/in/...]`, and an album, `photos/USER/albums/ID` (its older
/// address `photos/USER/sets/ID` is the one Flickr's album embed code and oEmbed answer still
/// write): its key is `albums/ID`, apart from the photos' numbers. The short links Flickr's share
/// button gives, `flic.kr/p/CODE` (a photo) and `flic.kr/s/CODE` (an album), spell the same
/// numbers in [`FLICKR_BASE58`], so a photo linked both ways is one post.
fn flickr(_url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    if host == "flic.kr" {
        let (kind, key, path, code) = match segs {
            ["p", code] => (EmbedKind::Post, "", "p", code),
            ["s", code] => (EmbedKind::Album, "albums/", "s", code),
            _ => return None,
        };
        let id = flickr_base58(code)?;
        return item(
            kind,
            format!("{key}{id}"),
            format!("https://flic.kr/{path}/{}", flickr_base58_code(id)),
        );
    }
    if !(host_is_or_www(host, "flickr.com") || host == "m.flickr.com") {
        return None;
    }
    let is_user = |user: &str| {
        is_token(user, 1, 60, |c| {
            c.is_ascii_alphanumeric() || matches!(c, '@' | '_' | '-')
        })
    };
    match segs {
        ["photos", user, "albums" | "sets", id, ..] if is_digits(id, 20) && is_user(user) => item(
            EmbedKind::Album,
            format!("albums/{id}"),
            format!("https://www.flickr.com/photos/{user}/albums/{id}"),
        ),
        ["photos", user, id, ..] if is_digits(id, 20) && is_user(user) => item(
            EmbedKind::Post,
            *id,
            format!("https://www.flickr.com/photos/{user}/{id}/"),
        ),
        _ => None,
    }
}

/// The digits of Flickr's short links (its base 58: no `0`, `O`, `I` or `l`).
const FLICKR_BASE58: &[u8; 58] = b"123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";

/// The number a short link's code spells; `None` for a code of other characters, or of a number
/// past `u64`.
fn flickr_base58(code: &str) -> Option<u64> {
    if code.is_empty() || code.len() > 12 {
        return None;
    }
    code.bytes().try_fold(0u64, |n, b| {
        let digit = FLICKR_BASE58.iter().position(|&d| d == b)?;
        n.checked_mul(58)?.checked_add(digit as u64)
    })
}

/// The short link's code of a number, without the leading `1`s (zeros) a code may carry.
fn flickr_base58_code(mut n: u64) -> String {
    let mut code = Vec::new();
    loop {
        code.push(char::from(FLICKR_BASE58[(n % 58) as usize]));
        n /= 58;
        if n == 0 {
            break;
        }
    }
    code.iter().rev().collect()
}

/// `www.ted.com/talks/SLUG`, `embed.ted.com/talks/[lang/LANG/]SLUG` (and `embed-ssl.ted.com`,
/// the player's host in TED's embed codes of the 2010s).
fn ted(_url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    if !(host_is_or_www(host, "ted.com") || matches!(host, "embed.ted.com" | "embed-ssl.ted.com")) {
        return None;
    }
    let slug = match segs {
        ["talks", "lang", _, slug] | ["talks", slug] => *slug,
        _ => return None,
    };
    let slug = slug.strip_suffix(".html").unwrap_or(slug);
    is_slug(slug).then(|| Item {
        kind: EmbedKind::Video,
        id: slug.to_owned(),
        canonical_url: format!("https://www.ted.com/talks/{slug}"),
    })
}

/// `codepen.io/USER/pen/ID`, `/USER/embed/[preview/]ID`, `/USER/full/ID`.
fn codepen(_url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    if !host_is_or_www(host, "codepen.io") {
        return None;
    }
    match segs {
        [user, "pen" | "embed" | "full" | "details", id] | [user, "embed", "preview", id]
            if is_slug(user) && is_alnum(id, 4, 12) =>
        {
            item(
                EmbedKind::Post,
                *id,
                format!("https://codepen.io/{user}/pen/{id}"),
            )
        }
        _ => None,
    }
}

/// `www.mixcloud.com/USER/SLUG/` and the widget `/widget/iframe/?feed=/USER/SLUG/` (the feed may
/// also be a full URL).
fn mixcloud(url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    if !(host_is_or_www(host, "mixcloud.com") || host == "m.mixcloud.com") {
        return None;
    }
    match segs {
        ["widget", "iframe"] => {
            let feed = query_value(url, "feed")?;
            let inner = if feed.starts_with('/') {
                Url::parse(&format!("https://www.mixcloud.com{feed}")).ok()?
            } else {
                inner_url(&feed)?
            };
            if !host_is_or_www(web_host(&inner)?, "mixcloud.com") {
                return None;
            }
            let inner_segs = segments(&inner);
            let inner_segs: Vec<&str> = inner_segs.iter().map(|s| s.as_ref()).collect();
            match inner_segs.as_slice() {
                ["widget", ..] => None,
                other => mixcloud(&inner, "www.mixcloud.com", other),
            }
        }
        [user, slug]
            if is_slug(user)
                && is_slug(slug)
                && !matches!(
                    *user,
                    "discover"
                        | "upload"
                        | "select"
                        | "categories"
                        | "settings"
                        | "widget"
                        | "search"
                ) =>
        {
            item(
                EmbedKind::Audio,
                format!("{user}/{slug}"),
                format!("https://www.mixcloud.com/{user}/{slug}/"),
            )
        }
        _ => None,
    }
}

/// `streamable.com/ID`, `/e/ID`, `/o/ID`, `/s/ID`.
fn streamable(_url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    if !host_is_or_www(host, "streamable.com") {
        return None;
    }
    let id = match segs {
        ["e" | "o" | "s", id, ..] => *id,
        [id] => *id,
        _ => return None,
    };
    // Site pages have id-like names; real ids mix in digits or are short random strings.
    if !is_alnum(id, 3, 10)
        || matches!(
            id,
            "login"
                | "signup"
                | "about"
                | "pricing"
                | "terms"
                | "privacy"
                | "blog"
                | "careers"
                | "upload"
                | "videos"
                | "settings"
                | "clipper"
        )
    {
        return None;
    }
    item(EmbedKind::Video, id, format!("https://streamable.com/{id}"))
}

/// `datawrapper.dwcdn.net/ID/[VERSION/]` and `app.datawrapper.de/chart/ID/...`.
fn datawrapper(_url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    let id = match (host, segs) {
        ("datawrapper.dwcdn.net", [id, ..]) => *id,
        ("app.datawrapper.de", ["chart", id, ..]) => *id,
        _ => return None,
    };
    is_alnum(id, 5, 5).then(|| Item {
        kind: EmbedKind::Post,
        id: id.to_owned(),
        canonical_url: format!("https://datawrapper.dwcdn.net/{id}/"),
    })
}

/// `public.flourish.studio/visualisation/ID/` and `/story/ID/`.
fn flourish(_url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    if host != "public.flourish.studio" && host != "flo.uri.sh" {
        return None;
    }
    match segs {
        [section @ ("visualisation" | "story"), id, ..] if is_digits(id, 12) => item(
            EmbedKind::Post,
            format!("{section}/{id}"),
            format!("https://public.flourish.studio/{section}/{id}/"),
        ),
        _ => None,
    }
}

/// What the providers' embeds look like in an article beyond their player iframes: their AMP
/// components ([`amp`]).
pub static MARKUP: crate::platforms::markup::Markup = crate::platforms::markup::Markup {
    amp: &amp::FORMS,
    ..crate::platforms::markup::Markup::NONE
};

/// The Oembed module of the registry.
#[derive(Debug)]
pub struct Oembed;

impl crate::platforms::PlatformModule for Oembed {
    fn platform(&self) -> Platform {
        Platform::Oembed
    }

    fn recognise(&self, url: &Url) -> Option<Recognised> {
        recognise(url)
    }

    fn markup(&self) -> &'static crate::platforms::markup::Markup {
        &MARKUP
    }

    fn sources(&self) -> &'static [&'static str] {
        &[
            answer::SOURCE,
            crate::platforms::page::SOURCE,
            answer::DISCOVERED,
        ]
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

    /// Each address is claimed as an oEmbed post of the kind, id and canonical address given,
    /// and its canonical address as the same post again.
    pub(super) fn assert_claimed(cases: &[(&str, EmbedKind, &str, &str)]) {
        for &(input, kind, id, canonical) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.platform, Platform::Oembed, "{input}");
            assert_eq!(got.kind, kind, "{input}");
            assert_eq!(got.post_id.as_deref(), Some(id), "{input}");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(canonical), Some(got), "idempotent: {canonical}");
        }
    }

    #[test]
    fn provider_urls_in_every_form() {
        let cases = [
            (
                "https://vine.co/v/OHQBTeUJ9jT/embed/simple",
                EmbedKind::Video,
                "vine/OHQBTeUJ9jT",
                "https://vine.co/v/OHQBTeUJ9jT",
            ),
            (
                "https://bandcamp.com/EmbeddedPlayer/album=669163771/size=large/bgcol=ffffff/linkcol=e99708/artwork=none/transparent=true/",
                EmbedKind::Album,
                "bandcamp/album/669163771",
                "https://bandcamp.com/EmbeddedPlayer/album=669163771/",
            ),
            (
                "https://bandcamp.com/EmbeddedPlayer/v=2/track=1234567/size=small/",
                EmbedKind::Track,
                "bandcamp/track/1234567",
                "https://bandcamp.com/EmbeddedPlayer/track=1234567/",
            ),
            (
                "https://someartist.bandcamp.com/album/first-record",
                EmbedKind::Album,
                "bandcamp/someartist/album/first-record",
                "https://someartist.bandcamp.com/album/first-record",
            ),
            (
                "https://www.flickr.com/photos/nasa/51234567890/in/album-123/",
                EmbedKind::Post,
                "flickr/51234567890",
                "https://www.flickr.com/photos/nasa/51234567890/",
            ),
            (
                "https://www.flickr.com/photos/desescribir/sets/72157650686499888",
                EmbedKind::Album,
                "flickr/albums/72157650686499888",
                "https://www.flickr.com/photos/desescribir/albums/72157650686499888",
            ),
            (
                "https://flickr.com/photos/desescribir/albums/72157650686499888/with/16055522574",
                EmbedKind::Album,
                "flickr/albums/72157650686499888",
                "https://www.flickr.com/photos/desescribir/albums/72157650686499888",
            ),
            // The short link of photo 49862721477 (the `web_page_short_url` of its oEmbed
            // answer), and of an album.
            (
                "https://flic.kr/p/2iYctUr",
                EmbedKind::Post,
                "flickr/49862721477",
                "https://flic.kr/p/2iYctUr",
            ),
            (
                "http://flic.kr/p/12iYctUr?utm_source=x",
                EmbedKind::Post,
                "flickr/49862721477",
                "https://flic.kr/p/2iYctUr",
            ),
            (
                "https://flic.kr/s/aHsk8hUbqq",
                EmbedKind::Album,
                "flickr/albums/72157650686499888",
                "https://flic.kr/s/aHsk8hUbqq",
            ),
            (
                "https://embed.ted.com/talks/lang/en/ken_robinson_says_schools_kill_creativity",
                EmbedKind::Video,
                "ted/ken_robinson_says_schools_kill_creativity",
                "https://www.ted.com/talks/ken_robinson_says_schools_kill_creativity",
            ),
            (
                "https://embed-ssl.ted.com/talks/lucianne_walkowicz_let_s_not_use_mars_as_a_backup_planet.html",
                EmbedKind::Video,
                "ted/lucianne_walkowicz_let_s_not_use_mars_as_a_backup_planet",
                "https://www.ted.com/talks/lucianne_walkowicz_let_s_not_use_mars_as_a_backup_planet",
            ),
            (
                "https://codepen.io/someone/embed/preview/abXyZ12?height=300",
                EmbedKind::Post,
                "codepen/abXyZ12",
                "https://codepen.io/someone/pen/abXyZ12",
            ),
            (
                "https://www.mixcloud.com/widget/iframe/?hide_cover=1&feed=%2Fsomedj%2Fsummer-mix-2019%2F",
                EmbedKind::Audio,
                "mixcloud/somedj/summer-mix-2019",
                "https://www.mixcloud.com/somedj/summer-mix-2019/",
            ),
            (
                "https://streamable.com/e/2o4o1?autoplay=1",
                EmbedKind::Video,
                "streamable/2o4o1",
                "https://streamable.com/2o4o1",
            ),
            (
                "https://datawrapper.dwcdn.net/AbC12/3/",
                EmbedKind::Post,
                "datawrapper/AbC12",
                "https://datawrapper.dwcdn.net/AbC12/",
            ),
            (
                "https://public.flourish.studio/visualisation/1234567/embed",
                EmbedKind::Post,
                "flourish/visualisation/1234567",
                "https://public.flourish.studio/visualisation/1234567/",
            ),
        ];
        assert_claimed(&cases);
    }

    #[test]
    fn provider_lookup_names_the_registry_endpoint() {
        let url = Url::parse("https://www.flickr.com/photos/bees/2362225867/").unwrap();
        assert_eq!(provider(&url).unwrap().name, "flickr");
        let canonical = Url::parse(&rec(url.as_str()).unwrap().canonical_url).unwrap();
        let found = endpoint(&canonical).unwrap();
        assert!(
            found
                .url
                .as_str()
                .starts_with("https://www.flickr.com/services/oembed"),
            "{}",
            found.url
        );
        // Bandcamp is not in the registry: its posts are read from their pages.
        let bandcamp = Url::parse("https://someartist.bandcamp.com/album/first-record").unwrap();
        assert!(endpoint(&bandcamp).is_none());
    }

    #[test]
    fn registry_providers_are_claimed_in_canonical_form() {
        let cases = [
            (
                "http://www.23hq.com/someone/photo/123?utm_source=x#top",
                "23hq/www.23hq.com/someone/photo/123",
                "https://www.23hq.com/someone/photo/123",
            ),
            (
                "http://www.23hq.com/someone/photo/123?utm_medium=social&ref=1",
                "23hq/www.23hq.com/someone/photo/123?ref=1",
                "https://www.23hq.com/someone/photo/123?ref=1",
            ),
        ];
        for (input, id, canonical) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.platform, Platform::Oembed, "{input}");
            assert_eq!(got.post_id.as_deref(), Some(id), "{input}");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(canonical), Some(got), "idempotent: {canonical}");
        }
    }

    /// A provider's own oEmbed rendering of an item, made only to be framed, is that item, even
    /// where the provider's schemes take every page of its site (The New York Times' article
    /// frames, as The Verge's home page of December 2023 kept one); the item's address alone,
    /// and a rendering of another provider's item, are not.
    #[test]
    fn a_providers_own_rendering_of_an_item_is_that_item() {
        let frame = "https://www.nytimes.com/svc/oembed/html/?url=https%3A%2F%2Fwww.nytimes.com%2F2023%2F12%2F09%2Ftechnology%2Fopenai-altman-inside-crisis.html";
        let got = rec(frame).expect("claimed");
        assert_eq!(got.platform, Platform::Oembed);
        assert_eq!(got.kind, EmbedKind::Post);
        assert_eq!(
            got.canonical_url,
            "https://www.nytimes.com/2023/12/09/technology/openai-altman-inside-crisis.html"
        );
        assert_eq!(
            got.post_id.as_deref(),
            Some(
                "the-new-york-times/www.nytimes.com/2023/12/09/technology/openai-altman-inside-crisis.html"
            )
        );
        // Asked about through the provider's JSON endpoint.
        let article = Url::parse(&got.canonical_url).expect("url");
        assert_eq!(
            endpoint(&article).map(|e| e.url.as_str()),
            Some("https://www.nytimes.com/svc/oembed/json/")
        );
        for input in [
            "https://www.nytimes.com/2023/12/09/technology/openai-altman-inside-crisis.html",
            "https://www.nytimes.com/svc/oembed/html/",
            "https://www.nytimes.com/svc/oembed/html/?url=https%3A%2F%2Fexample.com%2Fa.html",
            "https://www.nytimes.com/svc/oembed/html/?url=javascript%3Aalert(1)",
            "https://www.nytimes.com/svc/oembed/html/?url=https%3A%2F%2Fwww.nytimes.com%2Fsvc%2Foembed%2Fhtml%2F",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }

    #[test]
    fn providers_with_modules_of_their_own_are_not_claimed() {
        // URLs their own modules decline stay unclaimed rather than becoming oEmbed posts.
        for input in [
            "https://public-api.wordpress.com/connect/?googleplus-sign-in=https%3A%2F%2Fa.wordpress.com",
            "https://someone.wordpress.com/2020/11/16/a-post/",
            "https://www.nytimes.com/2024/01/01/world/a-story.html",
            "https://www.youtube.com/watch?feature=share",
            "https://twitter.com/someone",
            "https://vimeo.com/channels/staffpicks",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
        let registry = Registry::bundled();
        for name in OWN_MODULES {
            assert!(
                registry.providers().iter().any(|p| p.name == *name),
                "{name} is not (or no longer) a registry provider"
            );
        }
    }

    #[test]
    fn site_pages_and_unknown_hosts_are_not_claimed() {
        for input in [
            // Dailymotion has a module of its own.
            "https://www.dailymotion.com/video/x130bpf",
            "https://dai.ly/x67iqc9",
            "https://vine.co/",
            "https://bandcamp.com/",
            "https://bandcamp.com/EmbeddedPlayer/size=large/",
            "https://someartist.bandcamp.com/",
            "https://streamable.com/login",
            "https://www.mixcloud.com/discover/house/",
            "https://www.mixcloud.com/widget/iframe/?feed=https%3A%2F%2Fexample.com%2Fa%2Fb%2F",
            "https://example.com/video/x130bpf",
            "https://www.flickr.com/photos/nasa/",
            // A photostream, a code of characters the short links never use, one past u64.
            "https://flic.kr/ps/2iYctUr",
            "https://flic.kr/p/0Ol",
            "https://flic.kr/p/ZZZZZZZZZZZZ",
            "https://flic.kr/p/",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }
}
