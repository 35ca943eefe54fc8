//! `cli` turns command-line arguments into calls on the library and decides the exit code.
//! Nothing else in the crate uses it. Human output goes to stdout as readable tables; progress
//! and logs go to stderr; `--json` prints exactly one JSON document on stdout.

mod archive;
mod args;
mod atomic_file;
mod check;
mod config_check;
mod daemon;
mod daemon_lock;
mod db;
mod demo;
mod explain;
mod export;
mod failure;
mod generate;
mod input;
mod list;
mod oembed_providers;
mod output;
mod pin;
mod progress;
mod render;
mod rewrite;
mod scan;
mod serve;
mod setup;
mod show;
mod stop;
mod style;
mod table;
mod target;
mod token_files;

pub use args::{Cli, Command, Origin};
pub(crate) use failure::Problem;
pub use failure::{parse_args, report};

/// How a command ended, mapped to the process exit code in `main`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything worked (exit 0).
    Success,
    /// Some articles or posts failed; partial results are stored (exit 1).
    Partial,
}

/// A command that could not run, with the exit code class it maps to.
#[derive(Debug)]
pub enum Failure {
    /// Usage or configuration error (exit 2).
    Usage(anyhow::Error),
    /// Runtime failure: unreachable input, unusable database, ... (exit 1).
    Runtime(anyhow::Error),
}

impl Failure {
    /// The process exit code for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Runtime(_) => 1,
        }
    }

    pub fn error(&self) -> &anyhow::Error {
        match self {
            Failure::Usage(e) | Failure::Runtime(e) => e,
        }
    }
}

impl Outcome {
    /// The process exit code for this outcome.
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::Partial => 1,
        }
    }
}

/// Run a parsed command line.
pub async fn run(cli: Cli) -> Result<Outcome, Failure> {
    match &cli.command {
        Command::Archive(a) => archive::run(&cli, a).await,
        Command::Scan(s) => scan::run(&cli, s).await,
        Command::Show(s) => show::run(&cli, s).await,
        Command::Daemon => daemon::run(&cli).await,
        Command::Serve => serve::run(&cli).await,
        Command::Check(c) => check::run(&cli, c).await,
        Command::List(l) => list::run(&cli, l).await,
        Command::Pin(p) => pin::run(&cli, p).await,
        Command::Rewrite(r) => rewrite::run(&cli, r).await,
        Command::Demo(d) => demo::run(&cli, d).await,
        Command::Export(e) => export::run(&cli, e).await,
        Command::Db { command } => db::run(&cli, command).await,
        Command::Config { command } => setup::run_config(&cli, command),
        Command::OembedProviders { command } => oembed_providers::run(command),
        Command::Completions { shell } => generate::completions(*shell),
        Command::Man { command } => generate::man(command.as_deref()),
    }
}

/// Print one JSON document on stdout.
fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot encode JSON output: {e}")))?;
    output::emitln(text);
    Ok(())
}
