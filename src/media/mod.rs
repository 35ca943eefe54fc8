//! `media` downloads post images, decodes them under explicit limits, applies EXIF orientation
//! and makes content-addressed thumbnails. It never touches the database, never trusts a
//! Content-Type header or a file extension (formats are sniffed from the bytes), and never
//! panics or fails a snapshot over a bad image: failures become `Media::error`.
//!
//! The steps, one file each: `sniff` (magic bytes) → `scans` (a JPEG's scan count) → `turbo`
//! (libjpeg-turbo, shrink-on-load) then `jpeg` (jpeg-decoder, for CMYK and damaged files), or
//! `png_rows` (shrink-on-load for large PNGs) or `decode` (everything else, via `image`), each
//! refusing an image whose peak memory is over `limits` before decoding it →
//! `thumbnail` (resize, orient) → `encode` (WebP/JPEG + sha256). On the async path every
//! decode passes the process-wide `gate`: a bounded number at once, each under a timeout.

mod decode;
mod encode;
mod error;
mod gate;
mod jpeg;
mod limits;
mod png_rows;
mod scans;
mod sniff;
mod thumbnail;
mod turbo;

#[cfg(test)]
mod tests;

use bytes::Bytes;
use image::ImageFormat;
use sha2::{Digest, Sha256};
use url::Url;

use crate::config::ThumbnailConfig;
use crate::http::HttpClient;
use crate::model::{Media, MediaKind, MediaRef, StoredImage};

pub use error::{Limit, MediaError};
pub use gate::{DEFAULT_DECODE_TIMEOUT, DEFAULT_MAX_CONCURRENT_DECODES, DecodeBounds, DecodeGate};
pub use limits::{MAX_ALLOC, MAX_DIMENSION, MAX_JPEG_SCANS};

/// Make a thumbnail from image bytes (format sniffed from the bytes). Pure and CPU-bound: call
/// it on a blocking thread from async code. It does not pass a [`DecodeGate`]: async callers
/// use [`fetch_media`], which does.
pub fn make_thumbnail(bytes: &[u8], settings: &ThumbnailConfig) -> Result<StoredImage, MediaError> {
    thumbnail_and_size(bytes, settings).map(|(thumb, _)| thumb)
}

/// [`make_thumbnail`], also giving the original's displayed width and height.
fn thumbnail_and_size(
    bytes: &[u8],
    settings: &ThumbnailConfig,
) -> Result<(StoredImage, (u32, u32)), MediaError> {
    let format = sniff::sniff(bytes)?;
    let max_width = settings.max_width;
    // The decoders are third-party code fed with bytes from the internet. Should one of them
    // panic on a malformed file, that file is corrupt; the caller's task must not die of it.
    let decode = || match format {
        ImageFormat::Jpeg => {
            scans::check(bytes)?;
            if let Some(decoded) = turbo::decode_scaled(bytes, max_width)? {
                return Ok(decoded);
            }
            // CMYK, or a file libjpeg-turbo found damage in: `jpeg-decoder` reads it or names
            // the damage.
            match jpeg::decode_scaled(bytes, max_width)? {
                Some(decoded) => Ok(decoded),
                // A JPEG feature that decoder lacks: `image` may still read it.
                None => decode::decode(bytes, format, max_width),
            }
        }
        ImageFormat::Png => match png_rows::decode_reduced(bytes, max_width)? {
            Some(decoded) => Ok(decoded),
            None => decode::decode(bytes, format, max_width),
        },
        _ => decode::decode(bytes, format, max_width),
    };
    let decoded = std::panic::catch_unwind(decode).map_err(|panic| MediaError::Corrupt {
        format: sniff::format_name(format).to_owned(),
        message: format!("the decoder panicked: {}", panic_message(panic.as_ref())),
    })??;
    let size = decoded.display_size();
    let thumb = thumbnail::shrink(decoded, settings.max_width)?;
    Ok((encode::encode(&thumb, settings.format)?, size))
}

/// The text of a panic payload (`panic!` with a literal or a formatted message).
fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no message")
}

