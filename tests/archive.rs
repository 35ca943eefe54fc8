//! `embedkeep archive` end to end: the real binary, a real SQLite file, real HTTP over loopback to
//! the fixture server replaying recorded platform answers.

mod support;

use serde_json::Value;
use support::{Reply, Routes, TestEnv, fixture};

const ARTICLE: &str = "https://news.example.com/2026/11/four-platforms.html";
const GONE_ARTICLE: &str = "https://news.example.com/2026/11/gone.html";

fn four_platform_env() -> TestEnv {
    let mut routes = Routes::from_manifest();
    routes.add(
        ARTICLE,
        Reply::html(fixture("local/article-four-platforms.html")),
    );
    routes.add(
        GONE_ARTICLE,
        Reply::html(fixture("local/article-gone-and-transient.html")),
    );
    TestEnv::new(routes, "")
}

/// The embed of a report with this platform and post id.
fn embed<'a>(article: &'a Value, platform: &str, post_id: &str) -> &'a Value {
    article["embeds"]
        .as_array()
        .expect("embeds array")
        .iter()
        .find(|e| e["platform"] == platform && e["post_id"] == post_id)
        .unwrap_or_else(|| panic!("no {platform} embed {post_id} in {article:#}"))
}

fn is_rfc3339(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|s| chrono::DateTime::parse_from_rfc3339(s).is_ok())
}

