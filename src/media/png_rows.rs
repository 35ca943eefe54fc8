//! The shrink-on-load path for large PNGs: rows are decoded one at a time (16-bit samples
//! stripped to 8, palettes expanded) and averaged into `k`×`k` blocks as they arrive, so the
//! full image never exists in memory. An 8000×8000 RGBA PNG (256 MB of pixels) becomes a
//! 1000×1000 one with a few hundred kilobytes of rows and sums beside it. `image`'s PNG
//! decoder only hands out whole images.
//!
//! The block average is a box filter; `k` is chosen so the reduced image stays at least twice
//! the thumbnail's width, and the resize makes the last step with its Lanczos filter, the way
//! `jpeg` leaves the last step after the IDCT scaling. Colours are averaged weighted by their
//! alpha, so transparent pixels do not bleed their (meaningless) colour into the edges.
//!
//! Interlaced PNGs (their Adam7 passes arrive out of row order) and PNGs less than four times
//! the thumbnail's width (no whole factor of 2 or more to reduce by) take the `decode` path.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, GrayAlphaImage, GrayImage, ImageFormat, RgbImage, RgbaImage};
use png::{BitDepth, ColorType, DecodingError, Transformations};

use super::decode::Decoded;
use super::error::{Limit, MediaError};
use super::limits;
use super::thumbnail::swaps_axes;

/// What the PNG decoder may allocate for itself: its row buffers, and decompressed ancillary
/// chunks (ICC profiles, text) up to this many bytes.
const PNG_OWN_BYTES: usize = 16 * 1024 * 1024;

