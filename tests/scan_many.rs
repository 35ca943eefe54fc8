//! `scan` of many pages in one run: directories walked for pages, URLs mixed in, one JSON
//! document and one table row per article, and a page that cannot be scanned as one failed row
//! naming it, with exit 1, while the others are still reported.

mod support;

use std::path::Path;

use support::{Reply, Routes, TestEnv, fixture, fixtures};

const ARTICLE: &str = "https://news.example.com/2026/11/four-platforms.html";

fn env() -> TestEnv {
    let mut routes = Routes::from_manifest();
    routes.add(
        ARTICLE,
        Reply::html(fixture("local/article-four-platforms.html")),
    );
    TestEnv::new(routes, "")
}

/// A directory of two saved pages, a PNG saved under a page's name, and an image that is not a
/// page at all (left out of the walk).
fn saved_pages() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    std::fs::create_dir_all(root.join("2026/11")).expect("mkdir");
    std::fs::write(
        root.join("2026/11/four-platforms.html"),
        fixture("local/article-four-platforms.html"),
    )
    .expect("write");
    std::fs::write(root.join("decayed.txt"), fixture("local/seed-remnant.txt")).expect("write");
    let png = fixture("samples/images/rgba16-32x32.png");
    std::fs::write(root.join("broken.html"), &png).expect("write");
    std::fs::write(root.join("photo.png"), &png).expect("write");
    dir
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

#[test]
fn a_directory_gives_a_row_per_page_and_a_failed_row_for_the_binary_one() {
    let env = env();
    let dir = saved_pages();
    let root = dir.path();
    let (code, doc, stderr) = env.json(&["scan", path_str(root)]);
    assert_eq!(code, 1, "{stderr}");
    let articles = doc["articles"].as_array().expect("articles");
    let urls: Vec<&str> = articles
        .iter()
        .map(|a| a["url"].as_str().unwrap_or_default())
        .collect();
    let expected: Vec<String> = ["2026/11/four-platforms.html", "broken.html", "decayed.txt"]
        .iter()
        .map(|rel| root.join(rel).display().to_string())
        .collect();
    assert_eq!(urls, expected, "{doc:#}");

    let four = &articles[0];
    assert!(four["error"].is_null(), "{four:#}");
    assert_eq!(four["embeds"].as_array().map(Vec::len), Some(7), "{four:#}");
    let broken = &articles[1];
    let error = broken["error"].as_str().unwrap_or_default();
    assert!(
        error.contains("broken.html") && error.contains("not HTML or text"),
        "{broken:#}"
    );
    assert_eq!(broken["embeds"].as_array().map(Vec::len), Some(0));
    let decayed = &articles[2];
    assert!(decayed["error"].is_null(), "{decayed:#}");
    // A text file is read as a page is: both say when.
    assert!(four["fetched_at"].is_string(), "{four:#}");
    assert!(decayed["fetched_at"].is_string(), "{decayed:#}");
    assert_eq!(decayed["remnants"][0]["author_handle"], "chrishemsworth");

    // The same run as a table: a row per article, the failed one naming the file.
    let out = env.cmd().arg("scan").arg(root).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains(path_str(root)) || l.contains('…'))
        .filter(|l| !l.trim_start().starts_with("error:"))
        .collect();
    assert_eq!(rows.len(), 3, "{stdout}");
    assert!(
        rows[0].contains("four-platforms.html") && rows[0].contains(" 7 "),
        "{stdout}"
    );
    assert!(
        rows[1].contains("broken.html") && rows[1].contains("failed"),
        "{stdout}"
    );
    assert!(
        rows[2].contains("decayed.txt") && rows[2].contains(" 0 "),
        "{stdout}"
    );
    assert!(stdout.contains("not HTML or text"), "{stdout}");
    assert!(
        stdout.contains("3 article(s): 7 embed(s), 1 remnant(s), 1 failed"),
        "{stdout}"
    );
    // Nothing was fetched and nothing was stored.
    assert!(env.server.requests().is_empty());
    assert!(!env.db_path.exists());
}

#[test]
fn files_urls_and_directories_mix_in_argument_order_whatever_the_concurrency() {
    let env = env();
    let dir = saved_pages();
    std::fs::remove_file(dir.path().join("broken.html")).expect("rm");
    let text = fixtures().join("local/seed-remnant.txt");
    let mut runs = Vec::new();
    for jobs in ["1", "3"] {
        let (code, doc, stderr) = env.json(&[
            "scan",
            "--jobs",
            jobs,
            path_str(&text),
            ARTICLE,
            path_str(dir.path()),
        ]);
        assert_eq!(code, 0, "{stderr}");
        let summary: Vec<(String, usize, usize)> = doc["articles"]
            .as_array()
            .expect("articles")
            .iter()
            .map(|a| {
                (
                    a["url"].as_str().unwrap_or_default().to_owned(),
                    a["embeds"].as_array().map_or(0, Vec::len),
                    a["remnants"].as_array().map_or(0, Vec::len),
                )
            })
            .collect();
        runs.push(summary);
    }
    let root = dir.path();
    let expected = vec![
        (path_str(&text).to_owned(), 0, 1),
        (ARTICLE.to_owned(), 7, 0),
        (
            root.join("2026/11/four-platforms.html")
                .display()
                .to_string(),
            7,
            0,
        ),
        (root.join("decayed.txt").display().to_string(), 0, 1),
    ];
    assert_eq!(runs[0], expected);
    assert_eq!(runs[1], expected);
    assert_eq!(env.server.requests(), vec![ARTICLE.to_owned(); 2]);
}

