//! The one oEmbed reader: every oEmbed answer the platforms ask for (a platform's own endpoint,
//! a registry provider's, one a page announced) is classified here, one way.
//!
//! - 429 and 5xx never say anything about the item: transient ([`check_status`]).
//! - A status in the endpoint's table ([`Reader::statuses`]) reads as the endpoint documents it:
//!   [`Status::Gone`] is gone only in the endpoint's own body ([`verdict::gone_if_own_answer`]),
//!   [`Status::GoneAs`] likewise but on the status's own terms (its own bodies, its meaning, the
//!   endpoint's words quoted), [`Status::Transient`] is transient with the endpoint's words for
//!   it (403: private, or embedding restricted). Every other status is transient.
//! - A 200 larger than an oEmbed answer, an HTML page, or anything but a JSON object: transient.
//! - A readable 200 is read into [`Read`] and handed to the platform, which makes the post of it
//!   ([`Reading`]); it is live only when it names the post ([`verdict::live`]).
//!
//! The post's fields are taken from the answer's fields, never from its `html` as it stands: that
//! markup is the provider's player code (it may carry scripts or `javascript:` links) and is kept
//! as raw evidence; a platform whose embed code is its post's only record (Imgur) parses it. Links are kept only when they are web addresses. What each platform makes of
//! the fields is its own module's business.

use url::Url;

use crate::model::{MediaKind, MediaRef, PostContent, Resolution};
use crate::platforms::oembed_answer::OembedAnswer;
use crate::platforms::readers::{as_u32, non_empty, snippet, starts_like_markup};
use crate::platforms::source::{Answer, Fetch, check_status};
use crate::platforms::url_util::{is_base64url_char, is_token};
use crate::platforms::verdict::{self, Field, OwnBody};

/// The largest answer read: oEmbed answers are a few kilobytes; anything far larger is not one.
pub const MAX_ANSWER_BYTES: usize = 256 * 1024;

/// What an error status of an endpoint says, where the endpoint documents it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The endpoint has no such item: gone when the body is the endpoint's own error answer
    /// ([`Reader::own_error`]), transient when it is anybody else's.
    Gone,
    /// Gone like [`Status::Gone`], but on this status's own terms: where one status of an
    /// endpoint has other error bodies, or another meaning, than the rest (X answers a deleted
    /// post with an empty 404, and a protected account with a 403 that only its JSON error
    /// object makes its own).
    GoneAs(GoneAnswer),
    /// No proof either way (private, restricted): transient, with these words as the reason.
    Transient(&'static str),
}

/// The terms of a [`Status::GoneAs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GoneAnswer {
    /// The bodies of the endpoint's own answers with this status, in place of
    /// [`Reader::own_error`]: any other body is from something in front of the endpoint.
    pub own_error: &'static [OwnBody],
    /// What the status means, for the evidence, in place of [`Reader::gone_means`] (may be
    /// empty).
    pub means: &'static str,
    /// A string field of the endpoint's JSON error object whose words the evidence quotes, when
    /// they tell the cases the status covers apart (X's `error`: "not authorized" is a
    /// protected account, anything else a suspended one).
    pub quote: Option<&'static str>,
}

/// The table of most endpoints: only their own 404 says anything about the item.
pub const NOT_FOUND: &[(u16, Status)] = &[(404, Status::Gone)];

/// How one endpoint's answers are classified: everything but where the request goes.
#[derive(Debug, Clone, Copy)]
pub struct Reader {
    /// The `source` name of its answers (`spotify-oembed`).
    pub source: &'static str,
    /// What its error statuses say ([`NOT_FOUND`] for most).
    pub statuses: &'static [(u16, Status)],
    /// The bodies of the endpoint's own error answers (the item does not exist or was removed).
    pub own_error: &'static [OwnBody],
    /// The fields that make a 200 answer a live post.
    pub identifying: &'static [Field],
    /// What a [`Status::Gone`] in the endpoint's own body means, for the evidence (may be empty).
    pub gone_means: &'static str,
}

