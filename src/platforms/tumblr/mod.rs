//! tumblr: URL recognition and the resolver ([`resolve`]): Tumblr's public oEmbed endpoint
//! and the post's own page; the API needs a consumer key and is not asked.
//!
//! Claims posts on blog subdomains (`BLOG.tumblr.com/post/ID[/slug]`), on the dashboard host
//! (`www.tumblr.com/BLOG/ID[/slug]`), the embed iframe (`embed.tumblr.com/embed/post/KEY/ID`),
//! and blogs as profiles. Posts on custom domains (`example.com/post/ID`) are not claimed: the
//! path alone is too common a shape to mean Tumblr, and discovery finds those through the
//! `div.tumblr-post` markup, whose `data-href` is an `embed.tumblr.com` URL.

pub mod resolve;

use std::future::Future;
use std::pin::Pin;

use url::Url;

use crate::model::{EmbedKind, EmbedRef, Platform, Recognised, Resolution};
use crate::platforms::ResolveContext;
use crate::platforms::url_util::{
    host_is_or_www, is_base64url_char, is_digits, is_token, segments, web_host,
};

/// Subdomains of tumblr.com that are services, never blogs.
const SERVICE_HOSTS: &[&str] = &[
    "www", "assets", "embed", "media", "static", "api", "help", "secure", "64", "va", "px",
];

/// First path segments on www.tumblr.com that are site sections, never blog names.
const RESERVED: &[&str] = &[
    "dashboard",
    "explore",
    "tagged",
    "search",
    "login",
    "register",
    "settings",
    "oembed",
    "blog",
    "new",
    "docs",
    "policy",
    "about",
    "privacy",
    "help",
    "inbox",
    "likes",
    "following",
    "widgets",
    "share",
    "reblog",
    "tag",
    "post",
    "apps",
    "logout",
];

/// Claim Tumblr post and blog URLs.
///
/// The post id is the numeric post id (unique across Tumblr); the canonical URL is
/// `https://www.tumblr.com/BLOG/ID`. The embed iframe names the blog by an opaque key, so its
/// canonical form is the iframe URL `https://embed.tumblr.com/embed/post/KEY/ID`.
pub fn recognise(url: &Url) -> Option<Recognised> {
    let host = web_host(url)?;
    let segs = segments(url);
    let segs: Vec<&str> = segs.iter().map(|s| s.as_ref()).collect();
    if host == "embed.tumblr.com" {
        return match segs.as_slice() {
            ["embed", "post", key, id, ..] if is_embed_key(key) => post(
                id,
                format!("https://embed.tumblr.com/embed/post/{key}/{id}"),
            ),
            _ => None,
        };
    }
    if host_is_or_www(host, "tumblr.com") {
        return match segs.as_slice() {
            [blog, id, ..] if is_blog(blog) => {
                post(id, format!("https://www.tumblr.com/{blog}/{id}"))
            }
            [blog] if is_blog(blog) => Some(blog_profile(blog)),
            _ => None,
        };
    }
    let blog = host.strip_suffix(".tumblr.com")?;
    if blog.contains('.') || SERVICE_HOSTS.contains(&blog) || !is_blog(blog) {
        return None;
    }
    match segs.as_slice() {
        ["post", id, ..] => post(id, format!("https://www.tumblr.com/{blog}/{id}")),
        [] => Some(blog_profile(blog)),
        _ => None,
    }
}

fn post(id: &str, canonical_url: String) -> Option<Recognised> {
    is_digits(id, 20).then(|| Recognised {
        platform: Platform::Tumblr,
        kind: EmbedKind::Post,
        post_id: Some(id.to_owned()),
        canonical_url,
    })
}

fn blog_profile(blog: &str) -> Recognised {
    Recognised {
        platform: Platform::Tumblr,
        kind: EmbedKind::Profile,
        post_id: None,
        canonical_url: format!("https://www.tumblr.com/{blog}"),
    }
}

