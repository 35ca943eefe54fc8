//! twitch: URL recognition and the resolver, which reads past broadcasts and clips from their
//! public pages ([`page`]); Helix, the API, needs an app token and a client id and is not asked.
//!
//! Claims past broadcasts (`/videos/ID`, `/NAME/v/ID`, player `?video=vID`), clips
//! (`clips.twitch.tv/SLUG`, `/NAME/clip/SLUG`, `clips.twitch.tv/embed?clip=SLUG`), collections
//! (player `?collection=ID`, kind `Playlist`) and channels (`/NAME`, player `?channel=NAME`,
//! kind `Profile`). It must never claim directory, settings or store pages, or the embed script.
//!
//! Post ids: a video is its numeric id, a clip `clip/SLUG` (clip slugs and video ids live in
//! different namespaces), a collection `collection/ID`.

pub mod page;

use std::future::Future;
use std::pin::Pin;

use url::Url;

use crate::model::{EmbedKind, EmbedRef, Platform, Recognised, Resolution};
use crate::platforms::ResolveContext;
use crate::platforms::source::{Fetch, SourceError};
use crate::platforms::url_util::{
    host_is_or_www, is_base64url_char, is_digits, is_token, query_value, segments, web_host,
};

/// First path segments that are site sections, never channel names.
const RESERVED: &[&str] = &[
    "directory",
    "videos",
    "p",
    "settings",
    "downloads",
    "jobs",
    "search",
    "subscriptions",
    "inventory",
    "wallet",
    "turbo",
    "login",
    "signup",
    "prime",
    "store",
    "friends",
    "messages",
    "drops",
    "broadcast",
    "moderator",
    "popout",
    "embed",
    "team",
    "event",
    "collections",
];

/// Claim Twitch video, clip, collection and channel URLs.
pub fn recognise(url: &Url) -> Option<Recognised> {
    let host = web_host(url)?;
    let segs = segments(url);
    let segs: Vec<&str> = segs.iter().map(|s| s.as_ref()).collect();
    match host {
        "player.twitch.tv" => {
            if let Some(v) = query_value(url, "video") {
                return video(v.strip_prefix('v').unwrap_or(&v));
            }
            if let Some(c) = query_value(url, "collection") {
                return collection(&c);
            }
            return channel(&query_value(url, "channel")?);
        }
        "clips.twitch.tv" => {
            return match segs.as_slice() {
                ["embed"] => clip(&query_value(url, "clip")?),
                [slug] => clip(slug),
                _ => None,
            };
        }
        _ if host_is_or_www(host, "twitch.tv") || host == "m.twitch.tv" => {}
        _ => return None,
    }
    match segs.as_slice() {
        ["videos" | "video", id] | [_, "v" | "video" | "videos", id] => video(id),
        [_, "clip", slug] => clip(slug),
        ["collections", id] => collection(id),
        [name] => channel(name),
        _ => None,
    }
}

fn video(id: &str) -> Option<Recognised> {
    is_digits(id, 15).then(|| Recognised {
        platform: Platform::Twitch,
        kind: EmbedKind::Video,
        post_id: Some(id.to_owned()),
        canonical_url: format!("https://www.twitch.tv/videos/{id}"),
    })
}

fn clip(slug: &str) -> Option<Recognised> {
    is_token(slug, 3, 120, is_base64url_char).then(|| Recognised {
        platform: Platform::Twitch,
        kind: EmbedKind::Video,
        post_id: Some(format!("clip/{slug}")),
        canonical_url: format!("https://clips.twitch.tv/{slug}"),
    })
}

fn collection(id: &str) -> Option<Recognised> {
    is_token(id, 3, 40, is_base64url_char).then(|| Recognised {
        platform: Platform::Twitch,
        kind: EmbedKind::Playlist,
        post_id: Some(format!("collection/{id}")),
        canonical_url: format!("https://www.twitch.tv/collections/{id}"),
    })
}

/// Channel names: 3–25 letters, digits or `_`.
fn channel(name: &str) -> Option<Recognised> {
    let name = name.to_ascii_lowercase();
    let ok = is_token(&name, 3, 25, |c| c.is_ascii_alphanumeric() || c == '_')
        && !RESERVED.contains(&name.as_str());
    ok.then(|| Recognised {
        platform: Platform::Twitch,
        kind: EmbedKind::Profile,
        post_id: None,
        canonical_url: format!("https://www.twitch.tv/{name}"),
    })
}

