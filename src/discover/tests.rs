//! Whole-page discovery tests against a small fixed recogniser, so they test discovery and not
//! the platform recognisers (the corpus test in `tests/discover_corpus.rs` uses the real ones).

use std::time::{Duration, Instant};

use url::Url;

use super::*;
use crate::model::{EmbedKind, Location, Platform};

/// Instagram posts, X posts (not profiles), YouTube videos: enough to exercise every form.
fn test_recognise(url: &Url) -> Option<Recognised> {
    let host = url.host_str()?.trim_start_matches("www.").to_owned();
    let segs: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    let post = |platform, kind, id: &str, canonical: String| {
        Some(Recognised {
            platform,
            kind,
            post_id: Some(id.to_owned()),
            canonical_url: canonical,
        })
    };
    match host.as_str() {
        "instagram.com" => {
            let at = segs
                .iter()
                .position(|s| matches!(*s, "p" | "reel" | "tv"))?;
            let code = segs.get(at + 1)?;
            post(
                Platform::Instagram,
                EmbedKind::Post,
                code,
                format!("https://www.instagram.com/p/{code}/"),
            )
        }
        "twitter.com" | "x.com" => {
            let at = segs.iter().position(|s| *s == "status")?;
            let id = segs.get(at + 1)?;
            post(
                Platform::X,
                EmbedKind::Post,
                id,
                format!("https://x.com/i/status/{id}"),
            )
        }
        "youtube.com" => {
            let id = match segs.as_slice() {
                ["embed", id] | ["v", id] => (*id).to_owned(),
                ["watch"] => url
                    .query_pairs()
                    .find(|(k, _)| k == "v")
                    .map(|(_, v)| v.into_owned())?,
                _ => return None,
            };
            let id: String = id.chars().take(11).collect();
            post(
                Platform::Youtube,
                EmbedKind::Video,
                &id,
                format!("https://www.youtube.com/watch?v={id}"),
            )
        }
        _ => None,
    }
}

fn base() -> Url {
    Url::parse("https://news.example/article").unwrap()
}

fn run(html: &str) -> Discovery {
    discover_with(html, &base(), &test_recognise)
}

/// Each embed's platform and post id, in page order.
fn ids(d: &Discovery) -> Vec<(Platform, Option<&str>)> {
    d.embeds
        .iter()
        .map(|e| (e.platform, e.post_id.as_deref()))
        .collect()
}

/// Each embed's platform, post id and evidence, in page order.
fn ids_and_evidence(d: &Discovery) -> Vec<(Platform, Option<&str>, &str)> {
    d.embeds
        .iter()
        .map(|e| (e.platform, e.post_id.as_deref(), e.evidence.as_str()))
        .collect()
}

fn keys(d: &Discovery) -> Vec<(Platform, Option<String>, Location)> {
    d.embeds
        .iter()
        .map(|e| (e.platform, e.post_id.clone(), e.location))
        .collect()
}

#[test]
fn page_with_every_visible_form() {
    let html = r#"<!doctype html><html><head><title>Big   story</title>
<style>.twitter-tweet { margin: 0 } .instagram-media {}</style></head><body>
<p>Read <a href="https://twitter.com/a/status/500">this tweet</a> and follow
<a href="https://www.instagram.com/someone/">someone</a>.</p>
<a class="twitter-share-button" href="https://twitter.com/share">Tweet</a>
<blockquote class="instagram-media" data-instgrm-captioned data-instgrm-permalink="https://www.instagram.com/p/IG1/?utm_source=ig_embed" data-instgrm-version="14"><div><a href="https://www.instagram.com/p/IG1/?utm_source=ig_embed">View this post on Instagram</a><p><a href="x">Caption text</a></p><p>A post shared by <a href="https://www.instagram.com/ana/">Ana</a> (@ana) on <time datetime="2019-05-01T17:03:12+00:00">May 1, 2019</time></p></div></blockquote>
<script async src="//www.instagram.com/embed.js"></script>
<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Hello world</p>&mdash; Bob (@bob) <a href="https://twitter.com/bob/status/1001?ref_src=twsrc%5Etfw">February 20, 2014</a></blockquote>
<iframe data-src="https://www.youtube.com/embed/abcdefghijk?rel=0" src="about:blank"></iframe>
<amp-twitter data-tweetid="1002" width="1" height="1"></amp-twitter>
<a class="twitter-timeline" href="https://twitter.com/bob?ref_src=twsrc%5Etfw">Tweets by bob</a>
<p>https://www.instagram.com/p/IG2/</p>
<p>https://www.instagram.com/someone/</p>
</body></html>"#;
    let d = run(html);
    assert_eq!(d.title.as_deref(), Some("Big story"));
    assert_eq!(
        keys(&d),
        vec![
            (Platform::Instagram, Some("IG1".into()), Location::Dom),
            (Platform::X, Some("1001".into()), Location::Dom),
            (Platform::Youtube, Some("abcdefghijk".into()), Location::Dom),
            (Platform::X, Some("1002".into()), Location::Dom),
            (Platform::X, None, Location::Dom),
            (Platform::Instagram, Some("IG2".into()), Location::Dom),
        ]
    );
    let ig = &d.embeds[0];
    assert_eq!(ig.post_url, "https://www.instagram.com/p/IG1/");
    assert_eq!(ig.evidence, "blockquote.instagram-media");
    assert_eq!(ig.author_name.as_deref(), Some("Ana"));
    assert_eq!(ig.author_handle.as_deref(), Some("ana"));
    assert_eq!(ig.text.as_deref(), Some("Caption text"));
    assert!(ig.published_at.is_some());
    assert!(ig.markup.starts_with("<blockquote"));
    let tweet = &d.embeds[1];
    assert_eq!(tweet.author_handle.as_deref(), Some("bob"));
    assert_eq!(tweet.text.as_deref(), Some("Hello world"));
    let timeline = &d.embeds[4];
    assert_eq!(timeline.kind, EmbedKind::ProfileTimeline);
    assert_eq!(timeline.post_url, "https://twitter.com/bob");
    assert_eq!(timeline.evidence, "a.twitter-timeline");
}

