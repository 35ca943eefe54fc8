//! The forms a platform's embeds take in an article's markup, as plain data: the blockquote
//! classes and the attributes that name a post, the scripts that render them, the frame
//! attributes and player facades that name a post by id. Each platform declares its own forms
//! in its module under `platforms`; the stages that read article markup (`discover`, `render`)
//! take them from there, so none of them names a platform's markup itself.

use url::Url;

/// The forms of every platform, in the order the platforms are tried.
#[derive(Debug, Default)]
pub struct EmbedForms {
    /// Official blockquotes, in the order their classes are tried.
    pub quotes: Vec<&'static QuoteForm>,
    /// Frame attributes that name a post by its id (`data-tweet-id`).
    pub frame_ids: Vec<&'static IdUrl>,
    /// Player facades (`lite-youtube`).
    pub facades: Vec<&'static IdUrl>,
    /// Elements that name their post by its whole address in an attribute (`div.fb-post`).
    pub addressed: Vec<&'static AddressForm>,
    /// The scripts that render embeds and widgets.
    pub families: Vec<&'static ScriptFamily>,
}

impl EmbedForms {
    /// The form of a blockquote by its `class` (ASCII case-insensitive), or failing that by a
    /// marker attribute (`has_attr` says whether the element carries one).
    pub fn quote_form(
        &self,
        class_attr: Option<&str>,
        has_attr: impl Fn(&str) -> bool,
    ) -> Option<&'static QuoteForm> {
        self.quotes
            .iter()
            .find(|q| has_class(class_attr, q.class))
            .or_else(|| {
                self.quotes
                    .iter()
                    .find(|q| q.marker_attr.is_some_and(&has_attr))
            })
            .copied()
    }

    /// Every attribute a blockquote form reads, each once.
    pub fn quote_attrs(&self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = Vec::new();
        for q in &self.quotes {
            for name in q.post_attrs.iter().chain(q.marker_attr.iter()) {
                if !names.contains(name) {
                    names.push(name);
                }
            }
        }
        names
    }

    /// The addressed form of the element named `tag` (lowercase) with this `class` value, if
    /// it is one.
    pub fn addressed_form(
        &self,
        tag: &str,
        class_attr: Option<&str>,
    ) -> Option<&'static AddressForm> {
        self.addressed
            .iter()
            .find(|f| f.element == tag && f.class.is_none_or(|c| has_class(class_attr, c)))
            .copied()
    }

    /// The facade declarations of the element named `tag` (one element may be declared with
    /// several id attributes), in declaration order.
    pub fn facades_of<'s>(&'s self, tag: &'s str) -> impl Iterator<Item = &'static IdUrl> + 's {
        self.facades
            .iter()
            .filter(move |f| f.element == tag)
            .copied()
    }

    /// The family whose script-rendered widgets (timelines, buttons) carry one of these classes.
    pub fn widget_family(&self, class_attr: Option<&str>) -> Option<&'static ScriptFamily> {
        self.families
            .iter()
            .find(|f| f.widget_classes.iter().any(|c| has_class(class_attr, c)))
            .copied()
    }

    /// The family whose script lives at a fixed address matching `src`.
    pub fn family_of_script(&self, src: &Url) -> Option<&'static ScriptFamily> {
        let host = src.host_str()?.trim_end_matches('.').to_ascii_lowercase();
        let path = src.path();
        self.families
            .iter()
            .find(|f| {
                f.scripts
                    .iter()
                    .any(|(h, p)| host == *h && path.ends_with(p))
            })
            .copied()
    }

    /// The family by name.
    pub fn family(&self, name: &str) -> Option<&'static ScriptFamily> {
        self.families.iter().find(|f| f.name == name).copied()
    }
}

/// Whether a `class` attribute value holds `class` (ASCII case-insensitive, as quirks-mode pages
/// match it).
pub fn has_class(class_attr: Option<&str>, class: &str) -> bool {
    class_attr.is_some_and(|c| {
        c.split_ascii_whitespace()
            .any(|c| c.eq_ignore_ascii_case(class))
    })
}

/// An official blockquote form: the class that marks it, the attributes that name its post, how
/// its post URLs are read, and the script family that renders it.
#[derive(Debug)]
pub struct QuoteForm {
    /// The class that marks the blockquote.
    pub class: &'static str,
    /// An attribute that marks the blockquote as this form when a CMS dropped the class.
    pub marker_attr: Option<&'static str>,
    /// The attributes of the blockquote that name its post.
    pub post_attrs: &'static [&'static str],
    /// The URLs naming the post, best first.
    pub urls: fn(&QuoteParts<'_>) -> Vec<Url>,
    /// The script that renders the form.
    pub family: &'static ScriptFamily,
}

