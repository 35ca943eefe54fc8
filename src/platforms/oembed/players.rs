//! Podcast, video and document players that publishers embed from hosts without a module of
//! their own. Each reader takes the player's address (and the item's own page, where the
//! provider has one) to the item it plays, so that a player and a link to the same episode are
//! one post. The shapes are the players' real embed codes, as public extractors read them:
//! yt-dlp's extractors, iframely's plugins, s9e/TextFormatter's site definitions and the
//! providers' own examples, named per reader. A player of a whole show or playlist is kept
//! apart from its episodes (kind `show` or `playlist`), and addresses that play nothing (a
//! loader script, a site page) are not claimed.
//!
//! Where the provider's item has a public page the address can be derived from, that page is
//! the canonical URL (and, for a provider in the registry, the address its endpoint takes);
//! otherwise the player's own address is.

use url::Url;

use super::{Item, is_alnum, item};
use crate::model::EmbedKind;
use crate::platforms::url_util::{host_is_or_www, host_within, is_digits, is_token, query_value};

/// A path word of a slug-named item: letters, digits, `-`, `_` and `.`, not dots alone.
fn is_path_word(s: &str) -> bool {
    is_token(s, 1, 200, |c| {
        c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
    }) && !s.chars().all(|c| c == '.')
}

fn is_hex(s: &str, len: usize) -> bool {
    is_token(s, len, len, |c| c.is_ascii_hexdigit())
}

/// A UUID in its usual 8-4-4-4-12 form.
fn is_uuid(s: &str) -> bool {
    let mut parts = s.split('-');
    [8, 4, 4, 4, 12]
        .iter()
        .all(|&len| parts.next().is_some_and(|p| is_hex(p, len)))
        && parts.next().is_none()
}

/// The leading digits of `NNN` or `NNN-slug`.
fn leading_id(seg: &str) -> Option<&str> {
    let id = seg.split('-').next()?;
    is_digits(id, 20).then_some(id)
}

/// Acast: the player `embed.acast.com/SHOW/EPISODE` (also `embed.acast.com/$/SHOW/EPISODE`),
/// and the episode pages `play.acast.com/s/SHOW/EPISODE` and `shows.acast.com/SHOW/episodes/
/// EPISODE` (yt-dlp `acast.py`; castkodi's Acast tests). A player of a whole show
/// (`embed.acast.com/SHOW`) is no episode.
pub(super) fn acast(_url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    let (show, episode) = match (host, segs) {
        ("embed.acast.com", ["$", show, episode] | [show, episode]) => (*show, *episode),
        ("play.acast.com", ["s", show, episode]) => (*show, *episode),
        ("shows.acast.com", [show, "episodes", episode]) => (*show, *episode),
        _ => return None,
    };
    if !(is_path_word(show) && is_path_word(episode)) {
        return None;
    }
    item(
        EmbedKind::Audio,
        format!("{show}/{episode}"),
        format!("https://play.acast.com/s/{show}/{episode}"),
    )
}

/// TuneIn: the player `tunein.com/embed/player/ID/`, where `tNNN` is an episode, `pNNN` a
/// programme and `sNNN` a station (yt-dlp `tunein.py`). The player is the item's address.
pub(super) fn tunein(_url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    if !host_is_or_www(host, "tunein.com") {
        return None;
    }
    let ["embed", "player", id, ..] = segs else {
        return None;
    };
    let kind = match id.as_bytes().first()? {
        b't' => EmbedKind::Audio,
        b'p' | b's' => EmbedKind::Show,
        _ => return None,
    };
    if !is_digits(&id[1..], 15) {
        return None;
    }
    item(kind, *id, format!("https://tunein.com/embed/player/{id}/"))
}

/// Omny Studio: a clip's page `omny.fm/shows/SHOW/CLIP` and its player `…/CLIP/embed`
/// (yt-dlp `omnyfm.py`; s9e `omny.xml`). A show's playlists (`/shows/SHOW/playlists/NAME`)
/// are not one clip.
pub(super) fn omny(_url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    if !host_is_or_www(host, "omny.fm") {
        return None;
    }
    match segs {
        ["shows", show, clip] | ["shows", show, clip, "embed"]
            if !matches!(*clip, "playlists" | "embed")
                && is_path_word(show)
                && is_path_word(clip) =>
        {
            item(
                EmbedKind::Audio,
                format!("{show}/{clip}"),
                format!("https://omny.fm/shows/{show}/{clip}"),
            )
        }
        _ => None,
    }
}

/// Megaphone: `player.megaphone.fm/ID` and `playlist.megaphone.fm/?e=ID` (yt-dlp
/// `megaphone.py`; amphtml's `amp-megaphone` tests; castkodi). `?p=ID` is a playlist, which
/// plays many episodes.
pub(super) fn megaphone(url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    let id = match (host, segs) {
        ("player.megaphone.fm", [id]) => (*id).to_owned(),
        ("playlist.megaphone.fm", []) => query_value(url, "e")?,
        _ => return None,
    };
    if !is_alnum(&id, 6, 20) {
        return None;
    }
    let canonical = format!("https://player.megaphone.fm/{id}");
    item(EmbedKind::Audio, id, canonical)
}

