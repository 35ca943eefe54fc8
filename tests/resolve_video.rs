//! Video and image platforms end to end: the real binary archives an article page whose players
//! are resolved from the fixture server replaying recorded platform answers, and `show --json`
//! has what those answers say.

mod support;

use serde_json::Value;
use support::{Reply, Routes, TestEnv, fixture};

const ARTICLE: &str = "https://news.example.com/2026/12/video-platforms.html";

fn routes() -> Routes {
    let mut routes = Routes::from_manifest();
    routes.add(
        ARTICLE,
        Reply::html(fixture("local/article-video-platforms.html")),
    );
    routes.add(
        "https://www.dailymotion.com/services/oembed?url=https%3A%2F%2Fwww.dailymotion.com%2Fvideo%2Fxy0wd&format=json",
        Reply::with_type(
            200,
            "application/json",
            fixture("samples/dailymotion/oembed-xy0wd-2024.json"),
        ),
    );
    routes
}

/// The embed of the archived article with this platform and post id.
fn embed<'a>(article: &'a Value, platform: &str, post_id: &str) -> &'a Value {
    article["embeds"]
        .as_array()
        .expect("embeds array")
        .iter()
        .find(|e| e["platform"] == platform && e["post_id"] == post_id)
        .unwrap_or_else(|| panic!("no {platform} embed {post_id} in {article:#}"))
}

/// Archive the article once and return the archived article's report.
fn archive(env: &TestEnv) -> Value {
    let (_, doc, stderr) = env.json(&["archive", ARTICLE]);
    let article = doc["articles"][0].clone();
    assert_eq!(article["url"], ARTICLE, "stderr: {stderr}\n{doc:#}");
    assert!(article["error"].is_null(), "{article:#}");
    article
}

/// `show --json` of a post URL: exit 0 and one document.
fn show(env: &TestEnv, post_url: &str) -> Value {
    let (code, shown, stderr) = env.json(&["show", post_url]);
    assert_eq!(code, 0, "show {post_url}: {stderr}\n{shown:#}");
    shown
}

fn latest_snapshot(shown: &Value) -> &Value {
    let snapshots = shown["snapshots"].as_array().expect("snapshots array");
    assert_eq!(snapshots.len(), 1, "{shown:#}");
    &snapshots[0]
}

#[test]
fn vimeo_video_is_archived_from_oembed_and_a_deleted_one_is_suspect() {
    let env = TestEnv::new(routes(), "");
    let article = archive(&env);

    let live = embed(&article, "vimeo", "235352744");
    assert_eq!(live["status"], "live", "{live:#}");
    let shown = show(&env, "https://vimeo.com/235352744");
    assert_eq!(shown["platform"], "vimeo", "{shown:#}");
    let s = latest_snapshot(&shown);
    assert_eq!(s["source"], "vimeo-oembed", "{s:#}");
    assert_eq!(s["author_name"], "Vimeo", "{s:#}");
    assert_eq!(s["author_handle"], "vimeomarketing", "{s:#}");
    assert_eq!(s["author_url"], "https://vimeo.com/vimeomarketing", "{s:#}");
    // The description is the text; the title is kept apart from it.
    assert_eq!(
        s["text"], "Professional live streaming is here. \n\nLearn more at vimeo.com/live",
        "{s:#}"
    );
    assert_eq!(s["published_at"], "2017-09-25T10:36:56Z", "{s:#}");
    let media = s["media"].as_array().expect("media");
    assert_eq!(media.len(), 1, "{s:#}");
    assert_eq!(media[0]["kind"], "video", "{s:#}");
    assert_eq!(media[0]["url"], "https://vimeo.com/235352744", "{s:#}");

    // The recorded empty 404 of oEmbed: one gone answer makes the post suspect, not gone.
    let gone = embed(&article, "vimeo", "100000001");
    assert_eq!(gone["status"], "suspect", "{gone:#}");
    assert!(gone["snapshot"].is_null(), "{gone:#}");
}

#[test]
fn dailymotion_player_is_its_own_platform_and_archived_from_oembed() {
    let env = TestEnv::new(routes(), "");
    let article = archive(&env);

    let e = embed(&article, "dailymotion", "xy0wd");
    assert_eq!(e["status"], "live", "{e:#}");
    assert_eq!(
        e["post_url"], "https://www.dailymotion.com/video/xy0wd",
        "{e:#}"
    );
    let shown = show(&env, "https://dai.ly/xy0wd");
    assert_eq!(shown["platform"], "dailymotion", "{shown:#}");
    let s = latest_snapshot(&shown);
    assert_eq!(s["source"], "dailymotion-oembed", "{s:#}");
    assert_eq!(s["author_name"], "jeanbamin", "{s:#}");
    assert_eq!(
        s["author_url"], "https://www.dailymotion.com/jeanbamin",
        "{s:#}"
    );
    let media = s["media"].as_array().expect("media");
    assert_eq!(media.len(), 1, "{s:#}");
    assert_eq!(media[0]["kind"], "video", "{s:#}");
    assert_eq!(
        media[0]["url"], "https://www.dailymotion.com/video/xy0wd",
        "{s:#}"
    );
}
