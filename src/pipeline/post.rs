//! Archiving and checking posts: resolve each post from its platform, thumbnail its media, and
//! write the check (with the snapshot when live) in one store transaction, where the liveness
//! rules decide the post's status.

use std::collections::HashMap;

use chrono::Utc;
use tokio::task::JoinSet;

use super::{Pipeline, PipelineError, Progress, RunScope};
use crate::liveness;
use crate::media;
use crate::model::{
    ArticleOutcome, CheckOutcome, CheckRecord, EmbedRef, PostCheck, PostContent, PostError,
    PostKey, Resolution, Snapshot,
};
use crate::platforms::{self, ResolveContext};

/// How many posts of one article are resolved at once (per-host limits apply underneath).
const POSTS_IN_FLIGHT: usize = 4;

/// What one check of a post concluded, kept for the rest of the run so that a post embedded in
/// several articles is asked once (and its gone answers are not counted several times within
/// seconds).
pub(super) type PostResult = Result<PostCheck, PostError>;

/// Record every embed against the article (in page order, so archive ids follow the page), then
/// resolve and store each post, a few at a time.
pub(super) async fn archive_embeds(
    pipeline: &Pipeline,
    article_id: i64,
    outcome: &mut ArticleOutcome,
    scope: &RunScope,
    progress: &dyn Progress,
) {
    let to_record: Vec<EmbedRef> = outcome.embeds.iter().map(|e| e.embed.clone()).collect();
    // Only a reading of the whole page says what the article no longer holds: past a cap, the
    // embeds not read may still be there.
    let complete = outcome.truncated == 0 && !outcome.discovery_truncated;
    let article_url = outcome.url.clone();
    let recorded = pipeline
        .store
        .writer
        .call(move |s| {
            let ids = to_record
                .iter()
                .map(|e| s.save_embed(article_id, e).map_err(|err| err.to_string()))
                .collect::<Vec<_>>();
            if complete {
                let present: Vec<&str> = to_record.iter().map(|e| e.post_url.as_str()).collect();
                match s.mark_removed_embeds(article_id, &present) {
                    Ok(0) => {}
                    Ok(removed) => tracing::info!(
                        url = %article_url,
                        removed,
                        "embeds no longer in the article: left out of its lists and fallbacks"
                    ),
                    Err(e) => tracing::warn!(
                        url = %article_url,
                        error = %e,
                        "cannot mark the embeds no longer in the article"
                    ),
                }
            }
            Ok(ids)
        })
        .await;
    let post_ids = match recorded {
        Ok(ids) => ids,
        Err(e) => {
            for r in &mut outcome.embeds {
                r.error = Some(PostError::Embed {
                    post_url: r.embed.post_url.clone(),
                    message: e.to_string(),
                });
            }
            return;
        }
    };

    let mut queued = Vec::new();
    for (index, id) in post_ids.into_iter().enumerate() {
        let Some(r) = outcome.embeds.get_mut(index) else {
            continue;
        };
        match id {
            Ok(Some(post_id)) => {
                r.archive_id = Some(post_id);
                queued.push((index, post_id, r.embed.clone()));
            }
            Ok(None) => {} // a widget: recorded against the article, nothing to resolve
            Err(message) => {
                r.error = Some(PostError::Embed {
                    post_url: r.embed.post_url.clone(),
                    message,
                });
            }
        }
    }
    let queued = take_recent(pipeline, outcome, queued, scope, progress).await;
    let mut queued = queued.into_iter();
    let mut tasks = JoinSet::new();
    let mut task_index = HashMap::new();
    loop {
        while tasks.len() < POSTS_IN_FLIGHT {
            let Some((index, post_id, embed)) = queued.next() else {
                break;
            };
            if let Some(seen) = scope.get(post_id) {
                apply(outcome, index, seen, progress);
                continue;
            }
            if let Some(held) = scope.held_back(embed.platform, &embed.post_url) {
                // The post stays due: the next run, or the daemon's next re-check, asks once the
                // platform may be asked again.
                apply(outcome, index, Err(held), progress);
                continue;
            }
            let p = pipeline.clone();
            let reuse_after = scope.reuse_after(Utc::now());
            let handle = tasks.spawn(async move {
                let result = check_in_turn(&p, post_id, reuse_after, &embed).await;
                (index, post_id, embed.platform, result)
            });
            task_index.insert(handle.id(), index);
        }
        let Some(joined) = tasks.join_next_with_id().await else {
            break;
        };
        match joined {
            Ok((_, (index, post_id, platform, result))) => {
                scope.heard(platform, &result);
                scope.remember(post_id, &result);
                apply(outcome, index, result, progress);
            }
            Err(e) => {
                // A panicking resolver must not pass for a successful check.
                tracing::error!(error = %e, "post task failed");
                if let Some(r) = task_index
                    .get(&e.id())
                    .and_then(|i| outcome.embeds.get_mut(*i))
                {
                    progress.post_done(&r.embed.post_url);
                    r.error = Some(PostError::Task {
                        post_url: r.embed.post_url.clone(),
                        message: e.to_string(),
                    });
                }
            }
        }
    }
}

