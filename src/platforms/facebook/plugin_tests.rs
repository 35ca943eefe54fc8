//! Plugin page tests on the two recorded answers (a live page post, the notice for a post the
//! plugin no longer shows), redirects to walls, foreign and cut-off pages, and hostile markup.

use super::*;
use crate::model::CheckOutcome;
use crate::platforms::replay::fixture_answer;

const POST: &str = "https://www.facebook.com/maltadaily.mt/posts/1485418313406667";
const GONE_POST: &str = "https://www.facebook.com/NASA/posts/pfbid0aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

fn plugin_url(post: &str) -> String {
    url(post).expect("plugin url").to_string()
}

fn sample(post: &str, file: &str) -> Answer {
    fixture_answer(
        &plugin_url(post),
        200,
        "text/html; charset=\"utf-8\"",
        &format!("facebook/{file}"),
    )
}

fn page(landed: &str, status: u16, body: &str) -> Answer {
    Answer {
        url: landed.to_owned(),
        status,
        content_type: Some("text/html; charset=\"utf-8\"".into()),
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn the_plugin_is_asked_for_the_post_in_english() {
    assert_eq!(
        plugin_url(POST),
        "https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2Fmaltadaily.mt%2Fposts%2F1485418313406667&locale=en_US"
    );
    for bad in ["", "not a url", "javascript:alert(1)"] {
        assert!(url(bad).is_err(), "{bad}");
    }
}

#[test]
fn the_recorded_post_is_live_with_its_fields() {
    let got = parse(
        &sample(POST, "plugin-post-maltadaily-1485418313406667.html"),
        POST,
        EmbedKind::Post,
    );
    let Resolution::Live(c) = got else {
        panic!("expected live, got {got:?}");
    };
    assert_eq!(c.source, SOURCE);
    assert_eq!(c.author_name.as_deref(), Some("Malta Daily"));
    assert_eq!(c.author_handle.as_deref(), Some("maltadaily.mt"));
    assert_eq!(
        c.author_url.as_deref(),
        Some("https://www.facebook.com/maltadaily.mt")
    );
    // data-utime 1766678864: "Thursday, December 25, 2025 at 8:07 AM" (Pacific time).
    assert_eq!(
        c.published_at.map(|d| d.to_rfc3339()).as_deref(),
        Some("2025-12-25T16:07:44+00:00")
    );
    let text = c.text.as_deref().unwrap_or_default();
    assert!(
        text.starts_with(
            "Christmas Eve took an unexpected turn for firefighters from Civil Protection Malta"
        ),
        "{text}"
    );
    // The folded part is read, the "..." and "See more" controls are not.
    assert!(
        text.contains("posing a potential risk to staff and patrons on site.\n\nFirefighters from Fire Stations 10 and 11"),
        "{text}"
    );
    assert!(text.ends_with("\n\n#MaltaDaily"), "{text}");
    assert!(
        !text.contains("See more") && !text.contains("..."),
        "{text}"
    );
    assert_eq!(text.matches("\n\n").count(), 5, "{text}");
    // One picture: the post's, not the author's (`t39.30808-1`) or Facebook's logo.
    assert_eq!(c.media.len(), 1, "{:?}", c.media);
    let m = &c.media[0];
    assert_eq!(m.kind, MediaKind::Image);
    assert!(
        m.url.starts_with("https://scontent.xx.fbcdn.net/v/t39.30808-6/605468202_1485418233406675_2247927725650810095_n.jpg?stp=dst-jpg_p403x403_tt6&_nc_cat=109&"),
        "{}",
        m.url
    );
    assert_eq!(m.image_url.as_deref(), Some(m.url.as_str()));
    assert_eq!((m.width, m.height), (Some(398), Some(498)));
    assert_eq!(c.title, None);
    assert_eq!(c.raw.len(), 1);
}

#[test]
fn a_video_post_keeps_the_post_link_and_its_poster() {
    let video = "https://www.facebook.com/maltadaily.mt/videos/1485418313406667";
    let Resolution::Live(c) = parse(
        &sample(video, "plugin-post-maltadaily-1485418313406667.html"),
        video,
        EmbedKind::Video,
    ) else {
        panic!("expected live");
    };
    assert_eq!(c.media.len(), 1);
    assert_eq!(c.media[0].kind, MediaKind::Video);
    assert_eq!(
        c.media[0].url,
        "https://www.facebook.com/maltadaily.mt/posts/1485418313406667"
    );
    assert!(
        c.media[0]
            .image_url
            .as_deref()
            .is_some_and(|u| u.contains("605468202_1485418233406675")),
        "{:?}",
        c.media[0]
    );
    // A frame without the post's link keeps the address that was asked about.
    let bare = r#"<div data-testid="newsFeedStream"><abbr data-utime="1766678864"></abbr></div>"#;
    let Resolution::Live(c) = parse(
        &page(&plugin_url(video), 200, bare),
        video,
        EmbedKind::Video,
    ) else {
        panic!("expected live");
    };
    assert_eq!(c.media.len(), 1);
    assert_eq!(c.media[0].url, video);
    assert_eq!(c.media[0].image_url, None);
}

#[test]
fn the_recorded_notice_is_gone_for_posts_and_transient_for_groups() {
    let answer = sample(GONE_POST, "plugin-post-unavailable.html");
    match parse(&answer, GONE_POST, EmbedKind::Post) {
        Resolution::Gone { source, evidence } => {
            assert_eq!(source, SOURCE);
            assert!(
                evidence.contains("This Facebook post is no longer available. It may have been removed or the privacy settings of the post may have changed."),
                "{evidence}"
            );
        }
        other => panic!("expected gone, got {other:?}"),
    }
    // The plugin shows the same notice for public group posts and notes.
    for post in [
        "https://www.facebook.com/groups/rordevelopers/posts/3610333842332884",
        "https://www.facebook.com/notes/facebook-app/title/2207967130",
    ] {
        assert_eq!(
            parse(&answer, post, EmbedKind::Post).outcome(),
            Some(CheckOutcome::Transient),
            "{post}"
        );
    }
}

#[test]
fn walls_errors_and_foreign_pages_are_transient() {
    let live = sample(POST, "plugin-post-maltadaily-1485418313406667.html");
    let notice = sample(GONE_POST, "plugin-post-unavailable.html");
    let plugin = plugin_url(POST);
    let cases = [
        // The recorded notice, but the request ended on the login or checkpoint wall.
        page(
            "https://www.facebook.com/login/?next=https%3A%2F%2Fwww.facebook.com%2Fplugins%2Fpost.php",
            200,
            &String::from_utf8_lossy(&notice.body),
        ),
        page(
            "https://www.facebook.com/checkpoint/block/",
            200,
            "<html><body>You're Temporarily Blocked</body></html>",
        ),
        // Error statuses, whatever their body.
        page(&plugin, 404, &String::from_utf8_lossy(&notice.body)),
        page(&plugin, 429, ""),
        page(&plugin, 500, "<html>"),
        // Pages that are not the plugin's.
        page(&plugin, 200, ""),
        page(&plugin, 200, "{\"error\":{\"message\":\"x\"}}"),
        page(
            &plugin,
            200,
            "<html><head><title>Facebook</title></head><body><div>Log in to Facebook</div></body></html>",
        ),
        fixture_answer(
            &plugin,
            200,
            "text/html",
            "bandcamp/page-track-jeanjean-coquin-l-l-phant.html",
        ),
        // The frame without any field of a post.
        page(
            &plugin,
            200,
            r#"<div data-testid="newsFeedStream"><div role="feed"></div></div>"#,
        ),
    ];
    for answer in cases {
        let got = parse(&answer, POST, EmbedKind::Post);
        assert_eq!(
            got.outcome(),
            Some(CheckOutcome::Transient),
            "{} {}: {got:?}",
            answer.status,
            answer.url
        );
    }
    // Cut-off pages: never gone; what is read before the cut is this post's.
    for cut in [0, 100, 600, 1_500, 3_000, live.body.len() - 200] {
        let mut answer = live.clone();
        answer.body.truncate(cut);
        match parse(&answer, POST, EmbedKind::Post) {
            Resolution::Live(c) => {
                assert_eq!(
                    c.author_name.as_deref(),
                    Some("Malta Daily"),
                    "cut at {cut}"
                )
            }
            other => assert_eq!(
                other.outcome(),
                Some(CheckOutcome::Transient),
                "cut at {cut}: {other:?}"
            ),
        }
    }
    let mut big = live.clone();
    big.body.resize(MAX_PAGE_BYTES + 1, b' ');
    assert_eq!(
        parse(&big, POST, EmbedKind::Post).outcome(),
        Some(CheckOutcome::Transient)
    );
}

#[test]
fn hostile_markup_is_read_as_text_never_as_links() {
    let body = r#"<div data-testid="newsFeedStream"><a href="javascript:alert(1)"><img role="img" aria-label="A &lt;b&gt;" src="https://scontent.xx.fbcdn.net/a.jpg"></a><abbr data-utime="not a time"></abbr><img src="javascript:alert(1)"><img src="https://evil.example/p.jpg"><div data-testid="post_message"><p>hi<script>alert(1)</script> <b>there</b></p></div></div>"#;
    let Resolution::Live(c) = parse(&page(&plugin_url(POST), 200, body), POST, EmbedKind::Post)
    else {
        panic!("expected live");
    };
    assert_eq!(c.text.as_deref(), Some("hi there"));
    assert_eq!(c.author_name.as_deref(), Some("A <b>"));
    assert_eq!(c.author_url, None);
    assert_eq!(c.published_at, None);
    assert!(c.media.is_empty(), "{:?}", c.media);
}
