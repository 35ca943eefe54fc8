//! What a web page says about itself: OpenGraph (`og:*`, `article:*`), Twitter-card
//! (`twitter:*`) and JSON-LD (`application/ld+json`, arrays and `@graph` included) metadata, the
//! canonical link and the oEmbed discovery link. Pure: a page in, owned fields out.
//!
//! Which reading wins where two disagree: OpenGraph, then Twitter cards, then JSON-LD for what a
//! card shows (title, description, picture), since that is what the page offers to be shown as;
//! JSON-LD first for what it states as data (author, publication time, language). A posting's
//! JSON-LD body (`SocialMediaPosting.articleBody`) is its whole text and wins over a cut
//! `og:description`. What the main JSON-LD node states is also kept apart ([`JsonLd`]), for a
//! platform whose pages are known to state the item there and only decorate it in their cards
//! (Bandcamp's `og:title` is "TITLE, by ARTIST"; its JSON-LD `name` is the title).
//!
//! JSON-LD shapes read, each from captured pages: postings, articles and web pages; media objects
//! (`VideoObject` and the like, with `contentUrl` and `embedUrl`); music (`MusicRecording` and
//! `MusicAlbum` as works whose author is `byArtist`, a `MusicGroup`; Bandcamp and Spotify pages).

use std::sync::LazyLock;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use scraper::{Html, Selector};
use serde_json::Value;
use url::Url;

use crate::model::{MediaKind, MediaRef};
use crate::platforms::readers::collapse_whitespace;

/// The page's metadata, read into the snapshot's fields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageMeta {
    pub title: Option<String>,
    pub text: Option<String>,
    pub author_name: Option<String>,
    pub author_handle: Option<String>,
    pub author_url: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    /// The language the page says it is written in: JSON-LD's `inLanguage`, else `og:locale`,
    /// else `<html lang>`.
    pub lang: Option<String>,
    /// The language its JSON-LD says the page's content is in (`inLanguage`) alone: on a
    /// platform's page of a post, `og:locale` and `<html lang>` name the language of the
    /// platform's interface, which is the viewer's, not the post's.
    pub content_lang: Option<String>,
    pub media: Vec<MediaRef>,
    /// `link rel=canonical`, else `og:url`.
    pub canonical: Option<Url>,
    /// The `application/json+oembed` discovery link (`text/xml+oembed` is not read).
    pub oembed_link: Option<Url>,
    /// Whether the page carries any OpenGraph, Twitter-card, JSON-LD or description metadata.
    pub has_metadata: bool,
    /// The `<title>` element's text.
    pub title_tag: Option<String>,
    /// What the page's main JSON-LD node states, none of the card values mixed in.
    pub json_ld: Option<JsonLd>,
    /// The first value of each `<meta>` key (`property`, `name` or `itemprop`; keys lowercased),
    /// for readers that need one the fields above do not carry: [`PageMeta::meta`].
    metas: HashMap<String, String>,
}

impl PageMeta {
    /// The first non-blank `content` of the page's `<meta>` whose `property`, `name` or
    /// `itemprop` is `key` (any case), trimmed: `og:type`, `videoId`…
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.metas
            .get(&key.to_ascii_lowercase())
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }
}

/// What the page's main JSON-LD node states, field by field, as that node names it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JsonLd {
    /// The schema.org type that made the node the main one, without its vocabulary prefix
    /// (`MusicRecording`, `SocialMediaPosting`, `VideoObject`, …).
    pub kind: String,
    /// `headline`, else `name`.
    pub title: Option<String>,
    /// A posting's `articleBody` (else its `description`); any other node's `description` (else
    /// its `articleBody`). Line breaks kept.
    pub text: Option<String>,
    /// `author` (`byArtist` for a music work): its `name`, or the string it is.
    pub author_name: Option<String>,
    /// The author's `url`, else its `@id` when that is a page address; as the node writes it
    /// when it is a whole web address, else made whole against the page.
    pub author_url: Option<String>,
    /// `datePublished`, else `uploadDate`, else `dateCreated`.
    pub published_at: Option<DateTime<Utc>>,
    /// The node's `url`, else its `@id` when that is a page address.
    pub url: Option<Url>,
    /// The picture: `image` (its first, or its `url`/`contentUrl`), `primaryImageOfPage`, else
    /// `thumbnailUrl`.
    pub image: Option<Url>,
    /// `embedUrl`: the address of the item's player, which a page's `og:video` may not name.
    pub embed_url: Option<Url>,
}

