//! `schedule` is the daemon: it polls the article sources on the `discover` schedule, queues the
//! posts that are due for a check on the `recheck` schedule, keeps the archive in shape on the
//! `retention` schedule, and runs the queued work (archive an article, check a post) on a
//! bounded set of workers through `pipeline`. The queue and the re-check times live in the
//! database, so nothing is lost across restarts; this module holds no state that matters beyond
//! one process's life (per-platform cool-downs, the next firing times).

mod backoff;
mod daemon;
mod discover;
pub mod sources;
mod timetable;
mod unanswered;
mod work;

pub use daemon::{DaemonControl, DaemonError, Lifecycle, Quiet, run};
pub use discover::{DiscoverReport, discover};
pub use timetable::{Tick, Timetable};
