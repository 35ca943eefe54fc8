//! The official blockquotes platforms hand publishers: they hold the post URL (in a data
//! attribute or a link) and a readable fallback of the post. Which classes and attributes make
//! a blockquote an embed, how its post URLs are read and what its fallback says are each
//! platform's declarations (`platforms::markup`); this module only applies them.

use scraper::ElementRef;
use url::Url;

use super::Candidate;
use crate::platforms::markup::{Quote, has_class, quote_urls};

/// The declared blockquote form the element is, by class (in registry order) or, failing that,
/// by a marker attribute (some CMSs drop the class but keep the attribute).
fn form_of(el: ElementRef<'_>) -> Option<&'static Quote> {
    let quotes = &crate::platforms::declared().quotes;
    quotes
        .iter()
        .find(|q| has_class(el, q.form.class))
        .or_else(|| {
            quotes.iter().find(|q| {
                q.form
                    .marker_attr
                    .is_some_and(|a| el.value().attr(a).is_some())
            })
        })
        .copied()
}

pub(super) fn read(el: ElementRef<'_>, base: &Url) -> Option<Candidate> {
    let quote = form_of(el)?;
    let urls = quote_urls(&quote.form, el, base);
    let read = (quote.read)(el, &urls);
    let mut candidate = Candidate::new(urls, format!("blockquote.{}", quote.form.class))?;
    candidate.reading = read.reading;
    candidate.widget = read.widget;
    Some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EmbedKind;
    use scraper::{Html, Selector};

    fn read_first(html: &str) -> Option<Candidate> {
        let doc = Html::parse_fragment(html);
        let sel = Selector::parse("blockquote").unwrap();
        let el = doc.select(&sel).next().unwrap();
        read(el, &Url::parse("https://news.example/a").unwrap())
    }

    #[test]
    fn post_urls_per_form() {
        let cases: &[(&str, &str, &str)] = &[
            (
                r#"<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/ABC/?utm_source=ig_embed&amp;utm_campaign=loading"></blockquote>"#,
                "blockquote.instagram-media",
                "https://www.instagram.com/p/ABC/?utm_source=ig_embed&utm_campaign=loading",
            ),
            (
                r#"<blockquote class="instagram-media"><a href="//instagram.com/p/OLD7/">A photo posted by x</a></blockquote>"#,
                "blockquote.instagram-media",
                "https://instagram.com/p/OLD7/",
            ),
            (
                r#"<blockquote class="twitter-tweet"><p><a href="https://twitter.com/other/status/1">quoted</a></p>&mdash; A (@a) <a href="https://twitter.com/a/status/2">May 1, 2020</a></blockquote>"#,
                "blockquote.twitter-tweet",
                "https://twitter.com/a/status/2",
            ),
            (
                r#"<blockquote class="twitter-video" data-lang="en"><p>v</p><a href="https://x.com/a/status/3">May 1, 2020</a></blockquote>"#,
                "blockquote.twitter-video",
                "https://x.com/a/status/3",
            ),
            (
                r#"<blockquote class="tiktok-embed" cite="https://www.tiktok.com/@u/video/77" data-video-id="77"></blockquote>"#,
                "blockquote.tiktok-embed",
                "https://www.tiktok.com/@u/video/77",
            ),
            (
                r#"<blockquote class="text-post-media" data-text-post-permalink="https://www.threads.net/@u/post/C1"></blockquote>"#,
                "blockquote.text-post-media",
                "https://www.threads.net/@u/post/C1",
            ),
            (
                r#"<blockquote class="bluesky-embed" data-bluesky-uri="at://did:plc:abc/app.bsky.feed.post/3kabc"><p>t</p></blockquote>"#,
                "blockquote.bluesky-embed",
                "https://bsky.app/profile/did:plc:abc/post/3kabc",
            ),
            (
                r#"<blockquote class="mastodon-embed" data-embed-url="https://m.example/@u/1234/embed"><a href="https://m.example/@u/1234">Post</a></blockquote>"#,
                "blockquote.mastodon-embed",
                "https://m.example/@u/1234",
            ),
            (
                r#"<blockquote class="reddit-embed-bq"><a href="https://www.reddit.com/r/s/comments/abc/t/">T</a><br> by <a href="https://www.reddit.com/user/n/">u/n</a></blockquote>"#,
                "blockquote.reddit-embed-bq",
                "https://www.reddit.com/r/s/comments/abc/t/",
            ),
            (
                r#"<blockquote class="reddit-card"><a href="https://www.reddit.com/r/s/comments/xyz/t/?ref=share">T</a> from <a href="https://www.reddit.com/r/s/">s</a></blockquote>"#,
                "blockquote.reddit-card",
                "https://www.reddit.com/r/s/comments/xyz/t/?ref=share",
            ),
            (
                r#"<blockquote class="imgur-embed-pub" lang="en" data-id="a/Xy12"><a href="https://imgur.com/a/Xy12">T</a></blockquote>"#,
                "blockquote.imgur-embed-pub",
                "https://imgur.com/a/Xy12",
            ),
        ];
        for (html, evidence, url) in cases {
            let c = read_first(html).unwrap_or_else(|| panic!("no candidate: {html}"));
            assert_eq!(c.evidence, *evidence, "{html}");
            assert_eq!(c.urls[0].as_str(), *url, "{html}");
        }
    }

    #[test]
    fn x_handle_from_permalink_when_text_is_missing() {
        let cases = [
            (
                r#"<blockquote class="twitter-tweet" lang="de"><a href="https://twitter.com/DOSB/status/1489540934710743047"></a></blockquote>"#,
                Some("DOSB"),
            ),
            (
                r#"<blockquote class="twitter-tweet"><a href="https://twitter.com/i/status/1"></a></blockquote>"#,
                None,
            ),
        ];
        for (html, want) in cases {
            let c = read_first(html).unwrap();
            assert_eq!(c.reading.author_handle.as_deref(), want, "{html}");
        }
    }

    #[test]
    fn handles_from_at_permalinks() {
        let cases = [
            (
                r#"<blockquote class="text-post-media" data-text-post-permalink="https://www.threads.net/@zuck/post/C1"></blockquote>"#,
                Some("zuck"),
            ),
            (
                r#"<blockquote class="tiktok-embed" cite="https://www.tiktok.com/@scout2015/video/67"></blockquote>"#,
                Some("scout2015"),
            ),
            (
                r#"<blockquote class="mastodon-embed" data-embed-url="https://m.example/@u@other.example/12/embed"></blockquote>"#,
                Some("u"),
            ),
            (
                r#"<blockquote class="tiktok-embed" data-video-id="67"></blockquote>"#,
                None,
            ),
        ];
        for (html, want) in cases {
            let c = read_first(html).unwrap();
            assert_eq!(c.reading.author_handle.as_deref(), want, "{html}");
        }
    }

    #[test]
    fn plain_quotes_are_not_embeds() {
        assert!(read_first("<blockquote><p>Someone said</p></blockquote>").is_none());
        assert!(
            read_first(r#"<blockquote class="twitter-tweet"><p>no link</p></blockquote>"#)
                .is_none()
        );
    }

    #[test]
    fn instagram_profile_embed_is_a_widget() {
        let c = read_first(
            r#"<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/natgeo/?utm_source=ig_embed"></blockquote>"#,
        )
        .unwrap();
        assert_eq!(c.widget.map(|w| w.kind), Some(EmbedKind::Profile));
    }
}
