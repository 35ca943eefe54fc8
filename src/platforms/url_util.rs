//! URL canonicalisation helpers shared by the platform recognisers: reading a web URL's host,
//! its decoded path segments and query values, and checking id shapes.
//!
//! Only URL questions belong here. Nothing in this module knows about a particular platform, and
//! nothing here may fetch: a recogniser is a pure function of the URL it is given.

use std::borrow::Cow;

use url::Url;

/// The lowercase host of an `http`/`https` URL, without a trailing dot. Any other scheme
/// (`javascript:`, `data:`, `mailto:`, ...) has no host worth recognising.
pub fn web_host(url: &Url) -> Option<&str> {
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    // `Url` already lowercases domain names; a trailing dot is a valid absolute form of the
    // same host and must not defeat host matching.
    url.host_str().map(|h| h.trim_end_matches('.'))
}

/// True when `host` is `domain` itself or one of its subdomains (`m.domain`, `www.domain`).
pub fn host_within(host: &str, domain: &str) -> bool {
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|rest| rest.ends_with('.'))
}

/// True when `host` is `domain` or `www.domain`.
pub fn host_is_or_www(host: &str, domain: &str) -> bool {
    host == domain || host.strip_prefix("www.") == Some(domain)
}

/// The non-empty path segments, percent-decoded. A segment that does not decode to UTF-8 is
/// kept as written: it will simply fail the shape checks.
pub fn segments(url: &Url) -> Vec<Cow<'_, str>> {
    url.path_segments()
        .map(|segs| {
            segs.filter(|s| !s.is_empty())
                .map(|s| {
                    percent_encoding::percent_decode_str(s)
                        .decode_utf8()
                        .unwrap_or(Cow::Borrowed(s))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The first non-empty value of query parameter `key` (decoded).
pub fn query_value(url: &Url, key: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, v)| k == key && !v.trim().is_empty())
        .map(|(_, v)| v.trim().to_owned())
}

/// Parse a URL carried inside another URL (`?href=`, `?url=`). Player URLs sometimes carry
/// protocol-relative or scheme-less inner URLs (`https%3A//api.soundcloud.com/...`,
/// `//www.facebook.com/...`); those are read as https.
pub fn inner_url(value: &str) -> Option<Url> {
    let value = value.trim();
    if let Some(rest) = value.strip_prefix("//") {
        return Url::parse(&format!("https://{rest}")).ok();
    }
    Url::parse(value).ok()
}

/// True when `s` has between `min` and `max` characters (inclusive), all satisfying `ok`.
pub fn is_token(s: &str, min: usize, max: usize, ok: impl Fn(char) -> bool) -> bool {
    let n = s.chars().count();
    (min..=max).contains(&n) && s.chars().all(ok)
}

/// True for a run of 1 to `max` ASCII digits.
pub fn is_digits(s: &str, max: usize) -> bool {
    is_token(s, 1, max, |c| c.is_ascii_digit())
}

/// A numeric id as a path segment holds it, without the punctuation prose or Markdown glued to
/// the address it ended (`…/status/1314065374480986114)` of `[a post](…/status/ID))`, `…/ID,`):
/// no number ends in those, so the id is not in doubt.
pub fn digits_before_prose(segment: &str) -> &str {
    let id = segment.trim_end_matches([
        ')', ']', '}', ',', '.', ';', ':', '!', '?', '\'', '"', '*', '>',
    ]);
    if id.len() < segment.len() && id.bytes().all(|b| b.is_ascii_digit()) {
        id
    } else {
        segment
    }
}

/// True for ASCII letters, digits, `_` and `-`: the base64url alphabet of many post ids, and the
/// alphabet of most slugs and names in paths.
pub fn is_base64url_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_within_matches_subdomains_only_on_label_boundaries() {
        let cases = [
            ("twitter.com", "twitter.com", true),
            ("mobile.twitter.com", "twitter.com", true),
            ("nottwitter.com", "twitter.com", false),
            ("twitter.com.evil.example", "twitter.com", false),
        ];
        for (host, domain, want) in cases {
            assert_eq!(host_within(host, domain), want, "{host} within {domain}");
        }
    }

    #[test]
    fn web_host_rejects_other_schemes_and_trailing_dots() {
        let url = Url::parse("https://WWW.Instagram.com./p/x/").unwrap();
        assert_eq!(web_host(&url), Some("www.instagram.com"));
        let js = Url::parse("javascript://instagram.com/%0aalert(1)").unwrap();
        assert_eq!(web_host(&js), None);
    }

    #[test]
    fn segments_are_decoded_and_skip_empties() {
        let url = Url::parse("https://x.example//a/b%3Ac//").unwrap();
        let segs = segments(&url);
        assert_eq!(segs, vec!["a", "b:c"]);
    }

    #[test]
    fn inner_url_reads_protocol_relative_values() {
        let u = inner_url("//www.facebook.com/x/posts/1").unwrap();
        assert_eq!(u.as_str(), "https://www.facebook.com/x/posts/1");
        assert!(inner_url("not a url").is_none());
    }
}