/// Simplecast: the player `player.simplecast.com/UUID` and the older `embed.simplecast.com/ID`
/// (yt-dlp `simplecast.py`); with `?show=true` the player plays the whole show. Also the
/// registry's short links `simplecast.com/s/ID`.
pub(super) fn simplecast(url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    match (host, segs) {
        ("player.simplecast.com", [id]) if is_uuid(id) => {
            let id = id.to_ascii_lowercase();
            let canonical = format!("https://player.simplecast.com/{id}");
            let kind = if query_value(url, "show").as_deref() == Some("true") {
                EmbedKind::Show
            } else {
                EmbedKind::Audio
            };
            item(kind, id, canonical)
        }
        ("embed.simplecast.com", [id]) if is_hex(id, 8) => item(
            EmbedKind::Audio,
            *id,
            format!("https://embed.simplecast.com/{id}"),
        ),
        (host, ["s", id]) if host_is_or_www(host, "simplecast.com") && is_alnum(id, 4, 40) => item(
            EmbedKind::Audio,
            format!("s/{id}"),
            format!("https://simplecast.com/s/{id}"),
        ),
        _ => None,
    }
}

/// Libsyn: `html5-player.libsyn.com/embed/episode/id/NNN/…` and the newer `play.libsyn.com`
/// (yt-dlp `libsyn.py`; iframely's `libsyn-hosted.js`). The options follow as path pairs;
/// `render-playlist/yes` makes the player a playlist of the show.
pub(super) fn libsyn(_url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    if !matches!(host, "html5-player.libsyn.com" | "play.libsyn.com") {
        return None;
    }
    let ["embed", "episode", "id", id, options @ ..] = segs else {
        return None;
    };
    if !is_digits(id, 20) {
        return None;
    }
    let player = format!("https://play.libsyn.com/embed/episode/id/{id}/");
    if options.windows(2).any(|w| w == ["render-playlist", "yes"]) {
        return item(
            EmbedKind::Playlist,
            format!("{id}/playlist"),
            format!("{player}render-playlist/yes/"),
        );
    }
    item(EmbedKind::Audio, *id, player)
}

/// Audioboom: a post's page `audioboom.com/posts/NNN[-slug]` and its players
/// `embeds.audioboom.com/posts/NNN…/embed/v4`, `audioboom.com/posts/NNN/embed/v3` (also the
/// older `boos/`) (yt-dlp `audioboom.py`; s9e `audioboom.xml`); the registry's channel,
/// podcast and playlist pages are shows and playlists.
pub(super) fn audioboom(_url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    if !(host_is_or_www(host, "audioboom.com") || host == "embeds.audioboom.com") {
        return None;
    }
    let [section, seg, ..] = segs else {
        return None;
    };
    let id = leading_id(seg)?;
    let (kind, section) = match *section {
        "posts" | "boos" => (EmbedKind::Audio, "posts"),
        "episodes" => (EmbedKind::Audio, "episodes"),
        "channels" | "channel" => (EmbedKind::Show, "channels"),
        "podcasts" | "podcast" => (EmbedKind::Show, "podcasts"),
        "playlists" => (EmbedKind::Playlist, "playlists"),
        _ => return None,
    };
    let key = if section == "posts" {
        id.to_owned()
    } else {
        format!("{section}/{id}")
    };
    item(kind, key, format!("https://audioboom.com/{section}/{id}"))
}

/// Spreaker: the widget `widget.spreaker.com/player?episode_id=NNN` (or the older
/// `episode_key=KEY--NNN`; `show_id=NNN` plays a show) and the pages
/// `www.spreaker.com/episode/[slug--]NNN` and, for shows, `/podcast/slug--NNN` and `/show/NNN`
/// (yt-dlp `spreaker.py`; s9e `spreaker.xml`; a widget in oscarotero/Embed's fixtures).
pub(super) fn spreaker(url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    let last_number = |s: &str| {
        let id = s.rsplit("--").next()?.to_owned();
        is_digits(&id, 15).then_some(id)
    };
    let (kind, id) = match (host, segs) {
        ("widget.spreaker.com", ["player"]) => {
            if let Some(id) = query_value(url, "episode_id")
                .or_else(|| query_value(url, "episode_key"))
                .and_then(|v| last_number(&v))
            {
                (EmbedKind::Audio, id)
            } else {
                let show = query_value(url, "show_id").filter(|v| is_digits(v, 15))?;
                (EmbedKind::Show, show)
            }
        }
        (host, ["episode", seg]) if host_is_or_www(host, "spreaker.com") => {
            (EmbedKind::Audio, last_number(seg)?)
        }
        (host, ["show" | "podcast", seg]) if host_is_or_www(host, "spreaker.com") => {
            (EmbedKind::Show, last_number(seg)?)
        }
        _ => return None,
    };
    if kind == EmbedKind::Show {
        let canonical = format!("https://www.spreaker.com/show/{id}");
        return item(kind, format!("show/{id}"), canonical);
    }
    let canonical = format!("https://www.spreaker.com/episode/{id}");
    item(kind, id, canonical)
}

/// Buzzsprout: the player `www.buzzsprout.com/SHOW/EPISODE-slug?client_source=…&iframe=true`
/// (also `SHOW/episodes/EPISODE-slug`), which is the episode's page with a query. `SHOW`
/// alone is the show's player.
pub(super) fn buzzsprout(_url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    if !host_is_or_www(host, "buzzsprout.com") {
        return None;
    }
    let (show, episode) = match segs {
        [show, episode] | [show, "episodes", episode] => (*show, *episode),
        _ => return None,
    };
    if !is_digits(show, 12) || !is_path_word(episode) {
        return None;
    }
    let id = leading_id(episode)?;
    item(
        EmbedKind::Audio,
        format!("{show}/{id}"),
        format!("https://www.buzzsprout.com/{show}/{episode}"),
    )
}

