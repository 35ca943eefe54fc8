//! imgur: URL recognition and the resolver ([`resolve`]): the image itself (a removed image
//! redirects to the `removed.png` placeholder) and Imgur's public oEmbed endpoint (the title).
//!
//! Claims images (`imgur.com/ID`, `i.imgur.com/ID.ext`), albums (`/a/ID`), gallery posts
//! (`/gallery/[slug-]ID`) and users (`/user/NAME`, kind `Profile`). It must never claim site pages
//! (`/upload`, `/t/TAG`, `/r/SUB`, `/search`), the embed script, or the "removed" placeholder image.

pub mod resolve;

use std::future::Future;
use std::pin::Pin;

use url::Url;

use crate::model::{EmbedKind, EmbedRef, Platform, Recognised, Resolution};
use crate::platforms::ResolveContext;
use crate::platforms::url_util::{host_is_or_www, is_token, segments, web_host};

/// Claim Imgur image, album, gallery and user URLs.
///
/// Post ids follow the embed's own `data-id`: an image is `ID`, an album `a/ID`, a gallery post
/// `gallery/ID`. Canonical URLs are `https://imgur.com/ID`, `/a/ID`, `/gallery/ID`.
pub fn recognise(url: &Url) -> Option<Recognised> {
    let host = web_host(url)?;
    let segs = segments(url);
    let segs: Vec<&str> = segs.iter().map(|s| s.as_ref()).collect();
    if host == "i.imgur.com" {
        return match segs.as_slice() {
            [file] => {
                let (stem, ext) = file.rsplit_once('.')?;
                if !matches!(
                    ext,
                    "jpg" | "jpeg" | "png" | "gif" | "gifv" | "mp4" | "webp"
                ) {
                    return None;
                }
                image(strip_size_suffix(stem))
            }
            _ => None,
        };
    }
    if !(host_is_or_www(host, "imgur.com") || host == "m.imgur.com") {
        return None;
    }
    // The frame Imgur's embed script renders adds `/embed` (`imgur.com/a/ID/embed?pub=true`,
    // `imgur.com/ID/embed?pub=true`): the same post.
    let segs = match segs.as_slice() {
        [rest @ .., "embed"] if !rest.is_empty() => rest,
        all => all,
    };
    match segs {
        ["a", id] => collection("a", id),
        ["gallery", slug_id] => {
            // `/gallery/some-title-ID`: the id follows the last dash.
            let id = slug_id.rsplit('-').next().unwrap_or(slug_id);
            collection("gallery", id)
        }
        ["user", name, ..] if is_token(name, 1, 64, |c| c.is_ascii_alphanumeric() || c == '_') => {
            Some(Recognised {
                platform: Platform::Imgur,
                kind: EmbedKind::Profile,
                post_id: None,
                canonical_url: format!("https://imgur.com/user/{name}"),
            })
        }
        [id] => image(id),
        _ => None,
    }
}

/// Thumbnails add one size letter to the 7-character id (`abcdefgh.jpg` = `abcdefg` at size h).
fn strip_size_suffix(stem: &str) -> &str {
    match stem.char_indices().nth(7) {
        Some((i, c)) if stem.len() == 8 && matches!(c, 's' | 'b' | 't' | 'm' | 'l' | 'h') => {
            &stem[..i]
        }
        _ => stem,
    }
}

fn is_id(s: &str) -> bool {
    is_token(s, 5, 7, |c| c.is_ascii_alphanumeric())
}

fn image(id: &str) -> Option<Recognised> {
    // `removed` is the 7-letter placeholder imgur serves for deleted images; short site words
    // (`upload`, `search`, `signin`) have the shape of ids but are pages.
    if !is_id(id)
        || matches!(
            id,
            "removed"
                | "embed"
                | "upload"
                | "search"
                | "signin"
                | "about"
                | "apps"
                | "privacy"
                | "rules"
                | "emerald"
                | "hot"
                | "new"
                | "top"
        )
    {
        return None;
    }
    Some(Recognised {
        platform: Platform::Imgur,
        kind: EmbedKind::Post,
        post_id: Some(id.to_owned()),
        canonical_url: format!("https://imgur.com/{id}"),
    })
}

fn collection(section: &str, id: &str) -> Option<Recognised> {
    (is_id(id) && id != "embed").then(|| Recognised {
        platform: Platform::Imgur,
        kind: EmbedKind::Post,
        post_id: Some(format!("{section}/{id}")),
        canonical_url: format!("https://imgur.com/{section}/{id}"),
    })
}

/// What Imgur's embeds look like in an article: the `imgur-embed-pub` blockquote and
/// `amp-imgur`.
pub static MARKUP: crate::platforms::markup::Markup = crate::platforms::markup::Markup {
    quotes: &[crate::platforms::markup::Quote {
        form: crate::model::markup::QuoteForm {
            class: "imgur-embed-pub",
            marker_attr: None,
            post_attrs: &["data-id"],
            urls: quote_urls,
            family: &SCRIPTS,
        },
        read: crate::platforms::markup::no_reading,
    }],
    amp: &[crate::platforms::markup::ElementForm {
        marker: crate::platforms::markup::Marker::Tag("amp-imgur"),
        read: read_amp,
    }],
    ..crate::platforms::markup::Markup::NONE
};

