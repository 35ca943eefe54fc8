//! `[http.host_overrides]`: send requests for a host to another base URL, and map answers back.
//!
//! Tests and offline replays point platform hosts at a local fixture server. Everything above
//! `http` keeps seeing the logical URL (`https://www.instagram.com/p/X/`); only the request on the
//! wire goes to the target (`http://127.0.0.1:9000/www.instagram.com/p/X/`). This module must
//! never let a target URL leak out as a logical one: redirects that point into a target are
//! mapped back to the host they stand for.

use std::collections::BTreeMap;

use url::{Position, Url};

use super::HttpError;
use crate::config::{HostOverride as Override, host_override};

/// The configured overrides.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    entries: Vec<Override>,
}

impl Overrides {
    /// Parse the config map; every base must be an absolute http(s) URL.
    pub fn new(map: &BTreeMap<String, String>) -> Result<Self, HttpError> {
        let mut entries = Vec::with_capacity(map.len());
        for (host, base) in map {
            let entry = host_override(host, base).map_err(|reason| HttpError::InvalidUrl {
                url: base.clone(),
                reason: format!("http.host_overrides[\"{host}\"]: {reason}"),
            })?;
            entries.push(entry);
        }
        Ok(Overrides { entries })
    }

    fn find(&self, logical: &Url) -> Option<&Override> {
        let host = logical.host_str()?.to_ascii_lowercase();
        let host = host.strip_suffix('.').map(str::to_owned).unwrap_or(host);
        // "host:port" is the more specific key, so it wins over the bare host; a URL without
        // a port is on its scheme's (`news.example.com:443` is every https address of it).
        let with_port = logical
            .port_or_known_default()
            .map(|port| format!("{host}:{port}"));
        with_port
            .and_then(|key| self.entries.iter().find(|o| o.host == key))
            .or_else(|| self.entries.iter().find(|o| o.host == host))
    }

    /// Whether `logical`'s host has an override.
    pub fn routes(&self, logical: &Url) -> bool {
        self.find(logical).is_some()
    }

    /// Where a request for `logical` really goes, or `None` if its host has no override.
    pub fn target(&self, logical: &Url) -> Option<Url> {
        let entry = self.find(logical)?;
        let mut target = entry.base.clone();
        target.set_path(&format!("{}{}", entry.base_path(), logical.path()));
        target.set_query(logical.query());
        Some(target)
    }

