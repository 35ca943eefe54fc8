//! `embedkeep config check [FILE]`: validate a config file and print the settings in force:
//! every key (set in the file or defaulted), and which database the commands will use and why.
//! Durations read the way people write them: a key set in the file shows the file's own text
//! (`24h` stays `24h`), a default shows in its largest exact unit (`20s`, `15m`, `24h` as `1d`).

use std::path::Path;
use std::time::Duration;

use super::args::Cli;
use super::output::emitln;
use super::setup::db_location;
use super::{Failure, Outcome, print_json};
use crate::config::Config;

pub(super) fn run(cli: &Cli, file: Option<&Path>, json: bool) -> Result<Outcome, Failure> {
    let text = match file {
        Some(path) => Some(Config::read_text(path).map_err(|e| Failure::Usage(e.into()))?),
        None => None,
    };
    let (config, written) = match (file, &text) {
        (Some(path), Some(text)) => {
            let config = Config::from_toml(text, path).map_err(|e| Failure::Usage(e.into()))?;
            // Valid TOML by now: `from_toml` parsed it.
            (config, text.parse::<toml::Table>().ok())
        }
        _ => (Config::default(), None),
    };
    // `serve` and `daemon` read these at start and exit 2 without them; a check that said
    // "valid" first would be wrong. Not part of loading: other commands never read them.
    super::token_files::check_platforms(&config, file)?;
    super::token_files::admin_token(&config, file)?;
    let (database, origin) = db_location(cli, &config)?;
    let mut settings = toml::Value::try_from(&config)
        .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot print the config: {e}")))?;
    as_written(&mut settings, written.as_ref());
    let shown = file
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "(no config file: built-in defaults)".into());
    if json {
        print_json(&serde_json::json!({
            "file": shown,
            "valid": true,
            "database": { "path": database.display().to_string(), "from": origin.code() },
            "config": settings,
        }))?;
    } else {
        let text = toml::to_string_pretty(&settings)
            .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot print the config: {e}")))?;
        emitln(format_args!(
            "{shown}: valid\ndatabase: {} ({})\n\n{text}",
            database.display(),
            origin.describe()
        ));
    }
    Ok(Outcome::Success)
}

/// Rewrite the duration values of `settings` as people write them: the file's own text where
/// the key was set, else the largest exact unit.
fn as_written(settings: &mut toml::Value, written: Option<&toml::Table>) {
    match settings {
        toml::Value::Table(table) => {
            for (key, value) in table.iter_mut() {
                let mine = written.and_then(|w| w.get(key));
                match value {
                    toml::Value::Table(_) => {
                        as_written(value, mine.and_then(toml::Value::as_table));
                    }
                    toml::Value::String(text) => {
                        if let Some(duration) = serialised_duration(text) {
                            *text = match mine.and_then(toml::Value::as_str) {
                                Some(own) => own.to_owned(),
                                None => format_duration(duration),
                            };
                        }
                    }
                    _ => {}
                }
            }
        }
        toml::Value::Array(items) => {
            for item in items {
                as_written(item, None);
            }
        }
        _ => {}
    }
}

/// The duration a config value holds, when it is one (as the config serialises durations:
/// `humantime` text such as `1day` or `1h 30m`).
fn serialised_duration(text: &str) -> Option<Duration> {
    let d = humantime::parse_duration(text).ok()?;
    (humantime::format_duration(d).to_string() == text).then_some(d)
}

/// A duration in its largest exact unit among days, hours, minutes and seconds (`1d`, `36h`,
/// `15m`, `90s`), milliseconds below a second; always readable back by the config.
pub(super) fn format_duration(d: Duration) -> String {
    if d.subsec_nanos() != 0 {
        if d.subsec_nanos().is_multiple_of(1_000_000) {
            return format!("{}ms", d.as_millis());
        }
        return humantime::format_duration(d).to_string();
    }
    let secs = d.as_secs();
    if secs == 0 {
        return "0s".to_owned();
    }
    for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
        if secs.is_multiple_of(size) {
            return format!("{}{unit}", secs / size);
        }
    }
    format!("{secs}s")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_their_largest_exact_unit() {
        for (secs, text) in [
            (0, "0s"),
            (20, "20s"),
            (90, "90s"),
            (900, "15m"),
            (3_600, "1h"),
            (86_400, "1d"),
            (129_600, "36h"),
            (604_800, "7d"),
        ] {
            let d = Duration::from_secs(secs);
            assert_eq!(format_duration(d), text);
            assert_eq!(
                humantime::parse_duration(text).ok(),
                Some(d),
                "{text} reads back"
            );
        }
        assert_eq!(format_duration(Duration::from_millis(1500)), "1500ms");
    }

    #[test]
    fn a_key_set_in_the_file_keeps_its_text() {
        let text = "[liveness]\ngone_after = \"24h\"\n[http]\nuser_agent = \"1day\"\n";
        let config = Config::from_toml(text, Path::new("c.toml")).expect("valid");
        let mut settings = toml::Value::try_from(&config).expect("serialises");
        as_written(&mut settings, text.parse::<toml::Table>().ok().as_ref());
        let get = |section: &str, key: &str| settings[section][key].as_str().map(str::to_owned);
        assert_eq!(get("liveness", "gone_after").as_deref(), Some("24h"));
        assert_eq!(get("http", "timeout").as_deref(), Some("20s"));
        assert_eq!(get("schedule", "recheck_max").as_deref(), Some("7d"));
        assert_eq!(get("schedule", "recheck").as_deref(), Some("0 * * * *"));
    }
}
