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

/// What a blockquote that is no declared form is said to be when its fallback text gives it
/// away (see [`read_fallback`]).
pub(crate) const FALLBACK_EVIDENCE: &str = "blockquote (embed fallback)";

pub(super) fn read(el: ElementRef<'_>, base: &Url) -> Option<Candidate> {
    let Some(quote) = form_of(el) else {
        return read_fallback(el, base);
    };
    let urls = quote_urls(&quote.form, el, base);
    let read = (quote.read)(el, &urls);
    let mut candidate = Candidate::new(urls, format!("blockquote.{}", quote.form.class))?;
    candidate.reading = read.reading;
    candidate.widget = read.widget;
    Some(candidate)
}

/// A blockquote that is no declared form, yet holds an embed's fallback: a sanitiser or a CMS
/// stripped its class (and the script with it), and what is left reads as the platform's
/// remnant ("— Name (@handle) date", "View this post on Instagram … A post shared by …")
/// around a link to the post. It is read as the declared form whose post URLs it holds and
/// whose platform the remnant is of; a quotation that merely links to a post says no such
/// thing and is not read.
fn read_fallback(el: ElementRef<'_>, base: &Url) -> Option<Candidate> {
    let text = el.text().collect::<Vec<_>>().join(" ");
    let remnant = crate::discover::remnant::find_remnants(&text)
        .into_iter()
        .next()?;
    let platform = remnant.platform;
    for quote in &crate::platforms::declared().quotes {
        let urls = quote_urls(&quote.form, el, base);
        let names_post = urls
            .first()
            .and_then(crate::platforms::recognise)
            .is_some_and(|r| r.platform == platform && r.post_id.is_some() && r.kind.is_post());
        if !names_post {
            continue;
        }
        let read = (quote.read)(el, &urls);
        let mut candidate = Candidate::new(urls, FALLBACK_EVIDENCE)?;
        candidate.reading = read.reading;
        candidate.reading.author_name = candidate.reading.author_name.or(remnant.author_name);
        candidate.reading.author_handle = candidate.reading.author_handle.or(remnant.author_handle);
        candidate.post_only = true;
        candidate.platforms = vec![platform];
        return Some(candidate);
    }
    None
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

    #[test]
    fn fallbacks_whose_class_was_stripped() {
        // The embed codes of X and Instagram with their classes and scripts gone, as
        // sanitisers leave them.
        let tweet = r#"<blockquote><p lang="en" dir="ltr">Just setting up my twttr</p>&mdash; jack (@jack) <a href="https://twitter.com/jack/status/20?ref_src=twsrc%5Etfw">March 21, 2006</a></blockquote>"#;
        let c = read_first(tweet).unwrap();
        assert_eq!(c.evidence, FALLBACK_EVIDENCE);
        assert_eq!(
            c.urls[0].as_str(),
            "https://twitter.com/jack/status/20?ref_src=twsrc%5Etfw"
        );
        assert!(c.post_only);
        assert_eq!(c.platforms, [crate::model::Platform::X]);
        assert_eq!(c.reading.author_handle.as_deref(), Some("jack"));
        assert_eq!(c.reading.text.as_deref(), Some("Just setting up my twttr"));
        let instagram = r#"<blockquote style="background:#FFF;"><div><a href="https://www.instagram.com/p/B63DdKjgavx/?utm_source=ig_embed" target="_blank">View this post on Instagram</a><p><a href="https://www.instagram.com/p/B63DdKjgavx/?utm_source=ig_embed">A post shared by NASA (@nasa)</a></p></div></blockquote>"#;
        let c = read_first(instagram).unwrap();
        assert_eq!(c.platforms, [crate::model::Platform::Instagram]);
        assert!(
            c.urls[0]
                .as_str()
                .starts_with("https://www.instagram.com/p/B63DdKjgavx/")
        );
        assert_eq!(c.reading.author_handle.as_deref(), Some("nasa"));
        // Instagram's codes of 2014–2016 (versions 4 to 6) as a feed reader's sanitiser leaves
        // them: "A video posted by @handle on DATE".
        let v6 = r#"<blockquote><p><a href="https://www.instagram.com/p/_K3TQNH-fK/">A video posted by @mattdsteele</a> on <time datetime="2015-12-11T23:20:29+00:00">Dec 11, 2015 at 3:20pm PST</time></p></blockquote>"#;
        let c = read_first(v6).unwrap();
        assert_eq!(c.platforms, [crate::model::Platform::Instagram]);
        assert_eq!(c.reading.author_handle.as_deref(), Some("mattdsteele"));
        // Codes made in Japanese and Korean: the verb after the author, and the header.
        for (html, handle) in [
            (
                r#"<blockquote><a href="https://www.instagram.com/p/CvKCPLnSaac/">Instagramでこの投稿を見る</a><p><a href="https://www.instagram.com/p/CvKCPLnSaac/">田中光【川越/経営/筋肉】(@hikaru__tanaka)がシェアした投稿</a></p></blockquote>"#,
                "hikaru__tanaka",
            ),
            (
                r#"<blockquote><div><a href="https://www.instagram.com/p/CvKCPLnSaac/">Instagram에서 이 게시물 보기</a></div><p><a href="https://www.instagram.com/p/CvKCPLnSaac/">양말대(@socks_univ)님의 공유 게시물</a></p></blockquote>"#,
                "socks_univ",
            ),
        ] {
            let c = read_first(html).unwrap();
            assert_eq!(c.platforms, [crate::model::Platform::Instagram], "{html}");
            assert_eq!(c.reading.author_handle.as_deref(), Some(handle), "{html}");
        }
        // A Spanish footer of an account without a display name.
        let es = r#"<blockquote><p><a href="https://www.instagram.com/p/CvKCPLnSaac/">Una publicación compartida por @acupuntura_terapias</a></p></blockquote>"#;
        let c = read_first(es).unwrap();
        assert_eq!(
            c.reading.author_handle.as_deref(),
            Some("acupuntura_terapias")
        );
        // X's codes made in Japanese, Chinese and Korean date the post their way.
        for date in ["2017年12月26日", "2012년 12월 4일"] {
            let html = format!(
                r#"<blockquote><p>text</p>— 七誌 (@7shi) <a href="https://twitter.com/7shi/status/945522243248930816">{date}</a></blockquote>"#
            );
            let c = read_first(&html).unwrap();
            assert_eq!(c.platforms, [crate::model::Platform::X], "{date}");
        }
        // The same words without the date the codes always gave are prose.
        let prose = r#"<blockquote><p>See <a href="https://www.instagram.com/p/_K3TQNH-fK/">a video posted by @mattdsteele</a>.</p></blockquote>"#;
        assert!(read_first(prose).is_none());
        // TikTok's and Bluesky's embed codes without their classes: their own fallbacks.
        let tiktok = r#"<blockquote cite="https://www.tiktok.com/@scout2015/video/6718335390845095173" data-video-id="6718335390845095173"> <section> <a target="_blank" title="@scout2015" href="https://www.tiktok.com/@scout2015?refer=embed">@scout2015</a> Scramble up ur name &#38; I'll try to guess it <a target="_blank" title="♬ original sound - tiff" href="https://www.tiktok.com/music/original-sound-6689804660171082501?refer=embed">♬ original sound - tiff</a> </section> </blockquote>"#;
        let c = read_first(tiktok).unwrap();
        assert_eq!(c.platforms, [crate::model::Platform::Tiktok]);
        let bluesky = r#"<blockquote><p lang="en">Hello world</p>&mdash; Bluesky (<a href="https://bsky.app/profile/bsky.app?ref_src=embed">@bsky.app</a>) <a href="https://bsky.app/profile/bsky.app/post/3laz6vw5jmc2x?ref_src=embed">November 20, 2024 at 6:00 PM</a></blockquote>"#;
        let c = read_first(bluesky).unwrap();
        assert_eq!(c.platforms, [crate::model::Platform::Bluesky]);
        assert!(c.urls[0].as_str().contains("/post/3laz6vw5jmc2x"));
    }

    #[test]
    fn quotations_are_not_fallbacks() {
        for html in [
            // A pull quote that links to a post says nothing of an embed.
            r#"<blockquote><p>"Just setting up my twttr," he wrote <a href="https://twitter.com/jack/status/20">on Twitter</a>.</p></blockquote>"#,
            // A remnant of one platform around a link to another is no embed of either.
            r#"<blockquote><p>text</p>&mdash; jack (@jack) <a href="https://www.instagram.com/p/B63DdKjgavx/">March 21, 2006</a></blockquote>"#,
            // The remnant without a link to the post.
            r#"<blockquote><p>Just setting up my twttr</p>&mdash; jack (@jack) March 21, 2006</blockquote>"#,
        ] {
            assert!(read_first(html).is_none(), "{html}");
        }
    }
}
