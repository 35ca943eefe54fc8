//! `embedkeep serve` (and the server inside `embedkeep daemon`) as a subprocess, over an archive
//! made by `embedkeep archive` of the four-platform article from the fixture server. Requests
//! are written by hand on a `TcpStream`, so nothing normalises the paths the tests send, and a
//! slow client can stall on purpose. Every JSON answer is compared with what the CLI prints for
//! the same question.

mod server_process;
mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;
use server_process::{Running, get, q, request};
use sha2::{Digest, Sha256};
use support::{Reply, Routes, TestEnv, fixture};

const ARTICLE: &str = "https://news.example.com/2026/11/four-platforms.html";
const IG_POST: &str = "https://www.instagram.com/p/C8kQx2LtA1b/";
const LISTEN: &str = "[serve]\nlisten = \"127.0.0.1:0\"\nmetrics_listen = \"127.0.0.1:0\"\n";
const TOKEN: &str = "correct-horse-battery-staple";

fn routes() -> Routes {
    let mut routes = Routes::from_manifest();
    routes.add(
        ARTICLE,
        Reply::html(fixture("local/article-four-platforms.html")),
    );
    routes
}

/// A test environment whose server listens on free ports; `extra` is more config.
fn env(extra: &str) -> TestEnv {
    TestEnv::new(routes(), &format!("{LISTEN}{extra}"))
}

/// An environment with the four-platform article archived by the CLI.
fn archived(extra: &str) -> TestEnv {
    let env = env(extra);
    let (code, _, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "{stderr}");
    env
}

/// `show --json`'s post object with its newest snapshot added as `snapshot`: what
/// `GET /v1/posts?url=` answers.
fn with_latest_snapshot(shown: &Value) -> Value {
    let mut post = shown.clone();
    post["snapshot"] = shown["snapshots"][0].clone();
    post
}

/// Every read route answers what the CLI prints for the same question, with CORS, and errors
/// as JSON documents.
#[test]
fn read_routes_answer_what_the_cli_prints() {
    let env = archived("");
    let server = Running::start_command(&env, "serve");
    let api = server.api.as_str();

    // One post: the `show --json` object, with its latest snapshot as `snapshot` (as every
    // listed post carries it).
    let (code, shown, _) = env.json(&["show", IG_POST]);
    assert_eq!(code, 0);
    let answer = get(api, &format!("/v1/posts?url={}", q(IG_POST)));
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
    assert!(
        answer
            .header("cache-control")
            .is_some_and(|c| c.contains("max-age"))
    );
    // Every answer is read as the type it is sent with: JSON, an error, a page.
    assert_eq!(answer.header("x-content-type-options"), Some("nosniff"));
    for route in ["/v1/nothing-here", "/report", "/v1/posts?status=nonsense"] {
        let other = get(api, route);
        assert_eq!(
            other.header("x-content-type-options"),
            Some("nosniff"),
            "{route}"
        );
    }
    let answer = answer.json();
    assert_eq!(answer, with_latest_snapshot(&shown));
    assert_eq!(answer["snapshot"]["id"], shown["snapshots"][0]["id"]);
    assert!(answer["snapshot"]["text"].is_string(), "{answer}");
    assert_eq!(shown["status"], "live");
    // Any URL form the platform uses finds the same post, as `show` does.
    let x = get(
        api,
        &format!("/v1/posts?url={}", q("https://twitter.com/jack/status/20")),
    );
    let (_, shown_x, _) = env.json(&["show", "https://twitter.com/jack/status/20"]);
    assert_eq!(x.json(), with_latest_snapshot(&shown_x));

    // A URL without its scheme is read as https, as `show` reads it.
    let bare = IG_POST.trim_start_matches("https://");
    let (_, shown_bare, _) = env.json(&["show", bare]);
    assert_eq!(shown_bare, shown);
    assert_eq!(
        get(api, &format!("/v1/posts?url={}", q(bare))).json(),
        with_latest_snapshot(&shown)
    );
    let status = get(api, &format!("/v1/posts/status?url={}", q(bare))).json();
    assert_eq!(status["posts"][0]["url"], bare);
    assert_eq!(status["posts"][0]["id"], shown["id"]);
    assert_eq!(
        get(api, &format!("/oembed?url={}", q(bare))).status,
        200,
        "oembed of {bare}"
    );
    // One that is no http(s) URL at all is the client's mistake (400), not a post missing
    // from the archive (404).
    for bad in ["javascript:alert(1)", "nonsense", "https://"] {
        for route in ["/v1/posts?url=", "/oembed?url=", "/v1/posts/status?url="] {
            let doc = get(api, &format!("{route}{}", q(bad))).is_error(400, "bad-request");
            assert_eq!(doc["error"]["input"], bad, "{route}{bad}");
        }
    }

    let missing = "https://www.instagram.com/p/NotArchived1/";
    let answer = get(api, &format!("/v1/posts?url={}", q(missing)));
    answer.is_error(404, "not-found");
    assert_eq!(answer.json()["error"]["input"], missing);
    assert_eq!(answer.header("access-control-allow-origin"), Some("*"));

    // Listings: the `list --json` document, page by page.
    let (_, listed, _) = env.json(&["list", "--status", "live", "--limit", "3"]);
    let page = get(api, "/v1/posts?status=live&limit=3").json();
    assert_eq!(page, listed);
    let next = page["next"].as_i64().expect("a full page names the next");
    let (_, listed2, _) = env.json(&[
        "list",
        "--status",
        "live",
        "--limit",
        "3",
        "--after",
        &next.to_string(),
    ]);
    assert_eq!(
        get(api, &format!("/v1/posts?status=live&limit=3&after={next}")).json(),
        listed2
    );
    let (_, by_platform, _) = env.json(&["list", "--platform", "x", "--since", "1d"]);
    let answer = get(api, "/v1/posts?platform=x&since=1d").json();
    assert_eq!(answer, by_platform);
    // A filter sent empty (a form's blank field) narrows nothing, as on /report.
    assert_eq!(
        get(api, "/v1/posts?platform=x&since=1d&status=&limit=").json(),
        by_platform
    );
    assert_eq!(answer["posts"].as_array().map(Vec::len), Some(2));
    let (_, everything, _) = env.json(&["list", "--article", ARTICLE]);
    assert_eq!(
        get(api, &format!("/v1/posts?article={}", q(ARTICLE))).json(),
        everything
    );
    assert_eq!(
        get(api, "/v1/posts?status=gone").json(),
        serde_json::json!({"posts": [], "next": null})
    );
    get(api, "/v1/posts?status=dead").is_error(400, "bad-request");
    get(api, "/v1/posts?limit=0").is_error(400, "bad-request");
    get(api, "/v1/posts?since=last%20tuesday").is_error(400, "bad-request");
    get(api, "/v1/posts?statuss=gone").is_error(400, "bad-request");
    get(api, &format!("/v1/posts?url={}&status=gone", q(IG_POST))).is_error(400, "bad-request");

    // Snapshots of a post, by archive id.
    let id = shown["id"].as_i64().expect("id");
    let snaps = get(api, &format!("/v1/posts/{id}/snapshots"));
    assert_eq!(snaps.status, 200, "{}", snaps.text());
    let snaps = snaps.json();
    assert_eq!(snaps["snapshots"], shown["snapshots"]);
    assert_eq!(snaps["post"]["id"], id);
    assert_eq!(snaps["post"]["post_url"], IG_POST);
    get(api, "/v1/posts/999999/snapshots").is_error(404, "not-found");
    // A malformed id is the client's mistake (400), not a post that is missing (404).
    for (bad, input) in [
        ("abc", "abc"),
        ("-1", "-1"),
        ("0", "0"),
        ("1.5", "1.5"),
        ("%2B1", "+1"),
        ("99999999999999999999", "99999999999999999999"),
    ] {
        let doc = get(api, &format!("/v1/posts/{bad}/snapshots")).is_error(400, "bad-request");
        assert_eq!(doc["error"]["input"], input, "{doc}");
    }

    // The article's embeds, with the ids, statuses and snapshots `archive` reported.
    let (_, archived_again, _) = env.json(&["archive", ARTICLE]);
    let reported = &archived_again["articles"][0];
    let article = get(api, &format!("/v1/articles?url={}", q(ARTICLE)));
    assert_eq!(article.status, 200, "{}", article.text());
    let article = article.json();
    assert_eq!(article["url"], ARTICLE);
    assert_eq!(article["title"], reported["title"]);
    let embeds = article["embeds"].as_array().expect("embeds");
    assert_eq!(
        embeds.len(),
        reported["embeds"].as_array().map_or(0, Vec::len)
    );
    for e in reported["embeds"].as_array().expect("embeds") {
        let served = embeds
            .iter()
            .find(|s| s["post_url"] == e["post_url"])
            .unwrap_or_else(|| panic!("{} not served: {article:#}", e["post_url"]));
        for field in [
            "id", "platform", "kind", "post_id", "status", "location", "evidence",
        ] {
            assert_eq!(served[field], e[field], "{field} of {}", e["post_url"]);
        }
        assert_eq!(served["snapshot"]["id"], e["snapshot"]["id"]);
        assert!(served["first_seen_at"].is_string());
    }
    get(
        api,
        &format!("/v1/articles?url={}", q("https://news.example.com/none")),
    )
    .is_error(404, "not-found");
    get(api, "/v1/articles").is_error(400, "bad-request");

    // Unknown routes and methods.
    get(api, "/v1/nothing").is_error(404, "not-found");
    request(api, "DELETE", "/v1/posts", &[], b"").is_error(405, "method-not-allowed");

    // Health.
    let health = get(api, "/healthz");
    assert_eq!((health.status, health.text().as_str()), (200, "ok\n"));

    assert_eq!(server.stop(Duration::from_secs(15)), Some(0));
}

