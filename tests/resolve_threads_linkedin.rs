//! Threads and LinkedIn end to end: an article embedding Threads posts (the blockquote Threads
//! hands out) and a LinkedIn post (LinkedIn's iframe) is archived by the real binary, with every
//! platform host routed to the fixture server replaying real captured answers, and
//! `archive --json` / `show --json` report what each post's answers said.

mod support;

use serde_json::Value;
use support::{Reply, Routes, TestEnv, fixture};

const ARTICLE: &str = "https://news.example.com/2026/12/threads-linkedin.html";
const CAROUSEL: &str = "https://www.threads.com/@mosseri/post/DZvEeVWAKrX";
const HIDDEN: &str = "https://www.threads.com/t/Dd_vHLcCfNB";
const LINKEDIN_SHARE: &str =
    "https://www.linkedin.com/feed/update/urn:li:share:7468765248838082560/";
const LINKEDIN_POSTS: &str = "https://www.linkedin.com/posts/anduril_rubricrefine-improving-tool-use-agent-reliability-activity-7468765250281046016-5CCd";

fn jpeg() -> Reply {
    Reply::with_type(
        200,
        "image/jpeg",
        fixture("samples/images/progressive-650x470.jpg"),
    )
}

fn html(file: &str) -> Reply {
    Reply::with_type(200, "text/html; charset=utf-8", fixture(file))
}

/// Every `img src` of a recorded page, entities decoded as a browser (and the resolver) reads
/// them.
fn picture_urls(file: &str) -> Vec<String> {
    let page = String::from_utf8(fixture(file)).expect("utf-8");
    page.split(r#"<img class="img" src=""#)
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|u| u.replace("&amp;", "&"))
        .collect()
}

fn env() -> TestEnv {
    let mut routes = Routes::default();
    routes.add(ARTICLE, html("local/article-threads-linkedin.html"));
    // Threads: a carousel (embed page and post page), and a post that is not shown (the
    // "Thread not available" embed page and the post page with an empty handle).
    let carousel = "samples/threads/embed_carousel_mosseri_DZvEeVWAKrX.html";
    routes.add(&format!("{CAROUSEL}/embed"), html(carousel));
    routes.add(
        CAROUSEL,
        html("samples/threads/postpage_og-public_mosseri_DZvEeVWAKrX.html"),
    );
    for url in picture_urls(carousel) {
        routes.add(&url, jpeg());
    }
    routes.add(
        &format!("{HIDDEN}/embed"),
        html("samples/threads/embed_unavailable_Dd_vHLcCfNB.html"),
    );
    routes.add(
        HIDDEN,
        html("samples/threads/postpage_og-login_Dd_vHLcCfNB.html"),
    );
    // LinkedIn: the share's feed address redirects to the post's page, as LinkedIn does.
    routes.add(LINKEDIN_SHARE, Reply::redirect(301, LINKEDIN_POSTS));
    routes.add(
        LINKEDIN_POSTS,
        html("samples/linkedin/postpage_guest_anduril_activity-7468765250281046016.EXCERPTS.html"),
    );
    routes.add(
        "https://media.licdn.com/dms/image/sync/v2/D5627AQEsQn05QPvAmA/articleshare-shrink_800/B56Z6ZVo7pH0AY-/0/1780689047638?e=2147483647&v=beta&t=Mm6pta3-b6U8l0t31L-6j9EEAa4OdiApUoj8Pw_Y2e0",
        jpeg(),
    );
    // Every other host a resolver could reach answers 599 from the fixture server, never the
    // network.
    TestEnv::with_hosts(
        routes,
        &[
            "www.threads.net",
            "threads.com",
            "instagram.fkhh1-2.fna.fbcdn.net",
            "scontent-tpe1-1.xx.fbcdn.net",
            "linkedin.com",
        ],
        "",
    )
}

fn embed<'a>(article: &'a Value, platform: &str, post_id: &str) -> &'a Value {
    article["embeds"]
        .as_array()
        .expect("embeds array")
        .iter()
        .find(|e| e["platform"] == platform && e["post_id"] == post_id)
        .unwrap_or_else(|| panic!("no {platform} embed {post_id} in {article:#}"))
}

