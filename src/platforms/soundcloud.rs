//! soundcloud: URL recognition (no resolver yet).
//!
//! Claims tracks and sets on `soundcloud.com` (`/USER/SLUG`, secret `/USER/SLUG/s-TOKEN`,
//! `/USER/sets/SLUG`), API resources (`api.soundcloud.com/tracks/ID`, `/playlists/ID`), the player
//! iframe (`w.soundcloud.com/player/?url=...`) by the resource it plays, and users as profiles.
//! It must never claim site pages (`/discover`, `/search`, `/upload`) or `on.soundcloud.com`
//! short links, whose code is not an id.
//!
//! Post ids: an API track is its numeric id (as the labelled corpus records it), an API playlist
//! `playlists/ID`, a page URL `USER/SLUG` (or `USER/sets/SLUG`). SoundCloud pages carry no
//! numeric id, so a track linked once by page and once by API id gets two ids until a resolver
//! maps one to the other.

use url::Url;

use crate::model::{EmbedKind, Platform, Recognised};
use crate::platforms::url_util::{
    host_is_or_www, inner_url, is_base64url_char, is_digits, is_token, query_value, segments,
    web_host,
};

/// First path segments that are site sections, never user names.
const RESERVED: &[&str] = &[
    "discover",
    "search",
    "stream",
    "upload",
    "you",
    "pages",
    "terms-of-use",
    "charts",
    "stations",
    "oembed",
    "people",
    "tags",
    "mobile",
    "settings",
    "messages",
    "notifications",
    "signin",
    "logout",
    "jobs",
    "imprint",
    "pro",
    "premium",
    "go",
    "popular",
    "feed",
    "images",
    "connect",
    "creators",
    "artists",
    "community-guidelines",
];

/// Claim SoundCloud track, set and user URLs.
pub fn recognise(url: &Url) -> Option<Recognised> {
    let host = web_host(url)?;
    let segs = segments(url);
    let segs: Vec<&str> = segs.iter().map(|s| s.as_ref()).collect();
    match host {
        "w.soundcloud.com" => {
            return match segs.as_slice() {
                ["player"] => recognise(&inner_url(&query_value(url, "url")?)?),
                _ => None,
            };
        }
        "api.soundcloud.com" | "api-v2.soundcloud.com" => return api(&segs),
        _ if host_is_or_www(host, "soundcloud.com") || host == "m.soundcloud.com" => {}
        _ => return None,
    }
    match segs.as_slice() {
        [user, "sets", slug, ..] if is_user(user) && is_slug(slug) => {
            let (user, slug) = (user.to_ascii_lowercase(), slug.to_ascii_lowercase());
            Some(item(
                EmbedKind::Playlist,
                format!("{user}/sets/{slug}"),
                format!("https://soundcloud.com/{user}/sets/{slug}"),
            ))
        }
        [user, slug, rest @ ..] if is_user(user) && is_slug(slug) && is_track_tail(rest) => {
            let (user, slug) = (user.to_ascii_lowercase(), slug.to_ascii_lowercase());
            // A secret token is what makes a private track playable: keep it.
            let canonical = match rest {
                [token] => format!("https://soundcloud.com/{user}/{slug}/{token}"),
                _ => format!("https://soundcloud.com/{user}/{slug}"),
            };
            Some(item(EmbedKind::Track, format!("{user}/{slug}"), canonical))
        }
        [user] if is_user(user) => Some(Recognised {
            platform: Platform::Soundcloud,
            kind: EmbedKind::Profile,
            post_id: None,
            canonical_url: format!("https://soundcloud.com/{}", user.to_ascii_lowercase()),
        }),
        _ => None,
    }
}

fn api(segs: &[&str]) -> Option<Recognised> {
    match segs {
        ["tracks", id] if is_digits(id, 20) => Some(item(
            EmbedKind::Track,
            (*id).to_owned(),
            format!("https://api.soundcloud.com/tracks/{id}"),
        )),
        ["playlists", id] if is_digits(id, 20) => Some(item(
            EmbedKind::Playlist,
            format!("playlists/{id}"),
            format!("https://api.soundcloud.com/playlists/{id}"),
        )),
        ["users", id] if is_digits(id, 20) => Some(Recognised {
            platform: Platform::Soundcloud,
            kind: EmbedKind::Profile,
            post_id: None,
            canonical_url: format!("https://api.soundcloud.com/users/{id}"),
        }),
        _ => None,
    }
}

/// After `/USER/SLUG`: nothing, or a secret token `s-XXXX`.
fn is_track_tail(rest: &[&str]) -> bool {
    match rest {
        [] => true,
        [token] => token
            .strip_prefix("s-")
            .is_some_and(|t| is_token(t, 3, 40, |c| c.is_ascii_alphanumeric())),
        _ => false,
    }
}

