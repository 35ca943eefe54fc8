//! `embedkeep scan`: list the embeds and remnants of articles (URLs, files, directories of
//! saved pages, stdin); store nothing.
//!
//! One argument naming one page prints that page's embed table. Several pages (or a directory)
//! are read and scanned a few at a time on the blocking pool (`--jobs`, default one per CPU), so
//! at most that many pages are in memory at once, and print one table with a row per article.
//! A page that cannot be read or is not HTML or text is a failed row naming it, and the run goes
//! on; the exit code is then 1. `--json` prints one document with an entry per article either way.

use std::collections::HashMap;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::task::JoinSet;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
use url::Url;

use super::args::{Cli, ScanArgs};
use super::explain;
use super::input::read_local;
use super::output::{emit, emit_err, terminal_text};
use super::render;
use super::setup::load_config;
use super::table::Table;
use super::target::{self, ScanTarget};
use super::{Failure, Outcome, Problem, print_json};
use crate::config::Config;
use crate::http::HttpClient;
use crate::model::{ArticleError, ArticleOutcome};
use crate::pipeline::{self, ScanInput};
use crate::report::{self, ArticleReport, FoundEmbed};

/// Runs with at least this many pages show a progress bar on stderr (when it is a terminal).
const PROGRESS_FROM: usize = 2;

pub(super) async fn run(cli: &Cli, args: &ScanArgs) -> Result<Outcome, Failure> {
    let config = load_config(cli)?;
    let limit = config.http.max_body_bytes;
    let one_page = match args.targets.as_slice() {
        [only] => !std::path::Path::new(only).is_dir(),
        _ => false,
    };
    if one_page {
        let target = target::scan_target_os(&args.targets[0])?;
        let job = Job::new(&config, target, &mut None)?;
        let name = job.name().to_owned();
        let outcome = match scan_job(job, args.base_url.as_deref(), limit).await {
            Ok(outcome) => outcome,
            // A page that was named right but cannot be read (over the size limit, an I/O
            // error) is a failed row, as it is in a run of many; a mistyped one stays a usage
            // error.
            Err(failure @ Failure::Runtime(_)) => read_failed(&name, &failure),
            Err(failure) => return Err(failure),
        };
        return print_one(outcome, args.json);
    }
    if args.base_url.is_some() {
        return Err(Problem::new(
            "base-url-for-many",
            "--base-url applies to a single file, and a directory or several pages were given",
        )
        .hint("scan that file alone with --base-url, or leave it out: each file's own file:// URL is its base")
        .usage());
    }
    let mut http = None;
    let mut skipped = 0;
    let mut pages = Vec::new();
    for target in target::scan_targets(&args.targets)? {
        // Named like a page but not a file to read: said on stderr, where a warning about the
        // walk belongs, and the run goes on; the exit code says that something was left out.
        if let ScanTarget::Skipped { name, why } = &target {
            emit_err(format_args!(
                "embedkeep: warning: skipped {}: {why}",
                terminal_text(name)
            ));
            skipped += 1;
            continue;
        }
        pages.push(Job::new(&config, target, &mut http)?);
    }
    let jobs = args.jobs.map(usize::from).unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(std::num::NonZero::get)
            .unwrap_or(1)
    });
    let bar = progress(pages.len(), cli.quiet);
    let total = pages.len();
    let (outcomes, not_done) = scan_all(pages, jobs, limit, &bar, super::stop::signals()?).await;
    bar.finish_and_clear();
    let interrupted = not_done.is_some();
    if interrupted {
        emit_err(format_args!(
            "embedkeep: interrupted: {} of {total} page(s) scanned; the report below covers them",
            outcomes.len()
        ));
    }
    let failed = interrupted || skipped > 0 || outcomes.iter().any(|o| o.error.is_some());
    let mut doc = report::scan_document(&outcomes);
    doc.interrupted = not_done.map(|not_done| report::Interrupted { not_done });
    if args.json {
        print_json(&doc)?;
    } else {
        emit(format_args!("{}", render_many(&doc.articles)));
    }
    Ok(if failed {
        Outcome::Partial
    } else {
        Outcome::Success
    })
}

