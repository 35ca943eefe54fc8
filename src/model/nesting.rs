//! What nesting will cost the HTML parser, estimated over bytes before it sees the markup.
//!
//! Why: at the start tag of a block (a `<div>`, `<blockquote>`, `<p>`, `<li>` …) html5ever
//! looks through its stack of open elements for a `<p>` to close ("in button scope"), so `n`
//! blocks nested in each other cost in the order of `n²`: a 1 MB platform page of 200,000
//! nested `<div>` kept a worker busy for minutes, long after its download's timeout. Nested
//! inline elements cost nothing of the kind (100,000 nested `<span>` parse in milliseconds),
//! and real pages nest a few hundred deep at most, so what is estimated is the sum, over the
//! block start tags, of the depth each opens at.

use memchr::memchr;

/// The most open elements the parser's searches at block start tags may look through in all
/// (by [`too_deep`]'s estimate) for markup to be parsed: about a tenth of a second of them.
/// A page of 20,000 blocks, each opened 100 deep, would use a fifteenth of it.
pub const MAX_SCOPE_SEARCH: usize = 30_000_000;

/// Elements without content: their start tag opens nothing.
const VOID: &[&[u8]] = &[
    b"area",
    b"base",
    b"br",
    b"col",
    b"embed",
    b"hr",
    b"img",
    b"input",
    b"link",
    b"meta",
    b"param",
    b"source",
    b"track",
    b"wbr",
    b"basefont",
    b"bgsound",
    b"frame",
    b"keygen",
    b"image",
];

/// Elements whose end tag may be left out (the parser closes them when the next one opens):
/// pages that never close them do not nest them, so they are not counted.
const OPTIONAL_END: &[&[u8]] = &[
    b"p",
    b"li",
    b"dt",
    b"dd",
    b"option",
    b"optgroup",
    b"tr",
    b"td",
    b"th",
    b"thead",
    b"tbody",
    b"tfoot",
    b"colgroup",
    b"caption",
    b"rb",
    b"rt",
    b"rtc",
    b"rp",
    b"html",
    b"head",
    b"body",
];

/// Start tags at which the parser looks for a `<p>` to close (or, for `li`, `dd` and `dt`,
/// for an open item) through its stack of open elements.
const BLOCK: &[&[u8]] = &[
    b"address",
    b"article",
    b"aside",
    b"blockquote",
    b"center",
    b"details",
    b"dialog",
    b"dir",
    b"div",
    b"dl",
    b"fieldset",
    b"figcaption",
    b"figure",
    b"footer",
    b"header",
    b"hgroup",
    b"main",
    b"menu",
    b"nav",
    b"ol",
    b"p",
    b"search",
    b"section",
    b"summary",
    b"ul",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"pre",
    b"listing",
    b"form",
    b"li",
    b"dd",
    b"dt",
    b"plaintext",
    b"table",
    b"hr",
    b"xmp",
];

/// Elements whose content is raw text, skipped to their end tag (markup inside a script's
/// strings opens nothing).
const RAW_TEXT: &[&[u8]] = &[b"script", b"style", b"textarea", b"title", b"xmp"];

/// The offset of the block start tag at which the parser's searches through its open elements
/// would pass `max` in all, if they would: start tags of elements with content open one level,
/// end tags close one, and each block start tag adds the depth it opens at. Comments and raw
/// text are passed over. Linear in `html`.
pub fn too_deep(html: &str, max: usize) -> Option<usize> {
    let b = html.as_bytes();
    let mut depth = 0usize;
    let mut searched = 0usize;
    let mut pos = 0;
    while let Some(off) = memchr(b'<', &b[pos..]) {
        let lt = pos + off;
        pos = lt + 1;
        if b[pos..].starts_with(b"!--") {
            pos = memchr::memmem::find(&b[pos..], b"-->").map_or(b.len(), |e| pos + e + 3);
            continue;
        }
        let closing = b.get(pos) == Some(&b'/');
        let name_start = if closing { pos + 1 } else { pos };
        let name_end = b[name_start..]
            .iter()
            .position(|c| !c.is_ascii_alphanumeric() && *c != b'-' && *c != b':')
            .map_or(b.len(), |n| name_start + n);
        let name = &b[name_start..name_end];
        if name.is_empty() || !name[0].is_ascii_alphabetic() {
            continue;
        }
        let is = |list: &[&[u8]]| list.iter().any(|n| name.eq_ignore_ascii_case(n));
        if !closing && is(BLOCK) {
            searched = searched.saturating_add(depth);
            if searched > max {
                return Some(lt);
            }
        }
        if is(VOID) || is(OPTIONAL_END) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
            continue;
        }
        if is(RAW_TEXT) {
            let end_tag = [b"</".as_slice(), name].concat();
            pos = super::start_tag::find_ascii_ci(&b[name_end..], &end_tag)
                .map_or(b.len(), |e| name_end + e);
            continue;
        }
        depth += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_start_tags_add_the_depth_they_open_at() {
        // Ten nested divs: the k-th opens at depth k - 1, 45 in all.
        let deep = format!("{}x{}", "<div>".repeat(10), "</div>".repeat(10));
        assert_eq!(too_deep(&deep, 45), None);
        assert_eq!(too_deep(&deep, 44), Some(45));
        // Inline elements nest at no search of their own; a block inside them opens deep.
        let inline = "<span>".repeat(100_000);
        assert_eq!(too_deep(&inline, 0), None);
        assert_eq!(too_deep(&format!("{inline}<div>"), 99_999), Some(600_000));
        // Siblings do not nest; void elements and elements whose end tag may be left out open
        // no level (their start tags still search, at the depth they stand at).
        let flat = "<div>a</div><br><img src=x><p>b<li>c<td>d".repeat(1_000);
        assert_eq!(too_deep(&flat, 0), None);
        // Markup in comments, scripts and styles opens nothing, in any case.
        let hidden = format!(
            "<!--{}--><SCRIPT>'{}'</script><style>{}</STYLE><div><div></div></div>",
            "<div>".repeat(100),
            "<div>".repeat(100),
            "<div>".repeat(100)
        );
        assert_eq!(too_deep(&hidden, 1), None);
        // Namespaced and custom element names open a level like any other.
        assert_eq!(too_deep("<fb:post><my-card><x><p>", 2), Some(21));
    }

    /// 200,000 nested `<div>` (the page that kept a worker busy for minutes) are refused
    /// within their first few thousand.
    #[test]
    fn a_page_of_blocks_nested_without_end_is_refused_early() {
        let page = format!("<html><body>{}", "<div>".repeat(200_000));
        let at = too_deep(&page, MAX_SCOPE_SEARCH).expect("refused");
        assert!(at < 12 + 5 * 8_000, "{at}");
    }

    /// Real platform pages of the samples nest far less than the limit.
    #[test]
    fn real_platform_pages_are_well_within_the_limit() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/samples");
        let mut read = 0;
        for platform in std::fs::read_dir(&root).expect("samples") {
            let dir = platform.expect("entry").path();
            if !dir.is_dir() {
                continue;
            }
            for file in std::fs::read_dir(&dir).expect("platform dir") {
                let path = file.expect("entry").path();
                if path.extension().is_some_and(|e| e == "html") {
                    let html =
                        String::from_utf8_lossy(&std::fs::read(&path).expect("read")).into_owned();
                    assert_eq!(
                        too_deep(&html, MAX_SCOPE_SEARCH / 10),
                        None,
                        "{}",
                        path.display()
                    );
                    read += 1;
                }
            }
        }
        assert!(read > 50, "{read} pages read");
    }
}
