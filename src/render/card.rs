//! The fallback card: an archived post shown the way its platform shows it (author, media, text,
//! date) with an honest label saying it is an archived copy and, when it is, that the original
//! is gone. Built with maud, so every string from a platform is escaped on the way out; links
//! and image addresses go through [`links`](super::links) first.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::card_text::{self, Limits};
use super::links::{self, Segment};
use super::style::CARD_CSS;
use crate::model::{
    self, EmbedRef, Media, MediaKind, Platform, PostRecord, PostStatus, StoredEmbed, StoredSnapshot,
};

/// What a card shows: the post and its latest snapshot, and where its media is served from.
#[derive(Debug, Clone, Copy)]
pub struct CardInput<'a> {
    /// The post: its platform, canonical URL and status (a pin counts, as readers see it).
    pub post: &'a PostRecord,
    /// The post's latest snapshot; `None` when nothing could be archived (the card then says so).
    pub snapshot: Option<&'a StoredSnapshot>,
    /// The address thumbnails are served under, followed by their sha256: an absolute
    /// `http`/`https` base (`https://embeds.example.com/v1/media/`) or a path on the card's own
    /// site (`/v1/media/`). Empty, or anything else, leaves the image out.
    pub media_base: &'a str,
    /// When the archived copy was made, for the "Archived on" label; `None` uses the last time
    /// the snapshot's content was seen.
    pub archived_on: Option<DateTime<Utc>>,
    /// What an article's embed code said of the post (its author, text and date, as the
    /// embed's fallback markup shows them), shown when there is no snapshot, labelled as such:
    /// a post gone before its first check still has the words its embed showed.
    pub markup: Option<&'a EmbedRef>,
}

/// Of a post's embeds in the articles that hold it, the one whose markup says the most of it
/// (author and text over either alone), the latest seen of those: what its card shows when no
/// copy of the post was archived.
pub fn markup_of(embeds: &[StoredEmbed]) -> Option<&EmbedRef> {
    let says = |e: &EmbedRef| {
        let has = |s: &Option<String>| s.as_deref().is_some_and(|s| !s.trim().is_empty());
        usize::from(has(&e.author_name) || has(&e.author_handle)) + usize::from(has(&e.text))
    };
    embeds
        .iter()
        .filter(|e| says(&e.embed) > 0)
        .max_by_key(|e| (says(&e.embed), e.last_seen_at))
        .map(|e| &e.embed)
}

/// The most tags of an embed's markup looked through for the language of its text.
const MAX_LANG_TAGS: usize = 64;

/// The language the embed code states for the post's words, where a card without a snapshot
/// quotes them: the first `lang` attribute in its markup (X's `<p lang="ja" dir="ltr">`, which
/// its oEmbed answer writes; not `data-lang`, the widget's own interface language), when it is
/// a language tag.
fn markup_lang(markup: &str) -> Option<&str> {
    let bytes = markup.as_bytes();
    memchr::memchr_iter(b'<', bytes)
        .take(MAX_LANG_TAGS)
        .find_map(|lt| {
            let mut lang = None;
            model::start_tag::lex(bytes, lt, |name, value| {
                if lang.is_none() && name.eq_ignore_ascii_case(b"lang") {
                    lang = Some(value);
                }
                true
            });
            lang
        })
        .and_then(|v| std::str::from_utf8(v).ok())
        .map(str::trim)
        .filter(|l| model::is_language_tag(l))
}

/// The card as a self-contained HTML fragment: a scoped `<style>` and a `<figure>`. It loads
/// nothing but its thumbnail from `media_base`, runs no script, and sits in any page.
pub fn card(input: &CardInput) -> String {
    card_markup(input).into_string()
}

/// The card as a page's rewrite puts it where the post's embed was: in the box `fallback.js`
/// puts it in, `<div class="ek-fallback" data-ek-status=… data-ek-url=…>`, so that both paths
/// give a page's styles and scripts one hook, and the card's `<style>` is its box's first
/// child, where HTML allows a `<style>` in a page's body.
pub fn card_in_box(input: &CardInput) -> String {
    html! {
        div.ek-fallback data-ek-status=(input.post.status().as_str())
            data-ek-url=(input.post.canonical_url) {
            (card_markup(input))
        }
    }
    .into_string()
}

/// A whole HTML page around the card, for `GET …/card` opened in a browser or an `<iframe>`.
/// With `oembed_url`, the page names its oEmbed document in a discovery `<link>`; an address
/// that is neither absolute `http`/`https` nor a path on the same site is left out.
pub fn card_page(input: &CardInput, oembed_url: Option<&str>) -> String {
    let view = View::of(input);
    let oembed = oembed_url.and_then(site_or_web_url);
    let title = format!("{} (archived)", view.label);
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: http:; base-uri 'none'; form-action 'none'";
                meta name="referrer" content="no-referrer";
                meta name="robots" content="noindex";
                title { (title) }
                @if let Some(href) = oembed {
                    link rel="alternate" type="application/json+oembed" href=(href) title=(title);
                }
            }
            body style="margin:0;padding:8px;background:transparent" {
                (card_markup(input))
            }
        }
    }
    .into_string()
}

