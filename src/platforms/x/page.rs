//! What a status page says about its tweet beyond its OpenGraph tags. Until about 2020
//! twitter.com served the tweet itself in the page (pages of that time are recorded in
//! `tests/fixtures/samples/x/peer-page-*`): the permalink tweet is
//! `div.permalink-tweet[data-tweet-id=ID]`, which names its author in `data-screen-name` and
//! `data-name`, and its time in the `data-time` (seconds) of its first `span._timestamp`. The
//! OpenGraph tags of those pages carry only "NAME on Twitter" and the text. Today's x.com pages
//! are an app shell: their title alone states the post, as `NAME on X: "TEXT" / X`, and their
//! `og:image` is X's one share picture of every page (on `abs.twimg.com`, X's static files, where
//! no post's media is kept), which is left out.
//!
//! Only the tweet whose id the embed names is read: a reply thread, a quoted tweet and the
//! replies below hold other tweets, with authors and times of their own.

use chrono::{DateTime, Utc};
use scraper::{ElementRef, Selector};

use crate::model::{EmbedRef, PostContent};
use crate::platforms::readers::{parse_document, reread};

/// The author and time of the permalink tweet, where the page's own fields gave none.
pub(super) fn refine(content: PostContent, embed: &EmbedRef) -> PostContent {
    let mut content = from_title(content, embed);
    content.media.retain(|m| !is_site_picture(&m.url));
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
    content.text = content.text.map(|t| permalink_description(&t));
    if content.author_handle.is_none() && tweet.handle.is_some() {
        content.author_handle = tweet.handle;
        content.author_url = content.author_handle.as_deref().map(super::profile_url);
        // The page's name is the title's "NAME on Twitter", which the tweet names plainly.
        content.author_name = tweet.name.or(content.author_name);
    }
    content.published_at = content.published_at.or(tweet.time);
    content
}

/// The host of X's own static files (scripts, icons, the share picture of every page).
const STATIC_HOST: &str = "abs.twimg.com";

/// An image of X's site rather than of a post.
fn is_site_picture(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| u.host_str() == Some(STATIC_HOST))
}

/// Today's page titles, `NAME on X: "TEXT" / X` (`on Twitter`, `/ Twitter` before 2023) as a
/// browser sees them, and `NAME (@HANDLE) on X` in the OpenGraph head a plain client gets (the
/// text is then the page's description): the author's name, and the post's text where the
/// title holds it, which the page's tags give nowhere else. The title is the page's, not the
/// post's, and goes. The handle is the one the post's address names, and the time the one its
/// id carries.
fn from_title(mut content: PostContent, embed: &EmbedRef) -> PostContent {
    let Some(title) = content.title.clone() else {
        return content;
    };
    let Some(said) = title_says(&title) else {
        return content;
    };
    if content.author_name.is_none() {
        content.author_name = Some(said.name.to_owned());
    }
    if content.text.is_none()
        && let Some(text) = said.text.filter(|t| !t.is_empty())
    {
        content.text = Some(text.to_owned());
    }
    content.title = None;
    if content.author_handle.is_none()
        && let Some(handle) = handle_in(&embed.post_url).or_else(|| said.handle.map(str::to_owned))
    {
        content.author_url = Some(super::profile_url(&handle));
        content.author_handle = Some(handle);
    }
    if content.published_at.is_none() {
        content.published_at = embed.post_id.as_deref().and_then(super::snowflake_time);
    }
    content
}

/// What a status page's title says of its post.
#[derive(Debug, PartialEq)]
struct TitleSays<'t> {
    name: &'t str,
    handle: Option<&'t str>,
    text: Option<&'t str>,
}

fn title_says(title: &str) -> Option<TitleSays<'_>> {
    if let Some((name, text)) = name_and_text(title) {
        return Some(TitleSays {
            name,
            handle: None,
            text: Some(text),
        });
    }
    let (name, handle) = name_and_handle(title)?;
    Some(TitleSays {
        name,
        handle: Some(handle),
        text: None,
    })
}

