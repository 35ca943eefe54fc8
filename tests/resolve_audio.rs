//! Audio and picture platforms end to end: an article with each platform's real embed code is
//! archived through the real binary, the platform's sources are answered by the fixture server
//! replaying recorded answers, and `show --json` has what the recorded answer says.

mod support;

use serde_json::Value;
use support::{Reply, Routes, TestEnv};

const ARTICLE: &str = "https://news.example.com/2026/12/listen.html";

/// An article page around `body`.
fn article(body: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Listen</title></head>\
         <body><article><h1>Listen</h1><p>Before the embed.</p>{body}<p>After it.</p>\
         </article></body></html>"
    )
}

/// A fixture server with the recorded answers and `page` at [`ARTICLE`].
fn env_with(page: &str, edit: impl FnOnce(&mut Routes)) -> TestEnv {
    let mut routes = Routes::from_manifest();
    routes.add(ARTICLE, Reply::html(article(page)));
    edit(&mut routes);
    // Every platform host goes to the fixture server, recorded or not: nothing leaves loopback.
    TestEnv::with_hosts(routes, HOSTS, "")
}

/// The hosts the platforms of this file ask.
const HOSTS: &[&str] = &[
    "open.spotify.com",
    "soundcloud.com",
    "www.pinterest.com",
    "itunes.apple.com",
    "jeanjean.bandcamp.com",
    "bandcamp.com",
];

/// The archived embed of `platform` in the first article of an `archive --json` document.
fn embed<'a>(doc: &'a Value, platform: &str, post_id: &str) -> &'a Value {
    doc["articles"][0]["embeds"]
        .as_array()
        .expect("embeds")
        .iter()
        .find(|e| e["platform"] == platform && e["post_id"] == post_id)
        .unwrap_or_else(|| panic!("no {platform} embed {post_id} in {doc:#}"))
}

/// `show --json` of a post URL.
fn show(env: &TestEnv, post_url: &str) -> Value {
    let (code, shown, stderr) = env.json(&["show", post_url]);
    assert_eq!(code, 0, "show {post_url}: {stderr}\n{shown:#}");
    shown
}

#[test]
fn spotify_album_is_live_and_removed_playlist_is_a_gone_answer() {
    let env = env_with(
        r#"<iframe style="border-radius:12px" src="https://open.spotify.com/embed/album/7s66wU1XJ2NsUuWM2NKiUV?utm_source=generator" width="100%" height="352" frameBorder="0" allowfullscreen="" allow="autoplay; clipboard-write; encrypted-media; fullscreen; picture-in-picture" loading="lazy"></iframe>
<iframe style="border-radius:12px" src="https://open.spotify.com/embed/playlist/5HcLrk4q1DPf9CucFfGLWF?utm_source=generator" width="100%" height="352" frameBorder="0" allowfullscreen="" allow="autoplay; clipboard-write; encrypted-media; fullscreen; picture-in-picture" loading="lazy"></iframe>"#,
        |_| {},
    );
    let (_, doc, stderr) = env.json(&["archive", ARTICLE]);
    let album = embed(&doc, "spotify", "7s66wU1XJ2NsUuWM2NKiUV");
    assert_eq!(album["kind"], "album", "{stderr}");
    assert_eq!(album["status"], "live", "{album:#}\n{stderr}");
    let playlist = embed(&doc, "spotify", "5HcLrk4q1DPf9CucFfGLWF");
    assert_eq!(playlist["status"], "suspect", "{playlist:#}");

    let shown = show(
        &env,
        "https://open.spotify.com/album/7s66wU1XJ2NsUuWM2NKiUV",
    );
    assert_eq!(shown["platform"], "spotify");
    assert_eq!(shown["status"], "live");
    let s = &shown["snapshots"][0];
    assert_eq!(s["source"], "spotify-oembed", "{s:#}");
    let media = s["media"].as_array().expect("media");
    assert_eq!(media.len(), 1, "{s:#}");
    assert_eq!(
        media[0]["url"],
        "https://i.scdn.co/image/ab67616d00001e022dd9ff41aad54c1d93d50aa6"
    );
    assert_eq!(media[0]["kind"], "image");

    let shown = show(
        &env,
        "https://open.spotify.com/playlist/5HcLrk4q1DPf9CucFfGLWF",
    );
    assert!(shown["snapshots"].as_array().expect("snapshots").is_empty());
    let check = &shown["checks"][0];
    assert_eq!(check["outcome"], "gone", "{shown:#}");
    assert_eq!(check["source"], "spotify-oembed");
    assert!(
        check["evidence"]
            .as_str()
            .is_some_and(|e| e.contains("HTTP 404")),
        "{check:#}"
    );
    // One oEmbed request per item, for the canonical item URL (the two are asked at once).
    let mut asked: Vec<String> = env
        .server
        .requests()
        .into_iter()
        .filter(|r| r.starts_with("https://open.spotify.com/oembed"))
        .collect();
    asked.sort();
    assert_eq!(
        asked,
        [
            "https://open.spotify.com/oembed?url=https%3A%2F%2Fopen.spotify.com%2Falbum%2F7s66wU1XJ2NsUuWM2NKiUV",
            "https://open.spotify.com/oembed?url=https%3A%2F%2Fopen.spotify.com%2Fplaylist%2F5HcLrk4q1DPf9CucFfGLWF",
        ]
    );
}

