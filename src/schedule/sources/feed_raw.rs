//! What feed-rs does not say of a feed, read from its XML in one pass:
//! - FeedBurner's `<feedburner:origLink>`. A feed served through FeedBurner links each entry to
//!   a redirect of FeedBurner's own (`feedproxy.google.com/~r/…`), and keeps the publisher's
//!   address in this element beside it. The redirect host is long gone, and the article is the
//!   publisher's page: queueing the redirect would fetch nothing, or the article a second time
//!   under another address when a sitemap lists it too.
//! - The `xml:base` values the document sets. feed-rs resolves each link against its base, so an
//!   empty `href=""` comes out as the base itself: a link that is a base links to no page.
//! - What feed-rs need not read ([`Raw::cuts`]): the entries past the cap, and in each entry
//!   the elements that name neither its page, nor its title, nor its date (categories, bodies,
//!   enclosures, media, authors …), with its links past [`MAX_LINKS`], and categories
//!   anywhere. feed-rs keeps all it reads, at some thirty times its bytes: a feed of a thousand
//!   items with thousands of categories each, well under the size cap, took gigabytes.

use quick_xml::events::{BytesStart, Event};

/// What [`read`] found.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Raw {
    /// Each entry's (`<item>` or `<entry>`, in document order) `origLink`, if it has one.
    pub orig_links: Vec<Option<String>>,
    /// Every `xml:base` value of the document, as written (references left as they are: a
    /// base written with one is not recognised as a link's, and the link is kept).
    pub bases: Vec<String>,
    /// How many entries the document holds (those past `max_entries` too).
    pub entries: usize,
    /// Where the entries past the first `max_entries` lie, when there are any: from the start
    /// of the first of them to the end of the last entry. Cutting it out leaves a well-formed
    /// document of the first `max_entries` entries.
    pub past_max: Option<std::ops::Range<usize>>,
    /// Whole elements that feed-rs need not read, in document order, apart: cutting them all
    /// out (with `past_max`, which none of them overlaps) leaves a well-formed document whose
    /// entries say what they said of their pages, titles and dates.
    pub cuts: Vec<std::ops::Range<usize>>,
    /// Where each entry read lies (the first `max_entries`), in document order: from its start
    /// tag's `<` to its end tag's `>`.
    pub spans: Vec<std::ops::Range<usize>>,
}

/// The children of an entry that are read (local names, ASCII case-insensitively): its links
/// and FeedBurner's `origLink`, its id (an RSS `guid` is often the permalink), its title, and
/// its dates in every format's words (RSS `pubDate`, Dublin Core `date`, Atom `updated` and
/// `published`, Atom 0.3 `modified`, `issued` and `created`).
const READ_IN_ENTRY: &[&str] = &[
    "link",
    "origlink",
    "guid",
    "id",
    "title",
    "pubdate",
    "date",
    "updated",
    "published",
    "modified",
    "issued",
    "created",
];

/// The most `link` elements of one entry read: an entry links to its page, an alternate or two,
/// its comments and enclosures, never hundreds.
pub(super) const MAX_LINKS: usize = 32;

/// Whether an entry's child is read, `links` being the entry's links before it.
fn read_in_entry(name: &[u8], links: &mut usize) -> bool {
    if name.eq_ignore_ascii_case(b"link") {
        *links += 1;
        return *links <= MAX_LINKS;
    }
    READ_IN_ENTRY
        .iter()
        .any(|n| name.eq_ignore_ascii_case(n.as_bytes()))
}

/// Add `range` to `cuts`, joined to the last one when only whitespace lies between them (a
/// thousand categories in a row are one cut).
fn cut(cuts: &mut Vec<std::ops::Range<usize>>, body: &[u8], range: std::ops::Range<usize>) {
    if let Some(last) = cuts.last_mut()
        && last.end <= range.start
        && body
            .get(last.end..range.start)
            .is_some_and(|between| between.iter().all(u8::is_ascii_whitespace))
    {
        last.end = range.end;
        return;
    }
    cuts.push(range);
}

/// The most `xml:base` values kept.
const MAX_BASES: usize = 64;

/// The most bytes of one `origLink`'s text kept (an address, never longer).
const MAX_LINK_BYTES: usize = 8 * 1024;

