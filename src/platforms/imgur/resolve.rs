//! Imgur's two public sources, asked without a client id:
//!
//! - `imgur-image`: the image itself, `https://i.imgur.com/ID.jpg` (any extension serves the
//!   image). A removed image redirects to `https://i.imgur.com/removed.png`: that redirect is
//!   the gone signal. An image answer proves the image is there. Only single images have one;
//!   albums and gallery posts are read from oEmbed alone.
//! - `imgur-oembed`: `https://api.imgur.com/oembed?url=URL&format=json`. Its answer carries
//!   the post's title only as the text of the link in its `html` blockquote, which is parsed as
//!   markup (never kept or served as HTML); the blockquote's `data-id` must be the post's.
//!   A 404 is gone only in the API's own error envelope (`{"data": …, "success": false,
//!   "status": 404}`, Imgur's documented error shape; no 404 was recorded).
//!
//! 403 (Imgur blocks some countries) and everything else that is not one of those signals is
//! transient.

use scraper::{ElementRef, Selector};
use url::Url;

use crate::model::{EmbedRef, MediaKind, MediaRef, PostContent, Resolution};
use crate::platforms::oembed_endpoint::{Endpoint, NOT_FOUND, Read, Reader, Reading};
use crate::platforms::readers::{collapse_whitespace, constant_url, quoted_or_none, walk_text};
use crate::platforms::source::{self, Answer, Fetch, SourceError, check_status};
use crate::platforms::url_util::{host_is_or_www, segments, web_host};
use crate::platforms::verdict::{self, Field, OwnBody};

/// Source name of the image itself.
pub const IMAGE_SOURCE: &str = "imgur-image";
/// Source name of the oEmbed endpoint.
pub const OEMBED_SOURCE: &str = "imgur-oembed";

/// The placeholder a removed image redirects to.
const REMOVED_PATH: &str = "/removed.png";

/// The oEmbed endpoint, read by the one oEmbed reader.
pub const OEMBED: Endpoint = Endpoint {
    base: "https://api.imgur.com/oembed",
    extra: &[("format", "json")],
    reader: Reader {
        source: OEMBED_SOURCE,
        statuses: NOT_FOUND,
        // The API's error envelope.
        own_error: &[OwnBody::JsonWith(&["data", "success", "status"])],
        // The title of its link, and the uploader (an untitled post has no link text).
        identifying: &[Field::Text, Field::Author],
        gone_means: "",
    },
};

/// What makes an image answer a live image: the picture itself.
const IMAGE_IDENTIFYING: &[Field] = &[Field::Media];

/// What is asked about, from the recogniser's post id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item<'a> {
    /// A single image, `ID`.
    Image(&'a str),
    /// An album (`a/ID`) or gallery post (`gallery/ID`): the post id as it stands.
    Collection(&'a str),
}

impl<'a> Item<'a> {
    pub fn from_post_id(post_id: &'a str) -> Option<Item<'a>> {
        let is_id =
            |s: &str| (5..=7).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric());
        match post_id.split_once('/') {
            Some(("a" | "gallery", id)) if is_id(id) => Some(Item::Collection(post_id)),
            None if is_id(post_id) => Some(Item::Image(post_id)),
            _ => None,
        }
    }

    /// The `data-id` of the post's embed blockquote.
    fn data_id(self) -> &'a str {
        match self {
            Item::Image(id) | Item::Collection(id) => id,
        }
    }

    /// Whether an embed blockquote's `data-id` names this item. Imgur's embed codes name a
    /// gallery post as the album it is (`a/ID` for `imgur.com/gallery/ID`; amphtml's
    /// `amp-imgur` documents the two addresses as one post).
    fn is_named_by(self, data_id: &str) -> bool {
        data_id == self.data_id()
            || matches!(self, Item::Collection(path)
                if path.strip_prefix("gallery/").is_some_and(|id| data_id.strip_prefix("a/") == Some(id)))
    }
}

