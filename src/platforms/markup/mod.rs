//! The markup a platform declares: the forms its embeds take in an article (blockquotes, AMP
//! components, frames and facades, widget anchors and containers), what each form's own
//! fallback markup says about the post ([`reading`]), and the text an embed decays into once its
//! script stops rendering it ([`remnant`]).
//!
//! `discover` builds its byte prefilter and its readers from these declarations; it holds the
//! mechanism (where to look, how to parse a region, hidden copies), never a platform's class
//! names. The parts `render` needs too (blockquote forms, scripts, frame ids, facades) are
//! [`model::markup`](crate::model::markup) data, gathered in [`embed_forms`](super::embed_forms).

pub mod reading;
pub mod remnant;

use scraper::ElementRef;
use url::Url;

use crate::model::markup::{AddressForm, IdShape, IdUrl, QuoteForm, QuoteParts, absolute};
use crate::model::{EmbedKind, Platform};
pub use reading::Reading;

/// Everything one platform declares about its embeds' markup.
#[derive(Debug)]
pub struct Markup {
    /// Official blockquotes.
    pub quotes: &'static [Quote],
    /// AMP components, by tag name.
    pub amp: &'static [ElementForm],
    /// Frame attributes that name a post by id (`iframe[data-tweet-id]`).
    pub frame_ids: &'static [IdUrl],
    /// Classes of rendered embed iframes, reported as the evidence (`iframe.instagram-media`).
    pub frame_classes: &'static [&'static str],
    /// Wrapper players that name the post in their own address (a plugin URL with the post in
    /// its query): the post URL the frame address stands for.
    pub unwrap_frame: Option<fn(&Url) -> Option<Url>>,
    /// Player facades (`lite-youtube videoid=…`).
    pub facades: &'static [IdUrl],
    /// Elements that name their post by its address in an attribute of their start tag, as the
    /// article rewrite reads them (it sees start tags, not parsed elements): the
    /// start-tag-readable part of [`containers`](Markup::containers).
    pub addressed: &'static [AddressForm],
    /// Anchors a platform script turns into an embed or widget, by class or attribute.
    pub anchors: &'static [ElementForm],
    /// Containers a platform script fills: `div`, `figure`, `section`, `span` by class, or an
    /// element of the platform's own by its tag name (XFBML's `fb:post`; lowercase, as the
    /// parser names elements).
    pub containers: &'static [ElementForm],
    /// Embed scripts that load a player where they stand, the post named in an attribute of
    /// the `<script>` tag itself (`script[data-video]`), by attribute.
    pub scripts: &'static [ElementForm],
    /// Widgets an inline script builds by a call of the platform's library, with no element
    /// or address of their own in the markup (`new TWTR.Widget({…}).setUser('NAME')`).
    pub script_calls: &'static [ScriptCall],
    /// Remnant finders, run in registry order over the page's visible text.
    pub remnants: &'static [&'static remnant::Finder],
    /// How publishers name the platform in markup of their own (cards, lazy players) that
    /// carries none of its forms.
    pub naming: Option<Naming>,
}

impl Markup {
    /// A platform whose embeds take no form of their own (it is reached through frames and
    /// links that its recogniser claims).
    pub const NONE: Markup = Markup {
        quotes: &[],
        amp: &[],
        frame_ids: &[],
        frame_classes: &[],
        unwrap_frame: None,
        facades: &[],
        addressed: &[],
        anchors: &[],
        containers: &[],
        scripts: &[],
        script_calls: &[],
        remnants: &[],
        naming: None,
    };
}

/// A call of a platform's script library, in the body of an inline `<script>`, that builds an
/// embed or widget where the script stands.
#[derive(Debug, Clone, Copy)]
pub struct ScriptCall {
    /// Text every such call holds (case-sensitive, as code spells it): the scan reads a
    /// script's body only when it holds one.
    pub marker: &'static str,
    /// The candidates the script's body builds, in order (its addresses resolved against the
    /// page's URL).
    pub read: fn(&str, &Url) -> Vec<Candidate>,
}

