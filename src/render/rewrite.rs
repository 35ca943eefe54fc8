//! The article rewrite: the page's HTML in, the same bytes out except that each embed whose post
//! has a card is replaced by that card, and a platform's companion script is dropped once no
//! embed it would render is left.
//!
//! Two streaming passes with lol_html over the same bytes and settings: the first finds where
//! each embed element and companion script starts and ends (byte offsets in the original) and
//! what post it names; the second swaps exactly those elements. Everything else is passed
//! through as the publisher wrote it, in the page's own charset. Memory is bounded by the body
//! cap and lol_html's memory limit; past that limit the rest of the page is passed through
//! unchanged. An element whose end tag is never seen (cut-off or implicitly closed markup) is
//! never replaced, so a replacement can never swallow the rest of the page.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use encoding_rs::Encoding;
use lol_html::errors::RewritingError;
use lol_html::html_content::{ContentType, Element, EndTag};
use lol_html::{
    AsciiCompatibleEncoding, ElementContentHandlers, HandlerResult, HtmlRewriter, MemorySettings,
    Selector, Settings,
};
use url::Url;

use super::forms::{self, Family, QuoteAttrs};
use crate::model::markup::{EmbedForms, QuoteForm};
use crate::model::{PostKey, Recognised};

/// How a URL is recognised as a platform's post: `platforms::recognise` in the program, a fixed
/// table in tests. The same recognisers as discovery, so the keys match the archive's.
pub type Recognise<'r> = dyn Fn(&Url) -> Option<Recognised> + 'r;

/// lol_html's memory limit for one pass, at the least: what it may buffer of a tag or a lexeme
/// split across input chunks, and its stack of open elements. A page whose single tag is larger,
/// or whose open elements take more, is passed through unchanged from there on.
pub const PARSER_MEMORY_LIMIT: usize = 8 * 1024 * 1024;

/// The most memory one pass may take, however large its page.
const MAX_PARSER_MEMORY: usize = 64 * 1024 * 1024;

/// lol_html's memory limit for a page of `len` bytes: 32 times the page, within
/// [`PARSER_MEMORY_LIMIT`] and 64 MiB. lol_html keeps an element on its stack until its end tag
/// (about 130 bytes each) and knows none of the end tags HTML lets a page leave out: a list of
/// 70,000 `<li>` without `</li>` (a valid page of 420 KB) holds all of them open until its
/// `</ul>`, 9 MB, which a fixed 8 MiB would refuse. A page of nothing but such tags (`<p>`,
/// three bytes each) needs some 45 times its size; 32 reads any page with prose between them.
pub fn parser_memory_limit(len: usize) -> usize {
    len.saturating_mul(32)
        .clamp(PARSER_MEMORY_LIMIT, MAX_PARSER_MEMORY)
}

/// Input is fed to the rewriter in chunks of this size.
const CHUNK: usize = 64 * 1024;

/// The most embeds one rewrite replaces, as many as discovery reads of a page
/// (`discover::MAX_CANDIDATES`; `tests/rewrite.rs` holds the two equal): each card is a few
/// KiB, so a page of a hundred thousand stubs of one gone post would otherwise come back
/// hundreds of times its size. The embeds past it are left as they are (and so are their
/// companion scripts).
pub const MAX_REPLACED: usize = 2_000;

/// The card bytes one rewrite may add, as a multiple of the page's size, and at least
/// [`MIN_CARD_BYTES`]. Each card is bounded (`card_text::Limits`), but a page of small stubs of
/// one post with a long caption would still come back a hundred times its size: once the cards
/// written reach this, the embeds after them are left as they are.
pub const CARD_BYTES_PER_PAGE_BYTE: usize = 8;
/// The card bytes any page may get, however small: a few hundred cards of the longest kind.
pub const MIN_CARD_BYTES: usize = 4 * 1024 * 1024;

/// The most links one embed blockquote keeps: the first ones and the last one (X's permalink
/// closes its blockquote). A real embed has a few dozen at most.
const MAX_QUOTE_LINKS: usize = 256;

/// How many of the innermost open embed blockquotes collect a link: a link inside nested
/// blockquotes belongs to each of them, but a page of thousands of unclosed ones would
/// otherwise copy every link into every one, at a cost that grows with the square of the page.
const MAX_QUOTES_COLLECTING: usize = 8;

/// The cards to put in place of embeds, keyed by post. Which posts get one is the caller's
/// choice: the gone ones, or every archived one in privacy mode.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardSet {
    cards: HashMap<PostKey, String>,
}

impl CardSet {
    pub fn new() -> CardSet {
        CardSet::default()
    }

    /// Put `card_html` (a [`card`](super::card) fragment) in place of every embed of `key`.
    /// Returns the card it replaces, if there was one.
    pub fn insert(&mut self, key: PostKey, card_html: String) -> Option<String> {
        self.cards.insert(key, card_html)
    }

    pub fn get(&self, key: &PostKey) -> Option<&str> {
        self.cards.get(key).map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.cards.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cards.is_empty()
    }
}

impl From<HashMap<PostKey, String>> for CardSet {
    fn from(cards: HashMap<PostKey, String>) -> CardSet {
        CardSet { cards }
    }
}

impl FromIterator<(PostKey, String)> for CardSet {
    fn from_iter<I: IntoIterator<Item = (PostKey, String)>>(iter: I) -> CardSet {
        CardSet {
            cards: iter.into_iter().collect(),
        }
    }
}

/// Why an article could not be rewritten.
#[derive(Debug, thiserror::Error)]
pub enum RewriteError {
    /// The article is larger than the cap the caller set.
    #[error("the article is {len} bytes, over the rewrite cap of {cap} bytes")]
    TooLarge { len: usize, cap: usize },
    /// The page's charset is not ASCII-compatible (UTF-16, ISO-2022-JP): its bytes cannot be
    /// streamed through unchanged around the cards.
    #[error(
        "the article is encoded in {charset}, which cannot be rewritten (only ASCII-compatible charsets can)"
    )]
    UnsupportedCharset { charset: String },
    /// The HTML rewriter stopped on the page (a selector, a handler or the parser failed).
    #[error("cannot rewrite the article: {message}")]
    Html { message: String },
}

/// One element of interest in the page, by its place in the original bytes.
#[derive(Debug, Clone)]
struct Found<W> {
    /// Offset of the start tag's `<`.
    start: usize,
    /// Offset just past the end tag; `None` when no end tag was seen.
    end: Option<usize>,
    what: W,
}

/// What the first pass reads of an element, before the recognisers name its post.
#[derive(Debug, Clone)]
enum Read {
    /// An embed blockquote: its form, post attributes and the links inside it.
    Quote {
        form: &'static QuoteForm,
        attrs: QuoteAttrs,
        links: Vec<Url>,
    },
    /// A frame or player facade, with the URLs it names, and the blockquote form whose class it
    /// carries, if any: Mastodon's older embed code is `<iframe class="mastodon-embed">` with
    /// the same companion script as its blockquote.
    Frame {
        urls: Vec<Url>,
        form: Option<&'static QuoteForm>,
    },
    /// A script-rendered widget that is never replaced (X timelines and buttons).
    Widget { family: Family },
    /// A `<script src>`.
    Script { src: Url },
}

/// An element of interest with its post named.
#[derive(Debug, Clone)]
enum What {
    /// An embed; `family` for the script-rendered blockquotes (and frames of their class).
    Embed {
        key: Option<PostKey>,
        family: Option<Family>,
    },
    Widget {
        family: Family,
    },
    Script {
        src: Url,
    },
}