/// With a reuse window on the scope, answer the posts checked within it from the archive
/// (their status and latest snapshot) and return the rest, which still need asking.
async fn take_recent(
    pipeline: &Pipeline,
    outcome: &mut ArticleOutcome,
    queued: Vec<(usize, i64, EmbedRef)>,
    scope: &RunScope,
    progress: &dyn Progress,
) -> Vec<(usize, i64, EmbedRef)> {
    let Some(after) = scope.reuse_after(Utc::now()) else {
        return queued;
    };
    let ids: Vec<i64> = queued.iter().map(|(_, id, _)| *id).collect();
    let mut recent = match recent_checks(pipeline, ids, after).await {
        Ok(recent) => recent,
        Err(e) => {
            // Reuse is an optimisation: when the archive cannot say, ask the platforms.
            tracing::debug!(error = %e, "cannot read recent checks; asking again");
            return queued;
        }
    };
    let mut rest = Vec::new();
    for (index, post_id, embed) in queued {
        match recent.remove(&post_id) {
            Some(check) => {
                scope.remember(post_id, &Ok(check.clone()));
                apply(outcome, index, Ok(check), progress);
            }
            None => rest.push((index, post_id, embed)),
        }
    }
    rest
}

/// Of the posts `ids`, those checked at or after `after`, each as the archive has it (its status
/// and latest snapshot), as the check's result.
async fn recent_checks(
    pipeline: &Pipeline,
    ids: Vec<i64>,
    after: chrono::DateTime<Utc>,
) -> Result<HashMap<i64, PostCheck>, crate::store::StoreError> {
    pipeline
        .store
        .reader
        .call(move |s| {
            let mut recent = HashMap::new();
            for id in ids {
                let post = s.post(id)?;
                if post.last_checked_at.is_some_and(|at| at >= after) {
                    let snapshot = s.latest_snapshot(id)?;
                    let check = PostCheck {
                        post,
                        outcome: None,
                        error: None,
                        new_snapshot: false,
                        snapshot,
                    };
                    recent.insert(id, check);
                }
            }
            Ok(recent)
        })
        .await
}

/// Put one post's result into the article outcome.
fn apply(outcome: &mut ArticleOutcome, index: usize, result: PostResult, progress: &dyn Progress) {
    let Some(r) = outcome.embeds.get_mut(index) else {
        return;
    };
    progress.post_done(&r.embed.post_url);
    match result {
        Ok(check) => {
            r.status = check.post.status();
            r.pin = check.post.pin;
            r.error = check.error;
            r.snapshot = check.snapshot;
        }
        Err(error) => r.error = Some(error),
    }
}

