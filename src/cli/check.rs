//! `embedkeep check`: run liveness checks now, for the posts named, the posts due, or every
//! archived post. Each check goes through `Pipeline::check_post` (one run scope for the whole
//! command, a few posts at once), which stores the check, any new content and the liveness
//! verdict; a pin is never touched, so a pinned post keeps the status its operator gave it.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::Utc;
use tokio::task::JoinSet;

use super::args::{CheckArgs, Cli};
use super::explain;
use super::output::{emit, emit_err, terminal_text};
use super::progress::Bar;
use super::render;
use super::setup::{
    db_path, load_config, open_handles, read_failure, require_archive, switched_off,
};
use super::style;
use super::table::Table;
use super::target;
use super::{Failure, Outcome, print_json};
use crate::model::{
    CheckOutcome, EmbedKind, Platform, PostCheck, PostError, PostFilter, PostRecord,
};
use crate::pipeline::{self, Pipeline, Progress, RunScope};
use crate::report::{self, CheckDocument};
use crate::store::{Store, StoreError};

/// How many posts are checked at once (per-host politeness applies underneath).
const CHECKS_IN_FLIGHT: usize = 4;

/// Posts read per page when `--all` walks the archive.
const ALL_PAGE: u32 = 500;

/// A post to check, with the kind an article embedded it as.
struct Target {
    post: PostRecord,
    kind: Option<EmbedKind>,
}

pub(super) async fn run(cli: &Cli, args: &CheckArgs) -> Result<Outcome, Failure> {
    // Every URL is read before the archive is opened: one malformed URL is a usage error, not
    // a post "not in the archive".
    let urls = args
        .post_urls
        .iter()
        .map(|u| target::post_url(u))
        .collect::<Result<Vec<String>, Failure>>()?;
    let config = load_config(cli)?;
    let path = db_path(cli, &config)?;
    require_archive(&path)?;
    let switched_off = switched_off(&config);
    let store = open_handles(&path).await?;
    let pipeline = Pipeline::new(config.into(), store).map_err(|e| Failure::Usage(e.into()))?;

    let found = targets(&pipeline, args, urls).await;
    let (targets, missing) = match found {
        Ok(found) => found,
        Err(e) => {
            close(&pipeline).await;
            return Err(read_failure(&path, "read", e));
        }
    };
    // The table reports these below; with --json, stdout is for programs, so people read
    // them here.
    if args.json {
        for e in &missing {
            emit_err(format_args!(
                "embedkeep: {e}: archive an article that embeds it first"
            ));
        }
    }

    let bar = Bar::new(cli.quiet || args.json);
    bar.checking(targets.len());
    let total = targets.len();
    let (checks, interrupted) = check_all(&pipeline, targets, &bar, super::stop::signals()?).await;
    bar.finish();
    close(&pipeline).await;
    if interrupted {
        emit_err(format_args!(
            "embedkeep: interrupted: {} of {total} post(s) checked; the report below covers them \
             (checks in progress were stopped, and what each had stored stays stored)",
            checks.len()
        ));
    }

    let doc = report::check_document(&checks, &missing);
    if args.json {
        print_json(&doc)?;
    } else if !(interrupted && doc.posts.is_empty() && doc.errors.is_empty()) {
        // Interrupted before any check finished, the line above says all there is: "no posts
        // to check" would say there were none.
        emit(render(&doc, args.due, &switched_off));
    }
    let failed = interrupted
        || !missing.is_empty()
        || checks
            .iter()
            .any(|(c, _)| c.error.is_some() || c.outcome == Some(CheckOutcome::Transient));
    Ok(if failed {
        Outcome::Partial
    } else {
        Outcome::Success
    })
}

async fn close(pipeline: &Pipeline) {
    if let Err(e) = pipeline.store().writer.close().await {
        tracing::warn!("{e}");
    }
}

