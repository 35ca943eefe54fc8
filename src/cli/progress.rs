//! The progress bar on stderr while articles are archived. Hidden when stderr is not a terminal
//! (journald, pipes) or with `--quiet`. On a long run it says about how long is left.

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
            "{spinner} [{elapsed}] {bar:30} {pos}/{len} posts{left}  {wide_msg}",
        ) {
            bar.set_style(style.with_key("left", time_left));
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
