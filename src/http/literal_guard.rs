//! The guard's one decision made before any socket: a URL whose host is a literal IP address
//! that is not public is refused, unless the operator allowed private addresses or routed that
//! host elsewhere with an override. The client applies it to every hop; the service applies it
//! when a job is queued (`POST /v1/articles`), so that an address the daemon will never fetch
//! is refused to the caller at once instead of failing later in a worker.

use std::net::IpAddr;

use url::Url;

use super::HttpError;
use super::guard::check_literal_host;
use super::overrides::Overrides;
use crate::config::HttpConfig;

/// The literal-address rule of the `[http]` config.
#[derive(Debug, Clone)]
pub struct LiteralGuard {
    /// False when `http.allow_private_addresses` is set.
    guard: bool,
    pub(super) overrides: Overrides,
}

impl LiteralGuard {
    /// The rule of `http.allow_private_addresses` and `http.host_overrides`.
    pub fn new(http: &HttpConfig) -> Result<Self, HttpError> {
        Ok(LiteralGuard {
            guard: !http.allow_private_addresses,
            overrides: Overrides::new(&http.host_overrides)?,
        })
    }

    /// Whether names are checked after resolution too (the resolver's half of the guard).
    pub(super) fn guards(&self) -> bool {
        self.guard
    }

    /// The address `logical` is refused for: its host is a literal IP the guard refuses, the
    /// guard is on, and no override routes the host elsewhere. Host names are decided after
    /// resolution, by the client.
    pub fn refused(&self, logical: &Url) -> Option<IpAddr> {
        if !self.guard {
            return None;
        }
        // Most hosts are names: the override table is read only for a refused literal.
        let ip = check_literal_host(logical)?;
        (!self.overrides.routes(logical)).then_some(ip)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn guard(allow_private: bool, overrides: &[(&str, &str)]) -> LiteralGuard {
        let http = HttpConfig {
            allow_private_addresses: allow_private,
            host_overrides: overrides
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect::<BTreeMap<_, _>>(),
            ..HttpConfig::default()
        };
        LiteralGuard::new(&http).unwrap()
    }

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn private_literal_hosts_are_refused_and_names_are_left_to_resolution() {
        let g = guard(false, &[]);
        for refused in [
            "http://127.0.0.1/a",
            "http://10.1.2.3:8080/",
            "http://[::1]/",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::ffff:192.168.0.1]/",
        ] {
            assert!(g.refused(&url(refused)).is_some(), "{refused}");
        }
        for allowed in [
            "https://93.184.215.14/",
            "https://localhost/",
            "https://news.example/",
        ] {
            assert_eq!(g.refused(&url(allowed)), None, "{allowed}");
        }
    }

    #[test]
    fn allowed_private_addresses_and_override_hosts_are_not_refused() {
        assert_eq!(guard(true, &[]).refused(&url("http://127.0.0.1/")), None);
        let g = guard(false, &[("127.0.0.1:9", "http://127.0.0.1:4000/fixtures")]);
        assert_eq!(g.refused(&url("http://127.0.0.1:9/a")), None);
        assert!(g.refused(&url("http://127.0.0.1:10/a")).is_some());
    }
}
