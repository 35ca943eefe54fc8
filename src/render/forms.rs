//! The embed forms the rewrite can swap for a card, read the way `discover` reads them so that
//! the same element names the same post: the platforms' official blockquotes (by class, their
//! permalink attribute and links, in `discover`'s order), frames by their address (`src` and
//! the lazy-loading attributes, `data-tweet-id`) and `lite-youtube`/`lite-vimeo` facades. Which
//! URL is which platform's post is the recognisers' call, passed in by the caller.
//!
//! Each blockquote form also names the companion script that turns it into the platform's
//! widget (`embed.js`, `widgets.js`, …): the rewrite drops that script once no embed of its
//! family is left on the page.

use url::Url;

/// A blockquote form: a family of embeds that one script renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Form {
    Instagram,
    X,
    Tiktok,
    Threads,
    Bluesky,
    Mastodon,
    /// `reddit-embed-bq`, rendered by `embed.reddit.com/widgets.js`.
    Reddit,
    /// The older `reddit-card`, rendered by `embed.redditmedia.com/widgets/platform.js`.
    RedditCard,
    Imgur,
}

/// Blockquote classes, in the order `discover` tries them.
const CLASSES: &[(&str, Form)] = &[
    ("instagram-media", Form::Instagram),
    ("twitter-tweet", Form::X),
    ("twitter-video", Form::X),
    ("tiktok-embed", Form::Tiktok),
    ("text-post-media", Form::Threads),
    ("bluesky-embed", Form::Bluesky),
    ("mastodon-embed", Form::Mastodon),
    ("reddit-embed-bq", Form::Reddit),
    ("reddit-card", Form::RedditCard),
    ("imgur-embed-pub", Form::Imgur),
];

/// Anchors that X's `widgets.js` turns into timelines and buttons: never replaced, but while one
/// is on the page the script stays.
const X_WIDGET_CLASSES: &[&str] = &[
    "twitter-timeline",
    "twitter-follow-button",
    "twitter-share-button",
    "twitter-mention-button",
    "twitter-hashtag-button",
    "twitter-moment",
    "twitter-grid",
];

/// Attributes of a blockquote that name its post.
pub(super) const QUOTE_ATTRS: &[&str] = &[
    "data-instgrm-permalink",
    "cite",
    "data-video-id",
    "data-text-post-permalink",
    "data-bluesky-uri",
    "data-embed-url",
    "data-id",
];

/// Attributes that hold a frame's address, the real one first on lazy-loading pages.
pub(super) const FRAME_SRC_ATTRS: &[&str] = &[
    "src",
    "data-src",
    "data-lazy-src",
    "data-litespeed-src",
    "data-rocket-src",
    "data-original",
    "data-url",
];

fn has_class(class_attr: Option<&str>, class: &str) -> bool {
    class_attr.is_some_and(|c| {
        c.split_ascii_whitespace()
            .any(|c| c.eq_ignore_ascii_case(class))
    })
}

/// The form of a blockquote, from its `class` (ASCII case-insensitive) or, failing that,
/// Instagram's permalink attribute (some CMSs drop the class).
pub(super) fn blockquote_form(
    class_attr: Option<&str>,
    has_instgrm_permalink: bool,
) -> Option<Form> {
    CLASSES
        .iter()
        .find(|(class, _)| has_class(class_attr, class))
        .map(|(_, form)| *form)
        .or(has_instgrm_permalink.then_some(Form::Instagram))
}

/// Whether an anchor is one of X's script-rendered widgets.
pub(super) fn is_x_widget(class_attr: Option<&str>) -> bool {
    X_WIDGET_CLASSES.iter().any(|c| has_class(class_attr, c))
}

/// Resolve a raw URL from markup against the page URL, as `discover` does: trimmed, at most
/// 8 KiB, `http`/`https` only. `raw` still carries its character references.
pub(super) fn absolute(base: &Url, raw: &str) -> Option<Url> {
    let decoded = html_escape::decode_html_entities(raw);
    let raw = decoded.trim();
    if raw.is_empty() || raw.len() > 8192 {
        return None;
    }
    let url = base.join(raw).ok()?;
    matches!(url.scheme(), "http" | "https").then_some(url)
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

/// What a blockquote's start tag says about its post, by attribute name (values raw).
pub(super) type QuoteAttrs = Vec<(&'static str, String)>;

fn attr<'a>(attrs: &'a QuoteAttrs, name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.as_str())
}

