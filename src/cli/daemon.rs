//! `embedkeep daemon`: the long-running service. Signals: SIGTERM and SIGINT stop it cleanly
//! (in-flight work finishes within `schedule.shutdown_grace`, the rest goes back to the queue,
//! the WAL is checkpointed, exit 0); SIGHUP re-reads the config file (an invalid or missing
//! file keeps the running config and says why in the log). Under systemd it reports READY=1,
//! STATUS= (queue depth, last runs), WATCHDOG=1 and STOPPING=1.
//!
//! One daemon runs per archive (`daemon_lock`): a second one on the same database exits 1 at
//! start, naming the first.
//!
//! The HTTP server (`embedkeep serve`'s) runs beside the scheduler on the same archive: its
//! listeners are bound before READY=1, it stops on the same signal, and the daemon exits once
//! both have stopped. A reload does not rebind it nor reopen the archive: a changed `[serve]`
//! key or `store.path` needs a restart, and the reload names each one in a warning.

use std::sync::Arc;

use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::{oneshot, watch};

use super::args::Cli;
use super::serve::bind;
use super::setup::{config_path, db_path, load_config, open_handles};
use super::{Failure, Outcome};
use crate::config::Config;
use crate::schedule::{self, DaemonControl, Lifecycle};
use crate::serve::Writes;
use crate::service::notify::{Notifier, watchdog_interval};

/// Tells systemd how the daemon is doing; failures to notify are logged, never fatal.
struct Systemd(Notifier);

impl Systemd {
    fn log(result: Result<(), crate::service::notify::NotifyError>) {
        if let Err(e) = result {
            tracing::warn!("cannot notify the service manager: {e}");
        }
    }
}

impl Lifecycle for Systemd {
    fn ready(&self) {
        Self::log(self.0.ready());
    }
    fn status(&self, text: &str) {
        Self::log(self.0.status(text));
    }
    fn watchdog(&self) {
        Self::log(self.0.watchdog());
    }
    fn reloading(&self) {
        Self::log(self.0.reloading());
    }
    fn stopping(&self) {
        Self::log(self.0.stopping());
    }
}

pub(super) async fn run(cli: &Cli) -> Result<Outcome, Failure> {
    let file = config_path(cli);
    let config = load_config(cli)?;
    let path = db_path(cli, &config)?;
    // The daemon resolves posts and serves the write route: every token file it would read
    // later is read now, as `config check` reads them.
    super::token_files::check_platforms(&config, file.as_deref())?;
    let token = super::token_files::admin_token(&config, file.as_deref())?;
    let store = open_handles(&path).await?;
    // Held until the daemon returns: a second daemon on this archive stops here.
    let _lock = super::daemon_lock::acquire(&path)?;
    let (guard_tx, addresses) = watch::channel(super::serve::literal_guard(&config)?);
    let writes = token.map(|token| Writes {
        writer: store.writer.clone(),
        token,
        addresses,
    });
    // Signals are listened for before `bind` says where the server listens: a supervisor or a
    // test may stop or reload the daemon as soon as it reads that line.
    let mut terminate = signal(SignalKind::terminate())
        .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot listen for SIGTERM: {e}")))?;
    let mut interrupt = signal(SignalKind::interrupt())
        .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot listen for SIGINT: {e}")))?;
    let mut hangup = signal(SignalKind::hangup())
        .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot listen for SIGHUP: {e}")))?;
    let tally = Some(store.writer.tally());
    let (server, state) = bind(cli, &config, store.reader.clone(), writes, tally).await?;
    let notifier = Notifier::from_env().unwrap_or_else(|e| {
        tracing::warn!("NOTIFY_SOCKET is set but unusable, not notifying systemd: {e}");
        Notifier::disabled()
    });
    let config = Arc::new(config);
    let (stop_tx, stop_rx) = watch::channel(false);
    let (reload_tx, reload_rx) = watch::channel(Arc::clone(&config));
    // What the server and the archive were set up with: a reload is compared with this, not
    // with the last reload, since neither ever takes a reloaded value.
    let started = Restart {
        config: Arc::clone(&config),
        db_from_config: cli.db.is_none(),
    };
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = terminate.recv() => { tracing::info!("SIGTERM: stopping"); break; }
                _ = interrupt.recv() => { tracing::info!("SIGINT: stopping"); break; }
                _ = hangup.recv() => reload(file.as_deref(), &started, &reload_tx, &guard_tx),
            }
        }
        let _ = stop_tx.send(true);
    });
    // The server stops on the daemon's stop signal, or when the scheduler ends on its own.
    let (ended_tx, ended_rx) = oneshot::channel::<()>();
    let mut stopping = stop_rx.clone();
    let server = tokio::spawn(crate::serve::serve(
        server.api,
        server.metrics,
        state,
        async move {
            tokio::select! {
                _ = stopping.wait_for(|stop| *stop) => {}
                _ = ended_rx => {}
            }
        },
    ));
    let control = DaemonControl {
        shutdown: stop_rx,
        reloads: reload_rx,
        lifecycle: Arc::new(Systemd(notifier)),
        watchdog: watchdog_interval(),
    };
    let ran = schedule::run(config, store, control).await;
    let _ = ended_tx.send(());
    if let Err(e) = server.await {
        tracing::error!("the HTTP server failed: {e}");
    }
    ran.map_err(|e| match e {
        schedule::DaemonError::Config(message) => {
            Failure::Usage(anyhow::anyhow!("cannot start the daemon: {message}"))
        }
        other => Failure::Runtime(anyhow::anyhow!("daemon failed: {other}")),
    })?;
    Ok(Outcome::Success)
}

