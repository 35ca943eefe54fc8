//! Mastodon resolver tests: the documented answers of the sample manifest (live, 404, 401),
//! real status entities a server answered (media with alt text, a reply, a content warning, a
//! remote Misskey reply), hostile answers, and the private-address guard on a real client.

use super::resolve::resolve_with;
use super::status::{self, SOURCE, html_text};
use crate::model::{CheckOutcome, EmbedKind, EmbedRef, Location, MediaKind, Platform, Resolution};
use crate::platforms::replay::{Replay, fixture_answer};
use crate::platforms::source::Answer;

fn sample(status: u16, file: &str) -> Answer {
    fixture_answer(
        "https://togl.me/api/v1/statuses/1",
        status,
        "application/json; charset=utf-8",
        &format!("mastodon/{file}"),
    )
}

fn body(status: u16, content_type: &str, body: &str) -> Answer {
    Answer {
        url: "https://mastodon.social/api/v1/statuses/1".into(),
        status,
        content_type: Some(content_type.into()),
        body: body.as_bytes().to_vec(),
    }
}

fn embed(post_id: &str) -> EmbedRef {
    let (host, id) = post_id.split_once('/').expect("HOST/ID");
    EmbedRef {
        platform: Platform::Mastodon,
        kind: EmbedKind::Post,
        post_url: format!("https://{host}/web/statuses/{id}"),
        post_id: Some(post_id.to_owned()),
        location: Location::Dom,
        evidence: "iframe.mastodon-embed".into(),
        markup: String::new(),
        author_name: None,
        author_handle: None,
        text: None,
        published_at: None,
    }
}

fn live(r: Resolution) -> crate::model::PostContent {
    match r {
        Resolution::Live(c) => c,
        other => panic!("expected live, got {other:?}"),
    }
}

#[test]
fn request_urls_and_bad_hosts() {
    assert_eq!(
        status::url("mastodon.social", "1").expect("valid").as_str(),
        "https://mastodon.social/api/v1/statuses/1"
    );
    assert_eq!(
        status::url("social.example.org:8443", "110000000000000001")
            .expect("valid")
            .as_str(),
        "https://social.example.org:8443/api/v1/statuses/110000000000000001"
    );
    for (host, id) in [
        ("mastodon.social", ""),
        ("mastodon.social", "1/../../admin"),
        ("mastodon.social", "1?x=1"),
        ("user@mastodon.social", "1"),
        ("mastodon.social/evil", "1"),
        ("", "1"),
    ] {
        assert!(status::url(host, id).is_err(), "{host} {id}");
    }
}

#[tokio::test]
async fn recorded_answers_classify_as_the_manifest_says() {
    // (post id, verdict)
    let cases = [
        ("mastodon.social/1", CheckOutcome::Live),
        ("mastodon.social/109999999999999999", CheckOutcome::Gone),
        (
            "social.example.org/110000000000000001",
            CheckOutcome::Transient,
        ),
    ];
    for (post_id, want) in cases {
        let replay = Replay::from_manifest();
        let got = resolve_with(&replay, &embed(post_id)).await;
        assert_eq!(got.outcome(), Some(want), "{post_id}: {got:?}");
        let (host, id) = post_id.split_once('/').expect("HOST/ID");
        assert_eq!(
            replay.requests(),
            vec![format!("https://{host}/api/v1/statuses/{id}")]
        );
    }
    // The documented example, against the manifest's expected fields.
    let c = live(status::parse(
        "mastodon.social",
        "1",
        &sample(200, "status-1-docs-example.json"),
    ));
    assert_eq!(c.source, SOURCE);
    assert_eq!(c.author_handle.as_deref(), Some("Gargron"));
    assert_eq!(c.author_name.as_deref(), Some("Eugen"));
    assert_eq!(
        c.author_url.as_deref(),
        Some("https://mastodon.social/@Gargron")
    );
    assert_eq!(
        c.published_at
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        Some("2016-03-16T14:44:31.580Z".to_owned())
    );
    // The manifest gives `content` as served ("<p>Hello world</p>"); the snapshot keeps the
    // text it shows.
    assert_eq!(c.text, html_text("<p>Hello world</p>"));
    assert_eq!(c.text.as_deref(), Some("Hello world"));
    assert_eq!(c.lang.as_deref(), Some("en"));
    assert_eq!((c.title, c.reply_to, c.quote_of), (None, None, None));
    assert!(c.media.is_empty());

    match status::parse(
        "mastodon.social",
        "109999999999999999",
        &sample(404, "status-404-record-not-found.json"),
    ) {
        Resolution::Gone { source, evidence } => {
            assert_eq!(source, SOURCE);
            assert!(evidence.contains("Record not found"), "{evidence}");
        }
        other => panic!("expected gone, got {other:?}"),
    }
    match status::parse(
        "social.example.org",
        "110000000000000001",
        &sample(401, "status-401-authorized-fetch.json"),
    ) {
        Resolution::Transient { evidence, .. } => {
            assert!(evidence.contains("HTTP 401"), "{evidence}")
        }
        other => panic!("expected transient, got {other:?}"),
    }
}