/// A selector of this module, compiled once: `read` runs on every page a resolution reads.
macro_rules! selector {
    ($css:expr) => {{
        static SELECTOR: LazyLock<Selector> =
            LazyLock::new(|| Selector::parse($css).expect("selectors in this module are valid"));
        &*SELECTOR
    }};
}

/// A web address from the page, made absolute; never `javascript:`, `data:` or the like.
fn web_url(base: &Url, value: &str) -> Option<Url> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let url = base.join(value).ok()?;
    matches!(url.scheme(), "http" | "https").then_some(url)
}

fn clean(s: &str) -> Option<String> {
    let c = collapse_whitespace(s);
    (!c.is_empty()).then_some(c)
}

/// Trimmed, line breaks kept (a post's body keeps its paragraphs).
fn clean_body(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// RFC 3339, or a date and time without offset (read as UTC), or a bare date, or the e-mail
/// form of RFC 2822 with or without its weekday (Bandcamp's JSON-LD writes
/// `14 Sep 2013 00:00:00 GMT`).
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(s) {
        return Some(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M%z"] {
        if let Ok(t) = DateTime::parse_from_str(s, format) {
            return Some(t.with_timezone(&Utc));
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
            return Some(t.and_utc());
        }
    }
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
}

/// A page's locale as a language tag: `og:locale` writes `en_US` where a tag has `en-US`.
fn locale_to_lang(locale: &str) -> Option<String> {
    let l = locale.trim().replace('_', "-");
    crate::model::is_language_tag(&l).then_some(l)
}

/// A Twitter handle from `@name` (or a profile URL).
fn handle(value: &str) -> Option<String> {
    let v = value.trim();
    let v = v
        .rsplit_once("twitter.com/")
        .or_else(|| v.rsplit_once("x.com/"))
        .map(|(_, h)| h)
        .unwrap_or(v);
    let h = v.trim_start_matches('@').trim_end_matches('/');
    (!h.is_empty() && h.len() <= 50 && h.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then(|| h.to_owned())
}

/// A picture as metadata names it: its address, width, height and caption.
type Picture = (String, Option<u32>, Option<u32>, Option<String>);

/// What JSON-LD's main node says.
#[derive(Debug, Default)]
struct Ld {
    title: Option<String>,
    text: Option<String>,
    is_posting: bool,
    author_name: Option<String>,
    author_url: Option<String>,
    published: Option<DateTime<Utc>>,
    lang: Option<String>,
    image: Option<Picture>,
    /// A media object's `contentUrl` (the file itself).
    content_url: Option<String>,
    embed_url: Option<String>,
    kind: String,
    url: Option<String>,
}

/// How well a JSON-LD type describes one post (lower is better); `None` for other types.
fn rank(kind: &str) -> Option<u8> {
    let kind = kind.rsplit(['/', ':']).next().unwrap_or(kind);
    Some(match kind {
        "SocialMediaPosting" | "DiscussionForumPosting" | "BlogPosting" | "LiveBlogPosting" => 0,
        "VideoObject" | "AudioObject" | "PodcastEpisode" | "Clip" | "Episode" => 1,
        // A single work of music: Bandcamp's track and album pages, Spotify's album pages.
        "MusicRecording" | "MusicAlbum" => 1,
        "NewsArticle"
        | "ReportageNewsArticle"
        | "AnalysisNewsArticle"
        | "OpinionNewsArticle"
        | "Article"
        | "TechArticle"
        | "ScholarlyArticle"
        | "Report"
        | "Review" => 2,
        // An artist's own page: the `MusicGroup` its works name as `byArtist`; a podcast's own
        // page: the `PodcastSeries` its episodes belong to (Spotify's show pages).
        "WebPage" | "ItemPage" | "CollectionPage" | "MusicGroup" | "PodcastSeries" => 3,
        _ => return None,
    })
}

fn types(node: &Value) -> Vec<&str> {
    match &node["@type"] {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn node_rank(node: &Value) -> Option<u8> {
    types(node)
        .into_iter()
        .filter_map(|t| node_type_rank(node, t))
        .min()
}

/// [`rank`] of one of the node's types. A picture counts only where the page says it stands for
/// the page (`representativeOfPage`, as Instagram's post pages write their one `ImageObject`),
/// and then below every other ranked type: a site's logo is an `ImageObject` too, and article
/// templates mark their cover picture the same way, so a picture is the post only on a page
/// that describes nothing else.
fn node_type_rank(node: &Value, kind: &str) -> Option<u8> {
    rank(kind).or_else(|| {
        let bare = kind.rsplit(['/', ':']).next().unwrap_or(kind);
        (bare == "ImageObject" && represents_page(node)).then_some(PICTURE_RANK)
    })
}

/// The rank of a picture that stands for its page: after every type [`rank`] names.
const PICTURE_RANK: u8 = 4;

/// Whether a node's `representativeOfPage` is true: `true`, or the schema.org value written as
/// a string (`"True"`, `"http://schema.org/True"`).
fn represents_page(node: &Value) -> bool {
    match &node["representativeOfPage"] {
        Value::Bool(b) => *b,
        Value::String(s) => s
            .rsplit(['/', ':'])
            .next()
            .is_some_and(|v| v.eq_ignore_ascii_case("true")),
        _ => false,
    }
}

/// The type that gives the node its rank, without a vocabulary prefix (`schema:`, a URL).
fn main_type(node: &Value) -> String {
    types(node)
        .into_iter()
        .filter(|t| node_type_rank(node, t).is_some())
        .min_by_key(|t| node_type_rank(node, t))
        .map(|t| t.rsplit(['/', ':']).next().unwrap_or(t).to_owned())
        .unwrap_or_default()
}

/// A node's `url`, else its `@id` when that names a page: an absolute web address without a
/// fragment (`https://site/#/schema/person/1` only identifies a node of the graph).
fn node_url(node: &Value) -> Option<&str> {
    str_of(&node["url"])
        .filter(|u| !u.trim().is_empty())
        .or_else(|| {
            node["@id"]
                .as_str()
                .filter(|id| is_page_address(id) && !id.contains('#'))
        })
}

fn is_page_address(s: &str) -> bool {
    Url::parse(s.trim()).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

/// Every object node of the page's JSON-LD blocks: top-level objects, array items, `@graph`
/// members.
fn ld_nodes(blocks: &[Value]) -> Vec<&Value> {
    fn walk<'a>(v: &'a Value, out: &mut Vec<&'a Value>, depth: u8) {
        if depth > 4 {
            return;
        }
        match v {
            Value::Array(items) => items.iter().for_each(|i| walk(i, out, depth + 1)),
            Value::Object(o) => {
                out.push(v);
                if let Some(graph) = o.get("@graph") {
                    walk(graph, out, depth + 1);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for b in blocks {
        walk(b, &mut out, 0);
    }
    out
}

fn str_of(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) => Some(s.as_str()),
        Value::Array(a) => a.iter().find_map(str_of),
        _ => None,
    }
}

fn u32_of(v: &Value) -> Option<u32> {
    crate::platforms::readers::as_u32(v).or_else(|| {
        v.as_str()
            .and_then(|s| s.trim().trim_end_matches("px").trim().parse().ok())
    })
}

fn read_ld(nodes: &[&Value]) -> Ld {
    let by_id: HashMap<&str, &Value> = nodes
        .iter()
        .filter_map(|n| n["@id"].as_str().map(|id| (id, *n)))
        .collect();
    // A node that is only a reference (`{"@id": …}`) stands for the node it names.
    let resolve = |v: &'_ Value| -> Value {
        match v {
            Value::Object(o) if o.len() == 1 && o.contains_key("@id") => o["@id"]
                .as_str()
                .and_then(|id| by_id.get(id))
                .map(|n| (*n).clone())
                .unwrap_or(Value::Null),
            other => other.clone(),
        }
    };
    let Some(main) = nodes
        .iter()
        .filter_map(|n| node_rank(n).map(|r| (r, *n)))
        .min_by_key(|(r, _)| *r)
        .map(|(_, n)| n)
    else {
        return Ld::default();
    };
    let is_posting = node_rank(main) == Some(0);
    let body = str_of(&main["articleBody"]).and_then(clean_body);
    let description = str_of(&main["description"]).and_then(clean_body);
    let text = if is_posting {
        body.or(description)
    } else {
        description.or(body)
    };
    // A music work names its artist as `byArtist`; schema.org keeps `author` for other works.
    let author = {
        let a = if main["author"].is_null() {
            resolve(&main["byArtist"])
        } else {
            resolve(&main["author"])
        };
        match a {
            Value::Array(items) => items.first().map(&resolve).unwrap_or(Value::Null),
            other => other,
        }
    };
    let (author_name, author_url) = match &author {
        Value::String(s) => (clean(s), None),
        Value::Object(_) => (
            str_of(&author["name"]).and_then(clean),
            node_url(&author).map(|u| u.trim().to_owned()),
        ),
        _ => (None, None),
    };
    let image_node = {
        let i = resolve(&main["image"]);
        let i = match i {
            Value::Array(items) => items.first().map(&resolve).unwrap_or(Value::Null),
            other => other,
        };
        if i.is_null() {
            resolve(&main["primaryImageOfPage"])
        } else {
            i
        }
    };
    let image = match &image_node {
        Value::String(s) => Some((s.clone(), None, None, None)),
        Value::Object(_) => str_of(&image_node["url"])
            .or_else(|| str_of(&image_node["contentUrl"]))
            .map(|u| {
                (
                    u.to_owned(),
                    u32_of(&image_node["width"]),
                    u32_of(&image_node["height"]),
                    str_of(&image_node["caption"]).and_then(clean),
                )
            }),
        _ => None,
    }
    .or_else(|| str_of(&main["thumbnailUrl"]).map(|u| (u.to_owned(), None, None, None)));
    let lang = match &main["inLanguage"] {
        Value::String(s) => locale_to_lang(s),
        Value::Object(o) => o
            .get("alternateName")
            .or_else(|| o.get("name"))
            .and_then(Value::as_str)
            .and_then(locale_to_lang),
        _ => None,
    };
    Ld {
        title: str_of(&main["headline"])
            .or_else(|| str_of(&main["name"]))
            .and_then(clean),
        text,
        is_posting,
        author_name,
        author_url,
        published: ["datePublished", "uploadDate", "dateCreated"]
            .iter()
            .find_map(|k| str_of(&main[*k]).and_then(parse_time)),
        lang,
        image,
        content_url: str_of(&main["contentUrl"])
            .filter(|_| node_rank(main) == Some(1))
            .map(str::to_owned),
        embed_url: str_of(&main["embedUrl"]).map(str::to_owned),
        kind: main_type(main),
        url: node_url(main).map(str::to_owned),
    }
}

/// A JSON-LD block as pages write it: sometimes inside an HTML comment or CDATA section.
fn parse_ld_block(text: &str) -> Option<Value> {
    let t = text.trim();
    let t = t.strip_prefix("<!--").unwrap_or(t);
    let t = t.strip_suffix("-->").unwrap_or(t);
    let t = t.trim();
    let t = t.strip_prefix("//<![CDATA[").unwrap_or(t);
    let t = t.strip_suffix("//]]>").unwrap_or(t);
    serde_json::from_str(t.trim()).ok()
}

/// Whether a page's `<title>` names only its site: its host (`x.com`, with or without `www.`)
/// or its `og:site_name`. A site's app shell carries such a title on every address, the
/// address of a deleted post too, so it says nothing about the post.
fn names_the_site(title: &str, page_url: &Url, site_name: Option<&str>) -> bool {
    let title = title.trim();
    let host = page_url.host_str().unwrap_or_default();
    let bare_host = host.strip_prefix("www.").unwrap_or(host);
    title.eq_ignore_ascii_case(host)
        || title.eq_ignore_ascii_case(bare_host)
        || site_name.is_some_and(|n| title.eq_ignore_ascii_case(n.trim()))
}

/// Read a page's metadata. `page_url` resolves relative addresses.
pub fn read(html: &str, page_url: &Url) -> PageMeta {
    read_doc(&crate::platforms::readers::parse_document(html), page_url)
}

/// [`read`] of a page already parsed, for a reader that also looks into the page's own markup.
pub fn read_doc(doc: &Html, page_url: &Url) -> PageMeta {
    // The first value of each meta key (`property`, `name` or `itemprop`), keys lowercased.
    let mut meta: HashMap<String, String> = HashMap::new();
    for el in doc.select(selector!("meta[content]")) {
        let e = el.value();
        let Some(key) = e
            .attr("property")
            .or_else(|| e.attr("name"))
            .or_else(|| e.attr("itemprop"))
        else {
            continue;
        };
        let content = e.attr("content").unwrap_or_default();
        if content.trim().is_empty() {
            continue;
        }
        meta.entry(key.trim().to_ascii_lowercase())
            .or_insert_with(|| content.to_owned());
    }
    let get = |k: &str| meta.get(k).map(String::as_str);
    let blocks: Vec<Value> = doc
        .select(selector!(r#"script[type="application/ld+json"]"#))
        .filter_map(|s| parse_ld_block(&s.text().collect::<String>()))
        .collect();
    let nodes = ld_nodes(&blocks);
    let ld = read_ld(&nodes);
    let json_ld = (!ld.kind.is_empty()).then(|| JsonLd {
        kind: ld.kind.clone(),
        title: ld.title.clone(),
        text: ld.text.clone(),
        author_name: ld.author_name.clone(),
        // As written when it is a whole address (Bandcamp's artist is `https://NAME.bandcamp.com`,
        // no slash); a relative one made whole.
        author_url: ld.author_url.as_deref().and_then(|u| {
            if is_page_address(u) {
                Some(u.to_owned())
            } else {
                web_url(page_url, u).map(String::from)
            }
        }),
        published_at: ld.published,
        url: ld.url.as_deref().and_then(|u| web_url(page_url, u)),
        image: ld.image.as_ref().and_then(|(u, ..)| web_url(page_url, u)),
        embed_url: ld.embed_url.as_deref().and_then(|u| web_url(page_url, u)),
    });
    let has_metadata = meta
        .keys()
        .any(|k| k.starts_with("og:") || k.starts_with("twitter:") || k.starts_with("article:"))
        || get("description").is_some()
        || !nodes.is_empty();

    let title_tag = doc
        .select(selector!("title"))
        .next()
        .and_then(|t| clean(&t.text().collect::<String>()));
    let title = get("og:title")
        .or_else(|| get("twitter:title"))
        .and_then(clean)
        .or_else(|| ld.title.clone())
        .or_else(|| {
            has_metadata
                .then(|| title_tag.clone())
                .flatten()
                .filter(|t| !names_the_site(t, page_url, get("og:site_name")))
        });
    let card_text = get("og:description")
        .or_else(|| get("twitter:description"))
        .and_then(clean_body);
    let text = if ld.is_posting {
        ld.text.clone().or(card_text)
    } else {
        card_text
            .or_else(|| ld.text.clone())
            .or_else(|| get("description").and_then(clean_body))
    };

    let creator = get("twitter:creator").and_then(handle);
    let article_author = get("article:author").or_else(|| get("author"));
    let article_author_url = article_author.and_then(|a| {
        let a = a.trim();
        (a.starts_with("http://") || a.starts_with("https://"))
            .then(|| web_url(page_url, a))
            .flatten()
    });
    let written_by = (get("twitter:label1").map(str::trim) == Some("Written by"))
        .then(|| get("twitter:data1").and_then(clean))
        .flatten();
    let author_name = ld
        .author_name
        .clone()
        .or_else(|| {
            article_author
                .filter(|_| article_author_url.is_none())
                .and_then(clean)
        })
        .or(written_by);
    let author_url = ld
        .author_url
        .as_deref()
        .and_then(|u| web_url(page_url, u))
        .map(String::from)
        .or_else(|| creator.as_ref().map(|h| format!("https://twitter.com/{h}")))
        .or_else(|| article_author_url.map(String::from));

    let published_at = ld.published.or_else(|| {
        [
            "article:published_time",
            "datepublished",
            "og:video:release_date",
        ]
        .iter()
        .find_map(|k| get(k).and_then(parse_time))
    });
    let html_lang = doc
        .root_element()
        .value()
        .attr("lang")
        .and_then(locale_to_lang);
    let content_lang = ld.lang.clone();
    let lang = content_lang
        .clone()
        .or_else(|| get("og:locale").and_then(locale_to_lang))
        .or(html_lang);

    let image = get("og:image:secure_url")
        .or_else(|| get("og:image"))
        .or_else(|| get("og:image:url"))
        .and_then(|u| web_url(page_url, u))
        .map(|u| {
            (
                u,
                get("og:image:width").and_then(|w| w.trim().parse().ok()),
                get("og:image:height").and_then(|h| h.trim().parse().ok()),
                get("og:image:alt")
                    .or_else(|| get("twitter:image:alt"))
                    .and_then(clean),
            )
        })
        .or_else(|| {
            get("twitter:image")
                .or_else(|| get("twitter:image:src"))
                .and_then(|u| web_url(page_url, u))
                .map(|u| (u, None, None, get("twitter:image:alt").and_then(clean)))
        })
        .or_else(|| {
            ld.image
                .as_ref()
                .and_then(|(u, w, h, alt)| web_url(page_url, u).map(|u| (u, *w, *h, alt.clone())))
        });
    let video = get("og:video:secure_url")
        .or_else(|| get("og:video"))
        .or_else(|| get("og:video:url"))
        .and_then(|u| web_url(page_url, u))
        .or_else(|| ld.content_url.as_deref().and_then(|u| web_url(page_url, u)))
        .or_else(|| json_ld.as_ref().and_then(|j| j.embed_url.clone()));
    let mut media = Vec::new();
    match (video, image) {
        (Some(video), poster) => media.push(MediaRef {
            kind: MediaKind::Video,
            url: video.into(),
            image_url: poster.as_ref().map(|(u, ..)| u.to_string()),
            width: get("og:video:width").and_then(|w| w.trim().parse().ok()),
            height: get("og:video:height").and_then(|h| h.trim().parse().ok()),
            alt: poster.and_then(|(.., alt)| alt),
        }),
        (None, Some((url, width, height, alt))) => media.push(MediaRef {
            kind: MediaKind::Image,
            url: url.to_string(),
            image_url: Some(url.into()),
            width,
            height,
            alt,
        }),
        (None, None) => {}
    }

    let canonical = doc
        .select(selector!(r#"link[rel~="canonical"][href]"#))
        .next()
        .and_then(|l| l.value().attr("href"))
        .or_else(|| get("og:url"))
        .and_then(|u| web_url(page_url, u));
    let oembed_link = doc
        .select(selector!(r#"link[rel~="alternate"][href]"#))
        .find(|l| {
            l.value()
                .attr("type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json+oembed"))
        })
        .and_then(|l| l.value().attr("href"))
        .and_then(|u| web_url(page_url, u));

    PageMeta {
        title,
        text,
        author_name,
        author_handle: creator,
        author_url,
        published_at,
        lang,
        content_lang,
        media,
        canonical,
        oembed_link,
        has_metadata,
        title_tag,
        json_ld,
        metas: meta,
    }
}

#[cfg(test)]
mod tests {
    use super::locale_to_lang;

    #[test]
    fn locales_become_language_tags() {
        for (locale, want) in [
            ("en_US", Some("en-US")),
            (" pt-BR ", Some("pt-BR")),
            ("ja", Some("ja")),
            // A template's locale with its region left empty, or its language.
            ("en_", None),
            ("_US", None),
            ("en__US", None),
            ("1", None),
            ("", None),
        ] {
            assert_eq!(locale_to_lang(locale).as_deref(), want, "{locale}");
        }
    }
}