/// SIGHUP: re-read the config file; keep the running config when it is missing or invalid.
/// Keys that only a restart applies are named in a warning each, with both values. The new
/// `[http]` rule for literal addresses goes to the queue route (`guard`) as the new config goes
/// to the workers' client, so that the two keep deciding alike.
fn reload(
    file: Option<&std::path::Path>,
    started: &Restart,
    to: &watch::Sender<Arc<Config>>,
    guard: &watch::Sender<crate::http::LiteralGuard>,
) {
    let Some(file) = file else {
        tracing::warn!("SIGHUP: no config file in use (built-in defaults); nothing to reload");
        return;
    };
    if is_blank(file) {
        tracing::error!(
            file = %file.display(),
            "SIGHUP: the config file is empty (still being written?); the running config stays"
        );
        return;
    }
    match Config::reload(file) {
        Ok(config) => {
            // A token file the new config names must be readable, as at start: a config taken
            // now that a start refuses would stop the service at its next restart.
            if let Err(e) = super::token_files::check_platforms(&config, Some(file)) {
                tracing::error!(
                    file = %file.display(),
                    "SIGHUP: {}; the running config stays",
                    one_line(&e.error().to_string())
                );
                return;
            }
            tracing::info!(file = %file.display(), "SIGHUP: config re-read");
            for change in started.changes(&config) {
                tracing::warn!(
                    key = %change.key, running = %change.running, new = %change.new,
                    "SIGHUP: {} changed from {} to {}; it takes effect only after a restart, \
                     the running value stays",
                    change.key, change.running, change.new
                );
            }
            match crate::http::LiteralGuard::new(&config.http) {
                Ok(rule) => {
                    // No receiver (writes disabled) is no error: nobody queues over HTTP.
                    let _ = guard.send(rule);
                }
                Err(e) => {
                    tracing::error!("SIGHUP: {e}; POST /v1/articles keeps the running address rule")
                }
            }
            let _ = to.send(Arc::new(config));
        }
        Err(e) => tracing::error!(
            file = %file.display(),
            "SIGHUP: {}; the running config stays",
            one_line(&e.to_string())
        ),
    }
}

/// Whether the file holds nothing but whitespace. An empty file is a valid config (every
/// default, no sources), but at a reload it is far more likely a file being rewritten (an
/// editor or a deploy tool truncates it, then writes): taking it would drop every source and
/// host override until the next reload.
fn is_blank(file: &std::path::Path) -> bool {
    // Read as the config is read: a pipe or a device is no blank file (`Config::reload` then
    // says what it is).
    crate::config::read_regular_file(file, crate::config::MAX_CONFIG_FILE_BYTES)
        .is_ok_and(|bytes| bytes.iter().all(u8::is_ascii_whitespace))
}

