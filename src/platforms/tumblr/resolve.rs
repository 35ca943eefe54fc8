//! Tumblr's two public sources, asked in order:
//!
//! - `tumblr-oembed`: `https://www.tumblr.com/oembed/1.0?url=POST`. It names the blog (author)
//!   and the post's URL, nothing of its content. Live when its `url` is the asked post; a 404
//!   is gone only in the API's own envelope (`{"meta": {"status": 404, …}, "response": …}`,
//!   Tumblr's documented error shape; no 404 was recorded).
//! - `tumblr-page`: the post on its blog, `https://BLOG.tumblr.com/post/ID`, read by
//!   [`page::meta`](crate::platforms::page::meta). Its schema.org `SocialMediaPosting`
//!   (JSON-LD) gives the publication time, the blog and the first image; Tumblr's own part is
//!   that the posting's `author` is the blog's name. A page never says gone here: blogs answer
//!   with their own themes, so an error page is transient.
//!
//! The page only enriches a live oEmbed answer; when oEmbed says gone, the page is not asked;
//! when oEmbed cannot decide, the page's verdict stands.

use url::Url;

use crate::model::{EmbedRef, MediaKind, MediaRef, PostContent, Resolution};
use crate::platforms::oembed_endpoint::{Endpoint, NOT_FOUND, Read, Reader, Reading};
use crate::platforms::page::meta;
use crate::platforms::readers::{constant_url, quoted_or_none};
use crate::platforms::source::{self, Answer, Fetch, SourceError, check_status};
use crate::platforms::verdict::{self, Field, OwnBody};

/// Source name of the oEmbed endpoint.
pub const OEMBED_SOURCE: &str = "tumblr-oembed";
/// Source name of the post's page.
pub const PAGE_SOURCE: &str = "tumblr-page";

/// The oEmbed endpoint, read by the one oEmbed reader.
pub const OEMBED: Endpoint = Endpoint {
    base: "https://www.tumblr.com/oembed/1.0",
    extra: &[],
    reader: Reader {
        source: OEMBED_SOURCE,
        statuses: NOT_FOUND,
        // The API's error envelope.
        own_error: &[OwnBody::JsonWith(&["meta", "response"])],
        // The blog that posted it.
        identifying: &[Field::Author],
        gone_means: "",
    },
};

/// Where relative addresses of a page whose own address does not parse are resolved.
const TUMBLR: &str = "https://www.tumblr.com/";

/// What makes a page a live post: its time or its picture.
const PAGE_IDENTIFYING: &[Field] = &[Field::Published, Field::Media];

/// The blog and post id of a canonical `https://www.tumblr.com/BLOG/ID` URL.
fn blog_and_id(post_url: &str) -> Option<(String, String)> {
    let url = Url::parse(post_url).ok()?;
    let recognised = super::recognise(&url)?;
    let id = recognised.post_id?;
    let canonical = Url::parse(&recognised.canonical_url).ok()?;
    if canonical.host_str() != Some("www.tumblr.com") {
        return None;
    }
    let blog = canonical.path_segments()?.next()?.to_owned();
    Some((blog, id))
}

/// The post on its blog: `https://BLOG.tumblr.com/post/ID`.
pub fn page_url(blog: &str, id: &str) -> Option<Url> {
    Url::parse(&format!("https://{blog}.tumblr.com/post/{id}")).ok()
}

/// The oEmbed request, naming the post by its blog URL as the recorded request does.
pub fn oembed_url(post_url: &Url) -> Url {
    OEMBED.url(post_url.as_str())
}

/// Whether `url` is post `id`.
fn names_post(url: &str, id: &str) -> bool {
    Url::parse(url)
        .ok()
        .and_then(|u| super::recognise(&u))
        .and_then(|r| r.post_id)
        .is_some_and(|p| p == id)
}

/// Classify the oEmbed answer about post `id`.
pub fn parse_oembed(answer: &Answer, id: &str) -> Resolution {
    OEMBED.classify(answer, Some(&format!("post {id}")), |read, _| {
        oembed_content(read, id)
    })
}

