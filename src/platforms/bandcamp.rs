//! bandcamp: Bandcamp tracks and albums, and their resolver.
//!
//! Claims item pages `ARTIST.bandcamp.com/(track|album)/SLUG` and the player iframe
//! `bandcamp.com/EmbeddedPlayer/(album|track)=ID/…` (also with the ids as query parameters). A
//! page's post id is `ARTIST/(track|album)/SLUG`; a player's is `(track|album)/ID`, the numeric
//! item id, which no page URL carries, so an item linked once each way has two ids. It must
//! never claim artist home pages, `bandcamp.com` itself, or custom domains (nothing in their
//! URL says they are Bandcamp).
//!
//! Resolution reads the item's own page through [`page::meta`](crate::platforms::page::meta):
//! its JSON-LD (`MusicRecording` or `MusicAlbum`: name, `byArtist`, `datePublished`, `image`,
//! `description`) first, its OpenGraph tags where the JSON-LD is silent. The item's time is when
//! it was published on Bandcamp, `publish_date` of the page's item data (the `data-tralbum`
//! attribute, or the older `TralbumData` script), to the second; the JSON-LD's `datePublished`
//! is the release date the artist chose (a day, often before the item was posted), read only
//! where the item data has none. What is Bandcamp's own is
//! that order: its cards decorate the item (`og:title` "TITLE, by ARTIST", `og:description`
//! "10 track album", a smaller `og:image`), its JSON-LD states it. A page from before Bandcamp
//! wrote JSON-LD is read from its cards (`og:type` `song`/`album`) and its `TralbumData` script.
//! Bandcamp has no oEmbed endpoint. A player names only a numeric id, which no public source
//! maps to a page; Bandcamp's own embed code puts a link to the item's page inside the
//! iframe, and the resolver follows that link when the embed's markup has one.
//!
//! A missing item answers 404 with Bandcamp's own notice, "Sorry, that something isn’t here."
//! No whole 404 page is recorded anywhere public, but the notice is: WhatsMyName's Bandcamp
//! entry (`wmn-data.json`, checked against the live site by that project's CI) gives status 404
//! and `<h2>Sorry, that something isn’t here.</h2>`, and independent scrapers test album and
//! track pages for the same words (JDownloader with a straight apostrophe). So a 404 holding the
//! notice is gone ([`OwnBody::Holds`]); a 404 without it is somebody else's page (a proxy's, an
//! edge's) and, like every other answer that is not the item's page, transient.

use std::sync::LazyLock;

use regex::Regex;
use url::Url;

use crate::model::{
    EmbedKind, EmbedRef, MediaKind, MediaRef, Platform, PostContent, Recognised, Resolution,
};
use crate::platforms::page::meta;
use crate::platforms::readers::{collapse_whitespace, constant_url};
use crate::platforms::source::{Answer, Fetch, SourceError, check_status};
use crate::platforms::url_util::{
    host_is_or_www, is_base64url_char, is_digits, is_token, segments, web_host,
};
use crate::platforms::verdict::{self, Field, OwnBody};

/// Source name of the item page.
pub const SOURCE: &str = "bandcamp-page";

/// Where relative addresses of a page whose own address does not parse are resolved.
const BANDCAMP: &str = "https://bandcamp.com/";

/// The largest page read: a track page is a few hundred kilobytes.
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

/// What identifies a live item: every item page names its title and artist.
const IDENTIFYING: &[Field] = &[Field::Text, Field::Author, Field::Published];

/// Bandcamp's own page for a missing item holds its notice, with either apostrophe.
const MISSING: &[OwnBody] = &[OwnBody::Holds(&[
    "Sorry, that something isn’t here".as_bytes(),
    b"Sorry, that something isn't here",
])];

/// The JSON-LD types of an item page: a track or an album.
const ITEM_TYPES: &[&str] = &["MusicRecording", "MusicAlbum"];

/// Claim Bandcamp item pages and players.
pub fn recognise(url: &Url) -> Option<Recognised> {
    let host = web_host(url)?;
    let segs = segments(url);
    let segs: Vec<&str> = segs.iter().map(|s| s.as_ref()).collect();
    if host_is_or_www(host, "bandcamp.com") {
        return player(url, &segs);
    }
    let artist = host.strip_suffix(".bandcamp.com")?;
    if !is_token(artist, 1, 100, is_base64url_char) || artist == "www" {
        return None;
    }
    match segs.as_slice() {
        [section, slug] if is_token(slug, 1, 200, is_base64url_char) => {
            let kind = kind_of(section)?;
            Some(Recognised {
                platform: Platform::Bandcamp,
                kind,
                post_id: Some(format!("{artist}/{section}/{slug}")),
                canonical_url: format!("https://{artist}.bandcamp.com/{section}/{slug}"),
            })
        }
        _ => None,
    }
}

