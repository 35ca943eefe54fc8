//! The TOML configuration: one `Config` struct with a default for every key, validated at load.
//!
//! Every key is optional. Unknown keys are errors (a typo must not silently fall back to a
//! default). Secrets are read from files named here and never printed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

mod host_override;
pub use host_override::{HostOverride, host_override};
mod key_line;

/// Default HTTP timeout for one request, connect to last byte.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);
/// Default cap on any response body, after decompression.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 10 * 1024 * 1024;
/// Default number of redirects followed before giving up.
pub const DEFAULT_MAX_REDIRECTS: u32 = 5;
/// Default concurrent requests to one host.
pub const DEFAULT_PER_HOST_CONCURRENCY: usize = 2;
/// Default cap on requests in flight, all hosts together.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 32;
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
/// Default listen address of the Prometheus metrics endpoint.
pub const DEFAULT_METRICS_LISTEN: &str = "127.0.0.1:9464";
/// Default memory, in MiB, the server keeps served images in: the thumbnails of a few thousand
/// posts.
pub const DEFAULT_MEDIA_CACHE_MB: u64 = 64;
/// The most `serve.media_cache_mb` may ask for (64 GiB): past it the figure is a typo.
const MAX_MEDIA_CACHE_MB: u64 = 64 * 1024;
/// Default schedules (crontab).
pub const DEFAULT_DISCOVER: &str = "*/15 * * * *";
pub const DEFAULT_RECHECK: &str = "0 * * * *";
pub const DEFAULT_RETENTION: &str = "30 3 * * *";
/// Default re-check interval of a post in its first day.
pub const DEFAULT_RECHECK_MIN: Duration = Duration::from_secs(3600);
/// Default slowest re-check interval of an old post.
pub const DEFAULT_RECHECK_MAX: Duration = Duration::from_secs(7 * 24 * 3600);
/// Default growth of the re-check interval with a post's age (interval = age × growth).
pub const DEFAULT_RECHECK_GROWTH: f64 = 0.1;
/// Default number of jobs the daemon runs at once.
pub const DEFAULT_WORKERS: usize = 4;
/// Default lease of a claimed job: a worker that dies loses its jobs after this long.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(600);
/// The shortest lease: long enough for the worker running a job to extend it in time.
pub const MIN_LEASE: Duration = Duration::from_secs(1);
/// Default number of times a job is tried before it is given up.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 6;
/// Default age after which check history is pruned (the newest check of each post is kept).
pub const DEFAULT_KEEP_CHECKS: Duration = Duration::from_secs(90 * 24 * 3600);
/// Default grace period for in-flight work at shutdown.
pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(20);
/// Default cap on the embeds of one article that are resolved.
pub const DEFAULT_MAX_EMBEDS_PER_ARTICLE: usize = 500;
/// Default number of image decodes at once.
pub const DEFAULT_MAX_CONCURRENT_DECODES: usize = 2;
/// Default bound on one image decode.
pub const DEFAULT_DECODE_TIMEOUT: Duration = Duration::from_secs(10);

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
    pub limits: LimitsConfig,
    pub platforms: PlatformsConfig,
}

/// Bounds that keep one hostile page or image from taking the host down.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsConfig {
    /// Embeds of one article beyond this are reported, not resolved.
    pub max_embeds_per_article: usize,
    /// Image decodes at once, process-wide.
    pub max_concurrent_decodes: usize,
    /// Bound on one image decode.
    #[serde(with = "humantime_serde")]
    pub decode_timeout: Duration,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            max_embeds_per_article: DEFAULT_MAX_EMBEDS_PER_ARTICLE,
            max_concurrent_decodes: DEFAULT_MAX_CONCURRENT_DECODES,
            decode_timeout: DEFAULT_DECODE_TIMEOUT,
        }
    }
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
    /// Requests in flight at once, all hosts together.
    pub max_in_flight: usize,
}

impl Default for PolitenessConfig {
    fn default() -> Self {
        PolitenessConfig {
            per_host_concurrency: DEFAULT_PER_HOST_CONCURRENCY,
            per_host_interval: DEFAULT_PER_HOST_INTERVAL,
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
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
    /// Crontab expression for queueing the posts that are due for a check.
    pub recheck: String,
    /// Crontab expression for retention: WAL checkpoint, pruning old check history, vacuum.
    pub retention: String,
    /// Re-check interval of a post in its first day.
    #[serde(with = "humantime_serde")]
    pub recheck_min: Duration,
    /// The slowest a post is ever re-checked.
    #[serde(with = "humantime_serde")]
    pub recheck_max: Duration,
    /// How the interval grows with the post's age: interval = age × growth, between
    /// recheck_min and recheck_max (0.1: a week-old post every 17 h, a 10-week-old one weekly).
    pub recheck_growth: f64,
    /// Jobs run at once.
    pub workers: usize,
    /// How long a claimed job is held; a worker that dies loses its jobs after this.
    #[serde(with = "humantime_serde")]
    pub lease: Duration,
    /// Tries of a job before it is given up.
    pub max_attempts: u32,
    /// Check history older than this is pruned by retention (each post keeps its newest check,
    /// and each snapshot the check that first recorded its content).
    #[serde(with = "humantime_serde")]
    pub keep_checks: Duration,
    /// How long in-flight work may take to finish at shutdown.
    #[serde(with = "humantime_serde")]
    pub shutdown_grace: Duration,
}

impl Default for ScheduleConfig {
    fn default() -> Self {
        ScheduleConfig {
            discover: DEFAULT_DISCOVER.into(),
            recheck: DEFAULT_RECHECK.into(),
            retention: DEFAULT_RETENTION.into(),
            recheck_min: DEFAULT_RECHECK_MIN,
            recheck_max: DEFAULT_RECHECK_MAX,
            recheck_growth: DEFAULT_RECHECK_GROWTH,
            workers: DEFAULT_WORKERS,
            lease: DEFAULT_LEASE,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            keep_checks: DEFAULT_KEEP_CHECKS,
            shutdown_grace: DEFAULT_SHUTDOWN_GRACE,
        }
    }
}

/// Parse a crontab expression: 5 fields (minute hour day month weekday), or 6/7 with seconds
/// first (and a year last). The error quotes the expression.
pub fn parse_cron(expression: &str) -> Result<croner::Cron, String> {
    let fields = expression.split_whitespace().count();
    if !(5..=7).contains(&fields) {
        return Err(format!(
            "{expression:?} has {fields} fields; a crontab expression has 5 (minute hour day \
             month weekday), or 6/7 with seconds first"
        ));
    }
    // croner accepts a step larger than its field (`*/99` minutes runs once an hour, at :00),
    // which is never what was meant: refuse it.
    let names: &[(&str, u32)] = if fields == 5 {
        &[
            ("minute", 59),
            ("hour", 23),
            ("day", 31),
            ("month", 12),
            ("weekday", 7),
        ]
    } else {
        &[
            ("second", 59),
            ("minute", 59),
            ("hour", 23),
            ("day", 31),
            ("month", 12),
            ("weekday", 7),
        ]
    };
    for (field, (name, max)) in expression.split_whitespace().zip(names) {
        for part in field.split(',') {
            if let Some((_, step)) = part.split_once('/') {
                match step.parse::<u32>() {
                    Ok(n) if (1..=*max).contains(&n) => {}
                    _ => {
                        return Err(format!(
                            "{expression:?}: the {name} step {step:?} must be between 1 and {max}"
                        ));
                    }
                }
            }
        }
    }
    let cron = croner::parser::CronParser::builder()
        .seconds(croner::parser::Seconds::Optional)
        .year(croner::parser::Year::Optional)
        .build()
        .parse(expression)
        .map_err(|e| format!("{expression:?} is not a valid crontab expression: {e}"))?;
    // A date that no month has (`0 0 31 2 *`) or a year gone by parses, and then the job it
    // names would never run, silently. croner gives up on it within milliseconds.
    if cron
        .find_next_occurrence(&chrono::Utc::now(), false)
        .is_err()
    {
        return Err(format!(
            "{expression:?} never fires: no date matches it from now on"
        ));
    }
    Ok(cron)
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
    pub metrics_listen: String,
    /// MiB of memory for images once served, so the next request for one is answered without
    /// reading the archive; 0 keeps none.
    pub media_cache_mb: u64,
}

impl ServeConfig {
    /// `media_cache_mb` in bytes.
    pub fn media_cache_bytes(&self) -> usize {
        usize::try_from(self.media_cache_mb.saturating_mul(1024 * 1024)).unwrap_or(usize::MAX)
    }
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            listen: DEFAULT_LISTEN.into(),
            public_base_url: None,
            admin_token_file: None,
            metrics_listen: DEFAULT_METRICS_LISTEN.into(),
            media_cache_mb: DEFAULT_MEDIA_CACHE_MB,
        }
    }
}

