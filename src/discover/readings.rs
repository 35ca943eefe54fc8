//! What an embed's own fallback markup says about the post (author, handle, text, date), read
//! offline from the blockquote a publisher pasted. These readings are the only record of a post
//! when the platform later refuses to answer, so they are read exactly as written: never guessed,
//! never fetched.

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, Utc};
use regex::Regex;
use scraper::{ElementRef, Node};

/// What the markup of one embed says.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Reading {
    pub author_name: Option<String>,
    pub author_handle: Option<String>,
    pub text: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
}

impl Reading {
    /// How many fields the markup filled (to keep the richest of duplicate embeds).
    pub fn richness(&self) -> usize {
        usize::from(self.author_name.is_some())
            + usize::from(self.author_handle.is_some())
            + usize::from(self.text.is_some())
            + usize::from(self.published_at.is_some())
    }

    /// Fill the fields this reading lacks from another one.
    pub fn fill_from(&mut self, other: &Reading) {
        if self.author_name.is_none() {
            self.author_name.clone_from(&other.author_name);
        }
        if self.author_handle.is_none() {
            self.author_handle.clone_from(&other.author_handle);
        }
        if self.text.is_none() {
            self.text.clone_from(&other.text);
        }
        if self.published_at.is_none() {
            self.published_at = other.published_at;
        }
    }
}

/// Collapse runs of whitespace to one space and trim; `None` when nothing is left.
pub(crate) fn collapse(text: &str) -> Option<String> {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then_some(joined)
}

fn element_text(el: ElementRef<'_>) -> String {
    el.text().collect()
}

fn descendants<'a>(el: ElementRef<'a>, name: &'a str) -> impl Iterator<Item = ElementRef<'a>> {
    el.descendent_elements()
        .filter(move |e| e.value().name() == name)
}

/// "(@handle)" at the end of an author line.
static PAREN_HANDLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\(\s*@([A-Za-z0-9._]{1,64})\s*\)").unwrap_or_else(|e| panic!("regex: {e}"))
});

/// The lead phrase of Instagram's footer in the languages publishers embed with ("A post shared
/// by", "Ein Beitrag geteilt von", "Une publication partagée par", "Una publicación compartida
/// de", older "A photo posted by" ...), up to where the author's name starts.
static IG_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^.*?\b(?:shared|posted|geteilt|partag[ée]e|compartida|condiviso|compartilhada|partilhada|gedeeld|udost[eę]pniony|sd[ií]len[ýy]|delad|delt|jaettu)\s+(?:by|von|par|de|por|da|door|przez|u[žz]ivatelem|av|af|k[äa]ytt[äa]j[äa]n)\s+",
    )
    .unwrap_or_else(|e| panic!("regex: {e}"))
});

/// The German "Ein von NAME (@handle) geteilter Beitrag" form.
static IG_LEAD_VON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*ein(?:e)?\s+von\s+").unwrap_or_else(|e| panic!("regex: {e}"))
});

/// Split an author line like "A post shared by NAME (@handle) on …" into name and handle.
fn split_author_line(line: &str) -> (Option<String>, Option<String>) {
    let Some(caps) = PAREN_HANDLE.captures(line) else {
        return (None, None);
    };
    let handle = caps.get(1).map(|m| m.as_str().to_owned());
    let before = caps.get(0).map_or("", |m| &line[..m.start()]);
    let name_part = if let Some(m) = IG_LEAD.find(before) {
        &before[m.end()..]
    } else if let Some(m) = IG_LEAD_VON.find(before) {
        &before[m.end()..]
    } else {
        before
    };
    (collapse(name_part), handle)
}

