//! Archiving the posts of one article: resolve each post from its platform, thumbnail its media,
//! and write the check (with the snapshot when live) in one store transaction.

use std::collections::HashMap;

use chrono::Utc;
use tokio::task::JoinSet;

use super::{Pipeline, Progress};
use crate::liveness;
use crate::media;
use crate::model::{
    CheckOutcome, CheckRecord, EmbedRef, LivenessState, PostContent, PostStatus, Resolution,
    Snapshot,
};
use crate::platforms::{self, ResolveContext};
use crate::report::{ArchivedEmbed, FoundEmbed, SnapshotReport};

/// How many posts of one article are resolved at once (per-host limits apply underneath).
const POSTS_IN_FLIGHT: usize = 4;

/// What one check of a post concluded, kept for the rest of the run so that a post embedded in
/// several articles is asked once (and its gone answers are not counted several times within
/// seconds).
#[derive(Debug, Clone)]
pub(super) struct PostOutcome {
    status: PostStatus,
    error: Option<String>,
    snapshot: Option<SnapshotReport>,
}

/// Record every embed against the article (in page order, so archive ids follow the page), then
/// resolve and store each post, a few at a time.
pub(super) async fn archive_embeds(
    pipeline: &Pipeline,
    article_id: i64,
    embeds: Vec<EmbedRef>,
    progress: &dyn Progress,
) -> Vec<ArchivedEmbed> {
    let to_record = embeds.clone();
    let recorded = pipeline
        .with_store(move |s| {
            Ok(to_record
                .iter()
                .map(|e| s.save_embed(article_id, e).map_err(|err| err.to_string()))
                .collect::<Vec<_>>())
        })
        .await;
    let mut results: Vec<ArchivedEmbed> = embeds
        .iter()
        .map(|e| ArchivedEmbed {
            id: None,
            found: FoundEmbed::from(e),
            status: PostStatus::Unknown,
            snapshot: None,
        })
        .collect();
    let post_ids = match recorded {
        Ok(ids) => ids,
        Err(e) => {
            for r in &mut results {
                r.found.error = Some(format!("cannot store embed {}: {e}", r.found.post_url));
            }
            return results;
        }
    };

    let mut queued = Vec::new();
    for (index, (embed, id)) in embeds.into_iter().zip(post_ids).enumerate() {
        match id {
            Ok(Some(post_id)) => queued.push((index, post_id, embed)),
            Ok(None) => {} // a widget: recorded against the article, nothing to resolve
            Err(e) => {
                if let Some(r) = results.get_mut(index) {
                    r.found.error = Some(format!("cannot store embed {}: {e}", embed.post_url));
                }
            }
        }
    }
    let mut queued = queued.into_iter();
    let mut tasks = JoinSet::new();
    let mut task_index = HashMap::new();
    loop {
        while tasks.len() < POSTS_IN_FLIGHT {
            let Some((index, post_id, embed)) = queued.next() else {
                break;
            };
            if let Some(r) = results.get_mut(index) {
                r.id = Some(post_id);
            }
            let p = pipeline.clone();
            let handle =
                tasks.spawn(async move { (index, archive_post(&p, post_id, embed).await) });
            task_index.insert(handle.id(), index);
        }
        let Some(joined) = tasks.join_next_with_id().await else {
            break;
        };
        match joined {
            Ok((_, (index, outcome))) => {
                if let Some(r) = results.get_mut(index) {
                    progress.post_done(&r.found.post_url);
                    r.status = outcome.status;
                    r.found.error = outcome.error;
                    r.snapshot = outcome.snapshot;
                }
            }
            Err(e) => {
                // A panicking resolver must not pass for a successful check.
                tracing::error!(error = %e, "post task failed");
                if let Some(r) = task_index.get(&e.id()).and_then(|i| results.get_mut(*i)) {
                    progress.post_done(&r.found.post_url);
                    r.found.error =
                        Some(format!("{} could not be archived: {e}", r.found.post_url));
                }
            }
        }
    }
    results
}