/// Stored images: their type, an ETag that is their digest, immutable caching, 304 on a
/// matching If-None-Match; 404 for anything that is not exactly a stored image's digest.
#[test]
fn media_are_served_by_digest_and_nothing_else_is() {
    let env = archived("");
    let server = Running::start_command(&env, "serve");
    let api = server.api.as_str();
    let (_, shown, _) = env.json(&["show", IG_POST]);
    let thumb = &shown["snapshots"][0]["media"][0]["thumbnail"];
    let sha = thumb["sha256"].as_str().expect("a thumbnail");
    let served = get(api, &format!("/v1/posts?url={}", q(IG_POST)));
    let snapshot = &served.json()["snapshots"][0];
    assert!(
        snapshot["media"][0]["poster_url"].is_string(),
        "{snapshot:#}"
    );
    assert!(snapshot.get("title").is_some(), "{snapshot:#}");

    // A client revalidating before anyone asked for the bytes: 304 from the archive's facts.
    let first = request(
        api,
        "GET",
        &format!("/v1/media/{sha}"),
        &[("If-None-Match", &format!("\"{sha}\""))],
        b"",
    );
    assert_eq!(first.status, 304, "{}", first.text());
    assert!(first.body.is_empty());

    let image = get(api, &format!("/v1/media/{sha}"));
    assert_eq!(image.status, 200, "{}", image.text());
    assert_eq!(image.header("content-type"), thumb["mime"].as_str());
    assert_eq!(image.header("etag"), Some(format!("\"{sha}\"").as_str()));
    assert_eq!(
        image.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(image.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(image.header("access-control-allow-origin"), Some("*"));
    assert_eq!(hex::encode(Sha256::digest(&image.body)), sha);
    assert_eq!(
        image.body.len().to_string(),
        image.header("content-length").unwrap_or("-")
    );

    for tag in [
        format!("\"{sha}\""),
        format!("\"other\", W/\"{sha}\""),
        "*".to_owned(),
    ] {
        let again = request(
            api,
            "GET",
            &format!("/v1/media/{sha}"),
            &[("If-None-Match", &tag)],
            b"",
        );
        assert_eq!(again.status, 304, "{tag}");
        assert!(again.body.is_empty());
        assert_eq!(again.header("etag"), Some(format!("\"{sha}\"").as_str()));
    }
    let changed = request(
        api,
        "GET",
        &format!("/v1/media/{sha}"),
        &[("If-None-Match", "\"other\"")],
        b"",
    );
    assert_eq!(changed.status, 200);
    // Served again (from memory now): the same bytes, type and headers.
    assert_eq!(changed.body, image.body);
    for name in ["content-type", "etag", "cache-control", "content-length"] {
        assert_eq!(changed.header(name), image.header(name), "{name}");
    }

    let head = request(api, "HEAD", &format!("/v1/media/{sha}"), &[], b"");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());

    // A blob that is not a media image (a raw upstream answer) is not served.
    let conn = rusqlite::Connection::open_with_flags(
        &env.db_path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("db");
    let raw: String = conn
        .query_row("SELECT blob_sha256 FROM snapshot_raw LIMIT 1", [], |r| {
            r.get(0)
        })
        .expect("a raw body");
    get(api, &format!("/v1/media/{raw}")).is_error(404, "not-found");

    for target in [
        format!("/v1/media/{}", "0".repeat(64)),
        format!("/v1/media/{}", sha.to_ascii_uppercase()),
        format!("/v1/media/{}", &sha[..63]),
        format!("/v1/media/{sha}0"),
        "/v1/media/../../etc/passwd".to_owned(),
        "/v1/media/..%2F..%2Fetc%2Fpasswd".to_owned(),
        format!("/v1/media/%2e%2e%2f{}", &sha[..55]),
        format!("/v1/media/{sha}/x"),
        "/v1/media/".to_owned(),
    ] {
        let answer = get(api, &target);
        answer.is_error(404, "not-found");
        assert!(answer.body.len() < 400, "{target}: {}", answer.text());
    }
    assert_eq!(server.stop(Duration::from_secs(15)), Some(0));
}

/// A stored image whose bytes no longer hash to its address (disk damage, a bad restore, a hand
/// edit) was served under that digest with `immutable`, so browsers and CDNs would keep the
/// wrong bytes forever. It is now refused with a 500 JSON error naming the digest, without the
/// image or its caching headers, every time it is asked for (the refusal is not kept in
/// memory), and the log names it; the other images are served as before.
#[test]
fn a_damaged_image_is_refused_not_served_under_its_digest() {
    let env = archived("");
    let conn = rusqlite::Connection::open(&env.db_path).expect("db");
    let thumbnails: Vec<String> = conn
        .prepare(
            "SELECT DISTINCT thumbnail_sha256 FROM media \
             WHERE thumbnail_sha256 IS NOT NULL ORDER BY 1",
        )
        .and_then(|mut stmt| {
            stmt.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()
        })
        .expect("thumbnails");
    let [damaged, intact, ..] = thumbnails.as_slice() else {
        panic!("two thumbnails in the archive: {thumbnails:?}");
    };
    // Zeroed bytes of the same length, written in the real file before the server starts.
    conn.execute(
        "UPDATE blobs SET data = zeroblob(length(data)) WHERE sha256 = ?1",
        [damaged],
    )
    .expect("damage a blob");
    drop(conn);

    let server = Running::start(&env);
    let api = server.api.as_str();
    for _ in 0..2 {
        let answer = get(api, &format!("/v1/media/{damaged}"));
        let doc = answer.is_error(500, "internal");
        assert_eq!(doc["error"]["input"], damaged.as_str(), "{doc}");
        let message = doc["error"]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(damaged.as_str()) && message.contains("damaged"),
            "{message}"
        );
        assert_eq!(answer.header("cache-control"), Some("no-store"));
        assert!(answer.header("etag").is_none(), "{:?}", answer.headers);
        assert!(answer.body.len() < 500, "{}", answer.text());
    }
    let head = request(api, "HEAD", &format!("/v1/media/{damaged}"), &[], b"");
    assert_eq!(head.status, 500);
    assert_eq!(head.header("cache-control"), Some("no-store"));
    // A client revalidating its copy gets 304 from the archive's facts, as before: no bytes
    // are read, and the bytes it holds are the ones it was served.
    let revalidated = request(
        api,
        "GET",
        &format!("/v1/media/{damaged}"),
        &[("If-None-Match", &format!("\"{damaged}\""))],
        b"",
    );
    assert_eq!(revalidated.status, 304, "{}", revalidated.text());
    assert!(revalidated.body.is_empty());

    for _ in 0..2 {
        let image = get(api, &format!("/v1/media/{intact}"));
        assert_eq!(image.status, 200, "{}", image.text());
        assert_eq!(hex::encode(Sha256::digest(&image.body)), *intact);
        assert_eq!(
            image.header("cache-control"),
            Some("public, max-age=31536000, immutable")
        );
    }
    let log = server.log();
    assert!(
        log.lines()
            .any(|l| l.contains("WARN") && l.contains(damaged.as_str()) && l.contains("damaged")),
        "{log}"
    );
    assert_eq!(server.stop(Duration::from_secs(15)), Some(0));
}

/// `/metrics` on its own listener, read by a Prometheus text parser and checked line by line.
#[test]
fn metrics_are_prometheus_text_with_requests_and_archive_counts() {
    let env = archived("");
    let server = Running::start_command(&env, "serve");
    let api = server.api.as_str();
    assert_eq!(get(api, "/healthz").status, 200);
    assert_eq!(
        get(api, &format!("/v1/posts?url={}", q(IG_POST))).status,
        200
    );
    assert_eq!(get(api, "/v1/posts/999999/snapshots").status, 404);
    assert_eq!(get(api, "/nowhere").status, 404);
    // The API listener does not serve metrics, nor the metrics listener the API.
    assert_eq!(get(api, "/metrics").status, 404);
    assert_eq!(get(&server.metrics, "/healthz").status, 404);

    let answer = get(&server.metrics, "/metrics");
    assert_eq!(answer.status, 200);
    assert!(
        answer
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/plain; version=0.0.4")),
        "{:?}",
        answer.headers
    );
    let text = answer.text();
    // Strictly: every line is blank, a HELP/TYPE comment, or `name{labels} value`.
    let sample = regex::Regex::new(
        r#"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? [-+]?([0-9.eE+-]+|NaN|\+Inf|-Inf)$"#,
    )
    .expect("regex");
    for line in text.lines() {
        assert!(
            line.is_empty()
                || line.starts_with("# HELP ")
                || line.starts_with("# TYPE ")
                || sample.is_match(line),
            "not Prometheus text: {line:?}"
        );
    }
    let scrape = prometheus_parse::Scrape::parse(text.lines().map(|l| Ok(l.to_owned())))
        .expect("a Prometheus scrape");
    let value = |metric: &str, labels: &[(&str, &str)]| -> Option<f64> {
        scrape
            .samples
            .iter()
            .filter(|s| s.metric == metric)
            .filter(|s| labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
            .find_map(|s| match &s.value {
                prometheus_parse::Value::Counter(v)
                | prometheus_parse::Value::Gauge(v)
                | prometheus_parse::Value::Untyped(v) => Some(*v),
                _ => None,
            })
    };
    assert_eq!(
        value(
            "embedkeep_http_requests_total",
            &[("route", "/v1/posts"), ("method", "GET"), ("status", "200")]
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        value(
            "embedkeep_http_requests_total",
            &[("route", "/v1/posts/:id/snapshots"), ("status", "404")]
        ),
        Some(1.0)
    );
    assert_eq!(
        value(
            "embedkeep_http_requests_total",
            &[("route", "unmatched"), ("status", "404")]
        ),
        Some(2.0)
    );
    let latency = scrape
        .samples
        .iter()
        .find(|s| {
            s.metric == "embedkeep_http_request_duration_seconds"
                && s.labels.get("route") == Some("/healthz")
        })
        .expect("a latency histogram");
    match &latency.value {
        prometheus_parse::Value::Histogram(buckets) => {
            assert!(
                buckets
                    .iter()
                    .any(|b| b.less_than.is_infinite() && b.count == 1.0),
                "{buckets:?}"
            );
        }
        other => panic!("not a histogram: {other:?}"),
    }
    assert_eq!(
        value("embedkeep_posts", &[("status", "live")]),
        Some(7.0),
        "{text}"
    );
    assert_eq!(value("embedkeep_posts", &[("status", "gone")]), Some(0.0));
    assert_eq!(
        value("embedkeep_checks", &[("outcome", "live")]),
        Some(7.0),
        "{text}"
    );
    assert_eq!(value("embedkeep_jobs", &[("state", "queued")]), Some(0.0));
    assert_eq!(value("embedkeep_archive_readable", &[]), Some(1.0));
    assert!(scrape.docs.contains_key("embedkeep_http_requests_total"));
    assert_eq!(server.stop(Duration::from_secs(15)), Some(0));
}

/// Rows of the jobs table.
fn jobs(db: &Path) -> Vec<(String, String, String)> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("db");
    let mut stmt = conn
        .prepare("SELECT kind, key, state FROM jobs ORDER BY id")
        .expect("query");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows")
}

/// `POST /v1/articles`: 403 while writes are disabled; with the admin token configured, 401
/// without it or with a wrong one, 202 with the job, which is in the queue.
#[test]
fn queueing_an_article_needs_the_admin_token() {
    // No token file: writes are disabled.
    let plain = env("");
    let server = Running::start_command(&plain, "serve");
    let json = [("Content-Type", "application/json")];
    let body = br#"{"url": "https://news.example.com/2026/11/other.html"}"#;
    request(&server.api, "POST", "/v1/articles", &json, body).is_error(403, "forbidden");
    assert_eq!(server.stop(Duration::from_secs(15)), Some(0));
    assert!(!plain.db_path.exists(), "nothing was written");

    let dir = tempfile::tempdir().expect("tmp");
    let token_file = dir.path().join("admin-token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).expect("token");
    let env = env(&format!(
        "admin_token_file = \"{}\"\n",
        token_file.display()
    ));
    let fresh = !env.db_path.exists();
    let server = Running::start_command(&env, "serve");
    // Writes make the archive at start: a mistyped `--db` is named in a warning, not served
    // quietly as a healthy empty archive.
    assert_eq!(
        server.log().contains("made a new, empty archive at"),
        fresh,
        "{}",
        server.log()
    );
    let api = server.api.as_str();
    let bearer = format!("Bearer {TOKEN}");
    let with_token = [
        ("Content-Type", "application/json"),
        ("Authorization", bearer.as_str()),
    ];

    let denied = request(api, "POST", "/v1/articles", &json, body);
    denied.is_error(401, "unauthorized");
    assert!(
        denied
            .header("www-authenticate")
            .is_some_and(|v| v.starts_with("Bearer"))
    );
    for wrong in ["Bearer wrong", "Bearer ", "Basic Y29ycmVjdA==", TOKEN] {
        let headers = [
            ("Content-Type", "application/json"),
            ("Authorization", wrong),
        ];
        request(api, "POST", "/v1/articles", &headers, body).is_error(401, "unauthorized");
    }

    let queued = request(api, "POST", "/v1/articles", &with_token, body);
    assert_eq!(queued.status, 202, "{}", queued.text());
    assert_eq!(
        queued.json(),
        serde_json::json!({"kind": "archive", "key": "https://news.example.com/2026/11/other.html", "new": true})
    );
    let again = request(api, "POST", "/v1/articles", &with_token, body);
    assert_eq!(
        (again.status, again.json()["new"].clone()),
        (202, Value::Bool(false))
    );
    // A form, and a URL without a scheme (read as https).
    let form = [
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Authorization", bearer.as_str()),
    ];
    let by_form = request(
        api,
        "POST",
        "/v1/articles",
        &form,
        b"url=news.example.com%2Fthird.html",
    );
    assert_eq!(by_form.status, 202, "{}", by_form.text());
    assert_eq!(by_form.json()["key"], "https://news.example.com/third.html");

    request(
        api,
        "POST",
        "/v1/articles",
        &with_token,
        br#"{"url": "file:///etc/passwd"}"#,
    )
    .is_error(400, "bad-request");
    // An address the daemon's client would refuse to fetch is refused now, naming it; a
    // host name is left to resolution when the job runs.
    for private in [
        "http://127.0.0.1:9/a.html",
        "http://[::1]/",
        "http://169.254.169.254/",
    ] {
        let body = format!("{{\"url\": \"{private}\"}}");
        let doc = request(api, "POST", "/v1/articles", &with_token, body.as_bytes())
            .is_error(400, "bad-request");
        let message = doc["error"]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("non-public address"),
            "{private}: {message}"
        );
    }
    request(api, "POST", "/v1/articles", &with_token, b"{not json").is_error(400, "bad-request");
    // A body of another shape is told what shape to send, in the API's own words.
    for other in [&b"[]"[..], br#"{"url": 7}"#, br#"{"url": "a", "b": 1}"#] {
        let doc =
            request(api, "POST", "/v1/articles", &with_token, other).is_error(400, "bad-request");
        let message = doc["error"]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("{\"url\": \"…\"}") && !message.contains("QueueRequest"),
            "{message}"
        );
    }
    request(
        api,
        "POST",
        "/v1/articles",
        &[
            ("Content-Type", "text/plain"),
            ("Authorization", bearer.as_str()),
        ],
        b"https://news.example.com/a",
    )
    .is_error(415, "unsupported-media-type");
    let huge = format!(
        "{{\"url\": \"https://news.example.com/{}\"}}",
        "a".repeat(70 * 1024)
    );
    let too_large = request(api, "POST", "/v1/articles", &with_token, huge.as_bytes())
        .is_error(413, "payload-too-large");
    let message = too_large["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("65536 bytes"),
        "the limit is named: {message}"
    );

    assert_eq!(
        jobs(&env.db_path),
        [
            (
                "archive".to_owned(),
                "https://news.example.com/2026/11/other.html".to_owned(),
                "queued".to_owned()
            ),
            (
                "archive".to_owned(),
                "https://news.example.com/third.html".to_owned(),
                "queued".to_owned()
            ),
        ]
    );
    // The queue shows in the metrics.
    let text = get(&server.metrics, "/metrics").text();
    assert!(
        text.contains("embedkeep_jobs{state=\"queued\"} 2"),
        "{text}"
    );
    assert_eq!(server.stop(Duration::from_secs(15)), Some(0));
}

/// A client that sends half a request line and stalls is disconnected once the header read
/// timeout passes; meanwhile other requests are answered at once.
#[test]
fn a_stalled_client_is_cut_off_while_others_are_served() {
    let env = archived("");
    let server = Running::start_command(&env, "serve");
    let api = server.api.as_str();
    let mut slow = TcpStream::connect(api).expect("connect");
    slow.write_all(b"GET /healthz HT")
        .expect("half a request line");
    let mut silent = TcpStream::connect(api).expect("connect");
    let started = Instant::now();
    for _ in 0..5 {
        let asked = Instant::now();
        assert_eq!(get(api, "/healthz").status, 200);
        assert!(asked.elapsed() < Duration::from_secs(2));
    }
    for stream in [&mut slow, &mut silent] {
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        let mut buf = [0u8; 512];
        // The server closes the connection (0 bytes, or a reset), without an answer to wait for.
        let n = stream.read(&mut buf).unwrap_or(0);
        let answer = String::from_utf8_lossy(&buf[..n]);
        assert!(n == 0 || answer.starts_with("HTTP/1.1 408"), "{answer}");
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_secs(9) && waited < Duration::from_secs(20),
            "cut off after {waited:?}"
        );
    }
    assert_eq!(get(api, "/healthz").status, 200);
    assert_eq!(server.stop(Duration::from_secs(15)), Some(0));
}

