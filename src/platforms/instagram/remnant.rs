//! The text an Instagram embed decays into: "View this post on Instagram", the caption, and the
//! footer "A post shared by NAME (@handle) on DATE", in the languages publishers embed with.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Platform, Remnant};
use crate::platforms::markup::remnant::{
    Anchor, Finder, Found, Literals, MAX_REMNANTS, Reach, clean_name, literals, may_hold, regex,
};

/// The finder the registry runs.
pub static FINDER: Finder = Finder {
    name: "instagram footer and header",
    may_match,
    find,
    anchors: &[
        // A footer's handle: "Una publicación compartida de NAME (@": a lead and a name of 64
        // characters (4 bytes each at most) before it, a handle and a date after it.
        Anchor {
            text: "@",
            reach: Reach {
                before: 320,
                after: 384,
            },
            // "NAME (@handle)", or a lead's last word and the handle alone: "shared by
            // @handle", "geteilt von @handle" …
            preceded_by: &["(", "by", "von", "de", "par", "por", "da", "door"],
        },
        // A header's "Instagram", in any case ("INSTAGRAM" too): "Visualizza questo post su
        // Instagram", "Dit bericht op Instagram bekijken".
        HEADER_ANCHOR,
        Anchor {
            text: "NSTAGRAM",
            ..HEADER_ANCHOR
        },
        // The Japanese and Korean footers name the author first and end with the verb:
        // "NAME(@handle)がシェアした投稿", "NAME(@handle)님의 공유 게시물".
        Anchor {
            text: VERB_LAST_FOOTERS[0],
            reach: Reach {
                before: 384,
                after: 0,
            },
            preceded_by: &[],
        },
        Anchor {
            text: VERB_LAST_FOOTERS[1],
            reach: Reach {
                before: 384,
                after: 0,
            },
            preceded_by: &[],
        },
    ],
    // A footer's caption and header lie up to MAX_CAPTION bytes before it.
    context: MAX_CAPTION + 512,
};

/// The ends of the Japanese and Korean footers, whose verb follows the author:
/// "NAME(@handle)がシェアした投稿", "NAME(@handle)님의 공유 게시물".
const VERB_LAST_FOOTERS: [&str; 2] = ["がシェアした投稿", "님의 공유 게시물"];

/// Where a header holds the word, after its first letter.
const HEADER_ANCHOR: Anchor = Anchor {
    text: "nstagram",
    reach: Reach {
        before: 48,
        after: 32,
    },
    // The word before "Instagram" in each header of [`INSTAGRAM_HEADER`], and its "I".
    preceded_by: &[
        "on i", "auf i", "en i", "sur i", "no i", "su i", "op i", "yi i",
    ],
};

/// Every header holds this (ASCII case-insensitively).
static HEADER_LITERALS: LazyLock<Literals> = LazyLock::new(|| literals(&["instagram"]));

/// Every footer holds one of these (ASCII case-insensitively): most pages name Instagram
/// somewhere, few hold a footer, so the footer's pattern is not run over the others.
static FOOTER_LITERALS: LazyLock<Literals> = LazyLock::new(|| {
    literals(&[
        "shared by",
        "geteilt von",
        "compartida",
        "partag",
        "compartilhada por",
        "condiviso da",
        "gedeeld door",
        "posted by",
        "bài viết do",
        VERB_LAST_FOOTERS[0],
        VERB_LAST_FOOTERS[1],
    ])
});

/// Every header and footer holds one of these words whole (ASCII case-insensitively), whatever
/// the whitespace around and between the words: the test for text not yet collapsed.
static WORDS: LazyLock<Literals> = LazyLock::new(|| {
    literals(&[
        "instagram",
        "shared",
        "geteilt",
        "compartida",
        "partag",
        "compartilhada",
        "condiviso",
        "gedeeld",
        "posted",
        "bài viết",
        "シェア",
        "공유",
    ])
});

fn may_match(text: &str) -> bool {
    may_hold(text, &WORDS)
}

/// Instagram's footer in the languages seen in the corpus: "A post shared by NAME (@handle)"
/// with an optional " on DATE". NAME may contain parentheses ("Benjamin Näßler (he/him)"), so it
/// runs lazily up to the "(@" before the handle; it is capped at 64 characters (Instagram's
/// display names are far shorter) so that prose cannot stretch into a name. Accounts without a display name read
/// "A post shared by @handle". The codes of 2014–2016 (versions 4 to 6) read "A photo posted by
/// NAME (@handle) on DATE" (or "A video …"): words prose uses too, so that lead counts only with
/// its date, which the code always gave.
static INSTAGRAM_FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    let lead = r"(?i:A post shared by|(?P<posted>An? (?:photo|video) posted by)|Bài viết do|Ein Beitrag geteilt von|Una publicaci[oó]n compartida (?:de|por)|Une publication partag[ée]e par|Uma publica[cç][aã]o compartilhada por|Un post condiviso da|Een bericht gedeeld door)";
    let who = r"(?:(?P<name>[^@]{1,64}?)\s*\(\s*@(?P<handle>[A-Za-z0-9._]{1,30})\s*\)|@(?P<bare>[A-Za-z0-9._]{1,30}))";
    // "on May 1, 2019 at 10:03am PDT", "am 23. Okt 2017 um 0:31 Uhr",
    // "el 5 de may. de 2019 a la(s) 10:03 PDT", "le 1 mai 2019 à 10h03 PDT". A date starts with
    // the day or a month name and a day, so "on Instagram in 2019" is not one.
    let date = r"(?:\s+(?i:on|am|el|le|em|in data:?|op)\s+(?P<date>(?:\p{L}{3,10}\.?\s)?\d{1,2}[^@]{0,30}?\d{4}(?:[^@]{0,25}?\d{1,2}[:h.]\d{2}(?:\s?[ap]\.?m\.?)?(?:\s+(?:Uhr|[A-Z]{2,5}\b))?)?))?";
    regex(&format!(r"{lead}\s+{who}{date}"))
});

