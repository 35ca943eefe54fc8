//! The YouTube watch page, read for the `ytInitialPlayerResponse` object it embeds: the
//! playability verdict (the only place YouTube says *why* a video cannot be played), the title,
//! the description, the publication date and the poster. It enriches the oEmbed answer and stands in for it when
//! oEmbed cannot decide.
//!
//! Pages of about 2017 to 2020 give the same object only as a JSON string in `ytplayer.config`;
//! a page without either is read from its metadata instead (`watch_meta`), where the metadata
//! presents the video asked for.
//!
//! A watch page is often not about the video at all: EU consent interstitials, `google.com/sorry`
//! captchas and "confirm you're not a bot" walls. Those are transient, never gone.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

use super::addresses::{
    default_thumbnail, default_thumbnail_size, handle_from_channel_url, interstitial,
    secure_channel_url, watch_url,
};
use super::error::YoutubeError;
use crate::model::{MediaKind, MediaRef, PostContent, Resolution};
use crate::platforms::readers::{non_empty, snippet};
use crate::platforms::source::Answer;
use crate::platforms::verdict::{self, Field};

/// The `source` name of verdicts read from the watch page.
pub const SOURCE: &str = "youtube-watch";

/// What makes a playable page a live video: `videoDetails` names the title and the channel, and
/// the microformat the publication date. The thumbnail does not count: it follows from the id.
const IDENTIFYING: &[Field] = &[Field::Text, Field::Author, Field::Published];

/// What a readable watch page says about the video.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchPage {
    pub title: Option<String>,
    pub channel_name: Option<String>,
    pub channel_url: Option<String>,
    pub description: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    /// The poster the microformat names (the widest), when it names one.
    pub poster: Option<Poster>,
}

/// A video's poster image and its size.
#[derive(Debug, Clone, PartialEq)]
pub struct Poster {
    pub url: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

pub use crate::platforms::page_fallback::NotLive;

/// Classify one watch-page answer for `video_id` (pure: the answer is already fetched).
pub fn classify(answer: &Answer, video_id: &str) -> Resolution {
    match read(answer, video_id) {
        Ok(page) => verdict::live(page.into_content(answer, video_id), IDENTIFYING),
        Err(not_live) => not_live.into_resolution(SOURCE),
    }
}

/// Read a watch page that shows a live (possibly restricted) video, or what it says instead.
pub fn read(answer: &Answer, video_id: &str) -> Result<WatchPage, NotLive> {
    let transient = NotLive::Transient;
    if let Some(wall) = interstitial(&answer.url) {
        return Err(transient(format!(
            "watch page redirected to a {wall}: {}",
            answer.url
        )));
    }
    if answer.status != 200 {
        // A missing video answers 200 with an ERROR playability status; any other status is
        // about the request (rate limit, outage), not the video.
        return Err(transient(format!(
            "watch page HTTP {}: {}",
            answer.status,
            snippet(&answer.body)
        )));
    }
    let html = String::from_utf8_lossy(&answer.body);
    let player = match player_response(&html, &answer.url) {
        Ok(player) => player,
        // A player response that is there but unreadable is named as such: a real watch page
        // links to consent.youtube.com and loads reCAPTCHA too, so its wall markers say
        // nothing once the page is known to be a watch page.
        Err(e @ YoutubeError::NoPlayerResponse { .. }) => {
            return match wall_in_body(&html) {
                Some(wall) => Err(transient(format!("watch page is a {wall}: {}", answer.url))),
                None => {
                    older_layout(&html, video_id).unwrap_or_else(|| Err(transient(e.to_string())))
                }
            };
        }
        Err(e) => return Err(transient(e.to_string())),
    };
    verdict(player, video_id)
}

/// Read a page of an older layout, which has no `ytInitialPlayerResponse`; `None` when it says
/// nothing that can be read.
///
/// Pages of about 2017 to 2020 carry the player response only as a JSON string in the `args`
/// of `ytplayer.config`: it is read like the newer object (its `videoDetails` name the channel
/// where the page's metadata does not), with the metadata filling what it lacks, and only
/// there (a 2017 scheduled stream's) where the status shows the video but no `videoDetails`
/// come with it. A string that does not read may say the video cannot play, so such a page is
/// not read at all. A page without player data at all still shows the video where its own
/// metadata names it, or says the id never was a video.
fn older_layout(html: &str, video_id: &str) -> Option<Result<WatchPage, NotLive>> {
    let meta = || super::watch_meta::read(html, video_id);
    let player = match config_player_response(html) {
        None => {
            return meta().map(Ok).or_else(|| {
                does_not_exist(html)
                    .map(|said| Err(NotLive::Gone(format!("watch page says {said:?}"))))
            });
        }
        Some(Ok(player)) => player,
        Some(Err(e)) => {
            return Some(Err(NotLive::Transient(format!(
                "unreadable player_response in ytplayer.config: {e}"
            ))));
        }
    };
    if let Err(not_live) = playability(&player, video_id) {
        return Some(Err(not_live));
    }
    if player.video_details.is_none()
        && let Some(page) = meta()
    {
        return Some(Ok(page));
    }
    Some(verdict(player, video_id).map(|page| page.filled_from(meta())))
}

/// The message box of a page of about 2017 to 2019 without player data, when it says the id
/// never was a video.
///
/// Only that exact English wording counts: the same box (`#unavailable-message`) said "This
/// video is unavailable." for region blocks as well as removals, and every page of that layout
/// carries it, hidden, even a playable video's. A box in another language stays unreadable.
fn does_not_exist(html: &str) -> Option<&'static str> {
    const SAID: &str = "This video does not exist.";
    if !html.contains("unavailable-message") || !html.contains(SAID) {
        return None;
    }
    let doc = crate::platforms::readers::parse_document(html);
    let selector = scraper::Selector::parse("#unavailable-message").ok()?;
    let text: String = doc.select(&selector).next()?.text().collect();
    (text.split_whitespace().collect::<Vec<_>>().join(" ") == SAID).then_some(SAID)
}

