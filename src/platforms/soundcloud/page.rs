//! What SoundCloud's own track page says once the shared page reader has read it; it is read
//! when oEmbed cannot decide. A 2018 page (`tests/fixtures/samples/soundcloud/peer-page-*`)
//! names its uploader in `soundcloud:user` (the account's page) and keeps a schema.org
//! `MusicRecording` for clients without script, inside `<noscript>`: its `byArtist` name and its
//! `<time pubdate>` are the artist and the upload time. That block is read only when its own
//! `url` is the track's path, so a page that lists other tracks never lends their fields.
//!
//! The web app's pages (a 2024 one in `tests/fixtures/samples/soundcloud/peer-page-*-hydration`)
//! have neither: the track is in the `window.__sc_hydration` script, an array of
//! `{"hydratable": NAME, "data": …}` whose `sound` holds the track with its `created_at` and its
//! `user` (`username`, `permalink_url`). That too is read only when the sound's own
//! `permalink_url` is the track's path.

use scraper::{ElementRef, Html, Selector};
use url::Url;

use crate::model::PostContent;
use crate::platforms::oembed_endpoint::handle_from_profile;
use crate::platforms::page::meta;
use crate::platforms::readers::{non_empty, parse_document, parse_fragment, reread};

/// The post with what its page's SoundCloud-specific parts add, where it had nothing.
pub(super) fn refine(mut content: PostContent, page_url: &str) -> PostContent {
    let Ok(page_url) = Url::parse(page_url) else {
        return content;
    };
    let Some(doc) = reread(&content).map(|html| parse_document(&html)) else {
        return content;
    };
    let page = meta::read_doc(&doc, &page_url);
    if content.author_url.is_none()
        && let Some(user) = page
            .meta("soundcloud:user")
            .and_then(|u| Url::parse(u).ok())
            .filter(|u| u.host_str() == Some("soundcloud.com"))
    {
        content.author_handle = content
            .author_handle
            .or_else(|| handle_from_profile(user.as_str()));
        content.author_url = Some(user.to_string());
    }
    if let Some(recording) = recording(&doc, page_url.path()) {
        content.author_name = content.author_name.or(recording.artist);
        content.published_at = content.published_at.or(recording.published);
    }
    let hydrated = reread(&content).and_then(|html| hydrated_sound(&html, page_url.path()));
    if let Some(sound) = hydrated {
        if content.author_url.is_none()
            && let Some(user) = sound.user_url
        {
            content.author_handle = content.author_handle.or_else(|| handle_from_profile(&user));
            content.author_url = Some(user);
        }
        content.author_name = content.author_name.or(sound.recording.artist);
        content.published_at = content.published_at.or(sound.recording.published);
    }
    content
}

/// The track as the web app's `__sc_hydration` script states it.
#[derive(Debug, Default, PartialEq)]
struct HydratedSound {
    recording: Recording,
    /// The uploader's page on soundcloud.com.
    user_url: Option<String>,
}

