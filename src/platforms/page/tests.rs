use super::*;
use crate::model::CheckOutcome;
use crate::platforms::replay::{Replay, fixture_answer};

fn url(s: &str) -> Url {
    Url::parse(s).expect("test URL")
}

/// The manifest entry's `expected` values of a sample.
fn expected(id: &str) -> serde_json::Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/samples/manifest.json"
    );
    let entries: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(path).expect("manifest")).expect("JSON");
    entries
        .into_iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("no manifest entry {id}"))["expected"]
        .clone()
}

fn live(r: (Resolution, Option<Url>)) -> PostContent {
    match r.0 {
        Resolution::Live(c) => c,
        other => panic!("expected live, got {other:?}"),
    }
}

#[test]
fn news_pages_resolve_to_the_manifest_fields() {
    // (manifest id, page URL, file, lang)
    let cases = [
        (
            "generic-bbc-news-uk-54222286",
            "https://www.bbc.co.uk/news/uk-54222286",
            "generic/bbc-news-uk-54222286.html",
            "en-GB",
        ),
        (
            "generic-itmedia-news159",
            "https://www.itmedia.co.jp/news/articles/2410/28/news159.html",
            "generic/itmedia-news159.html",
            "ja",
        ),
    ];
    for (id, page, file, lang) in cases {
        let want = expected(id);
        let answer = fixture_answer(page, 200, "text/html", file);
        let c = live(classify(&answer, &url(page)));
        assert_eq!(c.source, "page");
        assert_eq!(c.title.as_deref(), want["title"].as_str(), "{id}");
        assert_eq!(c.text.as_deref(), want["description"].as_str(), "{id}");
        assert_eq!(
            c.media.first().and_then(|m| m.image_url.as_deref()),
            want["image"].as_str(),
            "{id}"
        );
        assert_eq!(
            c.published_at
                .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                .as_deref(),
            want["published_at"].as_str(),
            "{id}"
        );
        // The peer's author URL is the page's twitter:creator.
        assert_eq!(c.author_url.as_deref(), want["author_url"].as_str(), "{id}");
        assert_eq!(c.lang.as_deref(), Some(lang), "{id}");
        assert_eq!(c.raw.len(), 1);
    }
    // The peer names the BBC's Facebook page as its author (article:author); JSON-LD names the
    // author, which is what we keep.
    let c = live(classify(
        &fixture_answer(
            "https://www.bbc.co.uk/news/uk-54222286",
            200,
            "text/html",
            "generic/bbc-news-uk-54222286.html",
        ),
        &url("https://www.bbc.co.uk/news/uk-54222286"),
    ));
    assert_eq!(c.author_name.as_deref(), Some("BBC News"));
    assert_eq!(c.author_handle.as_deref(), Some("BBCNews"));
    assert_eq!(c.media[0].alt.as_deref(), Some("Coronavirus update logo"));
}

#[test]
fn a_bot_wall_403_is_transient() {
    let page = "https://www.politico.com/story/2013/12/presidents-barack-obama-george-w-bush-second-term-101314.html";
    let answer = fixture_answer(
        page,
        403,
        "text/html; charset=UTF-8",
        "generic/politico-101314-403.html",
    );
    let (verdict, link) = classify(&answer, &url(page));
    assert_eq!(
        verdict.outcome(),
        Some(CheckOutcome::Transient),
        "{verdict:?}"
    );
    assert_eq!(link, None);
    // Served with 200, the same challenge page is a wall too.
    let mut ok = answer.clone();
    ok.status = 200;
    let (verdict, _) = classify(&ok, &url(page));
    let Resolution::Transient { evidence, .. } = verdict else {
        panic!("expected transient, got {verdict:?}");
    };
    assert!(evidence.contains("Just a moment"), "{evidence}");
}

