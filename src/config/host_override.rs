//! One entry of `[http.host_overrides]` as the HTTP client applies it: a host name (optionally
//! with a port) and an http(s) base URL without query or fragment. The config's check and the
//! client read entries through this one function, so a file `config check` passes is one every
//! command takes.

use url::Url;

/// A usable entry: requests for `host` go to `base` with their path and query appended.
#[derive(Debug, Clone)]
pub struct HostOverride {
    /// Lower-case host, punycode for international names, without a final dot, optionally
    /// with `:port`.
    pub host: String,
    pub base: Url,
}

impl HostOverride {
    /// The base path without its trailing slash ("" for a bare origin): where a request's own
    /// path is put.
    pub fn base_path(&self) -> &str {
        self.base.path().trim_end_matches('/')
    }
}

/// The entry `host = base`, or why it cannot be used.
pub fn host_override(host: &str, base: &str) -> Result<HostOverride, String> {
    let parsed = Url::parse(base).map_err(|e| format!("{base:?} is not a URL: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(format!(
            "{base:?}: the base must be an http:// or https:// URL"
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(format!(
            "{base:?}: the base must not have a query or fragment"
        ));
    }
    let host = normalise_host_key(host).ok_or_else(|| {
        format!(
            "{host:?} is not a host name (write the host alone, as `www.example.com`, or \
             `www.example.com:8443`)"
        )
    })?;
    Ok(HostOverride { host, base: parsed })
}

/// A config key as requests are matched against it: the host as the URL parser spells it
/// (lower case, punycode for international names), plus `:port` if one was given.
fn normalise_host_key(key: &str) -> Option<String> {
    let url = Url::parse(&format!("http://{}/", key.trim())).ok()?;
    if url.path() != "/" || url.query().is_some() || !url.username().is_empty() {
        return None;
    }
    // A fully qualified name (`example.com.`) is the same host as the name without its dot.
    let host = url.host_str()?;
    let host = host
        .strip_suffix('.')
        .filter(|h| !h.is_empty())
        .unwrap_or(host);
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What is no host name, or no base to send requests to, is refused with the reason.
    #[test]
    fn entries_that_cannot_be_applied_are_refused() {
        for (host, base, reason) in [
            ("", "http://127.0.0.1:1/x", "not a host name"),
            (
                "https://news.example.com",
                "http://127.0.0.1:1/x",
                "not a host name",
            ),
            (
                "news.example.com/path",
                "http://127.0.0.1:1/x",
                "not a host name",
            ),
            (
                "news.example.com",
                "http://127.0.0.1:1/x?y=1",
                "query or fragment",
            ),
            (
                "news.example.com",
                "http://127.0.0.1:1/x#z",
                "query or fragment",
            ),
            ("news.example.com", "file:///tmp/x", "http:// or https://"),
            ("news.example.com", "127.0.0.1:1", "not a URL"),
        ] {
            let said = host_override(host, base).expect_err(host);
            assert!(said.contains(reason), "{host} = {base}: {said}");
        }
        let ok = host_override("News.Example.com.:8443", "http://127.0.0.1:1/x").expect("ok");
        assert_eq!(ok.host, "news.example.com:8443");
    }
}
