//! Decoding of embed markup that a page keeps out of its DOM: HTML-escaped inside attributes
//! (consent tools, deferred loaders), raw text inside `<textarea>`, or string literals inside
//! scripts and JSON (`\"`, `\/`, `\u003c`, `\x3c` escapes). The decoded text is scanned again
//! like a page, with the hidden location attached to whatever it holds.
//!
//! Decoding never allocates more than a small multiple of its input and never recurses.

/// Whether text still carries JavaScript/JSON string escapes around markup.
pub(crate) fn looks_js_escaped(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memmem::find(b, b"\\\"").is_some()
        || memchr::memmem::find(b, b"\\/").is_some()
        || crate::discover::tag::find_ci(b, b"\\u003c", 0).is_some()
        || crate::discover::tag::find_ci(b, b"\\x3c", 0).is_some()
}

fn hex_value(digits: &[u8]) -> Option<u32> {
    let s = std::str::from_utf8(digits).ok()?;
    u32::from_str_radix(s, 16).ok()
}

/// Undo JavaScript/JSON string escapes over a whole text (the quotes around literals stay, which
/// is harmless for the HTML scan that follows). Unknown escapes keep the escaped character;
/// lone surrogates become U+FFFD.
pub(crate) fn unescape_js(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let Some(off) = memchr::memchr(b'\\', &b[i..]) else {
            out.push_str(&text[i..]);
            break;
        };
        let at = i + off;
        out.push_str(&text[i..at]);
        let Some(&next) = b.get(at + 1) else {
            out.push('\\');
            break;
        };
        i = at + 2;
        match next {
            b'n' => out.push('\n'),
            b'r' => out.push('\r'),
            b't' => out.push('\t'),
            b'b' | b'f' | b'v' | b'0' => out.push(' '),
            b'x' => match b.get(at + 2..at + 4).and_then(hex_value) {
                Some(v) => {
                    out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                    i = at + 4;
                }
                None => out.push('x'),
            },
            b'u' => match b.get(at + 2..at + 6).and_then(hex_value) {
                Some(hi @ 0xD800..=0xDBFF) => {
                    // A surrogate pair is two `\uXXXX` escapes in a row.
                    let lo = (b.get(at + 6) == Some(&b'\\') && b.get(at + 7) == Some(&b'u'))
                        .then(|| b.get(at + 8..at + 12).and_then(hex_value))
                        .flatten()
                        .filter(|lo| (0xDC00..=0xDFFF).contains(lo));
                    match lo {
                        Some(lo) => {
                            let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                            out.push(char::from_u32(c).unwrap_or('\u{fffd}'));
                            i = at + 12;
                        }
                        None => {
                            out.push('\u{fffd}');
                            i = at + 6;
                        }
                    }
                }
                Some(v) => {
                    out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                    i = at + 6;
                }
                None => out.push('u'),
            },
            _ => {
                // `\"`, `\'`, `\/`, `\\` and any other escaped character stand for themselves.
                let ch_len = text[at + 1..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&text[at + 1..at + 1 + ch_len]);
                i = at + 1 + ch_len;
            }
        }
    }
    out
}

/// Decode JS escapes repeatedly (JSON inside a JS string is escaped twice), at most `rounds` times.
pub(crate) fn unescape_js_deep(text: &str, rounds: usize) -> String {
    let mut current = unescape_js(text);
    for _ in 1..rounds {
        if !looks_js_escaped(&current) {
            break;
        }
        current = unescape_js(&current);
    }
    current
}

/// The most bytes of base64 text decoded as hidden markup: a blocked player or post is a few
/// KiB; a longer run is an image or a font.
const MAX_BASE64: usize = 256 * 1024;

/// Markup hidden as base64 text, as a consent tool keeps a blocked embed until the reader
/// agrees (Borlabs Cookie writes `base64_encode` of the iframe or blockquote into the page):
/// the decoded text when all of `text` (trimmed) is base64 of UTF-8 holding a `<`. Anything
/// else, and anything longer than [`MAX_BASE64`], is left alone.
pub(crate) fn decode_base64_markup(text: &str) -> Option<String> {
    use base64::Engine;
    let text = text.trim();
    let plausible = (16..=MAX_BASE64).contains(&text.len())
        && text.len().is_multiple_of(4)
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
    if !plausible {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text)
        .ok()?;
    let decoded = String::from_utf8(bytes).ok()?;
    decoded.contains('<').then_some(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_is_read_only_when_it_is_all_base64_of_markup() {
        assert_eq!(
            decode_base64_markup(" PGlmcmFtZSBzcmM9Ii8veCI+PC9pZnJhbWU+ ").as_deref(),
            Some(r#"<iframe src="//x"></iframe>"#)
        );
        for text in [
            // Code, prose, base64 of text without a tag, of bytes that are not UTF-8, cut short.
            "var x = 1; // PGlmcmFtZT4=",
            "Nothing to decode here at all",
            "anVzdCBzb21lIHdvcmRzIHdpdGhvdXQgYSB0YWc=",
            "//79/g==//79/g==//79/g==",
            "PGlmcmFtZSBzcmM9Ii8veCI+PC9pZnJhbWU",
            "PGE+",
        ] {
            assert_eq!(decode_base64_markup(text), None, "{text}");
        }
        let long = "PGE+".repeat(MAX_BASE64 / 4 + 1);
        assert_eq!(decode_base64_markup(&long), None);
    }

    #[test]
    fn unescapes_js_forms() {
        let cases = [
            (
                r#"<a href=\"https:\/\/x.com\/a\">"#,
                r#"<a href="https://x.com/a">"#,
            ),
            (r"\u003Cblockquote\u003E", "<blockquote>"),
            (r"\x3cp\x3e", "<p>"),
            (r"a\nb\tc", "a\nb\tc"),
            (r"\ud83c\uddeb\ud83c\uddf7", "🇫🇷"),
            (r"\ud83c!", "\u{fffd}!"),
            (r"\u00", "u00"),
            (r"trailing\", "trailing\\"),
            (r"\é", "é"),
        ];
        for (input, want) in cases {
            assert_eq!(unescape_js(input), want, "{input}");
        }
    }

    #[test]
    fn deep_unescape_stops_when_clean() {
        assert_eq!(unescape_js_deep(r#"\\\"x\\\""#, 3), r#""x""#);
        assert_eq!(unescape_js_deep(r"a\\b", 3), r"a\b");
    }
}
