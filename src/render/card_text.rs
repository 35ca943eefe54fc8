//! What a card shows of a platform's strings: bounded, and without the characters that would
//! let one post's text reach outside its place in the card. A platform's text is the post's, so
//! it is shown as written, except that:
//! - control characters (C0 and C1, but line breaks and tabs) are dropped: they show as boxes
//!   or nothing, and some terminals and parsers read them as commands;
//! - a run of combining marks longer than any script writes ("zalgo" text, tens of thousands of
//!   marks on one letter) is cut to [`MAX_MARKS`], since the marks paint far above and below
//!   their line, over the page around the card;
//! - text is cut at a length a card can hold ([`Limits`]), at a word where there is one, with
//!   "…", and runs of blank lines are closed up, so a caption of a megabyte or of a hundred
//!   thousand line breaks neither makes a card the size of a book nor a rewritten page
//!   thousands of times its size;
//! - in names and handles, the bidirectional embedding, override and isolate controls are
//!   dropped (a name has no use for them, and `Ev\u{202E}il` would show its pieces on either
//!   side of the handle).

use std::borrow::Cow;

/// The most combining marks kept on one character. Vietnamese stacks two; three covers the
/// scripts that stack more.
pub const MAX_MARKS: usize = 3;

/// The most characters of each field a card shows.
#[derive(Debug, Clone, Copy)]
pub struct Limits;

impl Limits {
    /// A post's text: longer than any platform's post but a long-form article's (X long posts,
    /// YouTube descriptions and Instagram captions stop at 25,000, 5,000 and 2,200).
    pub const TEXT: usize = 5_000;
    /// Lines of a post's text.
    pub const TEXT_LINES: usize = 60;
    /// A title (YouTube's are at most 100 characters).
    pub const TITLE: usize = 300;
    /// An author's display name.
    pub const NAME: usize = 100;
    /// A handle.
    pub const HANDLE: usize = 100;
    /// An image's alternative text (X allows 1,000 characters).
    pub const ALT: usize = 1_000;
}

/// `text` as a card shows a post's words: see the module's rules; `true` with it when it was
/// cut short.
pub fn body(text: &str, max_chars: usize, max_lines: usize) -> (Cow<'_, str>, bool) {
    shown(text, max_chars, max_lines, false)
}

/// `text` as a card shows a name, handle or alternative text: on one line, without bidi
/// controls.
pub fn label(text: &str, max_chars: usize) -> Cow<'_, str> {
    shown(text, max_chars, 1, true).0
}

fn shown(text: &str, max_chars: usize, max_lines: usize, label: bool) -> (Cow<'_, str>, bool) {
    let plain = text.chars().count() <= max_chars
        && !text
            .chars()
            .any(|c| dropped(c, label) || is_mark(c) || is_break(c) || (label && c == '\t'));
    if plain {
        return (Cow::Borrowed(text), false);
    }
    let mut out = String::with_capacity(text.len().min(max_chars * 4));
    let (mut chars, mut lines, mut marks, mut blank_run) = (0usize, 1usize, 0usize, 0usize);
    let (mut cut, mut cut_in_line) = (false, false);
    let mut after_cr = false;
    for c in text.chars() {
        // CR LF is one break; a CR alone is one too (the HTML parser reads it as one).
        let lf_after_cr = std::mem::replace(&mut after_cr, c == '\r') && c == '\n';
        if dropped(c, label) || lf_after_cr {
            continue;
        }
        let c = if is_break(c) { '\n' } else { c };
        if chars == max_chars {
            (cut, cut_in_line) = (true, true);
            cut_inside_cluster(&mut out, c);
            break;
        }
        if c == '\n' || (label && c == '\t') {
            if label {
                // A label is one line: a break is a space.
                if !out.ends_with(' ') {
                    out.push(' ');
                    chars += 1;
                }
                continue;
            }
            blank_run += 1;
            // Two line breaks make a blank line; more show as the same.
            if blank_run > 2 {
                continue;
            }
            lines += 1;
            if lines > max_lines {
                cut = true;
                break;
            }
        } else if !c.is_whitespace() {
            blank_run = 0;
        }
        if is_mark(c) {
            marks += 1;
            if marks > MAX_MARKS {
                continue;
            }
        } else if !joins(c) {
            // A joiner or variation selector stays within the character the marks sit on.
            marks = 0;
        }
        out.push(c);
        chars += 1;
    }
    if cut_in_line {
        // End at a word when one ends in the last fifth, not inside it.
        out.truncate(out.trim_end().len());
        if let Some(space) = out.rfind(char::is_whitespace)
            && out[..space].chars().count() * 5 >= out.chars().count() * 4
        {
            out.truncate(space);
        }
    }
    if cut {
        out.truncate(out.trim_end().len());
        out.push('…');
    }
    (Cow::Owned(out), cut)
}