/// Regression: a client that closed its side of the connection once its request was sent (as
/// `nc -N` and HTTP/1.0 scripts do) got no answer; with requests pipelined before the close,
/// the last went unanswered.
#[test]
fn a_client_that_closes_its_side_after_asking_is_answered() {
    let env = archived("");
    let server = Running::start_command(&env, "serve");
    for (sent, answers) in [
        (&b"GET /healthz HTTP/1.0\r\n\r\n"[..], 1),
        (
            &b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n\
               GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"[..],
            3,
        ),
    ] {
        let mut stream = TcpStream::connect(&server.api).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(15)))
            .expect("timeout");
        stream.write_all(sent).expect("send");
        stream
            .shutdown(std::net::Shutdown::Write)
            .expect("close the sending side");
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer);
        assert_eq!(answer.matches(" 200 OK\r\n").count(), answers, "{answer}");
    }
    assert_eq!(server.stop(Duration::from_secs(15)), Some(0));
}

/// A missing archive is 503 on /healthz (and a JSON error), not a crash.
#[test]
fn health_is_503_without_an_archive() {
    let env = env("");
    let server = Running::start_command(&env, "serve");
    get(&server.api, "/healthz").is_error(503, "unavailable");
    get(&server.api, &format!("/v1/posts?url={}", q(IG_POST))).is_error(503, "unavailable");
    assert!(
        !env.db_path.exists(),
        "serving without writes creates no archive"
    );
    let text = get(&server.metrics, "/metrics").text();
    assert!(text.contains("embedkeep_archive_readable 0"), "{text}");
    assert_eq!(server.stop(Duration::from_secs(15)), Some(0));
}

