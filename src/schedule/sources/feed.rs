//! RSS (0.9x, 1.0, 2.0), Atom and JSON Feed documents, read by feed-rs.
//!
//! An entry's article is its first link that is the entry's own page (no `rel`, or
//! `rel="alternate"`: Atom's `self`, `enclosure`, `replies` and friends are other things),
//! and failing that its id when the id is an absolute http(s) URL (an RSS `<guid>` is often
//! the permalink). Links are resolved against `xml:base` and the feed's own URL, as feed-rs
//! does, so relative links work. A feed whose DTD declares entities is refused, as a sitemap
//! is ([`SourceError::EntityDeclaration`]): feed-rs never expands them, so a link written as
//! an entity (`<link>&h;</link>`) would be read as the address `…/&h;`.

use std::collections::HashSet;

use url::Url;

use super::{SourceError, SourceItem, SourceLimits, http_url};

/// The articles of a feed, in feed order.
///
/// Links are resolved against `feed_url`, only http(s) URLs are kept, an article listed twice
/// is kept once (at its first place), and entries with no usable link are skipped. Of a feed
/// with more than `limits.max_urls` distinct articles the first `max_urls` are kept and the
/// rest left out with a warning naming the feed and how many: feeds list newest first, so
/// those are the ones worth queueing, and refusing the feed would queue nothing at all.
pub fn parse_feed(
    body: &[u8],
    feed_url: &Url,
    limits: &SourceLimits,
) -> Result<Vec<SourceItem>, SourceError> {
    if declares_entities(body) {
        return Err(SourceError::EntityDeclaration {
            url: feed_url.to_string(),
        });
    }
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(feed_url.as_str()))
        .build();
    let feed = parser.parse(body).map_err(|e| SourceError::NotAFeed {
        url: feed_url.to_string(),
        message: e.to_string(),
    })?;
    let mut seen = HashSet::new();
    let mut items = Vec::new();
    let mut skipped = 0usize;
    let mut left_out = 0usize;
    for entry in feed.entries {
        let Some(url) = entry_url(&entry, feed_url) else {
            skipped += 1;
            continue;
        };
        if !seen.insert(url.clone()) {
            continue;
        }
        if items.len() >= limits.max_urls {
            left_out += 1;
            continue;
        }
        let title = entry
            .title
            .map(|t| t.content.trim().to_owned())
            .filter(|t| !t.is_empty());
        items.push(SourceItem {
            url,
            updated: entry.updated.or(entry.published),
            title,
        });
    }
    if skipped > 0 {
        tracing::warn!(url = %feed_url, skipped, "feed entries without an http(s) link were skipped");
    }
    if left_out > 0 {
        tracing::warn!(
            url = %feed_url, kept = items.len(), left_out,
            "the feed lists more than {} articles: the first {} (feeds list newest first) are \
             taken, {left_out} left out",
            limits.max_urls, limits.max_urls
        );
    }
    Ok(items)
}

/// Whether an XML document's DTD, before its root element, declares entities. A document
/// that is not XML (JSON Feed) or that fails to read before its root declares none here; the
/// feed parser then says what it is.
fn declares_entities(body: &[u8]) -> bool {
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::DocType(doctype)) => {
                return super::declares_entities(doctype[..].as_bytes());
            }
            Ok(
                quick_xml::events::Event::Start(_)
                | quick_xml::events::Event::Empty(_)
                | quick_xml::events::Event::Eof,
            )
            | Err(_) => return false,
            Ok(_) => buf.clear(),
        }
    }
}

