//! The daemon's loop: fire the periodic jobs on their schedules, claim queued work from the
//! durable queue and run it on a bounded set of workers, return the work of dead workers to the
//! queue, tell the service manager how things stand, reload the config on request, and stop
//! cleanly: stop claiming, let in-flight work finish within the grace period, give back what did
//! not finish, checkpoint.
//!
//! Everything the daemon must not lose is in the database (queued jobs, their attempts, source
//! validators, the re-check schedule), so a crash or `kill -9` loses nothing: on the next start,
//! expired leases return their jobs to the queue.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

use super::discover::{DiscoverReport, SourcesInFlight, discover_in};
use super::sources::Source;
use super::timetable::{Tick, Timetable};
use super::work::{Cooldowns, JobEnd, retry_at, run_job};
use crate::config::Config;
use crate::pipeline::Pipeline;
use crate::store::{Job, JobKind, StoreError, StoreHandles};

/// How many due posts one `recheck` tick queues at most (the rest are queued by the next tick).
const RECHECK_BATCH: u32 = 10_000;
/// The longest the loop sleeps without looking at the queue (other processes, e.g. the CLI or
/// the HTTP API, may queue work).
const QUEUE_POLL: Duration = Duration::from_secs(2);

/// What the daemon tells its service manager (systemd's `sd_notify`, or nothing).
pub trait Lifecycle: Send + Sync {
    /// Started and serving.
    fn ready(&self);
    /// A one-line status (queue depth, last runs).
    fn status(&self, text: &str);
    /// Still alive (for the watchdog).
    fn watchdog(&self);
    /// Reloading the config.
    fn reloading(&self);
    /// Shutting down.
    fn stopping(&self);
}

/// A lifecycle that tells nobody.
pub struct Quiet;

impl Lifecycle for Quiet {
    fn ready(&self) {}
    fn status(&self, _: &str) {}
    fn watchdog(&self) {}
    fn reloading(&self) {}
    fn stopping(&self) {}
}

/// Why the daemon could not start.
#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    /// A schedule or source in the config is unusable.
    #[error("{0}")]
    Config(String),
    /// The HTTP client could not be built.
    #[error(transparent)]
    Pipeline(#[from] crate::pipeline::PipelineError),
    /// The archive failed at start.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How the daemon is run: what it listens to and how often it reports.
pub struct DaemonControl {
    /// `true` asks the daemon to stop.
    pub shutdown: watch::Receiver<bool>,
    /// Each new value is a reloaded config to switch to.
    pub reloads: watch::Receiver<Arc<Config>>,
    pub lifecycle: Arc<dyn Lifecycle>,
    /// How often to tell the service manager we are alive (`None`: never).
    pub watchdog: Option<Duration>,
}

/// What the daemon is running with; rebuilt on reload.
struct Setup {
    config: Arc<Config>,
    pipeline: Pipeline,
    timetable: Timetable,
    sources: Vec<Source>,
}

impl Setup {
    /// The setup for `config`; on a reload, `running` is the pipeline it replaces (whose HTTP
    /// client carries over when the HTTP config did not change).
    fn new(
        config: Arc<Config>,
        store: StoreHandles,
        running: Option<&Pipeline>,
    ) -> Result<Setup, DaemonError> {
        let timetable = Timetable::new(&config.schedule).map_err(DaemonError::Config)?;
        let sources = config
            .sources
            .iter()
            .map(Source::from_config)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| DaemonError::Config(e.to_string()))?;
        let pipeline = match running {
            Some(running) => running.reconfigured(Arc::clone(&config))?,
            None => Pipeline::new(Arc::clone(&config), store)?,
        };
        Ok(Setup {
            config,
            pipeline,
            timetable,
            sources,
        })
    }
}

