//! The verdict on a generic provider's oEmbed answer, from a registry endpoint (`oembed`) or from
//! an endpoint a page announced (`oembed-discovery`).
//!
//! - 200 with a JSON object naming the item (title or description, author, picture): live. The
//!   fields are taken one by one; the answer's `html` is never read as text (it is the provider's
//!   embed code, often a script), only kept with the raw answer.
//! - 404 or 410 in the endpoint's own body (empty, a bare "Not Found", a JSON error object): the
//!   provider has no such item, gone. The same status with an HTML page is from something in
//!   front of the endpoint: transient.
//! - 401 and 403: transient. oEmbed reads 401 as "private", but for a provider we know nothing
//!   else about it as often means the endpoint wants a key; either way it is no proof that the
//!   item is gone.
//! - An HTML page or malformed JSON where the answer should be: transient.
//!
//! The answer goes through the one oEmbed reader
//! ([`oembed_endpoint`](crate::platforms::oembed_endpoint)) with the table above; what is made
//! of a 200 is below.

use crate::model::{MediaKind, MediaRef, PostContent, Resolution};
use crate::platforms::oembed_endpoint::{Read, Reader, Status};
use crate::platforms::source::Answer;
use crate::platforms::verdict::{Field, OwnBody};

/// Source name of a registry provider's endpoint.
pub const SOURCE: &str = "oembed";
/// Source name of an endpoint found through a page's discovery link.
pub const DISCOVERED: &str = "oembed-discovery";

/// How a provider's answers are read, whichever way its endpoint was found.
const PROVIDER: Reader = Reader {
    source: SOURCE,
    statuses: &[
        (404, Status::Gone),
        (410, Status::Gone),
        (
            401,
            Status::Transient("private, or the endpoint wants a key; no proof the item is gone"),
        ),
        (
            403,
            Status::Transient("private, or the endpoint wants a key; no proof the item is gone"),
        ),
    ],
    // The shapes of an endpoint's own "no such item" answer.
    own_error: &[
        OwnBody::Empty,
        OwnBody::Phrase("Not Found"),
        OwnBody::Phrase("404 Not Found"),
        OwnBody::Phrase("Gone"),
        OwnBody::JsonWith(&["error"]),
        OwnBody::JsonWith(&["message"]),
    ],
    // Its title or description, its author, or its picture.
    identifying: &[Field::Text, Field::Author, Field::Media],
    gone_means: "the provider has no such item",
};

/// Classify one answer of `source` ([`SOURCE`] or [`DISCOVERED`]) about the item at
/// `post_url`.
pub fn classify(source: &'static str, answer: &Answer, post_url: &str) -> Resolution {
    Reader { source, ..PROVIDER }.classify(answer, None, |read, _| content(read, post_url))
}