fn parse_rfc3339(value: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(value.trim())
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// Month names and abbreviations as embed codes print them in English, Spanish, French, German,
/// Portuguese, Italian and Dutch (lowercase, without a trailing dot).
const MONTHS: [&[&str]; 12] = [
    &[
        "january", "jan", "januar", "jänner", "enero", "ene", "janvier", "janv", "janeiro",
        "gennaio", "gen", "januari",
    ],
    &[
        "february",
        "feb",
        "februar",
        "febrero",
        "février",
        "févr",
        "fevereiro",
        "fev",
        "febbraio",
        "februari",
    ],
    &[
        "march", "mar", "märz", "mär", "marzo", "mars", "março", "maart", "mrt",
    ],
    &["april", "apr", "abril", "abr", "avril", "avr", "aprile"],
    &["may", "mai", "mayo", "maio", "maggio", "mag", "mei"],
    &[
        "june", "jun", "juni", "junio", "juin", "junho", "giugno", "giu",
    ],
    &[
        "july", "jul", "juli", "julio", "juillet", "juil", "julho", "luglio", "lug",
    ],
    &["august", "aug", "agosto", "ago", "août"],
    &[
        "september",
        "sep",
        "sept",
        "septiembre",
        "septembre",
        "setembro",
        "set",
        "settembre",
    ],
    &[
        "october", "oct", "oktober", "okt", "octubre", "octobre", "outubro", "out", "ottobre",
        "ott",
    ],
    &["november", "nov", "noviembre", "novembre", "novembro"],
    &[
        "december",
        "dec",
        "dezember",
        "dez",
        "diciembre",
        "dic",
        "décembre",
        "déc",
        "dezembro",
        "dicembre",
    ],
];

fn month_number(word: &str) -> Option<u32> {
    let word = word.to_lowercase();
    let word = word.trim_end_matches('.');
    MONTHS
        .iter()
        .position(|names| names.contains(&word))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// A date as a link text shows it, in the languages of [`MONTHS`] ("February 20, 2014",
/// "Jan 2, 2015 at 3:04 PM", "20 de febrero de 2014", "1. Mai 2019", "2014-02-20"), taken as UTC
/// midnight of that day. The day is the first one- or two-digit number before the year.
fn parse_link_date(text: &str) -> Option<DateTime<Utc>> {
    let text = collapse(text)?;
    let date = NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .ok()
        .or_else(|| {
            let tokens: Vec<&str> = text
                .split(|c: char| !(c.is_alphanumeric() || c == '.'))
                .map(|t| t.trim_matches('.'))
                .filter(|t| !t.is_empty())
                .collect();
            let year_at = tokens
                .iter()
                .position(|t| t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()))?;
            let year: i32 = tokens[year_at].parse().ok()?;
            let month = tokens[..year_at].iter().find_map(|t| month_number(t))?;
            let day: u32 = tokens[..year_at]
                .iter()
                .find(|t| t.len() <= 2 && t.bytes().all(|b| b.is_ascii_digit()))?
                .parse()
                .ok()?;
            NaiveDate::from_ymd_opt(year, month, day)
        })?;
    date.and_hms_opt(0, 0, 0).map(|d| d.and_utc())
}

/// Instagram blockquote: caption `<p>` before the footer, footer "A post shared by NAME
/// (@handle)" (localised), `<time datetime>`.
pub(crate) fn instagram(el: ElementRef<'_>) -> Reading {
    let paragraphs: Vec<ElementRef<'_>> = descendants(el, "p").collect();
    let footer_at = paragraphs
        .iter()
        .rposition(|p| PAREN_HANDLE.is_match(&element_text(*p)));
    let mut reading = Reading::default();
    let Some(footer_at) = footer_at else {
        return reading;
    };
    let footer = paragraphs[footer_at];
    let footer_text = element_text(footer);
    let (mut name, handle) = split_author_line(&footer_text);
    // Older footers wrap only the name in a link: "A post shared by <a>NAME</a> (@handle)".
    if let Some(link_name) = descendants(footer, "a")
        .map(element_text)
        .find(|t| !t.contains("(@"))
        .and_then(|t| collapse(&t))
    {
        name = Some(link_name);
    }
    reading.author_name = name;
    reading.author_handle = handle;
    reading.published_at = descendants(footer, "time")
        .find_map(|t| t.value().attr("datetime"))
        .and_then(parse_rfc3339);
    if footer_at > 0 {
        reading.text = collapse(&element_text(paragraphs[footer_at - 1]))
            .filter(|t| !t.eq_ignore_ascii_case("View this post on Instagram"));
    }
    reading
}

/// "— NAME (@handle)" between the text paragraph and the date link of X and Bluesky quotes.
static DASH_AUTHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:—|–|-|&mdash;)?\s*(.*?)\s*\(\s*@?([A-Za-z0-9_.\-]{1,253})\s*\)")
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
pub(crate) fn x_like(el: ElementRef<'_>) -> Reading {
    let paragraphs: Vec<ElementRef<'_>> = descendants(el, "p").collect();
    let mut reading = Reading {
        text: paragraphs.first().and_then(|p| collapse(&element_text(*p))),
        ..Reading::default()
    };
    let lines = std::iter::once(el).chain(paragraphs.iter().skip(1).copied());
    for holder in lines {
        let (line, date_link) = author_line(holder);
        if let Some(caps) = DASH_AUTHOR.captures(&line) {
            reading.author_name = caps.get(1).and_then(|m| collapse(m.as_str()));
            reading.author_handle = caps.get(2).map(|m| m.as_str().to_owned());
            reading.published_at = date_link.as_deref().and_then(parse_link_date);
            break;
        }
    }
    reading
}

