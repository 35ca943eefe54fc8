//! The official blockquotes platforms hand publishers (Instagram, X, TikTok, Threads, Bluesky,
//! Mastodon, Reddit, Imgur): they hold the post URL (in a data attribute or a link) and a
//! readable fallback of the post, which [`readings`](crate::discover::readings) turns into fields.

use scraper::ElementRef;
use url::Url;

use super::{Candidate, Widget, absolute, has_class};
use crate::discover::readings;
use crate::model::{EmbedKind, Platform};

/// `href`s of the links inside the element, in order, resolved.
fn links<'a>(el: ElementRef<'a>, base: &'a Url) -> impl Iterator<Item = Url> + 'a {
    el.descendent_elements()
        .filter(|e| e.value().name() == "a")
        .filter_map(|a| a.value().attr("href"))
        .filter_map(|href| absolute(base, href))
}

fn attr_url(el: ElementRef<'_>, base: &Url, name: &str) -> Option<Url> {
    el.value().attr(name).and_then(|v| absolute(base, v))
}

fn host_is(url: &Url, domain: &str) -> bool {
    url.host_str().is_some_and(|h| {
        let h = h.trim_end_matches('.');
        h.eq_ignore_ascii_case(domain)
            || (h.len() > domain.len()
                && h[h.len() - domain.len()..].eq_ignore_ascii_case(domain)
                && h.as_bytes()[h.len() - domain.len() - 1] == b'.')
    })
}

fn path_has(url: &Url, parts: &[&str]) -> bool {
    url.path_segments()
        .is_some_and(|mut segs| segs.any(|s| parts.contains(&s)))
}

/// The classes of each blockquote form, with its reader.
const FORMS: &[&str] = &[
    "instagram-media",
    "twitter-tweet",
    "twitter-video",
    "tiktok-embed",
    "text-post-media",
    "bluesky-embed",
    "mastodon-embed",
    "reddit-embed-bq",
    "reddit-card",
    "imgur-embed-pub",
];

