//! Reddit resolver tests: real submission `.json` answers (crossposts, galleries, hosted videos,
//! a self post with media in its body, link and self posts, a comment permalink, posts deleted by
//! their authors or removed by moderators or reddit), reddit's real error answers (a quarantined
//! subreddit, an HTML 400 page), the manifest's deleted post and oEmbed answers, and hostile
//! answers written here. Each added capture has a `.source.txt` beside it naming where it was
//! recorded.

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

/// A body's media keep the text of the markdown link that shows each (`[caption](URL)`, which
/// new Reddit prints under it) as their caption; a bare address or an empty text gives none.
#[test]
fn body_media_keep_their_links_texts_as_captions() {
    let c = live(listing::parse(
        "mcqjl8",
        &sample(200, "comments-mcqjl8-self-inline-media.json"),
    ));
    let alts: Vec<Option<&str>> = c.media.iter().map(|m| m.alt.as_deref()).collect();
    assert_eq!(alts, [Some("optional caption"); 3], "{:?}", c.media);
    let post = |selftext: &str| {
        let json = format!(
            r#"[{{"kind":"Listing","data":{{"children":[{{"kind":"t3","data":{{
            "id":"abc123","name":"t3_abc123","title":"t","author":"a","created_utc":1616648854,
            "permalink":"/r/x/comments/abc123/t/","selftext":{},
            "media_metadata":{{"xt5qkus1p52a1":{{"status":"valid","e":"Image","m":"image/png",
            "s":{{"y":10,"x":10,"u":"https://preview.redd.it/xt5qkus1p52a1.png?a=1"}}}}}}}}}}]}}}}]"#,
            serde_json::Value::from(selftext)
        );
        let c = live(listing::parse(
            "abc123",
            &body(200, "application/json", &json),
        ));
        assert_eq!(c.media.len(), 1, "{selftext}: {:?}", c.media);
        c.media[0].alt.clone()
    };
    assert_eq!(
        post("[](https://preview.redd.it/xt5qkus1p52a1.png?a=1)"),
        None
    );
    assert_eq!(post("https://preview.redd.it/xt5qkus1p52a1.png?a=1"), None);
    assert_eq!(
        post(
            "[https://preview.redd.it/xt5qkus1p52a1.png](https://preview.redd.it/xt5qkus1p52a1.png?a=1)"
        ),
        None
    );
    assert_eq!(
        post("[a cat](https://x.example/) and https://preview.redd.it/xt5qkus1p52a1.png"),
        None
    );
    assert_eq!(
        post("see [ The cat, asleep ](https://preview.redd.it/xt5qkus1p52a1.png?a=1)"),
        Some("The cat, asleep".to_owned())
    );
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

/// What a reader sees of a recorded live submission.
struct Seen {
    file: &'static str,
    id: &'static str,
    title: &'static str,
    author: &'static str,
    /// The start of the body, `None` for a post without one.
    text: Option<&'static str>,
    published: i64,
    /// (kind, url, poster) of every media item, in order.
    media: &'static [(MediaKind, &'static str, Option<&'static str>)],
    quote_of: Option<&'static str>,
}

