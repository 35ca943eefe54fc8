//! How a command that could not run is told to its user, in one place: parsing the command line
//! (clap's own errors included), and printing a [`Failure`] once, as a short message that names
//! the input and ends with a hint where one exists. With `--json` the failure is also one JSON
//! document on stdout, `{"error": {"kind", "message", "input", "hint"}}`, so a script never
//! reads an empty stdout; the exit code is the same either way (2 usage or config, 1 otherwise).

use std::ffi::OsString;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, FromArgMatches};

use super::Failure;
use super::args::{Cli, Origin};
use super::output::{emit_err, emitln};
use crate::config::ConfigError;
use crate::store::StoreError;

/// What a user needs to know about a failure: a stable kind (the `kind` of the JSON error
/// document), the message, the input it is about, and what to do instead.
#[derive(Debug)]
pub(crate) struct Problem {
    kind: &'static str,
    message: String,
    input: Option<String>,
    hint: Option<String>,
}

impl Problem {
    pub(crate) fn new(kind: &'static str, message: impl Into<String>) -> Problem {
        Problem {
            kind,
            message: message.into(),
            input: None,
            hint: None,
        }
    }

    /// The argument, file or URL the failure is about.
    pub(crate) fn input(mut self, input: impl Into<String>) -> Problem {
        self.input = Some(input.into());
        self
    }

    /// What to do instead.
    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Problem {
        self.hint = Some(hint.into());
        self
    }

    /// A usage or configuration failure (exit 2).
    pub(crate) fn usage(self) -> Failure {
        Failure::Usage(anyhow::Error::new(self))
    }

    /// A runtime failure (exit 1).
    pub(crate) fn runtime(self) -> Failure {
        Failure::Runtime(anyhow::Error::new(self))
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Problem {}

impl Failure {
    /// The failure's [`Problem`], when it was built with one.
    fn problem(&self) -> Option<&Problem> {
        self.error()
            .chain()
            .find_map(|e| e.downcast_ref::<Problem>())
    }

    /// A short stable name for what went wrong: the `kind` of the JSON error document.
    pub fn kind(&self) -> &'static str {
        if let Some(p) = self.problem() {
            return p.kind;
        }
        let chain = self.error().chain();
        for e in chain {
            if e.downcast_ref::<ConfigError>().is_some() {
                return "config";
            }
            if e.downcast_ref::<StoreError>().is_some() {
                return "database";
            }
        }
        match self {
            Failure::Usage(_) => "usage",
            Failure::Runtime(_) => "runtime",
        }
    }

    /// The input the failure is about: an argument, a file, a URL.
    pub fn input(&self) -> Option<String> {
        if let Some(p) = self.problem() {
            return p.input.clone();
        }
        self.error()
            .chain()
            .find_map(|e| match e.downcast_ref::<ConfigError>()? {
                ConfigError::Read { path, .. }
                | ConfigError::Parse { path, .. }
                | ConfigError::Invalid { path, .. }
                | ConfigError::TokenFile { path, .. } => Some(path.display().to_string()),
            })
    }

    /// What to do about it, when something can be said.
    pub fn hint(&self) -> Option<String> {
        if let Some(p) = self.problem() {
            return p.hint.clone();
        }
        self.error().chain().find_map(|e| match e.downcast_ref()? {
            ConfigError::Read { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                Some(
                    "check the path, or start from the defaults: embedkeep config default > FILE"
                        .to_owned(),
                )
            }
            ConfigError::Parse { .. } | ConfigError::Invalid { .. } => {
                Some("`embedkeep config default` prints every key with its default".to_owned())
            }
            _ => None,
        })
    }

    /// The error and its causes on one line, each cause only when it adds something (an error
    /// that already quotes its source is not followed by it again).
    pub fn message(&self) -> String {
        let mut text = String::new();
        for e in self.error().chain() {
            let part = e.to_string();
            if part.is_empty() || text.contains(&part) {
                continue;
            }
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&part);
        }
        text
    }
}

