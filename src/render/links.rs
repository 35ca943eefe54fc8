//! Which strings may become a link or an image address in a card, and the links a post's text
//! carries: web addresses, @mentions and #hashtags, each pointed at its platform.
//!
//! The one rule: only an absolute `http`/`https` URL with a host becomes an `href` or `src`,
//! rebuilt by the `url` crate so it is percent-encoded. Everything else (`javascript:`, `data:`,
//! relative paths from a platform) stays text.

use url::Url;

use crate::model::Platform;

/// The longest address a card links to (as `fallback.js` and most servers bound them).
pub const MAX_URL_BYTES: usize = 8 * 1024;

/// An absolute `http`/`https` URL with a host, in its serialised (percent-encoded) form. The
/// server holds every platform URL it hands out in JSON to this same rule.
pub fn web_url(raw: &str) -> Option<Url> {
    // Longer than any address a browser or a CDN takes: a platform's string of that size is no
    // link, and would make a card of its size.
    if raw.len() > MAX_URL_BYTES {
        return None;
    }
    let url = Url::parse(raw.trim()).ok()?;
    let web = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some_and(|h| !h.is_empty())
        && url.username().is_empty()
        && url.password().is_none();
    web.then_some(url)
}

/// Where a card fetches thumbnails from: an absolute `http`/`https` base or a path on the
/// card's own site (`/v1/media/`). `None` for anything else, and for an empty base.
pub(super) fn media_base(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let on_site = raw.starts_with('/') && !raw.starts_with("//") && !raw.contains('\\');
    if on_site {
        // Parsed against a placeholder origin only to percent-encode it the way URLs are.
        let probe = Url::parse("https://card.invalid/").ok()?.join(raw).ok()?;
        let mut path = probe.path().to_owned();
        if !path.ends_with('/') {
            path.push('/');
        }
        return Some(path);
    }
    let mut url = web_url(raw)?;
    url.set_query(None);
    url.set_fragment(None);
    let mut base = url.to_string();
    if !base.ends_with('/') {
        base.push('/');
    }
    Some(base)
}

/// Whether `s` is a lowercase hex sha256 (the name of a stored image).
pub(super) fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// `https://HOST/` followed by the given path segments, each percent-encoded.
fn on_host(host: &str, segments: &[&str]) -> Option<Url> {
    let mut url = Url::parse(&format!("https://{host}/")).ok()?;
    url.path_segments_mut()
        .ok()?
        .pop_if_empty()
        .extend(segments);
    Some(url)
}

/// The page of an account on its platform, from its handle (with or without the `@`).
/// `post_url` supplies the server for Mastodon handles without one.
pub(super) fn profile_url(platform: Platform, handle: &str, post_url: &str) -> Option<Url> {
    let handle = handle.trim().trim_start_matches('@');
    if handle.is_empty() || handle.chars().any(|c| c.is_whitespace() || c == '/') {
        return None;
    }
    match platform {
        Platform::Instagram => {
            let mut url = on_host("www.instagram.com", &[handle])?;
            url.path_segments_mut().ok()?.push("");
            Some(url)
        }
        Platform::X => on_host("x.com", &[handle]),
        Platform::Tiktok => on_host("www.tiktok.com", &[&format!("@{handle}")]),
        Platform::Youtube => on_host("www.youtube.com", &[&format!("@{handle}")]),
        Platform::Threads => on_host("www.threads.net", &[&format!("@{handle}")]),
        Platform::Bluesky => on_host("bsky.app", &["profile", handle]),
        Platform::Mastodon => {
            let (user, host) = match handle.split_once('@') {
                Some((user, host)) => (user, host.to_owned()),
                None => (handle, web_url(post_url)?.host_str()?.to_owned()),
            };
            let valid_host = !host.is_empty()
                && host
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
            if user.is_empty() || !valid_host {
                return None;
            }
            on_host(&host, &[&format!("@{user}")])
        }
        _ => None,
    }
}

