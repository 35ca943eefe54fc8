//! `embedkeep daemon` as a subprocess against the fixture server: sources followed, posts
//! re-checked over time with the liveness rules, restarts and kills survived, signals honoured.
//! Schedules run every second and `gone_after` is seconds, so days of behaviour take seconds.

mod support;

use std::os::unix::net::UnixDatagram;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::{Reply, Routes, TestEnv, fixture};

const ARTICLE: &str = "https://news.example.com/2026/12/harbour.html";
const POST: &str = "https://www.instagram.com/p/C8kQx2LtA1b/";
const EMBED_PAGE: &str = "https://www.instagram.com/p/C8kQx2LtA1b/embed/captioned/";

/// A hand-made article with one Instagram embed (the v14 blockquote form).
fn article_html() -> String {
    format!(
        "<html><head><title>Harbour</title></head><body><p>Text.</p>\
         <blockquote class=\"instagram-media\" data-instgrm-permalink=\"{POST}?utm_source=ig_embed\" \
         data-instgrm-version=\"14\"><a href=\"{POST}\">View this post on Instagram</a></blockquote>\
         <script async src=\"//www.instagram.com/embed.js\"></script></body></html>"
    )
}

/// Schedules every second; a post is gone after 3 gone answers spanning 2 s. The daemon's
/// HTTP server listens on free ports, so daemons of parallel tests do not collide.
fn fast_config(sources: &str) -> String {
    format!(
        "[liveness]\ngone_after_checks = 3\ngone_after = \"2s\"\n\n\
         [schedule]\ndiscover = \"* * * * * *\"\nrecheck = \"* * * * * *\"\n\
         recheck_min = \"1s\"\nrecheck_max = \"1s\"\nlease = \"3s\"\nshutdown_grace = \"5s\"\n\
         workers = 2\n\n[serve]\nlisten = \"127.0.0.1:0\"\nmetrics_listen = \"127.0.0.1:0\"\n\n{sources}\n"
    )
}

/// The daemon, started on the test environment's config and database.
struct Daemon {
    child: Child,
    log: std::path::PathBuf,
}

impl Daemon {
    fn start(env: &TestEnv, notify: Option<&Path>) -> Daemon {
        Daemon::start_in(env, notify, None)
    }

    /// The daemon started in the directory `cwd` (else the test's own).
    fn start_in(env: &TestEnv, notify: Option<&Path>, cwd: Option<&Path>) -> Daemon {
        Daemon::start_with(env, notify, cwd, Some("embedkeep=info"))
    }

    /// The daemon started in `cwd`, with `RUST_LOG` set to `rust_log` (unset when `None`).
    fn start_with(
        env: &TestEnv,
        notify: Option<&Path>,
        cwd: Option<&Path>,
        rust_log: Option<&str>,
    ) -> Daemon {
        let log = env.dir.path().join(format!(
            "daemon-{}.log",
            Instant::now().elapsed().as_nanos() ^ u128::from(std::process::id())
        ));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_embedkeep"));
        cmd.env_remove("EMBEDKEEP_DB")
            .env_remove("EMBEDKEEP_CONFIG")
            .env_remove("JOURNAL_STREAM")
            .env_remove("NOTIFY_SOCKET")
            .env_remove("RUST_LOG")
            .env("HOME", env.dir.path())
            .arg("--config")
            .arg(&env.config_path)
            .arg("--db")
            .arg(&env.db_path)
            .arg("daemon")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log file"));
        if let Some(socket) = notify {
            cmd.env("NOTIFY_SOCKET", socket);
        }
        if let Some(directives) = rust_log {
            cmd.env("RUST_LOG", directives);
        }
        if let Some(cwd) = cwd {
            cmd.current_dir(cwd);
        }
        Daemon {
            child: cmd.spawn().expect("start the daemon"),
            log,
        }
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
    }

