//! Every recorded answer in `tests/fixtures/samples/manifest.json` that a resolver asks for,
//! classified as the manifest labels it, and a live post's author, handle and date as its
//! payload gives them.
//!
//! Each labelled entry (live, gone, private, transient) is served alone by a loopback fixture
//! server; the post it is about is resolved through the real HTTP client, every host of the
//! manifest pointed at that server, so every other request answers 599 (a transient failure).
//! Graph oEmbed is given the token its recordings were asked with.
//!
//! An entry may name a `known_gap`: an answer the resolvers do not read as labelled yet (an
//! old page layout, say), with `known_reading`, the verdict it gets now. It is listed in the
//! test's output (`--nocapture` shows it) rather than failed, but held to that reading: it must
//! still be asked, read as `known_reading` and no other way, and never live where it is
//! labelled gone; once it reads as labelled, the test asks for the mark to go.
//!
//! What the resolver asked decides whether the entry counts: a recording of an endpoint
//! embedkeep never asks (a retired oEmbed endpoint, an unencoded `url=` it never sends) says
//! nothing about it. The manifest holds recordings gathered from several public test suites,
//! captured across years, so this holds the resolvers to answers they were not written from.

use std::collections::BTreeSet;

use url::Url;

use crate::http::HttpClient;
use crate::model::{CheckOutcome, EmbedRef, Location, PostContent, Resolution};
use crate::platforms::replay::{
    Sample, fixture_config, fixture_server_logged, normalise, outcome_for,
};
use crate::platforms::{ResolveContext, recognise, resolve};

/// The post a recorded request is about: the entry's own `post_url`, else the `url` parameter
/// of an oEmbed-style request, else the request URL itself.
fn post_url_of(sample: &Sample) -> Option<Url> {
    if let Some(url) = &sample.post_url {
        return Url::parse(url).ok();
    }
    let request = Url::parse(&sample.url).ok()?;
    match request.query_pairs().find(|(k, _)| k == "url") {
        Some((_, v)) => Url::parse(&v).ok(),
        None => Some(request),
    }
}

/// The embed an article would give for `url`, with nothing read from its markup.
fn embed_of(url: &Url) -> Option<EmbedRef> {
    let r = recognise(url).filter(|r| r.kind.is_post())?;
    Some(EmbedRef {
        platform: r.platform,
        kind: r.kind,
        post_url: r.canonical_url,
        post_id: r.post_id,
        location: Location::Dom,
        evidence: "recorded answer".into(),
        markup: String::new(),
        author_name: None,
        author_handle: None,
        text: None,
        published_at: None,
    })
}

/// A short description of a verdict for failure messages.
fn describe(r: &Resolution) -> String {
    match r {
        Resolution::Live(c) => format!(
            "live from {} (author {:?}, title {:?}, text {:?}, {} media)",
            c.source,
            c.author_name,
            c.title,
            c.text
                .as_deref()
                .map(|t| t.chars().take(60).collect::<String>()),
            c.media.len()
        ),
        Resolution::Gone { source, evidence } => format!("gone from {source}: {evidence}"),
        Resolution::Transient { source, evidence } => {
            format!("transient from {source}: {evidence}")
        }
        Resolution::Unsupported => "unsupported".into(),
    }
}

/// The fields of a live post that differ from the values its recording's `expected` takes from
/// the payload itself (`"_from": "payload"`): author, handle and date. Values a peer tool
/// derived in its own way (its merged page metadata) are not compared, nor is a title (the
/// payload's `title` field is a TikTok caption, which a snapshot keeps as its text).
fn differing_fields(content: &PostContent, expected: &serde_json::Value) -> Vec<String> {
    let from_payload = expected["_from"]
        .as_str()
        .is_some_and(|f| f.starts_with("payload"));
    if !from_payload {
        return Vec::new();
    }
    let mut differing = Vec::new();
    let mut compare = |field: &str, got: Option<String>| {
        if let Some(want) = expected[field].as_str().filter(|w| !w.is_empty())
            && got.as_deref() != Some(want)
        {
            differing.push(format!("{field} {got:?}, the payload says {want:?}"));
        }
    };
    compare("author_handle", content.author_handle.clone());
    compare("author_name", content.author_name.clone());
    if let Some(want) = expected["published_at"]
        .as_str()
        .and_then(crate::platforms::markup::reading::parse_rfc3339)
        && content.published_at != Some(want)
    {
        differing.push(format!(
            "published_at {:?}, the payload says {want}",
            content.published_at
        ));
    }
    differing
}