/// TikTok blockquote: `a[title^=@]` handle, `<p>` caption.
pub(crate) fn tiktok(el: ElementRef<'_>) -> Reading {
    Reading {
        author_handle: descendants(el, "a")
            .filter_map(|a| a.value().attr("title"))
            .find_map(|t| t.trim().strip_prefix('@').map(str::to_owned))
            .filter(|h| !h.is_empty()),
        text: descendants(el, "p")
            .next()
            .and_then(|p| collapse(&element_text(p))),
        ..Reading::default()
    }
}

/// Reddit blockquote: the post title link, "by <a href=/user/NAME/>u/NAME</a>".
pub(crate) fn reddit(el: ElementRef<'_>) -> Reading {
    let links: Vec<ElementRef<'_>> = descendants(el, "a").collect();
    let title = links
        .iter()
        .find(|a| {
            a.value()
                .attr("href")
                .is_some_and(|h| h.contains("/comments/"))
        })
        .and_then(|a| collapse(&element_text(*a)));
    let author = links
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .find_map(|h| {
            let rest = &h[h.find("/user/")? + "/user/".len()..];
            let name = rest.split(['/', '?', '#']).next()?;
            (!name.is_empty()).then(|| name.to_owned())
        });
    Reading {
        author_handle: author,
        text: title,
        ..Reading::default()
    }
}

