//! Decodes any supported image through `image`'s `ImageReader` under explicit limits, reads its
//! EXIF orientation, and takes the first frame of animations. JPEGs normally take the faster
//! shrink-on-load path in `jpeg`; this is the path for everything else.

use std::io::Cursor;

use image::error::{ImageError, LimitErrorKind};
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};

use super::error::MediaError;
use super::limits;
use super::sniff::format_name;
use super::thumbnail::swaps_axes;

/// Decoded pixels in stored orientation, plus the orientation to apply for display.
pub(crate) struct Decoded {
    /// 8-bit pixels: `Luma8`, `LumaA8`, `Rgb8` or `Rgba8`.
    pub image: DynamicImage,
    pub orientation: Orientation,
    /// Width and height of the image as stored in the file, before any shrink-on-load: the
    /// thumbnail's aspect ratio comes from these, not from the rounded-up decoded size.
    pub source_size: (u32, u32),
}

impl Decoded {
    /// Width and height of the original as displayed (after orientation).
    pub fn display_size(&self) -> (u32, u32) {
        let (w, h) = self.source_size;
        if swaps_axes(self.orientation) {
            (h, w)
        } else {
            (w, h)
        }
    }
}

/// Decode `bytes` (already sniffed as `format`) with `image`.
pub(crate) fn decode(bytes: &[u8], format: ImageFormat) -> Result<Decoded, MediaError> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits::image_limits());
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| image_error(format, None, e))?;
    let (width, height) = decoder.dimensions();
    // `into_decoder` checks the dimensions; the allocation check that `ImageReader::decode`
    // would make is done here, before any pixel buffer exists.
    limits::check(format, width, height, decoder.total_bytes())?;
    // A broken EXIF block is no reason to lose the picture: show it as stored.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let image = DynamicImage::from_decoder(decoder)
        .map_err(|e| image_error(format, Some((width, height)), e))?;
    Ok(Decoded {
        image: to_8bit(image),
        orientation,
        source_size: (width, height),
    })
}

/// Reduce 16-bit and float images to the 8-bit layouts the resizer and encoders take.
pub(crate) fn to_8bit(image: DynamicImage) -> DynamicImage {
    match image {
        DynamicImage::ImageLuma8(_)
        | DynamicImage::ImageLumaA8(_)
        | DynamicImage::ImageRgb8(_)
        | DynamicImage::ImageRgba8(_) => image,
        other if other.color().has_alpha() => DynamicImage::ImageRgba8(other.to_rgba8()),
        other => DynamicImage::ImageRgb8(other.to_rgb8()),
    }
}

/// Map an `image` error to ours, keeping limit errors apart from corrupt data.
pub(crate) fn image_error(
    format: ImageFormat,
    dimensions: Option<(u32, u32)>,
    error: ImageError,
) -> MediaError {
    let name = format_name(format).to_owned();
    match error {
        ImageError::Limits(limit) => MediaError::TooLarge {
            format: name,
            dimensions,
            limit: match limit.kind() {
                LimitErrorKind::DimensionError => {
                    format!("larger than {max}x{max} px", max = limits::MAX_DIMENSION)
                }
                LimitErrorKind::InsufficientMemory => {
                    format!("needs more than {} bytes", limits::MAX_ALLOC)
                }
                _ => limit.to_string(),
            },
        },
        ImageError::Unsupported(e) => MediaError::Unsupported {
            format: format!("{name} ({e})"),
        },
        other => MediaError::Corrupt {
            format: name,
            message: other.to_string(),
        },
    }
}
