//! A watch page without `ytInitialPlayerResponse`, read from the metadata it carries for link
//! previews and search engines: OpenGraph (`og:type`, `og:url`, `og:title`, `og:description`)
//! and the schema.org microdata of its `VideoObject` (`itemprop="videoId"`, `datePublished`,
//! and the `author` item's `name` and `url`). Watch pages before about 2019 (recorded in
//! `tests/fixtures/samples/youtube/peer-watch-*`) carry the video only there.
//!
//! Such metadata says nothing of whether the video plays. YouTube's "unavailable" pages of
//! those years carry none of it, so a page is read only when it presents a video (`og:type`
//! `video…`) and names the one asked for, with no other `videoId`; any other page (an
//! "unavailable" box, a wall) stays unreadable.
//!
//! Pages of about 2013 to 2016 give the channel's name in neither: only the owner's name link
//! has it, marked with the channel's id (`data-ytid`, the microdata's `channelId`).

use scraper::{Html, Selector};
use url::Url;

use super::addresses::watch_url;
use super::watch_page::{WatchPage, parse_date};
use crate::platforms::page::meta::{self, PageMeta};
use crate::platforms::readers::{MAX_PAGE_REREAD, parse_document};

/// The video as the page's metadata describes it, when the metadata presents `video_id` and
/// a title.
pub(super) fn read(html: &str, video_id: &str) -> Option<WatchPage> {
    // Most pages without player data are walls and boxes that never name the video: they are
    // not parsed.
    if video_id.is_empty() || html.len() > MAX_PAGE_REREAD || !html.contains(video_id) {
        return None;
    }
    let doc = parse_document(html);
    let page = meta::read_doc(&doc, &watch_url(video_id));
    let presents_video = page
        .meta("og:type")
        .is_some_and(|t| t.to_ascii_lowercase().starts_with("video"));
    if !presents_video || !names_video(&page, video_id) {
        return None;
    }
    let title = page.meta("og:title").or_else(|| page.meta("name"))?;
    Some(WatchPage {
        title: Some(title.to_owned()),
        channel_name: channel_name(&doc, page.meta("channelId")),
        channel_url: author_link(&doc, r#"[itemprop="author"] link[itemprop="url"]"#, "href")
            .and_then(|u| Url::parse(&u).ok())
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .map(String::from)
            .map(super::addresses::secure_channel_url),
        description: page.meta("og:description").map(str::to_owned),
        published_at: page.meta("datePublished").and_then(parse_date),
        poster: None,
    })
}

/// Whether the page's metadata is about `video_id`: its microdata `videoId` where it has one,
/// else the `v` of its `og:url`.
fn names_video(page: &PageMeta, video_id: &str) -> bool {
    if let Some(id) = page.meta("videoId") {
        return id == video_id;
    }
    page.meta("og:url")
        .and_then(|u| Url::parse(u).ok())
        .is_some_and(|u| u.query_pairs().any(|(k, v)| k == "v" && v == video_id))
}

/// The channel: the `author` item of the video's microdata, else the text of a link marked with
/// the video's channel id, else the page's author link (its text, or its `title`).
fn channel_name(doc: &Html, channel_id: Option<&str>) -> Option<String> {
    let by_id = || {
        let channel_id = channel_id.filter(|id| !id.is_empty())?;
        let marked = Selector::parse("[data-ytid]").ok()?;
        doc.select(&marked)
            .filter(|el| el.value().attr("data-ytid") == Some(channel_id))
            .map(|el| el.text().collect::<String>().trim().to_owned())
            .find(|name| !name.is_empty())
    };
    let microdata = author_link(doc, r#"[itemprop="author"] [itemprop="name"]"#, "content");
    microdata.or_else(by_id).or_else(|| {
        let author = Selector::parse(r#"a[rel="author"]"#).ok()?;
        doc.select(&author).find_map(|a| {
            let text = a.text().collect::<String>();
            let text = text.trim();
            (!text.is_empty())
                .then(|| text.to_owned())
                .or_else(|| a.value().attr("title").map(str::trim).map(str::to_owned))
                .filter(|t| !t.is_empty())
        })
    })
}

/// The trimmed, non-empty attribute `name` of the first element `selector` finds (the author
/// item's links are `<link>` elements, which the page's metadata does not read).
fn author_link(doc: &Html, selector: &str, name: &str) -> Option<String> {
    let selector = Selector::parse(selector).ok()?;
    doc.select(&selector)
        .find_map(|el| el.value().attr(name))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(file: &str) -> String {
        crate::platforms::replay::fixture_text(&format!("youtube/{file}"))
    }

    #[test]
    fn recorded_pages_without_player_data_name_their_video() {
        let old = read(&page("peer-watch-iaGSSrp49uc-2012.html"), "iaGSSrp49uc").expect("2012");
        assert_eq!(
            old.title.as_deref(),
            Some("4. Far Cry 3 - Ubisoft E3 2011 Press Conference HD 1080p")
        );
        assert_eq!(old.channel_name.as_deref(), Some("ubisoft"));
        // The page links the channel with `http://`; it is named as oEmbed names it.
        assert_eq!(
            old.channel_url.as_deref(),
            Some("https://www.youtube.com/user/ubisoft")
        );
        let later = read(&page("peer-watch-21Lk4YiASMo-2014.html"), "21Lk4YiASMo").expect("2014");
        assert_eq!(later.title.as_deref(), Some("96neko - orange"));
        assert_eq!(
            later.channel_url.as_deref(),
            Some("https://www.youtube.com/user/korotto5810")
        );
        // Its channel's name only on the owner's link, marked with the channel's id.
        assert_eq!(later.channel_name.as_deref(), Some("korotto5810"));
        // The microdata of a 2020 page (which has player data too) names the channel and date.
        let recent = read(
            &page("peer-watch-GFg8BP01F5Q-2020-no-embed.html"),
            "GFg8BP01F5Q",
        )
        .expect("2020");
        assert_eq!(recent.channel_name.as_deref(), Some("SheNoob"));
        assert_eq!(
            recent.published_at.map(|t| t.to_rfc3339()).as_deref(),
            Some("2016-02-20T00:00:00+00:00")
        );
    }

    #[test]
    fn pages_about_no_video_or_another_are_not_read() {
        for file in [
            "peer-watch-99999999999-2019-unavailable.html",
            "peer-watch-invalid_url-2017-uk.html",
        ] {
            assert_eq!(read(&page(file), "99999999999"), None, "{file}");
        }
        let other = page("peer-watch-21Lk4YiASMo-2014.html");
        assert_eq!(read(&other, "iaGSSrp49uc"), None);
        assert_eq!(read("<html>consent</html>", "iaGSSrp49uc"), None);
        // The asked video in `og:url` but another in the microdata; a page that presents no
        // video; the video named in a page about something else.
        let mixed = r#"<meta property="og:type" content="video">
            <meta property="og:url" content="https://www.youtube.com/watch?v=iaGSSrp49uc">
            <meta property="og:title" content="T"><meta itemprop="videoId" content="21Lk4YiASMo">"#;
        assert_eq!(read(mixed, "iaGSSrp49uc"), None);
        let not_video = r#"<meta property="og:type" content="website">
            <meta property="og:url" content="https://www.youtube.com/watch?v=iaGSSrp49uc">
            <meta property="og:title" content="YouTube">"#;
        assert_eq!(read(not_video, "iaGSSrp49uc"), None);
    }

    /// A name link of another channel (a related video's) never names the video's channel.
    #[test]
    fn only_the_video_channels_link_names_it() {
        let head = r#"<meta property="og:type" content="video">
            <meta property="og:title" content="T"><meta itemprop="videoId" content="iaGSSrp49uc">
            <meta itemprop="channelId" content="UCowner">"#;
        let other = format!(r#"{head}<a class="yt-user-name" data-ytid="UCother">Someone</a>"#);
        assert_eq!(
            read(&other, "iaGSSrp49uc").expect("read").channel_name,
            None
        );
        let own = format!(
            r#"{head}<a data-ytid="UCother">Someone</a><a data-ytid="UCowner"> </a><a data-ytid="UCowner"> Owner </a>"#
        );
        assert_eq!(
            read(&own, "iaGSSrp49uc")
                .expect("read")
                .channel_name
                .as_deref(),
            Some("Owner")
        );
    }
}