fn thumbnail_ok(media: &Value) {
    let t = &media["thumbnail"];
    let sha = t["sha256"].as_str().expect("thumbnail sha256");
    assert_eq!(sha.len(), 64, "sha256 hex: {media:#}");
    assert!(sha.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(t["mime"], "image/webp", "{media:#}");
    let w = t["width"].as_u64().expect("width");
    assert!(w > 0 && w <= 480, "{media:#}");
    assert!(t["height"].as_u64().expect("height") > 0);
    assert!(media["error"].is_null(), "{media:#}");
}

#[test]
fn archives_every_post_of_a_four_platform_article() {
    let env = four_platform_env();
    let (code, doc, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "stderr: {stderr}\n{doc:#}");
    let articles = doc["articles"].as_array().expect("articles");
    assert_eq!(articles.len(), 1);
    let a = &articles[0];
    assert_eq!(a["url"], ARTICLE);
    assert_eq!(a["final_url"], ARTICLE);
    assert_eq!(a["http_status"], 200);
    assert!(a["error"].is_null());
    assert!(is_rfc3339(&a["fetched_at"]));
    assert_eq!(a["title"], "Four platforms, one page | The Example Gazette");

    let posts: Vec<&Value> = a["embeds"]
        .as_array()
        .expect("embeds")
        .iter()
        .filter(|e| !e["id"].is_null())
        .collect();
    assert_eq!(posts.len(), 7, "{a:#}");
    for p in &posts {
        assert_eq!(p["status"], "live", "{p:#}");
        assert!(p["error"].is_null(), "{p:#}");
        let s = &p["snapshot"];
        assert!(s["id"].as_i64().is_some(), "{p:#}");
        assert!(is_rfc3339(&s["fetched_at"]));
        assert!(s["source"].as_str().is_some_and(|x| !x.is_empty()));
    }

    // Instagram, single image: caption and handle from the embed page, EXIF-rotated thumbnail.
    let ig = embed(a, "instagram", "C8kQx2LtA1b");
    assert_eq!(ig["kind"], "post");
    assert_eq!(ig["post_url"], "https://www.instagram.com/p/C8kQx2LtA1b/");
    let s = &ig["snapshot"];
    assert_eq!(s["author_handle"], "harbourdesk");
    assert!(
        s["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("Morning light over the harbour")),
        "{s:#}"
    );
    assert_eq!(s["media"][0]["kind"], "image");
    thumbnail_ok(&s["media"][0]);
    // The recorded image is 113x150 stored with EXIF orientation 6: shown 150 wide, 113 high.
    assert_eq!(s["media"][0]["thumbnail"]["width"], 150);
    assert_eq!(s["media"][0]["thumbnail"]["height"], 113);
    // The image the thumbnail was made from is recorded; the embed page gives no alt text,
    // title or language for it, and the fields say so.
    assert!(
        s["media"][0]["poster_url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://")),
        "{s:#}"
    );
    for field in ["title", "lang", "reply_to", "quote_of"] {
        assert!(s.get(field).is_some_and(|v| v.is_null()), "{field}: {s:#}");
    }
    assert!(
        s["media"][0].get("alt").is_some_and(|v| v.is_null()),
        "{s:#}"
    );

    // Instagram carousel: author name, date, one media item per child.
    let s = &embed(a, "instagram", "C8tZr5pIe0B")["snapshot"];
    assert_eq!(s["author_handle"], "marketnotes");
    assert_eq!(s["author_name"], "Market Notes · Lyon");
    assert_eq!(s["published_at"], "2024-06-22T17:00:00Z");
    let media = s["media"].as_array().expect("media");
    assert!(media.len() >= 2, "{s:#}");
    for m in media.iter().filter(|m| m["kind"] == "image") {
        thumbnail_ok(m);
    }

    // Instagram reel: a video whose poster image is truncated — the snapshot is stored anyway,
    // and the media item says why it has no thumbnail.
    let s = &embed(a, "instagram", "C82rTq0Nx7e")["snapshot"];
    assert_eq!(s["author_handle"], "nightdesk.news");
    assert_eq!(s["published_at"], "2024-07-06T20:30:00Z");
    assert_eq!(s["media"][0]["kind"], "video");
    assert!(s["media"][0]["thumbnail"].is_null());
    // Even without a thumbnail, the poster it was to be made from is kept.
    assert!(s["media"][0]["poster_url"].is_string(), "{s:#}");
    assert!(
        s["media"][0]["error"]
            .as_str()
            .is_some_and(|e| !e.is_empty())
    );

    // X via syndication.
    let x = embed(a, "x", "20");
    assert_eq!(x["snapshot"]["text"], "just setting up my twttr");
    assert_eq!(x["snapshot"]["author_handle"], "jack");
    assert_eq!(x["snapshot"]["author_name"], "jack");
    assert_eq!(x["snapshot"]["published_at"], "2006-03-21T20:50:14Z");
    assert_eq!(x["snapshot"]["lang"], "en");
    assert!(x["snapshot"]["title"].is_null());

    // X via oEmbed (syndication has no recording for this post and answers 599 here).
    let x = embed(a, "x", "436461658601713664");
    let s = &x["snapshot"];
    assert_eq!(s["author_name"], "Pepephone");
    assert_eq!(s["author_handle"], "pepephone");
    // The blockquote's day, made exact by the post's snowflake id.
    assert_eq!(s["published_at"], "2014-02-20T11:25:43Z");
    assert!(
        s["text"]
            .as_str()
            .is_some_and(|t| t.contains("Pepephone rompe la baraja"))
    );

    // YouTube via oEmbed, thumbnail from the recorded hqdefault image (650x470 → 480 wide).
    let yt = embed(a, "youtube", "eiHXASgRTcA");
    let s = &yt["snapshot"];
    // The description from the watch page is the text; the title from oEmbed is kept apart
    // from it, never in front of it.
    let text = s["text"].as_str().unwrap_or_default();
    assert!(text.starts_with("7 week old fostered kittens"), "{s:#}");
    assert!(!text.contains("Noisy kittens waiting for dinner!"), "{s:#}");
    assert!(is_rfc3339(&s["published_at"]), "{s:#}");
    assert_eq!(s["author_name"], "smshdchrb");
    assert_eq!(s["media"][0]["kind"], "video");
    thumbnail_ok(&s["media"][0]);
    assert_eq!(s["media"][0]["thumbnail"]["width"], 480);

    // TikTok via oEmbed, date from the page's rehydration JSON.
    let tt = embed(a, "tiktok", "6806030056956251397");
    let s = &tt["snapshot"];
    assert_eq!(s["author_name"], "Antena 3 Noticias");
    assert_eq!(s["author_handle"], "a3noticias");
    assert!(
        s["text"]
            .as_str()
            .is_some_and(|t| t.contains("#AplausoSanitario"))
    );
    assert!(is_rfc3339(&s["published_at"]), "{s:#}");

    // Nothing on the page is a post that was not labelled: profile links are not embeds.
    assert!(
        a["embeds"]
            .as_array()
            .expect("embeds")
            .iter()
            .all(|e| e["post_url"] != "https://www.instagram.com/examplegazette/")
    );
}

#[test]
fn archiving_again_adds_no_duplicate_snapshot() {
    let env = four_platform_env();
    let (code, first, _) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0);
    let snapshots = env.sql_count("SELECT COUNT(*) FROM snapshots");
    let blobs = env.sql_count("SELECT COUNT(*) FROM blobs");
    assert!(snapshots >= 7);

    // A fragment names a place in the page, not another page: the same article.
    let (code, second, _) = env.json(&["archive", &format!("{ARTICLE}#comments")]);
    assert_eq!(code, 0);
    assert_eq!(second["articles"][0]["url"], ARTICLE);
    assert_eq!(env.sql_count("SELECT COUNT(*) FROM snapshots"), snapshots);
    assert_eq!(env.sql_count("SELECT COUNT(*) FROM blobs"), blobs);
    assert_eq!(env.sql_count("SELECT COUNT(*) FROM articles"), 1);

    let ig1 = embed(&first["articles"][0], "x", "20");
    let ig2 = embed(&second["articles"][0], "x", "20");
    assert_eq!(ig1["id"], ig2["id"]);
    assert_eq!(ig1["snapshot"]["id"], ig2["snapshot"]["id"]);
    // Two checks are on record for the post: one per archive run.
    let (code, shown, _) = env.json(&["show", "https://twitter.com/jack/status/20"]);
    assert_eq!(code, 0);
    assert_eq!(shown["snapshots"].as_array().map(Vec::len), Some(1));
    assert_eq!(shown["checks"].as_array().map(Vec::len), Some(2));
}

