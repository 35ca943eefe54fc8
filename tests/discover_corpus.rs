//! Discovery against the labelled corpus of real article pages (`tests/fixtures/articles/`):
//! recall and precision per platform for visible (`dom`) posts, separately for hidden locations
//! and for widgets, and no near-miss link reported as a post. Run with `--nocapture` to see the
//! table. Fails when `dom` post recall or precision drops below 0.97 overall or for any platform
//! with at least 5 labelled embeds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use embedkeep::discover::discover;
use embedkeep::model::{EmbedRef, Location, Platform};
use embedkeep::platforms::recognise;
use serde::Deserialize;
use url::Url;

const THRESHOLD: f64 = 0.97;
const MIN_LABELS_FOR_PLATFORM_CHECK: usize = 5;

#[derive(Debug, Deserialize)]
struct Page {
    page: String,
    /// The publisher's host; missing for a few test pages.
    site: Option<String>,
    embeds: Vec<Label>,
    near_misses: Vec<NearMiss>,
}

#[derive(Debug, Deserialize)]
struct Label {
    platform: String,
    kind: String,
    post_url: Option<String>,
    post_id: Option<String>,
    location: String,
    /// What the embed's own fallback markup names as the author's handle.
    author_handle: Option<String>,
}

#[derive(Debug, Deserialize)]
struct NearMiss {
    url: Option<String>,
}

/// Label corrections, each checked by reading the page. Empty while every label holds.
/// (page, platform, post_id as labelled) → corrected post_id, or `None` to drop the label.
const LABEL_CORRECTIONS: &[(&str, &str, &str, Option<&str>)] = &[];

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/articles")
}

/// The project's platform for a label's platform name, and the post id prefix the generic oEmbed
/// recogniser uses for providers without their own module.
fn platform_of(label: &str) -> (Platform, Option<&'static str>) {
    match label {
        "twitter" => (Platform::X, None),
        "dailymotion" => (Platform::Oembed, Some("dailymotion")),
        "vine" => (Platform::Oembed, Some("vine")),
        "bandcamp" => (Platform::Oembed, Some("bandcamp")),
        other => match other.parse() {
            Ok(p) => (p, None),
            Err(e) => panic!("label platform: {e}"),
        },
    }
}

fn is_widget_kind(kind: &str) -> bool {
    matches!(kind, "profile" | "profile-timeline" | "list-timeline")
}

