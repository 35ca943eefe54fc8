//! RSS (0.9x, 1.0, 2.0) and Atom documents, read by feed-rs, and JSON Feed, read by
//! [`json_feed`](super::json_feed).
//!
//! An entry's article is its FeedBurner `origLink` when it has one (the publisher's address,
//! where its link is FeedBurner's redirect: [`orig_link`](super::orig_link)); else its first link
//! that is the entry's own page (no `rel`, or `rel="alternate"`: Atom's `self`, `enclosure`,
//! `replies` and friends are other things; an HTML page before another type, an empty `href`
//! or the feed's own address never); and failing that its id when the id is an absolute
//! http(s) URL (an RSS `<guid>` is often the permalink). Links are resolved against `xml:base`
//! and the feed's own URL, as feed-rs does, so relative links work. A feed in UTF-16 with a
//! byte-order mark is read as its UTF-8 text. A feed whose DTD declares entities is refused, as
//! a sitemap is ([`SourceError::EntityDeclaration`]): feed-rs never expands them, so a link
//! written as an entity (`<link>&h;</link>`) would be read as the address `…/&h;`.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use url::Url;

use super::distinct::{Admit, Distinct};
use super::{
    INVISIBLE, SourceError, SourceItem, SourceLimits, feed_raw, http_url, json_feed, trim_address,
};

/// One entry as read: its page (not yet resolved), title and date.
struct Entry {
    url: Option<Url>,
    title: Option<String>,
    updated: Option<DateTime<Utc>>,
}

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
    let mut left_out = 0usize;
    let entries = if json_feed::is_json(body) {
        let (entries, unread) = json_feed::entries(body, feed_url)?;
        left_out += unread;
        entries
            .into_iter()
            .map(|e| Entry {
                url: e
                    .page
                    .and_then(|p| feed_url.join(trim_address(&p)).ok())
                    .filter(http_url),
                title: e.title,
                updated: e.updated,
            })
            .collect()
    } else {
        // Twice the articles kept: a feed listing some of them twice still gives them all.
        let (entries, unread) = xml_entries(
            &without_invisible_edges(&utf8_document(body)),
            feed_url,
            limits.max_urls.saturating_mul(2),
        )?;
        left_out += unread;
        entries
    };
    let listed = entries.len();
    let mut seen = Distinct::new(limits.max_urls);
    let mut items = Vec::new();
    let mut skipped = 0usize;
    for entry in entries {
        let Some(url) = entry.url else {
            skipped += 1;
            continue;
        };
        match seen.admit(&url) {
            Admit::Keep => {}
            Admit::Repeat => continue,
            Admit::LeftOut => {
                left_out += 1;
                continue;
            }
        }
        items.push(SourceItem {
            url,
            updated: entry.updated,
            title: entry.title,
        });
    }
    if skipped > 0 {
        tracing::warn!(url = %feed_url, skipped, "feed entries without an http(s) link were skipped");
    }
    if listed == 0 && holds_entry_tags(body) {
        tracing::warn!(
            url = %feed_url,
            "the feed holds <item> or <entry> elements but none could be read (an RSS 0.90 or \
             Atom 0.3 feed, which are not read): nothing is queued from it"
        );
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

/// A document in UTF-8 (as it declares, or as XML reads one that declares nothing) with every
/// byte that is not UTF-8 read as U+FFFD, as browsers and feed readers read it: one Latin-1 `é`
/// pasted into a title would otherwise make the XML parser refuse the whole feed, and every
/// article it lists with it. A document declaring another encoding is left to the parser.
fn utf8_repaired(body: &[u8]) -> Cow<'_, [u8]> {
    if std::str::from_utf8(body).is_ok() || !declares_utf8(body) {
        return Cow::Borrowed(body);
    }
    Cow::Owned(String::from_utf8_lossy(body).into_owned().into_bytes())
}