impl Form {
    /// The URLs naming the blockquote's post, best first: its permalink attributes and the links
    /// inside it (`links`, in document order, resolved), as `discover` orders them.
    pub(super) fn urls(self, attrs: &QuoteAttrs, links: &[Url], base: &Url) -> Vec<Url> {
        let attr_url = |name: &str| attr(attrs, name).and_then(|v| absolute(base, v));
        let mut urls: Vec<Url> = Vec::new();
        match self {
            Form::Instagram => {
                urls.extend(attr_url("data-instgrm-permalink"));
                let ig: Vec<&Url> = links
                    .iter()
                    .filter(|u| host_is(u, "instagram.com") || host_is(u, "instagr.am"))
                    .collect();
                urls.extend(
                    ig.iter()
                        .filter(|u| path_has(u, &["p", "reel", "reels", "tv"]))
                        .map(|u| (*u).clone()),
                );
                urls.extend(ig.into_iter().cloned());
            }
            Form::X => {
                // The post URL is the last status link: earlier ones are links in the text.
                urls.extend(
                    links
                        .iter()
                        .rev()
                        .filter(|u| path_has(u, &["status", "statuses"]))
                        .cloned(),
                );
            }
            Form::Tiktok => {
                urls.extend(attr_url("cite"));
                urls.extend(
                    links
                        .iter()
                        .filter(|u| path_has(u, &["video", "photo"]))
                        .cloned(),
                );
                if let Some(id) = attr(attrs, "data-video-id").map(str::trim)
                    && !id.is_empty()
                    && id.bytes().all(|b| b.is_ascii_digit())
                {
                    urls.extend(Url::parse(&format!("https://www.tiktok.com/embed/v2/{id}")).ok());
                }
            }
            Form::Threads => {
                urls.extend(attr_url("data-text-post-permalink"));
                urls.extend(
                    links
                        .iter()
                        .filter(|u| path_has(u, &["post", "t"]))
                        .cloned(),
                );
            }
            Form::Bluesky => {
                urls.extend(
                    links
                        .iter()
                        .rev()
                        .filter(|u| path_has(u, &["post"]))
                        .cloned(),
                );
                if let Some(uri) = attr(attrs, "data-bluesky-uri") {
                    urls.extend(bluesky_at_uri(&html_escape::decode_html_entities(uri)));
                }
            }
            Form::Mastodon => {
                if let Some(u) = attr_url("data-embed-url") {
                    let trimmed = u.as_str().trim_end_matches('/');
                    urls.extend(
                        trimmed
                            .strip_suffix("/embed")
                            .and_then(|s| Url::parse(s).ok()),
                    );
                    urls.push(u);
                }
                urls.extend(links.iter().cloned());
            }
            Form::Reddit | Form::RedditCard => {
                urls.extend(links.iter().filter(|u| path_has(u, &["comments"])).cloned());
            }
            Form::Imgur => {
                if let Some(id) = attr(attrs, "data-id").map(str::trim)
                    && !id.is_empty()
                {
                    let id = html_escape::decode_html_entities(id);
                    urls.extend(Url::parse(&format!("https://imgur.com/{id}")).ok());
                }
                urls.extend(links.iter().filter(|u| host_is(u, "imgur.com")).cloned());
            }
        }
        urls
    }

    /// The companion scripts of the form, by host and the end of their path. Mastodon's script
    /// lives on each server (`https://HOST/embed.js`): see [`Form::script_on_embed_host`].
    fn scripts(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Form::Instagram => &[
                ("www.instagram.com", "/embed.js"),
                ("instagram.com", "/embed.js"),
                ("platform.instagram.com", "/embeds.js"),
            ],
            Form::X => &[
                ("platform.twitter.com", "/widgets.js"),
                ("platform.x.com", "/widgets.js"),
            ],
            Form::Tiktok => &[
                ("www.tiktok.com", "/embed.js"),
                ("www.tiktok.com", "/embed_v2.js"),
            ],
            Form::Threads => &[
                ("www.threads.net", "/embed.js"),
                ("threads.net", "/embed.js"),
                ("www.threads.com", "/embed.js"),
                ("threads.com", "/embed.js"),
            ],
            Form::Bluesky => &[("embed.bsky.app", "/static/embed.js")],
            Form::Mastodon => &[],
            Form::Reddit => &[("embed.reddit.com", "/widgets.js")],
            Form::RedditCard => &[("embed.redditmedia.com", "/widgets/platform.js")],
            Form::Imgur => &[("s.imgur.com", "/min/embed.js")],
        }
    }

    /// Mastodon's script is `/embed.js` on the server of the embedded post.
    fn script_on_embed_host(self) -> Option<&'static str> {
        (self == Form::Mastodon).then_some("/embed.js")
    }

    const ALL: [Form; 9] = [
        Form::Instagram,
        Form::X,
        Form::Tiktok,
        Form::Threads,
        Form::Bluesky,
        Form::Mastodon,
        Form::Reddit,
        Form::RedditCard,
        Form::Imgur,
    ];
}

