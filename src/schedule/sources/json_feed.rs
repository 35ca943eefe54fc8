//! JSON Feed (<https://www.jsonfeed.org/version/1.1/>), read leniently: real feeds declare the
//! version as `http://…` as often as `https://…` (the 1.0 text wrote both), put a string where
//! the spec wants a list (`"tags": "a,b"`), or start with a byte-order mark. An entry needs only
//! its page; every other field is read when it has the spec's type and passed over when not,
//! so one odd field does not cost the feed its articles.

//!
//! The document is read as it streams through serde, never built as a tree: a value of no use
//! (an odd field, an item that is no object) is skipped without being kept, and past
//! [`MAX_ITEMS`] items the rest are only counted. A feed of millions of tiny items costs the
//! items kept, not a tree of them all.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use url::Url;

use super::{DEFAULT_MAX_URLS, SourceError};

/// Items read from one JSON Feed; the rest are counted and skipped. Twice the URL cap of a
/// feed ([`DEFAULT_MAX_URLS`]), so that repeated items and items without a page do not keep
/// the cap's worth of articles from being read.
const MAX_ITEMS: usize = 2 * DEFAULT_MAX_URLS;

/// One entry of a JSON Feed: its page (`url`, else an `id` that is an absolute URL), title and
/// date, as written (the caller resolves and filters the page).
#[derive(Debug)]
pub(super) struct JsonEntry {
    pub page: Option<String>,
    pub title: Option<String>,
    pub updated: Option<DateTime<Utc>>,
}

/// Whether the body is JSON (its first byte past a UTF-8 byte-order mark and whitespace is
/// `{`): a JSON Feed, or no feed at all.
pub(super) fn is_json(body: &[u8]) -> bool {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

/// The entries of a JSON Feed, in feed order (at most [`MAX_ITEMS`]), and how many items past
/// those were left unread.
pub(super) fn entries(body: &[u8], feed_url: &Url) -> Result<(Vec<JsonEntry>, usize), SourceError> {
    let not_a_feed = |message: String| SourceError::NotAFeed {
        url: feed_url.to_string(),
        message,
    };
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let doc: Doc = serde_json::from_slice(body).map_err(|e| not_a_feed(e.to_string()))?;
    // `version` is required; its scheme is not (`http://jsonfeed.org/version/1` is common).
    if !doc
        .version
        .0
        .as_deref()
        .is_some_and(|v| v.contains("jsonfeed.org/version/"))
    {
        return Err(not_a_feed(format!(
            "JSON without a JSON Feed version (\"version\": {})",
            doc.version
                .0
                .as_deref()
                .map_or("none".to_owned(), |v| format!("{v:?}"))
        )));
    }
    let Items { kept, unread } = doc.items;
    let kept =
        kept.ok_or_else(|| not_a_feed("a JSON Feed without an \"items\" list".to_owned()))?;
    // An item that is no object is an entry without a page (counted as skipped).
    let entries = kept
        .into_iter()
        .map(|item| item.map_or_else(|| entry(Item::default()), entry))
        .collect();
    Ok((entries, unread))
}

fn entry(item: Item) -> JsonEntry {
    let text = |v: Text| v.0.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    let date = |v: Text| {
        text(v)
            .and_then(|d| DateTime::parse_from_rfc3339(&d).ok())
            .map(|d| d.with_timezone(&Utc))
    };
    // An `id` is any string; it names the page only when it is an absolute address.
    let id_page = text(item.id).filter(|id| Url::parse(id).is_ok());
    JsonEntry {
        page: text(item.url).or(id_page),
        title: text(item.title),
        updated: date(item.date_modified).or_else(|| date(item.date_published)),
    }
}

/// The document's top level: every other member is skipped unread.
#[derive(Deserialize)]
struct Doc {
    #[serde(default)]
    version: Text,
    #[serde(default)]
    items: Items,
}

/// The fields an entry is read for; every other member is skipped unread.
#[derive(Deserialize, Default)]
struct Item {
    #[serde(default)]
    id: Text,
    #[serde(default)]
    url: Text,
    #[serde(default)]
    title: Text,
    #[serde(default)]
    date_published: Text,
    #[serde(default)]
    date_modified: Text,
}

/// The visitor methods of value kinds a visitor does not read: each gives `$none`, a list's or
/// an object's members skipped unread (`IgnoredAny`), so that nothing of them is kept.
macro_rules! skip_values {
    ($out:ty, $none:expr; scalars) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<$out, E> {
            Ok($none)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<$out, E> {
            Ok($none)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<$out, E> {
            Ok($none)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<$out, E> {
            Ok($none)
        }
        fn visit_unit<E: de::Error>(self) -> Result<$out, E> {
            Ok($none)
        }
    };
    ($out:ty, $none:expr; str) => {
        fn visit_str<E: de::Error>(self, _: &str) -> Result<$out, E> {
            Ok($none)
        }
    };
    ($out:ty, $none:expr; seq) => {
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<$out, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok($none)
        }
    };
    ($out:ty, $none:expr; map) => {
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<$out, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok($none)
        }
    };
}

/// A string, or nothing when the value is of another type (skipped unread).
#[derive(Default)]
struct Text(Option<String>);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(Some(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text(Some(v)))
            }
            skip_values!(Text, Text(None); scalars);
            skip_values!(Text, Text(None); seq);
            skip_values!(Text, Text(None); map);
        }
        d.deserialize_any(V)
    }
}

