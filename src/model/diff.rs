//! What changed between two snapshots of a post, field by field: the text (line by line), the
//! author's name, handle and URL, the title, language and reply/quote targets, the publication
//! time, and the media (added, removed, swapped for another item, or shown at other dimensions).
//! Pure functions over [`Snapshot`]: `report` shapes the result for `show --diff --json` and
//! `cli` prints it.
//!
//! Media are compared the way [`Snapshot::content_sha256`] counts them: by kind and by URL
//! without its query, because signed CDN URLs change their query on every fetch; a new query
//! alone is never a change. Text is compared with whitespace collapsed, like the content hash.

use chrono::{DateTime, Utc};

use super::{MediaKind, Snapshot, StoredSnapshot, normalise, url_without_query};

/// Text diffs compare at most this many line pairs; a longer text is shown as replaced whole
/// (every old line removed, every new line added) rather than spending quadratic time on it.
const MAX_LINE_PAIRS: usize = 1_000_000;

/// Everything that differs between an older and a newer snapshot, in a fixed order: text,
/// author name, handle, URL, title, language, reply and quote targets, publication time, then
/// media by position.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SnapshotDiff {
    pub changes: Vec<Change>,
}

impl SnapshotDiff {
    /// True when nothing a reader would see differs.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// One difference between two snapshots.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// The post's text (caption, body, description) differs; `lines` is the line diff.
    Text {
        before: Option<String>,
        after: Option<String>,
        lines: Vec<TextLine>,
    },
    /// The author's name, handle or URL differs (a rename, a moved profile).
    Author {
        field: AuthorField,
        before: Option<String>,
        after: Option<String>,
    },
    /// The title, language, or reply or quote target differs (or appeared, or went away).
    Field {
        field: SnapshotField,
        before: Option<String>,
        after: Option<String>,
    },
    /// The publication time differs (or appeared, or went away).
    PublishedAt {
        before: Option<DateTime<Utc>>,
        after: Option<DateTime<Utc>>,
    },
    /// A media item was added, removed, swapped or resized.
    Media(MediaChange),
}

impl Change {
    /// The contract name of the changed field (`text`, `author_name`, `author_handle`,
    /// `author_url`, `published_at`, `media`).
    pub fn field(&self) -> &'static str {
        match self {
            Change::Text { .. } => "text",
            Change::Author { field, .. } => field.as_str(),
            Change::Field { field, .. } => field.as_str(),
            Change::PublishedAt { .. } => "published_at",
            Change::Media(_) => "media",
        }
    }
}

/// Which author field changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorField {
    Name,
    Handle,
    Url,
}

impl AuthorField {
    /// The snapshot field's contract name.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthorField::Name => "author_name",
            AuthorField::Handle => "author_handle",
            AuthorField::Url => "author_url",
        }
    }
}

/// Which other text field of a snapshot changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapshotField {
    Title,
    Lang,
    ReplyTo,
    QuoteOf,
}

impl SnapshotField {
    /// The snapshot field's contract name.
    pub fn as_str(self) -> &'static str {
        match self {
            SnapshotField::Title => "title",
            SnapshotField::Lang => "lang",
            SnapshotField::ReplyTo => "reply_to",
            SnapshotField::QuoteOf => "quote_of",
        }
    }
}

/// One line of a text diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextLine {
    pub op: LineOp,
    pub text: String,
}

/// Whether a line is in both texts, only in the older one, or only in the newer one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineOp {
    Same,
    Removed,
    Added,
}

impl LineOp {
    /// The contract name (`same`, `removed`, `added`).
    pub fn as_str(self) -> &'static str {
        match self {
            LineOp::Same => "same",
            LineOp::Removed => "removed",
            LineOp::Added => "added",
        }
    }

    /// The diff marker: ` `, `-` or `+`.
    pub fn marker(self) -> char {
        match self {
            LineOp::Same => ' ',
            LineOp::Removed => '-',
            LineOp::Added => '+',
        }
    }
}

