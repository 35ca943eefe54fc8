//! What Instagram's own post page (`/p/CODE/`) says about a post, once the shared page reader
//! has read its OpenGraph tags. Instagram writes the post into two lines meant for link
//! previews, not fields:
//!
//! - `og:description`, in one of two shapes:
//!   - until about 2021: `361 Likes, 3 Comments - NAME (@HANDLE) on Instagram: “CAPTION…”`
//!     (a recorded page in `tests/fixtures/samples/instagram/`);
//!   - since: `1,234 likes, 56 comments - HANDLE on March 5, 2024: "CAPTION"`;
//!   - for an account without a display name (a 2020 page):
//!     `@HANDLE posted on Instagram: “CAPTION” • See all of @HANDLE's photos and videos…`;
//!   - on a 2022 page seen logged out: `NAME shared a post on Instagram: "CAPTION". Follow
//!     their account to see 182 posts.`, whose handle is only in its `twitter:title`,
//!     `NAME (@HANDLE) • Instagram photos and videos`.
//! - `og:title`: `NAME on Instagram: "CAPTION"` (`@HANDLE on Instagram: …` without a name).
//!
//! Read as they are, the post's text would start with its like count (so it would change at
//! every check) and its title would repeat the caption. This reads the author's name, handle,
//! the date and the caption out of them; a line in neither shape is left as it is.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use crate::model::PostContent;
use crate::platforms::readers::reread;

/// The counts that open the description, in any case and with thousands separators or a
/// K/M suffix.
const COUNTS: &str = r"[\d.,]+[KkMm]?\s+likes?,\s*[\d.,]+[KkMm]?\s+comments?\s+-\s+";

/// `NAME (@HANDLE) on Instagram: “CAPTION”`, counts first or not.
static OLD_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"(?is)^(?:{COUNTS})?(?P<name>.+?)\s+\(@(?P<handle>[A-Za-z0-9._]{{1,30}})\)\s+on Instagram(?::\s*[“"](?P<caption>.*?)[”"]?)?\s*$"#
    ))
    .expect("constant pattern")
});

/// `HANDLE on March 5, 2024: "CAPTION"`, counts first; a post without a caption (a reel with
/// none) ends at the date: `152K likes, 784 comments - HANDLE on April 19, 2021`.
static NEW_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"(?is)^{COUNTS}(?P<handle>[A-Za-z0-9._]{{1,30}})\s+on\s+(?P<date>[A-Z][a-z]+ \d{{1,2}}, \d{{4}})(?::\s*[“"](?P<caption>.*?)[”"]?)?\.?\s*$"#
    ))
    .expect("constant pattern")
});

/// `@HANDLE posted on Instagram: “CAPTION” • See all of …`: an account without a display name.
static POSTED_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?is)^@(?P<handle>[A-Za-z0-9._]{1,30})\s+posted on Instagram(?::\s*[“"](?P<caption>.*?)[”"])?\s*(?:•.*)?$"#,
    )
    .expect("constant pattern")
});

/// `NAME shared a post on Instagram: "CAPTION". Follow their account to see N posts.`
static SHARED_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?is)^(?P<name>.+?)\s+shared a post on Instagram:\s*[“"](?P<caption>.*?)[”"]\.?\s*(?:Follow their account to see [\d.,]+[KkMm]? posts?\.?)?\s*$"#,
    )
    .expect("constant pattern")
});

/// The `twitter:title` of a post page: `NAME (@HANDLE) • Instagram photos and videos`.
static CARD_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)^(?P<name>.+?)\s+\(@(?P<handle>[A-Za-z0-9._]{1,30})\)\s+•\s+Instagram\b")
        .expect("constant pattern")
});

/// `NAME on Instagram: …`, or `NAME on Instagram` alone for a post without a caption: the
/// name before it.
static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?s)^(?P<name>.+?)\s+on Instagram(?::\s*[“"]|\s*$)"#).expect("constant pattern")
});

/// The post as its page's preview lines describe it.
#[derive(Debug, Default, PartialEq)]
struct Lines {
    name: Option<String>,
    handle: Option<String>,
    date: Option<NaiveDate>,
    caption: Option<String>,
}

