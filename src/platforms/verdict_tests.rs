//! The [`verdict`](super::verdict) rules, table-driven across every source of every resolving
//! platform (Instagram, X, YouTube, TikTok), on both fetch paths' answer types.
//!
//! Bodies are real recorded answers from `tests/fixtures/samples/` where they exist; the rest are
//! hand-made hostile bodies, named `HOSTILE_*` or marked "hostile" in the tables.

use bytes::Bytes;
use url::Url;

use crate::http::Response;
use crate::model::{CheckOutcome, Resolution};
use crate::platforms::source::Answer;
use crate::platforms::{instagram, tiktok, x, youtube};

const KITTENS: &str = "eiHXASgRTcA";
const A3_ID: &str = "6806030056956251397";
const A3_URL: &str = "https://www.tiktok.com/@a3noticias/video/6806030056956251397";

/// Every source of a resolving platform, by its `source` name.
const SOURCES: [&str; 8] = [
    "instagram-embed",
    "instagram-graph-oembed",
    "x-syndication",
    "x-oembed",
    "youtube-oembed",
    "youtube-watch",
    "tiktok-oembed",
    "tiktok-page",
];

/// Hostile: an empty HTML page, as an embed endpoint behind a broken edge might serve.
const HOSTILE_EMPTY_PAGE: &str = "<!DOCTYPE html><html><head></head><body></body></html>";

