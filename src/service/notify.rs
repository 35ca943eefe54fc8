//! Service state notifications to systemd (`sd_notify(3)`): ready, reloading, stopping, a status
//! line, and watchdog pings, sent as datagrams to the socket named by `NOTIFY_SOCKET`.
//!
//! The unit (`systemd/embedkeep.service`) is `Type=notify` with `WatchdogSec=`, so the daemon must
//! send `READY=1` once it serves, ping at least every [`watchdog_interval`], and wrap a config
//! reload in [`Notifier::reloading`] … [`Notifier::ready`]. Outside systemd (`NOTIFY_SOCKET`
//! unset) a [`Notifier`] is disabled and every call is a no-op, so the daemon runs the same way by
//! hand.
//!
//! The messages and the environment parsing come from the `sd-notify` crate. The sending is done
//! here: the crate looks `NOTIFY_SOCKET` up again on every call and cannot reach Linux
//! abstract-namespace sockets (`@name`), which some service managers use. A [`Notifier`] resolves
//! the socket once, and tests hand it a socket of their own instead of changing the
//! process-global environment. This module never changes the environment.

use std::ffi::OsStr;
use std::io;
use std::os::linux::net::SocketAddrExt;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::net::{SocketAddr, UnixDatagram};
use std::time::Duration;

use sd_notify::NotifyState;

/// The environment variable systemd sets to the notification socket of a `Type=notify` service.
pub const NOTIFY_SOCKET: &str = "NOTIFY_SOCKET";

/// Why a notification could not be sent.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// `NOTIFY_SOCKET` names neither an absolute socket path nor an `@abstract` name
    /// (e.g. a `vsock:` address).
    #[error(
        "unsupported {NOTIFY_SOCKET}={socket:?}: expected an absolute path or an @abstract name"
    )]
    UnsupportedSocket {
        /// The variable's value.
        socket: String,
    },
    /// The socket address could not be formed (too long) or no socket could be opened.
    #[error("notify socket {socket:?}: {source}")]
    Socket {
        /// The socket, as `NOTIFY_SOCKET` names it.
        socket: String,
        /// What the system said.
        source: io::Error,
    },
    /// The service manager did not take the message.
    #[error("sending {message:?} to notify socket {socket:?}: {source}")]
    Send {
        /// The socket, as `NOTIFY_SOCKET` names it.
        socket: String,
        /// The message, one `KEY=value` per line.
        message: String,
        /// What the system said.
        source: io::Error,
    },
    /// The monotonic clock, which `RELOADING=1` must be stamped with, could not be read.
    #[error("reading the monotonic clock for RELOADING=1: {0}")]
    Clock(#[source] io::Error),
}

/// Sends state notifications to the service manager, or nothing when there is none.
///
/// Cheap to share: every method takes `&self` and sends one datagram.
#[derive(Debug)]
pub struct Notifier {
    target: Option<Target>,
}

#[derive(Debug)]
struct Target {
    socket: UnixDatagram,
    address: SocketAddr,
    /// The socket as `NOTIFY_SOCKET` names it, for errors.
    name: String,
}

impl Notifier {
    /// The notifier for this process: the socket named by `NOTIFY_SOCKET`, or a disabled one
    /// when the variable is unset or empty (not started by systemd, or not `Type=notify`).
    pub fn from_env() -> Result<Self, NotifyError> {
        match std::env::var_os(NOTIFY_SOCKET) {
            Some(socket) if !socket.is_empty() => Self::for_socket(&socket),
            _ => Ok(Self::disabled()),
        }
    }

    /// A notifier for the given socket, written as in `NOTIFY_SOCKET`: an absolute path, or
    /// `@name` for a Linux abstract-namespace socket.
    pub fn for_socket(socket: &OsStr) -> Result<Self, NotifyError> {
        let name = socket.to_string_lossy().into_owned();
        let bytes = socket.as_bytes();
        let address = match bytes.first() {
            Some(b'/') => SocketAddr::from_pathname(socket),
            Some(b'@') => SocketAddr::from_abstract_name(&bytes[1..]),
            _ => return Err(NotifyError::UnsupportedSocket { socket: name }),
        }
        .map_err(|source| NotifyError::Socket {
            socket: name.clone(),
            source,
        })?;
        let socket = UnixDatagram::unbound().map_err(|source| NotifyError::Socket {
            socket: name.clone(),
            source,
        })?;
        Ok(Self {
            target: Some(Target {
                socket,
                address,
                name,
            }),
        })
    }

