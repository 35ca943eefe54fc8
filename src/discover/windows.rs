//! Remnants read from windows of the page's text, not from the whole of it. Each platform's
//! remnant finder declares what every one of its matches holds (its anchors: the `@` of a
//! handle, TikTok's `♬`, the word Instagram), how far a match reaches from an anchor, and how
//! much text around a match decides it. The page's markup is searched for the anchors (outside
//! scripts, styles, comments and intact embeds: the ranges the page text leaves out), and its
//! text is read only around them: most of a news page's text lies far from any anchor, and
//! reading all of it was a third of discovery's time.
//!
//! What a window reads is the whole page text's own stretch ([`super::text::window_text`]): it
//! opens where the reading of the whole page is between tags, leaves out the word it may open
//! inside, and grows until each anchor in it has its reach of text on both sides and each
//! remnant found in it its context (or the page's start or end). So a window finds what the
//! reading of the whole text finds, and the tests hold the two to the same remnants.
//!
//! An anchor that stands in prose far more often than in a match (the `@` of every handle and
//! address, the word Instagram of every "follow us" link) also declares what the text before it
//! ends with in a match (`(`, "shared by" …): where the markup before it shows plainly that its
//! text ends otherwise, it opens no window. Most of a page's anchors are of that kind, and the
//! windows around them, grown to hold their reach of text in markup-heavy stretches, were half
//! of the page.
//!
//! A one-character anchor is also found written as a character reference, numeric (`&#64;`,
//! `&#x266C;`) or named (`&commat;`). What a window does not see: an anchor word spelled in a
//! case its finder does not declare (`InStAgRaM`; `Instagram`, `instagram` and `INSTAGRAM` are
//! declared) or with a character reference inside it. The whole-text reading would find a
//! remnant holding only those.

use std::collections::VecDeque;
use std::ops::Range;
use std::sync::LazyLock;

use memchr::memmem;

use super::remnant::find_with_context;
use super::text::{opens_tag, window_text};
use crate::model::Remnant;
use crate::platforms::markup::remnant::{MAX_REMNANTS, Reach};

/// The least a window grows by, in page bytes, when it lacks text on a side.
const MIN_GROWTH: usize = 4096;

/// One anchor the declared finders search for.
struct Anchor {
    search: memmem::Finder<'static>,
    /// The anchor's one character, when it is one (also found as a numeric reference).
    ch: Option<char>,
    /// The most text a match holding it reaches on each side of it (of all finders declaring
    /// it).
    reach: Reach,
    /// What the text before it ends with in a match, of all finders declaring it
    /// (`Anchor::preceded_by`); empty: anything.
    preceded_by: Vec<&'static str>,
}

impl Anchor {
    /// Whether the anchor found at the end of `before` (the page's markup before it, from
    /// where the text outside the skipped ranges starts) may be part of a match. It says no
    /// only where those bytes show it: [`Backward::ends_with_spaced`] says no for each of
    /// [`preceded_by`](Self::preceded_by).
    fn may_open(&self, before: &[u8]) -> bool {
        if self.preceded_by.is_empty() {
            return true;
        }
        let mut back = Backward::new(before);
        // Whitespace between the anchor and what precedes it is the match's own.
        if back.skip_space().is_none() {
            return true;
        }
        let end = back.at;
        self.preceded_by.iter().any(|p| {
            back.at = end;
            back.ends_with_spaced(p.as_bytes()) != Some(false)
        })
    }
}

/// The most bytes before an anchor read to tell what its text ends with: past them it may be
/// anything.
const MAX_BACK: usize = 1024;

/// Reads the page's markup backwards from an anchor as the page text reads it forwards
/// (`text::visible_text`): a tag (from a `<` followed by a letter, `/` or `!` to the first `>`)
/// is no text, or a break where it is a block; a character reference reads as another
/// character than its bytes. Where the bytes alone cannot tell what the text is (a reference,
/// a non-ASCII character that may be a space, a `>` whose tag is unclear), it says `None`.
struct Backward<'b> {
    bytes: &'b [u8],
    /// Bytes before this offset are still to read.
    at: usize,
    /// No byte before this is read.
    floor: usize,
    /// The last stretch of whitespace and tags passed over: from where, and to where (`None`:
    /// the bytes could not tell).
    last_space: Option<(usize, Option<usize>)>,
}

