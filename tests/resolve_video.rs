//! Video and image platforms end to end: the real binary archives an article page whose players
//! are resolved from the fixture server replaying recorded platform answers, and `show --json`
//! has what those answers say.

mod support;

use serde_json::Value;
use support::{Reply, Routes, TestEnv, fixture};

const ARTICLE: &str = "https://news.example.com/2026/12/video-platforms.html";

/// Hosts the page's players and the answers' pictures live on: routed to the fixture server
/// too, so that nothing a run asks for leaves loopback.
const MEDIA_HOSTS: &[&str] = &[
    "player.vimeo.com",
    "geo.dailymotion.com",
    "s2.dmcdn.net",
    "player.twitch.tv",
    "static-cdn.jtvnw.net",
    "s.imgur.com",
    "media.giphy.com",
    "embed.tumblr.com",
    "assets.tumblr.com",
    "64.media.tumblr.com",
];

fn env() -> TestEnv {
    TestEnv::with_hosts(routes(), MEDIA_HOSTS, "")
}

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
    routes.add(
        "https://www.twitch.tv/videos/72749628",
        Reply::with_type(
            200,
            "text/html",
            fixture("samples/twitch/page-videos-72749628.html"),
        ),
    );
    // A removed Imgur image redirects to the placeholder.
    routes.add(
        "https://i.imgur.com/Rm0ved1.jpg",
        Reply::redirect(302, "https://i.imgur.com/removed.png"),
    );
    routes.add(
        "https://i.imgur.com/removed.png",
        Reply::with_type(200, "image/png", fixture("samples/images/rgba16-32x32.png")),
    );
    // No GIPHY answer was found recorded: this one is written in the documented shape.
    routes.add(
        "https://giphy.com/services/oembed?url=https%3A%2F%2Fgiphy.com%2Fgifs%2F3o7TKBX7vWbc7Dhxcc",
        Reply::with_type(
            200,
            "application/json",
            fixture("local/giphy-oembed-documented.json"),
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
    let env = env();
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
    let env = env();
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

#[test]
fn twitch_broadcasts_are_read_from_their_pages() {
    let env = env();
    let article = archive(&env);

    let e = embed(&article, "twitch", "72749628");
    assert_eq!(e["status"], "live", "{e:#}");
    let shown = show(&env, "https://www.twitch.tv/videos/72749628");
    let s = latest_snapshot(&shown);
    assert_eq!(s["source"], "twitch-page", "{s:#}");
    assert_eq!(s["author_handle"], "riotgames", "{s:#}");
    assert_eq!(s["author_url"], "https://www.twitch.tv/riotgames", "{s:#}");
    assert_eq!(
        s["text"], "riotgames went live on Twitch. Catch up on their League of Legends VOD now.",
        "{s:#}"
    );
    assert_eq!(s["published_at"], "2016-06-16T13:30:57Z", "{s:#}");
    assert_eq!(s["media"][0]["kind"], "video", "{s:#}");
    assert_eq!(
        s["media"][0]["url"], "https://www.twitch.tv/videos/72749628",
        "{s:#}"
    );

    // The recorded page shell names the video and nothing more: live, never gone.
    let shell = embed(&article, "twitch", "106400740");
    assert_eq!(shell["status"], "live", "{shell:#}");
}

#[test]
fn imgur_images_are_checked_and_a_removed_one_is_suspect() {
    let env = env();
    let article = archive(&env);

    let e = embed(&article, "imgur", "X6rkCc5");
    assert_eq!(e["status"], "live", "{e:#}");
    let shown = show(&env, "https://imgur.com/X6rkCc5");
    let s = latest_snapshot(&shown);
    assert_eq!(s["source"], "imgur-oembed", "{s:#}");
    let media = s["media"].as_array().expect("media");
    assert_eq!(media.len(), 1, "{s:#}");
    assert_eq!(media[0]["kind"], "image", "{s:#}");
    assert_eq!(media[0]["url"], "https://i.imgur.com/X6rkCc5.jpg", "{s:#}");
    // The recorded image is thumbnailed.
    assert!(media[0]["thumbnail"]["sha256"].is_string(), "{s:#}");

    let removed = embed(&article, "imgur", "Rm0ved1");
    assert_eq!(removed["status"], "suspect", "{removed:#}");
    assert!(removed["snapshot"].is_null(), "{removed:#}");
}

#[test]
fn giphy_gif_is_read_from_oembed() {
    let env = env();
    let article = archive(&env);

    let e = embed(&article, "giphy", "3o7TKBX7vWbc7Dhxcc");
    assert_eq!(e["status"], "live", "{e:#}");
    let shown = show(&env, "https://giphy.com/gifs/3o7TKBX7vWbc7Dhxcc");
    let s = latest_snapshot(&shown);
    assert_eq!(s["source"], "giphy-oembed", "{s:#}");
    assert_eq!(s["author_name"], "someone", "{s:#}");
    assert_eq!(
        s["media"][0]["url"], "https://media.giphy.com/media/3o7TKBX7vWbc7Dhxcc/giphy.gif",
        "{s:#}"
    );
    assert_eq!(s["media"][0]["width"], 480, "{s:#}");
}

#[test]
fn tumblr_post_is_read_from_oembed_and_its_page() {
    let env = env();
    let article = archive(&env);

    let e = embed(&article, "tumblr", "165326273724");
    assert_eq!(e["status"], "live", "{e:#}");
    let shown = show(
        &env,
        "https://www.tumblr.com/he-who-photographs-rather-ok/165326273724",
    );
    let s = latest_snapshot(&shown);
    assert_eq!(s["source"], "tumblr-oembed", "{s:#}");
    assert_eq!(s["author_name"], "He-who-photographs-rather-OK", "{s:#}");
    assert_eq!(s["author_handle"], "he-who-photographs-rather-ok", "{s:#}");
    assert_eq!(s["published_at"], "2017-09-14T10:20:35Z", "{s:#}");
    assert_eq!(
        s["media"][0]["url"],
        "https://64.media.tumblr.com/0a0fac1ef8faa0c466d9224567af06aa/tumblr_ow8r0nMybA1spmyulo1_1280.jpg",
        "{s:#}"
    );
}

#[test]
fn nothing_leaves_the_fixture_server() {
    let env = env();
    archive(&env);
    let requests = env.server.requests();
    assert!(
        requests
            .iter()
            .any(|r| r.starts_with("https://vimeo.com/api/oembed.json")),
        "{requests:#?}"
    );
    for host in [
        "www.dailymotion.com",
        "www.twitch.tv",
        "api.imgur.com",
        "giphy.com",
        "www.tumblr.com",
    ] {
        assert!(
            requests
                .iter()
                .any(|r| r.starts_with(&format!("https://{host}/"))),
            "{host} not asked: {requests:#?}"
        );
    }
}