/// An editor takes the embeds out of an article: archived again, the article no longer lists
/// its former posts (`list --article`, each post's articles), while the posts and their
/// snapshots stay in the archive.
#[test]
fn embeds_taken_out_of_an_article_are_no_longer_listed_under_it() {
    let mut env = four_platform_env();
    let (code, _, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "{stderr}");
    let (_, before, _) = env.json(&["list", "--article", ARTICLE]);
    let posts = before["posts"].as_array().map_or(0, Vec::len);
    assert!(posts >= 7, "{before:#}");
    let snapshots = env.sql_count("SELECT COUNT(*) FROM snapshots");

    let mut routes = Routes::from_manifest();
    routes.add(
        ARTICLE,
        Reply::html(
            "<!doctype html><html><head><title>Four platforms</title></head><body>\
             <p>Update: the posts once shown here were taken out.</p></body></html>"
                .as_bytes()
                .to_vec(),
        ),
    );
    env.replace_server(routes);
    let (code, again, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        again["articles"][0]["embeds"].as_array().map(Vec::len),
        Some(0)
    );

    let (_, after, _) = env.json(&["list", "--article", ARTICLE]);
    assert_eq!(
        after["posts"].as_array().map(Vec::len),
        Some(0),
        "{after:#}"
    );
    let (_, all, _) = env.json(&["list"]);
    let all = all["posts"].as_array().expect("posts");
    assert_eq!(all.len(), posts, "the posts stay archived");
    for p in all {
        assert_eq!(p["articles"], serde_json::json!([]), "{p:#}");
    }
    assert_eq!(env.sql_count("SELECT COUNT(*) FROM snapshots"), snapshots);
}

#[test]
fn gone_answers_make_posts_suspect_and_transient_answers_fail_softly() {
    let env = four_platform_env();
    let (code, doc, stderr) = env.json(&["archive", GONE_ARTICLE]);
    // The login wall is a transient failure for that post: exit 1, everything else stored.
    assert_eq!(code, 1, "stderr: {stderr}\n{doc:#}");
    let a = &doc["articles"][0];
    assert!(a["error"].is_null());

    for (platform, id) in [
        ("instagram", "B3A-0uuAhg0"),
        ("x", "1700000000000000001"),
        ("youtube", "zzzzzzzzzz1"),
        ("tiktok", "7000000000000000001"),
    ] {
        let e = embed(a, platform, id);
        // One gone answer is not enough to call a post gone (3 over 24 h by default).
        assert_eq!(e["status"], "suspect", "{e:#}");
        assert!(e["error"].is_null(), "{e:#}");
        assert!(e["snapshot"].is_null(), "{e:#}");
    }
    let wall = embed(a, "instagram", "C9aa0LoginW");
    assert_eq!(wall["status"], "unknown", "{wall:#}");
    assert!(
        wall["error"]
            .as_str()
            .is_some_and(|e| e.contains("C9aa0LoginW")),
        "{wall:#}"
    );

    let (code, shown, _) = env.json(&["show", "https://www.instagram.com/p/B3A-0uuAhg0/"]);
    assert_eq!(code, 0);
    assert_eq!(shown["status"], "suspect");
    assert_eq!(shown["checks"][0]["outcome"], "gone");
}

#[test]
fn gone_is_reached_only_after_enough_answers() {
    let env = TestEnv::new(
        {
            let mut r = Routes::from_manifest();
            r.add(
                GONE_ARTICLE,
                Reply::html(fixture("local/article-gone-and-transient.html")),
            );
            r
        },
        "[liveness]\ngone_after_checks = 2\ngone_after = \"0s\"\n",
    );
    let (_, doc, _) = env.json(&["archive", GONE_ARTICLE]);
    assert_eq!(
        embed(&doc["articles"][0], "x", "1700000000000000001")["status"],
        "suspect"
    );
    let (_, doc, _) = env.json(&["archive", GONE_ARTICLE]);
    assert_eq!(
        embed(&doc["articles"][0], "x", "1700000000000000001")["status"],
        "gone"
    );
    // The login-walled post never moves towards gone.
    assert_eq!(
        embed(&doc["articles"][0], "instagram", "C9aa0LoginW")["status"],
        "unknown"
    );
}

