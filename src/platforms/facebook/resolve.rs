//! facebook resolver: with `[platforms.facebook] access_token_file` set, a post or video is read
//! from Graph oEmbed. Without a token there is no source yet (the plugin pages have no recorded
//! answer to build a reader on), so the post is left unresolved rather than guessed at.

use super::graph;
use crate::config::Config;
use crate::model::{EmbedRef, Resolution};
use crate::platforms::ResolveContext;
use crate::platforms::source::{Fetch, SourceError};

/// Resolve one facebook post.
pub async fn resolve(ctx: &ResolveContext<'_>, embed: &EmbedRef) -> Resolution {
    resolve_with(ctx.http, ctx.config, embed).await
}

/// [`resolve`] against any fetcher.
pub(crate) async fn resolve_with<F: Fetch>(
    fetcher: &F,
    config: &Config,
    embed: &EmbedRef,
) -> Resolution {
    let platform = config.platforms.get("facebook");
    let token = match platform.access_token() {
        Ok(Some(token)) => token,
        Ok(None) => return Resolution::Unsupported,
        Err(e) => {
            // The config error names the file, never its contents.
            return SourceError::Config {
                source_name: graph::SOURCE.to_owned(),
                message: e.to_string(),
            }
            .into_transient();
        }
    };
    match graph::url(
        platform.graph_api_version(),
        &token,
        embed.kind,
        &embed.post_url,
    ) {
        Ok(url) => match fetcher.fetch(graph::SOURCE, &url).await {
            Ok(answer) => graph::parse(&answer),
            Err(e) => e.into_transient(),
        },
        Err(e) => e.into_transient(),
    }
}
