//! The newsroom's view of the archive: one row per post embedded in an article, for editors who
//! need to know which articles now show a fallback (or an empty box) and since when. The store
//! fills [`NewsroomRow`]s for a [`NewsroomFilter`]; the report page and its downloads show them.

use chrono::{DateTime, Utc};

use super::{EmbedKind, Platform, PostRecord, PostStatus, StoredSnapshot};

/// Which rows the newsroom report lists. Every field narrows the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsroomFilter {
    /// Statuses as readers see them (a pin counts); empty lists every status.
    pub statuses: Vec<PostStatus>,
    pub platform: Option<Platform>,
    /// The article's site section: the first segment of its URL's path (see [`section_of`]).
    pub section: Option<String>,
    /// Rows whose current status began at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Rows whose current status began before this time.
    pub until: Option<DateTime<Utc>>,
    /// At most this many rows.
    pub limit: u32,
}

impl Default for NewsroomFilter {
    /// What an editor wants first: every gone or suspect embed.
    fn default() -> Self {
        NewsroomFilter {
            statuses: vec![PostStatus::Gone, PostStatus::Suspect],
            platform: None,
            section: None,
            from: None,
            until: None,
            limit: 500,
        }
    }
}

/// One post as embedded in one article.
#[derive(Debug, Clone, PartialEq)]
pub struct NewsroomRow {
    pub article_url: String,
    pub article_title: Option<String>,
    pub post: PostRecord,
    pub kind: EmbedKind,
    /// When the post's current status began: the pin for a pinned post, the start of the gone
    /// run for a gone or suspect one, else the revival or first sighting.
    pub since: Option<DateTime<Utc>>,
    /// The post's latest snapshot (what its card shows).
    pub snapshot: Option<StoredSnapshot>,
}

impl NewsroomRow {
    /// The article's site section.
    pub fn section(&self) -> Option<String> {
        section_of(&self.article_url)
    }
}

/// The site section of an article URL: the first non-empty segment of its path, lowercased
/// (`https://news.example.com/Politics/2026/a.html` is `politics`); `None` for a page at the
/// site's root (`/story.html` has no section either: a file is not a section).
pub fn section_of(article_url: &str) -> Option<String> {
    let url = url::Url::parse(article_url).ok()?;
    let mut segments = url.path_segments()?.filter(|s| !s.is_empty());
    let first = segments.next()?;
    // A single segment is the page itself, not a section it sits in.
    segments.next()?;
    let decoded = percent_encoding::percent_decode_str(first).decode_utf8_lossy();
    Some(decoded.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_section_is_the_first_folder_of_the_path() {
        assert_eq!(
            section_of("https://news.example.com/Politics/2026/a.html").as_deref(),
            Some("politics")
        );
        assert_eq!(
            section_of("https://news.example.com/2026/11/four-platforms.html").as_deref(),
            Some("2026")
        );
        assert_eq!(
            section_of("https://news.example.com/caf%C3%A9/a").as_deref(),
            Some("café")
        );
        assert_eq!(section_of("https://news.example.com/story.html"), None);
        assert_eq!(section_of("https://news.example.com/"), None);
        assert_eq!(section_of("not a url"), None);
    }
}
