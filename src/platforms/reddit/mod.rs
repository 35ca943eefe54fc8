//! reddit: URL recognition, markup, and the resolver over the submission `.json` and oEmbed
//! ([`resolve`]).
//!
//! Claims submissions and comments on every reddit host (`www`, `old`, `new`, `np`, `m`,
//! `amp`), the embed hosts (`embed.reddit.com`, `redditmedia.com`), `redd.it/ID` short links
//! (which carry the submission id themselves), and subreddits and users as profiles. It must
//! never claim share links (`/r/SUB/s/CODE`, whose code is not an id), media hosts
//! (`i.redd.it`, `preview.redd.it`), login or submit pages.

use scraper::ElementRef;
use url::Url;

use crate::platforms::markup::reading::{Reading, collapse, descendants, element_text};

use crate::model::{EmbedKind, Platform, Recognised};
use crate::platforms::url_util::{host_is_or_www, is_base64url_char, is_token, segments, web_host};

pub mod listing;
pub mod oembed;
pub mod resolve;
#[cfg(test)]
mod resolver_tests;

/// Claim reddit submission, comment, subreddit and user URLs.
///
/// The post id is the submission's base36 id; a comment embed's id is `ID/COMMENTID`. Canonical
/// URLs drop the title slug (it can change and is not needed): `https://www.reddit.com/r/SUB/comments/ID/`
/// and `.../comments/ID/comment/COMMENTID/`.
pub fn recognise(url: &Url) -> Option<Recognised> {
    let host = web_host(url)?;
    let segs = segments(url);
    let segs: Vec<&str> = segs.iter().map(|s| s.as_ref()).collect();
    if host_is_or_www(host, "redd.it") {
        return match segs.as_slice() {
            [id] => submission(None, id, None),
            _ => None,
        };
    }
    if !is_site_host(host) {
        return None;
    }
    match segs.as_slice() {
        ["r", sub, "comments", id, rest @ ..] => {
            let sub = is_name(sub).then_some(format!("r/{sub}"))?;
            submission(Some(&sub), id, comment_id(rest))
        }
        ["user" | "u", user, "comments", id, rest @ ..] => {
            let owner = is_name(user).then_some(format!("user/{user}"))?;
            submission(Some(&owner), id, comment_id(rest))
        }
        ["comments", id, rest @ ..] => submission(None, id, comment_id(rest)),
        ["r", sub] if is_name(sub) => Some(profile(format!("r/{sub}"))),
        ["user" | "u", user] if is_name(user) => Some(profile(format!("user/{user}"))),
        _ => None,
    }
}

fn is_site_host(host: &str) -> bool {
    host_is_or_www(host, "reddit.com")
        || host_is_or_www(host, "redditmedia.com")
        || matches!(
            host,
            "old.reddit.com"
                | "new.reddit.com"
                | "np.reddit.com"
                | "m.reddit.com"
                | "i.reddit.com"
                | "amp.reddit.com"
                | "embed.reddit.com"
                | "sh.reddit.com"
        )
}

/// The comment id after the slug: `[slug, CID]` or `[comment, CID]`.
fn comment_id<'a>(rest: &[&'a str]) -> Option<&'a str> {
    match rest {
        [_, cid, ..] if is_base36(cid) => Some(cid),
        _ => None,
    }
}

fn submission(owner: Option<&str>, id: &str, comment: Option<&str>) -> Option<Recognised> {
    if !is_base36(id) {
        return None;
    }
    let id = id.to_ascii_lowercase();
    let base = match owner {
        Some(owner) => format!("https://www.reddit.com/{owner}/comments/{id}/"),
        None => format!("https://www.reddit.com/comments/{id}/"),
    };
    let (post_id, canonical_url) = match comment {
        Some(cid) => {
            let cid = cid.to_ascii_lowercase();
            (format!("{id}/{cid}"), format!("{base}comment/{cid}/"))
        }
        None => (id, base),
    };
    Some(Recognised {
        platform: Platform::Reddit,
        kind: EmbedKind::Post,
        post_id: Some(post_id),
        canonical_url,
    })
}

fn profile(path: String) -> Recognised {
    Recognised {
        platform: Platform::Reddit,
        kind: EmbedKind::Profile,
        post_id: None,
        canonical_url: format!("https://www.reddit.com/{path}/"),
    }
}

fn is_base36(s: &str) -> bool {
    is_token(s, 1, 13, |c| c.is_ascii_alphanumeric())
}

/// Subreddit and user names: letters, digits, `_` and `-`.
fn is_name(s: &str) -> bool {
    is_token(s, 2, 30, is_base64url_char)
}

