//! youtube: URL recognition and canonicalisation; the resolver lives in [`resolve`].
//!
//! Claims videos (`watch?v=`, `youtu.be/`, `/embed/`, `/v/`, `/e/`, `/shorts/`, `/live/`, on
//! `www`/`m`/`music` hosts and `youtube-nocookie.com`), playlists (`/playlist?list=`,
//! `/embed/videoseries?list=`), and channels (`/@handle`, `/channel/ID`, `/c/NAME`, `/user/NAME`,
//! legacy `/NAME`) as profiles. It must never claim search, feed or settings pages.

use url::Url;

use crate::model::{EmbedKind, Platform, Recognised};
use crate::platforms::url_util::{
    host_is_or_www, is_base64url_char, is_token, query_value, segments, web_host,
};

pub mod addresses;
pub mod error;
pub mod oembed;
mod player_api;
pub mod resolve;
mod watch_meta;
pub mod watch_page;

#[cfg(test)]
mod resolver_tests;

/// Single path segments that are site pages, never legacy channel names.
const RESERVED: &[&str] = &[
    "watch",
    "embed",
    "playlist",
    "results",
    "feed",
    "shorts",
    "live",
    "channel",
    "user",
    "c",
    "about",
    "t",
    "account",
    "premium",
    "gaming",
    "kids",
    "signin",
    "logout",
    "upload",
    "oembed",
    "iframe_api",
    "player_api",
    "redirect",
    "attribution_link",
    "s",
    "yts",
    "api",
    "sw.js",
    "favicon.ico",
    "robots.txt",
    "hashtag",
    "howyoutubeworks",
    "creators",
    "ads",
    "new",
    // The subscribe button's frames (`subscribe_widget?p=CHANNEL`, the older one, and
    // `subscribe_embed?channel=CHANNEL` of `div.g-ytsubscribe`): a button, as X's follow
    // button is, not the channel embedded.
    "subscribe_widget",
    "subscribe_embed",
];

/// Claim YouTube video, playlist and channel URLs.
///
/// Videos: post id = the 11-character video id, canonical `https://www.youtube.com/watch?v=ID`
/// (the start time, `si`, `feature`, `list` and every other parameter are dropped). Playlists:
/// kind `Playlist`, post id = the list id, canonical `https://www.youtube.com/playlist?list=ID`.
/// Channels: kind `Profile`, no post id.
pub fn recognise(url: &Url) -> Option<Recognised> {
    let host = web_host(url)?;
    let segs = segments(url);
    let segs: Vec<&str> = segs.iter().map(|s| s.as_ref()).collect();
    if host_is_or_www(host, "youtu.be") {
        return match segs.as_slice() {
            [id, ..] => video(id),
            [] => None,
        };
    }
    let nocookie = host_is_or_www(host, "youtube-nocookie.com");
    if !(nocookie
        || host_is_or_www(host, "youtube.com")
        || host == "m.youtube.com"
        || host == "music.youtube.com")
    {
        return None;
    }
    match segs.as_slice() {
        ["watch"] => video(&query_value(url, "v")?),
        ["embed", "videoseries"] | ["playlist"] => playlist(&query_value(url, "list")?),
        // The player a `listType` configures: a playlist (also the default), a user's uploads
        // (the channel: `list` names the user, it is no playlist id) or search results (no
        // item of anyone's).
        ["embed"] => match query_value(url, "listType").as_deref() {
            None | Some("playlist") => playlist(&query_value(url, "list")?),
            Some("user_uploads") => {
                let name = query_value(url, "list")?;
                channel(
                    &format!("user/{name}"),
                    is_token(&name, 1, 100, is_handle_char),
                )
            }
            Some(_) => None,
        },
        // A channel's live player: `live_stream` has the shape of a video id but is not one.
        ["embed", "live_stream"] => {
            let id = query_value(url, "channel")?;
            channel(
                &format!("channel/{id}"),
                is_token(&id, 10, 40, is_base64url_char),
            )
        }
        ["embed" | "v" | "e" | "shorts" | "live", id, ..] => video(id),
        // The no-cookie host serves players only.
        _ if nocookie => None,
        [handle] if handle.starts_with('@') => {
            channel(handle, is_token(&handle[1..], 3, 30, is_handle_char))
        }
        ["channel", id] => channel(
            &format!("channel/{id}"),
            is_token(id, 10, 40, is_base64url_char),
        ),
        [section @ ("c" | "user"), name] => channel(
            &format!("{section}/{name}"),
            is_token(name, 1, 100, is_handle_char),
        ),
        [name] => channel(
            name,
            is_token(name, 1, 100, is_handle_char)
                && !RESERVED.contains(&name.to_ascii_lowercase().as_str()),
        ),
        _ => None,
    }
}