/// Whether an XML document is UTF-8 by its own account: a UTF-8 byte order mark, an XML
/// declaration naming UTF-8, or none naming any encoding (XML's default), and no UTF-16 mark.
fn declares_utf8(body: &[u8]) -> bool {
    if body.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return true;
    }
    if body.starts_with(&[0xFF, 0xFE]) || body.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    let head = &body[..body.len().min(256)];
    if !head.starts_with(b"<?xml") {
        return true;
    }
    let decl_end = memchr::memmem::find(head, b"?>").unwrap_or(head.len());
    let decl = String::from_utf8_lossy(&head[..decl_end]).to_ascii_lowercase();
    match decl.find("encoding") {
        None => true,
        Some(at) => {
            let value = decl[at + "encoding".len()..]
                .trim_start_matches(|c: char| c == '=' || c.is_whitespace())
                .trim_start_matches(['"', '\'']);
            value.starts_with("utf-8") || value.starts_with("utf8")
        }
    }
}

/// The entries of an RSS or Atom document (UTF-8): the first `max_entries`, and how many more
/// it holds, which are not read. feed-rs keeps every entry it reads, at some thirty times its
/// bytes, so a feed of hundreds of thousands of items (tens of MB, under the size cap) would cost
/// gigabytes; feeds list newest first, and no more than `max_entries` articles are queued.
fn xml_entries(
    body: &[u8],
    feed_url: &Url,
    max_entries: usize,
) -> Result<(Vec<Entry>, usize), SourceError> {
    xml_entries_in_slices(body, feed_url, max_entries, ENTRIES_AT_ONCE)
}

/// The most entries feed-rs reads at once. A longer feed is read in slices, each a copy of the
/// document without the other entries: what feed-rs keeps of a slice is dropped once its
/// entries are taken, so tens of thousands of entries never stand in its form at once.
const ENTRIES_AT_ONCE: usize = 5_000;

/// [`xml_entries`], reading `at_once` entries at a time.
fn xml_entries_in_slices(
    body: &[u8],
    feed_url: &Url,
    max_entries: usize,
    at_once: usize,
) -> Result<(Vec<Entry>, usize), SourceError> {
    if declares_entities(body) {
        return Err(SourceError::EntityDeclaration {
            url: feed_url.to_string(),
        });
    }
    let repaired = utf8_repaired(body);
    let body: &[u8] = &repaired;
    let raw = feed_raw::read(body, max_entries);
    let unread = raw.entries.saturating_sub(max_entries);
    let read = raw.entries.min(max_entries);
    // An empty link comes out of feed-rs as the base it was resolved against.
    let bases: Vec<Url> = raw
        .bases
        .iter()
        .filter_map(|b| feed_url.join(b).ok())
        .chain(std::iter::once(feed_url.clone()))
        .collect();
    // Slices only where every entry's place is known (a document cut short is read whole).
    let slices: Vec<std::ops::Range<usize>> = if raw.spans.len() == read && read > at_once {
        (0..read)
            .step_by(at_once.max(1))
            .map(|from| from..(from + at_once).min(read))
            .collect()
    } else {
        std::iter::once(0..read).collect()
    };
    let whole = slices.len() == 1;
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(feed_url.as_str()))
        .build();
    let mut entries = Vec::with_capacity(read);
    for slice in slices {
        // The entries past the cap, the elements not read and the other slices' entries cut
        // out: the rest of the document stays whole.
        let (before, after) = if whole {
            (&[][..], &[][..])
        } else {
            (&raw.spans[..slice.start], &raw.spans[slice.end..])
        };
        let others = before.iter().chain(after).cloned();
        let cuts = raw
            .cuts
            .iter()
            .cloned()
            .chain(raw.past_max.clone())
            .chain(others);
        let document = without(body, cuts);
        let feed = parser
            .parse(&*document)
            .map_err(|e| SourceError::NotAFeed {
                url: feed_url.to_string(),
                message: e.to_string(),
            })?;
        drop(document);
        // FeedBurner's addresses, matched to the entries by their order: only when both
        // readings count the same entries.
        let orig = raw
            .orig_links
            .get(slice.clone())
            .filter(|o| o.len() == feed.entries.len());
        entries.extend(feed.entries.into_iter().enumerate().map(|(i, entry)| {
            let orig = orig
                .and_then(|o| o[i].as_deref())
                .and_then(|o| Url::parse(trim_address(o)).ok())
                .filter(http_url);
            Entry {
                url: orig.or_else(|| entry_url(&entry, feed_url, &bases)),
                title: entry
                    .title
                    .map(|t| t.content.trim().to_owned())
                    .filter(|t| !t.is_empty()),
                updated: entry.updated.or(entry.published),
            }
        }));
    }
    Ok((entries, unread))
}

