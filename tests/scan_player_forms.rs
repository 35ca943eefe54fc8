//! Discovery through the binary of the embed forms met beyond the platforms' own embed codes:
//! players of providers without a module of their own (and their AMP components), embed codes a
//! sanitiser stripped of their classes, and editors' own forms
//! (`tests/fixtures/local/article-players-and-decayed.html`).

mod support;

use std::collections::BTreeSet;

use support::{Routes, TestEnv, fixture};

#[test]
fn players_decayed_codes_and_editor_forms_are_found() {
    let env = TestEnv::new(Routes::default(), "");
    let dir = tempfile::tempdir().expect("tmp");
    let page = dir.path().join("article.html");
    std::fs::write(&page, fixture("local/article-players-and-decayed.html")).expect("write");
    let page = page.to_str().expect("utf-8 path");
    let (code, doc, stderr) = env.json(&[
        "scan",
        page,
        "--base-url",
        "https://news.example.com/2026/12/players.html",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let embeds = doc["articles"][0]["embeds"].as_array().expect("embeds");
    let found: BTreeSet<(String, String, String)> = embeds
        .iter()
        .map(|e| {
            (
                e["platform"].as_str().unwrap_or_default().to_owned(),
                e["kind"].as_str().unwrap_or_default().to_owned(),
                e["post_id"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let want: BTreeSet<(String, String, String)> = [
        (
            "oembed",
            "audio",
            "acast/adambuxton/ep.12-adam-joeschristmaspodcast2015",
        ),
        ("oembed", "audio", "tunein/t236404354"),
        (
            "oembed",
            "audio",
            "omny-studio/the-origin-of-things/a-song-of-hope",
        ),
        ("oembed", "audio", "libsyn/10159973"),
        ("oembed", "post", "scribd/110799637"),
        ("oembed", "video", "loom/ddcf1c1ad21f451ea7468b1e33917e4e"),
        ("oembed", "audio", "megaphone/OSC7749686951"),
        ("oembed", "video", "wistia-inc/u8p9wq6mq8"),
        ("x", "post", "20"),
        ("instagram", "post", "B63DdKjgavx"),
        ("instagram", "post", "QWERTYNgZO8"),
        ("youtube", "video", "dQw4w9WgXcQ"),
        ("facebook", "video", "10153231379946729"),
        ("imgur", "post", "a/AAAAA"),
    ]
    .iter()
    .map(|(p, k, i)| ((*p).to_owned(), (*k).to_owned(), (*i).to_owned()))
    .collect();
    // The Megaphone playlist plays many episodes, and the pull quote only links to a post:
    // neither is an embedded post, so nothing else is found.
    assert_eq!(found, want, "{doc:#}");
    let decayed = embeds
        .iter()
        .find(|e| e["platform"] == "x")
        .expect("the stripped X embed");
    assert_eq!(decayed["evidence"], "blockquote (embed fallback)");
    assert_eq!(decayed["markup"]["author_handle"], "jack");
    // The stripped codes are embeds now, not remnants of embeds.
    let remnants = doc["articles"][0]["remnants"].as_array().expect("remnants");
    assert!(remnants.is_empty(), "{remnants:?}");
}

/// Player libraries that keep only an id or a post's address (Plyr, iframemanager, WP YouTube
/// Lyte, MediaElement.js through WordPress's video shortcode, videojs-youtube), players in a page
/// saved from the Wayback Machine, a Vimeo showcase and a SlideShare deck
/// (`tests/fixtures/local/article-player-libraries.html`).
#[test]
fn player_libraries_and_archived_players_are_found() {
    let env = TestEnv::new(Routes::default(), "");
    let dir = tempfile::tempdir().expect("tmp");
    let page = dir.path().join("article.html");
    std::fs::write(&page, fixture("local/article-player-libraries.html")).expect("write");
    let page = page.to_str().expect("utf-8 path");
    let (code, doc, stderr) = env.json(&[
        "scan",
        page,
        "--base-url",
        "https://news.example.com/2026/12/libraries.html",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let embeds = doc["articles"][0]["embeds"].as_array().expect("embeds");
    let found: BTreeSet<(String, String, String)> = embeds
        .iter()
        .map(|e| {
            (
                e["platform"].as_str().unwrap_or_default().to_owned(),
                e["kind"].as_str().unwrap_or_default().to_owned(),
                e["post_id"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let want: BTreeSet<(String, String, String)> = [
        ("youtube", "video", "bTqVqk7FSmY"),
        ("vimeo", "video", "76979871"),
        ("youtube", "video", "5b35haQV7tU"),
        ("youtube", "video", "aqz-KE-bpKQ"),
        ("youtube", "video", "ScMzIvxBSi4"),
        ("youtube", "video", "xjS6SftYQaQ"),
        ("youtube", "video", "2TbCk5mkPG8"),
        ("oembed", "audio", "spreaker/48953238"),
        ("x", "post", "20"),
        ("vimeo", "playlist", "showcase/9792417"),
        ("oembed", "post", "slideshare/key/DvhB5fUUbdUpPq"),
    ]
    .iter()
    .map(|(p, k, i)| ((*p).to_owned(), (*k).to_owned(), (*i).to_owned()))
    .collect();
    // The publisher's own clip, whose poster is a YouTube thumbnail, is not among them.
    assert_eq!(found, want, "{doc:#}");
    // An archived player embeds the post its capture is of, under the post's own address.
    let archived = embeds
        .iter()
        .find(|e| e["post_id"] == "2TbCk5mkPG8")
        .expect("the archived player");
    assert_eq!(
        archived["post_url"],
        "https://www.youtube.com/watch?v=2TbCk5mkPG8"
    );
}
