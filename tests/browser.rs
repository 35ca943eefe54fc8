//! The page script (`/fallback.js`) and the newsroom page (`/report`) in a real headless
//! Chromium. An article is archived by the real binary from the recorded platform answers, one
//! of its posts is made gone, `embedkeep serve` answers on loopback, and the article page,
//! served from another loopback origin, loads the script from the service the way a
//! publisher's page does. Assertions read the page's DOM after the script has run.

#[path = "support/browser.rs"]
mod browser;
mod server_process;
mod support;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use browser::{Browser, Page, PageServer, colour_census};
use serde_json::{Value, json};
use server_process::Running;
use support::{Reply, Routes, TestEnv, fixture};

const ARTICLE: &str = "https://news.example.com/2026/11/four-platforms.html";
const HARBOUR: &str = "https://www.instagram.com/p/C8kQx2LtA1b/";
const JACK: &str = "https://twitter.com/jack/status/20";
const JACK_SYNDICATION: &str =
    "https://cdn.syndication.twimg.com/tweet-result?id=20&lang=en&token=6dq1a2xwd93";
const LISTEN: &str = "[serve]\nlisten = \"127.0.0.1:0\"\nmetrics_listen = \"127.0.0.1:0\"\n";
/// Long enough for a loaded page's script to have asked the service and swapped its cards.
const SETTLE: Duration = Duration::from_secs(20);

/// Records every address the page fetches, as it asks it, in `window.__asked`.
const FETCH_RECORDER: &str = "<script>window.__asked = []; var f = window.fetch; \
window.fetch = function (u) { window.__asked.push(String(u)); return f.apply(this, arguments); };</script>";

/// The status requests the page made (`window.__asked`, [`FETCH_RECORDER`]).
const STATUS_ASKED: &str = "return window.__asked.filter(u => u.includes('/v1/posts/status?'));";

/// `now` ([`EMBEDS_NOW`]) holds one card, of a gone post at `url`, and the page threw nothing.
fn assert_one_gone_card(now: &Value, url: &str) {
    let cards = now["cards"].as_array().expect("cards");
    assert_eq!(cards.len(), 1, "{now:#}");
    assert!(
        cards[0]["url"].as_str().is_some_and(|u| u.starts_with(url)),
        "{now:#}"
    );
    assert_eq!(cards[0]["status"], "gone", "{now:#}");
    assert_eq!(now["errors"], json!([]), "{now:#}");
}

/// Records what the page throws: errors and unhandled promise rejections.
const ERROR_TRAP: &str = "<script>window.__errors = [];\
addEventListener('error', function (e) { __errors.push(String(e.message || e.type)); });\
addEventListener('unhandledrejection', function (e) { __errors.push('rejection: ' + e.reason); });\
</script>";

fn routes() -> Routes {
    let mut routes = Routes::from_manifest();
    routes.add(
        ARTICLE,
        Reply::html(fixture("local/article-four-platforms.html")),
    );
    routes
}

/// The four-platform article archived by the CLI from `routes`, with `gone` pinned gone.
fn archived(routes: Routes, gone: &[&str]) -> TestEnv {
    let env = TestEnv::new(routes, LISTEN);
    let (code, _, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "{stderr}");
    for url in gone {
        let (code, _, stderr) = env.json(&["pin", url, "--gone"]);
        assert_eq!(code, 0, "{stderr}");
    }
    env
}

/// The article page as a publisher serves it: the error trap first in `<head>`, and `script`
/// (the fallback script's tag) last in `<body>`.
fn article_page(script: &str) -> Vec<u8> {
    let html = String::from_utf8(fixture("local/article-four-platforms.html")).expect("utf-8");
    html.replacen("</title>", &format!("</title>\n{ERROR_TRAP}"), 1)
        .replacen("</body>", &format!("{script}\n</body>"), 1)
        .into_bytes()
}

/// Where screenshots are kept after the test: `target/browser-screenshots/`.
fn screenshot_path(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir.join(name)
}

/// What the page's embeds look like now: per form, the post URLs still there.
const EMBEDS_NOW: &str = "return {\
  instagram: [].map.call(document.querySelectorAll('blockquote.instagram-media'), function (b) { return b.getAttribute('data-instgrm-permalink'); }),\
  x: document.querySelectorAll('blockquote.twitter-tweet').length,\
  tiktok: document.querySelectorAll('blockquote.tiktok-embed').length,\
  youtube: document.querySelectorAll('iframe[src*=\"youtube.com/embed\"]').length,\
  cards: [].map.call(document.querySelectorAll('.ek-fallback'), function (c) { return {url: c.getAttribute('data-ek-url'), status: c.getAttribute('data-ek-status'), text: c.textContent, gone: !!c.querySelector('figure.ek-card.ek-gone'), style: !!c.querySelector('style'), img: (c.querySelector('img') || {}).src || null}; }),\
  errors: window.__errors,\
  title: document.title,\
  pwned: window.__pwned === undefined ? null : String(window.__pwned)\
};";

/// A page server that serves `fallback.js` from the source tree (no service: tests point it
/// at addresses of the page server's own), and the script's address there.
fn pages_with_the_script() -> (PageServer, String) {
    let script =
        std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/serve/fallback.js"))
            .expect("fallback.js");
    let pages = PageServer::start();
    let script_url = pages.add(
        "/static/fallback.js",
        Page::Fixed("text/javascript", script),
    );
    (pages, script_url)
}

/// [`EMBEDS_NOW`] of the article page `html`, served by `pages` at the article's path, once the
/// fallback script has put a card in it.
/// The article page with HARBOUR's post archived gone, loaded with the script of a service over
/// that archive: `script` writes the tag from the service's base URL, `page` edits the page
/// around it. What [`EMBEDS_NOW`] says once the card is in.
fn harbour_gone_page(
    browser: &Browser,
    script: impl FnOnce(&str) -> String,
    page: impl FnOnce(String) -> String,
) -> Value {
    let env = archived(routes(), &[HARBOUR]);
    let service = Running::start(&env);
    let pages = PageServer::start();
    let html = String::from_utf8(article_page(&script(&service.base()))).expect("utf-8");
    embeds_once_carded(browser, &pages, page(html).into_bytes())
}

