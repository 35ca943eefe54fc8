//! Discovery over the corpus pages, N passes in one process: the loop whole-process timings and
//! profiles of discovery run (`perf record`, `/usr/bin/time -v`, two builds alternating).
//!
//!     cargo build --release --example discover_passes
//!     /usr/bin/time -v target/release/examples/discover_passes 20
//!
//! Reads `tests/fixtures/articles/*.html` (run it from the repository's root), then prints the
//! embeds found and the wall time per pass.

use std::error::Error;
use std::path::Path;
use std::time::Instant;

const PAGES: &str = "tests/fixtures/articles";

fn main() -> Result<(), Box<dyn Error>> {
    let passes: usize = match std::env::args().nth(1) {
        Some(n) => n
            .parse()
            .map_err(|e| format!("passes: {n:?} is not a count: {e}"))?,
        None => 10,
    };
    let pages = read_pages(Path::new(PAGES))?;
    let base = url::Url::parse("https://news.example/article")?;
    let start = Instant::now();
    let mut found = 0;
    for _ in 0..passes {
        for page in &pages {
            found += embedkeep::discover::discover(page, &base).embeds.len();
        }
    }
    let ms = start.elapsed().as_secs_f64() * 1e3 / passes.max(1) as f64;
    println!(
        "{} pages, {passes} passes: {found} embeds, {ms:.2} ms per pass",
        pages.len()
    );
    Ok(())
}

/// Every `.html` page in `dir`, read as a browser would read bytes that are not all UTF-8.
fn read_pages(dir: &Path) -> Result<Vec<String>, Box<dyn Error>> {
    let mut pages = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.extension().is_some_and(|e| e == "html") {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            pages.push(String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    if pages.is_empty() {
        return Err(format!("{}: no .html pages", dir.display()).into());
    }
    Ok(pages)
}