/// The posts to check, each once, and the URLs given (`urls`, read by `target::post_url`) that
/// name no archived post.
async fn targets(
    pipeline: &Pipeline,
    args: &CheckArgs,
    urls: Vec<String>,
) -> Result<(Vec<Target>, Vec<PostError>), StoreError> {
    let reader = &pipeline.store().reader;
    if args.due {
        let now = Utc::now();
        let due = reader
            .call(move |s| with_kinds(s, s.due_posts(now, u32::MAX)?))
            .await?;
        return Ok((due, Vec::new()));
    }
    if args.all {
        let mut all = Vec::new();
        let mut after = None;
        loop {
            let filter = PostFilter {
                limit: ALL_PAGE,
                after,
                ..PostFilter::default()
            };
            let page = reader.call(move |s| s.list_posts(&filter)).await?;
            let full = page.len() >= ALL_PAGE as usize;
            after = page.last().map(|l| l.post.id);
            all.extend(page.into_iter().map(|l| Target {
                post: l.post,
                kind: l.kind,
            }));
            if !full {
                return Ok((all, Vec::new()));
            }
        }
    }
    let found = reader
        .call(move |s| {
            let mut found = Vec::with_capacity(urls.len());
            for url in urls {
                match pipeline::find_post(s, &url) {
                    Ok(post) => found.push(Ok(post)),
                    Err(StoreError::NotFound(_)) => found.push(Err(url)),
                    Err(e) => return Err(e),
                }
            }
            let (posts, missing): (Vec<_>, Vec<_>) = found.into_iter().partition(Result::is_ok);
            let posts = posts.into_iter().filter_map(Result::ok).collect();
            let missing: Vec<String> = missing.into_iter().filter_map(Result::err).collect();
            Ok((with_kinds(s, posts)?, missing))
        })
        .await?;
    let (posts, missing) = found;
    // Two URL forms of one post are one check.
    let mut seen = HashSet::new();
    let posts = posts
        .into_iter()
        .filter(|t| seen.insert(t.post.id))
        .collect();
    let missing = missing
        .into_iter()
        .map(|post_url| PostError::NotArchived { post_url })
        .collect();
    Ok((posts, missing))
}

/// Each post with the kind its first recorded embed has.
fn with_kinds(s: &Store, posts: Vec<PostRecord>) -> Result<Vec<Target>, StoreError> {
    posts
        .into_iter()
        .map(|post| {
            let kind = s.post_embeds(post.id)?.first().map(|e| e.embed.kind);
            Ok(Target { post, kind })
        })
        .collect()
}

/// Check every target, `CHECKS_IN_FLIGHT` at once, in one run scope; results in target order.
/// A check that fails inside the program is reported on its post, never dropped. Ctrl-C (or SIGTERM) stops
/// the checks in progress and starts no other: the finished ones are returned, with `true`.
async fn check_all(
    pipeline: &Pipeline,
    targets: Vec<Target>,
    bar: &Bar,
    stop: impl std::future::Future<Output = ()>,
) -> (Vec<(PostCheck, Option<EmbedKind>)>, bool) {
    // One listener for the whole run (`stop`): a signal between two waits is not lost.
    let mut interrupt = std::pin::pin!(stop);
    let mut interrupted = false;
    let scope = Arc::new(RunScope::for_one_run());
    let mut results: Vec<Option<PostCheck>> = vec![None; targets.len()];
    let mut queue = targets.iter().enumerate();
    let mut tasks = JoinSet::new();
    let mut running = HashMap::new();
    loop {
        while !interrupted && tasks.len() < CHECKS_IN_FLIGHT {
            let Some((index, target)) = queue.next() else {
                break;
            };
            let (p, s, key) = (
                pipeline.clone(),
                Arc::clone(&scope),
                target.post.key.clone(),
            );
            let handle = tasks.spawn(async move { (index, p.check_post(&key, &s).await) });
            running.insert(handle.id(), index);
        }
        let joined = tokio::select! {
            biased;
            joined = tasks.join_next_with_id() => joined,
            _ = &mut interrupt, if !interrupted => {
                // The checks under way stop; those that finished meanwhile (stored, their
                // answers not yet taken) are still collected below, and reported.
                interrupted = true;
                tasks.abort_all();
                continue;
            }
        };
        let Some(joined) = joined else {
            break;
        };
        let (index, result) = match joined {
            Ok((_, (index, result))) => (index, result.map_err(|e| e.to_string())),
            Err(e) if e.is_cancelled() => continue,
            Err(e) => {
                // Reported on its post below.
                tracing::debug!(error = %e, "check task failed");
                let Some(index) = running.get(&e.id()).copied() else {
                    continue;
                };
                (index, Err(format!("the check failed: {e}")))
            }
        };
        let Some(target) = targets.get(index) else {
            continue;
        };
        bar.post_done(&target.post.canonical_url);
        let post_url = target.post.canonical_url.clone();
        results[index] = Some(result.unwrap_or_else(|message| PostCheck {
            post: target.post.clone(),
            outcome: None,
            error: Some(PostError::Store { post_url, message }),
            new_snapshot: false,
            snapshot: None,
        }));
    }
    let checks = targets
        .into_iter()
        .zip(results)
        .filter_map(|(t, r)| r.map(|check| (check, t.kind)))
        .collect();
    (checks, interrupted)
}

