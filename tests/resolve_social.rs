//! Social platforms end to end: an article embedding Bluesky and Mastodon posts is archived by
//! the real binary, with every platform host routed to the fixture server replaying recorded
//! answers, and `archive --json` / `show --json` report what each post's answer said.

mod support;

use serde_json::Value;
use support::{Reply, Routes, TestEnv, fixture};

const ARTICLE: &str = "https://news.example.com/2026/12/social.html";

/// A recorded post view served in `getPostThread`'s envelope.
fn thread_of(file: &str) -> Vec<u8> {
    let view = String::from_utf8(fixture(&format!("samples/bluesky/{file}"))).expect("utf-8");
    format!(
        r#"{{"thread":{{"$type":"app.bsky.feed.defs#threadViewPost","post":{view},"replies":[]}}}}"#
    )
    .into_bytes()
}

fn json(body: impl Into<Vec<u8>>) -> Reply {
    Reply::with_type(200, "application/json; charset=utf-8", body)
}

fn jpeg() -> Reply {
    Reply::with_type(
        200,
        "image/jpeg",
        fixture("samples/images/progressive-650x470.jpg"),
    )
}

fn social_env(extra_config: &str) -> TestEnv {
    let mut routes = Routes::from_manifest();
    routes.add(ARTICLE, Reply::html(fixture("local/article-social.html")));
    // Bluesky: a labelled author's post with an image, and a video found by handle.
    routes.add(
        "https://public.api.bsky.app/xrpc/app.bsky.feed.getPostThread?uri=at%3A%2F%2Fdid%3Aplc%3Az7ja7uhcr5is6uqmnsjyn3k7%2Fapp.bsky.feed.post%2F3lhmggpkbw22v",
        json(thread_of("postview-3lhmggpkbw22v-images-no-unauthenticated.json")),
    );
    routes.add(
        "https://cdn.bsky.app/img/feed_fullsize/plain/did:plc:z7ja7uhcr5is6uqmnsjyn3k7/bafkreicjr5ezdgwv6z4zcxv2egqjmaox6ocplsrhvubmmfqyuh6dybhfma@jpeg",
        jpeg(),
    );
    // The handle's DID, as the post view's author names it (resolveHandle's documented shape).
    routes.add(
        "https://public.api.bsky.app/xrpc/com.atproto.identity.resolveHandle?handle=kamhoyung.bsky.social",
        json(r#"{"did":"did:plc:l7mosai5i2u562b5qbosw6c7"}"#),
    );
    routes.add(
        "https://public.api.bsky.app/xrpc/app.bsky.feed.getPostThread?uri=at%3A%2F%2Fdid%3Aplc%3Al7mosai5i2u562b5qbosw6c7%2Fapp.bsky.feed.post%2F3lhnr2o6kb22h",
        json(thread_of("postview-3lhnr2o6kb22h-video.json")),
    );
    routes.add(
        "https://video.bsky.app/watch/did%3Aplc%3Al7mosai5i2u562b5qbosw6c7/bafkreic3uqlah5pnqzq4tx2r5cg6kyj2uziq4jn4uatuwdhvl33sx2qkgm/thumbnail.jpg",
        jpeg(),
    );
    // Mastodon: a status with a described picture, on the server that answered it.
    routes.add(
        "https://togl.me/api/v1/statuses/111818628360792143",
        json(fixture(
            "samples/mastodon/status-111818628360792143-image-alt.json",
        )),
    );
    routes.add(
        "https://togl.me/system/cache/media_attachments/files/111/818/630/734/245/179/original/6eecd8c30eaa773f.jpeg",
        jpeg(),
    );
    // Reddit: a gallery's `.json`, one of its images, and the recorded oEmbed answer of the
    // 7pfpeq post asked for under its canonical URL (recorded under the URL with its title slug).
    routes.add(
        "https://www.reddit.com/comments/13opkyi.json",
        json(fixture("samples/reddit/comments-13opkyi-gallery-graw.json")),
    );
    routes.add(
        "https://preview.redd.it/cyxb8fawmd1b1.jpg?width=1440&format=pjpg&auto=webp&s=68f2b7d127587d04ded8ed8b7ed22bbdc8c69848",
        jpeg(),
    );
    routes.add(
        "https://www.reddit.com/oembed?url=https%3A%2F%2Fwww.reddit.com%2Fr%2Finvesting%2Fcomments%2F7pfpeq%2F&format=json",
        json(fixture("samples/reddit/oembed-7pfpeq-2024-reddit-embed-bq.json")),
    );
    // Every other host a resolver could reach answers 599 from the fixture server, never the
    // network.
    TestEnv::with_hosts(
        routes,
        &[
            "bsky.app",
            "embed.bsky.app",
            "av-cdn.bsky.app",
            "mastodon.social",
            "preview.redd.it",
            "v.redd.it",
        ],
        extra_config,
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

fn thumbnail_made(media: &Value) {
    assert!(media["error"].is_null(), "{media:#}");
    let sha = media["thumbnail"]["sha256"]
        .as_str()
        .expect("thumbnail sha256");
    assert_eq!(sha.len(), 64, "{media:#}");
}

/// A field the snapshot report may not carry yet (title, language, reply and quote targets,
/// alt text): when it is there, it has the value the answer gave.
fn if_reported(obj: &Value, key: &str, want: Value) {
    if let Some(got) = obj.get(key) {
        assert_eq!(got, &want, "{key} in {obj:#}");
    }
}

#[test]
fn bluesky_posts_archive_with_their_fields_and_verdicts() {
    let env = social_env("");
    let (code, doc, stderr) = env.json(&["archive", ARTICLE]);
    // The private-address Mastodon embed fails softly: exit 1, everything else stored.
    assert_eq!(code, 1, "stderr: {stderr}\n{doc:#}");
    let a = &doc["articles"][0];

    let chad = embed(
        a,
        "bluesky",
        "did:plc:uy7ehrx332p6dow5sk32hxzq/3k7rmyigapw2y",
    );
    assert_eq!(chad["status"], "live", "{chad:#}");
    let s = &chad["snapshot"];
    assert_eq!(s["source"], "bluesky-thread");
    assert_eq!(s["author_name"], "Chad");
    assert_eq!(s["author_handle"], "chadmichael.bsky.social");
    assert_eq!(
        s["author_url"],
        "https://bsky.app/profile/chadmichael.bsky.social"
    );
    // The archive keeps whole seconds.
    assert_eq!(s["published_at"], "2023-09-19T21:14:01Z");
    assert!(
        s["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("If Bluesky is invite only")),
        "{s:#}"
    );
    if_reported(s, "lang", "en".into());
    if_reported(
        s,
        "reply_to",
        "https://bsky.app/profile/did:plc:mndtiksvxikpsy3zl6ebd2kr/post/3k7rlrukr4w2v".into(),
    );

    // The author asked logged-out readers not to see it: archived, text left out.
    let dan = embed(
        a,
        "bluesky",
        "did:plc:z7ja7uhcr5is6uqmnsjyn3k7/3lhmggpkbw22v",
    );
    assert_eq!(dan["status"], "live", "{dan:#}");
    let s = &dan["snapshot"];
    assert_eq!(s["author_handle"], "danoleary.bsky.social");
    assert!(s["text"].is_null(), "{s:#}");
    let media = s["media"].as_array().expect("media");
    assert_eq!(media.len(), 1, "{s:#}");
    assert_eq!(media[0]["kind"], "image");
    assert_eq!(
        (media[0]["width"].as_u64(), media[0]["height"].as_u64()),
        (Some(1999), Some(1500))
    );
    thumbnail_made(&media[0]);

    // Named by handle: the handle is resolved, the video keeps its playlist and poster.
    let video = embed(a, "bluesky", "kamhoyung.bsky.social/3lhnr2o6kb22h");
    assert_eq!(video["status"], "live", "{video:#}");
    let s = &video["snapshot"];
    assert_eq!(s["author_name"], "Kamhoyung");
    let media = s["media"].as_array().expect("media");
    assert_eq!(media.len(), 1, "{s:#}");
    assert_eq!(media[0]["kind"], "video");
    assert!(
        media[0]["url"]
            .as_str()
            .is_some_and(|u| u.ends_with("/playlist.m3u8")),
        "{s:#}"
    );
    if_reported(
        &media[0],
        "poster_url",
        "https://video.bsky.app/watch/did%3Aplc%3Al7mosai5i2u562b5qbosw6c7/bafkreic3uqlah5pnqzq4tx2r5cg6kyj2uziq4jn4uatuwdhvl33sx2qkgm/thumbnail.jpg".into(),
    );
    thumbnail_made(&media[0]);

    // NotFound: one gone answer makes the post suspect, with the AppView's words on record.
    let gone = embed(
        a,
        "bluesky",
        "did:plc:uy7ehrx332p6dow5sk32hxzq/3kzzzzzzzzz2a",
    );
    assert_eq!(gone["status"], "suspect", "{gone:#}");
    let (code, shown, _) = env.json(&[
        "show",
        "https://bsky.app/profile/did:plc:uy7ehrx332p6dow5sk32hxzq/post/3kzzzzzzzzz2a",
    ]);
    assert_eq!(code, 0, "{shown:#}");
    assert_eq!(shown["checks"][0]["outcome"], "gone");
    assert_eq!(shown["checks"][0]["source"], "bluesky-thread");
    assert!(
        shown["checks"][0]["evidence"]
            .as_str()
            .is_some_and(|e| e.contains("Post not found")),
        "{shown:#}"
    );

    // The live post as `show` reports it.
    let (code, shown, _) = env.json(&[
        "show",
        "https://bsky.app/profile/did:plc:uy7ehrx332p6dow5sk32hxzq/post/3k7rmyigapw2y",
    ]);
    assert_eq!(code, 0, "{shown:#}");
    assert_eq!(shown["status"], "live");
    assert_eq!(shown["snapshots"][0]["author_name"], "Chad");
    assert_eq!(shown["checks"][0]["outcome"], "live");

    // By the address bsky.app's "Copy link" gives, which names the author by handle: the post
    // archived under the DID whose snapshot gives that handle.
    let (code, by_handle, _) = env.json(&[
        "show",
        "https://bsky.app/profile/ChadMichael.bsky.social/post/3k7rmyigapw2y",
    ]);
    assert_eq!(code, 0, "{by_handle:#}");
    assert_eq!(by_handle["post_url"], shown["post_url"], "{by_handle:#}");
    // Another author's handle with that post's own id names no archived post.
    let (code, _, stderr) = env.json(&[
        "show",
        "https://bsky.app/profile/danoleary.bsky.social/post/3k7rmyigapw2y",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("not in the archive"), "{stderr}");

    // A page embedding it by handle gets its card from the rewrite.
    let page = "<p>x</p><blockquote class=\"bluesky-embed\" \
        data-bluesky-uri=\"at://chadmichael.bsky.social/app.bsky.feed.post/3k7rmyigapw2y\">\
        <p>If Bluesky is invite only</p></blockquote><p>y</p>";
    let out = env
        .cmd()
        .args(["rewrite", "--mode", "all", "--base-url", ARTICLE, "-"])
        .write_stdin(page)
        .output()
        .expect("run");
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!html.contains("bluesky-embed"), "{html}");
    assert!(html.contains("chadmichael.bsky.social"), "{html}");
}

#[test]
fn restricted_bluesky_text_is_kept_when_configured() {
    let env = social_env("[platforms.bluesky]\nshow_restricted_text = true\n");
    let (_, doc, stderr) = env.json(&["archive", ARTICLE]);
    let dan = embed(
        &doc["articles"][0],
        "bluesky",
        "did:plc:z7ja7uhcr5is6uqmnsjyn3k7/3lhmggpkbw22v",
    );
    assert_eq!(
        dan["snapshot"]["text"], "It was time to go M1 to M4",
        "stderr: {stderr}\n{dan:#}"
    );
}

#[test]
fn mastodon_posts_archive_from_their_own_server_through_the_guard() {
    let env = social_env("");
    let (code, doc, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 1, "stderr: {stderr}\n{doc:#}");
    let a = &doc["articles"][0];

    let docs = embed(a, "mastodon", "mastodon.social/1");
    assert_eq!(docs["status"], "live", "{docs:#}");
    let s = &docs["snapshot"];
    assert_eq!(s["source"], "mastodon-api");
    assert_eq!(s["author_name"], "Eugen");
    assert_eq!(s["author_handle"], "Gargron");
    assert_eq!(s["text"], "Hello world");
    assert_eq!(s["published_at"], "2016-03-16T14:44:31Z");

    let pilky = embed(a, "mastodon", "togl.me/111818628360792143");
    assert_eq!(pilky["status"], "live", "{pilky:#}");
    let s = &pilky["snapshot"];
    assert_eq!(s["author_handle"], "pilky@mastodon.social");
    let media = s["media"].as_array().expect("media");
    assert_eq!(media.len(), 1, "{s:#}");
    assert_eq!(
        (media[0]["width"].as_u64(), media[0]["height"].as_u64()),
        (Some(1663), Some(1247))
    );
    if_reported(
        &media[0],
        "alt",
        "Miniature of Commander Farsight from Warhammer 40K, painted in the traditional red colour scheme".into(),
    );
    thumbnail_made(&media[0]);

    let gone = embed(a, "mastodon", "mastodon.social/109999999999999999");
    assert_eq!(gone["status"], "suspect", "{gone:#}");

    // The private address is refused before any connection: unknown, never gone.
    let private = embed(a, "mastodon", "192.168.1.20/110000000000000001");
    assert_eq!(private["status"], "unknown", "{private:#}");
    assert!(
        private["error"]
            .as_str()
            .is_some_and(|e| e.contains("refused non-public address")),
        "{private:#}"
    );
}

/// Regression: a status listing thousands of media items (a Mastodon server can list any
/// number) was fetched item by item, for hours. A snapshot keeps the first 50, as many as a post
/// shows and more.
#[test]
fn a_post_listing_more_media_than_a_post_shows_keeps_the_first() {
    const STATUS: &str = "https://togl.me/api/v1/statuses/111818628360792143";
    let mut status: Value = serde_json::from_slice(&fixture(
        "samples/mastodon/status-111818628360792143-image-alt.json",
    ))
    .expect("the recorded status");
    let item = status["media_attachments"][0].clone();
    status["media_attachments"] = Value::Array(vec![item; 60]);
    let page = r#"<html><body><p>Text.</p><blockquote class="mastodon-embed" data-embed-url="https://togl.me/@pilky@mastodon.social/111818628360792143/embed"><a href="https://togl.me/@pilky@mastodon.social/111818628360792143">Post by @pilky</a></blockquote><script data-allowed-prefixes="https://togl.me/" async src="https://togl.me/embed.js"></script></body></html>"#;
    let mut routes = Routes::from_manifest();
    routes.add(ARTICLE, Reply::html(page.as_bytes().to_vec()));
    routes.add(STATUS, json(serde_json::to_vec(&status).expect("json")));
    routes.add(
        "https://togl.me/system/cache/media_attachments/files/111/818/630/734/245/179/original/6eecd8c30eaa773f.jpeg",
        jpeg(),
    );
    let env = TestEnv::with_hosts(routes, &["mastodon.social"], "");
    let (code, doc, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "stderr: {stderr}\n{doc:#}");
    let post = embed(
        &doc["articles"][0],
        "mastodon",
        "togl.me/111818628360792143",
    );
    let media = post["snapshot"]["media"].as_array().expect("media");
    assert_eq!(media.len(), 50, "{post:#}");
}

#[test]
fn reddit_posts_archive_from_their_json_or_oembed() {
    let env = social_env("");
    let (code, doc, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 1, "stderr: {stderr}\n{doc:#}");
    let a = &doc["articles"][0];

    // The `.json` answers: a gallery, every image kept.
    let gallery = embed(a, "reddit", "13opkyi");
    assert_eq!(gallery["status"], "live", "{gallery:#}");
    let s = &gallery["snapshot"];
    assert_eq!(s["source"], "reddit-json");
    assert_eq!(s["author_handle"], "fel0ra");
    assert_eq!(s["author_url"], "https://www.reddit.com/user/fel0ra/");
    assert_eq!(s["published_at"], "2023-05-22T12:30:47Z");
    if_reported(
        s,
        "title",
        "An outfit I made for my Mata Hari cosplay: top and pants, belt, headdress and necklaces"
            .into(),
    );
    let media = s["media"].as_array().expect("media");
    assert_eq!(media.len(), 5, "{s:#}");
    assert!(media.iter().all(|m| m["kind"] == "image"), "{s:#}");
    thumbnail_made(&media[0]);

    // No `.json` answer (the fixture server has none): oEmbed names the post.
    let buffett = embed(a, "reddit", "7pfpeq");
    assert_eq!(buffett["status"], "live", "{buffett:#}");
    assert_eq!(buffett["snapshot"]["source"], "reddit-oembed");
    assert_eq!(buffett["snapshot"]["author_name"], "dennisrieves");

    // Deleted by its author: suspect after one gone answer, with reddit's words on record.
    let deleted = embed(a, "reddit", "1abcdef");
    assert_eq!(deleted["status"], "suspect", "{deleted:#}");
    let (code, shown, _) = env.json(&["show", "https://www.reddit.com/r/news/comments/1abcdef/"]);
    assert_eq!(code, 0, "{shown:#}");
    assert_eq!(shown["checks"][0]["outcome"], "gone");
    assert!(
        shown["checks"][0]["evidence"]
            .as_str()
            .is_some_and(|e| e.contains("[deleted]")),
        "{shown:#}"
    );
}

#[test]
fn facebook_posts_read_graph_oembed_with_a_token_when_the_plugin_fails() {
    const FB_ARTICLE: &str = "https://news.example.com/2026/12/facebook.html";
    let token_dir = tempfile::tempdir().expect("tempdir");
    let token = token_dir.path().join("facebook-token");
    // The token the recorded request carries (the recording replaced the real one).
    std::fs::write(&token, "A_FAKE_TOKEN_FOR_TESTS\n").expect("token file");
    let routes = || {
        let mut routes = Routes::from_manifest();
        routes.add(
            FB_ARTICLE,
            Reply::html(fixture("local/article-facebook.html")),
        );
        routes
    };
    let config = format!(
        "[platforms.facebook]\naccess_token_file = {:?}\ngraph_api_version = \"v8.0\"\n",
        token.display().to_string()
    );
    let env = TestEnv::with_hosts(routes(), &["www.facebook.com"], &config);
    let (code, doc, stderr) = env.json(&["archive", FB_ARTICLE]);
    assert_eq!(code, 0, "stderr: {stderr}\n{doc:#}");
    let post = embed(&doc["articles"][0], "facebook", "3610333842332884");
    assert_eq!(post["status"], "live", "{post:#}");
    let s = &post["snapshot"];
    assert_eq!(s["source"], "facebook-graph-oembed");
    assert_eq!(s["author_name"], "Ruby on Rails");
    assert_eq!(s["author_url"], "https://www.facebook.com/1284562961576662");
    assert_eq!(s["text"], "Nice Article");
    assert_eq!(s["published_at"], "2020-08-05T00:00:00Z");
    // The token never reaches what is stored or printed.
    assert!(!doc.to_string().contains("A_FAKE_TOKEN"), "{doc:#}");
    assert!(!stderr.contains("A_FAKE_TOKEN"), "{stderr}");

    // Without a token, and no plugin answer (the fixture server has none for this post), the
    // post is found but not resolved: no request to Graph.
    let env = TestEnv::with_hosts(routes(), &["www.facebook.com"], "");
    let (_, doc, _) = env.json(&["archive", FB_ARTICLE]);
    let post = embed(&doc["articles"][0], "facebook", "3610333842332884");
    assert!(post["snapshot"].is_null(), "{post:#}");
    assert!(
        !env.server
            .requests()
            .iter()
            .any(|r| r.contains("graph.facebook.com")),
        "{:?}",
        env.server.requests()
    );
}

#[test]
fn facebook_posts_read_the_plugin_page_without_a_token() {
    const FB_ARTICLE: &str = "https://news.example.com/2026/12/facebook-plugin.html";
    const MALTA: &str = "https://www.facebook.com/maltadaily.mt/posts/1485418313406667";
    const REMOVED: &str = "https://www.facebook.com/NASA/posts/pfbid0aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let plugin = |post: &str| {
        url::Url::parse_with_params(
            "https://www.facebook.com/plugins/post.php",
            [("href", post), ("locale", "en_US")],
        )
        .expect("plugin url")
        .to_string()
    };
    let page = |file: &str| {
        Reply::with_type(
            200,
            "text/html; charset=\"utf-8\"",
            fixture(&format!("samples/facebook/{file}")),
        )
    };
    let mut routes = Routes::from_manifest();
    routes.add(
        FB_ARTICLE,
        Reply::html(fixture("local/article-facebook-plugin.html")),
    );
    routes.add(
        &plugin(MALTA),
        page("plugin-post-maltadaily-1485418313406667.html"),
    );
    routes.add(&plugin(REMOVED), page("plugin-post-unavailable.html"));
    routes.add(
        "https://scontent.xx.fbcdn.net/v/t39.30808-6/605468202_1485418233406675_2247927725650810095_n.jpg?stp=dst-jpg_p403x403_tt6&_nc_cat=109&ccb=1-7&_nc_sid=e5c1b6&_nc_ohc=9W7tl2IUVEQQ7kNvwESdIg6&_nc_oc=Adq5v1rd3OCMFr9ywpWA_SOlC0H-fOyQsMm5nJ4krdJ07nKFIbG_AA3IDGDsGNCzofo&_nc_zt=23&_nc_ht=scontent.xx&edm=AN6CN6oEAAAA&_nc_gid=4H7sWSUkFOSFsBFglorbQw&oh=00_AQMA9IEg90D3wZstDpqs83LvCKVr2FBSq-qhdhH6X8YjVA&oe=6AC6CDAA",
        jpeg(),
    );
    let env = TestEnv::with_hosts(routes, &["graph.facebook.com"], "");
    let (code, doc, stderr) = env.json(&["archive", FB_ARTICLE]);
    assert_eq!(code, 0, "stderr: {stderr}\n{doc:#}");
    let a = &doc["articles"][0];

    // The plugin iframe's post, read from the plugin page.
    let post = embed(a, "facebook", "1485418313406667");
    assert_eq!(post["status"], "live", "{post:#}");
    let s = &post["snapshot"];
    assert_eq!(s["source"], "facebook-plugin");
    assert_eq!(s["author_name"], "Malta Daily");
    assert_eq!(s["author_handle"], "maltadaily.mt");
    assert_eq!(s["author_url"], "https://www.facebook.com/maltadaily.mt");
    assert_eq!(s["published_at"], "2025-12-25T16:07:44Z");
    let text = s["text"].as_str().expect("text");
    assert!(
        text.starts_with("Christmas Eve took an unexpected turn"),
        "{text}"
    );
    assert!(text.ends_with("#MaltaDaily"), "{text}");
    let media = s["media"].as_array().expect("media");
    assert_eq!(media.len(), 1, "{s:#}");
    assert_eq!(media[0]["kind"], "image");
    thumbnail_made(&media[0]);

    // The removed post: the plugin's notice, on record.
    let removed = embed(a, "facebook", REMOVED.rsplit('/').next().expect("id"));
    assert_ne!(removed["status"], "live", "{removed:#}");
    assert!(
        removed["snapshot"].is_null() || removed["snapshot"]["source"].is_null(),
        "{removed:#}"
    );
    let (code, shown, _) = env.json(&["show", REMOVED]);
    assert_eq!(code, 0, "{shown:#}");
    assert_eq!(shown["checks"][0]["outcome"], "gone", "{shown:#}");
    assert!(
        shown["checks"][0]["evidence"]
            .as_str()
            .is_some_and(|e| e.contains("This Facebook post is no longer available")),
        "{shown:#}"
    );
    // No token: Graph is never asked.
    assert!(
        !env.server
            .requests()
            .iter()
            .any(|r| r.contains("graph.facebook.com")),
        "{:?}",
        env.server.requests()
    );
}
