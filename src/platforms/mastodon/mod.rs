//! mastodon: URL recognition, markup, and the resolver over the status API of the post's own
//! server ([`resolve`]).
//!
//! Mastodon runs on thousands of hosts, so this recogniser claims URL *shapes* on any host:
//! `https://HOST/@USER/ID`, `/@USER@OTHERHOST/ID` (a remote post's local copy), `/@USER/ID/embed`,
//! `/users/USER/statuses/ID` and `/web/statuses/ID`, where ID is a decimal status id. It runs
//! after every named platform so that a named host is never taken for a Mastodon instance, and it
//! never claims profiles (`/@USER` alone is too common a shape on the web to mean Mastodon).
//!
//! Pleroma and Akkoma answer the same status API for public posts, with ids that are FlakeIds:
//! 18 base62 characters (their `flake_id` module). Their posts are claimed at `/notice/ID` and,
//! on Akkoma, `/@USER/ID` with such an id; `/notice/` with any other id (a decimal one is
//! Pleroma's pre-2019 form, but also any site's notice board) is left alone. So are Misskey's
//! `/notes/ID` (Misskey has no Mastodon API) and GoToSocial's `/@USER/statuses/ID` (its status
//! API wants a token).
//!
//! The post id is `HOST/ID`: status ids are only unique within one instance.

use url::Url;

use crate::model::{EmbedKind, Platform, Recognised};
use crate::platforms::url_util::{host_within, is_digits, is_token, segments, web_host};

pub mod resolve;
#[cfg(test)]
mod resolver_tests;
pub mod status;

/// Hosts whose `/@name/123` paths are not Mastodon statuses: the named platforms (a shape their
/// own recogniser refused must not fall through to here) and other sites with `@name` paths.
const NOT_MASTODON: &[&str] = &[
    "medium.com",
    "tiktok.com",
    "threads.net",
    "threads.com",
    "youtube.com",
    "instagram.com",
    "twitter.com",
    "x.com",
    "facebook.com",
    "bsky.app",
    "reddit.com",
    "vimeo.com",
    "spotify.com",
    "soundcloud.com",
    "pinterest.com",
    "tumblr.com",
    "imgur.com",
    "giphy.com",
    "twitch.tv",
    "linkedin.com",
    "substack.com",
];

/// Claim Mastodon status URLs on any host.
pub fn recognise(url: &Url) -> Option<Recognised> {
    let host = web_host(url)?;
    if NOT_MASTODON.iter().any(|d| host_within(host, d)) {
        return None;
    }
    let host = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    let segs = segments(url);
    let segs: Vec<&str> = segs.iter().map(|s| s.as_ref()).collect();
    let (id, canonical_url) = match segs.as_slice() {
        // A Pleroma or Akkoma post, and Akkoma's embed page of one.
        ["notice" | "embed", id] if is_flake_id(id) => (*id, format!("https://{host}/notice/{id}")),
        [user, id] | [user, id, "embed"] => {
            (*id, status_url(&host, Some(user.strip_prefix('@')?), id)?)
        }
        ["users", user, "statuses", id] | ["users", user, "statuses", id, "embed"] => {
            (*id, status_url(&host, Some(user), id)?)
        }
        ["web", "statuses", id] => (*id, status_url(&host, None, id)?),
        ["web", user, id] if user.starts_with('@') => {
            (*id, status_url(&host, Some(&user[1..]), id)?)
        }
        _ => return None,
    };
    Some(Recognised {
        platform: Platform::Mastodon,
        kind: EmbedKind::Post,
        post_id: Some(format!("{host}/{id}")),
        canonical_url,
    })
}

/// The canonical address of status `id` of `user` (or of no one named) on `host`; `None` when
/// the id or the account is not one.
fn status_url(host: &str, user: Option<&str>, id: &str) -> Option<String> {
    // Mastodon's status ids are snowflake-like (about 18 digits; very old instances used small
    // integers); Akkoma's are FlakeIds.
    if !is_digits(id, 20) && !is_flake_id(id) {
        return None;
    }
    match user {
        Some(user) => is_account(user).then(|| format!("https://{host}/@{user}/{id}")),
        None => Some(format!("https://{host}/web/statuses/{id}")),
    }
}

