//! X's embed markup: the `twitter-tweet`/`twitter-video` blockquotes and their attribution
//! line, `amp-twitter` (posts and timelines), the iframe `widgets.js` leaves behind
//! (`data-tweet-id`, `platform.twitter.com/embed/Tweet.html?id=`), timeline and grid anchors,
//! and the script that renders them all. The player of a post's video
//! (`twitter.com/i/videos/tweet/ID`) needs no form of its own: the recogniser claims its address.
//! The forms of 2010 to 2013 have modules of their own: Blackbird Pie's static boxes
//! ([`blackbird_pie`](super::blackbird_pie)) and the widgets a `TWTR.Widget` call builds
//! ([`twtr_widget`](super::twtr_widget)).
//!
//! The attribution line "— NAME (@handle) DATE" is X's format; Bluesky's embed copies it, so
//! its reader is shared from here.

use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Node};
use url::Url;

use crate::model::markup::{
    IdShape, IdUrl, QuoteForm, QuoteParts, ScriptFamily, absolute, path_has,
};
use crate::model::{EmbedKind, Platform};
use crate::platforms::markup::reading::{
    Reading, collapse, descendants, element_text, parse_link_date,
};
use crate::platforms::markup::{
    Candidate, ElementForm, Marker, Markup, Naming, Quote, QuoteReading, Widget, amp_id, amp_id_url,
};

/// What X's embeds look like in an article.
pub static MARKUP: Markup = Markup {
    quotes: &[
        Quote {
            form: QuoteForm {
                class: "twitter-tweet",
                marker_attr: None,
                post_attrs: &[],
                urls: quote_urls,
                family: &SCRIPTS,
            },
            read: read_quote,
        },
        Quote {
            form: QuoteForm {
                class: "twitter-video",
                marker_attr: None,
                post_attrs: &[],
                urls: quote_urls,
                family: &SCRIPTS,
            },
            read: read_quote,
        },
    ],
    amp: &[ElementForm {
        marker: Marker::Tag("amp-twitter"),
        read: read_amp,
    }],
    frame_ids: &[IdUrl {
        element: "iframe",
        attr: "data-tweet-id",
        shape: IdShape::Digits,
        url: "https://twitter.com/i/status/{}",
    }],
    unwrap_frame: Some(unwrap_frame),
    containers: &[super::blackbird_pie::FORM],
    scripts: &[],
    script_calls: &[super::twtr_widget::CALL],
    remnants: &[&super::remnant::FINDER],
    anchors: &[
        ElementForm {
            marker: Marker::Class("twitter-timeline"),
            read: read_timeline,
        },
        ElementForm {
            marker: Marker::Class("twitter-grid"),
            read: read_grid,
        },
    ],
    naming: Some(Naming {
        platform: Platform::X,
        words: &["twitter", "tweet"],
        id_attrs: &["data-tweet-id", "data-tweetid", "data-status-id"],
        word_id_attrs: &["status"],
        spellings: &[],
        id_url: Some(status_url),
        handle: Some(handle_in_status_url),
    }),
    ..Markup::NONE
};

/// The post URL of a bare status id: snowflake ids and the shorter ids of before 2010, but not
/// the few digits of a counter.
fn status_url(id: &str) -> Option<Url> {
    let ok = (6..=20).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| Url::parse(&format!("https://twitter.com/i/status/{id}")).ok())
        .flatten()
}

/// `widgets.js`, which renders the blockquotes, timelines and buttons.
static SCRIPTS: ScriptFamily = ScriptFamily {
    name: "x",
    scripts: &[
        ("platform.twitter.com", "/widgets.js"),
        ("platform.x.com", "/widgets.js"),
    ],
    on_post_host: None,
    widget_classes: &[
        "twitter-timeline",
        "twitter-follow-button",
        "twitter-share-button",
        "twitter-mention-button",
        "twitter-hashtag-button",
        "twitter-moment",
        "twitter-grid",
    ],
};

/// Where an unclaimed timeline URL may be keyed.
const HOSTS: &[&str] = &["twitter.com", "x.com"];

/// The post URL is the last status link: earlier ones are links inside the text.
fn quote_urls(parts: &QuoteParts<'_>) -> Vec<Url> {
    parts
        .links
        .iter()
        .rev()
        .filter(|u| is_status_link(u))
        .cloned()
        .collect()
}

