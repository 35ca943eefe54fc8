//! The scan: walks the [`prefilter`](super::prefilter) hits in page order, cuts out only the
//! element around each (`<blockquote>`, `<iframe>`, `<amp-…>`, the tag holding a declared class …) and
//! parses that region with html5ever, so a page costs one linear pass plus small parses; a page
//! without markers costs the pass alone. Raw-text elements (`<script>`, `<style>`, `<textarea>`,
//! comments) are skipped whole, and recorded as invisible for the remnant text.
//!
//! Hidden markup (script strings, textareas, escaped attributes) is decoded and scanned again,
//! at most [`MAX_DEPTH`] levels deep, with the hidden location attached. Nothing here recurses
//! over the DOM, and every region is capped (`tag::MAX_REGION`), so hostile pages stay linear.
//!
//! What the scan keeps is bounded too, whatever the page: at most [`MAX_CANDIDATES`] forms
//! (past that the scan stops and says where), and at most [`MAX_MARKUP_TOTAL`] bytes of their
//! markup, so a page of a million embed stubs costs its own size, not a million objects.

use std::ops::Range;

use aho_corasick::AhoCorasick;
use scraper::Html;
use url::Url;

use super::element_tree;
use super::entity;
use super::hidden::{decode_base64_markup, looks_js_escaped, unescape_js_deep};
use super::light;
use super::light_tree;
use super::markup::named;
use super::markup::widget::WP_EMBED;
use super::markup::{self, Candidate};
use super::page_data;
use super::prefilter::{
    BASE64_ATTR, BASE64_BLOCKER, BASE64_MARKUP_VALUES, BLOCKQUOTE_FORMS, BODY_MARKERS, Hit, Marker,
    SCRIPT_CALLS, next_tag_marker, next_text_marker,
};
use super::tag::{
    COMMENT_END, MAX_REGION, SCRIPT_END, STYLE_END, StartTag, TEXTAREA_END, depth_limited_end,
    element_end_within, enclosing_start_tag, find_ci, find_with, floor_boundary, holds_raw_markup,
    read_start_tag,
};
use crate::model::{Location, Recognised};
use crate::platforms::markup::{ElementForm, Marker as FormMarker};

/// The most bytes of an embed's original markup kept in [`EmbedRef::markup`](crate::model::EmbedRef).
pub(crate) const MAX_MARKUP: usize = 64 * 1024;

/// How many levels of hidden markup inside hidden markup are decoded.
const MAX_DEPTH: u8 = 3;

/// The most embed forms one page's scan collects, before recognition and merging (a post often
/// appears two or three times: an AMP component and its `<noscript>` copy, a consent script's
/// copy). Past it the scan stops; [`Scan::cut_at`] says where.
pub const MAX_CANDIDATES: usize = 2_000;

/// The most bytes of original markup the forms of one page keep together. Nested forms each
/// keep their own serialisation, so without this a page's markup copies could be many times
/// the page; past it, forms keep none.
pub(crate) const MAX_MARKUP_TOTAL: usize = 16 * 1024 * 1024;

/// The most bytes of one element named for a platform that are parsed to read the links inside
/// it: cards and players are a few KiB; a wrapper around a whole page is not a card.
const MAX_NAMED_REGION: usize = 64 * 1024;

/// One embed form found in the page, before recognition.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub candidate: Candidate,
    pub location: Location,
    pub markup: String,
    /// The top-level page bytes the form came from (to leave out of the remnant text).
    pub span: Option<Range<usize>>,
}

/// What the prefilter pass found.
#[derive(Debug)]
pub(crate) struct Scan {
    pub found: Vec<Found>,
    /// Top-level byte ranges a reader never sees as text: scripts, styles, textareas, comments,
    /// and start tags whose attributes hold escaped markup.
    pub invisible: Vec<Range<usize>>,
    /// Set when the page held more than [`MAX_CANDIDATES`] forms: the offset of the top-level
    /// element the scan stopped in. Forms from there on are not reported.
    pub cut_at: Option<usize>,
    /// A form was found with [`MAX_CANDIDATES`] already kept: the scan stops.
    overflowed: bool,
    /// An element that may be an embed was not read: a tag in it had more attributes than any
    /// real one ([`crate::model::start_tag::crowded`]). The page was not wholly read.
    pub crowded: std::cell::Cell<bool>,
    /// An element that may be an embed nested deeper than a region is parsed
    /// ([`MAX_DEPTH`](super::tag::MAX_DEPTH)) and was read only down to there: what it holds
    /// further in (a link after the deep part) was not read; or it ran on past a region's bytes
    /// ([`MAX_REGION`]) and was read only up to there; or a script's element trees
    /// (`element_tree::Trees::Unread`) could not be read whole, too deep or too large. The
    /// page was not wholly read.
    pub cut_deep: bool,
    /// Markup bytes the forms may still keep (of [`MAX_MARKUP_TOTAL`]).
    markup_left: usize,
    /// Bytes that elements named for a platform may still have parsed: named elements nest
    /// (a card inside a wrapper), so each byte may be parsed more than once, but never more
    /// than a few times the page's size in all.
    named_left: usize,
    /// Bytes that blockquotes of no declared form may still have searched for an embed's
    /// fallback: blockquotes nest too, and each looks ahead for its end.
    fallback_left: usize,
    /// Bytes of regions that held no embed form which the scan may still read on inside:
    /// regions nest (a blockquote in a blockquote), and each inner one is parsed again when
    /// the scan reads on inside the outer, so these are bounded by the page's size in all.
    reread_left: usize,
    /// Bytes the scan may still read around a found form to judge it (the elements around a
    /// bare address's paragraph, the links beside an element keeping a bare id): at most twice
    /// the page in all.
    look_around_left: usize,
}

impl Default for Scan {
    fn default() -> Self {
        Scan {
            found: Vec::new(),
            invisible: Vec::new(),
            cut_at: None,
            overflowed: false,
            crowded: std::cell::Cell::new(false),
            cut_deep: false,
            markup_left: MAX_MARKUP_TOTAL,
            named_left: 0,
            fallback_left: 0,
            reread_left: 0,
            look_around_left: 0,
        }
    }
}

/// The URL recogniser discovery runs with (tests pass a small fixed one).
pub(crate) type Recognise<'r> = &'r dyn Fn(&Url) -> Option<Recognised>;

/// Scan a whole page; `recognise` answers the scan's cheap tests of whether markup names a post.
pub(crate) fn scan(html: &str, base: &Url, recognise: Recognise<'_>) -> Scan {
    let mut out = Scan {
        named_left: html
            .len()
            .saturating_mul(4)
            .saturating_add(MAX_NAMED_REGION),
        fallback_left: html
            .len()
            .saturating_mul(2)
            .saturating_add(MAX_NAMED_REGION),
        reread_left: html.len().saturating_add(MAX_NAMED_REGION),
        look_around_left: html
            .len()
            .saturating_mul(2)
            .saturating_add(MAX_NAMED_REGION),
        ..Scan::default()
    };
    scan_into(html, base, recognise, Location::Dom, 0, &mut out);
    out
}

