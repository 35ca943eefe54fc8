//! Runs every URL of the labelled article corpus (`tests/fixtures/articles/labels.json`) through
//! `platforms::recognise`: embeds must be claimed by the labelled platform with the labelled post
//! id, and near misses (profile links, share buttons, comment widgets) must never be claimed as
//! posts. Plain links to posts are near misses only because they are links, not embeds: the
//! recogniser must still see them as posts.

use embedkeep::model::{EmbedKind, Platform};
use embedkeep::platforms::{oembed, recognise};
use serde::Deserialize;
use url::Url;

const LABELS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/articles/labels.json"
));

#[derive(Deserialize)]
struct Page {
    page: String,
    #[serde(default)]
    embeds: Vec<Embed>,
    #[serde(default)]
    near_misses: Vec<NearMiss>,
}

#[derive(Deserialize)]
struct Embed {
    platform: String,
    kind: String,
    post_url: Option<String>,
    post_id: Option<String>,
}

#[derive(Deserialize)]
struct NearMiss {
    platform: String,
    kind: String,
    url: Option<String>,
}

/// Labels whose `post_url` is not a URL of the post, with the reason.
const LABEL_DEFECTS: &[(&str, &str)] = &[(
    "https://twitter.com/500258288563269633",
    "a timeline widget's data-widget-id was put where the handle goes; no such profile URL exists",
)];

fn pages() -> Vec<Page> {
    serde_json::from_str(LABELS).expect("labels.json parses")
}

/// Some labels carry the URL with the escaped quotes of the script string it came from
/// (`\"https://…\"`); the URL is what is between them.
fn unquote(raw: &str) -> &str {
    raw.trim_matches(|c| c == '"' || c == '\\')
}

/// The platform a label name means, and for generic oEmbed providers the provider name.
fn expected_platform(label: &str) -> (Platform, Option<&str>) {
    match label {
        "twitter" => (Platform::X, None),
        other => match other.parse::<Platform>() {
            Ok(p) => (p, None),
            Err(_) => (Platform::Oembed, Some(other)),
        },
    }
}

fn is_widget_label(kind: &str) -> bool {
    matches!(kind, "profile" | "profile-timeline" | "list-timeline")
}

#[test]
fn every_labelled_embed_url_is_recognised_with_its_platform_and_id() {
    let mut checked = 0;
    for page in pages() {
        for embed in &page.embeds {
            let Some(raw) = embed.post_url.as_deref() else {
                continue; // amp-twitter / iframe[data-tweet-id]: the id comes from markup.
            };
            let raw = unquote(raw);
            if LABEL_DEFECTS.iter().any(|(url, _)| *url == raw) {
                continue;
            }
            let ctx = format!("{} in {}", raw, page.page);
            let url = Url::parse(raw).unwrap_or_else(|e| panic!("{ctx}: {e}"));
            let got = recognise(&url).unwrap_or_else(|| panic!("not recognised: {ctx}"));
            let (platform, provider) = expected_platform(&embed.platform);
            assert_eq!(got.platform, platform, "{ctx}");
            if let Some(provider) = provider {
                assert_eq!(
                    oembed::provider(&url).map(|p| p.name),
                    Some(provider),
                    "{ctx}"
                );
            }
            if is_widget_label(&embed.kind) {
                assert!(!got.kind.is_post(), "widget claimed as a post: {ctx}");
                assert_eq!(got.post_id, None, "{ctx}");
            } else {
                assert!(got.kind.is_post(), "post not claimed as a post: {ctx}");
                // The labels call Bandcamp's player "audio"; its URL says whether it plays an
                // album or a track, and the recogniser reports that.
                if embed.kind != "audio" {
                    assert_eq!(got.kind.as_str(), embed.kind, "{ctx}");
                }
                if let Some(want) = embed.post_id.as_deref() {
                    let want = match provider {
                        Some(p) => format!("{p}/{want}"),
                        None => want.to_owned(),
                    };
                    assert_eq!(got.post_id.as_deref(), Some(want.as_str()), "{ctx}");
                }
            }
            // The canonical URL is itself recognised as the same thing.
            let again = Url::parse(&got.canonical_url)
                .ok()
                .and_then(|u| recognise(&u));
            assert_eq!(again.as_ref(), Some(&got), "canonical not stable: {ctx}");
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} labelled embed URLs checked");
}

#[test]
fn near_misses_are_never_claimed_as_posts() {
    let mut checked = 0;
    for page in pages() {
        for miss in &page.near_misses {
            let Some(raw) = miss.url.as_deref() else {
                continue;
            };
            let Ok(url) = Url::parse(unquote(raw)) else {
                continue;
            };
            let ctx = format!("{} ({}) in {}", raw, miss.kind, page.page);
            let got = recognise(&url);
            if miss.kind == "plain-link" {
                // A link to a post is still a post URL; discovery, not the recogniser, decides
                // that a bare link is not an embed.
                let got = got.unwrap_or_else(|| panic!("post link not recognised: {ctx}"));
                assert_eq!(got.platform, expected_platform(&miss.platform).0, "{ctx}");
                assert!(got.kind.is_post() && got.post_id.is_some(), "{ctx}");
            } else if let Some(got) = got {
                assert!(
                    !(got.kind.is_post() && got.post_id.is_some()),
                    "near miss claimed as a post: {ctx} -> {got:?}"
                );
                assert_eq!(got.kind, EmbedKind::Profile, "{ctx}");
            }
            checked += 1;
        }
    }
    assert!(checked > 250, "only {checked} near misses checked");
}

#[test]
fn label_defects_are_still_present() {
    // If the corpus is fixed, drop the entry from LABEL_DEFECTS so the URL is checked again.
    let all: Vec<String> = pages()
        .into_iter()
        .flat_map(|p| p.embeds)
        .filter_map(|e| e.post_url)
        .collect();
    for (url, why) in LABEL_DEFECTS {
        assert!(
            all.iter().any(|u| u == url),
            "{url} ({why}) no longer in labels"
        );
    }
}

#[test]
fn truncated_and_mangled_urls_never_panic() {
    // Every prefix of every labelled URL, and each with its path upper-cased: recognisers must
    // answer (usually None) without panicking on half-written or odd input.
    let mut urls: Vec<String> = Vec::new();
    for page in pages() {
        urls.extend(page.embeds.into_iter().filter_map(|e| e.post_url));
        urls.extend(page.near_misses.into_iter().filter_map(|m| m.url));
    }
    let mut tried = 0;
    for raw in &urls {
        let raw = unquote(raw);
        let cuts = raw.char_indices().map(|(i, _)| &raw[..i]);
        for candidate in cuts.map(str::to_owned).chain([raw.to_uppercase()]) {
            if let Ok(url) = Url::parse(&candidate) {
                let _ = recognise(&url);
                tried += 1;
            }
        }
    }
    assert!(tried > 1000, "only {tried} variants tried");
}