/// What a blockquote form's URL reader sees: the values of its post attributes (decoded), the
/// links inside it (in document order, resolved) and the page URL.
#[derive(Debug, Clone, Copy)]
pub struct QuoteParts<'a> {
    pub attrs: &'a [(&'a str, &'a str)],
    pub links: &'a [Url],
    pub base: &'a Url,
}

impl<'a> QuoteParts<'a> {
    /// The value of attribute `name`, if present.
    pub fn attr(&self, name: &str) -> Option<&'a str> {
        self.attrs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }

    /// Attribute `name` as an absolute URL.
    pub fn attr_url(&self, name: &str) -> Option<Url> {
        self.attr(name).and_then(|v| absolute(self.base, v))
    }
}

/// A family of script-rendered embeds: the scripts that render them (by host and the end of
/// their path), a script on the embedded post's own server instead (`/embed.js` of each
/// Mastodon server), and the classes of widgets the same script renders (never replaced, but
/// while one is on the page its script stays).
#[derive(Debug)]
pub struct ScriptFamily {
    pub name: &'static str,
    pub scripts: &'static [(&'static str, &'static str)],
    pub on_post_host: Option<&'static str>,
    pub widget_classes: &'static [&'static str],
}

/// An element that names its post by the post's whole address in one of its attributes, read
/// from its start tag: Facebook's `<div class="fb-post" data-href=…>` and the XFBML
/// `<fb:post href=…>` before it.
#[derive(Debug)]
pub struct AddressForm {
    /// The element's name, lowercase (`div`, `fb:post`).
    pub element: &'static str,
    /// The class that marks the element as this form, when its name alone does not.
    pub class: Option<&'static str>,
    /// The attributes that may hold the post's address, best first.
    pub attrs: &'static [&'static str],
}

impl AddressForm {
    /// The post's address, read through `attr` (an element's raw attribute values, character
    /// references still in them) against the page's `base`.
    pub fn url(&self, attr: &dyn Fn(&str) -> Option<String>, base: &Url) -> Option<Url> {
        self.attrs.iter().find_map(|a| {
            attr(a).and_then(|v| absolute(base, &html_escape::decode_html_entities(&v)))
        })
    }

    /// The CSS selector of the form's elements (a `:` in a name escaped).
    pub fn selector(&self) -> String {
        let element = self.element.replace(':', "\\:");
        match self.class {
            Some(class) => format!("{element}.{class}"),
            None => element,
        }
    }
}

/// An element attribute that names a post by its id, and the post URL the id stands for: a
/// frame's `data-tweet-id`, a facade's `videoid`.
#[derive(Debug)]
pub struct IdUrl {
    /// The element the attribute belongs to (`iframe`, `lite-youtube`).
    pub element: &'static str,
    pub attr: &'static str,
    pub shape: IdShape,
    /// The post URL, with `{}` standing for the id.
    pub url: &'static str,
}

impl IdUrl {
    /// The post URL for the attribute value `value`, when it has the id's shape.
    pub fn url_for(&self, value: &str) -> Option<Url> {
        let id = value.trim();
        self.shape
            .accepts(id)
            .then(|| Url::parse(&self.url.replace("{}", id)).ok())
            .flatten()
    }
}

/// The shape of an id taken from markup into a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdShape {
    /// ASCII digits.
    Digits,
    /// ASCII letters, digits, `_` and `-`.
    Slug,
}

impl IdShape {
    pub fn accepts(self, id: &str) -> bool {
        !id.is_empty()
            && match self {
                IdShape::Digits => id.bytes().all(|b| b.is_ascii_digit()),
                IdShape::Slug => id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'),
            }
    }
}

/// Attributes that hold a frame's address, the real one first on lazy-loading pages.
pub const FRAME_SRC_ATTRS: &[&str] = &[
    "src",
    "data-src",
    "data-lazy-src",
    "data-litespeed-src",
    "data-rocket-src",
    "data-original",
    "data-url",
];

/// Whether an attribute value is a web address by its look: `http://`, `https://` or
/// protocol-relative `//` (lazy loaders and wrappers keep addresses under many names).
pub fn looks_like_url(value: &str) -> bool {
    let v = value.trim_start().as_bytes();
    let starts = |p: &[u8]| v.len() > p.len() && v[..p.len()].eq_ignore_ascii_case(p);
    starts(b"http://") || starts(b"https://") || (starts(b"//") && v[2] != b'/')
}

/// The most bytes of an address read from markup ([`absolute`]).
const MAX_ADDRESS: usize = 8192;

