//! What Spotify's own item page (`open.spotify.com/TYPE/ID`) says once the shared page reader
//! has read it; it is read when oEmbed cannot decide. Episode pages recorded in 2025
//! (`tests/fixtures/samples/spotify/peer-page-episode-*`) write:
//!
//! - `og:description` `SHOW · Episode`: the show is the episode's author, and the page's
//!   `description`, `Listen to this episode from SHOW on Spotify. TEXT`, holds its text;
//! - `music:release_date`, the release to the second (`2025-06-05T17:00:00Z`), where the
//!   JSON-LD gives the day alone.
//!
//! An episode page of early 2024 (`peer-page-episode-*-2024-listen-line`) has no such card line:
//! both descriptions open with `Listen to this episode from SHOW on Spotify.`, the only place the
//! show is named, and the episode's text follows.
//!
//! Track and album pages recorded in 2024 (`tests/fixtures/samples/spotify/peer-page-*-2024`)
//! write `og:description` `ARTIST · Song · YEAR` or `ARTIST · Album · YEAR · N songs.` (`Single`,
//! `EP`, `Compilation` likewise): the artist is the item's author and the line is no text of the
//! item's, as an episode's is not.
//!
//! Show pages (`peer-page-show-*-2024`) open their description with `Listen to TITLE on
//! Spotify.`, which is the page's line, not the show's: the text is what follows it.
//!
//! Anything else the page says is kept as the shared reader read it.

use url::Url;

use crate::model::PostContent;
use crate::platforms::page::meta;
use crate::platforms::readers::reread;

/// The card line of an episode page after the show's name.
const EPISODE_LINE: &str = " · Episode";

/// How an episode page's description opens: `Listen to this episode from SHOW on Spotify.`
const LISTEN_OPENING: (&str, &str) = ("Listen to this episode from ", " on Spotify.");

/// The show an episode page's description names in its opening line, for pages without the
/// `SHOW · Episode` card line.
fn listen_line_show(description: &str) -> Option<&str> {
    let (opening, closing) = LISTEN_OPENING;
    let (show, _) = description.strip_prefix(opening)?.split_once(closing)?;
    let show = show.trim();
    (!show.is_empty()).then_some(show)
}

/// The kinds a music item's card line names after its artist.
const MUSIC_KINDS: &[&str] = &["Song", "Album", "Single", "EP", "Compilation"];

/// The artist a track's or album's card line (`ARTIST · Song · 2013`) names first, or, in the
/// line of the pages of about 2013, last (`TITLE, an album by ARTIST on Spotify`).
fn card_artist(line: &str) -> Option<&str> {
    let mut parts = line.split(" · ");
    let artist = parts.next()?.trim();
    let kind = parts.next().map(str::trim);
    if kind.is_some_and(|k| MUSIC_KINDS.contains(&k)) && !artist.is_empty() {
        return Some(artist);
    }
    let rest = line.trim().strip_suffix(" on Spotify")?;
    OLD_CARD_LEADS
        .iter()
        .find_map(|lead| rest.rsplit_once(lead))
        .map(|(_, artist)| artist.trim())
        .filter(|a| !a.is_empty())
}

/// What names the artist in the card line of the pages of about 2013.
const OLD_CARD_LEADS: &[&str] = &[", an album by ", ", a song by ", ", a single by "];

