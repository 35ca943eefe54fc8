//! Archiving the posts of one article: resolve each post from its platform, thumbnail its media,
//! and write the check (with the snapshot when live) in one store transaction.

use std::sync::Arc;

use chrono::Utc;
use tokio::task::JoinSet;

use super::{Pipeline, Progress};
use crate::liveness;
use crate::media;
use crate::model::{CheckRecord, EmbedRef, PostContent, PostStatus, Resolution, Snapshot};
use crate::platforms::{self, ResolveContext};
use crate::report::{ArchivedEmbed, FoundEmbed, SnapshotReport};

/// How many posts of one article are resolved at once (per-host limits apply underneath).
const POSTS_IN_FLIGHT: usize = 4;

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
            to_record
                .iter()
                .map(|e| s.save_embed(article_id, e))
                .collect::<Result<Vec<_>, _>>()
        })
        .await;
    let mut results: Vec<ArchivedEmbed> = embeds
        .iter()
        .map(|e| ArchivedEmbed {
            id: None,
            found: FoundEmbed::from(e),
            status: PostStatus::Unknown,
            error: None,
            snapshot: None,
        })
        .collect();
    let post_ids = match recorded {
        Ok(ids) => ids,
        Err(e) => {
            for r in &mut results {
                r.error = Some(format!("cannot store embed {}: {e}", r.found.post_url));
            }
            return results;
        }
    };

    let mut queued = embeds
        .into_iter()
        .zip(post_ids)
        .enumerate()
        .filter_map(|(index, (embed, id))| id.map(|id| (index, id, embed)));
    let mut tasks = JoinSet::new();
    loop {
        while tasks.len() < POSTS_IN_FLIGHT {
            let Some((index, post_id, embed)) = queued.next() else {
                break;
            };
            let p = pipeline.clone();
            tasks.spawn(async move { (index, archive_post(&p, post_id, embed).await) });
        }
        let Some(joined) = tasks.join_next().await else {
            break;
        };
        match joined {
            Ok((index, archived)) => {
                progress.post_done(&archived.found.post_url);
                if let Some(slot) = results.get_mut(index) {
                    *slot = archived;
                }
            }
            Err(e) => tracing::error!(error = %e, "post task failed"),
        }
    }
    results
}

/// Resolve one recorded post and store the outcome; every failure ends up in `error`.
async fn archive_post(pipeline: &Pipeline, post_id: i64, embed: EmbedRef) -> ArchivedEmbed {
    let mut archived = ArchivedEmbed {
        id: Some(post_id),
        found: FoundEmbed::from(&embed),
        status: PostStatus::Unknown,
        error: None,
        snapshot: None,
    };

    let ctx = ResolveContext {
        http: &pipeline.http,
        config: &pipeline.config,
    };
    let resolution = platforms::resolve(&ctx, &embed).await;
    let now = Utc::now();
    let (check, snapshot) = match resolution {
        Resolution::Live(content) => {
            let source = content.source.clone();
            let snapshot = snapshot_from(pipeline, content).await;
            let check = CheckRecord {
                at: now,
                outcome: crate::model::CheckOutcome::Live,
                source,
                evidence: "post answered".into(),
            };
            (Some(check), Some(snapshot))
        }
        Resolution::Gone { source, evidence } => (
            Some(CheckRecord {
                at: now,
                outcome: crate::model::CheckOutcome::Gone,
                source,
                evidence,
            }),
            None,
        ),
        Resolution::Transient { source, evidence } => {
            archived.error = Some(format!(
                "{} could not be checked now ({source}): {evidence}",
                embed.post_url
            ));
            (
                Some(CheckRecord {
                    at: now,
                    outcome: crate::model::CheckOutcome::Transient,
                    source,
                    evidence,
                }),
                None,
            )
        }
        Resolution::Unsupported => (None, None),
    };

    let liveness_cfg = pipeline.config.liveness.clone();
    let written = pipeline
        .with_store(move |s| {
            if let Some(check) = check {
                let outcome = check.outcome;
                let at = check.at;
                let decide = move |prev: &crate::model::LivenessState| {
                    liveness::next(prev, outcome, at, &liveness_cfg)
                };
                s.write_check(post_id, &check, snapshot.as_ref(), &decide)?;
            }
            let post = s.post(post_id)?;
            let latest = s.latest_snapshot(post_id)?;
            Ok((post.liveness.status, latest))
        })
        .await;
    match written {
        Ok((status, latest)) => {
            archived.status = status;
            archived.snapshot = latest.as_ref().map(SnapshotReport::from);
        }
        Err(e) => {
            archived.error = Some(format!("cannot store post {}: {e}", embed.post_url));
        }
    }
    archived
}

/// Download and thumbnail the media of a live post, then assemble the snapshot.
async fn snapshot_from(pipeline: &Pipeline, content: PostContent) -> Snapshot {
    let settings = Arc::new(pipeline.config.thumbnails.clone());
    let mut media = Vec::with_capacity(content.media.len());
    for item in &content.media {
        media.push(media::fetch_media(&pipeline.http, item, &settings).await);
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
