//! The second path for JPEGs: `jpeg-decoder`, also scaling in the IDCT (1/2, 1/4 or 1/8), for
//! what libjpeg-turbo (`turbo`) does not take: CMYK and YCCK files (it hands out raw inks;
//! this turns them into RGB) and files it reports damage in (this one either reads them or
//! names the damage, e.g. a truncated file). The EXIF orientation is read here too, since it
//! decides which stored axis becomes the thumbnail's width.
//!
//! It is not the first path because it is slow for its work: at 1/2 scale it takes longer than
//! zune-jpeg's full-size decode (camera photo: 23 against 19 ms). Its scaled IDCT is scalar
//! (its SSSE3 IDCT is for 8×8 output only), its Huffman decoding, upsampling and colour
//! conversion are scalar, and for images over 128×128 it starts one thread per colour component
//! per image (without its `rayon` feature, which is off) and sends it rows over a channel.

use image::metadata::Orientation;
use image::{DynamicImage, GrayImage, ImageBuffer, ImageFormat, Luma, RgbImage};
use jpeg_decoder::{CodingProcess, Decoder, Error as JpegError, ImageInfo, PixelFormat};

use super::decode::Decoded;
use super::error::MediaError;
use super::limits;
use super::thumbnail::swaps_axes;

/// Decode a JPEG at the smallest IDCT scale whose displayed width is still at least
/// `min_width` (or full size when the image is narrower).
///
/// `Ok(None)` means `jpeg-decoder` does not support this file (arithmetic coding,
/// hierarchical mode, ...): the caller decodes it with `image` instead.
pub(crate) fn decode_scaled(bytes: &[u8], min_width: u32) -> Result<Option<Decoded>, MediaError> {
    let mut decoder = Decoder::new(bytes);
    match decoder.read_info() {
        Ok(()) => {}
        Err(JpegError::Unsupported(_)) => return Ok(None),
        Err(e) => return Err(decode_error(e)),
    }
    let Some(info) = decoder.info() else {
        return Err(corrupt("no frame header"));
    };
    let (full_width, full_height) = (u32::from(info.width), u32::from(info.height));
    limits::check_dimensions(ImageFormat::Jpeg, full_width, full_height)?;

    // EXIF (APP1) precedes the frame header in practice, so it is known by now; it is read
    // again after the decode in case it came later.
    let early_orientation = orientation_of(&decoder);
    let swapped = swaps_axes(early_orientation);
    let target = u16::try_from(min_width).unwrap_or(u16::MAX);
    // `scale` picks the smallest factor that reaches the request on *either* axis, so the
    // axis that does not matter is asked for more than any JPEG can have.
    let (req_w, req_h) = if swapped {
        (u16::MAX, target)
    } else {
        (target, u16::MAX)
    };
    let (out_w, out_h) = match decoder.scale(req_w, req_h) {
        Ok(size) => size,
        Err(JpegError::Unsupported(_)) => return Ok(None),
        Err(e) => return Err(decode_error(e)),
    };
    let footprint = footprint(
        &info,
        (u32::from(out_w), u32::from(out_h)),
        swapped,
        min_width,
    );
    limits::check_footprint(ImageFormat::Jpeg, (full_width, full_height), &footprint)?;
    decoder.set_max_decoding_buffer_size(usize::try_from(limits::MAX_ALLOC).unwrap_or(usize::MAX));

    let pixels = match decoder.decode() {
        Ok(pixels) => pixels,
        Err(JpegError::Unsupported(_)) => return Ok(None),
        Err(e) => return Err(decode_error(e)),
    };
    let orientation = orientation_of(&decoder);
    let (w, h) = (u32::from(out_w), u32::from(out_h));
    let image = to_image(pixels, info.pixel_format, w, h)
        .ok_or_else(|| corrupt(format!("decoded buffer does not hold {w}x{h} pixels")))?;
    Ok(Some(Decoded {
        image,
        orientation,
        source_size: (full_width, full_height),
    }))
}