#[test]
fn media_keep_their_alt_text_and_size() {
    let c = live(status::parse(
        "togl.me",
        "111818628360792143",
        &sample(200, "status-111818628360792143-image-alt.json"),
    ));
    assert_eq!(c.author_handle.as_deref(), Some("pilky@mastodon.social"));
    assert_eq!(c.author_name.as_deref(), Some("Martin Pilkington"));
    assert_eq!(
        c.author_url.as_deref(),
        Some("https://mastodon.social/@pilky")
    );
    assert!(
        c.text
            .as_deref()
            .is_some_and(|t| t.starts_with("Just finished up my Commander Farsight.")
                && t.contains("#warhammer")
                && !t.contains('<')),
        "{:?}",
        c.text
    );
    assert_eq!(c.media.len(), 1);
    let m = &c.media[0];
    assert_eq!(m.kind, MediaKind::Image);
    assert_eq!(
        m.url,
        "https://togl.me/system/cache/media_attachments/files/111/818/630/734/245/179/original/6eecd8c30eaa773f.jpeg"
    );
    assert_eq!(m.image_url.as_deref(), Some(m.url.as_str()));
    assert_eq!((m.width, m.height), (Some(1663), Some(1247)));
    assert_eq!(
        m.alt.as_deref(),
        Some(
            "Miniature of Commander Farsight from Warhammer 40K, painted in the traditional red colour scheme"
        )
    );
}

#[test]
fn replies_content_warnings_and_remote_posts() {
    let c = live(status::parse(
        "togl.me",
        "111818661199599337",
        &sample(200, "status-111818661199599337-reply-image.json"),
    ));
    assert_eq!(
        c.reply_to.as_deref(),
        Some("https://togl.me/web/statuses/111818646134852360")
    );
    assert_eq!(
        c.text.as_deref(),
        Some("Look at this beauty, static async throws")
    );
    // No description: no alt, rather than a blank one.
    assert_eq!(c.media.len(), 1);
    assert_eq!(c.media[0].alt, None);

    let c = live(status::parse(
        "togl.me",
        "111818529755706959",
        &sample(200, "status-111818529755706959-spoiler.json"),
    ));
    assert_eq!(c.title.as_deref(), Some("Murder"));
    let text = c.text.expect("text");
    assert!(text.starts_with("The issues the Texas governor"), "{text}");
    // `<br>` is a line break.
    assert!(text.contains("barbed wire.\nThat’s where"), "{text}");

    // A Misskey post's copy: no language, a reply, a mention as text.
    let c = live(status::parse(
        "togl.me",
        "111818479284537538",
        &sample(200, "status-111818479284537538-reply-remote-misskey.json"),
    ));
    assert_eq!(c.lang, None);
    assert_eq!(
        c.author_handle.as_deref(),
        Some("dorkboycomics@sakurajima.social")
    );
    assert_eq!(
        c.reply_to.as_deref(),
        Some("https://togl.me/web/statuses/111818464770146291")
    );
    assert!(
        c.text
            .as_deref()
            .is_some_and(|t| t.starts_with("@dimillian@mastodon.social I don’t believe it")),
        "{:?}",
        c.text
    );
}

#[test]
fn content_html_becomes_the_text_it_shows() {
    let cases = [
        ("<p>a</p><p>b</p>", Some("a\n\nb")),
        ("<p>a<br>b<br />c</p>", Some("a\nb\nc")),
        (
            r#"<p>see <a href="https://example.com/x"><span class="invisible">https://</span><span class="ellipsis">example.com/</span><span class="invisible">x</span></a></p>"#,
            Some("see https://example.com/x"),
        ),
        ("<p>1 &lt; 2 &amp; 3</p>", Some("1 < 2 & 3")),
        // Script and style in content are never markup, and not text either: a browser
        // shows neither.
        ("<p>hi<script>alert(1)</script></p>", Some("hi")),
        (
            "<p>a<style>*{display:none}</style>b<template>c</template></p>",
            Some("ab"),
        ),
        ("<p> </p>", None),
        ("", None),
    ];
    for (html, want) in cases {
        assert_eq!(html_text(html).as_deref(), want, "{html}");
    }
    // Content nested deeper than a recursive walk's stack allows (a server's user can post it)
    // is read, not a crash of the whole process.
    let deep = format!(
        "<p>{}deep{}</p><p>after</p>",
        "<b><span>".repeat(50_000),
        "</span></b>".repeat(50_000)
    );
    assert_eq!(html_text(&deep).as_deref(), Some("deep\n\nafter"));
}