/// Parse `html` (markup of the page at `page`) as a fragment and apply `f` to its first
/// top-level element, if it has one.
fn parse_one<T>(
    html: &str,
    page: &Url,
    crowded: &std::cell::Cell<bool>,
    f: impl FnOnce(scraper::ElementRef<'_>) -> T,
) -> Option<T> {
    first_element(&parse_fragment(html, page, crowded)?, f)
}

/// `html` (markup of the page at `page`) parsed as a fragment, unless a tag in it has more
/// attributes than any real one: the parser's cost grows with the square of a tag's
/// attributes, so such markup is not read at all, and `crowded` is set to say so. (Its cost
/// grows with the square of the nesting too, but every region the scan parses is cut at
/// [`MAX_DEPTH`](super::tag::MAX_DEPTH) levels first.)
fn parse_fragment(html: &str, page: &Url, crowded: &std::cell::Cell<bool>) -> Option<Html> {
    crate::model::start_tag::parse_unless_crowded(html, Html::parse_fragment)
        .map_err(|refused| {
            tracing::debug!(%page, %refused, "markup skipped");
            crowded.set(true);
        })
        .ok()
}

/// Apply `f` to the first top-level element of `fragment`, if it has one.
fn first_element<T>(fragment: &Html, f: impl FnOnce(scraper::ElementRef<'_>) -> T) -> Option<T> {
    let el = fragment
        .root_element()
        .children()
        .find_map(scraper::ElementRef::wrap)?;
    Some(f(el))
}

/// The most addresses [`names_a_post`] asks the recognisers about in one region.
const MAX_ADDRESSES_ASKED: usize = 16;

/// Whether raw markup holds, anywhere in it (an attribute, a `<source>`, JSON settings), an
/// address that a recogniser claims as a single post (read as the readers read addresses, against
/// the page's `base`): a cheap test before parsing.
fn names_a_post(markup: &str, base: &Url, recognise: Recognise<'_>) -> bool {
    let unescaped;
    let markup = if markup.contains("\\/") {
        unescaped = markup.replace("\\/", "/");
        unescaped.as_str()
    } else {
        markup
    };
    markup
        .split(|c: char| matches!(c, '"' | '\'' | '<' | '>') || c.is_ascii_whitespace())
        .filter(|t| t.starts_with("http") || t.starts_with("//"))
        .take(MAX_ADDRESSES_ASKED)
        .filter_map(|t| crate::model::markup::absolute(base, t))
        .any(|u| names_one_post(&u, recognise))
}

/// The most `href` values [`links_name_a_post`] asks the recognisers about: as many as an
/// element's links that are read (`named::MAX_URLS`), so that a hostile page of nested
/// wrappers holding thousands of links costs no more than parsing them.
const MAX_LINKS_ASKED: usize = 64;

/// Whether an `href` value in raw markup (its character references decoded, read against
/// `base`) is an address that a recogniser claims as a single post: a cheap test before parsing
/// an element to read its links, which name a post only if one of them is a post's. Every
/// `href` followed by `=` is read, in any tag (in a comment or a script too), quoted or not as
/// html5ever reads attribute values, so it says yes wherever a parse would find such a link;
/// past [`MAX_LINKS_ASKED`] of them it says yes, and the parse decides.
///
/// Except for references that `entity::decode` leaves as they are and html5ever decodes: those
/// without their `;` (`&#47`, `&nbsp`), and numeric references to control characters
/// (`&#1;`), which the URL parser then strips. A post link spelled with one of those where it
/// matters is not read from an element named for embedding.
fn links_name_a_post(markup: &str, base: &Url, recognise: Recognise<'_>) -> bool {
    use crate::model::start_tag::{is_space, value_at};
    let b = markup.as_bytes();
    let skip_space = |mut i: usize| {
        while b.get(i).copied().is_some_and(is_space) {
            i += 1;
        }
        i
    };
    let mut from = 0;
    let mut asked = 0;
    while let Some(at) = find_ci(b, b"href", from) {
        from = at + 4;
        if asked == MAX_LINKS_ASKED {
            return true;
        }
        asked += 1;
        let eq = skip_space(at + 4);
        if b.get(eq) != Some(&b'=') {
            continue;
        }
        let (value, _) = value_at(b, skip_space(eq + 1));
        // Quotes, spaces and `>` are ASCII: the value is whole characters.
        let Ok(value) = std::str::from_utf8(value) else {
            return true;
        };
        if crate::model::markup::absolute(base, &entity::decode(value))
            .is_some_and(|u| names_one_post(&u, recognise))
        {
            return true;
        }
    }
    false
}

/// Whether a recogniser claims `url` as a single post.
fn names_one_post(url: &Url, recognise: Recognise<'_>) -> bool {
    recognise(url).is_some_and(|r| r.kind.is_post() && r.post_id.is_some())
}

/// Cap markup at `max` bytes on a character boundary.
fn cap_markup(mut markup: String, max: usize) -> String {
    if markup.len() > max {
        let at = floor_boundary(&markup, max);
        markup.truncate(at);
        markup.shrink_to_fit();
    }
    markup
}

struct Pass<'a, 'o> {
    html: &'a str,
    base: &'a Url,
    recognise: Recognise<'a>,
    location: Location,
    depth: u8,
    out: &'o mut Scan,
    /// The text before this offset has been searched backwards for `<` already...
    lt_searched_to: usize,
    /// ...and this was the last `<` found there.
    last_lt: Option<usize>,
    /// The last tag read by [`Pass::enclosing_tag`]: its `<` and end. Later hits are further on,
    /// so a tag that closed before one hit closes before all later ones: never read it twice.
    closed_tag: Option<(usize, usize)>,
    /// The last element [`links_name_a_post`] found no post link in: an element inside it has
    /// none either (wrappers nest, each asked about the same links).
    linkless: Range<usize>,
}

fn scan_into(
    html: &str,
    base: &Url,
    recognise: Recognise<'_>,
    location: Location,
    depth: u8,
    out: &mut Scan,
) {
    let mut pass = Pass {
        html,
        base,
        recognise,
        location,
        depth,
        out,
        lt_searched_to: 0,
        last_lt: None,
        closed_tag: None,
        linkless: 0..0,
    };
    pass.run();
}

impl<'a> Pass<'a, '_> {
    fn top(&self) -> bool {
        self.depth == 0
    }

    fn run(&mut self) {
        let bytes = self.html.as_bytes();
        let mut pos = 0;
        // Hits before `floor` lie inside a tag or region already handled.
        let mut floor = 0;
        // The next hit of each marker stream (`Some(None)`: none ahead), kept while it still lies
        // ahead: each stream then searches every byte once, however the two interleave.
        let mut tag_hit: Option<Option<Hit>> = None;
        // The first text marker before `searched_to` (None: there is none before it).
        let mut text_hit: Option<Hit> = None;
        let mut searched_to = 0;
        let stale = |cached: Option<Option<Hit>>, pos: usize| {
            cached.is_none_or(|hit| hit.is_some_and(|h| h.start < pos))
        };
        while pos < bytes.len() {
            if self.out.overflowed {
                break;
            }
            if stale(tag_hit, pos) {
                tag_hit = Some(next_tag_marker(bytes, pos));
            }
            let text_stale = match text_hit {
                Some(h) => h.start < pos,
                None => searched_to <= pos && searched_to < bytes.len(),
            };
            if text_stale {
                // A script, style or comment ahead is skipped whole, so the text markers are
                // searched only up to it: its body (a third of a news page's bytes) is not
                // searched for markers that would be passed over.
                searched_to = match tag_hit.flatten() {
                    Some(h) if matches!(h.marker, Marker::RawText | Marker::Comment) => {
                        h.start.max(pos)
                    }
                    _ => bytes.len(),
                };
                text_hit = next_text_marker(bytes, pos, searched_to);
            }
            let m = match (tag_hit.flatten(), text_hit) {
                (Some(a), Some(b)) => {
                    if a.start <= b.start {
                        a
                    } else {
                        b
                    }
                }
                (Some(a), None) => a,
                (None, Some(b)) => b,
                (None, None) => break,
            };
            let next = match m.marker {
                Marker::Comment => {
                    let end = find_with(&COMMENT_END, bytes, m.end).map_or(bytes.len(), |e| e + 3);
                    if self.top() {
                        self.out.invisible.push(m.start..end);
                    }
                    end
                }
                Marker::RawText => self.raw_text(m.start).unwrap_or(m.end),
                Marker::Open => self.open(m.start).unwrap_or(m.end),
                Marker::InTag => self.in_tag(m.start, floor).unwrap_or(m.end),
                Marker::Para => self.para(m.start).unwrap_or(m.end),
                Marker::Escaped => match self.escaped(m.start, floor) {
                    Escaped::Tag(end) => end,
                    Escaped::Rest => break,
                    Escaped::Skip => m.end,
                },
            };
            if self.out.overflowed && self.top() && self.out.cut_at.is_none() {
                // The element just read (or the hidden markup in it) filled the scan: what
                // follows it, and whatever of it was not read, is not reported.
                self.out.cut_at = Some(m.start);
            }
            pos = next.max(m.end);
            if next > m.end {
                floor = next;
            }
        }
    }

    /// `<script>`, `<style>`, `<textarea>`: skip the raw text, decoding hidden markup in it.
    fn raw_text(&mut self, lt: usize) -> Option<usize> {
        let bytes = self.html.as_bytes();
        if let Some(end) = self.inside_another_tag(lt) {
            return Some(end);
        }
        let tag = read_start_tag(bytes, lt)?;
        let closing: &AhoCorasick = match &*tag.name {
            "script" => &SCRIPT_END,
            "style" => &STYLE_END,
            "textarea" => &TEXTAREA_END,
            _ => return Some(tag.end),
        };
        // No cap here: a script's end is where it ends, or hidden JSON would be read as markup.
        let body_end = find_with(closing, bytes, tag.end).unwrap_or(bytes.len());
        let end =
            memchr::memchr(b'>', &bytes[body_end..]).map_or(bytes.len(), |o| body_end + o + 1);
        if self.top() {
            self.out.invisible.push(lt..end);
        }
        if tag.name == "script" && carries_form(&tag, &crate::platforms::declared().scripts) {
            match light::fragment(&tag, None) {
                Some(fragment) => self.read_fragment(&fragment, lt..end),
                None => self.region(lt..end),
            }
        }
        // Consent tools also park markup in the attributes of the script tag itself.
        if find_ci(&bytes[lt..tag.end], b"&lt;", 0).is_some() {
            self.escaped_attributes(&tag);
        }
        let body = &self.html[tag.end..body_end];
        let signs = tag.name != "style" && BODY_MARKERS.find(body.as_bytes()).is_some();
        if signs && tag.name == "script" {
            self.script_calls(body, lt..end);
        }
        if signs && self.depth < MAX_DEPTH {
            let (decoded, location) = if tag.name == "script" {
                let body = page_data::without_other_stories(tag.attr("id"), body);
                (
                    percent_decoded_markup(unescape_js_deep(&body, 3)),
                    Location::ScriptString,
                )
            } else {
                let decoded = entity::decode(body);
                let decoded = if looks_js_escaped(&decoded) {
                    unescape_js_deep(&decoded, 3)
                } else {
                    decoded.into_owned()
                };
                (decoded, Location::Textarea)
            };
            self.nested(&decoded, location);
        } else if tag.name == "script" {
            // A consent tool's `<script type="text/template">` holding the blocked embed as
            // base64.
            self.nested_base64(body, Location::ScriptString);
        }
        // An app's data keeping the article's body as an element tree, not as markup.
        if tag.name == "script" && self.depth < MAX_DEPTH {
            match element_tree::trees(body) {
                element_tree::Trees::Markup(markup) => {
                    self.nested(&markup, Location::ScriptString);
                }
                element_tree::Trees::Unread => self.out.cut_deep = true,
                element_tree::Trees::None => {}
            }
        }
        Some(end)
    }

    /// The widgets a script's body builds by calls of a platform's library
    /// ([`SCRIPT_CALLS`]); `span` is the script element's bytes, kept as their markup.
    fn script_calls(&mut self, body: &str, span: Range<usize>) {
        let declared = crate::platforms::declared();
        let mut called = vec![false; declared.script_calls.len()];
        for hit in SCRIPT_CALLS.find_iter(body) {
            called[hit.pattern().as_usize()] = true;
        }
        for (call, _) in declared.script_calls.iter().zip(called).filter(|(_, c)| *c) {
            for candidate in (call.read)(body, self.base) {
                let markup = self.html.get(span.clone()).unwrap_or_default().to_owned();
                self.push(candidate, markup, span.clone());
            }
        }
    }

    /// Scan decoded hidden markup one level down, found at `location` when this pass reads
    /// the page itself. Every hidden copy (script string, textarea, attribute, `srcdoc`) is
    /// scanned through here.
    fn nested(&mut self, text: &str, location: Location) {
        // The outermost hiding place is where a reader (or consent click) would find it.
        let location = if self.top() { location } else { self.location };
        scan_into(
            text,
            self.base,
            self.recognise,
            location,
            self.depth + 1,
            self.out,
        );
    }

    /// The end of a blockquote that is no declared form but may hold an embed's fallback (read
    /// by the blockquote reader): a link, and text a remnant finder may match, in a quotation of
    /// a card's size. The bytes looked through come out of a budget of twice the page, so that
    /// blockquotes nested without end cost linear time.
    fn fallback_end(&mut self, tag: &StartTag<'_>) -> Option<usize> {
        let bytes = self.html.as_bytes();
        let max = MAX_NAMED_REGION.min(self.out.fallback_left);
        let found = element_end_within(bytes, tag, max);
        let searched = match found {
            Ok(end) | Err(end) => end.saturating_sub(tag.end),
        };
        self.out.fallback_left = self.out.fallback_left.saturating_sub(searched);
        let end = found.ok()?;
        find_ci(&bytes[tag.end..end], b"href", 0)?;
        let region =
            &self.html[floor_boundary(self.html, tag.start)..floor_boundary(self.html, end)];
        crate::platforms::declared()
            .remnants
            .iter()
            .any(|f| (f.may_match)(region))
            .then_some(end)
    }

    /// An element that may be an embed by its name: parse its region.
    fn open(&mut self, lt: usize) -> Option<usize> {
        let bytes = self.html.as_bytes();
        if let Some(end) = self.inside_another_tag(lt) {
            return Some(end);
        }
        let tag = read_start_tag(bytes, lt)?;
        self.hide_raw_gt(&tag);
        // A blockquote read for its fallback text, and a media element, have had their end
        // found already.
        let mut known_end = None;
        let wanted = match &*tag.name {
            "blockquote" => {
                let class = tag.attr("class").unwrap_or_default();
                BLOCKQUOTE_FORMS.find(class).is_some()
                    || crate::platforms::declared()
                        .quotes
                        .iter()
                        .filter_map(|q| q.form.marker_attr)
                        .any(|a| tag.attr(a).is_some())
                    || {
                        known_end = self.fallback_end(&tag);
                        known_end.is_some()
                    }
            }
            name if name.starts_with("amp-") => markup::amp::is_form(name),
            // A container a platform declares by its own tag name is a form wherever it stands,
            // as an AMP component is: there is no class to tell it from furniture.
            name if markup::widget::is_tag_container(name) => true,
            "video" | "audio" => {
                // Most media elements play the publisher's own files: only one that names a
                // post somewhere in its markup is parsed.
                let end = self.element_end(&tag);
                known_end = Some(end);
                let region = &self.html
                    [floor_boundary(self.html, tag.start)..floor_boundary(self.html, end)];
                names_a_post(region, self.base, self.recognise)
            }
            name => markup::frame::is_form(name),
        };
        if !wanted {
            self.plain_tag(&tag);
            return Some(tag.end);
        }
        let end = known_end.unwrap_or_else(|| self.element_end(&tag));
        let found_before = self.out.found.len();
        match self.light_region(&tag, end) {
            Some(fragment) => self.read_fragment(&fragment, lt..end),
            None => self.region(lt..end),
        }
        // An iframe's `srcdoc` is a whole document the browser renders in place.
        if tag.name == "iframe"
            && self.depth < MAX_DEPTH
            && let Some(srcdoc) = tag.attr("srcdoc").and_then(|v| std::str::from_utf8(v).ok())
        {
            let decoded = entity::decode(srcdoc).into_owned();
            self.nested(&decoded, Location::Dom);
        }
        Some(self.past_region(&tag, end, found_before))
    }

    /// A tag marker inside another start tag (`<div data-embed='<iframe …'>`, embed code pasted
    /// into a link's address): the browser builds no element of it, so it is read as that
    /// tag's attribute text, hidden markup of the tag, which is read now; the end of the tag,
    /// where the scan goes on.
    fn inside_another_tag(&mut self, lt: usize) -> Option<usize> {
        let start = enclosing_start_tag(self.html.as_bytes(), lt, 0)?;
        let tag = read_start_tag(self.html.as_bytes(), start)?;
        self.plain_tag(&tag);
        Some(tag.end.max(lt + 1))
    }

    /// Where the scan goes on after a region read as a form: past it when it held an embed form,
    /// else inside it, as after any other start tag, while [`Scan::reread_left`] allows. A
    /// legacy player or a blockquote that embeds nothing may hold what no form reader knows and
    /// the scan does (a lazy loader's placeholder named for a platform, inside an `<object>` it
    /// sizes).
    fn past_region(&mut self, tag: &StartTag<'_>, end: usize, found_before: usize) -> usize {
        let inside = end.saturating_sub(tag.end);
        if self.out.found.len() > found_before || inside > self.out.reread_left {
            return end;
        }
        self.out.reread_left -= inside;
        tag.end
    }

    /// A class/attribute marker: the tag around it decides whether it is an embed form.
    fn in_tag(&mut self, at: usize, floor: usize) -> Option<usize> {
        let tag = self.enclosing_tag(floor, at)?;
        let lt = tag.start;
        let declared = crate::platforms::declared();
        let marked = |forms: &[&ElementForm]| carries_form(&tag, forms);
        let wanted = match &*tag.name {
            "a" => marked(&declared.anchors),
            "div" | "figure" | "section" | "span" => {
                marked(&declared.containers) || class_has(&tag, WP_EMBED.as_bytes())
            }
            _ => false,
        };
        if !wanted {
            self.plain_tag(&tag);
            return Some(tag.end);
        }
        let end = self.element_end(&tag);
        let found_before = self.out.found.len();
        self.region(lt..end);
        Some(self.past_region(&tag, end, found_before))
    }

    /// The end of the element `tag` opens, as [`element_end`] finds it. An element whose end
    /// is not within a region's bytes ([`MAX_REGION`]) while the page goes on is read only in
    /// part: an embed's address past the cut is not seen, so the page is not read whole
    /// ([`Scan::cut_deep`]) and its embeds found before stay the article's.
    fn element_end(&mut self, tag: &StartTag<'_>) -> usize {
        let bytes = self.html.as_bytes();
        match element_end_within(bytes, tag, MAX_REGION) {
            Ok(end) => end,
            Err(limit) => {
                self.out.cut_deep |= limit < bytes.len();
                limit
            }
        }
    }

    /// An element named for a platform or for embedding (`markup::named`): read what it names.
    /// Its content is scanned on as usual afterwards, so embed forms inside it are read by
    /// their own readers.
    fn named(&mut self, tag: &StartTag<'a>) {
        let card = named::is_card(&tag.name);
        if !card && !named::is_container(&tag.name) {
            return;
        }
        let bytes = self.html.as_bytes();
        if card && !named::may_be_named_for_embedding(&bytes[tag.start..tag.end]) {
            return;
        }
        let Some(naming) = named::named(&tag.name, &tag.attrs) else {
            return;
        };
        if card && !naming.embed {
            return;
        }
        // The whole element when it is small and the budget allows, else its start tag alone.
        let end = match element_end_within(bytes, tag, MAX_NAMED_REGION) {
            Ok(end) if end - tag.start <= self.out.named_left => end,
            _ => tag.end,
        };
        self.out.named_left = self.out.named_left.saturating_sub(end - tag.start);
        let start = floor_boundary(self.html, tag.start);
        let cut = depth_limited_end(bytes, start, end);
        self.out.cut_deep |= cut < end;
        let end = floor_boundary(self.html, cut);
        // `named::read` looks below the start tag only for the links of an element named for
        // embedding: any other element is read from its start tag alone, and parsed whole only
        // when it names a post and its markup is kept. Most named elements name none.
        // Its links are read only when one of them may be a post's: a link to no post makes no
        // embed, and wrappers named for embedding (oEmbed product boxes, say) nest deep.
        let content = &bytes[tag.end.min(end)..end];
        let reads_content = (naming.embed
            && ((find_ci(content, b"href", 0).is_some() && self.links_may_name_post(start..end))
                || holds_text_address(content)))
            || holds_json_script(content);
        if !reads_content && !named::may_name_post(&tag.attrs, &naming) {
            return;
        }
        let read_end = if reads_content {
            end
        } else {
            floor_boundary(self.html, tag.end.min(end))
        };
        let keeps_markup = self.out.markup_left > 0;
        // The whole element's markup, serialised once, however many posts it names: from the
        // parse that read it when that parse was of the whole element, else from a second one.
        let read = |el: scraper::ElementRef<'_>| {
            let candidates = named::read(el, self.base, &naming);
            let serialised =
                (reads_content && keeps_markup && !candidates.is_empty()).then(|| el.html());
            (candidates, serialised)
        };
        // A start tag alone is built without the parser when its bytes allow.
        let light = if reads_content {
            None
        } else {
            light::fragment(tag, None)
        };
        let outcome = match &light {
            Some(fragment) => first_element(fragment, read),
            None => parse_one(
                &self.html[start..read_end],
                self.base,
                &self.out.crowded,
                read,
            ),
        };
        let Some((candidates, serialised)) = outcome else {
            return;
        };
        if candidates.is_empty() {
            return;
        }
        let markup = match serialised {
            Some(markup) => markup,
            None if keeps_markup => {
                parse_one(&self.html[start..end], self.base, &self.out.crowded, |el| {
                    el.html()
                })
                .unwrap_or_default()
            }
            None => String::new(),
        };
        for candidate in candidates {
            if self.out.overflowed {
                break;
            }
            self.push(candidate, markup.clone(), start..end);
        }
    }

    /// [`links_name_a_post`] of a region of the page.
    fn links_may_name_post(&mut self, region: Range<usize>) -> bool {
        if self.linkless.start <= region.start && region.end <= self.linkless.end {
            return false;
        }
        let may = links_name_a_post(&self.html[region.clone()], self.base, self.recognise);
        if !may {
            self.linkless = region;
        }
        may
    }

    /// `<p>` holding nothing but a URL.
    fn para(&mut self, lt: usize) -> Option<usize> {
        let bytes = self.html.as_bytes();
        if !matches!(bytes.get(lt + 2), Some(b' ' | b'>' | b'\t' | b'\n' | b'\r')) {
            return None;
        }
        // Most paragraphs are prose: reject them before reading the tag properly.
        let gt = memchr::memchr(b'>', &bytes[lt..])? + lt;
        let first = bytes[gt + 1..]
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .map(|o| gt + 1 + o)?;
        if !bytes[first..].starts_with(b"http") {
            return Some(gt + 1);
        }
        let tag = read_start_tag(bytes, lt)?;
        let Some(inner_end) = memchr::memchr(b'<', &bytes[tag.end..]).map(|o| tag.end + o) else {
            return Some(tag.end);
        };
        if !bytes
            .get(inner_end..inner_end + 3)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"</p"))
        {
            return Some(tag.end);
        }
        let inner = &self.html[tag.end..inner_end];
        let Some(candidate) = markup::bare_url(inner, self.base) else {
            return Some(tag.end);
        };
        let end =
            memchr::memchr(b'>', &bytes[inner_end..]).map_or(bytes.len(), |o| inner_end + o + 1);
        let look_back = COMMENT_LOOK_BACK.min(lt);
        let in_comment = self.out.look_around_left >= look_back && {
            self.out.look_around_left -= look_back;
            in_comment(bytes, lt)
        };
        if in_comment {
            tracing::debug!(
                url = inner.trim(),
                "a bare address in a reader's comment is no embed"
            );
            return Some(end);
        }
        self.push(candidate, self.html[lt..end].to_owned(), lt..end);
        Some(end)
    }

    /// Escaped markup: inside an attribute value, decode that value and scan it.
    fn escaped(&mut self, at: usize, floor: usize) -> Escaped {
        if self.depth >= MAX_DEPTH {
            return Escaped::Skip;
        }
        let Some(tag) = self.enclosing_tag(floor, at) else {
            // Escaped markup in text: on the page itself that is an article showing code; inside
            // decoded hidden text it is one more layer of escaping (JSON holding HTML).
            if self.top() {
                return Escaped::Skip;
            }
            let rest = percent_decoded_markup(entity::decode(&self.html[at..]).into_owned());
            // Below the page, `nested` keeps this pass's location, the outermost hiding place.
            self.nested(&rest, self.location);
            return Escaped::Rest;
        };
        self.plain_tag(&tag);
        Escaped::Tag(tag.end)
    }

    /// A tag that is no embed form of its own, which the scan steps over whole: read it if it
    /// is named for a platform, and decode the escaped markup its attributes hold, whichever
    /// marker led here.
    fn plain_tag(&mut self, tag: &StartTag<'a>) {
        self.hide_raw_gt(tag);
        self.named(tag);
        // Read whatever the element's names said: a candidate of theirs may still name no post
        // (JSON settings naming their platforms only by keys), where the player address does.
        // The same post found both ways is merged (`dedupe`).
        if let Some(candidate) = markup::player_address::read(tag, self.base, self.recognise) {
            let markup = self.html.get(tag.start..tag.end).unwrap_or_default();
            self.push(candidate, markup.to_owned(), tag.start..tag.end);
        }
        // A bare id, confirmed by a link to its post beside the element.
        if let Some(candidate) = markup::linked_id::read(
            self.html.as_bytes(),
            tag,
            self.base,
            self.recognise,
            &mut self.out.look_around_left,
        ) {
            let markup = self.html.get(tag.start..tag.end).unwrap_or_default();
            self.push(candidate, markup.to_owned(), tag.start..tag.end);
        }
        if tag.attr(BASE64_BLOCKER).is_some() {
            self.base64_content(tag);
        }
        if let Some(value) = tag
            .attr(BASE64_ATTR)
            .and_then(|v| std::str::from_utf8(v).ok())
        {
            self.nested_base64(value, Location::Attribute);
        }
        self.base64_attributes(tag);
        let escaped = tag
            .attrs
            .iter()
            .any(|(name, v)| holds_hidden_markup(name, v));
        if escaped {
            // Attribute values are no text, but escaped markup in one may hold a raw `>`, where
            // the page text's plain reading (`text`) ends the tag and reads the rest of the
            // value as text: an embed code kept there would show as a decayed remnant of itself.
            if self.top() {
                self.out.invisible.push(tag.start..tag.end);
            }
            self.escaped_attributes(tag);
        }
    }

    /// A start tag whose attribute values hold a raw `>` (an iframe's `srcdoc`, a component's
    /// props holding embed code): the page text's plain reading (`text`) ends the tag there and
    /// reads the rest of the value as text, where an embed code would show as a decayed remnant
    /// of itself. The tag is left out of the text whole.
    fn hide_raw_gt(&mut self, tag: &StartTag<'_>) {
        let inside = self
            .html
            .as_bytes()
            .get(tag.start..tag.end.saturating_sub(1))
            .unwrap_or_default();
        if self.top() && memchr::memchr(b'>', inside).is_some() {
            self.out.invisible.push(tag.start..tag.end);
        }
    }

    /// The text right after `tag`, when it is a blocked embed a consent tool keeps as base64
    /// (Borlabs Cookie's `div.borlabs-hide`): decoded and scanned. The location contract has
    /// no name for hidden text; consent-gated markup outside the DOM reads as `attribute`.
    fn base64_content(&mut self, tag: &StartTag<'_>) {
        let bytes = self.html.as_bytes();
        let text_end = memchr::memchr(b'<', &bytes[tag.end..]).map_or(bytes.len(), |o| tag.end + o);
        if let Some(text) = self.html.get(tag.end..text_end) {
            self.nested_base64(text, Location::Attribute);
        }
    }

    /// Attribute values that are base64 of an iframe or a blockquote
    /// ([`BASE64_MARKUP_VALUES`]), decoded and scanned. A lazy loader's attribute (its name
    /// says `lazy`: a3 Lazy Load's `data-lazy-src`) holds the element the loader puts in place
    /// of its placeholder when it scrolls into view, without a click, as it puts a lazy
    /// frame's `data-lazy-src` address in its `src`: what it holds is in the page. Any other
    /// attribute keeps it until something asks for it, as a consent tool does.
    fn base64_attributes(&mut self, tag: &StartTag<'_>) {
        let starts_base64_markup = |v: &[u8]| {
            let v = v.trim_ascii_start();
            BASE64_MARKUP_VALUES
                .iter()
                .any(|m| v.starts_with(&m.as_bytes()[1..]))
        };
        let found: Vec<(Location, &str)> = tag
            .attrs
            .iter()
            .filter(|(name, v)| name != BASE64_ATTR && starts_base64_markup(v))
            .filter_map(|(name, v)| {
                let location = if name.contains("lazy") {
                    Location::Dom
                } else {
                    Location::Attribute
                };
                Some((location, std::str::from_utf8(v).ok()?))
            })
            .collect();
        for (location, value) in found {
            self.nested_base64(value, location);
        }
    }

    /// Scan `text` as hidden markup when it is base64 of embed markup
    /// (`hidden::decode_base64_markup`), found at `location`.
    fn nested_base64(&mut self, text: &str, location: Location) {
        if self.depth >= MAX_DEPTH {
            return;
        }
        if let Some(decoded) = decode_base64_markup(text)
            && BODY_MARKERS.find(decoded.as_bytes()).is_some()
        {
            self.nested(&decoded, location);
        }
    }

    /// Decode and scan every attribute value of `tag` that holds escaped markup.
    fn escaped_attributes(&mut self, tag: &StartTag<'_>) {
        if self.depth >= MAX_DEPTH {
            return;
        }
        let values: Vec<String> = tag
            .attrs
            .iter()
            .filter(|(name, v)| holds_hidden_markup(name, v))
            .filter_map(|(_, v)| std::str::from_utf8(v).ok())
            .map(|v| {
                let decoded = entity::decode(v);
                let decoded = if looks_js_escaped(&decoded) {
                    unescape_js_deep(&decoded, 3)
                } else {
                    decoded.into_owned()
                };
                percent_decoded_markup(decoded)
            })
            .collect();
        for value in values {
            self.nested(&value, Location::Attribute);
        }
    }

    /// The start tag whose attributes hold offset `at`, if any (not before `floor`). Amortised
    /// linear over a pass: backward searches never cover the same bytes twice.
    fn enclosing_tag(&mut self, floor: usize, at: usize) -> Option<StartTag<'a>> {
        let html: &'a str = self.html;
        let bytes = html.as_bytes();
        let from = floor.max(self.lt_searched_to).min(at);
        let found = memchr::memrchr(b'<', &bytes[from..at]).map(|o| from + o);
        let lt = found.or(self.last_lt).filter(|&lt| lt >= floor && lt < at);
        self.lt_searched_to = at;
        self.last_lt = lt;
        let lt = lt?;
        if let Some((closed_lt, closed_end)) = self.closed_tag
            && closed_lt == lt
            && closed_end <= at
        {
            return None;
        }
        let tag = read_start_tag(bytes, lt)?;
        self.closed_tag = Some((lt, tag.end));
        (tag.end > at).then_some(tag)
    }

    /// A region built from its start tag (`light`), without the parser, when its bytes allow:
    /// an `<embed>`; an iframe and the raw text up to its `</iframe>`; any other element whose
    /// content up to its end tag is spaces and line breaks alone (an AMP component, which pages
    /// write by the dozen, mostly is), and that content as its text.
    fn light_region(&self, tag: &StartTag<'a>, end: usize) -> Option<Html> {
        let bytes = self.html.as_bytes();
        if tag.name == "embed" {
            return (end == tag.end).then(|| light::fragment(tag, None))?;
        }
        let text_end = end_tag_at(bytes, tag, end)?;
        let text = self.html.get(tag.end..text_end)?;
        if tag.name == "iframe" {
            // The region `region` would parse: the same bytes, not cut for depth.
            let whole = depth_limited_end(bytes, tag.start, end) == end;
            return whole.then(|| light::fragment(tag, Some(text)))?;
        }
        // A blockquote's content is the embed's fallback, read from the parsed element.
        let blank = || text.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\n'));
        (tag.name != "blockquote" && blank()).then(|| light::fragment(tag, Some(text)))?
    }

    /// Parse one region and read every embed form in it.
    fn region(&mut self, range: Range<usize>) {
        let start = floor_boundary(self.html, range.start);
        let end = depth_limited_end(self.html.as_bytes(), start, range.end);
        self.out.cut_deep |= end < range.end;
        let end = floor_boundary(self.html, end);
        let markup = &self.html[start..end];
        if let Some(fragment) = light_tree::tree(markup)
            .or_else(|| parse_fragment(markup, self.base, &self.out.crowded))
        {
            self.read_fragment(&fragment, start..end);
        }
    }

    /// Read every embed form in a region's fragment; `span` is the region's bytes.
    fn read_fragment(&mut self, fragment: &Html, span: Range<usize>) {
        let (start, end) = (span.start, span.end);
        for el in fragment.root_element().descendent_elements() {
            if self.out.overflowed {
                break;
            }
            if let Some(candidate) = markup::read_element(el, self.base) {
                // Serialising costs as much as keeping: skip it once the budget is spent.
                let markup = if self.out.markup_left > 0 {
                    el.html()
                } else {
                    String::new()
                };
                self.push(candidate, markup, start..end);
            }
        }
    }

    /// Keep a found form, its markup capped by [`MAX_MARKUP`] and by what is left of
    /// [`MAX_MARKUP_TOTAL`]. Past [`MAX_CANDIDATES`] forms nothing is kept and the scan stops.
    fn push(&mut self, candidate: Candidate, markup: String, span: Range<usize>) {
        if self.out.found.len() >= MAX_CANDIDATES {
            self.out.overflowed = true;
            return;
        }
        let markup = cap_markup(markup, MAX_MARKUP.min(self.out.markup_left));
        self.out.markup_left -= markup.len();
        self.out.found.push(Found {
            candidate,
            location: self.location,
            markup,
            span: self.top().then_some(span),
        });
    }
}

