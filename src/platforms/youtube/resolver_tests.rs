//! YouTube resolver tests against the recorded answers in `tests/fixtures/samples/youtube/` and
//! small synthetic watch pages for the playability states no capture shows.

use chrono::{TimeZone, Utc};

use super::addresses::{self, watch_url};
use super::oembed::{self, oembed_url};
use super::resolve::{SOURCE_ENRICHED, resolve_with};
use super::watch_page::{self, parse_date};
use crate::model::{CheckOutcome, MediaKind, Platform, Resolution};
use crate::platforms::replay::{Replay, embed, evidence, live, outcome_for, sample};
use crate::platforms::source::Answer;

const KITTENS: &str = "eiHXASgRTcA";
const KITTENS_URL: &str = "https://www.youtube.com/watch?v=eiHXASgRTcA";

#[test]
fn request_urls_have_the_recorded_shape() {
    assert_eq!(
        oembed_url(KITTENS).as_str(),
        sample("youtube-oembed-eiHXASgRTcA-2024").url
    );
    assert_eq!(
        watch_url(KITTENS).as_str(),
        sample("youtube-watch-eiHXASgRTcA").url
    );
    assert_eq!(watch_url(KITTENS).as_str(), KITTENS_URL);
}

#[test]
fn oembed_answers_classify_as_the_manifest_says() {
    // (manifest id, video id)
    let cases = [
        ("youtube-oembed-eiHXASgRTcA-2024", KITTENS),
        ("youtube-oembed-youtu.be-eiHXASgRTcA-2021", KITTENS),
        ("youtube-oembed-http-watch-eiHXASgRTcA-2021", KITTENS),
        ("youtube-oembed-pO5L6vXtxsI", "pO5L6vXtxsI"),
        ("youtube-oembed-youtu.be-pO5L6vXtxsI", "pO5L6vXtxsI"),
        ("youtube-oembed-zzzzzzzzzz1-404", "zzzzzzzzzz1"),
        ("youtube-oembed-zzzzzzzzzz2-401", "zzzzzzzzzz2"),
        ("youtube-oembed-zzzzzzzzzz3-403", "zzzzzzzzzz3"),
    ];
    for (id, video) in cases {
        let s = sample(id);
        let verdict = oembed::classify(&s.answer(), video);
        assert_eq!(
            verdict.outcome(),
            Some(outcome_for(&s.post_state)),
            "{id}: {verdict:?}"
        );
        match &verdict {
            Resolution::Live(c) => assert_eq!(c.source, "youtube-oembed", "{id}"),
            Resolution::Gone { source, .. } | Resolution::Transient { source, .. } => {
                assert_eq!(source, "youtube-oembed", "{id}")
            }
            Resolution::Unsupported => panic!("{id}: unsupported"),
        }
    }
}

#[test]
fn oembed_error_evidence_says_what_was_seen() {
    let cases = [
        (
            "youtube-oembed-zzzzzzzzzz1-404",
            "zzzzzzzzzz1",
            "HTTP 404 from youtube-oembed for video zzzzzzzzzz1 \
             (deleted, never existed, or its channel was terminated)",
        ),
        (
            "youtube-oembed-zzzzzzzzzz2-401",
            "zzzzzzzzzz2",
            "HTTP 401 from youtube-oembed for video zzzzzzzzzz2: \
             restricted (private or embedding disabled)",
        ),
        (
            "youtube-oembed-zzzzzzzzzz3-403",
            "zzzzzzzzzz3",
            "HTTP 403 from youtube-oembed for video zzzzzzzzzz3: \
             restricted (private or embedding disabled)",
        ),
    ];
    for (id, video, want) in cases {
        let verdict = oembed::classify(&sample(id).answer(), video);
        assert_eq!(evidence(&verdict), want, "{id}");
    }
}

#[test]
fn oembed_live_answer_is_read_into_content() {
    let s = sample("youtube-oembed-eiHXASgRTcA-2024");
    let c = live(oembed::classify(&s.answer(), KITTENS));
    assert_eq!(c.title.as_deref(), Some(s.expected("title")));
    assert_eq!(c.text, None);
    assert_eq!(c.author_name.as_deref(), Some(s.expected("author_name")));
    // The 2024 answer names the channel by its handle (the manifest's expected author_url is
    // the older /user/ form from the page metadata).
    assert_eq!(
        c.author_url.as_deref(),
        Some("https://www.youtube.com/@smshdchrb")
    );
    assert_eq!(c.author_handle.as_deref(), Some("smshdchrb"));
    assert_eq!(c.published_at, None);
    assert_eq!(c.media.len(), 1);
    let m = &c.media[0];
    assert_eq!(m.kind, MediaKind::Video);
    assert_eq!(m.url, KITTENS_URL);
    assert_eq!(m.image_url.as_deref(), Some(s.expected("image")));
    assert_eq!((m.width, m.height), (Some(480), Some(360)));
    assert_eq!(c.raw.len(), 1);
    assert_eq!(c.raw[0].bytes, s.body);
    assert_eq!(c.raw[0].url, s.url);
    assert_eq!(c.raw[0].content_type.as_deref(), Some("application/json"));
}

#[test]
fn legacy_user_urls_carry_no_handle() {
    let s = sample("youtube-oembed-http-watch-eiHXASgRTcA-2021");
    let c = live(oembed::classify(&s.answer(), KITTENS));
    assert_eq!(
        c.author_url.as_deref(),
        Some("https://www.youtube.com/user/smshdchrb")
    );
    assert_eq!(c.author_handle, None);
}

#[test]
fn channel_url_handles() {
    let cases = [
        ("https://www.youtube.com/@CKEditor", Some("CKEditor")),
        ("http://www.youtube.com/@smshdchrb", Some("smshdchrb")),
        (
            "https://www.youtube.com/@caf%C3%A9tv/videos",
            Some("cafétv"),
        ),
        ("https://www.youtube.com/user/smshdchrb", None),
        (
            "https://www.youtube.com/channel/UCSIspO-rc83PCwcY29r_5dA",
            None,
        ),
        ("https://www.youtube.com/@", None),
        ("not a url", None),
    ];
    for (url, want) in cases {
        assert_eq!(
            addresses::handle_from_channel_url(url).as_deref(),
            want,
            "{url}"
        );
    }
}

