//! pinterest: URL recognition (no resolver yet).
//!
//! Claims pins (`/pin/ID/`, `/pin/slug--ID/`) on every Pinterest country host
//! (`www.pinterest.com`, `de.pinterest.com`, `pinterest.co.uk`, ...), the embed iframe
//! (`assets.pinterest.com/ext/embed.html?id=ID`), users (kind `Profile`) and boards (kind
//! `ListTimeline`). It must never claim the Pin-it button (`/pin/create/button/`), search or
//! idea pages, or `pin.it` short links (their code is not a pin id).

use url::Url;

use crate::model::{EmbedKind, Platform, Recognised};
use crate::platforms::url_util::{
    is_base64url_char, is_digits, is_token, query_value, segments, web_host,
};

/// First path segments that are site sections, never user names.
const RESERVED: &[&str] = &[
    "pin",
    "search",
    "ideas",
    "explore",
    "today",
    "business",
    "categories",
    "login",
    "logout",
    "signup",
    "settings",
    "_",
    "oauth",
    "resource",
    "about",
    "news_hub",
    "topics",
    "video",
    "videos",
    "discover",
    "board",
    "boards",
    "oembed.json",
    "password",
    "help",
    "notifications",
    "inbox",
    "shopping",
    "homefeed",
    "following",
];

/// Claim Pinterest pin, user and board URLs.
///
/// The post id is the numeric pin id; the canonical URL is `https://www.pinterest.com/pin/ID/`.
/// Users canonicalise to `https://www.pinterest.com/USER/`, boards to `.../USER/BOARD/`.
pub fn recognise(url: &Url) -> Option<Recognised> {
    let host = web_host(url)?;
    let segs = segments(url);
    let segs: Vec<&str> = segs.iter().map(|s| s.as_ref()).collect();
    if host == "assets.pinterest.com" {
        return match segs.as_slice() {
            ["ext", "embed.html"] => pin(&query_value(url, "id")?),
            _ => None,
        };
    }
    if !is_site_host(host) {
        return None;
    }
    match segs.as_slice() {
        ["pin", slug_id] => {
            // `/pin/slug--ID/` puts a description slug before the id.
            let id = slug_id.rsplit("--").next().unwrap_or(slug_id);
            pin(id)
        }
        [user] if is_name(user) => Some(Recognised {
            platform: Platform::Pinterest,
            kind: EmbedKind::Profile,
            post_id: None,
            canonical_url: format!("https://www.pinterest.com/{}/", user.to_ascii_lowercase()),
        }),
        [user, board] if is_name(user) && is_board(board) => Some(Recognised {
            platform: Platform::Pinterest,
            kind: EmbedKind::ListTimeline,
            post_id: None,
            canonical_url: format!(
                "https://www.pinterest.com/{}/{}/",
                user.to_ascii_lowercase(),
                board.to_ascii_lowercase()
            ),
        }),
        _ => None,
    }
}

/// `pinterest.com`, `www.`/country subdomains (`de.`, `gb.`, `br.`), and country domains
/// (`pinterest.de`, `pinterest.co.uk`, `pinterest.com.au`).
fn is_site_host(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    let Some(pos) = labels.iter().position(|l| *l == "pinterest") else {
        return false;
    };
    let (before, after) = (&labels[..pos], &labels[pos + 1..]);
    let sub_ok = match before {
        [] => true,
        [sub] => *sub == "www" || is_token(sub, 2, 2, |c| c.is_ascii_lowercase()),
        _ => false,
    };
    let tld_ok = match after {
        ["com"] => true,
        [cc] => is_token(cc, 2, 2, |c| c.is_ascii_lowercase()),
        ["co" | "com", cc] => is_token(cc, 2, 2, |c| c.is_ascii_lowercase()),
        _ => false,
    };
    sub_ok && tld_ok
}

fn pin(id: &str) -> Option<Recognised> {
    // The create-button path is `/pin/create/button/`: "create" is not digits, so it fails here.
    is_digits(id, 25).then(|| Recognised {
        platform: Platform::Pinterest,
        kind: EmbedKind::Post,
        post_id: Some(id.to_owned()),
        canonical_url: format!("https://www.pinterest.com/pin/{id}/"),
    })
}

fn is_name(s: &str) -> bool {
    is_token(s, 3, 30, |c| c.is_ascii_alphanumeric() || c == '_')
        && !RESERVED.contains(&s.to_ascii_lowercase().as_str())
}

fn is_board(s: &str) -> bool {
    is_token(s, 1, 100, is_base64url_char)
        && !matches!(s, "pins" | "_saved" | "_created" | "boards")
}

