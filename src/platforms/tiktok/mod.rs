//! tiktok: URL recognition and canonicalisation; the resolver lives in [`resolve`].
//!
//! Claims videos and photo posts (`/@USER/video/ID`, `/@USER/photo/ID`), the player and embed
//! iframes (`/embed/v2/ID`, `/embed/ID`, `/player/v1/ID`), `m.tiktok.com/v/ID.html`,
//! `/share/video/ID`, and profiles. It must never claim music, tag or discover pages.
//!
//! Short links (`vm.tiktok.com/CODE`, `vt.tiktok.com/CODE`, `www.tiktok.com/t/CODE`) are **not**
//! claimed: the code is not the video id and only a redirect reveals which video it means, so
//! keying a post by it would split one video into two archive entries. The caller follows the
//! redirect (through `http`) and recognises the final URL.

use url::Url;

use crate::model::{EmbedKind, Platform, Recognised};
use crate::platforms::url_util::{host_is_or_www, is_digits, is_token, segments, web_host};

pub mod error;
pub mod markup;
mod next_data;
pub mod oembed;
pub mod rehydration;
pub mod remnant;
pub mod resolve;
mod sigi_state;

#[cfg(test)]
mod resolver_tests;

/// Claim TikTok video, photo-post and profile URLs.
///
/// The post id is the numeric item id. With a user in the URL the canonical form is
/// `https://www.tiktok.com/@USER/video/ID` (`/photo/ID` for photo posts). Embed and player URLs
/// name no user; their canonical form is the embed page `https://www.tiktok.com/embed/v2/ID`,
/// a real page that needs no user name (`/@/video/ID` and `/video/ID` only work through
/// redirects that TikTok does not document). The archive keys posts by id, so the two forms of
/// one video still meet.
pub fn recognise(url: &Url) -> Option<Recognised> {
    let host = web_host(url)?;
    if !(host_is_or_www(host, "tiktok.com") || host == "m.tiktok.com") {
        return None;
    }
    let segs = segments(url);
    let segs: Vec<&str> = segs.iter().map(|s| s.as_ref()).collect();
    match segs.as_slice() {
        [user, kind @ ("video" | "photo"), id, ..] if user.starts_with('@') => {
            let id = crate::platforms::url_util::digits_before_prose(id);
            let user = user.strip_prefix('@').filter(|u| is_user(u))?;
            let kind = if *kind == "photo" {
                EmbedKind::Post
            } else {
                EmbedKind::Video
            };
            let path = if kind == EmbedKind::Post {
                "photo"
            } else {
                "video"
            };
            item(
                id,
                kind,
                format!("https://www.tiktok.com/@{user}/{path}/{id}"),
            )
        }
        ["embed", "v2", id, ..]
        | ["embed", id, ..]
        | ["player", "v1", id, ..]
        | ["share", "video", id, ..]
        | ["v", id, ..] => {
            // `m.tiktok.com/v/ID.html` carries a file extension.
            let id = id.strip_suffix(".html").unwrap_or(id);
            let id = crate::platforms::url_util::digits_before_prose(id);
            item(
                id,
                EmbedKind::Video,
                format!("https://www.tiktok.com/embed/v2/{id}"),
            )
        }
        [user] => {
            let user = user.strip_prefix('@').filter(|u| is_user(u))?;
            Some(Recognised {
                platform: Platform::Tiktok,
                kind: EmbedKind::Profile,
                post_id: None,
                canonical_url: format!("https://www.tiktok.com/@{user}"),
            })
        }
        _ => None,
    }
}

fn item(id: &str, kind: EmbedKind, canonical_url: String) -> Option<Recognised> {
    // Item ids are 18–19 digit snowflakes; allow a little room either side.
    if !(is_digits(id, 22) && id.len() >= 15) {
        return None;
    }
    Some(Recognised {
        platform: Platform::Tiktok,
        kind,
        post_id: Some(id.to_owned()),
        canonical_url,
    })
}

/// TikTok user names: letters, digits, `_` and `.`, at most 24 characters.
pub(super) fn is_user(s: &str) -> bool {
    is_token(s, 1, 24, |c| {
        c.is_ascii_alphanumeric() || c == '_' || c == '.'
    })
}

/// The Tiktok module of the registry.
#[derive(Debug)]
pub struct Tiktok;

impl crate::platforms::PlatformModule for Tiktok {
    fn platform(&self) -> Platform {
        Platform::Tiktok
    }

    fn recognise(&self, url: &Url) -> Option<Recognised> {
        recognise(url)
    }

