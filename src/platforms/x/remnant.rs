//! The text an X embed decays into: the attribution line "— NAME (@handle) DATE". Bluesky's
//! embed copies the format, so the line is read here once and a dotted handle (a Bluesky domain
//! handle) is reported as Bluesky's.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Platform, Remnant};
use crate::platforms::markup::remnant::{Anchor, Finder, Found, Reach, clean_name, regex};

/// The finder the registry runs.
pub static FINDER: Finder = Finder {
    name: "attribution line",
    may_match,
    find,
    // "— NAME (@": a dash, a name of 60 characters (4 bytes each at most); then a handle of
    // 100 and a date.
    anchors: &[Anchor {
        text: "@",
        reach: Reach {
            before: 320,
            after: 256,
        },
        preceded_by: &["("],
    }],
    context: 512,
};

/// The attribution line of a tweet (and of a Bluesky post, whose embed copies the format):
/// "— NAME (@handle) DATE". With a real dash the date must follow; the `&mdash;` entity is the
/// embed code's own spelling, so it needs no date.
static DASH_ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
    let dash = r"(?P<dash>—|&mdash;|&#8212;|&#x2014;)";
    let who = r"\s*(?P<name>[^@—]{1,60}?)\s*\(\s*@(?P<handle>[A-Za-z0-9_.\-]{1,100})\s*\)";
    // "May 1, 2019", "20 de febrero de 2014", "1. Mai 2019", "1 mai 2019", optionally followed by
    // Bluesky's "at 10:03 AM"; the embed codes made in Japanese and Chinese ("2017年12月26日")
    // and Korean ("2012년 12월 4일").
    let date = r"(?:\s*(?P<date>(?:\p{Lu}\p{Ll}{2,9}\.? \d{1,2}, \d{4}|\d{1,2}\.? (?:de )?\p{L}{3,12}\.? (?:de )?\d{4}|\d{4}年\d{1,2}月\d{1,2}日|\d{4}년 \d{1,2}월 \d{1,2}일)(?: at \d{1,2}:\d{2}\s?[AP]M)?))?";
    regex(&format!("{dash}{who}{date}"))
});

/// Every match holds one of the dashes and the `@` of its handle.
fn may_match(text: &str) -> bool {
    text.contains('@')
        && (text.contains('—')
            || text.contains("&mdash;")
            || text.contains("&#8212;")
            || text.contains("&#x2014;"))
}

fn find(text: &str, found: &mut Found) {
    if !may_match(text) {
        return;
    }
    for caps in DASH_ATTRIBUTION.captures_iter(text) {
        let (Some(whole), Some(dash), Some(handle)) =
            (caps.get(0), caps.name("dash"), caps.name("handle"))
        else {
            continue;
        };
        let entity = dash.as_str().starts_with('&');
        let dated = caps.name("date").is_some();
        // A real dash before "NAME (@handle)" also occurs in prose attributions; only the date
        // that the embed prints makes it an embed's line.
        if !(entity || dated) {
            continue;
        }
        let handle = handle.as_str().trim_end_matches(['.', '-']);
        // X handles are letters, digits and `_`; a dotted handle is a Bluesky domain handle.
        let platform = if handle.contains('.') {
            Platform::Bluesky
        } else if handle.len() <= 15 && !handle.contains('-') {
            Platform::X
        } else {
            continue;
        };
        let range = whole.range();
        if found.overlaps(&range) {
            continue;
        }
        let name = caps.name("name").and_then(|m| clean_name(m.as_str()));
        let remnant = Remnant {
            platform,
            author_name: name,
            author_handle: Some(handle.to_owned()),
            text: text[range.clone()].trim().to_owned(),
        };
        if !found.push(range, remnant) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_compiles() {
        assert!(!DASH_ATTRIBUTION.as_str().is_empty());
    }
}
