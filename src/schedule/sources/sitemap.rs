//! XML sitemaps (<https://www.sitemaps.org/protocol.html>): `<urlset>` documents, with Google
//! News' `<news:news>` extension, and `<sitemapindex>` documents listing further sitemaps.
//!
//! The document is read as a stream of quick-xml events and never built into a tree: memory is
//! one event plus the entries kept. Real sitemaps vary, so matching is loose: elements are
//! known by their local name whatever their prefix or namespace (`<n:news>` as well as
//! `<news:news>`), case-insensitively, and only where the protocol puts them, so an image's
//! `<image:loc>` or a video's `<video:title>` is never taken for the page's own. Text may come
//! as CDATA, character references and the five predefined entities.
//!
//! Entities are never expanded: a DTD that declares any is refused outright
//! ([`SourceError::EntityDeclaration`]), and a reference to an undeclared entity is left out
//! of the text, which makes a `<loc>` holding one unusable (its entry is skipped).
//! A lone `&` (an unescaped query string, common in hand-made sitemaps) is read as a literal.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use quick_xml::Reader;
use quick_xml::events::Event;
use url::Url;

use super::distinct::{Admit, Distinct};
use super::{SourceError, SourceItem, SourceLimits, body, http_url, trim_address};

/// A `<loc>`, `<lastmod>` or `<news:title>` longer than this is not a real one; its text is
/// dropped (and an entry without its `<loc>` is skipped).
const MAX_FIELD_BYTES: usize = 8 * 1024;

/// What a sitemap document lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sitemap {
    /// A `<urlset>`: article URLs, with `<lastmod>` (or else the Google News
    /// `<news:publication_date>`) as `updated` and `<news:title>` as `title`.
    Urls(Vec<SourceItem>),
    /// A `<sitemapindex>`: the sitemaps it lists, in document order.
    Index(Vec<Url>),
}

/// Read a sitemap or sitemap index. A gzip body (by its magic bytes) is decompressed as it is
/// read, under `limits.max_decompressed_bytes`.
///
/// `<loc>`s are resolved against `sitemap_url` (they should be absolute; relative ones are
/// read kindly), only http(s) URLs are kept, and a URL listed twice is kept once, at its first
/// place. Entries without a usable `<loc>` are skipped with one warning per document. Of a
/// document listing more than `limits.max_urls` distinct URLs (the protocol's own limit) the
/// first `max_urls` are kept and the rest left out, with a warning naming the sitemap and how
/// many: refusing it would queue none of them, at every poll. Reading stops at the end of the
/// root element; anything after it is ignored.
pub fn parse_sitemap(
    body: &[u8],
    sitemap_url: &Url,
    limits: &SourceLimits,
) -> Result<Sitemap, SourceError> {
    let mut reader = Reader::from_reader(body::open(body, limits.max_decompressed_bytes));
    reader.config_mut().allow_dangling_amp = true;
    let mut parser = Parser {
        url: sitemap_url,
        limits,
        gzip: body::is_gzip(body),
        kind: None,
        stack: Vec::new(),
        entry: None,
        capture: None,
        seen: Distinct::new(limits.max_urls),
        items: Vec::new(),
        skipped: 0,
        left_out: 0,
    };
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| parser.read_error(e, reader.error_position()))?;
        if parser.event(event, reader.buffer_position())? {
            break;
        }
    }
    if parser.skipped > 0 {
        tracing::warn!(
            url = %sitemap_url,
            skipped = parser.skipped,
            "sitemap entries without a usable <loc> were skipped"
        );
    }
    if parser.left_out > 0 {
        tracing::warn!(
            url = %sitemap_url, kept = parser.items.len(), left_out = parser.left_out,
            "the sitemap lists more than {} URLs: the first {} are taken, {} left out",
            limits.max_urls, limits.max_urls, parser.left_out
        );
    }
    Ok(match parser.kind {
        Some(Kind::Index) => Sitemap::Index(parser.items.into_iter().map(|i| i.url).collect()),
        _ => Sitemap::Urls(parser.items),
    })
}