/// An embed whose tag holds more attributes than any real tag is not parsed (the parser's cost
/// grows with their square): the rest of the page is read, and the page is reported as not
/// wholly read, so that nobody takes the skipped embed for one the page does not hold.
#[test]
fn an_embed_too_crowded_to_read_marks_the_page_not_wholly_read() {
    let crowd: String = (0..crate::model::start_tag::MAX_ATTRIBUTES + 1)
        .map(|i| format!(" data-a{i}=\"1\""))
        .collect();
    let page = format!(
        "<p>Before.</p>\
         <blockquote class=\"twitter-tweet\"{crowd}><a href=\"https://twitter.com/a/status/2\">x</a></blockquote>\
         <blockquote class=\"instagram-media\" data-instgrm-permalink=\"https://www.instagram.com/p/B_ok/\"></blockquote>"
    );
    let found = run(&page);
    assert!(found.truncated, "{found:?}");
    assert_eq!(
        keys(&found),
        [(Platform::Instagram, Some("B_ok".to_owned()), Location::Dom)],
        "the rest of the page is read"
    );
    let plain = run(&page.replace(&crowd, ""));
    assert!(!plain.truncated, "{plain:?}");
    assert_eq!(plain.embeds.len(), 2);
}

/// An embed whose markup nests deeper than a region is parsed (a `<p>` of 300 unclosed `<b>`,
/// which a browser closes at `</p>`) is read only down to there: its post link after the deep
/// part is lost, so the page says it was not wholly read, and archiving it again marks nothing
/// removed. 250 levels are read whole.
#[test]
fn an_embed_nested_too_deep_to_read_marks_the_page_not_wholly_read() {
    let quote = |depth: usize| {
        format!(
            "<p>Before.</p><blockquote class=\"twitter-tweet\"><p>{}words</p>&mdash; A (@a) \
             <a href=\"https://twitter.com/a/status/2\">May 1, 2020</a></blockquote>",
            "<b>".repeat(depth)
        )
    };
    let shallow = run(&quote(250));
    assert!(!shallow.truncated, "{shallow:?}");
    assert_eq!(
        keys(&shallow),
        [(Platform::X, Some("2".to_owned()), Location::Dom)]
    );
    let deep = run(&quote(300));
    assert!(deep.truncated, "{deep:?}");
}

/// An embed whose content runs on past a region's bytes before its post link (a blockquote of
/// 600 KB of text) is read only up to the cut: the page says it was not wholly read, so
/// archiving it again marks nothing removed. An element left open at the page's end is read to
/// the end, whole.
#[test]
fn an_embed_longer_than_a_region_marks_the_page_not_wholly_read() {
    let quote = |words: usize| {
        format!(
            "<p>Before.</p><blockquote class=\"twitter-tweet\"><p>{}</p>&mdash; A (@a) \
             <a href=\"https://twitter.com/a/status/2\">May 1, 2020</a></blockquote><p>After.</p>",
            "words ".repeat(words)
        )
    };
    let short = run(&quote(1_000));
    assert!(!short.truncated, "{:?}", short.embeds);
    assert_eq!(
        keys(&short),
        [(Platform::X, Some("2".to_owned()), Location::Dom)]
    );
    let long = run(&quote(100_000));
    assert!(long.embeds.is_empty(), "{:?}", long.embeds);
    assert!(long.truncated);
    let open_to_the_end = run(&format!(
        "<blockquote class=\"twitter-tweet\"><p>{}</p>&mdash; A (@a) \
         <a href=\"https://twitter.com/a/status/2\">May 1, 2020</a>",
        "words ".repeat(1_000)
    ));
    assert!(!open_to_the_end.truncated);
    assert_eq!(open_to_the_end.embeds.len(), 1);
}

/// A widget an inline script builds by a call of a platform's library (a declared
/// `ScriptCall`: X's 2012 `TWTR.Widget`) is found where the script stands; the same call in a
/// comment or a style sheet builds nothing.
#[test]
fn a_widget_built_by_a_script_call_is_found_where_the_script_stands() {
    let script = "<script>new TWTR.Widget({version: 2, type: 'profile'}).render().setUser('bob').start();</script>";
    let html = format!(
        "<p>Before</p><script src=\"http://widgets.twimg.com/j/2/widget.js\"></script>{script}<p>After</p>"
    );
    let d = run(&html);
    assert_eq!(keys(&d), vec![(Platform::X, None, Location::Dom)]);
    let widget = &d.embeds[0];
    assert_eq!(widget.kind, EmbedKind::ProfileTimeline);
    assert_eq!(widget.post_url, "https://twitter.com/bob");
    assert_eq!(widget.evidence, "script TWTR.Widget");
    assert_eq!(widget.markup, script);
    for hidden in [
        format!("<!-- {script} -->"),
        format!("<style>{script}</style>"),
    ] {
        assert!(run(&hidden).embeds.is_empty(), "{hidden}");
    }
}

/// A container a platform declares by a class it numbers (`Marker::ClassPrefix`: Blackbird
/// Pie's `div.bbpBox<ID>`, X's embed code of 2010) is read, and its text kept out of the page
/// text.
#[test]
fn a_container_declared_by_a_numbered_class_is_read() {
    let html = "<p>Before</p><div class='bbpBox1001'><p class='bbpTweet'>Hello there<span class='timestamp'><a href='http://twitter.com/bob/status/1001'>now</a></span><span class='metadata'><span class='author'><strong>Bob</strong></span></span></p></div><p>After</p>";
    let d = run(html);
    assert_eq!(
        keys(&d),
        vec![(Platform::X, Some("1001".into()), Location::Dom)]
    );
    assert_eq!(d.embeds[0].evidence, "div.bbpBox");
    assert_eq!(d.embeds[0].text.as_deref(), Some("Hello there"));
    assert_eq!(d.embeds[0].author_name.as_deref(), Some("Bob"));
    assert!(
        run(&html.replace("bbpBox1001", "box1001"))
            .embeds
            .is_empty()
    );
}

/// Relative addresses resolve against the page's `<base href>`, as the browser resolves them.
#[test]
fn relative_embeds_resolve_against_the_page_s_base() {
    let html = r#"<html><head><base href="https://www.youtube.com/"></head><body>
<iframe src="/embed/abcdefghijk"></iframe></body></html>"#;
    let d = run(html);
    assert_eq!(
        keys(&d),
        vec![(Platform::Youtube, Some("abcdefghijk".into()), Location::Dom)]
    );
    // The same frame without the base element points at the page's own site: no embed.
    assert!(
        run(&html.replace("<base href=\"https://www.youtube.com/\">", ""))
            .embeds
            .is_empty()
    );
}

