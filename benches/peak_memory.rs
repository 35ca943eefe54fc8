//! Peak memory of hostile inputs, one case per process (peak RSS is a per-process figure).
//! Each case builds its input with little memory of its own (the PNGs are written row by row),
//! then runs the library on it and prints the outcome and the process's peak RSS (`VmHWM`).
//!
//! Run one case under `/usr/bin/time -v`:
//!
//! ```text
//! cargo bench --bench peak_memory --no-run      # prints the executable's path
//! /usr/bin/time -v target/release/deps/peak_memory-HASH png-rgba-8000x8000
//! ```
//!
//! With no case named (as `cargo bench` runs it) it lists the cases and exits.
//!
//! "Maximum resident set size" from `/usr/bin/time -v` (release build, x86-64, KiB; a bare
//! process is ~4,500 KiB), before the decode bounds, discovery caps and in-place JSON reading,
//! and after:
//!
//! | case | before | after |
//! |---|---|---|
//! | `png-rgb-8000x8000` | 205,556 | 11,208 |
//! | `png-rgba-8000x8000` | 522,832 | 14,688 |
//! | `png-rgba-12000x12000` | refused (576 MB of output) | 15,356 |
//! | `jpeg-2000-scans` (650×470) | 9,740, decoded in 121 ms | 4,560, refused in 70 µs |
//! | `jpeg-2000-scans-4000x4000` | 42,524, 4.6 s of CPU, then corrupt | 4,484, refused in 73 µs |
//! | `discover-1m-instagram-stubs` (104 MB page) | 1,257,040, 8.2 s of CPU | 115,296, 0.11 s |
//! | `discover-1m-comments` (11 MB page) | 32,884 | 32,492 |
//! | `discover-100k-remnant-headers` (3.5 MB page) | 37,852, 8.8 s | 21,100, 44 ms |
//! | `bluesky-thread-74k-facets` (9.6 MB answer) | 382,116, 594 ms | 64,072, 55 ms |
//! | `x-tweet-result-40k-links` (5.9 MB answer) | 111,688, 122 ms | 66,704, 56 ms |

use std::time::Instant;

use embedkeep::config::ThumbnailConfig;
use url::Url;

/// (name, what it runs)
const CASES: &[(&str, fn())] = &[
    ("png-rgb-8000x8000", || thumbnail(&png(8000, 8000, false))),
    ("png-rgba-8000x8000", || thumbnail(&png(8000, 8000, true))),
    ("png-rgba-12000x12000", || {
        thumbnail(&png(12_000, 12_000, true))
    }),
    ("jpeg-2000-scans", || {
        thumbnail(&jpeg_with_extra_scans(2000, None))
    }),
    ("jpeg-2000-scans-4000x4000", || {
        thumbnail(&jpeg_with_extra_scans(2000, Some(4000)))
    }),
    ("discover-1m-instagram-stubs", || {
        discover(&instagram_stubs(1_000_000))
    }),
    ("discover-1m-comments", || {
        discover(&"<!-- c -->\n".repeat(1_000_000))
    }),
    ("discover-100k-remnant-headers", || {
        discover(&"<p>View this post on Instagram</p>\n".repeat(100_000))
    }),
    ("bluesky-thread-74k-facets", || {
        bluesky_thread(&thread_of_facets(74_000))
    }),
    ("x-tweet-result-40k-links", || {
        x_tweet(&tweet_of_links(40_000))
    }),
];

fn main() {
    let exe = std::env::args().next().unwrap_or_default();
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if wanted.is_empty() {
        println!("peak_memory: name one case to run (one per process):");
        for (name, _) in CASES {
            println!("  {name}");
        }
        return;
    }
    for name in wanted {
        match CASES.iter().find(|(n, _)| *n == name) {
            Some((_, run)) => {
                println!("$ /usr/bin/time -v {exe} {name}");
                run();
            }
            None => {
                eprintln!("unknown case {name:?}");
                std::process::exit(2);
            }
        }
    }
}

/// Thumbnail `bytes` at the default settings and report the outcome.
fn thumbnail(bytes: &[u8]) {
    let before = peak_rss_kib();
    let started = Instant::now();
    let outcome = embedkeep::media::make_thumbnail(bytes, &ThumbnailConfig::default());
    let elapsed = started.elapsed();
    match outcome {
        Ok(thumb) => println!("thumbnail {}x{}", thumb.width, thumb.height),
        Err(e) => println!("refused: {e}"),
    }
    println!(
        "input {} bytes; {elapsed:.2?}; peak RSS before {before} KiB, after {} KiB",
        bytes.len(),
        peak_rss_kib()
    );
}