/// Resolve one recorded post and store the outcome (once per run); every failure ends up in
/// `error`.
async fn archive_post(pipeline: &Pipeline, post_id: i64, embed: EmbedRef) -> PostOutcome {
    let seen = pipeline
        .checked
        .lock()
        .ok()
        .and_then(|c| c.get(&post_id).cloned());
    if let Some(outcome) = seen {
        return outcome;
    }
    let outcome = check_post(pipeline, post_id, &embed).await;
    if let Ok(mut c) = pipeline.checked.lock() {
        c.insert(post_id, outcome.clone());
    }
    outcome
}

async fn check_post(pipeline: &Pipeline, post_id: i64, embed: &EmbedRef) -> PostOutcome {
    let ctx = ResolveContext {
        http: &pipeline.http,
        config: &pipeline.config,
    };
    let resolution = platforms::resolve(&ctx, embed).await;
    let now = Utc::now();
    let mut error = None;
    let check_of = |outcome, source, evidence| CheckRecord {
        at: now,
        outcome,
        source,
        evidence,
    };
    let (check, snapshot) = match resolution {
        Resolution::Live(content) => {
            let source = content.source.clone();
            let snapshot = snapshot_from(pipeline, content).await;
            let check = check_of(CheckOutcome::Live, source, "post answered".into());
            (Some(check), Some(snapshot))
        }
        Resolution::Gone { source, evidence } => {
            (Some(check_of(CheckOutcome::Gone, source, evidence)), None)
        }
        Resolution::Transient { source, evidence } => {
            error = Some(format!(
                "{} could not be checked now ({source}): {evidence}",
                embed.post_url
            ));
            (
                Some(check_of(CheckOutcome::Transient, source, evidence)),
                None,
            )
        }
        Resolution::Unsupported => (None, None),
    };

    let liveness_cfg = pipeline.config.liveness.clone();
    let written = pipeline
        .with_store(move |s| {
            if let Some(check) = check {
                // A degraded answer (fewer fields, no media, a failed enrichment) is recorded as
                // a live check but does not become the post's latest content.
                let latest = s.latest_snapshot(post_id)?;
                let snapshot = snapshot.filter(|new| match &latest {
                    Some(old) => {
                        new.content_sha256() == old.content_sha256
                            || !new.is_subsumed_by(&old.snapshot)
                    }
                    None => true,
                });
                let outcome = check.outcome;
                let at = check.at;
                let decide =
                    move |prev: &LivenessState| liveness::next(prev, outcome, at, &liveness_cfg);
                s.write_check(post_id, &check, snapshot.as_ref(), &decide)?;
            }
            let post = s.post(post_id)?;
            let latest = s.latest_snapshot(post_id)?;
            Ok((post.liveness.status, latest))
        })
        .await;
    match written {
        Ok((status, latest)) => PostOutcome {
            status,
            error,
            snapshot: latest.as_ref().map(SnapshotReport::from),
        },
        Err(e) => PostOutcome {
            status: PostStatus::Unknown,
            error: Some(format!("cannot store post {}: {e}", embed.post_url)),
            snapshot: None,
        },
    }
}

/// Download and thumbnail the media of a live post, then assemble the snapshot.
async fn snapshot_from(pipeline: &Pipeline, content: PostContent) -> Snapshot {
    let settings = &pipeline.config.thumbnails;
    let mut media = Vec::with_capacity(content.media.len());
    for item in &content.media {
        let keep = pipeline.config.store.keep_originals;
        media.push(media::fetch_media(&pipeline.http, item, settings, keep).await);
    }
    Snapshot {
        fetched_at: Utc::now(),
        source: content.source,
        author_name: content.author_name,
        author_handle: content.author_handle,
        author_url: content.author_url,
        text: content.text,
        published_at: content.published_at,
        media,
        raw: content.raw,
    }
}
