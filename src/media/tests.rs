//! Tests of the whole thumbnail path against every image fixture, plus the pieces that decide
//! sizes and errors.

use std::path::PathBuf;

use image::metadata::Orientation;
use image::{DynamicImage, GenericImageView, ImageDecoder, ImageFormat, ImageReader};

use super::*;
use crate::config::{HttpConfig, PolitenessConfig, ThumbnailFormat};

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/samples/images/"
    ))
    .join(name)
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture_path(name)).expect("fixture file exists")
}

fn settings(max_width: u32, format: ThumbnailFormat) -> ThumbnailConfig {
    ThumbnailConfig { max_width, format }
}

#[derive(Debug)]
enum Expect {
    /// Thumbnail of this width × height at the default 480 px.
    Thumb(u32, u32),
    TooLarge,
    Corrupt,
}

/// Every file in the fixture directory and what must come of it at max_width 480.
const FIXTURES: &[(&str, Expect)] = &[
    ("alpha-palette-32x32.png", Expect::Thumb(32, 32)),
    ("animated-1000x1000.gif", Expect::Thumb(480, 480)),
    ("bomb-50000x50000.png", Expect::TooLarge),
    ("cmyk-256x256.jpg", Expect::Thumb(256, 256)),
    // Stored 113 wide × 150 high; orientation 6 turns it a quarter clockwise for display.
    ("exif-orientation-6-113x150.jpg", Expect::Thumb(150, 113)),
    ("lossy-100x100.webp", Expect::Thumb(100, 100)),
    // 2464 * 480 / 1744 = 678.2
    ("photo-1744x2464-camera.jpg", Expect::Thumb(480, 678)),
    // 470 * 480 / 650 = 347.1
    ("progressive-650x470.jpg", Expect::Thumb(480, 347)),
    ("rgba16-32x32.png", Expect::Thumb(32, 32)),
    ("tiny-1x1.jpg", Expect::Thumb(1, 1)),
    ("truncated-650x470.jpg", Expect::Corrupt),
    // 333 * 480 / 500 = 319.7
    ("ycck-500x333.jpg", Expect::Thumb(480, 320)),
];

#[test]
fn the_table_covers_every_fixture_file() {
    let dir = fixture_path("");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixture dir")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = FIXTURES.iter().map(|(n, _)| (*n).to_owned()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}

/// The thumbnail's bytes, decoded again by `image`, sniffed from the bytes.
fn redecode(thumb: &StoredImage, format: ImageFormat) -> DynamicImage {
    assert_eq!(image::guess_format(&thumb.bytes).ok(), Some(format));
    image::load_from_memory_with_format(&thumb.bytes, format).expect("thumbnail decodes")
}

fn check_stored(thumb: &StoredImage, name: &str, format: ThumbnailFormat) -> DynamicImage {
    let (image_format, mime) = match format {
        ThumbnailFormat::Webp => (ImageFormat::WebP, "image/webp"),
        ThumbnailFormat::Jpeg => (ImageFormat::Jpeg, "image/jpeg"),
    };
    assert_eq!(thumb.mime, mime, "{name}");
    assert_eq!(
        thumb.sha256,
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&thumb.bytes)),
        "{name}"
    );
    let back = redecode(thumb, image_format);
    assert_eq!(
        (back.width(), back.height()),
        (thumb.width, thumb.height),
        "{name}"
    );
    back
}

#[test]
fn every_fixture_gives_the_expected_outcome_in_both_formats() {
    for format in [ThumbnailFormat::Webp, ThumbnailFormat::Jpeg] {
        for (name, expect) in FIXTURES {
            let result = make_thumbnail(&fixture(name), &settings(480, format));
            match (expect, result) {
                (Expect::Thumb(w, h), Ok(thumb)) => {
                    assert_eq!((thumb.width, thumb.height), (*w, *h), "{name} {format:?}");
                    check_stored(&thumb, name, format);
                }
                (Expect::TooLarge, Err(MediaError::TooLarge { .. }))
                | (Expect::Corrupt, Err(MediaError::Corrupt { .. })) => {}
                (expect, got) => panic!(
                    "{name} {format:?}: expected {expect:?}, got {:?}",
                    got.map(|t| (t.width, t.height))
                ),
            }
        }
    }
}

#[test]
fn the_original_size_is_reported_as_displayed() {
    let cases = [
        ("exif-orientation-6-113x150.jpg", (150, 113)),
        ("photo-1744x2464-camera.jpg", (1744, 2464)),
        ("animated-1000x1000.gif", (1000, 1000)),
        ("rgba16-32x32.png", (32, 32)),
    ];
    for (name, size) in cases {
        let (_, got) = thumbnail_and_size(&fixture(name), &ThumbnailConfig::default()).expect(name);
        assert_eq!(got, size, "{name}");
    }
}

#[test]
fn the_bomb_is_refused_from_its_header() {
    let bytes = fixture("bomb-50000x50000.png");
    assert_eq!(bytes.len(), 128);
    let started = std::time::Instant::now();
    let err = make_thumbnail(&bytes, &ThumbnailConfig::default()).expect_err("bomb refused");
    // Decoding 2.5 GB of pixels would take seconds; a header check takes microseconds.
    assert!(started.elapsed() < std::time::Duration::from_millis(200));
    match &err {
        MediaError::TooLarge { format, .. } => assert_eq!(format, "PNG"),
        other => panic!("expected TooLarge, got {other:?}"),
    }
    assert!(err.to_string().contains("12000"), "{err}");
}

#[test]
fn the_truncated_jpeg_is_a_typed_error() {
    let err = make_thumbnail(
        &fixture("truncated-650x470.jpg"),
        &ThumbnailConfig::default(),
    )
    .expect_err("truncated file refused");
    assert!(
        matches!(&err, MediaError::Corrupt { format, .. } if format == "JPEG"),
        "{err:?}"
    );
    assert!(err.to_string().contains("truncated"), "{err}");
}