    /// Wait for the process to exit; its exit code.
    fn wait(mut self, within: Duration) -> (Option<i32>, String) {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return (status.code(), self.log());
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("daemon did not exit within {within:?}:\n{}", self.log());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Rows of a query on the archive (read-only), each row's columns as text.
fn rows(env: &TestEnv, sql: &str) -> Vec<Vec<String>> {
    let Ok(conn) = rusqlite::Connection::open_with_flags(
        &env.db_path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    ) else {
        return Vec::new();
    };
    let Ok(mut stmt) = conn.prepare(sql) else {
        return Vec::new();
    };
    let n = stmt.column_count();
    stmt.query_map([], |row| {
        (0..n)
            .map(|i| {
                row.get::<_, rusqlite::types::Value>(i).map(|v| match v {
                    rusqlite::types::Value::Null => "NULL".into(),
                    rusqlite::types::Value::Integer(i) => i.to_string(),
                    rusqlite::types::Value::Real(f) => f.to_string(),
                    rusqlite::types::Value::Text(t) => t,
                    rusqlite::types::Value::Blob(_) => "<blob>".into(),
                })
            })
            .collect::<Result<Vec<_>, _>>()
    })
    .map(|r| r.filter_map(Result::ok).collect())
    .unwrap_or_default()
}

/// Whether the first column of the first row `sql` reads is `want` (false while the archive
/// cannot be read yet).
fn first_is(env: &TestEnv, sql: &str, want: &str) -> bool {
    rows(env, sql).first().is_some_and(|r| r[0] == want)
}

fn wait_until(what: &str, within: Duration, daemon: &Daemon, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + within;
    while !done() {
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}\n{}",
            daemon.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn urls_file(env: &TestEnv, urls: &[&str]) -> String {
    let path = env.dir.path().join("urls.txt");
    std::fs::write(&path, urls.join("\n")).expect("urls file");
    format!("[[sources]]\nurls_file = \"{}\"\n", path.display())
}

/// A live → gone → transient → live post: a gone verdict needs its strikes, rate limits, server
/// errors and junk never count, the revival is recorded, and the edited caption is a new snapshot.
#[test]
fn a_post_is_gone_only_after_its_strikes_and_revives_with_its_edit() {
    let live = fixture("samples/instagram/embed-captioned-C8kQx2LtA1b-image.html");
    let broken = fixture("samples/instagram/embed-captioned-B3A-0uuAhg0-broken.html");
    // The recorded live page with its caption edited (a real edit changes only the text).
    let edited = String::from_utf8_lossy(&live)
        .replace(
            "Morning light over the harbour",
            "Evening light over the harbour",
        )
        .into_bytes();
    let page = |body: Vec<u8>| Reply::with_type(200, "text/html; charset=\"utf-8\"", body);
    let mut routes = Routes::from_manifest();
    routes.add(ARTICLE, Reply::html(article_html()));
    routes.add(
        EMBED_PAGE,
        Reply::sequence(vec![
            page(live.clone()),                                       // archived: live
            page(broken.clone()),                                     // gone 1
            Reply::with_type(429, "text/plain", "Too Many Requests"), // transient
            page(broken.clone()),                                     // gone 2
            Reply::with_type(503, "text/html", "<h1>Service Unavailable</h1>"), // transient
            page(b"<html><body></body></html>".to_vec()),             // junk: transient
            page(broken),                                             // gone 3: gone
            page(edited),                                             // revived, edited
        ]),
    );
    let mut env = TestEnv::new(routes, "");
    let sources = urls_file(&env, &[ARTICLE]);
    env = rewrite_config(env, &sources);
    let daemon = Daemon::start(&env, None);
    wait_until(
        "eight checks of the post",
        // The 429 holds the platform back for its cooldown (30 s): on a loaded machine the
        // whole sequence has taken 70 s.
        Duration::from_secs(180),
        &daemon,
        || first_is(&env, "SELECT count(*) FROM checks", "8"),
    );
    // The checks this daemon recorded are counted by platform and outcome, as counters that
    // retention does not lower; its writes all went through.
    let metrics = scrape_metrics(&daemon);
    for (outcome, n) in [("live", 2), ("gone", 3), ("transient", 3)] {
        let line =
            format!("embedkeep_checks_total{{platform=\"instagram\",outcome=\"{outcome}\"}} {n}");
        assert!(metrics.lines().any(|l| l == line), "{line}\n{metrics}");
    }
    assert!(
        metrics.lines().any(|l| l == "embedkeep_archive_writable 1"),
        "{metrics}"
    );
    assert!(
        metrics
            .lines()
            .any(|l| l == "embedkeep_archive_write_errors_total 0"),
        "{metrics}"
    );
    // Job runs are counted by how they ended: the article's and the re-checks'.
    let done = sample(&metrics, "embedkeep_jobs_total{outcome=\"done\"}").unwrap_or_default();
    assert!(done >= 1.0, "{metrics}");
    daemon.signal("TERM");
    let (code, log) = daemon.wait(Duration::from_secs(20));
    assert_eq!(code, Some(0), "{log}");

    let outcomes: Vec<String> = rows(&env, "SELECT outcome FROM checks ORDER BY id")
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(
        outcomes,
        [
            "live",
            "gone",
            "transient",
            "gone",
            "transient",
            "transient",
            "gone",
            "live"
        ],
        "{log}"
    );
    let post = rows(
        &env,
        "SELECT status, revived_at IS NOT NULL, gone_streak FROM posts",
    );
    assert_eq!(post, [["live", "1", "0"]], "revived and live again\n{log}");
    let texts = rows(&env, "SELECT text FROM snapshots ORDER BY id");
    assert_eq!(texts.len(), 2, "the edit is a new snapshot: {texts:?}");
    assert!(texts[1][0].contains("Evening light"), "{texts:?}");
    // The status readers saw between the strikes: gone only on the third gone answer.
    assert!(log.contains("status=suspect"), "{log}");
    assert!(log.contains("status=gone"), "{log}");
}

fn rewrite_config(env: TestEnv, sources: &str) -> TestEnv {
    let text = std::fs::read_to_string(&env.config_path).expect("config");
    let extra = fast_config(sources);
    std::fs::write(&env.config_path, format!("{extra}\n{text}")).expect("config");
    env
}

/// A feed with a new item is picked up on the next tick; an unchanged feed costs one request
/// (answered 304) and queues nothing.
#[test]
fn a_feed_is_followed_with_conditional_requests() {
    const FEED: &str = "https://news.example.com/rss.xml";
    const SECOND: &str = "https://news.example.com/2026/12/second.html";
    // A hand-made RSS 2.0 document listing the test articles.
    let rss = |links: &[&str]| {
        let items: String = links
            .iter()
            .map(|l| format!("<item><title>t</title><link>{l}</link></item>"))
            .collect();
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>News</title>\
             <link>https://news.example.com/</link><description>d</description>{items}\
             </channel></rss>"
        )
        .into_bytes()
    };
    let body = Arc::new(Mutex::new(rss(&[ARTICLE])));
    let mut routes = Routes::from_manifest();
    routes.add(ARTICLE, Reply::html(article_html()));
    routes.add(
        SECOND,
        Reply::html("<html><body><p>No embeds.</p></body></html>"),
    );
    routes.add(
        FEED,
        Reply::conditional("application/rss+xml", Arc::clone(&body)),
    );
    let env = TestEnv::new(routes, "");
    let env = rewrite_config(env, &format!("[[sources]]\nfeed = \"{FEED}\"\n"));
    let daemon = Daemon::start(&env, None);
    wait_until(
        "the first article",
        Duration::from_secs(30),
        &daemon,
        || first_is(&env, "SELECT count(*) FROM articles", "1"),
    );
    // Let a few unchanged polls happen: each is one request, answered 304, queueing nothing.
    std::thread::sleep(Duration::from_secs(3));
    let polls = env.server.requests().iter().filter(|u| *u == FEED).count();
    assert!(polls >= 3, "polled every second: {polls}");
    // Each poll is counted for monitoring, with the time of the last good one.
    let metrics = scrape_metrics(&daemon);
    let counted = sample(
        &metrics,
        &format!("embedkeep_source_polls_total{{source=\"feed {FEED}\",outcome=\"ok\"}}"),
    )
    .unwrap_or_default();
    assert!(counted >= 3.0, "{metrics}");
    assert!(
        metrics.contains(&format!(
            "embedkeep_source_polls_total{{source=\"feed {FEED}\",outcome=\"failed\"}} 0"
        )),
        "{metrics}"
    );
    let last_good = sample(
        &metrics,
        &format!("embedkeep_source_last_success_timestamp_seconds{{source=\"feed {FEED}\"}}"),
    )
    .unwrap_or_default();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or_default();
    assert!(
        (now - last_good).abs() < 60.0,
        "{last_good} {now}\n{metrics}"
    );
    assert_eq!(
        rows(&env, "SELECT count(*) FROM jobs WHERE kind = 'archive'"),
        [["1"]],
        "an unchanged feed queues nothing"
    );
    if let Ok(mut b) = body.lock() {
        *b = rss(&[SECOND, ARTICLE]);
    }
    wait_until("the new item", Duration::from_secs(30), &daemon, || {
        first_is(&env, "SELECT count(*) FROM articles", "2")
    });
    // A reload that stops following the feed takes its series out of the scrape: its last good
    // poll would otherwise age into a staleness alert for a feed nobody polls.
    let text = std::fs::read_to_string(&env.config_path).expect("config");
    let unfollowed = text.replace(&format!("[[sources]]\nfeed = \"{FEED}\"\n"), "");
    assert_ne!(unfollowed, text, "the config follows the feed");
    std::fs::write(&env.config_path, unfollowed).expect("config");
    daemon.signal("HUP");
    wait_until("the reload", Duration::from_secs(10), &daemon, || {
        daemon.log().contains("config reloaded")
    });
    let metrics = scrape_metrics(&daemon);
    assert!(!metrics.contains(FEED), "{metrics}");
    daemon.signal("INT");
    let (code, log) = daemon.wait(Duration::from_secs(20));
    assert_eq!(code, Some(0), "{log}");
    assert_eq!(
        rows(&env, "SELECT count(*) FROM jobs WHERE kind = 'archive'"),
        [["2"]],
        "the old article is not archived again\n{log}"
    );
}

/// kill -9 in the middle of slow work, then a restart: the archive is intact, every queued job
/// is done once, none is lost. Regression: the restart returned the dead daemon's jobs only once
/// their leases expired (10 minutes by default), and meanwhile they held their host's places; the
/// lease here is the default's, longer than the test waits.
#[test]
fn a_killed_daemon_loses_no_work_on_restart() {
    let mut routes = Routes::from_manifest();
    let urls: Vec<String> = (0..8)
        .map(|i| format!("https://news.example.com/slow/{i}.html"))
        .collect();
    for url in &urls {
        routes.add(url, Reply::Slow(Duration::from_millis(1500)));
    }
    let env = TestEnv::new(routes, "");
    let refs: Vec<&str> = urls.iter().map(String::as_str).collect();
    let sources = urls_file(&env, &refs);
    let env = rewrite_config(env, &sources);
    let text = std::fs::read_to_string(&env.config_path).expect("config");
    let long_lease = text.replace("lease = \"3s\"", "lease = \"10m\"");
    assert_ne!(long_lease, text, "the config sets the lease");
    std::fs::write(&env.config_path, long_lease).expect("config");
    let daemon = Daemon::start(&env, None);
    wait_until("work under way", Duration::from_secs(30), &daemon, || {
        rows(&env, "SELECT count(*) FROM jobs WHERE state = 'running'")
            .first()
            .is_some_and(|r| r[0] != "0")
    });
    daemon.signal("KILL");
    let (code, _) = daemon.wait(Duration::from_secs(10));
    assert_eq!(code, None, "killed by a signal");

    let daemon = Daemon::start(&env, None);
    wait_until("every job done", Duration::from_secs(60), &daemon, || {
        first_is(
            &env,
            "SELECT count(*) FROM jobs WHERE kind = 'archive' AND state = 'done'",
            "8",
        )
    });
    daemon.signal("TERM");
    let (code, log) = daemon.wait(Duration::from_secs(20));
    assert_eq!(code, Some(0), "{log}");
    // One job per article, each done once; a job killed mid-run ran again (2 attempts at most).
    let jobs = rows(
        &env,
        "SELECT key, state, attempts FROM jobs WHERE kind = 'archive' ORDER BY key",
    );
    assert_eq!(jobs.len(), 8, "{jobs:?}");
    for job in &jobs {
        assert_eq!(job[1], "done", "{jobs:?}");
        let attempts: u32 = job[2].parse().unwrap_or(99);
        assert!((1..=2).contains(&attempts), "{jobs:?}");
    }
    assert_eq!(rows(&env, "SELECT count(*) FROM articles"), [["8"]]);
    let out = env.cmd().args(["db", "check"]).output().expect("db check");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Under systemd: READY=1 once started, a STATUS= line saying what it does (also without a
/// watchdog), STOPPING=1 on SIGTERM, and a clean exit.
#[test]
fn the_daemon_tells_systemd_it_is_ready_and_stopping() {
    let mut routes = Routes::from_manifest();
    routes.add(ARTICLE, Reply::html(article_html()));
    let env = TestEnv::new(routes, "");
    let sources = urls_file(&env, &[ARTICLE]);
    let env = rewrite_config(env, &sources);
    let socket_path = env.dir.path().join("notify.sock");
    let socket = UnixDatagram::bind(&socket_path).expect("bind notify socket");
    socket
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let daemon = Daemon::start(&env, Some(&socket_path));
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    while !seen.contains("READY=1") {
        let n = socket.recv(&mut buf).expect("a notification");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        seen.push('\n');
    }
    // The first discover pass archives the article, and the status line then says so.
    while !seen
        .lines()
        .any(|l| l.starts_with("STATUS=queue:") && l.contains("discover"))
    {
        let n = socket.recv(&mut buf).expect("a notification");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        seen.push('\n');
    }
    daemon.signal("TERM");
    while !seen.contains("STOPPING=1") {
        let n = socket.recv(&mut buf).expect("a notification");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        seen.push('\n');
    }
    let (code, log) = daemon.wait(Duration::from_secs(20));
    assert_eq!(code, Some(0), "{log}");
    assert!(log.contains("stopped"), "{log}");
}

/// A typo in a URL-list file is skipped with a warning naming the file, the line number and
/// the line; the good URLs around it are archived all the same.
#[test]
fn a_bad_line_in_a_urls_file_does_not_hold_back_the_others() {
    let mut routes = Routes::from_manifest();
    routes.add(ARTICLE, Reply::html(article_html()));
    let env = TestEnv::new(routes, "");
    let sources = urls_file(&env, &["not a url", ARTICLE, "", "ftp://x/y"]);
    let env = rewrite_config(env, &sources);
    let daemon = Daemon::start(&env, None);
    wait_until("the article", Duration::from_secs(30), &daemon, || {
        first_is(&env, "SELECT count(*) FROM articles", "1")
    });
    daemon.signal("TERM");
    let (code, log) = daemon.wait(Duration::from_secs(20));
    assert_eq!(code, Some(0), "{log}");
    assert!(
        log.contains("urls.txt:1: ") && log.contains("not a url"),
        "{log}"
    );
    assert!(
        log.contains("urls.txt:4: ") && log.contains("ftp://x/y"),
        "{log}"
    );
}

/// Regression: a relative `urls_file` and `serve.admin_token_file` were read from the current
/// directory (`/` under systemd), so the daemon refused to start without the token, and would
/// have followed no list. Both are beside the config file wherever the daemon runs.
#[test]
fn the_daemon_finds_the_files_its_config_names_beside_the_config() {
    let mut routes = Routes::from_manifest();
    routes.add(ARTICLE, Reply::html(article_html()));
    let env = TestEnv::new(routes, "");
    let etc = env
        .config_path
        .parent()
        .expect("the config's directory")
        .to_owned();
    std::fs::create_dir_all(etc.join("secrets")).expect("mkdir");
    std::fs::write(etc.join("secrets/admin"), "s3cret\n").expect("token");
    std::fs::write(etc.join("urls.txt"), format!("{ARTICLE}\n")).expect("urls file");
    let elsewhere = env.dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).expect("mkdir");
    // Lands in fast_config's [serve] table, before the [[sources]] entry.
    let env = rewrite_config(
        env,
        "admin_token_file = \"secrets/admin\"\n\n[[sources]]\nurls_file = \"urls.txt\"\n",
    );
    let daemon = Daemon::start_in(&env, None, Some(&elsewhere));
    wait_until("the article", Duration::from_secs(30), &daemon, || {
        first_is(&env, "SELECT count(*) FROM articles", "1")
    });
    daemon.signal("TERM");
    let (code, log) = daemon.wait(Duration::from_secs(20));
    assert_eq!(code, Some(0), "{log}");
}

/// SIGHUP with a broken config file keeps the running config; the daemon goes on.
#[test]
fn a_bad_config_on_sighup_keeps_the_old_one() {
    let mut routes = Routes::from_manifest();
    routes.add(ARTICLE, Reply::html(article_html()));
    let env = TestEnv::new(routes, "");
    let sources = urls_file(&env, &[ARTICLE]);
    let env = rewrite_config(env, &sources);
    let daemon = Daemon::start(&env, None);
    wait_until("the article", Duration::from_secs(30), &daemon, || {
        first_is(&env, "SELECT count(*) FROM articles", "1")
    });
    let good = std::fs::read_to_string(&env.config_path).expect("config");
    std::fs::write(&env.config_path, "[schedule]\nrecheck = \"*/99 * * * *\"\n").expect("write");
    daemon.signal("HUP");
    wait_until(
        "the refusal in the log",
        Duration::from_secs(10),
        &daemon,
        || daemon.log().contains("the running config stays"),
    );
    std::fs::remove_file(&env.config_path).expect("remove");
    daemon.signal("HUP");
    wait_until(
        "the second refusal",
        Duration::from_secs(10),
        &daemon,
        || daemon.log().matches("the running config stays").count() == 2,
    );
    // A token file that cannot be read, which a start refuses: taken now, the service would
    // not come back at its next restart.
    let missing = env.dir.path().join("no-such-token");
    std::fs::write(
        &env.config_path,
        format!(
            "{good}\n[platforms.instagram]\naccess_token_file = \"{}\"\n",
            missing.display()
        ),
    )
    .expect("write");
    daemon.signal("HUP");
    wait_until(
        "the third refusal",
        Duration::from_secs(10),
        &daemon,
        || daemon.log().matches("the running config stays").count() == 3,
    );
    assert!(
        daemon
            .log()
            .contains("platforms.instagram.access_token_file"),
        "the refusal names the key\n{}",
        daemon.log()
    );
    std::fs::write(&env.config_path, good).expect("restore");
    daemon.signal("HUP");
    wait_until("the reload", Duration::from_secs(10), &daemon, || {
        daemon.log().contains("config reloaded")
    });
    daemon.signal("TERM");
    let (code, log) = daemon.wait(Duration::from_secs(20));
    assert_eq!(code, Some(0), "{log}");
    assert!(
        log.contains("*/99"),
        "the error quotes the bad expression\n{log}"
    );
}

/// A service's log is its operators' record: without `-v` or `RUST_LOG`, the daemon still says
/// that it started, that a reload took, and that it stopped (one-off commands log warnings
/// only).
#[test]
fn the_daemon_logs_its_life_at_the_default_level() {
    let env = rewrite_config(TestEnv::new(Routes::from_manifest(), ""), "");
    let daemon = Daemon::start_with(&env, None, None, None);
    wait_until("the start", Duration::from_secs(30), &daemon, || {
        daemon.log().contains("daemon started")
    });
    // A config that follows nothing is worth a word at start.
    assert!(
        daemon.log().contains("no [[sources]] in the config"),
        "{}",
        daemon.log()
    );
    daemon.signal("HUP");
    wait_until("the reload", Duration::from_secs(10), &daemon, || {
        daemon.log().contains("config re-read")
    });
    daemon.signal("TERM");
    wait_until("the stop", Duration::from_secs(30), &daemon, || {
        daemon.log().contains("stopped")
    });
}

/// Regression: a SIGHUP that changed keys only a restart applies (`[serve]`'s listen address)
/// logged "config reloaded" alone, while the server stayed on its old port. Each such key is
/// named in a warning; keys the reload applies are not.
#[test]
fn a_reload_warns_about_each_key_that_needs_a_restart() {
    let env = rewrite_config(TestEnv::new(Routes::from_manifest(), ""), "");
    let daemon = Daemon::start(&env, None);
    wait_until("the start", Duration::from_secs(30), &daemon, || {
        daemon.log().contains("daemon started")
    });
    let text = std::fs::read_to_string(&env.config_path).expect("config");
    let changed = text
        .replace("\nlisten = \"127.0.0.1:0\"", "\nlisten = \"127.0.0.1:1\"")
        .replace("workers = 2", "workers = 3");
    assert!(changed.contains("127.0.0.1:1") && changed.contains("workers = 3"));
    std::fs::write(&env.config_path, changed).expect("write");
    daemon.signal("HUP");
    wait_until("the reload", Duration::from_secs(10), &daemon, || {
        daemon.log().contains("config reloaded")
    });
    daemon.signal("TERM");
    let (code, log) = daemon.wait(Duration::from_secs(20));
    assert_eq!(code, Some(0), "{log}");
    let warnings: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("WARN") && l.contains("after a restart"))
        .collect();
    assert_eq!(
        warnings.len(),
        1,
        "one warning, for serve.listen alone\n{log}"
    );
    assert!(
        warnings[0].contains("serve.listen") && warnings[0].contains("\"127.0.0.1:1\""),
        "{log}"
    );
}

/// The daemon's server address, from its `listening on http://ADDR` line.
fn api_address(daemon: &Daemon) -> String {
    let mut found = String::new();
    wait_until(
        "the listening line",
        Duration::from_secs(30),
        daemon,
        || {
            let log = daemon.log();
            found = log
                .lines()
                .find_map(|l| l.split("listening on http://").nth(1))
                .map(|a| a.trim().to_owned())
                .unwrap_or_default();
            !found.is_empty()
        },
    );
    found
}

/// The value of one series (`name{labels}`) in a scrape's text.
fn sample(metrics: &str, series: &str) -> Option<f64> {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|n| n.parse().ok())
}

/// The text of the daemon's `/metrics`.
fn scrape_metrics(daemon: &Daemon) -> String {
    use std::io::{Read, Write};
    let mut address = String::new();
    wait_until("the metrics line", Duration::from_secs(30), daemon, || {
        address = daemon
            .log()
            .lines()
            .find_map(|l| l.split("metrics on http://").nth(1))
            .and_then(|rest| rest.split('/').next())
            .map(|a| a.trim().to_owned())
            .unwrap_or_default();
        !address.is_empty()
    });
    let mut stream = std::net::TcpStream::connect(&address).expect("connect to the metrics");
    write!(
        stream,
        "GET /metrics HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    answer
}

/// `POST /v1/articles` with the admin token `token`, queueing `url`: the status code.
fn queue_over_http(api: &str, token: &str, url: &str) -> u16 {
    use std::io::{Read, Write};
    let body = format!("{{\"url\": \"{url}\"}}");
    let mut stream = std::net::TcpStream::connect(api).expect("connect to the daemon");
    write!(
        stream,
        "POST /v1/articles HTTP/1.1\r\nHost: {api}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read the answer");
    answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {answer:?}"))
}

/// Regression: the queue route kept the literal-address rule of the config the daemon started
/// with, while a SIGHUP gave the workers' client the new one. A reload that allows private
/// addresses lets the route queue one, as the workers would now fetch it.
#[test]
fn a_reload_gives_the_queue_route_the_new_address_rule() {
    let env = TestEnv::new(Routes::from_manifest(), "");
    let etc = env.config_path.parent().expect("the config's directory");
    std::fs::write(etc.join("admin-token"), "s3cret\n").expect("token");
    let env = rewrite_config(env, "admin_token_file = \"admin-token\"\n");
    let daemon = Daemon::start(&env, None);
    let api = api_address(&daemon);
    let private = "http://127.0.0.1:9/story.html";
    assert_eq!(queue_over_http(&api, "s3cret", private), 400);
    let text = std::fs::read_to_string(&env.config_path).expect("config");
    let allowing = text.replace(
        "[http.host_overrides]\n",
        "[http]\nallow_private_addresses = true\n\n[http.host_overrides]\n",
    );
    assert_ne!(allowing, text, "the config has a host_overrides table");
    std::fs::write(&env.config_path, allowing).expect("write");
    daemon.signal("HUP");
    wait_until("the reload", Duration::from_secs(10), &daemon, || {
        daemon.log().contains("config reloaded")
    });
    assert_eq!(queue_over_http(&api, "s3cret", private), 202);
    daemon.signal("TERM");
    let (code, log) = daemon.wait(Duration::from_secs(20));
    assert_eq!(code, Some(0), "{log}");
}

/// A job that runs longer than its lease keeps it (a heartbeat extends it): it is not taken for
/// a dead worker's job and run a second time at once.
#[test]
fn a_job_longer_than_its_lease_runs_once() {
    const LONG: &str = "https://news.example.com/long.html";
    let mut routes = Routes::from_manifest();
    routes.add(LONG, Reply::Slow(Duration::from_secs(7)));
    let env = TestEnv::new(routes, "");
    let sources = urls_file(&env, &[LONG]);
    let env = rewrite_config(env, &sources); // lease = 3 s
    let daemon = Daemon::start(&env, None);
    wait_until(
        "the long job done",
        Duration::from_secs(40),
        &daemon,
        || {
            first_is(
                &env,
                "SELECT state FROM jobs WHERE kind = 'archive'",
                "done",
            )
        },
    );
    daemon.signal("TERM");
    let (code, log) = daemon.wait(Duration::from_secs(20));
    assert_eq!(code, Some(0), "{log}");
    assert_eq!(
        rows(&env, "SELECT attempts FROM jobs WHERE kind = 'archive'"),
        [["1"]],
        "{log}"
    );
    let fetched = env.server.requests().iter().filter(|u| *u == LONG).count();
    assert_eq!(fetched, 1, "{log}");
}

/// Articles of one site embed the same post: the daemon asks the platform about it once, not
/// once per article, while the last check is younger than `recheck_min`. (One worker, so the
/// articles are archived one after the other: two at once may both ask.)
#[test]
fn a_post_shared_by_many_articles_is_asked_once() {
    let live = fixture("samples/instagram/embed-captioned-C8kQx2LtA1b-image.html");
    let mut routes = Routes::from_manifest();
    let urls: Vec<String> = (0..4)
        .map(|i| format!("https://news.example.com/2026/12/shared-{i}.html"))
        .collect();
    for url in &urls {
        routes.add(url, Reply::html(article_html()));
    }
    routes.add(
        EMBED_PAGE,
        Reply::with_type(200, "text/html; charset=\"utf-8\"", live),
    );
    let env = TestEnv::new(routes, "");
    let refs: Vec<&str> = urls.iter().map(String::as_str).collect();
    let sources = urls_file(&env, &refs);
    let text = std::fs::read_to_string(&env.config_path).expect("config");
    let config = format!(
        "[schedule]\ndiscover = \"* * * * * *\"\nrecheck = \"0 0 * * * *\"\n\
         recheck_min = \"1h\"\nrecheck_max = \"2h\"\nworkers = 1\n\n\
         [serve]\nlisten = \"127.0.0.1:0\"\nmetrics_listen = \"127.0.0.1:0\"\n\n{sources}\n{text}"
    );
    std::fs::write(&env.config_path, config).expect("config");
    let daemon = Daemon::start(&env, None);
    wait_until(
        "every article archived",
        Duration::from_secs(60),
        &daemon,
        || {
            first_is(
                &env,
                "SELECT count(*) FROM jobs WHERE kind = 'archive' AND state = 'done'",
                "4",
            )
        },
    );
    daemon.signal("TERM");
    let (code, log) = daemon.wait(Duration::from_secs(20));
    assert_eq!(code, Some(0), "{log}");
    let asked = env
        .server
        .requests()
        .iter()
        .filter(|r| r.contains("/embed/captioned"))
        .count();
    assert_eq!(
        asked,
        1,
        "the shared post is asked once: {:?}\n{log}",
        env.server.requests()
    );
    assert_eq!(rows(&env, "SELECT count(*) FROM checks"), [["1"]], "{log}");
    assert_eq!(
        rows(
            &env,
            "SELECT count(*) FROM article_embeds WHERE post_id IS NOT NULL"
        ),
        [["4"]],
        "every article still records the embed\n{log}"
    );
}

/// A second daemon on the same archive stops at start, naming the first, which runs on; once
/// the first has stopped, a daemon starts on the archive again.
#[test]
fn a_second_daemon_on_the_same_archive_is_refused() {
    let mut routes = Routes::from_manifest();
    routes.add(ARTICLE, Reply::html(article_html()));
    let env = TestEnv::new(routes, "");
    let sources = urls_file(&env, &[ARTICLE]);
    let env = rewrite_config(env, &sources);
    let first = Daemon::start(&env, None);
    let lock = std::path::PathBuf::from(format!("{}.daemon-lock", env.db_path.display()));
    let pid = first.child.id().to_string();
    wait_until(
        "the first daemon's lock",
        Duration::from_secs(30),
        &first,
        || std::fs::read_to_string(&lock).is_ok_and(|t| t.trim() == pid),
    );
    let second = Daemon::start(&env, None);
    let (code, log) = second.wait(Duration::from_secs(20));
    assert_eq!(code, Some(1), "{log}");
    assert!(
        log.contains(&format!("another embedkeep daemon (pid {pid}) is running"))
            && log.contains(&env.db_path.display().to_string()),
        "{log}"
    );
    wait_until("the article", Duration::from_secs(30), &first, || {
        first_is(&env, "SELECT count(*) FROM articles", "1")
    });
    first.signal("TERM");
    let (code, log) = first.wait(Duration::from_secs(20));
    assert_eq!(code, Some(0), "{log}");

    let third = Daemon::start(&env, None);
    let pid = third.child.id().to_string();
    wait_until(
        "the next daemon's lock",
        Duration::from_secs(30),
        &third,
        || std::fs::read_to_string(&lock).is_ok_and(|t| t.trim() == pid),
    );
    third.signal("TERM");
    let (code, log) = third.wait(Duration::from_secs(20));
    assert_eq!(code, Some(0), "{log}");
}

/// A platform that rate-limits the daemon is left alone by the article jobs too: an article
/// archived while Instagram cools down records its post without asking Instagram, and the post
/// stays due for its re-check.
#[test]
fn articles_archived_while_a_platform_cools_down_do_not_ask_it() {
    const SECOND: &str = "https://news.example.com/2026/12/second.html";
    const SECOND_POST: &str = "https://www.instagram.com/p/C8tZr5pIe0B/";
    let mut routes = Routes::from_manifest();
    routes.add(ARTICLE, Reply::html(article_html()));
    routes.add(
        EMBED_PAGE,
        Reply::with_type(429, "text/plain", "Too Many Requests"),
    );
    routes.add(
        SECOND,
        Reply::html(article_html().replace(POST, SECOND_POST)),
    );
    let env = TestEnv::new(routes, "");
    let sources = urls_file(&env, &[ARTICLE]);
    let env = rewrite_config(env, &sources);
    let daemon = Daemon::start(&env, None);
    wait_until("the rate limit", Duration::from_secs(30), &daemon, || {
        daemon.log().contains("rate limited: platform cooling down")
    });
    // The first cool-down lasts about 30 s: the second article comes in within it.
    urls_file(&env, &[ARTICLE, SECOND]);
    wait_until(
        "the second article",
        Duration::from_secs(20),
        &daemon,
        || first_is(&env, "SELECT count(*) FROM articles", "2"),
    );
    daemon.signal("TERM");
    let (code, log) = daemon.wait(Duration::from_secs(20));
    assert_eq!(code, Some(0), "{log}");
    let asked: Vec<String> = env
        .server
        .requests()
        .into_iter()
        .filter(|r| r.contains("C8tZr5pIe0B"))
        .collect();
    assert!(
        asked.is_empty(),
        "asked while cooling down: {asked:?}\n{log}"
    );
    assert_eq!(
        rows(
            &env,
            &format!(
                "SELECT count(*) FROM posts WHERE canonical_url = '{SECOND_POST}' \
                 AND next_check_at IS NULL AND last_checked_at IS NULL"
            ),
        ),
        [["1"]],
        "the post is recorded, unchecked and due\n{log}"
    );
}