/// Take back the last grapheme cluster of `out` when `next`, the first character left out,
/// belongs to it: a cut never ends inside an emoji sequence (a family's people, joined by
/// zero-width joiners), a flag's pair of letters, or a letter and its marks, which would leave
/// a dangling joiner for the "…" to join.
fn cut_inside_cluster(out: &mut String, next: char) {
    use unicode_segmentation::UnicodeSegmentation;
    let len = out.len();
    out.push(next);
    let last = out
        .grapheme_indices(true)
        .next_back()
        .map_or(len, |(at, _)| at);
    out.truncate(last.min(len));
}

/// Line breaks as a browser shows them in the card's `pre-line` text: LF, CR (alone or before
/// LF), and the line and paragraph separators.
fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

/// Characters that join what is around them into one: the zero-width joiner and non-joiner,
/// and the variation selectors.
fn joins(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}' | '\u{FE00}'..='\u{FE0F}')
}

/// Characters a card drops: control characters but line breaks and tabs, and, in labels, bidi
/// controls.
fn dropped(c: char, label: bool) -> bool {
    let control = c.is_control() && !matches!(c, '\n' | '\t' | '\r');
    control || (label && is_bidi_control(c))
}

/// The characters Unicode names bidi controls (Bidi_Control=Yes): the explicit embeddings,
/// overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the marks that act as strong
/// letters of a direction (LRM U+200E, RLM U+200F, the Arabic letter mark U+061C), which
/// reorder the text around them as well.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// Combining marks of the blocks that only hold them (the diacritical marks, their extension
/// and supplement, those for symbols, and the half marks) and the Cyrillic ones: what "zalgo"
/// text stacks.
fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{0483}'..='\u{0489}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_is_shown_as_written() {
        for text in [
            "Morning light over the harbour. 🌅",
            "Tiếng Việt có dấu: ầ ễ ộ",
            "مرحبا بالعالم",
        ] {
            assert!(matches!(body(text, 100, 10), (Cow::Borrowed(_), false)));
            assert!(matches!(label(text, 100), Cow::Borrowed(_)));
        }
        let (kept, cut) = body("one\n\ntwo\nthree", 100, 10);
        assert_eq!((&*kept, cut), ("one\n\ntwo\nthree", false));
    }

    #[test]
    fn long_text_is_cut_at_a_word() {
        let text = "word ".repeat(3_000);
        let (kept, cut) = body(&text, Limits::TEXT, Limits::TEXT_LINES);
        assert!(cut);
        assert!(kept.chars().count() <= Limits::TEXT + 1);
        assert!(kept.ends_with("word…"), "{}", &kept[kept.len() - 20..]);
        // A word longer than the limit is cut inside it.
        let word = "a".repeat(50);
        let (kept, cut) = body(&word, 10, 5);
        assert_eq!((&*kept, cut), ("aaaaaaaaaa…", true));
    }

    /// Without a word to end at, the cut falls between grapheme clusters: never inside an
    /// emoji joined of several (a family: four people and three zero-width joiners), a flag
    /// or a letter and its mark.
    #[test]
    fn a_cut_never_splits_a_grapheme_cluster() {
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}";
        let text = family.repeat(30_000);
        let (kept, cut) = body(&text, Limits::TEXT, Limits::TEXT_LINES);
        assert!(cut);
        let shown = kept.strip_suffix('…').expect("an ellipsis");
        assert_eq!(shown, family.repeat(Limits::TEXT / 7), "{}", shown.len());
        let flags = "\u{1F1EB}\u{1F1F7}".repeat(10);
        assert_eq!(
            body(&flags, 5, 5).0,
            format!("{}…", "\u{1F1EB}\u{1F1F7}".repeat(2))
        );
        assert_eq!(body("ab\u{0301}c", 2, 5).0, "a…");
        // A cut between clusters takes nothing back.
        assert_eq!(body("abcdef", 3, 5).0, "abc…");
    }

    #[test]
    fn line_floods_and_blank_runs_are_bounded() {
        let flood = "x\n".repeat(100_000);
        let (kept, cut) = body(&flood, Limits::TEXT, Limits::TEXT_LINES);
        assert!(cut);
        assert_eq!(kept.matches('\n').count(), Limits::TEXT_LINES - 1);
        let blank = format!("a{}b", "\n".repeat(5_000));
        let (kept, cut) = body(&blank, 100, 10);
        assert_eq!((&*kept, cut), ("a\n\nb", false));
    }

    #[test]
    fn controls_marks_and_bidi_are_dropped_or_capped() {
        let (kept, _) = body("a\u{1}b\u{1b}[31mc\u{7f}d\u{85}e\u{9b}f", 100, 5);
        assert_eq!(kept, "ab[31mcdef");
        let zalgo = format!("Z{}ok", "\u{0301}\u{0316}".repeat(45_000));
        let (kept, _) = body(&zalgo, 100, 5);
        assert_eq!(kept.chars().count(), 1 + MAX_MARKS + 2, "{kept}");
        assert_eq!(label("Ev\u{202E}il\u{2066}", 100), "Evil");
        assert_eq!(label("Bob evilx\u{200F}\u{061C}\u{200E}", 100), "Bob evilx");
        // In a post's text a bidi control stays: the text's own paragraph isolates it.
        assert_eq!(body("a\u{202E}b", 100, 5).0, "a\u{202E}b");
        assert_eq!(label("two\nlines", 100), "two lines");
        // A joiner between marks keeps them on one letter.
        let joined = format!("Z{}", "\u{0301}\u{0301}\u{0301}\u{200D}".repeat(1_000));
        let (kept, _) = body(&joined, 10_000, 5);
        assert_eq!(kept.chars().filter(|&c| is_mark(c)).count(), MAX_MARKS);
    }

    /// A break right at a label's limit does not lift the limit.
    #[test]
    fn a_label_is_bounded_whatever_breaks_it_holds() {
        let name = format!("{}\n{}", "n".repeat(100), "m".repeat(300_000));
        assert!(label(&name, 100).chars().count() <= 101);
        let name = "ab\r\n\t".repeat(50_000);
        assert!(label(&name, 100).chars().count() <= 101);
    }

    /// Carriage returns are line breaks as the browser shows them: counted as lines, a CR LF
    /// one break, and their blank runs closed up.
    #[test]
    fn carriage_returns_are_line_breaks() {
        let crs = "a\r".repeat(100_000);
        let (kept, cut) = body(&crs, Limits::TEXT, Limits::TEXT_LINES);
        assert!(cut);
        assert_eq!(kept.matches('\n').count(), Limits::TEXT_LINES - 1);
        assert!(!kept.contains('\r'));
        assert_eq!(body("p\r\n\r\n\r\n\r\nq", 100, 10).0, "p\n\nq");
        let crlfs = format!("a{}b", "\r\n".repeat(5_000));
        let (kept, cut) = body(&crlfs, 100, 10);
        assert_eq!((&*kept, cut), ("a\n\nb", false));
        assert_eq!(body("a\u{2028}b", 100, 10).0, "a\nb");
    }
}
