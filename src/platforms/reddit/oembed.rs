//! Reddit's oEmbed endpoint (`https://www.reddit.com/oembed?url=POST_URL`): the second reddit
//! source, asked when the `.json` gave no verdict. It names the post's title and author (the rest
//! is in its `html`, which is never read as text). It never says a post is gone: an error here
//! does not tell a removed post from a refused client, so anything but a 200 naming the post is
//! transient.

use url::Url;

use crate::model::{PostContent, Resolution};
use crate::platforms::oembed_answer::OembedAnswer;
use crate::platforms::readers::{constant_url, non_empty};
use crate::platforms::source::{Answer, check_status};
use crate::platforms::verdict::{self, Field};

/// Source name of the oEmbed endpoint.
pub const SOURCE: &str = "reddit-oembed";

/// What makes an answer a live post: the recorded answers name the author (and the title).
const IDENTIFYING: &[Field] = &[Field::Author];

/// The request URL for a post URL, in the recorded shape.
pub fn url(post_url: &str) -> Url {
    let mut url = constant_url("https://www.reddit.com/oembed");
    url.query_pairs_mut()
        .append_pair("url", post_url)
        .append_pair("format", "json");
    url
}

/// Classify one oEmbed answer.
pub fn parse(answer: &Answer) -> Resolution {
    let transient = |evidence: String| Resolution::Transient {
        source: SOURCE.to_owned(),
        evidence,
    };
    if let Err(e) = check_status(SOURCE, answer) {
        return e.into_transient();
    }
    if answer.status != 200 {
        return transient(format!("HTTP {} from {SOURCE}", answer.status));
    }
    let oembed = match OembedAnswer::from_json(&answer.body) {
        Ok(o) => o,
        Err(e) => return transient(format!("non-JSON answer from {SOURCE}: {e}")),
    };
    let author = non_empty(oembed.author_name).filter(|a| a != "[deleted]");
    let content = PostContent {
        source: SOURCE.to_owned(),
        author_url: author
            .as_ref()
            .filter(|a| {
                a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            })
            .map(|a| format!("https://www.reddit.com/user/{a}/")),
        author_handle: author.clone(),
        author_name: author,
        title: non_empty(oembed.title),
        raw: vec![answer.raw()],
        ..PostContent::default()
    };
    verdict::live(content, IDENTIFYING)
}
