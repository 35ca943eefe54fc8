//! Bad input is normal input: each case gets a clear error naming the input, exit code 1 for that
//! article, and nothing already stored is lost.

mod support;

use std::time::Duration;

use serde_json::Value;
use support::{Reply, Routes, TestEnv, fixture};

const GOOD: &str = "https://news.example.com/good.html";

/// A YouTube player, and the oEmbed request its video is resolved with.
const YOUTUBE_IFRAME: &str = r#"<iframe src="https://www.youtube.com/embed/eiHXASgRTcA"></iframe>"#;
const YOUTUBE_OEMBED: &str = "https://www.youtube.com/oembed?format=json&url=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3DeiHXASgRTcA";

/// An environment with one good article (one live X post) plus the given extra routes.
fn env_with(extra: &[(&str, Reply)], config: &str) -> TestEnv {
    let mut routes = Routes::from_manifest();
    routes.add(
        GOOD,
        Reply::html(
            "<html><head><title>Good</title></head><body><blockquote class=\"twitter-tweet\">\
             <p>just setting up my twttr</p>&mdash; jack (@jack) \
             <a href=\"https://twitter.com/jack/status/20\">March 21, 2006</a></blockquote>\
             </body></html>",
        ),
    );
    for (url, reply) in extra {
        routes.add(url, reply.clone());
    }
    TestEnv::new(routes, config)
}

/// [`env_with`] plus one article, `article`, whose page holds nothing but `embed`, and the
/// answer the platform gives at `answer_url`.
fn env_with_embed(article: &str, embed: &str, answer_url: &str, answer: Reply) -> TestEnv {
    let page = format!("<html><body>{embed}</body></html>");
    env_with(&[(article, Reply::html(page)), (answer_url, answer)], "")
}

/// Archive the good article first, then `bad`; the bad one fails with an error naming it and the
/// good one's archive is intact.
fn assert_fails_cleanly(env: &TestEnv, bad: &str, expect_in_error: &str) -> Value {
    let (code, _, stderr) = env.json(&["archive", GOOD]);
    assert_eq!(code, 0, "{stderr}");
    let snapshots = env.sql_count("SELECT COUNT(*) FROM snapshots");
    assert_eq!(snapshots, 1);

    let (code, doc, stderr) = env.json(&["archive", bad, GOOD]);
    assert_eq!(code, 1, "{doc:#}\n{stderr}");
    let a = &doc["articles"][0];
    let error = a["error"]
        .as_str()
        .unwrap_or_else(|| panic!("no error: {a:#}"));
    assert!(
        error.contains(bad) || error.contains(expect_in_error),
        "{error}"
    );
    assert!(
        error
            .to_lowercase()
            .contains(&expect_in_error.to_lowercase()),
        "expected {expect_in_error:?} in {error:?}"
    );
    // The process went on to the next article, and nothing stored was lost.
    assert!(doc["articles"][1]["error"].is_null(), "{doc:#}");
    assert_eq!(env.sql_count("SELECT COUNT(*) FROM snapshots"), snapshots);
    let (code, _, _) = env.json(&["db", "check"]);
    assert_eq!(code, 0);
    a.clone()
}

#[test]
fn unreachable_host() {
    // An override to a port nothing listens on.
    let env = env_with(&[], "");
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let config = std::fs::read_to_string(&env.config_path).expect("config");
    std::fs::write(
        &env.config_path,
        format!("{config}\"down.example.com\" = \"http://127.0.0.1:{port}\"\n"),
    )
    .expect("config");
    assert_fails_cleanly(&env, "https://down.example.com/story", "down.example.com");
}

#[test]
fn http_404_and_500_articles() {
    let env = env_with(
        &[
            (
                "https://news.example.com/missing",
                Reply::with_type(404, "text/html", "nope"),
            ),
            (
                "https://news.example.com/broken",
                Reply::with_type(500, "text/html", "oops"),
            ),
        ],
        "",
    );
    let a = assert_fails_cleanly(&env, "https://news.example.com/missing", "HTTP 404");
    assert_eq!(a["http_status"], 404);
    // The page answered, so it was fetched, and says when.
    assert!(
        a["fetched_at"]
            .as_str()
            .is_some_and(|t| chrono::DateTime::parse_from_rfc3339(t).is_ok()),
        "{a:#}"
    );
    let a = assert_fails_cleanly(&env, "https://news.example.com/broken", "HTTP 500");
    assert_eq!(a["http_status"], 500);
    assert!(a["fetched_at"].is_string(), "{a:#}");
}