fn video(id: &str) -> Option<Recognised> {
    if !is_token(id, 11, 11, is_base64url_char) {
        return None;
    }
    Some(Recognised {
        platform: Platform::Youtube,
        kind: EmbedKind::Video,
        post_id: Some(id.to_owned()),
        canonical_url: format!("https://www.youtube.com/watch?v={id}"),
    })
}

fn playlist(list: &str) -> Option<Recognised> {
    // PL…, UU…, OLAK5uy_…, RD… mixes: all base64url, 13 to 64 characters.
    if !is_token(list, 2, 64, is_base64url_char) {
        return None;
    }
    Some(Recognised {
        platform: Platform::Youtube,
        kind: EmbedKind::Playlist,
        post_id: Some(list.to_owned()),
        canonical_url: format!("https://www.youtube.com/playlist?list={list}"),
    })
}

fn channel(path: &str, valid: bool) -> Option<Recognised> {
    valid.then(|| Recognised {
        platform: Platform::Youtube,
        kind: EmbedKind::Profile,
        post_id: None,
        canonical_url: format!("https://www.youtube.com/{path}"),
    })
}

fn is_handle_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// What YouTube's embeds look like in an article beyond its player iframes: `amp-youtube` and
/// the `lite-youtube` facade.
pub static MARKUP: crate::platforms::markup::Markup = crate::platforms::markup::Markup {
    amp: &[crate::platforms::markup::ElementForm {
        marker: crate::platforms::markup::Marker::Tag("amp-youtube"),
        read: read_amp,
    }],
    facades: &[crate::model::markup::IdUrl {
        element: "lite-youtube",
        attr: "videoid",
        shape: crate::model::markup::IdShape::Slug,
        url: "https://www.youtube.com/watch?v={}",
    }],
    naming: Some(crate::platforms::markup::Naming {
        platform: Platform::Youtube,
        // `lyte`: WP YouTube Lyte's players (`div.lyte-wrapper`, `div#lyte_ID`). `ytplayer`:
        // the element the IFrame Player API's own example builds its player in
        // (`<div id="ytplayer">`, `new YT.Player('ytplayer', …)`), a name publishers' players
        // keep (`div#ytplayer1[data-videoid]`).
        words: &["youtube", "yt", "lyte", "ytplayer"],
        id_attrs: &[
            "data-video-id",
            "data-videoid",
            "data-youtube-id",
            "data-yt-id",
            "data-embed-id",
            "videoid",
        ],
        word_id_attrs: &[],
        spellings: &["YouTube", "youTube"],
        id_url: Some(video_url),
        handle: None,
    }),
    script_calls: &[player_api::CALL],
    ..crate::platforms::markup::Markup::NONE
};

/// The watch URL of a bare video id (always 11 characters of base64url).
fn video_url(id: &str) -> Option<Url> {
    let ok = id.len() == 11
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    ok.then(|| Url::parse(&format!("https://www.youtube.com/watch?v={id}")).ok())
        .flatten()
}

