//! apple_podcasts: Apple Podcasts episodes and shows, and their resolver.
//!
//! Claims `podcasts.apple.com/[CC/]podcast/[SLUG/]idSHOW[?i=EPISODE]`, the player iframe on
//! `embed.podcasts.apple.com` (same path; publishers paste
//! `<iframe allow="autoplay *; encrypted-media *; …" src="https://embed.podcasts.apple.com/us/podcast/SLUG/idSHOW?i=EPISODE">`,
//! which discovery reaches through this recogniser: the frame has no class or attribute of its
//! own), and the older `itunes.apple.com/[CC/]podcast/…` links. It must never claim channels,
//! genres, artists or the store's other pages. An episode's post id is its numeric episode id
//! (`i=`), a show's its numeric show id; both are ids of one Apple catalogue, so they never
//! collide.
//!
//! Resolution asks the public iTunes lookup API for the show and its latest episodes
//! (`itunes.apple.com/lookup?id=SHOW&entity=podcastEpisode&limit=200`, no key). Its documented
//! answer to an id the directory no longer has is `resultCount` 0 and an empty `results`: the
//! show, and every episode of it, is gone. An episode missing from a non-empty answer may only be
//! older than the answer's window, so that is transient, as are error statuses and any body
//! that is not the lookup's JSON.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use url::Url;

use crate::model::{
    EmbedKind, EmbedRef, MediaKind, MediaRef, Platform, PostContent, Recognised, Resolution,
};
use crate::platforms::oembed_endpoint::is_web_url;
use crate::platforms::readers::{constant_url, non_empty};
use crate::platforms::source::{Answer, Fetch, SourceError, check_status};
use crate::platforms::url_util::{is_digits, query_value, segments, web_host};
use crate::platforms::verdict::{self, Field};

/// Source name of the lookup API.
pub const SOURCE: &str = "applepodcasts-lookup";

/// Episodes the lookup lists at most (the API's own cap).
const EPISODE_WINDOW: u32 = 200;

/// What identifies a live episode or show: every lookup record names its title, and episodes
/// their date.
const IDENTIFYING: &[Field] = &[Field::Text, Field::Published, Field::Media];

/// Claim Apple Podcasts episode and show URLs.
///
/// Canonical form: `https://podcasts.apple.com/podcast/idSHOW?i=EPISODE` (or without `i=` for
/// a show), country, slug and tracking parameters dropped.
pub fn recognise(url: &Url) -> Option<Recognised> {
    let (show, episode) = ids(url)?;
    Some(match episode {
        Some(episode) => Recognised {
            platform: Platform::ApplePodcasts,
            kind: EmbedKind::Audio,
            canonical_url: format!("https://podcasts.apple.com/podcast/id{show}?i={episode}"),
            post_id: Some(episode),
        },
        None => Recognised {
            platform: Platform::ApplePodcasts,
            kind: EmbedKind::Show,
            canonical_url: format!("https://podcasts.apple.com/podcast/id{show}"),
            post_id: Some(show),
        },
    })
}

/// The show id and, for an episode, the episode id of an Apple Podcasts URL.
fn ids(url: &Url) -> Option<(String, Option<String>)> {
    let host = web_host(url)?;
    if !matches!(
        host,
        "podcasts.apple.com" | "embed.podcasts.apple.com" | "itunes.apple.com"
    ) {
        return None;
    }
    let segs = segments(url);
    let segs: Vec<&str> = segs.iter().map(|s| s.as_ref()).collect();
    // An optional two-letter storefront (`us`, `gb`), then `podcast`, an optional slug, `idNNN`.
    let rest = match segs.as_slice() {
        [cc, rest @ ..] if cc.len() == 2 && cc.chars().all(|c| c.is_ascii_lowercase()) => rest,
        rest => rest,
    };
    let show = match rest {
        ["podcast", id] | ["podcast", _, id] => id.strip_prefix("id").filter(|d| is_digits(d, 20)),
        _ => None,
    }
    .or(match rest {
        // The short form directories link with: `podcast/NNN`, the id without its `id` (NPR's
        // podcast data links every show so; Apple answers it with the show's page).
        ["podcast", id] => Some(*id).filter(|d| d.len() >= 5 && is_digits(d, 20)),
        _ => None,
    })?;
    let episode = match query_value(url, "i") {
        Some(e) if is_digits(&e, 20) => Some(e),
        Some(_) => return None,
        None => None,
    };
    Some((show.to_owned(), episode))
}