/// The link a card puts on the post's author: the snapshot's author URL when it is an
/// absolute web address, else the profile page the handle names on the post's platform; `None`
/// when neither is. The oEmbed answer names the author with this same link, so a publisher's
/// page never gets an author address the card would have refused.
pub fn author_link(post: &PostRecord, snapshot: Option<&StoredSnapshot>) -> Option<String> {
    let snap = snapshot.map(|s| &s.snapshot);
    let handle = snap
        .and_then(|s| s.author_handle.as_deref())
        .map(|h| h.trim().trim_start_matches('@'))
        .filter(|h| !h.is_empty() && h.chars().count() <= Limits::HANDLE);
    snap.and_then(|s| s.author_url.as_deref())
        .and_then(links::web_url)
        .or_else(|| handle.and_then(|h| links::profile_url(post.platform, h, &post.canonical_url)))
        .map(String::from)
}

/// An absolute `http`/`https` URL or a path on the same site (`/oembed?url=…`), serialised.
fn site_or_web_url(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.starts_with('/') && !raw.starts_with("//") && !raw.contains('\\') {
        let probe = url::Url::parse("https://card.invalid/")
            .ok()?
            .join(raw)
            .ok()?;
        let query = probe.query().map(|q| format!("?{q}")).unwrap_or_default();
        return Some(format!("{}{query}", probe.path()));
    }
    links::web_url(raw).map(String::from)
}

/// Everything a card says, worked out once from the input.
struct View<'a> {
    platform: Platform,
    /// "Instagram", "X", "YouTube", … (for the generic platforms, the post's host).
    platform_name: String,
    /// The post's own address, when it is a web URL.
    post_url: Option<String>,
    /// "Instagram post by Harbour Desk (@harbourdesk)".
    label: String,
    author_name: Option<Cow<'a, str>>,
    /// Without the leading `@`.
    author_handle: Option<Cow<'a, str>>,
    author_url: Option<String>,
    /// Who the post is by, for the image's alternative text.
    author_for_alt: Option<String>,
    /// A video's, article's or long post's title, shown as a heading above the text.
    title: Option<Cow<'a, str>>,
    text: Option<Cow<'a, str>>,
    /// The text was cut to what a card holds ([`card_text`]).
    text_cut: bool,
    /// The language of the post's words (title and text), when the platform states one.
    lang: Option<&'a str>,
    /// The post this one answers, as a web address.
    reply_to: Option<String>,
    /// The post this one quotes, as a web address.
    quote_of: Option<String>,
    published_at: Option<DateTime<Utc>>,
    media: Vec<&'a Media>,
    gone: bool,
    archived_on: Option<DateTime<Utc>>,
    has_snapshot: bool,
    /// No snapshot: the author, text and date are what an article's embed code said.
    from_markup: bool,
}

