//! instagram: URL recognition and canonicalisation; the resolver lives in [`resolve`].
//!
//! Claims posts (`/p/`, `/tv/`), reels (`/reel/`, `/reels/`), their embed pages
//! (`/p/CODE/embed/captioned/`), user-prefixed forms (`/USER/p/CODE/`), `instagr.am` short
//! hosts, and profiles (kind `Profile`, no post id). It must never claim site pages that are
//! neither (`/explore/tags/x`, `/accounts/login/`, `/stories/...`).

use url::Url;

use crate::model::{EmbedKind, EmbedRef, Platform, PostContent, Recognised};
use crate::platforms::url_util::{host_is_or_www, is_base64url_char, is_token, segments, web_host};

pub mod embed_page;
pub mod graph;
pub mod markup;
mod page;
pub mod remnant;
pub mod resolve;

/// Whether `text` is written as an Instagram handle: letters, digits, `_` and `.`.
fn is_handle(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
}

/// An account's profile page.
pub(crate) fn profile_url(handle: &str) -> String {
    format!("https://www.instagram.com/{handle}/")
}

/// First path segments that are Instagram site sections, never user names.
const RESERVED: &[&str] = &[
    "p",
    "tv",
    "reel",
    "reels",
    "explore",
    "accounts",
    "stories",
    "direct",
    "about",
    "developer",
    "legal",
    "web",
    "emails",
    "challenge",
    "session",
    "oauth",
    "privacy",
    "terms",
    "directory",
    "static",
    "embed.js",
    "api",
    "graphql",
    "ajax",
    "invites",
    "create",
    "lite",
    "press",
    "topics",
    "locations",
    "popular",
    "share",
];

/// Claim Instagram post, reel and profile URLs.
///
/// The post id is the shortcode. `/tv/CODE` canonicalises to `/p/CODE/` (Instagram serves IGTV
/// posts there); reels keep `/reel/CODE/`. The query (`utm_*`, `igsh`, `igshid`, ...) and any
/// trailing `embed/captioned` part are dropped.
pub fn recognise(url: &Url) -> Option<Recognised> {
    let host = web_host(url)?;
    if !(host_is_or_www(host, "instagram.com")
        || host == "m.instagram.com"
        || host_is_or_www(host, "instagr.am"))
    {
        return None;
    }
    let segs = segments(url);
    let segs: Vec<&str> = segs.iter().map(|s| s.as_ref()).collect();
    // Optional user prefix: `/USER/p/CODE/`.
    let post_part = match segs.as_slice() {
        [section, code, ..] if is_post_section(section) => Some((*section, *code)),
        [user, section, code, ..] if is_user(user) && is_post_section(section) => {
            Some((*section, *code))
        }
        _ => None,
    };
    if let Some((section, code)) = post_part {
        return post(section, code);
    }
    match segs.as_slice() {
        // `/USER/` and the profile embed `/USER/embed/`.
        [user] | [user, "embed"] if is_user(user) => {
            let user = user.to_ascii_lowercase();
            Some(Recognised {
                platform: Platform::Instagram,
                kind: EmbedKind::Profile,
                post_id: None,
                canonical_url: profile_url(&user),
            })
        }
        _ => None,
    }
}

fn is_post_section(s: &str) -> bool {
    matches!(s, "p" | "tv" | "reel" | "reels")
}

fn post(section: &str, code: &str) -> Option<Recognised> {
    // Normal shortcodes are 10–11 characters; private-share links carry much longer ones.
    if !is_token(code, 5, 64, is_base64url_char) {
        return None;
    }
    let (kind, path) = match section {
        "reel" | "reels" => (EmbedKind::Video, "reel"),
        // IGTV posts live on under `/p/`; the kind follows the canonical form so that
        // recognising the canonical URL again gives the same answer.
        _ => (EmbedKind::Post, "p"),
    };
    Some(Recognised {
        platform: Platform::Instagram,
        kind,
        post_id: Some(code.to_owned()),
        canonical_url: format!("https://www.instagram.com/{path}/{code}/"),
    })
}

/// Instagram user names: letters, digits, `.` and `_`, at most 30 characters.
fn is_user(s: &str) -> bool {
    is_token(s, 1, 30, |c| {
        c.is_ascii_alphanumeric() || c == '.' || c == '_'
    }) && !RESERVED.contains(&s.to_ascii_lowercase().as_str())
}

/// The Instagram module of the registry.
#[derive(Debug)]
pub struct Instagram;

impl crate::platforms::PlatformModule for Instagram {
    fn platform(&self) -> Platform {
        Platform::Instagram
    }

    fn recognise(&self, url: &Url) -> Option<Recognised> {
        recognise(url)
    }