#[test]
fn files_cut_short_are_corrupt_in_every_format() {
    // (file, fraction of its bytes kept)
    let cases = [
        ("photo-1744x2464-camera.jpg", 0.5),
        // Its EOI is at 98.6 % (trailing bytes follow), so this cuts into the last scan.
        ("photo-1744x2464-camera.jpg", 0.97),
        ("progressive-650x470.jpg", 0.3),
        ("cmyk-256x256.jpg", 0.6),
        ("alpha-palette-32x32.png", 0.5),
        ("rgba16-32x32.png", 0.8),
        ("lossy-100x100.webp", 0.5),
        ("animated-1000x1000.gif", 0.1),
    ];
    for (name, keep) in cases {
        let bytes = fixture(name);
        let cut = &bytes[..(bytes.len() as f64 * keep) as usize];
        match make_thumbnail(cut, &ThumbnailConfig::default()) {
            Err(MediaError::Corrupt { .. }) => {}
            Err(other) => panic!("{name} cut to {keep}: expected Corrupt, got {other:?}"),
            Ok(thumb) => panic!(
                "{name} cut to {keep}: expected Corrupt, got a {}x{} thumbnail",
                thumb.width, thumb.height
            ),
        }
    }
}

/// Deterministic noise (xorshift), so the test never flakes on a lucky magic number.
fn noise(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

#[test]
fn non_images_are_not_an_image() {
    let html = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/samples/soundcloud/page-ididthat.html"
    ))
    .expect("html fixture");
    let cases: &[(&str, Vec<u8>)] = &[
        ("random bytes", noise(4096)),
        ("html page", html),
        (
            "html error page",
            b"<!DOCTYPE html><title>404</title>".to_vec(),
        ),
        ("json", br#"{"error":"not found"}"#.to_vec()),
        ("empty", Vec::new()),
    ];
    for (what, bytes) in cases {
        match make_thumbnail(bytes, &ThumbnailConfig::default()) {
            Err(MediaError::NotAnImage { len, .. }) => assert_eq!(len, bytes.len(), "{what}"),
            other => panic!(
                "{what}: expected NotAnImage, got {:?}",
                other.map(|t| (t.width, t.height))
            ),
        }
    }
}

#[test]
fn known_but_undecoded_formats_are_unsupported() {
    let mut bmp = b"BM".to_vec();
    bmp.extend_from_slice(&[0; 64]);
    let mut tiff = b"II*\0".to_vec();
    tiff.extend_from_slice(&[0; 64]);
    for (what, bytes) in [("bmp", bmp), ("tiff", tiff)] {
        let result = make_thumbnail(&bytes, &ThumbnailConfig::default());
        assert!(
            matches!(result, Err(MediaError::Unsupported { .. })),
            "{what}: {:?}",
            result.map(|t| (t.width, t.height))
        );
    }
}

#[test]
fn max_width_is_honoured_and_nothing_is_upscaled() {
    // (file, max_width, expected width × height)
    let cases: &[(&str, u32, (u32, u32))] = &[
        ("photo-1744x2464-camera.jpg", 16, (16, 23)),
        ("photo-1744x2464-camera.jpg", 200, (200, 283)),
        ("photo-1744x2464-camera.jpg", 436, (436, 616)),
        ("photo-1744x2464-camera.jpg", 873, (873, 1233)),
        ("photo-1744x2464-camera.jpg", 4096, (1744, 2464)),
        ("progressive-650x470.jpg", 100, (100, 72)),
        ("ycck-500x333.jpg", 4096, (500, 333)),
        ("cmyk-256x256.jpg", 64, (64, 64)),
        ("exif-orientation-6-113x150.jpg", 75, (75, 57)),
        ("exif-orientation-6-113x150.jpg", 4096, (150, 113)),
        ("animated-1000x1000.gif", 333, (333, 333)),
        ("lossy-100x100.webp", 50, (50, 50)),
        ("rgba16-32x32.png", 16, (16, 16)),
        ("tiny-1x1.jpg", 480, (1, 1)),
        ("tiny-1x1.jpg", 16, (1, 1)),
    ];
    for (name, max_width, expected) in cases {
        let thumb = make_thumbnail(&fixture(name), &settings(*max_width, ThumbnailFormat::Webp))
            .unwrap_or_else(|e| panic!("{name} at {max_width}: {e}"));
        assert_eq!(
            (thumb.width, thumb.height),
            *expected,
            "{name} at {max_width}"
        );
        check_stored(&thumb, name, ThumbnailFormat::Webp);
    }
}

#[test]
fn target_size_cases() {
    // (width, height, max_width, expected)
    let cases = [
        (1744, 2464, 480, (480, 678)),
        (480, 100, 480, (480, 100)),
        (479, 100, 480, (479, 100)),
        (1, 1, 480, (1, 1)),
        (10_000, 1, 480, (480, 1)),
        (1000, 1001, 500, (500, 501)),
        (1000, 999, 500, (500, 500)),
    ];
    for (w, h, max, expected) in cases {
        assert_eq!(
            thumbnail::target_size(w, h, max),
            expected,
            "{w}x{h} at {max}"
        );
    }
}

/// The two shrink-on-load JPEG decoders, tried in this order.
type JpegDecoder = fn(&[u8], u32) -> Result<Option<decode::Decoded>, MediaError>;
const JPEG_DECODERS: [(&str, JpegDecoder); 2] = [
    ("libjpeg-turbo", turbo::decode_scaled),
    ("jpeg-decoder", jpeg::decode_scaled),
];

/// Files libjpeg-turbo leaves to the next decoder: inks (CMYK, YCCK).
const NOT_FOR_TURBO: [&str; 2] = ["cmyk-256x256.jpg", "ycck-500x333.jpg"];

/// Decode with `decoder`, which must support the file unless it is libjpeg-turbo and the file
/// is one it leaves to the next decoder (then `None`).
fn decode_jpeg(
    (decoder_name, decoder): (&str, JpegDecoder),
    name: &str,
    bytes: &[u8],
    min_width: u32,
) -> Option<decode::Decoded> {
    let decoded =
        decoder(bytes, min_width).unwrap_or_else(|e| panic!("{decoder_name} {name}: {e}"));
    let declined = decoder_name == "libjpeg-turbo" && NOT_FOR_TURBO.contains(&name);
    assert_eq!(decoded.is_none(), declined, "{decoder_name} {name}");
    decoded
}