/// Podbean: the player `www.podbean.com/player-v2/?i=XXXX-YYYY-pb` (a show's is
/// `…-pbblog-playlist`, not one episode) and the episode's page `www.podbean.com/ew/pb-XXXX-YYYY`
/// (iframely's `podbean-hosted.js`; s9e `podbean.xml`); also the registry's episode pages
/// `SHOW.podbean.com/e/SLUG/`, which name the episode another way.
pub(super) fn podbean(url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    let episode_id = |s: &str| {
        is_token(s, 5, 40, |c| c.is_ascii_alphanumeric() || c == '-').then(|| s.to_owned())
    };
    let id = match (host, segs) {
        ("www.podbean.com" | "podbean.com", ["player-v2"]) => {
            let value = query_value(url, "i")?;
            episode_id(value.strip_suffix("-pb")?)?
        }
        ("www.podbean.com" | "podbean.com", ["ew", page]) => episode_id(page.strip_prefix("pb-")?)?,
        (show_host, ["e", slug]) if show_host.ends_with(".podbean.com") && is_path_word(slug) => {
            return item(
                EmbedKind::Audio,
                format!("{show_host}/e/{slug}"),
                format!("https://{show_host}/e/{slug}/"),
            );
        }
        _ => return None,
    };
    let canonical = format!("https://www.podbean.com/ew/pb-{id}");
    item(EmbedKind::Audio, format!("pb-{id}"), canonical)
}

/// Anchor (Spotify for Podcasters): the player `anchor.fm/SHOW/embed/episodes/SLUG-eID[/a-…]`,
/// the page `anchor.fm/SHOW/episodes/SLUG-eID`, and the same player on
/// `creators.spotify.com/pod/profile/SHOW/embed/episodes/…`; the episode is the `eID` that ends
/// the slug (yt-dlp's former `anchorfm.py`; s9e `anchor.xml`). `SHOW/embed` alone plays the
/// show.
pub(super) fn anchor(_url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    let (show, slug) = match (host, segs) {
        ("anchor.fm" | "www.anchor.fm", [show, "embed", "episodes", slug, ..])
        | ("anchor.fm" | "www.anchor.fm", [show, "episodes", slug, ..])
        | (
            "creators.spotify.com" | "podcasters.spotify.com",
            [
                "pod",
                "profile" | "show",
                show,
                "embed",
                "episodes",
                slug,
                ..,
            ],
        )
        | (
            "creators.spotify.com" | "podcasters.spotify.com",
            ["pod", "profile" | "show", show, "episodes", slug, ..],
        ) => (*show, *slug),
        _ => return None,
    };
    let episode = slug.rsplit('-').next()?;
    if !is_path_word(show)
        || !is_path_word(slug)
        || !episode.starts_with('e')
        || !is_alnum(episode, 3, 12)
    {
        return None;
    }
    item(
        EmbedKind::Audio,
        format!("{show}/{episode}"),
        format!("https://anchor.fm/{show}/episodes/{slug}"),
    )
}

/// Deezer: the widget `widget.deezer.com/widget/THEME/TYPE/ID` and the pages
/// `www.deezer.com/[LANG/]TYPE/ID`, for tracks, albums, playlists, podcast episodes and shows
/// (as music sites and their embed helpers build them). An artist's top tracks are a
/// profile, not a post.
pub(super) fn deezer(_url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    let (section, id) = match (host, segs) {
        ("widget.deezer.com", ["widget", _theme, section, id, ..]) => (*section, *id),
        (host, [section, id] | [_, section, id]) if host_is_or_www(host, "deezer.com") => {
            (*section, *id)
        }
        _ => return None,
    };
    let kind = match section {
        "track" => EmbedKind::Track,
        "album" => EmbedKind::Album,
        "playlist" => EmbedKind::Playlist,
        "episode" => EmbedKind::Audio,
        "show" => EmbedKind::Show,
        _ => return None,
    };
    if !is_digits(id, 20) {
        return None;
    }
    item(
        kind,
        format!("{section}/{id}"),
        format!("https://www.deezer.com/{section}/{id}"),
    )
}

/// Apple Music: the player `embed.music.apple.com/CC/album/[SLUG/]ID[?i=TRACK]` (a track of
/// the album with `i`) and the same paths on `music.apple.com`, for albums, songs, playlists
/// and music videos (as music sites and their embed helpers build them). Apple Podcasts has a
/// module of its own.
pub(super) fn apple_music(url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    if !matches!(host, "embed.music.apple.com" | "music.apple.com") {
        return None;
    }
    let (store, section, slug, id) = match segs {
        [store, section, slug, id] => (*store, *section, Some(*slug), *id),
        [store, section, id] => (*store, *section, None, *id),
        _ => return None,
    };
    if !is_token(store, 2, 2, |c| c.is_ascii_lowercase()) || slug.is_some_and(|s| !is_path_word(s))
    {
        return None;
    }
    let id_ok = match section {
        "playlist" => id.starts_with("pl.") && is_path_word(id),
        "album" | "song" | "music-video" => is_digits(id, 20),
        _ => false,
    };
    if !id_ok {
        return None;
    }
    let path = match slug {
        Some(slug) => format!("{store}/{section}/{slug}/{id}"),
        None => format!("{store}/{section}/{id}"),
    };
    let track = (section == "album")
        .then(|| query_value(url, "i"))
        .flatten()
        .filter(|i| is_digits(i, 20));
    if let Some(track) = track {
        return item(
            EmbedKind::Track,
            format!("song/{track}"),
            format!("https://music.apple.com/{path}?i={track}"),
        );
    }
    let kind = match section {
        "album" => EmbedKind::Album,
        "song" => EmbedKind::Track,
        "playlist" => EmbedKind::Playlist,
        _ => EmbedKind::Video,
    };
    item(
        kind,
        format!("{section}/{id}"),
        format!("https://music.apple.com/{path}"),
    )
}