/// The classic tag of the script at `base`, loaded `async`.
fn async_tag(base: &str) -> String {
    format!(r#"<script src="{base}/fallback.js" async></script>"#)
}

fn embeds_once_carded(browser: &Browser, pages: &PageServer, html: Vec<u8>) -> Value {
    let page = pages.add(
        "/2026/11/four-platforms.html",
        Page::Fixed("text/html; charset=utf-8", html),
    );
    browser.goto(&page);
    browser.wait_for(
        "document.querySelectorAll('.ek-fallback').length > 0",
        SETTLE,
    );
    browser.eval(EMBEDS_NOW, &[])
}

/// A page that loads the script as a module (which has no `document.currentScript`) gets its
/// cards as one that loads it as a classic script.
#[test]
fn the_script_loaded_as_a_module_finds_its_tag() {
    let Some(browser) = Browser::start("the_script_loaded_as_a_module_finds_its_tag") else {
        return;
    };
    let now = harbour_gone_page(
        &browser,
        |base| format!(r#"<script type="module" src="{base}/fallback.js?v=1"></script>"#),
        |html| html,
    );
    let cards = now["cards"].as_array().map(Vec::len);
    assert_eq!(cards, Some(1), "{now:#}");
    assert_eq!(now["cards"][0]["status"], "gone", "{now:#}");
    assert_eq!(now["errors"], json!([]), "{now:#}");
}

#[test]
fn a_gone_embed_becomes_its_card_and_live_ones_are_left_alone() {
    let Some(browser) =
        Browser::start("a_gone_embed_becomes_its_card_and_live_ones_are_left_alone")
    else {
        return;
    };
    let env = archived(routes(), &[HARBOUR]);
    let service = Running::start(&env);
    let pages = PageServer::start();
    let now = embeds_once_carded(
        &browser,
        &pages,
        article_page(&format!(
            r#"<script src="{}/fallback.js" async></script>"#,
            service.base()
        )),
    );
    let cards = now["cards"].as_array().expect("cards");
    assert_eq!(cards.len(), 1, "{now:#}");
    let card = &cards[0];
    assert!(
        card["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://www.instagram.com/p/C8kQx2LtA1b/")),
        "{card}"
    );
    assert_eq!(card["status"], "gone");
    assert_eq!(card["gone"], true, "{card}");
    assert_eq!(card["style"], true, "the card's scoped stylesheet: {card}");
    let text = card["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("The original post is no longer available."),
        "{text}"
    );
    assert!(text.contains("Harbour Desk"), "{text}");
    // The card's thumbnail is the service's media route, not a path on the article's site.
    let img = card["img"].as_str().unwrap_or_default();
    assert!(
        img.starts_with(&format!("{}/v1/media/", service.base())),
        "{img}"
    );
    // The gone embed is gone; every live one is still the platform's markup.
    let instagram: Vec<&str> = now["instagram"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(instagram.len(), 2, "{now:#}");
    assert!(
        instagram.iter().all(|p| !p.contains("C8kQx2LtA1b")),
        "{instagram:?}"
    );
    assert_eq!(
        (&now["x"], &now["tiktok"], &now["youtube"]),
        (&json!(2), &json!(1), &json!(1)),
        "{now:#}"
    );
    assert_eq!(now["errors"], json!([]), "{now:#}");
    // The thumbnail loaded across origins (CORS and media route).
    browser.wait_for(
        "(function () { var i = document.querySelector('.ek-fallback img'); return i && i.complete && i.naturalWidth > 0; })()",
        SETTLE,
    );
    let png = browser.screenshot(&screenshot_path("article-with-card.png"));
    let (colours, inked) = colour_census(&png);
    assert!(
        colours > 16 && inked > 1000,
        "blank-looking screenshot: {colours} colours, {inked} non-white pixels"
    );
}

/// A tag in `<head>`, which runs before the body is parsed (a plain tag there, or an async one
/// that arrives first): the script waits for the page, then swaps the gone embed.
#[test]
fn a_script_tag_in_the_head_waits_for_the_page() {
    let Some(browser) = Browser::start("a_script_tag_in_the_head_waits_for_the_page") else {
        return;
    };
    let env = archived(routes(), &[HARBOUR]);
    let service = Running::start(&env);
    let pages = PageServer::start();
    let html = String::from_utf8(article_page(""))
        .expect("utf-8")
        .replacen(
            "</title>",
            &format!(
                r#"</title><script src="{}/fallback.js"></script>"#,
                service.base()
            ),
            1,
        );
    let now = embeds_once_carded(&browser, &pages, html.into_bytes());
    let cards = now["cards"].as_array().expect("cards");
    assert_eq!(cards.len(), 1, "{now:#}");
    assert_eq!(cards[0]["status"], "gone", "{now:#}");
    assert_eq!(now["errors"], json!([]), "{now:#}");
}

/// A page under a strict Content-Security-Policy, as the README advises it: no inline styles
/// but the card's stylesheet by its hash, and Trusted Types enforced with the script's policy
/// allowed. The card is put in place and styled.
#[test]
fn a_page_under_a_strict_content_security_policy_gets_its_styled_card() {
    let Some(browser) =
        Browser::start("a_page_under_a_strict_content_security_policy_gets_its_styled_card")
    else {
        return;
    };
    let env = archived(routes(), &[HARBOUR]);
    let service = Running::start(&env);
    let pages = PageServer::start();
    let readme = include_str!("../README.md");
    let hash = readme
        .split("style-src 'self' ")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .expect("the README's policy names the stylesheet's hash");
    let origin = service.base();
    let policy = format!(
        "default-src 'none'; script-src 'unsafe-inline' {origin}; connect-src {origin}; \
         img-src {origin}; style-src 'self' {hash}; \
         require-trusted-types-for 'script'; trusted-types embedkeep"
    );
    let html = String::from_utf8(article_page(&format!(
        r#"<script src="{origin}/fallback.js" async></script>"#
    )))
    .expect("utf-8")
    .replacen(
        "<head>",
        &format!(r#"<head><meta http-equiv="Content-Security-Policy" content="{policy}">"#),
        1,
    );
    let now = embeds_once_carded(&browser, &pages, html.into_bytes());
    let cards = now["cards"].as_array().expect("cards");
    assert_eq!(cards.len(), 1, "{now:#}");
    assert_eq!(cards[0]["gone"], true, "{now:#}");
    let radius = browser.eval(
        "return getComputedStyle(document.querySelector('.ek-fallback figure.ek-card')).borderTopLeftRadius;",
        &[],
    );
    assert_eq!(
        radius,
        json!("12px"),
        "the card's stylesheet applies: {now:#}"
    );
    assert_eq!(now["errors"], json!([]), "{now:#}");
}

#[test]
fn an_archived_embed_its_platform_never_draws_is_swapped_after_the_delay() {
    let Some(browser) = Browser::start("an_archived_embed_its_platform_never_draws") else {
        return;
    };
    let env = archived(routes(), &[]);
    let service = Running::start(&env);
    let pages = PageServer::start();
    // One more embed the archive has never seen: it has no card, so it stays.
    let unknown = r#"<blockquote class="twitter-tweet"><p>not archived</p>&mdash; N (@n) <a href="https://twitter.com/n/status/1234567890">May 1, 2020</a></blockquote>"#;
    let script = format!(
        r#"{unknown}<script src="{}/fallback.js" data-unrendered-after="1" async></script>"#,
        service.base()
    );
    let page = pages.add(
        "/unrendered.html",
        Page::Fixed("text/html", article_page(&script)),
    );
    browser.goto(&page);
    // Seven archived posts; the platform scripts cannot load here, so none is ever drawn.
    browser.wait_for(
        "document.querySelectorAll('.ek-fallback').length >= 6",
        SETTLE,
    );
    let now = browser.eval(EMBEDS_NOW, &[]);
    let cards = now["cards"].as_array().expect("cards");
    let urls: Vec<&str> = cards.iter().filter_map(|c| c["url"].as_str()).collect();
    assert!(
        urls.iter().any(|u| u.starts_with(JACK)),
        "the live X post was not swapped: {urls:?}"
    );
    assert!(
        cards
            .iter()
            .all(|c| c["status"] != "gone" && c["gone"] == false),
        "{now:#}"
    );
    // The iframe player draws itself and the unknown post has no card: both stay.
    assert_eq!(now["youtube"], 1, "{now:#}");
    assert_eq!(now["x"], 1, "{now:#}");
    assert!(!urls.iter().any(|u| u.contains("1234567890")), "{urls:?}");
    assert_eq!(now["errors"], json!([]), "{now:#}");
}

/// X's widgets.js drew the embed before the fallback script ran: the blockquote is gone, and
/// in its place a rendered container holds X's iframe, which names the post only by its
/// `data-tweet-id` until its address is set. A gone post's frame still becomes its card.
#[test]
fn a_gone_post_its_platform_drew_first_becomes_its_card() {
    let Some(browser) = Browser::start("a_gone_post_its_platform_drew_first_becomes_its_card")
    else {
        return;
    };
    let env = archived(routes(), &[JACK]);
    let service = Running::start(&env);
    let pages = PageServer::start();
    // What widgets.js leaves: `div.twitter-tweet-rendered > iframe#twitter-widget-0`.
    let drawn = r#"<script>[].forEach.call(document.querySelectorAll('blockquote.twitter-tweet'), function (bq) {
  var d = document.createElement('div'); d.className = 'twitter-tweet twitter-tweet-rendered';
  var links = bq.querySelectorAll('a[href*="/status/"]'), last = links[links.length - 1];
  var f = document.createElement('iframe'); f.title = 'X Post';
  f.setAttribute('data-tweet-id', /\/status\/(\d+)/.exec(last.href)[1]);
  d.appendChild(f); bq.parentNode.replaceChild(d, bq);
});</script>"#;
    let now = embeds_once_carded(
        &browser,
        &pages,
        article_page(&format!(
            r#"{drawn}<script src="{}/fallback.js" async></script>"#,
            service.base()
        )),
    );
    let cards = now["cards"].as_array().expect("cards");
    assert_eq!(cards.len(), 1, "{now:#}");
    assert_eq!(cards[0]["status"], "gone", "{now:#}");
    assert_eq!(cards[0]["url"], "https://x.com/i/status/20", "{now:#}");
    assert!(
        cards[0]["text"]
            .as_str()
            .is_some_and(|t| t.contains("just setting up my twttr")),
        "{now:#}"
    );
    assert_eq!(now["x"], 0, "{now:#}");
    assert_eq!(now["errors"], json!([]), "{now:#}");
}

/// Facebook's older XFBML code, `<fb:post href=…>`: a gone post's element becomes its card.
#[test]
fn a_gone_xfbml_post_becomes_its_card() {
    const FB_ARTICLE: &str = "https://news.example.com/2014/10/malta.html";
    const FB_POST: &str = "https://www.facebook.com/maltadaily.mt/posts/1485418313406667";
    let Some(browser) = Browser::start("a_gone_xfbml_post_becomes_its_card") else {
        return;
    };
    let body = format!(
        "<html><head><title>Malta</title>{ERROR_TRAP}</head><body><p>Before.</p>\
         <div id=\"fb-root\"></div>\
         <fb:post href=\"{FB_POST}\" data-width=\"500\"></fb:post><p>After.</p>"
    );
    let plugin = url::Url::parse_with_params(
        "https://www.facebook.com/plugins/post.php",
        [("href", FB_POST), ("locale", "en_US")],
    )
    .expect("plugin url");
    let mut routes = Routes::from_manifest();
    routes.add(FB_ARTICLE, Reply::html(format!("{body}</body></html>")));
    routes.add(
        plugin.as_str(),
        Reply::with_type(
            200,
            "text/html; charset=\"utf-8\"",
            fixture("samples/facebook/plugin-post-maltadaily-1485418313406667.html"),
        ),
    );
    let env = TestEnv::new(routes, LISTEN);
    let (_, doc, stderr) = env.json(&["archive", FB_ARTICLE]);
    let embed = &doc["articles"][0]["embeds"][0];
    assert_eq!(embed["evidence"], "fb:post", "{stderr}\n{doc:#}");
    assert_eq!(embed["status"], "live", "{stderr}\n{doc:#}");
    let (code, _, stderr) = env.json(&["pin", FB_POST, "--gone"]);
    assert_eq!(code, 0, "{stderr}");
    let service = Running::start(&env);
    let pages = PageServer::start();
    let page = pages.add(
        "/2014/10/design.html",
        Page::Fixed(
            "text/html; charset=utf-8",
            format!(
                r#"{body}<script src="{}/fallback.js" async></script></body></html>"#,
                service.base()
            )
            .into_bytes(),
        ),
    );
    browser.goto(&page);
    browser.wait_for(
        "document.querySelectorAll('.ek-fallback').length > 0",
        SETTLE,
    );
    let now = browser.eval(
        "return {\
          xfbml: document.getElementsByTagName('fb:post').length,\
          card: [].map.call(document.querySelectorAll('.ek-fallback'), function (c) { return {url: c.getAttribute('data-ek-url'), status: c.getAttribute('data-ek-status'), text: c.textContent}; }),\
          errors: window.__errors\
        };",
        &[],
    );
    assert_eq!(now["xfbml"], 0, "{now:#}");
    assert_eq!(now["card"][0]["url"], FB_POST, "{now:#}");
    assert_eq!(now["card"][0]["status"], "gone", "{now:#}");
    assert!(
        now["card"][0]["text"]
            .as_str()
            .is_some_and(|t| t.contains("Malta Daily")),
        "{now:#}"
    );
    assert_eq!(now["errors"], json!([]), "{now:#}");
}

/// Hostile text in every field X's answer gives: each payload would set `window.__pwned` or the
/// page title if it ever ran.
fn hostile_jack(body: Vec<u8>) -> Vec<u8> {
    let mut v: Value = serde_json::from_slice(&body).expect("recorded JSON");
    v["user"]["name"] =
        json!(r#"<img src=x onerror="window.__pwned='name';document.title='pwned'">"#);
    v["user"]["screen_name"] = json!(
        r#"jack"><svg onload="window.__pwned='handle'"><a href="javascript:window.__pwned='handle-link'">"#
    );
    v["text"] = json!(
        "</script><script>window.__pwned='text'</script> \
         <img src=x onerror=\"window.__pwned='img'\"> javascript:window.__pwned='js-url' \
         https://example.com/\"onmouseover=\"window.__pwned='href' \
         @jack\"><b onclick=\"window.__pwned='mention'\">x</b> #tag\"><iframe srcdoc=\"<script>parent.__pwned='tag'</script>\">"
    );
    serde_json::to_vec(&v).expect("JSON")
}

#[test]
fn a_card_with_hostile_text_runs_nothing_and_shows_the_text() {
    let Some(browser) = Browser::start("a_card_with_hostile_text_runs_nothing") else {
        return;
    };
    let mut routes = routes();
    routes.edit_body(JACK_SYNDICATION, hostile_jack);
    let env = archived(routes, &[JACK]);
    // The archive holds the hostile fields as the platform said them.
    let (code, shown, stderr) = env.json(&["show", JACK]);
    assert_eq!(code, 0, "{stderr}");
    let snapshot = &shown["snapshots"][0];
    assert!(
        snapshot["author_name"]
            .as_str()
            .is_some_and(|n| n.contains("onerror")),
        "{shown:#}"
    );
    let service = Running::start(&env);
    let pages = PageServer::start();
    let page = pages.add(
        "/hostile.html",
        Page::Fixed(
            "text/html",
            article_page(&format!(
                r#"<script src="{}/fallback.js"></script>"#,
                service.base()
            )),
        ),
    );
    browser.goto(&page);
    browser.wait_for(
        "document.querySelectorAll('.ek-fallback').length > 0",
        SETTLE,
    );
    // Give any payload's image error, load or timer a moment to fire if it could.
    browser.wait_for(
        "(function () { var i = document.querySelectorAll('.ek-fallback img'); return [].every.call(i, function (x) { return x.complete; }); })()",
        SETTLE,
    );
    std::thread::sleep(Duration::from_millis(500));
    let now = browser.eval(EMBEDS_NOW, &[]);
    assert_eq!(now["pwned"], Value::Null, "a payload ran: {now:#}");
    assert_eq!(
        now["title"],
        "Four platforms, one page | The Example Gazette"
    );
    assert_eq!(now["errors"], json!([]), "{now:#}");
    let card = &now["cards"][0];
    assert!(
        card["url"].as_str().is_some_and(|u| u.starts_with(JACK)),
        "{card}"
    );
    let text = card["text"].as_str().unwrap_or_default();
    for literal in [
        r#"<img src=x onerror="window.__pwned='name';document.title='pwned'">"#,
        "</script><script>window.__pwned='text'</script>",
        "javascript:window.__pwned='js-url'",
    ] {
        assert!(text.contains(literal), "{literal:?} not shown in {text:?}");
    }
    // Nothing active in the card: no script, frame, handler attribute or javascript: address.
    let active = browser.eval(
        "var c = document.querySelector('.ek-fallback'), bad = [];\
         c.querySelectorAll('*').forEach(function (e) {\
           if (/^(script|iframe|svg|object|embed)$/i.test(e.localName)) bad.push(e.localName);\
           [].forEach.call(e.attributes, function (a) {\
             if (/^on/i.test(a.name) || /^\\s*javascript:/i.test(a.value)) bad.push(e.localName + ' ' + a.name + '=' + a.value);\
           });\
         });\
         return bad;",
        &[],
    );
    assert_eq!(active, json!([]), "{active}");
    browser.eval(
        "document.querySelector('.ek-fallback').scrollIntoView({block: 'center'});",
        &[],
    );
    let png = browser.screenshot(&screenshot_path("hostile-card.png"));
    let (colours, inked) = colour_census(&png);
    assert!(
        colours > 16 && inked > 1000,
        "{colours} colours, {inked} inked"
    );
}

#[test]
fn a_down_slow_or_garbled_service_leaves_the_page_alone() {
    let Some(browser) = Browser::start("a_down_slow_or_garbled_service_leaves_the_page_alone")
    else {
        return;
    };
    let (pages, script_url) = pages_with_the_script();
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr")
    };
    let garbage = pages.add(
        "/garbage/v1/posts/status",
        Page::Fixed("application/json", b"{\"posts\": [{\"url\": 7".to_vec()),
    );
    let wrong = pages.add(
        "/wrong/v1/posts/status",
        Page::Fixed(
            "application/json",
            br#"{"posts": [{"url": "https://www.instagram.com/p/C8kQx2LtA1b/?utm_source=ig_embed&utm_campaign=loading", "status": "gone", "card_url": "javascript:window.__pwned=1"}]}"#.to_vec(),
        ),
    );
    pages.add("/slow/v1/posts/status", Page::Slow(Duration::from_secs(30)));
    let services = [
        ("down", format!("http://{closed}/"), ""),
        ("garbage", garbage.replace("v1/posts/status", ""), ""),
        ("wrong", wrong.replace("v1/posts/status", ""), ""),
        (
            "slow",
            format!("http://{}/slow/", pages.addr),
            r#" data-timeout="1""#,
        ),
    ];
    for (name, service, extra) in services {
        let tag =
            format!(r#"<script src="{script_url}" data-service="{service}"{extra}></script>"#);
        let page = pages.add(
            &format!("/{name}.html"),
            Page::Fixed("text/html", article_page(&tag)),
        );
        let original = {
            browser.goto(&page);
            browser.eval("return document.body.innerHTML;", &[])
        };
        // Wait until the script has asked (a closed port logs nothing), then past its deadline.
        if name != "down" {
            let deadline = Instant::now() + SETTLE;
            while !pages
                .requests()
                .iter()
                .any(|r| r.starts_with(&format!("/{name}/v1/posts/status?url=")))
            {
                assert!(Instant::now() < deadline, "{name}: the script never asked");
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        std::thread::sleep(Duration::from_millis(2500));
        let now = browser.eval(EMBEDS_NOW, &[]);
        assert_eq!(now["cards"], json!([]), "{name}: {now:#}");
        assert_eq!(now["errors"], json!([]), "{name}: {now:#}");
        assert_eq!(now["pwned"], Value::Null, "{name}: {now:#}");
        let body = browser.eval("return document.body.innerHTML;", &[]);
        assert_eq!(body, original, "{name}: the page changed");
    }
}

const GONE_ARTICLE: &str = "https://news.example.com/world/gone.html";

/// One GET on loopback: (status, headers, body).
fn http_get(url: &str, headers: &[(&str, &str)]) -> (u16, reqwest::header::HeaderMap, String) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("client");
        let mut request = client.get(url);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.text().await.unwrap_or_default();
        (status, headers, body)
    })
}

/// Both articles archived: the four-platform one (section `2026`) with the Harbour Desk post
/// pinned gone, and one in section `world` whose posts answered gone once (suspect).
fn newsroom_archive() -> TestEnv {
    let mut routes = routes();
    routes.add(
        GONE_ARTICLE,
        Reply::html(fixture("local/article-gone-and-transient.html")),
    );
    let env = archived(routes, &[]);
    // The login-walled post fails softly (exit 1); everything else is stored.
    let (code, _, stderr) = env.json(&["archive", GONE_ARTICLE]);
    assert_eq!(code, 1, "{stderr}");
    let (code, _, stderr) = env.json(&["pin", HARBOUR, "--gone"]);
    assert_eq!(code, 0, "{stderr}");
    env
}

fn json_of(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

#[test]
fn the_status_route_and_the_report_downloads_answer_over_http() {
    let env = newsroom_archive();
    let service = Running::start(&env);
    let base = &service.base();

    // Status: any URL form, in the order asked, with where the card is.
    let harbour_embed =
        "https://www.instagram.com/p/C8kQx2LtA1b/?utm_source=ig_embed&utm_campaign=loading";
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    for u in [
        harbour_embed,
        "https://twitter.com/jack/status/20?ref_src=twsrc%5Etfw",
        "https://x.com/nobody/status/1",
    ] {
        q.append_pair("url", u);
    }
    let (status, headers, body) = http_get(
        &format!("{base}/v1/posts/status?{}", q.finish()),
        &[("origin", "https://news.example.com")],
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(headers["access-control-allow-origin"], "*");
    let doc = json_of(&body);
    let posts = doc["posts"].as_array().expect("posts");
    assert_eq!(posts.len(), 3, "{doc:#}");
    assert_eq!(posts[0]["url"], harbour_embed);
    assert_eq!(posts[0]["status"], "gone");
    assert_eq!(posts[0]["archived"], true);
    let id = posts[0]["id"].as_i64().expect("id");
    assert_eq!(posts[0]["card_url"], format!("/v1/posts/{id}/card"));
    assert_eq!(posts[1]["status"], "live");
    assert_eq!(posts[2]["status"], "not-archived");
    assert!(posts[2]["id"].is_null() && posts[2]["card_url"].is_null());
    // The card it names is the card route's.
    let (status, _, card) = http_get(&format!("{base}/v1/posts/{id}/card"), &[]);
    assert_eq!(status, 200);
    assert!(card.contains("The original post is no longer available."));

    // Bad batches are refused with the JSON error document.
    let too_many = vec!["url=https%3A%2F%2Fx.com%2Fa%2Fstatus%2F1"; 51].join("&");
    for query in [String::new(), too_many, "url=a&status=gone".to_owned()] {
        let (status, _, body) = http_get(&format!("{base}/v1/posts/status?{query}"), &[]);
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(json_of(&body)["error"]["kind"], "bad-request");
    }

    // The script: JavaScript, cacheable, any origin, a validator.
    let (status, headers, script) = http_get(
        &format!("{base}/fallback.js"),
        &[("origin", "https://news.example.com")],
    );
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "text/javascript; charset=utf-8");
    assert_eq!(headers["access-control-allow-origin"], "*");
    assert!(script.len() < 10 * 1024 && script.contains("v1/posts/status"));
    let etag = headers["etag"].to_str().expect("etag").to_owned();
    let (status, _, _) = http_get(&format!("{base}/fallback.js"), &[("if-none-match", &etag)]);
    assert_eq!(status, 304);

    // The report's rows as JSON and CSV, filtered like the page.
    let (status, _, body) = http_get(&format!("{base}/report.json"), &[]);
    assert_eq!(status, 200, "{body}");
    let all = json_of(&body);
    let rows = all["rows"].as_array().expect("rows");
    let statuses: Vec<&str> = rows.iter().filter_map(|r| r["status"].as_str()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == "gone").count(),
        1,
        "{all:#}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == "suspect").count(),
        4,
        "{all:#}"
    );
    assert_eq!(all["more"], false);

    let (_, _, body) = http_get(&format!("{base}/report.json?status=gone"), &[]);
    let gone = json_of(&body);
    assert_eq!(gone["rows"].as_array().map(Vec::len), Some(1), "{gone:#}");
    let row = &gone["rows"][0];
    assert_eq!(row["article_url"], ARTICLE);
    assert_eq!(row["section"], "2026");
    assert_eq!(row["post_url"], HARBOUR);
    assert_eq!(row["author_name"], "Harbour Desk");
    assert!(row["since"].is_string(), "{row}");
    assert_eq!(row["card_url"], format!("/v1/posts/{id}/card"));

    let (_, _, body) = http_get(
        &format!("{base}/report?format=json&section=world&platform=x"),
        &[],
    );
    let x = json_of(&body);
    assert_eq!(x["rows"].as_array().map(Vec::len), Some(1), "{x:#}");
    assert_eq!(x["rows"][0]["article_url"], GONE_ARTICLE);
    assert_eq!(x["rows"][0]["status"], "suspect");

    let (status, headers, csv) = http_get(&format!("{base}/report.csv?section=world"), &[]);
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    assert!(
        headers["content-disposition"]
            .to_str()
            .is_ok_and(|d| d.contains("attachment"))
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "article_url,article_title,section,platform,post_url,id,status,since,author_name,author_handle,card_url"
    );
    assert_eq!(lines.len(), 5, "{csv}");
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.starts_with(GONE_ARTICLE) && l.contains(",suspect,")),
        "{csv}"
    );

    let (_, _, body) = http_get(&format!("{base}/report.json?from=2999-01-01"), &[]);
    assert_eq!(json_of(&body)["rows"], json!([]));
    for bad in [
        "status=dead",
        "platform=myspace",
        "from=yesterday",
        "format=xml",
        "colour=red",
    ] {
        let (status, _, body) = http_get(&format!("{base}/report?{bad}"), &[]);
        assert_eq!(status, 400, "{bad}: {body}");
        assert_eq!(json_of(&body)["error"]["kind"], "bad-request", "{bad}");
    }
}