/// `[platforms.NAME]`: one table per platform, keyed by its lowercase name (`instagram`,
/// `bluesky`, ...), as `model::Platform::as_str` writes them. A platform without a table gets
/// [`PlatformConfig::default`]. An unknown NAME is refused when the file is read.
///
/// It serialises (`config check` prints it) as the settings in force: a table for every
/// platform, holding only the keys that platform reads, with the values it uses (the Graph API
/// version too when defaulted). What is printed loads again as the same settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct PlatformsConfig(BTreeMap<String, PlatformConfig>);

impl Serialize for PlatformsConfig {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(PLATFORM_NAMES.len()))?;
        for name in PLATFORM_NAMES {
            map.serialize_entry(name, &PlatformInForce::of(name, self.get(name)))?;
        }
        map.end()
    }
}

/// One platform's settings as they are printed: the keys it reads (see [`PLATFORM_ONLY_KEYS`])
/// with the values it uses; a key without a value (no token file) is left out.
#[derive(Serialize)]
struct PlatformInForce<'a> {
    enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    access_token_file: Option<&'a Path>,
    #[serde(skip_serializing_if = "Option::is_none")]
    graph_api_version: Option<&'a str>,
    #[serde(with = "humantime_serde")]
    min_interval: Duration,
    #[serde(skip_serializing_if = "Option::is_none")]
    show_restricted_text: Option<bool>,
}

impl<'a> PlatformInForce<'a> {
    fn of(name: &str, settings: &'a PlatformConfig) -> Self {
        let reads = |key: &str| {
            PLATFORM_ONLY_KEYS
                .iter()
                .all(|(only, readers)| *only != key || readers.contains(&name))
        };
        PlatformInForce {
            enabled: settings.enabled,
            access_token_file: settings
                .access_token_file
                .as_deref()
                .filter(|_| reads("access_token_file")),
            graph_api_version: reads("graph_api_version").then(|| settings.graph_api_version()),
            min_interval: settings.min_interval,
            show_restricted_text: reads("show_restricted_text")
                .then_some(settings.show_restricted_text),
        }
    }
}

impl PlatformsConfig {
    /// The settings of the platform named `name`, or the defaults.
    pub fn get(&self, name: &str) -> &PlatformConfig {
        static DEFAULT: std::sync::LazyLock<PlatformConfig> =
            std::sync::LazyLock::new(PlatformConfig::default);
        self.0.get(name).unwrap_or(&DEFAULT)
    }

    /// The settings of `name`, created with the defaults if absent (for building configs in code).
    pub fn get_mut(&mut self, name: &str) -> &mut PlatformConfig {
        self.0.entry(name.to_owned()).or_default()
    }

    /// The platform names the file has a table for.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
}

/// One platform's settings. Token files enable the sources that need them; without one those
/// sources are skipped, never failed.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlatformConfig {
    /// `false` skips the platform's resolver: its embeds are found and listed, never fetched.
    pub enabled: bool,
    /// A file holding the access token of the platform's token sources (Graph oEmbed for
    /// Instagram and Facebook).
    pub access_token_file: Option<PathBuf>,
    /// Graph API version used in token-based source URLs (e.g. "v24.0").
    pub graph_api_version: Option<String>,
    /// Politeness towards this platform on top of `[politeness]`: the least time between the
    /// starts of two resolutions of its posts.
    #[serde(with = "humantime_serde")]
    pub min_interval: Duration,
    /// Bluesky: authors can ask that logged-out viewers not see their posts
    /// (`!no-unauthenticated`). Such posts are archived, but their text stays out of public
    /// cards unless this is `true`.
    pub show_restricted_text: bool,
}

impl Default for PlatformConfig {
    fn default() -> Self {
        PlatformConfig {
            enabled: true,
            access_token_file: None,
            graph_api_version: None,
            min_interval: Duration::ZERO,
            show_restricted_text: false,
        }
    }
}

/// The settings of a platform whose token sources read a token file (the former name).
pub type TokenPlatformConfig = PlatformConfig;

/// Graph API version used when `graph_api_version` is not set.
pub const DEFAULT_GRAPH_API_VERSION: &str = "v24.0";

/// Whether `text` is a Graph API version as Meta writes them: `v`, a major and a minor number
/// (`v24.0`).
fn is_graph_api_version(text: &str) -> bool {
    let number =
        |part: &str| (1..=3).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit());
    text.strip_prefix('v')
        .and_then(|rest| rest.split_once('.'))
        .is_some_and(|(major, minor)| number(major) && number(minor))
}

impl PlatformConfig {
    /// The configured Graph API version, or the default.
    pub fn graph_api_version(&self) -> &str {
        self.graph_api_version
            .as_deref()
            .unwrap_or(DEFAULT_GRAPH_API_VERSION)
    }
}

/// The most a config file holds: the commented default is a few KiB.
pub const MAX_CONFIG_FILE_BYTES: u64 = 1024 * 1024;

/// The most a token file holds: a token is a line of a few hundred bytes.
pub const MAX_SECRET_FILE_BYTES: u64 = 64 * 1024;

/// The bytes of the file at `path`, which must be a regular file (a pipe would hold the open
/// until something writes to it, a device such as `/dev/zero` never ends), refusing more than
/// `limit` of them whatever its metadata says (it may grow while being read): the error's kind
/// is then [`std::io::ErrorKind::FileTooLarge`]. Token files and the daemon's URL lists are
/// read so.
pub fn read_regular_file(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    if !std::fs::metadata(path)?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "it is not a regular file (a directory, a pipe or a device)",
        ));
    }
    let file = std::fs::File::open(path)?;
    let declared = file.metadata()?.len();
    let too_large = || {
        std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!("it is over {limit} bytes"),
        )
    };
    if declared > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(declared).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Read a file holding a secret (an access or admin token): [`read_regular_file`] of at most
