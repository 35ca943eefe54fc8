//! How a URL that a person typed (a command-line argument) or a client sent (a `url=` query
//! parameter) is read. People copy addresses without their scheme (`x.com/jack/status/20`,
//! `www.instagram.com/p/ABC/`), so one that starts with a host name is read as https; anything
//! else must be an http(s) URL with a host. The command line and the server both read URLs
//! here, so a URL one of them finds the other finds too.

use std::fmt;

use url::Url;

/// Why a text is not an http(s) URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypedUrlError {
    /// Nothing but white space.
    Empty,
    /// A scheme other than http or https (`ftp:`, `mailto:`, `javascript:`, `file:`).
    NotHttp { scheme: String },
    /// No scheme, and it does not start with a host name either (`nonsense`, `/p/ABC`).
    NotAUrl,
    /// `url` parses but names no host.
    NoHost { url: String },
    /// `url` (with `https://` in front when the text had no scheme) does not parse.
    Invalid {
        url: String,
        reason: url::ParseError,
    },
}

impl fmt::Display for TypedUrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypedUrlError::Empty => f.write_str("an empty text is not a URL"),
            TypedUrlError::NotHttp { scheme } => {
                write!(f, "only http and https URLs are read, not {scheme}:")
            }
            TypedUrlError::NotAUrl => {
                f.write_str("not a URL: it has no scheme and does not start with a host name")
            }
            TypedUrlError::NoHost { url } => write!(f, "{url}: the URL has no host"),
            TypedUrlError::Invalid { url, reason } => {
                write!(f, "{url:?} is not a valid URL: {reason}")
            }
        }
    }
}

impl std::error::Error for TypedUrlError {}

/// `text` as an http(s) URL: trimmed, as given when it has an http(s) scheme, with `https://`
/// in front when it starts with a host name (see [`looks_like_host`]). The URL is returned as
/// written, not normalised: an article is archived under the URL it was given, so a lookup must
/// not rewrite it (post lookups canonicalise on their own).
pub fn read_http_url(text: &str) -> Result<String, TypedUrlError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(TypedUrlError::Empty);
    }
    if let Some(scheme) = scheme_of(text) {
        if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
            return Err(TypedUrlError::NotHttp {
                scheme: scheme.to_owned(),
            });
        }
        return parsed_with_host(text.to_owned());
    }
    if looks_like_host(text) {
        return parsed_with_host(format!("https://{text}"));
    }
    Err(TypedUrlError::NotAUrl)
}

/// `url` when it parses with a host.
fn parsed_with_host(url: String) -> Result<String, TypedUrlError> {
    match Url::parse(&url) {
        Ok(parsed) if parsed.host_str().is_some_and(|h| !h.is_empty()) => Ok(url),
        Ok(_) => Err(TypedUrlError::NoHost { url }),
        Err(reason) => Err(TypedUrlError::Invalid { url, reason }),
    }
}

/// `text` trimmed, with `https://` in front when it has no scheme and starts with a host name;
/// otherwise as given, for a caller that checks the result itself.
pub fn with_default_scheme(text: &str) -> String {
    let text = text.trim();
    if scheme_of(text).is_none() && looks_like_host(text) {
        format!("https://{text}")
    } else {
        text.to_owned()
    }
}

/// Query parameters that only say where a reader came from: a feed may change them at every
/// build, and they never change the page.
fn is_tracking_parameter(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("utm_") || name == "fbclid" || name == "gclid"
}

/// `url` without its user name and password, when it carries any (`None` when it carries
/// none): how a URL refused for carrying them is named, without repeating them. An article's
/// URL is its key, stored and listed as it is, so no article URL may carry them.
pub fn without_credentials(url: &Url) -> Option<Url> {
    if url.username().is_empty() && url.password().is_none() {
        return None;
    }
    let mut shown = url.clone();
    // Clearing them cannot fail on a URL with a host, which is the only kind that has them.
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    Some(shown)
}

/// The URL an article is archived, queued and looked up under: without its fragment and its
/// tracking parameters (the other parameters are kept, byte for byte and in their order), so
/// that the same page given by a feed, an editor or a CMS with `?utm_source=…` is one article.
pub fn without_tracking(mut url: Url) -> Url {
    url.set_fragment(None);
    if let Some(query) = url.query() {
        // Segment by segment, so that what is kept stays byte for byte as the source wrote it.
        let kept: Vec<&str> = query
            .split('&')
            .filter(|segment| {
                let name = segment.split('=').next().unwrap_or_default();
                !segment.is_empty()
                    && !is_tracking_parameter(
                        &percent_encoding::percent_decode_str(name).decode_utf8_lossy(),
                    )
            })
            .collect();
        let kept = kept.join("&");
        if kept != query {
            url.set_query((!kept.is_empty()).then_some(kept.as_str()));
        }
    }
    url
}

/// [`without_tracking`] of a URL given as text, in the URL parser's form (host lowercased,
/// default port dropped, dot segments resolved, spaces and non-ASCII percent-encoded), as the
/// daemon queues it: one page typed two ways is one article. Text that does not parse is left as
/// it is (fetching it will say what is wrong with it).
pub fn article_key(text: &str) -> String {
    match Url::parse(text) {
        Ok(url) => without_tracking(url).to_string(),
        Err(_) => text.to_owned(),
    }
}