/// Check a post that is already in the archive, by its key: the embed it is resolved from is
/// the one an article recorded (with what its markup said), else one made from its URL.
pub(super) async fn check_archived(
    pipeline: &Pipeline,
    key: &PostKey,
    scope: &RunScope,
) -> Result<PostCheck, PipelineError> {
    let wanted = key.clone();
    let (post, embeds) = pipeline
        .store
        .reader
        .call(move |s| {
            let post = s.post_by_key(&wanted)?;
            let embeds = s.post_embeds(post.id)?;
            Ok((post, embeds))
        })
        .await?;
    let result = if let Some(seen) = scope.get(post.id) {
        seen
    } else if let Some(held) = scope.held_back(post.platform, &post.canonical_url) {
        // Nothing is stored: the post stays as it was, due for its next check.
        Err(held)
    } else {
        let embed = embeds
            .into_iter()
            .next()
            .map(|e| e.embed)
            .unwrap_or_else(|| embed_for(&post));
        let reuse_after = scope.reuse_after(Utc::now());
        let result = check_in_turn(pipeline, post.id, reuse_after, &embed).await;
        scope.heard(post.platform, &result);
        scope.remember(post.id, &result);
        result
    };
    Ok(result.unwrap_or_else(|error| PostCheck {
        post,
        outcome: None,
        error: Some(error),
        new_snapshot: false,
        snapshot: None,
    }))
}

/// Check a post in its turn: another job checking it now (an article job, a re-check) is
/// waited for, and its check, once in the archive and made after `reuse_after`, is the answer;
/// else the post is asked about.
async fn check_in_turn(
    pipeline: &Pipeline,
    post_id: i64,
    reuse_after: Option<chrono::DateTime<Utc>>,
    embed: &EmbedRef,
) -> PostResult {
    let _turn = pipeline.post_turns.take(post_id).await;
    let reused = match reuse_after {
        Some(after) => recent_checks(pipeline, vec![post_id], after)
            .await
            .ok()
            .and_then(|mut recent| recent.remove(&post_id)),
        None => None,
    };
    match reused {
        Some(check) => Ok(check),
        None => check_embed(pipeline, post_id, embed).await,
    }
}

/// An embed for a post that no article records any more: its canonical URL and id.
fn embed_for(post: &crate::model::PostRecord) -> EmbedRef {
    EmbedRef {
        platform: post.platform,
        kind: crate::model::EmbedKind::Post,
        post_url: post.canonical_url.clone(),
        post_id: Some(post.key.post_id.clone()),
        location: crate::model::Location::Dom,
        evidence: "archive".into(),
        markup: String::new(),
        author_name: None,
        author_handle: None,
        text: None,
        published_at: None,
    }
}

/// Resolve one recorded post and store the outcome; every failure ends up in the result.
async fn check_embed(pipeline: &Pipeline, post_id: i64, embed: &EmbedRef) -> PostResult {
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
            let snapshot = snapshot_of_answer(pipeline, post_id, &embed.post_url, content).await;
            let check = check_of(CheckOutcome::Live, source, "post answered".into());
            (Some(check), Some(snapshot))
        }
        Resolution::Gone { source, evidence } => {
            (Some(check_of(CheckOutcome::Gone, source, evidence)), None)
        }
        Resolution::Transient { source, evidence } => {
            error = Some(PostError::Transient {
                post_url: embed.post_url.clone(),
                source_name: source.clone(),
                evidence: evidence.clone(),
            });
            (
                Some(check_of(CheckOutcome::Transient, source, evidence)),
                None,
            )
        }
        Resolution::Unsupported => (None, None),
    };

    let liveness_cfg = pipeline.config.liveness.clone();
    let schedule_cfg = pipeline.config.schedule.clone();
    let jitter = jitter();
    let outcome = check.as_ref().map(|c| c.outcome);
    let written = pipeline
        .store
        .writer
        .call(move |s| {
            let mut new_snapshot = false;
            if let Some(check) = check {
                let outcome = check.outcome;
                let at = check.at;
                let cfg = liveness_cfg.clone();
                let decide = move |prev: &crate::model::LivenessState| {
                    liveness::next(prev, outcome, at, &cfg)
                };
                // The next check: from the post's age (its publication, else when the archive
                // first saw it) and its status after this check.
                let post = s.post(post_id)?;
                let born = snapshot
                    .as_ref()
                    .and_then(|snap| snap.published_at)
                    .unwrap_or(post.created_at);
                let age = at.signed_duration_since(born).to_std().unwrap_or_default();
                let after = decide(&post.liveness);
                let wait = liveness::recheck_in(
                    age,
                    after.status,
                    outcome,
                    &schedule_cfg,
                    &liveness_cfg,
                    jitter,
                );
                // The config bounds every wait (`config::MAX_DURATION`); a wait the calendar
                // cannot add is that bound, not a panic in the writer.
                let next = chrono::Duration::from_std(wait.min(crate::config::MAX_DURATION))
                    .ok()
                    .and_then(|wait| at.checked_add_signed(wait))
                    .unwrap_or(at);
                new_snapshot = s
                    .write_check_scheduled(post_id, &check, snapshot.as_ref(), &decide, Some(next))?
                    .new_snapshot;
            }
            let post = s.post(post_id)?;
            let latest = s.latest_snapshot(post_id)?;
            Ok((post, latest, new_snapshot))
        })
        .await;
    match written {
        Ok((post, snapshot, new_snapshot)) => Ok(PostCheck {
            post,
            outcome,
            error,
            new_snapshot,
            snapshot,
        }),
        Err(e) => Err(PostError::Store {
            post_url: embed.post_url.clone(),
            message: e.to_string(),
        }),
    }
}

