//! The command-line grammar (clap derive). The help texts are the first manual a user reads.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Keep social-media embeds in articles alive: find them, archive each post, and tell which are gone.
#[derive(Debug, Parser)]
#[command(name = "embedkeep", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Config file (TOML). Default: $EMBEDKEEP_CONFIG, else ~/.config/embedkeep/config.toml if it
    /// exists, else built-in defaults (see `embedkeep config default`).
    #[arg(long, global = true, value_name = "FILE", env = "EMBEDKEEP_CONFIG")]
    pub config: Option<PathBuf>,

    /// Database file. Default: the config's store.path, else
    /// $XDG_DATA_HOME/embedkeep/embedkeep.db.
    #[arg(long, global = true, value_name = "FILE", env = "EMBEDKEEP_DB")]
    pub db: Option<PathBuf>,

    /// More log output on stderr (-v info, -vv debug, -vvv trace).
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,

    /// Only errors on stderr; no progress bar.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Archive the embeds of articles now: fetch each article, find its embeds, archive every post.
    Archive(ArchiveArgs),
    /// List the embeds and remnants found in an article (URL or file); archive nothing.
    Scan(ScanArgs),
    /// Show a post's status, its snapshots and its check history.
    Show(ShowArgs),
    /// Run as a service: follow the [[sources]], archive new articles, re-check posts on the
    /// [schedule], until SIGTERM or SIGINT (SIGHUP re-reads the config). For systemd
    /// (Type=notify): see systemd/embedkeep.service.
    Daemon,
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
}

#[derive(Debug, Args)]
pub struct ArchiveArgs {
    /// Article URLs to archive.
    #[arg(value_name = "URL", required_unless_present = "html")]
    pub urls: Vec<String>,

    /// Archive a local HTML file instead of fetching (needs --base-url).
    #[arg(
        long,
        value_name = "FILE",
        requires = "base_url",
        conflicts_with = "urls"
    )]
    pub html: Option<PathBuf>,

    /// The article's URL, for --html: relative links resolve against it and it keys the article.
    #[arg(long, value_name = "URL", requires = "html")]
    pub base_url: Option<String>,

    /// Print one JSON document instead of tables.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// An article URL (http/https), an HTML file, a plain-text file, or - for standard input.
    #[arg(value_name = "URL|FILE")]
    pub target: String,

    /// Base URL for relative links when scanning a file (a fetched URL is its own base).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Print one JSON document instead of tables.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The post's URL (any form the platform uses; it is canonicalised).
    #[arg(value_name = "POST_URL")]
    pub post_url: String,

    /// Print one JSON document instead of tables.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Create the database or bring its schema up to date.
    Migrate {
        #[arg(long)]
        json: bool,
    },
    /// Counts of articles, posts (by status), snapshots, media, blobs and checks.
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Integrity check: SQLite structure, foreign keys and blob digests. Exit 1 on problems.
    Check {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Validate a config file (default: the one in use) and print the effective settings.
    Check {
        /// The file to check.
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Print the default config, commented.
    Default,
}