/// Run the daemon until `control.shutdown` says stop. The writer is closed (WAL checkpointed)
/// before this returns. The caller holds the archive's daemon lock: no other daemon runs on it,
/// so every job marked running at start is a dead daemon's and goes back to the queue at once.
pub async fn run(
    config: Arc<Config>,
    store: StoreHandles,
    mut control: DaemonControl,
) -> Result<(), DaemonError> {
    let mut setup = Setup::new(config, store.clone(), None)?;
    let owner = format!(
        "pid-{}-{}",
        std::process::id(),
        Utc::now().timestamp_nanos_opt().unwrap_or_default()
    );
    let max_attempts = setup.config.schedule.max_attempts;
    let (returned, given_up) = store
        .writer
        .call(move |s| s.return_running_jobs(max_attempts, Utc::now()))
        .await?;
    if returned > 0 {
        tracing::warn!(
            returned,
            "jobs a stopped daemon left running returned to the queue"
        );
    }
    if given_up > 0 {
        tracing::error!(
            given_up,
            max_attempts,
            "jobs a stopped daemon left running had had their schedule.max_attempts: given up \
             (state failed, counted in the metric embedkeep_jobs as failed)"
        );
    }
    let cooldowns = Arc::new(Cooldowns::default());
    let mut workers: JoinSet<()> = JoinSet::new();
    let mut ticks: JoinSet<(Tick, String)> = JoinSet::new();
    let mut next_fire = setup.timetable.next_after(Utc::now());
    let mut last_runs: Vec<(Tick, String)> = Vec::new();
    let mut running_ticks: Vec<Tick> = Vec::new();
    // Discover passes may overlap: a source still being polled is skipped by the next pass,
    // which polls the others.
    let in_flight = SourcesInFlight::default();
    let mut next_watchdog = tokio::time::Instant::now();
    let mut next_sweep = tokio::time::Instant::now() + setup.config.schedule.lease / 2;
    // The loop never waits on the writer: retention's VACUUM holds it for as long as the file
    // takes to rewrite (minutes, for a large archive), and a loop waiting that long would leave
    // the service manager's watchdog unpinged (it would kill the daemon mid-VACUUM) and signals
    // unread. A claim and a sweep run as tasks, one of each at a time, and the loop looks in.
    let mut claiming: Option<JoinHandle<Result<Vec<Job>, StoreError>>> = None;
    let mut next_claim = tokio::time::Instant::now();
    let mut sweeping: Option<JoinHandle<()>> = None;
    control.lifecycle.ready();
    // `systemctl status` shows the last STATUS= line: one now, then one after each periodic
    // job and with each watchdog ping, so that it is never older than the last thing done.
    control
        .lifecycle
        .status(&status_line(&store, &last_runs).await);
    tracing::info!(
        sources = setup.sources.len(),
        workers = setup.config.schedule.workers,
        "daemon started"
    );
    if setup.sources.is_empty() {
        // Not an error (a daemon may only re-check and serve an archive that `archive` fills),
        // but an operator who meant it to follow a site should hear of it at once.
        tracing::warn!(
            "no [[sources]] in the config: no feed, sitemap or URL list is followed; \
             archived posts are re-checked and served"
        );
    }

    loop {
        if *control.shutdown.borrow() {
            break;
        }
        // Claim as much work as there are free workers.
        let free = setup.config.schedule.workers.saturating_sub(workers.len());
        if free > 0 && claiming.is_none() && tokio::time::Instant::now() >= next_claim {
            let lease = setup.config.schedule.lease;
            // A host's jobs hold no more workers than the host may have requests in flight:
            // the rest would only wait for its politeness slots while other hosts' jobs wait.
            let per_host =
                u32::try_from(setup.config.politeness.per_host_concurrency).unwrap_or(u32::MAX);
            let me = owner.clone();
            let writer = store.writer.clone();
            claiming = Some(tokio::spawn(async move {
                writer
                    .call(move |s| {
                        let now = Utc::now();
                        let until = now + chrono::Duration::from_std(lease).unwrap_or_default();
                        let limit = u32::try_from(free).unwrap_or(u32::MAX);
                        s.claim_jobs(&me, now, until, limit, per_host)
                    })
                    .await
            }));
        }
        // Fire the periodic jobs that are due (one of each kind at a time).
        let now = Utc::now();
        next_fire = setup.timetable.replan(&next_fire, now);
        let due: Vec<Tick> = next_fire
            .iter()
            .filter(|(_, at)| *at <= now)
            .map(|(tick, _)| *tick)
            .collect();
        if !due.is_empty() {
            for tick in due {
                if running_ticks.contains(&tick) {
                    tracing::warn!(
                        tick = tick.as_str(),
                        "still running from its last firing; skipped"
                    );
                    continue;
                }
                if tick != Tick::Discover {
                    running_ticks.push(tick);
                }
                spawn_tick(&mut ticks, tick, &setup, &in_flight);
            }
            next_fire = setup.timetable.next_after(now);
        }
        if tokio::time::Instant::now() >= next_sweep
            && sweeping.as_ref().is_none_or(JoinHandle::is_finished)
        {
            next_sweep = tokio::time::Instant::now() + setup.config.schedule.lease / 2;
            let writer = store.writer.clone();
            sweeping = Some(tokio::spawn(async move {
                match writer.call(|s| s.sweep_expired_leases(Utc::now())).await {
                    Ok(0) => {}
                    Ok(n) => tracing::warn!(returned = n, "expired leases returned to the queue"),
                    Err(e) => tracing::error!("cannot sweep expired leases: {e}"),
                }
            }));
        }
        if let Some(every) = control.watchdog
            && tokio::time::Instant::now() >= next_watchdog
        {
            next_watchdog = tokio::time::Instant::now() + every;
            control.lifecycle.watchdog();
            control
                .lifecycle
                .status(&status_line(&store, &last_runs).await);
        }

        // Sleep until something needs doing.
        let until_tick = next_fire
            .first()
            .map(|(_, at)| duration_until(*at))
            .unwrap_or(QUEUE_POLL);
        let mut nap = until_tick.min(QUEUE_POLL);
        // Woken for the next ping when it is due, not a whole interval after the last wake:
        // a wake just before it is due would otherwise put two intervals (the whole timeout)
        // between pings.
        if control.watchdog.is_some() {
            nap = nap.min(next_watchdog.saturating_duration_since(tokio::time::Instant::now()));
        }
        // A claim waiting for its time wakes the loop then; with every worker busy, a finished
        // worker wakes it instead.
        if free > 0 && claiming.is_none() {
            nap = nap.min(next_claim.saturating_duration_since(tokio::time::Instant::now()));
        }
        tokio::select! {
            _ = tokio::time::sleep(nap) => {}
            claimed = async {
                match claiming.as_mut() {
                    Some(claim) => claim.await,
                    None => std::future::pending().await,
                }
            }, if claiming.is_some() => {
                claiming = None;
                // The next claim waits for a worker to finish, or for the queue's poll.
                next_claim = tokio::time::Instant::now() + QUEUE_POLL;
                match claimed {
                    Ok(Ok(jobs)) => {
                        for job in jobs {
                            start_job(&mut workers, &setup, &cooldowns, &owner, job);
                        }
                    }
                    Ok(Err(e)) => tracing::error!("cannot claim jobs: {e}"),
                    Err(e) => tracing::error!("the claim of jobs failed: {e}"),
                }
            }
            Some(_) = workers.join_next(), if !workers.is_empty() => {
                next_claim = tokio::time::Instant::now();
            }
            Some(done) = ticks.join_next(), if !ticks.is_empty() => {
                if let Ok((tick, summary)) = done {
                    running_ticks.retain(|t| *t != tick);
                    tracing::info!(tick = tick.as_str(), "{summary}");
                    last_runs.retain(|(t, _)| *t != tick);
                    last_runs.push((tick, format!("{summary} at {}", Utc::now().format("%H:%M:%S"))));
                    control
                        .lifecycle
                        .status(&status_line(&store, &last_runs).await);
                }
            }
            changed = control.shutdown.changed() => {
                if changed.is_err() {
                    break;
                }
            }
            Ok(()) = control.reloads.changed() => {
                control.lifecycle.reloading();
                let config = control.reloads.borrow_and_update().clone();
                match Setup::new(config, store.clone(), Some(&setup.pipeline)) {
                    Ok(new) => {
                        setup = new;
                        let followed: Vec<String> =
                            setup.sources.iter().map(ToString::to_string).collect();
                        store.writer.tally().keep_sources(&followed);
                        next_fire = setup.timetable.next_after(Utc::now());
                        tracing::info!("config reloaded");
                    }
                    Err(e) => tracing::error!("config not reloaded, the old one stays: {e}"),
                }
                control.lifecycle.ready();
            }
        }
    }

    // Stop: claim nothing more, let in-flight work finish within the grace period.
    control.lifecycle.stopping();
    // Jobs a claim in flight takes are this daemon's: they go back to the queue below.
    if let Some(claim) = claiming.take() {
        let _ = claim.await;
    }
    let grace = setup.config.schedule.shutdown_grace;
    tracing::info!(in_flight = workers.len(), ?grace, "stopping");
    let drained = tokio::time::timeout(grace, async {
        while workers.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            unfinished = workers.len(),
            "grace period over; unfinished jobs go back to the queue"
        );
        workers.abort_all();
        while workers.join_next().await.is_some() {}
    }
    ticks.abort_all();
    while ticks.join_next().await.is_some() {}
    let me = owner.clone();
    if let Err(e) = store.writer.call(move |s| s.release_jobs(&me)).await {
        tracing::error!("cannot return unfinished jobs to the queue: {e}");
    }
    store.writer.close().await?;
    tracing::info!("stopped");
    Ok(())
}