/// What a reader sees of a media item: its kind, URL and dimensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFacts {
    pub kind: MediaKind,
    pub url: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// How the media of a post changed. `index` is the item's position (from 0) in the newer
/// snapshot, or in the older one for a removed item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaChange {
    /// An item only the newer snapshot has.
    Added { index: usize, media: MediaFacts },
    /// An item only the older snapshot had.
    Removed { index: usize, media: MediaFacts },
    /// A different item (another URL or kind) in the same position.
    Swapped {
        index: usize,
        before: MediaFacts,
        after: MediaFacts,
    },
    /// The same item (same kind and URL but for the query) at other dimensions.
    Resized {
        index: usize,
        before: MediaFacts,
        after: MediaFacts,
    },
}

impl MediaChange {
    /// The contract name of the change (`added`, `removed`, `swapped`, `resized`).
    pub fn as_str(&self) -> &'static str {
        match self {
            MediaChange::Added { .. } => "added",
            MediaChange::Removed { .. } => "removed",
            MediaChange::Swapped { .. } => "swapped",
            MediaChange::Resized { .. } => "resized",
        }
    }
}

/// The changes from one stored snapshot to the next.
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotStep {
    /// The older snapshot's archive id.
    pub from: i64,
    /// The newer snapshot's archive id.
    pub to: i64,
    /// The last time the older content was seen before the change.
    pub from_last_seen_at: DateTime<Utc>,
    /// The first time the newer content was seen after it (for a content come back, the
    /// sighting of its return the archive keeps): the change happened between the two.
    pub to_first_seen_at: DateTime<Utc>,
    pub diff: SnapshotDiff,
}

/// The changes between a post's snapshots, given newest first (as the archive lists them:
/// by when each content was last seen); the result is newest first too. Fewer than two
/// snapshots give nothing.
///
/// A snapshot is one distinct content, seen first at `first_seen_at` and last at
/// `last_seen_at`, so a post edited and then edited back (A, B, A) has two (A and B), and A's
/// `last_seen_at` is later than B's `first_seen_at`. Those two sightings of every snapshot
/// are put on one timeline, and each change of content along it is a step: A → B, then B → A.
/// A step's two times bracket its change: the last sighting of the older content before it,
/// and the first sighting of the newer one after it (for a content come back, the one
/// sighting the archive keeps of its return, its latest). What happened between two sightings
/// the archive did not keep is not told: a content that went and came back between them shows
/// no step.
pub fn history(snapshots_newest_first: &[StoredSnapshot]) -> Vec<SnapshotStep> {
    let mut sightings: Vec<(DateTime<Utc>, &StoredSnapshot)> = snapshots_newest_first
        .iter()
        .flat_map(|s| [(s.first_seen_at, s), (s.last_seen_at, s)])
        .collect();
    sightings.sort_by_key(|(at, s)| (*at, s.id));
    let mut steps: Vec<SnapshotStep> = Vec::new();
    let mut seen: Option<(DateTime<Utc>, &StoredSnapshot)> = None;
    for (at, snapshot) in sightings {
        match seen {
            Some((last_at, older)) if older.id != snapshot.id => steps.push(SnapshotStep {
                from: older.id,
                to: snapshot.id,
                from_last_seen_at: last_at,
                to_first_seen_at: at,
                diff: diff(&older.snapshot, &snapshot.snapshot),
            }),
            _ => {}
        }
        seen = Some((at, snapshot));
    }
    steps.reverse();
    steps
}