/// A widget URL reduced to what identifies the account: host without `www.`/country prefixes
/// (`twitter.com` read as `x.com`), path without trailing slash, lowercase, no query.
fn widget_key(raw: &str) -> Option<String> {
    let url = Url::parse(raw.trim().trim_matches('"')).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    let mut parts: Vec<&str> = host.split('.').collect();
    if parts.len() > 2 {
        parts.remove(0);
    }
    let mut host = parts.join(".");
    if host == "twitter.com" {
        host = "x.com".into();
    }
    let path = url.path().trim_end_matches('/').to_ascii_lowercase();
    Some(format!("{host}{path}"))
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Post(Platform, String),
    Widget(Platform, String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    DomPost,
    HiddenPost,
    Widget,
}

fn label_key(page: &str, label: &Label) -> Option<Key> {
    let (platform, prefix) = platform_of(&label.platform);
    if is_widget_kind(&label.kind) {
        return Some(Key::Widget(
            platform,
            widget_key(label.post_url.as_deref()?)?,
        ));
    }
    let mut id = label.post_id.clone();
    for (p, plat, from, to) in LABEL_CORRECTIONS {
        if *p == page && *plat == label.platform && id.as_deref() == Some(*from) {
            id = to.map(str::to_owned);
        }
    }
    match id {
        Some(id) => Some(Key::Post(
            platform,
            match prefix {
                Some(prefix) => format!("{prefix}/{id}"),
                None => id,
            },
        )),
        // No id in the label (a player URL): the recogniser names the item.
        None => {
            let url = Url::parse(label.post_url.as_deref()?).ok()?;
            let r = recognise(&url)?;
            Some(Key::Post(r.platform, r.post_id?))
        }
    }
}

fn label_class(label: &Label) -> Class {
    if is_widget_kind(&label.kind) {
        Class::Widget
    } else if label.location == "dom" {
        Class::DomPost
    } else {
        Class::HiddenPost
    }
}

fn embed_key(e: &EmbedRef) -> Key {
    match (&e.post_id, e.kind.is_post()) {
        (Some(id), true) => Key::Post(e.platform, id.clone()),
        _ => Key::Widget(
            e.platform,
            widget_key(&e.post_url).unwrap_or_else(|| e.post_url.clone()),
        ),
    }
}

fn embed_class(e: &EmbedRef) -> Class {
    if !e.kind.is_post() {
        Class::Widget
    } else if e.location == Location::Dom {
        Class::DomPost
    } else {
        Class::HiddenPost
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    labels: usize,
    found: usize,
    hits: usize,
}

impl Tally {
    fn recall(&self) -> f64 {
        if self.labels == 0 {
            1.0
        } else {
            self.hits as f64 / self.labels as f64
        }
    }
    fn precision(&self) -> f64 {
        if self.found == 0 {
            1.0
        } else {
            self.hits as f64 / self.found as f64
        }
    }
}

fn platform_of_key(k: &Key) -> Platform {
    match k {
        Key::Post(p, _) | Key::Widget(p, _) => *p,
    }
}

#[test]
fn corpus_recall_and_precision() {
    let labels_json =
        std::fs::read_to_string(corpus_dir().join("labels.json")).expect("read labels.json");
    let pages: Vec<Page> = serde_json::from_str(&labels_json).expect("parse labels.json");
    assert!(pages.len() >= 100, "corpus has {} pages", pages.len());

    let mut tallies: BTreeMap<(Class, Platform), Tally> = BTreeMap::new();
    let mut misses: Vec<String> = Vec::new();
    let mut near_miss_violations: Vec<String> = Vec::new();
    // Handles read from blockquote markup: (labelled, agreeing).
    let mut handles = (0usize, 0usize);
    let mut remnants = 0usize;

    for page in &pages {
        let bytes = std::fs::read(corpus_dir().join(&page.page)).expect("read page");
        let html = String::from_utf8_lossy(&bytes);
        let site = page.site.as_deref().unwrap_or("news.example");
        let base = Url::parse(&format!("https://{site}/article")).expect("base URL");
        let found = discover(&html, &base);

        for r in &found.remnants {
            remnants += 1;
            println!(
                "{}: remnant {} {:?} {:.80}",
                page.page, r.platform, r.author_handle, r.text
            );
        }

        let expected: BTreeSet<(Class, Key)> = page
            .embeds
            .iter()
            .filter_map(|l| label_key(&page.page, l).map(|k| (label_class(l), k)))
            .collect();
        let got: BTreeSet<(Class, Key)> = found
            .embeds
            .iter()
            .map(|e| (embed_class(e), embed_key(e)))
            .collect();

        for (class, key) in &expected {
            let t = tallies.entry((*class, platform_of_key(key))).or_default();
            t.labels += 1;
            if got.contains(&(*class, key.clone())) {
                t.hits += 1;
            } else {
                misses.push(format!("{}: missed {class:?} {key:?}", page.page));
            }
        }
        for (class, key) in &got {
            tallies
                .entry((*class, platform_of_key(key)))
                .or_default()
                .found += 1;
            if !expected.contains(&(*class, key.clone())) {
                misses.push(format!("{}: extra {class:?} {key:?}", page.page));
            }
        }

        for label in page
            .embeds
            .iter()
            .filter(|l| l.location == "dom" && !is_widget_kind(&l.kind))
        {
            let (Some(want), Some(key)) = (&label.author_handle, label_key(&page.page, label))
            else {
                continue;
            };
            handles.0 += 1;
            let got = found.embeds.iter().find(|e| embed_key(e) == key);
            match got.and_then(|e| e.author_handle.as_deref()) {
                Some(h) if h.eq_ignore_ascii_case(want) => handles.1 += 1,
                other => misses.push(format!("{}: handle {other:?}, labelled {want}", page.page)),
            }
        }

        // A near miss (plain link, button, page widget) must never come out as a post, unless
        // the same post is also really embedded on the page.
        let labelled: BTreeSet<&Key> = expected.iter().map(|(_, k)| k).collect();
        for nm in &page.near_misses {
            let Some(r) = nm
                .url
                .as_deref()
                .and_then(|u| Url::parse(u).ok())
                .and_then(|u| recognise(&u))
            else {
                continue;
            };
            let Some(id) = r.post_id else { continue };
            let key = Key::Post(r.platform, id);
            if !labelled.contains(&key)
                && found
                    .embeds
                    .iter()
                    .any(|e| e.kind.is_post() && embed_key(e) == key)
            {
                near_miss_violations
                    .push(format!("{}: near miss {:?} reported", page.page, nm.url));
            }
        }
    }

    println!(
        "\n{:<12} {:<10} {:>6} {:>6} {:>6} {:>7} {:>9}",
        "class", "platform", "labels", "found", "hits", "recall", "precision"
    );
    let mut totals: BTreeMap<Class, Tally> = BTreeMap::new();
    for ((class, platform), t) in &tallies {
        println!(
            "{:<12} {:<10} {:>6} {:>6} {:>6} {:>7.3} {:>9.3}",
            format!("{class:?}"),
            platform.as_str(),
            t.labels,
            t.found,
            t.hits,
            t.recall(),
            t.precision()
        );
        let total = totals.entry(*class).or_default();
        total.labels += t.labels;
        total.found += t.found;
        total.hits += t.hits;
    }
    for (class, t) in &totals {
        println!(
            "{:<12} {:<10} {:>6} {:>6} {:>6} {:>7.3} {:>9.3}",
            format!("{class:?}"),
            "ALL",
            t.labels,
            t.found,
            t.hits,
            t.recall(),
            t.precision()
        );
    }
    for m in &misses {
        println!("{m}");
    }

    println!(
        "author handles read from markup: {} of {} labelled",
        handles.1, handles.0
    );
    println!("remnants found outside intact embeds: {remnants}");

    assert!(near_miss_violations.is_empty(), "{near_miss_violations:#?}");
    assert!(
        handles.0 > 50 && handles.1 as f64 >= THRESHOLD * handles.0 as f64,
        "author handles: {} of {} agree",
        handles.1,
        handles.0
    );
    let dom = totals.get(&Class::DomPost).copied().unwrap_or_default();
    assert!(dom.labels > 150, "too few dom post labels: {}", dom.labels);
    assert!(
        dom.recall() >= THRESHOLD && dom.precision() >= THRESHOLD,
        "dom posts: recall {:.3}, precision {:.3}",
        dom.recall(),
        dom.precision()
    );
    for ((class, platform), t) in &tallies {
        if *class == Class::DomPost && t.labels >= MIN_LABELS_FOR_PLATFORM_CHECK {
            assert!(
                t.recall() >= THRESHOLD && t.precision() >= THRESHOLD,
                "dom posts on {platform}: recall {:.3}, precision {:.3}",
                t.recall(),
                t.precision()
            );
        }
    }
}