#[test]
fn hostile_and_foreign_answers_are_transient() {
    let cases = [
        // HTML error pages with the gone statuses (a proxy or a parked domain).
        body(
            404,
            "text/html",
            "<html><body><h1>404 Not Found</h1>nginx</body></html>",
        ),
        body(410, "text/html", "<html>Gone</html>"),
        body(404, "application/json", "[]"),
        body(404, "application/json", ""),
        body(
            403,
            "application/json",
            r#"{"error":"This action is not allowed"}"#,
        ),
        body(
            401,
            "application/json",
            r#"{"error":"This API requires an authenticated user"}"#,
        ),
        body(
            200,
            "text/html",
            "<html><body>Welcome to nginx!</body></html>",
        ),
        body(200, "application/json", "{\"id\":"),
        body(200, "application/json", "[]"),
        body(200, "application/json", r#"{"id":"1"}"#),
        // Another status than the one asked for.
        body(
            200,
            "application/json",
            r#"{"id":"2","content":"<p>x</p>","account":{"acct":"a"}}"#,
        ),
        body(429, "application/json", r#"{"error":"Too many requests"}"#),
        body(503, "text/html", "<html>down</html>"),
        body(302, "text/html", ""),
    ];
    for answer in cases {
        let got = status::parse("mastodon.social", "1", &answer);
        assert_eq!(
            got.outcome(),
            Some(CheckOutcome::Transient),
            "{} {:?}: {got:?}",
            answer.status,
            String::from_utf8_lossy(&answer.body)
        );
    }
    // The server's own 410 (an account that is gone) is gone.
    let got = status::parse(
        "mastodon.social",
        "1",
        &body(410, "application/json", r#"{"error":"Gone"}"#),
    );
    assert_eq!(got.outcome(), Some(CheckOutcome::Gone));
}

#[tokio::test]
async fn an_instance_at_a_private_address_is_refused_by_the_guard() {
    let config = crate::config::Config::default();
    assert!(!config.http.allow_private_addresses);
    let http = crate::http::HttpClient::new(&config.http, &config.politeness).expect("client");
    for post_id in [
        "127.0.0.1/110000000000000001",
        "10.0.0.7/110000000000000001",
        "169.254.169.254/110000000000000001",
        "[::1]:3000/110000000000000001",
        "192.168.1.20:8080/110000000000000001",
    ] {
        match resolve_with(&http, &embed(post_id)).await {
            Resolution::Transient { source, evidence } => {
                assert_eq!(source, SOURCE, "{post_id}");
                assert!(
                    evidence.contains("refused non-public address"),
                    "{post_id}: {evidence}"
                );
            }
            other => panic!("{post_id}: expected transient, got {other:?}"),
        }
    }
}

/// Statuses a server answered, gathered from another client's recorded tests: each is read with
/// the author, date, language, reply, media, poll and link card its payload gives.
#[test]
fn recorded_statuses_keep_what_they_show() {
    let samples: Vec<_> = crate::platforms::replay::samples()
        .into_iter()
        .filter(|s| s.id.starts_with("mastodon-status-1") && s.post_state == "live")
        .filter(|s| s.expected.get("content_html").is_some())
        .collect();
    assert!(samples.len() >= 8, "{} recorded statuses", samples.len());
    for s in samples {
        let id = s.url.rsplit('/').next().expect("status id");
        let c = live(status::parse("mastodon.social", id, &s.answer()));
        let want = |k: &str| s.expected.get(k).and_then(|v| v.as_str());
        assert_eq!(
            c.author_handle.as_deref(),
            want("author_handle"),
            "{}",
            s.id
        );
        assert_eq!(c.author_url.as_deref(), want("author_url"), "{}", s.id);
        assert_eq!(
            c.author_name.as_deref(),
            want("author_name").filter(|n| !n.is_empty()),
            "{}",
            s.id
        );
        assert_eq!(
            c.published_at.map(|d| d.timestamp_millis()),
            want("published_at")
                .and_then(crate::platforms::markup::reading::parse_rfc3339)
                .map(|d| d.timestamp_millis()),
            "{}",
            s.id
        );
        assert_eq!(c.lang.as_deref(), want("lang"), "{}", s.id);
        assert_eq!(
            c.reply_to.is_some(),
            want("in_reply_to_id").is_some(),
            "{}",
            s.id
        );
        let media = s.expected["media"].as_array().cloned().unwrap_or_default();
        assert_eq!(c.media.len(), media.len(), "{}", s.id);
        for (got, want) in c.media.iter().zip(&media) {
            let kind = want["type"].as_str().expect("type");
            let as_image = kind == "image";
            assert_eq!(got.kind == MediaKind::Image, as_image, "{}: {kind}", s.id);
            assert_eq!(Some(got.url.as_str()), want["url"].as_str(), "{}", s.id);
            assert_eq!(got.alt.as_deref(), want["description"].as_str(), "{}", s.id);
        }
        if let Some(options) = s.expected["poll_options"].as_array() {
            let text = c.text.as_deref().unwrap_or_default();
            for option in options {
                let option = option.as_str().expect("option");
                assert!(text.contains(&format!("○ {option}")), "{}: {text}", s.id);
            }
            assert!(!text.contains("votes"), "{}: {text}", s.id);
        }
    }
}

#[test]
fn a_link_card_pictures_a_status_without_media() {
    // The recorded card has no image: nothing to picture, its link is in the text.
    let s = crate::platforms::replay::sample("mastodon-status-110447098625216345-card");
    let c = live(status::parse(
        "mastodon.social",
        "110447098625216345",
        &s.answer(),
    ));
    assert!(c.media.is_empty(), "{:?}", c.media);
    assert!(
        c.text
            .as_deref()
            .is_some_and(|t| t.contains("soundcloud.com/wakarangirl"))
    );

    let status = |id: &str, card: &str| {
        format!(
            r#"{{"id":"{id}","created_at":"2024-01-01T00:00:00Z","content":"<p>hi</p>",
            "account":{{"acct":"a","url":"https://mastodon.social/@a"}},"media_attachments":[],
            "card":{card},"poll":{{"options":null}}}}"#
        )
    };
    let with_image = status(
        "5",
        r#"{"url":"https://example.com/story","title":"A story","image":"https://example.com/i.png","width":640,"height":0}"#,
    );
    let c = live(status::parse(
        "mastodon.social",
        "5",
        &body(200, "application/json", &with_image),
    ));
    assert_eq!(
        c.text.as_deref(),
        Some("hi"),
        "a poll without options adds nothing"
    );
    assert_eq!(c.media.len(), 1, "{:?}", c.media);
    let card = &c.media[0];
    assert_eq!(card.kind, MediaKind::Image);
    assert_eq!(card.url, "https://example.com/story");
    assert_eq!(card.image_url.as_deref(), Some("https://example.com/i.png"));
    assert_eq!((card.width, card.height), (Some(640), None));
    assert_eq!(card.alt.as_deref(), Some("A story"));

    // A size in another shape is no size.
    let odd_size = status(
        "6",
        r#"{"url":"https://example.com/","image":"https://example.com/i.png","width":"wide"}"#,
    );
    let c = live(status::parse(
        "mastodon.social",
        "6",
        &body(200, "application/json", &odd_size),
    ));
    assert_eq!(c.media.len(), 1, "{:?}", c.media);
    assert_eq!(c.media[0].width, None);

    // A card in another shape costs only itself; a card linking anywhere but the web is none.
    for card in [
        r#"{"url":"javascript:alert(1)","image":"https://example.com/i.png"}"#,
        r#"{"url":"https://example.com/","image":"data:image/png;base64,AAAA"}"#,
        r#""a string""#,
    ] {
        let c = live(status::parse(
            "mastodon.social",
            "7",
            &body(200, "application/json", &status("7", card)),
        ));
        assert_eq!(c.text.as_deref(), Some("hi"), "{card}");
        assert!(c.media.is_empty(), "{card}: {:?}", c.media);
    }
}

/// An Akkoma post, claimed by its FlakeId address, is asked of the same status API on its own
/// server; Pleroma's and Akkoma's "not found" is the same `{"error": …}` object.
#[tokio::test]
async fn akkoma_posts_are_asked_of_their_servers_status_api() {
    let url = url::Url::parse("https://donotsta.re/@elly/AcoUaA7EH1igiYKmFU").expect("url");
    let r = super::recognise(&url).expect("an Akkoma post");
    let akkoma = EmbedRef {
        post_url: r.canonical_url,
        post_id: r.post_id,
        ..embed("donotsta.re/1")
    };
    let api = "https://donotsta.re/api/v1/statuses/AcoUaA7EH1igiYKmFU";
    let status = r#"{"id":"AcoUaA7EH1igiYKmFU","created_at":"2023-11-02T10:00:00.000Z",
        "content":"<p>hello from akkoma</p>","language":"en",
        "account":{"acct":"elly","username":"elly","display_name":"Elly","url":"https://donotsta.re/users/elly"},
        "media_attachments":[]}"#;
    let replay = Replay::new().answer(api, body(200, "application/json", status));
    let c = live(resolve_with(&replay, &akkoma).await);
    assert_eq!(c.text.as_deref(), Some("hello from akkoma"));
    assert_eq!(c.author_handle.as_deref(), Some("elly"));
    assert_eq!(replay.requests(), [api]);

    let replay = Replay::new().answer(
        api,
        body(404, "application/json", r#"{"error":"Record not found"}"#),
    );
    let got = resolve_with(&replay, &akkoma).await;
    assert_eq!(got.outcome(), Some(CheckOutcome::Gone), "{got:?}");
}

/// The UTC instant of a status's date, to the millisecond, as Mastodon writes it.
fn millis(c: &crate::model::PostContent) -> Option<String> {
    c.published_at
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}

/// A boost recorded by Mastodon.py: its own content is empty and its language null, so it is
/// read as the post it shows (author, text, date and language of the original).
#[test]
fn a_boost_is_read_as_the_post_it_shows() {
    let c = live(status::parse(
        "localhost:3000",
        "117020574424543529",
        &sample(200, "status-117020574424543529-reblog-mastodonpy.json"),
    ));
    assert_eq!(c.text.as_deref(), Some("Toot!"));
    assert_eq!(c.author_handle.as_deref(), Some("mastodonpy_test"));
    assert_eq!(c.author_name.as_deref(), Some("John Lennon"));
    assert_eq!(
        c.author_url.as_deref(),
        Some("http://localhost:3000/@mastodonpy_test")
    );
    // The original's date, not the boost's (2026-08-01T13:51:01.118Z).
    assert_eq!(millis(&c).as_deref(), Some("2026-08-01T13:51:00.998Z"));
    assert_eq!(c.lang.as_deref(), Some("en"));
    assert_eq!((c.reply_to, c.quote_of), (None, None));
    assert_eq!(c.raw.len(), 1, "the whole answer is kept");

    // A `reblog` in another shape leaves the wrapper, live by its author and date.
    let wrapper = r#"{"id":"9","created_at":"2024-01-01T00:00:00Z","content":"",
        "account":{"acct":"a"},"reblog":"not a status"}"#;
    let c = live(status::parse(
        "mastodon.social",
        "9",
        &body(200, "application/json", wrapper),
    ));
    assert_eq!((c.text, c.author_handle.as_deref()), (None, Some("a")));
}

