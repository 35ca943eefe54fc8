//! Looking a post up in the archive by any URL form its platform uses: the canonical key when a
//! recogniser claims the URL, else the URL as an article embedded it.

use url::Url;

use crate::model::{PostError, PostKey, PostRecord, PostView};
use crate::platforms;
use crate::store::{Store, StoreError, StoreReader};

/// Find a post on a store connection (for callers already on the store's thread).
pub fn find_post(store: &Store, post_url: &str) -> Result<PostRecord, StoreError> {
    match key_of(post_url) {
        Some(key) => find_post_by_key(store, &key),
        None => store.post_by_url(post_url),
    }
}

/// Find a post by its archive key, or under another name of its author that the key's
/// platform gives ([`by_other_account_name`]).
pub fn find_post_by_key(store: &Store, key: &PostKey) -> Result<PostRecord, StoreError> {
    match store.post_by_key(key) {
        Err(StoreError::NotFound(what)) => {
            by_other_account_name(store, key)?.ok_or(StoreError::NotFound(what))
        }
        found => found,
    }
}

/// The most posts of one platform sharing a post's own id part that are looked through.
const MAX_NAMESAKES: usize = 16;

/// The post `key` names by one of its author's names (a Bluesky handle), archived under another
/// of them (the DID): a post whose id ends with the same own part and whose newest snapshot
/// gives that name as its author's handle.
fn by_other_account_name(store: &Store, key: &PostKey) -> Result<Option<PostRecord>, StoreError> {
    let Some((name, own)) =
        platforms::module(key.platform).and_then(|m| m.id_by_account_name(&key.post_id))
    else {
        return Ok(None);
    };
    let own_part = format!("/{own}");
    for post in store.posts_by_id_own_part(key.platform, own, MAX_NAMESAKES)? {
        // The store's match ignores ASCII case; ids do not.
        if !post.key.post_id.ends_with(&own_part) {
            continue;
        }
        let handle = store
            .latest_snapshot(post.id)?
            .and_then(|s| s.snapshot.author_handle);
        let named = handle.is_some_and(|h| h.trim_start_matches('@').eq_ignore_ascii_case(name));
        if named {
            return Ok(Some(post));
        }
    }
    Ok(None)
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