    /// A notifier that sends nothing.
    pub fn disabled() -> Self {
        Self { target: None }
    }

    /// Whether notifications go anywhere.
    pub fn is_enabled(&self) -> bool {
        self.target.is_some()
    }

    /// `READY=1`: start-up (or a reload) is finished and the daemon serves.
    pub fn ready(&self) -> Result<(), NotifyError> {
        self.send(&[NotifyState::Ready])
    }

    /// `STATUS=…`: a one-line state shown by `systemctl status`. Line breaks become spaces, so
    /// the text cannot add other assignments to the message.
    pub fn status(&self, text: &str) -> Result<(), NotifyError> {
        let line = text.replace(['\n', '\r'], " ");
        self.send(&[NotifyState::Status(&line)])
    }

    /// `WATCHDOG=1`: the daemon is alive. Send it every [`watchdog_interval`].
    pub fn watchdog(&self) -> Result<(), NotifyError> {
        self.send(&[NotifyState::Watchdog])
    }

    /// `STOPPING=1`: shutdown has begun.
    pub fn stopping(&self) -> Result<(), NotifyError> {
        self.send(&[NotifyState::Stopping])
    }

    /// `RELOADING=1` with `MONOTONIC_USEC=` (which systemd 253 and newer require with it): a
    /// config reload has begun. Send [`Notifier::ready`] when it is done, whether or not it
    /// succeeded.
    pub fn reloading(&self) -> Result<(), NotifyError> {
        if self.target.is_none() {
            return Ok(());
        }
        let now = NotifyState::monotonic_usec_now().map_err(NotifyError::Clock)?;
        self.send(&[NotifyState::Reloading, now])
    }

    fn send(&self, states: &[NotifyState<'_>]) -> Result<(), NotifyError> {
        let Some(target) = &self.target else {
            return Ok(());
        };
        let mut message = String::new();
        for state in states {
            message.push_str(&state.to_string());
            message.push('\n');
        }
        let send_error = |source| NotifyError::Send {
            socket: target.name.clone(),
            message: message.clone(),
            source,
        };
        let sent = target
            .socket
            .send_to_addr(message.as_bytes(), &target.address)
            .map_err(send_error)?;
        if sent != message.len() {
            return Err(send_error(io::Error::new(
                io::ErrorKind::WriteZero,
                "message truncated",
            )));
        }
        Ok(())
    }
}

/// How often to send [`Notifier::watchdog`]: half the unit's `WatchdogSec=` (from
/// `WATCHDOG_USEC`, as `sd_watchdog_enabled(3)` advises), or `None` when the watchdog is off or
/// meant for another process (`WATCHDOG_PID`).
pub fn watchdog_interval() -> Option<Duration> {
    sd_notify::watchdog_enabled().and_then(ping_interval)
}

/// Half the watchdog timeout; `None` for a zero interval, which timers refuse.
fn ping_interval(timeout: Duration) -> Option<Duration> {
    let half = timeout / 2;
    (!half.is_zero()).then_some(half)
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// A stand-in for the service manager's end of the socket.
    struct Manager(UnixDatagram);

    impl Manager {
        fn at_path(path: &Path) -> Self {
            Self::ready(UnixDatagram::bind(path).expect("bind test socket"))
        }

        fn abstract_named(name: &str) -> Self {
            let address =
                SocketAddr::from_abstract_name(name.as_bytes()).expect("abstract address");
            Self::ready(UnixDatagram::bind_addr(&address).expect("bind abstract socket"))
        }

        fn ready(socket: UnixDatagram) -> Self {
            socket
                .set_read_timeout(Some(Duration::from_secs(5)))
                .expect("read timeout");
            Self(socket)
        }

        fn receive(&self) -> String {
            let mut buf = [0u8; 4096];
            let len = self.0.recv(&mut buf).expect("a notification");
            String::from_utf8(buf[..len].to_vec()).expect("UTF-8 notification")
        }
    }

    fn unique_abstract_name() -> String {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        format!(
            "embedkeep-notify-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        )
    }

    #[test]
    fn each_state_reaches_a_socket_path_as_one_datagram() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("notify");
        let manager = Manager::at_path(&path);
        let notifier = Notifier::for_socket(path.as_os_str()).expect("notifier");
        assert!(notifier.is_enabled());

        notifier.ready().expect("ready");
        assert_eq!(manager.receive(), "READY=1\n");
        notifier.status("archiving 3 articles").expect("status");
        assert_eq!(manager.receive(), "STATUS=archiving 3 articles\n");
        notifier.watchdog().expect("watchdog");
        assert_eq!(manager.receive(), "WATCHDOG=1\n");
        notifier.stopping().expect("stopping");
        assert_eq!(manager.receive(), "STOPPING=1\n");
    }

    #[test]
    fn reloading_carries_the_monotonic_time() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("notify");
        let manager = Manager::at_path(&path);
        let notifier = Notifier::for_socket(path.as_os_str()).expect("notifier");

        notifier.reloading().expect("reloading");
        let message = manager.receive();
        let lines: Vec<&str> = message.lines().collect();
        assert_eq!(lines.first(), Some(&"RELOADING=1"), "{message:?}");
        let usec: u64 = lines
            .get(1)
            .and_then(|line| line.strip_prefix("MONOTONIC_USEC="))
            .and_then(|value| value.parse().ok())
            .unwrap_or_else(|| panic!("no MONOTONIC_USEC in {message:?}"));
        assert!(usec > 0);
        assert_eq!(lines.len(), 2, "{message:?}");
    }

