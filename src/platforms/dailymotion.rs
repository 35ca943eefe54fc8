//! dailymotion: URL recognition and the resolver, which reads a video from Dailymotion's public
//! oEmbed endpoint (`www.dailymotion.com/services/oembed`).
//!
//! Claims videos on `www.dailymotion.com` (`/video/ID[_slug]`, `/embed/video/ID`,
//! `/swf/video/ID`), `dai.ly/ID`, the player `geo.dailymotion.com/player[/P].html?video=ID`, and
//! playlists (`/playlist/ID`). Video ids are 5 to 12 letters and digits (`x130bpf`); a private
//! video's id, in its private link, is longer (`k2FvrKaizE7unQfIglh`, 19 characters, as users
//! report them in ytdl-org/youtube-dl#26076 and #8199), so up to 24 are taken.
//!
//! Classification:
//! - 200 with the video's title, uploader or thumbnail: live. The answer has no date.
//! - 404 with the endpoint's own answer (no body, or Dailymotion's documented JSON error object
//!   `{"error": {...}}`): gone. No 404 of this endpoint was recorded: the shapes follow the
//!   documented API error format.
//! - 403 (private, password-protected or geo-blocked video): transient, never gone.
//! - Anything else (rate limits, server errors, HTML pages where JSON was expected, JSON about
//!   nothing): transient.
//!
//! The `html` field (a player iframe) is never read: everything kept comes from plain fields.

use std::future::Future;
use std::pin::Pin;

use url::Url;

use crate::model::{
    EmbedKind, EmbedRef, MediaKind, MediaRef, Platform, PostContent, Recognised, Resolution,
};
use crate::platforms::ResolveContext;
use crate::platforms::oembed_endpoint::{Endpoint, Read, Reader, Status, handle_from_account_page};
use crate::platforms::source::{Answer, Fetch, SourceError};
use crate::platforms::url_util::{host_is_or_www, is_token, query_value, segments, web_host};
use crate::platforms::verdict::{Field, OwnBody};

/// Source name of the oEmbed endpoint.
pub const SOURCE: &str = "dailymotion-oembed";

/// The oEmbed endpoint, asked about a video by its canonical URL as the recorded request is.
pub const OEMBED: Endpoint = Endpoint {
    base: "https://www.dailymotion.com/services/oembed",
    extra: &[("format", "json")],
    reader: Reader {
        source: SOURCE,
        statuses: &[
            (404, Status::Gone),
            // HTTP's own word for a removed resource.
            (410, Status::Gone),
            (
                403,
                Status::Transient("private, password-protected or geo-blocked"),
            ),
        ],
        // No body, or the API's JSON error object.
        own_error: &[OwnBody::Empty, OwnBody::JsonWith(&["error"])],
        // Every recorded answer carries `title`, `author_name`, `author_url` and
        // `thumbnail_url`.
        identifying: &[Field::Text, Field::Author, Field::Media],
        gone_means: "deleted or never existed",
    },
};

/// Claim Dailymotion video and playlist URLs. The post id is the bare video id; the canonical
/// URL is `https://www.dailymotion.com/video/ID`.
pub fn recognise(url: &Url) -> Option<Recognised> {
    let host = web_host(url)?;
    let segs = segments(url);
    let segs: Vec<&str> = segs.iter().map(|s| s.as_ref()).collect();
    if host_is_or_www(host, "dai.ly") {
        return match segs.as_slice() {
            [id] => video(id),
            _ => None,
        };
    }
    if host == "geo.dailymotion.com" {
        return match segs.first() {
            Some(first) if first.starts_with("player") => video(&query_value(url, "video")?),
            _ => None,
        };
    }
    if !(host_is_or_www(host, "dailymotion.com") || host == "touch.dailymotion.com") {
        return None;
    }
    match segs.as_slice() {
        ["video", id] | ["embed", "video", id] | ["swf", "video", id] | ["swf", id] => video(id),
        ["playlist", id] if is_id(id) => Some(Recognised {
            platform: Platform::Dailymotion,
            kind: EmbedKind::Playlist,
            post_id: None,
            canonical_url: format!("https://www.dailymotion.com/playlist/{id}"),
        }),
        _ => None,
    }
}

fn is_id(s: &str) -> bool {
    is_token(s, 5, 24, |c| c.is_ascii_alphanumeric())
}

