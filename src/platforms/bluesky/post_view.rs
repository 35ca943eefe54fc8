//! Reading one `app.bsky.feed.defs#postView` (what `getPostThread` puts in `thread.post` and
//! `getPosts` in `posts[]`) into a snapshot's fields: author, text, date, language, the post it
//! replies to, the post it quotes, and its media (pictures with alt text, from an `images` embed
//! or, for five pictures or more, a `gallery`; a video's poster; an external link card's
//! thumbnail).
//!
//! Labels decide two things here. `!takedown` on the post or its author means the network took
//! it down (a gone signal the classifiers read through [`PostView::taken_down`]).
//! `!no-unauthenticated` means the author asked that logged-out readers not see their posts:
//! the post is archived (the raw answer is kept with the snapshot) but its text and alt texts
//! stay out of the snapshot unless `[platforms.bluesky] show_restricted_text = true`.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

use crate::model::{MediaKind, MediaRef, PostContent};
use crate::platforms::lenient_json::{
    object, object_or_default, objects, scalar, scalar_or_default, scalars,
};
use crate::platforms::readers::non_empty;

/// The label an author sets to keep their posts from logged-out readers.
pub const NO_UNAUTHENTICATED: &str = "!no-unauthenticated";

/// The label the network's moderation puts on content it took down.
const TAKEDOWN: &str = "!takedown";

/// The label the network's moderation puts on content its clients hide (PLATFORMS.md: "hidden"):
/// still served, but no reader is shown it, so it is kept out of public cards as a restricted
/// post's text is.
pub const HIDE: &str = "!hide";