/// The text of each call of `marker` in a script's `body`, in order: from the call to the next
/// one, and at most `max` bytes (a call's settings take a few hundred), cut at a character
/// boundary.
pub fn script_call_texts<'b>(body: &'b str, marker: &str, max: usize) -> Vec<&'b str> {
    let starts: Vec<usize> = body.match_indices(marker).map(|(at, _)| at).collect();
    starts
        .iter()
        .enumerate()
        .map(|(i, &start)| {
            let mut end = starts
                .get(i + 1)
                .copied()
                .unwrap_or(body.len())
                .min(start.saturating_add(max));
            while !body.is_char_boundary(end) {
                end -= 1;
            }
            &body[start..end]
        })
        .collect()
}

/// How publishers name a platform in markup of their own: a card that copies a post, a lazy
/// player that keeps only the video's id, a wrapper named for the platform. Discovery reads
/// such an element as an embed only when it is named for a platform (or for embedding at all)
/// and names one post: by an id in one of [`id_attrs`](Naming::id_attrs), by a post URL in an
/// attribute, or by a single post link inside it.
#[derive(Debug, Clone, Copy)]
pub struct Naming {
    pub platform: Platform,
    /// Words that name the platform in class names, ids, tag and attribute names and provider
    /// attributes (`youtube` in `class="youtube__content"`, `yt` in `id="yt-…"`). Matched as whole
    /// words, ASCII case-insensitive; words of five letters or more also start or end a word
    /// (`tweets`, `youtubeplayer`).
    pub words: &'static [&'static str],
    /// Attributes in which a publisher's element keeps a bare post id (`data-video-id`).
    pub id_attrs: &'static [&'static str],
    /// Attributes read as [`id_attrs`](Naming::id_attrs) are, but not searched for in the page:
    /// words such as `status` are everywhere in a page, and only an element that one of the
    /// platform's [`words`](Naming::words) names is read for them, so the words' own markers
    /// lead the scan there (embetty's `embetty-tweet[status]`).
    pub word_id_attrs: &'static [&'static str],
    /// Spellings of its words that class names and ids use besides the lowercase and the
    /// capitalised ones, which the prefilter searches for as written (brand case, as in CSS
    /// module and component names: `YouTubeEmbed_wrapper__x1`, `youTubeContainer`). A word is
    /// matched in any case once the scan reads a tag: these only lead the scan to it.
    pub spellings: &'static [&'static str],
    /// The post URL a bare id stands for, when it has the shape of the platform's ids.
    pub id_url: Option<fn(&str) -> Option<Url>>,
    /// The account a post URL names, for forms whose markup says nothing of the author.
    pub handle: Option<fn(&Url) -> Option<String>>,
}

impl Naming {
    /// Every attribute an element named for the platform is read for a bare post id:
    /// [`id_attrs`](Naming::id_attrs), then [`word_id_attrs`](Naming::word_id_attrs). (Any
    /// lifetime, so that they chain with the names of an element's own attributes.)
    pub fn read_id_attrs<'a>(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        let attrs: [&'static [&'static str]; 2] = [self.id_attrs, self.word_id_attrs];
        attrs.into_iter().flatten().map(|a| -> &'a str { a })
    }

    /// A platform named by `words` alone: no id attributes, no handle in its URLs.
    pub const fn words(platform: Platform, words: &'static [&'static str]) -> Naming {
        Naming {
            platform,
            words,
            id_attrs: &[],
            word_id_attrs: &[],
            spellings: &[],
            id_url: None,
            handle: None,
        }
    }

    /// Whether `token` (one word of a class, id or name: ASCII letters and digits, in any
    /// case) names the platform.
    pub fn named_by(&self, token: &[u8]) -> bool {
        self.words.iter().any(|w| word_matches(token, w))
    }
}

