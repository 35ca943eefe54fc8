//! vimeo: URL recognition and the resolver, which reads a video from Vimeo's public oEmbed
//! endpoint ([`oembed`]); the Vimeo API needs a token and is not asked.
//!
//! Claims videos on `vimeo.com` (`/ID`, `/ID/HASH`, `/channels/NAME/ID`,
//! `/groups/NAME/videos/ID`, `/album/N/video/ID`, `/showcase/N/video/ID`), showcases as
//! playlists (`/showcase/N`, its player `/showcase/N/embed`; recorded, not checked), the player iframe
//! (`player.vimeo.com/video/ID?h=HASH`), and user pages as profiles. It must never claim site
//! pages (`/upload`, `/features`, `/api/...`) or the player script.

pub mod oembed;

use std::future::Future;
use std::pin::Pin;

use url::Url;

use crate::model::{EmbedKind, EmbedRef, Platform, Recognised, Resolution};
use crate::platforms::ResolveContext;
use crate::platforms::source::{Fetch, SourceError};
use crate::platforms::url_util::{
    host_is_or_www, is_base64url_char, is_digits, is_token, query_value, segments, web_host,
};

/// Single path segments that are site pages, never user names.
const RESERVED: &[&str] = &[
    "about",
    "api",
    "blog",
    "categories",
    "channels",
    "features",
    "groups",
    "help",
    "join",
    "log_in",
    "login",
    "ondemand",
    "pricing",
    "search",
    "upload",
    "watch",
    "enterprise",
    "solutions",
    "create",
    "manage",
    "settings",
    "stock",
    "features",
    "terms",
    "privacy",
    "cookie_policy",
];

/// Claim Vimeo video and user URLs.
///
/// The post id is the numeric video id. Unlisted videos need their hash to play, so it stays in
/// the canonical URL: `https://vimeo.com/ID/HASH` (the player's and the page's `?h=HASH` move
/// there too);
/// otherwise `https://vimeo.com/ID`.
pub fn recognise(url: &Url) -> Option<Recognised> {
    let host = web_host(url)?;
    let segs = segments(url);
    let segs: Vec<&str> = segs.iter().map(|s| s.as_ref()).collect();
    if host == "player.vimeo.com" {
        return match segs.as_slice() {
            ["video", id, ..] => video(id, query_value(url, "h").as_deref()),
            _ => None,
        };
    }
    if !host_is_or_www(host, "vimeo.com") {
        return None;
    }
    match segs.as_slice() {
        // The Flash player of Vimeo's embed code until about 2012, in `<object>`/`<embed>`.
        ["moogaloop.swf"] => video(&query_value(url, "clip_id")?, None),
        // An unlisted video's page may carry its hash as `?h=HASH` (Vimeo's own oEmbed link on
        // such a page is `oembed.json?url=https://vimeo.com/ID?h=HASH`). Without the hash oEmbed
        // may not see the video and answer 404, so dropping it could make a live video look
        // deleted. A query `h` that is no hash is some other parameter and is ignored.
        [id] if is_digits(id, 12) => {
            video(id, query_value(url, "h").filter(|h| is_hash(h)).as_deref())
        }
        [id, hash] if is_digits(id, 12) => video(id, Some(hash)),
        // A showcase (formerly an album) plays a list of videos: `/showcase/N/embed` is its
        // player, as in the embed code of a trussvilletribune.com page saved by
        // mediacloud/metadata-lib's tests.
        ["showcase" | "album", n] | ["showcase" | "album", n, "embed"] if is_digits(n, 12) => {
            Some(Recognised {
                platform: Platform::Vimeo,
                kind: EmbedKind::Playlist,
                post_id: Some(format!("showcase/{n}")),
                canonical_url: format!("https://vimeo.com/showcase/{n}"),
            })
        }
        ["channels", _, id]
        | ["groups", _, "videos", id]
        | ["album" | "showcase", _, "video", id]
        | ["video", id] => video(id, None),
        [user] if is_user(user) => Some(Recognised {
            platform: Platform::Vimeo,
            kind: EmbedKind::Profile,
            post_id: None,
            canonical_url: format!("https://vimeo.com/{user}"),
        }),
        _ => None,
    }
}

