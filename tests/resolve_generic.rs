//! Generic oEmbed providers and the `page` source end to end: the real binary archiving article
//! pages through host overrides to the fixture server, which replays recorded answers; and
//! `oembed-providers update` rebuilding the registry data from a small copy of the registry.

mod support;

use serde_json::Value;
use support::{Reply, Routes, TestEnv, fixture, fixtures};

const PROVIDER_ARTICLE: &str = "https://news.example.com/2026/12/a-photo.html";
const INSTAGRAM_ARTICLE: &str = "https://news.example.com/2026/12/an-instagram-post.html";
const PHOTO: &str = "https://www.23hq.com/Zzleeper/photo/16600737";

fn embed<'a>(article: &'a Value, platform: &str) -> &'a Value {
    article["embeds"]
        .as_array()
        .expect("embeds array")
        .iter()
        .find(|e| e["platform"] == platform)
        .unwrap_or_else(|| panic!("no {platform} embed in {article:#}"))
}

#[test]
fn an_embedded_registry_provider_is_archived_through_its_endpoint() {
    let mut routes = Routes::from_manifest();
    // A WordPress embed block holding the photo's address, as the block editor saves it.
    routes.add(
        PROVIDER_ARTICLE,
        Reply::html(
            "<!doctype html><html><head><title>A photo</title></head><body><article>\
             <p>The bolts, as promised:</p>\
             <figure class=\"wp-block-embed is-type-photo\"><div class=\"wp-block-embed__wrapper\">\n\
             http://www.23hq.com/Zzleeper/photo/16600737\n</div></figure></article></body></html>",
        ),
    );
    routes.add(
        "https://www.23hq.com/23/oembed?url=https%3A%2F%2Fwww.23hq.com%2FZzleeper%2Fphoto%2F16600737&format=json",
        Reply::with_type(
            200,
            "application/json",
            fixture("samples/generic/23hq-16600737-oembed.json"),
        ),
    );
    let env = TestEnv::new(routes, "");
    let (code, doc, stderr) = env.json(&["archive", PROVIDER_ARTICLE]);
    let a = &doc["articles"][0];
    let e = embed(a, "oembed");
    assert_eq!(
        e["post_id"], "23hq/www.23hq.com/Zzleeper/photo/16600737",
        "{e:#}"
    );
    assert_eq!(e["post_url"], PHOTO);
    assert_eq!(e["status"], "live", "stderr: {stderr}\n{e:#}");
    // The photo itself is not recorded: its thumbnail fails, the snapshot is kept.
    assert!(code == 0 || code == 1, "{code}: {stderr}");
    let s = &e["snapshot"];
    assert_eq!(s["source"], "oembed");
    assert_eq!(s["author_name"], "Zzleeper");
    assert_eq!(s["author_url"], "http://www.23hq.com/Zzleeper/");
    assert_eq!(s["media"][0]["kind"], "image");
    assert_eq!(
        s["media"][0]["url"],
        "http://www.23hq.com/16171062/16600737_ac392e8a4d667e4726fbafc8a21728d5_large.jpg"
    );
    assert!(
        env.server
            .requests()
            .iter()
            .any(|r| r.starts_with("https://www.23hq.com/23/oembed?url=")),
        "{:?}",
        env.server.requests()
    );

    let (code, shown, _) = env.json(&["show", PHOTO]);
    assert_eq!(code, 0);
    assert_eq!(shown["status"], "live", "{shown:#}");
}

/// The short link Flickr's share button gives, as WordPress's Flickr block saves it and as a
/// bare link on its own line: one photo, the same post as its long address, asked of Flickr's
/// endpoint by the short link.
#[test]
fn a_flickr_short_link_is_the_photo_it_points_to() {
    const ARTICLE: &str = "https://news.example.com/2026/12/flickr.html";
    const SHORT: &str = "https://flic.kr/p/2iYctUr";
    let mut routes = Routes::from_manifest();
    routes.add(
        ARTICLE,
        Reply::html(
            "<!doctype html><html><head><title>Spring</title></head><body><article>\
             <figure class=\"wp-block-embed is-type-photo is-provider-flickr wp-block-embed-flickr\">\
             <div class=\"wp-block-embed__wrapper\">\nhttps://flic.kr/p/2iYctUr\n</div></figure>\
             <p>https://www.flickr.com/photos/66881897@N05/49862721477/</p>\
             </article></body></html>",
        ),
    );
    let answer = || {
        Reply::with_type(
            200,
            "application/json; charset=utf-8",
            fixture("samples/generic/flickr-49862721477-oembed.json"),
        )
    };
    routes.add(
        "https://www.flickr.com/services/oembed/?url=https%3A%2F%2Fflic.kr%2Fp%2F2iYctUr&format=json",
        answer(),
    );
    let env = TestEnv::new(routes, "");
    let (code, doc, stderr) = env.json(&["archive", ARTICLE]);
    assert!(code == 0 || code == 1, "{code}: {stderr}");
    let embeds = doc["articles"][0]["embeds"].as_array().expect("embeds");
    assert_eq!(embeds.len(), 1, "one photo, linked two ways: {embeds:#?}");
    let e = &embeds[0];
    assert_eq!(e["post_id"], "flickr/49862721477", "{e:#}");
    assert_eq!(e["post_url"], SHORT);
    assert_eq!(e["status"], "live", "stderr: {stderr}\n{e:#}");
    let s = &e["snapshot"];
    assert_eq!(s["author_name"], "NDD2012");
    assert_eq!(s["title"], "20200401_165350");
    assert_eq!(
        s["media"][0]["url"],
        "https://live.staticflickr.com/65535/49862721477_645db2bc58_b.jpg"
    );
}