fn video(raw: &str) -> Option<Recognised> {
    // Old links append `_title-slug` to the id.
    let id = raw.split('_').next().unwrap_or(raw);
    is_id(id).then(|| Recognised {
        platform: Platform::Dailymotion,
        kind: EmbedKind::Video,
        post_id: Some(id.to_owned()),
        canonical_url: format!("https://www.dailymotion.com/video/{id}"),
    })
}

/// The page of a bare video id kept by a publisher's player (tarteaucitron.js's consent
/// placeholder `div.dailymotion_player[videoID="x7tgad0"]`). Only the shape of today's ids: `x`
/// and lowercase letters and digits, at least one digit, so that a word such as `xbox` in an
/// attribute of an element named for Dailymotion is no video.
fn id_url(id: &str) -> Option<Url> {
    let rest = id.strip_prefix('x')?;
    let ok = (4..=10).contains(&rest.len())
        && rest
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && rest.bytes().any(|b| b.is_ascii_digit());
    ok.then(|| Url::parse(&format!("https://www.dailymotion.com/video/{id}")).ok())
        .flatten()
}

/// What Dailymotion's embeds look like in an article beyond its player iframes (which the
/// recogniser claims by their address): `amp-dailymotion`, the Player Embed Script, and
/// publisher elements named for Dailymotion that keep a video id.
pub static MARKUP: crate::platforms::markup::Markup = crate::platforms::markup::Markup {
    naming: Some(crate::platforms::markup::Naming {
        platform: Platform::Dailymotion,
        words: &["dailymotion"],
        id_attrs: &[],
        word_id_attrs: &[],
        spellings: &[],
        id_url: Some(id_url),
        handle: None,
    }),
    amp: &[crate::platforms::markup::ElementForm {
        marker: crate::platforms::markup::Marker::Tag("amp-dailymotion"),
        read: read_amp,
    }],
    scripts: &[crate::platforms::markup::ElementForm {
        marker: crate::platforms::markup::Marker::Attr("data-video"),
        read: read_script,
    }],
    ..crate::platforms::markup::Markup::NONE
};

/// Dailymotion's Player Embed Script, its recommended embed code:
/// `<script src="https://geo.dailymotion.com/player/PLAYER.js" data-video="x84sh87"></script>`
/// loads the player where the script stands. Only a script served from Dailymotion's player
/// host counts: `data-video` on any other script is somebody else's.
fn read_script(
    el: scraper::ElementRef<'_>,
    base: &Url,
) -> Option<crate::platforms::markup::Candidate> {
    let src = crate::platforms::markup::attr_url(el, base, "src")?;
    let player = src.host_str() == Some("geo.dailymotion.com")
        && src.path().starts_with("/player/")
        && src.path().ends_with(".js");
    if !player {
        return None;
    }
    let url = crate::platforms::markup::amp_id_url(
        el,
        "data-video",
        "https://www.dailymotion.com/video/{}",
    )?;
    crate::platforms::markup::Candidate::new(vec![url], "script[data-video]")
}

fn read_amp(
    el: scraper::ElementRef<'_>,
    _base: &Url,
) -> Option<crate::platforms::markup::Candidate> {
    crate::platforms::markup::amp_id_candidate(
        el,
        "data-videoid",
        "https://www.dailymotion.com/video/{}",
    )
}

/// The oEmbed request for a video: `…/services/oembed?url=https://www.dailymotion.com/video/ID&format=json`,
/// the shape of the recorded request.
pub fn oembed_url(video_id: &str) -> Url {
    OEMBED.url(&video_url(video_id))
}

fn video_url(video_id: &str) -> String {
    format!("https://www.dailymotion.com/video/{video_id}")
}

/// Classify one oEmbed answer about video `video_id`.
pub fn parse(answer: &Answer, video_id: &str) -> Resolution {
    OEMBED.classify(answer, Some(&format!("video {video_id}")), |read, _body| {
        content(read, video_id)
    })
}

/// The video as the answer names it; the answer has no date.
fn content(read: Read, video_id: &str) -> PostContent {
    let thumbnail = read.thumbnail.unwrap_or_default();
    PostContent {
        author_name: read.author_name,
        author_handle: read.author_url.as_deref().and_then(handle_from_url),
        author_url: read.author_url,
        title: read.title,
        text: read.description,
        media: vec![MediaRef {
            kind: MediaKind::Video,
            url: video_url(video_id),
            image_url: thumbnail.image_url,
            width: thumbnail.width,
            height: thumbnail.height,
            ..MediaRef::default()
        }],
        ..PostContent::default()
    }
}

