//! Per-platform pacing beyond the HTTP client's per-host pacing: what a run does once a
//! platform has answered with a rate limit (HTTP 429). The daemon keeps cool-downs across its
//! jobs (`schedule::work::Cooldowns`); a terminal run keeps [`RunPacing`]. Either way, asking a
//! rate-limited platform about every remaining post only lengthens its limit.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

use crate::model::{Platform, PostError};

/// Per-platform pacing a run honours: which platforms are left unasked for now, and what their
/// answers say.
pub trait PlatformPacing: Send + Sync {
    /// Whether `platform` is held back now: its posts are not asked about.
    fn cooling(&self, platform: Platform) -> bool;
    /// `platform` answered a check with a rate limit (HTTP 429); `hold` is what is left of the
    /// HTTP client's hold on the host when the request was not sent because of it.
    fn rate_limited(&self, platform: Platform, hold: Option<Duration>);
    /// `platform` answered a check otherwise: its run of rate limits is over.
    fn answered(&self, platform: Platform);
    /// Why a post of `platform` (held back) was not asked about, and what becomes of it: the
    /// evidence its report carries.
    fn not_asked(&self, platform: Platform) -> String;
}

/// Tell `pacing` what an answer of `platform` to a check says (`error`: the check's, if any): a
/// rate limit starts or lengthens its cool-down, any other answer of the platform's own ends
/// it, and a failure of this program's (storing, a panic) says nothing of the platform, nor
/// does a request not sent because its host is held after a 503 (nothing was asked).
pub fn report_answer(pacing: &dyn PlatformPacing, platform: Platform, error: Option<&PostError>) {
    match error {
        Some(PostError::Transient { evidence, .. }) if is_rate_limit(evidence) => {
            pacing.rate_limited(platform, held_for(evidence));
        }
        Some(PostError::Transient { evidence, .. }) if held_for(evidence).is_some() => {}
        Some(PostError::Store { .. } | PostError::Task { .. } | PostError::Embed { .. }) => {}
        _ => pacing.answered(platform),
    }
}

/// Whether a transient post error's evidence says the platform asked to wait (a rate limit, or
/// a request not sent while its host's hold lasts): its pacing is the answer, not a failure to
/// answer.
pub fn says_wait(evidence: &str) -> bool {
    is_rate_limit(evidence) || held_for(evidence).is_some()
}

/// Whether a transient post error's evidence is a rate limit: the shared fetch path words a 429
/// answer as "HTTP 429 (rate limited) from SOURCE", and a request the HTTP client did not send
/// because the host's hold after a 429 lasts as "HTTP 429 (rate limited) from HOST earlier; not
/// sent while the host asks to wait"; both are rate limits.
fn is_rate_limit(evidence: &str) -> bool {
    evidence.contains("HTTP 429")
}

/// What the evidence of a request not sent while its host is held says is left of the hold
/// ("… not sent while the host asks to wait (N s more)"), so that a cool-down lasts until the
/// host may be asked, in one step, rather than growing by one strike at each refused ask.
fn held_for(evidence: &str) -> Option<Duration> {
    const HELD: &str = "not sent while the host asks to wait (";
    let rest = &evidence[evidence.find(HELD)? + HELD.len()..];
    let (seconds, _) = rest.split_once(" s more)")?;
    seconds.parse().ok().map(Duration::from_secs)
}

/// The pacing of one terminal run (`embedkeep archive`, `embedkeep check`): a platform that
/// answered a rate limit is not asked again until the run ends. A run lasts minutes, shorter
/// than a platform's limit, so there is no waiting it out; an answer that arrives afterwards
/// (from a request already in flight) does not lift the hold either. The posts left unasked are
/// reported as such, and the next run, or the daemon's re-check, asks about them.
#[derive(Debug, Default)]
pub struct RunPacing {
    limited: Mutex<HashSet<Platform>>,
}

impl PlatformPacing for RunPacing {
    fn cooling(&self, platform: Platform) -> bool {
        self.limited
            .lock()
            .is_ok_and(|limited| limited.contains(&platform))
    }

    fn rate_limited(&self, platform: Platform, _hold: Option<Duration>) {
        if let Ok(mut limited) = self.limited.lock()
            && limited.insert(platform)
        {
            tracing::warn!(%platform, "rate limited: its other posts are not asked in this run");
        }
    }

    fn answered(&self, _platform: Platform) {}

