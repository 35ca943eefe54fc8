//! JPEG shrink-on-load with libjpeg-turbo (its TurboJPEG 3 API, from `turbojpeg-sys`): the
//! inverse DCT itself produces the image at 1/2, 1/4 or 1/8 size, with SIMD for the IDCT, the
//! colour conversion and the upsampling, so the pixels the thumbnail does not need are never
//! computed. This is the first path for every JPEG.
//!
//! Why libjpeg-turbo: on the 1744×2464 camera photo, one core, its 1/2-scale decode is less
//! than half of `image`'s full-size decode (zune-jpeg, which has no DCT scaling) and of
//! `jpeg-decoder` at 1/2 (see `jpeg` for why that one is slow).
//!
//! What it does not take, the caller decodes otherwise (`Ok(None)`): CMYK and YCCK files
//! (TurboJPEG gives CMYK only as raw inks), lossless and 12-bit JPEG, a file without an end
//! marker (truncated: libjpeg-turbo would fill the rest with grey and call it a warning; the
//! next decoder names the damage) and any file it fails on. Other warnings (e.g. "extraneous
//! bytes before marker", common in camera files) leave a complete picture and are accepted.

use std::ffi::c_int;

use image::metadata::Orientation;
use image::{DynamicImage, GrayImage, ImageFormat, RgbImage};
use turbojpeg_sys as tj;

use super::decode::Decoded;
use super::error::MediaError;
use super::limits::{self, MAX_ALLOC, MAX_JPEG_SCANS};
use super::scans;
use super::thumbnail::swaps_axes;

/// A TurboJPEG decompressor instance, destroyed on drop.
struct Handle(tj::tjhandle);

impl Handle {
    fn new() -> Option<Handle> {
        // SAFETY: tj3Init has no preconditions; it returns null on failure.
        let handle = unsafe { tj::tj3Init(tj::TJINIT_TJINIT_DECOMPRESS as c_int) };
        (!handle.is_null()).then_some(Handle(handle))
    }

    fn get(&self, param: tj::TJPARAM) -> c_int {
        // SAFETY: the handle is valid until drop; unknown parameters return -1.
        unsafe { tj::tj3Get(self.0, param as c_int) }
    }

    fn set(&self, param: tj::TJPARAM, value: c_int) -> Option<()> {
        // SAFETY: as for `get`; a bad value is refused with -1.
        (unsafe { tj::tj3Set(self.0, param as c_int, value) } == 0).then_some(())
    }

    /// Read the header of `bytes`: dimensions, colour space, coding.
    fn read_header(&self, bytes: &[u8]) -> Option<()> {
        // SAFETY: the pointer and length describe `bytes`, which outlives the call.
        let result =
            unsafe { tj::tj3DecompressHeader(self.0, bytes.as_ptr(), bytes.len() as tj::size_t) };
        (result == 0).then_some(())
    }

    fn set_scale(&self, denom: usize) -> Option<()> {
        let factor = tj::tjscalingfactor {
            num: 1,
            denom: denom as c_int,
        };
        // SAFETY: as for `get`; unsupported factors are refused with -1.
        (unsafe { tj::tj3SetScalingFactor(self.0, factor) } == 0).then_some(())
    }