/// The blog of the post, when the answer's `url` is post `id`.
fn oembed_content(read: Read, id: &str) -> Reading {
    if !read.url.as_deref().is_some_and(|u| names_post(u, id)) {
        return Reading::NotThePost(format!(
            "answer from {OEMBED_SOURCE} names {}, not post {id}",
            quoted_or_none(read.url.as_deref())
        ));
    }
    Reading::Post(PostContent {
        author_name: read.author_name,
        author_handle: read
            .author_url
            .as_deref()
            .and_then(|u| Url::parse(u).ok())
            .and_then(|u| super::recognise(&u))
            .filter(|r| r.post_id.is_none())
            .and_then(|r| r.canonical_url.rsplit('/').next().map(str::to_owned)),
        author_url: read.author_url,
        ..PostContent::default()
    })
}

/// Classify the post's page about post `id`.
pub fn parse_page(answer: &Answer, id: &str) -> Resolution {
    let transient = |evidence: String| Resolution::Transient {
        source: PAGE_SOURCE.to_owned(),
        evidence,
    };
    if let Err(e) = check_status(PAGE_SOURCE, answer) {
        return e.into_transient();
    }
    if answer.status != 200 {
        return transient(format!(
            "HTTP {} from {PAGE_SOURCE} for post {id}: a blog page says nothing for sure",
            answer.status
        ));
    }
    let html = String::from_utf8_lossy(&answer.body);
    let page_url = Url::parse(&answer.url).unwrap_or_else(|_| constant_url(TUMBLR));
    let page = meta::read(&html, &page_url);
    // A blog's own page names the blog's title as its site (as oEmbed's `author_name` does);
    // pages on Tumblr's own layout name Tumblr.
    let title = page
        .meta("og:site_name")
        .filter(|name| !name.eq_ignore_ascii_case("tumblr"))
        .map(str::to_owned);
    let Some(posting) = page.json_ld.filter(|ld| ld.kind == "SocialMediaPosting") else {
        return transient(format!("page from {PAGE_SOURCE} has no post data for {id}"));
    };
    let url = posting.url.as_ref().map(Url::as_str).unwrap_or("");
    if !names_post(url, id) {
        return transient(format!(
            "page from {PAGE_SOURCE} describes {url:?}, not post {id}"
        ));
    }
    let image = posting
        .image
        .filter(|u| u.scheme() == "https")
        .map(String::from);
    // The posting's author is the blog's name, which is also its handle.
    let blog = posting
        .author_name
        .filter(|a| a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    let content = PostContent {
        source: PAGE_SOURCE.to_owned(),
        author_name: title,
        text: posting.text,
        author_url: blog
            .as_deref()
            .map(|b| format!("https://www.tumblr.com/{b}")),
        author_handle: blog,
        published_at: posting.published_at,
        media: image
            .map(|url| MediaRef {
                kind: MediaKind::Image,
                url: url.clone(),
                image_url: Some(url),
                ..MediaRef::default()
            })
            .into_iter()
            .collect(),
        raw: vec![answer.raw()],
        ..PostContent::default()
    };
    verdict::live(content, PAGE_IDENTIFYING)
}

/// Resolve one Tumblr post, against any fetcher.
pub(crate) async fn resolve_with<F: Fetch>(fetcher: &F, embed: &EmbedRef) -> Resolution {
    let Some((blog, id)) = blog_and_id(&embed.post_url) else {
        // The embed iframe names the blog by an opaque key: no public source takes it.
        return SourceError::BadPostId {
            source_name: OEMBED_SOURCE.to_owned(),
            post_id: embed.post_url.clone(),
            reason: "no blog name to ask about (only an embed key)".to_owned(),
        }
        .into_transient();
    };
    let Some(page) = page_url(&blog, &id) else {
        return SourceError::BadPostId {
            source_name: PAGE_SOURCE.to_owned(),
            post_id: embed.post_url.clone(),
            reason: "the blog name makes no host".to_owned(),
        }
        .into_transient();
    };
    let first = match fetcher.fetch(OEMBED_SOURCE, &oembed_url(&page)).await {
        Ok(answer) => parse_oembed(&answer, &id),
        Err(e) => e.into_transient(),
    };
    if let Resolution::Gone { .. } = first {
        return first;
    }
    let second = match fetcher.fetch(PAGE_SOURCE, &page).await {
        Ok(answer) => parse_page(&answer, &id),
        Err(e) => e.into_transient(),
    };
    combine(first, second)
}

/// oEmbed's verdict enriched by the page's: a live oEmbed answer takes the page's time and
/// picture; an undecided oEmbed answer yields to the page.
pub fn combine(oembed: Resolution, page: Resolution) -> Resolution {
    match (oembed, page) {
        (Resolution::Live(post), Resolution::Live(more)) => Resolution::Live(PostContent {
            author_handle: post.author_handle.or(more.author_handle),
            published_at: more.published_at,
            media: more.media,
            raw: post.raw.into_iter().chain(more.raw).collect(),
            ..post
        }),
        (live @ Resolution::Live(_), _) => live,
        (gone @ Resolution::Gone { .. }, _) => gone,
        (first @ Resolution::Transient { .. }, second @ Resolution::Transient { .. }) => {
            Resolution::Transient {
                source: OEMBED_SOURCE.to_owned(),
                evidence: source::join_evidence(&first, &second),
            }
        }
        (_, verdict) => verdict,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CheckOutcome, EmbedKind, Location, Platform};
    use crate::platforms::replay::{Replay, fixture_answer};

    const ID: &str = "165326273724";
    const PAGE: &str = "https://he-who-photographs-rather-ok.tumblr.com/post/165326273724";

    fn answer(status: u16, content_type: &str, body: &str) -> Answer {
        Answer {
            url: PAGE.into(),
            status,
            content_type: Some(content_type.into()),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn recorded_oembed_names_the_blog() {
        let a = fixture_answer(
            PAGE,
            200,
            "application/json",
            "tumblr/oembed-165326273724.json",
        );
        let Resolution::Live(c) = parse_oembed(&a, ID) else {
            panic!("expected live");
        };
        assert_eq!(
            c.author_name.as_deref(),
            Some("He-who-photographs-rather-OK")
        );
        assert_eq!(
            c.author_url.as_deref(),
            Some("https://www.tumblr.com/he-who-photographs-rather-ok")
        );
        assert_eq!(
            c.author_handle.as_deref(),
            Some("he-who-photographs-rather-ok")
        );
        assert_eq!(
            parse_oembed(&a, "1").outcome(),
            Some(CheckOutcome::Transient)
        );
    }

    #[test]
    fn recorded_page_names_time_and_picture() {
        let a = fixture_answer(PAGE, 200, "text/html", "tumblr/page-165326273724.html");
        let Resolution::Live(c) = parse_page(&a, ID) else {
            panic!("expected live");
        };
        assert_eq!(
            c.published_at.map(|d| d.to_rfc3339()).as_deref(),
            Some("2017-09-14T10:20:35+00:00")
        );
        let image = "https://64.media.tumblr.com/0a0fac1ef8faa0c466d9224567af06aa/tumblr_ow8r0nMybA1spmyulo1_1280.jpg";
        assert_eq!(c.media.len(), 1);
        assert_eq!(c.media[0].image_url.as_deref(), Some(image));
        assert_eq!(
            c.author_handle.as_deref(),
            Some("he-who-photographs-rather-ok")
        );
        // Its `og:site_name` is Tumblr's, not the blog's title.
        assert_eq!(c.author_name, None);
        assert_eq!(parse_page(&a, "1").outcome(), Some(CheckOutcome::Transient));
        // A 2017 page of the blog's own theme names the blog's title, and the post's text.
        let old = fixture_answer(
            "https://regnumsaturni.tumblr.com/post/155685354066",
            200,
            "text/html",
            "tumblr/peer-page-regnumsaturni-155685354066-2017.html",
        );
        let Resolution::Live(c) = parse_page(&old, "155685354066") else {
            panic!("expected live");
        };
        assert_eq!(c.author_name.as_deref(), Some("REGNUM SATURNI"));
        assert_eq!(c.author_handle.as_deref(), Some("regnumsaturni"));
        assert_eq!(c.text.as_deref(), Some("Mount Gloom"));
    }

    #[test]
    fn error_and_hostile_answers() {
        let oembed_cases = [
            (
                answer(
                    404,
                    "application/json",
                    r#"{"meta":{"status":404,"msg":"Not Found"},"response":[]}"#,
                ),
                CheckOutcome::Gone,
            ),
            (
                answer(404, "text/html", "<html>There's nothing here.</html>"),
                CheckOutcome::Transient,
            ),
            (answer(404, "application/json", ""), CheckOutcome::Transient),
            (answer(429, "application/json", ""), CheckOutcome::Transient),
            (answer(503, "text/html", ""), CheckOutcome::Transient),
            (
                answer(401, "application/json", "{}"),
                CheckOutcome::Transient,
            ),
            (answer(200, "text/html", "<html>"), CheckOutcome::Transient),
            (
                answer(200, "application/json", "{}"),
                CheckOutcome::Transient,
            ),
            (
                answer(
                    200,
                    "application/json",
                    r#"{"author_name":"x","url":"https://evil.example/post/165326273724"}"#,
                ),
                CheckOutcome::Transient,
            ),
        ];
        for (i, (a, want)) in oembed_cases.into_iter().enumerate() {
            let got = parse_oembed(&a, ID);
            assert_eq!(got.outcome(), Some(want), "oembed case {i}: {got:?}");
        }
        // An answer that names no post says so in words, not in Rust's `None`.
        let nameless = parse_oembed(
            &answer(200, "application/json", r#"{"author_name":"x"}"#),
            ID,
        );
        match nameless {
            Resolution::Transient { evidence, .. } => {
                assert!(evidence.contains("names (none), not post"), "{evidence}")
            }
            other => panic!("expected transient, got {other:?}"),
        }
        for (status, body) in [
            (404, "<html>There's nothing here.</html>"),
            (200, "<html><body>no data</body></html>"),
            (
                200,
                r#"<script type="application/ld+json">{"@type":"SocialMediaPosting","url":"javascript:alert(1)","image":"javascript:alert(2)"}</script>"#,
            ),
        ] {
            let got = parse_page(&answer(status, "text/html", body), ID);
            assert_eq!(
                got.outcome(),
                Some(CheckOutcome::Transient),
                "page {status} {body}"
            );
        }
        // Script in oEmbed html is never read: only plain fields are kept.
        let hostile = r#"{"author_name":"A","url":"https://www.tumblr.com/a/165326273724","html":"<script>alert(1)</script>"}"#;
        let Resolution::Live(c) = parse_oembed(&answer(200, "application/json", hostile), ID)
        else {
            panic!("expected live");
        };
        assert_eq!(c.text, None);
        assert_eq!(c.title, None);
    }

    #[tokio::test]
    async fn recorded_flow_reads_oembed_then_the_page() {
        let replay = Replay::from_manifest();
        let embed = EmbedRef {
            platform: Platform::Tumblr,
            kind: EmbedKind::Post,
            post_url: "https://www.tumblr.com/he-who-photographs-rather-ok/165326273724".into(),
            post_id: Some(ID.into()),
            location: Location::Dom,
            evidence: "div.tumblr-post".into(),
            markup: String::new(),
            author_name: None,
            author_handle: None,
            text: None,
            published_at: None,
        };
        let got = resolve_with(&replay, &embed).await;
        let Resolution::Live(c) = got else {
            panic!("expected live, got {got:?}");
        };
        assert_eq!(c.source, OEMBED_SOURCE);
        assert_eq!(
            c.author_name.as_deref(),
            Some("He-who-photographs-rather-OK")
        );
        assert!(c.published_at.is_some());
        assert_eq!(c.media.len(), 1);
        assert_eq!(c.raw.len(), 2);
        assert_eq!(
            replay.requests(),
            vec![
                "https://www.tumblr.com/oembed/1.0?url=https%3A%2F%2Fhe-who-photographs-rather-ok.tumblr.com%2Fpost%2F165326273724".to_owned(),
                PAGE.to_owned(),
            ]
        );
        // An embed iframe URL names no blog: transient without a request.
        let keyed = EmbedRef {
            post_url: "https://embed.tumblr.com/embed/post/t:BO6uqE2CY7O6bfroQfSY6Q/165326273724"
                .into(),
            ..embed
        };
        assert_eq!(
            resolve_with(&replay, &keyed).await.outcome(),
            Some(CheckOutcome::Transient)
        );
    }
}