impl<'b> Backward<'b> {
    fn new(bytes: &'b [u8]) -> Backward<'b> {
        Backward {
            bytes,
            at: bytes.len(),
            floor: bytes.len().saturating_sub(MAX_BACK),
            last_space: None,
        }
    }

    /// Whether the text read backwards so far ends with `pattern` (ASCII case-insensitively, a
    /// space in it standing for one or more whitespace characters or tags); `None` when the
    /// bytes cannot tell.
    fn ends_with_spaced(&mut self, pattern: &[u8]) -> Option<bool> {
        for &p in pattern.iter().rev() {
            if p == b' ' {
                if !self.skip_space()? {
                    return Some(false);
                }
                continue;
            }
            // A tag between two letters may be inline (no text) or a block (a break): either
            // may make the match, so it is passed over.
            while self.last()? == b'>' {
                self.skip_tag()?;
            }
            let b = self.last()?;
            if !b.is_ascii() || b == b';' {
                return None;
            }
            if !b.eq_ignore_ascii_case(&p) {
                return Some(false);
            }
            self.at -= 1;
        }
        Some(true)
    }

    /// Pass over whitespace and tags; whether there were any. `None` when a tag's bounds are
    /// unclear, or the bytes run out (text in front of them may go on).
    fn skip_space(&mut self) -> Option<bool> {
        let start = self.at;
        // The patterns of one anchor often reach the same stretch (" i" of every header's
        // "on I", "auf I" …): it is passed over once.
        if let Some((from, to)) = self.last_space
            && from == start
        {
            self.at = to?;
            return Some(self.at < start);
        }
        let mut skip = || loop {
            match self.last()? {
                b if b.is_ascii_whitespace() => self.at -= 1,
                b'>' => self.skip_tag()?,
                _ => return Some(self.at),
            }
        };
        let to = skip();
        self.last_space = Some((start, to));
        self.at = to?;
        Some(self.at < start)
    }

    /// The byte before [`Self::at`], if it may be read: not past [`MAX_BACK`], nor past the
    /// start of the bytes given (a skipped range or the page's start lies there, and the text
    /// before a skipped range runs on after it).
    fn last(&self) -> Option<u8> {
        (self.at > self.floor).then(|| self.bytes[self.at - 1])
    }

    /// Pass over the tag that ends at the `>` before [`Self::at`], when the bytes show that
    /// the reading takes it for one: its `<` is the last `<` or `>` before it and opens a tag,
    /// and the reading is between tags there (the last `>`, or the last `<` that opens a tag,
    /// before it is a `>`, or there is neither in the bytes given, whose start is between tags).
    fn skip_tag(&mut self) -> Option<()> {
        let gt = self.at - 1;
        let lt = memchr::memrchr2(b'<', b'>', &self.bytes[self.floor..gt])? + self.floor;
        if self.bytes[lt] != b'<' || !opens_tag(self.bytes, lt) {
            return None;
        }
        let mut k = lt;
        loop {
            match memchr::memrchr2(b'<', b'>', &self.bytes[self.floor..k]) {
                Some(o) => {
                    let p = self.floor + o;
                    if self.bytes[p] == b'>' {
                        break;
                    }
                    if opens_tag(self.bytes, p) {
                        return None;
                    }
                    k = p;
                }
                None if self.floor == 0 => break,
                None => return None,
            }
        }
        self.at = lt;
        Some(())
    }
}

static ANCHORS: LazyLock<Vec<Anchor>> = LazyLock::new(|| {
    let finders = &crate::platforms::declared().remnants;
    let mut all: Vec<(&'static str, Reach, Vec<&'static str>)> = Vec::new();
    for anchor in finders.iter().flat_map(|f| f.anchors) {
        match all.iter_mut().find(|(t, _, _)| *t == anchor.text) {
            Some((_, reach, preceded_by)) => {
                reach.before = reach.before.max(anchor.reach.before);
                reach.after = reach.after.max(anchor.reach.after);
                // Anything before one finder's anchor is anything before the anchor.
                if preceded_by.is_empty() || anchor.preceded_by.is_empty() {
                    preceded_by.clear();
                } else {
                    for p in anchor.preceded_by {
                        if !preceded_by.contains(p) {
                            preceded_by.push(p);
                        }
                    }
                }
            }
            None => all.push((anchor.text, anchor.reach, anchor.preceded_by.to_vec())),
        }
    }
    let one_char = |text: &str| {
        let mut chars = text.chars();
        chars.next().filter(|_| chars.next().is_none())
    };
    all.into_iter()
        .map(|(text, reach, preceded_by)| Anchor {
            search: memmem::Finder::new(text.as_bytes()).into_owned(),
            ch: one_char(text),
            reach,
            preceded_by,
        })
        .collect()
});

/// A stretch of the page to read, with the anchors in it: for each reach, the first and the
/// last anchor of that reach (the text before the first and after the last decide whether
/// the window holds enough).
#[derive(Debug, Clone)]
struct Window {
    range: Range<usize>,
    /// (reach, first anchor, last anchor).
    anchors: Vec<(Reach, usize, usize)>,
}

impl Window {
    fn around(at: usize, reach: Reach, page_len: usize) -> Window {
        // Text is rarely less than a third of the markup around it: start with three times the
        // reach and some, and grow if that is short.
        let raw = |text: usize| text.saturating_mul(3).saturating_add(256);
        Window {
            range: at.saturating_sub(raw(reach.before))
                ..at.saturating_add(raw(reach.after)).min(page_len),
            anchors: vec![(reach, at, at)],
        }
    }