#[test]
fn jpegs_are_decoded_at_the_smallest_scale_that_still_covers_the_width() {
    // The camera photo is 1744 wide: 1/2 = 872, 1/4 = 436, 1/8 = 218.
    let bytes = fixture("photo-1744x2464-camera.jpg");
    let cases = [
        (100, 218),
        (218, 218),
        (219, 436),
        (480, 872),
        (872, 872),
        (873, 1744),
        (4096, 1744),
    ];
    for decoder in JPEG_DECODERS {
        for (min_width, decoded_width) in cases {
            let decoded = decode_jpeg(decoder, "camera", &bytes, min_width).expect("decoded");
            assert_eq!(
                decoded.image.width(),
                decoded_width,
                "{} min width {min_width}",
                decoder.0
            );
            assert_eq!(decoded.source_size, (1744, 2464));
        }
        // A quarter-turned JPEG: the display width is the stored height (150), so asking for
        // 75 px may halve it (150 / 2 = 75) but not quarter it.
        let rotated = fixture("exif-orientation-6-113x150.jpg");
        let decoded = decode_jpeg(decoder, "rotated", &rotated, 75).expect("decoded");
        assert_eq!(decoded.orientation, Orientation::Rotate90, "{}", decoder.0);
        assert_eq!(
            (decoded.image.width(), decoded.image.height()),
            (57, 75),
            "{}: stored 113x150 at 1/2",
            decoder.0
        );
    }
}

#[test]
fn libjpeg_turbo_leaves_damaged_files_to_the_next_decoder() {
    // It patches a truncated file up with grey and calls that a warning; the next decoder
    // names the damage instead (`the_truncated_jpeg_is_a_typed_error`).
    let truncated = fixture("truncated-650x470.jpg");
    assert!(matches!(turbo::decode_scaled(&truncated, 480), Ok(None)));
    let photo = fixture("photo-1744x2464-camera.jpg");
    assert!(matches!(
        turbo::decode_scaled(&photo[..photo.len() / 2], 480),
        Ok(None)
    ));
    // Not a JPEG at all.
    assert!(matches!(turbo::decode_scaled(&noise(4096), 480), Ok(None)));
}

/// Reference rendering: `image`'s own decoder (zune-jpeg), its orientation handling, and
/// `image`'s resize, to compare the fast path against.
fn reference(bytes: &[u8], width: u32, height: u32, extra: Option<Orientation>) -> DynamicImage {
    let mut decoder = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .expect("sniff")
        .into_decoder()
        .expect("decoder");
    let orientation = decoder.orientation().expect("orientation");
    let mut image = DynamicImage::from_decoder(decoder).expect("reference decode");
    image.apply_orientation(orientation);
    if let Some(extra) = extra {
        image.apply_orientation(extra);
    }
    image.resize_exact(width, height, image::imageops::FilterType::Triangle)
}

/// Mean absolute difference per RGB channel, 0..=255.
fn mean_difference(a: &DynamicImage, b: &DynamicImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let (a, b) = (a.to_rgb8(), b.to_rgb8());
    let total: u64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    total as f64 / a.as_raw().len() as f64
}

const JPEGS: [&str; 6] = [
    "photo-1744x2464-camera.jpg",
    "progressive-650x470.jpg",
    "cmyk-256x256.jpg",
    "ycck-500x333.jpg",
    "exif-orientation-6-113x150.jpg",
    "tiny-1x1.jpg",
];

#[test]
fn fast_jpeg_decoders_match_the_reference_decoder_at_full_size() {
    // Colour conversion (CMYK, YCCK), upsampling and orientation must agree with `image`'s
    // own decoder (zune-jpeg).
    for decoder in JPEG_DECODERS {
        for name in JPEGS {
            let bytes = fixture(name);
            let Some(decoded) = decode_jpeg(decoder, name, &bytes, u32::MAX) else {
                continue;
            };
            assert_eq!(
                (decoded.image.width(), decoded.image.height()),
                decoded.source_size,
                "{} {name}",
                decoder.0
            );
            let mut ours = decoded.image;
            ours.apply_orientation(decoded.orientation);
            let theirs = reference(&bytes, ours.width(), ours.height(), None);
            let diff = mean_difference(&ours, &theirs);
            assert!(
                diff < 1.0,
                "{} {name}: mean difference {diff:.2}",
                decoder.0
            );
        }
    }
}

#[test]
fn idct_scaled_decode_is_the_block_average_of_the_full_decode() {
    // Scaling by 1/n in the IDCT approximates averaging n×n blocks; a misaligned or
    // mis-coloured scaled decode is far off (a one-pixel shift alone costs 20+ here).
    for decoder in JPEG_DECODERS {
        for name in [
            "photo-1744x2464-camera.jpg",
            "cmyk-256x256.jpg",
            "ycck-500x333.jpg",
        ] {
            let bytes = fixture(name);
            let Some(full) = decode_jpeg(decoder, name, &bytes, u32::MAX) else {
                continue;
            };
            let full = full.image.to_rgb8();
            for n in [2u32, 4, 8] {
                let scaled = decode_jpeg(decoder, name, &bytes, full.width() / n)
                    .expect("decoded")
                    .image
                    .to_rgb8();
                let what = format!("{} {name} at 1/{n}", decoder.0);
                assert_eq!(scaled.width(), full.width().div_ceil(n), "{what}");
                let (w, h) = (full.width() / n, full.height() / n);
                let mut total = 0u64;
                for y in 0..h {
                    for x in 0..w {
                        for c in 0..3 {
                            let mut sum = 0u32;
                            for dy in 0..n {
                                for dx in 0..n {
                                    sum += u32::from(full.get_pixel(x * n + dx, y * n + dy)[c]);
                                }
                            }
                            let average = (sum + n * n / 2) / (n * n);
                            total +=
                                u64::from(average.abs_diff(u32::from(scaled.get_pixel(x, y)[c])));
                        }
                    }
                }
                let diff = total as f64 / f64::from(w * h * 3);
                assert!(diff < 6.0, "{what}: mean difference {diff:.2}");
            }
        }
    }
}