/// What differs between `older` and `newer`.
pub fn diff(older: &Snapshot, newer: &Snapshot) -> SnapshotDiff {
    let mut changes = Vec::new();
    if normalise(&older.text) != normalise(&newer.text) {
        changes.push(Change::Text {
            before: older.text.clone(),
            after: newer.text.clone(),
            lines: line_diff(
                older.text.as_deref().unwrap_or_default(),
                newer.text.as_deref().unwrap_or_default(),
            ),
        });
    }
    for (field, before, after) in [
        (AuthorField::Name, &older.author_name, &newer.author_name),
        (
            AuthorField::Handle,
            &older.author_handle,
            &newer.author_handle,
        ),
        (AuthorField::Url, &older.author_url, &newer.author_url),
    ] {
        if normalise(before) != normalise(after) {
            changes.push(Change::Author {
                field,
                before: before.clone(),
                after: after.clone(),
            });
        }
    }
    for (field, before, after) in [
        (SnapshotField::Title, &older.title, &newer.title),
        (SnapshotField::Lang, &older.lang, &newer.lang),
        (SnapshotField::ReplyTo, &older.reply_to, &newer.reply_to),
        (SnapshotField::QuoteOf, &older.quote_of, &newer.quote_of),
    ] {
        // Compared as the content hash compares them (language tags without case).
        let same = match field {
            SnapshotField::Lang => normalise(before).eq_ignore_ascii_case(&normalise(after)),
            _ => normalise(before) == normalise(after),
        };
        if !same {
            changes.push(Change::Field {
                field,
                before: before.clone(),
                after: after.clone(),
            });
        }
    }
    if older.published_at != newer.published_at {
        changes.push(Change::PublishedAt {
            before: older.published_at,
            after: newer.published_at,
        });
    }
    let before: Vec<MediaFacts> = older.media.iter().map(facts).collect();
    let after: Vec<MediaFacts> = newer.media.iter().map(facts).collect();
    changes.extend(media_diff(&before, &after).into_iter().map(Change::Media));
    SnapshotDiff { changes }
}

fn facts(m: &super::Media) -> MediaFacts {
    MediaFacts {
        kind: m.kind,
        url: m.url.clone(),
        width: m.width,
        height: m.height,
    }
}

/// Two media items are the same item when their kind and their URL without the query agree.
fn same_item(a: &MediaFacts, b: &MediaFacts) -> bool {
    a.kind == b.kind && url_without_query(&a.url) == url_without_query(&b.url)
}

/// Match the newer items to the older ones (same item, first unused match), report resized
/// matches; an unmatched newer item in a position where an older item went unmatched is a swap,
/// the other unmatched items are additions and removals.
fn media_diff(before: &[MediaFacts], after: &[MediaFacts]) -> Vec<MediaChange> {
    let mut used = vec![false; before.len()];
    let mut matched: Vec<Option<usize>> = Vec::with_capacity(after.len());
    for a in after {
        let found = (0..before.len()).find(|&i| !used[i] && same_item(&before[i], a));
        if let Some(i) = found {
            used[i] = true;
        }
        matched.push(found);
    }
    let mut changes = Vec::new();
    for (index, (a, m)) in after.iter().zip(&matched).enumerate() {
        match m {
            Some(i) => {
                let b = &before[*i];
                if (b.width, b.height) != (a.width, a.height) {
                    changes.push(MediaChange::Resized {
                        index,
                        before: b.clone(),
                        after: a.clone(),
                    });
                }
            }
            None => match before.get(index).filter(|_| !used[index]) {
                Some(b) => {
                    used[index] = true;
                    changes.push(MediaChange::Swapped {
                        index,
                        before: b.clone(),
                        after: a.clone(),
                    });
                }
                None => changes.push(MediaChange::Added {
                    index,
                    media: a.clone(),
                }),
            },
        }
    }
    for (index, b) in before.iter().enumerate() {
        if !used[index] {
            changes.push(MediaChange::Removed {
                index,
                media: b.clone(),
            });
        }
    }
    changes
}