/// A page to scan, with what scanning it needs: a URL comes with the HTTP client that fetches it.
enum Job {
    Fetch {
        url: String,
        http: HttpClient,
    },
    Local {
        name: String,
        path: std::path::PathBuf,
    },
    Unlisted {
        name: String,
        error: String,
    },
}

impl Job {
    /// The job for `target`. The HTTP client is built for the first URL and shared by the rest
    /// (`http` keeps it): saved pages need none, and building one reads the system's TLS roots,
    /// most of the work of a one-page scan of a file.
    fn new(
        config: &Config,
        target: ScanTarget,
        http: &mut Option<HttpClient>,
    ) -> Result<Job, Failure> {
        Ok(match target {
            ScanTarget::Url(url) => {
                let http = match http {
                    Some(client) => client.clone(),
                    None => {
                        let client = HttpClient::new(&config.http, &config.politeness)
                            .map_err(|e| Failure::Usage(e.into()))?;
                        http.insert(client).clone()
                    }
                };
                Job::Fetch { url, http }
            }
            ScanTarget::Local { name, path } => Job::Local { name, path },
            ScanTarget::Unlisted { name, error } => Job::Unlisted { name, error },
            // `run` warns about these and leaves them out; were one to get here, it would be a
            // failed row saying why.
            ScanTarget::Skipped { name, why } => Job::Unlisted { name, error: why },
        })
    }

    /// How the user named the page.
    fn name(&self) -> &str {
        match self {
            Job::Fetch { url: name, .. } | Job::Local { name, .. } | Job::Unlisted { name, .. } => {
                name
            }
        }
    }
}

/// Scan one page: a URL through its client, a saved page read under `limit` bytes (its
/// relative links resolved against `base_url`, else against its own file:// URL). A page that
/// cannot be read is a failure naming it.
async fn scan_job(job: Job, base_url: Option<&str>, limit: u64) -> Result<ArticleOutcome, Failure> {
    match job {
        Job::Fetch { url, http } => Ok(pipeline::scan(&http, ScanInput::Url(url)).await),
        Job::Local { name, path } => {
            let base_url = match base_url {
                Some(b) => super::archive::base_url(b)?,
                None => file_url(&path)?,
            };
            let bytes = read_local(&path, limit).await?;
            Ok(pipeline::scan_local(name, bytes, base_url).await)
        }
        Job::Unlisted { name, error } => Err(Problem::new("read", error).input(name).runtime()),
    }
}

/// Print the report of a single page, as a table of its embeds or as JSON.
fn print_one(outcome: ArticleOutcome, json: bool) -> Result<Outcome, Failure> {
    let failed = outcome.error.is_some();
    let doc = report::scan_document(std::slice::from_ref(&outcome));
    if json {
        print_json(&doc)?;
    } else if let Some(report) = doc.articles.first() {
        emit(format_args!("{}", render(report)));
    }
    Ok(if failed {
        Outcome::Partial
    } else {
        Outcome::Success
    })
}

/// Scan one page of a run of many: a page that cannot be read is a failed outcome naming it.
async fn scan_one(job: Job, limit: u64) -> ArticleOutcome {
    let name = job.name().to_owned();
    match scan_job(job, None, limit).await {
        Ok(outcome) => outcome,
        Err(failure) => read_failed(&name, &failure),
    }
}

/// The failed row of a page that could not be read.
fn read_failed(name: &str, failure: &Failure) -> ArticleOutcome {
    ArticleOutcome::failed(
        name,
        ArticleError::Fetch {
            url: name.to_owned(),
            message: failure.message(),
            // A scan reports a page it could not read; nothing asks it again.
            may_pass: false,
        },
    )
}

