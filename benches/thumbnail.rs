//! Thumbnail speed: milliseconds per image for the ~2500 px camera JPEG (the target is
//! ≤ 40 ms on one core, release) and for PNGs, plus the full-size decodes that shrink-on-load
//! avoids, for comparison.
//!
//! Run: `cargo bench --bench thumbnail`
//!
//! The built binary also has a plain timing mode for `bench/thumbnail_compare.sh`, which times
//! it against Pillow and vipsthumbnail on the same file: `thumbnail-HASH compare FILE WIDTH
//! REPS` thumbnails FILE to WIDTH px WebP REPS times and prints one JSON line (ms per image,
//! output bytes and size).

use std::hint::black_box;
use std::io::Cursor;

use criterion::{Criterion, criterion_group};
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

/// `compare FILE WIDTH REPS`: time `make_thumbnail` alone, for comparison with other tools.
fn compare(args: &[String]) -> Result<(), String> {
    let [file, width, reps] = args else {
        return Err("usage: thumbnail compare FILE WIDTH REPS".to_owned());
    };
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {file}: {e}"))?;
    let width: u32 = width.parse().map_err(|e| format!("width {width:?}: {e}"))?;
    let reps: u32 = reps.parse().map_err(|e| format!("reps {reps:?}: {e}"))?;
    let settings = ThumbnailConfig {
        max_width: width,
        ..ThumbnailConfig::default()
    };
    let thumb = |bytes: &[u8]| make_thumbnail(bytes, &settings).map_err(|e| format!("{file}: {e}"));
    let first = thumb(&bytes)?;
    let cpu_before = cpu_ticks();
    let started = std::time::Instant::now();
    for _ in 0..reps {
        black_box(thumb(black_box(&bytes))?);
    }
    let ms = started.elapsed().as_secs_f64() * 1000.0 / f64::from(reps.max(1));
    // Clock ticks of 10 ms: enough over a batch of tens of images.
    let cpu_ms = match (cpu_before, cpu_ticks()) {
        (Some(a), Some(b)) => format!("{:.3}", (b - a) as f64 * 10.0 / f64::from(reps.max(1))),
        _ => "null".to_owned(),
    };
    println!(
        "{{\"ms_per_image\": {ms:.3}, \"cpu_ms_per_image\": {cpu_ms}, \"bytes\": {}, \"width\": {}, \"height\": {}}}",
        first.bytes.len(),
        first.width,
        first.height
    );
    Ok(())
}

/// User + system CPU time of this process in clock ticks (1/100 s on Linux), from
/// /proc/self/stat; `None` elsewhere.
fn cpu_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("compare") {
        if let Err(e) = compare(&args[1..]) {
            eprintln!("{e}");
            std::process::exit(2);
        }
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