/// A line diff (longest common subsequence of lines, compared with whitespace collapsed):
/// every line of both texts in order, marked same, removed or added.
pub fn line_diff(before: &str, after: &str) -> Vec<TextLine> {
    let old: Vec<&str> = before.lines().map(str::trim_end).collect();
    let new: Vec<&str> = after.lines().map(str::trim_end).collect();
    let key = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let old_keys: Vec<String> = old.iter().map(|l| key(l)).collect();
    let new_keys: Vec<String> = new.iter().map(|l| key(l)).collect();
    let line = |op, text: &str| TextLine {
        op,
        text: text.to_owned(),
    };

    if old.len().saturating_mul(new.len()) > MAX_LINE_PAIRS {
        let mut out: Vec<TextLine> = old.iter().map(|l| line(LineOp::Removed, l)).collect();
        out.extend(new.iter().map(|l| line(LineOp::Added, l)));
        return out;
    }
    // lcs[i][j]: length of the longest common subsequence of old[i..] and new[j..].
    let (n, m) = (old.len(), new.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if old_keys[i] == new_keys[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(n + m);
    while i < n || j < m {
        if i < n && j < m && old_keys[i] == new_keys[j] {
            out.push(line(LineOp::Same, new[j]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(line(LineOp::Removed, old[i]));
            i += 1;
        } else {
            out.push(line(LineOp::Added, new[j]));
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Media;

    fn media(url: &str, width: u32, height: u32) -> Media {
        Media {
            kind: MediaKind::Image,
            url: url.into(),
            width: Some(width),
            height: Some(height),
            thumbnail: None,
            original: None,
            error: None,
            ..Default::default()
        }
    }

    fn snapshot(text: &str, media: Vec<Media>) -> Snapshot {
        Snapshot {
            fetched_at: Utc::now(),
            source: "test".into(),
            author_name: Some("Harbour Desk".into()),
            author_handle: Some("harbourdesk".into()),
            author_url: Some("https://www.instagram.com/harbourdesk/".into()),
            text: Some(text.into()),
            published_at: None,
            media,
            raw: vec![],
            ..Default::default()
        }
    }

    fn ops(lines: &[TextLine]) -> Vec<(char, &str)> {
        lines
            .iter()
            .map(|l| (l.op.marker(), l.text.as_str()))
            .collect()
    }

    #[test]
    fn identical_content_has_no_changes() {
        let a = snapshot(
            "Morning light",
            vec![media("https://cdn.example/a.jpg", 10, 20)],
        );
        assert!(diff(&a, &a.clone()).is_empty());
    }

    #[test]
    fn a_new_signed_query_or_whitespace_is_no_change() {
        let a = snapshot(
            "Morning  light\n",
            vec![media("https://cdn.example/a.jpg?oe=1&sig=x", 10, 20)],
        );
        let b = snapshot(
            "Morning light",
            vec![media("https://cdn.example/a.jpg?oe=2&sig=y", 10, 20)],
        );
        assert!(diff(&a, &b).is_empty(), "{:?}", diff(&a, &b));
    }

    #[test]
    fn an_edited_caption_is_a_line_diff() {
        let a = snapshot("Morning light over the harbour.\n\n#harbour", vec![]);
        let b = snapshot("Evening light over the harbour.\n\n#harbour", vec![]);
        let d = diff(&a, &b);
        assert_eq!(d.changes.len(), 1, "{d:?}");
        let Change::Text {
            before,
            after,
            lines,
        } = &d.changes[0]
        else {
            panic!("not a text change: {d:?}");
        };
        assert_eq!(
            before.as_deref(),
            Some("Morning light over the harbour.\n\n#harbour")
        );
        assert_eq!(
            after.as_deref(),
            Some("Evening light over the harbour.\n\n#harbour")
        );
        assert_eq!(
            ops(lines),
            vec![
                ('-', "Morning light over the harbour."),
                ('+', "Evening light over the harbour."),
                (' ', ""),
                (' ', "#harbour"),
            ]
        );
        assert_eq!(d.changes[0].field(), "text");
    }

    #[test]
    fn line_diff_keeps_common_lines_in_order() {
        let lines = line_diff("a\nb\nc\nd", "a\nc\nx\nd\ne");
        assert_eq!(
            ops(&lines),
            vec![
                (' ', "a"),
                ('-', "b"),
                (' ', "c"),
                ('+', "x"),
                (' ', "d"),
                ('+', "e"),
            ]
        );
        assert_eq!(ops(&line_diff("", "new")), vec![('+', "new")]);
        assert_eq!(ops(&line_diff("old", "")), vec![('-', "old")]);
    }

    #[test]
    fn a_very_long_text_is_replaced_whole() {
        let old: String = (0..1500).map(|i| format!("old {i}\n")).collect();
        let new: String = (0..1500).map(|i| format!("new {i}\n")).collect();
        let lines = line_diff(&old, &new);
        assert_eq!(lines.len(), 3000);
        assert!(lines[..1500].iter().all(|l| l.op == LineOp::Removed));
        assert!(lines[1500..].iter().all(|l| l.op == LineOp::Added));
    }

    #[test]
    fn text_that_appears_or_goes_away_is_a_change() {
        let a = snapshot("", vec![]);
        let mut b = a.clone();
        b.text = None;
        assert!(
            diff(&a, &b).is_empty(),
            "empty and missing text read the same"
        );
        let c = snapshot("Now with a caption", vec![]);
        let d = diff(&b, &c);
        assert_eq!(d.changes.len(), 1);
        assert!(
            matches!(&d.changes[0], Change::Text { before: None, lines, .. } if ops(lines) == vec![('+', "Now with a caption")]),
            "{d:?}"
        );
    }

    #[test]
    fn author_renames_and_dates_are_reported_per_field() {
        let a = snapshot("t", vec![]);
        let mut b = a.clone();
        b.author_handle = Some("harbour.desk".into());
        b.author_url = Some("https://www.instagram.com/harbour.desk/".into());
        b.published_at = Some(
            DateTime::parse_from_rfc3339("2024-06-20T07:00:00Z")
                .expect("date")
                .with_timezone(&Utc),
        );
        let d = diff(&a, &b);
        let fields: Vec<&str> = d.changes.iter().map(Change::field).collect();
        assert_eq!(fields, vec!["author_handle", "author_url", "published_at"]);
        assert_eq!(
            d.changes[0],
            Change::Author {
                field: AuthorField::Handle,
                before: Some("harbourdesk".into()),
                after: Some("harbour.desk".into()),
            }
        );
        assert!(matches!(
            d.changes[2],
            Change::PublishedAt {
                before: None,
                after: Some(_)
            }
        ));
    }

    #[test]
    fn a_new_title_language_or_target_is_reported_per_field() {
        let mut a = snapshot("t", vec![]);
        a.lang = Some("EN".into());
        let mut b = a.clone();
        b.lang = Some("en".into());
        assert!(
            diff(&a, &b).is_empty(),
            "language tags compare without case"
        );
        b.title = Some("A title".into());
        b.lang = Some("fr".into());
        b.quote_of = Some("https://x.com/i/status/20".into());
        let d = diff(&a, &b);
        let fields: Vec<&str> = d.changes.iter().map(Change::field).collect();
        assert_eq!(fields, vec!["title", "lang", "quote_of"]);
        assert_eq!(
            d.changes[0],
            Change::Field {
                field: SnapshotField::Title,
                before: None,
                after: Some("A title".into()),
            }
        );
    }

    #[test]
    fn media_added_removed_swapped_and_resized() {
        let a = snapshot(
            "t",
            vec![
                media("https://cdn.example/a.jpg?sig=1", 1080, 1350),
                media("https://cdn.example/b.jpg", 1080, 1080),
                media("https://cdn.example/c.jpg", 640, 640),
            ],
        );
        let b = snapshot(
            "t",
            vec![
                media("https://cdn.example/a.jpg?sig=2", 640, 800),
                media("https://cdn.example/x.jpg", 1080, 1080),
            ],
        );
        let d = diff(&a, &b);
        let kinds: Vec<&str> = d
            .changes
            .iter()
            .map(|c| match c {
                Change::Media(m) => m.as_str(),
                other => panic!("not a media change: {other:?}"),
            })
            .collect();
        assert_eq!(kinds, vec!["resized", "swapped", "removed"], "{d:?}");
        assert!(matches!(
            &d.changes[0],
            Change::Media(MediaChange::Resized { index: 0, before, after })
                if before.width == Some(1080) && after.width == Some(640)
        ));
        assert!(matches!(
            &d.changes[1],
            Change::Media(MediaChange::Swapped { index: 1, before, after })
                if before.url.ends_with("b.jpg") && after.url.ends_with("x.jpg")
        ));
        assert!(matches!(
            &d.changes[2],
            Change::Media(MediaChange::Removed { index: 2, media }) if media.url.ends_with("c.jpg")
        ));

        // Reordered items are neither added nor removed; a new item at the end is added.
        let c = snapshot(
            "t",
            vec![
                media("https://cdn.example/b.jpg", 1080, 1080),
                media("https://cdn.example/a.jpg", 1080, 1350),
                media("https://cdn.example/c.jpg", 640, 640),
                media("https://cdn.example/d.jpg", 640, 640),
            ],
        );
        let d = diff(&a, &c);
        assert_eq!(d.changes.len(), 1, "{d:?}");
        assert!(matches!(
            &d.changes[0],
            Change::Media(MediaChange::Added { index: 3, media }) if media.url.ends_with("d.jpg")
        ));
    }

    /// 10:MM on a fixed day.
    fn at(minute: u32) -> DateTime<Utc> {
        chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 12, 1, 10, minute, 0)
            .single()
            .expect("a time")
    }

    /// A stored snapshot of `text`, first seen at 10:`first` and last at 10:`last`.
    fn stored(id: i64, text: &str, first: u32, last: u32) -> StoredSnapshot {
        StoredSnapshot {
            id,
            post_id: 1,
            content_sha256: String::new(),
            content_version: crate::model::CONTENT_VERSION,
            first_seen_at: at(first),
            last_seen_at: at(last),
            snapshot: snapshot(text, vec![]),
        }
    }

    #[test]
    fn history_pairs_consecutive_snapshots_newest_first() {
        let steps = history(&[
            stored(9, "c", 20, 25),
            stored(5, "b", 10, 15),
            stored(2, "a", 0, 5),
        ]);
        let pairs: Vec<(i64, i64)> = steps.iter().map(|s| (s.from, s.to)).collect();
        assert_eq!(pairs, vec![(5, 9), (2, 5)]);
        assert!(steps.iter().all(|s| s.diff.changes.len() == 1));
        assert!(history(&[stored(1, "a", 0, 0)]).is_empty());
        assert!(history(&[]).is_empty());
    }

    /// Edited and edited back (A at 10:00, B at 10:10, A again at 10:20): one snapshot each of A
    /// and B, A the most recently seen. The history reads A → B, then B → A, newest first, and
    /// each step's times bracket its change.
    #[test]
    fn history_of_an_edit_reverted_reads_forward() {
        let a = stored(1, "a", 0, 20);
        let b = stored(8, "b", 10, 15);
        let steps = history(&[a, b]);
        let read: Vec<(i64, i64, DateTime<Utc>, DateTime<Utc>)> = steps
            .iter()
            .map(|s| (s.from, s.to, s.from_last_seen_at, s.to_first_seen_at))
            .collect();
        assert_eq!(
            read,
            vec![(8, 1, at(15), at(20)), (1, 8, at(0), at(10))],
            "{steps:?}"
        );
        assert!(
            steps
                .iter()
                .all(|s| s.from_last_seen_at <= s.to_first_seen_at)
        );
        // A content come back that is not the current one: A, B, A again, then C.
        let steps = history(&[
            stored(9, "c", 25, 30),
            stored(1, "a", 0, 20),
            stored(8, "b", 10, 12),
        ]);
        assert_eq!(
            steps
                .iter()
                .map(|s| (s.from, s.to, s.from_last_seen_at, s.to_first_seen_at))
                .collect::<Vec<_>>(),
            vec![
                (1, 9, at(20), at(25)),
                (8, 1, at(12), at(20)),
                (1, 8, at(0), at(10))
            ]
        );
        // A plain edit still brackets from the older content's last sighting.
        let steps = history(&[stored(8, "b", 10, 15), stored(1, "a", 0, 5)]);
        assert_eq!(
            steps
                .iter()
                .map(|s| (s.from, s.to, s.from_last_seen_at, s.to_first_seen_at))
                .collect::<Vec<_>>(),
            vec![(1, 8, at(5), at(10))]
        );
    }
}