#[test]
fn near_misses_are_not_embeds() {
    let html = r#"<html><head><style>blockquote.twitter-tweet{color:red}</style>
<link rel="stylesheet" href="/css/instagram-media.css"></head><body class="has-twitter-tweet">
<p>See <a href="https://twitter.com/a/status/1">the tweet</a>.</p>
<p><a href="https://twitter.com/a/status/2">https://twitter.com/a/status/2</a></p>
<p>https://twitter.com/a/status/3 said so</p>
<a href="https://www.instagram.com/p/NOPE/">plain link to a post</a>
<a class="twitter-follow-button" href="https://twitter.com/a">Follow</a>
<div class="fb-like" data-href="https://www.facebook.com/page"></div>
<a data-pin-do="buttonPin" href="https://www.pinterest.com/pin/create/button/">Pin</a>
<iframe src="https://platform.twitter.com/widgets/tweet_button.html"></iframe>
<pre>&lt;blockquote class="twitter-tweet"&gt;&lt;a href="https://twitter.com/a/status/4"&gt;x&lt;/a&gt;&lt;/blockquote&gt;</pre>
</body></html>"#;
    let d = run(html);
    assert!(d.embeds.is_empty(), "{:?}", keys(&d));
}

/// An address alone in a paragraph is an embed in what a site publishes, not in its readers'
/// comments: WordPress's comment list, a platform page's comment section (vimeo.com's, as
/// metascraper's test page keeps it). A liveblog's `commentary`, and a paragraph after a comment
/// link that closed before it, still embed.
#[test]
fn a_bare_address_in_a_readers_comment_is_no_embed() {
    let html = r##"<article><div class="entry-content"><p>https://twitter.com/a/status/1</p>
<p><a class="comments-link" href="#comments">2 comments</a></p>
<p>https://twitter.com/a/status/2</p></div>
<div class="liveblog commentary"><div class="entry"><p>https://twitter.com/a/status/3</p></div></div></article>
<ol class="commentlist"><li id="comment-7" class="comment even depth-1"><article class="comment-body">
<div class="comment-content"><p>https://twitter.com/a/status/4</p></div></article></li></ol>
<section class="comments"><div class="chakra-stack"><div class="rich-comment-viewer"><div contenteditable="false" class="ProseMirror"><p>https://twitter.com/a/status/5</p></div></div></div></section>"##;
    let ids: Vec<_> = run(html)
        .embeds
        .into_iter()
        .filter_map(|e| e.post_id)
        .collect();
    assert_eq!(ids, ["1", "2", "3"]);
}

#[test]
fn elements_named_for_a_platform_embed_the_post_they_name() {
    let html = r#"<body>
<p>As <a href="https://twitter.com/a/status/900001">she wrote</a>, it rained.</p>
<div class="content"><a href="https://twitter.com/a/status/900002">a link in a plain box</a></div>
<div class="tweet" data-attrs="{&quot;url&quot;:&quot;https://twitter.com/bee/status/900003&quot;,&quot;photos&quot;:[]}"><a href="https://twitter.com/bee/status/900003">card</a></div>
<div id="yt-abcD3fghijk" class="youtube-embed loaded"></div>
<div class="embed-placeholder"><a href="https://www.instagram.com/p/IGX/">View on Instagram</a></div>
<div class="embed-links"><a href="https://www.instagram.com/p/IGY/">one</a> <a href="https://example.com/">other</a></div>
<div class="tweet" data-attrs="{&quot;url&quot;:&quot;https://www.instagram.com/p/IGZ/&quot;}"></div>
<div class="tweet-list" data-attrs="[{&quot;u&quot;:&quot;https://twitter.com/a/status/900005&quot;},{&quot;u&quot;:&quot;https://twitter.com/a/status/900006&quot;}]"></div>
<script>var d = {"description":"%3Cblockquote%20class%3D%22twitter-tweet%22%3E%3Ca%20href%3D%22https%3A//twitter.com/c/status/900004%22%3Ex%3C/a%3E%3C/blockquote%3E"};</script>
<iframe src="https://cdn.embedly.example/widgets/media.html?url=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3Dbcdefghijkl"></iframe>
</body>"#;
    let d = run(html);
    assert_eq!(
        keys(&d),
        vec![
            (Platform::X, Some("900003".into()), Location::Dom),
            (Platform::Youtube, Some("abcD3fghijk".into()), Location::Dom),
            (Platform::Instagram, Some("IGX".into()), Location::Dom),
            (Platform::X, Some("900004".into()), Location::ScriptString),
            (Platform::Youtube, Some("bcdefghijkl".into()), Location::Dom),
        ]
    );
    // The card's markup says nothing of the author; its post URL names the account.
    assert_eq!(d.embeds[0].author_handle.as_deref(), Some("bee"));
    assert_eq!(d.embeds[0].evidence, "div[data-attrs]");
    assert_eq!(d.embeds[1].evidence, "div[id]");
}

/// Class names and ids in a brand's own case (CSS module and component names, a publisher's
/// `youTubeContainer_ID`) lead the scan to the element as the lowercase and capitalised words do.
#[test]
fn brand_cased_names_lead_to_the_element() {
    let html = r#"<body><p>Text.</p>
<div class="YouTubeEmbed_wrapper__x1" data-video-id="cdefghijklm"></div>
<div class="youTube-Video-Image-Container" id="youTube-Video-Image-Container_Dz8abCdEfG1"></div>
</body>"#;
    assert_eq!(
        keys(&run(html)),
        vec![
            (Platform::Youtube, Some("cdefghijklm".into()), Location::Dom),
            (Platform::Youtube, Some("Dz8abCdEfG1".into()), Location::Dom),
        ]
    );
}

/// A placeholder drawn like the post (BuzzFeed's tweet cards, as its pages write them: the
/// author's profile links, the post's link on its time, reply and retweet links) embeds that
/// post; a quotation named for the platform, a placeholder of two posts, and a box whose
/// "placeholder" is a word of its own (a loading skeleton's class, an attribute) embed none.
#[test]
fn placeholders_drawn_like_the_post_embed_it() {
    let html = r#"<body>
<blockquote class="subbuzz-tweet__container js-tweet__placeholder"><div class="subbuzz-tweet__byline">
<a class="subbuzz-tweet__display-name" href="https://twitter.com/realDonaldTrump">Donald J. Trump</a>
<a class="subbuzz-tweet__username" href="https://twitter.com/realDonaldTrump">@realDonaldTrump</a></div>
<p class="subbuzz-tweet__text">For all of the money we are spending</p>
<time class="subbuzz-tweet__timestamp"><a class="subbuzz-tweet__created-at" href="https://twitter.com/realDonaldTrump/status/1137051097955102720">05:38 PM - 07 Jun 2019</a></time>
<a class="subbuzz-tweet__reply" href="https://twitter.com/intent/tweet?in_reply_to=1137051097955102720">Reply</a>
<a class="subbuzz-tweet__retweet" href="https://twitter.com/intent/retweet?tweet_id=1137051097955102720">Retweet</a>
</blockquote>
<blockquote class="tweet">She wrote it. <a href="https://twitter.com/a/status/900001">March 1</a></blockquote>
<div class="twitter-placeholder"><a href="https://twitter.com/a/status/900002">one</a> <a href="https://twitter.com/b/status/900003">two</a></div>
<div class="tweet-box placeholder-glow"><a href="https://twitter.com/a/status/900004">latest</a> <a href="https://twitter.com/a">Follow @a</a></div>
<div class="latest-tweet" data-placeholder="loading"><a href="https://twitter.com/a/status/900005">latest</a> <a href="https://twitter.com/a">Follow @a</a></div>
</body>"#;
    let d = discover(html, &base());
    let got = ids(&d);
    assert_eq!(got, [(Platform::X, Some("1137051097955102720"))]);
    assert_eq!(d.embeds[0].evidence, "blockquote a");
}

