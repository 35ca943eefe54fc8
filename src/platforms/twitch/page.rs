//! The public page of a past broadcast (`www.twitch.tv/videos/ID`) or a clip
//! (`clips.twitch.tv/SLUG`): Twitch renders it in the browser, but its server-sent head carries
//! a schema.org `VideoObject` (JSON-LD) and OpenGraph tags naming the video, read by
//! [`page::meta`](crate::platforms::page::meta).
//!
//! - Video data (a player or embed address, in JSON-LD, `og:video` or, on clip pages of about
//!   2018, only the Twitter card's `twitter:player`; or an upload time): live, read from it
//!   (title, the channel's line as text, poster, upload time) and from the title's "TITLE -
//!   CHANNEL on Twitch" for the channel, or a 2018 clip page's "CHANNEL Playing GAME - Twitch
//!   Clips" and "TITLE - Clipped by USER".
//! - A clip page whose video is an empty clip embed (`https://clips.twitch.tv/embed?clip=`):
//!   the clip is gone (the signal iframely reads).
//! - A bare page shell (no video data, the site's own title and logo) whose `og:url` names
//!   the requested video: live, with nothing more to keep. Twitch serves that shell to clients
//!   it does not render for, and it still names the video.
//! - Anything else (a page about another video, a 404 or other error page, a login or
//!   consent page): transient. An expired broadcast cannot be told from a page Twitch did not
//!   render, and no page Twitch serves for a missing broadcast is recorded anywhere public, so
//!   it is never called gone from this source.

use url::Url;

use crate::model::{MediaKind, MediaRef, PostContent, Resolution};
use crate::platforms::page::meta::{self, PageMeta};
use crate::platforms::readers::constant_url;
use crate::platforms::source::{Answer, check_status};
use crate::platforms::verdict::{self, Field};

/// Source name of the page.
pub const SOURCE: &str = "twitch-page";

/// What makes a page with video data a live video.
const IDENTIFYING: &[Field] = &[Field::Text, Field::Media, Field::Published];

/// The site's own share image, which every page shell carries: never a video's poster.
const SITE_IMAGE_PREFIX: &str = "https://static-cdn.jtvnw.net/ttv-static-metadata/";

/// The largest page read: a video page is a few hundred kilobytes.
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

