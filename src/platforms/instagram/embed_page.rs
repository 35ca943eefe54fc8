//! The Instagram embed page (`/p/CODE/embed/captioned/`): the one anonymous source that still
//! shows author, caption and image. Facts come from the `PolarisEmbedSimple` data blob when the
//! page carries one, and from the visible markup otherwise.
//!
//! Only `div.EmbedBrokenMedia` means gone. A login wall, a shell without `div.Embed`, a 404 page
//! without the notice (an edge or proxy page), 403, 429 or 5xx is transient, and so is a
//! `div.Embed` that names no author, caption or picture. Parsing is synchronous: the `scraper`
//! DOM never lives across an `.await`.

use chrono::{DateTime, Utc};
use scraper::{CaseSensitivity, ElementRef, Selector};
use serde::Deserialize;
use url::Url;

use crate::model::{MediaKind, MediaRef, PostContent, Resolution};
use crate::platforms::readers::{br_as_newline, collapse_whitespace, non_empty, walk_text};
use crate::platforms::source::{Answer, SourceError, check_status};
use crate::platforms::url_util::{is_base64url_char, is_token};
use crate::platforms::verdict::{self, Field};

/// Source name of the embed page.
pub const SOURCE: &str = "instagram-embed";

/// What makes a `div.Embed` a live post: real pages always show `span.UsernameText` and
/// `img.EmbeddedMediaImage`, and a caption when the post has one. The publication date only
/// ever comes from the data blob, beside the owner and the caption.
const IDENTIFYING: &[Field] = &[Field::Text, Field::Author, Field::Media];

/// The embed page URL for a shortcode. `/p/` answers for posts, reels and IGTV alike.
pub fn url(shortcode: &str) -> Result<Url, SourceError> {
    let bad = |reason: String| SourceError::BadPostId {
        source_name: SOURCE.to_owned(),
        post_id: shortcode.to_owned(),
        reason,
    };
    if !is_shortcode(shortcode) {
        return Err(bad("not an Instagram shortcode".to_owned()));
    }
    Url::parse(&format!(
        "https://www.instagram.com/p/{shortcode}/embed/captioned/"
    ))
    .map_err(|e| bad(e.to_string()))
}

/// Shortcodes are base64url-like; private-share codes run longer than the usual 11 characters.
pub fn is_shortcode(code: &str) -> bool {
    is_token(code, 1, 80, is_base64url_char)
}

/// Classify one embed page answer.
pub fn parse(answer: &Answer) -> Resolution {
    let transient = |evidence: String| Resolution::Transient {
        source: SOURCE.to_owned(),
        evidence,
    };
    if let Err(e) = check_status(SOURCE, answer) {
        return e.into_transient();
    }
    let path = answer.path();
    if path.starts_with("/accounts/login") || path.starts_with("/challenge") {
        return transient(format!("redirect to {path} (login wall)"));
    }
    if !(200..300).contains(&answer.status) && !matches!(answer.status, 404 | 410) {
        return transient(format!("HTTP {} from {SOURCE}", answer.status));
    }
    let text = String::from_utf8_lossy(&answer.body);
    let page = read_page(&text);
    if let Some(message) = page.broken {
        let said = if message.is_empty() {
            String::new()
        } else {
            format!(": {message}")
        };
        return Resolution::Gone {
            source: SOURCE.to_owned(),
            evidence: format!("EmbedBrokenMedia{said}"),
        };
    }
    if !(200..300).contains(&answer.status) {
        // The endpoint answers 200 + EmbedBrokenMedia for missing posts; a bare 404 is not that.
        return transient(format!(
            "{} (no EmbedBrokenMedia notice)",
            verdict::not_own_answer(SOURCE, answer)
        ));
    }
    let Some(markup) = page.embed else {
        let why = if page.login_wall {
            "login wall"
        } else {
            "no div.Embed or div.EmbedBrokenMedia in page"
        };
        return transient(why.to_owned());
    };
    // A page about another post than the one asked (a cache or a proxy mixing answers up) says
    // nothing of this one: archiving it would put another account's post under this one.
    if let (Some(asked), Some(said)) = (
        shortcode_in(&answer.url),
        markup.permalink.as_deref().and_then(shortcode_in),
    ) && asked != said
    {
        return transient(format!(
            "{SOURCE} answered about post {said:?}, not {asked}"
        ));
    }
    let blob = context_blob(&text);
    verdict::live(content(markup, blob, answer), IDENTIFYING)
}