/// `body` without the byte ranges `cuts` (in any order, overlapping or not; a range that is
/// not within `body` is not cut).
fn without(body: &[u8], cuts: impl Iterator<Item = std::ops::Range<usize>>) -> Cow<'_, [u8]> {
    let mut cuts: Vec<std::ops::Range<usize>> = cuts
        .filter(|r| r.start < r.end && r.end <= body.len())
        .collect();
    if cuts.is_empty() {
        return Cow::Borrowed(body);
    }
    cuts.sort_by_key(|r| r.start);
    let mut kept = Vec::with_capacity(body.len());
    let mut from = 0;
    for cut in cuts {
        if cut.start > from {
            kept.extend_from_slice(&body[from..cut.start]);
        }
        from = from.max(cut.end);
    }
    kept.extend_from_slice(&body[from..]);
    Cow::Owned(kept)
}

/// The document as UTF-8: a UTF-16 document with a byte-order mark transcoded, its XML
/// declaration made to say so (feed-rs's XML reader would switch to the declared encoding and
/// read the UTF-8 bytes as UTF-16). Any other document as it is (the reader follows its
/// declaration, ISO-8859-1 and others).
fn utf8_document(body: &[u8]) -> Cow<'_, [u8]> {
    let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(body) else {
        return Cow::Borrowed(body);
    };
    if encoding == encoding_rs::UTF_8 {
        return Cow::Borrowed(body);
    }
    let (text, _) = encoding.decode_without_bom_handling(&body[bom..]);
    let mut text = text.into_owned();
    if text.starts_with("<?xml")
        && let Some(end) = text.find("?>")
        && let Some(at) = text[..end].find("encoding")
    {
        // `encoding="UTF-16"` (either quote) becomes `encoding="UTF-8"`.
        let rest = &text[at..end];
        if let Some(open) = rest.find(['"', '\'']) {
            let quote = &rest[open..=open];
            if let Some(close) = rest[open + 1..].find(quote) {
                let value = at + open + 1..at + open + 1 + close;
                text.replace_range(value, "UTF-8");
            }
        }
    }
    Cow::Owned(text.into_bytes())
}

/// The invisible character ([`INVISIBLE`]) at the start of `bytes`, if one is: its length in
/// UTF-8 (three bytes, for each of them).
fn invisible_at(bytes: &[u8]) -> Option<usize> {
    // Each of them starts with 0xE2 or 0xEF in UTF-8: most bytes are told apart by that alone.
    if !matches!(bytes.first(), Some(0xE2 | 0xEF)) {
        return None;
    }
    let c = std::str::from_utf8(bytes.get(..3)?).ok()?.chars().next()?;
    INVISIBLE.contains(&c).then_some(3)
}

/// The document without the [`INVISIBLE`] characters that stand at the edge of an element's
/// text or an attribute's value (after `>` or a quote, or before `<` or a quote, whitespace
/// between): feed-rs would resolve `<link>\u{200B}https://…</link>` as a relative address. The
/// byte-order mark that starts a document goes too. Invisible characters inside text stay.
fn without_invisible_edges(body: &[u8]) -> Cow<'_, [u8]> {
    if !memchr::memchr2_iter(0xE2, 0xEF, body).any(|at| invisible_at(&body[at..]).is_some()) {
        return Cow::Borrowed(body);
    }
    let mut out = Vec::with_capacity(body.len());
    let mut at = 0;
    while at < body.len() {
        if invisible_at(&body[at..]).is_none() {
            out.push(body[at]);
            at += 1;
            continue;
        }
        // The whole run of invisible characters and whitespace, read once: its edges decide.
        let mut end = at;
        while end < body.len() {
            match invisible_at(&body[end..]) {
                Some(len) => end += len,
                None if body[end].is_ascii_whitespace() => end += 1,
                None => break,
            }
        }
        let before = out.iter().rev().find(|b| !b.is_ascii_whitespace());
        let edge = before.is_none_or(|b| matches!(b, b'>' | b'"' | b'\''))
            || body
                .get(end)
                .is_none_or(|b| matches!(b, b'<' | b'"' | b'\''));
        let mut k = at;
        while k < end {
            match invisible_at(&body[k..]) {
                Some(len) => {
                    if !edge {
                        out.extend_from_slice(&body[k..k + len]);
                    }
                    k += len;
                }
                None => {
                    out.push(body[k]);
                    k += 1;
                }
            }
        }
        at = end;
    }
    Cow::Owned(out)
}

