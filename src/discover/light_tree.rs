//! A region of plain, well-nested markup built into a tree without the parser, as html5ever
//! would build it. The regions the scan reads are mostly the embed codes the platforms write
//! (a blockquote of paragraphs, links, divs and an SVG logo), and html5ever's tokenizer and tree
//! builder were the scan's largest cost after the marker search.
//!
//! Only markup whose tree leaves no doubt is built here; anything else returns `None` and the
//! caller parses it, so what the readers see never depends on the way the tree was built:
//! - every tag is one of a list of elements the parser inserts as written (no table, list
//!   item, form, script or other element with rules of its own), closed by its own `>`, with
//!   plain names and at most `MAX_ATTRIBUTES` attributes;
//! - every end tag closes the element opened last, so the parser never closes, reopens or moves
//!   an element on its own; an element that would close an open paragraph (a `<div>` inside a
//!   `<p>`), a link inside a link and a heading inside a heading are left to it;
//! - inside `<svg>`, only SVG shapes and groups, with the attributes logos use (the few whose
//!   names the parser re-cases, `viewBox`, `xlink:href`, `xmlns:xlink`, as it does);
//! - no comment, doctype or processing instruction, no NUL, and no character reference but those
//!   the parser reads as `light::plain_text` does (an `&` that opens no reference is text);
//!   carriage returns are normalised as the parser's input stream does.
//!
//! Elements left open at the end of the region stay open, as the parser leaves them.

use ego_tree::NodeId;
use html5ever::tendril::StrTendril;
use html5ever::{LocalName, Namespace, Prefix, QualName, local_name, ns};
use scraper::node::{Element, Text};
use scraper::{Html, Node};

use super::light::{html_attribute, parser_only, plain_attributes, plain_text};
use super::tag::{StartTag, read_start_tag};

/// Elements of HTML that close an open paragraph when they start (the parser's "close a p
/// element" list, those of it that are built here).
const CLOSES_PARAGRAPH: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "div",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "main",
    "nav",
    "p",
    "section",
    "summary",
];

/// Elements of HTML the parser inserts where they stand and keeps open until their end tag.
const ORDINARY: &[&str] = &[
    "a", "abbr", "audio", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em",
    "font", "i", "ins", "kbd", "label", "mark", "picture", "q", "s", "samp", "small", "span",
    "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "video",
];

/// Elements of HTML that never have content.
const VOID: &[&str] = &["br", "embed", "img", "source", "wbr"];

/// SVG elements built here: shapes and groups, whose names the parser keeps as written.
const SVG_ELEMENTS: &[&str] = &[
    "circle", "defs", "ellipse", "g", "line", "mask", "path", "polygon", "polyline", "rect",
    "stop", "svg", "symbol", "text", "tspan", "use",
];

/// Attributes of SVG elements built here whose names the parser keeps as written (lowercase).
const SVG_ATTRIBUTES: &[&str] = &[
    "aria-hidden",
    "aria-label",
    "class",
    "clip-rule",
    "cx",
    "cy",
    "d",
    "fill",
    "fill-opacity",
    "fill-rule",
    "focusable",
    "height",
    "href",
    "id",
    "opacity",
    "points",
    "r",
    "role",
    "rx",
    "ry",
    "stroke",
    "stroke-dasharray",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-opacity",
    "stroke-width",
    "style",
    "transform",
    "version",
    "width",
    "x",
    "x1",
    "x2",
    "y",
    "y1",
    "y2",
];

/// An open element: its node, its name, and whether it is an SVG element.
struct Open {
    id: NodeId,
    name: LocalName,
    svg: bool,
}