/// Print a failure once: `embedkeep: message` and its hint on stderr; with `json`, also the
/// error document on stdout. Returns the exit code.
///
/// When stderr is the journal (a systemd service), each line written is an entry of its own: the
/// message (a config file's parse error quotes the line at fault over several) and its hint
/// are then written as one line, so `journalctl -u embedkeep` shows the failure whole.
pub fn report(failure: &Failure, json: bool) -> ExitCode {
    let message = failure.message();
    let hint = failure.hint();
    if crate::service::journal::journald_wanted() {
        let hint = hint
            .as_deref()
            .map(|h| format!(" (hint: {h})"))
            .unwrap_or_default();
        emit_err(format_args!("embedkeep: {}{hint}", one_line(&message)));
    } else {
        emit_err(format_args!("embedkeep: {message}"));
        if let Some(hint) = &hint {
            emit_err(format_args!("  hint: {hint}"));
        }
    }
    if json {
        print_error_document(failure.kind(), &message, failure.input(), hint);
    }
    ExitCode::from(failure.exit_code())
}

/// A message of several lines as one: the lines that say something, joined by `; `. A quoted
/// source line (`2 | key = "value"`, in a TOML parse error) keeps its text in backticks; the
/// gutter and caret lines drawn around it are left out.
fn one_line(message: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for line in message.lines().map(str::trim) {
        if line
            .chars()
            .all(|c| c.is_whitespace() || matches!(c, '|' | '^' | '-' | '~'))
        {
            continue;
        }
        let quoted = line
            .split_once(" | ")
            .filter(|(number, _)| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()));
        parts.push(match quoted {
            Some((_, code)) => format!("`{}`", code.trim()),
            None => line.to_owned(),
        });
    }
    parts.join("; ")
}

/// The JSON error document: `{"error": {"kind", "message", "input", "hint"}}`.
#[derive(serde::Serialize)]
struct ErrorDocument<'a> {
    error: ErrorBody<'a>,
}

#[derive(serde::Serialize)]
struct ErrorBody<'a> {
    kind: &'a str,
    message: &'a str,
    input: Option<String>,
    hint: Option<String>,
}

fn print_error_document(kind: &str, message: &str, input: Option<String>, hint: Option<String>) {
    let doc = ErrorDocument {
        error: ErrorBody {
            kind,
            message,
            input,
            hint,
        },
    };
    match serde_json::to_string_pretty(&doc) {
        Ok(text) => emitln(text),
        // Strings always encode; this is never reached, and stdout still gets a document.
        Err(_) => emitln(r#"{"error": {"kind": "runtime", "message": "cannot encode the error"}}"#),
    }
}

/// Whether `--json` was asked for anywhere before a `--`.
fn wants_json(args: &[OsString]) -> bool {
    args.iter()
        .skip(1)
        .take_while(|a| *a != "--")
        .any(|a| a == "--json")
}

/// Parse the process's arguments. Help and version are printed here (exit 0); a usage error
/// is printed once (with `--json`, as the error document on stdout too) and gives exit 2.
pub fn parse_args() -> Result<Cli, ExitCode> {
    let args: Vec<OsString> = std::env::args_os().collect();
    parse_from(args)
}

fn parse_from(args: Vec<OsString>) -> Result<Cli, ExitCode> {
    let json = wants_json(&args);
    let parsed = without_empty_env(Cli::command())
        .try_get_matches_from(args)
        .and_then(|matches| {
            let mut cli = Cli::from_arg_matches(&matches)?;
            cli.origin = Origin::of(&matches, json);
            Ok(cli)
        });
    parsed.map_err(|e| clap_failure(&e, json))
}

/// `command` reading no environment variable of its arguments' (`EMBEDKEEP_CONFIG`,
/// `EMBEDKEEP_DB`) that is set but empty: as a shell treats `EMBEDKEEP_DB=` (and as `unset`
/// would), an empty variable says nothing, rather than a value of no file for an option the
/// user never typed.
fn without_empty_env(command: clap::Command) -> clap::Command {
    let empty: Vec<String> = command
        .get_arguments()
        .filter(|a| {
            a.get_env()
                .is_some_and(|var| std::env::var_os(var).is_some_and(|v| v.is_empty()))
        })
        .map(|a| a.get_id().as_str().to_owned())
        .collect();
    empty.into_iter().fold(command, |command, id| {
        command.mut_arg(id, |a| a.env(None::<&str>))
    })
}

/// Print clap's error (or help, or version) and give its exit code.
fn clap_failure(e: &clap::Error, json: bool) -> ExitCode {
    let code = u8::try_from(e.exit_code()).unwrap_or(2);
    // Help, version, or a usage error for a person: clap's own rendering says it best.
    let _ = e.print();
    if !json || !e.use_stderr() {
        return ExitCode::from(code);
    }
    let rendered = e.render().to_string();
    let (message, usage) = split_clap_message(&rendered);
    let input = [
        ContextKind::InvalidValue,
        ContextKind::InvalidArg,
        ContextKind::InvalidSubcommand,
    ]
    .into_iter()
    .find_map(|k| match e.get(k)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => v.first().cloned(),
        _ => None,
    });
    let kind = match e.kind() {
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => "invalid-value",
        ErrorKind::MissingRequiredArgument => "missing-argument",
        ErrorKind::UnknownArgument => "unknown-argument",
        ErrorKind::InvalidSubcommand => "unknown-command",
        ErrorKind::ArgumentConflict => "conflicting-arguments",
        _ => "usage",
    };
    print_error_document(kind, &message, input, usage);
    ExitCode::from(code)
}

