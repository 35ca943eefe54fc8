//! `demo` lets anyone try the whole loop offline: it replays bundled real recordings of platform
//! answers on loopback, archives a bundled article into a fresh archive, makes one of its posts
//! go away (its platform starts answering with a recorded tombstone) and checks it again, so the
//! archive holds live posts and a gone one. Nothing leaves the machine: every platform host is
//! pointed at the replay server through `[http.host_overrides]`.

pub mod pages;
mod recordings;
pub mod replay;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use url::Url;

use crate::config::Config;
use crate::model::{ArticleOutcome, Platform, PostCheck, PostKey};
use crate::pipeline::{ArticleInput, NoProgress, Pipeline, PipelineError, RunScope};
use crate::store::{StoreError, StoreHandles};
use recordings::{ARTICLE, RECORDINGS};
use replay::{Answer, Answers, ReplayServer};

/// The bundled article's HTML, as its site served it.
pub const ARTICLE_HTML: &[u8] = ARTICLE;

/// The bundled article's URL.
pub const ARTICLE_URL: &str = "https://news.example.com/2026/11/four-platforms.html";
/// The post of the article that goes away.
pub const GONE_POST: &str = "https://x.com/jack/status/20";
/// The demo archive's file name, in the directory given to [`prepare`].
pub const DATABASE_FILE: &str = "embedkeep-demo.db";
/// The recording its platform answers with once it has gone.
const TOMBSTONE: &str = "x-syndication-1700000000000000001-tombstone";