/// A link to a status: `/USER/status/ID`, or, in embed codes of 2011 and 2012, the same route
/// after `#!` (`twitter.com/#!/USER/status/ID`).
pub(super) fn is_status_link(url: &Url) -> bool {
    path_has(url, &["status", "statuses"])
        || url.fragment().is_some_and(|f| {
            f.strip_prefix("!/")
                .is_some_and(|route| route.split('/').any(|s| s == "status" || s == "statuses"))
        })
}

/// The attribution line; quotes pasted without their text still name the account in the
/// permalink.
fn read_quote(el: ElementRef<'_>, urls: &[Url]) -> QuoteReading {
    let mut reading = attribution_reading(el);
    if reading.author_handle.is_none() {
        reading.author_handle = urls.first().and_then(handle_in_status_url);
    }
    QuoteReading {
        reading,
        widget: None,
    }
}

/// `amp-twitter` names a post by id, or (without one) an account's timeline.
fn read_amp(el: ElementRef<'_>, _base: &Url) -> Option<Candidate> {
    if el.value().attr("data-tweetid").is_none()
        && let Some(url) = amp_id_url(el, "data-timeline-screen-name", "https://twitter.com/{}")
    {
        let mut c = Candidate::new(vec![url], "amp-twitter")?;
        c.widget = Some(Widget {
            platform: Platform::X,
            kind: EmbedKind::ProfileTimeline,
            hosts: HOSTS,
        });
        return Some(c);
    }
    let url = amp_id(el, "data-tweetid")
        .and_then(|id| Url::parse(&format!("https://twitter.com/i/status/{id}")).ok());
    Candidate::new(url.into_iter().collect(), "amp-twitter")
}

/// The iframe `widgets.js` renders names the post in its query.
fn unwrap_frame(url: &Url) -> Option<Url> {
    let host = url.host_str()?;
    if !(host.eq_ignore_ascii_case("platform.twitter.com")
        && url.path().contains("/embed/Tweet.html"))
    {
        return None;
    }
    url.query_pairs()
        .find(|(k, _)| k == "id")
        .map(|(_, v)| v.into_owned())
        .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|id| Url::parse(&format!("https://twitter.com/i/status/{id}")).ok())
}

/// A timeline anchor: an account's posts, or a list's (`/lists/`, `/timelines/`, `/likes`, the
/// older `/HANDLE/SLUG` of a list, as in widgets made before 2013:
/// `twitter.com/KATV_Weather/arkansas-weather-bloggers`), or a search's or hashtag's
/// (`twitter.com/search?q=…`): a collection of posts, like a list, not the account `search`.
fn read_timeline(el: ElementRef<'_>, base: &Url) -> Option<Candidate> {
    let url = el.value().attr("href").and_then(|h| absolute(base, h))?;
    let segments: Vec<&str> = url
        .path_segments()
        .map(|s| s.filter(|p| !p.is_empty()).collect())
        .unwrap_or_default();
    let collection = match segments.as_slice() {
        [first, ..]
            if ["search", "hashtag"]
                .iter()
                .any(|c| first.eq_ignore_ascii_case(c)) =>
        {
            true
        }
        [handle, slug] => {
            super::is_handle(handle)
                && super::is_list_slug(slug)
                && !ACCOUNT_PAGES.contains(&slug.to_ascii_lowercase().as_str())
        }
        _ => false,
    };
    let list = collection
        || segments
            .iter()
            .any(|p| *p == "lists" || *p == "timelines" || *p == "likes");
    let kind = if list {
        EmbedKind::ListTimeline
    } else {
        EmbedKind::ProfileTimeline
    };
    timeline_widget(url, "a.twitter-timeline", kind)
}

/// The pages of an account under `/HANDLE/…` that are no list: a timeline anchor to one is the
/// account's timeline (or its likes).
const ACCOUNT_PAGES: &[&str] = &[
    "likes",
    "media",
    "with_replies",
    "followers",
    "following",
    "lists",
    "timelines",
    "status",
    "highlights",
    "articles",
];

/// A grid anchor (`a.twitter-grid`, TweetDeck's and publish.twitter.com's embed code for a
/// collection, `/USER/timelines/ID`): the collection's posts laid out as a grid.
fn read_grid(el: ElementRef<'_>, base: &Url) -> Option<Candidate> {
    let url = el.value().attr("href").and_then(|h| absolute(base, h))?;
    timeline_widget(url, "a.twitter-grid", EmbedKind::ListTimeline)
}

