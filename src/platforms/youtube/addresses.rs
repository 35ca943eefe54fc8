//! The addresses every YouTube video and playlist has, whichever source answers: the canonical
//! watch and playlist pages, the default poster, the channel handle a channel URL carries, and the
//! walls (consent, captcha) that stand at a final URL instead of YouTube itself. Pure: nothing
//! here fetches or classifies.

use url::Url;

use crate::platforms::readers::constant_url;
use crate::platforms::url_util::host_within;

/// `hqdefault.jpg` exists for every video and is always 480×360; it stands in when an answer
/// names no thumbnail.
const HQDEFAULT_SIZE: (u32, u32) = (480, 360);

/// The canonical watch URL of a video: `https://www.youtube.com/watch?v=ID`.
pub fn watch_url(video_id: &str) -> Url {
    let mut url = constant_url("https://www.youtube.com/watch");
    url.query_pairs_mut().append_pair("v", video_id);
    url
}

/// The canonical URL of a playlist: `https://www.youtube.com/playlist?list=ID`.
pub fn playlist_url(list_id: &str) -> Url {
    let mut url = constant_url("https://www.youtube.com/playlist");
    url.query_pairs_mut().append_pair("list", list_id);
    url
}

/// What a final URL says when it is a wall in front of YouTube rather than YouTube itself.
pub fn interstitial(url: &str) -> Option<&'static str> {
    let url = Url::parse(url).ok()?;
    let host = url.host_str().unwrap_or_default();
    if host == "consent.youtube.com" || host == "consent.google.com" {
        Some("consent page")
    } else if host_within(host, "google.com") && url.path().starts_with("/sorry") {
        Some("captcha (google.com/sorry)")
    } else {
        None
    }
}

/// The thumbnail every video has, for answers that name none.
pub fn default_thumbnail(video_id: &str) -> String {
    format!("https://i.ytimg.com/vi/{video_id}/hqdefault.jpg")
}

/// The thumbnail size of [`default_thumbnail`].
pub fn default_thumbnail_size() -> (u32, u32) {
    HQDEFAULT_SIZE
}

/// A channel URL as the oEmbed answer writes it: watch pages name the channel with `http://`
/// (`ownerProfileUrl`), oEmbed with `https://`, and a snapshot from either source must name it
/// alike, or a change of source would read as a change of author. Other addresses are kept.
pub fn secure_channel_url(channel_url: String) -> String {
    match Url::parse(&channel_url) {
        Ok(mut url)
            if url.scheme() == "http"
                && url
                    .host_str()
                    .is_some_and(|h| host_within(&h.to_ascii_lowercase(), "youtube.com")) =>
        {
            // Ignoring the error is right: http → https is always a valid scheme change.
            let _ = url.set_scheme("https");
            url.into()
        }
        _ => channel_url,
    }
}

/// The `@handle` of a channel URL such as `https://www.youtube.com/@smshdchrb`, without the
/// `@`. Legacy `/user/NAME` and `/channel/UC…` URLs carry no handle.
pub fn handle_from_channel_url(channel_url: &str) -> Option<String> {
    let url = Url::parse(channel_url).ok()?;
    let first = url.path_segments()?.next()?;
    let handle = first.strip_prefix('@')?;
    let decoded = percent_encoding::percent_decode_str(handle).decode_utf8_lossy();
    (!decoded.is_empty()).then(|| decoded.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_urls_are_named_with_https() {
        for (given, want) in [
            (
                "http://www.youtube.com/@chan",
                "https://www.youtube.com/@chan",
            ),
            ("http://YouTube.com/user/x", "https://youtube.com/user/x"),
            (
                "https://www.youtube.com/channel/UC1",
                "https://www.youtube.com/channel/UC1",
            ),
            // Not YouTube's: kept as written.
            (
                "http://example.com/youtube.com",
                "http://example.com/youtube.com",
            ),
            ("http://notyoutube.com/@x", "http://notyoutube.com/@x"),
            ("not a url", "not a url"),
        ] {
            assert_eq!(secure_channel_url(given.to_owned()), want, "{given}");
        }
    }
}
