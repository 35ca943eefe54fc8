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
    for (min_width, decoded_width) in cases {
        let decoded = jpeg::decode_scaled(&bytes, min_width)
            .expect("decodes")
            .expect("fast path supports it");
        assert_eq!(
            decoded.image.width(),
            decoded_width,
            "min width {min_width}"
        );
        assert_eq!(decoded.source_size, (1744, 2464));
    }
    // A quarter-turned JPEG: the display width is the stored height (150), so asking for 75
    // px may halve it (150 / 2 = 75) but not quarter it.
    let rotated = fixture("exif-orientation-6-113x150.jpg");
    let decoded = jpeg::decode_scaled(&rotated, 75)
        .expect("decodes")
        .expect("fast path supports it");
    assert_eq!(decoded.orientation, Orientation::Rotate90);
    assert_eq!(
        (decoded.image.width(), decoded.image.height()),
        (57, 75),
        "stored 113x150 at 1/2"
    );
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
fn fast_jpeg_decoder_matches_the_reference_decoder_at_full_size() {
    // Colour conversion (CMYK, YCCK), upsampling and orientation must agree with `image`'s
    // own decoder (zune-jpeg).
    for name in JPEGS {
        let bytes = fixture(name);
        let decoded = jpeg::decode_scaled(&bytes, u32::MAX)
            .expect(name)
            .expect("fast path supports it");
        assert_eq!(
            (decoded.image.width(), decoded.image.height()),
            decoded.source_size,
            "{name}"
        );
        let mut ours = decoded.image;
        ours.apply_orientation(decoded.orientation);
        let theirs = reference(&bytes, ours.width(), ours.height(), None);
        let diff = mean_difference(&ours, &theirs);
        assert!(diff < 1.0, "{name}: mean difference {diff:.2}");
    }
}

#[test]
fn idct_scaled_decode_is_the_block_average_of_the_full_decode() {
    // Scaling by 1/n in the IDCT approximates averaging n×n blocks; a misaligned or
    // mis-coloured scaled decode is far off (a one-pixel shift alone costs 20+ here).
    for name in [
        "photo-1744x2464-camera.jpg",
        "cmyk-256x256.jpg",
        "ycck-500x333.jpg",
    ] {
        let bytes = fixture(name);
        let full = jpeg::decode_scaled(&bytes, u32::MAX)
            .expect(name)
            .expect("fast path")
            .image
            .to_rgb8();
        for n in [2u32, 4, 8] {
            let scaled = jpeg::decode_scaled(&bytes, full.width() / n)
                .expect(name)
                .expect("fast path")
                .image
                .to_rgb8();
            assert_eq!(scaled.width(), full.width().div_ceil(n), "{name} 1/{n}");
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
                        total += u64::from(average.abs_diff(u32::from(scaled.get_pixel(x, y)[c])));
                    }
                }
            }
            let diff = total as f64 / f64::from(w * h * 3);
            assert!(diff < 6.0, "{name} at 1/{n}: mean difference {diff:.2}");
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
    };
    let media = fetch_media(&client(), &item, &ThumbnailConfig::default(), false).await;
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
        };
        let media = fetch_media(&client(), &item, &ThumbnailConfig::default(), false).await;
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
    };

    // A PNG served as image/jpeg at a .jpg URL: sniffed, thumbnailed, dimensions filled; with
    // keep_original the downloaded bytes come back too, typed from the bytes.
    let media = fetch_media(
        &client,
        &item(MediaKind::Image, "https://cdn.example/avatar.jpg", None),
        &settings,
        true,
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