#[test]
fn spotify_bot_wall_where_the_endpoint_answers_is_never_gone() {
    // The album page's captured 403 bot wall, served where oEmbed answers, twice: as 403 and
    // as a 404 whose body is not the endpoint's own.
    let wall = support::fixture("samples/spotify/page-album-403.html");
    for status in [403, 404] {
        let env = env_with(
            r#"<iframe src="https://open.spotify.com/embed/album/7s66wU1XJ2NsUuWM2NKiUV" width="300" height="380"></iframe>"#,
            |routes| {
                routes.add(
                    "https://open.spotify.com/oembed?url=https%3A%2F%2Fopen.spotify.com%2Falbum%2F7s66wU1XJ2NsUuWM2NKiUV",
                    Reply::with_type(status, "text/html; charset=utf-8", wall.clone()),
                );
            },
        );
        let (code, doc, _) = env.json(&["archive", ARTICLE]);
        assert_eq!(code, 1, "{doc:#}");
        let album = embed(&doc, "spotify", "7s66wU1XJ2NsUuWM2NKiUV");
        assert_eq!(album["status"], "unknown", "{status}: {album:#}");
        assert_eq!(
            env.sql_count("SELECT COUNT(*) FROM checks WHERE outcome = 'gone'"),
            0,
            "{status}"
        );
    }
}

#[test]
fn spotify_embeds_of_a_real_article_are_asked_for_by_their_canonical_url() {
    // A real corpus page with four Spotify players (three playlists, one album) whose answers
    // were never recorded: each is asked for once, and none is judged gone.
    let page = support::fixtures().join("articles/trafilatura__blog.teufel.de.leistung.html");
    let env = env_with("", |_| {});
    let (code, doc, stderr) = env.json(&[
        "archive",
        "--html",
        page.to_str().expect("path"),
        "--base-url",
        "https://blog.teufel.de/leistung/",
    ]);
    assert_eq!(code, 1, "{stderr}");
    for id in [
        "7ckS4o26uQWPUNGty6fSQu",
        "1HDWkBMWUQSpgxsTqENFfI",
        "7sncoSE9ibLTJhrcFCYTLw",
        "6mCfZkaVItybijtWrECMcQ",
    ] {
        assert_eq!(embed(&doc, "spotify", id)["status"], "unknown", "{id}");
        let asked = env
            .server
            .requests()
            .into_iter()
            .filter(|r| r.starts_with("https://open.spotify.com/oembed?url=") && r.ends_with(id))
            .count();
        assert_eq!(asked, 1, "{id}");
    }
    assert_eq!(
        env.sql_count("SELECT COUNT(*) FROM checks WHERE outcome != 'transient'"),
        0
    );
}