/// A number in [-1, 1] that spreads the re-checks of posts archived together.
fn jitter() -> f64 {
    // The low bits of the clock are spread enough for this; no cryptographic quality needed.
    let nanos = Utc::now().timestamp_subsec_nanos();
    f64::from(nanos % 2001) / 1000.0 - 1.0
}

/// The most media items a snapshot keeps. Platforms show at most 20 to a post (Instagram and
/// Reddit galleries; X and Bluesky 4); a Mastodon status comes from any server, which may list
/// thousands, each a download.
pub const MAX_MEDIA_PER_POST: usize = 50;

/// The snapshot of a live post's answer. When the answer says what the post's latest snapshot
/// says (its media at the same addresses) and that snapshot holds a thumbnail of each picture,
/// its pictures are not fetched again: the check stores nothing new but its time. Otherwise its
/// media (the first [`MAX_MEDIA_PER_POST`]) are downloaded and thumbnailed.
async fn snapshot_of_answer(
    pipeline: &Pipeline,
    post_id: i64,
    post_url: &str,
    mut content: PostContent,
) -> Snapshot {
    let refs = std::mem::take(&mut content.media);
    if refs.len() > MAX_MEDIA_PER_POST {
        tracing::warn!(
            post = post_url,
            items = refs.len(),
            kept = MAX_MEDIA_PER_POST,
            "the post lists more media than a post shows: the first ones are kept"
        );
    }
    let refs = &refs[..refs.len().min(MAX_MEDIA_PER_POST)];
    // A failed read only costs the downloads it would have spared.
    let latest = pipeline
        .store
        .reader
        .call(move |s| s.latest_snapshot(post_id))
        .await
        .ok()
        .flatten();
    let earlier = latest.as_ref().map_or(&[][..], |l| &l.snapshot.media[..]);
    let described = refs.iter().map(|m| media::described(m, earlier)).collect();
    let mut snapshot = assemble(content, described);
    // A picture whose thumbnail could not be made then (its CDN failed) is asked again: the
    // store fills it in.
    let complete = |l: &crate::model::StoredSnapshot| {
        l.snapshot
            .media
            .iter()
            .all(|m| m.poster_url.is_none() || m.thumbnail.is_some())
    };
    if latest.is_some_and(|l| complete(&l) && l.same_content(&snapshot)) {
        tracing::debug!(
            post = post_url,
            "the answer is the latest snapshot's: its pictures are not fetched again"
        );
        return snapshot;
    }
    let settings = &pipeline.config.thumbnails;
    let keep = pipeline.config.store.keep_originals;
    let mut media = Vec::with_capacity(refs.len());
    for item in refs {
        media.push(
            media::fetch_media(&pipeline.http, item, settings, keep, &pipeline.decode_gate).await,
        );
    }
    snapshot.media = media;
    snapshot
}

/// A snapshot of `content` (whose media refs were taken out) with `media`.
fn assemble(content: PostContent, media: Vec<crate::model::Media>) -> Snapshot {
    Snapshot {
        fetched_at: Utc::now(),
        source: content.source,
        author_name: content.author_name,
        author_handle: content.author_handle,
        author_url: content.author_url,
        title: content.title,
        text: content.text,
        published_at: content.published_at,
        lang: content.lang,
        reply_to: content.reply_to,
        quote_of: content.quote_of,
        media,
        raw: content.raw,
    }
}
