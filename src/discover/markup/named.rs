//! Publisher markup named for a platform: a card that copies a post (`div.tweet` holding the
//! post as JSON and a link), a lazy player that keeps only the video's id
//! (`div.youtube-embed#yt-ID`, `data-video-id`), a wrapper named for embedding. None of them is
//! a platform's own form, so no list of forms can hold them all; what identifies them is that
//! the element is named for a platform (or for embedding) and names one post.
//!
//! The words that name each platform, its id attributes and the URL of a bare id are the
//! platforms' declarations (`Naming`); the generic words for embedding are here. An element
//! counts only when it is named so in its own class, id, tag or attribute names or short
//! attribute values, and then only a post of a platform it is named for (or, when it is only
//! named for embedding, of any platform) is reported: a plain link to a post elsewhere in an
//! article is never read here.

use std::borrow::Cow;
use std::sync::LazyLock;

use scraper::ElementRef;
use url::Url;

use super::{Candidate, absolute, read_element};
use crate::model::Platform;
use crate::model::markup::looks_like_url;
use crate::platforms::markup::{Naming, OnePost, word_matches};

/// Words that name an element for embedding itself, whatever the platform (`embed`, and as a
/// prefix or suffix `embedded`, `oembed`, `embedly`).
const EMBED_WORDS: &[&str] = &["embed"];

/// Words that name an element a deferred player (`lazyload`, and `lazy` of `lazy-load`) when one
/// class name holds one of them and a word naming the platform (Lazy Load for Videos'
/// `a.lazy-load-youtube`, a theme's `div.youtube-lazy`): that platform's player before it loads.
/// Apart they name nothing: lazysizes writes `lazyload` on every deferred image, and an
/// Instagram feed's `div.instagram-item.lazy` is one tile of an account's grid.
const LAZY_WORDS: &[&str] = &["lazyload", "lazy"];

/// Words that name an element a button or a widget about a post rather than the post: share
/// and follow buttons, comments widgets (`oom-comments mastodon="…"` shows the replies to a post).
/// Matched as whole words of the element's tag, class and id.
const NOT_A_PLAYER_WORDS: &[&str] = &["comment", "comments", "share", "sharing", "follow"];

/// The prefilter markers that lead the scan to named elements: the embedding words, the
/// platforms' words of four letters or more (lowercase and capitalised, as class names and
/// provider attributes write them, and their declared other spellings), `id="WORD-` for
/// shorter words, and the id attributes.
pub(crate) fn markers() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = EMBED_WORDS.to_vec();
    for naming in &crate::platforms::declared().namings {
        for word in naming.words {
            if word.len() >= 4 {
                out.push(word);
                let mut cap = (*word).to_owned();
                cap[..1].make_ascii_uppercase();
                out.push(Box::leak(cap.into_boxed_str()));
            } else {
                for sep in ['-', '_'] {
                    out.push(Box::leak(format!("id=\"{word}{sep}").into_boxed_str()));
                }
            }
        }
        out.extend(naming.id_attrs.iter().copied());
        out.extend(naming.spellings.iter().copied());
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|m| seen.insert(*m));
    out
}

/// Elements a publisher builds cards and players from, and elements HTML does not define, which
/// only a script gives a meaning: custom elements (`lite-vimeo`), CKEditor 5's
/// `<oembed url="…">` (the element its media embeds are saved as), play-on-click buttons that
/// carry the video they start (`button.js-play-button[data-youtubelink="ID"]`, over the poster
/// they replace), and the widgets scripts
/// rendered before custom elements needed a hyphen (`widgets.js` drew embedded tweets as
/// `<twitterwidget data-tweet-id="…">` from 2016 to 2019, and pages saved after it ran keep
/// that element alone). Anchors are left out: a link named for a platform (`a.tweet-link`) in
/// an article's text is a link, not an embed; so are the other elements of HTML, SVG and MathML
/// (a heading, a list, an icon named for a platform is no player). So is a "tag" whose name holds
/// punctuation no script can name an element by (`<e[o].l=nt`): script code read as markup
/// (`r<e[o].length` in a script body decoded as hidden markup), not an element.
pub(crate) fn is_container(name: &str) -> bool {
    matches!(
        name,
        "div" | "figure" | "section" | "span" | "aside" | "article" | "li" | "button" | "dialog"
    ) || (!name.starts_with("amp-") && !is_defined_element(name) && is_script_element_name(name))
}

/// Whether a script could give an element of this name (lowercase) a meaning: the characters of
/// a custom element's name (ASCII letters, digits, `-`, `.`, `_`, and any non-ASCII character),
/// and the `:` of a namespaced widget (Facebook's XFBML `fb:post`).
fn is_script_element_name(name: &str) -> bool {
    name.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b':') || b >= 0x80)
}

/// Whether HTML (current or obsolete), SVG or MathML defines an element of this name
/// (lowercase): a closed list, so that any other name is an element only a script reads.
fn is_defined_element(name: &str) -> bool {
    DEFINED_ELEMENTS.binary_search(&name).is_ok()
}

/// The element names of HTML, current and obsolete, and of SVG and MathML as the HTML
/// tokenizer lowercases them, sorted.
const DEFINED_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "animate",
    "animatemotion",
    "animatetransform",
    "annotation",
    "annotation-xml",
    "applet",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "basefont",
    "bdi",
    "bdo",
    "bgsound",
    "big",
    "blink",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "circle",
    "cite",
    "clippath",
    "code",
    "col",
    "colgroup",
    "data",
    "datalist",
    "dd",
    "defs",
    "del",
    "desc",
    "details",
    "dfn",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "ellipse",
    "em",
    "embed",
    "feblend",
    "fecolormatrix",
    "fecomposite",
    "feflood",
    "fegaussianblur",
    "feimage",
    "femerge",
    "femergenode",
    "feoffset",
    "feturbulence",
    "fieldset",
    "figcaption",
    "figure",
    "filter",
    "font",
    "footer",
    "foreignobject",
    "form",
    "frame",
    "frameset",
    "g",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "image",
    "img",
    "input",
    "ins",
    "isindex",
    "kbd",
    "keygen",
    "label",
    "legend",
    "li",
    "line",
    "lineargradient",
    "link",
    "listing",
    "main",
    "map",
    "mark",
    "marker",
    "marquee",
    "mask",
    "math",
    "menu",
    "menuitem",
    "meta",
    "metadata",
    "meter",
    "mi",
    "mn",
    "mo",
    "ms",
    "mtext",
    "multicol",
    "nav",
    "nextid",
    "nobr",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "path",
    "pattern",
    "picture",
    "plaintext",
    "polygon",
    "polyline",
    "pre",
    "progress",
    "q",
    "radialgradient",
    "rb",
    "rect",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "script",
    "search",
    "section",
    "select",
    "slot",
    "small",
    "source",
    "spacer",
    "span",
    "stop",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "switch",
    "symbol",
    "table",
    "tbody",
    "td",
    "template",
    "text",
    "textarea",
    "textpath",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "tspan",
    "tt",
    "u",
    "ul",
    "use",
    "var",
    "video",
    "view",
    "wbr",
    "xmp",
];

/// Elements that are read only when they are named for embedding itself (`a.embedly-card`,
/// `blockquote.embedly-card`): an embed service's card script turns them into the post they
/// link to. Named for a platform alone they are a link or a quotation in the text.
pub(crate) fn is_card(name: &str) -> bool {
    matches!(name, "a" | "blockquote")
}

/// The words that name an element a stand-in for a platform's embed, drawn like its post, when
/// one class name holds one beside a word naming the platform: BuzzFeed's
/// `blockquote.js-tweet__placeholder`, which its script replaces by the post it draws, and the
/// privacy mode of Hugo's shortcodes (`div.s_instagram_simple`, `div.s_youtube_simple`), which
/// draws the post or the video's poster from its oEmbed answer and links to it instead of
/// loading the platform's script. Apart (`tweet-box placeholder-glow`, a loading skeleton;
/// `data-placeholder`; `simple-social-icons`), the two words name nothing together.
const STAND_IN_WORDS: &[&str] = &["placeholder", "simple"];