/// The lookup request for a show.
pub fn url(show: &str) -> Url {
    let mut url = constant_url("https://itunes.apple.com/lookup");
    url.query_pairs_mut()
        .append_pair("id", show)
        .append_pair("entity", "podcastEpisode")
        .append_pair("limit", &EPISODE_WINDOW.to_string());
    url
}

/// Resolve one episode or show.
pub(crate) async fn resolve_with<F: Fetch>(fetcher: &F, embed: &EmbedRef) -> Resolution {
    let Some((show, episode)) = Url::parse(&embed.post_url).ok().as_ref().and_then(ids) else {
        return SourceError::BadPostId {
            source_name: SOURCE.to_owned(),
            post_id: embed.post_url.clone(),
            reason: "no Apple Podcasts show id in the post URL".to_owned(),
        }
        .into_transient();
    };
    match fetcher.fetch(SOURCE, &url(&show)).await {
        Ok(answer) => parse(&answer, &show, episode.as_deref()),
        Err(e) => e.into_transient(),
    }
}

/// The lookup answer.
#[derive(Debug, Deserialize)]
struct Lookup {
    #[serde(rename = "resultCount")]
    result_count: Option<u64>,
    results: Vec<serde_json::Value>,
}

/// The fields read from one lookup record (show or episode).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Record {
    wrapper_type: Option<String>,
    kind: Option<String>,
    collection_id: Option<u64>,
    track_id: Option<u64>,
    artist_name: Option<String>,
    artist_view_url: Option<String>,
    collection_name: Option<String>,
    collection_view_url: Option<String>,
    track_name: Option<String>,
    description: Option<String>,
    short_description: Option<String>,
    release_date: Option<String>,
    artwork_url600: Option<String>,
    artwork_url160: Option<String>,
    artwork_url100: Option<String>,
}

/// Classify one lookup answer for `show` (and `episode`, when the embed is one).
pub fn parse(answer: &Answer, show: &str, episode: Option<&str>) -> Resolution {
    let transient = |evidence: String| Resolution::Transient {
        source: SOURCE.to_owned(),
        evidence,
    };
    if let Err(e) = check_status(SOURCE, answer) {
        return e.into_transient();
    }
    if answer.status != 200 {
        // The lookup answers unknown ids with 200 and no results; any other status (400 for
        // a malformed request, 403 from a firewall) says nothing about the show.
        return transient(verdict::not_own_answer(SOURCE, answer));
    }
    let lookup: Lookup = match serde_json::from_slice(&answer.body) {
        Ok(l) => l,
        Err(e) => {
            return transient(format!(
                "unreadable answer from {SOURCE} (content-type {}): {e}",
                answer.content_type.as_deref().unwrap_or("none")
            ));
        }
    };
    if lookup.results.is_empty() && lookup.result_count == Some(0) {
        // Only the lookup's own host says what its directory holds: an empty list from
        // wherever a redirect led is another server's.
        let host = Url::parse(&answer.url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_ascii_lowercase));
        if host.as_deref() != Some("itunes.apple.com") {
            return transient(format!(
                "{SOURCE} was answered by {}, not itunes.apple.com: its empty list says nothing \
                 of show {show}",
                answer.url
            ));
        }
        return Resolution::Gone {
            source: SOURCE.to_owned(),
            evidence: format!(
                "{SOURCE} has no results for show {show}: it is no longer in the Apple Podcasts directory"
            ),
        };
    }
    let records: Vec<Record> = lookup
        .results
        .into_iter()
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect();
    let show_id: Option<u64> = show.parse().ok();
    let show_record = records.iter().find(|r| {
        r.wrapper_type.as_deref() == Some("track")
            && r.kind.as_deref() == Some("podcast")
            && (r.collection_id == show_id || r.track_id == show_id)
    });
    let content = match episode {
        Some(episode) => {
            let episode_id: Option<u64> = episode.parse().ok();
            let listed = records
                .iter()
                .filter(|r| r.wrapper_type.as_deref() == Some("podcastEpisode"))
                .count();
            let Some(record) = records.iter().find(|r| {
                r.wrapper_type.as_deref() == Some("podcastEpisode")
                    && r.track_id.is_some()
                    && r.track_id == episode_id
            }) else {
                return transient(format!(
                    "episode {episode} is not among the {listed} latest episodes {SOURCE} lists for show {show}"
                ));
            };
            episode_content(record, show_record)
        }
        None => match show_record {
            Some(record) => show_content(record),
            None => {
                return transient(format!(
                    "answer from {SOURCE} for show {show} has no record of the show"
                ));
            }
        },
    };
    verdict::live(
        PostContent {
            source: SOURCE.to_owned(),
            raw: vec![answer.raw()],
            ..content
        },
        IDENTIFYING,
    )
}