#[test]
fn a_page_over_the_size_limit_is_a_failed_row_not_the_end_of_the_run() {
    let mut routes = Routes::from_manifest();
    routes.add(ARTICLE, Reply::html(Vec::new()));
    let env = TestEnv::new(routes, "[http]\nmax_body_bytes = 10000\n");
    let dir = saved_pages();
    std::fs::remove_file(dir.path().join("broken.html")).expect("rm");
    std::fs::write(dir.path().join("huge.html"), "<p>x</p>".repeat(2000)).expect("write");
    let (code, doc, stderr) = env.json(&["scan", path_str(dir.path())]);
    assert_eq!(code, 1, "{stderr}");
    let articles = doc["articles"].as_array().expect("articles");
    assert_eq!(articles.len(), 3, "{doc:#}");
    let failed: Vec<&str> = articles
        .iter()
        .filter_map(|a| a["error"].as_str())
        .collect();
    assert_eq!(failed.len(), 1, "{doc:#}");
    assert!(
        failed[0].contains("huge.html") && failed[0].contains("larger than"),
        "{doc:#}"
    );
}

#[test]
fn usage_errors_come_before_any_page_is_read() {
    let env = env();
    let dir = saved_pages();
    let empty = tempfile::tempdir().expect("tmp");
    for args in [
        vec!["scan", path_str(dir.path()), "no-such-file.html"],
        vec!["scan", path_str(empty.path())],
        vec!["scan", "-", "-"],
        vec![
            "scan",
            "--base-url",
            "https://example.com/a",
            path_str(dir.path()),
        ],
        vec!["scan", "--jobs", "0", path_str(dir.path())],
    ] {
        let out = env.cmd().args(&args).output().expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

/// A saved page's base is its own `file://` URL, against which a protocol-relative player
/// (`<iframe src="//www.dailymotion.com/embed/video/…">`, as many embed codes write them) would
/// become a `file:` address: it is read as the web address it names.
#[test]
fn protocol_relative_players_of_saved_pages_are_found() {
    let env = env();
    let dir = tempfile::tempdir().expect("tmp");
    let pages = [
        ("readability__lemonde-1.html", "dailymotion", "x2p552m"),
        (
            "trafilatura__wir-empfehlen.info.3289.html",
            "youtube",
            "RhsGKsMmh5o",
        ),
    ];
    for (page, _, _) in pages {
        std::fs::write(dir.path().join(page), fixture(&format!("articles/{page}"))).expect("write");
    }
    let (code, doc, stderr) = env.json(&["scan", path_str(dir.path())]);
    assert_eq!(code, 0, "{stderr}");
    for (page, platform, id) in pages {
        let article = doc["articles"]
            .as_array()
            .expect("articles")
            .iter()
            .find(|a| a["url"].as_str().is_some_and(|u| u.ends_with(page)))
            .unwrap_or_else(|| panic!("{page} not scanned: {doc:#}"));
        let found = article["embeds"]
            .as_array()
            .expect("embeds")
            .iter()
            .any(|e| {
                e["platform"] == platform
                    && e["post_id"] == id
                    && e["post_url"]
                        .as_str()
                        .is_some_and(|u| u.starts_with("https://"))
            });
        assert!(found, "{page}: no {platform} {id} in {article:#}");
    }
}

/// A plain-text file holding more remnants than discovery keeps says so, as a page does.
#[test]
fn a_text_file_with_more_remnants_than_kept_is_marked_truncated() {
    let env = env();
    let dir = tempfile::tempdir().expect("tempdir");
    let footer = "A post shared by Chris Hemsworth (@chrishemsworth)\n\n";
    let many = dir.path().join("many.txt");
    std::fs::write(&many, footer.repeat(embedkeep::discover::MAX_REMNANTS + 1)).expect("write");
    let few = dir.path().join("few.txt");
    std::fs::write(&few, footer.repeat(3)).expect("write");
    let (code, doc, stderr) = env.json(&["scan", path_str(&many), path_str(&few)]);
    assert_eq!(code, 0, "{stderr}");
    let articles = doc["articles"].as_array().expect("articles");
    let row = |i: usize| {
        (
            articles[i]["remnants"].as_array().map_or(0, Vec::len),
            articles[i]["discovery_truncated"].as_bool(),
        )
    };
    assert_eq!(
        row(0),
        (embedkeep::discover::MAX_REMNANTS, Some(true)),
        "{doc:#}"
    );
    assert_eq!(row(1), (3, Some(false)), "{doc:#}");
}

#[test]
fn a_broken_link_or_a_fifo_named_like_a_page_is_skipped_with_a_warning() {
    let env = env();
    let dir = saved_pages();
    let root = dir.path();
    std::fs::remove_file(root.join("broken.html")).expect("rm");
    let broken = root.join("gone.html");
    std::os::unix::fs::symlink(root.join("nowhere.html"), &broken).expect("symlink");
    let fifo = root.join("pipe.html");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    // Reading the FIFO would wait for a writer forever: the timeout of `cmd` catches that.
    let out = env
        .cmd()
        .args(["scan", path_str(root)])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    for (path, why) in [(&broken, "symbolic link"), (&fifo, "FIFO")] {
        let line = stderr
            .lines()
            .find(|l| l.contains(path_str(path)))
            .unwrap_or_else(|| panic!("no warning names {}: {stderr}", path.display()));
        assert!(line.contains("skipped") && line.contains(why), "{line}");
    }
    // The other pages are still scanned.
    assert!(stdout.contains("four-platforms.html"), "{stdout}");
    assert!(stdout.contains("decayed.txt"), "{stdout}");
}

/// Regression: Ctrl-C during a `scan --json` of many pages ended the process by the signal,
/// with nothing on stdout. The pages in progress stop, and the report covers the finished ones:
/// one JSON document, exit 1, and a line on stderr saying so.
#[test]
fn an_interrupted_scan_reports_the_pages_that_finished() {
    const SLOW: &str = "https://news.example.com/2026/11/slow.html";
    let mut routes = Routes::from_manifest();
    routes.add(
        ARTICLE,
        Reply::html(fixture("local/article-four-platforms.html")),
    );
    routes.add(SLOW, Reply::Slow(std::time::Duration::from_secs(60)));
    let env = TestEnv::new(routes, "");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_embedkeep"))
        .env_remove("EMBEDKEEP_DB")
        .env_remove("EMBEDKEEP_CONFIG")
        .env_remove("RUST_LOG")
        .env("HOME", env.dir.path())
        .arg("--config")
        .arg(&env.config_path)
        .args(["scan", "--json", ARTICLE, SLOW])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start the scan");
    // The article answers at once; the slow page holds the run.
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert!(child.try_wait().expect("wait").is_none(), "still running");
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let out = child.wait_with_output().expect("wait");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}): {stdout}\n{stderr}"));
    let articles = doc["articles"].as_array().expect("articles");
    assert_eq!(articles.len(), 1, "{doc:#}");
    assert_eq!(articles[0]["url"], ARTICLE, "{doc:#}");
    assert_eq!(
        doc["interrupted"]["not_done"],
        serde_json::json!([SLOW]),
        "{doc:#}"
    );
    assert!(
        stderr.contains("interrupted: 1 of 2 page(s) scanned"),
        "{stderr}"
    );
}

