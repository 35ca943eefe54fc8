//! TikTok resolver tests against the recorded answers in `tests/fixtures/samples/tiktok/` and
//! small synthetic video pages for the status codes no capture shows.

use chrono::{DateTime, TimeZone, Utc};
use url::Url;

use super::oembed::{self, oembed_url};
use super::rehydration;
use super::resolve::{SOURCE_ENRICHED, resolve_with};
use crate::model::{CheckOutcome, EmbedRef, MediaKind, Platform, Resolution};
use crate::platforms::replay::{Replay, embed, evidence, live, outcome_for, sample};
use crate::platforms::source::Answer;

const A3_ID: &str = "6806030056956251397";
const A3_URL: &str = "https://www.tiktok.com/@a3noticias/video/6806030056956251397";
const ILLO_ID: &str = "7571863205253778710";
const ILLO_URL: &str = "https://www.tiktok.com/@illojuan/video/7571863205253778710";
const REMOVED_ID: &str = "7000000000000000001";
const REMOVED_URL: &str = "https://www.tiktok.com/@example/video/7000000000000000001";

fn url(s: &str) -> Url {
    Url::parse(s).expect("test URL")
}

fn source(r: &Resolution) -> &str {
    match r {
        Resolution::Live(c) => &c.source,
        Resolution::Gone { source, .. } | Resolution::Transient { source, .. } => source,
        Resolution::Unsupported => "unsupported",
    }
}

/// A signed CDN URL without its expiring signature, which differs between captures.
fn unsigned(u: &str) -> &str {
    u.split('?').next().unwrap_or_default()
}

#[test]
fn oembed_request_has_the_captured_shape() {
    assert_eq!(
        oembed_url(&url(A3_URL)).as_str(),
        sample("tiktok-oembed-6806030056956251397").url
    );
}

#[test]
fn recorded_answers_classify_as_the_manifest_says() {
    // (manifest id, video id, post URL, classifier)
    type Classifier = fn(&Answer, &str, &Url) -> Resolution;
    let cases: [(&str, &str, &str, Classifier); 5] = [
        (
            "tiktok-oembed-6806030056956251397",
            A3_ID,
            A3_URL,
            oembed::classify,
        ),
        (
            "tiktok-oembed-7000000000000000001-removed-400",
            REMOVED_ID,
            REMOVED_URL,
            oembed::classify,
        ),
        (
            "tiktok-page-a3noticias-6806030056956251397",
            A3_ID,
            A3_URL,
            rehydration::classify,
        ),
        (
            "tiktok-page-illojuan-7571863205253778710",
            ILLO_ID,
            ILLO_URL,
            rehydration::classify,
        ),
        (
            "tiktok-page-i-7660566211100511519-10204",
            "7660566211100511519",
            "https://www.tiktok.com/@i/video/7660566211100511519",
            rehydration::classify,
        ),
    ];
    for (id, video, post_url, classify) in cases {
        let s = sample(id);
        let verdict = classify(&s.answer(), video, &url(post_url));
        assert_eq!(
            verdict.outcome(),
            Some(outcome_for(&s.post_state)),
            "{id}: {verdict:?}"
        );
    }
}

#[test]
fn oembed_live_answer_is_read_into_content() {
    let s = sample("tiktok-oembed-6806030056956251397");
    let c = live(oembed::classify(&s.answer(), A3_ID, &url(A3_URL)));
    assert_eq!(c.source, "tiktok-oembed");
    assert_eq!(c.text.as_deref(), Some(s.expected("title")));
    assert_eq!(c.author_name.as_deref(), Some(s.expected("author_name")));
    assert_eq!(c.author_url.as_deref(), Some(s.expected("author_url")));
    assert_eq!(c.author_handle.as_deref(), Some("a3noticias"));
    assert_eq!(c.published_at, None);
    let m = &c.media[0];
    assert_eq!(m.kind, MediaKind::Video);
    assert_eq!(m.url, s.expected("url"));
    let image = m.image_url.as_deref().unwrap_or_default();
    assert_eq!(unsigned(image), unsigned(s.expected("image")));
    assert!(image.contains("x-expires=1718204400"), "{image}");
    assert_eq!((m.width, m.height), (Some(480), Some(848)));
    assert_eq!(c.raw[0].bytes, s.body);
}