/// A media item as [`fetch_media`] describes it, without fetching anything: what a check
/// compares with the post's latest snapshot before it decides whether the pictures need fetching
/// at all. An image whose source gave no dimensions takes those `earlier` (the latest snapshot's
/// media) recorded for the same address, its query aside (CDNs sign it anew at each answer):
/// they are what decoding that picture found.
pub fn described(item: &MediaRef, earlier: &[Media]) -> Media {
    let image_url = match (&item.image_url, item.kind) {
        (Some(url), _) => Some(url.clone()),
        (None, MediaKind::Image) => Some(item.url.clone()),
        (None, MediaKind::Video) => None,
    };
    let (mut width, mut height) = (item.width, item.height);
    if item.kind == MediaKind::Image && (width, height) == (None, None) {
        let address = crate::model::url_without_query(&item.url);
        if let Some(seen) = earlier
            .iter()
            .find(|m| m.kind == item.kind && crate::model::url_without_query(&m.url) == address)
        {
            (width, height) = (seen.width, seen.height);
        }
    }
    Media {
        kind: item.kind,
        url: item.url.clone(),
        width,
        height,
        alt: item.alt.clone(),
        poster_url: image_url,
        thumbnail: None,
        original: None,
        error: None,
    }
}

/// Download a media item's image and thumbnail it. Failures are recorded in `Media::error`.
///
/// The image is `item.image_url`, or `item.url` for an image without one; a video without a
/// poster image has nothing to thumbnail and gets neither a thumbnail nor an error. An image
/// whose source gave no dimensions gets the decoded ones (a poster's dimensions say nothing
/// certain about its video, so videos keep theirs). With `keep_original`, the downloaded bytes
/// are kept too, once they have decoded as an image.
///
/// The decode waits for a permit of `gate` and is given up after its timeout
/// ([`MediaError::Timeout`] in `Media::error`).
pub async fn fetch_media(
    http: &HttpClient,
    item: &MediaRef,
    settings: &ThumbnailConfig,
    keep_original: bool,
    gate: &DecodeGate,
) -> Media {
    let mut media = described(item, &[]);
    let Some(url) = media.poster_url.clone() else {
        return media;
    };
    match fetch_thumbnail(http, &url, settings, gate).await {
        Ok((thumb, (width, height), body)) => {
            if item.kind == MediaKind::Image && (item.width, item.height) == (None, None) {
                (media.width, media.height) = (Some(width), Some(height));
            }
            media.thumbnail = Some(thumb);
            if keep_original {
                media.original = Some(original_image(&body, width, height));
            }
        }
        Err(e) => {
            tracing::debug!(url, error = %e, "no thumbnail");
            media.error = Some(e.to_string());
        }
    }
    media
}

/// Fetch `url` and thumbnail the body through `gate`; every error names the URL.
async fn fetch_thumbnail(
    http: &HttpClient,
    url: &str,
    settings: &ThumbnailConfig,
    gate: &DecodeGate,
) -> Result<(StoredImage, (u32, u32), Bytes), MediaError> {
    let parsed = Url::parse(url).map_err(|e| MediaError::InvalidUrl {
        url: url.to_owned(),
        reason: e.to_string(),
    })?;
    // A platform's picture needs no login: a user name or password in its address (which the
    // client would send to that host) is no public image's, as a card will not show it either.
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(MediaError::InvalidUrl {
            url: url.to_owned(),
            reason: "the address holds a user name or password; it is not fetched".to_owned(),
        });
    }
    let response = http.get(&parsed).await?;
    if !response.is_success() {
        // Named by the URL asked for, which is what the caller knows the item by.
        return Err(MediaError::Status {
            url: url.to_owned(),
            status: response.status,
        });
    }
    let body: Bytes = response.body;
    let settings = settings.clone();
    let kept = body.clone(); // a reference count, not a copy
    // Decoding a large photo takes tens of milliseconds of CPU and up to `MAX_ALLOC` bytes:
    // off the async workers, and only as many at once as the gate allows.
    let result = gate
        .run(url, move || thumbnail_and_size(&body, &settings))
        .await?;
    let (thumb, size) = result.map_err(|e| MediaError::Image {
        url: url.to_owned(),
        source: Box::new(e),
    })?;
    Ok((thumb, size, kept))
}

/// The downloaded image as a content-addressed original (type sniffed from the bytes).
fn original_image(body: &[u8], width: u32, height: u32) -> StoredImage {
    let mime = image::guess_format(body)
        .map(|f| f.to_mime_type().to_owned())
        .unwrap_or_else(|_| "application/octet-stream".to_owned());
    StoredImage {
        sha256: hex::encode(Sha256::digest(body)),
        width,
        height,
        mime,
        bytes: body.to_vec(),
    }
}
