//! Facebook resolver tests: the four recorded Graph oEmbed answers (2020), Graph errors and
//! hostile answers, and the token switch.

use super::graph::{self, SOURCE};
use super::plugin;
use super::resolve::resolve_with;
use crate::config::Config;
use crate::model::{CheckOutcome, EmbedKind, EmbedRef, Location, Platform, Resolution};
use crate::platforms::replay::{Replay, fixture_answer};
use crate::platforms::source::Answer;

const TOKEN_URL: &str =
    "https://graph.facebook.com/v8.0/oembed_post?access_token=REDACTED&format=json&url=x";

fn sample(file: &str) -> Answer {
    fixture_answer(
        TOKEN_URL,
        200,
        "application/json; charset=UTF-8",
        &format!("facebook/{file}"),
    )
}

fn body(status: u16, text: &str) -> Answer {
    Answer {
        url: TOKEN_URL.into(),
        status,
        content_type: Some("application/json; charset=UTF-8".into()),
        body: text.as_bytes().to_vec(),
    }
}

fn live(r: Resolution) -> crate::model::PostContent {
    match r {
        Resolution::Live(c) => c,
        other => panic!("expected live, got {other:?}"),
    }
}

fn day(text: &str) -> Option<String> {
    Some(format!("{text}T00:00:00+00:00"))
}

#[test]
fn recorded_answers_give_author_text_and_date() {
    // (file, author, author URL, title, text, date)
    let cases = [
        (
            "graph-oembed-post-rubyonrailstogo.json",
            "Ruby on Rails",
            Some("https://www.facebook.com/1284562961576662"),
            None,
            Some("Nice Article"),
            day("2020-08-05"),
        ),
        (
            "graph-oembed-post-notes.json",
            "Facebook App",
            Some("https://www.facebook.com/20531316728"),
            None,
            None,
            day("2006-08-22"),
        ),
        (
            "graph-oembed-post-photo-fbid.json",
            "Ruby on Rails Developers",
            Some("https://www.facebook.com/groups/rordevelopers/"),
            None,
            Some(
                "Why does the While stop at the gets.chomp inside the While knowing that the prompt result is still an empty string?",
            ),
            day("2020-08-31"),
        ),
        (
            "graph-oembed-video-381763475170840.json",
            "Expo 2020 Dubai",
            Some("https://www.facebook.com/381763475170840"),
            Some("Expo Live I Hello Ruby"),
            Some(
                "🔊 Find out how Finnish #ExpoLive grantee Hello Ruby is transforming the way educators teach kids how to code. #Expo2020 #Dubai",
            ),
            day("2019-07-06"),
        ),
        (
            // No author_url, and the embed code names the author in <a href="#">: no author
            // page is known.
            "graph-oembed-video-osherove-no-author-url.json",
            "Roy",
            None,
            Some("Intro to TDD in Ruby"),
            Some("Intro to TDD in Ruby"),
            day("2020-04-12"),
        ),
        (
            "graph-oembed-post-tumocenter-photo-bc.json",
            "Tumo Center for Creative Technologies",
            Some("https://www.facebook.com/193484930689681"),
            None,
            Some(
                "Ruby on Rails-ը գալիս է Թումո: Բոլոր նրանց համար, ովքեր տեղյակ չեն տեխնոլոգիաների վերջին նորություններից՝ Ruby on...",
            ),
            day("2016-05-17"),
        ),
    ];
    for (file, author, author_url, title, text, date) in cases {
        let c = live(graph::parse(&sample(file)));
        assert_eq!(c.source, SOURCE, "{file}");
        assert_eq!(c.author_name.as_deref(), Some(author), "{file}");
        assert_eq!(c.author_url.as_deref(), author_url, "{file}");
        assert_eq!(c.title.as_deref(), title, "{file}");
        assert_eq!(c.text.as_deref(), text, "{file}");
        assert_eq!(c.published_at.map(|d| d.to_rfc3339()), date, "{file}");
        assert!(!c.raw[0].url.contains("A_FAKE"), "{file}");
    }
}

