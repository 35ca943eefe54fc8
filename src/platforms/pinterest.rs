//! pinterest: URL recognition and the resolver.
//!
//! Claims pins (`/pin/ID/`, `/pin/slug--ID/`) on every Pinterest country host
//! (`www.pinterest.com`, `de.pinterest.com`, `pinterest.co.uk`, ...), the embed iframe
//! (`assets.pinterest.com/ext/embed.html?id=ID`), users (kind `Profile`) and boards (kind
//! `ListTimeline`). It must never claim the Pin-it button (`/pin/create/button/`), search or
//! idea pages, or `pin.it` short links (their code is not a pin id).

//!
//! Resolution asks the public oEmbed endpoint (`www.pinterest.com/oembed.json`): the pin's
//! `title`, its pinner (`author_name`, `author_url`) and its image (`thumbnail_url`). A 404 in
//! the endpoint's own body is gone; everything else is transient.

use url::Url;

use crate::model::{EmbedKind, EmbedRef, Platform, PostContent, Recognised, Resolution};
use crate::platforms::oembed_endpoint::{Endpoint, NOT_FOUND, Read, Reader, handle_from_profile};
use crate::platforms::source::Fetch;
use crate::platforms::url_util::{
    is_base64url_char, is_digits, is_token, query_value, segments, web_host,
};
use crate::platforms::verdict::{Field, OwnBody};

/// The oEmbed endpoint, the platform's public source.
pub const OEMBED: Endpoint = Endpoint {
    base: "https://www.pinterest.com/oembed.json",
    // As the recorded request asks.
    extra: &[("format", "json")],
    reader: Reader {
        source: "pinterest-oembed",
        statuses: NOT_FOUND,
        // No recorded 404 of this endpoint exists: only an empty body, or Pinterest's JSON failure
        // object (`status`, `code`, `message`), is its own; an HTML page is not.
        own_error: &[
            OwnBody::Empty,
            OwnBody::JsonWith(&["status", "code", "message"]),
        ],
        identifying: &[Field::Text, Field::Author, Field::Media],
        gone_means: "removed pin",
    },
};

/// Resolve one pin.
pub(crate) async fn resolve_with<F: Fetch>(fetcher: &F, embed: &EmbedRef) -> Resolution {
    OEMBED
        .resolve(fetcher, &embed.post_url, None, content)
        .await
}

/// The pin as the oEmbed answer names it.
fn content(read: Read, _body: &[u8]) -> PostContent {
    PostContent {
        author_handle: read.author_url.as_deref().and_then(handle_from_profile),
        author_name: read.author_name,
        author_url: read.author_url,
        title: read.title,
        media: read.thumbnail.into_iter().collect(),
        ..PostContent::default()
    }
}

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

    fn sources(&self) -> &'static [&'static str] {
        &[OEMBED.reader.source]
    }

    fn resolve<'a>(
        &'a self,
        ctx: &'a crate::platforms::ResolveContext<'a>,
        embed: &'a EmbedRef,
    ) -> std::pin::Pin<Box<dyn Future<Output = Resolution> + Send + 'a>> {
        Box::pin(resolve_with(ctx.http, embed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CheckOutcome, Location, MediaKind};
    use crate::platforms::replay::Replay;

    #[tokio::test]
    async fn a_pin_resolves_to_the_manifests_expected_fields() {
        let r = recognise(
            &Url::parse(
                "https://assets.pinterest.com/ext/embed.html?id=106890191127977979&src=oembed",
            )
            .expect("url"),
        )
        .expect("recognised");
        let embed = EmbedRef {
            platform: Platform::Pinterest,
            kind: r.kind,
            post_url: r.canonical_url,
            post_id: r.post_id,
            location: Location::Dom,
            evidence: "iframe".into(),
            markup: String::new(),
            author_name: None,
            author_handle: None,
            text: None,
            published_at: None,
        };
        let replay = Replay::from_manifest();
        let got = resolve_with(&replay, &embed).await;
        assert_eq!(
            replay.requests(),
            [
                "https://www.pinterest.com/oembed.json?url=https%3A%2F%2Fwww.pinterest.com%2Fpin%2F106890191127977979%2F&format=json"
            ]
        );
        let Resolution::Live(post) = got else {
            panic!("expected live, got {got:?}");
        };
        assert_eq!(post.source, "pinterest-oembed");
        assert_eq!(post.title.as_deref(), Some("Pourparler"));
        assert_eq!(post.author_name.as_deref(), Some("Leslie Carruthers"));
        assert_eq!(
            post.author_url.as_deref(),
            Some("https://www.pinterest.com/thesearchguru/")
        );
        assert_eq!(post.author_handle.as_deref(), Some("thesearchguru"));
        assert_eq!(post.media.len(), 1);
        assert_eq!(post.media[0].kind, MediaKind::Image);
        // The answer names the pin's image without the slug the page's copy carries.
        assert_eq!(
            post.media[0].image_url.as_deref(),
            Some("https://i.pinimg.com/236x/b5/34/13/b53413787f3a42c8b9d5b08a6fbb2124.jpg")
        );
        assert_eq!(
            (post.media[0].width, post.media[0].height),
            (Some(236), Some(295))
        );
    }

    #[test]
    fn only_the_endpoints_own_404_is_gone() {
        let answer =
            |status: u16, content_type: &str, body: &[u8]| crate::platforms::source::Answer {
                url: "https://www.pinterest.com/oembed.json?url=x".into(),
                status,
                content_type: Some(content_type.into()),
                body: body.to_vec(),
            };
        let cases: [(u16, &str, &[u8], CheckOutcome); 5] = [
            (404, "application/json", b"", CheckOutcome::Gone),
            (
                404,
                "application/json",
                br#"{"status":"failure","code":40,"message":"Pin not found"}"#,
                CheckOutcome::Gone,
            ),
            (
                404,
                "text/html",
                b"<!DOCTYPE html><html><body>Pinterest</body></html>",
                CheckOutcome::Transient,
            ),
            (
                401,
                "application/json",
                br#"{"status":"failure","code":3,"message":"Authorization failed"}"#,
                CheckOutcome::Transient,
            ),
            (
                200,
                "application/json",
                br#"{"version":"1.0","type":"rich","html":"<script>x</script>"}"#,
                CheckOutcome::Transient,
            ),
        ];
        for (status, content_type, body, want) in cases {
            let got = OEMBED.classify(&answer(status, content_type, body), None, content);
            assert_eq!(got.outcome(), Some(want), "{status}: {got:?}");
        }
    }

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