/// `bandcamp.com/EmbeddedPlayer/album=ID/size=large/…` or `…/EmbeddedPlayer.html?track=ID`.
fn player(url: &Url, segs: &[&str]) -> Option<Recognised> {
    let [first, params @ ..] = segs else {
        return None;
    };
    if !first.starts_with("EmbeddedPlayer") {
        return None;
    }
    let from_path = params
        .iter()
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()));
    let from_query = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()));
    from_path.chain(from_query).find_map(|(key, value)| {
        let kind = kind_of(&key)?;
        is_digits(&value, 20).then(|| Recognised {
            platform: Platform::Bandcamp,
            kind,
            post_id: Some(format!("{key}/{value}")),
            canonical_url: format!("https://bandcamp.com/EmbeddedPlayer/{key}={value}/"),
        })
    })
}

fn kind_of(section: &str) -> Option<EmbedKind> {
    match section {
        "album" => Some(EmbedKind::Album),
        "track" => Some(EmbedKind::Track),
        _ => None,
    }
}

/// The item page to read for an embed: its own URL, or for a player the item page its embed
/// code links to.
fn page_url(embed: &EmbedRef) -> Option<Url> {
    static PAGE_LINK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#"https?://[A-Za-z0-9-]{1,100}\.bandcamp\.com/(?:album|track)/[A-Za-z0-9_-]{1,200}"#,
        )
        .expect("static regex is valid")
    });
    let page = |raw: &str| {
        let url = Url::parse(raw).ok()?;
        let r = recognise(&url)?;
        (!r.canonical_url.starts_with("https://bandcamp.com/"))
            .then(|| Url::parse(&r.canonical_url).ok())
            .flatten()
    };
    page(&embed.post_url).or_else(|| {
        PAGE_LINK
            .find_iter(&embed.markup)
            .find_map(|m| page(m.as_str()))
    })
}

/// Resolve one track or album.
pub(crate) async fn resolve_with<F: Fetch>(fetcher: &F, embed: &EmbedRef) -> Resolution {
    let Some(url) = page_url(embed) else {
        return SourceError::BadPostId {
            source_name: SOURCE.to_owned(),
            post_id: embed
                .post_id
                .clone()
                .unwrap_or_else(|| embed.post_url.clone()),
            reason: "a Bandcamp player names only a numeric item id and its embed code links no item page".to_owned(),
        }
        .into_transient();
    };
    match fetcher.fetch(SOURCE, &url).await {
        Ok(answer) => parse(&answer),
        Err(e) => e.into_transient(),
    }
}

/// Classify one item page.
pub fn parse(answer: &Answer) -> Resolution {
    let transient = |evidence: String| Resolution::Transient {
        source: SOURCE.to_owned(),
        evidence,
    };
    if let Err(e) = check_status(SOURCE, answer) {
        return e.into_transient();
    }
    if answer.status == 404 {
        return verdict::gone_if_own_answer(SOURCE, answer, MISSING, || {
            format!(
                "HTTP 404 with Bandcamp's notice \"Sorry, that something isn’t here\" for {}: the item was removed or never existed",
                answer.url
            )
        });
    }
    if answer.status != 200 {
        return transient(verdict::not_own_answer(SOURCE, answer));
    }
    if answer.body.len() > MAX_PAGE_BYTES {
        return transient(format!(
            "page from {SOURCE} is {} bytes, more than {MAX_PAGE_BYTES}",
            answer.body.len()
        ));
    }
    let html = String::from_utf8_lossy(&answer.body);
    let page_url = Url::parse(&answer.url).unwrap_or_else(|_| constant_url(BANDCAMP));
    let page = meta::read(&html, &page_url);
    let Some(item) = page
        .json_ld
        .as_ref()
        .filter(|ld| ITEM_TYPES.contains(&ld.kind.as_str()))
    else {
        // Pages before JSON-LD (about 2018) state the item only in their cards and script.
        if let Some(content) = older_item(&page, &html, answer) {
            return verdict::live(content, IDENTIFYING);
        }
        return transient(format!(
            "page from {SOURCE} ({}) has no MusicRecording or MusicAlbum data: not an item page",
            answer.url
        ));
    };
    let image = item
        .image
        .as_ref()
        .map(Url::to_string)
        .or_else(|| page.media.first().and_then(|m| m.image_url.clone()));
    let content = PostContent {
        source: SOURCE.to_owned(),
        title: item.title.clone().or(page.title),
        author_name: item.author_name.clone(),
        author_url: item.author_url.clone(),
        text: item
            .text
            .clone()
            .or(page.text)
            .map(|t| collapse_whitespace(&t)),
        published_at: current_publish_date(&html).or(item.published_at),
        media: cover(image),
        raw: vec![answer.raw()],
        ..PostContent::default()
    };
    verdict::live(content, IDENTIFYING)
}