/// An episode: its title and notes, the show as its author, its date and the artwork.
fn episode_content(record: &Record, show: Option<&Record>) -> PostContent {
    let author_url = show
        .and_then(|s| s.collection_view_url.as_deref())
        .or(record.collection_view_url.as_deref())
        .and_then(without_tracking);
    PostContent {
        author_name: non_empty(record.collection_name.clone())
            .or_else(|| show.and_then(|s| non_empty(s.collection_name.clone()))),
        author_url,
        title: non_empty(record.track_name.clone()),
        text: non_empty(record.description.clone())
            .or_else(|| non_empty(record.short_description.clone())),
        published_at: record.release_date.as_deref().and_then(date),
        media: artwork(record)
            .or_else(|| show.and_then(artwork))
            .into_iter()
            .collect(),
        ..PostContent::default()
    }
}

/// A show: its name, its publisher and its artwork (its `releaseDate` is its latest episode's,
/// not its own, so it is not the show's date).
fn show_content(record: &Record) -> PostContent {
    PostContent {
        author_name: non_empty(record.artist_name.clone()),
        author_url: record.artist_view_url.as_deref().and_then(without_tracking),
        title: non_empty(record.collection_name.clone())
            .or_else(|| non_empty(record.track_name.clone())),
        media: artwork(record).into_iter().collect(),
        ..PostContent::default()
    }
}

/// The largest artwork a record names.
fn artwork(record: &Record) -> Option<MediaRef> {
    let url = [
        &record.artwork_url600,
        &record.artwork_url160,
        &record.artwork_url100,
    ]
    .into_iter()
    .find_map(|u| non_empty(u.clone()).filter(|u| is_web_url(u)))?;
    Some(MediaRef {
        kind: MediaKind::Image,
        url: url.clone(),
        image_url: Some(url),
        ..MediaRef::default()
    })
}

/// A store URL without its `uo`/`mt` tracking parameters.
fn without_tracking(raw: &str) -> Option<String> {
    let mut url = Url::parse(raw).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != "uo" && k != "mt")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    Some(url.to_string())
}

fn date(raw: &str) -> Option<DateTime<Utc>> {
    crate::platforms::markup::reading::parse_rfc3339(raw)
}

/// The Apple Podcasts module of the registry. Its player is an iframe that discovery reaches
/// through [`recognise`]; it declares no markup of its own.
#[derive(Debug)]
pub struct ApplePodcasts;

