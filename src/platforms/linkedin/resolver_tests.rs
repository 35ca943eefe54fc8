//! LinkedIn resolver tests on the one real guest post page there is: verbatim excerpts of a
//! company's post page, in document order (tests/fixtures/README.md). Its JSON-LD is cut in the
//! middle (the comments were left out), so it does not parse and the page reads as a page
//! without JSON-LD: author and text from the post card, the time from the post id. The values
//! are compared with what the capture's JSON-LD fragments state. No deleted post, 404, 999 or
//! authwall answer has been recorded: those tests use the statuses and addresses LinkedIn is
//! documented to answer with.

use chrono::{DateTime, Utc};

use super::post_page;
use super::resolve::resolve_with;
use crate::model::{EmbedKind, EmbedRef, Location, MediaKind, Platform, Resolution};
use crate::platforms::replay::{Replay, evidence, fixture_answer, live};
use crate::platforms::source::Answer;

const HTML: &str = "text/html; charset=utf-8";
const FILE: &str = "linkedin/postpage_guest_anduril_activity-7468765250281046016.EXCERPTS.html";
const ACTIVITY: &str = "urn:li:activity:7468765250281046016";
const SHARE: &str = "urn:li:share:7468765248838082560";
const PAGE: &str = "https://www.linkedin.com/feed/update/urn:li:activity:7468765250281046016/";
const POSTS: &str = "https://www.linkedin.com/posts/anduril_rubricrefine-improving-tool-use-agent-reliability-activity-7468765250281046016-5CCd";

