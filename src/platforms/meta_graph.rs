//! Meta's Graph API oEmbed endpoints, as Instagram (`instagram_oembed`) and Facebook
//! (`oembed_post`, `oembed_video`) use them: the request URL and the reading of an answer up to
//! its oEmbed document. What a document says about the post is each platform's own reading.
//!
//! The access token travels in the query string, so every evidence text made here is redacted.
//! Graph answers an error status alike for a removed post, an unsupported URL and a bad or
//! expired token, so no answer read here is ever a sign that a post is gone.

use serde::Deserialize;
use url::Url;

use crate::config::Secret;
use crate::model::Resolution;
use crate::platforms::oembed_answer::OembedAnswer;
use crate::platforms::source::{Answer, SourceError, check_status, redact};

/// The request URL of Graph endpoint `endpoint` for `post_url`:
/// `https://graph.facebook.com/VERSION/ENDPOINT?access_token=TOKEN&format=json&url=POST_URL`.
/// A `version` that is not like `v24.0` is a configuration error of `source`.
pub fn oembed_url(
    source: &str,
    version: &str,
    endpoint: &str,
    token: &Secret,
    post_url: &str,
) -> Result<Url, SourceError> {
    let version_ok = version
        .strip_prefix('v')
        .is_some_and(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit() || b == b'.'));
    if !version_ok {
        return Err(SourceError::Config {
            source_name: source.to_owned(),
            message: format!("graph_api_version {version:?} is not like \"v24.0\""),
        });
    }
    let mut url =
        Url::parse(&format!("https://graph.facebook.com/{version}/{endpoint}")).map_err(|e| {
            SourceError::BadPostId {
                source_name: source.to_owned(),
                post_id: post_url.to_owned(),
                reason: redact(&e.to_string()),
            }
        })?;
    // Whatever the answer does with it (a redirect handing it on under another name), the
    // token stays out of every log line.
    crate::http::register_secret(token.expose());
    url.query_pairs_mut()
        .append_pair("access_token", token.expose())
        .append_pair("format", "json")
        .append_pair("url", post_url);
    Ok(url)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GraphError {
    error: Option<GraphErrorBody>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GraphErrorBody {
    message: Option<String>,
    code: Option<i64>,
}

/// A transient verdict of `source`, its evidence redacted.
pub fn transient(source: &str, evidence: &str) -> Resolution {
    Resolution::Transient {
        source: source.to_owned(),
        evidence: redact(evidence),
    }
}

/// The oEmbed document of a Graph answer, or the transient verdict (boxed: a verdict is large
/// next to a document) an answer without one gets:
/// a rate limit or server error, any other error status (with Graph's own error code and
/// message when the body carries them), or a body that is not JSON.
pub fn oembed_document(source: &str, answer: &Answer) -> Result<OembedAnswer, Box<Resolution>> {
    check_status(source, answer).map_err(|e| Box::new(e.into_transient()))?;
    if answer.status != 200 {
        let said = serde_json::from_slice::<GraphError>(&answer.body)
            .ok()
            .and_then(|e| e.error)
            .map(|e| {
                let message: String = e.message.unwrap_or_default().chars().take(200).collect();
                format!(": error {}: {message}", e.code.unwrap_or(0))
            })
            .unwrap_or_default();
        return Err(Box::new(transient(
            source,
            &format!("HTTP {} from {source}{said}", answer.status),
        )));
    }
    OembedAnswer::from_json(&answer.body).map_err(|e| {
        Box::new(transient(
            source,
            &format!("non-JSON answer from {source}: {e}"),
        ))
    })
}