/// Whether one class name of the element holds one of `kind` and a word naming one of
/// `namings`' platforms (`js-tweet__placeholder`, `lazy-load-youtube`).
fn class_name_of(attrs: &[(Cow<'_, str>, &[u8])], namings: &[&Naming], kind: &[&str]) -> bool {
    attrs
        .iter()
        .filter(|(a, _)| a == "class")
        .flat_map(|(_, v)| class_names(v))
        .any(|class| {
            words(class).any(|w| kind.iter().any(|k| w.eq_ignore_ascii_case(k.as_bytes())))
                && words(class).any(|w| namings.iter().any(|n| n.named_by(w)))
        })
}

/// What an element is named for.
#[derive(Debug, Clone, Default)]
pub(crate) struct Named {
    /// The platforms named, in registry order.
    pub namings: Vec<&'static Naming>,
    /// Named for embedding, whatever the platform (or a stand-in of a platform named).
    pub embed: bool,
    /// Named a stand-in of a platform named (see [`STAND_IN_WORDS`]), and not for embedding
    /// otherwise: a drawn copy of one post, which links to its author's profile beside the post.
    pub placeholder: bool,
    /// Named for its platforms only by the keys of its JSON data (`{"spotify":"…"}`): an
    /// application's state, whose links to one show on several services name none of them.
    pub by_json_only: bool,
}

impl Named {
    /// The platforms whose posts the element may embed (empty: any).
    fn platforms(&self) -> Vec<Platform> {
        self.namings.iter().map(|n| n.platform).collect()
    }
}

/// Attribute values this long or longer are content (JSON, text), not names.
const MAX_NAME_VALUE: usize = 40;

/// Split a name into its words: runs of ASCII letters and digits, in the case they are written
/// (words are compared ASCII case-insensitively).
fn words(text: &[u8]) -> impl Iterator<Item = &[u8]> + '_ {
    text.split(|b| !b.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// The longest attribute value whose JSON keys are read: a widget's settings are a few hundred
/// bytes; an application's state (authors' `twitter` handles, links in article bodies) is
/// longer, and names no player.
const MAX_JSON_KEYS_SCAN: usize = 4096;

/// The keys of the JSON object or array an attribute value holds, raw
/// (`{"youtube_url":"…","video_type":"youtube"}`, or with `&quot;` for the quotes, as
/// attributes usually write it): page builders name a player's platform in its settings' keys
/// (`data-settings` of an Elementor video widget), not in its class. Keys are the quoted words
/// directly before a `:`, each at most 64 bytes; a value over [`MAX_JSON_KEYS_SCAN`] bytes
/// has none.
fn json_keys(value: &[u8]) -> impl Iterator<Item = &[u8]> + '_ {
    json_key_spans(value).map(|r| &value[r])
}

/// Where [`json_keys`] finds each key in `value`.
fn json_key_spans(value: &[u8]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    const QUOT: &[u8] = b"&quot;";
    let head = if is_json(value) && value.len() <= MAX_JSON_KEYS_SCAN {
        value
    } else {
        &[][..]
    };
    memchr::memchr_iter(b':', head).filter_map(move |colon| {
        let before = &head[..colon];
        let (inner, quote): (&[u8], &[u8]) = if let Some(b) = before.strip_suffix(QUOT) {
            (b, QUOT)
        } else {
            (before.strip_suffix(b"\"")?, b"\"")
        };
        let from = inner.len().saturating_sub(64);
        let open = memchr::memmem::rfind(&inner[from..], quote)? + from;
        Some(open + quote.len()..inner.len())
    })
}

/// Whether an attribute value holds JSON: an object or an array, after any whitespace.
fn is_json(value: &[u8]) -> bool {
    let first = value.iter().find(|b| !b.is_ascii_whitespace());
    matches!(first, Some(b'{' | b'['))
}

/// Whether a `<script>`'s `type` says it holds JSON data (`application/json`,
/// `application/ld+json`): settings to read, not code to run.
pub(crate) fn is_json_script_type(type_attr: &[u8]) -> bool {
    crate::model::start_tag::find_ascii_ci(type_attr, b"json").is_some()
}

/// Whether a JSON key spells an attribute name: the same letters and digits, ASCII
/// case-insensitively, once a `data-` prefix is dropped (`videoId` spells `data-video-id`).
fn spells(key: &str, attr: &str) -> bool {
    squashed(key).eq(squashed(attr))
}

/// A name's letters and digits, lowercased, without a `data-` prefix.
fn squashed(name: &str) -> impl Iterator<Item = char> + '_ {
    let name = name.strip_prefix("data-").unwrap_or(name);
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
}

/// Whether an attribute name or a JSON key names a bare post id of the platform: it spells one
/// of the platform's id attributes, or a word naming the platform followed by one of
/// [`ID_KEY_ENDS`] (`data-instagram-id`, Substack's `instagram_id`, `tweetId`, tine.no's
/// play-on-click `button[data-youtubelink="ID"]`). The id's shape is checked by
/// [`Naming::id_url`] all the same: a key ending in `link` that holds an address is read as
/// one, not as an id.
fn is_id_key(key: &str, naming: &Naming) -> bool {
    naming.read_id_attrs().any(|a| spells(key, a))
        || naming.words.iter().any(|w| {
            ID_KEY_ENDS
                .iter()
                .any(|end| squashed(key).eq(w.chars().chain(end.chars())))
        })
}

/// What follows a platform's word in a key that holds a post's id ([`is_id_key`]).
const ID_KEY_ENDS: &[&str] = &["id", "link"];

/// The words an id attribute of a player may hold besides `data` and its last word `id` when the
/// player names its platform in another attribute: Plyr's `data-plyr-provider="youtube"
/// data-plyr-embed-id="…"`, iframemanager's `data-service="youtube" data-id="…"`, the Tilda
/// site builder's `data-videolazy-type="youtube" data-videolazy-id="…"`. Words that say whose id
/// it is (`data-user-id`, `data-channel-id`) are not among them.
const GENERIC_ID_WORDS: &[&str] = &[
    "data",
    "embed",
    "video",
    "media",
    "item",
    "content",
    "clip",
    "plyr",
    "videolazy",
];

/// Whether an attribute name is a generic id attribute (see [`GENERIC_ID_WORDS`]), read only
/// for an element named for a single platform, whose id it then can only be: `data-` and
/// generic words ending in `id` (`data-plyr-embed-id`, `data-id`), or, without `data-`, a
/// generic word and `id` (tarteaucitron's `videoID`, embetty's `video-id`). `post` is not one of
/// the words: WordPress themes write the article's own id as `data-postid`/`data-post-id`. The
/// element's own `id` is not one: it names the element (`main-player`), not what it plays.
fn is_generic_id_key(attr: &str) -> bool {
    let generic = |w: &str| GENERIC_ID_WORDS.iter().any(|g| w.eq_ignore_ascii_case(g));
    let mut words = attr
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .peekable();
    let prefixed = words.next_if(|w| w.eq_ignore_ascii_case("data")).is_some();
    let Some(last) = words.next_back() else {
        return false;
    };
    // `id`, or a generic word run into it (`videoid`). Words are ASCII: any split is a boundary.
    let run_in = match last.len().checked_sub(2).map(|n| last.split_at(n)) {
        Some(("", id)) if id.eq_ignore_ascii_case("id") => false,
        Some((word, id)) if id.eq_ignore_ascii_case("id") && generic(word) => true,
        _ => return false,
    };
    let mut middle = words.peekable();
    let any_middle = middle.peek().is_some();
    middle.all(generic) && (prefixed || run_in || any_middle)
}

/// The attribute hand-built lazy players keep their item's id in when their class names the
/// platform: `div.youtube[data-embed="ID"]`, the play-on-click player that blog and theme code
/// has copied since 2014. Read only for an element named for a single platform.
const EMBED_ID_ATTRS: &[&str] = &["data-embed"];

/// Whether an attribute name is `data-` and a word naming the platform (`data-youtube="ID"`,
/// `data-yt`), the other way lazy players keep the id. The same attribute names a profile or a
/// setting elsewhere (`data-instagram="nytimes"` on a share bar, `data-youtube="true"`), so it is
/// read only on an element also named for embedding (`div.video_embed`).
fn is_word_key(attr: &str, naming: &Naming) -> bool {
    attr.get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("data-"))
        && attr
            .get(5..)
            .is_some_and(|rest| naming.words.iter().any(|w| rest.eq_ignore_ascii_case(w)))
}

/// Whether an attribute value is a word naming a platform (`data-embed="instagram"` says which
/// service a widget is for): no post id, though it may have an id's shape.
fn names_a_platform(value: &str) -> bool {
    crate::platforms::declared()
        .namings
        .iter()
        .any(|n| n.words.iter().any(|w| value.eq_ignore_ascii_case(w)))
}

/// Whether `attr` may hold a bare id of `naming`'s platform on an element named `named`.
fn names_id(attr: &str, naming: &Naming, named: &Named) -> bool {
    let single = named.namings.len() == 1;
    is_id_key(attr, naming)
        || (single
            && (is_generic_id_key(attr)
                || EMBED_ID_ATTRS.iter().any(|a| attr.eq_ignore_ascii_case(a))))
        || (single && named.embed && !named.placeholder && is_word_key(attr, naming))
}

/// The most query parameters of a frame address read for [`id_in_wrapper`].
const MAX_QUERY_PAIRS: usize = 32;

/// Query keys under which a wrapper player names the platform it plays. Campaign keys
/// (`utm_source=twitter`) say where a visitor came from, not what a frame plays.
const PROVIDER_KEYS: &[&str] = &["source", "provider", "service", "platform"];

/// Query keys under which a wrapper player names the item, besides the platform's own id keys.
const QUERY_ID_KEYS: &[&str] = &["id", "vid", "video_id"];

/// A bare id in the address of a wrapper player that names its platform and the item apart:
/// - in its query, the platform as the whole value of a provider key ([`PROVIDER_KEYS`]) and the
///   id under [`QUERY_ID_KEYS`] or a key naming that platform's ids: LiveJournal's embed proxy
///   `l.lj-toys.com/?…&source=youtube&vid=ID`;
/// - in its file name, the platform as a word of it, and the id as the whole fragment:
///   s9e/TextFormatter's frames (phpBB, Flarum, XenForo), `s9e.github.io/iframe/2/twitter.min.html#ID`;
///   or, where the file name also says it is a player ([`WRAPPER_PLAYER_WORDS`]), under
///   [`QUERY_ID_KEYS`]: FC2's blog player `static.fc2.com/…/ext_youtube_player.html?…&id=ID`.
///
/// Only when the address names exactly one platform, and the id has that platform's shape
/// ([`Naming::id_url`]). A platform's own address is left to its recogniser.
pub(crate) fn id_in_wrapper(url: &Url) -> Option<Url> {
    let key_is = |k: &str, keys: &[&str]| keys.iter().any(|w| k.eq_ignore_ascii_case(w));
    let file = url
        .path_segments()
        .and_then(|mut segs| segs.next_back())
        .unwrap_or_default();
    let file_words: Vec<&str> = file
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let player = file_words.iter().any(|w| key_is(w, WRAPPER_PLAYER_WORDS));
    let pairs: Vec<_> = url.query_pairs().take(MAX_QUERY_PAIRS).collect();
    let providers: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| key_is(k, PROVIDER_KEYS))
        .map(|(_, v)| v.trim())
        .collect();
    let by_query = !providers.is_empty();
    // Most frame addresses name no provider and carry no fragment: that ends it before any
    // platform is asked.
    if !by_query && url.fragment().is_none() && !player {
        return None;
    }
    let named_by: &[&str] = if by_query { &providers } else { &file_words };
    let declared = crate::platforms::declared();
    let mut named = declared.namings.iter().filter(|n| {
        named_by
            .iter()
            .any(|v| n.words.iter().any(|w| v.eq_ignore_ascii_case(w)))
    });
    let naming = named.next()?;
    let id_url = naming.id_url?;
    if named.next().is_some() || crate::platforms::recognise(url).is_some() {
        return None;
    }
    let in_query = || {
        pairs
            .iter()
            .filter(|(k, _)| key_is(k, QUERY_ID_KEYS) || (by_query && is_id_key(k, naming)))
            .find_map(|(_, v)| id_url(v.trim()))
    };
    if by_query {
        return in_query();
    }
    // s9e writes a theme after the id, in a second fragment (`#ID#theme=dark`).
    url.fragment()
        .and_then(|f| f.split('#').next())
        .and_then(|f| id_url(f.trim()))
        .or_else(|| player.then(in_query).flatten())
}