fn item(kind: EmbedKind, post_id: String, canonical_url: String) -> Recognised {
    Recognised {
        platform: Platform::Soundcloud,
        kind,
        post_id: Some(post_id),
        canonical_url,
    }
}

fn is_user(s: &str) -> bool {
    is_slug(s) && !RESERVED.contains(&s.to_ascii_lowercase().as_str())
}

fn is_slug(s: &str) -> bool {
    is_token(s, 1, 255, is_base64url_char)
}

/// What SoundCloud's embeds look like in an article beyond its player iframes: `amp-soundcloud`.
pub static MARKUP: crate::platforms::markup::Markup = crate::platforms::markup::Markup {
    amp: &[crate::platforms::markup::ElementForm {
        marker: crate::platforms::markup::Marker::Tag("amp-soundcloud"),
        read: read_amp,
    }],
    ..crate::platforms::markup::Markup::NONE
};

fn read_amp(
    el: scraper::ElementRef<'_>,
    _base: &Url,
) -> Option<crate::platforms::markup::Candidate> {
    crate::platforms::markup::amp_id_candidate(
        el,
        "data-trackid",
        "https://api.soundcloud.com/tracks/{}",
    )
}

/// The Soundcloud module of the registry.
#[derive(Debug)]
pub struct Soundcloud;

impl crate::platforms::PlatformModule for Soundcloud {
    fn platform(&self) -> Platform {
        Platform::Soundcloud
    }

    fn recognise(&self, url: &Url) -> Option<Recognised> {
        recognise(url)
    }

    fn markup(&self) -> &'static crate::platforms::markup::Markup {
        &MARKUP
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(u: &str) -> Option<Recognised> {
        recognise(&Url::parse(u).unwrap())
    }

    #[test]
    fn tracks_and_sets_in_every_form() {
        let cases = [
            (
                "https://w.soundcloud.com/player/?url=https%3A//api.soundcloud.com/tracks/180961263&color=%23ff5500&auto_play=false",
                EmbedKind::Track,
                "180961263",
                "https://api.soundcloud.com/tracks/180961263",
            ),
            (
                "https://w.soundcloud.com/player/?url=https%3A%2F%2Fapi.soundcloud.com%2Fplaylists%2F123456&visual=true",
                EmbedKind::Playlist,
                "playlists/123456",
                "https://api.soundcloud.com/playlists/123456",
            ),
            (
                "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fzedsdead%2Fzeds-dead-twin-shadow-lost-you-feat-dangelo-lacy",
                EmbedKind::Track,
                "zedsdead/zeds-dead-twin-shadow-lost-you-feat-dangelo-lacy",
                "https://soundcloud.com/zedsdead/zeds-dead-twin-shadow-lost-you-feat-dangelo-lacy",
            ),
            (
                "https://soundcloud.com/ididthat-1/lowe-ct-cape-times-world-cup?utm_source=clipboard&si=abc",
                EmbedKind::Track,
                "ididthat-1/lowe-ct-cape-times-world-cup",
                "https://soundcloud.com/ididthat-1/lowe-ct-cape-times-world-cup",
            ),
            (
                "https://m.soundcloud.com/ZedsDead/Some-Track/s-AbC123xyz",
                EmbedKind::Track,
                "zedsdead/some-track",
                "https://soundcloud.com/zedsdead/some-track/s-AbC123xyz",
            ),
            (
                "https://soundcloud.com/zedsdead/sets/northern-lights",
                EmbedKind::Playlist,
                "zedsdead/sets/northern-lights",
                "https://soundcloud.com/zedsdead/sets/northern-lights",
            ),
        ];
        for (input, kind, id, canonical) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.platform, Platform::Soundcloud, "{input}");
            assert_eq!(got.kind, kind, "{input}");
            assert_eq!(got.post_id.as_deref(), Some(id), "{input}");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(canonical), Some(got), "idempotent: {canonical}");
        }
    }

    #[test]
    fn users_are_profiles_and_site_pages_are_not_claimed() {
        let user = rec("https://soundcloud.com/zedsdead").unwrap();
        assert_eq!(user.kind, EmbedKind::Profile);
        assert_eq!(user.post_id, None);
        for input in [
            "https://soundcloud.com/",
            "https://soundcloud.com/discover",
            "https://soundcloud.com/search?q=x",
            "https://soundcloud.com/oembed?url=https%3A%2F%2Fsoundcloud.com%2Fx%2Fy",
            "https://soundcloud.com/images/fb_placeholder.png",
            "https://on.soundcloud.com/AbCdEf",
            "https://w.soundcloud.com/player/?url=https%3A%2F%2Fexample.com%2Ftracks%2F1",
            "https://api.soundcloud.com/tracks/abc",
            "https://soundcloud.com/zedsdead/track/likes/extra",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }
}
