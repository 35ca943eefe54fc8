//! Whitespace collapsing as text is written: runs of whitespace become one space, ends are
//! trimmed, and a word split over two pieces of text (`insta<b>gram`) stays one word. The page
//! text is collapsed as it is taken out of the markup, so it is copied once, not twice.
//!
//! Whitespace is Unicode's, as `str::split_whitespace` has it; ASCII bytes are told apart
//! without decoding a character, which is what a page's text mostly is. The tests hold it to
//! [`crate::platforms::readers::collapse_whitespace`], the collapse of text read whole.

/// A byte of a word: ASCII and not whitespace.
const WORD: u8 = 0;
/// ASCII whitespace, as `char::is_whitespace` has it: tab, line feed, vertical tab, form feed,
/// carriage return and space.
const SPACE: u8 = 1;
/// A byte of a character beyond ASCII, which may be whitespace (no-break space, em space…).
const WIDE: u8 = 2;

/// The class of every byte.
static CLASS: [u8; 256] = {
    let mut class = [WORD; 256];
    let mut b = 0x80;
    while b < 256 {
        class[b] = WIDE;
        b += 1;
    }
    class[b'\t' as usize] = SPACE;
    class[b'\n' as usize] = SPACE;
    class[0x0B] = SPACE;
    class[0x0C] = SPACE;
    class[b'\r' as usize] = SPACE;
    class[b' ' as usize] = SPACE;
    class
};

/// Whether `b` is ASCII whitespace as `char::is_whitespace` has it (unlike
/// `u8::is_ascii_whitespace`, this includes the vertical tab).
pub(super) fn is_ascii_space(b: u8) -> bool {
    CLASS[usize::from(b)] == SPACE
}

/// The length of the whitespace character at `i` (a character boundary of `text`), or 0 when
/// the character there is not whitespace.
fn space_at(text: &str, i: usize) -> usize {
    match text.as_bytes().get(i).map(|&b| CLASS[usize::from(b)]) {
        Some(SPACE) => 1,
        Some(WIDE) => match text[i..].chars().next() {
            Some(c) if c.is_whitespace() => c.len_utf8(),
            _ => 0,
        },
        _ => 0,
    }
}

/// The end of the word starting at `i` (a character boundary of `text`): the next whitespace,
/// or the end of the text.
fn word_end(text: &str, mut i: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        // A page's words are mostly ASCII: one table look-up per byte.
        while i < bytes.len() && CLASS[usize::from(bytes[i])] == WORD {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] < 0x80 {
            return i;
        }
        match text[i..].chars().next() {
            Some(c) if !c.is_whitespace() => i += c.len_utf8(),
            _ => return i,
        }
    }
}

/// Collapsed text, written piece by piece.
#[derive(Debug, Default)]
pub(crate) struct Collapsed {
    out: String,
    /// Whitespace (or a line break) came after the last word written.
    gap: bool,
    /// That break is a block's (a paragraph, a heading, a quotation ended): written as a line
    /// break, so that a pattern can tell the end of an embed's text from the article's next
    /// paragraph.
    block: bool,
    /// Words are left out until the first break between words: the text begins mid-page, and
    /// its first word may be the end of one.
    dropping: bool,
}

impl Collapsed {
    /// A break between words that is not in the text itself.
    pub(crate) fn gap(&mut self) {
        self.gap = true;
    }

    /// A block tag's break between words: written as `\n` where a word follows.
    pub(crate) fn block_gap(&mut self) {
        self.gap = true;
        self.block = true;
    }

    /// Append `text`, collapsing its whitespace with what came before it.
    pub(crate) fn push(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let space = space_at(text, i);
            if space > 0 {
                self.gap = true;
                i += space;
                continue;
            }
            // Words, up to whitespace that is not one plain space between two words, or the end
            // of the piece: prose is mostly that, and it is copied as it is in one piece rather
            // than word by word.
            let start = i;
            loop {
                i = word_end(text, i);
                if bytes.get(i) == Some(&b' ')
                    && bytes
                        .get(i + 1)
                        .is_some_and(|&b| CLASS[usize::from(b)] == WORD)
                {
                    i += 1;
                    continue;
                }
                break;
            }
            self.word(&text[start..i]);
        }
    }

    /// Leave out what is written up to the first break between words.
    pub(crate) fn drop_first_word(&mut self) {
        self.dropping = true;
    }

    /// The bytes of text written so far.
    pub(crate) fn len(&self) -> usize {
        self.out.len()
    }

    fn word(&mut self, mut word: &str) {
        if self.dropping {
            if !self.gap {
                // A run of words with one plain space between each comes in one piece: only
                // its first word is left out.
                match word.split_once(' ') {
                    Some((_, rest)) => word = rest,
                    None => return,
                }
            }
            self.dropping = false;
        }
        if self.gap && !self.out.is_empty() {
            self.out.push(if self.block { '\n' } else { ' ' });
        }
        self.gap = false;
        self.block = false;
        self.out.push_str(word);
    }

    pub(crate) fn into_string(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platforms::readers::collapse_whitespace as want;

    /// The text written in one piece.
    fn collapse_whitespace(text: &str) -> String {
        let mut out = Collapsed::default();
        out.push(text);
        out.into_string()
    }

    #[test]
    fn whitespace_collapses_as_split_whitespace_has_it() {
        let texts = [
            "",
            "   ",
            "one",
            "  one  two\tthree\n\n four ",
            "a\u{0B}b\u{0C}c\rd",
            "non\u{A0}breaking and\u{2003}em\u{3000}ideographic\u{2028}line",
            "caf\u{E9} \u{1F600}  \u{200B}zero-width-is-not-space",
            "\u{85}next line\u{85}",
        ];
        for text in texts {
            assert_eq!(collapse_whitespace(text), want(text), "{text:?}");
        }
    }

    #[test]
    fn a_word_split_over_pieces_stays_one_word_and_gaps_separate() {
        let mut c = Collapsed::default();
        for piece in ["  insta", "gram ", "", " is", "\n"] {
            c.push(piece);
        }
        c.gap();
        c.push("next");
        c.gap();
        assert_eq!(c.into_string(), "instagram is next");
    }

    proptest::proptest! {
        #[test]
        fn whitespace_collapses_as_split_whitespace_has_it_on_any_text(
            text in "[a b\\t\\n\\r\u{0B}\u{0C}\u{A0}\u{85}\u{2003}\u{3000}é😀—]{0,40}"
        ) {
            proptest::prop_assert_eq!(collapse_whitespace(&text), want(&text));
        }

        /// Written in any pieces, the text collapses as it would whole.
        #[test]
        fn pieces_collapse_as_the_whole(
            pieces in proptest::collection::vec("[a b\\n\u{A0}é]{0,8}", 0..6)
        ) {
            let mut c = Collapsed::default();
            for p in &pieces {
                c.push(p);
            }
            proptest::prop_assert_eq!(c.into_string(), want(&pieces.concat()));
        }
    }
}