/// Words of a wrapper's file name that say it plays what its query names
/// (`ext_youtube_player.html`).
const WRAPPER_PLAYER_WORDS: &[&str] = &["player", "embed"];

/// A bare id in a widget's JSON settings, under a key that names the platform's ids
/// ([`is_id_key`]): Substack's video keeps `data-attrs='{"videoId":"…"}'` and, in its feeds, no
/// player (`data-video-id` is YouTube's, so `videoId` is read as it would be); its Instagram
/// card keeps `{"instagram_id":"…"}`.
fn id_in_json(value: &str, naming: &Naming) -> Option<Url> {
    id_under_keys(value, naming, |key| is_id_key(key, naming))
}

/// [`id_in_json`] of a player's own settings (a script of JSON data inside an element named for
/// one platform only), where a generic key (`videoId`, `embedId`: [`GENERIC_ID_WORDS`]) can
/// only be that platform's id, as a generic id attribute of such an element is. A bare `id`
/// is not one: settings name the player element by it (`"id": "main-player"`).
fn id_in_settings(value: &str, naming: &Naming) -> Option<Url> {
    id_under_keys(value, naming, |key| {
        is_id_key(key, naming)
            || GENERIC_ID_WORDS
                .iter()
                .any(|w| squashed(key).eq(w.chars().chain("id".chars())))
    })
}

/// The post whose id a string value under a key that `is_key` accepts names.
fn id_under_keys(value: &str, naming: &Naming, is_key: impl Fn(&str) -> bool) -> Option<Url> {
    let id_url = naming.id_url?;
    json_key_spans(value.as_bytes()).find_map(|key| {
        let key_text = value.get(key.clone())?;
        if !is_key(key_text) {
            return None;
        }
        // `"KEY":"VALUE"`, as a decoded attribute value writes it.
        let rest = value.get(key.end..)?.strip_prefix("\":")?;
        let rest = rest.trim_start().strip_prefix('"')?;
        let id = &rest[..rest.find('"')?];
        id_url(id.trim())
    })
}

/// Class names WordPress's `post_class()` writes for the post's taxonomy (`tag-twitter`,
/// `category-vimeo`): they say what the article is filed under, not what an element plays.
const TAXONOMY_CLASS_PREFIXES: &[&str] = &["tag-", "category-"];

/// The class names of a class value, leaving out taxonomy class names
/// ([`TAXONOMY_CLASS_PREFIXES`]).
fn class_names(value: &[u8]) -> impl Iterator<Item = &[u8]> + '_ {
    value.split(u8::is_ascii_whitespace).filter(|c| {
        !TAXONOMY_CLASS_PREFIXES.iter().any(|p| {
            c.get(..p.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
        })
    })
}

/// What the element with this tag name and these attributes (raw values) is named for, if
/// anything: its tag name, class, id, attribute names and short one-word attribute values.
pub(crate) fn named(name: &str, attrs: &[(Cow<'_, str>, &[u8])]) -> Option<Named> {
    // Every tag the scan steps over is asked: the words are borrowed, not copied, and the
    // element's own names (tag, class, id) are tested for [`NOT_A_PLAYER_WORDS`] as they are
    // read. Whole words only: a liveblog's `commentary` entries hold embeds.
    let not_a_player = |w: &[u8]| {
        NOT_A_PLAYER_WORDS
            .iter()
            .any(|n| w.eq_ignore_ascii_case(n.as_bytes()))
    };
    let mut tokens: Vec<&[u8]> = words(name.as_bytes()).collect();
    if tokens.iter().any(|t| not_a_player(t)) {
        return None;
    }
    // Keys of JSON values, which say what the element's data holds.
    let mut json: Vec<&[u8]> = Vec::new();
    for (attr, value) in attrs {
        tokens.extend(words(attr.as_bytes()));
        let is_name = matches!(&**attr, "class" | "id")
            || (value.len() < MAX_NAME_VALUE
                && !value.iter().any(|b| b.is_ascii_whitespace() || *b == b'/'));
        match &**attr {
            "class" | "id" => {
                let before = tokens.len();
                if &**attr == "class" {
                    tokens.extend(class_names(value).flat_map(words));
                } else {
                    tokens.extend(words(value));
                }
                if tokens[before..].iter().any(|t| not_a_player(t)) {
                    return None;
                }
            }
            "style" | "src" | "href" if is_name => {}
            _ if is_name => tokens.extend(words(value)),
            _ => match address_label(value) {
                Some(label) if !words(label).any(not_a_player) => tokens.extend(words(label)),
                Some(_) => {}
                None => json.extend(json_keys(value).flat_map(words)),
            },
        }
    }
    // Most of a tag's words can match no platform's word nor an embedding word: only those
    // that can are compared with every word.
    tokens.retain(|t| WORD_ENDS.may_match(t));
    json.retain(|t| WORD_ENDS.may_match(t));
    if tokens.is_empty() && json.is_empty() {
        return None;
    }
    let named_as = |tokens: &[&[u8]], words: &[&str]| {
        tokens
            .iter()
            .any(|t| words.iter().any(|w| word_matches(t, w)))
    };
    let mut by_names = false;
    let namings: Vec<&'static Naming> = crate::platforms::declared()
        .namings
        .iter()
        .filter(|n| {
            let named = tokens.iter().any(|t| n.named_by(t));
            by_names |= named;
            named || json.iter().any(|t| n.named_by(t))
        })
        .copied()
        .collect();
    let embed = named_as(&tokens, EMBED_WORDS)
        || named_as(&json, EMBED_WORDS)
        || (!namings.is_empty() && class_name_of(attrs, &namings, LAZY_WORDS));
    let placeholder =
        !embed && !namings.is_empty() && class_name_of(attrs, &namings, STAND_IN_WORDS);
    (embed || !namings.is_empty()).then_some(Named {
        by_json_only: !namings.is_empty() && !by_names,
        namings,
        embed: embed || placeholder,
        placeholder,
    })
}

/// The label of an address written after the words that say what it is, in one value
/// (`twitter-embed-https://twitter.com/…/status/ID`, as the BBC's pages mark a consent-gated
/// embed in `data-e2e`): the words before `http://`, `https://` or `//`, at most
/// [`MAX_NAME_VALUE`] bytes of ASCII letters, digits, `-`, `_` and `:`, ending with one of the
/// last three. The label names the element as a class would; the address is its post.
fn address_label(value: &[u8]) -> Option<&[u8]> {
    let at = memchr::memmem::find(&value[..value.len().min(MAX_NAME_VALUE + 8)], b"//")?;
    let label = value[..at]
        .strip_suffix(b"https:")
        .or_else(|| value[..at].strip_suffix(b"http:"))
        .unwrap_or(&value[..at]);
    let is_label = label.len() < MAX_NAME_VALUE
        && label.ends_with(b"-") | label.ends_with(b"_") | label.ends_with(b":")
        && label.iter().any(u8::is_ascii_alphabetic)
        && label
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':'));
    is_label.then_some(label)
}

/// Whether a start tag's bytes (`<` to `>`) may name its element for embedding: they hold an
/// embedding word, a lazy loader's word or one of [`STAND_IN_WORDS`], in any case. Exact in the
/// negative: every word [`named`] reads is a stretch of those bytes, so when this is false its
/// answer says no embedding. A card (`a`, `blockquote`) is read only when it is named for
/// embedding, and most cards the scan steps over are share and profile links: their words need
/// not be read.
pub(crate) fn may_be_named_for_embedding(tag: &[u8]) -> bool {
    EMBEDDING_WORDS.is_match(tag)
}

static EMBEDDING_WORDS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(EMBED_WORDS.iter().chain(LAZY_WORDS).chain(STAND_IN_WORDS))
        .unwrap_or_else(|e| panic!("embedding words: {e}"))
});

/// The bytes a word of a tag can start or end with to match ([`word_matches`]) a word of a
/// platform's naming or one of [`EMBED_WORDS`]: the first byte of each such word, and the last
/// of each of five letters or more (which a word may end with), in either case.
struct WordEnds {
    first: [bool; 256],
    last: [bool; 256],
}

