//! oembed resolver: the provider's registry endpoint first; when it cannot decide (or the
//! provider has no endpoint), the post's own page. Only the endpoint's own "no such item"
//! answer, or the page's own 404, makes a post gone.

use url::Url;

use super::answer;
use crate::model::{EmbedRef, Resolution};
use crate::platforms::ResolveContext;
use crate::platforms::page;
use crate::platforms::source::{Fetch, SourceError};

/// Resolve one oembed post.
pub async fn resolve(ctx: &ResolveContext<'_>, embed: &EmbedRef) -> Resolution {
    resolve_with(ctx.http, embed).await
}

/// [`resolve`] against any fetcher.
pub(crate) async fn resolve_with<F: Fetch>(fetcher: &F, embed: &EmbedRef) -> Resolution {
    let post_url = match Url::parse(&embed.post_url) {
        Ok(u) => u,
        Err(e) => {
            return SourceError::BadPostId {
                source_name: answer::SOURCE.to_owned(),
                post_id: embed.post_url.clone(),
                reason: format!("the post URL does not parse: {e}"),
            }
            .into_transient();
        }
    };
    let Some(endpoint) = super::endpoint(&post_url) else {
        return page::read(fetcher, &post_url).await;
    };
    let request = endpoint.request_url(post_url.as_str());
    let first = match fetcher.fetch(answer::SOURCE, &request).await {
        Ok(a) => answer::classify(answer::SOURCE, &a, post_url.as_str()),
        Err(e) => e.into_transient(),
    };
    match first {
        Resolution::Transient { .. } => page::after(first, page::read(fetcher, &post_url).await),
        decided => decided,
    }
}
