//! soundcloud: URL recognition and the resolver.
//!
//! Claims tracks and sets on `soundcloud.com` (`/USER/SLUG`, secret `/USER/SLUG/s-TOKEN`,
//! `/USER/sets/SLUG`), API resources (`api.soundcloud.com/tracks/ID`, `/playlists/ID`), the player
//! iframe (`w.soundcloud.com/player/?url=...`) by the resource it plays, and users as profiles.
//! It must never claim site pages (`/discover`, `/search`, `/upload`) or `on.soundcloud.com`
//! short links, whose code is not an id.
//!
//! Post ids: an API track is its numeric id (as the labelled corpus records it), an API playlist
//! `playlists/ID`, a page URL `USER/SLUG` (or `USER/sets/SLUG`). SoundCloud pages carry no
//! numeric id, so a track linked once by page and once by API id gets two ids until a resolver
//! maps one to the other.
//!
//! Resolution asks the public oEmbed endpoint (`soundcloud.com/oembed`), the one no-auth source:
//! `title` ("TRACK by ARTIST") stays the title, `description` is the text, `author_name` and
//! `author_url` the uploader, `thumbnail_url` the artwork (older answers' HTML descriptions are
//! read as their text). A 404 in the endpoint's own body is gone; a 403 is a private track,
//! which still exists, so it is transient like everything else.

mod page;

use url::Url;

use crate::model::{EmbedKind, EmbedRef, Platform, PostContent, Recognised, Resolution};
use crate::platforms::oembed_endpoint::{Endpoint, NOT_FOUND, Read, Reader, handle_from_profile};
use crate::platforms::readers::{collapse_whitespace, non_empty, parse_fragment};
use crate::platforms::source::Fetch;
use crate::platforms::url_util::{
    host_is_or_www, inner_url, is_base64url_char, is_digits, is_token, query_value, segments,
    web_host,
};
use crate::platforms::verdict::{Field, OwnBody};

/// The oEmbed endpoint, the platform's one public source.
pub const OEMBED: Endpoint = Endpoint {
    base: "https://soundcloud.com/oembed",
    // As the recorded requests ask.
    extra: &[("format", "json")],
    reader: Reader {
        source: "soundcloud-oembed",
        statuses: NOT_FOUND,
        // No recorded 404 of this endpoint exists. Its own answers are an empty body or SoundCloud's
        // API error object (`{"code":404,"message":"","link":…,"status":"404 - Not Found",
        // "errors":[],"error":null}`, as logged from its API); an HTML page is not one of them.
        // Its older API answered 404 with the errors alone
        // (`{"errors":[{"error_message":"404 - Not Found"}]}`).
        own_error: &[
            OwnBody::Empty,
            OwnBody::JsonWith(&["code", "status", "errors"]),
            OwnBody::JsonWith(&["errors"]),
        ],
        identifying: &[Field::Text, Field::Author, Field::Media],
        gone_means: "deleted or unknown track",
    },
};

/// Resolve one SoundCloud track or set.
pub(crate) async fn resolve_with<F: Fetch>(fetcher: &F, embed: &EmbedRef) -> Resolution {
    OEMBED
        .resolve(fetcher, &embed.post_url, None, content)
        .await
}

/// The track as the oEmbed answer names it.
fn content(read: Read, _body: &[u8]) -> PostContent {
    PostContent {
        author_handle: read.author_url.as_deref().and_then(handle_from_profile),
        author_name: read.author_name,
        author_url: read.author_url,
        title: read.title,
        text: read.description.and_then(description_text),
        media: read.thumbnail.into_iter().collect(),
        ..PostContent::default()
    }
}

/// The track's description as text. Older answers give it as HTML (`&nbsp;`, `<a>` links, with
/// `\u003C`-escaped tags, as recorded in auto_html's test of 2012-2013); today's give plain text
/// whose line breaks are the uploader's. So only a description that holds markup is read as
/// markup (its text, whitespace collapsed as a browser shows it); plain text is kept as it is.
fn description_text(description: String) -> Option<String> {
    if !holds_markup(&description) {
        return Some(description);
    }
    let fragment = parse_fragment(&description);
    let text: String = fragment.root_element().text().collect();
    non_empty(Some(collapse_whitespace(&text)))
}

