//! [`HttpClient`]: one GET, hop by hop, with every rule of the module applied to each hop.
//!
//! Redirects are followed here rather than by reqwest so each hop goes through the same checks
//! as the first request: scheme, host overrides, the literal-IP guard, politeness and the
//! timeout. Two reqwest clients exist: the guarded one (its resolver drops non-public
//! addresses) for every URL without an override, and a trusted one used only for override
//! targets, which are operator config and may well live on loopback.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{CONTENT_TYPE, HeaderMap, LOCATION};
use url::Url;

use super::body::read_capped;
use super::error::Phase;
use super::guard::{GuardedResolver, check_literal_host};
use super::overrides::Overrides;
use super::politeness::Politeness;
use super::response::is_kept_header;
use super::{HttpError, Response};
use crate::config::{HttpConfig, PolitenessConfig};

/// Connecting should never take more than this, even with a long total timeout: a host that
/// does not answer a SYN in 10 s is down.
const MAX_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The one HTTP client. Cheap to clone.
#[derive(Debug, Clone)]
pub struct HttpClient {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// For logical hosts; its resolver enforces the guard unless private addresses are allowed.
    guarded: reqwest::Client,
    /// For override targets only: trusted operator config, exempt from the guard.
    trusted: reqwest::Client,
    overrides: Overrides,
    politeness: Politeness,
    guard: bool,
    timeout: Duration,
    max_body_bytes: u64,
    max_redirects: u32,
}

/// What one hop produced.
enum Hop {
    Done(Response),
    Redirect { status: u16, location: String },
}

impl HttpClient {
    /// Build the client from the `[http]` and `[politeness]` config.
    pub fn new(http: &HttpConfig, politeness: &PolitenessConfig) -> Result<Self, HttpError> {
        install_crypto_provider();
        let guard = !http.allow_private_addresses;
        let guarded = if guard {
            base_builder(http).dns_resolver(GuardedResolver)
        } else {
            base_builder(http)
        };
        let build_error = |e: reqwest::Error| HttpError::Build {
            message: e.to_string(),
        };
        Ok(HttpClient {
            inner: Arc::new(Inner {
                guarded: guarded.build().map_err(build_error)?,
                trusted: base_builder(http).build().map_err(build_error)?,
                overrides: Overrides::new(&http.host_overrides)?,
                politeness: Politeness::new(politeness),
                guard,
                timeout: http.timeout,
                max_body_bytes: http.max_body_bytes,
                max_redirects: http.max_redirects,
            }),
        })
    }

    /// GET a URL, following redirects. Any HTTP status is returned as `Ok`.
    pub async fn get(&self, url: &Url) -> Result<Response, HttpError> {
        let inner = &self.inner;
        let mut logical = url.clone();
        let mut hops: u32 = 0;
        loop {
            match inner.hop(&logical).await? {
                Hop::Done(response) => return Ok(response),
                Hop::Redirect { location, .. } => {
                    if hops >= inner.max_redirects {
                        return Err(HttpError::TooManyRedirects {
                            url: url.to_string(),
                            limit: inner.max_redirects,
                        });
                    }
                    hops += 1;
                    logical = inner.next_url(&logical, &location)?;
                }
            }
        }
    }
}

/// Settings shared by both reqwest clients.
fn base_builder(http: &HttpConfig) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .user_agent(http.user_agent.as_str())
        .timeout(http.timeout)
        .connect_timeout(http.timeout.min(MAX_CONNECT_TIMEOUT))
        // Redirects are followed in `HttpClient::get`, so each hop is checked.
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
        // A proxy would resolve names itself, around the guarded resolver.
        .no_proxy()
}

/// reqwest is built without a TLS crypto provider (ring keeps the build small); install ring
/// as the process default. A provider installed earlier (by a test or another caller) is fine.
fn install_crypto_provider() {
    let _already_installed = rustls::crypto::ring::default_provider().install_default();
}

impl Inner {
    /// One request without following redirects.
    async fn hop(&self, logical: &Url) -> Result<Hop, HttpError> {
        let host = check_fetchable(logical)?;
        let target = self.overrides.target(logical);
        if target.is_none()
            && self.guard
            && let Some(ip) = check_literal_host(logical)
        {
            return Err(HttpError::RefusedAddress {
                url: logical.to_string(),
                address: ip.to_string(),
            });
        }
        let _permit = self.politeness.acquire(&host).await;
        let (client, wire) = match &target {
            Some(target) => (&self.trusted, target.clone()),
            None => (&self.guarded, logical.clone()),
        };
        let started = Instant::now();
        let outcome = tokio::time::timeout(self.timeout, self.exchange(client, wire, logical))
            .await
            .unwrap_or_else(|_elapsed| {
                Err(HttpError::Timeout {
                    url: logical.to_string(),
                })
            });
        let ms = started.elapsed().as_millis();
        let via = target.as_ref().map(Url::as_str).unwrap_or("");
        match &outcome {
            Ok(Hop::Done(r)) => tracing::debug!(
                method = "GET", url = %logical, via, status = r.status, bytes = r.body.len(), ms,
                "http request"
            ),
            Ok(Hop::Redirect { status, location }) => tracing::debug!(
                method = "GET", url = %logical, via, status, %location, bytes = 0, ms,
                "http redirect"
            ),
            Err(error) => tracing::debug!(
                method = "GET", url = %logical, via, %error, ms, "http request failed"
            ),
        }
        outcome
    }

    /// Send to `wire` and read the answer; `logical` is what the caller asked for.
    async fn exchange(
        &self,
        client: &reqwest::Client,
        wire: Url,
        logical: &Url,
    ) -> Result<Hop, HttpError> {
        let response = client
            .get(wire)
            .send()
            .await
            .map_err(|e| HttpError::from_reqwest(logical, Phase::Send, e))?;
        let status = response.status();
        if status.is_redirection()
            && let Some(location) = response.headers().get(LOCATION)
        {
            // Servers do send raw UTF-8 here; URL parsing percent-encodes it later.
            let location = String::from_utf8_lossy(location.as_bytes()).into_owned();
            return Ok(Hop::Redirect {
                status: status.as_u16(),
                location,
            });
        }
        let headers = kept_headers(response.headers());
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let body = read_capped(response, self.max_body_bytes, logical).await?;
        Ok(Hop::Done(Response {
            url: logical.clone(),
            status: status.as_u16(),
            content_type,
            body,
            headers,
        }))
    }

    /// The logical URL a redirect from `current` to `location` leads to.
    fn next_url(&self, current: &Url, location: &str) -> Result<Url, HttpError> {
        // A Location into an override target (the fixture server's own absolute URL) stands
        // for the host that target replaces.
        if let Ok(absolute) = Url::parse(location)
            && let Some(mapped) = self.overrides.to_logical(&absolute, current)
        {
            return Ok(mapped);
        }
        current.join(location).map_err(|e| HttpError::InvalidUrl {
            url: location.to_owned(),
            reason: format!("bad redirect Location from {current}: {e}"),
        })
    }
}

/// The host of `url` if it may be fetched at all: http or https with a host.
fn check_fetchable(url: &Url) -> Result<String, HttpError> {
    let invalid = |reason: &str| HttpError::InvalidUrl {
        url: url.to_string(),
        reason: reason.to_owned(),
    };
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("only http and https URLs are fetched"));
    }
    url.host_str()
        .map(str::to_owned)
        .ok_or_else(|| invalid("the URL has no host"))
}

fn kept_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|(name, _)| is_kept_header(name.as_str()))
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect()
}