/// The shortcode a post, reel or embed page address names, as the recogniser reads it.
fn shortcode_in(address: &str) -> Option<String> {
    super::recognise(&Url::parse(address).ok()?)?.post_id
}

/// What the page's markup says.
#[derive(Debug, Default)]
struct Page {
    /// `Some(message)` when the page is the broken-media notice.
    broken: Option<String>,
    embed: Option<Markup>,
    login_wall: bool,
}

#[derive(Debug, Default)]
struct Markup {
    media_type: Option<String>,
    permalink: Option<String>,
    username: Option<String>,
    image: Option<String>,
    video: Option<String>,
    poster: Option<String>,
    caption: Option<String>,
}

fn selector(css: &str) -> Option<Selector> {
    Selector::parse(css).ok()
}

fn first<'a>(root: ElementRef<'a>, css: &str) -> Option<ElementRef<'a>> {
    selector(css).and_then(|s| root.select(&s).next())
}

fn read_page(text: &str) -> Page {
    let doc = crate::platforms::readers::parse_document(text);
    let root = doc.root_element();
    let login_wall =
        text.contains("\"is_login_wall\":true") || first(root, "input[name=password]").is_some();
    if let Some(broken) = first(root, "div.EmbedBrokenMedia") {
        let message = first(broken, ".ebmMessage")
            .map(|m| collapse_whitespace(&m.text().collect::<String>()))
            .unwrap_or_default();
        return Page {
            broken: Some(message),
            embed: None,
            login_wall,
        };
    }
    let Some(embed) = first(root, "div.Embed") else {
        return Page {
            login_wall,
            ..Page::default()
        };
    };
    let attr = |e: ElementRef<'_>, name: &str| {
        e.value()
            .attr(name)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let username = ["span.UsernameText", "span.Username", "a.CaptionUsername"]
        .iter()
        .find_map(|css| first(embed, css))
        .map(|e| collapse_whitespace(&e.text().collect::<String>()))
        .filter(|u| !u.is_empty());
    let image_el = first(embed, "img.EmbeddedMediaImage");
    let image = image_el.and_then(|img| {
        attr(img, "srcset")
            .and_then(|s| largest_candidate(&s))
            .or_else(|| attr(img, "src"))
    });
    let video_el = first(embed, ".EmbeddedMediaVideo");
    let permalink = attr(embed, "data-permalink")
        .or_else(|| first(root, "link[rel=canonical]").and_then(|l| attr(l, "href")))
        .map(|p| strip_query(&p));
    Page {
        broken: None,
        login_wall,
        embed: Some(Markup {
            media_type: attr(embed, "data-media-type"),
            permalink,
            username,
            image,
            video: video_el.and_then(|v| attr(v, "src")),
            poster: video_el.and_then(|v| attr(v, "poster")),
            caption: first(embed, "div.Caption").and_then(caption_text),
        }),
    }
}

