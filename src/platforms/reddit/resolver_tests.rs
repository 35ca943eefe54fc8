//! Reddit resolver tests: real submission `.json` answers (a crosspost of a video, an image
//! gallery, a post removed by moderators), the manifest's deleted post and oEmbed answers, and
//! hostile answers written here.

use super::resolve::resolve_with;
use super::{listing, oembed};
use crate::model::{CheckOutcome, EmbedKind, EmbedRef, Location, MediaKind, Platform, Resolution};
use crate::platforms::replay::{Replay, evidence, fixture_answer};
use crate::platforms::source::Answer;

fn sample(status: u16, file: &str) -> Answer {
    fixture_answer(
        "https://www.reddit.com/comments/x.json",
        status,
        "application/json; charset=UTF-8",
        &format!("reddit/{file}"),
    )
}

fn body(status: u16, content_type: &str, body: &str) -> Answer {
    Answer {
        url: "https://www.reddit.com/comments/x.json".into(),
        status,
        content_type: Some(content_type.into()),
        body: body.as_bytes().to_vec(),
    }
}

fn live(r: Resolution) -> crate::model::PostContent {
    match r {
        Resolution::Live(c) => c,
        other => panic!("expected live, got {other:?}"),
    }
}

fn embed(post_id: &str, post_url: &str) -> EmbedRef {
    EmbedRef {
        platform: Platform::Reddit,
        kind: EmbedKind::Post,
        post_url: post_url.into(),
        post_id: Some(post_id.into()),
        location: Location::Dom,
        evidence: "blockquote.reddit-embed-bq".into(),
        markup: String::new(),
        author_name: None,
        author_handle: None,
        text: None,
        published_at: None,
    }
}

#[test]
fn request_urls_have_the_recorded_shape() {
    assert_eq!(
        listing::url("1abcdef").expect("valid").as_str(),
        "https://www.reddit.com/comments/1abcdef.json"
    );
    for bad in ["", "a/b", "../x", "x.json?y", &"a".repeat(14)] {
        assert!(listing::url(bad).is_err(), "{bad}");
    }
    assert_eq!(
        oembed::url("https://www.reddit.com/r/investing/comments/7pfpeq/").as_str(),
        "https://www.reddit.com/oembed?url=https%3A%2F%2Fwww.reddit.com%2Fr%2Finvesting%2Fcomments%2F7pfpeq%2F&format=json"
    );
}

#[test]
fn deleted_and_removed_posts_are_gone() {
    // (file, id, evidence must contain)
    let cases = [
        // The manifest's deleted post: author "[deleted]", body "[removed]".
        ("comments-1abcdef-deleted.json", "1abcdef", "\"[deleted]\""),
        // A real answer for a post moderators removed: the author is still named.
        (
            "comments-151unk5-removed-moderator-graw.json",
            "151unk5",
            "removed_by_category \"moderator\"",
        ),
    ];
    for (file, id, want) in cases {
        match listing::parse(id, &sample(200, file)) {
            Resolution::Gone { source, evidence } => {
                assert_eq!(source, listing::SOURCE);
                assert!(evidence.contains(want), "{file}: {evidence}");
            }
            other => panic!("{file}: expected gone, got {other:?}"),
        }
    }
    // Deleted without a removal category, body and author tombstoned.
    let json = r#"[{"kind":"Listing","data":{"children":[{"kind":"t3","data":{"id":"abc","author":"[deleted]","selftext":"[deleted]","title":"t","removed_by_category":null}}]}}]"#;
    assert_eq!(
        listing::parse("abc", &body(200, "application/json", json)).outcome(),
        Some(CheckOutcome::Gone)
    );
}

#[test]
fn a_gallery_keeps_every_image() {
    let c = live(listing::parse(
        "13opkyi",
        &sample(200, "comments-13opkyi-gallery-graw.json"),
    ));
    assert_eq!(c.source, listing::SOURCE);
    assert_eq!(c.author_handle.as_deref(), Some("fel0ra"));
    assert_eq!(
        c.author_url.as_deref(),
        Some("https://www.reddit.com/user/fel0ra/")
    );
    assert_eq!(
        c.title.as_deref(),
        Some(
            "An outfit I made for my Mata Hari cosplay: top and pants, belt, headdress and necklaces"
        )
    );
    // A post without a body has no text.
    assert_eq!(c.text, None);
    assert_eq!(c.published_at.map(|d| d.timestamp()), Some(1684758647));
    assert_eq!(c.media.len(), 5);
    let first = &c.media[0];
    assert_eq!(first.kind, MediaKind::Image);
    // `&amp;` in reddit's JSON is unescaped.
    assert_eq!(
        first.url,
        "https://preview.redd.it/cyxb8fawmd1b1.jpg?width=1440&format=pjpg&auto=webp&s=68f2b7d127587d04ded8ed8b7ed22bbdc8c69848"
    );
    assert_eq!((first.width, first.height), (Some(1440), Some(2160)));
}