/// How far back, and how many elements up, a bare address's paragraph is looked at for a
/// reader's comment around it: a comment's text sits a few wrappers inside its entry.
const COMMENT_LOOK_BACK: usize = 4096;
const COMMENT_ANCESTORS: usize = 6;

/// Whether the paragraph whose `<` is at `lt` stands in a reader's comment: an element around it
/// whose class or id holds the word `comment`, `comments` or `commentlist` (WordPress's
/// `ol.commentlist > li.comment > div.comment-content`, a `section.comments` of a platform's own
/// page). A site turns an address alone in a paragraph into an embed in what it publishes (the
/// oEmbed auto-embed of WordPress's posts), not in its readers' comments, which it shows as text.
/// `commentary` (a liveblog's entries, which do embed) is another word.
fn in_comment(bytes: &[u8], lt: usize) -> bool {
    let names_comment = |v: &[u8]| {
        v.split(|b| !b.is_ascii_alphanumeric()).any(|w| {
            [&b"comment"[..], b"comments", b"commentlist"]
                .iter()
                .any(|c| w.eq_ignore_ascii_case(c))
        })
    };
    super::ancestors::nearest(bytes, lt, COMMENT_LOOK_BACK, COMMENT_ANCESTORS)
        .iter()
        .any(|t| {
            t.attr("class").is_some_and(names_comment) || t.attr("id").is_some_and(names_comment)
        })
}