/// The image itself: `https://i.imgur.com/ID.jpg`.
pub fn image_url(id: &str) -> Url {
    let mut url = constant_url("https://i.imgur.com/");
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.pop_if_empty().push(&format!("{id}.jpg"));
    }
    url
}

/// The oEmbed request, in the shape of the recorded one: an image is named by its file URL
/// (`https://i.imgur.com/ID.jpg`), a collection by its page (`https://imgur.com/a/ID`).
pub fn oembed_url(item: Item<'_>) -> Url {
    let post = match item {
        Item::Image(id) => image_url(id).to_string(),
        Item::Collection(path) => format!("https://imgur.com/{path}"),
    };
    OEMBED.url(&post)
}

/// Classify the image's answer.
pub fn parse_image(answer: &Answer, id: &str) -> Resolution {
    let transient = |evidence: String| Resolution::Transient {
        source: IMAGE_SOURCE.to_owned(),
        evidence,
    };
    if let Err(e) = check_status(IMAGE_SOURCE, answer) {
        return e.into_transient();
    }
    let final_url = Url::parse(&answer.url).ok();
    let removed = final_url.as_ref().is_some_and(|u| {
        u.host_str() == Some("i.imgur.com") && u.path().eq_ignore_ascii_case(REMOVED_PATH)
    });
    if removed {
        return Resolution::Gone {
            source: IMAGE_SOURCE.to_owned(),
            evidence: format!("image {id} redirects to Imgur's removed.png placeholder"),
        };
    }
    if answer.status != 200 {
        return transient(format!(
            "HTTP {} from {IMAGE_SOURCE} for image {id} (not the removed-image redirect)",
            answer.status
        ));
    }
    let media_type = answer
        .content_type
        .as_deref()
        .map(|t| t.trim().to_ascii_lowercase())
        .unwrap_or_default();
    // `ID.jpg` answers with a picture even for videos (their poster).
    if !media_type.starts_with("image/") {
        return transient(format!(
            "{IMAGE_SOURCE} answered {} for image {id}, not an image",
            answer.content_type.as_deref().unwrap_or("no content type")
        ));
    }
    if answer.body.is_empty() {
        return transient(format!("{IMAGE_SOURCE} answered an empty image for {id}"));
    }
    let content = PostContent {
        source: IMAGE_SOURCE.to_owned(),
        media: vec![MediaRef {
            kind: MediaKind::Image,
            url: answer.url.clone(),
            image_url: Some(answer.url.clone()),
            ..MediaRef::default()
        }],
        // The picture is kept as the snapshot's media; the evidence names it without its bytes.
        raw: vec![crate::model::RawBody {
            bytes: Vec::new(),
            ..answer.raw()
        }],
        ..PostContent::default()
    };
    verdict::live(content, IMAGE_IDENTIFYING)
}

/// Classify the oEmbed answer about `item`.
pub fn parse_oembed(answer: &Answer, item: Item<'_>) -> Resolution {
    OEMBED.classify(answer, Some(item.data_id()), |read, _| {
        oembed_content(read, item)
    })
}

/// The item's title, from the blockquote of the embed code, when it embeds `item`.
fn oembed_content(read: Read, item: Item<'_>) -> Reading {
    let Some(quote) = read.html.as_deref().map(read_blockquote) else {
        return Reading::NotThePost(format!("answer from {OEMBED_SOURCE} has no html"));
    };
    if !quote
        .data_id
        .as_deref()
        .is_some_and(|d| item.is_named_by(d))
    {
        return Reading::NotThePost(format!(
            "answer from {OEMBED_SOURCE} embeds {}, not {}",
            quoted_or_none(quote.data_id.as_deref()),
            item.data_id()
        ));
    }
    let media = match item {
        Item::Image(id) => {
            let url = image_url(id).to_string();
            vec![MediaRef {
                kind: MediaKind::Image,
                url: url.clone(),
                image_url: Some(url),
                ..MediaRef::default()
            }]
        }
        Item::Collection(_) => Vec::new(),
    };
    Reading::Post(PostContent {
        title: quote.title,
        author_handle: read.author_url.as_deref().and_then(uploader),
        author_name: read.author_name,
        author_url: read.author_url,
        media,
        ..PostContent::default()
    })
}