/// What Reddit's embeds look like in an article: the `reddit-embed-bq` blockquote, the older
/// `reddit-card`, the comment embed of 2016–2020 (`div.reddit-embed`), and `amp-reddit`.
pub static MARKUP: crate::platforms::markup::Markup = crate::platforms::markup::Markup {
    quotes: &[
        crate::platforms::markup::Quote {
            form: crate::model::markup::QuoteForm {
                class: "reddit-embed-bq",
                marker_attr: None,
                post_attrs: &[],
                urls: quote_urls,
                family: &SCRIPTS,
            },
            read: read_quote,
        },
        crate::platforms::markup::Quote {
            form: crate::model::markup::QuoteForm {
                class: "reddit-card",
                marker_attr: None,
                post_attrs: &[],
                urls: quote_urls,
                family: &CARD_SCRIPTS,
            },
            read: read_quote,
        },
    ],
    amp: &[crate::platforms::markup::ElementForm {
        marker: crate::platforms::markup::Marker::Tag("amp-reddit"),
        read: read_amp,
    }],
    containers: &[crate::platforms::markup::ElementForm {
        marker: crate::platforms::markup::Marker::Class("reddit-embed"),
        read: read_comment_embed,
    }],
    naming: Some(crate::platforms::markup::Naming::words(
        crate::model::Platform::Reddit,
        &["reddit"],
    )),
    ..crate::platforms::markup::Markup::NONE
};

/// The script of `reddit-embed-bq`.
static SCRIPTS: crate::model::markup::ScriptFamily = crate::model::markup::ScriptFamily {
    name: "reddit",
    scripts: &[("embed.reddit.com", "/widgets.js")],
    on_post_host: None,
    widget_classes: &[],
};

/// The script of the older `reddit-card`.
static CARD_SCRIPTS: crate::model::markup::ScriptFamily = crate::model::markup::ScriptFamily {
    name: "reddit-card",
    scripts: &[("embed.redditmedia.com", "/widgets/platform.js")],
    on_post_host: None,
    widget_classes: &[],
};

/// The comment-page links inside.
fn quote_urls(parts: &crate::model::markup::QuoteParts<'_>) -> Vec<Url> {
    parts
        .links
        .iter()
        .filter(|u| crate::model::markup::path_has(u, &["comments"]))
        .cloned()
        .collect()
}

fn read_quote(
    el: scraper::ElementRef<'_>,
    _urls: &[Url],
) -> crate::platforms::markup::QuoteReading {
    crate::platforms::markup::QuoteReading {
        reading: quote_reading(el),
        widget: None,
    }
}

/// Reddit's comment embed code of 2016–2020 (drawn by `redditstatic.com/comment-embed.js`):
/// `div.reddit-embed` holding the comment's link, then its discussion's. The comment is the
/// post; the discussion's link only says where it stands.
fn read_comment_embed(
    el: scraper::ElementRef<'_>,
    base: &Url,
) -> Option<crate::platforms::markup::Candidate> {
    let urls: Vec<Url> = crate::platforms::markup::links(el, base)
        .into_iter()
        .filter(|u| crate::model::markup::path_has(u, &["comments"]))
        .collect();
    crate::platforms::markup::Candidate::new(urls, format!("{}.reddit-embed", el.value().name()))
}

fn read_amp(
    el: scraper::ElementRef<'_>,
    base: &Url,
) -> Option<crate::platforms::markup::Candidate> {
    crate::platforms::markup::amp_url_candidate(el, base, &["data-src", "src"])
}

/// Reddit blockquote: the post title link, "by <a href=/user/NAME/>u/NAME</a>".
pub fn quote_reading(el: ElementRef<'_>) -> Reading {
    let links: Vec<ElementRef<'_>> = descendants(el, "a").collect();
    let title = links
        .iter()
        .find(|a| {
            a.value()
                .attr("href")
                .is_some_and(|h| h.contains("/comments/"))
        })
        .and_then(|a| collapse(&element_text(*a)));
    let author = links
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .find_map(|h| {
            let rest = &h[h.find("/user/")? + "/user/".len()..];
            let name = rest.split(['/', '?', '#']).next()?;
            (!name.is_empty()).then(|| name.to_owned())
        });
    Reading {
        author_handle: author,
        text: title,
        ..Reading::default()
    }
}

/// The Reddit module of the registry.
#[derive(Debug)]
pub struct Reddit;

impl crate::platforms::PlatformModule for Reddit {
    fn platform(&self) -> Platform {
        Platform::Reddit
    }

