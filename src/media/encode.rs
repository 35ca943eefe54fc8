//! Encodes a thumbnail as lossy WebP (libwebp via the `webp` crate; `image`'s WebP encoder is
//! lossless only, far too big for photos) or baseline JPEG, and content-addresses the bytes.

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, RgbImage};
use sha2::{Digest, Sha256};

use super::error::MediaError;
use crate::config::ThumbnailFormat;
use crate::model::StoredImage;

/// Quality of lossy thumbnails (both formats): visually clean at thumbnail size.
pub(crate) const QUALITY: u8 = 80;

/// Encode `image` as `format` into a [`StoredImage`].
pub(crate) fn encode(
    image: &DynamicImage,
    format: ThumbnailFormat,
) -> Result<StoredImage, MediaError> {
    let (width, height) = (image.width(), image.height());
    let (bytes, mime) = match format {
        ThumbnailFormat::Webp => (encode_webp(image)?, "image/webp"),
        ThumbnailFormat::Jpeg => (encode_jpeg(image)?, "image/jpeg"),
    };
    Ok(StoredImage {
        sha256: hex::encode(Sha256::digest(&bytes)),
        width,
        height,
        mime: mime.to_owned(),
        bytes,
    })
}

fn encode_webp(image: &DynamicImage) -> Result<Vec<u8>, MediaError> {
    let (width, height) = (image.width(), image.height());
    // libwebp takes RGB or RGBA only; keep alpha when there is any.
    let (pixels, alpha) = if image.color().has_alpha() {
        (image.to_rgba8().into_raw(), true)
    } else {
        (image.to_rgb8().into_raw(), false)
    };
    let encoder = if alpha {
        webp::Encoder::from_rgba(&pixels, width, height)
    } else {
        webp::Encoder::from_rgb(&pixels, width, height)
    };
    encoder
        .encode_simple(false, f32::from(QUALITY))
        .map(|memory| memory.to_vec())
        .map_err(|e| MediaError::Encode {
            format: "WebP",
            width,
            height,
            message: format!("{e:?}"),
        })
}

fn encode_jpeg(image: &DynamicImage) -> Result<Vec<u8>, MediaError> {
    let (width, height) = (image.width(), image.height());
    let rgb = if image.color().has_alpha() {
        flatten_on_white(image)
    } else {
        image.to_rgb8()
    };
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, QUALITY)
        .encode_image(&rgb)
        .map_err(|e| MediaError::Encode {
            format: "JPEG",
            width,
            height,
            message: e.to_string(),
        })?;
    Ok(bytes)
}

/// Composite over white: JPEG has no alpha, and transparent pixels would otherwise show
/// whatever colour they happen to hold (often black).
fn flatten_on_white(image: &DynamicImage) -> RgbImage {
    let rgba = image.to_rgba8();
    let mut rgb = RgbImage::new(rgba.width(), rgba.height());
    for (dst, src) in rgb.pixels_mut().zip(rgba.pixels()) {
        let alpha = u32::from(src[3]);
        for c in 0..3 {
            let v = (u32::from(src[c]) * alpha + 255 * (255 - alpha) + 127) / 255;
            dst[c] = v as u8;
        }
    }
    rgb
}