    /// Decompress `bytes` into `out` (rows of `pitch` bytes, `format` pixels). `Ok(true)` when
    /// it finished with warnings only.
    fn decompress(
        &self,
        bytes: &[u8],
        out: &mut [u8],
        pitch: usize,
        format: tj::TJPF,
    ) -> Result<bool, ()> {
        // SAFETY: `out` holds the scaled height × `pitch` bytes (checked by the caller against
        // the header read on this handle with this scaling factor), and TurboJPEG writes no
        // more than that; both buffers outlive the call.
        let result = unsafe {
            tj::tj3Decompress8(
                self.0,
                bytes.as_ptr(),
                bytes.len() as tj::size_t,
                out.as_mut_ptr(),
                pitch as c_int,
                format,
            )
        };
        if result == 0 {
            return Ok(false);
        }
        // SAFETY: the handle is valid.
        let code = unsafe { tj::tj3GetErrorCode(self.0) };
        if code == tj::TJERR_TJERR_WARNING as c_int {
            Ok(true)
        } else {
            Err(())
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: created by tj3Init, destroyed once.
        unsafe { tj::tj3Destroy(self.0) }
    }
}

/// Decode a JPEG at the smallest IDCT scale whose displayed width is still at least
/// `min_width` (or full size when the image is narrower).
///
/// Limits are checked on the header before any pixel buffer exists: dimensions, then the
/// peak memory of the decode and resize at the chosen scale.
pub(crate) fn decode_scaled(bytes: &[u8], min_width: u32) -> Result<Option<Decoded>, MediaError> {
    let Some(handle) = Handle::new() else {
        return Ok(None);
    };
    if handle.read_header(bytes).is_none() {
        return Ok(None);
    }
    let (Ok(width), Ok(height)) = (
        u32::try_from(handle.get(tj::TJPARAM_TJPARAM_JPEGWIDTH)),
        u32::try_from(handle.get(tj::TJPARAM_TJPARAM_JPEGHEIGHT)),
    ) else {
        return Ok(None);
    };
    limits::check_dimensions(ImageFormat::Jpeg, width, height)?;
    let colorspace = handle.get(tj::TJPARAM_TJPARAM_COLORSPACE);
    let (format, channels) = if colorspace == tj::TJCS_TJCS_GRAY as c_int {
        (tj::TJPF_TJPF_GRAY, 1)
    } else if colorspace == tj::TJCS_TJCS_YCbCr as c_int || colorspace == tj::TJCS_TJCS_RGB as c_int
    {
        (tj::TJPF_TJPF_RGB, 3)
    } else {
        return Ok(None);
    };
    if handle.get(tj::TJPARAM_TJPARAM_LOSSLESS) != 0
        || handle.get(tj::TJPARAM_TJPARAM_PRECISION) != 8
        || width == 0
        || height == 0
        || !scans::has_end(bytes)
    {
        return Ok(None);
    }
    let progressive = handle.get(tj::TJPARAM_TJPARAM_PROGRESSIVE) != 0;
    let orientation = exif_orientation(bytes);
    let display_width = if swaps_axes(orientation) {
        height
    } else {
        width
    };
    let denom = scale_for(display_width, min_width);
    let (w, h) = (width.div_ceil(denom), height.div_ceil(denom));
    let footprint = footprint(
        bytes,
        progressive,
        channels,
        (width, height),
        (w, h),
        orientation,
        min_width,
    );
    limits::check_footprint(ImageFormat::Jpeg, (width, height), &footprint)?;

    // Refused above past these limits already; they keep libjpeg-turbo itself from going
    // further on a file whose header and data disagree.
    let max_memory_mb = c_int::try_from(MAX_ALLOC >> 20).unwrap_or(c_int::MAX);
    if handle.set_scale(denom as usize).is_none()
        || handle
            .set(tj::TJPARAM_TJPARAM_SCANLIMIT, MAX_JPEG_SCANS as c_int)
            .is_none()
        || handle
            .set(tj::TJPARAM_TJPARAM_MAXMEMORY, max_memory_mb)
            .is_none()
        || handle.set(tj::TJPARAM_TJPARAM_STOPONWARNING, 0).is_none()
    {
        return Ok(None);
    }
    let pitch = w as usize * channels;
    let mut pixels = vec![0u8; pitch * h as usize];
    if handle
        .decompress(bytes, &mut pixels, pitch, format)
        .is_err()
    {
        return Ok(None);
    }
    let image = if channels == 1 {
        GrayImage::from_raw(w, h, pixels).map(DynamicImage::ImageLuma8)
    } else {
        RgbImage::from_raw(w, h, pixels).map(DynamicImage::ImageRgb8)
    };
    let Some(image) = image else {
        return Ok(None);
    };
    Ok(Some(Decoded {
        image,
        orientation,
        source_size: (width, height),
    }))
}

/// The denominator of the smallest IDCT scale (1/8, 1/4, 1/2, 1) at which `display_width`
/// (rounded up, as libjpeg-turbo does) is still at least `min_width`.
fn scale_for(display_width: u32, min_width: u32) -> u32 {
    [8, 4, 2]
        .into_iter()
        .find(|denom| display_width.div_ceil(*denom) >= min_width)
        .unwrap_or(1)
}

/// What decoding to `out` (the scaled size) and shrinking the result holds, phase by phase.
fn footprint(
    bytes: &[u8],
    progressive: bool,
    channels: usize,
    (full_w, full_h): (u32, u32),
    (out_w, out_h): (u32, u32),
    orientation: Orientation,
    max_width: u32,
) -> limits::Footprint {
    let components = channels as u64;
    // A file of more than one scan (progressive, or baseline with its components in separate
    // scans) is buffered as coefficients, 2 bytes a sample, in whole MCUs (up to 16×16 px),
    // for the whole image. A single-scan file is decoded a row of MCUs at a time.
    let coefficients = if progressive || scans::count(bytes, 2) > 1 {
        limits::pixels(full_w.next_multiple_of(16), full_h.next_multiple_of(16)) * components * 2
    } else {
        0
    };
    // One MCU row of component samples at output size, for upsampling and colour conversion.
    let rows = u64::from(out_w.next_multiple_of(16)) * 16 * components * 2;
    let swapped = swaps_axes(orientation);
    let display = if swapped {
        (full_h, full_w)
    } else {
        (full_w, full_h)
    };
    limits::Footprint {
        working: coefficients + rows,
        decoded: limits::pixels(out_w, out_h) * components,
        converted: 0,
        resize: limits::resize_bytes((out_w, out_h), components, display, swapped, max_width),
    }
}

/// The EXIF orientation of a JPEG, from its first `APP1` `Exif` segment before the first scan;
/// none when there is no such segment or it is unreadable (the picture is shown as stored).
pub(crate) fn exif_orientation(bytes: &[u8]) -> Orientation {
    exif_chunk(bytes)
        .and_then(Orientation::from_exif_chunk)
        .unwrap_or(Orientation::NoTransforms)
}

/// The TIFF structure of the first `APP1` segment that starts with `Exif\0\0`.
fn exif_chunk(bytes: &[u8]) -> Option<&[u8]> {
    const APP1: u8 = 0xE1;
    const SOS: u8 = 0xDA;
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut at = 2;
    loop {
        // Segments follow each other directly; fill bytes (0xFF) may precede a marker code.
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        while bytes.get(at) == Some(&0xFF) {
            at += 1;
        }
        let code = *bytes.get(at)?;
        at += 1;
        if code == SOS {
            return None;
        }
        let length = usize::from(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]));
        let payload = bytes.get(at + 2..at + length.max(2))?;
        if code == APP1
            && let Some(tiff) = payload.strip_prefix(b"Exif\0\0")
        {
            return Some(tiff);
        }
        at += length.max(2);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_is_the_smallest_that_covers_the_width() {
        let cases = [
            (1744, 100, 8),
            (1744, 218, 8),
            (1744, 219, 4),
            (1744, 480, 2),
            (1744, 872, 2),
            (1744, 873, 1),
            (150, 75, 2),
            // Rounded up: 1/8 of 9 px is 2 px.
            (9, 2, 8),
            (1, 480, 1),
        ];
        for (width, min, expected) in cases {
            assert_eq!(scale_for(width, min), expected, "{width} px for {min}");
        }
    }