#[test]
fn soundcloud_player_resolves_to_the_uploader_and_artwork() {
    let env = env_with(
        r#"<iframe width="100%" height="166" scrolling="no" frameborder="no" allow="autoplay" src="https://w.soundcloud.com/player/?url=https%3A//soundcloud.com/zedsdead/zeds-dead-twin-shadow-lost-you-feat-dangelo-lacy&color=%23ff5500&auto_play=false&hide_related=false&show_comments=true&show_user=true&show_reposts=false&show_teaser=true"></iframe>"#,
        |_| {},
    );
    let (code, doc, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "{stderr}\n{doc:#}");
    let track = embed(
        &doc,
        "soundcloud",
        "zedsdead/zeds-dead-twin-shadow-lost-you-feat-dangelo-lacy",
    );
    assert_eq!(track["status"], "live");
    let shown = show(
        &env,
        "https://soundcloud.com/zedsdead/zeds-dead-twin-shadow-lost-you-feat-dangelo-lacy",
    );
    let s = &shown["snapshots"][0];
    assert_eq!(s["source"], "soundcloud-oembed", "{s:#}");
    assert_eq!(s["author_name"], "Zeds Dead");
    assert_eq!(s["author_handle"], "zedsdead");
    assert_eq!(s["author_url"], "https://soundcloud.com/zedsdead");
    assert!(
        s["text"].as_str().is_some_and(
            |t| t.starts_with("MUSIC VIDEO : https://www.youtube.com/watch?v=VJm7IPrBmLY")
        ),
        "{s:#}"
    );
    assert_eq!(
        s["media"][0]["url"],
        "https://i1.sndcdn.com/artworks-fdcKTkNSeA5J-0-t500x500.jpg"
    );
}

#[test]
fn soundcloud_private_track_and_foreign_404_are_not_gone_but_its_own_404_is() {
    const OEMBED: &str = "https://soundcloud.com/oembed?url=https%3A%2F%2Fsoundcloud.com%2Fididthat-1%2Flowe-ct-cape-times-world-cup&format=json";
    let page = r#"<iframe width="100%" height="166" scrolling="no" frameborder="no" src="https://w.soundcloud.com/player/?url=https%3A//soundcloud.com/ididthat-1/lowe-ct-cape-times-world-cup&color=%23ff5500"></iframe>"#;
    // (answer, status of the post, outcome of the check)
    let cases = [
        (
            Reply::with_type(403, "application/json", ""),
            "unknown",
            "transient",
        ),
        (
            Reply::with_type(
                404,
                "text/html",
                "<html><body><h1>Not Found</h1></body></html>",
            ),
            "unknown",
            "transient",
        ),
        (
            Reply::with_type(404, "application/json; charset=utf-8", ""),
            "suspect",
            "gone",
        ),
    ];
    // The track's own page is read when oEmbed cannot decide: here it answers 503, so the
    // verdict is oEmbed's alone (a page that shows the track is the next test's).
    const TRACK_PAGE: &str = "https://soundcloud.com/ididthat-1/lowe-ct-cape-times-world-cup";
    for (reply, status, outcome) in cases {
        let env = env_with(page, |routes| {
            routes.add(OEMBED, reply.clone());
            routes.add(TRACK_PAGE, Reply::with_type(503, "text/html", "busy"));
        });
        let (_, doc, _) = env.json(&["archive", ARTICLE]);
        let track = embed(
            &doc,
            "soundcloud",
            "ididthat-1/lowe-ct-cape-times-world-cup",
        );
        assert_eq!(track["status"], status, "{reply:?}: {track:#}");
        let shown = show(
            &env,
            "https://soundcloud.com/ididthat-1/lowe-ct-cape-times-world-cup",
        );
        assert_eq!(shown["checks"][0]["outcome"], outcome, "{reply:?}");
        assert_eq!(shown["checks"][0]["source"], "soundcloud-oembed");
    }
}