/// Whether `token` is `word` (a lowercase word), or (for words of five letters or more) starts
/// or ends with it, ASCII case-insensitively.
pub fn word_matches(token: &[u8], word: &str) -> bool {
    let word = word.as_bytes();
    let n = word.len();
    token.eq_ignore_ascii_case(word)
        || (n >= 5
            && token.len() > n
            && (token[..n].eq_ignore_ascii_case(word)
                || token[token.len() - n..].eq_ignore_ascii_case(word)))
}

/// An official blockquote: its form (shared with `render`) and the reader of its fallback markup.
#[derive(Debug)]
pub struct Quote {
    pub form: QuoteForm,
    /// What the blockquote's own markup says, given its post URLs (best first).
    pub read: fn(ElementRef<'_>, &[Url]) -> QuoteReading,
}

/// What a blockquote's own markup says: the reading, and the widget it is instead of a post.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuoteReading {
    pub reading: Reading,
    pub widget: Option<Widget>,
}

/// A form recognised by a marker on the element: the class, attribute or tag name that marks it
/// (matched case-sensitively, as embed codes write it, by the byte prefilter) and its reader.
#[derive(Debug)]
pub struct ElementForm {
    pub marker: Marker,
    pub read: fn(ElementRef<'_>, &Url) -> Option<Candidate>,
}

/// What marks an element as a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// A class (`fb-post`).
    Class(&'static str),
    /// A class that begins with this text, as a form that numbers its class does
    /// (`bbpBox20598658316`).
    ClassPrefix(&'static str),
    /// An attribute (`data-pin-do`).
    Attr(&'static str),
    /// The tag name (`amp-instagram`).
    Tag(&'static str),
}

impl Marker {
    /// The marker's text, as the byte prefilter looks for it.
    pub fn text(self) -> &'static str {
        match self {
            Marker::Class(s) | Marker::ClassPrefix(s) | Marker::Attr(s) | Marker::Tag(s) => s,
        }
    }

    /// Whether the element carries the marker.
    pub fn marks(self, el: ElementRef<'_>) -> bool {
        match self {
            Marker::Class(c) => has_class(el, c),
            Marker::ClassPrefix(c) => el.value().classes().any(|class| {
                class
                    .get(..c.len())
                    .is_some_and(|start| start.eq_ignore_ascii_case(c))
            }),
            Marker::Attr(a) => el.value().attr(a).is_some(),
            Marker::Tag(t) => el.value().name() == t,
        }
    }
}

/// A widget form (timeline, profile) and what to report when no recogniser claims its URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Widget {
    pub platform: Platform,
    pub kind: EmbedKind,
    /// The URL must be on one of these hosts (or a subdomain) for the fallback to apply.
    pub hosts: &'static [&'static str],
}

/// What one element's markup says.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// URLs naming the embedded thing, best first (absolute).
    pub urls: Vec<Url>,
    /// The markup form, e.g. `blockquote.instagram-media`, `iframe`, `amp-twitter`.
    pub evidence: String,
    pub reading: Reading,
    /// Set for widget forms: the widget kind wins over the recogniser's, and a URL no recogniser
    /// claims is still reported.
    pub widget: Option<Widget>,
    /// Only accept a URL that recognises as a single post (bare URLs, named containers): the
    /// first such URL is the embed.
    pub post_only: bool,
    /// With `post_only`: only posts of these platforms count (empty: any platform).
    pub platforms: Vec<Platform>,
    /// With `post_only`: how the form's URLs must agree on the post.
    pub one_post: OnePost,
}

/// How the URLs of a `post_only` form must agree on the one post it embeds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OnePost {
    /// The first URL that names an accepted post is it.
    #[default]
    First,
    /// Every URL that names an accepted post names the same one (a card's JSON naming two
    /// posts embeds neither).
    Agreed,
    /// Every URL that names a post, of any platform, names the same one: JSON that names its
    /// platform only by its keys is an application's state, and linking one show on two
    /// directories it embeds neither.
    AgreedAcrossPlatforms,
    /// Every URL names that same post: the form holds nothing but links to it.
    Only,
}

