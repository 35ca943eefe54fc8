//! Meta's Graph `instagram_oembed` endpoint: the second Instagram source, used only when an
//! access token is configured and the embed page gave no verdict.
//!
//! The token travels in the query string, so every URL this module reports is redacted. An
//! answer here never says a post is gone (Graph errors do not tell a missing post from a bad
//! token or a rate limit): it is live (when it names the post's author, caption or thumbnail) or
//! transient.

use scraper::Selector;
use url::Url;

use crate::config::Secret;
use crate::model::{MediaKind, MediaRef, PostContent, Resolution};
use crate::platforms::meta_graph;
use crate::platforms::readers::{collapse_whitespace, non_empty};
use crate::platforms::source::{Answer, SourceError, redact};
use crate::platforms::verdict::{self, Field};

/// Source name of the Graph oEmbed endpoint.
pub const SOURCE: &str = "instagram-graph-oembed";

/// What makes an answer a live post: the 2020 answers carry `author_name`, `thumbnail_url` and
/// an `html` blockquote whose footer names the author; since 2025 only the `html` is left, with
/// the footer and the caption.
const IDENTIFYING: &[Field] = &[Field::Text, Field::Author, Field::Media];

/// The request URL, in the recorded shape:
/// `https://graph.facebook.com/VERSION/instagram_oembed?access_token=TOKEN&format=json&url=POST_URL`.
pub fn url(version: &str, token: &Secret, post_url: &str) -> Result<Url, SourceError> {
    meta_graph::oembed_url(SOURCE, version, "instagram_oembed", token, post_url)
}

/// Classify one Graph oEmbed answer: live when it describes the post, transient otherwise.
pub fn parse(answer: &Answer) -> Resolution {
    let transient = |evidence: String| meta_graph::transient(SOURCE, &evidence);
    let oembed = match meta_graph::oembed_document(SOURCE, answer) {
        Ok(o) => o,
        Err(verdict) => return *verdict,
    };
    let Some(html) = non_empty(oembed.html.as_deref()) else {
        return transient(format!("answer from {SOURCE} has no html"));
    };
    let (width, height) = oembed.thumbnail_size();
    let quoted = read_blockquote(html);
    // The 2020 shape's author_name is the handle; newer answers only have the html footer.
    let handle = quoted
        .handle
        .or(oembed.author_name.filter(|a| super::is_handle(a)));
    let media = oembed
        .thumbnail_url
        .map(|url| MediaRef {
            kind: MediaKind::Image,
            image_url: Some(url.clone()),
            url,
            width,
            height,
            ..MediaRef::default()
        })
        .into_iter()
        .collect();
    let mut raw = answer.raw();
    raw.url = redact(&raw.url);
    let content = PostContent {
        source: SOURCE.to_owned(),
        author_name: quoted.name,
        author_url: handle.as_ref().map(|h| super::profile_url(h)),
        author_handle: handle,
        text: quoted.caption,
        published_at: None,
        media,
        raw: vec![raw],
        ..PostContent::default()
    };
    verdict::live(content, IDENTIFYING)
}

struct Quoted {
    name: Option<String>,
    handle: Option<String>,
    caption: Option<String>,
}

/// Footer ("A post shared by NAME (@handle)") and caption paragraphs of the oEmbed blockquote.
fn read_blockquote(html: &str) -> Quoted {
    let doc = crate::platforms::readers::parse_fragment(html);
    let mut quoted = Quoted {
        name: None,
        handle: None,
        caption: None,
    };
    let Ok(p) = Selector::parse("blockquote p") else {
        return quoted;
    };
    let mut captions = Vec::new();
    for para in doc.select(&p) {
        let text = collapse_whitespace(&para.text().collect::<String>());
        if text.is_empty() || text == "View this post on Instagram" {
            continue;
        }
        if let Some((name, handle)) = footer(&text) {
            quoted.name = Some(name);
            quoted.handle = Some(handle);
            continue;
        }
        captions.push(text);
    }
    if !captions.is_empty() {
        quoted.caption = Some(captions.join("\n"));
    }
    quoted
}