    fn markup(&self) -> &'static crate::platforms::markup::Markup {
        &markup::MARKUP
    }

    fn sources(&self) -> &'static [&'static str] {
        &[oembed::SOURCE, rehydration::SOURCE]
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
    fn videos_in_every_form() {
        let cases = [
            (
                "https://www.tiktok.com/@a3noticias/video/6806030056956251397",
                EmbedKind::Video,
                "6806030056956251397",
                "https://www.tiktok.com/@a3noticias/video/6806030056956251397",
            ),
            (
                "https://www.tiktok.com/@illojuan/video/7571863205253778710?is_from_webapp=1&sender_device=pc&lang=es",
                EmbedKind::Video,
                "7571863205253778710",
                "https://www.tiktok.com/@illojuan/video/7571863205253778710",
            ),
            // A sentence's comma or a Markdown link's `)` pasted onto the address.
            (
                "https://www.tiktok.com/@a3noticias/video/6806030056956251397,",
                EmbedKind::Video,
                "6806030056956251397",
                "https://www.tiktok.com/@a3noticias/video/6806030056956251397",
            ),
            (
                "https://www.tiktok.com/embed/v2/6806030056956251397);",
                EmbedKind::Video,
                "6806030056956251397",
                "https://www.tiktok.com/embed/v2/6806030056956251397",
            ),
            (
                "https://m.tiktok.com/@user.name_1/video/7000000000000000001/?refer=embed",
                EmbedKind::Video,
                "7000000000000000001",
                "https://www.tiktok.com/@user.name_1/video/7000000000000000001",
            ),
            (
                "https://www.tiktok.com/@someone/photo/7300000000000000002",
                EmbedKind::Post,
                "7300000000000000002",
                "https://www.tiktok.com/@someone/photo/7300000000000000002",
            ),
            (
                "https://www.tiktok.com/embed/v2/6806030056956251397?lang=en",
                EmbedKind::Video,
                "6806030056956251397",
                "https://www.tiktok.com/embed/v2/6806030056956251397",
            ),
            (
                "https://www.tiktok.com/embed/6806030056956251397",
                EmbedKind::Video,
                "6806030056956251397",
                "https://www.tiktok.com/embed/v2/6806030056956251397",
            ),
            (
                "https://www.tiktok.com/player/v1/6806030056956251397?music_info=1",
                EmbedKind::Video,
                "6806030056956251397",
                "https://www.tiktok.com/embed/v2/6806030056956251397",
            ),
            (
                "https://m.tiktok.com/v/6806030056956251397.html",
                EmbedKind::Video,
                "6806030056956251397",
                "https://www.tiktok.com/embed/v2/6806030056956251397",
            ),
            (
                "https://www.tiktok.com/share/video/6806030056956251397",
                EmbedKind::Video,
                "6806030056956251397",
                "https://www.tiktok.com/embed/v2/6806030056956251397",
            ),
        ];
        for (input, kind, id, canonical) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.platform, Platform::Tiktok, "{input}");
            assert_eq!(got.kind, kind, "{input}");
            assert_eq!(got.post_id.as_deref(), Some(id), "{input}");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(canonical), Some(got), "idempotent: {canonical}");
        }
    }

    #[test]
    fn profiles_have_no_post_id() {
        let got = rec("https://www.tiktok.com/@a3noticias?refer=embed").unwrap();
        assert_eq!(got.kind, EmbedKind::Profile);
        assert_eq!(got.post_id, None);
        assert_eq!(got.canonical_url, "https://www.tiktok.com/@a3noticias");
    }

    #[test]
    fn short_links_and_site_pages_are_not_claimed() {
        for input in [
            "https://vm.tiktok.com/ZMeAbCdEf/",
            "https://vt.tiktok.com/ZSabcdef/",
            "https://www.tiktok.com/t/ZTRabcdef/",
            "https://www.tiktok.com/music/original-sound-7000000000000000009?refer=embed",
            "https://www.tiktok.com/tag/news",
            "https://www.tiktok.com/embed.js",
            "https://www.tiktok.com/oembed?url=https%3A%2F%2Fwww.tiktok.com%2F%40a%2Fvideo%2F7000000000000000001",
            "https://www.tiktok.com/@a3noticias/video/12345",
            "https://www.tiktok.com/@a3noticias/video/68060300569562513x7",
            "https://www.tiktok.com/a3noticias/video/6806030056956251397",
            "https://www.tiktok.com/discover",
            "https://p16-sign.tiktokcdn-eu.com/obj/6806030056956251397",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }
}
