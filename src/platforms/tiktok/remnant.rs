//! The text a TikTok embed decays into: "@handle CAPTION ♬ SOUND".

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Platform, Remnant};
use crate::platforms::markup::remnant::{Anchor, Finder, Found, Reach, regex};

/// The finder the registry runs.
pub static FINDER: Finder = Finder {
    name: "tiktok caption and sound",
    may_match,
    find,
    // "@handle CAPTION ♬": a caption of 600 characters (4 bytes each at most) before the note
    // sign; a sound of 80 after it.
    anchors: &[Anchor {
        text: "\u{266C}",
        reach: Reach {
            before: 2560,
            after: 384,
        },
        preceded_by: &[],
    }],
    // The author is the last "@name" opening a sentence before the note: the text before it
    // is read.
    context: 3072,
};

/// Every match holds the note sign.
fn may_match(text: &str) -> bool {
    text.contains('♬')
}

/// TikTok's blockquote text: "@handle CAPTION ♬ SOUND". The note sign is the anchor; the handle
/// is the nearest "@name" word before it (within a caption's length). The sound ends its
/// blockquote: it runs to the end of a sentence or to a block's line break (the page text's
/// `\n`), not into the article's next paragraph or heading.
static TIKTOK: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?:^|\s)@(?P<handle>[A-Za-z0-9._]{2,24})\s(?P<caption>[^♬]{0,600}?)\s?♬\s*(?P<sound>[^♬.!?\n]{1,80})",
    )
});

/// One "@name" word, for choosing the author among a TikTok text's mentions.
static TIKTOK_HANDLE: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?:^|\s)@(?P<handle>[A-Za-z0-9._]{2,24})\s"));

fn find(text: &str, found: &mut Found) {
    if !may_match(text) {
        return;
    }
    for caps in TIKTOK.captures_iter(text) {
        let (Some(whole), Some(first)) = (caps.get(0), caps.name("handle")) else {
            continue;
        };
        // The regex takes the leftmost "@name" that reaches the note sign, which may be a
        // mention in the prose before the embed. The embed's own text opens with its author's
        // "@name" at the start of a block, i.e. after the end of the previous sentence; a
        // caption's mentions sit mid-sentence. So take the last "@name" that opens a sentence,
        // else the first one.
        let span_start = first.start() - 1; // the "@"
        let note = whole
            .as_str()
            .find('♬')
            .map_or(whole.end(), |i| whole.start() + i);
        let handle = TIKTOK_HANDLE
            .captures_iter(&text[span_start..note])
            .filter_map(|c| c.name("handle"))
            .map(|m| (span_start + m.start() - 1, m.as_str()))
            .filter(|(at, _)| *at == span_start || opens_sentence(text, *at))
            .last()
            .unwrap_or((span_start, first.as_str()));
        let range = handle.0..whole.end();
        if found.overlaps(&range) {
            continue;
        }
        let remnant = Remnant {
            platform: Platform::Tiktok,
            author_name: None,
            author_handle: Some(handle.1.trim_end_matches('.').to_owned()),
            text: text[range.clone()].trim().to_owned(),
        };
        if !found.push(range, remnant) {
            return;
        }
    }
}

/// True when the text before byte `at` ends a sentence (or is empty).
fn opens_sentence(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end();
    before.is_empty() || before.ends_with(['.', '!', '?', ':', '"', '»', '”'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_compile() {
        for re in [&TIKTOK, &TIKTOK_HANDLE] {
            assert!(!re.as_str().is_empty());
        }
    }
}
