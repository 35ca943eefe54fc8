//! oembed resolver: the provider's registry endpoint first; when it cannot decide (or the
//! provider has no endpoint), the post's own page. Only the endpoint's own "no such item"
//! answer, or the page's own 404, makes a post gone.
//!
//! The registry lists endpoints a provider may since have retired, and a retired endpoint can
//! answer in the very shape of "no such item" (Twitch's old one: 410 with
//! `{"error":"Gone","status":410,"message":"Endpoint deprecated"}`). So the endpoint's gone is
//! checked against the post's own page: a page that shows the post makes it live.

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
        // No provider of the registry: a site that announces its own endpoint (a WordPress
        // post), whose page is its own.
        return page::read(fetcher, &post_url).await;
    };
    let request = endpoint.request_url(post_url.as_str());
    let first = match fetcher.fetch(answer::SOURCE, &request).await {
        Ok(a) => answer::classify(answer::SOURCE, &a, post_url.as_str()),
        Err(e) => e.into_transient(),
    };
    match first {
        live @ Resolution::Live(_) => live,
        // Transient, or gone (which the page may overrule: see the module comment). The page
        // is the provider's page of the item.
        undecided => page::after(
            undecided,
            page::read_as(fetcher, &post_url, page::Whose::Platform).await,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EmbedKind, Platform};
    use crate::platforms::replay::{Replay, embed, sample};
    use crate::platforms::source::Answer;

    const CLIP: &str = "https://streamable.com/moo9x2";

    /// A registry endpoint answering in the real shape of a retired one: Twitch's old oEmbed
    /// endpoint's 410, its body naming no item.
    fn retired(request: &Url) -> Answer {
        sample("twitch-v5-oembed-410-endpoint-deprecated").answer_at(request.as_str())
    }

    fn clip() -> EmbedRef {
        let mut e = embed(Platform::Oembed, "moo9x2", CLIP);
        e.kind = EmbedKind::Video;
        e
    }

    #[tokio::test]
    async fn an_endpoints_gone_stands_only_if_the_page_does_not_show_the_post() {
        let url = Url::parse(CLIP).expect("url");
        let request = super::super::endpoint(&url)
            .expect("registry endpoint")
            .request_url(CLIP);

        // The page shows the clip: the endpoint's "gone" was about itself, not the clip.
        let page = Answer {
            url: CLIP.into(),
            status: 200,
            content_type: Some("text/html".into()),
            body: br#"<html><head><meta property="og:title" content="Goal of the week">
                <meta property="og:image" content="https://cdn.streamable.example/poster.jpg">
                </head><body></body></html>"#
                .to_vec(),
        };
        let replay = Replay::new()
            .answer(request.as_str(), retired(&request))
            .answer(CLIP, page);
        match resolve_with(&replay, &clip()).await {
            Resolution::Live(c) => assert_eq!(c.title.as_deref(), Some("Goal of the week")),
            other => panic!("expected live from the page, got {other:?}"),
        }
        assert_eq!(replay.requests(), [request.to_string(), CLIP.to_owned()]);

        // The page cannot be read: the endpoint's own answer decides.
        let replay = Replay::new().answer(request.as_str(), retired(&request));
        match resolve_with(&replay, &clip()).await {
            Resolution::Gone { evidence, .. } => {
                assert!(evidence.contains("HTTP 410"), "{evidence}")
            }
            other => panic!("expected gone, got {other:?}"),
        }
    }
}
