//! The platform registry: every `Platform` has exactly one module in it, the forms `render`
//! reads are the ones `discover` reads, and no module outside `src/platforms/` names a
//! platform's markup (its blockquote classes and marker attributes, AMP tags, facades, frame
//! attributes and classes, widget classes, or the address of its script). Adding a platform is
//! one module and one registry line: this test fails until both are there.

use std::path::{Path, PathBuf};

use embedkeep::model::Platform;
use embedkeep::platforms::{self, REGISTRY};
use url::Url;

#[test]
fn every_platform_has_exactly_one_module() {
    for platform in Platform::ALL {
        let modules = REGISTRY.iter().filter(|m| m.platform() == platform).count();
        assert_eq!(modules, 1, "{platform}: {modules} modules in the registry");
        assert_eq!(
            platforms::module(platform).map(|m| m.platform()),
            Some(platform)
        );
    }
    assert_eq!(REGISTRY.len(), Platform::ALL.len());
}

#[test]
fn recognition_goes_through_the_registry_in_order() {
    for (url, platform) in [
        (
            "https://www.instagram.com/p/CZbSJqLhYy0/",
            Platform::Instagram,
        ),
        ("https://twitter.com/a/status/1", Platform::X),
        (
            "https://www.tiktok.com/@u/video/6718335390845095173",
            Platform::Tiktok,
        ),
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            Platform::Youtube,
        ),
        (
            "https://www.dailymotion.com/video/x130bpf",
            Platform::Dailymotion,
        ),
    ] {
        let url = Url::parse(url).expect("test URL");
        let first = REGISTRY
            .iter()
            .find_map(|m| m.recognise(&url).map(|r| (m.platform(), r)));
        let (module, recognised) = first.expect("some module claims it");
        assert_eq!(module, platform, "{url}");
        assert_eq!(recognised.platform, platform, "{url}");
        assert_eq!(platforms::recognise(&url), Some(recognised), "{url}");
    }
}

#[test]
fn platforms_with_a_resolver_declare_their_sources() {
    for platform in Platform::ALL {
        let module = platforms::module(platform).expect("module");
        assert!(!module.sources().is_empty(), "{platform}");
        for source in module.sources() {
            // `page` is the one source every platform may end with; the page source follows
            // the oEmbed endpoint a page announces.
            let shared = source.starts_with("page")
                || (platform == Platform::Page && source.starts_with("oembed"));
            assert!(
                source.starts_with(platform.as_str()) || shared,
                "{platform}: source {source}"
            );
        }
    }
}

#[test]
fn render_reads_the_forms_discover_reads() {
    let declared = platforms::declared();
    let forms = platforms::embed_forms();
    let declared_classes: Vec<&str> = declared.quotes.iter().map(|q| q.form.class).collect();
    let render_classes: Vec<&str> = forms.quotes.iter().map(|q| q.class).collect();
    assert_eq!(declared_classes, render_classes);
    let mut unique = declared_classes.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(
        unique.len(),
        declared_classes.len(),
        "a class declared twice"
    );
    let facades: Vec<&str> = forms.facades.iter().map(|f| f.element).collect();
    let declared_facades: Vec<&str> = declared.facades.iter().map(|f| f.element).collect();
    assert_eq!(facades, declared_facades);
}

/// The markup strings every platform declares, and each script as (host, path).
fn declared_markup() -> (Vec<&'static str>, Vec<(&'static str, &'static str)>) {
    let declared = platforms::declared();
    let scripts = platforms::embed_forms()
        .families
        .iter()
        .flat_map(|f| f.scripts.iter().copied())
        .collect();
    (declared.marker_texts(), scripts)
}

/// The lines of `source` that are code: test modules (from the first `#[cfg(test)]` on) and
/// whole-line comments left out.
fn code_lines(source: &str) -> impl Iterator<Item = (usize, &str)> {
    let code = source
        .find("#[cfg(test)]")
        .map_or(source, |at| &source[..at]);
    code.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
}

/// Where `source` names declared markup: (line, what).
fn violations(source: &str, markers: &[&str], scripts: &[(&str, &str)]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in code_lines(source) {
        for m in markers {
            if line.contains(&format!("\"{m}")) || line.contains(&format!("{m}\"")) {
                out.push((n, (*m).to_owned()));
            }
        }
        for (host, path) in scripts {
            if line.contains(host) && line.contains(path) {
                out.push((n, format!("{host}{path}")));
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn is_test_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    name == "tests.rs"
        || name.ends_with("_tests.rs")
        || path.components().any(|c| c.as_os_str() == "tests")
}

#[test]
fn the_declared_markup_is_what_the_scan_looks_for() {
    let (markers, scripts) = declared_markup();
    for m in [
        "instagram-media",
        "data-instgrm-permalink",
        "twitter-tweet",
        "twitter-timeline",
        "tiktok-embed",
        "bluesky-embed",
        "fb-post",
        "data-pin-do",
        "amp-youtube",
        "lite-youtube",
        "data-tweet-id",
    ] {
        assert!(markers.contains(&m), "{m} is not declared");
    }
    assert!(scripts.contains(&("platform.twitter.com", "/widgets.js")));
    // The scan finds a planted use, and leaves comments and test modules alone.
    let planted = "fn f() {\n    let c = \"twitter-tweet\";\n    // \"tiktok-embed\"\n    let s = (\"platform.twitter.com\", \"/widgets.js\");\n}\n#[cfg(test)]\nmod tests { const X: &str = \"fb-post\"; }\n";
    assert_eq!(
        violations(planted, &markers, &scripts),
        vec![
            (2, "twitter-tweet".to_owned()),
            (4, "platform.twitter.com/widgets.js".to_owned())
        ]
    );
}

#[test]
fn no_module_outside_platforms_names_a_platforms_markup() {
    let (markers, scripts) = declared_markup();
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let platforms_dir = src.join("platforms");
    let mut found = Vec::new();
    for file in files {
        if file.starts_with(&platforms_dir) || is_test_file(&file) {
            continue;
        }
        let source =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for (line, what) in violations(&source, &markers, &scripts) {
            found.push(format!("{}:{line}: {what}", file.display()));
        }
    }
    assert!(
        found.is_empty(),
        "platform markup named outside src/platforms/:\n{}",
        found.join("\n")
    );
}

/// The settings name platforms by string: their list is the registry's.
#[test]
fn the_settings_know_every_platform_by_its_contract_name() {
    let names: Vec<&str> = embedkeep::model::Platform::ALL
        .iter()
        .map(|p| p.as_str())
        .collect();
    assert_eq!(names, embedkeep::config::PLATFORM_NAMES);
}

#[test]
fn platform_tables_are_checked_against_the_registry() {
    use std::path::Path;
    let ok = embedkeep::config::Config::from_toml(
        "[platforms.bluesky]\nenabled = false\nmin_interval = \"2s\"\n",
        Path::new("c.toml"),
    )
    .expect("valid toml");
    assert!(!ok.platforms.get("bluesky").enabled);
    assert!(
        ok.platforms.get("vimeo").enabled,
        "absent tables are the defaults"
    );
    // Read as the file is read, by every command, `config check` and a daemon's reload alike.
    let message = embedkeep::config::Config::from_toml(
        "[platforms.blusky]\nenabled = false\n",
        Path::new("c.toml"),
    )
    .expect_err("misspelt name refused")
    .to_string();
    assert!(
        message.contains("blusky") && message.contains("bluesky"),
        "{message}"
    );
}
