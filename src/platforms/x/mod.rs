//! x: URL recognition and canonicalisation; the resolver lives in [`resolve`].
//!
//! Claims posts on `x.com` and `twitter.com` (with `www.`, `mobile.` and `m.` hosts), the
//! `i/web/status` and `statuses` forms, old `#!/` hash-bang links, the rendered widget iframe
//! `platform.twitter.com/embed/Tweet.html?id=ID`, profiles and list timelines. It must never claim
//! the share and follow machinery (`/intent/...`, `/share`, `/hashtag/...`, `/search`,
//! `platform.twitter.com/widgets/...`) or `t.co` short links (which hide any URL, not only posts).

use url::Url;

use crate::model::{EmbedKind, Platform, Recognised};
use crate::platforms::url_util::{
    host_is_or_www, is_base64url_char, is_digits, is_token, query_value, segments, web_host,
};

mod blackbird_pie;
pub mod markup;
pub mod oembed;
mod page;
pub mod remnant;
pub mod resolve;
pub mod syndication;
pub mod token;
mod twtr_widget;

/// First path segments that are site sections, never handles.
const RESERVED: &[&str] = &[
    "i",
    "intent",
    "share",
    "hashtag",
    "search",
    "home",
    "explore",
    "settings",
    "login",
    "logout",
    "signup",
    "messages",
    "notifications",
    "tos",
    "privacy",
    "account",
    "widgets",
    "compose",
    "download",
    "jobs",
    "about",
    "help",
    "oauth",
    "statuses",
    "status",
    "who_to_follow",
    "lists",
    "personalization",
    "rules",
    "en",
];

/// When a post was made, as its id says: ids since November 2010 are snowflakes, which carry
/// their creation time in milliseconds since X's epoch (1288834974657) above their lowest 22
/// bits. Older ids were counted one by one and say nothing of time; the last of them was under
/// 2^35, which no snowflake is. Whole seconds, as the syndication answer's `created_at` gives
/// it, so that a post read from either source has one time.
pub(crate) fn snowflake_time(post_id: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let id: u64 = post_id.parse().ok()?;
    if id < 1 << 35 {
        return None;
    }
    let ms = i64::try_from(id >> 22)
        .ok()?
        .checked_add(1_288_834_974_657)?;
    // An id is as the article wrote it: one that would be made tomorrow or later names no post.
    chrono::DateTime::from_timestamp(ms.div_euclid(1000), 0)
        .filter(|t| *t <= chrono::Utc::now() + chrono::Duration::days(1))
}

/// Longest id accepted (react-tweet's bound); real snowflakes have at most 19 digits.
const MAX_ID_LEN: usize = 40;

/// Claim X/Twitter post, profile and list URLs.
///
/// The post id is the decimal snowflake (ids that are not all digits, or longer than 40
/// characters, are refused). Canonical post URLs are `https://x.com/HANDLE/status/ID`, or
/// `https://x.com/i/status/ID` when the URL names no handle; every query parameter (`s`, `t`,
/// `ref_src`, ...) is dropped. Profiles (`/HANDLE`) have kind `Profile`, lists
/// (`/HANDLE/lists/SLUG`, `/i/lists/ID`) kind `ListTimeline`; neither has a post id.
pub fn recognise(url: &Url) -> Option<Recognised> {
    let host = web_host(url)?;
    if host == "platform.twitter.com" || host == "platform.x.com" {
        return widget_iframe(url);
    }
    if !is_site_host(host) {
        return None;
    }
    let segs = segments(url);
    let mut segs: Vec<&str> = segs.iter().map(|s| s.as_ref()).collect();
    // Pre-2012 links put the route after `#!`: `twitter.com/#!/user/status/ID`.
    let fragment_path;
    if segs.is_empty()
        && let Some(rest) = url.fragment().and_then(|f| f.strip_prefix("!/"))
    {
        fragment_path = rest.split(['?', '#']).next().unwrap_or_default().to_owned();
        segs = fragment_path.split('/').filter(|s| !s.is_empty()).collect();
    }
    match segs.as_slice() {
        // `/i/videos/tweet/ID` is the player of the post's video, which publishers of 2018
        // pasted as an iframe of its own.
        ["i", "web", "status", id, ..]
        | ["i", "status", id, ..]
        | ["statuses", id, ..]
        | ["i", "videos", "tweet", id, ..] => status(None, id),
        ["i", "lists", id, ..] if is_digits(id, MAX_ID_LEN) => Some(Recognised {
            platform: Platform::X,
            kind: EmbedKind::ListTimeline,
            post_id: None,
            canonical_url: format!("https://x.com/i/lists/{id}"),
        }),
        [handle, "status" | "statuses", id, ..] if is_handle(handle) => status(Some(handle), id),
        [handle, "lists", slug, ..] if is_handle(handle) && is_list_slug(slug) => {
            Some(Recognised {
                platform: Platform::X,
                kind: EmbedKind::ListTimeline,
                post_id: None,
                canonical_url: format!("https://x.com/{handle}/lists/{slug}"),
            })
        }
        [handle] | [handle, "likes" | "media" | "with_replies"] if is_handle(handle) => {
            Some(Recognised {
                platform: Platform::X,
                kind: EmbedKind::Profile,
                post_id: None,
                canonical_url: profile_url(handle),
            })
        }
        _ => None,
    }
}