/// The item's cover picture as its one media item.
fn cover(image: Option<String>) -> Vec<MediaRef> {
    image
        .map(|u| MediaRef {
            kind: MediaKind::Image,
            url: u.clone(),
            image_url: Some(u),
            ..MediaRef::default()
        })
        .into_iter()
        .collect()
}

/// An item page from before Bandcamp wrote JSON-LD (a 2016 track page is recorded), as its
/// cards read: its `og:type` is `song` or `album`, its title "TITLE, by ARTIST", and its time the
/// `publish_date` of the `current` object of its `TralbumData` script. Anything else is no item.
fn older_item(page: &meta::PageMeta, html: &str, answer: &Answer) -> Option<PostContent> {
    if !matches!(page.meta("og:type"), Some("song" | "album")) {
        return None;
    }
    let (title, artist) = page
        .title
        .as_deref()?
        .rsplit_once(", by ")
        .map(|(t, a)| (t.trim().to_owned(), a.trim().to_owned()))
        .filter(|(t, a)| !t.is_empty() && !a.is_empty())?;
    Some(PostContent {
        source: SOURCE.to_owned(),
        title: Some(title),
        author_name: Some(artist),
        text: page.text.as_deref().map(collapse_whitespace),
        published_at: current_publish_date(html),
        media: cover(page.media.first().and_then(|m| m.image_url.clone())),
        raw: vec![answer.raw()],
        ..PostContent::default()
    })
}

/// The `publish_date` of the `current` object of the page's item data: the `data-tralbum`
/// attribute's JSON (pages since about 2020), else the `TralbumData` script's.
fn current_publish_date(html: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let current = match tralbum_attribute(html) {
        Some(data) => data.get("current")?.clone(),
        None => script_current(html)?,
    };
    meta::parse_time(current["publish_date"].as_str()?)
}

/// The JSON of the first `data-tralbum="…"` attribute, its character references decoded.
fn tralbum_attribute(html: &str) -> Option<serde_json::Value> {
    const ATTRIBUTE: &str = "data-tralbum=\"";
    let start = html.find(ATTRIBUTE)? + ATTRIBUTE.len();
    let end = html[start..].find('"')? + start;
    let decoded = html_escape::decode_html_entities(&html[start..end]);
    serde_json::from_str(&decoded).ok()
}

/// `TralbumData`'s `current` object: JSON inside a script literal, read as one JSON value from
/// its brace.
fn script_current(html: &str) -> Option<serde_json::Value> {
    let script = html.find("TralbumData")?;
    let rest = &html[script..];
    let current = rest.find("current")?;
    let brace = rest[current..].find('{')? + current;
    // The brace must open the value of `current`: only a colon and spaces between.
    if !rest[current + "current".len()..brace]
        .trim_matches(|c: char| c.is_whitespace() || c == '"')
        .eq(":")
    {
        return None;
    }
    serde_json::Deserializer::from_str(&rest[brace..])
        .into_iter()
        .next()?
        .ok()
}

/// The Bandcamp module of the registry. Its player is an iframe that discovery reaches through
/// [`recognise`]; it declares no markup of its own.
#[derive(Debug)]
pub struct Bandcamp;

impl crate::platforms::PlatformModule for Bandcamp {
    fn platform(&self) -> Platform {
        Platform::Bandcamp
    }

    fn recognise(&self, url: &Url) -> Option<Recognised> {
        recognise(url)
    }