/// Resolve a URL from markup (already free of character references) against the page URL:
/// trimmed, `http`/`https` only. An address longer than [`MAX_ADDRESS`] (a tracking tail, a
/// consent tool's settings in an iframe's `src`) is read without its fragment and with the
/// whole query parameters that fit: the post an embed names is in its path or its first
/// parameters (`/embed/ID?…`, `post.php?href=…`). One whose path alone is longer names none.
///
/// A protocol-relative address (`//www.youtube.com/embed/…`, as many embed codes and lazy
/// loaders write them) takes the page's scheme on the web; on a page whose base is not on the
/// web (a saved page scanned from its `file://` URL) it names the same web address, and is read
/// as `https`, which is what every platform serves. A web archive's capture of an address
/// (`https://web.archive.org/web/20240218232538if_/https://…`) is read as the address captured.
///
/// Two kinds of value name no other resource, and resolve to none: a fragment alone (`#top`, a
/// skip link, which would otherwise resolve to the page itself), and a script's string
/// concatenation left in markup a script builds (`' + prefix + '//ad.example/…`, read from a
/// script's string as an iframe's `src`).
pub fn absolute(base: &Url, raw: &str) -> Option<Url> {
    let raw = within_limit(raw.trim())?;
    if raw.is_empty() || raw.starts_with('#') || is_concatenation(raw) {
        return None;
    }
    let on_web = matches!(base.scheme(), "http" | "https");
    let url = if !on_web && is_protocol_relative(raw) {
        Url::parse(&format!("https:{raw}")).ok()?
    } else {
        base.join(raw).ok()?
    };
    // A page saved from a web archive points at its captures: the capture of a post is the post.
    let url = super::web_archive::captured(&url).unwrap_or(url);
    matches!(url.scheme(), "http" | "https").then_some(url)
}

/// `raw` cut to [`MAX_ADDRESS`] bytes as [`absolute`] reads it: without its fragment, then
/// with as many whole query parameters as fit; `None` when the part before the query is
/// longer.
fn within_limit(raw: &str) -> Option<&str> {
    if raw.len() <= MAX_ADDRESS {
        return Some(raw);
    }
    let raw = raw.split_once('#').map_or(raw, |(before, _)| before);
    if raw.len() <= MAX_ADDRESS {
        return Some(raw);
    }
    let query = raw.find('?').filter(|&q| q < MAX_ADDRESS)?;
    // Both are ASCII, so the offsets are character boundaries.
    let cut = raw.as_bytes()[..MAX_ADDRESS]
        .iter()
        .rposition(|&b| b == b'&')
        .filter(|&amp| amp > query)
        .unwrap_or(query);
    Some(&raw[..cut])
}

/// Whether a value holds a script's string concatenation: a quote and a `+` with spaces between
/// them (`' + x + '`), or a value that opens or ends on one (`'+x+'`). No address holds either:
/// a space in an address is written `%20` or `+`, and none starts with a quote.
fn is_concatenation(raw: &str) -> bool {
    let b = raw.as_bytes();
    let quote = |c: u8| matches!(c, b'\'' | b'"');
    let opens = b.len() > 1 && quote(b[0]) && b[1] == b'+';
    let ends = b.len() > 1 && b[b.len() - 2] == b'+' && quote(b[b.len() - 1]);
    let spaced = b.windows(3).any(|w| {
        (quote(w[0]) && w[1] == b' ' && w[2] == b'+')
            || (w[0] == b'+' && w[1] == b' ' && quote(w[2]))
    });
    opens || ends || spaced
}

/// `//host…`: an address without its scheme. (`\\` counts as `/` in web addresses.)
fn is_protocol_relative(raw: &str) -> bool {
    let b = raw.as_bytes();
    b.len() > 2
        && matches!(b[0], b'/' | b'\\')
        && matches!(b[1], b'/' | b'\\')
        && !matches!(b[2], b'/' | b'\\')
}

/// Whether the URL's host is `domain` or a subdomain of it (ASCII case-insensitive).
pub fn host_is(url: &Url, domain: &str) -> bool {
    url.host_str().is_some_and(|h| {
        let h = h.trim_end_matches('.');
        h.eq_ignore_ascii_case(domain)
            || (h.len() > domain.len()
                && h[h.len() - domain.len()..].eq_ignore_ascii_case(domain)
                && h.as_bytes()[h.len() - domain.len() - 1] == b'.')
    })
}