/// The `items` list: each object an entry (anything else `None`), the first [`MAX_ITEMS`] kept
/// and the rest skipped unread and counted; `kept` is `None` when `items` is no list.
#[derive(Default)]
struct Items {
    kept: Option<Vec<Option<Item>>>,
    unread: usize,
}

impl<'de> Deserialize<'de> for Items {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Items;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of items")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Items, A::Error> {
                let (mut kept, mut unread) = (Vec::new(), 0);
                loop {
                    let more = if kept.len() < MAX_ITEMS {
                        seq.next_element::<MaybeItem>()?
                            .map(|item| kept.push(item.0))
                    } else {
                        seq.next_element::<IgnoredAny>()?.map(|_| unread += 1)
                    };
                    if more.is_none() {
                        return Ok(Items {
                            kept: Some(kept),
                            unread,
                        });
                    }
                }
            }
            skip_values!(Items, Items::default(); map);
            skip_values!(Items, Items::default(); str);
            skip_values!(Items, Items::default(); scalars);
        }
        d.deserialize_any(V)
    }
}

/// One element of `items`: an entry when it is an object, else `None` (skipped unread).
struct MaybeItem(Option<Item>);

impl<'de> Deserialize<'de> for MaybeItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MaybeItem;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an item")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<MaybeItem, A::Error> {
                Item::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|i| MaybeItem(Some(i)))
            }
            skip_values!(MaybeItem, MaybeItem(None); seq);
            skip_values!(MaybeItem, MaybeItem(None); str);
            skip_values!(MaybeItem, MaybeItem(None); scalars);
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed_url() -> Url {
        Url::parse("https://news.test/feed.json").expect("url")
    }

    #[test]
    fn odd_fields_are_passed_over_and_the_entry_kept() {
        let body = br#"{"version": "http://jsonfeed.org/version/1", "title": "t",
            "items": [
              {"id": "1", "url": "https://news.test/a", "tags": "x,y", "title": 5,
               "date_published": "2020-01-02T03:04:05-05:00"},
              {"id": "https://news.test/b", "date_modified": "yesterday"},
              {"id": "3"}
            ]}"#;
        let (got, unread) = entries(body, &feed_url()).expect("a feed");
        assert_eq!(unread, 0);
        let pages: Vec<_> = got.iter().map(|e| e.page.as_deref()).collect();
        assert_eq!(
            pages,
            [
                Some("https://news.test/a"),
                Some("https://news.test/b"),
                None
            ]
        );
        assert_eq!(got[0].title, None);
        assert_eq!(
            got[0].updated.map(|d| d.to_rfc3339()),
            Some("2020-01-02T08:04:05+00:00".to_owned())
        );
        assert_eq!(got[1].updated, None);
    }

    #[test]
    fn json_that_is_no_feed_is_refused_naming_the_feed() {
        for body in [
            &br#"{"items": []}"#[..],
            br#"{"version": "https://jsonfeed.org/version/1.1"}"#,
            br#"{"version": "https://jsonfeed.org/version/1.1", "items": {}}"#,
            b"{not json",
        ] {
            let err = entries(body, &feed_url()).expect_err("refused");
            assert!(
                err.to_string()
                    .starts_with("https://news.test/feed.json: not a readable feed"),
                "{err}"
            );
        }
    }

    #[test]
    fn a_byte_order_mark_is_not_the_document() {
        assert!(is_json(b"\xEF\xBB\xBF \n{\"version\":1}"));
        assert!(!is_json(b"<?xml version=\"1.0\"?><rss/>"));
        let body = b"\xEF\xBB\xBF{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [{\"url\": \"https://news.test/a\"}]}";
        assert_eq!(entries(body, &feed_url()).expect("a feed").0.len(), 1);
    }

    /// Items that are no objects are entries without a page, read without being kept; past
    /// [`MAX_ITEMS`] the rest are only counted.
    #[test]
    fn items_of_any_shape_and_number_cost_only_those_kept() {
        let mut body =
            String::from(r#"{"version": "https://jsonfeed.org/version/1.1", "items": ["#);
        body.push_str(
            r#"[1, {"url": "https://news.test/in-a-list"}], "x", {"url": "https://news.test/a"}"#,
        );
        for _ in 0..MAX_ITEMS {
            body.push_str(",0");
        }
        body.push_str(r#", {"url": "https://news.test/late"}]}"#);
        let (got, unread) = entries(body.as_bytes(), &feed_url()).expect("a feed");
        assert_eq!(got.len(), MAX_ITEMS);
        assert_eq!(unread, 4);
        let pages: Vec<_> = got.iter().filter_map(|e| e.page.as_deref()).collect();
        assert_eq!(pages, ["https://news.test/a"]);
    }
}