/// Scribd: the reader `www.scribd.com/embeds/NNN/content` and the pages
/// `www.scribd.com/document/NNN[/slug]` and `/doc/NNN` (iframely's `scribd.com.js`;
/// oscarotero/Embed's fixtures). The registry's endpoint takes `/doc/NNN`.
pub(super) fn scribd(_url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    if !host_is_or_www(host, "scribd.com") {
        return None;
    }
    let id = match segs {
        ["embeds", id, ..] | ["document" | "doc", id, ..] => *id,
        _ => return None,
    };
    if !is_digits(id, 15) {
        return None;
    }
    item(
        EmbedKind::Post,
        id,
        format!("https://www.scribd.com/doc/{id}"),
    )
}

/// SlideShare: the player `www.slideshare.net/slideshow/embed_code/NNN` of older embed codes
/// (as saved in karussell/snacktory's `blogger` test page) and `…/embed_code/key/KEY` of later
/// ones (as pasted in the pages of many public repositories), and a deck's own page
/// `www.slideshare.net/USER/SLUG` (also on the language hosts `fr.`, `de.` …), which the
/// registry's endpoint takes.
pub(super) fn slideshare(_url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    if !host_within(host, "slideshare.net") {
        return None;
    }
    let player = match segs {
        ["slideshow", "embed_code", "key", key] if is_alnum(key, 6, 32) => format!("key/{key}"),
        ["slideshow", "embed_code", id] if is_digits(id, 15) => (*id).to_owned(),
        [user, slug] if *user != "slideshow" && is_path_word(user) && is_path_word(slug) => {
            let deck = format!("{user}/{slug}");
            let canonical = format!("https://www.slideshare.net/{deck}");
            return item(EmbedKind::Post, deck, canonical);
        }
        _ => return None,
    };
    let canonical = format!("https://www.slideshare.net/slideshow/embed_code/{player}");
    item(EmbedKind::Post, player, canonical)
}

/// Ustream (IBM Video since 2016): the player of a recorded video `ustream.tv/embed/recorded/ID`
/// and its page `ustream.tv/recorded/ID`, also on `video.ibm.com` (yt-dlp `ustream.py`; the
/// registry's endpoint takes the `ustream.tv` page). A channel's live player
/// (`ustream.tv/embed/ID`, page `ustream.tv/channel/ID`) plays the channel, not one recording:
/// kind `show`. The Flash viewer (`ustream.tv/flash/viewer.swf`) names nothing in its address.
pub(super) fn ustream(_url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    if !(host_within(host, "ustream.tv") || host_is_or_www(host, "video.ibm.com")) {
        return None;
    }
    match segs {
        ["embed", "recorded", id, ..] | ["recorded", id, ..] if is_digits(id, 15) => item(
            EmbedKind::Video,
            *id,
            format!("https://www.ustream.tv/recorded/{id}"),
        ),
        ["embed", id] | ["channel", "id", id] | ["channel", id] if is_digits(id, 15) => item(
            EmbedKind::Show,
            format!("channel/{id}"),
            format!("https://www.ustream.tv/channel/{id}"),
        ),
        _ => None,
    }
}

/// Issuu: the reader `e.issuu.com/embed.html?d=DOC&u=USER` (also `anonymous-embed.html`) and
/// the document's page `issuu.com/USER/docs/DOC`, which the registry's endpoint takes. A
/// reader configured by id alone (`embed.html#CONFIG`) names no document.
pub(super) fn issuu(url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    let (user, doc) = match (host, segs) {
        ("e.issuu.com", ["embed.html" | "anonymous-embed.html"]) => {
            (query_value(url, "u")?, query_value(url, "d")?)
        }
        (host, [user, "docs", doc, ..]) if host_is_or_www(host, "issuu.com") => {
            ((*user).to_owned(), (*doc).to_owned())
        }
        _ => return None,
    };
    if !is_path_word(&user) || !is_path_word(&doc) {
        return None;
    }
    item(
        EmbedKind::Post,
        format!("{user}/{doc}"),
        format!("https://issuu.com/{user}/docs/{doc}"),
    )
}

/// Infogram: the chart `e.infogram.com/ID?src=embed` (ID a UUID or a slug; also a private
/// `_/TOKEN`) and its page `infogram.com/UUID` (oscarotero/Embed's fixtures). Multi-segment
/// addresses on `e.infogram.com` are its loader script and data.
pub(super) fn infogram(_url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    match (host, segs) {
        ("e.infogram.com", ["_", token]) if is_alnum(token, 8, 40) => item(
            EmbedKind::Post,
            format!("_/{token}"),
            format!("https://e.infogram.com/_/{token}"),
        ),
        ("e.infogram.com", [id]) if is_path_word(id) && !id.contains('.') => {
            item(EmbedKind::Post, *id, format!("https://infogram.com/{id}"))
        }
        (host, [id]) if host_is_or_www(host, "infogram.com") && is_uuid(id) => {
            item(EmbedKind::Post, *id, format!("https://infogram.com/{id}"))
        }
        _ => None,
    }
}