    fn markup(&self) -> &'static crate::platforms::markup::Markup {
        &markup::MARKUP
    }

    fn sources(&self) -> &'static [&'static str] {
        &[embed_page::SOURCE, graph::SOURCE]
    }

    fn resolve<'a>(
        &'a self,
        ctx: &'a crate::platforms::ResolveContext<'a>,
        embed: &'a crate::model::EmbedRef,
    ) -> std::pin::Pin<Box<dyn Future<Output = crate::model::Resolution> + Send + 'a>> {
        Box::pin(resolve::resolve(ctx, embed))
    }

    /// The post's `/p/CODE/` page (reels too): its OpenGraph tags, where Instagram serves them.
    fn post_page(&self, embed: &EmbedRef) -> Option<Url> {
        let code = embed
            .post_id
            .as_deref()
            .filter(|c| embed_page::is_shortcode(c))?;
        Url::parse(&format!("https://www.instagram.com/p/{code}/")).ok()
    }

    fn refine_page_post(&self, content: PostContent, embed: &EmbedRef) -> PostContent {
        let content = page::refine(content);
        let content = match embed.post_id.as_deref() {
            Some(code) => page::fill_from_state(content, code),
            None => content,
        };
        let content = page::fill_handle_from_card(content, &embed.post_url);
        resolve::fill_from_markup(content, embed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(u: &str) -> Option<Recognised> {
        recognise(&Url::parse(u).unwrap())
    }

    #[test]
    fn posts_and_reels_in_every_form() {
        let cases = [
            (
                "https://www.instagram.com/p/CZbSJqLhYy0/",
                EmbedKind::Post,
                "CZbSJqLhYy0",
                "https://www.instagram.com/p/CZbSJqLhYy0/",
            ),
            (
                "https://www.instagram.com/p/B63DdKjgavx/?utm_source=ig_embed&utm_campaign=loading",
                EmbedKind::Post,
                "B63DdKjgavx",
                "https://www.instagram.com/p/B63DdKjgavx/",
            ),
            (
                "https://www.instagram.com/p/B6dH6mci9ZC/?igshid=1ru2ea3n715h1",
                EmbedKind::Post,
                "B6dH6mci9ZC",
                "https://www.instagram.com/p/B6dH6mci9ZC/",
            ),
            (
                "http://instagram.com/p/xX9gl8q4SH/",
                EmbedKind::Post,
                "xX9gl8q4SH",
                "https://www.instagram.com/p/xX9gl8q4SH/",
            ),
            (
                "http://instagr.am/p/B9bOM-6Ax_d/?igshid=1mn51zsvrhoiq",
                EmbedKind::Post,
                "B9bOM-6Ax_d",
                "https://www.instagram.com/p/B9bOM-6Ax_d/",
            ),
            (
                "https://m.instagram.com/p/B4c7yR3FsD_",
                EmbedKind::Post,
                "B4c7yR3FsD_",
                "https://www.instagram.com/p/B4c7yR3FsD_/",
            ),
            (
                "https://www.instagram.com/p/C82rTq0Nx7e/embed/captioned/?cr=1&v=14&wp=540",
                EmbedKind::Post,
                "C82rTq0Nx7e",
                "https://www.instagram.com/p/C82rTq0Nx7e/",
            ),
            (
                "https://www.instagram.com/p/C82rTq0Nx7e/embed",
                EmbedKind::Post,
                "C82rTq0Nx7e",
                "https://www.instagram.com/p/C82rTq0Nx7e/",
            ),
            (
                "https://www.instagram.com/tv/CCX-gcHArcJ/?igshid=1i0rst4jaz0j",
                EmbedKind::Post,
                "CCX-gcHArcJ",
                "https://www.instagram.com/p/CCX-gcHArcJ/",
            ),
            (
                "https://www.instagram.com/reel/C9xYz12AbCd/?igsh=MWZ4",
                EmbedKind::Video,
                "C9xYz12AbCd",
                "https://www.instagram.com/reel/C9xYz12AbCd/",
            ),
            (
                "https://www.instagram.com/reels/C9xYz12AbCd/",
                EmbedKind::Video,
                "C9xYz12AbCd",
                "https://www.instagram.com/reel/C9xYz12AbCd/",
            ),
            (
                "https://www.instagram.com/chrishemsworth/p/BxgHgZXDFUo/",
                EmbedKind::Post,
                "BxgHgZXDFUo",
                "https://www.instagram.com/p/BxgHgZXDFUo/",
            ),
            (
                "https://www.instagram.com/some.user/reel/C9xYz12AbCd/",
                EmbedKind::Video,
                "C9xYz12AbCd",
                "https://www.instagram.com/reel/C9xYz12AbCd/",
            ),
        ];
        for (input, kind, id, canonical) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.platform, Platform::Instagram, "{input}");
            assert_eq!(got.kind, kind, "{input}");
            assert_eq!(got.post_id.as_deref(), Some(id), "{input}");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(canonical), Some(got), "idempotent: {canonical}");
        }
    }

    #[test]
    fn profiles_have_no_post_id() {
        let cases = [
            (
                "https://www.instagram.com/handball.ch/",
                "https://www.instagram.com/handball.ch/",
            ),
            (
                "http://instagram.com/selfmagazine",
                "https://www.instagram.com/selfmagazine/",
            ),
            (
                "https://www.instagram.com/LACRUXmagazin",
                "https://www.instagram.com/lacruxmagazin/",
            ),
            (
                "https://www.instagram.com/nasa/embed",
                "https://www.instagram.com/nasa/",
            ),
        ];
        for (input, canonical) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.kind, EmbedKind::Profile, "{input}");
            assert_eq!(got.post_id, None, "{input}");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(canonical), Some(got), "idempotent: {canonical}");
        }
    }

    #[test]
    fn site_pages_and_other_hosts_are_not_claimed() {
        for input in [
            "https://www.instagram.com/",
            "https://www.instagram.com/explore/tags/skep/",
            "https://www.instagram.com/accounts/login/?next=%2Fp%2FC9aa0LoginW%2Fembed%2Fcaptioned%2F",
            "https://www.instagram.com/stories/nasa/3012345678901234567/",
            "https://www.instagram.com/embed.js",
            "https://www.instagram.com/p/",
            "https://www.instagram.com/p/a%20b/",
            "https://www.instagram.com/p/abc/",
            "https://notinstagram.com/p/CZbSJqLhYy0/",
            "https://scontent.cdninstagram.com/v/t51.2885-15/449876543_n.jpg",
            "ftp://www.instagram.com/p/CZbSJqLhYy0/",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }
}
