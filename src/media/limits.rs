//! The decode limits, in one place: every decoder checks declared dimensions and the memory a
//! decode will need against these before it allocates pixels, so a 128-byte PNG declaring
//! 50000×50000 is refused from its header.

use image::{ImageFormat, Limits};

use super::error::MediaError;
use super::sniff::format_name;

/// Largest accepted width or height, in pixels. Real post images are far smaller.
pub const MAX_DIMENSION: u32 = 12_000;
/// Largest allocation one decode may make, in bytes.
pub const MAX_ALLOC: u64 = 256 * 1024 * 1024;

/// The limits handed to `image`'s decoders.
pub(crate) fn image_limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_ALLOC);
    limits
}

/// Refuse an image whose declared size, or the `bytes_needed` to decode it, is over the limits.
pub(crate) fn check(
    format: ImageFormat,
    width: u32,
    height: u32,
    bytes_needed: u64,
) -> Result<(), MediaError> {
    let too_large = |limit: String| MediaError::TooLarge {
        format: format_name(format).to_owned(),
        dimensions: Some((width, height)),
        limit,
    };
    if width > MAX_DIMENSION || height > MAX_DIMENSION {
        return Err(too_large(format!(
            "larger than {MAX_DIMENSION}x{MAX_DIMENSION} px"
        )));
    }
    if bytes_needed > MAX_ALLOC {
        return Err(too_large(format!(
            "decoding needs {bytes_needed} bytes, more than {MAX_ALLOC}"
        )));
    }
    Ok(())
}