fn json_answer(url: &str, status: u16, body: &'static str) -> Answer {
    Answer {
        url: url.to_owned(),
        status,
        content_type: Some("application/json".into()),
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn oembed_odd_answers_are_transient_or_fall_back() {
    let url = oembed_url(KITTENS);
    let cases: [(u16, &str, Option<CheckOutcome>); 6] = [
        (200, "<html>oops</html>", Some(CheckOutcome::Transient)),
        (400, "Bad Request", Some(CheckOutcome::Transient)),
        (429, "Too Many Requests", Some(CheckOutcome::Transient)),
        (500, "", Some(CheckOutcome::Transient)),
        (599, "", Some(CheckOutcome::Transient)),
        (
            200,
            r#"{"title":"T","author_name":"A"}"#,
            Some(CheckOutcome::Live),
        ),
    ];
    for (status, body, want) in cases {
        let verdict = oembed::classify(&json_answer(url.as_str(), status, body), KITTENS);
        assert_eq!(verdict.outcome(), want, "{status} {body}");
    }
    // No thumbnail in the answer: the hqdefault image every video has.
    let c = live(oembed::classify(
        &json_answer(url.as_str(), 200, r#"{"title":"T"}"#),
        KITTENS,
    ));
    assert_eq!(
        c.media[0].image_url.as_deref(),
        Some("https://i.ytimg.com/vi/eiHXASgRTcA/hqdefault.jpg")
    );
    assert_eq!(
        (c.media[0].width, c.media[0].height),
        (Some(480), Some(360))
    );
    // An oEmbed request that ends on a consent page is about the consent page.
    let consent = json_answer(
        "https://consent.youtube.com/m?continue=https%3A%2F%2Fwww.youtube.com",
        200,
        "<html></html>",
    );
    let verdict = oembed::classify(&consent, KITTENS);
    assert_eq!(verdict.outcome(), Some(CheckOutcome::Transient));
    assert!(evidence(&verdict).contains("consent page"));
}

#[test]
fn recorded_watch_page_is_read() {
    let s = sample("youtube-watch-eiHXASgRTcA");
    let c = live(watch_page::classify(&s.answer(), KITTENS));
    assert_eq!(c.source, "youtube-watch");
    // The title apart; the description, whole, as the text.
    assert_eq!(c.title.as_deref(), Some(s.expected("title")));
    let text = c.text.as_deref().unwrap_or_default();
    assert!(text.starts_with("7 week old fostered kittens"), "{text}");
    assert!(text.ends_with("licensing@storyful.com"), "{text}");
    assert_eq!(c.author_name.as_deref(), Some(s.expected("author_name")));
    // The page writes `http://www.youtube.com/@smshdchrb`; the snapshot names the channel as
    // the oEmbed answer does.
    assert_eq!(
        c.author_url.as_deref(),
        Some("https://www.youtube.com/@smshdchrb")
    );
    assert_eq!(c.author_handle.as_deref(), Some("smshdchrb"));
    // publishDate "2008-10-04T13:06:22-07:00"
    assert_eq!(
        c.published_at,
        Some(Utc.with_ymd_and_hms(2008, 10, 4, 20, 6, 22).unwrap())
    );
    assert_eq!(c.media[0].url, KITTENS_URL);
    // The poster the microformat names.
    assert_eq!(c.media[0].image_url.as_deref(), Some(s.expected("image")));
    assert_eq!(
        (c.media[0].width, c.media[0].height),
        (Some(480), Some(360))
    );
    assert_eq!(c.raw[0].bytes.len(), s.body.len());
}

#[test]
fn consent_pages_are_transient() {
    for id in [
        "youtube-consent-page-youtu.be-eiHXASgRTcA",
        "youtube-consent-404-channel",
    ] {
        let s = sample(id);
        assert_eq!(s.post_state, "transient");
        // As recorded: the final hop of a redirect chain, on consent.youtube.com.
        let verdict = watch_page::classify(&s.answer(), KITTENS);
        assert_eq!(verdict.outcome(), Some(CheckOutcome::Transient), "{id}");
        assert!(
            evidence(&verdict).contains("consent page"),
            "{id}: {verdict:?}"
        );
    }
    // The same consent body answered at the watch URL itself (no redirect seen).
    let s = sample("youtube-consent-page-youtu.be-eiHXASgRTcA");
    let verdict = watch_page::classify(&s.answer_at(watch_url(KITTENS).as_str()), KITTENS);
    assert_eq!(verdict.outcome(), Some(CheckOutcome::Transient));
    assert!(evidence(&verdict).contains("consent page"), "{verdict:?}");
}

#[test]
fn watch_page_walls_and_statuses_are_transient() {
    let page = sample("youtube-watch-eiHXASgRTcA");
    let cases = [
        (KITTENS_URL, 429),
        (KITTENS_URL, 500),
        (KITTENS_URL, 404),
        (KITTENS_URL, 599),
        (
            "https://www.google.com/sorry/index?continue=https://www.youtube.com/watch",
            200,
        ),
    ];
    for (url, status) in cases {
        let mut answer = page.answer_at(url);
        answer.status = status;
        let verdict = watch_page::classify(&answer, KITTENS);
        assert_eq!(
            verdict.outcome(),
            Some(CheckOutcome::Transient),
            "{url} {status}"
        );
    }
}

/// An assignment of the player response in what the page shows as text (an uploader's title,
/// a comment) is no script's: the recorded page stays live with such a decoy before its own.
#[test]
fn a_player_response_quoted_outside_a_script_is_not_read() {
    let s = sample("youtube-watch-eiHXASgRTcA");
    let html = String::from_utf8(s.body.clone()).expect("utf-8");
    let decoy = r#"ytInitialPlayerResponse = {"playabilityStatus":{"status":"ERROR","reason":"This video has been removed by the uploader"}};"#;
    let title = html.find("<title>").expect("title") + "<title>".len();
    for page in [
        format!("{}{decoy}{}", &html[..title], &html[title..]),
        format!(
            "{}<!-- <script>{decoy}</script> -->{}",
            &html[..title],
            &html[title..]
        ),
    ] {
        let mut answer = s.answer();
        answer.body = page.into_bytes();
        let c = live(watch_page::classify(&answer, KITTENS));
        assert_eq!(c.title.as_deref(), Some(s.expected("title")));
    }
}

/// The recorded watch page with its player response made unreadable (a lone surrogate, a
/// status of the wrong type, the page cut short) is transient with the reading's error, not
/// named a consent or captcha page: the real page links to consent.youtube.com and loads
/// reCAPTCHA as any watch page does.
#[test]
fn an_unreadable_player_response_is_named_not_taken_for_a_wall() {
    let s = sample("youtube-watch-eiHXASgRTcA");
    let html = String::from_utf8(s.body.clone()).expect("utf-8");
    assert!(html.contains("consent.youtube.com") && html.contains("recaptcha"));
    let start = html
        .find("ytInitialPlayerResponse = ")
        .expect("player response");
    // Inside the first status string: `"status":"\ud800OK"`.
    let status = html[start..].find(r#""status":""#).expect("status") + start + 10;
    let broken = [
        format!("{}\\ud800{}", &html[..status], &html[status..]),
        html.replacen(r#""status":"OK""#, r#""status":5"#, 1),
        html[..start + 5_000].to_owned(),
    ];
    for page in broken {
        let mut answer = s.answer();
        answer.body = page.into_bytes();
        match watch_page::classify(&answer, KITTENS) {
            Resolution::Transient { evidence, .. } => {
                assert!(
                    evidence.contains("unreadable ytInitialPlayerResponse")
                        && !evidence.contains("consent")
                        && !evidence.contains("captcha"),
                    "{evidence}"
                );
            }
            other => panic!("expected transient, got {other:?}"),
        }
    }
}

/// A watch page whose only script sets `ytInitialPlayerResponse` to `json`, followed by more
/// script as on the real page.
fn synthetic_page(assignment: &str) -> Answer {
    let html = format!(
        "<html><body><script>{assignment};var meta = document.createElement('meta');</script></body></html>"
    );
    Answer {
        url: watch_url(KITTENS).into(),
        status: 200,
        content_type: Some("text/html; charset=utf-8".into()),
        body: html.into_bytes(),
    }
}

const DETAILS: &str = r#""videoDetails":{"videoId":"eiHXASgRTcA","title":"T {\"};\" }","author":"A","shortDescription":"","channelId":"UC1"}"#;

#[test]
fn playability_states_classify() {
    let ok = format!(
        r#"var ytInitialPlayerResponse = {{"playabilityStatus":{{"status":"OK"}},{DETAILS}}}"#
    );
    let cases: Vec<(String, CheckOutcome, &str)> = vec![
        (ok.clone(), CheckOutcome::Live, ""),
        (
            format!(r#"window["ytInitialPlayerResponse"] = {{"playabilityStatus":{{"status":"OK"}},{DETAILS}}}"#),
            CheckOutcome::Live,
            "",
        ),
        (
            format!(r#"var ytInitialPlayerResponse = null; var ytInitialPlayerResponse = {{"playabilityStatus":{{"status":"OK"}},{DETAILS}}}"#),
            CheckOutcome::Live,
            "",
        ),
        (
            r#"var ytInitialPlayerResponse = {"playabilityStatus":{"status":"ERROR","reason":"This video has been removed by the uploader"}}"#.into(),
            CheckOutcome::Gone,
            "playabilityStatus ERROR: This video has been removed by the uploader",
        ),
        (
            r#"var ytInitialPlayerResponse = {"playabilityStatus":{"status":"ERROR","errorScreen":{"playerErrorMessageRenderer":{"reason":{"runs":[{"text":"Video "},{"text":"unavailable"}]}}}}}"#.into(),
            CheckOutcome::Gone,
            "playabilityStatus ERROR: Video unavailable",
        ),
        (
            r#"var ytInitialPlayerResponse = {"playabilityStatus":{"status":"LOGIN_REQUIRED","reason":"This video is private"}}"#.into(),
            CheckOutcome::Gone,
            "private: playabilityStatus LOGIN_REQUIRED: This video is private",
        ),
        (
            r#"var ytInitialPlayerResponse = {"playabilityStatus":{"status":"LOGIN_REQUIRED","reason":"Sign in to confirm you’re not a bot"}}"#.into(),
            CheckOutcome::Transient,
            "bot check: playabilityStatus LOGIN_REQUIRED: Sign in to confirm you’re not a bot",
        ),
        (
            format!(r#"var ytInitialPlayerResponse = {{"playabilityStatus":{{"status":"LOGIN_REQUIRED","reason":"Sign in to confirm your age"}},{DETAILS}}}"#),
            CheckOutcome::Live,
            "",
        ),
        (
            format!(r#"var ytInitialPlayerResponse = {{"playabilityStatus":{{"status":"AGE_CHECK_REQUIRED"}},{DETAILS}}}"#),
            CheckOutcome::Live,
            "",
        ),
        (
            r#"var ytInitialPlayerResponse = {"playabilityStatus":{"status":"UNPLAYABLE","reason":"Video unavailable in your country"}}"#.into(),
            CheckOutcome::Transient,
            "restricted (playabilityStatus UNPLAYABLE: Video unavailable in your country) but no videoDetails",
        ),
        (
            format!(r#"var ytInitialPlayerResponse = {{"playabilityStatus":{{"status":"NEW_THING"}},{DETAILS}}}"#),
            CheckOutcome::Transient,
            "unknown playabilityStatus NEW_THING",
        ),
        (
            r#"var ytInitialPlayerResponse = {"videoDetails":{"videoId":"eiHXASgRTcA"}}"#.into(),
            CheckOutcome::Transient,
            "watch page has no playabilityStatus",
        ),
        (
            r#"var ytInitialPlayerResponse = {"playabilityStatus":{"status":"OK"},"videoDetails":{"videoId":"otherVideo1"}}"#.into(),
            CheckOutcome::Transient,
            "watch page shows video \"otherVideo1\", not \"eiHXASgRTcA\"",
        ),
        (
            r#"var ytInitialPlayerResponse = {"playabilityStatus":{"status":"OK"}"#.into(),
            CheckOutcome::Transient,
            "",
        ),
        (
            "var somethingElse = {}".into(),
            CheckOutcome::Transient,
            "https://www.youtube.com/watch?v=eiHXASgRTcA: no ytInitialPlayerResponse in the watch page",
        ),
    ];
    for (assignment, want, want_evidence) in cases {
        let verdict = watch_page::classify(&synthetic_page(&assignment), KITTENS);
        assert_eq!(verdict.outcome(), Some(want), "{assignment}: {verdict:?}");
        if !want_evidence.is_empty() {
            assert_eq!(evidence(&verdict), want_evidence, "{assignment}");
        }
    }
    // Strings with braces and escaped quotes inside the object do not end it early.
    let c = live(watch_page::classify(&synthetic_page(&ok), KITTENS));
    assert_eq!(c.title.as_deref(), Some("T {\"};\" }"));
    // A blank description is no text.
    assert_eq!(c.text, None);
    // No poster in the microformat: the hqdefault image every video has.
    assert_eq!(
        c.media[0].image_url.as_deref(),
        Some("https://i.ytimg.com/vi/eiHXASgRTcA/hqdefault.jpg")
    );
    assert_eq!(
        c.author_url.as_deref(),
        Some("https://www.youtube.com/channel/UC1")
    );
}

#[test]
fn the_widest_microformat_thumbnail_is_the_poster() {
    let page = synthetic_page(&format!(
        r#"var ytInitialPlayerResponse = {{"playabilityStatus":{{"status":"OK"}},{DETAILS},"microformat":{{"playerMicroformatRenderer":{{"thumbnail":{{"thumbnails":[{{"url":"https://i.ytimg.com/vi/eiHXASgRTcA/mqdefault.jpg","width":320,"height":180}},{{"url":"https://i.ytimg.com/vi/eiHXASgRTcA/maxresdefault.jpg","width":1280,"height":720}},{{"url":" ","width":4000}}]}}}}}}}}"#
    ));
    let c = live(watch_page::classify(&page, KITTENS));
    let m = &c.media[0];
    assert_eq!(
        m.image_url.as_deref(),
        Some("https://i.ytimg.com/vi/eiHXASgRTcA/maxresdefault.jpg")
    );
    assert_eq!((m.width, m.height), (Some(1280), Some(720)));
}

#[test]
fn microformat_dates() {
    let cases = [
        (
            "2019-05-01",
            Some(Utc.with_ymd_and_hms(2019, 5, 1, 0, 0, 0).unwrap()),
        ),
        (
            "2008-10-04T13:06:22-07:00",
            Some(Utc.with_ymd_and_hms(2008, 10, 4, 20, 6, 22).unwrap()),
        ),
        (
            "2024-02-29T23:59:59Z",
            Some(Utc.with_ymd_and_hms(2024, 2, 29, 23, 59, 59).unwrap()),
        ),
        ("2019-02-30", None),
        ("yesterday", None),
        ("", None),
    ];
    for (text, want) in cases {
        assert_eq!(parse_date(text), want, "{text}");
    }
}

/// A stream's page gives its publication as a bare day and its broadcast's start to the second:
/// the start is the time it was published. A start on another day than the one published (a
/// stream scheduled long before) leaves the day as it is.
#[test]
fn a_stream_is_published_when_its_broadcast_started() {
    let s = sample("youtube-watch-5qap5aO4i9A-live-now-2020");
    let c = live(watch_page::classify(&s.answer(), "5qap5aO4i9A"));
    let start = s.expected("live_broadcast_start");
    assert_eq!(
        c.published_at.map(|t| t.to_rfc3339()).as_deref(),
        Some(start)
    );

    let later = synthetic_page(&format!(
        r#"var ytInitialPlayerResponse = {{"playabilityStatus":{{"status":"OK"}},{DETAILS},"microformat":{{"playerMicroformatRenderer":{{"publishDate":"2020-02-22","liveBroadcastDetails":{{"startTimestamp":"2020-03-01T10:00:00+00:00"}}}}}}}}"#
    ));
    let c = live(watch_page::classify(&later, KITTENS));
    assert_eq!(
        c.published_at,
        Some(Utc.with_ymd_and_hms(2020, 2, 22, 0, 0, 0).unwrap())
    );
}

fn kittens() -> crate::model::EmbedRef {
    embed(Platform::Youtube, KITTENS, KITTENS_URL)
}

#[tokio::test]
async fn live_oembed_is_enriched_by_the_watch_page() {
    let replay = Replay::new()
        .sample("youtube-oembed-eiHXASgRTcA-2024")
        .sample("youtube-watch-eiHXASgRTcA");
    let c = live(resolve_with(&replay, &kittens()).await);
    assert_eq!(c.source, SOURCE_ENRICHED);
    assert_eq!(c.source, "youtube-oembed+watch");
    assert_eq!(
        c.author_url.as_deref(),
        Some("https://www.youtube.com/@smshdchrb")
    );
    assert_eq!(c.author_handle.as_deref(), Some("smshdchrb"));
    assert_eq!(
        c.title.as_deref(),
        Some("Noisy kittens waiting for dinner!")
    );
    let text = c.text.as_deref().unwrap_or_default();
    assert!(text.starts_with("7 week old"), "{text}");
    assert_eq!(
        c.published_at,
        Some(Utc.with_ymd_and_hms(2008, 10, 4, 20, 6, 22).unwrap())
    );
    assert_eq!(c.raw.len(), 2);
    assert_eq!(
        replay.requests(),
        vec![
            sample("youtube-oembed-eiHXASgRTcA-2024").url,
            KITTENS_URL.to_owned()
        ]
    );
}

#[tokio::test]
async fn failed_enrichment_keeps_the_oembed_verdict() {
    let consent = sample("youtube-consent-page-youtu.be-eiHXASgRTcA");
    let cases = [
        // No watch page recorded: the replay fails it like an unreachable host.
        Replay::new().sample("youtube-oembed-eiHXASgRTcA-2024"),
        Replay::new()
            .sample("youtube-oembed-eiHXASgRTcA-2024")
            .time_out(KITTENS_URL),
        Replay::new()
            .sample("youtube-oembed-eiHXASgRTcA-2024")
            .answer(KITTENS_URL, consent.answer()),
    ];
    for replay in cases {
        let c = live(resolve_with(&replay, &kittens()).await);
        assert_eq!(c.source, "youtube-oembed");
        assert_eq!(c.published_at, None);
        assert_eq!(
            c.title.as_deref(),
            Some("Noisy kittens waiting for dinner!")
        );
        assert_eq!(c.text, None);
        assert_eq!(c.raw.len(), 1);
        assert_eq!(replay.requests().len(), 2);
    }
}

#[tokio::test]
async fn oembed_404_is_gone_without_asking_the_watch_page() {
    let replay = Replay::new().sample("youtube-oembed-zzzzzzzzzz1-404");
    let e = embed(
        Platform::Youtube,
        "zzzzzzzzzz1",
        "https://www.youtube.com/watch?v=zzzzzzzzzz1",
    );
    let verdict = resolve_with(&replay, &e).await;
    assert_eq!(
        verdict,
        Resolution::Gone {
            source: "youtube-oembed".into(),
            evidence: "HTTP 404 from youtube-oembed for video zzzzzzzzzz1 \
                       (deleted, never existed, or its channel was terminated)"
                .into()
        }
    );
    assert_eq!(replay.requests().len(), 1);
}

#[tokio::test]
async fn restricted_oembed_defers_to_the_watch_page() {
    let id = "zzzzzzzzzz2";
    let watch = watch_url(id);
    let private = synthetic_page(
        r#"var ytInitialPlayerResponse = {"playabilityStatus":{"status":"LOGIN_REQUIRED","reason":"This video is private"}}"#,
    );
    let e = embed(Platform::Youtube, id, watch.as_str());

    // Watch page unreachable: nothing can be concluded.
    let replay = Replay::new().sample("youtube-oembed-zzzzzzzzzz2-401");
    let verdict = resolve_with(&replay, &e).await;
    assert_eq!(verdict.outcome(), Some(CheckOutcome::Transient));
    let ev = evidence(&verdict);
    assert!(
        ev.contains(
            "HTTP 401 from youtube-oembed for video zzzzzzzzzz2: \
             restricted (private or embedding disabled)"
        ),
        "{ev}"
    );
    assert!(
        ev.ends_with(
            "watch page: youtube-watch: request failed: cannot connect: not recorded \
             at https://www.youtube.com/watch?v=zzzzzzzzzz2"
        ),
        "{ev}"
    );
    assert_eq!(
        replay.requests(),
        vec![oembed_url(id).to_string(), watch.to_string()]
    );

    // The watch page says private: gone, from the watch page.
    let replay = Replay::new()
        .sample("youtube-oembed-zzzzzzzzzz2-401")
        .answer(watch.as_str(), private);
    let verdict = resolve_with(&replay, &e).await;
    assert_eq!(verdict.outcome(), Some(CheckOutcome::Gone));
    assert!(matches!(&verdict, Resolution::Gone { source, .. } if source == "youtube-watch"));
}

#[tokio::test]
async fn failed_oembed_falls_back_to_the_watch_page() {
    let oembed = sample("youtube-oembed-eiHXASgRTcA-2024").url;
    let replay = Replay::new()
        .time_out(&oembed)
        .sample("youtube-watch-eiHXASgRTcA");
    let c = live(resolve_with(&replay, &kittens()).await);
    assert_eq!(c.source, "youtube-watch");
    assert_eq!(c.author_name.as_deref(), Some("smshdchrb"));
    assert!(c.published_at.is_some());
}

#[tokio::test]
async fn bad_ids_are_not_fetched() {
    for id in ["", "short", "eiHXASgRTcA/x", "eiHXASgRTc&"] {
        let replay = Replay::new();
        let e = embed(Platform::Youtube, id, KITTENS_URL);
        let verdict = resolve_with(&replay, &e).await;
        assert_eq!(verdict.outcome(), Some(CheckOutcome::Transient), "{id:?}");
        assert!(replay.requests().is_empty(), "{id:?}");
    }
}

#[tokio::test]
async fn resolves_through_the_http_client_and_host_overrides() {
    use crate::http::HttpClient;
    use crate::platforms::replay::{fixture_config, fixture_server};
    use crate::platforms::{ResolveContext, resolve};

    let base = fixture_server(&[
        "youtube-oembed-eiHXASgRTcA-2024",
        "youtube-watch-eiHXASgRTcA",
        "youtube-oembed-zzzzzzzzzz1-404",
    ])
    .await;
    let config = fixture_config(&base, &["www.youtube.com"]);
    let http = HttpClient::new(&config.http, &config.politeness).expect("client");
    let ctx = ResolveContext {
        http: &http,
        config: &config,
    };
    let c = live(resolve(&ctx, &kittens()).await);
    assert_eq!(c.source, "youtube-oembed+watch");
    assert!(c.published_at.is_some());
    // The public URL, never the override target.
    assert_eq!(c.raw[1].url, KITTENS_URL);

    let gone = embed(
        Platform::Youtube,
        "zzzzzzzzzz1",
        "https://www.youtube.com/watch?v=zzzzzzzzzz1",
    );
    assert_eq!(
        resolve(&ctx, &gone).await.outcome(),
        Some(CheckOutcome::Gone)
    );
}

#[test]
fn published_at_falls_back_to_the_upload_date() {
    let cases = [
        (
            r#""microformat":{"playerMicroformatRenderer":{"uploadDate":"2019-05-01"}}"#,
            Some(Utc.with_ymd_and_hms(2019, 5, 1, 0, 0, 0).unwrap()),
        ),
        (
            r#""microformat":{"playerMicroformatRenderer":{"publishDate":"2020-01-02T03:04:05+00:00","uploadDate":"2019-05-01"}}"#,
            Some(Utc.with_ymd_and_hms(2020, 1, 2, 3, 4, 5).unwrap()),
        ),
        (
            r#""microformat":{"playerMicroformatRenderer":{"publishDate":"soon","uploadDate":"2019-05-01"}}"#,
            Some(Utc.with_ymd_and_hms(2019, 5, 1, 0, 0, 0).unwrap()),
        ),
        (r#""microformat":{}"#, None),
    ];
    for (microformat, want) in cases {
        let page = synthetic_page(&format!(
            r#"var ytInitialPlayerResponse = {{"playabilityStatus":{{"status":"OK"}},{DETAILS},{microformat}}}"#
        ));
        let c = live(watch_page::classify(&page, KITTENS));
        assert_eq!(c.published_at, want, "{microformat}");
    }
}

#[tokio::test]
async fn enrichment_adds_the_handle_a_legacy_oembed_answer_lacks() {
    // The 2021 answer names the channel by its /user/ URL; the watch page knows the @handle.
    let legacy = sample("youtube-oembed-http-watch-eiHXASgRTcA-2021");
    let request = oembed_url(KITTENS);
    let replay = Replay::new()
        .answer(request.as_str(), legacy.answer_at(request.as_str()))
        .sample("youtube-watch-eiHXASgRTcA");
    let c = live(resolve_with(&replay, &kittens()).await);
    assert_eq!(c.source, "youtube-oembed+watch");
    assert_eq!(
        c.author_url.as_deref(),
        Some("https://www.youtube.com/user/smshdchrb")
    );
    assert_eq!(c.author_handle.as_deref(), Some("smshdchrb"));
}

#[tokio::test]
async fn playlists_are_read_from_oembed_alone() {
    const LIST: &str = "PLBCF2DAC6FFB574DE";
    let mut list = embed(
        Platform::Youtube,
        LIST,
        "https://www.youtube.com/playlist?list=PLBCF2DAC6FFB574DE",
    );
    list.kind = crate::model::EmbedKind::Playlist;
    let request = oembed::item_oembed_url(oembed::Item::Playlist(LIST));
    assert_eq!(
        request.as_str(),
        "https://www.youtube.com/oembed?format=json&url=https%3A%2F%2Fwww.youtube.com%2Fplaylist%3Flist%3DPLBCF2DAC6FFB574DE"
    );
    let body = r#"{"title":"Mix","author_name":"Chan","author_url":"https://www.youtube.com/@chan","thumbnail_url":"https://i.ytimg.com/vi/abc/hqdefault.jpg","thumbnail_width":480,"thumbnail_height":360}"#;
    let replay = Replay::new().answer(request.as_str(), json_answer(request.as_str(), 200, body));
    let c = live(resolve_with(&replay, &list).await);
    assert_eq!(c.title.as_deref(), Some("Mix"));
    assert_eq!(c.author_handle.as_deref(), Some("chan"));
    assert_eq!(
        c.media[0].url,
        "https://www.youtube.com/playlist?list=PLBCF2DAC6FFB574DE"
    );
    assert_eq!(c.source, "youtube-oembed");
    assert_eq!(replay.requests(), vec![request.to_string()]);

    // Unconfirmed for playlists: a 404 is not taken as deletion. No thumbnail: none invented.
    let cases: [(u16, &'static str, CheckOutcome); 3] = [
        (404, "Not Found", CheckOutcome::Transient),
        (401, "Unauthorized", CheckOutcome::Transient),
        (200, r#"{"title":"Mix"}"#, CheckOutcome::Live),
    ];
    for (status, body, want) in cases {
        let replay = Replay::new().answer(
            request.as_str(),
            json_answer(request.as_str(), status, body),
        );
        let verdict = resolve_with(&replay, &list).await;
        assert_eq!(verdict.outcome(), Some(want), "{status}");
        if let Resolution::Live(c) = verdict {
            assert_eq!(c.media[0].image_url, None);
        }
    }

    // Not a list id: nothing fetched.
    list.post_id = Some("PL/../x".into());
    let replay = Replay::new();
    let verdict = resolve_with(&replay, &list).await;
    assert_eq!(verdict.outcome(), Some(CheckOutcome::Transient));
    assert!(replay.requests().is_empty());
}

#[tokio::test]
async fn a_watch_page_that_redirects_to_consent_is_transient_end_to_end() {
    use crate::http::HttpClient;
    use crate::platforms::replay::{fixture_config, fixture_server_with};
    use crate::platforms::{ResolveContext, resolve};

    // oEmbed says restricted; the watch page redirects to the recorded EU consent page.
    let id = "zzzzzzzzzz2";
    let consent = sample("youtube-consent-page-youtu.be-eiHXASgRTcA");
    let mut redirect = consent.clone();
    redirect.url = watch_url(id).to_string();
    redirect.status = 302;
    redirect.location = Some(consent.url.clone());
    redirect.body = Vec::new();
    let base = fixture_server_with(vec![
        sample("youtube-oembed-zzzzzzzzzz2-401"),
        redirect,
        consent,
    ])
    .await;
    let config = fixture_config(&base, &["www.youtube.com", "consent.youtube.com"]);
    let http = HttpClient::new(&config.http, &config.politeness).expect("client");
    let ctx = ResolveContext {
        http: &http,
        config: &config,
    };
    let verdict = resolve(&ctx, &embed(Platform::Youtube, id, watch_url(id).as_str())).await;
    assert_eq!(
        verdict.outcome(),
        Some(CheckOutcome::Transient),
        "{verdict:?}"
    );
    let ev = evidence(&verdict);
    assert!(
        ev.contains("watch page redirected to a consent page: https://consent.youtube.com/m?"),
        "{ev}"
    );
}

/// A playlist answer (2021) gives its author's page as a path; it is read against the
/// answer's `provider_url`, not dropped.
#[test]
fn a_relative_author_link_is_read_against_the_provider() {
    let s = sample("youtube-oembed-playlist-relative-author-url-2021");
    let c = live(oembed::classify_item(
        &s.answer(),
        oembed::Item::Playlist("PL4qTakKkQATKOyZPJG_cAMnRtF7fAIdST"),
    ));
    assert_eq!(c.author_name.as_deref(), Some("Scadrei5"));
    assert_eq!(
        c.author_url.as_deref(),
        Some("https://www.youtube.com/user/Scadrei5")
    );
}

/// A recorded watch page from `tests/fixtures/samples/youtube/` (outside the manifest; each has
/// a sibling `.source.txt`), answered at the canonical watch URL of `video_id`.
fn recorded_watch(file: &str, video_id: &str) -> Answer {
    let path = format!(
        "{}/tests/fixtures/samples/youtube/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let body = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Answer {
        url: watch_url(video_id).into(),
        status: 200,
        content_type: Some("text/html; charset=utf-8".into()),
        body,
    }
}

const PRIVATE: (&str, &str) = ("watch-m8uHb5jIGN8-private-2021.html", "m8uHb5jIGN8");
const AGE_GATED: (&str, &str) = ("watch-irauhITDrsE-age-restricted-2021.html", "irauhITDrsE");
const REGION_BLOCKED: (&str, &str) = ("watch-hZpzr8TbF08-region-blocked-2020.html", "hZpzr8TbF08");
const ENDED_STREAM: (&str, &str) = (
    "watch-5YceQ8YqYMc-live-recording-unavailable-2021.html",
    "5YceQ8YqYMc",
);
const PLAYABLE_2024: (&str, &str) = ("watch-pvkTC2xIbeY-2024.html", "pvkTC2xIbeY");

/// A private video (pytube's 2021 capture): `LOGIN_REQUIRED` with no `reason`, "Private video"
/// only on the error screen and in `messages`, and no `videoDetails`. The module's model: gone.
#[test]
fn recorded_private_video_is_gone() {
    let (file, id) = PRIVATE;
    let verdict = watch_page::classify(&recorded_watch(file, id), id);
    assert_eq!(verdict.outcome(), Some(CheckOutcome::Gone), "{verdict:?}");
    assert!(matches!(&verdict, Resolution::Gone { source, .. } if source == "youtube-watch"));
    assert_eq!(
        evidence(&verdict),
        "private: playabilityStatus LOGIN_REQUIRED: Private video \
         (Sign in if you've been granted access to this video)"
    );
}

/// The same status read from `messages` alone (the capture's error screen dropped): still
/// private, not an unreadable restricted page.
#[test]
fn private_video_named_only_in_messages_is_gone() {
    let (file, id) = PRIVATE;
    let recorded = recorded_watch(file, id);
    let html = String::from_utf8_lossy(&recorded.body).into_owned();
    let start = html
        .find(r#","errorScreen":"#)
        .expect("error screen in capture");
    let end = html[start..]
        .find(r#"},"contextParams""#)
        .map(|at| start + at + 1)
        .expect("end of error screen");
    let without_screen = format!("{}{}", &html[..start], &html[end..]);
    assert!(!without_screen.contains("Private video"));
    let answer = Answer {
        body: without_screen.into_bytes(),
        ..recorded
    };
    let verdict = watch_page::classify(&answer, id);
    assert_eq!(verdict.outcome(), Some(CheckOutcome::Gone), "{verdict:?}");
    assert!(
        evidence(&verdict).contains("This is a private video."),
        "{verdict:?}"
    );
}

/// Age-restricted, region-blocked and ended-stream pages all withhold playback but show the
/// video: each is live, read whole, title apart from the description.
#[test]
fn recorded_restricted_videos_are_live() {
    // (capture, title, channel, channel URL, handle, published, poster, description start)
    let cases = [
        (
            AGE_GATED,
            "THE MOST AGE RESTRICTED VIDEO EVER",
            "OfficialDuckStudios",
            "https://www.youtube.com/user/OfficialDuckStudios",
            None,
            Utc.with_ymd_and_hms(2016, 12, 29, 0, 0, 0).unwrap(),
            "https://i.ytimg.com/vi/irauhITDrsE/maxresdefault.jpg",
            "man, this video is extra bad.",
        ),
        (
            REGION_BLOCKED,
            "Walking In The Air",
            "AURORA - Topic",
            "https://www.youtube.com/channel/UC4G-AJa7kn8oumI6TT2WXYw",
            None,
            Utc.with_ymd_and_hms(2020, 1, 22, 0, 0, 0).unwrap(),
            "https://i.ytimg.com/vi/hZpzr8TbF08/maxresdefault.jpg",
            "Provided to YouTube by Universal Music Group",
        ),
        (
            ENDED_STREAM,
            "Vatican Media Live",
            "Vatican News",
            "https://www.youtube.com/user/vatican",
            None,
            // publishDate "2019-10-31"; the broadcast started 2019-10-31T20:02:52+00:00
            Utc.with_ymd_and_hms(2019, 10, 31, 20, 2, 52).unwrap(),
            "https://i.ytimg.com/vi/5YceQ8YqYMc/maxresdefault_live.jpg",
            "https://www.vaticannews.va/",
        ),
        (
            PLAYABLE_2024,
            "How to Add Chapters to YouTube Videos. Chapters Explained!",
            "YouTube Marketing with tubics",
            "https://www.youtube.com/@tubicsyt",
            Some("tubicsyt"),
            // publishDate "2020-06-17T08:00:11-07:00"
            Utc.with_ymd_and_hms(2020, 6, 17, 15, 0, 11).unwrap(),
            "https://i.ytimg.com/vi/pvkTC2xIbeY/maxresdefault.jpg",
            "What are YouTube chapters?",
        ),
    ];
    for ((file, id), title, channel, channel_url, handle, published, poster, text) in cases {
        let answer = recorded_watch(file, id);
        let c = live(watch_page::classify(&answer, id));
        assert_eq!(c.source, "youtube-watch", "{file}");
        assert_eq!(c.title.as_deref(), Some(title), "{file}");
        let description = c.text.as_deref().unwrap_or_default();
        assert!(description.starts_with(text), "{file}: {description}");
        assert_ne!(description, title, "{file}");
        assert_eq!(c.author_name.as_deref(), Some(channel), "{file}");
        assert_eq!(c.author_url.as_deref(), Some(channel_url), "{file}");
        assert_eq!(c.author_handle.as_deref(), handle, "{file}");
        assert_eq!(c.published_at, Some(published), "{file}");
        assert_eq!(c.media.len(), 1, "{file}");
        let m = &c.media[0];
        assert_eq!(m.kind, MediaKind::Video, "{file}");
        assert_eq!(m.url, watch_url(id).as_str(), "{file}");
        assert_eq!(m.image_url.as_deref(), Some(poster), "{file}");
        assert_eq!((m.width, m.height), (Some(1280), Some(720)), "{file}");
        assert_eq!(c.raw[0].bytes, answer.body, "{file}");
    }
}

/// The recorded page of one video says nothing about another.
#[test]
fn a_recorded_page_for_another_video_is_transient() {
    let (file, id) = REGION_BLOCKED;
    let verdict = watch_page::classify(&recorded_watch(file, id), KITTENS);
    assert_eq!(verdict.outcome(), Some(CheckOutcome::Transient));
    assert_eq!(
        evidence(&verdict),
        format!("watch page shows video {id:?}, not {KITTENS:?}")
    );
}

/// Junk is never proof: a recorded private page cut short, or served with an error status, is
/// transient and names the page.
#[test]
fn truncated_or_failed_recorded_pages_are_transient() {
    for (file, id) in [PRIVATE, AGE_GATED, REGION_BLOCKED] {
        let recorded = recorded_watch(file, id);
        let half = recorded.body[..recorded.body.len() / 2].to_vec();
        let cut = Answer {
            body: half,
            ..recorded.clone()
        };
        let verdict = watch_page::classify(&cut, id);
        assert_eq!(verdict.outcome(), Some(CheckOutcome::Transient), "{file}");
        let ev = evidence(&verdict);
        assert!(
            ev.starts_with(&format!(
                "{}: unreadable ytInitialPlayerResponse",
                watch_url(id)
            )),
            "{file}: {ev}"
        );
        let failed = Answer {
            status: 500,
            ..recorded
        };
        let verdict = watch_page::classify(&failed, id);
        assert_eq!(verdict.outcome(), Some(CheckOutcome::Transient), "{file}");
    }
}

/// End to end: oEmbed refuses (the recorded 401/403 bodies), the recorded watch page decides.
#[tokio::test]
async fn restricted_oembed_then_recorded_watch_pages() {
    // (oEmbed sample, capture, outcome)
    let cases = [
        (
            "youtube-oembed-zzzzzzzzzz2-401",
            PRIVATE,
            CheckOutcome::Gone,
        ),
        (
            "youtube-oembed-zzzzzzzzzz3-403",
            AGE_GATED,
            CheckOutcome::Live,
        ),
        (
            "youtube-oembed-zzzzzzzzzz2-401",
            REGION_BLOCKED,
            CheckOutcome::Live,
        ),
    ];
    for (oembed_sample, (file, id), want) in cases {
        let request = oembed_url(id);
        let refused = sample(oembed_sample).answer_at(request.as_str());
        let watch = watch_url(id);
        let replay = Replay::new()
            .answer(request.as_str(), refused)
            .answer(watch.as_str(), recorded_watch(file, id));
        let e = embed(Platform::Youtube, id, watch.as_str());
        let verdict = resolve_with(&replay, &e).await;
        assert_eq!(verdict.outcome(), Some(want), "{file}: {verdict:?}");
        match &verdict {
            Resolution::Live(c) => {
                assert_eq!(c.source, "youtube-watch", "{file}");
                assert!(c.title.is_some() && c.published_at.is_some(), "{file}");
            }
            Resolution::Gone { source, .. } => assert_eq!(source, "youtube-watch", "{file}"),
            other => panic!("{file}: {other:?}"),
        }
        assert_eq!(
            replay.requests(),
            vec![request.to_string(), watch.to_string()],
            "{file}"
        );
    }
}

/// A page's metadata stands in for player data only where the page has none: player data
/// that does not parse may hold an ERROR or private status, so such a page stays transient
/// even when its metadata presents the video.
#[test]
fn metadata_stands_in_only_for_missing_player_data() {
    let page = |script: &str| {
        let html = format!(
            r#"<html><head><meta property="og:type" content="video.other">
            <meta property="og:url" content="https://www.youtube.com/watch?v={KITTENS}">
            <meta property="og:title" content="Kittens"></head>
            <body><script>{script}</script></body></html>"#
        );
        Answer {
            url: watch_url(KITTENS).into(),
            status: 200,
            content_type: Some("text/html; charset=utf-8".into()),
            body: html.into_bytes(),
        }
    };
    let without = watch_page::classify(&page("var other = 1;"), KITTENS);
    assert_eq!(without.outcome(), Some(CheckOutcome::Live), "{without:?}");
    let broken = watch_page::classify(
        &page(r#"var ytInitialPlayerResponse = {"playabilityStatus":{"status":"ERROR""#),
        KITTENS,
    );
    assert_eq!(
        broken.outcome(),
        Some(CheckOutcome::Transient),
        "{broken:?}"
    );
}

/// Pages of about 2017 to 2020 give the player response only as a string in `ytplayer.config`:
/// a paid video of the 2019 layout (node-ytdl-core's capture) is read from it, its channel from
/// `videoDetails` and its day from the page's metadata.
#[test]
fn a_player_response_given_as_a_config_string_is_read() {
    let id = "SyKPsFRP_Oc";
    let answer = recorded_watch("peer-watch-SyKPsFRP_Oc-2019-rental-old-layout.html", id);
    let c = live(watch_page::classify(&answer, id));
    assert_eq!(c.title.as_deref(), Some("Plane Crash"));
    assert_eq!(c.author_name.as_deref(), Some("discoveryfulleps"));
    assert_eq!(
        c.published_at,
        Some(Utc.with_ymd_and_hms(2012, 10, 9, 0, 0, 0).unwrap())
    );
}

/// Player data in the config string that says the video is gone is never passed over for the
/// page's metadata, which presents the video all the same.
#[test]
fn a_config_string_saying_gone_outweighs_the_metadata() {
    let player = serde_json::json!({
        "playabilityStatus": {"status": "ERROR", "reason": "Video unavailable"}
    })
    .to_string();
    let config = serde_json::json!({"args": {"player_response": player}});
    let html = format!(
        r#"<html><head><meta property="og:type" content="video.other">
        <meta property="og:url" content="https://www.youtube.com/watch?v={KITTENS}">
        <meta property="og:title" content="Kittens"></head>
        <body><script>var ytplayer = ytplayer || {{}};ytplayer.config = {config};</script></body></html>"#
    );
    let answer = Answer {
        url: watch_url(KITTENS).into(),
        status: 200,
        content_type: Some("text/html; charset=utf-8".into()),
        body: html.into_bytes(),
    };
    let verdict = watch_page::classify(&answer, KITTENS);
    assert_eq!(verdict.outcome(), Some(CheckOutcome::Gone), "{verdict:?}");
    // A string that does not read may say as much: the page is not read from its metadata.
    let unreadable = String::from_utf8_lossy(&answer.body).replace("ERROR", "ERROR\\\\");
    let verdict = watch_page::classify(
        &Answer {
            body: unreadable.into_bytes(),
            ..answer
        },
        KITTENS,
    );
    assert_eq!(
        verdict.outcome(),
        Some(CheckOutcome::Transient),
        "{verdict:?}"
    );
}

/// A 2017 page without player data (node-ytdl-core's capture) whose message box says the id
/// never was a video is gone; the box's "This video is unavailable." (2019, and hidden on every
/// page of that layout) and a box in another language (2017, Ukrainian) are not read.
#[test]
fn an_old_page_saying_the_video_does_not_exist_is_gone() {
    let id = "unknown-vid";
    let answer = recorded_watch("peer-watch-unknown-vid-2017-does-not-exist.html", id);
    let verdict = watch_page::classify(&answer, id);
    assert!(
        matches!(&verdict, Resolution::Gone { evidence, .. } if evidence.contains("does not exist")),
        "{verdict:?}"
    );
    for (file, id) in [
        (
            "peer-watch-99999999999-2019-unavailable.html",
            "99999999999",
        ),
        ("peer-watch-invalid_url-2017-uk.html", "invalid_url"),
    ] {
        let verdict = watch_page::classify(&recorded_watch(file, id), id);
        assert_eq!(
            verdict.outcome(),
            Some(CheckOutcome::Transient),
            "{file}: {verdict:?}"
        );
    }
    // The wording elsewhere on a page (a title, a comment) is not the box.
    let elsewhere = Answer {
        body: br#"<h1 id="unavailable-message">This video is unavailable.</h1>
            <p>This video does not exist.</p>"#
            .to_vec(),
        ..recorded_watch("peer-watch-unknown-vid-2017-does-not-exist.html", id)
    };
    let verdict = watch_page::classify(&elsewhere, id);
    assert_eq!(
        verdict.outcome(),
        Some(CheckOutcome::Transient),
        "{verdict:?}"
    );
}
