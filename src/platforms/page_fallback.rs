//! `page_fallback` is the decision a two-source resolver makes between a platform's oEmbed
//! answer and the post's own web page: oEmbed first; when it says live, the page only enriches
//! it; when it cannot decide, the page's verdict stands; when it says gone, the page is not asked.
//!
//! It never turns a live oEmbed verdict into anything else (a failing or unreadable page keeps
//! the oEmbed content as it was), never calls a post gone on its own (only a classifier may),
//! and fetches nothing but through the shared [`Fetch`], so the page gets the common status
//! rules and redaction like every other source.

use url::Url;

use crate::model::{PostContent, Resolution};
use crate::platforms::source::{self, Answer, Fetch};

/// What a post's page says instead of showing a live post; each carries its evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotLive {
    /// A positive signal: removed, never existed, private.
    Gone(String),
    /// A wall, an error answer or something unreadable: nothing can be concluded.
    Transient(String),
}

impl NotLive {
    /// The verdict, attributed to `source` (the page's source name).
    pub fn into_resolution(self, source: &str) -> Resolution {
        match self {
            NotLive::Gone(evidence) => Resolution::Gone {
                source: source.into(),
                evidence,
            },
            NotLive::Transient(evidence) => Resolution::Transient {
                source: source.into(),
                evidence,
            },
        }
    }
}

/// A post's own web page, as the second source after oEmbed.
pub(crate) trait PostPage {
    /// What a readable page says about the post.
    type Page;
    /// The `source` of verdicts read from the page alone.
    const SOURCE: &'static str;
    /// The `source` of a live oEmbed verdict the page has added to.
    const ENRICHED_SOURCE: &'static str;
    /// How evidence and logs name the page ("watch page").
    const LABEL: &'static str;

    /// The post id, for logs.
    fn post_id(&self) -> &str;
    /// The page to ask when oEmbed could not decide.
    fn fallback_url(&self) -> Url;
    /// The page to read to enrich a live oEmbed answer.
    fn enrich_url(&self, oembed: &PostContent) -> Url;
    /// The page's own verdict on one answer.
    fn classify(&self, answer: &Answer) -> Resolution;
    /// A page that shows the post, or what it says instead.
    fn read(&self, answer: &Answer) -> Result<Self::Page, NotLive>;
    /// Add what the page knows to the oEmbed content.
    fn merge(&self, content: &mut PostContent, page: Self::Page);
}

/// The final verdict given the oEmbed verdict and the post's page (fetched only when needed).
pub(crate) async fn oembed_then_page<P, F>(oembed: Resolution, page: &P, fetcher: &F) -> Resolution
where
    P: PostPage + Sync,
    F: Fetch,
{
    match oembed {
        Resolution::Live(content) => {
            let url = page.enrich_url(&content);
            let answer = fetcher.fetch(P::SOURCE, &url).await;
            Resolution::Live(enrich(content, answer, page))
        }
        Resolution::Transient {
            evidence: oembed_evidence,
            ..
        } => {
            let url = page.fallback_url();
            match source::ask(fetcher, P::SOURCE, &url, |answer| page.classify(answer)).await {
                Resolution::Transient { source, evidence } => Resolution::Transient {
                    source,
                    evidence: format!("oEmbed: {oembed_evidence}; {}: {evidence}", P::LABEL),
                },
                verdict => verdict,
            }
        }
        gone_or_unsupported => gone_or_unsupported,
    }
}

/// Add the page to a live oEmbed answer. The page is enrichment only: when it fails or
/// disagrees, the oEmbed content is kept as it was.
fn enrich<P: PostPage>(
    mut content: PostContent,
    answer: Result<Answer, source::SourceError>,
    page: &P,
) -> PostContent {
    let post_id = page.post_id();
    let answer = match answer {
        Ok(answer) => answer,
        Err(e) => {
            tracing::debug!(
                post_id,
                error = %e,
                "{} not fetched; keeping oEmbed content",
                P::LABEL
            );
            return content;
        }
    };
    let read = match page.read(&answer) {
        Ok(read) => read,
        Err(not_live) => {
            tracing::debug!(
                post_id,
                ?not_live,
                "{} unreadable; keeping oEmbed content",
                P::LABEL
            );
            return content;
        }
    };
    content.source = P::ENRICHED_SOURCE.into();
    page.merge(&mut content, read);
    content.raw.push(answer.raw());
    content
}
