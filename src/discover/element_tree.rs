//! Embeds a page keeps as an element tree in its script data. Some server-rendered apps ship
//! an article's body not as HTML but as the JSON of a parsed DOM (htmlparser2/domhandler's
//! shape, which cheerio and many Node renderers print), and build the elements in the browser:
//!
//! - scmp.com's `window.__APOLLO_STATE__` (2020): `{"type":"iframe","subtype":"youtube",
//!   "attribs":{"src":"//www.youtube.com/embed/ID",…},"children":[]}`: the tag name as `type`;
//! - Hearst's sites' `introductionDom` (goodhousekeeping.com): `{"type":"tag","name":"a",
//!   "attribs":{"href":…},"children":[{"type":"text","data":"…"}]}`: domhandler's own shape.
//!
//! The trees are written back as markup here, and the scan reads that markup as any hidden
//! markup ([`Location::ScriptString`](crate::model::Location)). The JSON is walked as it is
//! parsed (no generic JSON value: that takes many times the text's memory), and what a key
//! names as other stories than the page's (`page_data::names_other_stories`: "more on this",
//! "related" …) is passed over unread, as it is in a Next.js page's data.

use std::fmt::Write as _;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::page_data::{MAX_DATA_BYTES, names_other_stories};

/// What marks script data that may hold an element tree: domhandler's attribute map.
const ATTRIBS_KEY: &[u8] = b"\"attribs\"";

/// How many places a script's JSON may start that are tried: the script itself, and after
/// each of its first assignments (`window.__APOLLO_STATE__ = {…}`).
const MAX_STARTS: usize = 8;

/// Elements whose content the browser does not build as elements (their trees are no embeds
/// of the article: a player's script, its styles).
const SKIPPED: &[&str] = &["script", "style", "template", "noscript"];

/// Elements that have no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// What a script's body holds as element trees.
#[derive(Debug, PartialEq)]
pub(super) enum Trees {
    /// None: no attribute map, or no JSON holding a tree.
    None,
    /// The markup of every tree, in the order they stand.
    Markup(String),
    /// Trees that could not be read: JSON of trees that breaks off (nested deeper than the
    /// parser goes, a character it refuses), or data larger than is read. The page was not
    /// wholly read.
    Unread,
}

/// The element trees of a script's body that is JSON (or assigns JSON).
pub(super) fn trees(body: &str) -> Trees {
    if memchr::memmem::find(body.as_bytes(), ATTRIBS_KEY).is_none() {
        return Trees::None;
    }
    if body.len() > MAX_DATA_BYTES {
        return Trees::Unread;
    }
    let mut unread = false;
    for start in json_starts(body) {
        let mut out = Out::default();
        let mut de = serde_json::Deserializer::from_str(&body[start..]);
        let walk = Walk {
            out: &mut out,
            role: Role::Any,
        };
        match walk.deserialize(&mut de) {
            Ok(_) if !out.markup.is_empty() => return Trees::Markup(out.markup),
            Ok(_) => {}
            // JSON that met a node's attribute map before it broke off was data of trees, not
            // a script's code that happens to name `attribs`; so was JSON nested deeper than
            // the parser goes (code breaks off at its first statement, not a hundred levels in),
            // and JSON whose string held a lone surrogate escape (`"\ud800"`, which JavaScript
            // reads and serde_json refuses): the trees after it are not read.
            Err(e)
                if out.saw_tree || {
                    let why = e.to_string();
                    why.contains("recursion limit")
                        || why.contains("surrogate")
                        || why.contains("hex escape")
                } =>
            {
                unread = true
            }
            Err(_) => {}
        }
    }
    if unread { Trees::Unread } else { Trees::None }
}