/// A Pleroma or Akkoma FlakeId as it appears in a post's address: 18 base62 characters, not
/// all digits (an all-digit id is a Mastodon one, read as such).
fn is_flake_id(s: &str) -> bool {
    s.len() == 18
        && s.bytes().all(|b| b.is_ascii_alphanumeric())
        && !s.bytes().all(|b| b.is_ascii_digit())
}

/// `user` or `user@other.host`: letters, digits and `_`, with an optional domain.
fn is_account(s: &str) -> bool {
    let (user, domain) = match s.split_once('@') {
        Some((u, d)) => (u, Some(d)),
        None => (s, None),
    };
    is_token(user, 1, 64, |c| c.is_ascii_alphanumeric() || c == '_')
        && domain.is_none_or(|d| {
            d.contains('.')
                && is_token(d, 3, 253, |c| {
                    c.is_ascii_alphanumeric() || c == '.' || c == '-'
                })
        })
}

/// What Mastodon's embeds look like in an article: the `mastodon-embed` blockquote, rendered by
/// `/embed.js` of the post's own server.
pub static MARKUP: crate::platforms::markup::Markup = crate::platforms::markup::Markup {
    quotes: &[crate::platforms::markup::Quote {
        form: crate::model::markup::QuoteForm {
            class: "mastodon-embed",
            marker_attr: None,
            post_attrs: &["data-embed-url"],
            urls: quote_urls,
            family: &SCRIPTS,
        },
        read: crate::platforms::markup::handle_from_at_permalink,
    }],
    // Publisher players named for Mastodon that keep the post's address: heise's embetty
    // (`<embetty-mastodon status="https://social.heise.de/@heiseonline/…">`, its README).
    naming: Some(crate::platforms::markup::Naming {
        platform: crate::model::Platform::Mastodon,
        words: &["mastodon"],
        id_attrs: &[],
        word_id_attrs: &[],
        spellings: &[],
        id_url: Some(account_status_url),
        handle: Some(crate::platforms::markup::handle_in_at_path),
    }),
    ..crate::platforms::markup::Markup::NONE
};

/// A status named by its account and number, `NAME@HOST/ID`, as s9e/TextFormatter's frames
/// write it (`s9e.github.io/iframe/2/mastodon.min.html#NAME@HOST/ID`): its address on its server,
/// `https://HOST/@NAME/ID`. A Mastodon number alone names nothing: each server numbers its own.
fn account_status_url(item: &str) -> Option<Url> {
    let (account, id) = item.split_once('/')?;
    let (name, host) = account.split_once('@')?;
    let name_ok = (1..=64).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    let host_ok = host.contains('.')
        && host.len() <= 253
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'));
    let id_ok = (1..=20).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit());
    (name_ok && host_ok && id_ok)
        .then(|| Url::parse(&format!("https://{host}/@{name}/{id}")).ok())
        .flatten()
}

/// Each server serves its own `/embed.js`.
static SCRIPTS: crate::model::markup::ScriptFamily = crate::model::markup::ScriptFamily {
    name: "mastodon",
    scripts: &[],
    on_post_host: Some("/embed.js"),
    widget_classes: &[],
};

/// The post behind the `/embed` address, the address itself, then the links inside.
fn quote_urls(parts: &crate::model::markup::QuoteParts<'_>) -> Vec<Url> {
    let mut urls: Vec<Url> = Vec::new();
    if let Some(u) = parts.attr_url("data-embed-url") {
        let trimmed = u.as_str().trim_end_matches('/');
        urls.extend(
            trimmed
                .strip_suffix("/embed")
                .and_then(|s| Url::parse(s).ok()),
        );
        urls.push(u);
    }
    urls.extend(parts.links.iter().cloned());
    urls
}

