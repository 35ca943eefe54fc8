//! `verdict` holds the two rules every source classifier applies before it calls a post live or
//! gone, so that no platform can drift from them:
//!
//! - **A live verdict needs the post.** An answer is live only when it names at least one field
//!   that identifies the post, out of those the source's real answers always carry (text or
//!   title, author, media, publication time). An answer without any (arbitrary JSON, `{}`, `[]`,
//!   an empty page from an embed endpoint) is transient, with evidence naming the source and
//!   what was missing. Fields a resolver derives from the post id (YouTube's default thumbnail,
//!   the post URL as a media URL) or copies from the article's markup never count: each source
//!   lists only the fields it reads from the answer itself, and markup is filled in afterwards.
//! - **An error status is the source's verdict only when the body is the source's.** A 404 (or
//!   any status a source reads as gone) counts only when its body has the shape of that source's
//!   own error answer ([`OwnBody`]). An HTML page from an edge, a proxy or a CDN, or JSON that is
//!   not the source's error object, answered where the source's API would answer, is transient.
//!
//! Every source classifier reads the [`Answer`] of the one fetch path
//! ([`Fetch`](super::source::Fetch)). It fetches nothing, and it never turns a verdict into gone:
//! it only refuses to let an answer that is not the post, or not the source, say live or gone.

use crate::model::{PostContent, Resolution};
use crate::platforms::readers::snippet;
use crate::platforms::source::Answer;

/// A field of a post whose presence in an answer identifies the post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `text` or `title`: the caption, the post body, or the title of a video, track or episode.
    Text,
    /// Any of `author_name`, `author_handle`, `author_url`.
    Author,
    /// A media item with a picture URL (`image_url`: the image itself or a video's poster).
    Media,
    /// `published_at`.
    Published,
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Field::Text => "text or title",
            Field::Author => "author",
            Field::Media => "media",
            Field::Published => "publication time",
        }
    }

    fn present(self, content: &PostContent) -> bool {
        let filled = |s: &Option<String>| s.as_deref().is_some_and(|s| !s.trim().is_empty());
        match self {
            Field::Text => filled(&content.text) || filled(&content.title),
            Field::Author => {
                filled(&content.author_name)
                    || filled(&content.author_handle)
                    || filled(&content.author_url)
            }
            Field::Media => content.media.iter().any(|m| filled(&m.image_url)),
            Field::Published => content.published_at.is_some(),
        }
    }
}

/// Live when `content` has at least one of the `identifying` fields; otherwise transient, with
/// evidence naming the source, the fields it looked for and the start of the answer's body.
pub fn live(content: PostContent, identifying: &[Field]) -> Resolution {
    if identifying.iter().any(|f| f.present(&content)) {
        return Resolution::Live(content);
    }
    let wanted: Vec<&str> = identifying.iter().map(|f| f.name()).collect();
    let body = content
        .raw
        .first()
        .map(|r| body_excerpt(&r.bytes))
        .unwrap_or_else(|| "(no body kept)".to_owned());
    Resolution::Transient {
        evidence: format!(
            "answer from {} names none of the post's fields (wanted {}): {body}",
            content.source,
            wanted.join(", or ")
        ),
        source: content.source,
    }
}

/// The shape of a source's own error answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnBody {
    /// No body (whitespace aside).
    Empty,
    /// Exactly this short plain-text phrase (whitespace around it aside), e.g. "Not Found".
    Phrase(&'static str),
    /// A JSON object that has every one of these keys, e.g. `{"code": …, "message": …}`.
    JsonWith(&'static [&'static str]),
    /// A page that holds one of these phrases (byte for byte) in its first [`HOLDS_WITHIN`]
    /// bytes: a site's own "not here" notice inside its full page, e.g. Bandcamp's
    /// "Sorry, that something isn’t here". The phrase must be one only the site's own page
    /// carries, never a status line an edge's page would also show ("404 Not Found").
    Holds(&'static [&'static [u8]]),
}

/// How far into a body [`OwnBody::Holds`] looks: a notice sits near the top of its page, and a
/// body at the HTTP cap (10 MiB by default) is not searched whole for every phrase.
pub const HOLDS_WITHIN: usize = 4 * 1024 * 1024;