impl Candidate {
    /// A candidate of `urls`, `None` when there are none.
    pub fn new(urls: Vec<Url>, evidence: impl Into<String>) -> Option<Candidate> {
        (!urls.is_empty()).then(|| Candidate {
            urls,
            evidence: evidence.into(),
            reading: Reading::default(),
            widget: None,
            post_only: false,
            platforms: Vec::new(),
            one_post: OnePost::First,
        })
    }
}

/// Whether the element carries the class (ASCII case-insensitive, as quirks-mode pages do).
pub fn has_class(el: ElementRef<'_>, class: &str) -> bool {
    el.value().classes().any(|c| c.eq_ignore_ascii_case(class))
}

/// `href`s of the links inside the element, in order, resolved.
pub fn links(el: ElementRef<'_>, base: &Url) -> Vec<Url> {
    el.descendent_elements()
        .filter(|e| e.value().name() == "a")
        .filter_map(|a| a.value().attr("href"))
        .filter_map(|href| absolute(base, href))
        .collect()
}

/// The URLs a blockquote form names, read from the element.
pub fn quote_urls(form: &QuoteForm, el: ElementRef<'_>, base: &Url) -> Vec<Url> {
    let attrs: Vec<(&str, &str)> = form
        .post_attrs
        .iter()
        .filter_map(|name| el.value().attr(name).map(|v| (*name, v)))
        .collect();
    let links = links(el, base);
    (form.urls)(&QuoteParts {
        attrs: &attrs,
        links: &links,
        base,
    })
}

/// An id attribute of an AMP component: non-empty, at most 128 URL-safe characters.
pub fn amp_id<'a>(el: ElementRef<'a>, attr: &str) -> Option<&'a str> {
    el.value()
        .attr(attr)
        .map(str::trim)
        .filter(|id| id.len() <= 128 && IdShape::Slug.accepts(id))
}

/// The post URL `pattern` (with `{}` for the id) for the AMP id attribute `attr`.
pub fn amp_id_url(el: ElementRef<'_>, attr: &str, pattern: &str) -> Option<Url> {
    amp_id(el, attr).and_then(|id| Url::parse(&pattern.replace("{}", id)).ok())
}

/// Attribute `attr` of the element as an absolute URL.
pub fn attr_url(el: ElementRef<'_>, base: &Url, attr: &str) -> Option<Url> {
    el.value().attr(attr).and_then(|v| absolute(base, v))
}

/// An AMP component whose post is the URL in the first of `attrs` present: the candidate, with
/// the tag name as evidence.
pub fn amp_url_candidate(el: ElementRef<'_>, base: &Url, attrs: &[&str]) -> Option<Candidate> {
    let found = attrs.iter().find_map(|a| attr_url(el, base, a));
    Candidate::new(found.into_iter().collect(), el.value().name())
}

/// An AMP component whose post is named by id: the candidate, with the tag name as evidence.
pub fn amp_id_candidate(el: ElementRef<'_>, attr: &str, pattern: &str) -> Option<Candidate> {
    Candidate::new(
        amp_id_url(el, attr, pattern).into_iter().collect(),
        el.value().name(),
    )
}

/// The account in a `/@USER/…` permalink (without a remote `@HOST` part).
pub fn handle_in_at_path(url: &Url) -> Option<String> {
    let first = url.path_segments()?.next()?;
    let handle = first.strip_prefix('@')?.split('@').next()?;
    (!handle.is_empty()).then(|| handle.to_owned())
}

/// A blockquote whose markup says nothing of its own: the permalink names the account as
/// `/@USER/…`.
pub fn handle_from_at_permalink(_el: ElementRef<'_>, urls: &[Url]) -> QuoteReading {
    QuoteReading {
        reading: Reading {
            author_handle: urls.first().and_then(handle_in_at_path),
            ..Reading::default()
        },
        widget: None,
    }
}

