//! spotify: URL recognition (no resolver yet).
//!
//! Claims tracks, albums, playlists, episodes, shows and artists on `open.spotify.com` (with the
//! optional `/intl-xx/` prefix), the embed iframes (`/embed/TYPE/ID`, `/embed-podcast/...`),
//! the legacy `embed.spotify.com/?uri=spotify:TYPE:ID` player and `spotify:TYPE:ID` URIs. It must
//! never claim user, search or genre pages.
//!
//! The post id is the bare 22-character base62 id, as the labelled corpus records it: Spotify ids
//! are random across types, and the kind (track, album, ...) already says which type it is.
//! Artists are recognised as profiles (no post id).

use url::Url;

use crate::model::{EmbedKind, Platform, Recognised};
use crate::platforms::url_util::{is_token, query_value, segments, web_host};

/// Claim Spotify item URLs.
///
/// Canonical form: `https://open.spotify.com/TYPE/ID`, with `si`, `utm_source` and every other
/// parameter dropped.
pub fn recognise(url: &Url) -> Option<Recognised> {
    if url.scheme() == "spotify" {
        return from_uri(url.as_str());
    }
    let host = web_host(url)?;
    let segs = segments(url);
    let segs: Vec<&str> = segs.iter().map(|s| s.as_ref()).collect();
    match host {
        "open.spotify.com" | "play.spotify.com" => {}
        "embed.spotify.com" => return from_uri(&query_value(url, "uri")?),
        _ => return None,
    }
    // `/intl-de/track/ID`, `/embed/track/ID`, `/embed-podcast/episode/ID`.
    let rest = match segs.as_slice() {
        [first, rest @ ..] if first.starts_with("intl-") => rest,
        rest => rest,
    };
    let rest = match rest {
        ["embed" | "embed-podcast", rest @ ..] => rest,
        rest => rest,
    };
    match rest {
        [kind, id, ..] => item(kind, id),
        _ => None,
    }
}

/// `spotify:TYPE:ID`.
fn from_uri(uri: &str) -> Option<Recognised> {
    let mut parts = uri.trim().split(':');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("spotify"), Some(kind), Some(id), None) => item(kind, id),
        _ => None,
    }
}

fn item(kind: &str, id: &str) -> Option<Recognised> {
    let embed_kind = match kind {
        "track" => EmbedKind::Track,
        "album" => EmbedKind::Album,
        "playlist" => EmbedKind::Playlist,
        "episode" => EmbedKind::Audio,
        "show" => EmbedKind::Show,
        "artist" => EmbedKind::Profile,
        _ => return None,
    };
    if !is_token(id, 22, 22, |c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some(Recognised {
        platform: Platform::Spotify,
        kind: embed_kind,
        post_id: embed_kind.is_post().then(|| id.to_owned()),
        canonical_url: format!("https://open.spotify.com/{kind}/{id}"),
    })
}

/// The Spotify module of the registry.
#[derive(Debug)]
pub struct Spotify;

impl crate::platforms::PlatformModule for Spotify {
    fn platform(&self) -> Platform {
        Platform::Spotify
    }

    fn recognise(&self, url: &Url) -> Option<Recognised> {
        recognise(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(u: &str) -> Option<Recognised> {
        recognise(&Url::parse(u).unwrap())
    }

    #[test]
    fn items_in_every_form() {
        let cases = [
            (
                "https://open.spotify.com/album/5xPxMLvzGXqfOD5hZ0h3or",
                EmbedKind::Album,
                "https://open.spotify.com/album/5xPxMLvzGXqfOD5hZ0h3or",
            ),
            (
                "https://open.spotify.com/embed/album/7sncoSE9ibLTJhrcFCYTLw?utm_source=generator",
                EmbedKind::Album,
                "https://open.spotify.com/album/7sncoSE9ibLTJhrcFCYTLw",
            ),
            (
                "https://open.spotify.com/track/7y8NWS6gR3Wz4C7W8Bh0WL?si=aa84a1d637ac4b3d",
                EmbedKind::Track,
                "https://open.spotify.com/track/7y8NWS6gR3Wz4C7W8Bh0WL",
            ),
            (
                "https://open.spotify.com/intl-de/track/7y8NWS6gR3Wz4C7W8Bh0WL",
                EmbedKind::Track,
                "https://open.spotify.com/track/7y8NWS6gR3Wz4C7W8Bh0WL",
            ),
            (
                "https://open.spotify.com/embed/playlist/1HDWkBMWUQSpgxsTqENFfI",
                EmbedKind::Playlist,
                "https://open.spotify.com/playlist/1HDWkBMWUQSpgxsTqENFfI",
            ),
            (
                "https://open.spotify.com/embed-podcast/show/6YxsFKbM7cULU4sXU7hSxe",
                EmbedKind::Show,
                "https://open.spotify.com/show/6YxsFKbM7cULU4sXU7hSxe",
            ),
            (
                "https://open.spotify.com/embed/episode/4rOoJ6Egrf8K2IrywzwOMk",
                EmbedKind::Audio,
                "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk",
            ),
            (
                "https://embed.spotify.com/?uri=spotify:track:7y8NWS6gR3Wz4C7W8Bh0WL",
                EmbedKind::Track,
                "https://open.spotify.com/track/7y8NWS6gR3Wz4C7W8Bh0WL",
            ),
            (
                "spotify:album:5xPxMLvzGXqfOD5hZ0h3or",
                EmbedKind::Album,
                "https://open.spotify.com/album/5xPxMLvzGXqfOD5hZ0h3or",
            ),
        ];
        for (input, kind, canonical) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.platform, Platform::Spotify, "{input}");
            assert_eq!(got.kind, kind, "{input}");
            let id = canonical.rsplit('/').next();
            assert_eq!(got.post_id.as_deref(), id, "{input}");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(canonical), Some(got), "idempotent: {canonical}");
        }
    }

    #[test]
    fn artists_are_profiles_and_other_pages_are_not_claimed() {
        let artist =
            rec("https://open.spotify.com/artist/1TTfuOdEtj8lin2zR4OWmP?si=NoNEzt24RtyGKIg77zXf8g")
                .unwrap();
        assert_eq!(artist.kind, EmbedKind::Profile);
        assert_eq!(artist.post_id, None);
        for input in [
            "https://open.spotify.com/",
            "https://open.spotify.com/user/spotify",
            "https://open.spotify.com/search/abc",
            "https://open.spotify.com/genre/pop",
            "https://open.spotify.com/track/tooshort",
            "https://open.spotify.com/oembed?url=https://open.spotify.com/playlist/5HcLrk4q1DPf9CucFfGLWF",
            "https://i.scdn.co/image/ab67616d00001e02022aca057f08a1d40c1f0733",
            "https://notspotify.com/track/7y8NWS6gR3Wz4C7W8Bh0WL",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }
}
