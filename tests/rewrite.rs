//! The article rewrite: byte-for-byte pass-through of real and generated pages, cards in place of
//! exactly the embeds they are for (and their companion scripts only when nothing else needs
//! them), legacy charsets, hostile markup, and `embedkeep rewrite` end to end against the
//! four-platform article archived from the recorded platform answers, and `POST /v1/rewrite`
//! answering exactly what the command prints.

mod server_process;
mod support;

use std::path::Path;

use embedkeep::discover;
use embedkeep::model::{Location, Platform, PostKey};
use embedkeep::platforms;
use embedkeep::render::{CardSet, MAX_REPLACED, PageEmbeds, RewriteError, rewrite};
use proptest::prelude::*;
use support::{Reply, Routes, TestEnv, fixture, fixtures};
use url::Url;

const ARTICLE: &str = "https://news.example.com/2026/11/four-platforms.html";
const HARBOUR: &str = "https://www.instagram.com/p/C8kQx2LtA1b/";
const CAP: usize = 10 << 20;

fn base() -> Url {
    Url::parse(ARTICLE).expect("article URL")
}

fn key(platform: Platform, id: &str) -> PostKey {
    PostKey {
        platform,
        post_id: id.into(),
    }
}

fn cards(list: &[(PostKey, &str)]) -> CardSet {
    list.iter()
        .map(|(k, c)| (k.clone(), (*c).to_owned()))
        .collect()
}

fn rewritten(html: &[u8], cards: &CardSet) -> Vec<u8> {
    rewrite(
        html,
        &base(),
        cards,
        &platforms::recognise,
        platforms::embed_forms(),
        CAP,
    )
    .expect("rewrite")
}

/// Every HTML page of the fixtures: the real article corpus and our own pages.
fn pages() -> Vec<(String, Vec<u8>)> {
    let mut pages = Vec::new();
    for dir in ["articles", "local"] {
        let mut entries: Vec<_> = std::fs::read_dir(fixtures().join(dir))
            .expect("fixture dir")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .collect();
        entries.sort();
        for path in entries {
            let name = format!("{dir}/{}", file_name(&path));
            pages.push((name, std::fs::read(&path).expect("page")));
        }
    }
    assert!(pages.len() > 100, "the corpus is missing");
    pages
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[test]
fn without_cards_every_fixture_page_comes_back_byte_for_byte() {
    let absent = cards(&[(key(Platform::X, "1"), "<b>never used</b>")]);
    for (name, html) in pages() {
        assert!(
            rewritten(&html, &CardSet::new()) == html,
            "{name} changed with no cards"
        );
        assert!(
            rewritten(&html, &absent) == html,
            "{name} changed with a card for a post it does not embed"
        );
    }
}

/// Embeds discovery reads but the rewrite must leave alone: their element never ends with its own
/// end tag, so a card in its place would swallow the page after it.
const UNCLOSED: &[(&str, &str)] = &[("local/article-hostile-markup.html", "C82rTq0Nx7e")];

#[test]
fn the_rewrite_finds_the_posts_discovery_finds_in_the_page() {
    // Every post discovery reads from a blockquote, frame, player facade or Facebook plugin
    // element in the page's own markup is a post the rewrite can replace, under the same key.
    let mut checked = 0;
    for (name, html) in pages() {
        let text = embedkeep::http::decode_html(&html, None);
        let found = discover::discover(&text, &base());
        let page = PageEmbeds::scan(
            &html,
            &base(),
            &platforms::recognise,
            platforms::embed_forms(),
            CAP,
        )
        .expect("scan");
        let posts = page.posts();
        for e in &found.embeds {
            let replaceable_form = e.evidence.starts_with("blockquote.")
                || e.evidence.starts_with("iframe")
                || e.evidence.starts_with("lite-")
                || ["div.fb-post", "div.fb-video", "fb:post", "fb:video"].contains(&&*e.evidence);
            if e.location != Location::Dom || !replaceable_form {
                continue;
            }
            let Some(k) = e.key() else { continue };
            if UNCLOSED.contains(&(name.as_str(), k.post_id.as_str())) {
                assert!(!posts.contains(&k), "{name}: {k:?} has no end tag");
                continue;
            }
            assert!(
                posts.contains(&k),
                "{name}: discovery found {} ({}) that the rewrite does not: {posts:?}",
                e.post_url,
                e.evidence
            );
            checked += 1;
        }
        // And the rewrite names no post discovery does not know.
        let known: Vec<PostKey> = found.embeds.iter().filter_map(|e| e.key()).collect();
        for k in &posts {
            assert!(
                known.contains(k),
                "{name}: the rewrite found {k:?}, discovery did not"
            );
        }
    }
    assert!(checked > 50, "only {checked} embeds compared");
}

/// `html` with `from` (which must occur once) replaced by `to`.
fn splice(html: &str, from: &str, to: &str) -> String {
    assert_eq!(html.matches(from).count(), 1, "{from}");
    html.replacen(from, to, 1)
}

/// The blockquote that starts with `head`, through its end tag.
fn blockquote<'a>(html: &'a str, head: &str) -> &'a str {
    let start = html.find(head).expect("blockquote start");
    let end = start + html[start..].find("</blockquote>").expect("blockquote end") + 13;
    &html[start..end]
}