/// Whether `text` holds a tag (`<a `, `</a>`, `<br>`) or a character reference (`&nbsp;`,
/// `&#39;`): a bare `<` or `&` ("<3", "Tom & Jerry") is plain text.
fn holds_markup(text: &str) -> bool {
    let tag = text
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/'));
    let reference = text.match_indices('&').any(|(at, _)| {
        let rest = &text[at + 1..];
        rest.find(';').is_some_and(|end| {
            (1..=10).contains(&end)
                && rest[..end]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '#')
        })
    });
    tag || reference
}

/// First path segments that are site sections, never user names.
const RESERVED: &[&str] = &[
    "discover",
    "search",
    "stream",
    "upload",
    "you",
    "pages",
    "terms-of-use",
    "charts",
    "stations",
    "oembed",
    "people",
    "tags",
    "mobile",
    "settings",
    "messages",
    "notifications",
    "signin",
    "logout",
    "jobs",
    "imprint",
    "pro",
    "premium",
    "go",
    "popular",
    "feed",
    "images",
    "connect",
    "creators",
    "artists",
    "community-guidelines",
];

/// Claim SoundCloud track, set and user URLs.
pub fn recognise(url: &Url) -> Option<Recognised> {
    let host = web_host(url)?;
    let segs = segments(url);
    let segs: Vec<&str> = segs.iter().map(|s| s.as_ref()).collect();
    match host {
        // The player, and the Flash player that came before it (`player.swf?url=…`, in the
        // `<object>`/`<embed>` of older articles), both name what they play in `url`.
        "w.soundcloud.com" | "player.soundcloud.com" => {
            return match segs.as_slice() {
                ["player"] | ["player.swf"] => recognise(&inner_url(&query_value(url, "url")?)?),
                _ => None,
            };
        }
        "api.soundcloud.com" | "api-v2.soundcloud.com" => return api(&segs),
        _ if host_is_or_www(host, "soundcloud.com") || host == "m.soundcloud.com" => {}
        _ => return None,
    }
    match segs.as_slice() {
        [user, "sets", slug, ..] if is_user(user) && is_slug(slug) => {
            let (user, slug) = (user.to_ascii_lowercase(), slug.to_ascii_lowercase());
            Some(item(
                EmbedKind::Playlist,
                format!("{user}/sets/{slug}"),
                format!("https://soundcloud.com/{user}/sets/{slug}"),
            ))
        }
        [user, slug, rest @ ..] if is_user(user) && is_slug(slug) && is_track_tail(rest) => {
            let (user, slug) = (user.to_ascii_lowercase(), slug.to_ascii_lowercase());
            // A secret token is what makes a private track playable: keep it.
            let canonical = match rest {
                [token] => format!("https://soundcloud.com/{user}/{slug}/{token}"),
                _ => format!("https://soundcloud.com/{user}/{slug}"),
            };
            Some(item(EmbedKind::Track, format!("{user}/{slug}"), canonical))
        }
        [user] if is_user(user) => Some(Recognised {
            platform: Platform::Soundcloud,
            kind: EmbedKind::Profile,
            post_id: None,
            canonical_url: format!("https://soundcloud.com/{}", user.to_ascii_lowercase()),
        }),
        _ => None,
    }
}

/// An API address's id: digits, or the URN that current embed codes write in their place
/// (`api.soundcloud.com/tracks/soundcloud%3Atracks%3A123`, percent-decoded here as
/// `soundcloud:tracks:123`), whose collection must be the address's own.
fn api_id<'a>(collection: &str, id: &'a str) -> &'a str {
    id.strip_prefix("soundcloud:")
        .and_then(|rest| rest.strip_prefix(collection))
        .and_then(|rest| rest.strip_prefix(':'))
        .unwrap_or(id)
}

fn api(segs: &[&str]) -> Option<Recognised> {
    let [collection, id] = segs else {
        return None;
    };
    match (*collection, api_id(collection, id)) {
        ("tracks", id) if is_digits(id, 20) => Some(item(
            EmbedKind::Track,
            id.to_owned(),
            format!("https://api.soundcloud.com/tracks/{id}"),
        )),
        ("playlists", id) if is_digits(id, 20) => Some(item(
            EmbedKind::Playlist,
            format!("playlists/{id}"),
            format!("https://api.soundcloud.com/playlists/{id}"),
        )),
        ("users", id) if is_digits(id, 20) => Some(Recognised {
            platform: Platform::Soundcloud,
            kind: EmbedKind::Profile,
            post_id: None,
            canonical_url: format!("https://api.soundcloud.com/users/{id}"),
        }),
        _ => None,
    }
}