/// The post as its page's Spotify-specific lines describe it.
pub(super) fn refine(mut content: PostContent, page_url: &str) -> PostContent {
    let Ok(page_url) = Url::parse(page_url) else {
        return content;
    };
    let Some(page) = reread(&content).map(|html| meta::read(&html, &page_url)) else {
        return content;
    };
    let show = page
        .meta("og:description")
        .and_then(|d| d.strip_suffix(EPISODE_LINE))
        .map(str::trim)
        .filter(|show| !show.is_empty())
        .or_else(|| page.meta("description").and_then(listen_line_show))
        .map(str::to_owned);
    let released = page.meta("music:release_date").and_then(meta::parse_time);
    if let Some(line) = page.meta("og:description")
        && let Some(artist) = card_artist(line)
    {
        content.author_name = content.author_name.or(Some(artist.to_owned()));
        // The card line says who and what the item is, not what it says.
        if content.text.as_deref().map(str::trim) == Some(line) {
            content.text = None;
        }
    }
    if let Some(show) = show {
        let (opening, closing) = LISTEN_OPENING;
        let intro = format!("{opening}{show}{closing}");
        let text = page
            .meta("description")
            .and_then(|d| d.strip_prefix(&intro))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        // The card line names the show, and the opening line is the page's: neither is what
        // the episode says.
        if content
            .text
            .as_deref()
            .is_some_and(|t| t.ends_with(EPISODE_LINE) || t.starts_with(&intro))
        {
            content.text = text;
        }
        content.author_name = content.author_name.or(Some(show));
    }
    // Show, playlist and artist pages open their description with "Listen to TITLE on
    // Spotify.": the page's words, not the item's.
    if let Some(title) = content.title.as_deref() {
        let intro = format!("Listen to {title} on Spotify.");
        if let Some(text) = content.text.as_deref()
            && let Some(own) = text.strip_prefix(&intro)
        {
            let own = own.trim();
            content.text = (!own.is_empty()).then(|| own.to_owned());
        }
    }
    // The more precise time of the same day (or the only one).
    if let Some(released) = released
        && content
            .published_at
            .is_none_or(|day| day.date_naive() == released.date_naive())
    {
        content.published_at = Some(released);
    }
    content
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RawBody;

    fn page_of(head: &str) -> PostContent {
        PostContent {
            text: Some("The Show · Episode".into()),
            published_at: meta::parse_time("2025-06-05"),
            raw: vec![RawBody {
                url: String::new(),
                content_type: None,
                bytes: head.as_bytes().to_vec(),
            }],
            ..PostContent::default()
        }
    }

    const URL: &str = "https://open.spotify.com/episode/5Q2dkZHfnGb2Y4BzzoBu2G";

    #[test]
    fn an_episode_page_names_its_show_text_and_time() {
        let got = refine(
            page_of(
                r#"<meta property="og:description" content="The Show · Episode">
                <meta name="description" content="Listen to this episode from The Show on Spotify. Three comics talk.">
                <meta name="music:release_date" content="2025-06-05T17:00:00Z">"#,
            ),
            URL,
        );
        assert_eq!(got.author_name.as_deref(), Some("The Show"));
        assert_eq!(got.text.as_deref(), Some("Three comics talk."));
        assert_eq!(
            got.published_at.map(|t| t.to_rfc3339()).as_deref(),
            Some("2025-06-05T17:00:00+00:00")
        );
    }

    #[test]
    fn a_track_or_album_page_names_its_artist() {
        let mut track =
            page_of(r#"<meta property="og:description" content="Justice, Other · Song · 2013">"#);
        track.text = Some("Justice, Other · Song · 2013".into());
        let got = refine(track, URL);
        assert_eq!(got.author_name.as_deref(), Some("Justice, Other"));
        assert_eq!(got.text, None);
        let mut album = page_of(
            r#"<meta property="og:description" content="Justice · Album · 2012 · 14 songs.">"#,
        );
        album.text = Some("Justice · Album · 2012 · 14 songs.".into());
        let got = refine(album, URL);
        assert_eq!(got.author_name.as_deref(), Some("Justice"));
        assert_eq!(got.text, None);
        // The line of the pages of about 2013 (discourse/onebox's recording of an album page).
        let line = "Keep Moving Forward EP, an album by Bubble on Spotify";
        let mut old = page_of(&format!(
            r#"<meta property="og:description" content="{line}">"#
        ));
        old.text = Some(line.into());
        let got = refine(old, URL);
        assert_eq!(got.author_name.as_deref(), Some("Bubble"));
        assert_eq!(got.text, None);
        assert_eq!(card_artist("A song, by the way, of mine"), None);
    }

    /// A show page (recorded in 2024) describes the show after the page's own "Listen to …"
    /// line.
    #[test]
    fn a_show_page_keeps_its_description_without_the_pages_words() {
        let show = "https://open.spotify.com/show/4kYCRYJ3yK5DQbP5tbfZby";
        let answer = crate::platforms::replay::fixture_answer(
            show,
            200,
            "text/html",
            "spotify/peer-page-show-4kYCRYJ3yK5DQbP5tbfZby-2024.html",
        );
        let Ok(page_url) = Url::parse(show) else {
            panic!("test URL");
        };
        let crate::platforms::Resolution::Live(read) =
            crate::platforms::page::classify(&answer, &page_url).0
        else {
            panic!("the recorded show page reads as live");
        };
        assert_eq!(
            read.title.as_deref(),
            Some("Syntax - Tasty Web Development Treats")
        );
        let got = refine(read, show);
        assert_eq!(
            got.text.as_deref(),
            Some("A Tasty Treat Podcast for Web Developers")
        );
        // A description that is nothing but the line leaves no text.
        let mut bare = page_of("");
        bare.title = Some("Mix".into());
        bare.text = Some("Listen to Mix on Spotify.".into());
        assert_eq!(refine(bare, URL).text, None);
    }

    /// The recorded episode page `file` of `episode`, read and refined as the resolver does.
    fn recorded_episode(episode: &str, file: &str) -> PostContent {
        let answer = crate::platforms::replay::fixture_answer(episode, 200, "text/html", file);
        let Ok(page_url) = Url::parse(episode) else {
            panic!("test URL");
        };
        let crate::platforms::Resolution::Live(read) =
            crate::platforms::page::classify(&answer, &page_url).0
        else {
            panic!("the recorded episode page {file} reads as live");
        };
        refine(read, episode)
    }

    /// An episode page of early 2024 has no `SHOW · Episode` card line: only its "Listen to this
    /// episode from SHOW on Spotify." opening names the show.
    #[test]
    fn an_episode_page_without_a_card_line_names_its_show_from_the_listen_line() {
        let got = recorded_episode(
            "https://open.spotify.com/episode/64TORH3xleuD1wcnFsrH1E",
            "spotify/peer-page-episode-64TORH3xleuD1wcnFsrH1E-2024-listen-line.html",
        );
        assert_eq!(got.title.as_deref(), Some("Hasty Treat - Modules in Node"));
        assert_eq!(
            got.author_name.as_deref(),
            Some("Syntax - Tasty Web Development Treats")
        );
        let text = got.text.unwrap_or_default();
        assert!(
            text.starts_with("In this Hasty Treat, Scott and Wes talk about modules in Node"),
            "{text}"
        );
        assert_eq!(
            got.published_at.map(|t| t.to_rfc3339()).as_deref(),
            Some("2020-01-06T14:00:00+00:00")
        );
    }

    /// An episode page of 2023, likewise without the card line (its show is "mixx.io").
    #[test]
    fn an_episode_page_of_2023_names_its_show_from_the_listen_line() {
        let got = recorded_episode(
            "https://open.spotify.com/episode/5Q5B9gC4PnWVo0DTp4gZ3G",
            "spotify/peer-page-episode-5Q5B9gC4PnWVo0DTp4gZ3G-2023.html",
        );
        assert_eq!(got.title.as_deref(), Some("La molécula que falta"));
        assert_eq!(got.author_name.as_deref(), Some("mixx.io"));
        let text = got.text.unwrap_or_default();
        assert!(text.starts_with("🙏 Disculpad la espera."), "{text}");
        assert_eq!(
            got.published_at.map(|t| t.to_rfc3339()).as_deref(),
            Some("2023-08-09T01:56:00+00:00")
        );
    }

    #[test]
    fn other_pages_are_kept_as_read() {
        // A card line of no music kind, and a release time on another day than the page's own
        // date.
        let got = refine(
            page_of(
                r#"<meta property="og:description" content="Artist · Playlist · 2018">
                <meta name="music:release_date" content="2019-01-01T00:00:00Z">"#,
            ),
            URL,
        );
        assert_eq!(got.author_name, None);
        assert_eq!(got.text.as_deref(), Some("The Show · Episode"));
        assert_eq!(
            got.published_at.map(|t| t.to_rfc3339()).as_deref(),
            Some("2025-06-05T00:00:00+00:00")
        );
    }
}