/// `The Verge on X: "Is it bad … https://t.co/Y3yAimrUnP" / X` → (`The Verge`, `Is it bad …`).
fn name_and_text(title: &str) -> Option<(&str, &str)> {
    let title = title.trim();
    let rest = title
        .strip_suffix(" / X")
        .or_else(|| title.strip_suffix(" / Twitter"))
        .unwrap_or(title);
    let (name, quoted) = rest
        .split_once(" on X: \"")
        .or_else(|| rest.split_once(" on Twitter: \""))?;
    let text = quoted.strip_suffix('"')?;
    let name = name.trim();
    (!name.is_empty()).then_some((name, text.trim()))
}

/// `The Verge (@verge) on X` → (`The Verge`, `verge`).
fn name_and_handle(title: &str) -> Option<(&str, &str)> {
    let rest = title.trim();
    let rest = rest
        .strip_suffix(" on X")
        .or_else(|| rest.strip_suffix(" on Twitter"))?;
    let (name, handle) = rest.strip_suffix(')')?.rsplit_once(" (@")?;
    let name = name.trim();
    (!name.is_empty() && super::is_handle(handle)).then_some((name, handle))
}

/// The text of a permalink page's description as the tweet says it: twitter.com wrapped it in
/// curly quotes, `“TEXT”`, and escaped it once more than HTML asks (`&amp;amp;` for `&`).
fn permalink_description(text: &str) -> String {
    match text
        .strip_prefix('\u{201C}')
        .and_then(|t| t.strip_suffix('\u{201D}'))
    {
        Some(inner) => html_escape::decode_html_entities(inner).into_owned(),
        None => text.to_owned(),
    }
}

