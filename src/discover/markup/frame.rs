//! Players and rendered embeds in frames: `<iframe>` (including lazy-loaded `data-src` forms,
//! the id attributes and classes embed scripts leave on the iframes they render, and wrapper
//! players that name the post in their own address), legacy `<embed>`/`<object>` players and
//! player facades. The id attributes, classes, wrappers and facades are the platforms'
//! declarations; the frame mechanics are here.

use scraper::ElementRef;
use url::Url;

use super::{Candidate, absolute, has_class};
use crate::model::markup::{FRAME_SRC_ATTRS, looks_like_url};

/// Legacy Flash player addresses put their parameters after `&` in the path
/// (`/v/ID&hl=en&fs=1`): read them as the query they stand for.
fn flash_params_as_query(url: &Url) -> Option<Url> {
    if url.query().is_some() {
        return None;
    }
    let (path, params) = url.path().split_once('&')?;
    let mut fixed = url.clone();
    fixed.set_path(path);
    fixed.set_query(Some(params));
    Some(fixed)
}

/// The URLs a frame address stands for: wrapper players name the post in their query or path.
/// The platforms' own players come first, then the address itself, then the addresses a
/// third-party wrapper (Embedly, Iframely, a consent gate) carries in its query.
fn unwrap(url: &Url) -> Vec<Url> {
    let mut out = Vec::new();
    out.extend(flash_params_as_query(url));
    for unwrap in &crate::platforms::declared().unwrap_frame {
        out.extend(unwrap(url));
    }
    out.push(url.clone());
    out.extend(wrapped(url));
    out.extend(super::named::id_in_wrapper(url));
    out
}

/// The most addresses read from one wrapper's query.
const MAX_WRAPPED: usize = 8;

/// The site of a host: its last two labels (`cdn.embedly.com` → `embedly.com`).
fn site(url: &Url) -> Option<String> {
    let host = url.host_str()?.trim_end_matches('.').to_ascii_lowercase();
    let mut labels = host.rsplit('.');
    let last = labels.next()?;
    Some(match labels.next() {
        Some(second) => format!("{second}.{last}"),
        None => last.to_owned(),
    })
}

/// Addresses on another site in a frame address's query (`?url=https%3A%2F%2F…`,
/// `?src=//…`): what a wrapper frame shows. A query naming its own site (a platform's share or
/// like button naming one of its pages) is the platform's business, not a wrapper's. Only posts
/// of a platform with a module of its own count: a share button's `url=` names the article
/// itself (often a shortlink such as `wp.me/…`, which the generic oEmbed registry knows), and a
/// wrapper around a post is almost always a player of a named platform.
fn wrapped(url: &Url) -> Vec<Url> {
    let Some(own) = site(url) else {
        return Vec::new();
    };
    url.query_pairs()
        .filter(|(_, v)| looks_like_url(v))
        .filter_map(|(_, v)| url.join(v.trim()).ok())
        .filter(|inner| matches!(inner.scheme(), "http" | "https"))
        .filter(|inner| site(inner).is_some_and(|s| s != own))
        .filter(|inner| {
            crate::platforms::recognise(inner).is_some_and(|r| {
                !matches!(
                    r.platform,
                    crate::model::Platform::Oembed | crate::model::Platform::Page
                )
            })
        })
        .take(MAX_WRAPPED)
        .collect()
}

