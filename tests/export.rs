//! `embedkeep export`: the four-platform article archived through the fixture server, then
//! written out as a static site (card pages, media, index.json) and as a WARC file. The WARC
//! file is read back twice: by a reader written here (each gzip member, headers, digests,
//! links) and by Python's warcio (`python3 -m warcio.cli check`, `… index`). The file is also copied to
//! `target/ci-artifacts/export.warc.gz` for CI to check again.

mod support;

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use flate2::bufread::GzDecoder;
use serde_json::Value;
use sha2::{Digest, Sha256};
use support::{Reply, Routes, TestEnv, fixture};

const ARTICLE: &str = "https://news.example.com/2026/11/four-platforms.html";
const HARBOUR: &str = "https://www.instagram.com/p/C8kQx2LtA1b/";
const PUBLIC: &str = "https://embeds.example.com";

/// The four-platform article archived, one post pinned gone.
fn archived() -> TestEnv {
    let mut routes = Routes::from_manifest();
    routes.add(
        ARTICLE,
        Reply::html(fixture("local/article-four-platforms.html")),
    );
    let env = TestEnv::new(
        routes,
        &format!("[serve]\npublic_base_url = \"{PUBLIC}\"\n"),
    );
    let (code, _, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = env.json(&["pin", HARBOUR, "--gone"]);
    assert_eq!(code, 0, "{stderr}");
    env
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Every post the archive holds, as `show --json` prints it, by post URL.
fn shown(env: &TestEnv) -> HashMap<String, Value> {
    let (code, list, stderr) = env.json(&["list", "--limit", "1000"]);
    assert_eq!(code, 0, "{stderr}");
    list["posts"]
        .as_array()
        .expect("posts")
        .iter()
        .map(|p| {
            let url = p["post_url"].as_str().expect("post_url").to_owned();
            let (code, doc, stderr) = env.json(&["show", &url]);
            assert_eq!(code, 0, "{stderr}");
            (url, doc)
        })
        .collect()
}

#[test]
fn a_static_export_is_a_folder_of_cards_media_and_an_index() {
    let env = archived();
    let posts = shown(&env);
    assert_eq!(posts.len(), 7);
    let site = env.dir.path().join("site");
    let (code, summary, stderr) = env.json(&["export", "--static", path_str(&site)]);
    assert_eq!(code, 0, "{stderr}");
    let export = &summary["export"];
    assert_eq!(export["format"], "static");
    assert_eq!(export["posts"], 7);
    assert_eq!(export["cards"], 7);

    let index: Value =
        serde_json::from_slice(&std::fs::read(site.join("index.json")).expect("index.json"))
            .expect("index JSON");
    assert!(index["exported_at"].is_string());
    let entries = index["posts"].as_array().expect("posts");
    assert_eq!(entries.len(), 7);
    let mut media_files = HashSet::new();
    for entry in entries {
        let url = entry["post_url"].as_str().expect("post_url");
        let post = &posts[url];
        assert_eq!(entry["id"], post["id"], "{url}");
        assert_eq!(entry["platform"], post["platform"], "{url}");
        assert_eq!(entry["post_id"], post["post_id"], "{url}");
        assert_eq!(entry["status"], post["status"], "{url}");
        let latest = &post["snapshots"][0];
        assert_eq!(
            entry["snapshot_fetched_at"].as_str().map(|s| &s[..19]),
            latest["fetched_at"].as_str().map(|s| &s[..19]),
            "{url}"
        );

        // The card page: a whole page with the card and its oEmbed discovery link.
        let card = entry["card"].as_str().expect("card");
        assert_eq!(card, format!("cards/{}.html", post["id"]));
        let page = std::fs::read_to_string(site.join(card)).expect("card page");
        assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
        assert!(page.contains("<figure class=\"ek-card"), "{page}");
        let oembed = format!(
            "<link rel=\"alternate\" type=\"application/json+oembed\" href=\"{PUBLIC}/oembed?url={}&amp;format=json\"",
            url::form_urlencoded::byte_serialize(url.as_bytes()).collect::<String>()
        );
        assert!(page.contains(&oembed), "{oembed} not in {page}");
        if url == HARBOUR {
            assert_eq!(entry["status"], "gone");
            assert!(page.contains("The original post is no longer available."));
        }

        // Media: named by the sha256 of their bytes, with the type's extension; the card
        // shows the first thumbnail by a relative link that resolves to its file.
        let media: Vec<&str> = entry["media"]
            .as_array()
            .expect("media")
            .iter()
            .map(|m| m.as_str().expect("media path"))
            .collect();
        let thumbs: Vec<&Value> = latest["media"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|m| m.get("thumbnail").filter(|t| t.is_object()))
            .collect();
        assert_eq!(media.len(), thumbs.len(), "{url}: {media:?}");
        for (path, thumb) in media.iter().zip(&thumbs) {
            let sha = thumb["sha256"].as_str().expect("sha256");
            assert_eq!(thumb["mime"], "image/webp", "the default thumbnail format");
            assert_eq!(*path, format!("media/{sha}.webp"), "{url}");
            let bytes = std::fs::read(site.join(path)).expect("media file");
            assert_eq!(sha256_hex(&bytes), sha, "{path}");
            media_files.insert(path.to_owned());
        }
        if let Some(first) = media.first() {
            assert!(page.contains(&format!("<img src=\"../{first}\"")), "{page}");
            assert!(!page.contains(".embedkeep-export-media"), "{page}");
        } else {
            assert!(!page.contains("<img"), "{page}");
        }
    }
    assert!(!media_files.is_empty(), "no post has a thumbnail");
    assert_eq!(export["media_files"], media_files.len());
    // Nothing else in the folder: no temporary file left behind.
    let mut files = Vec::new();
    for sub in ["", "cards", "media"] {
        for entry in std::fs::read_dir(site.join(sub)).expect("read dir") {
            let entry = entry.expect("entry");
            if entry.file_type().expect("type").is_file() {
                files.push(format!("{sub}/{}", entry.file_name().to_string_lossy()));
            }
        }
    }
    assert_eq!(files.len(), 1 + 7 + media_files.len(), "{files:?}");

    // A folder that is not empty is refused, and left as it was; --force writes into it.
    let before = std::fs::read(site.join("index.json")).expect("index");
    let (code, doc, _) = env.json(&["export", "--static", path_str(&site)]);
    assert_eq!(code, 2, "{doc}");
    assert!(
        doc["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("not empty")),
        "{doc}"
    );
    assert_eq!(
        std::fs::read(site.join("index.json")).expect("index"),
        before
    );
    // A media file changed in the folder since is written again; the others are kept. The
    // summary counts the whole export's media either way, not only what this run wrote.
    let changed = site.join(media_files.iter().next().expect("a media file"));
    std::fs::write(&changed, b"not the image").expect("overwrite a media file");
    let (code, again, stderr) = env.json(&["export", "--static", path_str(&site), "--force"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(again["export"]["media_files"], media_files.len(), "{again}");
    let mut folder_bytes = 0;
    for sub in ["", "cards", "media"] {
        for entry in std::fs::read_dir(site.join(sub)).expect("read dir") {
            let meta = entry.expect("entry").metadata().expect("metadata");
            if meta.is_file() {
                folder_bytes += meta.len();
            }
        }
    }
    assert_eq!(again["export"]["bytes"], folder_bytes, "{again}");
    let restored = std::fs::read(&changed).expect("media file");
    assert_eq!(
        format!("media/{}.webp", sha256_hex(&restored)),
        changed
            .strip_prefix(&site)
            .expect("in the site")
            .to_string_lossy(),
    );
    // A `cards` or `media` in the folder that links to a folder elsewhere is not written
    // through, --force or not: nothing lands outside the folder.
    #[cfg(unix)]
    {
        let linked = env.dir.path().join("linked");
        let outside = env.dir.path().join("outside");
        std::fs::create_dir_all(&linked).expect("mkdir");
        std::fs::create_dir_all(&outside).expect("mkdir");
        std::os::unix::fs::symlink(&outside, linked.join("cards")).expect("link");
        let (code, doc, _) = env.json(&["export", "--static", path_str(&linked), "--force"]);
        assert_eq!(code, 2, "{doc}");
        assert!(
            doc["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("cards is a symbolic link")),
            "{doc}"
        );
        assert_eq!(std::fs::read_dir(&outside).expect("read dir").count(), 0);
    }
    // An empty folder that exists is fine.
    let empty = env.dir.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    let (code, _, stderr) = env.json(&["export", "--static", path_str(&empty)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(empty.join("index.json").is_file());
}

/// One WARC record as read back.
#[derive(Debug)]
struct Record {
    headers: Vec<(String, String)>,
    block: Vec<u8>,
}

impl Record {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// RFC 4648 base32, written independently of the exporter's.
fn base32(bytes: &[u8]) -> String {
    let alphabet: Vec<char> = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".chars().collect();
    let mut bits = String::new();
    for b in bytes {
        bits.push_str(&format!("{b:08b}"));
    }
    let mut out: String = bits
        .as_bytes()
        .chunks(5)
        .map(|c| {
            let mut s = String::from_utf8_lossy(c).into_owned();
            while s.len() < 5 {
                s.push('0');
            }
            alphabet[usize::from_str_radix(&s, 2).expect("bits")]
        })
        .collect();
    while !out.len().is_multiple_of(8) {
        out.push('=');
    }
    out
}

/// Read a WARC file member by member: each must be one whole gzip member holding one record.
fn read_warc(path: &Path) -> Vec<Record> {
    let bytes = std::fs::read(path).expect("read WARC");
    let mut rest: &[u8] = &bytes;
    let mut records = Vec::new();
    while !rest.is_empty() {
        assert_eq!(
            &rest[..2],
            &[0x1f, 0x8b],
            "record {} is not a gzip member",
            records.len()
        );
        let mut member = GzDecoder::new(rest);
        let mut plain = Vec::new();
        member.read_to_end(&mut plain).expect("gunzip one member");
        rest = member.into_inner();
        let head_end = plain
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("end of the record's headers");
        let head = std::str::from_utf8(&plain[..head_end]).expect("ASCII headers");
        let mut lines = head.split("\r\n");
        assert_eq!(lines.next(), Some("WARC/1.1"));
        let headers: Vec<(String, String)> = lines
            .map(|l| {
                let (n, v) = l.split_once(':').expect("header line");
                (n.to_owned(), v.trim().to_owned())
            })
            .collect();
        let record = Record {
            headers,
            block: Vec::new(),
        };
        let length: usize = record
            .header("Content-Length")
            .and_then(|l| l.parse().ok())
            .expect("Content-Length");
        let body = &plain[head_end + 4..];
        assert_eq!(
            body.len(),
            length + 4,
            "one record per member, ended by CRLF CRLF"
        );
        assert_eq!(&body[length..], b"\r\n\r\n");
        records.push(Record {
            block: body[..length].to_vec(),
            ..record
        });
    }
    records
}

/// `sha256:` base32 of `bytes`.
fn digest(bytes: &[u8]) -> String {
    format!("sha256:{}", base32(&Sha256::digest(bytes)))
}

/// Where CI finds the exported WARC file: `target/ci-artifacts/` of this build.
fn artifacts_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            // target/debug/deps/export-HASH
            std::env::current_exe()
                .ok()
                .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.to_owned()))
                .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
        });
    target.join("ci-artifacts")
}

/// Whether python3 with warcio is there; without it, fail when tools are required, else say
/// loudly that the check is skipped.
fn warcio_available() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import warcio"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("EMBEDKEEP_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "python3 with warcio is required (EMBEDKEEP_REQUIRE_TOOLS=1): run .ci/install-deps"
        );
        eprintln!(
            "\n!!!!! SKIPPED: python3 with warcio is not installed (pip install -r .ci/requirements.txt); the WARC file was not read by warcio !!!!!\n"
        );
    }
    found
}

#[test]
fn a_warc_export_holds_every_recorded_answer_and_snapshot() {
    let env = archived();
    let posts = shown(&env);
    let file = env.dir.path().join("archive.warc.gz");
    let (code, summary, stderr) = env.json(&["export", "--warc", path_str(&file)]);
    assert_eq!(code, 0, "{stderr}");
    let raw_rows = env.sql_count("SELECT count(*) FROM snapshot_raw");
    let snapshots = env.sql_count("SELECT count(*) FROM snapshots");
    assert!(raw_rows > 0 && snapshots >= 7);
    let export = &summary["export"];
    assert_eq!(export["format"], "warc");
    assert_eq!(export["posts"], 7);
    assert_eq!(export["responses"], raw_rows);
    assert_eq!(export["metadata"], snapshots);
    assert_eq!(export["records"], 1 + raw_rows + snapshots);
    assert_eq!(
        export["bytes"],
        std::fs::metadata(&file).expect("size").len()
    );

    let records = read_warc(&file);
    assert_eq!(records.len() as i64, 1 + raw_rows + snapshots);
    let info = &records[0];
    assert_eq!(info.header("WARC-Type"), Some("warcinfo"));
    assert_eq!(info.header("WARC-Filename"), Some("archive.warc.gz"));
    assert_eq!(info.header("Content-Type"), Some("application/warc-fields"));
    assert!(String::from_utf8_lossy(&info.block).contains("software: embedkeep/"));

    let uuid = regex::Regex::new(
        r"^<urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}>$",
    )
    .expect("regex");
    let mut ids = HashSet::new();
    let mut responses: HashMap<String, &Record> = HashMap::new();
    let mut metadata = 0;
    for record in &records {
        let id = record.header("WARC-Record-ID").expect("record id");
        assert!(uuid.is_match(id), "{id}");
        assert!(ids.insert(id.to_owned()), "duplicate id {id}");
        let date = record.header("WARC-Date").expect("date");
        assert!(chrono::DateTime::parse_from_rfc3339(date).is_ok(), "{date}");
        assert_eq!(
            record.header("WARC-Block-Digest"),
            Some(digest(&record.block).as_str())
        );
        match record.header("WARC-Type") {
            Some("warcinfo") => {}
            Some("response") => {
                assert_eq!(
                    record.header("Content-Type"),
                    Some("application/http;msgtype=response")
                );
                let target = record.header("WARC-Target-URI").expect("target");
                assert!(target.starts_with("http"), "{target}");
                let split = record
                    .block
                    .windows(4)
                    .position(|w| w == b"\r\n\r\n")
                    .expect("HTTP head");
                let head = String::from_utf8_lossy(&record.block[..split]).into_owned();
                assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
                let payload = &record.block[split + 4..];
                assert!(head.contains(&format!("Content-Length: {}", payload.len())));
                assert_eq!(
                    record.header("WARC-Payload-Digest"),
                    Some(digest(payload).as_str())
                );
                responses.insert(id.to_owned(), record);
            }
            Some("metadata") => {
                metadata += 1;
                assert_eq!(record.header("Content-Type"), Some("application/json"));
                let target = record.header("WARC-Target-URI").expect("target");
                let post = &posts[target];
                let doc: Value = serde_json::from_slice(&record.block).expect("snapshot JSON");
                let same = post["snapshots"]
                    .as_array()
                    .expect("snapshots")
                    .iter()
                    .find(|s| s["id"] == doc["id"])
                    .expect("the snapshot in show --json");
                assert_eq!(&doc, same, "the metadata is show --json's snapshot");
                assert_eq!(
                    record.header("WARC-Date").map(|d| &d[..19]),
                    doc["fetched_at"].as_str().map(|d| &d[..19])
                );
                // Linked to the responses it was read from, which came before it.
                let concurrent = record.all("WARC-Concurrent-To");
                assert!(!concurrent.is_empty(), "{target}: no linked response");
                assert_eq!(record.header("WARC-Refers-To"), concurrent.first().copied());
                for linked in concurrent {
                    let response = responses.get(linked).expect("a response written before");
                    assert_eq!(response.header("WARC-Date"), record.header("WARC-Date"));
                }
            }
            other => panic!("unexpected record type {other:?}"),
        }
    }
    assert_eq!(metadata, snapshots);
    // The answers are those the archive recorded: every recorded URL is a response target.
    let conn = rusqlite::Connection::open_with_flags(
        &env.db_path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("open db");
    let mut stmt = conn
        .prepare("SELECT DISTINCT url FROM snapshot_raw")
        .expect("sql");
    let urls: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .expect("query")
        .map(|r| r.expect("row"))
        .collect();
    let targets: HashSet<&str> = responses
        .values()
        .filter_map(|r| r.header("WARC-Target-URI"))
        .collect();
    for url in &urls {
        assert!(targets.contains(url.as_str()), "{url} not in the WARC");
    }

    // For CI, which reads it again with warcio.
    let artifacts = artifacts_dir();
    std::fs::create_dir_all(&artifacts).expect("artifacts dir");
    std::fs::copy(&file, artifacts.join("export.warc.gz")).expect("copy artifact");

    if warcio_available() {
        let check = Command::new("python3")
            .args(["-m", "warcio.cli", "check", "-v"])
            .arg(&file)
            .output()
            .expect("warcio check");
        let said = String::from_utf8_lossy(&check.stdout);
        assert!(
            check.status.success(),
            "warcio check failed:\n{said}{}",
            String::from_utf8_lossy(&check.stderr)
        );
        // Every record with a digest was verified.
        assert_eq!(said.matches("digest pass").count(), records.len(), "{said}");
        let index = Command::new("python3")
            .args([
                "-m",
                "warcio.cli",
                "index",
                "-f",
                "warc-type,warc-target-uri,length,offset",
            ])
            .arg(&file)
            .output()
            .expect("warcio index");
        assert!(
            index.status.success(),
            "{}",
            String::from_utf8_lossy(&index.stderr)
        );
        let lines: Vec<Value> = String::from_utf8_lossy(&index.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("index line"))
            .collect();
        assert_eq!(lines.len(), records.len());
        assert_eq!(lines[0]["warc-type"], "warcinfo");
        let indexed = lines
            .iter()
            .filter(|l| l["warc-type"] == "response")
            .count();
        assert_eq!(indexed as i64, raw_rows);
    }

    // An existing file is refused and left alone; --force replaces it.
    let before = std::fs::read(&file).expect("WARC");
    let (code, doc, _) = env.json(&["export", "--warc", path_str(&file)]);
    assert_eq!(code, 2, "{doc}");
    assert!(
        doc["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("exists")),
        "{doc}"
    );
    assert_eq!(std::fs::read(&file).expect("WARC"), before);
    let (code, _, stderr) = env.json(&["export", "--warc", path_str(&file), "--force"]);
    assert_eq!(code, 0, "{stderr}");
    // A link or a pipe is never replaced by a file, even with --force: the link and what it
    // points to are left as they were.
    let link = env.dir.path().join("link.warc.gz");
    std::os::unix::fs::symlink(&file, &link).expect("symlink");
    let pipe = env.dir.path().join("pipe.warc.gz");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .is_ok_and(|s| s.success());
    let mut odd = vec![link.clone()];
    if made {
        odd.push(pipe.clone());
    }
    let target_before = std::fs::read(&file).expect("WARC");
    for path in odd {
        let (code, doc, _) = env.json(&["export", "--warc", path_str(&path), "--force"]);
        assert_eq!(code, 2, "{doc}");
        assert!(
            doc["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("not a regular file")),
            "{doc}"
        );
        let kind = std::fs::symlink_metadata(&path)
            .expect("still there")
            .file_type();
        assert!(!kind.is_file(), "{} was replaced by a file", path.display());
    }
    assert_eq!(std::fs::read(&file).expect("WARC"), target_before);
    std::fs::remove_file(&link).expect("remove link");
    // The archive itself, and SQLite's files beside it, are never replaced, even with
    // --force, however the path is spelled: the archive stays whole and readable.
    let db_before = std::fs::read(&env.db_path).expect("archive");
    let spelled = env
        .dir
        .path()
        .join(".")
        .join(env.db_path.file_name().expect("name"));
    for target in [env.db_path.clone(), spelled] {
        let (code, doc, _) = env.json(&["export", "--warc", path_str(&target), "--force"]);
        assert_eq!(code, 2, "{doc}");
        assert!(
            doc["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("the archive itself")),
            "{doc}"
        );
    }
    let mut wal = env.db_path.as_os_str().to_owned();
    wal.push("-wal");
    if std::path::Path::new(&wal).exists() {
        let (code, doc, _) =
            env.json(&["export", "--warc", wal.to_str().expect("utf-8"), "--force"]);
        assert_eq!(code, 2, "{doc}");
    }
    assert_eq!(std::fs::read(&env.db_path).expect("archive"), db_before);
    let (code, _, stderr) = env.json(&["list"]);
    assert_eq!(code, 0, "{stderr}");
    let leftovers: Vec<_> = std::fs::read_dir(env.dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn export_reads_an_existing_archive_only_and_checks_its_arguments() {
    let mut routes = Routes::from_manifest();
    routes.add(
        ARTICLE,
        Reply::html(fixture("local/article-four-platforms.html")),
    );
    let env = TestEnv::new(routes, "");
    let file = env.dir.path().join("a.warc.gz");
    let (code, doc, _) = env.json(&["export", "--warc", path_str(&file)]);
    assert_eq!(code, 1, "{doc}");
    assert_eq!(doc["error"]["kind"], "no-archive", "{doc}");
    assert!(!env.db_path.exists(), "export created the archive");
    assert!(!file.exists());
    for args in [
        vec!["export"],
        vec!["export", "--warc", "a", "--static", "b"],
    ] {
        let out = env.cmd().args(&args).output().expect("run");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    let help = env.cmd().args(["export", "--help"]).output().expect("run");
    let help = String::from_utf8_lossy(&help.stdout);
    for word in [
        "--warc",
        "--static",
        "--force",
        "index.json",
        "WARC/1.1",
        "warcinfo",
    ] {
        assert!(help.contains(word), "{word} not in:\n{help}");
    }
}

/// Regression: an export killed before it finished (`kill -9`, a crash) left its temporary
/// file, `.NAME.PID.partial`, beside the WARC for good. The next export of that file removes
/// those of processes no longer running, and leaves a running one's alone.
#[test]
fn a_killed_exports_temporary_file_is_removed_by_the_next() {
    let env = archived();
    let file = env.dir.path().join("out.warc.gz");
    // A process id no process has, and one that runs (this test's).
    let dead = (100_000..4_000_000u32)
        .step_by(7919)
        .find(|pid| !Path::new("/proc").join(pid.to_string()).exists())
        .expect("a free process id");
    let stale = env.dir.path().join(format!(".out.warc.gz.{dead}.partial"));
    let live = env
        .dir
        .path()
        .join(format!(".out.warc.gz.{}.partial", std::process::id()));
    let other = env
        .dir
        .path()
        .join(format!(".other.warc.gz.{dead}.partial"));
    for leftover in [&stale, &live, &other] {
        std::fs::write(leftover, b"half a WARC").expect("a leftover");
    }
    let (code, doc, stderr) = env.json(&["export", "--warc", path_str(&file)]);
    assert_eq!(code, 0, "{doc} {stderr}");
    assert!(file.exists());
    assert!(!stale.exists(), "the dead export's file is removed");
    assert!(live.exists(), "a running export's file is left alone");
    assert!(other.exists(), "another file's leftovers are left alone");
}

/// A blob whose stored bytes no longer hash to its sha256 reached `export --static` unchecked
/// (written as `media/<sha256>.webp` with other bytes, exit 0), while `export --warc` gave up
/// on it altogether (exit 1, no file). Both now leave that blob out, name it and its posts in a
/// warning, count it in the summary and end partial (exit 1), having written everything else.
#[test]
fn a_damaged_blob_is_left_out_of_both_exports_and_named() {
    let env = archived();
    let posts = shown(&env);
    let harbour = &posts[HARBOUR]["snapshots"][0];
    let thumb = harbour["media"][0]["thumbnail"]["sha256"]
        .as_str()
        .expect("the harbour post has a thumbnail")
        .to_owned();
    let conn = rusqlite::Connection::open(&env.db_path).expect("open db");
    let (raw, raw_post): (String, String) = conn
        .query_row(
            "SELECT r.blob_sha256, p.canonical_url FROM snapshot_raw r \
             JOIN snapshots s ON s.id = r.snapshot_id JOIN posts p ON p.id = s.post_id \
             ORDER BY p.id, r.position LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("a recorded answer");
    let raw_uses: i64 = conn
        .query_row(
            "SELECT count(*) FROM snapshot_raw WHERE blob_sha256 = ?1",
            [&raw],
            |r| r.get(0),
        )
        .expect("count");
    // Zeroed bytes: the thumbnail (stored as it is) hashes to something else, the answer
    // (zlib-compressed when that helps) cannot be decompressed, or hashes to something else.
    for sha in [&thumb, &raw] {
        conn.execute(
            "UPDATE blobs SET data = zeroblob(length(data)) WHERE sha256 = ?1",
            [sha],
        )
        .expect("damage a blob");
    }
    drop(conn);
    let (code, check, _) = env.json(&["db", "check"]);
    assert_eq!(code, 1, "db check finds the damage: {check}");

    // Static: everything but the damaged thumbnail, and nothing names it.
    let site = env.dir.path().join("site");
    let (code, summary, stderr) = env.json(&["export", "--static", path_str(&site)]);
    assert_eq!(code, 1, "a partial export: {summary}\n{stderr}");
    let export = &summary["export"];
    assert_eq!(export["posts"], 7, "{summary}");
    assert_eq!(export["cards"], 7, "{summary}");
    assert_eq!(export["left_out"], 1, "{summary}");
    assert_eq!(
        export["damaged_blobs"][0]["sha256"],
        thumb.as_str(),
        "{summary}"
    );
    assert_eq!(export["damaged_blobs"][0]["posts"][0], HARBOUR, "{summary}");
    assert!(
        stderr.contains("warning") && stderr.contains(&thumb) && stderr.contains(HARBOUR),
        "{stderr}"
    );
    assert!(!site.join(format!("media/{thumb}.webp")).exists());
    let mut media_files = 0;
    for entry in std::fs::read_dir(site.join("media")).expect("media") {
        let path = entry.expect("entry").path();
        let name = path
            .file_stem()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(&path).expect("media file");
        assert_eq!(
            sha256_hex(&bytes),
            name,
            "{} is not its digest",
            path.display()
        );
        media_files += 1;
    }
    assert_eq!(export["media_files"], media_files, "{summary}");
    let index: Value =
        serde_json::from_slice(&std::fs::read(site.join("index.json")).expect("index.json"))
            .expect("index JSON");
    let entry = index["posts"]
        .as_array()
        .expect("posts")
        .iter()
        .find(|e| e["post_url"] == HARBOUR)
        .expect("the harbour post in the index");
    assert!(!entry.to_string().contains(&thumb), "{entry}");
    let card = std::fs::read_to_string(site.join(entry["card"].as_str().expect("card")))
        .expect("card page");
    assert!(!card.contains(&thumb), "{card}");
    assert!(card.contains("The original post is no longer available."));

    // WARC: every record but the damaged answer's.
    let file = env.dir.path().join("archive.warc.gz");
    let (code, summary, stderr) = env.json(&["export", "--warc", path_str(&file)]);
    assert_eq!(code, 1, "a partial export: {summary}\n{stderr}");
    let export = &summary["export"];
    let raw_rows = env.sql_count("SELECT count(*) FROM snapshot_raw");
    let snapshots = env.sql_count("SELECT count(*) FROM snapshots");
    assert_eq!(export["posts"], 7, "{summary}");
    assert_eq!(export["left_out"], raw_uses, "{summary}");
    assert_eq!(export["responses"], raw_rows - raw_uses, "{summary}");
    assert_eq!(export["metadata"], snapshots, "{summary}");
    assert_eq!(
        export["damaged_blobs"][0]["sha256"],
        raw.as_str(),
        "{summary}"
    );
    assert_eq!(export["damaged_blobs"][0]["posts"][0], raw_post.as_str());
    assert!(
        stderr.contains(&raw) && stderr.contains(&raw_post),
        "{stderr}"
    );
    let records = read_warc(&file);
    assert_eq!(records.len() as i64, 1 + raw_rows - raw_uses + snapshots);
    assert_eq!(
        export["bytes"],
        std::fs::metadata(&file).expect("size").len()
    );
}

/// `export --warc -` wrote a file named `-` (and its summary on stdout); `-` is standard
/// output, as it is standard input for `scan -` and `rewrite -`. The WARC is the whole of
/// stdout, the summary goes to stderr, `--json` is refused beside it, and a reader that closes
/// the pipe early ends the export quietly.
#[test]
fn warc_dash_streams_the_warc_to_stdout() {
    let env = archived();
    let out = env
        .cmd()
        .current_dir(env.dir.path())
        .args(["export", "--warc", "-"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!env.dir.path().join("-").exists(), "wrote a file named -");
    let streamed = env.dir.path().join("streamed.warc.gz");
    std::fs::write(&streamed, &out.stdout).expect("save stdout");
    let records = read_warc(&streamed);
    let raw_rows = env.sql_count("SELECT count(*) FROM snapshot_raw");
    let snapshots = env.sql_count("SELECT count(*) FROM snapshots");
    assert_eq!(records.len() as i64, 1 + raw_rows + snapshots);
    assert_eq!(records[0].header("WARC-Type"), Some("warcinfo"));
    assert_eq!(
        records[0].header("WARC-Filename"),
        None,
        "a stream has no file name"
    );
    assert!(
        stderr.contains(&format!(
            "exported 7 posts to standard output: {} records",
            records.len()
        )) && stderr.contains(&format!("{} bytes", out.stdout.len())),
        "{stderr}"
    );

    // --json cannot share stdout with the WARC: a usage error naming both.
    let (code, doc, _) = env.json(&["export", "--warc", "-"]);
    assert_eq!(code, 2, "{doc}");
    let message = doc["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("--warc -") && message.contains("--json"),
        "{doc}"
    );

    // A closed stdout (`| head -c 100`) ends it quietly, exit 0, as for the other commands.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("embedkeep"))
        .current_dir(env.dir.path())
        .env_remove("EMBEDKEEP_DB")
        .env_remove("EMBEDKEEP_CONFIG")
        .env_remove("RUST_LOG")
        .env("HOME", env.dir.path())
        .arg("--config")
        .arg(&env.config_path)
        .arg("--db")
        .arg(&env.db_path)
        .args(["export", "--warc", "-"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let closed = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&closed.stderr);
    assert_eq!(closed.status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

/// A post whose text was edited and then changed back has two snapshots, the first content's
/// last seen after the edit's: the WARC still holds them in the order they were first fetched,
/// the first content's records before the edit's, so that its dates never run backwards.
#[test]
fn a_post_edited_and_changed_back_is_exported_oldest_first() {
    const ARTICLE: &str = "https://news.example.com/2026/11/edited.html";
    const POST: &str = "https://mastodon.social/@Gargron/1";
    const STATUS: &str = "https://mastodon.social/api/v1/statuses/1";
    let recorded: Value =
        serde_json::from_slice(&fixture("samples/mastodon/status-1-docs-example.json"))
            .expect("recorded JSON");
    let saying = |text: &str| {
        let mut status = recorded.clone();
        status["content"] = Value::from(format!("<p>{text}</p>"));
        Reply::with_type(
            200,
            "application/json; charset=utf-8",
            serde_json::to_vec(&status).expect("JSON"),
        )
    };
    let mut routes = Routes::from_manifest();
    routes.add(
        ARTICLE,
        Reply::html(format!(
            r#"<html><body><iframe src="{POST}/embed" class="mastodon-embed"></iframe></body></html>"#
        )),
    );
    routes.add(
        STATUS,
        Reply::sequence(vec![
            saying("Version A"),
            saying("Version B"),
            saying("Version A"),
        ]),
    );
    let env = TestEnv::with_hosts(routes, &["mastodon.social"], "");
    let (code, _, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "{stderr}");
    for _ in 0..2 {
        let (code, _, stderr) = env.json(&["check", POST]);
        assert_eq!(code, 0, "{stderr}");
    }
    let (_, shown, _) = env.json(&["show", POST]);
    let texts: Vec<&str> = shown["snapshots"]
        .as_array()
        .expect("snapshots")
        .iter()
        .map(|s| s["text"].as_str().unwrap_or_default())
        .collect();
    // Newest seen first: the first content, seen again last, then the edit.
    assert_eq!(texts, ["Version A", "Version B"], "{shown:#}");

    let file = env.dir.path().join("edited.warc.gz");
    let (code, _, stderr) = env.json(&["export", "--warc", path_str(&file)]);
    assert_eq!(code, 0, "{stderr}");
    let metadata: Vec<String> = read_warc(&file)
        .iter()
        .filter(|r| r.header("WARC-Type") == Some("metadata"))
        .map(|r| {
            let doc: Value = serde_json::from_slice(&r.block).expect("metadata JSON");
            doc["text"].as_str().unwrap_or_default().to_owned()
        })
        .collect();
    assert_eq!(metadata, ["Version A", "Version B"]);
}