    fn recognise(&self, url: &Url) -> Option<Recognised> {
        recognise(url)
    }

    fn markup(&self) -> &'static crate::platforms::markup::Markup {
        &MARKUP
    }

    fn sources(&self) -> &'static [&'static str] {
        &[listing::SOURCE, oembed::SOURCE]
    }

    fn resolve<'a>(
        &'a self,
        ctx: &'a crate::platforms::ResolveContext<'a>,
        embed: &'a crate::model::EmbedRef,
    ) -> std::pin::Pin<Box<dyn Future<Output = crate::model::Resolution> + Send + 'a>> {
        Box::pin(resolve::resolve(ctx, embed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(u: &str) -> Option<Recognised> {
        recognise(&Url::parse(u).unwrap())
    }

    #[test]
    fn submissions_and_comments_in_every_form() {
        let canonical = "https://www.reddit.com/r/investing/comments/7pfpeq/";
        let cases = [
            (
                "https://www.reddit.com/r/investing/comments/7pfpeq/buffett_on_cyrptocurrencies_i_can_say_almost_with/",
                "7pfpeq",
                canonical,
            ),
            (
                "https://www.reddit.com/r/investing/comments/7pfpeq/buffett_on_cyrptocurrencies_i_can_say_almost_with/?rdt=46144",
                "7pfpeq",
                canonical,
            ),
            (
                "https://old.reddit.com/r/investing/comments/7pfpeq/",
                "7pfpeq",
                canonical,
            ),
            (
                "https://www.redditmedia.com/r/investing/comments/7pfpeq/slug/?ref_source=embed&ref=share&embed=true",
                "7pfpeq",
                canonical,
            ),
            (
                "https://embed.reddit.com/r/investing/comments/7pfpeq/slug/?embed=true",
                "7pfpeq",
                canonical,
            ),
            (
                "https://www.reddit.com/comments/1abcdef",
                "1abcdef",
                "https://www.reddit.com/comments/1abcdef/",
            ),
            (
                "https://redd.it/7pfpeq",
                "7pfpeq",
                "https://www.reddit.com/comments/7pfpeq/",
            ),
            (
                "https://www.reddit.com/user/spez/comments/abc123/my_post/",
                "abc123",
                "https://www.reddit.com/user/spez/comments/abc123/",
            ),
            (
                "https://www.reddit.com/r/investing/comments/7pfpeq/slug/dsh3xyz/?context=3",
                "7pfpeq/dsh3xyz",
                "https://www.reddit.com/r/investing/comments/7pfpeq/comment/dsh3xyz/",
            ),
        ];
        for (input, id, canonical) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.platform, Platform::Reddit, "{input}");
            assert_eq!(got.kind, EmbedKind::Post, "{input}");
            assert_eq!(got.post_id.as_deref(), Some(id), "{input}");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(canonical), Some(got), "idempotent: {canonical}");
        }
    }

    #[test]
    fn communities_are_profiles_and_share_links_are_not_claimed() {
        let sub = rec("https://www.reddit.com/r/investing/").unwrap();
        assert_eq!(sub.kind, EmbedKind::Profile);
        assert_eq!(sub.post_id, None);
        for input in [
            "https://www.reddit.com/r/investing/s/AbCdEf123",
            "https://www.reddit.com/",
            "https://www.reddit.com/login/",
            "https://www.reddit.com/submit?url=https%3A%2F%2Fexample.com",
            "https://i.redd.it/abc123.jpg",
            "https://external-preview.redd.it/0e1ORiHMjPTnSvzC.jpg",
            "https://embed.reddit.com/widgets.js",
            "https://www.reddit.com/r/investing/comments/not_base36!/",
            "https://notreddit.com/r/investing/comments/7pfpeq/",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }

    fn first<'a>(html: &'a scraper::Html, sel: &str) -> scraper::ElementRef<'a> {
        let sel = scraper::Selector::parse(sel).unwrap();
        html.select(&sel).next().unwrap()
    }

    #[test]
    fn reddit_blockquote() {
        let html = scraper::Html::parse_fragment(
            r#"<blockquote class="reddit-embed-bq"><a href="https://www.reddit.com/r/s/comments/abc/t/">A  title</a><br> by <a href="https://www.reddit.com/user/someone/">u/someone</a> in <a href="https://www.reddit.com/r/s/">s</a></blockquote>"#,
        );
        let r = quote_reading(first(&html, "blockquote"));
        assert_eq!(r.text.as_deref(), Some("A title"));
        assert_eq!(r.author_handle.as_deref(), Some("someone"));
    }
}