#[test]
fn a_live_snapshot_survives_a_later_gone_answer() {
    // First the post is live, then its source answers with a tombstone: the good snapshot stays.
    let live_page = "<html><body><blockquote class=\"twitter-tweet\"><p>x</p>&mdash; jack (@jack) \
        <a href=\"https://twitter.com/jack/status/20\">March 21, 2006</a></blockquote></body></html>";
    let mut routes = Routes::from_manifest();
    routes.add(ARTICLE, Reply::html(live_page));
    let env = TestEnv::new(routes, "");
    let (code, doc, _) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "{doc:#}");
    let snap_id = embed(&doc["articles"][0], "x", "20")["snapshot"]["id"].clone();

    let mut routes = Routes::from_manifest();
    routes.add(ARTICLE, Reply::html(live_page));
    routes.add(
        "https://cdn.syndication.twimg.com/tweet-result?id=20",
        Reply::with_type(
            200,
            "application/json",
            fixture("samples/x/syndication-1700000000000000001-tombstone.json"),
        ),
    );
    routes.add(
        "https://publish.twitter.com/oembed?url=https%3A%2F%2Fx.com%2Fjack%2Fstatus%2F20&format=json",
        Reply::with_type(404, "text/plain", ""),
    );
    let mut later = env;
    later.replace_server(routes);
    let (_, doc, _) = later.json(&["archive", ARTICLE]);
    let x = embed(&doc["articles"][0], "x", "20");
    assert_eq!(x["status"], "suspect", "{x:#}");
    assert_eq!(
        x["snapshot"]["id"], snap_id,
        "the last good snapshot is still served"
    );
    assert_eq!(x["snapshot"]["text"], "just setting up my twttr");
}

#[test]
fn human_output_is_a_table() {
    let env = four_platform_env();
    let out = env.cmd().args(["archive", ARTICLE]).output().expect("run");
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("PLATFORM"), "{stdout}");
    assert!(
        stdout.contains("https://www.instagram.com/p/C8kQx2LtA1b/"),
        "{stdout}"
    );
    assert!(stdout.contains("0 failed; 7 post(s): 7 live"), "{stdout}");
}

/// Two articles of one run that embed the same posts (a story and its update): the summary
/// counts each post once, as `list` and `check` do.
#[test]
fn the_summary_counts_a_post_two_articles_embed_once() {
    let mut routes = Routes::from_manifest();
    let page = fixture("local/article-four-platforms.html");
    routes.add(ARTICLE, Reply::html(page.clone()));
    let update = "https://news.example.com/2026/11/four-platforms-update.html";
    routes.add(update, Reply::html(page));
    let env = TestEnv::new(routes, "");
    let out = env
        .cmd()
        .args(["archive", ARTICLE, update])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("2 article(s), 0 failed; 7 post(s): 7 live"),
        "{stdout}"
    );
}

#[test]
fn a_platform_switched_off_is_named_where_its_posts_were_not_asked_about() {
    let mut routes = Routes::from_manifest();
    routes.add(
        ARTICLE,
        Reply::html(fixture("local/article-four-platforms.html")),
    );
    let env = TestEnv::new(routes, "[platforms.x]\nenabled = false\n");
    let out = env.cmd().args(["archive", ARTICLE]).output().expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains(
            "note: x posts were not asked about: [platforms.x] enabled = false in the config"
        ),
        "{stdout}"
    );
    // Every post is counted once: the two X posts as not checked.
    assert!(
        stdout.contains("7 post(s): 5 live, 0 gone or suspect, 2 not checked"),
        "{stdout}"
    );
    let out = env
        .cmd()
        .args(["check", "https://x.com/jack/status/20"])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("not asked: [platforms.x] enabled = false"),
        "{stdout}"
    );
    assert!(!stdout.contains("no resolver"), "{stdout}");
}

/// Regression: on an archive where the X posts were already live, switching X off and
/// archiving again counted them as live, though nobody asked X about them this time.
#[test]
fn a_platform_switched_off_later_counts_its_archived_posts_as_not_checked() {
    let env = four_platform_env();
    let (code, _, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "{stderr}");
    let mut config = std::fs::read_to_string(&env.config_path).expect("config");
    config.push_str("\n[platforms.x]\nenabled = false\n");
    std::fs::write(&env.config_path, config).expect("config");
    let out = env.cmd().args(["archive", ARTICLE]).output().expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("7 post(s): 5 live, 0 gone or suspect, 2 not checked"),
        "{stdout}"
    );
}

#[test]
fn an_article_given_with_tracking_parameters_is_one_article() {
    let env = four_platform_env();
    let tracked = format!("{ARTICLE}?utm_source=newsletter&fbclid=abc#comments");
    let (code, doc, stderr) = env.json(&["archive", &tracked, ARTICLE]);
    assert_eq!(code, 0, "{stderr}\n{doc:#}");
    assert_eq!(doc["articles"][0]["url"], ARTICLE, "{doc:#}");
    assert_eq!(env.sql_count("SELECT COUNT(*) FROM articles"), 1);
}

/// Editors paste addresses from many places: the same page with its host in capitals, its
/// default port or a `./` in its path is one article, under the URL parser's form, and a
/// lookup by any spelling finds it.
#[test]
fn one_page_typed_several_ways_is_one_article() {
    let env = four_platform_env();
    let shouting = ARTICLE.replacen(
        "https://news.example.com",
        "HTTPS://NEWS.EXAMPLE.COM:443/.",
        1,
    );
    assert_ne!(shouting, ARTICLE);
    let (code, doc, stderr) = env.json(&["archive", &shouting, ARTICLE]);
    assert_eq!(code, 0, "{stderr}\n{doc:#}");
    assert_eq!(doc["articles"][0]["url"], ARTICLE, "{doc:#}");
    // A run that was not stopped says nothing of an interruption.
    assert!(doc.get("interrupted").is_none(), "{doc:#}");
    assert_eq!(env.sql_count("SELECT COUNT(*) FROM articles"), 1);
    let (code, listed, stderr) = env.json(&["list", "--article", &shouting]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        listed["posts"]
            .as_array()
            .is_some_and(|posts| posts.len() >= 7),
        "{listed:#}"
    );
}

