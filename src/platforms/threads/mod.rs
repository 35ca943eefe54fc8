//! threads: URL recognition, markup, and the resolver over the embed page and the post page
//! ([`resolve`]).
//!
//! Claims posts (`/@USER/post/CODE`, `/t/CODE`) and profiles (`/@USER`) on `threads.net` and
//! `threads.com`, with or without `www.`. It must never claim other Meta hosts or Threads site
//! pages (`/login`, `/search`).

use url::Url;

use crate::model::{EmbedKind, Platform, Recognised};
use crate::platforms::url_util::{host_is_or_www, is_base64url_char, is_token, segments, web_host};

pub mod embed_page;
pub mod post_page;
pub mod resolve;
#[cfg(test)]
mod resolver_tests;

/// Claim Threads post and profile URLs.
///
/// The post id is the shortcode (Instagram's alphabet). Threads moved from `threads.net` to
/// `threads.com` in 2025, so canonical URLs use `https://www.threads.com`. `/t/CODE` names no
/// user and canonicalises to `https://www.threads.com/t/CODE`.
pub fn recognise(url: &Url) -> Option<Recognised> {
    let host = web_host(url)?;
    if !(host_is_or_www(host, "threads.net") || host_is_or_www(host, "threads.com")) {
        return None;
    }
    let segs = segments(url);
    let segs: Vec<&str> = segs.iter().map(|s| s.as_ref()).collect();
    match segs.as_slice() {
        [user, "post", code, ..] => {
            let user = user.strip_prefix('@').filter(|u| is_user(u))?;
            post(code, format!("https://www.threads.com/@{user}/post/{code}"))
        }
        ["t", code, ..] => post(code, format!("https://www.threads.com/t/{code}")),
        [user] => {
            let user = user.strip_prefix('@').filter(|u| is_user(u))?;
            Some(Recognised {
                platform: Platform::Threads,
                kind: EmbedKind::Profile,
                post_id: None,
                canonical_url: format!("https://www.threads.com/@{user}"),
            })
        }
        _ => None,
    }
}

fn post(code: &str, canonical_url: String) -> Option<Recognised> {
    is_token(code, 5, 64, is_base64url_char).then(|| Recognised {
        platform: Platform::Threads,
        kind: EmbedKind::Post,
        post_id: Some(code.to_owned()),
        canonical_url,
    })
}

/// Threads user names are Instagram user names.
pub fn is_user(s: &str) -> bool {
    is_token(s, 1, 30, |c| {
        c.is_ascii_alphanumeric() || c == '.' || c == '_'
    })
}

/// What Threads' embeds look like in an article: the `text-post-media` blockquote.
pub static MARKUP: crate::platforms::markup::Markup = crate::platforms::markup::Markup {
    quotes: &[crate::platforms::markup::Quote {
        form: crate::model::markup::QuoteForm {
            class: "text-post-media",
            // A sanitiser that strips classes may keep the permalink attribute.
            marker_attr: Some("data-text-post-permalink"),
            post_attrs: &["data-text-post-permalink"],
            urls: quote_urls,
            family: &SCRIPTS,
        },
        read: crate::platforms::markup::handle_from_at_permalink,
    }],
    naming: Some(crate::platforms::markup::Naming::words(
        crate::model::Platform::Threads,
        &["threads"],
    )),
    ..crate::platforms::markup::Markup::NONE
};

/// The scripts that render Threads' blockquotes.
static SCRIPTS: crate::model::markup::ScriptFamily = crate::model::markup::ScriptFamily {
    name: "threads",
    scripts: &[
        ("www.threads.net", "/embed.js"),
        ("threads.net", "/embed.js"),
        ("www.threads.com", "/embed.js"),
        ("threads.com", "/embed.js"),
    ],
    on_post_host: None,
    widget_classes: &[],
};

/// The permalink attribute, then the post links inside.
fn quote_urls(parts: &crate::model::markup::QuoteParts<'_>) -> Vec<Url> {
    let mut urls: Vec<Url> = Vec::new();
    urls.extend(parts.attr_url("data-text-post-permalink"));
    urls.extend(
        parts
            .links
            .iter()
            .filter(|u| crate::model::markup::path_has(u, &["post", "t"]))
            .cloned(),
    );
    urls
}

/// The Threads module of the registry.
#[derive(Debug)]
pub struct Threads;

impl crate::platforms::PlatformModule for Threads {
    fn platform(&self) -> Platform {
        Platform::Threads
    }

    fn recognise(&self, url: &Url) -> Option<Recognised> {
        recognise(url)
    }

    fn markup(&self) -> &'static crate::platforms::markup::Markup {
        &MARKUP
    }

    fn sources(&self) -> &'static [&'static str] {
        &[embed_page::SOURCE, post_page::SOURCE]
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
    fn posts_in_every_form() {
        let cases = [
            (
                "https://www.threads.net/@zuck/post/C8kQx2LtA1b",
                "C8kQx2LtA1b",
                "https://www.threads.com/@zuck/post/C8kQx2LtA1b",
            ),
            (
                "https://threads.com/@some.user_1/post/C8kQx2LtA1b/embed?xmt=abc",
                "C8kQx2LtA1b",
                "https://www.threads.com/@some.user_1/post/C8kQx2LtA1b",
            ),
            (
                "https://www.threads.net/t/C8kQx2LtA1b/",
                "C8kQx2LtA1b",
                "https://www.threads.com/t/C8kQx2LtA1b",
            ),
        ];
        for (input, id, canonical) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.platform, Platform::Threads, "{input}");
            assert_eq!(got.kind, EmbedKind::Post, "{input}");
            assert_eq!(got.post_id.as_deref(), Some(id), "{input}");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(canonical), Some(got), "idempotent: {canonical}");
        }
        let profile = rec("https://www.threads.net/@zuck").unwrap();
        assert_eq!(profile.kind, EmbedKind::Profile);
        assert_eq!(profile.post_id, None);
    }

    #[test]
    fn other_pages_are_not_claimed() {
        for input in [
            "https://www.threads.net/",
            "https://www.threads.net/login",
            "https://www.threads.net/zuck/post/C8kQx2LtA1b",
            "https://www.threads.net/@zuck/post/ab",
            "https://www.threads.net/embed.js",
            "https://threadsnet.example/@zuck/post/C8kQx2LtA1b",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }
}