/// The fragment `Html::parse_fragment(markup)` builds, when `markup` is plain and well nested
/// (see the module's doc); `None` otherwise.
pub(crate) fn tree(markup: &str) -> Option<Html> {
    if parser_only() {
        return None;
    }
    let bytes = markup.as_bytes();
    let mut html = Html::new_fragment();
    let root = QualName::new(None, ns!(html), local_name!("html"));
    let root = html
        .tree
        .root_mut()
        .append(Node::Element(Element::new(root, Vec::new())))
        .id();
    let mut open: Vec<Open> = Vec::new();
    let mut text_from = 0;
    let mut pos = 0;
    while let Some(offset) = memchr::memchr(b'<', &bytes[pos..]) {
        let lt = pos + offset;
        let parent = open.last().map_or(root, |o| o.id);
        match bytes.get(lt + 1) {
            Some(b) if b.is_ascii_alphabetic() => {
                append_text(&mut html, parent, &markup[text_from..lt])?;
                let tag = read_start_tag(bytes, lt)?;
                start_tag(&mut html, &mut open, parent, &tag, bytes)?;
                pos = tag.end;
                text_from = pos;
            }
            Some(b'/') => {
                append_text(&mut html, parent, &markup[text_from..lt])?;
                pos = end_tag(&mut open, bytes, lt)?;
                text_from = pos;
            }
            // A comment, doctype or processing instruction.
            Some(b'!' | b'?') => return None,
            // A `<` that opens nothing is text.
            _ => pos = lt + 1,
        }
    }
    let parent = open.last().map_or(root, |o| o.id);
    append_text(&mut html, parent, &markup[text_from..])?;
    Some(html)
}