/// The fields of a post view the snapshot reads; every one optional.
///
/// Every field reads leniently ([`crate::platforms::lenient_json`]), in place: `record` is whatever the author's client wrote (the
/// lexicon types it `unknown`, and a PDS need not validate it), so one field of an unexpected type
/// (`"langs": "en"`, `"text": null`) must cost that field, not the whole post.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PostView {
    #[serde(deserialize_with = "scalar")]
    pub uri: Option<String>,
    #[serde(deserialize_with = "object")]
    pub author: Option<Author>,
    #[serde(deserialize_with = "object")]
    pub record: Option<Record>,
    pub embed: Option<Value>,
    #[serde(deserialize_with = "objects")]
    pub labels: Vec<Label>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Author {
    #[serde(deserialize_with = "scalar")]
    pub did: Option<String>,
    #[serde(deserialize_with = "scalar")]
    pub handle: Option<String>,
    #[serde(rename = "displayName", deserialize_with = "scalar")]
    pub display_name: Option<String>,
    #[serde(deserialize_with = "objects")]
    pub labels: Vec<Label>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Record {
    #[serde(deserialize_with = "scalar")]
    pub text: Option<String>,
    #[serde(rename = "createdAt", deserialize_with = "scalar")]
    pub created_at: Option<String>,
    #[serde(deserialize_with = "scalars")]
    pub langs: Vec<String>,
    pub reply: Option<Value>,
    pub embed: Option<Value>,
    /// Rich-text annotations of `text` (`app.bsky.richtext.facet`): links, mentions, tags.
    /// Read as their ranges and link addresses alone (a generic JSON value each would take many
    /// times an answer's size in memory).
    #[serde(deserialize_with = "objects")]
    pub facets: Vec<Facet>,
}

/// One rich-text annotation: a byte range of the text and what it is.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Facet {
    #[serde(deserialize_with = "object_or_default")]
    pub index: FacetIndex,
    #[serde(deserialize_with = "objects")]
    pub features: Vec<FacetFeature>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FacetIndex {
    #[serde(rename = "byteStart", deserialize_with = "scalar")]
    pub byte_start: Option<u64>,
    #[serde(rename = "byteEnd", deserialize_with = "scalar")]
    pub byte_end: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FacetFeature {
    #[serde(rename = "$type", deserialize_with = "scalar")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "scalar")]
    pub uri: Option<String>,
}

/// The most facets a post's text is read for: a post of 300 characters has a few dozen.
const MAX_FACETS: usize = 1000;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Label {
    #[serde(deserialize_with = "scalar")]
    pub val: Option<String>,
    /// A negation: the labeller withdrew an earlier label of this value
    /// (`com.atproto.label.defs#label`), so it no longer applies.
    #[serde(deserialize_with = "scalar_or_default")]
    pub neg: bool,
}

/// A post's text with each link Bluesky shows shortened (`github.com/someone/proj...`) written
/// as the address its link facet gives, so that the archive keeps where it pointed. A link
/// shown as other words than its address (a label), and a facet whose byte range does not fall
/// on the text's characters, leave the text as it is.
fn linked_text(text: &str, facets: &[Facet]) -> String {
    if facets.len() > MAX_FACETS {
        return text.to_owned();
    }
    let mut links: Vec<(usize, usize, &str)> = facets
        .iter()
        .filter_map(|f| {
            let start = usize::try_from(f.index.byte_start?).ok()?;
            let end = usize::try_from(f.index.byte_end?).ok()?;
            let uri = f.features.iter().find_map(|feature| {
                (feature.kind.as_deref()? == "app.bsky.richtext.facet#link")
                    .then_some(feature.uri.as_deref()?)
            })?;
            let fits = start < end && text.get(start..end).is_some();
            (fits && crate::platforms::oembed_endpoint::is_plain_web_url(uri))
                .then_some((start, end, uri))
        })
        .collect();
    links.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end, uri) in links {
        if start < at {
            continue; // overlapping facets: the first one stands
        }
        let shown = &text[start..end];
        out.push_str(&text[at..start]);
        out.push_str(if shortens(shown, uri) { uri } else { shown });
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// Whether `shown` is Bluesky's short form of `uri`: its start without the scheme (and
/// `www.`), the whole host and then cut with an ellipsis. A link shown whole (`example.org`) or
/// as other words is left as the post shows it.
fn shortens(shown: &str, uri: &str) -> bool {
    let Some(cut) = shown
        .strip_suffix("...")
        .or_else(|| shown.strip_suffix('…'))
    else {
        return false;
    };
    let bare = uri
        .strip_prefix("https://")
        .or_else(|| uri.strip_prefix("http://"))
        .unwrap_or(uri);
    [bare, bare.strip_prefix("www.").unwrap_or(bare)]
        .iter()
        .any(|u| {
            let host = u.split('/').next().unwrap_or_default();
            u.starts_with(cut) && cut.len() >= host.len()
        })
}

impl PostView {
    fn has_label(&self, val: &str) -> bool {
        let on = |labels: &[Label]| {
            labels
                .iter()
                .any(|l| !l.neg && l.val.as_deref() == Some(val))
        };
        on(&self.labels) || self.author.as_ref().is_some_and(|a| on(&a.labels))
    }

    /// Whether the author asked logged-out readers not to see the post, or the network's
    /// moderation hides it from every reader.
    pub fn restricted(&self) -> bool {
        self.has_label(NO_UNAUTHENTICATED) || self.has_label(HIDE)
    }

    /// Whether the network's moderation took the post or its author down.
    pub fn taken_down(&self) -> bool {
        self.has_label(TAKEDOWN)
    }

    /// Whether the view is about the post `rkey` of `did`: its `uri` names both.
    pub fn is_post(&self, did: &str, rkey: &str) -> bool {
        self.uri.as_deref().and_then(split_at_uri) == Some((did, "app.bsky.feed.post", rkey))
    }

    /// The snapshot fields, with text and alt texts left out of a restricted post unless
    /// `show_restricted_text`.
    pub fn content(&self, source: &str, show_restricted_text: bool) -> PostContent {
        let hide_text = self.restricted() && !show_restricted_text;
        let author = self.author.as_ref();
        let handle = author
            .and_then(|a| non_empty(a.handle.clone()))
            // The AppView's placeholder for a handle that no longer verifies.
            .filter(|h| h != "handle.invalid");
        let actor = handle
            .clone()
            .or_else(|| author.and_then(|a| non_empty(a.did.clone())));
        let record = self.record.as_ref();
        let mut media = self.embed.as_ref().map(media_of_view).unwrap_or_default();
        if hide_text {
            for m in &mut media {
                m.alt = None;
            }
        }
        PostContent {
            source: source.to_owned(),
            author_name: author.and_then(|a| non_empty(a.display_name.clone())),
            author_url: actor.map(|a| format!("https://bsky.app/profile/{a}")),
            author_handle: handle,
            title: None,
            text: record
                .and_then(|r| Some(linked_text(&non_empty(r.text.clone())?, &r.facets)))
                .filter(|_| !hide_text),
            published_at: record.and_then(|r| r.created_at.as_deref().and_then(parse_date)),
            lang: record.and_then(|r| r.langs.first().and_then(|l| non_empty(Some(l.clone())))),
            reply_to: record
                .and_then(|r| r.reply.as_ref())
                .and_then(|r| r.pointer("/parent/uri"))
                .and_then(Value::as_str)
                .and_then(post_url),
            quote_of: self
                .embed
                .as_ref()
                .and_then(quoted_uri_of_view)
                .or_else(|| {
                    record
                        .and_then(|r| r.embed.as_ref())
                        .and_then(quoted_uri_of_record)
                })
                .and_then(post_url),
            media,
            raw: Vec::new(),
        }
    }
}

/// `at://DID/COLLECTION/RKEY` as its three parts.
pub fn split_at_uri(uri: &str) -> Option<(&str, &str, &str)> {
    let rest = uri.strip_prefix("at://")?;
    let mut parts = rest.split('/');
    let (did, collection, rkey) = (parts.next()?, parts.next()?, parts.next()?);
    (parts.next().is_none() && !did.is_empty() && !rkey.is_empty())
        .then_some((did, collection, rkey))
}

/// The bsky.app URL of a post's AT-URI; `None` for other records (feeds, lists, starter packs).
pub fn post_url(uri: &str) -> Option<String> {
    match split_at_uri(uri)? {
        (did, "app.bsky.feed.post", rkey) => {
            Some(format!("https://bsky.app/profile/{did}/post/{rkey}"))
        }
        _ => None,
    }
}

fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    crate::platforms::markup::reading::parse_rfc3339(text)
}

fn type_of(view: &Value) -> &str {
    view.get("$type")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn str_at(value: &Value, key: &str) -> Option<String> {
    non_empty(value.get(key).and_then(Value::as_str).map(str::to_owned))
}

/// Width and height from an `aspectRatio` (the AppView gives the upload's pixel size there).
fn aspect(v: &Value) -> (Option<u32>, Option<u32>) {
    let dim = |k: &str| {
        v.get("aspectRatio")
            .and_then(|a| a.get(k))
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
    };
    (dim("width"), dim("height"))
}

/// The items of a view's list `key` (none when it is not a list).
fn list<'a>(view: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    view.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// One picture of an `images#view` (whose thumbnail is `thumb`) or a `gallery#view` (whose
/// thumbnail is `thumbnail`): the full-size picture, else its thumbnail, with its size and alt
/// text.
fn picture(image: &Value, thumbnail: &str) -> Option<MediaRef> {
    let url = str_at(image, "fullsize").or_else(|| str_at(image, thumbnail))?;
    let (w, h) = aspect(image);
    Some(MediaRef {
        kind: MediaKind::Image,
        image_url: Some(url.clone()),
        url,
        width: w,
        height: h,
        alt: str_at(image, "alt"),
    })
}

/// The media of an embed view: `images#view`, `gallery#view`, `video#view`, `external#view`, and
/// the media half of `recordWithMedia#view`. A quoted post's own media belong to that post, not
/// this one.
fn media_of_view(view: &Value) -> Vec<MediaRef> {
    match type_of(view) {
        "app.bsky.embed.images#view" => list(view, "images")
            .filter_map(|image| picture(image, "thumb"))
            .collect(),
        // Posts of five pictures or more (up to ten since June 2026; the lexicon allows 20) list
        // `items`. Only `#viewImage` items are pictures: the lexicon leaves the union open to
        // other kinds of media.
        "app.bsky.embed.gallery#view" => list(view, "items")
            .filter(|item| {
                matches!(
                    item.get("$type").and_then(Value::as_str),
                    None | Some("app.bsky.embed.gallery#viewImage")
                )
            })
            .filter_map(|image| picture(image, "thumbnail"))
            .collect(),
        "app.bsky.embed.video#view" => {
            let Some(playlist) = str_at(view, "playlist") else {
                return Vec::new();
            };
            let (w, h) = aspect(view);
            vec![MediaRef {
                kind: MediaKind::Video,
                url: playlist,
                image_url: str_at(view, "thumbnail"),
                width: w,
                height: h,
                alt: str_at(view, "alt"),
            }]
        }
        // A link card: the linked page, pictured by its thumbnail and named by its title. A card
        // without a thumbnail has no picture to keep (its link is in the post's text).
        "app.bsky.embed.external#view" => {
            let Some(external) = view.get("external") else {
                return Vec::new();
            };
            match (str_at(external, "uri"), str_at(external, "thumb")) {
                (Some(uri), Some(thumb)) => vec![MediaRef {
                    kind: MediaKind::Image,
                    url: uri,
                    image_url: Some(thumb),
                    width: None,
                    height: None,
                    alt: str_at(external, "title"),
                }],
                _ => Vec::new(),
            }
        }
        "app.bsky.embed.recordWithMedia#view" => {
            view.get("media").map(media_of_view).unwrap_or_default()
        }
        _ => Vec::new(),
    }
}

/// The AT-URI a `record#view` or `recordWithMedia#view` quotes.
fn quoted_uri_of_view(view: &Value) -> Option<&str> {
    let record = match type_of(view) {
        "app.bsky.embed.record#view" => view.get("record")?,
        "app.bsky.embed.recordWithMedia#view" => view.pointer("/record/record")?,
        _ => return None,
    };
    record.get("uri").and_then(Value::as_str)
}

/// The AT-URI the post record's own `embed.record` or `embed.recordWithMedia` quotes (what the
/// author wrote, kept even when the view could not show the quoted post).
fn quoted_uri_of_record(embed: &Value) -> Option<&str> {
    match type_of(embed) {
        "app.bsky.embed.record" => embed.pointer("/record/uri"),
        "app.bsky.embed.recordWithMedia" => embed.pointer("/record/record/uri"),
        _ => None,
    }
    .and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real post's text and facets (bskyr's recorded author feed, post 3kz2mjf5rjs2q): three
    /// links shown shortened, a tag between.
    #[test]
    fn shortened_links_are_written_as_their_addresses() {
        let text = "This includes 3 new-ish #quartopub extensions:\n\n- tufte: Tufte-style template in Quarto + Typst (github.com/christopherk...)\n- spellcheck: Filter to run Hunspell when you render a qmd file (github.com/christopherk...)\n- ctk-article: Preprint template in Quarto + Typst (github.com/christopherk...)";
        let facets: Vec<Facet> = serde_json::from_str(
            r##"[{"features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "quartopub"}], "index": {"byteEnd": 34, "byteStart": 24}}, {"features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://github.com/christopherkenny/tufte"}], "index": {"byteEnd": 123, "byteStart": 97}}, {"features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://github.com/christopherkenny/spellcheck"}], "index": {"byteEnd": 216, "byteStart": 190}}, {"features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://github.com/christopherkenny/ctk-article"}], "index": {"byteEnd": 296, "byteStart": 270}}]"##,
        )
        .expect("facets");
        assert_eq!(
            linked_text(text, &facets),
            "This includes 3 new-ish #quartopub extensions:\n\n- tufte: Tufte-style template in Quarto + Typst (https://github.com/christopherkenny/tufte)\n- spellcheck: Filter to run Hunspell when you render a qmd file (https://github.com/christopherkenny/spellcheck)\n- ctk-article: Preprint template in Quarto + Typst (https://github.com/christopherkenny/ctk-article)"
        );
        let link = |start: u64, end: u64, uri: &str| -> Facet {
            serde_json::from_value(
                serde_json::json!({"index": {"byteStart": start, "byteEnd": end},
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": uri}]}),
            )
            .expect("facet")
        };
        // Words that are no short form of the address (a label), a range off the text's
        // characters or past its end, an address that is no plain web address: the text as it
        // is. ("émoi " is six bytes: "example.com" is 6..17.)
        for facet in [
            link(6, 17, "https://other.example/x"),
            link(1, 3, "https://example.com/x"),
            link(6, 99, "https://example.com/x"),
            link(6, 17, "javascript:alert(1)"),
            link(6, 17, "https://example.com/\nPosted by"),
        ] {
            assert_eq!(
                linked_text("émoi example.com rest", std::slice::from_ref(&facet)),
                "émoi example.com rest",
                "{facet:?}"
            );
        }
        // A link shown whole, or cut before its host ends, stays as the post shows it.
        assert_eq!(
            linked_text(
                "émoi example.com rest",
                &[link(6, 17, "https://www.example.com/page")]
            ),
            "émoi example.com rest"
        );
        assert_eq!(
            linked_text(
                "émoi news... rest",
                &[link(6, 13, "https://news.example.com/a")]
            ),
            "émoi news... rest"
        );
        assert_eq!(
            linked_text(
                "émoi example.com/pa... rest",
                &[link(6, 23, "https://www.example.com/page")]
            ),
            "émoi https://www.example.com/page rest"
        );
        assert_eq!(
            linked_text(
                "émoi example.com… rest",
                &[link(6, 20, "https://example.com/long/page")]
            ),
            "émoi https://example.com/long/page rest"
        );
    }
}
