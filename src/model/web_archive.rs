//! Addresses of web-archive captures, read as the address they capture. The Wayback Machine
//! serves its capture of `https://…` at `https://web.archive.org/web/20240218232538/https://…`,
//! with a two-letter modifier after the timestamp for what the capture is embedded as (`if_` in
//! a frame, `im_` as an image, `id_` as the original bytes), and a page saved from it points at
//! captures everywhere, often root-relative (`/web/2019…/https://…`). A player in such a page
//! (`<iframe src="https://web.archive.org/web/…if_/https://www.youtube.com/embed/ID">`) still
//! embeds the post its capture is of.

use url::{Position, Url};

/// The hosts of the Wayback Machine.
const WAYBACK_HOSTS: &[&str] = &["web.archive.org", "wayback.archive.org"];

/// Timestamps are 14 digits (`yyyyMMddhhmmss`); shorter prefixes (`/web/2019/…`) ask for the
/// capture nearest to them.
const TIMESTAMP_DIGITS: std::ops::RangeInclusive<usize> = 4..=14;

/// The address a capture address stands for, or `None` when `url` is no capture. A path of the
/// capture form on another host (a root-relative capture link read against the page's own
/// address) counts when it holds a whole `http(s)` address; on a Wayback host the archived
/// address may also lack its scheme, as the archive accepts it.
pub fn captured(url: &Url) -> Option<Url> {
    let rest = url[Position::BeforePath..].strip_prefix("/web/")?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if !TIMESTAMP_DIGITS.contains(&digits) {
        return None;
    }
    let rest = skip_modifier(&rest[digits..]).strip_prefix('/')?;
    let on_wayback = WAYBACK_HOSTS.iter().any(|w| super::markup::host_is(url, w));
    let inner = match with_scheme(rest) {
        Some(inner) => inner,
        None if on_wayback && !rest.is_empty() => format!("https://{rest}"),
        None => return None,
    };
    let inner = Url::parse(&inner).ok()?;
    (matches!(inner.scheme(), "http" | "https") && inner.host_str().is_some()).then_some(inner)
}

/// `rest` past a capture modifier (`if_`, `im_`, `id_`, `js_` …), if it starts with one.
fn skip_modifier(rest: &str) -> &str {
    let b = rest.as_bytes();
    if b.len() >= 3 && b[0].is_ascii_lowercase() && b[1].is_ascii_lowercase() && b[2] == b'_' {
        &rest[3..]
    } else {
        rest
    }
}

/// `rest` as a whole address when it starts with a web scheme, its `//` restored where a path
/// normaliser made it one slash (`https:/www.youtube.com/…`).
fn with_scheme(rest: &str) -> Option<String> {
    let colon = rest.find(':')?;
    let scheme = &rest[..colon];
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let after = rest[colon + 1..].trim_start_matches('/');
    Some(format!("{}://{after}", scheme.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures_read_as_what_they_capture() {
        let cases = [
            (
                "https://web.archive.org/web/20240218232538if_/https://www.youtube.com/embed/2TbCk5mkPG8",
                Some("https://www.youtube.com/embed/2TbCk5mkPG8"),
            ),
            (
                "https://web.archive.org/web/20230531183249if_/https://widget.spreaker.com/player?episode_id=48953238&theme=light",
                Some("https://widget.spreaker.com/player?episode_id=48953238&theme=light"),
            ),
            (
                "https://web.archive.org/web/20190101000000/https://twitter.com/a/status/1#frag",
                Some("https://twitter.com/a/status/1#frag"),
            ),
            (
                "http://web.archive.org/web/2019/http:/www.youtube.com/watch?v=x",
                Some("http://www.youtube.com/watch?v=x"),
            ),
            (
                "https://web.archive.org/web/20190101000000im_/www.instagram.com/p/ABC/",
                Some("https://www.instagram.com/p/ABC/"),
            ),
            // A root-relative capture link read against the page's own address.
            (
                "https://news.example/web/20220721150811/https://www.youtube.com/embed/J0ptCDgSrfY",
                Some("https://www.youtube.com/embed/J0ptCDgSrfY"),
            ),
            (
                "file:///saved/web/20220721150811if_/https://www.youtube.com/embed/x",
                None,
            ),
            (
                "file:///web/20220721150811if_/https://www.youtube.com/embed/x",
                Some("https://www.youtube.com/embed/x"),
            ),
            // Not captures: no timestamp, a site's own path, an archived address of no host.
            ("https://web.archive.org/web/*/https://example.com/*", None),
            (
                "https://news.example/web/2019/www.youtube.com/watch?v=x",
                None,
            ),
            ("https://news.example/web/stories/2019", None),
            ("https://web.archive.org/web/20190101000000/https://", None),
            (
                "https://web.archive.org/web/20190101000000/javascript:alert(1)",
                None,
            ),
            ("https://www.youtube.com/embed/x", None),
        ];
        for (url, want) in cases {
            let got = captured(&Url::parse(url).unwrap());
            assert_eq!(got.as_ref().map(Url::as_str), want, "{url}");
        }
    }
}
