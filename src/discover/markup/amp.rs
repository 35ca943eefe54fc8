//! AMP components (`amp-instagram`, `amp-twitter`, `amp-youtube`, `amp-tiktok`, `amp-facebook`,
//! `amp-iframe` ...): AMP pages name the post by id in a data attribute instead of a URL, so each
//! id is turned into the platform's plain post URL for the recognisers.

use scraper::ElementRef;
use url::Url;

use super::{Candidate, Widget, absolute};
use crate::model::{EmbedKind, Platform};

fn id_ok(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

pub(super) fn read(el: ElementRef<'_>, base: &Url) -> Option<Candidate> {
    let e = el.value();
    let name = e.name();
    let id = |attr: &str| e.attr(attr).map(str::trim).filter(|id| id_ok(id));
    let url = |attr: &str| e.attr(attr).and_then(|v| absolute(base, v));
    let from_id = |attr: &str, pattern: &str| {
        id(attr).and_then(|id| Url::parse(&pattern.replace("{}", id)).ok())
    };
    // An `amp-twitter` timeline names the account instead of a tweet.
    if name == "amp-twitter"
        && e.attr("data-tweetid").is_none()
        && let Some(url) = from_id("data-timeline-screen-name", "https://twitter.com/{}")
    {
        let mut c = Candidate::new(vec![url], "amp-twitter")?;
        c.widget = Some(Widget {
            platform: Platform::X,
            kind: EmbedKind::ProfileTimeline,
            host: "twitter.com",
        });
        return Some(c);
    }
    let found: Option<Url> = match name {
        "amp-instagram" => from_id("data-shortcode", "https://www.instagram.com/p/{}/"),
        "amp-twitter" => from_id("data-tweetid", "https://twitter.com/i/status/{}"),
        "amp-youtube" => from_id("data-videoid", "https://www.youtube.com/watch?v={}"),
        "amp-vimeo" => from_id("data-videoid", "https://vimeo.com/{}"),
        "amp-dailymotion" => from_id("data-videoid", "https://www.dailymotion.com/video/{}"),
        "amp-vine" => from_id("data-vineid", "https://vine.co/v/{}"),
        "amp-soundcloud" => from_id("data-trackid", "https://api.soundcloud.com/tracks/{}"),
        "amp-imgur" => from_id("data-imgur-id", "https://imgur.com/{}"),
        "amp-tiktok" => match id("data-src") {
            // AMP takes either the video id or the video URL.
            Some(v) if v.bytes().all(|b| b.is_ascii_digit()) => {
                from_id("data-src", "https://www.tiktok.com/embed/v2/{}")
            }
            _ => url("data-src"),
        },
        "amp-facebook" => url("data-href"),
        "amp-reddit" | "amp-iframe" | "amp-bluesky" => url("data-src").or_else(|| url("src")),
        "amp-pinterest" => url("data-url"),
        _ => None,
    };
    Candidate::new(found.into_iter().collect(), name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    #[test]
    fn amp_forms() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                r#"<amp-instagram data-shortcode="B63DdKjgavx" data-captioned width="400" height="400" layout="responsive"></amp-instagram>"#,
                Some("https://www.instagram.com/p/B63DdKjgavx/"),
            ),
            (
                r#"<amp-twitter data-tweetid="1311697819384844290" width="375" height="472"></amp-twitter>"#,
                Some("https://twitter.com/i/status/1311697819384844290"),
            ),
            (
                r#"<amp-youtube data-videoid="dQw4w9WgXcQ" layout="responsive"></amp-youtube>"#,
                Some("https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
            ),
            (
                r#"<amp-tiktok data-src="6718335390845095173"></amp-tiktok>"#,
                Some("https://www.tiktok.com/embed/v2/6718335390845095173"),
            ),
            (
                r#"<amp-tiktok data-src="https://www.tiktok.com/@u/video/1"></amp-tiktok>"#,
                Some("https://www.tiktok.com/@u/video/1"),
            ),
            (
                r#"<amp-facebook data-href="https://www.facebook.com/p/posts/1" data-embed-as="post"></amp-facebook>"#,
                Some("https://www.facebook.com/p/posts/1"),
            ),
            (
                r#"<amp-twitter data-timeline-source-type="profile" data-timeline-screen-name="amphtml"></amp-twitter>"#,
                Some("https://twitter.com/amphtml"),
            ),
            (
                r#"<amp-instagram data-shortcode="bad code"></amp-instagram>"#,
                None,
            ),
            (
                r#"<amp-img src="https://www.youtube.com/embed/x"></amp-img>"#,
                None,
            ),
        ];
        let base = Url::parse("https://news.example/a").unwrap();
        for (html, want) in cases {
            let doc = Html::parse_fragment(html);
            let el = doc
                .root_element()
                .descendent_elements()
                .find(|e| e.value().name().starts_with("amp-"))
                .unwrap();
            let got = read(el, &base);
            assert_eq!(got.as_ref().map(|c| c.urls[0].as_str()), *want, "{html}");
            if let Some(c) = got {
                assert_eq!(c.evidence, el.value().name());
                let timeline = el.value().attr("data-timeline-screen-name").is_some();
                assert_eq!(c.widget.is_some(), timeline, "{html}");
            }
        }
    }
}
