//! Character references (`&lt;`, `&quot;`, `&#8217;` …) decoded exactly as
//! `html_escape::decode_html_entities` decodes them, faster where pages spend their references.
//!
//! html_escape finds a named reference by a binary search over the whole HTML5 table, about a
//! dozen string comparisons per reference; pages that keep JSON or markup in attributes hold
//! tens of thousands of `&quot;` and `&lt;`, and one such page spent three quarters of its
//! discovery there. Here the names pages use most, and every numeric reference, are decoded
//! directly; any other reference is handed to html_escape.
//!
//! Why the result is html_escape's own: html_escape reads a reference from its `&` up to the
//! first `;`, and gives up on it at the next `&`. So the text splits at every `&` into pieces
//! that decode independently: a piece is decoded here only when it opens with a reference
//! html_escape would decode to the same characters, and handed to html_escape otherwise.
//! `tests::agrees_with_html_escape` holds the two to the same output.

use std::borrow::Cow;

use memchr::memchr;

/// Decode the character references of `text`.
pub(crate) fn decode(text: &str) -> Cow<'_, str> {
    let Some(first) = memchr(b'&', text.as_bytes()) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    decode_from(text, first, &mut out);
    Cow::Owned(out)
}

/// [`decode`] into `scratch` (cleared first) when `text` holds a reference; `text` itself
/// otherwise. For a caller decoding many pieces, one buffer serves them all.
pub(crate) fn decode_with<'a>(text: &'a str, scratch: &'a mut String) -> &'a str {
    let Some(first) = memchr(b'&', text.as_bytes()) else {
        return text;
    };
    scratch.clear();
    decode_from(text, first, scratch);
    scratch
}

/// Append `text` decoded to `out`; `first` is the offset of its first `&`.
fn decode_from(text: &str, first: usize, out: &mut String) {
    let bytes = text.as_bytes();
    out.push_str(&text[..first]);
    let mut at = first;
    while at < bytes.len() {
        // One piece: an `&` and the text up to the next `&`.
        let end = memchr(b'&', &bytes[at + 1..]).map_or(bytes.len(), |o| at + 1 + o);
        let piece = &text[at..end];
        match reference(piece.as_bytes()) {
            Some((len, decoded)) => {
                decoded.push_to(out);
                // `len` ends at the reference's `;`, an ASCII byte: a character boundary.
                out.push_str(&piece[len..]);
            }
            None => {
                html_escape::decode_html_entities_to_string(piece, out);
            }
        }
        at = end;
    }
}

/// Push what the reference opening `piece` (at its `&`) stands for onto `out`, when it is one
/// decoded here and an HTML parser reads it the same way, in text and in attribute values
/// alike: a name or number closed by its `;`, and no number the parser maps elsewhere (C1
/// controls, which it reads as windows-1252). Its length up to and including the `;`; `None`
/// (and nothing pushed) for any other.
pub(crate) fn push_parser_reference(piece: &[u8], out: &mut String) -> Option<usize> {
    let (len, decoded) = reference(piece)?;
    if let Decoded::Char('\u{80}'..='\u{9F}') = decoded {
        return None;
    }
    decoded.push_to(out);
    Some(len)
}

