//! The cost of one re-check inside a running process (no start-up): `Pipeline::check_post` on
//! an archived post, against the tests' fixture server on loopback replaying the recorded
//! platform answers. One re-check is the platform request(s), the media download and
//! thumbnail, and the SQLite write of the check (and of a snapshot when the content changed,
//! which it never does here). Run: `cargo bench --bench recheck`; the whole-process figure is
//! `bench/recheck.py`.

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::BTreeSet;
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use embedkeep::config::Config;
use embedkeep::model::PostKey;
use embedkeep::pipeline::{ArticleInput, NoProgress, Pipeline, RunScope, find_post};
use embedkeep::store::StoreHandles;
use support::{FixtureServer, Routes, fixture};

const ARTICLE: &str = "https://news.example.com/2026/11/four-platforms.html";

/// The posts of the four-platform article, one of each way a post is answered.
const POSTS: &[(&str, &str)] = &[
    (
        "instagram_image",
        "https://www.instagram.com/p/C8kQx2LtA1b/",
    ),
    (
        "instagram_carousel",
        "https://www.instagram.com/p/C8tZr5pIe0B/",
    ),
    ("x_syndication", "https://twitter.com/jack/status/20"),
    (
        "x_oembed_fallback",
        "https://twitter.com/pepephone/status/436461658601713664",
    ),
    ("youtube", "https://www.youtube.com/watch?v=eiHXASgRTcA"),
    (
        "tiktok",
        "https://www.tiktok.com/@a3noticias/video/6806030056956251397",
    ),
];

/// Every host named in a recorded body: media a post points to that was not recorded (the
/// TikTok thumbnail, for one). They are routed to the fixture server too, where they answer
/// 599, so that no request leaves loopback.
fn hosts_in_recorded_bodies() -> Vec<String> {
    let dir = support::fixtures().join("samples");
    let text = std::fs::read_to_string(dir.join("manifest.json"))
        .unwrap_or_else(|e| panic!("manifest.json: {e}"));
    let entries: Vec<serde_json::Value> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("manifest JSON: {e}"));
    let url = regex::Regex::new(r"https?://([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut hosts = BTreeSet::new();
    for entry in entries {
        if let Some(file) = entry["response"]["body_file"].as_str() {
            let body = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
            let body = String::from_utf8_lossy(&body).replace("\\/", "/");
            for found in url.captures_iter(&body) {
                hosts.insert(found[1].to_ascii_lowercase());
            }
        }
    }
    hosts.into_iter().collect()
}

fn bench_recheck(c: &mut Criterion) {
    let mut routes = Routes::from_manifest();
    routes.add(
        ARTICLE,
        support::Reply::html(fixture("local/article-four-platforms.html")),
    );
    let server = FixtureServer::start(routes);
    let body_hosts = hosts_in_recorded_bodies();
    let mut extra_hosts: Vec<&str> = body_hosts.iter().map(String::as_str).collect();
    extra_hosts.push("news.example.com");
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let text = format!(
        "[politeness]\nper_host_interval = \"0s\"\nper_host_concurrency = 8\n\n{}",
        server.overrides_toml(&extra_hosts)
    );
    let config =
        Config::from_toml(&text, Path::new("bench.toml")).unwrap_or_else(|e| panic!("config: {e}"));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("runtime: {e}"));
    let pipeline = runtime.block_on(async {
        let store = StoreHandles::open(&dir.path().join("archive.db"))
            .await
            .unwrap_or_else(|e| panic!("open the archive: {e}"));
        let pipeline =
            Pipeline::new(Arc::new(config), store).unwrap_or_else(|e| panic!("pipeline: {e}"));
        let outcome = pipeline
            .archive_article(
                ArticleInput::Url(ARTICLE.to_owned()),
                &RunScope::new(),
                &NoProgress,
            )
            .await;
        assert!(outcome.error.is_none(), "archive: {:?}", outcome.error);
        pipeline
    });
    let keys: Vec<(&str, PostKey)> = POSTS
        .iter()
        .map(|(name, url)| {
            let url = (*url).to_owned();
            let post = runtime
                .block_on(pipeline.store().reader.call(move |s| find_post(s, &url)))
                .unwrap_or_else(|e| panic!("{name} is not archived: {e}"));
            (*name, post.key)
        })
        .collect();

    let mut group = c.benchmark_group("check_post");
    group.sample_size(20);
    for (name, key) in &keys {
        group.bench_function(*name, |b| {
            b.iter(|| {
                let check = runtime
                    .block_on(pipeline.check_post(black_box(key), &RunScope::new()))
                    .unwrap_or_else(|e| panic!("check {name}: {e}"));
                assert!(check.error.is_none(), "check {name}: {:?}", check.error);
                black_box(check)
            });
        });
    }
    group.finish();
    drop(server);
}

criterion_group!(benches, bench_recheck);
criterion_main!(benches);