pub(super) fn timeline_widget(url: Url, evidence: &str, kind: EmbedKind) -> Option<Candidate> {
    let mut c = Candidate::new(vec![url], evidence)?;
    c.widget = Some(Widget {
        platform: Platform::X,
        kind,
        hosts: HOSTS,
    });
    Some(c)
}

/// The account in an X permalink `/HANDLE/status/ID` (not the anonymous `/i/status/ID`).
fn handle_in_status_url(url: &Url) -> Option<String> {
    let mut segs = url.path_segments()?;
    let handle = segs.next()?;
    let valid = !handle.is_empty()
        && handle != "i"
        && handle.len() <= 15
        && handle
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
    (valid && matches!(segs.next(), Some("status" | "statuses"))).then(|| handle.to_owned())
}

/// "— NAME (@handle)" between the text paragraph and the date link of X and Bluesky quotes. A
/// name may hold parentheses of its own ("kgogon (R) (@kgogon)"): the handle is the group with
/// the `@`, and only a line without one is read by [`DASH_AUTHOR_BARE`].
static DASH_AUTHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:—|–|-|&mdash;)?\s*(.*?)\s*\(\s*@([A-Za-z0-9_.\-]{1,253})\s*\)")
        .unwrap_or_else(|e| panic!("regex: {e}"))
});

/// "— NAME (handle)", the author line without the `@`.
static DASH_AUTHOR_BARE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:—|–|-|&mdash;)?\s*(.*?)\s*\(\s*([A-Za-z0-9_.\-]{1,253})\s*\)")
        .unwrap_or_else(|e| panic!("regex: {e}"))
});

/// The author line of an X/Bluesky quote held directly by `el`: its own text plus links that
/// show a handle, and the last other link (the date).
fn author_line(el: ElementRef<'_>) -> (String, Option<String>) {
    let mut line = String::new();
    let mut date_link = None;
    for child in el.children() {
        match child.value() {
            Node::Text(t) => line.push_str(t),
            Node::Element(e) if e.name() == "a" => {
                if let Some(a) = ElementRef::wrap(child) {
                    let t = element_text(a);
                    if t.trim_start().starts_with('@') {
                        line.push_str(&t);
                    } else {
                        date_link = Some(t);
                    }
                }
            }
            _ => {}
        }
    }
    (line, date_link)
}