/// Discover the embeds of `page` and report what came of it.
fn discover(page: &str) {
    let base = Url::parse("https://news.example/article").unwrap_or_else(|e| panic!("{e}"));
    let before = peak_rss_kib();
    let started = Instant::now();
    let found = embedkeep::discover::discover(page, &base);
    let elapsed = started.elapsed();
    println!(
        "{} embeds, {} remnants, truncated: {}; page {} bytes; {elapsed:.2?}; peak RSS before {before} KiB, after {} KiB",
        found.embeds.len(),
        found.remnants.len(),
        found.truncated,
        page.len(),
        peak_rss_kib()
    );
}

/// Classify a Bluesky `getPostThread` answer and report what came of it.
fn bluesky_thread(body: &str) {
    use embedkeep::platforms::bluesky::appview;
    classify(
        "https://public.api.bsky.app/xrpc/app.bsky.feed.getPostThread",
        body,
        |answer| appview::parse_thread(THREAD_DID, THREAD_RKEY, answer, false),
    );
}

/// Classify an X syndication `tweet-result` answer and report what came of it.
fn x_tweet(body: &str) {
    classify(
        "https://cdn.syndication.twimg.com/tweet-result",
        body,
        embedkeep::platforms::x::syndication::parse,
    );
}

/// Run a platform's classifier on a 200 JSON answer of `body` from `url`, and report whether
/// it read a live post, its time and the process's peak memory before and after.
fn classify(
    url: &str,
    body: &str,
    parse: impl FnOnce(&embedkeep::platforms::source::Answer) -> embedkeep::model::Resolution,
) {
    let answer = embedkeep::platforms::source::Answer {
        url: url.to_owned(),
        status: 200,
        content_type: Some("application/json".to_owned()),
        body: body.as_bytes().to_vec(),
    };
    let before = peak_rss_kib();
    let started = Instant::now();
    let verdict = parse(&answer);
    let elapsed = started.elapsed();
    let live = matches!(verdict, embedkeep::model::Resolution::Live(_));
    println!(
        "live: {live}; answer {} bytes; {elapsed:.2?}; peak RSS before {before} KiB, after {} KiB",
        body.len(),
        peak_rss_kib()
    );
}

const THREAD_DID: &str = "did:plc:wpe35pganb6d4pg4ekmfy6u5";
const THREAD_RKEY: &str = "3lo7irc7njk2p";

/// A `getPostThread` answer of the recorded shape (`app.bsky.feed.defs#threadViewPost`) whose
/// post's text holds `n` links, each with its link facet, as a hostile author's client could
/// write it: a few MB of small JSON objects.
fn thread_of_facets(n: usize) -> String {
    let mut facets = String::new();
    for i in 0..n {
        if i > 0 {
            facets.push(',');
        }
        facets.push_str(&format!(
            r#"{{"features":[{{"$type":"app.bsky.richtext.facet#link","uri":"https://e.com/{i}"}}],"index":{{"byteStart":{},"byteEnd":{}}}}}"#,
            2 * i,
            2 * i + 2
        ));
    }
    format!(
        r#"{{"thread":{{"$type":"app.bsky.feed.defs#threadViewPost","post":{{"uri":"at://{THREAD_DID}/app.bsky.feed.post/{THREAD_RKEY}","author":{{"did":"{THREAD_DID}","handle":"a.bsky.social","displayName":"A"}},"record":{{"$type":"app.bsky.feed.post","createdAt":"2025-05-01T12:00:00.000Z","text":"{}","facets":[{facets}]}},"indexedAt":"2025-05-01T12:00:00.000Z","labels":[]}},"replies":[]}}}}"#,
        "ab".repeat(n)
    )
}

/// A `tweet-result` answer of the recorded shape (`__typename` Tweet, `entities.urls` of
/// `display_url`/`expanded_url`/`url`/`indices`) whose text holds `n` links, each with its
/// entity: a few MB of small JSON objects.
fn tweet_of_links(n: usize) -> String {
    let mut urls = String::new();
    for i in 0..n {
        if i > 0 {
            urls.push(',');
        }
        urls.push_str(&format!(
            r#"{{"display_url":"e.com/{i}","expanded_url":"https://e.com/{i}","indices":[{},{}],"url":"https://t.co/{i:010}"}}"#,
            24 * i,
            24 * i + 23
        ));
    }
    let text: String = (0..n).map(|i| format!("https://t.co/{i:010} ")).collect();
    format!(
        r#"{{"__typename":"Tweet","lang":"en","favorite_count":1,"created_at":"2024-05-01T12:00:00.000Z","id_str":"1785000000000000000","text":"{}","user":{{"id_str":"12","name":"A","screen_name":"a"}},"entities":{{"hashtags":[],"urls":[{urls}],"user_mentions":[],"symbols":[]}},"mediaDetails":[]}}"#,
        text.trim_end()
    )
}

