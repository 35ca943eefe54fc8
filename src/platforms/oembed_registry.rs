//! The bundled oEmbed provider registry (`data/oembed/providers.json`, converted from the
//! iamcal/oembed registry by `embedkeep oembed-providers update`) and the matcher that finds the
//! provider of a URL.
//!
//! The data is read once, on first use. Every URL scheme is compiled into a host pattern and a
//! path pattern and indexed by the literal end of its host (`*.flickr.com` under `flickr.com`), so
//! finding a URL's provider looks at the few rules of the URL's own host and its parent domains,
//! not at every one of the registry's ~800 schemes.
//!
//! A scheme or endpoint that cannot be read (not an http(s) pattern, a wildcard host that would
//! match any site, an endpoint that is no URL) is skipped with a log line: one bad entry in the
//! data never takes the others down, and never panics.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use url::Url;

/// The registry file as stored: providers in the registry's order.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RegistryData {
    /// Where the data came from, for people reading the file.
    #[serde(default)]
    pub source: String,
    pub providers: Vec<ProviderData>,
}

/// One provider as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProviderData {
    pub name: String,
    #[serde(default)]
    pub url: String,
    pub endpoints: Vec<EndpointData>,
}

/// One endpoint of a provider as stored: the URL schemes it answers for, its address (which may
/// hold a `{format}` placeholder), whether the provider's pages announce it through discovery
/// links, and the formats it serves (empty: not said, JSON assumed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndpointData {
    #[serde(default)]
    pub schemes: Vec<String>,
    pub url: String,
    #[serde(default)]
    pub discovery: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub formats: Vec<String>,
}

/// A provider of the compiled registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    /// The provider's name as the registry writes it (`Flickr`).
    pub name: String,
    /// The name as a post id prefix (`flickr`, `wordpress-com`).
    pub slug: String,
    pub endpoints: Vec<Endpoint>,
}

/// An endpoint of the compiled registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The endpoint's address with `{format}` already set to `json`.
    pub url: Url,
    /// Whether `{format}` was in the address (then no `format` parameter is added).
    format_in_path: bool,
    pub discovery: bool,
}

impl Endpoint {
    /// The request that asks this endpoint about `post_url`, in JSON.
    pub fn request_url(&self, post_url: &str) -> Url {
        let mut url = self.url.clone();
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("url", post_url);
            if !self.format_in_path {
                query.append_pair("format", "json");
            }
        }
        url
    }
}

/// The provider and endpoint whose scheme a URL matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match<'a> {
    pub provider: &'a Provider,
    pub endpoint: &'a Endpoint,
    /// Whether the scheme that matched names its host with a wildcard (`*.wordpress.com`).
    pub wildcard_host: bool,
    /// Whether that scheme takes every page of every host it names (`https://*.nytimes.com/*`).
    pub site_wide: bool,
}

/// A glob with `*` standing for any run of characters (none included).
#[derive(Debug, Clone)]
struct Glob {
    parts: Vec<String>,
}

impl Glob {
    fn new(pattern: &str) -> Glob {
        Glob {
            parts: pattern.split('*').map(str::to_owned).collect(),
        }
    }

    fn matches(&self, text: &str) -> bool {
        let [first, middle @ .., last] = self.parts.as_slice() else {
            // A pattern without `*` is one part.
            return self.parts.first().is_some_and(|p| p == text);
        };
        if text.len() < first.len() + last.len()
            || !text.starts_with(first.as_str())
            || !text.ends_with(last.as_str())
        {
            return false;
        }
        let mut rest = &text[first.len()..text.len() - last.len()];
        for part in middle {
            match rest.find(part.as_str()) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
        true
    }
}

/// One compiled scheme.
#[derive(Debug, Clone)]
struct Rule {
    /// Position in the registry: the first matching rule wins, as in the registry's own order.
    order: usize,
    provider: usize,
    endpoint: usize,
    host: Glob,
    /// The path and query pattern (`/photos/*`).
    rest: Glob,
}

/// The compiled registry.
#[derive(Debug)]
pub struct Registry {
    providers: Vec<Provider>,
    /// Rules by the literal end of their host pattern.
    by_host: HashMap<String, Vec<Rule>>,
    /// How many schemes and endpoints were skipped as unreadable.
    skipped: usize,
}

/// Why a scheme of the data cannot be used.
fn parse_scheme(scheme: &str) -> Result<(String, String), &'static str> {
    let s = scheme.trim();
    let lower = s.to_ascii_lowercase();
    let after = if lower.starts_with("https://") {
        &s["https://".len()..]
    } else if lower.starts_with("http://") {
        &s["http://".len()..]
    } else {
        return Err("not an http(s) URL pattern");
    };
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let host = after[..end].to_ascii_lowercase();
    let rest = &after[end..];
    if host.is_empty() {
        return Err("no host");
    }
    if !host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '*' | ':'))
    {
        return Err("the host has characters no host name has");
    }
    if host.split('.').any(str::is_empty) {
        return Err("the host has an empty label");
    }
    if host.contains('*') && !index_key(&host).contains('.') {
        return Err("the wildcard host would match any site");
    }
    if rest.chars().any(char::is_whitespace) {
        return Err("the path has white space");
    }
    let rest = if rest.is_empty() { "/" } else { rest };
    Ok((host, rest.to_owned()))
}