#[test]
fn non_html_article() {
    let env = env_with(
        &[(
            "https://news.example.com/photo.png",
            Reply::with_type(200, "image/png", fixture("samples/images/rgba16-32x32.png")),
        )],
        "",
    );
    assert_fails_cleanly(
        &env,
        "https://news.example.com/photo.png",
        "not an HTML page",
    );
}

/// A picture sent as a page (a CDN's error image under the article's URL) is no page with no
/// embeds: it fails, named, through `archive` and `scan` alike.
#[test]
fn a_picture_served_as_html_is_not_a_page() {
    let env = env_with(
        &[(
            "https://news.example.com/story",
            Reply::with_type(
                200,
                "text/html; charset=utf-8",
                fixture("samples/images/rgba16-32x32.png"),
            ),
        )],
        "",
    );
    assert_fails_cleanly(&env, "https://news.example.com/story", "a PNG image");
    let (code, doc, stderr) = env.json(&["scan", "https://news.example.com/story"]);
    assert_eq!(code, 1, "{stderr}");
    let scanned = &doc["articles"][0];
    assert!(
        scanned["error"]
            .as_str()
            .is_some_and(|m| m.contains("not an HTML page") && m.contains("a PNG image")),
        "{scanned:#}"
    );
}

#[test]
fn body_over_the_cap() {
    let big = format!("<html><body>{}</body></html>", "x".repeat(300_000));
    let env = env_with(
        &[("https://news.example.com/big", Reply::html(big))],
        "[http]\nmax_body_bytes = 200000\n",
    );
    assert_fails_cleanly(&env, "https://news.example.com/big", "larger than");
}

#[test]
fn endless_chunked_body() {
    let env = env_with(&[("https://news.example.com/endless", Reply::Endless)], "");
    assert_fails_cleanly(&env, "https://news.example.com/endless", "larger than");
}

#[test]
fn slow_server_times_out() {
    let env = env_with(
        &[(
            "https://news.example.com/slow",
            Reply::Slow(Duration::from_secs(30)),
        )],
        "[http]\ntimeout = \"1s\"\n",
    );
    assert_fails_cleanly(&env, "https://news.example.com/slow", "timed out");
}

#[test]
fn twenty_redirects() {
    let env = env_with(
        &[("https://news.example.com/loop", Reply::RedirectLoop)],
        "",
    );
    assert_fails_cleanly(&env, "https://news.example.com/loop", "redirects");
}

#[test]
fn redirect_to_private_addresses_is_refused() {
    let env = env_with(
        &[
            (
                "https://news.example.com/to-loopback",
                Reply::redirect(302, "http://127.0.0.1:9/admin"),
            ),
            (
                "https://news.example.com/to-metadata",
                Reply::redirect(302, "http://169.254.169.254/latest/meta-data/"),
            ),
        ],
        "",
    );
    let a = assert_fails_cleanly(
        &env,
        "https://news.example.com/to-loopback",
        "non-public address",
    );
    assert!(a["error"].as_str().is_some_and(|e| e.contains("127.0.0.1")));
    let a = assert_fails_cleanly(
        &env,
        "https://news.example.com/to-metadata",
        "non-public address",
    );
    assert!(
        a["error"]
            .as_str()
            .is_some_and(|e| e.contains("169.254.169.254"))
    );
}

#[test]
fn literal_private_address_is_refused() {
    let env = env_with(&[], "");
    assert_fails_cleanly(&env, "http://10.0.0.1/story", "non-public address");
}