/// The player response an older page gives as the JSON string `"player_response":"{...}"` in
/// the `args` of its `ytplayer.config`, when it gives one.
fn config_player_response(html: &str) -> Option<Result<PlayerResponse, serde_json::Error>> {
    const KEY: &str = "\"player_response\":";
    if !html.contains("ytplayer.config") {
        return None;
    }
    let (at, _) = html.match_indices(KEY).next()?;
    // The string literal's own escapes are undone by the JSON parser, then its text is read as
    // the player response.
    let mut de = serde_json::Deserializer::from_str(html[at + KEY.len()..].trim_start());
    Some(String::deserialize(&mut de).and_then(|text| serde_json::from_str(&text)))
}

/// Name the wall a page without player data shows, if it is a known one.
fn wall_in_body(html: &str) -> Option<&'static str> {
    let lower = html.to_lowercase();
    if lower.contains("consent.youtube.com") || lower.contains("consent.google.com") {
        Some("consent page")
    } else if lower.contains("google.com/sorry") || lower.contains("recaptcha") {
        Some("captcha page")
    } else if is_bot_check(&lower) {
        Some("bot check (\"confirm you're not a bot\")")
    } else {
        None
    }
}

/// "Sign in to confirm you’re not a bot", in either apostrophe.
fn is_bot_check(lowercase: &str) -> bool {
    lowercase.replace('\u{2019}', "'").contains("not a bot")
}

/// What the player response's playability status says of the video: whether it shows it
/// restricted (an age gate, a block, a scheduled stream) with the status as evidence, or why it
/// does not show it.
fn playability(player: &PlayerResponse, video_id: &str) -> Result<(bool, String), NotLive> {
    let unknown = PlayabilityStatus::default();
    let playability = player.playability_status.as_ref().unwrap_or(&unknown);
    let status = playability.status.as_deref().unwrap_or_default();
    let reason = playability.reason().unwrap_or_default();
    // The error screen's second line is often the only specific part ("Video unavailable" /
    // "This video is not available."), so the evidence carries it too.
    let subreason = playability.subreason().unwrap_or_default();
    let said = match (reason.is_empty(), subreason.is_empty()) {
        (true, _) => format!("playabilityStatus {status}"),
        (false, true) => format!("playabilityStatus {status}: {reason}"),
        (false, false) => format!("playabilityStatus {status}: {reason} ({subreason})"),
    };
    let transient = NotLive::Transient;
    let gone = NotLive::Gone;
    // Every human line the status carries: a private video may name itself in any one of them
    // (the 2021 capture has no `reason`, "Private video" on the error screen and "This is a
    // private video." in `messages`).
    let mut lines = vec![reason.clone(), subreason];
    lines.extend(playability.messages());
    let lower_reason = lines.join(" ").to_lowercase();
    if is_bot_check(&lower_reason) {
        return Err(transient(format!("bot check: {said}")));
    }
    if let Some(details) = &player.video_details
        && let Some(shown) = details.video_id.as_deref()
        && shown != video_id
    {
        // Seen when YouTube substitutes another video; it says nothing about ours.
        return Err(transient(format!(
            "watch page shows video {shown:?}, not {video_id:?}"
        )));
    }
    let restricted = match status {
        "OK" => false,
        "ERROR" => return Err(gone(said)),
        "LOGIN_REQUIRED" if lower_reason.contains("private") => {
            return Err(gone(format!("private: {said}")));
        }
        // Age gates, embedding/geo blocks and scheduled streams: the video exists.
        "LOGIN_REQUIRED"
        | "AGE_CHECK_REQUIRED"
        | "AGE_VERIFICATION_REQUIRED"
        | "CONTENT_CHECK_REQUIRED"
        | "UNPLAYABLE"
        | "LIVE_STREAM_OFFLINE" => true,
        "" => return Err(transient("watch page has no playabilityStatus".into())),
        _ => return Err(transient(format!("unknown {said}"))),
    };
    Ok((restricted, said))
}

