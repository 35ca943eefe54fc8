//! The embed and player URL forms that discovery meets in iframes and blockquotes, run through
//! the whole registry (`platforms::recognise`), so that the order of recognisers can never hand
//! one platform's URL to another (Mastodon and the generic oEmbed providers match shapes on many
//! hosts and come last).

use embedkeep::model::{EmbedKind, Platform};
use embedkeep::platforms::recognise;
use url::Url;

#[test]
fn embed_forms_reach_their_own_platform() {
    let cases: &[(&str, Platform, Option<&str>)] = &[
        (
            "https://www.instagram.com/p/CZbSJqLhYy0/embed/captioned/?cr=1&v=14",
            Platform::Instagram,
            Some("CZbSJqLhYy0"),
        ),
        (
            "https://platform.twitter.com/embed/Tweet.html?id=769239021021036544",
            Platform::X,
            Some("769239021021036544"),
        ),
        (
            "https://www.tiktok.com/embed/v2/6806030056956251397",
            Platform::Tiktok,
            Some("6806030056956251397"),
        ),
        (
            "https://www.youtube-nocookie.com/embed/eiHXASgRTcA",
            Platform::Youtube,
            Some("eiHXASgRTcA"),
        ),
        (
            "https://www.youtube.com/embed/videoseries?list=PLDEBB741B42EDED3D",
            Platform::Youtube,
            Some("PLDEBB741B42EDED3D"),
        ),
        (
            "https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2Frubyonrailstogo%2Fposts%2F3610333842332884",
            Platform::Facebook,
            Some("3610333842332884"),
        ),
        (
            "https://www.threads.net/@zuck/post/C8kQx2LtA1b/embed",
            Platform::Threads,
            Some("C8kQx2LtA1b"),
        ),
        (
            "https://embed.bsky.app/embed/did:plc:uy7ehrx332p6dow5sk32hxzq/app.bsky.feed.post/3k7rmyigapw2y",
            Platform::Bluesky,
            Some("did:plc:uy7ehrx332p6dow5sk32hxzq/3k7rmyigapw2y"),
        ),
        (
            "https://mastodon.social/@trwnh/99664077509711321/embed",
            Platform::Mastodon,
            Some("mastodon.social/99664077509711321"),
        ),
        (
            "https://embed.reddit.com/r/investing/comments/7pfpeq/slug/?embed=true",
            Platform::Reddit,
            Some("7pfpeq"),
        ),
        (
            "https://www.redditmedia.com/r/investing/comments/7pfpeq/slug/?embed=true",
            Platform::Reddit,
            Some("7pfpeq"),
        ),
        (
            "https://player.vimeo.com/video/235352744?h=1a2b3c4d5e",
            Platform::Vimeo,
            Some("235352744"),
        ),
        (
            "http://vimeo.com/moogaloop.swf?clip_id=76979871&server=vimeo.com&show_title=1",
            Platform::Vimeo,
            Some("76979871"),
        ),
        (
            "https://open.spotify.com/embed/album/7s66wU1XJ2NsUuWM2NKiUV?utm_source=generator",
            Platform::Spotify,
            Some("7s66wU1XJ2NsUuWM2NKiUV"),
        ),
        (
            "https://w.soundcloud.com/player/?url=https%3A//api.soundcloud.com/tracks/180961263&color=%23ff5500",
            Platform::Soundcloud,
            Some("180961263"),
        ),
        (
            "https://assets.pinterest.com/ext/embed.html?id=106890191127977979",
            Platform::Pinterest,
            Some("106890191127977979"),
        ),
        (
            "https://embed.tumblr.com/embed/post/t:AbCdEf123/165326273724/v2",
            Platform::Tumblr,
            Some("165326273724"),
        ),
        (
            "https://imgur.com/a/AbC12",
            Platform::Imgur,
            Some("a/AbC12"),
        ),
        (
            "https://giphy.com/embed/3o7TKBX7vWbc7Dhxcc",
            Platform::Giphy,
            Some("3o7TKBX7vWbc7Dhxcc"),
        ),
        (
            "https://player.twitch.tv/?video=v106400740&parent=example.com",
            Platform::Twitch,
            Some("106400740"),
        ),
        (
            "https://clips.twitch.tv/embed?clip=AwkwardHelplessSalamanderSwiftRage&parent=example.com",
            Platform::Twitch,
            Some("clip/AwkwardHelplessSalamanderSwiftRage"),
        ),
        (
            "https://www.linkedin.com/embed/feed/update/urn:li:share:7123456789012345678",
            Platform::Linkedin,
            Some("urn:li:share:7123456789012345678"),
        ),
        (
            "https://www.dailymotion.com/embed/video/x2oikl3",
            Platform::Dailymotion,
            Some("x2oikl3"),
        ),
        (
            "https://vine.co/v/OHQBTeUJ9jT/embed/simple",
            Platform::Oembed,
            Some("vine/OHQBTeUJ9jT"),
        ),
        (
            "https://bandcamp.com/EmbeddedPlayer/album=669163771/size=large/",
            Platform::Bandcamp,
            Some("album/669163771"),
        ),
    ];
    for (input, platform, id) in cases {
        let url = Url::parse(input).unwrap();
        let got = recognise(&url).unwrap_or_else(|| panic!("not recognised: {input}"));
        assert_eq!(got.platform, *platform, "{input}");
        assert_eq!(got.post_id.as_deref(), *id, "{input}");
        assert!(got.kind.is_post(), "{input}");
    }
}

