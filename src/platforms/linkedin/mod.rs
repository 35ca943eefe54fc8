//! linkedin: URL recognition, and the resolver over the post's public page ([`resolve`]).
//!
//! Claims posts by their URN: the embed iframe (`/embed/feed/update/urn:li:TYPE:ID`), feed
//! links (`/feed/update/urn:li:TYPE:ID/`) and post pages (`/posts/SLUG-activity-ID-XXXX`), on
//! `www.` and country (`de.linkedin.com`) hosts; members (`/in/NAME`) and companies
//! (`/company/NAME`) are profiles. It must never claim share buttons (`/shareArticle`,
//! `/sharing/...`), login walls, or `lnkd.in` short links (their code is not a post id).
//!
//! The post id is the full URN (`urn:li:activity:ID`): one post has different `activity`,
//! `share` and `ugcPost` ids, so the type is part of its identity.

use url::Url;

use crate::model::{EmbedKind, Platform, Recognised};
use crate::platforms::url_util::{
    host_within, is_base64url_char, is_digits, is_token, segments, web_host,
};

pub mod post_page;
pub mod resolve;
#[cfg(test)]
mod resolver_tests;

/// Claim LinkedIn post, member and company URLs.
///
/// Canonical post URL: `https://www.linkedin.com/feed/update/urn:li:TYPE:ID/`.
pub fn recognise(url: &Url) -> Option<Recognised> {
    let host = web_host(url)?;
    if !host_within(host, "linkedin.com") || !is_site_host(host) {
        return None;
    }
    let segs = segments(url);
    let segs: Vec<&str> = segs.iter().map(|s| s.as_ref()).collect();
    match segs.as_slice() {
        ["embed", "feed", "update", urn, ..] | ["feed", "update", urn, ..] => post_from_urn(urn),
        ["posts", slug, ..] => post_from_slug(slug),
        [section @ ("in" | "company"), name, ..] if is_token(name, 2, 100, is_base64url_char) => {
            Some(Recognised {
                platform: Platform::Linkedin,
                kind: EmbedKind::Profile,
                post_id: None,
                canonical_url: format!("https://www.linkedin.com/{section}/{name}/"),
            })
        }
        _ => None,
    }
}

/// The bare domain, `www.`, and two-letter country subdomains.
fn is_site_host(host: &str) -> bool {
    match host.strip_suffix("linkedin.com") {
        Some("") | Some("www.") => true,
        Some(sub) => sub
            .strip_suffix('.')
            .is_some_and(|cc| is_token(cc, 2, 2, |c| c.is_ascii_lowercase())),
        None => false,
    }
}

/// `urn:li:activity:ID`, `urn:li:share:ID`, `urn:li:ugcPost:ID`.
fn post_from_urn(urn: &str) -> Option<Recognised> {
    let rest = urn.strip_prefix("urn:li:")?;
    let (kind, id) = rest.split_once(':')?;
    post(kind, id)
}

/// `/posts/USER_title-words-activity-7123456789012345678-AbCd`.
fn post_from_slug(slug: &str) -> Option<Recognised> {
    let parts: Vec<&str> = slug.split('-').collect();
    parts.windows(2).rev().find_map(|w| match w {
        [kind @ ("activity" | "share" | "ugcPost"), id] if is_digits(id, 22) => post(kind, id),
        _ => None,
    })
}

fn post(kind: &str, id: &str) -> Option<Recognised> {
    let known_type = matches!(kind, "activity" | "share" | "ugcPost");
    // Post ids are 19-digit snowflakes; allow some room either side.
    let id_ok = is_digits(id, 22) && id.len() >= 15;
    if !(known_type && id_ok) {
        return None;
    }
    Some(Recognised {
        platform: Platform::Linkedin,
        kind: EmbedKind::Post,
        post_id: Some(format!("urn:li:{kind}:{id}")),
        canonical_url: format!("https://www.linkedin.com/feed/update/urn:li:{kind}:{id}/"),
    })
}

/// The Linkedin module of the registry.
#[derive(Debug)]
pub struct Linkedin;

impl crate::platforms::PlatformModule for Linkedin {
    fn platform(&self) -> Platform {
        Platform::Linkedin
    }

    fn recognise(&self, url: &Url) -> Option<Recognised> {
        recognise(url)
    }

    fn sources(&self) -> &'static [&'static str] {
        &[post_page::SOURCE]
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
                "https://www.linkedin.com/embed/feed/update/urn:li:share:7123456789012345678",
                "urn:li:share:7123456789012345678",
            ),
            (
                "https://www.linkedin.com/embed/feed/update/urn%3Ali%3AugcPost%3A7123456789012345678?compact=1",
                "urn:li:ugcPost:7123456789012345678",
            ),
            (
                "https://www.linkedin.com/feed/update/urn:li:activity:7123456789012345678/",
                "urn:li:activity:7123456789012345678",
            ),
            (
                "https://de.linkedin.com/posts/jane-doe_some-title-activity-7123456789012345678-AbCd?utm_source=share",
                "urn:li:activity:7123456789012345678",
            ),
        ];
        for (input, id) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.platform, Platform::Linkedin, "{input}");
            assert_eq!(got.kind, EmbedKind::Post, "{input}");
            assert_eq!(got.post_id.as_deref(), Some(id), "{input}");
            let canonical = format!("https://www.linkedin.com/feed/update/{id}/");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(&canonical), Some(got), "idempotent: {canonical}");
        }
    }

    #[test]
    fn profiles_and_other_pages() {
        let member = rec("https://www.linkedin.com/in/jane-doe/").unwrap();
        assert_eq!(member.kind, EmbedKind::Profile);
        assert_eq!(member.post_id, None);
        for input in [
            "https://www.linkedin.com/shareArticle?mini=true&url=https%3A%2F%2Fexample.com",
            "https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fexample.com",
            "https://www.linkedin.com/authwall?trk=x",
            "https://www.linkedin.com/feed/update/urn:li:article:7123456789012345678/",
            "https://www.linkedin.com/feed/update/urn:li:activity:123/",
            "https://www.linkedin.com/posts/jane-doe_some-title",
            "https://lnkd.in/abcDEF",
            "https://platform.linkedin.com/in.js",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }
}