/// Hugo's shortcodes in privacy mode (`instagram_simple`, `youtube_simple`, as its templates
/// render them) draw the post or the video's poster and link to it: each is a stand-in for that
/// post. A box whose "simple" is a class name of its own, or names no platform beside it, or a
/// simple feed of two posts, embeds none.
#[test]
fn privacy_mode_cards_of_a_site_generator_embed_their_post() {
    let html = r#"<body>
<div class="__h_instagram s_instagram_simple card" style="max-width: 640px">
<div class="card-header"><a href="https://www.instagram.com/instagram" class="card-link">instagram</a></div>
<a href="https://instagram.com/p/BMokmydjG-M/" target="_blank"><img class="card-img-top img-fluid" src="https://scontent-amt2-1.cdninstagram.com/t51.2885-15/e35/1_n.jpg" alt="Instagram Image"></a>
<div class="card-body"><p class="card-text"><a href="https://www.instagram.com/instagram" class="card-link">instagram</a> Today, we are introducing a few new tools.</p>
<a href="https://www.instagram.com/instagram" class="card-link">View More on Instagram</a></div>
</div>
<div class="s_youtube_simple __h_youtube" id="s_youtube_simple_1">
<a href="//youtube.com/watch?v=w7Ft2ymGmfc" target="_blank"><img src="//i.ytimg.com/vi/w7Ft2ymGmfc/maxresdefault.jpg" alt="Video"><div class="play"><svg viewBox="0 0 68 48"><path d="M 45,24 27,14 27,34"></path></svg></div></a></div>
<div class="simple twitter"><a href="https://twitter.com/a/status/900001">latest</a></div>
<div class="simple-box"><a href="https://twitter.com/a/status/900002">latest</a></div>
<div class="simple-instagram-feed"><a href="https://www.instagram.com/p/AAAAAAAAAAA/">1</a> <a href="https://www.instagram.com/p/BBBBBBBBBBB/">2</a></div>
</body>"#;
    let d = discover(html, &base());
    let got = ids_and_evidence(&d);
    assert_eq!(
        got,
        [
            (Platform::Instagram, Some("BMokmydjG-M"), "div a"),
            (Platform::Youtube, Some("w7Ft2ymGmfc"), "div a"),
        ]
    );
}

/// Consent placeholders that keep only an id or an address (tarteaucitron.js's services, as
/// `tarteaucitron.services.js` reads them) embed that item; an app's JSON that links one show
/// on two directories (a podcast page's `data-episodes`) embeds neither, while a card named for
/// its platform keeps its post whatever else its JSON links (Substack's tweet card and the
/// tweet's link preview).
#[test]
fn consent_placeholders_keeping_an_id_and_app_state_naming_two_platforms() {
    let html = r#"<body>
<div class="dailymotion_player" videoID="x7tgad0" width="640" height="360" embedType="video"></div>
<div class="spotify_player" spotifyID="episode/512ojhOuo1ktJprKbVcKyQ" width="100%" height="232"></div>
<div class="dailymotion_player" videoID="xbox" width="640"></div>
<div class="soundcloud_player" data-playable-url="https://soundcloud.com/forss/flickermood" data-height="300px"></div>
<div class="soundcloud_player" data-playable-id="421745346" data-playable-type="tracks" data-height="300px"></div>
<div class="podcast-player" data-episodes="{&quot;apple_podcasts_url&quot;:&quot;https://podcasts.apple.com/us/podcast/the-indie-hackers-podcast/id1206165808&quot;,&quot;spotify&quot;:&quot;https://open.spotify.com/show/4ex8hmrHCPvPohKJb3wsuC&quot;}"></div>
<div class="spotify-card" data-attrs="{&quot;url&quot;:&quot;https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC&quot;,&quot;image&quot;:&quot;https://i.scdn.co/image/ab67616d0000b273&quot;}"></div>
<div class="tweet" data-attrs="{&quot;url&quot;:&quot;https://twitter.com/elonmusk/status/968608879914270721?s=20&quot;,&quot;username&quot;:&quot;elonmusk&quot;,&quot;expanded_url&quot;:{&quot;url&quot;:&quot;https://www.youtube.com/watch?v=dQw4w9WgXcQ&quot;,&quot;domain&quot;:&quot;youtube.com&quot;}}"><a href="https://twitter.com/elonmusk/status/968608879914270721?s=20">Elon Musk</a></div>
</body>"#;
    let d = discover(html, &base());
    let got = ids_and_evidence(&d);
    assert_eq!(
        got,
        [
            (Platform::Dailymotion, Some("x7tgad0"), "div[videoid]"),
            (
                Platform::Spotify,
                Some("512ojhOuo1ktJprKbVcKyQ"),
                "div[spotifyid]"
            ),
            // The other spelling splits the track's address over two attributes: not read.
            (
                Platform::Soundcloud,
                Some("forss/flickermood"),
                "div[data-playable-url]"
            ),
            (
                Platform::Spotify,
                Some("4uLU6hMCjMI75M1A2tKUQC"),
                "div[data-attrs]"
            ),
            // A tweet card's JSON links the tweet's own link preview (a video): the card is
            // named for X, so only X's posts must agree.
            (Platform::X, Some("968608879914270721"), "div[data-attrs]"),
        ]
    );
}