/// Wistia: the player `fast.wistia.net/embed/iframe/ID` (or on `fast.wistia.com`) and the
/// media page `ACCOUNT.wistia.com/medias/ID` (yt-dlp `wistia.py`; s9e `wistia.xml`), one id;
/// `embed/playlists/ID` is a playlist. The registry's endpoint takes the `fast.wistia.com`
/// player.
pub(super) fn wistia(_url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    let fast = matches!(host, "fast.wistia.net" | "fast.wistia.com");
    let account = host_within(host, "wistia.com") && !fast;
    let (playlist, id) = match segs {
        ["embed", "iframe", id] if fast => (false, *id),
        ["medias", id] if account => (false, *id),
        ["embed", "playlists", id] if fast => (true, *id),
        _ => return None,
    };
    if !is_alnum(id, 6, 20) {
        return None;
    }
    if playlist {
        let canonical = format!("https://fast.wistia.com/embed/playlists/{id}");
        return item(EmbedKind::Playlist, format!("playlists/{id}"), canonical);
    }
    item(
        EmbedKind::Video,
        id,
        format!("https://fast.wistia.com/embed/iframe/{id}"),
    )
}

/// Loom: the player `www.loom.com/embed/ID` and the share page `www.loom.com/share/ID`, one
/// id of 32 hex digits (yt-dlp `loom.py`; iframely's `loom.com.js`); the canonical form is the
/// registry's `loom.com/share/ID`, which its endpoint takes. A shared folder (`share/folder/ID`)
/// is not one video.
pub(super) fn loom(_url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    if !host_is_or_www(host, "loom.com") {
        return None;
    }
    match segs {
        ["embed" | "share", id] if is_hex(id, 32) => item(
            EmbedKind::Video,
            *id,
            format!("https://loom.com/share/{id}"),
        ),
        _ => None,
    }
}

/// Rumble: the player `rumble.com/embed/ID/` (ID like `v5pv5f`, or `PUBLISHER.ID`) and the
/// video pages `rumble.com/vID-slug.html`, whose id differs from the player's (yt-dlp
/// `rumble.py`; castkodi). Channels, users and listings are no videos.
pub(super) fn rumble(_url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    if !host_is_or_www(host, "rumble.com") {
        return None;
    }
    match segs {
        ["embed", id, ..]
            if is_token(id, 3, 40, |c| c.is_ascii_alphanumeric() || c == '.')
                && !id.starts_with('.') =>
        {
            item(
                EmbedKind::Video,
                format!("embed/{id}"),
                format!("https://rumble.com/embed/{id}/"),
            )
        }
        [page] if page.starts_with('v') && page.ends_with(".html") && is_path_word(page) => {
            let id = page.split('-').next()?.trim_end_matches(".html");
            if !is_alnum(id, 3, 20) {
                return None;
            }
            item(EmbedKind::Video, id, format!("https://rumble.com/{page}"))
        }
        _ => None,
    }
}

/// Brightcove: the player `players.brightcove.net/ACCOUNT/PLAYER_EMBED/index.html?videoId=ID`
/// (`ref:…` ids too; `playlistId=` plays a playlist), the registry's scheme (yt-dlp
/// `brightcove.py`; iframely's `players.brightcove.net.js`). A video is one post whatever
/// player shows it.
pub(super) fn brightcove(url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    if host != "players.brightcove.net" {
        return None;
    }
    let [account, player, "index.html"] = segs else {
        return None;
    };
    if !is_digits(account, 20) || !is_path_word(player) {
        return None;
    }
    let id_ok = |v: &str| {
        is_token(v, 1, 100, |c| {
            c.is_ascii_alphanumeric() || "_-.:".contains(c)
        })
    };
    let page = format!("https://players.brightcove.net/{account}/{player}/index.html");
    if let Some(video) = query_value(url, "videoId").filter(|v| id_ok(v)) {
        let canonical = format!("{page}?videoId={video}");
        return item(EmbedKind::Video, format!("{account}/{video}"), canonical);
    }
    let playlist = query_value(url, "playlistId").filter(|v| id_ok(v))?;
    item(
        EmbedKind::Playlist,
        format!("{account}/playlist/{playlist}"),
        format!("{page}?playlistId={playlist}"),
    )
}

/// JW Player: the hosted player `cdn.jwplayer.com/players/MEDIA-PLAYER.html` (or `.js`, also
/// on `content.jwplatform.com`) and the preview `content.jwplatform.com/previews/MEDIA`; the
/// item is the 8-character media id (yt-dlp `jwplatform.py`; s9e `jwplayer.xml`).
pub(super) fn jwplayer(_url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    if !matches!(host, "cdn.jwplayer.com" | "content.jwplatform.com") {
        return None;
    }
    let file = match segs {
        ["players" | "previews", file] => *file,
        _ => return None,
    };
    let stem = file
        .strip_suffix(".html")
        .or_else(|| file.strip_suffix(".js"))
        .unwrap_or(file);
    let media = stem.split('-').next()?;
    if !is_alnum(media, 8, 8) {
        return None;
    }
    item(
        EmbedKind::Video,
        media,
        format!("https://content.jwplatform.com/previews/{media}"),
    )
}