/// clap's rendered error as (message, usage hint): "error: X\n\nUsage: Y\n\nFor more ..." →
/// ("X", "usage: Y").
fn split_clap_message(rendered: &str) -> (String, Option<String>) {
    let mut message = Vec::new();
    let mut usage = None;
    for block in rendered.split("\n\n") {
        let block = block.trim();
        if let Some(u) = block.strip_prefix("Usage:") {
            usage = Some(format!("usage: {}", u.trim()));
        } else if block.starts_with("For more information") {
            continue;
        } else if !block.is_empty() {
            let text = block.strip_prefix("error:").unwrap_or(block);
            message.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
    (message.join("; "), usage)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A config file's parse error, as the TOML reader writes it, on one line for the journal.
    #[test]
    fn a_parse_error_reads_on_one_line() {
        let message = "invalid config file /etc/embedkeep/config.toml: TOML parse error at line 2, column 18\n  |\n2 | max_body_bytes = \"lots\"\n  |                  ^^^^^^\ninvalid type: string \"lots\", expected u64\n";
        assert_eq!(
            one_line(message),
            "invalid config file /etc/embedkeep/config.toml: TOML parse error at line 2, column 18; \
             `max_body_bytes = \"lots\"`; invalid type: string \"lots\", expected u64"
        );
        assert_eq!(one_line("one line | with a bar"), "one line | with a bar");
    }

    #[test]
    fn json_is_seen_before_a_double_dash_only() {
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert!(wants_json(&args(&["embedkeep", "list", "--json"])));
        assert!(!wants_json(&args(&["embedkeep", "scan", "--", "--json"])));
        assert!(!wants_json(&args(&["--json"])));
    }

    #[test]
    fn clap_messages_split_into_message_and_usage() {
        let (m, u) = split_clap_message(
            "error: the following required arguments were not provided:\n  <URL>...\n\n\
             Usage: embedkeep archive <URL>...\n\nFor more information, try '--help'.\n",
        );
        assert_eq!(
            m,
            "the following required arguments were not provided: <URL>..."
        );
        assert_eq!(u.as_deref(), Some("usage: embedkeep archive <URL>..."));
    }

    #[test]
    fn a_cause_already_quoted_is_not_repeated() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file");
        let failure = Failure::Usage(
            ConfigError::Read {
                path: "/etc/x.toml".into(),
                source: io,
            }
            .into(),
        );
        assert_eq!(
            failure.message(),
            "cannot read config file /etc/x.toml: No such file"
        );
        assert_eq!(failure.kind(), "config");
        assert_eq!(failure.input().as_deref(), Some("/etc/x.toml"));
        assert!(failure.hint().is_some_and(|h| h.contains("config default")));
    }

    #[test]
    fn problems_carry_kind_input_and_hint() {
        let f = Problem::new("invalid-url", "\"x\" is not a URL")
            .input("x")
            .hint("give https://…")
            .usage();
        assert_eq!(f.exit_code(), 2);
        assert_eq!((f.kind(), f.input()), ("invalid-url", Some("x".to_owned())));
        assert_eq!(f.hint().as_deref(), Some("give https://…"));
    }
}