/// A picture its CDN could not serve when the post was archived (a 503) is asked for again at
/// the next check of the unchanged post, and its thumbnail joins the snapshot: no new snapshot,
/// and the card gets its picture.
#[test]
fn a_picture_that_failed_is_fetched_again_and_fills_the_snapshot() {
    const POSTER: &str = "https://i.ytimg.com/vi/eiHXASgRTcA/hqdefault.jpg";
    let mut routes = Routes::from_manifest();
    routes.add(
        ARTICLE,
        Reply::html(fixture("local/article-four-platforms.html")),
    );
    routes.add(POSTER, Reply::with_type(503, "text/plain", "busy"));
    let mut env = TestEnv::new(routes, "");
    let (code, _, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "{stderr}");
    let missing = |env: &TestEnv| {
        env.sql_count(&format!(
            "SELECT COUNT(*) FROM media WHERE poster_url = '{POSTER}' AND thumbnail_sha256 IS NULL"
        ))
    };
    assert_eq!(missing(&env), 1);
    let snapshots = env.sql_count("SELECT COUNT(*) FROM snapshots");

    let mut routes = Routes::from_manifest();
    routes.add(
        ARTICLE,
        Reply::html(fixture("local/article-four-platforms.html")),
    );
    env.replace_server(routes);
    let (code, doc, stderr) = env.json(&["check", "--all"]);
    assert_eq!(code, 0, "{stderr}\n{doc:#}");
    assert!(
        env.server.requests().iter().any(|u| u == POSTER),
        "{:#?}",
        env.server.requests()
    );
    assert_eq!(missing(&env), 0);
    assert_eq!(env.sql_count("SELECT COUNT(*) FROM snapshots"), snapshots);
}