#[test]
fn invalid_utf8_and_latin1_pages_are_read() {
    let mut bytes = b"<html><head><title>Caf\xe9 \xff\xfe</title></head><body>".to_vec();
    bytes.extend_from_slice(
        b"<iframe src=\"https://www.youtube.com/embed/eiHXASgRTcA\"></iframe></body></html>",
    );
    let env = env_with(
        &[
            (
                "https://news.example.com/bad-utf8",
                Reply::with_type(200, "text/html; charset=utf-8", bytes),
            ),
            (
                "https://news.example.com/latin1",
                Reply::with_type(
                    200,
                    "text/html",
                    fixture("articles/trafilatura__nnz-online.de-Quantensprung.html"),
                ),
            ),
        ],
        "",
    );
    let (code, doc, stderr) = env.json(&["archive", "https://news.example.com/bad-utf8"]);
    assert_eq!(code, 0, "{stderr}");
    let a = &doc["articles"][0];
    assert!(
        a["title"].as_str().is_some_and(|t| t.starts_with("Caf")),
        "{a:#}"
    );
    assert_eq!(a["embeds"][0]["status"], "live");
    let (_, doc, _) = env.json(&["scan", "https://news.example.com/latin1"]);
    let title = doc["articles"][0]["title"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        !title.contains('\u{fffd}'),
        "latin-1 title decoded: {title}"
    );
}

#[test]
fn ten_megabyte_attribute_and_deep_nesting() {
    let mut huge = String::from("<html><body><div data-x=\"");
    huge.push_str(&"a".repeat(10 * 1024 * 1024));
    huge.push_str("\">x</div><iframe src=\"https://www.youtube.com/embed/eiHXASgRTcA\"></iframe></body></html>");
    let mut deep = String::from("<html><body>");
    deep.push_str(&"<div>".repeat(100_000));
    deep.push_str("<iframe src=\"https://www.youtube.com/embed/eiHXASgRTcA\"></iframe>");
    deep.push_str(&"</div>".repeat(100_000));
    deep.push_str("</body></html>");
    let env = env_with(
        &[
            ("https://news.example.com/huge", Reply::html(huge)),
            ("https://news.example.com/deep", Reply::html(deep)),
        ],
        "[http]\nmax_body_bytes = 20000000\n",
    );
    for url in [
        "https://news.example.com/huge",
        "https://news.example.com/deep",
    ] {
        let (code, doc, stderr) = env.json(&["archive", url]);
        assert_eq!(code, 0, "{url}: {stderr}");
        assert_eq!(
            doc["articles"][0]["embeds"][0]["post_id"], "eiHXASgRTcA",
            "{url}"
        );
    }
}

#[test]
fn image_bomb_is_a_media_error_and_the_snapshot_is_kept() {
    // A recorded YouTube answer whose thumbnail URL serves the 50000x50000 PNG bomb.
    let mut oembed: Value =
        serde_json::from_slice(&fixture("samples/youtube/oembed-eiHXASgRTcA-2024.json"))
            .expect("json");
    oembed["thumbnail_url"] = "https://i.vimeocdn.com/video/662895014-bomb_640.png".into();
    let env = env_with_embed(
        "https://news.example.com/bomb",
        YOUTUBE_IFRAME,
        YOUTUBE_OEMBED,
        Reply::with_type(200, "application/json", oembed.to_string()),
    );
    let (code, doc, stderr) = env.json(&["archive", "https://news.example.com/bomb"]);
    assert_eq!(code, 0, "{stderr}");
    let e = &doc["articles"][0]["embeds"][0];
    assert_eq!(e["status"], "live");
    let m = &e["snapshot"]["media"][0];
    assert!(m["thumbnail"].is_null(), "{m:#}");
    assert!(
        m["error"]
            .as_str()
            .is_some_and(|s| s.contains("662895014-bomb_640.png")),
        "{m:#}"
    );
}

#[test]
fn json_with_missing_fields_is_transient_not_gone() {
    let env = env_with_embed(
        "https://news.example.com/odd",
        YOUTUBE_IFRAME,
        YOUTUBE_OEMBED,
        Reply::with_type(200, "application/json", "{\"type\": \"video\""),
    );
    let (_, doc, _) = env.json(&["archive", "https://news.example.com/odd"]);
    let e = &doc["articles"][0]["embeds"][0];
    assert_ne!(e["status"], "gone");
    assert_ne!(e["status"], "suspect");
}

#[test]
fn database_that_is_not_sqlite_is_refused_untouched() {
    let env = env_with(&[], "");
    std::fs::write(&env.db_path, "these are not the droids\n").expect("write");
    let out = env.cmd().args(["archive", GOOD]).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(env.db_path.to_str().expect("path")),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(&env.db_path).expect("read"),
        b"these are not the droids\n"
    );
}