impl<'a> View<'a> {
    fn of(input: &CardInput<'a>) -> View<'a> {
        let post = input.post;
        let snap = input.snapshot.map(|s| &s.snapshot);
        let platform = post.platform;
        let post_url = links::web_url(&post.canonical_url).map(String::from);
        let platform_name = platform_name(platform, post_url.as_deref());
        let nonempty =
            |s: &'a Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty());
        // Names and handles as a card shows them: on one line, bounded, without bidi controls.
        let label =
            |s: &'a str, max| Some(card_text::label(s, max)).filter(|l| !l.trim().is_empty());
        // Without a snapshot, what the article's embed code said of the post.
        let markup = input.markup.filter(|_| snap.is_none());
        let author_name = snap
            .map_or_else(
                || markup.and_then(|m| nonempty(&m.author_name)),
                |s| nonempty(&s.author_name),
            )
            .and_then(|n| label(n, Limits::NAME));
        let author_handle = snap
            .map_or_else(
                || markup.and_then(|m| nonempty(&m.author_handle)),
                |s| nonempty(&s.author_handle),
            )
            .map(|h| h.trim_start_matches('@'))
            .filter(|h| !h.is_empty())
            .and_then(|h| label(h, Limits::HANDLE));
        let text = snap.map_or_else(
            || markup.and_then(|m| nonempty(&m.text)),
            |s| nonempty(&s.text),
        );
        let (text, text_cut) = match text {
            Some(t) => {
                let (shown, cut) = card_text::body(t, Limits::TEXT, Limits::TEXT_LINES);
                (Some(shown), cut)
            }
            None => (None, false),
        };
        let author_url = author_link(post, input.snapshot);
        let author_for_alt = match (&author_name, &author_handle) {
            (Some(n), _) => Some(n.clone().into_owned()),
            (None, Some(h)) => Some(format!("@{h}")),
            (None, None) => None,
        };
        let by = match (&author_name, &author_handle) {
            (Some(n), Some(h)) => format!(" by {n} (@{h})"),
            (Some(n), None) => format!(" by {n}"),
            (None, Some(h)) => format!(" by @{h}"),
            (None, None) => String::new(),
        };
        let noun = match platform {
            Platform::Youtube | Platform::Vimeo | Platform::Dailymotion | Platform::Twitch => {
                "video"
            }
            _ => "post",
        };
        View {
            platform,
            label: format!("{platform_name} {noun}{by}"),
            platform_name,
            post_url,
            author_name,
            author_handle,
            author_url,
            author_for_alt,
            title: snap
                .and_then(|s| nonempty(&s.title))
                .map(|t| card_text::body(t, Limits::TITLE, 1).0),
            text,
            text_cut,
            lang: match snap {
                Some(s) => nonempty(&s.lang).filter(|l| model::is_language_tag(l)),
                None => markup.and_then(|m| markup_lang(&m.markup)),
            },
            reply_to: snap
                .and_then(|s| s.reply_to.as_deref())
                .and_then(links::web_url)
                .map(String::from),
            quote_of: snap
                .and_then(|s| s.quote_of.as_deref())
                .and_then(links::web_url)
                .map(String::from),
            published_at: snap
                .map_or_else(|| markup.and_then(|m| m.published_at), |s| s.published_at),
            from_markup: markup.is_some(),
            media: snap.map(|s| s.media.iter().collect()).unwrap_or_default(),
            gone: post.status() == PostStatus::Gone,
            archived_on: input
                .archived_on
                .or_else(|| input.snapshot.map(|s| s.last_seen_at)),
            has_snapshot: snap.is_some(),
        }
    }
}

/// A post address as a reader reads it in a link: without the scheme.
fn short_url(url: &str) -> &str {
    url.trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/')
}

/// The name a reader knows the platform by.
fn platform_name(platform: Platform, post_url: Option<&str>) -> String {
    let name = match platform {
        Platform::Instagram => "Instagram",
        Platform::X => "X",
        Platform::Tiktok => "TikTok",
        Platform::Youtube => "YouTube",
        Platform::Facebook => "Facebook",
        Platform::Threads => "Threads",
        Platform::Bluesky => "Bluesky",
        Platform::Mastodon => "Mastodon",
        Platform::Reddit => "Reddit",
        Platform::Vimeo => "Vimeo",
        Platform::Dailymotion => "Dailymotion",
        Platform::Spotify => "Spotify",
        Platform::Soundcloud => "SoundCloud",
        Platform::Pinterest => "Pinterest",
        Platform::Tumblr => "Tumblr",
        Platform::Imgur => "Imgur",
        Platform::Giphy => "GIPHY",
        Platform::Twitch => "Twitch",
        Platform::Linkedin => "LinkedIn",
        Platform::ApplePodcasts => "Apple Podcasts",
        Platform::Bandcamp => "Bandcamp",
        Platform::Oembed | Platform::Page => {
            let host = post_url
                .and_then(|u| url::Url::parse(u).ok())
                .and_then(|u| {
                    u.host_str()
                        .map(|h| h.trim_start_matches("www.").to_owned())
                });
            return host.unwrap_or_else(|| "the web".to_owned());
        }
    };
    name.to_owned()
}

/// "12 June 2024".
fn day(t: DateTime<Utc>) -> String {
    t.format("%-d %B %Y").to_string()
}

fn card_markup(input: &CardInput) -> Markup {
    let v = View::of(input);
    let media_base = links::media_base(input.media_base);
    // The first media item with a thumbnail stands for the post, as a platform's preview does.
    let shown = media_base.as_ref().and_then(|base| {
        v.media.iter().find_map(|m| {
            let t = m
                .thumbnail
                .as_ref()
                .filter(|t| links::is_sha256(&t.sha256))?;
            Some((*m, format!("{base}{}", t.sha256), t.width, t.height))
        })
    });
    let more = v.media.len().saturating_sub(usize::from(shown.is_some()));
    let figure_class = format!(
        "ek-card ek-{}{}",
        v.platform.as_str(),
        if v.gone { " ek-gone" } else { "" }
    );
    html! {
        style { (PreEscaped(CARD_CSS)) }
        // The card's own labels are English, and read left to right on any page (an Arabic
        // page's direction would put their full stops and counts on the wrong side).
        figure class=(figure_class) aria-label=(v.label) lang="en" dir="ltr" {
            figcaption.ek-head {
                (author(&v))
                span.ek-platform { "on " (v.platform_name) }
            }
            // The post's own words carry its language, or say it is unknown (an empty `lang`):
            // they are not the labels' English.
            blockquote.ek-quote cite=[v.post_url.as_deref()] lang=(v.lang.unwrap_or_default()) {
                @if let Some(url) = &v.reply_to {
                    p.ek-context { "Replying to " a href=(url) rel="noopener noreferrer nofollow" { (short_url(url)) } }
                }
                @if let Some((media, src, width, height)) = &shown {
                    (thumbnail(&v, media, src, *width, *height))
                }
                @if let Some(title) = &v.title {
                    h3.ek-title dir="auto" { (title) }
                }
                @if let Some(url) = &v.quote_of {
                    p.ek-context { "Quoting " a href=(url) rel="noopener noreferrer nofollow" { (short_url(url)) } }
                }
                @if let Some(text) = &v.text {
                    p.ek-text dir="auto" { (linked_text(text, v.platform, input.post.canonical_url.as_str())) }
                }
                @if v.text_cut {
                    p.ek-more { "The text goes on in the original post." }
                }
                @if more > 0 {
                    p.ek-more { (more_media(more, shown.is_some())) }
                }
                @if !v.has_snapshot {
                    @if v.from_markup {
                        p.ek-more { "No copy of this post was archived: this is what the article's embed code showed of it." }
                    } @else {
                        p.ek-text { "No archived copy of this post's content." }
                    }
                }
            }
            @if v.published_at.is_some() || v.post_url.is_some() {
                p.ek-meta {
                    @if let Some(t) = v.published_at {
                        "Posted "
                        time datetime=(crate::model::rfc3339(t)) { (day(t)) }
                        @if v.post_url.is_some() { " · " }
                    }
                    @if let Some(url) = &v.post_url {
                        a.ek-original href=(url) rel="noopener noreferrer nofollow" {
                            @if v.gone { "Original post on " (v.platform_name) } @else { "View on " (v.platform_name) }
                        }
                    }
                }
            }
            // A post never archived says so in its body: its note claims no archived copy.
            @if v.has_snapshot || v.gone {
                p.ek-note role="note" {
                    @if v.has_snapshot {
                        @if let Some(t) = v.archived_on {
                            "Archived on "
                            time datetime=(crate::model::rfc3339(t)) { (day(t)) }
                            "."
                        } @else {
                            "Archived copy."
                        }
                        @if v.gone { " " }
                    }
                    @if v.gone {
                        "The original post is no longer available."
                    }
                }
            }
        }
    }
}

/// Name and handle, linked to the author's page when there is a web address for it.
fn author(v: &View) -> Markup {
    let inner = html! {
        // Each in its own isolate: the name's direction never reorders the handle.
        @if let Some(name) = &v.author_name {
            bdi.ek-name dir="auto" lang="" { (name) }
            @if v.author_handle.is_some() { " " }
        }
        @if let Some(handle) = &v.author_handle {
            bdi.ek-handle { "@" (handle) }
        }
        @if v.author_name.is_none() && v.author_handle.is_none() {
            span.ek-name { "Unknown author" }
        }
    };
    html! {
        @if let Some(url) = &v.author_url {
            a.ek-author href=(url) rel="noopener noreferrer nofollow" { (inner) }
        } @else {
            span.ek-author { (inner) }
        }
    }
}

fn thumbnail(v: &View, media: &Media, src: &str, width: u32, height: u32) -> Markup {
    let whose = v
        .author_for_alt
        .as_deref()
        .map_or_else(|| "the".to_owned(), |a| format!("{a}'s"));
    // The platform's own description of the image says what is in it; without one, say
    // whose it is.
    let given = media
        .alt
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty());
    let alt = match (given, media.kind) {
        (Some(a), _) => card_text::label(a, Limits::ALT).into_owned(),
        (None, MediaKind::Image) => format!("Image from {whose} post"),
        (None, MediaKind::Video) => format!("Still from {whose} video"),
    };
    let img = html! {
        img src=(src) width=(width) height=(height) alt=(alt) loading="lazy" decoding="async";
        @if media.kind == MediaKind::Video {
            span.ek-badge aria-hidden="true" { "\u{25b6} Video" }
        }
    };
    html! {
        @if let Some(url) = &v.post_url {
            a.ek-media href=(url) rel="noopener noreferrer nofollow" tabindex="-1" { (img) }
        } @else {
            span.ek-media { (img) }
        }
    }
}

