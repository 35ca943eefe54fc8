//! bluesky resolver: a post named by handle first gets its author's DID (`resolveHandle`), then
//! the post is read from `getPostThread`; only when that gives no verdict (rate limit, server
//! error, unreadable answer) is `getPosts` asked. Gone needs the AppView's own word: NotFound,
//! notFoundPost, blockedPost, a `!takedown` label, a post `getPosts` leaves out, or a handle no
//! account answers to.

use super::appview::{self, HANDLE, POSTS, THREAD};
use crate::config::Config;
use crate::model::{EmbedRef, Resolution};
use crate::platforms::ResolveContext;
use crate::platforms::source::{Fetch, SourceError, join_evidence};

/// Resolve one bluesky post.
pub async fn resolve(ctx: &ResolveContext<'_>, embed: &EmbedRef) -> Resolution {
    resolve_with(ctx.http, ctx.config, embed).await
}

/// [`resolve`] against any fetcher.
pub(crate) async fn resolve_with<F: Fetch>(
    fetcher: &F,
    config: &Config,
    embed: &EmbedRef,
) -> Resolution {
    let show_restricted_text = config.platforms.get("bluesky").show_restricted_text;
    let Some((actor, rkey)) = embed.post_id.as_deref().and_then(|id| id.rsplit_once('/')) else {
        return SourceError::BadPostId {
            source_name: THREAD.to_owned(),
            post_id: embed
                .post_id
                .clone()
                .unwrap_or_else(|| embed.post_url.clone()),
            reason: "not ACTOR/RKEY".to_owned(),
        }
        .into_transient();
    };
    let did = if appview::is_did(actor) {
        actor.to_owned()
    } else {
        let answer = match fetcher.fetch(HANDLE, &appview::handle_url(actor)).await {
            Ok(answer) => answer,
            Err(e) => return e.into_transient(),
        };
        match appview::parse_handle(actor, &answer) {
            Ok(did) => did,
            Err(verdict) => return *verdict,
        }
    };
    let uri = appview::at_uri(&did, rkey);
    let first = match fetcher.fetch(THREAD, &appview::thread_url(&uri)).await {
        Ok(answer) => appview::parse_thread(&did, rkey, &answer, show_restricted_text),
        Err(e) => e.into_transient(),
    };
    if !matches!(first, Resolution::Transient { .. }) {
        return first;
    }
    let second = match fetcher.fetch(POSTS, &appview::posts_url(&uri)).await {
        Ok(answer) => appview::parse_posts(&did, rkey, &answer, show_restricted_text),
        Err(e) => e.into_transient(),
    };
    match second {
        Resolution::Transient { .. } => Resolution::Transient {
            source: THREAD.to_owned(),
            evidence: join_evidence(&first, &second),
        },
        decided => decided,
    }
}