/// A family of script-rendered embeds: a form, and for Mastodon the server whose script
/// renders it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Family {
    pub form: Form,
    pub host: Option<String>,
}

impl Family {
    /// The family of a blockquote form whose post URLs are `urls`.
    pub(super) fn of(form: Form, urls: &[Url]) -> Family {
        let host = form
            .script_on_embed_host()
            .and(urls.first())
            .and_then(|u| u.host_str())
            .map(str::to_ascii_lowercase);
        Family { form, host }
    }

    /// The family whose companion script is at `src`, if any: among `hosted`, the families
    /// whose script lives on their embeds' own server.
    pub(super) fn of_script<'f>(
        src: &Url,
        mut hosted: impl Iterator<Item = &'f Family>,
    ) -> Option<Family> {
        let host = src.host_str()?.trim_end_matches('.').to_ascii_lowercase();
        let path = src.path();
        let fixed = Form::ALL.into_iter().find(|f| {
            f.scripts()
                .iter()
                .any(|(h, p)| host == *h && path.ends_with(p))
        });
        if let Some(form) = fixed {
            return Some(Family { form, host: None });
        }
        hosted
            .find(|f| {
                f.form
                    .script_on_embed_host()
                    .is_some_and(|p| path == p && f.host.as_deref() == Some(host.as_str()))
            })
            .cloned()
    }
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