/// The Mastodon module of the registry.
#[derive(Debug)]
pub struct Mastodon;

impl crate::platforms::PlatformModule for Mastodon {
    fn platform(&self) -> Platform {
        Platform::Mastodon
    }

    fn recognise(&self, url: &Url) -> Option<Recognised> {
        recognise(url)
    }

    fn markup(&self) -> &'static crate::platforms::markup::Markup {
        &MARKUP
    }

    fn sources(&self) -> &'static [&'static str] {
        &[status::SOURCE]
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
    fn statuses_in_every_form() {
        let cases = [
            (
                "https://mastodon.social/@trwnh/99664077509711321",
                "mastodon.social/99664077509711321",
                "https://mastodon.social/@trwnh/99664077509711321",
            ),
            (
                "https://mastodon.social/@trwnh/99664077509711321/embed",
                "mastodon.social/99664077509711321",
                "https://mastodon.social/@trwnh/99664077509711321",
            ),
            (
                "http://mastodon.social/users/trwnh/statuses/99664077509711321",
                "mastodon.social/99664077509711321",
                "https://mastodon.social/@trwnh/99664077509711321",
            ),
            (
                "https://social.example.org/@someone@mastodon.social/110000000000000001",
                "social.example.org/110000000000000001",
                "https://social.example.org/@someone@mastodon.social/110000000000000001",
            ),
            (
                "https://social.example.org/web/statuses/110000000000000001",
                "social.example.org/110000000000000001",
                "https://social.example.org/web/statuses/110000000000000001",
            ),
            (
                "https://social.example.org/web/@someone/110000000000000001",
                "social.example.org/110000000000000001",
                "https://social.example.org/@someone/110000000000000001",
            ),
            // Akkoma and Pleroma posts (addresses from gallery-dl's live tests of those
            // servers), their ids FlakeIds.
            (
                "https://donotsta.re/@elly/AcoUaA7EH1igiYKmFU",
                "donotsta.re/AcoUaA7EH1igiYKmFU",
                "https://donotsta.re/@elly/AcoUaA7EH1igiYKmFU",
            ),
            (
                "https://udongein.xyz/notice/Asl9hUpShUamlVAZiC",
                "udongein.xyz/Asl9hUpShUamlVAZiC",
                "https://udongein.xyz/notice/Asl9hUpShUamlVAZiC",
            ),
            (
                "https://udongein.xyz/embed/Asl9hUpShUamlVAZiC",
                "udongein.xyz/Asl9hUpShUamlVAZiC",
                "https://udongein.xyz/notice/Asl9hUpShUamlVAZiC",
            ),
        ];
        for (input, id, canonical) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.platform, Platform::Mastodon, "{input}");
            assert_eq!(got.kind, EmbedKind::Post, "{input}");
            assert_eq!(got.post_id.as_deref(), Some(id), "{input}");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(canonical), Some(got), "idempotent: {canonical}");
        }
    }

    #[test]
    fn other_shapes_are_not_claimed() {
        for input in [
            "https://mastodon.social/@trwnh",
            "https://mastodon.social/@trwnh/with_replies",
            "https://mastodon.social/@trwnh/9966407750971132a",
            "https://mastodon.social/api/v1/statuses/1",
            "https://example.com/news/2024",
            "https://example.com/2024/05",
            "https://medium.com/@someone/1234567",
            "https://www.youtube.com/@NASA/12345",
            "https://www.tiktok.com/@someone/12345",
            "https://pleroma.example/notice/AbCdEf123",
            "https://pleroma.example/notice/12345",
            "https://city.example.gov/notice/road-works-2024",
            "https://news.example/notice/ABCDEFGHIJKLMNOPQ-",
            "https://blog.example/@someone/hello-world-again",
            "https://gts.example/@someone/statuses/01HZY7Q0GJ1X4WZ8F2M3N4P5QR",
            "https://misskey.example/notes/9xyz0abcd1ef2gh3",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }
}
