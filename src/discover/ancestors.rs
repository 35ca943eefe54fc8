//! The elements a place in a page lies inside, read backwards from it over a bounded stretch of
//! markup, without parsing the page: an end tag met on the way closes an element whose start tag
//! is then passed over; a start tag met with nothing left to close is an ancestor. Void elements
//! (`<img>`, `<br>` …) hold nothing, and elements whose end tag may be left out (`<p>`, `<li>` …)
//! are never reported when met unclosed: the bytes alone do not say whether what followed closed
//! them (`<li>one<li>two`). What it cannot see: a `<` inside a script or a comment
//! among the bytes read may be taken for a tag, and an ancestor further back than the stretch is
//! not found. Its callers ask only about what makes a found form less likely an embed, so a miss
//! leaves the form as it was.

use super::tag::{StartTag, read_start_tag};

/// Elements whose end tag a page may leave out: met unclosed, they may have been closed by what
/// followed.
const OPTIONAL_END: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "rb",
    "rt", "rp", "colgroup", "caption",
];

/// Elements that never hold anything.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// The most end tags waiting for their start tags while reading back: deeper than this, the
/// stretch is a page's nesting gone wrong, and nothing more is said.
const MAX_OPEN: usize = 64;

/// The start tags of the elements the byte at `at` lies inside, nearest first: at most `max` of
/// them, read from the `max_back` bytes before `at`.
pub(crate) fn nearest(html: &[u8], at: usize, max_back: usize, max: usize) -> Vec<StartTag<'_>> {
    let at = at.min(html.len());
    let floor = at.saturating_sub(max_back);
    let mut closed: Vec<&[u8]> = Vec::new();
    let mut found = Vec::new();
    // Each tag is read only up to the `<` read before it (a `<` in an attribute's value leaves
    // its tag unread), so that no byte of the stretch is read twice.
    let mut next_lt = at;
    for lt in memchr::memrchr_iter(b'<', &html[floor..at]).map(|o| floor + o) {
        if found.len() >= max {
            break;
        }
        let bound = std::mem::replace(&mut next_lt, lt);
        match html.get(lt + 1) {
            Some(b'/') => {
                let name = tag_name(&html[lt + 2..]);
                if name.is_empty() || closed.len() >= MAX_OPEN {
                    return found;
                }
                closed.push(name);
            }
            Some(b) if b.is_ascii_alphabetic() => {
                let Some(tag) = read_start_tag(&html[..bound], lt) else {
                    continue;
                };
                if !tag.closed || VOID.contains(&&*tag.name) {
                    continue;
                }
                match closed
                    .iter()
                    .rposition(|n| n.eq_ignore_ascii_case(tag.name.as_bytes()))
                {
                    // It closed before `at`, with whatever opened inside it.
                    Some(i) => closed.truncate(i),
                    None if OPTIONAL_END.contains(&&*tag.name) => {}
                    None => found.push(tag),
                }
            }
            _ => {}
        }
    }
    found
}

/// The name of an end tag, from the byte after its `</`.
fn tag_name(rest: &[u8]) -> &[u8] {
    let len = rest
        .iter()
        .position(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'))
        .unwrap_or(rest.len());
    &rest[..len]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(html: &str, at_marker: &str) -> Vec<String> {
        let at = html.find(at_marker).expect("marker");
        nearest(html.as_bytes(), at, 4096, 8)
            .into_iter()
            .map(|t| t.name.into_owned())
            .collect()
    }

    #[test]
    fn ancestors_are_the_start_tags_left_open() {
        let html = r#"<body><main><div class="a"><p>x</p><img src=i><ul><li>1</li></ul><br/><section><p>y<span>z</span><b>HERE"#;
        assert_eq!(names(html, "HERE"), ["b", "section", "div", "main", "body"]);
    }

    #[test]
    fn unclosed_optional_end_elements_are_siblings() {
        let html = "<div><ul><li>one<li>two</ul><p>para<p>HERE";
        assert_eq!(names(html, "HERE"), ["div"]);
    }

    #[test]
    fn the_reading_is_bounded() {
        let html = format!("<aside>{}<em>HERE", "<i>x</i>".repeat(2000));
        assert_eq!(names(&html, "HERE"), ["em"]);
        assert_eq!(nearest(html.as_bytes(), html.len(), 4096, 1).len(), 1);
    }
}
