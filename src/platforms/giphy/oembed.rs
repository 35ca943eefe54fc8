//! GIPHY's public oEmbed endpoint, `https://giphy.com/services/oembed?url=URL`: a `photo`
//! answer whose `url` is the GIF itself, with its size, title and uploader.
//!
//! No answer of this endpoint was found recorded anywhere public: the fields read are the
//! documented ones (`type`, `url`, `width`, `height`, `title`, `author_name`, `author_url`) and
//! the error envelope is the one the GIPHY API documents (`{"meta": {"status": 404, …}}`).
//! Answers go through the one oEmbed reader
//! ([`oembed_endpoint`](crate::platforms::oembed_endpoint)) with GIPHY's table:
//!
//! - 200 whose `url` is a media URL of the asked GIF: live.
//! - 404 in the API's own envelope: gone.
//! - 403 (the owner made the GIF private): transient, never gone.
//! - Anything else, or an answer about another GIF: transient.
//!
//! The `html` field is never read.

use url::Url;

use crate::model::{EmbedKind, MediaKind, MediaRef, PostContent, Resolution};
use crate::platforms::oembed_endpoint::{Endpoint, Read, Reader, Reading, Status};
use crate::platforms::readers::quoted_or_none;
use crate::platforms::source::Answer;
use crate::platforms::verdict::{Field, OwnBody};

/// Source name of the endpoint.
pub const SOURCE: &str = "giphy-oembed";

/// The endpoint.
pub const OEMBED: Endpoint = Endpoint {
    base: "https://giphy.com/services/oembed",
    extra: &[],
    reader: Reader {
        source: SOURCE,
        statuses: &[
            (404, Status::Gone),
            (403, Status::Transient("the owner made it private")),
        ],
        // The API's error envelope.
        own_error: &[OwnBody::JsonWith(&["meta"])],
        // Its title, uploader or picture.
        identifying: &[Field::Text, Field::Author, Field::Media],
        gone_means: "",
    },
};

/// The request for a post URL.
pub fn url(post_url: &str) -> Url {
    OEMBED.url(post_url)
}

/// Classify one answer about GIF `id` (a clip when `kind` is a video).
pub fn parse(answer: &Answer, id: &str, kind: EmbedKind) -> Resolution {
    OEMBED.classify(answer, Some(id), |read, _| content(read, id, kind))
}

/// The site's name that GIPHY's page titles end with, which its oEmbed titles carry too
/// ("Saved By The Bell Hello GIF - Find & Share on GIPHY", "… Sticker by Happy Place for iOS &
/// Android | GIPHY", as unfurlers' tests record them): the title is the GIF's without it.
const SITE_SUFFIXES: &[&str] = &[" - Find & Share on GIPHY", " | GIPHY"];

/// `title` without GIPHY's site name at its end.
fn without_site_name(title: &str) -> &str {
    let title = title.trim();
    SITE_SUFFIXES
        .iter()
        .find_map(|s| title.strip_suffix(s))
        .map(str::trim_end)
        .filter(|t| !t.is_empty())
        .unwrap_or(title)
}

/// The GIF as the answer shows it, when its `url` is a media URL of GIF `id`.
fn content(read: Read, id: &str, kind: EmbedKind) -> Reading {
    let media_url = match read.url {
        Some(u) if names_gif(&u, id) => u,
        other => {
            return Reading::NotThePost(format!(
                "answer from {SOURCE} shows {}, not GIF {id}",
                quoted_or_none(other.as_deref())
            ));
        }
    };
    Reading::Post(PostContent {
        title: read
            .title
            .as_deref()
            .map(without_site_name)
            .map(str::to_owned),
        author_name: read.author_name,
        author_url: read.author_url,
        media: vec![MediaRef {
            kind: if kind == EmbedKind::Video {
                MediaKind::Video
            } else {
                MediaKind::Image
            },
            url: media_url.clone(),
            // The GIF itself is its own poster: its first frame.
            image_url: Some(media_url),
            width: read.width,
            height: read.height,
            ..MediaRef::default()
        }],
        ..PostContent::default()
    })
}