/// The table of checked posts, then every error in full, then a summary line.
fn render(doc: &CheckDocument, due: bool, switched_off: &[Platform]) -> String {
    let mut out = String::new();
    if doc.posts.is_empty() && doc.errors.is_empty() {
        out.push_str(if due {
            "no posts are due for a check\n"
        } else {
            "no posts to check\n"
        });
        return out;
    }
    let mut table = Table::new(&["ID", "PLATFORM", "POST", "OUTCOME", "STATUS", "NOTE"]);
    table
        .paint_column(3, style::status)
        .paint_column(4, style::status);
    let (mut live, mut gone, mut transient, mut unchecked, mut new) = (0, 0, 0, 0, 0);
    for p in &doc.posts {
        let s = &p.post;
        match p.check.outcome {
            Some(CheckOutcome::Live) => live += 1,
            Some(CheckOutcome::Gone) => gone += 1,
            Some(CheckOutcome::Transient) => transient += 1,
            None => unchecked += 1,
        }
        if p.check.new_snapshot {
            new += 1;
        }
        let note = match (&p.check.error, p.check.new_snapshot, p.check.outcome) {
            // The error itself is printed in full under the table, once.
            (Some(_), _, _) => "error (below)".to_owned(),
            (None, true, _) => "new snapshot".to_owned(),
            (None, false, None) if switched_off.contains(&s.platform) => {
                format!("not asked: [platforms.{}] enabled = false", s.platform)
            }
            (None, false, None) => format!("no resolver for {} yet", s.platform),
            (None, false, Some(_)) => String::new(),
        };
        table.row(vec![
            s.id.to_string(),
            s.platform.to_string(),
            s.post_url.clone(),
            p.check
                .outcome
                .map(|o| o.as_str().to_owned())
                .unwrap_or_else(|| "-".into()),
            render::status(s.status, s.pin.is_some()),
            note,
        ]);
    }
    if !table.is_empty() {
        out.push_str(&table.render(""));
    }
    for p in &doc.posts {
        if let Some(error) = &p.check.error {
            out.push_str(&explain::error_lines(error, ""));
        }
    }
    for e in &doc.errors {
        out.push_str(&format!(
            "error: {}: archive an article that embeds it first\n",
            terminal_text(&e.message)
        ));
    }
    out.push_str(&format!(
        "{} post(s) checked: {live} live, {gone} gone, {transient} transient, {unchecked} not checked; \
         {new} new snapshot(s)",
        doc.posts.len()
    ));
    if !doc.errors.is_empty() {
        out.push_str(&format!("; {} not in the archive", doc.errors.len()));
    }
    out.push('\n');
    out
}
