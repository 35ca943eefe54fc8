//! What a status page says about its tweet beyond its OpenGraph tags. Until about 2020
//! twitter.com served the tweet itself in the page (pages of that time are recorded in
//! `tests/fixtures/samples/x/peer-page-*`): the permalink tweet is
//! `div.permalink-tweet[data-tweet-id=ID]`, which names its author in `data-screen-name` and
//! `data-name`, and its time in the `data-time` (seconds) of its first `span._timestamp`. The
//! OpenGraph tags of those pages carry only "NAME on Twitter" and the text. Today's x.com pages
//! are an app shell without the tweet, so there this reads nothing.
//!
//! Only the tweet whose id the embed names is read: a reply thread, a quoted tweet and the
//! replies below hold other tweets, with authors and times of their own.

use chrono::{DateTime, Utc};
use scraper::{ElementRef, Selector};

use crate::model::{EmbedRef, PostContent};
use crate::platforms::readers::{parse_document, reread};

/// The author and time of the permalink tweet, where the page's own fields gave none.
pub(super) fn refine(mut content: PostContent, embed: &EmbedRef) -> PostContent {
    if content.author_handle.is_some() && content.published_at.is_some() {
        return content;
    }
    let Some(id) = embed
        .post_id
        .as_deref()
        .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
    else {
        return content;
    };
    let Some(page) = reread(&content).map(std::borrow::Cow::into_owned) else {
        return content;
    };
    let Some(tweet) = read_tweet(&page, id) else {
        return content;
    };
    if content.author_handle.is_none() && tweet.handle.is_some() {
        content.author_handle = tweet.handle;
        content.author_url = content.author_handle.as_deref().map(super::profile_url);
        // The page's name is the title's "NAME on Twitter", which the tweet names plainly.
        content.author_name = tweet.name.or(content.author_name);
    }
    content.published_at = content.published_at.or(tweet.time);
    content
}

/// The permalink tweet as the page shows it.
#[derive(Debug, Default, PartialEq)]
struct Tweet {
    handle: Option<String>,
    name: Option<String>,
    time: Option<DateTime<Utc>>,
}

fn read_tweet(page: &str, id: &str) -> Option<Tweet> {
    // `id` is digits alone, so it is safe inside the selector.
    let tweet = Selector::parse(&format!(".permalink-tweet[data-tweet-id=\"{id}\"]")).ok()?;
    let timestamp = Selector::parse("span._timestamp[data-time]").ok()?;
    let doc = parse_document(page);
    let el: ElementRef<'_> = doc.select(&tweet).next()?;
    let attr = |name: &str| {
        el.value()
            .attr(name)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let handle = attr("data-screen-name").filter(|h| super::is_handle(h));
    let time = el
        .select(&timestamp)
        .next()
        .and_then(|t| t.value().attr("data-time"))
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| DateTime::from_timestamp(secs, 0));
    Some(Tweet {
        handle,
        name: attr("data-name"),
        time,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(file: &str) -> String {
        crate::platforms::replay::fixture_text(&format!("x/{file}"))
    }

    /// Three recorded pages (2013, 2016, 2019): the same tweet before and after its author
    /// renamed the account, and a tweet whose page also shows a quoted tweet and replies.
    #[test]
    fn recorded_pages_name_the_permalink_tweets_author_and_time() {
        let cases = [
            (
                "peer-page-toastergrrl-363116819147538433-2013.html",
                "363116819147538433",
                "toastergrrl",
                "Vyki Englert",
                "2013-08-02T01:59:30+00:00",
            ),
            (
                "peer-page-vyki_e-363116819147538433-2016.html",
                "363116819147538433",
                "vyki_e",
                "Vyki Englert",
                "2013-08-02T01:59:30+00:00",
            ),
            (
                "peer-page-Metallica-1128068672289890305-2019-quoted.html",
                "1128068672289890305",
                "Metallica",
                "Metallica",
                "2019-05-13T22:45:04+00:00",
            ),
        ];
        for (file, id, handle, name, time) in cases {
            let got = read_tweet(&page(file), id).expect(file);
            assert_eq!(got.handle.as_deref(), Some(handle), "{file}");
            assert_eq!(got.name.as_deref(), Some(name), "{file}");
            assert_eq!(
                got.time.map(|t| t.to_rfc3339()).as_deref(),
                Some(time),
                "{file}"
            );
        }
    }

    #[test]
    fn another_tweets_page_and_hostile_attributes_name_nobody() {
        let recorded = page("peer-page-vyki_e-363116819147538433-2016.html");
        assert_eq!(read_tweet(&recorded, "20"), None);
        let hostile = r#"<div class="tweet permalink-tweet" data-tweet-id="1"
            data-screen-name="a&quot;><script>x</script>" data-name="  ">
            <span class="_timestamp" data-time="not a number"></span></div>"#;
        assert_eq!(read_tweet(hostile, "1"), Some(Tweet::default()));
        assert_eq!(read_tweet("<html>app shell</html>", "1"), None);
    }
}