/// `amp-youtube` plays a video (`data-videoid`) or a channel's live stream
/// (`data-live-channelid`), which is the channel's player, a widget as the channel is.
fn read_amp(
    el: scraper::ElementRef<'_>,
    _base: &Url,
) -> Option<crate::platforms::markup::Candidate> {
    crate::platforms::markup::amp_id_candidate(
        el,
        "data-videoid",
        "https://www.youtube.com/watch?v={}",
    )
    .or_else(|| {
        crate::platforms::markup::amp_id_candidate(
            el,
            "data-live-channelid",
            "https://www.youtube.com/embed/live_stream?channel={}",
        )
    })
}

/// The Youtube module of the registry.
#[derive(Debug)]
pub struct Youtube;

impl crate::platforms::PlatformModule for Youtube {
    fn platform(&self) -> Platform {
        Platform::Youtube
    }

    fn recognise(&self, url: &Url) -> Option<Recognised> {
        recognise(url)
    }

    fn markup(&self) -> &'static crate::platforms::markup::Markup {
        &MARKUP
    }

    fn sources(&self) -> &'static [&'static str] {
        &[oembed::SOURCE, watch_page::SOURCE]
    }

    fn resolve<'a>(
        &'a self,
        ctx: &'a crate::platforms::ResolveContext<'a>,
        embed: &'a crate::model::EmbedRef,
    ) -> std::pin::Pin<Box<dyn Future<Output = crate::model::Resolution> + Send + 'a>> {
        Box::pin(resolve::resolve(ctx, embed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(u: &str) -> Option<Recognised> {
        recognise(&Url::parse(u).unwrap())
    }

    #[test]
    fn videos_in_every_form() {
        let canonical = "https://www.youtube.com/watch?v=eiHXASgRTcA";
        for input in [
            "https://www.youtube.com/watch?v=eiHXASgRTcA",
            "http://www.youtube.com/watch?v=eiHXASgRTcA&feature=youtu.be",
            "https://youtube.com/watch?feature=share&v=eiHXASgRTcA&t=42s&si=AbCdEfGh",
            "https://m.youtube.com/watch?v=eiHXASgRTcA&list=PLEA4EC3B533E43C66",
            "https://music.youtube.com/watch?v=eiHXASgRTcA",
            "http://youtu.be/eiHXASgRTcA",
            "https://youtu.be/eiHXASgRTcA?si=Xyz123&t=10",
            "https://www.youtube.com/embed/eiHXASgRTcA?si=abc&start=30&feature=oembed",
            "https://www.youtube-nocookie.com/embed/eiHXASgRTcA?rel=0",
            "https://youtube-nocookie.com/v/eiHXASgRTcA",
            "https://www.youtube.com/v/eiHXASgRTcA?version=3&hl=en_US",
            "https://www.youtube.com/e/eiHXASgRTcA",
            "https://www.youtube.com/shorts/eiHXASgRTcA?feature=share",
            "https://www.youtube.com/live/eiHXASgRTcA?si=x",
        ] {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.platform, Platform::Youtube, "{input}");
            assert_eq!(got.kind, EmbedKind::Video, "{input}");
            assert_eq!(got.post_id.as_deref(), Some("eiHXASgRTcA"), "{input}");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(canonical), Some(got), "idempotent: {canonical}");
        }
        // Ids may start or end with `-` and `_`.
        let got = rec("https://www.youtube.com/watch?v=-_lO--gJ_Po").unwrap();
        assert_eq!(got.post_id.as_deref(), Some("-_lO--gJ_Po"));
    }

    #[test]
    fn playlists_carry_the_list_id() {
        let cases = [
            (
                "https://www.youtube.com/embed/videoseries?list=PLDEBB741B42EDED3D&rel=0",
                "PLDEBB741B42EDED3D",
            ),
            (
                "https://www.youtube-nocookie.com/embed/videoseries?list=UU-LwrkOqDc90ISswRuIFLng",
                "UU-LwrkOqDc90ISswRuIFLng",
            ),
            (
                "https://www.youtube.com/embed?listType=playlist&list=PLDEBB741B42EDED3D",
                "PLDEBB741B42EDED3D",
            ),
            (
                "https://www.youtube.com/playlist?list=PLDEBB741B42EDED3D&si=abc",
                "PLDEBB741B42EDED3D",
            ),
        ];
        for (input, list) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.kind, EmbedKind::Playlist, "{input}");
            assert_eq!(got.post_id.as_deref(), Some(list), "{input}");
            let canonical = format!("https://www.youtube.com/playlist?list={list}");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(&canonical), Some(got), "idempotent: {canonical}");
        }
    }

    #[test]
    fn channels_are_profiles() {
        let cases = [
            (
                "https://www.youtube.com/@NASA",
                "https://www.youtube.com/@NASA",
            ),
            (
                "https://www.youtube.com/channel/UCuZeHD5SGecQomz2pVDHGzg",
                "https://www.youtube.com/channel/UCuZeHD5SGecQomz2pVDHGzg",
            ),
            (
                "https://www.youtube.com/user/smshdchrb",
                "https://www.youtube.com/user/smshdchrb",
            ),
            (
                "https://www.youtube.com/c/Engadget",
                "https://www.youtube.com/c/Engadget",
            ),
            (
                "https://www.youtube.com/cubadebatecu",
                "https://www.youtube.com/cubadebatecu",
            ),
            (
                "https://youtube.com/elfaro",
                "https://www.youtube.com/elfaro",
            ),
            (
                "https://www.youtube.com/embed/live_stream?channel=UCuZeHD5SGecQomz2pVDHGzg",
                "https://www.youtube.com/channel/UCuZeHD5SGecQomz2pVDHGzg",
            ),
        ];
        for (input, canonical) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.kind, EmbedKind::Profile, "{input}");
            assert_eq!(got.post_id, None, "{input}");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(canonical), Some(got), "idempotent: {canonical}");
        }
    }

    /// The player of a user's uploads names the user in `list`: the channel, not a playlist
    /// whose id would be the user name. A search results player plays no one's item.
    #[test]
    fn user_uploads_players_are_the_channel() {
        for input in [
            "http://www.youtube.com/embed/?listType=user_uploads&list=reelseo&showinfo=0&title=",
            "https://www.youtube-nocookie.com/embed?listType=user_uploads&list=reelseo",
        ] {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.kind, EmbedKind::Profile, "{input}");
            assert_eq!(got.post_id, None, "{input}");
            assert_eq!(
                got.canonical_url, "https://www.youtube.com/user/reelseo",
                "{input}"
            );
        }
        assert_eq!(
            rec("https://www.youtube.com/embed?listType=search&list=air+new+zealand"),
            None
        );
    }

    #[test]
    fn site_pages_and_bad_ids_are_not_claimed() {
        for input in [
            "https://www.youtube.com/",
            "https://www.youtube.com/watch",
            "https://www.youtube.com/watch?v=short",
            "https://www.youtube.com/watch?v=eiHXASgRTcAx",
            "https://www.youtube.com/results?search_query=x",
            "https://www.youtube.com/feed/subscriptions",
            "https://www.youtube.com/embed/",
            "https://www.youtube.com/embed/live_stream",
            "https://www.youtube.com/embed/videoseries",
            "https://www.youtube.com/iframe_api",
            "https://www.youtube.com/subscribe_widget?p=RTrussian",
            "https://www.youtube.com/subscribe_embed?usegapi=1&channel=GoogleDevelopers",
            "https://www.youtube.com/oembed?url=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3DeiHXASgRTcA",
            "https://consent.youtube.com/m?continue=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3DeiHXASgRTcA",
            "https://i.ytimg.com/vi/eiHXASgRTcA/hqdefault.jpg",
            "https://youtu.be/",
            "https://www.youtube-nocookie.com/cubadebatecu",
            "https://notyoutube.com/watch?v=eiHXASgRTcA",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }
}
