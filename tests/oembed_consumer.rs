//! A real oEmbed consumer against the real server: micawber (Python, from PyPI) registers
//! `embedkeep serve`'s `/oembed` as the provider of the archived platforms' post URLs, embeds an
//! archived post, is refused an unknown one, and follows a card page's discovery link
//! (`tests/python/oembed_consumer.py`). Needs python3 with micawber (`.ci/install-deps`); without
//! them the test says so loudly and passes, unless `EMBEDKEEP_REQUIRE_TOOLS=1` (as in CI).

mod server_process;
mod support;

use std::net::TcpListener;
use std::path::Path;
use std::process::Command;

use support::{Reply, Routes, TestEnv, fixture};

const ARTICLE: &str = "https://news.example.com/2026/11/four-platforms.html";
const HARBOUR: &str = "https://www.instagram.com/p/C8kQx2LtA1b/";
const UNKNOWN: &str = "https://www.instagram.com/p/NotArchived1/";

/// Whether `python3` can import `module`; without it, fail when tools are required, else say
/// loudly that the test is skipped.
fn python_with(module: &str) -> bool {
    let found = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("EMBEDKEEP_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "python3 with {module} is required (EMBEDKEEP_REQUIRE_TOOLS=1): run .ci/install-deps"
        );
        eprintln!(
            "\n!!!!! SKIPPED: python3 with {module} is not installed (pip install -r .ci/requirements.txt) !!!!!\n"
        );
    }
    found
}

/// A loopback port free at this moment, so the server's public address can be in its config.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

#[test]
fn micawber_embeds_archived_posts_through_our_oembed_endpoint() {
    if !python_with("micawber") {
        return;
    }
    let port = free_port();
    let api = format!("http://127.0.0.1:{port}");
    let mut routes = Routes::from_manifest();
    routes.add(
        ARTICLE,
        Reply::html(fixture("local/article-four-platforms.html")),
    );
    let env = TestEnv::new(
        routes,
        &format!(
            "[serve]\nlisten = \"127.0.0.1:{port}\"\nmetrics_listen = \"127.0.0.1:0\"\npublic_base_url = \"{api}\"\n"
        ),
    );
    let (code, _, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = env.json(&["pin", HARBOUR, "--gone"]);
    assert_eq!(code, 0, "{stderr}");

    // A static export's card page of the post: its discovery link names this server.
    let site = env.dir.path().join("site");
    let (code, _, stderr) = env.json(&["export", "--static", site.to_str().expect("path")]);
    assert_eq!(code, 0, "{stderr}");
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("index.json")).expect("index"))
            .expect("index JSON");
    let card = index["posts"]
        .as_array()
        .and_then(|posts| posts.iter().find(|p| p["post_url"] == HARBOUR))
        .and_then(|p| p["card"].as_str())
        .map(|c| site.join(c))
        .expect("the post's card page");

    let server = server_process::Running::start(&env);
    assert_eq!(server.api, format!("127.0.0.1:{port}"));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/oembed_consumer.py");
    let out = Command::new("python3")
        .arg(&script)
        .args([api.as_str(), HARBOUR, UNKNOWN])
        .arg(&card)
        .output()
        .expect("run python3");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    print!("{stdout}");
    assert!(
        out.status.success(),
        "the oEmbed consumer failed:\n{stdout}\n{stderr}\nserver log:\n{}",
        server.log()
    );
    // Every check ran.
    assert_eq!(stdout.matches("ok: ").count(), 5, "{stdout}");
}