#[test]
fn the_report_page_renders_filters_without_javascript_and_looks_like_something() {
    let Some(browser) = Browser::start("the_report_page_renders_filters_without_javascript") else {
        return;
    };
    let env = newsroom_archive();
    let service = Running::start(&env);
    let rows_now = "return [].map.call(document.querySelectorAll('tbody tr'), function (tr) {\
        var cells = tr.querySelectorAll('td');\
        return {article: cells[0].querySelector('a').getAttribute('href'), section: cells[1].textContent,\
                status: cells[3].textContent.trim(), card: !!cells[5].querySelector('figure.ek-card')};\
    });";
    browser.goto(&format!("{}/report", service.base()));
    let rows = browser.eval(rows_now, &[]);
    let rows = rows.as_array().expect("rows");
    assert_eq!(rows.len(), 5, "{rows:?}");
    // Newest status change first: the pin came after the suspect answers.
    assert_eq!(rows[0]["status"], "gone", "{rows:?}");
    assert_eq!(rows[0]["article"], ARTICLE);
    assert!(rows.iter().all(|r| r["card"] == true), "{rows:?}");
    let heading = browser.eval("return document.querySelector('h1').textContent;", &[]);
    assert_eq!(heading, "Embeds readers can no longer see");
    // Every column fits the window: nothing to scroll sideways to find the cards.
    let widths = browser.eval(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];",
        &[],
    );
    let past_the_edge = browser.eval(
        "var out = [], edge = document.documentElement.clientWidth;\
         document.querySelectorAll('body *').forEach(function (e) {\
           var r = e.getBoundingClientRect();\
           if (r.right > edge) out.push(e.localName + '.' + e.className + ' ends at ' + Math.round(r.right));\
         });\
         return out.slice(0, 10);",
        &[],
    );
    assert!(
        widths[0].as_u64() <= widths[1].as_u64(),
        "the page is wider than the window ({widths}): {past_the_edge}"
    );
    browser.eval("window.scrollTo(0, 0);", &[]);
    let png = browser.screenshot(&screenshot_path("report.png"));
    let (colours, inked) = colour_census(&png);
    assert!(
        colours > 16 && inked > 1000,
        "blank-looking report: {colours} colours, {inked} non-white pixels"
    );

    // The form is a plain GET form: choosing a status and submitting reloads with the filter.
    browser.eval(
        "document.querySelector('select[name=status]').value = 'gone';\
         document.querySelector('form button[type=submit]').click();",
        &[],
    );
    browser.wait_for(
        "location.search.indexOf('status=gone') >= 0 && document.readyState === 'complete'",
        SETTLE,
    );
    let rows = browser.eval(rows_now, &[]);
    assert_eq!(rows.as_array().map(Vec::len), Some(1), "{rows}");
    assert_eq!(rows[0]["section"], "2026");
    let kept = browser.eval(
        "return document.querySelector('select[name=status]').value;",
        &[],
    );
    assert_eq!(kept, "gone", "the form shows the filter it applied");
    let csv = browser.eval(
        "return document.querySelector('a[href*=\"report.csv\"]').getAttribute('href');",
        &[],
    );
    assert_eq!(csv, "/report.csv?status=gone");

    browser.goto(&format!("{}/report?section=world", service.base()));
    let rows = browser.eval(rows_now, &[]);
    let rows = rows.as_array().expect("rows");
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert!(
        rows.iter()
            .all(|r| r["section"] == "world" && r["status"] == "suspect")
    );

    browser.goto(&format!("{}/report?from=2999-01-01", service.base()));
    let empty = browser.eval(
        "return document.querySelector('.empty') && document.querySelector('.empty').textContent;",
        &[],
    );
    assert_eq!(empty, "No embedded posts match these filters.");
}