#[tokio::test]
async fn a_wordpress_page_follows_its_oembed_discovery_link() {
    let replay = Replay::from_manifest();
    let page = url("https://css-tricks.com/css-scrollbar-with-progress-meter/");
    let Resolution::Live(c) = read(&replay, &page).await else {
        panic!("expected live");
    };
    assert_eq!(
        replay.requests(),
        [
            "https://css-tricks.com/css-scrollbar-with-progress-meter/",
            "https://css-tricks.com/wp-json/oembed/1.0/embed?url=https%3A%2F%2Fcss-tricks.com%2Fcss-scrollbar-with-progress-meter%2F",
        ]
    );
    assert_eq!(c.source, "page");
    // The author is the oEmbed answer's; the date and language are the page's.
    assert_eq!(c.author_name.as_deref(), Some("Chris Coyier"));
    assert_eq!(
        c.author_url.as_deref(),
        Some("https://css-tricks.com/author/chriscoyier/")
    );
    assert_eq!(c.author_handle.as_deref(), Some("chriscoyier"));
    assert_eq!(
        c.title.as_deref(),
        Some("CSS Scrollbar With Progress Meter | CSS-Tricks")
    );
    assert_eq!(
        c.published_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2020-04-15T21:49:51+00:00")
    );
    assert_eq!(c.lang.as_deref(), Some("en-US"));
    let m = &c.media[0];
    assert_eq!(
        m.image_url.as_deref(),
        Some(
            "https://i1.wp.com/css-tricks.com/wp-content/uploads/2020/04/scrollbar-progress.png?fit=1200%2C600&ssl=1"
        )
    );
    assert_eq!((m.width, m.height), (Some(1200), Some(600)));
    assert_eq!(c.raw.len(), 2);
}

