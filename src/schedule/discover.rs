//! The `discover` job: poll every source and queue an archive job for each article that is new
//! to the archive or that its source says changed since it was fetched. An unchanged source
//! (a 304 to the conditional request, or the same bytes as last time) queues nothing.

use chrono::Utc;

use super::sources::{self, Poll, Source, SourceLimits, Validators};
use crate::pipeline::Pipeline;
use crate::store::{JobKind, SourceState, StoreError};

/// What one discover pass did, for the log and `STATUS=`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiscoverReport {
    pub sources: usize,
    pub unchanged: usize,
    pub failed: usize,
    pub articles_listed: usize,
    pub articles_queued: usize,
}

/// Poll each source once and queue what is new.
pub async fn discover(pipeline: &Pipeline, sources: &[Source]) -> DiscoverReport {
    let limits = SourceLimits::default();
    let mut report = DiscoverReport {
        sources: sources.len(),
        ..DiscoverReport::default()
    };
    for source in sources {
        match discover_one(pipeline, source, &limits).await {
            Ok(None) => report.unchanged += 1,
            Ok(Some((listed, queued))) => {
                report.articles_listed += listed;
                report.articles_queued += queued;
            }
            Err(message) => {
                report.failed += 1;
                tracing::warn!(source = %source, "{message}");
            }
        }
    }
    report
}

/// `Ok(None)`: unchanged. `Ok(Some((listed, queued)))`: read. `Err`: why the poll failed (also
/// recorded against the source).
async fn discover_one(
    pipeline: &Pipeline,
    source: &Source,
    limits: &SourceLimits,
) -> Result<Option<(usize, usize)>, String> {
    let key = source.to_string();
    let lookup = key.clone();
    let previous = pipeline
        .store()
        .reader
        .call(move |s| s.source_state(&lookup))
        .await
        .map_err(|e| e.to_string())?;
    let validators = Validators {
        etag: previous.etag.clone(),
        last_modified: previous.last_modified.clone(),
    };
    let polled = sources::poll(pipeline.http(), source, &validators, limits).await;
    let now = Utc::now();
    let (state, found) = match polled {
        Ok(Poll::NotModified) => (
            SourceState {
                polled_at: Some(now),
                error: None,
                ..previous.clone()
            },
            None,
        ),
        Ok(Poll::Items {
            items,
            validators,
            sha256,
        }) => {
            let unchanged = previous.sha256.as_deref() == Some(sha256.as_str());
            let state = SourceState {
                etag: validators.etag,
                last_modified: validators.last_modified,
                sha256: Some(sha256),
                polled_at: Some(now),
                error: None,
            };
            (state, (!unchanged).then_some(items))
        }
        Err(e) => {
            let message = e.to_string();
            let state = SourceState {
                polled_at: Some(now),
                error: Some(message.clone()),
                ..previous.clone()
            };
            save_state(pipeline, &key, state).await;
            return Err(message);
        }
    };
    save_state(pipeline, &key, state).await;
    let Some(items) = found else {
        return Ok(None);
    };
    let listed = items.len();
    let candidates: Vec<(String, Option<chrono::DateTime<Utc>>)> = items
        .into_iter()
        .map(|i| (i.url.to_string(), i.updated))
        .collect();
    // Only articles the archive does not have, or that changed since they were fetched.
    let wanted = pipeline
        .store()
        .reader
        .call(move |s| {
            let mut wanted = Vec::new();
            for (url, updated) in candidates {
                match s.article_by_url(&url) {
                    Err(StoreError::NotFound(_)) => wanted.push(url),
                    Ok(known) => {
                        if updated.is_some_and(|u| u > known.article.fetched_at) {
                            wanted.push(url);
                        }
                    }
                    Err(e) => return Err(e),
                }
            }
            Ok(wanted)
        })
        .await
        .map_err(|e| e.to_string())?;
    let queued = pipeline
        .store()
        .writer
        .call(move |s| s.enqueue_many(JobKind::Archive, &wanted, now))
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!(source = %source, listed, queued, "source read");
    Ok(Some((listed, queued)))
}

async fn save_state(pipeline: &Pipeline, key: &str, state: SourceState) {
    let key = key.to_owned();
    if let Err(e) = pipeline
        .store()
        .writer
        .call(move |s| s.save_source_state(&key, &state))
        .await
    {
        tracing::warn!("cannot record the poll of a source: {e}");
    }
}