/// Run a claimed job on a worker, keeping its lease alive while it runs.
fn start_job(
    workers: &mut JoinSet<()>,
    setup: &Setup,
    cooldowns: &Arc<Cooldowns>,
    owner: &str,
    job: Job,
) {
    let pipeline = setup.pipeline.clone();
    let cooldowns = Arc::clone(cooldowns);
    let max_attempts = setup.config.schedule.max_attempts;
    let lease = setup.config.schedule.lease;
    let me = owner.to_owned();
    workers.spawn(async move {
        let end = tokio::select! {
            end = run_job(&pipeline, &cooldowns, &job) => end,
            // Never returns: keeps the lease alive while the job runs.
            () = heartbeat(&pipeline, &me, job.id, lease) => JobEnd::Done,
        };
        settle(&pipeline, &me, &job, end, max_attempts).await;
    });
}

/// Extend a running job's lease every third of the lease, so that a long job (an article with
/// hundreds of embeds behind a slow host) is never taken for a dead worker's and run twice at
/// once. Runs until the job ends (the caller drops it).
async fn heartbeat(pipeline: &Pipeline, owner: &str, id: i64, lease: Duration) {
    let every = (lease / 3).max(Duration::from_millis(100));
    loop {
        tokio::time::sleep(every).await;
        let me = owner.to_owned();
        let until = Utc::now() + chrono::Duration::from_std(lease).unwrap_or_default();
        match pipeline
            .store()
            .writer
            .call(move |s| s.extend_lease(id, &me, until))
            .await
        {
            Ok(true) => {}
            Ok(false) => tracing::warn!(job = id, "lease lost while running"),
            Err(e) => tracing::error!(job = id, "cannot extend the lease: {e}"),
        }
    }
}