/// Decode a PNG reduced by the largest whole factor that keeps its displayed width at least
/// twice `max_width`.
///
/// `Ok(None)` means the path does not apply (interlaced, or not large enough to gain): the
/// caller decodes it with `image` instead.
pub(crate) fn decode_reduced(bytes: &[u8], max_width: u32) -> Result<Option<Decoded>, MediaError> {
    let mut decoder = png::Decoder::new_with_limits(
        Cursor::new(bytes),
        png::Limits {
            bytes: PNG_OWN_BYTES,
        },
    );
    decoder.set_transformations(Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(png_error)?;
    let info = reader.info();
    let (width, height) = (info.width, info.height);
    limits::check_dimensions(ImageFormat::Png, width, height)?;
    if info.interlaced {
        return Ok(None);
    }
    let orientation = info
        .exif_metadata
        .as_deref()
        .and_then(Orientation::from_exif_chunk)
        .unwrap_or(Orientation::NoTransforms);
    let swapped = swaps_axes(orientation);
    let display = if swapped {
        (height, width)
    } else {
        (width, height)
    };
    let factor = display.0 / max_width.saturating_mul(2).max(1);
    let (color, depth) = reader.output_color_type();
    if factor < 2 || depth != BitDepth::Eight {
        return Ok(None);
    }
    let channels = color.samples();
    let alpha = matches!(color, ColorType::GrayscaleAlpha | ColorType::Rgba);
    let (reduced_w, reduced_h) = (width.div_ceil(factor), height.div_ceil(factor));

    let line = u64::from(reduced_w) * channels as u64;
    let footprint = limits::Footprint {
        // The decoder's own allocations, and a row of block sums.
        working: PNG_OWN_BYTES as u64 + line * 8,
        decoded: line * u64::from(reduced_h),
        converted: 0,
        resize: limits::resize_bytes(
            (reduced_w, reduced_h),
            channels as u64,
            display,
            swapped,
            max_width,
        ),
    };
    limits::check_footprint(ImageFormat::Png, (width, height), &footprint)?;

    let factor = factor as usize;
    let line = reduced_w as usize * channels;
    let mut reduced = vec![0u8; line * reduced_h as usize];
    let mut sums = vec![0u64; line];
    let mut rows = 0usize;
    let mut band_rows = 0usize;
    while let Some(row) = reader.next_row().map_err(png_error)? {
        let row = row.data();
        if row.len() != width as usize * channels {
            return Err(corrupt(format!(
                "a row of {} bytes in a {width} px wide image",
                row.len()
            )));
        }
        add_row(&mut sums, row, channels, factor, alpha);
        rows += 1;
        band_rows += 1;
        if band_rows == factor || rows == height as usize {
            let band = (rows - 1) / factor;
            let out = &mut reduced[band * line..(band + 1) * line];
            emit_band(
                &mut sums,
                out,
                channels,
                factor,
                width as usize,
                band_rows,
                alpha,
            );
            band_rows = 0;
        }
        if rows == height as usize {
            break;
        }
    }
    if rows != height as usize {
        return Err(corrupt("the data ends early (truncated file)"));
    }
    let image = to_image(reduced, color, reduced_w, reduced_h).ok_or_else(|| {
        corrupt(format!(
            "reduced buffer does not hold {reduced_w}x{reduced_h} pixels"
        ))
    })?;
    Ok(Some(Decoded {
        image,
        orientation,
        source_size: (width, height),
    }))
}

/// Add one row's pixels to the sums of the blocks they fall in (colours weighted by alpha).
fn add_row(sums: &mut [u64], row: &[u8], channels: usize, factor: usize, alpha: bool) {
    for (block, cell) in row
        .chunks(factor * channels)
        .zip(sums.chunks_exact_mut(channels))
    {
        for px in block.chunks_exact(channels) {
            if alpha {
                let (colour, a) = px.split_at(channels - 1);
                let a = u64::from(a[0]);
                for (sum, &c) in cell.iter_mut().zip(colour) {
                    *sum += u64::from(c) * a;
                }
                cell[channels - 1] += a;
            } else {
                for (sum, &c) in cell.iter_mut().zip(px) {
                    *sum += u64::from(c);
                }
            }
        }
    }
}

/// Write the averages of a band of `rows` rows to `out` and clear the sums.
fn emit_band(
    sums: &mut [u64],
    out: &mut [u8],
    channels: usize,
    factor: usize,
    width: usize,
    rows: usize,
    alpha: bool,
) {
    let rounded = |sum: u64, count: u64| ((sum + count / 2) / count).min(255) as u8;
    for (block, (cell, px)) in sums
        .chunks_exact_mut(channels)
        .zip(out.chunks_exact_mut(channels))
        .enumerate()
    {
        let columns = factor.min(width - block * factor);
        let count = (columns * rows) as u64;
        if alpha {
            let a = cell[channels - 1];
            for (p, &sum) in px.iter_mut().zip(&cell[..channels - 1]) {
                *p = if a == 0 { 0 } else { rounded(sum, a) };
            }
            px[channels - 1] = rounded(a, count);
        } else {
            for (p, &sum) in px.iter_mut().zip(cell.iter()) {
                *p = rounded(sum, count);
            }
        }
        cell.fill(0);
    }
}

/// Wrap reduced 8-bit samples of the PNG's output colour type in an image.
fn to_image(pixels: Vec<u8>, color: ColorType, w: u32, h: u32) -> Option<DynamicImage> {
    match color {
        ColorType::Grayscale => GrayImage::from_raw(w, h, pixels).map(DynamicImage::ImageLuma8),
        ColorType::GrayscaleAlpha => {
            GrayAlphaImage::from_raw(w, h, pixels).map(DynamicImage::ImageLumaA8)
        }
        ColorType::Rgb => RgbImage::from_raw(w, h, pixels).map(DynamicImage::ImageRgb8),
        ColorType::Rgba => RgbaImage::from_raw(w, h, pixels).map(DynamicImage::ImageRgba8),
        // Expanded by the transformations; never handed out.
        ColorType::Indexed => None,
    }
}

/// A PNG decoding error as ours.
fn png_error(error: DecodingError) -> MediaError {
    match error {
        DecodingError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            corrupt("the data ends early (truncated file)")
        }
        DecodingError::LimitsExceeded => MediaError::TooLarge {
            format: "PNG".to_owned(),
            dimensions: None,
            limit: Limit::Memory {
                needed: None,
                max: PNG_OWN_BYTES as u64,
            },
        },
        other => corrupt(other),
    }
}

fn corrupt(message: impl ToString) -> MediaError {
    MediaError::Corrupt {
        format: "PNG".to_owned(),
        message: message.to_string(),
    }
}