fn video(id: &str, hash: Option<&str>) -> Option<Recognised> {
    if !is_digits(id, 12) {
        return None;
    }
    let canonical_url = match hash {
        Some(h) if is_hash(h) => {
            format!("https://vimeo.com/{id}/{h}")
        }
        Some(_) => return None,
        None => format!("https://vimeo.com/{id}"),
    };
    Some(Recognised {
        platform: Platform::Vimeo,
        kind: EmbedKind::Video,
        post_id: Some(id.to_owned()),
        canonical_url,
    })
}

/// An unlisted video's hash: hex digits (ten in every recorded link).
fn is_hash(s: &str) -> bool {
    is_token(s, 6, 20, |c| c.is_ascii_hexdigit())
}

fn is_user(s: &str) -> bool {
    is_token(s, 2, 64, is_base64url_char)
        && !s.chars().all(|c| c.is_ascii_digit())
        && !RESERVED.contains(&s.to_ascii_lowercase().as_str())
}

/// What Vimeo's embeds look like in an article beyond its player iframes: `amp-vimeo` and the
/// `lite-vimeo` facade.
pub static MARKUP: crate::platforms::markup::Markup = crate::platforms::markup::Markup {
    amp: &[crate::platforms::markup::ElementForm {
        marker: crate::platforms::markup::Marker::Tag("amp-vimeo"),
        read: read_amp,
    }],
    facades: &[
        crate::model::markup::IdUrl {
            element: "lite-vimeo",
            attr: "videoid",
            shape: crate::model::markup::IdShape::Slug,
            url: "https://vimeo.com/{}",
        },
        // astro-embed's own `lite-vimeo` (its `Vimeo.astro`) keeps the id in `data-id`.
        crate::model::markup::IdUrl {
            element: "lite-vimeo",
            attr: "data-id",
            shape: crate::model::markup::IdShape::Slug,
            url: "https://vimeo.com/{}",
        },
    ],
    naming: Some(crate::platforms::markup::Naming {
        platform: Platform::Vimeo,
        words: &["vimeo"],
        id_attrs: &[],
        word_id_attrs: &[],
        spellings: &[],
        id_url: Some(video_url),
        handle: None,
    }),
    ..crate::platforms::markup::Markup::NONE
};

/// The page of a video by its bare id, for players that keep only the id (Plyr's
/// `data-plyr-provider="vimeo" data-plyr-embed-id="76979871"`).
fn video_url(id: &str) -> Option<Url> {
    is_digits(id, 12)
        .then(|| Url::parse(&format!("https://vimeo.com/{id}")).ok())
        .flatten()
}

fn read_amp(
    el: scraper::ElementRef<'_>,
    _base: &Url,
) -> Option<crate::platforms::markup::Candidate> {
    crate::platforms::markup::amp_id_candidate(el, "data-videoid", "https://vimeo.com/{}")
}

/// The Vimeo module of the registry.
#[derive(Debug)]
pub struct Vimeo;

impl crate::platforms::PlatformModule for Vimeo {
    fn platform(&self) -> Platform {
        Platform::Vimeo
    }

    fn recognise(&self, url: &Url) -> Option<Recognised> {
        recognise(url)
    }

    fn markup(&self) -> &'static crate::platforms::markup::Markup {
        &MARKUP
    }

    fn sources(&self) -> &'static [&'static str] {
        &[oembed::SOURCE]
    }

    fn resolve<'a>(
        &'a self,
        ctx: &'a ResolveContext<'a>,
        embed: &'a EmbedRef,
    ) -> Pin<Box<dyn Future<Output = Resolution> + Send + 'a>> {
        Box::pin(resolve_with(ctx.http, embed))
    }
}