/// Where the JSON of a script may start: its first `{` or `[`, and the first after each of
/// its first `=` signs.
fn json_starts(body: &str) -> Vec<usize> {
    let bytes = body.as_bytes();
    let open_at = |from: usize| memchr::memchr2(b'{', b'[', &bytes[from..]).map(|o| from + o);
    let mut starts: Vec<usize> = open_at(0).into_iter().collect();
    for eq in memchr::memchr_iter(b'=', bytes).take(MAX_STARTS) {
        if let Some(start) = open_at(eq + 1)
            && !starts.contains(&start)
        {
            starts.push(start);
        }
    }
    starts
}

/// What a walked value is to the object holding it.
#[derive(Clone, Copy)]
enum Role {
    /// Anywhere: trees found in it are written to the output.
    Any,
    /// A node's `children`: the markup of its nodes is returned.
    Children,
    /// A node's `attribs`: its names and values are returned.
    Attribs,
}

/// A walked value, as far as a tree node needs it.
enum Walked {
    Text(String),
    /// Markup of a node, or of a node's children.
    Markup(String),
    Attribs(Vec<(String, String)>),
    Other,
}

/// What a walk writes: the markup of the trees met in values of [`Role::Any`], and whether it
/// met the attribute map of a node at all (data of trees, whether or not it is read whole).
#[derive(Default)]
struct Out {
    markup: String,
    saw_tree: bool,
}