/// `url` without its `#fragment`, which names a place in a page (`#comments`), never another
/// page, and is never sent to the server: an article is archived, queued and looked up under
/// its URL without one. A URL without a fragment is left exactly as it is (a lookup asks for
/// the URL both as given and as its [`article_key`]), and so is one that does not parse
/// (fetching it will say what is wrong with it).
pub fn without_fragment(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) if parsed.fragment().is_some() => {
            parsed.set_fragment(None);
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// The scheme of `text` when it has one: `https` of `https://…`, `mailto` of `mailto:…`. A
/// host and port (`localhost:8080/a`, `example.com:8443`) is not a scheme.
pub fn scheme_of(text: &str) -> Option<&str> {
    let (scheme, rest) = text.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !valid {
        return None;
    }
    if rest.starts_with("//") {
        return Some(scheme);
    }
    // `host:port…` is a host; `word:other` (mailto:, javascript:, data:) is a scheme.
    let port = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) {
        None
    } else {
        Some(scheme)
    }
}

/// Whether `text` starts with a host name: a dot before the first slash (`example.com/a`),
/// `localhost`, or a bracketed IPv6 address, optionally with a port.
pub fn looks_like_host(text: &str) -> bool {
    let authority = text.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.starts_with('[') {
        return true;
    }
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
        _ => authority,
    };
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() > 1
        && labels.iter().all(|l| !l.is_empty())
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_article_is_keyed_without_its_fragment_and_tracking_parameters() {
        for (given, key) in [
            ("https://a.example/p?id=7", "https://a.example/p?id=7"),
            (
                "https://a.example/p?utm_source=rss&id=7&UTM_Medium=x&gclid=1#top",
                "https://a.example/p?id=7",
            ),
            ("https://a.example/p?fbclid=abc", "https://a.example/p"),
            (
                "https://a.example/p?a=%20b&utm_campaign=c",
                "https://a.example/p?a=%20b",
            ),
            ("not a url", "not a url"),
            // One page, however it is typed.
            (
                "HTTPS://News.Example.Test:443/./a/../story.html",
                "https://news.example.test/story.html",
            ),
            (
                "https://news.example.test/my story/новости",
                "https://news.example.test/my%20story/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8",
            ),
            ("https://news.example.test", "https://news.example.test/"),
        ] {
            assert_eq!(article_key(given), key, "{given}");
        }
    }

    #[test]
    fn host_names_are_read_as_https_and_schemes_are_kept_as_written() {
        for (text, url) in [
            ("x.com/user/status/123", "https://x.com/user/status/123"),
            (
                " www.instagram.com/p/ABC/ ",
                "https://www.instagram.com/p/ABC/",
            ),
            ("localhost:8080/a", "https://localhost:8080/a"),
            ("example.com:8443/a?b=c", "https://example.com:8443/a?b=c"),
            ("http://example.com/a", "http://example.com/a"),
            ("HTTPS://Example.com/a", "HTTPS://Example.com/a"),
        ] {
            assert_eq!(read_http_url(text).as_deref(), Ok(url), "{text}");
        }
    }

    #[test]
    fn other_schemes_words_and_broken_urls_are_refused() {
        assert_eq!(read_http_url("  "), Err(TypedUrlError::Empty));
        for (text, scheme) in [
            ("ftp://x.com/a", "ftp"),
            ("javascript:alert(1)", "javascript"),
            ("mailto:desk@example.com", "mailto"),
        ] {
            assert_eq!(
                read_http_url(text),
                Err(TypedUrlError::NotHttp {
                    scheme: scheme.into()
                }),
                "{text}"
            );
        }
        for text in ["nonsense", "/p/ABC/", "//x.com/a/status/1"] {
            assert_eq!(read_http_url(text), Err(TypedUrlError::NotAUrl), "{text}");
        }
        assert!(matches!(
            read_http_url("https://"),
            Err(TypedUrlError::Invalid { .. })
        ));
        assert!(matches!(
            read_http_url("[::1"),
            Err(TypedUrlError::Invalid { url, .. }) if url == "https://[::1"
        ));
    }

    #[test]
    fn the_lenient_reading_only_adds_a_scheme_to_host_names() {
        assert_eq!(
            with_default_scheme("www.instagram.com/p/ABC/"),
            "https://www.instagram.com/p/ABC/"
        );
        assert_eq!(
            with_default_scheme(" https://x.com/a/status/1 "),
            "https://x.com/a/status/1"
        );
        assert_eq!(with_default_scheme("nonsense"), "nonsense");
    }

    #[test]
    fn fragments_are_dropped_and_nothing_else_changes() {
        assert_eq!(
            without_fragment("https://news.example.com/a?b=1#comments"),
            "https://news.example.com/a?b=1"
        );
        assert_eq!(
            without_fragment("https://news.example.com/a#"),
            "https://news.example.com/a"
        );
        // Without a fragment the URL keeps its exact spelling: it is a key as written.
        assert_eq!(
            without_fragment("HTTPS://News.example.com"),
            "HTTPS://News.example.com"
        );
        assert_eq!(without_fragment("not a url#x"), "not a url#x");
    }
}