/// A page saved under a name that is not UTF-8 (a Latin-1 `café.html` copied from an old
/// disk) is read when it is named, as it is when its directory is walked; `rewrite` reads it
/// too. Its name is shown with the undecodable byte replaced.
#[test]
fn a_file_whose_name_is_not_utf8_is_read_when_named() {
    use std::os::unix::ffi::OsStrExt;
    let env = env();
    let dir = tempfile::tempdir().expect("tmp");
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.html");
    let page = dir.path().join(name);
    std::fs::write(&page, fixture("local/article-four-platforms.html")).expect("write");
    let out = env
        .cmd()
        .arg("scan")
        .arg(&page)
        .args(["--base-url", ARTICLE, "--json"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let article = &doc["articles"][0];
    assert!(
        article["url"]
            .as_str()
            .is_some_and(|s| s.ends_with("caf\u{FFFD}.html")),
        "{article:#}"
    );
    // The same embeds as the page scanned under a name that is UTF-8.
    let plain = dir.path().join("cafe.html");
    std::fs::copy(&page, &plain).expect("copy");
    let (code, same, stderr) = env.json(&["scan", path_str(&plain), "--base-url", ARTICLE]);
    assert_eq!(code, 0, "{stderr}");
    let embeds = &article["embeds"];
    assert!(embeds.as_array().is_some_and(|e| !e.is_empty()), "{doc:#}");
    assert_eq!(embeds, &same["articles"][0]["embeds"]);

    // `rewrite` reads an archive: the article's posts are archived first.
    let (code, _, stderr) = env.json(&["archive", ARTICLE]);
    assert!(code == 0 || code == 1, "{stderr}");
    let out = env
        .cmd()
        .arg("rewrite")
        .arg(&page)
        .args(["--base-url", ARTICLE])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("twitter-tweet"),
        "the page comes back"
    );
}
