//! linkedin resolver: one source, the post's public page ([`post_page`]). LinkedIn has no
//! oEmbed and its API needs partner access. The embed page (`/embed/feed/update/URN`) is not
//! asked either: no answer of it has been recorded to read, while the public page's is.

use super::post_page;
use crate::model::{EmbedRef, Resolution};
use crate::platforms::ResolveContext;
use crate::platforms::source::{Fetch, SourceError};

/// Resolve one LinkedIn post.
pub async fn resolve(ctx: &ResolveContext<'_>, embed: &EmbedRef) -> Resolution {
    resolve_with(ctx.http, embed).await
}

/// [`resolve`] against any fetcher.
pub(crate) async fn resolve_with<F: Fetch>(fetcher: &F, embed: &EmbedRef) -> Resolution {
    let Some(urn) = embed.post_id.as_deref() else {
        return SourceError::BadPostId {
            source_name: post_page::SOURCE.to_owned(),
            post_id: embed.post_url.clone(),
            reason: "the embed has no post URN".to_owned(),
        }
        .into_transient();
    };
    let url = match post_page::url(urn) {
        Ok(url) => url,
        Err(e) => return e.into_transient(),
    };
    match fetcher.fetch(post_page::SOURCE, &url).await {
        Ok(answer) => post_page::parse(&answer, &url, urn),
        Err(e) => e.into_transient_with_url(),
    }
}