/// Whether an element's content (from its start tag's end) is text alone that may be one
/// address (`<oembed>https://…</oembed>`): it starts, past whitespace, as an address does, and
/// no tag opens before its end tag.
fn holds_text_address(content: &[u8]) -> bool {
    let text_end = memchr::memchr(b'<', content).unwrap_or(content.len());
    std::str::from_utf8(&content[..text_end]).is_ok_and(crate::model::markup::looks_like_url)
        && content.get(text_end + 1) == Some(&b'/')
}

/// Whether an element's content (from its start tag's end) begins, past whitespace, with a
/// script of JSON data (`<script type="application/json">`): a player's settings, which a
/// player named for a platform keeps inside itself
/// (`div.js-dailymotion > script[type="application/json"] {"videoId": "…"}`).
fn holds_json_script(content: &[u8]) -> bool {
    let content = content.trim_ascii_start();
    let Some(tag) = content
        .get(..7)
        .filter(|t| t.eq_ignore_ascii_case(b"<script"))
        .and_then(|_| read_start_tag(content, 0))
    else {
        return false;
    };
    tag.attr("type").is_some_and(named::is_json_script_type)
}

/// Whether text holds percent-encoded embed markup (`%3Cblockquote`, `%3Ciframe`), as pages
/// keep it in JSON fields meant for `decodeURIComponent`.
/// Whether an attribute's value holds markup kept for a script to put in place: escaped
/// (`&lt;blockquote`, `%3Ciframe`), or as it is written (`data-embed='<iframe …>'`). Written
/// as it is, in an attribute the browser itself reads (a link's address, a tooltip), it is
/// text that never becomes an element: a CMS field that took an embed code by mistake.
fn holds_hidden_markup(name: &str, value: &[u8]) -> bool {
    find_ci(value, b"&lt;", 0).is_some()
        || has_percent_markup(value)
        || (!is_browser_attribute(name) && holds_raw_markup(value))
}

