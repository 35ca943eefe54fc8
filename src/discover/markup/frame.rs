//! Players and rendered embeds in frames: `<iframe>` (including lazy-loaded `data-src` forms,
//! the id attributes and classes embed scripts leave on the iframes they render, and wrapper
//! players that name the post in their own address), legacy `<embed>`/`<object>` players and
//! player facades. The id attributes, classes, wrappers and facades are the platforms'
//! declarations; the frame mechanics are here.

use scraper::ElementRef;
use url::Url;

use super::{Candidate, absolute, has_class};
use crate::model::markup::FRAME_SRC_ATTRS;

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
    let mut out = Vec::new();
    out.extend(flash_params_as_query(url));
    for unwrap in &crate::platforms::declared().unwrap_frame {
        out.extend(unwrap(url));
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

/// Whether `name` is a frame, a legacy player or a declared facade.
pub(crate) fn is_form(name: &str) -> bool {
    matches!(name, "iframe" | "embed" | "object")
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
            let urls = FRAME_SRC_ATTRS
                .iter()
                .filter_map(|a| e.attr(a))
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
        name => {
            let facade = declared.facades.iter().find(|f| f.element == name)?;
            let url = e.attr(facade.attr).and_then(|v| facade.url_for(v))?;
            Candidate::new(vec![url], name)
        }
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