#[test]
fn an_instagram_post_whose_embed_page_fails_is_read_from_its_post_page() {
    let code = "COn3M4TnRi1";
    let mut routes = Routes::from_manifest();
    routes.add(
        INSTAGRAM_ARTICLE,
        Reply::html(format!(
            "<!doctype html><html><head><title>A post</title></head><body>\
             <blockquote class=\"instagram-media\" data-instgrm-captioned \
             data-instgrm-permalink=\"https://www.instagram.com/p/{code}/?utm_source=ig_embed\" \
             data-instgrm-version=\"14\"><a href=\"https://www.instagram.com/p/{code}/?utm_source=ig_embed\">\
             A post shared by Willyrex (@willyrex)</a></blockquote>\
             <script async src=\"//www.instagram.com/embed.js\"></script></body></html>"
        )),
    );
    // The embed page is unreachable (no recorded answer: the fixture server fails it).
    let env = TestEnv::new(routes, "");
    let (_, doc, stderr) = env.json(&["archive", INSTAGRAM_ARTICLE]);
    let e = embed(&doc["articles"][0], "instagram");
    let requests = env.server.requests();
    assert!(
        requests
            .iter()
            .any(|r| r == &format!("https://www.instagram.com/p/{code}/embed/captioned/")),
        "{requests:?}"
    );
    // Then the post's own page is asked.
    assert!(
        requests
            .iter()
            .any(|r| r == &format!("https://www.instagram.com/p/{code}/")),
        "{requests:?}"
    );
    // The recorded page carries the post in its OpenGraph tags: the post is live, read from it.
    assert_eq!(e["status"], "live", "stderr: {stderr}\n{e:#}");
    let s = &e["snapshot"];
    assert_eq!(s["source"], "page", "{e:#}");
    // Its description line, `534K likes, 5,064 comments - willyrex on May 8, 2021: "¿Listos?
    // Nuevo #SORTEO…"`, is read into the handle, the date and the caption: the like count, which
    // changes at every check, is not part of the text.
    let text = s["text"].as_str().unwrap_or_default();
    assert!(text.starts_with("¿Listos? Nuevo #SORTEO"), "{e:#}");
    assert!(!text.contains("likes"), "{e:#}");
    assert_eq!(s["author_handle"], "willyrex", "{e:#}");
    assert_eq!(
        s["author_url"], "https://www.instagram.com/willyrex/",
        "{e:#}"
    );
    assert_eq!(s["published_at"], "2021-05-08T00:00:00Z", "{e:#}");
    assert_eq!(s["title"], serde_json::Value::Null, "{e:#}");
    // The manifest's expected image (metascraper's reading of the same page).
    assert_eq!(
        s["media"][0]["url"],
        "https://scontent-mad2-1.cdninstagram.com/v/t51.29350-15/183037094_508540027000559_4927547535791161246_n.jpg?stp=c288.0.864.864a_dst-jpg_e35_s640x640_tt6&_nc_cat=104&ccb=1-7&_nc_sid=18de74&_nc_aid=0&_nc_ohc=Cie5q_gxLLYQ7kNvgEqiXD8&_nc_zt=23&_nc_ht=scontent-mad2-1.cdninstagram.com&_nc_gid=Ad8PSpquy5AZh1Pohh2JB72&oh=00_AYAE8CT9LyH7gYy8-q8TTXDRHsscgXiUHkz4a935bIIEmw&oe=67785396"
    );
}

#[test]
fn oembed_providers_update_rebuilds_the_data_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("providers.json");
    let run = assert_cmd::Command::cargo_bin("embedkeep")
        .expect("binary")
        .env_remove("EMBEDKEEP_CONFIG")
        .args(["oembed-providers", "update", "--from"])
        .arg(fixtures().join("oembed-registry"))
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        stdout.contains("Spotify: scheme \"spotify:*\" dropped: not an http(s) URL pattern"),
        "{stdout}"
    );
    assert!(stdout.contains("wrote 3 providers"), "{stdout}");
    let data: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("written")).expect("JSON");
    let names: Vec<&str> = data["providers"]
        .as_array()
        .expect("providers")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    // In file-name order, as the registry's own build reads them.
    assert_eq!(names, ["23HQ", "Flickr", "Spotify"]);
    let flickr = &data["providers"][1]["endpoints"][0];
    assert_eq!(flickr["url"], "https://www.flickr.com/services/oembed/");
    assert_eq!(flickr["discovery"], true);
    assert!(
        flickr["schemes"]
            .as_array()
            .is_some_and(|s| s.iter().any(|s| s == "https://flic.kr/p/*"))
    );

    // A path that is no registry: a usage error naming it, and nothing written.
    let missing = dir.path().join("nowhere");
    let out2 = dir.path().join("other.json");
    let run = assert_cmd::Command::cargo_bin("embedkeep")
        .expect("binary")
        .args(["oembed-providers", "update", "--from"])
        .arg(&missing)
        .arg("--out")
        .arg(&out2)
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("nowhere"), "{stderr}");
    assert!(!out2.exists());

    // A target that is no regular file (a folder here) is a wrong argument too, as with
    // `export --warc`: the rename would replace it rather than write through it.
    let run = assert_cmd::Command::cargo_bin("embedkeep")
        .expect("binary")
        .args(["oembed-providers", "update", "--from"])
        .arg(&out)
        .arg("--out")
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("not a regular file"), "{stderr}");
}