#[test]
fn recorded_submissions_read_as_a_reader_sees_them() {
    let cases = [
        // A self post: its body is the text, the title stays apart.
        Seen {
            file: "comments-2gmzqe-self-post.json",
            id: "2gmzqe",
            title: "[PRAW] HTTPS enabled PRAW testing needed",
            author: "bboe",
            text: Some("PRAW client developers,\n\nI have made a PRAW branch"),
            published: 1410935671,
            media: &[],
            quote_of: None,
        },
        // A link to an imgur GIF (`post_hint` "rich:video", `secure_media.oembed`, no reddit
        // video): the post shows Imgur's player, so the linked `.gifv` is the video and the
        // preview still its poster.
        Seen {
            file: "comments-3hahrw-link-rich-video.json",
            id: "3hahrw",
            title: "Ba Dum Tsss",
            author: "your_local_librarian",
            text: None,
            published: 1439797480,
            media: &[(
                MediaKind::Video,
                "http://i.imgur.com/eoF76hj.gifv",
                Some(
                    "https://i.redditmedia.com/-y61SeOURMLJizJIi6hbHowBvdbSW55DBgMOhNOmEsg.jpg?s=fd9c5ab26014803cc5916734e841daf1",
                ),
            )],
            quote_of: None,
        },
        // A hosted video: the fallback MP4, with the preview as its poster.
        Seen {
            file: "comments-k5rsq3-video.json",
            id: "k5rsq3",
            title: "Test Title 0",
            author: "<USERNAME>",
            text: None,
            published: 1606975868,
            media: &[(
                MediaKind::Video,
                "https://v.redd.it/5ph4906syw261/DASH_240.mp4?source=fallback",
                Some(
                    "https://external-preview.redd.it/WHSrHbbmt2CT_VZkS9iPCynCpx97Mqh_VxXsVHKGStY.png?format=pjpg&auto=webp&s=2a988f95c46539a355552d92fa797c5b7265416e",
                ),
            )],
            quote_of: None,
        },
        // A hosted video still transcoding (no `reddit_video` yet): its v.redd.it address and
        // the preview as poster; its body is the text.
        Seen {
            file: "comments-1khufe0-video-processing-selftext.json",
            id: "1khufe0",
            title: "Test Title 0",
            author: "<USERNAME>",
            text: Some("Testing **PRAW** video submission *with markdown selftext*."),
            published: 1746721756,
            media: &[(
                MediaKind::Video,
                "https://v.redd.it/cvp7y0sk4lze1",
                Some(
                    "https://external-preview.redd.it/czcweXgwdWs0bHplMeOwxEKY_BwUmvv0yJlvuSQnrkHkZJuTTKSVmRt4UrhV.png?format=pjpg&auto=webp&s=2d233ddcb50c39c8be6a5e4738e66f071895e2b5",
                ),
            )],
            quote_of: None,
        },
        // A gallery in `gallery_data` order; the animated item is its GIF.
        Seen {
            file: "comments-huw6vs-gallery.json",
            id: "huw6vs",
            title: "Test Title",
            author: "<USERNAME>",
            text: None,
            published: 1595287135,
            media: &[
                (
                    MediaKind::Image,
                    "https://preview.redd.it/pb7qsvi6i3c51.png?width=128&format=png&auto=webp&s=7c2e610589cb5c8d60384b1d2a8eadc5c874d1d9",
                    Some(
                        "https://preview.redd.it/pb7qsvi6i3c51.png?width=128&format=png&auto=webp&s=7c2e610589cb5c8d60384b1d2a8eadc5c874d1d9",
                    ),
                ),
                (
                    MediaKind::Image,
                    "https://preview.redd.it/14wmudl6i3c51.jpg?width=128&format=pjpg&auto=webp&s=978f65bc49a7bc65ed5b0cb7493e7da85ba87909",
                    Some(
                        "https://preview.redd.it/14wmudl6i3c51.jpg?width=128&format=pjpg&auto=webp&s=978f65bc49a7bc65ed5b0cb7493e7da85ba87909",
                    ),
                ),
                (
                    MediaKind::Image,
                    "https://i.redd.it/vkm62gm6i3c51.gif",
                    Some("https://i.redd.it/vkm62gm6i3c51.gif"),
                ),
                (
                    MediaKind::Image,
                    "https://preview.redd.it/wka18en6i3c51.png?width=128&format=png&auto=webp&s=da421b79862a56e00187a720bf90693de71efbbe",
                    Some(
                        "https://preview.redd.it/wka18en6i3c51.png?width=128&format=png&auto=webp&s=da421b79862a56e00187a720bf90693de71efbbe",
                    ),
                ),
            ],
            quote_of: None,
        },
        // A gallery read before reddit processed it: no image yet, the body is still the post.
        Seen {
            file: "comments-1khu9tf-gallery-unprocessed-selftext.json",
            id: "1khu9tf",
            title: "Testing PRAW Gallery with Selftext",
            author: "<USERNAME>",
            text: Some("Testing **PRAW** gallery submission *with markdown selftext*."),
            published: 1746721378,
            media: &[],
            quote_of: None,
        },
        // A self post with a GIF, an image and a video in its body (no `gallery_data`): in the
        // order the body shows them, not the JSON's; the video names no poster.
        Seen {
            file: "comments-mcqjl8-self-inline-media.json",
            id: "mcqjl8",
            title: "test",
            author: "<USERNAME>",
            text: Some(
                "New Text with a gif\n\n[optional caption](https://i.redd.it/g86xbcq1p52a1.gif)",
            ),
            published: 1616648854,
            media: &[
                (
                    MediaKind::Image,
                    "https://i.redd.it/g86xbcq1p52a1.gif",
                    Some("https://i.redd.it/g86xbcq1p52a1.gif"),
                ),
                (
                    MediaKind::Image,
                    "https://preview.redd.it/xt5qkus1p52a1.png?width=128&format=png&auto=webp&s=077fd1c5d028d9d811067d847f5bd0ced75ecfcc",
                    Some(
                        "https://preview.redd.it/xt5qkus1p52a1.png?width=128&format=png&auto=webp&s=077fd1c5d028d9d811067d847f5bd0ced75ecfcc",
                    ),
                ),
                (
                    MediaKind::Video,
                    "https://v.redd.it/link/mcqjl8/asset/76oa3ut1p52a1/HLSPlaylist.m3u8?a=1671999960%2CMDg0N2FhNGYzYTE4Y2VkMmMzNDJlNDc0MjQwZTdhZTU3NTRkY2Q1NDdmZGU4ZTBmMmM4NjFkZDNiNGU3ZjU4NA%3D%3D&v=1&f=sd",
                    None,
                ),
            ],
            quote_of: None,
        },
        // A crosspost of a self post: it names the shared post; nothing to show as media.
        Seen {
            file: "comments-6vx8n0-crosspost.json",
            id: "6vx8n0",
            title: "Test Title",
            author: "<USERNAME>",
            text: None,
            published: 1503650742,
            media: &[],
            quote_of: Some("https://www.reddit.com/r/reddit_api_test/comments/6vx01b/test_title/"),
        },
        // The same as an NSFW crosspost: over_18 changes nothing about what is read.
        Seen {
            file: "comments-c27k7n-crosspost-nsfw.json",
            id: "c27k7n",
            title: "Test Title",
            author: "<USERNAME>",
            text: None,
            published: 1560890442,
            media: &[],
            quote_of: Some("https://www.reddit.com/r/reddit_api_test/comments/6vx01b/test_title/"),
        },
        // A comment permalink's answer: its first Listing is still the submission.
        Seen {
            file: "comments-54hhwl-comment-permalink.json",
            id: "54hhwl",
            title: "[PRAW 4]: Fetch specific comment replies",
            author: "OkRedditBot",
            text: Some("Just as the title states."),
            published: 1474842336,
            media: &[],
            quote_of: None,
        },
        // An image post of an animated GIF: its preview `source` is a still (`format=png8`), the
        // animation its `gif` variant, which is what the post shows.
        Seen {
            file: "comments-16xb0aa-gif-image-2023.json",
            id: "16xb0aa",
            title: "Test Title 2",
            author: "<USERNAME>",
            text: None,
            published: 1696190112,
            media: &[(
                MediaKind::Image,
                "https://preview.redd.it/7z48j742cnrb1.gif?s=e8f5a150fc0fa7e1df32034acc16253dd0541fe9",
                Some(
                    "https://preview.redd.it/7z48j742cnrb1.gif?s=e8f5a150fc0fa7e1df32034acc16253dd0541fe9",
                ),
            )],
            quote_of: None,
        },
        // A still image post (a live-chat post) keeps its preview.
        Seen {
            file: "comments-k5s3b3-image-chat-2020.json",
            id: "k5s3b3",
            title: "Test Title",
            author: "<USERNAME>",
            text: None,
            published: 1606977225,
            media: &[(
                MediaKind::Image,
                "https://preview.redd.it/b9dhw7lt2x261.jpg?auto=webp&s=4d79ccd817670c26e2ca71d4832387ee5712de8f",
                Some(
                    "https://preview.redd.it/b9dhw7lt2x261.jpg?auto=webp&s=4d79ccd817670c26e2ca71d4832387ee5712de8f",
                ),
            )],
            quote_of: None,
        },
        // A 2016 link post without a preview: title, author and date only.
        Seen {
            file: "comments-4bbe4m-link-no-preview-2016.json",
            id: "4bbe4m",
            title: "Test Title",
            author: "<USERNAME>",
            text: None,
            published: 1458545903,
            media: &[],
            quote_of: None,
        },
        // A videogif still transcoding: its v.redd.it address, the preview as poster.
        Seen {
            file: "comments-k5s10u-videogif-transcoding-2020.json",
            id: "k5s10u",
            title: "Test Title",
            author: "<USERNAME>",
            text: None,
            published: 1606976940,
            media: &[(
                MediaKind::Video,
                "https://v.redd.it/vr07cgyy1x261",
                Some(
                    "https://external-preview.redd.it/Cun8pzxTYP6Sm_MZS27fRNCM8KMYWOSmjQGn0GO63Zk.png?format=pjpg&auto=webp&s=cc0eb681398d11f449d846d39a15d206956006b3",
                ),
            )],
            quote_of: None,
        },
        // A self post whose body links its gif, image and video before reddit lists them in
        // `media_metadata`: the body is the text, and no media is made up from its links.
        Seen {
            file: "comments-j4p2rk-self-inline-gif-image-video-2020.json",
            id: "j4p2rk",
            title: "title",
            author: "<USERNAME>",
            text: Some(
                "Text with a gif\n\n[optional caption](https://i.redd.it/3vwgfvq3tyq51.gif)",
            ),
            published: 1601767995,
            media: &[],
            quote_of: None,
        },
        // A self post whose body links a picture ("Proof: http://i.imgur.com/…"): reddit gives
        // it a `preview` of that picture, which the post does not show (`thumbnail` "self").
        // The body is the text; the linked picture is no media of the post.
        Seen {
            file: "comments-57dw9a-self-post-preview-of-linked-image-2016.json",
            id: "57dw9a",
            title: "I’m American citizen, undecided voter, loving husband Ken Bone, Welcome to the Bone Zone! AMA",
            author: "StanGibson18",
            text: Some("Hello Reddit,\n\nI’m just a normal guy"),
            published: 1476408093,
            media: &[],
            quote_of: None,
        },
    ];
    for case in cases {
        let file = case.file;
        let c = live(listing::parse(case.id, &sample(200, file)));
        assert_eq!(c.source, listing::SOURCE, "{file}");
        assert_eq!(c.title.as_deref(), Some(case.title), "{file}");
        assert_eq!(c.author_handle.as_deref(), Some(case.author), "{file}");
        match case.text {
            Some(start) => assert!(
                c.text.as_deref().is_some_and(|t| t.starts_with(start)),
                "{file}: {:?}",
                c.text
            ),
            None => assert_eq!(c.text, None, "{file}"),
        }
        assert_eq!(
            c.published_at.map(|d| d.timestamp()),
            Some(case.published),
            "{file}"
        );
        let media: Vec<(MediaKind, &str, Option<&str>)> = c
            .media
            .iter()
            .map(|m| (m.kind, m.url.as_str(), m.image_url.as_deref()))
            .collect();
        assert_eq!(media, case.media, "{file}");
        assert_eq!(c.quote_of.as_deref(), case.quote_of, "{file}");
        assert_eq!(c.raw.len(), 1, "{file}: the answer is kept");
    }
}

