//! Tells what kind of image a body is from its magic bytes. Content-Type headers and file
//! extensions are never consulted: CDNs serve PNGs at `.jpg` URLs and HTML error pages as
//! `image/jpeg`.

use image::ImageFormat;

use super::error::MediaError;

/// How many leading bytes an error quotes.
const HEAD_LEN: usize = 16;

/// The decodable format of `bytes`, sniffed from its magic number.
pub(crate) fn sniff(bytes: &[u8]) -> Result<ImageFormat, MediaError> {
    match image::guess_format(bytes) {
        Ok(
            format @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP | ImageFormat::Gif),
        ) => Ok(format),
        Ok(other) => Err(MediaError::Unsupported {
            // Debug names the variant (`Avif`, `Tiff`), enough for a message.
            format: format!("{other:?}"),
        }),
        Err(_) => Err(MediaError::NotAnImage {
            len: bytes.len(),
            head: String::from_utf8_lossy(&bytes[..bytes.len().min(HEAD_LEN)]).into_owned(),
        }),
    }
}

/// A short name for messages, e.g. `JPEG`, `PNG`.
pub(crate) fn format_name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Jpeg => "JPEG",
        ImageFormat::Png => "PNG",
        ImageFormat::WebP => "WebP",
        ImageFormat::Gif => "GIF",
        _ => "image",
    }
}