/// The Japanese and Korean footers, whose verb follows the author: "NAME(@handle)がシェアした
/// 投稿", "NAME(@handle)님의 공유 게시물". Nothing leads them, so the name runs back to the
/// line break of the footer's own block (the page text's `\n`), 64 characters at most.
static INSTAGRAM_FOOTER_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"(?:^|\n)[^\S\n]*(?P<name>[^@\n]{{0,64}}?)\s*\(\s*@(?P<handle>[A-Za-z0-9._]{{1,30}})\s*\)\s*(?:{})",
        VERB_LAST_FOOTERS.join("|")
    ))
});

/// The link text above Instagram's caption, in the same languages and in those whose footer
/// is read above, and Chinese, Russian and Turkish.
static INSTAGRAM_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)View this post on Instagram|Instagramでこの投稿を見る|Instagram에서 이 게시물 보기|Xem bài viết này trên Instagram|在 ?Instagram ?查看这篇帖子|Посмотреть эту публикацию в Instagram|Bu gönderiyi Instagram'da gör|Diesen Beitrag auf Instagram ansehen|Ver esta publicaci[oó]n en Instagram|Voir cette publication sur Instagram|Ver (?:esta|essa) (?:publica[cç][aã]o|foto) no Instagram|Visualizza questo post su Instagram|Dit bericht op Instagram bekijken",
    )
});

/// How far before a footer the "View this post on Instagram" header may sit (a caption fits).
const MAX_CAPTION: usize = 2500;

/// The most "View this post on Instagram" headers paired with footers (a caption may hold a
/// few more headers than it has footers).
const MAX_HEADERS: usize = 4 * MAX_REMNANTS;

fn find(text: &str, found: &mut Found) {
    // Each pattern runs only over text that can hold it.
    let may_head = may_hold(text, &HEADER_LITERALS);
    let may_foot = may_hold(text, &FOOTER_LITERALS);
    let mut headers: Vec<Range<usize>> = Vec::new();
    if may_head {
        let mut all_headers = INSTAGRAM_HEADER.find_iter(text).map(|m| m.range());
        headers.extend(all_headers.by_ref().take(MAX_HEADERS));
        if all_headers.next().is_some() {
            found.left_out = true;
        }
    }
    let mut used_headers = vec![false; headers.len()];
    let mut prev_end = 0;
    // Both footers' matches, in text order (each header is paired with the footer after it),
    // each from where its text starts: a footer read back to its block's line break starts at
    // its name.
    let mut footers: Vec<(usize, regex::Captures<'_>)> = Vec::new();
    if may_foot {
        let before = INSTAGRAM_FOOTER.captures_iter(text).take(MAX_HEADERS);
        footers.extend(before.filter_map(|c| Some((c.get(0)?.start(), c))));
        // Only Japanese and Korean footers end with these.
        if VERB_LAST_FOOTERS.iter().any(|end| text.contains(end)) {
            let after = INSTAGRAM_FOOTER_AFTER.captures_iter(text).take(MAX_HEADERS);
            footers.extend(after.filter_map(|c| Some((c.name("name")?.start(), c))));
        }
        footers.sort_by_key(|(start, _)| *start);
    }
    for (footer_start, caps) in footers {
        let Some(whole) = caps.get(0) else { continue };
        if caps.name("posted").is_some() && caps.name("date").is_none() {
            continue;
        }
        // The caption sits between the header and the footer: start at the nearest header that
        // is after the previous remnant and close enough.
        if footer_start < prev_end {
            continue;
        }
        let header = headers.iter().enumerate().rev().find(|(_, h)| {
            h.end <= footer_start && h.start >= prev_end && footer_start - h.end <= MAX_CAPTION
        });
        let start = match header {
            Some((i, h)) => {
                used_headers[i] = true;
                h.start
            }
            None => footer_start,
        };
        let handle = caps
            .name("handle")
            .or_else(|| caps.name("bare"))
            .map(|m| m.as_str().to_owned());
        let name = caps.name("name").and_then(|m| clean_name(m.as_str()));
        let range = start..whole.end();
        let remnant = Remnant {
            platform: Platform::Instagram,
            author_name: name,
            author_handle: handle,
            text: text[range.clone()].to_owned(),
        };
        if !found.push(range, remnant) {
            return;
        }
        prev_end = whole.end();
    }
    // A header with no footer after it is still a remnant: the post is unknown, the platform not.
    for (header, used) in headers.into_iter().zip(used_headers) {
        if !used && !found.overlaps(&header) {
            let remnant = Remnant {
                platform: Platform::Instagram,
                author_name: None,
                author_handle: None,
                text: text[header.clone()].to_owned(),
            };
            if !found.push(header, remnant) {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Forcing each `LazyLock` compiles its pattern; a pattern that does not compile panics here
    /// rather than on the first page a user scans.
    #[test]
    fn patterns_compile() {
        for re in [
            &INSTAGRAM_FOOTER,
            &INSTAGRAM_FOOTER_AFTER,
            &INSTAGRAM_HEADER,
        ] {
            assert!(!re.as_str().is_empty());
        }
    }
}