/// A poll post (a real 2020 answer): its body, then its options one a line as the post shows
/// them, in place of the `[View Poll]` link the API writes for clients without polls; no vote
/// counts, which change with every vote.
#[test]
fn a_poll_keeps_its_options_under_its_text() {
    let c = live(listing::parse(
        "fo7p5b",
        &sample(200, "peer-comments-fo7p5b-poll-announcement-2020.json"),
    ));
    let text = c.text.as_deref().unwrap_or_default();
    assert!(
        text.ends_with(
            "**With everything going on in the world, how are you feeling?**\n\n\
             ○ Hopeful\n○ Inspired by others\n○ Anxious\n○ Angry\n○ Meh...mostly bored\n\
             ○ All of the above"
        ),
        "{text}"
    );
    assert!(!text.contains("View Poll"), "{text}");
    assert!(!text.contains("1675"), "{text}");
}

#[test]
fn gallery_captions_sizes_and_placeholder_authors() {
    let c = live(listing::parse(
        "huw6vs",
        &sample(200, "comments-huw6vs-gallery.json"),
    ));
    let alts: Vec<Option<&str>> = c.media.iter().map(|m| m.alt.as_deref()).collect();
    assert_eq!(alts, [None, Some("test.jpg"), None, Some("test.png")]);
    assert_eq!(
        (c.media[2].width, c.media[2].height),
        (Some(128), Some(128))
    );
    // PRAW's recordings name their account `<USERNAME>`: no profile URL is built from it.
    assert_eq!(c.author_url, None);
}

