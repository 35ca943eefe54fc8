//! The AMP components of the providers with readers of their own (`amp-vine`, and the players
//! of [`players`](super::players)): each names its item by id in data attributes (the attribute
//! names are those of the components' validator tests in ampproject/amphtml), which become the
//! address the readers take.

use scraper::ElementRef;
use url::Url;

use crate::platforms::markup::{Candidate, ElementForm, Marker, amp_id, amp_id_candidate};

/// The providers' AMP components, `amp-vine` and the players', in the order they are tried.
pub(super) static FORMS: [ElementForm; 6] = [
    ElementForm {
        marker: Marker::Tag("amp-vine"),
        read: vine,
    },
    ElementForm {
        marker: Marker::Tag("amp-megaphone"),
        read: megaphone,
    },
    ElementForm {
        marker: Marker::Tag("amp-wistia-player"),
        read: wistia,
    },
    ElementForm {
        marker: Marker::Tag("amp-jwplayer"),
        read: jwplayer,
    },
    ElementForm {
        marker: Marker::Tag("amp-brightcove"),
        read: brightcove,
    },
    ElementForm {
        marker: Marker::Tag("amp-kaltura-player"),
        read: kaltura,
    },
];

/// `<amp-vine data-vineid="ID">`.
fn vine(el: ElementRef<'_>, _base: &Url) -> Option<Candidate> {
    amp_id_candidate(el, "data-vineid", "https://vine.co/v/{}")
}

/// `<amp-megaphone data-episode="ID">` (a `data-playlist` plays many episodes).
fn megaphone(el: ElementRef<'_>, _base: &Url) -> Option<Candidate> {
    amp_id_candidate(el, "data-episode", "https://player.megaphone.fm/{}")
}

/// `<amp-wistia-player data-media-hashed-id="ID">`.
fn wistia(el: ElementRef<'_>, _base: &Url) -> Option<Candidate> {
    amp_id_candidate(
        el,
        "data-media-hashed-id",
        "https://fast.wistia.com/embed/iframe/{}",
    )
}

/// `<amp-jwplayer data-player-id="…" data-media-id="ID">` (a `data-playlist-id` plays many).
fn jwplayer(el: ElementRef<'_>, _base: &Url) -> Option<Candidate> {
    amp_id_candidate(
        el,
        "data-media-id",
        "https://content.jwplatform.com/previews/{}",
    )
}

/// `<amp-brightcove data-account="N" data-player-id="P" data-video-id="ID">`: the player and
/// its embed are `default` when left out, and the video id may be a `ref:` reference.
fn brightcove(el: ElementRef<'_>, _base: &Url) -> Option<Candidate> {
    let e = el.value();
    let account = amp_id(el, "data-account")?;
    let player = amp_id(el, "data-player-id")
        .or_else(|| amp_id(el, "data-player"))
        .unwrap_or("default");
    let embed = amp_id(el, "data-embed").unwrap_or("default");
    let video = e.attr("data-video-id").map(str::trim)?;
    let mut url = Url::parse(&format!(
        "https://players.brightcove.net/{account}/{player}_{embed}/index.html"
    ))
    .ok()?;
    url.query_pairs_mut().append_pair("videoId", video);
    Candidate::new(vec![url], e.name())
}

/// `<amp-kaltura-player data-partner="N" data-uiconf="U" data-entryid="ID">`, on Kaltura's
/// own service (a `data-service-url` names a partner's own server, which is not Kaltura's).
fn kaltura(el: ElementRef<'_>, _base: &Url) -> Option<Candidate> {
    let e = el.value();
    if e.attr("data-service-url").is_some() {
        return None;
    }
    let partner = amp_id(el, "data-partner")?;
    let entry = amp_id(el, "data-entryid")?;
    let ui = amp_id(el, "data-uiconf")
        .map(|u| format!("/uiconf_id/{u}"))
        .unwrap_or_default();
    let url = Url::parse(&format!(
        "https://cdnapisec.kaltura.com/p/{partner}/sp/{partner}00/embedIframeJs{ui}/partner_id/{partner}?iframeembed=true&entry_id={entry}"
    ))
    .ok()?;
    Candidate::new(vec![url], e.name())
}