/// The page listing a hashtag on the post's platform, for platforms that have one.
fn hashtag_url(platform: Platform, tag: &str, post_url: &str) -> Option<Url> {
    match platform {
        Platform::Instagram => {
            let mut url = on_host("www.instagram.com", &["explore", "tags", tag])?;
            url.path_segments_mut().ok()?.push("");
            Some(url)
        }
        Platform::X => on_host("x.com", &["hashtag", tag]),
        Platform::Tiktok => on_host("www.tiktok.com", &["tag", tag]),
        Platform::Youtube => on_host("www.youtube.com", &["hashtag", &tag.to_lowercase()]),
        Platform::Threads => {
            let mut url = on_host("www.threads.net", &["search"])?;
            url.query_pairs_mut()
                .append_pair("q", tag)
                .append_pair("serp_type", "tags");
            Some(url)
        }
        Platform::Bluesky => on_host("bsky.app", &["hashtag", tag]),
        Platform::Mastodon => on_host(web_url(post_url)?.host_str()?, &["tags", tag]),
        Platform::Facebook => on_host("www.facebook.com", &["hashtag", tag]),
        Platform::Tumblr => on_host("www.tumblr.com", &["tagged", tag]),
        Platform::Linkedin => on_host("www.linkedin.com", &["feed", "hashtag", tag]),
        _ => None,
    }
}

/// A piece of a post's text: plain, or a link with the text it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Segment<'t> {
    Text(&'t str),
    Link { href: String, text: &'t str },
}

/// Longest web address, handle or tag read from a post's text.
const MAX_TOKEN: usize = 2048;

/// Split a post's text into plain text and links: web addresses written in it, and the
/// @mentions and #hashtags of platforms that have pages for them.
pub(super) fn segments<'t>(text: &'t str, platform: Platform, post_url: &str) -> Vec<Segment<'t>> {
    let mut out = Vec::new();
    let mut plain_from = 0;
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let found = if starts_web_address(rest) && boundary_before(text, i, false) {
            web_address(rest).map(|(len, href)| (len, href.to_string()))
        } else if rest.starts_with('@') && boundary_before(text, i, true) {
            mention(rest, platform).and_then(|(len, handle)| {
                profile_url(platform, handle, post_url).map(|u| (len, u.to_string()))
            })
        } else if rest.starts_with('#') && boundary_before(text, i, true) {
            hashtag(rest).and_then(|(len, tag)| {
                hashtag_url(platform, tag, post_url).map(|u| (len, u.to_string()))
            })
        } else {
            None
        };
        match found {
            Some((len, href)) => {
                if plain_from < i {
                    out.push(Segment::Text(&text[plain_from..i]));
                }
                out.push(Segment::Link {
                    href,
                    text: &text[i..i + len],
                });
                i += len;
                plain_from = i;
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    if plain_from < text.len() {
        out.push(Segment::Text(&text[plain_from..]));
    }
    out
}

fn starts_web_address(s: &str) -> bool {
    let head = s.get(..8).unwrap_or(s);
    head.to_ascii_lowercase().starts_with("https://")
        || head.to_ascii_lowercase().starts_with("http://")
}

/// Whether a link may start at byte `i`: at the start, or after a character that cannot be
/// part of a word (so `mail@example.com` and `a#b` stay text).
fn boundary_before(text: &str, i: usize, strict: bool) -> bool {
    match text[..i].chars().next_back() {
        None => true,
        Some(c) if strict => !(c.is_alphanumeric() || matches!(c, '_' | '@' | '#' | '&' | '/')),
        Some(c) => !c.is_alphanumeric(),
    }
}

/// A web address at the start of `s`: its length in bytes and the URL. Trailing punctuation
/// that ends a sentence is left out, as are closing brackets the address did not open.
fn web_address(s: &str) -> Option<(usize, Url)> {
    let end = s
        .char_indices()
        .find(|&(_, c)| {
            c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '`' | '\u{a0}')
        })
        .map_or(s.len(), |(i, _)| i);
    let mut candidate = &s[..end.min(MAX_TOKEN)];
    while let Some(last) = candidate.chars().next_back() {
        let drop = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '…' => true,
            ')' => candidate.matches('(').count() < candidate.matches(')').count(),
            ']' => candidate.matches('[').count() < candidate.matches(']').count(),
            '}' => candidate.matches('{').count() < candidate.matches('}').count(),
            _ => false,
        };
        if !drop {
            break;
        }
        candidate = &candidate[..candidate.len() - last.len_utf8()];
    }
    let url = web_url(candidate)?;
    Some((candidate.len(), url))
}