/// The caption: what follows `a.CaptionUsername` up to `div.CaptionComments`, `<br>` as newline.
fn caption_text(caption: ElementRef<'_>) -> Option<String> {
    let has_username = caption.children().filter_map(ElementRef::wrap).any(|e| {
        e.value()
            .has_class("CaptionUsername", CaseSensitivity::CaseSensitive)
    });
    let mut started = !has_username;
    let mut out = String::new();
    for child in caption.children() {
        if let Some(el) = ElementRef::wrap(child) {
            let e = el.value();
            if e.has_class("CaptionUsername", CaseSensitivity::CaseSensitive) {
                started = true;
                continue;
            }
            if e.has_class("CaptionComments", CaseSensitivity::CaseSensitive) {
                break;
            }
        }
        if started {
            walk_text(child, &mut out, br_as_newline);
        }
    }
    let text = out.trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// The URL of the widest `srcset` candidate (`URL 640w, URL 1080w`); `None` without width
/// descriptors.
fn largest_candidate(srcset: &str) -> Option<String> {
    let mut best: Option<(u32, &str)> = None;
    let mut rest = srcset;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        if rest.is_empty() {
            break;
        }
        let url_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (raw_url, after) = rest.split_at(url_end);
        // A URL glued to the next candidate by a comma has no descriptor.
        let (url, descriptors, next) = match raw_url.find(',') {
            Some(i) if after.is_empty() || raw_url.ends_with(',') => {
                (raw_url[..i].trim_end_matches(','), "", &rest[i..])
            }
            _ => {
                let end = after.find(',').unwrap_or(after.len());
                (raw_url, &after[..end], &after[end..])
            }
        };
        let width = descriptors
            .split_whitespace()
            .find_map(|d| d.strip_suffix('w').and_then(|n| n.parse::<u32>().ok()));
        if let Some(w) = width
            && best.is_none_or(|(bw, _)| w > bw)
        {
            best = Some((w, url));
        }
        rest = next;
    }
    best.map(|(_, u)| u.to_owned())
}

fn strip_query(url: &str) -> String {
    url.split(['?', '#']).next().unwrap_or(url).to_owned()
}

/// The post as the page's data blob describes it (`gql_data.shortcode_media`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ShortcodeMedia {
    shortcode: Option<String>,
    dimensions: Option<Dimensions>,
    display_url: Option<String>,
    is_video: Option<bool>,
    video_url: Option<String>,
    edge_media_to_caption: Option<Edges<CaptionNode>>,
    taken_at_timestamp: Option<i64>,
    owner: Option<Owner>,
    edge_sidecar_to_children: Option<Edges<Child>>,
    /// What Instagram puts in the image's `alt`: the author's own alt text, or its generated
    /// description ("Photo by … May be an image of …"). `null` when it has none.
    accessibility_caption: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Dimensions {
    width: Option<u32>,
    height: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(default)]
struct Edges<T> {
    edges: Vec<Edge<T>>,
}

impl<T> Default for Edges<T> {
    fn default() -> Self {
        Edges { edges: Vec::new() }
    }
}