/// Uploads that stall half-way do not hold the rewrite route: a turn to rewrite is taken once
/// the body is in, and a body holds only the bytes it has sent of the route's byte budget. With
/// three uploads stalled (one more than there are turns), a rewrite is answered at once, and the
/// stalled ones are still answered when they finish.
#[test]
fn stalled_uploads_do_not_hold_the_rewrite_route() {
    let env = archived("");
    let server = Running::start_command(&env, "serve");
    let api = server.api.as_str();
    let page = fixture("local/article-four-platforms.html");
    let target = format!("/v1/rewrite?base_url={}", q(ARTICLE));
    let html = [("Content-Type", "text/html")];

    let mut stalled: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut upload = TcpStream::connect(api).expect("connect");
            let head = format!(
                "POST {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                page.len()
            );
            upload.write_all(head.as_bytes()).expect("head");
            upload.write_all(&page[..100]).expect("the start of the body");
            upload
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));

    let asked = Instant::now();
    let rewritten = request(api, "POST", &target, &html, page.as_slice());
    let waited = asked.elapsed();
    assert_eq!(rewritten.status, 200, "{}", rewritten.text());
    assert!(rewritten.header("x-embeds-found").is_some());
    // A turn waits up to 2 s before 503: the rewrite did not queue behind the stalled uploads.
    assert!(
        waited < Duration::from_millis(1900),
        "answered after {waited:?}"
    );

    for upload in &mut stalled {
        upload
            .write_all(&page[100..])
            .expect("the rest of the body");
        let mut answer = Vec::new();
        upload.read_to_end(&mut answer).expect("the answer");
        let answer = String::from_utf8_lossy(&answer);
        assert!(
            answer.starts_with("HTTP/1.1 200"),
            "{}",
            &answer[..answer.len().min(300)]
        );
    }
    assert_eq!(server.stop(Duration::from_secs(15)), Some(0));
}

