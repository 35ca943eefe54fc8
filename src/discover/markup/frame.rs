//! Players and rendered embeds in frames: `<iframe>` (including lazy-loaded `data-src` forms and
//! the iframes embed scripts leave behind: `data-tweet-id`, `instagram-media-rendered`,
//! `embed.bsky.app`, Facebook `plugins/post.php`), legacy `<embed>`/`<object>` players and the
//! `lite-youtube`/`lite-vimeo` facades.

use scraper::ElementRef;
use url::Url;

use super::{Candidate, absolute, has_class};

/// Attributes that hold an iframe's address, the real one first on lazy-loading pages.
const SRC_ATTRS: &[&str] = &[
    "src",
    "data-src",
    "data-lazy-src",
    "data-litespeed-src",
    "data-rocket-src",
    "data-original",
    "data-url",
];

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
fn unwrap(url: &Url) -> Vec<Url> {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let path = url.path();
    let mut out = Vec::new();
    out.extend(flash_params_as_query(url));
    let query = |key: &str| {
        url.query_pairs()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    };
    if host.ends_with("facebook.com")
        && (path.starts_with("/plugins/post.php") || path.starts_with("/plugins/video.php"))
    {
        out.extend(query("href").and_then(|h| Url::parse(&h).ok()));
    }
    if host == "platform.twitter.com" && path.contains("/embed/Tweet.html") {
        out.extend(
            query("id")
                .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|id| Url::parse(&format!("https://twitter.com/i/status/{id}")).ok()),
        );
    }
    if host == "embed.bsky.app"
        && let Some(rest) = path.strip_prefix("/embed/")
    {
        let mut parts = rest.split('/');
        if let (Some(did), Some("app.bsky.feed.post"), Some(rkey)) =
            (parts.next(), parts.next(), parts.next())
        {
            out.extend(Url::parse(&format!("https://bsky.app/profile/{did}/post/{rkey}")).ok());
        }
    }
    out.push(url.clone());
    out
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

pub(super) fn read(el: ElementRef<'_>, base: &Url) -> Option<Candidate> {
    let e = el.value();
    match e.name() {
        "iframe" => {
            if let Some(id) = e.attr("data-tweet-id").map(str::trim)
                && !id.is_empty()
                && id.bytes().all(|b| b.is_ascii_digit())
            {
                let url = Url::parse(&format!("https://twitter.com/i/status/{id}")).ok()?;
                return Candidate::new(vec![url], "iframe[data-tweet-id]");
            }
            let urls = SRC_ATTRS
                .iter()
                .filter_map(|a| e.attr(a))
                .filter_map(|v| absolute(base, v));
            let evidence = if has_class(el, "instagram-media") {
                "iframe.instagram-media"
            } else {
                "iframe"
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
        "lite-youtube" | "lite-vimeo" => {
            let id = e.attr("videoid").map(str::trim).filter(|id| {
                !id.is_empty()
                    && id
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            })?;
            let url = if e.name() == "lite-youtube" {
                format!("https://www.youtube.com/watch?v={id}")
            } else {
                format!("https://vimeo.com/{id}")
            };
            Candidate::new(Url::parse(&url).ok().into_iter().collect(), e.name())
        }
        _ => None,
    }
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
        ];
        for (html, evidence, url) in cases {
            let c = read_root(html).unwrap_or_else(|| panic!("no candidate: {html}"));
            assert_eq!(c.evidence, *evidence, "{html}");
            assert_eq!(c.urls[0].as_str(), *url, "{html}");
        }
    }

    #[test]
    fn frames_without_address_are_skipped() {
        assert!(read_root(r#"<iframe src="javascript:void(0)"></iframe>"#).is_none());
        assert!(read_root(r#"<lite-youtube videoid="bad id"></lite-youtube>"#).is_none());
    }
}
