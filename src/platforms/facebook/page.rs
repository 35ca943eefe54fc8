//! What a Facebook post's own page says once the shared page reader has read it; it is read when
//! the plugin (and Graph, with a token) could not decide. A post page seen logged out (a 2023
//! page is recorded in `tests/fixtures/samples/facebook/peer-page-*`) writes the poster's name
//! as `og:title` and the post's text as `og:description`, and its time only as the
//! `data-utime` (unix seconds) of an `<abbr>`. Walls ("Log into Facebook") are left to the
//! shared reader, which reads them as walls.

use scraper::Selector;

use crate::model::PostContent;
use crate::platforms::readers::{parse_document, reread};

/// The post with the page's title read as its author, and its one timestamp as its time.
pub(super) fn refine(mut content: PostContent) -> PostContent {
    // A post has no title of its own: the card's title is whoever posted it.
    if content.author_name.is_none() {
        content.author_name = content.title.take();
    } else {
        content.title = None;
    }
    if content.published_at.is_none() {
        content.published_at = reread(&content).and_then(|html| only_timestamp(&html));
    }
    content
}

/// The time of the page's one `abbr[data-utime]`: a page with more (comments, other posts) does
/// not say which is the post's.
fn only_timestamp(html: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let doc = parse_document(html);
    let selector = Selector::parse("abbr[data-utime]").ok()?;
    let mut stamps = doc.select(&selector);
    let only = stamps.next()?;
    if stamps.next().is_some() {
        return None;
    }
    let seconds: i64 = only.value().attr("data-utime")?.trim().parse().ok()?;
    chrono::DateTime::from_timestamp(seconds, 0).filter(|_| seconds > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RawBody;

    fn page(title: &str, body: &str) -> PostContent {
        PostContent {
            title: Some(title.into()),
            text: Some("Nothing comes between us".into()),
            raw: vec![RawBody {
                url: String::new(),
                content_type: None,
                bytes: body.as_bytes().to_vec(),
            }],
            ..PostContent::default()
        }
    }

    #[test]
    fn the_title_is_the_poster_and_the_one_stamp_the_time() {
        let got = refine(page(
            "Little Mix",
            r#"<abbr data-utime="1653593204">Thursday</abbr>"#,
        ));
        assert_eq!(got.author_name.as_deref(), Some("Little Mix"));
        assert_eq!(got.title, None);
        assert_eq!(
            got.published_at.map(|t| t.to_rfc3339()).as_deref(),
            Some("2022-05-26T19:26:44+00:00")
        );
        // Two stamps (a comment's): neither is taken; a stamp that is no number neither.
        for body in [
            r#"<abbr data-utime="1653593204"></abbr><abbr data-utime="1653600000"></abbr>"#,
            r#"<abbr data-utime="soon"></abbr>"#,
            r#"<abbr data-utime="-5"></abbr>"#,
        ] {
            assert_eq!(
                refine(page("Little Mix", body)).published_at,
                None,
                "{body}"
            );
        }
    }

    /// The recorded login wall (served for a profile in 2022; post pages get the same wall) is
    /// never read as the post.
    #[test]
    fn the_login_wall_is_no_post() {
        let post = "https://www.facebook.com/LittleMix/posts/pfbid0E7xrT6BDrv7r7Ry3kHUSdw2naE6BdFBgH2gTsEY9h1a64DdM3vqPyq8gXaFY5rqhl";
        let answer = crate::platforms::replay::fixture_answer(
            post,
            200,
            "text/html; charset=utf-8",
            "facebook/peer-login-wall-ironmaiden-2022.html",
        );
        let requested = url::Url::parse(post).expect("post URL");
        let (verdict, _) = crate::platforms::page::classify(&answer, &requested);
        let crate::model::Resolution::Transient { evidence, .. } = verdict else {
            panic!("expected transient, got {:?}", verdict.outcome());
        };
        assert!(evidence.contains("wall"), "{evidence}");
    }
}
