//! Thumbnail speed: milliseconds per image for the ~2500 px camera JPEG (the target is
//! ≤ 40 ms on one core, release) and for PNGs, plus the full-size decodes that shrink-on-load
//! avoids, for comparison.
//!
//! Run: `cargo bench --bench thumbnail`

use std::hint::black_box;
use std::io::Cursor;

use criterion::{Criterion, criterion_group, criterion_main};
use embedkeep::config::{ThumbnailConfig, ThumbnailFormat};
use embedkeep::media::make_thumbnail;
use image::codecs::png::PngEncoder;
use image::{ImageEncoder, RgbImage};

const CAMERA: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/samples/images/photo-1744x2464-camera.jpg"
));
const RGBA16_PNG: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/samples/images/rgba16-32x32.png"
));

/// A 1920×1080 RGB PNG with gradients and texture, like a screenshot or a graphic.
fn synthetic_png() -> Vec<u8> {
    let image = RgbImage::from_fn(1920, 1080, |x, y| {
        let texture = ((x * 7 + y * 13) ^ (x * y)) % 32;
        image::Rgb([
            (x * 255 / 1920) as u8,
            (y * 255 / 1080) as u8,
            (texture * 8) as u8,
        ])
    });
    let mut bytes = Vec::new();
    PngEncoder::new(&mut bytes)
        .write_image(image.as_raw(), 1920, 1080, image::ExtendedColorType::Rgb8)
        .expect("encode synthetic PNG");
    bytes
}

/// A 4000×3000 (12 MP) JPEG at quality 90 with smooth areas and fine texture, the size a
/// phone camera writes.
fn synthetic_jpeg() -> Vec<u8> {
    let image = RgbImage::from_fn(4000, 3000, |x, y| {
        let texture = ((x * 31) ^ (y * 17)).wrapping_mul(2_654_435_761) >> 28;
        image::Rgb([
            (x * 255 / 4000) as u8,
            (y * 255 / 3000) as u8,
            ((x + y) / 32 % 200) as u8 + texture as u8,
        ])
    });
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90)
        .encode_image(&image)
        .expect("encode synthetic JPEG");
    bytes
}

fn thumbnails(c: &mut Criterion) {
    let webp = ThumbnailConfig::default();
    let jpeg = ThumbnailConfig {
        format: ThumbnailFormat::Jpeg,
        ..ThumbnailConfig::default()
    };
    let png = synthetic_png();
    let big_jpeg = synthetic_jpeg();

    let mut group = c.benchmark_group("thumbnail");
    group.bench_function("camera-jpeg-1744x2464 to webp 480", |b| {
        b.iter(|| make_thumbnail(black_box(CAMERA), &webp).expect("thumbnail"))
    });
    group.bench_function("camera-jpeg-1744x2464 to jpeg 480", |b| {
        b.iter(|| make_thumbnail(black_box(CAMERA), &jpeg).expect("thumbnail"))
    });
    group.bench_function("synthetic-jpeg-4000x3000 to webp 480", |b| {
        b.iter(|| make_thumbnail(black_box(&big_jpeg), &webp).expect("thumbnail"))
    });
    group.bench_function("png-1920x1080 to webp 480", |b| {
        b.iter(|| make_thumbnail(black_box(&png), &webp).expect("thumbnail"))
    });
    group.bench_function("png-rgba16-32x32 to webp", |b| {
        b.iter(|| make_thumbnail(black_box(RGBA16_PNG), &webp).expect("thumbnail"))
    });
    group.finish();

    // What shrink-on-load saves: `image`'s decoder (zune-jpeg) at full size against
    // jpeg-decoder at the scale a 480 px thumbnail needs (1/2 for the photo, 1/8 for 12 MP).
    for (name, bytes) in [
        ("camera-jpeg-1744x2464", CAMERA),
        ("synthetic-jpeg-4000x3000", &big_jpeg[..]),
    ] {
        let mut group = c.benchmark_group(format!("decode {name}"));
        group.bench_function("image (zune-jpeg), full size", |b| {
            b.iter(|| image::load_from_memory(black_box(bytes)).expect("decode"))
        });
        group.bench_function("jpeg-decoder, scaled for 480 px", |b| {
            b.iter(|| {
                let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(black_box(bytes)));
                decoder.scale(480, u16::MAX).expect("scale");
                decoder.decode().expect("decode")
            })
        });
        group.finish();
    }
}

criterion_group!(benches, thumbnails);
criterion_main!(benches);