/// After `/USER/SLUG`: nothing, or a secret token `s-XXXX`.
fn is_track_tail(rest: &[&str]) -> bool {
    match rest {
        [] => true,
        [token] => token
            .strip_prefix("s-")
            .is_some_and(|t| is_token(t, 3, 40, |c| c.is_ascii_alphanumeric())),
        _ => false,
    }
}

fn item(kind: EmbedKind, post_id: String, canonical_url: String) -> Recognised {
    Recognised {
        platform: Platform::Soundcloud,
        kind,
        post_id: Some(post_id),
        canonical_url,
    }
}

fn is_user(s: &str) -> bool {
    is_slug(s) && !RESERVED.contains(&s.to_ascii_lowercase().as_str())
}

fn is_slug(s: &str) -> bool {
    is_token(s, 1, 255, is_base64url_char)
}

/// What SoundCloud's embeds look like in an article beyond its player iframes: `amp-soundcloud`,
/// and publishers' elements named for it, such as the consent manager tarteaucitron's
/// `div.soundcloud_player[data-playable-url]`, which becomes the player once a reader consents.
/// (Its other spelling, `data-playable-id` with `data-playable-type`, splits the address over
/// two attributes and is not read.)
pub static MARKUP: crate::platforms::markup::Markup = crate::platforms::markup::Markup {
    amp: &[crate::platforms::markup::ElementForm {
        marker: crate::platforms::markup::Marker::Tag("amp-soundcloud"),
        read: read_amp,
    }],
    naming: Some(crate::platforms::markup::Naming::words(
        Platform::Soundcloud,
        &["soundcloud"],
    )),
    ..crate::platforms::markup::Markup::NONE
};

/// `amp-soundcloud` plays a track (`data-trackid`) or a playlist (`data-playlistid`), as the
/// component's documentation and ampproject/amphtml's own example page write them.
fn read_amp(
    el: scraper::ElementRef<'_>,
    _base: &Url,
) -> Option<crate::platforms::markup::Candidate> {
    crate::platforms::markup::amp_id_candidate(
        el,
        "data-trackid",
        "https://api.soundcloud.com/tracks/{}",
    )
    .or_else(|| {
        crate::platforms::markup::amp_id_candidate(
            el,
            "data-playlistid",
            "https://api.soundcloud.com/playlists/{}",
        )
    })
}

/// The Soundcloud module of the registry.
#[derive(Debug)]
pub struct Soundcloud;

impl crate::platforms::PlatformModule for Soundcloud {
    fn platform(&self) -> Platform {
        Platform::Soundcloud
    }

    fn recognise(&self, url: &Url) -> Option<Recognised> {
        recognise(url)
    }