#[test]
fn database_from_a_newer_schema_is_refused_untouched() {
    let env = env_with(&[], "");
    {
        let conn = rusqlite::Connection::open(&env.db_path).expect("open");
        conn.execute_batch("CREATE TABLE future(x); PRAGMA user_version = 999;")
            .expect("future db");
    }
    let before = std::fs::read(&env.db_path).expect("read");
    let out = env.cmd().args(["archive", GOOD]).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("999") || stderr.contains("newer"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&env.db_path).expect("read"), before);
}

#[test]
fn read_only_database_gives_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let env = env_with(&[], "");
    let (code, _, _) = env.json(&["archive", GOOD]);
    assert_eq!(code, 0);
    let ro = env.dir.path().join("ro");
    std::fs::create_dir(&ro).expect("dir");
    let db = ro.join("archive.db");
    std::fs::copy(&env.db_path, &db).expect("copy");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let before = std::fs::read(&db).expect("read");
    // The store judges writability from the permission bits, so this holds even for root.
    let out = env
        .cmd_with_db(&db)
        .args(["archive", GOOD])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("archive.db") && stderr.contains("read-only"),
        "{stderr}"
    );
    // It says what to do, as the JSON document's hint.
    assert!(
        stderr.contains("hint: run the command as the user who owns"),
        "{stderr}"
    );
    let out = env
        .cmd_with_db(&db)
        .args(["pin", GOOD, "--gone", "--json"])
        .output()
        .expect("run");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["error"]["kind"], "database", "{doc:#}");
    assert!(
        doc["error"]["hint"]
            .as_str()
            .is_some_and(|h| h.contains("--db")),
        "{doc:#}"
    );
    assert_eq!(std::fs::read(&db).expect("read"), before);
    // Reading still works.
    let out = env
        .cmd_with_db(&db)
        .args(["db", "stats"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// An archive in a folder this account may read but not write (the service's archive, read by
/// an operator's own account) is read by every reading command: SQLite cannot create the
/// shared-memory file a WAL database's readers need there, and with no WAL content beside it the
/// file alone is the archive. As root the commands run as `nobody` (`setpriv`), since root may
/// write anywhere; elsewhere the folder's write permission is taken away.
#[test]
fn an_archive_in_a_folder_without_write_permission_is_read() {
    use std::os::unix::fs::PermissionsExt;
    let env = env_with(&[], "");
    let (code, _, stderr) = env.json(&["archive", GOOD]);
    assert_eq!(code, 0, "{stderr}");
    let shared = env.dir.path().join("shared");
    std::fs::create_dir(&shared).expect("dir");
    let db = shared.join("archive.db");
    std::fs::copy(&env.db_path, &db).expect("copy");
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0");
    let mode = |path: &std::path::Path, bits: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(bits)).expect("chmod");
    };
    // The binary, where `nobody` can run it.
    let binary = env.dir.path().join("embedkeep");
    std::fs::copy(env!("CARGO_BIN_EXE_embedkeep"), &binary).expect("copy the binary");
    mode(&binary, 0o755);
    mode(env.dir.path(), 0o755);
    mode(&env.config_path, 0o644);
    mode(&db, 0o644);
    if !root {
        mode(&shared, 0o555);
    }
    let command = |args: &[&str]| {
        let mut cmd = if root {
            let mut cmd = std::process::Command::new("setpriv");
            cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(&binary);
            cmd
        } else {
            std::process::Command::new(&binary)
        };
        cmd.env_remove("EMBEDKEEP_DB")
            .env_remove("EMBEDKEEP_CONFIG")
            .env("HOME", env.dir.path())
            .arg("--config")
            .arg(&env.config_path)
            .arg("--db")
            .arg(&db)
            .args(args);
        cmd.output()
    };
    if root && command(&["--version"]).is_err() {
        eprintln!("skipped: running as root without setpriv to drop to another account");
        return;
    }
    let before = std::fs::read(&db).expect("read");
    for args in [&["list", "--json"][..], &["db", "stats"], &["db", "check"]] {
        let out = command(args).expect("run");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        if args[0] == "list" {
            assert!(stdout.contains("jack/status/20"), "{stdout}");
        }
    }
    // Writing is still refused, naming the file.
    let out = command(&["archive", GOOD]).expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("archive.db"));
    assert_eq!(std::fs::read(&db).expect("read"), before);
    mode(&shared, 0o755);
}