    fn not_asked(&self, platform: Platform) -> String {
        format!(
            "not asked: {platform} answered HTTP 429 (rate limited) earlier in this run; \
             run again later to check this post"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate_limit() -> PostError {
        PostError::Transient {
            post_url: "https://www.instagram.com/p/C8kQx2LtA1b/".into(),
            source_name: "embed".into(),
            evidence: "HTTP 429 (rate limited) from https://www.instagram.com/p/C8kQx2LtA1b/embed/"
                .into(),
        }
    }

    #[test]
    fn a_rate_limit_holds_its_platform_back_for_the_rest_of_the_run() {
        let pacing = RunPacing::default();
        assert!(!pacing.cooling(Platform::Instagram));
        report_answer(&pacing, Platform::Instagram, None);
        assert!(!pacing.cooling(Platform::Instagram));
        report_answer(&pacing, Platform::Instagram, Some(&rate_limit()));
        assert!(pacing.cooling(Platform::Instagram));
        assert!(!pacing.cooling(Platform::X), "other platforms are asked");
        // A request in flight when the limit came answers afterwards: the hold stays.
        report_answer(&pacing, Platform::Instagram, None);
        assert!(pacing.cooling(Platform::Instagram));
        assert!(pacing.not_asked(Platform::Instagram).contains("instagram"));
    }

    #[test]
    fn a_request_not_sent_while_its_host_is_held_is_a_rate_limit_too() {
        let pacing = RunPacing::default();
        let held = PostError::Transient {
            post_url: "https://www.instagram.com/p/C8kQx2LtA1b/".into(),
            source_name: "instagram-embed".into(),
            evidence: "HTTP 429 (rate limited) from www.instagram.com earlier; not sent while \
                       the host asks to wait (59 s more)"
                .into(),
        };
        report_answer(&pacing, Platform::Instagram, Some(&held));
        assert!(pacing.cooling(Platform::Instagram));
    }

    #[test]
    fn a_request_not_sent_while_its_host_is_held_after_a_503_is_no_rate_limit() {
        // A service down for maintenance (503 with `Retry-After`) is not asked meanwhile, but
        // says nothing of the platform's rate limits: its other hosts are asked as usual.
        let error = held(
            "https://social.example/@a/1",
            "https://social.example/api/v1/statuses/1",
            503,
            60,
        );
        let PostError::Transient { evidence, .. } = &error else {
            panic!("{error:?}");
        };
        assert!(
            evidence.starts_with("HTTP 503 (unavailable) from social.example earlier"),
            "{evidence}"
        );
        let pacing = RunPacing::default();
        report_answer(&pacing, Platform::Mastodon, Some(&error));
        assert!(!pacing.cooling(Platform::Mastodon));
        // Nothing was asked, so it does not end a cool-down either.
        let told = Told::default();
        report_answer(&told, Platform::Mastodon, Some(&error));
        report_answer(&told, Platform::Mastodon, None);
        assert_eq!(
            told.1.lock().map(|a| a.clone()).unwrap_or_default(),
            [Platform::Mastodon]
        );
    }

    /// The error of a check of `post_url` whose request to `asked` was not sent, its host held
    /// after `status` for `wait_seconds` more: the evidence exactly as the shared fetch path
    /// words it, with the URL it appends.
    fn held(post_url: &str, asked: &str, status: u16, wait_seconds: u64) -> PostError {
        let host = url::Url::parse(asked)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default();
        let refused = crate::platforms::source::SourceError::Held {
            source_name: "a-source".into(),
            url: asked.into(),
            host,
            wait_seconds,
            status,
        };
        let crate::model::Resolution::Transient { source, evidence } =
            refused.into_transient_with_url()
        else {
            panic!("a held request is transient");
        };
        PostError::Transient {
            post_url: post_url.into(),
            source_name: source,
            evidence,
        }
    }

    /// Records what the pacing is told.
    #[derive(Default)]
    struct Told(
        Mutex<Vec<(Platform, Option<Duration>)>>,
        /// The platforms told they answered.
        Mutex<Vec<Platform>>,
    );

    impl PlatformPacing for Told {
        fn cooling(&self, _: Platform) -> bool {
            false
        }
        fn rate_limited(&self, platform: Platform, hold: Option<Duration>) {
            if let Ok(mut told) = self.0.lock() {
                told.push((platform, hold));
            }
        }
        fn answered(&self, platform: Platform) {
            if let Ok(mut answered) = self.1.lock() {
                answered.push(platform);
            }
        }
        fn not_asked(&self, _: Platform) -> String {
            String::new()
        }
    }

    #[test]
    fn a_request_not_sent_while_its_host_is_held_tells_the_pacing_what_is_left_of_the_hold() {
        let error = held(
            "https://www.instagram.com/p/C8kQx2LtA1b/",
            "https://www.instagram.com/p/C8kQx2LtA1b/embed/",
            429,
            3570,
        );
        let told = Told::default();
        report_answer(&told, Platform::Instagram, Some(&error));
        // An answer of 429 says nothing of a hold: the pacing backs off by its own count.
        report_answer(&told, Platform::X, Some(&rate_limit()));
        let told = told.0.lock().map(|t| t.clone()).unwrap_or_default();
        assert_eq!(
            told,
            [
                (Platform::Instagram, Some(Duration::from_secs(3570))),
                (Platform::X, None)
            ]
        );
    }
}