/// The account name in `https://www.dailymotion.com/NAME`, on Dailymotion's own host only.
fn handle_from_url(author_url: &str) -> Option<String> {
    let url = Url::parse(author_url).ok()?;
    host_is_or_www(web_host(&url)?, "dailymotion.com")
        .then(|| handle_from_account_page(author_url))
        .flatten()
}

/// Resolve one Dailymotion video from oEmbed, against any fetcher.
pub(crate) async fn resolve_with<F: Fetch>(fetcher: &F, embed: &EmbedRef) -> Resolution {
    let Some(video_id) = embed.post_id.as_deref().filter(|id| is_id(id)) else {
        return SourceError::BadPostId {
            source_name: SOURCE.to_owned(),
            post_id: embed
                .post_id
                .clone()
                .unwrap_or_else(|| embed.post_url.clone()),
            reason: "not a Dailymotion video id".to_owned(),
        }
        .into_transient();
    };
    match fetcher.fetch(SOURCE, &oembed_url(video_id)).await {
        Ok(answer) => parse(&answer, video_id),
        Err(e) => e.into_transient(),
    }
}

/// The Dailymotion module of the registry.
#[derive(Debug)]
pub struct Dailymotion;

impl crate::platforms::PlatformModule for Dailymotion {
    fn platform(&self) -> Platform {
        Platform::Dailymotion
    }

    fn recognise(&self, url: &Url) -> Option<Recognised> {
        recognise(url)
    }