/// A private track's page answers 404 as a removed one's does: after oEmbed's 403, the page's
/// own 404 never makes the track gone.
#[test]
fn soundcloud_a_private_tracks_missing_page_is_not_gone() {
    const OEMBED: &str = "https://soundcloud.com/oembed?url=https%3A%2F%2Fsoundcloud.com%2Fsmixx%2Fsmixx-developers-feat-steve&format=json";
    const TRACK_PAGE: &str = "https://soundcloud.com/smixx/smixx-developers-feat-steve";
    let page = r#"<iframe width="100%" height="166" scrolling="no" frameborder="no" src="https://w.soundcloud.com/player/?url=https%3A//soundcloud.com/smixx/smixx-developers-feat-steve"></iframe>"#;
    let missing = format!(
        "<!doctype html><html><head><title>Something went wrong</title></head><body><h1>We can't find that track.</h1>{}</body></html>",
        "<p>SoundCloud</p>".repeat(60)
    );
    let env = env_with(page, |routes| {
        routes.add(OEMBED, Reply::with_type(403, "application/json", ""));
        routes.add(
            TRACK_PAGE,
            Reply::with_type(404, "text/html", missing.clone()),
        );
    });
    let (_, doc, _) = env.json(&["archive", ARTICLE]);
    let track = embed(&doc, "soundcloud", "smixx/smixx-developers-feat-steve");
    assert_eq!(track["status"], "unknown", "{track:#}");
    let shown = show(&env, TRACK_PAGE);
    assert_eq!(shown["checks"][0]["outcome"], "transient", "{shown:#}");
}

/// When oEmbed cannot decide (a 403), the track's own page is read: the recorded 2018 page of
/// a live track gives its uploader, artist and upload time.
#[test]
fn soundcloud_reads_the_tracks_page_when_oembed_cannot_decide() {
    const OEMBED: &str = "https://soundcloud.com/oembed?url=https%3A%2F%2Fsoundcloud.com%2Fsmixx%2Fsmixx-developers-feat-steve&format=json";
    let page = r#"<iframe width="100%" height="166" scrolling="no" frameborder="no" src="https://w.soundcloud.com/player/?url=https%3A//soundcloud.com/smixx/smixx-developers-feat-steve"></iframe>"#;
    let env = env_with(page, |routes| {
        routes.add(OEMBED, Reply::with_type(403, "application/json", ""));
    });
    let (code, doc, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "{stderr}");
    let track = embed(&doc, "soundcloud", "smixx/smixx-developers-feat-steve");
    assert_eq!(track["status"], "live", "{track:#}");
    let shown = show(
        &env,
        "https://soundcloud.com/smixx/smixx-developers-feat-steve",
    );
    let s = &shown["snapshots"][0];
    assert_eq!(s["source"], "page", "{s:#}");
    assert_eq!(s["author_name"], "Smixx");
    assert_eq!(s["author_handle"], "smixx");
    assert_eq!(s["published_at"], "2011-04-22T19:16:30Z");
    assert_eq!(s["title"], "Developers (feat. Steve Ballmer)");
}

#[test]
fn pinterest_pin_widget_resolves_to_the_pinner_and_image() {
    let env = env_with(
        r#"<a data-pin-do="embedPin" data-pin-width="medium" href="https://www.pinterest.com/pin/106890191127977979/"></a><script async defer src="//assets.pinterest.com/js/pinit.js"></script>"#,
        |_| {},
    );
    let (code, doc, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "{stderr}\n{doc:#}");
    assert_eq!(
        embed(&doc, "pinterest", "106890191127977979")["status"],
        "live"
    );
    let shown = show(&env, "https://www.pinterest.com/pin/106890191127977979/");
    let s = &shown["snapshots"][0];
    assert_eq!(s["source"], "pinterest-oembed", "{s:#}");
    assert_eq!(s["author_name"], "Leslie Carruthers");
    assert_eq!(s["author_handle"], "thesearchguru");
    assert_eq!(s["author_url"], "https://www.pinterest.com/thesearchguru/");
    assert_eq!(
        s["media"][0]["url"],
        "https://i.pinimg.com/236x/b5/34/13/b53413787f3a42c8b9d5b08a6fbb2124.jpg"
    );
    assert_eq!(s["media"][0]["width"], 236);
    assert_eq!(s["media"][0]["height"], 295);
}

