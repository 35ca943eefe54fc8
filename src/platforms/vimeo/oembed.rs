//! Vimeo's public oEmbed endpoint (`vimeo.com/api/oembed.json`): title, description, uploader,
//! upload time and the poster frame of a video, without a token. Its answers go through the one
//! oEmbed reader ([`oembed_endpoint`](crate::platforms::oembed_endpoint)) with Vimeo's table:
//!
//! - 200 with the video's fields: live. A 200 that names the video (`video_id`) but none of its
//!   fields is the reduced answer Vimeo gives for videos whose owner restricts embedding to some
//!   domains: the video is there, so it is live, with only what the answer says.
//! - 404 with the endpoint's own (empty) body: gone (deleted, never existed, or hidden from
//!   anyone without its link: users of Vimeo's player report 404s from this endpoint for
//!   private and hidden videos, e.g. videojs/videojs-vimeo#141 and vimeo/player.js#334). An
//!   unlisted video is asked about with its hash (see [`super::recognise`]), so a 404 for it
//!   means the link no longer plays.
//! - 403: private or embedding restricted to other domains. The video may well be there, so it
//!   is transient, never gone.
//! - Any other status, an HTML page where JSON was expected, or JSON about another video:
//!   transient.
//!
//! The `html` field (a player iframe) is never read: everything kept comes from plain fields.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Deserialize;
use url::Url;

use crate::model::{MediaKind, MediaRef, PostContent, Resolution};
use crate::platforms::oembed_endpoint::{
    Endpoint, Read, Reader, Reading, Status, handle_from_account_page,
};
use crate::platforms::source::Answer;
use crate::platforms::verdict::{Field, OwnBody};

/// Source name of this endpoint.
pub const SOURCE: &str = "vimeo-oembed";

/// The endpoint. 410 is not Vimeo's: only its own empty 404 says a video is gone.
pub const OEMBED: Endpoint = Endpoint {
    base: "https://vimeo.com/api/oembed.json",
    extra: &[],
    reader: Reader {
        source: SOURCE,
        statuses: &[
            (404, Status::Gone),
            (
                403,
                Status::Transient("private or embedding restricted to other domains"),
            ),
        ],
        // The endpoint's own 404 for a deleted or unknown video: no body.
        own_error: &[OwnBody::Empty],
        // Full answers carry title, uploader, thumbnail and upload date.
        identifying: &[Field::Text, Field::Author, Field::Media, Field::Published],
        // Vimeo's 404 does not tell these apart (see the module comment).
        gone_means: "deleted, made private, or never existed",
    },
};

/// The request for a video page URL: `https://vimeo.com/api/oembed.json?url=URL`.
pub fn url(post_url: &str) -> Url {
    OEMBED.url(post_url)
}

/// Vimeo's additions to the oEmbed answer that [`Read`] does not carry.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct VimeoFields {
    /// `YYYY-MM-DD HH:MM:SS`, as recorded; of another type, no date.
    #[serde(deserialize_with = "crate::platforms::lenient_json::scalar")]
    upload_date: Option<String>,
    /// A number in every recorded answer; read leniently.
    video_id: Option<serde_json::Value>,
}

/// Classify one answer about video `video_id` (whose page is `post_url`).
pub fn parse(answer: &Answer, video_id: &str, post_url: &str) -> Resolution {
    OEMBED.classify(answer, Some(&format!("video {video_id}")), |read, body| {
        content(read, body, video_id, post_url)
    })
}