const HOSTILE_ARTICLE: &str = "https://news.example.com/2026/11/hostile.html";
const MASTODON_POST: &str = "https://mastodon.social/@Gargron/1";
const MASTODON_STATUS: &str = "https://mastodon.social/api/v1/statuses/1";

/// A platform that names its author's page `javascript:alert(4)`: the archive keeps what it
/// said, but neither the oEmbed answer (which a CMS renders as a link beside the embed) nor a
/// JSON answer hands it out. The oEmbed author link is the card's (the profile page the handle
/// names); the JSON documents leave it out (`null`) and are the CLI's in every other field.
#[test]
fn a_platforms_javascript_author_url_is_never_handed_out() {
    let mut routes = Routes::from_manifest();
    routes.add(
        HOSTILE_ARTICLE,
        Reply::html(format!(
            r#"<html><body><p>Said elsewhere:</p><iframe src="{MASTODON_POST}/embed" class="mastodon-embed"></iframe></body></html>"#
        )),
    );
    routes.edit_body(MASTODON_STATUS, |body| {
        let mut status: Value = serde_json::from_slice(&body).expect("recorded JSON");
        status["account"]["url"] = Value::from("javascript:alert(4)");
        serde_json::to_vec(&status).expect("JSON")
    });
    let env = TestEnv::with_hosts(routes, &["mastodon.social"], LISTEN);
    let (code, _, stderr) = env.json(&["archive", HOSTILE_ARTICLE]);
    assert_eq!(code, 0, "{stderr}");
    let (code, shown, stderr) = env.json(&["show", MASTODON_POST]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        shown["snapshots"][0]["author_url"], "javascript:alert(4)",
        "the archive keeps what the platform said: {shown:#}"
    );
    let id = shown["id"].as_i64().expect("id");

    let server = Running::start_command(&env, "serve");
    let api = server.api.as_str();
    let oembed = get(api, &format!("/oembed?url={}", q(MASTODON_POST)));
    assert_eq!(oembed.status, 200, "{}", oembed.text());
    assert!(!oembed.text().contains("javascript:"), "{}", oembed.text());
    let doc = oembed.json();
    let author_url = doc["author_url"].as_str().expect("an author link");
    assert_eq!(author_url, "https://mastodon.social/@Gargron", "{doc:#}");
    let card = get(api, &format!("/v1/posts/{id}/card")).text();
    assert!(
        card.contains(&format!("href=\"{author_url}\"")),
        "the oEmbed author link is the card's: {author_url} in {card}"
    );

    // The JSON routes: the post, a listing, its snapshots, the article's embeds.
    let one = get(api, &format!("/v1/posts?url={}", q(MASTODON_POST)));
    assert_eq!(one.status, 200, "{}", one.text());
    let mut expected = with_latest_snapshot(&shown);
    expected["snapshots"][0]["author_url"] = Value::Null;
    expected["snapshot"]["author_url"] = Value::Null;
    assert_eq!(one.json(), expected);
    for target in [
        "/v1/posts?platform=mastodon".to_owned(),
        format!("/v1/posts/{id}/snapshots"),
        format!("/v1/articles?url={}", q(HOSTILE_ARTICLE)),
    ] {
        let answer = get(api, &target);
        assert_eq!(answer.status, 200, "{target}: {}", answer.text());
        assert!(
            !answer.text().contains("javascript:"),
            "{target}: {}",
            answer.text()
        );
        assert!(answer.text().contains(MASTODON_POST), "{target}");
    }
    assert_eq!(server.stop(Duration::from_secs(15)), Some(0));
}