/// An @mention at the start of `s` (which begins with `@`): its length with the `@`, and the
/// handle, by the platform's rules for handles. `None` on platforms without mention pages, and
/// for a run of handle characters longer than the platform allows.
fn mention(s: &str, platform: Platform) -> Option<(usize, &str)> {
    let body = &s[1..];
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let run = |ok: &dyn Fn(u8) -> bool, from: usize| {
        body.as_bytes()[from..]
            .iter()
            .take(MAX_TOKEN)
            .take_while(|&&b| ok(b))
            .count()
    };
    let dotted = |b: u8| word(b) || b == b'.';
    let domain = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'.';
    let (mut len, max) = match platform {
        Platform::X => (run(&word, 0), 15),
        Platform::Instagram | Platform::Threads => (run(&dotted, 0), 30),
        Platform::Tiktok => (run(&dotted, 0), 24),
        Platform::Youtube => (run(&|b| dotted(b) || b == b'-', 0), 30),
        Platform::Bluesky => (run(&domain, 0), 253),
        Platform::Mastodon => {
            let user = run(&word, 0);
            let host = if user > 0 && body[user..].starts_with('@') {
                run(&domain, user + 1)
            } else {
                0
            };
            (if host > 0 { user + 1 + host } else { user }, MAX_TOKEN)
        }
        _ => return None,
    };
    // A sentence may end right after a handle.
    while len > 0 && matches!(body.as_bytes()[len - 1], b'.' | b'-') {
        len -= 1;
    }
    let handle = &body[..len];
    let valid =
        !handle.is_empty() && len <= max && (platform != Platform::Bluesky || handle.contains('.'));
    valid.then_some((len + 1, handle))
}

/// A #hashtag at the start of `s` (which begins with `#`): its length with the `#`, and the tag.
/// Letters of any script, digits and `_`; all digits is a number, not a tag.
fn hashtag(s: &str) -> Option<(usize, &str)> {
    let body = &s[1..];
    let len = body
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || is_joiner(c)))
        .map_or(body.len(), |(i, _)| i);
    let tag = &body[..len];
    let valid = !tag.is_empty()
        && tag.len() <= MAX_TOKEN
        && !tag.chars().all(|c| c.is_ascii_digit())
        && tag.chars().next().is_some_and(|c| !is_joiner(c));
    valid.then_some((len + 1, tag))
}