/// Read the description and title lines; `None` when the description is in neither shape.
fn read_lines(description: &str, title: Option<&str>) -> Option<Lines> {
    let non_empty = |s: &str| {
        let s = s.trim();
        (!s.is_empty()).then(|| s.to_owned())
    };
    let mut lines = if let Some(c) = OLD_LINE.captures(description) {
        Lines {
            name: non_empty(&c["name"]),
            handle: non_empty(&c["handle"]),
            date: None,
            caption: c.name("caption").and_then(|m| non_empty(m.as_str())),
        }
    } else if let Some(c) = NEW_LINE.captures(description) {
        Lines {
            name: None,
            handle: non_empty(&c["handle"]),
            // A day still to come is no post's (a page, or a line, that says so is wrong).
            date: NaiveDate::parse_from_str(&c["date"], "%B %d, %Y")
                .ok()
                .filter(|d| *d <= chrono::Utc::now().date_naive() + chrono::Duration::days(1)),
            caption: c.name("caption").and_then(|m| non_empty(m.as_str())),
        }
    } else if let Some(c) = SHARED_LINE.captures(description) {
        Lines {
            name: non_empty(&c["name"]),
            handle: None,
            date: None,
            caption: non_empty(&c["caption"]),
        }
    } else if let Some(c) = POSTED_LINE.captures(description) {
        Lines {
            name: None,
            handle: non_empty(&c["handle"]),
            date: None,
            caption: c.name("caption").and_then(|m| non_empty(m.as_str())),
        }
    } else {
        return None;
    };
    if lines.name.is_none() {
        // A title that opens with the handle names no display name.
        lines.name = title
            .and_then(|t| TITLE.captures(t))
            .and_then(|c| non_empty(&c["name"]))
            .filter(|name| !name.starts_with('@'));
    }
    Some(lines)
}

/// The post read from its page, with the preview lines read into fields: the caption as its
/// text, no title (an Instagram post has none; the page's title line repeats the caption), and
/// the author's name, handle, profile and the date where the page's own fields gave none.
pub(super) fn refine(mut content: PostContent) -> PostContent {
    let Some(lines) = content
        .text
        .as_deref()
        .and_then(|d| read_lines(d, content.title.as_deref()))
    else {
        return content;
    };
    content.text = lines.caption;
    content.title = None;
    content.author_handle = content.author_handle.or(lines.handle);
    content.author_name = content.author_name.or(lines.name);
    content.author_url = content
        .author_url
        .or_else(|| content.author_handle.as_deref().map(super::profile_url));
    content.published_at = content.published_at.or_else(|| {
        lines
            .date
            .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
    });
    content
}

/// The author's handle from the page's `twitter:title` (`NAME (@HANDLE) • Instagram …`), where
/// nothing else gave one and the name there is the author's name already read: the line
/// describes the account the page belongs to, which only the matching name ties to the post.
pub(super) fn fill_handle_from_card(mut content: PostContent, page_url: &str) -> PostContent {
    let Some(name) = content.author_name.as_deref() else {
        return content;
    };
    if content.author_handle.is_some() {
        return content;
    }
    let (Some(html), Ok(page_url)) = (reread(&content), url::Url::parse(page_url)) else {
        return content;
    };
    let page = crate::platforms::page::meta::read(&html, &page_url);
    let handle = page
        .meta("twitter:title")
        .and_then(|t| CARD_TITLE.captures(t))
        .filter(|c| c["name"].trim() == name)
        .map(|c| c["handle"].to_owned());
    if handle.is_some() {
        content.author_handle = handle;
        content.author_url = content
            .author_url
            .or_else(|| content.author_handle.as_deref().map(super::profile_url));
    }
    content
}

/// The prefix of the page's state script on pages until about 2020.
const SHARED_DATA: &str = "window._sharedData = ";

/// The post as the page's own state describes it, on pages until about 2020:
/// `window._sharedData = {…}`, whose `entry_data.PostPage[0].graphql.shortcode_media` is the
/// post when its `shortcode` is the one asked for. Its author is `owner`, its time
/// `taken_at_timestamp` (seconds); the other owners in the script are commenters' and related
/// posts', so only that path is read.
#[derive(Debug, Default, PartialEq)]
struct StatePost {
    handle: Option<String>,
    name: Option<String>,
    time: Option<chrono::DateTime<chrono::Utc>>,
}

fn state_post(page: &str, code: &str) -> Option<StatePost> {
    let at = page.find(SHARED_DATA)? + SHARED_DATA.len();
    // One JSON value from there; the `;</script>` after it is not read.
    let state: serde_json::Value = serde_json::Deserializer::from_str(&page[at..])
        .into_iter()
        .next()?
        .ok()?;
    let media = &state["entry_data"]["PostPage"][0]["graphql"]["shortcode_media"];
    if media["shortcode"].as_str() != Some(code) {
        return None;
    }
    let text = |v: &serde_json::Value| {
        v.as_str()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    Some(StatePost {
        handle: text(&media["owner"]["username"]).filter(|h| super::is_handle(h)),
        name: text(&media["owner"]["full_name"]),
        time: media["taken_at_timestamp"]
            .as_i64()
            .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0)),
    })
}