fn is_site_host(host: &str) -> bool {
    ["twitter.com", "x.com"].iter().any(|d| {
        host_is_or_www(host, d) || host == format!("mobile.{d}") || host == format!("m.{d}")
    })
}

/// The widget iframe (`/embed/Tweet.html?id=ID`, older `/embed/index.html?id=ID`). Everything else
/// on this host is buttons and scripts.
fn widget_iframe(url: &Url) -> Option<Recognised> {
    let segs = segments(url);
    let segs: Vec<&str> = segs.iter().map(|s| s.as_ref()).collect();
    match segs.as_slice() {
        ["embed", "Tweet.html" | "index.html"] => status(None, &query_value(url, "id")?),
        _ => None,
    }
}

fn status(handle: Option<&str>, id: &str) -> Option<Recognised> {
    let id = crate::platforms::url_util::digits_before_prose(id);
    if !is_digits(id, MAX_ID_LEN) {
        return None;
    }
    let canonical_url = match handle {
        Some(h) => format!("https://x.com/{h}/status/{id}"),
        None => format!("https://x.com/i/status/{id}"),
    };
    Some(Recognised {
        platform: Platform::X,
        kind: EmbedKind::Post,
        post_id: Some(id.to_owned()),
        canonical_url,
    })
}

/// An account's profile page.
fn profile_url(handle: &str) -> String {
    format!("https://x.com/{handle}")
}

/// Handles are 1–15 letters, digits or `_`; section names are not handles.
pub(super) fn is_handle(s: &str) -> bool {
    is_token(s, 1, 15, |c| c.is_ascii_alphanumeric() || c == '_')
        && !RESERVED.contains(&s.to_ascii_lowercase().as_str())
}

pub(super) fn is_list_slug(s: &str) -> bool {
    is_token(s, 1, 60, is_base64url_char)
}

/// The X module of the registry.
#[derive(Debug)]
pub struct X;

impl crate::platforms::PlatformModule for X {
    fn platform(&self) -> Platform {
        Platform::X
    }

    fn recognise(&self, url: &Url) -> Option<Recognised> {
        recognise(url)
    }