/// A platform's own oEmbed endpoint: where its requests go, and how its answers are read.
#[derive(Debug)]
pub struct Endpoint {
    /// The endpoint URL without a query.
    pub base: &'static str,
    /// Query parameters sent after `url`, as the endpoint's recorded requests have them.
    pub extra: &'static [(&'static str, &'static str)],
    pub reader: Reader,
}

/// The fields of an answer, read once for every platform. Strings are trimmed and never blank;
/// links are web addresses only.
#[derive(Debug, Default)]
pub struct Read {
    pub title: Option<String>,
    pub author_name: Option<String>,
    pub author_url: Option<String>,
    /// The thumbnail as an image item (its own URL is the picture).
    pub thumbnail: Option<MediaRef>,
    /// The `description` extension (WordPress, Vimeo, SoundCloud, Dailymotion).
    pub description: Option<String>,
    /// `photo`, `video`, `link` or `rich`, lower-cased.
    pub kind: Option<String>,
    /// The answer's `url`: a photo's image, or the item the answer is about (GIPHY, Tumblr).
    pub url: Option<String>,
    /// The item's width and height (a photo's pixels, a player's size).
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// The embed code, as markup: never a field as it stands (see the module comment).
    pub html: Option<String>,
}

/// What a platform makes of a readable 200 answer.
#[derive(Debug)]
pub enum Reading {
    /// The post: live when it names one of the endpoint's identifying fields.
    Post(PostContent),
    /// The post, live on the answer's word alone: it names the asked item by its id, though
    /// none of its fields (Vimeo's reduced answer for an embed-restricted video).
    NamedById(PostContent),
    /// The answer is about another item, or a field of the platform's own is unreadable:
    /// transient, with this evidence.
    NotThePost(String),
}

impl From<PostContent> for Reading {
    fn from(post: PostContent) -> Reading {
        Reading::Post(post)
    }
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

    /// The `source` name of its answers.
    pub fn source(&self) -> &'static str {
        self.reader.source
    }

    /// Fetch and classify the answer for `post_url` (see [`Reader::classify`]).
    pub async fn resolve<F: Fetch, R: Into<Reading>>(
        &self,
        fetcher: &F,
        post_url: &str,
        item: Option<&str>,
        content: impl FnOnce(Read, &[u8]) -> R,
    ) -> Resolution {
        match fetcher.fetch(self.reader.source, &self.url(post_url)).await {
            Ok(answer) => self.reader.classify(&answer, item, content),
            Err(e) => e.into_transient(),
        }
    }

    /// Classify one answer (see [`Reader::classify`]).
    pub fn classify<R: Into<Reading>>(
        &self,
        answer: &Answer,
        item: Option<&str>,
        content: impl FnOnce(Read, &[u8]) -> R,
    ) -> Resolution {
        self.reader.classify(answer, item, content)
    }
}

impl Reader {
    /// Classify one answer (see the module comment). `item` names what was asked about in the
    /// evidence (`video 235352744`); `content` turns a readable 200 answer (its fields and the
    /// raw body, for platform-specific fields) into the post.
    pub fn classify<R: Into<Reading>>(
        &self,
        answer: &Answer,
        item: Option<&str>,
        content: impl FnOnce(Read, &[u8]) -> R,
    ) -> Resolution {
        let source = self.source;
        let about = item.map(|i| format!(" for {i}")).unwrap_or_default();
        let transient = |evidence: String| Resolution::Transient {
            source: source.to_owned(),
            evidence,
        };
        if let Err(e) = check_status(source, answer) {
            return e.into_transient();
        }
        let status = answer.status;
        if status != 200 {
            return match self.statuses.iter().find(|(s, _)| *s == status) {
                Some((_, Status::Gone)) => self.gone(
                    answer,
                    &about,
                    GoneAnswer {
                        own_error: self.own_error,
                        means: self.gone_means,
                        quote: None,
                    },
                ),
                Some((_, Status::GoneAs(terms))) => self.gone(answer, &about, *terms),
                Some((_, Status::Transient(reason))) => {
                    transient(format!("HTTP {status} from {source}{about}: {reason}"))
                }
                None => transient(format!("HTTP {status} from {source}{about}")),
            };
        }
        if answer.body.len() > MAX_ANSWER_BYTES {
            return transient(format!(
                "answer from {source} is {} bytes, more than an oEmbed answer's {MAX_ANSWER_BYTES}",
                answer.body.len()
            ));
        }
        // The body, not the content type, decides: endpoints send JSON as text/html and their
        // own empty errors with any type, while an edge's page is HTML whatever it is labelled.
        if starts_like_markup(&answer.body) {
            return transient(verdict::not_own_answer(source, answer));
        }
        let oembed = match OembedAnswer::from_json(&answer.body) {
            Ok(o) => o,
            Err(e) => {
                return transient(format!(
                    "unreadable answer from {source}{about} (content-type {}): {e}",
                    answer.content_type.as_deref().unwrap_or("none")
                ));
            }
        };
        let raw = answer.raw();
        let with_source = |mut post: PostContent| {
            post.source = source.to_owned();
            post.raw = vec![raw];
            post
        };
        match content(read(oembed, &answer.url), &answer.body).into() {
            Reading::Post(post) => verdict::live(with_source(post), self.identifying),
            Reading::NamedById(post) => Resolution::Live(with_source(post)),
            Reading::NotThePost(evidence) => transient(evidence),
        }
    }