fn capture() -> String {
    let path = format!(
        "{}/tests/fixtures/samples/{FILE}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A JSON string value that follows `"key":` in the capture's JSON-LD fragments.
fn ld_string(key: &str) -> String {
    let page = capture();
    let at = page
        .find(&format!("\"{key}\":"))
        .unwrap_or_else(|| panic!("no {key} in the capture"));
    let rest = &page[at + key.len() + 3..];
    serde_json::Deserializer::from_str(rest)
        .into_iter::<String>()
        .next()
        .and_then(Result::ok)
        .unwrap_or_else(|| panic!("{key} is no JSON string"))
}

fn given(url: &str, status: u16, body: impl Into<Vec<u8>>) -> Answer {
    Answer {
        url: url.into(),
        status,
        content_type: Some(HTML.into()),
        body: body.into(),
    }
}

fn parse(answer: &Answer, urn: &str) -> Resolution {
    let requested = post_page::url(urn).expect("valid urn");
    post_page::parse(answer, &requested, urn)
}

fn embed_ref(urn: &str) -> EmbedRef {
    EmbedRef {
        platform: Platform::Linkedin,
        kind: EmbedKind::Post,
        post_url: format!("https://www.linkedin.com/feed/update/{urn}/"),
        post_id: Some(urn.into()),
        location: Location::Dom,
        evidence: "iframe".into(),
        markup: String::new(),
        author_name: None,
        author_handle: None,
        text: None,
        published_at: None,
    }
}

#[test]
fn request_urls() {
    assert_eq!(post_page::url(ACTIVITY).expect("valid").as_str(), PAGE);
    assert_eq!(
        post_page::url("urn:li:ugcPost:7123456789012345678")
            .expect("valid")
            .as_str(),
        "https://www.linkedin.com/feed/update/urn:li:ugcPost:7123456789012345678/"
    );
    for bad in [
        "",
        "urn:li:article:7123456789012345678",
        "urn:li:activity:12",
        "urn:li:activity:7123456789012345678/../x",
        "7123456789012345678",
    ] {
        assert!(post_page::url(bad).is_err(), "{bad}");
    }
}

#[test]
fn the_ids_time_is_the_posts_published_time() {
    let stated: DateTime<Utc> = ld_string("datePublished").parse().expect("RFC 3339");
    assert_eq!(stated.to_rfc3339(), "2026-06-05T20:46:38.597+00:00");
    for id in [7468765250281046016_u64, 7468765248838082560] {
        let derived = post_page::time_from_id(id).expect("a time");
        let off = (derived - stated).num_milliseconds().abs();
        assert!(off < 1000, "{id}: {derived} vs {stated}");
    }
}

#[tokio::test]
async fn the_guest_page_gives_author_text_picture_and_time() {
    let replay = Replay::new().answer(PAGE, fixture_answer(POSTS, 200, HTML, FILE));
    let c = live(resolve_with(&replay, &embed_ref(ACTIVITY)).await);
    assert_eq!(replay.requests(), [PAGE]);
    assert_eq!(c.source, "linkedin-page");
    assert_eq!(c.author_name.as_deref(), Some("Anduril Industries"));
    assert_eq!(
        c.author_url.as_deref(),
        Some("https://www.linkedin.com/company/anduril")
    );
    assert_eq!(c.author_handle.as_deref(), Some("anduril"));
    // The card's text is the JSON-LD's articleBody, line breaks and all.
    assert_eq!(c.text, Some(ld_string("articleBody").trim().to_owned()));
    assert_eq!(
        c.published_at,
        Some("2026-06-05T20:46:38.615Z".parse().expect("time")),
        "from the activity id"
    );
    assert_eq!(c.lang, None, "og:locale is the reader's, not the post's");
    assert_eq!(c.title, None);
    assert_eq!(c.media.len(), 1, "{:?}", c.media);
    assert_eq!(c.media[0].kind, MediaKind::Image);
    assert_eq!(
        c.media[0].url,
        "https://media.licdn.com/dms/image/sync/v2/D5627AQEsQn05QPvAmA/articleshare-shrink_800/B56Z6ZVo7pH0AY-/0/1780689047638?e=2147483647&v=beta&t=Mm6pta3-b6U8l0t31L-6j9EEAa4OdiApUoj8Pw_Y2e0"
    );
}

#[test]
fn a_share_urn_is_found_on_its_activitys_page() {
    // The card names the share the activity carries.
    let c = live(parse(&fixture_answer(POSTS, 200, HTML, FILE), SHARE));
    assert_eq!(c.author_name.as_deref(), Some("Anduril Industries"));
    // The page's activity id gives the time, not the share id.
    assert_eq!(
        c.published_at,
        Some("2026-06-05T20:46:38.615Z".parse().expect("time"))
    );
}

#[test]
fn a_page_about_another_post_is_transient() {
    let r = parse(
        &fixture_answer(POSTS, 200, HTML, FILE),
        "urn:li:activity:7468765250281046017",
    );
    assert!(matches!(r, Resolution::Transient { .. }), "{r:?}");
    assert!(evidence(&r).contains("not this post's page"), "{r:?}");
}

#[test]
fn walls_are_transient() {
    let page = capture();
    let cases: Vec<(&str, Answer)> = vec![
        ("HTTP 999", given(PAGE, 999, "")),
        (
            "redirect to the authwall",
            given(
                "https://www.linkedin.com/authwall?trk=bf&sessionRedirect=x",
                200,
                page.clone(),
            ),
        ),
        (
            "redirect to the login page",
            given(
                "https://www.linkedin.com/login?fromSignIn=true",
                200,
                page.clone(),
            ),
        ),
        (
            "an auth_wall page",
            given(
                PAGE,
                200,
                r#"<html><head><meta name="pageKey" content="auth_wall_desktop_profile"></head></html>"#,
            ),
        ),
        ("403", given(PAGE, 403, page.clone())),
    ];
    for (what, answer) in cases {
        let r = parse(&answer, ACTIVITY);
        assert!(
            matches!(&r, Resolution::Transient { source, .. } if source == "linkedin-page"),
            "{what}: {r:?}"
        );
    }
}

#[test]
fn a_404_is_gone_only_at_the_posts_own_address_from_the_site() {
    // No 404 of a deleted post has been recorded: the body here is the site's post page.
    let own = parse(&given(PAGE, 404, capture()), ACTIVITY);
    assert!(matches!(own, Resolution::Gone { .. }), "{own:?}");
    assert!(evidence(&own).contains("HTTP 404"), "{own:?}");
    let edge = given(
        PAGE,
        404,
        "<html><head><title>404 Not Found</title></head><body><center>nginx</center></body></html>",
    );
    let moved = given("https://www.linkedin.com/feed/", 404, capture());
    for (what, answer) in [("an edge's page", edge), ("after a redirect", moved)] {
        let r = parse(&answer, ACTIVITY);
        assert!(matches!(r, Resolution::Transient { .. }), "{what}: {r:?}");
    }
}

#[test]
fn bad_pages_are_transient() {
    let page = capture();
    let cut = page
        .find("<!-- EXCERPT 4")
        .map(|i| page[..i].to_owned())
        .expect("excerpt 4");
    let threads = std::fs::read(format!(
        "{}/tests/fixtures/samples/threads/embed_text_zuck_C-srcchPpp7.html",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("threads capture");
    let cases: Vec<(&str, Answer)> = vec![
        ("cut before the post's data", given(POSTS, 200, cut)),
        ("another platform's page", given(POSTS, 200, threads)),
        ("JSON", given(POSTS, 200, r#"{"status":404}"#)),
        ("empty", given(POSTS, 200, "")),
        ("not UTF-8", given(POSTS, 200, vec![0xff, 0xfe, 0x00])),
    ];
    for (what, answer) in cases {
        let r = parse(&answer, ACTIVITY);
        assert!(matches!(r, Resolution::Transient { .. }), "{what}: {r:?}");
    }
}

#[test]
fn script_and_javascript_in_a_post_stay_text() {
    let page = capture();
    let hostile = page
        .replace(
            "Standard AI agents learn through trial and error, but in defense",
            "&lt;script&gt;alert(1)&lt;/script&gt; <a class=\"link\" href=\"javascript:alert(2)\">javascript:alert(2)</a> Standard AI agents",
        )
        .replace(
            "https://www.linkedin.com/company/anduril?trk=public_post_feed-actor-name",
            "javascript:alert(3)",
        );
    assert_ne!(hostile, page);
    let c = live(parse(&given(POSTS, 200, hostile), ACTIVITY));
    let text = c.text.expect("text");
    assert!(
        text.starts_with("<script>alert(1)</script> javascript:alert(2) Standard AI agents"),
        "{text}"
    );
    assert_eq!(c.author_url, None, "a javascript: link is no profile");
    assert_eq!(c.author_name.as_deref(), Some("Anduril Industries"));
}
