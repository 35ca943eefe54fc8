//! `page_fallback` is the decision a two-source resolver makes between a platform's oEmbed
//! answer and the post's own web page: oEmbed first; when it says live, the page only enriches
//! it; when it cannot decide, the page's verdict stands; when it says gone, the page is not asked.
//!
//! It never turns a live oEmbed verdict into anything else (a failing or unreadable page keeps
//! the oEmbed content as it was), never calls a post gone on its own (only a classifier may),
//! and fetches nothing but through the fetcher it is given.

use std::future::Future;

use url::Url;

use crate::http::{HttpError, Response};
use crate::model::{PostContent, Resolution};
use crate::platforms::readers::raw_body;

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
    fn classify(&self, response: &Response) -> Resolution;
    /// A page that shows the post, or what it says instead.
    fn read(&self, response: &Response) -> Result<Self::Page, NotLive>;
    /// Add what the page knows to the oEmbed content.
    fn merge(&self, content: &mut PostContent, page: Self::Page);
}

/// The verdict of one fetched answer: the classifier's, or transient with the transport error as
/// evidence.
pub(crate) fn classify_fetched(
    fetched: Result<Response, HttpError>,
    source: &str,
    classify: impl FnOnce(&Response) -> Resolution,
) -> Resolution {
    match fetched {
        Ok(response) => classify(&response),
        Err(e) => Resolution::Transient {
            source: source.into(),
            evidence: e.to_string(),
        },
    }
}

/// The final verdict given the oEmbed verdict and the post's page (fetched only when needed).
pub(crate) async fn oembed_then_page<P, F, Fut>(
    oembed: Resolution,
    page: &P,
    fetch: F,
) -> Resolution
where
    P: PostPage,
    F: Fn(Url) -> Fut,
    Fut: Future<Output = Result<Response, HttpError>>,
{
    match oembed {
        Resolution::Live(content) => {
            let answer = fetch(page.enrich_url(&content)).await;
            Resolution::Live(enrich(content, answer, page))
        }
        Resolution::Transient {
            evidence: oembed_evidence,
            ..
        } => match fetch(page.fallback_url()).await {
            Ok(response) => match page.classify(&response) {
                Resolution::Transient { source, evidence } => Resolution::Transient {
                    source,
                    evidence: format!("oEmbed: {oembed_evidence}; {}: {evidence}", P::LABEL),
                },
                verdict => verdict,
            },
            Err(e) => Resolution::Transient {
                source: P::SOURCE.into(),
                evidence: format!("oEmbed: {oembed_evidence}; {}: {e}", P::LABEL),
            },
        },
        gone_or_unsupported => gone_or_unsupported,
    }
}

/// Add the page to a live oEmbed answer. The page is enrichment only: when it fails or
/// disagrees, the oEmbed content is kept as it was.
fn enrich<P: PostPage>(
    mut content: PostContent,
    answer: Result<Response, HttpError>,
    page: &P,
) -> PostContent {
    let video_id = page.post_id();
    let response = match answer {
        Ok(response) => response,
        Err(e) => {
            tracing::debug!(
                video_id,
                error = %e,
                "{} not fetched; keeping oEmbed content",
                P::LABEL
            );
            return content;
        }
    };
    let read = match page.read(&response) {
        Ok(read) => read,
        Err(not_live) => {
            tracing::debug!(
                video_id,
                ?not_live,
                "{} unreadable; keeping oEmbed content",
                P::LABEL
            );
            return content;
        }
    };
    content.source = P::ENRICHED_SOURCE.into();
    page.merge(&mut content, read);
    content.raw.push(raw_body(&response));
    content
}
