//! AMP components: AMP pages name the post by id in a data attribute instead of a URL. Each
//! platform declares its components and turns the id into its plain post URL for the
//! recognisers; `amp-iframe`, AMP's own frame, is read here like any frame address.

use scraper::ElementRef;
use url::Url;

use super::{Candidate, absolute};
use crate::model::markup::looks_like_url;
use crate::platforms::markup::amp_url_candidate;

/// AMP's own generic frame component.
pub(super) const AMP_IFRAME: &str = "amp-iframe";

/// Whether `name` is an AMP component that may embed a post.
pub(crate) fn is_form(name: &str) -> bool {
    name == AMP_IFRAME
        || crate::platforms::declared()
            .amp
            .iter()
            .any(|f| f.marker.text() == name)
}

pub(super) fn read(el: ElementRef<'_>, base: &Url) -> Option<Candidate> {
    if el.value().name() == AMP_IFRAME {
        return amp_url_candidate(el, base, &["data-src", "src"]);
    }
    crate::platforms::declared()
        .amp
        .iter()
        .find(|f| f.marker.marks(el))
        .and_then(|f| (f.read)(el, base).or_else(|| urls_in_attributes(el, base)))
}

/// A component whose id attribute holds a whole post URL instead of an id
/// (`data-shortcode="https://www.instagram.com/p/…"`): the URLs in its attributes.
fn urls_in_attributes(el: ElementRef<'_>, base: &Url) -> Option<Candidate> {
    let urls = el
        .value()
        .attrs()
        .filter(|(_, v)| looks_like_url(v))
        .filter_map(|(_, v)| absolute(base, v))
        .collect();
    Candidate::new(urls, el.value().name())
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
                r#"<amp-instagram data-shortcode="https://www.instagram.com/p/B63DdKjgavx/" width="400"></amp-instagram>"#,
                Some("https://www.instagram.com/p/B63DdKjgavx/"),
            ),
            (
                r#"<amp-youtube data-videoid="//www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></amp-youtube>"#,
                Some("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
            ),
            (
                r#"<amp-img src="https://www.youtube.com/embed/x"></amp-img>"#,
                None,
            ),
            // The players' components, as ampproject/amphtml's validator tests write them.
            (
                r#"<amp-megaphone height=166 data-episode="OSC7749686951" layout="fixed-height"></amp-megaphone>"#,
                Some("https://player.megaphone.fm/OSC7749686951"),
            ),
            (
                r#"<amp-megaphone height=166 data-playlist="DEM6640968282" layout="fixed-height"></amp-megaphone>"#,
                None,
            ),
            (
                r#"<amp-brightcove autoplay data-account="1290862519001" data-video-id="ref:amp-docs-sample" data-player-id="SyIOV8yWM" layout="responsive" width="480" height="270"></amp-brightcove>"#,
                Some(
                    "https://players.brightcove.net/1290862519001/SyIOV8yWM_default/index.html?videoId=ref%3Aamp-docs-sample",
                ),
            ),
            (
                r#"<amp-brightcove data-account="1290862519001" layout="responsive" width="480" height="270"></amp-brightcove>"#,
                None,
            ),
            (
                r#"<amp-jwplayer data-player-id="aBcD1234" data-media-id="5678WxYz" layout="responsive" width="160" height="90"></amp-jwplayer>"#,
                Some("https://content.jwplatform.com/previews/5678WxYz"),
            ),
            (
                r#"<amp-kaltura-player data-uiconf="33502051" data-partner="1281471" data-entryid="1_3ts1ms9c" layout="responsive" width="480" height="270"></amp-kaltura-player>"#,
                Some(
                    "https://cdnapisec.kaltura.com/p/1281471/sp/128147100/embedIframeJs/uiconf_id/33502051/partner_id/1281471?iframeembed=true&entry_id=1_3ts1ms9c",
                ),
            ),
            (
                r#"<amp-kaltura-player data-service-url="front.video.funke.press" data-uiconf="23464665" data-partner="106" data-entryid="0_b87xdluw" layout="responsive" width="480" height="270"></amp-kaltura-player>"#,
                None,
            ),
            (
                r#"<amp-wistia-player data-media-hashed-id="u8p9wq6mq8" width="512" height="360"></amp-wistia-player>"#,
                Some("https://fast.wistia.com/embed/iframe/u8p9wq6mq8"),
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
