//! The TOML configuration: one `Config` struct with a default for every key, validated at load.
//!
//! Every key is optional. Unknown keys are errors (a typo must not silently fall back to a
//! default). Secrets are read from files named here and never printed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Default HTTP timeout for one request, connect to last byte.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);
/// Default cap on any response body, after decompression.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 10 * 1024 * 1024;
/// Default number of redirects followed before giving up.
pub const DEFAULT_MAX_REDIRECTS: u32 = 5;
/// Default concurrent requests to one host.
pub const DEFAULT_PER_HOST_CONCURRENCY: usize = 2;
/// Default pause between two requests to one host.
pub const DEFAULT_PER_HOST_INTERVAL: Duration = Duration::from_secs(1);
/// Default number of gone answers in a row before a post is gone.
pub const DEFAULT_GONE_AFTER_CHECKS: u32 = 3;
/// Default time the gone answers must span.
pub const DEFAULT_GONE_AFTER: Duration = Duration::from_secs(24 * 3600);
/// Default thumbnail width in pixels.
pub const DEFAULT_THUMBNAIL_MAX_WIDTH: u32 = 480;
/// Default listen address of the HTTP server.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// The whole configuration file.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub store: StoreConfig,
    pub http: HttpConfig,
    pub politeness: PolitenessConfig,
    pub liveness: LivenessConfig,
    pub schedule: ScheduleConfig,
    pub sources: Vec<SourceConfig>,
    pub thumbnails: ThumbnailConfig,
    pub serve: ServeConfig,
    pub platforms: PlatformsConfig,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoreConfig {
    /// Database file; the XDG data dir's `embedkeep/embedkeep.db` when unset.
    pub path: Option<PathBuf>,
    /// Keep the original media bytes as well as the thumbnail.
    pub keep_originals: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpConfig {
    pub user_agent: String,
    #[serde(with = "humantime_serde")]
    pub timeout: Duration,
    pub max_body_bytes: u64,
    pub max_redirects: u32,
    /// Allow requests to loopback, private, link-local and other non-global addresses.
    pub allow_private_addresses: bool,
    /// Host → base URL. A request for that host goes to the base URL with the request's path and
    /// query appended. Trusted operator config: targets are exempt from the address guard.
    pub host_overrides: BTreeMap<String, String>,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            user_agent: default_user_agent(),
            timeout: DEFAULT_TIMEOUT,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            allow_private_addresses: false,
            host_overrides: BTreeMap::new(),
        }
    }
}

