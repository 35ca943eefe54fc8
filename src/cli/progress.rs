//! The progress bar on stderr while articles are archived. Hidden when stderr is not a terminal
//! (journald, pipes) or with `--quiet`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::pipeline::Progress;

/// A bar counting posts done across all articles of a run.
pub(super) struct Bar {
    bar: ProgressBar,
}

impl Bar {
    pub(super) fn new(quiet: bool) -> Bar {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        if quiet {
            bar.set_draw_target(ProgressDrawTarget::hidden());
        }
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} [{elapsed}] {bar:30} {pos}/{len} posts  {wide_msg}",
        ) {
            bar.set_style(style);
        }
        Bar { bar }
    }

    /// Announce the article being fetched.
    pub(super) fn article(&self, url: &str) {
        self.bar.set_message(format!("fetching {url}"));
        self.bar.tick();
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
            .set_message(format!("archiving {posts} posts of {article}"));
    }

    fn post_done(&self, post_url: &str) {
        self.bar.inc(1);
        self.bar.set_message(post_url.to_owned());
    }
}