#[test]
fn orientation_6_turns_clockwise() {
    // Same size either way round after a half turn, so only the pixels can tell.
    let bytes = fixture("exif-orientation-6-113x150.jpg");
    let thumb = make_thumbnail(&bytes, &ThumbnailConfig::default()).expect("thumbnail");
    let ours = redecode(&thumb, ImageFormat::WebP);
    let right = mean_difference(&ours, &reference(&bytes, 150, 113, None));
    let half_turned = mean_difference(
        &ours,
        &reference(&bytes, 150, 113, Some(Orientation::Rotate180)),
    );
    assert!(
        right * 3.0 < half_turned,
        "right {right:.2} vs turned the wrong way {half_turned:.2}"
    );
}

#[test]
fn alpha_is_kept_in_webp_and_flattened_on_white_in_jpeg() {
    let bytes = fixture("alpha-palette-32x32.png");
    let source = image::load_from_memory(&bytes).expect("png").to_rgba8();
    let transparent: Vec<(u32, u32)> = source
        .enumerate_pixels()
        .filter(|(_, _, p)| p[3] == 0)
        .map(|(x, y, _)| (x, y))
        .collect();
    assert!(!transparent.is_empty(), "fixture has transparent pixels");

    let webp = make_thumbnail(&bytes, &settings(480, ThumbnailFormat::Webp)).expect("webp");
    let webp = redecode(&webp, ImageFormat::WebP);
    assert!(webp.color().has_alpha());
    let webp = webp.to_rgba8();
    let kept = transparent
        .iter()
        .filter(|(x, y)| webp.get_pixel(*x, *y)[3] < 16)
        .count();
    assert!(
        kept * 10 >= transparent.len() * 9,
        "{kept} of {}",
        transparent.len()
    );

    let jpeg = make_thumbnail(&bytes, &settings(480, ThumbnailFormat::Jpeg)).expect("jpeg");
    let jpeg = redecode(&jpeg, ImageFormat::Jpeg).to_rgb8();
    let whitish = transparent
        .iter()
        .filter(|(x, y)| jpeg.get_pixel(*x, *y).0.iter().all(|c| *c > 200))
        .count();
    assert!(
        whitish * 10 >= transparent.len() * 9,
        "{whitish} of {} transparent pixels are white",
        transparent.len()
    );
}

#[test]
fn the_same_input_gives_the_same_content_address() {
    let bytes = fixture("progressive-650x470.jpg");
    let a = make_thumbnail(&bytes, &ThumbnailConfig::default()).expect("a");
    let b = make_thumbnail(&bytes, &ThumbnailConfig::default()).expect("b");
    assert_eq!(a.sha256, b.sha256);
    let c = make_thumbnail(&bytes, &settings(240, ThumbnailFormat::Webp)).expect("c");
    assert_ne!(a.sha256, c.sha256);
}

fn client() -> HttpClient {
    HttpClient::new(&HttpConfig::default(), &PolitenessConfig::default()).expect("client")
}

#[tokio::test]
async fn a_video_without_a_poster_has_nothing_to_thumbnail() {
    let item = MediaRef {
        kind: MediaKind::Video,
        url: "https://video.example/v.mp4".into(),
        image_url: None,
        width: Some(640),
        height: Some(360),
        ..MediaRef::default()
    };
    let media = fetch_media(
        &client(),
        &item,
        &ThumbnailConfig::default(),
        false,
        &DecodeGate::new(DecodeBounds::default()),
    )
    .await;
    assert_eq!(media.kind, MediaKind::Video);
    assert_eq!(media.url, item.url);
    assert_eq!((media.width, media.height), (Some(640), Some(360)));
    assert!(
        media.thumbnail.is_none() && media.error.is_none(),
        "{media:?}"
    );
}

#[tokio::test]
async fn fetch_failures_become_an_error_naming_the_url() {
    // (kind, url, image_url, the URL the message must name)
    let cases = [
        (MediaKind::Image, "not a url", None, "not a url"),
        (
            MediaKind::Video,
            "https://video.example/v.mp4",
            Some("::poster"),
            "::poster",
        ),
        // Nothing listens on port 1 (and the real client refuses loopback by default).
        (
            MediaKind::Image,
            "http://127.0.0.1:1/image.jpg",
            None,
            "127.0.0.1:1/image.jpg",
        ),
        (
            MediaKind::Video,
            "https://video.example/v.mp4",
            Some("http://127.0.0.1:1/poster.jpg"),
            "127.0.0.1:1/poster.jpg",
        ),
    ];
    for (kind, url, image_url, named) in cases {
        let item = MediaRef {
            kind,
            url: url.into(),
            image_url: image_url.map(Into::into),
            width: None,
            height: None,
            ..MediaRef::default()
        };
        let media = fetch_media(
            &client(),
            &item,
            &ThumbnailConfig::default(),
            false,
            &DecodeGate::new(DecodeBounds::default()),
        )
        .await;
        assert!(media.thumbnail.is_none());
        assert_eq!(media.url, url);
        let error = media.error.expect("an error");
        assert!(error.contains(named), "{url}: {error}");
    }
}