/// What is asked about: a past broadcast by id, or a clip by slug.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item<'a> {
    Video(&'a str),
    Clip(&'a str),
}

impl<'a> Item<'a> {
    /// The item of a post id as the recogniser makes them: `ID` or `clip/SLUG`.
    pub fn from_post_id(post_id: &'a str) -> Option<Item<'a>> {
        let ok_slug = |s: &str| {
            !s.is_empty()
                && s.len() <= 120
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        };
        match post_id.strip_prefix("clip/") {
            Some(slug) if ok_slug(slug) => Some(Item::Clip(slug)),
            Some(_) => None,
            None if !post_id.is_empty()
                && post_id.len() <= 15
                && post_id.chars().all(|c| c.is_ascii_digit()) =>
            {
                Some(Item::Video(post_id))
            }
            None => None,
        }
    }

    /// The canonical page of the item.
    pub fn page_url(self) -> Url {
        let (base, last) = match self {
            Item::Video(id) => ("https://www.twitch.tv/videos/", id),
            Item::Clip(slug) => ("https://clips.twitch.tv/", slug),
        };
        let mut url = constant_url(base);
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty().push(last);
        }
        url
    }

    fn describe(self) -> String {
        match self {
            Item::Video(id) => format!("video {id}"),
            Item::Clip(slug) => format!("clip {slug}"),
        }
    }
}

/// Classify one page answer about `item`.
pub fn parse(answer: &Answer, item: Item<'_>) -> Resolution {
    let transient = |evidence: String| Resolution::Transient {
        source: SOURCE.to_owned(),
        evidence,
    };
    if let Err(e) = check_status(SOURCE, answer) {
        return e.into_transient();
    }
    if answer.status != 200 {
        return transient(format!(
            "HTTP {} from {SOURCE} for {}: a page status says nothing about the video",
            answer.status,
            item.describe()
        ));
    }
    if answer.body.len() > MAX_PAGE_BYTES {
        return transient(format!(
            "page from {SOURCE} for {} is {} bytes, more than {MAX_PAGE_BYTES}",
            item.describe(),
            answer.body.len()
        ));
    }
    let html = String::from_utf8_lossy(&answer.body);
    let page = meta::read(&html, &item.page_url());
    // The player or embed address the page names: the VideoObject's embedUrl, else og:video.
    // embedUrl first because it is where a deleted clip shows (an empty clip embed) whatever
    // player address og:video goes on naming; the page reader's own video prefers og:video.
    // Clip pages of about 2018 name their player only as the Twitter card's.
    let video = page
        .json_ld
        .as_ref()
        .and_then(|ld| ld.embed_url.as_ref())
        .map(Url::as_str)
        .or_else(|| {
            page.media
                .iter()
                .find(|m| m.kind == MediaKind::Video)
                .map(|m| m.url.as_str())
        })
        .or_else(|| page.meta("twitter:player"));
    if video.is_none() && page.published_at.is_none() {
        // The shell: only its og:url can name the video.
        let names_it = page
            .canonical
            .as_ref()
            .is_some_and(|u| names_item(u.as_str(), item));
        if !names_it {
            return transient(format!(
                "page from {SOURCE} names neither {} nor any video data",
                item.describe()
            ));
        }
        return Resolution::Live(PostContent {
            source: SOURCE.to_owned(),
            media: vec![MediaRef {
                kind: MediaKind::Video,
                url: item.page_url().to_string(),
                ..MediaRef::default()
            }],
            raw: vec![answer.raw()],
            ..PostContent::default()
        });
    }
    let video = video.unwrap_or_default();
    if let Item::Clip(_) = item
        && clip_is_empty(video)
    {
        return Resolution::Gone {
            source: SOURCE.to_owned(),
            evidence: format!(
                "the clip page's video embeds no clip ({video}): the clip was deleted"
            ),
        };
    }
    if !video.is_empty() && !names_item(video, item) {
        return transient(format!(
            "page from {SOURCE} describes {video}, not {}",
            item.describe()
        ));
    }
    content(page, answer, item)
}

/// The live snapshot of a page with video data about the item.
fn content(page: PageMeta, answer: &Answer, item: Item<'_>) -> Resolution {
    let clip = page
        .title
        .as_deref()
        .and_then(clip_channel)
        .zip(page.text.as_deref().and_then(clip_title));
    let (title, channel) = match (clip, page.title.as_deref().map(split_title)) {
        (Some((channel, title)), _) => (Some(title.to_owned()), Some(channel.to_owned())),
        (None, Some((title, channel))) => (Some(title.to_owned()), channel.map(str::to_owned)),
        (None, None) => (None, None),
    };
    let poster = page
        .media
        .first()
        .and_then(|m| m.image_url.clone())
        .filter(|u| !u.starts_with(SITE_IMAGE_PREFIX));
    // A display name in another script is no login: it names no channel page.
    let login = channel.as_deref().filter(|c| is_channel(c));
    let content = PostContent {
        source: SOURCE.to_owned(),
        author_url: login.map(|c| format!("https://www.twitch.tv/{}", c.to_ascii_lowercase())),
        author_handle: login.map(str::to_ascii_lowercase),
        author_name: channel,
        title,
        text: page.text,
        published_at: page.published_at,
        media: vec![MediaRef {
            kind: MediaKind::Video,
            url: item.page_url().to_string(),
            image_url: poster,
            ..MediaRef::default()
        }],
        raw: vec![answer.raw()],
        ..PostContent::default()
    };
    verdict::live(content, IDENTIFYING)
}

/// Whether `url` (an `og:url`, player or embed address) is the item's page or player.
fn names_item(url: &str, item: Item<'_>) -> bool {
    let Ok(url) = Url::parse(url) else {
        return false;
    };
    match (item, super::recognise(&url)) {
        (Item::Video(id), Some(r)) => r.post_id.as_deref() == Some(id),
        (Item::Clip(slug), Some(r)) => {
            r.post_id.as_deref().and_then(|p| p.strip_prefix("clip/")) == Some(slug)
        }
        _ => false,
    }
}

/// `https://clips.twitch.tv/embed?clip=` with nothing after it.
fn clip_is_empty(embed_url: &str) -> bool {
    Url::parse(embed_url).is_ok_and(|u| {
        u.host_str() == Some("clips.twitch.tv")
            && u.path() == "/embed"
            && u.query_pairs()
                .find(|(k, _)| k == "clip")
                .is_none_or(|(_, v)| v.trim().is_empty())
    })
}

/// The channel of a clip page's title of about 2018: "CHANNEL Playing GAME - Twitch Clips".
/// The channel's display name may be in any script (`스트리머`): it is one word, and only an
/// ASCII one is also its login ([`is_channel`]).
fn clip_channel(full: &str) -> Option<&str> {
    let (channel, _game) = full
        .strip_suffix(" - Twitch Clips")?
        .split_once(" Playing ")?;
    let word = !channel.is_empty()
        && channel.chars().count() <= 25
        && !channel.chars().any(|c| c.is_whitespace() || c.is_control());
    word.then_some(channel)
}

/// The clip's own title in its page's description of about 2018: "TITLE - Clipped by USER".
fn clip_title(description: &str) -> Option<&str> {
    let (title, clipper) = description.rsplit_once(" - Clipped by ")?;
    (!title.trim().is_empty() && is_channel(clipper.trim())).then(|| title.trim())
}

/// Whether `name` may be a Twitch login: letters, digits and `_`, at most 25.
fn is_channel(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 25
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// "TITLE - CHANNEL on Twitch" into the title and the channel; any other title is all title.
fn split_title(full: &str) -> (&str, Option<&str>) {
    let parts = full
        .strip_suffix(" on Twitch")
        .and_then(|rest| rest.rsplit_once(" - "))
        .filter(|(title, channel)| !title.trim().is_empty() && is_channel(channel));
    match parts {
        Some((title, channel)) => (title, Some(channel)),
        None => (full, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CheckOutcome;
    use crate::platforms::replay::fixture_answer;

    fn sample(item: Item<'_>, file: &str) -> Answer {
        fixture_answer(
            item.page_url().as_str(),
            200,
            "text/html",
            &format!("twitch/{file}"),
        )
    }

    fn page(status: u16, body: &str) -> Answer {
        Answer {
            url: "https://clips.twitch.tv/SomeClip".into(),
            status,
            content_type: Some("text/html".into()),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn a_broadcast_page_with_its_video_object() {
        let item = Item::Video("72749628");
        let Resolution::Live(c) = parse(&sample(item, "page-videos-72749628.html"), item) else {
            panic!("expected live");
        };
        assert_eq!(c.source, SOURCE);
        assert_eq!(
            c.title.as_deref(),
            Some("EU LCS Summer - Week 3 Day 1: FNC vs. S04 | H2K vs. G2 (EULCS2)")
        );
        assert_eq!(
            c.text.as_deref(),
            Some("riotgames went live on Twitch. Catch up on their League of Legends VOD now.")
        );
        assert_eq!(c.author_name.as_deref(), Some("riotgames"));
        assert_eq!(c.author_handle.as_deref(), Some("riotgames"));
        assert_eq!(
            c.author_url.as_deref(),
            Some("https://www.twitch.tv/riotgames")
        );
        assert_eq!(
            c.published_at.map(|d| d.to_rfc3339()).as_deref(),
            Some("2016-06-16T13:30:57+00:00")
        );
        assert_eq!(
            c.media,
            vec![MediaRef {
                kind: MediaKind::Video,
                url: "https://www.twitch.tv/videos/72749628".into(),
                image_url: Some("https://static-cdn.jtvnw.net/cf_vods/d2nvs31859zcd8/d44201bac3_riotgames_21876932832_470478938/thumb/thumb0-640x360.jpg".into()),
                ..MediaRef::default()
            }]
        );
    }

    /// A real 2018 clip page: no JSON-LD and no og:video, the clip named by its Twitter card's
    /// player; the channel in og:title, the clip's title in og:description.
    #[test]
    fn a_2018_clip_page_keeps_its_title_channel_and_picture() {
        let item = Item::Clip("AwkwardBoredWaffleItsBoshyTime");
        let file = "peer-page-clip-AwkwardBoredWaffleItsBoshyTime-2018.html";
        let Resolution::Live(c) = parse(&sample(item, file), item) else {
            panic!("expected live");
        };
        assert_eq!(
            c.title.as_deref(),
            Some("Shroud with the casual coffee sip to kill combo")
        );
        assert_eq!(c.author_handle.as_deref(), Some("shroud"));
        assert_eq!(
            c.author_url.as_deref(),
            Some("https://www.twitch.tv/shroud")
        );
        assert_eq!(
            c.text.as_deref(),
            Some("Shroud with the casual coffee sip to kill combo - Clipped by jpan11")
        );
        assert_eq!(c.media.len(), 1);
        assert_eq!(
            c.media[0].url,
            "https://clips.twitch.tv/AwkwardBoredWaffleItsBoshyTime"
        );
        assert_eq!(
            c.media[0].image_url.as_deref(),
            Some("https://clips-media-assets.twitch.tv/27434665136-offset-2366-social-preview.jpg")
        );
        // The same page asked about another clip describes that one, not this.
        let other = Item::Clip("SomeOtherClip");
        assert_eq!(
            parse(&sample(other, file), other).outcome(),
            Some(CheckOutcome::Transient)
        );
        // The shapes read only as they are written.
        assert_eq!(
            clip_channel("shroud Playing PUBG - Twitch Clips"),
            Some("shroud")
        );
        assert_eq!(clip_channel("two words Playing PUBG - Twitch Clips"), None);
        assert_eq!(
            clip_channel("스트리머 Playing PUBG - Twitch Clips"),
            Some("스트리머")
        );
        assert!(!is_channel("스트리머"));
        assert_eq!(clip_channel("Twitch"), None);
        assert_eq!(clip_title("Nice - Clipped by some_one"), Some("Nice"));
        assert_eq!(clip_title(" - Clipped by x"), None);
        assert_eq!(clip_title("Nice - Clipped by two words"), None);
    }

    #[test]
    fn the_bare_shell_is_live_only_for_the_video_it_names() {
        let item = Item::Video("106400740");
        let Resolution::Live(c) = parse(&sample(item, "page-videos-106400740.html"), item) else {
            panic!("expected live");
        };
        // The shell's title ("Twitch") and logo are the site's, never the video's.
        assert_eq!(c.title, None);
        assert_eq!(c.text, None);
        assert_eq!(c.media.len(), 1);
        assert_eq!(c.media[0].image_url, None);
        // The same shell for another video, and the channel page, say nothing about it.
        let other = Item::Video("1");
        assert_eq!(
            parse(&sample(item, "page-videos-106400740.html"), other).outcome(),
            Some(CheckOutcome::Transient)
        );
        assert_eq!(
            parse(&sample(item, "page-channel-twit.html"), item).outcome(),
            Some(CheckOutcome::Transient)
        );
        // A page describing another broadcast is not this one.
        assert_eq!(
            parse(&sample(item, "page-videos-72749628.html"), item).outcome(),
            Some(CheckOutcome::Transient)
        );
    }

    // No clip page was found recorded anywhere public: these pages follow the documented signal
    // (iframely's reading of a deleted clip: a VideoObject whose embedUrl has an empty clip).
    #[test]
    fn a_clip_page_with_an_empty_embed_is_gone() {
        let item = Item::Clip("SomeClip");
        let deleted = r#"<html><head><script type="application/ld+json">{"@context":"http://schema.org","@graph":[{"@type":"VideoObject","embedUrl":"https://clips.twitch.tv/embed?clip=","name":"","uploadDate":""}]}</script></head></html>"#;
        assert_eq!(
            parse(&page(200, deleted), item).outcome(),
            Some(CheckOutcome::Gone)
        );
        let there = r#"<html><head><meta property="og:title" content="Nice - somebody on Twitch"><script type="application/ld+json">[{"@type":"VideoObject","embedUrl":"https://clips.twitch.tv/embed?clip=SomeClip","name":"Nice","thumbnailUrl":"https://clips-media-assets2.twitch.tv/x-preview-480x272.jpg","uploadDate":"2020-05-01T10:00:00Z"}]</script></head></html>"#;
        let Resolution::Live(c) = parse(&page(200, there), item) else {
            panic!("expected live");
        };
        assert_eq!(c.title.as_deref(), Some("Nice"));
        assert_eq!(c.author_handle.as_deref(), Some("somebody"));
        // The same empty embed on a broadcast page is no clip signal.
        assert_eq!(
            parse(&page(200, deleted), Item::Video("5")).outcome(),
            Some(CheckOutcome::Transient)
        );
    }

    #[test]
    fn the_video_objects_embed_is_read_before_og_video() {
        let item = Item::Clip("SomeClip");
        let og = r#"<meta property="og:video" content="https://player.twitch.tv/?channel=somebody&parent=meta.tag">"#;
        let ld = |embed: &str| {
            format!(
                r#"<script type="application/ld+json">{{"@type":"VideoObject","embedUrl":"{embed}","name":"Nice","uploadDate":"2020-05-01T10:00:00Z"}}</script>"#
            )
        };
        let empty = ld("https://clips.twitch.tv/embed?clip=");
        let named = ld("https://clips.twitch.tv/embed?clip=SomeClip");
        // Whichever the head lists first, a channel player in og:video hides neither the empty
        // clip embed nor the clip the embed names.
        for (tags, want) in [
            ([og, empty.as_str()], CheckOutcome::Gone),
            ([empty.as_str(), og], CheckOutcome::Gone),
            ([og, named.as_str()], CheckOutcome::Live),
            ([named.as_str(), og], CheckOutcome::Live),
        ] {
            let body = format!("<html><head>{}{}</head></html>", tags[0], tags[1]);
            let got = parse(&page(200, &body), item);
            assert_eq!(got.outcome(), Some(want), "{body}: {got:?}");
        }
        // With no embedUrl, og:video still names the video: here another one.
        let body = format!("<html><head>{og}</head></html>");
        assert_eq!(
            parse(&page(200, &body), item).outcome(),
            Some(CheckOutcome::Transient)
        );
    }

    #[test]
    fn error_and_hostile_pages_are_transient() {
        let item = Item::Clip("SomeClip");
        for (status, body) in [
            (
                404,
                "<html><body>Sorry. Unless you've got a time machine, that content is unavailable.</body></html>",
            ),
            (404, ""),
            (410, ""),
            (403, "<html>Access denied</html>"),
            (429, ""),
            (503, "<html>"),
            (200, ""),
            (200, "{\"not\":\"html\"}"),
            (
                200,
                r#"<script type="application/ld+json">{"@type":"VideoObject",</script>"#,
            ),
            (
                200,
                r#"<script type="application/ld+json">{"@type":"VideoObject","embedUrl":"javascript:alert(1)","name":"<script>alert(1)</script>"}</script>"#,
            ),
        ] {
            let got = parse(&page(status, body), item);
            assert_eq!(
                got.outcome(),
                Some(CheckOutcome::Transient),
                "{status} {body}: {got:?}"
            );
        }
    }

    #[test]
    fn cut_off_and_foreign_pages_are_never_gone() {
        let item = Item::Video("72749628");
        let whole = sample(item, "page-videos-72749628.html");
        for cut in [0, 200, 1_000, 5_000, 20_000, whole.body.len() / 2] {
            let mut answer = whole.clone();
            answer.body.truncate(cut);
            match parse(&answer, item) {
                // A head cut after its tags still names this video: nothing else may be read.
                Resolution::Live(c) => assert_eq!(
                    c.title.as_deref(),
                    Some("EU LCS Summer - Week 3 Day 1: FNC vs. S04 | H2K vs. G2 (EULCS2)"),
                    "cut at {cut}"
                ),
                other => assert_eq!(
                    other.outcome(),
                    Some(CheckOutcome::Transient),
                    "cut at {cut}: {other:?}"
                ),
            }
        }
        // Another platform's page, served where the video's was asked for.
        let foreign = fixture_answer(
            item.page_url().as_str(),
            200,
            "text/html",
            "bandcamp/page-track-jeanjean-coquin-l-l-phant.html",
        );
        assert_eq!(
            parse(&foreign, item).outcome(),
            Some(CheckOutcome::Transient)
        );
        // Oversized pages are not read.
        let mut big = whole.clone();
        big.body.resize(MAX_PAGE_BYTES + 1, b' ');
        assert_eq!(parse(&big, item).outcome(), Some(CheckOutcome::Transient));
    }

    #[test]
    fn titles_split_into_title_and_channel() {
        assert_eq!(
            split_title("A - B - chan_1 on Twitch"),
            ("A - B", Some("chan_1"))
        );
        assert_eq!(split_title("Twitch"), ("Twitch", None));
        assert_eq!(split_title(" - x on Twitch"), (" - x on Twitch", None));
        assert_eq!(
            split_title("A - not a channel on Twitch"),
            ("A - not a channel on Twitch", None)
        );
    }

    #[test]
    fn post_ids_map_to_pages() {
        assert_eq!(
            Item::from_post_id("106400740").map(|i| i.page_url().to_string()),
            Some("https://www.twitch.tv/videos/106400740".into())
        );
        assert_eq!(
            Item::from_post_id("clip/AwkwardHelplessSalamanderSwiftRage")
                .map(|i| i.page_url().to_string()),
            Some("https://clips.twitch.tv/AwkwardHelplessSalamanderSwiftRage".into())
        );
        for bad in [
            "",
            "clip/",
            "clip/a/b",
            "collection/abc",
            "12a",
            "1234567890123456",
        ] {
            assert_eq!(Item::from_post_id(bad), None, "{bad}");
        }
    }
}