#[test]
fn a_card_from_a_hostile_service_is_stripped_of_anything_active() {
    let Some(browser) = Browser::start("a_card_from_a_hostile_service_is_stripped") else {
        return;
    };
    let (pages, script_url) = pages_with_the_script();
    // A service that says the Harbour Desk post is gone and answers a card full of traps.
    pages.add(
        "/evil/v1/posts/status",
        Page::Fixed(
            "application/json",
            br#"{"posts": [{"url": "https://www.instagram.com/p/C8kQx2LtA1b/?utm_source=ig_embed&utm_campaign=loading", "id": 1, "status": "gone", "archived": true, "card_url": "/evil/card"}]}"#.to_vec(),
        ),
    );
    pages.add(
        "/evil/card",
        Page::Fixed(
            "text/html; charset=utf-8",
            br#"<style>.ek-card{border:2px solid #c00;padding:8px}</style>
<figure class="ek-card" onmouseover="window.__pwned='figure'">
<img src="x" onerror="window.__pwned='onerror'"><img src="/v1/media/abc" alt="kept">
<script>window.__pwned='script'</script>
<a href="javascript:window.__pwned='href'" id="js">javascript link</a>
<a href=" JaVaScRiPt:window.__pwned='spaced'" id="spaced">spaced</a>
<a href="https://www.instagram.com/harbourdesk/" id="web">web link</a>
<iframe src="javascript:parent.__pwned='iframe'"></iframe>
<svg onload="window.__pwned='svg'"><script>window.__pwned='svg-script'</script></svg>
<form action="javascript:window.__pwned='form'"><button>go</button></form>
<object data="javascript:window.__pwned='object'"></object>
<p>Text stays.</p></figure>"#
                .to_vec(),
        ),
    );
    let tag = format!(
        r#"<script src="{script_url}" data-service="http://{}/evil/"></script>"#,
        pages.addr
    );
    let page = pages.add("/evil.html", Page::Fixed("text/html", article_page(&tag)));
    browser.goto(&page);
    browser.wait_for(
        "document.querySelectorAll('.ek-fallback').length > 0",
        SETTLE,
    );
    std::thread::sleep(Duration::from_millis(500));
    let card = browser.eval(
        "var c = document.querySelector('.ek-fallback'), bad = [];\
         c.querySelectorAll('*').forEach(function (e) {\
           if (/^(script|iframe|svg|object|form|button)$/i.test(e.localName)) bad.push(e.localName);\
           [].forEach.call(e.attributes, function (a) {\
             if (/^on/i.test(a.name) || /javascript:/i.test(a.value)) bad.push(e.localName + ' ' + a.name);\
           });\
         });\
         return {bad: bad, text: c.textContent, pwned: window.__pwned === undefined ? null : String(window.__pwned),\
                 imgs: [].map.call(c.querySelectorAll('img'), function (i) { return i.getAttribute('src'); }),\
                 js: c.querySelector('#js').hasAttribute('href'), spaced: c.querySelector('#spaced').hasAttribute('href'),\
                 web: c.querySelector('#web').getAttribute('href'), style: !!c.querySelector('style'),\
                 errors: window.__errors};",
        &[],
    );
    assert_eq!(card["pwned"], Value::Null, "{card:#}");
    assert_eq!(card["bad"], json!([]), "{card:#}");
    assert_eq!(card["errors"], json!([]), "{card:#}");
    assert!(
        card["text"]
            .as_str()
            .is_some_and(|t| t.contains("Text stays.")),
        "{card:#}"
    );
    // Only web addresses survive; a path is the service's.
    assert_eq!(
        card["imgs"],
        json!([null, format!("http://{}/v1/media/abc", pages.addr)]),
        "{card:#}"
    );
    assert_eq!(
        (&card["js"], &card["spaced"]),
        (&json!(false), &json!(false))
    );
    assert_eq!(card["web"], "https://www.instagram.com/harbourdesk/");
    assert_eq!(card["style"], true);
}