    fn absorb(&mut self, other: Window) {
        self.range = self.range.start.min(other.range.start)..self.range.end.max(other.range.end);
        for (reach, first, last) in other.anchors {
            match self.anchors.iter_mut().find(|(r, _, _)| *r == reach) {
                Some((_, f, l)) => {
                    *f = (*f).min(first);
                    *l = (*l).max(last);
                }
                None => self.anchors.push((reach, first, last)),
            }
        }
    }
}

/// The remnants in the page's visible text outside `skip`, and whether some were left out for
/// [`MAX_REMNANTS`]: what `remnant::find_in_collapsed` finds in `text::visible_text`.
///
/// Windows that grow into the windows before them are read again whole, so a page whose
/// anchors stand in text that keeps running short (words of kilobytes between them, no
/// breaks) could be read once per anchor. Past twice the page's size of reading, the rest is
/// not read in windows: the whole text is read once instead, which finds the same.
pub(super) fn remnants(html: &str, skip: Vec<Range<usize>>) -> (Vec<Remnant>, bool) {
    remnants_reading(html, skip).0
}

/// [`remnants`], and how many bytes of the page were read for them.
fn remnants_reading(html: &str, mut skip: Vec<Range<usize>>) -> ((Vec<Remnant>, bool), usize) {
    skip.sort_by_key(|r| r.start);
    let skip = merged(skip);
    let mut pending: VecDeque<Window> = windows(html, &skip).into();
    let mut done: Vec<(Window, Vec<Remnant>, bool)> = Vec::new();
    let budget = html.len().saturating_mul(2).saturating_add(MAX_LOOK_BACK);
    let mut bytes_read = 0;
    while let Some(mut w) = pending.pop_front() {
        loop {
            while pending
                .front()
                .is_some_and(|n| n.range.start <= w.range.end)
            {
                if let Some(next) = pending.pop_front() {
                    w.absorb(next);
                }
            }
            while done
                .last()
                .is_some_and(|(d, _, _)| d.range.end >= w.range.start)
            {
                if let Some((before, _, _)) = done.pop() {
                    w.absorb(before);
                }
            }
            // The last anchor before the window (windows that meet it are in it now): the
            // reading is between tags there.
            let known = done
                .last()
                .and_then(|(d, _, _)| d.anchors.iter().map(|&(_, _, last)| last).max())
                .filter(|&k| k <= w.range.start)
                .unwrap_or(0);
            let cost = w.range.len() + MAX_LOOK_BACK.min(w.range.start - known);
            if bytes_read + cost > budget {
                let text = super::text::visible_text(html, skip);
                return (
                    super::remnant::find_in_collapsed(&text),
                    bytes_read + html.len(),
                );
            }
            bytes_read += cost;
            match read(html, &skip, &w, known) {
                Ok((found, left_out)) => {
                    done.push((w, found, left_out));
                    break;
                }
                Err(Short { before, after }) => {
                    let by = w.range.len().max(MIN_GROWTH);
                    if before {
                        w.range.start = w.range.start.saturating_sub(by);
                    }
                    if after {
                        w.range.end = w.range.end.saturating_add(by).min(html.len());
                    }
                }
            }
        }
    }
    let mut left_out = false;
    let mut all = Vec::new();
    for (_, found, cut) in done {
        left_out |= cut;
        all.extend(found);
    }
    if all.len() > MAX_REMNANTS {
        all.truncate(MAX_REMNANTS);
        left_out = true;
    }
    ((all, left_out), bytes_read)
}

/// Sorted ranges with those that overlap or touch made one.
fn merged(sorted: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::with_capacity(sorted.len());
    for r in sorted {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// The windows around every anchor outside `skip` (sorted, merged), in page order, those that
/// overlap made one.
fn windows(html: &str, skip: &[Range<usize>]) -> Vec<Window> {
    let anchors = &*ANCHORS;
    let b = html.as_bytes();
    let mut gaps = Vec::with_capacity(skip.len() + 1);
    let mut pos = 0;
    for r in skip.iter().chain(std::iter::once(&(b.len()..b.len()))) {
        if r.start > pos {
            gaps.push(pos..r.start);
        }
        pos = pos.max(r.end);
    }
    let mut all: Vec<Window> = Vec::new();
    // Each anchor's windows come in page order and are merged as they come: a page of a
    // million anchors holds a window per few KiB, not an entry per anchor.
    let push = |list: &mut Vec<Window>, w: Window| match list.last_mut() {
        Some(last) if w.range.start <= last.range.end => last.absorb(w),
        _ => list.push(w),
    };
    for anchor in anchors {
        let mut list = Vec::new();
        for gap in &gaps {
            let mut between = Between::new(b, gap.start);
            for at in anchor.search.find_iter(&b[gap.clone()]) {
                let at = gap.start + at;
                // In a tag (a link's address, an attribute) it is no text.
                if between.at(at) && anchor.may_open(&b[gap.start..at]) {
                    push(&mut list, Window::around(at, anchor.reach, b.len()));
                }
            }
        }
        all.extend(list);
    }
    if anchors.iter().any(|a| a.ch.is_some()) {
        let mut list = Vec::new();
        for gap in &gaps {
            let mut between = Between::new(b, gap.start);
            for at in memchr::memchr_iter(b'&', &b[gap.clone()]) {
                let at = gap.start + at;
                let Some(ch) = reference(&b[at..gap.end]) else {
                    continue;
                };
                if let Some(anchor) = anchors.iter().find(|a| a.ch == Some(ch))
                    && between.at(at)
                    && anchor.may_open(&b[gap.start..at])
                {
                    push(&mut list, Window::around(at, anchor.reach, b.len()));
                }
            }
        }
        all.extend(list);
    }
    all.sort_by_key(|w| w.range.start);
    let mut out = Vec::with_capacity(all.len());
    for w in all {
        push(&mut out, w);
    }
    out
}

/// The named character references of the anchors' characters, as the page text decodes them
/// (HTML5 names are case-sensitive and these need their `;`).
const NAMED_REFERENCES: &[(&str, char)] = &[("&commat;", '@')];

/// The character a character reference at the start of `b` stands for, when it is numeric or
/// one of [`NAMED_REFERENCES`].
fn reference(b: &[u8]) -> Option<char> {
    numeric_reference(b).or_else(|| {
        NAMED_REFERENCES
            .iter()
            .find(|(name, _)| b.starts_with(name.as_bytes()))
            .map(|&(_, ch)| ch)
    })
}

/// The character a numeric character reference at the start of `b` (`&#64;`, `&#x40;`)
/// stands for, read as the page text decodes it (up to its `;`).
fn numeric_reference(b: &[u8]) -> Option<char> {
    let rest = b.strip_prefix(b"&#")?;
    let (radix, digits) = match rest.first() {
        Some(b'x' | b'X') => (16, &rest[1..]),
        _ => (10, rest),
    };
    let len = digits.iter().take_while(|c| c.is_ascii_hexdigit()).count();
    if len == 0 || len > 10 || digits.get(len) != Some(&b';') {
        return None;
    }
    let digits = std::str::from_utf8(&digits[..len]).ok()?;
    char::from_u32(u32::from_str_radix(digits, radix).ok()?)
}

/// A window that lacks text before or after what it holds.
struct Short {
    before: bool,
    after: bool,
}

/// The remnants in one window, or what it lacks. `known`, before the window, is an offset
/// where the reading of the text is between tags.
fn read(
    html: &str,
    skip: &[Range<usize>],
    w: &Window,
    known: usize,
) -> Result<(Vec<Remnant>, bool), Short> {
    let at_start = w.range.start == 0;
    let at_end = w.range.end >= html.len();
    let Some(start) = text_start(html.as_bytes(), skip, w.range.start, known) else {
        return Err(Short {
            before: true,
            after: false,
        });
    };
    let start = start.min(w.range.end);
    let mut marks: Vec<usize> = w
        .anchors
        .iter()
        .flat_map(|&(_, first, last)| [first.max(start), last.max(start)])
        .collect();
    marks.sort_unstable();
    let (text, offsets) = window_text(html, start..w.range.end, skip, &marks, !at_start);
    let offset_of = |at: usize| {
        let i = marks.partition_point(|&m| m < at.max(start));
        offsets.get(i).copied().unwrap_or(text.len())
    };
    let mut short = Short {
        before: false,
        after: false,
    };
    for &(reach, first, last) in &w.anchors {
        short.before |= !at_start && offset_of(first) < reach.before;
        short.after |= !at_end && text.len() - offset_of(last) < reach.after;
    }
    let (found, left_out) = if short.before || short.after {
        (Vec::new(), false)
    } else {
        find_with_context(&text)
    };
    for (range, _, context) in &found {
        short.before |= !at_start && range.start < *context;
        short.after |= !at_end && text.len() - range.end < *context;
    }
    if short.before || short.after {
        return Err(short);
    }
    Ok((found.into_iter().map(|(_, r, _)| r).collect(), left_out))
}

/// How far back from a window's start the markup is read to tell whether it opens inside a tag.
const MAX_LOOK_BACK: usize = 64 * 1024;

/// Whether the reading of the page's text (`text::visible_text`) is inside a tag at the end of
/// `before` (markup it reads from a point where it is between tags): a tag starts at a `<`
/// followed by a letter, `/` and a letter, or `!`, and ends at its first `>`, whatever quotes
/// hold it. `None`: `before` holds neither a tag's start nor a `>`, so its start decides.
fn in_tag(b: &[u8], before: Range<usize>) -> Option<bool> {
    let after_gt = memchr::memrchr(b'>', &b[before.clone()]).map(|o| before.start + o + 1);
    let tail = after_gt.unwrap_or(before.start)..before.end;
    let opens = memchr::memchr_iter(b'<', &b[tail.clone()]).any(|o| opens_tag(b, tail.start + o));
    if opens {
        Some(true)
    } else {
        after_gt.map(|_| false)
    }
}

/// Tells, for offsets in page order within one stretch outside the skipped ranges, whether the
/// reading of the text is between tags there; each byte is looked at once.
struct Between<'h> {
    b: &'h [u8],
    from: usize,
    text: bool,
}

impl<'h> Between<'h> {
    fn new(b: &'h [u8], gap_start: usize) -> Between<'h> {
        Between {
            b,
            from: gap_start,
            text: true,
        }
    }

    fn at(&mut self, at: usize) -> bool {
        if at > self.from {
            if let Some(tag) = in_tag(self.b, self.from..at) {
                self.text = !tag;
            }
            self.from = at;
        }
        self.text
    }
}

/// The first offset at or after `at` where the reading of the page's text is between tags:
/// past the skipped range `at` falls in, and past the end of a tag it falls in. `known` (before
/// `at`) is an offset where the reading is known to be between tags: the markup is read back to
/// it, or to the start of the stretch outside the skipped ranges, and no more than
/// [`MAX_LOOK_BACK`] bytes. `None` when those do not tell.
fn text_start(b: &[u8], skip: &[Range<usize>], mut at: usize, known: usize) -> Option<usize> {
    let i = skip.partition_point(|r| r.end <= at);
    if let Some(r) = skip.get(i).filter(|r| r.start <= at) {
        at = r.end;
    }
    let i = skip.partition_point(|r| r.end <= at);
    let region_start = i.checked_sub(1).map_or(0, |j| skip[j].end);
    let region_end = skip.get(i).map_or(b.len(), |r| r.start).max(at);
    let floor = region_start.max(known.min(at));
    let from = at.saturating_sub(MAX_LOOK_BACK).max(floor);
    let inside = match in_tag(b, from..at) {
        Some(inside) => inside,
        None if from == floor => false,
        None => return None,
    };
    if inside {
        at = memchr::memchr(b'>', &b[at..region_end]).map_or(region_end, |o| at + o + 1);
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::{remnant, scan, text};

    /// The remnants of the whole page text: what the windows must find.
    fn whole(html: &str, skip: Vec<Range<usize>>) -> (Vec<Remnant>, bool) {
        remnant::find_in_collapsed(&text::visible_text(html, skip))
    }

    /// What discovery leaves out of the page text (raw text, comments and every embed it
    /// reports), and the raw text and comments alone (the embeds' own text then reads as
    /// remnants: tweets' attribution lines, Instagram's footers).
    fn skips_of(html: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
        let base = url::Url::parse("https://news.example/article").unwrap();
        let scan = scan::scan(html, &base, &crate::platforms::recognise);
        let invisible = scan.invisible.clone();
        let mut skip = scan.invisible;
        for f in scan.found {
            let span = f.span.clone();
            if crate::discover::to_embed(f, &crate::platforms::recognise).is_ok() {
                skip.extend(span);
            }
        }
        (skip, invisible)
    }

    #[test]
    fn every_corpus_page_has_the_remnants_of_its_whole_text() {
        let (mut pages, mut found) = (0, 0);
        for (path, html) in crate::discover::corpus_pages() {
            let (skip, invisible) = skips_of(&html);
            for (skip, what) in [
                (skip, "as discovery reads it"),
                (invisible, "embeds included"),
                (Vec::new(), "read whole"),
            ] {
                let want = whole(&html, skip.clone());
                assert_eq!(remnants(&html, skip), want, "{} {what}", path.display());
                found += want.0.len();
            }
            pages += 1;
        }
        assert!(pages > 350, "only {pages} pages read");
        assert!(
            found > 100,
            "only {found} remnants: the comparison says little"
        );
    }

    #[test]
    fn a_remnant_far_from_its_anchor_is_read_whole() {
        // The header is 2,200 bytes of caption text before the footer's "@", in 35 KiB of
        // markup: the header's window and the footer's are apart until the header, found alone,
        // asks for the text after it and the two grow into one.
        let prose = "<p>Some words of the article here.</p>\n".repeat(100);
        let caption =
            "<span class=\"a-long-class-name-for-styling\" data-x=\"1\">cap</span> ".repeat(550);
        let html = format!(
            "{prose}<div><a>View this post on Instagram</a><p>{caption}</p>\
             <p>A post shared by Some One (@someone) on May 1, 2019 at 10:03am PDT</p></div>{prose}"
        );
        let (found, _) = remnants(&html, Vec::new());
        assert_eq!(found, whole(&html, Vec::new()).0);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].text.starts_with("View this post on Instagram"),
            "{found:?}"
        );
    }

    /// Anchors in text that runs short on every side (one word of 3,000 letters between each
    /// two, no break): each window grows into the one before it. The page is read a few times
    /// over at most, not once per anchor, and gives what its whole text gives.
    #[test]
    fn windows_that_keep_growing_into_each_other_cost_a_few_readings_of_the_page() {
        let html = format!("<p>{}", format!("@{} ", "x".repeat(3000)).repeat(1000));
        let (found, read) = remnants_reading(&html, Vec::new());
        assert_eq!(found, whole(&html, Vec::new()));
        assert!(
            read <= 4 * html.len(),
            "{read} bytes read of {}",
            html.len()
        );
        // Anchors of the same page with breaks around them are read in windows alone.
        let html = format!("<p>{}", format!("@{} ", "x ".repeat(1500)).repeat(1000));
        let (found, read) = remnants_reading(&html, Vec::new());
        assert_eq!(found, whole(&html, Vec::new()));
        assert!(
            read <= 2 * html.len(),
            "{read} bytes read of {}",
            html.len()
        );
    }

    #[test]
    fn anchors_written_as_references_open_windows() {
        let html = "<p>&mdash; Some One (&#64;someone) <a href=\"https://twitter.com/someone/status/1\">May 1, 2019</a></p>\
                    <p>x</p><p>&#X40;tok caption words &#9836; original sound</p>";
        let (found, _) = remnants(html, Vec::new());
        assert_eq!(found, whole(html, Vec::new()).0);
        assert_eq!(found.len(), 2, "{found:?}");
        // The named reference, far from any other anchor.
        let html = format!(
            "{}<p>&mdash; Other One (&commat;other) May 2, 2019</p>",
            "<p>Some words of the article here.</p>\n".repeat(200)
        );
        let (found, _) = remnants(&html, Vec::new());
        assert_eq!(found, whole(&html, Vec::new()).0);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].author_handle.as_deref(),
            Some("other"),
            "{found:?}"
        );
        assert_eq!(numeric_reference(b"&#0064;x"), Some('@'));
        assert_eq!(numeric_reference(b"&#x266c;"), Some('\u{266C}'));
        assert_eq!(numeric_reference(b"&#64 "), None);
        assert_eq!(numeric_reference(b"&#;"), None);
    }

