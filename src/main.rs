//! The `embedkeep` binary: parse arguments, set up logging, run the command, map the outcome to
//! an exit code (0 success, 1 some articles or posts failed, 2 usage or config error).

use std::io::IsTerminal;
use std::process::ExitCode;

use embedkeep::cli::{self, Failure};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    ignore_file_size_signal();
    let cli = match cli::parse_args() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    // A service's log is its operators' record of what it did (started, archived, reloaded,
    // stopped): `daemon` and `serve` log at info unless told otherwise. A one-off command's
    // answer is its output, and it logs warnings only.
    let service = matches!(cli.command, cli::Command::Daemon | cli::Command::Serve);
    init_logging(cli.verbose.max(u8::from(service)), cli.quiet);
    let json = cli.origin.json;
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let failure = Failure::Runtime(anyhow::anyhow!("cannot start the async runtime: {e}"));
            return cli::report(&failure, json);
        }
    };
    match runtime.block_on(cli::run(cli)) {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(failure) => cli::report(&failure, json),
    }
}

/// A write past the file-size limit (`RLIMIT_FSIZE`, systemd's `LimitFSIZE=`, a quota) kills
/// the process by default, with no word of what failed. Ignored, the write fails with `EFBIG`
/// instead, and the store reports it naming the file, as it reports a full disk; the archive
/// is left as its last commit left it either way.
fn ignore_file_size_signal() {
    // SAFETY: setting a signal's disposition to SIG_IGN at the start of `main`, before any
    // other thread exists, installs no handler code and touches no memory of the program.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

/// Logs go to stderr (to the journal when stderr is the journal). The flags set the level of
/// embedkeep's own logs: `-v` info, `-vv` debug, `-vvv` trace; `-q` errors only; otherwise
/// warnings (info for `daemon` and `serve`). Libraries (the HTML parser, the HTTP stack) log warnings and errors only, whatever
/// the flags: their debug and trace output is thousands of lines per page. `RUST_LOG`
/// overrides both.
fn init_logging(verbose: u8, quiet: bool) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(log_directives(verbose, quiet)));
    // Under systemd with stderr connected to the journal, log there with fields and priorities.
    if embedkeep::service::journal::journald_wanted()
        && let Some(journald) = embedkeep::service::journal::journald_layer()
    {
        use tracing_subscriber::layer::SubscriberExt;
        use tracing_subscriber::util::SubscriberInitExt;
        tracing_subscriber::registry()
            .with(filter)
            .with(journald)
            .init();
        return;
    }
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(verbose > 1)
        .init();
}

/// The `EnvFilter` directives of the verbosity flags when `RUST_LOG` is not set: the flags'
/// level for embedkeep's targets, warnings (errors under `-q`) for every other target.
fn log_directives(verbose: u8, quiet: bool) -> String {
    let level = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, 2) => "debug",
        (false, _) => "trace",
    };
    let libraries = if quiet { "error" } else { "warn" };
    format!("{libraries},embedkeep={level}")
}