/// The Twitch module of the registry.
#[derive(Debug)]
pub struct Twitch;

impl crate::platforms::PlatformModule for Twitch {
    fn platform(&self) -> Platform {
        Platform::Twitch
    }

    fn recognise(&self, url: &Url) -> Option<Recognised> {
        recognise(url)
    }

    fn sources(&self) -> &'static [&'static str] {
        &[page::SOURCE]
    }

    fn resolve<'a>(
        &'a self,
        ctx: &'a ResolveContext<'a>,
        embed: &'a EmbedRef,
    ) -> Pin<Box<dyn Future<Output = Resolution> + Send + 'a>> {
        Box::pin(resolve_with(ctx.http, embed))
    }
}

/// Resolve one past broadcast or clip from its page, against any fetcher. Collections and
/// channels are no posts: a channel that is offline is not gone, so neither is asked.
pub(crate) async fn resolve_with<F: Fetch>(fetcher: &F, embed: &EmbedRef) -> Resolution {
    let item = embed.post_id.as_deref().and_then(page::Item::from_post_id);
    let Some(item) = item else {
        return SourceError::BadPostId {
            source_name: page::SOURCE.to_owned(),
            post_id: embed
                .post_id
                .clone()
                .unwrap_or_else(|| embed.post_url.clone()),
            reason: "neither a video id nor clip/SLUG".to_owned(),
        }
        .into_transient();
    };
    match fetcher.fetch(page::SOURCE, &item.page_url()).await {
        Ok(answer) => page::parse(&answer, item),
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
    fn videos_clips_and_collections() {
        let cases = [
            (
                "https://www.twitch.tv/videos/106400740",
                EmbedKind::Video,
                Some("106400740"),
                "https://www.twitch.tv/videos/106400740",
            ),
            (
                "https://player.twitch.tv/?video=v106400740&parent=example.com&autoplay=false",
                EmbedKind::Video,
                Some("106400740"),
                "https://www.twitch.tv/videos/106400740",
            ),
            (
                "https://player.twitch.tv/?video=106400740&parent=example.com",
                EmbedKind::Video,
                Some("106400740"),
                "https://www.twitch.tv/videos/106400740",
            ),
            (
                "https://m.twitch.tv/twit/v/106400740",
                EmbedKind::Video,
                Some("106400740"),
                "https://www.twitch.tv/videos/106400740",
            ),
            (
                "https://clips.twitch.tv/embed?clip=AwkwardHelplessSalamanderSwiftRage&parent=example.com",
                EmbedKind::Video,
                Some("clip/AwkwardHelplessSalamanderSwiftRage"),
                "https://clips.twitch.tv/AwkwardHelplessSalamanderSwiftRage",
            ),
            (
                "https://www.twitch.tv/twit/clip/AwkwardHelplessSalamanderSwiftRage-AbC_12",
                EmbedKind::Video,
                Some("clip/AwkwardHelplessSalamanderSwiftRage-AbC_12"),
                "https://clips.twitch.tv/AwkwardHelplessSalamanderSwiftRage-AbC_12",
            ),
            (
                "https://player.twitch.tv/?collection=abcDEF123&parent=example.com",
                EmbedKind::Playlist,
                Some("collection/abcDEF123"),
                "https://www.twitch.tv/collections/abcDEF123",
            ),
            (
                "https://player.twitch.tv/?channel=TWiT&parent=example.com",
                EmbedKind::Profile,
                None,
                "https://www.twitch.tv/twit",
            ),
            (
                "https://www.twitch.tv/twit",
                EmbedKind::Profile,
                None,
                "https://www.twitch.tv/twit",
            ),
        ];
        for (input, kind, id, canonical) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.platform, Platform::Twitch, "{input}");
            assert_eq!(got.kind, kind, "{input}");
            assert_eq!(got.post_id.as_deref(), id, "{input}");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(canonical), Some(got), "idempotent: {canonical}");
        }
    }

    #[test]
    fn site_pages_are_not_claimed() {
        for input in [
            "https://www.twitch.tv/",
            "https://www.twitch.tv/directory",
            "https://www.twitch.tv/videos/notanid",
            "https://player.twitch.tv/",
            "https://embed.twitch.tv/embed/v1.js",
            "https://static-cdn.jtvnw.net/ttv-static-metadata/twitch_logo3.jpg",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }
}
