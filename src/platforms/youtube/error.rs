//! Why a YouTube answer could not be read. These never leave the platform module as errors: the
//! resolver turns each into a transient verdict whose evidence is the message, so every variant
//! names the URL or id it was about.

/// A YouTube answer (or input) that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum YoutubeError {
    /// The embed carries no video id, or one that is not 11 URL-safe base64 characters.
    #[error("not a YouTube video id: {id:?}")]
    InvalidVideoId { id: String },
    /// The embed is a playlist whose list id is not 2–64 URL-safe base64 characters.
    #[error("not a YouTube playlist id: {id:?}")]
    InvalidPlaylistId { id: String },
    /// The watch page has no `ytInitialPlayerResponse = {...}` assignment.
    #[error("{url}: no ytInitialPlayerResponse in the watch page")]
    NoPlayerResponse { url: String },
    /// The `ytInitialPlayerResponse` object is not the JSON we expect.
    #[error("{url}: unreadable ytInitialPlayerResponse: {source}")]
    PlayerResponseJson {
        url: String,
        source: serde_json::Error,
    },
}