#[derive(Debug, Deserialize)]
struct Edge<T> {
    node: T,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CaptionNode {
    text: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Owner {
    username: Option<String>,
    full_name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Child {
    dimensions: Option<Dimensions>,
    display_url: Option<String>,
    is_video: Option<bool>,
    video_url: Option<String>,
    accessibility_caption: Option<String>,
}

/// Find and decode the post blob: `"contextJSON":"<JSON as a string>"` in the
/// `PolarisEmbedSimple` init call, or the older `window.__additionalDataLoaded('extra', {...})`.
fn context_blob(page: &str) -> Option<ShortcodeMedia> {
    from_context_json(page).or_else(|| from_additional_data(page))
}

fn from_context_json(page: &str) -> Option<ShortcodeMedia> {
    let start = page.find("PolarisEmbedSimple")?;
    let after = &page[start..];
    let key = "\"contextJSON\":";
    let at = after.find(key)? + key.len();
    let literal = after[at..].trim_start();
    if !literal.starts_with('"') {
        return None; // null on single-image pages
    }
    // First decode the string literal (a JSON-compatible JS string), then the JSON inside it.
    let mut de = serde_json::Deserializer::from_str(literal);
    let inner = String::deserialize(&mut de).ok()?;
    let value: serde_json::Value = serde_json::from_str(&inner).ok()?;
    media_from_value(&value)
}

fn from_additional_data(page: &str) -> Option<ShortcodeMedia> {
    let start = page.find("__additionalDataLoaded(")?;
    let after = &page[start..];
    let brace = after.find('{')?;
    let mut de = serde_json::Deserializer::from_str(&after[brace..]);
    let value = serde_json::Value::deserialize(&mut de).ok()?;
    media_from_value(&value)
}

fn media_from_value(value: &serde_json::Value) -> Option<ShortcodeMedia> {
    [
        "/gql_data/shortcode_media",
        "/shortcode_media",
        "/graphql/shortcode_media",
    ]
    .iter()
    .find_map(|p| value.pointer(p))
    .filter(|v| v.is_object())
    .and_then(|v| serde_json::from_value(v.clone()).ok())
}

fn content(markup: Markup, blob: Option<ShortcodeMedia>, answer: &Answer) -> PostContent {
    let blob = blob.unwrap_or_default();
    let owner = blob.owner.unwrap_or_default();
    let handle = owner.username.filter(|u| !u.is_empty()).or(markup.username);
    let text = blob
        .edge_media_to_caption
        .and_then(|e| e.edges.into_iter().next())
        .and_then(|e| e.node.text)
        .filter(|t| !t.is_empty())
        .or(markup.caption);
    let permalink = markup.permalink.clone().or_else(|| {
        blob.shortcode
            .as_ref()
            .map(|c| format!("https://www.instagram.com/p/{c}/"))
    });

    let mut media: Vec<MediaRef> = blob
        .edge_sidecar_to_children
        .map(|e| e.edges)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|e| {
            let c = e.node;
            media_item(
                c.is_video.unwrap_or(false),
                c.video_url,
                c.display_url,
                c.dimensions,
                permalink.as_deref(),
            )
            .map(|m| with_alt(m, c.accessibility_caption))
        })
        .collect();
    if media.is_empty() {
        let is_video = blob.is_video.unwrap_or(false);
        if let Some(item) = media_item(
            is_video,
            blob.video_url,
            blob.display_url,
            blob.dimensions,
            permalink.as_deref(),
        ) {
            media.push(with_alt(item, blob.accessibility_caption));
        }
    }
    if media.is_empty() {
        let is_video = markup.video.is_some()
            || markup.poster.is_some()
            || markup.media_type.as_deref() == Some("GraphVideo");
        let poster = markup.poster.clone().or(markup.image.clone());
        if let Some(item) = media_item(is_video, markup.video, poster, None, permalink.as_deref()) {
            media.push(item);
        }
    }

    PostContent {
        source: SOURCE.to_owned(),
        author_name: non_empty(owner.full_name),
        author_url: handle.as_ref().map(|h| super::profile_url(h)),
        author_handle: handle,
        text,
        published_at: blob
            .taken_at_timestamp
            .and_then(|t| DateTime::<Utc>::from_timestamp(t, 0)),
        media,
        raw: vec![answer.raw()],
        ..PostContent::default()
    }
}

/// `item` with the alt text Instagram gives for it, when it gives one.
fn with_alt(item: MediaRef, alt: Option<String>) -> MediaRef {
    MediaRef {
        alt: alt.map(|a| a.trim().to_owned()).filter(|a| !a.is_empty()),
        ..item
    }
}

/// One media item: a video's URL is its file (or the post when the file is unknown) and its
/// image the poster; an image is its own URL.
fn media_item(
    is_video: bool,
    video_url: Option<String>,
    image_url: Option<String>,
    dimensions: Option<Dimensions>,
    permalink: Option<&str>,
) -> Option<MediaRef> {
    let (width, height) = dimensions.map_or((None, None), |d| (d.width, d.height));
    if is_video {
        let url = video_url.or_else(|| permalink.map(str::to_owned))?;
        Some(MediaRef {
            kind: MediaKind::Video,
            url,
            image_url,
            width,
            height,
            ..MediaRef::default()
        })
    } else {
        let url = image_url?;
        Some(MediaRef {
            kind: MediaKind::Image,
            image_url: Some(url.clone()),
            url,
            width,
            height,
            ..MediaRef::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CheckOutcome;
    use crate::platforms::replay::fixture_answer;

    fn sample(file: &str, url: &str) -> Answer {
        fixture_answer(
            url,
            200,
            "text/html; charset=\"utf-8\"",
            &format!("instagram/{file}"),
        )
    }

    fn embed_url(code: &str) -> String {
        format!("https://www.instagram.com/p/{code}/embed/captioned/")
    }

    /// Regression: the embed page of another post (its permalink names another shortcode),
    /// served for the one asked, was archived as it: another account's post under this one.
    #[test]
    fn a_page_about_another_post_is_transient() {
        let file = "embed-captioned-C8tZr5pIe0B-carousel.html";
        let other = parse(&sample(file, &embed_url("C8kQx2LtA1b")));
        assert_eq!(other.outcome(), Some(CheckOutcome::Transient), "{other:?}");
        assert!(
            format!("{other:?}").contains("not C8kQx2LtA1b"),
            "{other:?}"
        );
        let same = parse(&sample(file, &embed_url("C8tZr5pIe0B")));
        assert_eq!(same.outcome(), Some(CheckOutcome::Live), "{same:?}");
    }

    fn live(file: &str, code: &str) -> PostContent {
        match parse(&sample(file, &embed_url(code))) {
            Resolution::Live(c) => c,
            other => panic!("{file}: expected live, got {other:?}"),
        }
    }

    #[test]
    fn recorded_pages_classify_as_the_manifest_says() {
        let cases = [
            ("embed-captioned-C8kQx2LtA1b-image.html", embed_url("C8kQx2LtA1b"), CheckOutcome::Live),
            ("embed-captioned-C8tZr5pIe0B-carousel.html", embed_url("C8tZr5pIe0B"), CheckOutcome::Live),
            ("embed-captioned-C82rTq0Nx7e-reel.html", embed_url("C82rTq0Nx7e"), CheckOutcome::Live),
            ("embed-captioned-DbYR3qYCEyc-real.html", embed_url("DbYR3qYCEyc"), CheckOutcome::Live),
            ("embed-captioned-B3A-0uuAhg0-broken.html", embed_url("B3A-0uuAhg0"), CheckOutcome::Gone),
            ("embed-captioned-NAOEXISTE999-gone-real.html", embed_url("NAOEXISTE999"), CheckOutcome::Gone),
            (
                "login-wall-C9aa0LoginW.html",
                "https://www.instagram.com/accounts/login/?next=%2Fp%2FC9aa0LoginW%2Fembed%2Fcaptioned%2F".to_owned(),
                CheckOutcome::Transient,
            ),
            // The same shell without the redirect is still not a post and not a gone signal.
            ("login-wall-C9aa0LoginW.html", embed_url("C9aa0LoginW"), CheckOutcome::Transient),
        ];
        for (file, url, want) in cases {
            assert_eq!(
                parse(&sample(file, &url)).outcome(),
                Some(want),
                "{file} at {url}"
            );
        }
    }

    #[test]
    fn image_post_from_markup_only() {
        let c = live("embed-captioned-C8kQx2LtA1b-image.html", "C8kQx2LtA1b");
        assert_eq!(c.source, "instagram-embed");
        assert_eq!(c.author_handle.as_deref(), Some("harbourdesk"));
        assert_eq!(
            c.author_url.as_deref(),
            Some("https://www.instagram.com/harbourdesk/")
        );
        assert_eq!(
            c.text.as_deref(),
            Some("Morning light over the harbour, before the ferries start. 🌅\n\n#harbour")
        );
        assert_eq!(c.published_at, None);
        assert_eq!(c.media.len(), 1);
        assert_eq!(c.media[0].kind, MediaKind::Image);
        assert_eq!(
            c.media[0].url,
            "https://scontent.cdninstagram.com/v/t51.2885-15/449876543_1080x1350_n.jpg?stp=dst-jpg_e35&_nc_ht=scontent.cdninstagram.com&_nc_cat=1&oh=00_AYBx1&oe=6700A1B2"
        );
        assert_eq!(c.raw.len(), 1);
        assert_eq!(c.raw[0].url, embed_url("C8kQx2LtA1b"));
    }

    #[test]
    fn carousel_takes_every_child_and_the_blob_facts() {
        let c = live("embed-captioned-C8tZr5pIe0B-carousel.html", "C8tZr5pIe0B");
        assert_eq!(c.author_handle.as_deref(), Some("marketnotes"));
        assert_eq!(c.author_name.as_deref(), Some("Market Notes · Lyon"));
        assert_eq!(
            c.published_at.map(|d| d.to_rfc3339()).as_deref(),
            Some("2024-06-22T17:00:00+00:00")
        );
        assert_eq!(
            c.text.as_deref(),
            Some(
                "Three frames from Saturday's market: bread, bikes, and the rain that never came. été 2024 ☀️"
            )
        );
        assert_eq!(c.media.len(), 3);
        assert!(c.media.iter().all(|m| m.kind == MediaKind::Image
            && m.width == Some(1080)
            && m.height == Some(1080)));
        assert_eq!(
            c.media[0].url,
            "https://scontent.cdninstagram.com/v/t51.2885-15/451200001_1080x1080_n.jpg?stp=dst-jpg_e35&_nc_ht=scontent.cdninstagram.com&oh=00_AYCa1&oe=6700B2C3"
        );
        assert!(c.media[2].url.contains("451200003_1080x1080_n.webp"));
        // The recorded children say `"accessibility_caption":null`: no alt text is made up.
        assert!(c.media.iter().all(|m| m.alt.is_none()));
    }

    #[test]
    fn a_childs_accessibility_caption_is_its_alt_text() {
        // The recorded carousel with one child's `null` replaced by a caption as Instagram
        // writes them (text from a captured `shortcode_media` answer).
        let page = String::from_utf8_lossy(
            &sample("embed-captioned-C8tZr5pIe0B-carousel.html", &embed_url("C8tZr5pIe0B")).body,
        )
        .replacen(
            r#"\"accessibility_caption\":null"#,
            r#"\"accessibility_caption\":\"Photo by James Moriarty in St Kilda, Victoria. Image may contain: sky, grass, flower, outdoor and nature\""#,
            1,
        );
        let answer = Answer {
            body: page.into_bytes(),
            ..sample(
                "embed-captioned-C8tZr5pIe0B-carousel.html",
                &embed_url("C8tZr5pIe0B"),
            )
        };
        let Resolution::Live(c) = parse(&answer) else {
            panic!("expected live");
        };
        assert_eq!(
            c.media[0].alt.as_deref(),
            Some(
                "Photo by James Moriarty in St Kilda, Victoria. Image may contain: sky, grass, flower, outdoor and nature"
            )
        );
        assert_eq!(c.media[1].alt, None);
    }

    #[test]
    fn reel_is_a_video_with_its_poster() {
        let c = live("embed-captioned-C82rTq0Nx7e-reel.html", "C82rTq0Nx7e");
        assert_eq!(c.author_handle.as_deref(), Some("nightdesk.news"));
        assert_eq!(c.author_name.as_deref(), Some("Night Desk"));
        assert_eq!(
            c.published_at.map(|d| d.to_rfc3339()).as_deref(),
            Some("2024-07-06T20:30:00+00:00")
        );
        assert_eq!(
            c.text.as_deref(),
            Some("60 seconds of the night shift at the newsroom. Sound on 🔊\n@harbourdesk")
        );
        assert_eq!(c.media.len(), 1);
        let m = &c.media[0];
        assert_eq!(m.kind, MediaKind::Video);
        assert_eq!(
            m.url,
            "https://scontent.cdninstagram.com/o1/v/t16/f2/m86/AQOreelvideo_720p.mp4?efg=eyJ2ZW5jb2RlX3RhZyJ9&_nc_ht=scontent.cdninstagram.com&oh=00_AYDv4&oe=6700C3D4"
        );
        assert_eq!(
            m.image_url.as_deref(),
            Some(
                "https://scontent.cdninstagram.com/v/t51.2885-15/452900004_720x1280_n.jpg?stp=dst-jpg_e15&_nc_ht=scontent.cdninstagram.com&oh=00_AYDd4&oe=6700C3D4"
            )
        );
        assert_eq!((m.width, m.height), (Some(720), Some(1280)));
    }

    #[test]
    fn real_capture_reads_username_caption_and_largest_image() {
        let c = live("embed-captioned-DbYR3qYCEyc-real.html", "DbYR3qYCEyc");
        assert_eq!(c.author_handle.as_deref(), Some("planetarioba"));
        let text = c.text.as_deref().unwrap_or_default();
        assert!(
            text.starts_with("🚀 Nace la NASA: hace 68 años, se inauguraba la Administración Nacional de la Aeronáutica y el Espacio"),
            "{text}"
        );
        assert!(text.contains("👨‍🚀"), "ZWJ emoji kept: {text}");
        assert!(!text.contains("View all comments"), "{text}");
        assert!(text.ends_with("cometas."), "{text}");
        assert_eq!(c.media.len(), 1);
        let m = &c.media[0];
        assert_eq!(m.kind, MediaKind::Image);
        assert!(
            m.url
                .starts_with("https://instagram.frez1-1.fna.fbcdn.net/"),
            "{}",
            m.url
        );
        // Two candidates are 1080w: the uncropped original (listed first) and a square crop.
        // The first of the widest wins.
        assert!(
            m.url.contains("stp=dst-jpg_e35_tt6&") && m.url.contains("oh=00_AQJNqTuA"),
            "largest srcset candidate: {}",
            m.url
        );
    }

    #[test]
    fn gone_evidence_names_the_marker() {
        for (file, code) in [
            ("embed-captioned-B3A-0uuAhg0-broken.html", "B3A-0uuAhg0"),
            (
                "embed-captioned-NAOEXISTE999-gone-real.html",
                "NAOEXISTE999",
            ),
        ] {
            match parse(&sample(file, &embed_url(code))) {
                Resolution::Gone { source, evidence } => {
                    assert_eq!(source, SOURCE);
                    assert!(evidence.starts_with("EmbedBrokenMedia"), "{evidence}");
                    assert!(evidence.contains("may have been removed"), "{evidence}");
                }
                other => panic!("{file}: expected gone, got {other:?}"),
            }
        }
    }

    #[test]
    fn login_redirect_evidence_names_the_wall() {
        let answer = sample(
            "login-wall-C9aa0LoginW.html",
            "https://www.instagram.com/accounts/login/?next=%2Fp%2FC9aa0LoginW%2Fembed%2Fcaptioned%2F",
        );
        match parse(&answer) {
            Resolution::Transient { evidence, .. } => {
                assert!(
                    evidence.contains("redirect to /accounts/login/"),
                    "{evidence}"
                )
            }
            other => panic!("expected transient, got {other:?}"),
        }
    }

    #[test]
    fn statuses_that_say_nothing_are_transient() {
        let page = sample(
            "embed-captioned-C8kQx2LtA1b-image.html",
            &embed_url("C8kQx2LtA1b"),
        );
        for status in [403, 404, 429, 500, 502, 599] {
            let mut answer = page.clone();
            answer.status = status;
            assert_eq!(
                parse(&answer).outcome(),
                Some(CheckOutcome::Transient),
                "{status}"
            );
        }
        // A 404 that still shows the broken-media notice is the notice.
        let mut broken = sample(
            "embed-captioned-B3A-0uuAhg0-broken.html",
            &embed_url("B3A-0uuAhg0"),
        );
        broken.status = 404;
        assert_eq!(parse(&broken).outcome(), Some(CheckOutcome::Gone));
    }

    #[test]
    fn unreadable_pages_are_transient() {
        for body in [
            "",
            "<html><title>Instagram</title></html>",
            "<div class=\"Embed\"></div>",
            "\u{0}\u{1}binary",
        ] {
            let answer = Answer {
                url: embed_url("C8kQx2LtA1b"),
                status: 200,
                content_type: None,
                body: body.as_bytes().to_vec(),
            };
            assert_eq!(
                parse(&answer).outcome(),
                Some(CheckOutcome::Transient),
                "{body:?}"
            );
        }
    }

    #[test]
    fn older_additional_data_blob_is_read() {
        let page = r#"<div class="Embed"><span class="UsernameText">old</span></div>
<script>window.__additionalDataLoaded('extra',{"shortcode_media":{"shortcode":"B1","is_video":false,
"display_url":"https://cdn.example/a.jpg","dimensions":{"width":640,"height":800},
"edge_media_to_caption":{"edges":[{"node":{"text":"old caption"}}]},"taken_at_timestamp":1556730192,
"owner":{"username":"olduser","full_name":"Old User"}}});</script>"#;
        let answer = Answer {
            url: embed_url("B1"),
            status: 200,
            content_type: None,
            body: page.as_bytes().to_vec(),
        };
        let Resolution::Live(c) = parse(&answer) else {
            panic!("expected live");
        };
        assert_eq!(c.author_handle.as_deref(), Some("olduser"));
        assert_eq!(c.author_name.as_deref(), Some("Old User"));
        assert_eq!(c.text.as_deref(), Some("old caption"));
        assert_eq!(c.published_at.map(|d| d.timestamp()), Some(1556730192));
        assert_eq!(c.media.len(), 1);
        assert_eq!(
            (c.media[0].width, c.media[0].height),
            (Some(640), Some(800))
        );
    }

    #[test]
    fn srcset_picks_the_widest_candidate() {
        let cases = [
            ("a.jpg 640w, b.jpg 1080w, c.jpg 750w", Some("b.jpg")),
            ("a.jpg 640w,b.jpg 150w", Some("a.jpg")),
            (
                "https://x/a.jpg?x=1&y=2 320w",
                Some("https://x/a.jpg?x=1&y=2"),
            ),
            ("a.jpg 1x, b.jpg 2x", None),
            ("", None),
        ];
        for (srcset, want) in cases {
            assert_eq!(largest_candidate(srcset).as_deref(), want, "{srcset}");
        }
    }

    #[test]
    fn shortcodes_are_validated() {
        assert!(url("C8kQx2LtA1b").is_ok());
        assert!(url("B3A-0uuAhg0").is_ok());
        for bad in ["", "a/b", "a?b", "ü", &"a".repeat(81)] {
            assert!(url(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn markup_only_media_variants() {
        let page = |media: &str| {
            format!(
                r#"<div class="Embed" {media}><span class="UsernameText">u</span>
<a class="EmbeddedMedia"><img class="EmbeddedMediaImage" src="https://cdn.example/poster.jpg"></a></div>"#
            )
        };
        // (div.Embed attributes, kind, url, image_url)
        let cases = [
            (
                r#"data-media-type="GraphImage" data-permalink="https://www.instagram.com/p/A1/?utm_source=ig_embed""#,
                MediaKind::Image,
                "https://cdn.example/poster.jpg",
                Some("https://cdn.example/poster.jpg"),
            ),
            (
                r#"data-media-type="GraphVideo" data-permalink="https://www.instagram.com/p/A1/?utm_source=ig_embed""#,
                MediaKind::Video,
                "https://www.instagram.com/p/A1/",
                Some("https://cdn.example/poster.jpg"),
            ),
            (
                r#"data-media-type="GraphSidecar""#,
                MediaKind::Image,
                "https://cdn.example/poster.jpg",
                Some("https://cdn.example/poster.jpg"),
            ),
        ];
        for (attrs, kind, url, image_url) in cases {
            let answer = Answer {
                url: embed_url("A1"),
                status: 200,
                content_type: None,
                body: page(attrs).into_bytes(),
            };
            let Resolution::Live(c) = parse(&answer) else {
                panic!("{attrs}: expected live");
            };
            assert_eq!(c.media.len(), 1, "{attrs}");
            let m = &c.media[0];
            assert_eq!(
                (m.kind, m.url.as_str(), m.image_url.as_deref()),
                (kind, url, image_url),
                "{attrs}"
            );
        }
    }
}