fn more_media(count: usize, after_shown: bool) -> String {
    let noun = if count == 1 { "item" } else { "items" };
    if after_shown {
        format!("+{count} more media {noun} in the original post")
    } else {
        format!("{count} media {noun} in the original post")
    }
}

/// The post's text with its web addresses, mentions and hashtags as links.
fn linked_text(text: &str, platform: Platform, post_url: &str) -> Markup {
    html! {
        @for segment in links::segments(text, platform, post_url) {
            @match segment {
                Segment::Text(t) => (t),
                Segment::Link { href, text } => a href=(href) rel="noopener noreferrer nofollow ugc" { (text) },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::model::{LivenessState, PostKey, Snapshot, StoredImage};

    const MEDIA_BASE: &str = "https://embeds.example.com/v1/media/";

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .expect("valid time")
    }

    fn post(platform: Platform, id: &str, url: &str, status: PostStatus) -> PostRecord {
        PostRecord {
            id: 7,
            key: PostKey {
                platform,
                post_id: id.into(),
            },
            platform,
            canonical_url: url.into(),
            liveness: LivenessState {
                status,
                ..LivenessState::default()
            },
            created_at: at(2024, 7, 1, 9, 0),
            last_checked_at: None,
            next_check_at: None,
            pin: None,
        }
    }

    fn thumb(sha: char, width: u32, height: u32) -> StoredImage {
        StoredImage {
            sha256: sha.to_string().repeat(64),
            width,
            height,
            mime: "image/webp".into(),
            bytes: Vec::new(),
        }
    }

    fn media(kind: MediaKind, url: &str, thumbnail: Option<StoredImage>) -> Media {
        Media {
            kind,
            url: url.into(),
            width: thumbnail.as_ref().map(|t| t.width * 2),
            height: thumbnail.as_ref().map(|t| t.height * 2),
            thumbnail,
            original: None,
            error: None,
            ..Default::default()
        }
    }

    struct Snap {
        name: Option<&'static str>,
        handle: Option<&'static str>,
        author_url: Option<&'static str>,
        text: Option<&'static str>,
        published_at: Option<DateTime<Utc>>,
        media: Vec<Media>,
    }

    fn stored(s: Snap) -> StoredSnapshot {
        let fetched = at(2024, 7, 1, 9, 0);
        StoredSnapshot {
            id: 1,
            post_id: 7,
            content_sha256: "00".repeat(32),
            content_version: crate::model::CONTENT_VERSION,
            first_seen_at: fetched,
            last_seen_at: at(2024, 7, 3, 18, 30),
            snapshot: Snapshot {
                fetched_at: fetched,
                source: "test".into(),
                author_name: s.name.map(Into::into),
                author_handle: s.handle.map(Into::into),
                author_url: s.author_url.map(Into::into),
                text: s.text.map(Into::into),
                published_at: s.published_at,
                media: s.media,
                raw: Vec::new(),
                ..Default::default()
            },
        }
    }

    fn render(post: &PostRecord, snap: Option<&StoredSnapshot>) -> String {
        card(&CardInput {
            post,
            snapshot: snap,
            media_base: MEDIA_BASE,
            archived_on: None,
            markup: None,
        })
    }

    /// The card without its stylesheet, one tag per line, for reviewable snapshots.
    fn readable(card: &str) -> String {
        let body = card.split_once("</style>").map_or(card, |(_, rest)| rest);
        body.replace("><", ">\n<")
    }

    #[test]
    fn instagram_image_post_gone() {
        let p = post(
            Platform::Instagram,
            "C8kQx2LtA1b",
            "https://www.instagram.com/p/C8kQx2LtA1b/",
            PostStatus::Gone,
        );
        let s = stored(Snap {
            name: Some("Harbour Desk"),
            handle: Some("harbourdesk"),
            author_url: Some("https://www.instagram.com/harbourdesk/"),
            text: Some(
                "Morning light over the harbour, before the ferries start. \u{1f305}\n\n#harbour",
            ),
            published_at: Some(at(2024, 6, 12, 6, 40)),
            media: vec![media(
                MediaKind::Image,
                "https://scontent.cdninstagram.com/v/t51.2885-15/449876543_1080x1350_n.jpg?oe=6700A1B2",
                Some(thumb('a', 480, 600)),
            )],
        });
        insta::assert_snapshot!(readable(&render(&p, Some(&s))));
    }

    #[test]
    fn x_text_post_live() {
        let p = post(
            Platform::X,
            "436461658601713664",
            "https://x.com/pepephone/status/436461658601713664",
            PostStatus::Live,
        );
        let s = stored(Snap {
            name: Some("Pepephone"),
            handle: Some("pepephone"),
            author_url: Some("https://twitter.com/pepephone"),
            text: Some("RT @PabloHerreros Pepephone rompe la baraja - http://t.co/mFn7mcB1vy"),
            published_at: Some(at(2014, 2, 20, 10, 27)),
            media: Vec::new(),
        });
        insta::assert_snapshot!(readable(&render(&p, Some(&s))));
    }

    #[test]
    fn youtube_video_gone() {
        let p = post(
            Platform::Youtube,
            "eiHXASgRTcA",
            "https://www.youtube.com/watch?v=eiHXASgRTcA",
            PostStatus::Gone,
        );
        let s = stored(Snap {
            name: Some("smshdchrb"),
            handle: None,
            author_url: Some("https://www.youtube.com/@smshdchrb"),
            text: Some("Noisy kittens waiting for dinner!"),
            published_at: None,
            media: vec![media(
                MediaKind::Video,
                "https://www.youtube.com/watch?v=eiHXASgRTcA",
                Some(thumb('b', 480, 360)),
            )],
        });
        insta::assert_snapshot!(readable(&render(&p, Some(&s))));
    }

    #[test]
    fn tiktok_video_with_hashtags() {
        let p = post(
            Platform::Tiktok,
            "6806030056956251397",
            "https://www.tiktok.com/@a3noticias/video/6806030056956251397",
            PostStatus::Gone,
        );
        let s = stored(Snap {
            name: Some("Antena 3 Noticias"),
            handle: Some("a3noticias"),
            author_url: Some("https://www.tiktok.com/@a3noticias"),
            text: Some(
                "Nuestro #AplausoSanitario más sincero. Para todos. Y recuerda, #QuédateEnCasa",
            ),
            published_at: None,
            media: vec![
                media(
                    MediaKind::Video,
                    "https://www.tiktok.com/@a3noticias/video/6806030056956251397",
                    Some(thumb('c', 270, 480)),
                ),
                media(
                    MediaKind::Image,
                    "https://p16.tiktokcdn.com/extra.jpg",
                    None,
                ),
            ],
        });
        insta::assert_snapshot!(readable(&render(&p, Some(&s))));
    }

    #[test]
    fn gone_post_without_snapshot() {
        let p = post(
            Platform::Instagram,
            "B3A-0uuAhg0",
            "https://www.instagram.com/p/B3A-0uuAhg0/",
            PostStatus::Gone,
        );
        insta::assert_snapshot!(readable(&render(&p, None)));
    }

    /// A post gone before its first check has no snapshot, but the article's embed code said
    /// who wrote it and what it said (a Reddit embed's fallback markup): the card shows that,
    /// saying where it comes from, and only where there is no snapshot.
    #[test]
    fn a_post_never_archived_shows_what_its_embed_code_said() {
        let p = post(
            Platform::Reddit,
            "1abcdef",
            "https://www.reddit.com/r/news/comments/1abcdef/",
            PostStatus::Gone,
        );
        let embed = |author: Option<&str>, text: Option<&str>, seen: DateTime<Utc>| StoredEmbed {
            id: 1,
            article_id: 1,
            post_id: Some(p.id),
            first_seen_at: seen,
            last_seen_at: seen,
            embed: EmbedRef {
                platform: Platform::Reddit,
                kind: model::EmbedKind::Post,
                post_url: p.canonical_url.clone(),
                post_id: Some("1abcdef".into()),
                location: model::Location::Dom,
                evidence: "blockquote.reddit-embed-bq".into(),
                markup: String::new(),
                author_name: None,
                author_handle: author.map(Into::into),
                text: text.map(Into::into),
                published_at: None,
            },
        };
        let embeds = [
            embed(None, None, at(2024, 8, 3, 0, 0)),
            embed(
                Some("someone"),
                Some("Example headline that was removed"),
                at(2024, 8, 1, 0, 0),
            ),
            embed(Some("someone"), None, at(2024, 8, 2, 0, 0)),
        ];
        let markup = markup_of(&embeds);
        assert_eq!(
            markup.and_then(|m| m.text.as_deref()),
            Some("Example headline that was removed")
        );
        let input = |snapshot| CardInput {
            post: &p,
            snapshot,
            media_base: MEDIA_BASE,
            archived_on: None,
            markup,
        };
        let html = card(&input(None));
        assert!(html.contains("@someone"), "{html}");
        assert!(html.contains("Example headline that was removed"), "{html}");
        assert!(!html.contains("Unknown author"), "{html}");
        assert!(
            html.contains("what the article's embed code showed"),
            "{html}"
        );
        assert!(
            html.contains("aria-label=\"Reddit post by @someone\""),
            "{html}"
        );
        // With a snapshot, the snapshot alone speaks.
        let (_, snap) = hostile();
        let html = card(&input(Some(&snap)));
        assert!(!html.contains("Example headline"), "{html}");
        assert!(!html.contains("embed code showed"), "{html}");
        assert_eq!(markup_of(&embeds[..1]), None);
    }

    /// A card quoting the embed code's words gives them the language the code states for them
    /// (X's `<p lang="ja">`), not the widget's interface language (`data-lang`), and none that
    /// is no language tag.
    #[test]
    fn words_quoted_from_the_embed_code_keep_its_language() {
        let p = post(
            Platform::X,
            "1",
            "https://x.com/a/status/1",
            PostStatus::Gone,
        );
        let with = |markup: &str| EmbedRef {
            platform: Platform::X,
            kind: model::EmbedKind::Post,
            post_url: p.canonical_url.clone(),
            post_id: Some("1".into()),
            location: model::Location::Dom,
            evidence: "blockquote.twitter-tweet".into(),
            markup: markup.into(),
            author_name: Some("A".into()),
            author_handle: Some("a".into()),
            text: Some("電車の中で".into()),
            published_at: None,
        };
        let quoted = |markup: &str| {
            let embed = with(markup);
            card(&CardInput {
                post: &p,
                snapshot: None,
                media_base: MEDIA_BASE,
                archived_on: None,
                markup: Some(&embed),
            })
        };
        let ja = quoted(
            r#"<blockquote class="twitter-tweet" data-lang="en"><p lang="ja" dir="ltr">電車の中で</p>&mdash; A (@a)</blockquote>"#,
        );
        assert!(
            ja.contains(
                r#"<blockquote class="ek-quote" cite="https://x.com/a/status/1" lang="ja">"#
            ),
            "{ja}"
        );
        for markup in [
            r#"<blockquote class="twitter-tweet" data-lang="en"><p dir="ltr">x</p></blockquote>"#,
            r#"<blockquote class="twitter-tweet"><p lang="ja&quot; onclick=&quot;x">x</p></blockquote>"#,
        ] {
            let html = quoted(markup);
            assert!(html.contains(r#"lang="">"#), "{html}");
        }
    }

    fn hostile() -> (PostRecord, StoredSnapshot) {
        let p = post(
            Platform::X,
            "1",
            "javascript:alert(1)//x.com/a/status/1",
            PostStatus::Gone,
        );
        let s = stored(Snap {
            name: Some("</figure><script>alert(1)</script>"),
            handle: Some("\"><script>alert(1)</script>"),
            author_url: Some("javascript:alert(1)"),
            text: Some(
                "<img src=x onerror=alert(1)> javascript:alert(2) data:text/html,<script>x</script> \
                 \"onmouseover=\"alert(3) https://ok.example/a\"onclick=alert(4) #t\"ag @x\"y",
            ),
            published_at: None,
            media: vec![
                Media {
                    thumbnail: Some(StoredImage {
                        sha256: "\"><script>alert(5)</script>".into(),
                        ..thumb('d', 1, 1)
                    }),
                    ..media(MediaKind::Image, "javascript:alert(6)", None)
                },
                media(
                    MediaKind::Image,
                    "javascript:alert(7)",
                    Some(thumb('f', 2, 2)),
                ),
            ],
        });
        let mut s = s;
        s.snapshot.title = Some("</h3><script>alert(9)</script>".into());
        s.snapshot.lang = Some("en\"><script>alert(10)</script>".into());
        s.snapshot.reply_to = Some("javascript:alert(11)//x.com/a/status/2".into());
        s.snapshot.quote_of = Some("data:text/html,<script>alert(12)</script>".into());
        (p, s)
    }

    /// A caption of a megabyte, a flood of line breaks and combining marks, a display name of
    /// 300,000 characters holding a right-to-left override, and alt text of half a megabyte:
    /// the card stays the size of a card, says the text goes on, and lets no override out.
    #[test]
    fn a_card_is_bounded_whatever_the_post_holds() {
        let name = format!("Ev\u{202E}il{}", "n".repeat(300_000));
        let text = format!(
            "{}{}Z{}",
            "caption words ".repeat(75_000),
            "\n".repeat(100_000),
            "\u{0301}".repeat(90_000)
        );
        let mut s = stored(Snap {
            name: None,
            handle: Some("ev\u{202E}il"),
            author_url: None,
            text: None,
            published_at: None,
            media: vec![media(
                MediaKind::Image,
                "https://cdn.example/a.jpg",
                Some(thumb('a', 4, 3)),
            )],
        });
        s.snapshot.author_name = Some(name);
        s.snapshot.text = Some(text);
        s.snapshot.author_url = Some(format!("https://x.example/{}", "a".repeat(300_000)));
        s.snapshot.reply_to = Some(format!("https://x.com/a/status/{}", "1".repeat(300_000)));
        s.snapshot.media[0].alt = Some("alt ".repeat(125_000));
        let p = post(
            Platform::X,
            "1",
            "https://x.com/a/status/1",
            PostStatus::Gone,
        );
        let html = card(&CardInput {
            post: &p,
            snapshot: Some(&s),
            media_base: MEDIA_BASE,
            archived_on: None,
            markup: None,
        });
        assert!(html.len() < 16 * 1024, "{} bytes", html.len());
        assert!(html.contains("The text goes on in the original post."));
        assert!(!html.contains('\u{202E}'));
        assert!(
            html.contains("<bdi class=\"ek-handle\">@evil</bdi>"),
            "{html}"
        );
        // The card's own ink stays in its box.
        assert!(CARD_CSS.contains("overflow:hidden"));
    }

    /// Every attribute value of every tag in `html`, and the text between tags.
    fn attributes_and_tags(html: &str) -> (Vec<String>, Vec<String>) {
        let mut attrs = Vec::new();
        let mut tags = Vec::new();
        let mut rest = html;
        while let Some(lt) = rest.find('<') {
            let Some(gt) = rest[lt..].find('>') else {
                break;
            };
            let tag = &rest[lt + 1..lt + gt];
            tags.push(
                tag.split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_ascii_lowercase(),
            );
            let mut t = tag;
            while let Some(q) = t.find('"') {
                let Some(end) = t[q + 1..].find('"') else {
                    break;
                };
                attrs.push(t[q + 1..q + 1 + end].to_owned());
                t = &t[q + 1 + end + 1..];
            }
            rest = &rest[lt + gt + 1..];
        }
        (attrs, tags)
    }

    #[test]
    fn hostile_snapshot_is_escaped_and_links_nothing_but_the_web() {
        let (p, s) = hostile();
        for media_base in [MEDIA_BASE, "javascript:alert(7)//", "/v1/media/"] {
            let input = CardInput {
                post: &p,
                snapshot: Some(&s),
                media_base,
                archived_on: None,
                markup: None,
            };
            for html in [card(&input), card_page(&input, Some("javascript:alert(8)"))] {
                let lower = html.to_ascii_lowercase();
                assert!(!lower.contains("<script"), "{html}");
                assert!(!lower.contains("<img src=x"), "{html}");
                let (attrs, tags) = attributes_and_tags(&html);
                assert!(
                    tags.iter().all(|t| [
                        "!doctype",
                        "html",
                        "head",
                        "meta",
                        "title",
                        "link",
                        "body",
                        "style",
                        "/style",
                        "figure",
                        "/figure",
                        "figcaption",
                        "/figcaption",
                        "a",
                        "/a",
                        "span",
                        "/span",
                        "bdi",
                        "/bdi",
                        "blockquote",
                        "/blockquote",
                        "p",
                        "/p",
                        "h3",
                        "/h3",
                        "time",
                        "/time",
                        "img",
                        "/title",
                        "/head",
                        "/body",
                        "/html"
                    ]
                    .contains(&t.as_str())),
                    "unexpected tag in {tags:?}"
                );
                for a in &attrs {
                    let a = a.to_ascii_lowercase();
                    assert!(!a.contains("javascript:"), "{a} in {html}");
                    assert!(!a.contains("data:"), "{a} in {html}");
                }
                // No attribute of ours was broken out of: every tag's attribute names are ours.
                for bad in ["onerror=", "onclick=", "onmouseover="] {
                    for (i, _) in lower.match_indices(bad) {
                        let before = &lower[..i];
                        let in_tag = before.rfind('<') > before.rfind('>');
                        assert!(!in_tag, "{bad} inside a tag in {html}");
                    }
                }
                assert!(!html.contains("link rel=\"alternate\""), "{html}");
                // The hostile image name never becomes an address; the stored one does, on a
                // usable media base, with the author's name escaped in its text.
                assert!(!html.contains("alert(5)"), "{html}");
                let img = html.find("<img").map(|i| &html[i..]);
                match media_base {
                    "/v1/media/" | MEDIA_BASE => assert!(
                        img.is_some_and(|i| i.contains(&format!("{}\"", "f".repeat(64)))
                            && i.contains("alt=\"Image from &lt;/figure&gt;&lt;script&gt;")),
                        "{html}"
                    ),
                    _ => assert!(img.is_none(), "{html}"),
                }
            }
        }
    }

    #[test]
    fn hostile_title_language_and_targets_are_escaped_or_left_out() {
        let (p, s) = hostile();
        let html = render(&p, Some(&s));
        assert!(html.contains("&lt;/h3&gt;&lt;script&gt;alert(9)"), "{html}");
        // A language that is no language tag is none: the post's words are of unknown language.
        assert!(!html.contains("alert(10)"), "{html}");
        assert!(
            html.contains("<blockquote class=\"ek-quote\" lang=\"\">"),
            "{html}"
        );
        assert!(
            !html.contains("Replying to") && !html.contains("Quoting"),
            "{html}"
        );
    }

    fn x_article() -> (PostRecord, StoredSnapshot) {
        let p = post(
            Platform::X,
            "2064997219648913457",
            "https://x.com/eliana_jordan/status/2064997219648913457",
            PostStatus::Live,
        );
        let mut s = stored(Snap {
            name: Some("Eliana"),
            handle: Some("eliana_jordan"),
            author_url: Some("https://x.com/eliana_jordan"),
            text: Some(
                "My Instagram had 23K followers and was completely dead.\n800 views per reel.",
            ),
            published_at: Some(at(2026, 6, 11, 9, 4)),
            media: vec![Media {
                alt: Some("A phone showing a travel reel".into()),
                poster_url: Some("https://pbs.twimg.com/media/HKe-43fX0AAfDI_.jpg".into()),
                ..media(
                    MediaKind::Image,
                    "https://pbs.twimg.com/media/HKe-43fX0AAfDI_.jpg",
                    Some(thumb('e', 480, 192)),
                )
            }],
        });
        s.snapshot.title =
            Some("My Instagram was dead for a year. One weekend changed that.".into());
        s.snapshot.lang = Some("en".into());
        (p, s)
    }

    #[test]
    fn a_title_is_a_heading_apart_from_the_text_and_alt_text_describes_the_image() {
        let (p, s) = x_article();
        let html = render(&p, Some(&s));
        let title = html
            .find("<h3 class=\"ek-title\"")
            .expect("a title heading");
        let text = html.find("<p class=\"ek-text\"").expect("the text");
        assert!(title < text, "{html}");
        assert!(
            html.contains("alt=\"A phone showing a travel reel\""),
            "{html}"
        );
        assert!(html.contains("<blockquote class=\"ek-quote\" cite=\"https://x.com/eliana_jordan/status/2064997219648913457\" lang=\"en\">"), "{html}");
        // The card's own labels are English and left to right, whatever the page around it;
        // the post's words carry their own language.
        assert!(
            html.contains(
                "<figure class=\"ek-card ek-x\" aria-label=\"X post by Eliana (@eliana_jordan)\" lang=\"en\" dir=\"ltr\">"
            ),
            "{html}"
        );
        insta::assert_snapshot!(readable(&html));
    }

    #[test]
    fn a_reply_that_quotes_links_both_posts() {
        let p = post(
            Platform::X,
            "20",
            "https://x.com/jack/status/21",
            PostStatus::Live,
        );
        let mut s = stored(Snap {
            name: Some("jack"),
            handle: Some("jack"),
            author_url: None,
            text: Some("still setting it up"),
            published_at: None,
            media: Vec::new(),
        });
        s.snapshot.reply_to = Some("https://x.com/biz/status/19".into());
        s.snapshot.quote_of = Some("https://x.com/i/status/20".into());
        let html = render(&p, Some(&s));
        assert!(
            html.contains("Replying to <a href=\"https://x.com/biz/status/19\""),
            "{html}"
        );
        assert!(
            html.contains("Quoting <a href=\"https://x.com/i/status/20\""),
            "{html}"
        );
        insta::assert_snapshot!(readable(&html));
    }

    #[test]
    fn hostile_snapshot_as_rendered() {
        let (p, s) = hostile();
        insta::assert_snapshot!(readable(&render(&p, Some(&s))));
    }

    #[test]
    fn card_page_names_its_oembed_document() {
        let (p, s) = hostile();
        let input = CardInput {
            post: &p,
            snapshot: Some(&s),
            media_base: MEDIA_BASE,
            archived_on: Some(at(2024, 8, 1, 0, 0)),
            markup: None,
        };
        let page = card_page(
            &input,
            Some("/oembed?url=https%3A%2F%2Fx.com%2Fa%2Fstatus%2F1&format=json"),
        );
        assert!(
            page.starts_with("<!DOCTYPE html><html lang=\"en\">"),
            "{page}"
        );
        assert!(
            page.contains(r#"<link rel="alternate" type="application/json+oembed" href="/oembed?url=https%3A%2F%2Fx.com%2Fa%2Fstatus%2F1&amp;format=json""#),
            "{page}"
        );
        assert!(
            page.contains(
                "Archived on <time datetime=\"2024-08-01T00:00:00Z\">1 August 2024</time>."
            )
        );
        let absolute = card_page(&input, Some("https://embeds.example.com/oembed?url=x"));
        assert!(
            absolute.contains("href=\"https://embeds.example.com/oembed?url=x\""),
            "{absolute}"
        );
    }

    #[test]
    fn labels_say_archived_and_gone_only_when_gone() {
        let s = stored(Snap {
            name: Some("jack"),
            handle: Some("jack"),
            author_url: None,
            text: Some("just setting up my twttr"),
            published_at: Some(at(2006, 3, 21, 20, 50)),
            media: Vec::new(),
        });
        let mut p = post(
            Platform::X,
            "20",
            "https://x.com/jack/status/20",
            PostStatus::Live,
        );
        let live = render(&p, Some(&s));
        assert!(live.contains("Archived on"), "{live}");
        assert!(!live.contains("no longer available"), "{live}");
        assert!(
            live.contains(r#"aria-label="X post by jack (@jack)""#),
            "{live}"
        );
        // The author's page comes from the handle when the snapshot has no author URL.
        assert!(
            live.contains(r#"<a class="ek-author" href="https://x.com/jack""#),
            "{live}"
        );
        p.pin = Some(PostStatus::Gone);
        let gone = render(&p, Some(&s));
        assert!(
            gone.contains("The original post is no longer available."),
            "{gone}"
        );
        assert!(gone.contains("ek-card ek-x ek-gone"), "{gone}");
    }

    #[test]
    fn no_image_without_a_media_base() {
        let p = post(
            Platform::Instagram,
            "C8kQx2LtA1b",
            "https://www.instagram.com/p/C8kQx2LtA1b/",
            PostStatus::Gone,
        );
        let s = stored(Snap {
            name: Some("Harbour Desk"),
            handle: None,
            author_url: None,
            text: None,
            published_at: None,
            media: vec![media(
                MediaKind::Image,
                "https://cdn.example/a.jpg",
                Some(thumb('e', 4, 5)),
            )],
        });
        let with = render(&p, Some(&s));
        assert!(with.contains(&format!(
            r#"<img src="{MEDIA_BASE}{}" width="4" height="5" alt="Image from Harbour Desk's post""#,
            "e".repeat(64)
        )), "{with}");
        let without = card(&CardInput {
            post: &p,
            snapshot: Some(&s),
            media_base: "",
            archived_on: None,
            markup: None,
        });
        assert!(!without.contains("<img"), "{without}");
        assert!(
            without.contains("1 media item in the original post"),
            "{without}"
        );
    }
}