pub(super) fn read(el: ElementRef<'_>, base: &Url) -> Option<Candidate> {
    let form = FORMS
        .iter()
        .find(|c| has_class(el, c))
        .copied()
        .or_else(|| {
            // Some CMSs drop the class but keep Instagram's data attribute.
            el.value()
                .attr("data-instgrm-permalink")
                .map(|_| "instagram-media")
        })?;
    let evidence = format!("blockquote.{form}");
    let mut urls: Vec<Url> = Vec::new();
    let mut candidate_reading = readings::Reading::default();
    let mut widget = None;
    match form {
        "instagram-media" => {
            urls.extend(attr_url(el, base, "data-instgrm-permalink"));
            let ig_links: Vec<Url> = links(el, base)
                .filter(|u| host_is(u, "instagram.com") || host_is(u, "instagr.am"))
                .collect();
            urls.extend(
                ig_links
                    .iter()
                    .filter(|u| path_has(u, &["p", "reel", "reels", "tv"]))
                    .cloned(),
            );
            urls.extend(ig_links);
            // A blockquote whose permalink is an account is Instagram's profile embed.
            if urls
                .first()
                .and_then(|u| u.path_segments())
                .is_some_and(|s| s.filter(|s| !s.is_empty()).count() == 1)
            {
                widget = Some(Widget {
                    platform: Platform::Instagram,
                    kind: EmbedKind::Profile,
                    host: "instagram.com",
                });
            }
            candidate_reading = readings::instagram(el);
        }
        "twitter-tweet" | "twitter-video" => {
            // The post URL is the last status link: earlier ones are links inside the text.
            let status: Vec<Url> = links(el, base)
                .filter(|u| path_has(u, &["status", "statuses"]))
                .collect();
            urls.extend(status.into_iter().rev());
            candidate_reading = readings::x_like(el);
            // Quotes pasted without their text still name the account in the permalink.
            if candidate_reading.author_handle.is_none() {
                candidate_reading.author_handle = urls.first().and_then(handle_in_status_url);
            }
        }
        "tiktok-embed" => {
            urls.extend(attr_url(el, base, "cite"));
            urls.extend(links(el, base).filter(|u| path_has(u, &["video", "photo"])));
            if let Some(id) = el.value().attr("data-video-id").map(str::trim)
                && !id.is_empty()
                && id.bytes().all(|b| b.is_ascii_digit())
            {
                urls.extend(Url::parse(&format!("https://www.tiktok.com/embed/v2/{id}")).ok());
            }
            candidate_reading = readings::tiktok(el);
        }
        "text-post-media" => {
            urls.extend(attr_url(el, base, "data-text-post-permalink"));
            urls.extend(links(el, base).filter(|u| path_has(u, &["post", "t"])));
        }
        "bluesky-embed" => {
            let posts: Vec<Url> = links(el, base).filter(|u| path_has(u, &["post"])).collect();
            urls.extend(posts.into_iter().rev());
            if let Some(uri) = el.value().attr("data-bluesky-uri") {
                urls.extend(bluesky_at_uri(uri));
            }
            candidate_reading = readings::x_like(el);
        }
        "mastodon-embed" => {
            if let Some(u) = attr_url(el, base, "data-embed-url") {
                let trimmed = u.as_str().trim_end_matches('/');
                urls.extend(
                    trimmed
                        .strip_suffix("/embed")
                        .and_then(|s| Url::parse(s).ok()),
                );
                urls.push(u);
            }
            urls.extend(links(el, base));
        }
        "reddit-embed-bq" | "reddit-card" => {
            urls.extend(links(el, base).filter(|u| path_has(u, &["comments"])));
            candidate_reading = readings::reddit(el);
        }
        "imgur-embed-pub" => {
            if let Some(id) = el.value().attr("data-id").map(str::trim)
                && !id.is_empty()
            {
                urls.extend(Url::parse(&format!("https://imgur.com/{id}")).ok());
            }
            urls.extend(links(el, base).filter(|u| host_is(u, "imgur.com")));
        }
        _ => {}
    }
    // Threads, TikTok and Mastodon permalinks name the account as `/@USER/…`.
    if candidate_reading.author_handle.is_none()
        && matches!(form, "text-post-media" | "tiktok-embed" | "mastodon-embed")
    {
        candidate_reading.author_handle = urls.first().and_then(handle_in_at_path);
    }
    let mut candidate = Candidate::new(urls, evidence)?;
    candidate.reading = candidate_reading;
    candidate.widget = widget;
    Some(candidate)
}

/// The account in an X permalink `/HANDLE/status/ID` (not the anonymous `/i/status/ID`).
fn handle_in_status_url(url: &Url) -> Option<String> {
    let mut segs = url.path_segments()?;
    let handle = segs.next()?;
    let valid = !handle.is_empty()
        && handle != "i"
        && handle.len() <= 15
        && handle
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
    (valid && matches!(segs.next(), Some("status" | "statuses"))).then(|| handle.to_owned())
}

/// The account in a `/@USER/…` permalink (without a remote `@HOST` part).
fn handle_in_at_path(url: &Url) -> Option<String> {
    let first = url.path_segments()?.next()?;
    let handle = first.strip_prefix('@')?.split('@').next()?;
    (!handle.is_empty()).then(|| handle.to_owned())
}

/// `at://DID/app.bsky.feed.post/RKEY` as the bsky.app post URL.
fn bluesky_at_uri(uri: &str) -> Option<Url> {
    let rest = uri.trim().strip_prefix("at://")?;
    let mut parts = rest.split('/');
    let (did, collection, rkey) = (parts.next()?, parts.next()?, parts.next()?);
    (collection == "app.bsky.feed.post" && !did.is_empty() && !rkey.is_empty())
        .then(|| Url::parse(&format!("https://bsky.app/profile/{did}/post/{rkey}")).ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
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
