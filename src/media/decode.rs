//! Decodes any supported image through `image`'s `ImageReader` under explicit limits, reads its
//! EXIF orientation, and takes the first frame of animations. JPEGs normally take the faster
//! shrink-on-load path in `jpeg`; this is the path for everything else.

use std::io::Cursor;

use image::error::{ImageError, LimitErrorKind};
use image::metadata::Orientation;
use image::{ColorType, DynamicImage, ImageDecoder, ImageFormat, ImageReader};

use super::error::{Limit, MediaError};
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

/// Decode `bytes` (already sniffed as `format`) with `image`, refusing it first when decoding
/// and shrinking it to `max_width` would hold more than [`limits::MAX_ALLOC`] at once.
pub(crate) fn decode(
    bytes: &[u8],
    format: ImageFormat,
    max_width: u32,
) -> Result<Decoded, MediaError> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits::image_limits());
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| image_error(format, None, e))?;
    let (width, height) = decoder.dimensions();
    limits::check_dimensions(format, width, height)?;
    // A broken EXIF block is no reason to lose the picture: show it as stored.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    // `into_decoder` checks the dimensions; the memory check that `ImageReader::decode` would
    // make (on the output buffer alone) is made here on the whole peak, before any pixel
    // buffer exists.
    let footprint = footprint(bytes, format, &decoder, orientation, max_width);
    limits::check_footprint(format, (width, height), &footprint)?;
    // What the decoder may allocate for itself beside its output (a GIF's first frame when it
    // does not cover the screen): the rest of the budget.
    let mut own = limits::image_limits();
    own.max_alloc = Some(limits::MAX_ALLOC.saturating_sub(footprint.decoded));
    decoder
        .set_limits(own)
        .map_err(|e| image_error(format, Some((width, height)), e))?;
    let image = DynamicImage::from_decoder(decoder)
        .map_err(|e| image_error(format, Some((width, height)), e))?;
    Ok(Decoded {
        image: to_8bit(image),
        orientation,
        source_size: (width, height),
    })
}

/// What decoding `bytes` with `decoder` and shrinking the result holds, phase by phase.
fn footprint(
    bytes: &[u8],
    format: ImageFormat,
    decoder: &dyn ImageDecoder,
    orientation: Orientation,
    max_width: u32,
) -> limits::Footprint {
    let (width, height) = decoder.dimensions();
    let pixels = limits::pixels(width, height);
    let color = decoder.color_type();
    let decoded = decoder.total_bytes();
    // `to_8bit` keeps 8-bit layouts and copies anything else to RGB(A)8.
    let (channels, converted) = match color {
        ColorType::L8 | ColorType::La8 | ColorType::Rgb8 | ColorType::Rgba8 => {
            (u64::from(color.bytes_per_pixel()), 0)
        }
        other if other.has_alpha() => (4, pixels * 4),
        _ => (3, pixels * 3),
    };
    let swapped = swaps_axes(orientation);
    let display = if swapped {
        (height, width)
    } else {
        (width, height)
    };
    limits::Footprint {
        working: working_bytes(bytes, format, width, height, decoded),
        decoded,
        converted,
        resize: limits::resize_bytes((width, height), channels, display, swapped, max_width),
    }
}

/// The working memory `image`'s decoder for `format` holds beside its output of `decoded`
/// bytes (read from each decoder's source).
fn working_bytes(bytes: &[u8], format: ImageFormat, width: u32, height: u32, decoded: u64) -> u64 {
    let pixels = limits::pixels(width, height);
    match format {
        // Every coefficient (two bytes per sample) when progressive; assumed so, since this
        // path only sees the JPEGs the shrink-on-load decoder could not read.
        ImageFormat::Jpeg => decoded * 2,
        ImageFormat::WebP => {
            let kind = webp_kind(bytes);
            // Lossy: the YUV 4:2:0 planes in whole macroblocks.
            let padded = limits::pixels(width.next_multiple_of(16), height.next_multiple_of(16));
            let yuv = padded * 3 / 2;
            // An alpha plane is itself a lossless image (4 bytes per pixel) plus the plane.
            let alpha = if kind.alpha { pixels * 5 } else { 0 };
            if kind.animated {
                // The canvas, the first frame's own buffer and its decode.
                pixels * 8 + yuv.max(pixels * 4) + alpha
            } else if kind.lossless {
                // ARGB pixels, copied out to RGB when opaque.
                pixels * 4
            } else {
                yuv + alpha
            }
        }
        // PNG decodes row by row into the output. A GIF's first frame, when it does not cover
        // the screen, gets a buffer of its own, which the decoder takes from the allocation
        // limit it is given.
        _ => 0,
    }
}

/// What a WebP file holds, from its RIFF chunk list.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct WebpKind {
    lossless: bool,
    alpha: bool,
    animated: bool,
}

/// Walk the chunks of a WebP file (`RIFF` size `WEBP`, then fourcc, little-endian size,
/// payload padded to even). Stops at the first frame or broken chunk.
fn webp_kind(bytes: &[u8]) -> WebpKind {
    let mut kind = WebpKind::default();
    let mut at = 12;
    while let Some(header) = bytes.get(at..at + 8) {
        let size = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
        match &header[..4] {
            b"VP8X" => {
                let flags = bytes.get(at + 8).copied().unwrap_or(0);
                kind.alpha |= flags & 0x10 != 0;
                kind.animated |= flags & 0x02 != 0;
            }
            b"ALPH" => kind.alpha = true,
            b"ANIM" | b"ANMF" => {
                kind.animated = true;
                break;
            }
            b"VP8L" => {
                kind.lossless = true;
                break;
            }
            b"VP8 " => break,
            _ => {}
        }
        at = at
            .saturating_add(8)
            .saturating_add(size)
            .saturating_add(size & 1);
    }
    kind
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
                LimitErrorKind::DimensionError => Limit::Dimensions {
                    max: limits::MAX_DIMENSION,
                },
                LimitErrorKind::InsufficientMemory => Limit::Memory {
                    needed: None,
                    max: limits::MAX_ALLOC,
                },
                _ => Limit::Other(limit.to_string()),
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