    fn markup(&self) -> &'static crate::platforms::markup::Markup {
        &MARKUP
    }

    fn sources(&self) -> &'static [&'static str] {
        &[SOURCE]
    }

    fn resolve<'a>(
        &'a self,
        ctx: &'a ResolveContext<'a>,
        embed: &'a EmbedRef,
    ) -> Pin<Box<dyn Future<Output = Resolution> + Send + 'a>> {
        Box::pin(resolve_with(ctx.http, embed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CheckOutcome, Location};
    use crate::platforms::replay::fixture_answer;

    fn rec(u: &str) -> Option<Recognised> {
        recognise(&Url::parse(u).expect("test URL"))
    }

    #[test]
    fn videos_in_every_form() {
        let cases = [
            ("https://www.dailymotion.com/video/x130bpf", "x130bpf"),
            (
                "https://www.dailymotion.com/embed/video/x2oikl3?autoplay=1",
                "x2oikl3",
            ),
            ("http://www.dailymotion.com/swf/video/x2p552m", "x2p552m"),
            (
                "https://www.dailymotion.com/video/x67iqc9_some-title_news",
                "x67iqc9",
            ),
            ("https://dai.ly/x67iqc9", "x67iqc9"),
            (
                "https://geo.dailymotion.com/player/xabc1.html?video=x67iqc9",
                "x67iqc9",
            ),
            (
                "https://geo.dailymotion.com/player.html?video=xy0wd&",
                "xy0wd",
            ),
            ("https://touch.dailymotion.com/video/xy0wd", "xy0wd"),
            // Private videos' links, as users report them (ytdl-org/youtube-dl#26076, #8199).
            (
                "https://www.dailymotion.com/video/k2FvrKaizE7unQfIglh",
                "k2FvrKaizE7unQfIglh",
            ),
            (
                "http://www.dailymotion.com/embed/video/k81FJOfJK4ijDQ8iMKL",
                "k81FJOfJK4ijDQ8iMKL",
            ),
        ];
        for (input, id) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            let canonical = format!("https://www.dailymotion.com/video/{id}");
            assert_eq!(got.platform, Platform::Dailymotion, "{input}");
            assert_eq!(got.kind, EmbedKind::Video, "{input}");
            assert_eq!(got.post_id.as_deref(), Some(id), "{input}");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(&canonical), Some(got), "idempotent: {canonical}");
        }
        let playlist = rec("https://www.dailymotion.com/playlist/x6hynp").expect("playlist");
        assert_eq!(playlist.kind, EmbedKind::Playlist);
        assert_eq!(playlist.post_id, None);
    }

    #[test]
    fn site_pages_and_other_hosts_are_not_claimed() {
        for input in [
            "https://www.dailymotion.com/",
            "https://www.dailymotion.com/us",
            "https://www.dailymotion.com/jeanbamin",
            "https://www.dailymotion.com/video/x1",
            "https://www.dailymotion.com/video/k2FvrKaizE7unQfIglhk2FvrKaizE7",
            "https://geo.dailymotion.com/libs/player/xabc1.js",
            "https://geo.dailymotion.com/player/xabc1.html",
            "https://example.com/video/x130bpf",
            "https://s2.dmcdn.net/v/63aD1au2tjDf9rTG/x240",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }

    fn sample(status: u16, file: &str) -> Answer {
        fixture_answer(
            oembed_url("xy0wd").as_str(),
            status,
            "application/json",
            &format!("dailymotion/{file}"),
        )
    }

    fn answer(status: u16, content_type: &str, body: &str) -> Answer {
        Answer {
            url: oembed_url("xy0wd").to_string(),
            status,
            content_type: Some(content_type.to_owned()),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn recorded_answers_have_their_fields() {
        // (file, id, title, description, author, handle, thumbnail, thumbnail size)
        let cases = [
            (
                "oembed-xy0wd-2024.json",
                "xy0wd",
                "Chats paresseux",
                None,
                "jeanbamin",
                "jeanbamin",
                "https://s2.dmcdn.net/v/63aD1au2tjDf9rTG/x240",
                (320, 240),
            ),
            (
                "oembed-x49ug8z-2016.json",
                "x49ug8z",
                "Faszination Pferderennen - Heute: Eine Schule für den Jockey-Nachwuchs",
                Some("In Köln gibt es eine Schule für den Jockey-Nachwuchs im Pferdesport."),
                "A Group",
                "auer1",
                "https://s2-ssl.dmcdn.net/XDvvJ/x240-cMm.jpg",
                (427, 240),
            ),
            // About 2010 (SonataMediaBundle): http links, and a fractional poster width
            // (426.666666667) that rounds to 427.
            (
                "oembed-x9wjql-2010-fractional-thumbnail.json",
                "x9wjql",
                "Thomas Rabaix - les tests fonctionnels - Symfony Live 2009",
                None,
                "Guillaume Pon\u{e7}on",
                "phptv",
                "http://ak2.static.dailymotion.com/static/video/711/536/16635117:jpeg_preview_large.jpg?20100801072241",
                (427, 240),
            ),
        ];
        for (file, id, title, text, author, handle, thumb, (w, h)) in cases {
            let Resolution::Live(c) = parse(&sample(200, file), id) else {
                panic!("{file}: expected live");
            };
            assert_eq!(c.source, SOURCE);
            assert_eq!(c.title.as_deref(), Some(title), "{file}");
            assert_eq!(c.text.as_deref(), text, "{file}");
            assert_eq!(c.author_name.as_deref(), Some(author), "{file}");
            assert_eq!(c.author_handle.as_deref(), Some(handle), "{file}");
            assert!(
                c.author_url.as_deref().is_some_and(|u| u
                    .trim_start_matches("https://")
                    .trim_start_matches("http://")
                    == format!("www.dailymotion.com/{handle}")),
                "{file}: {:?}",
                c.author_url
            );
            assert_eq!(
                c.media,
                vec![MediaRef {
                    kind: MediaKind::Video,
                    url: format!("https://www.dailymotion.com/video/{id}"),
                    image_url: Some(thumb.to_owned()),
                    width: Some(w),
                    height: Some(h),
                    ..MediaRef::default()
                }],
                "{file}"
            );
            assert_eq!(c.published_at, None);
        }
    }

    #[test]
    fn error_and_hostile_answers_classify() {
        let cases = [
            (answer(404, "application/json", ""), CheckOutcome::Gone),
            (
                answer(
                    404,
                    "application/json",
                    r#"{"error":{"code":404,"message":"This video does not exist or has been deleted.","type":"not_found"}}"#,
                ),
                CheckOutcome::Gone,
            ),
            // An edge's HTML page, or JSON about something else: not the endpoint's answer.
            (
                answer(404, "text/html", "<html><body>Not Found</body></html>"),
                CheckOutcome::Transient,
            ),
            (
                answer(404, "application/json", r#"{"message":"no route"}"#),
                CheckOutcome::Transient,
            ),
            (
                answer(403, "application/json", "{}"),
                CheckOutcome::Transient,
            ),
            (answer(429, "application/json", ""), CheckOutcome::Transient),
            (answer(502, "text/html", "<html>"), CheckOutcome::Transient),
            (
                answer(
                    200,
                    "text/html",
                    "<!DOCTYPE html><title>Dailymotion</title>",
                ),
                CheckOutcome::Transient,
            ),
            (
                answer(200, "application/json", "{}"),
                CheckOutcome::Transient,
            ),
            (
                answer(200, "application/json", "[]"),
                CheckOutcome::Transient,
            ),
            (
                answer(200, "application/json", r#"{"type":"video","html":""}"#),
                CheckOutcome::Transient,
            ),
            (
                answer(
                    200,
                    "application/json",
                    &format!("{{\"title\":\"{}", "a".repeat(100_000)),
                ),
                CheckOutcome::Transient,
            ),
        ];
        for (i, (a, want)) in cases.into_iter().enumerate() {
            let got = parse(&a, "xy0wd");
            assert_eq!(got.outcome(), Some(want), "case {i}: {got:?}");
        }
    }

    /// Dailymotion's own "no such video" objects, as its Data API recorded them (2015 and
    /// later), are the endpoint's own 404: gone, with evidence naming the video (and so with a
    /// 410). The same objects with any other status, or as a 200, prove nothing.
    #[test]
    fn recorded_error_objects_classify() {
        for file in [
            "api-video-inValIdiD-404-2015.json",
            "api-video-inValIdiD-404.json",
        ] {
            let got = parse(&sample(404, file), "x9wjql");
            let Resolution::Gone { source, evidence } = &got else {
                panic!("{file}: expected gone, got {got:?}");
            };
            assert_eq!(source, SOURCE, "{file}");
            assert!(evidence.contains("HTTP 404"), "{file}: {evidence}");
            assert!(evidence.contains("video x9wjql"), "{file}: {evidence}");
            // 410 is HTTP's own "removed for good": gone as a 404 is.
            assert_eq!(
                parse(&sample(410, file), "x9wjql").outcome(),
                Some(CheckOutcome::Gone),
                "{file} as 410"
            );
            for status in [200, 403, 429, 500] {
                assert_eq!(
                    parse(&sample(status, file), "x9wjql").outcome(),
                    Some(CheckOutcome::Transient),
                    "{file} as {status}"
                );
            }
        }
        let Resolution::Transient { evidence, .. } =
            parse(&sample(403, "api-video-inValIdiD-404.json"), "x9wjql")
        else {
            panic!("403 is transient");
        };
        assert!(evidence.contains("private"), "{evidence}");
    }

    #[test]
    fn script_in_html_is_never_read() {
        let body = r#"{"title":"T","author_name":"a","html":"<script>alert(1)</script><a href=\"javascript:alert(1)\">x</a>"}"#;
        let Resolution::Live(c) = parse(&answer(200, "application/json", body), "xy0wd") else {
            panic!("expected live");
        };
        assert_eq!(c.title.as_deref(), Some("T"));
        assert_eq!(c.text, None);
        assert!(c.media.iter().all(|m| m.image_url.is_none()));
    }

    #[tokio::test]
    async fn resolver_asks_oembed_for_the_canonical_url() {
        use crate::platforms::replay::Replay;
        let replay = Replay::from_manifest();
        let embed = EmbedRef {
            platform: Platform::Dailymotion,
            kind: EmbedKind::Video,
            post_url: "https://www.dailymotion.com/video/xy0wd".into(),
            post_id: Some("xy0wd".into()),
            location: Location::Dom,
            evidence: "iframe".into(),
            markup: String::new(),
            author_name: None,
            author_handle: None,
            text: None,
            published_at: None,
        };
        // The recorded 2024 answer for this video.
        let got = resolve_with(&replay, &embed).await;
        let Resolution::Live(c) = &got else {
            panic!("expected live, got {got:?}");
        };
        assert_eq!(c.title.as_deref(), Some("Chats paresseux"));
        assert_eq!(c.author_handle.as_deref(), Some("jeanbamin"));
        assert_eq!(
            replay.requests(),
            vec![
                "https://www.dailymotion.com/services/oembed?url=https%3A%2F%2Fwww.dailymotion.com%2Fvideo%2Fxy0wd&format=json"
                    .to_owned()
            ]
        );
        let bad = EmbedRef {
            post_id: Some("../x".into()),
            ..embed
        };
        assert_eq!(
            resolve_with(&replay, &bad).await.outcome(),
            Some(CheckOutcome::Transient)
        );
    }
}
