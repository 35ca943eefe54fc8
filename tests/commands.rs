//! `check`, `list`, `pin` and `show --diff` end to end: the real binary on a real SQLite file,
//! the four-platform test article archived against the recorded platform answers.

mod support;

use serde_json::Value;
use support::{Reply, Routes, TestEnv, fixture};

const ARTICLE: &str = "https://news.example.com/2026/11/four-platforms.html";
const JACK: &str = "https://x.com/jack/status/20";
const HARBOUR: &str = "https://www.instagram.com/p/C8kQx2LtA1b/";
const HARBOUR_EMBED: &str = "https://www.instagram.com/p/C8kQx2LtA1b/embed/captioned/";
const NOT_ARCHIVED: &str = "https://www.instagram.com/p/NOTARCHIVED/";

fn routes() -> Routes {
    let mut routes = Routes::from_manifest();
    routes.add(
        ARTICLE,
        Reply::html(fixture("local/article-four-platforms.html")),
    );
    routes
}

/// An environment with the four-platform article archived (7 posts, all live).
fn archived() -> TestEnv {
    let env = TestEnv::new(routes(), "");
    let (code, _, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "{stderr}");
    env
}

fn posts(doc: &Value) -> &Vec<Value> {
    doc["posts"].as_array().expect("posts array")
}

fn post_urls(doc: &Value) -> Vec<&str> {
    posts(doc)
        .iter()
        .map(|p| p["post_url"].as_str().expect("post_url"))
        .collect()
}

