//! Whitespace collapsing as text is written: runs of whitespace become one space, ends are
//! trimmed, and a word split over two pieces of text (`insta<b>gram`) stays one word. The page
//! text is collapsed as it is taken out of the markup, so it is copied once, not twice.
//!
//! Whitespace is Unicode's, as `str::split_whitespace` has it; ASCII bytes are told apart
//! without decoding a character, which is what a page's text mostly is. The tests hold it to
//! [`crate::platforms::readers::collapse_whitespace`], the collapse of text read whole.

/// Collapsed text, written piece by piece.
#[derive(Debug, Default)]
pub(crate) struct Collapsed {
    out: String,
    /// Whitespace (or a line break) came after the last word written.
    gap: bool,
}

impl Collapsed {
    /// A break between words that is not in the text itself (a block tag's line break).
    pub(crate) fn gap(&mut self) {
        self.gap = true;
    }

    /// Append `text`, collapsing its whitespace with what came before it.
    pub(crate) fn push(&mut self, text: &str) {
        let bytes = text.as_bytes();
        // Where the current word started, if inside one.
        let mut word: Option<usize> = None;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let (space, len) = if b < 0x80 {
                // `char::is_whitespace` over ASCII: tab, line feed, vertical tab, form feed,
                // carriage return and space.
                (matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' '), 1)
            } else {
                match text[i..].chars().next() {
                    Some(c) => (c.is_whitespace(), c.len_utf8()),
                    None => break,
                }
            };
            match (space, word) {
                (true, Some(start)) => {
                    self.word(&text[start..i]);
                    self.gap = true;
                    word = None;
                }
                (true, None) => self.gap = true,
                (false, None) => word = Some(i),
                (false, Some(_)) => {}
            }
            i += len;
        }
        if let Some(start) = word {
            self.word(&text[start..]);
        }
    }

    fn word(&mut self, word: &str) {
        if self.gap && !self.out.is_empty() {
            self.out.push(' ');
        }
        self.gap = false;
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