/// Kaltura: the iframe player `…kaltura.com/p/PARTNER/sp/…/embedIframeJs/uiconf_id/…/
/// partner_id/PARTNER?iframeembed=true&entry_id=ENTRY` and the older `…/entry_id/ENTRY` path
/// forms (yt-dlp `kaltura.py`; s9e `kaltura.xml`). An entry is named by partner and entry id;
/// partners' video pages live on their own sites, so the player is the item's address.
/// Without an entry the address is the loader script.
pub(super) fn kaltura(url: &Url, host: &str, segs: &[&str]) -> Option<Item> {
    if !host_within(host, "kaltura.com") {
        return None;
    }
    let after = |key: &str| {
        segs.windows(2)
            .find(|w| w[0] == key)
            .map(|w| w[1].to_owned())
    };
    let partner = after("p")
        .or_else(|| after("partner_id"))
        .filter(|p| is_digits(p, 12))?;
    let entry = query_value(url, "entry_id")
        .or_else(|| after("entry_id"))
        .filter(|e| is_token(e, 3, 40, |c| c.is_ascii_alphanumeric() || c == '_'))?;
    let mut canonical = url.clone();
    canonical.set_fragment(None);
    if canonical.scheme() == "http" {
        let _ = canonical.set_scheme("https");
    }
    item(
        EmbedKind::Video,
        format!("{partner}/{entry}"),
        canonical.into(),
    )
}

#[cfg(test)]
mod tests {
    use super::super::{endpoint, recognise};
    use crate::model::{EmbedKind, Recognised};
    use url::Url;

    fn rec(u: &str) -> Option<Recognised> {
        recognise(&Url::parse(u).unwrap())
    }