/// An archive that is there but that SQLite cannot open (here a directory where its WAL file
/// goes; in the field a read-only mount, where SQLite cannot make the WAL's shared-memory file)
/// is 503 `unavailable` on every data route, as a missing one is: a passing state of the host,
/// not a bug of the server (which would be 500 `internal`).
#[test]
fn data_routes_are_503_when_the_archive_cannot_be_opened() {
    let env = archived("");
    let mut wal = env.db_path.clone().into_os_string();
    wal.push("-wal");
    let wal = std::path::PathBuf::from(wal);
    if let Ok(meta) = std::fs::metadata(&wal) {
        // The CLI checkpoints and truncates the WAL on its way out: nothing is lost.
        assert_eq!(meta.len(), 0, "the archive's WAL still holds pages");
        std::fs::remove_file(&wal).expect("remove the empty WAL");
    }
    std::fs::create_dir(&wal).expect("a directory in the WAL's place");

    let server = Running::start_command(&env, "serve");
    let api = server.api.as_str();
    let sha = "0".repeat(64);
    for target in [
        "/healthz".to_owned(),
        "/v1/posts".to_owned(),
        format!("/v1/posts?url={}", q(IG_POST)),
        "/v1/posts/1/card".to_owned(),
        "/v1/posts/1/snapshots".to_owned(),
        format!("/v1/posts/status?url={}", q(IG_POST)),
        format!("/oembed?url={}", q(IG_POST)),
        format!("/v1/articles?url={}", q(ARTICLE)),
        "/report".to_owned(),
        "/report.json".to_owned(),
        format!("/v1/media/{sha}"),
    ] {
        let answer = get(api, &target);
        assert_eq!(answer.status, 503, "{target}: {}", answer.text());
        answer.is_error(503, "unavailable");
    }
    let rewrite = request(
        api,
        "POST",
        &format!("/v1/rewrite?base_url={}", q(ARTICLE)),
        &[("Content-Type", "text/html")],
        fixture("local/article-four-platforms.html"),
    );
    assert_eq!(rewrite.status, 503, "{}", rewrite.text());
    rewrite.is_error(503, "unavailable");
    assert!(
        !server.log().contains("store error"),
        "logged as a fault of the server:\n{}",
        server.log()
    );
    assert_eq!(server.stop(Duration::from_secs(15)), Some(0));
}