    #[test]
    fn a_window_opens_between_tags() {
        let html = b"<p title=\"a > b\" x>text<a href=\"@\">more</a>";
        // Inside `<p …` up to its first `>` (the reading takes it as the tag's end).
        assert_eq!(text_start(html, &[], 3, 0), Some(13));
        // After that `>`, the rest of the tag is text to the reading.
        assert_eq!(text_start(html, &[], 17, 0), Some(17));
        assert_eq!(text_start(html, &[], 22, 0), Some(22));
        // Inside `<a …`.
        assert_eq!(text_start(html, &[], 30, 0), Some(35));
        // In a skipped range: past it.
        let skip = vec![Range { start: 2, end: 20 }];
        assert_eq!(text_start(html, &skip, 5, 0), Some(20));
        // Anchors in page order, each byte read once.
        let mut between = Between::new(html, 0);
        let got: Vec<bool> = [3, 17, 22, 30, 37]
            .iter()
            .map(|&at| between.at(at))
            .collect();
        assert_eq!(got, [false, true, true, false, true]);
        // Past the look-back with no tag in it, the window's start cannot tell.
        let text = format!("<p>{}", "x".repeat(MAX_LOOK_BACK + 10));
        assert_eq!(text_start(text.as_bytes(), &[], text.len() - 1, 0), None);
        assert_eq!(text_start(text.as_bytes(), &[], 100, 0), Some(100));
        // Unless an offset between tags is known, nearer than that.
        let known = text.len() - 1000;
        assert_eq!(
            text_start(text.as_bytes(), &[], text.len() - 1, known),
            Some(text.len() - 1)
        );
    }