/// Insert the element `tag` opens below `parent`, and keep it open unless it is void or a
/// self-closing SVG element. `None` when the parser would do anything else with it.
fn start_tag(
    html: &mut Html,
    open: &mut Vec<Open>,
    parent: NodeId,
    tag: &StartTag<'_>,
    bytes: &[u8],
) -> Option<()> {
    let name = &*tag.name;
    let in_svg = open.last().is_some_and(|o| o.svg);
    let is_open = |n: &str| open.iter().any(|o| !o.svg && &*o.name == n);
    let (svg, keep_open) = if in_svg || name == "svg" {
        if !SVG_ELEMENTS.contains(&name) {
            return None;
        }
        (true, !self_closing(tag, bytes))
    } else if CLOSES_PARAGRAPH.contains(&name) {
        if is_open("p") {
            return None;
        }
        (false, true)
    } else if is_heading(name) {
        if is_open("p") || open.last().is_some_and(|o| is_heading(&o.name)) {
            return None;
        }
        (false, true)
    } else if name == "a" {
        if is_open("a") {
            return None;
        }
        (false, true)
    } else if ORDINARY.contains(&name) || is_custom(name) {
        (false, true)
    } else if VOID.contains(&name) {
        (false, false)
    } else {
        return None;
    };
    let attrs = if svg {
        plain_attributes(tag, svg_attribute)?
    } else {
        plain_attributes(tag, |name| Some(html_attribute(name)))?
    };
    let namespace: Namespace = if svg { ns!(svg) } else { ns!(html) };
    let local = LocalName::from(name);
    let qual = QualName::new(None, namespace, local.clone());
    let id = html
        .tree
        .get_mut(parent)?
        .append(Node::Element(Element::new(qual, attrs)))
        .id();
    if keep_open {
        open.push(Open {
            id,
            name: local,
            svg,
        });
    }
    Some(())
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// A custom element's name (`amp-img`, `x-card`): the parser treats it as any other element.
fn is_custom(name: &str) -> bool {
    name.contains('-') && name.starts_with(|c: char| c.is_ascii_lowercase())
}

/// Whether a tag ends with `/>` that is no part of an unquoted attribute value (the parser
/// reads `<path d=x/>` as a value `x/`).
fn self_closing(tag: &StartTag<'_>, bytes: &[u8]) -> bool {
    let slash = tag.end.wrapping_sub(2);
    if bytes.get(slash) != Some(&b'/') {
        return false;
    }
    // The values borrow `bytes`: the last one holds the slash when it runs past it.
    let slash_at = bytes[slash..].as_ptr();
    tag.attrs
        .last()
        .is_none_or(|(_, value)| value.is_empty() || value.as_ptr_range().end <= slash_at)
}

/// The end tag at `lt`: it must close the element opened last. The offset past its `>`.
fn end_tag(open: &mut Vec<Open>, bytes: &[u8], lt: usize) -> Option<usize> {
    let name_start = lt + 2;
    let name_len = bytes[name_start..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
        .count();
    let name = &bytes[name_start..name_start + name_len];
    let mut at = name_start + name_len;
    while bytes
        .get(at)
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n'))
    {
        at += 1;
    }
    if name.is_empty() || bytes.get(at) != Some(&b'>') {
        return None;
    }
    let current = open.last()?;
    if !current.name.as_bytes().eq_ignore_ascii_case(name) {
        return None;
    }
    open.pop();
    Some(at + 1)
}

/// An SVG element's attribute name as the parser adjusts it; `None` for a name not built here.
fn svg_attribute(name: &str) -> Option<QualName> {
    Some(match name {
        "viewbox" => html_attribute("viewBox"),
        "preserveaspectratio" => html_attribute("preserveAspectRatio"),
        "xmlns" => QualName::new(Some(Prefix::from("")), ns!(xmlns), LocalName::from("xmlns")),
        "xmlns:xlink" => QualName::new(
            Some(Prefix::from("xmlns")),
            ns!(xmlns),
            LocalName::from("xlink"),
        ),
        "xlink:href" => QualName::new(
            Some(Prefix::from("xlink")),
            ns!(xlink),
            LocalName::from("href"),
        ),
        _ if SVG_ATTRIBUTES.contains(&name) || name.starts_with("data-") => html_attribute(name),
        _ => return None,
    })
}

/// Append text (still raw markup: references undecoded) to `parent`, joined to a text node
/// that ends its children, as the parser's tree joins adjacent text.
fn append_text(html: &mut Html, parent: NodeId, raw: &str) -> Option<()> {
    if raw.is_empty() {
        return Some(());
    }
    let text = plain_text(raw)?;
    let mut parent = html.tree.get_mut(parent)?;
    if let Some(mut last) = parent.last_child()
        && let Node::Text(t) = last.value()
    {
        t.text.push_slice(&text);
        return Some(());
    }
    parent.append(Node::Text(Text {
        text: StrTendril::from_slice(&text),
    }));
    Some(())
}

#[cfg(test)]
mod tests {
    use std::fmt::Write;

    use ego_tree::iter::Edge;

    use super::*;

    /// Every node of a fragment in document order: names with their namespace and prefix,
    /// attributes in order, text as it is.
    fn dump(html: &Html) -> String {
        let mut out = String::new();
        for edge in html.tree.root().traverse() {
            match edge {
                Edge::Open(node) => match node.value() {
                    Node::Element(e) => {
                        let n = &e.name;
                        let _ = write!(out, "<{:?}:{}:{}", n.prefix, &*n.ns, &*n.local);
                        for (name, value) in e.attrs.iter() {
                            let _ = write!(
                                out,
                                " {:?}:{}:{}={:?}",
                                name.prefix, &*name.ns, &*name.local, &**value
                            );
                        }
                        out.push('>');
                    }
                    Node::Text(t) => {
                        let _ = write!(out, "{:?}", &*t.text);
                    }
                    other => {
                        let _ = write!(out, "{other:?}");
                    }
                },
                Edge::Close(node) => {
                    if node.value().is_element() {
                        out.push_str("</>");
                    }
                }
            }
        }
        out
    }

    /// Build `markup` here and with the parser; when it is built here, the two must agree.
    fn same_as_parser(markup: &str) -> bool {
        let Some(light) = tree(markup) else {
            return false;
        };
        let parsed = Html::parse_fragment(markup);
        assert_eq!(dump(&light), dump(&parsed), "{markup:?}");
        assert_eq!(
            light.root_element().html(),
            parsed.root_element().html(),
            "{markup:?}"
        );
        true
    }

    #[test]
    fn builds_the_platforms_embed_codes_as_the_parser_does() {
        let codes = [
            // X (platform.twitter.com's embed code).
            r#"<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Just setting up my twttr &amp; more &#8220;quoted&#8221;</p>&mdash; jack (@jack) <a href="https://twitter.com/jack/status/20?ref_src=twsrc%5Etfw">March 21, 2006</a></blockquote>"#,
            // Bluesky.
            "<blockquote class=\"bluesky-embed\" data-bluesky-uri=\"at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3l6oveex3ii2l\" data-bluesky-cid=\"x\"><p lang=\"en\">Line one<br><br>line two</p>&mdash; Bluesky (<a href=\"https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur?ref_src=embed\">@bsky.app</a>) <a href=\"https://bsky.app/profile/x/post/3l6oveex3ii2l?ref_src=embed\">October 10, 2024 at 8:00 PM</a></blockquote>",
            // TikTok.
            "<blockquote class=\"tiktok-embed\" cite=\"https://www.tiktok.com/@scout2015/video/6718335390845095173\" data-video-id=\"6718335390845095173\" style=\"max-width: 605px;min-width: 325px;\" > <section> <a target=\"_blank\" title=\"@scout2015\" href=\"https://www.tiktok.com/@scout2015?refer=embed\">@scout2015</a> Scramble up ur name &amp; I\u{2019}ll try to guess it\u{1F60D}\u{2764}\u{FE0F} <a title=\"foryoupage\" target=\"_blank\" href=\"https://www.tiktok.com/tag/foryoupage?refer=embed\">#foryoupage</a> <a target=\"_blank\" title=\"\u{266C} original sound - tiff\" href=\"https://www.tiktok.com/music/original-sound-6689804660171082501?refer=embed\">\u{266C} original sound - tiff</a> </section> </blockquote>",
            // Instagram: divs in a link, and an SVG logo with attributes the parser re-cases.
            "<blockquote class=\"instagram-media\" data-instgrm-permalink=\"https://www.instagram.com/p/B1mHd6sHGXK/?utm_source=ig_embed&amp;utm_campaign=loading\" data-instgrm-version=\"14\" style=\"background:#FFF;\">\r\n<div style=\"padding:16px;\"> <a href=\"https://www.instagram.com/p/B1mHd6sHGXK/\" style=\"background:#FFFFFF;\" target=\"_blank\"> <div style=\"display: flex;\"><div style=\"padding: 19% 0;\"></div> <div style=\"display:block; height:50px;\"><svg width=\"50px\" height=\"50px\" viewBox=\"0 0 60 60\" version=\"1.1\" xmlns=\"https://www.w3.org/2000/svg\" xmlns:xlink=\"https://www.w3.org/1999/xlink\"><g stroke=\"none\" stroke-width=\"1\" fill=\"none\" fill-rule=\"evenodd\"><g transform=\"translate(-511.000000, -20.000000)\" fill=\"#000000\"><g><path d=\"M556.869,30.41 C554.814,30.41\"></path></g></g></g></svg></div></div></a><p style=\"margin:8px 0 0 0;\"><a href=\"https://www.instagram.com/p/B1mHd6sHGXK/\" target=\"_blank\">A post shared by Chris Hemsworth (@chrishemsworth)</a></p></div></blockquote>",
            // Self-closing SVG shapes, a custom element, uppercase names and a bare attribute.
            "<DIV class=x><amp-img src=a.jpg layout=fill></amp-img><svg><path d=\"M0 0\"/><circle r=1 /></svg><IMG SRC=x.png alt>text < 3</div>",
        ];
        for code in codes {
            assert!(same_as_parser(code), "not built: {code}");
        }
    }

    #[test]
    fn leaves_what_the_parser_would_rearrange_to_it() {
        let doubtful = [
            "<p>one<p>two</p></p>",
            "<p>a <div>block</div></p>",
            "<a href=1>x <a href=2>y</a></a>",
            "<h1>a<h2>b</h2></h1>",
            "<div><span>x</div></span>",
            "<div>x</span></div>",
            "<ul><li>x</li></ul>",
            "<table><tr><td>x</td></tr></table>",
            "<div><!-- note --></div>",
            "<div><script>x</script></div>",
            "<div>&copy 2024</div>",
            "<div>AT&T</div>",
            "<div>&#150;</div>",
            "<div title=\"a&b=1\">x</div>",
            "<div>a\0b</div>",
            "<svg><foreignObject><div>x</div></foreignObject></svg>",
            "<svg><lineargradient></lineargradient></svg>",
            "<svg><div>x</div></svg>",
            "<svg viewBox=\"0 0 1 1\" baseprofile=full></svg>",
            "<div class=\"unterminated>",
            "<br></br>",
            "</p>",
        ];
        for markup in doubtful {
            assert!(tree(markup).is_none(), "built: {markup:?}");
        }
    }

    #[test]
    fn text_reads_as_the_parser_reads_it() {
        for markup in [
            "<p>a\r\nb\rc</p>",
            "<p title=\"x\r\ny\">&lt;&gt;&quot;&apos;&nbsp;&#64;&#x1F600;&#13;</p>",
            "<p>& a &; b &. c</p>",
            "<span>x</span>tail after<b>y</b> and more",
            "<div>x</div>\n",
            "<div/>inside",
            "<p>x</p >",
            "<div a=1 a=2 b=\"3\"></div>",
        ] {
            assert!(same_as_parser(markup), "not built: {markup:?}");
        }
        // `&amp` and `&#64` without their `;` are references to the parser: left to it.
        for markup in ["<p>&amp x</p>", "<p>&#64 x</p>"] {
            assert!(tree(markup).is_none(), "built: {markup:?}");
        }
    }

    /// Every blockquote of both corpora: when it is built here, the parser builds the same; and
    /// most of them are built here.
    #[test]
    fn corpus_blockquotes_are_built_as_the_parser_builds_them() {
        let (mut quotes, mut built) = (0, 0);
        for (path, html) in crate::discover::corpus_pages() {
            let bytes = html.as_bytes();
            let mut from = 0;
            while let Some(at) = crate::discover::tag::find_ci(bytes, b"<blockquote", from) {
                from = at + 1;
                let Some(tag) = read_start_tag(bytes, at) else {
                    continue;
                };
                let end = crate::discover::tag::element_end(bytes, &tag);
                let start = crate::discover::tag::floor_boundary(&html, at);
                let end = crate::discover::tag::floor_boundary(&html, end);
                let markup = &html[start..end];
                quotes += 1;
                if let Some(light) = tree(markup) {
                    built += 1;
                    let parsed = Html::parse_fragment(markup);
                    assert_eq!(dump(&light), dump(&parsed), "{}: {markup}", path.display());
                }
            }
        }
        assert!(
            quotes >= 100 && built * 2 >= quotes,
            "{built} of {quotes} blockquotes built"
        );
    }

    /// Markup of nested elements, text and references, mostly well nested and sometimes not
    /// (a paragraph or link inside its own kind, an element the parser rearranges).
    fn nested_markup() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            "[a-z \r\n<>&;#0-9]{0,8}",
            "&(amp|lt|nbsp|copy|#64|#x41|#150|#0|mdash);?",
            "<(br|img|wbr|source|hr)( (src|alt)=[a-z]{0,3})?/?>",
        ];
        leaf.prop_recursive(5, 48, 4, |inner| {
            (
                "(div|p|a|span|b|blockquote|h2|svg|g|path|li|x-y|DIV|Svg|em|figure|table)",
                "( (class|href|viewbox|xlink:href|xmlns|xmlns:xlink|d|id|fill)=(\"[a-z &;#0-9]{0,6}\"|[a-z/]{0,3})){0,2}",
                proptest::collection::vec(inner, 0..4),
                "(/|)",
            )
                .prop_map(|(name, attrs, children, slash)| {
                    format!("<{name}{attrs}{slash}>{}</{name}>", children.concat())
                })
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        /// Whatever markup of the elements, references and text pages use it builds, the
        /// parser builds the same.
        #[test]
        fn whatever_it_builds_is_the_parsers(markup in nested_markup()) {
            same_as_parser(&markup);
        }
    }
}