/// An archive on a read-only file system (a replica mounted `ro`, a backup volume) is read by
/// every reading command. SQLite cannot make the shared-memory file a WAL database's readers
/// need there; with no WAL content beside it, the file alone is the archive. The mount is made
/// in a user namespace (`unshare`); where the host allows none, the test says so and stops.
#[test]
fn an_archive_on_a_read_only_mount_is_read() {
    let usable = std::process::Command::new("unshare")
        .args(["-rm", "true"])
        .output()
        .is_ok_and(|out| out.status.success());
    if !usable {
        eprintln!("skipped: this host allows no user namespace (`unshare -rm`)");
        return;
    }
    let env = env_with(&[], "");
    let (code, _, stderr) = env.json(&["archive", GOOD]);
    assert_eq!(code, 0, "{stderr}");
    let (_, listed, _) = env.json(&["list"]);
    let volume = env.dir.path().join("volume");
    let mount = env.dir.path().join("mnt");
    std::fs::create_dir(&volume).expect("dir");
    std::fs::create_dir(&mount).expect("dir");
    std::fs::copy(&env.db_path, volume.join("archive.db")).expect("copy");
    let db = mount.join("archive.db");
    let read_only = |args: &[&str]| {
        let out = std::process::Command::new("unshare")
            .args(["-rm", "sh", "-c"])
            .arg(
                "mount --bind \"$1\" \"$2\" && mount -o remount,bind,ro \"$2\" || exit 98; \
                 if touch \"$2/probe\" 2>/dev/null; then echo 'the mount is writable' >&2; exit 99; fi; \
                 shift 2; exec \"$@\"",
            )
            .arg("sh")
            .arg(&volume)
            .arg(&mount)
            .arg(assert_cmd::cargo::cargo_bin("embedkeep"))
            .arg("--config")
            .arg(&env.config_path)
            .arg("--db")
            .arg(&db)
            .args(args)
            .arg("--json")
            .env_remove("EMBEDKEEP_DB")
            .env_remove("EMBEDKEEP_CONFIG")
            .env("HOME", env.dir.path())
            .output()
            .expect("run");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        serde_json::from_str::<serde_json::Value>(&stdout)
            .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {stdout}"))
    };
    assert_eq!(read_only(&["list"]), listed);
    let stats = read_only(&["db", "stats"]);
    assert!(stats.to_string().contains("\"posts\""), "{stats}");
    let shown = read_only(&["show", "https://twitter.com/jack/status/20"]);
    assert!(
        shown.to_string().contains("just setting up my twttr"),
        "{shown}"
    );
    // Nothing was written beside the archive: no `-wal` or `-shm` in the volume.
    let files: Vec<String> = std::fs::read_dir(&volume)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, ["archive.db"]);
}

#[test]
fn a_local_page_over_the_cap_is_refused_by_name() {
    let env = env_with(&[], "[http]\nmax_body_bytes = 1000\n");
    let page = env.dir.path().join("huge-page.html");
    std::fs::write(&page, format!("<p>{}</p>", "x".repeat(5000))).expect("write");
    for args in [
        vec!["scan", page.to_str().expect("path")],
        vec![
            "archive",
            "--html",
            page.to_str().expect("path"),
            "--base-url",
            "https://news.example.com/huge",
        ],
    ] {
        let out = env.cmd().args(&args).output().expect("run");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        // `scan` reports it as the page's failed row, on stdout; `archive` refuses it.
        let said = if args[0] == "scan" {
            &out.stdout
        } else {
            &out.stderr
        };
        let said = String::from_utf8_lossy(said);
        assert!(
            said.contains("huge-page.html") && said.contains("larger than"),
            "{said}"
        );
    }
    // With --json the page is one failed entry of the run's document, as in a run of many.
    let (code, doc, _) = env.json(&["scan", page.to_str().expect("path")]);
    assert_eq!(code, 1);
    assert!(doc["error"].is_null(), "{doc:#}");
    let error = doc["articles"][0]["error"].as_str().unwrap_or_default();
    assert!(error.contains("larger than"), "{doc:#}");
}