#[test]
fn two_cards_replace_exactly_their_embeds_in_the_four_platform_article() {
    let html = String::from_utf8(fixture("local/article-four-platforms.html")).expect("utf-8");
    let harbour = blockquote(
        &html,
        r#"<blockquote class="instagram-media" data-instgrm-captioned data-instgrm-permalink="https://www.instagram.com/p/C8kQx2LtA1b/"#,
    );
    let tiktok = blockquote(&html, r#"<blockquote class="tiktok-embed""#);
    let tiktok_js = r#"<script async src="https://www.tiktok.com/embed.js"></script>"#;
    let set = cards(&[
        (
            key(Platform::Instagram, "C8kQx2LtA1b"),
            "<aside>harbour</aside>",
        ),
        (
            key(Platform::Tiktok, "6806030056956251397"),
            "<aside>tiktok</aside>",
        ),
    ]);
    let out = String::from_utf8(rewritten(html.as_bytes(), &set)).expect("utf-8");
    let mut want = splice(&html, harbour, "<aside>harbour</aside>");
    want = splice(&want, tiktok, "<aside>tiktok</aside>");
    // TikTok's script goes with its only embed; Instagram's stay for the two embeds left.
    want = splice(&want, tiktok_js, "");
    assert_eq!(out, want);
    assert_eq!(out.matches("//www.instagram.com/embed.js").count(), 3);
}

#[test]
fn a_windows_1251_page_round_trips_and_takes_a_card_in_its_charset() {
    let page = fixture("local/article-windows-1251.html");
    assert!(
        std::str::from_utf8(&page).is_err(),
        "the fixture is not UTF-8"
    );
    assert!(rewritten(&page, &CardSet::new()) == page);
    let set = cards(&[(
        key(Platform::Instagram, "C8kQx2LtA1b"),
        "<aside>Архив: публикация удалена \u{1f305}</aside>",
    )]);
    let out = rewritten(&page, &set);
    let (text, _, bad) = encoding_rs::WINDOWS_1251.decode(&page);
    assert!(!bad);
    let quote = blockquote(&text, "<blockquote class=\"instagram-media\"");
    let want = splice(
        &text,
        quote,
        "<aside>Архив: публикация удалена &#127749;</aside>",
    );
    let (want, _, unmappable) = encoding_rs::WINDOWS_1251.encode(&want);
    assert!(!unmappable);
    assert!(
        out == want.into_owned(),
        "{}",
        String::from_utf8_lossy(&out)
    );
}

#[test]
fn hostile_markup_only_the_real_embeds_are_replaced() {
    let html = String::from_utf8(fixture("local/article-hostile-markup.html")).expect("utf-8");
    let page = PageEmbeds::scan(
        html.as_bytes(),
        &base(),
        &platforms::recognise,
        platforms::embed_forms(),
        CAP,
    )
    .expect("scan");
    assert_eq!(
        page.posts(),
        vec![
            key(Platform::X, "20"),
            key(Platform::X, "436461658601713664"),
            key(Platform::Youtube, "eiHXASgRTcA"),
        ]
    );
    let set = cards(&[
        (key(Platform::X, "20"), "<aside>jack</aside>"),
        (
            key(Platform::X, "436461658601713664"),
            "<aside>pepephone</aside>",
        ),
        (
            key(Platform::Youtube, "eiHXASgRTcA"),
            "<aside>kittens</aside>",
        ),
        (
            key(Platform::Instagram, "C8kQx2LtA1b"),
            "<aside>escaped</aside>",
        ),
        (
            key(Platform::Instagram, "C8tZr5pIe0B"),
            "<aside>plain link</aside>",
        ),
        (
            key(Platform::Instagram, "C82rTq0Nx7e"),
            "<aside>unclosed</aside>",
        ),
    ]);
    let out = String::from_utf8(rewritten(html.as_bytes(), &set)).expect("utf-8");
    let upper = blockquote(&html, "<BLOCKQUOTE").replace("</blockquote>", "");
    let upper_end = html.find("</BLOCKQUOTE>").expect("end") + 13;
    let upper = &html[html.find(&upper).expect("start")..upper_end];
    let pepe = blockquote(&html, "<blockquote class=\"twitter-tweet\"><p>RT");
    let frame_start = html.find("<iframe").expect("iframe");
    let frame_end = frame_start + html[frame_start..].find("</iframe>").expect("end") + 9;
    let mut want = splice(&html, upper, "<aside>jack</aside>");
    want = splice(&want, pepe, "<aside>pepephone</aside>");
    want = splice(
        &want,
        &html[frame_start..frame_end],
        "<aside>kittens</aside>",
    );
    // No X embed is left in the page's markup, so widgets.js goes; the copies in the comment,
    // the script string and the textarea are text, not embeds.
    want = splice(
        &want,
        r#"<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>"#,
        "",
    );
    assert_eq!(out, want);
}

#[test]
fn a_rewrite_replaces_as_many_embeds_as_discovery_reads() {
    assert_eq!(MAX_REPLACED, discover::MAX_CANDIDATES);
}

#[test]
fn the_cap_is_named_and_utf16_is_refused() {
    let html = fixture("local/article-four-platforms.html");
    let err = rewrite(
        &html,
        &base(),
        &CardSet::new(),
        &platforms::recognise,
        platforms::embed_forms(),
        1000,
    )
    .expect_err("over the cap");
    assert!(
        matches!(err, RewriteError::TooLarge { cap: 1000, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("cap of 1000 bytes"), "{err}");
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain("<p>hi</p>".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let err = rewrite(
        &utf16,
        &base(),
        &CardSet::new(),
        &platforms::recognise,
        platforms::embed_forms(),
        CAP,
    )
    .expect_err("UTF-16");
    assert!(
        matches!(err, RewriteError::UnsupportedCharset { .. }),
        "{err}"
    );
}

/// Pieces of pages: embed markup of every form, scripts, comments, raw-text elements, charset
/// declarations, entities, stray brackets, and arbitrary bytes; with `companion_scripts`, the
/// platforms' scripts too.
fn html_ish(companion_scripts: bool) -> impl Strategy<Value = Vec<u8>> {
    let mut fragments: Vec<&'static str> = vec![
        "<blockquote class=\"twitter-tweet\">",
        "<blockquote class=\"instagram-media\" data-instgrm-permalink=\"https://www.instagram.com/p/C8kQx2LtA1b/\">",
        "<blockquote class=\"tiktok-embed\" cite=\"https://www.tiktok.com/@a/video/6806030056956251397\">",
        "</blockquote>",
        "<a href=\"https://twitter.com/jack/status/20\">",
        "<a class=\"twitter-timeline\" href=\"https://twitter.com/jack\">",
        "</a>",
        "<iframe src=\"https://www.youtube.com/embed/eiHXASgRTcA\">",
        "</iframe>",
        "<script src=\"/site.js\">",
        "<script>",
        "</script>",
        "<!--",
        "-->",
        "<textarea>",
        "</textarea>",
        "<![CDATA[",
        "]]>",
        "<svg><foreignObject>",
        "</svg>",
        "<meta charset=\"windows-1251\">",
        "<meta http-equiv=content-type content=\"text/html; charset=koi8-r\">",
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<table><tr><td>",
        "<select><option>",
        "&amp;",
        "&#x2F;",
        "<",
        ">",
        "\"",
        "'",
        "Привет, мир 🌅 ",
        "\u{feff}",
    ];
    if companion_scripts {
        fragments.extend([
            "<script async src=\"//www.instagram.com/embed.js\">",
            "<script src=\"https://platform.twitter.com/widgets.js\">",
        ]);
    }
    let piece = prop_oneof![
        4 => proptest::sample::select(fragments).prop_map(|s| s.as_bytes().to_vec()),
        2 => "[a-z <>/=\"'&;#!-]{0,12}".prop_map(String::into_bytes),
        1 => proptest::collection::vec(any::<u8>(), 0..8),
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn without_cards_generated_pages_come_back_byte_for_byte(html in html_ish(true)) {
        let utf16 = html.starts_with(&[0xff, 0xfe]) || html.starts_with(&[0xfe, 0xff]);
        let out = rewrite(&html, &base(), &CardSet::new(), &platforms::recognise, platforms::embed_forms(), CAP);
        if utf16 {
            let refused = matches!(out, Err(RewriteError::UnsupportedCharset { .. }));
            prop_assert!(refused, "a UTF-16 page was not refused");
        } else {
            prop_assert_eq!(out.ok(), Some(html));
        }
    }

    #[test]
    fn cards_leave_every_byte_outside_their_embeds(html in html_ish(false)) {
        // With a card for every post on the page (and no companion script to remove), what is
        // left of the input around the cards comes in order and unchanged: the output between
        // the cards' markers is made of whole, untouched runs of the input.
        let page = match PageEmbeds::scan(&html, &base(), &platforms::recognise, platforms::embed_forms(), CAP) {
            Ok(page) => page,
            Err(_) => return Ok(()),
        };
        let set: CardSet = page.posts().into_iter().map(|k| (k, "\u{1}".to_owned())).collect();
        let out = page.rewrite(&set).expect("rewrite");
        let mut at = 0;
        for run in out.split(|&b| b == 1).filter(|r| !r.is_empty()) {
            let found = html[at..].windows(run.len()).position(|w| w == run);
            prop_assert!(found.is_some(), "a run of the output is not in the input");
            at += found.unwrap_or(0) + run.len();
        }
    }
}

// --- `embedkeep rewrite` end to end ---

fn routes() -> Routes {
    let mut routes = Routes::from_manifest();
    routes.add(
        ARTICLE,
        Reply::html(fixture("local/article-four-platforms.html")),
    );
    routes
}

/// Run the binary: (exit code, stdout bytes, stderr).
fn run(env: &TestEnv, args: &[&str]) -> (i32, Vec<u8>, String) {
    let out = env.cmd().args(args).output().expect("run");
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn rewrite_swaps_the_gone_post_for_its_card_and_nothing_else() {
    let env = TestEnv::new(routes(), "");
    let (code, _, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = env.json(&["pin", HARBOUR, "--gone"]);
    assert_eq!(code, 0, "{stderr}");
    let file = env.dir.path().join("article.html");
    let html = String::from_utf8(fixture("local/article-four-platforms.html")).expect("utf-8");
    std::fs::write(&file, &html).expect("write article");
    let file = file.to_str().expect("path");

    let (code, out, stderr) = run(
        &env,
        &[
            "rewrite",
            file,
            "--base-url",
            ARTICLE,
            "--media-base",
            "https://embeds.example.com/v1/media/",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("1 of 7 embedded posts replaced by cards (mode gone)"),
        "{stderr}"
    );
    let out = String::from_utf8(out).expect("utf-8 page");
    let harbour = blockquote(
        &html,
        r#"<blockquote class="instagram-media" data-instgrm-captioned data-instgrm-permalink="https://www.instagram.com/p/C8kQx2LtA1b/"#,
    );
    let (before, after) = html.split_once(harbour).expect("harbour embed");
    assert!(out.starts_with(before) && out.ends_with(after), "{out}");
    let card = &out[before.len()..out.len() - after.len()];
    // In the box `fallback.js` puts a card in, its `<style>` the box's first child.
    assert!(
        card.starts_with(
            r#"<div class="ek-fallback" data-ek-status="gone" data-ek-url="https://www.instagram.com/p/C8kQx2LtA1b/"><style>"#
        ),
        "{card}"
    );
    assert!(card.ends_with("</figure></div>"), "{card}");
    assert!(
        card.contains(
            r#"<figure class="ek-card ek-instagram ek-gone" aria-label="Instagram post by "#
        ),
        "{card}"
    );
    assert!(
        card.contains("The original post is no longer available."),
        "{card}"
    );
    assert!(
        card.contains(
            r#"<blockquote class="ek-quote" cite="https://www.instagram.com/p/C8kQx2LtA1b/" lang="">"#
        ),
        "{card}"
    );
    let needle = r#"<img src="https://embeds.example.com/v1/media/"#;
    let img = card.find(needle).expect("thumbnail") + needle.len();
    let sha = &card[img..img + 64];
    assert!(sha.bytes().all(|b| b.is_ascii_hexdigit()), "{sha}");

    // The same from standard input, in privacy mode: every archived post gets a card and no
    // platform script is left.
    let out = env
        .cmd()
        .args(["rewrite", "-", "--base-url", ARTICLE, "--mode", "all"])
        .write_stdin(html.clone())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("7 of 7 embedded posts"), "{stderr}");
    let page = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(page.matches("<figure class=\"ek-card").count(), 7, "{page}");
    for gone in [
        "<blockquote class=\"instagram-media\"",
        "<blockquote class=\"twitter-tweet\"",
        "<blockquote class=\"tiktok-embed\"",
        "<iframe",
        "embed.js",
        "widgets.js",
    ] {
        assert!(!page.contains(gone), "{gone} left in {page}");
    }
    // Without a media base the cards show no image.
    assert!(!page.contains("<img"), "{page}");
    assert!(
        page.contains("<h2>YouTube</h2>\n<figure class=\"video\"><div class=\"ek-fallback\""),
        "{page}"
    );
}

/// An AMP document comes back as it was, and the command says why.
#[test]
fn an_amp_page_is_written_out_as_it_was() {
    let env = TestEnv::new(routes(), "");
    let (code, _, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "{stderr}");
    let html = String::from_utf8(fixture("local/article-four-platforms.html"))
        .expect("utf-8")
        .replacen("<html", "<html \u{26a1}", 1);
    assert!(html.contains("<html \u{26a1}"), "an <html> tag");
    let out = env
        .cmd()
        .args(["rewrite", "-", "--base-url", ARTICLE, "--mode", "all"])
        .write_stdin(html.clone())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("0 of 7 embedded posts"), "{stderr}");
    assert!(
        stderr.contains("is an AMP page, written out as it was"),
        "{stderr}"
    );
    assert_eq!(String::from_utf8(out.stdout).expect("utf-8"), html);
}

#[test]
fn rewrite_reads_the_archive_only_and_checks_its_arguments() {
    let env = TestEnv::new(routes(), "");
    let file = env.dir.path().join("article.html");
    std::fs::write(&file, fixture("local/article-four-platforms.html")).expect("write");
    let file = file.to_str().expect("path");
    let (code, out, stderr) = run(&env, &["rewrite", file, "--base-url", ARTICLE]);
    assert_eq!(code, 1, "{stderr}");
    assert!(out.is_empty());
    assert!(stderr.contains("no archive at"), "{stderr}");
    assert!(!env.db_path.exists(), "rewrite created the archive");
    // A mistyped page, or a folder, is the argument's fault, said before the archive is looked
    // for.
    let missing = env.dir.path().join("artcle.html");
    let missing = missing.to_str().expect("path");
    let folder = env.dir.path().to_str().expect("path");
    for (page, says) in [(missing, "no such file"), (folder, "is a directory")] {
        let (code, _, stderr) = run(&env, &["rewrite", page, "--base-url", ARTICLE]);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains(page) && stderr.contains(says), "{stderr}");
    }

    let (code, _, stderr) = run(&env, &["rewrite", file, "--base-url", "not a url"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--base-url"), "{stderr}");
    // A page is published on the web: other schemes are refused, as `scan --base-url` does.
    for base in [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "ftp://x.example/",
    ] {
        let (code, _, stderr) = run(&env, &["rewrite", file, "--base-url", base]);
        assert_eq!(code, 2, "{base}: {stderr}");
        assert!(stderr.contains("only http and https"), "{base}: {stderr}");
    }
    let (code, _, stderr) = run(
        &env,
        &[
            "rewrite",
            file,
            "--base-url",
            ARTICLE,
            "--media-base",
            "javascript:alert(1)",
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    let (code, _, stderr) = run(
        &env,
        &["rewrite", file, "--base-url", ARTICLE, "--mode", "some"],
    );
    assert_eq!(code, 2, "{stderr}");
    let (code, help, _) = run(&env, &["rewrite", "--help"]);
    assert_eq!(code, 0);
    let help = String::from_utf8_lossy(&help);
    assert!(
        help.contains("--mode") && help.contains("--media-base"),
        "{help}"
    );
}

/// A page the rewrite cannot read is named in the error, and nothing is printed.
#[test]
fn a_page_in_a_charset_that_cannot_be_rewritten_is_named() {
    let env = TestEnv::new(routes(), "");
    let (code, _, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "{stderr}");
    let file = env.dir.path().join("utf16-article.html");
    let page = String::from_utf8_lossy(&fixture("local/article-four-platforms.html")).into_owned();
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(page.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&file, bytes).expect("write");
    let file = file.to_str().expect("path");
    let (code, out, stderr) = run(&env, &["rewrite", file, "--base-url", ARTICLE]);
    assert_eq!(code, 1, "{stderr}");
    assert!(out.is_empty());
    assert!(
        stderr.contains(&format!("{file}: ")) && stderr.contains("UTF-16"),
        "{stderr}"
    );
}

// --- `POST /v1/rewrite` against `embedkeep serve` ---

const PUBLIC: &str = "https://embeds.example.com";

/// The four-platform article archived, and a server over it whose cards take their images from
/// `PUBLIC`.
fn served() -> (TestEnv, server_process::Running) {
    let env = TestEnv::new(
        routes(),
        &format!("{}public_base_url = \"{PUBLIC}\"\n", server_process::LISTEN),
    );
    let (code, _, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "{stderr}");
    let server = server_process::Running::start(&env);
    (env, server)
}

/// `POST /v1/rewrite?QUERY` with `body` and the extra `headers`.
fn post_rewrite(
    server: &server_process::Running,
    query: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> server_process::Answer {
    server_process::request(
        &server.api,
        "POST",
        &format!("/v1/rewrite?{query}"),
        headers,
        body.to_vec(),
    )
}

fn base_query() -> String {
    format!("base_url={}", server_process::q(ARTICLE))
}

/// What `embedkeep rewrite` prints for the article in `mode`, with the config's media base.
fn cli_rewrite(env: &TestEnv, html: &[u8], mode: &str) -> Vec<u8> {
    let out = env
        .cmd()
        .args(["rewrite", "-", "--base-url", ARTICLE, "--mode", mode])
        .write_stdin(html.to_vec())
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn the_rewrite_route_answers_what_the_command_prints() {
    let (env, server) = served();
    let html = fixture("local/article-four-platforms.html");

    // Nothing is gone: the page comes back byte for byte, every real fixture page too,
    // whatever its charset (or broken bytes).
    let same = post_rewrite(
        &server,
        &base_query(),
        &[("Content-Type", "text/html; charset=utf-8")],
        &html,
    );
    assert_eq!(same.status, 200, "{}\n{}", same.text(), server.log());
    assert!(same.body == html, "the page changed with nothing gone");
    assert_eq!(same.header("x-embeds-found"), Some("7"));
    assert_eq!(same.header("x-embeds-replaced"), Some("0"));
    assert_eq!(same.header("x-embeds-complete"), Some("true"));
    assert_eq!(
        same.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    for (name, page) in pages() {
        let answer = post_rewrite(&server, &base_query(), &[], &page);
        assert_eq!(answer.status, 200, "{name}: {}", answer.text());
        assert!(answer.body == page, "{name} changed with nothing gone");
    }

    // One post gone: its embed becomes its card, exactly as the command does it.
    let (code, _, stderr) = env.json(&["pin", HARBOUR, "--gone"]);
    assert_eq!(code, 0, "{stderr}");
    let gone = post_rewrite(&server, &base_query(), &[], &html);
    assert_eq!(gone.status, 200, "{}", gone.text());
    assert_eq!(gone.header("x-embeds-replaced"), Some("1"));
    assert_eq!(gone.header("content-type"), Some("text/html"));
    assert!(gone.body == cli_rewrite(&env, &html, "gone"));
    // Only HTML's own type is answered back: the cards are HTML, not XHTML. The charset the
    // page was read in stays named.
    for (sent, answered) in [
        ("application/xhtml+xml", "text/html"),
        ("text/htmlx; charset=utf-8", "text/html; charset=UTF-8"),
    ] {
        let typed = post_rewrite(&server, &base_query(), &[("Content-Type", sent)], &html);
        assert_eq!(typed.status, 200, "{sent}: {}", typed.text());
        assert_eq!(typed.header("content-type"), Some(answered), "{sent}");
    }
    // Should a browser ever show the answer on the service's origin, it runs nothing.
    assert_eq!(gone.header("content-security-policy"), Some("sandbox"));
    assert_eq!(gone.header("x-content-type-options"), Some("nosniff"));
    // A body of a type any web page's form can post is refused, unread: a page elsewhere could
    // otherwise have this origin answer (and the browser show) markup of its choosing.
    for form in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "Text/Plain; charset=utf-8",
    ] {
        let refused = post_rewrite(&server, &base_query(), &[("Content-Type", form)], &html);
        assert_eq!(refused.status, 415, "{form}: {}", refused.text());
        assert!(refused.text().contains("text/html"), "{}", refused.text());
    }
    let page = String::from_utf8(gone.body.clone()).expect("utf-8");
    assert_eq!(page.matches("<figure class=\"ek-card").count(), 1);
    assert!(page.contains("The original post is no longer available."));
    assert!(page.contains(&format!("<img src=\"{PUBLIC}/v1/media/")));
    assert!(!page.contains("instagram.com/p/C8kQx2LtA1b/?utm_source"));
    // The oEmbed answer's card addresses its thumbnail under the public base URL too.
    let oembed = server_process::request(
        &server.api,
        "GET",
        &format!("/oembed?url={}", server_process::q(HARBOUR)),
        &[],
        Vec::new(),
    );
    assert_eq!(oembed.status, 200, "{}", oembed.text());
    let card = oembed.json()["html"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        card.contains(&format!("<img src=\"{PUBLIC}/v1/media/")),
        "{card}"
    );

    // The base URL in a header instead of the query: the same answer.
    let by_header = post_rewrite(&server, "mode=gone", &[("X-Base-URL", ARTICLE)], &html);
    assert_eq!(by_header.status, 200, "{}", by_header.text());
    assert!(by_header.body == gone.body);

    // Privacy mode: every archived post gets its card, and no platform script is left.
    let all = post_rewrite(&server, &format!("mode=all&{}", base_query()), &[], &html);
    assert_eq!(all.status, 200, "{}", all.text());
    assert_eq!(all.header("x-embeds-replaced"), Some("7"));
    assert!(all.body == cli_rewrite(&env, &html, "all"));
    let page = String::from_utf8(all.body).expect("utf-8");
    assert_eq!(page.matches("<figure class=\"ek-card").count(), 7);
    for left in ["embed.js", "widgets.js", "<iframe"] {
        assert!(!page.contains(left), "{left} left in {page}");
    }
    drop(server);
}

#[test]
fn the_rewrite_route_keeps_the_page_s_charset_and_refuses_what_it_cannot_read() {
    let (env, server) = served();
    let (code, _, stderr) = env.json(&["pin", HARBOUR, "--gone"]);
    assert_eq!(code, 0, "{stderr}");
    let embed = r#"<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/C8kQx2LtA1b/"><a href="https://www.instagram.com/p/C8kQx2LtA1b/">Пост</a></blockquote>"#;
    let text = format!(
        "<html><head><meta charset=\"windows-1251\"></head><body><p>Новости</p>{embed}<p>Конец</p></body></html>"
    );
    let page = encoding_rs::WINDOWS_1251.encode(&text).0.into_owned();
    let label = "text/html; charset=windows-1251";
    let answer = post_rewrite(&server, &base_query(), &[("Content-Type", label)], &page);
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.header("content-type"), Some(label));
    let (decoded, _, malformed) = encoding_rs::WINDOWS_1251.decode(&answer.body);
    assert!(!malformed);
    assert!(decoded.starts_with(
        "<html><head><meta charset=\"windows-1251\"></head><body><p>Новости</p><div class=\"ek-fallback\""
    ));
    assert!(decoded.ends_with("<p>Конец</p></body></html>"));
    assert!(decoded.contains("ek-card ek-instagram ek-gone"));
    let card_of = |page: &str| -> String {
        let start = page.find("<p>Новости</p>").expect("start") + "<p>Новости</p>".len();
        let end = page.find("<p>Конец</p>").expect("end");
        page[start..end].to_owned()
    };
    let card = card_of(&decoded);

    // Without a <meta>, the charset the page is sent with decides, as in a browser: the same
    // card in windows-1251.
    let bare = format!("<html><body><p>Новости</p>{embed}<p>Конец</p></body></html>");
    let bare = encoding_rs::WINDOWS_1251.encode(&bare).0.into_owned();
    let answer = post_rewrite(&server, &base_query(), &[("Content-Type", label)], &bare);
    assert_eq!(answer.status, 200, "{}", answer.text());
    let (decoded, _, malformed) = encoding_rs::WINDOWS_1251.decode(&answer.body);
    assert!(!malformed);
    assert_eq!(card_of(&decoded), card);
    // A page sent as UTF-16 cannot be rewritten whatever its bytes look like: 415, naming it.
    let doc = post_rewrite(
        &server,
        &base_query(),
        &[("Content-Type", "text/html; charset=\"UTF-16LE\"")],
        b"<p>a</p>",
    )
    .is_error(415, "unsupported-media-type");
    assert!(
        doc["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("UTF-16LE")),
        "{doc}"
    );

    // A compressed body is refused, naming its encoding, not rewritten as if it were HTML
    // with no embed in it.
    let gzip = [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03];
    for encoding in ["gzip", "identity, br"] {
        let doc = post_rewrite(
            &server,
            &base_query(),
            &[
                ("Content-Type", "text/html"),
                ("Content-Encoding", encoding),
            ],
            &gzip,
        )
        .is_error(415, "unsupported-media-type");
        assert!(
            doc["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("Content-Encoding") && !m.contains("identity")),
            "{doc}"
        );
    }
    let answer = post_rewrite(
        &server,
        &base_query(),
        &[("Content-Encoding", "identity")],
        b"<p>a</p>",
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
    // Compressed by its transfer coding, the body is refused the same way; chunked alone is
    // read.
    let doc = post_rewrite(
        &server,
        &base_query(),
        &[("Transfer-Encoding", "gzip, chunked")],
        b"8\r\n<p>a</p>\r\n0\r\n\r\n",
    )
    .is_error(415, "unsupported-media-type");
    assert!(
        doc["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("Transfer-Encoding: gzip")),
        "{doc}"
    );
    let answer = post_rewrite(
        &server,
        &base_query(),
        &[("Transfer-Encoding", "chunked")],
        b"8\r\n<p>a</p>\r\n0\r\n\r\n",
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.body, b"<p>a</p>");

    // Broken UTF-8 around the embed: the bytes that are not the embed come back as they were.
    let broken = [
        b"<p>\xff\xfe\xc3(</p>".as_slice(),
        embed.as_bytes(),
        b"<p>\xe2\x82</p>",
    ]
    .concat();
    let answer = post_rewrite(&server, &base_query(), &[], &broken);
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert!(
        answer
            .body
            .starts_with(b"<p>\xff\xfe\xc3(</p><div class=\"ek-fallback\"")
    );
    assert!(answer.body.ends_with(b"</figure></div><p>\xe2\x82</p>"));

    // A UTF-16 page cannot be streamed through unchanged around a card: 415, naming it.
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain("<p>a</p>".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let doc =
        post_rewrite(&server, &base_query(), &[], &utf16).is_error(415, "unsupported-media-type");
    assert!(
        doc["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("UTF-16LE")),
        "{doc}"
    );
    drop(server);
}

/// Regression: a page whose one tag is larger than the parser's memory limit (a 9 MB attribute)
/// came back unchanged from that tag on with "0 of 0" posts and nothing to say that the rest was
/// not read. The answer says so (`X-Embeds-Complete: false`), and so does the command.
#[test]
fn a_page_not_read_whole_says_so() {
    let (env, server) = served();
    let html = fixture("local/article-four-platforms.html");
    // 700,000 list items left open until their list closes: more than the parser's most (64
    // MiB, some 130 bytes an open element), in a page of 2.8 MB.
    let mut page = format!("<ul>{}</ul>", "<li>".repeat(700_000)).into_bytes();
    page.extend_from_slice(&html);
    let answer = post_rewrite(&server, &base_query(), &[], &page);
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.header("x-embeds-complete"), Some("false"));
    assert_eq!(answer.header("x-embeds-found"), Some("0"));
    assert!(answer.body == page, "the page is passed through as sent");
    let out = env
        .cmd()
        .args(["rewrite", "-", "--base-url", ARTICLE])
        .write_stdin(page.clone())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("was not read whole") && stderr.contains("64 MiB"),
        "{stderr}"
    );
    assert!(out.stdout == page);
}

#[test]
fn the_rewrite_route_refuses_bad_requests_and_bodies_over_its_limit() {
    let (_env, server) = served();
    let html = fixture("local/article-four-platforms.html");
    // No base URL, a relative one, another scheme, a header that is not a URL, a bad mode.
    let doc = post_rewrite(&server, "mode=gone", &[], &html).is_error(400, "bad-request");
    assert!(
        doc["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("base_url")),
        "{doc}"
    );
    post_rewrite(&server, "base_url=%2Fnews%2Fa.html", &[], &html).is_error(400, "bad-request");
    post_rewrite(
        &server,
        "base_url=ftp%3A%2F%2Fnews.example.com%2F",
        &[],
        &html,
    )
    .is_error(400, "bad-request");
    post_rewrite(&server, "", &[("X-Base-URL", "not a url")], &html).is_error(400, "bad-request");
    let doc = post_rewrite(&server, &format!("mode=some&{}", base_query()), &[], &html)
        .is_error(400, "bad-request");
    assert_eq!(doc["error"]["input"], "some");
    // Reading it needs no token, but it is a POST route only.
    let get = server_process::request(
        &server.api,
        "GET",
        &format!("/v1/rewrite?{}", base_query()),
        &[],
        Vec::new(),
    );
    get.is_error(405, "method-not-allowed");

    // 61 MiB: refused with 413, naming the limit; the server goes on answering.
    let mut big = b"<!doctype html><p>".to_vec();
    big.resize(61 << 20, b'a');
    let doc = post_rewrite(&server, &base_query(), &[], &big).is_error(413, "payload-too-large");
    let message = doc["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("60 MiB") && message.contains("62914560 bytes"),
        "{doc}"
    );
    let after = post_rewrite(&server, &base_query(), &[], &html);
    assert_eq!(after.status, 200, "{}\n{}", after.text(), server.log());
    // Just under the limit is read and rewritten.
    let mut under = html.clone();
    under.resize(60 << 20, b' ');
    let answer = post_rewrite(&server, &base_query(), &[], &under);
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert!(answer.body == under);
    drop(server);
}

#[test]
fn the_rewrite_route_returns_pages_without_gone_embeds_byte_for_byte() {
    let (_env, server) = served();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(128));
    runner
        .run(&html_ish(true), |html| {
            let answer = post_rewrite(&server, &base_query(), &[], &html);
            let utf16 = html.starts_with(&[0xff, 0xfe]) || html.starts_with(&[0xfe, 0xff]);
            if utf16 {
                prop_assert_eq!(answer.status, 415);
            } else {
                prop_assert_eq!(answer.status, 200);
                prop_assert_eq!(answer.body, html);
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}
