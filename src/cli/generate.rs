//! `embedkeep completions SHELL` and `embedkeep man [COMMAND]`: shell completions and man pages,
//! generated at run time from the same clap command that parses the arguments, so they always
//! match the binary that prints them.

use clap::CommandFactory;

use super::args::{Cli, EXIT_CODES};
use super::output::emit;
use super::{Failure, Outcome, Problem};

/// The completion script for `shell`, on stdout.
pub(super) fn completions(shell: clap_complete::Shell) -> Result<Outcome, Failure> {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "embedkeep", &mut script);
    emit(String::from_utf8_lossy(&script));
    Ok(Outcome::Success)
}

/// The man page of embedkeep, or of one of its commands, as roff on stdout.
pub(super) fn man(command: Option<&str>) -> Result<Outcome, Failure> {
    // The exit codes get their own EXIT STATUS section instead of the help's closing text.
    let mut cmd = Cli::command().after_help(None::<&'static str>);
    cmd.build();
    let page = match command {
        None => cmd,
        Some(name) => subcommand(&cmd, name).ok_or_else(|| {
            let names: Vec<String> = Cli::command()
                .get_subcommands()
                .map(|c| c.get_name().to_owned())
                .collect();
            Problem::new(
                "unknown-command",
                format!("{name:?} is not an embedkeep command"),
            )
            .input(name)
            .hint(format!("one of: {}", names.join(", ")))
            .usage()
        })?,
    };
    let mut out = Vec::new();
    // The footer names the program and its version on every page: a command's own name
    // (`check 0.1.0`) would say nothing to a reader of `embedkeep-db-check(1)`.
    let source = format!("embedkeep {}", env!("CARGO_PKG_VERSION"));
    clap_mangen::Man::new(page)
        .source(source)
        .render(&mut out)
        .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot render the man page: {e}")))?;
    let mut page = String::from_utf8_lossy(&out).into_owned();
    if command.is_none() {
        page.push_str(&extra_sections());
    }
    emit(page);
    Ok(Outcome::Success)
}

/// The command `name` names under `cmd`: a command (`db`), or a command of a command written as
/// the pages name it (`db-check`, as `embedkeep-db-check(1)` in `man db`'s SEE ALSO) or as it
/// is typed (`"db check"`).
fn subcommand(cmd: &clap::Command, name: &str) -> Option<clap::Command> {
    if let Some(found) = cmd.find_subcommand(name) {
        return Some(found.clone());
    }
    name.char_indices()
        .filter(|(_, c)| matches!(c, '-' | ' '))
        .find_map(|(at, _)| {
            let parent = cmd.find_subcommand(&name[..at])?;
            subcommand(parent, name[at + 1..].trim_start())
        })
}

/// EXIT STATUS, ENVIRONMENT and FILES of the main page, as roff.
fn extra_sections() -> String {
    let exit_codes: Vec<(String, String)> = EXIT_CODES
        .lines()
        .skip(1)
        .filter_map(|line| {
            let (code, meaning) = line.trim().split_once(' ')?;
            Some((code.to_owned(), meaning.trim().to_owned()))
        })
        .collect();
    let mut out = String::new();
    let mut section = |title: &str, items: &[(&str, &str)]| {
        out.push_str(&format!(".SH \"{title}\"\n"));
        for (term, meaning) in items {
            out.push_str(&format!(".TP\n{}\n{}\n", escape(term), escape(meaning)));
        }
    };
    let codes: Vec<(&str, &str)> = exit_codes
        .iter()
        .map(|(c, m)| (c.as_str(), m.as_str()))
        .collect();
    section("EXIT STATUS", &codes);
    section(
        "ENVIRONMENT",
        &[
            ("EMBEDKEEP_CONFIG", "The config file, as --config."),
            ("EMBEDKEEP_DB", "The database file, as --db."),
            ("RUST_LOG", "Log filter for stderr (overrides -v and -q)."),
            ("NO_COLOR", "When set, no colour in tables."),
        ],
    );
    section(
        "FILES",
        &[
            (
                "~/.config/embedkeep/config.toml",
                "The config file when --config is not given (embedkeep config default prints one); \
                 under $XDG_CONFIG_HOME when that is set.",
            ),
            (
                "~/.local/share/embedkeep/embedkeep.db",
                "The archive when neither --db nor store.path names one ($XDG_DATA_HOME).",
            ),
        ],
    );
    out
}

/// Text for a roff line: hyphens as `\-`, backslashes doubled, no line starting with a dot.
fn escape(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('-', "\\-");
    if escaped.starts_with('.') || escaped.starts_with('\'') {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}