/// Whether one of the URL's path segments is among `parts`.
pub fn path_has(url: &Url, parts: &[&str]) -> bool {
    url.path_segments()
        .is_some_and(|mut segs| segs.any(|s| parts.contains(&s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A long address is read with the whole parameters that fit; only one whose path alone is
    /// too long names nothing.
    #[test]
    fn long_addresses_keep_their_path_and_first_parameters() {
        let base = Url::parse("https://news.example/article").unwrap();
        let tail = "a".repeat(9000);
        let yt = format!("https://www.youtube.com/embed/eiHXASgRTcA?x={tail}");
        assert_eq!(
            absolute(&base, &yt).map(String::from).as_deref(),
            Some("https://www.youtube.com/embed/eiHXASgRTcA")
        );
        let fb = format!(
            "https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2Fa%2Fposts%2F1&width=500&utm={tail}#frag"
        );
        assert_eq!(
            absolute(&base, &fb).map(String::from).as_deref(),
            Some(
                "https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2Fa%2Fposts%2F1&width=500"
            )
        );
        let fragment = format!("https://x.com/a/status/1#{tail}");
        assert_eq!(
            absolute(&base, &fragment).map(String::from).as_deref(),
            Some("https://x.com/a/status/1")
        );
        assert_eq!(absolute(&base, &format!("https://x.com/{tail}?a=1")), None);
        // A multi-byte character straddling the cut is never split.
        let wide = format!("https://x.com/a?b={}&c=1", "é".repeat(5000));
        assert_eq!(
            absolute(&base, &wide).map(String::from).as_deref(),
            Some("https://x.com/a")
        );
    }

    /// A skip link (`#story-continues-2`) and a script's concatenation name no resource; an
    /// address with a quote or a `+` of its own is still one.
    #[test]
    fn fragments_and_concatenations_resolve_to_nothing() {
        let base = Url::parse("https://news.example/article").unwrap();
        assert_eq!(absolute(&base, " #story-continues-2"), None);
        assert_eq!(absolute(&base, "#"), None);
        for raw in [
            "' + prefix + '//3951336.fls.doubleclick.net/activityi;ord=' + a + '",
            "\"+src+\"",
            "'+id",
            "https://www.youtube.com/embed/' + id + '?rel=0",
            "https://www.youtube.com/embed/\" +id",
        ] {
            assert_eq!(absolute(&base, raw), None, "{raw}");
        }
        for raw in [
            "/search?q=rock+'n'+roll",
            "https://twitter.com/search?q=%22a%22+%22b%22",
            "page.html#top",
        ] {
            assert!(absolute(&base, raw).is_some(), "{raw}");
        }
    }

    #[test]
    fn id_shapes() {
        assert!(IdShape::Digits.accepts("123"));
        assert!(!IdShape::Digits.accepts("12a"));
        assert!(!IdShape::Digits.accepts(""));
        assert!(IdShape::Slug.accepts("dQw4w9WgXcQ"));
        assert!(!IdShape::Slug.accepts("\"><x"));
    }

    #[test]
    fn protocol_relative_addresses_are_web_addresses_whatever_the_page() {
        let cases = [
            (
                "https://news.example/a",
                "//www.youtube.com/embed/x",
                Some("https://www.youtube.com/embed/x"),
            ),
            (
                "http://news.example/a",
                "//www.youtube.com/embed/x",
                Some("http://www.youtube.com/embed/x"),
            ),
            (
                "file:///home/me/saved/page.html",
                "//www.youtube.com/embed/x",
                Some("https://www.youtube.com/embed/x"),
            ),
            (
                "file:///home/me/saved/page.html",
                " //player.vimeo.com/video/1 ",
                Some("https://player.vimeo.com/video/1"),
            ),
            ("file:///home/me/saved/page.html", "/relative/path", None),
            ("file:///home/me/saved/page.html", "///x", None),
            (
                "file:///home/me/saved/page.html",
                "https://x.com/a/status/1",
                Some("https://x.com/a/status/1"),
            ),
            ("file:///home/me/saved/page.html", "//", None),
        ];
        for (base, raw, want) in cases {
            let base = Url::parse(base).unwrap();
            assert_eq!(
                absolute(&base, raw).map(String::from).as_deref(),
                want,
                "{base} {raw}"
            );
        }
    }

    #[test]
    fn url_looks() {
        assert!(looks_like_url(" https://a.example/x"));
        assert!(looks_like_url("HTTP://a.example"));
        assert!(looks_like_url("//a.example/x"));
        assert!(!looks_like_url("///x"));
        assert!(!looks_like_url("javascript:void(0)"));
        assert!(!looks_like_url("/relative/path"));
        assert!(!looks_like_url("https://"));
    }

    #[test]
    fn classes_match_whole_words_ignoring_ascii_case() {
        assert!(has_class(Some("a B-c"), "b-C"));
        assert!(!has_class(Some("b-cd"), "b-c"));
        assert!(!has_class(None, "b"));
    }
}