/// Run the binary without `--json`: (exit code, stdout, stderr).
fn run(env: &TestEnv, args: &[&str]) -> (i32, String, String) {
    let out = env.cmd().args(args).output().expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn list_shows_the_archived_posts_with_their_articles() {
    let env = archived();
    let (code, doc, stderr) = env.json(&["list", "--status", "live"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(posts(&doc).len(), 7, "{doc:#}");
    assert!(doc["next"].is_null());
    for p in posts(&doc) {
        assert_eq!(p["status"], "live", "{p:#}");
        assert!(p["pin"].is_null());
        assert!(p["id"].as_i64().is_some());
        assert_eq!(p["articles"], serde_json::json!([ARTICLE]), "{p:#}");
        assert!(p["snapshot"]["id"].as_i64().is_some(), "{p:#}");
        assert!(p.get("snapshots").is_none() && p.get("checks").is_none());
    }
    let ids: Vec<i64> = posts(&doc)
        .iter()
        .filter_map(|p| p["id"].as_i64())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "by id: {ids:?}");

    let (_, x, _) = env.json(&["list", "--platform", "x"]);
    assert_eq!(post_urls(&x).len(), 2, "{x:#}");
    assert!(post_urls(&x).contains(&JACK));
    let (_, gone, _) = env.json(&["list", "--status", "gone"]);
    assert!(posts(&gone).is_empty());
    let (_, recent, _) = env.json(&["list", "--since", "7d", "--article", ARTICLE]);
    assert_eq!(posts(&recent).len(), 7);
    let (_, future, _) = env.json(&["list", "--since", "2999-01-01"]);
    assert!(posts(&future).is_empty(), "{future:#}");

    // Pages: `next` is the last id of a full page and continues with --after.
    let (_, first, _) = env.json(&["list", "--limit", "3"]);
    assert_eq!(posts(&first).len(), 3);
    assert_eq!(first["next"].as_i64(), Some(ids[2]));
    let after = ids[2].to_string();
    let (_, rest, _) = env.json(&["list", "--limit", "10", "--after", &after]);
    assert_eq!(posts(&rest).len(), 4);
    assert!(rest["next"].is_null());

    // Human output: one row per post, its articles under it.
    let (code, out, _) = run(&env, &["list", "--platform", "x"]);
    assert_eq!(code, 0);
    assert!(out.contains("ID  PLATFORM  STATUS"), "{out}");
    assert!(out.contains(JACK), "{out}");
    assert!(out.contains(&format!("in {ARTICLE}")), "{out}");
    assert!(out.contains("2 post(s)"), "{out}");
}

/// An article is archived without its tracking parameters, so `list --article` given the
/// address as it was shared (`?utm_source=…`, `fbclid`) finds it, as `archive` would key it.
#[test]
fn list_article_finds_the_article_under_a_shared_link() {
    let env = archived();
    for shared in [
        format!("{ARTICLE}?utm_source=newsletter&utm_medium=email"),
        format!("{ARTICLE}?fbclid=abc#comments"),
    ] {
        let (code, doc, stderr) = env.json(&["list", "--article", &shared]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(posts(&doc).len(), 7, "{shared}: {doc:#}");
    }
    let (_, other, _) = env.json(&["list", "--article", &format!("{ARTICLE}?page=2")]);
    assert!(posts(&other).is_empty(), "{other:#}");
}

#[test]
fn list_rejects_a_bad_filter_as_usage() {
    let env = archived();
    for args in [
        ["list", "--status", "dead"],
        ["list", "--since", "last tuesday"],
        ["list", "--platform", "myspace"],
        ["list", "--limit", "0"],
    ] {
        let (code, _, stderr) = run(&env, &args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(args[2]), "{args:?}: {stderr}");
    }
}

#[test]
fn a_pin_decides_the_status_until_lifted_and_checks_keep_it() {
    let env = archived();
    let (code, pinned, stderr) = env.json(&["pin", JACK, "--gone"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(pinned["post_url"], JACK);
    assert_eq!(pinned["status"], "gone");
    assert_eq!(pinned["pin"], "gone");
    assert_eq!(pinned["snapshot"]["author_handle"], "jack", "{pinned:#}");

    let (_, gone, _) = env.json(&["list", "--status", "gone"]);
    assert_eq!(post_urls(&gone), vec![JACK]);
    let (_, out, _) = run(&env, &["list", "--status", "gone"]);
    assert!(out.contains("gone (pinned)"), "{out}");
    // Archiving the article again shows the pin as `list` does, in its table and its JSON.
    let (code, again, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "{stderr}");
    let embeds = again["articles"][0]["embeds"].as_array().expect("embeds");
    let jack = embeds
        .iter()
        .find(|e| e["id"] == pinned["id"])
        .unwrap_or_else(|| panic!("{again:#}"));
    assert_eq!(
        (&jack["status"], &jack["pin"]),
        (&"gone".into(), &"gone".into())
    );
    assert!(
        embeds
            .iter()
            .filter(|e| e["id"] != pinned["id"])
            .all(|e| e["pin"].is_null()),
        "{again:#}"
    );
    let (_, out, _) = run(&env, &["archive", ARTICLE]);
    assert_eq!(out.matches("gone (pinned)").count(), 1, "{out}");

    // The post answers live, and the check records that, but readers still see the pin.
    let (code, checked, stderr) = env.json(&["check", JACK]);
    assert_eq!(code, 0, "{stderr}");
    let p = &posts(&checked)[0];
    assert_eq!(p["check"]["outcome"], "live", "{p:#}");
    assert_eq!(p["status"], "gone");
    assert_eq!(p["pin"], "gone");
    let (_, gone, _) = env.json(&["list", "--status", "gone"]);
    assert_eq!(post_urls(&gone), vec![JACK]);
    let (_, shown, _) = env.json(&["show", JACK]);
    assert_eq!(shown["status"], "gone");
    assert_eq!(shown["checks"][0]["outcome"], "live");

    // Human output of pin says what readers see and why.
    let (code, out, _) = run(&env, &["pin", JACK, "--live"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("status: live (pinned; the checks say live)"),
        "{out}"
    );

    let (code, lifted, _) = env.json(&["pin", JACK, "--auto"]);
    assert_eq!(code, 0);
    assert_eq!(lifted["status"], "live");
    assert!(lifted["pin"].is_null());
    let (_, gone, _) = env.json(&["list", "--status", "gone"]);
    assert!(posts(&gone).is_empty(), "{gone:#}");
}

#[test]
fn pin_needs_one_verdict_and_an_archived_post() {
    let env = archived();
    for args in [
        vec!["pin", JACK],
        vec!["pin", JACK, "--gone", "--live"],
        vec!["pin", JACK, "--auto", "--gone"],
    ] {
        let (code, _, stderr) = run(&env, &args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
    }
    let (code, _, stderr) = run(&env, &["pin", NOT_ARCHIVED, "--gone"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(NOT_ARCHIVED) && stderr.contains("not in the archive"),
        "{stderr}"
    );
}

#[test]
fn check_json_has_the_post_its_snapshot_and_the_outcome() {
    let env = archived();
    // Another URL form of the same post is the same post.
    let (code, doc, stderr) = env.json(&["check", HARBOUR, "https://instagr.am/p/C8kQx2LtA1b/"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(posts(&doc).len(), 1, "{doc:#}");
    assert_eq!(doc["errors"], serde_json::json!([]));
    let p = &posts(&doc)[0];
    assert!(p["id"].as_i64().is_some());
    assert_eq!(p["platform"], "instagram");
    assert_eq!(p["kind"], "post");
    assert_eq!(p["post_url"], HARBOUR);
    assert_eq!(p["post_id"], "C8kQx2LtA1b");
    assert_eq!(p["status"], "live");
    assert!(p["pin"].is_null() && p["error"].is_null());
    assert!(p["last_live_at"].as_str().is_some(), "{p:#}");
    assert!(p["last_checked_at"].as_str().is_some(), "{p:#}");
    assert!(p.get("snapshots").is_none() && p.get("checks").is_none());
    assert_eq!(p["snapshot"]["author_handle"], "harbourdesk");
    assert_eq!(
        p["check"],
        serde_json::json!({"outcome": "live", "error": null, "new_snapshot": false})
    );
    // The check is in the history.
    assert_eq!(
        env.sql_count(
            "SELECT COUNT(*) FROM checks c JOIN posts p ON p.id = c.post_id \
                       WHERE p.post_id = 'C8kQx2LtA1b'"
        ),
        2
    );

    let (code, out, _) = run(&env, &["check", JACK]);
    assert_eq!(code, 0);
    assert!(out.contains("OUTCOME  STATUS"), "{out}");
    assert!(
        out.contains("1 post(s) checked: 1 live, 0 gone, 0 transient"),
        "{out}"
    );
}

#[test]
fn check_of_a_url_not_archived_names_it_and_checks_the_others() {
    let env = archived();
    let (code, doc, stderr) = env.json(&["check", NOT_ARCHIVED, JACK]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(post_urls(&doc), vec![JACK]);
    assert_eq!(posts(&doc)[0]["check"]["outcome"], "live");
    let e = &doc["errors"][0];
    assert_eq!(e["kind"], "not-archived");
    assert_eq!(e["input"], NOT_ARCHIVED);
    assert!(stderr.contains(NOT_ARCHIVED), "{stderr}");

    let (code, out, _) = run(&env, &["check", NOT_ARCHIVED]);
    assert_eq!(code, 1);
    assert!(
        out.contains(&format!("{NOT_ARCHIVED} is not in the archive")),
        "{out}"
    );
}

#[test]
fn check_due_and_all() {
    let env = archived();
    let (code, all, stderr) = env.json(&["check", "--all"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(posts(&all).len(), 7);
    assert!(
        posts(&all)
            .iter()
            .all(|p| p["check"]["outcome"] == "live" && p["status"] == "live"),
        "{all:#}"
    );

    // A check schedules the next one: nothing is due right after `check --all`.
    let (code, due, _) = env.json(&["check", "--due"]);
    assert_eq!(code, 0);
    assert!(post_urls(&due).is_empty(), "{due:#}");

    // Only the post whose next check is due (the others are scheduled far ahead).
    let conn = rusqlite::Connection::open(&env.db_path).expect("open db");
    conn.execute(
        "UPDATE posts SET next_check_at = CASE WHEN canonical_url = ?1 \
         THEN '2000-01-01T00:00:00.000000000Z' ELSE '9999-01-01T00:00:00.000000000Z' END",
        [JACK],
    )
    .expect("schedule");
    drop(conn);
    let (code, due, _) = env.json(&["check", "--due"]);
    assert_eq!(code, 0);
    assert_eq!(post_urls(&due), vec![JACK]);
}

#[test]
fn check_needs_exactly_one_form() {
    let env = archived();
    for args in [
        vec!["check"],
        vec!["check", JACK, "--due"],
        vec!["check", "--due", "--all"],
        vec!["check", JACK, "--all"],
    ] {
        let (code, _, stderr) = run(&env, &args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
    }
}

#[test]
fn read_and_pin_commands_never_create_a_missing_archive() {
    let env = TestEnv::new(routes(), "");
    for args in [
        vec!["list"],
        vec!["list", "--json"],
        vec!["check", JACK],
        vec!["check", "--all"],
        vec!["pin", JACK, "--gone"],
        vec!["show", JACK, "--diff"],
    ] {
        let (code, _, stderr) = run(&env, &args);
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(stderr.contains("no archive at"), "{args:?}: {stderr}");
        assert!(stderr.contains("archive.db"), "{args:?}: {stderr}");
        assert!(!env.db_path.exists(), "{args:?} created the archive");
    }
}

#[test]
fn show_diff_with_one_snapshot_says_so() {
    let env = archived();
    let (code, out, _) = run(&env, &["show", HARBOUR, "--diff"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("only one snapshot; nothing to compare"),
        "{out}"
    );
    let (code, doc, _) = env.json(&["show", HARBOUR, "--diff"]);
    assert_eq!(code, 0);
    assert_eq!(doc["post"]["post_url"], HARBOUR);
    assert_eq!(doc["diffs"], serde_json::json!([]));
}

#[test]
fn show_diff_shows_an_edited_caption() {
    let mut env = archived();
    // The same recorded embed page, its caption edited: what the post shows after its author
    // rewrote it. Everything else in the answer (author, image, markup) is the recording's.
    let mut edited = routes();
    edited.edit_body(HARBOUR_EMBED, |body| {
        let page = String::from_utf8(body).expect("UTF-8 page");
        let before = "Morning light over the harbour, before the ferries start.";
        assert!(page.contains(before), "the recorded caption");
        page.replace(
            before,
            "Evening light over the harbour, after the last ferry.",
        )
        .into_bytes()
    });
    env.replace_server(edited);

    let (code, checked, stderr) = env.json(&["check", HARBOUR]);
    assert_eq!(code, 0, "{stderr}");
    let p = &posts(&checked)[0];
    assert_eq!(p["check"]["new_snapshot"], true, "{p:#}");
    assert!(
        p["snapshot"]["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("Evening light")),
        "{p:#}"
    );

    let (code, doc, _) = env.json(&["show", HARBOUR, "--diff"]);
    assert_eq!(code, 0);
    let diffs = doc["diffs"].as_array().expect("diffs");
    assert_eq!(diffs.len(), 1, "{doc:#}");
    let d = &diffs[0];
    assert_eq!(d["to"], p["snapshot"]["id"]);
    assert!(d["from"].as_i64() < d["to"].as_i64(), "{d:#}");
    // Only the caption changed: the image's signed URL and the author are the same.
    let changes = d["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 1, "{d:#}");
    let text = &changes[0];
    assert_eq!(text["field"], "text");
    assert!(
        text["before"]
            .as_str()
            .is_some_and(|t| t.starts_with("Morning light"))
    );
    assert!(
        text["after"]
            .as_str()
            .is_some_and(|t| t.starts_with("Evening light"))
    );
    let lines = text["lines"].as_array().expect("lines");
    assert!(lines.iter().any(|l| {
        l["op"] == "removed"
            && l["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("Morning light"))
    }));
    assert!(lines.iter().any(|l| {
        l["op"] == "added"
            && l["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("Evening light"))
    }));

    let (code, out, _) = run(&env, &["show", HARBOUR, "--diff"]);
    assert_eq!(code, 0);
    assert!(out.contains("    text:\n"), "{out}");
    assert!(
        out.contains("- Morning light over the harbour, before the ferries start."),
        "{out}"
    );
    assert!(
        out.contains("+ Evening light over the harbour, after the last ferry."),
        "{out}"
    );
}

#[test]
fn help_names_the_commands() {
    let env = TestEnv::new(routes(), "");
    let (code, help, _) = run(&env, &["--help"]);
    assert_eq!(code, 0);
    for c in ["check", "list", "pin"] {
        assert!(help.contains(c), "{help}");
    }
    let (_, show, _) = run(&env, &["show", "--help"]);
    assert!(show.contains("--diff"), "{show}");
}

/// Regression: `store.path = "~/x.db"` made a directory named `~` in the current directory, and
/// a relative `store.path` followed the current directory. `~/` is the home directory, a
/// relative path is relative to the config file's directory; `--db` stays relative to the
/// current directory.
#[test]
fn store_path_expands_home_and_is_relative_to_the_config_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (home, etc, cwd) = (
        tmp.path().join("home"),
        tmp.path().join("etc"),
        tmp.path().join("cwd"),
    );
    for dir in [&home, &etc, &cwd] {
        std::fs::create_dir(dir).expect("mkdir");
    }
    let migrate = |store_path: &str, home: Option<&std::path::Path>, db: Option<&str>| {
        let config = etc.join("embedkeep.toml");
        std::fs::write(&config, format!("[store]\npath = {store_path:?}\n")).expect("write");
        let mut cmd = assert_cmd::Command::cargo_bin("embedkeep").expect("binary");
        cmd.current_dir(&cwd)
            .env_remove("EMBEDKEEP_DB")
            .env_remove("EMBEDKEEP_CONFIG")
            .env_remove("RUST_LOG")
            .env("XDG_DATA_HOME", tmp.path().join("data"))
            .arg("--config")
            .arg(&config);
        match home {
            Some(home) => cmd.env("HOME", home),
            None => cmd.env_remove("HOME"),
        };
        if let Some(db) = db {
            cmd.args(["--db", db]);
        }
        let out = cmd.args(["db", "migrate"]).output().expect("run");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stderr) = migrate("~/tilde.db", Some(&home), None);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(home.join("tilde.db").is_file());
    assert!(!cwd.join("~").exists());

    let (code, stderr) = migrate("relative.db", Some(&home), None);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(etc.join("relative.db").is_file());
    assert!(!cwd.join("relative.db").exists());

    let (code, stderr) = migrate("relative.db", Some(&home), Some("flag.db"));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(cwd.join("flag.db").is_file());

    let (code, stderr) = migrate("~/tilde.db", None, None);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("store.path") && stderr.contains("HOME"),
        "{stderr}"
    );
    assert!(!cwd.join("~").exists());
}

/// `show --json` lacked `last_checked_at`, which the post objects of `check`, `list` and `pin`
/// have: those are `show --json`'s post object with fields added or left out, so each of their
/// fields but the ones they add is in it too, with the same value.
#[test]
fn show_json_has_last_checked_at_like_the_other_post_objects() {
    let env = archived();
    let (code, checked, stderr) = env.json(&["check", HARBOUR]);
    assert_eq!(code, 0, "{stderr}");
    let (code, listed, stderr) = env.json(&["list"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, pinned, stderr) = env.json(&["pin", HARBOUR, "--auto"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, shown, stderr) = env.json(&["show", HARBOUR]);
    assert_eq!(code, 0, "{stderr}");

    let at = shown["last_checked_at"].as_str().unwrap_or_default();
    assert!(
        chrono::DateTime::parse_from_rfc3339(at).is_ok(),
        "last_checked_at is not RFC 3339: {shown:#}"
    );
    let checked = &posts(&checked)[0];
    assert_eq!(shown["last_checked_at"], checked["last_checked_at"]);
    let listed = posts(&listed)
        .iter()
        .find(|p| p["post_url"] == HARBOUR)
        .expect("listed");
    for (object, added) in [
        (checked, &["snapshot", "check"][..]),
        (listed, &["snapshot", "articles", "status_since"][..]),
        (&pinned, &["snapshot"][..]),
    ] {
        for (name, value) in object.as_object().expect("post object") {
            if added.contains(&name.as_str()) {
                continue;
            }
            assert_eq!(shown.get(name), Some(value), "{name}: {shown:#}");
        }
    }
}

/// Regression: Ctrl-C during `check --all --json` ended the process by the signal, with nothing
/// on stdout. The checks in progress stop, and the report covers the finished ones: one JSON
/// document, exit 1, and a line on stderr saying so.
#[test]
fn an_interrupted_check_reports_the_checks_that_finished() {
    let env = archived();
    // The same archive checked through a fixture server where one post's platform is slow.
    let mut slow = routes();
    slow.add(
        HARBOUR_EMBED,
        Reply::Slow(std::time::Duration::from_secs(60)),
    );
    let slow_env = TestEnv::new(slow, "");
    let count = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row("SELECT count(*) FROM checks", [], |r| r.get(0))
            .unwrap_or(0)
    };
    let conn = rusqlite::Connection::open(&env.db_path).expect("open db");
    let before = count(&conn);
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_embedkeep"))
        .env_remove("EMBEDKEEP_DB")
        .env_remove("EMBEDKEEP_CONFIG")
        .env_remove("RUST_LOG")
        .env("HOME", slow_env.dir.path())
        .arg("--config")
        .arg(&slow_env.config_path)
        .arg("--db")
        .arg(&env.db_path)
        .args(["check", "--all", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start the check");
    // The other posts answer at once; the slow one holds the run.
    let started = std::time::Instant::now();
    loop {
        if count(&conn) >= before + 6 || started.elapsed() > std::time::Duration::from_secs(30) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    drop(conn);
    // A check is stored a moment before the run takes its answer: with the slow post holding
    // the run for a minute, the interrupt can wait for that moment.
    std::thread::sleep(std::time::Duration::from_millis(500));
    let pid = child.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    let out = child.wait_with_output().expect("wait");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let doc: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}): {stdout}\n{stderr}"));
    let checked = post_urls(&doc);
    assert!(!checked.contains(&HARBOUR), "{doc:#}");
    assert_eq!(checked.len(), 6, "{doc:#}");
    assert!(
        stderr.contains("interrupted: 6 of 7 post(s) checked"),
        "{stderr}"
    );
}

/// An environment variable set but empty (`EMBEDKEEP_DB=` in a unit file or a shell) says
/// nothing: the defaults apply, as if it were unset, rather than a usage error about an option
/// the user never typed.
#[test]
fn empty_environment_variables_are_unset() {
    let tmp = tempfile::tempdir().expect("tmp");
    let run = |args: &[&str]| {
        let out = assert_cmd::Command::cargo_bin("embedkeep")
            .expect("binary")
            .env("EMBEDKEEP_CONFIG", "")
            .env("EMBEDKEEP_DB", "")
            .env("HOME", tmp.path())
            .env("XDG_CONFIG_HOME", tmp.path().join("config"))
            .env("XDG_DATA_HOME", tmp.path().join("data"))
            .env_remove("RUST_LOG")
            .args(args)
            .output()
            .expect("run");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stdout, stderr) = run(&["config", "check"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("built-in defaults"), "{stdout}");
    // The default archive is looked for (and, not being there, is named).
    let (code, stdout, _) = run(&["db", "stats", "--json"]);
    assert_eq!(code, Some(1), "{stdout}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(doc["error"]["kind"], "no-archive", "{doc}");
    assert!(
        doc["error"]["input"]
            .as_str()
            .is_some_and(|p| p.ends_with("embedkeep/embedkeep.db")),
        "{doc}"
    );
}
