//! The decode limits, in one place: every decoder checks declared dimensions and the memory a
//! decode will need against these before it allocates pixels, so a 128-byte PNG declaring
//! 50000×50000 is refused from its header.
//!
//! "The memory a decode needs" is its peak, not its output: the decoder's working memory
//! beside its output buffer, then the 16-to-8-bit copy beside the original, then the resizer's
//! source, intermediate and thumbnail. [`Footprint`] adds these up phase by phase from what
//! headers say, and [`check_footprint`] refuses an image whose largest phase is over
//! [`MAX_ALLOC`].

use image::{ImageFormat, Limits};

use super::error::{Limit, MediaError};
use super::sniff::format_name;
use super::thumbnail::target_size;

/// Largest accepted width or height, in pixels. Real post images are far smaller.
pub const MAX_DIMENSION: u32 = 12_000;
/// Most memory one decode (with its conversion and resize) may hold at once, in bytes.
pub const MAX_ALLOC: u64 = 256 * 1024 * 1024;
/// Most scans a JPEG may have. Baseline files have one (three when not interleaved),
/// progressive ones about ten; encoders that optimise scans stay well under 100.
pub const MAX_JPEG_SCANS: usize = 100;

/// The limits handed to `image`'s decoders.
pub(crate) fn image_limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_ALLOC);
    limits
}

/// Refuse an image whose declared width or height is over [`MAX_DIMENSION`].
pub(crate) fn check_dimensions(
    format: ImageFormat,
    width: u32,
    height: u32,
) -> Result<(), MediaError> {
    if width > MAX_DIMENSION || height > MAX_DIMENSION {
        return Err(MediaError::TooLarge {
            format: format_name(format).to_owned(),
            dimensions: Some((width, height)),
            limit: Limit::Dimensions { max: MAX_DIMENSION },
        });
    }
    Ok(())
}

/// The memory one decode holds in each of its phases, in bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Footprint {
    /// The decoder's working memory beside its output: coefficients, component planes, frame
    /// buffers, a copy it converts from.
    pub working: u64,
    /// The decoder's output buffer.
    pub decoded: u64,
    /// The 8-bit copy made of a 16-bit or float output (0 when the output is 8-bit).
    pub converted: u64,
    /// What the resize holds: its 8-bit source, intermediate and result, and the turned and
    /// encoded thumbnail.
    pub resize: u64,
}

impl Footprint {
    /// The most held at once: phases run one after another, and each frees what the next does
    /// not need.
    pub fn peak(&self) -> u64 {
        let decode = self.decoded.saturating_add(self.working);
        let convert = self.decoded.saturating_add(self.converted);
        decode.max(convert).max(self.resize)
    }
}

/// What the resize of a `width`×`height` 8-bit image of `channels` bytes per pixel to the
/// thumbnail holds: the source, the resizer's intermediate (the vertical pass first: source
/// width × thumbnail height) and the thumbnail, plus copies of the thumbnail for turning and
/// encoding. Alpha is premultiplied in place, so it costs nothing more. `display` is the
/// original's displayed size and `swapped` says whether stored axes are turned for display.
pub(crate) fn resize_bytes(
    (width, height): (u32, u32),
    channels: u64,
    display: (u32, u32),
    swapped: bool,
    max_width: u32,
) -> u64 {
    let (tw, th) = target_size(display.0, display.1, max_width);
    let (stored_tw, stored_th) = if swapped { (th, tw) } else { (tw, th) };
    let source = pixels(width, height) * channels;
    let intermediate = pixels(width, stored_th) * channels;
    // The result, its turned copy, and RGB(A) and encoder copies: a few thumbnails' worth.
    let thumbnail = pixels(stored_tw, stored_th) * 4 * 4;
    source
        .saturating_add(intermediate)
        .saturating_add(thumbnail)
}

/// `width × height` as a `u64` (never overflows: both are `u32`).
pub(crate) fn pixels(width: u32, height: u32) -> u64 {
    u64::from(width) * u64::from(height)
}

/// Refuse an image whose decode would hold more than [`MAX_ALLOC`] at its peak.
pub(crate) fn check_footprint(
    format: ImageFormat,
    (width, height): (u32, u32),
    footprint: &Footprint,
) -> Result<(), MediaError> {
    let needed = footprint.peak();
    if needed > MAX_ALLOC {
        return Err(MediaError::TooLarge {
            format: format_name(format).to_owned(),
            dimensions: Some((width, height)),
            limit: Limit::Memory {
                needed: Some(needed),
                max: MAX_ALLOC,
            },
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peak_is_the_largest_phase() {
        let f = Footprint {
            working: 10,
            decoded: 100,
            converted: 50,
            resize: 120,
        };
        assert_eq!(f.peak(), 150);
        let f = Footprint { working: 60, ..f };
        assert_eq!(f.peak(), 160);
        let f = Footprint { resize: 500, ..f };
        assert_eq!(f.peak(), 500);
    }

    #[test]
    fn resize_counts_the_source_the_intermediate_and_the_thumbnail() {
        // 8000×8000 RGBA to 480×480: the source, 8000×480 of intermediate, 16 × 480×480.
        let got = resize_bytes((8000, 8000), 4, (8000, 8000), false, 480);
        assert_eq!(got, 8000 * 8000 * 4 + 8000 * 480 * 4 + 480 * 480 * 16);
        // Turned a quarter: the stored height is the thumbnail's width.
        let got = resize_bytes((8000, 4000), 3, (4000, 8000), true, 480);
        assert_eq!(got, 8000 * 4000 * 3 + 8000 * 480 * 3 + 480 * 960 * 16);
    }

    #[test]
    fn an_image_over_the_limit_is_refused_naming_its_dimensions() {
        let footprint = Footprint {
            decoded: MAX_ALLOC,
            working: 1,
            ..Footprint::default()
        };
        let err = check_footprint(ImageFormat::Png, (9000, 8000), &footprint)
            .expect_err("over the limit");
        assert!(
            matches!(
                &err,
                MediaError::TooLarge {
                    dimensions: Some((9000, 8000)),
                    limit: Limit::Memory { needed: Some(n), max: MAX_ALLOC },
                    ..
                } if *n == MAX_ALLOC + 1
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("9000x8000"), "{err}");
        let fits = Footprint {
            decoded: MAX_ALLOC,
            ..Footprint::default()
        };
        assert!(check_footprint(ImageFormat::Png, (1, 1), &fits).is_ok());
    }
}