/// Whether a media URL (`https://media.giphy.com/media/ID/giphy.gif`) shows GIF `id`.
fn names_gif(media_url: &str, id: &str) -> bool {
    Url::parse(media_url)
        .ok()
        .filter(|u| u.scheme() == "https")
        .and_then(|u| super::recognise(&u))
        .and_then(|r| r.post_id)
        .is_some_and(|p| p == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CheckOutcome;

    fn answer(status: u16, body: &str) -> Answer {
        Answer {
            url: url("https://giphy.com/gifs/3o7TKBX7vWbc7Dhxcc").to_string(),
            status,
            content_type: Some("application/json".into()),
            body: body.as_bytes().to_vec(),
        }
    }

    // Written from the documented answer (no recorded one exists): the shape, not its values,
    // is what is tested.
    const DOCUMENTED: &str = r#"{"type":"photo","version":"1.0","provider_name":"GIPHY","provider_url":"https://giphy.com","url":"https://media.giphy.com/media/3o7TKBX7vWbc7Dhxcc/giphy.gif","width":480,"height":270,"title":"Happy Dance GIF","author_name":"someone","author_url":"https://giphy.com/someone"}"#;

    #[test]
    fn a_documented_answer_is_read() {
        let Resolution::Live(c) = parse(
            &answer(200, DOCUMENTED),
            "3o7TKBX7vWbc7Dhxcc",
            EmbedKind::Gif,
        ) else {
            panic!("expected live");
        };
        assert_eq!(c.source, SOURCE);
        assert_eq!(c.title.as_deref(), Some("Happy Dance GIF"));
        assert_eq!(c.author_name.as_deref(), Some("someone"));
        for (title, want) in [
            (
                "Saved By The Bell Hello GIF - Find & Share on GIPHY",
                "Saved By The Bell Hello GIF",
            ),
            (
                "Happy Sticker by Happy Place for iOS & Android | GIPHY",
                "Happy Sticker by Happy Place for iOS & Android",
            ),
            ("GIPHY", "GIPHY"),
            (" | GIPHY", "| GIPHY"),
        ] {
            assert_eq!(without_site_name(title), want, "{title}");
        }
        assert_eq!(
            c.media,
            vec![MediaRef {
                kind: MediaKind::Image,
                url: "https://media.giphy.com/media/3o7TKBX7vWbc7Dhxcc/giphy.gif".into(),
                image_url: Some(
                    "https://media.giphy.com/media/3o7TKBX7vWbc7Dhxcc/giphy.gif".into()
                ),
                width: Some(480),
                height: Some(270),
                ..MediaRef::default()
            }]
        );
        // The same answer about another GIF says nothing about it.
        assert_eq!(
            parse(&answer(200, DOCUMENTED), "Ky9owXGyE9fQQ", EmbedKind::Gif).outcome(),
            Some(CheckOutcome::Transient)
        );
    }

    #[test]
    fn error_and_hostile_answers() {
        let cases = [
            (
                answer(
                    404,
                    r#"{"meta":{"status":404,"msg":"Not Found","response_id":"x"}}"#,
                ),
                CheckOutcome::Gone,
            ),
            (
                answer(404, "<html><title>404</title></html>"),
                CheckOutcome::Transient,
            ),
            (answer(404, ""), CheckOutcome::Transient),
            (answer(403, "{}"), CheckOutcome::Transient),
            (answer(429, ""), CheckOutcome::Transient),
            (answer(500, ""), CheckOutcome::Transient),
            (answer(200, "<html>"), CheckOutcome::Transient),
            (answer(200, "{}"), CheckOutcome::Transient),
            (
                answer(200, r#"{"title":"x","url":"javascript:alert(1)"}"#),
                CheckOutcome::Transient,
            ),
            (
                answer(
                    200,
                    r#"{"title":"x","url":"http://media.giphy.com/media/3o7TKBX7vWbc7Dhxcc/giphy.gif"}"#,
                ),
                CheckOutcome::Transient,
            ),
        ];
        for (i, (a, want)) in cases.into_iter().enumerate() {
            let got = parse(&a, "3o7TKBX7vWbc7Dhxcc", EmbedKind::Gif);
            assert_eq!(got.outcome(), Some(want), "case {i}: {got:?}");
        }
    }

    #[test]
    fn request_url_names_the_post() {
        assert_eq!(
            url("https://giphy.com/gifs/3o7TKBX7vWbc7Dhxcc").as_str(),
            "https://giphy.com/services/oembed?url=https%3A%2F%2Fgiphy.com%2Fgifs%2F3o7TKBX7vWbc7Dhxcc"
        );
    }
}