/// The `sound` of the page's `window.__sc_hydration` array, when its `permalink_url` is `path`.
fn hydrated_sound(html: &str, path: &str) -> Option<HydratedSound> {
    const NAME: &str = "__sc_hydration";
    let at = html.find(NAME)? + NAME.len();
    let rest = html[at..].trim_start().strip_prefix('=')?.trim_start();
    if !rest.starts_with('[') {
        return None;
    }
    let items: Vec<serde_json::Value> = serde_json::Deserializer::from_str(rest)
        .into_iter()
        .next()?
        .ok()?;
    let sound = items
        .iter()
        .filter(|item| item.get("hydratable").and_then(|h| h.as_str()) == Some("sound"))
        .filter_map(|item| item.get("data"))
        .find(|data| {
            data.get("permalink_url")
                .and_then(|u| u.as_str())
                .is_some_and(|u| same_path(u, path))
        })?;
    let text = |v: Option<&serde_json::Value>| {
        v.and_then(|v| v.as_str())
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    let user = sound.get("user");
    let user_url = text(user.and_then(|u| u.get("permalink_url")))
        .filter(|u| Url::parse(u).is_ok_and(|u| u.host_str() == Some("soundcloud.com")));
    Some(HydratedSound {
        recording: Recording {
            artist: text(user.and_then(|u| u.get("username"))),
            published: text(sound.get("created_at")).and_then(|t| meta::parse_time(&t)),
        },
        user_url,
    })
}

/// The page's schema.org recording of the track at `path`.
#[derive(Debug, Default, PartialEq)]
struct Recording {
    artist: Option<String>,
    published: Option<chrono::DateTime<chrono::Utc>>,
}

fn recording(doc: &Html, path: &str) -> Option<Recording> {
    let article = Selector::parse(r#"[itemtype$="schema.org/MusicRecording"]"#).ok()?;
    if let Some(found) = doc.select(&article).find_map(|a| read(a, path)) {
        return Some(found);
    }
    // With scripting on, as browsers parse, a `<noscript>` holds raw text: parse it apart.
    let noscript = Selector::parse("noscript").ok()?;
    doc.select(&noscript)
        .map(|n| n.text().collect::<String>())
        .filter(|text| text.contains("MusicRecording"))
        .find_map(|text| {
            let inner = parse_fragment(&text);
            inner.select(&article).find_map(|a| read(a, path))
        })
}

/// One `MusicRecording` element, when its `url` is `path`.
fn read(article: ElementRef<'_>, path: &str) -> Option<Recording> {
    let select = |s: &str| Selector::parse(s).ok();
    let own = article
        .select(&select(r#"[itemprop="url"]"#)?)
        .next()
        .and_then(|a| a.value().attr("href").or_else(|| a.value().attr("content")))
        .is_some_and(|u| same_path(u, path));
    if !own {
        return None;
    }
    let artist = article
        .select(&select(r#"[itemprop="byArtist"] [itemprop="name"]"#)?)
        .find_map(|m| non_empty(m.value().attr("content").map(str::trim)))
        .map(str::to_owned);
    let published = article
        .select(&select("time[pubdate], time[datetime]")?)
        .find_map(|t| {
            let value = t.value().attr("datetime").map(str::to_owned);
            let value = value.unwrap_or_else(|| t.text().collect::<String>());
            meta::parse_time(value.trim())
        });
    Some(Recording { artist, published })
}

/// Whether `url` (relative or absolute) names `path` on soundcloud.com, ignoring a final `/` and
/// case.
fn same_path(url: &str, path: &str) -> bool {
    let base = Url::parse("https://soundcloud.com/").ok();
    let Some(url) = base.and_then(|b| b.join(url).ok()) else {
        return false;
    };
    url.host_str() == Some("soundcloud.com")
        && url
            .path()
            .trim_end_matches('/')
            .eq_ignore_ascii_case(path.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOCK: &str = r#"<noscript><article itemscope itemtype="http://schema.org/MusicRecording">
        <h1 itemprop="name"><a itemprop="url" href="/smixx/developers">Developers</a></h1>
        published on <time pubdate>2011-04-22T19:16:30Z</time>
        <div itemscope itemprop="byArtist" itemtype="http://schema.org/MusicGroup"><meta itemprop="name" content="Smixx" /></div>
        </article></noscript>"#;

    #[test]
    fn the_tracks_own_recording_gives_artist_and_time() {
        let doc = parse_document(BLOCK);
        let got = recording(&doc, "/smixx/developers/").expect("the block");
        assert_eq!(got.artist.as_deref(), Some("Smixx"));
        assert_eq!(
            got.published.map(|t| t.to_rfc3339()).as_deref(),
            Some("2011-04-22T19:16:30+00:00")
        );
        // Another track's block lends nothing.
        assert_eq!(recording(&doc, "/smixx/another-track"), None);
    }

    #[test]
    fn the_web_apps_hydration_gives_uploader_and_time() {
        // The shape of the 2024 page's script, other tracks' sounds before the page's own.
        let html = r#"<script>window.__sc_hydration = [{"hydratable":"anonymousId","data":"x"},
            {"hydratable":"sound","data":{"permalink_url":"https://soundcloud.com/other/track","created_at":"2020-01-01T00:00:00Z","user":{"username":"Other","permalink_url":"https://soundcloud.com/other"}}},
            {"hydratable":"sound","data":{"permalink_url":"https://soundcloud.com/beautybrainsp/swag","created_at":"2014-01-27T16:19:55Z","user":{"username":"Beauty Brain","permalink_url":"https://soundcloud.com/beautybrainsp"}}}];</script>"#;
        let got = hydrated_sound(html, "/beautybrainsp/swag").expect("the sound");
        assert_eq!(got.recording.artist.as_deref(), Some("Beauty Brain"));
        assert_eq!(
            got.recording.published.map(|t| t.to_rfc3339()).as_deref(),
            Some("2014-01-27T16:19:55+00:00")
        );
        assert_eq!(
            got.user_url.as_deref(),
            Some("https://soundcloud.com/beautybrainsp")
        );
        assert_eq!(hydrated_sound(html, "/beautybrainsp/another"), None);
        assert_eq!(hydrated_sound("window.__sc_hydration = [{", "/a/b"), None);
    }

    #[test]
    fn the_uploader_comes_from_the_account_meta() {
        let html = format!(
            r#"<meta property="soundcloud:user" content="https://soundcloud.com/smixx">{BLOCK}"#
        );
        let content = PostContent {
            raw: vec![crate::model::RawBody {
                url: String::new(),
                content_type: None,
                bytes: html.into_bytes(),
            }],
            ..PostContent::default()
        };
        let got = refine(content, "https://soundcloud.com/smixx/developers");
        assert_eq!(got.author_handle.as_deref(), Some("smixx"));
        assert_eq!(
            got.author_url.as_deref(),
            Some("https://soundcloud.com/smixx")
        );
        assert_eq!(got.author_name.as_deref(), Some("Smixx"));
        assert!(got.published_at.is_some());
    }
}
