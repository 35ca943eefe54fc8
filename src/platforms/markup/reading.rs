//! What an embed's own fallback markup says about the post (author, handle, text, date), read
//! offline from the blockquote a publisher pasted. These readings are the only record of a post
//! when the platform later refuses to answer, so they are read exactly as written: never guessed,
//! never fetched.
//!
//! This module holds the reading every platform shares (the fields, whitespace, dates as embed
//! codes print them); each platform's own reader lives in its module.

use chrono::{DateTime, NaiveDate, Utc};
use scraper::ElementRef;

/// What the markup of one embed says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reading {
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
pub fn collapse(text: &str) -> Option<String> {
    Some(crate::platforms::readers::collapse_whitespace(text)).filter(|t| !t.is_empty())
}

/// The element's text, as it shows: a line break (`<br>`) breaks the line, so the words on either
/// side of it stay apart (X's embed code writes a post's blank lines as `<br><br>` between two
/// sentences, with no space).
pub fn element_text(el: ElementRef<'_>) -> String {
    let mut out = String::new();
    for node in el.descendants() {
        match node.value() {
            scraper::Node::Text(text) => out.push_str(text),
            scraper::Node::Element(e) if e.name() == "br" => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// The descendants of `el` named `name`, in document order.
pub fn descendants<'a>(el: ElementRef<'a>, name: &'a str) -> impl Iterator<Item = ElementRef<'a>> {
    el.descendent_elements()
        .filter(move |e| e.value().name() == name)
}

/// An RFC 3339 date (a `<time datetime>`), in UTC.
pub fn parse_rfc3339(value: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(value.trim())
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// Month names and abbreviations as embed codes print them, lowercase, without a trailing dot:
/// English, Spanish, French, German, Portuguese, Italian, Dutch; and the names (in the case a
/// date writes them) of Catalan, Swedish, Danish, Norwegian, Indonesian, Romanian, Polish,
/// Czech, Finnish, Turkish, Greek, Russian and Ukrainian, in which X writes a post's date when
/// the embed code is made in that language ("6 Φεβρουαρίου 2018").
const MONTHS: [&[&str]; 12] = [
    &[
        "january",
        "jan",
        "januar",
        "jänner",
        "enero",
        "ene",
        "janvier",
        "janv",
        "janeiro",
        "gennaio",
        "gen",
        "januari",
        "gener",
        "ianuarie",
        "stycznia",
        "ledna",
        "tammikuuta",
        "ocak",
        "ιανουαρίου",
        "января",
        "січня",
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
        "febrer",
        "februarie",
        "lutego",
        "února",
        "helmikuuta",
        "şubat",
        "φεβρουαρίου",
        "февраля",
        "лютого",
    ],
    &[
        "march",
        "mar",
        "märz",
        "mär",
        "marzo",
        "mars",
        "março",
        "maart",
        "mrt",
        "març",
        "marts",
        "maret",
        "martie",
        "marca",
        "března",
        "maaliskuuta",
        "mart",
        "μαρτίου",
        "марта",
        "березня",
    ],
    &[
        "april",
        "apr",
        "abril",
        "abr",
        "avril",
        "avr",
        "aprile",
        "aprilie",
        "kwietnia",
        "dubna",
        "huhtikuuta",
        "nisan",
        "απριλίου",
        "апреля",
        "квітня",
    ],
    &[
        "may",
        "mai",
        "mayo",
        "maio",
        "maggio",
        "mag",
        "mei",
        "maig",
        "maj",
        "maja",
        "května",
        "toukokuuta",
        "mayıs",
        "μαΐου",
        "мая",
        "травня",
    ],
    &[
        "june",
        "jun",
        "juni",
        "junio",
        "juin",
        "junho",
        "giugno",
        "giu",
        "juny",
        "iunie",
        "czerwca",
        "června",
        "kesäkuuta",
        "haziran",
        "ιουνίου",
        "июня",
        "червня",
    ],
    &[
        "july",
        "jul",
        "juli",
        "julio",
        "juillet",
        "juil",
        "julho",
        "luglio",
        "lug",
        "juliol",
        "iulie",
        "lipca",
        "července",
        "heinäkuuta",
        "temmuz",
        "ιουλίου",
        "июля",
        "липня",
    ],
    &[
        "august",
        "aug",
        "agosto",
        "ago",
        "août",
        "agost",
        "augusti",
        "agustus",
        "sierpnia",
        "srpna",
        "elokuuta",
        "ağustos",
        "αυγούστου",
        "августа",
        "серпня",
    ],
    &[
        "september",
        "sep",
        "sept",
        "septiembre",
        "septembre",
        "setembro",
        "set",
        "settembre",
        "setembre",
        "septembrie",
        "września",
        "září",
        "syyskuuta",
        "eylül",
        "σεπτεμβρίου",
        "сентября",
        "вересня",
    ],
    &[
        "october",
        "oct",
        "oktober",
        "okt",
        "octubre",
        "octobre",
        "outubro",
        "out",
        "ottobre",
        "ott",
        "octombrie",
        "października",
        "října",
        "lokakuuta",
        "ekim",
        "οκτωβρίου",
        "октября",
        "жовтня",
    ],
    &[
        "november",
        "nov",
        "noviembre",
        "novembre",
        "novembro",
        "noiembrie",
        "listopada",
        "listopadu",
        "marraskuuta",
        "kasım",
        "νοεμβρίου",
        "ноября",
        "листопада",
    ],
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
        "desembre",
        "desember",
        "decembrie",
        "grudnia",
        "prosince",
        "joulukuuta",
        "aralık",
        "δεκεμβρίου",
        "декабря",
        "грудня",
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

/// A date written year, month and day with their signs, as Japanese, Chinese and Korean embed
/// codes write it: `2018年2月6日`, `2018년 2월 6일`.
fn east_asian_date(text: &str) -> Option<NaiveDate> {
    let mut numbers = [0u32; 3];
    let mut rest = text;
    for (n, signs) in numbers
        .iter_mut()
        .zip([['年', '년'], ['月', '월'], ['日', '일']])
    {
        let at = rest.find(signs)?;
        let digits = rest[..at].trim_end();
        let start = digits
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_digit())
            .last()
            .map(|(i, _)| i)?;
        *n = digits[start..].parse().ok()?;
        rest = &rest[at..];
        rest = rest.get(rest.chars().next()?.len_utf8()..)?;
    }
    NaiveDate::from_ymd_opt(i32::try_from(numbers[0]).ok()?, numbers[1], numbers[2])
}

/// A date as a link text shows it, in the languages of [`MONTHS`] ("February 20, 2014",
/// "Jan 2, 2015 at 3:04 PM", "20 de febrero de 2014", "1. Mai 2019", "2014-02-20"), taken as UTC
/// midnight of that day. The day is the first one- or two-digit number before the year.
pub fn parse_link_date(text: &str) -> Option<DateTime<Utc>> {
    let text = collapse(text)?;
    let date = NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .ok()
        .or_else(|| east_asian_date(&text))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_line_break_keeps_words_apart() {
        let doc =
            scraper::Html::parse_fragment("<p>competitors.<br><br>Chatting <b>between</b></p>");
        let p = doc
            .select(&scraper::Selector::parse("p").unwrap())
            .next()
            .unwrap();
        assert_eq!(element_text(p), "competitors.\n\nChatting between");
        assert_eq!(
            collapse(&element_text(p)).as_deref(),
            Some("competitors. Chatting between")
        );
    }

    /// A name stands for one month in every language listed.
    #[test]
    fn every_month_name_names_one_month() {
        let mut seen = std::collections::HashMap::new();
        for (i, names) in MONTHS.iter().enumerate() {
            for name in *names {
                assert_eq!(*name, name.to_lowercase(), "{name} is written lowercase");
                if let Some(other) = seen.insert(*name, i) {
                    assert_eq!(other, i, "{name} names two months");
                }
            }
        }
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
            ("6 Φεβρουαρίου 2018", Some("2018-02-06T00:00:00Z")),
            ("9 августа 2023 г.", Some("2023-08-09T00:00:00Z")),
            ("6 lutego 2018", Some("2018-02-06T00:00:00Z")),
            ("6 Şubat 2018", Some("2018-02-06T00:00:00Z")),
            ("6. helmikuuta 2018", Some("2018-02-06T00:00:00Z")),
            ("2018年2月6日", Some("2018-02-06T00:00:00Z")),
            ("2018년 2월 6일", Some("2018-02-06T00:00:00Z")),
            ("2018年13月6日", None),
            ("February 30, 2014", None),
            ("yesterday", None),
            ("May 2014", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_link_date(text), want.map(date), "{text}");
        }
    }
}
