//! instagram resolver: reads a post from its embed page and, when the page gives no verdict and
//! a token is configured, from Graph oEmbed. Only the embed page's broken-media notice makes a
//! post gone; the article's own markup fills gaps in a live answer but never proves life.

use super::{embed_page, graph};
use crate::config::Config;
use crate::model::{EmbedRef, PostContent, Resolution};
use crate::platforms::ResolveContext;
use crate::platforms::source::{Fetch, SourceError, join_evidence};

/// Resolve one instagram post.
pub async fn resolve(ctx: &ResolveContext<'_>, embed: &EmbedRef) -> Resolution {
    resolve_with(ctx.http, ctx.config, embed).await
}

/// [`resolve`] against any fetcher.
pub(crate) async fn resolve_with<F: Fetch>(
    fetcher: &F,
    config: &Config,
    embed: &EmbedRef,
) -> Resolution {
    let Some(code) = shortcode(embed) else {
        return SourceError::BadPostId {
            source_name: embed_page::SOURCE.to_owned(),
            post_id: embed
                .post_id
                .clone()
                .unwrap_or_else(|| embed.post_url.clone()),
            reason: "no Instagram shortcode in the embed".to_owned(),
        }
        .into_transient();
    };
    let first = match embed_page::url(&code) {
        Ok(url) => match fetcher.fetch(embed_page::SOURCE, &url).await {
            Ok(answer) => embed_page::parse(&answer),
            Err(e) => e.into_transient(),
        },
        Err(e) => e.into_transient(),
    };
    let verdict = match first {
        Resolution::Transient { .. } => {
            let second = graph_verdict(fetcher, config, embed).await;
            choose(first, second)
        }
        decided => decided,
    };
    match verdict {
        Resolution::Live(content) => Resolution::Live(fill_from_markup(content, embed)),
        other => other,
    }
}

/// The Graph oEmbed verdict, or `None` when no token is configured.
async fn graph_verdict<F: Fetch>(
    fetcher: &F,
    config: &Config,
    embed: &EmbedRef,
) -> Option<Resolution> {
    let platform = config.platforms.get("instagram");
    let token = match platform.access_token() {
        Ok(Some(token)) => token,
        Ok(None) => return None,
        Err(e) => {
            // The config error names the file, never its contents.
            tracing::warn!(error = %e, "instagram access token unavailable; Graph oEmbed skipped");
            return Some(
                SourceError::Config {
                    source_name: graph::SOURCE.to_owned(),
                    message: e.to_string(),
                }
                .into_transient(),
            );
        }
    };
    let verdict = match graph::url(platform.graph_api_version(), &token, &embed.post_url) {
        Ok(url) => match fetcher.fetch(graph::SOURCE, &url).await {
            Ok(answer) => graph::parse(&answer),
            Err(e) => e.into_transient(),
        },
        Err(e) => e.into_transient(),
    };
    Some(verdict)
}

/// The verdict when the embed page was transient: Graph's live answer if there is one;
/// otherwise still transient, with both sources' evidence.
pub fn choose(embed_page: Resolution, graph: Option<Resolution>) -> Resolution {
    match graph {
        None => embed_page,
        Some(live @ Resolution::Live(_)) => live,
        Some(other) => match &embed_page {
            Resolution::Transient { source, .. } => Resolution::Transient {
                source: source.clone(),
                evidence: join_evidence(&embed_page, &other),
            },
            // Only a transient embed page asks Graph; anything else stands as it is.
            _ => embed_page,
        },
    }
}

/// The post's shortcode: the embed's id, or the code in its post URL.
fn shortcode(embed: &EmbedRef) -> Option<String> {
    if let Some(id) = embed
        .post_id
        .as_deref()
        .filter(|c| embed_page::is_shortcode(c))
    {
        return Some(id.to_owned());
    }
    let url = url::Url::parse(&embed.post_url).ok()?;
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    segments
        .windows(2)
        .find(|w| matches!(w[0], "p" | "reel" | "reels" | "tv"))
        .map(|w| w[1])
        .filter(|c| embed_page::is_shortcode(c))
        .map(str::to_owned)
}