#[test]
fn grey_images_thumbnail_in_both_formats() {
    use image::{GrayAlphaImage, GrayImage, LumaA};
    let grey = GrayImage::from_fn(600, 300, |x, y| image::Luma([((x + y) % 256) as u8]));
    let mut grey_jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut grey_jpeg, 90)
        .encode_image(&grey)
        .expect("encode grey JPEG");
    let grey_alpha = GrayAlphaImage::from_fn(600, 300, |x, _| LumaA([128, (x % 256) as u8]));
    let mut grey_alpha_png = Vec::new();
    DynamicImage::ImageLumaA8(grey_alpha)
        .write_to(
            &mut std::io::Cursor::new(&mut grey_alpha_png),
            ImageFormat::Png,
        )
        .expect("encode grey+alpha PNG");
    for (what, bytes) in [("grey JPEG", grey_jpeg), ("grey+alpha PNG", grey_alpha_png)] {
        for format in [ThumbnailFormat::Webp, ThumbnailFormat::Jpeg] {
            let thumb = make_thumbnail(&bytes, &settings(480, format))
                .unwrap_or_else(|e| panic!("{what} {format:?}: {e}"));
            assert_eq!((thumb.width, thumb.height), (480, 240), "{what} {format:?}");
            check_stored(&thumb, what, format);
        }
    }
}

/// Serve fixture images on 127.0.0.1 (reached through a host override for `cdn.example`),
/// each with a Content-Type that must not matter.
async fn image_server() -> String {
    use axum::Router;
    use axum::http::header::CONTENT_TYPE;
    use axum::routing::get;

    fn jpeg(name: &'static str) -> ([(axum::http::HeaderName, &'static str); 1], Vec<u8>) {
        ([(CONTENT_TYPE, "image/jpeg")], fixture(name))
    }
    let app = Router::new()
        .route("/avatar.jpg", get(|| async { jpeg("rgba16-32x32.png") }))
        .route(
            "/poster.jpg",
            get(|| async { jpeg("photo-1744x2464-camera.jpg") }),
        )
        .route("/bomb.jpg", get(|| async { jpeg("bomb-50000x50000.png") }))
        .route(
            "/page.jpg",
            get(|| async {
                (
                    [(CONTENT_TYPE, "image/jpeg")],
                    "<!DOCTYPE html><p>moved</p>",
                )
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

/// A picture address holding a user name or password is not fetched, even where the same
/// address without them serves an image: the error says why and names it.
#[tokio::test]
async fn a_media_address_with_credentials_is_not_fetched() {
    let base = image_server().await;
    let mut http = HttpConfig::default();
    http.host_overrides.insert("cdn.example".into(), base);
    let client = HttpClient::new(&http, &PolitenessConfig::default()).expect("client");
    for (url, fetched) in [
        ("https://cdn.example/avatar.jpg", true),
        ("https://user:pw@cdn.example/avatar.jpg", false),
        ("https://user@cdn.example/avatar.jpg", false),
        ("https://:pw@cdn.example/avatar.jpg", false),
    ] {
        let item = MediaRef {
            kind: MediaKind::Image,
            url: url.into(),
            ..MediaRef::default()
        };
        let media = fetch_media(
            &client,
            &item,
            &ThumbnailConfig::default(),
            false,
            &DecodeGate::new(DecodeBounds::default()),
        )
        .await;
        assert_eq!(
            media.thumbnail.is_some(),
            fetched,
            "{url}: {:?}",
            media.error
        );
        if !fetched {
            let error = media.error.expect("an error");
            assert!(
                error.contains("cdn.example/avatar.jpg") && error.contains("user name or password"),
                "{error}"
            );
        }
    }
}

#[tokio::test]
async fn fetch_media_thumbnails_what_the_server_sends() {
    let base = image_server().await;
    let mut http = HttpConfig::default();
    http.host_overrides.insert("cdn.example".into(), base);
    let client = HttpClient::new(&http, &PolitenessConfig::default()).expect("client");
    let settings = ThumbnailConfig::default();
    let item = |kind, url: &str, image_url: Option<&str>| MediaRef {
        kind,
        url: url.into(),
        image_url: image_url.map(Into::into),
        width: None,
        height: None,
        ..MediaRef::default()
    };

    // A PNG served as image/jpeg at a .jpg URL: sniffed, thumbnailed, dimensions filled; with
    // keep_original the downloaded bytes come back too, typed from the bytes.
    let media = fetch_media(
        &client,
        &item(MediaKind::Image, "https://cdn.example/avatar.jpg", None),
        &settings,
        true,
        &DecodeGate::new(DecodeBounds::default()),
    )
    .await;
    assert_eq!(media.error, None);
    assert_eq!((media.width, media.height), (Some(32), Some(32)));
    let original = media.original.clone().expect("original kept");
    assert_eq!(original.bytes, fixture("rgba16-32x32.png"));
    assert_eq!(original.mime, "image/png");
    assert_eq!(
        original.sha256,
        hex::encode(Sha256::digest(&original.bytes))
    );
    let thumb = media.thumbnail.expect("thumbnail");
    assert_eq!((thumb.width, thumb.height), (32, 32));

    // A video's poster frame: thumbnailed, but the video keeps its (unknown) dimensions.
    let media = fetch_media(
        &client,
        &item(
            MediaKind::Video,
            "https://cdn.example/video.mp4",
            Some("https://cdn.example/poster.jpg"),
        ),
        &settings,
        false,
        &DecodeGate::new(DecodeBounds::default()),
    )
    .await;
    assert!(media.original.is_none(), "originals only when asked for");
    assert_eq!(media.error, None);
    assert_eq!((media.width, media.height), (None, None));
    let thumb = media.thumbnail.expect("thumbnail");
    assert_eq!((thumb.width, thumb.height), (480, 678));

    // (path, what the error must say besides the URL)
    for (path, says) in [
        ("/missing.jpg", "HTTP 404"),
        ("/page.jpg", "not an image"),
        ("/bomb.jpg", "over the limit"),
    ] {
        let url = format!("https://cdn.example{path}");
        let media = fetch_media(
            &client,
            &item(MediaKind::Image, &url, None),
            &settings,
            false,
            &DecodeGate::new(DecodeBounds::default()),
        )
        .await;
        assert!(media.thumbnail.is_none(), "{path}");
        let error = media.error.expect("an error");
        assert!(
            error.contains(&url) && error.contains(says),
            "{path}: {error}"
        );
    }
}

/// A PNG chunk: length, type, data, CRC of type and data.
fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc.sum().to_be_bytes());
    out
}

/// A PNG that is all header: it declares `width`×`height` of `color` (PNG colour type code) at
/// 8 bits, and holds no pixels. What it needs to decode is known before reading any.
fn png_header_only(width: u32, height: u32, color: u8, interlaced: bool) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, color, 0, 0, u8::from(interlaced)]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(png_chunk(b"IHDR", &ihdr));
    png.extend(png_chunk(b"IDAT", &[]));
    png.extend(png_chunk(b"IEND", &[]));
    png
}