/// The URLs a frame's start tag names, best first (`data-tweet-id`, then its address
/// attributes); `name` is the element's tag name and `attr` reads its raw attributes.
pub(super) fn frame_urls(
    name: &str,
    attr: &dyn Fn(&str) -> Option<String>,
    base: &Url,
) -> Vec<Url> {
    match name {
        "iframe" => {
            if let Some(id) = attr("data-tweet-id")
                && let id = id.trim()
                && !id.is_empty()
                && id.bytes().all(|b| b.is_ascii_digit())
            {
                return Url::parse(&format!("https://twitter.com/i/status/{id}"))
                    .ok()
                    .into_iter()
                    .collect();
            }
            FRAME_SRC_ATTRS
                .iter()
                .filter_map(|a| attr(a))
                .filter_map(|v| absolute(base, &v))
                .collect()
        }
        "lite-youtube" | "lite-vimeo" => {
            let Some(id) = attr("videoid") else {
                return Vec::new();
            };
            let id = id.trim();
            let valid = !id.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            if !valid {
                return Vec::new();
            }
            let url = if name == "lite-youtube" {
                format!("https://www.youtube.com/watch?v={id}")
            } else {
                format!("https://vimeo.com/{id}")
            };
            Url::parse(&url).ok().into_iter().collect()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://news.example/a").expect("base")
    }

    #[test]
    fn forms_by_class_as_discover_orders_them() {
        assert_eq!(
            blockquote_form(Some("instagram-media"), false),
            Some(Form::Instagram)
        );
        assert_eq!(
            blockquote_form(Some("x Twitter-Tweet"), false),
            Some(Form::X)
        );
        assert_eq!(blockquote_form(None, true), Some(Form::Instagram));
        assert_eq!(blockquote_form(Some("quote"), false), None);
        assert_eq!(blockquote_form(Some("twitter-tweetish"), false), None);
    }

    #[test]
    fn post_urls_per_form() {
        let attrs = |pairs: &[(&'static str, &str)]| -> QuoteAttrs {
            pairs.iter().map(|(n, v)| (*n, (*v).to_owned())).collect()
        };
        let links = |urls: &[&str]| -> Vec<Url> {
            urls.iter().filter_map(|u| Url::parse(u).ok()).collect()
        };
        let first = |form: Form, a: QuoteAttrs, l: Vec<Url>| {
            form.urls(&a, &l, &base()).first().map(Url::to_string)
        };
        assert_eq!(
            first(
                Form::Instagram,
                attrs(&[(
                    "data-instgrm-permalink",
                    "https://www.instagram.com/p/ABC/?utm_source=ig_embed&amp;utm_campaign=loading"
                )]),
                vec![]
            )
            .as_deref(),
            Some("https://www.instagram.com/p/ABC/?utm_source=ig_embed&utm_campaign=loading")
        );
        assert_eq!(
            first(
                Form::X,
                vec![],
                links(&[
                    "https://twitter.com/other/status/1",
                    "https://twitter.com/a/status/2"
                ])
            )
            .as_deref(),
            Some("https://twitter.com/a/status/2")
        );
        assert_eq!(
            first(Form::Tiktok, attrs(&[("data-video-id", "77")]), vec![]).as_deref(),
            Some("https://www.tiktok.com/embed/v2/77")
        );
        assert_eq!(
            first(
                Form::Bluesky,
                attrs(&[(
                    "data-bluesky-uri",
                    "at://did:plc:abc/app.bsky.feed.post/3kabc"
                )]),
                vec![]
            )
            .as_deref(),
            Some("https://bsky.app/profile/did:plc:abc/post/3kabc")
        );
        assert_eq!(
            first(
                Form::Mastodon,
                attrs(&[("data-embed-url", "https://m.example/@u/1234/embed")]),
                vec![]
            )
            .as_deref(),
            Some("https://m.example/@u/1234")
        );
        assert_eq!(
            first(Form::Imgur, attrs(&[("data-id", "a/Xy12")]), vec![]).as_deref(),
            Some("https://imgur.com/a/Xy12")
        );
        assert_eq!(
            first(Form::X, vec![], links(&["https://twitter.com/a"])),
            None
        );
    }

    #[test]
    fn companion_scripts() {
        let src = |s: &str| absolute(&base(), s).expect("script URL");
        let none: Vec<Family> = Vec::new();
        for (s, form) in [
            ("//www.instagram.com/embed.js", Form::Instagram),
            ("//platform.instagram.com/en_US/embeds.js", Form::Instagram),
            ("https://platform.twitter.com/widgets.js", Form::X),
            ("https://www.tiktok.com/embed.js", Form::Tiktok),
            ("https://embed.bsky.app/static/embed.js", Form::Bluesky),
            ("//s.imgur.com/min/embed.js", Form::Imgur),
        ] {
            assert_eq!(
                Family::of_script(&src(s), none.iter()).map(|f| f.form),
                Some(form),
                "{s}"
            );
        }
        assert_eq!(
            Family::of_script(&src("https://cdn.example/embed.js"), none.iter()),
            None
        );
        let masto = Family::of(
            Form::Mastodon,
            &[Url::parse("https://m.example/@u/1").expect("url")],
        );
        let hosted = [masto.clone()];
        assert_eq!(
            Family::of_script(&src("https://m.example/embed.js"), hosted.iter()),
            Some(masto)
        );
        assert_eq!(
            Family::of_script(&src("https://other.example/embed.js"), hosted.iter()),
            None
        );
    }

    #[test]
    fn frames() {
        let attrs = |pairs: Vec<(&'static str, &'static str)>| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let urls = frame_urls(
            "iframe",
            &attrs(vec![
                ("src", "about:blank"),
                ("data-src", "//player.vimeo.com/video/1"),
            ]),
            &base(),
        );
        assert_eq!(
            urls.iter().map(Url::as_str).collect::<Vec<_>>(),
            ["https://player.vimeo.com/video/1"]
        );
        let urls = frame_urls(
            "iframe",
            &attrs(vec![
                ("src", "https://platform.twitter.com/embed/Tweet.html?id=9"),
                ("data-tweet-id", "123"),
            ]),
            &base(),
        );
        assert_eq!(urls[0].as_str(), "https://twitter.com/i/status/123");
        let urls = frame_urls(
            "lite-youtube",
            &attrs(vec![("videoid", "dQw4w9WgXcQ")]),
            &base(),
        );
        assert_eq!(
            urls[0].as_str(),
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
        );
        assert!(frame_urls("lite-youtube", &attrs(vec![("videoid", "\"><x")]), &base()).is_empty());
    }
}