/// Facebook's fallback blockquote inside `div.fb-post`: `<p>` text, "Posted by <a>NAME</a> on
/// <a>DATE</a>".
pub(crate) fn facebook(el: ElementRef<'_>) -> Reading {
    let Some(quote) = descendants(el, "blockquote").next() else {
        return Reading::default();
    };
    let links: Vec<ElementRef<'_>> = quote
        .children()
        .filter_map(ElementRef::wrap)
        .filter(|a| a.value().name() == "a")
        .collect();
    let (author, date) = match links.as_slice() {
        [] => (None, None),
        [only] => (Some(*only), None),
        [first, .., last] => (Some(*first), Some(*last)),
    };
    Reading {
        author_name: author.and_then(|a| collapse(&element_text(a))),
        text: descendants(quote, "p")
            .next()
            .and_then(|p| collapse(&element_text(p))),
        published_at: date.and_then(|a| parse_link_date(&element_text(a))),
        ..Reading::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Selector};

    fn first<'a>(html: &'a Html, sel: &str) -> ElementRef<'a> {
        let sel = Selector::parse(sel).unwrap();
        html.select(&sel).next().unwrap()
    }

    fn date(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn instagram_footers() {
        struct Case {
            html: &'static str,
            name: Option<&'static str>,
            handle: Option<&'static str>,
            text: Option<&'static str>,
            at: Option<&'static str>,
        }
        let cases = [
            Case {
                html: r#"<blockquote class="instagram-media" data-instgrm-captioned><div><a href="x">View this post on Instagram</a><p><a href="x">Sunset   at the
                 beach 🌅</a></p><p>A post shared by <a href="https://www.instagram.com/kira/">Kira Bejaoui</a> (@kirabejaoui) on <time datetime="2019-04-21T11:40:22+00:00">Apr 21, 2019</time></p></div></blockquote>"#,
                name: Some("Kira Bejaoui"),
                handle: Some("kirabejaoui"),
                text: Some("Sunset at the beach 🌅"),
                at: Some("2019-04-21T11:40:22Z"),
            },
            Case {
                html: r#"<blockquote class="instagram-media"><div><a href="x">View this post on Instagram</a><p><a href="x">A post shared by Benjamin Näßler (he/him) (@3ensta)</a></p></div></blockquote>"#,
                name: Some("Benjamin Näßler (he/him)"),
                handle: Some("3ensta"),
                text: None,
                at: None,
            },
            Case {
                html: r#"<blockquote class="instagram-media"><p><a href="x">Ein Beitrag geteilt von SKEP (@skep.association)</a> am <time datetime="2017-10-23T07:31:37+00:00">23. Okt 2017</time></p></blockquote>"#,
                name: Some("SKEP"),
                handle: Some("skep.association"),
                text: None,
                at: Some("2017-10-23T07:31:37Z"),
            },
            Case {
                html: r#"<blockquote class="instagram-media"><p><a href="x">Una publicación compartida de Ana (@ana_x)</a></p></blockquote>"#,
                name: Some("Ana"),
                handle: Some("ana_x"),
                text: None,
                at: None,
            },
            Case {
                html: r#"<blockquote class="instagram-media"><p><a href="x">Ein von Max (@max) geteilter Beitrag</a></p></blockquote>"#,
                name: Some("Max"),
                handle: Some("max"),
                text: None,
                at: None,
            },
            Case {
                html: r#"<blockquote class="instagram-media"><div><a href="x">View this post on Instagram</a></div></blockquote>"#,
                name: None,
                handle: None,
                text: None,
                at: None,
            },
        ];
        for case in cases {
            let html = Html::parse_fragment(case.html);
            let r = instagram(first(&html, "blockquote"));
            assert_eq!(r.author_name.as_deref(), case.name, "{}", case.html);
            assert_eq!(r.author_handle.as_deref(), case.handle, "{}", case.html);
            assert_eq!(r.text.as_deref(), case.text, "{}", case.html);
            assert_eq!(r.published_at, case.at.map(date), "{}", case.html);
        }
    }

    #[test]
    fn x_blockquote() {
        let html = Html::parse_fragment(
            r#"<blockquote class="twitter-tweet"><p lang="es" dir="ltr">Hola <a href="http://t.co/x">mundo</a></p>&mdash; Some Name (@handle_1) <a href="https://twitter.com/handle_1/status/123?ref_src=twsrc%5Etfw">February 20, 2014</a></blockquote>"#,
        );
        let r = x_like(first(&html, "blockquote"));
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
        let r = x_like(first(&html, "blockquote"));
        assert_eq!(r.text.as_deref(), Some("NEW: text pic.twitter.com/s"));
        assert_eq!(r.author_name.as_deref(), Some("Jennifer Lawrence"));
        assert_eq!(r.author_handle.as_deref(), Some("JenniferUpdates"));
        assert_eq!(r.published_at, Some(date("2014-12-27T00:00:00Z")));
    }

    #[test]
    fn bluesky_blockquote() {
        let html = Html::parse_fragment(
            r#"<blockquote class="bluesky-embed"><p lang="en">Hi<br><br><a href="https://bsky.app/profile/did:plc:a/post/3k">[image]</a></p>&mdash; Jane (<a href="https://bsky.app/profile/did:plc:a">@jane.bsky.social</a>) <a href="https://bsky.app/profile/did:plc:a/post/3k">March 5, 2024 at 9:01 AM</a></blockquote>"#,
        );
        let r = x_like(first(&html, "blockquote"));
        assert_eq!(r.author_name.as_deref(), Some("Jane"));
        assert_eq!(r.author_handle.as_deref(), Some("jane.bsky.social"));
        assert_eq!(r.published_at, Some(date("2024-03-05T00:00:00Z")));
    }

    #[test]
    fn link_dates() {
        let cases = [
            ("January 2, 2015", Some("2015-01-02T00:00:00Z")),
            ("Jan 2, 2015", Some("2015-01-02T00:00:00Z")),
            ("2 January 2015", Some("2015-01-02T00:00:00Z")),
            ("20 de febrero de 2014", Some("2014-02-20T00:00:00Z")),
            ("1. Mai 2019", Some("2019-05-01T00:00:00Z")),
            ("23 déc. 2021", Some("2021-12-23T00:00:00Z")),
            ("March 5, 2024 at 9:01 AM", Some("2024-03-05T00:00:00Z")),
            ("2014-02-20", Some("2014-02-20T00:00:00Z")),
            ("February 30, 2014", None),
            ("yesterday", None),
            ("May 2014", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_link_date(text), want.map(date), "{text}");
        }
    }

    #[test]
    fn reddit_blockquote() {
        let html = Html::parse_fragment(
            r#"<blockquote class="reddit-embed-bq"><a href="https://www.reddit.com/r/s/comments/abc/t/">A  title</a><br> by <a href="https://www.reddit.com/user/someone/">u/someone</a> in <a href="https://www.reddit.com/r/s/">s</a></blockquote>"#,
        );
        let r = reddit(first(&html, "blockquote"));
        assert_eq!(r.text.as_deref(), Some("A title"));
        assert_eq!(r.author_handle.as_deref(), Some("someone"));
    }

    #[test]
    fn facebook_fallback_quote() {
        let html = Html::parse_fragment(
            r#"<div class="fb-post" data-href="https://www.facebook.com/p/posts/1"><blockquote cite="https://www.facebook.com/p/posts/1" class="fb-xfbml-parse-ignore"><p>Big news today</p>Posted by <a href="https://www.facebook.com/p">Some Page</a> on&nbsp;<a href="https://www.facebook.com/p/posts/1">Thursday, February 4, 2021</a></blockquote></div>"#,
        );
        let r = facebook(first(&html, "div"));
        assert_eq!(r.text.as_deref(), Some("Big news today"));
        assert_eq!(r.author_name.as_deref(), Some("Some Page"));
        assert_eq!(r.published_at, Some(date("2021-02-04T00:00:00Z")));
        let bare = Html::parse_fragment(r#"<div class="fb-post" data-href="x"></div>"#);
        assert_eq!(facebook(first(&bare, "div")), Reading::default());
    }

    #[test]
    fn tiktok_blockquote() {
        let html = Html::parse_fragment(
            r#"<blockquote class="tiktok-embed" cite="https://www.tiktok.com/@scout/video/1"><section><a title="@scout" href="https://www.tiktok.com/@scout?refer=embed">@scout</a><p>Dance  time</p><a title="♬ song" href="x">♬ song</a></section></blockquote>"#,
        );
        let r = tiktok(first(&html, "blockquote"));
        assert_eq!(r.author_handle.as_deref(), Some("scout"));
        assert_eq!(r.text.as_deref(), Some("Dance time"));
    }
}