fn answer(at: &str, status: u16, body: &'static str) -> Answer {
    Answer {
        url: at.to_owned(),
        status,
        content_type: Some("application/json; charset=utf-8".into()),
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn oembed_answer_variants() {
    let at = oembed_url(&url(A3_URL));
    let cases: [(u16, &str, CheckOutcome); 12] = [
        (
            400,
            r#"{"code":400,"message":"Something went wrong","data":{}}"#,
            CheckOutcome::Gone,
        ),
        (
            404,
            r#"{"code":404,"message":"Not found","data":{}}"#,
            CheckOutcome::Gone,
        ),
        // TikTok's older error object, as downloaders quote its answer for a missing video.
        (
            400,
            r#"{"status_msg":"Something went wrong"}"#,
            CheckOutcome::Gone,
        ),
        // Not TikTok's error object (neither `code` and `message` nor `status_msg`): JSON from
        // something else.
        (404, r#"{"error":"Not found"}"#, CheckOutcome::Transient),
        (
            400,
            "<html><body>Bad Request</body></html>",
            CheckOutcome::Transient,
        ),
        (403, r#"{"code":403}"#, CheckOutcome::Transient),
        (429, "", CheckOutcome::Transient),
        (500, r#"{"code":500}"#, CheckOutcome::Transient),
        (599, "no recorded answer", CheckOutcome::Transient),
        (200, "<html>verify</html>", CheckOutcome::Transient),
        (
            200,
            r#"{"code":0,"message":"rate limited"}"#,
            CheckOutcome::Transient,
        ),
        (
            200,
            r#"{"title":"other","embed_product_id":"123"}"#,
            CheckOutcome::Transient,
        ),
    ];
    for (status, body, want) in cases {
        let verdict = oembed::classify(&answer(at.as_str(), status, body), A3_ID, &url(A3_URL));
        assert_eq!(
            verdict.outcome(),
            Some(want),
            "{status} {body}: {verdict:?}"
        );
        assert_eq!(source(&verdict), "tiktok-oembed");
    }
    // A caption-less video is still a video; the handle falls back to the profile URL.
    let c = live(oembed::classify(
        &answer(
            at.as_str(),
            200,
            r#"{"title":"","author_name":"A","author_url":"https://www.tiktok.com/@someone","width":"100%"}"#,
        ),
        A3_ID,
        &url(A3_URL),
    ));
    assert_eq!(c.text, None);
    assert_eq!(c.author_handle.as_deref(), Some("someone"));
}

#[test]
fn recorded_pages_are_read() {
    let s = sample("tiktok-page-a3noticias-6806030056956251397");
    let c = live(rehydration::classify(&s.answer(), A3_ID, &url(A3_URL)));
    assert_eq!(c.source, "tiktok-page");
    assert_eq!(c.text.as_deref(), Some(s.expected("title")));
    assert_eq!(c.author_name.as_deref(), Some(s.expected("author_name")));
    assert_eq!(c.author_url.as_deref(), Some(s.expected("author_url")));
    assert_eq!(c.author_handle.as_deref(), Some("a3noticias"));
    // This page names no textLanguage.
    assert_eq!(c.lang, None);
    // createTime "1584652361"
    assert_eq!(
        c.published_at,
        Some(Utc.with_ymd_and_hms(2020, 3, 19, 21, 12, 41).unwrap())
    );
    let m = &c.media[0];
    assert_eq!(m.url, A3_URL);
    assert_eq!(
        unsigned(m.image_url.as_deref().unwrap_or_default()),
        unsigned(s.expected("image"))
    );
    assert_eq!((m.width, m.height), (Some(480), Some(848)));

    let s = sample("tiktok-page-illojuan-7571863205253778710");
    let c = live(rehydration::classify(&s.answer(), ILLO_ID, &url(ILLO_URL)));
    assert_eq!(c.text.as_deref(), Some(s.expected("text")));
    assert_eq!(c.author_name.as_deref(), Some(s.expected("author_name")));
    assert_eq!(c.author_handle.as_deref(), Some("illojuan"));
    assert_eq!(
        c.author_url.as_deref(),
        Some("https://www.tiktok.com/@illojuan")
    );
    // itemStruct.textLanguage "es".
    assert_eq!(c.lang.as_deref(), Some("es"));
    // createTime "1762961788"; the manifest's date (metascraper) is derived from the id's
    // timestamp bits instead and lies a few seconds earlier.
    let published = c.published_at.expect("createTime read");
    assert_eq!(
        published,
        Utc.with_ymd_and_hms(2025, 11, 12, 15, 36, 28).unwrap()
    );
    let peer: DateTime<Utc> = s.expected("published_at").parse().expect("RFC 3339");
    assert!(
        (published - peer).num_seconds().abs() < 60,
        "{published} vs {peer}"
    );
    assert_eq!(
        (c.media[0].width, c.media[0].height),
        (Some(576), Some(1024))
    );
    assert!(c.media[0].image_url.is_some());
}

/// A video page whose rehydration script holds `webapp.video-detail` = `detail`.
fn synthetic_page(at: &str, detail: &str) -> Answer {
    let html = format!(
        r#"<!DOCTYPE html><html><head></head><body><script id="__UNIVERSAL_DATA_FOR_REHYDRATION__" type="application/json">{{"__DEFAULT_SCOPE__":{{"webapp.app-context":{{}},"webapp.video-detail":{detail}}}}}</script></body></html>"#
    );
    html_page(at, 200, html)
}

fn html_page(at: &str, status: u16, html: String) -> Answer {
    Answer {
        url: at.to_owned(),
        status,
        content_type: Some("text/html; charset=utf-8".into()),
        body: html.into_bytes(),
    }
}

#[test]
fn page_status_codes_and_walls() {
    let item = format!(
        r#"{{"id":"{A3_ID}","desc":"hi </b>","createTime":1584652361,"textLanguage":"un","author":{{"uniqueId":"u","nickname":"N"}},"video":{{"originCover":"https://cdn.example/o.jpg","width":"720","height":1280}}}}"#
    );
    let cases: Vec<(Answer, CheckOutcome, &str)> = vec![
        (
            synthetic_page(A3_URL, &format!(r#"{{"statusCode":0,"statusMsg":"ok","itemInfo":{{"itemStruct":{item}}}}}"#)),
            CheckOutcome::Live,
            "",
        ),
        (
            synthetic_page(A3_URL, r#"{"statusCode":10204,"statusMsg":"item doesn't exist"}"#),
            CheckOutcome::Gone,
            "video not found: statusCode 10204 (item doesn't exist)",
        ),
        // The code of a missing video also answers for a friends-only one.
        (
            synthetic_page(A3_URL, r#"{"statusCode":10204,"statusMsg":"status_friend_see"}"#),
            CheckOutcome::Gone,
            "visible to friends only: statusCode 10204 (status_friend_see)",
        ),
        (
            synthetic_page(A3_URL, r#"{"statusCode":10216}"#),
            CheckOutcome::Gone,
            "private: statusCode 10216",
        ),
        (
            synthetic_page(A3_URL, r#"{"statusCode":10222,"statusMsg":""}"#),
            CheckOutcome::Gone,
            "private: statusCode 10222",
        ),
        (
            synthetic_page(A3_URL, r#"{"statusCode":10101,"statusMsg":"server error"}"#),
            CheckOutcome::Transient,
            "video page statusCode 10101 (server error)",
        ),
        (
            synthetic_page(A3_URL, r#"{"statusCode":0,"itemInfo":{}}"#),
            CheckOutcome::Transient,
            "statusCode 0 but no itemStruct",
        ),
        (
            synthetic_page(
                A3_URL,
                r#"{"statusCode":0,"itemInfo":{"itemStruct":{"id":"42"}}}"#,
            ),
            CheckOutcome::Transient,
            "video page shows video \"42\", not \"6806030056956251397\"",
        ),
        (
            synthetic_page(A3_URL, "{not json"),
            CheckOutcome::Transient,
            "",
        ),
        (
            html_page(
                A3_URL,
                200,
                r#"<script id="__UNIVERSAL_DATA_FOR_REHYDRATION__" type="application/json">{"__DEFAULT_SCOPE__":{}}</script>"#.into(),
            ),
            CheckOutcome::Transient,
            "https://www.tiktok.com/@a3noticias/video/6806030056956251397: rehydration data has no webapp.video-detail",
        ),
        (
            html_page(A3_URL, 200, "<html><body>Loading…</body></html>".into()),
            CheckOutcome::Transient,
            "https://www.tiktok.com/@a3noticias/video/6806030056956251397: no __UNIVERSAL_DATA_FOR_REHYDRATION__ (or older SIGI_STATE or __NEXT_DATA__) script in the video page",
        ),
        (
            html_page(A3_URL, 200, r#"<html><div id="captcha-verify-image"></div></html>"#.into()),
            CheckOutcome::Transient,
            "captcha page (https://www.tiktok.com/@a3noticias/video/6806030056956251397: no __UNIVERSAL_DATA_FOR_REHYDRATION__ (or older SIGI_STATE or __NEXT_DATA__) script in the video page)",
        ),
        (
            html_page("https://www.tiktok.com/verify?from=video", 200, "<html></html>".into()),
            CheckOutcome::Transient,
            "video page redirected to a captcha/verify page: https://www.tiktok.com/verify?from=video",
        ),
        (
            html_page(A3_URL, 429, "Too Many Requests".into()),
            CheckOutcome::Transient,
            "video page HTTP 429: Too Many Requests",
        ),
        (
            html_page(A3_URL, 404, "<html>Not Found</html>".into()),
            CheckOutcome::Transient,
            "",
        ),
        // The older script, broken: the evidence names the script that was read.
        (
            html_page(
                A3_URL,
                200,
                r#"<script id="__NEXT_DATA__" type="application/json">{"props":</script>"#.into(),
            ),
            CheckOutcome::Transient,
            "https://www.tiktok.com/@a3noticias/video/6806030056956251397: unreadable __NEXT_DATA__ JSON: EOF while parsing a value at line 1 column 9",
        ),
    ];
    for (page, want, want_evidence) in cases {
        let verdict = rehydration::classify(&page, A3_ID, &url(A3_URL));
        assert_eq!(verdict.outcome(), Some(want), "{verdict:?}");
        assert_eq!(source(&verdict), "tiktok-page");
        if !want_evidence.is_empty() {
            assert_eq!(evidence(&verdict), want_evidence);
        }
    }
    // Numbers as numbers or strings; originCover when there is no cover.
    let page = synthetic_page(
        A3_URL,
        &format!(r#"{{"statusCode":0,"itemInfo":{{"itemStruct":{item}}}}}"#),
    );
    let c = live(rehydration::classify(&page, A3_ID, &url(A3_URL)));
    assert_eq!(c.text.as_deref(), Some("hi </b>"));
    // "un": TikTok could not tell the language.
    assert_eq!(c.lang, None);
    assert_eq!(
        c.published_at,
        Some(Utc.with_ymd_and_hms(2020, 3, 19, 21, 12, 41).unwrap())
    );
    assert_eq!(
        c.media[0].image_url.as_deref(),
        Some("https://cdn.example/o.jpg")
    );
    assert_eq!(
        (c.media[0].width, c.media[0].height),
        (Some(720), Some(1280))
    );
}

fn a3() -> EmbedRef {
    embed(Platform::Tiktok, A3_ID, A3_URL)
}

#[tokio::test]
async fn live_oembed_is_enriched_by_the_page() {
    let replay = Replay::new()
        .sample("tiktok-oembed-6806030056956251397")
        .sample("tiktok-page-a3noticias-6806030056956251397");
    let c = live(resolve_with(&replay, &a3()).await);
    assert_eq!(c.source, SOURCE_ENRICHED);
    assert_eq!(c.source, "tiktok-oembed+page");
    assert_eq!(
        c.published_at,
        Some(Utc.with_ymd_and_hms(2020, 3, 19, 21, 12, 41).unwrap())
    );
    assert_eq!(c.author_handle.as_deref(), Some("a3noticias"));
    assert_eq!(c.raw.len(), 2);
    assert_eq!(
        replay.requests(),
        vec![
            sample("tiktok-oembed-6806030056956251397").url,
            A3_URL.to_owned()
        ]
    );
}

#[tokio::test]
async fn enrichment_adds_the_captions_language() {
    let cases = [
        ("es", Some("es")),
        ("pt-BR", Some("pt-BR")),
        ("un", None),
        ("<b>", None),
    ];
    for (language, want) in cases {
        let page = synthetic_page(
            A3_URL,
            &format!(
                r#"{{"statusCode":0,"itemInfo":{{"itemStruct":{{"id":"{A3_ID}","desc":"d","textLanguage":"{language}"}}}}}}"#
            ),
        );
        let replay = Replay::new()
            .sample("tiktok-oembed-6806030056956251397")
            .answer(A3_URL, page);
        let c = live(resolve_with(&replay, &a3()).await);
        assert_eq!(c.source, "tiktok-oembed+page", "{language}");
        assert_eq!(c.lang.as_deref(), want, "{language}");
        // oEmbed's caption stays.
        assert!(
            c.text.is_some_and(|t| t.contains("#AplausoSanitario")),
            "{language}"
        );
    }
}

#[tokio::test]
async fn failed_enrichment_keeps_the_oembed_verdict() {
    let cases = [
        Replay::new().sample("tiktok-oembed-6806030056956251397"),
        Replay::new()
            .sample("tiktok-oembed-6806030056956251397")
            .time_out(A3_URL),
        Replay::new()
            .sample("tiktok-oembed-6806030056956251397")
            .answer(A3_URL, synthetic_page(A3_URL, r#"{"statusCode":10204}"#)),
    ];
    for replay in cases {
        let c = live(resolve_with(&replay, &a3()).await);
        assert_eq!(c.source, "tiktok-oembed");
        assert_eq!(c.published_at, None);
        assert_eq!(c.raw.len(), 1);
        assert_eq!(replay.requests().len(), 2);
    }
}

#[tokio::test]
async fn removed_video_is_gone_without_asking_the_page() {
    let removed = sample("tiktok-oembed-7000000000000000001-removed-400");
    let request = oembed_url(&url(REMOVED_URL));
    // Served at the request this resolver builds (the recorded reconstruction has no
    // `format=json`; the answer is the same).
    let replay = Replay::new().answer(request.as_str(), removed.answer_at(request.as_str()));
    let e = embed(Platform::Tiktok, REMOVED_ID, REMOVED_URL);
    let verdict = resolve_with(&replay, &e).await;
    assert_eq!(verdict.outcome(), Some(CheckOutcome::Gone));
    assert_eq!(source(&verdict), "tiktok-oembed");
    assert!(
        evidence(&verdict)
            == "HTTP 400 from tiktok-oembed for video 7000000000000000001 (removed or private)",
        "{verdict:?}"
    );
    assert_eq!(replay.requests(), vec![request.to_string()]);
}

#[tokio::test]
async fn undecided_oembed_defers_to_the_page() {
    let illo = embed(Platform::Tiktok, ILLO_ID, ILLO_URL);
    let illo_oembed = oembed_url(&url(ILLO_URL));

    // oEmbed unreachable: the recorded page decides.
    let replay = Replay::new().sample("tiktok-page-illojuan-7571863205253778710");
    let c = live(resolve_with(&replay, &illo).await);
    assert_eq!(c.source, "tiktok-page");
    assert_eq!(c.author_handle.as_deref(), Some("illojuan"));
    assert_eq!(
        replay.requests(),
        vec![illo_oembed.to_string(), ILLO_URL.to_owned()]
    );

    // oEmbed rate-limited, page says not found: gone, from the page.
    let replay = Replay::new()
        .answer(illo_oembed.as_str(), answer(illo_oembed.as_str(), 429, ""))
        .answer(
            ILLO_URL,
            synthetic_page(ILLO_URL, r#"{"statusCode":10204}"#),
        );
    let verdict = resolve_with(&replay, &illo).await;
    assert_eq!(verdict.outcome(), Some(CheckOutcome::Gone));
    assert_eq!(source(&verdict), "tiktok-page");

    // Both undecided: transient, with both reasons.
    let replay = Replay::new().time_out(illo_oembed.as_str());
    let verdict = resolve_with(&replay, &illo).await;
    assert_eq!(verdict.outcome(), Some(CheckOutcome::Transient));
    let ev = evidence(&verdict);
    assert_eq!(
        ev,
        format!(
            "oEmbed: tiktok-oembed: request failed: timed out at {illo_oembed}; \
             video page: tiktok-page: request failed: cannot connect: not recorded at {ILLO_URL}"
        )
    );
}

#[tokio::test]
async fn bad_inputs_are_not_fetched() {
    let cases = [
        ("", A3_URL),
        ("68060300569562513x7", A3_URL),
        ("12345678901234567890123", A3_URL),
        (A3_ID, "not a url"),
        (
            A3_ID,
            "https://evil.example/@a3noticias/video/6806030056956251397",
        ),
        (
            A3_ID,
            "http://www.tiktok.com/@a3noticias/video/6806030056956251397",
        ),
        (A3_ID, "https://www.tiktok.com/@a3noticias/video/1"),
    ];
    for (id, post_url) in cases {
        let replay = Replay::new();
        let e = embed(Platform::Tiktok, id, post_url);
        let verdict = resolve_with(&replay, &e).await;
        assert_eq!(
            verdict.outcome(),
            Some(CheckOutcome::Transient),
            "{id} {post_url}"
        );
        assert!(replay.requests().is_empty(), "{id} {post_url}");
    }
}

const A3_EMBED_URL: &str = "https://www.tiktok.com/embed/v2/6806030056956251397";

#[tokio::test]
async fn user_less_embeds_read_the_page_of_the_named_handle() {
    let oembed_sample = sample("tiktok-oembed-6806030056956251397");
    let page = "tiktok-page-a3noticias-6806030056956251397";
    let request = oembed_url(&url(A3_EMBED_URL));
    let bare = embed(Platform::Tiktok, A3_ID, A3_EMBED_URL);

    // oEmbed names the handle: the page comes from /@a3noticias/video/ID.
    let replay = Replay::new()
        .answer(request.as_str(), oembed_sample.answer_at(request.as_str()))
        .sample(page);
    let c = live(resolve_with(&replay, &bare).await);
    assert_eq!(c.source, "tiktok-oembed+page");
    assert_eq!(c.media[0].url, A3_EMBED_URL);
    assert_eq!(
        replay.requests(),
        vec![request.to_string(), A3_URL.to_owned()]
    );

    // oEmbed undecided: the handle the article's markup named.
    let mut named = bare.clone();
    named.author_handle = Some("@a3noticias".into());
    let replay = Replay::new().sample(page);
    let c = live(resolve_with(&replay, &named).await);
    assert_eq!(c.source, "tiktok-page");
    assert_eq!(
        replay.requests(),
        vec![request.to_string(), A3_URL.to_owned()]
    );

    // No handle anywhere: the embed page itself, which has no rehydration data to read.
    let replay = Replay::new();
    let verdict = resolve_with(&replay, &bare).await;
    assert_eq!(verdict.outcome(), Some(CheckOutcome::Transient));
    assert_eq!(
        replay.requests(),
        vec![request.to_string(), A3_EMBED_URL.to_owned()]
    );
}

#[test]
fn photo_posts_show_images() {
    let cases = [
        (
            "https://www.tiktok.com/@a3noticias/photo/6806030056956251397",
            MediaKind::Image,
        ),
        (A3_URL, MediaKind::Video),
        (A3_EMBED_URL, MediaKind::Video),
    ];
    let s = sample("tiktok-oembed-6806030056956251397");
    for (post_url, want) in cases {
        let c = live(oembed::classify(&s.answer(), A3_ID, &url(post_url)));
        assert_eq!(c.media[0].kind, want, "{post_url}");
        assert_eq!(c.media[0].url, post_url);
    }
}

#[tokio::test]
async fn resolves_through_the_http_client_and_host_overrides() {
    use crate::http::HttpClient;
    use crate::platforms::replay::{fixture_config, fixture_server};
    use crate::platforms::{ResolveContext, resolve};

    let base = fixture_server(&[
        "tiktok-oembed-6806030056956251397",
        "tiktok-page-a3noticias-6806030056956251397",
        "tiktok-page-illojuan-7571863205253778710",
    ])
    .await;
    let config = fixture_config(&base, &["www.tiktok.com"]);
    let http = HttpClient::new(&config.http, &config.politeness).expect("client");
    let ctx = ResolveContext {
        http: &http,
        config: &config,
    };
    let c = live(resolve(&ctx, &a3()).await);
    assert_eq!(c.source, "tiktok-oembed+page");
    assert!(c.published_at.is_some());
    assert_eq!(c.raw[1].url, A3_URL);

    // No oEmbed recorded for this one (599): the page decides.
    let illo = embed(Platform::Tiktok, ILLO_ID, ILLO_URL);
    assert_eq!(live(resolve(&ctx, &illo).await).source, "tiktok-page");
}

/// TikTok's video pages carried their data in `__NEXT_DATA__` until about 2022; a recorded 2021
/// page is read as the current ones are.
#[test]
fn a_2021_page_reads_from_its_next_data() {
    let s = sample("tiktok-page-a3noticias-2021-next-data");
    let page = rehydration::read(&s.answer(), "6806030056956251397").expect("a readable page");
    assert_eq!(page.author_handle.as_deref(), Some("a3noticias"));
    assert!(
        page.caption
            .as_deref()
            .is_some_and(|c| c.starts_with("Nuestro #AplausoSanitario")),
        "{page:?}"
    );
    assert_eq!(
        page.published_at.map(|d| d.timestamp()),
        Some(1_584_652_361)
    );
    assert!(page.cover_url.is_some(), "{page:?}");
}

/// The 2020 `__NEXT_DATA__` kept the video in `videoData` (`itemInfos` beside `authorInfos`),
/// not in `itemInfo.itemStruct`: a recorded April 2020 page (Embed's cache) is read as live, with
/// its caption, author and creation time.
#[test]
fn a_2020_page_reads_from_its_video_data() {
    let s = sample("tiktok-page-a3noticias-6806030056956251397-2020-04-next-data");
    let c = live(rehydration::classify(
        &s.answer(),
        "6806030056956251397",
        &url(A3_URL),
    ));
    assert_eq!(c.source, "tiktok-page");
    assert_eq!(c.author_handle.as_deref(), Some("a3noticias"));
    assert_eq!(c.author_name.as_deref(), Some("Antena 3 Noticias"));
    assert!(
        c.text
            .as_deref()
            .is_some_and(|t| t.starts_with("Nuestro #AplausoSanitario")),
        "{c:?}"
    );
    assert_eq!(c.published_at.map(|d| d.timestamp()), Some(1_584_652_361));
    assert!(c.media[0].image_url.is_some(), "{c:?}");
}

/// A real video page as metascraper stores it (`tests/fixtures/samples/tiktok/
/// page-msnow-7685447773642083597-pwa.html`, see its `.source.txt`): no Open Graph tags, and a
/// `webapp.video-detail` with no `statusCode`, no item `id`, no `textLanguage` and no video
/// size. A missing status code is not a failure: the item itself is the evidence.
#[test]
fn a_page_without_status_code_or_item_id_reads_as_live() {
    const MSNOW_ID: &str = "7685447773642083597";
    const MSNOW_URL: &str = "https://www.tiktok.com/@msnow/video/7685447773642083597";
    let body: &[u8] = include_bytes!(
        "../../../tests/fixtures/samples/tiktok/page-msnow-7685447773642083597-pwa.html"
    );
    let answer = Answer {
        url: MSNOW_URL.to_owned(),
        status: 200,
        content_type: Some("text/html; charset=utf-8".into()),
        body: body.to_vec(),
    };
    let c = live(rehydration::classify(&answer, MSNOW_ID, &url(MSNOW_URL)));
    assert_eq!(c.source, "tiktok-page");
    // The caption as text: TikTok's trailing space is not part of it.
    let text = c.text.as_deref().unwrap_or_default();
    assert!(
        text.starts_with("ProPublica reports that Russian oligarch"),
        "{text}"
    );
    assert!(text.ends_with("#DonaldTrumpJr #Russia"), "{text:?}");
    assert_eq!(c.author_name.as_deref(), Some("MS NOW"));
    assert_eq!(c.author_handle.as_deref(), Some("msnow"));
    assert_eq!(
        c.author_url.as_deref(),
        Some("https://www.tiktok.com/@msnow")
    );
    // createTime "1789407778".
    assert_eq!(
        c.published_at,
        Some(Utc.with_ymd_and_hms(2026, 9, 14, 17, 42, 58).unwrap())
    );
    assert_eq!(c.lang, None);
    let m = &c.media[0];
    assert_eq!(m.kind, MediaKind::Video);
    assert_eq!(m.url, MSNOW_URL);
    // `cover` (what oEmbed calls the thumbnail) is preferred over `originCover`.
    assert_eq!(
        m.image_url.as_deref().map(unsigned),
        Some(
            "https://p19-common-sign.tiktokcdn-us.com/tos-useast5-p-0068-tx/oACBgEPHOykAxI4qAAEAioQ0XAi1aIFMgBoyi~tplv-tiktokx-dmt-logom:tos-useast5-i-0068-tx/ooAyaP3AIiqBg4CMkgiQAorkBAIEYXyAA5Eti.image"
        )
    );
    assert_eq!((m.width, m.height), (None, None));
    assert_eq!(c.raw[0].bytes, body);

    // A 200 whose body is only the shell, with the script cut off: junk, so transient.
    let cut = body.len() / 2;
    let junk = Answer {
        body: body[..cut].to_vec(),
        ..answer.clone()
    };
    let verdict = rehydration::classify(&junk, MSNOW_ID, &url(MSNOW_URL));
    assert_eq!(
        verdict.outcome(),
        Some(CheckOutcome::Transient),
        "{verdict:?}"
    );
}