#[test]
fn since_2025_the_html_alone_names_the_post() {
    // The same answer without the fields Meta dropped in November 2025.
    let mut value: serde_json::Value =
        serde_json::from_slice(&sample("graph-oembed-post-rubyonrailstogo.json").body)
            .expect("sample");
    let object = value.as_object_mut().expect("object");
    object.remove("author_name");
    object.remove("author_url");
    let c = live(graph::parse(&body(200, &value.to_string())));
    assert_eq!(c.author_name.as_deref(), Some("Ruby on Rails"));
    assert_eq!(
        c.author_url.as_deref(),
        Some("https://www.facebook.com/1284562961576662")
    );
    assert_eq!(c.text.as_deref(), Some("Nice Article"));
}

#[test]
fn graph_errors_and_hostile_answers_are_never_gone() {
    let cases = [
        // A removed post and a bad token look the same from here.
        (
            400,
            r#"{"error":{"message":"(#100) The parameter url is required","type":"OAuthException","code":100}}"#,
        ),
        (
            400,
            r#"{"error":{"message":"Invalid OAuth access token - Cannot parse access token","type":"OAuthException","code":190}}"#,
        ),
        (404, "<html>Not Found</html>"),
        (200, "<html>login</html>"),
        (200, "[]"),
        (200, "{}"),
        (
            200,
            r#"{"html":"<script>alert(1)</script><a href=\"javascript:alert(1)\">x</a>"}"#,
        ),
        (429, "{}"),
        (500, ""),
    ];
    for (status, text) in cases {
        let got = graph::parse(&body(status, text));
        assert_eq!(
            got.outcome(),
            Some(CheckOutcome::Transient),
            "{status} {text}: {got:?}"
        );
    }
    // Script in the html is never text.
    let c = live(graph::parse(&body(
        200,
        r#"{"author_name":"A","html":"<blockquote><p>hi</p><script>alert(1)</script>Posted by <a href=\"javascript:alert(1)\">A</a></blockquote>"}"#,
    )));
    assert_eq!(c.text.as_deref(), Some("hi"));
    assert_eq!(c.author_url, None);
}

fn embed(post_url: &str, kind: EmbedKind) -> EmbedRef {
    EmbedRef {
        platform: Platform::Facebook,
        kind,
        post_url: post_url.into(),
        post_id: None,
        location: Location::Dom,
        evidence: "div.fb-post".into(),
        markup: String::new(),
        author_name: None,
        author_handle: None,
        text: None,
        published_at: None,
    }
}

fn token_config(dir: &std::path::Path) -> Config {
    let token = dir.join("facebook-token");
    std::fs::write(&token, "A_FAKE_TOKEN_FOR_TESTS\n").expect("token file");
    let mut config = Config::default();
    let facebook = config.platforms.get_mut("facebook");
    facebook.access_token_file = Some(token);
    facebook.graph_api_version = Some("v8.0".into());
    config
}

const MALTA: &str = "https://www.facebook.com/maltadaily.mt/posts/1485418313406667";

fn plugin_page(file: &str) -> Answer {
    fixture_answer(
        "https://www.facebook.com/plugins/post.php",
        200,
        "text/html; charset=\"utf-8\"",
        &format!("facebook/{file}"),
    )
}