/// Turn the player response into the page's verdict.
fn verdict(player: PlayerResponse, video_id: &str) -> Result<WatchPage, NotLive> {
    let (restricted, said) = playability(&player, video_id)?;
    let Some(details) = player.video_details else {
        let what = if restricted { "restricted" } else { "playable" };
        return Err(NotLive::Transient(format!(
            "{what} ({said}) but no videoDetails"
        )));
    };
    let micro = player
        .microformat
        .and_then(|m| m.player_microformat_renderer)
        .unwrap_or_default();
    let published_at = published_at(&micro);
    let channel_url = non_empty(micro.owner_profile_url)
        .map(secure_channel_url)
        .or_else(|| {
            non_empty(details.channel_id).map(|id| format!("https://www.youtube.com/channel/{id}"))
        });
    let poster = micro
        .thumbnail
        .map(|t| t.thumbnails)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|t| {
            Some(Poster {
                url: non_empty(t.url)?,
                width: t.width,
                height: t.height,
            })
        })
        .max_by_key(|p| p.width.unwrap_or(0));
    Ok(WatchPage {
        title: non_empty(details.title),
        channel_name: non_empty(details.author),
        channel_url,
        description: non_empty(details.short_description),
        published_at,
        poster,
    })
}

impl WatchPage {
    /// This page, with what it lacks taken from `other` (the same video read another way).
    fn filled_from(self, other: Option<WatchPage>) -> WatchPage {
        let Some(other) = other else {
            return self;
        };
        WatchPage {
            title: self.title.or(other.title),
            channel_name: self.channel_name.or(other.channel_name),
            channel_url: self.channel_url.or(other.channel_url),
            description: self.description.or(other.description),
            published_at: self.published_at.or(other.published_at),
            poster: self.poster.or(other.poster),
        }
    }

    /// The post content of a video known only from its watch page.
    pub fn into_content(self, answer: &Answer, video_id: &str) -> PostContent {
        let poster = self.poster.unwrap_or_else(|| {
            let (width, height) = default_thumbnail_size();
            Poster {
                url: default_thumbnail(video_id),
                width: Some(width),
                height: Some(height),
            }
        });
        PostContent {
            source: SOURCE.into(),
            author_name: self.channel_name,
            author_handle: self
                .channel_url
                .as_deref()
                .and_then(handle_from_channel_url),
            author_url: self.channel_url,
            title: self.title,
            text: self.description,
            published_at: self.published_at,
            media: vec![MediaRef {
                kind: MediaKind::Video,
                url: watch_url(video_id).into(),
                image_url: Some(poster.url),
                width: poster.width,
                height: poster.height,
                ..MediaRef::default()
            }],
            raw: vec![answer.raw()],
            ..PostContent::default()
        }
    }
}

/// When the video was published. Pages give `publishDate` either with its time or as a bare
/// day; for a stream, a bare day is the day the broadcast started, and `liveBroadcastDetails`
/// has its start to the second: that is taken when it falls on the same day.
fn published_at(micro: &MicroformatRenderer) -> Option<DateTime<Utc>> {
    let (day, published) = [&micro.publish_date, &micro.upload_date]
        .into_iter()
        .flatten()
        .find_map(|d| Some((d, parse_date(d)?)))?;
    let started = micro
        .live_broadcast_details
        .as_ref()
        .and_then(|l| l.start_timestamp.as_deref())
        .and_then(parse_date);
    Some(match started {
        Some(start) if is_bare_day(day) && start.date_naive() == published.date_naive() => start,
        _ => published,
    })
}

/// Whether a microformat date names a day with no time (`2019-05-01`).
fn is_bare_day(text: &str) -> bool {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").is_ok()
}

/// A microformat date: a bare `2019-05-01` (read as midnight UTC) or full RFC 3339.
pub(super) fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