/// An edited status (Mastodon.py's test_status_edit, and TootSDK's post_edited): the date kept
/// is the post's creation, and an empty display name is no name.
#[test]
fn edited_statuses_keep_their_creation_date() {
    let c = live(status::parse(
        "localhost:3000",
        "117020586180926938",
        &sample(200, "status-117020586180926938-edited-mastodonpy.json"),
    ));
    assert_eq!(
        c.text.as_deref(),
        Some("the best editor? why, of course it is the KDE Advanced Text Editor, Kate")
    );
    assert_eq!(millis(&c).as_deref(), Some("2026-08-01T13:54:00.505Z"));
    assert_eq!(c.lang.as_deref(), Some("ja"));
    assert_eq!(c.author_name, None);
    assert_eq!(c.author_handle.as_deref(), Some("mastodonpy_test_2"));

    // Edited, with a link card that has an image: no attachments, so the card pictures it.
    let c = live(status::parse(
        "example.com",
        "112300188527054704",
        &sample(
            200,
            "status-112300188527054704-edited-card-image-tootsdk.json",
        ),
    ));
    assert_eq!(millis(&c).as_deref(), Some("2024-04-19T22:14:48.415Z"));
    assert_eq!(
        c.text.as_deref(),
        Some("listening to #UB40\n\nhttps://example.com/albums/8513")
    );
    assert_eq!(c.author_name.as_deref(), Some("Person"));
    assert_eq!(c.media.len(), 1, "{:?}", c.media);
    let card = &c.media[0];
    assert_eq!(card.kind, MediaKind::Image);
    assert_eq!(card.url, "https://example.com/albums/8513");
    assert_eq!(
        card.image_url.as_deref(),
        Some(
            "https://media.example.com/cache/preview_cards/images/024/062/128/original/1c7d0494ae037a8f.jpg"
        )
    );
    assert_eq!((card.width, card.height), (Some(1400), Some(1400)));
    assert_eq!(card.alt.as_deref(), Some("UB45 by UB40"));
}

