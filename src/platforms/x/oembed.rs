//! The X oEmbed source (`publish.twitter.com/oembed`): the documented public endpoint. It names
//! the author and carries the post's text and date only inside its `html` blockquote; no media.
//!
//! Its answers go through the one oEmbed reader
//! ([`oembed_endpoint`](crate::platforms::oembed_endpoint)) with X's table: 404 (no longer
//! available) and 403 (protected or suspended account) are gone, but only in the endpoint's own
//! body: for a 404 empty (as recorded) or its JSON error object (`{"error": …}` as recorded for a
//! 403, `{"errors": [...]}` as it answers refused requests); for a 403 only the JSON error object,
//! whose words the evidence quotes ("not authorized" is a protected account, other words a
//! suspended one). The same statuses with an HTML page or other JSON come from something in
//! front of it and are transient, as is every other status or an unreadable body. A 200 is live
//! only when its blockquote or author names the post's author, text or date.

use chrono::{DateTime, NaiveDate, Utc};
use scraper::{ElementRef, Selector};
use url::Url;

use crate::model::{PostContent, Resolution};
use crate::platforms::oembed_endpoint::{Endpoint, GoneAnswer, Read, Reader, Reading, Status};
use crate::platforms::readers::{br_as_newline, non_empty, walk_text};
use crate::platforms::source::{Answer, SourceError};
use crate::platforms::verdict::{Field, OwnBody};

/// Source name of this endpoint.
pub const SOURCE: &str = "x-oembed";

/// The endpoint's own JSON error objects: `{"error": "..."}` (as recorded for a 403) and
/// `{"errors": [...]}` (as recorded for a refused request).
const OWN_JSON_ERROR: [OwnBody; 2] = [
    OwnBody::JsonWith(&["error"]),
    OwnBody::JsonWith(&["errors"]),
];

/// The endpoint, in the shape the platform's own docs and our recordings use.
pub const OEMBED: Endpoint = Endpoint {
    base: "https://publish.twitter.com/oembed",
    extra: &[("format", "json")],
    reader: Reader {
        source: SOURCE,
        statuses: &[
            (404, Status::Gone),
            (
                403,
                Status::GoneAs(GoneAnswer {
                    // An empty 403 could as well come from a firewall in front of it.
                    own_error: &OWN_JSON_ERROR,
                    means: "protected or suspended",
                    quote: Some("error"),
                }),
            ),
        ],
        // The endpoint's own 404: no body (as recorded), or its JSON error object.
        own_error: &[OwnBody::Empty, OWN_JSON_ERROR[0], OWN_JSON_ERROR[1]],
        // Every recorded answer carries `author_name`, `author_url` and an `html` blockquote
        // with the text and the date.
        identifying: &[Field::Text, Field::Author, Field::Published],
        gone_means: "",
    },
};

/// The request URL for a post URL.
pub fn url(post_url: &str) -> Result<Url, SourceError> {
    Ok(OEMBED.url(post_url))
}

/// Classify one oEmbed answer. An answer whose `url` names another status than the one asked
/// about is no word on this post (it would put another account's words under it, and keep a
/// deleted post live).
pub fn parse(answer: &Answer) -> Resolution {
    let asked = status_id(asked_post_url(answer).as_deref());
    OEMBED.classify(answer, None, |read, _| {
        let said = status_id(read.url.as_deref());
        match (&asked, &said) {
            (Some(asked), Some(said)) if asked != said => Reading::NotThePost(format!(
                "{SOURCE} answered about status {said}, not {asked}"
            )),
            _ => content(read, asked.as_deref().or(said.as_deref())),
        }
    })
}

/// The post URL the request asked about: the `url` of its query.
fn asked_post_url(answer: &Answer) -> Option<String> {
    let url = Url::parse(&answer.url).ok()?;
    url.query_pairs()
        .find(|(k, _)| k == "url")
        .map(|(_, v)| v.into_owned())
}

/// The status id a post URL names, as the recogniser reads it.
fn status_id(post_url: Option<&str>) -> Option<String> {
    super::recognise(&Url::parse(post_url?).ok()?)?.post_id
}

/// The post as the answer's blockquote and author name it. The author's link is rebuilt on
/// x.com from the handle it names. The blockquote dates the post by its day alone; the post's
/// id (`post_id`), a snowflake since 2010, says the moment, which is what the syndication
/// answer says too: a post read from either source then has one time.
fn content(read: Read, post_id: Option<&str>) -> Reading {
    let Some(html) = non_empty(read.html.as_deref()) else {
        return Reading::NotThePost(format!("answer from {SOURCE} has no html"));
    };
    let quoted = read_blockquote(html);
    let handle = read.author_url.as_deref().and_then(handle_from_url);
    Reading::Post(PostContent {
        author_name: read.author_name,
        author_url: handle.as_ref().map(|h| super::profile_url(h)),
        author_handle: handle,
        text: quoted.text,
        published_at: moment(quoted.published_at, post_id),
        ..PostContent::default()
    })
}