/// The literal end of a host pattern, under which its rules are indexed: the whole host when
/// it has no wildcard, else what follows the last `*.`.
fn index_key(host: &str) -> &str {
    match host.rfind('*') {
        Some(at) => host[at + 1..].trim_start_matches('.'),
        None => host,
    }
}

/// Whether the matcher can use a scheme of the data; the reason when not.
pub fn check_scheme(scheme: &str) -> Result<(), &'static str> {
    parse_scheme(scheme).map(|_| ())
}

/// Whether the matcher can use an endpoint of the data; the reason when not.
pub fn check_endpoint(data: &EndpointData) -> Result<(), String> {
    endpoint(data).map(|_| ())
}

/// `Flickr` → `flickr`, `WordPress.com` → `wordpress-com`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

fn endpoint(data: &EndpointData) -> Result<Endpoint, String> {
    if !data.formats.is_empty() && !data.formats.iter().any(|f| f == "json") {
        return Err(format!("serves only {}", data.formats.join(", ")));
    }
    let format_in_path = data.url.contains("{format}");
    let address = data.url.trim().replace("{format}", "json");
    let url = Url::parse(&address).map_err(|e| format!("{e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err("not an http(s) address".to_owned());
    }
    if address.contains(['*', '{', '}']) {
        return Err("the address has a placeholder that cannot be filled".to_owned());
    }
    Ok(Endpoint {
        url,
        format_in_path,
        discovery: data.discovery,
    })
}

impl Registry {
    /// Compile the registry data. Unreadable schemes and endpoints are skipped with a log line.
    pub fn compile(data: &RegistryData) -> Registry {
        let mut providers = Vec::with_capacity(data.providers.len());
        let mut by_host: HashMap<String, Vec<Rule>> = HashMap::new();
        let mut skipped = 0;
        let mut order = 0;
        for p in &data.providers {
            let mut endpoints = Vec::new();
            let provider_index = providers.len();
            for e in &p.endpoints {
                let compiled = match endpoint(e) {
                    Ok(c) => c,
                    Err(reason) => {
                        tracing::warn!(
                            provider = %p.name,
                            endpoint = %e.url,
                            "oEmbed registry: endpoint skipped: {reason}"
                        );
                        skipped += 1;
                        continue;
                    }
                };
                let endpoint_index = endpoints.len();
                endpoints.push(compiled);
                for scheme in &e.schemes {
                    match parse_scheme(scheme) {
                        Ok((host, rest)) => {
                            order += 1;
                            by_host
                                .entry(index_key(&host).to_owned())
                                .or_default()
                                .push(Rule {
                                    order,
                                    provider: provider_index,
                                    endpoint: endpoint_index,
                                    host: Glob::new(&host),
                                    rest: Glob::new(&rest),
                                });
                        }
                        Err(reason) => {
                            tracing::warn!(
                                provider = %p.name,
                                scheme = %scheme,
                                "oEmbed registry: scheme skipped: {reason}"
                            );
                            skipped += 1;
                        }
                    }
                }
            }
            providers.push(Provider {
                name: p.name.clone(),
                slug: slug(&p.name),
                endpoints,
            });
        }
        Registry {
            providers,
            by_host,
            skipped,
        }
    }

    /// Read and compile registry data from JSON.
    pub fn from_json(text: &str) -> Result<Registry, serde_json::Error> {
        let data: RegistryData = serde_json::from_str(text)?;
        Ok(Registry::compile(&data))
    }

    /// The registry bundled with the program.
    pub fn bundled() -> &'static Registry {
        static BUNDLED: LazyLock<Registry> = LazyLock::new(|| {
            Registry::from_json(include_str!("../../data/oembed/providers.json")).unwrap_or_else(
                |e| {
                    // The file is ours and checked by a test; a broken copy leaves the generic
                    // provider without providers rather than stopping the program.
                    tracing::error!("bundled oEmbed registry unreadable: {e}");
                    Registry::compile(&RegistryData::default())
                },
            )
        });
        &BUNDLED
    }

    /// The providers, in the registry's order.
    pub fn providers(&self) -> &[Provider] {
        &self.providers
    }

    /// How many schemes and endpoints were skipped when compiling.
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// The first provider (in the registry's order) with a scheme that `url` matches. `http`
    /// and `https` schemes match either: the registry still lists many sites by their old
    /// `http` addresses.
    pub fn find(&self, url: &Url) -> Option<Match<'_>> {
        if !matches!(url.scheme(), "http" | "https") {
            return None;
        }
        let host = url.host_str()?;
        let rest = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        };
        let mut best: Option<&Rule> = None;
        let mut key = host;
        loop {
            if let Some(rules) = self.by_host.get(key) {
                // Rules are pushed in order: the first match of a key is its best.
                if let Some(rule) = rules
                    .iter()
                    .take_while(|r| best.is_none_or(|b| r.order < b.order))
                    .find(|r| r.host.matches(host) && r.rest.matches(&rest))
                {
                    best = Some(rule);
                }
            }
            match key.split_once('.') {
                Some((_, parent)) if parent.contains('.') => key = parent,
                _ => break,
            }
        }
        let rule = best?;
        let provider = &self.providers[rule.provider];
        Some(Match {
            provider,
            endpoint: &provider.endpoints[rule.endpoint],
            wildcard_host: rule.host.parts.len() > 1,
            site_wide: rule.host.parts.len() > 1
                && matches!(
                    rule.rest.parts.as_slice(),
                    [a, b] if (a == "/" || a.is_empty()) && b.is_empty()
                ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("test URL")
    }

    #[test]
    fn globs() {
        let cases = [
            ("*.flickr.com", "www.flickr.com", true),
            ("*.flickr.com", "flickr.com", false),
            ("*.*.flickr.com", "a.b.flickr.com", true),
            ("/photos/*", "/photos/bees/1/", true),
            ("/photos/*", "/photo/bees", false),
            ("/watch*", "/watch?v=x", true),
            ("/a*b*c", "/a-b-c", true),
            ("/a*b*c", "/a-c-b", false),
            ("/ab*ba", "/aba", false),
            ("/exact", "/exact", true),
            ("/exact", "/exact/", false),
        ];
        for (pattern, text, want) in cases {
            assert_eq!(Glob::new(pattern).matches(text), want, "{pattern} {text}");
        }
    }

    #[test]
    fn slugs() {
        for (name, want) in [
            ("Flickr", "flickr"),
            ("WordPress.com", "wordpress-com"),
            ("Beautiful.AI", "beautiful-ai"),
            (" 23HQ ", "23hq"),
        ] {
            assert_eq!(slug(name), want);
        }
    }

    #[test]
    fn malformed_entries_are_skipped_and_the_rest_still_match() {
        let data = r#"{"providers":[
          {"name":"Broken","url":"","endpoints":[
            {"schemes":["spotify:*","https://*/anything","https://*.com/x","https:// spaced.example/x",
                        "https://a..b.example/x","", "https://ok.example/p/* tail"],
             "url":"https://broken.example/oembed"},
            {"schemes":["https://fine.example/*"],"url":"not a url"},
            {"schemes":["https://xml.example/*"],"url":"https://xml.example/oembed","formats":["xml"]},
            {"schemes":["https://holes.example/*"],"url":"https://{host}.example/oembed"}
          ]},
          {"name":"Good One","url":"https://good.example/","endpoints":[
            {"schemes":["http://*.good.example/v/*"],"url":"https://good.example/oembed.{format}","discovery":true}
          ]}
        ]}"#;
        let registry = Registry::from_json(data).expect("valid JSON");
        assert_eq!(registry.skipped(), 10);
        for u in [
            "https://anything.example/anything",
            "https://fine.example/a",
            "https://xml.example/a",
            "https://holes.example/a",
        ] {
            assert_eq!(registry.find(&url(u)), None, "{u}");
        }
        let m = registry
            .find(&url("https://www.good.example/v/123"))
            .expect("the good provider still matches");
        assert_eq!(m.provider.slug, "good-one");
        assert!(m.endpoint.discovery);
        assert_eq!(
            m.endpoint
                .request_url("https://www.good.example/v/123")
                .as_str(),
            "https://good.example/oembed.json?url=https%3A%2F%2Fwww.good.example%2Fv%2F123"
        );
        assert!(Registry::from_json("{not json").is_err());
    }

    #[test]
    fn bundled_registry_is_clean_and_finds_providers() {
        let registry = Registry::bundled();
        assert!(
            registry.providers().len() > 300,
            "{}",
            registry.providers().len()
        );
        assert_eq!(
            registry.skipped(),
            0,
            "the converter drops what cannot be used"
        );
        let cases = [
            (
                "https://www.flickr.com/photos/bees/2362225867/",
                "Flickr",
                "https://www.flickr.com/services/oembed/?url=https%3A%2F%2Fwww.flickr.com%2Fphotos%2Fbees%2F2362225867%2F&format=json",
            ),
            // An `http` scheme matches the `https` address too.
            (
                "https://flic.kr/p/4AK2sc",
                "Flickr",
                "https://www.flickr.com/services/oembed/?url=https%3A%2F%2Fflic.kr%2Fp%2F4AK2sc&format=json",
            ),
            (
                "https://www.youtube.com/watch?v=iwGFalTRHDA",
                "YouTube",
                "https://www.youtube.com/oembed?url=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3DiwGFalTRHDA&format=json",
            ),
        ];
        for (u, name, request) in cases {
            let m = registry.find(&url(u)).unwrap_or_else(|| panic!("{u}"));
            assert_eq!(m.provider.name, name, "{u}");
            assert_eq!(m.endpoint.request_url(u).as_str(), request, "{u}");
        }
        for u in [
            "https://example.com/photos/1",
            "https://www.flickr.com.evil.example/photos/1",
            "ftp://www.flickr.com/photos/1",
        ] {
            assert_eq!(registry.find(&url(u)), None, "{u}");
        }
    }
}
