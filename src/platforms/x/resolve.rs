//! x resolver: reads a post from syndication first and oEmbed second, and combines their
//! verdicts. It never calls a post gone on a rate limit, server error or unreadable answer, and
//! never on a syndication tombstone that oEmbed contradicts (age-restricted posts tombstone for
//! anonymous clients but are still there).

use super::{oembed, syndication};
use crate::model::{EmbedRef, Resolution};
use crate::platforms::ResolveContext;
use crate::platforms::source::{self, SourceError};

/// Resolve one x post.
pub async fn resolve(ctx: &ResolveContext<'_>, embed: &EmbedRef) -> Resolution {
    let Some(post_id) = embed.post_id.as_deref() else {
        return SourceError::BadPostId {
            source_name: syndication::SOURCE.to_owned(),
            post_id: embed.post_url.clone(),
            reason: "the embed has no post id".to_owned(),
        }
        .into_transient();
    };
    let first = match syndication::url(post_id) {
        Ok(url) => match source::fetch(ctx.http, syndication::SOURCE, &url).await {
            Ok(answer) => syndication::parse(&answer),
            Err(e) => e.into_transient(),
        },
        Err(e) => e.into_transient(),
    };
    if !needs_oembed(&first) {
        return first;
    }
    let second = match oembed::url(&embed.post_url) {
        Ok(url) => match source::fetch(ctx.http, oembed::SOURCE, &url).await {
            Ok(answer) => oembed::parse(&answer),
            Err(e) => e.into_transient(),
        },
        Err(e) => e.into_transient(),
    };
    combine(first, second)
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
}