/// Quote posts as Mastodon 4.5 (Mastodon.py) and Akkoma (TootSDK) answer them.
#[test]
fn quote_posts_name_the_post_they_quote() {
    // Mastodon: `quote.quoted_status`; the "RE: link" fallback paragraph is left out of the
    // text, since the quote is kept apart.
    let c = live(status::parse(
        "localhost:3000",
        "117020582925004921",
        &sample(200, "status-117020582925004921-quote-mastodonpy.json"),
    ));
    assert_eq!(
        c.quote_of.as_deref(),
        Some("http://localhost:3000/@mastodonpy_test/117020582917124092")
    );
    assert_eq!(c.text.as_deref(), Some("yoooooooo"));

    // A revoked quote has no quoted status: the fallback is the only trace left, and stays.
    let c = live(status::parse(
        "localhost:3000",
        "117020583080889590",
        &sample(
            200,
            "status-117020583080889590-quote-revoked-mastodonpy.json",
        ),
    ));
    assert_eq!(c.quote_of, None);
    assert_eq!(
        c.text.as_deref(),
        Some(
            "RE: http://localhost:3000/@mastodonpy_test/117020583073249915\n\ncheck this mother fucker out"
        )
    );
    assert_eq!(c.author_handle.as_deref(), Some("admin"));

    // Akkoma: `quote` is the quoted status itself; content is bare HTML with `<br/>`, and the
    // status carries Akkoma's `pleroma` object, of which only its card's is read.
    let c = live(status::parse(
        "miraiverse.xyz",
        "Al30Y6dIQNzsEKhR5s",
        &sample(200, "status-Al30Y6dIQNzsEKhR5s-akkoma-quote-tootsdk.json"),
    ));
    assert_eq!(
        c.quote_of.as_deref(),
        Some("https://universeodon.com/@technicat/112973737736509814")
    );
    assert_eq!(
        c.text.as_deref(),
        Some("from @technicat\n\nhttps://universeodon.com/@technicat/112973737736509814")
    );
    assert_eq!(c.author_handle.as_deref(), Some("technicat"));
    assert_eq!(
        c.author_url.as_deref(),
        Some("https://miraiverse.xyz/users/technicat")
    );
    assert_eq!(millis(&c).as_deref(), Some("2024-08-17T05:01:49.000Z"));
    assert_eq!(c.lang.as_deref(), Some("en"));
    // Its card pictures the quoted post; the picture's description is in Akkoma's
    // `pleroma.opengraph` (`image:alt`), not the card's title (the quoted author's byline).
    assert_eq!(c.media.len(), 1, "{:?}", c.media);
    assert_eq!(
        c.media[0].url,
        "https://universeodon.com/@technicat/112973737736509814"
    );
    assert_eq!(
        c.media[0].alt.as_deref(),
        Some("fruit tea next to a pharmacy paper bag of vaccine info")
    );

    // A shallow quote (only the quoted id; the shape of TootSDK's shallow_quote.json, put in a
    // status written here) names the status on the same server.
    let shallow = r#"{"id":"3","created_at":"2024-01-01T00:00:00Z","content":"<p>x</p>",
        "account":{"acct":"a"},"quote":{"state":"accepted","quoted_status_id":"103270115826048975"}}"#;
    let c = live(status::parse(
        "mastodon.social",
        "3",
        &body(200, "application/json", shallow),
    ));
    assert_eq!(
        c.quote_of.as_deref(),
        Some("https://mastodon.social/web/statuses/103270115826048975")
    );
}