impl OwnBody {
    fn matches(self, body: &[u8]) -> bool {
        match self {
            OwnBody::Empty => body.trim_ascii().is_empty(),
            OwnBody::Phrase(phrase) => body.trim_ascii() == phrase.as_bytes(),
            OwnBody::JsonWith(keys) => match serde_json::from_slice::<serde_json::Value>(body) {
                Ok(serde_json::Value::Object(object)) => {
                    keys.iter().all(|k| object.contains_key(*k))
                }
                _ => false,
            },
            OwnBody::Holds(phrases) => {
                let head = &body[..body.len().min(HOLDS_WITHIN)];
                phrases
                    .iter()
                    .any(|p| !p.is_empty() && memchr::memmem::find(head, p).is_some())
            }
        }
    }
}

/// Whether the answer's body has one of the shapes of the source's own error answers.
pub fn is_own_answer(answer: &Answer, shapes: &[OwnBody]) -> bool {
    shapes.iter().any(|s| s.matches(&answer.body))
}

/// Gone with `evidence` when the answer's body is the source's own (one of `shapes`); otherwise
/// transient with [`not_own_answer`] as evidence.
pub fn gone_if_own_answer(
    source: &str,
    answer: &Answer,
    shapes: &[OwnBody],
    evidence: impl FnOnce() -> String,
) -> Resolution {
    if is_own_answer(answer, shapes) {
        Resolution::Gone {
            source: source.to_owned(),
            evidence: evidence(),
        }
    } else {
        Resolution::Transient {
            source: source.to_owned(),
            evidence: not_own_answer(source, answer),
        }
    }
}

/// The evidence of an error status whose body is not the source's own answer: "HTTP 404 but the
/// body is not youtube-oembed's own answer (content-type text/html): <html>…".
pub fn not_own_answer(source: &str, answer: &Answer) -> String {
    format!(
        "HTTP {} but the body is not {source}'s own answer (content-type {}): {}",
        answer.status,
        answer.content_type.as_deref().unwrap_or("none"),
        body_excerpt(&answer.body)
    )
}

