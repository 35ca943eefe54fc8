//! The progress bar on stderr while articles are archived. Hidden when stderr is not a terminal
//! (journald, pipes) or with `--quiet`. On a long run it says about how long is left.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use indicatif::{HumanDuration, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::pipeline::Progress;

/// How long a run must have gone on, with posts done, before the bar guesses the time left: an
/// estimate from the first post or two is noise.
const ETA_AFTER: Duration = Duration::from_secs(5);

/// ", about 3 minutes left" on a long run; nothing on a short one or when nothing is left.
fn time_left(state: &ProgressState, out: &mut dyn std::fmt::Write) {
    let remaining = state.len().unwrap_or(0).saturating_sub(state.pos());
    if state.elapsed() < ETA_AFTER || state.pos() == 0 || remaining == 0 {
        return;
    }
    let _ = write!(out, ", about {} left", HumanDuration(state.eta()));
}

/// A bar counting posts done across all articles of a run, and, on a run of several articles,
/// which article it is at: the posts of the articles not yet fetched are not known, so the bar
/// fills at each article's end and guesses no time left while articles wait.
pub(super) struct Bar {
    bar: ProgressBar,
    /// The run's articles, and how many have been started.
    articles: usize,
    started: Arc<AtomicUsize>,
}

impl Bar {
    /// The bar of a run over posts alone (`check`).
    pub(super) fn new(quiet: bool) -> Bar {
        Bar::for_articles(quiet, 0)
    }

    /// The bar of a run over `articles` articles (`archive`).
    pub(super) fn for_articles(quiet: bool, articles: usize) -> Bar {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        if quiet {
            bar.set_draw_target(ProgressDrawTarget::hidden());
        }
        let started = Arc::new(AtomicUsize::new(0));
        let seen = Arc::clone(&started);
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} [{elapsed}] {bar:30} {pos}/{len} posts{left}  {wide_msg}",
        ) {
            bar.set_style(style.with_key(
                "left",
                move |state: &ProgressState, out: &mut dyn std::fmt::Write| {
                    if seen.load(Ordering::Relaxed) >= articles {
                        time_left(state, out);
                    }
                },
            ));
        }
        Bar {
            bar,
            articles,
            started,
        }
    }

    /// Announce the article being fetched.
    pub(super) fn article(&self, url: &str) {
        self.started.fetch_add(1, Ordering::Relaxed);
        self.bar.set_message(format!("{}fetching {url}", self.at()));
        self.bar.tick();
    }

    /// "article N of M: " on a run of several articles, before what is said of the current one.
    fn at(&self) -> String {
        if self.articles > 1 {
            format!(
                "article {} of {}: ",
                self.started.load(Ordering::Relaxed),
                self.articles
            )
        } else {
            String::new()
        }
    }

    /// Announce `posts` posts to check (`check`).
    pub(super) fn checking(&self, posts: usize) {
        self.bar.inc_length(posts as u64);
        self.bar.set_message(format!("checking {posts} posts"));
    }

    pub(super) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress for Bar {
    fn posts_found(&self, article: &str, posts: usize) {
        self.bar.inc_length(posts as u64);
        self.bar
            .set_message(format!("{}archiving {posts} posts of {article}", self.at()));
    }

    fn post_done(&self, post_url: &str) {
        self.bar.inc(1);
        self.bar.set_message(format!("{}{post_url}", self.at()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On a run of several articles the bar says which article it is at; on one, it does not.
    #[test]
    fn the_bar_names_the_article_it_is_at() {
        let bar = Bar::for_articles(true, 3);
        bar.article("https://news.example/a");
        assert_eq!(
            bar.bar.message(),
            "article 1 of 3: fetching https://news.example/a"
        );
        bar.posts_found("https://news.example/a", 2);
        assert_eq!(
            bar.bar.message(),
            "article 1 of 3: archiving 2 posts of https://news.example/a"
        );
        bar.article("https://news.example/b");
        bar.post_done("https://x.com/a/status/1");
        assert_eq!(
            bar.bar.message(),
            "article 2 of 3: https://x.com/a/status/1"
        );
        let one = Bar::for_articles(true, 1);
        one.article("https://news.example/a");
        assert_eq!(one.bar.message(), "fetching https://news.example/a");
    }
}