/// The parts of `ytInitialPlayerResponse` this resolver reads.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlayerResponse {
    playability_status: Option<PlayabilityStatus>,
    video_details: Option<VideoDetails>,
    microformat: Option<Microformat>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlayabilityStatus {
    status: Option<String>,
    reason: Option<String>,
    /// Carries the human reason when `reason` itself is absent.
    error_screen: Option<serde_json::Value>,
    /// Plain-text lines some answers give instead of `reason` (seen on a private video). Kept
    /// loose: a change in its shape must not make a whole live page unreadable.
    messages: Option<serde_json::Value>,
}

impl PlayabilityStatus {
    /// The human reason: `reason`, else the error screen's `reason` (plain or in text runs),
    /// else the first of `messages`.
    fn reason(&self) -> Option<String> {
        non_empty(self.reason.clone())
            .or_else(|| self.screen_text("reason"))
            .or_else(|| self.messages().into_iter().next())
    }

    /// The non-blank strings of `messages`; anything else there is ignored.
    fn messages(&self) -> Vec<String> {
        let Some(serde_json::Value::Array(items)) = &self.messages else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|m| non_empty(m.as_str()).map(str::to_owned))
            .collect()
    }

    /// The error screen's `subreason`: the line under the reason.
    fn subreason(&self) -> Option<String> {
        self.screen_text("subreason")
    }

    /// One text of the error screen, given plain (`simpleText`) or in `runs`.
    fn screen_text(&self, key: &str) -> Option<String> {
        let text = self
            .error_screen
            .as_ref()?
            .get("playerErrorMessageRenderer")?
            .get(key)?;
        if let Some(plain) = text.get("simpleText").and_then(|t| t.as_str()) {
            return non_empty(Some(plain.to_owned()));
        }
        let runs = text.get("runs")?.as_array()?;
        let joined: String = runs
            .iter()
            .filter_map(|r| r.get("text").and_then(|t| t.as_str()))
            .collect();
        non_empty(Some(joined))
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct VideoDetails {
    video_id: Option<String>,
    title: Option<String>,
    author: Option<String>,
    short_description: Option<String>,
    channel_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Microformat {
    player_microformat_renderer: Option<MicroformatRenderer>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MicroformatRenderer {
    publish_date: Option<String>,
    upload_date: Option<String>,
    owner_profile_url: Option<String>,
    thumbnail: Option<Thumbnails>,
    live_broadcast_details: Option<LiveBroadcastDetails>,
}

/// A stream's broadcast times.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LiveBroadcastDetails {
    start_timestamp: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Thumbnails {
    #[serde(default)]
    thumbnails: Vec<Thumbnail>,
}

#[derive(Debug, Deserialize)]
struct Thumbnail {
    url: Option<String>,
    width: Option<u32>,
    height: Option<u32>,
}

/// Find the `ytInitialPlayerResponse = {...}` assignment and read the object.
///
/// The object is followed by more script (`;var meta = ...`), so it cannot be handed to
/// `serde_json::from_str` whole. Deserializing one value from a `serde_json::Deserializer` and
/// never calling `end()` reads exactly the balanced object, with strings and escapes handled by
/// the JSON parser itself, and leaves the trailing script untouched.
fn player_response(html: &str, url: &str) -> Result<PlayerResponse, YoutubeError> {
    const NAME: &str = "ytInitialPlayerResponse";
    let mut last_error = None;
    // Only a script sets it: the page's title, description and comments are the uploader's
    // words, which may quote an assignment of it.
    let assignments = crate::platforms::readers::script_texts(html)
        .flat_map(|script| script.match_indices(NAME).map(move |(at, _)| &script[at..]));
    for from_name in assignments {
        let rest = from_name[NAME.len()..].trim_start();
        // Both `var ytInitialPlayerResponse = {` and `window["ytInitialPlayerResponse"] = {`.
        let rest = rest.strip_prefix("\"]").unwrap_or(rest).trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        if !rest.starts_with('{') {
            // e.g. `ytInitialPlayerResponse = null` in a bootstrap script; keep looking.
            continue;
        }
        let mut de = serde_json::Deserializer::from_str(rest);
        match PlayerResponse::deserialize(&mut de) {
            Ok(player) => return Ok(player),
            Err(source) => last_error = Some(source),
        }
    }
    Err(match last_error {
        Some(source) => YoutubeError::PlayerResponseJson {
            url: url.to_owned(),
            source,
        },
        None => YoutubeError::NoPlayerResponse {
            url: url.to_owned(),
        },
    })
}