/// The uploader's name from their page, `https://imgur.com/user/NAME`.
fn uploader(author_url: &str) -> Option<String> {
    let url = Url::parse(author_url).ok()?;
    if !host_is_or_www(web_host(&url)?, "imgur.com") {
        return None;
    }
    match segments(&url).as_slice() {
        [user, name] if user == "user" => Some(name.to_string()),
        _ => None,
    }
}

struct Blockquote {
    data_id: Option<String>,
    title: Option<String>,
}

/// The link text of an untitled post's embed code, in place of a title: no title of its own.
const UNTITLED_LINK_TEXT: &str = "View post on imgur.com";

/// `<blockquote class="imgur-embed-pub" data-id="ID"><a href="…">TITLE</a></blockquote>`: the
/// id and the link's text (entities decoded; scripts are not text), unless it is the text
/// Imgur writes for a post without a title ([`UNTITLED_LINK_TEXT`]).
fn read_blockquote(html: &str) -> Blockquote {
    let doc = crate::platforms::readers::parse_fragment(html);
    let quote = Selector::parse("blockquote.imgur-embed-pub")
        .ok()
        .and_then(|s| doc.select(&s).next());
    let Some(quote) = quote else {
        return Blockquote {
            data_id: None,
            title: None,
        };
    };
    let title = Selector::parse("a")
        .ok()
        .and_then(|s| quote.select(&s).next())
        .map(|a| {
            let mut text = String::new();
            visible_text(a, &mut text);
            collapse_whitespace(&text)
        })
        .filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case(UNTITLED_LINK_TEXT));
    Blockquote {
        data_id: quote.value().attr("data-id").map(|d| d.trim().to_owned()),
        title,
    }
}

/// The text of `element` (without what scripts and styles hold: `walk_text` reads none).
fn visible_text(element: ElementRef<'_>, out: &mut String) {
    walk_text(*element, out, |_, _| true);
}

/// Resolve one Imgur post, against any fetcher: for a single image the image first (the gone
/// signal) and oEmbed second (the title); for a collection oEmbed alone.
pub(crate) async fn resolve_with<F: Fetch>(fetcher: &F, embed: &EmbedRef) -> Resolution {
    let Some(item) = embed.post_id.as_deref().and_then(Item::from_post_id) else {
        return SourceError::BadPostId {
            source_name: OEMBED_SOURCE.to_owned(),
            post_id: embed
                .post_id
                .clone()
                .unwrap_or_else(|| embed.post_url.clone()),
            reason: "neither an image id nor a/ID or gallery/ID".to_owned(),
        }
        .into_transient();
    };
    let ask_oembed = || async {
        match fetcher.fetch(OEMBED_SOURCE, &oembed_url(item)).await {
            Ok(answer) => parse_oembed(&answer, item),
            Err(e) => e.into_transient(),
        }
    };
    let Item::Image(id) = item else {
        return ask_oembed().await;
    };
    let image = match fetcher.fetch(IMAGE_SOURCE, &image_url(id)).await {
        Ok(answer) => parse_image(&answer, id),
        Err(e) => e.into_transient(),
    };
    if let Resolution::Gone { .. } = image {
        return image;
    }
    let oembed = ask_oembed().await;
    combine(image, oembed)
}