fn html(status: u16, final_url: &str, body: &str) -> Answer {
    Answer {
        url: final_url.into(),
        status,
        content_type: Some("text/html; charset=utf-8".into()),
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn gone_only_on_the_posts_own_404_page() {
    let post = url("https://blog.example/2024/05/a-post/");
    let site_404 = format!(
        "<!doctype html><html><head><title>Page not found – Example Blog</title></head><body><h1>Nothing here</h1>{}</body></html>",
        "<p>The page you were looking for does not exist.</p>".repeat(12)
    );
    let cases = [
        (html(404, post.as_str(), &site_404), CheckOutcome::Gone),
        (
            html(410, "https://blog.example/2024/05/a-post", &site_404),
            CheckOutcome::Gone,
        ),
        // After a redirect to another page, the 404 is not about the post.
        (
            html(404, "https://blog.example/missing", &site_404),
            CheckOutcome::Transient,
        ),
        // An edge's bare error page.
        (
            html(
                404,
                post.as_str(),
                "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>",
            ),
            CheckOutcome::Transient,
        ),
        (
            html(
                404,
                post.as_str(),
                &site_404.replace("Nothing here", "Generated by cloudfront (CloudFront)"),
            ),
            CheckOutcome::Transient,
        ),
        (html(401, post.as_str(), &site_404), CheckOutcome::Transient),
        (html(403, post.as_str(), &site_404), CheckOutcome::Transient),
        (html(451, post.as_str(), &site_404), CheckOutcome::Transient),
    ];
    // Other servers' "not found" labelled as the page: a proxy's or CDN's own error page, a
    // JSON error, a storage bucket's XML error, a login wall that names itself only in its
    // og:title. None is the site's own page.
    let padding = "<!-- a padding comment to pass the size of an error page -->".repeat(10);
    let others = [
        format!(
            "<!DOCTYPE html><html><head><title>Error 404 (Not Found)!!1</title></head><body><p><b>404.</b> <ins>That’s an error.</ins></p>{padding}</body></html>"
        ),
        format!(
            "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><hr><center>openresty</center>{padding}</body></html>"
        ),
        format!("<html><body>no healthy upstream{padding}</body></html>"),
        format!(
            "<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Error 404 Not Found</h1><p>Not Found</p><h3>Guru Mediation:</h3><p>Details: cache-fra-etou8220000-FRA 1700000000 123456789</p>{padding}</body></html>"
        ),
        format!(
            r#"{{"errors":[{{"code":34,"message":"Sorry, that page does not exist.","padding":"{}"}}]}}"#,
            "x".repeat(600)
        ),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>{padding}</Error>"#
        ),
        format!(
            r#"<!doctype html><html><head><title>X</title><meta property="og:title" content="Log in to X"></head><body>{padding}</body></html>"#
        ),
    ];
    for body in &others {
        let (verdict, _) = classify(&html(404, post.as_str(), body), &post);
        assert_eq!(verdict.outcome(), Some(CheckOutcome::Transient), "{body}");
    }
    for (answer, want) in cases {
        let (verdict, _) = classify(&answer, &post);
        assert_eq!(
            verdict.outcome(),
            Some(want),
            "{} {}: {verdict:?}",
            answer.status,
            answer.url
        );
    }
}

#[test]
fn walls_redirects_and_bare_pages_are_transient() {
    let post = url("https://www.instagram.com/p/C9aa0LoginW/");
    let meta = r#"<html><head><meta property="og:title" content="Instagram"><meta property="og:image" content="https://static.example/logo.png"></head></html>"#;
    let cases = [
        html(
            200,
            "https://www.instagram.com/accounts/login/?next=%2Fp%2FC9aa0LoginW%2F",
            meta,
        ),
        html(200, "https://consent.example.com/?continue=x", meta),
        html(200, "https://www.instagram.com/", meta),
        // No metadata at all.
        html(
            200,
            post.as_str(),
            "<html><head><title>Instagram</title></head><body></body></html>",
        ),
        // Metadata about the site's home page.
        html(
            200,
            post.as_str(),
            r#"<html><head><link rel="canonical" href="https://www.instagram.com/"><meta property="og:title" content="Instagram"></head></html>"#,
        ),
        html(
            200,
            post.as_str(),
            r#"<html><head><title>Log in • Instagram</title><meta property="og:title" content="Instagram"></head></html>"#,
        ),
        Answer {
            content_type: Some("application/json".into()),
            ..html(200, post.as_str(), r#"{"title":"x"}"#)
        },
        // An app shell whose only title names the site, by its host or its og:site_name:
        // served at a deleted post's address too.
        html(
            200,
            post.as_str(),
            r#"<html><head><title>instagram.com</title><meta property="og:site_name" content="Instagram"></head></html>"#,
        ),
        html(
            200,
            post.as_str(),
            r#"<html><head><title> Instagram </title><meta property="og:site_name" content="Instagram"></head></html>"#,
        ),
        // A login page served at the post's own address: by its title, or by its canonical
        // address whatever its title.
        html(
            200,
            post.as_str(),
            r#"<html><head><title>Log into Instagram</title><meta property="og:title" content="Welcome back"></head></html>"#,
        ),
        html(
            200,
            post.as_str(),
            r#"<html><head><title>Welcome back</title><link rel="canonical" href="https://www.instagram.com/accounts/login/"><meta property="og:title" content="Welcome back"><meta property="og:description" content="Share what you love."></head></html>"#,
        ),
    ];
    for answer in cases {
        let (verdict, _) = classify(&answer, &post);
        assert_eq!(
            verdict.outcome(),
            Some(CheckOutcome::Transient),
            "{}: {verdict:?}",
            answer.url
        );
    }
}

#[test]
fn hostile_metadata_never_becomes_a_link() {
    let post = url("https://news.example/a");
    let page = r#"<html><head>
        <meta property="og:title" content="  A   title ">
        <meta property="og:image" content="javascript:alert(1)">
        <meta name="twitter:image" content="data:image/png;base64,AAAA">
        <meta property="article:author" content="javascript:alert(2)">
        <link rel="alternate" type="application/json+oembed" href="javascript:alert(3)">
        <script type="application/ld+json">{"@type":"NewsArticle","author":{"name":"N","url":"javascript:x"},
          "datePublished":"2024-02-03"}</script>
        <script type="application/ld+json">{ not json</script>
        </head></html>"#;
    let (verdict, link) = classify(&html(200, post.as_str(), page), &post);
    assert_eq!(link, None);
    let Resolution::Live(c) = verdict else {
        panic!("expected live, got {verdict:?}");
    };
    assert_eq!(c.title.as_deref(), Some("A title"));
    assert!(c.media.is_empty(), "{:?}", c.media);
    assert_eq!(c.author_name.as_deref(), Some("N"));
    assert_eq!(c.author_url, None);
    assert_eq!(
        c.published_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2024-02-03T00:00:00+00:00")
    );
}

#[test]
fn a_social_posting_in_json_ld_gives_its_whole_body() {
    let post = url("https://forum.example/t/1");
    let page = r##"<html lang="pt-BR"><head>
        <meta property="og:description" content="First line…">
        <script type="application/ld+json">[{"@context":"https://schema.org","@graph":[
          {"@type":"WebSite","@id":"#site","name":"Forum"},
          {"@type":"SocialMediaPosting","headline":"Hello","articleBody":"First line.\nSecond line.",
           "author":[{"@type":"Person","name":"Ana","url":"https://forum.example/u/ana"}],
           "datePublished":"2024-05-01T10:00:00+02:00","image":{"@id":"#img"},"inLanguage":"pt-BR"},
          {"@type":"ImageObject","@id":"#img","url":"/img/1.jpg","width":"800","height":600,"caption":"A cat"}]}]</script>
        </head></html>"##;
    let c = live(classify(&html(200, post.as_str(), page), &post));
    assert_eq!(c.title.as_deref(), Some("Hello"));
    assert_eq!(c.text.as_deref(), Some("First line.\nSecond line."));
    assert_eq!(c.author_name.as_deref(), Some("Ana"));
    assert_eq!(c.author_url.as_deref(), Some("https://forum.example/u/ana"));
    assert_eq!(
        c.published_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2024-05-01T08:00:00+00:00")
    );
    assert_eq!(c.lang.as_deref(), Some("pt-BR"));
    let m = &c.media[0];
    assert_eq!(
        m.image_url.as_deref(),
        Some("https://forum.example/img/1.jpg")
    );
    assert_eq!((m.width, m.height), (Some(800), Some(600)));
    assert_eq!(m.alt.as_deref(), Some("A cat"));
}

#[test]
fn the_page_after_a_platforms_sources() {
    let t = |s: &str| Resolution::Transient {
        source: s.into(),
        evidence: format!("{s} failed"),
    };
    let gone = Resolution::Gone {
        source: SOURCE.into(),
        evidence: "HTTP 404".into(),
    };
    let page_live = Resolution::Live(PostContent {
        source: SOURCE.into(),
        title: Some("t".into()),
        ..PostContent::default()
    });
    assert_eq!(after(t("instagram-embed"), page_live.clone()), page_live);
    assert_eq!(after(t("instagram-embed"), gone.clone()), gone);
    let Resolution::Transient { source, evidence } = after(t("instagram-embed"), t("page")) else {
        panic!("expected transient");
    };
    assert_eq!(source, "instagram-embed");
    assert_eq!(
        evidence,
        "instagram-embed: instagram-embed failed; page: page failed"
    );
}

/// [`meta::read`] of a recorded page body.
fn read_fixture(page: &str, file: &str) -> meta::PageMeta {
    let answer = fixture_answer(page, 200, "text/html", file);
    meta::read(&String::from_utf8_lossy(&answer.body), &url(page))
}

fn rfc3339(t: Option<chrono::DateTime<chrono::Utc>>) -> Option<String> {
    t.map(|t| t.to_rfc3339())
}

#[test]
fn music_works_name_their_artist_and_bandcamps_dates() {
    // (page, file, type, title, text, artist, artist URL, published, picture)
    let cases = [
        (
            "https://jeanjean.bandcamp.com/track/coquin-l-l-phant",
            "bandcamp/page-track-jeanjean-coquin-l-l-phant.html",
            "MusicRecording",
            "Coquin L'éléphant",
            None,
            Some("Jean Jean"),
            Some("https://jeanjean.bandcamp.com"),
            Some("2013-09-14T00:00:00+00:00"),
            Some("https://f4.bcbits.com/img/a3289609405_10.jpg"),
        ),
        (
            "https://go-qualia.bandcamp.com/album/mental-sketch-schizoid-iii",
            "bandcamp/page-album-go-qualia-mental-sketch-schizoid-iii.html",
            "MusicAlbum",
            "Mental Sketch Schizoid-III",
            Some(
                "The totality flickers in time with me all sensing all that I sense coincidentally.",
            ),
            Some("Go-qualia"),
            Some("https://go-qualia.bandcamp.com"),
            Some("2016-06-05T00:00:00+00:00"),
            Some("https://f4.bcbits.com/img/a3175283325_10.jpg"),
        ),
        // Spotify names no artist in its JSON-LD, and a bare date.
        (
            "https://open.spotify.com/album/7s66wU1XJ2NsUuWM2NKiUV",
            "spotify/page-album-403.html",
            "MusicAlbum",
            "A Cantar con Xabarin (Vol. I e II)",
            Some(
                "Listen to A Cantar con Xabarin (Vol. I e II) on Spotify. Xabarin · Album · 1994 · 44 songs.",
            ),
            None,
            None,
            Some("1994-03-01T00:00:00+00:00"),
            None,
        ),
    ];
    for (page, file, kind, title, text, artist, artist_url, published, picture) in cases {
        let got = read_fixture(page, file);
        let ld = got
            .json_ld
            .as_ref()
            .unwrap_or_else(|| panic!("{file}: no JSON-LD read"));
        assert_eq!(ld.kind, kind, "{file}");
        assert_eq!(ld.title.as_deref(), Some(title), "{file}");
        assert_eq!(ld.text.as_deref(), text, "{file}");
        assert_eq!(ld.author_name.as_deref(), artist, "{file}");
        assert_eq!(ld.author_url.as_deref(), artist_url, "{file}");
        assert_eq!(rfc3339(ld.published_at).as_deref(), published, "{file}");
        assert_eq!(ld.image.as_ref().map(Url::as_str), picture, "{file}");
        // What JSON-LD states as data is the page's reading too.
        assert_eq!(got.author_name.as_deref(), artist, "{file}");
        assert_eq!(rfc3339(got.published_at).as_deref(), published, "{file}");
    }
    // The card keeps what the card says: Bandcamp's title adds the artist, its picture is smaller.
    let track = read_fixture(cases[0].0, cases[0].1);
    assert_eq!(
        track.title.as_deref(),
        Some("Coquin L'éléphant, by Jean Jean")
    );
    assert_eq!(
        track.media[0].image_url.as_deref(),
        Some("https://f4.bcbits.com/img/a3289609405_5.jpg")
    );
}

#[test]
fn a_graph_node_id_is_no_authors_page() {
    // CSS-Tricks' Yoast graph names its author by `@id` only: an id inside the graph
    // (`https://css-tricks.com/#/schema/person/…`), not a page of the author.
    let got = read_fixture(
        "https://css-tricks.com/css-scrollbar-with-progress-meter/",
        "generic/css-tricks-article.html",
    );
    let ld = got.json_ld.expect("the article's JSON-LD");
    assert_eq!(ld.kind, "Article");
    assert_eq!(ld.author_name.as_deref(), Some("Chris Coyier"));
    assert_eq!(ld.author_url, None);
    assert_eq!(ld.url, None, "its own @id ends in #article");
}

#[test]
fn the_player_of_json_ld_is_kept_apart_from_og_video() {
    // Twitch's VOD page: `og:video` is the player for Facebook, the VideoObject's `embedUrl` the
    // video's own page.
    let got = read_fixture(
        "https://www.twitch.tv/videos/72749628",
        "twitch/page-videos-72749628.html",
    );
    let ld = got.json_ld.expect("the VideoObject");
    assert_eq!(ld.kind, "VideoObject");
    assert_eq!(
        ld.embed_url.as_ref().map(Url::as_str),
        Some("https://www.twitch.tv/videos/72749628")
    );
    assert_eq!(got.media.len(), 1);
    assert!(
        got.media[0]
            .url
            .starts_with("https://player.twitch.tv/?video=72749628"),
        "{:?}",
        got.media[0]
    );
    // Without `og:video`, the player is the video item (Twitch's clip shape, as iframely reads
    // it); a `javascript:` player never is.
    for (ld, want) in [
        (
            r#"[{"@type":"VideoObject","embedUrl":"https://clips.twitch.tv/embed?clip=SomeClip","name":"Nice"}]"#,
            Some("https://clips.twitch.tv/embed?clip=SomeClip"),
        ),
        (
            r#"{"@type":"VideoObject","embedUrl":"javascript:alert(1)","name":"x"}"#,
            None,
        ),
    ] {
        let page = format!(r#"<html><script type="application/ld+json">{ld}</script></html>"#);
        let got = meta::read(&page, &url("https://www.twitch.tv/riotgames/clip/SomeClip"));
        assert_eq!(
            got.json_ld
                .as_ref()
                .and_then(|j| j.embed_url.as_ref())
                .map(Url::as_str),
            want
        );
        assert_eq!(got.media.first().map(|m| m.url.as_str()), want, "{ld}");
    }
}

#[test]
fn times_in_every_form_pages_write() {
    for (raw, want) in [
        // Bandcamp's JSON-LD.
        (
            "14 Sep 2013 00:00:00 GMT",
            Some("2013-09-14T00:00:00+00:00"),
        ),
        (
            "05 Jun 2016 00:00:00 GMT",
            Some("2016-06-05T00:00:00+00:00"),
        ),
        // The same with a weekday, as RFC 2822 allows.
        (
            "Sat, 14 Sep 2013 00:00:00 GMT",
            Some("2013-09-14T00:00:00+00:00"),
        ),
        (
            "2017-09-14T10:20:35+00:00",
            Some("2017-09-14T10:20:35+00:00"),
        ),
        ("1994-03-01", Some("1994-03-01T00:00:00+00:00")),
        ("", None),
        ("14 Sep", None),
        ("32 Sep 2013 00:00:00 GMT", None),
    ] {
        assert_eq!(rfc3339(meta::parse_time(raw)).as_deref(), want, "{raw:?}");
    }
}

/// A picture stands for the page only where the page says so (`representativeOfPage`, as
/// Instagram's post pages write it): then its date is the post's. A site logo or an article's
/// lead picture, also an `ImageObject`, never outranks the article.
#[test]
fn a_picture_is_the_post_only_where_it_represents_the_page() {
    let post = url("https://photos.example/p/1/");
    let picture = |represents: &str| {
        format!(
            r#"<html><head><meta property="og:title" content="A picture">
            <script type="application/ld+json">{{"@context":"http:\/\/schema.org","@type":"ImageObject",
              "caption":"A caption","representativeOfPage":{represents},
              "uploadDate":"2020-05-17T02:35:03"}}</script></head></html>"#
        )
    };
    for represents in ["true", r#""http:\/\/schema.org\/True""#, r#""True""#] {
        let c = live(classify(
            &html(200, post.as_str(), &picture(represents)),
            &post,
        ));
        assert_eq!(
            c.published_at.map(|t| t.to_rfc3339()).as_deref(),
            Some("2020-05-17T02:35:03+00:00"),
            "{represents}"
        );
    }
    for represents in ["false", r#""http:\/\/schema.org\/False""#, "null"] {
        let c = live(classify(
            &html(200, post.as_str(), &picture(represents)),
            &post,
        ));
        assert_eq!(c.published_at, None, "{represents}");
    }
    // A logo, and a cover picture marked as standing for the page (with a file and a date of
    // its own), before the article: the article is the post, and the picture no video.
    let article = r#"<html><head><meta property="og:title" content="An article">
        <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
          {"@type":"ImageObject","@id":"https://news.example/#logo","uploadDate":"2019-01-01"},
          {"@type":"ImageObject","representativeOfPage":true,"name":"Cover",
           "contentUrl":"https://news.example/cover.jpg","datePublished":"2020-01-01"},
          {"@type":"NewsArticle","headline":"An article","datePublished":"2024-02-03T10:00:00Z"}]}
        </script></head></html>"#;
    let c = live(classify(&html(200, post.as_str(), article), &post));
    assert_eq!(
        c.published_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2024-02-03T10:00:00+00:00")
    );
    assert_eq!(c.title.as_deref(), Some("An article"));
    assert!(
        c.media
            .iter()
            .all(|m| m.kind != crate::model::MediaKind::Video),
        "{:?}",
        c.media
    );
}