/// Media in the shapes recorded: Mastodon's `meta.original`/`meta.small` with a description
/// each, and Pleroma's null `meta` with `remote_url` equal to `url`.
#[test]
fn media_of_mastodon_and_pleroma_keep_url_size_and_alt() {
    let c = live(status::parse(
        "localhost:3000",
        "117020576664345360",
        &sample(
            200,
            "status-117020576664345360-two-images-alt-mastodonpy.json",
        ),
    ));
    assert_eq!(c.text.as_deref(), Some("LOL check this out"));
    let got: Vec<_> = c
        .media
        .iter()
        .map(|m| (m.kind, m.url.as_str(), m.width, m.height, m.alt.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (
                MediaKind::Image,
                "http://localhost:3000/system/media_attachments/files/117/020/576/646/493/592/original/963111bc1b0bd6b6.jpg",
                Some(600),
                Some(600),
                Some("John Lennon doing a funny walk")
            ),
            (
                MediaKind::Image,
                "http://localhost:3000/system/media_attachments/files/117/020/576/661/238/952/original/c71a1b53ce29a852.jpg",
                Some(400),
                Some(400),
                Some("hololives #1 detective, watson ameliachan")
            ),
        ]
    );
    assert!(
        c.media
            .iter()
            .all(|m| m.image_url.as_deref() == Some(m.url.as_str()))
    );

    // Pleroma: content warning, custom emoji shortcodes, no language, `meta` null.
    let c = live(status::parse(
        "m.iamkonstantin.eu",
        "AQetOIEp6Z2GZ4UiI4",
        &sample(
            200,
            "status-AQetOIEp6Z2GZ4UiI4-pleroma-cw-emoji-image-tootsdk.json",
        ),
    ));
    assert_eq!(c.title.as_deref(), Some("Coffee, Star Trek"));
    assert_eq!(
        c.text.as_deref(),
        Some("I just #love #coffee :heart_cup:  There is no better way to start the day.")
    );
    assert_eq!(c.lang, None);
    assert_eq!(c.author_handle.as_deref(), Some("konstantin"));
    assert_eq!(
        c.author_name.as_deref(),
        Some("Konstantin :veripawed: :veritrek: :rainbow_pride_potion:")
    );
    assert_eq!(c.media.len(), 1);
    let m = &c.media[0];
    assert_eq!(m.kind, MediaKind::Image);
    assert_eq!(
        m.url,
        "https://m.iamkonstantin.eu/media/3febd084-8f52-461f-a30e-c4cdac6ba1e4/image.jpeg"
    );
    assert_eq!((m.width, m.height), (None, None));
    assert!(
        m.alt
            .as_deref()
            .is_some_and(|a| a.starts_with("Cartoon poster of Captain Janeway")),
        "{:?}",
        m.alt
    );

    // `media_attachments: null`, or one attachment in another shape, costs only itself.
    let odd = r#"{"id":"4","created_at":"2024-01-01T00:00:00Z","content":"<p>x</p>",
        "account":{"acct":"a"},"media_attachments":[{"type":"image","url":7},
        {"type":"image","url":"https://example.com/a.png"}]}"#;
    let c = live(status::parse(
        "mastodon.social",
        "4",
        &body(200, "application/json", odd),
    ));
    assert_eq!(c.media.len(), 1, "{:?}", c.media);
    let none = r#"{"id":"4","created_at":"2024-01-01T00:00:00Z","content":"<p>x</p>",
        "account":{"acct":"a"},"media_attachments":null}"#;
    let c = live(status::parse(
        "mastodon.social",
        "4",
        &body(200, "application/json", none),
    ));
    assert_eq!((c.text.as_deref(), c.media.len()), (Some("x"), 0));
}