/// A page whose other embeds make for odd status requests still gets its gone embed's card:
/// one player address longer than the status route reads (which would make the service refuse
/// the whole request) and forty long ones (which, asked about at once, make a request longer
/// than servers and proxies take). The script leaves out the first and asks about the rest in
/// requests of a size every server takes. Regression: addresses full of characters the query
/// escapes and `encodeURIComponent` does not (`!`) were undercounted, and requests of 12 KiB
/// went out where 8 KiB is the most common proxies take.
#[test]
fn long_embed_addresses_do_not_cost_the_page_its_cards() {
    let Some(browser) = Browser::start("long_embed_addresses_do_not_cost_the_page_its_cards")
    else {
        return;
    };
    let env = archived(routes(), &[HARBOUR]);
    let service = Running::start(&env);
    // The script as it is in the source tree, served beside the page (as a publisher may).
    let (pages, script_url) = pages_with_the_script();
    let mut players = format!(
        r#"<iframe data-src="https://www.youtube.com/embed/toolong?pad={}"></iframe>"#,
        "a".repeat(3000)
    );
    for i in 0..40 {
        players.push_str(&format!(
            r#"<iframe data-src="https://www.youtube.com/embed/long{i}?pad={}"></iframe>"#,
            "b".repeat(1900)
        ));
    }
    for i in 0..8 {
        players.push_str(&format!(
            r#"<iframe data-src="https://www.youtube.com/embed/bang{i}?pad={}"></iframe>"#,
            "!".repeat(1900)
        ));
    }
    let script = format!(
        r#"{FETCH_RECORDER}{players}<script src="{script_url}" data-service="{}/" async></script>"#,
        service.base()
    );
    let page = pages.add(
        "/long-addresses.html",
        Page::Fixed("text/html; charset=utf-8", article_page(&script)),
    );
    browser.goto(&page);
    browser.wait_for(
        "document.querySelectorAll('.ek-fallback').length > 0",
        SETTLE,
    );
    let now = browser.eval(EMBEDS_NOW, &[]);
    assert_one_gone_card(&now, HARBOUR);
    // Each status request's target (path and query) within 8 KiB, the request line with it.
    let targets = browser.eval(
        "return window.__asked.filter(u => u.includes('/v1/posts/status?')) \
             .map(u => { const a = new URL(u); return (a.pathname + a.search).length; });",
        &[],
    );
    let targets: Vec<u64> = targets
        .as_array()
        .expect("lengths")
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    assert!(targets.len() >= 2, "{targets:?}");
    assert!(targets.iter().all(|&n| n < 8000), "{targets:?}");
}

