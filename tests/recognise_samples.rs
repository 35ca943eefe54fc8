//! Runs the post URLs behind every recorded platform answer (`tests/fixtures/samples/manifest.json`)
//! through `platforms::recognise`. An oEmbed request names its post in `?url=`; page requests are
//! the post URL itself. API, CDN and redirect-hop URLs (syndication, xrpc, `api/v1`, consent
//! pages, t.co, images) are not post URLs and must not be claimed as posts; the generic pages
//! (handled by the OpenGraph fallback) must not be claimed at all.

use embedkeep::model::Platform;
use embedkeep::platforms::recognise;
use serde::Deserialize;
use url::Url;

const MANIFEST: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/samples/manifest.json"
));

#[derive(Deserialize)]
struct Entry {
    id: String,
    platform: String,
    request: Request,
}

#[derive(Deserialize)]
struct Request {
    url: String,
}

/// The post URL a request is about: the `url` parameter of an oEmbed-style request, else the
/// request URL itself.
fn post_url(request: &Url) -> Option<Url> {
    match request.query_pairs().find(|(k, _)| k == "url") {
        Some((_, v)) => Url::parse(&v).ok(),
        None => Some(request.clone()),
    }
}

/// URLs that are a platform's machinery rather than a post's address.
fn is_machinery(url: &Url) -> bool {
    let host = url.host_str().unwrap_or_default();
    let path = url.path();
    host.starts_with("cdn.")
        || host.starts_with("public.api.")
        || host.starts_with("api.")
        || host.starts_with("consent.")
        || host == "t.co"
        || path.contains("/api/")
        || path.ends_with(".json")
        || path.starts_with("/accounts/")
}

#[test]
fn every_recorded_post_url_is_recognised_with_its_platform() {
    let entries: Vec<Entry> = serde_json::from_str(MANIFEST).expect("manifest parses");
    let (mut posts, mut others) = (0, 0);
    for entry in entries {
        let Ok(request) = Url::parse(&entry.request.url) else {
            continue;
        };
        let Some(url) = post_url(&request) else {
            continue;
        };
        let ctx = format!("{} ({url})", entry.id);
        let got = recognise(&url);
        match entry.platform.parse::<Platform>() {
            Ok(platform) if !is_machinery(&url) => {
                let got = got.unwrap_or_else(|| panic!("not recognised: {ctx}"));
                assert_eq!(got.platform, platform, "{ctx}");
                if got.kind.is_post() {
                    assert!(got.post_id.is_some(), "{ctx}");
                }
                posts += 1;
            }
            _ => {
                // Machinery, generic pages and images: never a post, and generic pages not
                // even a profile.
                // Imgur's direct image URL is also its post URL (PLATFORMS.md §15), so a
                // recorded image from i.imgur.com is rightly an Imgur post.
                let imgur_image = entry.platform == "images"
                    && got.as_ref().is_some_and(|g| g.platform == Platform::Imgur);
                if let Some(got) = got.as_ref().filter(|_| !imgur_image) {
                    assert!(!got.kind.is_post(), "claimed as a post: {ctx} -> {got:?}");
                    assert_ne!(entry.platform, "generic", "{ctx}");
                }
                others += 1;
            }
        }
    }
    assert!(
        posts >= 50 && others >= 20,
        "checked {posts} posts, {others} others"
    );
}