    #[test]
    fn exif_segments_are_found_before_the_first_scan_only() {
        fn segment(code: u8, payload: &[u8]) -> Vec<u8> {
            let mut out = vec![0xFF, code];
            out.extend_from_slice(&(payload.len() as u16 + 2).to_be_bytes());
            out.extend_from_slice(payload);
            out
        }
        // Big-endian TIFF with one IFD entry: orientation (0x0112), SHORT, 1, value 6.
        let tiff: &[u8] = &[
            b'M', b'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0,
            0,
        ];
        let mut exif = b"Exif\0\0".to_vec();
        exif.extend_from_slice(tiff);
        let mut jpeg = vec![0xFF, 0xD8];
        jpeg.extend(segment(0xE0, b"JFIF\0"));
        jpeg.extend(segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0"));
        jpeg.extend(segment(0xE1, &exif));
        assert_eq!(exif_orientation(&jpeg), Orientation::Rotate90);

        let mut late = vec![0xFF, 0xD8];
        late.extend(segment(0xDA, &[1, 1, 0, 0, 63, 0]));
        late.extend(segment(0xE1, &exif));
        assert_eq!(exif_orientation(&late), Orientation::NoTransforms);
        for broken in [&jpeg[..jpeg.len() - 10], &[0xFF, 0xD8, 0xFF], b"not a jpeg"] {
            assert_eq!(exif_orientation(broken), Orientation::NoTransforms);
        }
    }
}