/// Attributes whose values the browser reads for itself: addresses, text it shows, styles and
/// names, event handlers.
fn is_browser_attribute(name: &str) -> bool {
    matches!(
        name,
        "href"
            | "src"
            | "srcset"
            | "title"
            | "alt"
            | "style"
            | "class"
            | "id"
            | "name"
            | "value"
            | "content"
            | "placeholder"
            | "label"
            | "action"
    ) || name.starts_with("aria-")
        || name.starts_with("on")
}

fn has_percent_markup(text: &[u8]) -> bool {
    // One pass over the `%`s, of which a share link's address holds dozens, for both names.
    memchr::memchr_iter(b'%', text).any(|at| {
        let rest = &text[at..];
        [&b"%3cblockquote"[..], b"%3ciframe"].iter().any(|m| {
            rest.get(..m.len())
                .is_some_and(|r| r.eq_ignore_ascii_case(m))
        })
    })
}

/// The text with its percent-encoding undone when it holds percent-encoded markup; otherwise
/// the text as it is (a `%` elsewhere means nothing here).
fn percent_decoded_markup(text: String) -> String {
    if !has_percent_markup(text.as_bytes()) {
        return text;
    }
    percent_encoding::percent_decode_str(&text)
        .decode_utf8_lossy()
        .into_owned()
}