#[test]
fn recorded_deleted_and_removed_posts_are_gone() {
    // (file, id, evidence must contain)
    let cases = [
        // Deleted by the author in 2016, before `removed_by_category` existed.
        (
            "comments-4b1tfm-deleted-2016.json",
            "4b1tfm",
            "deleted (author \"[deleted]\", body \"[deleted]\")",
        ),
        // An image post and a video post deleted by their author: media still listed.
        (
            "comments-ah3gqo-image-deleted-2019.json",
            "ah3gqo",
            "deleted (author \"[deleted]\"",
        ),
        (
            "comments-ahells-video-deleted-2019.json",
            "ahells",
            "deleted (author \"[deleted]\"",
        ),
        // Removed by moderators, or by reddit's filters, while author and body still show.
        (
            "comments-flnyhf-self-removed-moderator-2020.json",
            "flnyhf",
            "removed_by_category \"moderator\"",
        ),
        (
            "comments-1kh35wk-removed-by-reddit.json",
            "1kh35wk",
            "removed_by_category \"reddit\"",
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
}

#[test]
fn a_recorded_html_error_page_is_transient() {
    // Reddit's own HTML 400 page where JSON was expected: says nothing about the post.
    let page = fixture_answer(
        "https://www.reddit.com/comments/abc.json",
        400,
        "text/html",
        "reddit/400-html-bad-request.html",
    );
    let got = listing::parse("abc", &page);
    assert_eq!(got.outcome(), Some(CheckOutcome::Transient), "{got:?}");
    assert!(evidence(&got).contains("HTTP 400"), "{got:?}");
    // The same page with a 200 is not JSON: transient, naming the content type.
    let page = Answer {
        status: 200,
        ..page
    };
    let got = listing::parse("abc", &page);
    assert_eq!(got.outcome(), Some(CheckOutcome::Transient), "{got:?}");
    assert!(evidence(&got).contains("text/html"), "{got:?}");
}

#[test]
fn escaped_title_and_body_read_as_written() {
    // Without `raw_json` reddit's JSON escapes `&`, `<`, `>` in text as in URLs (the recorded
    // gallery answer has a comment body `&gt;Thank you!`). A written `&lt;` comes as `&amp;lt;`.
    let post = r#"[{"kind":"Listing","data":{"children":[{"kind":"t3","data":{
        "id":"abc","author":"a_b-1","title":"Q&amp;A: 1 &lt; 2 &gt; 0",
        "selftext":"&gt;quoted\n\nS&amp;P 500, literally &amp;lt;b&amp;gt;",
        "created_utc":1693766009}}]}}]"#;
    let c = live(listing::parse("abc", &body(200, "application/json", post)));
    assert_eq!(c.title.as_deref(), Some("Q&A: 1 < 2 > 0"));
    assert_eq!(
        c.text.as_deref(),
        Some(">quoted\n\nS&P 500, literally &lt;b&gt;")
    );
    assert_eq!(
        c.author_url.as_deref(),
        Some("https://www.reddit.com/user/a_b-1/")
    );
    assert_eq!(c.published_at.map(|d| d.timestamp()), Some(1693766009));
}

#[test]
fn a_recorded_quarantine_answer_with_its_reason_is_transient() {
    // Reddit's 403 for a quarantined subreddit in its newer shape (`reason`, `quarantine_message`),
    // recorded by asyncpraw: readable after an opt-in, so nothing about the post.
    let answer = fixture_answer(
        "https://www.reddit.com/comments/abc.json",
        403,
        "application/json; charset=UTF-8",
        "reddit/403-quarantine-reason-2020.json",
    );
    let got = listing::parse("abc", &answer);
    assert_eq!(got.outcome(), Some(CheckOutcome::Transient), "{got:?}");
    assert_eq!(
        evidence(&got),
        "HTTP 403 from reddit-json: reason \"quarantined\""
    );
    // prawcore's recorded 451 (unavailable for legal reasons) has an empty body: not a verdict.
    let got = listing::parse("abc", &body(451, "text/html", ""));
    assert_eq!(got.outcome(), Some(CheckOutcome::Transient), "{got:?}");
}
