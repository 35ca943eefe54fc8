//! The command-line grammar (clap derive). The help texts are the first manual a user reads.

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::{ArgGroup, Args, Parser, Subcommand};

use crate::model::{Platform, PostStatus};

/// The exit codes, listed under `--help` and in the man page.
pub const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  some articles or posts failed (what worked is stored), or the command could not run
  2  usage or config error";

/// Keep social-media embeds in articles alive: find them, archive each post, and tell which are gone.
#[derive(Debug, Parser)]
#[command(name = "embedkeep", version, about, long_about = None, propagate_version = true,
          after_help = EXIT_CODES)]
pub struct Cli {
    /// Config file (TOML). Default: $XDG_CONFIG_HOME/embedkeep/config.toml (usually
    /// ~/.config/embedkeep/config.toml) if it exists, else built-in defaults (see `embedkeep
    /// config default`).
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        env = "EMBEDKEEP_CONFIG",
        hide_env_values = true
    )]
    pub config: Option<PathBuf>,

    /// Database file. Default: the config's store.path, else
    /// $XDG_DATA_HOME/embedkeep/embedkeep.db.
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        env = "EMBEDKEEP_DB",
        hide_env_values = true
    )]
    pub db: Option<PathBuf>,

    /// More log output on stderr (-v info, -vv debug, -vvv trace).
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,

    /// Only errors on stderr; no progress bar.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,

    /// Where the global options came from (filled in after parsing).
    #[arg(skip)]
    pub origin: Origin,
}

/// Where the global options came from, for messages that say which setting is in force.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// `--json` was given: a failure is also a JSON document on stdout.
    pub json: bool,
    /// The database path came from $EMBEDKEEP_DB, not from `--db`.
    pub db_from_env: bool,
}