/// Embeds that arrive after the page has loaded (the next story of an endless article list, a
/// page that draws itself): the script finds them in what was added, asks about them, and puts
/// the gone one's card in its place; the live embed beside it stays.
#[test]
fn an_embed_added_after_the_page_loaded_gets_its_card() {
    let Some(browser) = Browser::start("an_embed_added_after_the_page_loaded_gets_its_card") else {
        return;
    };
    let env = archived(routes(), &[HARBOUR]);
    let service = Running::start(&env);
    let pages = PageServer::start();
    let article = String::from_utf8(fixture("local/article-four-platforms.html")).expect("utf-8");
    let harbour = article
        .lines()
        .find(|l| l.contains("C8kQx2LtA1b") && l.starts_with("<blockquote"))
        .expect("the Instagram embed");
    let jack = article
        .lines()
        .find(|l| l.contains("jack/status/20"))
        .expect("the X embed");
    // The next story, as an endless page appends it: its elements one by one, two seconds in
    // (in a script string, where `</` would end the script). Its embeds are asked about in
    // one request, not one per element added.
    let next_story = serde_json::to_string(&format!("<h2>Next story</h2>{harbour}{jack}"))
        .expect("a JSON string")
        .replace("</", "<\\/");
    let page_html = format!(
        r#"<!doctype html><html><head><meta charset="utf-8"><title>Endless</title>{ERROR_TRAP}
{FETCH_RECORDER}
</head><body><main id="stories"><article><h1>First story</h1><p>No embeds here.</p></article></main>
<script>setTimeout(function () {{ var to = document.getElementById('stories');
var m = new DOMParser().parseFromString({next_story}, 'text/html');
[].slice.call(m.body.childNodes).forEach(function (n) {{ to.appendChild(document.importNode(n, true)); }});
window.__appended = true; }}, 2000);</script>
<script src="{}/fallback.js" async></script></body></html>"#,
        service.base()
    );
    let page = pages.add(
        "/endless.html",
        Page::Fixed("text/html; charset=utf-8", page_html.into_bytes()),
    );
    browser.goto(&page);
    browser.wait_for("window.__appended === true", SETTLE);
    browser.wait_for(
        "document.querySelectorAll('.ek-fallback').length > 0",
        SETTLE,
    );
    let now = browser.eval(EMBEDS_NOW, &[]);
    assert_one_gone_card(&now, HARBOUR);
    let cards = now["cards"].as_array().expect("cards");
    assert!(
        cards[0]["text"]
            .as_str()
            .is_some_and(|t| t.contains("Harbour Desk")),
        "{now:#}"
    );
    // The live post stays as its platform's markup.
    assert_eq!(now["x"], json!(1), "{now:#}");
    // Nothing was asked before the story came: the first page held no embed.
    let asked = browser.eval(STATUS_ASKED, &[]);
    let asked = asked.as_array().expect("asked");
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert!(
        asked[0]
            .as_str()
            .is_some_and(|u| u.contains("C8kQx2LtA1b") && u.contains("status%2F20")),
        "{asked:?}"
    );
}