    /// If `location` points into an override target, the logical URL it stands for.
    ///
    /// `current` is the logical URL of the hop that answered with the redirect: when several
    /// overrides share one fixture server, the one whose base path matches longest wins; a URL
    /// on a target's origin outside every base path belongs to `current`'s host if that host's
    /// target lives on the same origin.
    pub fn to_logical(&self, location: &Url, current: &Url) -> Option<Url> {
        let origin = location.origin();
        let path = location.path();
        let on_origin = self.entries.iter().filter(|o| o.base.origin() == origin);
        let by_prefix = on_origin
            .clone()
            .filter(|o| {
                let base = o.base_path();
                path.strip_prefix(base)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
            .max_by_key(|o| o.base_path().len());
        let (entry, rest) = match by_prefix {
            Some(entry) => (entry, &path[entry.base_path().len()..]),
            None => {
                let current_entry = self.find(current)?;
                if current_entry.base.origin() != origin {
                    return None;
                }
                (current_entry, path)
            }
        };
        // Keep the scheme the caller used for this host; a host reached only through a redirect
        // is assumed to be https, which is what every platform serves.
        let current_host = current.host_str().map(str::to_ascii_lowercase);
        let same_host = current_host.as_deref() == Some(entry.host.as_str())
            || current_host
                .zip(current.port())
                .map(|(h, p)| format!("{h}:{p}"))
                == Some(entry.host.clone());
        let scheme = if same_host { current.scheme() } else { "https" };
        let rest = if rest.is_empty() { "/" } else { rest };
        let query = &location[Position::AfterPath..];
        Url::parse(&format!("{scheme}://{}{rest}{query}", entry.host)).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overrides(pairs: &[(&str, &str)]) -> Overrides {
        let map = pairs
            .iter()
            .map(|(h, b)| (h.to_string(), b.to_string()))
            .collect();
        Overrides::new(&map).unwrap()
    }

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    /// A key written with the scheme's own port, or as a fully qualified name, is the host
    /// every address of it names: it is applied, not passed over.
    #[test]
    fn a_key_with_the_default_port_or_a_final_dot_is_applied() {
        for key in [
            "news.example.com:443",
            "news.example.com.",
            "NEWS.example.com",
        ] {
            let o = overrides(&[(key, "http://127.0.0.1:9000/n")]);
            assert_eq!(
                o.target(&url("https://news.example.com/a?b=1")),
                Some(url("http://127.0.0.1:9000/n/a?b=1")),
                "{key}"
            );
            assert_eq!(
                o.target(&url("https://news.example.com./a")),
                Some(url("http://127.0.0.1:9000/n/a")),
                "{key}"
            );
        }
        // The scheme's port is that scheme's: an http address is on port 80.
        let o = overrides(&[("news.example.com:443", "http://127.0.0.1:9000/n")]);
        assert_eq!(o.target(&url("http://news.example.com/a")), None);
    }

    #[test]
    fn target_appends_path_and_query_to_the_base() {
        let o = overrides(&[
            (
                "www.instagram.com",
                "http://127.0.0.1:9000/www.instagram.com",
            ),
            ("x.com", "http://127.0.0.1:9000/"),
            ("api.example.com:8443", "http://127.0.0.1:9001/alt/"),
        ]);
        let cases: &[(&str, Option<&str>)] = &[
            (
                "https://www.instagram.com/p/X/?a=b",
                Some("http://127.0.0.1:9000/www.instagram.com/p/X/?a=b"),
            ),
            (
                "https://www.instagram.com/",
                Some("http://127.0.0.1:9000/www.instagram.com/"),
            ),
            (
                "https://WWW.Instagram.com/reel/Y?utm=1&x=%20",
                Some("http://127.0.0.1:9000/www.instagram.com/reel/Y?utm=1&x=%20"),
            ),
            (
                "https://www.instagram.com/p/X/#frag",
                Some("http://127.0.0.1:9000/www.instagram.com/p/X/"),
            ),
            (
                "https://x.com/i/status/1?s=20",
                Some("http://127.0.0.1:9000/i/status/1?s=20"),
            ),
            (
                "https://api.example.com:8443/v1",
                Some("http://127.0.0.1:9001/alt/v1"),
            ),
            ("https://api.example.com/v1", None),
            ("https://instagram.com/p/X/", None),
            ("https://www.tiktok.com/@a/video/1", None),
        ];
        for (logical, expected) in cases {
            let got = o.target(&url(logical)).map(|u| u.to_string());
            assert_eq!(got.as_deref(), *expected, "{logical}");
        }
    }

    #[test]
    fn locations_inside_a_target_map_back_to_the_logical_host() {
        let o = overrides(&[
            (
                "www.instagram.com",
                "http://127.0.0.1:9000/www.instagram.com",
            ),
            ("www.tiktok.com", "http://127.0.0.1:9000/www.tiktok.com/"),
            ("plain.test", "http://127.0.0.1:9100"),
        ]);
        let ig = url("https://www.instagram.com/p/X/");
        let cases: &[(&str, &Url, Option<&str>)] = &[
            (
                "http://127.0.0.1:9000/www.instagram.com/accounts/login/?next=%2Fp%2FX%2F",
                &ig,
                Some("https://www.instagram.com/accounts/login/?next=%2Fp%2FX%2F"),
            ),
            (
                "http://127.0.0.1:9000/www.tiktok.com/@a/video/1",
                &ig,
                Some("https://www.tiktok.com/@a/video/1"),
            ),
            (
                "http://127.0.0.1:9000/www.instagram.com",
                &ig,
                Some("https://www.instagram.com/"),
            ),
            // Same origin, outside every base path: the answering host's own target.
            (
                "http://127.0.0.1:9000/elsewhere",
                &ig,
                Some("https://www.instagram.com/elsewhere"),
            ),
            (
                "http://127.0.0.1:9100/a?b=c",
                &ig,
                Some("https://plain.test/a?b=c"),
            ),
            // A prefix that is not a whole path segment does not match.
            (
                "http://127.0.0.1:9000/www.instagram.community/x",
                &ig,
                Some("https://www.instagram.com/www.instagram.community/x"),
            ),
            ("http://127.0.0.1:9001/www.instagram.com/x", &ig, None),
            ("http://127.0.0.1/latest/meta-data/", &ig, None),
            ("https://www.instagram.com/p/X/", &ig, None),
        ];
        for (location, current, expected) in cases {
            let got = o.to_logical(&url(location), current).map(|u| u.to_string());
            assert_eq!(got.as_deref(), *expected, "{location}");
        }
    }

    #[test]
    fn mapping_back_keeps_the_scheme_of_the_current_host() {
        let o = overrides(&[("news.test", "http://127.0.0.1:9000/news")]);
        let current = url("http://news.test/a");
        let got = o.to_logical(&url("http://127.0.0.1:9000/news/b"), &current);
        assert_eq!(
            got.map(|u| u.to_string()).as_deref(),
            Some("http://news.test/b")
        );
    }

    #[test]
    fn rejects_bases_that_are_not_http_urls() {
        for base in [
            "ftp://127.0.0.1/x",
            "not a url",
            "http://127.0.0.1/x?q=1",
            "file:///tmp",
        ] {
            let map = BTreeMap::from([("a.test".to_string(), base.to_string())]);
            match Overrides::new(&map) {
                Err(HttpError::InvalidUrl { url, .. }) => assert_eq!(url, base),
                other => panic!("{base}: {other:?}"),
            }
        }
    }

    #[test]
    fn host_keys_are_normalised_like_urls() {
        let o = overrides(&[
            (" WWW.Example.COM ", "http://127.0.0.1:9000/a"),
            ("bücher.example", "http://127.0.0.1:9000/b"),
            ("[::1]:8443", "http://127.0.0.1:9000/c"),
        ]);
        let cases = [
            ("https://www.example.com/x", "http://127.0.0.1:9000/a/x"),
            (
                "https://xn--bcher-kva.example/x",
                "http://127.0.0.1:9000/b/x",
            ),
            ("https://bücher.example/y", "http://127.0.0.1:9000/b/y"),
            ("https://[::1]:8443/z", "http://127.0.0.1:9000/c/z"),
        ];
        for (logical, expected) in cases {
            let got = o.target(&url(logical)).map(|u| u.to_string());
            assert_eq!(got.as_deref(), Some(expected), "{logical}");
        }
        for key in ["a.test/path", "user@a.test", "a.test?x", ""] {
            let map = BTreeMap::from([(key.to_string(), "http://127.0.0.1/".to_string())]);
            assert!(Overrides::new(&map).is_err(), "{key:?}");
        }
    }
}
