//! Logs to the systemd journal, with structured fields and priorities, when systemd runs the
//! daemon; plain stderr otherwise.
//!
//! systemd connects a service's stderr to the journal and sets `JOURNAL_STREAM=DEV:INODE` to the
//! device and inode of that stream (`systemd.exec(5)`). The variable is inherited by children, so
//! it only counts when it still matches this process's stderr: a command run from a service's
//! shell with stderr redirected to a file keeps logging to the file. [`journald_wanted`] says
//! which case this is, and [`journald_layer`] gives the `tracing` layer to use then. Setting up the
//! subscriber (filters, the fmt layer otherwise) is the binary's job.

use std::fs::{File, Metadata};
use std::io;
use std::os::fd::AsFd;
use std::os::unix::fs::MetadataExt;

use tracing_journald::{Priority, PriorityMappings};

/// The environment variable systemd sets when stderr goes to the journal.
pub const JOURNAL_STREAM: &str = "JOURNAL_STREAM";

/// The name the journal files entries under (`journalctl -t embedkeep`), whatever the binary's
/// file name.
pub const SYSLOG_IDENTIFIER: &str = "embedkeep";

/// Whether stderr is connected to the journal: `JOURNAL_STREAM` is set and names the device and
/// inode of this process's stderr.
pub fn journald_wanted() -> bool {
    std::env::var_os(JOURNAL_STREAM)
        .and_then(|value| value.into_string().ok())
        .is_some_and(|value| names_stderr(&value))
}

/// A `tracing` layer that writes each event to the journal as one structured entry, or `None`
/// when the journal's socket cannot be reached (e.g. in a container without journald).
///
/// Entries carry `SYSLOG_IDENTIFIER=embedkeep`, the event's fields as `F_<NAME>` (plus `TARGET`,
/// `CODE_FILE`, `CODE_LINE`), and a priority from the level: error 3, warn 4, info 6, debug and
/// trace 7, so `journalctl -u embedkeep -p info` shows what `-v` shows on a terminal.
pub fn journald_layer() -> Option<tracing_journald::Layer> {
    let layer = tracing_journald::layer().ok()?;
    Some(
        layer
            .with_syslog_identifier(SYSLOG_IDENTIFIER.to_owned())
            .with_priority_mappings(PriorityMappings {
                error: Priority::Error,
                warn: Priority::Warning,
                info: Priority::Informational,
                debug: Priority::Debug,
                trace: Priority::Debug,
            }),
    )
}

/// Whether a `JOURNAL_STREAM` value names this process's stderr.
fn names_stderr(value: &str) -> bool {
    stderr_metadata().is_ok_and(|meta| names_stream(value, meta.dev(), meta.ino()))
}

/// The stat of whatever fd 2 is; an error when it is closed.
fn stderr_metadata() -> io::Result<Metadata> {
    let fd = io::stderr().as_fd().try_clone_to_owned()?;
    File::from(fd).metadata()
}

/// Whether a `JOURNAL_STREAM` value (`DEV:INODE`, both decimal) names this device and inode.
fn names_stream(value: &str, dev: u64, ino: u64) -> bool {
    value.split_once(':').is_some_and(|(d, i)| {
        d.parse::<u64>().is_ok_and(|d| d == dev) && i.parse::<u64>().is_ok_and(|i| i == ino)
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn a_journal_stream_value_must_name_both_device_and_inode() {
        assert!(names_stream("2049:123456", 2049, 123_456));
        assert!(!names_stream("2049:123457", 2049, 123_456));
        assert!(!names_stream("2050:123456", 2049, 123_456));
        for malformed in [
            "",
            ":",
            "2049",
            "2049:",
            ":123456",
            "2049:123456:7",
            "x:y",
            " 2049:123456",
        ] {
            assert!(!names_stream(malformed, 2049, 123_456), "{malformed:?}");
        }
    }

    #[test]
    fn the_stream_of_this_process_stderr_is_recognised() {
        let meta = stderr_metadata().expect("stderr is open in tests");
        assert!(names_stderr(&format!("{}:{}", meta.dev(), meta.ino())));
    }

    #[test]
    fn a_stream_inherited_from_elsewhere_is_not_stderr() {
        let file = tempfile::NamedTempFile::new().expect("temp file");
        let other = file.as_file().metadata().expect("stat");
        assert!(!names_stderr(&format!("{}:{}", other.dev(), other.ino())));
    }

    #[test]
    fn the_layer_stacks_on_a_registry_whether_or_not_it_is_there() {
        use tracing_subscriber::layer::SubscriberExt;
        let _subscriber = tracing_subscriber::registry().with(journald_layer());
    }

    #[test]
    fn no_layer_without_a_journal_socket() {
        if !Path::new("/run/systemd/journal/socket").exists() {
            assert!(journald_layer().is_none());
        }
    }
}
