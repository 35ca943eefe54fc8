//! Discovery against the labelled corpus of real article pages (`tests/fixtures/articles/`):
//! recall and precision per platform for visible (`dom`) posts, separately for hidden locations
//! and for widgets, and no near-miss link reported as a post. Run with `--nocapture` to see the
//! table. Fails when `dom` post recall or precision drops below 0.97 overall or for any platform
//! with at least 5 labelled embeds.

#[path = "support/corpus_score.rs"]
mod corpus_score;

use std::path::PathBuf;

use corpus_score::{Class, Correction, score};

const THRESHOLD: f64 = 0.97;
const MIN_LABELS_FOR_PLATFORM_CHECK: usize = 5;

/// Label corrections, each checked by reading the page. Empty while every label holds.
/// (page, platform, post_id as labelled) → corrected post_id, or `None` to drop the label.
const LABEL_CORRECTIONS: &[Correction] = &[];

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/articles")
}

#[test]
fn corpus_recall_and_precision() {
    let score = score(&corpus_dir(), LABEL_CORRECTIONS);
    assert!(score.pages >= 100, "corpus has {} pages", score.pages);
    score.print();

    let handles = score.handles;
    assert!(
        score.near_miss_violations.is_empty(),
        "{:#?}",
        score.near_miss_violations
    );
    assert!(
        handles.0 > 50 && handles.1 as f64 >= THRESHOLD * handles.0 as f64,
        "author handles: {} of {} agree",
        handles.1,
        handles.0
    );
    let dom = score.total(Class::DomPost);
    assert!(dom.labels > 150, "too few dom post labels: {}", dom.labels);
    assert!(
        dom.recall() >= THRESHOLD && dom.precision() >= THRESHOLD,
        "dom posts: recall {:.3}, precision {:.3}",
        dom.recall(),
        dom.precision()
    );
    for ((class, platform), t) in &score.tallies {
        if *class == Class::DomPost && t.labels >= MIN_LABELS_FOR_PLATFORM_CHECK {
            assert!(
                t.recall() >= THRESHOLD && t.precision() >= THRESHOLD,
                "dom posts on {platform}: recall {:.3}, precision {:.3}",
                t.recall(),
                t.precision()
            );
        }
    }
}