fn fixture(file: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/samples/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The request URL of `source` for the post every table here is about.
fn request_url(source: &str) -> String {
    match source {
        "instagram-embed" => "https://www.instagram.com/p/C8kQx2LtA1b/embed/captioned/".into(),
        "instagram-graph-oembed" => "https://graph.facebook.com/v8.0/instagram_oembed?access_token=REDACTED&format=json&url=https://www.instagram.com/p/C8kQx2LtA1b/".into(),
        "x-syndication" => x::syndication::url("20").expect("valid id").into(),
        "x-oembed" => x::oembed::url("https://x.com/jack/status/20")
            .expect("valid URL")
            .into(),
        "youtube-oembed" => youtube::oembed::oembed_url(KITTENS).into(),
        "youtube-watch" => youtube::watch_page::watch_url(KITTENS).into(),
        "tiktok-oembed" => tiktok::oembed::oembed_url(&Url::parse(A3_URL).expect("URL")).into(),
        "tiktok-page" => A3_URL.into(),
        other => panic!("unknown source {other}"),
    }
}

/// Classify one answer with `source`'s own classifier, on its own fetch path's answer type.
fn classify(source: &str, status: u16, content_type: Option<&str>, body: &[u8]) -> Resolution {
    let url = request_url(source);
    let answer = Answer {
        url: url.clone(),
        status,
        content_type: content_type.map(str::to_owned),
        body: body.to_vec(),
    };
    let response = Response {
        url: Url::parse(&url).expect("request URL parses"),
        status,
        content_type: content_type.map(str::to_owned),
        body: Bytes::copy_from_slice(body),
        headers: Vec::new(),
    };
    let a3 = Url::parse(A3_URL).expect("URL");
    match source {
        "instagram-embed" => instagram::embed_page::parse(&answer),
        "instagram-graph-oembed" => instagram::graph::parse(&answer),
        "x-syndication" => x::syndication::parse(&answer),
        "x-oembed" => x::oembed::parse(&answer),
        "youtube-oembed" => youtube::oembed::classify(&response, KITTENS),
        "youtube-watch" => youtube::watch_page::classify(&response, KITTENS),
        "tiktok-oembed" => tiktok::oembed::classify(&response, A3_ID, &a3),
        "tiktok-page" => tiktok::rehydration::classify(&response, A3_ID, &a3),
        other => panic!("unknown source {other}"),
    }
}

fn source_of(r: &Resolution) -> &str {
    match r {
        Resolution::Live(c) => &c.source,
        Resolution::Gone { source, .. } | Resolution::Transient { source, .. } => source,
        Resolution::Unsupported => "unsupported",
    }
}

fn evidence_of(r: &Resolution) -> &str {
    match r {
        Resolution::Gone { evidence, .. } | Resolution::Transient { evidence, .. } => evidence,
        Resolution::Live(_) | Resolution::Unsupported => "",
    }
}

#[test]
fn recorded_answers_keep_their_verdicts() {
    // (source, status, content type, recorded body, verdict)
    let cases = [
        (
            "instagram-embed",
            200,
            "text/html",
            "instagram/embed-captioned-C8kQx2LtA1b-image.html",
            CheckOutcome::Live,
        ),
        (
            "instagram-embed",
            200,
            "text/html",
            "instagram/embed-captioned-DbYR3qYCEyc-real.html",
            CheckOutcome::Live,
        ),
        (
            "instagram-embed",
            200,
            "text/html",
            "instagram/embed-captioned-NAOEXISTE999-gone-real.html",
            CheckOutcome::Gone,
        ),
        (
            "instagram-embed",
            404,
            "text/html",
            "instagram/embed-captioned-B3A-0uuAhg0-broken.html",
            CheckOutcome::Gone,
        ),
        (
            "instagram-graph-oembed",
            200,
            "application/json",
            "instagram/graph-oembed-B9bOM-6Ax_d-2020.json",
            CheckOutcome::Live,
        ),
        (
            "instagram-graph-oembed",
            200,
            "application/json",
            "instagram/graph-oembed-tv-CCX-gcHArcJ-2020.json",
            CheckOutcome::Live,
        ),
        (
            "x-syndication",
            200,
            "application/json",
            "x/syndication-20-tweet-text.json",
            CheckOutcome::Live,
        ),
        (
            "x-syndication",
            200,
            "application/json",
            "x/syndication-1700000000000000001-tombstone.json",
            CheckOutcome::Gone,
        ),
        (
            "x-syndication",
            200,
            "application/json",
            "x/syndication-1700000000000000002-empty.json",
            CheckOutcome::Gone,
        ),
        (
            "x-syndication",
            404,
            "text/plain",
            "x/syndication-1700000000000000003-404.txt",
            CheckOutcome::Gone,
        ),
        (
            "x-oembed",
            200,
            "application/json",
            "x/oembed-436461658601713664-2021.json",
            CheckOutcome::Live,
        ),
        (
            "x-oembed",
            200,
            "application/json",
            "x/oembed-RailsGirlsSoC-702136612822634496.json",
            CheckOutcome::Live,
        ),
        (
            "x-oembed",
            404,
            "text/plain",
            "x/oembed-1700000000000000004-404.txt",
            CheckOutcome::Gone,
        ),
        (
            "x-oembed",
            403,
            "application/json",
            "x/oembed-1700000000000000005-403-not-authorized.json",
            CheckOutcome::Gone,
        ),
        (
            "youtube-oembed",
            200,
            "application/json",
            "youtube/oembed-eiHXASgRTcA-2024.json",
            CheckOutcome::Live,
        ),
        (
            "youtube-oembed",
            200,
            "application/json",
            "youtube/oembed-youtu.be-eiHXASgRTcA-2021.json",
            CheckOutcome::Live,
        ),
        (
            "youtube-oembed",
            404,
            "text/html; charset=utf-8",
            "youtube/oembed-zzzzzzzzzz1-404.txt",
            CheckOutcome::Gone,
        ),
        (
            "youtube-watch",
            200,
            "text/html",
            "youtube/watch-eiHXASgRTcA.html",
            CheckOutcome::Live,
        ),
        (
            "tiktok-oembed",
            200,
            "application/json",
            "tiktok/oembed-6806030056956251397.json",
            CheckOutcome::Live,
        ),
        (
            "tiktok-oembed",
            400,
            "application/json",
            "tiktok/oembed-7000000000000000001-removed-400.json",
            CheckOutcome::Gone,
        ),
        (
            "tiktok-page",
            200,
            "text/html",
            "tiktok/page-a3noticias-6806030056956251397.html",
            CheckOutcome::Live,
        ),
    ];
    for (source, status, content_type, file, want) in cases {
        let verdict = classify(source, status, Some(content_type), &fixture(file));
        assert_eq!(
            verdict.outcome(),
            Some(want),
            "{source} {file}: {verdict:?}"
        );
        assert!(source_of(&verdict).starts_with(source), "{source} {file}");
    }
    // Every source has a recorded live answer above.
    for source in SOURCES {
        assert!(
            cases
                .iter()
                .any(|(s, _, _, _, want)| *s == source && *want == CheckOutcome::Live),
            "{source}"
        );
    }
}

#[test]
fn junk_is_not_proof_of_life() {
    // (content type, body, what it is)
    let bodies: [(&str, Vec<u8>, &str); 7] = [
        (
            "application/json",
            br#"{"hello":"world"}"#.to_vec(),
            "hostile: arbitrary JSON",
        ),
        ("application/json", b"[]".to_vec(), "hostile: empty array"),
        ("application/json", b"{}".to_vec(), "hostile: empty object"),
        ("application/json", Vec::new(), "hostile: empty body"),
        (
            "text/html",
            HOSTILE_EMPTY_PAGE.as_bytes().to_vec(),
            "hostile: empty HTML page",
        ),
        (
            "application/json+oembed;charset=UTF-8",
            fixture("generic/politico-101314-oembed.json"),
            "recorded: a valid oEmbed answer (politico.com) that names no post",
        ),
        (
            "text/html; charset=utf-8",
            fixture("youtube/consent-404-channel.html"),
            "recorded: Google's error page, served with 200",
        ),
    ];
    for source in SOURCES {
        for (content_type, body, what) in &bodies {
            let verdict = classify(source, 200, Some(content_type), body);
            // Documented X rule: syndication answers `{}` for a post it cannot show (a
            // tombstone, confirmed against oEmbed by the resolver). It is gone, never live.
            let want = if source == "x-syndication" && body.as_slice() == b"{}" {
                CheckOutcome::Gone
            } else {
                CheckOutcome::Transient
            };
            assert_eq!(
                verdict.outcome(),
                Some(want),
                "{source}, {what}: {verdict:?}"
            );
            assert_eq!(source_of(&verdict), source, "{source}, {what}");
            assert!(!evidence_of(&verdict).is_empty(), "{source}, {what}");
        }
    }
}

#[test]
fn answers_without_the_posts_fields_are_transient_and_say_so() {
    // Hostile bodies shaped like each source's answer but naming none of the post's fields:
    // each was a live, empty snapshot before the rule.
    let watch = |player: &str| {
        format!(
            "<html><body><script>var ytInitialPlayerResponse = {player};</script></body></html>"
        )
    };
    let rehydration = |detail: &str| {
        format!(
            r#"<html><body><script id="__UNIVERSAL_DATA_FOR_REHYDRATION__" type="application/json">{{"__DEFAULT_SCOPE__":{{"webapp.video-detail":{detail}}}}}</script></body></html>"#
        )
    };
    let cases: Vec<(&str, String)> = vec![
        (
            "instagram-embed",
            r#"<div class="Embed" data-media-type="GraphVideo" data-permalink="https://www.instagram.com/p/C8kQx2LtA1b/"></div>"#.into(),
        ),
        ("instagram-graph-oembed", r#"{"html":"<blockquote><p></p></blockquote>"}"#.into()),
        ("x-syndication", r#"{"__typename":"Tweet"}"#.into()),
        ("x-syndication", r#"{"__typename":"Tweet","text":" ","user":{"name":""}}"#.into()),
        ("x-oembed", r#"{"html":"<div>hello world</div>"}"#.into()),
        ("x-oembed", r#"{"type":"rich","html":"<blockquote></blockquote>"}"#.into()),
        ("youtube-oembed", r#"{"hello":"world"}"#.into()),
        ("youtube-oembed", "{}".into()),
        // The thumbnail follows from the id: it proves nothing.
        (
            "youtube-oembed",
            r#"{"thumbnail_url":"https://i.ytimg.com/vi/eiHXASgRTcA/hqdefault.jpg"}"#.into(),
        ),
        (
            "youtube-watch",
            watch(r#"{"playabilityStatus":{"status":"OK"},"videoDetails":{"videoId":"eiHXASgRTcA"}}"#),
        ),
        ("tiktok-oembed", r#"{"hello":"world"}"#.into()),
        ("tiktok-oembed", "{}".into()),
        ("tiktok-oembed", r#"{"embed_product_id":"6806030056956251397"}"#.into()),
        ("tiktok-oembed", r#"{"code":0,"message":"rate limited"}"#.into()),
        (
            "tiktok-page",
            rehydration(r#"{"statusCode":0,"itemInfo":{"itemStruct":{"id":"6806030056956251397"}}}"#),
        ),
    ];
    for (source, body) in cases {
        let verdict = classify(source, 200, Some("application/json"), body.as_bytes());
        assert_eq!(
            verdict.outcome(),
            Some(CheckOutcome::Transient),
            "{source} {body}: {verdict:?}"
        );
        assert_eq!(source_of(&verdict), source, "{body}");
        let evidence = evidence_of(&verdict);
        assert!(
            evidence.starts_with(&format!(
                "answer from {source} names none of the post's fields (wanted "
            )),
            "{source} {body}: {evidence}"
        );
    }
}