/// The verdict from the image's and oEmbed's: a live oEmbed answer with the image's media; a
/// live image when oEmbed has nothing; oEmbed's verdict when the image was unreachable.
pub fn combine(image: Resolution, oembed: Resolution) -> Resolution {
    match (image, oembed) {
        (gone @ Resolution::Gone { .. }, _) => gone,
        (Resolution::Live(picture), Resolution::Live(post)) => Resolution::Live(PostContent {
            media: picture.media,
            raw: post.raw.into_iter().chain(picture.raw).collect(),
            ..post
        }),
        (live @ Resolution::Live(_), _) => live,
        (first @ Resolution::Transient { .. }, second @ Resolution::Transient { .. }) => {
            Resolution::Transient {
                source: OEMBED_SOURCE.to_owned(),
                evidence: source::join_evidence(&first, &second),
            }
        }
        (_, verdict) => verdict,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CheckOutcome, EmbedKind, Location, Platform};
    use crate::platforms::replay::{Replay, fixture_answer};

    fn oembed_answer(status: u16, body: &str) -> Answer {
        Answer {
            url: oembed_url(Item::Image("X6rkCc5")).to_string(),
            status,
            content_type: Some("application/json".into()),
            body: body.as_bytes().to_vec(),
        }
    }

    fn image_answer(final_url: &str, status: u16, content_type: &str, body: &[u8]) -> Answer {
        Answer {
            url: final_url.into(),
            status,
            content_type: Some(content_type.into()),
            body: body.to_vec(),
        }
    }

    #[test]
    fn recorded_oembed_answer_names_the_title() {
        let answer = fixture_answer(
            oembed_url(Item::Image("X6rkCc5")).as_str(),
            200,
            "application/json",
            "imgur/oembed-X6rkCc5.json",
        );
        let Resolution::Live(c) = parse_oembed(&answer, Item::Image("X6rkCc5")) else {
            panic!("expected live");
        };
        assert_eq!(c.source, OEMBED_SOURCE);
        assert_eq!(
            c.title.as_deref(),
            Some("Picture of a Mountain Gorilla right before he punched the photographer")
        );
        assert_eq!(c.text, None);
        assert_eq!(
            c.media,
            vec![MediaRef {
                kind: MediaKind::Image,
                url: "https://i.imgur.com/X6rkCc5.jpg".into(),
                image_url: Some("https://i.imgur.com/X6rkCc5.jpg".into()),
                ..MediaRef::default()
            }]
        );
        // The same answer about another image says nothing about it.
        assert_eq!(
            parse_oembed(&answer, Item::Image("Zzzzzzz")).outcome(),
            Some(CheckOutcome::Transient)
        );
    }

    /// An album's answer as vanilla/vanilla's Imgur embed tests record it (GPL-2.0; the shape
    /// of Imgur's answer, its title's trailing space included): the uploader identifies the post
    /// too, so an untitled album still reads as live. A gallery post is named as its album.
    #[test]
    fn album_answers_name_their_uploader_and_galleries_are_their_albums() {
        let body = |title: &str| {
            format!(
                r#"{{"version":"1.0","type":"rich","provider_name":"Imgur","provider_url":"https://imgur.com","width":540,"height":500,"html":"<blockquote class=\"imgur-embed-pub\" lang=\"en\" data-id=\"a/Pt2cHff\"><a href=\"https://imgur.com/a/Pt2cHff\">{title}</a></blockquote><script async src=\"//s.imgur.com/min/embed.js\" charset=\"utf-8\"></script>","author_name":"monalistic","author_url":"https://imgur.com/user/monalistic"}}"#
            )
        };
        for item in [
            Item::Collection("a/Pt2cHff"),
            Item::Collection("gallery/Pt2cHff"),
        ] {
            let Resolution::Live(c) =
                parse_oembed(&oembed_answer(200, &body("Very scary birb ")), item)
            else {
                panic!(
                    "expected live for {item:?}: {:?}",
                    parse_oembed(&oembed_answer(200, &body("Very scary birb ")), item)
                );
            };
            assert_eq!(c.title.as_deref(), Some("Very scary birb"));
            assert_eq!(c.author_name.as_deref(), Some("monalistic"));
            assert_eq!(c.author_handle.as_deref(), Some("monalistic"));
            assert_eq!(
                c.author_url.as_deref(),
                Some("https://imgur.com/user/monalistic")
            );
            let untitled = parse_oembed(&oembed_answer(200, &body("")), item);
            assert_eq!(untitled.outcome(), Some(CheckOutcome::Live), "{untitled:?}");
            // An untitled post's embed code links with Imgur's own words, no title
            // (ampproject/amp-wp's recorded answers for fmHGADZ and a/rAG6Q2w).
            for placeholder in ["View post on imgur.com", " view post on Imgur.com "] {
                let Resolution::Live(c) =
                    parse_oembed(&oembed_answer(200, &body(placeholder)), item)
                else {
                    panic!("expected live for {item:?} with {placeholder:?}");
                };
                assert_eq!(c.title, None, "{placeholder:?}");
                assert_eq!(c.author_name.as_deref(), Some("monalistic"));
            }
        }
        // Another album, and a gallery post of another id, are not this one.
        for item in [
            Item::Collection("a/Zzzzzzz"),
            Item::Collection("gallery/Zzzzzzz"),
        ] {
            let got = parse_oembed(&oembed_answer(200, &body("x")), item);
            assert_eq!(got.outcome(), Some(CheckOutcome::Transient), "{item:?}");
        }
        assert_eq!(uploader("https://imgur.com/user/monalistic/posts"), None);
        assert_eq!(uploader("https://evil.example/user/monalistic"), None);
    }

    #[test]
    fn oembed_error_and_hostile_answers() {
        let cases = [
            (
                oembed_answer(
                    404,
                    r#"{"data":{"error":"Unable to find an image with the id, X6rkCc5","request":"/3/image/X6rkCc5","method":"GET"},"success":false,"status":404}"#,
                ),
                CheckOutcome::Gone,
            ),
            (oembed_answer(404, ""), CheckOutcome::Transient),
            (
                oembed_answer(
                    404,
                    "<html><title>imgur: the simple 404 page</title></html>",
                ),
                CheckOutcome::Transient,
            ),
            (
                oembed_answer(403, "<html>unavailable in your country</html>"),
                CheckOutcome::Transient,
            ),
            (oembed_answer(429, ""), CheckOutcome::Transient),
            (oembed_answer(500, ""), CheckOutcome::Transient),
            (oembed_answer(200, "<html>"), CheckOutcome::Transient),
            (oembed_answer(200, "{}"), CheckOutcome::Transient),
            (
                oembed_answer(200, r#"{"html":"<p>nothing</p>"}"#),
                CheckOutcome::Transient,
            ),
        ];
        for (i, (a, want)) in cases.into_iter().enumerate() {
            let got = parse_oembed(&a, Item::Image("X6rkCc5"));
            assert_eq!(got.outcome(), Some(want), "case {i}: {got:?}");
        }
        // Script and javascript: links in html: only the link's text is kept, as text.
        let hostile = r#"{"html":"<blockquote class=\"imgur-embed-pub\" data-id=\"X6rkCc5\"><a href=\"javascript:alert(1)\">Cat <b>&amp;</b> dog<script>alert(2)</script></a></blockquote><script>alert(3)</script>"}"#;
        let Resolution::Live(c) =
            parse_oembed(&oembed_answer(200, hostile), Item::Image("X6rkCc5"))
        else {
            panic!("expected live");
        };
        assert_eq!(c.title.as_deref(), Some("Cat & dog"));
    }

    #[test]
    fn image_answers() {
        let jpeg = b"\xFF\xD8\xFF\xE0jpeg";
        let cases = [
            (
                image_answer("https://i.imgur.com/removed.png", 200, "image/png", b"png"),
                CheckOutcome::Gone,
            ),
            (
                image_answer("https://i.imgur.com/X6rkCc5.jpg", 200, "image/jpeg", jpeg),
                CheckOutcome::Live,
            ),
            (
                image_answer("https://i.imgur.com/X6rkCc5.jpg", 200, "video/mp4", b"mp4"),
                CheckOutcome::Transient,
            ),
            (
                image_answer(
                    "https://i.imgur.com/X6rkCc5.jpg",
                    200,
                    "text/html",
                    b"<html>",
                ),
                CheckOutcome::Transient,
            ),
            (
                image_answer("https://i.imgur.com/X6rkCc5.jpg", 200, "image/jpeg", b""),
                CheckOutcome::Transient,
            ),
            (
                image_answer(
                    "https://i.imgur.com/X6rkCc5.jpg",
                    404,
                    "text/html",
                    b"<html>",
                ),
                CheckOutcome::Transient,
            ),
            (
                image_answer(
                    "https://i.imgur.com/X6rkCc5.jpg",
                    403,
                    "text/html",
                    b"blocked",
                ),
                CheckOutcome::Transient,
            ),
            // A removed.png on another host is no Imgur signal.
            (
                image_answer("https://cdn.example/removed.png", 200, "image/png", b"png"),
                CheckOutcome::Live,
            ),
        ];
        for (i, (a, want)) in cases.into_iter().enumerate() {
            let got = parse_image(&a, "X6rkCc5");
            assert_eq!(got.outcome(), Some(want), "case {i}: {got:?}");
        }
    }

    fn imgur_embed(post_id: &str) -> EmbedRef {
        EmbedRef {
            platform: Platform::Imgur,
            kind: EmbedKind::Post,
            post_url: format!("https://imgur.com/{post_id}"),
            post_id: Some(post_id.into()),
            location: Location::Dom,
            evidence: "blockquote.imgur-embed-pub".into(),
            markup: String::new(),
            author_name: None,
            author_handle: None,
            text: None,
            published_at: None,
        }
    }

    #[tokio::test]
    async fn recorded_flow_reads_the_image_then_the_title() {
        let replay = Replay::from_manifest();
        let got = resolve_with(&replay, &imgur_embed("X6rkCc5")).await;
        let Resolution::Live(c) = got else {
            panic!("expected live, got {got:?}");
        };
        assert_eq!(c.source, OEMBED_SOURCE);
        assert_eq!(
            c.title.as_deref(),
            Some("Picture of a Mountain Gorilla right before he punched the photographer")
        );
        assert_eq!(c.media.len(), 1);
        assert_eq!(
            c.media[0].image_url.as_deref(),
            Some("https://i.imgur.com/X6rkCc5.jpg")
        );
        assert_eq!(
            replay.requests(),
            vec![
                "https://i.imgur.com/X6rkCc5.jpg".to_owned(),
                "https://api.imgur.com/oembed?url=https%3A%2F%2Fi.imgur.com%2FX6rkCc5.jpg&format=json".to_owned(),
            ]
        );
        // Nothing recorded for this one: transient, both sources named.
        let Resolution::Transient { evidence, .. } =
            resolve_with(&replay, &imgur_embed("Abcdefg")).await
        else {
            panic!("expected transient");
        };
        assert!(
            evidence.contains(IMAGE_SOURCE) && evidence.contains(OEMBED_SOURCE),
            "{evidence}"
        );
        // Albums go to oEmbed alone.
        let _ = resolve_with(&replay, &imgur_embed("a/AbC12")).await;
        assert_eq!(
            replay.requests().last().map(String::as_str),
            Some(
                "https://api.imgur.com/oembed?url=https%3A%2F%2Fimgur.com%2Fa%2FAbC12&format=json"
            )
        );
    }

    #[test]
    fn combined_verdicts() {
        let gone = Resolution::Gone {
            source: IMAGE_SOURCE.into(),
            evidence: "removed".into(),
        };
        let live_title = Resolution::Live(PostContent {
            source: OEMBED_SOURCE.into(),
            title: Some("t".into()),
            ..PostContent::default()
        });
        let transient = |s: &str| Resolution::Transient {
            source: s.into(),
            evidence: "x".into(),
        };
        assert_eq!(
            combine(gone.clone(), live_title.clone()).outcome(),
            Some(CheckOutcome::Gone)
        );
        assert_eq!(
            combine(transient(IMAGE_SOURCE), live_title.clone()),
            live_title
        );
        let oembed_gone = Resolution::Gone {
            source: OEMBED_SOURCE.into(),
            evidence: "404".into(),
        };
        assert_eq!(
            combine(transient(IMAGE_SOURCE), oembed_gone.clone()),
            oembed_gone
        );
        assert_eq!(
            combine(transient(IMAGE_SOURCE), transient(OEMBED_SOURCE)).outcome(),
            Some(CheckOutcome::Transient)
        );
    }
}
