//! Reddit's oEmbed endpoint (`https://www.reddit.com/oembed?url=POST_URL`): the second reddit
//! source, asked when the `.json` gave no verdict. It names the post's title and author (the rest
//! is in its `html`, which is never read as text). It never says a post is gone: an error here
//! does not tell a removed post from a refused client, so its status table is empty and anything
//! but a 200 naming the post is transient. The answer goes through the one oEmbed reader
//! ([`oembed_endpoint`](crate::platforms::oembed_endpoint)).

use url::Url;

use crate::model::{PostContent, Resolution};
use crate::platforms::oembed_endpoint::{Endpoint, Read, Reader};
use crate::platforms::source::Answer;
use crate::platforms::verdict::Field;

/// Source name of the oEmbed endpoint.
pub const SOURCE: &str = "reddit-oembed";

/// The endpoint, asked in the recorded shape.
pub const OEMBED: Endpoint = Endpoint {
    base: "https://www.reddit.com/oembed",
    extra: &[("format", "json")],
    reader: Reader {
        source: SOURCE,
        statuses: &[],
        own_error: &[],
        // The recorded answers name the author (and the title).
        identifying: &[Field::Author],
        gone_means: "",
    },
};

/// The request URL for a post URL, in the recorded shape.
pub fn url(post_url: &str) -> Url {
    OEMBED.url(post_url)
}

/// Classify one oEmbed answer.
pub fn parse(answer: &Answer) -> Resolution {
    OEMBED.classify(answer, None, content)
}

/// The post's title and author; a `[deleted]` author is none.
fn content(read: Read, _body: &[u8]) -> PostContent {
    let author = read.author_name.filter(|a| a != "[deleted]");
    PostContent {
        author_url: author
            .as_ref()
            .filter(|a| {
                a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            })
            .map(|a| format!("https://www.reddit.com/user/{a}/")),
        author_handle: author.clone(),
        author_name: author,
        title: read.title,
        ..PostContent::default()
    }
}
