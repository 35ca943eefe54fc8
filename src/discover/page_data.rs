//! The page data a Next.js site renders its pages from (`<script id="__NEXT_DATA__"
//! type="application/json">`) holds the article and, beside it, the other stories the page
//! links to: related videos, most read, read next. Their embed codes are no embeds of this
//! article, though they are markup in the same script. What a key names as other stories is
//! left out before the script is read for hidden markup; the article's own content, wherever
//! the site keeps it, is read as before.

use std::borrow::Cow;

use serde_json::Value;

/// The `id` of the script a Next.js page keeps its data in.
const NEXT_DATA_ID: &[u8] = b"__NEXT_DATA__";

/// The largest page data read as JSON: a parsed document takes several times its text's
/// memory, and real pages' data is a few hundred KiB to a couple of MiB. Larger data is read
/// whole, as any script is.
pub(super) const MAX_DATA_BYTES: usize = 8 * 1024 * 1024;

/// Words of a key (`videoRelated` is `video`, `related`) that name other stories than the
/// page's, alone or as two words in a row.
const OTHER_STORY_WORDS: &[&str] = &[
    "related",
    "recirculation",
    "trending",
    "popular",
    "outbrain",
    "taboola",
];
const OTHER_STORY_PAIRS: &[(&str, &str)] = &[
    ("most", "read"),
    ("most", "viewed"),
    ("more", "stories"),
    ("more", "from"),
    ("more", "news"),
    ("read", "next"),
    ("up", "next"),
    ("next", "article"),
    ("next", "articles"),
    ("more", "on"),
    ("more", "articles"),
    ("latest", "stories"),
    ("latest", "news"),
    ("latest", "articles"),
];

/// The body of the script `id` names, without what its keys name as other stories, when it is
/// a Next.js page's data that parses as JSON; any other body as it is.
pub(super) fn without_other_stories<'b>(id: Option<&[u8]>, body: &'b str) -> Cow<'b, str> {
    if id != Some(NEXT_DATA_ID) || body.len() > MAX_DATA_BYTES {
        return Cow::Borrowed(body);
    }
    let Ok(mut data) = serde_json::from_str::<Value>(body) else {
        return Cow::Borrowed(body);
    };
    if !prune(&mut data) {
        return Cow::Borrowed(body);
    }
    match serde_json::to_string(&data) {
        Ok(pruned) => Cow::Owned(pruned),
        Err(_) => Cow::Borrowed(body),
    }
}

/// Remove every member whose key names other stories, at any depth; whether any was. The depth
/// is the parser's (serde_json refuses documents nested deeper than 128), so this recursion is
/// bounded.
fn prune(value: &mut Value) -> bool {
    match value {
        Value::Object(members) => {
            let before = members.len();
            members.retain(|key, _| !names_other_stories(key));
            let mut removed = members.len() < before;
            for member in members.values_mut() {
                removed |= prune(member);
            }
            removed
        }
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |removed, item| prune(item) | removed),
        _ => false,
    }
}

/// Whether `key` is a field name (not data used as a key: an API address in SWR's
/// `fallback`, an id in Apollo's cache) whose words name other stories. An id Apollo's cache
/// generates for what a field holds (`$ROOT_QUERY.content({…}).moreOnThisArticles.0`) is judged
/// by the field names in it.
pub(super) fn names_other_stories(key: &str) -> bool {
    if key.starts_with('$') {
        return apollo_fields(key).any(is_other_stories_field);
    }
    is_other_stories_field(key)
}