/// A lossless WebP that is all header (`VP8L` signature, 14-bit sizes, alpha hint).
fn webp_lossless_header_only(width: u32, height: u32, alpha: bool) -> Vec<u8> {
    let bits = (width - 1) | ((height - 1) << 14) | (u32::from(alpha) << 28);
    let mut vp8l = vec![0x2F];
    vp8l.extend_from_slice(&bits.to_le_bytes());
    vp8l.extend_from_slice(&[0; 11]);
    let mut riff = b"WEBP".to_vec();
    riff.extend_from_slice(b"VP8L");
    riff.extend_from_slice(&(vp8l.len() as u32).to_le_bytes());
    riff.extend_from_slice(&vp8l);
    let mut webp = b"RIFF".to_vec();
    webp.extend_from_slice(&(riff.len() as u32).to_le_bytes());
    webp.extend_from_slice(&riff);
    webp
}

/// A GIF whose logical screen is `width`×`height`, with one 1×1 frame.
fn gif_screen_only(width: u16, height: u16) -> Vec<u8> {
    let mut gif = b"GIF89a".to_vec();
    gif.extend_from_slice(&width.to_le_bytes());
    gif.extend_from_slice(&height.to_le_bytes());
    // A 2-colour global palette, background 0, no aspect ratio.
    gif.extend_from_slice(&[0x80, 0, 0, 0, 0, 0, 255, 255, 255]);
    // One 1×1 frame at 0,0, LZW minimum code size 2, one data block, trailer.
    gif.extend_from_slice(&[0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0]);
    gif.extend_from_slice(&[2, 2, 0x44, 0x01, 0, 0x3B]);
    gif
}

#[test]
fn decodes_whose_peak_is_over_the_limit_are_refused_before_decoding() {
    // Each output buffer alone fits MAX_ALLOC (8000 × 8000 × 4 = 256 000 000 bytes), which is
    // all the check compared; the decoder's working memory or the resize beside it does not.
    let cases: &[(&str, Vec<u8>)] = &[
        // Interlaced, so not read row by row: the RGBA output, then the resize of it.
        ("interlaced RGBA PNG", png_header_only(8000, 8000, 6, true)),
        // The ARGB pixels beside the RGB output.
        (
            "lossless WebP",
            webp_lossless_header_only(8000, 8000, false),
        ),
        (
            "lossless WebP with alpha",
            webp_lossless_header_only(8000, 8000, true),
        ),
        // The RGBA screen, then the resize of it.
        ("GIF", gif_screen_only(8000, 8000)),
    ];
    for (what, bytes) in cases {
        let started = std::time::Instant::now();
        let err = make_thumbnail(bytes, &ThumbnailConfig::default()).expect_err(what);
        match &err {
            MediaError::TooLarge {
                dimensions: Some((8000, 8000)),
                limit:
                    Limit::Memory {
                        needed: Some(needed),
                        max: MAX_ALLOC,
                    },
                ..
            } => assert!(*needed > MAX_ALLOC, "{what}: {needed}"),
            other => panic!("{what}: expected TooLarge with the peak, got {other:?}"),
        }
        assert!(err.to_string().contains("8000x8000"), "{what}: {err}");
        assert!(
            started.elapsed() < std::time::Duration::from_millis(200),
            "{what}: refused from the header, not after decoding"
        );
    }
}

#[test]
fn a_progressive_jpeg_is_refused_on_its_coefficients() {
    // Baseline 12000×12000 decodes at 1/8 (1500×1500); progressive keeps every coefficient of
    // the full image: 12000 × 12000 × 3 components × 2 bytes.
    let mut jpeg = fixture("progressive-650x470.jpg");
    let sof = jpeg
        .windows(2)
        .position(|w| w == [0xFF, 0xC2])
        .expect("SOF2");
    jpeg[sof + 5..sof + 9].copy_from_slice(&[0x2E, 0xE0, 0x2E, 0xE0]);
    let err = make_thumbnail(&jpeg, &ThumbnailConfig::default()).expect_err("refused");
    assert!(
        matches!(
            &err,
            MediaError::TooLarge {
                dimensions: Some((12000, 12000)),
                limit: Limit::Memory { needed: Some(n), .. },
                ..
            } if *n >= 12000 * 12000 * 6
        ),
        "{err:?}"
    );
}

/// A PNG of `width`×`height` (`color` at `depth`) whose pixels come from `sample(x, y, c)`.
fn png_image(
    width: u32,
    height: u32,
    color: png::ColorType,
    depth: png::BitDepth,
    sample: impl Fn(u32, u32, usize) -> u16,
) -> Vec<u8> {
    let channels = match color {
        png::ColorType::Grayscale | png::ColorType::Indexed => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
    };
    let mut data = Vec::new();
    for y in 0..height {
        for x in 0..width {
            for c in 0..channels {
                let v = sample(x, y, c);
                match depth {
                    png::BitDepth::Sixteen => data.extend_from_slice(&v.to_be_bytes()),
                    _ => data.push(v as u8),
                }
            }
        }
    }
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(color);
    encoder.set_depth(depth);
    if color == png::ColorType::Indexed {
        // 16 colours, the first four fully transparent (tRNS).
        let palette: Vec<u8> = (0..16u8)
            .flat_map(|i| [i * 16, 255 - i * 16, 128])
            .collect();
        encoder.set_palette(palette);
        encoder.set_trns(vec![0u8, 0, 0, 0]);
    }
    let mut writer = encoder.write_header().expect("png header");
    writer.write_image_data(&data).expect("png data");
    writer.finish().expect("png end");
    bytes
}