/// Record what became of a job. A lost lease (the job outlived it and was given to another
/// worker) drops this result: the other run's stands.
async fn settle(pipeline: &Pipeline, owner: &str, job: &Job, end: JobEnd, max_attempts: u32) {
    let now = Utc::now();
    let id = job.id;
    let me = owner.to_owned();
    let next = retry_at(job, &end, max_attempts, now);
    let what = format!("{} {}", job.kind, job.key);
    // What the log says of a failure, once it is recorded.
    let failure = match &end {
        JobEnd::Retry { message, .. } => Some(match next {
            Some(at) => format!(
                "{message}; tried again at {}",
                at.format("%Y-%m-%d %H:%M:%S")
            ),
            None => format!("{message}; given up after {} attempt(s)", job.attempts),
        }),
        JobEnd::GiveUp { message } => Some(format!("{message}; given up")),
        JobEnd::Done | JobEnd::Defer(_) => None,
    };
    let written = pipeline
        .store()
        .writer
        .call(move |s| match end {
            JobEnd::Done => s.finish_job(id, &me, now),
            JobEnd::Defer(at) => s.defer_job(id, &me, at),
            JobEnd::Retry { class, message, .. } => s.fail_job(id, &me, class, &message, next),
            JobEnd::GiveUp { message } => {
                s.fail_job(id, &me, crate::store::ErrorClass::Permanent, &message, None)
            }
        })
        .await;
    match written {
        Ok(true) => {
            if let Some(failure) = failure {
                tracing::warn!(job = %what, "{what} failed: {failure}");
            }
        }
        Ok(false) => tracing::warn!(job = %what, "lease lost: the job's result was dropped"),
        Err(e) => tracing::error!(job = %what, "cannot record the job's result: {e}"),
    }
}