/// What Pinterest's embeds look like in an article: `data-pin-do` anchors (pins, profiles and
/// boards; the same attribute also marks buttons, which are not embeds) and `amp-pinterest`.
pub static MARKUP: crate::platforms::markup::Markup = crate::platforms::markup::Markup {
    amp: &[crate::platforms::markup::ElementForm {
        marker: crate::platforms::markup::Marker::Tag("amp-pinterest"),
        read: read_amp,
    }],
    anchors: &[crate::platforms::markup::ElementForm {
        marker: crate::platforms::markup::Marker::Attr("data-pin-do"),
        read: read_anchor,
    }],
    ..crate::platforms::markup::Markup::NONE
};

fn read_amp(
    el: scraper::ElementRef<'_>,
    base: &Url,
) -> Option<crate::platforms::markup::Candidate> {
    crate::platforms::markup::amp_url_candidate(el, base, &["data-url"])
}

fn read_anchor(
    el: scraper::ElementRef<'_>,
    base: &Url,
) -> Option<crate::platforms::markup::Candidate> {
    let href = crate::platforms::markup::attr_url(el, base, "href");
    let pin_do = el.value().attr("data-pin-do")?.trim();
    let kind = match pin_do {
        "embedPin" => None,
        "embedUser" => Some(EmbedKind::Profile),
        "embedBoard" => Some(EmbedKind::ListTimeline),
        // buttonPin, buttonBookmark, buttonFollow, none: buttons, not embeds.
        _ => return None,
    };
    let mut c = crate::platforms::markup::Candidate::new(
        href.into_iter().collect(),
        format!("a[data-pin-do={pin_do}]"),
    )?;
    c.widget = kind.map(|kind| crate::platforms::markup::Widget {
        platform: Platform::Pinterest,
        kind,
        hosts: &["pinterest.com"],
    });
    Some(c)
}

/// The Pinterest module of the registry.
#[derive(Debug)]
pub struct Pinterest;

impl crate::platforms::PlatformModule for Pinterest {
    fn platform(&self) -> Platform {
        Platform::Pinterest
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
    fn pins_in_every_form() {
        let canonical = "https://www.pinterest.com/pin/106890191127977979/";
        for input in [
            "https://www.pinterest.com/pin/106890191127977979/",
            "https://pinterest.com/pin/106890191127977979",
            "https://de.pinterest.com/pin/106890191127977979/?nic_v3=1a",
            "https://www.pinterest.co.uk/pin/106890191127977979/",
            "https://www.pinterest.com.au/pin/jack-nicholson--106890191127977979/",
            "https://assets.pinterest.com/ext/embed.html?id=106890191127977979&src=oembed",
        ] {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.platform, Platform::Pinterest, "{input}");
            assert_eq!(got.kind, EmbedKind::Post, "{input}");
            assert_eq!(
                got.post_id.as_deref(),
                Some("106890191127977979"),
                "{input}"
            );
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(canonical), Some(got), "idempotent: {canonical}");
        }
    }

    #[test]
    fn users_and_boards_have_no_post_id() {
        let cases = [
            (
                "http://gb.pinterest.com/thedebriefuk/",
                EmbedKind::Profile,
                "https://www.pinterest.com/thedebriefuk/",
            ),
            (
                "https://www.pinterest.com/brigittemagazin",
                EmbedKind::Profile,
                "https://www.pinterest.com/brigittemagazin/",
            ),
            (
                "https://www.pinterest.com/thesearchguru/",
                EmbedKind::Profile,
                "https://www.pinterest.com/thesearchguru/",
            ),
            (
                "https://www.pinterest.com/selfmagazine/recipes-we-love/",
                EmbedKind::ListTimeline,
                "https://www.pinterest.com/selfmagazine/recipes-we-love/",
            ),
        ];
        for (input, kind, canonical) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.kind, kind, "{input}");
            assert_eq!(got.post_id, None, "{input}");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(canonical), Some(got), "idempotent: {canonical}");
        }
    }

    #[test]
    fn buttons_and_site_pages_are_not_claimed() {
        for input in [
            "https://www.pinterest.com/pin/create/button/",
            "http://pinterest.com/pin/create/button/?url=http%3A%2F%2Fflavorwire.com%2F495982&description=x",
            "https://www.pinterest.com/",
            "https://www.pinterest.com/search/pins/?q=x",
            "https://www.pinterest.com/ideas/",
            "https://pin.it/AbCdEf",
            "https://assets.pinterest.com/js/pinit.js",
            "https://i.pinimg.com/236x/b5/34/13/b53413787f3a42c8b9d5b08a6fbb2124.jpg",
            "https://www.notpinterest.com/pin/106890191127977979/",
            "https://pinterest.evil.example/pin/106890191127977979/",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }
}