    /// Real player addresses (from the sources each reader names), what they play, and the
    /// canonical address. Each canonical address reads as the same item again.
    #[test]
    fn players_name_the_item_they_play() {
        use EmbedKind::{Album, Audio, Playlist, Post, Show, Track, Video};
        let cases = [
            (
                "http://embed.acast.com/adambuxton/ep.12-adam-joeschristmaspodcast2015",
                Audio,
                "acast/adambuxton/ep.12-adam-joeschristmaspodcast2015",
                "https://play.acast.com/s/adambuxton/ep.12-adam-joeschristmaspodcast2015",
            ),
            (
                "https://embed.acast.com/$/5b7ac427c6a58e726f576cff/silence-on-joue?",
                Audio,
                "acast/5b7ac427c6a58e726f576cff/silence-on-joue",
                "https://play.acast.com/s/5b7ac427c6a58e726f576cff/silence-on-joue",
            ),
            (
                "https://shows.acast.com/adambuxton/episodes/ep.12-adam-joeschristmaspodcast2015",
                Audio,
                "acast/adambuxton/ep.12-adam-joeschristmaspodcast2015",
                "https://play.acast.com/s/adambuxton/ep.12-adam-joeschristmaspodcast2015",
            ),
            (
                "http://www.slideshare.net/slideshow/embed_code/7611390?rel=0",
                Post,
                "slideshare/7611390",
                "https://www.slideshare.net/slideshow/embed_code/7611390",
            ),
            (
                "https://www.slideshare.net/slideshow/embed_code/key/DvhB5fUUbdUpPq",
                Post,
                "slideshare/key/DvhB5fUUbdUpPq",
                "https://www.slideshare.net/slideshow/embed_code/key/DvhB5fUUbdUpPq",
            ),
            (
                "https://fr.slideshare.net/someone/a-deck?utm_medium=social",
                Post,
                "slideshare/someone/a-deck",
                "https://www.slideshare.net/someone/a-deck",
            ),
            (
                "https://tunein.com/embed/player/t236404354/",
                Audio,
                "tunein/t236404354",
                "https://tunein.com/embed/player/t236404354/",
            ),
            (
                "https://tunein.com/embed/player/p191660/",
                Show,
                "tunein/p191660",
                "https://tunein.com/embed/player/p191660/",
            ),
            (
                "https://omny.fm/shows/the-origin-of-things/a-song-of-hope/embed?style=cover",
                Audio,
                "omny-studio/the-origin-of-things/a-song-of-hope",
                "https://omny.fm/shows/the-origin-of-things/a-song-of-hope",
            ),
            (
                "https://playlist.megaphone.fm?e=SLT5884670747",
                Audio,
                "megaphone/SLT5884670747",
                "https://player.megaphone.fm/SLT5884670747",
            ),
            (
                "https://player.simplecast.com/b6dc49a2-9404-4853-9aa9-9cfc097be876?dark=true",
                Audio,
                "simplecast/b6dc49a2-9404-4853-9aa9-9cfc097be876",
                "https://player.simplecast.com/b6dc49a2-9404-4853-9aa9-9cfc097be876",
            ),
            (
                "https://html5-player.libsyn.com/embed/episode/id/3727166/height/75/width/200/theme/standard/direction/no/autoplay/no/autonext/no/thumbnail/no/preload/no/no_addthis/no/",
                Audio,
                "libsyn/3727166",
                "https://play.libsyn.com/embed/episode/id/3727166/",
            ),
            (
                "https://html5-player.libsyn.com/embed/episode/id/10159973/height/90/render-playlist/yes/",
                Playlist,
                "libsyn/10159973/playlist",
                "https://play.libsyn.com/embed/episode/id/10159973/render-playlist/yes/",
            ),
            (
                "https://embeds.audioboom.com/posts/2493448-robert-patrick/embed/v4?eid=1",
                Audio,
                "audioboom/2493448",
                "https://audioboom.com/posts/2493448",
            ),
            (
                "https://widget.spreaker.com/player?episode_key=BbMeV2n1A4r3--7657563&theme=light&playlist=false",
                Audio,
                "spreaker/7657563",
                "https://www.spreaker.com/episode/7657563",
            ),
            (
                "https://widget.spreaker.com/player?show_id=5918323&theme=light",
                Show,
                "spreaker/show/5918323",
                "https://www.spreaker.com/show/5918323",
            ),
            (
                "https://www.buzzsprout.com/726084/2115813-test?client_source=small_player&iframe=true",
                Audio,
                "buzzsprout/726084/2115813",
                "https://www.buzzsprout.com/726084/2115813-test",
            ),
            (
                "https://www.podbean.com/player-v2/?i=d5nfh-1044f6e-pb&from=embed",
                Audio,
                "podbean/pb-d5nfh-1044f6e",
                "https://www.podbean.com/ew/pb-d5nfh-1044f6e",
            ),
            (
                "https://anchor.fm/codevcast/embed/episodes/DevStory---Saad-Pasta-from-Karachi--Pakistan-e9givv/a-a15itvo",
                Audio,
                "anchor/codevcast/e9givv",
                "https://anchor.fm/codevcast/episodes/DevStory---Saad-Pasta-from-Karachi--Pakistan-e9givv",
            ),
            (
                "https://widget.deezer.com/widget/dark/track/3135556?tracklist=false",
                Track,
                "deezer/track/3135556",
                "https://www.deezer.com/track/3135556",
            ),
            (
                "https://widget.deezer.com/widget/auto/playlist/908622995",
                Playlist,
                "deezer/playlist/908622995",
                "https://www.deezer.com/playlist/908622995",
            ),
            (
                "https://www.deezer.com/fr/album/302127",
                Album,
                "deezer/album/302127",
                "https://www.deezer.com/album/302127",
            ),
            (
                "https://embed.music.apple.com/us/album/example/12345",
                Album,
                "apple-music/album/12345",
                "https://music.apple.com/us/album/example/12345",
            ),
            (
                "https://embed.music.apple.com/us/album/folklore/1528112358?i=1528112363",
                Track,
                "apple-music/song/1528112363",
                "https://music.apple.com/us/album/folklore/1528112358?i=1528112363",
            ),
            (
                "https://embed.music.apple.com/gb/playlist/todays-hits/pl.f4d106fed2bd41149aaacabb233eb5eb",
                Playlist,
                "apple-music/playlist/pl.f4d106fed2bd41149aaacabb233eb5eb",
                "https://music.apple.com/gb/playlist/todays-hits/pl.f4d106fed2bd41149aaacabb233eb5eb",
            ),
            (
                "https://www.scribd.com/embeds/822252474/content?start_page=1&view_mode=slideshow",
                Post,
                "scribd/822252474",
                "https://www.scribd.com/doc/822252474",
            ),
            (
                "https://e.issuu.com/embed.html?backgroundColor=%23ffffff&d=issuupost&u=jiaqizheng2523",
                Post,
                "issuu/jiaqizheng2523/issuupost",
                "https://issuu.com/jiaqizheng2523/docs/issuupost",
            ),
            (
                "https://e.infogram.com/9d99656e-b187-41c2-8bd9-2fa03b84be51?src=embed",
                Post,
                "infogram/9d99656e-b187-41c2-8bd9-2fa03b84be51",
                "https://infogram.com/9d99656e-b187-41c2-8bd9-2fa03b84be51",
            ),
            (
                "http://fast.wistia.net/embed/iframe/sh7fpupwlt",
                Video,
                "wistia-inc/sh7fpupwlt",
                "https://fast.wistia.com/embed/iframe/sh7fpupwlt",
            ),
            (
                "https://thoughtworks.wistia.com/medias/b6al55s35k",
                Video,
                "wistia-inc/b6al55s35k",
                "https://fast.wistia.com/embed/iframe/b6al55s35k",
            ),
            (
                "https://www.loom.com/embed/04292413a01e4da39127811cf4bc8a0e?sid=da7e178d",
                Video,
                "loom/04292413a01e4da39127811cf4bc8a0e",
                "https://loom.com/share/04292413a01e4da39127811cf4bc8a0e",
            ),
            (
                "https://rumble.com/embed/v1gga0u/?pub=4",
                Video,
                "rumble/embed/v1gga0u",
                "https://rumble.com/embed/v1gga0u/",
            ),
            (
                "http://players.brightcove.net/929656772001/e41d32dc-ec74-459e-a845-6c69f7b724ea_default/index.html?videoId=4463358922001",
                Video,
                "brightcove/929656772001/4463358922001",
                "https://players.brightcove.net/929656772001/e41d32dc-ec74-459e-a845-6c69f7b724ea_default/index.html?videoId=4463358922001",
            ),
            (
                "https://cdn.jwplayer.com/players/nPripu9l-ALJ3XQCI.js",
                Video,
                "jwplayer/nPripu9l",
                "https://content.jwplatform.com/previews/nPripu9l",
            ),
            (
                "https://cdnapisec.kaltura.com/p/2489382/sp/248938200/embedIframeJs/uiconf_id/43771132/partner_id/2489382?iframeembed=true&playerId=kaltura_player_1571746859&entry_id=1_d33r7lxz",
                Video,
                "kaltura/2489382/1_d33r7lxz",
                "https://cdnapisec.kaltura.com/p/2489382/sp/248938200/embedIframeJs/uiconf_id/43771132/partner_id/2489382?iframeembed=true&playerId=kaltura_player_1571746859&entry_id=1_d33r7lxz",
            ),
        ];
        super::super::tests::assert_claimed(&cases);
    }

