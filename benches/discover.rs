//! Discovery throughput over the whole labelled article corpus (`tests/fixtures/articles/`), in
//! bytes of HTML per second. Run: `cargo bench --bench discover`.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use embedkeep::discover::discover;
use url::Url;

fn corpus() -> Vec<(String, Url)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/articles");
    let mut pages = Vec::new();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "html") {
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let base = Url::parse("https://news.example/article").unwrap_or_else(|e| panic!("{e}"));
            pages.push((String::from_utf8_lossy(&bytes).into_owned(), base));
        }
    }
    pages.sort();
    pages
}

fn bench_corpus(c: &mut Criterion) {
    let pages = corpus();
    let total: usize = pages.iter().map(|(html, _)| html.len()).sum();
    let mut group = c.benchmark_group("discover");
    group.throughput(Throughput::Bytes(total as u64));
    group.sample_size(20);
    group.bench_function(format!("corpus_{}_pages", pages.len()), |b| {
        b.iter(|| {
            for (html, base) in &pages {
                black_box(discover(black_box(html), base));
            }
        });
    });
    // A page of prose paragraphs and no embed: the cost of the scan and the page text alone.
    let plain = "<p>Nothing to see here, just words and <b>bold</b> text.</p>\n".repeat(20_000);
    let base = Url::parse("https://news.example/article").unwrap_or_else(|e| panic!("{e}"));
    group.throughput(Throughput::Bytes(plain.len() as u64));
    group.bench_function("prose_page", |b| {
        b.iter(|| black_box(discover(black_box(&plain), &base)));
    });
    // Blockquotes of no declared form nested without end, each holding a decayed post's
    // fallback text and link: each may be an embed stripped of its class, and each looks ahead
    // for its end, so this page shows that the look-ahead stays within its budget (its
    // throughput should be of the prose page's order, not fall with the nesting depth).
    let quote = "<blockquote><p>x</p>&mdash; a (@a) <a href=\"https://twitter.com/a/status/1\">March 1, 2020</a>";
    let nested = format!("{}{}", quote.repeat(20_000), "</blockquote>".repeat(20_000));
    group.throughput(Throughput::Bytes(nested.len() as u64));
    group.bench_function("nested_quotes_page", |b| {
        b.iter(|| black_box(discover(black_box(&nested), &base)));
    });
    // Handles' `@` in text that runs short on every side (a word of 3,000 letters between each
    // two): each window of text around an anchor grows into the one before it, so the page is
    // read whole once its windows have cost twice its size (throughput of the prose page's
    // order, not falling with the number of anchors).
    let long_words = format!("<p>{}", format!("@{} ", "x".repeat(3000)).repeat(700));
    group.throughput(Throughput::Bytes(long_words.len() as u64));
    group.bench_function("anchors_in_long_words", |b| {
        b.iter(|| black_box(discover(black_box(&long_words), &base)));
    });
    // Anchors of every finder where none can start a match, each behind a run of tags (a
    // navigation list of profile links): what the markup before each anchor shows is read
    // back over those tags once per anchor, not once per phrasing the finders declare.
    let links = format!(
        "<ul>{}</ul>",
        "<li><a href=\"https://instagram.com/x\"><i></i><span>Instagram</span></a></li>\n<li><b><a>@x</a></b></li>\n"
            .repeat(20_000)
    );
    group.throughput(Throughput::Bytes(links.len() as u64));
    group.bench_function("anchors_in_profile_links", |b| {
        b.iter(|| black_box(discover(black_box(&links), &base)));
    });
    let text = "Nothing to see here, just words and bold text.\n".repeat(20_000);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("remnants_only", |b| {
        b.iter(|| black_box(embedkeep::discover::remnants_in_text(black_box(&text))));
    });
    group.finish();
}

criterion_group!(benches, bench_corpus);
criterion_main!(benches);