/// Scan every page, at most `jobs` at once, and return the outcomes in the pages' order. Reading,
/// decoding and discovery run on the blocking pool (see [`read_local`] and [`pipeline::scan`]);
/// a page still waiting for a slot is not read yet, so memory holds at most `jobs` pages.
/// Ctrl-C (or SIGTERM) stops the pages in progress and starts no other: the finished ones are returned (in
/// the pages' order), with `true`.
async fn scan_all(
    pages: Vec<Job>,
    jobs: usize,
    limit: u64,
    bar: &ProgressBar,
    stop: impl std::future::Future<Output = ()>,
) -> (Vec<ArticleOutcome>, Option<Vec<String>>) {
    // One listener for the whole run (`stop`): a signal between two waits is not lost.
    let mut interrupt = std::pin::pin!(stop);
    let names: Vec<String> = pages.iter().map(|p| p.name().to_owned()).collect();
    let mut outcomes: Vec<Option<ArticleOutcome>> = names.iter().map(|_| None).collect();
    let mut pending = pages.into_iter().enumerate();
    let mut running = JoinSet::new();
    let mut index_of = HashMap::new();
    loop {
        while running.len() < jobs.max(1) {
            let Some((index, page)) = pending.next() else {
                break;
            };
            let handle = running.spawn(async move { scan_one(page, limit).await });
            index_of.insert(handle.id(), index);
        }
        let joined = tokio::select! {
            joined = running.join_next_with_id() => joined,
            _ = &mut interrupt => {
                running.abort_all();
                let not_done = names
                    .iter()
                    .zip(&outcomes)
                    .filter(|(_, outcome)| outcome.is_none())
                    .map(|(name, _)| name.clone())
                    .collect();
                let finished = outcomes.into_iter().flatten().collect();
                return (finished, Some(not_done));
            }
        };
        let Some(joined) = joined else {
            break;
        };
        let (id, outcome) = match joined {
            Ok((id, outcome)) => (id, Some(outcome)),
            // A task that panicked leaves its slot empty; it is reported below, by name.
            Err(e) => (e.id(), None),
        };
        if let Some(index) = index_of.remove(&id) {
            if let Some(name) = names.get(index) {
                bar.set_message(name.clone());
            }
            outcomes[index] = outcome;
        }
        bar.inc(1);
    }
    let outcomes = outcomes
        .into_iter()
        .zip(names)
        .map(|(outcome, name)| {
            outcome.unwrap_or_else(|| {
                ArticleOutcome::failed(
                    &name,
                    ArticleError::Discovery {
                        url: name.clone(),
                        message: "scanning it panicked".into(),
                    },
                )
            })
        })
        .collect();
    (outcomes, None)
}

/// A bar counting pages on stderr, for runs of many pages; hidden with `--quiet` and when
/// stderr is not a terminal.
fn progress(pages: usize, quiet: bool) -> ProgressBar {
    if quiet || pages < PROGRESS_FROM {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(pages as u64), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} [{elapsed}] {bar:30} {pos}/{len} pages  {wide_msg}")
    {
        bar.set_style(style);
    }
    bar
}

/// Widest the ARTICLE cell of the many-page table may be; longer names lose their middle, so
/// the file name at the end stays readable.
const NAME_WIDTH: usize = 56;

/// The many-page table: one row per article (failed ones with their error under the row), then
/// the totals.
fn render_many(reports: &[ArticleReport<FoundEmbed>]) -> String {
    let mut table = Table::new(&["ARTICLE", "EMBEDS", "REMNANTS", "PLATFORMS", "TITLE"]);
    let (mut embeds, mut remnants, mut failed) = (0, 0, 0);
    for report in reports {
        let name = fit(shown_name(&report.url), NAME_WIDTH);
        if let Some(error) = &report.error {
            failed += 1;
            table.row(vec![
                name,
                "failed".into(),
                String::new(),
                String::new(),
                String::new(),
            ]);
            table.details(
                explain::article_error_lines(error, "", "scan the saved file")
                    .lines()
                    .map(str::to_owned)
                    .collect(),
            );
            continue;
        }
        embeds += report.embeds.len();
        remnants += report.remnants.len();
        table.row(vec![
            name,
            report.embeds.len().to_string(),
            report.remnants.len().to_string(),
            platforms(report),
            report.title.clone().unwrap_or_default(),
        ]);
    }
    let mut out = table.render("");
    out.push_str(&format!(
        "{} article(s): {embeds} embed(s), {remnants} remnant(s), {failed} failed\n",
        reports.len()
    ));
    out
}