#[test]
fn duplicates_merge_and_prefer_dom() {
    let html = r#"<body>
<script>window.cfg = {"embed":"\u003cblockquote class=\"twitter-tweet\"\u003e\u003cp\u003eSaid\u003c\/p\u003e&mdash; Al (@al) \u003ca href=\"https:\/\/twitter.com\/al\/status\/77\"\u003eMay 1, 2020\u003c\/a\u003e\u003c\/blockquote\u003e"};</script>
<amp-instagram data-shortcode="DUP" data-captioned></amp-instagram>
<noscript><blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/DUP/"><p><a href="x">A post shared by Cy (@cy)</a></p></blockquote></noscript>
<amp-twitter data-tweetid="77"></amp-twitter>
<iframe data-tweet-id="77" src="https://platform.twitter.com/embed/Tweet.html?id=77"></iframe>
</body>"#;
    let d = run(html);
    assert_eq!(
        keys(&d),
        vec![
            (Platform::X, Some("77".into()), Location::Dom),
            (Platform::Instagram, Some("DUP".into()), Location::Dom),
        ]
    );
    // The hidden copy's reading survives the merge into the Dom occurrence.
    assert_eq!(d.embeds[0].author_handle.as_deref(), Some("al"));
    assert_eq!(d.embeds[1].author_handle.as_deref(), Some("cy"));
}

#[test]
fn hidden_locations_are_reported() {
    let html = r#"<body>
<textarea class="consent-placeholder" hidden><blockquote class="twitter-tweet"><a href="https://twitter.com/a/status/10">d</a></blockquote></textarea>
<div class="embed" data-consent-src="&lt;iframe src=&quot;https://www.youtube.com/embed/zzzzzzzzzzz&quot;&gt;&lt;/iframe&gt;"></div>
<script type="application/json">{"html":"<blockquote class=\"instagram-media\" data-instgrm-permalink=\"https:\/\/www.instagram.com\/p\/SCR\/\"><\/blockquote>"}</script>
</body>"#;
    let d = run(html);
    assert_eq!(
        keys(&d),
        vec![
            (Platform::X, Some("10".into()), Location::Textarea),
            (
                Platform::Youtube,
                Some("zzzzzzzzzzz".into()),
                Location::Attribute
            ),
            (
                Platform::Instagram,
                Some("SCR".into()),
                Location::ScriptString
            ),
        ]
    );
}

/// Facebook's XFBML embed code (`<fb:post href=…>`, `<fb:video href=…>`, 2013–2015) is read as
/// its `div.fb-post`/`div.fb-video` successor is, wherever the scan finds markup: in the page in
/// any case, with `href` or `data-href`, in a script string, in an escaped attribute. The other
/// XFBML plugins (comments, like, page) are no embeds, as their divs are not.
#[test]
fn xfbml_embed_codes_are_read_as_their_divs_are() {
    let post = "https://www.facebook.com/TheAshwanikBlog/posts/182463588593799";
    let video = "https://www.facebook.com/justiciatv/videos/1661762744185332/";
    let html = format!(
        r#"<body><p>Before.</p>
<fb:post href="{post}" data-width="500"></fb:post>
<FB:VIDEO DATA-HREF="{video}"></FB:VIDEO>
<fb:comments href="https://news.example/article" num_posts="10"></fb:comments>
<fb:like href="{post}" send="false" layout="button_count"></fb:like>
<fb:page href="https://www.facebook.com/TheAshwanikBlog" data-tabs="timeline"></fb:page>
<script>jQuery(".modal").html('<fb:post href="https://www.facebook.com/a.page/posts/1234567890"><\/fb:post>'); FB.XFBML.parse();</script>
<div class="embed" data-consent="&lt;fb:post href=&quot;https://www.facebook.com/b.page/posts/9876543210&quot;&gt;&lt;/fb:post&gt;"></div>
</body>"#
    );
    let d = discover(&html, &base());
    let got: Vec<_> = d
        .embeds
        .iter()
        .map(|e| {
            (
                e.kind,
                e.post_id.as_deref(),
                e.evidence.as_str(),
                e.location,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                EmbedKind::Post,
                Some("182463588593799"),
                "fb:post",
                Location::Dom
            ),
            (
                EmbedKind::Video,
                Some("1661762744185332"),
                "fb:video",
                Location::Dom
            ),
            (
                EmbedKind::Post,
                Some("1234567890"),
                "fb:post",
                Location::ScriptString
            ),
            (
                EmbedKind::Post,
                Some("9876543210"),
                "fb:post",
                Location::Attribute
            ),
        ]
    );
    assert!(d.embeds.iter().all(|e| e.platform == Platform::Facebook));
    // Nothing of the embeds is left in the text as a remnant.
    assert!(d.remnants.is_empty(), "{:?}", d.remnants);
}

/// XFBML elements that never close, or nest without end, cost what any element does.
#[test]
fn unclosed_and_nested_xfbml_elements_stay_linear() {
    let unclosed = "<fb:post href=\"https://www.facebook.com/a/posts/12345\">".repeat(300_000);
    let started = Instant::now();
    let d = discover(&unclosed, &base());
    assert!(started.elapsed() < HANG, "took {:?}", started.elapsed());
    let ids: Vec<_> = d.embeds.iter().map(|e| e.post_id.as_deref()).collect();
    assert_eq!(ids, [Some("12345")]);
    run_bounded(&format!(
        "{}{}",
        "<fb:video><fb:post>".repeat(100_000),
        "</fb:post></fb:video>".repeat(100_000)
    ));
    run_bounded(&"&lt;fb:post <fb:pos <fb:".repeat(300_000));
}

#[test]
fn markup_is_capped() {
    let filler = "x".repeat(100 * 1024);
    let html = format!(
        r#"<blockquote class="twitter-tweet"><p>{filler}</p><a href="https://twitter.com/a/status/5">May 1, 2020</a></blockquote>"#
    );
    let d = run(&html);
    assert_eq!(d.embeds.len(), 1);
    assert!(d.embeds[0].markup.len() <= scan::MAX_MARKUP);
    assert!(d.embeds[0].markup.starts_with("<blockquote"));
}

/// Run discovery on a hostile page and require it to end. This is not a speed measurement
/// (benches/discover.rs measures speed): the bound only turns a non-linear blowup, which on
/// these 10 MB pages runs for hours, into a failure instead of a hung test run, so it is set
/// far above any honest time of a debug build on a loaded machine.
const HANG: Duration = Duration::from_secs(300);

fn run_bounded(html: &str) -> Discovery {
    let limit = HANG;
    let started = Instant::now();
    let d = run(html);
    assert!(
        started.elapsed() < limit,
        "took {:?} for {} bytes",
        started.elapsed(),
        html.len()
    );
    d
}