    fn markup(&self) -> &'static crate::platforms::markup::Markup {
        &markup::MARKUP
    }

    fn sources(&self) -> &'static [&'static str] {
        &[syndication::SOURCE, oembed::SOURCE]
    }

    fn resolve<'a>(
        &'a self,
        ctx: &'a crate::platforms::ResolveContext<'a>,
        embed: &'a crate::model::EmbedRef,
    ) -> std::pin::Pin<Box<dyn Future<Output = crate::model::Resolution> + Send + 'a>> {
        Box::pin(resolve::resolve(ctx, embed))
    }

    /// The x.com status page: its OpenGraph tags name the author and carry the text.
    fn post_page(&self, embed: &crate::model::EmbedRef) -> Option<Url> {
        crate::platforms::page::own_post_page(embed, |u| u.path().contains("/status/"))
    }

    fn refine_page_post(
        &self,
        content: crate::model::PostContent,
        embed: &crate::model::EmbedRef,
    ) -> crate::model::PostContent {
        page::refine(content, embed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(u: &str) -> Option<Recognised> {
        recognise(&Url::parse(u).unwrap())
    }

    #[test]
    fn posts_in_every_form() {
        let cases = [
            (
                "https://twitter.com/AgnesCallamard/status/1455512589295816707?ref_src=twsrc%5Etfw",
                "1455512589295816707",
                "https://x.com/AgnesCallamard/status/1455512589295816707",
            ),
            (
                "https://twitter.com/JuanPappierHRW/status/1516853150841507848?s=20&t=hjiPPG8lfmpKxZdGroNFJA",
                "1516853150841507848",
                "https://x.com/JuanPappierHRW/status/1516853150841507848",
            ),
            (
                "http://twitter.com/traumsphaeren/statuses/1209449731941904385",
                "1209449731941904385",
                "https://x.com/traumsphaeren/status/1209449731941904385",
            ),
            (
                "https://x.com/UaSmart/status/934106870834454529",
                "934106870834454529",
                "https://x.com/UaSmart/status/934106870834454529",
            ),
            // A Markdown link's `)` or a sentence's comma glued to the address (a Substack
            // card's `data-attrs` keeps what its author pasted).
            (
                "https://twitter.com/OKDunc/status/1314065374480986114)",
                "1314065374480986114",
                "https://x.com/OKDunc/status/1314065374480986114",
            ),
            (
                "https://twitter.com/OKDunc/status/1314065374480986114,",
                "1314065374480986114",
                "https://x.com/OKDunc/status/1314065374480986114",
            ),
            (
                "https://mobile.twitter.com/pepephone/status/436461658601713664/photo/1",
                "436461658601713664",
                "https://x.com/pepephone/status/436461658601713664",
            ),
            (
                "https://www.x.com/pepephone/status/436461658601713664/",
                "436461658601713664",
                "https://x.com/pepephone/status/436461658601713664",
            ),
            (
                "https://twitter.com/i/web/status/1222907250383245320",
                "1222907250383245320",
                "https://x.com/i/status/1222907250383245320",
            ),
            (
                "https://x.com/i/status/1222907250383245320?s=46",
                "1222907250383245320",
                "https://x.com/i/status/1222907250383245320",
            ),
            (
                "https://twitter.com/i/videos/tweet/968882438024941568?embed_source=clientlib",
                "968882438024941568",
                "https://x.com/i/status/968882438024941568",
            ),
            (
                "https://twitter.com/statuses/370525864523743232",
                "370525864523743232",
                "https://x.com/i/status/370525864523743232",
            ),
            (
                "http://twitter.com/#!/ironshay/status/370525864523743232",
                "370525864523743232",
                "https://x.com/ironshay/status/370525864523743232",
            ),
            (
                "https://platform.twitter.com/embed/Tweet.html?dnt=false&embedId=twitter-widget-0&frame=false&id=769239021021036544&lang=en",
                "769239021021036544",
                "https://x.com/i/status/769239021021036544",
            ),
            (
                "https://platform.twitter.com/embed/index.html?id=800384752746254337",
                "800384752746254337",
                "https://x.com/i/status/800384752746254337",
            ),
        ];
        for (input, id, canonical) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.platform, Platform::X, "{input}");
            assert_eq!(got.kind, EmbedKind::Post, "{input}");
            assert_eq!(got.post_id.as_deref(), Some(id), "{input}");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(canonical), Some(got), "idempotent: {canonical}");
        }
    }

    #[test]
    fn profiles_and_lists_have_no_post_id() {
        let cases = [
            (
                "http://twitter.com/TheAVClub/",
                EmbedKind::Profile,
                "https://x.com/TheAVClub",
            ),
            (
                "https://x.com/TheLocalSweden",
                EmbedKind::Profile,
                "https://x.com/TheLocalSweden",
            ),
            (
                "https://twitter.com/HenningLobin?ref_src=twsrc%5Etfw",
                EmbedKind::Profile,
                "https://x.com/HenningLobin",
            ),
            (
                "http://www.twitter.com/5tevieM",
                EmbedKind::Profile,
                "https://x.com/5tevieM",
            ),
            (
                "https://twitter.com/CBSThisMorning/lists/newsroom",
                EmbedKind::ListTimeline,
                "https://x.com/CBSThisMorning/lists/newsroom",
            ),
            (
                "https://x.com/i/lists/1234567890",
                EmbedKind::ListTimeline,
                "https://x.com/i/lists/1234567890",
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
    fn buttons_share_links_and_bad_ids_are_not_claimed() {
        for input in [
            "https://twitter.com/intent/tweet?button_hashtag=TwitterStories",
            "https://twitter.com/share",
            "http://twitter.com/share?url=https%3A%2F%2Fexample.com",
            "https://twitter.com/hashtag/skep?src=hash",
            "https://twitter.com/search?q=x",
            "https://twitter.com/",
            "https://t.co/4DK3Jc2BTt",
            "http://platform.twitter.com/widgets/tweet_button.html?url=http%3A%2F%2Fwp.me%2Fp2Xrlp-251I",
            "http://platform.twitter.com/widgets/follow_button.a0ec3119d8db2bc5422f2144c89ad7a9.en.html#screen_name=getfandom",
            "https://twitter.com/jack/status/20abc",
            "https://twitter.com/jack/status/20).x",
            "https://twitter.com/jack/status/)",
            "https://twitter.com/jack/status/12345678901234567890123456789012345678901",
            "https://twitter.com/jack/status/",
            "https://platform.twitter.com/embed/Tweet.html?id=abc",
            "https://twitter.com/a_handle_that_is_too_long/status/20",
            "https://nottwitter.com/jack/status/20",
            "https://twitter.com/500258288563269633",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }
}