#[test]
fn threads_and_linkedin_posts_archive_with_their_fields_and_verdicts() {
    let env = env();
    let (code, doc, stderr) = env.json(&["archive", ARTICLE]);
    // The post without recorded answers could not be checked: exit 1, everything else stored.
    assert_eq!(code, 1, "stderr: {stderr}\n{doc:#}");
    let a = &doc["articles"][0];

    // The carousel: the embed page's handle, text, pictures and video, the post page's name.
    let carousel = embed(a, "threads", "DZvEeVWAKrX");
    assert_eq!(carousel["status"], "live", "stderr: {stderr}\n{carousel:#}");
    let s = &carousel["snapshot"];
    assert_eq!(s["source"], "threads-embed");
    assert_eq!(s["author_name"], "Adam Mosseri");
    assert_eq!(s["author_handle"], "mosseri");
    assert_eq!(s["author_url"], "https://www.threads.com/@mosseri");
    assert_eq!(s["published_at"], "2026-06-18T17:22:57Z");
    assert!(
        s["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("#photodump from a recent weekend")),
        "{s:#}"
    );
    let media = s["media"].as_array().expect("media");
    let kinds: Vec<&str> = media.iter().filter_map(|m| m["kind"].as_str()).collect();
    assert_eq!(
        kinds,
        [
            "image", "image", "image", "video", "image", "image", "image"
        ],
        "{s:#}"
    );
    let first_thumbnail = media[0]["thumbnail"]["sha256"].as_str().unwrap_or_default();
    assert_eq!(first_thumbnail.len(), 64, "{:#}", media[0]);

    // Not available, and the post page names it with an empty handle: gone once, so suspect.
    let hidden = embed(a, "threads", "Dd_vHLcCfNB");
    assert_eq!(hidden["status"], "suspect", "{hidden:#}");

    // No answer recorded for this post: nothing concluded, nothing stored as its content.
    let unrecorded = embed(a, "threads", "DVdP2dCE_kf");
    assert_eq!(unrecorded["status"], "unknown", "{unrecorded:#}");
    assert!(unrecorded["snapshot"].is_null(), "{unrecorded:#}");
    assert!(
        unrecorded["error"]
            .as_str()
            .is_some_and(|e| e.contains("/DVdP2dCE_kf/embed") && e.contains("page: HTTP 599")),
        "both sources asked: {unrecorded:#}"
    );

    // LinkedIn: the share's page, read from its card; the time from the post's activity id.
    let post = embed(a, "linkedin", "urn:li:share:7468765248838082560");
    assert_eq!(post["status"], "live", "{post:#}");
    let s = &post["snapshot"];
    assert_eq!(s["source"], "linkedin-page");
    assert_eq!(s["author_name"], "Anduril Industries");
    assert_eq!(s["author_url"], "https://www.linkedin.com/company/anduril");
    assert_eq!(s["published_at"], "2026-06-05T20:46:38Z");
    assert!(
        s["text"].as_str().is_some_and(|t| t
            .starts_with("Standard AI agents learn through trial and error, but in defense")
            && t.ends_with("Read the full paper on arXiv: https://lnkd.in/gmtbQDG5")),
        "{s:#}"
    );

    // `show` reports the same.
    let (code, shown, _) = env.json(&["show", CAROUSEL]);
    assert_eq!(code, 0, "{shown:#}");
    assert_eq!(shown["status"], "live", "{shown:#}");
    assert_eq!(shown["snapshots"][0]["author_name"], "Adam Mosseri");
    assert_eq!(shown["checks"][0]["outcome"], "live");

    let (code, shown, _) = env.json(&["show", HIDDEN]);
    assert_eq!(code, 0, "{shown:#}");
    assert_eq!(shown["checks"][0]["outcome"], "gone", "{shown:#}");
    assert_eq!(shown["checks"][0]["source"], "threads-embed");
    assert!(
        shown["checks"][0]["evidence"]
            .as_str()
            .is_some_and(|e| e.contains("Thread not available") && e.contains("empty handle")),
        "{shown:#}"
    );

    let (code, shown, _) = env.json(&["show", LINKEDIN_SHARE]);
    assert_eq!(code, 0, "{shown:#}");
    assert_eq!(shown["status"], "live", "{shown:#}");
    assert_eq!(shown["snapshots"][0]["author_name"], "Anduril Industries");
    assert_eq!(shown["checks"][0]["source"], "linkedin-page");
}
