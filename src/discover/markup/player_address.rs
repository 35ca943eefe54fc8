//! Click-to-play placeholders that keep a platform's player address in an attribute of their
//! own: `div.video-container[data-video="https://www.youtube.com/embed/ID"]`, whose script
//! swaps in the iframe when the reader clicks its poster. The attribute is the publisher's
//! (`data-video`, `data-embed`, `data-src` …) and the element is named for nothing, so neither
//! the frame reader nor the reader of elements named for a platform sees it. What identifies it
//! is the address: a platform's player, which pages use for embedding and for nothing else,
//! naming one post.

use url::Url;

use super::{Candidate, absolute, named};
use crate::discover::entity;
use crate::discover::tag::StartTag;
use crate::model::markup::looks_like_url;
use crate::model::start_tag::{MAX_ATTRIBUTES, find_ascii_ci};
use crate::model::{Platform, Recognised};
use crate::platforms::markup::OnePost;

/// Attributes that hold no player to come: the element's names and style, and a link's target
/// (a link to a player is a link).
const NOT_A_PLACEHOLDER_ATTR: &[&str] = &["class", "id", "style", "href"];

/// Path segments that name a platform's player (`/embed/ID`, `/player/`, Facebook's
/// `/plugins/post.php`), compared ASCII case-insensitively.
const PLAYER_SEGMENTS: &[&str] = &["embed", "embedded", "player", "plugins"];

/// Host labels that name a platform's player host (`player.vimeo.com`, `embed.bsky.app`).
const PLAYER_HOST_LABELS: &[&str] = &["player", "embed"];

/// What every player address holds somewhere, in some case: each of [`PLAYER_SEGMENTS`] and
/// [`PLAYER_HOST_LABELS`] holds one of these (Bandcamp's `EmbeddedPlayer` holds both).
const PLAYER_WORDS: &[&[u8]] = &[b"embed", b"player", b"plugins"];

/// The embed a container's start tag names by a player address in one of its attributes, if
/// it does: the first such address that a platform with a module of its own claims as a post.
pub(crate) fn read(
    tag: &StartTag<'_>,
    base: &Url,
    recognise: &dyn Fn(&Url) -> Option<Recognised>,
) -> Option<Candidate> {
    // A tag of more attributes than any real one is not read, as the parser is not given it
    // (`model::start_tag::crowded`).
    if named::is_card(&tag.name)
        || !named::is_container(&tag.name)
        || tag.attrs.len() > MAX_ATTRIBUTES
    {
        return None;
    }
    tag.attrs.iter().find_map(|(attr, value)| {
        if NOT_A_PLACEHOLDER_ATTR.contains(&&**attr) {
            return None;
        }
        // Most addresses in a tag are links and images: only one holding a player's word (in
        // its host or path, which [`is_player_address`] then reads), or a numeric character
        // reference that may spell one, is parsed.
        if !PLAYER_WORDS
            .iter()
            .any(|w| find_ascii_ci(value, w).is_some())
            && memchr::memmem::find(value, b"&#").is_none()
        {
            return None;
        }
        let value = std::str::from_utf8(value).ok()?;
        let (url, post) = if looks_like_url(value) {
            let url = absolute(base, &entity::decode(value))?;
            let post = player_post(&url, recognise)?;
            (url, post)
        } else if matches!(value.trim_start().as_bytes().first(), Some(b'{' | b'['))
            && value.contains("http")
        {
            player_in_json(&entity::decode(value), base, recognise)?
        } else {
            return None;
        };
        let mut candidate = Candidate::new(vec![url], format!("{}[{attr}]", tag.name))?;
        candidate.post_only = true;
        candidate.platforms = vec![post.platform];
        candidate.one_post = OnePost::First;
        Some(candidate)
    })
}

/// The post a player address plays, when it is a player's address and a platform with a
/// module of its own claims it as a single post.
fn player_post(url: &Url, recognise: &dyn Fn(&Url) -> Option<Recognised>) -> Option<Recognised> {
    if !is_player_address(url) {
        return None;
    }
    let post = recognise(url)?;
    let one_post = post.post_id.is_some()
        && post.kind.is_post()
        && !matches!(post.platform, Platform::Oembed | Platform::Page);
    one_post.then_some(post)
}

/// The player a JSON value of settings names (a consent tool's
/// `data-acris-product-video-options='{"embedURL":"https:\/\/www.youtube-nocookie.com\/embed\/ID", "link": "…?autoplay=1"}'`):
/// its player addresses, when they all play one post and are most of its addresses. Settings
/// naming the players of several posts are a playlist's, and JSON of many other addresses
/// is an application's list (a related-stories box's `data-posts`, one of whose stories has a
/// video): they name none.
fn player_in_json(
    value: &str,
    base: &Url,
    recognise: &dyn Fn(&Url) -> Option<Recognised>,
) -> Option<(Url, Recognised)> {
    let mut urls = Vec::new();
    if !named::urls_in_value(value, base, true, &mut urls) {
        return None;
    }
    let all = urls.len();
    let players: Vec<(Url, Recognised)> = urls
        .into_iter()
        .filter_map(|url| player_post(&url, recognise).map(|post| (url, post)))
        .collect();
    let first = players.first()?;
    let one_post = players
        .iter()
        .all(|(_, p)| p.platform == first.1.platform && p.post_id == first.1.post_id);
    (one_post && players.len() * 2 >= all).then(|| first.clone())
}