/// Fill what the source left out with what the article's markup said about the post.
pub(super) fn fill_from_markup(mut content: PostContent, embed: &EmbedRef) -> PostContent {
    if content.author_handle.is_none() {
        content.author_handle = embed.author_handle.clone();
        if content.author_url.is_none() {
            content.author_url = content.author_handle.as_deref().map(super::profile_url);
        }
    }
    if content.author_name.is_none() {
        content.author_name = embed.author_name.clone();
    }
    if content.published_at.is_none() {
        content.published_at = embed.published_at;
    }
    content
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CheckOutcome, EmbedKind, Location, Platform};

    fn embed(post_id: Option<&str>, post_url: &str) -> EmbedRef {
        EmbedRef {
            platform: Platform::Instagram,
            kind: EmbedKind::Post,
            post_url: post_url.into(),
            post_id: post_id.map(str::to_owned),
            location: Location::Dom,
            evidence: "blockquote.instagram-media".into(),
            markup: String::new(),
            author_name: Some("Harbour Desk".into()),
            author_handle: Some("harbourdesk".into()),
            text: Some("from the article".into()),
            published_at: None,
        }
    }

    fn transient(source: &str, evidence: &str) -> Resolution {
        Resolution::Transient {
            source: source.into(),
            evidence: evidence.into(),
        }
    }

    #[test]
    fn graph_only_decides_when_it_is_live() {
        let live = Resolution::Live(PostContent {
            source: graph::SOURCE.into(),
            ..PostContent::default()
        });
        let page = || transient(embed_page::SOURCE, "login wall");
        let cases = [
            (None, CheckOutcome::Transient),
            (Some(live), CheckOutcome::Live),
            (
                Some(transient(graph::SOURCE, "HTTP 400")),
                CheckOutcome::Transient,
            ),
        ];
        for (graph, want) in cases {
            assert_eq!(choose(page(), graph).outcome(), Some(want));
        }
        let Resolution::Transient { evidence, source } =
            choose(page(), Some(transient(graph::SOURCE, "HTTP 400")))
        else {
            panic!("expected transient");
        };
        assert_eq!(source, embed_page::SOURCE);
        assert!(
            evidence.contains("login wall") && evidence.contains("HTTP 400"),
            "{evidence}"
        );
    }

    #[test]
    fn shortcode_comes_from_the_id_or_the_url() {
        let cases = [
            (
                Some("C8kQx2LtA1b"),
                "https://www.instagram.com/p/C8kQx2LtA1b/",
                Some("C8kQx2LtA1b"),
            ),
            (
                None,
                "https://www.instagram.com/reel/C82rTq0Nx7e/",
                Some("C82rTq0Nx7e"),
            ),
            (
                None,
                "https://www.instagram.com/someone/p/B3A-0uuAhg0/",
                Some("B3A-0uuAhg0"),
            ),
            (
                Some("bad/id"),
                "https://www.instagram.com/tv/CCX-gcHArcJ/",
                Some("CCX-gcHArcJ"),
            ),
            (None, "https://www.instagram.com/someone/", None),
        ];
        for (id, url, want) in cases {
            assert_eq!(shortcode(&embed(id, url)).as_deref(), want, "{id:?} {url}");
        }
    }

    #[test]
    fn markup_fills_gaps_but_does_not_override() {
        let e = embed(
            Some("C8kQx2LtA1b"),
            "https://www.instagram.com/p/C8kQx2LtA1b/",
        );
        let sparse = fill_from_markup(PostContent::default(), &e);
        assert_eq!(sparse.author_handle.as_deref(), Some("harbourdesk"));
        assert_eq!(sparse.author_name.as_deref(), Some("Harbour Desk"));
        assert_eq!(
            sparse.author_url.as_deref(),
            Some("https://www.instagram.com/harbourdesk/")
        );
        // The article's text is never copied: the page decides what the caption is.
        assert_eq!(sparse.text, None);
        let full = fill_from_markup(
            PostContent {
                author_handle: Some("other".into()),
                author_name: Some("Other".into()),
                ..PostContent::default()
            },
            &e,
        );
        assert_eq!(full.author_handle.as_deref(), Some("other"));
        assert_eq!(full.author_name.as_deref(), Some("Other"));
    }

    #[tokio::test]
    async fn without_a_post_id_or_code_the_answer_is_transient_and_nothing_is_fetched() {
        let replay = crate::platforms::replay::Replay::from_manifest();
        let got = resolve_with(
            &replay,
            &Config::default(),
            &embed(None, "https://www.instagram.com/someone/"),
        )
        .await;
        assert_eq!(got.outcome(), Some(CheckOutcome::Transient));
        assert!(replay.requests().is_empty());
    }

    fn config_with_token(dir: &tempfile::TempDir) -> Config {
        let path = dir.path().join("instagram-token");
        std::fs::write(&path, "A_FAKE_TOKEN_FOR_TESTS\n").expect("write token");
        let mut config = Config::default();
        config.platforms.get_mut("instagram").access_token_file = Some(path);
        config.platforms.get_mut("instagram").graph_api_version = Some("v8.0".into());
        config
    }

    fn answered_by(r: &Resolution) -> String {
        match r {
            Resolution::Live(c) => c.source.clone(),
            Resolution::Gone { source, .. } | Resolution::Transient { source, .. } => {
                source.clone()
            }
            Resolution::Unsupported => String::new(),
        }
    }

    #[tokio::test]
    async fn recorded_flows_without_a_token() {
        use crate::platforms::replay::Replay;
        let cases = [
            ("C8kQx2LtA1b", CheckOutcome::Live),
            ("C8tZr5pIe0B", CheckOutcome::Live),
            ("C82rTq0Nx7e", CheckOutcome::Live),
            ("DbYR3qYCEyc", CheckOutcome::Live),
            ("B3A-0uuAhg0", CheckOutcome::Gone),
            ("NAOEXISTE999", CheckOutcome::Gone),
            // 302 to /accounts/login/: the login wall says nothing.
            ("C9aa0LoginW", CheckOutcome::Transient),
            // Not recorded: unreachable.
            ("ZZZZZZZZZZZ", CheckOutcome::Transient),
        ];
        for (code, want) in cases {
            let replay = Replay::from_manifest();
            let post_url = format!("https://www.instagram.com/p/{code}/");
            let got =
                resolve_with(&replay, &Config::default(), &embed(Some(code), &post_url)).await;
            assert_eq!(got.outcome(), Some(want), "{code}: {got:?}");
            assert_eq!(answered_by(&got), "instagram-embed", "{code}");
            assert_eq!(
                replay.requests(),
                vec![format!(
                    "https://www.instagram.com/p/{code}/embed/captioned/"
                )],
                "{code}: Graph is not asked without a token"
            );
        }
    }

    #[tokio::test]
    async fn login_wall_evidence_survives_the_redirect() {
        let replay = crate::platforms::replay::Replay::from_manifest();
        let got = resolve_with(
            &replay,
            &Config::default(),
            &embed(
                Some("C9aa0LoginW"),
                "https://www.instagram.com/p/C9aa0LoginW/",
            ),
        )
        .await;
        let Resolution::Transient { evidence, .. } = got else {
            panic!("expected transient, got {got:?}");
        };
        assert!(evidence.contains("/accounts/login/"), "{evidence}");
    }

    #[tokio::test]
    async fn graph_answers_when_the_embed_page_cannot() {
        use crate::platforms::replay::Replay;
        let dir = tempfile::tempdir().expect("tempdir");
        let config = config_with_token(&dir);
        // The embed page of this post is not recorded (transient); Graph's answer is.
        let post_url = "https://www.instagram.com/p/B9bOM-6Ax_d/?igshid=1mn51zsvrhoiq";
        let replay = Replay::from_manifest();
        let got = resolve_with(&replay, &config, &embed(Some("B9bOM-6Ax_d"), post_url)).await;
        let Resolution::Live(c) = got else {
            panic!("expected live, got {got:?}");
        };
        assert_eq!(c.source, "instagram-graph-oembed");
        assert_eq!(c.author_handle.as_deref(), Some("ruby_eloquent"));
        assert_eq!(c.media.len(), 1);
        assert!(
            c.raw
                .iter()
                .all(|r| !r.url.contains("A_FAKE_TOKEN_FOR_TESTS"))
        );
        assert_eq!(
            replay.requests(),
            vec![
                "https://www.instagram.com/p/B9bOM-6Ax_d/embed/captioned/".to_owned(),
                format!(
                    "https://graph.facebook.com/v8.0/instagram_oembed?access_token=A_FAKE_TOKEN_FOR_TESTS&format=json&url={}",
                    url::form_urlencoded::byte_serialize(post_url.as_bytes()).collect::<String>()
                ),
            ]
        );
    }

    #[tokio::test]
    async fn a_token_never_reaches_evidence() {
        use crate::platforms::replay::Replay;
        let dir = tempfile::tempdir().expect("tempdir");
        let config = config_with_token(&dir);
        let replay = Replay::from_manifest();
        // Neither source recorded: both unreachable.
        let got = resolve_with(
            &replay,
            &config,
            &embed(
                Some("ZZZZZZZZZZZ"),
                "https://www.instagram.com/p/ZZZZZZZZZZZ/",
            ),
        )
        .await;
        let Resolution::Transient { evidence, .. } = got else {
            panic!("expected transient, got {got:?}");
        };
        assert!(evidence.contains("instagram-graph-oembed"), "{evidence}");
        assert!(!evidence.contains("A_FAKE_TOKEN_FOR_TESTS"), "{evidence}");
        assert_eq!(replay.requests().len(), 2);
    }

    #[tokio::test]
    async fn gone_embed_page_is_not_second_guessed_by_graph() {
        use crate::platforms::replay::Replay;
        let dir = tempfile::tempdir().expect("tempdir");
        let config = config_with_token(&dir);
        let replay = Replay::from_manifest();
        let got = resolve_with(
            &replay,
            &config,
            &embed(
                Some("B3A-0uuAhg0"),
                "https://www.instagram.com/p/B3A-0uuAhg0/",
            ),
        )
        .await;
        assert_eq!(got.outcome(), Some(CheckOutcome::Gone));
        assert_eq!(replay.requests().len(), 1);
    }

    #[test]
    fn resolving_is_send() {
        fn assert_send<T: Send>(_: &T) {}
        let config = Config::default();
        let http = crate::http::HttpClient::new(&config.http, &config.politeness).expect("client");
        let ctx = ResolveContext {
            http: &http,
            config: &config,
        };
        let e = embed(
            Some("C8kQx2LtA1b"),
            "https://www.instagram.com/p/C8kQx2LtA1b/",
        );
        assert_send(&resolve(&ctx, &e));
    }
}