    /// Gone when the error answer is the endpoint's own (one of `terms.own_error`), with
    /// evidence naming the status, the source, the item, what the status means and the
    /// endpoint's quoted words; transient otherwise.
    fn gone(&self, answer: &Answer, about: &str, terms: GoneAnswer) -> Resolution {
        verdict::gone_if_own_answer(self.source, answer, terms.own_error, || {
            let mut evidence = format!("HTTP {} from {}{about}", answer.status, self.source);
            if !terms.means.is_empty() {
                evidence.push_str(&format!(" ({})", terms.means));
            }
            if let Some(words) = terms.quote.and_then(|field| quoted(&answer.body, field)) {
                evidence.push_str(&format!(": {words}"));
            }
            evidence
        })
    }
}

/// The start of the string `field` of a JSON error object, for evidence; `None` when the body
/// is no JSON object or the field is no non-blank string.
fn quoted(body: &[u8], field: &str) -> Option<String> {
    let serde_json::Value::Object(object) = serde_json::from_slice(body).ok()? else {
        return None;
    };
    let words = snippet(object.get(field)?.as_str()?.as_bytes());
    (!words.is_empty()).then_some(words)
}

/// The fields of a parsed answer, the same way for every platform. `endpoint` is the address
/// that answered: links are read against the answer's `provider_url`, else against it.
fn read(oembed: OembedAnswer, endpoint: &str) -> Read {
    let text = |s: Option<String>| non_empty(s).map(|t| t.trim().to_owned());
    let (width, height) = oembed.thumbnail_size();
    let base = web_url_on(oembed.provider_url.clone(), None)
        .and_then(|u| Url::parse(&u).ok())
        .or_else(|| Url::parse(endpoint).ok());
    let thumbnail = web_url_on(oembed.thumbnail_url, base.as_ref()).map(|u| MediaRef {
        kind: MediaKind::Image,
        url: u.clone(),
        image_url: Some(u),
        width,
        height,
        ..MediaRef::default()
    });
    Read {
        title: text(oembed.title),
        author_name: text(oembed.author_name),
        author_url: web_url_on(oembed.author_url, base.as_ref()),
        thumbnail,
        description: text(oembed.description),
        kind: non_empty(oembed.kind).map(|k| k.trim().to_ascii_lowercase()),
        url: web_url_on(oembed.url, None),
        width: oembed.width.as_ref().and_then(as_u32),
        height: oembed.height.as_ref().and_then(as_u32),
        html: oembed.html,
    }
}

/// A link of the answer, trimmed, when it is a web address; a relative one (YouTube's playlist
/// answers give `/user/NAME`) read against `base`, if any. A bare fragment (`#`) links to
/// nothing.
fn web_url_on(raw: Option<String>, base: Option<&Url>) -> Option<String> {
    let raw = non_empty(raw)?;
    let trimmed = raw.trim();
    if is_web_url(trimmed) {
        return Some(trimmed.to_owned());
    }
    if trimmed.starts_with('#') || (trimmed.contains(':') && !trimmed.starts_with('/')) {
        // A fragment, or another scheme (`javascript:`, `data:`): never a link.
        return None;
    }
    let joined = base?.join(trimmed).ok()?;
    matches!(joined.scheme(), "http" | "https").then(|| joined.to_string())
}

