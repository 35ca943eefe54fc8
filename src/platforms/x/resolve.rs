//! x resolver: reads a post from syndication first and oEmbed second, and combines their
//! verdicts. It never calls a post gone on a rate limit, server error or unreadable answer, and
//! never on a syndication tombstone that oEmbed contradicts (age-restricted posts tombstone for
//! anonymous clients but are still there).

use super::{oembed, syndication};
use crate::model::{EmbedRef, Resolution};
use crate::platforms::ResolveContext;
use crate::platforms::source::{self, Fetch, SourceError};

/// Resolve one x post.
pub async fn resolve(ctx: &ResolveContext<'_>, embed: &EmbedRef) -> Resolution {
    resolve_with(ctx.http, embed).await
}

/// [`resolve`] against any fetcher.
pub(crate) async fn resolve_with<F: Fetch>(fetcher: &F, embed: &EmbedRef) -> Resolution {
    let Some(post_id) = embed.post_id.as_deref() else {
        return SourceError::BadPostId {
            source_name: syndication::SOURCE.to_owned(),
            post_id: embed.post_url.clone(),
            reason: "the embed has no post id".to_owned(),
        }
        .into_transient();
    };
    let first = match syndication::url(post_id) {
        Ok(url) => match fetcher.fetch(syndication::SOURCE, &url).await {
            Ok(answer) => syndication::parse(&answer),
            Err(e) => e.into_transient(),
        },
        Err(e) => e.into_transient(),
    };
    if !needs_oembed(&first) {
        return first;
    }
    let second = match oembed::url(&oembed_post_url(embed, post_id)) {
        Ok(url) => match fetcher.fetch(oembed::SOURCE, &url).await {
            Ok(answer) => oembed::parse(&answer),
            Err(e) => e.into_transient(),
        },
        Err(e) => e.into_transient(),
    };
    combine(first, second)
}

/// The post URL to hand oEmbed. A canonical URL without a handle (`/i/status/ID`) gets the
/// handle the article's markup named, when it has one: oEmbed documents only the
/// `/HANDLE/status/ID` form, and its 404 counts as gone.
fn oembed_post_url(embed: &EmbedRef, post_id: &str) -> String {
    let handle = embed
        .author_handle
        .as_deref()
        .map(|h| h.trim_start_matches('@'))
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    match handle {
        Some(h)
            if embed.post_url.contains("/i/status/")
                || embed.post_url.contains("/i/web/status/") =>
        {
            format!("https://x.com/{h}/status/{post_id}")
        }
        _ => embed.post_url.clone(),
    }
}

/// Whether the syndication verdict needs oEmbed's view: everything but a live answer does.
pub fn needs_oembed(syndication: &Resolution) -> bool {
    !matches!(syndication, Resolution::Live(_))
}

