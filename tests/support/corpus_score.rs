//! Scoring of discovery against a labelled corpus of real article pages (`labels.json` beside the
//! pages, schema in `tests/fixtures/articles/README.md`): recall and precision per platform for
//! visible (`dom`) posts, separately for hidden locations and for widgets, author handles read from
//! markup, and near-miss links reported as posts. Shared by the corpus tests so that every corpus is
//! scored the same way; each test keeps its own thresholds.
#![allow(dead_code)] // each test binary uses its own subset

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use embedkeep::discover::discover;
use embedkeep::model::{EmbedRef, Location, Platform};
use embedkeep::platforms::recognise;
use serde::Deserialize;
use url::Url;

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

/// A label correction, checked by reading the page: (page, platform, post_id as labelled) →
/// corrected post_id, or `None` to drop the label.
pub type Correction = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);

/// The project's platform for a label's platform name, and the post id prefix the generic oEmbed
/// recogniser uses for providers without their own module. A name the project does not know is
/// counted as such a provider, so its embeds stay visible in the table.
fn platform_of(label: &str) -> (Platform, Option<String>) {
    match label {
        "twitter" => (Platform::X, None),
        "apple-podcasts" => (Platform::ApplePodcasts, None),
        "vine" => (Platform::Oembed, Some(label.to_owned())),
        other => match other.parse() {
            Ok(p) => (p, None),
            Err(_) => (Platform::Oembed, Some(other.to_owned())),
        },
    }
}

fn is_widget_kind(kind: &str) -> bool {
    matches!(kind, "profile" | "profile-timeline" | "list-timeline")
}

/// A widget URL reduced to what identifies the account: host without `www.`/country prefixes
/// (`twitter.com` read as `x.com`, Pinterest's country sites as `pinterest.com`), path without
/// trailing slash, lowercase, no query.
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
    // Pinterest's country sites (`pinterest.de`, `pinterest.co.uk`) show the same boards.
    if host.starts_with("pinterest.") || host.ends_with(".pinterest.com") {
        host = "pinterest.com".into();
    }
    let path = url.path().trim_end_matches('/').to_ascii_lowercase();
    Some(format!("{host}{path}"))
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Post(Platform, String),
    Widget(Platform, String),
}

/// Where a labelled or found embed is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    DomPost,
    HiddenPost,
    Widget,
}

