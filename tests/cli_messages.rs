//! The first hour with the command line: what each mistake prints, once, naming the input and
//! saying what to do instead, and with which exit code (0 success, 1 some articles or posts
//! failed, 2 usage or config error). The checks look for the input and the hint, not for exact
//! wording.

mod support;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use clap::CommandFactory;
use support::{Reply, Routes, TestEnv, fixture};
use unicode_width::UnicodeWidthStr;

const ARTICLE: &str = "https://news.example.com/2026/11/four-platforms.html";
const ARTICLE_NO_SCHEME: &str = "news.example.com/2026/11/four-platforms.html";
const HARBOUR_NO_SCHEME: &str = "www.instagram.com/p/C8kQx2LtA1b/";

fn env() -> TestEnv {
    let mut routes = Routes::from_manifest();
    routes.add(
        ARTICLE,
        Reply::html(fixture("local/article-four-platforms.html")),
    );
    TestEnv::new(routes, "")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn finish(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn run(env: &TestEnv, args: &[&str]) -> Run {
    finish(env.cmd().args(args).output().expect("run"))
}

/// The binary with a home of its own and no `--db`: the database goes where XDG says.
fn bare(home: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("embedkeep").expect("binary");
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .timeout(std::time::Duration::from_secs(60));
    cmd
}

fn json_of(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not one JSON document ({e}):\n{text}"))
}

#[test]
fn archive_reads_a_url_without_a_scheme_as_https() {
    let env = env();
    let (code, doc, stderr) = env.json(&["archive", ARTICLE_NO_SCHEME]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(doc["articles"][0]["url"], ARTICLE, "{doc:#}");
    assert_eq!(
        doc["articles"][0]["embeds"].as_array().map(Vec::len),
        Some(7)
    );
}

#[test]
fn scan_reads_a_url_without_a_scheme_as_https_but_an_existing_file_wins() {
    let env = env();
    let (code, doc, stderr) = env.json(&["scan", ARTICLE_NO_SCHEME]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(doc["articles"][0]["http_status"], 200, "{doc:#}");
    assert_eq!(env.server.requests(), vec![ARTICLE.to_owned()]);

    // A file whose name looks like a host is read as the file.
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(
        dir.path().join("www.example.com"),
        "<p>View this post on Instagram</p><p>A post shared by Chris Hemsworth (@chrishemsworth)</p>",
    )
    .expect("write");
    let out = env
        .cmd()
        .current_dir(dir.path())
        .args(["scan", "www.example.com", "--json"])
        .output()
        .expect("run");
    let r = finish(out);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = json_of(&r.stdout);
    assert_eq!(
        doc["articles"][0]["remnants"][0]["author_handle"],
        "chrishemsworth"
    );
    assert_eq!(env.server.requests().len(), 1, "the file was not fetched");
}

#[test]
fn show_finds_an_archived_post_given_without_a_scheme() {
    let env = env();
    let (code, _, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "{stderr}");
    let (code, post, stderr) = env.json(&["show", HARBOUR_NO_SCHEME]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(post["post_id"], "C8kQx2LtA1b");
    let r = run(&env, &["pin", HARBOUR_NO_SCHEME, "--gone"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(&env, &["check", HARBOUR_NO_SCHEME]);
    assert!(!r.stdout.contains("not in the archive"), "{}", r.stdout);
}

#[test]
fn archive_of_a_file_suggests_html_and_base_url() {
    let env = env();
    let dir = tempfile::tempdir().expect("tmp");
    let saved = dir.path().join("saved-article");
    std::fs::write(&saved, "<p>hello</p>").expect("write");
    let saved = saved.to_str().expect("path");
    for arg in [saved, "page.html", "drafts/story.htm"] {
        let r = run(&env, &["archive", arg]);
        assert_eq!(r.code, 2, "{arg}: {}", r.stderr);
        assert!(r.stderr.contains(arg), "{arg}: {}", r.stderr);
        assert!(
            r.stderr.contains("--html") && r.stderr.contains("--base-url"),
            "{arg}: {}",
            r.stderr
        );
        assert!(r.stdout.is_empty(), "{}", r.stdout);
    }
    assert!(
        !env.db_path.exists(),
        "a refused argument created the archive"
    );
}

#[test]
fn scan_of_an_image_pdf_or_random_bytes_says_it_is_not_html_or_text() {
    let env = env();
    let dir = tempfile::tempdir().expect("tmp");
    let mut random: Vec<u8> = (0u32..4096)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    random[100] = 0;
    let files: [(&str, Vec<u8>); 4] = [
        ("photo.png", fixture("samples/images/rgba16-32x32.png")),
        (
            "photo.jpg",
            b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01rest".to_vec(),
        ),
        (
            "paper.pdf",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj".to_vec(),
        ),
        ("noise.bin", random),
    ];
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let path = path.to_str().expect("path");
        let r = run(&env, &["scan", path]);
        assert_eq!(r.code, 1, "{name}: {}{}", r.stdout, r.stderr);
        assert!(r.stdout.contains(name), "{name}: {}", r.stdout);
        assert!(
            r.stdout.contains("not HTML or text"),
            "{name}: {}",
            r.stdout
        );
        assert!(r.stdout.contains("hint:"), "{name}: {}", r.stdout);
        assert_eq!(
            r.stdout.matches("not HTML or text").count(),
            1,
            "{}",
            r.stdout
        );
        let (code, doc, _) = env.json(&["scan", path]);
        assert_eq!(code, 1);
        let error = doc["articles"][0]["error"].as_str().unwrap_or_default();
        assert!(error.contains("not HTML or text"), "{doc:#}");
    }
}

#[test]
fn scan_reads_a_page_with_a_nul_byte_as_a_browser_does() {
    let env = env();
    let dir = tempfile::tempdir().expect("tmp");
    let page = fixture("local/article-four-platforms.html");
    let body = page
        .windows(6)
        .position(|w| w == b"<body>")
        .expect("the fixture has a body")
        + 6;
    let mut with_nul = page.clone();
    with_nul.insert(body, 0);
    let path = dir.path().join("with-nul.html");
    std::fs::write(&path, &with_nul).expect("write");
    let path = path.to_str().expect("path");
    let (code, doc, stderr) = env.json(&["scan", path]);
    assert_eq!(code, 0, "{stderr}\n{doc:#}");
    let article = &doc["articles"][0];
    assert!(article["error"].is_null(), "{doc:#}");
    assert_eq!(
        article["embeds"].as_array().map(Vec::len),
        Some(7),
        "{doc:#}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let env = env();
    let dir = tempfile::tempdir().expect("tmp");
    let dir_path = dir.path().to_str().expect("path");
    let missing_config = dir.path().join("nope.toml");
    let missing_config = missing_config.to_str().expect("path");
    for args in [
        vec!["archive"],
        vec!["archive", "--frobnicate", ARTICLE],
        vec!["frobnicate"],
        vec!["list", "--status", "dead"],
        vec!["list", "--after=-5"],
        vec!["archive", "notaurl"],
        vec!["archive", "ftp://example.com/a"],
        vec!["scan", "no-such-file"],
        vec!["scan", dir_path],
        vec![
            "archive",
            "--html",
            "missing.html",
            "--base-url",
            "https://example.com/a",
        ],
        vec!["archive", "--html", dir_path, "--base-url", "example.com/a"],
        vec!["--db", dir_path, "list"],
        vec!["--config", missing_config, "list"],
        vec!["completions", "tcsh"],
        vec!["man", "frobnicate"],
    ] {
        let r = finish(bare(dir.path()).args(&args).output().expect("run"));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(!r.stderr.is_empty(), "{args:?}");
    }
    let r = run(&env, &["--help"]);
    assert_eq!(r.code, 0);
}

#[test]
fn archive_base_url_without_html_is_a_usage_error_not_ignored() {
    let env = env();
    for args in [
        vec!["archive", ARTICLE, "--base-url", "https://example.com/a"],
        vec![
            "archive",
            "--base-url",
            "https://example.com/a",
            ARTICLE,
            ARTICLE,
        ],
    ] {
        let (code, doc, stderr) = env.json(&args);
        assert_eq!(code, 2, "{args:?}: {stderr}\n{doc:#}");
        let message = doc["error"]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("--base-url") && message.contains("--html"),
            "{args:?}: {doc:#}"
        );
        assert!(
            stderr.contains("--base-url") && stderr.contains("--html"),
            "{stderr}"
        );
        assert!(doc["error"]["hint"].is_string(), "{doc:#}");
    }
    // Refused before anything is fetched or stored.
    assert!(
        env.server.requests().is_empty(),
        "{:?}",
        env.server.requests()
    );
    assert!(!env.db_path.exists());
}

#[test]
fn a_bad_argument_creates_no_database() {
    let env = env();
    let home = tempfile::tempdir().expect("tmp");
    let db = home.path().join("data/embedkeep/embedkeep.db");
    for arg in ["notaurl", "page.html", "mailto:desk@example.com"] {
        let r = finish(
            bare(home.path())
                .args(["archive", arg])
                .output()
                .expect("run"),
        );
        assert_eq!(r.code, 2, "{arg}: {}", r.stderr);
        assert!(r.stderr.contains(arg), "{arg}: {}", r.stderr);
        assert!(r.stderr.contains("hint:"), "{arg}: {}", r.stderr);
        assert!(!db.exists(), "archive {arg} created {}", db.display());
        assert!(
            !home.path().join("data").exists(),
            "archive {arg} created the data dir"
        );
    }
    // A good argument does write there: the path checked above is the right one.
    let out = bare(home.path())
        .arg("--config")
        .arg(&env.config_path)
        .args(["archive", ARTICLE_NO_SCHEME])
        .output()
        .expect("run");
    let r = finish(out);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(db.exists());
}

#[test]
fn each_failure_is_printed_once_and_ends_with_a_hint() {
    let env = env();
    // A private address: once, on stdout (in the report), naming the setting that allows it.
    let r = run(&env, &["archive", "http://127.0.0.1:9/story"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stdout.matches("127.0.0.1:9/story: refused").count(),
        1,
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("http.allow_private_addresses"),
        "{}",
        r.stdout
    );
    assert!(!r.stderr.contains("refused"), "{}", r.stderr);
    let r = run(&env, &["-q", "archive", "http://127.0.0.1:9/story"]);
    assert!(!r.stderr.contains("refused"), "{}", r.stderr);

    // A host that does not resolve reads like it.
    let r = run(&env, &["scan", "https://example.invalid/story"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("could not resolve host example.invalid"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("client error (Connect)"), "{}", r.stdout);

    // A missing config file: one line naming it, and a hint.
    let dir = tempfile::tempdir().expect("tmp");
    let missing = dir.path().join("missing.toml");
    let r = finish(
        bare(dir.path())
            .arg("--config")
            .arg(&missing)
            .args(["archive", ARTICLE])
            .output()
            .expect("run"),
    );
    assert_eq!(r.code, 2);
    assert_eq!(r.stderr.matches("missing.toml").count(), 1, "{}", r.stderr);
    assert_eq!(r.stderr.matches("os error 2").count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("hint:"), "{}", r.stderr);

    // A post that is not archived: once, in the report.
    let (code, _, _) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0);
    let r = run(
        &env,
        &["-q", "check", "https://www.instagram.com/p/NOTARCHIVED/"],
    );
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout.matches("NOTARCHIVED").count(), 1, "{}", r.stdout);
    assert!(!r.stderr.contains("NOTARCHIVED"), "{}", r.stderr);
}

#[test]
fn with_json_a_failure_is_an_error_document_on_stdout() {
    let env = env();
    let dir = tempfile::tempdir().expect("tmp");
    let dir_path = dir.path().to_str().expect("path");
    let cases: [(Vec<&str>, i32, &str, Option<&str>); 8] = [
        (vec!["list", "--json"], 1, "no-archive", None),
        // An article URL carrying credentials is refused without repeating them.
        (
            vec![
                "archive",
                "--json",
                "https://editor:s3cret@news.example.com/a",
            ],
            2,
            "invalid-url",
            Some("https://news.example.com/a"),
        ),
        (
            vec!["show", "--json", HARBOUR_NO_SCHEME],
            1,
            "no-archive",
            None,
        ),
        (
            vec!["archive", "--json", "notaurl"],
            2,
            "invalid-url",
            Some("notaurl"),
        ),
        (
            vec!["archive", "--json", "page.html"],
            2,
            "file-not-url",
            Some("page.html"),
        ),
        (
            vec!["list", "--json", "--status", "dead"],
            2,
            "invalid-value",
            Some("dead"),
        ),
        (vec!["archive", "--json"], 2, "missing-argument", None),
        (
            vec!["--db", dir_path, "list", "--json"],
            2,
            "db-is-directory",
            Some(dir_path),
        ),
    ];
    for (args, code, kind, input) in cases {
        let r = finish(
            bare(dir.path())
                .arg("--config")
                .arg(&env.config_path)
                .args(&args)
                .output()
                .expect("run"),
        );
        assert_eq!(r.code, code, "{args:?}: {}", r.stderr);
        let doc = json_of(&r.stdout);
        let error = &doc["error"];
        assert_eq!(error["kind"], kind, "{args:?}: {doc:#}");
        assert!(
            error["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{doc:#}"
        );
        if let Some(input) = input {
            assert_eq!(error["input"], input, "{args:?}: {doc:#}");
        }
    }
    // A pipe as the database is refused, not opened (an open would wait for a writer).
    let pipe = dir.path().join("pipe.db");
    if std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .is_ok_and(|s| s.success())
    {
        let r = finish(
            bare(dir.path())
                .arg("--config")
                .arg(&env.config_path)
                .arg("--db")
                .arg(&pipe)
                .args(["list", "--json"])
                .output()
                .expect("run"),
        );
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert_eq!(json_of(&r.stdout)["error"]["kind"], "db-not-a-file");
        std::fs::remove_file(&pipe).expect("remove the pipe");
    }
    let (code, _, _) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0);
    let (code, doc, _) = env.json(&["show", "https://www.instagram.com/p/NOTARCHIVED/"]);
    assert_eq!(code, 1);
    assert_eq!(doc["error"]["kind"], "not-archived");
    assert_eq!(
        doc["error"]["input"],
        "https://www.instagram.com/p/NOTARCHIVED/"
    );
    assert!(doc["error"]["hint"].is_string());
}

#[test]
fn a_database_directory_says_what_to_pass_instead() {
    let env = env();
    let dir = tempfile::tempdir().expect("tmp");
    let r = finish(
        env.cmd_with_db(dir.path())
            .args(["list"])
            .output()
            .expect("run"),
    );
    assert_eq!(r.code, 2);
    let shown = dir.path().display().to_string();
    assert!(
        r.stderr.contains(&format!("{shown} is a directory")),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!("--db {shown}/embedkeep.db")),
        "{}",
        r.stderr
    );
    let r = finish(
        bare(dir.path())
            .env("EMBEDKEEP_DB", dir.path())
            .args(["list"])
            .output()
            .expect("run"),
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("EMBEDKEEP_DB"), "{}", r.stderr);
}

#[test]
fn an_unusable_archive_is_a_database_error_in_json() {
    let env = env();
    let dir = tempfile::tempdir().expect("tmp");
    // Three ways an archive is unusable: not SQLite at all, another application's SQLite file,
    // and an archive whose pages were cut off.
    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, b"not an SQLite file, just text in its place").expect("write");
    let foreign = dir.path().join("foreign.db");
    rusqlite::Connection::open(&foreign)
        .and_then(|c| c.execute_batch("CREATE TABLE notes (body TEXT)"))
        .expect("foreign database");
    let cut = dir.path().join("cut.db");
    let r = finish(
        env.cmd_with_db(&cut)
            .args(["db", "migrate"])
            .output()
            .expect("run"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(&cut)
        .expect("open");
    file.set_len(5000).expect("truncate");
    drop(file);
    let warc = dir.path().join("out.warc.gz");
    let warc = warc.to_str().expect("path");
    let commands: [&[&str]; 5] = [
        &["list", "--json"],
        &["show", "https://x.com/jack/status/20", "--json"],
        &["export", "--warc", warc, "--force", "--json"],
        &["check", "https://x.com/jack/status/20", "--json"],
        &["pin", "https://x.com/jack/status/20", "--gone", "--json"],
    ];
    for db in [&garbage, &foreign, &cut] {
        let shown = db.display().to_string();
        for args in commands {
            let r = finish(env.cmd_with_db(db).args(args).output().expect("run"));
            assert_eq!(r.code, 1, "{shown} {args:?}: {}", r.stderr);
            let doc = json_of(&r.stdout);
            assert_eq!(
                doc["error"]["kind"], "database",
                "{shown} {args:?}: {doc:#}"
            );
            assert_eq!(doc["error"]["input"], shown.as_str(), "{args:?}: {doc:#}");
        }
    }
}

#[test]
fn config_check_shows_the_database_and_durations_as_written() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("embedkeep.toml");
    let store = dir.path().join("from-config.db");
    std::fs::write(
        &file,
        format!(
            "[store]\npath = {:?}\n[liveness]\ngone_after = \"24h\"\n[schedule]\nlease = \"90m\"\n",
            store.display().to_string()
        ),
    )
    .expect("write");
    let file = file.to_str().expect("path");
    let r = finish(
        bare(dir.path())
            .args(["config", "check", file])
            .output()
            .expect("run"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("gone_after = \"24h\""), "{}", r.stdout);
    assert!(r.stdout.contains("lease = \"90m\""), "{}", r.stdout);
    assert!(r.stdout.contains("timeout = \"20s\""), "{}", r.stdout);
    assert!(r.stdout.contains("recheck_max = \"7d\""), "{}", r.stdout);
    assert!(!r.stdout.contains("1day"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains(&format!("database: {} (from store.path", store.display())),
        "{}",
        r.stdout
    );

    let r = finish(
        bare(dir.path())
            .args(["--db", "/tmp/flag.db", "config", "check", file])
            .output()
            .expect("run"),
    );
    assert!(
        r.stdout.contains("database: /tmp/flag.db (from --db)"),
        "{}",
        r.stdout
    );
    let r = finish(
        bare(dir.path())
            .env("EMBEDKEEP_DB", "/tmp/env.db")
            .args(["config", "check", file, "--json"])
            .output()
            .expect("run"),
    );
    let doc = json_of(&r.stdout);
    assert_eq!(doc["database"]["path"], "/tmp/env.db");
    assert_eq!(doc["database"]["from"], "EMBEDKEEP_DB");
    assert_eq!(doc["config"]["liveness"]["gone_after"], "24h");

    let r = finish(
        bare(dir.path())
            .args(["config", "check"])
            .output()
            .expect("run"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let default = dir.path().join("data/embedkeep/embedkeep.db");
    assert!(
        r.stdout
            .contains(&format!("database: {} (the default", default.display())),
        "{}",
        r.stdout
    );
}

#[test]
fn completions_and_man_page_are_generated() {
    let dir = tempfile::tempdir().expect("tmp");
    for shell in ["bash", "zsh", "fish"] {
        let r = finish(
            bare(dir.path())
                .args(["completions", shell])
                .output()
                .expect("run"),
        );
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        assert!(r.stdout.contains("archive"), "{shell}");
        // `list --status` and `--platform` complete to their names, not to file names.
        if shell == "bash" {
            assert!(
                r.stdout.contains("\"live suspect gone unknown\""),
                "{shell}"
            );
            assert!(r.stdout.contains("instagram x tiktok youtube"), "{shell}");
        }
    }
    let r = finish(bare(dir.path()).arg("man").output().expect("run"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with(".ie") || r.stdout.contains(".TH"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("archive") && r.stdout.contains("EXIT STATUS"));
    let r = finish(
        bare(dir.path())
            .args(["man", "archive"])
            .output()
            .expect("run"),
    );
    assert!(r.stdout.contains("embedkeep\\-archive"), "{}", r.stdout);
    // The pages a command's page names in SEE ALSO (`embedkeep-db-check(1)`) are printed too,
    // by that name or as the command is typed.
    let db = finish(bare(dir.path()).args(["man", "db"]).output().expect("run"));
    assert!(
        db.stdout.contains("embedkeep\\-db\\-check(1)"),
        "{}",
        db.stdout
    );
    for name in ["db-check", "db check"] {
        let r = finish(bare(dir.path()).args(["man", name]).output().expect("run"));
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        // The footer names the program, not the command's last word (`check 0.1.0`).
        let version = env!("CARGO_PKG_VERSION");
        assert!(
            r.stdout.contains(&format!(
                ".TH embedkeep-db-check 1  \"embedkeep {version}\""
            )),
            "{name}: {}",
            r.stdout
        );
    }
}

#[test]
fn help_lists_exit_codes_and_explains_every_json_flag() {
    let dir = tempfile::tempdir().expect("tmp");
    let r = finish(bare(dir.path()).arg("--help").output().expect("run"));
    assert!(r.stdout.contains("Exit codes"), "{}", r.stdout);
    for code in ["0 ", "1 ", "2 "] {
        assert!(r.stdout.contains(&format!("  {code}")), "{}", r.stdout);
    }
    let cli = embedkeep::cli::Cli::command();
    let mut stack: Vec<&clap::Command> = vec![&cli];
    let mut seen = 0;
    while let Some(cmd) = stack.pop() {
        for arg in cmd.get_arguments() {
            if arg.get_id() == "json" {
                seen += 1;
                assert!(
                    arg.get_help().is_some(),
                    "{} --json has no help",
                    cmd.get_name()
                );
            }
        }
        stack.extend(cmd.get_subcommands());
    }
    assert!(seen >= 10, "{seen} --json flags");
}

#[test]
fn no_colour_through_a_pipe_or_with_no_color() {
    let env = env();
    let (code, _, _) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0);
    // Through a pipe: no escape codes.
    let r = run(&env, &["list"]);
    assert!(r.stdout.contains("live"), "{}", r.stdout);
    assert!(!r.stdout.contains('\u{1b}'), "{:?}", r.stdout);
    // Forced on, the status column is coloured; NO_COLOR wins over that.
    let forced = finish(
        env.cmd()
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR")
            .env("CLICOLOR_FORCE", "1")
            .arg("list")
            .output()
            .expect("run"),
    );
    assert!(
        forced.stdout.contains("\u{1b}[32mlive"),
        "{:?}",
        forced.stdout
    );
    let off = finish(
        env.cmd()
            .env("CLICOLOR_FORCE", "1")
            .env("NO_COLOR", "1")
            .arg("list")
            .output()
            .expect("run"),
    );
    assert!(!off.stdout.contains('\u{1b}'), "{:?}", off.stdout);
}

#[test]
fn table_columns_line_up_with_wide_characters() {
    let env = env();
    let dir = tempfile::tempdir().expect("tmp");
    let page = dir.path().join("wide.html");
    let embed = |handle: &str, id: &str| {
        format!(
            "<blockquote class=\"tiktok-embed\" cite=\"https://www.tiktok.com/@{handle}/video/{id}\" \
             data-video-id=\"{id}\"><section><a title=\"@{handle}\" \
             href=\"https://www.tiktok.com/@{handle}\">@{handle}</a></section></blockquote>"
        )
    };
    std::fs::write(
        &page,
        format!(
            "<html><body>{}{}{}</body></html>",
            embed("李小龍", "6806030056956251397"),
            embed("👍🏽fan", "6806030056956251398"),
            embed("ann", "6806030056956251399"),
        ),
    )
    .expect("write");
    let r = run(&env, &["scan", page.to_str().expect("path")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("李小龍") && r.stdout.contains("👍🏽"),
        "{}",
        r.stdout
    );
    // The last column starts at the same display column on every line of the table.
    let starts: Vec<usize> = r
        .stdout
        .lines()
        .filter_map(|line| {
            let at = line.find("blockquote.").or_else(|| line.find("FOUND AS"))?;
            Some(line[..at].width())
        })
        .collect();
    assert_eq!(starts.len(), 4, "{}", r.stdout);
    assert!(
        starts.windows(2).all(|w| w[0] == w[1]),
        "{starts:?}\n{}",
        r.stdout
    );
}

#[test]
fn a_post_that_could_not_be_checked_is_reported_once() {
    const GONE_ARTICLE: &str = "https://news.example.com/2026/11/gone.html";
    const WALL: &str = "https://www.instagram.com/p/C9aa0LoginW/";
    let mut routes = Routes::from_manifest();
    routes.add(
        GONE_ARTICLE,
        Reply::html(fixture("local/article-gone-and-transient.html")),
    );
    let env = TestEnv::new(routes, "");
    let r = run(&env, &["archive", GONE_ARTICLE]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stdout.matches("C9aa0LoginW/ could not be").count(),
        1,
        "{}",
        r.stdout
    );
    assert!(!r.stderr.contains("C9aa0LoginW"), "{}", r.stderr);

    let r = run(&env, &["check", WALL]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stdout.matches("C9aa0LoginW/ could not be").count(),
        1,
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("error (below)"), "{}", r.stdout);
    assert!(!r.stderr.contains("C9aa0LoginW"), "{}", r.stderr);
}

#[test]
fn scan_of_a_page_with_escape_sequences_writes_none_to_the_terminal() {
    let dir = tempfile::tempdir().expect("tmp");
    let page = dir.path().join("esc.html");
    // An OSC 0 in the title would set the terminal's title; ESC [2J in the remnant's author
    // would clear the screen.
    std::fs::write(
        &page,
        "<html><head><title>T\u{1b}]0;title-pwned\u{7}</title></head><body>\
         <blockquote class=\"twitter-tweet\"><p>hi</p>&mdash; Evil (@jack) \
         <a href=\"https://twitter.com/jack/status/20\">March 21, 2006</a></blockquote>\
         <p>View this post on Instagram</p><p>A post shared by Bad\u{1b}[2J (@bad)</p>\
         </body></html>",
    )
    .expect("write");
    let page = page.to_str().expect("path");
    let r = finish(bare(dir.path()).args(["scan", page]).output().expect("run"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains('\u{1b}'), "{:?}", r.stdout);
    assert!(!r.stdout.contains('\u{7}'), "{:?}", r.stdout);
    // What was there is shown, not dropped.
    assert!(
        r.stdout.contains(r"T\u{1b}]0;title-pwned\u{7}"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains(r"Bad\u{1b}[2J (@bad)"), "{}", r.stdout);

    // The same page among several (the table), and --json, which keeps the text exact.
    let r = finish(
        bare(dir.path())
            .args(["scan", page, page])
            .output()
            .expect("run"),
    );
    assert!(!r.stdout.contains('\u{1b}'), "{:?}", r.stdout);
    let r = finish(
        bare(dir.path())
            .args(["scan", page, "--json"])
            .output()
            .expect("run"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = json_of(&r.stdout);
    assert_eq!(
        doc["articles"][0]["title"].as_str(),
        Some("T\u{1b}]0;title-pwned\u{7}"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_closed_stderr_ends_with_the_exit_code_not_a_panic() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("bad.toml");
    std::fs::write(
        &file,
        "[platforms.bluesky]\nshow_restricted_text = \"yes\"\n",
    )
    .expect("write");
    // The read end is closed before the binary starts, so its first message to stderr meets a
    // broken pipe (`embedkeep config check FILE 2>&1 >/dev/null | head -c1`).
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_embedkeep"))
        .env_clear()
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .args(["config", "check"])
        .arg(&file)
        .stdout(std::process::Stdio::null())
        .stderr(writer)
        .status()
        .expect("run");
    assert_eq!(status.code(), Some(2), "{status:?}");
}

/// The binary's exit status with `args`, its stdout a pipe whose reader closed before it
/// started (`embedkeep ARGS | head -0`).
fn status_with_stdout_closed(env: &TestEnv, args: &[&str]) -> Option<i32> {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    std::process::Command::new(env!("CARGO_BIN_EXE_embedkeep"))
        .env_remove("EMBEDKEEP_DB")
        .env_remove("EMBEDKEEP_CONFIG")
        .env("HOME", env.dir.path())
        .env("XDG_DATA_HOME", env.dir.path().join("data"))
        .env("XDG_CONFIG_HOME", env.dir.path().join("config"))
        .arg("--config")
        .arg(&env.config_path)
        .arg("--db")
        .arg(&env.db_path)
        .args(args)
        .stdout(writer)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("run")
        .code()
}

/// A reader that closes stdout early drops the rest of the output, not the exit code the
/// command's work gives: a usage error stays 2, a post not in the archive 1, success 0.
#[test]
fn a_closed_stdout_keeps_the_exit_code() {
    let env = env();
    let r = run(&env, &["db", "migrate"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let cases: [(&[&str], i32); 4] = [
        (&["list", "--json", "--status", "nope"], 2),
        (&["check", "--json", "https://x.com/nobody/status/1"], 1),
        (&["db", "stats", "--json"], 0),
        (&["list", "--json"], 0),
    ];
    for (args, code) in cases {
        assert_eq!(
            status_with_stdout_closed(&env, args),
            Some(code),
            "{args:?}"
        );
    }
}

#[test]
fn a_malformed_post_url_is_a_usage_error_not_a_missing_post() {
    let env = env();
    // An archive exists, so "not in the archive" would be a possible (and wrong) answer.
    let r = run(&env, &["db", "migrate"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let cases: [(&[&str], &str, &str); 5] = [
        (&["show", "not a url"], "invalid-url", "not a url"),
        (
            &["pin", "ftp://x.com/jack/status/20", "--gone"],
            "not-http",
            "ftp://x.com/jack/status/20",
        ),
        (&["check", "not a url"], "invalid-url", "not a url"),
        (
            &["check", "https://x.com/jack/status/20", "mailto:desk@x.com"],
            "not-http",
            "mailto:desk@x.com",
        ),
        (
            &["show", "post.html", "--diff"],
            "file-not-url",
            "post.html",
        ),
    ];
    for (args, kind, input) in cases {
        let (code, doc, stderr) = env.json(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert_eq!(doc["error"]["kind"], kind, "{args:?}: {doc:#}");
        assert_eq!(doc["error"]["input"], input, "{args:?}: {doc:#}");
        assert!(doc["error"]["hint"].is_string(), "{args:?}: {doc:#}");
        assert!(!stderr.contains("archive an article"), "{args:?}: {stderr}");
    }
    // A well-formed URL the archive does not hold is still a lookup miss (exit 1).
    let (code, doc, _) = env.json(&["show", "https://www.instagram.com/p/NOTARCHIVED/"]);
    assert_eq!((code, &doc["error"]["kind"]), (1, &"not-archived".into()));
}

#[test]
fn list_article_refuses_a_malformed_url_as_a_usage_error() {
    let env = env();
    let r = run(&env, &["archive", ARTICLE]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // An archive with posts exists, so an empty page would be a possible (and wrong) answer.
    let cases: [(&str, &str); 4] = [
        ("not a url", "invalid-url"),
        ("ftp://news.example.com/a", "not-http"),
        ("four-platforms.html", "file-not-url"),
        ("https://", "invalid-url"),
    ];
    for (article, kind) in cases {
        let (code, doc, stderr) = env.json(&["list", "--article", article]);
        assert_eq!(code, 2, "{article:?}: {stderr}\n{doc:#}");
        assert_eq!(doc["error"]["kind"], kind, "{article:?}: {doc:#}");
        assert_eq!(doc["error"]["input"], article, "{doc:#}");
        assert!(doc["error"]["hint"].is_string(), "{doc:#}");
    }
    // The article's URL, with or without its scheme, or with a fragment (a place in the page;
    // the article is archived without it), still finds its posts.
    let with_fragment = format!("{ARTICLE}#comments");
    for article in [ARTICLE, ARTICLE_NO_SCHEME, with_fragment.as_str()] {
        let (code, doc, stderr) = env.json(&["list", "--article", article]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(doc["posts"].as_array().map(Vec::len), Some(7), "{doc:#}");
    }
}

#[test]
fn config_check_refuses_an_unknown_platform_table() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("typo.toml");
    std::fs::write(&file, "[platforms.instagrm]\nenabled = false\n").expect("write");
    let file = file.to_str().expect("path");
    let r = finish(
        bare(dir.path())
            .args(["config", "check", file])
            .output()
            .expect("run"),
    );
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(!r.stdout.contains("valid"), "{}", r.stdout);
    assert!(
        r.stderr.contains("[platforms.instagrm]") && r.stderr.contains("instagram"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains(file), "{}", r.stderr);
}

/// Regression: `[http] user_agent` holding a line break passed `config check`; every fetching
/// command then failed with "cannot build the HTTP client: builder error", naming no key, after
/// creating the database. Both now refuse the file (exit 2) naming the key and quoting the value.
#[test]
fn a_user_agent_that_is_not_a_header_value_is_a_config_error() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("ua.toml");
    std::fs::write(&file, "[http]\nuser_agent = \"bad\\nua\"\n").expect("write");
    let file = file.to_str().expect("path");
    let db = dir.path().join("archive.db");
    let db = db.to_str().expect("path");
    for args in [
        &["config", "check", file][..],
        &[
            "--config",
            file,
            "--db",
            db,
            "archive",
            "https://news.example.com/a.html",
        ],
    ] {
        let r = finish(bare(dir.path()).args(args).output().expect("run"));
        assert_eq!(r.code, 2, "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stderr.contains("http.user_agent") && r.stderr.contains(r#""bad\nua""#),
            "{args:?}: {}",
            r.stderr
        );
        assert!(!r.stdout.contains("valid"), "{args:?}: {}", r.stdout);
    }
    assert!(!Path::new(db).exists(), "no database for a refused config");
}

/// Regression: `config check` said valid when the two listeners shared an address (serve then
/// failed "Address already in use") and when the admin token file did not exist (serve then
/// exited 2). Both are refused, naming the keys and the values.
#[test]
fn config_check_refuses_what_serve_would_fail_on() {
    let dir = tempfile::tempdir().expect("tmp");
    let token = dir.path().join("admin-token");
    let missing = dir.path().join("no-such-token");
    let cases = [
        (
            "[serve]\nlisten = \"127.0.0.1:8080\"\nmetrics_listen = \"127.0.0.1:8080\"\n"
                .to_owned(),
            vec![
                "serve.listen = \"127.0.0.1:8080\"",
                "serve.metrics_listen = \"127.0.0.1:8080\"",
            ],
        ),
        (
            format!(
                "[serve]\nadmin_token_file = {:?}\n",
                missing.display().to_string()
            ),
            vec!["serve.admin_token_file", missing.to_str().expect("path")],
        ),
        // What the HTTP client would refuse at the first fetch, line and reason named.
        (
            "[http.host_overrides]\n\"news.example.com\" = \"http://127.0.0.1:1/x?y=1\"\n"
                .to_owned(),
            vec!["line 2", "http.host_overrides", "query or fragment"],
        ),
        (
            "[http.host_overrides]\n\"https://news.example.com\" = \"http://127.0.0.1:1/\"\n"
                .to_owned(),
            vec!["line 2", "http.host_overrides", "not a host name"],
        ),
    ];
    for (i, (text, named)) in cases.iter().enumerate() {
        let file = dir.path().join(format!("serve-{i}.toml"));
        std::fs::write(&file, text).expect("write");
        let file = file.to_str().expect("path");
        let r = finish(
            bare(dir.path())
                .args(["config", "check", file])
                .output()
                .expect("run"),
        );
        assert_eq!(r.code, 2, "{text}: {}{}", r.stdout, r.stderr);
        assert!(!r.stdout.contains("valid"), "{text}: {}", r.stdout);
        for name in named {
            assert!(r.stderr.contains(name), "{text}: {name} in {}", r.stderr);
        }
    }
    // With the token file in place the same file is valid.
    std::fs::write(&token, "s3cret\n").expect("token");
    let file = dir.path().join("serve-ok.toml");
    std::fs::write(
        &file,
        format!(
            "[serve]\nadmin_token_file = {:?}\n",
            token.display().to_string()
        ),
    )
    .expect("write");
    let r = finish(
        bare(dir.path())
            .args(["config", "check", file.to_str().expect("path")])
            .output()
            .expect("run"),
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(!r.stdout.contains("s3cret"), "the token is never printed");
}

/// Regression: commands started together on a new archive (a daemon and cron jobs on a first
/// deploy) read its header while another was writing it, and some failed with "an SQLite
/// database of another application" or "damaged … cut short; restore from a backup", on a file
/// that was fine; and one in a few hundred failed with "locked by another writer" when its
/// switch to WAL mode met another's lock, which SQLite reports without waiting. Eight at once,
/// fifty times over: every one succeeds.
#[test]
fn commands_started_together_on_a_new_archive_all_succeed() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("new.db");
    for round in 0..50 {
        for leftover in ["new.db", "new.db-wal", "new.db-shm"] {
            let _ = std::fs::remove_file(dir.path().join(leftover));
        }
        let children: Vec<_> = (0..8)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_embedkeep"))
                    .env_remove("EMBEDKEEP_DB")
                    .env_remove("EMBEDKEEP_CONFIG")
                    .arg("--db")
                    .arg(&db)
                    .args(["db", "migrate"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("start embedkeep")
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().expect("wait");
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

/// Under systemd, stderr is the journal, where each line is an entry of its own: a config
/// file's parse error (which quotes the line at fault over several) and its hint come as one
/// line. On a terminal or a pipe they keep their lines.
#[test]
fn a_config_error_is_one_journal_line_when_stderr_is_the_journal() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[http]\nmax_body_bytes = \"lots\"\n").expect("config");
    let err_path = dir.path().join("stderr");
    let err_file = std::fs::File::create(&err_path).expect("stderr file");
    let meta = err_file.metadata().expect("stat");
    let status = Command::new(assert_cmd::cargo::cargo_bin("embedkeep"))
        .env("HOME", dir.path())
        .env("JOURNAL_STREAM", format!("{}:{}", meta.dev(), meta.ino()))
        .arg("--config")
        .arg(&config)
        .arg("daemon")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(err_file)
        .status()
        .expect("run");
    assert_eq!(status.code(), Some(2));
    let text = std::fs::read_to_string(&err_path).expect("stderr");
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("`max_body_bytes = \"lots\"`"), "{text}");
    assert!(text.contains("expected u64"), "{text}");
    assert!(text.contains("(hint: `embedkeep config default`"), "{text}");

    let piped = bare(dir.path())
        .arg("--config")
        .arg(&config)
        .arg("daemon")
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&piped.stderr);
    assert!(text.lines().count() > 2, "{text}");
}

/// Regression: the daemon started with a platform's token file missing that `config check`
/// refused (it only warned at each resolution, running a source short), and its message for a
/// missing admin token file named neither the key nor the line. Now `config check`, `daemon`
/// and (for the admin token) `serve` refuse the same files with the same words, and no archive
/// is made.
#[test]
fn daemon_and_config_check_refuse_the_same_token_files() {
    let dir = tempfile::tempdir().expect("tmp");
    let missing = dir.path().join("no-such-token");
    let missing = missing.to_str().expect("path");
    let cases = [
        (
            format!(
                "[serve]\nlisten = \"127.0.0.1:0\"\nmetrics_listen = \"127.0.0.1:0\"\n\n\
                 [platforms.instagram]\naccess_token_file = {missing:?}\n"
            ),
            "line 6: platforms.instagram.access_token_file: cannot read the access token file",
            vec!["config check", "daemon"],
        ),
        (
            format!(
                "[serve]\nlisten = \"127.0.0.1:0\"\nmetrics_listen = \"127.0.0.1:0\"\n\
                 admin_token_file = {missing:?}\n"
            ),
            "line 4: serve.admin_token_file: cannot read the admin token file",
            vec!["config check", "daemon", "serve"],
        ),
    ];
    for (i, (text, said, commands)) in cases.iter().enumerate() {
        let file = dir.path().join(format!("tokens-{i}.toml"));
        std::fs::write(&file, text).expect("write");
        let file = file.to_str().expect("path");
        let db = dir.path().join(format!("tokens-{i}.db"));
        for command in commands {
            let mut run = bare(dir.path());
            match *command {
                "config check" => run.args(["config", "check", file]),
                other => run.args(["--config", file, "--db", db.to_str().expect("path"), other]),
            };
            let r = finish(run.output().expect("run"));
            assert_eq!(r.code, 2, "{command}: {}{}", r.stdout, r.stderr);
            assert!(r.stderr.contains(said), "{command}: {said} in {}", r.stderr);
            assert!(r.stderr.contains(missing), "{command}: {}", r.stderr);
        }
        assert!(!db.exists(), "no archive for a refused config");
    }
}

/// A write past the file-size limit (`ulimit -f`, systemd's `LimitFSIZE=`) is an error that
/// names the archive, as a full disk is, not a death by SIGXFSZ with no word said.
#[test]
fn a_write_past_the_file_size_limit_is_an_error_naming_the_archive() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("archive.db");
    let page = dir.path().join("page.html");
    std::fs::write(
        &page,
        "<p>https://www.instagram.com/p/C8kQx2LtA1b/</p>".repeat(4),
    )
    .expect("page");
    let binary = assert_cmd::cargo::cargo_bin("embedkeep");
    // 16 blocks of 512 bytes: less than a new archive's schema takes.
    let out = Command::new("sh")
        .arg("-c")
        .arg("ulimit -f 16 && exec \"$0\" --db \"$1\" archive --html \"$2\" --base-url https://news.example/a")
        .arg(&binary)
        .arg(&db)
        .arg(&page)
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .output()
        .expect("run");
    let r = finish(out);
    assert!(
        r.code == 1 || r.code == 2,
        "an exit code, not a signal: {} {}{}",
        r.code,
        r.stdout,
        r.stderr
    );
    assert!(
        r.stderr.contains(db.to_str().expect("path")) && r.stderr.contains("I/O error"),
        "{}",
        r.stderr
    );
}

/// A copy put in an archive's place beside the `-wal` of the archive it replaced (one a crashed
/// run left) reads as damaged, since SQLite replays that log onto it: the error says so, and
/// once the log is moved aside the copy reads as it was.
#[test]
fn a_restored_copy_beside_the_replaced_archives_log_says_so() {
    let env = env();
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("archive.db");
    let r = run_db(&env, &db, &["archive", ARTICLE]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let copy = dir.path().join("copy.db");
    let r = run_db(&env, &db, &["db", "backup", copy.to_str().expect("path")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Writes that sit in the log, as a process killed before its checkpoint leaves them: the
    // log is saved while the connection that wrote it is still open.
    let wal = dir.path().join("archive.db-wal");
    let saved = {
        let conn = rusqlite::Connection::open(&db).expect("open");
        conn.execute_batch(
            "PRAGMA wal_autocheckpoint = 0;
             CREATE TABLE filler (body BLOB);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
             INSERT INTO filler SELECT randomblob(3000) FROM n;",
        )
        .expect("write");
        std::fs::read(&wal).expect("the log")
    };
    std::fs::copy(&copy, &db).expect("restore");
    std::fs::write(&wal, &saved).expect("the old log");
    let _ = std::fs::remove_file(dir.path().join("archive.db-shm"));
    let r = run_db(&env, &db, &["list"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let log = format!("{}-wal", db.display());
    assert!(
        r.stderr
            .contains(&format!("a write-ahead log is beside it ({log})")),
        "{}",
        r.stderr
    );
    std::fs::remove_file(&wal).expect("move the log aside");
    let r = run_db(&env, &db, &["list"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("instagram"), "{}", r.stdout);
}

fn run_db(env: &TestEnv, db: &Path, args: &[&str]) -> Run {
    finish(env.cmd_with_db(db).args(args).output().expect("run"))
}