/// Long addresses are asked about in as few requests as keep each request line under 8 KiB:
/// sixty of some 1,500 bytes go five to a request, twelve requests, each line within 8 KiB.
#[test]
fn long_addresses_are_asked_in_as_few_requests_as_fit_a_request_line() {
    let Some(browser) =
        Browser::start("long_addresses_are_asked_in_as_few_requests_as_fit_a_request_line")
    else {
        return;
    };
    let (pages, script_url) = pages_with_the_script();
    pages.add(
        "/svc/v1/posts/status",
        Page::Fixed("application/json", br#"{"posts": []}"#.to_vec()),
    );
    let quotes: String = (0..60)
        .map(|i| {
            format!(
                r#"<blockquote class="twitter-tweet"><p>post {i}</p><a href="https://twitter.com/a/status/{}?ref={}">May 1, 2020</a></blockquote>"#,
                1_000_000 + i,
                "r".repeat(1_450)
            )
        })
        .collect();
    let page = pages.add(
        "/long.html",
        Page::Fixed(
            "text/html",
            format!(
                r#"<!doctype html><html><head><title>Long</title></head><body>{quotes}<script src="{script_url}" data-service="http://{}/svc/"></script></body></html>"#,
                pages.addr
            )
            .into_bytes(),
        ),
    );
    browser.goto(&page);
    let asked = || -> Vec<String> {
        pages
            .requests()
            .into_iter()
            .filter(|r| r.starts_with("/svc/v1/posts/status?"))
            .collect()
    };
    let deadline = Instant::now() + SETTLE;
    while asked()
        .iter()
        .map(|r| r.matches("url=").count())
        .sum::<usize>()
        < 60
    {
        assert!(Instant::now() < deadline, "asked: {}", asked().len());
        std::thread::sleep(Duration::from_millis(50));
    }
    let asked = asked();
    for r in &asked {
        // `GET PATH?QUERY HTTP/1.1`
        assert!(r.len() + 13 < 8 * 1024, "{} bytes", r.len());
    }
    assert_eq!(
        asked.len(),
        12,
        "{:?}",
        asked.iter().map(String::len).collect::<Vec<_>>()
    );
}

/// A news theme's rules for the elements a card is made of (a quotation in italics on grey with
/// a rule and a big opening mark, captions in capitals, paragraphs in its own size) do not reach
/// the card: its text stays upright in the card's size, on its own background.
#[test]
fn a_themes_quotation_and_caption_styles_stay_out_of_the_card() {
    let Some(browser) =
        Browser::start("a_themes_quotation_and_caption_styles_stay_out_of_the_card")
    else {
        return;
    };
    let theme = "<style>\
        blockquote{font:italic 22px Georgia,serif;background:#f4f4f4;border-left:4px solid #c00;padding:1em;color:#555}\
        blockquote::before{content:'\\201C';font-size:80px}\
        figcaption{text-transform:uppercase;letter-spacing:.2em;font-size:11px}\
        article p{font-size:20px;text-indent:2em}\
        </style>";
    harbour_gone_page(&browser, async_tag, |html| {
        html.replacen("</head>", &format!("{theme}</head>"), 1)
    });
    let looks = browser.eval(
        "var q = document.querySelector('.ek-fallback .ek-quote'), h = document.querySelector('.ek-fallback .ek-head'), \
         t = document.querySelector('.ek-fallback .ek-text') || q, s = getComputedStyle(q), b = getComputedStyle(q, '::before');\
         return {style: s.fontStyle, size: getComputedStyle(t).fontSize, bg: s.backgroundColor, border: s.borderLeftWidth, \
         before: b.content, caps: getComputedStyle(h).textTransform, indent: getComputedStyle(t).textIndent};",
        &[],
    );
    assert_eq!(
        looks,
        json!({"style": "normal", "size": "15px", "bg": "rgba(0, 0, 0, 0)", "border": "0px",
               "before": "none", "caps": "none", "indent": "0px"}),
        "{looks:#}"
    );
}

/// A theme whose dark mode colours `p` and `a` under a class of its own (`html.dark p`), more
/// specific than the card's rules, leaves the light card's text and links in the card's own
/// colours, readable; a vertically written page leaves the card horizontal.
#[test]
fn a_themes_dark_class_and_vertical_writing_leave_the_cards_colours_and_lines() {
    let Some(browser) = Browser::start(
        "a_themes_dark_class_and_vertical_writing_leave_the_cards_colours_and_lines",
    ) else {
        return;
    };
    let theme = "<style>\
        html.dark body{background:#121212;color:#e0e0e0;writing-mode:vertical-rl}\
        html.dark a{color:#8ab4f8}\
        html.dark p{color:#e0e0e0}\
        html.dark figure{background:#222}\
        </style>";
    harbour_gone_page(&browser, async_tag, |html| {
        html.replacen("</head>", &format!("{theme}</head>"), 1)
            .replacen("<html", "<html class=\"dark\"", 1)
    });
    let looks = browser.eval(
        "var c = document.querySelector('.ek-fallback .ek-card'), t = c.querySelector('.ek-text') || c.querySelector('.ek-quote'),\
         a = c.querySelector('.ek-original') || c.querySelector('a');\
         return {bg: getComputedStyle(c).backgroundColor, text: getComputedStyle(t).color, link: getComputedStyle(a).color,\
         writing: getComputedStyle(c).writingMode};",
        &[],
    );
    assert_eq!(
        looks,
        json!({"bg": "rgb(255, 255, 255)", "text": "rgb(15, 20, 25)", "link": "rgb(11, 87, 208)",
               "writing": "horizontal-tb"}),
        "{looks:#}"
    );
}

/// A publisher's web component that keeps its embed in its own open shadow root: the gone
/// post's embed there becomes its card, in the shadow tree, where the component's markup is.
#[test]
fn a_gone_embed_in_a_components_shadow_root_becomes_its_card() {
    let Some(browser) = Browser::start("a_gone_embed_in_a_components_shadow_root_becomes_its_card")
    else {
        return;
    };
    let env = archived(routes(), &[HARBOUR]);
    let service = Running::start(&env);
    let pages = PageServer::start();
    let component = r#"<news-embed></news-embed><script>
customElements.define('news-embed', class extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).innerHTML =
      '<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/C8kQx2LtA1b/"><a href="https://www.instagram.com/p/C8kQx2LtA1b/">A post shared by Harbour Desk</a></blockquote>';
  }
});
</script>"#;
    let html = format!(
        r#"<!doctype html><html><head><title>Component</title>{ERROR_TRAP}</head><body><article><p>Before.</p>{component}<p>After.</p></article><script src="{}/fallback.js" async></script></body></html>"#,
        service.base()
    );
    let page = pages.add(
        "/2026/11/component.html",
        Page::Fixed("text/html; charset=utf-8", html.into_bytes()),
    );
    browser.goto(&page);
    browser.wait_for(
        "document.querySelector('news-embed').shadowRoot.querySelectorAll('.ek-fallback').length > 0",
        SETTLE,
    );
    let now = browser.eval(
        "var r = document.querySelector('news-embed').shadowRoot, c = r.querySelector('.ek-fallback');\
         return {status: c.getAttribute('data-ek-status'), gone: !!c.querySelector('figure.ek-card.ek-gone'),\
         left: r.querySelectorAll('blockquote.instagram-media').length, outside: document.querySelectorAll('.ek-fallback').length,\
         upright: getComputedStyle(c.querySelector('.ek-quote')).fontStyle, errors: window.__errors};",
        &[],
    );
    assert_eq!(
        now,
        json!({"status": "gone", "gone": true, "left": 0, "outside": 0, "upright": "normal", "errors": []}),
        "{now:#}"
    );
}