/// The video as the answer names it. A 200 that names the video (`video_id`) but none of its
/// fields is the reduced answer Vimeo gives for videos whose owner restricts embedding to some
/// domains: the video is there, so it is live, with only what the answer says.
fn content(read: Read, body: &[u8], video_id: &str, post_url: &str) -> Reading {
    let extra = match serde_json::from_slice::<VimeoFields>(body) {
        Ok(x) => x,
        Err(e) => {
            return Reading::NotThePost(format!(
                "unreadable answer from {SOURCE} for video {video_id}: {e}"
            ));
        }
    };
    let named = extra.video_id.as_ref().map(|v| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    if let Some(named) = &named
        && named != video_id
    {
        return Reading::NotThePost(format!(
            "answer from {SOURCE} is about video {named}, not {video_id}"
        ));
    }
    // Without a poster, the size is the player's.
    let (image_url, width, height) = match read.thumbnail {
        Some(t) => (t.image_url, t.width, t.height),
        None => (None, read.width, read.height),
    };
    let content = PostContent {
        author_name: read.author_name,
        author_handle: read
            .author_url
            .as_deref()
            .and_then(handle_from_account_page),
        author_url: read.author_url,
        title: read.title,
        text: read.description,
        published_at: extra.upload_date.as_deref().and_then(upload_time),
        media: vec![MediaRef {
            kind: MediaKind::Video,
            url: post_url.to_owned(),
            image_url,
            width,
            height,
            ..MediaRef::default()
        }],
        ..PostContent::default()
    };
    if named.as_deref() == Some(video_id) {
        // The positive sign that Vimeo knows the video, even in the reduced answer.
        Reading::NamedById(content)
    } else {
        Reading::Post(content)
    }
}

/// `2017-09-25 10:36:56`: Vimeo states no zone; it is read as UTC.
fn upload_time(text: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|d| d.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CheckOutcome;
    use crate::platforms::readers::collapse_whitespace;
    use crate::platforms::replay::fixture_answer;

    const POST: &str = "https://vimeo.com/235352744";

    fn sample(status: u16, content_type: &str, file: &str) -> Answer {
        fixture_answer(
            url(POST).as_str(),
            status,
            content_type,
            &format!("vimeo/{file}"),
        )
    }

    fn answer(status: u16, content_type: &str, body: &str) -> Answer {
        Answer {
            url: url(POST).to_string(),
            status,
            content_type: Some(content_type.to_owned()),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn full_answer_has_the_manifest_fields() {
        let answer = sample(200, "application/json", "oembed-235352744-2021.json");
        let Resolution::Live(c) = parse(&answer, "235352744", POST) else {
            panic!("expected live");
        };
        assert_eq!(c.source, SOURCE);
        assert_eq!(c.title.as_deref(), Some("Vimeo Live is here"));
        assert_eq!(
            c.text.as_deref().map(collapse_whitespace).as_deref(),
            Some("Professional live streaming is here. Learn more at vimeo.com/live")
        );
        assert_eq!(c.author_name.as_deref(), Some("Vimeo"));
        assert_eq!(
            c.author_url.as_deref(),
            Some("https://vimeo.com/vimeomarketing")
        );
        assert_eq!(c.author_handle.as_deref(), Some("vimeomarketing"));
        assert_eq!(
            c.published_at.map(|d| d.to_rfc3339()).as_deref(),
            Some("2017-09-25T10:36:56+00:00")
        );
        assert_eq!(
            c.media,
            vec![MediaRef {
                kind: MediaKind::Video,
                url: POST.into(),
                image_url: Some("https://i.vimeocdn.com/video/657162424_640.jpg".into()),
                width: Some(640),
                height: Some(360),
                ..MediaRef::default()
            }]
        );
        assert_eq!(c.raw.len(), 1);
    }

    #[test]
    fn reduced_answer_is_live_with_only_the_player_size() {
        let answer = sample(
            200,
            "application/json",
            "oembed-235352744-2024-reduced.json",
        );
        let Resolution::Live(c) = parse(&answer, "235352744", POST) else {
            panic!("expected live");
        };
        assert_eq!(c.title, None);
        assert_eq!(c.author_name, None);
        assert_eq!(c.media.len(), 1);
        assert_eq!(c.media[0].image_url, None);
        assert_eq!(
            (c.media[0].width, c.media[0].height),
            (Some(640), Some(360))
        );
        // The same reduced answer about another video says nothing about this one.
        assert_eq!(
            parse(&answer, "1", "https://vimeo.com/1").outcome(),
            Some(CheckOutcome::Transient)
        );
    }

    #[test]
    fn recorded_and_hostile_answers_classify() {
        let cases = [
            (
                sample(404, "text/html; charset=UTF-8", "oembed-100000001-404.txt"),
                CheckOutcome::Gone,
            ),
            // The video page's 404 is no oEmbed answer: an HTML page is never the endpoint's own.
            (
                sample(404, "text/html; charset=UTF-8", "page-235352744-404.html"),
                CheckOutcome::Transient,
            ),
            (
                answer(404, "text/html", "<html><body>404 Not Found</body></html>"),
                CheckOutcome::Transient,
            ),
            (answer(403, "application/json", ""), CheckOutcome::Transient),
            (answer(429, "text/plain", ""), CheckOutcome::Transient),
            (answer(503, "text/html", "<html>"), CheckOutcome::Transient),
            (answer(410, "text/plain", ""), CheckOutcome::Transient),
            (
                answer(200, "text/html", "<!doctype html><title>Vimeo</title>"),
                CheckOutcome::Transient,
            ),
            (
                answer(200, "application/json", "{}"),
                CheckOutcome::Transient,
            ),
            (
                answer(200, "application/json", "[1,2]"),
                CheckOutcome::Transient,
            ),
            (
                answer(200, "application/json", r#"{"title":"x""#),
                CheckOutcome::Transient,
            ),
            (
                answer(200, "application/json", r#"{"title":"Other","video_id":7}"#),
                CheckOutcome::Transient,
            ),
        ];
        for (i, (a, want)) in cases.into_iter().enumerate() {
            let got = parse(&a, "235352744", POST);
            assert_eq!(got.outcome(), Some(want), "case {i}: {got:?}");
        }
        let Resolution::Transient { evidence, .. } =
            parse(&answer(403, "text/html", ""), "235352744", POST)
        else {
            panic!("403 is transient");
        };
        assert!(evidence.contains("private"), "{evidence}");
    }

    #[test]
    fn html_with_script_is_never_read() {
        let body = r#"{"title":"Clip","author_name":"A","html":"<script>alert(1)</script><a href=\"javascript:alert(2)\">x</a>","video_id":235352744}"#;
        let Resolution::Live(c) = parse(&answer(200, "application/json", body), "235352744", POST)
        else {
            panic!("expected live");
        };
        assert_eq!(c.title.as_deref(), Some("Clip"));
        assert_eq!(c.text, None);
        assert_eq!(c.media[0].image_url, None);
    }

    /// Real answers of other videos and eras, each with a `.source.txt` beside it: every one
    /// is live, with its title apart from its description, its uploader, its upload time when
    /// it states one, and its poster frame (never the play-button overlay) at the poster's size.
    #[test]
    fn recorded_answers_of_every_era_have_their_fields() {
        struct Case {
            file: &'static str,
            id: &'static str,
            post: &'static str,
            title: &'static str,
            text_starts: &'static str,
            author: &'static str,
            author_url: &'static str,
            handle: &'static str,
            published: Option<&'static str>,
            image: &'static str,
            size: (u32, u32),
        }
        let cases = [
            // Unlisted: asked with its hash; the thumbnail URL has no file extension.
            Case {
                file: "oembed-680885625-unlisted-h-2022.json",
                id: "680885625",
                post: "https://vimeo.com/680885625/0cadf1a475",
                title: "Mount Rainier National Park - 2021 - Episode 01",
                text_starts: "Mount Rainier was the first national park I ever visited",
                author: "Altered Stag Productions",
                author_url: "https://vimeo.com/alteredstag",
                handle: "alteredstag",
                published: Some("2022-02-23T08:54:15+00:00"),
                image: "https://i.vimeocdn.com/video/1380153025-d3b1840ae521cd936bdaaafaef280b9c0634e729c6b09bca7767792b553a5220-d_640",
                size: (640, 360),
            },
            // 2011: `video_id` and the sizes are strings; no upload date; http links.
            Case {
                file: "oembed-21216091-2011-string-ids.json",
                id: "21216091",
                post: "https://vimeo.com/21216091",
                title: "Blinky\u{2122}",
                text_starts: "Soon every home will have a robot helper.",
                author: "Ruairi Robinson",
                author_url: "http://vimeo.com/ruairirobinson",
                handle: "ruairirobinson",
                published: None,
                image: "http://b.vimeocdn.com/ts/136/375/136375440_1280.jpg",
                size: (1280, 720),
            },
            // 2011 as ruby-oembed recorded it: no upload date, numeric `video_id`.
            Case {
                file: "oembed-31158841-2011.json",
                id: "31158841",
                post: "https://vimeo.com/31158841",
                title: "Murmuration",
                text_starts: "A chance encounter and shared moment",
                author: "Sophie Windsor Clive",
                author_url: "http://vimeo.com/user3069761",
                handle: "user3069761",
                published: None,
                image: "https://secure-b.vimeocdn.com/ts/209/801/209801744_640.jpg",
                size: (640, 512),
            },
            // 2020: the thumbnail's stated size is not the one its URL names (295x166).
            Case {
                file: "oembed-31158841-2020.json",
                id: "31158841",
                post: "https://vimeo.com/31158841",
                title: "Murmuration",
                text_starts: "A chance encounter and shared moment",
                author: "Islands & Rivers",
                author_url: "https://vimeo.com/islandsandrivers",
                handle: "islandsandrivers",
                published: Some("2011-10-26T14:43:13+00:00"),
                image: "https://i.vimeocdn.com/video/448600816_295x166.jpg",
                size: (295, 221),
            },
        ];
        for case in cases {
            let file = case.file;
            let answer = fixture_answer(
                url(case.post).as_str(),
                200,
                "application/json",
                &format!("vimeo/{file}"),
            );
            let got = parse(&answer, case.id, case.post);
            let Resolution::Live(c) = got else {
                panic!("{file}: expected live, got {got:?}");
            };
            assert_eq!(c.source, SOURCE, "{file}");
            assert_eq!(c.title.as_deref(), Some(case.title), "{file}");
            let text = c.text.as_deref().unwrap_or_default();
            assert!(text.starts_with(case.text_starts), "{file}: {text:?}");
            assert_ne!(c.text, c.title, "{file}");
            assert_eq!(c.author_name.as_deref(), Some(case.author), "{file}");
            assert_eq!(c.author_url.as_deref(), Some(case.author_url), "{file}");
            assert_eq!(c.author_handle.as_deref(), Some(case.handle), "{file}");
            assert_eq!(
                c.published_at.map(|d| d.to_rfc3339()).as_deref(),
                case.published,
                "{file}"
            );
            assert_eq!(
                c.media,
                vec![MediaRef {
                    kind: MediaKind::Video,
                    url: case.post.to_owned(),
                    image_url: Some(case.image.to_owned()),
                    width: Some(case.size.0),
                    height: Some(case.size.1),
                    ..MediaRef::default()
                }],
                "{file}"
            );
            assert_eq!(c.raw.len(), 1, "{file}");
            // The same answer about another video says nothing about this one, whether it names
            // its video by number or by string.
            let other = parse(&answer, "1", "https://vimeo.com/1");
            assert_eq!(other.outcome(), Some(CheckOutcome::Transient), "{file}");
        }
    }

    #[test]
    fn gone_evidence_names_the_video_and_what_a_404_means() {
        let got = parse(
            &sample(404, "text/html; charset=UTF-8", "oembed-100000001-404.txt"),
            "100000001",
            "https://vimeo.com/100000001",
        );
        let Resolution::Gone { source, evidence } = got else {
            panic!("expected gone, got {got:?}");
        };
        assert_eq!(source, SOURCE);
        assert!(evidence.contains("HTTP 404"), "{evidence}");
        assert!(evidence.contains("video 100000001"), "{evidence}");
        assert!(evidence.contains("made private"), "{evidence}");
    }

    #[test]
    fn an_unlisted_video_is_asked_about_with_its_hash() {
        let recognised = super::super::recognise(
            &Url::parse("https://player.vimeo.com/video/680885625?h=0cadf1a475&app_id=122963")
                .expect("test URL"),
        )
        .expect("recognised");
        assert_eq!(
            url(&recognised.canonical_url).as_str(),
            "https://vimeo.com/api/oembed.json?url=https%3A%2F%2Fvimeo.com%2F680885625%2F0cadf1a475"
        );
    }

    #[test]
    fn request_url_has_the_recorded_shape() {
        assert_eq!(
            url(POST).as_str(),
            "https://vimeo.com/api/oembed.json?url=https%3A%2F%2Fvimeo.com%2F235352744"
        );
    }
}