impl Origin {
    pub(crate) fn of(matches: &clap::ArgMatches, json: bool) -> Origin {
        Origin {
            json,
            db_from_env: matches.value_source("db") == Some(clap::parser::ValueSource::EnvVariable),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Archive the embeds of articles now: fetch each article, find its embeds, archive every post.
    Archive(ArchiveArgs),
    /// List the embeds and remnants found in articles (URLs, files, directories of saved pages);
    /// archive nothing. One JSON document or one table for the whole run.
    Scan(ScanArgs),
    /// Show a post's status, its snapshots and its check history (--diff: what changed).
    Show(ShowArgs),
    /// Run as a service: follow the [[sources]], archive new articles, re-check posts on the
    /// [schedule], until SIGTERM or SIGINT (SIGHUP re-reads the config). One daemon per
    /// database: a second one exits 1. For systemd (Type=notify): see
    /// systemd/embedkeep.service.
    Daemon,
    /// Run the HTTP server alone: the JSON API, stored images and /healthz on serve.listen,
    /// Prometheus /metrics on serve.metrics_listen, until SIGTERM or SIGINT. Queued articles
    /// wait for a daemon to archive them.
    Serve,
    /// Check archived posts now: is each still there? Stores new content when it changed.
    Check(CheckArgs),
    /// List the posts in the archive, e.g. every post gone this week and the articles they are in.
    List(ListArgs),
    /// Pin a post's status (an operator's verdict wins over the checks), or lift the pin.
    Pin(PinArgs),
    /// Try everything offline: archive a bundled article from recorded platform answers
    /// replayed on loopback, make one of its posts go away, and serve the result with the
    /// fallbacks, until Ctrl-C. Prints the URLs to open. Uses no config file and no network.
    #[command(
        after_help = "The global --config and --db are ignored here: the demo reads no config \
                      file and no archive of yours, and builds its own archive (in --keep DIR, \
                      or a temporary directory)."
    )]
    Demo(DemoArgs),
    /// Print an article's HTML with the embeds of gone posts (or of every archived post, with
    /// --mode all) replaced by fallback cards; every other byte as it was.
    Rewrite(RewriteArgs),
    /// Write the archive out as files: a static site of cards for a CDN (--static DIR) or a
    /// WARC/1.1 file of the recorded upstream answers and snapshots (--warc FILE).
    #[command(long_about = EXPORT_ABOUT)]
    Export(ExportArgs),
    /// Database maintenance.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Configuration helpers.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// The bundled oEmbed provider registry.
    OembedProviders {
        #[command(subcommand)]
        command: super::oembed_providers::OembedProvidersCommand,
    },
    /// Print shell completions to stdout.
    ///
    /// For example: `embedkeep completions bash > ~/.local/share/bash-completion/completions/embedkeep`,
    /// `embedkeep completions zsh > ~/.zfunc/_embedkeep` (with ~/.zfunc in $fpath), or
    /// `embedkeep completions fish > ~/.config/fish/completions/embedkeep.fish`.
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell.
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to stdout: `embedkeep man | man -l -`.
    Man {
        /// A command's own page (e.g. `archive`) instead of the main page.
        #[arg(value_name = "COMMAND")]
        command: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct ArchiveArgs {
    /// Article URLs to archive.
    #[arg(value_name = "URL", required_unless_present_any = ["html", "base_url"])]
    pub urls: Vec<String>,

    /// Archive a local HTML file, read instead of fetched (needs --base-url); after the URLs,
    /// when some are given too.
    #[arg(long, value_name = "FILE", requires = "base_url")]
    pub html: Option<PathBuf>,

    /// The article's URL, for --html: relative links resolve against it and it keys the article.
    /// (Without --html it is refused by `archive` itself, with a message that says why.)
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Print one JSON document instead of tables.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Article URLs (http/https), HTML or plain-text files, directories, or - for standard
    /// input. A directory is walked recursively for *.html, *.htm and *.txt files (hidden
    /// entries and links to directories skipped), in path order. A file named directly is read
    /// whatever its name.
    #[arg(value_name = "URL|FILE|DIR", required = true, num_args = 1..)]
    pub targets: Vec<std::ffi::OsString>,

    /// Base URL for relative links when scanning one file (a fetched URL is its own base; with
    /// several files each file's own file:// URL is its base).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Pages read and scanned at once (default: the number of CPUs). Each page in flight is held
    /// in memory whole, so this also bounds memory.
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,

    /// Print one JSON document instead of tables.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The post's URL (any form the platform uses; it is canonicalised).
    #[arg(value_name = "POST_URL")]
    pub post_url: String,

    /// Show what changed between consecutive snapshots (newest first) instead of the snapshots.
    #[arg(long)]
    pub diff: bool,

    /// Print one JSON document instead of tables.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("which").required(true).args(["post_urls", "due", "all"])))]
pub struct CheckArgs {
    /// URLs of archived posts to check (any form the platform uses).
    #[arg(value_name = "POST_URL")]
    pub post_urls: Vec<String>,

    /// Check the posts whose next check is due.
    #[arg(long)]
    pub due: bool,

    /// Check every archived post.
    #[arg(long)]
    pub all: bool,

    /// Print one JSON document instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Page size of `list` when `--limit` is not given.
pub const DEFAULT_LIST_LIMIT: u32 = 100;

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only posts with this status as readers see it (a pin counts), in any case.
    #[arg(long, value_name = "STATUS", value_parser = ByName::new(status_names, parse_status))]
    pub status: Option<PostStatus>,

    /// Only posts of this platform, in any case.
    #[arg(long, value_name = "PLATFORM", value_parser = ByName::new(platform_names, parse_platform))]
    pub platform: Option<Platform>,

    /// Only posts embedded in this article (the URL it was archived under).
    #[arg(long, value_name = "URL")]
    pub article: Option<String>,

    /// Only posts whose status changed or that were checked since then: a duration back from
    /// now (7d, 12h, 30m) or an RFC 3339 date (2026-11-01, 2026-11-01T08:00:00Z).
    #[arg(long, value_name = "DUR|DATE", value_parser = super::list::parse_since)]
    pub since: Option<DateTime<Utc>>,

    /// At most this many posts (one page).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_LIST_LIMIT,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,

    /// Posts after this archive id: the `next` of the previous page.
    #[arg(long, value_name = "ID", value_parser = clap::value_parser!(i64).range(0..))]
    pub after: Option<i64>,

    /// Print one JSON document instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("verdict").required(true).args(["gone", "live", "auto"])))]
pub struct PinArgs {
    /// The post's URL (any form the platform uses).
    #[arg(value_name = "POST_URL")]
    pub post_url: String,

    /// Pin the post gone: readers see it gone whatever the checks say.
    #[arg(long)]
    pub gone: bool,

    /// Pin the post live: readers see it live whatever the checks say.
    #[arg(long)]
    pub live: bool,

    /// Lift the pin: the checks decide again.
    #[arg(long)]
    pub auto: bool,

    /// Print the post as one JSON document.
    #[arg(long)]
    pub json: bool,
}

impl PinArgs {
    /// The pin asked for: `Some(Gone|Live)`, or `None` to lift it.
    pub fn pin(&self) -> Option<PostStatus> {
        if self.gone {
            Some(PostStatus::Gone)
        } else if self.live {
            Some(PostStatus::Live)
        } else {
            None
        }
    }
}

/// Which embeds `rewrite` replaces with cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RewriteMode {
    /// The embeds of posts that are gone (a pin counts).
    Gone,
    /// The embeds of every archived post: the page then loads nothing from the platforms.
    All,
}

impl RewriteMode {
    pub fn as_str(self) -> &'static str {
        crate::serve::RewriteMode::from(self).as_str()
    }
}

impl From<RewriteMode> for crate::serve::RewriteMode {
    fn from(mode: RewriteMode) -> Self {
        match mode {
            RewriteMode::Gone => crate::serve::RewriteMode::Gone,
            RewriteMode::All => crate::serve::RewriteMode::All,
        }
    }
}

#[derive(Debug, Args)]
pub struct RewriteArgs {
    /// The article's HTML file, or - for standard input. Read under http.max_body_bytes.
    #[arg(value_name = "FILE|-")]
    pub input: PathBuf,

    /// The article's URL: relative links in the page resolve against it.
    #[arg(long, value_name = "URL")]
    pub base_url: String,

    /// gone: replace the embeds of gone posts; all: of every archived post.
    #[arg(long, value_enum, default_value_t = RewriteMode::Gone)]
    pub mode: RewriteMode,

    /// Where the cards' thumbnails are served from, e.g. https://embeds.example.com/v1/media/.
    /// Default: serve.public_base_url + /v1/media/; without either, cards show no image.
    #[arg(long, value_name = "URL")]
    pub media_base: Option<String>,
}

/// The address `demo` listens on when `--listen` is not given.
pub const DEFAULT_DEMO_LISTEN: &str = "127.0.0.1:8080";

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to serve the demo: an IP address and port, e.g. 127.0.0.1:8080 (port 0 picks a
    /// free one and prints it).
    #[arg(long, value_name = "ADDR", default_value = DEFAULT_DEMO_LISTEN, value_parser = parse_listen)]
    pub listen: SocketAddr,

    /// Build the demo archive in DIR (created if missing; it must not hold one already) and
    /// keep it after exit. Default: a temporary directory, removed on exit.
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
}

/// `export --help`: the formats in full.
const EXPORT_ABOUT: &str = "\
Write the archive out as files, reading it only.

--static DIR writes a folder ready for a CDN or any static host, every link relative:
  cards/ID.html       each post's fallback card as a whole page (with an oEmbed discovery link
                      to serve.public_base_url when that is set)
  media/SHA256.EXT    the thumbnails (and kept originals) the cards show, named by content
  index.json          every post: id, platform, post_id, post_url, status, card, media and
                      the dates of its latest snapshot; written last
DIR may exist if it is empty.

--warc FILE writes one WARC/1.1 file, each record its own gzip member (FILE.warc.gz): a warcinfo
record, then per snapshot a response record for each recorded upstream answer (its request URL,
the date it was fetched, an HTTP/1.1 block made from the stored content type and body) and a
metadata record with the snapshot as `show --json` prints it (application/json), linked to its
responses by WARC-Refers-To and WARC-Concurrent-To. Digests are sha256, base32. --warc - writes
it to standard output (not a terminal; the summary line goes to stderr, and --json is refused).

Files are written under a temporary name and renamed into place. An existing FILE, or a DIR that
is not empty, is refused unless --force. A blob whose bytes no longer match its sha256 (see
`db check`) is left out with a warning, and the export ends with exit code 1.";

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("format").required(true).args(["warc", "static_dir"])))]
pub struct ExportArgs {
    /// Write a WARC/1.1 file (gzip per record) of the recorded upstream answers and snapshots;
    /// `-` writes it to standard output.
    #[arg(long, value_name = "FILE|-")]
    pub warc: Option<PathBuf>,