impl WordEnds {
    fn new<'w>(words: impl IntoIterator<Item = &'w str>) -> WordEnds {
        let mut ends = WordEnds {
            first: [false; 256],
            last: [false; 256],
        };
        for word in words.into_iter().map(str::as_bytes) {
            let (Some(&first), Some(&last)) = (word.first(), word.last()) else {
                continue;
            };
            for b in [first.to_ascii_lowercase(), first.to_ascii_uppercase()] {
                ends.first[usize::from(b)] = true;
            }
            if word.len() >= 5 {
                for b in [last.to_ascii_lowercase(), last.to_ascii_uppercase()] {
                    ends.last[usize::from(b)] = true;
                }
            }
        }
        ends
    }

    /// False only when `token` matches none of the words.
    fn may_match(&self, token: &[u8]) -> bool {
        let (Some(&first), Some(&last)) = (token.first(), token.last()) else {
            return false;
        };
        self.first[usize::from(first)] || self.last[usize::from(last)]
    }
}

static WORD_ENDS: LazyLock<WordEnds> = LazyLock::new(|| {
    let namings = &crate::platforms::declared().namings;
    WordEnds::new(
        namings
            .iter()
            .flat_map(|n| n.words.iter().copied())
            .chain(EMBED_WORDS.iter().copied()),
    )
});