/// Start a periodic job on its own task (the workers go on meanwhile).
fn spawn_tick(
    ticks: &mut JoinSet<(Tick, String)>,
    tick: Tick,
    setup: &Setup,
    in_flight: &SourcesInFlight,
) {
    let pipeline = setup.pipeline.clone();
    let in_flight = in_flight.clone();
    let sources = setup.sources.clone();
    let keep_checks = setup.config.schedule.keep_checks;
    ticks.spawn(async move {
        let summary = match tick {
            Tick::Discover => {
                let r: DiscoverReport = discover_in(&pipeline, &sources, &in_flight).await;
                format!(
                    "discover: {} source(s), {} unchanged, {} failed, {} still being polled; {} article(s) listed, {} queued",
                    r.sources, r.unchanged, r.failed, r.busy, r.articles_listed, r.articles_queued
                )
            }
            Tick::Recheck => match queue_due(&pipeline).await {
                Ok(n) => format!("recheck: {n} post(s) queued"),
                Err(e) => format!("recheck failed: {e}"),
            },
            Tick::Retention => {
                let before =
                    Utc::now() - chrono::Duration::from_std(keep_checks).unwrap_or_default();
                match pipeline
                    .store()
                    .writer
                    .call(move |s| {
                        let jobs = s.prune_jobs(before)?;
                        let report = s.retention(before)?;
                        Ok((jobs, report))
                    })
                    .await
                {
                    Ok((jobs, r)) => format!(
                        "retention: {} check(s) and {jobs} job(s) pruned{}",
                        r.checks_pruned,
                        if r.vacuumed { ", vacuumed" } else { "" }
                    ),
                    Err(e) => format!("retention failed: {e}"),
                }
            }
        };
        (tick, summary)
    });
}

/// Queue a check job for every post that is due.
async fn queue_due(pipeline: &Pipeline) -> Result<usize, StoreError> {
    let now = Utc::now();
    let due = pipeline
        .store()
        .reader
        .call(move |s| s.due_posts(now, RECHECK_BATCH))
        .await?;
    let keys: Vec<String> = due.iter().map(|p| p.id.to_string()).collect();
    pipeline
        .store()
        .writer
        .call(move |s| s.enqueue_many(JobKind::Check, &keys, now))
        .await
}

/// `STATUS=` text: queue depth and the last run of each periodic job.
async fn status_line(store: &StoreHandles, last_runs: &[(Tick, String)]) -> String {
    let depth = store
        .reader
        .call(|s| s.queue_depth())
        .await
        .map(|d| {
            format!(
                "queue: {} queued, {} running, {} failed",
                d.queued, d.running, d.failed
            )
        })
        .unwrap_or_else(|e| format!("queue: unknown ({e})"));
    let mut line = depth;
    for (_, run) in last_runs {
        line.push_str("; ");
        line.push_str(run);
    }
    line
}