/// The first pass's state, shared by its handlers.
#[derive(Default)]
struct Scan {
    found: Vec<Found<Read>>,
    /// Indices of the embed blockquotes open at this point of the stream.
    open: Vec<usize>,
}

impl Scan {
    /// The end tag of `found[index]`, ending at `end`: it and any quote opened inside it but
    /// never closed are done collecting links.
    fn close(&mut self, index: usize, end: usize) {
        if let Some(f) = self.found.get_mut(index) {
            f.end = Some(end);
        }
        self.close_implicitly(index);
    }

    /// A link inside the open embed blockquotes: the innermost [`MAX_QUOTES_COLLECTING`] keep
    /// it, each at most [`MAX_QUOTE_LINKS`] (past that, the newest replaces the last kept).
    fn link(&mut self, url: &Url) {
        let Scan { found, open } = self;
        for &i in open.iter().rev().take(MAX_QUOTES_COLLECTING) {
            if let Some(Found {
                what: Read::Quote { links, .. },
                ..
            }) = found.get_mut(i)
            {
                if links.len() < MAX_QUOTE_LINKS {
                    links.push(url.clone());
                } else if let Some(last) = links.last_mut() {
                    *last = url.clone();
                }
            }
        }
    }

    /// `found[index]` ended without its own end tag: it stops collecting links, and stays
    /// without an end (never replaced).
    fn close_implicitly(&mut self, index: usize) {
        if let Some(pos) = self.open.iter().rposition(|&i| i == index) {
            self.open.truncate(pos);
        }
    }
}

/// The page's charset as a browser would pick it before parsing: a byte order mark, else the
/// charset the page was sent with (`transport`: the `charset` of its `Content-Type`, when it
/// names one that exists), else the first `<meta charset>` or `<meta http-equiv=content-type>`
/// in the first 1024 bytes, else UTF-8. Returns the encoding, whether a later `<meta>` may
/// still change it (only when neither a BOM nor the transport decided), and whether anything
/// declared it at all: a page that declares nothing is read by a browser in its locale's
/// default (windows-1252 in most), not as UTF-8.
fn page_encoding(
    html: &[u8],
    transport: Option<&str>,
) -> Result<(AsciiCompatibleEncoding, bool, bool), RewriteError> {
    let decided = Encoding::for_bom(html)
        .map(|(enc, _)| enc)
        .or_else(|| transport.and_then(|label| Encoding::for_label(label.trim().as_bytes())));
    if let Some(enc) = decided {
        return AsciiCompatibleEncoding::new(enc)
            .map(|e| (e, false, true))
            .ok_or_else(|| RewriteError::UnsupportedCharset {
                charset: charset_name(enc),
            });
    }
    let declared = prescan_meta_charset(&html[..html.len().min(1024)]);
    let enc = match declared {
        // A page cannot really be UTF-16 if its ASCII meta tag was readable: browsers read it as UTF-8.
        Some(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => encoding_rs::UTF_8,
        Some(e) if e == encoding_rs::X_USER_DEFINED => encoding_rs::WINDOWS_1252,
        Some(e) => e,
        None => encoding_rs::UTF_8,
    };
    AsciiCompatibleEncoding::new(enc)
        .map(|e| (e, true, declared.is_some()))
        .ok_or_else(|| RewriteError::UnsupportedCharset {
            charset: charset_name(enc),
        })
}

/// A charset's name as the refusal gives it: the labels browsers refuse to decode
/// (ISO-2022-KR, ISO-2022-CN, HZ-GB-2312 …) share the name `replacement`, which says nothing
/// to whoever wrote the page.
fn charset_name(enc: &'static Encoding) -> String {
    if enc == encoding_rs::REPLACEMENT {
        "a charset browsers do not decode (ISO-2022-KR, ISO-2022-CN, HZ-GB-2312 and the like, \
         which read as a single replacement character)"
            .to_owned()
    } else {
        enc.name().to_owned()
    }
}

/// The charset named by the first `<meta>` that names one (a simplified form of the HTML
/// prescan: `charset=` attributes and `content=` values with `charset=`).
fn prescan_meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut at = 0;
    while let Some(pos) = find(&lower[at..], b"<meta") {
        let start = at + pos + 5;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(enc) = charset_in(tag).and_then(Encoding::for_label) {
            return Some(enc);
        }
        at = end;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The label after `charset=` in a (lowercased) meta tag's attributes.
fn charset_in(tag: &[u8]) -> Option<&[u8]> {
    let pos = find(tag, b"charset")?;
    let mut rest = &tag[pos + 7..];
    rest = trim_start(rest);
    rest = rest.strip_prefix(b"=")?;
    rest = trim_start(rest);
    let quote = rest.first().copied().filter(|&q| q == b'"' || q == b'\'');
    if quote.is_some() {
        rest = &rest[1..];
    }
    let len = rest
        .iter()
        .position(|&b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b';' | b'/' | b'>'))
        .unwrap_or(rest.len());
    (len > 0).then(|| &rest[..len])
}

fn trim_start(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &s[n..]
}

/// The elements a pass looks at. Both passes register the same selectors in the same order, so
/// lol_html parses the page the same way twice.
/// Settings shared by both passes.
fn settings<'h>(
    encoding: AsciiCompatibleEncoding,
    adjust: bool,
    memory_limit: usize,
) -> Settings<'h, 'static> {
    Settings::new()
        .with_encoding(encoding)
        .with_adjust_charset_on_meta_tag(adjust)
        // Best-effort on the rare markup that needs a DOM to parse exactly: a rewrite must not
        // refuse a page a browser renders.
        .with_strict(false)
        .with_memory_settings(
            MemorySettings::new()
                .with_max_allowed_memory_usage(memory_limit)
                .with_graceful_bail_out_on_memory_limit_exceeded(true),
        )
}

fn selector(s: &str) -> Result<Selector, RewriteError> {
    s.parse().map_err(|e| RewriteError::Html {
        message: format!("selector {s:?}: {e}"),
    })
}

/// Feed `html` through `rewriter` in chunks. On a graceful bail-out (memory limit) lol_html has
/// flushed what it held; the rest of the input is appended to `out` unchanged.
fn drive<O: lol_html::OutputSink>(
    mut rewriter: HtmlRewriter<'_, O>,
    html: &[u8],
    rest_to: Option<&RefCell<Vec<u8>>>,
) -> Result<bool, RewriteError> {
    let mut offset = 0;
    for chunk in html.chunks(CHUNK) {
        offset += chunk.len();
        if let Err(e) = rewriter.write(chunk) {
            return bail(e, &html[offset..], rest_to);
        }
    }
    match rewriter.end() {
        Ok(()) => Ok(false),
        Err(e) => bail(e, &[], rest_to),
    }
}

fn bail(
    e: RewritingError,
    rest: &[u8],
    rest_to: Option<&RefCell<Vec<u8>>>,
) -> Result<bool, RewriteError> {
    match e {
        RewritingError::MemoryLimitExceeded(_) => {
            if let Some(out) = rest_to {
                out.borrow_mut().extend_from_slice(rest);
            }
            Ok(true)
        }
        other => Err(RewriteError::Html {
            message: other.to_string(),
        }),
    }
}