/// A current Mastodon's 404 says "Not Found" (recorded by Mastodon.py): gone, with its words.
#[test]
fn a_current_mastodons_not_found_is_gone() {
    match status::parse(
        "localhost:3000",
        "0",
        &sample(404, "status-404-not-found-mastodonpy.json"),
    ) {
        Resolution::Gone { source, evidence } => {
            assert_eq!(source, SOURCE);
            assert!(evidence.contains("Not Found"), "{evidence}");
        }
        other => panic!("expected gone, got {other:?}"),
    }
}

/// A video's or a sound's preview that is the file itself is no poster: Pleroma and Akkoma fill
/// `preview_url` with the file's address when their preview proxy is off, and Mastodon's
/// documented audio attachment (`MediaAttachment.md` of mastodon/documentation) previews as an
/// `.mp3`. A real preview frame stays.
#[test]
fn a_preview_that_is_the_file_itself_is_no_poster() {
    let recorded = fixture_answer(
        "https://togl.me/api/v1/statuses/1",
        200,
        "application/json",
        "mastodon/status-111818628360792143-image-alt.json",
    );
    let mut status: serde_json::Value =
        serde_json::from_slice(&recorded.body).expect("recorded status");
    let clip = "https://pleroma.example/media/clip.mp4";
    let mp3 = "https://files.mastodon.social/media_attachments/files/021/165/404/original/a31a4a46cd713cd2.mp3";
    status["media_attachments"] = serde_json::json!([
        {"id": "1", "type": "video", "url": clip, "preview_url": clip, "remote_url": null},
        {"id": "21165404", "type": "audio", "url": mp3,
         "preview_url": "https://files.mastodon.social/media_attachments/files/021/165/404/small/a31a4a46cd713cd2.mp3"},
        {"id": "3", "type": "video", "url": "https://mastodon.example/v.mp4",
         "preview_url": "https://mastodon.example/v-small.png"},
    ]);
    let c = live(status::parse(
        "togl.me",
        "111818628360792143",
        &body(200, "application/json", &status.to_string()),
    ));
    let posters: Vec<Option<&str>> = c.media.iter().map(|m| m.image_url.as_deref()).collect();
    assert_eq!(
        posters,
        [None, None, Some("https://mastodon.example/v-small.png")]
    );
    assert!(c.media.iter().all(|m| m.kind == MediaKind::Video));
}