/// A text sitemap (sitemaps.org: a UTF-8 file of absolute URLs, one per line), already
/// decompressed: its http(s) URLs in order, each once, the first `limits.max_urls` of them
/// (a warning names the sitemap and says how many were left out, and another how many lines
/// were not URLs). `None` when no line is an http(s) URL: the document is something else.
pub(super) fn parse_text_sitemap(
    text: &[u8],
    sitemap_url: &Url,
    limits: &SourceLimits,
) -> Option<Vec<SourceItem>> {
    let text = String::from_utf8_lossy(text);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut seen = Distinct::new(limits.max_urls);
    let mut items = Vec::new();
    let (mut skipped, mut left_out) = (0usize, 0usize);
    for line in text.lines().map(trim_address).filter(|l| !l.is_empty()) {
        match Url::parse(line) {
            Ok(url) if http_url(&url) => match seen.admit(&url) {
                Admit::Keep => items.push(SourceItem {
                    url,
                    updated: None,
                    title: None,
                }),
                Admit::Repeat => {}
                Admit::LeftOut => left_out += 1,
            },
            _ => skipped += 1,
        }
    }
    if items.is_empty() {
        return None;
    }
    if skipped > 0 {
        tracing::warn!(
            url = %sitemap_url, skipped,
            "text sitemap lines that are not an absolute http(s) URL were skipped"
        );
    }
    if left_out > 0 {
        tracing::warn!(
            url = %sitemap_url, kept = items.len(), left_out,
            "the sitemap lists more than {} URLs: the first {} are taken, {} left out",
            limits.max_urls, limits.max_urls, left_out
        );
    }
    Some(items)
}

/// Which root the document has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Urls,
    Index,
}

impl Kind {
    /// The local name of this document's entries.
    fn entry_name(self) -> &'static str {
        match self {
            Kind::Urls => "url",
            Kind::Index => "sitemap",
        }
    }
}

/// The entry fields whose text is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Loc,
    Lastmod,
    NewsDate,
    NewsTitle,
}

/// The text of one field being read.
struct Capture {
    field: Field,
    /// Depth of the field element in the stack; text of elements nested inside is ignored.
    depth: usize,
    text: String,
    /// It held a reference to an entity that is not expanded.
    unresolved: bool,
    too_long: bool,
}

/// The fields of the `<url>` or `<sitemap>` being read.
#[derive(Default)]
struct Entry {
    loc: Option<String>,
    lastmod: Option<String>,
    news_date: Option<String>,
    news_title: Option<String>,
}

struct Parser<'a> {
    url: &'a Url,
    limits: &'a SourceLimits,
    gzip: bool,
    kind: Option<Kind>,
    /// Lower-case local names of the open elements, root first.
    stack: Vec<String>,
    entry: Option<Entry>,
    capture: Option<Capture>,
    seen: Distinct,
    items: Vec<SourceItem>,
    skipped: usize,
    /// Distinct URLs past `limits.max_urls`.
    left_out: usize,
}

