//! Shrinks decoded pixels to the thumbnail size with `fast_image_resize` (SIMD convolution),
//! then turns them upright. Aspect ratio is kept and nothing is ever upscaled.

use fast_image_resize::{FilterType, MulDiv, ResizeAlg, ResizeOptions, Resizer};
use image::DynamicImage;
use image::metadata::Orientation;

use super::decode::Decoded;
use super::error::MediaError;

/// True when the orientation turns the image a quarter, so stored width becomes display height.
pub(crate) fn swaps_axes(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// The thumbnail size for an image displayed at `width`×`height`: at most `max_width` wide,
/// aspect kept (rounded, at least 1 px), never larger than the image.
pub(crate) fn target_size(width: u32, height: u32, max_width: u32) -> (u32, u32) {
    if width <= max_width {
        return (width, height);
    }
    let scaled =
        (u64::from(height) * u64::from(max_width) + u64::from(width) / 2) / u64::from(width);
    (max_width, u32::try_from(scaled).unwrap_or(u32::MAX).max(1))
}

/// Resize `decoded` to fit `max_width` once upright, and apply its orientation.
///
/// Resizing happens in stored orientation, before rotating, so the rotation only moves the
/// thumbnail's few pixels.
pub(crate) fn shrink(decoded: Decoded, max_width: u32) -> Result<DynamicImage, MediaError> {
    let (display_w, display_h) = decoded.display_size();
    let Decoded {
        image, orientation, ..
    } = decoded;
    let (w, h) = (image.width(), image.height());
    let swapped = swaps_axes(orientation);
    let (tw, th) = target_size(display_w, display_h, max_width);
    let (stored_tw, stored_th) = if swapped { (th, tw) } else { (tw, th) };

    let mut out = if (stored_tw, stored_th) == (w, h) {
        image
    } else {
        let resize_error = |e: &dyn std::fmt::Display| MediaError::Resize {
            width: w,
            height: h,
            target_width: stored_tw,
            target_height: stored_th,
            message: e.to_string(),
        };
        let mut src = image;
        let mut dst = DynamicImage::new(stored_tw, stored_th, src.color());
        // Colours are averaged weighted by their alpha. The resizer would premultiply into a
        // copy as large as the source; the source is ours, so it is premultiplied in place.
        let alpha = src.color().has_alpha();
        let mul_div = MulDiv::default();
        if alpha {
            mul_div
                .multiply_alpha_inplace(&mut src)
                .map_err(|e| resize_error(&e))?;
        }
        let options = ResizeOptions::new()
            .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
            .use_alpha(false);
        Resizer::new()
            .resize(&src, &mut dst, &options)
            .map_err(|e| resize_error(&e))?;
        drop(src);
        if alpha {
            mul_div
                .divide_alpha_inplace(&mut dst)
                .map_err(|e| resize_error(&e))?;
        }
        dst
    };
    out.apply_orientation(orientation);
    Ok(out)
}