/// `text` on one line, for a log line that must stay one entry: a TOML syntax error quotes the
/// bad line under its number with a caret below it; the gutter and caret lines are dropped and
/// the others joined with "; ".
fn one_line(text: &str) -> String {
    let joined = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.chars().all(|c| matches!(c, '|' | '^' | ' ')))
        .collect::<Vec<_>>()
        .join("; ");
    // The quoted line is the file's: its control characters are shown, not written, and a
    // line of megabytes is not copied into the log whole.
    let mut out = String::new();
    for c in joined.chars() {
        if out.len() >= MAX_LOGGED_BYTES {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// About the most bytes of a reload's error that are logged.
const MAX_LOGGED_BYTES: usize = 1000;

/// What only a restart applies: the HTTP server is bound, with its admin token, media cache and
/// base URL, and the archive opened, once, from the config the daemon started with.
struct Restart {
    config: Arc<Config>,
    /// The archive is the one `store.path` names (no `--db` or `$EMBEDKEEP_DB` overrides it).
    db_from_config: bool,
}

/// A restart-only key whose value in the file differs from the running one. Values are as TOML
/// writes them (`"127.0.0.1:8080"`); `unset` for a key without a value.
#[derive(Debug, PartialEq, Eq)]
struct Change {
    key: String,
    running: String,
    new: String,
}

impl Restart {
    /// Every `[serve]` key, and `store.path` when it names the archive, that `new` changes.
    fn changes(&self, new: &Config) -> Vec<Change> {
        let (Ok(running), Ok(new)) = (
            toml::Value::try_from(&*self.config),
            toml::Value::try_from(new),
        ) else {
            // Configs always serialise (`config check` prints them); nothing to compare if not.
            return Vec::new();
        };
        let mut keys: Vec<String> = Vec::new();
        if self.db_from_config {
            keys.push("store.path".into());
        }
        // Every key of `[serve]`, whichever file sets it: one added later is restart-only too.
        let serve_keys = |config: &toml::Value| -> Vec<String> {
            config
                .get("serve")
                .and_then(toml::Value::as_table)
                .map(|t| t.keys().map(|k| format!("serve.{k}")).collect())
                .unwrap_or_default()
        };
        let mut serve: Vec<String> = serve_keys(&running);
        serve.extend(serve_keys(&new));
        serve.sort();
        serve.dedup();
        keys.extend(serve);
        let value = |config: &toml::Value, key: &str| {
            let (section, name) = key.split_once('.').unwrap_or((key, ""));
            config
                .get(section)
                .and_then(|t| t.get(name))
                .map_or_else(|| "unset".to_owned(), ToString::to_string)
        };
        keys.into_iter()
            .filter_map(|key| {
                let (before, after) = (value(&running, &key), value(&new, &key));
                (before != after).then_some(Change {
                    key,
                    running: before,
                    new: after,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn config(text: &str) -> Config {
        Config::from_toml(text, Path::new("c.toml")).expect("valid config")
    }

    /// Regression: a config file that is not TOML was logged at SIGHUP over five lines (the
    /// bad line quoted, a caret under it), so a plain log showed the reason and "the running
    /// config stays" as lines of their own, with no time, level or file.
    #[test]
    fn a_toml_syntax_error_is_told_on_one_line() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        std::fs::write(&file, "[schedule]\nworkers = [\n").unwrap();
        let error = Config::reload(&file).unwrap_err().to_string();
        assert!(error.contains('\n'), "{error}");
        let line = one_line(&error);
        assert!(!line.contains('\n'), "{line}");
        assert!(line.starts_with("invalid config file "), "{line}");
        assert!(line.contains("line 2"), "{line}");
        assert!(line.contains("workers = ["), "{line}");
        assert!(!line.contains('^'), "{line}");
    }

    /// Regression: an empty file at a reload (one being rewritten) was taken as a config of
    /// every default, dropping the running sources and host overrides.
    #[test]
    fn an_empty_file_at_a_reload_keeps_the_running_config() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        let running = Arc::new(config(
            "[[sources]]\nfeed = \"https://news.example.com/feed\"\n",
        ));
        let started = Restart {
            config: Arc::clone(&running),
            db_from_config: true,
        };
        let (to, seen) = watch::channel(Arc::clone(&running));
        let (guard, _guards) = watch::channel(
            crate::http::LiteralGuard::new(&running.http).expect("the default rule"),
        );
        for blank in ["", " \n\t\n"] {
            std::fs::write(&file, blank).unwrap();
            reload(Some(&file), &started, &to, &guard);
            assert!(Arc::ptr_eq(&seen.borrow(), &running), "{blank:?}");
        }
        // A pipe (the read would wait for a writer) and a device (`/dev/zero` never ends) are
        // refused at once, as the config file at start is.
        let device = dir.path().join("zero.toml");
        std::os::unix::fs::symlink("/dev/zero", &device).unwrap();
        let fifo = dir.path().join("fifo.toml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        for odd in [
            Some(&device),
            made.is_ok_and(|s| s.success()).then_some(&fifo),
        ]
        .into_iter()
        .flatten()
        {
            reload(Some(odd), &started, &to, &guard);
            assert!(Arc::ptr_eq(&seen.borrow(), &running), "{}", odd.display());
        }
        // A file that says something is taken, even one that drops the sources.
        std::fs::write(&file, "# no sources\n[schedule]\nworkers = 2\n").unwrap();
        reload(Some(&file), &started, &to, &guard);
        assert!(!Arc::ptr_eq(&seen.borrow(), &running));
        assert!(seen.borrow().sources.is_empty());
    }

    /// Regression: a bad line of a config file was quoted in the log as it was, control
    /// characters and all, however long.
    #[test]
    fn a_bad_line_is_quoted_bounded_and_without_control_characters() {
        let line = one_line("invalid config file c.toml: x = \"\u{1b}[2J\"");
        assert_eq!(line, "invalid config file c.toml: x = \"\\u{1b}[2J\"");
        let line = one_line(&format!(
            "invalid config file c.toml: x = \"{}\"",
            "\0".repeat(5000)
        ));
        assert!(!line.chars().any(char::is_control), "{line}");
        assert!(line.contains("\\u{0}") && line.ends_with('…'), "{line}");
        assert!(line.len() < MAX_LOGGED_BYTES + 16, "{}", line.len());
    }

    /// Regression: a reload that changed `[serve]` or `store.path` only logged "config
    /// reloaded", while the server stayed on its old port.
    #[test]
    fn a_reload_names_each_changed_key_that_needs_a_restart() {
        let started = Restart {
            config: Arc::new(config(
                "[store]\npath = \"/var/lib/a.db\"\n[serve]\nlisten = \"127.0.0.1:8080\"\n",
            )),
            db_from_config: true,
        };
        let new = config(
            "[store]\npath = \"/var/lib/b.db\"\n[serve]\nlisten = \"127.0.0.1:8081\"\n\
             public_base_url = \"https://embeds.example.com\"\n\
             [schedule]\nworkers = 9\n[http]\ntimeout = \"5s\"\n",
        );
        assert_eq!(
            started.changes(&new),
            [
                Change {
                    key: "store.path".into(),
                    running: "\"/var/lib/a.db\"".into(),
                    new: "\"/var/lib/b.db\"".into(),
                },
                Change {
                    key: "serve.listen".into(),
                    running: "\"127.0.0.1:8080\"".into(),
                    new: "\"127.0.0.1:8081\"".into(),
                },
                Change {
                    key: "serve.public_base_url".into(),
                    running: "unset".into(),
                    new: "\"https://embeds.example.com\"".into(),
                },
            ],
            "keys a reload applies (schedule, http) are not named"
        );
        assert_eq!(started.changes(&started.config), []);
        // Under --db the file's store.path names no archive: nothing to restart for.
        let under_flag = Restart {
            db_from_config: false,
            ..started
        };
        assert_eq!(
            under_flag
                .changes(&new)
                .iter()
                .map(|c| c.key.as_str())
                .collect::<Vec<_>>(),
            ["serve.listen", "serve.public_base_url"]
        );
    }
}