/// The platforms of an article's embeds, each with its count when more than one:
/// `instagram 2, youtube`.
fn platforms(report: &ArticleReport<FoundEmbed>) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for e in &report.embeds {
        let platform = e.platform.to_string();
        match counts.iter_mut().find(|(p, _)| *p == platform) {
            Some((_, n)) => *n += 1,
            None => counts.push((platform, 1)),
        }
    }
    counts
        .into_iter()
        .map(|(p, n)| if n > 1 { format!("{p} {n}") } else { p })
        .collect::<Vec<_>>()
        .join(", ")
}

fn shown_name(url: &str) -> &str {
    if url == "-" { "standard input" } else { url }
}

/// `text` within `width` display columns: as it is when it fits, else its start and its end
/// with `…` between them.
fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let keep = width.saturating_sub(1);
    let tail_width = keep * 2 / 3;
    let mut tail = Vec::new();
    let mut used = 0;
    for c in text.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > tail_width {
            break;
        }
        used += w;
        tail.push(c);
    }
    let mut out = String::new();
    let mut head_used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if head_used + w > keep - used {
            break;
        }
        head_used += w;
        out.push(c);
    }
    out.push('…');
    out.extend(tail.into_iter().rev());
    out
}

/// A `file://` URL for a local path (relative links in a saved page resolve against it).
fn file_url(target: &std::path::Path) -> Result<Url, Failure> {
    let path = std::path::absolute(target).map_err(|e| {
        Failure::Runtime(anyhow::anyhow!(
            "cannot resolve path {}: {e}",
            target.display()
        ))
    })?;
    Url::from_file_path(&path).map_err(|()| {
        Failure::Usage(anyhow::anyhow!(
            "cannot make a URL of {}: pass --base-url",
            path.display()
        ))
    })
}

fn render(report: &ArticleReport<FoundEmbed>) -> String {
    // The name may be a file name from a directory walk, the title is the page's own.
    let name = terminal_text(shown_name(&report.url));
    let mut out = format!("{name}\n");
    if let Some(title) = &report.title {
        out.push_str(&format!("  {}\n", terminal_text(title)));
    }
    if let Some(error) = &report.error {
        // The error names the input already, as the line above does.
        let error = error
            .strip_prefix(report.url.as_str())
            .and_then(|rest| rest.strip_prefix(": "))
            .unwrap_or(error);
        out.push_str(&explain::article_error_lines(
            error,
            "  ",
            "scan the saved file",
        ));
        return out;
    }
    let mut table = Table::new(&["PLATFORM", "KIND", "WHERE", "POST", "AUTHOR", "FOUND AS"]);
    for e in &report.embeds {
        let author = render::short_author(&e.markup.author_name, &e.markup.author_handle);
        let location = e.location.as_str().to_owned();
        table.row(vec![
            e.platform.to_string(),
            e.kind.to_string(),
            location,
            e.post_url.clone(),
            author,
            e.evidence.clone(),
        ]);
    }
    if table.is_empty() {
        out.push_str("  no embeds found\n");
    } else {
        out.push_str(&table.render("  "));
    }
    out.push_str(&render::remnants(&report.remnants));
    out.push_str(&format!(
        "{} embed(s), {} remnant(s)\n",
        report.embeds.len(),
        report.remnants.len()
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_keep_their_file_name() {
        assert_eq!(fit("a/b.html", 56), "a/b.html");
        let long = format!("{}/page-of-the-day.html", "fixtures/".repeat(12));
        let short = fit(&long, 40);
        assert_eq!(short.width(), 40, "{short}");
        assert!(short.starts_with("fixtures/"), "{short}");
        assert!(short.ends_with("/page-of-the-day.html"), "{short}");
        assert!(short.contains('…'));
    }
}