#[test]
fn a_crosspost_shows_the_shared_video_and_names_it() {
    let c = live(listing::parse(
        "116yyx6",
        &sample(200, "comments-116yyx6-crosspost-preview-graw.json"),
    ));
    assert_eq!(c.title.as_deref(), Some("🔥😆"));
    assert_eq!(c.author_handle.as_deref(), Some("low-vibe"));
    assert_eq!(
        c.quote_of.as_deref(),
        Some("https://www.reddit.com/r/MTB/comments/116mn1j/meanwhile_in_czech_republic/")
    );
    assert_eq!(c.media.len(), 1);
    let m = &c.media[0];
    assert_eq!(m.kind, MediaKind::Video);
    assert_eq!(
        m.url,
        "https://v.redd.it/cwx8m5iuc7ja1/DASH_1080.mp4?source=fallback"
    );
    assert_eq!(
        m.image_url.as_deref(),
        Some(
            "https://external-preview.redd.it/ZaH9VJhfj6gd_dwIyD3sWJRqlpu3c8zTEhhM1nS9ifo.png?format=pjpg&auto=webp&v=enabled&s=d8152eca43e863054ef66030662eb61ce9db01a6"
        )
    );
    assert_eq!((m.width, m.height), (Some(608), Some(1080)));
}

#[test]
fn subreddit_and_id_errors() {
    // (status, content type, body, verdict)
    let cases = [
        (
            404,
            "application/json",
            r#"{"message": "Not Found", "error": 404}"#,
            CheckOutcome::Gone,
        ),
        (
            404,
            "application/json",
            r#"{"reason": "banned", "message": "Not Found", "error": 404}"#,
            CheckOutcome::Gone,
        ),
        (
            403,
            "application/json",
            r#"{"reason": "private", "message": "Forbidden", "error": 403}"#,
            CheckOutcome::Gone,
        ),
        (
            403,
            "application/json",
            r#"{"reason": "quarantined", "message": "Forbidden", "error": 403}"#,
            CheckOutcome::Transient,
        ),
        // The block page for clients reddit does not like: not about the post.
        (
            403,
            "text/html",
            "<html><body>You've been blocked by network security.</body></html>",
            CheckOutcome::Transient,
        ),
        (
            404,
            "text/html",
            "<html>page not found</html>",
            CheckOutcome::Transient,
        ),
        (
            403,
            "application/json",
            r#"{"message":"Forbidden","error":403}"#,
            CheckOutcome::Transient,
        ),
        (429, "application/json", "{}", CheckOutcome::Transient),
        (500, "text/html", "", CheckOutcome::Transient),
        (
            200,
            "text/html",
            "<html>login</html>",
            CheckOutcome::Transient,
        ),
        (200, "application/json", "[]", CheckOutcome::Transient),
        (
            200,
            "application/json",
            "{\"kind\":",
            CheckOutcome::Transient,
        ),
        (
            200,
            "application/json",
            r#"[{"kind":"Listing","data":{"children":[{"kind":"t1","data":{"id":"abc"}}]}}]"#,
            CheckOutcome::Transient,
        ),
        // Another submission than the one asked for.
        (
            200,
            "application/json",
            r#"[{"kind":"Listing","data":{"children":[{"kind":"t3","data":{"id":"zzz","author":"a","title":"t"}}]}}]"#,
            CheckOutcome::Transient,
        ),
        // The right id but nothing to show.
        (
            200,
            "application/json",
            r#"[{"kind":"Listing","data":{"children":[{"kind":"t3","data":{"id":"abc"}}]}}]"#,
            CheckOutcome::Transient,
        ),
    ];
    for (status, content_type, text, want) in cases {
        let got = listing::parse("abc", &body(status, content_type, text));
        assert_eq!(got.outcome(), Some(want), "{status} {text}: {got:?}");
    }
    // Reddit's own 403 without a reason (a quarantined subreddit, recorded in 2016) is said to
    // be reddit's, not taken for a foreign page.
    let quarantined = crate::platforms::replay::sample("reddit-403-quarantine-2016");
    let got = listing::parse("2y3v5x", &quarantined.answer());
    assert_eq!(
        evidence(&got),
        "HTTP 403 from reddit-json: \"Forbidden\", no reason given"
    );
}