/// The default `User-Agent`, naming this version.
pub fn default_user_agent() -> String {
    format!(
        "embedkeep/{} (+https://github.com/embedkeep/embedkeep)",
        env!("CARGO_PKG_VERSION")
    )
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct PolitenessConfig {
    pub per_host_concurrency: usize,
    #[serde(with = "humantime_serde")]
    pub per_host_interval: Duration,
}

impl Default for PolitenessConfig {
    fn default() -> Self {
        PolitenessConfig {
            per_host_concurrency: DEFAULT_PER_HOST_CONCURRENCY,
            per_host_interval: DEFAULT_PER_HOST_INTERVAL,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct LivenessConfig {
    pub gone_after_checks: u32,
    #[serde(with = "humantime_serde")]
    pub gone_after: Duration,
}

impl Default for LivenessConfig {
    fn default() -> Self {
        LivenessConfig {
            gone_after_checks: DEFAULT_GONE_AFTER_CHECKS,
            gone_after: DEFAULT_GONE_AFTER,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScheduleConfig {
    /// Crontab expression (5 fields; 6/7 with seconds accepted) for discovery from sources.
    pub discover: String,
    /// Crontab expression for re-checking due posts.
    pub recheck: String,
}

impl Default for ScheduleConfig {
    fn default() -> Self {
        ScheduleConfig {
            discover: "*/15 * * * *".into(),
            recheck: "0 * * * *".into(),
        }
    }
}

/// Where the daemon finds articles: exactly one of the three keys.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct SourceConfig {
    pub feed: Option<String>,
    pub sitemap: Option<String>,
    pub urls_file: Option<PathBuf>,
}

/// Encoding of thumbnails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ThumbnailFormat {
    #[default]
    Webp,
    Jpeg,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThumbnailConfig {
    pub max_width: u32,
    pub format: ThumbnailFormat,
}

impl Default for ThumbnailConfig {
    fn default() -> Self {
        ThumbnailConfig {
            max_width: DEFAULT_THUMBNAIL_MAX_WIDTH,
            format: ThumbnailFormat::Webp,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServeConfig {
    pub listen: String,
    pub public_base_url: Option<String>,
    pub admin_token_file: Option<PathBuf>,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            listen: DEFAULT_LISTEN.into(),
            public_base_url: None,
            admin_token_file: None,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlatformsConfig {
    pub instagram: TokenPlatformConfig,
}

/// A platform whose extra sources need an access token, read from a file.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct TokenPlatformConfig {
    pub access_token_file: Option<PathBuf>,
    /// Graph API version used in token-based source URLs (e.g. "v24.0").
    pub graph_api_version: Option<String>,
}

/// Graph API version used when `graph_api_version` is not set.
pub const DEFAULT_GRAPH_API_VERSION: &str = "v24.0";

impl TokenPlatformConfig {
    /// The configured Graph API version, or the default.
    pub fn graph_api_version(&self) -> &str {
        self.graph_api_version
            .as_deref()
            .unwrap_or(DEFAULT_GRAPH_API_VERSION)
    }
}

impl TokenPlatformConfig {
    /// The token, read from its file; `Ok(None)` when no file is configured.
    pub fn access_token(&self) -> Result<Option<Secret>, ConfigError> {
        let Some(path) = &self.access_token_file else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.clone(),
            source,
        })?;
        let token = text.trim();
        if token.is_empty() {
            return Err(ConfigError::Invalid {
                path: path.clone(),
                message: "the access token file is empty".into(),
            });
        }
        Ok(Some(Secret(token.to_owned())))
    }
}

/// A secret string whose `Debug` output is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Why a configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file is not valid TOML for this schema.
    #[error("invalid config file {path}: {message}")]
    Parse { path: PathBuf, message: String },
    /// A value parses but makes no sense.
    #[error("invalid config file {path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

impl Config {
    /// Parse and validate config text; `path` names the file in errors.
    pub fn from_toml(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        config.validate(path)?;
        Ok(config)
    }

    /// Read, parse and validate a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        Config::from_toml(&text, path)
    }

    fn validate(&self, path: &Path) -> Result<(), ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_owned(),
            message,
        };
        if self.http.max_body_bytes == 0 {
            return Err(invalid("http.max_body_bytes must be greater than 0".into()));
        }
        if self.http.timeout.is_zero() {
            return Err(invalid("http.timeout must be greater than 0".into()));
        }
        if self.politeness.per_host_concurrency == 0 {
            return Err(invalid(
                "politeness.per_host_concurrency must be at least 1".into(),
            ));
        }
        if self.thumbnails.max_width < 16 || self.thumbnails.max_width > 4096 {
            return Err(invalid(format!(
                "thumbnails.max_width must be between 16 and 4096, not {}",
                self.thumbnails.max_width
            )));
        }
        if self.liveness.gone_after_checks == 0 {
            return Err(invalid(
                "liveness.gone_after_checks must be at least 1".into(),
            ));
        }
        for (host, base) in &self.http.host_overrides {
            let parsed = url::Url::parse(base).map_err(|e| {
                invalid(format!(
                    "http.host_overrides.{host:?}: {base:?} is not a URL: {e}"
                ))
            })?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(invalid(format!(
                    "http.host_overrides.{host:?}: {base:?} must be an http or https URL"
                )));
            }
        }
        for (i, source) in self.sources.iter().enumerate() {
            let set = [
                source.feed.is_some(),
                source.sitemap.is_some(),
                source.urls_file.is_some(),
            ]
            .iter()
            .filter(|b| **b)
            .count();
            if set != 1 {
                return Err(invalid(format!(
                    "sources[{i}] must have exactly one of feed, sitemap or urls_file"
                )));
            }
        }
        Ok(())
    }

    /// The default configuration as commented TOML, for `embedkeep config default`.
    pub fn default_toml() -> &'static str {
        include_str!("../systemd/embedkeep.toml")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_defaults() {
        let c = Config::from_toml("", Path::new("x.toml")).expect("empty config parses");
        assert_eq!(c.http.max_body_bytes, DEFAULT_MAX_BODY_BYTES);
        assert_eq!(c.thumbnails.max_width, 480);
        assert!(!c.http.allow_private_addresses);
    }

    #[test]
    fn unknown_key_is_an_error_naming_the_file() {
        let err = Config::from_toml("[http]\ntimeot = \"1s\"\n", Path::new("bad.toml"))
            .expect_err("typo must fail");
        let msg = err.to_string();
        assert!(msg.contains("bad.toml") && msg.contains("timeot"), "{msg}");
    }

    #[test]
    fn durations_are_human() {
        let c = Config::from_toml("[http]\ntimeout = \"3s\"\n", Path::new("x.toml"))
            .expect("valid config");
        assert_eq!(c.http.timeout, Duration::from_secs(3));
    }

    #[test]
    fn example_config_parses() {
        Config::from_toml(Config::default_toml(), Path::new("systemd/embedkeep.toml"))
            .expect("the shipped example config must parse");
    }

    #[test]
    fn secret_debug_is_redacted() {
        assert_eq!(format!("{:?}", Secret("abc".into())), "Secret(<redacted>)");
    }
}