fn label_key(page: &str, label: &Label, corrections: &[Correction]) -> Option<Key> {
    let (platform, prefix) = platform_of(&label.platform);
    if is_widget_kind(&label.kind) {
        return Some(Key::Widget(
            platform,
            widget_key(label.post_url.as_deref()?)?,
        ));
    }
    let mut id = label.post_id.clone();
    for (p, plat, from, to) in corrections {
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

/// Labels, found embeds and agreeing pairs for one class (and platform).
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub labels: usize,
    pub found: usize,
    pub hits: usize,
}

impl Tally {
    pub fn recall(&self) -> f64 {
        if self.labels == 0 {
            1.0
        } else {
            self.hits as f64 / self.labels as f64
        }
    }
    pub fn precision(&self) -> f64 {
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

/// The outcome of running discovery over a whole corpus.
#[derive(Debug, Default)]
pub struct Score {
    pub pages: usize,
    pub tallies: BTreeMap<(Class, Platform), Tally>,
    pub totals: BTreeMap<Class, Tally>,
    /// One line per missed or extra embed and per disagreeing author handle.
    pub misses: Vec<String>,
    /// Near misses (plain links, buttons, page widgets) reported as posts.
    pub near_miss_violations: Vec<String>,
    /// Handles read from blockquote markup: (labelled, agreeing).
    pub handles: (usize, usize),
    /// One line per remnant found outside intact embeds.
    pub remnant_lines: Vec<String>,
}

impl Score {
    /// The totals of one class over all platforms.
    pub fn total(&self, class: Class) -> Tally {
        self.totals.get(&class).copied().unwrap_or_default()
    }

    /// The remnants, the table per class and platform with totals, the misses, and the handle and
    /// remnant counts, in that order.
    pub fn print(&self) {
        for line in &self.remnant_lines {
            println!("{line}");
        }
        println!(
            "\n{:<12} {:<10} {:>6} {:>6} {:>6} {:>7} {:>9}",
            "class", "platform", "labels", "found", "hits", "recall", "precision"
        );
        for ((class, platform), t) in &self.tallies {
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
        }
        for (class, t) in &self.totals {
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
        for m in &self.misses {
            println!("{m}");
        }
        println!(
            "author handles read from markup: {} of {} labelled",
            self.handles.1, self.handles.0
        );
        println!(
            "remnants found outside intact embeds: {}",
            self.remnant_lines.len()
        );
    }
}

/// Run discovery over every page of the corpus in `dir` and compare with its `labels.json`.
pub fn score(dir: &Path, corrections: &[Correction]) -> Score {
    let labels_path = dir.join("labels.json");
    let labels_json = std::fs::read_to_string(&labels_path)
        .unwrap_or_else(|e| panic!("read {}: {e}", labels_path.display()));
    let pages: Vec<Page> = serde_json::from_str(&labels_json)
        .unwrap_or_else(|e| panic!("parse {}: {e}", labels_path.display()));

    let mut out = Score {
        pages: pages.len(),
        ..Score::default()
    };

    for page in &pages {
        let page_path = dir.join(&page.page);
        let bytes = std::fs::read(&page_path)
            .unwrap_or_else(|e| panic!("read {}: {e}", page_path.display()));
        let html = String::from_utf8_lossy(&bytes);
        let site = page.site.as_deref().unwrap_or("news.example");
        let base = Url::parse(&format!("https://{site}/article")).expect("base URL");
        let found = discover(&html, &base);

        for r in &found.remnants {
            out.remnant_lines.push(format!(
                "{}: remnant {} {:?} {:.80}",
                page.page, r.platform, r.author_handle, r.text
            ));
        }

        let expected: BTreeSet<(Class, Key)> = page
            .embeds
            .iter()
            .filter_map(|l| label_key(&page.page, l, corrections).map(|k| (label_class(l), k)))
            .collect();
        let got: BTreeSet<(Class, Key)> = found
            .embeds
            .iter()
            .map(|e| (embed_class(e), embed_key(e)))
            .collect();

        for (class, key) in &expected {
            let t = out
                .tallies
                .entry((*class, platform_of_key(key)))
                .or_default();
            t.labels += 1;
            if got.contains(&(*class, key.clone())) {
                t.hits += 1;
            } else {
                out.misses
                    .push(format!("{}: missed {class:?} {key:?}", page.page));
            }
        }
        for (class, key) in &got {
            out.tallies
                .entry((*class, platform_of_key(key)))
                .or_default()
                .found += 1;
            if !expected.contains(&(*class, key.clone())) {
                out.misses
                    .push(format!("{}: extra {class:?} {key:?}", page.page));
            }
        }

        for label in page
            .embeds
            .iter()
            .filter(|l| l.location == "dom" && !is_widget_kind(&l.kind))
        {
            let (Some(want), Some(key)) = (
                &label.author_handle,
                label_key(&page.page, label, corrections),
            ) else {
                continue;
            };
            out.handles.0 += 1;
            let got = found.embeds.iter().find(|e| embed_key(e) == key);
            match got.and_then(|e| e.author_handle.as_deref()) {
                Some(h) if h.eq_ignore_ascii_case(want) => out.handles.1 += 1,
                other => out
                    .misses
                    .push(format!("{}: handle {other:?}, labelled {want}", page.page)),
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
                out.near_miss_violations
                    .push(format!("{}: near miss {:?} reported", page.page, nm.url));
            }
        }
    }

    for ((class, _), t) in &out.tallies {
        let total = out.totals.entry(*class).or_default();
        total.labels += t.labels;
        total.found += t.found;
        total.hits += t.hits;
    }
    out
}