/// The script that renders Imgur's blockquotes.
static SCRIPTS: crate::model::markup::ScriptFamily = crate::model::markup::ScriptFamily {
    name: "imgur",
    scripts: &[("s.imgur.com", "/min/embed.js")],
    on_post_host: None,
    widget_classes: &[],
};

/// The post of `data-id`, then the Imgur links inside.
fn quote_urls(parts: &crate::model::markup::QuoteParts<'_>) -> Vec<Url> {
    let mut urls: Vec<Url> = Vec::new();
    if let Some(id) = parts.attr("data-id").map(str::trim)
        && !id.is_empty()
    {
        urls.extend(Url::parse(&format!("https://imgur.com/{id}")).ok());
    }
    urls.extend(
        parts
            .links
            .iter()
            .filter(|u| crate::model::markup::host_is(u, "imgur.com"))
            .cloned(),
    );
    urls
}

/// `amp-imgur[data-imgur-id]`: an image's id, or an album's as `a/ID` (amphtml's own example
/// embeds an album so), or a gallery post's as `gallery/ID`.
fn read_amp(
    el: scraper::ElementRef<'_>,
    _base: &Url,
) -> Option<crate::platforms::markup::Candidate> {
    use crate::model::markup::IdShape;
    use crate::platforms::markup::Candidate;
    let id = el.value().attr("data-imgur-id")?.trim();
    let (kind, id) = ["a/", "gallery/"]
        .iter()
        .find_map(|k| id.strip_prefix(k).map(|rest| (*k, rest)))
        .unwrap_or(("", id));
    if id.is_empty() || id.len() > 128 || !IdShape::Slug.accepts(id) {
        return None;
    }
    let url = Url::parse(&format!("https://imgur.com/{kind}{id}")).ok()?;
    Candidate::new(vec![url], el.value().name())
}

/// The Imgur module of the registry.
#[derive(Debug)]
pub struct Imgur;

impl crate::platforms::PlatformModule for Imgur {
    fn platform(&self) -> Platform {
        Platform::Imgur
    }

    fn recognise(&self, url: &Url) -> Option<Recognised> {
        recognise(url)
    }

    fn markup(&self) -> &'static crate::platforms::markup::Markup {
        &MARKUP
    }

    fn sources(&self) -> &'static [&'static str] {
        &[resolve::IMAGE_SOURCE, resolve::OEMBED_SOURCE]
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
    fn images_albums_and_galleries() {
        let cases = [
            (
                "https://imgur.com/X6rkCc5",
                "X6rkCc5",
                "https://imgur.com/X6rkCc5",
            ),
            (
                "https://i.imgur.com/X6rkCc5.jpg",
                "X6rkCc5",
                "https://imgur.com/X6rkCc5",
            ),
            (
                "https://i.imgur.com/X6rkCc5h.jpg",
                "X6rkCc5",
                "https://imgur.com/X6rkCc5",
            ),
            (
                "https://i.imgur.com/X6rkCc5.gifv",
                "X6rkCc5",
                "https://imgur.com/X6rkCc5",
            ),
            (
                "https://m.imgur.com/X6rkCc5?utm_source=share",
                "X6rkCc5",
                "https://imgur.com/X6rkCc5",
            ),
            (
                "https://imgur.com/a/AbC12",
                "a/AbC12",
                "https://imgur.com/a/AbC12",
            ),
            (
                "https://imgur.com/gallery/funny-cat-picture-AbC1234",
                "gallery/AbC1234",
                "https://imgur.com/gallery/AbC1234",
            ),
            // The frames the embed script renders.
            (
                "https://imgur.com/a/AbC12/embed?pub=true&ref=https%3A%2F%2Fimgur.com%2Fa%2FAbC12&analytics=false&w=500",
                "a/AbC12",
                "https://imgur.com/a/AbC12",
            ),
            (
                "https://imgur.com/X6rkCc5/embed?pub=true&ref=&w=540",
                "X6rkCc5",
                "https://imgur.com/X6rkCc5",
            ),
        ];
        for (input, id, canonical) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.platform, Platform::Imgur, "{input}");
            assert_eq!(got.kind, EmbedKind::Post, "{input}");
            assert_eq!(got.post_id.as_deref(), Some(id), "{input}");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(canonical), Some(got), "idempotent: {canonical}");
        }
        let user = rec("https://imgur.com/user/someone").unwrap();
        assert_eq!(user.kind, EmbedKind::Profile);
    }

    #[test]
    fn site_pages_are_not_claimed() {
        for input in [
            "https://imgur.com/",
            "https://imgur.com/upload",
            "https://imgur.com/embed",
            "https://imgur.com/a/embed",
            "https://imgur.com/t/cats",
            "https://imgur.com/r/aww",
            "https://i.imgur.com/removed.png",
            "https://s.imgur.com/min/embed.js",
            "https://imgur.com/toolongid9",
            "https://api.imgur.com/oembed?url=https%3A%2F%2Fi.imgur.com%2FX6rkCc5.jpg",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }
}