/// A blockquote whose markup says nothing of the post.
pub fn no_reading(_el: ElementRef<'_>, _urls: &[Url]) -> QuoteReading {
    QuoteReading::default()
}

/// The markup of every platform, gathered in registry order: what `discover` builds its
/// prefilter and its readers from.
#[derive(Debug, Default)]
pub struct Declared {
    pub quotes: Vec<&'static Quote>,
    pub amp: Vec<&'static ElementForm>,
    pub frame_ids: Vec<&'static IdUrl>,
    pub frame_classes: Vec<&'static str>,
    pub unwrap_frame: Vec<fn(&Url) -> Option<Url>>,
    pub facades: Vec<&'static IdUrl>,
    pub addressed: Vec<&'static AddressForm>,
    pub anchors: Vec<&'static ElementForm>,
    pub containers: Vec<&'static ElementForm>,
    pub scripts: Vec<&'static ElementForm>,
    pub script_calls: Vec<&'static ScriptCall>,
    pub remnants: Vec<&'static remnant::Finder>,
    pub namings: Vec<&'static Naming>,
}

impl Declared {
    /// Gather the declarations of `markups`, in order.
    pub fn gather(markups: impl IntoIterator<Item = &'static Markup>) -> Declared {
        let mut d = Declared::default();
        for m in markups {
            d.quotes.extend(m.quotes);
            d.amp.extend(m.amp);
            d.frame_ids.extend(m.frame_ids);
            d.frame_classes.extend(m.frame_classes.iter().copied());
            d.unwrap_frame.extend(m.unwrap_frame);
            d.facades.extend(m.facades);
            d.addressed.extend(m.addressed);
            d.anchors.extend(m.anchors);
            d.containers.extend(m.containers);
            d.scripts.extend(m.scripts);
            d.script_calls.extend(m.script_calls);
            d.remnants.extend(m.remnants.iter().copied());
            d.namings.extend(m.naming.as_ref());
        }
        d
    }

    /// The naming declared for `platform`.
    pub fn naming(&self, platform: Platform) -> Option<&'static Naming> {
        self.namings
            .iter()
            .find(|n| n.platform == platform)
            .copied()
    }

    /// The tag names that are containers of their own (`Marker::Tag` of
    /// [`containers`](Declared::containers)): the scan opens them where their tags start, as it
    /// opens AMP components, not by a class inside a tag.
    pub fn container_tags(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.containers.iter().filter_map(|f| match f.marker {
            Marker::Tag(t) => Some(t),
            Marker::Class(_) | Marker::ClassPrefix(_) | Marker::Attr(_) => None,
        })
    }

    /// Every marker text a page must contain for one of these forms to be there: classes,
    /// attributes and tag names. What no module outside `platforms` may name (nor the scripts'
    /// addresses, which [`EmbedForms`](crate::model::markup::EmbedForms) lists).
    pub fn marker_texts(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for q in &self.quotes {
            out.push(q.form.class);
            out.extend(q.form.marker_attr);
            out.extend(q.form.family.widget_classes.iter().copied());
        }
        for f in self
            .amp
            .iter()
            .chain(&self.anchors)
            .chain(&self.containers)
            .chain(&self.scripts)
        {
            out.push(f.marker.text());
        }
        out.extend(self.frame_ids.iter().map(|i| i.attr));
        out.extend(self.facades.iter().map(|i| i.element));
        // An addressed element is marked by its class, or else by its own name (`fb:post`);
        // `div` alone is nobody's markup.
        out.extend(self.addressed.iter().map(|a| a.class.unwrap_or(a.element)));
        out.extend(self.frame_classes.iter().copied());
        // The id attributes are markup; the words are the platforms' names, which every stage
        // may say, and so are the word id attributes (`status`).
        out.extend(self.namings.iter().flat_map(|n| n.id_attrs.iter().copied()));
        let mut seen = std::collections::HashSet::new();
        out.retain(|t| seen.insert(*t));
        out
    }
}