/// The daemon serves the same API beside its scheduler: an article queued over HTTP is
/// archived by its workers and then served; SIGTERM stops both, exit 0.
#[test]
fn the_daemon_serves_and_archives_what_is_queued_over_http() {
    let dir = tempfile::tempdir().expect("tmp");
    let token_file = dir.path().join("admin-token");
    std::fs::write(&token_file, TOKEN).expect("token");
    let env = env(&format!(
        "admin_token_file = \"{}\"\n",
        token_file.display()
    ));
    let daemon = Running::start_command(&env, "daemon");
    let api = daemon.api.as_str();
    assert_eq!(get(api, "/healthz").status, 200, "{}", daemon.log());
    let bearer = format!("Bearer {TOKEN}");
    let queued = request(
        api,
        "POST",
        "/v1/articles",
        &[
            ("Content-Type", "application/json"),
            ("Authorization", bearer.as_str()),
        ],
        format!("{{\"url\": \"{ARTICLE}\"}}").as_bytes(),
    );
    assert_eq!(queued.status, 202, "{}", queued.text());
    let deadline = Instant::now() + Duration::from_secs(90);
    let article = loop {
        let answer = get(api, &format!("/v1/articles?url={}", q(ARTICLE)));
        if answer.status == 200 {
            let doc = answer.json();
            let done = doc["embeds"]
                .as_array()
                .is_some_and(|e| e.iter().filter(|e| !e["snapshot"].is_null()).count() == 7);
            if done {
                break doc;
            }
        }
        assert!(Instant::now() < deadline, "not archived:\n{}", daemon.log());
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(
        article["embeds"]
            .as_array()
            .expect("embeds")
            .iter()
            .all(|e| e["id"].is_null() || e["status"] == "live")
    );
    assert_eq!(jobs(&env.db_path)[0].2, "done");
    assert_eq!(daemon.stop(Duration::from_secs(30)), Some(0));
}

/// The label a gone post's card carries.
const GONE_LABEL: &str = "The original post is no longer available.";

#[test]
fn cards_and_oembed_answer_for_archived_posts() {
    let env = archived("");
    let server = Running::start_command(&env, "serve");
    let api = server.api.as_str();
    let (_, shown, _) = env.json(&["show", IG_POST]);
    let id = shown["id"].as_i64().expect("id");
    let sha = shown["snapshots"][0]["media"][0]["thumbnail"]["sha256"]
        .as_str()
        .expect("a thumbnail");

    let card = get(api, &format!("/v1/posts/{id}/card"));
    assert_eq!(card.status, 200, "{}", card.text());
    assert_eq!(
        card.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = card.text();
    assert!(html.contains("<figure"), "{html}");
    assert!(
        html.contains(&format!("/v1/media/{sha}")),
        "the thumbnail is served here: {html}"
    );
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains(GONE_LABEL), "{html}");
    // Opened on its own or framed, the card runs nothing and loads only its pictures.
    assert_eq!(card.header("x-content-type-options"), Some("nosniff"));
    let csp = card.header("content-security-policy").unwrap_or_default();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("img-src"),
        "{csp}"
    );
    // The same card again, byte for byte (the server keeps rendered cards).
    assert_eq!(get(api, &format!("/v1/posts/{id}/card")).text(), html);
    // Its entity tag: a client that has the card gets 304 without it.
    let etag = card.header("etag").expect("a card has an ETag").to_owned();
    let revalidate = |tag: &str| {
        request(
            api,
            "GET",
            &format!("/v1/posts/{id}/card"),
            &[("If-None-Match", tag)],
            b"",
        )
    };
    let unchanged = revalidate(&etag);
    assert_eq!(unchanged.status, 304);
    assert!(unchanged.body.is_empty());
    assert_eq!(unchanged.header("etag"), Some(etag.as_str()));
    assert_eq!(revalidate("\"other\"").text(), html);

    // A verdict written by another process while the server runs shows on the next request,
    // with another tag: a client holding the old card gets the new one.
    let (code, _, stderr) = env.json(&["pin", IG_POST, "--gone"]);
    assert_eq!(code, 0, "{stderr}");
    let gone = revalidate(&etag);
    assert_eq!(gone.status, 200);
    assert!(gone.text().contains(GONE_LABEL), "{}", gone.text());
    assert_ne!(gone.header("etag"), Some(etag.as_str()));
    let (code, _, stderr) = env.json(&["pin", IG_POST, "--auto"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(get(api, &format!("/v1/posts/{id}/card")).text(), html);
    assert_eq!(revalidate(&etag).status, 304);

    assert_eq!(get(api, "/v1/posts/999999/card").status, 404);
    for bad in ["abc", "-1", "0", "1e3", "99999999999999999999"] {
        get(api, &format!("/v1/posts/{bad}/card")).is_error(400, "bad-request");
    }
    // A segment that is not UTF-8 once decoded is not read as an empty id.
    let doc = get(api, "/v1/posts/%FF/card").is_error(400, "bad-request");
    let message = doc["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("not a whole number") && !message.starts_with("\"\""),
        "{message}"
    );
    // ... and is named as it was sent, on every route with a segment to read.
    assert_eq!(doc["error"]["input"], "%FF");
    let doc = get(api, "/v1/posts/%C0%80/snapshots").is_error(400, "bad-request");
    assert_eq!(doc["error"]["input"], "%C0%80");
    let doc = get(api, "/v1/media/%FF").is_error(404, "not-found");
    assert_eq!(doc["error"]["input"], "%FF");

    let oembed = get(api, &format!("/oembed?url={}&format=json", q(IG_POST)));
    assert_eq!(oembed.status, 200, "{}", oembed.text());
    let doc: serde_json::Value = serde_json::from_str(&oembed.text()).expect("JSON");
    assert_eq!(doc["version"], "1.0");
    assert_eq!(doc["type"], "rich");
    assert!(
        doc["html"].as_str().is_some_and(|h| h.contains("<figure")),
        "{doc:#}"
    );
    // The consumer shows it on its own site, where `/v1/media/…` names nothing: without
    // serve.public_base_url the card carries no image rather than a broken one.
    assert!(
        doc["html"]
            .as_str()
            .is_some_and(|h| !h.contains("/v1/media/") && !h.contains("<img")),
        "{doc:#}"
    );
    assert_eq!(
        get(api, &format!("/oembed?url={}&format=xml", q(IG_POST))).status,
        501
    );
    assert_eq!(
        get(
            api,
            &format!("/oembed?url={}", q("https://www.instagram.com/p/NOPE/"))
        )
        .status,
        404
    );
    assert_eq!(server.stop(Duration::from_secs(20)), Some(0));
}

/// A browser or CDN revalidates the page script the way HTTP allows: with the tag made weak
/// (`W/"…"`, as a proxy that compresses answers writes it) or with the tag among others, in
/// one header or several. Each is the script it has, answered 304 without the script.
#[test]
fn the_page_script_is_revalidated_with_weak_or_listed_tags() {
    let env = env("");
    let server = Running::start_command(&env, "serve");
    let api = server.api.as_str();
    let script = get(api, "/fallback.js");
    assert_eq!(script.status, 200);
    let tag = script.header("etag").expect("an ETag").to_owned();
    let revalidate = |headers: &[(&str, &str)]| request(api, "GET", "/fallback.js", headers, "");
    let weak = format!("W/{tag}");
    let listed = format!("\"other\", {tag}");
    for headers in [
        vec![("If-None-Match", tag.as_str())],
        vec![("If-None-Match", weak.as_str())],
        vec![("If-None-Match", listed.as_str())],
        vec![
            ("If-None-Match", "\"other\""),
            ("If-None-Match", weak.as_str()),
        ],
        vec![("If-None-Match", "*")],
    ] {
        let answer = revalidate(&headers);
        assert_eq!(answer.status, 304, "{headers:?}");
        assert!(answer.body.is_empty(), "{headers:?}");
        assert_eq!(answer.header("etag"), Some(tag.as_str()), "{headers:?}");
    }
    assert_eq!(revalidate(&[("If-None-Match", "\"other\"")]).status, 200);
    assert_eq!(server.stop(Duration::from_secs(15)), Some(0));
}

/// `GET /v1/posts?article=` and `GET /v1/articles?url=` read their URL as `?url=` reads a
/// post's: one that is no http(s) URL is the client's mistake (400 naming it), not an article
/// with no posts or one not archived; one without its scheme is https, and a `#fragment` (a
/// place in the page) finds the page.
#[test]
fn article_urls_in_queries_are_read_as_post_urls_are() {
    let env = archived("");
    let server = Running::start_command(&env, "serve");
    let api = server.api.as_str();
    let everything = get(api, &format!("/v1/posts?article={}", q(ARTICLE))).json();
    assert!(
        everything["posts"]
            .as_array()
            .is_some_and(|p| !p.is_empty()),
        "{everything}"
    );
    let bare = ARTICLE.trim_start_matches("https://");
    let placed = format!("{ARTICLE}#comments");
    for asked in [bare, placed.as_str(), &format!(" {ARTICLE} ")] {
        let answer = get(api, &format!("/v1/posts?article={}", q(asked)));
        assert_eq!(answer.status, 200, "{asked}: {}", answer.text());
        assert_eq!(answer.json(), everything, "{asked}");
        let article = get(api, &format!("/v1/articles?url={}", q(asked)));
        assert_eq!(article.status, 200, "{asked}: {}", article.text());
        assert_eq!(article.json()["url"], ARTICLE, "{asked}");
    }
    for bad in [
        "javascript:alert(1)",
        "ftp://news.example.com/2026/11/four-platforms.html",
        "nonsense",
        "https://",
    ] {
        let doc = get(api, &format!("/v1/posts?article={}", q(bad))).is_error(400, "bad-request");
        assert_eq!(doc["error"]["input"], bad, "{doc}");
        let doc = get(api, &format!("/v1/articles?url={}", q(bad))).is_error(400, "bad-request");
        assert_eq!(doc["error"]["input"], bad, "{doc}");
    }
    get(
        api,
        &format!("/v1/articles?url={}", q("https://news.example.com/none")),
    )
    .is_error(404, "not-found");
    assert_eq!(server.stop(Duration::from_secs(15)), Some(0));
}

/// An article whose `Content-Length` is over the rewrite limit is refused with 413 before a
/// byte of it is sent: the client waits for no upload to learn the answer.
#[test]
fn an_article_said_to_be_over_the_limit_is_refused_before_it_is_sent() {
    let env = env("");
    let server = Running::start_command(&env, "serve");
    let mut upload = TcpStream::connect(&server.api).expect("connect");
    upload
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let head = format!(
        "POST /v1/rewrite?base_url={} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        q(ARTICLE),
        (60 << 20) + 1
    );
    upload.write_all(head.as_bytes()).expect("head");
    let mut answer = Vec::new();
    let _ = upload.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.starts_with("HTTP/1.1 413"),
        "{}",
        &answer[..answer.len().min(300)]
    );
    assert!(answer.contains("60 MiB"), "{answer}");
    assert_eq!(server.stop(Duration::from_secs(15)), Some(0));
}