impl Parser<'_> {
    /// Handle one event; true once the root element has closed.
    fn event(&mut self, event: Event<'_>, position: u64) -> Result<bool, SourceError> {
        match event {
            Event::DocType(doctype) => {
                if super::declares_entities(doctype[..].as_bytes()) {
                    return Err(SourceError::EntityDeclaration {
                        url: self.url.to_string(),
                    });
                }
            }
            Event::Start(start) => {
                let name = local_name(start.local_name().as_ref());
                self.open(name, start.name().as_ref())?;
            }
            Event::Empty(start) => {
                let name = local_name(start.local_name().as_ref());
                self.open(name, start.name().as_ref())?;
                return Ok(self.close());
            }
            Event::End(_) => return Ok(self.close()),
            Event::Text(text) => self.push_text(&text.xml10_content()),
            Event::CData(cdata) => self.push_text(&cdata.xml10_content()),
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    Ok(None) => {
                        quick_xml::escape::resolve_predefined_entity(&reference).map(str::to_owned)
                    }
                    Err(e) => {
                        return Err(SourceError::Xml {
                            url: self.url.to_string(),
                            position,
                            message: e.to_string(),
                        });
                    }
                };
                match resolved {
                    Some(text) => self.push_text(&text),
                    None => self.mark_unresolved(),
                }
            }
            Event::Eof => {
                return Err(match self.stack.first() {
                    None => SourceError::NotASitemap {
                        url: self.url.to_string(),
                        root: String::new(),
                    },
                    Some(root) => SourceError::Xml {
                        url: self.url.to_string(),
                        position,
                        message: format!("the document ends before </{root}>"),
                    },
                });
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
        Ok(false)
    }

    /// An element opens: `name` is its lower-case local name, `qualified` its name as written.
    fn open(&mut self, name: String, qualified: &str) -> Result<(), SourceError> {
        let depth = self.stack.len();
        match (depth, self.kind) {
            (0, _) => {
                self.kind = Some(match name.as_str() {
                    "urlset" => Kind::Urls,
                    "sitemapindex" => Kind::Index,
                    // UTF-16 read as bytes: `<\0?\0x\0m\0l\0>`.
                    _ if qualified.contains('\0') => {
                        return Err(SourceError::NotUtf8 {
                            url: self.url.to_string(),
                        });
                    }
                    _ => {
                        return Err(SourceError::NotASitemap {
                            url: self.url.to_string(),
                            root: qualified.to_owned(),
                        });
                    }
                });
            }
            (1, Some(kind)) if name == kind.entry_name() => self.entry = Some(Entry::default()),
            (2, Some(_)) if self.entry.is_some() => match name.as_str() {
                "loc" => self.start_capture(Field::Loc, depth),
                "lastmod" => self.start_capture(Field::Lastmod, depth),
                _ => {}
            },
            (3, Some(Kind::Urls)) if self.entry.is_some() && self.stack[2] == "news" => {
                match name.as_str() {
                    "publication_date" => self.start_capture(Field::NewsDate, depth),
                    "title" => self.start_capture(Field::NewsTitle, depth),
                    _ => {}
                }
            }
            _ => {}
        }
        self.stack.push(name);
        Ok(())
    }

    /// The innermost open element closes; true if it was the root.
    fn close(&mut self) -> bool {
        self.stack.pop();
        let depth = self.stack.len();
        if let Some(capture) = self.capture.take_if(|c| c.depth == depth) {
            self.finish_capture(capture);
        }
        if depth == 1
            && let Some(entry) = self.entry.take()
        {
            self.finish_entry(entry);
        }
        depth == 0
    }

    fn start_capture(&mut self, field: Field, depth: usize) {
        self.capture = Some(Capture {
            field,
            depth,
            text: String::new(),
            unresolved: false,
            too_long: false,
        });
    }

    /// Text inside the element being captured (not inside elements nested in it).
    fn push_text(&mut self, text: &str) {
        let depth = self.stack.len();
        let Some(capture) = self.capture.as_mut().filter(|c| c.depth + 1 == depth) else {
            return;
        };
        if capture.text.len() + text.len() > MAX_FIELD_BYTES {
            capture.too_long = true;
        } else if !capture.too_long {
            capture.text.push_str(text);
        }
    }

    fn mark_unresolved(&mut self) {
        let depth = self.stack.len();
        if let Some(capture) = self.capture.as_mut().filter(|c| c.depth + 1 == depth) {
            capture.unresolved = true;
        }
    }

    fn finish_capture(&mut self, capture: Capture) {
        let Some(entry) = self.entry.as_mut() else {
            return;
        };
        let text = trim_address(&capture.text);
        // A URL missing an entity's text is some other URL: drop it. Titles and dates keep
        // what could be read.
        let unusable = capture.too_long
            || text.is_empty()
            || (capture.unresolved && capture.field == Field::Loc);
        let value = (!unusable).then(|| text.to_owned());
        match capture.field {
            Field::Loc => entry.loc = value,
            Field::Lastmod => entry.lastmod = value,
            Field::NewsDate => entry.news_date = value,
            Field::NewsTitle => entry.news_title = value,
        }
    }

    fn finish_entry(&mut self, entry: Entry) {
        let Some(url) = entry
            .loc
            .as_deref()
            .and_then(|loc| self.url.join(loc).ok())
            .filter(http_url)
        else {
            self.skipped += 1;
            return;
        };
        match self.seen.admit(&url) {
            Admit::Keep => {}
            Admit::Repeat => return,
            Admit::LeftOut => {
                self.left_out += 1;
                return;
            }
        }
        let updated = entry
            .lastmod
            .as_deref()
            .and_then(parse_w3c_datetime)
            .or_else(|| entry.news_date.as_deref().and_then(parse_w3c_datetime));
        self.items.push(SourceItem {
            url,
            updated,
            title: entry.news_title,
        });
    }

    /// The [`SourceError`] for a failed read at byte `position`.
    fn read_error(&self, error: quick_xml::Error, position: u64) -> SourceError {
        if let quick_xml::Error::Io(io) = &error
            && (self.gzip || body::is_over_cap(io))
        {
            return body::read_error(io, self.url, self.limits.max_decompressed_bytes);
        }
        SourceError::Xml {
            url: self.url.to_string(),
            position,
            message: error.to_string(),
        }
    }
}

