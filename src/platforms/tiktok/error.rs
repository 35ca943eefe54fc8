//! Why a TikTok answer (or the embed's own id and URL) could not be read. These never leave the
//! platform module as errors: the resolver turns each into a transient verdict whose evidence is
//! the message, so every variant names the URL or id it was about.

/// A TikTok answer or input that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TiktokError {
    /// The embed carries no video id, or one that is not TikTok's decimal id.
    #[error("not a TikTok video id: {id:?}")]
    InvalidVideoId { id: String },
    /// The embed's post URL cannot be fetched as a TikTok page.
    #[error("not a TikTok post URL: {url:?}: {reason}")]
    InvalidPostUrl { url: String, reason: String },
    /// The video page has no `__UNIVERSAL_DATA_FOR_REHYDRATION__` script, nor the older `__NEXT_DATA__`.
    #[error(
        "{url}: no __UNIVERSAL_DATA_FOR_REHYDRATION__ (or older SIGI_STATE or __NEXT_DATA__) script in the video page"
    )]
    NoRehydrationData { url: String },
    /// The rehydration script (`script`, by its id) is not the JSON we expect.
    #[error("{url}: unreadable {script} JSON: {source}")]
    RehydrationJson {
        url: String,
        script: &'static str,
        source: serde_json::Error,
    },
}