    #[test]
    fn a_status_with_line_breaks_stays_one_assignment() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("notify");
        let manager = Manager::at_path(&path);
        let notifier = Notifier::for_socket(path.as_os_str()).expect("notifier");

        notifier
            .status("config error\nREADY=1\r\nMAINPID=1")
            .expect("status");
        assert_eq!(
            manager.receive(),
            "STATUS=config error READY=1  MAINPID=1\n"
        );
    }

    #[test]
    fn an_abstract_socket_is_reached() {
        let name = unique_abstract_name();
        let manager = Manager::abstract_named(&name);
        let notifier = Notifier::for_socket(OsStr::new(&format!("@{name}"))).expect("notifier");

        notifier.ready().expect("ready");
        assert_eq!(manager.receive(), "READY=1\n");
    }

    #[test]
    fn a_disabled_notifier_sends_nothing_and_never_fails() {
        let notifier = Notifier::disabled();
        assert!(!notifier.is_enabled());
        notifier.ready().expect("ready");
        notifier.status("x").expect("status");
        notifier.watchdog().expect("watchdog");
        notifier.reloading().expect("reloading");
        notifier.stopping().expect("stopping");
    }

    #[test]
    fn sockets_other_than_paths_and_abstract_names_are_refused() {
        for socket in ["vsock:2:1234", "relative/notify", "notify"] {
            match Notifier::for_socket(OsStr::new(socket)) {
                Err(NotifyError::UnsupportedSocket { socket: s }) => assert_eq!(s, socket),
                other => panic!("{socket}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_socket_nobody_listens_on_is_an_error_naming_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("gone");
        let notifier = Notifier::for_socket(path.as_os_str()).expect("notifier");
        match notifier.ready() {
            Err(NotifyError::Send {
                socket, message, ..
            }) => {
                assert_eq!(socket, path.to_string_lossy());
                assert_eq!(message, "READY=1\n");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_watchdog_is_pinged_at_half_its_timeout() {
        assert_eq!(
            ping_interval(Duration::from_secs(60)),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            ping_interval(Duration::from_micros(3)),
            Some(Duration::from_nanos(1500))
        );
        assert_eq!(ping_interval(Duration::ZERO), None);
    }
}