    fn sources(&self) -> &'static [&'static str] {
        &[SOURCE]
    }

    fn resolve<'a>(
        &'a self,
        ctx: &'a crate::platforms::ResolveContext<'a>,
        embed: &'a EmbedRef,
    ) -> std::pin::Pin<Box<dyn Future<Output = Resolution> + Send + 'a>> {
        Box::pin(resolve_with(ctx.http, embed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CheckOutcome, Location};
    use crate::platforms::replay::fixture_answer;

    fn rec(u: &str) -> Option<Recognised> {
        recognise(&Url::parse(u).expect("url"))
    }

    #[test]
    fn pages_and_players_in_every_form() {
        let cases = [
            (
                "https://bandcamp.com/EmbeddedPlayer/album=669163771/size=large/bgcol=ffffff/linkcol=e99708/artwork=none/transparent=true/",
                EmbedKind::Album,
                "album/669163771",
                "https://bandcamp.com/EmbeddedPlayer/album=669163771/",
            ),
            (
                "https://bandcamp.com/EmbeddedPlayer/v=2/track=2592086951/size=large/tracklist=false/artwork=small/",
                EmbedKind::Track,
                "track/2592086951",
                "https://bandcamp.com/EmbeddedPlayer/track=2592086951/",
            ),
            (
                "https://bandcamp.com/EmbeddedPlayer.html?album=521679757&size=large",
                EmbedKind::Album,
                "album/521679757",
                "https://bandcamp.com/EmbeddedPlayer/album=521679757/",
            ),
            (
                "https://jeanjean.bandcamp.com/track/coquin-l-l-phant?from=embed",
                EmbedKind::Track,
                "jeanjean/track/coquin-l-l-phant",
                "https://jeanjean.bandcamp.com/track/coquin-l-l-phant",
            ),
            (
                "https://go-qualia.bandcamp.com/album/mental-sketch-schizoid-iii",
                EmbedKind::Album,
                "go-qualia/album/mental-sketch-schizoid-iii",
                "https://go-qualia.bandcamp.com/album/mental-sketch-schizoid-iii",
            ),
        ];
        for (input, kind, id, canonical) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.platform, Platform::Bandcamp, "{input}");
            assert_eq!(got.kind, kind, "{input}");
            assert_eq!(got.post_id.as_deref(), Some(id), "{input}");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(canonical), Some(got), "idempotent: {canonical}");
        }
    }

    #[test]
    fn other_pages_are_not_claimed() {
        for input in [
            "https://bandcamp.com/",
            "https://bandcamp.com/EmbeddedPlayer/size=large/",
            "https://bandcamp.com/discover/rock",
            "https://jeanjean.bandcamp.com/",
            "https://jeanjean.bandcamp.com/music",
            "https://jeanjean.bandcamp.com/merch/shirt",
            "https://www.bandcamp.com/track/x",
            "https://notbandcamp.com/track/x",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }

    fn embed(post_url: &str, markup: &str) -> EmbedRef {
        let r = rec(post_url).expect("recognised");
        EmbedRef {
            platform: Platform::Bandcamp,
            kind: r.kind,
            post_url: r.canonical_url,
            post_id: r.post_id,
            location: Location::Dom,
            evidence: "iframe".into(),
            markup: markup.into(),
            author_name: None,
            author_handle: None,
            text: None,
            published_at: None,
        }
    }

    #[test]
    fn a_player_is_read_from_the_page_its_embed_code_links() {
        let linked = embed(
            "https://bandcamp.com/EmbeddedPlayer/track=2592086951/size=large/",
            r#"<iframe style="border: 0; width: 100%; height: 120px;" src="https://bandcamp.com/EmbeddedPlayer/track=2592086951/size=large/" seamless=""><a href="https://jeanjean.bandcamp.com/track/coquin-l-l-phant">Coquin L'éléphant by Jean Jean</a></iframe>"#,
        );
        assert_eq!(
            page_url(&linked).map(String::from).as_deref(),
            Some("https://jeanjean.bandcamp.com/track/coquin-l-l-phant")
        );
        let bare = embed(
            "https://bandcamp.com/EmbeddedPlayer/album=669163771/size=large/",
            r#"<iframe src="https://bandcamp.com/EmbeddedPlayer/album=669163771/size=large/">Ethify Soundtrack by Ethify.org</iframe>"#,
        );
        assert_eq!(page_url(&bare), None);
        let page = embed("https://jeanjean.bandcamp.com/track/coquin-l-l-phant", "");
        assert_eq!(
            page_url(&page).map(String::from).as_deref(),
            Some("https://jeanjean.bandcamp.com/track/coquin-l-l-phant")
        );
    }

    /// A 2016 track page, from before Bandcamp wrote JSON-LD: read from its cards and its
    /// `TralbumData` script. A page whose cards name no item stays transient.
    #[test]
    fn the_item_data_attribute_gives_the_posting_time() {
        let page = r#"<div data-tralbum="{&quot;current&quot;:{&quot;release_date&quot;:&quot;24 Nov 2025 00:00:00 GMT&quot;,&quot;publish_date&quot;:&quot;24 Nov 2025 03:33:03 GMT&quot;}}"></div>"#;
        assert_eq!(
            current_publish_date(page)
                .map(|d| d.to_rfc3339())
                .as_deref(),
            Some("2025-11-24T03:33:03+00:00")
        );
        for odd in [
            r#"<div data-tralbum="{&quot;current&quot;:{}}">"#,
            r#"<div data-tralbum="not json">"#,
            r#"<div data-tralbum="{&quot;current&quot;:"#,
            r#"<div data-tralbum="{&quot;current&quot;:{&quot;publish_date&quot;:7}}">"#,
        ] {
            assert_eq!(current_publish_date(odd), None, "{odd}");
        }
    }

    #[test]
    fn a_track_page_without_json_ld_is_read_from_its_cards() {
        let answer = fixture_answer(
            "https://coeurdepirate.bandcamp.com/track/saint-laurent",
            200,
            "text/html; charset=utf-8",
            "bandcamp/peer-page-track-coeurdepirate-saint-laurent-2016.html",
        );
        let got = parse(&answer);
        let Resolution::Live(post) = got else {
            panic!("expected live, got {got:?}");
        };
        assert_eq!(post.title.as_deref(), Some("Saint-Laurent"));
        assert_eq!(post.author_name.as_deref(), Some("Cœur de pirate"));
        assert_eq!(post.text.as_deref(), Some("from the album Blonde"));
        assert_eq!(
            post.published_at.map(|d| d.to_rfc3339()).as_deref(),
            Some("2011-10-11T17:57:30+00:00")
        );
        let page = |head: &str| Answer {
            url: "https://artist.bandcamp.com/track/x".into(),
            status: 200,
            content_type: Some("text/html".into()),
            body: format!("<html><head>{head}</head></html>").into_bytes(),
        };
        for head in [
            r#"<meta property="og:type" content="band"><meta property="og:title" content="A, by B">"#,
            r#"<meta property="og:type" content="song"><meta property="og:title" content="Just a title">"#,
            r#"<meta property="og:type" content="song"><meta property="og:title" content=", by ">"#,
        ] {
            assert_eq!(
                parse(&page(head)).outcome(),
                Some(crate::model::CheckOutcome::Transient),
                "{head}"
            );
        }
    }

    #[test]
    fn the_recorded_track_page_is_live_with_its_fields() {
        let answer = fixture_answer(
            "https://jeanjean.bandcamp.com/track/coquin-l-l-phant",
            200,
            "text/html; charset=UTF-8",
            "bandcamp/page-track-jeanjean-coquin-l-l-phant.html",
        );
        let got = parse(&answer);
        let Resolution::Live(post) = got else {
            panic!("expected live, got {got:?}");
        };
        assert_eq!(post.source, SOURCE);
        assert_eq!(post.title.as_deref(), Some("Coquin L'éléphant"));
        assert_eq!(post.author_name.as_deref(), Some("Jean Jean"));
        assert_eq!(
            post.author_url.as_deref(),
            Some("https://jeanjean.bandcamp.com")
        );
        assert_eq!(post.text.as_deref(), Some("from the album Symmetry"));
        // When it was posted (`data-tralbum` `current.publish_date`, the time the Embed library
        // gives for this page too), not the JSON-LD's release day, 2013-09-14.
        assert_eq!(
            post.published_at.map(|d| d.to_rfc3339()).as_deref(),
            Some("2013-09-15T08:45:29+00:00")
        );
        assert_eq!(post.media.len(), 1);
        assert_eq!(
            post.media[0].image_url.as_deref(),
            Some("https://f4.bcbits.com/img/a3289609405_10.jpg")
        );
    }

    #[test]
    fn the_recorded_album_page_is_live_with_its_own_notes() {
        let answer = fixture_answer(
            "https://go-qualia.bandcamp.com/album/mental-sketch-schizoid-iii",
            200,
            "text/html; charset=UTF-8",
            "bandcamp/page-album-go-qualia-mental-sketch-schizoid-iii.html",
        );
        let got = parse(&answer);
        let Resolution::Live(post) = got else {
            panic!("expected live, got {got:?}");
        };
        // The JSON-LD's, not the card's "Mental Sketch Schizoid-III, by Go-qualia" and
        // "10 track album".
        assert_eq!(post.title.as_deref(), Some("Mental Sketch Schizoid-III"));
        assert_eq!(
            post.text.as_deref(),
            Some(
                "The totality flickers in time with me all sensing all that I sense coincidentally."
            )
        );
        assert_eq!(post.author_name.as_deref(), Some("Go-qualia"));
        assert_eq!(
            post.author_url.as_deref(),
            Some("https://go-qualia.bandcamp.com")
        );
        // Posted the evening before its release day (the JSON-LD's 2016-06-05).
        assert_eq!(
            post.published_at.map(|d| d.to_rfc3339()).as_deref(),
            Some("2016-06-04T16:40:54+00:00")
        );
        assert_eq!(
            post.media
                .iter()
                .map(|m| m.url.as_str())
                .collect::<Vec<_>>(),
            ["https://f4.bcbits.com/img/a3175283325_10.jpg"]
        );
    }

    #[test]
    fn cut_off_and_foreign_pages_are_never_gone() {
        let whole = fixture_answer(
            "https://jeanjean.bandcamp.com/track/coquin-l-l-phant",
            200,
            "text/html; charset=UTF-8",
            "bandcamp/page-track-jeanjean-coquin-l-l-phant.html",
        );
        for cut in [0, 500, 3_000, 10_000, whole.body.len() / 2] {
            let mut answer = whole.clone();
            answer.body.truncate(cut);
            match parse(&answer) {
                // Cut after the item's JSON-LD: what is read is still this track.
                Resolution::Live(post) => {
                    assert_eq!(
                        post.title.as_deref(),
                        Some("Coquin L'éléphant"),
                        "cut at {cut}"
                    )
                }
                other => assert_eq!(
                    other.outcome(),
                    Some(CheckOutcome::Transient),
                    "cut at {cut}: {other:?}"
                ),
            }
        }
        // Another platform's page with its own JSON-LD is no item page.
        let mut foreign = fixture_answer(
            "https://jeanjean.bandcamp.com/track/coquin-l-l-phant",
            200,
            "text/html",
            "twitch/page-videos-72749628.html",
        );
        assert_eq!(parse(&foreign).outcome(), Some(CheckOutcome::Transient));
        foreign.body.resize(MAX_PAGE_BYTES + 1, b' ');
        assert_eq!(parse(&foreign).outcome(), Some(CheckOutcome::Transient));
    }

    #[test]
    fn a_404_with_bandcamps_missing_notice_is_gone() {
        // The notice as WhatsMyName's checked entry records it (curly apostrophe), and as older
        // scrapers match it (straight apostrophe).
        for notice in [
            "<h2>Sorry, that something isn’t here.</h2>",
            "<h2>Sorry, that something isn't here.</h2>",
        ] {
            let answer = Answer {
                url: "https://jeanjean.bandcamp.com/track/gone-track".into(),
                status: 404,
                content_type: Some("text/html; charset=UTF-8".into()),
                body: format!("<!DOCTYPE html><html><body>{notice}</body></html>").into_bytes(),
            };
            let got = parse(&answer);
            let Resolution::Gone { source, evidence } = &got else {
                panic!("expected gone for {notice}, got {got:?}");
            };
            assert_eq!(source, SOURCE);
            assert!(evidence.contains("gone-track"), "{evidence}");
        }
    }

    #[test]
    fn pages_that_are_not_the_item_are_transient() {
        let answer = |status: u16, body: &str| Answer {
            url: "https://jeanjean.bandcamp.com/track/x".into(),
            status,
            content_type: Some("text/html".into()),
            body: body.as_bytes().to_vec(),
        };
        for (status, body) in [
            (404, "<html><body>Not Found</body></html>"),
            (404, ""),
            (
                200,
                "<html><body><h2>Sorry, that something isn’t here.</h2></body></html>",
            ),
            (200, "<html><head><title>Jean Jean</title></head></html>"),
            (
                200,
                r#"<script type="application/ld+json">{"@type":"MusicGroup","name":"Jean Jean"}</script>"#,
            ),
            (
                200,
                r#"<script type="application/ld+json">{"@type":"MusicAlbum","#,
            ),
            (403, "<html>captcha</html>"),
            (503, ""),
        ] {
            assert_eq!(
                parse(&answer(status, body)).outcome(),
                Some(CheckOutcome::Transient),
                "{status} {body}"
            );
        }
    }
}