/// Whether [`read`] can find a post in the attributes of a start tag (names lowercased, values
/// raw): a bare id needs an id attribute of a platform it is named for, a URL needs `http` or
/// `//` in a value. Character references can spell anything, so a value holding `&` may too.
/// Exact in the negative: when this is false, the attributes name no post, and the element need
/// not be parsed to read them.
pub(crate) fn may_name_post(attrs: &[(Cow<'_, str>, &[u8])], named: &Named) -> bool {
    let has = |name: &str| attrs.iter().any(|(n, _)| n == name);
    let bare_id = named.namings.iter().any(|n| {
        n.id_url.is_some() && (has("id") || attrs.iter().any(|(a, _)| names_id(a, n, named)))
    });
    // A bare id may also sit in JSON settings (see `id_in_json`).
    let json_id = named.namings.iter().any(|n| n.id_url.is_some())
        && attrs
            .iter()
            .filter(|(n, _)| !matches!(&**n, "class" | "id" | "style"))
            .any(|(_, v)| json_keys(v).next().is_some());
    bare_id
        || json_id
        || attrs
            .iter()
            .filter(|(n, _)| !matches!(&**n, "class" | "id" | "style"))
            .any(|(_, v)| {
                v.contains(&b'&')
                    || v.windows(2).any(|w| w == b"//")
                    || v.windows(4).any(|w| w.eq_ignore_ascii_case(b"http"))
            })
}

/// Whether an element whose `id` is `BASE-N` is a WordPress sidebar widget: WordPress numbers
/// each widget instance `BASE-N` and gives it the class `widget_BASE` (`<li id="twitter-424849233"
/// class="widget-container widget_twitter">`, a site-drawn list of an account's tweets), so N
/// counts widgets, not posts.
fn is_wordpress_widget(base: &str, class: Option<&str>) -> bool {
    class.is_some_and(|class| {
        class.split_ascii_whitespace().any(|c| {
            c.get(..7)
                .is_some_and(|p| p.eq_ignore_ascii_case("widget_"))
                && c[7..].eq_ignore_ascii_case(base)
        })
    })
}

/// The post an element's own `id` names after a name of several words that names the platform
/// (General Mills' players: `div#youTubeContainer_PqsvBJ7QvW8`,
/// `div#youTube-Video-Image-Container_PqsvBJ7QvW8`), split at each `-`, `_` or `:` in turn (an id
/// may hold them too). The id must look drawn, not written: letters with a digit or a capital,
/// since an element's name may end in a word of an id's length (`youtube-description`) and ids
/// of digits alone (`twitter-widget-12345`) number widgets as often as they name posts.
fn suffixed_id(id: &str, naming: &Naming, id_url: fn(&str) -> Option<Url>) -> Option<Url> {
    id.match_indices(['-', '_', ':']).find_map(|(at, _)| {
        let (prefix, rest) = (&id[..at], &id[at + 1..]);
        let named = words(prefix.as_bytes()).any(|t| naming.named_by(t));
        let several_words = words(prefix.as_bytes()).nth(1).is_some()
            || prefix.bytes().skip(1).any(|b| b.is_ascii_uppercase());
        let drawn = rest.bytes().any(|b| b.is_ascii_alphabetic())
            && rest
                .bytes()
                .any(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
            && !is_written(rest);
        (named && several_words && drawn)
            .then(|| id_url(rest))
            .flatten()
    })
}

/// Whether the part of an element's `id` after a platform's name is written, not drawn: words
/// in lowercase, numbered or not, as people name furniture (`widget-5` of
/// `wpzoom_instagram_widget-5`, `feed-widget-2` of `instagram-feed-widget-2`, `carousel`), where
/// a platform's post id is drawn from an alphabet (`C8kQx2LtA1b`), or digits alone. Each part
/// between `-`, `_` and `:` is lowercase letters or digits, and one is a word of three letters
/// or more. (A drawn id of lowercase letters alone is possible, one in many thousands.)
fn is_written(rest: &str) -> bool {
    let mut parts = rest.split(['-', '_', ':']);
    let plain = parts.clone().all(|p| {
        p.bytes().all(|b| b.is_ascii_lowercase()) || p.bytes().all(|b| b.is_ascii_digit())
    });
    plain && parts.any(|p| p.len() >= 3 && p.bytes().all(|b| b.is_ascii_lowercase()))
}

/// The candidates a named element holds: a bare id in a declared id attribute or in its own
/// `id` after a word naming the platform, post URLs in its attributes (also inside JSON), and,
/// when it holds no embed form of its own, the links inside it (which must name one post).
pub(crate) fn read(el: ElementRef<'_>, base: &Url, named: &Named) -> Vec<Candidate> {
    let e = el.value();
    let name = e.name();
    let mut out = Vec::new();
    let post_of = |urls: Vec<Url>, evidence: String, platforms: Vec<Platform>| {
        let mut c = Candidate::new(urls, evidence)?;
        c.post_only = true;
        c.platforms = platforms;
        Some(c)
    };
    // A bare id, in an id attribute of a platform the element is named for.
    for naming in &named.namings {
        let Some(id_url) = naming.id_url else {
            continue;
        };
        // The declared id attributes first, then any other attribute named for the ids.
        let by_attr = naming
            .read_id_attrs()
            .chain(
                e.attrs()
                    .map(|(a, _)| a)
                    .filter(|a| names_id(a, naming, named)),
            )
            .find_map(|a| {
                let url = e
                    .attr(a)
                    .map(str::trim)
                    .filter(|v| !names_a_platform(v))
                    .and_then(id_url)?;
                Some((url, format!("{name}[{a}]")))
            });
        let by_id = || {
            let id = e.attr("id")?.trim();
            naming.words.iter().find_map(|w| {
                let rest = id.get(w.len()..)?;
                let prefixed = id[..w.len()].eq_ignore_ascii_case(w)
                    && rest.starts_with(['-', '_', ':'])
                    && !is_wordpress_widget(&id[..w.len()], e.attr("class"))
                    && !is_written(&rest[1..]);
                prefixed
                    .then(|| id_url(&rest[1..]))
                    .flatten()
                    .map(|url| (url, format!("{name}[id]")))
            })
        };
        let by_named_id = || {
            let id = e.attr("id")?.trim();
            suffixed_id(id, naming, id_url).map(|url| (url, format!("{name}[id]")))
        };
        let by_json = || {
            e.attrs()
                .filter(|(a, _)| !matches!(*a, "class" | "id" | "style"))
                .find_map(|(a, v)| Some((id_in_json(v, naming)?, format!("{name}[{a}]"))))
        };
        // Settings in a script of JSON data the element holds (read only when the scan parsed
        // its content: `scan::holds_json_script`).
        let by_script = || {
            if named.namings.len() != 1 {
                return None;
            }
            el.children()
                .filter_map(ElementRef::wrap)
                .filter(|c| {
                    c.value().name() == "script"
                        && c.value()
                            .attr("type")
                            .is_some_and(|t| is_json_script_type(t.as_bytes()))
                })
                .find_map(|c| {
                    let text: String = c.text().collect();
                    Some((id_in_settings(&text, naming)?, format!("{name} > script")))
                })
        };
        if let Some((url, evidence)) = by_attr
            .or_else(by_id)
            .or_else(by_named_id)
            .or_else(by_json)
            .or_else(by_script)
        {
            out.extend(post_of(vec![url], evidence, vec![naming.platform]));
            break;
        }
    }
    // Post URLs in its attributes: plain, or inside a JSON value of an element named for a
    // platform. JSON is a card's data when it names one post, and an application's state when
    // it names several (a podcast app's links to every directory): then it names none.
    let mut attr_urls = Vec::new();
    let mut first_attr = None;
    let mut from_json = false;
    for (attr, value) in e.attrs() {
        if matches!(attr, "class" | "id" | "style") {
            continue;
        }
        let before = attr_urls.len();
        from_json |= urls_in_value(value, base, !named.namings.is_empty(), &mut attr_urls);
        if attr_urls.len() > before && first_attr.is_none() {
            first_attr = Some(attr);
        }
    }
    if let Some(attr) = first_attr
        && let Some(mut c) = post_of(attr_urls, format!("{name}[{attr}]"), named.platforms())
    {
        if from_json {
            c.one_post = if named.by_json_only {
                OnePost::AgreedAcrossPlatforms
            } else {
                OnePost::Agreed
            };
        }
        out.push(c);
    }
    // The links inside an element named for embedding, unless an embed form inside speaks for
    // itself. An element named only for a platform (a publisher's own list of recent posts,
    // its follow links) links to posts without embedding them.
    let holds_form = || {
        el.descendent_elements()
            .skip(1)
            .any(|d| read_element(d, base).is_some())
    };
    // An element named for embedding whose whole content is one address (CKEditor 4's
    // `<oembed>URL</oembed>`, as its semantic embed plugin saves media): that address.
    if named.embed
        && out.is_empty()
        && let Some(url) = text_address(el, base)
        && let Some(c) = post_of(vec![url], format!("{name} text"), named.platforms())
    {
        out.push(c);
        return out;
    }
    if named.embed && !holds_form() {
        let links: Vec<Url> = el
            .descendent_elements()
            .filter(|d| d.value().name() == "a")
            .filter_map(|a| a.value().attr("href"))
            .filter_map(|h| absolute(base, h))
            .take(MAX_URLS)
            .collect();
        if let Some(mut c) = post_of(links, format!("{name} a"), named.platforms()) {
            // A wrapper holds the link to its post and nothing else; a list of links (a
            // podcast's directories, an author's accounts) is not an embed. A placeholder
            // drawn like the post links to its author too: every post it links to must agree.
            c.one_post = if named.placeholder {
                OnePost::Agreed
            } else {
                OnePost::Only
            };
            out.push(c);
        }
    }
    out
}

/// The element's content when it is text alone (no element inside) holding one http(s)
/// address and nothing else.
fn text_address(el: ElementRef<'_>, base: &Url) -> Option<Url> {
    if el.children().any(|c| c.value().is_element()) {
        return None;
    }
    let text: String = el.text().collect();
    let text = text.trim();
    (looks_like_url(text) && !text.contains(char::is_whitespace))
        .then(|| absolute(base, text))
        .flatten()
}

/// The most URLs read from one element's attributes or links.
const MAX_URLS: usize = 64;

/// URLs in one attribute value: the value itself when it is a URL, else (with `json`) the
/// `http(s)` URLs in it when it is JSON (`{"url":"https:\/\/…"}`). Whether it read JSON.
pub(super) fn urls_in_value(value: &str, base: &Url, json: bool, out: &mut Vec<Url>) -> bool {
    let v = value.trim();
    if looks_like_url(v) {
        out.extend(absolute(base, v));
        return false;
    }
    if json && let Some(url) = url_in_query(v) {
        out.extend(absolute(base, &url));
        return false;
    }
    if json && let Some(label) = address_label(v.as_bytes()) {
        let address = &v[label.len()..];
        if looks_like_url(address) {
            out.extend(absolute(base, address));
        }
        return false;
    }
    if !json || !is_json(v.as_bytes()) || !v.contains("http") {
        return false;
    }
    let unescaped;
    let v = if v.contains("\\/") {
        unescaped = v.replace("\\/", "/");
        unescaped.as_str()
    } else {
        v
    };
    let mut rest = v;
    while out.len() < MAX_URLS {
        let Some(at) = rest.find("http") else {
            break;
        };
        let tail = &rest[at..];
        let len = tail
            .find(|c: char| matches!(c, '"' | '\'' | '<' | '>' | '\\') || c.is_whitespace())
            .unwrap_or(tail.len());
        let candidate = &tail[..len];
        if candidate.starts_with("http://") || candidate.starts_with("https://") {
            out.extend(absolute(base, candidate));
        }
        rest = &tail[len.max(4)..];
    }
    true
}

/// The address a value written as a query string names (`href=URL&show_text=true`):
/// iframemanager's Facebook services keep the plugin's query, not a bare id, in `data-id`. The
/// first parameter's value that is an address, read as the plugin reads the query.
fn url_in_query(value: &str) -> Option<String> {
    let key_len = value
        .find('=')
        .filter(|&n| n > 0 && !value.contains(char::is_whitespace))?;
    let key = &value[..key_len];
    if !key
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return None;
    }
    url::form_urlencoded::parse(value.as_bytes())
        .take(MAX_QUERY_PAIRS)
        .map(|(_, v)| v.into_owned())
        .find(|v| v.starts_with("https://") || v.starts_with("http://"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Any start tag that [`named`] finds named for embedding passes the byte test that lets
    /// the scan skip reading a card's words.
    #[test]
    fn a_tag_named_for_embedding_passes_the_byte_test() {
        let pieces = [
            "<a",
            "<blockquote",
            " class=\"",
            "\"",
            " ",
            "embed",
            "Embedded",
            "EMBED-code",
            "lazy",
            "LazyLoad",
            "lazy-load-youtube",
            "youtube-lazy",
            "placeholder",
            "js-tweet__placeholder",
            "twitter",
            "tweet",
            "instagram",
            "share",
            "x",
            "-",
            " data-embed=\"1\"",
            " data-settings=\"{&quot;embed_url&quot;:1}\"",
            " data-x='{\"lazy\":1}'",
            " id=\"yt-",
            " href=\"https://twitter.com/a/status/1\"",
        ];
        // A fixed xorshift sequence, so that a failure names a tag that fails again.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut named_for_embedding = 0;
        for _ in 0..20_000 {
            let shape = next();
            let mut tag = String::from(if shape.is_multiple_of(2) {
                "<a"
            } else {
                "<blockquote"
            });
            for _ in 0..(shape % 9) {
                tag.push_str(pieces[(next() % pieces.len() as u64) as usize]);
            }
            tag.push('>');
            let Some(start) = crate::discover::tag::read_start_tag(tag.as_bytes(), 0) else {
                continue;
            };
            if named(&start.name, &start.attrs).is_some_and(|n| n.embed) {
                named_for_embedding += 1;
                assert!(may_be_named_for_embedding(tag.as_bytes()), "{tag}");
            }
        }
        assert!(named_for_embedding > 100, "{named_for_embedding}");
        assert!(!may_be_named_for_embedding(
            b"<a class=\"share-twitter\" href=\"https://twitter.com/intent/tweet?url=x\">"
        ));
    }
    use scraper::Html;

    fn base() -> Url {
        Url::parse("https://news.example/a").unwrap()
    }

    /// Every word of a platform's naming and every embedding word.
    fn all_words() -> Vec<&'static str> {
        crate::platforms::declared()
            .namings
            .iter()
            .flat_map(|n| n.words.iter().copied())
            .chain(EMBED_WORDS.iter().copied())
            .collect()
    }

    /// The quick test passes every word that matches a platform's or the embedding words,
    /// however it is written around them, and turns away words that match none.
    #[test]
    fn words_that_may_name_a_platform_pass_the_quick_test() {
        let words = all_words();
        assert!(words.len() > 10, "{words:?}");
        for word in &words {
            for spelled in [
                word.to_string(),
                word.to_ascii_uppercase(),
                format!("{}{}", word[..1].to_ascii_uppercase(), &word[1..]),
            ] {
                for token in [
                    spelled.clone(),
                    format!("{spelled}9"),
                    format!("js{spelled}"),
                ] {
                    let matches = words.iter().any(|w| word_matches(token.as_bytes(), w));
                    assert!(!matches || WORD_ENDS.may_match(token.as_bytes()), "{token}");
                }
            }
        }
        for token in ["nav", "wrap", "0", "22"] {
            assert!(!words.iter().any(|w| word_matches(token.as_bytes(), w)));
            assert!(!WORD_ENDS.may_match(token.as_bytes()), "{token}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_quick_test_turns_away_only_words_that_name_nothing(
            pick in 0usize..1000,
            before in "[a-zA-Z0-9]{0,4}",
            after in "[a-zA-Z0-9]{0,4}",
            upper in proptest::bool::ANY,
        ) {
            let words = all_words();
            let word = words[pick % words.len()];
            let word = if upper { word.to_ascii_uppercase() } else { word.to_owned() };
            for token in [format!("{before}{word}{after}"), format!("{before}{after}")] {
                let matches = words.iter().any(|w| word_matches(token.as_bytes(), w));
                proptest::prop_assert!(!matches || WORD_ENDS.may_match(token.as_bytes()), "{}", token);
            }
        }
    }

    #[test]
    fn json_keys_are_read_from_raw_attribute_values() {
        let keys = |v: &str| -> Vec<String> {
            json_keys(v.as_bytes())
                .map(|k| String::from_utf8_lossy(k).into_owned())
                .collect()
        };
        assert_eq!(
            keys(
                "{&quot;youtube_url&quot;:&quot;https:\\/\\/youtu.be\\/x&quot;,&quot;video_type&quot;:&quot;youtube&quot;}"
            ),
            ["youtube_url", "video_type"]
        );
        assert_eq!(
            keys(r#" [{"vimeo_url": "https://vimeo.com/1"}]"#),
            ["vimeo_url"]
        );
        // Not JSON: a URL's colon or a style's is no key.
        assert!(keys("https://www.youtube.com/watch?v=x").is_empty());
        assert!(keys("color:red; \"x\":1").is_empty());
        // A long value is an application's state, not a widget's settings.
        let long = format!(
            "{{&quot;tiktok&quot;:1,&quot;x&quot;:&quot;{}&quot;}}",
            "y".repeat(MAX_JSON_KEYS_SCAN)
        );
        assert!(keys(&long).is_empty());
    }

    #[test]
    fn ids_in_json_are_read_under_a_key_that_spells_an_id_attribute() {
        let naming = crate::platforms::declared()
            .naming(Platform::Youtube)
            .expect("youtube naming");
        let id = |v: &str| id_in_json(v, naming).map(|u| u.to_string());
        let watch = Some("https://www.youtube.com/watch?v=IvRmwiYdA_A".to_owned());
        assert_eq!(id(r#"{"videoId":"IvRmwiYdA_A","startTime":null}"#), watch);
        assert_eq!(id(r#"{"a":1,"data-video-id":" IvRmwiYdA_A "}"#), watch);
        // Another key, a value of the wrong shape, a value that is not a string.
        assert_eq!(id(r#"{"title":"IvRmwiYdA_A"}"#), None);
        assert_eq!(id(r#"{"videoId":"short"}"#), None);
        assert_eq!(id(r#"{"videoId":12345678901}"#), None);
    }

    fn named_of(html: &str) -> Option<Named> {
        let tag = crate::discover::tag::read_start_tag(html.as_bytes(), 0).unwrap();
        named(&tag.name, &tag.attrs)
    }

    fn read_html(html: &str) -> Vec<(String, Vec<String>, OnePost)> {
        let Some(n) = named_of(html) else {
            return Vec::new();
        };
        let doc = Html::parse_fragment(html);
        let el = doc
            .root_element()
            .descendent_elements()
            .find(|e| e.value().name() != "html")
            .unwrap();
        read(el, &base(), &n)
            .into_iter()
            .map(|c| {
                (
                    c.evidence,
                    c.urls.iter().map(Url::to_string).collect(),
                    c.one_post,
                )
            })
            .collect()
    }

    fn platforms(html: &str) -> Vec<Platform> {
        named_of(html).map(|n| n.platforms()).unwrap_or_default()
    }

    /// A value that labels an address (`twitter-embed-https://…`) names the element by its
    /// label's words, and the address is read; a label of a share button names nothing, and
    /// neither does an address written without a label or with words that run into it.
    #[test]
    fn labelled_addresses_name_the_element_and_its_post() {
        let tweet = "https://twitter.com/BBCNews/status/1384138850478346243?s=20";
        let html = format!(r#"<div class="e3" data-e2e="twitter-embed-{tweet}"></div>"#);
        assert_eq!(platforms(&html), [Platform::X]);
        assert!(named_of(&html).is_some_and(|n| n.embed));
        assert_eq!(
            read_html(&html),
            [(
                "div[data-e2e]".to_owned(),
                vec![tweet.to_owned()],
                OnePost::First
            )]
        );
        for value in [
            format!("twitter-share-{tweet}"),
            format!("twitterembed{tweet}"),
            format!("see {tweet}"),
            tweet.to_owned(),
            format!("{}-{tweet}", "twitter-embed".repeat(4)),
        ] {
            let html = format!(r#"<div class="e3" data-e2e="{value}"></div>"#);
            assert!(named_of(&html).is_none(), "{value}");
        }
        assert_eq!(
            address_label(b"youtube-embed-//www.youtube.com/embed/x"),
            Some(&b"youtube-embed-"[..])
        );
        assert_eq!(address_label(b"url:http://a.example/"), Some(&b"url:"[..]));
        assert_eq!(address_label(b"-https://a.example/"), None);
    }

    #[test]
    fn names_come_from_classes_ids_and_short_values() {
        assert_eq!(
            platforms(r#"<div class="youtube__content player">"#),
            [Platform::Youtube]
        );
        assert_eq!(
            platforms(r#"<div id="yt-Fnia89zY7FI" class="loaded">"#),
            [Platform::Youtube]
        );
        assert_eq!(
            platforms(r#"<div data-provider="youtube" id="player">"#),
            [Platform::Youtube]
        );
        assert_eq!(
            platforms(r#"<div data-component-name="Twitter2ToDOM" class="tweet">"#),
            [Platform::X]
        );
        assert_eq!(platforms(r#"<div class="tweets-list">"#), [Platform::X]);
        let embed = named_of(r#"<figure class="social-embed">"#).unwrap();
        assert!(embed.embed && embed.namings.is_empty());
        assert!(named_of(r#"<div class="oembed-container">"#).unwrap().embed);
        assert!(named_of(r#"<div class="social-links">"#).is_none());
        // Not names: a hash that happens to hold the letters, prose in a title, no name at all.
        assert!(named_of(r#"<div class="Yt7fK">"#).is_none());
        assert!(named_of(r#"<div title="Watch this on YouTube today">"#).is_none());
        assert!(named_of(r#"<div class="article-body">"#).is_none());
        assert!(named_of(r#"<div class="sytle">"#).is_none());
    }

    #[test]
    fn bare_ids_in_named_elements() {
        let cases = [
            (
                r#"<div id="fXwgOYJZ" data-video-id="xMI66kpo9Tw" class="youtube__content player"></div>"#,
                "div[data-video-id]",
                "https://www.youtube.com/watch?v=xMI66kpo9Tw",
            ),
            (
                r#"<div id="yt-Fnia89zY7FI" class="youtube-embed loaded"></div>"#,
                "div[id]",
                "https://www.youtube.com/watch?v=Fnia89zY7FI",
            ),
            (
                r#"<div data-provider="youtube" data-video-id="fWyinDF_qUM" id="player"></div>"#,
                "div[data-video-id]",
                "https://www.youtube.com/watch?v=fWyinDF_qUM",
            ),
            (
                r#"<div class="tweet-embed" data-tweet-id="1409859839220662273"></div>"#,
                "div[data-tweet-id]",
                "https://twitter.com/i/status/1409859839220662273",
            ),
            // The IFrame Player API's element name, numbered (asahi.com's players).
            (
                r#"<div id="ytplayer1" data-disableads="0" data-videoid="c_f64tqgAtY" class="ytpfp"></div>"#,
                "div[data-videoid]",
                "https://www.youtube.com/watch?v=c_f64tqgAtY",
            ),
            // embetty's tweet: its id under a word attribute, read where a word names X.
            (
                r#"<embetty-tweet status="950371792874557440"></embetty-tweet>"#,
                "embetty-tweet[status]",
                "https://twitter.com/i/status/950371792874557440",
            ),
        ];
        for (html, evidence, url) in cases {
            let got = read_html(html);
            assert_eq!(got[0].0, evidence, "{html}");
            assert_eq!(got[0].1, [url], "{html}");
        }
        // An id of the wrong shape, or an id on an element not named for the platform.
        for html in [
            r#"<div class="youtube-embed" data-video-id="6312345678001"></div>"#,
            r#"<div class="player" data-video-id="xMI66kpo9Tw"></div>"#,
            r#"<div class="tweet-count" data-tweet-id="12"></div>"#,
            r#"<div class="tweet-box" status="published"></div>"#,
            r#"<div class="post" status="950371792874557440"></div>"#,
            r#"<embetty-video status="950371792874557440"></embetty-video>"#,
        ] {
            assert!(
                read_html(html).iter().all(|(e, _, _)| !e.ends_with("id]")),
                "{html}"
            );
        }
    }

    #[test]
    fn post_urls_in_attributes_and_json() {
        let html = r#"<div class="tweet" data-attrs="{&quot;url&quot;:&quot;https://twitter.com/a/status/123?s=1&quot;,&quot;photos&quot;:[]}"><a href="https://twitter.com/a/status/123">x</a></div>"#;
        let got = read_html(html);
        assert_eq!(got[0].0, "div[data-attrs]");
        assert_eq!(got[0].1, ["https://twitter.com/a/status/123?s=1"]);
        assert_eq!(got[0].2, OnePost::Agreed, "JSON must name one post");
        // Named for the platform only: its links are not read.
        assert_eq!(got.len(), 1);
        let card =
            r#"<div class="tweet-embed"><a href="https://twitter.com/a/status/123">x</a></div>"#;
        assert_eq!(
            read_html(card),
            [(
                "div a".to_owned(),
                vec!["https://twitter.com/a/status/123".to_owned()],
                OnePost::Only
            )]
        );
        // A publisher's own list of recent posts links to posts without embedding them.
        let recent = r#"<div class="tweet_meta"><a href="https://twitter.com/a/status/123">2 mins ago</a></div>"#;
        assert!(read_html(recent).is_empty());
        let escaped = r#"<div class="instagram-card" data-json='{"href":"https:\/\/www.instagram.com\/p\/ABCdef12345\/"}'></div>"#;
        assert_eq!(
            read_html(escaped)[0].1,
            ["https://www.instagram.com/p/ABCdef12345/"]
        );
        // heise's embetty (its README): the post's address on a custom element named for
        // Mastodon.
        let embetty = r#"<embetty-mastodon status="https://social.heise.de/@heiseonline/110372412617177781"></embetty-mastodon>"#;
        assert_eq!(
            read_html(embetty),
            [(
                "embetty-mastodon[status]".to_owned(),
                vec!["https://social.heise.de/@heiseonline/110372412617177781".to_owned()],
                OnePost::First
            )]
        );
        // Named only for embedding: an application's JSON state is not read, a plain URL is.
        let app = r#"<div id="embed-app" data-show='{"overcast":"https://overcast.fm/itunes1206165808/the-indie-hackers-podcast"}'></div>"#;
        assert!(read_html(app).is_empty());
        // Named for a platform by a JSON key only, JSON is read, and every post it names must
        // agree: a podcast app's links to one show on two directories name none (see
        // `discover::tests::consent_placeholders_keeping_an_id_and_app_state_naming_two_platforms`).
        let app = r#"<div id="embed-app" data-show='{"apple_podcasts_url":"https://podcasts.apple.com/us/podcast/the-indie-hackers-podcast/id1206165808","spotify":"https://open.spotify.com/show/4ex8hmrHCPvPohKJb3wsuC"}'></div>"#;
        assert_eq!(read_html(app)[0].2, OnePost::AgreedAcrossPlatforms);
        let lazy =
            r#"<div class="embed-lazy" data-url="https://www.instagram.com/p/ABCdef12345/"></div>"#;
        assert_eq!(read_html(lazy)[0].0, "div[data-url]");
    }

    #[test]
    fn links_count_only_without_an_embed_form_inside() {
        let wrapper = r#"<div class="embed-container"><iframe src="https://www.youtube.com/embed/abcdefghijk"></iframe><a href="https://www.youtube.com/watch?v=abcdefghijk">link</a></div>"#;
        assert!(read_html(wrapper).is_empty());
        let card = r#"<div class="embed-card"><p>Text</p><a href="https://www.instagram.com/p/ABCdef12345/">View</a></div>"#;
        assert_eq!(read_html(card)[0].0, "div a");
    }

    /// A player named for its platform that keeps its settings in a script of JSON data inside
    /// it (Webedia's Directo al Paladar, among markusmobius/go-trafilatura's test pages).
    #[test]
    fn settings_in_a_json_script_inside_name_the_post() {
        let player = r#"<div class="js-dailymotion"><script type="application/json">{"videoId":"x81cesg","autoplay":true,"title":"Cómo hacer el SALMOREJO PERFECTO", "tag":"salmorejo"}</script></div>"#;
        assert_eq!(
            read_html(player),
            [(
                "div > script".to_owned(),
                vec!["https://www.dailymotion.com/video/x81cesg".to_owned()],
                OnePost::First
            )]
        );
        // The element's own id in the settings is not the video's.
        let named_player = r#"<div class="youtube-player"><script type="application/json">{"id":"main-player","videoId":"dQw4w9WgXcQ"}</script></div>"#;
        assert_eq!(
            read_html(named_player)[0].1,
            ["https://www.youtube.com/watch?v=dQw4w9WgXcQ"]
        );
        // A script of any other type is code, not settings.
        let code =
            r#"<div class="js-dailymotion"><script>var s = {"videoId":"x81cesg"};</script></div>"#;
        assert_eq!(read_html(code), []);
    }

    #[test]
    fn widget_ids_named_for_a_platform_name_no_post() {
        // WordPress Instagram widgets, as real sidebars write them (WPZOOM, Jetpack, a feed
        // plugin; the ids of laweekly.com, eatwhattonight.com and aflavorjournal.com pages among
        // markusmobius/go-trafilatura's test pages): the words after the platform's name number
        // a widget.
        for furniture in [
            r#"<div class="widget zoom-instagram-widget" id="wpzoom_instagram_widget-5"><h3>Instagram</h3></div>"#,
            r#"<div class="widget" id="wpcom_instagram_widget-2"><h3>Instagram</h3></div>"#,
            r#"<div class="widget" id="instagram-feed-widget-2"></div>"#,
            r#"<div id="instagram-carousel"></div>"#,
        ] {
            assert_eq!(read_html(furniture), [], "{furniture}");
        }
        // Drawn ids after the name still are posts.
        for (post, url) in [
            (
                r#"<div id="instagram-C8kQx2LtA1b"></div>"#,
                "https://www.instagram.com/p/C8kQx2LtA1b/",
            ),
            (
                r#"<div id="youTubeContainer_PqsvBJ7QvW8"></div>"#,
                "https://www.youtube.com/watch?v=PqsvBJ7QvW8",
            ),
            (
                r#"<div id="twitter-1344674880523415553"></div>"#,
                "https://twitter.com/i/status/1344674880523415553",
            ),
        ] {
            let read = read_html(post);
            assert_eq!(read.len(), 1, "{post}: {read:?}");
            assert_eq!(read[0].1, [url], "{post}");
        }
    }

    #[test]
    fn ids_under_names_of_the_platform() {
        // Substack's Instagram card, as its pages write it (from the Substack importer tests of
        // TryGhost/Ghost): the shortcode under `instagram_id`.
        let substack = r#"<div class="instagram" data-attrs="{&quot;instagram_id&quot;:&quot;QWERTYNgZO8&quot;,&quot;title&quot;:&quot;A post shared by Example User (@exampleuser)&quot;,&quot;author_name&quot;:&quot;exampleuser&quot;}"></div>"#;
        assert_eq!(
            read_html(substack)[0].1,
            ["https://www.instagram.com/p/QWERTYNgZO8/"]
        );
        // An attribute named for the platform's ids, though no platform declares it.
        let attr = r#"<div class="social-card" data-instagram-id="QWERTYNgZO8"></div>"#;
        assert_eq!(
            read_html(attr),
            [(
                "div[data-instagram-id]".to_owned(),
                vec!["https://www.instagram.com/p/QWERTYNgZO8/".to_owned()],
                OnePost::First
            )]
        );
        // A play-on-click button over a recipe's poster (tine.no): the video under the
        // platform's word and `link`.
        let button = r#"<button class="a-btn m-media__button js-play-button" data-youtubelink="hOgxD4CVRGU" data-youtubetitle="Rask kylling tikka masala">"#;
        assert_eq!(
            read_html(button),
            [(
                "button[data-youtubelink]".to_owned(),
                vec!["https://www.youtube.com/watch?v=hOgxD4CVRGU".to_owned()],
                OnePost::First
            )]
        );
        assert!(is_container("button"));
        // A video's modal dialog, opened by a "Watch now" button (cynomi.com, 2025): the
        // platform in one attribute's value, the video in another's.
        let dialog = r#"<dialog data-modal-dialog data-modal-video data-video-source="youtube" data-video-id="C8CVgBHdico">"#;
        assert_eq!(
            read_html(dialog)[0].1,
            ["https://www.youtube.com/watch?v=C8CVgBHdico"]
        );
        assert!(is_container("dialog"));
        // A player's container whose own id is a name naming the platform and the video.
        let container = r#"<div class="youTubeContainer" id="youTubeContainer_PqsvBJ7QvW8">"#;
        assert_eq!(
            read_html(container)[0].1,
            ["https://www.youtube.com/watch?v=PqsvBJ7QvW8"]
        );
        for not_a_post in [
            r#"<div class="youtube-box" id="youtube-box_description">"#,
            r#"<div class="tweet-box" id="tweet-box-1400000000000000001">"#,
            r#"<div class="youtube" id="youtubeLink_PqsvBJ7QvW">"#,
        ] {
            assert!(read_html(not_a_post).is_empty(), "{not_a_post}");
        }
        let tweet =
            r#"<div class="tweet-box" data-props='{"tweetId":"1400000000000000001"}'></div>"#;
        assert_eq!(
            read_html(tweet)[0].1,
            ["https://twitter.com/i/status/1400000000000000001"]
        );
        // A key naming another thing of the platform, or an id of the wrong shape, is no post.
        for html in [
            r#"<div class="instagram" data-attrs='{"instagram_user":"QWERTYNgZO8"}'></div>"#,
            r#"<div class="instagram" data-instagram-id="12"></div>"#,
            r#"<div class="instagram" data-attrs='{"instagramid2":"QWERTYNgZO8"}'></div>"#,
            r#"<button class="share" data-youtubelink="https://www.youtube.com/@chef">"#,
            r#"<button class="share-twitter" data-url="https://news.example/a">"#,
        ] {
            assert!(read_html(html).is_empty(), "{html}");
        }
    }

    #[test]
    fn players_that_name_their_platform_in_another_attribute() {
        // Plyr's progressive-enhancement players (its README) and iframemanager's placeholders
        // (its README): the platform in one attribute, the item's id in a generic one.
        let cases = [
            (
                r#"<div id="player" data-plyr-provider="youtube" data-plyr-embed-id="bTqVqk7FSmY"></div>"#,
                "div[data-plyr-embed-id]",
                "https://www.youtube.com/watch?v=bTqVqk7FSmY",
            ),
            (
                r#"<div data-service="youtube" data-id="5b35haQV7tU" data-autoscale></div>"#,
                "div[data-id]",
                "https://www.youtube.com/watch?v=5b35haQV7tU",
            ),
            (
                r#"<div id="player" data-plyr-provider="vimeo" data-plyr-embed-id="76979871"></div>"#,
                "div[data-plyr-embed-id]",
                "https://vimeo.com/76979871",
            ),
            // The Tilda site builder's video block before its script ran.
            (
                r#"<div class="t-video-lazyload t-width t-width_10" data-videolazy-type="youtube" data-videolazy-id="1IaWz0REXsE" data-videolazy-load="false"></div>"#,
                "div[data-videolazy-id]",
                "https://www.youtube.com/watch?v=1IaWz0REXsE",
            ),
            // tarteaucitron.js's consent placeholders (`tarteaucitron.services.js`, the
            // attributes its services read): the class names the service, the id sits in an
            // attribute of the service's own name.
            (
                r#"<div class="vimeo_player" videoID="76979871" width="640" height="360"></div>"#,
                "div[videoid]",
                "https://vimeo.com/76979871",
            ),
            (
                r#"<div class="instagram_post" postId="CxOWiQNP2MO" width="400"></div>"#,
                "div[postid]",
                "https://www.instagram.com/p/CxOWiQNP2MO/",
            ),
            // heise's embetty (its README): a custom element naming the platform in `type`.
            (
                r#"<embetty-video type="vimeo" start-at="96" video-id="223099532"></embetty-video>"#,
                "embetty-video[video-id]",
                "https://vimeo.com/223099532",
            ),
        ];
        for (html, evidence, url) in cases {
            let got = read_html(html);
            assert_eq!(got[0].0, evidence, "{html}");
            assert_eq!(got[0].1, [url], "{html}");
        }
        // Whose id it is, said in the name; the element's own id; named for two platforms; the
        // wrong shape.
        for html in [
            r#"<div data-service="youtube" data-channel-id="dQw4w9WgXcQ"></div>"#,
            r#"<div class="youtube" id="main-player"></div>"#,
            r#"<div class="youtube twitter" data-id="dQw4w9WgXcQ"></div>"#,
            r#"<div data-service="youtube" data-id="42"></div>"#,
            r#"<div class="vimeo_player" userid="76979871"></div>"#,
            r#"<div class="vimeo_player" id="76979871"></div>"#,
        ] {
            assert!(read_html(html).is_empty(), "{html}");
        }
    }

    #[test]
    fn deferred_players_named_for_a_platform_link_to_their_post() {
        // Lazy Load for Videos (WordPress plugin, its `lazyload-youtube` output): the player
        // is a link to the video until the reader clicks it.
        let plugin = r#"<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" class="lazy-load-youtube preview-lazyload preview-youtube">https://www.youtube.com/watch?v=dQw4w9WgXcQ</a>"#;
        assert!(named_of(plugin).is_some_and(|n| n.embed));
        assert_eq!(
            read_html(plugin)[0],
            (
                "a[href]".to_owned(),
                vec!["https://www.youtube.com/watch?v=dQw4w9WgXcQ".to_owned()],
                OnePost::First
            )
        );
        // A deferred image linking to a post is a link, and a tile of an account's feed is one
        // of many; a deferred list of a channel's videos names several.
        for html in [
            r#"<div class="lazyload"><a href="https://twitter.com/a/status/1234567"><img src="t.png"></a></div>"#,
            r#"<div class="lazyload" id="main"><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">v</a></div>"#,
            r#"<div class="instagram-item lazy"><a href="https://www.instagram.com/p/CxOWiQNP2MO/"><img class="lazy" data-src="a.jpg"></a></div>"#,
        ] {
            assert!(read_html(html).is_empty(), "{html}");
        }
        let list = r#"<div class="youtube-lazy"><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">1</a><a href="https://www.youtube.com/watch?v=abcdefghijk">2</a></div>"#;
        assert_eq!(read_html(list)[0].2, OnePost::Only);
    }

    #[test]
    fn taxonomy_classes_comment_widgets_and_platform_names_name_no_post() {
        // WordPress's `post_class()` on an article filed under a tag (arkhe's `single.php`).
        let article = r#"<article id="post-104512" class="post-104512 post type-post hentry category-news tag-twitter" data-postid="104512"></article>"#;
        assert!(named_of(article).is_none());
        // A comments widget shows the replies to a post (oom-components/mastodon-comments).
        let comments = r#"<oom-comments cache="60" mastodon="https://mastodon.gal/@misteroom/110810445656343599">No comments yet.</oom-comments>"#;
        assert!(named_of(comments).is_none());
        // `data-embed` saying which service a wrapper is for (a Jekyll embed plugin's output).
        let wrapper = r#"<div class="embed embed-instagram" data-embed="instagram"></div>"#;
        assert!(read_html(wrapper).is_empty());
        // A taxonomy class name is no lazy player's either.
        let filed = r#"<div class="youtube-box tag-youtube-lazy"></div>"#;
        assert!(!named_of(filed).is_some_and(|n| n.embed));
        // Deferred loading names a container a player, not a link or a quotation a card.
        let link = r#"<a class="instagram-link lazyload" href="https://www.instagram.com/p/CxOWiQNP2MO/">x</a>"#;
        assert!(!named_of(link).is_some_and(|n| n.embed));
        // A WordPress widget instance is numbered after its base name (ninth unseen batch:
        // espanolparainmigrantes.wordpress.com's list of its own tweets).
        let widget = r#"<li id="twitter-424849233" class="widget-container widget_twitter"></li>"#;
        assert!(read_html(widget).is_empty());
        let tweet = r#"<li id="twitter-424849233" class="widget-container tweet"></li>"#;
        assert_eq!(
            read_html(tweet)[0].1,
            ["https://twitter.com/i/status/424849233"]
        );
        // Share buttons carry the article's own id.
        for html in [
            r#"<div class="twitter-share" data-postid="123456"></div>"#,
            r#"<div class="vimeo-wrap" data-postid="4512"></div>"#,
            r#"<div class="vimeo-wrap" data-post-id="4512"></div>"#,
            r#"<div class="share-embed" data-twitter="1234567890"></div>"#,
        ] {
            assert!(read_html(html).is_empty(), "{html}");
        }
        // `data-PLATFORM` on an element named for two platforms says nothing of which one.
        let two = r#"<div class="video-embed youtube vimeo" data-youtube="dQw4w9WgXcQ"></div>"#;
        assert!(read_html(two).is_empty());
    }

    #[test]
    fn lazy_players_keeping_the_id_under_the_platform_or_embed() {
        // The play-on-click YouTube player copied across blogs and themes since 2014, and
        // MacRumors' sidebar video widget (2024).
        let cases = [
            (
                r#"<div class="youtube" data-embed="AqcjdkPMPJA"><div class="play-button"></div></div>"#,
                "div[data-embed]",
                "https://www.youtube.com/watch?v=AqcjdkPMPJA",
            ),
            (
                r#"<div class="ls_video_embed aspect-16-9 lazyload" data-youtube="ZHZG4ulkvr8" data-thumb-size="maxresdefault"><button class="play-btn">play</button></div>"#,
                "div[data-youtube]",
                "https://www.youtube.com/watch?v=ZHZG4ulkvr8",
            ),
            (
                r#"<div class="video-embed" data-vimeo="76979871"></div>"#,
                "div[data-vimeo]",
                "https://vimeo.com/76979871",
            ),
        ];
        for (html, evidence, url) in cases {
            let got = read_html(html);
            assert_eq!(got.first().map(|c| c.0.as_str()), Some(evidence), "{html}");
            assert_eq!(got[0].1, [url], "{html}");
        }
        // An account or a setting under the platform's name, on an element not named for
        // embedding; `data-embed` on an element naming two platforms, or holding a flag.
        for html in [
            r#"<div class="social-links" data-instagram="nytimesfood"></div>"#,
            r#"<div class="author" data-youtube="AqcjdkPMPJA"></div>"#,
            r#"<div class="youtube twitter" data-embed="AqcjdkPMPJA"></div>"#,
            r#"<div class="youtube" data-embed="true"></div>"#,
            r#"<div class="video-embed" data-youtube="true"></div>"#,
        ] {
            assert!(read_html(html).is_empty(), "{html}");
        }
    }

    #[test]
    fn ckeditor_semantic_oembed_elements() {
        // CKEditor 5's default media output (its media embed configuration guide).
        let html = r#"<oembed url="https://www.youtube.com/watch?v=dQw4w9WgXcQ"></oembed>"#;
        assert_eq!(
            read_html(html)[0].1,
            ["https://www.youtube.com/watch?v=dQw4w9WgXcQ"]
        );
        // CKEditor 4's semantic embed keeps the address as the element's text
        // (ckeditor/ckeditor4, `tests/core/style/manual/embedstyles.html`).
        let html = "<oembed>https://www.youtube.com/watch?v=H08tGjXNHO4</oembed>";
        assert_eq!(
            read_html(html),
            [(
                "oembed text".to_owned(),
                vec!["https://www.youtube.com/watch?v=H08tGjXNHO4".to_owned()],
                OnePost::First
            )]
        );
        // Text that is more than an address, or an address among elements, is no embed's.
        for html in [
            "<oembed>Watch https://www.youtube.com/watch?v=H08tGjXNHO4</oembed>",
            "<div class=\"embed\"><p>https://www.youtube.com/watch?v=H08tGjXNHO4</p></div>",
        ] {
            assert!(
                read_html(html)
                    .iter()
                    .all(|(e, _, _)| !e.ends_with(" text")),
                "{html}"
            );
        }
    }

    #[test]
    fn unnamed_elements_and_anchors_are_not_read() {
        // A plain link to a post in an article's text is not an embed.
        assert!(
            read_html(r#"<p>See <a href="https://twitter.com/a/status/1">this</a></p>"#).is_empty()
        );
        assert!(
            read_html(
                r#"<div class="content"><a href="https://twitter.com/a/status/1">t</a></div>"#
            )
            .is_empty()
        );
        assert!(!is_container("a"));
        assert!(!is_container("amp-img"));
        assert!(!is_container("h2"));
        assert!(!is_container("symbol"));
        assert!(is_container("media-oembed"));
        assert!(is_container("oembed"));
        assert!(is_container("fb:post"));
        assert!(is_container("twitterwidget"));
        // Script code read as markup: `r<e[o].length`, `a<b&&c`.
        assert!(!is_container("e[o].l=nt"));
        assert!(!is_container("b&&c"));
        assert!(is_container("twitterwidget"));
    }

    #[test]
    fn defined_elements_are_sorted_and_lowercase() {
        assert!(DEFINED_ELEMENTS.windows(2).all(|w| w[0] < w[1]));
        assert!(
            DEFINED_ELEMENTS
                .iter()
                .all(|n| !n.bytes().any(|b| b.is_ascii_uppercase()))
        );
    }

    #[test]
    fn an_address_in_a_query_string_value() {
        assert_eq!(
            url_in_query("href=https://www.facebook.com/nokia/photos/a.338008237396/10157974130297397/&show_text=true&width=500").as_deref(),
            Some("https://www.facebook.com/nokia/photos/a.338008237396/10157974130297397/")
        );
        assert_eq!(
            url_in_query("show_text=true&href=https%3A%2F%2Fwww.facebook.com%2Fa%2Fposts%2F1")
                .as_deref(),
            Some("https://www.facebook.com/a/posts/1")
        );
        for other in [
            "channel=name",
            "a b=https://x.example/",
            "=https://x.example/",
            "k=javascript:x",
        ] {
            assert_eq!(url_in_query(other), None, "{other}");
        }
    }

    #[test]
    fn urls_in_values() {
        let mut out = Vec::new();
        let json = r#"{"a":"https://x.example/1","b":"http://y.example/2?q=1"}"#;
        assert!(!urls_in_value(json, &base(), false, &mut out));
        assert!(out.is_empty());
        assert!(urls_in_value(json, &base(), true, &mut out));
        assert!(!urls_in_value("//cdn.example/p", &base(), true, &mut out));
        urls_in_value("not a url http://z.example", &base(), true, &mut out);
        let got: Vec<&str> = out.iter().map(Url::as_str).collect();
        assert_eq!(
            got,
            [
                "https://x.example/1",
                "http://y.example/2?q=1",
                "https://cdn.example/p"
            ]
        );
    }
}