/// The field names an Apollo cache id is made of: its dot-separated parts outside the
/// parentheses of their arguments, each without those.
fn apollo_fields(id: &str) -> impl Iterator<Item = &str> {
    let mut depth = 0usize;
    let mut start = 0;
    let mut parts = Vec::new();
    for (i, c) in id.char_indices() {
        match c {
            '(' | '{' | '[' => depth += 1,
            ')' | '}' | ']' => depth = depth.saturating_sub(1),
            '.' if depth == 0 => {
                parts.push(&id[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&id[start..]);
    parts
        .into_iter()
        .map(|part| part.split('(').next().unwrap_or_default())
}

fn is_other_stories_field(key: &str) -> bool {
    let field = !key.is_empty()
        && key.len() <= 40
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !field {
        return false;
    }
    let words = words(key);
    words
        .iter()
        .any(|w| OTHER_STORY_WORDS.contains(&w.as_str()) || w.starts_with("recommend"))
        || words
            .windows(2)
            .any(|pair| OTHER_STORY_PAIRS.contains(&(pair[0].as_str(), pair[1].as_str())))
}

/// A field name's words, lowercased: split at `_`, `-` and where a lowercase letter or digit
/// meets an uppercase one (`mostReadList` is `most`, `read`, `list`; `RELATED` is one word).
fn words(key: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in key.chars() {
        if c == '_' || c == '-' {
            out.extend((!current.is_empty()).then(|| std::mem::take(&mut current)));
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower {
            out.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_lowercase());
    }
    out.extend((!current.is_empty()).then_some(current));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_stories_are_left_out_of_next_data_only() {
        let body = r#"{"props":{"pageProps":{"article":{"content_elements":[{"content":"<iframe src=\"https://www.youtube.com/embed/OWN\"></iframe>"}]},"videoRelated":{"items":[{"embed":"<iframe src=\"https://www.youtube.com/embed/OTHER\"></iframe>"}]},"most_read":[1],"Up-Next":[2]}}}"#;
        let got = without_other_stories(Some(b"__NEXT_DATA__"), body);
        assert!(got.contains("embed/OWN"), "{got}");
        assert!(!got.contains("OTHER"), "{got}");
        assert!(
            !got.contains("most_read") && !got.contains("Up-Next"),
            "{got}"
        );
        // Another script, or data that does not parse, is read as it is.
        assert_eq!(without_other_stories(Some(b"data"), body), body);
        assert_eq!(without_other_stories(None, body), body);
        let broken = r#"{"videoRelated": "<iframe"#;
        assert_eq!(
            without_other_stories(Some(b"__NEXT_DATA__"), broken),
            broken
        );
        // Data larger than is parsed is read whole.
        let huge = format!(
            r#"{{"videoRelated":"<iframe>","pad":"{}"}}"#,
            "x".repeat(MAX_DATA_BYTES)
        );
        assert!(matches!(
            without_other_stories(Some(b"__NEXT_DATA__"), &huge),
            Cow::Borrowed(_)
        ));
        // Nothing to leave out: the same bytes, not a re-serialised copy.
        let plain = r#"{"props": {"a": "<iframe src=x>"}}"#;
        assert!(matches!(
            without_other_stories(Some(b"__NEXT_DATA__"), plain),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn keys_of_the_articles_own_content_are_kept() {
        for key in [
            "article",
            "content_elements",
            "body",
            "story",
            "videos",
            "embed",
            "relation",
            "populate",
            "correlated",
            "threadNext",
            "groupNext",
            "spreadNext",
            // Data used as keys: an SWR fallback's API address, an Apollo cache id.
            "/api/article/the-most-popular-tweets-of-2024",
            "$ArticleType:6275.data",
            "$ROOT_QUERY.content({\"contentType\":\"Article\"}).body({\"customContents\":[\"popular\"]})",
        ] {
            assert!(!names_other_stories(key), "{key}");
        }
        for key in [
            "relatedVideos",
            "videoRelated",
            "RELATED",
            "mostPopular",
            "mostReadList",
            "read_next",
            "Up-Next",
            "taboolaFeed",
            "recommendations",
            "moreOnThisArticles",
            "$ROOT_QUERY.content({\"contentType\":\"Article\"}).moreOnThisArticles.0",
        ] {
            assert!(names_other_stories(key), "{key}");
        }
    }
}