enum Escaped {
    /// Handled the tag ending here.
    Tag(usize),
    /// Handled the rest of the text.
    Rest,
    Skip,
}

/// Whether a start tag carries the class or attribute marker of one of `forms` (tag-name
/// markers are matched where tags open, not here): the same test `Marker::marks` makes of a
/// parsed element, made of the tag's bytes.
fn carries_form(tag: &StartTag<'_>, forms: &[&ElementForm]) -> bool {
    forms.iter().any(|f| match f.marker {
        FormMarker::Class(c) | FormMarker::ClassPrefix(c) => class_has(tag, c.as_bytes()),
        FormMarker::Attr(a) => tag.attr(a).is_some(),
        FormMarker::Tag(_) => false,
    })
}

/// Where the element `tag` opens, ending at `end`, has its end tag: the offset of `</NAME>`
/// (any case, no space before the `>`) when the element's bytes end with it and it comes after
/// the start tag.
fn end_tag_at(bytes: &[u8], tag: &StartTag<'_>, end: usize) -> Option<usize> {
    let name = tag.name.as_bytes();
    let at = end
        .checked_sub(name.len() + 3)
        .filter(|&at| at >= tag.end)?;
    let close = &bytes[at..end];
    (close.starts_with(b"</")
        && close[2..2 + name.len()].eq_ignore_ascii_case(name)
        && close.ends_with(b">"))
    .then_some(at)
}