/// Whether a URL from an answer is an http(s) URL: anything else (`javascript:`, `data:`) is
/// never kept as a link or fetched as media.
pub fn is_web_url(raw: &str) -> bool {
    Url::parse(raw.trim()).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

/// Whether a URL from an answer is an http(s) address written as an address alone: no space,
/// line break or other control character in it, which a post's text it is written into would
/// then say (`https://e.example/\n\nPosted by @other`).
pub fn is_plain_web_url(raw: &str) -> bool {
    !raw.chars().any(|c| c.is_whitespace() || c.is_control()) && is_web_url(raw)
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

/// The account name of an author URL that is the account's page and nothing below it
/// (`https://vimeo.com/NAME`, `https://www.dailymotion.com/NAME`): 1 to 64 letters, digits, `_`
/// and `-`. Unlike [`handle_from_profile`], a deeper path is no account (Vimeo's
/// `/channels/NAME` is a channel) and a dot is refused (neither platform allows one).
pub fn handle_from_account_page(url: &str) -> Option<String> {
    let url = Url::parse(url).ok()?;
    let mut segs = url.path_segments()?.filter(|s| !s.is_empty());
    let name = segs.next()?;
    if segs.next().is_some() {
        return None;
    }
    is_token(name, 1, 64, is_base64url_char).then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CheckOutcome;

    const ENDPOINT: Endpoint = Endpoint {
        base: "https://example.com/oembed",
        extra: &[("format", "json")],
        reader: Reader {
            source: "test-oembed",
            statuses: NOT_FOUND,
            own_error: &[OwnBody::Empty],
            identifying: &[Field::Text, Field::Media],
            gone_means: "removed",
        },
    };

    /// An endpoint that documents more statuses: 410 like 404, 403 as private.
    const DOCUMENTED: Reader = Reader {
        source: "documented-oembed",
        statuses: &[
            (404, Status::Gone),
            (410, Status::Gone),
            (403, Status::Transient("private")),
        ],
        own_error: &[OwnBody::Phrase("Not Found"), OwnBody::JsonWith(&["error"])],
        identifying: &[Field::Text],
        gone_means: "",
    };

    /// An endpoint whose 403 is gone on its own terms: only in its JSON error object (never
    /// empty), with its own meaning, quoting the object's words.
    const OWN_TERMS: Reader = Reader {
        source: "terms-oembed",
        statuses: &[
            (404, Status::Gone),
            (
                403,
                Status::GoneAs(GoneAnswer {
                    own_error: &[OwnBody::JsonWith(&["error"])],
                    means: "protected",
                    quote: Some("error"),
                }),
            ),
        ],
        own_error: &[OwnBody::Empty, OwnBody::JsonWith(&["error"])],
        identifying: &[Field::Text],
        gone_means: "",
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
        let cases: [(u16, &str, &[u8]); 10] = [
            (200, "application/json", b"{\"title\":"),
            (200, "application/json", b"[]"),
            (200, "application/json", b"{}"),
            (200, "text/html", b"<html><body>Sorry</body></html>"),
            // An HTML page labelled as JSON is still no answer.
            (
                200,
                "application/json",
                b"  <!doctype html><title>t</title>",
            ),
            (200, "application/json", big.as_bytes()),
            // A 404 page from something in front of the endpoint, not the endpoint's own.
            (404, "text/html", b"<html><h1>404 Not Found</h1></html>"),
            (403, "text/html", b"<html>blocked</html>"),
            (401, "application/json", b""),
            (503, "text/html", b"<html>down</html>"),
        ];
        for (status, content_type, body) in cases {
            let got = ENDPOINT.classify(&answer(status, content_type, body), None, plain);
            assert_eq!(
                got.outcome(),
                Some(CheckOutcome::Transient),
                "{status} {:?}: {got:?}",
                String::from_utf8_lossy(&body[..body.len().min(40)])
            );
        }
        // 410 is not in this endpoint's table: its own empty body proves nothing.
        assert_eq!(
            ENDPOINT
                .classify(&answer(410, "text/plain", b""), None, plain)
                .outcome(),
            Some(CheckOutcome::Transient)
        );
    }

    #[test]
    fn own_404_is_gone() {
        let got = ENDPOINT.classify(&answer(404, "text/plain", b""), None, plain);
        assert_eq!(
            got,
            Resolution::Gone {
                source: "test-oembed".into(),
                evidence: "HTTP 404 from test-oembed (removed)".into()
            }
        );
    }

    #[test]
    fn the_status_table_reads_each_status_as_documented() {
        let gone = DOCUMENTED.classify(
            &answer(410, "application/json", br#"{"error":"deleted"}"#),
            Some("item 7"),
            plain,
        );
        assert_eq!(
            gone,
            Resolution::Gone {
                source: "documented-oembed".into(),
                evidence: "HTTP 410 from documented-oembed for item 7".into()
            }
        );
        // Gone only in the endpoint's own body.
        assert_eq!(
            DOCUMENTED
                .classify(&answer(404, "text/plain", b""), None, plain)
                .outcome(),
            Some(CheckOutcome::Transient)
        );
        assert_eq!(
            DOCUMENTED.classify(
                &answer(403, "text/plain", b"Not Found"),
                Some("item 7"),
                plain
            ),
            Resolution::Transient {
                source: "documented-oembed".into(),
                evidence: "HTTP 403 from documented-oembed for item 7: private".into()
            }
        );
        for status in [400, 401, 429, 500] {
            assert_eq!(
                DOCUMENTED
                    .classify(&answer(status, "text/plain", b"Not Found"), None, plain)
                    .outcome(),
                Some(CheckOutcome::Transient),
                "{status}"
            );
        }
    }

    #[test]
    fn a_status_may_be_gone_on_its_own_terms() {
        let gone = |evidence: &str| Resolution::Gone {
            source: "terms-oembed".into(),
            evidence: evidence.into(),
        };
        let classify = |status: u16, body: &[u8]| {
            OWN_TERMS.classify(
                &answer(status, "application/json", body),
                Some("post 1"),
                plain,
            )
        };
        // The other statuses keep the reader's own bodies and meaning.
        assert_eq!(
            classify(404, b""),
            gone("HTTP 404 from terms-oembed for post 1")
        );
        // The endpoint's words, whitespace collapsed, after the status's meaning.
        assert_eq!(
            classify(
                403,
                b"{\"error\":\"  Sorry, you are\\n\\t not authorized. \"}"
            ),
            gone(
                "HTTP 403 from terms-oembed for post 1 (protected): Sorry, you are not authorized."
            )
        );
        // Its own body with nothing to quote: the meaning alone.
        for body in [&br#"{"error":7}"#[..], br#"{"error":" "}"#] {
            assert_eq!(
                classify(403, body),
                gone("HTTP 403 from terms-oembed for post 1 (protected)")
            );
        }
        // Hostile: a long message is cut, never kept whole in the evidence.
        let long = format!(r#"{{"error":"{}"}}"#, "a".repeat(500));
        let Resolution::Gone { evidence, .. } = classify(403, long.as_bytes()) else {
            panic!("expected gone");
        };
        assert!(evidence.ends_with('…'), "{evidence}");
        assert!(evidence.chars().count() < 200, "{evidence}");
        // Bodies the reader takes as its own at 404 are not its own at 403.
        for body in [&b""[..], br#"{"errors":[]}"#, b"<html>403</html>"] {
            let got = classify(403, body);
            assert_eq!(got.outcome(), Some(CheckOutcome::Transient), "{got:?}");
        }
    }

    #[test]
    fn the_platform_may_vouch_for_the_post_or_refuse_it() {
        let bare = answer(200, "application/json", br#"{"type":"video","video_id":7}"#);
        assert_eq!(
            ENDPOINT.classify(&bare, None, plain).outcome(),
            Some(CheckOutcome::Transient)
        );
        let Resolution::Live(post) = ENDPOINT.classify(&bare, None, |_, _| {
            Reading::NamedById(PostContent::default())
        }) else {
            panic!("named by id is live");
        };
        assert_eq!(post.source, "test-oembed");
        assert_eq!(post.raw.len(), 1);
        let titled = answer(200, "application/json", br#"{"title":"t"}"#);
        assert_eq!(
            ENDPOINT.classify(&titled, None, |_, _| Reading::NotThePost("other".into())),
            Resolution::Transient {
                source: "test-oembed".into(),
                evidence: "other".into()
            }
        );
    }

    #[test]
    fn fields_come_from_the_answer_never_from_its_html() {
        let body = br#"{"title":"  Song  ","author_url":"javascript:alert(1)","thumbnail_url":"javascript:alert(2)","url":"data:image/png;base64,AAAA","description":" d ","type":" Photo ","width":"640","height":480,"html":"<script>alert(3)</script><a href=\"javascript:alert(4)\">x</a>"}"#;
        let mut seen = None;
        let Resolution::Live(post) =
            ENDPOINT.classify(&answer(200, "application/json", body), None, |read, b| {
                seen = Some((
                    read.description.clone(),
                    read.kind.clone(),
                    read.url.clone(),
                    read.width,
                    read.height,
                ));
                plain(read, b)
            })
        else {
            panic!("expected live");
        };
        assert_eq!(post.title.as_deref(), Some("Song"));
        assert_eq!(post.author_url, None);
        assert!(post.media.is_empty());
        assert_eq!(post.text, None);
        assert_eq!(post.source, "test-oembed");
        assert_eq!(post.raw.len(), 1);
        assert_eq!(
            seen,
            Some((
                Some("d".into()),
                Some("photo".into()),
                None,
                Some(640),
                Some(480)
            ))
        );
        let links = br#"{"author_url":" https://example.com/u ","thumbnail_url":"https://example.com/t.jpg","thumbnail_width":320}"#;
        let Resolution::Live(post) =
            ENDPOINT.classify(&answer(200, "application/json", links), None, plain)
        else {
            panic!("expected live");
        };
        assert_eq!(post.author_url.as_deref(), Some("https://example.com/u"));
        assert_eq!(
            post.media[0].image_url.as_deref(),
            Some("https://example.com/t.jpg")
        );
        assert_eq!(post.media[0].width, Some(320));
    }

    #[test]
    fn handles() {
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
        assert_eq!(
            handle_from_account_page("https://vimeo.com/vimeomarketing").as_deref(),
            Some("vimeomarketing")
        );
        assert_eq!(
            handle_from_account_page("https://www.dailymotion.com/auer1/").as_deref(),
            Some("auer1")
        );
        for no in [
            "https://vimeo.com/channels/staffpicks",
            "https://vimeo.com/",
            "https://www.dailymotion.com/a.b",
            "not a url",
        ] {
            assert_eq!(handle_from_account_page(no), None, "{no}");
        }
        let long = format!("https://vimeo.com/{}", "a".repeat(65));
        assert_eq!(handle_from_account_page(&long), None);
    }

    #[test]
    fn answer_links_are_web_addresses_relative_ones_read_against_the_provider() {
        let base = Url::parse("https://www.youtube.com/").expect("base");
        let cases = [
            (
                "https://www.youtube.com/@a",
                Some("https://www.youtube.com/@a"),
            ),
            (
                " /user/Scadrei5 ",
                Some("https://www.youtube.com/user/Scadrei5"),
            ),
            ("//cdn.example/x.jpg", Some("https://cdn.example/x.jpg")),
            ("channel/UC1", Some("https://www.youtube.com/channel/UC1")),
            ("#", None),
            ("#top", None),
            ("javascript:alert(1)", None),
            ("data:text/html,x", None),
            ("", None),
        ];
        for (raw, want) in cases {
            assert_eq!(
                web_url_on(Some(raw.to_owned()), Some(&base)).as_deref(),
                want,
                "{raw:?}"
            );
        }
        assert_eq!(web_url_on(Some("/user/a".into()), None), None);
    }
}