/// Where the embeds of one article page sit, found by one streaming pass; [`PageEmbeds::rewrite`]
/// replaces them in a second. Holds the page's bytes borrowed, so the offsets always match.
#[derive(Debug)]
pub struct PageEmbeds<'h> {
    html: &'h [u8],
    encoding: AsciiCompatibleEncoding,
    adjust_charset: bool,
    /// The page is an AMP document (`<html ⚡>`, `<html amp>`): nothing of it is replaced.
    amp: bool,
    /// Nothing declared the page's charset: its cards are written in ASCII alone, their other
    /// characters as numeric references, which read the same in whatever charset the browser
    /// picks.
    cards_in_ascii: bool,
    memory_limit: usize,
    forms: &'h EmbedForms,
    found: Vec<Found<What>>,
    complete: bool,
}

impl<'h> PageEmbeds<'h> {
    /// Find the embeds of `html` (at most `max_bytes` long). `base_url` resolves relative and
    /// protocol-relative URLs; `recognise` names each embedded URL's platform and post, and
    /// `forms` are the platforms' embed forms (`platforms::embed_forms()` in the program).
    pub fn scan(
        html: &'h [u8],
        base_url: &Url,
        recognise: &Recognise<'_>,
        forms: &'h EmbedForms,
        max_bytes: usize,
    ) -> Result<PageEmbeds<'h>, RewriteError> {
        PageEmbeds::scan_sent_as(html, None, base_url, recognise, forms, max_bytes)
    }

    /// [`PageEmbeds::scan`] of a page sent with the charset label `charset` (its
    /// `Content-Type`'s), which wins over the page's own `<meta>` as it does in a browser.
    pub fn scan_sent_as(
        html: &'h [u8],
        charset: Option<&str>,
        base_url: &Url,
        recognise: &Recognise<'_>,
        forms: &'h EmbedForms,
        max_bytes: usize,
    ) -> Result<PageEmbeds<'h>, RewriteError> {
        PageEmbeds::scan_with(
            html,
            charset,
            base_url,
            recognise,
            forms,
            max_bytes,
            parser_memory_limit(html.len()),
        )
    }

    /// [`PageEmbeds::scan`] under a given parser memory limit.
    fn scan_with(
        html: &'h [u8],
        charset: Option<&str>,
        base_url: &Url,
        recognise: &Recognise<'_>,
        forms: &'h EmbedForms,
        max_bytes: usize,
        memory_limit: usize,
    ) -> Result<PageEmbeds<'h>, RewriteError> {
        if html.len() > max_bytes {
            return Err(RewriteError::TooLarge {
                len: html.len(),
                cap: max_bytes,
            });
        }
        let (encoding, adjust_charset, declared) = page_encoding(html, charset)?;
        // Relative addresses resolve as the browser resolves them: against the page's `<base>`.
        let base_url = &crate::model::document_base(html, base_url);
        let state = Rc::new(RefCell::new(Scan::default()));
        let mut s = settings(encoding, adjust_charset, memory_limit);
        for name in forms::selectors(forms) {
            let st = Rc::clone(&state);
            let base = base_url.clone();
            let handler = move |el: &mut Element<'_, '_>| -> HandlerResult {
                scan_element(el, &st, &base, forms);
                Ok(())
            };
            s = s.append_element_content_handler((
                std::borrow::Cow::Owned(selector(&name)?),
                ElementContentHandlers::default().element(handler),
            ));
        }
        let rewriter = HtmlRewriter::new(s, |_: &[u8]| {});
        let bailed = drive(rewriter, html, None)?;
        let scan = std::mem::take(&mut *state.borrow_mut());
        let key_of = |urls: &[Url]| {
            urls.iter().find_map(recognise).and_then(|r| {
                r.post_id.map(|post_id| PostKey {
                    platform: r.platform,
                    post_id,
                })
            })
        };
        let found = scan
            .found
            .into_iter()
            .map(|f| {
                let what = match f.what {
                    Read::Quote { form, attrs, links } => {
                        let urls = forms::quote_urls(form, &attrs, &links, base_url);
                        What::Embed {
                            key: key_of(&urls),
                            family: Some(Family::of(form, &urls)),
                        }
                    }
                    Read::Frame { urls, form } => What::Embed {
                        key: key_of(&urls),
                        family: form.map(|form| Family::of(form, &urls)),
                    },
                    Read::Widget { family } => What::Widget { family },
                    Read::Script { src } => What::Script { src },
                };
                Found {
                    start: f.start,
                    end: f.end,
                    what,
                }
            })
            .collect();
        Ok(PageEmbeds {
            html,
            encoding,
            adjust_charset,
            amp: is_amp_document(html),
            cards_in_ascii: !declared,
            memory_limit,
            forms,
            found,
            complete: !bailed,
        })
    }

    /// The posts whose embeds a card can replace (end tag seen), in page order, each once.
    pub fn posts(&self) -> Vec<PostKey> {
        let mut seen = HashSet::new();
        self.found
            .iter()
            .filter(|f| f.end.is_some())
            .filter_map(|f| match &f.what {
                What::Embed { key: Some(k), .. } => Some(k),
                _ => None,
            })
            .filter(|k| seen.insert((*k).clone()))
            .cloned()
            .collect()
    }

    /// The name of the charset the page was read in, when its byte order mark or the charset it
    /// was sent with decided it; `None` when its own `<meta>` or the default did (a browser
    /// reading the page finds those the same way).
    pub fn decided_charset(&self) -> Option<&'static str> {
        (!self.adjust_charset).then(|| <&'static Encoding>::from(self.encoding).name())
    }

    /// Whether the whole page was read. `false` when lol_html's memory limit stopped the pass:
    /// embeds after that point are left as they are, and no companion script is removed.
    pub fn complete(&self) -> bool {
        self.complete
    }

    /// Whether the page is an AMP document, of which nothing is replaced: AMP allows no
    /// `<style>` in a page's body and keeps its components' own players, so a card would make
    /// the page invalid AMP (and drop it from AMP caches) while the component still loads the
    /// gone post.
    pub fn is_amp(&self) -> bool {
        self.amp
    }

    /// What to do with each element, by start offset.
    fn plan<'c>(&self, cards: &'c CardSet) -> HashMap<usize, Action<'c>> {
        let mut plan = HashMap::new();
        if self.amp {
            return plan;
        }
        // Spans being replaced; elements inside one go with it.
        let mut replaced_until = 0usize;
        let mut swallowed = vec![false; self.found.len()];
        let mut replaced_families: HashMap<Family, usize> = HashMap::new();
        let mut replaced = 0;
        let mut card_bytes_left = self
            .html
            .len()
            .saturating_mul(CARD_BYTES_PER_PAGE_BYTE)
            .max(MIN_CARD_BYTES);
        for (i, f) in self.found.iter().enumerate() {
            if f.start < replaced_until {
                swallowed[i] = true;
                continue;
            }
            if let (
                What::Embed {
                    key: Some(k),
                    family,
                    ..
                },
                Some(end),
            ) = (&f.what, f.end)
                && let Some(card) = cards.get(k)
            {
                if replaced == MAX_REPLACED {
                    tracing::warn!(
                        max = MAX_REPLACED,
                        "the article holds more embeds to replace than a rewrite replaces; the rest are left as they are"
                    );
                    break;
                }
                if card.len() > card_bytes_left {
                    tracing::warn!(
                        per_page_byte = CARD_BYTES_PER_PAGE_BYTE,
                        "the cards of this article's embeds would make it many times its size; the rest are left as they are"
                    );
                    break;
                }
                card_bytes_left -= card.len();
                plan.insert(f.start, Action::Replace(card));
                replaced += 1;
                replaced_until = end;
                if let Some(fam) = family {
                    *replaced_families.entry(fam.clone()).or_default() += 1;
                }
                swallowed[i] = true;
            }
        }
        if !self.complete {
            return plan;
        }
        // A family keeps its script while any of its embeds or widgets is left on the page.
        let mut remaining: HashSet<&Family> = HashSet::new();
        for (i, f) in self.found.iter().enumerate() {
            if swallowed[i] {
                continue;
            }
            match &f.what {
                What::Embed {
                    family: Some(fam), ..
                } => {
                    remaining.insert(fam);
                }
                What::Widget { family } => {
                    remaining.insert(family);
                }
                _ => {}
            }
        }
        let hosted: Vec<&Family> = replaced_families
            .keys()
            .filter(|f| f.host.is_some())
            .collect();
        for (i, f) in self.found.iter().enumerate() {
            let What::Script { src } = &f.what else {
                continue;
            };
            if swallowed[i] || f.end.is_none() {
                continue;
            }
            let Some(fam) = Family::of_script(self.forms, src, hosted.iter().copied()) else {
                continue;
            };
            if replaced_families.contains_key(&fam) && !remaining.contains(&fam) {
                plan.insert(f.start, Action::Remove);
            }
        }
        plan
    }

    /// The page with each embed whose post is in `cards` replaced by its card, and each
    /// companion script removed once no embed of its family is left; every other byte as it was.
    pub fn rewrite(&self, cards: &CardSet) -> Result<Vec<u8>, RewriteError> {
        let plan = self.plan(cards);
        let plan = &plan;
        let out = RefCell::new(Vec::with_capacity(self.html.len()));
        let bailed = {
            let mut s = settings(self.encoding, self.adjust_charset, self.memory_limit);
            for name in forms::selectors(self.forms) {
                let handler = move |el: &mut Element<'_, '_>| -> HandlerResult {
                    match plan.get(&el.source_location().bytes().start) {
                        Some(Action::Replace(card)) if self.cards_in_ascii => {
                            el.replace(&ascii_references(card), ContentType::Html)
                        }
                        Some(Action::Replace(card)) => el.replace(card, ContentType::Html),
                        Some(Action::Remove) => el.remove(),
                        None => {}
                    }
                    Ok(())
                };
                s = s.append_element_content_handler((
                    std::borrow::Cow::Owned(selector(&name)?),
                    ElementContentHandlers::default().element(handler),
                ));
            }
            let rewriter = HtmlRewriter::new(s, |c: &[u8]| out.borrow_mut().extend_from_slice(c));
            drive(rewriter, self.html, Some(&out))?
        };
        if bailed {
            tracing::warn!(
                limit = self.memory_limit,
                "article rewrite reached the parser's memory limit; the rest of the page is passed through unchanged"
            );
        }
        Ok(out.into_inner())
    }
}