    /// Write a static site of card pages, media files and index.json into this folder.
    #[arg(long = "static", value_name = "DIR")]
    pub static_dir: Option<PathBuf>,

    /// Replace an existing FILE, or write into a DIR that is not empty.
    #[arg(long)]
    pub force: bool,

    /// Print a JSON summary of what was written instead of a line of text.
    #[arg(long)]
    pub json: bool,
}

/// Any case, as `--platform` reads its names.
fn parse_status(s: &str) -> Result<PostStatus, String> {
    PostStatus::from_typed(s)
        .ok_or_else(|| format!("{s:?} is not a status: use live, suspect, gone or unknown"))
}

/// `demo --listen`: read as `serve.listen` is in the config, so a malformed address is a
/// usage error here rather than a failed bind (exit 1) once the demo is under way.
fn parse_listen(s: &str) -> Result<SocketAddr, String> {
    s.trim()
        .parse()
        .map_err(|_| "not an IP address and port like 127.0.0.1:8080".to_owned())
}

fn parse_platform(s: &str) -> Result<Platform, String> {
    Platform::from_typed(s)
        .ok_or_else(|| format!("{s:?} is not a platform: use one of {}", Platform::names()))
}

fn status_names() -> Vec<&'static str> {
    PostStatus::ALL.iter().map(|s| s.as_str()).collect()
}