/// [`MAX_SECRET_FILE_BYTES`], as UTF-8 text.
pub fn read_secret_file(path: &Path) -> std::io::Result<String> {
    let bytes = read_regular_file(path, MAX_SECRET_FILE_BYTES).map_err(|e| {
        if e.kind() == std::io::ErrorKind::FileTooLarge {
            std::io::Error::new(
                e.kind(),
                format!(
                    "it is over {} KiB, and a token file holds one token",
                    MAX_SECRET_FILE_BYTES / 1024
                ),
            )
        } else {
            e
        }
    })?;
    String::from_utf8(bytes)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error()))
}

impl PlatformConfig {
    /// The token, read from its file; `Ok(None)` when no file is configured.
    pub fn access_token(&self) -> Result<Option<Secret>, ConfigError> {
        let Some(path) = &self.access_token_file else {
            return Ok(None);
        };
        let text = read_secret_file(path).map_err(|e| ConfigError::TokenFile {
            path: path.clone(),
            message: format!("cannot read the access token file {}: {e}", path.display()),
        })?;
        let token = text.trim();
        if token.is_empty() {
            return Err(ConfigError::TokenFile {
                path: path.clone(),
                message: format!("the access token file {} is empty", path.display()),
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
    /// A token file the config names cannot be read or holds no token (`path` is the token
    /// file, not the config).
    #[error("{message}")]
    TokenFile { path: PathBuf, message: String },
}

impl ConfigError {
    /// An error found after parsing, with the line of the file that writes the key it names
    /// (`line 6: schedule.recheck: …`), as the parser's own errors give theirs; other errors,
    /// and keys the file leaves to their defaults, as they are.
    pub fn located(self, text: &str) -> ConfigError {
        match self {
            ConfigError::Invalid { path, message } => {
                let message = match key_line::line_of_key(text, &message) {
                    Some(line) => format!("line {line}: {message}"),
                    None => message,
                };
                ConfigError::Invalid { path, message }
            }
            other => other,
        }
    }
}

/// What a TOML error says of `text`. The parser quotes the line it stopped at, which shows a
/// typo at once; but a file that is no config at all (a token file given as `--config` by
/// mistake, `/proc/self/environ`) would be printed, secrets and all, so one without a single
/// `key = value` or `[table]` line, or holding NUL bytes, is not quoted: its line and column
/// are named instead.
fn parse_message(text: &str, e: &toml::de::Error) -> String {
    let config_like = !text.contains('\0')
        && text.lines().any(|l| {
            let l = l.trim_start();
            l.starts_with('[') || (l.contains('=') && !l.starts_with('#'))
        });
    if config_like {
        return e.to_string();
    }
    let at = e.span().map_or(0, |s| s.start.min(text.len()));
    let before = text.get(..at).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!(
        "not a TOML config: {} at line {line}, column {column} (the line is not shown: the \
         file holds no `key = value` line, and may be a secret)",
        e.message().trim_end()
    )
}

impl Config {
    /// Parse and validate config text; `path` names the file in errors, and its directory is
    /// where a relative path-valued key is (see [`Config::resolve_paths`]).
    pub fn from_toml(text: &str, path: &Path) -> Result<Config, ConfigError> {
        Config::checked(text, path).map_err(|e| e.located(text))
    }

    /// [`Config::from_toml`] but for the line numbers of errors found after parsing.
    fn checked(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_owned(),
            message: parse_message(text, &e),
        })?;
        config.validate(path)?;
        // Which keys a platform's table sets, not their values (a default and an explicit
        // `false` deserialise alike): the same text parsed as a plain table. It parsed above.
        if let Ok(Some(platforms)) = text
            .parse::<toml::Table>()
            .map(|t| t.get("platforms").and_then(toml::Value::as_table).cloned())
        {
            check_platform_keys(&platforms).map_err(|message| ConfigError::Invalid {
                path: path.to_owned(),
                message,
            })?;
        }
        // After the checks above, so a key set where it does nothing is refused as such
        // before its value is looked at.
        let home = std::env::var_os("HOME").filter(|home| !home.is_empty());
        config
            .resolve_paths(path, home.as_deref().map(Path::new))
            .map_err(|message| ConfigError::Invalid {
                path: path.to_owned(),
                message,
            })?;
        Ok(config)
    }

    /// Make every path-valued key absolute as [`resolve_config_path`] does, relative to the
    /// directory of `config_file`, so one config names the same files wherever a command runs
    /// (a systemd unit's working directory is `/`). Every key that names a file is listed here.
    fn resolve_paths(&mut self, config_file: &Path, home: Option<&Path>) -> Result<(), String> {
        let resolve = |key: &str, value: &mut Option<PathBuf>| -> Result<(), String> {
            if let Some(path) = value {
                *path = resolve_config_path(key, path, config_file, home)?;
            }
            Ok(())
        };
        resolve("store.path", &mut self.store.path)?;
        resolve("serve.admin_token_file", &mut self.serve.admin_token_file)?;
        for (name, platform) in &mut self.platforms.0 {
            let key = format!("platforms.{name}.access_token_file");
            resolve(&key, &mut platform.access_token_file)?;
        }
        for (i, source) in self.sources.iter_mut().enumerate() {
            resolve(&format!("sources[{i}].urls_file"), &mut source.urls_file)?;
        }
        Ok(())
    }

    /// Read, parse and validate a config file: a regular file of at most
    /// [`MAX_CONFIG_FILE_BYTES`] (a pipe would hold the read, at start or at a reload, until
    /// something writes to it; a device such as `/dev/zero` never ends).
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        Config::from_toml(&Config::read_text(path)?, path)
    }

    /// A config file's text, read as [`Config::load`] reads it (`config check` reads the file
    /// it checks through here too, so that it refuses what the commands refuse).
    pub fn read_text(path: &Path) -> Result<String, ConfigError> {
        let read = |source| ConfigError::Read {
            path: path.to_owned(),
            source,
        };
        let bytes = read_regular_file(path, MAX_CONFIG_FILE_BYTES).map_err(read)?;
        String::from_utf8(bytes).map_err(|e| {
            read(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                e.utf8_error(),
            ))
        })
    }