/// Whether the address is a player's: on a player host, or with a player segment in its path.
fn is_player_address(url: &Url) -> bool {
    let host_says = url.host_str().is_some_and(|h| {
        h.split('.').next().is_some_and(|first| {
            PLAYER_HOST_LABELS
                .iter()
                .any(|l| first.eq_ignore_ascii_case(l))
        })
    });
    host_says
        || url.path_segments().is_some_and(|mut segs| {
            segs.any(|s| {
                PLAYER_SEGMENTS.iter().any(|p| s.eq_ignore_ascii_case(p))
                    || s.get(..14)
                        .is_some_and(|h| h.eq_ignore_ascii_case("embeddedplayer"))
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::tag::read_start_tag;

    fn base() -> Url {
        Url::parse("https://news.example/a").expect("base")
    }

    fn read_tag(html: &str) -> Option<(Vec<String>, String)> {
        let tag = read_start_tag(html.as_bytes(), 0)?;
        read(&tag, &base(), &crate::platforms::recognise)
            .map(|c| (c.urls.iter().map(Url::to_string).collect(), c.evidence))
    }

    #[test]
    fn a_player_address_in_any_attribute_of_a_container_is_its_embed() {
        // AppleInsider's topic pages, 2025.
        let (urls, evidence) = read_tag(
            r#"<div class="video-container" data-video="https://www.youtube.com/embed/8x4_YgoeTZk">"#,
        )
        .expect("a placeholder");
        assert_eq!(urls, ["https://www.youtube.com/embed/8x4_YgoeTZk"]);
        assert_eq!(evidence, "div[data-video]");
        for html in [
            r#"<span data-lazy="//player.vimeo.com/video/76979871">"#,
            r#"<button data-embed="https://open.spotify.com/embed/episode/7makk4oTQel546B0PZlDM5">"#,
            r#"<figure data-x="https://www.dailymotion.com/embed/video/x7tgad0">"#,
            r#"<div data-src="https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2Frubyonrailstogo%2Fposts%2F3610333842332884">"#,
        ] {
            assert!(read_tag(html).is_some(), "{html}");
        }
    }

    /// A consent tool's settings in JSON (Acris Cookie Consent on a Shopware shop, sallys-blog.de,
    /// among markusmobius/go-trafilatura's test pages): the player the settings load.
    #[test]
    fn a_player_address_in_json_settings_is_the_embed() {
        let (urls, evidence) = read_tag(
            r#"<div class="acris-product-video-iframe-after acris-product-video-description" data-acris-product-video="true" data-acris-product-video-options="{&quot;loadVideoAfterClick&quot;:&quot;loadAfter&quot;,&quot;noCookieVideo&quot;:2,&quot;embedURL&quot;:&quot;https:\/\/www.youtube-nocookie.com\/embed\/v3Gae_dFho4&quot;,&quot;link&quot;:&quot;https:\/\/www.youtube-nocookie.com\/embed\/v3Gae_dFho4?autoplay=1&amp;rel=0&quot;,&quot;type&quot;:&quot;youtube&quot;}" data-id="v3Gae_dFho4">"#,
        )
        .expect("a placeholder");
        assert_eq!(urls, ["https://www.youtube-nocookie.com/embed/v3Gae_dFho4"]);
        assert_eq!(evidence, "div[data-acris-product-video-options]");
        // A list of stories, one with a video (metro.co.uk's related-stories box, from
        // justext-java's test pages), names none.
        assert_eq!(
            read_tag(
                r#"<aside data-posts='[{"URL":"http:\/\/metro.co.uk\/2016\/08\/10\/a\/"},{"URL":"http:\/\/metro.co.uk\/2016\/08\/10\/b\/"},{"video":{"type":"youtube","URL":"https:\/\/www.youtube.com\/embed\/jtgv_eTGONk"}}]'>"#
            ),
            None
        );
        // Settings naming the players of two videos (a playlist's) name neither.
        assert_eq!(
            read_tag(
                r#"<div data-options='{"a":"https://www.youtube.com/embed/8x4_YgoeTZk","b":"https://www.youtube.com/embed/v3Gae_dFho4"}'>"#
            ),
            None
        );
    }

    #[test]
    fn links_pages_and_other_elements_are_no_placeholders() {
        for html in [
            // The post's page, not its player: a link to it, as share and follow buttons keep.
            r#"<div data-url="https://www.youtube.com/watch?v=8x4_YgoeTZk">"#,
            // A player address in a link, in the element's names, or on an element that is no
            // container.
            r#"<a href="https://www.youtube.com/embed/8x4_YgoeTZk">"#,
            r#"<a data-video="https://www.youtube.com/embed/8x4_YgoeTZk">"#,
            r#"<div id="https://www.youtube.com/embed/8x4_YgoeTZk">"#,
            r#"<meta content="https://www.youtube.com/embed/8x4_YgoeTZk">"#,
            r#"<img data-src="https://www.youtube.com/embed/8x4_YgoeTZk">"#,
            // A player that names no post, and a player of no platform with a module.
            r#"<div data-video="https://www.youtube.com/embed/">"#,
            r#"<div data-video="https://player.example/embed/123">"#,
        ] {
            assert_eq!(read_tag(html), None, "{html}");
        }
    }

    /// The address is read as the attribute's value says it, character references decoded,
    /// also where one spells the player's word.
    #[test]
    fn references_in_the_address_are_decoded() {
        let (urls, _) = read_tag(
            r#"<div data-video="https://www.youtube.com/embed/8x4_YgoeTZk?rel=0&amp;start=5">"#,
        )
        .expect("a placeholder");
        assert_eq!(
            urls,
            ["https://www.youtube.com/embed/8x4_YgoeTZk?rel=0&start=5"]
        );
        let (urls, _) =
            read_tag(r#"<div data-video="https://www.youtube.com/&#101;mbed/8x4_YgoeTZk">"#)
                .expect("a placeholder");
        assert_eq!(urls, ["https://www.youtube.com/embed/8x4_YgoeTZk"]);
    }
}