/// The post's time from its snowflake id, where the id is one and agrees with the day the
/// blockquote gives (which is the day where the reader of the embed is, so up to a day off);
/// else that day.
fn moment(day: Option<DateTime<Utc>>, post_id: Option<&str>) -> Option<DateTime<Utc>> {
    let exact = post_id.and_then(super::snowflake_time);
    match (day, exact) {
        (Some(day), Some(exact)) if (exact - day).num_hours().abs() <= 48 => Some(exact),
        (None, exact) => exact,
        (day, _) => day,
    }
}

/// The handle in `https://twitter.com/HANDLE` (or x.com). X's own rule, not the shared
/// [`handle_from_profile`](crate::platforms::oembed_endpoint::handle_from_profile): a handle is
/// letters, digits and `_` only, and it is the first segment (`/HANDLE/status/ID` names the
/// same account), where the shared rule takes the last one and allows `-` and `.`.
fn handle_from_url(author_url: &str) -> Option<String> {
    let url = Url::parse(author_url).ok()?;
    let handle = url.path_segments()?.find(|s| !s.is_empty())?;
    let ok = handle
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_');
    ok.then(|| handle.to_owned())
}

struct Quoted {
    text: Option<String>,
    published_at: Option<DateTime<Utc>>,
}

/// Text and date from `<blockquote class="twitter-tweet"><p>TEXT</p>&mdash; NAME (@h) <a>DATE</a>`.
fn read_blockquote(html: &str) -> Quoted {
    let doc = crate::platforms::readers::parse_fragment(html);
    let selector = |s: &str| Selector::parse(s).ok();
    let blockquote = selector("blockquote").and_then(|s| doc.select(&s).next());
    let Some(blockquote) = blockquote else {
        return Quoted {
            text: None,
            published_at: None,
        };
    };
    let text = selector("p")
        .and_then(|s| blockquote.select(&s).next())
        .map(|p| {
            let mut out = String::new();
            walk_text(*p, &mut out, br_as_newline);
            out.trim().to_owned()
        })
        .filter(|t| !t.is_empty());
    // The date is the text of the blockquote's own last link (the permalink), e.g.
    // "February 20, 2014": a day, so it stands for midnight UTC.
    let published_at = blockquote
        .children()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "a")
        .last()
        .and_then(|a| {
            let text: String = a.text().collect();
            NaiveDate::parse_from_str(text.trim(), "%B %d, %Y").ok()
        })
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc());
    Quoted { text, published_at }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CheckOutcome;
    use crate::platforms::replay::fixture_answer;

    fn sample(status: u16, file: &str) -> Answer {
        fixture_answer(
            "https://publish.twitter.com/oembed?url=x&format=json",
            status,
            "application/json; charset=utf-8",
            &format!("x/{file}"),
        )
    }

    /// Regression: an oEmbed answer about another status than the one asked kept a deleted
    /// post live (its tombstone overruled) and put another account's words under it.
    #[test]
    fn an_answer_about_another_status_is_not_this_post() {
        let asked = |post: &str| Answer {
            url: format!(
                "https://publish.twitter.com/oembed?url={}&format=json",
                url::form_urlencoded::byte_serialize(post.as_bytes()).collect::<String>()
            ),
            ..sample(200, "oembed-436461658601713664-2021.json")
        };
        let other = parse(&asked("https://x.com/jack/status/20"));
        assert_eq!(other.outcome(), Some(CheckOutcome::Transient), "{other:?}");
        assert!(format!("{other:?}").contains("not 20"), "{other:?}");
        let same = parse(&asked(
            "https://twitter.com/pepephone/status/436461658601713664",
        ));
        assert_eq!(same.outcome(), Some(CheckOutcome::Live), "{same:?}");
    }

    #[test]
    fn an_html_block_page_is_not_a_gone_answer() {
        for status in [403, 404] {
            let answer = Answer {
                url: "https://publish.twitter.com/oembed?url=x&format=json".into(),
                status,
                content_type: Some("text/html; charset=utf-8".into()),
                body: b"<html><body>Access denied</body></html>".to_vec(),
            };
            assert_eq!(parse(&answer).outcome(), Some(CheckOutcome::Transient));
        }
    }

    #[test]
    fn recorded_answers_classify_as_the_manifest_says() {
        let cases = [
            (
                200,
                "oembed-436461658601713664-2021.json",
                CheckOutcome::Live,
            ),
            (
                200,
                "oembed-436461658601713664-x-url-2024.json",
                CheckOutcome::Live,
            ),
            (
                200,
                "oembed-RailsGirlsSoC-702136612822634496.json",
                CheckOutcome::Live,
            ),
            (
                200,
                "oembed-RailsGirlsSoC-702136612822634496-x-url.json",
                CheckOutcome::Live,
            ),
            (
                404,
                "oembed-1700000000000000004-404.txt",
                CheckOutcome::Gone,
            ),
            (
                403,
                "oembed-1700000000000000005-403-not-authorized.json",
                CheckOutcome::Gone,
            ),
            // A refused request format says nothing about the post.
            (400, "oembed-format-xml-400.json", CheckOutcome::Transient),
        ];
        for (status, file, want) in cases {
            assert_eq!(parse(&sample(status, file)).outcome(), Some(want), "{file}");
        }
    }

    #[test]
    fn a_snowflake_id_gives_the_moment_of_its_day() {
        let day = |d: &str| Some(format!("{d}T00:00:00Z").parse::<DateTime<Utc>>().unwrap());
        let exact = "2014-02-20T11:25:43Z".parse::<DateTime<Utc>>().ok();
        assert_eq!(moment(day("2014-02-20"), Some("436461658601713664")), exact);
        // The reader's day may be the next one.
        assert_eq!(moment(day("2014-02-21"), Some("436461658601713664")), exact);
        assert_eq!(moment(None, Some("436461658601713664")), exact);
        // A day the id does not agree with, and the ids of before snowflakes, keep the day.
        assert_eq!(
            moment(day("2015-01-01"), Some("436461658601713664")),
            day("2015-01-01")
        );
        assert_eq!(moment(day("2006-03-21"), Some("20")), day("2006-03-21"));
        assert_eq!(moment(None, Some("29700859247")), None);
        assert_eq!(moment(None, Some("not a number")), None);
        assert_eq!(moment(None, Some("99999999999999999999999")), None);
        // An id of a time still to come is no snowflake of a post.
        assert_eq!(moment(None, Some("18446744073709551615")), None);
    }

    #[test]
    fn live_answer_reads_author_text_and_date_from_html() {
        let cases = [
            (
                "oembed-436461658601713664-2021.json",
                "Pepephone",
                "pepephone",
                "RT @PabloHerreros Pepephone rompe la baraja - http://t.co/mFn7mcB1vy",
                // The blockquote says February 20, 2014; the snowflake id the moment.
                "2014-02-20T11:25:43+00:00",
            ),
            (
                "oembed-RailsGirlsSoC-702136612822634496-x-url.json",
                "Rails Girls Summer of Code",
                "RailsGirlsSoC",
                "Our 2016 fundraising campaign is now open!! Let’s make another amazing summer happen!✨💜💪💚✨👉 https://t.co/R8Jg36xaQx pic.twitter.com/mIwKR0fzGR",
                "2016-02-23T14:23:08+00:00",
            ),
        ];
        for (file, name, handle, text, date) in cases {
            let Resolution::Live(c) = parse(&sample(200, file)) else {
                panic!("{file}: expected live");
            };
            assert_eq!(c.source, "x-oembed");
            assert_eq!(c.author_name.as_deref(), Some(name), "{file}");
            assert_eq!(c.author_handle.as_deref(), Some(handle), "{file}");
            assert_eq!(
                c.author_url.as_deref(),
                Some(format!("https://x.com/{handle}").as_str())
            );
            assert_eq!(c.text.as_deref(), Some(text), "{file}");
            assert_eq!(
                c.published_at.map(|d| d.to_rfc3339()).as_deref(),
                Some(date)
            );
            assert!(c.media.is_empty());
            assert_eq!(c.raw.len(), 1);
        }
    }

    #[test]
    fn gone_evidence_says_what_the_endpoint_said() {
        assert_eq!(
            parse(&sample(404, "oembed-1700000000000000004-404.txt")),
            Resolution::Gone {
                source: SOURCE.into(),
                evidence: "HTTP 404 from x-oembed".into()
            }
        );
        assert_eq!(
            parse(&sample(
                403,
                "oembed-1700000000000000005-403-not-authorized.json"
            )),
            Resolution::Gone {
                source: SOURCE.into(),
                evidence: "HTTP 403 from x-oembed (protected or suspended): \
                           Sorry, you are not authorized to see this status."
                    .into()
            }
        );
    }

    #[test]
    fn other_answers_are_transient() {
        let answer = |status: u16, body: &str| Answer {
            url: "https://publish.twitter.com/oembed".into(),
            status,
            content_type: None,
            body: body.as_bytes().to_vec(),
        };
        for (status, body) in [
            (200, "not json"),
            (200, "{}"),
            (200, r#"{"html":""}"#),
            (429, ""),
            (500, ""),
            (502, "<html>"),
            (401, ""),
            (410, ""),
            // An empty 403 is not the endpoint's own (its own 404 may be empty; its 403 is
            // its JSON error object), nor is other JSON.
            (403, ""),
            (403, r#"{"hello":"world"}"#),
        ] {
            assert_eq!(
                parse(&answer(status, body)).outcome(),
                Some(CheckOutcome::Transient),
                "{status} {body}"
            );
        }
    }

    #[test]
    fn request_url_has_the_recorded_shape() {
        let cases = [
            (
                "https://twitter.com/pepephone/status/436461658601713664",
                "https://publish.twitter.com/oembed?url=https%3A%2F%2Ftwitter.com%2Fpepephone%2Fstatus%2F436461658601713664&format=json",
            ),
            (
                "https://x.com/pepephone/status/436461658601713664",
                "https://publish.twitter.com/oembed?url=https%3A%2F%2Fx.com%2Fpepephone%2Fstatus%2F436461658601713664&format=json",
            ),
        ];
        for (post, want) in cases {
            assert_eq!(url(post).expect("valid").as_str(), want);
        }
    }
}