/// Whether the tag's class attribute holds a class starting with `marker`.
fn class_has(tag: &StartTag<'_>, marker: &[u8]) -> bool {
    tag.attr("class").is_some_and(|class| {
        class
            .split(|b| b.is_ascii_whitespace())
            .any(|c| c.len() >= marker.len() && c[..marker.len()].eq_ignore_ascii_case(marker))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://news.example/article").unwrap()
    }

    /// Percent-encoded markup is told by its `%3C` and a tag name, in either case, wherever it
    /// stands among other escapes.
    #[test]
    fn percent_encoded_markup_is_found_among_other_escapes() {
        for (text, holds) in [
            ("%3Cblockquote%20class", true),
            ("a%20b%3ciFrame%20src", true),
            ("x%3CBLOCKQUOTE", true),
            ("%3Cdiv%3E%3Ciframe", true),
            ("%3Cdiv%3E%20%3Cblockquot", false),
            ("%3Ciframx", false),
            ("%%3Ci", false),
            ("<blockquote>", false),
            ("", false),
        ] {
            assert_eq!(has_percent_markup(text.as_bytes()), holds, "{text}");
        }
    }

    #[test]
    fn links_name_a_post_as_a_parse_would_read_them() {
        let yes = [
            r#"<div><a href="https://twitter.com/a/status/123">x</a></div>"#,
            r#"<div><a HREF = 'https://www.instagram.com/p/CabcDEF123/'>x</a></div>"#,
            "<div><a href=https://www.youtube.com/watch?v=abcdefghijk>x</a></div>",
            r#"<div><a href="https://www.youtube.com/watch?v=abcdefghijk&amp;t=3">x</a></div>"#,
            r#"<div><a href="https:&#x2F;&#x2F;twitter.com/a/status/123">x</a></div>"#,
            // Any tag's href, and past links to no post.
            r#"<div><a href="/shop">a</a><area href="//twitter.com/a/status/1"></div>"#,
        ];
        for html in yes {
            assert!(
                links_name_a_post(html, &base(), &crate::platforms::recognise),
                "{html}"
            );
        }
        let no = [
            r#"<div><a href="https://www.amazon.de/dp/B000">buy</a></div>"#,
            r#"<div><a href="https://twitter.com/a">profile</a></div>"#,
            r#"<div><a href="/p/CabcDEF123/">relative to the article</a></div>"#,
            r#"<div data-x="https://twitter.com/a/status/1"><a>no href</a></div>"#,
            r#"<div><a href>empty</a><a href=">"#,
        ];
        // Past the links asked about, the parse decides.
        let many = format!(
            "<div>{}<a href=\"https://twitter.com/a/status/1\">x</a></div>",
            "<a href=\"/shop\">a</a>".repeat(MAX_LINKS_ASKED)
        );
        assert!(links_name_a_post(
            &many,
            &base(),
            &crate::platforms::recognise
        ));
        for html in no {
            assert!(
                !links_name_a_post(html, &base(), &crate::platforms::recognise),
                "{html}"
            );
        }
    }

    /// Wrappers named for embedding that link to no post are not parsed for their links, and
    /// one that does is read as before, however deep the wrappers nest.
    #[test]
    fn nested_embed_wrappers_read_only_the_post_links() {
        let product = r#"<div class="site-oembed"><div class="site-oembed-body"><div class="site-oembed-row"><a href="https://shop.example/item/1">buy</a></div></div></div>"#;
        assert!(found(product).is_empty());
        let post = r#"<div class="site-oembed"><div class="site-oembed-body"><a href="https://twitter.com/a/status/123">a post</a></div></div>"#;
        let found = found(post);
        assert!(
            found.iter().any(|(_, url, _)| url.contains("status/123")),
            "{found:?}"
        );
    }

    #[test]
    fn media_elements_are_parsed_only_when_they_name_a_post() {
        let plays_post = [
            r#"<video><source type="video/youtube" src="https://www.youtube.com/watch?v=xjS6SftYQaQ&#038;_=1" /></video>"#,
            r#"<video data-setup='{"sources":[{"src":"https:\/\/www.youtube.com\/watch?v=xjS6SftYQaQ"}]}'></video>"#,
            r#"<audio src="//web.archive.org/web/2020/https://soundcloud.com/a/b"></audio>"#,
        ];
        for html in plays_post {
            assert!(
                names_a_post(html, &base(), &crate::platforms::recognise),
                "{html}"
            );
            assert_eq!(found(html).len(), 1, "{html}");
        }
        for html in [
            r#"<video poster="/p.jpg"><source src="https://cdn.news.example/clip.mp4" type="video/mp4"></video>"#,
            r#"<video src="https://player.vimeo.com/external/76979871.hd.mp4?s=x"></video>"#,
            r#"<audio controls></audio>"#,
        ] {
            assert!(
                !names_a_post(html, &base(), &crate::platforms::recognise),
                "{html}"
            );
            assert!(found(html).is_empty(), "{html}");
        }
    }

    fn found(html: &str) -> Vec<(String, String, Location)> {
        scan(html, &base(), &crate::platforms::recognise)
            .found
            .into_iter()
            .map(|f| {
                (
                    f.candidate.evidence,
                    f.candidate.urls[0].to_string(),
                    f.location,
                )
            })
            .collect()
    }

    #[test]
    fn finds_dom_forms_in_page_order() {
        let html = r#"<html><head><title>t</title><style>.twitter-tweet{}</style></head><body>
            <p>Intro with <a href="https://twitter.com/a/status/9">a link</a>.</p>
            <blockquote class="twitter-tweet"><p>x</p>&mdash; A (@a) <a href="https://twitter.com/a/status/1">May 1, 2020</a></blockquote>
            <BLOCKQUOTE>quote</BLOCKQUOTE>
            <IFRAME SRC="https://www.youtube.com/embed/abcdefghijk"></IFRAME>
            <amp-img src="x"></amp-img><amp-instagram data-shortcode="ABC"></amp-instagram>
            <p>https://www.instagram.com/p/XYZ/</p>
            <!-- <iframe src="https://www.youtube.com/embed/commented0"></iframe> -->
            </body></html>"#;
        let got = found(html);
        let want = vec![
            ("blockquote.twitter-tweet", "https://twitter.com/a/status/1"),
            ("iframe", "https://www.youtube.com/embed/abcdefghijk"),
            ("amp-instagram", "https://www.instagram.com/p/ABC/"),
            ("p", "https://www.instagram.com/p/XYZ/"),
        ];
        assert_eq!(
            got.iter()
                .map(|(e, u, _)| (e.as_str(), u.as_str()))
                .collect::<Vec<_>>(),
            want
        );
        assert!(got.iter().all(|(_, _, l)| *l == Location::Dom));
    }

    #[test]
    fn class_markers_around_scripts_and_comments_are_found_once() {
        // Class markers are searched up to the next script, style or comment only; the scan
        // takes up the search after it. A marker inside one is not a tag of the page.
        let html = r#"<div class="fb-post" data-href="https://www.facebook.com/a/posts/1"></div>
            <script>var c = "fb-post"; document.write('<div class="fb-post">');</script>
            <!-- <div class="fb-post" data-href="https://www.facebook.com/a/posts/2"></div> -->
            <style>.fb-post { width: 1px }</style>
            <div class="fb-post" data-href="https://www.facebook.com/a/posts/3"></div>
            <script></script><div class="fb-video" data-href="https://www.facebook.com/a/videos/4"></div>"#;
        let urls: Vec<String> = found(html).into_iter().map(|(_, u, _)| u).collect();
        assert_eq!(
            urls,
            [
                "https://www.facebook.com/a/posts/1",
                "https://www.facebook.com/a/posts/3",
                "https://www.facebook.com/a/videos/4",
            ]
        );
    }

    #[test]
    fn finds_hidden_forms() {
        let cases: &[(&str, Location, &str)] = &[
            (
                r#"<textarea class="consent"><blockquote class="twitter-tweet"><a href="https://twitter.com/a/status/11">d</a></blockquote></textarea>"#,
                Location::Textarea,
                "https://twitter.com/a/status/11",
            ),
            (
                r#"<div data-embed="&lt;iframe src=&quot;https://www.youtube.com/embed/abcdefghijk&quot;&gt;&lt;/iframe&gt;"></div>"#,
                Location::Attribute,
                "https://www.youtube.com/embed/abcdefghijk",
            ),
            (
                r#"<div data-x='[{"html":"&lt;blockquote class=\&quot;twitter-tweet\&quot;&gt;&lt;a href=\&quot;https://twitter.com/a/status/12\&quot;&gt;d&lt;/a&gt;&lt;/blockquote&gt;"}]'></div>"#,
                Location::Attribute,
                "https://twitter.com/a/status/12",
            ),
            (
                r#"<script>var e = {"html":"\u003cblockquote class=\"twitter-tweet\"\u003e\u003ca href=\"https:\/\/twitter.com\/a\/status\/13\"\u003ed\u003c\/a\u003e\u003c\/blockquote\u003e"};</script>"#,
                Location::ScriptString,
                "https://twitter.com/a/status/13",
            ),
            (
                r#"<script type="text/plain" data-content='&lt;blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/SC1/"&gt;&lt;/blockquote&gt;'></script>"#,
                Location::Attribute,
                "https://www.instagram.com/p/SC1/",
            ),
            (
                r#"<script type="application/json">{"body":"&lt;iframe src=\"https://player.vimeo.com/video/5\"&gt;&lt;/iframe&gt;"}</script>"#,
                Location::ScriptString,
                "https://player.vimeo.com/video/5",
            ),
        ];
        for (html, location, url) in cases {
            let got = found(html);
            assert_eq!(got.len(), 1, "{html}: {got:?}");
            assert_eq!(got[0].1, *url, "{html}");
            assert_eq!(got[0].2, *location, "{html}");
        }
    }

    /// The embeds a consent tool blocks in the tests below, and how each is kept.
    const BLOCKED_IFRAME: &str = r#"<iframe title="Video" width="640" height="360" src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?feature=oembed" frameborder="0" allowfullscreen></iframe>"#;
    const BLOCKED_QUOTE: &str = r#"<blockquote class="twitter-tweet"><p lang="en" dir="ltr">just setting up my twttr</p>&mdash; jack (@jack) <a href="https://twitter.com/jack/status/20">March 21, 2006</a></blockquote><script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>"#;

    fn b64(s: &str) -> String {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    /// What [`found`] gives for [`BLOCKED_IFRAME`] kept in an attribute.
    fn blocked_iframe_found() -> (String, String, Location) {
        (
            "iframe".to_owned(),
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?feature=oembed".to_owned(),
            Location::Attribute,
        )
    }

    /// Borlabs Cookie keeps a blocked embed as `base64_encode` of its markup: as the text of
    /// its `div.borlabs-hide`, or (when the markup holds a script) in a
    /// `<script type="text/template">` there.
    #[test]
    fn base64_embeds_of_a_consent_tool_are_found() {
        let html = format!(
            r#"<div class="BorlabsCookie _brlbs-cb-youtube"><p>Video laden</p><div class="borlabs-hide" data-borlabs-cookie-type="content-blocker" data-borlabs-cookie-id="youtube">{}</div></div>
<div class="BorlabsCookie _brlbs-cb-twitter"><p>Tweet laden</p><div class="borlabs-hide" data-borlabs-cookie-type="content-blocker" data-borlabs-cookie-id="twitter"><script type="text/template">{}</script></div></div>
<script>var logo = "{}";</script><p>{}</p>"#,
            b64(BLOCKED_IFRAME),
            b64(BLOCKED_QUOTE),
            // Base64 that is no markup, and markup as base64 in ordinary text: neither is read.
            b64("just some words without a tag"),
            b64(BLOCKED_IFRAME),
        );
        assert_eq!(
            found(&html),
            vec![
                blocked_iframe_found(),
                (
                    "blockquote.twitter-tweet".to_owned(),
                    "https://twitter.com/jack/status/20".to_owned(),
                    Location::ScriptString
                ),
            ]
        );
    }

    /// Borlabs Cookie 3 keeps the blocked embed's markup as base64 in an attribute of its
    /// placeholder (`handleContentBlocking` of its content-blocker manager).
    #[test]
    fn base64_embeds_in_a_consent_tools_attribute_are_found() {
        let blocker = |id: &str, content: &str| {
            format!(
                r##"<div class="brlbs-cmpnt-container brlbs-cmpnt-content-blocker" data-borlabs-cookie-content-blocker-id="{id}" data-borlabs-cookie-content="{content}"><div class="brlbs-cmpnt-cb-preset-b"><p>Klicken Sie auf den unteren Button, um den Inhalt zu laden.</p><a class="brlbs-cmpnt-cb-btn" href="#" data-borlabs-cookie-unblock role="button">Inhalt entsperren</a></div></div>"##
            )
        };
        let html = format!(
            "<p>Vorher</p>{}\n{}\n{}",
            blocker("youtube-content-blocker", &b64(BLOCKED_IFRAME)),
            blocker("x-content-blocker", &b64(BLOCKED_QUOTE)),
            // Base64 that is no markup is not read.
            blocker("default", &b64("just some words without a tag")),
        );
        assert_eq!(
            found(&html),
            vec![
                blocked_iframe_found(),
                (
                    "blockquote.twitter-tweet".to_owned(),
                    "https://twitter.com/jack/status/20".to_owned(),
                    Location::Attribute
                ),
            ]
        );
    }

    /// A lazy loader that keeps the whole element base64-encoded in an attribute of its
    /// placeholder (a3 Lazy Load: `img[data-lazy-type=iframe][data-lazy-src=BASE64]`, with an
    /// escaped copy in `<noscript>`) puts it in the page on scroll: read in the DOM. The same
    /// value under an attribute that names no lazy loader waits for something else (a consent
    /// click): hidden. Base64 of an iframe is read whatever the attribute's name.
    #[test]
    fn base64_elements_in_a_placeholders_attribute_are_found() {
        let iframe = r#"<iframe width="380" height="260" src="//www.youtube.com/embed/dQw4w9WgXcQ" frameborder="0" allowfullscreen>"#;
        let html = format!(
            r#"<aside><h1>Featured Video</h1><div class="textwidget"><img src="data:image/gif;base64,R0lGODdhAQABAPAAAP///wAAACwAAAAAAQABAEACAkQBADs=" class="lazy lazy-hidden" data-lazy-type="iframe" data-lazy-src="{}" alt=""><noscript>&lt;iframe width="380" height="260" src="//www.youtube.com/embed/dQw4w9WgXcQ" frameborder="0" allowfullscreen&gt;</noscript></div></aside>
<div class="gate" data-embed-markup='{}'><button>Load</button></div>
<img class="lazy" data-lazy-src="{}">"#,
            b64(iframe),
            b64(BLOCKED_QUOTE),
            // Base64 that is no markup is not read.
            b64("just some words without a tag"),
        );
        assert_eq!(
            found(&html),
            vec![
                (
                    "iframe".to_owned(),
                    "https://www.youtube.com/embed/dQw4w9WgXcQ".to_owned(),
                    Location::Dom
                ),
                (
                    "blockquote.twitter-tweet".to_owned(),
                    "https://twitter.com/jack/status/20".to_owned(),
                    Location::Attribute
                ),
            ]
        );
    }

    #[test]
    fn iframe_srcdoc_is_rendered_markup() {
        let html = r#"<iframe srcdoc="&lt;blockquote class=&quot;twitter-tweet&quot;&gt;&lt;a href=&quot;https://twitter.com/a/status/21&quot;&gt;d&lt;/a&gt;&lt;/blockquote&gt;"></iframe>"#;
        let got = found(html);
        assert_eq!(
            got,
            vec![(
                "blockquote.twitter-tweet".to_owned(),
                "https://twitter.com/a/status/21".to_owned(),
                Location::Dom
            )]
        );
    }

    #[test]
    fn script_without_markup_is_not_read() {
        let html = r#"<script>var s = '<iframe src="https://www.youtube.com/embed/' + id + '">';</script>"#;
        let got = found(html);
        // The only URL in the script is an unfinished concatenation; nothing recognisable.
        assert!(
            got.iter()
                .all(|(_, u, _)| !u.contains("youtube.com/embed/abc"))
        );
    }

    #[test]
    fn embed_code_inside_another_tag_is_that_tags_text() {
        // Pasted into a link's address field: the `href` ends at the iframe's first quote, and
        // the iframe's attributes, then its `>`, are the link's.
        let fb = "https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2Fa%2Fposts%2F1921910561162166";
        let pasted = format!(
            "<p>Follow <a href=\"http://<iframe width=\"500\" data-src=\"{fb}\" class=\"lazyload\"></iframe>&#8220;>us</a></p>"
        );
        assert!(found(&pasted).is_empty(), "{:?}", found(&pasted));
        let titled =
            format!("<a title=\"<iframe src=&quot;{fb}&quot;></iframe>\" href=\"/fb\">us</a>");
        assert!(found(&titled).is_empty(), "{:?}", found(&titled));
        // Kept for a script in an attribute of its own, it is hidden markup, as escaped code is.
        let kept = "<div class=\"consent\" data-embed='<blockquote class=\"twitter-tweet\">\
            <a href=\"https://twitter.com/a/status/1\">x</a></blockquote>'>Accept</div>";
        let got = found(kept);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].2, Location::Attribute, "{got:?}");
        // A script's tag in a value opens no raw text: what follows is still read.
        let script = format!(
            "<a title=\"<script>\">x</a><iframe src=\"{fb}\"></iframe><p>y</p><!-- </script> -->"
        );
        assert_eq!(found(&script).len(), 1);
        // The same code as an element of its own, after tags and text holding `<`.
        let own = format!("<p>a < b</p><div class=\"x\"><iframe src=\"{fb}\"></iframe></div>");
        assert_eq!(found(&own).len(), 1);
    }

    #[test]
    fn escaped_markup_in_visible_text_is_not_an_embed() {
        let html = "<pre>&lt;blockquote class=\"twitter-tweet\"&gt;&lt;a href=\"https://twitter.com/a/status/1\"&gt;&lt;/a&gt;&lt;/blockquote&gt;</pre>";
        assert!(found(html).is_empty());
    }

    #[test]
    fn invisible_spans_cover_scripts_and_comments() {
        let html = "a<script>x</script>b<!-- c -->d<style>e</style>";
        let spans = scan(html, &base(), &crate::platforms::recognise).invisible;
        let texts: Vec<&str> = spans.iter().map(|r| &html[r.clone()]).collect();
        assert_eq!(
            texts,
            ["<script>x</script>", "<!-- c -->", "<style>e</style>"]
        );
    }
}