#[test]
fn a_saved_page_that_is_not_html_or_text_is_refused_by_name_and_nothing_is_stored() {
    let env = env_with(&[], "");
    let page = env.dir.path().join("saved-page.html");
    let path = page.to_str().expect("path");
    // A page saved compressed (`curl --compressed -o` keeps the bytes as sent), and one saved
    // as UTF-16 without its byte order mark.
    let mut gzip = vec![0x1f, 0x8b, 0x08, 0x00];
    gzip.extend([0u8; 60]);
    let utf16: Vec<u8> = "<html><body><p>Hello</p></body></html>"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    for (bytes, what) in [(gzip, "gzip-compressed data"), (utf16, "binary data")] {
        std::fs::write(&page, &bytes).expect("write");
        let args = [
            "archive",
            "--html",
            path,
            "--base-url",
            "https://news.example.com/saved",
        ];
        let out = env.cmd().args(args).output().expect("run");
        assert_eq!(out.status.code(), Some(1), "{what}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("saved-page.html: not HTML or text ({what})")),
            "{stderr}"
        );
        let (code, doc, _) = env.json(&args);
        assert_eq!(code, 1);
        assert_eq!(doc["error"]["kind"], "not-text", "{doc:#}");
        assert!(!env.db_path.exists(), "an archive was created for {what}");
    }
}