/// `NAME (@handle)` out of a footer like "A post shared by NAME (@handle) on DATE".
fn footer(text: &str) -> Option<(String, String)> {
    let rest = text.strip_prefix("A post shared by ")?;
    let open = rest.rfind(" (@")?;
    let close = open + rest[open..].find(')')?;
    let name = rest[..open].trim();
    let handle = &rest[open + 3..close];
    (super::is_handle(handle)).then(|| (name.to_owned(), handle.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CheckOutcome;
    use crate::platforms::replay::fixture_answer;

    fn sample(file: &str) -> Answer {
        fixture_answer(
            "https://graph.facebook.com/v8.0/instagram_oembed?access_token=A_FAKE_TOKEN_FOR_TESTS&format=json&url=x",
            200,
            "application/json; charset=UTF-8",
            &format!("instagram/{file}"),
        )
    }

    #[test]
    fn recorded_answers_are_live_with_author_and_thumbnail() {
        let cases = [
            ("graph-oembed-B9bOM-6Ax_d-2020.json", 640, 640, "88197155_"),
            (
                "graph-oembed-B9bOM-6Ax_d-instagr.am-2020.json",
                640,
                640,
                "88197155_",
            ),
            (
                "graph-oembed-tv-CCX-gcHArcJ-2020.json",
                480,
                746,
                "106552995_",
            ),
        ];
        for (file, w, h, image) in cases {
            let Resolution::Live(c) = parse(&sample(file)) else {
                panic!("{file}: expected live");
            };
            assert_eq!(c.source, SOURCE);
            assert_eq!(c.author_handle.as_deref(), Some("ruby_eloquent"), "{file}");
            assert_eq!(c.author_name.as_deref(), Some("Ruby on Rails"), "{file}");
            assert_eq!(
                c.author_url.as_deref(),
                Some("https://www.instagram.com/ruby_eloquent/")
            );
            // These embeds have no caption paragraph: only the two footer lines.
            assert_eq!(c.text, None, "{file}");
            assert_eq!(c.media.len(), 1);
            assert_eq!((c.media[0].width, c.media[0].height), (Some(w), Some(h)));
            assert!(c.media[0].url.contains(image), "{}", c.media[0].url);
            assert!(
                !c.raw[0].url.contains("A_FAKE_TOKEN_FOR_TESTS"),
                "{}",
                c.raw[0].url
            );
        }
    }

    #[test]
    fn caption_paragraphs_are_read() {
        let body = serde_json::json!({
            "html": "<blockquote class=\"instagram-media\"><div><a href=\"x\"><p>View this post on Instagram</p></a><p><a href=\"x\">Sunset at the pier 🌇 #evening</a></p><p>A post shared by Pier Life (@pier.life) on <time>May 1, 2019</time></p></div></blockquote>"
        });
        let answer = Answer {
            url: "https://graph.facebook.com/v24.0/instagram_oembed".into(),
            status: 200,
            content_type: None,
            body: body.to_string().into_bytes(),
        };
        let Resolution::Live(c) = parse(&answer) else {
            panic!("expected live");
        };
        assert_eq!(c.text.as_deref(), Some("Sunset at the pier 🌇 #evening"));
        assert_eq!(c.author_handle.as_deref(), Some("pier.life"));
        assert_eq!(c.author_name.as_deref(), Some("Pier Life"));
        assert!(c.media.is_empty());
    }

    #[test]
    fn errors_are_transient_and_never_show_the_token() {
        let cases = [
            (
                400,
                r#"{"error":{"message":"Invalid OAuth access_token=SECRET","type":"OAuthException","code":190}}"#,
            ),
            (404, ""),
            (429, ""),
            (500, "{}"),
            (200, "not json"),
            (200, "{}"),
        ];
        for (status, body) in cases {
            let answer = Answer {
                url: "https://graph.facebook.com/v8.0/instagram_oembed?access_token=REDACTED"
                    .into(),
                status,
                content_type: None,
                body: body.as_bytes().to_vec(),
            };
            let got = parse(&answer);
            assert_eq!(
                got.outcome(),
                Some(CheckOutcome::Transient),
                "{status} {body}"
            );
            if let Resolution::Transient { evidence, .. } = got {
                assert!(!evidence.contains("SECRET"), "{evidence}");
            }
        }
    }

    #[test]
    fn request_url_has_the_recorded_shape() {
        let secret = secret_from_file("A_FAKE_TOKEN_FOR_TESTS");
        let built = url(
            "v8.0",
            &secret,
            "https://www.instagram.com/p/B9bOM-6Ax_d/?igshid=1mn51zsvrhoiq",
        )
        .expect("valid");
        // The recorded request wrote the post URL unencoded; the parameters mean the same.
        let recorded = Url::parse(
            "https://graph.facebook.com/v8.0/instagram_oembed?access_token=A_FAKE_TOKEN_FOR_TESTS&format=json&url=https://www.instagram.com/p/B9bOM-6Ax_d/?igshid=1mn51zsvrhoiq",
        )
        .expect("recorded URL");
        assert_eq!(built.path(), recorded.path());
        assert_eq!(
            built.query_pairs().collect::<Vec<_>>(),
            recorded.query_pairs().collect::<Vec<_>>()
        );
        let app_token = secret_from_file("123|abc&x");
        assert!(
            url("v24.0", &app_token, "https://www.instagram.com/p/A/")
                .expect("valid")
                .as_str()
                .contains("access_token=123%7Cabc%26x&format=json")
        );
        for bad in ["8.0", "v8.0/../x", "v", ""] {
            let err = url(bad, &secret, "https://www.instagram.com/p/A/").expect_err(bad);
            assert!(!err.to_string().contains("A_FAKE"), "{err}");
        }
    }

    /// A `Secret` the way the config hands it out: read from a token file.
    fn secret_from_file(token: &str) -> Secret {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("token");
        std::fs::write(&path, token).expect("write token");
        let config = crate::config::PlatformConfig {
            access_token_file: Some(path),
            ..Default::default()
        };
        config
            .access_token()
            .expect("readable")
            .expect("configured")
    }
}