/// Blog names: lowercase letters, digits and `-`.
fn is_blog(s: &str) -> bool {
    is_token(s, 1, 32, |c| {
        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
    }) && !RESERVED.contains(&s)
}

/// `t:BLOGKEY` or a bare key.
fn is_embed_key(s: &str) -> bool {
    let key = s.strip_prefix("t:").unwrap_or(s);
    is_token(key, 3, 64, is_base64url_char)
}

/// What Tumblr's embeds look like in an article: `div.tumblr-post`, filled by its script.
pub static MARKUP: crate::platforms::markup::Markup = crate::platforms::markup::Markup {
    containers: &[crate::platforms::markup::ElementForm {
        marker: crate::platforms::markup::Marker::Class("tumblr-post"),
        read: read_container,
    }],
    ..crate::platforms::markup::Markup::NONE
};

/// The links inside, then `data-href` (the embed address).
fn read_container(
    el: scraper::ElementRef<'_>,
    base: &Url,
) -> Option<crate::platforms::markup::Candidate> {
    let mut urls = crate::platforms::markup::links(el, base);
    urls.extend(crate::platforms::markup::attr_url(el, base, "data-href"));
    crate::platforms::markup::Candidate::new(urls, format!("{}.tumblr-post", el.value().name()))
}

/// The Tumblr module of the registry.
#[derive(Debug)]
pub struct Tumblr;

impl crate::platforms::PlatformModule for Tumblr {
    fn platform(&self) -> Platform {
        Platform::Tumblr
    }

    fn recognise(&self, url: &Url) -> Option<Recognised> {
        recognise(url)
    }

    fn markup(&self) -> &'static crate::platforms::markup::Markup {
        &MARKUP
    }

    fn sources(&self) -> &'static [&'static str] {
        &[resolve::OEMBED_SOURCE, resolve::PAGE_SOURCE]
    }

    fn resolve<'a>(
        &'a self,
        ctx: &'a ResolveContext<'a>,
        embed: &'a EmbedRef,
    ) -> Pin<Box<dyn Future<Output = Resolution> + Send + 'a>> {
        Box::pin(resolve::resolve_with(ctx.http, embed))
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
                "https://he-who-photographs-rather-ok.tumblr.com/post/165326273724",
                "https://www.tumblr.com/he-who-photographs-rather-ok/165326273724",
            ),
            (
                "https://he-who-photographs-rather-ok.tumblr.com/post/165326273724/some-slug?source=share",
                "https://www.tumblr.com/he-who-photographs-rather-ok/165326273724",
            ),
            (
                "https://www.tumblr.com/he-who-photographs-rather-ok/165326273724/some-slug",
                "https://www.tumblr.com/he-who-photographs-rather-ok/165326273724",
            ),
            (
                "https://embed.tumblr.com/embed/post/t:AbCdEf123/165326273724/v2",
                "https://embed.tumblr.com/embed/post/t:AbCdEf123/165326273724",
            ),
        ];
        for (input, canonical) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.platform, Platform::Tumblr, "{input}");
            assert_eq!(got.kind, EmbedKind::Post, "{input}");
            assert_eq!(got.post_id.as_deref(), Some("165326273724"), "{input}");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(canonical), Some(got), "idempotent: {canonical}");
        }
    }

    #[test]
    fn blogs_are_profiles_and_services_are_not_claimed() {
        let blog = rec("https://he-who-photographs-rather-ok.tumblr.com/").unwrap();
        assert_eq!(blog.kind, EmbedKind::Profile);
        assert_eq!(blog.post_id, None);
        for input in [
            "https://www.tumblr.com/",
            "https://www.tumblr.com/dashboard",
            "https://www.tumblr.com/tagged/news",
            "https://www.tumblr.com/oembed/1.0?url=x",
            "https://assets.tumblr.com/post.js?_v=1",
            "https://64.media.tumblr.com/0a0fac1ef8faa0c466d9224567af06aa/tumblr_x_1280.jpg",
            "https://example.com/post/165326273724",
            "https://blog.tumblr.com/post/notanid",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }
}