/// A PNG of `width`×`height` (8-bit RGB or RGBA) of gradients and a checkerboard, written one
/// row at a time so that making it costs a row, not the image. It compresses to a few MB,
/// like the hostile files: small to send, large to decode.
fn png(width: u32, height: u32, alpha: bool) -> Vec<u8> {
    let (color, channels) = if alpha {
        (png::ColorType::Rgba, 4)
    } else {
        (png::ColorType::Rgb, 3)
    };
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(color);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Balanced);
    let mut writer = encoder
        .write_header()
        .unwrap_or_else(|e| panic!("png header: {e}"));
    let mut stream = writer
        .stream_writer()
        .unwrap_or_else(|e| panic!("png stream: {e}"));
    let mut row = vec![0u8; width as usize * channels];
    for y in 0..height {
        for (x, px) in row.chunks_exact_mut(channels).enumerate() {
            let x = x as u32;
            px[0] = (x * 255 / width) as u8;
            px[1] = (y * 255 / height) as u8;
            px[2] = if (x / 256 + y / 256).is_multiple_of(2) {
                40
            } else {
                220
            };
            if alpha {
                px[3] = ((x + y) % 256) as u8;
            }
        }
        std::io::Write::write_all(&mut stream, &row).unwrap_or_else(|e| panic!("png row: {e}"));
    }
    stream
        .finish()
        .unwrap_or_else(|e| panic!("png finish: {e}"));
    writer
        .finish()
        .unwrap_or_else(|e| panic!("png finish: {e}"));
    bytes
}

/// A progressive JPEG with `extra` more scans of a few bytes each (see the test
/// `a_jpeg_with_thousands_of_scans_is_refused_before_decoding` for the construction): the
/// 650×470 fixture, or the same declaring `side`×`side` (its first scan then runs short, and
/// decoders read the rest as zeros). Each extra scan is enough EOB14 codes (`0`, then fourteen
/// `1`s: a run of 32767 blocks) to cover the luma.
fn jpeg_with_extra_scans(extra: usize, side: Option<u16>) -> Vec<u8> {
    let mut progressive: Vec<u8> = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/samples/images/progressive-650x470.jpg"
    ))
    .to_vec();
    let (mut width, mut height) = (650usize, 470usize);
    if let Some(side) = side {
        let sof = progressive
            .windows(2)
            .position(|w| w == [0xFF, 0xC2])
            .unwrap_or_else(|| panic!("no SOF2"));
        progressive[sof + 5..sof + 7].copy_from_slice(&side.to_be_bytes());
        progressive[sof + 7..sof + 9].copy_from_slice(&side.to_be_bytes());
        (width, height) = (usize::from(side), usize::from(side));
    }
    let first_scan = progressive
        .windows(2)
        .position(|w| w == [0xFF, 0xDA])
        .unwrap_or_else(|| panic!("no scan"));
    let second_dht = progressive[first_scan..]
        .windows(2)
        .position(|w| w == [0xFF, 0xC4])
        .map(|at| first_scan + at)
        .unwrap_or_else(|| panic!("no second table"));
    let blocks = width.div_ceil(8) * height.div_ceil(8);
    let codes = blocks.div_ceil(32_767);
    // `codes` × 15 bits, padded with 1s, 0xFF bytes stuffed with 0x00.
    let mut bits: Vec<bool> = Vec::new();
    for _ in 0..codes {
        bits.push(false);
        bits.extend(std::iter::repeat_n(true, 14));
    }
    while !bits.len().is_multiple_of(8) {
        bits.push(true);
    }
    let mut data = Vec::new();
    for byte in bits.chunks(8) {
        let b = byte.iter().fold(0u8, |acc, &bit| acc << 1 | u8::from(bit));
        data.push(b);
        if b == 0xFF {
            data.push(0x00);
        }
    }
    let mut out = progressive[..second_dht].to_vec();
    out.extend_from_slice(&[0xFF, 0xC4, 0x00, 0x14, 0x11, 1]);
    out.extend_from_slice(&[0; 15]);
    out.push(0xE0);
    for _ in 0..extra {
        out.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x01, 0x01, 0x3F, 0x00]);
        out.extend_from_slice(&data);
    }
    out.extend_from_slice(&progressive[second_dht..]);
    out
}

/// An article of `n` Instagram blockquote stubs, each naming a different post.
fn instagram_stubs(n: usize) -> String {
    let mut page = String::from("<!doctype html><html><head><title>stubs</title></head><body>\n");
    for i in 0..n {
        page.push_str(&format!(
            "<blockquote class=\"instagram-media\"><a href=\"https://www.instagram.com/p/C{i:09}/\"></a></blockquote>\n"
        ));
    }
    page.push_str("</body></html>\n");
    page
}

/// The process's peak resident set so far, in KiB (`VmHWM`), or 0 where it cannot be read.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
