//! One platform's own oEmbed endpoint as a resolve source (Spotify, SoundCloud, Pinterest): the
//! request URL, and the classification every such endpoint shares. A 200 is read through
//! [`OembedAnswer`] and is live only when it names the post ([`verdict::live`]); a 404 is gone
//! only in the endpoint's own body ([`verdict::gone_if_own_answer`]); every other status, an
//! unreadable or oversized body, and anything in front of the endpoint is transient.
//!
//! The post's fields are taken from the answer's fields, never from its `html`: that markup is
//! the provider's player code (it may carry scripts or `javascript:` links) and is only kept as
//! raw evidence. What each platform makes of the fields is its own module's business.

use url::Url;

use crate::model::{MediaKind, MediaRef, PostContent, Resolution};
use crate::platforms::oembed_answer::OembedAnswer;
use crate::platforms::readers::non_empty;
use crate::platforms::source::{Answer, Fetch, check_status};
use crate::platforms::verdict::{self, Field, OwnBody};

/// The largest answer read: oEmbed answers are a few kilobytes; anything far larger is not one.
pub const MAX_ANSWER_BYTES: usize = 256 * 1024;

/// A platform's oEmbed endpoint.
#[derive(Debug)]
pub struct Endpoint {
    /// The `source` name of its answers (`spotify-oembed`).
    pub source: &'static str,
    /// The endpoint URL without a query.
    pub base: &'static str,
    /// Query parameters sent after `url`, as the endpoint's recorded requests have them.
    pub extra: &'static [(&'static str, &'static str)],
    /// The bodies of the endpoint's own 404 (the post does not exist or was removed).
    pub own_404: &'static [OwnBody],
    /// The fields that make a 200 answer a live post.
    pub identifying: &'static [Field],
    /// What a 404 in the endpoint's own body means, for the evidence.
    pub gone_means: &'static str,
}

/// The common fields of an answer, read once for every platform: title, author, thumbnail.
#[derive(Debug, Default)]
pub struct Read {
    pub title: Option<String>,
    pub author_name: Option<String>,
    pub author_url: Option<String>,
    /// The thumbnail as an image item (its own URL is the picture).
    pub thumbnail: Option<MediaRef>,
}

impl Endpoint {
    /// The request URL for a post URL.
    pub fn url(&self, post_url: &str) -> Url {
        let mut url = crate::platforms::readers::constant_url(self.base);
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("url", post_url);
            for (k, v) in self.extra {
                query.append_pair(k, v);
            }
        }
        url
    }

    /// Fetch and classify the answer for `post_url`; `content` turns a readable 200 answer
    /// (its common fields and the raw body, for platform-specific fields) into the post.
    pub async fn resolve<F: Fetch>(
        &self,
        fetcher: &F,
        post_url: &str,
        content: impl FnOnce(Read, &[u8]) -> PostContent,
    ) -> Resolution {
        match fetcher.fetch(self.source, &self.url(post_url)).await {
            Ok(answer) => self.classify(&answer, content),
            Err(e) => e.into_transient(),
        }
    }

    /// Classify one answer (see the module comment).
    pub fn classify(
        &self,
        answer: &Answer,
        content: impl FnOnce(Read, &[u8]) -> PostContent,
    ) -> Resolution {
        let transient = |evidence: String| Resolution::Transient {
            source: self.source.to_owned(),
            evidence,
        };
        if let Err(e) = check_status(self.source, answer) {
            return e.into_transient();
        }
        match answer.status {
            200 => {}
            404 => {
                return verdict::gone_if_own_answer(self.source, answer, self.own_404, || {
                    format!("HTTP 404 from {} ({})", self.source, self.gone_means)
                });
            }
            other => return transient(format!("HTTP {other} from {}", self.source)),
        }
        if answer.body.len() > MAX_ANSWER_BYTES {
            return transient(format!(
                "answer from {} is {} bytes, more than an oEmbed answer's {MAX_ANSWER_BYTES}",
                self.source,
                answer.body.len()
            ));
        }
        let oembed = match OembedAnswer::from_json(&answer.body) {
            Ok(o) => o,
            Err(e) => {
                return transient(format!(
                    "unreadable answer from {} (content-type {}): {e}",
                    self.source,
                    answer.content_type.as_deref().unwrap_or("none")
                ));
            }
        };
        let (width, height) = oembed.thumbnail_size();
        let thumbnail = non_empty(oembed.thumbnail_url.clone())
            .filter(|u| is_web_url(u))
            .map(|u| MediaRef {
                kind: MediaKind::Image,
                url: u.clone(),
                image_url: Some(u),
                width,
                height,
                ..MediaRef::default()
            });
        let read = Read {
            title: non_empty(oembed.title).map(|t| t.trim().to_owned()),
            author_name: non_empty(oembed.author_name).map(|t| t.trim().to_owned()),
            author_url: non_empty(oembed.author_url).filter(|u| is_web_url(u)),
            thumbnail,
        };
        let mut post = content(read, &answer.body);
        post.source = self.source.to_owned();
        post.raw = vec![answer.raw()];
        verdict::live(post, self.identifying)
    }
}