fn duration_until(at: DateTime<Utc>) -> Duration {
    at.signed_duration_since(Utc::now())
        .to_std()
        .unwrap_or(Duration::ZERO)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// Counts the watchdog pings.
    #[derive(Default)]
    struct Pings(AtomicUsize);

    impl Lifecycle for Pings {
        fn ready(&self) {}
        fn status(&self, _: &str) {}
        fn watchdog(&self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
        fn reloading(&self) {}
        fn stopping(&self) {}
    }

    /// Regression: a job that failed (a 404, an address the guard refuses, a body over the
    /// cap) was recorded without a word in the log: an operator saw no line naming the article.
    #[tokio::test]
    async fn a_failed_job_is_logged_naming_its_input() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = StoreHandles::open(&dir.path().join("a.db"))
            .await
            .expect("archive");
        let pipeline = Pipeline::new(Arc::new(Config::default()), store.clone()).expect("pipeline");
        let key = "https://news.test/gone.html".to_owned();
        let jobs = store
            .writer
            .call(move |s| {
                let now = Utc::now();
                s.enqueue_many(crate::store::JobKind::Archive, &[key], now)?;
                s.claim_jobs("me", now, now + chrono::Duration::minutes(1), 1, 2)
            })
            .await
            .expect("claimed");
        let logs = crate::test_support::Logs::capture();
        let end = JobEnd::GiveUp {
            message: "https://news.test/gone.html: HTTP 404".into(),
        };
        settle(&pipeline, "me", &jobs[0], end, 6).await;
        let text = logs.text();
        assert!(
            text.lines().any(|l| l.contains(" WARN ")
                && l.contains("archive https://news.test/gone.html failed: https://news.test/gone.html: HTTP 404; given up")),
            "{text}"
        );
    }

    /// Regression: jobs were claimed oldest first whatever their host, so a slow site's queued
    /// articles took every worker, each waiting for the site's politeness slots, and another
    /// site's article waited until a slow one ended. A host's jobs now hold at most
    /// `politeness.per_host_concurrency` workers and the others run other hosts' jobs.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_slow_host_holds_at_most_its_share_of_the_workers() {
        let page = "<html><head><title>t</title></head><body><p>no embeds</p></body></html>";
        let app = axum::Router::new()
            .route(
                "/slow/{n}",
                axum::routing::get(move || async move {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    axum::response::Html(page)
                }),
            )
            .route(
                "/fast",
                axum::routing::get(move || async move { axum::response::Html(page) }),
            );
        let addr = crate::test_support::serve(app).await;
        let mut config = Config::default();
        for host in ["slow.test", "fast.test"] {
            config
                .http
                .host_overrides
                .insert(host.into(), format!("http://{addr}"));
        }
        config.http.timeout = Duration::from_secs(10);
        config.politeness.per_host_interval = Duration::ZERO;
        config.politeness.per_host_concurrency = 2;
        config.schedule.workers = 4;
        config.schedule.shutdown_grace = Duration::from_millis(100);
        let config = Arc::new(config);

        let dir = tempfile::tempdir().expect("temp dir");
        let store = StoreHandles::open(&dir.path().join("a.db"))
            .await
            .expect("archive");
        let slow: Vec<String> = (0..6)
            .map(|i| format!("https://slow.test/slow/{i}"))
            .collect();
        store
            .writer
            .call(move |s| {
                let now = Utc::now();
                s.enqueue_many(JobKind::Archive, &slow, now - chrono::Duration::minutes(1))?;
                s.enqueue(JobKind::Archive, "https://fast.test/fast", now)
            })
            .await
            .expect("queued");

        let (stop_tx, stop_rx) = watch::channel(false);
        let (_reload_tx, reload_rx) = watch::channel(Arc::clone(&config));
        let control = DaemonControl {
            shutdown: stop_rx,
            reloads: reload_rx,
            lifecycle: Arc::new(Quiet),
            watchdog: None,
        };
        let daemon = tokio::spawn(run(Arc::clone(&config), store.clone(), control));
        let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
        loop {
            let runs = store
                .reader
                .call(|s| s.job_runs(JobKind::Archive, "https://fast.test/fast"))
                .await
                .expect("job runs");
            if runs == [("done".to_owned(), 1)] {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the other host's article waited for the slow host's: {runs:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let depth = store.reader.call(|s| s.queue_depth()).await.expect("depth");
        assert_eq!(
            (depth.running, depth.queued),
            (2, 4),
            "the slow host holds two workers, its other jobs wait"
        );
        stop_tx.send(true).expect("stop");
        let ended = tokio::time::timeout(Duration::from_secs(10), daemon)
            .await
            .expect("the daemon stops");
        assert!(matches!(ended, Ok(Ok(()))), "{ended:?}");
    }

    /// Regression: the loop waited on the writer to claim jobs, so while retention's VACUUM held
    /// the writer the watchdog went unpinged (systemd kills a daemon whose watchdog lapses, here
    /// mid-VACUUM) and a stop went unread. The writer is held busy here as a VACUUM holds it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_watchdog_is_pinged_while_the_writer_is_busy() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = StoreHandles::open(&dir.path().join("a.db"))
            .await
            .expect("archive");
        let busy = store.writer.clone();
        let pings = Arc::new(Pings::default());
        let (stop_tx, stop_rx) = watch::channel(false);
        let (_reload_tx, reload_rx) = watch::channel(Arc::new(Config::default()));
        let control = DaemonControl {
            shutdown: stop_rx,
            reloads: reload_rx,
            lifecycle: pings.clone(),
            watchdog: Some(Duration::from_millis(100)),
        };
        let daemon = tokio::spawn(run(Arc::new(Config::default()), store, control));
        // Until its loop runs: start-up asks the writer too (running jobs returned to the
        // queue), and on a slow machine that would queue behind the long command below.
        let started = tokio::time::Instant::now();
        while pings.0.load(Ordering::SeqCst) == 0 {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the daemon's loop never pinged the watchdog"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let held = tokio::spawn(async move {
            busy.call(|_| {
                std::thread::sleep(Duration::from_millis(2000));
                Ok(())
            })
            .await
        });
        // The writer takes the long command; the daemon's next claim waits behind it.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let before = pings.0.load(Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(1000)).await;
        let while_busy = pings.0.load(Ordering::SeqCst) - before;
        assert!(
            while_busy >= 5,
            "{while_busy} watchdog pings in a second of a busy writer"
        );
        stop_tx.send(true).expect("stop");
        let ended = tokio::time::timeout(Duration::from_secs(10), daemon)
            .await
            .expect("the daemon stops once the writer is free");
        assert!(matches!(ended, Ok(Ok(()))), "{ended:?}");
        assert!(matches!(held.await, Ok(Ok(()))));
    }
}
