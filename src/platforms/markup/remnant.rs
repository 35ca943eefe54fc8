//! Remnants: the text an embed leaves behind once its script no longer renders it. Each
//! platform declares a [`Finder`] for its own phrasing; `discover` runs them over a page's
//! visible text in registry order and collects what they find here.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::Remnant;

/// The most remnants reported for one text. A decayed listicle has tens; past this the text is
/// hostile, and reading on would cost memory per phrase and time per pair of phrases.
pub const MAX_REMNANTS: usize = 1_000;

/// A platform's remnant finder: reads whitespace-collapsed text and keeps what it finds in
/// [`Found`], skipping stretches an earlier finder already took.
#[derive(Debug)]
pub struct Finder {
    /// What it looks for, for logs and tests.
    pub name: &'static str,
    /// A test that every text holding a match passes, collapsed or not. `find` asks it first
    /// of the text it is given; `discover::remnant::find_remnants` asks it of free text before
    /// collapsing that text's whitespace, and collapses nothing when no finder may match. (The
    /// page text is collapsed as it is read, so it is not asked there.)
    pub may_match: fn(&str) -> bool,
    pub find: fn(&str, &mut Found),
    /// What every match holds, as the text reads (a character, or a word as it is spelled),
    /// and how far a match reaches from it: discovery looks for these in a page's markup and
    /// reads the page's text only around them. A one-character anchor is also found written as
    /// a numeric character reference; a word is found only as it is spelled here.
    pub anchors: &'static [Anchor],
    /// The most bytes of text before and after a match that `find` reads to decide it (where it
    /// starts, what it pairs with): a match is kept only once this much text around it, or the
    /// page's start or end, has been read.
    pub context: usize,
}

/// A text every match of a finder (or of one of its patterns) holds.
#[derive(Debug, Clone, Copy)]
pub struct Anchor {
    pub text: &'static str,
    pub reach: Reach,
    /// What the text right before the anchor ends with in every match, whitespace at its end
    /// left out (ASCII case-insensitively; a space stands for one or more whitespace
    /// characters). Empty: anything. An anchor that stands in prose far more often than in a
    /// match (the `@` of every handle and address) opens no window where the markup before it
    /// shows that none of these precedes it.
    pub preceded_by: &'static [&'static str],
}

/// The most bytes of (collapsed) text a match extends before an anchor's start and after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reach {
    pub before: usize,
    pub after: usize,
}

/// The remnants found so far, with the text range of each.
#[derive(Debug, Default)]
pub struct Found {
    pub items: Vec<(Range<usize>, Remnant)>,
    /// A remnant was found with [`MAX_REMNANTS`] already kept.
    pub left_out: bool,
}

impl Found {
    /// Whether `range` overlaps a remnant already kept.
    pub fn overlaps(&self, range: &Range<usize>) -> bool {
        self.items
            .iter()
            .any(|(r, _)| r.start < range.end && range.start < r.end)
    }

    /// Keep a remnant; false (and nothing kept) once [`MAX_REMNANTS`] are: the finder stops.
    pub fn push(&mut self, range: Range<usize>, mut remnant: Remnant) -> bool {
        if self.items.len() >= MAX_REMNANTS {
            self.left_out = true;
            return false;
        }
        // The page text writes a block's break as a line break (where a pattern may stop); a
        // remnant's text reads as one run of words, as the reader's eye takes it.
        for text in [Some(&mut remnant.text), remnant.author_name.as_mut()]
            .into_iter()
            .flatten()
        {
            if text.contains('\n') {
                *text = text.replace('\n', " ");
            }
        }
        self.items.push((range, remnant));
        true
    }
}

/// An HTML character reference or basic named entity.
static CHAR_REF: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"&(?:#[xX](?P<hex>[0-9A-Fa-f]{1,6})|#(?P<dec>[0-9]{1,7})|(?P<named>amp|quot|apos|lt|gt|nbsp));",
    )
});

/// Compile a remnant pattern (a constant of a platform module; each module's tests compile
/// every one of its patterns).
pub fn regex(pattern: &str) -> Regex {
    match Regex::new(pattern) {
        Ok(re) => re,
        Err(e) => panic!("remnant pattern does not compile: {e}"),
    }
}

/// An author name as a reader would see it. Text that still carries the embed code's escapes
/// (the `&mdash;` form) carries them in the name too (`Olivier V&#xE9;ran`): decode character
/// references and the basic named entities.
pub fn clean_name(raw: &str) -> Option<String> {
    let decoded = CHAR_REF.replace_all(raw.trim(), |c: &regex::Captures<'_>| {
        let code = match (c.name("hex"), c.name("dec"), c.name("named")) {
            (Some(h), _, _) => u32::from_str_radix(h.as_str(), 16).ok(),
            (_, Some(d), _) => d.as_str().parse().ok(),
            (_, _, Some(n)) => match n.as_str() {
                "amp" => Some(u32::from('&')),
                "quot" => Some(u32::from('"')),
                "apos" => Some(u32::from('\'')),
                "lt" => Some(u32::from('<')),
                "gt" => Some(u32::from('>')),
                "nbsp" => Some(u32::from(' ')),
                _ => None,
            },
            _ => None,
        };
        code.and_then(char::from_u32)
            .map_or_else(|| c[0].to_owned(), |ch| ch.to_string())
    });
    let name = decoded.trim();
    (!name.is_empty()).then(|| name.to_owned())
}

/// Whether `text` may hold a match of a pattern written with `(?i)` whose every match contains
/// one of `literals` (ASCII, matched ASCII case-insensitively): a cheap test that spares
/// compiling and running the pattern on text that cannot match. Unicode case folding also maps
/// `ſ` to `s` and `K` (Kelvin) to `k`, so text holding either always passes.
pub fn may_hold(text: &str, literals: &Literals) -> bool {
    // The two letters are searched as their UTF-8 bytes: a search for a set of `char`s decodes
    // every character of the text.
    literals.0.is_match(text.as_bytes())
        || memchr::memmem::find(text.as_bytes(), "\u{17F}".as_bytes()).is_some()
        || memchr::memmem::find(text.as_bytes(), "\u{212A}".as_bytes()).is_some()
}

/// ASCII words searched ASCII case-insensitively, for [`may_hold`].
///
/// A byte regex of the alternation (`(?i-u)a|b`), not an Aho-Corasick automaton: the automaton
/// has no vectorised search once it ignores case and walks the text a byte at a time, while the
/// regex searches for the words' case variants with SIMD; over the page texts of the corpus it
/// took a fifth to an eighth of the time.
pub struct Literals(regex::bytes::Regex);

/// [`Literals`] of `words`.
pub fn literals(words: &[&str]) -> Literals {
    let alternation: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
    let pattern = format!("(?i-u:{})", alternation.join("|"));
    Literals(
        regex::bytes::Regex::new(&pattern)
            .unwrap_or_else(|e| panic!("remnant literals {words:?}: {e}")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_ref_compiles() {
        assert!(!CHAR_REF.as_str().is_empty());
    }

    #[test]
    fn names_are_decoded() {
        assert_eq!(
            clean_name(" Olivier V&#xE9;ran ").as_deref(),
            Some("Olivier Véran")
        );
        assert_eq!(clean_name(" "), None);
    }

    #[test]
    fn folding_letters_always_pass() {
        let l = literals(&["shared by"]);
        assert!(may_hold("A post SHARED BY x", &l));
        assert!(may_hold("a ſhared by", &l));
        assert!(!may_hold("nothing here", &l));
    }
}