/// Whether the page's `<html>` start tag marks it an AMP document: the `⚡` or `amp` attribute
/// (of web pages, e-mails or ads: `⚡4email`, `amp4ads` …), as the AMP validator reads it. Only
/// the first `<html` tag in the page's first 64 KiB is read (after its doctype and comments).
fn is_amp_document(html: &[u8]) -> bool {
    let head = &html[..html.len().min(64 * 1024)];
    let mut from = 0;
    while let Some(off) = memchr::memchr(b'<', &head[from..]) {
        let lt = from + off;
        if head[lt..].starts_with(b"<!--") {
            // A comment's text is no tag, whatever it holds: an IE conditional comment's
            // `<html class="oldie">` before the page's own, or `<!-- <html amp> -->`.
            match memchr::memmem::find(&head[lt + 4..], b"-->") {
                Some(end) => {
                    from = lt + 4 + end + 3;
                    continue;
                }
                None => return false,
            }
        }
        let name = head.get(lt + 1..lt + 5);
        if name.is_some_and(|n| n.eq_ignore_ascii_case(b"html"))
            && head
                .get(lt + 5)
                .is_some_and(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'))
        {
            let mut amp = false;
            crate::model::start_tag::lex(head, lt, |name, _| {
                let name = String::from_utf8_lossy(name).to_ascii_lowercase();
                amp |= ["\u{26a1}", "amp"].iter().any(|mark| {
                    name.strip_prefix(mark)
                        .is_some_and(|rest| rest.is_empty() || rest == "4email" || rest == "4ads")
                });
                true
            });
            return amp;
        }
        from = lt + 1;
    }
    false
}

/// `html` with every character outside ASCII written as a numeric character reference
/// (`·` → `&#xB7;`): markup that reads the same in any ASCII-compatible charset. For card markup
/// only, whose one raw-text element, its `<style>`, is ASCII.
fn ascii_references(html: &str) -> Cow<'_, str> {
    if html.is_ascii() {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + html.len() / 2);
    for c in html.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("&#x{:X};", u32::from(c)));
        }
    }
    Cow::Owned(out)
}

/// What the second pass does with one element.
#[derive(Debug, Clone, Copy)]
enum Action<'c> {
    Replace(&'c str),
    Remove,
}

/// First pass: note one element of interest.
fn scan_element(
    el: &mut Element<'_, '_>,
    state: &Rc<RefCell<Scan>>,
    base: &Url,
    forms: &EmbedForms,
) {
    let start = el.source_location().bytes().start;
    let name = el.tag_name();
    let class = el.get_attribute("class");
    let read = match name.as_str() {
        "blockquote" => {
            let Some(form) = forms.quote_form(class.as_deref(), |a| el.has_attribute(a)) else {
                return;
            };
            let attrs: QuoteAttrs = form
                .post_attrs
                .iter()
                .filter_map(|n| el.get_attribute(n).map(|v| (*n, v)))
                .collect();
            Read::Quote {
                form,
                attrs,
                links: Vec::new(),
            }
        }
        "a" => {
            let mut st = state.borrow_mut();
            if !st.open.is_empty()
                && let Some(url) = el
                    .get_attribute("href")
                    .and_then(|h| forms::absolute(base, &h))
            {
                st.link(&url);
            }
            if let Some(family) = forms.widget_family(class.as_deref()) {
                st.found.push(Found {
                    start,
                    end: None,
                    what: Read::Widget {
                        family: Family {
                            name: family.name,
                            host: None,
                        },
                    },
                });
            }
            return;
        }
        "script" => {
            let Some(src) = el
                .get_attribute("src")
                .and_then(|s| forms::absolute(base, &s))
            else {
                return;
            };
            Read::Script { src }
        }
        frame => {
            let urls = forms::frame_urls(
                forms,
                frame,
                class.as_deref(),
                &|n| el.get_attribute(n),
                base,
            );
            if urls.is_empty() {
                return;
            }
            Read::Frame {
                urls,
                form: forms.quote_form(class.as_deref(), |_| false),
            }
        }
    };
    let is_quote = matches!(read, Read::Quote { .. });
    let index = {
        let mut st = state.borrow_mut();
        let index = st.found.len();
        st.found.push(Found {
            start,
            end: None,
            what: read,
        });
        if is_quote && el.can_have_content() {
            st.open.push(index);
        }
        index
    };
    on_end(el, state, index);
}

