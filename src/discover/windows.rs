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
use super::text::window_text;
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
}

static ANCHORS: LazyLock<Vec<Anchor>> = LazyLock::new(|| {
    let finders = &crate::platforms::declared().remnants;
    let mut all: Vec<(&'static str, Reach)> = Vec::new();
    for anchor in finders.iter().flat_map(|f| f.anchors) {
        match all.iter_mut().find(|(t, _)| *t == anchor.text) {
            Some((_, reach)) => {
                reach.before = reach.before.max(anchor.reach.before);
                reach.after = reach.after.max(anchor.reach.after);
            }
            None => all.push((anchor.text, anchor.reach)),
        }
    }
    let one_char = |text: &str| {
        let mut chars = text.chars();
        chars.next().filter(|_| chars.next().is_none())
    };
    all.into_iter()
        .map(|(text, reach)| Anchor {
            search: memmem::Finder::new(text.as_bytes()).into_owned(),
            ch: one_char(text),
            reach,
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
                if between.at(at) {
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
    let opens = memchr::memchr_iter(b'<', &b[tail.clone()]).any(|o| {
        let lt = tail.start + o;
        let name = if b.get(lt + 1) == Some(&b'/') {
            lt + 2
        } else {
            lt + 1
        };
        b.get(name).is_some_and(u8::is_ascii_alphabetic) || b.get(lt + 1) == Some(&b'!')
    });
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
