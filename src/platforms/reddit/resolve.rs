//! reddit resolver: a submission is read from its `.json` first and, when that gives no verdict
//! (a network-security page, rate limit, unreadable answer), from oEmbed. Only the `.json` can say
//! gone. A comment embed (`ID/COMMENTID`) is read from oEmbed alone: the comment's own answer
//! shape is not among the recorded ones, so it is never called gone.

use super::{listing, oembed};
use crate::model::{EmbedRef, Resolution};
use crate::platforms::ResolveContext;
use crate::platforms::source::{Fetch, SourceError, join_evidence};

/// Resolve one reddit post.
pub async fn resolve(ctx: &ResolveContext<'_>, embed: &EmbedRef) -> Resolution {
    resolve_with(ctx.http, embed).await
}

/// [`resolve`] against any fetcher.
pub(crate) async fn resolve_with<F: Fetch>(fetcher: &F, embed: &EmbedRef) -> Resolution {
    let Some(post_id) = embed.post_id.as_deref() else {
        return SourceError::BadPostId {
            source_name: listing::SOURCE.to_owned(),
            post_id: embed.post_url.clone(),
            reason: "the embed has no post id".to_owned(),
        }
        .into_transient();
    };
    let first = if post_id.contains('/') {
        None
    } else {
        Some(match listing::url(post_id) {
            Ok(url) => match fetcher.fetch(listing::SOURCE, &url).await {
                Ok(answer) => listing::parse(post_id, &answer),
                Err(e) => e.into_transient(),
            },
            Err(e) => e.into_transient(),
        })
    };
    if let Some(decided @ (Resolution::Live(_) | Resolution::Gone { .. })) = first {
        return decided;
    }
    let second = match fetcher
        .fetch(oembed::SOURCE, &oembed::url(&embed.post_url))
        .await
    {
        Ok(answer) => oembed::parse(&answer),
        Err(e) => e.into_transient(),
    };
    match (first, second) {
        (_, live @ Resolution::Live(_)) => live,
        (Some(first), second) => Resolution::Transient {
            source: listing::SOURCE.to_owned(),
            evidence: join_evidence(&first, &second),
        },
        (None, second) => second,
    }
}
