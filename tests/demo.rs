//! `embedkeep demo` as a user runs it: the real binary on a free loopback port, the URLs it
//! prints on stdout fetched over loopback, and what a reader would see on each checked; then
//! SIGTERM and exit 0. The demo replays its own bundled recordings, so these tests need no
//! fixture server.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

/// The article's markup of the post that goes away, and of a live post of the same platform.
const GONE_EMBED: &str = "https://twitter.com/jack/status/20?ref_src=twsrc%5Etfw";
const LIVE_X_EMBED: &str = "https://twitter.com/pepephone/status/436461658601713664?ref_src";
const GONE_LABEL: &str = "The original post is no longer available.";

/// A running `embedkeep demo`, and the links it printed (label, URL).
struct Demo {
    child: Child,
    links: Vec<(String, String)>,
}

impl Demo {
    /// Start the demo with `extra` arguments and `tmp` as its temporary directory and home;
    /// wait for its list of URLs.
    fn start(tmp: &Path, extra: &[&str]) -> Demo {
        let mut child = demo_command(tmp, extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start embedkeep demo");
        let stdout = child.stdout.take().expect("stdout");
        let links = read_links(stdout);
        Demo { child, links }
    }

    /// The URL printed under `label`.
    fn url(&self, label: &str) -> &str {
        self.links
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, u)| u.as_str())
            .unwrap_or_else(|| panic!("no {label:?} among {:?}", self.links))
    }

    /// SIGTERM, then the exit code (within 30 s).
    fn stop(mut self) -> Option<i32> {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code();
            }
            assert!(Instant::now() < deadline, "no exit within 30 s of SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn demo_command(tmp: &Path, extra: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_embedkeep"));
    command
        .env_remove("EMBEDKEEP_DB")
        .env_remove("EMBEDKEEP_CONFIG")
        .env("HOME", tmp)
        .env("TMPDIR", tmp)
        .env("XDG_CONFIG_HOME", tmp.join("config"))
        .env("XDG_DATA_HOME", tmp.join("data"))
        .args(["demo", "--listen", "127.0.0.1:0"])
        .args(extra);
    command
}

/// Read stdout until the list of links is complete: a heading line naming the server, then
/// one `  LABEL  URL` line per link. Gives up after 120 s (the demo archives first).
fn read_links(stdout: ChildStdout) -> Vec<(String, String)> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut links = Vec::new();
    let mut heading = None;
    while links.len() < 6 {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("the demo printed no complete list; so far {links:?}"));
        if heading.is_none() {
            assert!(
                line.starts_with("embedkeep demo on http://127.0.0.1:"),
                "{line}"
            );
            heading = Some(line);
            continue;
        }
        let (label, url) = line
            .trim()
            .rsplit_once("  ")
            .unwrap_or_else(|| panic!("not a link line: {line:?}"));
        links.push((label.trim().to_owned(), url.trim().to_owned()));
    }
    links
}

/// GET `url` (http://127.0.0.1:PORT/...) over loopback: status and body.
fn get(url: &str) -> (u16, String) {
    let rest = url
        .strip_prefix("http://")
        .unwrap_or_else(|| panic!("not an http URL: {url}"));
    let (addr, target) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    assert!(addr.starts_with("127.0.0.1:"), "{url} is not on loopback");
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    // HTTP/1.0: the answer is not chunked and the connection closes after it.
    let head = format!("GET {target} HTTP/1.0\r\nHost: {addr}\r\n\r\n");
    stream.write_all(head.as_bytes()).expect("write");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no head in {text:?}"));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    (status, body.to_owned())
}