    fn markup(&self) -> &'static crate::platforms::markup::Markup {
        &MARKUP
    }

    fn sources(&self) -> &'static [&'static str] {
        &[OEMBED.reader.source]
    }

    /// A track's own page carries OpenGraph tags and a schema.org block (a 2018 page is recorded): it is read when oEmbed cannot decide.
    fn post_page(&self, embed: &EmbedRef) -> Option<Url> {
        crate::platforms::page::own_post_page(embed, |u| u.host_str() == Some("soundcloud.com"))
    }

    /// A private or region-held item's page answers 404 as a removed one's does; only oEmbed
    /// says gone.
    fn page_missing_is_gone(&self) -> bool {
        false
    }

    fn refine_page_post(&self, content: PostContent, embed: &EmbedRef) -> PostContent {
        page::refine(content, &embed.post_url)
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
    use crate::platforms::replay::{Replay, fixture_answer};

    fn embed(post_url: &str) -> EmbedRef {
        let r = rec(post_url).expect("recognised");
        EmbedRef {
            platform: Platform::Soundcloud,
            kind: r.kind,
            post_url: r.canonical_url,
            post_id: r.post_id,
            location: Location::Dom,
            evidence: "iframe".into(),
            markup: String::new(),
            author_name: None,
            author_handle: None,
            text: None,
            published_at: None,
        }
    }

    #[tokio::test]
    async fn tracks_resolve_to_the_manifests_expected_fields() {
        // (player URL, expected title, author, author URL, image, text starts with)
        let cases = [
            (
                "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fididthat-1%2Flowe-ct-cape-times-world-cup",
                "LOWE CT Cape Times - World Cup by IDIDTHAT.co",
                "IDIDTHAT.co",
                "https://soundcloud.com/ididthat-1",
                "https://soundcloud.com/images/fb_placeholder.png",
                None,
            ),
            (
                "https://soundcloud.com/zedsdead/zeds-dead-twin-shadow-lost-you-feat-dangelo-lacy",
                // The 2024 answer titles the track differently from the page the manifest's
                // expected title was read from.
                "Zeds Dead feat. Twin Shadow & D'Angelo Lacy - Lost You by Zeds Dead",
                "Zeds Dead",
                "https://soundcloud.com/zedsdead",
                "https://i1.sndcdn.com/artworks-fdcKTkNSeA5J-0-t500x500.jpg",
                Some("MUSIC VIDEO : https://www.youtube.com/watch?v=VJm7IPrBmLY"),
            ),
        ];
        for (url, title, author, author_url, image, text) in cases {
            let replay = Replay::from_manifest();
            let got = resolve_with(&replay, &embed(url)).await;
            let Resolution::Live(post) = got else {
                panic!("{url}: expected live, got {got:?}");
            };
            assert_eq!(replay.requests().len(), 1, "{url}");
            assert_eq!(post.source, "soundcloud-oembed");
            assert_eq!(post.title.as_deref(), Some(title), "{url}");
            assert_eq!(post.author_name.as_deref(), Some(author), "{url}");
            assert_eq!(post.author_url.as_deref(), Some(author_url), "{url}");
            assert_eq!(
                post.author_handle.as_deref(),
                author_url.rsplit('/').next(),
                "{url}"
            );
            assert_eq!(post.media.len(), 1, "{url}");
            assert_eq!(post.media[0].image_url.as_deref(), Some(image), "{url}");
            match text {
                Some(start) => assert!(
                    post.text.as_deref().is_some_and(|t| t.starts_with(start)),
                    "{url}: {:?}",
                    post.text
                ),
                // An empty description is no text.
                None => assert_eq!(post.text, None, "{url}"),
            }
        }
    }

    #[test]
    fn answers_other_than_a_track_are_not_live() {
        let answer =
            |status: u16, content_type: &str, body: &[u8]| crate::platforms::source::Answer {
                url: "https://soundcloud.com/oembed?url=x&format=json".into(),
                status,
                content_type: Some(content_type.into()),
                body: body.to_vec(),
            };
        let cases: [(u16, &str, &[u8], CheckOutcome); 7] = [
            (404, "text/html", b"", CheckOutcome::Gone),
            (
                404,
                "application/json",
                br#"{"errors":[{"error_message":"404 - Not Found"}]}"#,
                CheckOutcome::Gone,
            ),
            (
                404,
                "application/json",
                br#"{"code":404,"message":"","link":"https://developers.soundcloud.com/docs/api/explorer/open-api","status":"404 - Not Found","errors":[],"error":null}"#,
                CheckOutcome::Gone,
            ),
            // A private track exists.
            (403, "application/json", b"", CheckOutcome::Transient),
            (404, "text/html", b"<html><title>SoundCloud - Hear the world's sounds</title></html>", CheckOutcome::Transient),
            (200, "text/html", b"<html>consent</html>", CheckOutcome::Transient),
            (200, "application/json", br#"{"version":1.0,"type":"rich","provider_name":"SoundCloud"}"#, CheckOutcome::Transient),
        ];
        for (status, content_type, body, want) in cases {
            let got = OEMBED.classify(&answer(status, content_type, body), None, content);
            assert_eq!(got.outcome(), Some(want), "{status} {body:?}: {got:?}");
        }
        let live = fixture_answer(
            "https://soundcloud.com/oembed?url=x&format=json",
            200,
            "application/json; charset=utf-8",
            "soundcloud/oembed-ididthat-2021.json",
        );
        assert_eq!(
            OEMBED.classify(&live, None, content).outcome(),
            Some(CheckOutcome::Live)
        );
    }

    /// A real answer from `tests/fixtures/samples/soundcloud/` (provenance in the `.source.txt`
    /// beside each), answered where the resolver asks about `post_url`.
    fn replay_of(post_url: &str, file: &str) -> Replay {
        let request = OEMBED.url(post_url);
        Replay::new().answer(
            request.as_str(),
            fixture_answer(
                request.as_str(),
                200,
                "application/json; charset=utf-8",
                &format!("soundcloud/{file}"),
            ),
        )
    }

    #[tokio::test]
    async fn an_older_answer_with_an_html_description_reads_as_text() {
        // auto_html's recorded answer (2012-2013): `http://` links, `\u003C`-escaped markup, an
        // HTML description and a thumbnail URL with a cache-busting query.
        let embed = embed("https://soundcloud.com/forss/flickermood");
        assert_eq!(embed.kind, EmbedKind::Track);
        for file in [
            "oembed-flickermood-forss-2013.json",
            // Asked with maxwidth/maxheight: `width` and `height` are numbers, not "100%".
            "oembed-flickermood-forss-maxwidth-2013.json",
        ] {
            let replay = replay_of(&embed.post_url, file);
            let got = resolve_with(&replay, &embed).await;
            let Resolution::Live(post) = got else {
                panic!("{file}: expected live, got {got:?}");
            };
            assert_eq!(post.source, "soundcloud-oembed", "{file}");
            // The title stays as SoundCloud words it; the uploader is apart from it.
            assert_eq!(
                post.title.as_deref(),
                Some("Flickermood by Forss"),
                "{file}"
            );
            assert_eq!(post.author_name.as_deref(), Some("Forss"), "{file}");
            assert_eq!(
                post.author_url.as_deref(),
                Some("http://soundcloud.com/forss"),
                "{file}"
            );
            assert_eq!(post.author_handle.as_deref(), Some("forss"), "{file}");
            // The description's text, not its markup: `&nbsp;` a space, the link its words.
            assert_eq!(
                post.text.as_deref(),
                Some(
                    "From the Soulhack album, recently featured in this ad \
                     https://www.dswshoes.com/tv_commercial.jsp?m=october2007"
                ),
                "{file}"
            );
            // The artwork is the poster, its query kept (it is part of the address).
            assert_eq!(post.media.len(), 1, "{file}");
            let artwork = &post.media[0];
            assert_eq!(artwork.kind, crate::model::MediaKind::Image, "{file}");
            assert_eq!(
                artwork.image_url.as_deref(),
                Some("http://i1.sndcdn.com/artworks-000000001720-91c40a-t500x500.jpg?330b92d"),
                "{file}"
            );
            assert_eq!(post.raw.len(), 1, "{file}");
        }
    }

    #[test]
    fn a_plain_text_description_keeps_its_line_breaks() {
        let answer = fixture_answer(
            "https://soundcloud.com/oembed?url=x&format=json",
            200,
            "application/json; charset=utf-8",
            "soundcloud/oembed-zedsdead-2024.json",
        );
        let Resolution::Live(post) = OEMBED.classify(&answer, None, content) else {
            panic!("expected live");
        };
        let text = post.text.unwrap_or_default();
        assert!(
            text.contains("Zeds Dead\r\nwww.facebook.com/zedsdead\r\n"),
            "{text:?}"
        );
    }

    #[test]
    fn only_tags_and_character_references_are_markup() {
        for markup in [
            "a <a href=\"x\">link</a>",
            "line<br>break",
            "album,&nbsp;recently",
            "it&#39;s",
            "</p>",
        ] {
            assert!(holds_markup(markup), "{markup}");
        }
        for plain in [
            "Tom & Jerry",
            "I <3 this",
            "a < b; c > d",
            "R&B and Q&A",
            "MUSIC VIDEO : https://www.youtube.com/watch?v=VJm7IPrBmLY&t=1",
        ] {
            assert!(!holds_markup(plain), "{plain}");
        }
        // Markup with nothing in it is no text.
        assert_eq!(description_text("<p>&nbsp;</p>".into()), None);
    }

    #[test]
    fn a_cut_off_answer_is_junk_and_stays_transient() {
        let answer = fixture_answer(
            "https://soundcloud.com/oembed?url=x&format=json",
            200,
            "application/json; charset=utf-8",
            "soundcloud/oembed-flickermood-forss-2013.json",
        );
        crate::platforms::replay::assert_junk_is_transient(answer, |a| {
            OEMBED.classify(a, None, content)
        });
    }

    fn rec(u: &str) -> Option<Recognised> {
        recognise(&Url::parse(u).unwrap())
    }

    #[test]
    fn tracks_and_sets_in_every_form() {
        let cases = [
            (
                "https://w.soundcloud.com/player/?url=https%3A//api.soundcloud.com/tracks/180961263&color=%23ff5500&auto_play=false",
                EmbedKind::Track,
                "180961263",
                "https://api.soundcloud.com/tracks/180961263",
            ),
            (
                "https://w.soundcloud.com/player/?url=https%3A%2F%2Fapi.soundcloud.com%2Fplaylists%2F123456&visual=true",
                EmbedKind::Playlist,
                "playlists/123456",
                "https://api.soundcloud.com/playlists/123456",
            ),
            // The Flash player of older articles' `<object>` and `<embed>`.
            (
                "https://player.soundcloud.com/player.swf?url=http%3A%2F%2Fapi.soundcloud.com%2Ftracks%2F37663533&show_comments=true&auto_play=false&color=a900ff",
                EmbedKind::Track,
                "37663533",
                "https://api.soundcloud.com/tracks/37663533",
            ),
            // Current embed codes name the item by its URN, percent-encoded twice.
            (
                "https://w.soundcloud.com/player/?url=https%3A//api.soundcloud.com/playlists/soundcloud%253Aplaylists%253A2114245739&color=%23ff5500&auto_play=false",
                EmbedKind::Playlist,
                "playlists/2114245739",
                "https://api.soundcloud.com/playlists/2114245739",
            ),
            (
                "https://w.soundcloud.com/player/?url=https%3A//api.soundcloud.com/tracks/soundcloud%253Atracks%253A1786450869&color=%23ff5500",
                EmbedKind::Track,
                "1786450869",
                "https://api.soundcloud.com/tracks/1786450869",
            ),
            (
                "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fzedsdead%2Fzeds-dead-twin-shadow-lost-you-feat-dangelo-lacy",
                EmbedKind::Track,
                "zedsdead/zeds-dead-twin-shadow-lost-you-feat-dangelo-lacy",
                "https://soundcloud.com/zedsdead/zeds-dead-twin-shadow-lost-you-feat-dangelo-lacy",
            ),
            (
                "https://soundcloud.com/ididthat-1/lowe-ct-cape-times-world-cup?utm_source=clipboard&si=abc",
                EmbedKind::Track,
                "ididthat-1/lowe-ct-cape-times-world-cup",
                "https://soundcloud.com/ididthat-1/lowe-ct-cape-times-world-cup",
            ),
            (
                "https://m.soundcloud.com/ZedsDead/Some-Track/s-AbC123xyz",
                EmbedKind::Track,
                "zedsdead/some-track",
                "https://soundcloud.com/zedsdead/some-track/s-AbC123xyz",
            ),
            (
                "https://soundcloud.com/zedsdead/sets/northern-lights",
                EmbedKind::Playlist,
                "zedsdead/sets/northern-lights",
                "https://soundcloud.com/zedsdead/sets/northern-lights",
            ),
        ];
        for (input, kind, id, canonical) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.platform, Platform::Soundcloud, "{input}");
            assert_eq!(got.kind, kind, "{input}");
            assert_eq!(got.post_id.as_deref(), Some(id), "{input}");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(canonical), Some(got), "idempotent: {canonical}");
        }
        // A URN names its own collection: one of another is no id of this one.
        assert_eq!(
            rec("https://api.soundcloud.com/tracks/soundcloud%3Aplaylists%3A2114245739"),
            None
        );
    }

    #[test]
    fn users_are_profiles_and_site_pages_are_not_claimed() {
        let user = rec("https://soundcloud.com/zedsdead").unwrap();
        assert_eq!(user.kind, EmbedKind::Profile);
        assert_eq!(user.post_id, None);
        for input in [
            "https://soundcloud.com/",
            "https://soundcloud.com/discover",
            "https://soundcloud.com/search?q=x",
            "https://soundcloud.com/oembed?url=https%3A%2F%2Fsoundcloud.com%2Fx%2Fy",
            "https://soundcloud.com/images/fb_placeholder.png",
            "https://on.soundcloud.com/AbCdEf",
            "https://w.soundcloud.com/player/?url=https%3A%2F%2Fexample.com%2Ftracks%2F1",
            "https://api.soundcloud.com/tracks/abc",
            "https://soundcloud.com/zedsdead/track/likes/extra",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }
}
