//! giphy: URL recognition and the resolver, which reads a GIF or clip from GIPHY's public
//! oEmbed endpoint ([`oembed`]); the API needs a key and is not asked.
//!
//! Claims GIFs, stickers and clips on `giphy.com` (`/gifs/[slug-]ID`, `/stickers/...`,
//! `/clips/...`, `/videos/...`), the embed iframe (`/embed/ID`, `/embed/ID/video`), the media
//! hosts (`media*.giphy.com/media/[…/]ID/giphy.gif`, `i.giphy.com/ID.gif`), and channels
//! (`/channel/NAME`, kind `Profile`). It must never claim search, explore or upload pages.

pub mod oembed;

use std::future::Future;
use std::pin::Pin;

use url::Url;

use crate::model::{EmbedKind, EmbedRef, Platform, Recognised, Resolution};
use crate::platforms::ResolveContext;
use crate::platforms::source::{Fetch, SourceError};
use crate::platforms::url_util::{host_is_or_www, is_base64url_char, is_token, segments, web_host};

/// Claim Giphy GIF, clip and channel URLs.
///
/// The post id is Giphy's alphanumeric id; the canonical URL is `https://giphy.com/gifs/ID`
/// (`https://giphy.com/clips/ID` for clips, which are videos with sound).
pub fn recognise(url: &Url) -> Option<Recognised> {
    let host = web_host(url)?;
    let segs = segments(url);
    let segs: Vec<&str> = segs.iter().map(|s| s.as_ref()).collect();
    if host == "i.giphy.com" {
        return match segs.as_slice() {
            // `i.giphy.com/ID.gif` and `i.giphy.com/media/ID/giphy.gif`.
            [file] => gif(file.split('.').next().unwrap_or(file)),
            ["media", .., id, file] if file.starts_with("giphy") => gif(id),
            _ => None,
        };
    }
    if host.ends_with(".giphy.com") && host.starts_with("media") {
        return match segs.as_slice() {
            // `media.giphy.com/media/ID/giphy.gif`, with an optional `v1.…` signature segment.
            ["media", .., id, file] if file.contains('.') => gif(id),
            _ => None,
        };
    }
    if !host_is_or_www(host, "giphy.com") {
        return None;
    }
    match segs.as_slice() {
        ["embed", id, ..] => gif(id),
        ["gifs" | "stickers", slug_id] => gif(last_dash_part(slug_id)),
        ["clips" | "videos", slug_id] => clip(last_dash_part(slug_id)),
        ["channel", name] if is_token(name, 1, 64, is_base64url_char) => Some(Recognised {
            platform: Platform::Giphy,
            kind: EmbedKind::Profile,
            post_id: None,
            canonical_url: format!("https://giphy.com/channel/{name}"),
        }),
        _ => None,
    }
}

/// `/gifs/funny-cat-ID`: the id follows the last dash.
fn last_dash_part(s: &str) -> &str {
    s.rsplit('-').next().unwrap_or(s)
}

fn is_id(s: &str) -> bool {
    is_token(s, 5, 40, |c| c.is_ascii_alphanumeric())
}

fn gif(id: &str) -> Option<Recognised> {
    is_id(id).then(|| Recognised {
        platform: Platform::Giphy,
        kind: EmbedKind::Gif,
        post_id: Some(id.to_owned()),
        canonical_url: format!("https://giphy.com/gifs/{id}"),
    })
}

fn clip(id: &str) -> Option<Recognised> {
    is_id(id).then(|| Recognised {
        platform: Platform::Giphy,
        kind: EmbedKind::Video,
        post_id: Some(id.to_owned()),
        canonical_url: format!("https://giphy.com/clips/{id}"),
    })
}

/// The Giphy module of the registry.
#[derive(Debug)]
pub struct Giphy;

impl crate::platforms::PlatformModule for Giphy {
    fn platform(&self) -> Platform {
        Platform::Giphy
    }

    fn recognise(&self, url: &Url) -> Option<Recognised> {
        recognise(url)
    }

    fn sources(&self) -> &'static [&'static str] {
        &[oembed::SOURCE]
    }

    fn resolve<'a>(
        &'a self,
        ctx: &'a ResolveContext<'a>,
        embed: &'a EmbedRef,
    ) -> Pin<Box<dyn Future<Output = Resolution> + Send + 'a>> {
        Box::pin(resolve_with(ctx.http, embed))
    }
}

/// Resolve one GIF or clip from oEmbed, against any fetcher.
pub(crate) async fn resolve_with<F: Fetch>(fetcher: &F, embed: &EmbedRef) -> Resolution {
    let Some(id) = embed.post_id.as_deref().filter(|id| is_id(id)) else {
        return SourceError::BadPostId {
            source_name: oembed::SOURCE.to_owned(),
            post_id: embed
                .post_id
                .clone()
                .unwrap_or_else(|| embed.post_url.clone()),
            reason: "not a GIPHY id".to_owned(),
        }
        .into_transient();
    };
    match fetcher
        .fetch(oembed::SOURCE, &oembed::url(&embed.post_url))
        .await
    {
        Ok(answer) => oembed::parse(&answer, id, embed.kind),
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
    fn gifs_in_every_form() {
        let canonical = "https://giphy.com/gifs/3o7TKBX7vWbc7Dhxcc";
        for input in [
            "https://giphy.com/embed/3o7TKBX7vWbc7Dhxcc",
            "https://giphy.com/embed/3o7TKBX7vWbc7Dhxcc/video",
            "https://giphy.com/gifs/funny-cat-3o7TKBX7vWbc7Dhxcc",
            "https://giphy.com/gifs/3o7TKBX7vWbc7Dhxcc",
            "https://giphy.com/stickers/hello-3o7TKBX7vWbc7Dhxcc",
            "https://media.giphy.com/media/3o7TKBX7vWbc7Dhxcc/giphy.gif",
            "https://media2.giphy.com/media/v1.Y2lkPTc5MGI3NjEx/3o7TKBX7vWbc7Dhxcc/giphy.webp",
            "https://i.giphy.com/3o7TKBX7vWbc7Dhxcc.gif",
        ] {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.platform, Platform::Giphy, "{input}");
            assert_eq!(got.kind, EmbedKind::Gif, "{input}");
            assert_eq!(
                got.post_id.as_deref(),
                Some("3o7TKBX7vWbc7Dhxcc"),
                "{input}"
            );
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(canonical), Some(got), "idempotent: {canonical}");
        }
        let clip = rec("https://giphy.com/clips/studiosoriginals-Ky9owXGyE9fQQ").unwrap();
        assert_eq!(clip.kind, EmbedKind::Video);
        assert_eq!(clip.post_id.as_deref(), Some("Ky9owXGyE9fQQ"));
        assert_eq!(rec(&clip.canonical_url), Some(clip.clone()));
    }

    #[test]
    fn site_pages_are_not_claimed() {
        for input in [
            "https://giphy.com/",
            "https://giphy.com/search/cats",
            "https://giphy.com/explore/cats",
            "https://giphy.com/upload",
            "https://giphy.com/embed/",
            "https://giphy.com/gifs/",
            "https://notgiphy.com/embed/3o7TKBX7vWbc7Dhxcc",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }
}
