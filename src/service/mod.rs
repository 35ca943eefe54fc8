//! Running under systemd: what the daemon tells the service manager (`notify`) and where its logs
//! go (`journal`). Both are inert outside systemd: with no `NOTIFY_SOCKET` the notifications are
//! no-ops, and with no `JOURNAL_STREAM` pointing at stderr the logs stay on stderr.
//!
//! This module talks only to the service manager's sockets. It never touches the archive, the
//! network or the config, and it uses no other module of the crate.

pub mod journal;
pub mod notify;