/// What decoding to `out` (the scaled size) and shrinking the result holds, phase by phase.
fn footprint(
    info: &ImageInfo,
    (out_w, out_h): (u32, u32),
    swapped: bool,
    max_width: u32,
) -> limits::Footprint {
    let components = info.pixel_format.pixel_bytes() as u64;
    let (full_w, full_h) = (u32::from(info.width), u32::from(info.height));
    // Progressive files keep every coefficient (2 bytes per sample) at full size, in whole
    // MCUs (up to 16×16 px with subsampling), until the last scan.
    let coefficients = if info.coding_process == CodingProcess::DctProgressive {
        limits::pixels(full_w.next_multiple_of(16), full_h.next_multiple_of(16)) * components * 2
    } else {
        0
    };
    // The component planes at output size (also in whole blocks) that the colour conversion
    // reads from to fill the interleaved output.
    let planes =
        limits::pixels(out_w.next_multiple_of(16), out_h.next_multiple_of(16)) * components;
    let out = limits::pixels(out_w, out_h);
    // CMYK becomes an RGB copy; 16-bit grey becomes a u16 copy and then 8-bit grey.
    let (channels, converted) = match info.pixel_format {
        PixelFormat::L8 => (1, 0),
        PixelFormat::RGB24 => (3, 0),
        PixelFormat::CMYK32 => (3, out * 3),
        PixelFormat::L16 => (1, out * 3),
    };
    let display = if swapped {
        (full_h, full_w)
    } else {
        (full_w, full_h)
    };
    limits::Footprint {
        working: coefficients + planes,
        decoded: out * components,
        converted,
        resize: limits::resize_bytes((out_w, out_h), channels, display, swapped, max_width),
    }
}

/// The EXIF orientation the decoder has seen, or none.
fn orientation_of<R: std::io::Read>(decoder: &Decoder<R>) -> Orientation {
    decoder
        .exif_data()
        .and_then(Orientation::from_exif_chunk)
        .unwrap_or(Orientation::NoTransforms)
}

/// Wrap `jpeg-decoder`'s output in an 8-bit image.
fn to_image(pixels: Vec<u8>, format: PixelFormat, w: u32, h: u32) -> Option<DynamicImage> {
    match format {
        PixelFormat::L8 => GrayImage::from_raw(w, h, pixels).map(DynamicImage::ImageLuma8),
        PixelFormat::L16 => {
            // Lossless JPEG only; samples come in native byte order.
            let samples = pixels
                .chunks_exact(2)
                .map(|b| u16::from_ne_bytes([b[0], b[1]]))
                .collect();
            ImageBuffer::<Luma<u16>, Vec<u16>>::from_raw(w, h, samples)
                .map(|img| DynamicImage::ImageLuma8(DynamicImage::ImageLuma16(img).to_luma8()))
        }
        PixelFormat::RGB24 => RgbImage::from_raw(w, h, pixels).map(DynamicImage::ImageRgb8),
        PixelFormat::CMYK32 => {
            RgbImage::from_raw(w, h, cmyk_to_rgb(&pixels)).map(DynamicImage::ImageRgb8)
        }
    }
}

/// `jpeg-decoder` hands out CMYK as ink amounts (Adobe's inversion already undone, YCCK already
/// turned into CMYK); with no colour profile applied, naive conversion is what browsers
/// without colour management show too.
fn cmyk_to_rgb(cmyk: &[u8]) -> Vec<u8> {
    let mut rgb = Vec::with_capacity(cmyk.len() / 4 * 3);
    for px in cmyk.chunks_exact(4) {
        let white = 255 - u32::from(px[3]);
        for &ink in &px[..3] {
            // (255 - ink) * (255 - k) / 255, rounded; never above 255.
            let v = ((255 - u32::from(ink)) * white + 127) / 255;
            rgb.push(v as u8);
        }
    }
    rgb
}

/// A decode error as ours; running out of data gets a plain word, since "failed to fill whole
/// buffer" says nothing to someone reading the archive's error column.
fn decode_error(error: JpegError) -> MediaError {
    match error {
        JpegError::Io(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            corrupt("the data ends early (truncated file)")
        }
        other => corrupt(other),
    }
}

fn corrupt(message: impl ToString) -> MediaError {
    MediaError::Corrupt {
        format: "JPEG".to_owned(),
        message: message.to_string(),
    }
}