    fn validate(&self, path: &Path) -> Result<(), ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_owned(),
            message,
        };
        // A misspelt `[platforms.instagrm]` would otherwise be ignored, leaving the platform
        // it meant with its defaults.
        if let Some(name) = self
            .platforms
            .names()
            .find(|name| !PLATFORM_NAMES.contains(name))
        {
            return Err(invalid(format!(
                "[platforms.{name}]: unknown platform; the names are {}",
                PLATFORM_NAMES.join(", ")
            )));
        }
        // Times are added to the clock (a re-check's date, a deadline): past a century the sum
        // overflows, and no setting needs one.
        let platform_intervals: Vec<(String, Duration)> = self
            .platforms
            .names()
            .map(|name| {
                (
                    format!("platforms.{name}.min_interval"),
                    self.platforms.get(name).min_interval,
                )
            })
            .collect();
        let durations = [
            ("limits.decode_timeout", self.limits.decode_timeout),
            ("http.timeout", self.http.timeout),
            (
                "politeness.per_host_interval",
                self.politeness.per_host_interval,
            ),
            ("liveness.gone_after", self.liveness.gone_after),
            ("schedule.recheck_min", self.schedule.recheck_min),
            ("schedule.recheck_max", self.schedule.recheck_max),
            ("schedule.lease", self.schedule.lease),
            ("schedule.keep_checks", self.schedule.keep_checks),
            ("schedule.shutdown_grace", self.schedule.shutdown_grace),
        ];
        for (key, value) in durations
            .iter()
            .map(|(k, v)| (*k, *v))
            .chain(platform_intervals.iter().map(|(k, v)| (k.as_str(), *v)))
        {
            if value > MAX_DURATION {
                return Err(invalid(format!(
                    "{key} must be at most {} (it is {})",
                    humantime::format_duration(MAX_DURATION),
                    humantime::format_duration(value)
                )));
            }
        }
        // TOML's integers are signed 64-bit: a larger count is read, but cannot be written
        // back (`config check` prints the settings in force as TOML).
        let counts = [
            (
                "limits.max_embeds_per_article",
                self.limits.max_embeds_per_article as u64,
            ),
            (
                "limits.max_concurrent_decodes",
                self.limits.max_concurrent_decodes as u64,
            ),
            ("http.max_body_bytes", self.http.max_body_bytes),
            (
                "politeness.per_host_concurrency",
                self.politeness.per_host_concurrency as u64,
            ),
            (
                "politeness.max_in_flight",
                self.politeness.max_in_flight as u64,
            ),
            ("schedule.workers", self.schedule.workers as u64),
        ];
        if let Some((key, value)) = counts.iter().find(|(_, v)| *v > i64::MAX as u64) {
            return Err(invalid(format!(
                "{key} must be at most {} (it is {value})",
                i64::MAX
            )));
        }
        if self.serve.media_cache_mb > MAX_MEDIA_CACHE_MB {
            return Err(invalid(format!(
                "serve.media_cache_mb must be at most {MAX_MEDIA_CACHE_MB} (MiB), got {}",
                self.serve.media_cache_mb
            )));
        }
        // The HTTP client refuses such a value only when it is built, after the database has
        // been created, naming no key ("builder error"). It is the same test the client applies.
        if reqwest::header::HeaderValue::from_str(&self.http.user_agent).is_err() {
            return Err(invalid(format!(
                "http.user_agent: {:?} is not a valid HTTP header value (no control characters \
                 such as line breaks)",
                self.http.user_agent
            )));
        }
        if self.http.max_body_bytes == 0 {
            return Err(invalid(greater_than_0("http.max_body_bytes", 0)));
        }
        if self.http.timeout.is_zero() {
            return Err(invalid(greater_than_0("http.timeout", "0s")));
        }
        if self.politeness.per_host_concurrency == 0 {
            return Err(invalid(at_least_1("politeness.per_host_concurrency")));
        }
        if self.politeness.max_in_flight == 0 {
            return Err(invalid(at_least_1("politeness.max_in_flight")));
        }
        // These counts are semaphore permits: past tokio's limit the HTTP client would panic
        // when built (max_in_flight) or at its first request to a host (per_host_concurrency),
        // and the decode gate would quietly use less.
        for (key, permits) in [
            (
                "politeness.per_host_concurrency",
                self.politeness.per_host_concurrency,
            ),
            ("politeness.max_in_flight", self.politeness.max_in_flight),
            (
                "limits.max_concurrent_decodes",
                self.limits.max_concurrent_decodes,
            ),
        ] {
            if permits > tokio::sync::Semaphore::MAX_PERMITS {
                return Err(invalid(at_most(
                    key,
                    tokio::sync::Semaphore::MAX_PERMITS,
                    permits,
                )));
            }
        }
        if self.thumbnails.max_width < 16 || self.thumbnails.max_width > 4096 {
            return Err(invalid(format!(
                "thumbnails.max_width must be between 16 and 4096, not {}",
                self.thumbnails.max_width
            )));
        }
        if self.liveness.gone_after_checks == 0 {
            return Err(invalid(at_least_1("liveness.gone_after_checks")));
        }
        for (host, base) in &self.http.host_overrides {
            host_override(host, base)
                .map_err(|reason| invalid(format!("http.host_overrides.{host:?}: {reason}")))?;
        }
        for (key, expression) in [
            ("discover", &self.schedule.discover),
            ("recheck", &self.schedule.recheck),
            ("retention", &self.schedule.retention),
        ] {
            parse_cron(expression).map_err(|e| invalid(format!("schedule.{key}: {e}")))?;
        }
        let s = &self.schedule;
        if s.recheck_min.is_zero() {
            return Err(invalid(greater_than_0("schedule.recheck_min", "0s")));
        }
        if s.recheck_max < s.recheck_min {
            return Err(invalid(format!(
                "schedule.recheck_min ({}) must be at most schedule.recheck_max ({})",
                humantime::format_duration(s.recheck_min),
                humantime::format_duration(s.recheck_max)
            )));
        }
        if !(s.recheck_growth.is_finite() && s.recheck_growth >= 0.0) {
            return Err(invalid(format!(
                "schedule.recheck_growth must be a number of 0 or more, not {}",
                s.recheck_growth
            )));
        }
        if s.workers == 0 {
            return Err(invalid(greater_than_0("schedule.workers", 0)));
        }
        if s.max_attempts == 0 {
            return Err(invalid(greater_than_0("schedule.max_attempts", 0)));
        }
        if s.lease.is_zero() {
            return Err(invalid(greater_than_0("schedule.lease", "0s")));
        }
        // A running job's lease is extended every third of it (never more often than every
        // 100 ms, a write each time): a shorter lease could lapse between two extensions and
        // hand a job that is still running to a second worker.
        if s.lease < MIN_LEASE {
            return Err(invalid(format!(
                "schedule.lease must be at least {} (it is {})",
                humantime::format_duration(MIN_LEASE),
                humantime::format_duration(s.lease)
            )));
        }
        let mut listeners = Vec::new();
        for (key, address) in [
            ("serve.listen", &self.serve.listen),
            ("serve.metrics_listen", &self.serve.metrics_listen),
        ] {
            listeners.push(address.parse::<std::net::SocketAddr>().map_err(|e| {
                invalid(format!(
                    "{key}: {address:?} is not an address and port like 127.0.0.1:8080: {e}"
                ))
            })?);
        }
        // Both listeners are bound at start: the second would fail "Address already in use".
        if let [api, metrics] = listeners[..]
            && listeners_collide(api, metrics)
        {
            return Err(invalid(format!(
                "serve.listen = {:?} and serve.metrics_listen = {:?} would listen on the same \
                 port: /metrics needs an address of its own",
                self.serve.listen, self.serve.metrics_listen
            )));
        }
        if let Some(base) = &self.serve.public_base_url {
            check_http_url(base)
                .and_then(|url| check_base_address(base, &url))
                .map_err(|e| invalid(format!("serve.public_base_url: {e}")))?;
        }
        if self.limits.max_embeds_per_article == 0 {
            return Err(invalid(at_least_1("limits.max_embeds_per_article")));
        }
        if self.limits.max_concurrent_decodes == 0 {
            return Err(invalid(at_least_1("limits.max_concurrent_decodes")));
        }
        if self.limits.decode_timeout.is_zero() {
            return Err(invalid(greater_than_0("limits.decode_timeout", "0s")));
        }
        for (name, platform) in &self.platforms.0 {
            if let Some(version) = &platform.graph_api_version
                && !is_graph_api_version(version)
            {
                return Err(invalid(format!(
                    "platforms.{name}.graph_api_version = {version:?} is not a Graph API version \
                     like {DEFAULT_GRAPH_API_VERSION:?} (it goes into the request's path)"
                )));
            }
        }
        for (i, source) in self.sources.iter().enumerate() {
            for (key, url) in [("feed", &source.feed), ("sitemap", &source.sitemap)] {
                if let Some(url) = url {
                    check_http_url(url).map_err(|e| invalid(format!("sources[{i}].{key}: {e}")))?;
                }
            }
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

    /// Re-read `path` for a reload: the new config, or why the old one stays.
    pub fn reload(path: &Path) -> Result<Config, ConfigError> {
        Config::load(path)
    }

    /// The default configuration as commented TOML, for `embedkeep config default`.
    pub fn default_toml() -> &'static str {
        include_str!("../systemd/embedkeep.toml")
    }
}