/// X (and Bluesky) blockquote: `<p>` text, "— NAME (@handle)", date link text. The author line
/// sits directly in the blockquote, or in a second `<p>` where a CMS wrapped every line.
pub fn attribution_reading(el: ElementRef<'_>) -> Reading {
    let paragraphs: Vec<ElementRef<'_>> = descendants(el, "p").collect();
    let mut reading = Reading {
        text: paragraphs.first().and_then(|p| collapse(&element_text(*p))),
        ..Reading::default()
    };
    let lines = std::iter::once(el).chain(paragraphs.iter().skip(1).copied());
    for holder in lines {
        let (line, date_link) = author_line(holder);
        if let Some(caps) = DASH_AUTHOR
            .captures(&line)
            .or_else(|| DASH_AUTHOR_BARE.captures(&line))
        {
            reading.author_name = caps.get(1).and_then(|m| collapse(m.as_str()));
            reading.author_handle = caps.get(2).map(|m| m.as_str().to_owned());
            reading.published_at = date_link.as_deref().and_then(parse_link_date);
            break;
        }
    }
    reading
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};
    use scraper::{Html, Selector};

    fn first<'a>(html: &'a Html, sel: &str) -> ElementRef<'a> {
        let sel = Selector::parse(sel).unwrap();
        html.select(&sel).next().unwrap()
    }

    fn date(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    /// Embed codes of 2011 and 2012 linked the tweet as `twitter.com/#!/USER/status/ID`
    /// (`tests/recognise_embed_forms.rs` discovers one whole).
    #[test]
    fn a_status_link_may_follow_a_hashbang() {
        let link = |u: &str| is_status_link(&Url::parse(u).unwrap());
        assert!(link("https://twitter.com/jack/status/20"));
        assert!(link("https://twitter.com/#!/jack/status/20"));
        assert!(!link("https://twitter.com/#!/jack"));
        assert!(!link("https://twitter.com/jack#status"));
    }

    /// Timeline anchors of go-trafilatura's test pages: an old list address (a TV station's
    /// weather bloggers) and a search's timeline are collections, not an account's timeline.
    #[test]
    fn timeline_anchors_name_their_account_or_list() {
        let read = |href: &str| {
            let html = Html::parse_fragment(&format!(
                r#"<a class="twitter-timeline" href="{href}" data-widget-id="346664295083413504">Tweets</a>"#
            ));
            let base = Url::parse("https://news.example/a").unwrap();
            read_timeline(first(&html, "a"), &base)
                .map(|c| (c.urls[0].to_string(), c.widget.map(|w| w.kind)))
        };
        assert_eq!(
            read("https://twitter.com/KATV_Weather/arkansas-weather-bloggers"),
            Some((
                "https://twitter.com/KATV_Weather/arkansas-weather-bloggers".into(),
                Some(EmbedKind::ListTimeline)
            ))
        );
        assert_eq!(
            read("https://twitter.com/TwitterDev"),
            Some((
                "https://twitter.com/TwitterDev".into(),
                Some(EmbedKind::ProfileTimeline)
            ))
        );
        assert_eq!(
            read("https://twitter.com/TwitterDev/likes").map(|r| r.1),
            Some(Some(EmbedKind::ListTimeline))
        );
        for search in [
            "https://twitter.com/search?q=echtedemokratie+OR+edj+lang%3Ade",
            "https://twitter.com/hashtag/occupy",
        ] {
            assert_eq!(
                read(search).map(|r| r.1),
                Some(Some(EmbedKind::ListTimeline)),
                "{search}"
            );
        }
    }

    #[test]
    fn x_blockquote() {
        let html = Html::parse_fragment(
            r#"<blockquote class="twitter-tweet"><p lang="es" dir="ltr">Hola <a href="http://t.co/x">mundo</a></p>&mdash; Some Name (@handle_1) <a href="https://twitter.com/handle_1/status/123?ref_src=twsrc%5Etfw">February 20, 2014</a></blockquote>"#,
        );
        let r = attribution_reading(first(&html, "blockquote"));
        assert_eq!(r.text.as_deref(), Some("Hola mundo"));
        assert_eq!(r.author_name.as_deref(), Some("Some Name"));
        assert_eq!(r.author_handle.as_deref(), Some("handle_1"));
        assert_eq!(r.published_at, Some(date("2014-02-20T00:00:00Z")));
    }

    #[test]
    fn x_blockquote_with_wrapped_author_line() {
        let html = Html::parse_fragment(
            "<blockquote class=\"twitter-tweet\" lang=\"en\"><p>NEW: text <a href=\"http://t.co/s\">pic.twitter.com/s</a></p>\n<p>&mdash; Jennifer Lawrence (@JenniferUpdates) <a href=\"https://twitter.com/JenniferUpdates/status/548950759539494913\">December 27, 2014</a></p></blockquote>",
        );
        let r = attribution_reading(first(&html, "blockquote"));
        assert_eq!(r.text.as_deref(), Some("NEW: text pic.twitter.com/s"));
        assert_eq!(r.author_name.as_deref(), Some("Jennifer Lawrence"));
        assert_eq!(r.author_handle.as_deref(), Some("JenniferUpdates"));
        assert_eq!(r.published_at, Some(date("2014-12-27T00:00:00Z")));
        // A name with parentheses of its own (Global Voices, 2018).
        let html = Html::parse_fragment(
            r#"<blockquote class="twitter-tweet" data-lang="el"><p dir="ltr" lang="el">100 #Novartis</p>
<p>— kgogon (R) (@kgogon) <a href="https://twitter.com/kgogon/status/961215100051959813?ref_src=twsrc%5Etfw">7 Φεβρουαρίου 2018</a></p></blockquote>"#,
        );
        let r = attribution_reading(first(&html, "blockquote"));
        assert_eq!(r.author_name.as_deref(), Some("kgogon (R)"));
        assert_eq!(r.author_handle.as_deref(), Some("kgogon"));
    }

    #[test]
    fn bluesky_blockquote() {
        let html = Html::parse_fragment(
            r#"<blockquote class="bluesky-embed"><p lang="en">Hi<br><br><a href="https://bsky.app/profile/did:plc:a/post/3k">[image]</a></p>&mdash; Jane (<a href="https://bsky.app/profile/did:plc:a">@jane.bsky.social</a>) <a href="https://bsky.app/profile/did:plc:a/post/3k">March 5, 2024 at 9:01 AM</a></blockquote>"#,
        );
        let r = attribution_reading(first(&html, "blockquote"));
        assert_eq!(r.author_name.as_deref(), Some("Jane"));
        assert_eq!(r.author_handle.as_deref(), Some("jane.bsky.social"));
        assert_eq!(r.published_at, Some(date("2024-03-05T00:00:00Z")));
    }
}