fn body_excerpt(body: &[u8]) -> String {
    let excerpt = snippet(body);
    if excerpt.is_empty() {
        "(empty body)".to_owned()
    } else {
        excerpt
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{MediaKind, MediaRef, RawBody};

    fn answer(status: u16, content_type: Option<&str>, body: &str) -> Answer {
        Answer {
            url: "https://example.com/api".into(),
            status,
            content_type: content_type.map(str::to_owned),
            body: body.as_bytes().to_vec(),
        }
    }

    fn content(body: &str) -> PostContent {
        PostContent {
            source: "some-source".into(),
            raw: vec![RawBody {
                url: "https://example.com/api".into(),
                content_type: Some("application/json".into()),
                bytes: body.as_bytes().to_vec(),
            }],
            ..PostContent::default()
        }
    }

    #[test]
    fn each_field_counts_only_when_filled() {
        let all = [Field::Text, Field::Author, Field::Media, Field::Published];
        let media = |image_url: Option<&str>| MediaRef {
            kind: MediaKind::Video,
            url: "https://example.com/post".into(),
            image_url: image_url.map(str::to_owned),
            width: None,
            height: None,
            ..MediaRef::default()
        };
        let filled: [(&str, PostContent, Option<Field>); 10] = [
            ("nothing", content("{}"), None),
            (
                "blank text",
                PostContent {
                    text: Some(" \n".into()),
                    ..content("{}")
                },
                None,
            ),
            (
                "text",
                PostContent {
                    text: Some("t".into()),
                    ..content("{}")
                },
                Some(Field::Text),
            ),
            (
                "title",
                PostContent {
                    title: Some("t".into()),
                    ..content("{}")
                },
                Some(Field::Text),
            ),
            (
                "author name",
                PostContent {
                    author_name: Some("n".into()),
                    ..content("{}")
                },
                Some(Field::Author),
            ),
            (
                "author handle",
                PostContent {
                    author_handle: Some("h".into()),
                    ..content("{}")
                },
                Some(Field::Author),
            ),
            (
                "author url",
                PostContent {
                    author_url: Some("https://example.com/u".into()),
                    ..content("{}")
                },
                Some(Field::Author),
            ),
            (
                "media without a picture (the post's own URL)",
                PostContent {
                    media: vec![media(None)],
                    ..content("{}")
                },
                None,
            ),
            (
                "media with a picture",
                PostContent {
                    media: vec![media(Some("https://example.com/a.jpg"))],
                    ..content("{}")
                },
                Some(Field::Media),
            ),
            (
                "publication time",
                PostContent {
                    published_at: chrono::DateTime::from_timestamp(1, 0),
                    ..content("{}")
                },
                Some(Field::Published),
            ),
        ];
        for (what, c, want) in filled {
            let present: Vec<Field> = all.into_iter().filter(|f| f.present(&c)).collect();
            assert_eq!(present, want.into_iter().collect::<Vec<_>>(), "{what}");
        }
    }

    #[test]
    fn live_needs_one_of_the_sources_identifying_fields() {
        let with_text = PostContent {
            text: Some("t".into()),
            ..content("{}")
        };
        assert!(matches!(
            live(with_text.clone(), &[Field::Text]),
            Resolution::Live(_)
        ));
        // The field is there, but the source does not count it.
        let verdict = live(with_text, &[Field::Author]);
        assert!(matches!(verdict, Resolution::Transient { .. }));
        // Hostile body: a JSON object about nothing.
        let verdict = live(
            content(r#"{"hello":"world"}"#),
            &[Field::Text, Field::Author],
        );
        assert_eq!(
            verdict,
            Resolution::Transient {
                source: "some-source".into(),
                evidence: r#"answer from some-source names none of the post's fields (wanted text or title, or author): {"hello":"world"}"#.into(),
            }
        );
        let verdict = live(content(""), &[Field::Media]);
        let Resolution::Transient { evidence, .. } = verdict else {
            panic!("expected transient");
        };
        assert!(
            evidence.ends_with("(wanted media): (empty body)"),
            "{evidence}"
        );
    }

    #[test]
    fn own_answer_shapes() {
        let not_found = [OwnBody::Phrase("Not Found")];
        let empty = [OwnBody::Empty];
        let tiktok = [OwnBody::JsonWith(&["code", "message"])];
        // (shapes, body, own)
        let cases: [(&[OwnBody], &str, bool); 14] = [
            (&not_found, "Not Found", true),
            (&not_found, "Not Found\n", true),
            (&not_found, "Not found, sorry", false),
            // Hostile: an nginx 404 page mentions the phrase but is not it.
            (
                &not_found,
                "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>",
                false,
            ),
            (&empty, "", true),
            (&empty, " \r\n", true),
            (&empty, "<html></html>", false),
            (&empty, "{}", false),
            (
                &tiktok,
                r#"{"code":400,"message":"Something went wrong","data":{}}"#,
                true,
            ),
            (&tiktok, r#"{"code":400}"#, false),
            (&tiktok, r#"{"hello":"world"}"#, false),
            (&tiktok, r#"[{"code":400,"message":"x"}]"#, false),
            (&tiktok, "<html>code message</html>", false),
            (&[], "", false),
        ];
        for (shapes, body, own) in cases {
            assert_eq!(
                is_own_answer(&answer(404, None, body), shapes),
                own,
                "{shapes:?} {body:?}"
            );
        }
    }

    #[test]
    fn gone_only_on_the_sources_own_body() {
        let shapes = [OwnBody::Phrase("Not Found")];
        let own = answer(404, Some("text/html; charset=utf-8"), "Not Found");
        assert_eq!(
            gone_if_own_answer("youtube-oembed", &own, &shapes, || "oEmbed HTTP 404".into()),
            Resolution::Gone {
                source: "youtube-oembed".into(),
                evidence: "oEmbed HTTP 404".into()
            }
        );
        // Hostile: a CDN error page in front of the API.
        let edge = answer(
            404,
            Some("text/html"),
            "<html><body><h1>404 Not Found</h1><p>cloudfront</p></body></html>",
        );
        assert_eq!(
            gone_if_own_answer("youtube-oembed", &edge, &shapes, || unreachable!()),
            Resolution::Transient {
                source: "youtube-oembed".into(),
                evidence: "HTTP 404 but the body is not youtube-oembed's own answer (content-type text/html): <html><body><h1>404 Not Found</h1><p>cloudfront</p></body></html>".into()
            }
        );
        let bare = answer(404, None, "");
        assert_eq!(
            not_own_answer("tiktok-oembed", &bare),
            "HTTP 404 but the body is not tiktok-oembed's own answer (content-type none): (empty body)"
        );
    }
}