#[test]
fn widgets_are_profiles_and_machinery_is_unclaimed() {
    let profiles = [
        "https://twitter.com/CBSNews",
        "https://www.instagram.com/handball.ch/",
        "https://www.pinterest.com/brigittemagazin",
        "https://www.youtube.com/@NASA",
        "https://www.youtube.com/channel/UCuZeHD5SGecQomz2pVDHGzg",
    ];
    for input in profiles {
        let got = recognise(&Url::parse(input).unwrap())
            .unwrap_or_else(|| panic!("not recognised: {input}"));
        assert_eq!(got.kind, EmbedKind::Profile, "{input}");
        assert_eq!(got.post_id, None, "{input}");
    }
    for input in [
        "https://twitter.com/intent/tweet?text=x",
        "https://twitter.com/share",
        "https://twitter.com/hashtag/news",
        "https://t.co/4DK3Jc2BTt",
        "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fexample.com",
        // The page plugin is site furniture beside the article, as the like button is.
        "https://www.facebook.com/plugins/page.php?href=https%3A%2F%2Fwww.facebook.com%2FNationBarbados%2F",
        "https://www.instagram.com/explore/tags/x/",
        "https://www.pinterest.com/pin/create/button/?url=x",
        "https://www.instagram.com/accounts/login/",
        "https://www.youtube.com/results?search_query=x",
        "https://www.linkedin.com/shareArticle?mini=true&url=x",
        "https://www.bbc.co.uk/news/uk-54222286",
        "https://example.com/@someone/hello-world",
    ] {
        assert_eq!(recognise(&Url::parse(input).unwrap()), None, "{input}");
    }
}

/// Twitter's embed code of 2011 and 2012 linked the tweet after a hashbang
/// (`twitter.com/#!/USER/status/ID`): the quote still names its tweet.
#[test]
fn a_2011_tweet_quote_is_discovered() {
    let html = r#"<p>Before.</p><blockquote class="twitter-tweet"><p>just setting up my twttr</p>&mdash; jack (@jack) <a href="https://twitter.com/#!/jack/status/20" data-datetime="2006-03-21T20:50:14+00:00">March 21, 2006</a></blockquote><p>After.</p>"#;
    let base = Url::parse("https://news.example/a").expect("base");
    let found = embedkeep::discover::discover(html, &base);
    let ids: Vec<_> = found
        .embeds
        .iter()
        .map(|e| (e.platform, e.post_id.as_deref()))
        .collect();
    assert_eq!(ids, [(Platform::X, Some("20"))]);
    assert_eq!(found.embeds[0].author_handle.as_deref(), Some("jack"));
}

/// Dailymotion's recommended embed code is a script that loads the player where it stands, the
/// video named by `data-video` (developers.dailymotion.com/docs/player-embed-script-web). The
/// tag below is as a public blog post carries it. `data-video` on a script from anywhere else
/// names nothing.
#[test]
fn a_dailymotion_player_script_is_discovered() {
    let html = r#"<p>Before.</p>
<script src="https://geo.dailymotion.com/player/xc41k.js" data-video="x8in4qr"></script>
<p>After.</p>
<script src="https://cdn.example/player.js" data-video="x8abc12"></script>
<script src="https://geo.dailymotion.com/libs/player.js" data-video="x8abc13"></script>"#;
    let base = Url::parse("https://news.example/a").expect("base");
    let found = embedkeep::discover::discover(html, &base);
    let ids: Vec<_> = found
        .embeds
        .iter()
        .map(|e| (e.platform, e.post_id.as_deref(), e.post_url.as_str()))
        .collect();
    assert_eq!(
        ids,
        [(
            Platform::Dailymotion,
            Some("x8in4qr"),
            "https://www.dailymotion.com/video/x8in4qr"
        )]
    );
    assert_eq!(found.embeds[0].evidence, "script[data-video]");
}