#[test]
fn ten_megabyte_attribute() {
    let junk = "A".repeat(10 * 1024 * 1024);
    let html = format!(
        r#"<p>x</p><iframe data-junk="{junk}" src="https://www.youtube.com/embed/abcdefghijk"></iframe><div class="fb-post {junk}"></div><p>https://twitter.com/a/status/{junk}</p>"#
    );
    let d = run_bounded(&html);
    assert_eq!(
        keys(&d)[0],
        (Platform::Youtube, Some("abcdefghijk".into()), Location::Dom)
    );
}

/// html5ever compares each attribute of a tag with every earlier one: one tag of 200,000
/// attributes would cost it tens of billions of comparisons. Such markup is not parsed; the
/// embeds around it still are.
#[test]
fn tags_of_too_many_attributes_are_not_parsed() {
    let attrs: Vec<String> = (0..200_000).map(|i| format!("a{i}=1")).collect();
    let attrs = attrs.join(" ");
    let html = format!(
        r#"<div class="youtube-embed" {attrs} data-src="https://www.youtube.com/embed/aaaaaaaaaaa"></div>
<iframe title="a&quot;b" {attrs} src="https://www.youtube.com/embed/bbbbbbbbbbb"></iframe>
<blockquote class="twitter-tweet"><p {attrs}>t</p><a href="https://twitter.com/a/status/5">May 1, 2020</a></blockquote>
<iframe src="https://www.youtube.com/embed/abcdefghijk"></iframe>"#
    );
    let d = run_bounded(&html);
    assert_eq!(
        keys(&d),
        [(Platform::Youtube, Some("abcdefghijk".into()), Location::Dom)]
    );
}