#[test]
fn a_gallery_still_processing_shows_its_preview() {
    let post = r#"[{"kind":"Listing","data":{"children":[{"kind":"t3","data":{
        "id":"abc","author":"a","title":"Pictures","is_gallery":true,
        "gallery_data":{"items":[{"media_id":"m1","id":1}]},
        "media_metadata":{"m1":{"status":"unprocessed"}},
        "preview":{"images":[{"source":{"url":"https://preview.redd.it/p.jpg?a=1&amp;b=2","width":640,"height":480}}]}}}]}}]"#;
    let c = live(listing::parse("abc", &body(200, "application/json", post)));
    assert_eq!(c.media.len(), 1, "{:?}", c.media);
    assert_eq!(c.media[0].url, "https://preview.redd.it/p.jpg?a=1&b=2");
    assert_eq!(
        (c.media[0].width, c.media[0].height),
        (Some(640), Some(480))
    );
}

#[test]
fn oembed_answers_name_title_and_author_never_gone() {
    for file in [
        "oembed-7pfpeq-2021-reddit-card.json",
        "oembed-7pfpeq-2024-reddit-embed-bq.json",
    ] {
        let c = live(oembed::parse(&sample(200, file)));
        assert_eq!(c.source, oembed::SOURCE);
        // The manifest's page entry expects this author and title for the post.
        assert_eq!(c.author_name.as_deref(), Some("dennisrieves"), "{file}");
        assert_eq!(
            c.title.as_deref(),
            Some(
                "Buffett on cyrptocurrencies: 'I can say almost with certainty that they will come to a bad ending'"
            ),
            "{file}"
        );
        // The html is never read as text.
        assert_eq!(c.text, None);
    }
    let hostile = r#"{"author_name":"x","title":"t","html":"<script>alert(1)</script><a href=\"javascript:alert(1)\">x</a>"}"#;
    let c = live(oembed::parse(&body(200, "application/json", hostile)));
    assert_eq!(c.text, None);
    assert!(c.media.is_empty());
    for (status, text) in [
        (404, r#"{"message":"Not Found","error":404}"#),
        (200, "<html></html>"),
        (200, r#"{"author_name":"[deleted]"}"#),
        (200, "{}"),
    ] {
        assert_eq!(
            oembed::parse(&body(status, "application/json", text)).outcome(),
            Some(CheckOutcome::Transient),
            "{status} {text}"
        );
    }
}

#[tokio::test]
async fn flows() {
    // The manifest's deleted post: the .json decides, oEmbed is not asked.
    let replay = Replay::from_manifest();
    let got = resolve_with(
        &replay,
        &embed("1abcdef", "https://www.reddit.com/r/news/comments/1abcdef/"),
    )
    .await;
    assert_eq!(got.outcome(), Some(CheckOutcome::Gone), "{got:?}");
    assert_eq!(
        replay.requests(),
        vec!["https://www.reddit.com/comments/1abcdef.json"]
    );

    // No .json recorded (unreachable): oEmbed answers for the post URL it was recorded with.
    let replay = Replay::from_manifest();
    let url = "https://www.reddit.com/r/investing/comments/7pfpeq/buffett_on_cyrptocurrencies_i_can_say_almost_with/";
    let got = resolve_with(&replay, &embed("7pfpeq", url)).await;
    assert_eq!(live(got).source, oembed::SOURCE);
    assert_eq!(replay.requests().len(), 2);

    // Nothing reachable: transient, naming both sources.
    let replay = Replay::from_manifest();
    let got = resolve_with(
        &replay,
        &embed("zz9zz", "https://www.reddit.com/r/x/comments/zz9zz/"),
    )
    .await;
    match got {
        Resolution::Transient { evidence, .. } => assert!(
            evidence.contains(listing::SOURCE) && evidence.contains(oembed::SOURCE),
            "{evidence}"
        ),
        other => panic!("expected transient, got {other:?}"),
    }

    // A comment embed asks oEmbed only.
    let replay = Replay::from_manifest();
    let got = resolve_with(
        &replay,
        &embed(
            "7pfpeq/dsh8k2l",
            "https://www.reddit.com/r/investing/comments/7pfpeq/comment/dsh8k2l/",
        ),
    )
    .await;
    assert_eq!(got.outcome(), Some(CheckOutcome::Transient));
    assert_eq!(replay.requests().len(), 1);
    assert!(replay.requests()[0].starts_with("https://www.reddit.com/oembed?"));
}