/// URLs and a saved page in one run (the synopsis `archive URL... --html FILE --base-url URL`):
/// the URLs' articles first, then the page's.
#[test]
fn urls_and_a_saved_page_are_archived_in_one_run() {
    let env = four_platform_env();
    let file = support::fixtures().join("local/article-four-platforms.html");
    let (code, doc, stderr) = env.json(&[
        "archive",
        ARTICLE,
        "--html",
        file.to_str().expect("path"),
        "--base-url",
        "https://news.example.com/local-copy.html",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let urls: Vec<&str> = doc["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .filter_map(|a| a["url"].as_str())
        .collect();
    assert_eq!(urls, [ARTICLE, "https://news.example.com/local-copy.html"]);
    assert_eq!(env.sql_count("SELECT COUNT(*) FROM articles"), 2);
}

#[test]
fn archive_from_a_local_html_file() {
    let env = four_platform_env();
    let file = support::fixtures().join("local/article-four-platforms.html");
    let (code, doc, stderr) = env.json(&[
        "archive",
        "--html",
        file.to_str().expect("path"),
        "--base-url",
        "https://news.example.com/local-copy.html",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let a = &doc["articles"][0];
    assert_eq!(a["url"], "https://news.example.com/local-copy.html");
    assert!(a["http_status"].is_null());
    assert_eq!(embed(a, "youtube", "eiHXASgRTcA")["status"], "live");
}

#[test]
fn windows_1251_page_is_decoded() {
    let mut routes = Routes::from_manifest();
    routes.add(
        ARTICLE,
        Reply::with_type(200, "text/html", fixture("local/article-windows-1251.html")),
    );
    let env = TestEnv::new(routes, "");
    let (code, doc, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(doc["articles"][0]["title"], "Новости: пост в Instagram");
    assert_eq!(
        embed(&doc["articles"][0], "instagram", "C8kQx2LtA1b")["status"],
        "live"
    );
}

#[test]
fn a_real_corpus_page_without_recorded_posts_stays_unknown_never_gone() {
    // A real article (Instagram and YouTube embeds) whose posts have no recorded answers: the
    // fixture server answers 599 for them. Every post is found and recorded, none is judged gone,
    // and the run says which posts could not be checked.
    let env = four_platform_env();
    let page = support::fixtures().join("articles/trafilatura__amazedmag.de.meinleben.html");
    let (code, doc, stderr) = env.json(&[
        "archive",
        "--html",
        page.to_str().expect("path"),
        "--base-url",
        "https://amazedmag.de/mein-leben/",
    ]);
    assert_eq!(code, 1, "{stderr}");
    let a = &doc["articles"][0];
    assert!(a["error"].is_null(), "{a:#}");
    let posts: Vec<&Value> = a["embeds"]
        .as_array()
        .expect("embeds")
        .iter()
        .filter(|e| !e["id"].is_null())
        .collect();
    let platforms: std::collections::BTreeSet<&str> = posts
        .iter()
        .filter_map(|e| e["platform"].as_str())
        .collect();
    assert!(
        platforms.contains("instagram") && platforms.contains("youtube"),
        "{a:#}"
    );
    for e in &posts {
        assert_eq!(e["status"], "unknown", "{e:#}");
        assert!(e["snapshot"].is_null());
        let error = e["error"].as_str().expect("error");
        assert!(
            error.contains(e["post_url"].as_str().expect("url")),
            "{error}"
        );
    }
    assert_eq!(
        env.sql_count("SELECT COUNT(*) FROM checks WHERE outcome != 'transient'"),
        0
    );
}

#[test]
fn a_degraded_answer_does_not_displace_the_richer_snapshot() {
    // First run: YouTube oEmbed plus the watch page (title, description, date).
    let env = four_platform_env();
    let (code, doc, _) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0);
    let rich = embed(&doc["articles"][0], "youtube", "eiHXASgRTcA")["snapshot"].clone();
    assert!(is_rfc3339(&rich["published_at"]));

    // Second run: the watch page cannot be had, so only the oEmbed title is known.
    let mut routes = Routes::from_manifest();
    routes.add(
        ARTICLE,
        Reply::html(fixture("local/article-four-platforms.html")),
    );
    routes.remove("https://www.youtube.com/watch?v=eiHXASgRTcA");
    let mut env = env;
    env.replace_server(routes);
    let (code, doc, _) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0);
    let yt = embed(&doc["articles"][0], "youtube", "eiHXASgRTcA");
    assert_eq!(yt["status"], "live");
    assert_eq!(yt["snapshot"]["id"], rich["id"], "{yt:#}");
    assert_eq!(yt["snapshot"]["text"], rich["text"]);
    let (_, shown, _) = env.json(&["show", "https://youtu.be/eiHXASgRTcA"]);
    assert_eq!(shown["snapshots"].as_array().map(Vec::len), Some(1));
    assert_eq!(shown["checks"].as_array().map(Vec::len), Some(2));
    assert_eq!(shown["kind"], "video");
}

#[test]
fn a_post_in_two_articles_is_checked_once_per_run() {
    let mut routes = Routes::from_manifest();
    routes.add(
        ARTICLE,
        Reply::html(fixture("local/article-four-platforms.html")),
    );
    routes.add(
        "https://news.example.com/second.html",
        Reply::html(fixture("local/article-four-platforms.html")),
    );
    let env = TestEnv::new(routes, "");
    let (code, doc, _) = env.json(&["archive", ARTICLE, "https://news.example.com/second.html"]);
    assert_eq!(code, 0);
    let first = embed(&doc["articles"][0], "x", "20");
    let second = embed(&doc["articles"][1], "x", "20");
    assert_eq!(first["id"], second["id"]);
    assert_eq!(first["snapshot"], second["snapshot"]);
    let asked = env
        .server
        .requests()
        .iter()
        .filter(|u| u.contains("tweet-result") && u.contains("id=20"))
        .count();
    assert_eq!(asked, 1);
    assert_eq!(env.sql_count("SELECT COUNT(*) FROM checks"), 7);
    assert_eq!(env.sql_count("SELECT COUNT(*) FROM article_embeds"), 14);
}

#[test]
fn instagram_graph_oembed_answers_when_a_token_is_configured() {
    // The embed page of this post has no recording (the fixture server answers 599: transient),
    // so with a token configured the Graph oEmbed source answers. Its recorded body is served at
    // the canonical post URL the resolver asks about.
    let page = "<html><body><blockquote class=\"instagram-media\" \
        data-instgrm-permalink=\"https://www.instagram.com/p/B9bOM-6Ax_d/?igshid=1mn51zsvrhoiq\" \
        data-instgrm-version=\"13\"><a href=\"https://www.instagram.com/p/B9bOM-6Ax_d/\">View this \
        post on Instagram</a></blockquote></body></html>";
    let mut routes = Routes::from_manifest();
    routes.add(ARTICLE, Reply::html(page));
    routes.add(
        "https://graph.facebook.com/v8.0/instagram_oembed?access_token=A_FAKE_TOKEN_FOR_TESTS&format=json&url=https://www.instagram.com/p/B9bOM-6Ax_d/",
        Reply::with_type(
            200,
            "application/json",
            fixture("samples/instagram/graph-oembed-B9bOM-6Ax_d-2020.json"),
        ),
    );
    let dir = tempfile::tempdir().expect("tmp");
    let token = dir.path().join("instagram-token");
    std::fs::write(&token, "A_FAKE_TOKEN_FOR_TESTS\n").expect("token");
    let env = TestEnv::new(
        routes,
        &format!(
            "[platforms.instagram]\naccess_token_file = {:?}\ngraph_api_version = \"v8.0\"\n",
            token.to_str().expect("path")
        ),
    );
    let (code, doc, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "{stderr}\n{doc:#}");
    let ig = embed(&doc["articles"][0], "instagram", "B9bOM-6Ax_d");
    assert_eq!(ig["status"], "live", "{ig:#}");
    assert_eq!(ig["snapshot"]["source"], "instagram-graph-oembed");
    // Graph `author_name` is the username; the display name comes from the html footer.
    assert_eq!(ig["snapshot"]["author_handle"], "ruby_eloquent");
    assert_eq!(ig["snapshot"]["author_name"], "Ruby on Rails");
    // The token never appears in what the tool prints or stores as evidence.
    assert!(!doc.to_string().contains("A_FAKE_TOKEN_FOR_TESTS"));
    assert!(!stderr.contains("A_FAKE_TOKEN_FOR_TESTS"));
    assert_eq!(
        env.sql_count(
            "SELECT COUNT(*) FROM checks WHERE evidence LIKE '%A_FAKE_TOKEN%' OR source LIKE '%A_FAKE_TOKEN%'"
        ),
        0
    );
    assert!(
        env.sql_count("SELECT COUNT(*) FROM snapshot_raw WHERE url LIKE '%graph.facebook.com%'")
            >= 1
    );
    assert_eq!(
        env.sql_count("SELECT COUNT(*) FROM snapshot_raw WHERE url LIKE '%A_FAKE_TOKEN%'"),
        0
    );
}

#[test]
fn originals_are_kept_only_when_configured() {
    use sha2::{Digest, Sha256};
    let mut routes = Routes::from_manifest();
    routes.add(
        ARTICLE,
        Reply::html(fixture("local/article-four-platforms.html")),
    );
    let env = TestEnv::new(routes.clone(), "[store]\nkeep_originals = true\n");
    let (code, doc, _) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0);
    let media = &embed(&doc["articles"][0], "youtube", "eiHXASgRTcA")["snapshot"]["media"][0];
    let expected = hex::encode(Sha256::digest(fixture(
        "samples/images/progressive-650x470.jpg",
    )));
    assert_eq!(media["original"]["sha256"], expected.as_str(), "{media:#}");
    assert_eq!(media["original"]["mime"], "image/jpeg");
    assert_eq!(
        env.sql_count(&format!(
            "SELECT COUNT(*) FROM blobs WHERE sha256 = '{expected}'"
        )),
        1
    );
    let (code, check, _) = env.json(&["db", "check"]);
    assert_eq!(code, 0, "{check:#}");

    let plain = TestEnv::new(routes, "");
    let (_, doc, _) = plain.json(&["archive", ARTICLE]);
    let media = &embed(&doc["articles"][0], "youtube", "eiHXASgRTcA")["snapshot"]["media"][0];
    assert!(media["original"].is_null(), "{media:#}");
    assert_eq!(
        plain.sql_count(&format!(
            "SELECT COUNT(*) FROM blobs WHERE sha256 = '{expected}'"
        )),
        0
    );
}

/// An article of six Instagram posts, each embed page answering 429, with one request to a host
/// at a time: the one request that met the 429 is the only one Instagram receives. The posts
/// already waiting their turn for the host are not sent (the host is held), and the rest of the
/// run leaves Instagram alone. A later `check` of the same posts asks once likewise.
#[test]
fn a_rate_limited_platform_is_not_asked_again_in_the_same_run() {
    const ARTICLE: &str = "https://news.example.com/2026/12/six.html";
    let codes = [
        "C8aaaaaaaa1",
        "C8aaaaaaaa2",
        "C8aaaaaaaa3",
        "C8aaaaaaaa4",
        "C8aaaaaaaa5",
        "C8aaaaaaaa6",
    ];
    let mut html = String::from("<html><head><title>Six</title></head><body>");
    let mut routes = Routes::from_manifest();
    for code in codes {
        let post = format!("https://www.instagram.com/p/{code}/");
        html.push_str(&format!(
            "<blockquote class=\"instagram-media\" data-instgrm-permalink=\"{post}\" \
             data-instgrm-version=\"14\"><a href=\"{post}\">View this post on Instagram</a>\
             </blockquote>"
        ));
        routes.add(
            &format!("{post}embed/captioned/"),
            Reply::with_type(429, "text/plain", "Too Many Requests"),
        );
    }
    html.push_str("</body></html>");
    routes.add(ARTICLE, Reply::html(html));
    let mut env = TestEnv::new(routes, "");
    env.one_request_per_host();

    let asked = |code: &str| {
        env.server
            .requests()
            .iter()
            .filter(|u| u.contains(code))
            .count()
    };
    let instagram = || {
        env.server
            .requests()
            .iter()
            .filter(|u| u.starts_with("https://www.instagram.com/"))
            .count()
    };
    let (code, doc, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(
        code, 1,
        "some posts could not be checked\n{stderr}\n{doc:#}"
    );
    let embeds = doc["articles"][0]["embeds"].as_array().expect("embeds");
    assert_eq!(embeds.len(), 6, "{doc:#}");
    assert_eq!(instagram(), 1, "{:?}", env.server.requests());
    // Four posts are asked at once: one request is sent and answered 429, the three waiting
    // their turn for the host are not sent, nor is the post page the first would ask next;
    // the fifth and sixth are not asked.
    let mut answered = 0;
    for (i, code) in codes.iter().enumerate() {
        let error = embeds[i]["error"].as_str().unwrap_or_default();
        if i < 4 {
            // Each was refused by the held host: its embed page, or (for the one that met the
            // 429) the post page, asked next.
            assert!(
                error.contains(
                    "HTTP 429 (rate limited) from www.instagram.com earlier; \
                     not sent while the host asks to wait"
                ),
                "{error}"
            );
            if asked(code) > 0 {
                answered += 1;
                assert!(
                    error.contains("HTTP 429 (rate limited) from instagram-embed"),
                    "{error}"
                );
            }
        } else {
            assert_eq!(asked(code), 0, "{code} was not asked");
            assert!(
                error.contains("not asked: instagram answered HTTP 429"),
                "{error}"
            );
        }
    }
    assert_eq!(answered, 1, "{doc:#}");
    // The posts are archived, unchecked: the next run asks about them.
    assert_eq!(env.sql_count("SELECT COUNT(*) FROM posts"), 6);

    let before: Vec<usize> = codes.iter().map(|c| asked(c)).collect();
    let (_, doc, stderr) = env.json(&["check", "--all"]);
    let checked = doc["posts"].as_array().expect("posts");
    assert_eq!(checked.len(), 6, "{stderr}\n{doc:#}");
    let after: Vec<usize> = codes.iter().map(|c| asked(c)).collect();
    let asked_again = before.iter().zip(&after).filter(|(b, a)| a > b).count();
    assert_eq!(asked_again, 1, "{before:?} then {after:?}\n{doc:#}");
    assert_eq!(instagram(), 2, "{:?}", env.server.requests());
}

/// A re-check of a post whose answer says what its latest snapshot says stores nothing but its
/// time, so it does not fetch the post's pictures again (signed CDN addresses aside: the
/// Instagram answers sign theirs); a post whose answer changed has them fetched for its new
/// snapshot.
#[test]
fn a_recheck_of_an_unchanged_post_fetches_no_pictures() {
    let mut env = four_platform_env();
    let (code, _, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "{stderr}");
    let posters = |thumbnailed: bool| -> Vec<String> {
        let conn = rusqlite::Connection::open(&env.db_path).expect("archive");
        let mut stmt = conn
            .prepare(
                "SELECT poster_url FROM media WHERE poster_url IS NOT NULL \
                 AND (thumbnail_sha256 IS NOT NULL) = ?1",
            )
            .expect("query");
        stmt.query_map([thumbnailed], |row| row.get(0))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("rows")
    };
    let pictures = posters(true);
    // The reel's poster in the recordings is a truncated JPEG: no thumbnail could be made.
    let failed = posters(false);
    assert!(
        failed.iter().any(|u| u.contains("452900004_720x1280")),
        "{failed:?}"
    );
    let fetched = |env: &support::TestEnv, of: &[String]| {
        env.server
            .requests()
            .iter()
            .filter(|u| of.contains(u))
            .count()
    };
    let first = fetched(&env, &pictures);
    assert!(first >= 5, "{first} of {pictures:?}");
    let tried = fetched(&env, &failed);
    let snapshots = env.sql_count("SELECT COUNT(*) FROM snapshots");

    let (code, doc, stderr) = env.json(&["check", "--all"]);
    assert_eq!(code, 0, "{stderr}\n{doc:#}");
    assert_eq!(
        fetched(&env, &pictures),
        first,
        "{:#?}",
        env.server.requests()
    );
    // A picture that had no thumbnail is asked for again.
    assert!(
        fetched(&env, &failed) > tried,
        "{:#?}",
        env.server.requests()
    );
    assert_eq!(env.sql_count("SELECT COUNT(*) FROM snapshots"), snapshots);

    // The video's title changed: a new snapshot, with its poster fetched again.
    let mut routes = Routes::from_manifest();
    routes.add(
        ARTICLE,
        Reply::html(fixture("local/article-four-platforms.html")),
    );
    routes.edit_body(
        "https://www.youtube.com/oembed?format=json&url=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3DeiHXASgRTcA",
        |body| {
            String::from_utf8_lossy(&body)
                .replace("Noisy kittens", "Quiet kittens")
                .into_bytes()
        },
    );
    env.replace_server(routes);
    let (code, doc, stderr) = env.json(&["check", "--all"]);
    assert_eq!(code, 0, "{stderr}\n{doc:#}");
    assert_eq!(
        env.server
            .requests()
            .iter()
            .filter(|u| pictures.contains(u))
            .collect::<Vec<_>>(),
        ["https://i.ytimg.com/vi/eiHXASgRTcA/hqdefault.jpg"]
    );
    assert_eq!(
        env.sql_count("SELECT COUNT(*) FROM snapshots"),
        snapshots + 1
    );
}