#[tokio::test]
async fn the_plugin_needs_no_token_and_graph_is_asked_only_when_it_fails() {
    let live_post = embed(MALTA, EmbedKind::Post);
    let replay = Replay::new().answer(
        plugin::url(MALTA).expect("url").as_str(),
        plugin_page("plugin-post-maltadaily-1485418313406667.html"),
    );
    let got = resolve_with(&replay, &Config::default(), &live_post).await;
    assert_eq!(live(got).author_name.as_deref(), Some("Malta Daily"));
    assert_eq!(replay.requests().len(), 1);

    // With a token, a live plugin answer is enough: Graph is not asked.
    let dir = tempfile::tempdir().expect("tempdir");
    let config = token_config(dir.path());
    let got = resolve_with(&replay, &config, &live_post).await;
    assert_eq!(live(got).source, plugin::SOURCE);
    assert_eq!(replay.requests().len(), 2);

    // The plugin unreachable: without a token, transient; with one, Graph's recorded answer.
    let rails = embed(
        "https://www.facebook.com/rubyonrailstogo/posts/3610333842332884",
        EmbedKind::Post,
    );
    let replay = Replay::from_manifest();
    let got = resolve_with(&replay, &Config::default(), &rails).await;
    assert_eq!(got.outcome(), Some(CheckOutcome::Transient));
    assert_eq!(replay.requests().len(), 1);
    assert!(replay.requests()[0].starts_with("https://www.facebook.com/plugins/post.php?"));
    let got = resolve_with(&replay, &config, &rails).await;
    assert_eq!(live(got).author_name.as_deref(), Some("Ruby on Rails"));
    let asked = replay.requests();
    assert_eq!(asked.len(), 3);
    assert!(asked[2].starts_with("https://graph.facebook.com/v8.0/oembed_post?"));

    // An unreadable token file is a transient config error naming the file, not its contents.
    let mut broken = Config::default();
    broken.platforms.get_mut("facebook").access_token_file = Some(dir.path().join("missing"));
    match resolve_with(&replay, &broken, &rails).await {
        Resolution::Transient { source, evidence } => {
            assert_eq!(source, SOURCE);
            assert!(evidence.contains("missing"), "{evidence}");
            assert!(evidence.contains(plugin::SOURCE), "{evidence}");
        }
        other => panic!("expected transient, got {other:?}"),
    }
}

#[tokio::test]
async fn the_plugin_notice_is_gone_unless_graph_shows_the_post() {
    let post = embed(
        "https://www.facebook.com/rubyonrailstogo/posts/3610333842332884",
        EmbedKind::Post,
    );
    let notice = plugin_page("plugin-post-unavailable.html");
    let replay = Replay::new().answer(
        plugin::url(&post.post_url).expect("url").as_str(),
        notice.clone(),
    );
    let got = resolve_with(&replay, &Config::default(), &post).await;
    assert_eq!(got.outcome(), Some(CheckOutcome::Gone), "{got:?}");

    // Graph, asked with a token, still shows it: live.
    let dir = tempfile::tempdir().expect("tempdir");
    let config = token_config(dir.path());
    let graph_url = graph::url(
        "v8.0",
        &config
            .platforms
            .get("facebook")
            .access_token()
            .expect("token")
            .expect("token"),
        EmbedKind::Post,
        &post.post_url,
    )
    .expect("graph url");
    let replay = Replay::new()
        .answer(
            plugin::url(&post.post_url).expect("url").as_str(),
            notice.clone(),
        )
        .answer(
            graph_url.as_str(),
            sample("graph-oembed-post-rubyonrailstogo.json"),
        );
    let got = resolve_with(&replay, &config, &post).await;
    assert_eq!(live(got).source, SOURCE);

    // Graph failing too leaves the plugin's verdict.
    let replay = Replay::new()
        .answer(plugin::url(&post.post_url).expect("url").as_str(), notice)
        .answer(graph_url.as_str(), body(500, ""));
    let got = resolve_with(&replay, &config, &post).await;
    assert_eq!(got.outcome(), Some(CheckOutcome::Gone), "{got:?}");
}

#[tokio::test]
async fn profiles_are_asked_of_graph_only() {
    let page = embed("https://www.facebook.com/maltadaily.mt", EmbedKind::Profile);
    let replay = Replay::from_manifest();
    assert_eq!(
        resolve_with(&replay, &Config::default(), &page).await,
        Resolution::Unsupported
    );
    assert!(replay.requests().is_empty());
}