/// Walks one JSON value, writing to `out`.
struct Walk<'o> {
    out: &'o mut Out,
    role: Role,
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = Walked;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Walked, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = Walked;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Walked, E> {
        Ok(Walked::Text(v.to_string()))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Walked, E> {
        Ok(Walked::Text(v.to_string()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Walked, E> {
        Ok(Walked::Text(v.to_string()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Walked, E> {
        Ok(Walked::Text(v.to_string()))
    }

    fn visit_str<E>(self, v: &str) -> Result<Walked, E> {
        Ok(Walked::Text(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Walked, E> {
        Ok(Walked::Text(v))
    }

    fn visit_unit<E>(self) -> Result<Walked, E> {
        Ok(Walked::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Walked, A::Error> {
        match self.role {
            Role::Children => {
                let mut markup = String::new();
                while let Some(item) = seq.next_element_seed(Walk {
                    out: self.out,
                    role: Role::Children,
                })? {
                    if let Walked::Markup(m) = item {
                        markup.push_str(&m);
                    }
                }
                Ok(Walked::Markup(markup))
            }
            Role::Any | Role::Attribs => {
                while let Some(item) = seq.next_element_seed(Walk {
                    out: self.out,
                    role: Role::Any,
                })? {
                    if let Walked::Markup(m) = item {
                        self.out.markup.push_str(&m);
                    }
                }
                Ok(Walked::Other)
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Walked, A::Error> {
        if let Role::Attribs = self.role {
            let mut attribs = Vec::new();
            while let Some(name) = map.next_key::<String>()? {
                match map.next_value_seed(Walk {
                    out: self.out,
                    role: Role::Any,
                })? {
                    Walked::Text(value) => attribs.push((name, value)),
                    Walked::Markup(m) => self.out.markup.push_str(&m),
                    _ => {}
                }
            }
            return Ok(Walked::Attribs(attribs));
        }
        let mut node = Node::default();
        while let Some(key) = map.next_key::<String>()? {
            if names_other_stories(&key) {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let role = match key.as_str() {
                "children" => Role::Children,
                "attribs" => {
                    self.out.saw_tree = true;
                    Role::Attribs
                }
                _ => Role::Any,
            };
            let value = map.next_value_seed(Walk {
                out: self.out,
                role,
            })?;
            match (key.as_str(), value) {
                ("type", Walked::Text(t)) => node.kind = Some(t),
                ("name", Walked::Text(t)) => node.name = Some(t),
                ("data", Walked::Text(t)) => node.data = Some(t),
                ("attribs", Walked::Attribs(a)) => node.attribs = Some(a),
                ("children", Walked::Markup(m)) => node.children = Some(m),
                // A tree under any other key of a node stands on its own.
                (_, Walked::Markup(m)) => self.out.markup.push_str(&m),
                _ => {}
            }
        }
        match (node.markup(), self.role) {
            (Some(markup), Role::Children) => Ok(Walked::Markup(markup)),
            (Some(markup), _) => {
                self.out.markup.push_str(&markup);
                Ok(Walked::Other)
            }
            // Not a node: the nodes of its `children`, if any, stand on their own.
            (None, _) => {
                if let Some(children) = node.children {
                    self.out.markup.push_str(&children);
                }
                Ok(Walked::Other)
            }
        }
    }
}

/// The members of an object that make it a node of an element tree.
#[derive(Default)]
struct Node {
    kind: Option<String>,
    name: Option<String>,
    data: Option<String>,
    attribs: Option<Vec<(String, String)>>,
    children: Option<String>,
}

impl Node {
    /// The node written as markup, when it is a node: a text node (`type` "text" and `data`),
    /// or an element (`attribs`, and its tag name as `name` or as `type`).
    fn markup(&self) -> Option<String> {
        let kind = self.kind.as_deref()?;
        if kind == "text" {
            return Some(escape_text(self.data.as_deref()?));
        }
        let attribs = self.attribs.as_ref()?;
        let name = match kind {
            "tag" | "script" | "style" => self.name.as_deref()?,
            _ => kind,
        }
        .to_ascii_lowercase();
        if !is_tag_name(&name) {
            return None;
        }
        if SKIPPED.contains(&name.as_str()) {
            return Some(String::new());
        }
        let mut out = format!("<{name}");
        for (attr, value) in attribs.iter().filter(|(a, _)| is_attribute_name(a)) {
            let _ = write!(out, " {attr}=\"{}\"", value.replace('"', "&quot;"));
        }
        out.push('>');
        if VOID.contains(&name.as_str()) {
            return Some(out);
        }
        out.push_str(self.children.as_deref().unwrap_or_default());
        let _ = write!(out, "</{name}>");
        Some(out)
    }
}

/// A tag name as HTML writes one (`iframe`, `amp-twitter`, `fb:post`).
fn is_tag_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.len() <= 64
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':')
}

/// An attribute name that can be written back unquoted.
fn is_attribute_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'"' | b'\'' | b'>' | b'/' | b'=' | b'<'))
}

fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn markup(body: &str) -> Option<String> {
        match trees(body) {
            Trees::Markup(m) => Some(m),
            _ => None,
        }
    }

    #[test]
    fn trees_of_both_shapes_are_written_as_markup() {
        // scmp.com's shape: the tag name as `type` (trimmed from the page's Apollo state).
        let scmp = r#"window.__APOLLO_STATE__={"a":{"body":{"json":[{"type":"div","attribs":{"class":"video-wrapper"},"children":[{"type":"text","data":"\n"},{"subtype":"youtube","type":"iframe","attribs":{"allowfullscreen":"true","data-youtube-id":"hYJsXAzCiSo","src":"//www.youtube.com/embed/hYJsXAzCiSo?wmode=transparent","width":"560"},"children":[]}]}]}}};"#;
        assert_eq!(
            markup(scmp).as_deref(),
            Some(
                "<div class=\"video-wrapper\">\n<iframe allowfullscreen=\"true\" data-youtube-id=\"hYJsXAzCiSo\" src=\"//www.youtube.com/embed/hYJsXAzCiSo?wmode=transparent\" width=\"560\"></iframe></div>"
            )
        );
        // domhandler's own shape (Hearst's `introductionDom`): `type` "tag" and `name`.
        let hearst = r#"{"introductionDom":{"children":[{"children":[{"data":"Our spiced ","type":"text"},{"children":[{"data":"pumpkin","type":"text"}],"name":"a","attribs":{"href":"https://example.com/p","target":"_blank"},"type":"tag"}],"name":"p","attribs":{"data-journey-content":true},"type":"tag"}]}}"#;
        assert_eq!(
            markup(hearst).as_deref(),
            Some(
                "<p data-journey-content=\"true\">Our spiced <a href=\"https://example.com/p\" target=\"_blank\">pumpkin</a></p>"
            )
        );
    }

    #[test]
    fn other_stories_scripts_and_hostile_names_are_left_out() {
        let own =
            r#"{"type":"iframe","attribs":{"src":"//www.youtube.com/embed/OWN"},"children":[]}"#;
        let other =
            r#"{"type":"iframe","attribs":{"src":"//www.youtube.com/embed/OTHER"},"children":[]}"#;
        // Apollo's cache ids name the field last (`….moreOnThisArticles.0`).
        let body = format!(
            r#"x={{"$ROOT_QUERY.content({{\"id\":1}}).body":{{"json":[{own}]}},"$ROOT_QUERY.content({{\"id\":1}}).moreOnThisArticles.0":{{"json":[{other}]}},"relatedVideos":[{other}]}}"#
        );
        let got = markup(&body).expect("the article's tree");
        assert!(got.contains("embed/OWN") && !got.contains("OTHER"), "{got}");
        // Script and style nodes build nothing; a name that is no tag name is no element, and
        // text and attribute values cannot close what they are in.
        let body = r#"[{"type":"script","name":"script","attribs":{},"children":[{"type":"text","data":"<iframe src=x>"}]},
            {"type":"tag","name":"img onerror=x","attribs":{}},
            {"type":"tag","name":"p","attribs":{"title":"a\"><iframe src=y>","on\"x":"1"},"children":[{"type":"text","data":"</p><iframe src=z>"}]}]"#;
        assert_eq!(
            markup(body).as_deref(),
            Some("<p title=\"a&quot;><iframe src=y>\">&lt;/p&gt;&lt;iframe src=z&gt;</p>")
        );
        // No attribute map, no tree; JSON that does not parse, nothing.
        assert_eq!(markup(r#"{"type":"iframe","src":"x"}"#), None);
        assert_eq!(markup(r#"{"attribs":{"type":"iframe""#), None);
        assert_eq!(markup("function(){ return {\"attribs\": 1} }"), None);
    }

    /// Trees whose JSON breaks off (nested deeper than the parser goes, a lone surrogate after
    /// them) or that are larger than is read leave the page not wholly read; a script's code
    /// that names `attribs` does not.
    #[test]
    fn trees_that_cannot_be_read_say_so() {
        let tree =
            r#"{"type":"iframe","attribs":{"src":"//www.youtube.com/embed/x"},"children":[]}"#;
        let deep = format!(
            "x={{\"body\":[{tree},{}1{}]}}",
            "[".repeat(200),
            "]".repeat(200)
        );
        assert_eq!(trees(&deep), Trees::Unread);
        let nested = format!(
            "x={{\"body\":[{}{tree}{}]}}",
            r#"{"type":"div","attribs":{},"children":["#.repeat(100),
            "]}".repeat(100)
        );
        assert_eq!(trees(&nested), Trees::Unread);
        let deep_first = format!(
            "x={{\"a\":{}1{},\"body\":[{tree}]}}",
            "[".repeat(200),
            "]".repeat(200)
        );
        assert_eq!(trees(&deep_first), Trees::Unread);
        let surrogate = format!("x={{\"body\":[{tree},\"\\ud800\"]}}");
        assert_eq!(trees(&surrogate), Trees::Unread);
        // A lone surrogate before the first tree: the trees after it are not read either.
        let surrogate_first =
            format!("x={{\"body\":[{{\"type\":\"text\",\"data\":\"\\ud800 lone\"}},{tree}]}}");
        assert_eq!(trees(&surrogate_first), Trees::Unread);
        let huge = format!(
            "x={{\"body\":[{tree}],\"pad\":\"{}\"}}",
            "p".repeat(MAX_DATA_BYTES)
        );
        assert_eq!(trees(&huge), Trees::Unread);
        assert_eq!(
            trees("var f = function(n) { return n.attribs || {}; }; f(\"attribs\")"),
            Trees::None
        );
        assert!(matches!(
            trees(&format!("x={{\"body\":[{tree}]}}")),
            Trees::Markup(_)
        ));
    }
}