    /// Ustream's recordings in their player and page forms, on both of its hosts, are one
    /// video; a channel's live player is the channel.
    #[test]
    fn ustream_recordings_and_channels() {
        use EmbedKind::{Show, Video};
        let cases = [
            (
                "http://www.ustream.tv/embed/recorded/22179967",
                Video,
                "ustream/22179967",
                "https://www.ustream.tv/recorded/22179967",
            ),
            (
                "https://video.ibm.com/embed/recorded/22179967?autoplay=false",
                Video,
                "ustream/22179967",
                "https://www.ustream.tv/recorded/22179967",
            ),
            (
                "http://www.ustream.tv/recorded/17275877/highlight/1",
                Video,
                "ustream/17275877",
                "https://www.ustream.tv/recorded/17275877",
            ),
            (
                "http://www.ustream.tv/embed/6540154?html5ui",
                Show,
                "ustream/channel/6540154",
                "https://www.ustream.tv/channel/6540154",
            ),
        ];
        super::super::tests::assert_claimed(&cases);
        for input in [
            "http://www.ustream.tv/flash/viewer.swf",
            "http://www.ustream.tv/",
            "http://www.ustream.tv/explore/all",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }

    /// Addresses of these players that play no single item of their own: whole-show players
    /// the readers do not name, playlists, loaders, site pages.
    #[test]
    fn addresses_that_play_no_item_are_not_claimed() {
        for input in [
            "https://embed.acast.com/63d6855a93dfbe00116a43c6?theme=light&feed=true",
            "https://embed.acast.com/$/63d6855a93dfbe00116a43c6",
            "https://omny.fm/shows/kode24-timen/playlists/podcast/embed?style=artwork",
            "https://omny.fm/shows/kode24-timen/playlists/podcast.rss",
            "https://playlist.megaphone.fm/?p=DEM6640968282",
            "https://www.buzzsprout.com/2057493?client_source=large_player&iframe=true",
            "https://www.buzzsprout.com/144173.js?container_id=x&player=large",
            "https://www.podbean.com/player-v2/?i=dn859-dfb3c4-pbblog-playlist&share=1",
            "https://anchor.fm/turpentine-productions/embed",
            "https://anchor.fm/s/dd00e14/podcast/rss",
            "https://e.infogram.com/js/dist/embed-loader-min.js",
            "https://www.loom.com/share/folder/04292413a01e4da39127811cf4bc8a0e",
            "https://rumble.com/c/SomeChannel",
            "https://rumble.com/user/someone",
            "https://cdnapisec.kaltura.com/p/2489382/sp/248938200/embedIframeJs/uiconf_id/43771132/partner_id/2489382",
            "https://tunein.com/embed/player/x123/",
            "https://tunein.com/radio/home/",
            "https://widget.deezer.com/widget/dark/artist/27/top_tracks",
            "https://www.deezer.com/us/",
            "https://music.apple.com/us/browse",
            "https://music.apple.com/us/artist/taylor-swift/159260351",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }

    /// The canonical address of a provider in the bundled registry is one its endpoint takes.
    #[test]
    fn registry_providers_resolve_through_their_endpoints() {
        for (input, endpoint_host) in [
            (
                "https://embed.acast.com/adambuxton/ep.12-adam-joeschristmaspodcast2015",
                "oembed.acast.com",
            ),
            (
                "https://omny.fm/shows/the-origin-of-things/a-song-of-hope/embed",
                "omny.fm",
            ),
            (
                "https://embeds.audioboom.com/posts/2493448/embed/v4",
                "audioboom.com",
            ),
            (
                "https://www.scribd.com/embeds/110799637/content",
                "www.scribd.com",
            ),
            (
                "https://e.issuu.com/embed.html?d=pfa_36_-_2019&u=verticaltalk",
                "issuu.com",
            ),
            (
                "https://fast.wistia.net/embed/iframe/sh7fpupwlt",
                "fast.wistia.com",
            ),
            ("https://rumble.com/embed/v5pv5f/", "rumble.com"),
            (
                "https://fr.slideshare.net/someone/a-deck",
                "www.slideshare.net",
            ),
            (
                "https://www.loom.com/embed/ddcf1c1ad21f451ea7468b1e33917e4e",
                "www.loom.com",
            ),
            (
                "https://players.brightcove.net/1143621176001/YJXhO2osU_default/index.html?videoId=6354029086112",
                "oembed.brightcove.com",
            ),
        ] {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            let canonical = Url::parse(&got.canonical_url).unwrap();
            let found = endpoint(&canonical)
                .unwrap_or_else(|| panic!("no registry endpoint for {canonical}"));
            assert_eq!(found.url.host_str(), Some(endpoint_host), "{input}");
        }
    }
}