#[tokio::test]
async fn every_recorded_answer_a_resolver_asks_for_reads_as_labelled() {
    let samples = crate::platforms::replay::samples();
    let hosts: BTreeSet<String> = samples
        .iter()
        .filter_map(|s| Some(Url::parse(&s.url).ok()?.host_str()?.to_owned()))
        .collect();
    let hosts: Vec<&str> = hosts.iter().map(String::as_str).collect();
    // The recorded Graph oEmbed answers were asked with this token and API version.
    let dir = tempfile::tempdir().expect("temp dir");
    let token = dir.path().join("graph-token");
    std::fs::write(&token, "A_FAKE_TOKEN_FOR_TESTS\n").expect("token file");

    let (mut asked, mut not_asked, mut failures) = (Vec::new(), Vec::new(), Vec::new());
    let mut known_gaps = Vec::new();
    for sample in samples {
        if !matches!(
            sample.post_state.as_str(),
            "live" | "gone" | "private" | "transient"
        ) {
            continue;
        }
        let Some(embed) = post_url_of(&sample).and_then(|u| embed_of(&u)) else {
            if sample.known_gap.is_some() {
                failures.push(format!("{}: a known gap no resolver asks for", sample.id));
            }
            not_asked.push(sample.id.clone());
            continue;
        };
        let want = outcome_for(&sample.post_state);
        let request = Url::parse(&sample.url)
            .ok()
            .and_then(|u| normalise(u.as_str()));
        let id = sample.id.clone();
        let expected = sample.expected.clone();
        let known_gap = sample.known_gap.clone();
        let known_reading = sample.known_reading.clone();
        let (base, log) = fixture_server_logged(vec![sample]).await;
        let mut config = fixture_config(&base, &hosts);
        config.http.timeout = std::time::Duration::from_secs(5);
        for graph in ["instagram", "facebook"] {
            let settings = config.platforms.get_mut(graph);
            settings.access_token_file = Some(token.clone());
            settings.graph_api_version = Some("v8.0".into());
        }
        let http = HttpClient::new(&config.http, &config.politeness).expect("client");
        let ctx = ResolveContext {
            http: &http,
            config: &config,
        };
        let verdict = resolve(&ctx, &embed).await;
        let was_asked = request.is_some_and(|k| log.lock().expect("log").contains(&k));
        if !was_asked {
            if known_gap.is_some() {
                failures.push(format!("{id}: a known gap no resolver asks for"));
            }
            not_asked.push(id);
            continue;
        }
        let misread: Vec<String> = if verdict.outcome() != Some(want) {
            vec![format!(
                "{id} ({}): labelled {want:?}, got {}",
                embed.post_url,
                describe(&verdict)
            )]
        } else if let Resolution::Live(content) = &verdict {
            differing_fields(content, &expected)
                .into_iter()
                .map(|d| format!("{id}: {d}"))
                .collect()
        } else {
            Vec::new()
        };
        let Some(gap) = known_gap else {
            failures.extend(misread);
            asked.push(id);
            continue;
        };
        let reading = known_reading.as_deref().map(outcome_for);
        if misread.is_empty() {
            failures.push(format!(
                "{id} reads as labelled now: remove its known_gap ({gap})"
            ));
        } else if reading.is_none()
            || verdict.outcome() != reading
            || (want == CheckOutcome::Gone && reading == Some(CheckOutcome::Live))
        {
            failures.push(format!(
                "{id}: known gap read as {} where its known_reading says {:?} (labelled {want:?})",
                describe(&verdict),
                known_reading
            ));
        } else {
            known_gaps.push(format!("{id}: {gap}"));
        }
    }
    if !known_gaps.is_empty() {
        eprintln!(
            "{} recorded answers are known gaps:\n{}",
            known_gaps.len(),
            known_gaps.join("\n")
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {} recorded answers misread:\n{}",
        failures.len(),
        asked.len(),
        failures.join("\n")
    );
    // Most labelled recordings are of requests a resolver makes; if they stop being asked, the
    // request shapes have drifted from the recorded ones.
    assert!(
        asked.len() >= 80,
        "only {} recorded answers were asked for; not asked: {not_asked:?}",
        asked.len()
    );
}