#[test]
fn the_demo_serves_the_article_with_its_fallbacks_and_stops_on_sigterm() {
    let tmp = tempfile::tempdir().expect("tmp");
    let demo = Demo::start(tmp.path(), &[]);
    let labels: Vec<&str> = demo.links.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "article with /fallback.js",
            "article rewritten on the server",
            "card of the gone post",
            "the gone post as JSON",
            "newsroom report",
            "oEmbed answer for the gone post",
        ]
    );
    for (label, url) in &demo.links {
        assert!(url.starts_with("http://127.0.0.1:"), "{label}: {url}");
    }

    // The archived article, while it runs, is in a temporary directory under $TMPDIR.
    let in_tmp: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("tmp")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("embedkeep-demo-"))
        .collect();
    assert_eq!(in_tmp.len(), 1, "{in_tmp:?}");

    // The article as its site served it, with the page script added and every embed intact.
    let (status, article) = get(demo.url("article with /fallback.js"));
    assert_eq!(status, 200);
    assert!(
        article.contains(r#"<script src="/fallback.js""#),
        "{article}"
    );
    assert!(
        article.contains(GONE_EMBED),
        "the embed is left to the script"
    );
    assert!(!article.contains(GONE_LABEL));

    // Rewritten on the server: the gone post's embed is its card; the live ones stay.
    let (status, rewritten) = get(demo.url("article rewritten on the server"));
    assert_eq!(status, 200);
    assert!(
        !rewritten.contains(GONE_EMBED),
        "the gone embed is replaced"
    );
    assert_eq!(rewritten.matches(GONE_LABEL).count(), 1, "one card");
    assert!(rewritten.contains("ek-card ek-x ek-gone"), "{rewritten}");
    assert!(
        rewritten.contains("just setting up my twttr"),
        "the card keeps the post's text"
    );
    assert!(rewritten.contains(LIVE_X_EMBED), "the live X post stays");
    assert!(
        rewritten.contains("platform.twitter.com/widgets.js"),
        "it still needs its script"
    );
    assert_eq!(rewritten.matches(r#"class="instagram-media""#).count(), 3);
    assert!(rewritten.contains("https://www.youtube.com/embed/eiHXASgRTcA"));
    assert!(rewritten.contains(r#"class="tiktok-embed""#));
    assert!(!rewritten.contains("/fallback.js"));

    // The card alone.
    let (status, card) = get(demo.url("card of the gone post"));
    assert_eq!(status, 200);
    assert!(card.contains(GONE_LABEL), "{card}");
    assert!(
        card.contains("https://x.com/jack/status/20"),
        "links the original: {card}"
    );

    // The JSON document of the gone post.
    let (status, json) = get(demo.url("the gone post as JSON"));
    assert_eq!(status, 200, "{json}");
    let doc: Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(doc["status"], "gone", "{doc}");
    assert_eq!(doc["post_url"], "https://x.com/jack/status/20", "{doc}");
    assert!(
        doc["snapshots"].as_array().is_some_and(|s| !s.is_empty()),
        "the archived copy is kept: {doc}"
    );

    // oEmbed: a rich answer whose html is the card.
    let (status, json) = get(demo.url("oEmbed answer for the gone post"));
    assert_eq!(status, 200, "{json}");
    let doc: Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(doc["type"], "rich", "{doc}");
    assert!(
        doc["html"].as_str().is_some_and(|h| h.contains(GONE_LABEL)),
        "{doc}"
    );

    // The index lists the same links.
    let root = demo
        .url("article with /fallback.js")
        .replace("/demo/article.html", "/");
    let (status, index) = get(&root);
    assert_eq!(status, 200);
    assert!(index.contains("/demo/rewritten.html"), "{index}");

    assert_eq!(demo.stop(), Some(0));
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("tmp")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().starts_with("embedkeep-demo-"))
        .collect();
    assert!(
        left.is_empty(),
        "the temporary archive is removed: {left:?}"
    );
}

#[test]
fn keep_leaves_the_archive_and_refuses_to_reuse_it() {
    let tmp = tempfile::tempdir().expect("tmp");
    let keep = tmp.path().join("kept");
    let keep_arg = keep.to_string_lossy().into_owned();
    let demo = Demo::start(tmp.path(), &["--keep", &keep_arg]);
    assert_eq!(demo.stop(), Some(0));
    assert!(keep.join("embedkeep-demo.db").is_file());

    let again = demo_command(tmp.path(), &["--keep", &keep_arg])
        .output()
        .expect("run embedkeep demo");
    assert_eq!(again.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains(&keep_arg), "names the directory: {stderr}");
    assert!(stderr.contains("already holds a demo archive"), "{stderr}");
}

#[test]
fn a_malformed_listen_address_is_a_usage_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    for address in [
        "BADADDR",
        "127.0.0.1",
        "127.0.0.1:99999",
        "http://127.0.0.1:8080/",
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_embedkeep"))
            .env("HOME", tmp.path())
            .env("TMPDIR", tmp.path())
            .args(["demo", "--listen", address])
            .output()
            .expect("run embedkeep demo");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{address}: {stderr}");
        assert!(
            stderr.contains("--listen") && stderr.contains(address),
            "names the option and the address: {stderr}"
        );
        assert!(
            stderr.contains("127.0.0.1:8080"),
            "shows the form: {stderr}"
        );
    }
}

/// Regression: `db check` on an archive cut short inside its last page (a crash, a full disk)
/// stopped at SQLite's own error ("database disk image is malformed", or "Invalid column type
/// Null" where the lost bytes held a blob's row), although it is the command a damaged archive
/// sends its user to. It lists the file's size and what could not be checked, as problems.
#[test]
fn an_archive_cut_short_anywhere_in_its_last_page_is_reported_by_db_check() {
    let tmp = tempfile::tempdir().expect("tmp");
    let keep = tmp.path().join("kept");
    let keep_arg = keep.to_string_lossy().into_owned();
    let demo = Demo::start(tmp.path(), &["--keep", &keep_arg]);
    assert_eq!(demo.stop(), Some(0));
    let db = keep.join("embedkeep-demo.db");
    rusqlite::Connection::open(&db)
        .and_then(|c| c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)"))
        .expect("checkpoint");
    let bytes = std::fs::read(&db).expect("read");
    for lost in [1, 100, 2000, 4000] {
        let cut = tmp.path().join(format!("cut-{lost}.db"));
        std::fs::write(&cut, &bytes[..bytes.len() - lost]).expect("write");
        let out = Command::new(env!("CARGO_BIN_EXE_embedkeep"))
            .env("HOME", tmp.path())
            .env_remove("EMBEDKEEP_CONFIG")
            .env_remove("EMBEDKEEP_DB")
            .arg("--db")
            .arg(&cut)
            .args(["db", "check", "--json"])
            .output()
            .expect("run embedkeep db check");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{lost}: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON document");
        assert_eq!(doc["ok"], false, "{lost}: {doc}");
        assert!(
            doc["problems"][0]
                .as_str()
                .is_some_and(|p| p.starts_with("file: ") && p.contains("cut short")),
            "{lost}: {doc}"
        );
    }
}

/// Regression: an archive cut inside its 100-byte header, after SQLite's magic, was called
/// "not an SQLite database" rather than an archive cut short.
#[test]
fn an_archive_cut_inside_its_header_is_reported_as_cut_short() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = tmp.path().join("a.db");
    let run = |db: &Path, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_embedkeep"))
            .env("HOME", tmp.path())
            .env_remove("EMBEDKEEP_CONFIG")
            .env_remove("EMBEDKEEP_DB")
            .arg("--db")
            .arg(db)
            .args(args)
            .output()
            .expect("run embedkeep")
    };
    assert!(run(&db, &["db", "migrate"]).status.success());
    let bytes = std::fs::read(&db).expect("read");
    for kept in [16, 50, 99] {
        let cut = tmp.path().join(format!("cut-{kept}.db"));
        std::fs::write(&cut, &bytes[..kept]).expect("write");
        let out = run(&cut, &["db", "check", "--json"]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{kept}: {stdout}");
        let doc: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON document");
        assert!(
            doc["problems"][0]
                .as_str()
                .is_some_and(|p| p.starts_with("file: ") && p.contains("cut short")),
            "{kept}: {doc}"
        );
    }
}