/// The names a `[platforms.NAME]` table may have: the platforms' contract names, as
/// `model::Platform` writes them (the settings name platforms by string, so they need no model
/// type; `tests/platform_registry.rs` holds this list to `Platform::ALL`).
pub const PLATFORM_NAMES: [&str; 23] = [
    "instagram",
    "x",
    "tiktok",
    "youtube",
    "facebook",
    "threads",
    "bluesky",
    "mastodon",
    "reddit",
    "vimeo",
    "dailymotion",
    "spotify",
    "soundcloud",
    "pinterest",
    "tumblr",
    "imgur",
    "giphy",
    "twitch",
    "linkedin",
    "oembed",
    "page",
    "applepodcasts",
    "bandcamp",
];

/// The keys of `[platforms.NAME]` that only some platforms read, with those platforms: set under
/// another platform they would do nothing, silently.
const PLATFORM_ONLY_KEYS: [(&str, &[&str]); 3] = [
    ("show_restricted_text", &["bluesky"]),
    ("access_token_file", &["instagram", "facebook"]),
    ("graph_api_version", &["instagram", "facebook"]),
];

/// Refuse a platform-only key (see [`PLATFORM_ONLY_KEYS`]) in the table of a platform that does
/// not read it, naming the key and the platforms that do. `platforms` is the `[platforms]`
/// table as written.
fn check_platform_keys(platforms: &toml::Table) -> Result<(), String> {
    for (name, table) in platforms {
        let Some(table) = table.as_table() else {
            continue;
        };
        for (key, readers) in PLATFORM_ONLY_KEYS {
            if table.contains_key(key) && !readers.contains(&name.as_str()) {
                let readers: Vec<String> =
                    readers.iter().map(|p| format!("[platforms.{p}]")).collect();
                let verb = if readers.len() == 1 { "reads" } else { "read" };
                return Err(format!(
                    "platforms.{name}.{key}: only {} {verb} this key",
                    readers.join(" and ")
                ));
            }
        }
    }
    Ok(())
}

/// The value `value` of the path-valued key `key` (`store.path`, `serve.admin_token_file`, ...)
/// as set in the config file `config_file`, made absolute: a leading `~/` is the home directory
/// `home` (`$HOME`), and a relative path is relative to the directory of `config_file`, so one
/// config names one file wherever a command runs. A `~` that is not `~/` (`~user/`) is refused,
/// as is `~/` without a home directory: either would otherwise be a directory named `~` in the
/// current directory. An empty value, which would name the config's directory, is refused too.
/// Each message names the key and the value.
fn resolve_config_path(
    key: &str,
    value: &Path,
    config_file: &Path,
    home: Option<&Path>,
) -> Result<PathBuf, String> {
    if value.as_os_str().is_empty() {
        return Err(format!("{key}: {value:?} names no file"));
    }
    let mut components = value.components();
    if let Some(std::path::Component::Normal(first)) = components.next()
        && first.as_encoded_bytes().starts_with(b"~")
    {
        let rest = components.as_path();
        if first != "~" {
            return Err(format!(
                "{key}: {value:?}: only a leading ~/ (your home directory) is expanded, \
                 not ~user; write the full path"
            ));
        }
        if rest.as_os_str().is_empty() {
            return Err(format!(
                "{key}: {value:?} is the home directory, not a file"
            ));
        }
        let Some(home) = home else {
            return Err(format!(
                "{key}: {value:?} starts with ~/ but $HOME is not set; write the full path"
            ));
        };
        return Ok(home.join(rest));
    }
    if value.is_absolute() {
        return Ok(value.to_owned());
    }
    let config_file = std::path::absolute(config_file).map_err(|e| {
        format!(
            "{key}: cannot find the directory of {} that {value:?} is relative to: {e}",
            config_file.display()
        )
    })?;
    Ok(config_file
        .parent()
        .map_or_else(|| value.to_owned(), |dir| dir.join(value)))
}

/// The longest time any setting may be: a century (of 365.25 days, humantime's year). Times
/// are added to the clock, and past this no setting means anything.
pub const MAX_DURATION: Duration = Duration::from_secs(100 * 31_557_600);

/// The message for `key`, a duration or count that must not be 0, set to `zero` (how 0 reads
/// in its unit: `0`, `0s`). Each such message names one key and its value.
fn greater_than_0(key: &str, zero: impl std::fmt::Display) -> String {
    format!("{key} must be greater than 0 (it is {zero})")
}

/// The message for `key`, a count of things that must be at least 1, set to 0.
fn at_least_1(key: &str) -> String {
    format!("{key} must be at least 1 (it is 0)")
}

/// The message for `key`, a count set to `value`, above the `most` it may be.
fn at_most(key: &str, most: usize, value: usize) -> String {
    format!("{key} must be at most {most} (it is {value})")
}

/// True when `a` and `b` cannot both be bound: the same port (not 0, which asks for a free
/// one) on the same address, or on addresses that overlap. `0.0.0.0` covers every IPv4
/// address; `[::]` covers every address, IPv4 too (the server binds with the system's
/// default, which is dual-stack on Linux).
fn listeners_collide(a: std::net::SocketAddr, b: std::net::SocketAddr) -> bool {
    let covers = |x: std::net::SocketAddr, y: std::net::SocketAddr| {
        x.ip().is_unspecified() && (x.is_ipv6() || y.is_ipv4())
    };
    a.port() != 0 && a.port() == b.port() && (a.ip() == b.ip() || covers(a, b) || covers(b, a))
}

