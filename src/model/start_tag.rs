//! The HTML tokenizer's reading of one start tag, over bytes: its name, its attributes (quoted
//! and unquoted values, `>` inside quotes) and where it ends, with no tree built. `discover`
//! reads embed forms with it; anything that hands markup to the HTML parser first asks
//! [`crowded`] of it.
//!
//! Why [`crowded`]: html5ever compares each attribute of a tag with every earlier one (it drops
//! duplicates), so one tag of 100,000 attributes in an 900 KB page costs billions of
//! comparisons. No real tag has more than a few dozen.

/// The most attributes a tag may have for its markup to be parsed.
pub const MAX_ATTRIBUTES: usize = 512;

/// Where a start tag's parts lie in the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lexed {
    /// Offset just past the tag name.
    pub name_end: usize,
    /// Offset just past the closing `>` (or the end of input when it never closes).
    pub end: usize,
    /// Whether the tag ends with its own `>`.
    pub closed: bool,
}

/// Whitespace between a tag's parts, as the HTML tokenizer has it.
pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

/// Read the start tag whose `<` is at `lt`, handing each attribute's raw name and raw value
/// (empty for a bare attribute) to `attr` in order; `attr` returns false to stop reading (the
/// tag is then reported unclosed, ending where reading stopped). `None` when no tag name follows
/// the `<` (text, end tags, comments, doctypes).
pub fn lex<'h>(
    html: &'h [u8],
    lt: usize,
    mut attr: impl FnMut(&'h [u8], &'h [u8]) -> bool,
) -> Option<Lexed> {
    if html.get(lt) != Some(&b'<') || !html.get(lt + 1)?.is_ascii_alphabetic() {
        return None;
    }
    let mut i = lt + 1;
    while i < html.len() && !is_space(html[i]) && html[i] != b'/' && html[i] != b'>' {
        i += 1;
    }
    let name_end = i;
    loop {
        while i < html.len() && (is_space(html[i]) || html[i] == b'/') {
            i += 1;
        }
        match html.get(i) {
            None => {
                return Some(Lexed {
                    name_end,
                    end: html.len(),
                    closed: false,
                });
            }
            Some(b'>') => {
                return Some(Lexed {
                    name_end,
                    end: i + 1,
                    closed: true,
                });
            }
            Some(_) => {}
        }
        // The attribute name runs to whitespace, `/`, `>` or `=` (a leading `=` belongs to it).
        let name_start = i;
        i += 1;
        while i < html.len() && !is_space(html[i]) && !matches!(html[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let name = &html[name_start..i];
        let mut j = i;
        while j < html.len() && is_space(html[j]) {
            j += 1;
        }
        if html.get(j) != Some(&b'=') {
            if !attr(name, &html[i..i]) {
                return Some(Lexed {
                    name_end,
                    end: i,
                    closed: false,
                });
            }
            continue;
        }
        j += 1;
        while j < html.len() && is_space(html[j]) {
            j += 1;
        }
        let (value, next) = value_at(html, j);
        if !attr(name, value) {
            return Some(Lexed {
                name_end,
                end: next,
                closed: false,
            });
        }
        i = next;
    }
}

/// The attribute value that starts at `at` (the first byte after `=` and any whitespace), raw,
/// and the offset just past it: quoted up to the same quote (or the end of input), else up to
/// whitespace or `>`.
pub fn value_at(html: &[u8], at: usize) -> (&[u8], usize) {
    match html.get(at) {
        Some(&q @ (b'"' | b'\'')) => match memchr::memchr(q, &html[at + 1..]) {
            Some(len) => (&html[at + 1..at + 1 + len], at + len + 2),
            None => (&html[(at + 1).min(html.len())..], html.len()),
        },
        _ => {
            let mut k = at.min(html.len());
            while k < html.len() && !is_space(html[k]) && html[k] != b'>' {
                k += 1;
            }
            (&html[at.min(html.len())..k], k)
        }
    }
}

/// The offset of the first start tag in `html` with more than [`MAX_ATTRIBUTES`] attributes,
/// if any: markup not to hand to the HTML parser. Linear in `html`.
pub fn crowded(html: &str) -> Option<usize> {
    let b = html.as_bytes();
    let mut pos = 0;
    while let Some(off) = memchr::memchr(b'<', &b[pos..]) {
        let lt = pos + off;
        let mut count = 0usize;
        pos = match lex(b, lt, |_, _| {
            count += 1;
            count <= MAX_ATTRIBUTES
        }) {
            Some(_) if count > MAX_ATTRIBUTES => return Some(lt),
            Some(tag) => tag.end.max(lt + 1),
            None => lt + 1,
        };
    }
    None
}

/// The first offset of `needle` (lowercase ASCII) in `hay`, ASCII case-insensitively.
pub fn find_ascii_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut from = 0;
    while let Some(off) = memchr::memchr2(first, first.to_ascii_uppercase(), &hay[from..]) {
        let at = from + off;
        if hay
            .get(at..at + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
        {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Markup the guard in front of the parser refused, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Unparsed {
    /// A tag [`crowded`] with attributes.
    #[error("the tag at byte {at} has more than {MAX_ATTRIBUTES} attributes")]
    Crowded { at: usize },
    /// Blocks nested so deep that the parser's searches of its open elements would pass
    /// [`MAX_SCOPE_SEARCH`](super::nesting::MAX_SCOPE_SEARCH).
    #[error("its blocks nest too deep for the HTML parser (at byte {at})")]
    TooDeep { at: usize },
}

/// `parse(html)`, unless a tag in `html` is [`crowded`] or its blocks nest too deep
/// ([`nesting::too_deep`](super::nesting::too_deep)): the one guard in front of the HTML parser,
/// whose cost grows with the square of either. The caller says, with the input's name, what it
/// did instead.
pub fn parse_guarded<T>(html: &str, parse: impl FnOnce(&str) -> T) -> Result<T, Unparsed> {
    if let Some(at) = super::nesting::too_deep(html, super::nesting::MAX_SCOPE_SEARCH) {
        return Err(Unparsed::TooDeep { at });
    }
    parse_unless_crowded(html, parse)
}

/// [`parse_guarded`] without the nesting estimate, for markup whose depth the caller has
/// bounded already (discovery cuts each region it parses at 256 levels, far below what the
/// estimate refuses), so that the bytes are not read twice.
pub fn parse_unless_crowded<T>(html: &str, parse: impl FnOnce(&str) -> T) -> Result<T, Unparsed> {
    match crowded(html) {
        Some(at) => Err(Unparsed::Crowded { at }),
        None => Ok(parse(html)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_read_as_the_tokenizer_reads_them() {
        let html = br#"<iframe src="a>b" data-x='1' bare w=unq/ >rest"#;
        let mut got = Vec::new();
        let tag = lex(html, 0, |n, v| {
            got.push((
                String::from_utf8_lossy(n).into_owned(),
                String::from_utf8_lossy(v).into_owned(),
            ));
            true
        })
        .unwrap();
        assert_eq!(
            got,
            [
                ("src".into(), "a>b".into()),
                ("data-x".into(), "1".into()),
                ("bare".into(), String::new()),
                ("w".into(), "unq/".into()),
            ]
        );
        assert_eq!((tag.name_end, tag.closed), (7, true));
        assert_eq!(&html[tag.end..], b"rest");
        assert_eq!(lex(b"</p>", 0, |_, _| true), None);
        assert_eq!(lex(b"< p>", 0, |_, _| true), None);
    }

    #[test]
    fn a_tag_of_too_many_attributes_is_crowded() {
        let many = |n: usize| {
            let attrs: Vec<String> = (0..n).map(|i| format!("a{i}=\"{i}\"")).collect();
            format!("<p>text</p><div {}>x</div>", attrs.join(" "))
        };
        assert_eq!(crowded(&many(MAX_ATTRIBUTES)), None);
        assert_eq!(crowded(&many(MAX_ATTRIBUTES + 1)), Some(11));
        // Bare attributes and attributes run together count too.
        let bare = format!("<b {}>", "x ".repeat(MAX_ATTRIBUTES + 1));
        assert_eq!(crowded(&bare), Some(0));
        let joined = format!("<b {}>", "a=\"1\"".repeat(MAX_ATTRIBUTES + 1));
        assert!(crowded(&joined).is_some());
        // `<` in text and attribute values is no tag.
        assert_eq!(crowded("a < b <p title='<x y z>'> 3<4"), None);
    }
}