/// Page builders keep a player's platform in its settings, not its class: Elementor's video
/// widget names the video in `data-settings` JSON, keyed `youtube_url` (the widget below is as
/// a public WordPress page built with Elementor 3.11.2 carries it, its `<style>` left out).
#[test]
fn a_page_builder_video_widget_is_discovered_by_its_settings() {
    let html = r#"<div class="elementor-widget-wrap elementor-element-populated">
<div class="elementor-element elementor-element-91adb72 elementor-widget elementor-widget-video" data-id="91adb72" data-element_type="widget" data-settings="{&quot;youtube_url&quot;:&quot;https:\/\/youtu.be\/VHLtoAG3VSQ?si=EMkVbSz5Ka0TIs6H&quot;,&quot;video_type&quot;:&quot;youtube&quot;,&quot;controls&quot;:&quot;yes&quot;}" data-widget_type="video.default">
<div class="elementor-widget-container"><div class="elementor-wrapper elementor-open-inline"><div class="elementor-video"></div></div></div></div></div>
<div class="share-bar" data-config="{&quot;twitter_url&quot;:&quot;https://twitter.com/intent/tweet?url=x&quot;}"></div>"#;
    let base = Url::parse("https://news.example/a").expect("base");
    let found = embedkeep::discover::discover(html, &base);
    let ids: Vec<_> = found
        .embeds
        .iter()
        .map(|e| (e.platform, e.post_id.as_deref(), e.evidence.as_str()))
        .collect();
    assert_eq!(
        ids,
        [(Platform::Youtube, Some("VHLtoAG3VSQ"), "div[data-settings]")]
    );
}

/// An embed service's card (`embedly-card`, as Embedly's embed code writes it, as a blockquote
/// or an anchor) embeds the post it links to; a link or a quotation named for a platform in the
/// article's text embeds nothing.
#[test]
fn cards_named_for_embedding_are_discovered_and_links_are_not() {
    let html = r#"<blockquote class="embedly-card"><h4><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">Rick Astley - Never Gonna Give You Up</a></h4><p>The official video</p></blockquote>
<script async src="//cdn.embedly.com/widgets/platform.js" charset="UTF-8"></script>
<p><a class="embedly-card" href="https://twitter.com/jack/status/20">jack on Twitter</a></p>
<p>As <a class="tweet-link" href="https://twitter.com/jack/status/21">jack said</a>:</p>
<blockquote class="twitter-pullquote">Quoted <a href="https://twitter.com/jack/status/22">here</a></blockquote>"#;
    let base = Url::parse("https://news.example/a").expect("base");
    let found = embedkeep::discover::discover(html, &base);
    let ids: Vec<_> = found
        .embeds
        .iter()
        .map(|e| (e.platform, e.post_id.as_deref()))
        .collect();
    assert_eq!(
        ids,
        [
            (Platform::Youtube, Some("dQw4w9WgXcQ")),
            (Platform::X, Some("20"))
        ]
    );
}

/// Substack names a video in its widget's JSON settings (`data-attrs='{"videoId":…}'`); its
/// feeds carry the widget without the player. Both forms below are as public Substack posts and
/// their feed copies carry them.
#[test]
fn a_video_id_in_a_widgets_settings_is_discovered() {
    let html = r#"<p>Watch:</p>
<div class="youtube-wrap" data-attrs='{"videoId":"IvRmwiYdA_A","startTime":null,"endTime":null}' data-component-name="Youtube2ToDOM"><div class="youtube-inner"></div></div>
<div id="youtube2-bc6uFV9CJGg" class="youtube-wrap" data-attrs="{&quot;videoId&quot;:&quot;bc6uFV9CJGg&quot;,&quot;startTime&quot;:null,&quot;endTime&quot;:null}" data-component-name="Youtube2ToDOM">
<div class="youtube-inner">
<iframe src="https://www.youtube-nocookie.com/embed/bc6uFV9CJGg?rel=0&amp;autoplay=0&amp;showinfo=0&amp;enablejsapi=0" frameborder="0" loading="lazy" gesture="media" allow="autoplay; fullscreen" allowautoplay="true" allowfullscreen="true" width="728" height="409">
</iframe>
</div>
</div>
<div class="youtube-wrap" data-attrs="{&quot;startTime&quot;:null}"></div>"#;
    let base = Url::parse("https://news.example/a").expect("base");
    let found = embedkeep::discover::discover(html, &base);
    let ids: Vec<_> = found
        .embeds
        .iter()
        .map(|e| (e.platform, e.post_id.as_deref()))
        .collect();
    assert_eq!(
        ids,
        [
            (Platform::Youtube, Some("IvRmwiYdA_A")),
            (Platform::Youtube, Some("bc6uFV9CJGg"))
        ]
    );
}