/// An absolute http(s) URL, or why not.
fn check_http_url(text: &str) -> Result<url::Url, String> {
    let url = url::Url::parse(text).map_err(|e| format!("{text:?} is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!("{text:?} must be an http or https URL with a host"));
    }
    Ok(url)
}

/// An address the server's paths (`/v1/posts/7/card`, `/v1/media/…`) are appended to: a query
/// or a fragment would end up in front of them, and credentials in every page that names it.
fn check_base_address(text: &str, url: &url::Url) -> Result<(), String> {
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "{text:?} has a query or a fragment: give the address the server's paths are \
             appended to, such as https://embeds.example.com or https://example.com/embeds"
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // Named without them: the message goes to the terminal and the journal.
        let mut shown = url.clone();
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
        return Err(format!(
            "{:?} holds credentials (user name or password) before its host, which every card \
             and page would show",
            shown.as_str()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file that is no config is not quoted in the error (it may be a token file given by
    /// mistake); a config with a typo is, which shows the typo at once.
    #[test]
    fn a_parse_error_quotes_a_config_but_no_secret() {
        let path = Path::new("/etc/embedkeep/admin-token");
        for (secret, hidden) in [
            ("s3cret-token-value\n", "s3cret"),
            ("HOME=/root\0TOKEN=s3cret\0", "s3cret"),
        ] {
            let said = Config::from_toml(secret, path)
                .expect_err(secret)
                .to_string();
            assert!(!said.contains(hidden), "{said}");
            assert!(said.contains("line 1, column"), "{said}");
        }
        let typo = "[http]\ntimeout = 5s\n";
        let said = Config::from_toml(typo, path).expect_err("typo").to_string();
        assert!(
            said.contains("timeout = 5s") && said.contains("line 2"),
            "{said}"
        );
    }

    #[test]
    fn a_public_base_url_is_an_address_paths_are_appended_to() {
        for good in ["https://embeds.example.com", "https://example.com/embeds/"] {
            let text = format!("[serve]\npublic_base_url = {good:?}\n");
            assert!(
                Config::from_toml(&text, Path::new("c.toml")).is_ok(),
                "{good}"
            );
        }
        for bad in [
            "https://embeds.example.com/?v=1",
            "https://embeds.example.com/#frag",
            "https://user:secret@embeds.example.com/",
        ] {
            let text = format!("[serve]\npublic_base_url = {bad:?}\n");
            let err = Config::from_toml(&text, Path::new("c.toml"))
                .expect_err(&format!("{bad} must be refused"))
                .to_string();
            let named = bad.replace("user:secret@", "");
            assert!(
                err.contains("serve.public_base_url") && err.contains(&named),
                "{err}"
            );
            assert!(!err.contains("secret"), "a password is never shown: {err}");
        }
    }

    /// The version goes into the path of a Graph API request: only a version's shape is taken.
    #[test]
    fn a_graph_api_version_is_a_version() {
        for good in ["v24.0", "v9.1", "v100.12"] {
            let text = format!("[platforms.instagram]\ngraph_api_version = {good:?}\n");
            assert!(
                Config::from_toml(&text, Path::new("c.toml")).is_ok(),
                "{good}"
            );
        }
        for bad in [
            "../../evil",
            "24.0",
            "v24",
            "v24.0/x",
            "v24.0?x=1",
            "",
            "v.0",
            "v1234.0",
        ] {
            let text = format!("[platforms.facebook]\ngraph_api_version = {bad:?}\n");
            let err = Config::from_toml(&text, Path::new("c.toml"))
                .expect_err(&format!("{bad:?} must be refused"))
                .to_string();
            assert!(
                err.contains("platforms.facebook.graph_api_version") && err.contains("c.toml"),
                "{err}"
            );
        }
    }

    #[test]
    fn bad_cron_expressions_are_refused_quoting_them() {
        for bad in [
            "*/99 * * * *",
            "* * * *",
            "61 * * * *",
            "every hour",
            "* * * * * * * *",
        ] {
            let text = format!("[schedule]\nrecheck = {bad:?}\n");
            let err = Config::from_toml(&text, Path::new("c.toml"))
                .expect_err(&format!("{bad} must be refused"))
                .to_string();
            assert!(
                err.contains("schedule.recheck") && err.contains(bad),
                "{err}"
            );
        }
        for never in [
            "0 0 31 2 *",
            "0 0 30 2 *",
            "0 0 31 4,6 *",
            "0 0 0 1 1 * 2020",
        ] {
            let text = format!("[schedule]\nrecheck = {never:?}\n");
            let err = Config::from_toml(&text, Path::new("c.toml"))
                .expect_err(&format!("{never} must be refused"))
                .to_string();
            assert!(
                err.contains("schedule.recheck")
                    && err.contains(never)
                    && err.contains("never fires"),
                "{err}"
            );
        }
        for good in [
            "0 0 29 2 *",
            "*/15 * * * *",
            "0 0 * * * *",
            "*/5 * * * * *",
            "0 30 3 * * * 2030",
        ] {
            let text = format!("[schedule]\nrecheck = {good:?}\n");
            Config::from_toml(&text, Path::new("c.toml")).expect(good);
        }
    }

    #[test]
    fn an_unknown_platform_table_is_refused_naming_it_and_the_known_names() {
        for name in ["instagrm", "myspace", "Instagram"] {
            let text = format!("[platforms.{name}]\nenabled = false\n");
            let err = Config::from_toml(&text, Path::new("c.toml"))
                .expect_err(name)
                .to_string();
            assert!(err.contains(&format!("[platforms.{name}]")), "{err}");
            assert!(err.contains("instagram, x,"), "{err}");
        }
        let c = Config::from_toml(
            "[platforms.instagram]\nenabled = false\n",
            Path::new("c.toml"),
        )
        .expect("a known platform");
        assert!(!c.platforms.get("instagram").enabled);
    }

    #[test]
    fn a_key_of_another_platform_is_refused() {
        for (text, key) in [
            (
                "[platforms.x]\nshow_restricted_text = true\n",
                "platforms.x.show_restricted_text",
            ),
            (
                "[platforms.x]\nshow_restricted_text = false\n",
                "platforms.x.show_restricted_text",
            ),
            (
                "[platforms.youtube]\ngraph_api_version = \"v24.0\"\n",
                "platforms.youtube.graph_api_version",
            ),
        ] {
            let err = Config::from_toml(text, Path::new("c.toml"))
                .expect_err(text)
                .to_string();
            assert!(err.contains(key), "{err}");
            assert!(err.contains("only [platforms."), "{err}");
        }
        for good in [
            "[platforms.bluesky]\nshow_restricted_text = true\n",
            "[platforms.facebook]\ngraph_api_version = \"v24.0\"\n",
            "[platforms.x]\nenabled = false\nmin_interval = \"1s\"\n",
        ] {
            Config::from_toml(good, Path::new("c.toml")).expect(good);
        }
    }

    #[test]
    fn bad_addresses_and_source_urls_are_refused() {
        let cases = [
            ("[serve]\nlisten = \"localhost\"\n", "serve.listen"),
            (
                "[serve]\nmetrics_listen = \"127.0.0.1:99999\"\n",
                "serve.metrics_listen",
            ),
            (
                "[[sources]]\nfeed = \"news.example.com/rss\"\n",
                "sources[0].feed",
            ),
            (
                "[[sources]]\nsitemap = \"ftp://x.example/s.xml\"\n",
                "sources[0].sitemap",
            ),
        ];
        for (text, key) in cases {
            let err = Config::from_toml(text, Path::new("c.toml"))
                .expect_err(text)
                .to_string();
            assert!(err.contains(key), "{err}");
        }
    }

    /// Regression: a user agent that is no header value passed the config, and every fetching
    /// command then failed with "cannot build the HTTP client: builder error".
    #[test]
    fn a_user_agent_that_is_not_a_header_value_is_refused_quoting_it() {
        for (text, quoted) in [
            ("[http]\nuser_agent = \"bad\\nua\"\n", r#""bad\nua""#),
            (
                "[http]\nuser_agent = \"a\\r\\nX-Injected: 1\"\n",
                r#""a\r\nX-Injected: 1""#,
            ),
            ("[http]\nuser_agent = \"nul\\u0000\"\n", r#""nul\0""#),
        ] {
            let err = Config::from_toml(text, Path::new("c.toml"))
                .expect_err(text)
                .to_string();
            assert!(
                err.contains("http.user_agent") && err.contains(quoted),
                "{err}"
            );
            assert!(err.contains("c.toml"), "{err}");
        }
        for good in [
            "[http]\nuser_agent = \"embedkeep/1.0 (+https://news.example/bot; ops@news.example)\"\n",
            "[http]\nuser_agent = \"tab\\tseparated\"\n",
        ] {
            Config::from_toml(good, Path::new("c.toml")).expect(good);
        }
    }

    /// Regression: `serve.listen` equal to `serve.metrics_listen` passed the config; serve then
    /// failed "Address already in use".
    #[test]
    fn listeners_on_the_same_port_are_refused_naming_both_keys() {
        for (listen, metrics) in [
            ("127.0.0.1:8080", "127.0.0.1:8080"),
            ("0.0.0.0:8080", "127.0.0.1:8080"),
            ("127.0.0.1:9464", "0.0.0.0:9464"),
            ("[::]:8080", "127.0.0.1:8080"),
            ("[::1]:8080", "[::1]:8080"),
        ] {
            let text = format!("[serve]\nlisten = {listen:?}\nmetrics_listen = {metrics:?}\n");
            let err = Config::from_toml(&text, Path::new("c.toml"))
                .expect_err(&text)
                .to_string();
            assert!(
                err.contains(&format!("serve.listen = {listen:?}"))
                    && err.contains(&format!("serve.metrics_listen = {metrics:?}")),
                "{err}"
            );
        }
        for (listen, metrics) in [
            ("127.0.0.1:0", "127.0.0.1:0"),
            ("127.0.0.1:8080", "127.0.0.1:9464"),
            ("127.0.0.1:8080", "127.0.0.2:8080"),
            ("0.0.0.0:8080", "[::1]:8080"),
        ] {
            let text = format!("[serve]\nlisten = {listen:?}\nmetrics_listen = {metrics:?}\n");
            Config::from_toml(&text, Path::new("c.toml")).expect(&text);
        }
    }

    #[test]
    fn media_cache_is_sized_in_mebibytes_and_bounded() {
        let c = Config::from_toml("", Path::new("c.toml")).expect("empty config parses");
        assert_eq!(c.serve.media_cache_bytes(), 64 * 1024 * 1024);
        let c = Config::from_toml("[serve]\nmedia_cache_mb = 512\n", Path::new("c.toml"))
            .expect("valid config");
        assert_eq!(c.serve.media_cache_bytes(), 512 * 1024 * 1024);
        let c = Config::from_toml("[serve]\nmedia_cache_mb = 0\n", Path::new("c.toml"))
            .expect("valid config");
        assert_eq!(c.serve.media_cache_bytes(), 0);
        let err = Config::from_toml("[serve]\nmedia_cache_mb = 100000\n", Path::new("c.toml"))
            .expect_err("too large")
            .to_string();
        assert!(err.contains("serve.media_cache_mb"), "{err}");
    }

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

    /// Regression: the printed settings (`config check`) put `show_restricted_text` in every
    /// platform's table, which the loader refuses outside bluesky, and left out
    /// `graph_api_version`: what `config check` printed did not load again.
    #[test]
    fn the_printed_settings_load_again_with_each_platforms_own_keys() {
        let set = "[platforms.facebook]\nenabled = false\ngraph_api_version = \"v19.0\"\n\
                   [platforms.bluesky]\nshow_restricted_text = true\n\
                   [platforms.x]\nmin_interval = \"2s\"\n";
        for text in [Config::default_toml(), "", set] {
            let config = Config::from_toml(text, Path::new("c.toml")).expect(text);
            let value = toml::Value::try_from(&config).expect("serialises");
            let printed = toml::to_string_pretty(&value).expect("prints");
            let again = Config::from_toml(&printed, Path::new("printed.toml"))
                .unwrap_or_else(|e| panic!("{e}\n{printed}"));
            assert_eq!(toml::Value::try_from(&again).ok(), Some(value.clone()));
            let platforms = value
                .get("platforms")
                .and_then(toml::Value::as_table)
                .expect("a [platforms] table");
            for name in PLATFORM_NAMES {
                let table = platforms
                    .get(name)
                    .and_then(toml::Value::as_table)
                    .unwrap_or_else(|| panic!("[platforms.{name}] is printed\n{printed}"));
                let keys: Vec<&str> = table.keys().map(String::as_str).collect();
                let expected: &[&str] = match name {
                    "instagram" | "facebook" => &["enabled", "graph_api_version", "min_interval"],
                    "bluesky" => &["enabled", "min_interval", "show_restricted_text"],
                    _ => &["enabled", "min_interval"],
                };
                assert_eq!(keys, expected, "[platforms.{name}]\n{printed}");
                let (before, after) = (config.platforms.get(name), again.platforms.get(name));
                assert_eq!(before.enabled, after.enabled, "{name}");
                assert_eq!(before.min_interval, after.min_interval, "{name}");
                assert_eq!(before.graph_api_version(), after.graph_api_version());
                assert_eq!(before.show_restricted_text, after.show_restricted_text);
            }
        }
        let c = Config::from_toml(set, Path::new("c.toml")).expect("valid");
        let value = toml::Value::try_from(&c).expect("serialises");
        assert_eq!(
            value["platforms"]["facebook"]["graph_api_version"].as_str(),
            Some("v19.0")
        );
        assert_eq!(
            value["platforms"]["instagram"]["graph_api_version"].as_str(),
            Some(DEFAULT_GRAPH_API_VERSION)
        );
        assert_eq!(
            value["platforms"]["bluesky"]["show_restricted_text"].as_bool(),
            Some(true)
        );
    }

    /// Regression: `store.path = "~/x.db"` made a directory named `~` in the current directory,
    /// and a relative path depended on where the command ran; then only `store.path` was
    /// resolved, so a systemd unit (working directory `/`) whose config said
    /// `admin_token_file = "secrets/admin"` looked for `/secrets/admin`. Every key naming a
    /// file is resolved alike, and each refusal names the key and the value.
    #[test]
    fn every_path_key_expands_home_and_resolves_against_the_config_files_directory() {
        type Get = fn(&Config) -> Option<PathBuf>;
        let keys: [(&str, &str, Get); 5] = [
            ("store.path", "[store]\npath", |c| c.store.path.clone()),
            ("serve.admin_token_file", "[serve]\nadmin_token_file", |c| {
                c.serve.admin_token_file.clone()
            }),
            (
                "platforms.instagram.access_token_file",
                "[platforms.instagram]\naccess_token_file",
                |c| c.platforms.get("instagram").access_token_file.clone(),
            ),
            (
                "platforms.facebook.access_token_file",
                "[platforms.facebook]\naccess_token_file",
                |c| c.platforms.get("facebook").access_token_file.clone(),
            ),
            ("sources[0].urls_file", "[[sources]]\nurls_file", |c| {
                c.sources.first().and_then(|s| s.urls_file.clone())
            }),
        ];
        let file = Path::new("/etc/embedkeep/config.toml");
        for (key, set, get) in keys {
            let text = |value: &str| format!("{set} = {value:?}\n");
            let c = Config::from_toml(&text("secrets/x"), file).expect(key);
            let expected = PathBuf::from("/etc/embedkeep/secrets/x");
            assert_eq!(get(&c), Some(expected), "{key}");
            let c = Config::from_toml(&text("/var/x"), file).expect(key);
            assert_eq!(get(&c), Some(PathBuf::from("/var/x")), "{key}");

            let mut c: Config = toml::from_str(&text("~/x")).expect(key);
            let mut unresolved = c.clone();
            c.resolve_paths(file, Some(Path::new("/home/ann")))
                .expect(key);
            assert_eq!(get(&c), Some(PathBuf::from("/home/ann/x")), "{key}");
            let err = unresolved.resolve_paths(file, None).expect_err(key);
            assert!(
                err.starts_with(key) && err.contains("\"~/x\"") && err.contains("$HOME"),
                "{err}"
            );

            for bad in ["~bob/x", "~", ""] {
                let err = Config::from_toml(&text(bad), file)
                    .expect_err(bad)
                    .to_string();
                assert!(
                    err.contains(&format!("{key}: {bad:?}")),
                    "{key} = {bad:?}: {err}"
                );
            }
        }
        // A config file named relative to the current directory: its directory is made
        // absolute once, when the file is read.
        let c = Config::from_toml(
            "[serve]\nadmin_token_file = \"t\"\n",
            Path::new("conf/c.toml"),
        )
        .expect("valid");
        let cwd = std::env::current_dir().expect("current directory");
        assert_eq!(c.serve.admin_token_file, Some(cwd.join("conf/t")));
    }

    /// Regression: one message named several keys ("schedule.workers, schedule.max_attempts
    /// and schedule.lease must be greater than 0"), leaving the reader to find the wrong one.
    #[test]
    fn a_value_out_of_range_is_refused_naming_its_one_key_and_value() {
        for (text, message) in [
            (
                "[schedule]\nrecheck_min = \"300000y\"\nrecheck_max = \"300000y\"\n",
                "schedule.recheck_min must be at most 100years (it is 300000years)",
            ),
            (
                "[http]\ntimeout = \"1000years\"\n",
                "http.timeout must be at most 100years (it is 1000years)",
            ),
            (
                "[platforms.youtube]\nmin_interval = \"101years\"\n",
                "platforms.youtube.min_interval must be at most 100years (it is 101years)",
            ),
            (
                "[http]\nmax_body_bytes = 9223372036854775808\n",
                "http.max_body_bytes must be at most 9223372036854775807 (it is 9223372036854775808)",
            ),
            (
                "[schedule]\nworkers = 0\n",
                "schedule.workers must be greater than 0 (it is 0)",
            ),
            (
                "[schedule]\nmax_attempts = 0\n",
                "schedule.max_attempts must be greater than 0 (it is 0)",
            ),
            (
                "[schedule]\nlease = \"0s\"\n",
                "schedule.lease must be greater than 0 (it is 0s)",
            ),
            (
                "[schedule]\nlease = \"200ms\"\n",
                "schedule.lease must be at least 1s (it is 200ms)",
            ),
            (
                "[schedule]\nrecheck_min = \"0s\"\n",
                "schedule.recheck_min must be greater than 0 (it is 0s)",
            ),
            (
                "[schedule]\nrecheck_min = \"2h\"\nrecheck_max = \"1h\"\n",
                "schedule.recheck_min (2h) must be at most schedule.recheck_max (1h)",
            ),
            (
                "[limits]\nmax_embeds_per_article = 0\n",
                "limits.max_embeds_per_article must be at least 1 (it is 0)",
            ),
            (
                "[limits]\nmax_concurrent_decodes = 0\n",
                "limits.max_concurrent_decodes must be at least 1 (it is 0)",
            ),
            (
                "[limits]\ndecode_timeout = \"0s\"\n",
                "limits.decode_timeout must be greater than 0 (it is 0s)",
            ),
            (
                "[http]\nmax_body_bytes = 0\n",
                "http.max_body_bytes must be greater than 0 (it is 0)",
            ),
            (
                "[http]\ntimeout = \"0s\"\n",
                "http.timeout must be greater than 0 (it is 0s)",
            ),
            (
                "[politeness]\nper_host_concurrency = 0\n",
                "politeness.per_host_concurrency must be at least 1 (it is 0)",
            ),
            (
                "[liveness]\ngone_after_checks = 0\n",
                "liveness.gone_after_checks must be at least 1 (it is 0)",
            ),
            // Regression: 0 was read as 1, silently.
            (
                "[politeness]\nmax_in_flight = 0\n",
                "politeness.max_in_flight must be at least 1 (it is 0)",
            ),
        ] {
            let err = Config::from_toml(text, Path::new("c.toml"))
                .expect_err(text)
                .to_string();
            assert!(err.ends_with(message), "{text}: {err}");
        }
    }

    /// Regression: a count used as semaphore permits above tokio's limit made the HTTP client
    /// panic when built or at its first request to a host (`politeness.*`), or was quietly
    /// lowered to the limit (`limits.max_concurrent_decodes`).
    #[test]
    fn a_count_above_the_semaphore_limit_is_refused_naming_its_key_and_value() {
        let most = tokio::sync::Semaphore::MAX_PERMITS;
        let over = most + 1;
        for (table, key) in [
            ("politeness", "per_host_concurrency"),
            ("politeness", "max_in_flight"),
            ("limits", "max_concurrent_decodes"),
        ] {
            let text = format!("[{table}]\n{key} = {over}\n");
            let err = Config::from_toml(&text, Path::new("c.toml"))
                .expect_err(&text)
                .to_string();
            let message = format!("{table}.{key} must be at most {most} (it is {over})");
            assert!(err.ends_with(&message), "{text}: {err}");
            let text = format!("[{table}]\n{key} = {most}\n");
            Config::from_toml(&text, Path::new("c.toml")).expect(&text);
        }
    }

    #[test]
    fn secret_debug_is_redacted() {
        assert_eq!(format!("{:?}", Secret("abc".into())), "Secret(<redacted>)");
    }
}

#[cfg(test)]
mod secret_file_tests {
    use super::*;

    /// Regression: a token file that is a pipe hung `config check`, `archive` and the daemon's
    /// stop; `/dev/zero` grew the reader without end. Only a regular file of at most 64 KiB is
    /// read, and the refusal says why.
    #[test]
    fn only_a_small_regular_file_is_read_as_a_secret() {
        let dir = tempfile::tempdir().expect("tmp");
        let token = dir.path().join("token");
        std::fs::write(&token, "s3cret\n").expect("write");
        assert_eq!(read_secret_file(&token).expect("read"), "s3cret\n");
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo");
        assert!(made.success());
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'a'; 64 * 1024 + 1]).expect("write");
        for (path, why) in [
            (fifo.as_path(), "not a regular file"),
            (Path::new("/dev/zero"), "not a regular file"),
            (dir.path(), "not a regular file"),
            (big.as_path(), "over 64 KiB"),
        ] {
            let e = read_secret_file(path).expect_err("refused");
            assert!(e.to_string().contains(why), "{}: {e}", path.display());
        }
    }
}