/// Whether the body holds an `<item` or `<entry` start tag (a feed whose entries the parser
/// did not read).
fn holds_entry_tags(body: &[u8]) -> bool {
    memchr::memmem::find(body, b"<item").is_some()
        || memchr::memmem::find(body, b"<entry").is_some()
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
fn entry_url(entry: &feed_rs::model::Entry, feed_url: &Url, bases: &[Url]) -> Option<Url> {
    let own_pages = || {
        entry
            .links
            .iter()
            .filter(|l| {
                l.rel
                    .as_deref()
                    .is_none_or(|r| r.eq_ignore_ascii_case("alternate"))
            })
            .filter(|l| !trim_address(&l.href).is_empty())
    };
    // An alternate that says it is no web page (`type="application/pdf"`) comes after those
    // that are, or say nothing.
    let is_page = |l: &&feed_rs::model::Link| {
        l.media_type
            .as_deref()
            .is_none_or(|t| t.to_ascii_lowercase().contains("html"))
    };
    let own_page = own_pages()
        .filter(is_page)
        .chain(own_pages().filter(|l| !is_page(l)))
        .filter_map(|l| feed_url.join(trim_address(&l.href)).ok())
        // An entry linking to the feed itself, or to a base (`href=""` resolved against it),
        // links nowhere.
        .filter(|u| !bases.contains(u))
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

    /// A long feed read in slices gives the entries the whole reading gives, in order: every
    /// recorded RSS and Atom feed, read whole and in slices of 1, 2 and 3 entries, with the
    /// cap cutting some entries off.
    #[test]
    fn a_feed_read_in_slices_reads_as_a_whole() {
        let feed_url = url("https://news.test/feed");
        let mut read_in_slices = 0;
        // RSS 2.0 with what lies between and inside items (FeedBurner's links, an empty item,
        // a base, categories), and RSS 1.0, whose items stand beside the channel.
        let rss2: String = (0..9)
            .map(|i| match i {
                3 => "<item/><category>between</category>".to_owned(),
                5 => format!(
                    "<item xml:base=\"https://news.test/b/\"><title>T{i}</title><link>p{i}</link>\
                     <feedburner:origLink>https://pub.test/{i}</feedburner:origLink></item>"
                ),
                _ => format!(
                    "<item><title>T{i}</title><link>https://news.test/{i}</link><category>c</category>\
                     <pubDate>Mon, 0{} Dec 2026 10:00:00 GMT</pubDate></item>",
                    i % 7 + 1
                ),
            })
            .collect();
        let rss2 = format!(
            "<rss version=\"2.0\" xmlns:feedburner=\"http://rssnamespace.org/feedburner/ext/1.0\">\
             <channel><title>t</title>{rss2}<ttl>5</ttl></channel></rss>"
        );
        let rss1: String = (0..7)
            .map(|i| {
                format!(
                    "<item rdf:about=\"https://news.test/r{i}\"><title>R{i}</title>\
                     <link>https://news.test/r{i}</link><dc:date>2026-12-0{}T10:00:00Z</dc:date></item>",
                    i + 1
                )
            })
            .collect();
        let rss1 = format!(
            "<?xml version=\"1.0\"?><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" \
             xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
             <channel rdf:about=\"https://news.test/\"><title>t</title><link>https://news.test/</link>\
             <description>d</description></channel>{rss1}</rdf:RDF>"
        );
        for (name, body) in [
            (
                "netnewswire-OneFootTsunami.atom",
                fixture("netnewswire-OneFootTsunami.atom"),
            ),
            ("rss 2.0", rss2.into_bytes()),
            ("rss 1.0", rss1.into_bytes()),
        ] {
            let seen = |e: &Entry| (e.url.clone(), e.title.clone(), e.updated);
            for max in [usize::MAX, 5] {
                let (whole, unread) =
                    xml_entries_in_slices(&body, &feed_url, max, usize::MAX).expect(name);
                if whole.len() <= 3 {
                    continue;
                }
                read_in_slices += 1;
                let whole: Vec<_> = whole.iter().map(seen).collect();
                for at_once in [1, 2, 3] {
                    let (sliced, sliced_unread) =
                        xml_entries_in_slices(&body, &feed_url, max, at_once).expect(name);
                    let sliced: Vec<_> = sliced.iter().map(seen).collect();
                    assert_eq!(sliced, whole, "{name}, {at_once} at once, cap {max}");
                    assert_eq!(sliced_unread, unread, "{name}");
                }
            }
        }
        // Feeds of more than three entries, with and without the cap.
        assert!(read_in_slices >= 6, "{read_in_slices}");
    }

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<DateTime<Utc>> {
        Some(Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap())
    }

    fn locs(items: &[SourceItem]) -> Vec<&str> {
        items.iter().map(|i| i.url.as_str()).collect()
    }

    /// A UTF-8 feed with one Latin-1 byte in a title still lists its articles (the byte reads
    /// as U+FFFD); a feed declaring Latin-1 is read in Latin-1.
    #[test]
    fn a_stray_byte_costs_a_feed_nothing() {
        let feed_url = url("https://news.example.com/feed.xml");
        let rss = |decl: &str, title: &[u8]| {
            let mut body =
                format!("{decl}<rss version=\"2.0\"><channel><title>N</title><item><title>")
                    .into_bytes();
            body.extend_from_slice(title);
            body.extend_from_slice(
                b"</title><link>https://news.example.com/a.html</link></item>\
                  <item><title>B</title><link>https://news.example.com/b.html</link></item>\
                  </channel></rss>",
            );
            body
        };
        for decl in ["", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"] {
            let items = parse_feed(&rss(decl, b"Caf\xe9"), &feed_url, &SourceLimits::default())
                .unwrap_or_else(|e| panic!("{decl}: {e}"));
            assert_eq!(
                locs(&items),
                [
                    "https://news.example.com/a.html",
                    "https://news.example.com/b.html"
                ],
                "{decl}"
            );
            assert_eq!(items[0].title.as_deref(), Some("Caf\u{FFFD}"));
        }
        let latin1 = rss(
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>",
            b"Caf\xe9",
        );
        assert!(!declares_utf8(&latin1));
        assert!(matches!(utf8_repaired(&latin1), Cow::Borrowed(_)));
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
            </channel></rss>"#;
        let items = parse_feed(doubled.as_bytes(), &feed_url, &small).unwrap();
        assert_eq!(locs(&items), ["https://news.test/0", "https://news.test/1"]);
        assert_left_out(&logs, "https://news.test/rss", 1);
    }

    /// Entries past twice the cap are not read at all (feed-rs keeps every entry it reads, at
    /// some thirty times its bytes): they are counted as left out, and what follows them in the
    /// document is still read.
    #[test]
    fn entries_past_twice_the_cap_are_not_read() {
        let feed_url = url("https://news.test/rss");
        let logs = Logs::capture();
        let small = SourceLimits {
            max_urls: 2,
            ..SourceLimits::default()
        };
        let mut rss = String::from("<rss version=\"2.0\"><channel><title>t</title>");
        rss.push_str(&"<item><link>https://news.test/same</link></item>\n".repeat(4));
        for i in 0..6 {
            rss.push_str(&format!("<item><link>https://news.test/{i}</link></item>"));
        }
        rss.push_str("<item/><title>after the items</title></channel></rss>");
        let items = parse_feed(rss.as_bytes(), &feed_url, &small).unwrap();
        assert_eq!(locs(&items), ["https://news.test/same"]);
        assert_left_out(&logs, "https://news.test/rss", 7);
        let raw = feed_raw::read(rss.as_bytes(), 4);
        assert_eq!((raw.entries, raw.orig_links.len()), (11, 4));
        let past = raw.past_max.expect("entries past the cap");
        assert!(rss[past.clone()].starts_with("<item><link>https://news.test/0<"));
        assert!(
            rss[past.end..].starts_with("<title>after"),
            "{}",
            &rss[past.end..]
        );
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

    fn read(name: &str, feed_url: &str) -> Vec<SourceItem> {
        parse_feed(&fixture(name), &url(feed_url), &SourceLimits::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    /// Feeds served through FeedBurner (Rock Paper Shotgun's RSS, Akamai's Atom): the article
    /// is the publisher's `origLink`, not FeedBurner's redirect.
    #[test]
    fn feedburner_entries_are_their_publishers_pages() {
        let items = read(
            "feed-rs-rss_2.0_rps.xml",
            "https://www.rockpapershotgun.com/feed",
        );
        assert_eq!(
            locs(&items),
            ["https://www.rockpapershotgun.com/the-sunday-papers-607"]
        );
        let items = read(
            "feed-rs-atom_example_3.xml",
            "https://feeds.feedburner.com/akamai",
        );
        assert_eq!(
            locs(&items),
            [
                "https://blogs.akamai.com/2019/07/time-to-transfer-risk-why-security-complexity-vpns-are-no-longer-sustainable.html"
            ]
        );
    }

    /// A UTF-16 feed with a byte-order mark, in either byte order, reads as its UTF-8 original
    /// (the BBC's RSS, transcoded here with its declaration saying UTF-16).
    #[test]
    fn utf16_feeds_with_a_byte_order_mark_are_read() {
        let feed_url = url("https://www.bbc.co.uk/programmes/b006qykl/episodes/downloads.rss");
        let original = fixture("feed-rs-rss_2.0_bbc.xml");
        let want = parse_feed(&original, &feed_url, &SourceLimits::default()).unwrap();
        assert!(!want.is_empty());
        let text = String::from_utf8(original).unwrap().replacen(
            "encoding=\"UTF-8\"",
            "encoding=\"UTF-16\"",
            1,
        );
        let units: Vec<u16> = text.encode_utf16().collect();
        let big: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(units.iter().flat_map(|u| u.to_be_bytes()))
            .collect();
        let little: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(units.iter().flat_map(|u| u.to_le_bytes()))
            .collect();
        for body in [big, little] {
            assert_eq!(
                parse_feed(&body, &feed_url, &SourceLimits::default()).unwrap(),
                want
            );
        }
    }

    /// Real JSON Feeds that a strict reader refuses: Pixel Envy's declares its version as
    /// `http://jsonfeed.org/version/1`; rosemaryorchard.com's gives `tags` as one string. Every
    /// entry with a page is read; the odd field is passed over.
    #[test]
    fn json_feeds_are_read_leniently() {
        let items = read("netnewswire-pxlnv.json", "https://pxlnv.com/feed/json/");
        assert_eq!(items.len(), 20);
        assert!(items.iter().all(|i| i.url.host_str() == Some("pxlnv.com")));
        let items = read(
            "netnewswire-rose.json",
            "https://rosemaryorchard.com/feed.json",
        );
        assert_eq!(items.len(), 84);
        // A byte-order mark before the JSON.
        let mut body = b"\xEF\xBB\xBF".to_vec();
        body.extend(fixture("feed-rs-jsonfeed_example_1.json"));
        let feed_url = url("https://daringfireball.net/feeds/json");
        assert_eq!(
            parse_feed(&body, &feed_url, &SourceLimits::default()).unwrap(),
            read(
                "feed-rs-jsonfeed_example_1.json",
                "https://daringfireball.net/feeds/json"
            )
        );
    }

    /// WordPress wrote three entries of One Foot Tsunami's Atom feed with `href=""` under the
    /// feed's `xml:base`: an empty link is no page, and the entry's id (`?p=N`) is its address.
    #[test]
    fn an_empty_link_is_no_page() {
        let items = read(
            "netnewswire-OneFootTsunami.atom",
            "http://onefoottsunami.com/feed/atom/",
        );
        let pages = locs(&items);
        assert!(
            !pages
                .iter()
                .any(|p| p.contains("wp-atom.php") || p.ends_with("/feed/atom/")),
            "{pages:?}"
        );
        for id in ["?p=14848", "?p=14846", "?p=14803"] {
            assert!(
                pages.contains(&format!("http://onefoottsunami.com/{id}").as_str()),
                "{id}"
            );
        }
    }

    /// An alternate of another type than a web page comes after the page.
    #[test]
    fn the_html_alternate_comes_before_other_types() {
        let atom = br#"<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:f</id><title>t</title><updated>2020-01-01T00:00:00Z</updated>
<entry><id>urn:1</id><title>a</title><updated>2020-01-01T00:00:00Z</updated>
<link rel="alternate" type="application/pdf" href="https://news.test/a.pdf"/>
<link rel="alternate" type="text/html" href="https://news.test/a"/></entry>
<entry><id>urn:2</id><title>b</title><updated>2020-01-01T00:00:00Z</updated>
<link rel="alternate" type="application/pdf" href="https://news.test/b.pdf"/></entry></feed>"#;
        let items = parse_feed(
            atom,
            &url("https://news.test/feed"),
            &SourceLimits::default(),
        )
        .unwrap();
        assert_eq!(
            locs(&items),
            ["https://news.test/a", "https://news.test/b.pdf"]
        );
    }

    /// A feed in a format feed-rs does not read (Atom 0.3, in the shape of its specification's
    /// example) reads as empty: a warning names the feed, where nothing was said before.
    #[test]
    fn a_feed_whose_entries_are_not_read_is_named_in_a_warning() {
        let atom03 = br#"<?xml version="1.0" encoding="utf-8"?>
<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>t</title>
<link rel="alternate" type="text/html" href="https://news.test/"/><modified>2005-01-01T00:00:00Z</modified>
<entry><title>One</title><link rel="alternate" type="text/html" href="https://news.test/one.html"/><id>tag:news.test,2005:1</id><issued>2005-01-01T00:00:00Z</issued><modified>2005-01-01T00:00:00Z</modified></entry>
</feed>"#;
        let logs = Logs::capture();
        let items = parse_feed(
            atom03,
            &url("https://news.test/atom03.xml"),
            &SourceLimits::default(),
        )
        .unwrap();
        assert!(items.is_empty());
        let text = logs.text();
        assert!(
            text.lines().any(|l| l.contains(" WARN ")
                && l.contains("url=https://news.test/atom03.xml")
                && l.contains("none could be read")),
            "{text}"
        );
    }

    /// Runs of invisible characters cost linear time, and those inside text stay.
    #[test]
    fn invisible_characters_are_dropped_at_edges_only() {
        let body = format!(
            "<a>\u{200B} x\u{200B}y \u{FEFF}</a>{}<b>",
            "\u{200B} ".repeat(300_000)
        );
        let out = without_invisible_edges(body.as_bytes());
        let out = String::from_utf8(out.into_owned()).unwrap();
        assert!(out.starts_with("<a> x\u{200B}y </a>"), "{:?}", &out[..40]);
        assert_eq!(
            out.len(),
            "<a> x\u{200B}y </a>".len() + 300_000 + "<b>".len()
        );
    }

    /// Zero-width characters pasted around an address are not part of it.
    #[test]
    fn invisible_characters_around_a_link_are_not_the_address() {
        let rss = "<rss version=\"2.0\"><channel><title>t</title><link>https://news.test/</link><description>d</description>\
<item><title>a</title><link>\u{200B}https://news.test/a\u{FEFF}</link></item></channel></rss>";
        let items = parse_feed(
            rss.as_bytes(),
            &url("https://news.test/feed"),
            &SourceLimits::default(),
        )
        .unwrap();
        assert_eq!(locs(&items), ["https://news.test/a"]);
    }
}