/// Mean absolute difference per channel of two same-sized renderings as they show: colours
/// premultiplied by alpha (a colour under alpha 0 is invisible, and under a small alpha the
/// resizer's 8-bit premultiplied arithmetic is coarse), and alpha itself.
fn mean_visible_difference(a: &DynamicImage, b: &DynamicImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let visible = |p: &image::Rgba<u8>| {
        let a = u32::from(p[3]);
        [0, 1, 2]
            .map(|c| u32::from(p[c]) * a / 255)
            .into_iter()
            .chain([a])
    };
    let (a, b) = (a.to_rgba8(), b.to_rgba8());
    let total: u64 = a
        .pixels()
        .zip(b.pixels())
        .flat_map(|(p, q)| visible(p).zip(visible(q)))
        .map(|(x, y)| u64::from(x.abs_diff(y)))
        .sum();
    total as f64 / (a.as_raw().len()) as f64
}

#[test]
fn a_large_png_is_shrunk_on_load_and_matches_the_full_decode() {
    use png::{BitDepth, ColorType};
    // Gradients with texture; where there is alpha, a transparent band whose colour (red) must
    // not bleed into its opaque blue neighbour.
    let texture = |x: u32, y: u32| ((x * 7 + y * 13) ^ (x * y)) % 32;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "RGBA",
            png_image(2000, 1200, ColorType::Rgba, BitDepth::Eight, |x, y, c| {
                let transparent = (600..900).contains(&x);
                match c {
                    0 if transparent => 255,
                    0 => 0,
                    1 => (y * 255 / 1200) as u16,
                    2 if transparent => 0,
                    2 => 255 - texture(x, y) as u16,
                    _ if transparent => 0,
                    _ => 255 - (x % 97) as u16,
                }
            }),
        ),
        (
            "grey",
            png_image(
                2000,
                1200,
                ColorType::Grayscale,
                BitDepth::Eight,
                |x, y, _| ((x + y) % 256) as u16,
            ),
        ),
        (
            "grey + alpha",
            png_image(
                2000,
                1200,
                ColorType::GrayscaleAlpha,
                BitDepth::Eight,
                |x, y, c| {
                    if c == 0 {
                        (x % 256) as u16
                    } else {
                        (y % 256) as u16
                    }
                },
            ),
        ),
        (
            "16-bit RGB",
            png_image(2000, 1200, ColorType::Rgb, BitDepth::Sixteen, |x, y, c| {
                (x * 32 + y * 7 + c as u32 * 5000) as u16
            }),
        ),
        (
            "palette with transparency",
            png_image(
                2000,
                1200,
                ColorType::Indexed,
                BitDepth::Eight,
                |x, y, _| ((x / 40 + y / 40) % 16) as u16,
            ),
        ),
    ];
    for (what, bytes) in cases {
        // 2000 / (2 × 480) = 2: decoded at 1000×600, never at full size.
        let reduced = png_rows::decode_reduced(&bytes, 480)
            .expect(what)
            .expect("the row path takes it");
        assert_eq!(
            (reduced.image.width(), reduced.image.height()),
            (1000, 600),
            "{what}"
        );
        assert_eq!(reduced.source_size, (2000, 1200), "{what}");
        let ours = thumbnail::shrink(reduced, 480).expect(what);
        let full = decode::decode(&bytes, ImageFormat::Png, 480).expect(what);
        let theirs = thumbnail::shrink(full, 480).expect(what);
        assert_eq!((ours.width(), ours.height()), (480, 288), "{what}");
        let diff = mean_visible_difference(&ours, &theirs);
        assert!(diff < 1.5, "{what}: mean difference {diff:.2}");
        // And through the public entry point.
        let thumb = make_thumbnail(&bytes, &ThumbnailConfig::default()).expect(what);
        assert_eq!((thumb.width, thumb.height), (480, 288), "{what}");
    }
}

#[test]
fn pngs_the_row_path_does_not_take_go_through_image() {
    // Interlaced: Adam7 passes do not come in row order.
    let interlaced = png_header_only(4000, 3000, 2, true);
    assert!(matches!(
        png_rows::decode_reduced(&interlaced, 480),
        Ok(None)
    ));
    // Less than four times the thumbnail's width: no whole factor of 2 leaves twice its width.
    let small = png_image(
        1919,
        10,
        png::ColorType::Rgb,
        png::BitDepth::Eight,
        |_, _, _| 9,
    );
    assert!(matches!(png_rows::decode_reduced(&small, 480), Ok(None)));
    let thumb = make_thumbnail(&small, &ThumbnailConfig::default()).expect("thumbnail");
    assert_eq!((thumb.width, thumb.height), (480, 3));
}

#[test]
fn a_large_png_cut_short_is_corrupt() {
    let bytes = png_image(
        2000,
        1200,
        png::ColorType::Rgb,
        png::BitDepth::Eight,
        |x, y, c| ((x * 3 + y * 5 + c as u32 * 11) % 256) as u16,
    );
    for keep in [0.1, 0.5, 0.99] {
        let cut = &bytes[..(bytes.len() as f64 * keep) as usize];
        match make_thumbnail(cut, &ThumbnailConfig::default()) {
            Err(MediaError::Corrupt { format, .. }) => assert_eq!(format, "PNG"),
            other => panic!(
                "cut to {keep}: expected Corrupt, got {:?}",
                other.map(|t| (t.width, t.height))
            ),
        }
    }
}