impl crate::platforms::PlatformModule for ApplePodcasts {
    fn platform(&self) -> Platform {
        Platform::ApplePodcasts
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
    use crate::model::CheckOutcome;
    use crate::platforms::replay::fixture_answer;

    fn rec(u: &str) -> Option<Recognised> {
        recognise(&Url::parse(u).expect("url"))
    }

    #[test]
    fn episodes_and_shows_in_every_form() {
        let cases = [
            (
                "https://embed.podcasts.apple.com/us/podcast/how-to-avoid-inadvertently-being-a-bad-boss/id1393035987?i=1000561514664",
                EmbedKind::Audio,
                "1000561514664",
                "https://podcasts.apple.com/podcast/id1393035987?i=1000561514664",
            ),
            (
                "https://podcasts.apple.com/us/podcast/thundercat/id1678378239?i=1000608744027&uo=4",
                EmbedKind::Audio,
                "1000608744027",
                "https://podcasts.apple.com/podcast/id1678378239?i=1000608744027",
            ),
            (
                "https://podcasts.apple.com/gb/podcast/this-little-light/id1678378239",
                EmbedKind::Show,
                "1678378239",
                "https://podcasts.apple.com/podcast/id1678378239",
            ),
            (
                "https://itunes.apple.com/us/podcast/this-little-light/id1678378239?mt=2&uo=4",
                EmbedKind::Show,
                "1678378239",
                "https://podcasts.apple.com/podcast/id1678378239",
            ),
            (
                "https://podcasts.apple.com/podcast/1482575855?mt=2&at=11l79Y&ct=nprdirectory",
                EmbedKind::Show,
                "1482575855",
                "https://podcasts.apple.com/podcast/id1482575855",
            ),
            (
                "https://podcasts.apple.com/podcast/id1678378239",
                EmbedKind::Show,
                "1678378239",
                "https://podcasts.apple.com/podcast/id1678378239",
            ),
        ];
        for (input, kind, id, canonical) in cases {
            let got = rec(input).unwrap_or_else(|| panic!("not recognised: {input}"));
            assert_eq!(got.platform, Platform::ApplePodcasts, "{input}");
            assert_eq!(got.kind, kind, "{input}");
            assert_eq!(got.post_id.as_deref(), Some(id), "{input}");
            assert_eq!(got.canonical_url, canonical, "{input}");
            assert_eq!(rec(canonical), Some(got), "idempotent: {canonical}");
        }
    }

    #[test]
    fn other_store_pages_are_not_claimed() {
        for input in [
            "https://podcasts.apple.com/",
            "https://podcasts.apple.com/us/browse",
            "https://podcasts.apple.com/us/genre/podcasts-music/id1310",
            "https://podcasts.apple.com/us/channel/the-new-york-times/id6442463778",
            "https://podcasts.apple.com/us/artist/the-joe-budden-network/1535844019",
            "https://podcasts.apple.com/us/podcast/slug/1678378239",
            "https://podcasts.apple.com/us/podcast/slug/id1678378239?i=abc",
            "https://itunes.apple.com/us/album/some-album/id1440857781",
            "https://music.apple.com/us/album/some-album/1440857781",
            "https://example.com/us/podcast/slug/id1678378239",
        ] {
            assert_eq!(rec(input), None, "{input}");
        }
    }

    #[test]
    fn the_lookup_request_asks_for_the_show_and_its_episodes() {
        assert_eq!(
            url("1678378239").as_str(),
            "https://itunes.apple.com/lookup?id=1678378239&entity=podcastEpisode&limit=200"
        );
    }

    fn sample(file: &str) -> Answer {
        fixture_answer(
            "https://itunes.apple.com/lookup?id=1678378239&entity=podcastEpisode&limit=200",
            200,
            "text/javascript; charset=utf-8",
            &format!("applepodcasts/{file}"),
        )
    }

    #[test]
    fn a_listed_episode_is_live_with_its_own_fields() {
        let got = parse(
            &sample("lookup-1678378239-podcastEpisode.json"),
            "1678378239",
            Some("1000605224134"),
        );
        let Resolution::Live(post) = got else {
            panic!("expected live, got {got:?}");
        };
        assert_eq!(post.source, SOURCE);
        assert_eq!(
            post.title.as_deref(),
            Some("Introducing This Little Light with Flea")
        );
        assert!(
            post.text
                .as_deref()
                .is_some_and(|t| t.starts_with("Hosted by Flea, founding member")),
            "{:?}",
            post.text
        );
        assert_eq!(post.author_name.as_deref(), Some("This Little Light"));
        assert_eq!(
            post.author_url.as_deref(),
            Some("https://podcasts.apple.com/us/podcast/this-little-light/id1678378239")
        );
        assert_eq!(
            post.published_at.map(|d| d.to_rfc3339()).as_deref(),
            Some("2023-03-21T19:45:00+00:00")
        );
        assert_eq!(post.media.len(), 1);
        assert!(
            post.media[0]
                .image_url
                .as_deref()
                .is_some_and(|u| u.ends_with("/600x600bb.jpg"))
        );
    }

    #[test]
    fn a_show_is_live_with_its_publisher() {
        let Resolution::Live(post) = parse(
            &sample("lookup-1678378239-podcastEpisode.json"),
            "1678378239",
            None,
        ) else {
            panic!("expected live");
        };
        assert_eq!(post.title.as_deref(), Some("This Little Light"));
        assert_eq!(post.author_name.as_deref(), Some("Cadence13 and Parallel"));
        assert_eq!(post.published_at, None);
    }

    #[test]
    fn no_results_is_gone_and_an_unlisted_episode_is_not() {
        let gone = parse(&sample("lookup-no-results.json"), "1678378239", Some("1"));
        assert_eq!(gone.outcome(), Some(CheckOutcome::Gone), "{gone:?}");
        // The same empty list from wherever a redirect led, or without the count the lookup
        // always writes, says nothing of the show.
        let mut elsewhere = sample("lookup-no-results.json");
        elsewhere.url = "https://evil.example/lookup-empty".into();
        let moved = parse(&elsewhere, "1678378239", Some("1"));
        let Resolution::Transient { evidence, .. } = &moved else {
            panic!("expected transient, got {moved:?}");
        };
        assert!(
            evidence.contains("https://evil.example/lookup-empty"),
            "{evidence}"
        );
        for body in [r#"{"results":[]}"#, r#"{"resultCount":null,"results":[]}"#] {
            let mut uncounted = sample("lookup-no-results.json");
            uncounted.body = body.as_bytes().to_vec();
            let got = parse(&uncounted, "1678378239", Some("1"));
            assert_eq!(got.outcome(), Some(CheckOutcome::Transient), "{body}");
        }
        let unlisted = parse(
            &sample("lookup-1678378239-podcastEpisode.json"),
            "1678378239",
            Some("1000000000001"),
        );
        let Resolution::Transient { evidence, .. } = unlisted else {
            panic!("expected transient, got {unlisted:?}");
        };
        assert!(evidence.contains("latest episodes"), "{evidence}");
    }

    #[test]
    fn bad_answers_are_transient() {
        let answer = |status: u16, body: &str| Answer {
            url: "https://itunes.apple.com/lookup?id=1".into(),
            status,
            content_type: Some("text/javascript; charset=utf-8".into()),
            body: body.as_bytes().to_vec(),
        };
        for (status, body) in [
            (200, "<html><body>Service Unavailable</body></html>"),
            (200, "{\"resultCount\":"),
            (200, "[]"),
            (200, "{}"),
            (
                200,
                r#"{"resultCount":1,"results":[{"wrapperType":"artist"}]}"#,
            ),
            (
                400,
                r#"{"errorMessage":"Invalid value(s) for key(s): [id]","queryParameters":{}}"#,
            ),
            (404, "<html>Not Found</html>"),
            (403, ""),
            (503, ""),
        ] {
            assert_eq!(
                parse(&answer(status, body), "1", None).outcome(),
                Some(CheckOutcome::Transient),
                "{status} {body}"
            );
        }
    }
}