/// A local name, lower-cased for loose matching.
fn local_name(name: &str) -> String {
    name.to_ascii_lowercase()
}

/// A W3C datetime as sitemaps use it (<https://www.w3.org/TR/NOTE-datetime>): `YYYY`,
/// `YYYY-MM`, `YYYY-MM-DD`, or a date and time with optional seconds and fraction and a zone
/// (`Z` or `±hh:mm`; a missing zone is read as UTC). A space in place of the `T` is accepted.
/// Anything else is `None`: a bad date never costs the URL.
pub(super) fn parse_w3c_datetime(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim().replacen(' ', "T", 1);
    if let Ok(t) = DateTime::parse_from_rfc3339(&text) {
        return Some(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M%:z", "%Y-%m-%dT%H:%M%#z"] {
        if let Ok(t) = DateTime::parse_from_str(&text, format) {
            return Some(t.with_timezone(&Utc));
        }
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(&text, format) {
            return Some(t.and_utc());
        }
    }
    let date = match text.len() {
        4 => NaiveDate::parse_from_str(&format!("{text}-01-01"), "%Y-%m-%d"),
        7 => NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d"),
        _ => NaiveDate::parse_from_str(&text, "%Y-%m-%d"),
    };
    date.ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Timelike};

    use super::*;

    #[test]
    fn a_text_sitemap_warns_of_the_lines_it_skipped_naming_itself() {
        let logs = crate::test_support::Logs::capture();
        let at = Url::parse("https://news.test/sitemap.txt").unwrap();
        let text = b"https://news.test/a\nftp://news.test/b\n/relative\n";
        let items = parse_text_sitemap(text, &at, &SourceLimits::default()).unwrap();
        assert_eq!(items.len(), 1);
        let text = logs.text();
        assert!(
            text.lines().any(|l| l.contains(" WARN ")
                && l.contains("url=https://news.test/sitemap.txt skipped=2")),
            "{text}"
        );
        assert!(parse_text_sitemap(b"no URL\n", &at, &SourceLimits::default()).is_none());
    }
    use crate::schedule::sources::body::tests::zero_bomb;
    use crate::schedule::sources::tests::{assert_left_out, fixture};
    use crate::test_support::Logs;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
    }

    fn parse(body: &[u8]) -> Result<Sitemap, SourceError> {
        parse_sitemap(
            body,
            &url("https://news.test/sitemap.xml"),
            &SourceLimits::default(),
        )
    }

    fn urls(body: &[u8]) -> Vec<SourceItem> {
        match parse(body) {
            Ok(Sitemap::Urls(items)) => items,
            other => panic!("{other:?}"),
        }
    }

    fn locs(items: &[SourceItem]) -> Vec<&str> {
        items.iter().map(|i| i.url.as_str()).collect()
    }

    /// A go-sitemap-parser fixture with its `HOST` placeholder filled in.
    fn with_host(name: &str) -> Vec<u8> {
        String::from_utf8(fixture(name))
            .unwrap()
            .replace("HOST", "news.test")
            .into_bytes()
    }

    /// A UTF-16 sitemap (the protocol requires UTF-8) is refused in words, not with its root
    /// element's bytes read one by one.
    #[test]
    fn a_utf16_sitemap_is_refused_naming_its_encoding() {
        let text = String::from_utf8(with_host("gsp-sitemap-01.xml")).unwrap();
        let body: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let err = parse(&body).expect_err("refused");
        assert_eq!(
            err.to_string(),
            "https://news.test/sitemap.xml: not a sitemap: its text is UTF-16, and the sitemap \
             protocol requires UTF-8"
        );
    }

    /// Invisible characters pasted around an address are not part of it.
    #[test]
    fn invisible_characters_around_a_loc_are_not_the_address() {
        let body = "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
            <url><loc>\u{200B}https://news.test/a\u{FEFF} </loc></url>\
            <url><loc> \u{2060}https://news.test/b</loc></url></urlset>";
        assert_eq!(
            locs(&urls(body.as_bytes())),
            ["https://news.test/a", "https://news.test/b"]
        );
    }

    #[test]
    fn a_urlset_with_crlf_lines_and_date_only_lastmods() {
        let items = urls(&fixture("trafilatura-sitemap.xml"));
        assert_eq!(items.len(), 84);
        assert_eq!(items[0].url.as_str(), "https://www.sitemaps.org/");
        assert_eq!(
            items[83].url.as_str(),
            "https://www.sitemaps.org/zh_TW/terms.html"
        );
        assert!(
            items
                .iter()
                .all(|i| i.updated == Some(at(2016, 11, 21, 0, 0, 0)))
        );
        assert!(items.iter().all(|i| i.title.is_none()));
    }

    #[test]
    fn a_sitemap_index_lists_its_sitemaps() {
        match parse(&fixture("trafilatura-sitemap2.xml")) {
            Ok(Sitemap::Index(children)) => assert_eq!(
                children.iter().map(Url::as_str).collect::<Vec<_>>(),
                [
                    "http://www.example.com/sitemap1.xml.gz",
                    "http://www.example.com/sitemap2.xml.gz"
                ]
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn hreflang_alternates_are_not_entries() {
        let items = urls(&fixture("trafilatura-sitemap-hreflang.xml"));
        assert_eq!(
            locs(&items),
            [
                "http://www.example.com/english/page.html",
                "http://www.example.com/deutsch/page.html",
                "http://www.example.com/schweiz-deutsch/page.html"
            ]
        );
    }

    #[test]
    fn entities_are_decoded_and_a_second_root_is_ignored() {
        let items = urls(&fixture("rust-sitemap-sitemap1.xml"));
        assert_eq!(
            locs(&items),
            [
                "http://www.example.com/",
                "http://www.example.com/catalog?item=12&desc=vacation_hawaii",
                "http://www.example.com/catalog?item=73&desc=vacation_new_zealand",
                "http://www.example.com/catalog?item=74&desc=vacation_newfoundland",
                "http://www.example.com/catalog?item=83&desc=vacation_usa"
            ]
        );
        assert_eq!(items[1].updated, None);
        assert_eq!(items[3].updated, Some(at(2004, 12, 23, 18, 0, 15)));
    }

    #[test]
    fn google_news_titles_and_publication_dates() {
        let items = urls(&with_host("gsp-sitemap-news-01.xml"));
        assert_eq!(
            items,
            [
                SourceItem {
                    url: url("http://news.test/article-1"),
                    updated: Some(at(2026, 5, 3, 9, 0, 0)),
                    title: Some("Breaking: Example Article".into()),
                },
                SourceItem {
                    url: url("http://news.test/page-without-news"),
                    updated: None,
                    title: None,
                },
            ]
        );
    }

    #[test]
    fn image_and_video_extensions_are_not_taken_for_the_page() {
        let images = urls(&with_host("gsp-sitemap-image-01.xml"));
        assert_eq!(
            locs(&images),
            [
                "http://news.test/page-with-images",
                "http://news.test/page-without-images"
            ]
        );
        let videos = urls(&with_host("gsp-sitemap-video-01.xml"));
        assert_eq!(
            locs(&videos),
            [
                "http://news.test/video-page",
                "http://news.test/page-without-video"
            ]
        );
        assert!(
            videos
                .iter()
                .all(|i| i.title.is_none() && i.updated.is_none())
        );
    }

    #[test]
    fn a_gzipped_sitemap_is_read_through_the_decompressor() {
        let compressed = fixture("gsp-sitemap-02.xml.gz");
        assert!(body::is_gzip(&compressed));
        let items = urls(&compressed);
        assert_eq!(locs(&items), ["http://host/page-02", "http://host/page-03"]);
        assert_eq!(items[0].updated, Some(at(2024, 2, 12, 11, 34, 56)));
    }

    #[test]
    fn any_news_prefix_cdata_character_references_and_padded_locs() {
        // The shape of a publisher's news sitemap that binds the news namespace to `n`.
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:n="http://www.google.com/schemas/sitemap-news/0.9">
	<url>
	<loc>
	https://www.news.test/politics/2017/11/22/story.html
	</loc>
	<changefreq>hourly</changefreq>
	<n:news>
	<n:publication><n:name>News</n:name><n:language>en</n:language></n:publication>
	<n:publication_date>2017-11-23T02:05:12Z</n:publication_date>
	<n:title><![CDATA[Judge rejects <request>]]> &#8211; &#x41;&amp;B</n:title>
	</n:news>
	</url>
</urlset>"#;
        let items = urls(xml.as_bytes());
        assert_eq!(
            items,
            [SourceItem {
                url: url("https://www.news.test/politics/2017/11/22/story.html"),
                updated: Some(at(2017, 11, 23, 2, 5, 12)),
                title: Some("Judge rejects <request> \u{2013} A&B".into()),
            }]
        );
    }

    #[test]
    fn lastmod_wins_over_the_news_publication_date() {
        let xml = "<urlset><url><loc>https://news.test/a</loc><lastmod>2024-01-25T04:30:07+01:00</lastmod>\
                   <news:news><news:publication_date>2024-01-20</news:publication_date></news:news></url></urlset>";
        assert_eq!(
            urls(xml.as_bytes())[0].updated,
            Some(at(2024, 1, 25, 3, 30, 7))
        );
    }

    #[test]
    fn a_billion_laughs_document_is_refused_without_expanding_anything() {
        let mut xml =
            String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE urlset [\n  <!ENTITY lol \"lol\">\n");
        xml.push_str("  <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
        for n in 2..=9 {
            let prev = format!("&lol{};", n - 1).repeat(10);
            xml.push_str(&format!("  <!ENTITY lol{n} \"{prev}\">\n"));
        }
        xml.push_str("]>\n<urlset><url><loc>https://news.test/&lol9;</loc></url></urlset>\n");
        match parse(xml.as_bytes()) {
            Err(SourceError::EntityDeclaration { url }) => {
                assert_eq!(url, "https://news.test/sitemap.xml");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn undeclared_entities_are_never_expanded() {
        let xml = "<urlset>\
            <url><loc>https://news.test/&lol9;</loc></url>\
            <url><loc>https://news.test/b</loc><news:news><news:title>A&nbsp;B</news:title></news:news></url>\
            </urlset>";
        let items = urls(xml.as_bytes());
        // The URL that needed the entity is skipped; the title loses only the entity.
        assert_eq!(locs(&items), ["https://news.test/b"]);
        assert_eq!(items[0].title.as_deref(), Some("AB"));
    }

    #[test]
    fn a_doctype_without_entity_declarations_is_fine() {
        let xml = "<!DOCTYPE urlset><urlset><url><loc>https://news.test/a</loc></url></urlset>";
        assert_eq!(locs(&urls(xml.as_bytes())), ["https://news.test/a"]);
    }

    #[test]
    fn lone_ampersands_bom_relative_and_non_http_locs() {
        let xml = "\u{feff}<urlset>\
            <url><loc>https://news.test/search?a=1&b=2</loc></url>\
            <url><loc>/2024/relative.html</loc></url>\
            <url><loc>javascript:alert(1)</loc></url>\
            <url><loc>ftp://news.test/file</loc></url>\
            <url><loc/></url>\
            <url><lastmod>2024-01-01</lastmod></url>\
            <url><loc>https://news.test/search?a=1&amp;b=2</loc></url>\
            </urlset>";
        assert_eq!(
            locs(&urls(xml.as_bytes())),
            [
                "https://news.test/search?a=1&b=2",
                "https://news.test/2024/relative.html"
            ]
        );
    }

    #[test]
    fn an_empty_urlset_has_no_items() {
        assert_eq!(urls(b"<urlset/>"), []);
        assert_eq!(urls(b"<urlset></urlset>"), []);
    }

    #[test]
    fn malformed_xml_is_an_error_with_its_position() {
        let xml = b"<urlset><url><loc>https://news.test/a</lox></url></urlset>";
        match parse(xml) {
            Err(SourceError::Xml { url, position, .. }) => {
                assert_eq!(url, "https://news.test/sitemap.xml");
                assert_eq!(position, 37, "the position of </lox>");
            }
            other => panic!("{other:?}"),
        }
        match parse(b"<urlset><url><loc>https://news.test/a</loc></url>") {
            Err(e @ SourceError::Xml { .. }) => {
                assert!(e.to_string().contains("ends before </urlset>"), "{e}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn other_documents_are_not_sitemaps() {
        for (body, root) in [
            (
                &b"<!doctype html><html><body>Not found</body></html>"[..],
                "html",
            ),
            (b"<rss version=\"2.0\"><channel/></rss>", "rss"),
            (b"<rdf:RDF></rdf:RDF>", "rdf:RDF"),
            (b"", ""),
            (b"https://news.test/a\nhttps://news.test/b\n", ""),
        ] {
            match parse(body) {
                Err(SourceError::NotASitemap { url, root: got }) => {
                    assert_eq!(
                        (url.as_str(), got.as_str()),
                        ("https://news.test/sitemap.xml", root)
                    );
                }
                other => panic!("{root}: {other:?}"),
            }
        }
    }

    /// Regression: a sitemap over the cap was refused whole, so none of its URLs was ever
    /// queued. Its first URLs are taken, and a warning says how many were left out.
    #[test]
    fn past_the_url_cap_the_first_urls_are_taken_and_duplicates_do_not_count() {
        let limits = SourceLimits {
            max_urls: 2,
            ..SourceLimits::default()
        };
        let doc = "<urlset><url><loc>https://news.test/a</loc></url><url><loc>https://news.test/a</loc></url>\
                   <url><loc>https://news.test/b</loc></url></urlset>";
        let base = url("https://news.test/sitemap.xml");
        let logs = Logs::capture();
        match parse_sitemap(doc.as_bytes(), &base, &limits) {
            Ok(Sitemap::Urls(items)) => assert_eq!(items.len(), 2),
            other => panic!("{other:?}"),
        }
        assert!(!logs.text().contains("left out"), "{}", logs.text());
        let body = fixture("trafilatura-sitemap.xml");
        match parse_sitemap(&body, &base, &limits) {
            Ok(Sitemap::Urls(items)) => assert_eq!(
                locs(&items),
                [
                    "https://www.sitemaps.org/",
                    "https://www.sitemaps.org/protocol.html"
                ]
            ),
            other => panic!("{other:?}"),
        }
        let warning = assert_left_out(&logs, "https://news.test/sitemap.xml", 82);
        assert!(warning.contains("more than 2 URLs"), "{warning}");
    }

    #[test]
    fn a_gzip_bomb_stops_at_the_cap_naming_the_sitemap() {
        let bomb = zero_bomb(1024);
        let gz = url("https://news.test/sitemap-news.xml.gz");
        let limits = SourceLimits {
            max_decompressed_bytes: 4 << 20,
            ..SourceLimits::default()
        };
        match parse_sitemap(&bomb, &gz, &limits) {
            Err(e @ SourceError::TooLarge { .. }) => {
                assert_eq!(
                    e.to_string(),
                    "https://news.test/sitemap-news.xml.gz: more than 4194304 bytes after decompression"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn w3c_datetimes() {
        let cases = [
            ("1997", Some(at(1997, 1, 1, 0, 0, 0))),
            ("1997-07", Some(at(1997, 7, 1, 0, 0, 0))),
            ("1997-07-16", Some(at(1997, 7, 16, 0, 0, 0))),
            ("1997-07-16T19:20+01:00", Some(at(1997, 7, 16, 18, 20, 0))),
            (
                "1997-07-16T19:20:30+01:00",
                Some(at(1997, 7, 16, 18, 20, 30)),
            ),
            (
                "1997-07-16T19:20:30.45+01:00",
                Some(at(1997, 7, 16, 18, 20, 30)),
            ),
            ("1997-07-16T19:20:30Z", Some(at(1997, 7, 16, 19, 20, 30))),
            ("1997-07-16T19:20Z", Some(at(1997, 7, 16, 19, 20, 0))),
            ("1997-07-16T19:20:30", Some(at(1997, 7, 16, 19, 20, 30))),
            (
                " 2024-01-25 04:30:07+01:00 ",
                Some(at(2024, 1, 25, 3, 30, 7)),
            ),
            ("yesterday", None),
            ("2024-13-01", None),
            ("", None),
        ];
        for (text, expected) in cases {
            let got = parse_w3c_datetime(text).map(|t| t.with_nanosecond(0).unwrap());
            assert_eq!(got, expected, "{text:?}");
        }
    }
}
