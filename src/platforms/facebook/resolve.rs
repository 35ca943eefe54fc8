//! facebook resolver: a post or video is read from the embedded-post plugin page first, which
//! needs no token; with `[platforms.facebook] access_token_file` set, Graph oEmbed is asked
//! when the plugin did not show the post (it is never asked when the plugin did).
//!
//! - plugin live: live.
//! - plugin gone: gone, unless Graph (with a token) shows the post.
//! - plugin transient: Graph's verdict with a token (never gone: Graph has no gone signal);
//!   without one, transient.
//!
//! Pages and profiles are no posts: the plugin does not show them, so only Graph is asked, and
//! only with a token.

use super::{graph, plugin};
use crate::config::Config;
use crate::model::{EmbedKind, EmbedRef, Resolution};
use crate::platforms::ResolveContext;
use crate::platforms::source::{self, Fetch, SourceError};

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
    let first = if embed.kind == EmbedKind::Profile {
        None
    } else {
        Some(match plugin::url(&embed.post_url) {
            Ok(url) => match fetcher.fetch(plugin::SOURCE, &url).await {
                Ok(answer) => plugin::parse(&answer, &embed.post_url, embed.kind),
                Err(e) => e.into_transient(),
            },
            Err(e) => e.into_transient(),
        })
    };
    if let Some(live @ Resolution::Live(_)) = first {
        return live;
    }
    let second = graph_verdict(fetcher, config, embed).await;
    match (first, second) {
        (None, None) => Resolution::Unsupported,
        (None, Some(second)) => second,
        (Some(first), None) => first,
        (Some(_), Some(live @ Resolution::Live(_))) => live,
        (Some(gone @ Resolution::Gone { .. }), Some(_)) => gone,
        (Some(first), Some(second)) => Resolution::Transient {
            source: graph::SOURCE.to_owned(),
            evidence: source::join_evidence(&first, &second),
        },
    }
}

/// Graph oEmbed's verdict, or `None` when no token is configured.
async fn graph_verdict<F: Fetch>(
    fetcher: &F,
    config: &Config,
    embed: &EmbedRef,
) -> Option<Resolution> {
    let platform = config.platforms.get("facebook");
    let token = match platform.access_token() {
        Ok(Some(token)) => token,
        Ok(None) => return None,
        Err(e) => {
            // The config error names the file, never its contents.
            return Some(
                SourceError::Config {
                    source_name: graph::SOURCE.to_owned(),
                    message: e.to_string(),
                }
                .into_transient(),
            );
        }
    };
    Some(
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
        },
    )
}