#[test]
fn an_article_with_more_embeds_than_the_limit_is_reported_truncated() {
    // Hand-made hostile page: 40 distinct X posts; only the first 5 may be resolved.
    let mut page = String::from("<html><body>");
    for i in 0..40 {
        page.push_str(&format!(
            "<blockquote class=\"twitter-tweet\"><a href=\"https://twitter.com/a/status/{}\">x</a>\
             </blockquote>",
            1_000_000 + i
        ));
    }
    page.push_str("</body></html>");
    let many = "https://news.example.com/many.html";
    let env = env_with(
        &[(many, Reply::html(page))],
        "[limits]\nmax_embeds_per_article = 5\n",
    );
    let (code, doc, stderr) = env.json(&["archive", many]);
    assert_eq!(code, 1, "truncation is a partial result\n{stderr}");
    let article = &doc["articles"][0];
    assert_eq!(
        article["embeds"].as_array().map(Vec::len),
        Some(5),
        "{doc:#}"
    );
    assert_eq!(article["embeds_truncated"], 35);
    // Said once, in the report: not again as a log line.
    assert!(!stderr.contains("max_embeds_per_article"), "{stderr}");
    assert_eq!(env.sql_count("SELECT COUNT(*) FROM posts"), 5);
    // The table's summary says why the run is partial.
    let out = env.cmd().args(["archive", many]).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("; 35 embed(s) left out (limits.max_embeds_per_article)"),
        "{stdout}"
    );
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let env = env_with(&[], "");
    let (code, _, _) = env.json(&["archive", GOOD]);
    assert_eq!(code, 0);
    for args in [
        &["db", "check"][..],
        &["db", "stats"],
        &["config", "default"],
    ] {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_embedkeep"));
        cmd.env("EMBEDKEEP_DB", &env.db_path)
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().expect("spawn");
        // Close the reading end before the command writes (what `| head -0` does).
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_damaged_database_is_refused_before_any_write() {
    let env = env_with(&[], "");
    let (code, _, _) = env.json(&["archive", GOOD]);
    assert_eq!(code, 0);
    // The archive loses its last 1,500 bytes (a copy cut short, a disk that failed).
    let bytes = std::fs::read(&env.db_path).expect("read");
    assert!(bytes.len() > 8192, "the archive has several pages");
    let cut = env.dir.path().join("cut.db");
    std::fs::write(&cut, &bytes[..bytes.len() - 1500]).expect("write");
    let before = std::fs::read(&cut).expect("read");
    let out = env
        .cmd_with_db(&cut)
        .args(["archive", GOOD])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cut.db") && stderr.contains("damaged"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&cut).expect("read"), before, "not written to");
    // `db check` still reads it, to report.
    let out = env
        .cmd_with_db(&cut)
        .args(["db", "check"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Cut so short that SQLite cannot read its schema: `db check` still lists why, the file's
    // size first, as it lists the problems of a file it can open.
    let stub = env.dir.path().join("stub.db");
    std::fs::write(&stub, &bytes[..5000]).expect("write");
    let out = env
        .cmd_with_db(&stub)
        .args(["db", "check", "--json"])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let doc: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(doc["ok"], false, "{doc}");
    let problems: Vec<&str> = doc["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        problems
            .first()
            .is_some_and(|p| p.starts_with("file: ") && p.contains("cut short")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.starts_with("sqlite: ")),
        "{problems:?}"
    );
    assert_eq!(
        std::fs::read(&stub).expect("read"),
        &bytes[..5000],
        "not written to"
    );
}

#[test]
fn a_database_locked_by_another_process_is_a_clear_error() {
    let env = env_with(&[], "");
    let (code, _, _) = env.json(&["archive", GOOD]);
    assert_eq!(code, 0);
    let holder = rusqlite::Connection::open(&env.db_path).expect("open");
    holder
        .execute_batch("BEGIN EXCLUSIVE; INSERT INTO blobs VALUES ('x', 0, 'none', x'', 'now');")
        .expect("lock");
    let out = env.cmd().args(["archive", GOOD]).output().expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("archive.db") && stderr.contains("locked"),
        "{stderr}"
    );
    holder.execute_batch("ROLLBACK").expect("unlock");
    assert_eq!(
        env.sql_count("SELECT COUNT(*) FROM blobs WHERE sha256 = 'x'"),
        0
    );
}

#[test]
fn ctrl_c_in_archive_reports_what_finished() {
    let (code, stdout, stderr) = archive_stopped_by("INT", false);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(stderr.contains("interrupted: 1 of 2"), "{stderr}");
    assert!(
        stdout.contains(GOOD) && stdout.contains("jack/status/20"),
        "{stdout}"
    );
}

/// SIGTERM (what `timeout`, CI runners and systemd send) stops a run as Ctrl-C does: with
/// `--json`, stdout still holds the one document, covering the article that finished.
#[test]
fn sigterm_in_archive_json_prints_the_document_of_what_finished() {
    let (code, stdout, stderr) = archive_stopped_by("TERM", true);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(stderr.contains("interrupted: 1 of 2"), "{stderr}");
    let doc: Value = serde_json::from_str(&stdout).expect("one JSON document");
    let articles = doc["articles"].as_array().expect("articles");
    assert_eq!(articles.len(), 1, "{stdout}");
    assert_eq!(articles[0]["url"], GOOD);
    assert!(stdout.contains("jack/status/20"), "{stdout}");
    // The document itself says the run was cut short, and what it left undone.
    assert_eq!(
        doc["interrupted"]["not_done"],
        serde_json::json!(["https://news.example.com/slow.html"]),
        "{stdout}"
    );
}

/// `archive GOOD SLOW` (with `--json` if `json`), sent `kill -SIGNAL` once the first article is
/// stored: the exit code, stdout and stderr.
fn archive_stopped_by(signal: &str, json: bool) -> (Option<i32>, String, String) {
    let slow = "https://news.example.com/slow.html";
    let env = env_with(&[(slow, Reply::Slow(Duration::from_secs(30)))], "");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_embedkeep"))
        .env_remove("EMBEDKEEP_DB")
        .env_remove("EMBEDKEEP_CONFIG")
        .arg("--config")
        .arg(&env.config_path)
        .arg("--db")
        .arg(&env.db_path)
        .args(["archive", GOOD, slow])
        .args(json.then_some("--json"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    // Wait until the first article is stored, then stop the run during the slow one.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while std::time::Instant::now() < deadline {
        let done = rusqlite::Connection::open_with_flags(
            &env.db_path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .and_then(|c| c.query_row("SELECT count(*) FROM snapshots", [], |r| r.get::<_, i64>(0)))
        .unwrap_or(0);
        if done == 1 {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(300));
    let status = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Disk full while writing: the archive lives on a small tmpfs that a filler file then fills.
/// The failed write names the database, the earlier snapshot survives, the file stays sound, and
/// once there is room again archiving works. Needs root to mount a tmpfs (CI runs as root);
/// elsewhere it says so and checks nothing.
#[test]
fn disk_full_while_writing_keeps_the_last_good_snapshot() {
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    if !root {
        eprintln!("SKIPPED: mounting a small tmpfs needs root");
        return;
    }
    let four = "https://news.example.com/2026/11/four-platforms.html";
    let env = env_with(
        &[(
            four,
            Reply::html(fixture("local/article-four-platforms.html")),
        )],
        "",
    );
    let mount = env.dir.path().join("small");
    std::fs::create_dir(&mount).expect("dir");
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
        .arg(&mount)
        .status()
        .expect("mount");
    assert!(mounted.success(), "mount a tmpfs");
    struct Unmount(std::path::PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(mount.clone());
    let db = mount.join("archive.db");
    let out = env
        .cmd_with_db(&db)
        .args(["archive", GOOD])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Fill the file system to the last few KiB.
    let filler = mount.join("filler");
    let mut f = std::fs::File::create(&filler).expect("filler");
    let chunk = vec![0u8; 4096];
    while std::io::Write::write_all(&mut f, &chunk).is_ok() {}
    drop(f);
    let out = env
        .cmd_with_db(&db)
        .args(["archive", four, "--json"])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("archive.db") || stderr.contains("archive.db"),
        "the error names the database\n{stdout}\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");

    std::fs::remove_file(&filler).expect("room again");
    let out = env
        .cmd_with_db(&db)
        .args(["db", "check"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let conn =
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open");
    let text: String = conn
        .query_row(
            "SELECT text FROM snapshots s JOIN posts p ON p.id = s.post_id WHERE p.post_id = '20'",
            [],
            |r| r.get(0),
        )
        .expect("the earlier snapshot");
    assert!(text.contains("just setting up my twttr"), "{text}");
    drop(conn);
    let out = env
        .cmd_with_db(&db)
        .args(["archive", four])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_utf16_file_with_a_byte_order_mark_is_scanned_like_its_utf8_copy() {
    let env = env_with(&[], "");
    let html = "<html><body><blockquote class=\"twitter-tweet\"><p>hi</p>&mdash; jack (@jack) \
                <a href=\"https://twitter.com/jack/status/20\">March 21, 2006</a></blockquote>\
                <blockquote class=\"instagram-media\" data-instgrm-permalink=\
                \"https://www.instagram.com/p/C8kQx2LtA1b/\"></blockquote></body></html>";
    for (name, bom, big_endian) in [
        ("le.html", [0xFF, 0xFE], false),
        ("be.html", [0xFE, 0xFF], true),
    ] {
        let mut bytes = bom.to_vec();
        for unit in html.encode_utf16() {
            let pair = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            bytes.extend_from_slice(&pair);
        }
        let path = env.dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let (code, doc, stderr) = env.json(&[
            "scan",
            path.to_str().expect("path"),
            "--base-url",
            "https://news.example.com/a",
        ]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(
            doc["articles"][0]["embeds"].as_array().map(Vec::len),
            Some(2),
            "{name}: {doc:#}"
        );
    }
}

/// A Mastodon status whose content holds a tag with more attributes than any real one: its
/// markup is not read, the post is still archived, and the warning names the post it was about.
#[test]
fn crowded_markup_in_an_answer_is_skipped_with_a_warning_naming_the_post() {
    // A recorded mastodon.social status, its content replaced by one crowded paragraph.
    let mut status: Value = serde_json::from_slice(&fixture(
        "samples/mastodon/status-110447098625216345-card.json",
    ))
    .expect("json");
    let crowded: String = (0..600).map(|i| format!(" a{i}=\"x\"")).collect();
    status["content"] = format!("<p{crowded}>words</p>").into();
    let env = env_with_embed(
        "https://news.example.com/crowded",
        r#"<iframe src="https://mastodon.social/@halcy/110447098625216345/embed" class="mastodon-embed"></iframe>"#,
        "https://mastodon.social/api/v1/statuses/110447098625216345",
        Reply::with_type(200, "application/json", status.to_string()),
    );
    let (code, doc, stderr) = env.json(&["archive", "https://news.example.com/crowded"]);
    assert_eq!(code, 0, "{doc:#}\n{stderr}");
    assert_eq!(doc["articles"][0]["embeds"][0]["status"], "live", "{doc:#}");
    let warning = stderr
        .lines()
        .find(|l| l.contains("upstream markup not read"))
        .unwrap_or_else(|| panic!("no warning in {stderr}"));
    assert!(
        warning.contains("https://mastodon.social/@halcy/110447098625216345"),
        "{warning}"
    );
    assert!(warning.contains("mastodon"), "{warning}");
}