/// Combining marks and joiners that are part of a word in many scripts.
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200c}' | '\u{200d}' | '\u{0300}'..='\u{036f}' | '\u{0900}'..='\u{0dff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str, platform: Platform) -> Vec<(String, String)> {
        segments(text, platform, "https://mastodon.example/@a/1")
            .into_iter()
            .filter_map(|s| match s {
                Segment::Link { href, text } => Some((text.to_owned(), href)),
                Segment::Text(_) => None,
            })
            .collect()
    }

    #[test]
    fn only_web_urls_pass() {
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            " javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "file:///etc/passwd",
            "/relative",
            "//evil.example/x",
            "https://user:pw@evil.example/",
            "",
        ] {
            assert!(web_url(bad).is_none(), "{bad}");
        }
        assert_eq!(
            web_url("https://x.com/a b").map(|u| u.to_string()),
            Some("https://x.com/a%20b".into())
        );
    }

    #[test]
    fn media_bases() {
        assert_eq!(media_base("/v1/media/").as_deref(), Some("/v1/media/"));
        assert_eq!(media_base("/v1/media").as_deref(), Some("/v1/media/"));
        assert_eq!(
            media_base("https://embeds.example.com/v1/media/").as_deref(),
            Some("https://embeds.example.com/v1/media/")
        );
        assert_eq!(
            media_base("/a\"><script>").as_deref(),
            Some("/a%22%3E%3Cscript%3E/")
        );
        for bad in [
            "",
            "javascript:alert(1)//",
            "//evil.example/",
            "data:,x",
            "media/",
        ] {
            assert!(media_base(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn web_addresses_in_text() {
        assert_eq!(
            links("see https://example.com/a_(b). Then", Platform::Page),
            vec![(
                "https://example.com/a_(b)".into(),
                "https://example.com/a_(b)".into()
            )]
        );
        assert_eq!(
            links("(at http://t.co/mFn7mcB1vy)", Platform::X),
            vec![(
                "http://t.co/mFn7mcB1vy".into(),
                "http://t.co/mFn7mcB1vy".into()
            )]
        );
        assert!(links("javascript:alert(1) xhttps://a.example", Platform::X).is_empty());
    }

    #[test]
    fn mentions_and_hashtags_per_platform() {
        assert_eq!(
            links("RT @PabloHerreros: #Pepephone!", Platform::X),
            vec![
                (
                    "@PabloHerreros".into(),
                    "https://x.com/PabloHerreros".into()
                ),
                (
                    "#Pepephone".into(),
                    "https://x.com/hashtag/Pepephone".into()
                ),
            ]
        );
        assert_eq!(
            links("Y recuerda, #QuédateEnCasa.", Platform::Tiktok),
            vec![(
                "#QuédateEnCasa".into(),
                "https://www.tiktok.com/tag/Qu%C3%A9dateEnCasa".into()
            )]
        );
        assert_eq!(
            links("with @night.desk. #harbour", Platform::Instagram),
            vec![
                (
                    "@night.desk".into(),
                    "https://www.instagram.com/night.desk/".into()
                ),
                (
                    "#harbour".into(),
                    "https://www.instagram.com/explore/tags/harbour/".into()
                ),
            ]
        );
        assert_eq!(
            links("hi @bob@other.example and @eve", Platform::Mastodon),
            vec![
                (
                    "@bob@other.example".into(),
                    "https://other.example/@bob".into()
                ),
                ("@eve".into(), "https://mastodon.example/@eve".into()),
            ]
        );
        assert_eq!(
            links("@alice.bsky.social said", Platform::Bluesky),
            vec![(
                "@alice.bsky.social".into(),
                "https://bsky.app/profile/alice.bsky.social".into()
            )]
        );
    }

    #[test]
    fn not_mentions_or_hashtags() {
        assert!(links("mail me at a@b.example, issue #123, a#b", Platform::X).is_empty());
        assert!(links("@waytoolongforanxhandle1 x", Platform::X).is_empty());
        assert!(links("@someone #tag", Platform::Vimeo).is_empty());
        assert!(links("&#39; #", Platform::Instagram).is_empty());
    }

    #[test]
    fn segments_cover_the_whole_text() {
        let text = "a @b c #d https://e.example/f g";
        let joined: String = segments(text, Platform::X, "")
            .iter()
            .map(|s| match s {
                Segment::Text(t) => *t,
                Segment::Link { text, .. } => text,
            })
            .collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn profile_urls() {
        let cases = [
            (
                Platform::Instagram,
                "@harbourdesk",
                "https://www.instagram.com/harbourdesk/",
            ),
            (Platform::X, "jack", "https://x.com/jack"),
            (
                Platform::Tiktok,
                "a3noticias",
                "https://www.tiktok.com/@a3noticias",
            ),
            (
                Platform::Youtube,
                "smshdchrb",
                "https://www.youtube.com/@smshdchrb",
            ),
        ];
        for (p, h, want) in cases {
            assert_eq!(
                profile_url(p, h, "").map(|u| u.to_string()).as_deref(),
                Some(want)
            );
        }
        assert!(
            profile_url(Platform::X, "\"><script>", "").is_some_and(|u| !u.as_str().contains('<'))
        );
        assert!(profile_url(Platform::Vimeo, "someone", "").is_none());
        assert!(profile_url(Platform::X, "a b", "").is_none());
    }
}