#[test]
fn unterminated_ten_megabyte_attribute_full_of_markers() {
    let junk = "<iframe fb-post twitter-timeline &lt;blockquote ".repeat(200_000);
    let html = format!(r#"<div data-x="{junk}"#);
    run_bounded(&html);
}

#[test]
fn dense_markers_in_text_and_attributes() {
    // Markers with no `<` before them, escaped markup in text, and markers inside one long tag:
    // every backward search must stop where the previous one did.
    let text = "fb-post twitter-timeline data-pin-do &lt;blockquote &lt;iframe ".repeat(150_000);
    run_bounded(&format!("<p>{text}</p>"));
    run_bounded(&format!("<div title=\"{text}\">x</div>"));
    run_bounded(&"<p>http://".repeat(500_000));
    run_bounded(&"<script>".repeat(500_000));
}

#[test]
fn deep_nesting() {
    let depth = 100_000;
    let mut html = String::with_capacity(depth * 40);
    for _ in 0..depth {
        html.push_str(r#"<div class="fb-post wrap">"#);
    }
    html.push_str(r#"<blockquote class="twitter-tweet"><a href="https://twitter.com/a/status/8">d</a></blockquote>"#);
    for _ in 0..depth {
        html.push_str("</div>");
    }
    run_bounded(&html);

    let mut html = String::new();
    for _ in 0..depth {
        html.push_str("<blockquote class=\"twitter-tweet\"><b><i>");
    }
    run_bounded(&html);
}

#[test]
fn nul_bytes_and_invalid_markup() {
    let html = "\0<blockquote class=\"twitter-tweet\"\0><a href=\"https://twitter.com/a/status/9\0\">\0</a><<<>>></blockquote\0><iframe src=\"\0\"><p>https://\0</p><textarea><script></textarea>&lt;blockquote";
    let d = run(html);
    assert!(d.embeds.len() <= 1);
    for html in [
        "<",
        "<!--",
        "<script",
        "<textarea>",
        "&lt;iframe",
        "<p",
        "<iframe src=",
        "<a class=\"twitter-timeline",
    ] {
        run(html);
    }
}

#[test]
fn remnant_text_leaves_out_embeds_scripts_and_styles() {
    let html = r#"<p>Before</p><blockquote class="twitter-tweet"><p>EMBEDDED</p><a href="https://twitter.com/a/status/1">d</a></blockquote><script>SCRIPT</script><style>STYLE</style><blockquote class="instagram-media"><p>A post shared by Lost (@lost)</p></blockquote><p>After</p>"#;
    let scan = scan::scan(html, &base(), &test_recognise);
    let mut skip = scan.invisible;
    for f in &scan.found {
        if to_embed(f.clone(), &test_recognise).is_ok() {
            skip.extend(f.span.clone());
        }
    }
    let text = text::visible_text(html, skip);
    assert!(text.contains("Before") && text.contains("After"));
    // The unrecognised (broken) Instagram blockquote stays: it is what remnants are made of.
    assert!(text.contains("A post shared by Lost (@lost)"));
    for gone in ["EMBEDDED", "SCRIPT", "STYLE"] {
        assert!(!text.contains(gone), "{gone} in {text:?}");
    }
}

/// `n` Instagram blockquote stubs, each naming a different post, then a paragraph.
fn instagram_stubs(n: usize, after: &str) -> String {
    let mut html = String::from("<html><body>\n");
    for i in 0..n {
        html.push_str(&format!(
            "<blockquote class=\"instagram-media\"><a href=\"https://www.instagram.com/p/S{i}/\"></a></blockquote>\n"
        ));
    }
    html.push_str(after);
    html
}

#[test]
fn a_page_of_a_million_markers_keeps_at_most_max_candidates() {
    // Not a million (this is a unit test), but the same shape: more stubs than the cap, then
    // the text of a broken embed that must not be read as a remnant of the page.
    let after = "<p>A post shared by Lost (@lost) on May 1, 2019</p>";
    let d = run(&instagram_stubs(MAX_CANDIDATES + 500, after));
    assert!(d.truncated);
    assert_eq!(d.embeds.len(), MAX_CANDIDATES);
    assert_eq!(d.embeds[0].post_id.as_deref(), Some("S0"));
    let last = format!("S{}", MAX_CANDIDATES - 1);
    assert_eq!(
        d.embeds[MAX_CANDIDATES - 1].post_id.as_deref(),
        Some(&*last)
    );
    assert!(d.remnants.is_empty(), "{:?}", d.remnants);

    // At the cap exactly nothing is left out.
    let d = run(&instagram_stubs(MAX_CANDIDATES, after));
    assert!(!d.truncated);
    assert_eq!(d.embeds.len(), MAX_CANDIDATES);
    assert_eq!(d.remnants.len(), 1);
}

#[test]
fn the_cap_counts_forms_found_in_hidden_markup() {
    // Each script holds two escaped copies; the cap is reached inside a script, and the page
    // after that script is not read.
    let mut html = String::new();
    for i in 0..MAX_CANDIDATES {
        html.push_str(&format!(
            r#"<script>var e = "\u003cblockquote class=\"instagram-media\"\u003e\u003ca href=\"https://www.instagram.com/p/H{i}/\"\u003e\u003c/a\u003e\u003c/blockquote\u003e\u003cblockquote class=\"instagram-media\"\u003e\u003ca href=\"https://www.instagram.com/p/J{i}/\"\u003e\u003c/a\u003e\u003c/blockquote\u003e";</script>"#
        ));
    }
    html.push_str(r#"<iframe src="https://www.youtube.com/embed/abcdefghijk"></iframe>"#);
    let d = run(&html);
    assert!(d.truncated);
    assert_eq!(d.embeds.len(), MAX_CANDIDATES);
    assert!(
        d.embeds
            .iter()
            .all(|e| e.location == Location::ScriptString)
    );
}

#[test]
fn nested_forms_keep_at_most_max_markup_total() {
    // 250 Instagram blockquotes nested in one another around 64 KiB of text: every level's
    // markup is a copy of nearly all of it. Without a page-wide budget, a 200 KB page kept
    // 3 × 250 × 64 KiB = 48 MiB of markup.
    let filler = "x".repeat(64 * 1024);
    let mut html = String::new();
    for region in 0..3 {
        for level in 0..250 {
            html.push_str(&format!(
                r#"<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/N{region}x{level}/">"#
            ));
        }
        html.push_str(&filler);
        html.push_str(&"</blockquote>".repeat(250));
    }
    let d = run(&html);
    assert!(!d.truncated);
    assert_eq!(d.embeds.len(), 750);
    let kept: usize = d.embeds.iter().map(|e| e.markup.len()).sum();
    assert!(kept <= scan::MAX_MARKUP_TOTAL, "{kept} bytes of markup");
    assert!(d.embeds[0].markup.starts_with("<blockquote"));
    assert!(d.embeds.iter().all(|e| e.markup.len() <= scan::MAX_MARKUP));
}

#[test]
fn a_page_of_remnant_phrases_keeps_at_most_max_remnants() {
    // Each header alone is a remnant; pairing them with footers used to cost time per pair.
    let line = "<p>View this post on Instagram</p>\n";
    let d = run_bounded(&line.repeat(MAX_REMNANTS * 20));
    assert!(d.truncated);
    assert_eq!(d.remnants.len(), MAX_REMNANTS);
    let d = run(&line.repeat(MAX_REMNANTS));
    assert!(!d.truncated);
    assert_eq!(d.remnants.len(), MAX_REMNANTS);
    // Footers, dash attributions and TikTok lines are capped alike.
    for line in [
        "<p>A post shared by Ana (@ana) on May 1, 2019</p>\n",
        "<p>&mdash; Bob (@bob) May 1, 2020</p>\n",
        "<p>@someone a caption ♬ original sound.</p>\n",
    ] {
        let d = run_bounded(&line.repeat(MAX_REMNANTS + 10));
        assert!(d.truncated, "{line}");
        assert_eq!(d.remnants.len(), MAX_REMNANTS, "{line}");
    }
}

/// A Next.js page's data holds the article's own embeds and the related videos the page links
/// to (an Arc XP site, 2022, seen on an unseen page): only the article's are its embeds.
#[test]
fn the_related_stories_in_a_next_js_pages_data_are_not_its_embeds() {
    let html = r#"<html><body><p>Text.</p><script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{"dataInterna":{"article":{"data":{"content_elements":[{"type":"raw_html","content":"<blockquote class=\"twitter-tweet\"><a href=\"https://twitter.com/a/status/111\">x</a></blockquote>"}]}}},"videoRelated":{"spotlight":{"data":{"section_video_item":[{"embed":"<iframe src=\"https://www.youtube.com/embed/abcdefghijk\"></iframe>"}]}}}}}}</script></body></html>"#;
    assert_eq!(
        keys(&run(html)),
        [(Platform::X, Some("111".into()), Location::ScriptString)]
    );
}

/// An app's state keeping the article's body as an element tree (scmp.com, 2020: Apollo's
/// `window.__APOLLO_STATE__`, trimmed from the page in adbar/trafilatura's test pages): the
/// players in it are the article's, written back as markup; those in the trees of the other
/// articles it lists (`moreOnThisArticles`) are not.
#[test]
fn embeds_kept_as_an_element_tree_in_an_apps_state_are_found() {
    let tree = |id: &str| {
        format!(
            r#"{{"type":"div","attribs":{{"class":"video-wrapper"}},"children":[{{"subtype":"youtube","type":"iframe","attribs":{{"data-youtube-id":"{id}","src":"//www.youtube.com/embed/{id}?wmode=transparent&jqoemcache=UdCOW&enablejsapi=1&amp;playsinline=1"}},"children":[]}}]}}"#
        )
    };
    let html = format!(
        r#"<html><body><div id="app"></div><script>window.__APOLLO_STATE__={{"contentService":{{"$ROOT_QUERY.content({{\"contentType\":\"Article\"}}).body({{\"customContents\":[\"video\"]}})":{{"json":[{{"type":"p","attribs":{{}},"children":[{{"type":"text","data":"Text."}}]}},{}]}},"$ROOT_QUERY.content({{\"contentType\":\"Article\"}}).moreOnThisArticles.0":{{"body":{{"json":[{}]}}}}}}}};</script></body></html>"#,
        tree("hYJsXAzCiSo"),
        tree("BLtagamRFZc"),
    );
    assert_eq!(
        keys(&run(&html)),
        [(
            Platform::Youtube,
            Some("hYJsXAzCiSo".into()),
            Location::ScriptString
        )]
    );
}

/// An embed code in an iframe's `srcdoc` (The Guardian's unsafe embeds) is the post it frames,
/// and its fallback text, after the raw `>` the attribute value holds, is no remnant of it.
#[test]
fn an_embed_code_in_srcdoc_is_no_remnant_of_itself() {
    let html = r#"<body><p>Before.</p><figure><iframe class="js-embed__iframe" title="Video: social distancing" srcdoc="&lt;blockquote class=&quot;nojs-tweet&quot;>&lt;p lang=&quot;en&quot; dir=&quot;ltr&quot;>Confused about the difference between self-isolation and social distancing? &lt;a href=&quot;https://t.co/wC6ezmAqRC&quot;>pic.twitter.com/wC6ezmAqRC&lt;/a>&lt;/p>&amp;mdash; ITV Wales News (@ITVWales) &lt;a href=&quot;https://twitter.com/ITVWales/status/1241068501076410376?ref_src=twsrc%5Etfw&quot;>March 20, 2020&lt;/a>&lt;/blockquote> &lt;script async src=&quot;https://platform.twitter.com/widgets.js&quot; charset=&quot;utf-8&quot;>&lt;/script>"></iframe></figure><p>After.</p></body>"#;
    let d = discover(html, &base());
    let got = ids(&d);
    assert_eq!(got, [(Platform::X, Some("1241068501076410376"))]);
    assert_eq!(d.remnants, []);
}

/// Reddit's comment embed code of 2016–2020, as a WordPress embed block kept it (2019): the
/// comment's link, then its discussion's, in `div.reddit-embed`: the comment is the post.
#[test]
fn reddits_comment_embed_div_is_the_comment() {
    let html = r#"<body><figure class="wp-block-embed-reddit wp-block-embed is-type-rich is-provider-reddit"><div class="wp-block-embed__wrapper">
<div class="reddit-embed" data-embed-media="www.redditmedia.com" data-embed-parent="false" data-embed-live="false" data-embed-uuid="16b7b7a4-bd32-11e9-90b9-0e5bd4bf4a44" data-embed-created="2019-08-12T18:50:43.847033+00:00"><a href="https://www.reddit.com/r/aww/comments/4lwccv/someone_came_to_visit_woodchips_for_scale/d3qol9a/">Comment</a> from discussion <a href="https://www.reddit.com/r/aww/comments/4lwccv/someone_came_to_visit_woodchips_for_scale/">hobnobbinbobthegob&#8217;s comment from discussion &quot;Someone came to visit. (Woodchips for scale.)&quot;</a>.</div><script async src="https://www.redditstatic.com/comment-embed.js"></script>
</div></figure></body>"#;
    let d = discover(html, &base());
    let got = ids_and_evidence(&d);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, Platform::Reddit);
    assert_eq!(got[0].2, "div.reddit-embed");
    assert!(got[0].1.is_some_and(|id| id.contains("d3qol9a")), "{got:?}");
}

/// Threads' blockquote whose class a sanitiser stripped keeps its permalink attribute: that
/// marks it, as Instagram's `data-instgrm-permalink` does.
#[test]
fn a_threads_quote_without_its_class_is_known_by_its_permalink() {
    let html = r#"<body><blockquote data-text-post-permalink="https://www.threads.com/@davidthefreeze/post/DdpA1g-D-Yu" data-text-post-version="0" id="ig-tp-DdpA1g-D-Yu"> <a href="https://www.threads.com/@davidthefreeze/post/DdpA1g-D-Yu" target="_blank"> <div><div> View on Threads</div></div></a></blockquote></body>"#;
    let d = discover(html, &base());
    let got = ids(&d);
    assert_eq!(got, [(Platform::Threads, Some("DdpA1g-D-Yu"))]);
}

/// A CMS block named for embedding names its item by the item's page around the platform's
/// player, which names it by number: one player, one post (the player's). Where both give one id
/// they merge as any duplicates do.
#[test]
fn a_wrapper_naming_its_players_item_by_page_is_the_player() {
    let soundcloud = r#"<div class="oembed" data-href="https://soundcloud.com/japanesebreakfast/savage-good-boy"><iframe src="https://w.soundcloud.com/player/?url=https%3A%2F%2Fapi.soundcloud.com%2Ftracks%2F994103107"></iframe></div>"#;
    assert_eq!(
        ids_and_evidence(&discover(soundcloud, &base())),
        [(Platform::Soundcloud, Some("994103107"), "iframe")]
    );
    let bandcamp = r#"<div class="template oembed" data-href="https://michellezauner.bandcamp.com/track/paprika"><iframe style="border: 0; width: 350px; height: 470px;" src="https://bandcamp.com/EmbeddedPlayer/track=512671900/size=large/bgcol=ffffff/linkcol=0687f5/tracklist=false/transparent=true/" seamless></iframe></div>"#;
    assert_eq!(
        ids(&discover(bandcamp, &base())),
        [(Platform::Bandcamp, Some("track/512671900"))]
    );
    // Two players in one block: the block names neither alone.
    let two = format!(
        r#"<div class="oembed" data-href="https://soundcloud.com/japanesebreakfast/savage-good-boy">{}{}</div>"#,
        r#"<iframe src="https://w.soundcloud.com/player/?url=https%3A%2F%2Fapi.soundcloud.com%2Ftracks%2F994103107"></iframe>"#,
        r#"<iframe src="https://w.soundcloud.com/player/?url=https%3A%2F%2Fapi.soundcloud.com%2Ftracks%2F1"></iframe>"#,
    );
    assert_eq!(
        discover(&two, &base()).embeds.len(),
        3,
        "{:?}",
        ids(&discover(&two, &base()))
    );
}

/// A Substack tweet card keeps the address its author pasted, a Markdown link's `)` included.
#[test]
fn a_status_address_with_a_pasted_parenthesis_names_its_post() {
    let card = r#"<div class="tweet" data-attrs="{&quot;url&quot;:&quot;https://twitter.com/OKDunc/status/1314065374480986114)&quot;}"></div>"#;
    assert_eq!(
        ids(&discover(card, &base())),
        [(Platform::X, Some("1314065374480986114"))]
    );
}

/// A decayed TikTok embed (its video's address gone with the sanitiser) ends with its
/// blockquote: the article's next heading and paragraph are not the post's text.
#[test]
fn a_remnant_ends_with_the_block_that_holds_it() {
    let html = r#"<blockquote> <a href="https://www.tiktok.com/@carrottoplive?refer=embed">@carrottoplive</a> <p>I’ve been roasting for decades</p> <a href="https://www.tiktok.com/music/original-sound-7222019006642408235?refer=embed">♬ original sound - Carrot Top</a> </blockquote><h2>Next section</h2><p>More text.</p>"#;
    let d = discover(html, &base());
    assert!(d.embeds.is_empty(), "{:?}", ids(&d));
    let texts: Vec<(Platform, Option<&str>, &str)> = d
        .remnants
        .iter()
        .map(|r| (r.platform, r.author_handle.as_deref(), r.text.as_str()))
        .collect();
    assert_eq!(
        texts,
        [(
            Platform::Tiktok,
            Some("carrottoplive"),
            "@carrottoplive I’ve been roasting for decades ♬ original sound - Carrot Top"
        )]
    );
}