/// The post's verdict from the syndication verdict and, when it was not live, oEmbed's.
///
/// - syndication live: live.
/// - syndication gone: live if oEmbed is live (a tombstone can mean "hidden from anonymous
///   readers"), otherwise gone with the syndication evidence.
/// - syndication transient: oEmbed's verdict; when both are transient the evidence names both.
pub fn combine(syndication: Resolution, oembed: Resolution) -> Resolution {
    match (syndication, oembed) {
        (live @ Resolution::Live(_), _) => live,
        (Resolution::Gone { .. }, live @ Resolution::Live(_)) => live,
        (gone @ Resolution::Gone { .. }, _) => gone,
        (first @ Resolution::Transient { .. }, second @ Resolution::Transient { .. }) => {
            Resolution::Transient {
                source: oembed::SOURCE.to_owned(),
                evidence: source::join_evidence(&first, &second),
            }
        }
        (Resolution::Transient { .. } | Resolution::Unsupported, verdict) => verdict,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CheckOutcome, PostContent};

    fn live(source: &str) -> Resolution {
        Resolution::Live(PostContent {
            source: source.into(),
            text: Some(format!("from {source}")),
            ..PostContent::default()
        })
    }
    fn gone(source: &str, evidence: &str) -> Resolution {
        Resolution::Gone {
            source: source.into(),
            evidence: evidence.into(),
        }
    }
    fn transient(source: &str, evidence: &str) -> Resolution {
        Resolution::Transient {
            source: source.into(),
            evidence: evidence.into(),
        }
    }

    #[test]
    fn only_a_live_syndication_answer_skips_oembed() {
        assert!(!needs_oembed(&live("x-syndication")));
        assert!(needs_oembed(&gone("x-syndication", "TweetTombstone")));
        assert!(needs_oembed(&transient("x-syndication", "HTTP 429")));
    }

    #[test]
    fn combined_verdicts() {
        // (syndication, oembed, expected outcome, expected source, evidence must contain)
        let cases = [
            (
                live("x-syndication"),
                transient("x-oembed", "HTTP 500"),
                CheckOutcome::Live,
                "x-syndication",
                "",
            ),
            (
                gone("x-syndication", "TweetTombstone"),
                live("x-oembed"),
                CheckOutcome::Live,
                "x-oembed",
                "",
            ),
            (
                gone("x-syndication", "TweetTombstone"),
                gone("x-oembed", "HTTP 404"),
                CheckOutcome::Gone,
                "x-syndication",
                "TweetTombstone",
            ),
            (
                gone("x-syndication", "HTTP 404"),
                transient("x-oembed", "HTTP 429"),
                CheckOutcome::Gone,
                "x-syndication",
                "HTTP 404",
            ),
            (
                transient("x-syndication", "HTTP 503"),
                live("x-oembed"),
                CheckOutcome::Live,
                "x-oembed",
                "",
            ),
            (
                transient("x-syndication", "HTTP 503"),
                gone("x-oembed", "HTTP 403"),
                CheckOutcome::Gone,
                "x-oembed",
                "HTTP 403",
            ),
            (
                transient("x-syndication", "non-JSON"),
                transient("x-oembed", "HTTP 429"),
                CheckOutcome::Transient,
                "x-oembed",
                "non-JSON",
            ),
        ];
        for (i, (s, o, outcome, source, evidence)) in cases.into_iter().enumerate() {
            let got = combine(s, o);
            assert_eq!(got.outcome(), Some(outcome), "case {i}: {got:?}");
            match &got {
                Resolution::Live(c) => assert_eq!(c.source, source, "case {i}"),
                Resolution::Gone {
                    source: s,
                    evidence: e,
                }
                | Resolution::Transient {
                    source: s,
                    evidence: e,
                } => {
                    assert_eq!(s, source, "case {i}");
                    assert!(e.contains(evidence), "case {i}: {e}");
                }
                Resolution::Unsupported => panic!("case {i}: unsupported"),
            }
        }
    }

    #[test]
    fn both_transient_names_both_sources() {
        let got = combine(
            transient(
                "x-syndication",
                "HTTP 503 (server error) from x-syndication",
            ),
            transient("x-oembed", "HTTP 429 (rate limited) from x-oembed"),
        );
        let Resolution::Transient { evidence, .. } = got else {
            panic!("expected transient");
        };
        assert!(
            evidence.contains("HTTP 503") && evidence.contains("HTTP 429"),
            "{evidence}"
        );
    }

    fn x_embed(post_id: &str, post_url: &str) -> EmbedRef {
        use crate::model::{EmbedKind, Location, Platform};
        EmbedRef {
            platform: Platform::X,
            kind: EmbedKind::Post,
            post_url: post_url.into(),
            post_id: Some(post_id.into()),
            location: Location::Dom,
            evidence: "blockquote.twitter-tweet".into(),
            markup: String::new(),
            author_name: None,
            author_handle: None,
            text: None,
            published_at: None,
        }
    }

    #[tokio::test]
    async fn recorded_flows() {
        use crate::platforms::replay::Replay;
        const SYN: &str = "https://cdn.syndication.twimg.com/tweet-result";
        const OE: &str = "https://publish.twitter.com/oembed?url=";
        // (id, post URL, verdict, answering source, requests made)
        let cases: [(&str, &str, CheckOutcome, &str, &[&str]); 6] = [
            (
                "20",
                "https://twitter.com/jack/status/20",
                CheckOutcome::Live,
                "x-syndication",
                &["?id=20&lang=en&token=6dq1a2xwd93"],
            ),
            // Tombstone, and oEmbed cannot confirm life (not reachable): gone on the tombstone.
            (
                "1700000000000000001",
                "https://twitter.com/example/status/1700000000000000001",
                CheckOutcome::Gone,
                "x-syndication",
                &[
                    "?id=1700000000000000001&lang=en&token=44cpgxmyurn",
                    "https%3A%2F%2Ftwitter.com%2Fexample%2Fstatus%2F1700000000000000001&format=json",
                ],
            ),
            (
                "1700000000000000002",
                "https://twitter.com/example/status/1700000000000000002",
                CheckOutcome::Gone,
                "x-syndication",
                &[
                    "?id=1700000000000000002&lang=en&token=44cpgxmyurn",
                    "https%3A%2F%2Ftwitter.com%2Fexample%2Fstatus%2F1700000000000000002&format=json",
                ],
            ),
            // Syndication unreachable: oEmbed's 404 decides.
            (
                "1700000000000000004",
                "https://twitter.com/example/status/1700000000000000004",
                CheckOutcome::Gone,
                "x-oembed",
                &[
                    "?id=1700000000000000004&lang=en&token=44cpgxmyurn",
                    "https%3A%2F%2Ftwitter.com%2Fexample%2Fstatus%2F1700000000000000004&format=json",
                ],
            ),
            (
                "1700000000000000005",
                "https://twitter.com/example/status/1700000000000000005",
                CheckOutcome::Gone,
                "x-oembed",
                &[
                    "?id=1700000000000000005&lang=en&token=44cpgxmyurn",
                    "https%3A%2F%2Ftwitter.com%2Fexample%2Fstatus%2F1700000000000000005&format=json",
                ],
            ),
            (
                "436461658601713664",
                "https://x.com/pepephone/status/436461658601713664",
                CheckOutcome::Live,
                "x-oembed",
                &[
                    "?id=436461658601713664&lang=en&token=1236nf8no4li",
                    "https%3A%2F%2Fx.com%2Fpepephone%2Fstatus%2F436461658601713664&format=json",
                ],
            ),
        ];
        for (id, post_url, outcome, source, requests) in cases {
            let replay = Replay::from_manifest();
            let got = resolve_with(&replay, &x_embed(id, post_url)).await;
            assert_eq!(got.outcome(), Some(outcome), "{id}: {got:?}");
            let answered = match &got {
                Resolution::Live(c) => c.source.clone(),
                Resolution::Gone { source, .. } | Resolution::Transient { source, .. } => {
                    source.clone()
                }
                Resolution::Unsupported => String::new(),
            };
            assert_eq!(answered, source, "{id}");
            let want: Vec<String> = requests
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    if i == 0 {
                        format!("{SYN}{r}")
                    } else {
                        format!("{OE}{r}")
                    }
                })
                .collect();
            assert_eq!(replay.requests(), want, "{id}");
        }
    }

    #[tokio::test]
    async fn nothing_reachable_is_transient_with_both_sources_named() {
        let replay = crate::platforms::replay::Replay::from_manifest();
        let got = resolve_with(
            &replay,
            &x_embed(
                "1234567890123456789",
                "https://x.com/a/status/1234567890123456789",
            ),
        )
        .await;
        let Resolution::Transient { evidence, .. } = got else {
            panic!("expected transient, got {got:?}");
        };
        assert!(
            evidence.contains("x-syndication") && evidence.contains("x-oembed"),
            "{evidence}"
        );
    }

    #[test]
    fn resolving_is_send() {
        fn assert_send<T: Send>(_: &T) {}
        let config = crate::config::Config::default();
        let http = crate::http::HttpClient::new(&config.http, &config.politeness).expect("client");
        let ctx = ResolveContext {
            http: &http,
            config: &config,
        };
        let embed = x_embed("20", "https://x.com/jack/status/20");
        assert_send(&resolve(&ctx, &embed));
    }

    #[test]
    fn oembed_gets_a_handle_form_url_when_the_markup_names_one() {
        let cases = [
            (
                "https://x.com/jack/status/20",
                Some("someone"),
                "https://x.com/jack/status/20",
            ),
            (
                "https://x.com/i/status/20",
                Some("@jack"),
                "https://x.com/jack/status/20",
            ),
            (
                "https://x.com/i/status/20",
                None,
                "https://x.com/i/status/20",
            ),
            (
                "https://x.com/i/status/20",
                Some("bad handle"),
                "https://x.com/i/status/20",
            ),
        ];
        for (post_url, handle, want) in cases {
            let mut e = x_embed("20", post_url);
            e.author_handle = handle.map(str::to_owned);
            assert_eq!(oembed_post_url(&e, "20"), want, "{post_url} {handle:?}");
        }
    }
}