/// Why the demo could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("cannot start the replay server on loopback: {0}")]
    Replay(#[from] std::io::Error),
    #[error("bundled recordings: {0}")]
    Recordings(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
}

/// An archive made by the demo, with the replay server still answering.
pub struct Demo {
    pub database: PathBuf,
    pub config: Arc<Config>,
    pub store: StoreHandles,
    pub replay: ReplayServer,
    /// The article as archived (every post live).
    pub archived: ArticleOutcome,
    /// The check that found the gone post gone.
    pub gone: PostCheck,
}

/// Archive the bundled article into a new archive in `dir`, then make one post go away.
pub async fn prepare(dir: &Path) -> Result<Demo, DemoError> {
    let answers = Answers::default();
    let mut hosts = BTreeSet::new();
    for r in RECORDINGS {
        answers
            .set(r.url, answer(r.status, r.content_type, r.location, r.body))
            .map_err(DemoError::Recordings)?;
        if let Some(host) = Url::parse(r.url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
        {
            hosts.insert(host);
        }
        // Links and media named in an answer go to the replay server too (an unrecorded one
        // answers 599 there), so nothing the archiver follows can leave the machine.
        hosts.extend(hosts_in(r.body));
    }
    hosts.extend(hosts_in(ARTICLE));
    answers
        .set(
            ARTICLE_URL,
            answer(200, Some("text/html; charset=utf-8"), None, ARTICLE),
        )
        .map_err(DemoError::Recordings)?;
    hosts.insert("news.example.com".to_owned());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let replay = ReplayServer::start(listener, answers)?;

    let mut config = Config::default();
    for host in &hosts {
        config
            .http
            .host_overrides
            .insert(host.clone(), replay.base_for(host));
    }
    config.politeness.per_host_interval = std::time::Duration::ZERO;
    // One gone answer is enough here, so the demo need not wait a day.
    config.liveness.gone_after_checks = 1;
    config.liveness.gone_after = std::time::Duration::ZERO;
    let database = dir.join(DATABASE_FILE);
    config.store.path = Some(database.clone());
    let config = Arc::new(config);

    let store = StoreHandles::open(&database).await?;
    let pipeline = Pipeline::new(Arc::clone(&config), store.clone())?;
    let archived = pipeline
        .archive_article(
            ArticleInput::Url(ARTICLE_URL.to_owned()),
            &RunScope::new(),
            &NoProgress,
        )
        .await;

    let tombstone = RECORDINGS
        .iter()
        .find(|r| r.id == TOMBSTONE)
        .ok_or_else(|| DemoError::Recordings(format!("{TOMBSTONE} is missing")))?;
    replay
        .answers
        .set(
            "https://cdn.syndication.twimg.com/tweet-result?id=20",
            answer(
                tombstone.status,
                tombstone.content_type,
                None,
                tombstone.body,
            ),
        )
        .map_err(DemoError::Recordings)?;
    let key = PostKey {
        platform: Platform::X,
        post_id: "20".into(),
    };
    let gone = pipeline.check_post(&key, &RunScope::new()).await?;
    Ok(Demo {
        database,
        config,
        store,
        replay,
        archived,
        gone,
    })
}

/// The hosts of the absolute http(s) URLs written in `body` (JSON's `\\/` escapes included),
/// lower-cased.
fn hosts_in(body: &[u8]) -> BTreeSet<String> {
    let text = String::from_utf8_lossy(body).replace("\\/", "/");
    let mut hosts = BTreeSet::new();
    for scheme in ["http://", "https://"] {
        for (at, _) in text.match_indices(scheme) {
            let rest = &text[at + scheme.len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
                .unwrap_or(rest.len());
            let host = rest[..end].trim_end_matches('.').to_ascii_lowercase();
            if host.contains('.') && Url::parse(&format!("https://{host}/")).is_ok() {
                hosts.insert(host);
            }
        }
    }
    hosts
}

fn answer(
    status: u16,
    content_type: Option<&str>,
    location: Option<&str>,
    body: &'static [u8],
) -> Answer {
    Answer {
        status,
        content_type: content_type.map(str::to_owned),
        location: location.map(str::to_owned),
        body: Arc::from(body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PostStatus;

    #[tokio::test(flavor = "multi_thread")]
    async fn the_demo_archives_the_article_and_one_post_goes_away() {
        let dir = tempfile::tempdir().expect("tmp");
        let demo = prepare(dir.path()).await.expect("demo");
        let live = demo
            .archived
            .embeds
            .iter()
            .filter(|e| e.status == PostStatus::Live)
            .count();
        assert_eq!(demo.archived.embeds.len(), 7, "{:?}", demo.archived.error);
        assert_eq!(live, 7, "every post answered from the recordings");
        assert_eq!(demo.gone.post.status(), PostStatus::Gone);
        assert_eq!(demo.gone.post.canonical_url, GONE_POST);
        assert!(
            demo.gone.snapshot.is_some(),
            "the gone post keeps its snapshot"
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn every_host_the_demo_reaches_goes_to_the_replay_server_on_loopback() {
        let dir = tempfile::tempdir().expect("tmp");
        let demo = prepare(dir.path()).await.expect("demo");
        let http = &demo.config.http;
        assert!(
            !http.allow_private_addresses,
            "only the overrides may reach loopback"
        );
        let replay = format!("http://{}/", demo.replay.addr);
        for (host, target) in &http.host_overrides {
            let url = Url::parse(target).expect(target);
            assert_eq!(url.host_str(), Some("127.0.0.1"), "{host} -> {target}");
            assert!(target.starts_with(&replay), "{host} -> {target}");
        }
        // Every host named by a recording, the answers' media hosts and the article's own.
        for host in [
            "news.example.com",
            "www.instagram.com",
            "scontent.cdninstagram.com",
            "cdn.syndication.twimg.com",
            "pbs.twimg.com",
            "www.youtube.com",
            "i.ytimg.com",
            "www.tiktok.com",
            "platform.twitter.com",
        ] {
            assert!(
                http.host_overrides.contains_key(host),
                "{host} is not overridden"
            );
        }
    }

    #[test]
    fn hosts_are_read_from_plain_and_json_escaped_urls() {
        let body = br#"{"a":"https:\/\/pbs.twimg.com\/media\/x.jpg","b":"see http://Example.ORG/p."} https://x.com/ http://localhost/"#;
        let hosts: Vec<String> = hosts_in(body).into_iter().collect();
        assert_eq!(hosts, ["example.org", "pbs.twimg.com", "x.com"]);
    }
}