/// Read the document. One that stops reading early gives what was read so far: the caller
/// matches `orig_links` to the feed's entries only when both count the same. Of the entries
/// past the first `max_entries`, only their number and place are kept.
pub(super) fn read(body: &[u8], max_entries: usize) -> Raw {
    let mut bases = Vec::new();
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut buf = Vec::new();
    let mut links = Vec::new();
    // Depth of the open entry element, and of the open `origLink` inside it.
    let mut depth = 0usize;
    let mut entry_at: Option<usize> = None;
    let mut link_at: Option<usize> = None;
    let mut text = String::new();
    let mut entries = 0usize;
    let mut past_max: Option<std::ops::Range<usize>> = None;
    // The buffer the entries past the cap are read through, unkept.
    let mut skipped = Vec::new();
    let mut cuts = Vec::new();
    let mut spans = Vec::new();
    // The links of the open entry so far, and where it starts.
    let mut entry_links = 0usize;
    let mut entry_start = 0usize;
    // Where the reader stands in `body` (the start of the next event, the end of the last).
    let position = |reader: &quick_xml::Reader<&[u8]>| {
        usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
    };
    loop {
        let at = position(&reader);
        match reader.read_event_into(&mut buf) {
            // An entry past the cap: counted and its place kept, its content not read.
            Ok(Event::Start(e)) if entry_at.is_none() && entries >= max_entries && is_entry(&e) => {
                entries += 1;
                skipped.clear();
                let read = reader.read_to_end_into(e.name(), &mut skipped);
                let end = position(&reader);
                past_max.get_or_insert(at..end).end = end;
                if read.is_err() {
                    break;
                }
            }
            Ok(Event::Empty(e)) if entry_at.is_none() && entries >= max_entries && is_entry(&e) => {
                entries += 1;
                let end = position(&reader);
                past_max.get_or_insert(at..end).end = end;
            }
            // An element feed-rs need not read: cut out whole.
            Ok(Event::Start(e)) if unread(&e, entry_at == Some(depth), &mut entry_links) => {
                skipped.clear();
                let read = reader.read_to_end_into(e.name(), &mut skipped);
                if read.is_err() {
                    break;
                }
                let end = position(&reader);
                cut(&mut cuts, body, at..end);
            }
            Ok(Event::Empty(e)) if unread(&e, entry_at == Some(depth), &mut entry_links) => {
                let end = position(&reader);
                cut(&mut cuts, body, at..end);
            }
            Ok(Event::Start(e)) => {
                base_of(&e, &mut bases);
                depth += 1;
                if entry_at.is_none() && is_entry(&e) {
                    entry_at = Some(depth);
                    entry_links = 0;
                    entry_start = at;
                    entries += 1;
                    links.push(None);
                } else if entry_at.is_some()
                    && e.local_name().as_ref().eq_ignore_ascii_case("origlink")
                {
                    link_at = Some(depth);
                    text.clear();
                }
            }
            Ok(Event::Empty(e)) => {
                base_of(&e, &mut bases);
                if entry_at.is_none() && is_entry(&e) {
                    entries += 1;
                    links.push(None);
                    let end = position(&reader);
                    spans.push(at..end);
                }
            }
            // A text too long for an address leaves the entry without one.
            Ok(Event::Text(t)) if link_at == Some(depth) => {
                if !push(&mut text, &t.xml10_content()) {
                    link_at = None;
                }
            }
            Ok(Event::CData(c)) if link_at == Some(depth) => {
                if !push(&mut text, &c.xml10_content()) {
                    link_at = None;
                }
            }
            Ok(Event::GeneralRef(r)) if link_at == Some(depth) => {
                // Character references and the five predefined entities; a link written with
                // any other entity is not taken.
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    Ok(None) => quick_xml::escape::resolve_predefined_entity(&r).map(str::to_owned),
                    Err(_) => None,
                };
                if !resolved.is_some_and(|c| push(&mut text, &c)) {
                    link_at = None;
                }
            }
            Ok(Event::End(_)) => {
                if link_at == Some(depth) {
                    link_at = None;
                    if let Some(last) = links.last_mut() {
                        *last = Some(text.trim().to_owned()).filter(|t| !t.is_empty());
                    }
                }
                if entry_at == Some(depth) {
                    entry_at = None;
                    let end = position(&reader);
                    spans.push(entry_start..end);
                }
                depth = depth.saturating_sub(1);
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
        buf.clear();
    }
    Raw {
        orig_links: links,
        bases,
        entries,
        past_max,
        cuts,
        spans,
    }
}

/// Whether an element is an entry (`<item>` of RSS, `<entry>` of Atom).
fn is_entry(e: &BytesStart<'_>) -> bool {
    let local = e.local_name();
    let name: &str = local.as_ref();
    name.eq_ignore_ascii_case("item") || name.eq_ignore_ascii_case("entry")
}

/// Whether an element is one feed-rs need not read: a child of an entry (`in_entry`) that
/// [`read_in_entry`] does not read, or a category anywhere.
fn unread(e: &BytesStart<'_>, in_entry: bool, entry_links: &mut usize) -> bool {
    let local = e.local_name();
    let name: &str = local.as_ref();
    let name = name.as_bytes();
    name.eq_ignore_ascii_case(b"category") || (in_entry && !read_in_entry(name, entry_links))
}

/// Keep the element's `xml:base`, if it sets one.
fn base_of(e: &BytesStart<'_>, bases: &mut Vec<String>) {
    if bases.len() >= MAX_BASES {
        return;
    }
    let base = e
        .attributes()
        .flatten()
        .find(|a| a.key.as_ref() == "xml:base")
        .map(|a| a.value.trim().to_owned());
    if let Some(base) = base.filter(|b| !b.is_empty() && !bases.contains(b)) {
        bases.push(base);
    }
}

/// Add to the text of an `origLink`; false past [`MAX_LINK_BYTES`].
fn push(text: &mut String, more: &str) -> bool {
    let fits = text.len() + more.len() <= MAX_LINK_BYTES;
    if fits {
        text.push_str(more);
    }
    fits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_entry_has_its_own_orig_link_or_none() {
        let rss = br#"<?xml version="1.0"?><rss xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><channel>
<item><link>http://feedproxy.google.com/~r/a/~3/x/</link><feedburner:origLink>https://pub.test/a?x=1&amp;y=2</feedburner:origLink></item>
<item><link>https://pub.test/b</link></item>
<item><feedburner:origLink><![CDATA[ https://pub.test/c ]]></feedburner:origLink></item>
</channel></rss>"#;
        assert_eq!(
            read(rss, usize::MAX).orig_links,
            [
                Some("https://pub.test/a?x=1&y=2".to_owned()),
                None,
                Some("https://pub.test/c".to_owned())
            ]
        );
        let atom = br#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="http://feedproxy.google.com/~r/a"/><feedburner:origLink>https://pub.test/d</feedburner:origLink></entry><entry/></feed>"#;
        assert_eq!(
            read(atom, usize::MAX).orig_links,
            [Some("https://pub.test/d".to_owned()), None]
        );
    }

    #[test]
    fn every_base_of_the_document_is_kept_once() {
        let atom = br#"<feed xml:base="http://a.test/wp-atom.php"><entry xml:base="/x/"><link href=""/></entry><entry xml:base="/x/"/></feed>"#;
        assert_eq!(
            read(atom, usize::MAX).bases,
            ["http://a.test/wp-atom.php", "/x/"]
        );
    }

    /// An entry's categories, body, enclosures, media and authors, its links past the
    /// [`MAX_LINKS`]th and the channel's categories are cut; its links, ids, titles and dates of
    /// every format are kept, and so is what lies between entries.
    #[test]
    fn what_names_no_page_title_or_date_is_cut() {
        let links: String = (0..40)
            .map(|i| format!("<link rel=\"related\" href=\"https://pub.test/r{i}\"/>"))
            .collect();
        let rss = format!(
            r#"<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>T</title>
<category>a</category> <category>b</category>
<item><title>One</title><link>https://pub.test/1</link>
  <category>x</category>
  <category>y</category>
  <description>&lt;p&gt;body&lt;/p&gt;</description><media:content url="https://pub.test/m.jpg"><media:title>m</media:title></media:content>
  <guid isPermaLink="true">https://pub.test/1</guid><pubDate>Mon, 07 Dec 2026 10:00:00 GMT</pubDate><dc:date>2026-12-07T10:00:00Z</dc:date>
  <enclosure url="https://pub.test/a.mp3" length="1" type="audio/mpeg"/></item>
<item>{links}<author>a@pub.test</author></item>
</channel></rss>"#
        );
        let raw = read(rss.as_bytes(), usize::MAX);
        let mut kept = String::new();
        let mut from = 0;
        for cut in &raw.cuts {
            kept.push_str(&rss[from..cut.start]);
            from = cut.end;
        }
        kept.push_str(&rss[from..]);
        for gone in [
            "<category>",
            "<description>",
            "media:content",
            "<enclosure",
            "<author>",
            "r32",
            "r39",
        ] {
            assert!(!kept.contains(gone), "{gone} in {kept}");
        }
        for stays in [
            "<title>T</title>",
            "<title>One</title>",
            "<link>https://pub.test/1</link>",
            "<guid isPermaLink=\"true\">https://pub.test/1</guid>",
            "<pubDate>Mon, 07 Dec 2026 10:00:00 GMT</pubDate>",
            "<dc:date>2026-12-07T10:00:00Z</dc:date>",
            "https://pub.test/r0\"",
            "https://pub.test/r31\"",
        ] {
            assert!(kept.contains(stays), "{stays} not in {kept}");
        }
        // A run of categories with only whitespace between them is one cut.
        assert!(raw.cuts.len() <= 8, "{:?}", raw.cuts);
        assert!(kept.contains("<item>") && kept.contains("</channel></rss>"));
        let feed = feed_rs::parser::parse(kept.as_bytes()).expect("still a feed");
        assert_eq!(feed.entries.len(), 2);
        assert!(feed.entries[0].published.is_some());
        assert_eq!(
            feed.entries[0].title.as_ref().map(|t| t.content.as_str()),
            Some("One")
        );
        assert_eq!(feed.entries[0].links[0].href, "https://pub.test/1");
    }

    /// Only an `origLink` of the entry itself counts, not one of the channel.
    #[test]
    fn an_orig_link_outside_entries_is_not_an_entrys() {
        let rss = br#"<rss><channel><feedburner:origLink>https://pub.test/</feedburner:origLink><item><link>https://pub.test/a</link></item></channel></rss>"#;
        assert_eq!(read(rss, usize::MAX).orig_links, [None]);
    }
}