/// The post as the answer describes it: a photo's image, a video's poster, or else the
/// thumbnail.
fn content(read: Read, post_url: &str) -> PostContent {
    let media = match (read.kind.as_deref(), read.url) {
        (Some("photo"), Some(image)) => Some(MediaRef {
            kind: MediaKind::Image,
            url: image.clone(),
            image_url: Some(image),
            width: read.width,
            height: read.height,
            ..MediaRef::default()
        }),
        (Some("video"), _) => read.thumbnail.map(|poster| MediaRef {
            kind: MediaKind::Video,
            url: post_url.to_owned(),
            ..poster
        }),
        _ => read.thumbnail,
    };
    PostContent {
        author_name: read.author_name,
        author_url: read.author_url,
        title: read.title,
        text: read.description,
        media: media.into_iter().collect(),
        ..PostContent::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CheckOutcome;
    use crate::platforms::replay::fixture_answer;

    const CSS_TRICKS: &str = "https://css-tricks.com/css-scrollbar-with-progress-meter/";

    fn answer(status: u16, content_type: &str, body: &str) -> Answer {
        Answer {
            url: "https://provider.example/oembed?url=x&format=json".into(),
            status,
            content_type: Some(content_type.into()),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn wordpress_answer_is_read_field_by_field() {
        let a = fixture_answer(
            "https://css-tricks.com/wp-json/oembed/1.0/embed?url=https%3A%2F%2Fcss-tricks.com%2Fcss-scrollbar-with-progress-meter%2F",
            200,
            "application/json; charset=UTF-8",
            "generic/css-tricks-wp-oembed.json",
        );
        let Resolution::Live(c) = classify(DISCOVERED, &a, CSS_TRICKS) else {
            panic!("expected live");
        };
        assert_eq!(c.source, "oembed-discovery");
        assert_eq!(c.author_name.as_deref(), Some("Chris Coyier"));
        assert_eq!(
            c.author_url.as_deref(),
            Some("https://css-tricks.com/author/chriscoyier/")
        );
        assert_eq!(
            c.title.as_deref(),
            Some("CSS Scrollbar With Progress Meter | CSS-Tricks")
        );
        assert!(
            c.text
                .as_deref()
                .is_some_and(|t| t.starts_with("Scrollbars are natural progress meters."))
        );
        assert_eq!(c.media.len(), 1);
        let m = &c.media[0];
        assert_eq!(
            m.image_url.as_deref(),
            Some("https://css-tricks.com/wp-content/uploads/2020/04/scrollbar-progress.png")
        );
        assert_eq!((m.width, m.height), (Some(1200), Some(600)));
        // The embed code holds a script: none of it reaches a field.
        for field in [&c.title, &c.text, &c.author_name] {
            assert!(field.as_deref().is_some_and(|f| !f.contains("<script")));
        }
        assert_eq!(c.raw.len(), 1);
    }

    #[test]
    fn an_answer_that_is_only_a_script_names_nothing() {
        // Politico's recorded answer: its html is a script tag and nothing else.
        let a = fixture_answer(
            "https://www.politico.com/story/x?_embed=true&_format=oembed",
            200,
            "application/json+oembed;charset=UTF-8",
            "generic/politico-101314-oembed.json",
        );
        let verdict = classify(DISCOVERED, &a, "https://www.politico.com/story/x");
        let Resolution::Transient { evidence, .. } = verdict else {
            panic!("expected transient, got {verdict:?}");
        };
        assert!(
            evidence.contains("names none of the post's fields"),
            "{evidence}"
        );
    }

    #[test]
    fn hostile_html_and_links_never_become_text_or_media() {
        let body = r#"{"type":"rich","title":"A chart","author_url":"javascript:alert(1)",
            "thumbnail_url":"data:image/png;base64,AAAA",
            "html":"<script>alert(1)</script><a href=\"javascript:alert(2)\">x</a>"}"#;
        let Resolution::Live(c) = classify(
            SOURCE,
            &answer(200, "application/json", body),
            "https://p.example/1",
        ) else {
            panic!("expected live");
        };
        assert_eq!(c.title.as_deref(), Some("A chart"));
        assert_eq!(c.text, None);
        assert_eq!(c.author_url, None);
        assert!(c.media.is_empty());
    }

    #[test]
    fn photo_and_video_answers_name_their_pictures() {
        let photo = r#"{"type":"photo","url":"https://img.example/1.jpg","width":"640","height":480,"author_name":"A"}"#;
        let Resolution::Live(c) = classify(
            SOURCE,
            &answer(200, "application/json", photo),
            "https://p.example/1",
        ) else {
            panic!("photo");
        };
        assert_eq!(c.media[0].kind, MediaKind::Image);
        assert_eq!(c.media[0].url, "https://img.example/1.jpg");
        assert_eq!(
            (c.media[0].width, c.media[0].height),
            (Some(640), Some(480))
        );
        let video = r#"{"type":"video","title":"T","thumbnail_url":"https://img.example/p.jpg","thumbnail_width":320,"thumbnail_height":180}"#;
        let Resolution::Live(c) = classify(
            SOURCE,
            &answer(200, "application/json", video),
            "https://p.example/v",
        ) else {
            panic!("video");
        };
        assert_eq!(c.media[0].kind, MediaKind::Video);
        assert_eq!(c.media[0].url, "https://p.example/v");
        assert_eq!(
            c.media[0].image_url.as_deref(),
            Some("https://img.example/p.jpg")
        );
    }

    #[test]
    fn statuses_and_bodies() {
        let cases = [
            (404, "text/plain", "Not Found", CheckOutcome::Gone),
            (404, "text/plain", "", CheckOutcome::Gone),
            (
                410,
                "application/json",
                r#"{"error":"deleted"}"#,
                CheckOutcome::Gone,
            ),
            // An edge's error page in front of the endpoint.
            (
                404,
                "text/html",
                "<html><body><h1>404 Not Found</h1>nginx</body></html>",
                CheckOutcome::Transient,
            ),
            (401, "text/plain", "Unauthorized", CheckOutcome::Transient),
            (
                403,
                "application/json",
                r#"{"error":"forbidden"}"#,
                CheckOutcome::Transient,
            ),
            (
                400,
                "application/json",
                r#"{"error":"bad url"}"#,
                CheckOutcome::Transient,
            ),
            (
                200,
                "text/html",
                "<!doctype html><title>Login</title>",
                CheckOutcome::Transient,
            ),
            (
                200,
                "application/json",
                "{\"title\": \"cut",
                CheckOutcome::Transient,
            ),
            (200, "application/json", "[]", CheckOutcome::Transient),
            (200, "application/json", "{}", CheckOutcome::Transient),
        ];
        for (status, ct, body, want) in cases {
            assert_eq!(
                classify(SOURCE, &answer(status, ct, body), "https://p.example/1").outcome(),
                Some(want),
                "{status} {body}"
            );
        }
    }
}