/// What a reference stands for.
enum Decoded {
    Str(&'static str),
    Char(char),
}

impl Decoded {
    fn push_to(self, out: &mut String) {
        match self {
            Decoded::Str(s) => out.push_str(s),
            Decoded::Char(c) => out.push(c),
        }
    }
}

/// The longest name or number read here (`&#1114111;` is the longest useful numeric reference).
const MAX_LEN: usize = 12;

/// The reference that opens `piece` (which starts with `&`), when it is one decoded here: its
/// length up to and including the `;`, and what it stands for. `None` leaves the piece to
/// html_escape: an unknown name, no `;` close by, or anything else.
fn reference(piece: &[u8]) -> Option<(usize, Decoded)> {
    let window = &piece[1..piece.len().min(MAX_LEN + 2)];
    let semi = memchr(b';', window)?;
    let name = &window[..semi];
    let len = semi + 2;
    let decoded = match name {
        [b'#', b'x' | b'X', hex @ ..] => Decoded::Char(numeric(hex, 16)?),
        [b'#', digits @ ..] => Decoded::Char(numeric(digits, 10)?),
        b"quot" => Decoded::Str("\""),
        b"amp" => Decoded::Str("&"),
        b"lt" => Decoded::Str("<"),
        b"gt" => Decoded::Str(">"),
        b"apos" => Decoded::Str("'"),
        b"nbsp" => Decoded::Str("\u{A0}"),
        b"mdash" => Decoded::Str("\u{2014}"),
        b"ndash" => Decoded::Str("\u{2013}"),
        b"hellip" => Decoded::Str("\u{2026}"),
        b"rsquo" => Decoded::Str("\u{2019}"),
        b"lsquo" => Decoded::Str("\u{2018}"),
        b"rdquo" => Decoded::Str("\u{201D}"),
        b"ldquo" => Decoded::Str("\u{201C}"),
        _ => return None,
    };
    Some((len, decoded))
}

/// A numeric reference's character, as html_escape reads it: digits only, a Unicode scalar
/// value, and no C0 control but the four ASCII whitespace ones. `None` for anything else,
/// which html_escape then leaves as it is.
fn numeric(digits: &[u8], radix: u32) -> Option<char> {
    let first = *digits.first()?;
    let digit_ok = if radix == 16 {
        first.is_ascii_hexdigit()
    } else {
        first.is_ascii_digit()
    };
    if !digit_ok {
        return None;
    }
    let digits = std::str::from_utf8(digits).ok()?;
    let number = u32::from_str_radix(digits, radix).ok()?;
    let c = char::from_u32(number)?;
    match c {
        '\t' | '\n' | '\u{000C}' | '\r' => Some(c),
        '\0'..='\u{001F}' => None,
        _ => Some(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn same(text: &str) {
        assert_eq!(
            decode(text),
            html_escape::decode_html_entities(text),
            "decoding {text:?}"
        );
    }

    #[test]
    fn common_references_are_decoded() {
        assert_eq!(
            decode("&lt;a href=&quot;x&amp;y&quot;&gt;&#64;&#x27;&nbsp;&mdash;"),
            "<a href=\"x&y\">@'\u{A0}\u{2014}"
        );
        assert!(matches!(decode("plain"), Cow::Borrowed(_)));
        assert_eq!(
            decode("&lt;a href=&quot;x&amp;y&quot;&gt;&#64;"),
            "<a href=\"x&y\">@"
        );
    }

    #[test]
    fn agrees_with_html_escape_on_edge_cases() {
        for text in [
            "&",
            "&&",
            "&;",
            "&#;",
            "&#x;",
            "&#X41;",
            "&#65",
            "&#0;",
            "&#9;",
            "&#31;",
            "&#127;",
            "&#xD800;",
            "&#x110000;",
            "&#4294967296;",
            "&#+65;",
            "&#x+41;",
            "&#-1;",
            "&amp",
            "&amp&lt;",
            "&lt&gt;",
            "&LT;",
            "&Amp;",
            "&copy;",
            "&notin;",
            "&nbsp &nbsp;",
            "a & b; c",
            "&quot;&quot",
            "&#00065;",
            "&#x0041;",
            "&#1114111;",
            "&#11141110;",
            "&AElig;",
            "&unknown;",
            "&ampx;",
            "x&#x1F600;y",
            "&#65;&#66;",
            "é&eacute;é",
            "&#xé;",
            "&é;",
            "&lt;é",
            "&verylongnamethatisnotareference;",
        ] {
            same(text);
        }
    }

    /// Every page of the corpus, decoded whole: real pages hold every kind of `&`.
    #[test]
    fn agrees_with_html_escape_on_the_corpus() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/articles");
        let mut pages = 0;
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let bytes = std::fs::read(entry.path()).unwrap();
            same(&String::from_utf8_lossy(&bytes));
            pages += 1;
        }
        assert!(pages > 100, "{pages} pages in {}", dir.display());
    }

    proptest! {
        #[test]
        fn agrees_with_html_escape(text in "([a-z0-9 é;#xX&]|&lt;|&quot;|&amp;|&#[0-9]{1,8};|&#x[0-9a-fA-F]{1,7};|&[a-zA-Z]{1,8};){0,40}") {
            prop_assert_eq!(decode(&text), html_escape::decode_html_entities(&text));
            let mut scratch = String::from("left over");
            prop_assert_eq!(decode_with(&text, &mut scratch), html_escape::decode_html_entities(&text));
        }
    }
}