#[test]
fn an_oembed_answer_with_script_in_its_html_keeps_none_of_it() {
    const OEMBED: &str = "https://www.pinterest.com/oembed.json?url=https%3A%2F%2Fwww.pinterest.com%2Fpin%2F106890191127977979%2F&format=json";
    let hostile = r#"{"version":"1.0","type":"rich","title":"<img src=x onerror=alert(1)>","author_name":"Leslie","author_url":"javascript:alert(2)","thumbnail_url":"javascript:alert(3)","html":"<script>alert(4)</script><a href=\"javascript:alert(5)\">x</a>"}"#;
    let env = env_with(
        r#"<a data-pin-do="embedPin" href="https://www.pinterest.com/pin/106890191127977979/"></a>"#,
        |routes| {
            routes.add(OEMBED, Reply::with_type(200, "application/json", hostile));
        },
    );
    let (_, doc, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(
        embed(&doc, "pinterest", "106890191127977979")["status"],
        "live",
        "{stderr}"
    );
    let shown = show(&env, "https://www.pinterest.com/pin/106890191127977979/");
    let s = &shown["snapshots"][0];
    assert_eq!(s["author_name"], "Leslie");
    assert!(s["author_url"].is_null(), "{s:#}");
    assert!(s["media"].as_array().expect("media").is_empty(), "{s:#}");
    assert!(s["text"].is_null(), "{s:#}");
}

#[test]
fn apple_podcasts_episode_player_resolves_from_the_itunes_lookup() {
    const LOOKUP: &str =
        "https://itunes.apple.com/lookup?id=1678378239&entity=podcastEpisode&limit=200";
    let env = env_with(
        r#"<iframe allow="autoplay *; encrypted-media *; fullscreen *; clipboard-write" frameborder="0" height="175" style="width:100%;max-width:660px;overflow:hidden;border-radius:10px;" sandbox="allow-forms allow-popups allow-same-origin allow-scripts allow-storage-access-by-user-activation allow-top-navigation-by-user-activation" src="https://embed.podcasts.apple.com/us/podcast/introducing-this-little-light-with-flea/id1678378239?i=1000605224134"></iframe>"#,
        |routes| {
            routes.add(
                LOOKUP,
                Reply::with_type(
                    200,
                    "text/javascript; charset=utf-8",
                    support::fixture("samples/applepodcasts/lookup-1678378239-podcastEpisode.json"),
                ),
            );
        },
    );
    let (code, doc, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "{stderr}\n{doc:#}");
    let episode = embed(&doc, "applepodcasts", "1000605224134");
    assert_eq!(episode["kind"], "audio");
    assert_eq!(
        episode["post_url"],
        "https://podcasts.apple.com/podcast/id1678378239?i=1000605224134"
    );
    assert_eq!(episode["status"], "live");
    let shown = show(
        &env,
        "https://podcasts.apple.com/us/podcast/introducing-this-little-light-with-flea/id1678378239?i=1000605224134",
    );
    let s = &shown["snapshots"][0];
    assert_eq!(s["source"], "applepodcasts-lookup", "{s:#}");
    assert_eq!(s["author_name"], "This Little Light");
    assert_eq!(
        s["author_url"],
        "https://podcasts.apple.com/us/podcast/this-little-light/id1678378239"
    );
    assert_eq!(s["published_at"], "2023-03-21T19:45:00Z");
    assert!(
        s["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("Hosted by Flea, founding member")),
        "{s:#}"
    );
    assert!(
        s["media"][0]["url"]
            .as_str()
            .is_some_and(|u| u.ends_with("/600x600bb.jpg")),
        "{s:#}"
    );
}

#[test]
fn apple_podcasts_show_that_left_the_directory_is_a_gone_answer() {
    const LOOKUP: &str =
        "https://itunes.apple.com/lookup?id=1678378239&entity=podcastEpisode&limit=200";
    let env = env_with(
        r#"<iframe height="175" src="https://embed.podcasts.apple.com/us/podcast/thundercat/id1678378239?i=1000608744027"></iframe>"#,
        |routes| {
            routes.add(
                LOOKUP,
                Reply::with_type(
                    200,
                    "text/javascript; charset=utf-8",
                    support::fixture("samples/applepodcasts/lookup-no-results.json"),
                ),
            );
        },
    );
    let (_, doc, _) = env.json(&["archive", ARTICLE]);
    assert_eq!(
        embed(&doc, "applepodcasts", "1000608744027")["status"],
        "suspect"
    );
    let shown = show(
        &env,
        "https://podcasts.apple.com/podcast/id1678378239?i=1000608744027",
    );
    assert_eq!(shown["checks"][0]["outcome"], "gone");
    assert_eq!(shown["checks"][0]["source"], "applepodcasts-lookup");
}

#[test]
fn apple_podcasts_episode_of_a_real_article_is_found_and_asked_for() {
    // A real corpus page with an Apple Podcasts player whose lookup was never recorded: the
    // lookup is asked for the episode's show, and the episode is not judged gone.
    let page = support::fixtures().join("articles-unseen/omnivore__fast-company.html");
    let env = env_with("", |_| {});
    let (_, doc, stderr) = env.json(&[
        "archive",
        "--html",
        page.to_str().expect("path"),
        "--base-url",
        "https://www.fastcompany.com/",
    ]);
    assert_eq!(
        embed(&doc, "applepodcasts", "1000561514664")["status"],
        "unknown",
        "{stderr}"
    );
    assert!(
        env.server.requests().iter().any(|r| r
            == "https://itunes.apple.com/lookup?id=1393035987&entity=podcastEpisode&limit=200"),
        "{:?}",
        env.server.requests()
    );
    assert_eq!(
        env.sql_count("SELECT COUNT(*) FROM checks WHERE outcome = 'gone'"),
        0
    );
}

#[test]
fn bandcamp_player_is_read_from_the_track_page_its_embed_code_links() {
    const PAGE: &str = "https://jeanjean.bandcamp.com/track/coquin-l-l-phant";
    let env = env_with(
        r#"<iframe style="border: 0; width: 100%; height: 120px;" src="https://bandcamp.com/EmbeddedPlayer/track=2592086951/size=large/bgcol=ffffff/linkcol=0687f5/tracklist=false/artwork=small/transparent=true/" seamless><a href="https://jeanjean.bandcamp.com/track/coquin-l-l-phant">Coquin L&#39;éléphant by Jean Jean</a></iframe>"#,
        |routes| {
            routes.add(
                PAGE,
                Reply::with_type(
                    200,
                    "text/html; charset=UTF-8",
                    support::fixture("samples/bandcamp/page-track-jeanjean-coquin-l-l-phant.html"),
                ),
            );
        },
    );
    let (code, doc, stderr) = env.json(&["archive", ARTICLE]);
    assert_eq!(code, 0, "{stderr}\n{doc:#}");
    let track = embed(&doc, "bandcamp", "track/2592086951");
    assert_eq!(track["kind"], "track");
    assert_eq!(track["status"], "live");
    let shown = show(
        &env,
        "https://bandcamp.com/EmbeddedPlayer/track=2592086951/",
    );
    let s = &shown["snapshots"][0];
    assert_eq!(s["source"], "bandcamp-page", "{s:#}");
    assert_eq!(s["author_name"], "Jean Jean");
    assert_eq!(s["author_url"], "https://jeanjean.bandcamp.com");
    assert_eq!(s["text"], "from the album Symmetry");
    // When the track was posted, not its release day.
    assert_eq!(s["published_at"], "2013-09-15T08:45:29Z");
    assert_eq!(
        s["media"][0]["url"],
        "https://f4.bcbits.com/img/a3289609405_10.jpg"
    );
}

#[test]
fn bandcamp_player_of_a_real_article_without_a_page_link_stays_unknown() {
    // The real corpus page embeds an album player whose fallback text links no page.
    let page = support::fixtures().join("articles/trafilatura__ethify.org.vegetarier.html");
    let env = env_with("", |_| {});
    let (_, doc, stderr) = env.json(&[
        "archive",
        "--html",
        page.to_str().expect("path"),
        "--base-url",
        "https://ethify.org/vegetarier/",
    ]);
    let album = embed(&doc, "bandcamp", "album/669163771");
    assert_eq!(album["status"], "unknown", "{stderr}");
    assert!(
        album["error"]
            .as_str()
            .is_some_and(|e| e.contains("numeric item id")),
        "{album:#}"
    );
    assert!(
        !env.server
            .requests()
            .iter()
            .any(|r| r.contains("bandcamp.com")),
        "{:?}",
        env.server.requests()
    );
}