fn with_unwrapped(urls: impl IntoIterator<Item = Url>) -> Vec<Url> {
    let mut out: Vec<Url> = Vec::new();
    for u in urls {
        for v in unwrap(&u) {
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

/// Whether `name` is a frame, a legacy player, a media element or a declared facade.
pub(crate) fn is_form(name: &str) -> bool {
    matches!(name, "iframe" | "embed" | "object" | "video" | "audio")
        || crate::platforms::declared()
            .facades
            .iter()
            .any(|f| f.element == name)
}

pub(super) fn read(el: ElementRef<'_>, base: &Url) -> Option<Candidate> {
    let e = el.value();
    let declared = crate::platforms::declared();
    match e.name() {
        "iframe" => {
            for id in declared.frame_ids.iter().filter(|i| i.element == "iframe") {
                if let Some(url) = e.attr(id.attr).and_then(|v| id.url_for(v)) {
                    return Candidate::new(vec![url], format!("iframe[{}]", id.attr));
                }
            }
            // The usual address attributes first, then any other attribute holding an address
            // (`iframe-src`, `data-lazy-load-src`): lazy loaders name it as they please.
            let others = e
                .attrs()
                .filter(|(n, v)| !FRAME_SRC_ATTRS.contains(n) && looks_like_url(v))
                .map(|(_, v)| v);
            let urls = FRAME_SRC_ATTRS
                .iter()
                .filter_map(|a| e.attr(a))
                .chain(others)
                .filter_map(|v| absolute(base, v));
            let evidence = match declared.frame_classes.iter().find(|c| has_class(el, c)) {
                Some(class) => format!("iframe.{class}"),
                None => "iframe".to_owned(),
            };
            Candidate::new(with_unwrapped(urls), evidence)
        }
        "embed" => Candidate::new(
            with_unwrapped(e.attr("src").and_then(|v| absolute(base, v))),
            "embed",
        ),
        "object" => {
            let movie = el
                .descendent_elements()
                .filter(|p| p.value().name() == "param")
                .filter(|p| {
                    p.value().attr("name").is_some_and(|n| {
                        n.eq_ignore_ascii_case("movie") || n.eq_ignore_ascii_case("src")
                    })
                })
                .filter_map(|p| p.value().attr("value"));
            let urls = e
                .attr("data")
                .into_iter()
                .chain(movie)
                .filter_map(|v| absolute(base, v));
            Candidate::new(with_unwrapped(urls), "object")
        }
        "video" | "audio" => media_element(el, base),
        name => {
            // An element may be declared more than once: builds of one component keep the id
            // in different attributes (`lite-vimeo videoid=…`, astro-embed's `data-id=…`).
            let url = declared
                .facades
                .iter()
                .filter(|f| f.element == name)
                .find_map(|f| e.attr(f.attr).and_then(|v| f.url_for(v)))?;
            Candidate::new(vec![url], name)
        }
    }
}

/// A `<video>` or `<audio>` whose source is a platform's post: a browser cannot play a post's
/// page, so only a player library that takes the element over can, and it then plays that post.
/// WordPress's `[video]` shortcode writes `<video class="wp-video-shortcode"><source
/// type="video/youtube" src="https://www.youtube.com/watch?v=…">` for MediaElement.js, and
/// videojs-youtube reads `<video data-setup='{"sources":[{"type":"video/youtube","src":…}]}'>`.
/// The poster is an image, never what plays; a media file is no post, so only URLs that name a
/// post count.
fn media_element(el: ElementRef<'_>, base: &Url) -> Option<Candidate> {
    let e = el.value();
    let own = FRAME_SRC_ATTRS.iter().filter_map(|a| e.attr(a));
    let sources = el
        .descendent_elements()
        .filter(|d| d.value().name() == "source")
        .filter_map(|d| FRAME_SRC_ATTRS.iter().find_map(|a| d.value().attr(a)));
    let mut urls: Vec<Url> = own
        .chain(sources)
        .filter_map(|v| absolute(base, v))
        .take(MAX_WRAPPED)
        .collect();
    let mut evidence = e.name().to_owned();
    if urls.is_empty()
        && let Some((attr, value)) = e
            .attrs()
            .find(|(n, v)| *n != "poster" && v.trim_start().starts_with('{') && v.contains("http"))
    {
        super::named::urls_in_value(value, base, true, &mut urls);
        urls.truncate(MAX_WRAPPED);
        evidence = format!("{}[{attr}]", e.name());
    }
    let mut c = Candidate::new(urls, evidence)?;
    c.post_only = true;
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn read_root(html: &str) -> Option<Candidate> {
        let doc = Html::parse_fragment(html);
        let el = doc
            .root_element()
            .descendent_elements()
            .find(|e| e.value().name() != "html")
            .unwrap();
        read(el, &Url::parse("https://news.example/a").unwrap())
    }

    #[test]
    fn frame_forms() {
        let cases: &[(&str, &str, &str)] = &[
            (
                r#"<iframe width="560" src="https://www.youtube.com/embed/dQw4w9WgXcQ?si=x"></iframe>"#,
                "iframe",
                "https://www.youtube.com/embed/dQw4w9WgXcQ?si=x",
            ),
            (
                r#"<iframe src="about:blank" data-lazy-src="//w.soundcloud.com/player/?url=x"></iframe>"#,
                "iframe",
                "https://w.soundcloud.com/player/?url=x",
            ),
            (
                r#"<iframe data-src="https://player.vimeo.com/video/1"></iframe>"#,
                "iframe",
                "https://player.vimeo.com/video/1",
            ),
            (
                r#"<iframe id="twitter-widget-0" src="https://platform.twitter.com/embed/Tweet.html?id=99" data-tweet-id="123"></iframe>"#,
                "iframe[data-tweet-id]",
                "https://twitter.com/i/status/123",
            ),
            (
                r#"<iframe src="https://platform.twitter.com/embed/Tweet.html?dnt=false&amp;id=456"></iframe>"#,
                "iframe",
                "https://twitter.com/i/status/456",
            ),
            (
                r#"<iframe src="https://www.facebook.com/plugins/video.php?height=314&amp;href=https%3A%2F%2Fwww.facebook.com%2Fp%2Fvideos%2F1%2F&amp;show_text=false"></iframe>"#,
                "iframe",
                "https://www.facebook.com/p/videos/1/",
            ),
            (
                r#"<iframe src="https://embed.bsky.app/embed/did:plc:x/app.bsky.feed.post/3kq?id=1"></iframe>"#,
                "iframe",
                "https://bsky.app/profile/did:plc:x/post/3kq",
            ),
            (
                r#"<iframe class="instagram-media instagram-media-rendered" src="https://www.instagram.com/p/C0/embed/captioned/?cr=1"></iframe>"#,
                "iframe.instagram-media",
                "https://www.instagram.com/p/C0/embed/captioned/?cr=1",
            ),
            (
                r#"<embed src="http://www.youtube.com/v/vr-25vhY8_Y&hl=en" type="application/x-shockwave-flash">"#,
                "embed",
                "http://www.youtube.com/v/vr-25vhY8_Y?hl=en",
            ),
            (
                r#"<object width="1"><param name="movie" value="https://www.youtube.com/v/abcdefghijk"></object>"#,
                "object",
                "https://www.youtube.com/v/abcdefghijk",
            ),
            (
                r#"<lite-youtube videoid="abcdefghijk"></lite-youtube>"#,
                "lite-youtube",
                "https://www.youtube.com/watch?v=abcdefghijk",
            ),
            (
                r#"<iframe iframe-src="https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com%2Fp%2Fvideos%2F1%2F"></iframe>"#,
                "iframe",
                "https://www.facebook.com/p/videos/1/",
            ),
            (
                r#"<iframe src="about:blank" data-lazy-load="//www.youtube-nocookie.com/embed/abcdefghijk"></iframe>"#,
                "iframe",
                "https://www.youtube-nocookie.com/embed/abcdefghijk",
            ),
        ];
        for (html, evidence, url) in cases {
            let c = read_root(html).unwrap_or_else(|| panic!("no candidate: {html}"));
            assert_eq!(c.evidence, *evidence, "{html}");
            assert_eq!(c.urls[0].as_str(), *url, "{html}");
        }
    }

    #[test]
    fn wrapper_frames_name_what_they_show_after_their_own_address() {
        let c = read_root(
            r#"<iframe class="embedly-embed" src="https://cdn.embedly.com/widgets/media.html?src=https%3A%2F%2Fwww.youtube.com%2Fembed%2FzwkuexVivkc%3Ffeature%3Doembed&amp;url=http%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3DzwkuexVivkc&amp;key=k&amp;type=text%2Fhtml"></iframe>"#,
        )
        .unwrap();
        let urls: Vec<&str> = c.urls.iter().map(Url::as_str).collect();
        assert_eq!(
            urls,
            [
                "https://cdn.embedly.com/widgets/media.html?src=https%3A%2F%2Fwww.youtube.com%2Fembed%2FzwkuexVivkc%3Ffeature%3Doembed&url=http%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3DzwkuexVivkc&key=k&type=text%2Fhtml",
                "https://www.youtube.com/embed/zwkuexVivkc?feature=oembed",
                "http://www.youtube.com/watch?v=zwkuexVivkc",
            ]
        );
        // A share button naming the article's shortlink is no wrapper of a post.
        let share = Url::parse(
            "http://platform.twitter.com/widgets/tweet_button.html?url=http%3A%2F%2Fwp.me%2Fp2Xrlp-251I&count=horizontal",
        )
        .unwrap();
        assert_eq!(unwrap(&share), vec![share.clone()]);
        // A query naming the frame's own site is not a wrapper's: a like button of a page.
        let like = read_root(
            r#"<iframe src="https://www.facebook.com/plugins/like.php?href=https%3A%2F%2Fwww.facebook.com%2Fp%2Fposts%2F1"></iframe>"#,
        )
        .unwrap();
        assert_eq!(like.urls.len(), 1);
        // An article address in a comments frame's query is not read: no platform claims it.
        let comments = read_root(
            r#"<iframe src="https://disqus.example/embed/comments/?t_u=https%3A%2F%2Fnews.example%2Fa"></iframe>"#,
        )
        .unwrap();
        assert_eq!(comments.urls.len(), 1);
    }

    #[test]
    fn wrapper_frames_naming_a_platform_and_a_bare_id() {
        // LiveJournal's embed proxy.
        let lj = read_root(
            r#"<iframe src="http://l.lj-toys.com/?auth_token=sessionless%3A1377975600%3Aembedcontent%3A37450766%264%26%26youtube%26wzc0uMXGFBY%3A5ae8&amp;source=youtube&amp;vid=wzc0uMXGFBY&amp;moduleid=1"></iframe>"#,
        )
        .unwrap();
        let urls: Vec<&str> = lj.urls.iter().map(Url::as_str).collect();
        assert_eq!(urls[1..], ["https://www.youtube.com/watch?v=wzc0uMXGFBY"]);
        let vimeo =
            Url::parse("https://proxy.example/embed?provider=vimeo&video_id=76979871").unwrap();
        assert_eq!(unwrap(&vimeo)[1].as_str(), "https://vimeo.com/76979871");
        // s9e/TextFormatter's frames (its test expectations), and FC2's blog player.
        for (src, post) in [
            (
                "https://s9e.github.io/iframe/2/twitter.min.html#266031293945503744",
                "https://twitter.com/i/status/266031293945503744",
            ),
            (
                "https://s9e.github.io/iframe/2/twitter.min.html#266031293945503744#theme=dark",
                "https://twitter.com/i/status/266031293945503744",
            ),
            (
                "https://s9e.github.io/iframe/2/instagram.min.html#gbGaIXBQbn",
                "https://www.instagram.com/p/gbGaIXBQbn/",
            ),
            (
                "https://s9e.github.io/iframe/2/mastodon.min.html#SwiftOnSecurity@infosec.exchange/109579438603578302",
                "https://infosec.exchange/@SwiftOnSecurity/109579438603578302",
            ),
            (
                "https://s9e.github.io/iframe/2/facebook.min.html#FacebookDevelopers/posts/10151471074398553",
                "https://www.facebook.com/FacebookDevelopers/posts/10151471074398553",
            ),
            (
                "https://static.fc2.com/misc/blog/view/ext_youtube_player.html?autoplay=1&id=NBwJR7X3krE&width=640",
                "https://www.youtube.com/watch?v=NBwJR7X3krE",
            ),
        ] {
            let url = Url::parse(src).unwrap();
            assert_eq!(unwrap(&url)[1].as_str(), post, "{src}");
        }
        // Not read: two platforms named, no platform named, an id of the wrong shape, a key
        // that says whose id it is, and a platform's own address; a file name naming a
        // platform with an id in the query but no word of a player; a fragment of another
        // shape; a file name naming two platforms.
        for src in [
            "https://proxy.example/embed?source=youtube&provider=vimeo&vid=wzc0uMXGFBY",
            "https://proxy.example/embed?source=player&vid=wzc0uMXGFBY",
            "https://proxy.example/embed?source=youtube&vid=abc",
            "https://proxy.example/embed?source=youtube&channel_id=wzc0uMXGFBY",
            "https://proxy.example/embed?source=youtube&post_id=wzc0uMXGFBY",
            // Campaign keys say where a visitor came from, not what a frame plays.
            "https://x.list-manage.com/subscribe?u=ab&id=1a2b3c4d5e&utm_source=instagram",
            "https://ads.example/f.html?utm_source=twitter&id=4821337",
            "https://ads.example/f.html?ref=twitter&id=4821337",
            "https://www.youtube.com/embed/wzc0uMXGFBY?source=youtube&id=aaaaaaaaaaa",
            "https://ads.example/twitter-ad.html?id=4821337",
            "https://s9e.github.io/iframe/2/twitter.min.html#theme=dark",
            "https://s9e.github.io/iframe/2/mastodon.min.html#109579438603578302",
            "https://s9e.github.io/iframe/2/facebook.min.html#10100658170103643",
            "https://share.example/twitter-instagram.html#266031293945503744",
            "https://platform.twitter.com/widgets/tweet_button.html?url=x#dnt=false&id=twitter-widget-0",
        ] {
            let url = Url::parse(src).unwrap();
            assert_eq!(unwrap(&url), vec![url.clone()], "{src}");
        }
    }

    #[test]
    fn media_elements_playing_a_post() {
        // WordPress's `[video]` shortcode for a YouTube address (wp_video_shortcode's output),
        // and videojs-youtube's setup from its README.
        let wp = read_root(
            r#"<video class="wp-video-shortcode" id="video-1-1" width="640" height="360" preload="metadata" controls="controls"><source type="video/youtube" src="https://www.youtube.com/watch?v=xjS6SftYQaQ&#038;_=1" /><a href="https://www.youtube.com/watch?v=xjS6SftYQaQ">https://www.youtube.com/watch?v=xjS6SftYQaQ</a></video>"#,
        )
        .unwrap();
        assert_eq!(wp.evidence, "video");
        assert_eq!(
            wp.urls[0].as_str(),
            "https://www.youtube.com/watch?v=xjS6SftYQaQ&_=1"
        );
        assert!(wp.post_only, "a media file is no post");
        let vjs = read_root(
            r#"<video id="vid1" class="video-js vjs-default-skin" controls data-setup='{ "techOrder": ["youtube"], "sources": [{ "type": "video/youtube", "src": "https://www.youtube.com/watch?v=xjS6SftYQaQ"}] }'></video>"#,
        )
        .unwrap();
        assert_eq!(vjs.evidence, "video[data-setup]");
        assert_eq!(
            vjs.urls[0].as_str(),
            "https://www.youtube.com/watch?v=xjS6SftYQaQ"
        );
        // The poster is an image of the video, not what plays.
        let own = read_root(
            r#"<video poster="https://i.ytimg.com/vi/xjS6SftYQaQ/hqdefault.jpg"><source src="/media/clip.mp4" type="video/mp4"></video>"#,
        )
        .unwrap();
        assert_eq!(own.urls[0].as_str(), "https://news.example/media/clip.mp4");
        assert!(read_root(r#"<audio controls></audio>"#).is_none());
    }

    #[test]
    fn frames_without_address_are_skipped() {
        assert!(read_root(r#"<iframe src="javascript:void(0)"></iframe>"#).is_none());
        assert!(read_root(r#"<lite-youtube videoid="bad id"></lite-youtube>"#).is_none());
    }
}