/// Resolve one Vimeo video from oEmbed, against any fetcher. The request names the canonical
/// URL, so an unlisted video keeps its hash (without it oEmbed cannot see the video).
pub(crate) async fn resolve_with<F: Fetch>(fetcher: &F, embed: &EmbedRef) -> Resolution {
    let Some(post_id) = embed.post_id.as_deref() else {
        return SourceError::BadPostId {
            source_name: oembed::SOURCE.to_owned(),
            post_id: embed.post_url.clone(),
            reason: "the embed names no video id".to_owned(),
        }
        .into_transient();
    };
    if embed.kind == EmbedKind::Playlist {
        return SourceError::BadPostId {
            source_name: oembed::SOURCE.to_owned(),
            post_id: post_id.to_owned(),
            reason: "a showcase is a list of videos, and Vimeo's oEmbed reads one video".to_owned(),
        }
        .into_transient();
    }
    let url = oembed::url(&embed.post_url);
    match fetcher.fetch(oembed::SOURCE, &url).await {
        Ok(answer) => oembed::parse(&answer, post_id, &embed.post_url),
        Err(e) => e.into_transient(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(u: &str) -> Option<Recognised> {
        recognise(&Url::parse(u).unwrap())
    }

    #[test]
    fn videos_in_every_form() {
        let cases = [
            // Vimeo's Flash embed code, as pages of 2008 to 2012 carry it.
            (
                "https://www.vimeo.com/moogaloop.swf?clip_id=1266418&server=www.vimeo.com&show_title=1&show_byline=1&show_portrait=0&color=&fullscreen=1",
                "1266418",
                "https://vimeo.com/1266418",
            ),
            (
                "https://vimeo.com/235352744",
                "235352744",
                "https://vimeo.com/235352744",
            ),
            (
                "https://www.vimeo.com/32246206?share=copy",
                "32246206",
                "https://vimeo.com/32246206",
            ),
            (
                "https://player.vimeo.com/video/235352744?h=1a2b3c4d5e&badge=0&autopause=0&player_id=0&app_id=58479",
                "235352744",
                "https://vimeo.com/235352744/1a2b3c4d5e",
            ),
            (
                "https://player.vimeo.com/video/51492729?app_id=122963",
                "51492729",
                "https://vimeo.com/51492729",
            ),
            (
                "https://vimeo.com/235352744/1a2b3c4d5e",
                "235352744",
                "https://vimeo.com/235352744/1a2b3c4d5e",
            ),
            // The page URL of an unlisted video, as Vimeo's own oEmbed link on its page names it
            // (silverstripe-framework's recorded page, see
            // tests/fixtures/samples/vimeo/oembed-680885625-unlisted-h-2022.json.source.txt).
            (
                "https://vimeo.com/680885625?h=0cadf1a475",
                "680885625",
                "https://vimeo.com/680885625/0cadf1a475",
            ),
            // A query `h` that is no hash is not one.
            (
                "https://vimeo.com/680885625?h=not-a-hash",
                "680885625",
                "https://vimeo.com/680885625",
            ),
            (
                "https://vimeo.com/channels/staffpicks/77911159",
                "77911159",
                "https://vimeo.com/77911159",
            ),
            (
                "https://vimeo.com/groups/shortfilms/videos/77911159",
                "77911159",
                "https://vimeo.com/77911159",
            ),
            (
                "https://vimeo.com/showcase/123/video/77911159",
                "77911159",
                "https://vimeo.com/77911159",
            ),
        ];
        for (input, id, canonical) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.platform, Platform::Vimeo, "{input}");
            assert_eq!(got.kind, EmbedKind::Video, "{input}");
            assert_eq!(got.post_id.as_deref(), Some(id), "{input}");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(canonical), Some(got), "idempotent: {canonical}");
        }
    }

    #[test]
    fn showcases_are_playlists() {
        for input in [
            "https://vimeo.com/showcase/9792417/embed",
            "https://vimeo.com/showcase/9792417",
            "https://vimeo.com/album/9792417",
        ] {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.kind, EmbedKind::Playlist, "{input}");
            assert_eq!(got.post_id.as_deref(), Some("showcase/9792417"), "{input}");
            assert_eq!(got.canonical_url, "https://vimeo.com/showcase/9792417");
        }
        assert!(rec("https://vimeo.com/showcase/new").is_none());
    }

    #[test]
    fn users_are_profiles_and_site_pages_are_not_claimed() {
        let user = rec("https://vimeo.com/vimeomarketing").unwrap();
        assert_eq!(user.kind, EmbedKind::Profile);
        assert_eq!(user.post_id, None);
        for input in [
            "https://vimeo.com/",
            "https://vimeo.com/upload",
            "https://vimeo.com/api/oembed.json?url=https%3A%2F%2Fvimeo.com%2F235352744",
            "https://player.vimeo.com/api/player.js",
            "https://vimeo.com/235352744/not-a-hash!",
            "https://i.vimeocdn.com/video/657162424_640.jpg",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }
}