fn platform_names() -> Vec<&'static str> {
    Platform::ALL.iter().map(|p| p.as_str()).collect()
}

/// A value named from a closed list, read in any case by `parse`, whose names the shell
/// completions offer (a plain function parser tells clap no names, and completions then offer
/// file names).
#[derive(Clone)]
struct ByName<T> {
    names: fn() -> Vec<&'static str>,
    parse: fn(&str) -> Result<T, String>,
}

impl<T> ByName<T> {
    fn new(names: fn() -> Vec<&'static str>, parse: fn(&str) -> Result<T, String>) -> Self {
        ByName { names, parse }
    }
}

impl<T: Clone + Send + Sync + 'static> clap::builder::TypedValueParser for ByName<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        self.parse.parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            (self.names)()
                .into_iter()
                .map(clap::builder::PossibleValue::new),
        ))
    }
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Create the database or bring its schema up to date.
    Migrate {
        /// Print one JSON document instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Counts of articles, posts (by status), snapshots, media, blobs and checks.
    Stats {
        /// Print one JSON document instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Integrity check: SQLite structure, foreign keys and blob digests. Exit 1 on problems.
    Check {
        /// Print one JSON document instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write a consistent copy of the archive to FILE (a new file), safe while a daemon or a
    /// server runs on it: the archive as of one moment, compacted. Restore by putting the copy
    /// in the archive's place while nothing runs on it.
    Backup {
        /// Where to write the copy; it must not exist.
        #[arg(value_name = "FILE")]
        file: std::path::PathBuf,
        /// Print one JSON document instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Validate a config file (default: the one in use) and print the effective settings and
    /// the database the commands will use.
    Check {
        /// The file to check.
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
        /// Print one JSON document instead of TOML.
        #[arg(long)]
        json: bool,
    },
    /// Print the default config, commented.
    Default,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_filters_read_names_in_any_case() {
        assert_eq!(parse_status("Gone"), Ok(PostStatus::Gone));
        assert_eq!(parse_status("LIVE"), Ok(PostStatus::Live));
        assert!(parse_status("dead").is_err_and(|e| e.contains("live, suspect, gone")));
        assert_eq!(parse_platform("YouTube"), Ok(Platform::Youtube));
    }
}