/// Record the element's end offset when its end tag comes (elements without one keep `None`).
fn on_end(el: &mut Element<'_, '_>, state: &Rc<RefCell<Scan>>, index: usize) {
    if !el.can_have_content() {
        return;
    }
    let st = Rc::clone(state);
    let name = el.tag_name();
    let handler = Box::new(move |end: &mut EndTag<'_>| -> HandlerResult {
        // lol_html ends an element at the end tag that closes it implicitly, too
        // (`<div><blockquote></div>`): only its own end tag makes it replaceable, else the
        // replacement would take the other element's end tag with it.
        if end.name().eq_ignore_ascii_case(&name) {
            st.borrow_mut()
                .close(index, end.source_location().bytes().end);
        } else {
            st.borrow_mut().close_implicitly(index);
        }
        Ok(())
    });
    // `on_end_tag` only fails for elements that cannot have content, checked above.
    let _ = el.on_end_tag(handler);
}

/// Rewrite an article in one call: scan it, then replace the embeds of the posts in `cards`.
/// See [`PageEmbeds`] for what is and is not touched.
pub fn rewrite(
    html: &[u8],
    base_url: &Url,
    cards: &CardSet,
    recognise: &Recognise<'_>,
    forms: &EmbedForms,
    max_bytes: usize,
) -> Result<Vec<u8>, RewriteError> {
    PageEmbeds::scan(html, base_url, recognise, forms, max_bytes)?.rewrite(cards)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::markup::{AddressForm, ScriptFamily};
    use crate::model::{EmbedKind, Platform};

    /// A small fixed recogniser: the platforms' own live in `platforms`, which `render` does not use.
    fn recognise(url: &Url) -> Option<Recognised> {
        let host = url.host_str()?.trim_start_matches("www.");
        let segs: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
        let (platform, id) = match (host, segs.as_slice()) {
            ("instagram.com", ["p", code]) => (Platform::Instagram, Some(*code)),
            ("instagram.com", [_user]) => (Platform::Instagram, None),
            ("twitter.com" | "x.com", [_, "status", id]) => (Platform::X, Some(*id)),
            ("tiktok.com", [_, "video", id]) | ("tiktok.com", ["embed", "v2", id]) => {
                (Platform::Tiktok, Some(*id))
            }
            ("youtube.com", ["embed", id]) => (Platform::Youtube, Some(*id)),
            ("m.example", [_, id] | [_, id, "embed"]) => (Platform::Mastodon, Some(*id)),
            ("facebook.com", [_, "posts", id]) => (Platform::Facebook, Some(*id)),
            _ => return None,
        };
        Some(Recognised {
            platform,
            kind: if id.is_some() {
                EmbedKind::Post
            } else {
                EmbedKind::Profile
            },
            post_id: id.map(str::to_owned),
            canonical_url: url.to_string(),
        })
    }

    static INSTAGRAM: ScriptFamily = ScriptFamily {
        name: "instagram",
        scripts: &[("www.instagram.com", "/embed.js")],
        on_post_host: None,
        widget_classes: &[],
    };
    static X: ScriptFamily = ScriptFamily {
        name: "x",
        scripts: &[("platform.twitter.com", "/widgets.js")],
        on_post_host: None,
        widget_classes: &["twitter-timeline"],
    };
    static MASTODON: ScriptFamily = ScriptFamily {
        name: "mastodon",
        scripts: &[],
        on_post_host: Some("/embed.js"),
        widget_classes: &[],
    };
    static QUOTES: [QuoteForm; 3] = [
        QuoteForm {
            class: "instagram-media",
            marker_attr: Some("data-instgrm-permalink"),
            post_attrs: &["data-instgrm-permalink"],
            urls: |p| p.attr_url("data-instgrm-permalink").into_iter().collect(),
            family: &INSTAGRAM,
        },
        QuoteForm {
            class: "twitter-tweet",
            marker_attr: None,
            post_attrs: &[],
            urls: |p| {
                p.links
                    .iter()
                    .rev()
                    .filter(|u| u.path().contains("/status/"))
                    .cloned()
                    .collect()
            },
            family: &X,
        },
        QuoteForm {
            class: "mastodon-embed",
            marker_attr: None,
            post_attrs: &["data-embed-url"],
            urls: |p| {
                p.attr("data-embed-url")
                    .and_then(|u| Url::parse(u.trim_end_matches("/embed")).ok())
                    .into_iter()
                    .collect()
            },
            family: &MASTODON,
        },
    ];

    static ADDRESSED: [AddressForm; 2] = [
        AddressForm {
            element: "div",
            class: Some("fb-post"),
            attrs: &["data-href"],
        },
        AddressForm {
            element: "fb:post",
            class: None,
            attrs: &["href", "data-href"],
        },
    ];

    /// A small fixed set of forms, shaped like the platforms' own declarations (which live in
    /// `platforms`, which `render` does not use).
    fn forms() -> &'static EmbedForms {
        static FORMS: std::sync::LazyLock<EmbedForms> = std::sync::LazyLock::new(|| EmbedForms {
            quotes: QUOTES.iter().collect(),
            frame_ids: Vec::new(),
            facades: Vec::new(),
            addressed: ADDRESSED.iter().collect(),
            families: vec![&INSTAGRAM, &X, &MASTODON],
        });
        &FORMS
    }

    fn key(platform: Platform, id: &str) -> PostKey {
        PostKey {
            platform,
            post_id: id.into(),
        }
    }

    fn base() -> Url {
        Url::parse("https://news.example/2024/story.html").expect("base")
    }

    fn run(html: &str, cards: &[(PostKey, &str)]) -> String {
        let cards: CardSet = cards
            .iter()
            .map(|(k, c)| (k.clone(), (*c).to_owned()))
            .collect();
        let out = rewrite(
            html.as_bytes(),
            &base(),
            &cards,
            &recognise,
            forms(),
            1 << 20,
        )
        .expect("rewrite");
        String::from_utf8(out).expect("utf-8")
    }

    const IG: &str = r#"<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/AAA/?utm_source=ig_embed&amp;utm_campaign=loading"><a href="https://www.instagram.com/p/AAA/">View</a></blockquote>"#;
    const IG2: &str = r#"<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/BBB/"><p>b</p></blockquote>"#;
    const IG_JS: &str = r#"<script async src="//www.instagram.com/embed.js"></script>"#;
    const TWEET: &str = r#"<blockquote class="twitter-tweet"><p lang="en">RT <a href="https://twitter.com/other/status/1">quoted</a></p>&mdash; A (@a) <a href="https://twitter.com/a/status/2?ref_src=twsrc%5Etfw">May 1, 2020</a></blockquote>"#;
    const X_JS: &str =
        r#"<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>"#;

    #[test]
    fn no_cards_changes_nothing() {
        let html = format!("<!doctype html><p>a</p>{IG}\n{IG_JS}\n{TWEET} {X_JS}<p>z</p>");
        assert_eq!(run(&html, &[]), html);
        assert_eq!(
            run(&html, &[(key(Platform::X, "999"), "<b>card</b>")]),
            html
        );
    }

    #[test]
    fn a_card_replaces_its_embed_and_the_script_when_none_is_left() {
        let html = format!("<p>a</p>{IG}\n{IG_JS}\n<p>m</p>{IG2}\n{IG_JS}\n{TWEET} {X_JS}<p>z</p>");
        let one = run(&html, &[(key(Platform::Instagram, "AAA"), "<b>card A</b>")]);
        assert_eq!(
            one,
            format!(
                "<p>a</p><b>card A</b>\n{IG_JS}\n<p>m</p>{IG2}\n{IG_JS}\n{TWEET} {X_JS}<p>z</p>"
            )
        );
        let both = run(
            &html,
            &[
                (key(Platform::Instagram, "AAA"), "<b>card A</b>"),
                (key(Platform::Instagram, "BBB"), "<b>card B</b>"),
            ],
        );
        assert_eq!(
            both,
            format!("<p>a</p><b>card A</b>\n\n<p>m</p><b>card B</b>\n\n{TWEET} {X_JS}<p>z</p>")
        );
    }

    #[test]
    fn the_post_of_a_tweet_is_its_last_status_link() {
        let html = format!("{TWEET}{X_JS}");
        assert_eq!(
            run(&html, &[(key(Platform::X, "1"), "<b>quoted</b>")]),
            html
        );
        assert_eq!(
            run(&html, &[(key(Platform::X, "2"), "<b>card</b>")]),
            "<b>card</b>"
        );
    }

    #[test]
    fn a_script_before_the_embeds_goes_too_and_other_scripts_stay() {
        let html = format!(
            "<head>{IG_JS}<script src=\"/site.js\"></script><script>var a = '{IG_JS}';</script></head><body>{IG}</body>"
        );
        let out = run(&html, &[(key(Platform::Instagram, "AAA"), "<b>c</b>")]);
        assert_eq!(
            out,
            format!(
                "<head><script src=\"/site.js\"></script><script>var a = '{IG_JS}';</script></head><body><b>c</b></body>"
            )
        );
    }

    #[test]
    fn an_x_timeline_keeps_widgets_js() {
        let html = format!(
            "{TWEET}{X_JS}<a class=\"twitter-timeline\" href=\"https://twitter.com/a\">Posts by a</a>"
        );
        let out = run(&html, &[(key(Platform::X, "2"), "<b>c</b>")]);
        assert_eq!(
            out,
            format!(
                "<b>c</b>{X_JS}<a class=\"twitter-timeline\" href=\"https://twitter.com/a\">Posts by a</a>"
            )
        );
    }

    #[test]
    fn a_profile_embed_keeps_embed_js() {
        let profile = r#"<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/natgeo/"><a href="https://www.instagram.com/p/CCC/">a post link</a></blockquote>"#;
        let html = format!("{IG}{profile}{IG_JS}");
        let out = run(&html, &[(key(Platform::Instagram, "AAA"), "<b>c</b>")]);
        assert_eq!(out, format!("<b>c</b>{profile}{IG_JS}"));
        // The profile embed names no post, even with a post link inside it.
        let page =
            PageEmbeds::scan(html.as_bytes(), &base(), &recognise, forms(), 1 << 20).expect("scan");
        assert_eq!(page.posts(), vec![key(Platform::Instagram, "AAA")]);
    }

    /// Elements that name their post by its address in a start-tag attribute (Facebook's
    /// `div.fb-post` and XFBML `<fb:post>`, in any case): the whole element, its fallback quote
    /// inside, becomes the card; a div of another class, or naming another post, stays.
    #[test]
    fn addressed_elements_are_replaced_whole() {
        let post = "https://www.facebook.com/maltadaily.mt/posts/1485418313406667";
        let div = format!(
            r#"<div class="fb-post" data-href="{post}" data-width="500"><blockquote cite="{post}" class="fb-xfbml-parse-ignore"><p>Merry</p></blockquote></div>"#
        );
        let xfbml = format!(r#"<FB:POST HREF="{post}?ref=embed&amp;x=1"></FB:POST>"#);
        let data_href = format!(r#"<fb:post data-href="{post}"></fb:post>"#);
        let other = r#"<div class="fb-post" data-href="https://www.facebook.com/a/posts/2"></div><div class="note" data-href="https://www.facebook.com/maltadaily.mt/posts/1485418313406667"></div>"#;
        let html = format!("<p>a</p>{div}<p>b</p>{xfbml}<p>c</p>{data_href}{other}");
        let card = "<b>card</b>";
        assert_eq!(
            run(
                &html,
                &[(key(Platform::Facebook, "1485418313406667"), card)]
            ),
            format!("<p>a</p>{card}<p>b</p>{card}<p>c</p>{card}{other}")
        );
    }

    #[test]
    fn frames_and_nested_embeds() {
        let yt = r#"<iframe width="200" src="https://www.youtube.com/embed/eiHXASgRTcA?feature=oembed" allowfullscreen></iframe>"#;
        let lazy = r#"<iframe src="about:blank" data-src="https://www.youtube.com/embed/lazyLAZY123"></iframe>"#;
        let html = format!("<figure>{yt}</figure>{lazy}");
        let out = run(
            &html,
            &[
                (key(Platform::Youtube, "eiHXASgRTcA"), "<b>yt</b>"),
                (key(Platform::Youtube, "lazyLAZY123"), "<b>lazy</b>"),
            ],
        );
        assert_eq!(out, "<figure><b>yt</b></figure><b>lazy</b>");
        // A card for the outer embed takes what is inside it; the inner one is not replaced twice.
        let nested = format!(
            "<blockquote class=\"twitter-tweet\">{yt}<a href=\"https://x.com/a/status/5\">d</a></blockquote>{X_JS}<p>end</p>"
        );
        let out = run(
            &nested,
            &[
                (key(Platform::X, "5"), "<b>tweet</b>"),
                (key(Platform::Youtube, "eiHXASgRTcA"), "<b>yt</b>"),
            ],
        );
        assert_eq!(out, "<b>tweet</b><p>end</p>");
    }

    #[test]
    fn an_embed_without_its_end_tag_is_left_alone() {
        let html = "<div><blockquote class=\"twitter-tweet\"><a href=\"https://x.com/a/status/5\">d</a></div><p>rest of the page</p>";
        assert_eq!(run(html, &[(key(Platform::X, "5"), "<b>c</b>")]), html);
        let cut = "<p>a</p><blockquote class=\"twitter-tweet\"><a href=\"https://x.com/a/status/5\">d</a>";
        assert_eq!(run(cut, &[(key(Platform::X, "5"), "<b>c</b>")]), cut);
        let page =
            PageEmbeds::scan(cut.as_bytes(), &base(), &recognise, forms(), 1 << 20).expect("scan");
        assert!(page.posts().is_empty());
    }

    #[test]
    fn mastodon_script_is_the_embedded_server_s() {
        let toot = r#"<blockquote class="mastodon-embed" data-embed-url="https://m.example/@u/42/embed"><a href="https://m.example/@u/42">Post</a></blockquote>"#;
        let html = format!(
            "{toot}<script data-allowed-prefixes=\"https://m.example/\" async src=\"https://m.example/embed.js\"></script><script src=\"https://other.example/embed.js\"></script>"
        );
        let out = run(&html, &[(key(Platform::Mastodon, "42"), "<b>c</b>")]);
        assert_eq!(
            out,
            "<b>c</b><script src=\"https://other.example/embed.js\"></script>"
        );
    }

    /// Mastodon's embed code before version 4.3: a frame of the blockquote's class, and the
    /// same script from the post's server.
    #[test]
    fn a_mastodon_frame_takes_its_script_with_it() {
        let frame = r#"<iframe src="https://m.example/@u/42/embed" class="mastodon-embed" style="max-width: 100%; border: 0" width="400" allowfullscreen="allowfullscreen"></iframe>"#;
        let script = r#"<script src="https://m.example/embed.js" async="async"></script>"#;
        let html = format!("{frame}{script}<p>z</p>");
        assert_eq!(
            run(&html, &[(key(Platform::Mastodon, "42"), "<b>c</b>")]),
            "<b>c</b><p>z</p>"
        );
        // A frame of no declared class keeps the page's scripts.
        let plain = frame.replace(" class=\"mastodon-embed\"", "");
        let html = format!("{plain}{script}");
        assert_eq!(
            run(&html, &[(key(Platform::Mastodon, "42"), "<b>c</b>")]),
            format!("<b>c</b>{script}")
        );
    }

    /// A relative frame address resolves against the page's `<base href>`, as in the browser.
    #[test]
    fn relative_frames_resolve_against_the_page_s_base() {
        let card = [(key(Platform::Mastodon, "42"), "<b>c</b>")];
        let frame = r#"<iframe src="/@u/42/embed"></iframe>"#;
        // base() is on news.example: the frame is the post only under a base on m.example.
        assert_eq!(run(frame, &card), frame);
        let based = format!("<head><base href=\"https://m.example/\"></head>{frame}");
        assert_eq!(
            run(&based, &card),
            "<head><base href=\"https://m.example/\"></head><b>c</b>"
        );
    }

    #[test]
    fn class_names_are_ascii_case_insensitive_and_entities_decoded() {
        let html = r#"<BLOCKQUOTE CLASS="Instagram-Media" DATA-INSTGRM-PERMALINK="https:&#x2F;&#x2F;www.instagram.com/p/AAA/">x</BLOCKQUOTE>"#;
        assert_eq!(
            run(html, &[(key(Platform::Instagram, "AAA"), "<b>c</b>")]),
            "<b>c</b>"
        );
    }

    #[test]
    fn the_cap_is_named() {
        let err = rewrite(
            b"<p>0123456789</p>",
            &base(),
            &CardSet::new(),
            &recognise,
            forms(),
            10,
        )
        .expect_err("over the cap");
        let message = err.to_string();
        assert!(message.contains("17 bytes"), "{message}");
        assert!(message.contains("cap of 10 bytes"), "{message}");
    }

    #[test]
    fn legacy_charsets_round_trip_and_cards_are_encoded_in_them() {
        let text = format!(
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\"></head>\
             <body><p>Новости</p>{IG}<p>Конец</p></body></html>"
        );
        let page = encoding_rs::WINDOWS_1251.encode(&text).0.into_owned();
        let none = rewrite(
            &page,
            &base(),
            &CardSet::new(),
            &recognise,
            forms(),
            1 << 20,
        )
        .expect("rewrite");
        assert_eq!(none, page);
        let card = "<b>Архив \u{1f305}</b>".to_owned();
        let cards: CardSet = [(key(Platform::Instagram, "AAA"), card)]
            .into_iter()
            .collect();
        let out = rewrite(&page, &base(), &cards, &recognise, forms(), 1 << 20).expect("rewrite");
        let (want, _, _) = encoding_rs::WINDOWS_1251.encode(
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\"></head>\
             <body><p>Новости</p><b>Архив &#127749;</b><p>Конец</p></body></html>",
        );
        assert_eq!(out, want.into_owned());
    }

    /// An AMP document comes back as it was: a card would make it invalid AMP, and its components
    /// play the post themselves.
    #[test]
    fn an_amp_document_is_left_as_it_was() {
        let card = [(key(Platform::Instagram, "AAA"), "<b>card</b>")];
        for html in [
            format!("<!doctype html><html \u{26a1} lang=en><body>{IG}</body></html>"),
            format!("<!-- c --><HTML AMP><body>{IG}</body></html>"),
            format!("<html amp4email><body>{IG}</body></html>"),
            // HTML5 Boilerplate's conditional comments hold an `<html>` of their own.
            format!(
                "<!doctype html><!--[if lt IE 9]><html class=\"no-js oldie\" lang=\"en\"><![endif]-->\
                 <html amp lang=\"en\"><body>{IG}</body></html>"
            ),
        ] {
            assert_eq!(run(&html, &card), html);
        }
        // A page that only mentions AMP, or names it in a comment, is rewritten.
        for html in [
            format!("<html lang=en data-amp=x><body>{IG}</body></html>"),
            format!("<!doctype html><!-- <html amp> --><html lang=en><body>{IG}</body></html>"),
        ] {
            assert!(run(&html, &card).contains("<b>card</b>"), "{html}");
        }
    }

    /// A page that declares no charset is read by a browser in its locale's default
    /// (windows-1252 in most), not as UTF-8: its cards are ASCII, their other characters
    /// numeric references. A page that declares UTF-8 gets them as UTF-8.
    #[test]
    fn cards_of_a_page_declaring_no_charset_are_ascii() {
        let card = "<b>21 March 2006 \u{b7} caf\u{e9} \u{1f305}</b>";
        let cards = [(key(Platform::Instagram, "AAA"), card)];
        assert_eq!(
            run(
                &format!("<html><body><p>News</p>{IG}</body></html>"),
                &cards
            ),
            "<html><body><p>News</p><b>21 March 2006 &#xB7; caf&#xE9; &#x1F305;</b></body></html>"
        );
        let declared = format!("<html><head><meta charset=utf-8></head><body>{IG}</body></html>");
        assert!(run(&declared, &cards).contains(card));
    }

    #[test]
    fn charset_labels() {
        let sent = |html: &[u8], label: Option<&str>| {
            page_encoding(html, label)
                .map(|(e, adjust, _)| (<&'static Encoding>::from(e).name(), adjust))
        };
        let enc = |html: &[u8]| sent(html, None);
        assert_eq!(enc(b"<p>x").ok(), Some(("UTF-8", true)));
        assert_eq!(
            enc(b"<meta charset='latin1'>").ok(),
            Some(("windows-1252", true))
        );
        assert_eq!(
            enc(b"<META CHARSET = \"KOI8-R\">").ok(),
            Some(("KOI8-R", true))
        );
        assert_eq!(
            enc(b"<meta http-equiv=Content-Type content=\"text/html;charset=Shift_JIS\">").ok(),
            Some(("Shift_JIS", true))
        );
        assert_eq!(enc(b"<meta charset=utf-16>").ok(), Some(("UTF-8", true)));
        assert_eq!(
            enc(b"\xef\xbb\xbf<meta charset=windows-1251>").ok(),
            Some(("UTF-8", false))
        );
        let err = enc(b"\xff\xfe<\0p\0>\0").expect_err("UTF-16");
        assert!(err.to_string().contains("UTF-16LE"), "{err}");
        let err = enc(b"<meta charset=iso-2022-jp>").expect_err("ISO-2022-JP");
        assert!(err.to_string().contains("ISO-2022-JP"), "{err}");
        let err = enc(b"<meta charset=iso-2022-kr>").expect_err("ISO-2022-KR");
        assert!(err.to_string().contains("ISO-2022-KR"), "{err}");
        assert!(!err.to_string().contains("in replacement"), "{err}");

        // The charset a page is sent with wins over its <meta>, and a BOM over both; a label
        // that names no charset is ignored, as browsers do.
        let meta = b"<meta charset=koi8-r><p>x";
        assert_eq!(
            sent(meta, Some("windows-1251")).ok(),
            Some(("windows-1251", false))
        );
        assert_eq!(
            sent(b"<p>x", Some(" Latin1 ")).ok(),
            Some(("windows-1252", false))
        );
        assert_eq!(
            sent(meta, Some("no-such-charset")).ok(),
            Some(("KOI8-R", true))
        );
        assert_eq!(
            sent(b"\xef\xbb\xbf<p>x", Some("windows-1251")).ok(),
            Some(("UTF-8", false))
        );
        let err = sent(b"<p>x", Some("utf-16le")).expect_err("UTF-16 by label");
        assert!(err.to_string().contains("UTF-16LE"), "{err}");
    }

    #[test]
    fn past_the_memory_limit_the_rest_passes_through() {
        // A tag the pass must read (an anchor) that does not fit the limit.
        let huge = format!("<a href=\"https://example.com/{}\">", "x".repeat(200_000));
        let html = format!("{IG}{IG_JS}<p>{huge}</p>{IG2}<p>end</p>");
        let cards: CardSet = [
            (key(Platform::Instagram, "AAA"), "<b>A</b>".to_owned()),
            (key(Platform::Instagram, "BBB"), "<b>B</b>".to_owned()),
        ]
        .into_iter()
        .collect();
        let page = PageEmbeds::scan_with(
            html.as_bytes(),
            None,
            &base(),
            &recognise,
            forms(),
            1 << 20,
            64 * 1024,
        )
        .expect("scan");
        assert!(!page.complete());
        let out = String::from_utf8(page.rewrite(&cards).expect("rewrite")).expect("utf-8");
        // Before the limit the embed is replaced; its script stays, since the page was not
        // read to the end; after it, everything is as it was.
        assert!(
            out.starts_with(&format!("<b>A</b>{IG_JS}<p><a href=")),
            "{}",
            &out[..200]
        );
        assert!(out.ends_with(&format!("</p>{IG2}<p>end</p>")));
        assert_eq!(out.len(), html.len() - IG.len() + "<b>A</b>".len());
    }

    /// HTML lets a page leave out `</li>` and `</p>`: lol_html keeps every such element open
    /// until its parent closes, so a long list of them takes far more of its memory than its
    /// bytes. A valid list of 70,000 items (some 420 KB) is read whole, and the embed after it
    /// replaced; the limit still holds past 64 MiB.
    #[test]
    fn a_long_list_without_its_optional_end_tags_is_read_whole() {
        let items = "<li>item\n".repeat(70_000);
        let html = format!("<ul>{items}</ul>{IG}<p>end</p>");
        let cards: CardSet = [(key(Platform::Instagram, "AAA"), "<b>A</b>".to_owned())]
            .into_iter()
            .collect();
        let page =
            PageEmbeds::scan(html.as_bytes(), &base(), &recognise, forms(), 1 << 24).expect("scan");
        assert!(page.complete());
        let out = String::from_utf8(page.rewrite(&cards).expect("rewrite")).expect("utf-8");
        assert_eq!(out, format!("<ul>{items}</ul><b>A</b><p>end</p>"));
        assert_eq!(parser_memory_limit(0), PARSER_MEMORY_LIMIT);
        assert_eq!(parser_memory_limit(html.len()), 32 * html.len());
        assert_eq!(parser_memory_limit(usize::MAX), MAX_PARSER_MEMORY);
    }

    #[test]
    fn a_link_goes_to_the_innermost_open_quotes_only_and_each_keeps_a_bounded_number() {
        let quote = || Found {
            start: 0,
            end: None,
            what: Read::Quote {
                form: &QUOTES[0],
                attrs: QuoteAttrs::default(),
                links: Vec::new(),
            },
        };
        let links = |scan: &Scan, i: usize| match &scan.found[i].what {
            Read::Quote { links, .. } => links.clone(),
            _ => Vec::new(),
        };
        let url = |n: usize| Url::parse(&format!("https://twitter.com/a/status/{n}")).expect("url");
        // Thousands of embed blockquotes opened and never closed, a link in each: each link is
        // kept by the innermost few, not by every one opened before it.
        let mut scan = Scan::default();
        for n in 0..4000 {
            scan.open.push(scan.found.len());
            scan.found.push(quote());
            scan.link(&url(n));
        }
        let kept: usize = (0..scan.found.len()).map(|i| links(&scan, i).len()).sum();
        assert_eq!(
            kept,
            (0..4000)
                .map(|n| (n + 1).min(MAX_QUOTES_COLLECTING))
                .sum::<usize>()
        );
        assert_eq!(links(&scan, 3999), vec![url(3999)]);
        assert_eq!(
            links(&scan, 0),
            (0..MAX_QUOTES_COLLECTING).map(url).collect::<Vec<_>>()
        );
        // Nested quotes still share the links inside them.
        let mut nested = Scan::default();
        for _ in 0..2 {
            nested.open.push(nested.found.len());
            nested.found.push(quote());
        }
        nested.link(&url(7));
        assert_eq!(links(&nested, 0), vec![url(7)]);
        assert_eq!(links(&nested, 1), vec![url(7)]);
        // One quote of many links keeps the first ones and the last (a tweet's permalink).
        let mut long = Scan::default();
        long.open.push(0);
        long.found.push(quote());
        for n in 0..10_000 {
            long.link(&url(n));
        }
        let kept = links(&long, 0);
        assert_eq!(kept.len(), MAX_QUOTE_LINKS);
        assert_eq!(kept[0], url(0));
        assert_eq!(kept[MAX_QUOTE_LINKS - 2], url(MAX_QUOTE_LINKS - 2));
        assert_eq!(kept[MAX_QUOTE_LINKS - 1], url(9_999));
    }

    #[test]
    fn thousands_of_unclosed_quotes_are_read_and_left_as_they_are() {
        let stub = r#"<blockquote class="twitter-tweet"><a href="https://twitter.com/jack/status/20">x</a>"#;
        let html = format!("<body>{}</body>", stub.repeat(10_000));
        let out = run(&html, &[(key(Platform::X, "20"), "<b>card</b>")]);
        assert_eq!(out, html, "an unclosed blockquote is never replaced");
    }

    #[test]
    fn a_rewrite_replaces_at_most_max_replaced_embeds() {
        let embeds = MAX_REPLACED + 3;
        let html = format!("{}{IG_JS}", IG.repeat(embeds));
        let out = run(&html, &[(key(Platform::Instagram, "AAA"), "<b>A</b>")]);
        assert_eq!(out.matches("<b>A</b>").count(), MAX_REPLACED);
        // The rest stay, and so does the script that renders them.
        assert_eq!(
            out,
            format!("{}{}{IG_JS}", "<b>A</b>".repeat(MAX_REPLACED), IG.repeat(3))
        );
    }

    /// A page of stubs of one post whose card is large comes back within its card budget: the
    /// cards stop once they would make the page [`CARD_BYTES_PER_PAGE_BYTE`] times its size
    /// (at least [`MIN_CARD_BYTES`]), and the embeds after them, and their script, stay.
    #[test]
    fn cards_stop_at_the_pages_card_budget() {
        let card = format!("<b>{}</b>", "c".repeat(64 * 1024));
        let html = format!("{}{IG_JS}", IG.repeat(500));
        let out = run(&html, &[(key(Platform::Instagram, "AAA"), card.as_str())]);
        let budget = (html.len() * CARD_BYTES_PER_PAGE_BYTE).max(MIN_CARD_BYTES);
        let cards = out.matches(card.as_str()).count();
        assert_eq!(cards, budget / card.len(), "{} bytes out", out.len());
        assert!(out.len() <= html.len() + budget);
        assert!(out.ends_with(&format!("{}{IG_JS}", IG.repeat(500 - cards))));
    }
}
