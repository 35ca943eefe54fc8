//! JSON Feed (<https://www.jsonfeed.org/version/1.1/>), read leniently: real feeds declare the
//! version as `http://…` as often as `https://…` (the 1.0 text wrote both), put a string where
//! the spec wants a list (`"tags": "a,b"`), or start with a byte-order mark. An entry needs only
//! its page; every other field is read when it has the spec's type and passed over when not,
//! so one odd field does not cost the feed its articles.

use chrono::{DateTime, Utc};
use serde_json::Value;
use url::Url;

use super::SourceError;

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

/// The entries of a JSON Feed, in feed order.
pub(super) fn entries(body: &[u8], feed_url: &Url) -> Result<Vec<JsonEntry>, SourceError> {
    let not_a_feed = |message: String| SourceError::NotAFeed {
        url: feed_url.to_string(),
        message,
    };
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let doc: Value = serde_json::from_slice(body).map_err(|e| not_a_feed(e.to_string()))?;
    let version = doc.get("version").and_then(Value::as_str).unwrap_or("");
    // `version` is required; its scheme is not (`http://jsonfeed.org/version/1` is common).
    if !version.contains("jsonfeed.org/version/") {
        return Err(not_a_feed(format!(
            "JSON without a JSON Feed version (\"version\": {:?})",
            doc.get("version").map(Value::to_string).unwrap_or_default()
        )));
    }
    let items = doc
        .get("items")
        .and_then(Value::as_array)
        .ok_or_else(|| not_a_feed("a JSON Feed without an \"items\" list".to_owned()))?;
    Ok(items.iter().map(entry).collect())
}

fn entry(item: &Value) -> JsonEntry {
    let text = |key: &str| {
        item.get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let date = |key: &str| {
        text(key)
            .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
            .map(|d| d.with_timezone(&Utc))
    };
    // An `id` is any string; it names the page only when it is an absolute address.
    let id_page = text("id").filter(|id| Url::parse(id).is_ok());
    JsonEntry {
        page: text("url").or(id_page).map(str::to_owned),
        title: text("title").map(str::to_owned),
        updated: date("date_modified").or_else(|| date("date_published")),
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
        let got = entries(body, &feed_url()).expect("a feed");
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
        assert_eq!(entries(body, &feed_url()).expect("a feed").len(), 1);
    }
}