/// The handle a status address names (`https://x.com/verge/status/1`), not `i`.
fn handle_in(post_url: &str) -> Option<String> {
    let url = url::Url::parse(post_url).ok()?;
    let mut segments = url.path_segments()?;
    let handle = segments.next()?;
    (segments.next() == Some("status") && handle != "i" && super::is_handle(handle))
        .then(|| handle.to_owned())
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

    /// The description of a permalink page (2013 to 2019) is the tweet's text in curly quotes,
    /// escaped once more than HTML asks.
    #[test]
    fn a_permalink_pages_description_is_the_tweets_text() {
        assert_eq!(
            permalink_description(
                "\u{201C}for helping us support @EMMAUSolidarite &amp; @PompiersParis. #AWMH\u{201D}"
            ),
            "for helping us support @EMMAUSolidarite & @PompiersParis. #AWMH"
        );
        assert_eq!(
            permalink_description("\u{201C}I'm a sucker for pledges.\u{201D}"),
            "I'm a sucker for pledges."
        );
        // Text not in the page's quotes is left as it is.
        for kept in ["a &amp; b", "\u{201C}quoted at the start only", ""] {
            assert_eq!(permalink_description(kept), kept);
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

    /// Today's x.com pages, read as the resolver reads a platform's page when syndication and
    /// oEmbed cannot answer: the title's name and text are the post's, the handle is the
    /// address's, the time the id's, and X's share picture of every page is no media of it.
    #[tokio::test]
    async fn todays_pages_state_the_post_in_their_title() {
        use crate::model::{Platform, Resolution};
        use crate::platforms::PlatformModule;
        use crate::platforms::page::{Whose, read_as};
        use crate::platforms::replay::{Replay, embed, sample};

        let cases = [
            (
                "x-page-verge-957383241714970624-video-2025",
                "957383241714970624",
                "The Verge",
                "verge",
                "Is it bad to blow into game cartridges? https://t.co/Y3yAimrUnP",
                "2018-01-27T22:42:06+00:00",
                0,
            ),
            (
                "x-page-UaSmart-934106870834454529",
                "934106870834454529",
                "SmartUA",
                "UaSmart",
                "Y terminamos el dia con Cultura de empresa con @patoroco, @flopezluis, Katia, \
                 Angélica en @codemotion_es #codemotion2017 https://t.co/5fCDNpQh4D",
                "2017-11-24T17:10:07+00:00",
                0,
            ),
            (
                "x-page-og-Kikobeats-880139124791029763-gif-2025",
                "880139124791029763",
                "#!/kiko/beats",
                "Kikobeats",
                "Experimenting with Clearbit API + Apple TV 3D Parallax https://t.co/Qsm163k4mJ",
                "2017-06-28T19:01:34+00:00",
                1,
            ),
        ];
        for (id, post_id, name, handle, text, time, media) in cases {
            let url = url::Url::parse(&sample(id).url).expect("url");
            let replay = Replay::new().sample(id);
            let Resolution::Live(read) = read_as(&replay, &url, Whose::Platform).await else {
                panic!("{id}: the page is live");
            };
            let post = embed(Platform::X, post_id, url.as_str());
            let c = super::super::X.refine_page_post(read, &post);
            assert_eq!(c.author_name.as_deref(), Some(name), "{id}");
            assert_eq!(c.author_handle.as_deref(), Some(handle), "{id}");
            assert_eq!(
                c.author_url.as_deref(),
                Some(format!("https://x.com/{handle}").as_str()),
                "{id}"
            );
            assert_eq!(c.text.as_deref(), Some(text), "{id}");
            assert_eq!(c.title, None, "{id}");
            assert_eq!(
                c.published_at.map(|t| t.to_rfc3339()).as_deref(),
                Some(time),
                "{id}"
            );
            assert_eq!(c.media.len(), media, "{id}: {:?}", c.media);
            assert!(
                c.media.iter().all(|m| !m.url.contains("abs.twimg.com")),
                "{id}: {:?}",
                c.media
            );
        }
    }

    /// A recorded permalink page (2019) read as the resolver reads it: the text is the tweet's,
    /// without the page's quotes and its second escaping.
    #[tokio::test]
    async fn a_permalink_page_gives_the_tweets_own_text() {
        use crate::model::{Platform, Resolution};
        use crate::platforms::PlatformModule;
        use crate::platforms::page::{Whose, read_as};
        use crate::platforms::replay::{Replay, embed, sample};

        let id = "x-page-Metallica-1128068672289890305-2019-es-quoted";
        let url = url::Url::parse(&sample(id).url).expect("url");
        let Resolution::Live(read) =
            read_as(&Replay::new().sample(id), &url, Whose::Platform).await
        else {
            panic!("the page is live");
        };
        let post = embed(Platform::X, "1128068672289890305", url.as_str());
        let c = super::super::X.refine_page_post(read, &post);
        assert_eq!(
            c.text.as_deref(),
            Some(
                "Thank you to everyone who came out for #MetInParis last night for helping us \
                 support @EMMAUSolidarite & @PompiersParis. #AWMH #MetalicaGivesBack \
                 https://t.co/gLtZSdDFmN"
            )
        );
        assert_eq!(c.author_handle.as_deref(), Some("Metallica"));
    }

    #[test]
    fn a_title_names_the_author_and_the_text_only_in_its_own_shape() {
        assert_eq!(
            name_and_text(r#"Jack on X: "just setting up my twttr" / X"#),
            Some(("Jack", "just setting up my twttr"))
        );
        assert_eq!(
            name_and_text(r#"Jack on Twitter: "a "quoted" word""#),
            Some(("Jack", r#"a "quoted" word"#))
        );
        for other in [
            "SmartUA (@UaSmart) on X",
            "Jack on Twitter",
            r#" on X: "no name" / X"#,
            r#"Jack on X: "unclosed / X"#,
        ] {
            assert_eq!(name_and_text(other), None, "{other}");
        }
        assert_eq!(
            name_and_handle("SmartUA (@UaSmart) on X"),
            Some(("SmartUA", "UaSmart"))
        );
        assert_eq!(
            name_and_handle("#!/kiko/beats (@Kikobeats) on Twitter"),
            Some(("#!/kiko/beats", "Kikobeats"))
        );
        for other in [
            "SmartUA on X",
            " (@UaSmart) on X",
            "SmartUA (@not a handle) on X",
            "SmartUA (@UaSmart) on Mastodon",
        ] {
            assert_eq!(name_and_handle(other), None, "{other}");
        }
        assert_eq!(
            handle_in("https://x.com/verge/status/1").as_deref(),
            Some("verge")
        );
        assert_eq!(handle_in("https://x.com/i/status/1"), None);
    }
}