/// A real fragment of `tests/fixtures/fragments/` (its `.source.txt` says where it is from).
fn fragment(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fragments")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Pages saved after `widgets.js` ran (2016 to 2019) keep an embedded tweet as the element it
/// rendered, `<twitterwidget data-tweet-id="…">`: an element HTML does not define, named for X,
/// that names the post by its id. The fragment is opensource.com's as a translation project
/// saved it.
#[test]
fn a_rendered_tweet_widget_is_discovered() {
    let html = fragment("lctt-pixel-os-twitterwidget.html");
    let base = Url::parse("https://opensource.com/article/17/1/try-raspberry-pis-pixel-os-your-pc")
        .expect("base");
    let found = embedkeep::discover::discover(&html, &base);
    let ids: Vec<_> = found
        .embeds
        .iter()
        .map(|e| (e.platform, e.post_id.as_deref(), e.evidence.as_str()))
        .collect();
    assert_eq!(
        ids,
        [(
            Platform::X,
            Some("811511740907261952"),
            "twitterwidget[data-tweet-id]"
        )]
    );
    // Elements HTML defines are read only as they were: a heading named for X is no embed.
    let html = r#"<h2 class="tweet" data-tweet-id="811511740907261952">Tweets</h2>"#;
    assert!(embedkeep::discover::discover(html, &base).embeds.is_empty());
}

/// An inlined script library (ua-parser-js, on CNN's pages) holds platform words and a tag name
/// list, so its body is read as hidden markup; its code (`r<e[o].l…`) is no element, and the page
/// is still wholly read.
#[test]
fn script_code_read_as_markup_leaves_the_page_wholly_read() {
    let html = fragment("cnn-uaparser-script-cut.html");
    let base = Url::parse("https://edition.cnn.com/2023/01/01/a").expect("base");
    let found = embedkeep::discover::discover(&html, &base);
    let ids: Vec<_> = found
        .embeds
        .iter()
        .map(|e| (e.platform, e.post_id.as_deref()))
        .collect();
    assert_eq!(ids, [(Platform::Youtube, Some("dQw4w9WgXcQ"))]);
    assert!(!found.truncated);
}

/// A consent gate keeps the embed code in an attribute, escaped but for raw `<` and `>` in the
/// quoted value (spiegel.de, 2023): the post is found there, and the attribute's text, which no
/// reader sees, is no decayed remnant of it.
#[test]
fn an_embed_code_in_an_attribute_is_no_remnant_of_itself() {
    let html = fragment("spiegel-consent-attribute-tweet.html");
    let base = Url::parse("https://www.spiegel.de/kultur/kino/a.html").expect("base");
    let found = embedkeep::discover::discover(&html, &base);
    let ids: Vec<_> = found
        .embeds
        .iter()
        .map(|e| (e.platform, e.post_id.as_deref(), e.location))
        .collect();
    assert_eq!(
        ids,
        [(
            Platform::X,
            Some("1689359172024807424"),
            embedkeep::model::Location::Attribute
        )]
    );
    assert_eq!(found.remnants, [], "{:?}", found.remnants);
    // The same words as the page's own text are a remnant.
    let decayed = "<p>&mdash; Ana (@ana) <a href=\"https://example.com/x\">August 9, 2023</a></p>";
    let remnants = embedkeep::discover::discover(decayed, &base).remnants;
    assert_eq!(remnants.len(), 1, "{remnants:?}");
    assert_eq!(remnants[0].author_handle.as_deref(), Some("ana"));
}

/// X's embed code writes a post's blank line as `<br><br>` between two sentences: the fallback
/// text keeps them apart.
#[test]
fn a_posts_line_breaks_keep_its_sentences_apart() {
    let html = fragment("theverge-tweet-line-breaks.html");
    let base = Url::parse("https://www.theverge.com/").expect("base");
    let found = embedkeep::discover::discover(&html, &base);
    assert_eq!(found.embeds.len(), 1, "{:?}", found.embeds);
    let text = found.embeds[0].text.as_deref().unwrap_or_default();
    assert!(
        text.contains("squashing competitors. Chatting between"),
        "{text}"
    );
}

/// A publisher's "embed this article" frame, served by its own oEmbed HTML endpoint
/// (`www.nytimes.com/svc/oembed/html/?url=ARTICLE`), embeds the article.
#[test]
fn a_providers_own_article_frame_is_its_embed() {
    let html = fragment("theverge-nyt-article-frame.html");
    let base = Url::parse("https://www.theverge.com/").expect("base");
    let found = embedkeep::discover::discover(&html, &base);
    let got: Vec<_> = found
        .embeds
        .iter()
        .map(|e| (e.platform, e.post_url.as_str(), e.evidence.as_str()))
        .collect();
    assert_eq!(
        got,
        [(
            Platform::Oembed,
            "https://www.nytimes.com/2023/12/09/technology/openai-altman-inside-crisis.html",
            "iframe"
        )]
    );
}

/// iframemanager's Facebook services keep the plugin's query in `data-id`
/// (`href=POST&show_text=true`), not a bare id: the post it names is the embed.
#[test]
fn a_consent_placeholder_keeping_the_plugins_query_embeds_its_post() {
    let html = fragment("iframemanager-facebook-post.html");
    let base = Url::parse("https://orestbida.com/demo/iframemanager/").expect("base");
    let found = embedkeep::discover::discover(&html, &base);
    let ids: Vec<_> = found
        .embeds
        .iter()
        .map(|e| (e.platform, e.post_id.as_deref(), e.evidence.as_str()))
        .collect();
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert_eq!(ids[0].0, Platform::Facebook, "{ids:?}");
    assert!(
        ids[0].1.is_some_and(|id| id.contains("10157974130297397")),
        "{ids:?}"
    );
}

/// A player an inline script builds with YouTube's IFrame Player API, by a `videoId` written in
/// its settings, plays that video.
#[test]
fn a_player_built_by_youtubes_player_api_is_embedded() {
    let html = fragment("ddg-youtube-iframe-api-player.html");
    let base =
        Url::parse("https://privacy-test-pages.site/privacy-protections/youtube-click-to-load/")
            .expect("base");
    let found = embedkeep::discover::discover(&html, &base);
    let ids: Vec<_> = found
        .embeds
        .iter()
        .map(|e| (e.platform, e.post_id.as_deref(), e.evidence.as_str()))
        .collect();
    assert_eq!(
        ids,
        [(Platform::Youtube, Some("94PLgLKcGW8"), "script YT.Player")]
    );
}

/// X's player of a post's video, `twitter.com/i/videos/tweet/ID`, pasted as an iframe of its
/// own (as an article of 2018 did), embeds that post: the player names it in its path.
#[test]
fn a_tweet_video_player_frame_is_discovered() {
    let html = fragment("tonsky-disenchantment-tweet-video.html");
    let base = Url::parse("https://tonsky.me/blog/disenchantment/").expect("base");
    let found = embedkeep::discover::discover(&html, &base);
    let ids: Vec<_> = found
        .embeds
        .iter()
        .map(|e| (e.platform, e.post_id.as_deref(), e.evidence.as_str()))
        .collect();
    assert_eq!(ids, [(Platform::X, Some("968882438024941568"), "iframe")]);
    // The same path on a host that is not X's names nothing.
    let html = r#"<iframe src="https://cdn.example/i/videos/tweet/968882438024941568"></iframe>"#;
    assert!(embedkeep::discover::discover(html, &base).embeds.is_empty());
}

/// Facebook's XFBML embed code of 2013–2015, `<fb:post href=POST>`, an element HTML does not
/// define that the SDK still fills, embeds that post as `div.fb-post` does. The fragment is a
/// blog's own example of it.
#[test]
fn an_xfbml_post_is_discovered() {
    let html = fragment("ashwanik-embed-facebook-post-xfbml.html");
    let base = Url::parse(
        "http://blog.ashwani.co.in/blog/2013-08-02/embed-facebook-post-on-any-html-page/",
    )
    .expect("base");
    let found = embedkeep::discover::discover(&html, &base);
    let ids: Vec<_> = found
        .embeds
        .iter()
        .map(|e| {
            (
                e.platform,
                e.kind,
                e.post_id.as_deref(),
                e.evidence.as_str(),
            )
        })
        .collect();
    assert_eq!(
        ids,
        [(
            Platform::Facebook,
            EmbedKind::Post,
            Some("182463588593799"),
            "fb:post"
        )]
    );
    assert_eq!(
        found.embeds[0].post_url,
        "https://www.facebook.com/TheAshwanikBlog/posts/182463588593799"
    );
    // The comments, like and page plugins of the same code are no embeds.
    let html = r#"<fb:comments href="http://blog.ashwani.co.in/" num_posts="5"></fb:comments>
<fb:like href="https://www.facebook.com/TheAshwanikBlog/posts/182463588593799"></fb:like>
<fb:page href="https://www.facebook.com/TheAshwanikBlog"></fb:page>"#;
    assert!(embedkeep::discover::discover(html, &base).embeds.is_empty());
}

/// A grid anchor (`a.twitter-grid`, the embed code TweetDeck and publish.twitter.com give for a
/// collection) is a widget of the collection's posts, reported as the timeline anchors are.
#[test]
fn a_tweet_collection_grid_is_discovered_as_a_widget() {
    let html = fragment("millennial-text-formatting-twitter-grid.html");
    let base = Url::parse("https://lenpaul.github.io/Millennial/text-formatting").expect("base");
    let found = embedkeep::discover::discover(&html, &base);
    let got: Vec<_> = found
        .embeds
        .iter()
        .map(|e| {
            (
                e.platform,
                e.kind,
                e.post_id.as_deref(),
                e.post_url.as_str(),
                e.evidence.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                Platform::Youtube,
                EmbedKind::Video,
                Some("mthtn1X4eUY"),
                "https://www.youtube.com/watch?v=mthtn1X4eUY",
                "iframe"
            ),
            (
                Platform::X,
                EmbedKind::ListTimeline,
                None,
                "https://twitter.com/paululele/timelines/755079130027352064",
                "a.twitter-grid"
            ),
        ]
    );
}

/// A script holding embed codes as JavaScript templates (`'…instagram.com/'.concat(e,'/…'`,
/// an iHerb product page of 2025) embeds nothing: the address its template builds is script, not
/// an account. A widget's address that no recogniser claims is kept only when it may be a page's.
#[test]
fn script_templates_of_embed_codes_embed_nothing() {
    let html = fragment("iherb-product-embed-templates.html");
    let base = Url::parse("https://bg.iherb.com/pr/almondina/61856").expect("base");
    let found = embedkeep::discover::discover(&html, &base);
    let got: Vec<_> = found.embeds.iter().map(|e| e.post_url.as_str()).collect();
    assert!(got.is_empty(), "{got:?}");
    // The same profile embed with its account written out is one.
    let html = html.replace("'.concat(e,'", "almondina");
    let found = embedkeep::discover::discover(&html, &base);
    let got: Vec<_> = found
        .embeds
        .iter()
        .map(|e| (e.platform, e.kind, e.post_url.as_str()))
        .collect();
    assert_eq!(
        got,
        [(
            Platform::Instagram,
            EmbedKind::Profile,
            "https://www.instagram.com/almondina/"
        )]
    );
}

/// NPR's podcast call-out keeps the show's links to every directory as JSON for its follow
/// buttons: no player. Its Apple Podcasts link is the short form `podcast/NNN`, which names the
/// show as `podcast/idNNN` does, so the JSON names the show on two platforms and is app state.
#[test]
fn a_podcasts_directory_links_embed_nothing() {
    let html = fragment("npr-podcast-callout-data.html");
    let base =
        Url::parse("https://www.npr.org/2026/01/01/1198916193/solar-flare-storm").expect("base");
    let found = embedkeep::discover::discover(&html, &base);
    let got: Vec<_> = found.embeds.iter().map(|e| e.post_url.as_str()).collect();
    assert!(got.is_empty(), "{got:?}");
}

/// A WordPress widget sizes its player with an `<object>` holding no player of its own, and keeps
/// the player as a placeholder named for YouTube with the embed address in `data-src`, for its
/// script to turn into the iframe. The `<object>` embeds nothing; the placeholder inside it is
/// the embed.
#[test]
fn a_player_placeholder_inside_an_object_is_discovered() {
    let html = fragment("motorward-youtube-widget-object.html");
    let base =
        Url::parse("https://www.motorward.com/2018/11/cheap-fixes-are-the-best/").expect("base");
    let found = embedkeep::discover::discover(&html, &base);
    let got: Vec<_> = found
        .embeds
        .iter()
        .map(|e| (e.platform, e.post_id.as_deref(), e.evidence.as_str()))
        .collect();
    assert_eq!(
        got,
        [(Platform::Youtube, Some("V6tVJaXr_I4"), "div[data-src]")]
    );
}

/// A shop's consent plugin keeps the player in JSON settings (naming YouTube and Vimeo by their
/// keys, and a player address of no video for its error page): the settings' player is the
/// embed.
#[test]
fn a_players_json_settings_in_a_consent_placeholder_are_discovered() {
    let html = format!(
        "<article><p>Rezept</p>{}</article>",
        fragment("sallys-blog-acris-video-consent.html")
    );
    let base = Url::parse("https://sallys-blog.de/recipe/detail/da957a637382806e24b4bafbd6138980")
        .expect("base");
    let found = embedkeep::discover::discover(&html, &base);
    let got: Vec<_> = found
        .embeds
        .iter()
        .map(|e| (e.platform, e.post_id.as_deref()))
        .collect();
    assert_eq!(got, [(Platform::Youtube, Some("v3Gae_dFho4"))]);
}

/// CKEditor 4's semantic embed saves media as `<oembed>URL</oembed>`
/// (ckeditor/ckeditor4 `c7e59ec`, `tests/core/style/manual/embedstyles.html`), which a site
/// renders as the player: the element's text is the embed's address. A relative embed proxy of
/// the site's own (`/embed?url=…`, as People.com's iframes) is read once the page's address is
/// known.
#[test]
fn cms_embed_elements_are_discovered() {
    let base = Url::parse("https://people.com/a/").expect("base");
    let html = "<p>Intro</p>\n<oembed>https://www.youtube.com/watch?v=H08tGjXNHO4</oembed>\n";
    let found = embedkeep::discover::discover(html, &base);
    let got: Vec<_> = found
        .embeds
        .iter()
        .map(|e| (e.platform, e.post_id.as_deref(), e.evidence.as_str()))
        .collect();
    assert_eq!(
        got,
        [(Platform::Youtube, Some("H08tGjXNHO4"), "oembed text")]
    );
    let html = r#"<iframe class="mntl-sc-block-embed--iframe lazyload" data-src="/embed?url=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3DvpTEYV-f_LQ&amp;id=mntl-sc-block_1-0-7-iframe"></iframe>"#;
    let found = embedkeep::discover::discover(html, &base);
    let got: Vec<_> = found.embeds.iter().map(|e| e.post_id.as_deref()).collect();
    assert_eq!(got, [Some("vpTEYV-f_LQ")]);
}

/// SoundCloud's Flash player, as a 2012 dhnet.be article carries it (saved by
/// sevas/csxj-crawler, `tests/datasources/test_data/dhnet/soundcloud.html`): an `<object>`
/// whose `movie` and `<embed>` both name the track through `player.swf?url=`. The object and
/// its embed are one player of one track.
#[test]
fn a_soundcloud_flash_player_is_discovered() {
    let html = r#"<div class="embedContents"><object height="81" width="100%"> <param name="movie" value="https://player.soundcloud.com/player.swf?url=http%3A%2F%2Fapi.soundcloud.com%2Ftracks%2F37663533&amp;show_comments=true&amp;auto_play=false&amp;color=a900ff"></param> <param name="allowscriptaccess" value="always"></param> <embed allowscriptaccess="always" height="81" src="https://player.soundcloud.com/player.swf?url=http%3A%2F%2Fapi.soundcloud.com%2Ftracks%2F37663533&amp;show_comments=true&amp;auto_play=false&amp;color=a900ff" type="application/x-shockwave-flash" width="100%"></embed> </object></div>"#;
    let base = Url::parse("http://www.dhnet.be/a").expect("base");
    let found = embedkeep::discover::discover(html, &base);
    let got: Vec<_> = found
        .embeds
        .iter()
        .map(|e| (e.platform, e.post_id.as_deref(), e.post_url.as_str()))
        .collect();
    assert_eq!(
        got,
        [(
            Platform::Soundcloud,
            Some("37663533"),
            "https://api.soundcloud.com/tracks/37663533"
        )]
    );
}

/// `amp-soundcloud` plays a track or a playlist (ampproject/amphtml's example page
/// `examples/soundcloud.amp.html` has both).
#[test]
fn amp_soundcloud_plays_a_track_or_a_playlist() {
    let html = r#"<amp-soundcloud height="657" layout="fixed-height" data-trackid="243169232" data-visual="true"></amp-soundcloud>
        <amp-soundcloud height="450" layout="fixed-height" data-playlistid="1595551" data-visual="true"></amp-soundcloud>"#;
    let base = Url::parse("https://news.example/a").expect("base");
    let found: Vec<_> = embedkeep::discover::discover(html, &base)
        .embeds
        .into_iter()
        .map(|e| (e.platform, e.post_id.unwrap_or_default(), e.evidence))
        .collect();
    assert_eq!(
        found,
        [
            (
                Platform::Soundcloud,
                "243169232".to_owned(),
                "amp-soundcloud".to_owned()
            ),
            (
                Platform::Soundcloud,
                "playlists/1595551".to_owned(),
                "amp-soundcloud".to_owned()
            )
        ]
    );
}

/// `amp-imgur` embeds an image by its id and an album as `a/ID` (ampproject/amphtml's example
/// page `examples/amp-imgur.amp.html` has both).
#[test]
fn amp_imgur_embeds_an_image_or_an_album() {
    let html = r#"<amp-imgur data-imgur-id="f462IUj" height="350" layout="fixed-height"></amp-imgur>
        <amp-imgur
      data-imgur-id="a/ZF7NS3V"
      height="350"
      layout="fixed-height"
    ></amp-imgur>
        <amp-imgur data-imgur-id="a/../x" height="350"></amp-imgur>"#;
    let base = Url::parse("https://news.example/a").expect("base");
    let found: Vec<_> = embedkeep::discover::discover(html, &base)
        .embeds
        .into_iter()
        .map(|e| (e.platform, e.post_url))
        .collect();
    assert_eq!(
        found,
        [
            (Platform::Imgur, "https://imgur.com/f462IUj".to_owned()),
            (Platform::Imgur, "https://imgur.com/a/ZF7NS3V".to_owned()),
        ]
    );
}

/// s9e/TextFormatter (phpBB, Flarum, XenForo) draws an Instagram post in a frame of its own
/// helper page, `s9e.github.io/iframe/2/instagram.min.html#CODE`: the file name names the
/// platform and the fragment the post. Its other players on the same forum post are the
/// platforms' own.
#[test]
fn s9e_media_embeds_are_the_posts_they_frame() {
    let html = fragment("s9e-forum-media-embeds.html");
    let base = Url::parse("https://forum.example/viewtopic.php?t=1").expect("base");
    let found = embedkeep::discover::discover(&html, &base);
    let ids: Vec<(Platform, Option<&str>)> = found
        .embeds
        .iter()
        .map(|e| (e.platform, e.post_id.as_deref()))
        .collect();
    for want in [
        (Platform::Dailymotion, Some("x222z1")),
        (Platform::Instagram, Some("gbGaIXBQbn")),
        (Platform::Vimeo, Some("67207222")),
        (Platform::Oembed, Some("vine/bYwPIluIipH")),
        (Platform::Youtube, Some("-cEzsCAzTak")),
    ] {
        assert!(ids.contains(&want), "{want:?} not in {ids:?}");
    }
    // Nothing is found twice, and nothing but the forum post's media.
    assert_eq!(ids.len(), 5, "{ids:?}");
}

/// `amp-youtube` of a channel's live stream, as the amphtml documentation of the component
/// writes it (extensions/amp-youtube/amp-youtube.md): the channel's player, reported as the
/// channel, a widget; not a post, and not the video its placeholder's poster was taken from.
#[test]
fn an_amp_youtube_live_channel_is_the_channels_widget() {
    let html = r#"<html><body><article><p>Watch live:</p>
<amp-youtube
  id="myLiveChannel"
  data-live-channelid="UCB8Kb4pxYzsDsHxzBfnid4Q"
  width="358"
  height="204"
  layout="responsive"
>
  <amp-img
    src="https://i.ytimg.com/vi/Wm1fWz-7nLQ/hqdefault_live.jpg"
    placeholder
    layout="fill"
  />
</amp-youtube></article></body></html>"#;
    let base = Url::parse("https://news.example.com/live.amp.html").expect("base");
    let found = embedkeep::discover::discover(html, &base);
    let got: Vec<_> = found
        .embeds
        .iter()
        .map(|e| (e.platform, e.kind, e.post_id.as_deref()))
        .collect();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, Platform::Youtube, "{got:?}");
    assert!(!got[0].1.is_post(), "{got:?}");
    assert!(
        found.embeds[0]
            .post_url
            .contains("UCB8Kb4pxYzsDsHxzBfnid4Q"),
        "{:?}",
        found.embeds[0]
    );
}

/// The BBC's pages (Simorgh) keep a consent-gated post only in the wrapper's
/// `data-e2e="PLATFORM-embed-URL"` until the reader accepts: the label names the element for
/// its platform and for embedding, and the address after it is the post.
#[test]
fn consent_banners_naming_the_post_after_a_label() {
    let html = fragment("bbc-simorgh-consent-banners.html");
    let base = Url::parse("https://www.bbc.com/news/articles/x").expect("base");
    let found = embedkeep::discover::discover(&html, &base);
    let ids: Vec<(Platform, Option<&str>)> = found
        .embeds
        .iter()
        .map(|e| (e.platform, e.post_id.as_deref()))
        .collect();
    assert_eq!(
        ids,
        [
            (Platform::X, Some("1384138850478346243")),
            (Platform::Tiktok, Some("7086167423639997701")),
            (Platform::Youtube, Some("1e05_rwHvOM")),
        ]
    );
    assert!(
        found.embeds.iter().all(|e| e.evidence == "div[data-e2e]"),
        "{:?}",
        found.embeds.iter().map(|e| &e.evidence).collect::<Vec<_>>()
    );
}