    fn at_sign(preceded_by: &[&'static str]) -> Anchor {
        Anchor {
            search: memmem::Finder::new(b"@").into_owned(),
            ch: Some('@'),
            reach: Reach {
                before: 10,
                after: 10,
            },
            preceded_by: preceded_by.to_vec(),
        }
    }

    /// An anchor opens no window only where the markup before it shows that its text cannot
    /// end as a match needs; where that text is unclear from the bytes (a reference, a
    /// non-ASCII space, a tag of unclear bounds, the start of the bytes given), it opens one.
    #[test]
    fn an_anchor_opens_no_window_only_where_the_markup_before_it_rules_a_match_out() {
        let footer = at_sign(&["(", "by"]);
        let cases = [
            // Plain text that ends otherwise.
            ("mail x", false),
            ("Follow ", false),
            ("Name )", false),
            ("Name (x", false),
            ("<p>say hi to ", false),
            // What a match needs, with whitespace and tags between.
            ("Name (", true),
            ("Name ( \n", true),
            ("Name (<b>", true),
            ("Name (</b> <i>", true),
            ("<i>(</i>", true),
            ("shared by ", true),
            ("shared BY\n", true),
            ("shared by <a href=\"u\">", true),
            ("standby ", true),
            // Unclear from the bytes.
            ("by&nbsp;", true),
            ("by\u{a0}", true),
            ("(&#32;", true),
            ("x <a title=\"<b\">", true),
            ("x <y z=w <b>", true),
            ("a > ", true),
            ("", true),
            (" ", true),
        ];
        for (before, opens) in cases {
            assert_eq!(footer.may_open(before.as_bytes()), opens, "{before:?}");
        }
        // Past what is read back, anything.
        let far = format!("(<b>{}", " ".repeat(MAX_BACK));
        assert!(footer.may_open(far.as_bytes()));
        assert!(at_sign(&[]).may_open(b"mail x"));
        let header = Anchor {
            search: memmem::Finder::new(b"nstagram").into_owned(),
            ch: None,
            reach: Reach {
                before: 10,
                after: 10,
            },
            preceded_by: vec!["on i", "auf i"],
        };
        for (before, opens) in [
            ("View this post on I", true),
            ("Diesen Beitrag AUF i", true),
            ("post on <a href=\"u\">I", true),
            ("post on<br>I", true),
            ("Follow us: I", false),
            ("Follow us<a>I", false),
            ("Follow us on", false),
            ("I", true),
        ] {
            assert_eq!(header.may_open(before.as_bytes()), opens, "{before:?}");
        }
    }

    /// Where a skipped range (a script, a comment, an embed) stands right before an anchor, the
    /// text before the range runs on after it: the window opens.
    #[test]
    fn the_text_before_a_skipped_range_runs_on_after_it() {
        for html in [
            "<p>View this post on <script>x</script>Instagram</p>",
            "<p>— Name (<script>x</script>@handle) May 1, 2019</p>",
            "<p>— Name (<b>@handle</b>) May 1, 2019</p>",
            "<p>A post shared by&nbsp;@handle on May 1, 2019</p>",
            "<p>A post shared by\u{a0}@handle on May 1, 2019</p>",
        ] {
            let skip: Vec<Range<usize>> = html
                .find("<script>")
                .map(|s| s..s + "<script>x</script>".len())
                .into_iter()
                .collect();
            let (found, _) = remnants(html, skip.clone());
            assert_eq!(found.len(), 1, "{html}: {found:?}");
            assert_eq!((found, false), whole(html, skip), "{html}");
        }
    }

    /// Every phrasing the finders read, each alone in a page: the text before its anchors is
    /// what the finders declare, so the windows find it.
    #[test]
    fn every_phrasing_opens_its_window() {
        let phrasings = [
            "View this post on Instagram",
            "Diesen Beitrag auf Instagram ansehen",
            "Ver esta publicación en Instagram",
            "Voir cette publication sur Instagram",
            "Ver essa foto no INSTAGRAM",
            "Visualizza questo post su Instagram",
            "Dit bericht op Instagram bekijken",
            "A post shared by Some One (@someone) on May 1, 2019 at 10:03am PDT",
            "A post shared by @someone",
            "Ein Beitrag geteilt von @someone am 23. Okt 2017 um 0:31 Uhr",
            "Una publicación compartida de @someone",
            "Une publication partagée par @someone",
            "Uma publicação compartilhada por @someone",
            "Un post condiviso da @someone",
            "Een bericht gedeeld door @someone",
            "&mdash; Some One (@someone) <a href=\"https://twitter.com/someone/status/1\">May 1, 2019</a>",
            "— Some One ( @someone ) May 1, 2019",
            "@someone a caption ♬ original sound - someone",
        ];
        for phrasing in phrasings {
            let html = format!("<div><p>Some words.</p><p>{phrasing}</p><p>More words.</p></div>");
            let (found, _) = remnants(&html, Vec::new());
            assert_eq!(found.len(), 1, "{phrasing}: {found:?}");
            assert_eq!((found, false), whole(&html, Vec::new()), "{phrasing}");
        }
    }

    proptest::proptest! {
        /// Any markup built of remnant phrases, tags, references and scripts: the windows find
        /// what the whole text holds.
        #[test]
        fn windows_find_what_the_whole_text_holds(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "<p>", "</p>", "<div class=\"a\">", "</div>", "<a href=\"https://x.example/@a\">",
                "</a>", "<b>", "<script>@ ♬</script>", "<!-- @ -->", " ", "\n", "word ",
                "&mdash; ", "— ", "Name ", "(@handle) ", "@handle ", "May 1, 2019 ",
                "View this post on Instagram ", "A post shared by ", "Ein Beitrag geteilt von ",
                "on May 1, 2019 at 10:03am PDT ", "♬ ", "original sound ", "&#64;", "&#9836; ",
                "caption. ", "<span style=\"x\">", "</span>", "INSTAGRAM ", "&commat;", "x".repeat(300).leak(),
                // What may stand right before an anchor, as text or as markup that reads as
                // other text than its bytes.
                "(", "by", "on", "Instagram", "@", "\u{a0}", "&nbsp;", "&#40;", "<br>", "< ",
                "> ", "<a title=\"<b\">", "<x y=z <b>", "<!x>", "</i>", "(<b>@handle</b>) ",
                "( <a href=\"u\">@handle</a>) ", "<i>(</i>&#64;handle) ", "by <a>@handle</a> ",
                "on <a href=\"u\">Instagram</a> ",
                "<i>".repeat(200).leak(),
            ]), 0..120)
        ) {
            let html = pieces.concat();
            let script = html.find("<script>").map(|s| s..s + "<script>@ ♬</script>".len());
            let skip: Vec<Range<usize>> = script.into_iter().collect();
            proptest::prop_assert_eq!(remnants(&html, skip.clone()), whole(&html, skip));
        }
    }
}
