//! Looking a post up in the archive by any URL form its platform uses: the canonical key when a
//! recogniser claims the URL, else the URL as an article embedded it.

use url::Url;

use crate::model::{PostError, PostKey, PostRecord, PostView};
use crate::platforms;
use crate::store::{Store, StoreError, StoreReader};

/// Find a post on a store connection (for callers already on the store's thread).
pub fn find_post(store: &Store, post_url: &str) -> Result<PostRecord, StoreError> {
    match key_of(post_url) {
        Some(key) => store.post_by_key(&key),
        None => store.post_by_url(post_url),
    }
}

/// The archive key of a post URL, when a platform recognises it as a post.
pub(crate) fn key_of(post_url: &str) -> Option<PostKey> {
    let recognised = platforms::recognise(&Url::parse(post_url).ok()?)?;
    Some(PostKey {
        platform: recognised.platform,
        post_id: recognised.post_id?,
    })
}

/// A post with its snapshots (newest first), checks and the kind it was embedded as.
/// `Err(PostError::NotArchived)` when the archive does not hold it.
pub async fn lookup(reader: &StoreReader, post_url: &str) -> Result<PostView, LookupError> {
    let url = post_url.to_owned();
    reader
        .call(move |store| {
            let post = find_post(store, &url)?;
            let snapshots = store.snapshots(post.id)?;
            let checks = store.checks(post.id)?;
            let kind = store.post_embeds(post.id)?.first().map(|e| e.embed.kind);
            Ok(PostView {
                post,
                kind,
                snapshots,
                checks,
            })
        })
        .await
        .map_err(|e| match e {
            StoreError::NotFound(_) => LookupError::NotArchived(PostError::NotArchived {
                post_url: post_url.to_owned(),
            }),
            other => LookupError::Store(other),
        })
}

/// Why a post could not be looked up.
#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    /// The archive does not hold the post.
    #[error(transparent)]
    NotArchived(PostError),
    /// The archive could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
}