/// The progressive fixture with `extra` more scans, each a handful of bytes. `image`'s JPEG
/// encoder writes baseline files only, so the stream is put together by hand from the
/// fixture: its headers and first (DC) scan, then one Huffman table holding a single code
/// (`0`) for EOB14, then `extra` AC scans of the luma (spectral band 1–63) whose data is that
/// code with 14 zero bits: an end-of-band run of 16384 blocks, more than the image has. Each
/// scan is a pass over every block for a decoder, and costs 14 bytes: 2,000 of them are 28 KB.
/// Then the fixture's own remaining scans and its end.
fn jpeg_with_extra_scans(extra: usize) -> Vec<u8> {
    let progressive = fixture("progressive-650x470.jpg");
    let sos: Vec<usize> = progressive
        .windows(2)
        .enumerate()
        .filter(|(_, w)| *w == [0xFF, 0xDA])
        .map(|(at, _)| at)
        .collect();
    // The fixture's scans are separated by DHT segments (FF C4) that precede the next scan.
    let second_dht = progressive[sos[0]..]
        .windows(2)
        .position(|w| w == [0xFF, 0xC4])
        .map(|at| sos[0] + at)
        .expect("a table after the first scan");
    let mut out = progressive[..second_dht].to_vec();
    // DHT: class 1 (AC), table 1; one code of length 1; symbol 0xE0 (EOB14).
    out.extend_from_slice(&[0xFF, 0xC4, 0x00, 0x14, 0x11, 1]);
    out.extend_from_slice(&[0; 15]);
    out.push(0xE0);
    for _ in 0..extra {
        // SOS: one component (1), DC table 0 / AC table 1, Ss 1, Se 63, Ah/Al 0.
        out.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x01, 0x01, 0x3F, 0x00]);
        // `0`, fourteen `0`s, one padding `1`.
        out.extend_from_slice(&[0x00, 0x01]);
    }
    out.extend_from_slice(&progressive[second_dht..]);
    out
}

#[test]
fn a_jpeg_with_thousands_of_scans_is_refused_before_decoding() {
    let hostile = jpeg_with_extra_scans(2000);
    assert!(hostile.len() < 91_072 + 2000 * 14 + 64, "{}", hostile.len());
    let started = std::time::Instant::now();
    let err = make_thumbnail(&hostile, &ThumbnailConfig::default()).expect_err("refused");
    assert!(
        matches!(
            err,
            MediaError::TooManyScans {
                scans: 101,
                max: MAX_JPEG_SCANS
            }
        ),
        "{err:?}"
    );
    assert!(started.elapsed() < std::time::Duration::from_millis(200));
    // Up to the limit the same construction is an ordinary picture.
    let fine = jpeg_with_extra_scans(MAX_JPEG_SCANS - 11);
    assert_eq!(scans::count(&fine, usize::MAX), MAX_JPEG_SCANS);
    let thumb = make_thumbnail(&fine, &ThumbnailConfig::default()).expect("decodes");
    assert_eq!((thumb.width, thumb.height), (480, 347));
}

#[test]
fn fixture_jpegs_have_the_scans_they_were_written_with() {
    let cases = [
        ("photo-1744x2464-camera.jpg", 1),
        ("progressive-650x470.jpg", 11),
        ("truncated-650x470.jpg", 6),
        ("cmyk-256x256.jpg", 1),
        ("ycck-500x333.jpg", 1),
        ("exif-orientation-6-113x150.jpg", 1),
        ("tiny-1x1.jpg", 1),
    ];
    for (name, scans) in cases {
        assert_eq!(scans::count(&fixture(name), usize::MAX), scans, "{name}");
    }
}

#[tokio::test]
async fn a_slow_decode_becomes_a_timeout_error_naming_the_url() {
    let base = image_server().await;
    let mut http = HttpConfig::default();
    http.host_overrides.insert("cdn.example".into(), base);
    let client = HttpClient::new(&http, &PolitenessConfig::default()).expect("client");
    // The camera photo takes milliseconds to decode: far longer than a microsecond.
    let gate = DecodeGate::new(DecodeBounds {
        max_concurrent_decodes: 1,
        decode_timeout: std::time::Duration::from_micros(1),
    });
    let url = "https://cdn.example/poster.jpg";
    let item = MediaRef {
        kind: MediaKind::Image,
        url: url.into(),
        image_url: None,
        width: None,
        height: None,
        ..MediaRef::default()
    };
    let media = fetch_media(&client, &item, &ThumbnailConfig::default(), true, &gate).await;
    assert!(
        media.thumbnail.is_none() && media.original.is_none(),
        "{media:?}"
    );
    let error = media.error.expect("an error");
    assert!(
        error.contains(url) && error.contains("decoding took longer than 1µs"),
        "{error}"
    );
    // The permit comes back once the decode thread has finished.
    for _ in 0..500 {
        if gate.available_permits() == 1 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the permit never came back");
}

/// What a check compares before fetching: an image given without a size takes the one decoding
/// found for the same address before, whatever its signed query says now; a video's poster says
/// nothing of the video's size, and another address borrows nothing.
#[test]
fn a_described_item_takes_the_size_decoding_found_at_its_address() {
    let item = |kind, url: &str| MediaRef {
        kind,
        url: url.to_owned(),
        image_url: None,
        width: None,
        height: None,
        alt: None,
    };
    let earlier = [Media {
        kind: MediaKind::Image,
        url: "https://cdn.example/p/1.jpg?sig=old".to_owned(),
        width: Some(1080),
        height: Some(1350),
        alt: None,
        poster_url: Some("https://cdn.example/p/1.jpg?sig=old".to_owned()),
        thumbnail: None,
        original: None,
        error: None,
    }];
    let same = described(
        &item(MediaKind::Image, "https://cdn.example/p/1.jpg?sig=new"),
        &earlier,
    );
    assert_eq!((same.width, same.height), (Some(1080), Some(1350)));
    assert_eq!(
        same.poster_url.as_deref(),
        Some("https://cdn.example/p/1.jpg?sig=new")
    );
    let other = described(
        &item(MediaKind::Image, "https://cdn.example/p/2.jpg"),
        &earlier,
    );
    assert_eq!((other.width, other.height), (None, None));
    let video = described(
        &item(MediaKind::Video, "https://cdn.example/p/1.jpg"),
        &earlier,
    );
    assert_eq!(
        (video.width, video.height, video.poster_url),
        (None, None, None)
    );
}
