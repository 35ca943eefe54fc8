//! Threads resolver tests on real captures: embed pages of a text post, a picture, a video, a
//! carousel, a reply and a quote, the "Thread not available" page, the post page of a public
//! post and of a post that is not public, and a post page's data (for the publication time);
//! hostile answers are made from those bytes.

use chrono::{DateTime, Utc};

use super::embed_page::{self, EmbedAnswer};
use super::post_page::{self, PageAnswer};
use super::resolve::resolve_with;
use crate::model::{EmbedKind, EmbedRef, Location, MediaKind, Platform, Resolution};
use crate::platforms::replay::{Replay, evidence, fixture_answer, live};
use crate::platforms::source::Answer;

const HTML: &str = "text/html; charset=utf-8";

fn file(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/samples/threads/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn recorded(url: &str, status: u16, name: &str) -> Answer {
    fixture_answer(url, status, HTML, &format!("threads/{name}"))
}

fn given(url: &str, status: u16, body: impl Into<Vec<u8>>) -> Answer {
    Answer {
        url: url.into(),
        status,
        content_type: Some(HTML.into()),
        body: body.into(),
    }
}

fn embed_ref(post_url: &str, code: &str) -> EmbedRef {
    EmbedRef {
        platform: Platform::Threads,
        kind: EmbedKind::Post,
        post_url: post_url.into(),
        post_id: Some(code.into()),
        location: Location::Dom,
        evidence: "blockquote.text-post-media".into(),
        markup: String::new(),
        author_name: None,
        author_handle: None,
        text: None,
        published_at: None,
    }
}

fn time(s: &str) -> DateTime<Utc> {
    s.parse().expect("test time")
}

/// The embed page answer for one recorded file, parsed.
fn parsed(name: &str, code: &str) -> EmbedAnswer {
    embed_page::parse(
        &recorded("https://www.threads.com/t/x/embed", 200, name),
        code,
    )
}

fn live_post(name: &str, code: &str) -> crate::model::PostContent {
    match parsed(name, code) {
        EmbedAnswer::Post(r) => live(r),
        other => panic!("{name}: expected a post, got {other:?}"),
    }
}

#[test]
fn request_urls() {
    assert_eq!(
        embed_page::url(Some("zuck"), "C-srcchPpp7")
            .expect("valid")
            .as_str(),
        "https://www.threads.com/@zuck/post/C-srcchPpp7/embed"
    );
    assert_eq!(
        embed_page::url(None, "DZvEd60AE9W")
            .expect("valid")
            .as_str(),
        "https://www.threads.com/t/DZvEd60AE9W/embed"
    );
    for (user, code) in [
        (None, "ab"),
        (None, "../x/y"),
        (Some("a/b"), "C-srcchPpp7"),
        (None, "C-src?chPpp7"),
    ] {
        assert!(embed_page::url(user, code).is_err(), "{user:?} {code}");
    }
    assert_eq!(
        post_page::url(Some("mosseri"), "DZvEeVWAKrX")
            .expect("valid")
            .as_str(),
        "https://www.threads.com/@mosseri/post/DZvEeVWAKrX"
    );
}

#[test]
fn a_text_post_gives_handle_text_and_time() {
    let c = live_post("embed_text_zuck_C-srcchPpp7.html", "C-srcchPpp7");
    assert_eq!(c.source, "threads-embed");
    assert_eq!(c.author_handle.as_deref(), Some("zuck"));
    assert_eq!(
        c.author_url.as_deref(),
        Some("https://www.threads.com/@zuck")
    );
    assert_eq!(c.author_name, None, "the embed page has no display name");
    assert_eq!(
        c.text.as_deref(),
        Some(
            "We're bringing post insights and the ability to save multiple drafts to Threads on web. The option to schedule posts is coming soon too."
        )
    );
    // "9:58 AM · Aug 15, 2024" on the page; the code's time, to the millisecond.
    assert_eq!(c.published_at, Some(time("2024-08-15T16:58:07.259Z")));
    assert!(c.media.is_empty(), "{:?}", c.media);
    assert_eq!(c.reply_to, None);
    assert_eq!(c.raw.len(), 1);
}

#[test]
fn pictures_videos_and_carousels_are_kept_in_order() {
    let image = live_post("embed_image_mosseri_DZvEd60AE9W.html", "DZvEd60AE9W");
    assert_eq!(image.author_handle.as_deref(), Some("mosseri"));
    assert_eq!(image.text, None, "a media-only post has an empty body");
    assert_eq!(image.media.len(), 1);
    assert_eq!(image.media[0].kind, MediaKind::Image);
    assert!(
        image.media[0]
            .url
            .starts_with("https://scontent.cdninstagram.com/v/t51.82787-15/726860409_"),
        "{:?}",
        image.media[0]
    );
    // Entities are decoded: the stored URL has `&`, not `&amp;`.
    assert!(
        image.media[0].url.contains("&_nc_cat=108&"),
        "{}",
        image.media[0].url
    );
    assert_eq!(
        image.media[0].image_url.as_deref(),
        Some(image.media[0].url.as_str())
    );
    assert_eq!(image.media[0].alt, None, "alt=\"\" is no description");

    let video = live_post("embed_video_mosseri_DZvEd6-AMi2.html", "DZvEd6-AMi2");
    assert_eq!(video.media.len(), 1);
    assert_eq!(video.media[0].kind, MediaKind::Video);
    assert!(video.media[0].url.contains(".mp4?"), "{:?}", video.media[0]);
    assert_eq!(video.media[0].image_url, None, "the page gives no poster");

    let carousel = live_post("embed_carousel_mosseri_DZvEeVWAKrX.html", "DZvEeVWAKrX");
    let kinds: Vec<MediaKind> = carousel.media.iter().map(|m| m.kind).collect();
    use MediaKind::{Image, Video};
    assert_eq!(kinds, [Image, Image, Image, Video, Image, Image, Image]);
    let text = carousel.text.expect("text");
    assert!(
        text.starts_with("#photodump from a recent weekend"),
        "{text}"
    );
    assert!(
        text.ends_with("\n\nLove this place"),
        "line breaks kept: {text:?}"
    );
    assert!(text.contains("poison oak…"), "{text}");
    assert_eq!(
        carousel.published_at,
        Some(time("2026-06-18T17:22:57.285Z"))
    );
}

#[test]
fn a_reply_is_read_from_its_own_block_and_a_quote_from_the_outer_one() {
    // The parent post (with a video) comes first; the reply is the last block.
    let reply = live_post("embed_reply_zuck_DctzH35mtS1.html", "DctzH35mtS1");
    assert_eq!(reply.author_handle.as_deref(), Some("zuck"));
    assert!(
        reply
            .text
            .as_deref()
            .is_some_and(|t| t.starts_with("There's an SDK in developer preview")),
        "{:?}",
        reply.text
    );
    assert!(
        reply.media.is_empty(),
        "the parent's video is not the reply's: {:?}",
        reply.media
    );
    // The page names the parent's author ("Replying to @zuck") but links no parent post.
    assert_eq!(reply.reply_to, None);

    // The quoted post's author, date and counts belong to the quote, not the post.
    let quote = live_post("embed_quote_mosseri_DalA5HOFvaC.html", "DalA5HOFvaC");
    assert_eq!(quote.author_handle.as_deref(), Some("mosseri"));
    assert!(
        quote
            .text
            .as_deref()
            .is_some_and(|t| t.starts_with("Excited about this launch.")),
        "{:?}",
        quote.text
    );
    assert_eq!(quote.published_at, Some(time("2026-07-09T16:10:38.837Z")));
    assert_eq!(quote.quote_of, None, "the page links no quoted post");
}

#[test]
fn the_codes_time_is_the_posts_time_in_a_recorded_post_pages_data() {
    // Every post of the recorded thread: `code` and `taken_at` (Unix seconds) side by side.
    let data: serde_json::Value =
        serde_json::from_slice(&file("post-page-relay-json_kanisleo328_DXO2PlPEoOQ.json"))
            .expect("recorded JSON");
    fn posts<'a>(v: &'a serde_json::Value, out: &mut Vec<(&'a str, i64)>) {
        match v {
            serde_json::Value::Object(o) => {
                if let (Some(code), Some(taken)) = (
                    o.get("code").and_then(|c| c.as_str()),
                    o.get("taken_at").and_then(|t| t.as_i64()),
                ) {
                    out.push((code, taken));
                }
                o.values().for_each(|v| posts(v, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| posts(v, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    posts(&data, &mut found);
    assert!(found.len() >= 6, "{found:?}");
    let mut same_second = 0;
    for (code, taken_at) in &found {
        let derived = embed_page::time_from_code(code)
            .expect("a media id")
            .timestamp();
        let early = taken_at - derived;
        assert!(
            (0..=10).contains(&early),
            "{code}: {derived} vs taken_at {taken_at}"
        );
        same_second += usize::from(early == 0);
    }
    assert!(
        same_second * 4 >= found.len() * 3,
        "{same_second} of {}",
        found.len()
    );
    // A date line that disagrees by more than a day keeps the time out; so does a code that is
    // not 11 characters (a share code).
    assert_eq!(
        embed_page::published_at("C-srcchPpp7", "9:58 AM · Aug 17, 2024"),
        None
    );
    assert_eq!(embed_page::published_at("C-srcchPpp7", "9:58 AM"), None);
    assert_eq!(embed_page::time_from_code("C-srcchPpp7x"), None);
}

const EMBED_MOSSERI: &str = "https://www.threads.com/@mosseri/post/DZvEeVWAKrX/embed";
const PAGE_MOSSERI: &str = "https://www.threads.com/@mosseri/post/DZvEeVWAKrX";

#[tokio::test]
async fn the_post_page_adds_the_display_name() {
    let replay = Replay::new()
        .answer(
            EMBED_MOSSERI,
            recorded(
                EMBED_MOSSERI,
                200,
                "embed_carousel_mosseri_DZvEeVWAKrX.html",
            ),
        )
        .answer(
            PAGE_MOSSERI,
            recorded(
                PAGE_MOSSERI,
                200,
                "postpage_og-public_mosseri_DZvEeVWAKrX.html",
            ),
        );
    let c = live(resolve_with(&replay, &embed_ref(PAGE_MOSSERI, "DZvEeVWAKrX")).await);
    assert_eq!(c.source, "threads-embed");
    assert_eq!(c.author_name.as_deref(), Some("Adam Mosseri"));
    assert_eq!(c.author_handle.as_deref(), Some("mosseri"));
    assert_eq!(c.media.len(), 7);
    assert_eq!(c.raw.len(), 2, "both answers kept");
    assert_eq!(replay.requests(), [EMBED_MOSSERI, PAGE_MOSSERI]);

    // Without the page the embed still makes the post live, unnamed.
    let replay = Replay::new()
        .answer(
            EMBED_MOSSERI,
            recorded(
                EMBED_MOSSERI,
                200,
                "embed_carousel_mosseri_DZvEeVWAKrX.html",
            ),
        )
        .time_out(PAGE_MOSSERI);
    let c = live(resolve_with(&replay, &embed_ref(PAGE_MOSSERI, "DZvEeVWAKrX")).await);
    assert_eq!(c.author_name, None);
    assert_eq!(c.author_handle.as_deref(), Some("mosseri"));
}

#[tokio::test]
async fn the_page_names_the_post_when_the_embed_cannot() {
    let replay = Replay::new()
        .answer(
            EMBED_MOSSERI,
            given(EMBED_MOSSERI, 200, "<html><body></body></html>"),
        )
        .answer(
            PAGE_MOSSERI,
            recorded(
                PAGE_MOSSERI,
                200,
                "postpage_og-public_mosseri_DZvEeVWAKrX.html",
            ),
        );
    let c = live(resolve_with(&replay, &embed_ref(PAGE_MOSSERI, "DZvEeVWAKrX")).await);
    assert_eq!(c.source, "page");
    assert_eq!(c.author_name.as_deref(), Some("Adam Mosseri"));
    assert_eq!(c.author_handle.as_deref(), Some("mosseri"));
    assert_eq!(
        c.title, None,
        "\"… on Threads\" is the page's title, not the post's"
    );
    assert_eq!(c.text, None);
    assert_eq!(c.media.len(), 1, "og:image");
}

const EMBED_HIDDEN: &str = "https://www.threads.com/t/Dd_vHLcCfNB/embed";
const PAGE_HIDDEN: &str = "https://www.threads.com/t/Dd_vHLcCfNB";
const PAGE_HIDDEN_FINAL: &str = "https://www.threads.com/@/post/Dd_vHLcCfNB";

fn hidden_embed() -> EmbedRef {
    embed_ref("https://www.threads.com/t/Dd_vHLcCfNB", "Dd_vHLcCfNB")
}

#[tokio::test]
async fn not_available_is_gone_when_the_post_page_confirms_it() {
    let replay = Replay::new()
        .answer(
            EMBED_HIDDEN,
            recorded(EMBED_HIDDEN, 200, "embed_unavailable_Dd_vHLcCfNB.html"),
        )
        .answer(
            PAGE_HIDDEN,
            recorded(PAGE_HIDDEN_FINAL, 200, "postpage_og-login_Dd_vHLcCfNB.html"),
        );
    let r = resolve_with(&replay, &hidden_embed()).await;
    assert!(matches!(r, Resolution::Gone { .. }), "{r:?}");
    let e = evidence(&r);
    assert!(e.contains("Thread not available"), "{e}");
    assert!(e.contains("empty handle"), "{e}");
    assert_eq!(replay.requests(), [EMBED_HIDDEN, PAGE_HIDDEN]);
}

#[tokio::test]
async fn not_available_alone_is_transient() {
    let unavailable = || recorded(EMBED_HIDDEN, 200, "embed_unavailable_Dd_vHLcCfNB.html");
    // The post page cannot be had: rate limited, timed out, a login wall, another page.
    let login = "https://www.threads.com/login?next=%2Ft%2FDd_vHLcCfNB";
    let cases: Vec<(&str, Replay)> = vec![
        (
            "429",
            Replay::new()
                .answer(EMBED_HIDDEN, unavailable())
                .answer(PAGE_HIDDEN, given(PAGE_HIDDEN, 429, "")),
        ),
        (
            "timeout",
            Replay::new()
                .answer(EMBED_HIDDEN, unavailable())
                .time_out(PAGE_HIDDEN),
        ),
        (
            "login wall",
            Replay::new().answer(EMBED_HIDDEN, unavailable()).answer(
                PAGE_HIDDEN,
                recorded(login, 200, "postpage_og-login_Dd_vHLcCfNB.html"),
            ),
        ),
        (
            "another post's page",
            Replay::new().answer(EMBED_HIDDEN, unavailable()).answer(
                PAGE_HIDDEN,
                recorded(
                    PAGE_HIDDEN,
                    200,
                    "postpage_og-public_mosseri_DZvEeVWAKrX.html",
                ),
            ),
        ),
    ];
    for (what, replay) in cases {
        let r = resolve_with(&replay, &hidden_embed()).await;
        assert!(matches!(r, Resolution::Transient { .. }), "{what}: {r:?}");
        assert!(evidence(&r).contains("did not confirm"), "{what}: {r:?}");
    }
    // The other way round: a login page's head confirms nothing when the embed was not the
    // notice.
    let replay = Replay::new()
        .answer(EMBED_HIDDEN, given(EMBED_HIDDEN, 200, "<html></html>"))
        .answer(
            PAGE_HIDDEN,
            recorded(PAGE_HIDDEN_FINAL, 200, "postpage_og-login_Dd_vHLcCfNB.html"),
        );
    let r = resolve_with(&replay, &hidden_embed()).await;
    assert!(matches!(r, Resolution::Transient { .. }), "{r:?}");
}

#[tokio::test]
async fn the_notice_with_404_is_gone_without_asking_the_page() {
    let replay = Replay::new().answer(
        EMBED_HIDDEN,
        recorded(EMBED_HIDDEN, 404, "embed_unavailable_Dd_vHLcCfNB.html"),
    );
    let r = resolve_with(&replay, &hidden_embed()).await;
    assert!(matches!(r, Resolution::Gone { .. }), "{r:?}");
    assert_eq!(replay.requests(), [EMBED_HIDDEN]);
}

#[test]
fn walls_errors_and_foreign_pages_are_transient() {
    let text = file("embed_text_zuck_C-srcchPpp7.html");
    let cases: Vec<(&str, Answer)> = vec![
        (
            "redirect to the login page",
            given("https://www.threads.com/login", 200, text.clone()),
        ),
        (
            "redirect to Facebook's unsupported-browser page",
            given(
                "https://www.facebook.com/unsupportedbrowser",
                200,
                "<html>…</html>",
            ),
        ),
        (
            "404 with an edge's page",
            given(
                EMBED_HIDDEN,
                404,
                "<html><head><title>404 Not Found</title></head><body><center>nginx</center></body></html>",
            ),
        ),
        ("403", given(EMBED_HIDDEN, 403, text.clone())),
        (
            "another platform's page",
            fixture_answer(
                EMBED_HIDDEN,
                200,
                HTML,
                "linkedin/postpage_guest_anduril_activity-7468765250281046016.EXCERPTS.html",
            ),
        ),
        (
            "the post page where the embed page was asked",
            recorded(
                EMBED_HIDDEN,
                200,
                "postpage_og-public_mosseri_DZvEeVWAKrX.html",
            ),
        ),
        ("JSON", given(EMBED_HIDDEN, 200, r#"{"data":{}}"#)),
        ("empty", given(EMBED_HIDDEN, 200, "")),
        (
            "not UTF-8",
            given(EMBED_HIDDEN, 200, vec![0xff, 0xfe, 0x00, 0x3c]),
        ),
        (
            "cut short before the date line",
            given(EMBED_HIDDEN, 200, text[..text.len() / 2].to_vec()),
        ),
    ];
    for (what, answer) in cases {
        match embed_page::parse(&answer, "C-srcchPpp7") {
            EmbedAnswer::Transient(Resolution::Transient { source, evidence }) => {
                assert_eq!(source, "threads-embed", "{what}");
                assert!(!evidence.is_empty(), "{what}");
            }
            other => panic!("{what}: expected transient, got {other:?}"),
        }
    }
}

#[test]
fn script_and_javascript_in_a_post_stay_text() {
    let page = String::from_utf8(file("embed_image_mosseri_DZvEd60AE9W.html")).expect("utf-8");
    let hostile = page
        .replace(
            r#"<span class="BodyTextContainer"></span>"#,
            r#"<span class="BodyTextContainer"><span>&lt;script&gt;alert(1)&lt;/script&gt; see javascript:alert(2)</span></span>"#,
        )
        .replacen(
            r#"<img class="img" src="https://scontent.cdninstagram.com/v/t51.82787-15/"#,
            r#"<img class="img" src="javascript:alert(3)" data-was="https://scontent.cdninstagram.com/v/t51.82787-15/"#,
            1,
        );
    assert_ne!(hostile, page);
    let c = match embed_page::parse(&given(EMBED_HIDDEN, 200, hostile), "DZvEd60AE9W") {
        EmbedAnswer::Post(r) => live(r),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        c.text.as_deref(),
        Some("<script>alert(1)</script> see javascript:alert(2)"),
        "kept as the text it is"
    );
    assert!(
        c.media.is_empty(),
        "a javascript: picture is no picture: {:?}",
        c.media
    );
}

#[test]
fn post_page_titles() {
    assert_eq!(
        post_page::name_and_handle("Adam Mosseri (@mosseri) on Threads"),
        Some(("Adam Mosseri".into(), "mosseri".into()))
    );
    assert_eq!(
        post_page::name_and_handle("A (B) (@a.b_c) on Threads"),
        Some(("A (B)".into(), "a.b_c".into()))
    );
    for title in [
        "Threads",
        "(@mosseri) on Threads",
        "Adam (@) on Threads",
        "Log in • Threads",
    ] {
        assert_eq!(post_page::name_and_handle(title), None, "{title}");
    }
    let hidden = post_page::parse(
        &recorded(PAGE_HIDDEN_FINAL, 200, "postpage_og-login_Dd_vHLcCfNB.html"),
        &url::Url::parse(PAGE_HIDDEN).expect("url"),
        "Dd_vHLcCfNB",
    );
    assert!(matches!(hidden, PageAnswer::Hidden { .. }), "{hidden:?}");
    // The public page's head, asked for another code, names no post of ours.
    let other = post_page::parse(
        &recorded(
            PAGE_MOSSERI,
            200,
            "postpage_og-public_mosseri_DZvEeVWAKrX.html",
        ),
        &url::Url::parse(PAGE_MOSSERI).expect("url"),
        "DZvEd60AE9W",
    );
    assert!(matches!(other, PageAnswer::Transient(_)), "{other:?}");
}