/// The author and time of the post from the page's state script, where the page's own fields
/// and preview lines gave none.
pub(super) fn fill_from_state(mut content: PostContent, code: &str) -> PostContent {
    if content.author_handle.is_some() && content.published_at.is_some() {
        return content;
    }
    let Some(post) = reread(&content).and_then(|html| state_post(&html, code)) else {
        return content;
    };
    if content.author_handle.is_none() && post.handle.is_some() {
        content.author_handle = post.handle;
        content.author_url = content
            .author_url
            .or_else(|| content.author_handle.as_deref().map(super::profile_url));
    }
    content.author_name = content.author_name.or(post.name);
    content.published_at = content.published_at.or(post.time);
    content
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 2018 post page whose date is only in its state script, where the first `owner` is a
    /// commenter's: the post's own path names the author and time.
    #[test]
    fn the_state_script_names_the_posts_author_and_time() {
        let page =
            crate::platforms::replay::fixture_text("instagram/peer-page-BgSPalMjddb-2018.html");
        let got = state_post(&page, "BgSPalMjddb").expect("state");
        assert_eq!(got.handle.as_deref(), Some("natgeo"));
        assert_eq!(got.name.as_deref(), Some("National Geographic"));
        assert_eq!(
            got.time.map(|t| t.to_rfc3339()).as_deref(),
            Some("2018-03-14T01:21:53+00:00")
        );
        assert_eq!(state_post(&page, "AnotherCode"), None);
        for hostile in [
            "window._sharedData = {not json",
            "window._sharedData = ",
            r#"window._sharedData = {"entry_data":{"PostPage":[{"graphql":{"shortcode_media":{"shortcode":"X","owner":{"username":"a b<script>"},"taken_at_timestamp":"soon"}}}]}};"#,
        ] {
            let got = state_post(hostile, "X");
            assert!(
                got.is_none() || got == Some(StatePost::default()),
                "{hostile}: {got:?}"
            );
        }
    }

    #[test]
    fn both_description_shapes_are_read() {
        // (description, title, name, handle, date, caption)
        let cases = [
            (
                "361 Likes, 3 Comments - Alberto Garzón (@agarzoniu) on Instagram: “Se va llenando el lugar…”",
                Some("Alberto Garzón on Instagram: “Se va llenando el lugar…”"),
                Some("Alberto Garzón"),
                Some("agarzoniu"),
                None,
                Some("Se va llenando el lugar…"),
            ),
            (
                "1,204 likes, 38 comments - example.shop on March 5, 2024: \"Spring is here.\nTwo lines.\". ",
                Some("Example Shop on Instagram: \"Spring is here.\""),
                Some("Example Shop"),
                Some("example.shop"),
                NaiveDate::from_ymd_opt(2024, 3, 5),
                Some("Spring is here.\nTwo lines."),
            ),
            (
                "@picturesontv posted on Instagram: “Every day is a day of new opportunities. #yougotthis” • See all of @picturesontv&#39;s photos and videos on their profile.",
                Some(
                    "@picturesontv on Instagram: “Every day is a day of new opportunities. #yougotthis”",
                ),
                None,
                Some("picturesontv"),
                None,
                Some("Every day is a day of new opportunities. #yougotthis"),
            ),
            (
                "Retro Bay Area shared a post on Instagram: \"Sunnyvale, mid-1950’s.\n\n#neon\". Follow their account to see 182 posts.",
                Some("Retro Bay Area on Instagram: \"Sunnyvale, mid-1950’s.\""),
                Some("Retro Bay Area"),
                None,
                None,
                Some("Sunnyvale, mid-1950’s.\n\n#neon"),
            ),
            // The older lines of a post without a caption, and a day still to come.
            (
                "361 Likes, 3 Comments - National Geographic (@natgeo) on Instagram",
                None,
                Some("National Geographic"),
                Some("natgeo"),
                None,
                None,
            ),
            (
                "@natgeo posted on Instagram • See all of @natgeo's photos and videos on their profile.",
                None,
                None,
                Some("natgeo"),
                None,
                None,
            ),
            (
                "1 likes, 1 comments - someone on January 1, 9999",
                None,
                None,
                Some("someone"),
                None,
                None,
            ),
            // A reel without a caption (a real page of 2021, recorded by metascraper's
            // tests: `post-with-clip.html`): its title line has no caption either.
            (
                "152K likes, 784 comments - jaimelorentelo on April 19, 2021",
                Some("Jaime Lorente on Instagram"),
                Some("Jaime Lorente"),
                Some("jaimelorentelo"),
                NaiveDate::from_ymd_opt(2021, 4, 19),
                None,
            ),
            (
                "12K likes, 1,001 comments - someone_else on December 31, 2025: \"\"",
                None,
                None,
                Some("someone_else"),
                NaiveDate::from_ymd_opt(2025, 12, 31),
                None,
            ),
        ];
        for (description, title, name, handle, date, caption) in cases {
            let got = read_lines(description, title).expect(description);
            assert_eq!(got.name.as_deref(), name, "{description}");
            assert_eq!(got.handle.as_deref(), handle, "{description}");
            assert_eq!(got.date, date, "{description}");
            assert_eq!(got.caption.as_deref(), caption, "{description}");
        }
    }

    /// The handle of a 2022 page is in its card title only, which names the page's account: it
    /// is taken when that account's name is the author's.
    #[test]
    fn the_card_title_gives_the_handle_of_the_named_author() {
        let page = |name: &str| {
            let html = format!(
                r#"<meta name="twitter:title" content="{name} (&#064;retrobayarea) &#x2022; Instagram photos and videos">"#
            );
            PostContent {
                author_name: Some("Retro Bay Area".into()),
                raw: vec![crate::model::RawBody {
                    bytes: html.into_bytes(),
                    url: String::new(),
                    content_type: None,
                }],
                ..PostContent::default()
            }
        };
        let url = "https://www.instagram.com/p/Chm_-tPJqpd/";
        let got = fill_handle_from_card(page("Retro Bay Area"), url);
        assert_eq!(got.author_handle.as_deref(), Some("retrobayarea"));
        assert_eq!(
            got.author_url.as_deref(),
            Some("https://www.instagram.com/retrobayarea/")
        );
        let other = fill_handle_from_card(page("Someone Else"), url);
        assert_eq!(other.author_handle, None);
    }

    #[test]
    fn other_lines_are_left_as_they_are() {
        for description in [
            "Create an account or log in to Instagram",
            "See Instagram photos and videos from Example (@example)",
            "",
        ] {
            assert_eq!(read_lines(description, None), None, "{description}");
            let content = PostContent {
                text: Some(description.to_owned()),
                title: Some("Instagram".into()),
                ..PostContent::default()
            };
            let kept = refine(content.clone());
            assert_eq!(kept.text, content.text);
            assert_eq!(kept.title, content.title);
        }
    }

    /// The recorded 2020 post page, read by the shared page reader and then here.
    #[tokio::test]
    async fn a_recorded_post_page_gives_author_and_caption() {
        use crate::model::Resolution;
        use crate::platforms::replay::{Replay, sample};

        let s = sample("instagram-page-ySl7G9tO_q-2020");
        let url = url::Url::parse(&s.url).expect("url");
        let replay = Replay::new().sample("instagram-page-ySl7G9tO_q-2020");
        let Resolution::Live(read) = crate::platforms::page::read(&replay, &url).await else {
            panic!("the page is live");
        };
        let c = refine(read);
        assert_eq!(c.author_handle.as_deref(), Some("agarzoniu"));
        // As the page writes it: an "o" and a combining acute accent.
        assert_eq!(c.author_name.as_deref(), Some("Alberto Garzo\u{301}n"));
        assert_eq!(
            c.author_url.as_deref(),
            Some("https://www.instagram.com/agarzoniu/")
        );
        assert_eq!(c.title, None);
        let text = c.text.as_deref().unwrap_or_default();
        assert!(text.starts_with("Se va llenando el lugar"), "{text}");
        assert!(!text.contains("Likes"), "{text}");
    }

    /// A real 2021 page of a reel without a caption, read as the resolver reads a platform's
    /// page: no text (the preview line is counts, handle and date), the author from the title
    /// lines, the day from the preview line, and no language (the page's `lang="en"` is the
    /// interface's; the post says none).
    #[tokio::test]
    async fn a_reel_without_a_caption_has_no_text_and_keeps_its_author() {
        use crate::model::{Platform, Resolution};
        use crate::platforms::PlatformModule;
        use crate::platforms::page::{Whose, read_as};
        use crate::platforms::replay::{Replay, embed, sample};

        let id = "instagram-page-CN2VQ1yI_MA-reel-no-caption";
        let url = url::Url::parse(&sample(id).url).expect("url");
        let replay = Replay::new().sample(id);
        let Resolution::Live(read) = read_as(&replay, &url, Whose::Platform).await else {
            panic!("the page is live");
        };
        assert_eq!(read.lang, None);
        let post = embed(
            Platform::Instagram,
            "CN2VQ1yI_MA",
            "https://www.instagram.com/reel/CN2VQ1yI_MA/",
        );
        let c = super::super::Instagram.refine_page_post(read, &post);
        assert_eq!(c.text, None, "{:?}", c.text);
        assert_eq!(c.title, None);
        assert_eq!(c.author_name.as_deref(), Some("Jaime Lorente"));
        assert_eq!(c.author_handle.as_deref(), Some("jaimelorentelo"));
        assert_eq!(
            c.published_at.map(|t| t.date_naive()),
            NaiveDate::from_ymd_opt(2021, 4, 19)
        );
        assert_eq!(c.media.len(), 1);
    }
}