/// Whether a URL from an answer is an http(s) URL: anything else (`javascript:`, `data:`) is
/// never kept as a link or fetched as media.
pub fn is_web_url(raw: &str) -> bool {
    Url::parse(raw.trim()).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

/// A string field of an answer that [`OembedAnswer`] does not read (`description`), read from
/// the same body. `None` when the body has no such string.
pub fn string_field(body: &[u8], name: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    match value.as_object()?.get(name)? {
        serde_json::Value::String(s) => non_empty(Some(s.trim().to_owned())),
        _ => None,
    }
}

/// The last non-empty path segment of a profile URL (`https://soundcloud.com/zedsdead` →
/// `zedsdead`), when it looks like a handle.
pub fn handle_from_profile(url: &str) -> Option<String> {
    let url = Url::parse(url).ok()?;
    let handle = url.path_segments()?.rfind(|s| !s.is_empty())?;
    let ok = !handle.is_empty()
        && handle.len() <= 100
        && handle
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    ok.then(|| handle.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CheckOutcome;

    const ENDPOINT: Endpoint = Endpoint {
        source: "test-oembed",
        base: "https://example.com/oembed",
        extra: &[("format", "json")],
        own_404: &[OwnBody::Empty],
        identifying: &[Field::Text, Field::Media],
        gone_means: "removed",
    };

    fn answer(status: u16, content_type: &str, body: &[u8]) -> Answer {
        Answer {
            url: "https://example.com/oembed?url=x".into(),
            status,
            content_type: Some(content_type.into()),
            body: body.to_vec(),
        }
    }

    fn plain(read: Read, _: &[u8]) -> PostContent {
        PostContent {
            title: read.title,
            author_name: read.author_name,
            author_url: read.author_url,
            media: read.thumbnail.into_iter().collect(),
            ..PostContent::default()
        }
    }

    #[test]
    fn request_url_carries_the_post_url_then_the_extras() {
        assert_eq!(
            ENDPOINT.url("https://example.com/p/1?a=b").as_str(),
            "https://example.com/oembed?url=https%3A%2F%2Fexample.com%2Fp%2F1%3Fa%3Db&format=json"
        );
    }

    #[test]
    fn bad_input_is_transient_never_gone() {
        let big = format!(
            r#"{{"title":"t","pad":"{}"}}"#,
            "x".repeat(MAX_ANSWER_BYTES)
        );
        let cases: [(u16, &str, &[u8]); 9] = [
            (200, "application/json", b"{\"title\":"),
            (200, "application/json", b"[]"),
            (200, "application/json", b"{}"),
            (200, "text/html", b"<html><body>Sorry</body></html>"),
            (200, "application/json", big.as_bytes()),
            // A 404 page from something in front of the endpoint, not the endpoint's own.
            (404, "text/html", b"<html><h1>404 Not Found</h1></html>"),
            (403, "text/html", b"<html>blocked</html>"),
            (401, "application/json", b""),
            (503, "text/html", b"<html>down</html>"),
        ];
        for (status, content_type, body) in cases {
            let got = ENDPOINT.classify(&answer(status, content_type, body), plain);
            assert_eq!(
                got.outcome(),
                Some(CheckOutcome::Transient),
                "{status} {:?}: {got:?}",
                String::from_utf8_lossy(&body[..body.len().min(40)])
            );
        }
    }

    #[test]
    fn own_404_is_gone() {
        let got = ENDPOINT.classify(&answer(404, "text/plain", b""), plain);
        assert_eq!(
            got,
            Resolution::Gone {
                source: "test-oembed".into(),
                evidence: "HTTP 404 from test-oembed (removed)".into()
            }
        );
    }

    #[test]
    fn fields_come_from_the_answer_never_from_its_html() {
        let body = br#"{"title":"  Song  ","author_url":"javascript:alert(1)","thumbnail_url":"javascript:alert(2)","html":"<script>alert(3)</script><a href=\"javascript:alert(4)\">x</a>"}"#;
        let Resolution::Live(post) =
            ENDPOINT.classify(&answer(200, "application/json", body), plain)
        else {
            panic!("expected live");
        };
        assert_eq!(post.title.as_deref(), Some("Song"));
        assert_eq!(post.author_url, None);
        assert!(post.media.is_empty());
        assert_eq!(post.text, None);
        assert_eq!(post.source, "test-oembed");
        assert_eq!(post.raw.len(), 1);
    }

    #[test]
    fn extra_fields_and_handles() {
        assert_eq!(
            string_field(br#"{"description":" d "}"#, "description").as_deref(),
            Some("d")
        );
        assert_eq!(string_field(br#"{"description":""}"#, "description"), None);
        assert_eq!(string_field(br#"{"description":1}"#, "description"), None);
        assert_eq!(string_field(b"[]", "description"), None);
        assert_eq!(
            handle_from_profile("https://www.pinterest.com/thesearchguru/").as_deref(),
            Some("thesearchguru")
        );
        assert_eq!(
            handle_from_profile("https://soundcloud.com/ididthat-1").as_deref(),
            Some("ididthat-1")
        );
        assert_eq!(handle_from_profile("https://soundcloud.com/"), None);
        assert_eq!(handle_from_profile("not a url"), None);
    }
}
