//! `media` downloads post images, decodes them under explicit limits, applies EXIF orientation
//! and makes content-addressed thumbnails. It never touches the database.

use crate::config::ThumbnailConfig;
use crate::http::HttpClient;
use crate::model::{Media, MediaRef, StoredImage};

/// Why one media item could not be turned into a thumbnail.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// Placeholder until the decoder lands.
    #[error("{0}")]
    Other(String),
}

/// Make a thumbnail from image bytes (format sniffed from the bytes).
pub fn make_thumbnail(
    _bytes: &[u8],
    _settings: &ThumbnailConfig,
) -> Result<StoredImage, MediaError> {
    Err(MediaError::Other("not implemented".into()))
}

/// Download a media item's image and thumbnail it. Failures are recorded in `Media::error`.
pub async fn fetch_media(
    _http: &HttpClient,
    item: &MediaRef,
    _settings: &ThumbnailConfig,
) -> Media {
    Media {
        kind: item.kind,
        url: item.url.clone(),
        width: item.width,
        height: item.height,
        thumbnail: None,
        error: Some("not implemented".into()),
    }
}