/// The article URL of one entry, if it has a usable one.
fn entry_url(entry: &feed_rs::model::Entry, feed_url: &Url) -> Option<Url> {
    let own_page = entry
        .links
        .iter()
        .filter(|l| {
            l.rel
                .as_deref()
                .is_none_or(|r| r.eq_ignore_ascii_case("alternate"))
        })
        .filter_map(|l| feed_url.join(l.href.trim()).ok())
        .find(http_url);
    // The id counts only when it is absolute: a bare `<guid>4956764</guid>` resolved against
    // the feed URL would be a page that does not exist.
    own_page.or_else(|| Url::parse(entry.id.trim()).ok().filter(http_url))
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeZone, Utc};

    use super::*;
    use crate::schedule::sources::DEFAULT_MAX_URLS;
    use crate::schedule::sources::tests::{assert_left_out, fixture};
    use crate::test_support::Logs;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<DateTime<Utc>> {
        Some(Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap())
    }

    fn locs(items: &[SourceItem]) -> Vec<&str> {
        items.iter().map(|i| i.url.as_str()).collect()
    }

    #[test]
    fn a_news_rss_feed() {
        let feed_url = url("https://www.nbcnewyork.com/?rss=y");
        let items = parse_feed(
            &fixture("feed-rs-rss_2.0_nbcny.xml"),
            &feed_url,
            &SourceLimits::default(),
        )
        .unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(
            items[0].url.as_str(),
            "https://www.nbcnewyork.com/news/local/nyc-cops-search-for-stabbing-suspect-after-leaving-18-year-old-to-bleed-out-on-sidewalk/4956764/"
        );
        assert_eq!(
            items[0].title.as_deref(),
            Some(
                "NYC cops search for stabbing suspect after leaving 18-year-old to bleed out on sidewalk"
            )
        );
    }

    #[test]
    fn rss_items_with_xml_base_and_dates() {
        let feed_url = url("https://insanity.industries/index.xml");
        let items = parse_feed(
            &fixture("feed-rs-rss_2.0_relurl_1.xml"),
            &feed_url,
            &SourceLimits::default(),
        )
        .unwrap();
        assert_eq!(
            locs(&items),
            [
                "https://insanity.industries/post/pareto-optimal-compression/",
                "https://insanity.industries/post/pacman-tracking-leftover-packages/"
            ]
        );
        assert_eq!(items[0].updated, at(2021, 3, 2, 22, 39, 15));
        assert_eq!(
            items[1].title.as_deref(),
            Some("Tracking leftover packages with pacman")
        );
    }

    #[test]
    fn atom_links_are_resolved_against_the_feed_url() {
        let feed_url = url("https://feeds.test/blog/feed.xml");
        let items = parse_feed(
            &fixture("feed-rs-atom_relative.xml"),
            &feed_url,
            &SourceLimits::default(),
        )
        .unwrap();
        assert_eq!(
            items,
            [SourceItem {
                url: url("https://feeds.test/blog/2003/12/13/atom03"),
                updated: at(2003, 12, 13, 18, 30, 2),
                title: Some("Atom-Powered Robots Run Amok".into()),
            }]
        );
        let plain = parse_feed(
            &fixture("trafilatura-feed1.atom"),
            &feed_url,
            &SourceLimits::default(),
        )
        .unwrap();
        assert_eq!(locs(&plain), ["http://example.org/2003/12/13/atom03"]);
    }

    #[test]
    fn json_feed_items_are_their_own_pages_not_the_pages_they_link_to() {
        let feed_url = url("https://daringfireball.net/feeds/json");
        let items = parse_feed(
            &fixture("feed-rs-jsonfeed_example_1.json"),
            &feed_url,
            &SourceLimits::default(),
        )
        .unwrap();
        assert_eq!(
            locs(&items),
            [
                "https://daringfireball.net/linked/2020/01/24/bezos-iphone-x",
                "https://daringfireball.net/linked/2020/01/20/instagram-for-win95"
            ]
        );
        assert_eq!(items[1].updated, at(2020, 1, 21, 20, 58, 36));
        assert_eq!(items[1].title.as_deref(), Some("Instagram for Windows 95"));
    }

    #[test]
    fn guids_stand_in_for_missing_links_only_when_absolute_and_duplicates_go() {
        let rss = r#"<rss version="2.0"><channel><title>t</title>
            <item><title>A</title><link>https://news.test/a</link></item>
            <item><title>A again</title><link>https://news.test/a</link></item>
            <item><title>Permalink guid</title><guid>https://news.test/b</guid></item>
            <item><title>Bare guid</title><guid isPermaLink="false">4956764</guid></item>
            <item><title>Mail</title><link>mailto:desk@news.test</link></item>
            <item><title>Relative</title><link>/c</link></item>
            </channel></rss>"#;
        let items = parse_feed(
            rss.as_bytes(),
            &url("https://news.test/rss"),
            &SourceLimits::default(),
        )
        .unwrap();
        assert_eq!(
            locs(&items),
            [
                "https://news.test/a",
                "https://news.test/b",
                "https://news.test/c"
            ]
        );
        assert_eq!(items[0].title.as_deref(), Some("A"));
    }

    #[test]
    fn atom_self_and_enclosure_links_are_not_the_article() {
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:x</id>
            <entry><id>urn:e</id><title>E</title>
              <link rel="self" href="https://news.test/api/e"/>
              <link rel="enclosure" href="https://cdn.news.test/e.mp3"/>
              <link rel="alternate" href="https://news.test/e"/>
            </entry></feed>"#;
        let items = parse_feed(
            atom.as_bytes(),
            &url("https://news.test/atom"),
            &SourceLimits::default(),
        )
        .unwrap();
        assert_eq!(locs(&items), ["https://news.test/e"]);
    }

    /// A feed whose DTD declares entities is refused whole, as a sitemap is: a billion laughs,
    /// and a link written as an entity, which would be read as the address `…/&h;`.
    #[test]
    fn a_feed_declaring_entities_is_refused() {
        let mut rss =
            String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n  <!ENTITY lol \"lol\">\n");
        for n in 1..=9 {
            let prev = if n == 1 {
                "&lol;".repeat(10)
            } else {
                format!("&lol{};", n - 1).repeat(10)
            };
            rss.push_str(&format!("  <!ENTITY lol{n} \"{prev}\">\n"));
        }
        rss.push_str(
            "]>\n<rss version=\"2.0\"><channel><title>t</title>\
            <item><title>&lol9;</title><link>https://news.test/a</link></item></channel></rss>",
        );
        let link = "<!DOCTYPE rss [<!entity h \"https://news.test/raw.html\">]>\
            <rss version=\"2.0\"><channel><item><link>&h;</link></item></channel></rss>";
        for body in [rss.as_str(), link] {
            match parse_feed(
                body.as_bytes(),
                &url("https://news.test/rss"),
                &SourceLimits::default(),
            ) {
                Err(SourceError::EntityDeclaration { url }) => {
                    assert_eq!(url, "https://news.test/rss");
                }
                other => panic!("{other:?}"),
            }
        }
        // A DTD without entity declarations, and an undeclared reference, are read as before.
        let plain = "<!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS 0.91//EN\" \
            \"http://my.netscape.com/publish/formats/rss-0.91.dtd\">\
            <rss version=\"0.91\"><channel><item><title>&nbsp;</title>\
            <link>https://news.test/a</link></item></channel></rss>";
        let items = parse_feed(
            plain.as_bytes(),
            &url("https://news.test/rss"),
            &SourceLimits::default(),
        )
        .unwrap();
        assert_eq!(locs(&items), ["https://news.test/a"]);
    }

    /// An RSS feed of `n` items, newest first: item 0 links to `https://news.test/0`.
    fn rss_of(n: usize) -> String {
        let mut rss = String::from("<rss version=\"2.0\"><channel><title>t</title>");
        for i in 0..n {
            rss.push_str(&format!(
                "<item><title>{i}</title><link>https://news.test/{i}</link></item>"
            ));
        }
        rss.push_str("</channel></rss>");
        rss
    }

    /// Regression: a feed with more items than the cap was refused whole ("more than 50000
    /// URLs"), so nothing of it was ever queued. Its first (newest) items are taken, and a
    /// warning names the feed and how many were left out.
    #[test]
    fn past_the_url_cap_a_feed_gives_its_first_items_and_says_how_many_it_left_out() {
        let feed_url = url("https://news.test/rss");
        let logs = Logs::capture();
        let items = parse_feed(
            rss_of(DEFAULT_MAX_URLS + 7).as_bytes(),
            &feed_url,
            &SourceLimits::default(),
        )
        .unwrap();
        assert_eq!(items.len(), DEFAULT_MAX_URLS);
        assert_eq!(items[0].url.as_str(), "https://news.test/0");
        assert_eq!(
            items[DEFAULT_MAX_URLS - 1].url.as_str(),
            format!("https://news.test/{}", DEFAULT_MAX_URLS - 1)
        );
        let warning = assert_left_out(&logs, "https://news.test/rss", 7);
        assert!(warning.contains("newest first"), "{warning}");

        // Duplicates are not counted against the cap, nor as left out.
        let small = SourceLimits {
            max_urls: 2,
            ..SourceLimits::default()
        };
        let doubled = r#"<rss version="2.0"><channel><title>t</title>
            <item><link>https://news.test/0</link></item>
            <item><link>https://news.test/0</link></item>
            <item><link>https://news.test/1</link></item>
            <item><link>https://news.test/1</link></item>
            <item><link>https://news.test/2</link></item>
            <item><link>https://news.test/2</link></item>
            </channel></rss>"#;
        let items = parse_feed(doubled.as_bytes(), &feed_url, &small).unwrap();
        assert_eq!(locs(&items), ["https://news.test/0", "https://news.test/1"]);
        assert_left_out(&logs, "https://news.test/rss", 1);
    }

    #[test]
    fn other_documents_are_not_feeds() {
        let feed_url = url("https://news.test/rss");
        for body in [
            &b"<!doctype html><html><head><title>Home</title></head><body>hi</body></html>"[..],
            b"not xml at all",
            b"",
            b"{\"version\": \"https://example.org/not-a-feed\"}",
        ] {
            match parse_feed(body, &feed_url, &SourceLimits::default()) {
                Err(e @ SourceError::NotAFeed { .. }) => {
                    assert!(
                        e.to_string()
                            .starts_with("https://news.test/rss: not a readable feed"),
                        "{e}"
                    );
                }
                other => panic!("{}: {other:?}", String::from_utf8_lossy(body)),
            }
        }
    }
}