/// Mastodon before 2.0 (October 2017) wrote ids as JSON numbers: real answers of that time
/// (mastodon4j's recordings of mstdn.jp and friends.nico) are read as their string form would
/// be, not refused as unreadable.
#[test]
fn ids_written_as_numbers_name_the_status() {
    let c = live(status::parse(
        "mstdn.jp",
        "172429",
        &sample(
            200,
            "peer-status-mstdn.jp-172429-integer-id-mastodon4j-2017.json",
        ),
    ));
    assert_eq!(c.text.as_deref(), Some("Test Status"));
    assert_eq!(c.author_name.as_deref(), Some("イオリン"));
    assert_eq!(c.author_handle.as_deref(), Some("iorin0225"));
    assert_eq!(millis(&c).as_deref(), Some("2017-04-14T06:11:41.893Z"));
    assert_eq!(c.reply_to, None);
    // The number must still be the status asked for.
    match status::parse(
        "mstdn.jp",
        "172430",
        &sample(
            200,
            "peer-status-mstdn.jp-172429-integer-id-mastodon4j-2017.json",
        ),
    ) {
        Resolution::Transient { evidence, .. } => {
            assert!(evidence.contains("\"172429\""), "{evidence}")
        }
        other => panic!("another status's answer must not be read: {other:?}"),
    }

    let c = live(status::parse(
        "friends.nico",
        "704669",
        &sample(
            200,
            "peer-status-friends.nico-704669-two-images-integer-id-mastodon4j-2017.json",
        ),
    ));
    assert_eq!(c.author_name.as_deref(), Some("Bianca Kastl"));
    assert_eq!(c.author_handle.as_deref(), Some("bkastl@mastodon.social"));
    assert!(
        c.text
            .as_deref()
            .is_some_and(|t| t.starts_with("Lesson learned.")),
        "{:?}",
        c.text
    );
    let images: Vec<_> = c.media.iter().map(|m| (m.kind, m.url.as_str())).collect();
    assert_eq!(
        images,
        [
            (
                MediaKind::Image,
                "https://d2zoeobnny43zx.cloudfront.net/media_attachments/files/000/046/315/original/ac03185640e975f9.png?1492785705"
            ),
            (
                MediaKind::Image,
                "https://d2zoeobnny43zx.cloudfront.net/media_attachments/files/000/046/316/original/09a759fa1e8f721c.png?1492785708"
            ),
        ]
    );

    // A reply's parent written as a number is a reply all the same; an id of another type is
    // no id.
    let reply = r#"{"id":9,"in_reply_to_id":8,"created_at":"2017-04-14T06:11:41Z",
        "content":"<p>x</p>","account":{"acct":"a"}}"#;
    let c = live(status::parse(
        "mastodon.social",
        "9",
        &body(200, "application/json", reply),
    ));
    assert_eq!(
        c.reply_to.as_deref(),
        Some("https://mastodon.social/web/statuses/8")
    );
    for id in ["9.0", "-9", "true", "[9]"] {
        let odd = format!(r#"{{"id":{id},"content":"x","account":{{"acct":"a"}}}}"#);
        assert!(
            matches!(
                status::parse("mastodon.social", "9", &body(200, "application/json", &odd)),
                Resolution::Transient { .. }
            ),
            "{id}"
        );
    }
}
