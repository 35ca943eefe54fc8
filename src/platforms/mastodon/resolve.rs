//! mastodon resolver: asks the status API of the post's own server. The server is named by the
//! article, so the request goes through the HTTP client's private-address guard like any other:
//! a "Mastodon instance" on loopback, the LAN or a metadata address is refused (transient, with
//! the refusal as evidence), never fetched.

use super::status::{self, SOURCE};
use crate::model::{EmbedRef, Resolution};
use crate::platforms::ResolveContext;
use crate::platforms::source::{Fetch, SourceError};

/// Resolve one mastodon post.
pub async fn resolve(ctx: &ResolveContext<'_>, embed: &EmbedRef) -> Resolution {
    resolve_with(ctx.http, embed).await
}

/// [`resolve`] against any fetcher.
pub(crate) async fn resolve_with<F: Fetch>(fetcher: &F, embed: &EmbedRef) -> Resolution {
    // The post id is `HOST/ID` (status ids are only unique within one server).
    let Some((host, id)) = embed.post_id.as_deref().and_then(|p| p.split_once('/')) else {
        return SourceError::BadPostId {
            source_name: SOURCE.to_owned(),
            post_id: embed
                .post_id
                .clone()
                .unwrap_or_else(|| embed.post_url.clone()),
            reason: "not HOST/ID".to_owned(),
        }
        .into_transient();
    };
    let url = match status::url(host, id) {
        Ok(url) => url,
        Err(e) => return e.into_transient(),
    };
    match fetcher.fetch(SOURCE, &url).await {
        Ok(answer) => status::parse(host, id, &answer),
        Err(e) => e.into_transient(),
    }
}
